
-- ---------------------------------------------------------------------------
-- Indicators, 1.2: fixes to extension/1.1/50_indicators.sql (same signatures).
-- ---------------------------------------------------------------------------

-- One home for the dossier date rules (issue 10: they were written out in both
-- transition functions).  Called once per row from transition functions, so no
-- SET clause (see the name-resolution note in extension/1.1/50_indicators.sql):
-- every operator is qualified.  Returns false for a row that is no dossier (all
-- three dates NULL), true for a dossier whose dates are valid, errors otherwise.
CREATE FUNCTION sipas_internal.dossier_dates_check(received date, due date, finished date)
	RETURNS boolean
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
	IF received IS NULL AND due IS NULL AND finished IS NULL THEN
		RETURN false;	-- no dossier on this row (e.g. an outer join)
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
	RETURN true;
END
$$;
COMMENT ON FUNCTION sipas_internal.dossier_dates_check(date, date, date) IS
	'support: false for a row without dossier (all dates NULL), true for valid dossier dates, an error otherwise';

-- state: {processed, early, on_time, late}
-- (1.1 checked "finished before received" only for finished dossiers: the same
-- rule, since a NULL finish date never compares)
CREATE OR REPLACE FUNCTION sipas.dossier_timeliness_trans(s bigint[], received date, due date, finished date)
	RETURNS bigint[]
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
	IF NOT sipas_internal.dossier_dates_check(received, due, finished) OR finished IS NULL THEN
		RETURN s;		-- no dossier on this row, or pending: not processed
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

-- state: {received, backlog, processed, processed_late, pending, pending_late}
CREATE OR REPLACE FUNCTION sipas.on_time_rate_trans(s bigint[], received date, due date, finished date,
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
	-- the period is checked before the dates, as in 1.1
	IF period IS NULL OR pg_catalog.isempty(period) OR pg_catalog.lower_inf(period)
			OR pg_catalog.upper_inf(period) THEN
		RAISE EXCEPTION 'period % is not a bounded range of days', coalesce(period::pg_catalog.text, 'NULL')
			USING ERRCODE = '22023',
				  DETAIL = 'Pass the period as a daterange with a first and a last day, e.g. daterange(''2024-05-01'', ''2024-06-01'') for May 2024.';
	END IF;
	PERFORM sipas_internal.dossier_dates_check(received, due, finished);
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

-- Multi-select transition (issue 15, F6): 1.1 looked for earlier copies of an
-- option in choices[1 : i - 1], which assumes the array starts at 1; an array
-- such as '[0:1]={a,b}' then lost b.  The subscripts now come from the array.
CREATE OR REPLACE FUNCTION sipas.option_trans(s jsonb, choices text[]) RETURNS jsonb
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
	c pg_catalog.jsonb;
	o pg_catalog.text;
	lo pg_catalog.int4;
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
	-- subscripts as the array has them (an empty array has none: lo is NULL)
	lo := COALESCE(pg_catalog.array_lower(choices, 1), 1);
	FOR i IN lo .. COALESCE(pg_catalog.array_upper(choices, 1), 0) LOOP
		o := choices[i];
		IF o IS NULL THEN
			RAISE EXCEPTION 'choices % contain NULL', choices
				USING ERRCODE = '22023',
					  DETAIL = 'An option must be named; pass an empty array for a respondent who chose none.';
		END IF;
		-- an option listed twice by one respondent counts once
		CONTINUE WHEN i OPERATOR(pg_catalog.>) lo
			AND o OPERATOR(pg_catalog.=) ANY (choices[lo : i OPERATOR(pg_catalog.-) 1]);
		c := pg_catalog.jsonb_set(c, ARRAY[o],
			pg_catalog.to_jsonb(COALESCE((c OPERATOR(pg_catalog.->>) o)::pg_catalog.int8, 0)
								OPERATOR(pg_catalog.+) 1));
	END LOOP;
	RETURN pg_catalog.jsonb_build_object(
		'respondents', (s OPERATOR(pg_catalog.->>) 'respondents')::pg_catalog.int8 OPERATOR(pg_catalog.+) 1,
		'options', c);
END
$$;

-- ---------------------------------------------------------------------------
-- The indicator aggregates' support functions (written in SQL and PL/pgSQL in
-- 1.1) move to sipas_internal with the C ones (99_internal_schema.sql), out of
-- the way of \df sipas.*.  The aggregates refer to them by OID.  The timestamp
-- transition functions call the date one by name, so they get bodies naming
-- its new schema.
-- ---------------------------------------------------------------------------

ALTER FUNCTION sipas.counts_combine(bigint[], bigint[]) SET SCHEMA sipas_internal;
ALTER FUNCTION sipas.dossier_timeliness_trans(bigint[], date, date, date) SET SCHEMA sipas_internal;
ALTER FUNCTION sipas.dossier_timeliness_trans(bigint[], timestamp, timestamp, timestamp) SET SCHEMA sipas_internal;
ALTER FUNCTION sipas.dossier_timeliness_trans(bigint[], timestamptz, timestamptz, timestamptz) SET SCHEMA sipas_internal;
ALTER FUNCTION sipas.dossier_timeliness_final(bigint[]) SET SCHEMA sipas_internal;
ALTER FUNCTION sipas.on_time_rate_trans(bigint[], date, date, date, daterange) SET SCHEMA sipas_internal;
ALTER FUNCTION sipas.on_time_rate_trans(bigint[], timestamp, timestamp, timestamp, daterange) SET SCHEMA sipas_internal;
ALTER FUNCTION sipas.on_time_rate_trans(bigint[], timestamptz, timestamptz, timestamptz, daterange) SET SCHEMA sipas_internal;
ALTER FUNCTION sipas.on_time_rate_final(bigint[]) SET SCHEMA sipas_internal;
ALTER FUNCTION sipas.handling_satisfaction_trans(bigint[], boolean, boolean, boolean) SET SCHEMA sipas_internal;
ALTER FUNCTION sipas.handling_satisfaction_final(bigint[]) SET SCHEMA sipas_internal;
ALTER FUNCTION sipas.option_trans(jsonb, text[]) SET SCHEMA sipas_internal;
ALTER FUNCTION sipas.option_combine(jsonb, jsonb) SET SCHEMA sipas_internal;
ALTER FUNCTION sipas.option_counts_final(jsonb) SET SCHEMA sipas_internal;
ALTER FUNCTION sipas.option_shares_final(jsonb) SET SCHEMA sipas_internal;

CREATE OR REPLACE FUNCTION sipas_internal.dossier_timeliness_trans(s bigint[], received timestamp, due timestamp,
		finished timestamp)
	RETURNS bigint[]
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
	RETURN sipas_internal.dossier_timeliness_trans(s, received::pg_catalog.date, due::pg_catalog.date,
												   finished::pg_catalog.date);
END
$$;
CREATE OR REPLACE FUNCTION sipas_internal.dossier_timeliness_trans(s bigint[], received timestamptz, due timestamptz,
		finished timestamptz)
	RETURNS bigint[]
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
	RETURN sipas_internal.dossier_timeliness_trans(s,
		pg_catalog.timezone('Asia/Ho_Chi_Minh', received)::pg_catalog.date,
		pg_catalog.timezone('Asia/Ho_Chi_Minh', due)::pg_catalog.date,
		pg_catalog.timezone('Asia/Ho_Chi_Minh', finished)::pg_catalog.date);
END
$$;
CREATE OR REPLACE FUNCTION sipas_internal.on_time_rate_trans(s bigint[], received timestamp, due timestamp,
		finished timestamp, period daterange)
	RETURNS bigint[]
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
	RETURN sipas_internal.on_time_rate_trans(s, received::pg_catalog.date, due::pg_catalog.date,
											 finished::pg_catalog.date, period);
END
$$;
CREATE OR REPLACE FUNCTION sipas_internal.on_time_rate_trans(s bigint[], received timestamptz, due timestamptz,
		finished timestamptz, period daterange)
	RETURNS bigint[]
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
	RETURN sipas_internal.on_time_rate_trans(s,
		pg_catalog.timezone('Asia/Ho_Chi_Minh', received)::pg_catalog.date,
		pg_catalog.timezone('Asia/Ho_Chi_Minh', due)::pg_catalog.date,
		pg_catalog.timezone('Asia/Ho_Chi_Minh', finished)::pg_catalog.date, period);
END
$$;
