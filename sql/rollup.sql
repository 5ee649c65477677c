-- Rollups (extension/1.2/80_rollup.sql, doc/rollups.md): survey_subtract, and a
-- rollup's views equal to a fresh survey_agg over the committed rows after every
-- kind of change.  tests/rollup covers concurrency, faults, rights and names.
SET search_path = public, sipas;   -- for the = operator on sipas.survey

-- ---- sipas_internal.survey_subtract ----
SELECT setseed(0.7);
CREATE TABLE rq_rows AS
SELECT g AS id, (ARRAY['I.A.1', 'I.A.2', 'I.B.1', 'II.1'])[1 + g % 4] AS item,
       CASE WHEN g % 11 = 0 THEN NULL ELSE 1 + floor(random() * 5)::int END AS score,
       1 + g % 3 AS w
FROM generate_series(1, 400) g;
-- counts: (all) - (even) = (odd), byte for byte
SELECT s.exact, s.result = (SELECT sipas.survey_agg(item, score) FROM rq_rows WHERE id % 2 = 1) AS equal
FROM (SELECT sipas.survey_agg(item, score) AS a,
             sipas.survey_agg(item, score) FILTER (WHERE id % 2 = 0) AS b FROM rq_rows) x,
     sipas_internal.survey_subtract(x.a, x.b) s;
-- an item that leaves entirely is not in the result
SELECT s.exact, s.result = (SELECT sipas.survey_agg(item, score) FROM rq_rows WHERE item <> 'II.1') AS equal
FROM (SELECT sipas.survey_agg(item, score) AS a,
             sipas.survey_agg(item, score) FILTER (WHERE item = 'II.1') AS b FROM rq_rows) x,
     sipas_internal.survey_subtract(x.a, x.b) s;
-- NULL is the summary of no rows
SELECT exact, result IS NULL AS null_result FROM sipas_internal.survey_subtract(NULL, NULL);
SELECT exact, result IS NOT NULL AS kept FROM sipas_internal.survey_subtract((SELECT sipas.survey_agg(item, score) FROM rq_rows), NULL);
SELECT exact, result IS NULL AS null_result FROM sipas_internal.survey_subtract(NULL, (SELECT sipas.survey_agg(item, score) FROM rq_rows));
-- a - a: no rows left
SELECT exact, result IS NULL AS null_result
FROM (SELECT sipas.survey_agg(item, score) AS a FROM rq_rows) x, sipas_internal.survey_subtract(x.a, x.a);
-- not a part of a: more answers than a has, an item a does not have
SELECT exact FROM sipas_internal.survey_subtract((SELECT sipas.survey_agg(item, score) FROM rq_rows WHERE id <= 10),
                                                 (SELECT sipas.survey_agg(item, score) FROM rq_rows WHERE id <= 20));
SELECT exact FROM sipas_internal.survey_subtract((SELECT sipas.survey_agg(item, score) FROM rq_rows WHERE item <> 'II.1'),
                                                 (SELECT sipas.survey_agg(item, score) FROM rq_rows WHERE item = 'II.1'));
-- weight sums are rounded: removing weighted answers is never claimed exact ...
SELECT exact, result IS NULL AS null_result
FROM (SELECT sipas.survey_agg(item, score, w::float8) AS a,
             sipas.survey_agg(item, score, w::float8) FILTER (WHERE id % 3 = 0) AS b FROM rq_rows) x,
     sipas_internal.survey_subtract(x.a, x.b);
-- ... unless a level's answers all leave (its sums are 0 then)
SELECT s.exact, s.result = (SELECT sipas.survey_agg(item, score, w::float8) FROM rq_rows WHERE item <> 'II.1') AS equal
FROM (SELECT sipas.survey_agg(item, score, w::float8) AS a,
             sipas.survey_agg(item, score, w::float8) FILTER (WHERE item = 'II.1') AS b FROM rq_rows) x,
     sipas_internal.survey_subtract(x.a, x.b) s;

-- forms: counts and pair moments subtract exactly
CREATE TABLE rq_forms AS
SELECT r.id / 4 AS respondent, sipas.form_agg(r.item, r.score) AS f
FROM rq_rows r GROUP BY 1;
SELECT s.exact, s.result = (SELECT sipas.survey_agg(f) FROM rq_forms WHERE respondent % 3 <> 0) AS equal
FROM (SELECT sipas.survey_agg(f) AS a, sipas.survey_agg(f) FILTER (WHERE respondent % 3 = 0) AS b FROM rq_forms) x,
     sipas_internal.survey_subtract(x.a, x.b) s;
-- a forms section on one side only
SELECT exact FROM sipas_internal.survey_subtract((SELECT sipas.survey_agg(f) FROM rq_forms),
                                                 (SELECT sipas.survey_agg(item, score) FROM rq_rows WHERE id = 1));

-- ---- a rollup of answers ----
CREATE TABLE rq_answers (
	id bigserial PRIMARY KEY, unit text NOT NULL, item text NOT NULL, score smallint,
	answered_on date NOT NULL, w double precision NOT NULL DEFAULT 1);
INSERT INTO rq_answers (unit, item, score, answered_on, w)
SELECT 'U' || (g % 3), (ARRAY['I.A.1', 'I.A.2', 'I.B.1', 'II.1'])[1 + g % 4],
       CASE WHEN g % 13 = 0 THEN NULL ELSE 1 + (g * 7) % 5 END,
       date '2024-01-01' + (g % 90), 1 + g % 4
FROM generate_series(1, 2000) g;
SELECT sipas.rollup_create('rq_month', 'rq_answers', ARRAY['unit'], bucket_column => 'answered_on');
-- the check: rows of the view that a fresh summary of the committed rows does not have, and back
CREATE FUNCTION rq_diff(v text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
	EXECUTE format($q$SELECT count(*) FROM (
		(SELECT unit, month, rows, summary FROM %1$s
		 EXCEPT ALL
		 SELECT unit, date_trunc('month', answered_on)::date, count(*), sipas.survey_agg(item, score) FROM rq_answers GROUP BY 1, 2)
		UNION ALL
		(SELECT unit, date_trunc('month', answered_on)::date, count(*), sipas.survey_agg(item, score) FROM rq_answers GROUP BY 1, 2
		 EXCEPT ALL
		 SELECT unit, month, rows, summary FROM %1$s)) x$q$, v) INTO n;
	RETURN n;
END $$;
SELECT rq_diff('rq_month') AS after_create, rq_diff('rq_month_refreshed') AS refreshed;
INSERT INTO rq_answers (unit, item, score, answered_on) VALUES ('U1', 'I.A.1', 5, '2024-02-03'), ('U7', 'II.1', 2, '2023-05-03');
UPDATE rq_answers SET unit = 'U2' WHERE id % 17 = 0;                       -- move to another unit
UPDATE rq_answers SET answered_on = answered_on - 40 WHERE id % 19 = 0;     -- and to another period
UPDATE rq_answers SET score = 6 - score WHERE id % 23 = 0;
UPDATE rq_answers SET w = w WHERE id % 29 = 0;                             -- changes nothing summarised
DELETE FROM rq_answers WHERE id % 31 = 0;
COPY rq_answers (unit, item, score, answered_on) FROM stdin;
U0	I.A.2	4	2024-03-09
U0	I.A.2	\N	2024-03-09
U5	I.B.1	1	2024-01-31
\.
SELECT rq_diff('rq_month') AS exact_before_refresh, rq_diff('rq_month_refreshed') > 0 AS refreshed_is_older;
SELECT pending_deltas > 0 AS pending, failing FROM sipas.rollup_status WHERE rollup = 'rq_month'::regclass;
CALL sipas.rollup_refresh('rq_month');
SELECT rq_diff('rq_month') AS exact, rq_diff('rq_month_refreshed') AS refreshed;
SELECT pending_deltas, refreshes, last_recomputed, failing FROM sipas.rollup_status WHERE rollup = 'rq_month'::regclass;
-- a unit whose rows all leave disappears
DELETE FROM rq_answers WHERE unit = 'U7';
SELECT count(*) AS u7 FROM rq_month WHERE unit = 'U7';
SELECT sipas.rollup_fold('rq_month') > 0 AS folded;
SELECT count(*) AS u7 FROM rq_month_base WHERE unit = 'U7';
-- TRUNCATE, then new rows
TRUNCATE rq_answers;
SELECT count(*) AS after_truncate FROM rq_month;
INSERT INTO rq_answers (unit, item, score, answered_on) VALUES ('U1', 'I.A.1', 4, '2024-02-03');
SELECT rq_diff('rq_month') AS exact_after_truncate;
CALL sipas.rollup_refresh('rq_month');
SELECT rq_diff('rq_month') AS exact, rq_diff('rq_month_refreshed') AS refreshed;
-- rebuild
INSERT INTO rq_answers (unit, item, score, answered_on)
SELECT 'U' || (g % 4), 'I.A.' || (1 + g % 2), 1 + g % 5, date '2024-01-01' + g % 60 FROM generate_series(1, 500) g;
SELECT sipas.rollup_rebuild('rq_month') AS keys;
SELECT rq_diff('rq_month') AS exact, rq_diff('rq_month_refreshed') AS refreshed;
-- BI view: published-values rank and change
SELECT sipas.rollup_bi('rq_month', 'unit', 'month');
SELECT unit, month, rows, n, round(index::numeric, 2) AS index, rank, rank_change, round(points_change::numeric, 2) AS points_change
FROM rq_month_bi ORDER BY month, unit;
\set VERBOSITY terse
SELECT sipas.rollup_schedule('rq_month');   -- no pg_cron here
\set VERBOSITY default

-- ---- weighted: corrections recompute the keys they touch ----
CREATE TABLE rq_weighted (id int PRIMARY KEY, unit text NOT NULL, item text NOT NULL, score int, w double precision NOT NULL);
INSERT INTO rq_weighted SELECT g, 'W' || (g % 2), 'I.A.' || (1 + g % 2), 1 + g % 5, 0.5 + (g % 7) FROM generate_series(1, 300) g;
SELECT sipas.rollup_create('rq_w', 'rq_weighted', ARRAY['unit'], weight => 'w');
UPDATE rq_weighted SET w = w * 3 WHERE id % 5 = 0;
DELETE FROM rq_weighted WHERE id % 7 = 0;
SELECT count(*) AS differ FROM rq_w r
FULL JOIN (SELECT unit, count(*) AS rows, sipas.survey_agg(item, score, w) AS summary FROM rq_weighted GROUP BY 1) f USING (unit)
WHERE r.rows IS DISTINCT FROM f.rows OR r.summary IS DISTINCT FROM f.summary;
CALL sipas.rollup_refresh('rq_w');
SELECT last_recomputed FROM sipas.rollup_status WHERE rollup = 'rq_w'::regclass;
SELECT count(*) AS differ FROM rq_w_refreshed r
FULL JOIN (SELECT unit, count(*) AS rows, sipas.survey_agg(item, score, w) AS summary FROM rq_weighted GROUP BY 1) f USING (unit)
WHERE r.rows IS DISTINCT FROM f.rows OR r.summary IS DISTINCT FROM f.summary;

-- ---- forms ----
CREATE TABLE rq_formtab (id int PRIMARY KEY, unit text NOT NULL, f sipas.form NOT NULL);
INSERT INTO rq_formtab SELECT respondent, 'F' || (respondent % 3), f FROM rq_forms;
SELECT sipas.rollup_create('rq_f', 'rq_formtab', ARRAY['unit'], kind => 'forms', form => 'f');
UPDATE rq_formtab SET unit = 'F0' WHERE id % 4 = 0;
DELETE FROM rq_formtab WHERE id % 9 = 0;
SELECT count(*) AS differ FROM rq_f r
FULL JOIN (SELECT unit, count(*) AS rows, sipas.survey_agg(f) AS summary FROM rq_formtab GROUP BY 1) x USING (unit)
WHERE r.rows IS DISTINCT FROM x.rows OR r.summary IS DISTINCT FROM x.summary;
CALL sipas.rollup_refresh('rq_f');
SELECT last_recomputed FROM sipas.rollup_status WHERE rollup = 'rq_f'::regclass;
SELECT count(*) AS differ FROM rq_f_refreshed r
FULL JOIN (SELECT unit, count(*) AS rows, sipas.survey_agg(f) AS summary FROM rq_formtab GROUP BY 1) x USING (unit)
WHERE r.rows IS DISTINCT FROM x.rows OR r.summary IS DISTINCT FROM x.summary;

-- ---- refused ----
\set VERBOSITY terse
CREATE TABLE rq_parted (unit text NOT NULL, item text NOT NULL, score int) PARTITION BY LIST (unit);
SELECT sipas.rollup_create('rq_p', 'rq_parted', ARRAY['unit']);
CREATE TABLE rq_parent (unit text NOT NULL, item text NOT NULL, score int);
CREATE TABLE rq_child () INHERITS (rq_parent);
SELECT sipas.rollup_create('rq_c', 'rq_child', ARRAY['unit']);
CREATE VIEW rq_view AS SELECT * FROM rq_answers;
SELECT sipas.rollup_create('rq_v', 'rq_view', ARRAY['unit']);
CREATE TABLE rq_nullable (unit text, item text NOT NULL, score int);
SELECT sipas.rollup_create('rq_n', 'rq_nullable', ARRAY['unit']);
SELECT sipas.rollup_create('rq_x', 'rq_answers', ARRAY['nope']);
SELECT sipas.rollup_create('rq_x', 'rq_answers', ARRAY['unit'], kind => 'rows');
SELECT sipas.rollup_create('rq_x', 'rq_answers', ARRAY['unit'], bucket_column => 'answered_on', bucket => 'hour');
SELECT sipas.rollup_create('rq_x', 'rq_answers', ARRAY['unit', 'unit']);
SELECT sipas.rollup_create('rq_x', 'rq_answers', ARRAY[]::text[]);
SELECT sipas.rollup_create('rq_x', 'rq_answers', ARRAY['id']);
SELECT sipas.rollup_create('rq_x', 'rq_answers', ARRAY['unit'], item => 'score');
SELECT sipas.rollup_fold('rq_answers');
SELECT sipas.rollup_bi('rq_month', 'unit', 'unit');
\set VERBOSITY default

-- ---- drop ----
SELECT sipas.rollup_drop('rq_month');
SELECT sipas.rollup_drop('rq_w');
SELECT sipas.rollup_drop('rq_f');
SELECT count(*) AS rollups FROM sipas.rollup_status;
SELECT count(*) AS triggers FROM pg_trigger WHERE tgrelid IN ('rq_answers'::regclass, 'rq_weighted'::regclass, 'rq_formtab'::regclass);
DROP TABLE rq_rows, rq_forms, rq_answers, rq_weighted, rq_formtab, rq_parted, rq_parent, rq_child, rq_nullable CASCADE;
DROP FUNCTION rq_diff(text);
