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
       count(DISTINCT sipas.form_send(f)) AS distinct_send, count(DISTINCT sipas.form_hash(f)) AS distinct_hashes, min(pg_column_size(f)) AS bytes,
       max(pg_column_size(f)) AS max_bytes, min(sipas.n(f)) AS n
FROM shuffled;
-- the first answers in a different order every time (the test could not pass by accident)
SELECT count(DISTINCT left(x, 12)) > 1 AS orders_differ
FROM (SELECT g, string_agg(code, ',' ORDER BY md5(code || g)) AS x FROM questionnaire, generate_series(1, 20) g GROUP BY g) o;
-- text form of the 39-item form, and its sizes: stored, text, binary
SELECT f::text FROM shuffled WHERE g = 1;
SELECT pg_column_size(f) AS stored_bytes, octet_length(f::text) AS text_bytes,
       octet_length(sipas.form_send(f)) AS binary_bytes FROM shuffled WHERE g = 1;
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
SELECT sipas.form_send('{"b":[2,3],"a":4}');
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
       count(*) FILTER (WHERE sipas.form_send(t.f) IS NOT DISTINCT FROM sipas.form_send(b.f)
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
