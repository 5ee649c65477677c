-- Hardening of the forms section (issue 15, N1-N3; doc/hardening.md): weight
-- sums that overflow, negative zero in binary input, comprehensive index and
-- its standard error on crafted or degenerate input.
SET search_path = public, sipas;
\set VERBOSITY terse

-- ---- N1: weight sums of the forms section must stay finite (22003) ----
-- a form without answers: only the forms section sees its weight; w^2 = inf
-- used to be printed as w2 = 0
SELECT sipas.survey_agg(f, w) FROM (VALUES ('{}'::sipas.form, 1e200::float8)) v(f, w);
-- variant: each weight finite with a finite square, their sum overflows
SELECT sipas.survey_agg(f, w) FROM (VALUES ('{}'::sipas.form, 1.7e308::float8), ('{}', 1.7e308)) v(f, w);
-- variant: forms with answers, w^2 overflows in the forms sums too
SELECT sipas.survey_agg(f, w) FROM (VALUES ('{"a":4}'::sipas.form, 1e160::float8), ('{}', 1e160)) v(f, w);
-- variant: combining two finite summaries (rollup) whose sums overflow
SELECT sipas.rollup(s) FROM (
  SELECT sipas.survey_agg(f, w) s FROM (VALUES ('{}'::sipas.form, 1e154::float8), ('{}', 1.2e154)) v(f, w)
  UNION ALL
  SELECT sipas.survey_agg(f, w) s FROM (VALUES ('{}'::sipas.form, 1.3e154::float8)) v(f, w)) x;
-- just below the limit: accepted, sums finite and not 0
SELECT sipas.survey_agg(f, w)::text FROM (VALUES ('{}'::sipas.form, 1e154::float8)) v(f, w);
-- parallel plans combine states: the same error, never a garbage summary
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
CREATE TABLE fh_big AS SELECT g, '{}'::sipas.form AS f, 1e150::float8 * (1 + g % 7) AS w FROM generate_series(1, 20000) g;
SELECT sipas.survey_agg(f, w) IS NOT NULL AS finite_sum FROM fh_big;
UPDATE fh_big SET w = 1.3e154 WHERE g IN (1, 10000, 19999);
SELECT sipas.survey_agg(f, w) FROM fh_big;
DROP TABLE fh_big;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

-- ---- N2: -0 in the binary input is +0, as in text input ----
CREATE TEMP TABLE fh_raw (id int, b bytea);
-- the summary of one empty form with weight 2: answering_w (bytes 47-54),
-- all_sat_w2 (bytes 71-78) and both at once get their sign bit set
INSERT INTO fh_raw
SELECT id, CASE id WHEN 1 THEN overlay(b PLACING '\x80'::bytea FROM 47)
                   WHEN 2 THEN overlay(b PLACING '\x80'::bytea FROM 71)
                   ELSE overlay(overlay(b PLACING '\x80'::bytea FROM 47) PLACING '\x80'::bytea FROM 55) END
FROM (SELECT sipas_internal.survey_send(sipas.survey_agg(f, 2.0)) b FROM (VALUES ('{}'::sipas.form)) v(f)) x,
     generate_series(1, 3) id;
SELECT id, b FROM fh_raw ORDER BY id;
DO $$ BEGIN
	EXECUTE format('COPY (SELECT b FROM fh_raw ORDER BY id) TO %L (FORMAT binary)',
				   current_setting('data_directory') || '/sipas_fh_n2.bin');
END $$;
CREATE TEMP TABLE fh_back (s sipas.survey);
DO $$ BEGIN
	EXECUTE format('COPY fh_back FROM %L (FORMAT binary)', current_setting('data_directory') || '/sipas_fh_n2.bin');
END $$;
-- equal to the value read from its own text, and sent back with +0
SELECT s::text, s OPERATOR(sipas.=) s::text::sipas.survey AS same_as_text,
       position('\x80'::bytea IN substr(sipas_internal.survey_send(s), 7)) AS sign_bit_at
FROM fh_back;

-- ---- N3: comprehensive index within [0, 100], its standard error never 0 by accident ----
-- all_sat_w above answering_w within the check's rounding tolerance: was 100.00000004
SELECT sipas.comprehensive_index(s), sipas.comprehensive_std_error(s)
FROM (SELECT replace(sipas.survey_agg(f, w)::text, '"all_sat_w":5', '"all_sat_w":5.000000002')::sipas.survey s
      FROM (VALUES ('{"a":4}'::sipas.form, 2.0::float8), ('{"a":5}', 3.0)) v(f, w)) x;
-- variant: all_sat_w2 above answering_w2 as well (the variance term went negative)
SELECT sipas.comprehensive_index(s), sipas.comprehensive_std_error(s)
FROM (SELECT replace(replace(sipas.survey_agg(f, w)::text, '"all_sat_w":5', '"all_sat_w":5.000000004'),
                     '"all_sat_w2":13', '"all_sat_w2":13.00000001')::sipas.survey s
      FROM (VALUES ('{"a":4}'::sipas.form, 2.0::float8), ('{"a":5}', 3.0)) v(f, w)) x;
-- variant: within tolerance but not all satisfied: the share stays below 100
SELECT sipas.comprehensive_index(s) < 100 AS below_100
FROM (SELECT replace(sipas.survey_agg(f, w)::text, '"all_sat_w":2', '"all_sat_w":2.000000001')::sipas.survey s
      FROM (VALUES ('{"a":4}'::sipas.form, 2.0::float8), ('{"a":2}', 3.0)) v(f, w)) x;
-- ordinary values are unchanged: 2 of 5 weight satisfied
SELECT sipas.comprehensive_index(s), round(sipas.comprehensive_std_error(s)::numeric, 10) AS se
FROM (SELECT sipas.survey_agg(f, w) s FROM (VALUES ('{"a":4}'::sipas.form, 2.0::float8), ('{"a":2}', 3.0)) v(f, w)) x;
-- weights whose squares underflow: NULL standard error, never 0 (scale invariance)
SELECT w, sipas.comprehensive_index(s), sipas.comprehensive_std_error(s) IS NULL AS se_null,
       sipas.comprehensive_std_error(s) = 0 AS se_zero
FROM (SELECT w, sipas.survey_agg(f, w * m) s
      FROM (VALUES ('{"a":4}'::sipas.form, 1.0::float8), ('{"a":2}', 1.0), ('{"a":5}', 2.0)) v(f, m),
           (VALUES (1.0::float8), (2e-150), (1e-160), (1e-170), (1e-300)) ws(w)
      GROUP BY w) x ORDER BY w DESC;

-- crafted weight sums whose square overflows (answering_w 1e200): was a standard error of 0
SELECT sipas.comprehensive_index(s), sipas.comprehensive_std_error(s) IS NULL AS se_null
FROM (SELECT replace(replace(replace(sipas.survey_agg(f, w)::text, '"answering_w":5', '"answering_w":1e200'),
                             '"w":5', '"w":1e200'), '"all_sat_w":2', '"all_sat_w":5e199')::sipas.survey s
      FROM (VALUES ('{"a":4}'::sipas.form, 2.0::float8), ('{"a":2}', 3.0)) v(f, w)) x;

-- ---- the same class in contrast_std_error: never infinite ----
SELECT sipas.contrast_std_error(s, '{a,b}', '{1e300,1e300}') AS huge_coefs
FROM (SELECT sipas.survey_agg(f, w) s FROM (VALUES ('{"a":4,"b":2}'::sipas.form, 1e-300::float8), ('{"a":2,"b":5}', 1e-300)) v(f, w)) x;

-- ---- binary input over the item limit: 54000, as text input and the aggregates ----
CREATE TEMP TABLE fh_many (id int, b bytea);
INSERT INTO fh_many
SELECT 1, '\x01'::bytea || int4send(1001) || substr(sipas_internal.survey_send(big), 6) || substr(sipas_internal.survey_send(one), 6)
FROM (SELECT sipas.survey_agg('i' || lpad(g::text, 4, '0'), 1, 1, 2) big FROM generate_series(1, 1000) g) x,
     (SELECT sipas.survey_agg('z', 1, 1, 2) one) y;
-- variant: the same count without the bytes for it stays corrupt data (22P03)
INSERT INTO fh_many SELECT 2, substr(b, 1, 100) FROM fh_many WHERE id = 1;
SELECT id, octet_length(b) FROM fh_many ORDER BY id;
DO $$ BEGIN
	EXECUTE format('COPY (SELECT b FROM fh_many WHERE id = 1) TO %L (FORMAT binary)', current_setting('data_directory') || '/sipas_fh_m1.bin');
	EXECUTE format('COPY (SELECT b FROM fh_many WHERE id = 2) TO %L (FORMAT binary)', current_setting('data_directory') || '/sipas_fh_m2.bin');
END $$;
DO $$
DECLARE
	st text;
	msg text;
BEGIN
	FOR i IN 1 .. 2 LOOP
		BEGIN
			EXECUTE format('COPY fh_back FROM %L (FORMAT binary)', current_setting('data_directory') || '/sipas_fh_m' || i || '.bin');
			RAISE NOTICE 'file %: accepted', i;
		EXCEPTION WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
			RAISE NOTICE 'file %: % %', i, st, msg;
		END;
	END LOOP;
END $$;
