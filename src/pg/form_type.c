/*
 * form_type.c - sipas.form: one respondent's answers (item code -> level).
 * Text and binary I/O, equality and hashing, accessors n(form) and
 * answers(form).  The stored layout and its checks are in src/core/form.c.
 */
#include "sipas_pg.h"

#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "../core/form.h"

PG_FUNCTION_INFO_V1(form_in);
PG_FUNCTION_INFO_V1(form_out);
PG_FUNCTION_INFO_V1(form_recv);
PG_FUNCTION_INFO_V1(form_send);
PG_FUNCTION_INFO_V1(form_eq);
PG_FUNCTION_INFO_V1(form_ne);
PG_FUNCTION_INFO_V1(form_hash);
PG_FUNCTION_INFO_V1(form_n);
PG_FUNCTION_INFO_V1(form_answers);
PG_FUNCTION_INFO_V1(form_level);

/* used by form_agg.c too */
extern Datum sipas_form_datum(const fm_form *f);

/* palloc0'd varlena of a sorted, valid form: no byte is left uninitialised */
Datum
sipas_form_datum(const fm_form *f)
{
	size_t		len = fm_stored_size(f);
	struct varlena *v = (struct varlena *) palloc0(VARHDRSZ + len);

	SET_VARSIZE(v, VARHDRSZ + len);
	fm_store(f, (unsigned char *) VARDATA(v));
	return PointerGetDatum(v);
}

/* decode a stored form into palloc'd answers */
static void
form_get(Datum d, fm_form *f)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(d);
	const unsigned char *p = (const unsigned char *) VARDATA_ANY(v);
	size_t		len = VARSIZE_ANY_EXHDR(v);
	char		err[LK_ERRBUF];
	int			n;

	if (fm_load_count(p, len, &n, err, sizeof(err)) != LK_OK)
		sipas_corrupt_error("sipas.form", err);
	f->items = palloc(Max(n, 1) * sizeof(fm_answer));
	if (fm_load(p, len, f, err, sizeof(err)) != LK_OK)
		sipas_corrupt_error("sipas.form", err);
}

Datum
form_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char		err[LK_ERRBUF];
	fm_form		f;
	lk_status	st;
	int			n;

	st = fm_parse_count(str, &n, err, sizeof(err));
	if (st == LK_OK)
	{
		f.items = palloc(Max(n, 1) * sizeof(fm_answer));
		st = fm_parse(str, &f, err, sizeof(err));
	}
	if (st != LK_OK)
		sipas_text_input_error(st, "sipas.form", str, 40, err);
	PG_RETURN_DATUM(sipas_form_datum(&f));
}

Datum
form_out(PG_FUNCTION_ARGS)
{
	fm_form		f;
	size_t		size;
	char	   *buf;

	form_get(PG_GETARG_DATUM(0), &f);
	size = fm_text_size(&f);
	buf = palloc(size);
	fm_format(&f, buf, size);
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary format, version 1 (network byte order): uint8 version, int32
 * nitems, then per answer: uint8 code length, code bytes, uint8 k, uint8
 * level.  Answers are sent in code order; any order is accepted.
 */
#define FM_SEND_VERSION 1

Datum
form_send(PG_FUNCTION_ARGS)
{
	fm_form		f;
	StringInfoData buf;
	int			i;

	form_get(PG_GETARG_DATUM(0), &f);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, FM_SEND_VERSION);
	pq_sendint32(&buf, f.nitems);
	for (i = 0; i < f.nitems; i++)
	{
		int			len = (int) strlen(f.items[i].code);

		pq_sendbyte(&buf, len);
		pq_sendbytes(&buf, f.items[i].code, len);
		pq_sendbyte(&buf, f.items[i].k);
		pq_sendbyte(&buf, f.items[i].level);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

pg_noreturn static void
form_recv_error(lk_status st, const char *detail)
{
	sipas_report(st, true, "binary data for type sipas.form", detail);
}

Datum
form_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	char		err[LK_ERRBUF];
	fm_form		f;
	int			n,
				i,
				version;

	if (buf->len - buf->cursor < 5)
	{
		snprintf(err, sizeof(err), "%d bytes, fewer than the 5-byte header", buf->len - buf->cursor);
		form_recv_error(LK_ERR_SYNTAX, err);
	}
	version = pq_getmsgbyte(buf);
	if (version != FM_SEND_VERSION)
	{
		snprintf(err, sizeof(err), "unknown format version %d (this build reads version %d)",
				 version, FM_SEND_VERSION);
		form_recv_error(LK_ERR_SYNTAX, err);
	}
	n = pq_getmsgint(buf, 4);
	/* every answer takes at least 4 bytes: bound n before allocating */
	if (n < 0 || n > FM_MAX_ITEMS || (int64) n * 4 > buf->len - buf->cursor)
	{
		snprintf(err, sizeof(err), "answer count %d is impossible for %d remaining bytes (at most %d answers)",
				 n, buf->len - buf->cursor, FM_MAX_ITEMS);
		form_recv_error(LK_ERR_SYNTAX, err);
	}
	f.nitems = n;
	f.items = palloc(Max(n, 1) * sizeof(fm_answer));
	for (i = 0; i < n; i++)
	{
		fm_answer  *a = &f.items[i];
		int			len,
					k,
					level;

		if (buf->len - buf->cursor < 1)
		{
			snprintf(err, sizeof(err), "truncated at answer %d of %d", i + 1, n);
			form_recv_error(LK_ERR_SYNTAX, err);
		}
		len = pq_getmsgbyte(buf);
		if (len < 1 || len > SV_CODE_MAX || buf->len - buf->cursor < len + 2)
		{
			snprintf(err, sizeof(err), "answer %d of %d: code length %d with %d bytes left (1 to %d bytes, then k and level)",
					 i + 1, n, len, buf->len - buf->cursor, SV_CODE_MAX);
			form_recv_error(LK_ERR_SYNTAX, err);
		}
		pq_copymsgbytes(buf, a->code, len);
		a->code[len] = '\0';
		if (!sv_code_valid(a->code, len))
		{
			snprintf(err, sizeof(err), "answer %d of %d has an invalid item code", i + 1, n);
			form_recv_error(LK_ERR_SYNTAX, err);
		}
		k = pq_getmsgbyte(buf);
		level = pq_getmsgbyte(buf);
		/* the same SQLSTATE as likert_recv and survey_recv: 22003 for a number out of range */
		if (k < LK_MIN_K || k > LK_MAX_K)
		{
			snprintf(err, sizeof(err), "item \"%s\": scale size %d is out of range (%d to %d levels)",
					 a->code, k, LK_MIN_K, LK_MAX_K);
			form_recv_error(LK_ERR_RANGE, err);
		}
		if (level < 1 || level > k)
		{
			snprintf(err, sizeof(err), "item \"%s\": level %d is out of range for a %d-level scale",
					 a->code, level, k);
			form_recv_error(LK_ERR_RANGE, err);
		}
		a->k = (uint8) k;
		a->level = (uint8) level;
	}
	if (buf->cursor != buf->len)
	{
		snprintf(err, sizeof(err), "%d unexpected bytes after the last answer", buf->len - buf->cursor);
		form_recv_error(LK_ERR_SYNTAX, err);
	}
	/* a duplicate is malformed data here: 22P03 */
	if (fm_sort_check(&f, err, sizeof(err)) != LK_OK)
		form_recv_error(LK_ERR_SYNTAX, err);
	PG_RETURN_DATUM(sipas_form_datum(&f));
}

Datum
form_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(sipas_bytes_equal(fcinfo));
}

Datum
form_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!sipas_bytes_equal(fcinfo));
}

Datum
form_hash(PG_FUNCTION_ARGS)
{
	return sipas_bytes_hash(fcinfo);
}

/* ---- accessors ---- */

/* number of answered items: the header's count, checked against the bytes */
Datum
form_n(PG_FUNCTION_ARGS)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	char		err[LK_ERRBUF];
	int			n;

	if (fm_load_count((const unsigned char *) VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), &n,
					  err, sizeof(err)) != LK_OK)
		sipas_corrupt_error("sipas.form", err);
	PG_RETURN_INT32(n);
}

/* the level of one item, NULL when the form has no answer to it */
Datum
form_level(PG_FUNCTION_ARGS)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	text	   *item = PG_GETARG_TEXT_PP(1);
	const char *want = VARDATA_ANY(item);
	int			wantlen = VARSIZE_ANY_EXHDR(item);
	char		err[LK_ERRBUF];
	fm_iter		it;

	if (fm_iter_init(&it, (const unsigned char *) VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v),
					 err, sizeof(err)) != LK_OK)
		sipas_corrupt_error("sipas.form", err);
	for (;;)
	{
		const char *code;
		int			clen,
					k,
					level;
		bool		done;

		if (fm_iter_next(&it, &code, &clen, &k, &level, &done, err, sizeof(err)) != LK_OK)
			sipas_corrupt_error("sipas.form", err);
		if (done)
			break;
		if (clen == wantlen && memcmp(code, want, clen) == 0)
			PG_RETURN_INT32(level);
	}
	PG_RETURN_NULL();
}

/* answers(f) -> (item, level, k) in code order: back to long rows */
Datum
form_answers(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	fm_form		f;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	form_get(PG_GETARG_DATUM(0), &f);
	for (i = 0; i < f.nitems; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = CStringGetTextDatum(f.items[i].code);
		values[1] = Int32GetDatum(f.items[i].level);
		values[2] = Int32GetDatum(f.items[i].k);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
