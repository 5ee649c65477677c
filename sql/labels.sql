-- Every SQL-callable object of the extension is labelled honestly.
-- Functions: IMMUTABLE and PARALLEL SAFE, except those listed here: the readers of the
-- questionnaire catalogue (STABLE) and the loader (reads and writes tables); STRICT unless
-- they must see NULLs.
SELECT p.oid::regprocedure AS function, p.provolatile, p.proparallel, p.proisstrict, p.prokind
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'sipas'
WHERE p.provolatile <> 'i' OR p.proparallel <> 's'
ORDER BY 1::text COLLATE "C";

SELECT p.oid::regprocedure AS non_strict_function
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'sipas'
WHERE NOT p.proisstrict AND p.prokind = 'f'
ORDER BY 1::text COLLATE "C";

-- Aggregates: all parallel (combine; serialize/deserialize for internal states); the histogram
-- aggregates also have a moving-window inverse.
SELECT a.aggfnoid::regprocedure AS aggregate, a.aggcombinefn <> 0 AS combine,
       a.aggserialfn <> 0 AS serial, a.aggdeserialfn <> 0 AS deserial,
       a.aggminvtransfn <> 0 AS inverse, a.aggfinalmodify, a.aggmfinalmodify
FROM pg_aggregate a JOIN pg_depend d ON d.objid = a.aggfnoid AND d.classid = 'pg_proc'::regclass
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'sipas'
ORDER BY 1::text COLLATE "C";

-- Every function has a comment, except the type's and aggregates' support functions.
SELECT p.oid::regprocedure AS undocumented
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'sipas'
WHERE obj_description(p.oid, 'pg_proc') IS NULL
  AND p.proname !~ '^(likert|survey)_(in|out|recv|send|eq|ne|hash|cmp|lt|le|gt|ge|trans|inv|rollup_trans|rollup_inv|combine|serialize|deserialize|final|index_final)$'
ORDER BY 1::text COLLATE "C";
-- No SECURITY DEFINER anywhere.
SELECT count(*) AS security_definer
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'sipas'
WHERE p.prosecdef;
-- Support functions taking internal cannot be called from SQL: PostgreSQL refuses the call
-- before any sipas code runs.  Its SQLSTATE and wording differ between versions (15: no such
-- function / cannot cast to internal, 42883 / 42846; 18: cannot accept a value of type
-- internal, 0A000), so refused() shows only whether PostgreSQL refused, or else what ran:
-- "accepted", or the SQLSTATE and message of an error raised by sipas.
CREATE FUNCTION pg_temp.refused(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE sql;
	RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
	IF SQLSTATE IN ('42883', '42846', '0A000') THEN
		RETURN 'refused by PostgreSQL';
	END IF;
	RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;
SELECT call, pg_temp.refused(call)
FROM (VALUES ('SELECT sipas_internal.likert_final(NULL)'),
             ('SELECT sipas_internal.likert_trans(NULL::internal, 3)')) v(call);
