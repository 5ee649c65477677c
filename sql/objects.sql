-- Users see their functions: \df sipas.* lists what users call, the support functions
-- live in sipas_internal, and every object left in schema sipas has a comment.
SELECT n.nspname AS schema, count(*) > 20 AS has_functions
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'sipas'
GROUP BY 1 ORDER BY 1;

-- no support function is left in sipas, whatever its language: no name of type, operator or
-- aggregate support, and no function that a type, operator, operator class or aggregate calls
-- (sql/variants.sql checks the loader's and catalogue's internals by name)
SELECT p.oid::regprocedure AS support_function_in_sipas
FROM pg_proc p
WHERE p.pronamespace = 'sipas'::regnamespace
  AND (p.proname ~ '_(in|out|recv|send|eq|ne|lt|le|gt|ge|cmp|hash|hash_extended|trans|inv|combine|serialize|deserialize|final)$'
       OR p.oid IN (SELECT typinput FROM pg_type UNION SELECT typoutput FROM pg_type
                    UNION SELECT typreceive FROM pg_type UNION SELECT typsend FROM pg_type
                    UNION SELECT oprcode FROM pg_operator
                    UNION SELECT amproc FROM pg_amproc
                    UNION SELECT aggtransfn FROM pg_aggregate UNION SELECT aggfinalfn FROM pg_aggregate
                    UNION SELECT aggcombinefn FROM pg_aggregate UNION SELECT aggserialfn FROM pg_aggregate
                    UNION SELECT aggdeserialfn FROM pg_aggregate UNION SELECT aggmtransfn FROM pg_aggregate
                    UNION SELECT aggminvtransfn FROM pg_aggregate UNION SELECT aggmfinalfn FROM pg_aggregate))
ORDER BY 1::text COLLATE "C";

-- every member object of the extension in schema sipas has a comment: zero rows.
-- Implicit types (an array type, a table's row type) are described by their base and left out:
-- PostgreSQL 18 records them as members of the extension, 15 does not.
CREATE TEMP VIEW sipas_members AS
	SELECT d.classid, d.objid, pg_describe_object(d.classid, d.objid, 0) AS object,
	       (pg_identify_object(d.classid, d.objid, 0)).schema AS schema
	FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'sipas'
	WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
	  AND NOT EXISTS (SELECT 1 FROM pg_type t
					  WHERE d.classid = 'pg_type'::regclass AND t.oid = d.objid
						AND ((t.typelem <> 0 AND t.typsubscript = 'array_subscript_handler'::regproc)
							 OR (t.typrelid <> 0
								 AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) <> 'c')));
SELECT object AS uncommented
FROM sipas_members m
WHERE m.schema = 'sipas'
  AND obj_description(m.objid, (SELECT relname FROM pg_class WHERE oid = m.classid)) IS NULL
ORDER BY 1;
SELECT count(*) AS uncommented_objects
FROM sipas_members m
WHERE m.schema = 'sipas'
  AND obj_description(m.objid, (SELECT relname FROM pg_class WHERE oid = m.classid)) IS NULL;
