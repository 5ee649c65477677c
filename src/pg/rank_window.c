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
#include "utils/sortsupport.h"
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
	Oid			period_type = get_fn_expr_argtype(fcinfo->flinfo, 1);
	Oid			unit_type = with_unit ? get_fn_expr_argtype(fcinfo->flinfo, 2) : InvalidOid;
	int16		period_len,
				unit_len = 0;
	bool		period_byval,
				unit_byval = true;
	int64		n,
				i;
	rk_row	   *rows;
	Datum	   *periods,
			   *units = NULL;
	bool	   *period_null,
			   *unit_null = NULL;
	int32	   *ord;
	rk_scratch	sc;
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
	get_typlenbyval(period_type, &period_len, &period_byval);
	if (with_unit)
		get_typlenbyval(unit_type, &unit_len, &unit_byval);

	work = AllocSetContextCreate(CurrentMemoryContext, "sipas rank partition", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(work);
	rows = palloc0(Max(n, 1) * sizeof(rk_row));
	periods = palloc(Max(n, 1) * sizeof(Datum));
	period_null = palloc(Max(n, 1) * sizeof(bool));
	if (with_unit)
	{
		units = palloc(Max(n, 1) * sizeof(Datum));
		unit_null = palloc(Max(n, 1) * sizeof(bool));
	}
	ord = palloc(Max(n, 1) * sizeof(int32));
	sc.keys = palloc(Max(n, 1) * sizeof(uint64));
	sc.tmp_keys = palloc(Max(n, 1) * sizeof(uint64));
	sc.idx = palloc(Max(n, 1) * sizeof(uint32));
	sc.tmp_idx = palloc(Max(n, 1) * sizeof(uint32));

	/* one pass over the partition: every argument of every row */
	for (i = 0; i < n; i++)
	{
		bool		isnull,
					isout;
		Datum		d = WinGetFuncArgInPartition(winobj, 0, (int) i, WINDOW_SEEK_HEAD,
												 false, &isnull, &isout);

		if (!isnull && !isnan(DatumGetFloat8(d)))
		{
			rows[i].has_value = true;
			rows[i].raw = DatumGetFloat8(d);
			rows[i].value = decimals >= 0 && isfinite(rows[i].raw) ?
				publish_round(rows[i].raw, decimals) : rows[i].raw;
		}
		d = WinGetFuncArgInPartition(winobj, 1, (int) i, WINDOW_SEEK_HEAD, false,
									 &period_null[i], &isout);
		periods[i] = period_null[i] ? (Datum) 0 : datumCopy(d, period_byval, period_len);
		if (with_unit)
		{
			d = WinGetFuncArgInPartition(winobj, 2, (int) i, WINDOW_SEEK_HEAD, false,
										 &unit_null[i], &isout);
			units[i] = unit_null[i] ? (Datum) 0 : datumCopy(d, unit_byval, unit_len);
		}
	}
	dense_ordinals(fcinfo, period_type, periods, period_null, n, ord, &sc);
	for (i = 0; i < n; i++)
		rows[i].period = ord[i];
	if (with_unit)
	{
		dense_ordinals(fcinfo, unit_type, units, unit_null, n, ord, &sc);
		for (i = 0; i < n; i++)
			rows[i].unit = ord[i];
	}
	else
		for (i = 0; i < n; i++)
			rows[i].unit = -1;
	MemoryContextSwitchTo(old);

	rp->res = MemoryContextAlloc(GetMemoryChunkContext(rp), Max(n, 1) * sizeof(rk_result));
	dup = rk_rank_periods((size_t) n, rows, rp->res, &sc, &dup_of);
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
		bool		current = st->next_pos == pos;	/* always, in practice */
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
