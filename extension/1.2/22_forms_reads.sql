-- ---------------------------------------------------------------------------
-- Reading summaries of forms (issue 11): every standard error and interval of
-- a survey summary built with survey_agg(form [, weight]) is the clustered one
-- (one form = one primary sampling unit, linearised), read off its forms
-- section alone.  node_std_error and breakdown (released in 1.1) changed in C
-- for such summaries; on summaries built from answer rows they keep their 1.1
-- meaning (a conservative bound for inner nodes).  The functions below that
-- need a clustered variance raise 22023 with a hint on summaries of rows.
-- ---------------------------------------------------------------------------

COMMENT ON FUNCTION sipas.node_std_error(sipas.survey, text, text, text) IS
	'standard error of a node''s index in points: clustered by form for a summary of forms; from answer rows linearised for an item, a conservative bound for inner nodes';
COMMENT ON FUNCTION sipas.breakdown(sipas.survey, text, text, double precision) IS
	'drill-down of every node in questionnaire order: level, kind, code, names, n, index, interval (summary of forms: logit interval on the clustered standard error)';

CREATE FUNCTION sipas.change_test(now sipas.survey, before sipas.survey,
		node text DEFAULT NULL, questionnaire text DEFAULT '2023', rule text DEFAULT 'mean',
		OUT points double precision, OUT std_error double precision,
		OUT z double precision, OUT p_value double precision)
	RETURNS record
	AS 'MODULE_PATHNAME', 'survey_change_test' LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.change_test(sipas.survey, sipas.survey, text, text, text) IS
	'change of a node''s index (NULL node: the overall index) between two independent summaries of forms: points, clustered standard error, z, two-sided p-value';

CREATE FUNCTION sipas.change_significant(now sipas.survey, before sipas.survey,
		confidence double precision DEFAULT 0.95,
		node text DEFAULT NULL, questionnaire text DEFAULT '2023', rule text DEFAULT 'mean') RETURNS boolean
	AS 'MODULE_PATHNAME', 'survey_change_significant' LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.change_significant(sipas.survey, sipas.survey, double precision, text, text, text) IS
	'true when the change of a node''s index (NULL node: overall) between two summaries of forms is significant at the confidence level (two-sided z test)';

CREATE FUNCTION sipas.rank_range(s sipas.survey, confidence double precision DEFAULT 0.95,
		correction text DEFAULT 'bonferroni',
		node text DEFAULT NULL, questionnaire text DEFAULT '2023', rule text DEFAULT 'mean') RETURNS integer[]
	AS 'MODULE_PATHNAME', 'sipas_rank_range_survey' LANGUAGE C STABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION sipas.rank_range(sipas.survey, double precision, text, text, text, text) IS
	'{best, worst} plausible rank of a node''s index (NULL node: overall) inside the partition, from summaries of forms and their clustered standard errors';

-- The province: the mean of its units' indices, units independent strata.
CREATE FUNCTION sipas_internal.province_trans(state double precision[], s sipas.survey) RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'survey_province_trans' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas_internal.province_trans(state double precision[], s sipas.survey, node text) RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'survey_province_trans' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas_internal.province_trans(state double precision[], s sipas.survey, node text,
		questionnaire text, rule text) RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'survey_province_trans' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas_internal.province_combine(a double precision[], b double precision[]) RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'survey_province_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas_internal.province_index_final(state double precision[]) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_province_index_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas_internal.province_std_error_final(state double precision[]) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_province_std_error_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas_internal.province_trans(double precision[], sipas.survey) IS
	'transition function of province_index(s) and province_std_error(s): units, sum of indices, sum of variances, units without variance, units without forms';
COMMENT ON FUNCTION sipas_internal.province_trans(double precision[], sipas.survey, text) IS
	'transition function of province_index(s, node) and province_std_error(s, node)';
COMMENT ON FUNCTION sipas_internal.province_trans(double precision[], sipas.survey, text, text, text) IS
	'transition function of province_index(s, node, questionnaire, rule) and province_std_error(s, node, questionnaire, rule)';
COMMENT ON FUNCTION sipas_internal.province_combine(double precision[], double precision[]) IS
	'combine function of the province aggregates (parallel plans)';
COMMENT ON FUNCTION sipas_internal.province_index_final(double precision[]) IS 'final function of province_index';
COMMENT ON FUNCTION sipas_internal.province_std_error_final(double precision[]) IS 'final function of province_std_error';

CREATE AGGREGATE sipas.province_index(s sipas.survey) (
	SFUNC = sipas_internal.province_trans, STYPE = double precision[], INITCOND = '{0,0,0,0,0}',
	FINALFUNC = sipas_internal.province_index_final, COMBINEFUNC = sipas_internal.province_combine, PARALLEL = SAFE);
CREATE AGGREGATE sipas.province_index(s sipas.survey, node text) (
	SFUNC = sipas_internal.province_trans, STYPE = double precision[], INITCOND = '{0,0,0,0,0}',
	FINALFUNC = sipas_internal.province_index_final, COMBINEFUNC = sipas_internal.province_combine, PARALLEL = SAFE);
CREATE AGGREGATE sipas.province_index(s sipas.survey, node text, questionnaire text, rule text) (
	SFUNC = sipas_internal.province_trans, STYPE = double precision[], INITCOND = '{0,0,0,0,0}',
	FINALFUNC = sipas_internal.province_index_final, COMBINEFUNC = sipas_internal.province_combine, PARALLEL = SAFE);
CREATE AGGREGATE sipas.province_std_error(s sipas.survey) (
	SFUNC = sipas_internal.province_trans, STYPE = double precision[], INITCOND = '{0,0,0,0,0}',
	FINALFUNC = sipas_internal.province_std_error_final, COMBINEFUNC = sipas_internal.province_combine, PARALLEL = SAFE);
CREATE AGGREGATE sipas.province_std_error(s sipas.survey, node text) (
	SFUNC = sipas_internal.province_trans, STYPE = double precision[], INITCOND = '{0,0,0,0,0}',
	FINALFUNC = sipas_internal.province_std_error_final, COMBINEFUNC = sipas_internal.province_combine, PARALLEL = SAFE);
CREATE AGGREGATE sipas.province_std_error(s sipas.survey, node text, questionnaire text, rule text) (
	SFUNC = sipas_internal.province_trans, STYPE = double precision[], INITCOND = '{0,0,0,0,0}',
	FINALFUNC = sipas_internal.province_std_error_final, COMBINEFUNC = sipas_internal.province_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE sipas.province_index(sipas.survey) IS
	'mean of the units'' overall indices (units without answers left out), percent';
COMMENT ON AGGREGATE sipas.province_index(sipas.survey, text) IS
	'mean of the units'' indices of one node (questionnaire 2023, rule mean), percent';
COMMENT ON AGGREGATE sipas.province_index(sipas.survey, text, text, text) IS
	'mean of the units'' indices of one node under a questionnaire and rule, percent';
COMMENT ON AGGREGATE sipas.province_std_error(sipas.survey) IS
	'standard error in points of province_index(s): sqrt(sum of the units'' clustered variances) / units, units independent strata; summaries of forms only';
COMMENT ON AGGREGATE sipas.province_std_error(sipas.survey, text) IS
	'standard error in points of province_index(s, node); summaries of forms only';
COMMENT ON AGGREGATE sipas.province_std_error(sipas.survey, text, text, text) IS
	'standard error in points of province_index(s, node, questionnaire, rule); summaries of forms only';

