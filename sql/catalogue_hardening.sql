-- The questionnaire catalogue under stress (issue 15: F2, F4, F8, F11): the
-- per-call cache holds several questionnaires without leaking, notices
-- catalogue changes under every snapshot rule, node counts cannot overflow,
-- and deep or large questionnaires load in linear time within the caps.
SET search_path = public;
SET client_min_messages = warning;

-- a small user questionnaire: ALL -> A (item A.1), B (item B.1)
INSERT INTO sipas.questionnaire (code, name_vi) VALUES ('tq', 'thử');
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale, weight) VALUES
  ('tq', 'ALL', NULL, 'overall', 0, 'Tổng', NULL, 1),
  ('tq', 'A', 'ALL', 'group', 1, 'A', NULL, 1),
  ('tq', 'B', 'ALL', 'group', 2, 'B', NULL, 1),
  ('tq', 'A.1', 'A', 'item', 1, 'a1', 5, 1),
  ('tq', 'B.1', 'B', 'item', 1, 'b1', 5, 1);
-- A = 100, B = 0: mean 50; weighted with A at 3: 75
CREATE TABLE cat_s (s sipas.survey);
INSERT INTO cat_s VALUES ('{"A.1":{"k":5,"n":[0,0,0,0,10]},"B.1":{"k":5,"n":[10,0,0,0,0]}}');

-- ---- F4: the cache follows catalogue changes ----

-- the reproducer: a PL/pgSQL loop, the simple expression's cache lives across statements
CREATE FUNCTION cat_f4_loop() RETURNS TABLE (round int, cached float8, fresh float8)
LANGUAGE plpgsql AS $$
DECLARE
	s sipas.survey := (SELECT c.s FROM cat_s c);
	v float8;
BEGIN
	FOR i IN 1..3 LOOP
		v := sipas.overall(s, 'tq', 'weighted');
		round := i; cached := v;
		fresh := (SELECT sipas.overall(c.s, 'tq', 'weighted') FROM cat_s c);
		RETURN NEXT;
		UPDATE sipas.node SET weight = weight + 2 WHERE questionnaire = 'tq' AND code = 'A';
	END LOOP;
END $$;
SELECT * FROM cat_f4_loop();
UPDATE sipas.node SET weight = 1 WHERE questionnaire = 'tq' AND code = 'A';

-- one call site for the checks below: a PL/pgSQL function's expression keeps its
-- state (and fn_extra) for the whole transaction, however often it is called
CREATE FUNCTION cat_ov(s sipas.survey, node text DEFAULT 'ALL', rule text DEFAULT 'weighted')
RETURNS float8 LANGUAGE plpgsql AS $$ BEGIN RETURN sipas.node_index(s, node, 'tq', rule); END $$;

-- a summary the changed catalogue rejects is rejected (scale, then a removed item)
DO $$
DECLARE
	s sipas.survey := (SELECT c.s FROM cat_s c);
BEGIN
	RAISE WARNING 'before: %', cat_ov(s);
	UPDATE sipas.node SET scale = 4 WHERE questionnaire = 'tq' AND code = 'B.1';
	BEGIN
		RAISE WARNING 'after the scale change: % (accepted)', cat_ov(s);
	EXCEPTION WHEN invalid_parameter_value THEN
		RAISE WARNING 'after the scale change: %', SQLERRM;
	END;
	UPDATE sipas.node SET scale = 5 WHERE questionnaire = 'tq' AND code = 'B.1';
	RAISE WARNING 'B restored: %', cat_ov(s, 'B');
	DELETE FROM sipas.node WHERE questionnaire = 'tq' AND code = 'B.1';
	BEGIN
		RAISE WARNING 'after the delete: % (accepted)', cat_ov(s, 'B');
	EXCEPTION WHEN invalid_parameter_value THEN
		RAISE WARNING 'after the delete: %', SQLERRM;
	END;
	RAISE EXCEPTION 'undo' USING ERRCODE = 'P0001';
EXCEPTION WHEN raise_exception THEN
	RAISE WARNING 'rolled back: %', cat_ov(s, 'B');
END $$;

-- a rolled-back subtransaction: its change disappears for the cache too
DO $$
DECLARE
	s sipas.survey := (SELECT c.s FROM cat_s c);
BEGIN
	RAISE WARNING 'start: %', cat_ov(s);
	BEGIN
		UPDATE sipas.node SET weight = 3 WHERE questionnaire = 'tq' AND code = 'A';
		RAISE WARNING 'inside: %', cat_ov(s);
		RAISE EXCEPTION 'undo' USING ERRCODE = 'P0001';
	EXCEPTION WHEN raise_exception THEN
		NULL;
	END;
	RAISE WARNING 'after the rollback: %', cat_ov(s);
END $$;

-- the same transaction, one statement after another (plain SQL)
BEGIN;
SELECT sipas.overall(s, 'tq', 'weighted') AS before FROM cat_s;
UPDATE sipas.node SET weight = 3 WHERE questionnaire = 'tq' AND code = 'A';
SELECT sipas.overall(s, 'tq', 'weighted') AS after FROM cat_s;
ROLLBACK;

-- a DO block that commits: its expressions (and the cache) outlive each transaction
DO $$
DECLARE
	s sipas.survey := (SELECT c.s FROM cat_s c);
	v float8;
BEGIN
	FOR i IN 1..4 LOOP
		v := sipas.overall(s, 'tq', 'weighted');
		RAISE WARNING 'step %: %', i, v;
		IF i = 1 THEN
			UPDATE sipas.node SET weight = 3 WHERE questionnaire = 'tq' AND code = 'A';
			COMMIT;				-- step 2 sees 3 in a new transaction
		ELSIF i = 2 THEN
			UPDATE sipas.node SET weight = 1 WHERE questionnaire = 'tq' AND code = 'A';
		ELSIF i = 3 THEN
			ROLLBACK;			-- step 4 is back at 3
		END IF;
	END LOOP;
	UPDATE sipas.node SET weight = 1 WHERE questionnaire = 'tq' AND code = 'A';
END $$;

-- another session's committed change: seen by the next statement under READ COMMITTED,
-- not within a REPEATABLE READ transaction (dblink is the other session)
CREATE EXTENSION dblink;
SELECT dblink_connect('other', pg_catalog.format('host=127.0.0.1 port=%s dbname=%s user=%s',
	current_setting('port'), current_database(), current_user)) AS connected;
CREATE FUNCTION cat_f4_other(w float8) RETURNS TABLE (step text, cached float8, fresh float8)
LANGUAGE plpgsql AS $$
DECLARE
	s sipas.survey := (SELECT c.s FROM cat_s c);
BEGIN
	step := 'before'; cached := cat_ov(s);
	fresh := (SELECT sipas.overall(c.s, 'tq', 'weighted') FROM cat_s c);
	RETURN NEXT;
	PERFORM dblink_exec('other', pg_catalog.format(
		'UPDATE sipas.node SET weight = %s WHERE questionnaire = %L AND code = %L', w, 'tq', 'A'));
	step := 'after'; cached := cat_ov(s);
	fresh := (SELECT sipas.overall(c.s, 'tq', 'weighted') FROM cat_s c);
	RETURN NEXT;
END $$;
SELECT * FROM cat_f4_other(3);
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT * FROM cat_f4_other(1);
COMMIT;
SELECT sipas.overall(s, 'tq', 'weighted') AS committed_weight_1 FROM cat_s;
SELECT dblink_disconnect('other');
DROP FUNCTION cat_f4_other(float8);
DROP EXTENSION dblink;

-- ---- F2: several questionnaires per call site, no leak ----

-- the reproducer (2017 and 2023 interleaved row by row)
SELECT count(sipas.overall(s, q)) FROM (SELECT CASE WHEN g % 2 = 0 THEN '2017' ELSE '2023' END q,
	'{}'::sipas.survey s FROM generate_series(1, 50000) g) x;

-- ten questionnaires (more than one call site caches) in turn, with real figures
INSERT INTO sipas.questionnaire (code, name_vi) SELECT 'tq' || i, 'thử ' || i FROM generate_series(0, 9) i;
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale, weight)
SELECT 'tq' || i, code, parent, kind, position, name_vi, scale, CASE WHEN code = 'A' THEN i ELSE weight END
FROM sipas.node, generate_series(0, 9) i WHERE questionnaire = 'tq';
-- weighted: 100 * i / (i + 1)
SELECT count(*) AS rows,
       count(*) FILTER (WHERE abs(v - 100.0 * (g % 10) / (g % 10 + 1)) < 1e-9) AS right_figures
FROM (SELECT g, sipas.overall(s, 'tq' || (g % 10), 'weighted') v FROM cat_s, generate_series(1, 3000) g) x;
SELECT count(*) AS rows,
       count(*) FILTER (WHERE abs(v - 100.0 * (g % 3) / (g % 3 + 1)) < 1e-9) AS right_figures
FROM (SELECT g, sipas.node_index(s, 'ALL', 'tq' || (g % 3), 'weighted') v FROM cat_s, generate_series(1, 3000) g) x;

-- within a query the snapshot is fixed: each questionnaire is read once, however interleaved
-- (scans of sipas.node counted before and after, within one transaction: no flush between)
CREATE FUNCTION cat_reads() RETURNS bigint LANGUAGE sql VOLATILE AS $$
	SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_catalog.pg_stat_xact_user_tables
	WHERE relid = 'sipas.node'::pg_catalog.regclass $$;
BEGIN;
CREATE TEMP TABLE cat_reads_before ON COMMIT DROP AS SELECT cat_reads() AS n;
SELECT count(v) AS figures FROM (SELECT sipas.overall(s, 'tq' || (g % 3), 'weighted') v
	FROM cat_s, generate_series(1, 30000) g) x;
SELECT cat_reads() - n AS catalogue_reads FROM cat_reads_before;
COMMIT;

-- memory stays flat: the backend's memory while the query runs, at row 10,000 and at row
-- 50,000 of an interleaved run (the leak was about 16 kB per row)
CREATE FUNCTION cat_used_bytes(g int) RETURNS bigint LANGUAGE sql VOLATILE AS
	'SELECT sum(used_bytes)::bigint FROM pg_catalog.pg_backend_memory_contexts WHERE $1 >= 0';
SELECT max(m) FILTER (WHERE g = 50000) - max(m) FILTER (WHERE g = 10000) < 1000000 AS flat_two,
       count(v) AS figures
FROM (SELECT g, v, CASE WHEN g IN (10000, 50000) THEN cat_used_bytes(g) END m
      FROM (SELECT g, sipas.overall(s, CASE WHEN g % 2 = 0 THEN 'tq1' ELSE 'tq2' END, 'weighted') v
            FROM cat_s, generate_series(1, 50000) g OFFSET 0) x) y;
-- ten questionnaires: every row loads one (more than a call site caches), memory stays flat
SELECT max(m) FILTER (WHERE g = 5000) - max(m) FILTER (WHERE g = 1000) < 1000000 AS flat_ten,
       count(v) AS figures
FROM (SELECT g, v, CASE WHEN g IN (1000, 5000) THEN cat_used_bytes(g) END m
      FROM (SELECT g, sipas.overall(s, 'tq' || (g % 10), 'weighted') v
            FROM cat_s, generate_series(1, 5000) g OFFSET 0) x) y;
-- and in a PL/pgSQL loop, whose simple expressions live as long as the transaction
DO $$
DECLARE
	s sipas.survey := (SELECT c.s FROM cat_s c);
	v float8;
	m1 bigint;
	m2 bigint;
BEGIN
	FOR i IN 1..6000 LOOP
		v := sipas.overall(s, 'tq' || (i % 10), 'weighted');
		IF i = 1000 THEN
			m1 := cat_used_bytes(i);
		END IF;
	END LOOP;
	m2 := cat_used_bytes(0);
	RAISE WARNING 'PL/pgSQL loop flat: %', m2 - m1 < 1000000;
END $$;
DELETE FROM sipas.questionnaire WHERE code LIKE 'tq_';

-- ---- F8: node counts are added with overflow checks ----

CREATE TABLE cat_big (s sipas.survey);
INSERT INTO cat_big VALUES
  ('{"A.1":{"k":5,"n":[0,0,0,0,9223372036854775807]},"B.1":{"k":5,"n":[1,0,0,0,0]}}');
SELECT sipas.n(s) FROM cat_big;
SELECT sipas.node_n(s, 'ALL', 'tq') FROM cat_big;
SELECT sipas.node_n(s, 'A', 'tq') AS a, sipas.node_n(s, 'B', 'tq') AS b,
       sipas.overall(s, 'tq') AS overall FROM cat_big;
SELECT count(*) FROM cat_big, sipas.breakdown(s, 'tq');
SELECT sipas.node_n(s, 'I', '2023') FROM
  (SELECT sipas.rollup(s) s FROM (VALUES ('{"I.A.1":{"k":5,"n":[0,0,0,0,4611686018427387904]}}'::sipas.survey),
                                         ('{"I.A.2":{"k":5,"n":[0,0,0,0,4611686018427387904]}}')) v(s)) r;
-- just below the limit
SELECT sipas.node_n(s, 'I', '2023') FROM
  (SELECT sipas.rollup(s) s FROM (VALUES ('{"I.A.1":{"k":5,"n":[0,0,0,0,4611686018427387904]}}'::sipas.survey),
                                         ('{"I.A.2":{"k":5,"n":[0,0,0,0,4611686018427387903]}}')) v(s)) r;

-- ---- F11: deep and large questionnaires, linear time, interruptible, capped ----

-- reading and evaluating run under a 5 s timeout: the former quadratic code took
-- minutes on the 100,000-node questionnaire below (and did not check for interrupts)
CREATE FUNCTION cat_timed(sql text) RETURNS SETOF record LANGUAGE plpgsql
SET statement_timeout = '5s' AS $$ BEGIN RETURN QUERY EXECUTE sql; END $$;

-- a 20,000-node chain is deeper than the cap: a clear error at once
INSERT INTO sipas.questionnaire (code, name_vi) VALUES ('chain', 'chuỗi');
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale)
SELECT 'chain', 'N' || g, CASE WHEN g > 0 THEN 'N' || (g - 1) END,
       CASE WHEN g = 0 THEN 'overall' WHEN g = 19999 THEN 'item' ELSE 'group' END, g, 'x',
       CASE WHEN g = 19999 THEN 5 END
FROM generate_series(0, 19999) g;
SELECT * FROM cat_timed($q$ SELECT sipas.overall('{"N19999":{"k":5,"n":[0,0,0,1,1]}}', 'chain') $q$) t(v float8);
-- cut at the cap (1,000 levels below the root): it evaluates
DELETE FROM sipas.node WHERE questionnaire = 'chain' AND position > 1000;
UPDATE sipas.node SET kind = 'item', scale = 5 WHERE questionnaire = 'chain' AND code = 'N1000';
SELECT * FROM cat_timed($q$
  SELECT sipas.overall('{"N1000":{"k":5,"n":[0,0,0,1,3]}}', 'chain'),
         sipas.node_index('{"N1000":{"k":5,"n":[0,0,1,1,2]}}', 'N500', 'chain'),
         sipas.node_n('{"N1000":{"k":5,"n":[0,0,1,1,2]}}', 'N1', 'chain') $q$)
  t(deepest float8, middle float8, n bigint);
SELECT * FROM cat_timed($q$
  SELECT min(level), max(level), count(*), bool_and(index = 100)
  FROM sipas.breakdown('{"N1000":{"k":5,"n":[0,0,0,0,2]}}', 'chain') $q$)
  t(min int, max int, count bigint, all_100 bool);
-- one level more is refused
UPDATE sipas.node SET kind = 'group', scale = NULL WHERE questionnaire = 'chain' AND code = 'N1000';
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale)
VALUES ('chain', 'N1001', 'N1000', 'item', 1001, 'x', 5);
SELECT * FROM cat_timed($q$ SELECT sipas.overall('{"N1001":{"k":5,"n":[0,0,0,1,1]}}', 'chain') $q$) t(v float8);
DELETE FROM sipas.node WHERE questionnaire = 'chain' AND code = 'N1001';
UPDATE sipas.node SET kind = 'item', scale = 5 WHERE questionnaire = 'chain' AND code = 'N1000';
-- the largest questionnaire allowed (100,000 nodes), as deep as allowed and very wide:
-- 98,998 items under the deepest group, one item J beside the chain
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale)
SELECT 'chain', 'I' || g, 'N999', 'item', 1000 + g, 'x', 5 FROM generate_series(1, 98998) g
UNION ALL SELECT 'chain', 'J', 'N500', 'item', 2000, 'x', 5;
SELECT count(*) AS nodes FROM sipas.node WHERE questionnaire = 'chain';
CREATE TABLE cat_wide AS
SELECT sipas.survey_agg(item, score) s FROM (VALUES ('I1', 5), ('I2', 1), ('I98998', 4), ('N1000', 2), ('J', 5)) v(item, score);
-- N999 = (0 + 100 + 0 + 100) / 4 = 50 up to N501; N500 and above: (50 + 100) / 2 = 75;
-- by items: (50 * 98999 + 100) / 99000
SELECT * FROM cat_timed($q$
  SELECT round(sipas.overall(s, 'chain')::numeric, 6),
         round(sipas.overall(s, 'chain', 'items')::numeric, 6),
         sipas.node_index(s, 'N999', 'chain') = sipas.node_index(s, 'N501', 'chain'),
         sipas.node_n(s, 'N0', 'chain')
  FROM cat_wide $q$) t(mean numeric, items numeric, same_down_the_chain bool, n bigint);
SELECT * FROM cat_timed($q$
  SELECT count(*), count(index), max(level),
         string_agg(code, ' ' ORDER BY ord) FILTER (WHERE index IS NOT NULL AND level > 998)
  FROM cat_wide, sipas.breakdown(s, 'chain') WITH ORDINALITY b(level, kind, code, name, name_en, n, index, lower, upper, ord) $q$)
  t(rows bigint, with_index bigint, depth int, deepest text);
SELECT * FROM cat_timed($q$ SELECT w.* FROM cat_wide, sipas.item_weights(s, 'chain', 'items') w $q$)
  t(item text, weight float8, index float8, n bigint);
-- one node more than the cap
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale)
VALUES ('chain', 'I99000', 'N999', 'item', 99999, 'x', 5);
SELECT * FROM cat_timed($q$ SELECT sipas.overall(s, 'chain') FROM cat_wide $q$) t(v float8);

-- the catalogue is still checked as a tree: unknown parent, item with a child, cycle, no root
DELETE FROM sipas.node WHERE questionnaire = 'chain';
INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, scale) VALUES
  ('chain', 'R', NULL, 'overall', 0, 'x', NULL), ('chain', 'G', 'R', 'group', 1, 'x', NULL),
  ('chain', 'X', 'Y', 'group', 2, 'x', NULL), ('chain', 'Y', 'X', 'group', 3, 'x', NULL),
  ('chain', 'Q', 'G', 'item', 4, 'x', 5);
SELECT sipas.overall('{"Q":{"k":5,"n":[0,0,0,1,1]}}', 'chain');
UPDATE sipas.node SET parent = 'Q' WHERE questionnaire = 'chain' AND code = 'X';
SELECT sipas.overall('{"Q":{"k":5,"n":[0,0,0,1,1]}}', 'chain');
DELETE FROM sipas.node WHERE questionnaire = 'chain' AND code IN ('X', 'Y');
DELETE FROM sipas.node WHERE questionnaire = 'chain' AND code = 'R';
SELECT sipas.overall('{"Q":{"k":5,"n":[0,0,0,1,1]}}', 'chain');
SELECT sipas.node_index('{}', repeat('x', 40), '2023');

DELETE FROM sipas.questionnaire WHERE code IN ('tq', 'chain');
DROP TABLE cat_s, cat_big, cat_wide;
DROP FUNCTION cat_f4_loop(), cat_used_bytes(int), cat_timed(text), cat_reads();
DROP FUNCTION cat_ov(sipas.survey, text, text);

-- N4: the row check looks rows up by the primary key whatever the statistics
-- say (a plan cached while sipas.node was small scanned it once per row: the
-- 99,000-node load above took minutes instead of seconds)
SELECT proconfig FROM pg_proc WHERE oid = 'sipas_internal.catalogue_row_check'::regproc;
