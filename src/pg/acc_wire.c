/*
 * acc_wire.c - the wire forms the likert and survey functions share: one
 * accumulator (lk_acc) inside a parallel partial state (serialize /
 * deserialize), one summary (lk_summary) inside the binary form of a value
 * (send / recv), and the read cursor over a serialized state.
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

/*
 * The wire form of one summary, shared by likert_send/recv (after the
 * version byte) and survey_send/recv (per item, after the code):
 * uint8 k, uint8 weighted, int64 n[k], and if weighted float8 w[k], w2[k].
 */
void
sipas_send_summary(StringInfo buf, const lk_summary *s)
{
	int			i;

	pq_sendbyte(buf, s->k);
	pq_sendbyte(buf, s->weighted ? 1 : 0);
	for (i = 0; i < s->k; i++)
		pq_sendint64(buf, s->n[i]);
	if (s->weighted)
	{
		for (i = 0; i < s->k; i++)
			pq_sendfloat8(buf, s->w[i]);
		for (i = 0; i < s->k; i++)
			pq_sendfloat8(buf, s->w2[i]);
	}
}

/*
 * Read the counts and weight sums of a summary whose header (k, weighted)
 * the caller has read and checked, with the bytes for them known to be
 * there; then check the values (lk_summary_check), reporting a bad one as
 * 'what' (22P03, or 22003 for a number out of range).
 */
void
sipas_recv_summary_data(StringInfo buf, int k, bool weighted, lk_summary *s, const char *what)
{
	char		err[LK_ERRBUF];
	lk_status	st;
	int			i;

	lk_summary_init(s, k);
	s->weighted = weighted;
	for (i = 0; i < k; i++)
		s->n[i] = pq_getmsgint64(buf);
	if (weighted)
	{
		for (i = 0; i < k; i++)
			s->w[i] = pq_getmsgfloat8(buf);
		for (i = 0; i < k; i++)
			s->w2[i] = pq_getmsgfloat8(buf);
	}
	if ((st = lk_summary_check(s, err, sizeof(err))) != LK_OK)
		sipas_report(st, true, what, err);
}

/* a read cursor over the bytes of a serialized partial state (no copy) */
void
sipas_state_buf(bytea *b, StringInfo buf)
{
	buf->data = VARDATA_ANY(b);
	buf->len = VARSIZE_ANY_EXHDR(b);
	buf->maxlen = buf->len;
	buf->cursor = 0;
}
