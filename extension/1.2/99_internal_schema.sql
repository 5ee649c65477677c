
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

-- what each moved support function is for (every function of the extension has a comment)
COMMENT ON FUNCTION sipas_internal.likert_cmp(sipas.likert, sipas.likert) IS 'support: B-tree comparison of sipas.likert';
COMMENT ON FUNCTION sipas_internal.likert_combine(internal, internal) IS 'support: combine function (parallel) of sipas.likert_agg, sipas.rollup, sipas.satisfaction_index';
COMMENT ON FUNCTION sipas_internal.likert_deserialize(bytea, internal) IS 'support: deserialize function (parallel) of sipas.likert_agg, sipas.rollup, sipas.satisfaction_index';
COMMENT ON FUNCTION sipas_internal.likert_eq(sipas.likert, sipas.likert) IS 'support: operator = of sipas.likert';
COMMENT ON FUNCTION sipas_internal.likert_final(internal) IS 'support: final function of sipas.likert_agg, sipas.rollup';
COMMENT ON FUNCTION sipas_internal.likert_ge(sipas.likert, sipas.likert) IS 'support: operator >= of sipas.likert';
COMMENT ON FUNCTION sipas_internal.likert_gt(sipas.likert, sipas.likert) IS 'support: operator > of sipas.likert';
COMMENT ON FUNCTION sipas_internal.likert_hash(sipas.likert) IS 'support: hash of sipas.likert (hash opclass)';
COMMENT ON FUNCTION sipas_internal.likert_in(cstring) IS 'support: text input of sipas.likert';
COMMENT ON FUNCTION sipas_internal.likert_index_final(internal) IS 'support: final function of sipas.satisfaction_index';
COMMENT ON FUNCTION sipas_internal.likert_inv(internal, integer) IS 'support: inverse transition (moving windows) of sipas.likert_agg, sipas.satisfaction_index';
COMMENT ON FUNCTION sipas_internal.likert_inv(internal, integer, double precision) IS 'support: inverse transition (moving windows) of sipas.likert_agg, sipas.satisfaction_index';
COMMENT ON FUNCTION sipas_internal.likert_inv(internal, integer, double precision, integer) IS 'support: inverse transition (moving windows) of sipas.likert_agg, sipas.satisfaction_index';
COMMENT ON FUNCTION sipas_internal.likert_inv(internal, smallint) IS 'support: inverse transition (moving windows) of sipas.likert_agg, sipas.satisfaction_index';
COMMENT ON FUNCTION sipas_internal.likert_inv(internal, smallint, double precision) IS 'support: inverse transition (moving windows) of sipas.likert_agg, sipas.satisfaction_index';
COMMENT ON FUNCTION sipas_internal.likert_inv(internal, smallint, double precision, integer) IS 'support: inverse transition (moving windows) of sipas.likert_agg, sipas.satisfaction_index';
COMMENT ON FUNCTION sipas_internal.likert_le(sipas.likert, sipas.likert) IS 'support: operator <= of sipas.likert';
COMMENT ON FUNCTION sipas_internal.likert_lt(sipas.likert, sipas.likert) IS 'support: operator < of sipas.likert';
COMMENT ON FUNCTION sipas_internal.likert_ne(sipas.likert, sipas.likert) IS 'support: operator <> of sipas.likert';
COMMENT ON FUNCTION sipas_internal.likert_out(sipas.likert) IS 'support: text output of sipas.likert';
COMMENT ON FUNCTION sipas_internal.likert_recv(internal) IS 'support: binary input of sipas.likert (validates every byte)';
COMMENT ON FUNCTION sipas_internal.likert_rollup_inv(internal, sipas.likert) IS 'support: inverse transition (moving windows) of sipas.rollup';
COMMENT ON FUNCTION sipas_internal.likert_rollup_trans(internal, sipas.likert) IS 'support: transition function of sipas.rollup';
COMMENT ON FUNCTION sipas_internal.likert_send(sipas.likert) IS 'support: binary output of sipas.likert';
COMMENT ON FUNCTION sipas_internal.likert_serialize(internal) IS 'support: serialize function (parallel) of sipas.likert_agg, sipas.rollup, sipas.satisfaction_index';
COMMENT ON FUNCTION sipas_internal.likert_trans(internal, integer) IS 'support: transition function of sipas.likert_agg, sipas.satisfaction_index';
COMMENT ON FUNCTION sipas_internal.likert_trans(internal, integer, double precision) IS 'support: transition function of sipas.likert_agg, sipas.satisfaction_index';
COMMENT ON FUNCTION sipas_internal.likert_trans(internal, integer, double precision, integer) IS 'support: transition function of sipas.likert_agg, sipas.satisfaction_index';
COMMENT ON FUNCTION sipas_internal.likert_trans(internal, smallint) IS 'support: transition function of sipas.likert_agg, sipas.satisfaction_index';
COMMENT ON FUNCTION sipas_internal.likert_trans(internal, smallint, double precision) IS 'support: transition function of sipas.likert_agg, sipas.satisfaction_index';
COMMENT ON FUNCTION sipas_internal.likert_trans(internal, smallint, double precision, integer) IS 'support: transition function of sipas.likert_agg, sipas.satisfaction_index';
COMMENT ON FUNCTION sipas_internal.survey_combine(internal, internal) IS 'support: combine function (parallel) of sipas.rollup, sipas.survey_agg';
COMMENT ON FUNCTION sipas_internal.survey_deserialize(bytea, internal) IS 'support: deserialize function (parallel) of sipas.rollup, sipas.survey_agg';
COMMENT ON FUNCTION sipas_internal.survey_eq(sipas.survey, sipas.survey) IS 'support: operator = of sipas.survey';
COMMENT ON FUNCTION sipas_internal.survey_final(internal) IS 'support: final function of sipas.rollup, sipas.survey_agg';
COMMENT ON FUNCTION sipas_internal.survey_hash(sipas.survey) IS 'support: hash of sipas.survey (hash opclass)';
COMMENT ON FUNCTION sipas_internal.survey_in(cstring) IS 'support: text input of sipas.survey';
COMMENT ON FUNCTION sipas_internal.survey_inv(internal, text, integer) IS 'support: inverse transition (moving windows) of sipas.survey_agg';
COMMENT ON FUNCTION sipas_internal.survey_inv(internal, text, integer, double precision) IS 'support: inverse transition (moving windows) of sipas.survey_agg';
COMMENT ON FUNCTION sipas_internal.survey_inv(internal, text, integer, double precision, integer) IS 'support: inverse transition (moving windows) of sipas.survey_agg';
COMMENT ON FUNCTION sipas_internal.survey_inv(internal, text, smallint) IS 'support: inverse transition (moving windows) of sipas.survey_agg';
COMMENT ON FUNCTION sipas_internal.survey_inv(internal, text, smallint, double precision) IS 'support: inverse transition (moving windows) of sipas.survey_agg';
COMMENT ON FUNCTION sipas_internal.survey_inv(internal, text, smallint, double precision, integer) IS 'support: inverse transition (moving windows) of sipas.survey_agg';
COMMENT ON FUNCTION sipas_internal.survey_ne(sipas.survey, sipas.survey) IS 'support: operator <> of sipas.survey';
COMMENT ON FUNCTION sipas_internal.survey_out(sipas.survey) IS 'support: text output of sipas.survey';
COMMENT ON FUNCTION sipas_internal.survey_recv(internal) IS 'support: binary input of sipas.survey (validates every byte)';
COMMENT ON FUNCTION sipas_internal.survey_rollup_inv(internal, sipas.survey) IS 'support: inverse transition (moving windows) of sipas.rollup';
COMMENT ON FUNCTION sipas_internal.survey_rollup_trans(internal, sipas.survey) IS 'support: transition function of sipas.rollup';
COMMENT ON FUNCTION sipas_internal.survey_send(sipas.survey) IS 'support: binary output of sipas.survey';
COMMENT ON FUNCTION sipas_internal.survey_serialize(internal) IS 'support: serialize function (parallel) of sipas.rollup, sipas.survey_agg';
COMMENT ON FUNCTION sipas_internal.survey_trans(internal, text, integer) IS 'support: transition function of sipas.survey_agg';
COMMENT ON FUNCTION sipas_internal.survey_trans(internal, text, integer, double precision) IS 'support: transition function of sipas.survey_agg';
COMMENT ON FUNCTION sipas_internal.survey_trans(internal, text, integer, double precision, integer) IS 'support: transition function of sipas.survey_agg';
COMMENT ON FUNCTION sipas_internal.survey_trans(internal, text, smallint) IS 'support: transition function of sipas.survey_agg';
COMMENT ON FUNCTION sipas_internal.survey_trans(internal, text, smallint, double precision) IS 'support: transition function of sipas.survey_agg';
COMMENT ON FUNCTION sipas_internal.survey_trans(internal, text, smallint, double precision, integer) IS 'support: transition function of sipas.survey_agg';
