/*
 * likert_type.c - sipas.likert: datums, text and binary I/O, equality,
 * hashing (the byte functions are in bytes.c) and the btree order.
 *
 * Every input path (text, binary, stored bytes) ends in lk_summary_check
 * or a header check, so no value that data could not have produced gets in.
 */
#include "sipas_pg.h"

#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "../core/lk_text.h"

PG_FUNCTION_INFO_V1(likert_in);
PG_FUNCTION_INFO_V1(likert_out);
PG_FUNCTION_INFO_V1(likert_recv);
PG_FUNCTION_INFO_V1(likert_send);
PG_FUNCTION_INFO_V1(likert_eq);
PG_FUNCTION_INFO_V1(likert_ne);
PG_FUNCTION_INFO_V1(likert_hash);
PG_FUNCTION_INFO_V1(likert_cmp);
PG_FUNCTION_INFO_V1(likert_lt);
PG_FUNCTION_INFO_V1(likert_le);
PG_FUNCTION_INFO_V1(likert_gt);
PG_FUNCTION_INFO_V1(likert_ge);

Datum
sipas_likert_datum(lk_summary *s)
{
	size_t		len;
	struct varlena *v;

	lk_summary_canonicalize(s);
	len = lk_stored_size(s);
	v = (struct varlena *) palloc0(VARHDRSZ + len);
	SET_VARSIZE(v, VARHDRSZ + len);
	lk_store(s, (unsigned char *) VARDATA(v));
	return PointerGetDatum(v);
}

void
sipas_likert_get(Datum d, lk_summary *s)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(d);
	char		err[LK_ERRBUF];
	lk_status	st;

	st = lk_load((const unsigned char *) VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), s, err, sizeof(err));
	if (st != LK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupt sipas.likert value"),
				 errdetail("%s", err)));
}

Datum
likert_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char		err[LK_ERRBUF];
	lk_summary	s;
	lk_status	st;

	st = lk_parse(str, &s, err, sizeof(err));
	if (st != LK_OK)
		sipas_text_input_error(st, "sipas.likert", str, 48, err);
	PG_RETURN_DATUM(sipas_likert_datum(&s));
}

Datum
likert_out(PG_FUNCTION_ARGS)
{
	lk_summary	s;
	char	   *buf = palloc(LK_TEXT_MAX);

	sipas_read_likert_arg(fcinfo, 0, &s);
	lk_format(&s, buf, LK_TEXT_MAX);
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary format, version 1 (network byte order):
 *   uint8 version, uint8 k, uint8 weighted (0/1),
 *   int64 n[k], and if weighted: float8 w[k], float8 w2[k].
 */
#define LK_SEND_VERSION 1

Datum
likert_send(PG_FUNCTION_ARGS)
{
	lk_summary	s;
	StringInfoData buf;

	sipas_read_likert_arg(fcinfo, 0, &s);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, LK_SEND_VERSION);
	sipas_send_summary(&buf, &s);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
recv_error(const char *detail)
{
	sipas_report(LK_ERR_SYNTAX, true, "binary data for type sipas.likert", detail);
}

Datum
likert_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	char		err[LK_ERRBUF];
	lk_summary	s;
	int			version,
				k,
				weighted;
	int			need;

	if (buf->len - buf->cursor < 3)
		recv_error("fewer than 3 header bytes");
	version = pq_getmsgbyte(buf);
	k = pq_getmsgbyte(buf);
	weighted = pq_getmsgbyte(buf);
	if (version != LK_SEND_VERSION)
	{
		snprintf(err, sizeof(err), "unknown format version %d (this build reads version %d)",
				 version, LK_SEND_VERSION);
		recv_error(err);
	}
	if (k < LK_MIN_K || k > LK_MAX_K || weighted > 1)
	{
		snprintf(err, sizeof(err), "corrupt header: k=%d (must be %d to %d), weighted=%d (must be 0 or 1)",
				 k, LK_MIN_K, LK_MAX_K, weighted);
		recv_error(err);
	}
	/* check the length before reading anything sized by k */
	need = k * 8 * (weighted ? 3 : 1);
	if (buf->len - buf->cursor != need)
	{
		snprintf(err, sizeof(err), "expected %d bytes after the header for k=%d, found %d",
				 need, k, buf->len - buf->cursor);
		recv_error(err);
	}
	sipas_recv_summary_data(buf, k, weighted != 0, &s, "binary data for type sipas.likert");
	PG_RETURN_DATUM(sipas_likert_datum(&s));
}

Datum
likert_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(sipas_bytes_equal(fcinfo));
}

Datum
likert_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!sipas_bytes_equal(fcinfo));
}

Datum
likert_hash(PG_FUNCTION_ARGS)
{
	return sipas_bytes_hash(fcinfo);
}

/*
 * A total order, so that DISTINCT, ORDER BY, UNION and merge joins work:
 * by scale size, then counts level by level, then unweighted before
 * weighted, then weight sums and squared weight sums.  It has no
 * statistical meaning; compare satisfaction_index() for that.
 */
static int
cmp_doubles(const double *a, const double *b, int k)
{
	int			i;

	for (i = 0; i < k; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static int
likert_compare(FunctionCallInfo fcinfo)
{
	lk_summary	a,
				b;
	int			i,
				c;

	sipas_read_likert_arg(fcinfo, 0, &a);
	sipas_read_likert_arg(fcinfo, 1, &b);
	if (a.k != b.k)
		return a.k < b.k ? -1 : 1;
	for (i = 0; i < a.k; i++)
		if (a.n[i] != b.n[i])
			return a.n[i] < b.n[i] ? -1 : 1;
	if (a.weighted != b.weighted)
		return a.weighted ? 1 : -1;
	if ((c = cmp_doubles(a.w, b.w, a.k)) != 0)
		return c;
	return cmp_doubles(a.w2, b.w2, a.k);
}

Datum
likert_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(likert_compare(fcinfo));
}

Datum
likert_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(likert_compare(fcinfo) < 0);
}

Datum
likert_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(likert_compare(fcinfo) <= 0);
}

Datum
likert_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(likert_compare(fcinfo) > 0);
}

Datum
likert_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(likert_compare(fcinfo) >= 0);
}
