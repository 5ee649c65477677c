/*
 * survey_type.c - sipas.survey: the histograms of every item of a survey.
 * Text and binary I/O, equality.
 */
#include "sipas_pg.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(survey_in);
PG_FUNCTION_INFO_V1(survey_out);
PG_FUNCTION_INFO_V1(survey_recv);
PG_FUNCTION_INFO_V1(survey_send);
PG_FUNCTION_INFO_V1(survey_eq);
PG_FUNCTION_INFO_V1(survey_ne);
PG_FUNCTION_INFO_V1(survey_hash);

Datum
sipas_survey_datum(const sv_summary *s)
{
	size_t		len = sv_stored_size(s);
	struct varlena *v = (struct varlena *) palloc0(VARHDRSZ + len);

	SET_VARSIZE(v, VARHDRSZ + len);
	sv_store(s, (unsigned char *) VARDATA(v));
	return PointerGetDatum(v);
}

void
sipas_survey_get(Datum d, sv_summary *s)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(d);
	const unsigned char *p = (const unsigned char *) VARDATA_ANY(v);
	size_t		len = VARSIZE_ANY_EXHDR(v);
	char		err[LK_ERRBUF];
	int			n;

	if (sv_load_count(p, len, &n, err, sizeof(err)) != LK_OK)
		goto corrupt;
	s->items = palloc(Max(n, 1) * sizeof(sv_item));
	s->forms = sv_stored_has_forms(p, len) ? palloc(sv_forms_storage(n)) : NULL;
	if (sv_load(p, len, s, err, sizeof(err)) != LK_OK)
		goto corrupt;
	return;
corrupt:
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("corrupt sipas.survey value"),
			 errdetail("%s", err)));
}

Datum
survey_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char		err[LK_ERRBUF];
	sv_summary	s;
	lk_status	st;
	int			n;

	st = sv_parse_count(str, &n, err, sizeof(err));
	if (st == LK_OK)
	{
		s.items = palloc(Max(n, 1) * sizeof(sv_item));
		st = sv_parse(str, &s, err, sizeof(err));
	}
	if (st != LK_OK)
	{
		char		what[96];

		int			clip = pg_mbcliplen(str, strlen(str), 40);

		snprintf(what, sizeof(what), "input syntax for type sipas.survey: \"%.*s%s\"",
				 clip, str, strlen(str) > (size_t) clip ? "..." : "");
		sipas_report(st, false, what, err);
	}
	PG_RETURN_DATUM(sipas_survey_datum(&s));
}

Datum
survey_out(PG_FUNCTION_ARGS)
{
	sv_summary	s;
	size_t		size;
	char	   *buf;

	sipas_survey_get(PG_GETARG_DATUM(0), &s);
	size = sv_text_size(&s);
	buf = palloc(size);
	sv_format(&s, buf, size);
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary format, version 1 (network byte order): uint8 version, int32
 * nitems, then per item: int32 code length, code bytes, and the item's
 * sipas.likert binary form (see likert_send) as int32 length + bytes.
 */
#define SV_SEND_VERSION 1

Datum
survey_send(PG_FUNCTION_ARGS)
{
	sv_summary	s;
	StringInfoData buf;
	int			i,
				j;

	sipas_survey_get(PG_GETARG_DATUM(0), &s);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SV_SEND_VERSION);
	pq_sendint32(&buf, s.nitems);
	for (i = 0; i < s.nitems; i++)
	{
		lk_summary *l = &s.items[i].s;
		int			len = (int) strlen(s.items[i].code);

		pq_sendint32(&buf, len);
		pq_sendbytes(&buf, s.items[i].code, len);
		pq_sendbyte(&buf, l->k);
		pq_sendbyte(&buf, l->weighted ? 1 : 0);
		for (j = 0; j < l->k; j++)
			pq_sendint64(&buf, l->n[j]);
		if (l->weighted)
		{
			for (j = 0; j < l->k; j++)
				pq_sendfloat8(&buf, l->w[j]);
			for (j = 0; j < l->k; j++)
				pq_sendfloat8(&buf, l->w2[j]);
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
survey_recv_error(const char *detail)
{
	sipas_report(LK_ERR_SYNTAX, true, "binary data for type sipas.survey", detail);
}

Datum
survey_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	char		err[LK_ERRBUF];
	sv_summary	s;
	int			n,
				i,
				j;

	if (buf->len - buf->cursor < 5)
		survey_recv_error("fewer than 5 header bytes");
	if (pq_getmsgbyte(buf) != SV_SEND_VERSION)
		survey_recv_error("unknown format version");
	n = pq_getmsgint(buf, 4);
	/* every item takes at least 4 + 1 + 2 + 16 bytes: bound n before allocating */
	if (n < 0 || n > SV_MAX_ITEMS || (int64) n * 23 > buf->len - buf->cursor)
	{
		snprintf(err, sizeof(err), "item count %d is impossible for %d remaining bytes (at most %d items)",
				 n, buf->len - buf->cursor, SV_MAX_ITEMS);
		survey_recv_error(err);
	}
	s.nitems = n;
	s.items = palloc(Max(n, 1) * sizeof(sv_item));
	for (i = 0; i < n; i++)
	{
		sv_item    *it = &s.items[i];
		lk_status	st;
		int			len,
					k,
					weighted;

		if (buf->len - buf->cursor < 4)
			survey_recv_error("truncated item");
		len = pq_getmsgint(buf, 4);
		if (len < 1 || len > SV_CODE_MAX || buf->len - buf->cursor < len + 2)
			survey_recv_error("corrupt item code length");
		pq_copymsgbytes(buf, it->code, len);
		it->code[len] = '\0';
		if (!sv_code_valid(it->code, len))
			survey_recv_error("invalid item code");
		k = pq_getmsgbyte(buf);
		weighted = pq_getmsgbyte(buf);
		if (k < LK_MIN_K || k > LK_MAX_K || weighted > 1 ||
			buf->len - buf->cursor < k * 8 * (weighted ? 3 : 1))
		{
			snprintf(err, sizeof(err), "item \"%s\": corrupt header or truncated data (k=%d)", it->code, k);
			survey_recv_error(err);
		}
		lk_summary_init(&it->s, k);
		it->s.weighted = weighted != 0;
		for (j = 0; j < k; j++)
			it->s.n[j] = pq_getmsgint64(buf);
		if (weighted)
		{
			for (j = 0; j < k; j++)
				it->s.w[j] = pq_getmsgfloat8(buf);
			for (j = 0; j < k; j++)
				it->s.w2[j] = pq_getmsgfloat8(buf);
		}
		/* the same SQLSTATE as likert_recv: 22003 for a number out of range */
		if ((st = lk_summary_check(&it->s, err, sizeof(err))) != LK_OK)
			sipas_report(st, true, "binary data for type sipas.survey", err);
		lk_summary_canonicalize(&it->s);
	}
	if (buf->cursor != buf->len)
		survey_recv_error("unexpected bytes after the last item");
	if (sv_sort_check(&s, err, sizeof(err)) != LK_OK)
		survey_recv_error(err);
	PG_RETURN_DATUM(sipas_survey_datum(&s));
}

Datum
survey_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(sipas_args_bytes_equal(fcinfo));
}

Datum
survey_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!sipas_args_bytes_equal(fcinfo));
}

Datum
survey_hash(PG_FUNCTION_ARGS)
{
	return sipas_arg_bytes_hash(fcinfo);
}
