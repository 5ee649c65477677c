
-- ---------------------------------------------------------------------------
-- Changes between periods (plain functions on two summaries)
-- ---------------------------------------------------------------------------

CREATE FUNCTION sipas.change_test(now sipas.likert, before sipas.likert,
		OUT points double precision, OUT std_error double precision,
		OUT z double precision, OUT p_value double precision)
	RETURNS record
	AS 'MODULE_PATHNAME', 'likert_change_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.change_test(sipas.likert, sipas.likert) IS
	'change of the satisfaction index between two independent samples: points, standard error, z, two-sided p-value';

CREATE FUNCTION sipas.change_significant(now sipas.likert, before sipas.likert,
		confidence double precision DEFAULT 0.95) RETURNS boolean
	AS 'MODULE_PATHNAME', 'likert_change_significant' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.change_significant(sipas.likert, sipas.likert, double precision) IS
	'true when the change of the satisfaction index is significant at the confidence level (two-sided z test)';

-- ---------------------------------------------------------------------------
-- Rankings across periods (window functions).  period_rank, previous_rank,
-- rank_change and points_change work on the whole window partition (the
-- ranking group): ORDER BY and frame do not matter.  consecutive follows
-- the window order.  rank_range runs over the units of one period.
-- ---------------------------------------------------------------------------

CREATE FUNCTION sipas.period_rank(idx double precision, period anyelement) RETURNS integer
	AS 'MODULE_PATHNAME', 'sipas_period_rank' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
CREATE FUNCTION sipas.period_rank(idx double precision, period anyelement, decimals integer) RETURNS integer
	AS 'MODULE_PATHNAME', 'sipas_period_rank' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION sipas.period_rank(double precision, anyelement) IS
	'rank inside the period, highest index first, ties share the better rank';
COMMENT ON FUNCTION sipas.period_rank(double precision, anyelement, integer) IS
	'rank inside the period, ties decided on the index rounded to the given decimals';

CREATE FUNCTION sipas.previous_rank(idx double precision, period anyelement, unit anycompatible) RETURNS integer
	AS 'MODULE_PATHNAME', 'sipas_previous_rank' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
CREATE FUNCTION sipas.previous_rank(idx double precision, period anyelement, unit anycompatible, decimals integer) RETURNS integer
	AS 'MODULE_PATHNAME', 'sipas_previous_rank' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION sipas.previous_rank(double precision, anyelement, anycompatible) IS
	'the unit''s rank in the previous period present in the partition';
COMMENT ON FUNCTION sipas.previous_rank(double precision, anyelement, anycompatible, integer) IS
	'the unit''s rank in the previous period, ties decided on rounded values';

CREATE FUNCTION sipas.rank_change(idx double precision, period anyelement, unit anycompatible) RETURNS integer
	AS 'MODULE_PATHNAME', 'sipas_rank_change' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
CREATE FUNCTION sipas.rank_change(idx double precision, period anyelement, unit anycompatible, decimals integer) RETURNS integer
	AS 'MODULE_PATHNAME', 'sipas_rank_change' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION sipas.rank_change(double precision, anyelement, anycompatible) IS
	'places moved since the previous period: +3 = up three places';
COMMENT ON FUNCTION sipas.rank_change(double precision, anyelement, anycompatible, integer) IS
	'places moved since the previous period, ties decided on rounded values';

CREATE FUNCTION sipas.points_change(idx double precision, period anyelement, unit anycompatible) RETURNS double precision
	AS 'MODULE_PATHNAME', 'sipas_points_change' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION sipas.points_change(double precision, anyelement, anycompatible) IS
	'index minus the unit''s index in the previous period, in points';

CREATE FUNCTION sipas.consecutive(condition boolean) RETURNS integer
	AS 'MODULE_PATHNAME', 'sipas_consecutive' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
CREATE FUNCTION sipas.consecutive(condition boolean, period bigint) RETURNS integer
	AS 'MODULE_PATHNAME', 'sipas_consecutive' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION sipas.consecutive(boolean) IS
	'rows in a row, in window order up to the current one, for which the condition holds';
COMMENT ON FUNCTION sipas.consecutive(boolean, bigint) IS
	'consecutive periods (no gaps), in window order up to the current one, for which the condition holds';

CREATE FUNCTION sipas.rank_range(s sipas.likert) RETURNS integer[]
	AS 'MODULE_PATHNAME', 'sipas_rank_range' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
CREATE FUNCTION sipas.rank_range(s sipas.likert, confidence double precision) RETURNS integer[]
	AS 'MODULE_PATHNAME', 'sipas_rank_range' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
CREATE FUNCTION sipas.rank_range(s sipas.likert, confidence double precision, correction text) RETURNS integer[]
	AS 'MODULE_PATHNAME', 'sipas_rank_range' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION sipas.rank_range(sipas.likert) IS
	'{best, worst} plausible rank inside the partition, 95 %, Bonferroni-corrected pairwise tests';
COMMENT ON FUNCTION sipas.rank_range(sipas.likert, double precision) IS
	'{best, worst} plausible rank at the given confidence, Bonferroni-corrected';
COMMENT ON FUNCTION sipas.rank_range(sipas.likert, double precision, text) IS
	'{best, worst} plausible rank; correction bonferroni or none';

CREATE FUNCTION sipas.rank_range(idx double precision, std_error double precision) RETURNS integer[]
	AS 'MODULE_PATHNAME', 'sipas_rank_range_se' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
CREATE FUNCTION sipas.rank_range(idx double precision, std_error double precision, confidence double precision) RETURNS integer[]
	AS 'MODULE_PATHNAME', 'sipas_rank_range_se' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
CREATE FUNCTION sipas.rank_range(idx double precision, std_error double precision, confidence double precision, correction text) RETURNS integer[]
	AS 'MODULE_PATHNAME', 'sipas_rank_range_se' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION sipas.rank_range(double precision, double precision) IS
	'{best, worst} plausible rank from indices and their standard errors, 95 %, Bonferroni';
COMMENT ON FUNCTION sipas.rank_range(double precision, double precision, double precision) IS
	'{best, worst} plausible rank from indices and standard errors at the given confidence';
COMMENT ON FUNCTION sipas.rank_range(double precision, double precision, double precision, text) IS
	'{best, worst} plausible rank from indices and standard errors; correction bonferroni or none';
