-- ---------------------------------------------------------------------------
-- The official report: ranking tables, province figures, headline facts and a
-- standalone HTML picture, from a relation of per-unit, per-period summaries.
--
--   SELECT * FROM sipas.ranking_table('unit_year', 'grp', 'unit', 'period', 's');
--   SELECT vi, en FROM sipas.headlines('unit_year', 'grp', 'unit', 'period', 's');
--   SELECT sipas.report_html('unit_year', 'grp', 'unit', 'period', 's');
--
-- doc/report.md documents every column and rule.  Names of the relation and
-- its columns are arguments: the relation is a regclass (an existing relation,
-- printed quoted and schema-qualified under the pinned search_path), every
-- column is looked up in pg_attribute with its type checked, then quoted with
-- %I; values travel as USING parameters or integer/float8 literals.  Nothing
-- the caller passes is ever pasted into SQL unquoted.  The functions run with
-- the caller's rights (no SECURITY DEFINER): a column the caller may not read
-- is a permission error of the query.
--
-- Survey summaries built from forms (sipas.survey_agg(f [, weight])) know
-- their respondents (sipas.respondents) and give the standard error clustered
-- by respondent from the summary alone (sipas.node_std_error); the report
-- reads both from the summaries, with no second pass over the answers.  The
-- change in points is the C window function sipas.points_change(idx, period,
-- unit, decimals): one rule for published changes everywhere.
-- ---------------------------------------------------------------------------

-- Checks the source relation and its columns and returns the SELECT list of
-- the normalised source: g (group, text), u (unit, text), p (period, bigint),
-- s (summary), se (std error or NULL), resp (respondents or NULL), plus the
-- summary's kind ('likert' or 'survey').  Internal: called by the functions
-- below, not meant to be called directly.
CREATE FUNCTION sipas_internal.report_source(source regclass, group_col text, unit_col text,
		period_col text, summary_col text, std_error_col text, respondents_col text,
		OUT sql text, OUT kind text)
	RETURNS record
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	relkind "char";
	col record;
	t regtype;
	args text[] := ARRAY['group_col', 'unit_col', 'period_col', 'summary_col', 'std_error_col', 'respondents_col'];
	vals text[] := ARRAY[group_col, unit_col, period_col, summary_col, std_error_col, respondents_col];
	types regtype[] := '{}';
	i int;
BEGIN
	IF source IS NULL THEN
		RAISE EXCEPTION 'source relation is NULL'
			USING ERRCODE = '22004',
				  DETAIL = 'Pass the table or view holding one summary per unit and period, e.g. ''unit_year''.';
	END IF;
	SELECT c.relkind INTO relkind FROM pg_class c WHERE c.oid = source;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'source relation with OID % does not exist', source::oid
			USING ERRCODE = '42P01';
	END IF;
	IF relkind NOT IN ('r', 'v', 'm', 'f', 'p') THEN
		RAISE EXCEPTION 'source % is not a table or view', source
			USING ERRCODE = '42809',
				  DETAIL = format('Relation kind %s cannot be read; pass a table, view, materialized view or foreign table.', relkind);
	END IF;
	FOR i IN 1 .. 6 LOOP
		IF vals[i] IS NULL THEN
			IF i <= 4 THEN
				RAISE EXCEPTION '% is NULL', args[i]
					USING ERRCODE = '22004',
						  DETAIL = 'The group, unit, period and summary columns are required.';
			END IF;
			types := types || NULL::regtype;
			CONTINUE;
		END IF;
		SELECT a.atttypid::regtype INTO t
		FROM pg_attribute a
		WHERE a.attrelid = source AND a.attname = vals[i] AND a.attnum > 0 AND NOT a.attisdropped;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'column % (%) does not exist in %', quote_ident(vals[i]), args[i], source
				USING ERRCODE = '42703',
					  DETAIL = 'Column names are matched exactly, case included, as in the relation''s definition.';
		END IF;
		types := types || t;
	END LOOP;
	IF types[3] NOT IN ('smallint'::regtype, 'integer'::regtype, 'bigint'::regtype) THEN
		RAISE EXCEPTION 'period column % is of type %', quote_ident(period_col), types[3]
			USING ERRCODE = '42804',
				  DETAIL = 'The period must be an integer (usually the year): streaks and "previous period" count in whole periods.',
				  HINT = 'Use a view with, e.g., EXTRACT(year FROM day)::integer AS period.';
	END IF;
	IF types[4] = 'sipas.likert'::regtype THEN
		kind := 'likert';
	ELSIF types[4] = 'sipas.survey'::regtype THEN
		kind := 'survey';
	ELSE
		RAISE EXCEPTION 'summary column % is of type %', quote_ident(summary_col), types[4]
			USING ERRCODE = '42804',
				  DETAIL = 'The summary must be a sipas.likert or a sipas.survey (one per unit and period).';
	END IF;
	IF types[5] IS NOT NULL AND types[5] NOT IN ('double precision'::regtype, 'real'::regtype, 'numeric'::regtype) THEN
		RAISE EXCEPTION 'standard error column % is of type %', quote_ident(std_error_col), types[5]
			USING ERRCODE = '42804', DETAIL = 'The standard error must be a number of points (double precision, real or numeric).';
	END IF;
	IF types[6] IS NOT NULL AND types[6] NOT IN ('smallint'::regtype, 'integer'::regtype, 'bigint'::regtype, 'numeric'::regtype) THEN
		RAISE EXCEPTION 'respondents column % is of type %', quote_ident(respondents_col), types[6]
			USING ERRCODE = '42804', DETAIL = 'The respondents must be a count (an integer type).';
	END IF;
	sql := format('SELECT t.%I::pg_catalog.text AS g, t.%I::pg_catalog.text AS u, t.%I::pg_catalog.int8 AS p, t.%I AS s, %s AS se, %s AS resp FROM %s t',
				  group_col, unit_col, period_col, summary_col,
				  CASE WHEN std_error_col IS NULL THEN 'NULL::pg_catalog.float8'
					   ELSE format('t.%I::pg_catalog.float8', std_error_col) END,
				  CASE WHEN respondents_col IS NULL THEN 'NULL::pg_catalog.int8'
					   ELSE format('t.%I::pg_catalog.int8', respondents_col) END,
				  source);
END
$$;
COMMENT ON FUNCTION sipas_internal.report_source(regclass, text, text, text, text, text, text) IS
	'internal: checks the source relation and columns of the report functions and returns its normalised SELECT';

-- The normal quantile z = Φ⁻¹(1 − α/2) for a confidence, from sipas's own C
-- quantile: the Wilson upper bound of a single unsatisfied answer is
-- 100 z²/(1 + z²), so z = √(u / (100 − u)) (exact to rounding; the confidence
-- is validated by confidence_interval).
CREATE FUNCTION sipas_internal.report_z(confidence double precision) RETURNS double precision
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN (SELECT pg_catalog.sqrt(c.upper OPERATOR(pg_catalog./) (100::pg_catalog.float8 OPERATOR(pg_catalog.-) c.upper))
			FROM sipas.confidence_interval(sipas.likert_from_counts('{1,0,0,0,0}'::pg_catalog.int8[]), confidence, 'wilson') c);
COMMENT ON FUNCTION sipas_internal.report_z(double precision) IS
	'internal: the two-sided normal quantile of a confidence, for the report''s intervals and change tests';

-- ---------------------------------------------------------------------------
-- ranking_table: one row per unit and period
-- ---------------------------------------------------------------------------

CREATE FUNCTION sipas.ranking_table(source regclass, group_col text, unit_col text,
		period_col text, summary_col text,
		decimals integer DEFAULT 2,
		ties text DEFAULT 'competition',
		change text DEFAULT 'published',
		confidence double precision DEFAULT 0.95,
		min_respondents bigint DEFAULT NULL,
		std_error_col text DEFAULT NULL,
		respondents_col text DEFAULT NULL,
		questionnaire text DEFAULT '2023',
		rule text DEFAULT 'mean')
	RETURNS TABLE (ranking_group text, unit text, period bigint,
		index double precision, published numeric,
		rank integer, previous_rank integer, rank_move integer,
		points_change double precision, previous_published numeric,
		lower double precision, upper double precision, std_error double precision,
		change_significant boolean, plausible_best integer, plausible_worst integer,
		n bigint, respondents bigint, units_ranked integer,
		first_streak integer, last_streak integer,
		is_new boolean, no_previous_period boolean, too_few_respondents boolean,
		is_highest boolean, is_lowest boolean)
	LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	src record;
	root text;
	z double precision;
	f_idx text;
	f_se text;
	f_ci text;
	q text;
	rank_expr text;
	sig_expr text;
	plaus_expr text;
	change_expr text;
	bad record;
BEGIN
	IF decimals IS NULL OR decimals < 0 OR decimals > 10 THEN
		RAISE EXCEPTION 'decimals % is out of range', coalesce(decimals::text, 'NULL')
			USING ERRCODE = '22023', DETAIL = 'Published indices have 0 to 10 decimals (2 in SIPAS reports).';
	END IF;
	IF ties IS NULL OR ties NOT IN ('competition', 'dense', 'ordinal') THEN
		RAISE EXCEPTION 'tie rule % is not known', coalesce(quote_literal(ties), 'NULL')
			USING ERRCODE = '22023',
				  DETAIL = 'ties is competition (1, 2, 2, 4: as rank()), dense (1, 2, 2, 3) or ordinal (1, 2, 3, 4).';
	END IF;
	IF change IS NULL OR change NOT IN ('published', 'full') THEN
		RAISE EXCEPTION 'change rule % is not known', coalesce(quote_literal(change), 'NULL')
			USING ERRCODE = '22023',
				  DETAIL = 'change is published (published index minus the previous published index) or full (full precision).';
	END IF;
	IF confidence IS NULL OR NOT (confidence > 0 AND confidence < 1) THEN
		RAISE EXCEPTION 'confidence % is out of range', coalesce(confidence::text, 'NULL')
			USING ERRCODE = '22023', DETAIL = 'The confidence level must lie strictly between 0 and 1, e.g. 0.95.';
	END IF;
	IF min_respondents < 0 THEN
		RAISE EXCEPTION 'min_respondents % is out of range', min_respondents
			USING ERRCODE = '22023', DETAIL = 'The minimum number of respondents is 0 or more (NULL: no minimum).';
	END IF;
	src := sipas_internal.report_source(source, group_col, unit_col, period_col, summary_col,
										std_error_col, respondents_col);
	-- A survey summary built from answer rows counts answers, not forms: with
	-- min_respondents every such summary needs respondents_col.
	IF min_respondents IS NOT NULL AND respondents_col IS NULL AND src.kind = 'survey' THEN
		EXECUTE format('SELECT s.u, s.p FROM (%s) s WHERE s.s IS NOT NULL AND sipas.respondents(s.s) IS NULL ORDER BY s.p, s.g, s.u LIMIT 1', src.sql)
			INTO bad;
		IF bad IS NOT NULL THEN
			RAISE EXCEPTION 'min_respondents needs the number of respondents of each unit'
				USING ERRCODE = '22023',
					  DETAIL = format('The summary of unit %s, period %s was built from answer rows: it counts answers, not respondents (forms).',
									  coalesce(quote_literal(bad.u), 'NULL'), coalesce(bad.p::text, 'NULL')),
					  HINT = 'Build the summaries from forms (sipas.survey_agg(sipas.form_agg(item, score)) per respondent, then per unit) or pass respondents_col.';
		END IF;
	END IF;
	z := sipas_internal.report_z(confidence);
	IF src.kind = 'survey' THEN
		SELECT nd.code INTO root FROM sipas.node nd
		WHERE nd.questionnaire = ranking_table.questionnaire AND nd.kind = 'overall';
		IF root IS NULL THEN
			RAISE EXCEPTION 'questionnaire % is not in the catalogue', coalesce(quote_literal(ranking_table.questionnaire), 'NULL')
				USING ERRCODE = '22023', DETAIL = 'See sipas.questionnaire for the questionnaires known (2017, 2023, your own).';
		END IF;
		f_idx := 'sipas.overall(s.s, $1, $2)';
		-- clustered by respondent for a summary of forms (sipas.node_std_error)
		f_se := 'sipas.node_std_error(s.s, $3, $1, $2)';
	ELSE
		f_idx := 'sipas.satisfaction_index(s.s)';
		f_se := 'sipas.std_error(s.s)';
	END IF;
	-- A standard error column replaces the summary's own (a NULL in it stays NULL).
	IF std_error_col IS NOT NULL THEN
		f_se := 's.se';
	END IF;
	-- Intervals: index ± z × SE (clipped to 0..100) when the SE is given or the
	-- summary is a survey; the Wilson interval of a likert summary otherwise.
	IF src.kind = 'likert' AND std_error_col IS NULL THEN
		f_ci := '(sipas.confidence_interval(s.s, $5)).lower AS lo, (sipas.confidence_interval(s.s, $5)).upper AS hi';
		sig_expr := 'sipas.change_significant(r.s, pr.s, $5)';
		plaus_expr := format('sipas.rank_range(f.s, %L::pg_catalog.float8) OVER gp', confidence);
	ELSE
		f_ci := 'NULL::pg_catalog.float8 AS lo, NULL::pg_catalog.float8 AS hi';
		-- The two-sided z test of the change on the two independent samples'
		-- standard errors: sipas.change_significant for two summaries of
		-- forms (clustered), the same test in SQL on the given standard
		-- errors or on row summaries' bounds (change_significant refuses
		-- those: it never tests on a bound).
		sig_expr := 'pg_catalog.abs(r.idx - pr.idx) > $4 * pg_catalog.sqrt(r.se ^ 2 + pr.se ^ 2)';
		IF src.kind = 'survey' AND std_error_col IS NULL THEN
			sig_expr := 'CASE WHEN sipas.respondents(r.s) IS NOT NULL AND sipas.respondents(pr.s) IS NOT NULL '
				'THEN sipas.change_significant(r.s, pr.s, $5, $3, $1, $2) ELSE ' || sig_expr || ' END';
		END IF;
		plaus_expr := format('sipas.rank_range(f.idx, f.se, %L::pg_catalog.float8) OVER gp', confidence);
	END IF;
	IF ties = 'competition' THEN
		rank_expr := 'f.c_rank';
	ELSIF ties = 'dense' THEN
		rank_expr := 'CASE WHEN f.idx IS NOT NULL THEN pg_catalog.dense_rank() OVER (PARTITION BY f.g, f.p ORDER BY f.pub DESC NULLS LAST) END';
	ELSE
		rank_expr := 'CASE WHEN f.idx IS NOT NULL THEN pg_catalog.row_number() OVER (PARTITION BY f.g, f.p ORDER BY f.pub DESC NULLS LAST, f.idx DESC, f.u) END';
	END IF;
	-- sipas.points_change: on the published values (decimals) by default, in
	-- full precision (NULL decimals) on request
	change_expr := 'r.c_points';
	q := format($q$
WITH s AS (%1$s),
f0 AS (
	SELECT s.g, s.u, s.p, s.s, s.resp,
		   -- NaN, and rows without a unit or period, are unranked (as in period_rank)
		   CASE WHEN i.v = 'NaN' OR s.u IS NULL OR s.p IS NULL THEN NULL ELSE i.v END AS idx,
		   %3$s AS se, %4$s,
		   CASE WHEN s.s IS NULL THEN NULL ELSE sipas.n(s.s) END AS n
	FROM s CROSS JOIN LATERAL (SELECT %2$s AS v) i
),
f AS (
	SELECT f0.*, sipas.publish(f0.idx, %5$s) AS pub,
		   sipas.period_rank(f0.idx, f0.p, %5$s) OVER g AS c_rank,
		   sipas.previous_rank(f0.idx, f0.p, f0.u, %5$s) OVER g AS c_prev_rank,
		   sipas.rank_change(f0.idx, f0.p, f0.u, %5$s) OVER g AS c_move,
		   sipas.points_change(f0.idx, f0.p, f0.u, %14$s) OVER g AS c_points
	FROM f0 WINDOW g AS (PARTITION BY f0.g)
),
r AS (
	SELECT f.*, %6$s AS rnk,
		   %7$s AS plausible,
		   pg_catalog.count(f.idx) OVER gp AS ranked,
		   f.idx IS NOT NULL AND f.pub = pg_catalog.max(f.pub) OVER gp AS hi_flag,
		   f.idx IS NOT NULL AND f.pub = pg_catalog.min(f.pub) OVER gp AS lo_flag,
		   CASE WHEN f.lo IS NOT NULL OR f.idx IS NULL OR f.se IS NULL THEN f.lo
				ELSE greatest(f.idx - $4 * f.se, 0) END AS lower,
		   CASE WHEN f.hi IS NOT NULL OR f.idx IS NULL OR f.se IS NULL THEN f.hi
				ELSE least(f.idx + $4 * f.se, 100) END AS upper
	FROM f WINDOW gp AS (PARTITION BY f.g, f.p)
),
periods AS (
	SELECT d.g, d.p, pg_catalog.lag(d.p) OVER (PARTITION BY d.g ORDER BY d.p) AS prev_p
	FROM (SELECT DISTINCT r.g, r.p FROM r WHERE r.p IS NOT NULL) d
)
SELECT r.g, r.u, r.p, r.idx, r.pub,
	   r.rnk::pg_catalog.int4,
	   %8$s,
	   %9$s,
	   %10$s,
	   pr.pub,
	   r.lower, r.upper, r.se,
	   %11$s,
	   r.plausible[1], r.plausible[2],
	   r.n, %12$s,
	   r.ranked::pg_catalog.int4,
	   sipas.consecutive(coalesce(r.hi_flag, false), r.p) OVER st,
	   sipas.consecutive(coalesce(r.lo_flag, false), r.p) OVER st,
	   pe.prev_p IS NOT NULL AND pr.u IS NULL,
	   pe.prev_p IS NULL,
	   %13$s,
	   coalesce(r.hi_flag, false),
	   coalesce(r.lo_flag, false)
FROM r
LEFT JOIN periods pe ON pe.g IS NOT DISTINCT FROM r.g AND pe.p = r.p
LEFT JOIN r pr ON pr.g IS NOT DISTINCT FROM r.g AND pr.u = r.u AND pr.p = pe.prev_p
WINDOW st AS (PARTITION BY r.g, r.u ORDER BY r.p)
ORDER BY r.g, r.p, r.rnk NULLS LAST, r.u
$q$,
		src.sql, f_idx, f_se, f_ci, decimals, rank_expr, plaus_expr,
		CASE WHEN ties = 'competition' THEN 'r.c_prev_rank' ELSE 'pr.rnk::pg_catalog.int4' END,
		CASE WHEN ties = 'competition' THEN 'r.c_move' ELSE '(pr.rnk - r.rnk)::pg_catalog.int4' END,
		change_expr, sig_expr,
		-- respondents: the caller's column, else the summary's own
		CASE WHEN src.kind = 'likert' THEN 'coalesce(r.resp, r.n)' ELSE 'coalesce(r.resp, sipas.respondents(r.s))' END,
		CASE WHEN min_respondents IS NULL THEN 'false'
			 ELSE format('coalesce(%s < %s, true)',
						 CASE WHEN src.kind = 'likert' THEN 'coalesce(r.resp, r.n)' ELSE 'coalesce(r.resp, sipas.respondents(r.s))' END,
						 min_respondents) END,
		CASE WHEN change = 'published' THEN decimals::text ELSE 'NULL::pg_catalog.int4' END);
	RETURN QUERY EXECUTE q USING ranking_table.questionnaire, rule, root, z, confidence;
END
$$;
COMMENT ON FUNCTION sipas.ranking_table(regclass, text, text, text, text, integer, text, text,
		double precision, bigint, text, text, text, text) IS
	'the published ranking table: one row per unit and period with index, rank, moves, change, interval, significance, plausible ranks, streaks and flags';

-- ---------------------------------------------------------------------------
-- province_trend: the province's figure per period, both ways
-- ---------------------------------------------------------------------------

CREATE FUNCTION sipas.province_trend(source regclass, group_col text, unit_col text,
		period_col text, summary_col text,
		decimals integer DEFAULT 2,
		change text DEFAULT 'published',
		respondents_col text DEFAULT NULL,
		questionnaire text DEFAULT '2023',
		rule text DEFAULT 'mean')
	RETURNS TABLE (period bigint, units integer,
		mean_index double precision, mean_published numeric, mean_change double precision,
		pooled_index double precision, pooled_published numeric, pooled_change double precision,
		respondents bigint, n bigint, mean_std_error double precision)
	LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	src record;
	root text;
BEGIN
	IF decimals IS NULL OR decimals < 0 OR decimals > 10 THEN
		RAISE EXCEPTION 'decimals % is out of range', coalesce(decimals::text, 'NULL')
			USING ERRCODE = '22023', DETAIL = 'Published indices have 0 to 10 decimals (2 in SIPAS reports).';
	END IF;
	IF change IS NULL OR change NOT IN ('published', 'full') THEN
		RAISE EXCEPTION 'change rule % is not known', coalesce(quote_literal(change), 'NULL')
			USING ERRCODE = '22023',
				  DETAIL = 'change is published (published index minus the previous published index) or full (full precision).';
	END IF;
	src := sipas_internal.report_source(source, group_col, unit_col, period_col, summary_col,
										NULL, respondents_col);
	SELECT nd.code INTO root FROM sipas.node nd
	WHERE nd.questionnaire = province_trend.questionnaire AND nd.kind = 'overall';
	RETURN QUERY EXECUTE format($q$
WITH s AS (%1$s),
a AS (
	SELECT s.p,
		   pg_catalog.count(i.v)::pg_catalog.int4 AS units,
		   pg_catalog.avg(i.v) AS mean_idx,
		   %3$s AS pooled_idx,
		   pg_catalog.sum(%4$s)::pg_catalog.int8 AS resp,
		   pg_catalog.sum(sipas.n(s.s))::pg_catalog.int8 AS n,
		   -- the units are independent strata: Var(mean) = sum of the units' variances / m²
		   CASE WHEN pg_catalog.count(i.v) > 0 AND pg_catalog.count(i.se) FILTER (WHERE i.v IS NOT NULL) = pg_catalog.count(i.v)
				THEN pg_catalog.sqrt(pg_catalog.sum(i.se ^ 2) FILTER (WHERE i.v IS NOT NULL)) / pg_catalog.count(i.v) END AS mean_se
	FROM s CROSS JOIN LATERAL (SELECT CASE WHEN x.v = 'NaN' THEN NULL ELSE x.v END AS v, x.se
							   FROM (SELECT %2$s AS v, %8$s AS se) x) i
	WHERE s.p IS NOT NULL
	GROUP BY s.p
),
b AS (
	SELECT a.*, sipas.publish(a.mean_idx, %5$s) AS mean_pub, sipas.publish(a.pooled_idx, %5$s) AS pooled_pub
	FROM a
)
SELECT b.p, b.units,
	   b.mean_idx, b.mean_pub, %6$s,
	   b.pooled_idx, b.pooled_pub, %7$s,
	   b.resp, b.n, b.mean_se
FROM b WINDOW w AS (ORDER BY b.p)
ORDER BY b.p
$q$,
		src.sql,
		CASE WHEN src.kind = 'survey' THEN 'sipas.overall(s.s, $1, $2)' ELSE 'sipas.satisfaction_index(s.s)' END,
		CASE WHEN src.kind = 'survey' THEN 'sipas.overall(sipas.rollup(s.s), $1, $2)'
			 ELSE 'sipas.satisfaction_index(sipas.rollup(s.s))' END,
		CASE WHEN src.kind = 'likert' THEN 'coalesce(s.resp, sipas.n(s.s))' ELSE 'coalesce(s.resp, sipas.respondents(s.s))' END,
		decimals,
		-- the same rule as the units' changes: sipas.points_change over the
		-- province's periods (one "unit"), published values unless change => 'full'
		format('sipas.points_change(b.mean_idx, b.p, 0, %s) OVER w',
			   CASE WHEN change = 'published' THEN decimals::text ELSE 'NULL::pg_catalog.int4' END),
		format('sipas.points_change(b.pooled_idx, b.p, 0, %s) OVER w',
			   CASE WHEN change = 'published' THEN decimals::text ELSE 'NULL::pg_catalog.int4' END),
		-- each unit's standard error, as in ranking_table (clustered for summaries of forms)
		CASE WHEN src.kind = 'survey' THEN 'sipas.node_std_error(s.s, $3, $1, $2)' ELSE 'sipas.std_error(s.s)' END)
	USING province_trend.questionnaire, rule, root;
END
$$;
COMMENT ON FUNCTION sipas.province_trend(regclass, text, text, text, text, integer, text, text, text, text) IS
	'the province''s index per period: mean of units (with its standard error) and pooled answers, published, with the change since the previous period';

-- ---------------------------------------------------------------------------
-- Sentences: numbers with a decimal comma (vi) or point (en), lists of names
-- ---------------------------------------------------------------------------

CREATE FUNCTION sipas_internal.report_number(x numeric, lang text, signed boolean DEFAULT false) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN CASE WHEN x IS NULL THEN NULL
				ELSE (CASE WHEN signed AND x OPERATOR(pg_catalog.>) 0 THEN '+' ELSE '' END)
					 OPERATOR(pg_catalog.||)
					 (CASE WHEN lang OPERATOR(pg_catalog.=) 'vi'
						   THEN pg_catalog.replace(x::pg_catalog.text, '.', ',')
						   ELSE x::pg_catalog.text END) END;
COMMENT ON FUNCTION sipas_internal.report_number(numeric, text, boolean) IS
	'internal: a published number as printed in sentences: 98,40 (vi) or 98.40 (en), optionally signed';

CREATE FUNCTION sipas_internal.report_list(names text[], lang text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN CASE WHEN pg_catalog.cardinality(names) OPERATOR(pg_catalog.<=) 1 THEN names[1]
				ELSE pg_catalog.array_to_string(names[1:pg_catalog.cardinality(names) OPERATOR(pg_catalog.-) 1], ', ')
					 OPERATOR(pg_catalog.||) (CASE WHEN lang OPERATOR(pg_catalog.=) 'vi' THEN ' và ' ELSE ' and ' END)
					 OPERATOR(pg_catalog.||) names[pg_catalog.cardinality(names)] END;
COMMENT ON FUNCTION sipas_internal.report_list(text[], text) IS
	'internal: names joined as in a sentence: A, B và C (vi) or A, B and C (en)';

CREATE FUNCTION sipas_internal.report_ordinal(k integer) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN k::pg_catalog.text OPERATOR(pg_catalog.||)
		CASE WHEN k OPERATOR(pg_catalog.%) 100 IN (11, 12, 13) THEN 'th'
			 WHEN k OPERATOR(pg_catalog.%) 10 OPERATOR(pg_catalog.=) 1 THEN 'st'
			 WHEN k OPERATOR(pg_catalog.%) 10 OPERATOR(pg_catalog.=) 2 THEN 'nd'
			 WHEN k OPERATOR(pg_catalog.%) 10 OPERATOR(pg_catalog.=) 3 THEN 'rd'
			 ELSE 'th' END;
COMMENT ON FUNCTION sipas_internal.report_ordinal(integer) IS
	'internal: an English ordinal: 1st, 2nd, 3rd, 4th, 11th, 21st';

-- ---------------------------------------------------------------------------
-- headlines: the statements of a press release, as rows and sentences
-- ---------------------------------------------------------------------------

CREATE FUNCTION sipas.headlines(source regclass, group_col text, unit_col text,
		period_col text, summary_col text,
		at_period bigint DEFAULT NULL,
		decimals integer DEFAULT 2,
		min_respondents bigint DEFAULT NULL,
		respondents_col text DEFAULT NULL,
		questionnaire text DEFAULT '2023',
		rule text DEFAULT 'mean')
	RETURNS TABLE (kind text, ranking_group text, period bigint, units text[],
		value numeric, change numeric, streak integer, vi text, en text)
	LANGUAGE sql STABLE PARALLEL RESTRICTED
	SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
WITH t AS (
	SELECT r.* FROM sipas.ranking_table(source, group_col, unit_col, period_col, summary_col,
			decimals => decimals, min_respondents => min_respondents,
			respondents_col => respondents_col, questionnaire => questionnaire, rule => rule) r
), tp AS (
	SELECT coalesce(at_period, pg_catalog.max(t.period)) AS p,
		   pg_catalog.max(t.period) FILTER (WHERE t.period < coalesce(at_period, (SELECT pg_catalog.max(t2.period) FROM t t2))) AS prev_p
	FROM t
), cur AS (
	SELECT t.* FROM t, tp WHERE t.period = tp.p
), prov AS (
	SELECT pt.*, tp.prev_p
	FROM sipas.province_trend(source, group_col, unit_col, period_col, summary_col,
			decimals => decimals, respondents_col => respondents_col,
			questionnaire => questionnaire, rule => rule) pt
	JOIN tp ON pt.period = tp.p
), groups AS (
	SELECT cur.ranking_group AS g, pg_catalog.row_number() OVER (ORDER BY cur.ranking_group NULLS LAST) AS pos
	FROM cur GROUP BY cur.ranking_group
), facts AS (
	SELECT 0 AS pos, 1 AS sub, 'province_mean' AS kind, NULL::text AS g, prov.period, NULL::text[] AS units,
		   prov.mean_published AS value, pg_catalog.round(prov.mean_change::numeric, decimals) AS change, NULL::integer AS streak,
		   pg_catalog.format('Chỉ số SIPAS năm %s của tỉnh (bình quân các đơn vị): %s%s.', prov.period,
				sipas_internal.report_number(prov.mean_published, 'vi'),
				CASE WHEN prov.mean_change IS NULL THEN ''
					 ELSE pg_catalog.format(' (%s điểm so với năm %s)', sipas_internal.report_number(pg_catalog.round(prov.mean_change::numeric, decimals), 'vi', true), prov.prev_p) END) AS vi,
		   pg_catalog.format('Province SIPAS %s (mean of units): %s%s.', prov.period,
				sipas_internal.report_number(prov.mean_published, 'en'),
				CASE WHEN prov.mean_change IS NULL THEN ''
					 ELSE pg_catalog.format(' (%s points on %s)', sipas_internal.report_number(pg_catalog.round(prov.mean_change::numeric, decimals), 'en', true), prov.prev_p) END) AS en
	FROM prov WHERE prov.mean_published IS NOT NULL
	UNION ALL
	SELECT 0, 2, 'province_pooled', NULL, prov.period, NULL, prov.pooled_published, pg_catalog.round(prov.pooled_change::numeric, decimals), NULL,
		   pg_catalog.format('Chỉ số SIPAS năm %s của tỉnh (gộp mọi câu trả lời): %s%s.', prov.period,
				sipas_internal.report_number(prov.pooled_published, 'vi'),
				CASE WHEN prov.pooled_change IS NULL THEN ''
					 ELSE pg_catalog.format(' (%s điểm so với năm %s)', sipas_internal.report_number(pg_catalog.round(prov.pooled_change::numeric, decimals), 'vi', true), prov.prev_p) END),
		   pg_catalog.format('Province SIPAS %s (all answers pooled): %s%s.', prov.period,
				sipas_internal.report_number(prov.pooled_published, 'en'),
				CASE WHEN prov.pooled_change IS NULL THEN ''
					 ELSE pg_catalog.format(' (%s points on %s)', sipas_internal.report_number(pg_catalog.round(prov.pooled_change::numeric, decimals), 'en', true), prov.prev_p) END)
	FROM prov WHERE prov.pooled_published IS NOT NULL
	UNION ALL
	SELECT gr.pos, x.sub, x.kind, x.g, x.period, x.units, x.value, x.change, x.streak,
		   CASE x.kind
				WHEN 'highest' THEN pg_catalog.format('%scao nhất là %s%s.', x.gp, sipas_internal.report_list(x.units, 'vi'), x.vnum)
				WHEN 'lowest' THEN pg_catalog.format('%sthấp nhất là %s%s.', x.gp, sipas_internal.report_list(x.units, 'vi'), x.vnum)
				WHEN 'first_streak' THEN pg_catalog.format('%s%s %s năm thứ %s liên tiếp.', x.gp, sipas_internal.report_list(x.units, 'vi'),
					CASE WHEN pg_catalog.cardinality(x.units) > 1 THEN 'cùng đứng đầu' ELSE 'đứng đầu' END, x.streak)
				WHEN 'last_streak' THEN pg_catalog.format('%s%s %s năm thứ %s liên tiếp.', x.gp, sipas_internal.report_list(x.units, 'vi'),
					CASE WHEN pg_catalog.cardinality(x.units) > 1 THEN 'cùng đứng cuối' ELSE 'đứng cuối' END, x.streak)
				ELSE pg_catalog.format('%s%s có dưới %s người trả lời; chỉ số chỉ mang tính tham khảo.', x.gp,
					sipas_internal.report_list(x.units, 'vi'), min_respondents)
		   END,
		   CASE x.kind
				WHEN 'highest' THEN pg_catalog.format('%sthe highest %s %s%s.', x.gp,
					CASE WHEN pg_catalog.cardinality(x.units) > 1 THEN 'are' ELSE 'is' END, sipas_internal.report_list(x.units, 'en'), x.enum)
				WHEN 'lowest' THEN pg_catalog.format('%sthe lowest %s %s%s.', x.gp,
					CASE WHEN pg_catalog.cardinality(x.units) > 1 THEN 'are' ELSE 'is' END, sipas_internal.report_list(x.units, 'en'), x.enum)
				WHEN 'first_streak' THEN pg_catalog.format('%s%s first for the %s year running.', x.gp, sipas_internal.report_list(x.units, 'en'), sipas_internal.report_ordinal(x.streak))
				WHEN 'last_streak' THEN pg_catalog.format('%s%s last for the %s year running.', x.gp, sipas_internal.report_list(x.units, 'en'), sipas_internal.report_ordinal(x.streak))
				ELSE pg_catalog.format('%sfewer than %s respondents for %s; index for information only.', x.gp,
					min_respondents, sipas_internal.report_list(x.units, 'en'))
		   END
	FROM (
		SELECT y.*, coalesce(y.g OPERATOR(pg_catalog.||) ': ', '') AS gp,
			   CASE WHEN y.kind NOT IN ('highest', 'lowest') THEN ''
					WHEN pg_catalog.cardinality(y.units) = 1 THEN pg_catalog.format(' (%s)', sipas_internal.report_number(y.value, 'vi'))
					ELSE pg_catalog.format(', cùng đạt %s', sipas_internal.report_number(y.value, 'vi')) END AS vnum,
			   CASE WHEN y.kind NOT IN ('highest', 'lowest') THEN ''
					WHEN pg_catalog.cardinality(y.units) = 1 THEN pg_catalog.format(' (%s)', sipas_internal.report_number(y.value, 'en'))
					WHEN pg_catalog.cardinality(y.units) = 2 THEN pg_catalog.format(', both %s', sipas_internal.report_number(y.value, 'en'))
					ELSE pg_catalog.format(', all %s', sipas_internal.report_number(y.value, 'en')) END AS enum
		FROM (
			SELECT 1 AS sub, 'highest' AS kind, cur.ranking_group AS g, cur.period,
				   pg_catalog.array_agg(cur.unit ORDER BY cur.unit) AS units, pg_catalog.min(cur.published) AS value,
				   CASE WHEN pg_catalog.count(*) = 1 THEN pg_catalog.round(pg_catalog.min(cur.points_change)::numeric, decimals) END AS change, NULL::integer AS streak
			FROM cur WHERE cur.is_highest GROUP BY cur.ranking_group, cur.period
			UNION ALL
			SELECT 2, 'lowest', cur.ranking_group, cur.period,
				   pg_catalog.array_agg(cur.unit ORDER BY cur.unit), pg_catalog.min(cur.published),
				   CASE WHEN pg_catalog.count(*) = 1 THEN pg_catalog.round(pg_catalog.min(cur.points_change)::numeric, decimals) END, NULL
			FROM cur WHERE cur.is_lowest AND NOT cur.is_highest GROUP BY cur.ranking_group, cur.period
			UNION ALL
			SELECT 3, 'first_streak', cur.ranking_group, cur.period,
				   pg_catalog.array_agg(cur.unit ORDER BY cur.unit), pg_catalog.min(cur.published), NULL, cur.first_streak
			FROM cur WHERE cur.first_streak >= 2 AND cur.units_ranked > 1 GROUP BY cur.ranking_group, cur.period, cur.first_streak
			UNION ALL
			SELECT 4, 'last_streak', cur.ranking_group, cur.period,
				   pg_catalog.array_agg(cur.unit ORDER BY cur.unit), pg_catalog.min(cur.published), NULL, cur.last_streak
			FROM cur WHERE cur.last_streak >= 2 AND NOT cur.is_highest GROUP BY cur.ranking_group, cur.period, cur.last_streak
			UNION ALL
			SELECT 5, 'too_few_respondents', cur.ranking_group, cur.period,
				   pg_catalog.array_agg(cur.unit ORDER BY cur.unit), NULL, NULL, NULL
			FROM cur WHERE cur.too_few_respondents GROUP BY cur.ranking_group, cur.period
		) y
	) x JOIN groups gr ON gr.g IS NOT DISTINCT FROM x.g
)
SELECT facts.kind, facts.g, facts.period, facts.units, facts.value, facts.change, facts.streak, facts.vi, facts.en
FROM facts ORDER BY facts.pos, facts.sub, facts.streak DESC NULLS LAST;
END;
COMMENT ON FUNCTION sipas.headlines(regclass, text, text, text, text, bigint, integer, bigint, text, text, text) IS
	'the statements of a press release for one period (default: the latest): province index and change, highest and lowest per group with every tied unit, streaks; rows and ready sentences in Vietnamese and English';

-- ---------------------------------------------------------------------------
-- report_html: a standalone HTML page (inline SVG, inline CSS, no script, no
-- fetch at view time) of the ranking tables, headlines and province trend
-- ---------------------------------------------------------------------------

CREATE FUNCTION sipas_internal.report_html_escape(t text) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
		t, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;');
COMMENT ON FUNCTION sipas_internal.report_html_escape(text) IS
	'internal: text escaped for HTML content and attribute values';

CREATE FUNCTION sipas.report_html(source regclass, group_col text, unit_col text,
		period_col text, summary_col text,
		at_period bigint DEFAULT NULL,
		title text DEFAULT NULL,
		decimals integer DEFAULT 2,
		ties text DEFAULT 'competition',
		confidence double precision DEFAULT 0.95,
		min_respondents bigint DEFAULT NULL,
		std_error_col text DEFAULT NULL,
		respondents_col text DEFAULT NULL,
		questionnaire text DEFAULT '2023',
		rule text DEFAULT 'mean')
	RETURNS text
	LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	rt jsonb;
	pt jsonb;
	p bigint;
	body text := '';
	heads text;
	g record;
	rows_svg text;
	axis text;
	lo double precision;
	hi double precision;
	step double precision;
	ht integer;
	-- plot geometry in px: rank and name on the left, the interval plot, the
	-- published value and the rank move on the right
	x0 constant double precision := 390;
	x1 constant double precision := 790;
	rowh constant integer := 26;
	top constant integer := 30;
	pct text := rtrim(rtrim(round((confidence * 100)::numeric, 1)::text, '0'), '.');
BEGIN
	SELECT jsonb_agg(to_jsonb(r)) INTO rt
	FROM sipas.ranking_table(source, group_col, unit_col, period_col, summary_col,
			decimals => decimals, ties => ties, confidence => confidence,
			min_respondents => min_respondents, std_error_col => std_error_col,
			respondents_col => respondents_col, questionnaire => questionnaire, rule => rule) r;
	SELECT jsonb_agg(to_jsonb(t)) INTO pt
	FROM sipas.province_trend(source, group_col, unit_col, period_col, summary_col,
			decimals => decimals, respondents_col => respondents_col,
			questionnaire => questionnaire, rule => rule) t;
	SELECT coalesce(at_period, max((e ->> 'period')::bigint)) INTO p FROM jsonb_array_elements(coalesce(rt, '[]')) e;

	-- headlines, Vietnamese with the English below
	SELECT string_agg(format('<li><span class="vi">%s</span><br><span class="en">%s</span></li>',
							 sipas_internal.report_html_escape(h.vi), sipas_internal.report_html_escape(h.en)), E'\n')
	INTO heads
	FROM sipas.headlines(source, group_col, unit_col, period_col, summary_col, at_period => p,
			decimals => decimals, min_respondents => min_respondents,
			respondents_col => respondents_col, questionnaire => questionnaire, rule => rule) h;

	-- the province trend: mean of units (solid) and pooled answers (dashed)
	IF pt IS NOT NULL THEN
		WITH t AS (
			SELECT x.* , row_number() OVER (ORDER BY x.period) - 1 AS i, count(*) OVER () AS m
			FROM jsonb_to_recordset(pt) AS x(period bigint, mean_index float8, mean_published numeric,
											 pooled_index float8, pooled_published numeric)
		), b AS (
			SELECT floor(least(min(t.mean_index), min(t.pooled_index)) - 1) AS ylo,
				   ceil(greatest(max(t.mean_index), max(t.pooled_index)) + 1) AS yhi FROM t
		), c AS (
			SELECT t.*, round((CASE WHEN t.m = 1 THEN 490 ELSE 150 + t.i * 680.0 / (t.m - 1) END)::numeric, 1) AS x,
				   round((190 - (t.mean_index - b.ylo) / nullif(b.yhi - b.ylo, 0) * 150)::numeric, 1) AS ym,
				   round((190 - (t.pooled_index - b.ylo) / nullif(b.yhi - b.ylo, 0) * 150)::numeric, 1) AS yp,
				   b.ylo, b.yhi
			FROM t, b
		)
		SELECT body || format(
'<section class="trend"><h2>Chỉ số của tỉnh qua các năm / province index over the periods</h2>
<svg class="chart" width="980" height="230" viewBox="0 0 980 230" role="img" aria-label="province trend">
%s
<line x1="120" y1="190" x2="860" y2="190" class="axis"/>
<polyline class="mean" points="%s"/>
<polyline class="pooled" points="%s"/>
%s
<g class="legend"><line x1="640" y1="16" x2="670" y2="16" class="mean"/><text x="676" y="20">bình quân đơn vị / mean of units</text>
<line x1="640" y1="34" x2="670" y2="34" class="pooled"/><text x="676" y="38">gộp câu trả lời / pooled</text></g>
</svg></section>
',
			-- horizontal grid: every 1, 2 or 5 points between the bounds
			(SELECT string_agg(format('<line x1="120" y1="%1$s" x2="860" y2="%1$s" class="grid"/><text x="112" y="%2$s" class="tick" text-anchor="end">%3$s</text>',
									  round((190 - (v - max(c.ylo)) / nullif(max(c.yhi) - max(c.ylo), 0) * 150)::numeric, 1),
									  round((194 - (v - max(c.ylo)) / nullif(max(c.yhi) - max(c.ylo), 0) * 150)::numeric, 1), v), '')
			 FROM generate_series(max(c.ylo)::numeric, max(c.yhi)::numeric,
								  CASE WHEN max(c.yhi) - max(c.ylo) > 20 THEN 5 WHEN max(c.yhi) - max(c.ylo) > 8 THEN 2 ELSE 1 END) v),
			string_agg(format('%s,%s', c.x, c.ym), ' ' ORDER BY c.period) FILTER (WHERE c.ym IS NOT NULL),
			string_agg(format('%s,%s', c.x, c.yp), ' ' ORDER BY c.period) FILTER (WHERE c.yp IS NOT NULL),
			string_agg(format('<g class="year"><circle cx="%1$s" cy="%2$s" r="4" class="mean"/><text x="%1$s" y="%3$s" class="val" text-anchor="middle">%4$s</text>%5$s<text x="%1$s" y="212" class="tick" text-anchor="middle">%6$s</text></g>',
							  -- the mean's label above its point, unless the pooled point is above it
							  c.x, c.ym, CASE WHEN c.yp < c.ym THEN c.ym + 17 ELSE c.ym - 10 END,
							  sipas_internal.report_number(c.mean_published, 'vi'),
							  CASE WHEN c.yp IS NULL THEN ''
								   ELSE format('<circle cx="%1$s" cy="%2$s" r="3" class="pooled"/><text x="%1$s" y="%3$s" class="pval" text-anchor="middle">%4$s</text>',
											   c.x, c.yp, c.yp + CASE WHEN c.yp < c.ym THEN -8 ELSE 16 END,
											   sipas_internal.report_number(c.pooled_published, 'vi')) END,
							  c.period), E'\n' ORDER BY c.period))
		INTO body FROM c;
	END IF;

	-- one ranked chart per group
	FOR g IN
		SELECT x.ranking_group AS name, count(*) AS m,
			   min(least(x.lower, x.index)) AS vmin, max(greatest(x.upper, x.index)) AS vmax
		FROM jsonb_to_recordset(rt) AS x(ranking_group text, period bigint, index float8, lower float8, upper float8)
		WHERE x.period = p
		GROUP BY x.ranking_group ORDER BY x.ranking_group NULLS LAST
	LOOP
		lo := greatest(0, floor(coalesce(g.vmin, 0) - 0.5));
		hi := least(100, ceil(coalesce(g.vmax, 100) + 0.5));
		IF hi - lo < 4 THEN
			lo := greatest(0, hi - 4);
			hi := lo + 4;
		END IF;
		step := CASE WHEN hi - lo > 40 THEN 10 WHEN hi - lo > 16 THEN 5 WHEN hi - lo > 8 THEN 2 ELSE 1 END;
		lo := floor(lo / step) * step;
		hi := ceil(hi / step) * step;
		ht := top + g.m * rowh + 12;
		SELECT string_agg(format('<line x1="%1$s" y1="%2$s" x2="%1$s" y2="%3$s" class="grid"/><text x="%1$s" y="%4$s" class="tick" text-anchor="middle">%5$s</text>',
								 round((x0 + (v - lo) / (hi - lo) * (x1 - x0))::numeric, 1), top - 6, ht - 10, top - 12, v), '')
		INTO axis FROM generate_series(lo::numeric, hi::numeric, step::numeric) v;
		SELECT string_agg(format(
'<g class="unit%s" data-unit="%s" data-value="%s" transform="translate(0,%s)">
<rect x="0" y="0" width="980" height="%s" class="band"/>
<text x="30" y="17" class="rank" text-anchor="end">%s</text><text x="40" y="17" class="name">%s%s</text>
%s
<text x="%s" y="17" class="value">%s</text><text x="%s" y="17" class="move %s">%s</text>
</g>',
				CASE WHEN r.is_highest THEN ' highest' ELSE '' END || CASE WHEN r.is_lowest AND NOT r.is_highest THEN ' lowest' ELSE '' END
					|| CASE WHEN r.too_few_respondents THEN ' toofew' ELSE '' END,
				sipas_internal.report_html_escape(r.unit),
				coalesce(sipas_internal.report_number(r.published, 'vi'), ''),
				top + (r.k - 1) * rowh, rowh,
				coalesce(r.rank::text, '–'),
				sipas_internal.report_html_escape(r.unit),
				CASE WHEN r.too_few_respondents THEN ' *' ELSE '' END,
				CASE WHEN r.index IS NULL THEN ''
					 ELSE format('<line x1="%1$s" y1="13" x2="%2$s" y2="13" class="ci"/><line x1="%1$s" y1="8" x2="%1$s" y2="18" class="ci"/><line x1="%2$s" y1="8" x2="%2$s" y2="18" class="ci"/><circle cx="%3$s" cy="13" r="5.5" class="dot"/>',
						round((x0 + (coalesce(r.lower, r.index) - lo) / (hi - lo) * (x1 - x0))::numeric, 1),
						round((x0 + (coalesce(r.upper, r.index) - lo) / (hi - lo) * (x1 - x0))::numeric, 1),
						round((x0 + (r.index - lo) / (hi - lo) * (x1 - x0))::numeric, 1)) END,
				x1 + 14, coalesce(sipas_internal.report_number(r.published, 'vi'), '—'),
				x1 + 80,
				CASE WHEN r.rank_move > 0 THEN 'up' WHEN r.rank_move < 0 THEN 'down' ELSE 'same' END,
				CASE WHEN r.index IS NULL THEN ''
					 WHEN r.is_new THEN 'mới / new'
					 WHEN r.no_previous_period OR r.rank_move IS NULL THEN '—'
					 WHEN r.rank_move > 0 THEN '▲ ' || r.rank_move
					 WHEN r.rank_move < 0 THEN '▼ ' || -r.rank_move
					 ELSE '=' END), E'\n' ORDER BY r.k)
		INTO rows_svg
		FROM (SELECT x.*, row_number() OVER (ORDER BY x.rank NULLS LAST, x.unit) AS k
			  FROM jsonb_to_recordset(rt) AS x(ranking_group text, unit text, period bigint, index float8,
				published numeric, rank int, rank_move int, lower float8, upper float8, is_new boolean,
				no_previous_period boolean, too_few_respondents boolean, is_highest boolean,
				is_lowest boolean, units_ranked int)
			  WHERE x.period = p AND x.ranking_group IS NOT DISTINCT FROM g.name) r;
		body := body || format(
'<section class="group"><h2>%s <span class="period">%s</span></h2>
<svg class="chart" width="980" height="%s" viewBox="0 0 980 %s" role="img" aria-label="%s">
<text x="30" y="12" class="head" text-anchor="end">#</text><text x="40" y="12" class="head">Đơn vị / unit</text>
<text x="%s" y="12" class="head">SIPAS</text><text x="%s" y="12" class="head">± hạng / rank</text>
%s
%s
</svg></section>
',
			sipas_internal.report_html_escape(coalesce(g.name, '—')), p, ht, ht,
			sipas_internal.report_html_escape(coalesce(g.name, '—')),
			x1 + 14, x1 + 80, axis, rows_svg);
	END LOOP;

	RETURN format(
'<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="generator" content="sipas.report_html">
<title>%1$s</title>
<style>
body { font-family: "Noto Sans", "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #202124; margin: 24px auto; max-width: 1000px; padding: 0 12px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 4px; }
.sub, .en, .note, .period { color: #5f6368; } .sub { margin: 0 0 12px; } .en { font-size: 13px; }
ul.headlines { padding-left: 20px; } ul.headlines li { margin: 6px 0; }
svg.chart { display: block; font-size: 13px; }
.grid { stroke: #e0e0e0; } .axis { stroke: #9aa0a6; } .tick { fill: #5f6368; font-size: 11px; }
.head { fill: #5f6368; font-size: 11px; font-weight: bold; }
.band { fill: transparent; } .highest .band { fill: #e6f4ea; } .lowest .band { fill: #fce8e6; }
.ci { stroke: #5f6368; stroke-width: 1.5; } .dot { fill: #1a73e8; stroke: #fff; stroke-width: 1; }
.highest .dot { fill: #188038; } .lowest .dot { fill: #d93025; } .toofew .dot { fill: #fff; stroke: #5f6368; stroke-width: 1.5; }
.rank { fill: #5f6368; } .value { font-weight: bold; } .toofew .name, .toofew .value { fill: #80868b; }
.move.up { fill: #188038; } .move.down { fill: #d93025; } .move.same { fill: #5f6368; }
polyline.mean, line.mean { fill: none; stroke: #1a73e8; stroke-width: 2.5; } circle.mean { fill: #1a73e8; }
polyline.pooled, line.pooled { fill: none; stroke: #9aa0a6; stroke-width: 2; stroke-dasharray: 6 4; }
.val { font-weight: bold; font-size: 12px; } .pval { fill: #5f6368; font-size: 11px; } circle.pooled { fill: #9aa0a6; } .legend text { font-size: 12px; fill: #5f6368; }
.note { font-size: 12px; margin-top: 24px; border-top: 1px solid #e0e0e0; padding-top: 8px; }
</style>
</head>
<body>
<h1>%1$s</h1>
<p class="sub">Năm / period %2$s · chỉ số công bố %3$s chữ số thập phân / published to %3$s decimals</p>
<ul class="headlines">
%4$s
</ul>
%5$s
<p class="note">Chấm: chỉ số; gạch: khoảng tin cậy %6$s %%; nền xanh / đỏ: cao nhất / thấp nhất; ▲▼: thay đổi thứ hạng so với kỳ trước; * chưa đủ số người trả lời.<br>
Dot: index; whiskers: %6$s %% confidence interval; green / red band: highest / lowest; ▲▼: rank move since the previous period; * too few respondents.</p>
</body>
</html>
',
		sipas_internal.report_html_escape(coalesce(title, 'SIPAS — chỉ số hài lòng về sự phục vụ hành chính')),
		coalesce(p::text, '—'), decimals, coalesce(heads, ''), body, pct);
END
$$;
COMMENT ON FUNCTION sipas.report_html(regclass, text, text, text, text, bigint, text, integer, text,
		double precision, bigint, text, text, text, text) IS
	'a standalone HTML report (inline SVG, nothing fetched): headlines, the province trend and a ranked chart with intervals and rank moves per group';
