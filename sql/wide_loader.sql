-- The wide loader (extension/1.2/61_wide_loader.sql) on CSV text given in SQL: the CSV
-- parser, header roles, options, label sets and every problem class.  Files read with
-- \lo_import as a non-superuser are tested by tests/wideload/run.
SET extra_float_digits = 0;
\set SHOW_CONTEXT never

-- the CSV parser: quotes, "" inside quotes, commas and line breaks inside quotes, CRLF,
-- an empty last field, a blank line, a missing final line break, malformed quoting
SELECT record, line, field, replace(replace(value, E'\r', '\r'), E'\n', '\n') AS value, malformed
FROM sipas_internal.csv_cells(E'a,"b,c",d\r\n"x""y","p\r\nq",\r\n\r\n"ab"c,,"last"');
SELECT record, line, field, value FROM sipas_internal.csv_cells(E'old\rmac\rendings');
SELECT count(*) AS no_cells FROM sipas_internal.csv_cells('');

-- roles found by name, in any order and Unicode form; item columns by code; blank = no answer
SELECT * FROM sipas.wide_answers(
  E'II.A.2,Trọng số,Mã phiếu,II.A.1,' || normalize('Đơn vị', NFD) || E',Năm\n'
  || E'4,2, p1 ,5,Sở Y tế,2024\n'
  || E'Hài lòng,0.5,p2,,Sở Y tế,2024\n') ORDER BY line, item;
-- column names from options (Vietnamese welcome), a fixed period, extra columns kept
SELECT line, period, unit, respondent, item, score, extra FROM sipas.wide_answers(
  E'Cơ quan,STT,Ghi chú,I.A.1\nSở Tư pháp,7,"tốt, nhanh",Rất hài lòng\n',
  options => '{"columns": {"unit": "Cơ quan", "respondent": "stt"}, "period": 2025, "extra": "keep"}');
-- no respondent column: the CSV line is the respondent
SELECT line, respondent, item, score FROM sipas.wide_answers(E'Năm,Đơn vị,I.A.1\n2024,Sở A,5\n2024,Sở A,4\n');

-- every problem of a file at once, by line and column
SELECT * FROM sipas.check_wide(
  E'Năm,Đơn vị,Mã phiếu,Trọng số,I.A.1,I.A.1,i.a.2,II.B,Z.9,Ghi chú\n'
  || E'2024,Sở A,r1,1,5,5,4,1,1,x\n'
  || E'2024,Sở A,r1,,6,1,1,1,1,\n'
  || E'2024,,r2,1,"Tạm được",1,1,1,1,\n'
  || E'x,Sở A,r3,1,4.5,1,1,1,1,\n'
  || E'2024,Sở A,r4,"1,5",-1\n');
-- the same as one ERROR: nothing is returned
SELECT count(*) FROM sipas.wide_answers(E'Năm,Đơn vị,Mã phiếu,I.A.1\n2024,Sở A,r1,6\n2024,Sở A,r2,5\n');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- only duplicate forms: 23505
SELECT count(*) FROM sipas.wide_answers(E'Năm,Đơn vị,Mã phiếu,I.A.1\n2024,Sở A,r1,5\n2024,Sở A,r1,5\n');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- header problems: two period columns, no unit column, no item column, period twice
SELECT * FROM sipas.check_wide(E'Năm,Year,Mã phiếu,I.A.1\n2024,2024,r1,5\n');
SELECT * FROM sipas.check_wide(E'Năm,Mã phiếu,Ghi chú\n2024,r1,x\n');
SELECT * FROM sipas.check_wide(E'Năm,Đơn vị,I.A.1\n2024,Sở A,5\n', options => '{"period": 2024}');
SELECT * FROM sipas.check_wide(E'Đơn vị,I.A.1\nSở A,5\n', options => '{"columns": {"period": ["Kỳ", "Đợt"]}}');
-- a file of the 2017 questionnaire in a 2023 period: the hint names 2017
SELECT count(*) FROM sipas.wide_answers(E'Năm,Đơn vị,Mã phiếu,E1.1,E1.2\n2024,Sở A,r1,5,4\n');
-- the same codes in 2019 are 2017 items: the questionnaire follows the period
SELECT DISTINCT questionnaire_used FROM sipas.wide_answers(E'Năm,Đơn vị,Mã phiếu,E1.1,E1.2\n2019,Sở A,r1,5,4\n');

-- bad arguments and options
SELECT * FROM sipas.check_wide(NULL);
SELECT * FROM sipas.check_wide('');
\set VERBOSITY terse
SELECT * FROM sipas.wide_answers(E'Năm,Đơn vị,I.A.1\n2024,Sở A,5\n', '2099');
\set VERBOSITY default
SELECT * FROM sipas.check_wide(E'Năm,Đơn vị,I.A.1\n', options => '{"colums": {}}');
SELECT * FROM sipas.check_wide(E'Năm,Đơn vị,I.A.1\n', options => '[1]');
SELECT * FROM sipas.check_wide(E'Năm,Đơn vị,I.A.1\n', options => '{"period": "2024"}');
SELECT * FROM sipas.check_wide(E'Năm,Đơn vị,I.A.1\n', options => '{"blank_weight": 0}');
SELECT * FROM sipas.check_wide(E'Năm,Đơn vị,I.A.1\n', options => '{"extra": "drop"}');
SELECT * FROM sipas.check_wide(E'Năm,Đơn vị,I.A.1\n', options => '{"columns": {"year": "Năm"}}');

-- label sets: the most specific set that exists for an item is the one used
INSERT INTO sipas.questionnaire (code, name_vi, first_year, last_year) VALUES ('wl-q', 'biến thể', 2030, 2031);
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale) VALUES
  ('wl-q', 'ALL', NULL, 'overall', 0, 'tổng', NULL),
  ('wl-q', 'Q1', 'ALL', 'item', 1, 'câu 1', 4), ('wl-q', 'Q2', 'ALL', 'item', 2, 'câu 2', 4),
  ('wl-q', 'Q3', 'ALL', 'item', 3, 'câu 3', 3);
INSERT INTO sipas.answer_label (questionnaire, item, scale, level, label) VALUES
  ('wl-q', NULL, 4, 1, 'Không quan tâm'), ('wl-q', NULL, 4, 2, 'Ít quan tâm'),
  ('wl-q', NULL, 4, 3, 'Quan tâm'), ('wl-q', NULL, 4, 4, 'Rất quan tâm'),
  ('wl-q', 'Q2', 4, 1, 'Không phù hợp'), ('wl-q', 'Q2', 4, 2, 'Ít phù hợp'),
  ('wl-q', 'Q2', 4, 3, 'Phù hợp'), ('wl-q', 'Q2', 4, 4, 'Rất phù hợp');
SELECT item, score FROM sipas.wide_answers(
  E'Năm,Đơn vị,Mã phiếu,Q1,Q2,Q3\n2030,Sở A,r1,rất QUAN TÂM,Phù hợp,Nhiều\n') ORDER BY item;
SELECT line, column_name, kind, problem FROM sipas.check_wide(
  E'Năm,Đơn vị,Mã phiếu,Q1,Q2,Q3\n2030,Sở A,r1,Phù hợp,Quan tâm,Rất nhiều\n');
-- built-in labels are read-only, users' own are data
UPDATE sipas.answer_label SET label = 'Tốt' WHERE builtin AND scale = 5 AND level = 4;
DELETE FROM sipas.answer_label WHERE questionnaire = 'wl-q' AND item = 'Q2';
SELECT count(*) AS wl_labels_left FROM sipas.answer_label WHERE questionnaire = 'wl-q';
INSERT INTO sipas.answer_label (scale, level, label) VALUES (5, 6, 'Tuyệt vời');
DELETE FROM sipas.questionnaire WHERE code = 'wl-q';
SELECT count(*) AS labels_follow_the_questionnaire FROM sipas.answer_label WHERE questionnaire = 'wl-q';

-- long rows -> a long answers table in one step; the forms shape is one GROUP BY away
CREATE TABLE wl_answers (LIKE sipas.answers_template INCLUDING ALL);
SELECT sipas.load_wide(E'Năm,Đơn vị,Mã phiếu,II.A.1,II.A.2,II.A.3\n2024,Sở A,r1,5,4,3\n2024,Sở A,r2,Hài lòng,,1\n', 'wl_answers') AS loaded;
SELECT sipas.load_wide(E'Năm,Đơn vị,Mã phiếu,II.A.1\n2024,Sở A,r1,5\n2024,Sở A,r3,5\n', 'wl_answers');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT unit, respondent, sipas.n(sipas.survey_agg(item, score)) AS answers
FROM sipas.wide_answers(E'Năm,Đơn vị,Mã phiếu,II.A.1,II.A.2\n2024,Sở A,r1,5,4\n2024,Sở A,r2,,1\n')
GROUP BY period, unit, respondent, weight ORDER BY respondent;
SELECT sipas.load_wide(E'Năm,Đơn vị,I.A.1\n', NULL);
DROP TABLE wl_answers;

-- labels of the new functions
SELECT p.oid::regprocedure AS function, p.provolatile, p.proparallel, p.proisstrict, p.prosecdef,
       p.proconfig IS NOT NULL AS pinned_path, obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented
FROM pg_proc p
WHERE p.pronamespace IN ('sipas'::regnamespace, 'sipas_internal'::regnamespace)
  AND p.proname IN ('csv_cells', 'cell_text', 'label_key', 'wide_cells', 'wide_rows', 'wide_answers',
                    'check_wide', 'wide_load', 'load_wide', 'level_parse', 'questionnaire_for_period',
                    'wide_form_rows', 'wide_forms', 'wide_load_forms', 'load_wide_forms')
ORDER BY 1::text COLLATE "C";
