
-- ---------------------------------------------------------------------------
-- Type sipas.likert
-- ---------------------------------------------------------------------------

CREATE TYPE sipas.likert;

CREATE FUNCTION sipas.likert_in(cstring) RETURNS sipas.likert
	AS 'MODULE_PATHNAME', 'likert_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.likert_out(sipas.likert) RETURNS cstring
	AS 'MODULE_PATHNAME', 'likert_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.likert_recv(internal) RETURNS sipas.likert
	AS 'MODULE_PATHNAME', 'likert_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.likert_send(sipas.likert) RETURNS bytea
	AS 'MODULE_PATHNAME', 'likert_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- plain storage: values are at most 252 bytes, and unpacked values need no
-- copy when read
CREATE TYPE sipas.likert (
	INPUT = sipas.likert_in,
	OUTPUT = sipas.likert_out,
	RECEIVE = sipas.likert_recv,
	SEND = sipas.likert_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE sipas.likert IS
	'answer histogram of one question on a 2..10-level scale: counts, weight sums and squared weight sums per level';

CREATE FUNCTION sipas.likert_eq(sipas.likert, sipas.likert) RETURNS boolean
	AS 'MODULE_PATHNAME', 'likert_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.likert_ne(sipas.likert, sipas.likert) RETURNS boolean
	AS 'MODULE_PATHNAME', 'likert_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.likert_hash(sipas.likert) RETURNS integer
	AS 'MODULE_PATHNAME', 'likert_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION sipas.likert_cmp(sipas.likert, sipas.likert) RETURNS integer
	AS 'MODULE_PATHNAME', 'likert_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.likert_lt(sipas.likert, sipas.likert) RETURNS boolean
	AS 'MODULE_PATHNAME', 'likert_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.likert_le(sipas.likert, sipas.likert) RETURNS boolean
	AS 'MODULE_PATHNAME', 'likert_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.likert_gt(sipas.likert, sipas.likert) RETURNS boolean
	AS 'MODULE_PATHNAME', 'likert_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.likert_ge(sipas.likert, sipas.likert) RETURNS boolean
	AS 'MODULE_PATHNAME', 'likert_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR sipas.= (
	LEFTARG = sipas.likert, RIGHTARG = sipas.likert, PROCEDURE = sipas.likert_eq,
	COMMUTATOR = OPERATOR(sipas.=), NEGATOR = OPERATOR(sipas.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR sipas.<> (
	LEFTARG = sipas.likert, RIGHTARG = sipas.likert, PROCEDURE = sipas.likert_ne,
	COMMUTATOR = OPERATOR(sipas.<>), NEGATOR = OPERATOR(sipas.=),
	RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR sipas.< (
	LEFTARG = sipas.likert, RIGHTARG = sipas.likert, PROCEDURE = sipas.likert_lt,
	COMMUTATOR = OPERATOR(sipas.>), NEGATOR = OPERATOR(sipas.>=),
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR sipas.<= (
	LEFTARG = sipas.likert, RIGHTARG = sipas.likert, PROCEDURE = sipas.likert_le,
	COMMUTATOR = OPERATOR(sipas.>=), NEGATOR = OPERATOR(sipas.>),
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR sipas.> (
	LEFTARG = sipas.likert, RIGHTARG = sipas.likert, PROCEDURE = sipas.likert_gt,
	COMMUTATOR = OPERATOR(sipas.<), NEGATOR = OPERATOR(sipas.<=),
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR sipas.>= (
	LEFTARG = sipas.likert, RIGHTARG = sipas.likert, PROCEDURE = sipas.likert_ge,
	COMMUTATOR = OPERATOR(sipas.<=), NEGATOR = OPERATOR(sipas.<),
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);
CREATE OPERATOR CLASS sipas.likert_hash_ops DEFAULT FOR TYPE sipas.likert USING hash AS
	OPERATOR 1 sipas.= (sipas.likert, sipas.likert),
	FUNCTION 1 sipas.likert_hash(sipas.likert);
-- an arbitrary but total order (scale, counts, weights), for DISTINCT,
-- ORDER BY and merge joins; it says nothing about satisfaction
CREATE OPERATOR CLASS sipas.likert_btree_ops DEFAULT FOR TYPE sipas.likert USING btree AS
	OPERATOR 1 sipas.< (sipas.likert, sipas.likert),
	OPERATOR 2 sipas.<= (sipas.likert, sipas.likert),
	OPERATOR 3 sipas.= (sipas.likert, sipas.likert),
	OPERATOR 4 sipas.>= (sipas.likert, sipas.likert),
	OPERATOR 5 sipas.> (sipas.likert, sipas.likert),
	FUNCTION 1 sipas.likert_cmp(sipas.likert, sipas.likert);

-- ---------------------------------------------------------------------------
-- Accessors
-- ---------------------------------------------------------------------------

CREATE FUNCTION sipas.likert_from_counts(counts bigint[]) RETURNS sipas.likert
	AS 'MODULE_PATHNAME', 'likert_from_counts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.likert_from_counts(bigint[]) IS
	'unweighted summary from answer counts per level (array length = scale size)';

CREATE FUNCTION sipas.scale_size(s sipas.likert) RETURNS integer
	AS 'MODULE_PATHNAME', 'likert_scale_size' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.scale_size(sipas.likert) IS 'number of levels of the scale';

CREATE FUNCTION sipas.counts(s sipas.likert) RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'likert_counts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.counts(sipas.likert) IS 'answers per level';

CREATE FUNCTION sipas.n(s sipas.likert) RETURNS bigint
	AS 'MODULE_PATHNAME', 'likert_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.n(sipas.likert) IS 'number of valid answers';

CREATE FUNCTION sipas.weighted_n(s sipas.likert) RETURNS double precision
	AS 'MODULE_PATHNAME', 'likert_weighted_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.weighted_n(sipas.likert) IS 'sum of weights (= n when unweighted)';

CREATE FUNCTION sipas.effective_n(s sipas.likert) RETURNS double precision
	AS 'MODULE_PATHNAME', 'likert_effective_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.effective_n(sipas.likert) IS 'Kish effective sample size (sum w)^2 / sum w^2';

CREATE FUNCTION sipas.mean_score(s sipas.likert) RETURNS double precision
	AS 'MODULE_PATHNAME', 'likert_mean_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.mean_score(sipas.likert) IS 'weighted mean level, 1..k';

CREATE FUNCTION sipas.share(s sipas.likert, level integer) RETURNS double precision
	AS 'MODULE_PATHNAME', 'likert_share' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.share(sipas.likert, integer) IS 'weighted share of one level, percent';

CREATE FUNCTION sipas.distribution(s sipas.likert) RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'likert_distribution' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.distribution(sipas.likert) IS 'weighted share of every level, percent';

CREATE FUNCTION sipas.satisfaction_index(s sipas.likert) RETURNS double precision
	AS 'MODULE_PATHNAME', 'likert_satisfaction_index' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.satisfaction_index(sipas.likert) IS
	'weighted share of the top two levels (top level on a 2-level scale), percent';

CREATE FUNCTION sipas.std_error(s sipas.likert) RETURNS double precision
	AS 'MODULE_PATHNAME', 'likert_std_error' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.std_error(sipas.likert) IS
	'linearised standard error of the satisfaction index, points (R survey svymean, ids = ~1)';

CREATE FUNCTION sipas.confidence_interval(s sipas.likert, confidence double precision DEFAULT 0.95,
		method text DEFAULT 'wilson', OUT lower double precision, OUT upper double precision)
	RETURNS record
	AS 'MODULE_PATHNAME', 'likert_confidence_interval' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.confidence_interval(sipas.likert, double precision, text) IS
	'confidence interval of the satisfaction index, percent; method wilson (Kish effective n) or logit (R svyciprop)';

-- ---------------------------------------------------------------------------
-- Aggregate support functions (internal state; not for direct calls)
-- ---------------------------------------------------------------------------

CREATE FUNCTION sipas.likert_trans(internal, smallint) RETURNS internal
	AS 'MODULE_PATHNAME', 'likert_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.likert_trans(internal, integer) RETURNS internal
	AS 'MODULE_PATHNAME', 'likert_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.likert_trans(internal, smallint, double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'likert_wtrans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.likert_trans(internal, integer, double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'likert_wtrans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.likert_trans(internal, smallint, double precision, integer) RETURNS internal
	AS 'MODULE_PATHNAME', 'likert_wtrans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.likert_trans(internal, integer, double precision, integer) RETURNS internal
	AS 'MODULE_PATHNAME', 'likert_wtrans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION sipas.likert_inv(internal, smallint) RETURNS internal
	AS 'MODULE_PATHNAME', 'likert_inv_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.likert_inv(internal, integer) RETURNS internal
	AS 'MODULE_PATHNAME', 'likert_inv_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.likert_inv(internal, smallint, double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'likert_winv_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.likert_inv(internal, integer, double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'likert_winv_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.likert_inv(internal, smallint, double precision, integer) RETURNS internal
	AS 'MODULE_PATHNAME', 'likert_winv_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.likert_inv(internal, integer, double precision, integer) RETURNS internal
	AS 'MODULE_PATHNAME', 'likert_winv_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION sipas.likert_rollup_trans(internal, sipas.likert) RETURNS internal
	AS 'MODULE_PATHNAME', 'likert_rollup_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.likert_rollup_inv(internal, sipas.likert) RETURNS internal
	AS 'MODULE_PATHNAME', 'likert_rollup_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION sipas.likert_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'likert_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.likert_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'likert_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.likert_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'likert_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION sipas.likert_final(internal) RETURNS sipas.likert
	AS 'MODULE_PATHNAME', 'likert_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.likert_index_final(internal) RETURNS double precision
	AS 'MODULE_PATHNAME', 'likert_index_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- ---------------------------------------------------------------------------
-- Aggregates.  Every one: parallel (combine/serialize/deserialize) and a
-- moving-window mode with an exact inverse.  likert_agg and
-- satisfaction_index over the same arguments share one transition state.
-- ---------------------------------------------------------------------------

CREATE AGGREGATE sipas.likert_agg(score smallint) (
	SFUNC = sipas.likert_trans, STYPE = internal, SSPACE = 64,
	FINALFUNC = sipas.likert_final,
	COMBINEFUNC = sipas.likert_combine,
	SERIALFUNC = sipas.likert_serialize, DESERIALFUNC = sipas.likert_deserialize,
	MSFUNC = sipas.likert_trans, MINVFUNC = sipas.likert_inv, MSTYPE = internal, MSSPACE = 64,
	MFINALFUNC = sipas.likert_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE sipas.likert_agg(score integer) (
	SFUNC = sipas.likert_trans, STYPE = internal, SSPACE = 64,
	FINALFUNC = sipas.likert_final,
	COMBINEFUNC = sipas.likert_combine,
	SERIALFUNC = sipas.likert_serialize, DESERIALFUNC = sipas.likert_deserialize,
	MSFUNC = sipas.likert_trans, MINVFUNC = sipas.likert_inv, MSTYPE = internal, MSSPACE = 64,
	MFINALFUNC = sipas.likert_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE sipas.likert_agg(score smallint, weight double precision) (
	SFUNC = sipas.likert_trans, STYPE = internal, SSPACE = 192,
	FINALFUNC = sipas.likert_final,
	COMBINEFUNC = sipas.likert_combine,
	SERIALFUNC = sipas.likert_serialize, DESERIALFUNC = sipas.likert_deserialize,
	MSFUNC = sipas.likert_trans, MINVFUNC = sipas.likert_inv, MSTYPE = internal, MSSPACE = 192,
	MFINALFUNC = sipas.likert_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE sipas.likert_agg(score integer, weight double precision) (
	SFUNC = sipas.likert_trans, STYPE = internal, SSPACE = 192,
	FINALFUNC = sipas.likert_final,
	COMBINEFUNC = sipas.likert_combine,
	SERIALFUNC = sipas.likert_serialize, DESERIALFUNC = sipas.likert_deserialize,
	MSFUNC = sipas.likert_trans, MINVFUNC = sipas.likert_inv, MSTYPE = internal, MSSPACE = 192,
	MFINALFUNC = sipas.likert_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE sipas.likert_agg(score smallint, weight double precision, k integer) (
	SFUNC = sipas.likert_trans, STYPE = internal, SSPACE = 192,
	FINALFUNC = sipas.likert_final,
	COMBINEFUNC = sipas.likert_combine,
	SERIALFUNC = sipas.likert_serialize, DESERIALFUNC = sipas.likert_deserialize,
	MSFUNC = sipas.likert_trans, MINVFUNC = sipas.likert_inv, MSTYPE = internal, MSSPACE = 192,
	MFINALFUNC = sipas.likert_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE sipas.likert_agg(score integer, weight double precision, k integer) (
	SFUNC = sipas.likert_trans, STYPE = internal, SSPACE = 192,
	FINALFUNC = sipas.likert_final,
	COMBINEFUNC = sipas.likert_combine,
	SERIALFUNC = sipas.likert_serialize, DESERIALFUNC = sipas.likert_deserialize,
	MSFUNC = sipas.likert_trans, MINVFUNC = sipas.likert_inv, MSTYPE = internal, MSSPACE = 192,
	MFINALFUNC = sipas.likert_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE sipas.likert_agg(smallint) IS 'answer histogram of scores 1..5';
COMMENT ON AGGREGATE sipas.likert_agg(integer) IS 'answer histogram of scores 1..5';
COMMENT ON AGGREGATE sipas.likert_agg(smallint, double precision) IS 'weighted answer histogram of scores 1..5';
COMMENT ON AGGREGATE sipas.likert_agg(integer, double precision) IS 'weighted answer histogram of scores 1..5';
COMMENT ON AGGREGATE sipas.likert_agg(smallint, double precision, integer) IS 'weighted answer histogram of scores 1..k';
COMMENT ON AGGREGATE sipas.likert_agg(integer, double precision, integer) IS 'weighted answer histogram of scores 1..k';

CREATE AGGREGATE sipas.satisfaction_index(score smallint) (
	SFUNC = sipas.likert_trans, STYPE = internal, SSPACE = 64,
	FINALFUNC = sipas.likert_index_final,
	COMBINEFUNC = sipas.likert_combine,
	SERIALFUNC = sipas.likert_serialize, DESERIALFUNC = sipas.likert_deserialize,
	MSFUNC = sipas.likert_trans, MINVFUNC = sipas.likert_inv, MSTYPE = internal, MSSPACE = 64,
	MFINALFUNC = sipas.likert_index_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE sipas.satisfaction_index(score integer) (
	SFUNC = sipas.likert_trans, STYPE = internal, SSPACE = 64,
	FINALFUNC = sipas.likert_index_final,
	COMBINEFUNC = sipas.likert_combine,
	SERIALFUNC = sipas.likert_serialize, DESERIALFUNC = sipas.likert_deserialize,
	MSFUNC = sipas.likert_trans, MINVFUNC = sipas.likert_inv, MSTYPE = internal, MSSPACE = 64,
	MFINALFUNC = sipas.likert_index_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE sipas.satisfaction_index(score smallint, weight double precision) (
	SFUNC = sipas.likert_trans, STYPE = internal, SSPACE = 192,
	FINALFUNC = sipas.likert_index_final,
	COMBINEFUNC = sipas.likert_combine,
	SERIALFUNC = sipas.likert_serialize, DESERIALFUNC = sipas.likert_deserialize,
	MSFUNC = sipas.likert_trans, MINVFUNC = sipas.likert_inv, MSTYPE = internal, MSSPACE = 192,
	MFINALFUNC = sipas.likert_index_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE sipas.satisfaction_index(score integer, weight double precision) (
	SFUNC = sipas.likert_trans, STYPE = internal, SSPACE = 192,
	FINALFUNC = sipas.likert_index_final,
	COMBINEFUNC = sipas.likert_combine,
	SERIALFUNC = sipas.likert_serialize, DESERIALFUNC = sipas.likert_deserialize,
	MSFUNC = sipas.likert_trans, MINVFUNC = sipas.likert_inv, MSTYPE = internal, MSSPACE = 192,
	MFINALFUNC = sipas.likert_index_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE sipas.satisfaction_index(score smallint, weight double precision, k integer) (
	SFUNC = sipas.likert_trans, STYPE = internal, SSPACE = 192,
	FINALFUNC = sipas.likert_index_final,
	COMBINEFUNC = sipas.likert_combine,
	SERIALFUNC = sipas.likert_serialize, DESERIALFUNC = sipas.likert_deserialize,
	MSFUNC = sipas.likert_trans, MINVFUNC = sipas.likert_inv, MSTYPE = internal, MSSPACE = 192,
	MFINALFUNC = sipas.likert_index_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE sipas.satisfaction_index(score integer, weight double precision, k integer) (
	SFUNC = sipas.likert_trans, STYPE = internal, SSPACE = 192,
	FINALFUNC = sipas.likert_index_final,
	COMBINEFUNC = sipas.likert_combine,
	SERIALFUNC = sipas.likert_serialize, DESERIALFUNC = sipas.likert_deserialize,
	MSFUNC = sipas.likert_trans, MINVFUNC = sipas.likert_inv, MSTYPE = internal, MSSPACE = 192,
	MFINALFUNC = sipas.likert_index_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE sipas.satisfaction_index(smallint) IS 'percent of answers at levels 4-5 of 1..5';
COMMENT ON AGGREGATE sipas.satisfaction_index(integer) IS 'percent of answers at levels 4-5 of 1..5';
COMMENT ON AGGREGATE sipas.satisfaction_index(smallint, double precision) IS 'weighted percent at levels 4-5 of 1..5';
COMMENT ON AGGREGATE sipas.satisfaction_index(integer, double precision) IS 'weighted percent at levels 4-5 of 1..5';
COMMENT ON AGGREGATE sipas.satisfaction_index(smallint, double precision, integer) IS 'weighted percent in the top two levels of 1..k';
COMMENT ON AGGREGATE sipas.satisfaction_index(integer, double precision, integer) IS 'weighted percent in the top two levels of 1..k';

CREATE AGGREGATE sipas.rollup(sipas.likert) (
	SFUNC = sipas.likert_rollup_trans, STYPE = internal, SSPACE = 192,
	FINALFUNC = sipas.likert_final,
	COMBINEFUNC = sipas.likert_combine,
	SERIALFUNC = sipas.likert_serialize, DESERIALFUNC = sipas.likert_deserialize,
	MSFUNC = sipas.likert_rollup_trans, MINVFUNC = sipas.likert_rollup_inv, MSTYPE = internal,
	MSSPACE = 192, MFINALFUNC = sipas.likert_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE sipas.rollup(sipas.likert) IS 'merge summaries of the same scale into one';
