/*
 * likert_agg.c - the aggregates likert_agg, satisfaction_index and rollup:
 * transition, inverse (moving windows), combine, serialize, deserialize and
 * final functions over an lk_acc state kept in the aggregate context.
 *
 * The transition functions always return a state, even for a NULL score,
 * because a moving aggregate's state must never be NULL; final functions
 * return NULL for a state without answers, so "no answers" reads as NULL
 * whichever way the rows arrived.
 */
#include "sipas_pg.h"

#include <math.h>

#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "../core/lk_index.h"

PG_FUNCTION_INFO_V1(likert_rollup_trans);
PG_FUNCTION_INFO_V1(likert_rollup_inv);
PG_FUNCTION_INFO_V1(likert_combine);
PG_FUNCTION_INFO_V1(likert_serialize);
PG_FUNCTION_INFO_V1(likert_deserialize);
PG_FUNCTION_INFO_V1(likert_final);
PG_FUNCTION_INFO_V1(likert_index_final);

static lk_acc *
acc_new(MemoryContext cxt, int k, bool weighted)
{
	lk_acc	   *acc = MemoryContextAlloc(cxt, lk_acc_size(k, weighted));

	lk_acc_init(acc, k, weighted);
	return acc;
}

static lk_acc *
acc_copy(MemoryContext cxt, const lk_acc *src)
{
	size_t		size = lk_acc_size(src->k, src->weighted);
	lk_acc	   *acc = MemoryContextAlloc(cxt, size);

	memcpy(acc, src, size);
	return acc;
}

/* ---- unweighted transition: the hot path ---- */

static pg_attribute_always_inline Datum
trans_plain(FunctionCallInfo fcinfo, int32 score, bool isnull)
{
	lk_acc	   *acc;

	if (likely(!PG_ARGISNULL(0)))
		acc = (lk_acc *) PG_GETARG_POINTER(0);
	else
		acc = acc_new(sipas_agg_context(fcinfo, "likert_trans"), LK_DEFAULT_K, false);
	if (isnull)
		PG_RETURN_POINTER(acc);
	if (unlikely(score < 1 || score > acc->k))
		sipas_score_error(score, acc->k, NULL);
	if (unlikely(lk_acc_add(acc, score) != LK_OK))
		sipas_overflow_error();
	PG_RETURN_POINTER(acc);
}

/* likert_trans_int2, likert_trans_int4 */
SIPAS_SCORE_ENTRY_POINTS(likert_trans, trans_plain, 1);

/*
 * ---- weighted transition, with optional scale size (argument 3) ----
 * The scale size is an argument of the aggregate, not of the answer: it is
 * checked on every row, whatever the score, so likert_agg(NULL, 1, 99)
 * raises like likert_agg(3, 1, 99) does (doc/reference.md, "Arguments").
 * The weight belongs to the answer and is checked only with one.
 */

static pg_attribute_always_inline Datum
trans_weighted(FunctionCallInfo fcinfo, int32 score, bool isnull)
{
	lk_acc	   *acc;
	double		w;

	if (likely(!PG_ARGISNULL(0)))
	{
		acc = (lk_acc *) PG_GETARG_POINTER(0);
		if (PG_NARGS() > 3)
		{
			int			k = sipas_arg_scale_size(fcinfo, 3);

			if (k != acc->k)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("scale size changed from %d to %d within one aggregate", acc->k, k),
						 errdetail("The scale size argument must be the same for every row of a group.")));
		}
	}
	else
		acc = acc_new(sipas_agg_context(fcinfo, "likert_trans"), sipas_arg_scale_size(fcinfo, 3), true);
	if (isnull)
		PG_RETURN_POINTER(acc);
	if (unlikely(score < 1 || score > acc->k))
		sipas_score_error(score, acc->k, NULL);
	sipas_check_weight(fcinfo, 2, score, NULL, &w);
	if (unlikely(lk_acc_add_weighted(acc, score, w) != LK_OK))
		sipas_overflow_error();
	PG_RETURN_POINTER(acc);
}

/* likert_wtrans_int2, likert_wtrans_int4 */
SIPAS_SCORE_ENTRY_POINTS(likert_wtrans, trans_weighted, 1);

/*
 * ---- inverse transitions ----
 * The executor removes only rows it added before, in the same order, so the
 * score is in range and the weight valid; counts invert exactly and weight
 * sums are double-double, reset to exact zero when a level empties.
 * Returning NULL makes the executor recompute the frame from scratch.
 */

static pg_attribute_always_inline Datum
inv_plain(FunctionCallInfo fcinfo, int32 score, bool isnull)
{
	lk_acc	   *acc = (lk_acc *) PG_GETARG_POINTER(0);

	if (!isnull)
		lk_acc_remove(acc, score);
	PG_RETURN_POINTER(acc);
}

static pg_attribute_always_inline Datum
inv_weighted(FunctionCallInfo fcinfo, int32 score, bool isnull)
{
	lk_acc	   *acc = (lk_acc *) PG_GETARG_POINTER(0);

	if (!isnull && !lk_acc_remove_weighted(acc, score, PG_GETARG_FLOAT8(2)))
		PG_RETURN_NULL();		/* precision at risk: the executor recomputes */
	PG_RETURN_POINTER(acc);
}

/* likert_inv_int2, likert_inv_int4, likert_winv_int2, likert_winv_int4 */
SIPAS_SCORE_ENTRY_POINTS(likert_inv, inv_plain, 1);
SIPAS_SCORE_ENTRY_POINTS(likert_winv, inv_weighted, 1);

/* ---- rollup: merging stored summaries ---- */

/*
 * A rollup state starts with k = 0 ("scale not known yet") when its first
 * input is NULL, and is replaced by a real state on the first summary.
 *
 * In a moving window the scale belongs to the summaries in the frame, not
 * to the state: once the last of them has left, the scale is unknown
 * again, and the next summary may bring any scale, as when the frame is
 * aggregated afresh.  The state cannot tell an emptied frame (all counts 0)
 * from a frame that still holds summaries without answers (also all 0,
 * and they do fix the scale), so likert_rollup_inv asks the executor to
 * recompute the frame whenever the counts reach zero: the recomputation
 * sees exactly the summaries in the frame.
 */
Datum
likert_rollup_trans(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = sipas_agg_context(fcinfo, "likert_rollup_trans");
	lk_acc	   *acc = PG_ARGISNULL(0) ? NULL : (lk_acc *) PG_GETARG_POINTER(0);
	lk_summary	s;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(acc ? acc : acc_new(cxt, 0, false));
	sipas_read_likert_arg(fcinfo, 1, &s);
	if (acc == NULL || acc->k == 0)
		acc = acc_new(cxt, s.k, s.weighted);
	else if (acc->k != s.k)
		sipas_scale_mismatch_error(acc->k, s.k);
	else if (s.weighted && !acc->weighted)
	{
		lk_acc	   *up = acc_new(cxt, acc->k, true);

		lk_acc_upgrade(up, acc);
		pfree(acc);
		acc = up;
	}
	if (lk_acc_merge_summary(acc, &s) != LK_OK)
		sipas_overflow_error();
	PG_RETURN_POINTER(acc);
}

Datum
likert_rollup_inv(PG_FUNCTION_ARGS)
{
	lk_acc	   *acc = (lk_acc *) PG_GETARG_POINTER(0);
	lk_summary	s;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(acc);
	sipas_read_likert_arg(fcinfo, 1, &s);
	if (acc->k != s.k || !lk_acc_unmerge_summary(acc, &s))
		PG_RETURN_NULL();		/* cannot invert: the executor recomputes */
	if (lk_acc_is_empty(acc))
		PG_RETURN_NULL();		/* the scale may be unknown again: recompute */
	PG_RETURN_POINTER(acc);
}

/* ---- parallel aggregation ---- */

Datum
likert_combine(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = sipas_agg_context(fcinfo, "likert_combine");
	lk_acc	   *dst = PG_ARGISNULL(0) ? NULL : (lk_acc *) PG_GETARG_POINTER(0);
	lk_acc	   *src = PG_ARGISNULL(1) ? NULL : (lk_acc *) PG_GETARG_POINTER(1);

	if (src == NULL || src->k == 0)
		PG_RETURN_POINTER(dst);
	/* src may live in a per-tuple context (deserialized): copy it */
	if (dst == NULL || dst->k == 0)
		PG_RETURN_POINTER(acc_copy(cxt, src));
	if (dst->k != src->k)
		sipas_scale_mismatch_error(dst->k, src->k);
	if (src->weighted && !dst->weighted)
	{
		lk_acc	   *up = acc_new(cxt, dst->k, true);

		lk_acc_upgrade(up, dst);
		dst = up;
	}
	if (lk_acc_merge(dst, src) != LK_OK)
		sipas_overflow_error();
	PG_RETURN_POINTER(dst);
}

/*
 * Partial-state format, version 1 (network byte order; it may cross
 * machines one day): uint8 version, uint8 k (0 = no scale yet),
 * uint8 weighted, int64 n[k], and if weighted float8 w_hi[k], w_lo[k],
 * w2_hi[k], w2_lo[k].
 */
#define LK_STATE_VERSION 1

Datum
likert_serialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, LK_STATE_VERSION);
	sipas_send_acc(&buf, (lk_acc *) PG_GETARG_POINTER(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
likert_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	lk_acc	   *acc;

	(void) sipas_agg_context(fcinfo, "likert_deserialize");
	sipas_state_buf(b, &buf);
	if (buf.len < 1 || pq_getmsgbyte(&buf) != LK_STATE_VERSION)
		elog(ERROR, "corrupt sipas partial state: unknown version");
	acc = sipas_recv_acc(&buf, CurrentMemoryContext, true);
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(acc);
}

/* ---- final functions (read-only: windows finalize one state many times) ---- */

static bool
final_summary(FunctionCallInfo fcinfo, lk_summary *s)
{
	lk_acc	   *acc;

	if (PG_ARGISNULL(0))
		return false;
	acc = (lk_acc *) PG_GETARG_POINTER(0);
	if (acc->k == 0)
		return false;
	lk_acc_to_summary(acc, s);
	return lk_summary_n(s) > 0;
}

Datum
likert_final(PG_FUNCTION_ARGS)
{
	lk_summary	s;

	if (!final_summary(fcinfo, &s))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(sipas_likert_datum(&s));
}

Datum
likert_index_final(PG_FUNCTION_ARGS)
{
	lk_summary	s;
	double		pct;

	if (!final_summary(fcinfo, &s) || !lk_index(&s, &pct))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(pct);
}
