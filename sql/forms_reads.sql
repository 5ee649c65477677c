-- Reading summaries of forms: node_std_error and breakdown (clustered, logit
-- interval), change_test / change_significant, rank_range over survey
-- summaries, province_index / province_std_error; summaries of answer rows
-- keep their 1.1 meaning or are refused with a hint.
SET search_path = public, sipas;
SELECT setseed(0.37);
CREATE TABLE fr_answers AS
SELECT period, unit, respondent, item,
       CASE WHEN random() < 0.05 THEN NULL
            ELSE least(5, 1 + floor(random() * 2.5 + (respondent % 4) * 0.4 + unit * 0.35)::int) END AS score,
       round((0.4 + (respondent % 5) * 0.35)::numeric, 2)::float8 AS weight
FROM (SELECT p AS period, u AS unit, r AS respondent, n.code AS item
      FROM generate_series(2023, 2024) p, generate_series(1, 6) u, generate_series(1, 14) r, sipas.node n
      WHERE n.questionnaire = '2023' AND n.kind = 'item'
        AND NOT (u = 6 AND r > 2)		-- unit 6: 2 forms
      ORDER BY p, u, r, n.code) ordered;
-- unit 2 skipped part II in some forms; nobody in unit 3 answered I.C.5; I.A.1 100 % in unit 4
UPDATE fr_answers SET score = NULL WHERE unit = 2 AND respondent <= 5 AND item LIKE 'II.%';
UPDATE fr_answers SET score = NULL WHERE unit = 3 AND item = 'I.C.5';
UPDATE fr_answers SET score = 5 WHERE unit = 4 AND item = 'I.A.1';
CREATE TABLE fr_forms AS
SELECT period, unit, respondent, weight, coalesce(sipas.form_agg(item, score), '{}'::sipas.form) AS f
FROM fr_answers GROUP BY period, unit, respondent, weight;
CREATE TABLE fr_units AS
SELECT period, unit, sipas.survey_agg(f) AS s, sipas.survey_agg(f, weight) AS ws,
       (SELECT sipas.survey_agg(item, score) FROM fr_answers a WHERE a.period = x.period AND a.unit = x.unit) AS rs
FROM fr_forms x GROUP BY period, unit;
-- a unit of one form
INSERT INTO fr_units
SELECT 2024, 7, sipas.survey_agg(f), sipas.survey_agg(f, weight), NULL
FROM fr_forms WHERE period = 2024 AND unit = 1 AND respondent = 1;

-- node_std_error of a summary of forms against plain SQL, node by node:
-- var = n/(n-1) sum_i w_i^2 z_i^2, z_i = sum_j c_j (s_ij - r_j a_ij) / A_j,
-- c_j the item's weight in the node (contrast over the node's items, item_weights of the
-- node's subtree renormalised), over every form of the unit.
CREATE TEMP TABLE fr_nodes (node text);
INSERT INTO fr_nodes VALUES ('SIPAS'), ('I'), ('II'), ('I.C'), ('II.B'), ('I.A.2');
-- (jit off: once earlier tests have grown sipas.node, the planner's estimates
-- for this query pass jit_above_cost, and JIT compiling it anew for each of
-- the calls below costs minutes)
CREATE FUNCTION fr_sql_se(p int, u int, nd text, weighted boolean) RETURNS float8
LANGUAGE sql STABLE SET jit = off AS $$
WITH RECURSIVE sub AS (SELECT code FROM sipas.node WHERE questionnaire = '2023' AND code = nd
                       UNION ALL
                       SELECT n.code FROM sipas.node n JOIN sub ON n.parent = sub.code
                       WHERE n.questionnaire = '2023'),
fm AS (SELECT respondent, CASE WHEN weighted THEN weight ELSE 1.0 END AS w
       FROM fr_forms WHERE period = p AND unit = u),
ans AS (SELECT a.respondent, a.item, (a.score >= 4)::int AS s, fm.w
        FROM fr_answers a JOIN fm USING (respondent)
        WHERE a.period = p AND a.unit = u AND a.score IS NOT NULL AND a.item IN (SELECT code FROM sub)),
tot AS (SELECT item, sum(w * s) / sum(w) AS r, sum(w) AS aw FROM ans GROUP BY item),
-- the node's index is a mean over its children: coefficients from the tree, recursively
tree AS (SELECT n.code, n.parent, n.kind FROM sipas.node n WHERE n.questionnaire = '2023' AND n.code IN (SELECT code FROM sub)),
has AS (SELECT code FROM tree t WHERE EXISTS (SELECT 1 FROM tot WHERE tot.item = t.code)
        UNION SELECT t.code FROM tree t WHERE t.kind <> 'item'
          AND EXISTS (SELECT 1 FROM tot JOIN sipas.node n ON n.code = tot.item AND n.questionnaire = '2023'
                      WHERE n.code IN (WITH RECURSIVE d AS (SELECT t.code AS c UNION ALL
                                         SELECT m.code FROM sipas.node m JOIN d ON m.parent = d.c WHERE m.questionnaire = '2023')
                                       SELECT c FROM d))),
coef AS (SELECT code, 1.0::float8 AS c FROM tree WHERE code = nd
         UNION ALL
         SELECT t.code, coef.c / (SELECT count(*) FROM tree t2 JOIN has USING (code) WHERE t2.parent = coef.code)
         FROM coef JOIN tree t ON t.parent = coef.code JOIN has ON has.code = t.code),
zi AS (SELECT fm.respondent, fm.w,
              coalesce(sum(coef.c * (ans.s - tot.r) / tot.aw), 0) AS z
       FROM fm LEFT JOIN ans USING (respondent) LEFT JOIN tot USING (item) LEFT JOIN coef ON coef.code = ans.item
       GROUP BY fm.respondent, fm.w)
SELECT 100 * sqrt(count(*)::float8 / (count(*) - 1) * sum(w * w * z * z)) FROM zi
$$;
SELECT count(*) AS checked,
       max(abs(sipas.node_std_error(s, nd.node) - fr_sql_se(period, unit, nd.node, false))) < 1e-9 AS unweighted_ok,
       max(abs(sipas.node_std_error(ws, nd.node) - fr_sql_se(period, unit, nd.node, true))) < 1e-9 AS weighted_ok
FROM fr_units, fr_nodes nd WHERE unit <= 6;
-- the overall index's through contrast_std_error with item_weights' coefficients too
SELECT bool_and(abs(sipas.node_std_error(s, 'SIPAS') -
                    sipas.contrast_std_error(s, (SELECT array_agg(item) FROM sipas.item_weights(s)),
                                             (SELECT array_agg(weight) FROM sipas.item_weights(s)))) < 1e-9) AS same_as_contrast
FROM fr_units WHERE unit <= 6;
-- the rule chosen at read time
SELECT bool_and(abs(sipas.node_std_error(s, 'SIPAS', '2023', 'items') -
                    sipas.contrast_std_error(s, (SELECT array_agg(item) FROM sipas.item_weights(s, '2023', 'items')),
                                             (SELECT array_agg(weight) FROM sipas.item_weights(s, '2023', 'items')))) < 1e-9) AS items_rule_ok,
       bool_or(sipas.node_std_error(s, 'SIPAS', '2023', 'items') <> sipas.node_std_error(s, 'SIPAS')) AS rules_differ
FROM fr_units WHERE unit <= 6;
-- the clustered figure is narrower than the row summary's bound, which keeps its 1.1 meaning
SELECT unit, round(sipas.node_std_error(s, 'SIPAS')::numeric, 6) AS clustered,
       round(sipas.node_std_error(rs, 'SIPAS')::numeric, 6) AS row_bound,
       sipas.node_std_error(rs, 'I.A.2') = sipas.std_error(sipas.item(rs, 'I.A.2')) AS row_item_as_1_1
FROM fr_units WHERE period = 2024 AND unit <= 6 ORDER BY unit;
-- one form: no standard error; an item nobody answered: NULL
SELECT sipas.respondents(s) AS forms, sipas.node_std_error(s, 'SIPAS') IS NULL AS no_se,
       sipas.node_index(s, 'SIPAS') IS NOT NULL AS has_index
FROM fr_units WHERE unit = 7;
SELECT sipas.node_std_error(s, 'I.C.5') IS NULL AS unanswered_null,
       sipas.node_std_error(s, 'I.C') IS NOT NULL AS group_still
FROM fr_units WHERE period = 2024 AND unit = 3;

-- breakdown: the logit interval on the clustered standard error, inside 0..100
CREATE TEMP TABLE fr_bd AS
SELECT u.period, u.unit, b.*, sipas.node_std_error(u.s, b.code) AS se
FROM fr_units u, sipas.breakdown(u.s) b WHERE u.unit <= 6;
SELECT count(*) AS nodes,
       bool_and(lower <= index AND index <= upper AND lower >= 0 AND upper <= 100) AS inside,
       max(abs(lower - 100 / (1 + exp(-(ln(index / (100 - index)) - 1.959963984540054 * se * 100 / (index * (100 - index))))))) < 1e-9 AS logit_lower,
       max(abs(upper - 100 / (1 + exp(-(ln(index / (100 - index)) + 1.959963984540054 * se * 100 / (index * (100 - index))))))) < 1e-9 AS logit_upper
FROM fr_bd WHERE index > 0 AND index < 100 AND se > 0;
-- at 100 % (no variance): the item's Wilson interval
SELECT b.index, round(b.lower::numeric, 9) = round(ci.lower::numeric, 9) AS wilson_lower,
       b.upper = 100 AS upper_100
FROM fr_bd b, fr_units u, sipas.confidence_interval(sipas.item(u.s, 'I.A.1')) ci
WHERE b.code = 'I.A.1' AND b.unit = 4 AND b.period = 2024 AND u.unit = 4 AND u.period = 2024;
-- a row summary's breakdown is 1.1's (inner nodes: index +- z * bound)
SELECT round((b.upper - b.index)::numeric, 9) = round((1.959963984540054 * sipas.node_std_error(u.rs, 'I'))::numeric, 9) AS row_bound_interval
FROM fr_units u, sipas.breakdown(u.rs) b WHERE u.period = 2024 AND u.unit = 1 AND b.code = 'I';

-- change_test between two years of a unit: points, clustered se, z, p
CREATE TEMP TABLE fr_change AS
SELECT a.unit, c.*, sipas.overall(a.s) - sipas.overall(b.s) AS d,
       sqrt(sipas.node_std_error(a.s, 'SIPAS') ^ 2 + sipas.node_std_error(b.s, 'SIPAS') ^ 2) AS se_sql,
       sipas.change_significant(a.s, b.s) AS sig95, sipas.change_significant(a.s, b.s, 0.5) AS sig50
FROM fr_units a JOIN fr_units b ON a.unit = b.unit AND a.period = 2024 AND b.period = 2023,
     sipas.change_test(a.s, b.s) c;
SELECT count(*) AS units, max(abs(points - d)) < 1e-9 AS points_ok, max(abs(std_error - se_sql)) < 1e-9 AS se_ok,
       max(abs(z - points / std_error)) < 1e-12 AS z_ok, bool_and(p_value > 0 AND p_value <= 1) AS p_ok,
       bool_and(sig95 = (p_value < 0.05)) AND bool_and(sig50 = (p_value < 0.5)) AS significant_ok
FROM fr_change;
SELECT unit, round(points::numeric, 6) AS points, round(std_error::numeric, 6) AS se,
       round(z::numeric, 6) AS z, round(p_value::numeric, 6) AS p
FROM fr_change ORDER BY unit;
SELECT (c).points IS NOT NULL AS points, (c).std_error IS NULL AS no_se
FROM (SELECT sipas.change_test(a.s, b.s) AS c FROM fr_units a, fr_units b
      WHERE a.unit = 7 AND b.unit = 1 AND b.period = 2023) x;
SELECT round(points::numeric, 6) = round((sipas.node_index(a.ws, 'II') - sipas.node_index(b.ws, 'II'))::numeric, 6) AS node_points,
       round(std_error::numeric, 9) = round(sqrt(sipas.node_std_error(a.ws, 'II') ^ 2 + sipas.node_std_error(b.ws, 'II') ^ 2)::numeric, 9) AS node_se
FROM fr_units a, fr_units b, sipas.change_test(a.ws, b.ws, 'II') c
WHERE a.unit = 2 AND a.period = 2024 AND b.unit = 2 AND b.period = 2023;
SELECT * FROM sipas.change_test(NULL, (SELECT s FROM fr_units LIMIT 1));

-- rank_range over summaries of forms = rank_range over (index, clustered se)
SELECT bool_and(r1 IS NOT DISTINCT FROM r2) AS same_ranges, count(*) AS rows, count(r1) AS ranked
FROM (SELECT sipas.rank_range(s) OVER w AS r1,
             sipas.rank_range(sipas.overall(s), sipas.node_std_error(s, 'SIPAS')) OVER w AS r2
      FROM fr_units WINDOW w AS (PARTITION BY period)) x;
SELECT period, unit, sipas.rank_range(ws, 0.9, 'none', 'I') OVER (PARTITION BY period) AS ranks,
       sipas.rank_range(sipas.node_index(ws, 'I'), sipas.node_std_error(ws, 'I'), 0.9, 'none') OVER (PARTITION BY period) AS same
FROM fr_units ORDER BY period, unit;

-- the province: mean of its units, se = sqrt(sum var) / U
SELECT period,
       abs(sipas.province_index(s) - avg(sipas.overall(s))) < 1e-9 AS index_ok,
       abs(sipas.province_std_error(s) - sqrt(sum(sipas.node_std_error(s, 'SIPAS') ^ 2)) / count(*)) < 1e-9 AS se_ok,
       abs(sipas.province_std_error(ws, 'I') - sqrt(sum(sipas.node_std_error(ws, 'I') ^ 2)) / count(*)) < 1e-9 AS node_se_ok,
       abs(sipas.province_index(ws, 'I', '2023', 'items') - avg(sipas.node_index(ws, 'I', '2023', 'items'))) < 1e-9 AS rule_ok
FROM fr_units WHERE unit <= 6 GROUP BY period ORDER BY period;
-- a unit of one form has no variance: the province's standard error is NULL
SELECT sipas.province_index(s) IS NOT NULL AS index, sipas.province_std_error(s) IS NULL AS no_se
FROM fr_units WHERE period = 2024;
SELECT sipas.province_index(s) IS NULL AS empty FROM fr_units WHERE false;
-- parallel plans give the serial figures
CREATE TABLE fr_many AS SELECT g, u.s FROM fr_units u, generate_series(1, 300) g WHERE u.unit <= 6;
ANALYZE fr_many;
CREATE TEMP TABLE fr_serial AS SELECT sipas.province_index(s) AS i, sipas.province_std_error(s, 'I') AS e FROM fr_many;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT sipas.province_index(s), sipas.province_std_error(s, 'I') FROM fr_many;
SELECT abs(p.i - s.i) < 1e-9 AS index_same, abs(p.e - s.e) < 1e-12 AS se_same
FROM (SELECT sipas.province_index(s) AS i, sipas.province_std_error(s, 'I') AS e FROM fr_many) p, fr_serial s;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather; RESET parallel_leader_participation;

-- errors
\set VERBOSITY default
SELECT * FROM sipas.change_test((SELECT rs FROM fr_units WHERE unit = 1 AND period = 2024),
                                (SELECT rs FROM fr_units WHERE unit = 1 AND period = 2023));
SELECT sipas.rank_range(rs) OVER () FROM fr_units WHERE rs IS NOT NULL;
SELECT sipas.province_std_error(rs) FROM fr_units WHERE rs IS NOT NULL;
SELECT sipas.province_index(rs) IS NOT NULL AS rows_have_a_mean FROM fr_units WHERE rs IS NOT NULL;
SELECT * FROM sipas.change_test((SELECT s FROM fr_units WHERE unit = 1 AND period = 2024),
                                (SELECT s FROM fr_units WHERE unit = 1 AND period = 2023), 'NOPE');
SELECT * FROM sipas.change_test((SELECT s FROM fr_units WHERE unit = 1 AND period = 2024),
                                (SELECT s FROM fr_units WHERE unit = 1 AND period = 2023), NULL, '2023', 'median');
SELECT * FROM sipas.change_test((SELECT s FROM fr_units WHERE unit = 1 AND period = 2024),
                                (SELECT s FROM fr_units WHERE unit = 1 AND period = 2023), NULL, NULL);
SELECT sipas.change_significant(a.s, a.s, 1.5) FROM fr_units a WHERE unit = 1 AND period = 2024;
SELECT sipas.rank_range(s, 0.95, 'holm') OVER () FROM fr_units;
SELECT sipas.rank_range(s, 0.95, 'none', CASE WHEN unit = 1 THEN 'I' ELSE 'II' END) OVER () FROM fr_units;
SELECT sipas.breakdown(s, '2023', 'mean', 0) FROM fr_units LIMIT 1;
\set VERBOSITY terse
