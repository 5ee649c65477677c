
-- ---------------------------------------------------------------------------
-- Schema sipas_internal: support functions, out of the way of \df sipas.*.
-- Created first so that every 1.2 part can put its support functions there;
-- 99_internal_schema.sql moves the released ones.
-- ---------------------------------------------------------------------------

CREATE SCHEMA sipas_internal;
COMMENT ON SCHEMA sipas_internal IS
	'sipas support functions (type I/O, operator support, aggregate transition/combine/serial/final functions, loader internals): called by PostgreSQL and by sipas, not by users';
-- The support functions are executable by PUBLIC, like every function by default; USAGE
-- only lets sipas's own SQL functions refer to them by qualified name for any caller.
GRANT USAGE ON SCHEMA sipas_internal TO PUBLIC;
