
-- ---------------------------------------------------------------------------
-- Survey summaries from forms: survey_agg(form [, weight]) keeps, beside every
-- item's histogram, the respondent-level moments (stored layout version 2, a
-- "forms section") from which the clustered standard error (one form = one
-- primary sampling unit) of any node can be read.  rollup(survey) merges them.
-- ---------------------------------------------------------------------------

CREATE FUNCTION sipas.survey_form_trans(internal, sipas.form) RETURNS internal
	AS 'MODULE_PATHNAME', 'survey_form_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.survey_form_trans(internal, sipas.form, double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'survey_form_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.survey_form_inv(internal, sipas.form) RETURNS internal
	AS 'MODULE_PATHNAME', 'survey_form_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.survey_form_inv(internal, sipas.form, double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'survey_form_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sipas.survey_form_trans(internal, sipas.form) IS 'transition function of survey_agg(form)';
COMMENT ON FUNCTION sipas.survey_form_trans(internal, sipas.form, double precision) IS 'transition function of survey_agg(form, weight)';
COMMENT ON FUNCTION sipas.survey_form_inv(internal, sipas.form) IS 'inverse transition function of survey_agg(form) (moving windows, exact)';
COMMENT ON FUNCTION sipas.survey_form_inv(internal, sipas.form, double precision) IS
	'inverse transition function of survey_agg(form, weight): always recomputes the frame';

CREATE AGGREGATE sipas.survey_agg(f sipas.form) (
	SFUNC = sipas.survey_form_trans, STYPE = internal, SSPACE = 40000, FINALFUNC = sipas.survey_final,
	COMBINEFUNC = sipas.survey_combine, SERIALFUNC = sipas.survey_serialize, DESERIALFUNC = sipas.survey_deserialize,
	MSFUNC = sipas.survey_form_trans, MINVFUNC = sipas.survey_form_inv, MSTYPE = internal, MSSPACE = 40000,
	MFINALFUNC = sipas.survey_final, PARALLEL = SAFE);
CREATE AGGREGATE sipas.survey_agg(f sipas.form, weight double precision) (
	SFUNC = sipas.survey_form_trans, STYPE = internal, SSPACE = 80000, FINALFUNC = sipas.survey_final,
	COMBINEFUNC = sipas.survey_combine, SERIALFUNC = sipas.survey_serialize, DESERIALFUNC = sipas.survey_deserialize,
	MSFUNC = sipas.survey_form_trans, MINVFUNC = sipas.survey_form_inv, MSTYPE = internal, MSSPACE = 80000,
	MFINALFUNC = sipas.survey_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE sipas.survey_agg(sipas.form) IS
	'histograms of every item and the respondent-level moments of the forms (clustered standard errors)';
COMMENT ON AGGREGATE sipas.survey_agg(sipas.form, double precision) IS
	'weighted (design weight per form) histograms and respondent-level moments of the forms';

CREATE FUNCTION sipas.respondents(s sipas.survey) RETURNS bigint
	AS 'MODULE_PATHNAME', 'survey_respondents' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.respondents(sipas.survey) IS
	'number of forms (respondents) of a summary built from forms, also those that answered nothing; NULL when built from answer rows';

CREATE FUNCTION sipas.contrast_std_error(s sipas.survey, items text[], coefs double precision[])
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_contrast_std_error' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.contrast_std_error(sipas.survey, text[], double precision[]) IS
	'clustered (one form = one PSU, linearised) standard error in points of sum(coef * item index); summaries from forms only';

CREATE FUNCTION sipas.comprehensive_index(s sipas.survey) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_comprehensive_index' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.comprehensive_index(sipas.survey) IS
	'percent of answering forms satisfied with every item they answered; NULL when built from answer rows';
CREATE FUNCTION sipas.comprehensive_std_error(s sipas.survey) RETURNS double precision
	AS 'MODULE_PATHNAME', 'survey_comprehensive_std_error' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.comprehensive_std_error(sipas.survey) IS
	'clustered standard error in points of comprehensive_index (ratio estimator, linearised)';
