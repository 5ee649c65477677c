-- The hierarchy summary: survey_agg in one pass against the plain-SQL
-- hierarchy (items -> groups -> parts -> overall), for every rule.
SET search_path = public, sipas;
SELECT setseed(0.23);
-- random() is drawn in a fixed row order (the sorted subquery), whatever plan the join gets
CREATE TABLE sv_answers AS
SELECT unit, district, respondent, item,
       CASE WHEN random() < 0.02 THEN NULL ELSE (1 + floor(random() * random() * 5 + random() * 2.2)::int % 5) END::smallint AS score,
       round((0.3 + random() * 2)::numeric, 2)::float8 AS weight
FROM (SELECT u AS unit, (u - 1) / 4 AS district, r AS respondent, n.code AS item
      FROM generate_series(1, 12) u, generate_series(1, 60) r, sipas.node n
      WHERE n.questionnaire = '2023' AND n.kind = 'item'
      ORDER BY u, r, n.code) ordered;
-- unit 12 never answered item I.C.5 (left out of its group's mean); unit 11 never answered group II.E
UPDATE sv_answers SET score = NULL WHERE unit = 12 AND item = 'I.C.5';
UPDATE sv_answers SET score = NULL WHERE unit = 11 AND item LIKE 'II.E.%';
ANALYZE sv_answers;

CREATE TEMP TABLE summaries AS
SELECT unit, district, sipas.survey_agg(item, score) AS s, sipas.survey_agg(item, score, weight) AS ws
FROM sv_answers GROUP BY unit, district;

-- plain SQL, the formulation an analyst would write
CREATE TEMP TABLE plain AS
WITH RECURSIVE
it AS (SELECT unit, item AS code, 100.0 * count(*) FILTER (WHERE score >= 4) / count(score) AS idx,
              sum(weight) FILTER (WHERE score >= 4) * 100.0 / sum(weight) FILTER (WHERE score IS NOT NULL) AS widx
       FROM sv_answers GROUP BY unit, item HAVING count(score) > 0),
tree AS (SELECT code, parent, kind, weight,
                (SELECT count(*) FROM sipas.node i WHERE i.questionnaire = '2023' AND i.kind = 'item'
                   AND (i.code = n.code OR i.code LIKE n.code || '.%' OR n.parent IS NULL)) AS items
         FROM sipas.node n WHERE questionnaire = '2023'),
grp AS (SELECT it.unit, t.parent AS code, avg(idx) AS idx, avg(widx) AS widx FROM it JOIN tree t USING (code) GROUP BY 1, 2),
part AS (SELECT g.unit, t.parent AS code, avg(idx) AS idx, avg(widx) AS widx,
                sum(idx * t.items) / sum(t.items) AS idx_items FROM grp g JOIN tree t USING (code) GROUP BY 1, 2),
overall AS (SELECT p.unit, avg(idx) AS idx, avg(widx) AS widx, sum(idx_items * t.items) / sum(t.items) AS idx_items
            FROM part p JOIN tree t USING (code) GROUP BY 1)
SELECT * FROM overall;

SELECT count(*) AS units,
       count(*) FILTER (WHERE abs(sipas.overall(s) - p.idx) < 1e-9) AS mean_rule,
       count(*) FILTER (WHERE abs(sipas.overall(ws) - p.widx) < 1e-9) AS weighted_answers,
       count(*) FILTER (WHERE abs(sipas.overall(s, '2023', 'items') - p.idx_items) < 1e-9) AS items_rule
FROM summaries JOIN plain p USING (unit);

-- one node's index and n equal direct computation
SELECT count(*) FILTER (WHERE abs(sipas.node_index(s, 'II.B') - x.idx) < 1e-9 AND sipas.node_n(s, 'II.B') = x.n) AS node_ok
FROM summaries JOIN (
  SELECT unit, avg(i) AS idx, sum(n) AS n FROM (
    SELECT unit, item, 100.0 * count(*) FILTER (WHERE score >= 4) / count(score) AS i, count(score) AS n
    FROM sv_answers WHERE item LIKE 'II.B.%' GROUP BY 1, 2) q GROUP BY 1) x USING (unit);
SELECT sipas.node_index(s, 'II.E') AS empty_group, sipas.node_n(s, 'II.E') AS n_empty_group,
       sipas.node_index(s, 'II.E.1') AS empty_item, round(sipas.node_index(s, 'II')::numeric, 6) AS part_ii
FROM summaries WHERE unit = 11;
SELECT sipas.item(s, 'I.C.5') AS missing_item, sipas.n(sipas.item(s, 'I.C.6')) AS n_item FROM summaries WHERE unit = 12;

-- the drill-down: 51 rows (1 + 2 + 9 + 39), questionnaire order, intervals around every index
SELECT count(*) AS rows, count(*) FILTER (WHERE kind = 'item') AS items,
       count(*) FILTER (WHERE lower <= index AND index <= upper) AS bracketed,
       string_agg(code, ' ' ORDER BY ord) FILTER (WHERE level <= 2) AS top_levels
FROM (SELECT b.*, row_number() OVER () AS ord FROM summaries, sipas.breakdown(s) b WHERE unit = 1) x;
SELECT level, kind, code, name, n, round(index::numeric, 2) AS index, round(lower::numeric, 2) AS lower, round(upper::numeric, 2) AS upper
FROM summaries, sipas.breakdown(s) WHERE unit = 1 AND level <= 2;
-- standard errors: an item's is the linearised one; an inner node's the weighted mean of its children's
SELECT abs(sipas.node_std_error(s, 'II.B.1') - sipas.std_error(sipas.item(s, 'II.B.1'))) < 1e-12 AS item_se,
       abs(sipas.node_std_error(s, 'II.B') - (SELECT avg(sipas.std_error(summary)) FROM sipas.items(s) WHERE item LIKE 'II.B.%')) < 1e-12 AS group_se,
       sipas.node_std_error(s, 'II.E') AS empty_group_se
FROM summaries WHERE unit = 11;
-- item weights: the overall index is their weighted sum, for every rule; unanswered items have none
SELECT count(*) AS checks,
       count(*) FILTER (WHERE abs(sipas.overall(s, '2023', r) - (SELECT sum(weight * index) FROM sipas.item_weights(s, '2023', r))) < 1e-9
                          AND abs((SELECT sum(weight) FROM sipas.item_weights(s, '2023', r)) - 1) < 1e-12) AS linear
FROM summaries, unnest(ARRAY['mean', 'items']) r;
SELECT count(*) AS weighted_items FROM summaries, sipas.item_weights(s) WHERE unit = 11;
-- respondent-clustered standard error (doc/reference.md): with one item per respondent it is the item's std_error
WITH one AS (SELECT unit, respondent, 'II.B.1'::text AS item, score FROM sv_answers WHERE item = 'II.B.1'),
s AS (SELECT unit, sipas.survey_agg(item, score) AS s FROM one GROUP BY unit),
w AS (SELECT s.unit, w.* FROM s, sipas.item_weights(s.s) w),
z AS (SELECT o.unit, o.respondent, sum(w.weight / w.n * ((o.score >= 4)::int - w.index / 100)) AS z
      FROM one o JOIN w USING (unit, item) WHERE o.score IS NOT NULL GROUP BY o.unit, o.respondent),
se AS (SELECT unit, 100 * sqrt(count(*)::float8 / (count(*) - 1) * sum(z * z)) AS se FROM z GROUP BY unit)
SELECT count(*) FILTER (WHERE abs(se.se - sipas.std_error(sipas.item(s.s, 'II.B.1'))) < 1e-9) AS clustered_equals_item_se
FROM se JOIN s USING (unit);
-- inner intervals are conservative: never narrower than the weighted mean of the children's
SELECT bool_and(b.upper - b.lower >= 0) AS sane FROM summaries, sipas.breakdown(s, '2023', 'mean', 0.9) b;

-- merging: a district is the rollup of its units; equal to one pass over its answers
SELECT count(*) AS districts,
       count(*) FILTER (WHERE r.s = o.s) AS identical
FROM (SELECT district, sipas.rollup(s) AS s FROM summaries GROUP BY district) r
JOIN (SELECT district, sipas.survey_agg(item, score) AS s FROM sv_answers GROUP BY district) o USING (district);

-- geography: mean of unit indices (default) and pooled answers differ, both available
SELECT district, round(avg(sipas.overall(s))::numeric, 4) AS mean_of_units,
       round(sipas.overall(sipas.rollup(s))::numeric, 4) AS pooled
FROM summaries GROUP BY district ORDER BY district;

-- parallel and partitionwise plans give identical summaries
CREATE TABLE sv_part (LIKE sv_answers) PARTITION BY LIST (district);
CREATE TABLE sv_part_0 PARTITION OF sv_part FOR VALUES IN (0);
CREATE TABLE sv_part_1 PARTITION OF sv_part FOR VALUES IN (1);
CREATE TABLE sv_part_2 PARTITION OF sv_part FOR VALUES IN (2);
CREATE TABLE sv_part_3 PARTITION OF sv_part FOR VALUES IN (3);   -- empty
INSERT INTO sv_part SELECT * FROM sv_answers;
ANALYZE sv_part;
SET enable_partitionwise_aggregate = on;
EXPLAIN (COSTS OFF) SELECT sipas.survey_agg(item, score) FROM sv_part;
SELECT sipas.survey_agg(item, score) = (SELECT sipas.survey_agg(item, score) FROM sv_answers) AS partitionwise_equal,
       sipas.overall(sipas.survey_agg(item, score, weight)) - (SELECT sipas.overall(sipas.survey_agg(item, score, weight)) FROM sv_answers) AS weighted_difference
FROM sv_part;
RESET enable_partitionwise_aggregate;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT unit, sipas.survey_agg(item, score) FROM sv_answers GROUP BY unit;
SELECT count(*) FILTER (WHERE p.s = summaries.s) AS parallel_identical
FROM (SELECT unit, sipas.survey_agg(item, score) AS s FROM sv_answers GROUP BY unit) p JOIN summaries USING (unit);
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size; RESET max_parallel_workers_per_gather;

-- moving window over respondents equals recomputation
SELECT count(*) FILTER (WHERE m IS NOT DISTINCT FROM t) = count(*) AS moving_equal FROM (
  SELECT sipas.survey_agg(item, score) OVER w AS m,
         (SELECT sipas.survey_agg(b.item, b.score) FROM sv_answers b
          WHERE b.unit = 1 AND b.respondent BETWEEN a.respondent - 2 AND a.respondent) AS t
  FROM sv_answers a WHERE unit = 1
  WINDOW w AS (ORDER BY respondent RANGE BETWEEN 2 PRECEDING AND CURRENT ROW)) x;

-- size of a summary of 39 items: unweighted and weighted
SELECT pg_column_size(s) AS bytes_39_items, pg_column_size(ws) AS weighted_bytes FROM summaries WHERE unit = 1;

-- text form: JSON, exact round trip
SELECT count(*) FILTER (WHERE s::text::sipas.survey = s AND ws::text::sipas.survey = ws) AS round_trips FROM summaries;
SELECT '{"A.1":{"k":5,"n":[0,0,1,2,3]},"B":{"k":4,"n":[1,0,0,1]}}'::sipas.survey;
SELECT '{}'::sipas.survey AS empty_summary, sipas.n('{}'::sipas.survey);
SELECT (s::text::jsonb -> 'II.B.1' -> 'n') AS item_counts FROM summaries WHERE unit = 1;
SELECT * FROM sipas.items('{"A.1":{"k":5,"n":[0,0,1,2,3]},"B":{"k":4,"n":[1,0,0,1]}}');

-- a province's own questionnaire: weights per node, kept in the catalogue
INSERT INTO sipas.questionnaire (code, name_vi) VALUES ('tinh-X', 'Bộ câu hỏi riêng của tỉnh X');
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale, weight) VALUES
  ('tinh-X', 'ALL', NULL, 'overall', 0, 'Tổng hợp', NULL, 1),
  ('tinh-X', 'P', 'ALL', 'group', 1, 'Thủ tục', NULL, 2),
  ('tinh-X', 'C', 'ALL', 'group', 2, 'Công chức', NULL, 1),
  ('tinh-X', 'II.B.1', 'P', 'item', 1, 'Niêm yết', 5, 1),
  ('tinh-X', 'II.B.2', 'P', 'item', 2, 'Hồ sơ', 5, 1),
  ('tinh-X', 'II.C.1', 'C', 'item', 1, 'Lịch sự', 5, 1);
SELECT unit, round(sipas.overall(s, 'tinh-X', 'weighted')::numeric, 6) AS weighted_rule,
       round((SELECT sum(weight * index) FROM sipas.item_weights(s, 'tinh-X', 'weighted'))::numeric, 6) AS from_item_weights,
       round(((2 * (sipas.satisfaction_index(sipas.item(s, 'II.B.1')) + sipas.satisfaction_index(sipas.item(s, 'II.B.2'))) / 2
              + sipas.satisfaction_index(sipas.item(s, 'II.C.1'))) / 3)::numeric, 6) AS by_hand
FROM (SELECT unit, sipas.survey_agg(item, score) AS s FROM sv_answers WHERE item IN ('II.B.1', 'II.B.2', 'II.C.1') GROUP BY unit) x
ORDER BY unit LIMIT 3;

-- 2017 questionnaire
SELECT round(sipas.overall(s, '2017')::numeric, 4) AS overall_2017, sipas.node_n(s, 'E3', '2017') AS n_e3
FROM (SELECT sipas.survey_agg('E' || (1 + g % 5) || '.' || (1 + g % 3), 1 + (g * 7) % 5) AS s FROM generate_series(1, 1000) g) x;

-- bad input
SELECT sipas.survey_agg(i, s) FROM (VALUES ('II.A.1', 6)) v(i, s);
SELECT sipas.survey_agg(i, s) FROM (VALUES (NULL, 4)) v(i, s);
SELECT sipas.survey_agg(i, s) FROM (VALUES ('II A 1', 4)) v(i, s);
SELECT sipas.survey_agg(i, s, 1, k) FROM (VALUES ('Q1', 4, 5), ('Q1', 3, 4)) v(i, s, k);
SELECT sipas.overall(sipas.survey_agg(i, s)) FROM (VALUES ('Q1', 4)) v(i, s);
SELECT sipas.overall(sipas.survey_agg(i, s, 1, 4)) FROM (VALUES ('II.A.1', 4)) v(i, s);
SELECT sipas.overall(sipas.survey_agg(i, s), '2099') FROM (VALUES ('II.A.1', 4)) v(i, s);
SELECT sipas.overall(sipas.survey_agg(i, s), '2023', 'median') FROM (VALUES ('II.A.1', 4)) v(i, s);
SELECT sipas.node_index(sipas.survey_agg(i, s), 'II.Z') FROM (VALUES ('II.A.1', 4)) v(i, s);
SELECT * FROM sipas.breakdown('{}', '2023', 'mean', 1.5);
SELECT '{"B":{"k":5,"n":[0,0,1,2,3]},"A":{"k":5,"n":[1,1,1,1,1]}}'::sipas.survey;
SELECT '{"A":{"k":5,"n":[0,0,1,2,3]},"A":{"k":5,"n":[1,1,1,1,1]}}'::sipas.survey;
SELECT '{"A":{"k":5,"n":[0,0,1,2,-3]}}'::sipas.survey;
SELECT '{"A":{"k":5,"n":[0,0,1,2,3]}'::sipas.survey;
SELECT '{"A\"":{"k":5,"n":[0,0,1,2,3]}}'::sipas.survey;
-- catalogue integrity: constraints on each row, the tree checked when read
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi) VALUES ('2023', 'X.2', 'II', 'item', 1, 'no scale');
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi) VALUES ('2023', 'X.3', NULL, 'group', 1, 'a second root');
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi) VALUES ('2023', 'X.4', NULL, 'overall', 1, 'a second overall');
INSERT INTO sipas.questionnaire (code, name_vi) VALUES ('broken', 'hỏng');
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale) VALUES
  ('broken', 'ALL', NULL, 'overall', 0, 'x', NULL), ('broken', 'Q1', 'NOPE', 'item', 1, 'x', 5);
SELECT sipas.overall('{"Q1":{"k":5,"n":[0,0,0,1,1]}}', 'broken');
UPDATE sipas.node SET parent = 'ALL' WHERE questionnaire = 'broken' AND code = 'Q1';
SELECT sipas.overall('{"Q1":{"k":5,"n":[0,0,0,1,1]}}', 'broken') AS repaired;
DROP TABLE sv_part, sv_answers;
