/*
 * acc_wire.c - the wire form of one accumulator (lk_acc) inside a parallel
 * partial state, shared by the likert and survey serialize/deserialize
 * functions.
 */
#include "sipas_pg.h"

#include "libpq/pqformat.h"

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
