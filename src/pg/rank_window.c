/*
 * rank_window.c - window functions for rankings across periods:
 * period_rank, previous_rank, rank_change, points_change (whole-partition,
 * computed once per partition and cached), consecutive (streaks, one pass
 * in window order) and rank_range (plausible ranks from the summaries).
 *
 * The whole-partition functions ignore the window's ORDER BY and frame: a
 * rank depends on the partition, not on where the current row sits in it.
 */
#include "sipas_pg.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/sortsupport.h"
#include "utils/typcache.h"
#include "windowapi.h"

#include "survey_node.h"
#include "../core/lk_index.h"
#include "../core/ranking.h"

PG_FUNCTION_INFO_V1(sipas_period_rank);
PG_FUNCTION_INFO_V1(sipas_previous_rank);
PG_FUNCTION_INFO_V1(sipas_rank_change);
PG_FUNCTION_INFO_V1(sipas_points_change);
PG_FUNCTION_INFO_V1(sipas_consecutive);
PG_FUNCTION_INFO_V1(sipas_rank_range);
PG_FUNCTION_INFO_V1(sipas_rank_range_se);
PG_FUNCTION_INFO_V1(sipas_rank_range_survey);

/* ---- mapping values of any ordered type to dense ordinals ---- */

typedef struct sort_cxt
{
	SortSupportData ssup;
	Datum	   *values;
} sort_cxt;

static int
cmp_datum_index(const void *a, const void *b, void *arg)
{
	sort_cxt   *c = arg;

	return ApplySortComparator(c->values[*(const uint32 *) a], false,
							   c->values[*(const uint32 *) b], false, &c->ssup);
}

/* integer-like types whose order is the order of their int64 value */
static bool
int64_ordered(Oid type)
{
	return type == INT2OID || type == INT4OID || type == INT8OID || type == DATEOID ||
		type == TIMESTAMPOID || type == TIMESTAMPTZOID || type == OIDOID;
}

static int64
as_int64(Oid type, Datum d)
{
	switch (type)
	{
		case INT2OID:
			return DatumGetInt16(d);
		case INT4OID:
		case DATEOID:
			return DatumGetInt32(d);
		case OIDOID:
			return DatumGetObjectId(d);
		default:
			return DatumGetInt64(d);
	}
}

/*
 * Give each distinct non-NULL value (values[i] with !nulls[i]) its rank in
 * ascending order (0-based, dense); NULL gives -1.  Integer-like types go
 * through a radix sort, others through the type's sort support.
 */
static void
dense_ordinals(FunctionCallInfo fcinfo, Oid type, const Datum *values, const bool *nulls,
			   int64 n, int32 *ord, rk_scratch *sc)
{
	int64		nn = 0,
				i;

	for (i = 0; i < n; i++)
	{
		ord[i] = -1;
		if (!nulls[i])
			sc->idx[nn++] = (uint32) i;
	}
	if (int64_ordered(type))
	{
		for (i = 0; i < nn; i++)
			sc->keys[i] = (uint64) as_int64(type, values[sc->idx[i]]) ^ UINT64CONST(0x8000000000000000);
		rk_radix_sort(sc->keys, sc->idx, nn, sc->tmp_keys, sc->tmp_idx);
		for (i = 0; i < nn; i++)
			ord[sc->idx[i]] = i == 0 ? 0 :
				ord[sc->idx[i - 1]] + (sc->keys[i] != sc->keys[i - 1] ? 1 : 0);
		return;
	}
	else
	{
		TypeCacheEntry *tc = lookup_type_cache(type, TYPECACHE_LT_OPR);
		sort_cxt	c;

		if (!OidIsValid(tc->lt_opr))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_FUNCTION),
					 errmsg("could not identify an ordering operator for type %s", format_type_be(type)),
					 errdetail("Periods and units must be of a type with a default btree ordering.")));
		memset(&c, 0, sizeof(c));
		c.ssup.ssup_cxt = CurrentMemoryContext;
		c.ssup.ssup_collation = PG_GET_COLLATION();
		c.ssup.ssup_nulls_first = false;
		PrepareSortSupportFromOrderingOp(tc->lt_opr, &c.ssup);
		c.values = (Datum *) values;
		qsort_arg(sc->idx, nn, sizeof(uint32), cmp_datum_index, &c);
		for (i = 0; i < nn; i++)
			ord[sc->idx[i]] = i == 0 ? 0 :
				ord[sc->idx[i - 1]] + (cmp_datum_index(&sc->idx[i - 1], &sc->idx[i], &c) != 0 ? 1 : 0);
	}
}

/* round half away from zero to 'decimals', exactly as round(x::numeric, d) */
static double
publish_round(double x, int32 decimals)
{
	Datum		num = DirectFunctionCall1(float8_numeric, Float8GetDatum(x));

	num = DirectFunctionCall2(numeric_round, num, Int32GetDatum(decimals));
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, num));
}

static char *
arg_as_text(WindowObject winobj, FunctionCallInfo fcinfo, int argno, int64 row)
{
	bool		isnull,
				isout;
	Datum		d = WinGetFuncArgInPartition(winobj, argno, (int) row, WINDOW_SEEK_HEAD,
											 false, &isnull, &isout);
	Oid			type = get_fn_expr_argtype(fcinfo->flinfo, argno);
	Oid			out;
	bool		varlena;

	if (isnull)
		return pstrdup("NULL");
	getTypeOutputInfo(type, &out, &varlena);
	return OidOutputFunctionCall(out, d);
}

/* ---- what every whole-partition function checks first ---- */

/*
 * A parameter (decimals, confidence, correction) is read once per partition,
 * from the first row processed: a value that changes from row to row would
 * make the result depend on the window's ORDER BY.  So it must be a constant
 * or a query parameter, as lead() and lag() require of their offset.
 */
static void
require_constant_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	if (PG_NARGS() > argno && !get_fn_expr_arg_stable(fcinfo->flinfo, argno))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"%s\" of %s must be a constant", name,
						get_func_name(fcinfo->flinfo->fn_oid)),
				 errdetail("It is read once per window partition; a value that changes from row to row would make the result depend on the order of the rows."),
				 errhint("Pass a literal, an expression of literals, or a query parameter.")));
}

/* the partition's row count, which the core indexes with 32-bit integers */
static int64
partition_rows(WindowObject winobj)
{
	int64		n = WinGetPartitionRowCount(winobj);

	if (n > INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("window partition of %lld rows is too large for sipas rankings", (long long) n),
				 errdetail("A partition may hold at most %d rows.", INT32_MAX)));
	return n;
}

/* an array of n (at least one) elements; huge, so that the limit is the one above */
static void *
partition_alloc(MemoryContext cxt, int64 n, Size size, bool zero)
{
	Size		bytes = (Size) Max(n, 1) * size;

	return zero ? MemoryContextAllocExtended(cxt, bytes, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO)
		: MemoryContextAllocHuge(cxt, bytes);
}

/* ---- the whole-partition rank computation, cached per partition ---- */

/* what each function of the family returns from the partition's results */
typedef enum rank_output
{
	RANK_PERIOD,				/* period_rank */
	RANK_PREVIOUS,				/* previous_rank */
	RANK_CHANGE,				/* rank_change */
	RANK_POINTS					/* points_change */
} rank_output;

/* partition-local state: the results of every row, computed on the first call */
typedef struct rank_partition
{
	bool		ready;
	int32		decimals;		/* -1: full precision */
	rk_result  *res;			/* one per row of the partition */
} rank_partition;

/* the rows as read from the partition, before periods and units become ordinals */
typedef struct rank_scan
{
	int64		n;
	rk_row	   *rows;
	Datum	   *periods;
	bool	   *period_null;
	Datum	   *units;			/* NULL for period_rank */
	bool	   *unit_null;
} rank_scan;

/*
 * Arguments: 0 index (float8), 1 period (any ordered type), then either
 * 2 unit and 3 decimals, or (period_rank) 2 decimals.
 */
static int
decimals_argno(bool with_unit)
{
	return with_unit ? 3 : 2;
}

/* the optional decimals argument: -1 when absent or NULL, else 0 to 15 */
static int32
rank_decimals(WindowObject winobj, FunctionCallInfo fcinfo, bool with_unit)
{
	int			argno = decimals_argno(with_unit);
	bool		isnull;
	Datum		d;
	int32		decimals;

	if (PG_NARGS() <= argno)
		return -1;
	require_constant_arg(fcinfo, argno, "decimals");
	d = WinGetFuncArgCurrent(winobj, argno, &isnull);
	if (isnull)
		return -1;
	decimals = DatumGetInt32(d);
	return sipas_check_decimals(decimals);
}

static void
rank_scan_alloc(rank_scan *sc, int64 n, bool with_unit)
{
	MemoryContext cxt = CurrentMemoryContext;

	sc->n = n;
	sc->rows = partition_alloc(cxt, n, sizeof(rk_row), true);
	sc->periods = partition_alloc(cxt, n, sizeof(Datum), false);
	sc->period_null = partition_alloc(cxt, n, sizeof(bool), false);
	sc->units = with_unit ? partition_alloc(cxt, n, sizeof(Datum), false) : NULL;
	sc->unit_null = with_unit ? partition_alloc(cxt, n, sizeof(bool), false) : NULL;
}

/* one pass over the partition: every argument of every row */
static void
rank_scan_read(WindowObject winobj, FunctionCallInfo fcinfo, rank_scan *sc, int32 decimals)
{
	Oid			period_type = get_fn_expr_argtype(fcinfo->flinfo, 1);
	Oid			unit_type = sc->units ? get_fn_expr_argtype(fcinfo->flinfo, 2) : InvalidOid;
	int16		period_len,
				unit_len = 0;
	bool		period_byval,
				unit_byval = true;
	int64		i;

	get_typlenbyval(period_type, &period_len, &period_byval);
	if (sc->units)
		get_typlenbyval(unit_type, &unit_len, &unit_byval);
	for (i = 0; i < sc->n; i++)
	{
		rk_row	   *r = &sc->rows[i];
		bool		isnull,
					isout;
		Datum		d = WinGetFuncArgInPartition(winobj, 0, (int) i, WINDOW_SEEK_HEAD,
												 false, &isnull, &isout);

		CHECK_FOR_INTERRUPTS();
		if (!isnull && !isnan(DatumGetFloat8(d)))
		{
			r->has_value = true;
			r->raw = DatumGetFloat8(d);
			r->value = decimals >= 0 && isfinite(r->raw) ?
				publish_round(r->raw, decimals) : r->raw;
		}
		d = WinGetFuncArgInPartition(winobj, 1, (int) i, WINDOW_SEEK_HEAD, false,
									 &sc->period_null[i], &isout);
		sc->periods[i] = sc->period_null[i] ? (Datum) 0 : datumCopy(d, period_byval, period_len);
		if (sc->units)
		{
			d = WinGetFuncArgInPartition(winobj, 2, (int) i, WINDOW_SEEK_HEAD, false,
										 &sc->unit_null[i], &isout);
			sc->units[i] = sc->unit_null[i] ? (Datum) 0 : datumCopy(d, unit_byval, unit_len);
		}
	}
}

/* periods and units of any ordered type become dense ordinals (NULL = -1) */
static void
rank_scan_map(FunctionCallInfo fcinfo, rank_scan *sc, rk_scratch *scratch)
{
	MemoryContext cxt = CurrentMemoryContext;
	int32	   *ord = partition_alloc(cxt, sc->n, sizeof(int32), false);
	int64		i;

	dense_ordinals(fcinfo, get_fn_expr_argtype(fcinfo->flinfo, 1), sc->periods,
				   sc->period_null, sc->n, ord, scratch);
	for (i = 0; i < sc->n; i++)
		sc->rows[i].period = ord[i];
	if (sc->units)
		dense_ordinals(fcinfo, get_fn_expr_argtype(fcinfo->flinfo, 2), sc->units,
					   sc->unit_null, sc->n, ord, scratch);
	for (i = 0; i < sc->n; i++)
		sc->rows[i].unit = sc->units ? ord[i] : -1;
	pfree(ord);
}

static void
rank_scratch_alloc(rk_scratch *scratch, int64 n)
{
	MemoryContext cxt = CurrentMemoryContext;

	scratch->keys = partition_alloc(cxt, n, sizeof(uint64), false);
	scratch->tmp_keys = partition_alloc(cxt, n, sizeof(uint64), false);
	scratch->idx = partition_alloc(cxt, n, sizeof(uint32), false);
	scratch->tmp_idx = partition_alloc(cxt, n, sizeof(uint32), false);
}

static void
rank_duplicate_error(WindowObject winobj, FunctionCallInfo fcinfo, long dup, size_t dup_of)
{
	ereport(ERROR,
			(errcode(ERRCODE_CARDINALITY_VIOLATION),
			 errmsg("unit %s appears more than once in period %s",
					arg_as_text(winobj, fcinfo, 2, dup), arg_as_text(winobj, fcinfo, 1, dup)),
			 errdetail("Rows %lld and %lld of the window partition have the same period and unit.",
					   (long long) dup_of + 1, (long long) dup + 1),
			 errhint("Partition the window by the ranking group only (PARTITION BY grp), with one row per unit and period.")));
}

/*
 * The partition's results, computed on the first call of the partition:
 * read every row, map periods and units to ordinals, rank (src/core).
 */
static rank_partition *
rank_partition_get(WindowObject winobj, FunctionCallInfo fcinfo, bool with_unit)
{
	rank_partition *rp = WinGetPartitionLocalMemory(winobj, sizeof(rank_partition));
	MemoryContext work,
				old;
	rank_scan	sc;
	rk_scratch	scratch;
	size_t		dup_of = 0;
	long		dup;
	int64		n;

	if (rp->ready)
		return rp;
	n = partition_rows(winobj);
	rp->decimals = rank_decimals(winobj, fcinfo, with_unit);

	work = AllocSetContextCreate(CurrentMemoryContext, "sipas rank partition", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(work);
	rank_scan_alloc(&sc, n, with_unit);
	rank_scratch_alloc(&scratch, n);
	rank_scan_read(winobj, fcinfo, &sc, rp->decimals);
	rank_scan_map(fcinfo, &sc, &scratch);
	MemoryContextSwitchTo(old);

	rp->res = partition_alloc(GetMemoryChunkContext(rp), n, sizeof(rk_result), false);
	dup = rk_rank_periods((size_t) n, sc.rows, rp->res, &scratch, &dup_of);
	if (dup >= 0)
		rank_duplicate_error(winobj, fcinfo, dup, dup_of);
	MemoryContextDelete(work);
	rp->ready = true;
	return rp;
}

/*
 * Change in points.  With decimals, on the published values: each index
 * rounded half away from zero first, the difference taken in numeric, so
 * that 88.71 - 87.14 is 1.57 as printed (and not 1.56 from 88.706 - 87.144,
 * nor 1.5699999999999932).  Infinite indices give the float8 difference.
 */
static double
points_change(double now, double before, int32 decimals)
{
	Datum		a,
				b;

	if (decimals < 0 || !isfinite(now) || !isfinite(before))
		return now - before;
	a = DirectFunctionCall2(numeric_round,
							DirectFunctionCall1(float8_numeric, Float8GetDatum(now)),
							Int32GetDatum(decimals));
	b = DirectFunctionCall2(numeric_round,
							DirectFunctionCall1(float8_numeric, Float8GetDatum(before)),
							Int32GetDatum(decimals));
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8,
											  DirectFunctionCall2(numeric_sub, a, b)));
}

/* one body for period_rank, previous_rank, rank_change and points_change */
static Datum
rank_window_common(FunctionCallInfo fcinfo, rank_output what)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	rank_partition *rp;
	rk_result  *r;

	Assert(WindowObjectIsValid(winobj));
	rp = rank_partition_get(winobj, fcinfo, what != RANK_PERIOD);
	r = &rp->res[WinGetCurrentPosition(winobj)];
	switch (what)
	{
		case RANK_PERIOD:
			if (r->rank == 0)
				PG_RETURN_NULL();
			PG_RETURN_INT32(r->rank);
		case RANK_PREVIOUS:
			if (r->prev_rank == 0)
				PG_RETURN_NULL();
			PG_RETURN_INT32(r->prev_rank);
		case RANK_CHANGE:
			if (r->rank == 0 || r->prev_rank == 0)
				PG_RETURN_NULL();
			PG_RETURN_INT32(r->prev_rank - r->rank);	/* +3 = up three places */
		case RANK_POINTS:
			{
				bool		isnull;
				Datum		d = WinGetFuncArgCurrent(winobj, 0, &isnull);

				if (isnull || !r->has_prev_value)
					PG_RETURN_NULL();
				PG_RETURN_FLOAT8(points_change(DatumGetFloat8(d), r->prev_value, rp->decimals));
			}
	}
	pg_unreachable();
}

Datum
sipas_period_rank(PG_FUNCTION_ARGS)
{
	return rank_window_common(fcinfo, RANK_PERIOD);
}

Datum
sipas_previous_rank(PG_FUNCTION_ARGS)
{
	return rank_window_common(fcinfo, RANK_PREVIOUS);
}

Datum
sipas_rank_change(PG_FUNCTION_ARGS)
{
	return rank_window_common(fcinfo, RANK_CHANGE);
}

Datum
sipas_points_change(PG_FUNCTION_ARGS)
{
	return rank_window_common(fcinfo, RANK_POINTS);
}

/* ---- streaks ---- */

typedef struct streak_state
{
	int64		next_pos;		/* next row to fold in */
	int64		streak;			/* consecutive rows up to next_pos - 1 */
	bool		streak_null;	/* the last row's condition was NULL */
	bool		have_period;
	int64		period;			/* period of row next_pos - 1 */
} streak_state;

/* fold row pos (the current row, or a skipped one after it) into the streak */
static void
streak_fold(WindowObject winobj, streak_state *st, bool with_period, bool current)
{
	bool		isnull,
				isout,
				pnull = true;
	Datum		c = current ? WinGetFuncArgCurrent(winobj, 0, &isnull)
		: WinGetFuncArgInPartition(winobj, 0, (int) st->next_pos, WINDOW_SEEK_HEAD,
								   false, &isnull, &isout);
	bool		contiguous = true;

	if (with_period)
	{
		Datum		p = current ? WinGetFuncArgCurrent(winobj, 1, &pnull)
			: WinGetFuncArgInPartition(winobj, 1, (int) st->next_pos, WINDOW_SEEK_HEAD,
									   false, &pnull, &isout);
		int64		period = pnull ? 0 : DatumGetInt64(p);

		if (!pnull && st->have_period && period <= st->period)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("period %lld follows period %lld in the window", (long long) period,
							(long long) st->period),
					 errdetail("consecutive(condition, period) needs each period once, in ascending window order."),
					 errhint("Use OVER (PARTITION BY unit ORDER BY period).")));
		contiguous = !pnull && st->have_period && period == st->period + 1;
		st->have_period = !pnull;
		st->period = period;
	}
	st->streak_null = isnull;
	if (isnull || !DatumGetBool(c))
		st->streak = 0;
	else if (with_period && !contiguous)
		st->streak = 1;
	else
		st->streak++;
	st->next_pos++;
}

/*
 * consecutive(cond [, period]): how many rows in a row, in window order and
 * ending at the current one, satisfy cond.  With a period, a gap in the
 * periods (not previous + 1) also ends a streak.  NULL cond gives NULL and
 * ends the streak.
 *
 * The executor calls it once per row in window order, so each call folds in
 * the current row only; the mark then lets the window's tuplestore drop the
 * rows before it.  (A row skipped over, which the executor does not do
 * today, is read from the partition, which the mark still allows.)
 */
Datum
sipas_consecutive(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	streak_state *st = WinGetPartitionLocalMemory(winobj, sizeof(streak_state));
	int64		pos = WinGetCurrentPosition(winobj);
	bool		with_period = PG_NARGS() > 1;

	if (pos < st->next_pos - 1)
		elog(ERROR, "consecutive: row " INT64_FORMAT " requested after row " INT64_FORMAT,
			 pos, st->next_pos - 1);
	while (st->next_pos <= pos)
	{
		CHECK_FOR_INTERRUPTS();
		streak_fold(winobj, st, with_period, st->next_pos == pos);
	}
	WinSetMarkPosition(winobj, pos);
	if (st->streak_null)
		PG_RETURN_NULL();
	PG_RETURN_INT32((int32) Min(st->streak, PG_INT32_MAX));
}

/* ---- plausible ranks ---- */

typedef struct range_partition
{
	bool		ready;
	int32	   *best;			/* one per row; 0 = unranked */
	int32	   *worst;
} range_partition;

/* the options of rank_range: confidence (default 0.95) and correction */
typedef struct range_options
{
	double		confidence;
	bool		bonferroni;
} range_options;

static const sipas_option correction_options[] = {
	{"bonferroni", 1, NULL},
	{"none", 0, NULL},
	{NULL}
};

static range_options
range_options_get(WindowObject winobj, FunctionCallInfo fcinfo, int opt)
{
	range_options o = {0.95, true};
	bool		isnull;

	if (PG_NARGS() > opt)
	{
		Datum		d;

		require_constant_arg(fcinfo, opt, "confidence");
		d = WinGetFuncArgCurrent(winobj, opt, &isnull);
		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("confidence NULL is out of range"),
					 errdetail("The confidence level must lie strictly between 0 and 1, e.g. 0.95.")));
		o.confidence = sipas_check_confidence(DatumGetFloat8(d));
	}
	if (PG_NARGS() > opt + 1)
	{
		Datum		d;

		require_constant_arg(fcinfo, opt + 1, "correction");
		d = WinGetFuncArgCurrent(winobj, opt + 1, &isnull);
		o.bonferroni = sipas_parse_option(isnull ? "NULL" : TextDatumGetCString(d), correction_options,
										  "multiplicity correction", "corrections");
	}
	return o;
}

/* where rank_range reads each row's index and standard error */
typedef enum range_source
{
	RANGE_LIKERT,				/* a sipas.likert summary */
	RANGE_GIVEN,				/* (index, std_error) as given */
	RANGE_SURVEY				/* a sipas.survey summary of forms: a node, clustered */
} range_source;

/* rank_range(s survey, confidence, correction, node, questionnaire, rule) */
typedef struct range_node
{
	const char *node;			/* NULL: overall */
	const char *questionnaire;
	hr_rule		rule;
} range_node;

static range_node
range_node_get(WindowObject winobj, FunctionCallInfo fcinfo)
{
	range_node	r = {NULL, "2023", HR_MEAN};
	static const char *const names[] = {"node", "questionnaire", "rule"};
	Datum		d[3];
	bool		isnull[3];
	int			i;

	for (i = 0; i < 3; i++)
	{
		require_constant_arg(fcinfo, 3 + i, names[i]);
		d[i] = WinGetFuncArgCurrent(winobj, 3 + i, &isnull[i]);
	}
	if (!isnull[0])
		r.node = TextDatumGetCString(d[0]);
	if (isnull[1])
		sipas_null_arg_error("questionnaire", "Pass a questionnaire code, e.g. '2023'.");
	r.questionnaire = TextDatumGetCString(d[1]);
	if (isnull[2])
		sipas_null_arg_error("rule", "Pass mean, weighted or items.");
	r.rule = sipas_parse_rule(DatumGetTextPP(d[2]));
	return r;
}

/*
 * Read each row's index and standard error (from the summary, or as given);
 * has[i] false for a row without an index.  Returns the number of ranked rows.
 */
static int64
range_scan_read(WindowObject winobj, FunctionCallInfo fcinfo, range_source from, int64 n,
				bool *has, double *p, double *se)
{
	range_node	rn = {0};
	MemoryContext row_cxt = NULL;
	int64		i,
				m = 0;

	if (from == RANGE_SURVEY)
	{
		rn = range_node_get(winobj, fcinfo);
		/* each summary is expanded and read in a context reset per row */
		row_cxt = AllocSetContextCreate(CurrentMemoryContext, "sipas rank range row",
										ALLOCSET_DEFAULT_SIZES);
	}
	for (i = 0; i < n; i++)
	{
		bool		isnull,
					isout;
		Datum		d = WinGetFuncArgInPartition(winobj, 0, (int) i, WINDOW_SEEK_HEAD,
												 false, &isnull, &isout);

		CHECK_FOR_INTERRUPTS();
		if (isnull)
			continue;
		if (from == RANGE_LIKERT)
		{
			lk_summary	s;
			int			sat;

			sipas_likert_get(d, &s);
			sat = lk_satisfied_from(s.k);
			if (!lk_share_from(&s, sat, &p[i]))
				continue;
			if (!lk_std_error(&s, sat, &se[i]))
				se[i] = NAN;
		}
		else if (from == RANGE_SURVEY)
		{
			sipas_node_figure f;
			MemoryContext old = MemoryContextSwitchTo(row_cxt);

			sipas_node_figure_get(fcinfo->flinfo, d, rn.node, rn.questionnaire, rn.rule, &f);
			MemoryContextSwitchTo(old);
			MemoryContextReset(row_cxt);
			if (!f.forms)
				sipas_needs_forms_error("rank_range");
			if (!f.has)
				continue;
			p[i] = f.value;
			se[i] = f.has_var ? sqrt(f.var) : NAN;
		}
		else
		{
			Datum		e = WinGetFuncArgInPartition(winobj, 1, (int) i, WINDOW_SEEK_HEAD,
													 false, &isnull, &isout);

			p[i] = DatumGetFloat8(d);
			if (isnan(p[i]))
				continue;
			se[i] = isnull ? NAN : DatumGetFloat8(e);
			if (se[i] < 0.0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("standard error %g is negative", se[i]),
						 errdetail("Row %lld of the window partition.", (long long) i + 1)));
		}
		has[i] = true;
		m++;
	}
	if (row_cxt)
		MemoryContextDelete(row_cxt);
	return m;
}

/* called by the core between units and every 65,536 pair tests */
static void
range_tick(void *arg)
{
	CHECK_FOR_INTERRUPTS();
}

/*
 * rank_range(s [, confidence [, correction]]) OVER (PARTITION BY grp, period),
 * or rank_range(index, std_error [, confidence [, correction]]):
 * {best, worst} plausible rank of each unit.  Unit j counts as above unit i
 * when the two-sided test of p_j = p_i (independent samples) rejects at the
 * level, Bonferroni-corrected over the other m - 1 units by default.  The
 * summary form takes the index and its design-based standard error from the
 * summary; the second form takes them as given (e.g. overall() and
 * node_std_error() of a survey summary), both in the same unit; the survey
 * form reads a node's index and clustered standard error off summaries of
 * forms (sipas_rank_range_survey).
 * Computed on the first call of the partition (src/core, O(m log m) with
 * equal standard errors, see ranking.h), interruptible.
 */
static Datum
rank_range_common(FunctionCallInfo fcinfo, range_source from)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	range_partition *rp = WinGetPartitionLocalMemory(winobj, sizeof(range_partition));
	int64		pos = WinGetCurrentPosition(winobj);

	if (!rp->ready)
	{
		range_options o = range_options_get(winobj, fcinfo, from == RANGE_GIVEN ? 2 : 1);
		int64		n = partition_rows(winobj),
					m;
		MemoryContext cxt = GetMemoryChunkContext(rp),
					work = AllocSetContextCreate(CurrentMemoryContext, "sipas rank range",
												 ALLOCSET_DEFAULT_SIZES);
		bool	   *has = partition_alloc(work, n, sizeof(bool), true);
		double	   *p = partition_alloc(work, n, sizeof(double), false);
		double	   *se = partition_alloc(work, n, sizeof(double), false);
		double		alpha;

		rp->best = partition_alloc(cxt, n, sizeof(int32), false);
		rp->worst = partition_alloc(cxt, n, sizeof(int32), false);
		m = range_scan_read(winobj, fcinfo, from, n, has, p, se);
		alpha = 1.0 - o.confidence;
		if (o.bonferroni && m > 2)
			alpha /= (double) (m - 1);
		rk_rank_range((size_t) n, has, p, se, lk_qnorm_upper(alpha / 2.0), rp->best, rp->worst,
					  MemoryContextAllocHuge(work, rk_rank_range_scratch_size((size_t) Max(n, 1))),
					  range_tick, NULL);
		MemoryContextDelete(work);
		rp->ready = true;
	}
	if (rp->best[pos] == 0)
		PG_RETURN_NULL();
	{
		Datum		e[2] = {Int32GetDatum(rp->best[pos]), Int32GetDatum(rp->worst[pos])};

		PG_RETURN_ARRAYTYPE_P(construct_array(e, 2, INT4OID, 4, true, TYPALIGN_INT));
	}
}

Datum
sipas_rank_range(PG_FUNCTION_ARGS)
{
	return rank_range_common(fcinfo, RANGE_LIKERT);
}

Datum
sipas_rank_range_se(PG_FUNCTION_ARGS)
{
	return rank_range_common(fcinfo, RANGE_GIVEN);
}

/*
 * rank_range(s survey [, confidence, correction, node, questionnaire, rule])
 * OVER (PARTITION BY grp, period): from summaries of forms, the node's
 * index (NULL node: overall) and its clustered standard error.
 */
Datum
sipas_rank_range_survey(PG_FUNCTION_ARGS)
{
	return rank_range_common(fcinfo, RANGE_SURVEY);
}
