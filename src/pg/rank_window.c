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
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/typcache.h"
#include "windowapi.h"

#include "../core/lk_stats.h"
#include "../core/ranking.h"

PG_FUNCTION_INFO_V1(sipas_period_rank);
PG_FUNCTION_INFO_V1(sipas_previous_rank);
PG_FUNCTION_INFO_V1(sipas_rank_change);
PG_FUNCTION_INFO_V1(sipas_points_change);
PG_FUNCTION_INFO_V1(sipas_consecutive);
PG_FUNCTION_INFO_V1(sipas_rank_range);
PG_FUNCTION_INFO_V1(sipas_rank_range_se);

/* ---- mapping values of any ordered type to dense ordinals ---- */

typedef struct sort_cxt
{
	FmgrInfo   *cmp;
	Oid			collation;
	Datum	   *values;
} sort_cxt;

static int
cmp_datum_index(const void *a, const void *b, void *arg)
{
	sort_cxt   *c = arg;
	Datum		x = c->values[*(const int64 *) a];
	Datum		y = c->values[*(const int64 *) b];

	return DatumGetInt32(FunctionCall2Coll(c->cmp, c->collation, x, y));
}

/*
 * Read argument argno of every row, and give each distinct non-NULL value
 * its rank in ascending order (0-based, dense); NULL gives -1.
 */
static void
dense_ordinals(WindowObject winobj, FunctionCallInfo fcinfo, int argno, int64 n, int32 *ord)
{
	Oid			type = get_fn_expr_argtype(fcinfo->flinfo, argno);
	TypeCacheEntry *tc = lookup_type_cache(type, TYPECACHE_CMP_PROC_FINFO);
	Datum	   *values = palloc(n * sizeof(Datum));
	int64	   *idx = palloc(n * sizeof(int64));
	int64		nn = 0,
				i;
	sort_cxt	c;

	if (!OidIsValid(tc->cmp_proc_finfo.fn_oid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("could not identify a comparison function for type %s", format_type_be(type)),
				 errdetail("Periods and units must be of a type with a default btree ordering.")));
	for (i = 0; i < n; i++)
	{
		bool		isnull,
					isout;
		Datum		d = WinGetFuncArgInPartition(winobj, argno, (int) i, WINDOW_SEEK_HEAD,
												 false, &isnull, &isout);

		ord[i] = -1;
		if (isnull)
			continue;
		values[i] = datumCopy(d, tc->typbyval, tc->typlen);
		idx[nn++] = i;
	}
	c.cmp = &tc->cmp_proc_finfo;
	c.collation = PG_GET_COLLATION();
	c.values = values;
	qsort_arg(idx, nn, sizeof(int64), cmp_datum_index, &c);
	for (i = 0; i < nn; i++)
	{
		if (i == 0)
			ord[idx[i]] = 0;
		else if (cmp_datum_index(&idx[i - 1], &idx[i], &c) == 0)
			ord[idx[i]] = ord[idx[i - 1]];
		else
			ord[idx[i]] = ord[idx[i - 1]] + 1;
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

/* ---- the whole-partition rank computation, cached per partition ---- */

typedef struct rank_partition
{
	bool		ready;
	rk_result  *res;
} rank_partition;

/*
 * Arguments: 0 index (float8), 1 period (any ordered type), then either
 * 2 unit and 3 decimals, or (period_rank) 2 decimals.
 */
static rank_partition *
rank_partition_get(WindowObject winobj, FunctionCallInfo fcinfo, bool with_unit)
{
	rank_partition *rp = WinGetPartitionLocalMemory(winobj, sizeof(rank_partition));
	MemoryContext work,
				old;
	int			decimals_arg = with_unit ? 3 : 2;
	int32		decimals = -1;
	int64		n,
				i;
	rk_row	   *rows;
	int32	   *periods,
			   *units;
	size_t	   *scratch;
	size_t		dup_of = 0;
	long		dup;

	if (rp->ready)
		return rp;
	n = WinGetPartitionRowCount(winobj);
	if (n > INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("window partition of %lld rows is too large for sipas rankings", (long long) n),
				 errdetail("A partition may hold at most %d rows.", INT32_MAX)));
	if (PG_NARGS() > decimals_arg)
	{
		bool		isnull;
		Datum		d = WinGetFuncArgCurrent(winobj, decimals_arg, &isnull);

		if (!isnull)
		{
			decimals = DatumGetInt32(d);
			if (decimals < 0 || decimals > 15)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("decimals %d is out of range", decimals),
						 errdetail("Ties can be decided on values rounded to 0 to 15 decimals; pass NULL for full precision.")));
		}
	}

	work = AllocSetContextCreate(CurrentMemoryContext, "sipas rank partition", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(work);
	rows = palloc0(n * sizeof(rk_row));
	periods = palloc(n * sizeof(int32));
	units = palloc(n * sizeof(int32));
	dense_ordinals(winobj, fcinfo, 1, n, periods);
	if (with_unit)
		dense_ordinals(winobj, fcinfo, 2, n, units);
	for (i = 0; i < n; i++)
	{
		bool		isnull,
					isout;
		Datum		d = WinGetFuncArgInPartition(winobj, 0, (int) i, WINDOW_SEEK_HEAD,
												 false, &isnull, &isout);

		rows[i].period = periods[i];
		rows[i].unit = with_unit ? units[i] : -1;
		if (isnull || isnan(DatumGetFloat8(d)))
			continue;			/* NULL (or NaN) index: unranked */
		rows[i].has_value = true;
		rows[i].raw = DatumGetFloat8(d);
		rows[i].value = decimals >= 0 && isfinite(rows[i].raw) ?
			publish_round(rows[i].raw, decimals) : rows[i].raw;
	}
	scratch = palloc(2 * n * sizeof(size_t));
	MemoryContextSwitchTo(old);

	rp->res = MemoryContextAlloc(GetMemoryChunkContext(rp), Max(n, 1) * sizeof(rk_result));
	dup = rk_rank_periods((size_t) n, rows, rp->res, scratch, &dup_of);
	if (dup >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_CARDINALITY_VIOLATION),
				 errmsg("unit %s appears more than once in period %s",
						arg_as_text(winobj, fcinfo, 2, dup), arg_as_text(winobj, fcinfo, 1, dup)),
				 errdetail("Rows %lld and %lld of the window partition have the same period and unit.",
						   (long long) dup_of + 1, (long long) dup + 1),
				 errhint("Partition the window by the ranking group only (PARTITION BY grp), with one row per unit and period.")));
	MemoryContextDelete(work);
	rp->ready = true;
	return rp;
}

static rk_result *
current_result(FunctionCallInfo fcinfo, bool with_unit)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	rank_partition *rp;

	Assert(WindowObjectIsValid(winobj));
	rp = rank_partition_get(winobj, fcinfo, with_unit);
	return &rp->res[WinGetCurrentPosition(winobj)];
}

Datum
sipas_period_rank(PG_FUNCTION_ARGS)
{
	rk_result  *r = current_result(fcinfo, false);

	if (r->rank == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(r->rank);
}

Datum
sipas_previous_rank(PG_FUNCTION_ARGS)
{
	rk_result  *r = current_result(fcinfo, true);

	if (r->prev_rank == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(r->prev_rank);
}

Datum
sipas_rank_change(PG_FUNCTION_ARGS)
{
	rk_result  *r = current_result(fcinfo, true);

	if (r->rank == 0 || r->prev_rank == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(r->prev_rank - r->rank);	/* +3 = up three places */
}

Datum
sipas_points_change(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	rk_result  *r = current_result(fcinfo, true);
	bool		isnull;
	Datum		d = WinGetFuncArgCurrent(winobj, 0, &isnull);

	if (isnull || !r->has_prev_value)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(DatumGetFloat8(d) - r->prev_value);
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

/*
 * consecutive(cond [, period]): how many rows in a row, in window order and
 * ending at the current one, satisfy cond.  With a period, a gap in the
 * periods (not previous + 1) also ends a streak.  NULL cond gives NULL and
 * ends the streak.
 */
Datum
sipas_consecutive(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	streak_state *st = WinGetPartitionLocalMemory(winobj, sizeof(streak_state));
	int64		pos = WinGetCurrentPosition(winobj);
	bool		with_period = PG_NARGS() > 1;

	if (pos < st->next_pos)
	{
		/* not called in order (never by the executor today): start over */
		memset(st, 0, sizeof(*st));
	}
	while (st->next_pos <= pos)
	{
		bool		isnull,
					isout,
					pnull = true;
		Datum		c = WinGetFuncArgInPartition(winobj, 0, (int) st->next_pos, WINDOW_SEEK_HEAD,
												 false, &isnull, &isout);
		bool		contiguous = true;

		if (with_period)
		{
			Datum		p = WinGetFuncArgInPartition(winobj, 1, (int) st->next_pos, WINDOW_SEEK_HEAD,
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
	if (st->streak_null)
		PG_RETURN_NULL();
	PG_RETURN_INT32((int32) Min(st->streak, PG_INT32_MAX));
}

/* ---- plausible ranks ---- */

typedef struct range_partition
{
	bool		ready;
	int32	   *best;
	int32	   *worst;
} range_partition;

/*
 * rank_range(s [, confidence [, correction]]) OVER (PARTITION BY grp, period),
 * or rank_range(index, std_error [, confidence [, correction]]):
 * {best, worst} plausible rank of each unit.  Unit j counts as above unit i
 * when the two-sided test of p_j = p_i (independent samples) rejects at the
 * level, Bonferroni-corrected over the other m - 1 units by default.  The
 * summary form takes the index and its design-based standard error from the
 * summary; the second form takes them as given (e.g. overall() and
 * node_std_error() of a survey summary), both in the same unit.
 */
static Datum
rank_range_common(FunctionCallInfo fcinfo, bool from_summary)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	range_partition *rp = WinGetPartitionLocalMemory(winobj, sizeof(range_partition));
	int64		pos = WinGetCurrentPosition(winobj);
	int			opt = from_summary ? 1 : 2; /* first optional argument */

	if (!rp->ready)
	{
		double		confidence = 0.95;
		bool		bonferroni = true;
		int64		n = WinGetPartitionRowCount(winobj),
					i,
					m = 0;
		bool	   *has;
		double	   *p,
				   *se,
					alpha;
		MemoryContext cxt = GetMemoryChunkContext(rp);
		bool		isnull;

		if (PG_NARGS() > opt)
		{
			Datum		d = WinGetFuncArgCurrent(winobj, opt, &isnull);

			if (isnull || !(DatumGetFloat8(d) > 0.0 && DatumGetFloat8(d) < 1.0))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("confidence %s is out of range", isnull ? "NULL" : psprintf("%g", DatumGetFloat8(d))),
						 errdetail("The confidence level must lie strictly between 0 and 1, e.g. 0.95.")));
			confidence = DatumGetFloat8(d);
		}
		if (PG_NARGS() > opt + 1)
		{
			Datum		d = WinGetFuncArgCurrent(winobj, opt + 1, &isnull);
			char	   *method = isnull ? "NULL" : TextDatumGetCString(d);

			if (!isnull && pg_strcasecmp(method, "bonferroni") == 0)
				bonferroni = true;
			else if (!isnull && pg_strcasecmp(method, "none") == 0)
				bonferroni = false;
			else
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("unknown multiplicity correction \"%s\"", method),
						 errdetail("Known corrections: bonferroni (default), none.")));
		}
		if (n > INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("window partition of %lld rows is too large for sipas rankings", (long long) n)));
		has = MemoryContextAllocZero(cxt, Max(n, 1) * sizeof(bool));
		p = MemoryContextAlloc(cxt, Max(n, 1) * sizeof(double));
		se = MemoryContextAlloc(cxt, Max(n, 1) * sizeof(double));
		rp->best = MemoryContextAlloc(cxt, Max(n, 1) * sizeof(int32));
		rp->worst = MemoryContextAlloc(cxt, Max(n, 1) * sizeof(int32));
		for (i = 0; i < n; i++)
		{
			bool		isout;
			Datum		d = WinGetFuncArgInPartition(winobj, 0, (int) i, WINDOW_SEEK_HEAD,
													 false, &isnull, &isout);

			if (isnull)
				continue;
			if (from_summary)
			{
				lk_summary	s;
				int			from;

				sipas_likert_get(d, &s);
				from = lk_top_two_from(s.k);
				if (!lk_share_from(&s, from, &p[i]))
					continue;
				if (!lk_std_error(&s, from, &se[i]))
					se[i] = NAN;
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
		alpha = 1.0 - confidence;
		if (bonferroni && m > 2)
			alpha /= (double) (m - 1);
		rk_rank_range((size_t) n, has, p, se, lk_qnorm_upper(alpha / 2.0), rp->best, rp->worst);
		pfree(has);
		pfree(p);
		pfree(se);
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
	return rank_range_common(fcinfo, true);
}

Datum
sipas_rank_range_se(PG_FUNCTION_ARGS)
{
	return rank_range_common(fcinfo, false);
}
