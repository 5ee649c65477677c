-- tests/fuzz/fuzz.sql - server side of the SQL fuzzer (tests/fuzz/fuzz.py).
--
-- Schema fz in a database of its own.  The driver loads a batch of candidate
-- inputs (text into fz.input, binary as one COPY BINARY file per input), then
-- calls one fz.run_* function per batch.  Every input is fed to the type's
-- input function inside its own BEGIN/EXCEPTION block:
--   rejected  -> the SQLSTATE must be of class 22 (data exception), and the
--                error message and detail must be valid UTF-8;
--   accepted  -> fz.check_likert / fz.check_survey / fz.check_form: text round trip
--                (v::text::type has the same bytes as v), every accessor, and
--                invariants of the figures; the batch's accepted values then
--                make a binary round trip (COPY TO binary, COPY FROM binary).
-- Problems go to fz.issue: cat is what went wrong, known is non-NULL when the
-- problem has the signature of a defect of doc/hardening.md ("Findings": F1, F2;
-- both fixed, so they count as failures unless FUZZ_TOLERATE lists them).
-- A run_* function returns one JSON line with the batch's tallies.

CREATE SCHEMA fz;

CREATE TABLE fz.input (id int PRIMARY KEY, val text NOT NULL);
-- COPY BINARY targets: id comes from the setting fz.id, set before each COPY
CREATE TABLE fz.bin_likert (v sipas.likert, id int DEFAULT current_setting('fz.id')::int);
CREATE TABLE fz.bin_survey (v sipas.survey, id int DEFAULT current_setting('fz.id')::int);
CREATE TABLE fz.bin_form (v sipas.form, id int DEFAULT current_setting('fz.id')::int);
CREATE TABLE fz.ok_likert (id int, v sipas.likert);
CREATE TABLE fz.ok_survey (id int, v sipas.survey);
CREATE TABLE fz.ok_form (id int, v sipas.form);
CREATE TABLE fz.back_likert (id int, v sipas.likert);
CREATE TABLE fz.back_survey (id int, v sipas.survey);
CREATE TABLE fz.back_form (id int, v sipas.form);
CREATE TABLE fz.issue (id int, kind text, cat text, known text, st text, msg text);

-- valid UTF-8?  Plain ASCII is checked without a subtransaction.
CREATE FUNCTION fz.utf8_ok(t text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	IF t IS NULL OR t ~ '^[ -~\t\n\r]*$' THEN
		RETURN true;
	END IF;
	BEGIN
		PERFORM convert_from(convert_to(t, 'UTF8'), 'UTF8');
		RETURN true;
	EXCEPTION WHEN character_not_in_repertoire OR untranslatable_character THEN
		RETURN false;
	END;
END $$;

-- hex of the bytes of a text that may hold invalid UTF-8, for reports
CREATE FUNCTION fz.safe(t text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	IF fz.utf8_ok(t) THEN
		RETURN left(t, 300);
	END IF;
	RETURN 'invalid UTF-8, bytes: ' || left(encode(textsend(t), 'escape'), 300);
END $$;

CREATE FUNCTION fz.issue(p_id int, p_kind text, p_cat text, p_known text, p_st text, p_msg text)
RETURNS void LANGUAGE sql AS $$
	INSERT INTO fz.issue VALUES (p_id, p_kind, p_cat, p_known, p_st, fz.safe(p_msg));
$$;

-- An input was rejected: class 22 is the contract, and 54000 for a summary over the item
-- limit (the same SQLSTATE as the aggregates give for it); the message must be valid UTF-8.
CREATE FUNCTION fz.rejected(p_id int, p_kind text, st text, msg text, det text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF st NOT LIKE '22%' AND NOT (st = '54000' AND msg LIKE 'too many items%') THEN
		PERFORM fz.issue(p_id, p_kind, 'sqlstate ' || st || ' outside class 22', NULL, st,
						 msg || ' / ' || coalesce(det, ''));
	END IF;
	IF NOT fz.utf8_ok(msg) OR NOT fz.utf8_ok(det) THEN
		PERFORM fz.issue(p_id, p_kind, 'error message is not valid UTF-8', 'F1', st,
						 msg || ' / ' || coalesce(det, ''));
	END IF;
END $$;

-- sum of the w2 array of a likert text form, exactly (numeric)
CREATE FUNCTION fz.sum_w2(t text) RETURNS numeric LANGUAGE sql AS $$
	SELECT coalesce(sum(x::float8::numeric), 0) FROM json_array_elements_text(t::json -> 'w2') x;
$$;
-- does it overflow double precision? (F2 in doc/hardening.md)
CREATE FUNCTION fz.w2_overflows(t text) RETURNS boolean LANGUAGE sql AS $$
	SELECT fz.sum_w2(t) > 1.7976931348623157e308::numeric;
$$;

-- Checks of an accepted sipas.likert.  Returns 'ok', 'err', or 'acc:<sqlstate>'
-- when an accessor raised a class-22 error (allowed; tallied).  The calls run in
-- an inner block, so that what they record survives an error of a later call.
CREATE FUNCTION fz.check_likert(p_id int, p_kind text, v sipas.likert) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	stage text := 'likert_out';
	t text;
	v2 sipas.likert;
	rt text;
	k int; n bigint; cnt bigint[]; si float8; se float8; lo float8; hi float8;
	llo float8; lhi float8; dist float8[]; ms float8; en float8; wn float8;
	bad text[] := '{}';
	failed boolean := false;
	st text; msg text; det text;
	tol constant float8 := 1e-9;
BEGIN
	BEGIN
		t := v::text;
		stage := 'likert_in of likert_out';
		v2 := t::sipas.likert;
		IF sipas_internal.likert_send(v2) <> sipas_internal.likert_send(v) OR NOT (v2 OPERATOR(sipas.=) v)
		   OR v2::text <> t THEN
			rt := t || ' -> ' || v2::text;
		END IF;
		stage := 'accessors';
		k := sipas.scale_size(v);
		n := sipas.n(v);
		cnt := sipas.counts(v);
		wn := sipas.weighted_n(v);
		si := sipas.satisfaction_index(v);
		se := sipas.std_error(v);
		SELECT c.lower, c.upper INTO lo, hi FROM sipas.confidence_interval(v) c;
		SELECT c.lower, c.upper INTO llo, lhi FROM sipas.confidence_interval(v, 0.9, 'logit') c;
		dist := sipas.distribution(v);
		ms := sipas.mean_score(v);
		en := sipas.effective_n(v);
		PERFORM sipas.share(v, k);
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
		failed := true;
	END;
	IF rt IS NOT NULL THEN
		PERFORM fz.issue(p_id, p_kind, 'text round trip changed the value', NULL, NULL, rt);
	END IF;
	IF failed THEN
		IF stage = 'accessors' AND st LIKE '22%' THEN
			RETURN 'acc:' || st;
		END IF;
		PERFORM fz.issue(p_id, p_kind, stage || ' raised ' || st, NULL, st,
						 coalesce(t, '?') || ': ' || msg || ' / ' || coalesce(det, ''));
		RETURN 'err';
	END IF;
	-- invariants (NaN compares above every number, so "x <= 100" is false for NaN)
	IF NOT (k BETWEEN 2 AND 10 AND cardinality(cnt) = k) THEN bad := array_append(bad, 'scale_size/counts'::text); END IF;
	IF (SELECT sum(c::numeric) FROM unnest(cnt) c) IS DISTINCT FROM n::numeric
	   OR EXISTS (SELECT FROM unnest(cnt) c WHERE c < 0) THEN bad := array_append(bad, 'n <> sum(counts)'::text); END IF;
	IF NOT (wn >= 0 AND wn < 'Infinity') THEN bad := array_append(bad, 'weighted_n'::text); END IF;
	IF si IS NOT NULL AND NOT (si >= 0 AND si <= 100) THEN bad := array_append(bad, 'satisfaction_index'::text); END IF;
	IF (si IS NULL) <> (wn = 0) THEN bad := array_append(bad, 'satisfaction_index NULL iff weighted_n = 0'::text); END IF;
	IF se IS NOT NULL AND NOT (se >= 0 AND se < 'Infinity') THEN bad := array_append(bad, 'std_error'::text); END IF;
	IF (lo IS NULL) <> (hi IS NULL) OR (lo IS NOT NULL AND NOT (lo >= 0 AND lo <= hi AND hi <= 100
		AND lo <= si + tol AND si <= hi + tol)) THEN bad := array_append(bad, 'confidence_interval wilson'::text); END IF;
	IF (llo IS NULL) <> (lhi IS NULL) OR (llo IS NOT NULL AND NOT (llo >= 0 AND llo <= lhi AND lhi <= 100
		AND llo <= si + tol AND si <= lhi + tol)) THEN bad := array_append(bad, 'confidence_interval logit'::text); END IF;
	IF dist IS NOT NULL AND NOT (cardinality(dist) = k
		AND (SELECT bool_and(d >= 0 AND d <= 100) AND abs(sum(d) - 100) <= 1e-6 FROM unnest(dist) d))
		THEN bad := array_append(bad, 'distribution'::text); END IF;
	IF ms IS NOT NULL AND NOT (ms >= 1 - tol AND ms <= k + tol) THEN bad := array_append(bad, 'mean_score'::text); END IF;
	-- Kish n <= n; squared weights below 1e-290 (subnormal range) lose precision, so
	-- there the bound is not checked
	IF en IS NOT NULL AND NOT (en > 0 AND (en <= n * (1 + tol) OR fz.sum_w2(t) < 1e-290))
		THEN bad := array_append(bad, 'effective_n'::text); END IF;
	IF cardinality(bad) > 0 THEN
		-- F2 (doc/hardening.md): the sum of squared weights over levels overflows
		PERFORM fz.issue(p_id, p_kind, 'accessor invariant: ' || array_to_string(bad, ', '),
						 CASE WHEN fz.w2_overflows(t) THEN 'F2' END, NULL,
						 format('%s: n=%s wn=%s si=%s se=%s wilson=[%s,%s] logit=[%s,%s] dist=%s mean=%s neff=%s',
								t, n, wn, si, se, lo, hi, llo, lhi, dist, ms, en));
	END IF;
	RETURN 'ok';
END $$;

-- Checks of an accepted sipas.survey.  overall/breakdown against '2023' may
-- raise 22023 (item not in the questionnaire, other scale): tallied as 'acc:22023'.
CREATE FUNCTION fz.check_survey(p_id int, p_kind text, v sipas.survey) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	stage text := 'survey_out';
	t text;
	v2 sipas.survey;
	rt text;
	n bigint; nitems int; item_n numeric; first_code text; first_s sipas.likert; first_i sipas.likert;
	unknown_s sipas.likert;
	ov float8; bd_rows int; bd_bad int;
	bad text[] := '{}';
	failed boolean := false;
	st text; msg text; det text;
BEGIN
	BEGIN
		t := v::text;
		stage := 'survey_in of survey_out';
		v2 := t::sipas.survey;
		IF sipas_internal.survey_send(v2) <> sipas_internal.survey_send(v) OR NOT (v2 OPERATOR(sipas.=) v)
		   OR v2::text <> t THEN
			rt := left(t, 200) || ' -> ' || left(v2::text, 200);
		END IF;
		stage := 'accessors';
		SELECT count(*), sum(sipas.n(i.summary)), min(i.item) INTO nitems, item_n, first_code
		FROM sipas.items(v) i;
		IF nitems > 0 THEN
			first_s := sipas.item(v, first_code);
			SELECT i.summary INTO first_i FROM sipas.items(v) i WHERE i.item = first_code;
		END IF;
		unknown_s := sipas.item(v, 'zz.no-such-item');
		n := sipas.n(v);			-- may raise 22003 when the total overflows
		ov := sipas.overall(v, '2023');
		SELECT count(*), count(*) FILTER (WHERE NOT (b.index IS NULL OR (b.index >= 0 AND b.index <= 100))
									   OR (b.lower IS NOT NULL AND NOT (b.lower >= 0 AND b.lower <= b.upper AND b.upper <= 100)))
		INTO bd_rows, bd_bad FROM sipas.breakdown(v, '2023') b;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
		failed := true;
	END;
	IF rt IS NOT NULL THEN
		PERFORM fz.issue(p_id, p_kind, 'text round trip changed the value', NULL, NULL, rt);
	END IF;
	-- what was computed before an error is still checked
	IF nitems > 0 AND (first_s IS NULL OR NOT (first_s OPERATOR(sipas.=) first_i)) AND first_i IS NOT NULL THEN
		bad := array_append(bad, 'item(first code) <> items()'::text);
	END IF;
	IF unknown_s IS NOT NULL THEN bad := array_append(bad, 'item(unknown) is not NULL'::text); END IF;
	IF n IS NOT NULL AND n::numeric <> coalesce(item_n, 0) THEN bad := array_append(bad, 'n <> sum of item n'::text); END IF;
	IF ov IS NOT NULL AND NOT (ov >= 0 AND ov <= 100) THEN bad := array_append(bad, 'overall'::text); END IF;
	IF bd_bad > 0 THEN bad := array_append(bad, 'breakdown'::text); END IF;
	IF cardinality(bad) > 0 THEN
		PERFORM fz.issue(p_id, p_kind, 'accessor invariant: ' || array_to_string(bad, ', '),
						 CASE WHEN EXISTS (SELECT FROM sipas.items(v) i WHERE fz.w2_overflows(i.summary::text))
							  THEN 'F2' END, NULL, format('overall=%s %s', ov, left(t, 300)));
	END IF;
	IF failed THEN
		IF stage = 'accessors' AND st LIKE '22%' THEN
			RETURN 'acc:' || st;
		END IF;
		PERFORM fz.issue(p_id, p_kind, stage || ' raised ' || st, NULL, st,
						 left(coalesce(t, '?'), 200) || ': ' || msg || ' / ' || coalesce(det, ''));
		RETURN 'err';
	END IF;
	RETURN 'ok';
END $$;

-- Checks of an accepted sipas.form: text round trip, accessors (n, answers, and
-- level for the first 40 answers: each call is linear in the form) and invariants
-- (codes strictly increasing, 1 <= level <= k <= 10); form_agg over answers(v)
-- rebuilds v byte for byte.
CREATE FUNCTION fz.check_form(p_id int, p_kind text, v sipas.form) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	stage text := 'form_out';
	t text;
	v2 sipas.form;
	rebuilt sipas.form;
	rt text;
	n int; rows int; bad_rows int; unordered int; level_mismatch int;
	bad text[] := '{}';
	failed boolean := false;
	st text; msg text; det text;
BEGIN
	BEGIN
		t := v::text;
		stage := 'form_in of form_out';
		v2 := t::sipas.form;
		IF sipas_internal.form_send(v2) <> sipas_internal.form_send(v) OR NOT (v2 OPERATOR(sipas.=) v) OR v2::text <> t
		   OR sipas_internal.form_hash(v2) <> sipas_internal.form_hash(v) THEN
			rt := left(t, 200) || ' -> ' || left(v2::text, 200);
		END IF;
		stage := 'accessors';
		n := sipas.n(v);
		SELECT count(*), count(*) FILTER (WHERE NOT (a.k BETWEEN 2 AND 10 AND a.level BETWEEN 1 AND a.k)),
		       count(*) FILTER (WHERE a.item COLLATE "C" <= a.prev COLLATE "C"),
		       count(*) FILTER (WHERE a.rn <= 40 AND sipas.level(v, a.item) IS DISTINCT FROM a.level)
		INTO rows, bad_rows, unordered, level_mismatch
		FROM (SELECT x.*, lag(x.item) OVER () AS prev, row_number() OVER () AS rn FROM sipas.answers(v) x) a;
		SELECT sipas.form_agg(a.item, a.level, a.k) INTO rebuilt FROM sipas.answers(v) a;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
		failed := true;
	END;
	IF rt IS NOT NULL THEN
		PERFORM fz.issue(p_id, p_kind, 'text round trip changed the value', NULL, NULL, rt);
	END IF;
	IF failed THEN
		PERFORM fz.issue(p_id, p_kind, stage || ' raised ' || st, NULL, st,
						 left(coalesce(t, '?'), 200) || ': ' || msg || ' / ' || coalesce(det, ''));
		RETURN 'err';
	END IF;
	IF NOT (n BETWEEN 0 AND 1000) OR n <> rows THEN bad := array_append(bad, 'n <> count of answers'::text); END IF;
	IF bad_rows > 0 THEN bad := array_append(bad, 'k or level out of range'::text); END IF;
	IF unordered > 0 THEN bad := array_append(bad, 'answers not in strict code order'::text); END IF;
	IF level_mismatch > 0 THEN bad := array_append(bad, 'level(v, item) <> answers'::text); END IF;
	IF (n = 0 AND rebuilt IS NOT NULL) OR (n > 0 AND (rebuilt IS NULL OR NOT (rebuilt OPERATOR(sipas.=) v)))
		THEN bad := array_append(bad, 'form_agg(answers(v)) <> v'::text); END IF;
	IF cardinality(bad) > 0 THEN
		PERFORM fz.issue(p_id, p_kind, 'accessor invariant: ' || array_to_string(bad, ', '), NULL, NULL, left(t, 300));
	END IF;
	RETURN 'ok';
END $$;

-- tally helper: counts[key] += 1
CREATE FUNCTION fz.bump(counts jsonb, key text) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
	SELECT jsonb_set(counts, ARRAY[key], to_jsonb(coalesce((counts ->> key)::int, 0) + 1));
$$;

-- Binary round trip of the batch's accepted values: COPY TO (FORMAT binary) a
-- server file and COPY FROM it again; every value must come back with the same
-- bytes.  When the COPY FROM itself fails, values are retried one by one.
CREATE FUNCTION fz.binary_roundtrip(p_kind text, p_type text, p_file text) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
	r record;
	bad int := 0;
	st text; msg text;
BEGIN
	EXECUTE format('TRUNCATE fz.back_%s', p_type);
	EXECUTE format('COPY (SELECT id, v FROM fz.ok_%s) TO %L (FORMAT binary)', p_type, p_file);
	BEGIN
		EXECUTE format('COPY fz.back_%s FROM %L (FORMAT binary)', p_type, p_file);
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
		-- find the values that do not come back
		FOR r IN EXECUTE format('SELECT id FROM fz.ok_%s ORDER BY id', p_type) LOOP
			BEGIN
				EXECUTE format('COPY (SELECT id, v FROM fz.ok_%s WHERE id = %s) TO %L (FORMAT binary)',
							   p_type, r.id, p_file);
				EXECUTE format('COPY fz.back_%s FROM %L (FORMAT binary)', p_type, p_file);
			EXCEPTION WHEN OTHERS THEN
				GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
				PERFORM fz.issue(r.id, p_kind, 'binary round trip: recv(send(v)) raised ' || st, NULL, st, msg);
				bad := bad + 1;
			END;
		END LOOP;
	END;
	FOR r IN EXECUTE format('SELECT o.id, o.v::text AS t FROM fz.ok_%1$s o LEFT JOIN fz.back_%1$s b USING (id)
			WHERE b.id IS NOT NULL AND sipas_internal.%1$s_send(o.v) IS DISTINCT FROM sipas_internal.%1$s_send(b.v)', p_type) LOOP
		PERFORM fz.issue(r.id, p_kind, 'binary round trip changed the value', NULL, NULL, left(r.t, 300));
		bad := bad + 1;
	END LOOP;
	RETURN bad;
END $$;

CREATE FUNCTION fz.summary(p_kind text, total int, accepted int, rejected jsonb, acc jsonb, rt_bad int)
RETURNS text LANGUAGE sql AS $$
	SELECT json_build_object('kind', p_kind, 'inputs', total, 'accepted', accepted, 'rejected', rejected,
		'accessor_errors', acc, 'roundtrip_bad', rt_bad,
		'issues', (SELECT coalesce(json_agg(json_build_object('id', id, 'cat', cat, 'known', known, 'st', st, 'msg', msg) ORDER BY id), '[]')
				   FROM (SELECT * FROM fz.issue ORDER BY id LIMIT 200) i),
		'issue_counts', (SELECT coalesce(json_object_agg(c, n), '{}') FROM
			(SELECT coalesce(known, 'new') || ' | ' || cat AS c, count(*) AS n FROM fz.issue GROUP BY 1) x),
		'issue_ids', (SELECT coalesce(json_agg(DISTINCT id), '[]') FROM fz.issue WHERE known IS NULL),
		'known_ids', (SELECT coalesce(json_object_agg(known, ids), '{}') FROM
			(SELECT known, json_agg(DISTINCT id) AS ids FROM fz.issue WHERE known IS NOT NULL GROUP BY known) k))::text;
$$;

-- Text input of one kind ('likert' or 'survey') for every row of fz.input.
CREATE FUNCTION fz.run_text(p_type text, p_kind text, p_file text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	r record;
	l sipas.likert;
	s sipas.survey;
	f sipas.form;
	accepted int := 0;
	total int := 0;
	rej jsonb := '{}';
	acc jsonb := '{}';
	res text;
	st text; msg text; det text;
BEGIN
	TRUNCATE fz.issue, fz.ok_likert, fz.ok_survey, fz.ok_form;
	FOR r IN SELECT id, val FROM fz.input ORDER BY id LOOP
		total := total + 1;
		BEGIN
			IF p_type = 'likert' THEN
				l := r.val::sipas.likert;
			ELSIF p_type = 'form' THEN
				f := r.val::sipas.form;
			ELSE
				s := r.val::sipas.survey;
			END IF;
		EXCEPTION WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
			rej := fz.bump(rej, st);
			PERFORM fz.rejected(r.id, p_kind, st, msg, det);
			CONTINUE;
		END;
		accepted := accepted + 1;
		IF p_type = 'likert' THEN
			INSERT INTO fz.ok_likert VALUES (r.id, l);
			res := fz.check_likert(r.id, p_kind, l);
		ELSIF p_type = 'form' THEN
			INSERT INTO fz.ok_form VALUES (r.id, f);
			res := fz.check_form(r.id, p_kind, f);
		ELSE
			INSERT INTO fz.ok_survey VALUES (r.id, s);
			res := fz.check_survey(r.id, p_kind, s);
		END IF;
		IF res LIKE 'acc:%' THEN
			acc := fz.bump(acc, substr(res, 5));
		END IF;
	END LOOP;
	RETURN fz.summary(p_kind, total, accepted, rej, acc, fz.binary_roundtrip(p_kind, p_type, p_file));
END $$;

-- Binary input: one COPY BINARY file per input, p_dir/<slot>.bin for ids[slot + 1].
CREATE FUNCTION fz.run_bin(p_type text, p_kind text, p_dir text, ids int[], p_file text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	i int;
	slot int;
	r record;
	accepted int := 0;
	total int := 0;
	rej jsonb := '{}';
	acc jsonb := '{}';
	res text;
	st text; msg text; det text;
BEGIN
	TRUNCATE fz.issue, fz.ok_likert, fz.ok_survey, fz.ok_form;
	EXECUTE format('TRUNCATE fz.bin_%s', p_type);
	FOR slot IN 0 .. cardinality(ids) - 1 LOOP
		i := ids[slot + 1];
		total := total + 1;
		BEGIN
			PERFORM set_config('fz.id', i::text, true);
			EXECUTE format('COPY fz.bin_%s (v) FROM %L (FORMAT binary)', p_type, p_dir || '/' || slot || '.bin');
		EXCEPTION WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
			rej := fz.bump(rej, st);
			PERFORM fz.rejected(i, p_kind, st, msg, det);
		END;
	END LOOP;
	IF p_type = 'likert' THEN
		FOR r IN SELECT id, v FROM fz.bin_likert ORDER BY id LOOP
			accepted := accepted + 1;
			res := fz.check_likert(r.id, p_kind, r.v);
			IF res LIKE 'acc:%' THEN acc := fz.bump(acc, substr(res, 5)); END IF;
		END LOOP;
		INSERT INTO fz.ok_likert SELECT id, v FROM fz.bin_likert;
	ELSIF p_type = 'form' THEN
		FOR r IN SELECT id, v FROM fz.bin_form ORDER BY id LOOP
			accepted := accepted + 1;
			res := fz.check_form(r.id, p_kind, r.v);
			IF res LIKE 'acc:%' THEN acc := fz.bump(acc, substr(res, 5)); END IF;
		END LOOP;
		INSERT INTO fz.ok_form SELECT id, v FROM fz.bin_form;
	ELSE
		FOR r IN SELECT id, v FROM fz.bin_survey ORDER BY id LOOP
			accepted := accepted + 1;
			res := fz.check_survey(r.id, p_kind, r.v);
			IF res LIKE 'acc:%' THEN acc := fz.bump(acc, substr(res, 5)); END IF;
		END LOOP;
		INSERT INTO fz.ok_survey SELECT id, v FROM fz.bin_survey;
	END IF;
	RETURN fz.summary(p_kind, total, accepted, rej, acc, fz.binary_roundtrip(p_kind, p_type, p_file));
END $$;
