-- The C trigger of rollups (sipas_internal.rollup_trigger, src/pg/rollup_trigger.c): each
-- INSERT (COPY) or DELETE statement writes one delta row per key whose rows and summary
-- are byte for byte those of count(*) and survey_agg over the statement's rows grouped
-- by the key; a bad row fails the statement as a whole, with the row named.
SET client_min_messages = warning;
SET TIME ZONE 'UTC';
SET search_path = public, sipas;   -- for the = operator on sipas.survey

-- deltas since a mark, against survey_agg over the rows of one batch (= is bytewise)
CREATE FUNCTION rt_mark(d regclass) RETURNS bigint LANGUAGE plpgsql AS
$$ DECLARE n bigint; BEGIN EXECUTE format('SELECT COALESCE(max(id), 0) FROM %s', d) INTO n; RETURN n; END $$;

-- ---- answers: text key, month of a date, smallint score, unweighted ----
CREATE TABLE rt_a (id int GENERATED ALWAYS AS IDENTITY, batch int NOT NULL, unit text NOT NULL,
                   item text, score smallint, answered_on date NOT NULL);
INSERT INTO rt_a (batch, unit, item, score, answered_on)
SELECT 0, 'U' || (g % 3), 'I.A.' || (1 + g % 4), 1 + g % 5, DATE '2024-01-01' + g FROM generate_series(1, 60) g;
SELECT sipas.rollup_create('rt_am', 'rt_a', ARRAY['unit'], bucket_column => 'answered_on', bucket => 'month');
SELECT tgname, tgfoid::regproc, tgnargs FROM pg_trigger WHERE tgrelid = 'rt_a'::regclass ORDER BY 1;
SELECT rt_mark('rt_am_delta') AS m0 \gset
-- one statement, 300 keys (the grouping's table grows), NULL scores counted as rows
INSERT INTO rt_a (batch, unit, item, score, answered_on)
SELECT 1, 'U' || (g % 25), 'I.A.' || (1 + g % 4), CASE WHEN g % 11 = 0 THEN NULL ELSE 1 + g % 5 END,
       DATE '2023-01-01' + (g % 365) FROM generate_series(1, 3000) g;
SELECT count(*) AS deltas,
       count(*) FILTER (WHERE d.rows IS DISTINCT FROM s.rows OR d.plus IS DISTINCT FROM s.plus OR d.minus IS NOT NULL) AS differ
FROM (SELECT * FROM rt_am_delta WHERE id > :m0) d
FULL JOIN (SELECT unit, date_trunc('month', answered_on::timestamp)::date AS month, count(*) AS rows,
                  sipas.survey_agg(item, score) AS plus
           FROM rt_a WHERE batch = 1 GROUP BY 1, 2) s USING (unit, month);
-- a key whose rows have no score: a delta with rows and no summary, as survey_agg gives
INSERT INTO rt_a (batch, unit, item, score, answered_on) VALUES (2, 'Z', 'I.A.1', NULL, '2024-05-05');
SELECT unit, month, rows, plus IS NULL AS no_summary FROM rt_am_delta WHERE unit = 'Z';
-- DELETE: rows negative, the summary of the deleted rows in minus
SELECT rt_mark('rt_am_delta') AS m1 \gset
DELETE FROM rt_a WHERE batch = 1 AND id % 3 = 0;
SELECT count(*) AS deltas, bool_and(d.rows < 0) AS negative,
       count(*) FILTER (WHERE d.minus IS DISTINCT FROM s.minus OR -d.rows <> s.n OR d.plus IS NOT NULL) AS differ
FROM (SELECT * FROM rt_am_delta WHERE id > :m1) d
FULL JOIN (SELECT unit, date_trunc('month', answered_on::timestamp)::date AS month, count(*) AS n,
                  sipas.survey_agg(item, score) AS minus
           FROM (SELECT g, 'U' || (g % 25) AS unit, 'I.A.' || (1 + g % 4) AS item,
                        CASE WHEN g % 11 = 0 THEN NULL ELSE 1 + g % 5 END::smallint AS score,
                        DATE '2023-01-01' + (g % 365) AS answered_on
                 FROM generate_series(1, 3000) g) x
           WHERE (60 + g) % 3 = 0 GROUP BY 1, 2) s USING (unit, month);
-- the exact view still equals survey_agg over the rows
SELECT count(*) AS differ FROM rt_am r
FULL JOIN (SELECT unit, date_trunc('month', answered_on::timestamp)::date AS month, count(*) AS rows,
                  sipas.survey_agg(item, score) AS summary FROM rt_a GROUP BY 1, 2) s USING (unit, month)
WHERE r.rows IS DISTINCT FROM s.rows OR r.summary IS DISTINCT FROM s.summary;

-- ---- errors: the statement fails as a whole, the row is named ----
\set VERBOSITY default
SELECT rt_mark('rt_am_delta') AS m2 \gset
SELECT count(*) AS rows_before FROM rt_a;
INSERT INTO rt_a (batch, unit, item, score, answered_on)
VALUES (3, 'U1', 'I.A.1', 4, '2024-01-02'), (3, 'U1', 'I.A.2', 9, '2024-01-03');
INSERT INTO rt_a (batch, unit, item, score, answered_on) VALUES (3, 'U1', NULL, 2, '2024-01-02');
INSERT INTO rt_a (batch, unit, item, score, answered_on) VALUES (3, 'U1', repeat('x', 40), 2, '2024-01-02');
-- a key column whose NOT NULL was dropped after the rollup was created
ALTER TABLE rt_a ALTER COLUMN unit DROP NOT NULL;
INSERT INTO rt_a (batch, unit, item, score, answered_on) VALUES (3, 'U2', 'I.A.1', 2, '2024-01-02'), (3, NULL, 'I.A.1', 2, '2024-01-02');
ALTER TABLE rt_a ALTER COLUMN unit SET NOT NULL;
\set VERBOSITY terse
SELECT count(*) AS rows_after FROM rt_a;
SELECT count(*) AS new_deltas FROM rt_am_delta WHERE id > :m2;
-- the trigger function is a trigger's only
SELECT sipas_internal.rollup_trigger();

-- ---- dropped and created again with other keys in the same session: nothing stale ----
SELECT sipas.rollup_drop('rt_am');
SELECT sipas.rollup_create('rt_am', 'rt_a', ARRAY['batch'], bucket_column => 'answered_on', bucket => 'year');
SELECT rt_mark('rt_am_delta') AS m3 \gset
INSERT INTO rt_a (batch, unit, item, score, answered_on)
SELECT 4, 'U' || (g % 7), 'I.B.' || (1 + g % 3), 1 + g % 5, DATE '2022-06-01' + g FROM generate_series(1, 400) g;
SELECT count(*) AS deltas,
       count(*) FILTER (WHERE d.rows IS DISTINCT FROM s.rows OR d.plus IS DISTINCT FROM s.plus) AS differ
FROM (SELECT * FROM rt_am_delta WHERE id > :m3) d
FULL JOIN (SELECT batch, date_trunc('year', answered_on::timestamp)::date AS year, count(*) AS rows,
                  sipas.survey_agg(item, score) AS plus
           FROM rt_a WHERE batch = 4 GROUP BY 1, 2) s USING (batch, year);
SELECT sipas.rollup_drop('rt_am');

-- ---- weighted (numeric weight), integer score, char(8) items, a k, several keys ----
CREATE TABLE rt_w (batch int NOT NULL, region int NOT NULL, unit varchar(10) NOT NULL, item char(8) NOT NULL,
                   score int, w numeric NOT NULL, at timestamptz NOT NULL);
SELECT sipas.rollup_create('rt_wk', 'rt_w', ARRAY['region', 'unit'], weight => 'w', k => 7,
                           bucket_column => 'at', bucket => 'week', bucket_zone => 'Asia/Ho_Chi_Minh');
SELECT sipas.rollup_create('rt_wu', 'rt_w', ARRAY['unit'], weight => 'w');
INSERT INTO rt_w SELECT 1, g % 2, 'S' || (g % 5), 'II.' || (1 + g % 3), 1 + g % 5, 0.25 + (g % 9) / 3.0,
                        TIMESTAMPTZ '2024-03-03 16:30:00+00' + g * interval '47 minutes'
FROM generate_series(1, 900) g;
SELECT count(*) AS deltas,
       count(*) FILTER (WHERE d.rows IS DISTINCT FROM s.rows OR d.plus IS DISTINCT FROM s.plus) AS differ
FROM rt_wk_delta d
FULL JOIN (SELECT region, unit, date_trunc('week', timezone('Asia/Ho_Chi_Minh', at))::date AS week, count(*) AS rows,
                  sipas.survey_agg(item::text, score, w::float8, 7) AS plus
           FROM rt_w GROUP BY 1, 2, 3) s USING (region, unit, week);
SELECT count(*) AS deltas,
       count(*) FILTER (WHERE d.rows IS DISTINCT FROM s.rows OR d.plus IS DISTINCT FROM s.plus) AS differ
FROM rt_wu_delta d
FULL JOIN (SELECT unit, count(*) AS rows, sipas.survey_agg(item::text, score, w::float8) AS plus
           FROM rt_w GROUP BY 1) s USING (unit);
SELECT sipas.rollup_drop('rt_wu');
-- a weighted rollup with k but no weight column: survey_agg(item, score, 1.0, k)
SELECT sipas.rollup_create('rt_k', 'rt_w', ARRAY['unit'], k => 7);
SELECT rt_mark('rt_k_delta') AS m4 \gset
INSERT INTO rt_w VALUES (2, 0, 'S0', 'II.1', 7, 2, '2024-03-04'), (2, 0, 'S0', 'II.2', 1, 3, '2024-03-04');
SELECT d.rows, d.plus = (SELECT sipas.survey_agg(item::text, score, 1.0::float8, 7) FROM rt_w WHERE batch = 2) AS equal
FROM rt_k_delta d WHERE id > :m4;
\set VERBOSITY default
INSERT INTO rt_w VALUES (3, 0, 'S0', 'II.1', 8, 1, '2024-03-04');
INSERT INTO rt_w VALUES (3, 0, 'S0', 'II.1', 2, -1, '2024-03-04');
\set VERBOSITY terse
SELECT sipas.rollup_drop('rt_k');
-- every key of the exact view equals survey_agg over the rows after a DELETE (weighted: recomputed keys)
DELETE FROM rt_w WHERE score = 3;
SELECT count(*) AS differ FROM rt_wk r
FULL JOIN (SELECT region, unit, date_trunc('week', timezone('Asia/Ho_Chi_Minh', at))::date AS week, count(*) AS rows,
                  sipas.survey_agg(item::text, score, w::float8, 7) AS summary
           FROM rt_w GROUP BY 1, 2, 3) s USING (region, unit, week)
WHERE r.rows IS DISTINCT FROM s.rows OR r.summary IS DISTINCT FROM s.summary;
SELECT sipas.rollup_drop('rt_wk');

-- ---- forms, weighted (real), timestamp bucket by day ----
CREATE TABLE rt_f (unit text NOT NULL, f sipas.form, w real NOT NULL, at timestamp NOT NULL);
SELECT sipas.rollup_create('rt_fd', 'rt_f', ARRAY['unit'], kind => 'forms', form => 'f', weight => 'w',
                           bucket_column => 'at', bucket => 'day');
INSERT INTO rt_f
SELECT 'F' || (r % 3), sipas.form_agg('I.A.' || i, 1 + (r * i) % 5), 1 + r % 4, TIMESTAMP '2024-02-28 22:00' + r * interval '3 hours'
FROM generate_series(1, 40) r, generate_series(1, 4) i GROUP BY r;
INSERT INTO rt_f VALUES ('F9', NULL, 1, '2024-03-01');
SELECT count(*) AS deltas,
       count(*) FILTER (WHERE d.rows IS DISTINCT FROM s.rows OR d.plus IS DISTINCT FROM s.plus) AS differ
FROM rt_fd_delta d
FULL JOIN (SELECT unit, date_trunc('day', at)::date AS day, count(*) AS rows, sipas.survey_agg(f, w::float8) AS plus
           FROM rt_f GROUP BY 1, 2) s USING (unit, day);
SELECT sipas.rollup_drop('rt_fd');

-- ---- a key of a domain type, a key with a collation, a varchar item ----
CREATE DOMAIN rt_unit AS text CHECK (VALUE <> '');
CREATE TABLE rt_d (unit rt_unit NOT NULL, code text COLLATE "C" NOT NULL, item varchar(20), score int);
SELECT sipas.rollup_create('rt_dd', 'rt_d', ARRAY['unit', 'code']);
INSERT INTO rt_d SELECT 'D' || (g % 4), 'c' || (g % 3), 'I.' || (1 + g % 3), 1 + g % 5 FROM generate_series(1, 100) g;
SELECT count(*) AS deltas,
       count(*) FILTER (WHERE d.rows IS DISTINCT FROM s.rows OR d.plus IS DISTINCT FROM s.plus) AS differ
FROM rt_dd_delta d
FULL JOIN (SELECT unit, code, count(*) AS rows, sipas.survey_agg(item::text, score) AS plus FROM rt_d GROUP BY 1, 2) s
USING (unit, code);
SELECT sipas.rollup_drop('rt_dd');

DROP TABLE rt_a, rt_w, rt_f, rt_d;
DROP DOMAIN rt_unit;
DROP FUNCTION rt_mark(regclass);
RESET client_min_messages;
