-- Unicode codes (issue 12): one rule for every code (sv_code_check in src/core/survey.c,
-- in SQL sipas_internal.code_problem), Vietnamese item codes through the catalogue,
-- form_agg, survey_agg, the accessors and both loaders; NFD headers and cells matched
-- after NFC; code order = Unicode code point order; renames that swap codes; blank
-- weights of the long loader.
SET extra_float_digits = 0;
\set SHOW_CONTEXT never

-- the rule, in words; NULL = a good code.  The code is shown with every character that is not
-- a letter or printable ASCII written as <U+XXXX> (psql's width of invisible characters differs
-- between PostgreSQL versions)
SELECT (SELECT string_agg(CASE WHEN ascii(ch) BETWEEN 33 AND 126 OR (ch ~ '^[[:alpha:]]$' AND ascii(ch) < 8192)
                               THEN ch ELSE format('<U+%s>', lpad(upper(to_hex(ascii(ch))), 4, '0')) END, '' ORDER BY i)
        FROM regexp_split_to_table(c, '') WITH ORDINALITY t(ch, i) WHERE ch <> '') AS code,
       octet_length(c) AS bytes, sipas_internal.code_problem(c) AS problem
FROM (VALUES ('I.A.1'), ('Câu.1'), ('Đ.3'), ('I/A,1'), (repeat('â', 16)), (repeat('â', 16) || 'a'),
             ('Câu 1'), (E'Câu\u00A01'), (E'x\u200By'), (E'\uFEFFI.A.1'), (E'a\u3000b'), (E'a\u0085b'),
             (E'a\u0080b'), (E'a\tb'), ('a"b'), (E'a\\b'), ('@forms'), ('a@b'), ('')) v(c);

-- a province questionnaire with Vietnamese item codes
INSERT INTO sipas.questionnaire (code, name_vi) VALUES ('Hà-Giang', 'Bộ câu hỏi Hà Giang');
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale) VALUES
  ('Hà-Giang', 'Tổng', NULL, 'overall', 0, 'Chỉ số', NULL),
  ('Hà-Giang', 'Phần-1', 'Tổng', 'part', 1, 'Phần 1', NULL),
  ('Hà-Giang', 'Đ.3', 'Phần-1', 'item', 1, 'Câu Đ.3', 5),
  ('Hà-Giang', 'Câu.1', 'Phần-1', 'item', 2, 'Câu 1', 5),
  ('Hà-Giang', 'Câu.2', 'Phần-1', 'item', 3, 'Câu 2', 5),
  ('Hà-Giang', 'Z.4', 'Phần-1', 'item', 4, 'Câu Z.4', 5);
-- the catalogue says what is wrong, in words: an NFD code, a leading @, an invisible character
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale)
VALUES ('Hà-Giang', normalize('Câu.5', NFD), 'Phần-1', 'item', 5, 'x', 5);
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale)
VALUES ('Hà-Giang', '@5', 'Phần-1', 'item', 5, 'x', 5);
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale)
VALUES ('Hà-Giang', E'Câu\u200B.5', 'Phần-1', 'item', 5, 'x', 5);
-- the CHECK constraint is the same C rule (the trigger bypassed, as update scripts do)
BEGIN;
SET LOCAL sipas.builtin_rows = 'writable';
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale)
VALUES ('Hà-Giang', 'Câu 5', 'Phần-1', 'item', 5, 'x', 5);
ROLLBACK;

-- forms: codes kept as UTF-8, answers in code order (code point order: C < Z < Đ)
SELECT sipas.form_agg(i, s) AS f
FROM (VALUES ('Đ.3', 5), ('Câu.2', 2), ('Z.4', 3), ('Câu.1', 4)) v(i, s);
SELECT '{"Đ.3":5,"Câu.1":4}'::sipas.form AS text_in,
       '{"Đ.3":5,"Câu.1":4}'::sipas.form::text::sipas.form::text = '{"Câu.1":4,"Đ.3":5}' AS round_trip;
SELECT * FROM sipas.answers('{"Đ.3":5,"Câu.1":4,"Z.4":[2,3]}');
-- the same order as ORDER BY code COLLATE "C", whatever the database's collation
SELECT array_agg(a.item) = (SELECT array_agg(c ORDER BY c COLLATE "C") FROM unnest(ARRAY['Đ.3', 'Câu.1', 'Z.4']) c) AS code_order
FROM sipas.answers('{"Đ.3":5,"Câu.1":4,"Z.4":[2,3]}') a;

-- summaries: from forms and from answers, the accessors against the province tree
CREATE TEMP TABLE hg_forms (respondent text, f sipas.form);
INSERT INTO hg_forms SELECT r, sipas.form_agg(i, s) FROM (VALUES
  ('r1', 'Câu.1', 5), ('r1', 'Câu.2', 4), ('r1', 'Đ.3', 4), ('r1', 'Z.4', 5),
  ('r2', 'Câu.1', 2), ('r2', 'Câu.2', 5), ('r2', 'Đ.3', 1),
  ('r3', 'Câu.1', 4), ('r3', 'Đ.3', 5), ('r3', 'Z.4', 4)) v(r, i, s) GROUP BY r;
SELECT sipas.survey_agg(f) AS s FROM hg_forms \gset
SELECT :'s'::sipas.survey::text::sipas.survey::text = :'s' AS text_round_trip, :'s' LIKE '{"Câu.1":%' AS nfc_text;
SELECT i.item FROM sipas.items(:'s') i;
SELECT round(sipas.overall(:'s', 'Hà-Giang')::numeric, 4) AS overall,
       round(sipas.node_index(:'s', 'Câu.1', 'Hà-Giang')::numeric, 4) AS cau_1,
       round(sipas.node_index(:'s', 'Phần-1', 'Hà-Giang')::numeric, 4) AS phan_1;
SELECT level, kind, code, name, n, round(index::numeric, 4) AS index
FROM sipas.breakdown(:'s', 'Hà-Giang');
-- from long answers: the same item histograms, in the same order
SELECT (SELECT array_agg(i.item || '=' || i.summary::text) FROM sipas.items(
            (SELECT sipas.survey_agg(a.item, a.level) FROM hg_forms, LATERAL sipas.answers(f) a)) i)
     = (SELECT array_agg(i.item || '=' || i.summary::text) FROM sipas.items(:'s') i) AS same_items;

-- the wide loader: an NFD header ("Câu.1" decomposed) and NFD label cells match the NFC codes
CREATE TABLE hg_forms_loaded (LIKE sipas.forms_template INCLUDING ALL);
SELECT sipas.load_wide_forms(
  E'Năm,Đơn vị,Mã phiếu,' || normalize('Câu.1', NFD) || E',Câu.2,Đ.3,Z.4\n'
  || E'2024,Sở A,r1,5,4,' || normalize('Hài lòng', NFD) || E',5\n'
  || E'2024,Sở A,r2,2,5,1,\n'
  || E'2024,Sở A,r3,4,,5,4\n', 'hg_forms_loaded', 'Hà-Giang') AS forms_loaded;
SELECT respondent, f FROM hg_forms_loaded ORDER BY respondent;
SELECT sipas.survey_agg(l.f)::text = :'s' AS same_summary FROM hg_forms_loaded l;
-- a label set of one item, its code written in NFD, applies to the NFC item; the item column
-- of answer_label follows the rule of codes
INSERT INTO sipas.answer_label (questionnaire, item, scale, level, label)
VALUES ('Hà-Giang', normalize('Câu.2', NFD), 5, 5, 'Rất nhanh');
SELECT item, score FROM sipas.wide_answers(E'Năm,Đơn vị,Câu.2\n2024,Sở A,Rất nhanh\n', 'Hà-Giang');
DELETE FROM sipas.answer_label WHERE label = 'Rất nhanh';
INSERT INTO sipas.answer_label (questionnaire, item, scale, level, label) VALUES ('Hà-Giang', 'Câu 2', 5, 5, 'x');
-- a code-like header that is no item of the questionnaire is a problem, not an extra column
SELECT line, column_name, kind, problem FROM sipas.check_wide(
  E'Năm,Đơn vị,Câu.1,Câu.9\n2024,Sở A,5,4\n', 'Hà-Giang');

-- the long loader: an NFD item code in the file is the NFC item
CREATE TEMP TABLE hg_stg (LIKE sipas.staging_template INCLUDING ALL);
CREATE TABLE hg_answers (LIKE sipas.answers_template INCLUDING ALL);
INSERT INTO hg_stg (period, unit, respondent, item, score) VALUES
  ('2024', 'Sở A', 'r1', normalize('Câu.1', NFD), '5'), ('2024', 'Sở A', 'r1', 'Đ.3', '4');
SELECT line, item, item = 'Câu.1' AS nfc, scale FROM sipas.read_staging('hg_stg', 'Hà-Giang') ORDER BY line;
SELECT sipas.load_answers('hg_stg', 'hg_answers', 'Hà-Giang') AS loaded;
SELECT item, score, weight FROM hg_answers ORDER BY item COLLATE "C";

-- blank weights of the long loader: a file without weights is unweighted; a blank weight in
-- a file with weights is an error unless options say it means 1 (the wide loader's option)
TRUNCATE hg_stg RESTART IDENTITY;
TRUNCATE hg_answers;
INSERT INTO hg_stg (period, unit, respondent, item, score, weight) VALUES
  ('2024', 'Sở A', 'r1', 'Câu.1', '5', '2'), ('2024', 'Sở A', 'r2', 'Câu.1', '4', ' ');
SELECT * FROM sipas.check_answers('hg_stg', 'Hà-Giang');
SELECT sipas.load_answers('hg_stg', 'hg_answers', 'Hà-Giang');
SELECT count(*) AS nothing_loaded FROM hg_answers;
SELECT sipas.load_answers('hg_stg', 'hg_answers', 'Hà-Giang', '{"blank_weight": 1}') AS loaded;
SELECT respondent, weight FROM hg_answers ORDER BY respondent;
SELECT * FROM sipas.check_answers('hg_stg', options => '{"blank_weight": "error"}') WHERE kind = 'weight';
SELECT * FROM sipas.check_answers('hg_stg', options => '{"blank_weight": 0}');
SELECT * FROM sipas.check_answers('hg_stg', options => '{"blank": 1}');
SELECT * FROM sipas.check_answers('hg_stg', options => '[1]');
UPDATE hg_stg SET weight = NULL;
SELECT line, weight_value FROM sipas.read_staging('hg_stg') ORDER BY line;
SELECT count(*) AS no_problems FROM sipas.check_answers('hg_stg', 'Hà-Giang');
-- the wide loader's option: same name, same meaning
SELECT line, kind, problem FROM sipas.check_wide(E'Năm,Đơn vị,Trọng số,Câu.1\n2024,Sở A,2,5\n2024,Sở A,,4\n', 'Hà-Giang');
SELECT line, weight FROM sipas.wide_answers(E'Năm,Đơn vị,Trọng số,Câu.1\n2024,Sở A,2,5\n2024,Sở A,,4\n', 'Hà-Giang',
                                            '{"blank_weight": 1}') ORDER BY line;

-- renames: two nodes swap codes in one call (children and label sets follow)
INSERT INTO sipas.answer_label (questionnaire, item, scale, level, label) VALUES ('Hà-Giang', 'Câu.1', 5, 5, 'Tuyệt vời');
SELECT sipas.derive_questionnaire('HG-swap', 'Hà-Giang',
  '{"change": {"Câu.1": {"code": "Câu.2"}, "Câu.2": {"code": "Câu.1", "name_vi": "Câu 2 (nay là Câu.1)"}, "Phần-1": {"code": "Phần-Một"}}}');
SELECT code, parent, name_vi FROM sipas.node WHERE questionnaire = 'HG-swap' ORDER BY position, code COLLATE "C";
SELECT item, label FROM sipas.answer_label WHERE questionnaire = 'HG-swap';
-- a rename onto a code the variant keeps: an error with a hint, nothing left behind
SELECT sipas.derive_questionnaire('HG-clash', 'Hà-Giang', '{"change": {"Câu.1": {"code": "Câu.2"}}}');
SELECT count(*) AS no_clash FROM sipas.questionnaire WHERE code = 'HG-clash';
-- a cycle of three renames
SELECT sipas.derive_questionnaire('HG-cycle', 'Hà-Giang',
  '{"change": {"Câu.1": {"code": "Câu.2"}, "Câu.2": {"code": "Đ.3"}, "Đ.3": {"code": "Câu.1"}}}');
SELECT code, name_vi FROM sipas.node WHERE questionnaire = 'HG-cycle' AND kind = 'item' ORDER BY code COLLATE "C";

DROP TABLE hg_forms_loaded, hg_answers;
DELETE FROM sipas.questionnaire WHERE code IN ('Hà-Giang', 'HG-swap', 'HG-cycle');
