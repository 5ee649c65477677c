-- tests/sqlsmith/data.sql - a database full of sipas data, owned by the
-- non-superuser role that SQLsmith runs as (schema smith): answer rows, forms,
-- likert and survey summaries (from rows and from forms, weighted and not),
-- rankings input.  Run as that role.
SELECT setseed(0.42);
CREATE SCHEMA smith;
SET search_path = smith, public;
CREATE TABLE answers (id serial PRIMARY KEY, unit int NOT NULL, period int NOT NULL, respondent int NOT NULL,
                      item text NOT NULL, score smallint, weight float8 NOT NULL);
INSERT INTO answers (unit, period, respondent, item, score, weight)
SELECT u, p, r, n.code,
       CASE WHEN random() < 0.05 THEN NULL ELSE least(5, 1 + floor(random() * 3 + (r % 4) * 0.6))::smallint END,
       round((0.4 + (r % 5) * 0.35)::numeric, 2)::float8
FROM generate_series(1, 8) u, generate_series(2022, 2024) p, generate_series(1, 6) r, sipas.node n
WHERE n.questionnaire = '2023' AND n.kind = 'item';
CREATE TABLE forms AS
SELECT unit, period, respondent, min(weight) AS weight, coalesce(sipas.form_agg(item, score), '{}'::sipas.form) AS f
FROM answers GROUP BY unit, period, respondent;
CREATE TABLE likert_units AS
SELECT unit, period, item, sipas.likert_agg(score) AS s, sipas.likert_agg(score, weight) AS ws
FROM answers GROUP BY unit, period, item;
CREATE TABLE survey_units AS
SELECT unit, period, sipas.survey_agg(item, score) AS s, sipas.survey_agg(item, score, weight) AS ws
FROM answers GROUP BY unit, period;
CREATE TABLE forms_units AS
SELECT unit, period, sipas.survey_agg(f) AS s, sipas.survey_agg(f, weight) AS ws
FROM forms GROUP BY unit, period;
CREATE TABLE rank_input AS
SELECT unit, period, sipas.satisfaction_index(s) AS idx, sipas.std_error(s) AS se, s
FROM (SELECT unit, period, sipas.likert_agg(score) s FROM answers GROUP BY unit, period) x;
-- edge values: empty, one level, extreme counts and weights
CREATE TABLE edges (id serial, l sipas.likert, s sipas.survey, f sipas.form);
INSERT INTO edges (l, s, f) VALUES
	(sipas.likert_from_counts('{0,0}'), '{}', '{}'),
	(sipas.likert_from_counts('{9223372036854775807,0}'), '{"a":{"k":2,"n":[0,0]}}', '{"a":1}'),
	('{"k":3,"n":[1,1,1],"w":[4.9406564584124654e-324,1e-300,1e150],"w2":[0,0,1e300]}', NULL, '{"a":[10,10],"b":[1,2]}'),
	(NULL, (SELECT sipas.survey_agg(f, w) FROM (VALUES ('{}'::sipas.form, 1e154::float8), ('{"a":4}', 1e-170)) v(f, w)), NULL);
ANALYZE answers, forms, likert_units, survey_units, forms_units, rank_input, edges;
