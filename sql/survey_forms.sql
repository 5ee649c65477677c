-- survey_agg(form [, weight]): summaries that know their respondents.  The
-- clustered standard error read off the summary against a per-form
-- computation in plain SQL; rollup, parallel plans, moving windows, I/O and
-- validation of the forms section.
SET search_path = public, sipas;
SELECT setseed(0.61);
CREATE TABLE fm_answers AS
SELECT unit, respondent, item,
       CASE WHEN random() < 0.05 THEN NULL
            ELSE least(5, 1 + floor(random() * 3 + (respondent % 4) * 0.6)::int) END AS score,
       round((0.4 + (respondent % 5) * 0.35)::numeric, 2)::float8 AS weight
FROM (SELECT u AS unit, r AS respondent, n.code AS item
      FROM generate_series(1, 6) u, generate_series(1, 14) r, sipas.node n
      WHERE n.questionnaire = '2023' AND n.kind = 'item'
      ORDER BY u, r, n.code) ordered;
-- unit 2 skipped part II; nobody in unit 3 answered I.C.5; I.A.1 is 100 % and I.B.1 0 % in unit 4
UPDATE fm_answers SET score = NULL WHERE unit = 2 AND respondent <= 5 AND item LIKE 'II.%';
UPDATE fm_answers SET score = NULL WHERE unit = 3 AND item = 'I.C.5';
UPDATE fm_answers SET score = 5 WHERE unit = 4 AND item = 'I.A.1';
UPDATE fm_answers SET score = 1 WHERE unit = 4 AND item = 'I.B.1';
-- respondent 14 of unit 5 left every answer blank: still a form (with no answers)
UPDATE fm_answers SET score = NULL WHERE unit = 5 AND respondent = 14;

CREATE TABLE fm_forms AS
SELECT unit, respondent, weight, coalesce(sipas.form_agg(item, score), '{}'::sipas.form) AS f
FROM fm_answers GROUP BY unit, respondent, weight;

CREATE TEMP TABLE fm_units AS
SELECT unit, sipas.survey_agg(f) AS s, sipas.survey_agg(f, weight) AS ws,
       (SELECT sipas.survey_agg(item, score) FROM fm_answers a WHERE a.unit = x.unit) AS rs
FROM fm_forms x GROUP BY unit;

-- respondents next to answers; row-built summaries do not know them
SELECT unit, sipas.respondents(s) AS forms, sipas.respondents(ws) AS wforms, sipas.n(s) AS answers,
       sipas.respondents(rs) AS from_rows
FROM fm_units ORDER BY unit;

-- the item histograms are those of the same answers as rows
SELECT unit, (SELECT array_agg(summary::text ORDER BY item) FROM sipas.items(s)) =
             (SELECT array_agg(summary::text ORDER BY item) FROM sipas.items(rs)) AS same_histograms
FROM fm_units ORDER BY unit;

-- stored sizes for the 39 items of questionnaire 2023 (uncompressed bytes)
SELECT unit, octet_length(sipas_internal.survey_send(s)) > 0 AS sendable,
       length(s::text) > length(rs::text) AS text_has_more
FROM fm_units WHERE unit = 1;
SELECT position('"@forms":{"n":14,' IN s::text) > 0 AS shows_forms,
       position('"w":' IN ws::text) > 0 AS shows_weights
FROM fm_units WHERE unit = 1;

-- The clustered standard error against plain SQL: z_i = sum_j c_j (s_ij - r_j a_ij) / A_j,
-- var = n/(n-1) sum_i w_i^2 z_i^2 over every form of the unit (also blank ones).
CREATE TEMP TABLE fm_contrasts (name text, items text[], coefs float8[]);
INSERT INTO fm_contrasts VALUES
  ('item', ARRAY['I.A.2'], ARRAY[1.0]),
  ('100 % item', ARRAY['I.A.1'], ARRAY[1.0]),
  ('group I.C', ARRAY['I.C.1','I.C.2','I.C.3','I.C.4','I.C.5','I.C.6'], ARRAY[1.0/6, 1.0/6, 1.0/6, 1.0/6, 1.0/6, 1.0/6]),
  ('groups A and B', ARRAY['I.A.1','I.A.2','I.B.1','I.B.2'], ARRAY[0.25, 0.25, 0.25, 0.25]),
  ('difference', ARRAY['II.A.1','I.A.2'], ARRAY[1.0, -1.0]);
-- the mean of the two parts, each the mean of its items
INSERT INTO fm_contrasts
SELECT 'mean of parts', array_agg(code ORDER BY code),
       array_agg(CASE WHEN code LIKE 'II.%' THEN 0.5 / 16 ELSE 0.5 / 23 END ORDER BY code)
FROM sipas.node WHERE questionnaire = '2023' AND kind = 'item';

CREATE TEMP TABLE fm_plain AS
WITH c AS (SELECT name, item, coef FROM fm_contrasts, unnest(items, coefs) AS u(item, coef)),
ua AS (SELECT x.unit, c.name, a.respondent, a.weight AS w, c.item, c.coef, a.score
       FROM fm_units x CROSS JOIN c
       JOIN fm_answers a ON a.unit = x.unit AND a.item = c.item),
tot AS (SELECT unit, name, item, coef, sum(w) FILTER (WHERE score >= 4) AS sw, sum(w) FILTER (WHERE score IS NOT NULL) AS aw,
               count(*) FILTER (WHERE score >= 4) AS sn, count(score) AS an
        FROM ua GROUP BY unit, name, item, coef),
z AS (SELECT ua.unit, ua.name, ua.respondent, ua.w,
             sum(CASE WHEN ua.score IS NULL THEN 0
                 ELSE ua.coef * ((ua.score >= 4)::int - t.sn::float8 / t.an) / t.an END) AS z,
             sum(CASE WHEN ua.score IS NULL THEN 0
                 ELSE ua.coef * ((ua.score >= 4)::int - t.sw / t.aw) / t.aw END) AS wz
      FROM ua JOIN tot t USING (unit, name, item, coef) GROUP BY ua.unit, ua.name, ua.respondent, ua.w),
nf AS (SELECT unit, count(*) AS n FROM fm_forms GROUP BY unit)
SELECT z.unit, z.name, 100 * sqrt(nf.n / (nf.n - 1.0) * sum(z.z ^ 2)) AS se,
       100 * sqrt(nf.n / (nf.n - 1.0) * sum(z.w ^ 2 * z.wz ^ 2)) AS wse,
       bool_and(t.an) AS answered
FROM z JOIN nf USING (unit) JOIN (SELECT unit, name, bool_and(an > 0) AS an FROM tot GROUP BY unit, name) t USING (unit, name)
GROUP BY z.unit, z.name, nf.n;

SELECT p.unit, p.name,
       round(sipas.contrast_std_error(x.s, c.items, c.coefs)::numeric, 6) AS se,
       abs(sipas.contrast_std_error(x.s, c.items, c.coefs) - p.se) < 1e-9 AS se_ok,
       abs(sipas.contrast_std_error(x.ws, c.items, c.coefs) - p.wse) < 1e-9 AS wse_ok
FROM fm_plain p JOIN fm_units x USING (unit) JOIN fm_contrasts c USING (name)
WHERE p.answered
ORDER BY p.unit, p.name;

-- an item nobody answered has no index: no figure
SELECT sipas.contrast_std_error(s, ARRAY['I.C.5'], ARRAY[1.0]) IS NULL AS unanswered_null
FROM fm_units WHERE unit = 3;
-- a single form: no variance
SELECT sipas.contrast_std_error(sipas.survey_agg(f), ARRAY['I.A.2'], ARRAY[1.0]) IS NULL AS one_form_null
FROM fm_forms WHERE unit = 1 AND respondent = 1;

-- the comprehensive index: share of answering forms satisfied with every answer
-- (on the forms of group I.C, so that some are)
SELECT x.unit, round(sipas.comprehensive_index(x.s)::numeric, 6) AS idx,
       abs(sipas.comprehensive_index(x.s) - 100.0 * p.all_sat / p.answering) < 1e-9 AS idx_ok,
       abs(sipas.comprehensive_std_error(x.s) -
           100 * sqrt(p.n / (p.n - 1.0) * (p.answering - p.all_sat)::float8 * p.all_sat / p.answering ^ 3)) < 1e-9 AS se_ok
FROM (SELECT unit, sipas.survey_agg(coalesce(f, '{}')) AS s
      FROM (SELECT unit, respondent, sipas.form_agg(item, score) AS f FROM fm_answers
            WHERE item IN ('I.C.1', 'I.C.2', 'I.C.3') GROUP BY unit, respondent) g GROUP BY unit) x JOIN (
  SELECT unit, count(*) AS n, count(*) FILTER (WHERE na > 0) AS answering,
         count(*) FILTER (WHERE na > 0 AND ns = na) AS all_sat
  FROM (SELECT unit, respondent, count(score) AS na, count(*) FILTER (WHERE score >= 4) AS ns
        FROM fm_answers WHERE item IN ('I.C.1', 'I.C.2', 'I.C.3') GROUP BY unit, respondent) f GROUP BY unit) p USING (unit)
ORDER BY unit;

-- rollup of units = one pass over all forms (bit for bit), weighted within rounding
SELECT (SELECT sipas.rollup(s) FROM fm_units) OPERATOR(sipas.=) (SELECT sipas.survey_agg(f) FROM fm_forms) AS rollup_exact,
       abs(sipas.contrast_std_error((SELECT sipas.rollup(ws) FROM fm_units), ARRAY['I.A.2','II.A.1'], ARRAY[0.5, 0.5]) -
           sipas.contrast_std_error((SELECT sipas.survey_agg(f, weight) FROM fm_forms), ARRAY['I.A.2','II.A.1'], ARRAY[0.5, 0.5])) < 1e-12
         AS rollup_weighted;
-- forms with summaries from rows: histograms merge, the forms section is dropped (documented)
SELECT sipas.respondents(sipas.rollup(v)) IS NULL AS mixed_has_no_forms, sipas.n(sipas.rollup(v)) = 2 * sipas.n(min_s) AS all_answers
FROM (SELECT s AS v FROM fm_units WHERE unit = 1 UNION ALL SELECT rs FROM fm_units WHERE unit = 1) m,
     (SELECT s AS min_s FROM fm_units WHERE unit = 1) one
GROUP BY min_s;
-- weights of 1 are no weights
SELECT sipas.survey_agg(f, 1.0) OPERATOR(sipas.=) sipas.survey_agg(f) AS weight_one_canonical FROM fm_forms;

-- NULL forms are no forms; a form with no answers is a respondent
SELECT sipas.respondents(sipas.survey_agg(f)) AS forms FROM fm_forms WHERE unit = 5;
SELECT sipas.respondents(sipas.survey_agg(CASE WHEN respondent > 10 THEN f END)) AS forms FROM fm_forms WHERE unit = 5;
SELECT sipas.survey_agg(NULL::sipas.form) IS NULL AS all_null;
SELECT sipas.survey_agg(f)::text AS only_blank FROM fm_forms WHERE unit = 5 AND respondent = 14;
SELECT sipas.respondents(sipas.survey_agg(f, NULL)) FROM fm_forms WHERE f IS NULL;

-- text and binary I/O keep every byte
SELECT bool_and(s::text::sipas.survey OPERATOR(sipas.=) s) AS text_rt, bool_and(ws::text::sipas.survey OPERATOR(sipas.=) ws) AS wtext_rt
FROM fm_units;

-- parallel = serial
CREATE TABLE fm_many AS SELECT g % 25 AS grp, weight, f FROM fm_forms, generate_series(1, 40) g;
ANALYZE fm_many;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
CREATE TEMP TABLE fm_par AS SELECT sipas.survey_agg(f)::text AS t, sipas.survey_agg(f, weight)::text AS tw FROM fm_many;
RESET max_parallel_workers_per_gather;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE fm_ser AS SELECT sipas.survey_agg(f)::text AS t, sipas.survey_agg(f, weight)::text AS tw FROM fm_many;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
SELECT p.t = s.t AS parallel_same, p.tw = s.tw AS parallel_weighted_same FROM fm_par p, fm_ser s;

-- moving windows give the summary of the frame, unweighted (inverse) and weighted (recomputed)
SELECT bool_and(a OPERATOR(sipas.=) b) AS window_same, bool_and(wa OPERATOR(sipas.=) wb) AS wwindow_same FROM (
  SELECT sipas.survey_agg(f) OVER w AS a, sipas.survey_agg(f, weight) OVER w AS wa,
         (SELECT sipas.survey_agg(g.f) FROM fm_forms g WHERE g.unit = x.unit AND g.respondent BETWEEN x.respondent - 3 AND x.respondent) AS b,
         (SELECT sipas.survey_agg(g.f, g.weight) FROM fm_forms g WHERE g.unit = x.unit AND g.respondent BETWEEN x.respondent - 3 AND x.respondent) AS wb
  FROM fm_forms x WINDOW w AS (PARTITION BY unit ORDER BY respondent ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)) y;
SELECT bool_and(a OPERATOR(sipas.=) b) AS rollup_window_same FROM (
  SELECT sipas.rollup(s) OVER (ORDER BY unit ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS a,
         (SELECT sipas.rollup(s) FROM fm_units v WHERE v.unit BETWEEN u.unit - 1 AND u.unit) AS b
  FROM fm_units u) y;

-- errors: weights, corrupt forms sections
SELECT sipas.survey_agg(f, NULL) FROM fm_forms;
SELECT sipas.survey_agg(f, -1) FROM fm_forms;
SELECT sipas.survey_agg(f, 'NaN') FROM fm_forms;
SELECT '{"a":{"k":2,"n":[1,1]},"b":{"k":2,"n":[1,1]},"@forms":{"n":2,"answering":2,"all_sat":1,"aa":[2],"sa":[1],"as":[1],"ss":[1]}}'::sipas.survey;
SELECT sipas.respondents('{"a":{"k":2,"n":[1,1]},"b":{"k":2,"n":[1,1]},"@forms":{"n":2,"answering":2,"all_sat":1,"aa":[2],"sa":[1],"as":[1],"ss":[1]}}');
-- more satisfied pairs than satisfied answers
SELECT '{"a":{"k":2,"n":[1,1]},"b":{"k":2,"n":[1,1]},"@forms":{"n":2,"answering":2,"all_sat":1,"aa":[2],"sa":[1],"as":[1],"ss":[2]}}'::sipas.survey;
-- more answering forms than forms; a moment count that does not fit the items
SELECT '{"a":{"k":2,"n":[1,1]},"@forms":{"n":1,"answering":2,"all_sat":0,"aa":[],"sa":[],"as":[],"ss":[]}}'::sipas.survey;
SELECT '{"a":{"k":2,"n":[1,1]},"b":{"k":2,"n":[1,1]},"@forms":{"n":2,"answering":2,"all_sat":1,"aa":[2,2],"sa":[1],"as":[1],"ss":[1]}}'::sipas.survey;
-- an unweighted forms section cannot hold weighted items
SELECT '{"a":{"k":2,"n":[1,1],"w":[2,2],"w2":[4,4]},"@forms":{"n":2,"answering":2,"all_sat":1,"aa":[],"sa":[],"as":[],"ss":[]}}'::sipas.survey;
-- contrast_std_error needs forms, one coefficient per item
SELECT sipas.contrast_std_error(rs, ARRAY['I.A.2'], ARRAY[1.0]) FROM fm_units WHERE unit = 1;
SELECT sipas.contrast_std_error(s, ARRAY['I.A.2', 'I.A.3'], ARRAY[1.0]) FROM fm_units WHERE unit = 1;

-- issue 15, F13: argument checks whatever the score, like likert_agg
SELECT sipas.survey_agg('a', NULL::int, 1, 99);
SELECT sipas.likert_agg(NULL::int, 1, 99);
-- issue 15, F5: an item whose answers all left the frame forgets its scale
SELECT row_number() OVER () AS r, sipas.n(s) FROM (
  SELECT sipas.survey_agg(item, score, 1.0, k) OVER (ORDER BY o ROWS BETWEEN CURRENT ROW AND CURRENT ROW) AS s
  FROM (VALUES (1, 'x', 4, 5), (2, 'x', 2, 3), (3, 'x', 3, 3)) v(o, item, score, k)) y;
-- text input over the item limit is a program limit, as in the aggregates (54000)
DO $$
BEGIN
  PERFORM ('{' || string_agg(format('"i%s":{"k":2,"n":[1,1]}', lpad(g::text, 5, '0')), ',') || '}')::sipas.survey
  FROM generate_series(1, 1001) g;
EXCEPTION WHEN program_limit_exceeded THEN
  RAISE NOTICE 'text input: %', SQLERRM;
END $$;

DROP TABLE fm_many;
DROP TABLE fm_forms;
DROP TABLE fm_answers;
