-- ---------------------------------------------------------------------------
-- Related indicators reported with SIPAS (reference section 5), in SQL and
-- PL/pgSQL.  doc/indicators.md documents every function and choice.
--
-- Name resolution.  Nothing here may depend on the caller's search_path:
--  * plain LANGUAGE sql functions (publish, ...) qualify every function, operator
--    and type and have no SET clause: a SET clause would stop the planner from
--    inlining them into the calling query;
--  * PL/pgSQL functions called once per group or per call (par_points, slovin,
--    final functions, ...) use SET search_path = pg_catalog, pg_temp;
--  * PL/pgSQL transition and combine functions run once per row: a SET clause
--    makes each call save and restore the GUC (measured 3x slower: 1.8 s instead
--    of 0.6 s per million rows), so they qualify every operator, function and
--    type instead (OPERATOR(pg_catalog.+), pg_catalog.int8, ...).
-- No function is SECURITY DEFINER.  Errors use SQLSTATE 22023
-- (invalid_parameter_value), name the value and state the rule.
-- ---------------------------------------------------------------------------

-- ---------------------------------------------------------------------------
-- Publishing: the one place where figures are rounded
-- ---------------------------------------------------------------------------

CREATE FUNCTION sipas.publish(x double precision, decimals integer DEFAULT 2) RETURNS numeric
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN pg_catalog.round(x::pg_catalog.numeric, decimals);
COMMENT ON FUNCTION sipas.publish(double precision, integer) IS
	'published value: round(x::numeric, decimals), half away from zero (x read with 15 significant digits)';

-- ---------------------------------------------------------------------------
-- PAR Index points from the SIPAS index
-- ---------------------------------------------------------------------------

CREATE FUNCTION sipas.par_points(index double precision, max_points double precision)
	RETURNS double precision
	LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF index = 'NaN' OR index < 0 OR index > 100 THEN
		RAISE EXCEPTION 'index % is out of range', index
			USING ERRCODE = '22023',
				  DETAIL = 'A SIPAS index is a percentage from 0 to 100.';
	END IF;
	IF max_points = 'NaN' OR max_points < 0 OR max_points = 'Infinity' THEN
		RAISE EXCEPTION 'max_points % is out of range', max_points
			USING ERRCODE = '22023',
				  DETAIL = 'The maximum points must be a finite number, 0 or more.';
	END IF;
	RETURN max_points * index / 100;
END
$$;
COMMENT ON FUNCTION sipas.par_points(double precision, double precision) IS
	'PAR Index points from a SIPAS index: max_points * index / 100, full precision';

-- ---------------------------------------------------------------------------
-- Shared combine function of the count-array aggregates below
-- ---------------------------------------------------------------------------

CREATE FUNCTION sipas.counts_combine(a bigint[], b bigint[]) RETURNS bigint[]
	LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
BEGIN
	FOR i IN 1 .. pg_catalog.array_length(a, 1) LOOP
		a[i] := a[i] OPERATOR(pg_catalog.+) b[i];
	END LOOP;
	RETURN a;
END
$$;
COMMENT ON FUNCTION sipas.counts_combine(bigint[], bigint[]) IS
	'support: element-wise sum of two count arrays (combine function of the dossier and 766 aggregates)';

-- ---------------------------------------------------------------------------
-- Dossier processing (a): early / on time / late among processed dossiers.
-- Classification on calendar days: finished day before the due day = early,
-- on the due day = on time, after it = late.  Timestamps with time zone are
-- read as days in Viet Nam (Asia/Ho_Chi_Minh, UTC+7 all year); timestamps
-- without time zone as local Vietnamese times.
-- ---------------------------------------------------------------------------

CREATE TYPE sipas.timeliness AS (
	processed	bigint,
	early		bigint,
	on_time		bigint,
	late		bigint,
	early_pct	double precision,
	on_time_pct	double precision,
	late_pct	double precision
);
COMMENT ON TYPE sipas.timeliness IS
	'processed dossiers: early / on-time / late counts and their percentages of processed';

CREATE FUNCTION sipas.dossier_shares(processed bigint, early bigint, on_time bigint, late bigint,
		OUT early_pct double precision, OUT on_time_pct double precision, OUT late_pct double precision)
	RETURNS record
	LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF processed < 0 OR early < 0 OR on_time < 0 OR late < 0 THEN
		RAISE EXCEPTION 'dossier counts (processed %, early %, on time %, late %) must not be negative',
				processed, early, on_time, late
			USING ERRCODE = '22023',
				  DETAIL = 'Counts are numbers of dossiers, 0 or more.';
	END IF;
	IF early::numeric + on_time + late > processed THEN
		RAISE EXCEPTION 'early % + on time % + late % is more than the % processed dossiers',
				early, on_time, late, processed
			USING ERRCODE = '22023',
				  DETAIL = 'Early, on-time and late dossiers are parts of the processed ones; other categories (returned, withdrawn, ...) may make up the rest.';
	END IF;
	IF processed = 0 THEN
		RETURN;		-- no processed dossier: the shares do not exist
	END IF;
	early_pct := 100 * early::float8 / processed;
	on_time_pct := 100 * on_time::float8 / processed;
	late_pct := 100 * late::float8 / processed;
END
$$;
COMMENT ON FUNCTION sipas.dossier_shares(bigint, bigint, bigint, bigint) IS
	'early, on-time and late dossiers as percentages of processed dossiers (which may include other categories)';

-- state: {processed, early, on_time, late}
CREATE FUNCTION sipas.dossier_timeliness_trans(s bigint[], received date, due date, finished date)
	RETURNS bigint[]
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
	IF received IS NULL AND due IS NULL AND finished IS NULL THEN
		RETURN s;		-- no dossier on this row (e.g. an outer join)
	END IF;
	IF received IS NULL OR due IS NULL THEN
		RAISE EXCEPTION 'dossier without % date (received %, due %, finished %)',
				CASE WHEN received IS NULL THEN 'receipt' ELSE 'due' END, received, due, finished
			USING ERRCODE = '22023',
				  DETAIL = 'Every dossier needs its receipt and due dates; the finish date is NULL while it is pending.';
	END IF;
	IF due OPERATOR(pg_catalog.<) received THEN
		RAISE EXCEPTION 'dossier due on % before it was received on %', due, received
			USING ERRCODE = '22023',
				  DETAIL = 'The due date cannot come before the receipt date.';
	END IF;
	IF finished IS NULL THEN
		RETURN s;		-- pending: not processed
	END IF;
	IF finished OPERATOR(pg_catalog.<) received THEN
		RAISE EXCEPTION 'dossier finished on % before it was received on %', finished, received
			USING ERRCODE = '22023',
				  DETAIL = 'The finish date cannot come before the receipt date.';
	END IF;
	s[1] := s[1] OPERATOR(pg_catalog.+) 1;
	IF finished OPERATOR(pg_catalog.<) due THEN
		s[2] := s[2] OPERATOR(pg_catalog.+) 1;
	ELSIF finished OPERATOR(pg_catalog.=) due THEN
		s[3] := s[3] OPERATOR(pg_catalog.+) 1;
	ELSE
		s[4] := s[4] OPERATOR(pg_catalog.+) 1;
	END IF;
	RETURN s;
END
$$;
CREATE FUNCTION sipas.dossier_timeliness_trans(s bigint[], received timestamp, due timestamp,
		finished timestamp)
	RETURNS bigint[]
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
	RETURN sipas.dossier_timeliness_trans(s, received::pg_catalog.date, due::pg_catalog.date,
										  finished::pg_catalog.date);
END
$$;
CREATE FUNCTION sipas.dossier_timeliness_trans(s bigint[], received timestamptz, due timestamptz,
		finished timestamptz)
	RETURNS bigint[]
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
	RETURN sipas.dossier_timeliness_trans(s,
		pg_catalog.timezone('Asia/Ho_Chi_Minh', received)::pg_catalog.date,
		pg_catalog.timezone('Asia/Ho_Chi_Minh', due)::pg_catalog.date,
		pg_catalog.timezone('Asia/Ho_Chi_Minh', finished)::pg_catalog.date);
END
$$;
COMMENT ON FUNCTION sipas.dossier_timeliness_trans(bigint[], date, date, date) IS
	'support: transition function of dossier_timeliness';
COMMENT ON FUNCTION sipas.dossier_timeliness_trans(bigint[], timestamp, timestamp, timestamp) IS
	'support: transition function of dossier_timeliness (local Vietnamese times)';
COMMENT ON FUNCTION sipas.dossier_timeliness_trans(bigint[], timestamptz, timestamptz, timestamptz) IS
	'support: transition function of dossier_timeliness (days in Asia/Ho_Chi_Minh)';

CREATE FUNCTION sipas.dossier_timeliness_final(s bigint[]) RETURNS sipas.timeliness
	LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	r sipas.timeliness;
BEGIN
	IF s[1] = 0 THEN
		RETURN NULL;	-- no processed dossier
	END IF;
	r.processed := s[1];
	r.early := s[2];
	r.on_time := s[3];
	r.late := s[4];
	SELECT d.early_pct, d.on_time_pct, d.late_pct INTO r.early_pct, r.on_time_pct, r.late_pct
	FROM sipas.dossier_shares(s[1], s[2], s[3], s[4]) d;
	RETURN r;
END
$$;
COMMENT ON FUNCTION sipas.dossier_timeliness_final(bigint[]) IS
	'support: final function of dossier_timeliness';

CREATE AGGREGATE sipas.dossier_timeliness(received date, due date, finished date) (
	SFUNC = sipas.dossier_timeliness_trans, STYPE = bigint[], INITCOND = '{0,0,0,0}',
	FINALFUNC = sipas.dossier_timeliness_final, COMBINEFUNC = sipas.counts_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE sipas.dossier_timeliness(received timestamp, due timestamp, finished timestamp) (
	SFUNC = sipas.dossier_timeliness_trans, STYPE = bigint[], INITCOND = '{0,0,0,0}',
	FINALFUNC = sipas.dossier_timeliness_final, COMBINEFUNC = sipas.counts_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE sipas.dossier_timeliness(received timestamptz, due timestamptz, finished timestamptz) (
	SFUNC = sipas.dossier_timeliness_trans, STYPE = bigint[], INITCOND = '{0,0,0,0}',
	FINALFUNC = sipas.dossier_timeliness_final, COMBINEFUNC = sipas.counts_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE sipas.dossier_timeliness(date, date, date) IS
	'processed dossiers (finished not NULL): early / on-time / late by calendar day, counts and percentages';
COMMENT ON AGGREGATE sipas.dossier_timeliness(timestamp, timestamp, timestamp) IS
	'processed dossiers: early / on-time / late by calendar day of local Vietnamese times';
COMMENT ON AGGREGATE sipas.dossier_timeliness(timestamptz, timestamptz, timestamptz) IS
	'processed dossiers: early / on-time / late by calendar day in Asia/Ho_Chi_Minh';

-- ---------------------------------------------------------------------------
-- Dossier processing (b): the on-time rate of a period (usually a month).
-- need-to-process = received in the period + backlog (received before it, not
-- finished before its first day); late = processed in the period after the
-- due day + still pending at the end of its last day with the due day passed;
-- rate = 100 - 100 * late / need-to-process.
-- ---------------------------------------------------------------------------

CREATE TYPE sipas.processing_rate AS (
	received		bigint,
	backlog			bigint,
	need			bigint,
	processed		bigint,
	processed_late	bigint,
	pending			bigint,
	pending_late	bigint,
	late			bigint,
	on_time_rate	double precision
);
COMMENT ON TYPE sipas.processing_rate IS
	'dossiers to process in a period (received + backlog), processed / pending and late, on-time rate in percent';

-- state: {received, backlog, processed, processed_late, pending, pending_late}
CREATE FUNCTION sipas.on_time_rate_trans(s bigint[], received date, due date, finished date,
		period daterange)
	RETURNS bigint[]
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
	first_day pg_catalog.date;
	end_day pg_catalog.date;		-- the day after the period
BEGIN
	IF received IS NULL AND due IS NULL AND finished IS NULL THEN
		RETURN s;		-- no dossier on this row (e.g. an outer join)
	END IF;
	IF period IS NULL OR pg_catalog.isempty(period) OR pg_catalog.lower_inf(period)
			OR pg_catalog.upper_inf(period) THEN
		RAISE EXCEPTION 'period % is not a bounded range of days', coalesce(period::pg_catalog.text, 'NULL')
			USING ERRCODE = '22023',
				  DETAIL = 'Pass the period as a daterange with a first and a last day, e.g. daterange(''2024-05-01'', ''2024-06-01'') for May 2024.';
	END IF;
	IF received IS NULL OR due IS NULL THEN
		RAISE EXCEPTION 'dossier without % date (received %, due %, finished %)',
				CASE WHEN received IS NULL THEN 'receipt' ELSE 'due' END, received, due, finished
			USING ERRCODE = '22023',
				  DETAIL = 'Every dossier needs its receipt and due dates; the finish date is NULL while it is pending.';
	END IF;
	IF due OPERATOR(pg_catalog.<) received THEN
		RAISE EXCEPTION 'dossier due on % before it was received on %', due, received
			USING ERRCODE = '22023',
				  DETAIL = 'The due date cannot come before the receipt date.';
	END IF;
	IF finished OPERATOR(pg_catalog.<) received THEN
		RAISE EXCEPTION 'dossier finished on % before it was received on %', finished, received
			USING ERRCODE = '22023',
				  DETAIL = 'The finish date cannot come before the receipt date.';
	END IF;
	first_day := pg_catalog.lower(period);
	end_day := pg_catalog.upper(period);
	IF received OPERATOR(pg_catalog.>=) end_day
			OR finished OPERATOR(pg_catalog.<) first_day THEN
		RETURN s;		-- received after the period, or finished before it: not in it
	END IF;
	IF received OPERATOR(pg_catalog.>=) first_day THEN
		s[1] := s[1] OPERATOR(pg_catalog.+) 1;
	ELSE
		s[2] := s[2] OPERATOR(pg_catalog.+) 1;
	END IF;
	IF finished OPERATOR(pg_catalog.<) end_day THEN
		s[3] := s[3] OPERATOR(pg_catalog.+) 1;
		IF finished OPERATOR(pg_catalog.>) due THEN
			s[4] := s[4] OPERATOR(pg_catalog.+) 1;
		END IF;
	ELSE	-- not finished by the end of the last day (finished is NULL or later)
		s[5] := s[5] OPERATOR(pg_catalog.+) 1;
		IF due OPERATOR(pg_catalog.<) end_day THEN
			s[6] := s[6] OPERATOR(pg_catalog.+) 1;
		END IF;
	END IF;
	RETURN s;
END
$$;
CREATE FUNCTION sipas.on_time_rate_trans(s bigint[], received timestamp, due timestamp,
		finished timestamp, period daterange)
	RETURNS bigint[]
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
	RETURN sipas.on_time_rate_trans(s, received::pg_catalog.date, due::pg_catalog.date,
									finished::pg_catalog.date, period);
END
$$;
CREATE FUNCTION sipas.on_time_rate_trans(s bigint[], received timestamptz, due timestamptz,
		finished timestamptz, period daterange)
	RETURNS bigint[]
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
	RETURN sipas.on_time_rate_trans(s,
		pg_catalog.timezone('Asia/Ho_Chi_Minh', received)::pg_catalog.date,
		pg_catalog.timezone('Asia/Ho_Chi_Minh', due)::pg_catalog.date,
		pg_catalog.timezone('Asia/Ho_Chi_Minh', finished)::pg_catalog.date, period);
END
$$;
COMMENT ON FUNCTION sipas.on_time_rate_trans(bigint[], date, date, date, daterange) IS
	'support: transition function of on_time_rate';
COMMENT ON FUNCTION sipas.on_time_rate_trans(bigint[], timestamp, timestamp, timestamp, daterange) IS
	'support: transition function of on_time_rate (local Vietnamese times)';
COMMENT ON FUNCTION sipas.on_time_rate_trans(bigint[], timestamptz, timestamptz, timestamptz, daterange) IS
	'support: transition function of on_time_rate (days in Asia/Ho_Chi_Minh)';

CREATE FUNCTION sipas.on_time_rate_final(s bigint[]) RETURNS sipas.processing_rate
	LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	r sipas.processing_rate;
BEGIN
	r.received := s[1];
	r.backlog := s[2];
	r.need := s[1] + s[2];
	IF r.need = 0 THEN
		RETURN NULL;	-- nothing to process in the period
	END IF;
	r.processed := s[3];
	r.processed_late := s[4];
	r.pending := s[5];
	r.pending_late := s[6];
	r.late := s[4] + s[6];
	r.on_time_rate := 100 * (r.need - r.late)::float8 / r.need;
	RETURN r;
END
$$;
COMMENT ON FUNCTION sipas.on_time_rate_final(bigint[]) IS 'support: final function of on_time_rate';

CREATE AGGREGATE sipas.on_time_rate(received date, due date, finished date, period daterange) (
	SFUNC = sipas.on_time_rate_trans, STYPE = bigint[], INITCOND = '{0,0,0,0,0,0}',
	FINALFUNC = sipas.on_time_rate_final, COMBINEFUNC = sipas.counts_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE sipas.on_time_rate(received timestamp, due timestamp, finished timestamp, period daterange) (
	SFUNC = sipas.on_time_rate_trans, STYPE = bigint[], INITCOND = '{0,0,0,0,0,0}',
	FINALFUNC = sipas.on_time_rate_final, COMBINEFUNC = sipas.counts_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE sipas.on_time_rate(received timestamptz, due timestamptz, finished timestamptz, period daterange) (
	SFUNC = sipas.on_time_rate_trans, STYPE = bigint[], INITCOND = '{0,0,0,0,0,0}',
	FINALFUNC = sipas.on_time_rate_final, COMBINEFUNC = sipas.counts_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE sipas.on_time_rate(date, date, date, daterange) IS
	'on-time processing rate of a period: 100 - 100 * late / (received in the period + backlog)';
COMMENT ON AGGREGATE sipas.on_time_rate(timestamp, timestamp, timestamp, daterange) IS
	'on-time processing rate of a period, local Vietnamese times';
COMMENT ON AGGREGATE sipas.on_time_rate(timestamptz, timestamptz, timestamptz, daterange) IS
	'on-time processing rate of a period, days in Asia/Ho_Chi_Minh';

-- ---------------------------------------------------------------------------
-- Decision 766/QĐ-TTg: satisfaction with the handling of procedures
-- = (dossiers - dossiers rated not satisfied, overdue or complained about)
--   / dossiers * 100.  One row per dossier; a NULL flag is a flag not raised.
-- ---------------------------------------------------------------------------

-- state: {dossiers, flagged}
CREATE FUNCTION sipas.handling_satisfaction_trans(s bigint[], not_satisfied boolean, overdue boolean,
		complained boolean)
	RETURNS bigint[]
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
	s[1] := s[1] OPERATOR(pg_catalog.+) 1;
	IF not_satisfied OR overdue OR complained THEN		-- NULL OR false is NULL: not flagged
		s[2] := s[2] OPERATOR(pg_catalog.+) 1;
	END IF;
	RETURN s;
END
$$;
COMMENT ON FUNCTION sipas.handling_satisfaction_trans(bigint[], boolean, boolean, boolean) IS
	'support: transition function of handling_satisfaction';

CREATE FUNCTION sipas.handling_satisfaction_final(s bigint[]) RETURNS double precision
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN CASE WHEN s[1] OPERATOR(pg_catalog.>) 0
		THEN 100 OPERATOR(pg_catalog.*) (s[1] OPERATOR(pg_catalog.-) s[2])::pg_catalog.float8
			 OPERATOR(pg_catalog./) s[1]::pg_catalog.float8 END;
COMMENT ON FUNCTION sipas.handling_satisfaction_final(bigint[]) IS
	'support: final function of handling_satisfaction';

CREATE AGGREGATE sipas.handling_satisfaction(not_satisfied boolean, overdue boolean, complained boolean) (
	SFUNC = sipas.handling_satisfaction_trans, STYPE = bigint[], INITCOND = '{0,0}',
	FINALFUNC = sipas.handling_satisfaction_final, COMBINEFUNC = sipas.counts_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE sipas.handling_satisfaction(boolean, boolean, boolean) IS
	'decision 766/QĐ-TTg: percent of dossiers neither rated not satisfied, nor overdue, nor complained about';

-- ---------------------------------------------------------------------------
-- Sample size (Slovin): n = ceil(N / (1 + N e^2)), computed exactly
-- ---------------------------------------------------------------------------

CREATE FUNCTION sipas.slovin_sample_size(population bigint, margin double precision DEFAULT 0.05)
	RETURNS bigint
	LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	e numeric;
	den numeric;
	q numeric;
BEGIN
	IF population < 1 THEN
		RAISE EXCEPTION 'population % is out of range', population
			USING ERRCODE = '22023',
				  DETAIL = 'The population N (transactions in the period) must be at least 1.';
	END IF;
	IF margin = 'NaN' OR margin <= 0 OR margin >= 1 THEN
		RAISE EXCEPTION 'margin % is out of range', margin
			USING ERRCODE = '22023',
				  DETAIL = 'The margin of error e must lie strictly between 0 and 1, e.g. 0.05.';
	END IF;
	-- numeric: e is read as its 15-significant-digit decimal (0.05 exactly), and
	-- the product and the integer division are exact, so ceil() cannot be off by
	-- one the way N / (1 + N e^2) in floating point can.
	e := margin::numeric;
	den := 1 + population * e * e;
	q := div(population::numeric, den);
	IF q * den < population THEN
		q := q + 1;
	END IF;
	RETURN q::bigint;
END
$$;
COMMENT ON FUNCTION sipas.slovin_sample_size(bigint, double precision) IS
	'Slovin sample size ceil(N / (1 + N e^2)), exact; e defaults to 0.05';

-- ---------------------------------------------------------------------------
-- Multi-select questions: share of respondents choosing each option
-- state and option_counts result: {"respondents": N, "options": {"option": n, ...}}
-- ---------------------------------------------------------------------------

CREATE FUNCTION sipas.option_trans(s jsonb, choices text[]) RETURNS jsonb
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
	c pg_catalog.jsonb;
	o pg_catalog.text;
	i pg_catalog.int4 := 0;
BEGIN
	IF choices IS NULL THEN
		RETURN s;		-- no answer: not a respondent of this question
	END IF;
	IF pg_catalog.array_ndims(choices) OPERATOR(pg_catalog.>) 1 THEN
		RAISE EXCEPTION 'choices % is a %-dimensional array', choices, pg_catalog.array_ndims(choices)
			USING ERRCODE = '22023',
				  DETAIL = 'Pass the options one respondent chose as a one-dimensional text array.';
	END IF;
	c := s OPERATOR(pg_catalog.->) 'options';
	FOREACH o IN ARRAY choices LOOP
		i := i OPERATOR(pg_catalog.+) 1;
		IF o IS NULL THEN
			RAISE EXCEPTION 'choices % contain NULL', choices
				USING ERRCODE = '22023',
					  DETAIL = 'An option must be named; pass an empty array for a respondent who chose none.';
		END IF;
		-- an option listed twice by one respondent counts once
		CONTINUE WHEN i OPERATOR(pg_catalog.>) 1
			AND o OPERATOR(pg_catalog.=) ANY (choices[1 : i OPERATOR(pg_catalog.-) 1]);
		c := pg_catalog.jsonb_set(c, ARRAY[o],
			pg_catalog.to_jsonb(COALESCE((c OPERATOR(pg_catalog.->>) o)::pg_catalog.int8, 0)
								OPERATOR(pg_catalog.+) 1));
	END LOOP;
	RETURN pg_catalog.jsonb_build_object(
		'respondents', (s OPERATOR(pg_catalog.->>) 'respondents')::pg_catalog.int8 OPERATOR(pg_catalog.+) 1,
		'options', c);
END
$$;
COMMENT ON FUNCTION sipas.option_trans(jsonb, text[]) IS
	'support: transition function of option_counts and option_shares';

CREATE FUNCTION sipas.option_combine(a jsonb, b jsonb) RETURNS jsonb
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN pg_catalog.jsonb_build_object(
		'respondents', (a OPERATOR(pg_catalog.->>) 'respondents')::pg_catalog.int8
			OPERATOR(pg_catalog.+) (b OPERATOR(pg_catalog.->>) 'respondents')::pg_catalog.int8,
		'options', (SELECT COALESCE(pg_catalog.jsonb_object_agg(o.key, o.n), '{}'::pg_catalog.jsonb)
					FROM (SELECT e.key, pg_catalog.sum(e.value::pg_catalog.int8) AS n
						  FROM (SELECT * FROM pg_catalog.jsonb_each_text(a OPERATOR(pg_catalog.->) 'options')
								UNION ALL
								SELECT * FROM pg_catalog.jsonb_each_text(b OPERATOR(pg_catalog.->) 'options')) e
						  GROUP BY e.key) o));
COMMENT ON FUNCTION sipas.option_combine(jsonb, jsonb) IS
	'support: combine function of option_counts and option_shares';

CREATE FUNCTION sipas.option_counts_final(s jsonb) RETURNS jsonb
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN CASE WHEN (s OPERATOR(pg_catalog.->>) 'respondents')::pg_catalog.int8 OPERATOR(pg_catalog.>) 0
		THEN s END;
COMMENT ON FUNCTION sipas.option_counts_final(jsonb) IS 'support: final function of option_counts';

-- to_jsonb(float8) prints the double: extra_float_digits >= 1 gives the shortest
-- text that reads back to the same double, whatever the session's setting
CREATE FUNCTION sipas.option_shares_final(s jsonb) RETURNS jsonb
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	SET extra_float_digits = 1
	RETURN CASE WHEN (s OPERATOR(pg_catalog.->>) 'respondents')::pg_catalog.int8 OPERATOR(pg_catalog.>) 0
		THEN (SELECT COALESCE(pg_catalog.jsonb_object_agg(e.key,
					100 OPERATOR(pg_catalog.*) e.value::pg_catalog.float8
					OPERATOR(pg_catalog./) (s OPERATOR(pg_catalog.->>) 'respondents')::pg_catalog.float8),
				'{}'::pg_catalog.jsonb)
			  FROM pg_catalog.jsonb_each_text(s OPERATOR(pg_catalog.->) 'options') e) END;
COMMENT ON FUNCTION sipas.option_shares_final(jsonb) IS 'support: final function of option_shares';

CREATE AGGREGATE sipas.option_counts(choices text[]) (
	SFUNC = sipas.option_trans, STYPE = jsonb, INITCOND = '{"respondents": 0, "options": {}}',
	FINALFUNC = sipas.option_counts_final, COMBINEFUNC = sipas.option_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE sipas.option_counts(text[]) IS
	'multi-select question: {"respondents": N, "options": {option: respondents who chose it}}; NULL = no answer';
CREATE AGGREGATE sipas.option_shares(choices text[]) (
	SFUNC = sipas.option_trans, STYPE = jsonb, INITCOND = '{"respondents": 0, "options": {}}',
	FINALFUNC = sipas.option_shares_final, COMBINEFUNC = sipas.option_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE sipas.option_shares(text[]) IS
	'multi-select question: {option: percent of respondents who chose it}; may add to more than 100';

CREATE FUNCTION sipas.option_rows(counts jsonb,
		OUT option text, OUT respondents bigint, OUT share_pct double precision)
	RETURNS SETOF record
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 10
BEGIN ATOMIC
	SELECT e.key, e.value::pg_catalog.int8,
		   100 OPERATOR(pg_catalog.*) e.value::pg_catalog.float8
		   OPERATOR(pg_catalog./) (counts OPERATOR(pg_catalog.->>) 'respondents')::pg_catalog.float8
	FROM pg_catalog.jsonb_each_text(counts OPERATOR(pg_catalog.->) 'options') e
	ORDER BY e.value::pg_catalog.int8 DESC, e.key;
END;
COMMENT ON FUNCTION sipas.option_rows(jsonb) IS
	'one row per option of an option_counts result: option, respondents, percent of respondents';

-- ---------------------------------------------------------------------------
-- Share of a band of levels (e.g. "none" on the 3-level harassment scale)
-- ---------------------------------------------------------------------------

CREATE FUNCTION sipas.share_between(s sipas.likert, lo integer, hi integer) RETURNS double precision
	LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	k integer := sipas.scale_size(s);
	d double precision[];
	r double precision := 0;
BEGIN
	IF lo < 1 OR hi > k THEN
		RAISE EXCEPTION 'levels %..% are out of range for a %-level scale', lo, hi, k
			USING ERRCODE = '22023',
				  DETAIL = format('Levels are numbered 1 to %s.', k);
	END IF;
	IF lo > hi THEN
		RAISE EXCEPTION 'levels %..% are an empty band', lo, hi
			USING ERRCODE = '22023',
				  DETAIL = 'The lowest level (lo) must not be above the highest (hi).';
	END IF;
	d := sipas.distribution(s);
	IF d IS NULL THEN
		RETURN NULL;	-- no answer, or no weight
	END IF;
	FOR i IN lo .. hi LOOP
		r := r + d[i];
	END LOOP;
	RETURN r;
END
$$;
COMMENT ON FUNCTION sipas.share_between(sipas.likert, integer, integer) IS
	'weighted percent of answers at levels lo..hi (sum of distribution(s)[lo:hi])';
