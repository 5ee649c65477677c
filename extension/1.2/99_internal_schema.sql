
-- ---------------------------------------------------------------------------
-- Support functions out of the way of \df sipas.*: type I/O and comparison
-- support, aggregate transition / inverse / combine / serial / final
-- functions written in C move to schema sipas_internal.  Types,
-- operators and aggregates keep referring to them by OID, so nothing a user
-- calls changes; \df sipas.* lists only what users call.  This file runs last,
-- so it also moves the support functions created by the other 1.2 parts.
-- ---------------------------------------------------------------------------

DO $move$
DECLARE
	f pg_catalog.regprocedure;
BEGIN
	FOR f IN
		SELECT p.oid::pg_catalog.regprocedure
		FROM pg_catalog.pg_proc p
		JOIN pg_catalog.pg_depend d ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
			AND d.objid OPERATOR(pg_catalog.=) p.oid AND d.deptype OPERATOR(pg_catalog.=) 'e'
		JOIN pg_catalog.pg_extension e ON e.oid OPERATOR(pg_catalog.=) d.refobjid
			AND e.extname OPERATOR(pg_catalog.=) 'sipas'
		WHERE p.pronamespace OPERATOR(pg_catalog.=) 'sipas'::pg_catalog.regnamespace
		  AND p.prokind OPERATOR(pg_catalog.=) 'f'
		  -- C functions only: SQL and PL/pgSQL bodies of 1.1 call their support functions by
		  -- name, so those move when their callers are rewritten
		  AND p.prolang OPERATOR(pg_catalog.=) (SELECT oid FROM pg_catalog.pg_language WHERE lanname OPERATOR(pg_catalog.=) 'c')
		  AND (p.proname OPERATOR(pg_catalog.~) '_(in|out|recv|send|eq|ne|lt|le|gt|ge|cmp|hash|hash_extended|trans|inv|combine|serialize|deserialize|final)$'
		      )
		ORDER BY p.oid
	LOOP
		EXECUTE pg_catalog.format('ALTER FUNCTION %s SET SCHEMA sipas_internal', f);
	END LOOP;
END
$move$;
