-- tests/docs/fixture.sql - the tables the SQL examples of README.md and doc/*.md refer
-- to, built from the demo data (demo/load.sql, loaded first, schema demo).  They live
-- in schema docs, which tests/docs/run puts on the search_path after public, so an
-- example that creates a table of the same name (CREATE TABLE answers (LIKE ...))
-- creates its own in public and uses that from then on.
-- Everything is deterministic: the demo data has a fixed seed, the rest is computed.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS docs CASCADE;
CREATE SCHEMA docs;

-- units: the demo's units, with the district each belongs to (departments belong to
-- the province itself)
CREATE TABLE docs.units AS
SELECT code AS unit, name, grp,
       CASE WHEN grp = 'district' THEN code ELSE 'province' END AS district
FROM demo.unit;

-- answers: the demo's answers (period, unit, respondent, item, score, weight) plus the
-- columns other examples use: agency (= unit), grp, a day and a month of the period,
-- and q7, a 4-level perception question (one per respondent, repeated on its rows)
CREATE TABLE docs.answers AS
SELECT a.period, a.unit, a.respondent, a.item, a.score, a.weight,
       a.unit AS agency, u.grp,
       make_date(a.period, 1 + a.respondent % 12, 1 + a.respondent % 28) AS day,
       make_date(a.period, 1 + a.respondent % 12, 1) AS month,
       (1 + (a.respondent * 7 + length(a.unit)) % 4)::smallint AS q7
FROM demo.answers a JOIN docs.units u ON u.unit = a.unit;
ANALYZE docs.answers;

-- daily likert summaries per agency and day
CREATE TABLE docs.daily AS
SELECT agency, day, sipas.likert_agg(score) AS s FROM docs.answers GROUP BY agency, day;

-- survey summaries per unit and year, and the 2019 survey on the 2017 questionnaire
-- (the 2023 answers of 2023 put on the 22 items of 2017, in catalogue order)
CREATE TABLE docs.unit_year AS
SELECT period, unit, sipas.survey_agg(item, score) AS s FROM docs.answers GROUP BY period, unit;
CREATE TABLE docs.unit_year_2019 AS
WITH i23 AS (SELECT code, row_number() OVER (ORDER BY code) AS rn FROM sipas.node
             WHERE questionnaire = '2023' AND kind = 'item'),
     i17 AS (SELECT code, row_number() OVER (ORDER BY code) AS rn FROM sipas.node
             WHERE questionnaire = '2017' AND kind = 'item')
SELECT a.unit, sipas.survey_agg(i17.code, a.score) AS s
FROM docs.answers a JOIN i23 ON i23.code = a.item JOIN i17 ON i17.rn = 1 + (i23.rn - 1) % 22
WHERE a.period = 2023 GROUP BY a.unit;

-- per-period results inside ranking groups, ranks, and likert summaries per unit
CREATE TABLE docs.results AS
SELECT period, unit, u.grp, sipas.overall(s) AS idx
FROM docs.unit_year JOIN docs.units u USING (unit);
CREATE TABLE docs.ranked AS
SELECT period, unit, grp, sipas.period_rank(idx, period, 2) OVER (PARTITION BY grp) AS rnk
FROM docs.results;
CREATE TABLE docs.unit_summaries AS
SELECT period, unit, grp, sipas.likert_agg(score) AS s FROM docs.answers GROUP BY period, unit, grp;
-- this year's and last year's summary of each unit
CREATE TABLE docs.cur AS SELECT unit, s FROM docs.unit_summaries WHERE period = 2024;
CREATE TABLE docs.prev AS SELECT unit, s FROM docs.unit_summaries WHERE period = 2023;

-- dossiers of 2024: received, due 3 to 10 days later, finished early, on the due day,
-- late or not yet; a rating and a few complaints
CREATE TABLE docs.dossiers AS
SELECT d AS dossier_id, u.unit,
       r AS received_at,
       r + (3 + d % 8) AS due_at,
       CASE WHEN d % 17 = 0 THEN NULL ELSE r + (3 + d % 8) + (d % 5 - 2) END AS finished_at,
       CASE WHEN d % 13 = 0 THEN 'không hài lòng' ELSE 'hài lòng' END AS rating
FROM generate_series(1, 2000) d
JOIN (SELECT unit, row_number() OVER (ORDER BY unit) - 1 AS no FROM docs.units) u ON u.no = d % 29,
     LATERAL (SELECT DATE '2024-01-01' + (d * 7) % 360 AS r) x;
CREATE TABLE docs.complaints AS
SELECT dossier_id, 'C' || dossier_id AS complaint_id FROM docs.dossiers WHERE dossier_id % 41 = 0;

-- a multi-select question: four respondents of one unit, the example's shares
CREATE TABLE docs.answers_multi (unit text, channels text[]);
INSERT INTO docs.answers_multi VALUES
  ('STP', '{Zalo}'), ('STP', '{Zalo,"Báo, đài"}'), ('STP', '{"Cổng dịch vụ công"}'), ('STP', '{}');

-- a 3-level perception question (1 = no harassment, 2 = some, 3 = a lot)
CREATE TABLE docs.perception AS
SELECT unit, respondent, (1 + (respondent * 5 + length(unit)) % 7 / 5)::smallint AS q_harass
FROM (SELECT DISTINCT unit, respondent FROM docs.answers WHERE period = 2024) r;

-- answers_2024.csv, for the \copy examples: three units of 2024 (tests/docs/run writes it)
CREATE VIEW docs.answers_2024_csv AS
SELECT period, unit, respondent, item, score, weight FROM demo.answers
WHERE period = 2024 AND unit IN ('STP', 'SNV', 'HST')
ORDER BY unit, respondent, item;
