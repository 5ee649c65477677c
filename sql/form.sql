-- sipas.form: one respondent's answers.  Text and binary I/O, canonical
-- bytes, every input error, accessors; form_agg from long answer rows.
SET search_path = public, sipas;

-- ---- text form ----
SELECT '{"I.A.1":4,"I.A.2":5,"X.1":[2,3]}'::sipas.form AS f;
SELECT '{}'::sipas.form AS empty, sipas.n('{}'::sipas.form) AS n_empty;
-- whitespace anywhere between tokens; [level, 5] is printed as the bare level
SELECT E' {\n "b" : [ 2 , 5 ] ,\t"a":1 , "c":[10,10],"d":[1,2] } '::sipas.form AS f;
-- round trip: out -> in gives the same bytes
SELECT f::text::sipas.form = f AS round_trip, f::text
FROM (VALUES ('{"II.A.1":1,"I.A.1":5,"a-b_c.9":[7,9]}'::sipas.form)) v(f);

-- ---- canonical bytes: every order of the same answers is one value ----
CREATE TEMP TABLE questionnaire AS
SELECT code, position FROM sipas.node WHERE questionnaire = '2023' AND kind = 'item';
CREATE TEMP TABLE shuffled AS
SELECT g, ('{' || string_agg(format('"%s":%s', code, 1 + length(code) % 5), ',' ORDER BY md5(code || g)) || '}')::sipas.form AS f
FROM questionnaire, generate_series(1, 20) g GROUP BY g;
SELECT (SELECT count(*) FROM (SELECT DISTINCT f FROM shuffled) d) AS distinct_values,
       count(DISTINCT sipas_internal.form_send(f)) AS distinct_send, count(DISTINCT sipas_internal.form_hash(f)) AS distinct_hashes, min(pg_column_size(f)) AS bytes,
       max(pg_column_size(f)) AS max_bytes, min(sipas.n(f)) AS n
FROM shuffled;
-- the first answers in a different order every time (the test could not pass by accident)
SELECT count(DISTINCT left(x, 12)) > 1 AS orders_differ
FROM (SELECT g, string_agg(code, ',' ORDER BY md5(code || g)) AS x FROM questionnaire, generate_series(1, 20) g GROUP BY g) o;
-- text form of the 39-item form, and its sizes: stored, text, binary
SELECT f::text FROM shuffled WHERE g = 1;
SELECT pg_column_size(f) AS stored_bytes, octet_length(f::text) AS text_bytes,
       octet_length(sipas_internal.form_send(f)) AS binary_bytes FROM shuffled WHERE g = 1;
-- = and <> compare answers; hashing: GROUP BY, DISTINCT, hash join
SELECT '{"a":1,"b":2}'::sipas.form OPERATOR(sipas.=) '{"b":2,"a":1}' AS same,
       '{"a":1,"b":2}'::sipas.form OPERATOR(sipas.=) '{"a":1,"b":3}' AS other_level,
       '{"a":1}'::sipas.form OPERATOR(sipas.=) '{"a":[1,3]}' AS other_scale,
       '{"a":1}'::sipas.form OPERATOR(sipas.<>) '{"a":1,"b":1}' AS different;
SET enable_sort = off;
SELECT f, count(*) FROM (VALUES ('{"a":1,"b":2}'::sipas.form), ('{"b":2,"a":1}'), ('{"a":1}'), ('{"a":[1,5]}')) v(f)
GROUP BY f ORDER BY f::text;
RESET enable_sort;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM shuffled a JOIN shuffled b ON a.f OPERATOR(sipas.=) b.f;
SELECT count(*) AS pairs FROM shuffled a JOIN shuffled b ON a.f OPERATOR(sipas.=) b.f;
RESET enable_mergejoin;
RESET enable_nestloop;

-- ---- accessors ----
SELECT * FROM sipas.answers('{"I.B.2":3,"I.A.1":4,"X":[2,2]}');
SELECT sipas.n('{"I.B.2":3,"I.A.1":4,"X":[2,2]}'::sipas.form) AS n,
       sipas.level('{"I.B.2":3,"I.A.1":4}', 'I.B.2') AS level_ib2,
       sipas.level('{"I.B.2":3,"I.A.1":4}', 'I.B.1') AS blank,
       sipas.level('{"I.B.2":3,"I.A.1":4}', 'I.B.2 ') AS other_code;
-- forms -> long answers -> forms again
SELECT count(*) AS forms, sum(sipas.n(f)) AS answers,
       bool_and(f OPERATOR(sipas.=) (SELECT ('{' || string_agg(format('"%s":[%s,%s]', a.item, a.level, a.k), ',') || '}')::sipas.form
                                     FROM sipas.answers(f) a)) AS back_again
FROM shuffled;

-- ---- every input error: SQLSTATE, message and detail ----
CREATE FUNCTION pg_temp.try_form(t text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	st text; msg text; det text;
BEGIN
	RETURN t::sipas.form::text;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
	RETURN st || ': ' || msg || ' | ' || det;
END $$;
\pset format unaligned
SELECT input, pg_temp.try_form(input) AS result FROM (VALUES
	(''),
	('   '),
	('[]'),
	('{'),
	('{"a":1'),
	('{"a":1,}'),
	('{"a":1}}'),
	('{"a":1} x'),
	('{"a" 1}'),
	('{a:1}'),
	('{"a:1}'),
	('{"":1}'),
	('{"I A 1":1}'),
	('{"I.A.1é":1}'),
	('{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa":1}'),
	('{"a\u0041":1}'),
	('{"a":"4"}'),
	('{"a":null}'),
	('{"a":{"k":5}}'),
	('{"a":4.0}'),
	('{"a":4e0}'),
	('{"a":04}'),
	('{"a":+4}'),
	('{"a":0}'),
	('{"a":-1}'),
	('{"a":6}'),
	('{"a":99999999999999999999}'),
	('{"a":[4]}'),
	('{"a":[4,5,6]}'),
	('{"a":[4,1]}'),
	('{"a":[4,11]}'),
	('{"a":[4,3]}'),
	('{"a":[0,3]}'),
	('{"a":1,"b":2,"a":2}'),
	('{"a":1,"a":[1,3]}')
) v(input);
\pset format aligned
-- as the user sees it
SELECT '{"a":[4,3]}'::sipas.form;
-- more than 1000 answers
SELECT ('{' || string_agg(format('"q%s":1', i), ',') || '}')::sipas.form FROM generate_series(1, 1001) i;
SELECT sipas.n(('{' || string_agg(format('"q%s":1', i), ',') || '}')::sipas.form) AS n_1000 FROM generate_series(1, 1000) i;

-- ---- binary I/O ----
-- the send format: version 1, int32 count, then per answer: code length, code, k, level
SELECT sipas_internal.form_send('{"b":[2,3],"a":4}');
CREATE TEMP TABLE forms_text (id int, f sipas.form);
INSERT INTO forms_text SELECT g, f FROM shuffled;
INSERT INTO forms_text VALUES (100, '{}'), (101, NULL), (102, '{"a":[10,10],"b":[1,2],"c":[3,7]}'),
	(103, (SELECT ('{' || string_agg(format('"%s":1', repeat(chr(65 + i % 26), 1 + i % 28) || i), ',') || '}')::sipas.form
	       FROM generate_series(1, 1000) i));
CREATE TEMP TABLE forms_back (id int, f sipas.form);
-- COPY BINARY out and in again; a server file under the data directory
DO $$
BEGIN
	EXECUTE format('COPY forms_text TO %L (FORMAT binary)', current_setting('data_directory') || '/sipas_form_rt.bin');
	EXECUTE format('COPY forms_back FROM %L (FORMAT binary)', current_setting('data_directory') || '/sipas_form_rt.bin');
END $$;
SELECT count(*) AS rows, count(b.f) AS non_null,
       count(*) FILTER (WHERE sipas_internal.form_send(t.f) IS NOT DISTINCT FROM sipas_internal.form_send(b.f)
                          AND (t.f IS NULL OR t.f OPERATOR(sipas.=) b.f)) AS same
FROM forms_text t JOIN forms_back b USING (id);

-- crafted binary input: a COPY BINARY file of one row, written with lo_export
CREATE FUNCTION pg_temp.copy_form(payload bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	path text := current_setting('data_directory') || '/sipas_form_crafted.bin';
	lo oid;
	r text;
	st text; msg text; det text;
BEGIN
	lo := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea || '\x00000000'::bytea || '\x00000000'::bytea
	                       || '\x0001'::bytea || int4send(length(payload)) || payload || '\xffff'::bytea);
	PERFORM lo_export(lo, path);
	PERFORM lo_unlink(lo);
	TRUNCATE forms_back;
	BEGIN
		EXECUTE format('COPY forms_back (f) FROM %L (FORMAT binary)', path);
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
		RETURN st || ': ' || msg || ' | ' || det;
	END;
	SELECT f::text INTO r FROM forms_back;
	RETURN r;
END $$;
-- valid: any order is accepted and stored sorted
SELECT pg_temp.copy_form('\x01000000020162050401610302');
SELECT pg_temp.copy_form('\x0100000000');
-- every error (SQLSTATE 22P03 for malformed bytes, 22003 for k or level out of range)
\pset format unaligned
SELECT what, pg_temp.copy_form(payload) AS result FROM (VALUES
	('empty', '\x'::bytea),
	('4 bytes', '\x01000000'::bytea),
	('version 2', '\x020000000101610504'::bytea),
	('count -1', '\x01ffffffff'::bytea),
	('count 1001', '\x01000003e9'::bytea),
	('count 2^31-1', '\x017fffffff01610504'::bytea),
	('2 answers, bytes for 1', '\x010000000201610504'::bytea),
	('code length 0', '\x010000000100610504'::bytea),
	('code length 33', '\x010000000121'::bytea || decode(repeat('61', 33), 'hex') || '\x0504'::bytea),
	('code longer than the bytes left', '\x0100000001056105040000'::bytea),
	('invalid code byte (space)', '\x01000000010220610504'::bytea),
	('k 11', '\x010000000101610b04'::bytea),
	('k 1', '\x010000000101610104'::bytea),
	('level 0', '\x010000000101610500'::bytea),
	('level 6 of 5', '\x010000000101610506'::bytea),
	('a byte after the last answer', '\x01000000010161050400'::bytea),
	('two answers and a byte more', '\x0100000002016105040161050500'::bytea),
	('item twice', '\x01000000020161050401610505'::bytea)
) v(what, payload);
\pset format aligned

-- ---- form_agg: long answer rows -> one form per respondent ----
SELECT setseed(0.11);
-- 300 respondents x 39 items, item-major order (the rows of one form are spread over the table);
-- about 8 % blanks (NULL score), respondent 7 left everything blank, respondent NULL is a group too
CREATE TABLE fa_answers AS
SELECT unit, respondent, item, score::smallint AS score
FROM (SELECT 1 + r % 6 AS unit, CASE WHEN r = 300 THEN NULL ELSE r END AS respondent, q.code AS item,
             CASE WHEN r = 7 OR random() < 0.08 THEN NULL ELSE 1 + floor(random() * 5)::int END AS score
      FROM questionnaire q, generate_series(1, 300) r
      ORDER BY q.code, r) o;
ANALYZE fa_answers;
-- the same answers written as text forms by plain SQL
CREATE TEMP TABLE fa_text AS
SELECT unit, respondent, ('{' || string_agg(format('"%s":%s', item, score), ',') || '}')::sipas.form AS f
FROM fa_answers WHERE score IS NOT NULL GROUP BY unit, respondent;
CREATE TEMP TABLE fa_forms AS
SELECT unit, respondent, sipas.form_agg(item, score) AS f, count(*) AS rows, count(score) AS answered
FROM fa_answers GROUP BY unit, respondent;
SELECT count(*) AS forms, count(f) AS non_null, count(*) FILTER (WHERE respondent IS NULL) AS null_group,
       sum(sipas.n(f)) AS answers, sum(answered) AS answered_rows, sum(rows) AS rows
FROM fa_forms;
-- every form equals the text form of the same answers, byte for byte; the all-blank form is NULL
SELECT count(*) AS compared,
       count(*) FILTER (WHERE a.f OPERATOR(sipas.=) t.f AND sipas_internal.form_send(a.f) = sipas_internal.form_send(t.f)) AS equal,
       count(*) FILTER (WHERE a.f IS NULL) AS null_forms, min(a.respondent) FILTER (WHERE a.f IS NULL) AS blank_respondent
FROM fa_forms a LEFT JOIN fa_text t ON t.unit = a.unit AND t.respondent IS NOT DISTINCT FROM a.respondent;
SELECT respondent, f FROM fa_forms WHERE respondent IN (1, 7) ORDER BY respondent;
-- blanks are absent items: answers() gives back exactly the non-blank rows
SELECT count(*) AS rows_back,
       (SELECT count(*) FROM fa_answers WHERE score IS NOT NULL) AS non_blank_rows,
       count(*) FILTER (WHERE x.score = a.level AND a.k = 5) AS same_score
FROM fa_forms f, sipas.answers(f.f) a
LEFT JOIN fa_answers x ON x.item = a.item
WHERE x.unit = f.unit AND x.respondent IS NOT DISTINCT FROM f.respondent;
-- integer scores, k variants, the form-identifier variant: the same forms
SELECT count(*) AS forms,
       count(*) FILTER (WHERE a.f OPERATOR(sipas.=) i.f AND a.f OPERATOR(sipas.=) i.fk AND a.f OPERATOR(sipas.=) i.fid
                          AND a.f OPERATOR(sipas.=) i.fid_row AND a.f OPERATOR(sipas.=) i.fidint) AS same
FROM fa_forms a JOIN (
	SELECT unit, respondent, sipas.form_agg(item, score::int) AS f, sipas.form_agg(item, score, 5) AS fk,
	       sipas.form_agg(item, score, 5, respondent) AS fid, sipas.form_agg(item, score::int, 5, ROW(unit, respondent)) AS fid_row,
	       sipas.form_agg(item, score::int, 5, respondent::text) AS fidint
	FROM fa_answers GROUP BY unit, respondent) i ON i.unit = a.unit AND i.respondent IS NOT DISTINCT FROM a.respondent
WHERE a.f IS NOT NULL;
-- other scales: k per row
SELECT sipas.form_agg(item, score, k) FROM (VALUES ('Q1', 3, 3), ('Q2', 7, 7), ('Q3', 2, 2), ('Q4', NULL, 4), ('Q0', 10, 10)) v(item, score, k);
SELECT sipas.form_agg(item, score) FROM (VALUES ('b', NULL::int), ('a', NULL)) v(item, score) ;
SELECT sipas.form_agg(item, score) FROM fa_answers WHERE false;
-- NULL item with a NULL score is a blank too
SELECT sipas.form_agg(item, score) FROM (VALUES ('b', 2), (NULL, NULL)) v(item, score);

-- parallel plans: partial states of one form are combined; equal to the serial result
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT unit, respondent, sipas.form_agg(item, score) FROM fa_answers GROUP BY unit, respondent;
CREATE TEMP TABLE fa_parallel AS SELECT unit, respondent, sipas.form_agg(item, score) AS f FROM fa_answers GROUP BY unit, respondent;
SELECT count(*) AS forms, count(*) FILTER (WHERE p.f OPERATOR(sipas.=) a.f OR (p.f IS NULL AND a.f IS NULL)) AS same
FROM fa_parallel p JOIN fa_forms a ON a.unit = p.unit AND a.respondent IS NOT DISTINCT FROM p.respondent;
-- an item answered twice is found even when its two rows went to different workers
CREATE TABLE fa_dup AS SELECT * FROM fa_answers ORDER BY item, respondent;
INSERT INTO fa_dup VALUES (3, 8, 'I.A.1', 3);  -- respondent 8 is in unit 3
ANALYZE fa_dup;
-- (which rows a worker got varies: the message is cut before the scores and row numbers)
CREATE FUNCTION pg_temp.error_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	st text; msg text;
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
	RETURN st || ': ' || coalesce(substring(msg from '^item "[^"]*" is answered twice in one form'), msg);
END $$;
SELECT pg_temp.error_of('SELECT count(f) FROM (SELECT unit, respondent, sipas.form_agg(item, score) AS f FROM fa_dup GROUP BY unit, respondent) x');
RESET ALL;
SET search_path = public, sipas;
DROP TABLE fa_dup;

-- ---- form_agg errors: they name the item, the score, the scale and the form ----
SELECT sipas.form_agg(item, score) FROM (VALUES ('b', 4), ('a', 5), ('b', 3)) v(item, score);
SELECT sipas.form_agg(item, score, 5, 'unit 3, respondent 8') FROM (VALUES ('I.A.1', 3), ('I.A.2', 5), ('I.A.1', 4)) v(item, score);
SELECT sipas.form_agg(item, score, 3, ROW(2024, 'Sở Nội vụ', 17)) FROM (VALUES ('X.1', 3), ('X.2', 5)) v(item, score);
SELECT sipas.form_agg(item, score) FROM (VALUES ('I.A.1', 4), ('I.A.2', 0)) v(item, score);
SELECT sipas.form_agg(item, score) FROM (VALUES ('I.A.1', 4), ('I.A.2', 2), ('I.B.1', 1), ('I.B.2', 5), ('I.C.1', 5),
	('I.C.2', 3), ('I.C.3', 4), ('I.C.4', 6)) v(item, score);
SELECT sipas.form_agg(item, score, 5, NULL::int) FROM (VALUES ('I.A.1', 4), ('I.A.2', -1)) v(item, score);
SELECT sipas.form_agg(item, score) FROM (VALUES ('I.A.1', 4), (NULL, 5)) v(item, score);
SELECT sipas.form_agg(item, score) FROM (VALUES ('I.A.1', 4), ('I A 2', 5)) v(item, score);
SELECT sipas.form_agg(item, score) FROM (VALUES ('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 5)) v(item, score);
SELECT sipas.form_agg(item, score, NULL) FROM (VALUES ('I.A.1', 4)) v(item, score);
SELECT sipas.form_agg(item, score, 1) FROM (VALUES ('I.A.1', 4)) v(item, score);
-- k is checked on every row, also on a blank (NULL score), as likert_agg's
SELECT sipas.form_agg(item, score, 99) FROM (VALUES ('I.A.1', NULL::int)) v(item, score);
SELECT sipas.form_agg(item, score, 11) FROM (VALUES ('I.A.1', 4)) v(item, score);
-- a forgotten GROUP BY column: the rows of many forms in one group
SELECT sipas.form_agg(item, score) FROM fa_answers WHERE unit = 1;
SELECT sipas.form_agg('q' || i, 1) FROM generate_series(1, 1001) i;
SELECT sipas.n(sipas.form_agg('q' || i, 1)) AS n_1000 FROM generate_series(1, 1000) i;
DROP TABLE fa_answers;
