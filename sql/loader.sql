-- The survey loader (extension/1.0/60_loader.sql) on staging rows inserted with SQL:
-- every validation rule and its message, all-or-none loading, the SQLSTATEs.
-- CSV files themselves (BOM, CRLF, quoting, \copy) are tested by tests/loader/run.
SET extra_float_digits = 0;
CREATE TABLE loader_answers (LIKE sipas.answers_template INCLUDING ALL);
CREATE TEMP TABLE stg (LIKE sipas.staging_template INCLUDING ALL);
\d loader_answers

-- a good file: lines numbered from 2 (line 1 is the CSV header); text trimmed (spaces,
-- tabs, CR, no-break spaces, a byte-order mark); blank score = no answer; a blank weight in a
-- file with weights is an error unless options say {"blank_weight": 1}
INSERT INTO stg (period, unit, respondent, item, score, weight) VALUES
 ('2024', 'Sở Nội vụ', 'R001', 'II.A.1', '5', NULL),
 (E'\uFEFF2024', ' Sở Nội vụ ', E'R001\t', 'II.A.2', ' 4 ', '1.5'),
 ('2024', 'Sở Nội vụ', 'R001', 'II.A.3', '', ''),
 ('2024', E'S\u01A1\u0309 N\u00F4\u0323i vu\u0323', 'R002', 'II.A.1', '3', E'2\u00A0'),  -- decomposed (NFD) Vietnamese
 ('+2024', 'Sở Nội vụ', 'R002', 'II.A.2', '+2', '.5'),
 ('2024', 'Sở Nội vụ', 'R002', 'II.A.3', '1', '2e0');
SELECT * FROM sipas.read_staging('stg', options => '{"blank_weight": 1}') ORDER BY line;
SELECT * FROM sipas.check_answers('stg');
SELECT * FROM sipas.check_answers('stg', options => '{"blank_weight": 1}');
SELECT sipas.load_answers('stg', 'loader_answers', options => '{"blank_weight": 1}') AS loaded;
SELECT * FROM loader_answers ORDER BY respondent, item;
-- NFD and NFC spellings of the unit are one unit
SELECT count(DISTINCT unit) AS units FROM loader_answers;
-- the loaded answers feed the survey summary
SELECT unit, sipas.n(sipas.survey_agg(item, score)) AS answers,
       sipas.publish(sipas.node_index(sipas.survey_agg(item, score), 'II.A')) AS access
FROM loader_answers GROUP BY unit;

-- the same file again: every row is already in the target -> 23505, nothing inserted
SELECT sipas.load_answers('stg', 'loader_answers', options => '{"blank_weight": 1}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) AS still_6 FROM loader_answers;

-- every rule: one ERROR listing each bad line, nothing inserted
TRUNCATE stg RESTART IDENTITY;
INSERT INTO stg (period, unit, respondent, item, score, weight) VALUES
 ('2024', 'Sở Tư pháp', 'R1', 'II.A.1', '5', '1'),		-- line 2: good
 (NULL, 'Sở Tư pháp', 'R1', 'II.A.2', '5', '1'),			-- 3: period missing
 ('2024a', 'Sở Tư pháp', 'R1', 'II.A.3', '5', '1'),		-- 4: period not an integer
 ('2024', ' ', 'R1', 'II.B.1', '5', '1'),					-- 5: unit missing
 ('2024', 'Sở Tư pháp', '', 'II.B.2', '5', '1'),			-- 6: respondent missing
 ('2024', 'Sở Tư pháp', 'R1', NULL, '5', '1'),			-- 7: item missing
 ('2024', 'Sở Tư pháp', 'R1', 'II.Z.9', '5', '1'),		-- 8: unknown item
 ('2024', 'Sở Tư pháp', 'R1', 'E1.1', '5', '1'),			-- 9: item of the 2017 questionnaire
 ('2024', 'Sở Tư pháp', 'R1', 'II', '5', '1'),			-- 10: a part, not an item
 ('2024', 'Sở Tư pháp', 'R1', 'II.B.3', '4.0', '1'),		-- 11: score not an integer
 ('2024', 'Sở Tư pháp', 'R1', 'II.B.4', '6', '1'),		-- 12: score outside 1..5
 ('2024', 'Sở Tư pháp', 'R1', 'II.C.1', '0', '1'),		-- 13: 0 is not "no answer"
 ('2024', 'Sở Tư pháp', 'R1', 'II.C.2', '99999999999', '1'),	-- 14: not an integer (too long)
 ('2024', 'Sở Tư pháp', 'R1', 'II.C.3', '5', '-1'),		-- 15: negative weight
 ('2024', 'Sở Tư pháp', 'R1', 'II.D.1', '5', '1,5'),		-- 16: decimal comma
 ('2024', 'Sở Tư pháp', 'R1', 'II.D.2', '5', 'NaN'),		-- 17
 ('2024', 'Sở Tư pháp', 'R1', 'II.D.3', '5', 'Infinity'),	-- 18
 ('2024', 'Sở Tư pháp', 'R1', 'II.E.1', '5', '1e999'),	-- 19: out of float8's range
 ('2024', 'Sở Tư pháp', 'R1', 'II.A.1', '4', '1'),		-- 20: duplicate of line 2
 ('2024', 'Sở Tư pháp', 'R1', 'II.A.1', '3', '1'),		-- 21: duplicate of line 2
 ('2024', 'Sở Nội vụ', 'R001', 'II.A.1', '5', '1'),		-- 22: already in the target
 ('x', '', NULL, 'bad', 'y', 'z');						-- 23: everything wrong
SELECT * FROM sipas.check_answers('stg');
SELECT * FROM sipas.check_answers('stg', '2023', 'loader_answers') WHERE line = 22;
SELECT sipas.load_answers('stg', 'loader_answers');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) AS still_6 FROM loader_answers;
-- against the 2017 questionnaire, E1.1 is an item and II.A.1 is not
SELECT line, problem FROM sipas.check_answers('stg', '2017') WHERE line IN (2, 9);

-- only duplicates inside the file -> 23505
TRUNCATE stg RESTART IDENTITY;
INSERT INTO stg (period, unit, respondent, item, score, weight) VALUES
 ('2024', 'Sở Y tế', 'R9', 'II.A.1', '5', '1'), ('2024', 'Sở Y tế', 'R9', 'II.A.2', '5', '1'),
 ('2024', 'Sở Y tế', 'R9', 'II.A.1', '5', '1');
SELECT sipas.load_answers('stg', 'loader_answers');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- more than 100 problems: the first 100 are listed, then how many more
TRUNCATE stg RESTART IDENTITY;
INSERT INTO stg (period, unit, respondent, item, score, weight)
SELECT '2024', 'Sở Xây dựng', 'R' || g, 'II.A.1', '7', NULL FROM generate_series(1, 130) g;
SELECT count(*) AS problems FROM sipas.check_answers('stg');
SELECT sipas.load_answers('stg', 'loader_answers');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- an empty staging table loads nothing
TRUNCATE stg RESTART IDENTITY;
SELECT sipas.load_answers('stg', 'loader_answers') AS loaded_0;

-- wrong tables and arguments
CREATE TEMP TABLE bad_stg (period text, unit text, respondent text, item text, score text);
SELECT * FROM sipas.check_answers('bad_stg');
CREATE TEMP TABLE bad_target (period int, unit text, item text, score int);
SELECT sipas.load_answers('stg', 'bad_target');
SELECT sipas.load_answers('stg', NULL);
SELECT * FROM sipas.check_answers(NULL);
SELECT * FROM sipas.check_answers('stg', '2099');
SELECT sipas.load_answers('no_such_table', 'loader_answers');
-- names needing quotes are quoted in the dynamic SQL
CREATE TEMP TABLE "stg; DROP TABLE loader_answers" (LIKE sipas.staging_template INCLUDING ALL);
INSERT INTO "stg; DROP TABLE loader_answers" (period, unit, respondent, item, score)
VALUES ('2025', 'Sở Nội vụ', 'R001', 'II.A.1', '4');
SELECT sipas.load_answers('"stg; DROP TABLE loader_answers"', 'loader_answers') AS loaded_1;
SELECT count(*) AS now_7 FROM loader_answers;

-- labels
SELECT p.oid::regprocedure AS function, p.provolatile, p.proparallel, p.proisstrict, p.prosecdef, p.proconfig,
       obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented
FROM pg_proc p
WHERE p.pronamespace = 'sipas'::regnamespace AND p.proname IN ('read_staging', 'check_answers', 'check_loader_args', 'load_answers')
ORDER BY 1::text COLLATE "C";
DROP TABLE loader_answers;
