
-- ---------------------------------------------------------------------------
-- Type sipas.survey: the histogram of every item of a survey, keyed by item
-- code.  The questionnaire tree is applied when figures are read.
-- ---------------------------------------------------------------------------

CREATE TYPE sipas.survey;
CREATE FUNCTION sipas.survey_in(cstring) RETURNS sipas.survey
	AS 'MODULE_PATHNAME', 'survey_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.survey_out(sipas.survey) RETURNS cstring
	AS 'MODULE_PATHNAME', 'survey_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.survey_recv(internal) RETURNS sipas.survey
	AS 'MODULE_PATHNAME', 'survey_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.survey_send(sipas.survey) RETURNS bytea
	AS 'MODULE_PATHNAME', 'survey_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE sipas.survey (
	INPUT = sipas.survey_in,
	OUTPUT = sipas.survey_out,
	RECEIVE = sipas.survey_recv,
	SEND = sipas.survey_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended
);
COMMENT ON TYPE sipas.survey IS 'answer histograms of every item of a survey, keyed by item code';

CREATE FUNCTION sipas.survey_eq(sipas.survey, sipas.survey) RETURNS boolean
	AS 'MODULE_PATHNAME', 'survey_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.survey_ne(sipas.survey, sipas.survey) RETURNS boolean
	AS 'MODULE_PATHNAME', 'survey_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.survey_hash(sipas.survey) RETURNS integer
	AS 'MODULE_PATHNAME', 'survey_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR sipas.= (
	LEFTARG = sipas.survey, RIGHTARG = sipas.survey, PROCEDURE = sipas.survey_eq,
	COMMUTATOR = OPERATOR(sipas.=), NEGATOR = OPERATOR(sipas.<>), RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR sipas.<> (
	LEFTARG = sipas.survey, RIGHTARG = sipas.survey, PROCEDURE = sipas.survey_ne,
	COMMUTATOR = OPERATOR(sipas.<>), NEGATOR = OPERATOR(sipas.=), RESTRICT = neqsel, JOIN = neqjoinsel
);

-- GROUP BY, DISTINCT and hash joins on summaries
CREATE OPERATOR CLASS sipas.survey_hash_ops DEFAULT FOR TYPE sipas.survey USING hash AS
	OPERATOR 1 sipas.= (sipas.survey, sipas.survey),
	FUNCTION 1 sipas.survey_hash(sipas.survey);

-- aggregate support
CREATE FUNCTION sipas.survey_trans(internal, text, smallint) RETURNS internal
	AS 'MODULE_PATHNAME', 'survey_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.survey_trans(internal, text, integer) RETURNS internal
	AS 'MODULE_PATHNAME', 'survey_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.survey_trans(internal, text, smallint, double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'survey_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.survey_trans(internal, text, integer, double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'survey_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.survey_trans(internal, text, smallint, double precision, integer) RETURNS internal
	AS 'MODULE_PATHNAME', 'survey_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.survey_trans(internal, text, integer, double precision, integer) RETURNS internal
	AS 'MODULE_PATHNAME', 'survey_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.survey_inv(internal, text, smallint) RETURNS internal
	AS 'MODULE_PATHNAME', 'survey_inv_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.survey_inv(internal, text, integer) RETURNS internal
	AS 'MODULE_PATHNAME', 'survey_inv_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.survey_inv(internal, text, smallint, double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'survey_inv_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.survey_inv(internal, text, integer, double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'survey_inv_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.survey_inv(internal, text, smallint, double precision, integer) RETURNS internal
	AS 'MODULE_PATHNAME', 'survey_inv_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.survey_inv(internal, text, integer, double precision, integer) RETURNS internal
	AS 'MODULE_PATHNAME', 'survey_inv_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.survey_rollup_trans(internal, sipas.survey) RETURNS internal
	AS 'MODULE_PATHNAME', 'survey_rollup_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.survey_rollup_inv(internal, sipas.survey) RETURNS internal
	AS 'MODULE_PATHNAME', 'survey_rollup_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.survey_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'survey_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.survey_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'survey_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.survey_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'survey_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.survey_final(internal) RETURNS sipas.survey
	AS 'MODULE_PATHNAME', 'survey_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE sipas.survey_agg(item text, score smallint) (
	SFUNC = sipas.survey_trans, STYPE = internal, SSPACE = 2500, FINALFUNC = sipas.survey_final,
	COMBINEFUNC = sipas.survey_combine, SERIALFUNC = sipas.survey_serialize, DESERIALFUNC = sipas.survey_deserialize,
	MSFUNC = sipas.survey_trans, MINVFUNC = sipas.survey_inv, MSTYPE = internal, MSSPACE = 2500,
	MFINALFUNC = sipas.survey_final, PARALLEL = SAFE);
CREATE AGGREGATE sipas.survey_agg(item text, score integer) (
	SFUNC = sipas.survey_trans, STYPE = internal, SSPACE = 2500, FINALFUNC = sipas.survey_final,
	COMBINEFUNC = sipas.survey_combine, SERIALFUNC = sipas.survey_serialize, DESERIALFUNC = sipas.survey_deserialize,
	MSFUNC = sipas.survey_trans, MINVFUNC = sipas.survey_inv, MSTYPE = internal, MSSPACE = 2500,
	MFINALFUNC = sipas.survey_final, PARALLEL = SAFE);
CREATE AGGREGATE sipas.survey_agg(item text, score smallint, weight double precision) (
	SFUNC = sipas.survey_trans, STYPE = internal, SSPACE = 8000, FINALFUNC = sipas.survey_final,
	COMBINEFUNC = sipas.survey_combine, SERIALFUNC = sipas.survey_serialize, DESERIALFUNC = sipas.survey_deserialize,
	MSFUNC = sipas.survey_trans, MINVFUNC = sipas.survey_inv, MSTYPE = internal, MSSPACE = 8000,
	MFINALFUNC = sipas.survey_final, PARALLEL = SAFE);
CREATE AGGREGATE sipas.survey_agg(item text, score integer, weight double precision) (
	SFUNC = sipas.survey_trans, STYPE = internal, SSPACE = 8000, FINALFUNC = sipas.survey_final,
	COMBINEFUNC = sipas.survey_combine, SERIALFUNC = sipas.survey_serialize, DESERIALFUNC = sipas.survey_deserialize,
	MSFUNC = sipas.survey_trans, MINVFUNC = sipas.survey_inv, MSTYPE = internal, MSSPACE = 8000,
	MFINALFUNC = sipas.survey_final, PARALLEL = SAFE);
CREATE AGGREGATE sipas.survey_agg(item text, score smallint, weight double precision, k integer) (
	SFUNC = sipas.survey_trans, STYPE = internal, SSPACE = 8000, FINALFUNC = sipas.survey_final,
	COMBINEFUNC = sipas.survey_combine, SERIALFUNC = sipas.survey_serialize, DESERIALFUNC = sipas.survey_deserialize,
	MSFUNC = sipas.survey_trans, MINVFUNC = sipas.survey_inv, MSTYPE = internal, MSSPACE = 8000,
	MFINALFUNC = sipas.survey_final, PARALLEL = SAFE);
CREATE AGGREGATE sipas.survey_agg(item text, score integer, weight double precision, k integer) (
	SFUNC = sipas.survey_trans, STYPE = internal, SSPACE = 8000, FINALFUNC = sipas.survey_final,
	COMBINEFUNC = sipas.survey_combine, SERIALFUNC = sipas.survey_serialize, DESERIALFUNC = sipas.survey_deserialize,
	MSFUNC = sipas.survey_trans, MINVFUNC = sipas.survey_inv, MSTYPE = internal, MSSPACE = 8000,
	MFINALFUNC = sipas.survey_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE sipas.survey_agg(text, smallint) IS 'histograms of every item (scores 1..5) in one pass';
COMMENT ON AGGREGATE sipas.survey_agg(text, integer) IS 'histograms of every item (scores 1..5) in one pass';
COMMENT ON AGGREGATE sipas.survey_agg(text, smallint, double precision) IS 'weighted histograms of every item (scores 1..5)';
COMMENT ON AGGREGATE sipas.survey_agg(text, integer, double precision) IS 'weighted histograms of every item (scores 1..5)';
COMMENT ON AGGREGATE sipas.survey_agg(text, smallint, double precision, integer) IS 'weighted histograms of every item, scores 1..k';
COMMENT ON AGGREGATE sipas.survey_agg(text, integer, double precision, integer) IS 'weighted histograms of every item, scores 1..k';

CREATE AGGREGATE sipas.rollup(sipas.survey) (
	SFUNC = sipas.survey_rollup_trans, STYPE = internal, SSPACE = 2500, FINALFUNC = sipas.survey_final,
	COMBINEFUNC = sipas.survey_combine, SERIALFUNC = sipas.survey_serialize, DESERIALFUNC = sipas.survey_deserialize,
	MSFUNC = sipas.survey_rollup_trans, MINVFUNC = sipas.survey_rollup_inv, MSTYPE = internal, MSSPACE = 2500,
	MFINALFUNC = sipas.survey_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE sipas.rollup(sipas.survey) IS 'merge survey summaries item by item (a district from its communes)';

-- items (IMMUTABLE: no catalogue)
CREATE FUNCTION sipas.item(s sipas.survey, item text) RETURNS sipas.likert
	AS 'MODULE_PATHNAME', 'survey_item' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.item(sipas.survey, text) IS 'the histogram of one item, NULL if the summary has no answer to it';
CREATE FUNCTION sipas.items(s sipas.survey, OUT item text, OUT summary sipas.likert) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'survey_items' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 40;
COMMENT ON FUNCTION sipas.items(sipas.survey) IS 'every item of the summary with its histogram, in code order';
CREATE FUNCTION sipas.n(s sipas.survey) RETURNS bigint
	AS 'MODULE_PATHNAME', 'survey_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.n(sipas.survey) IS 'number of answers over all items';

-- the questionnaire tree (STABLE: reads sipas.node)
CREATE FUNCTION sipas.overall(s sipas.survey, questionnaire text DEFAULT '2023', rule text DEFAULT 'mean')
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_overall' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.overall(sipas.survey, text, text) IS
	'overall index of the questionnaire tree, percent; rule mean (default), weighted or items';
CREATE FUNCTION sipas.node_index(s sipas.survey, node text, questionnaire text DEFAULT '2023', rule text DEFAULT 'mean')
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_node_index' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.node_index(sipas.survey, text, text, text) IS 'index of one node (item, group, part, overall), percent';
CREATE FUNCTION sipas.node_n(s sipas.survey, node text, questionnaire text DEFAULT '2023')
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'survey_node_n' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.node_n(sipas.survey, text, text) IS 'answers under one node';
CREATE FUNCTION sipas.breakdown(s sipas.survey, questionnaire text DEFAULT '2023', rule text DEFAULT 'mean',
		confidence double precision DEFAULT 0.95,
		OUT level integer, OUT kind text, OUT code text, OUT name text, OUT name_en text,
		OUT n bigint, OUT index double precision, OUT lower double precision, OUT upper double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'survey_breakdown' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 60;
COMMENT ON FUNCTION sipas.breakdown(sipas.survey, text, text, double precision) IS
	'drill-down of every node in questionnaire order: level, kind, code, names, n, index, interval';
CREATE FUNCTION sipas.node_std_error(s sipas.survey, node text, questionnaire text DEFAULT '2023', rule text DEFAULT 'mean')
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_node_std_error' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.node_std_error(sipas.survey, text, text, text) IS
	'standard error of a node''s index in points: linearised for an item, a conservative bound for inner nodes';
CREATE FUNCTION sipas.item_weights(s sipas.survey, questionnaire text DEFAULT '2023', rule text DEFAULT 'mean',
		OUT item text, OUT weight double precision, OUT index double precision, OUT n bigint)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'survey_item_weights' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 40;
COMMENT ON FUNCTION sipas.item_weights(sipas.survey, text, text) IS
	'each answered item''s weight in the overall index (overall = sum of weight * index), with its index and n';
