-- Province variants of a questionnaire (extension/1.2/42_variants.sql): derived in one
-- call, stored as ordinary catalogue rows, loaded from a wide file and computed; the
-- catalogue's rules in words; forms and long answers, both ways.
\set VERBOSITY default
SET client_min_messages = warning;

-- a variant of 2023: two nodes removed (one with its subtree), a reweighted item, a
-- renamed group (its items follow), a new group with a 4-level item, a new item
SELECT sipas.derive_questionnaire('Bình-Dương-2024', '2023', '{
  "remove": ["I.D.10", "II.E"],
  "change": {"I.A.1": {"weight": 2},
             "II.B": {"code": "Nhóm-B", "name_vi": "Nhóm B của tỉnh"}},
  "add": [{"code": "BD.1", "parent": "II.D", "name_vi": "Câu hỏi của tỉnh"},
          {"code": "Nhóm-X", "kind": "group", "parent": "II", "name_vi": "Nhóm mới"},
          {"code": "BD.2", "parent": "Nhóm-X", "name_vi": "Câu hỏi 4 mức", "scale": 4}]}',
  name_vi => 'Bộ câu hỏi SIPAS tỉnh Bình Dương 2024') AS nodes;
SELECT code, name_vi, source, first_year, last_year, builtin FROM sipas.questionnaire WHERE code = 'Bình-Dương-2024';
-- the nodes that differ from 2023, both ways
SELECT * FROM (
  (SELECT 'variant' AS side, code, parent, kind, position, scale, weight FROM sipas.node WHERE questionnaire = 'Bình-Dương-2024'
   EXCEPT SELECT 'variant', code, parent, kind, position, scale, weight FROM sipas.node WHERE questionnaire = '2023')
  UNION ALL
  (SELECT '2023', code, parent, kind, position, scale, weight FROM sipas.node WHERE questionnaire = '2023'
   EXCEPT SELECT '2023', code, parent, kind, position, scale, weight FROM sipas.node WHERE questionnaire = 'Bình-Dương-2024')) d
ORDER BY side, code COLLATE "C";
SELECT count(*) FILTER (WHERE builtin) AS builtin_rows, count(*) AS rows FROM sipas.node WHERE questionnaire = 'Bình-Dương-2024';
-- no change at all: a copy
SELECT sipas.derive_questionnaire('copy-2017', '2017') AS nodes;
-- the catalogue tables are configuration tables: pg_dump keeps the rows users add
SELECT c.relname, e.extcondition[array_position(e.extconfig, c.oid)] AS dumped
FROM pg_extension e, pg_class c
WHERE e.extname = 'sipas' AND c.oid = ANY (e.extconfig) ORDER BY 1;

-- mistakes in the changes, each in words, nothing left behind
SELECT sipas.derive_questionnaire('v', '2024');
SELECT sipas.derive_questionnaire('v', '2023', '{"delete": ["I.D.1"]}');
SELECT sipas.derive_questionnaire('v', '2023', '{"remove": "I.D.1"}');
SELECT sipas.derive_questionnaire('v', '2023', '{"remove": [1]}');
SELECT sipas.derive_questionnaire('v', '2023', '{"change": ["I.A.1"]}');
SELECT sipas.derive_questionnaire('v', '2023', '{"change": {"I.A.1": 2}}');
SELECT sipas.derive_questionnaire('v', '2023', '{"add": {"code": "BD.1"}}');
SELECT sipas.derive_questionnaire('v', '2023', '{"add": ["BD.1"]}');
SELECT sipas.derive_questionnaire('v', '2023', '{"remove": ["i.d.1"]}');
SELECT sipas.derive_questionnaire('v', '2023', '{"remove": ["SIPAS"]}');
SELECT sipas.derive_questionnaire('v', '2023', '{"remove": ["II.E.1", "II.E.2", "II.E.3"]}');
SELECT sipas.derive_questionnaire('v', '2023', '{"change": {"II.Z": {"weight": 2}}}');
SELECT sipas.derive_questionnaire('v', '2023', '{"change": {"II.A.1": {"scale": 4}}}');
SELECT sipas.derive_questionnaire('v', '2023', '{"change": {"II.A.1": {"weight": "2"}}}');
SELECT sipas.derive_questionnaire('v', '2023', '{"change": {"II.A.1": {"weight": -1}}}');
SELECT sipas.derive_questionnaire('v', '2023', '{"change": {"II.A": {"parent": "II.A.1"}}}');
SELECT sipas.derive_questionnaire('v', '2023', '{"remove": ["II.A.1"], "change": {"II.A.1": {"weight": 2}}}');
SELECT sipas.derive_questionnaire('v', '2023', '{"add": [{"code": "BD.1", "name_vi": "x"}]}');
SELECT sipas.derive_questionnaire('v', '2023', '{"add": [{"code": "BD.1", "parent": "II.Q", "name_vi": "x"}]}');
SELECT sipas.derive_questionnaire('v', '2023', '{"add": [{"code": "II.A.1", "parent": "II.A", "name_vi": "x"}]}');
SELECT sipas.derive_questionnaire('v', '2023', '{"add": [{"code": "@Đ.1", "parent": "II.A", "name_vi": "x"}]}');
SELECT sipas.derive_questionnaire('v', '2023', '{"add": [{"code": "BD.1", "parent": "II.A", "name_vi": "x", "scale": 11}]}');
SELECT sipas.derive_questionnaire('v', '2023', '{"add": [{"code": "BD.1", "parent": "II.A", "name_vi": "x", "colour": "red"}]}');
SELECT sipas.derive_questionnaire('v w', '2023');
SELECT sipas.derive_questionnaire('Bình-Dương-2024', '2023');
SELECT count(*) AS no_v FROM sipas.questionnaire WHERE code IN ('v', 'v w');

-- codes: one rule for questionnaires, groups and items (UTF-8, no white space, quotes, backslashes; NFC)
INSERT INTO sipas.questionnaire (code, name_vi) VALUES ('Tỉnh-Hà-Giang', 'x');
INSERT INTO sipas.questionnaire (code, name_vi) VALUES ('a"b', 'x');
INSERT INTO sipas.questionnaire (code, name_vi) VALUES ('Thành-phố-Hồ-Chí-Minh-2024-mới', 'x');
INSERT INTO sipas.questionnaire (code, name_vi, first_year, last_year) VALUES ('late', 'x', 2025, 2024);
INSERT INTO sipas.questionnaire (code, name_vi) VALUES ('2023', 'x');
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi) VALUES ('Tỉnh-Hà-Giang', 'Tổng', NULL, 'overall', 0, 'Chỉ số');
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi) VALUES ('Tỉnh-Hà-Giang', 'Phần-Một', 'Tổng', 'part', 1, 'Phần 1');
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale) VALUES ('Tỉnh-Hà-Giang', 'HG.1', 'Phần-Một', 'item', 1, 'Câu 1', 5);
SELECT code, parent, kind FROM sipas.node WHERE questionnaire = 'Tỉnh-Hà-Giang' ORDER BY position, array_position(ARRAY['overall', 'part', 'group', 'item'], kind::text);
-- every rule of a row, in words (the constraints stay as the last guard)
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale) VALUES ('Tỉnh-Hà-Giang', 'Câu.2', 'Phần-Một', 'item', 2, 'Câu 2 (NFD)', 5);
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi) VALUES ('Tỉnh-Hà-Giang', 'Nhóm 2', 'Phần-Một', 'group', 2, 'x');
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi) VALUES ('Tỉnh-Hà-Giang', 'G', 'Phần-Một', 'criterion', 2, 'x');
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi) VALUES ('Tỉnh-Hà-Giang', 'HG.2', 'Phần-Một', 'item', 2, 'x');
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale) VALUES ('Tỉnh-Hà-Giang', 'G', 'Phần-Một', 'group', 2, 'x', 5);
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi) VALUES ('Tỉnh-Hà-Giang', 'G', NULL, 'group', 2, 'x');
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi) VALUES ('Tỉnh-Hà-Giang', 'Gốc-2', NULL, 'overall', 0, 'x');
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi) VALUES ('Tỉnh-Hà-Giang', 'Gốc-2', 'Tổng', 'overall', 0, 'x');
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale, weight) VALUES ('Tỉnh-Hà-Giang', 'HG.2', 'Phần-Một', 'item', 2, 'x', 5, 'NaN');
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale) VALUES ('Tỉnh-Hà-Giang', 'HG.1', 'Phần-Một', 'item', 2, 'x', 5);
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale) VALUES ('Tỉnh-Hà-Giang', 'HG.2', 'Phần-Một', 'item', 2, ' ', 5);
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale) VALUES ('Hà-Tĩnh', 'HT.1', 'X', 'item', 2, 'x', 5);
UPDATE sipas.node SET code = 'HG 1' WHERE questionnaire = 'Tỉnh-Hà-Giang' AND code = 'HG.1';
SELECT round(sipas.overall(sipas.survey_agg(i, s), 'Tỉnh-Hà-Giang')::numeric, 2) AS hg
FROM (VALUES ('HG.1', 4), ('HG.1', 5), ('HG.1', 2)) v(i, s);

-- the variant from a wide file: labels and numbers, a 4-level item, a blank form
\set csv 'Năm,Đơn vị,Mã phiếu,Trọng số,I.A.1,I.A.2,BD.1,BD.2,II.B.1,I.D.1,Ghi chú\n2024,Sở Y tế,1,1,Hài lòng,2,5,Rất,3,4,"tốt, nhanh"\n2024,Sở Y tế,2,2,4.0,2,,Khá,Hài lòng,5,\n2024,Sở Y tế,3,1,Rất hài lòng,Không hài lòng,4,Ít,2,3,\n2024,Sở Xây dựng,1,1,,,,,,,\n2024,Sở Xây dựng,2,1,2,3,3,Không,Bình thường,Không hài lòng,\n'
SELECT * FROM sipas.check_wide(E:'csv');
SELECT * FROM sipas.check_wide(E:'csv', 'Bình-Dương-2024');
CREATE TABLE v_forms (LIKE sipas.forms_template INCLUDING ALL);
CREATE TABLE v_answers (LIKE sipas.answers_template INCLUDING ALL);
SELECT sipas.load_wide_forms(E:'csv', 'v_forms', 'Bình-Dương-2024') AS forms;
SELECT sipas.load_wide(E:'csv', 'v_answers', 'Bình-Dương-2024') AS answers;
SELECT * FROM v_forms ORDER BY unit, respondent;
SELECT line, respondent, questionnaire_used, extra FROM sipas.wide_forms(E:'csv', 'Bình-Dương-2024', '{"extra": "keep"}') ORDER BY line;
-- the whole file again: every form is already there
SELECT sipas.load_wide_forms(E:'csv', 'v_forms', 'Bình-Dương-2024');
-- without naming the variant: its own items are not items of 2023, and the hint names the variant
SELECT sipas.load_wide_forms(E:'csv', 'v_forms');
SELECT sipas.load_wide_forms(E:'csv', 'v_answers', 'Bình-Dương-2024');
SELECT sipas.load_wide_forms(E:'csv', NULL, 'Bình-Dương-2024');
-- computed: overall (the reweighted item counts twice in its group) and the breakdown
SELECT unit, round(sipas.overall(sipas.survey_agg(f, weight), 'Bình-Dương-2024')::numeric, 4) AS overall,
       round(sipas.overall(sipas.survey_agg(f, weight), 'Bình-Dương-2024', 'weighted')::numeric, 4) AS weighted,
       sipas.respondents(sipas.survey_agg(f, weight)) AS forms
FROM v_forms GROUP BY unit ORDER BY unit;
SELECT b.code, b.kind, b.n, round(b.index::numeric, 2) AS index, round(w.index::numeric, 2) AS weighted
FROM (SELECT sipas.survey_agg(f, weight) AS s FROM v_forms WHERE unit = 'Sở Y tế') x,
     sipas.breakdown(x.s, 'Bình-Dương-2024') b
     JOIN sipas.breakdown(x.s, 'Bình-Dương-2024', 'weighted') w USING (code)
WHERE b.kind <> 'item' OR b.code IN ('BD.1', 'BD.2', 'I.A.1', 'I.A.2')
ORDER BY b.code COLLATE "C";
-- the same figures from the long answers (each item on its scale)
SELECT a.unit, round(sipas.overall(sipas.survey_agg(a.item, a.score, a.weight, n.scale), 'Bình-Dương-2024')::numeric, 4) AS overall
FROM v_answers a JOIN sipas.node n ON n.questionnaire = 'Bình-Dương-2024' AND n.code = a.item
GROUP BY a.unit ORDER BY a.unit;

-- forms -> long answers -> forms: the same data both ways
CREATE TABLE v_back AS
SELECT period, unit, respondent, a.item, a.level AS score, weight FROM v_forms, sipas.answers(f) a;
(SELECT period, unit, respondent, item, score, weight FROM v_answers WHERE score IS NOT NULL EXCEPT ALL TABLE v_back)
UNION ALL (TABLE v_back EXCEPT ALL SELECT period, unit, respondent, item, score, weight FROM v_answers WHERE score IS NOT NULL);
(SELECT period, unit, respondent, weight, f FROM v_forms
 EXCEPT
 SELECT a.period, a.unit, a.respondent, a.weight,
        coalesce(sipas.form_agg(a.item, a.score, n.scale), '{}')
 FROM v_answers a JOIN sipas.node n ON n.questionnaire = 'Bình-Dương-2024' AND n.code = a.item
 GROUP BY a.period, a.unit, a.respondent, a.weight);

-- the questionnaire of a period: a variant covering the same years is never chosen over the built-in one
UPDATE sipas.questionnaire SET first_year = 2024, last_year = 2024 WHERE code = 'Bình-Dương-2024';
SELECT sipas.questionnaire_for_period(2024) AS q2024, sipas.questionnaire_for_period(2030) AS q2030;

-- label sets of the questionnaire derived from come along (items renamed with their node)
INSERT INTO sipas.questionnaire (code, name_vi) VALUES ('base', 'base');
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale) VALUES
  ('base', 'ALL', NULL, 'overall', 0, 'x', NULL), ('base', 'Q.1', 'ALL', 'item', 1, 'x', 3), ('base', 'Q.2', 'ALL', 'item', 2, 'x', 3);
INSERT INTO sipas.answer_label (questionnaire, item, scale, level, label) VALUES
  ('base', 'Q.1', 3, 1, 'chậm'), ('base', 'Q.1', 3, 2, 'vừa'), ('base', 'Q.1', 3, 3, 'nhanh'), ('base', NULL, 3, 3, 'tốt');
SELECT sipas.derive_questionnaire('base-2', 'base', '{"change": {"Q.1": {"code": "R.1"}}}') AS nodes;
SELECT questionnaire, item, level, label FROM sipas.answer_label WHERE questionnaire = 'base-2' ORDER BY item NULLS LAST, level;

DROP TABLE v_forms, v_answers, v_back;
DELETE FROM sipas.questionnaire WHERE NOT builtin;
SELECT count(*) AS user_rows FROM sipas.node WHERE NOT builtin;

-- labels of the new functions
SELECT p.oid::regprocedure AS function, p.provolatile, p.proparallel, p.proisstrict, p.prosecdef,
       p.proconfig IS NOT NULL AS pinned_path, obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented
FROM pg_proc p
WHERE p.pronamespace IN ('sipas'::regnamespace, 'sipas_internal'::regnamespace)
  AND p.proname IN ('derive_questionnaire', 'catalogue_code_problem', 'catalogue_row_check', 'catalogue_tree_check')
ORDER BY 1::text COLLATE "C";

-- the support functions of the loader, the catalogue and the indicators live in sipas_internal:
-- nothing left in schema sipas is a support function
SELECT p.oid::regprocedure AS support_function_in_sipas
FROM pg_proc p
WHERE p.pronamespace = 'sipas'::regnamespace
  AND (obj_description(p.oid, 'pg_proc') ~ '^support' OR p.proname ~ '_(trans|final|combine)$'
       OR p.proname ~ '^(loader_|wide_(cells|rows|load|form_rows))' OR p.prorettype = 'trigger'::regtype)
ORDER BY 1::text COLLATE "C";
