
-- ---------------------------------------------------------------------------
-- Rankings (1.2): points_change on the published values, like rank_change's
-- decimals.  The C functions of the released window functions also changed
-- without a change of signature: decimals, confidence and correction must be
-- constants (they are read once per partition), and rank_range is
-- O(m log m) with equal standard errors and can be cancelled.
-- ---------------------------------------------------------------------------

CREATE FUNCTION sipas.points_change(idx double precision, period anyelement, unit anycompatible, decimals integer) RETURNS double precision
	AS 'MODULE_PATHNAME', 'sipas_points_change' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION sipas.points_change(double precision, anyelement, anycompatible, integer) IS
	'change in points on the published values: index and previous index each rounded half away from zero to the given decimals, then subtracted (NULL decimals: full precision)';
