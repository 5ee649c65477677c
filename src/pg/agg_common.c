/*
 * agg_common.c - what the likert and survey aggregates share: their error
 * reports for bad answers, the wire form of one accumulator inside a
 * partial state, and byte equality of canonical values.
 */
#include "sipas_pg.h"

#include "common/hashfn.h"
#include "libpq/pqformat.h"

void
sipas_overflow_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("sipas count or weight sum out of range"),
			 errdetail("Counts are limited to 9223372036854775807 and weight sums must stay finite.")));
}

void
sipas_score_error(int32 score, int k, const char *item)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 item ? errmsg("score %d of item \"%s\" is out of range for a %d-level scale", score, item, k)
			 : errmsg("score %d is out of range for a %d-level scale", score, k),
			 errdetail("Scores must be whole numbers from 1 to %d; a NULL score means no answer.", k),
			 errhint("Store blank or invalid answers as NULL, or filter them with FILTER (WHERE ...).")));
}

void
sipas_weight_error(double w, int32 score, const char *item, bool isnull)
{
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 item ? errmsg("weight of score %d of item \"%s\" is NULL", score, item)
				 : errmsg("weight of score %d is NULL", score),
				 errdetail("Every answer given needs a weight; a NULL score (no answer) may have a NULL weight.")));
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 item ? errmsg("weight %g of score %d of item \"%s\" is not allowed", w, score, item)
			 : errmsg("weight %g of score %d is not allowed", w, score),
			 errdetail("Weights must be finite and not negative.")));
}

/* uint8 k, uint8 weighted, int64 n[k], and if weighted 4k float8 */
void
sipas_send_acc(StringInfo buf, const lk_acc *a)
{
	int			i;

	pq_sendbyte(buf, a->k);
	pq_sendbyte(buf, a->weighted);
	for (i = 0; i < a->k; i++)
		pq_sendint64(buf, a->n[i]);
	if (a->weighted)
	{
		const double *d = (const double *) (a->n + a->k);

		for (i = 0; i < 4 * a->k; i++)
			pq_sendfloat8(buf, d[i]);
	}
}

/*
 * Read what sipas_send_acc wrote, into memory from cxt.  The bytes come
 * from our own serialize functions, but lengths are still checked before
 * anything is allocated.  k = 0 (an empty rollup state) is allowed only
 * where the caller says so.
 */
lk_acc *
sipas_recv_acc(StringInfo buf, MemoryContext cxt, bool allow_empty)
{
	int			k,
				weighted,
				i;
	lk_acc	   *a;

	if (buf->len - buf->cursor < 2)
		elog(ERROR, "corrupt sipas partial state: truncated accumulator");
	k = pq_getmsgbyte(buf);
	weighted = pq_getmsgbyte(buf);
	if ((k == 0 ? !allow_empty : (k < LK_MIN_K || k > LK_MAX_K)) || weighted > 1 ||
		buf->len - buf->cursor < k * 8 * (weighted ? 5 : 1))
		elog(ERROR, "corrupt sipas partial state (k %d, weighted %d, %d bytes left)",
			 k, weighted, buf->len - buf->cursor);
	a = MemoryContextAlloc(cxt, lk_acc_size(k, weighted));
	lk_acc_init(a, k, weighted);
	for (i = 0; i < k; i++)
		a->n[i] = pq_getmsgint64(buf);
	if (weighted)
	{
		double	   *d = lk_acc_w_hi(a);

		for (i = 0; i < 4 * k; i++)
			d[i] = pq_getmsgfloat8(buf);
	}
	return a;
}

/* values are canonical: equal values have equal bytes */
bool
sipas_args_bytes_equal(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_GETARG_VARLENA_PP(0);
	struct varlena *b = PG_GETARG_VARLENA_PP(1);

	return VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
}

/* hash of the canonical bytes: consistent with sipas_args_bytes_equal */
Datum
sipas_arg_bytes_hash(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_GETARG_VARLENA_PP(0);

	return hash_any((const unsigned char *) VARDATA_ANY(a), VARSIZE_ANY_EXHDR(a));
}
