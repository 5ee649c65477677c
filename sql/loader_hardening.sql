-- Issue 15 / 10 / 12 on the long loader: the line column checked (F10), problems
-- classified by kind, relation names as the caller writes them, the questionnaire
-- of each period, and read-only built-in catalogue rows.
SET extra_float_digits = 0;
\set SHOW_CONTEXT never
CREATE TABLE lh_answers (LIKE sipas.answers_template INCLUDING ALL);

-- F10: a staging table with a plain "line bigint": rows without line numbers ...
CREATE TEMP TABLE plain_stg (period text, unit text, respondent text, item text, score text, weight text, line bigint);
INSERT INTO plain_stg (period, unit, respondent, item, score, weight) VALUES
 ('2024', 'Sở Y tế', 'R1', 'II.A.1', '5', '1'),
 ('2024', 'Sở Y tế', 'R1', 'II.A.1', '1', '1'),		-- a conflicting answer to the same item
 ('2024', 'Sở Y tế', 'R1', 'II.A.2', '4', '1');
SELECT sipas.load_answers('plain_stg', 'lh_answers');
SELECT * FROM sipas.check_answers('plain_stg');
-- ... and rows sharing a line number
UPDATE plain_stg SET line = 2;
SELECT sipas.load_answers('plain_stg', 'lh_answers');
UPDATE plain_stg SET line = CASE item WHEN 'II.A.2' THEN 3 ELSE 2 END;
SELECT sipas.load_answers('plain_stg', 'lh_answers');
SELECT count(*) AS nothing_loaded FROM lh_answers;
-- numbered properly, the conflict is found
UPDATE plain_stg p SET line = x.n FROM (SELECT ctid, 1 + row_number() OVER (ORDER BY item, score DESC) AS n FROM plain_stg) x
WHERE p.ctid = x.ctid;
SELECT * FROM sipas.check_answers('plain_stg');
-- a line column that is not an integer
CREATE TEMP TABLE text_line (period text, unit text, respondent text, item text, score text, weight text, line text);
SELECT * FROM sipas.check_answers('text_line');

-- problem kinds: only duplicates and rows already loaded -> 23505; any other kind -> 22023
CREATE TEMP TABLE stg (LIKE sipas.staging_template INCLUDING ALL);
INSERT INTO stg (period, unit, respondent, item, score, weight) VALUES
 ('2024', 'Sở Y tế', 'duplicate of line 2', 'II.A.1', '5', '1'),
 ('2024', 'Sở Y tế', 'R2', 'II.A.2', '4', '1');
SELECT sipas.load_answers('stg', 'lh_answers') AS loaded;
TRUNCATE stg RESTART IDENTITY;
INSERT INTO stg (period, unit, respondent, item, score, weight) VALUES
 ('2024', 'Sở Y tế', 'R2', 'II.A.2', '4', '1'),		-- already loaded
 ('2024', 'Sở Y tế', 'R3', 'II.A.1', '5', '1'),
 ('2024', 'Sở Y tế', 'R3', 'II.A.1', '5', '1');		-- duplicate
SELECT sipas.load_answers('stg', 'lh_answers');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO stg (period, unit, respondent, item, score, weight) VALUES
 ('2024', 'Sở Y tế', 'R4', 'II.A.1', '6', '1');		-- a score problem as well
SELECT sipas.load_answers('stg', 'lh_answers');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- relation names as the caller writes them: bare when visible, qualified when not
CREATE SCHEMA lh;
CREATE TABLE lh.stage (LIKE sipas.staging_template INCLUDING ALL);
CREATE TABLE lh."Answers 2" (LIKE sipas.answers_template INCLUDING ALL);
INSERT INTO lh.stage (period, unit, respondent, item, score, weight) VALUES ('2024', 'Sở Y tế', 'R9', 'II.Z.1', '5', '1');
SELECT sipas.load_answers('lh.stage', 'lh."Answers 2"');
SELECT sipas.load_answers('lh.stage', 'lh_answers');
SET search_path = lh, public;
SELECT sipas.load_answers('stage', '"Answers 2"');
RESET search_path;
SELECT * FROM sipas.check_answers('lh.stage', target => 'lh."Answers 2"');
-- the arguments in the wrong order get a hint
SELECT * FROM sipas.check_answers('stg', 'lh_answers');

-- the questionnaire follows the period
SELECT p, sipas.questionnaire_for_period(p) FROM unnest(ARRAY[2016, 2017, 2020, 2021, 2022, 2023, 2026, 2030]) p;
TRUNCATE stg RESTART IDENTITY;
INSERT INTO stg (period, unit, respondent, item, score, weight) VALUES
 ('2020', 'Sở Nội vụ', 'R1', 'E1.1', '4', '1'),		-- 2017 questionnaire, found from the period
 ('2024', 'Sở Nội vụ', 'R1', 'II.A.1', '5', '1');		-- 2023 questionnaire
SELECT sipas.load_answers('stg', 'lh_answers') AS loaded_2;
SELECT period, item FROM lh_answers WHERE respondent = 'R1' ORDER BY period;
-- a 2021 file written with 2023 codes: the hint names the questionnaire that fits
TRUNCATE stg RESTART IDENTITY;
INSERT INTO stg (period, unit, respondent, item, score, weight)
SELECT '2021', 'Sở Tư pháp', 'R' || r, i, '4', '' FROM generate_series(1, 2) r, unnest(ARRAY['II.A.1', 'II.A.2', 'ii.a.3']) i;
SELECT sipas.load_answers('stg', 'lh_answers');
-- ... and named, it loads (ii.a.3 still gets its "did you mean")
SELECT line, problem FROM sipas.check_answers('stg', '2023');
-- a user questionnaire for the same years does not replace the built-in one by default
INSERT INTO sipas.questionnaire (code, name_vi, first_year, last_year) VALUES ('lh-2023', 'biến thể', 2023, 2026);
SELECT sipas.questionnaire_for_period(2024) AS still_2023;
DELETE FROM sipas.questionnaire WHERE code = 'lh-2023';
-- a period before any questionnaire
TRUNCATE stg RESTART IDENTITY;
INSERT INTO stg (period, unit, respondent, item, score, weight) VALUES ('2010', 'Sở Nội vụ', 'R1', 'E1.1', '4', '1');
SELECT * FROM sipas.check_answers('stg');
-- "4.0" is a level number (spreadsheets write it); "4.5" is not
TRUNCATE stg RESTART IDENTITY;
INSERT INTO stg (period, unit, respondent, item, score, weight) VALUES
 ('2025', 'Sở Nội vụ', 'R5', 'II.A.1', '4.0', '1'), ('2025', 'Sở Nội vụ', 'R5', 'II.A.2', '4.5', '1');
SELECT * FROM sipas.check_answers('stg');

-- built-in catalogue rows are read-only (not dumped: an edit would vanish on restore)
UPDATE sipas.node SET weight = 2 WHERE questionnaire = '2023' AND code = 'II.A.1';
DELETE FROM sipas.node WHERE questionnaire = '2017' AND code = 'E1.1';
UPDATE sipas.questionnaire SET last_year = 2030 WHERE code = '2023';
DELETE FROM sipas.questionnaire WHERE code = '2017';
TRUNCATE sipas.node;
INSERT INTO sipas.questionnaire (code, name_vi, builtin) VALUES ('fake', 'giả', true);
SELECT count(*) AS builtin_nodes_intact, sum(weight) AS weights FROM sipas.node WHERE builtin;
-- a variant is derived as data of its own, and changing it is allowed
INSERT INTO sipas.questionnaire (code, name_vi, first_year, last_year) VALUES ('lh-var', 'biến thể tỉnh', 2023, 2026);
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, name_en, scale, weight)
SELECT 'lh-var', code, parent, kind, position, name_vi, name_en, scale, weight FROM sipas.node WHERE questionnaire = '2023';
UPDATE sipas.node SET parent = 'II.B' WHERE questionnaire = 'lh-var' AND code = 'II.A.3';
UPDATE sipas.node SET builtin = true WHERE questionnaire = 'lh-var' AND code = 'II.A.2';
SELECT sipas.publish(sipas.node_index(sipas.survey_agg(i, s), 'II.A', 'lh-var')) AS variant,
       sipas.publish(sipas.node_index(sipas.survey_agg(i, s), 'II.A', '2023')) AS builtin
FROM (VALUES ('II.A.1', 5), ('II.A.2', 1), ('II.A.3', 1)) v(i, s);
DELETE FROM sipas.questionnaire WHERE code = 'lh-var';
SELECT count(*) AS variant_gone FROM sipas.node WHERE questionnaire = 'lh-var';

DROP SCHEMA lh CASCADE;
DROP TABLE lh_answers;
