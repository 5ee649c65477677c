/*
 * survey_type.c - sipas.survey: the histograms of every item of a survey,
 * and for summaries built from forms their respondent-level moments.
 * Text and binary I/O, equality; respondents(), contrast_std_error() and
 * the comprehensive index read off the forms section.
 */
#include "sipas_pg.h"

#include "catalog/pg_type.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "../core/lk_index.h"
#include "../core/moments.h"

PG_FUNCTION_INFO_V1(survey_in);
PG_FUNCTION_INFO_V1(survey_out);
PG_FUNCTION_INFO_V1(survey_recv);
PG_FUNCTION_INFO_V1(survey_send);
PG_FUNCTION_INFO_V1(survey_eq);
PG_FUNCTION_INFO_V1(survey_ne);
PG_FUNCTION_INFO_V1(survey_hash);
PG_FUNCTION_INFO_V1(survey_respondents);
PG_FUNCTION_INFO_V1(survey_contrast_std_error);
PG_FUNCTION_INFO_V1(survey_comprehensive_index);
PG_FUNCTION_INFO_V1(survey_comprehensive_std_error);

Datum
sipas_survey_datum(const sv_summary *s)
{
	return sipas_survey_datum_rows(s, NULL, NULL);
}

Datum
sipas_survey_datum_rows(const sv_summary *s, sv_pair_row_fn row, void *arg)
{
	/* one pass over the pairs: room for the bound, the length as written */
	struct varlena *v = (struct varlena *) palloc(VARHDRSZ + sv_stored_bound(s));

	SET_VARSIZE(v, VARHDRSZ + sv_store_rows(s, row, arg, (unsigned char *) VARDATA(v)));
	return PointerGetDatum(v);
}

static void
survey_get(Datum d, sv_summary *s, bool items_only)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(d);
	const unsigned char *p = (const unsigned char *) VARDATA_ANY(v);
	size_t		len = VARSIZE_ANY_EXHDR(v);
	char		err[LK_ERRBUF];
	int			n;
	lk_status	st;

	if (sv_load_count(p, len, &n, err, sizeof(err)) != LK_OK)
		goto corrupt;
	s->items = palloc(Max(n, 1) * sizeof(sv_item));
	if (items_only)
	{
		s->forms = NULL;
		st = sv_load_items(p, len, s, err, sizeof(err));
	}
	else
	{
		s->forms = sv_stored_has_forms(p, len) ? palloc(sv_forms_storage(n)) : NULL;
		st = sv_load(p, len, s, err, sizeof(err));
	}
	if (st != LK_OK)
		goto corrupt;
	return;
corrupt:
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("corrupt sipas.survey value"),
			 errdetail("%s", err)));
}

void
sipas_survey_get(Datum d, sv_summary *s)
{
	survey_get(d, s, false);
}

void
sipas_survey_get_items(Datum d, sv_summary *s)
{
	survey_get(d, s, true);
}

Datum
survey_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char		err[LK_ERRBUF];
	sv_summary	s;
	lk_status	st;
	int			n;
	bool		too_many;

	st = sv_parse_count_limit(str, &n, &too_many, err, sizeof(err));
	if (st != LK_OK && too_many)
		sipas_too_many_items_error();
	if (st == LK_OK)
	{
		s.items = palloc(Max(n, 1) * sizeof(sv_item));
		s.forms = sv_text_has_forms(str) ? palloc(sv_forms_storage(n)) : NULL;
		st = sv_parse(str, &s, err, sizeof(err));
	}
	if (st != LK_OK)
		sipas_text_input_error(st, "sipas.survey", str, 40, err);
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
 * nitems, then per item: int32 code length, code bytes, uint8 k, uint8
 * weighted, int64 n[k], and if weighted float8 w[k], w2[k].
 * Version 2 (summaries with a forms section; items in code order) goes on:
 * uint8 weighted, int64 n, answering, all_sat, if weighted 6 float8 (w, w2,
 * answering_w, answering_w2, all_sat_w, all_sat_w2), then per pair j < k
 * (sv_pair order) aa, sa, as, ss as int64 (unweighted) or float8.
 */
#define SV_SEND_VERSION 1
#define SV_SEND_VERSION_FORMS 2

Datum
survey_send(PG_FUNCTION_ARGS)
{
	sv_summary	s;
	StringInfoData buf;
	int			i;

	sipas_survey_get(PG_GETARG_DATUM(0), &s);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, s.forms ? SV_SEND_VERSION_FORMS : SV_SEND_VERSION);
	pq_sendint32(&buf, s.nitems);
	for (i = 0; i < s.nitems; i++)
	{
		int			len = (int) strlen(s.items[i].code);

		pq_sendint32(&buf, len);
		pq_sendbytes(&buf, s.items[i].code, len);
		sipas_send_summary(&buf, &s.items[i].s);
	}
	if (s.forms)
	{
		sv_forms   *f = s.forms;
		int64		p,
					np = 4 * sv_npairs(s.nitems);

		pq_sendbyte(&buf, f->weighted ? 1 : 0);
		pq_sendint64(&buf, f->n);
		pq_sendint64(&buf, f->answering);
		pq_sendint64(&buf, f->all_sat);
		if (f->weighted)
		{
			pq_sendfloat8(&buf, f->w);
			pq_sendfloat8(&buf, f->w2);
			pq_sendfloat8(&buf, f->answering_w);
			pq_sendfloat8(&buf, f->answering_w2);
			pq_sendfloat8(&buf, f->all_sat_w);
			pq_sendfloat8(&buf, f->all_sat_w2);
		}
		for (p = 0; p < np; p++)
		{
			if (f->weighted)
				pq_sendfloat8(&buf, f->pair[p].w);
			else
				pq_sendint64(&buf, f->pair[p].n);
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
				version;

	if (buf->len - buf->cursor < 5)
		survey_recv_error("fewer than 5 header bytes");
	version = pq_getmsgbyte(buf);
	if (version != SV_SEND_VERSION && version != SV_SEND_VERSION_FORMS)
		survey_recv_error("unknown format version");
	n = pq_getmsgint(buf, 4);
	/*
	 * More items than a summary holds, with the bytes to carry them: the
	 * program limit (54000) of the text input and the aggregates, not corrupt
	 * data.
	 */
	if (n > SV_MAX_ITEMS && (int64) n * 23 <= buf->len - buf->cursor)
		sipas_too_many_items_error();
	/* every item takes at least 4 + 1 + 2 + 16 bytes: bound n before allocating */
	if (n < 0 || n > SV_MAX_ITEMS || (int64) n * 23 > buf->len - buf->cursor)
	{
		snprintf(err, sizeof(err), "item count %d is impossible for %d remaining bytes (at most %d items)",
				 n, buf->len - buf->cursor, SV_MAX_ITEMS);
		survey_recv_error(err);
	}
	s.nitems = n;
	s.items = palloc(Max(n, 1) * sizeof(sv_item));
	s.forms = NULL;
	for (i = 0; i < n; i++)
	{
		sv_item    *it = &s.items[i];
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
		/* the same SQLSTATE as likert_recv: 22003 for a number out of range */
		sipas_recv_summary_data(buf, k, weighted != 0, &it->s, "binary data for type sipas.survey");
		lk_summary_canonicalize(&it->s);
	}
	if (version == SV_SEND_VERSION_FORMS)
	{
		int64		np = 4 * sv_npairs(n),
					p;
		int			weighted;
		sv_forms   *f;
		lk_status	st;

		/* the pairs follow the items' order: it must be code order already */
		for (i = 1; i < n; i++)
			if (sv_code_cmp(s.items[i - 1].code, s.items[i].code) >= 0)
				survey_recv_error("items of a summary with forms must be unique and in code order");
		if (buf->len - buf->cursor < 25)
			survey_recv_error("truncated forms section");
		weighted = pq_getmsgbyte(buf);
		if (weighted > 1 || (int64) (buf->len - buf->cursor) != 24 + (weighted ? 48 : 0) + 8 * np)
			survey_recv_error("forms section of the wrong length");
		f = s.forms = palloc(sv_forms_storage(n));
		f->weighted = weighted != 0;
		f->m = n;
		f->n = pq_getmsgint64(buf);
		f->answering = pq_getmsgint64(buf);
		f->all_sat = pq_getmsgint64(buf);
		if (weighted)
		{
			f->w = pq_getmsgfloat8(buf);
			f->w2 = pq_getmsgfloat8(buf);
			f->answering_w = pq_getmsgfloat8(buf);
			f->answering_w2 = pq_getmsgfloat8(buf);
			f->all_sat_w = pq_getmsgfloat8(buf);
			f->all_sat_w2 = pq_getmsgfloat8(buf);
			/* -0 -> +0, as the text input and the stored form give it */
			if (f->w == 0.0)
				f->w = 0.0;
			if (f->w2 == 0.0)
				f->w2 = 0.0;
			if (f->answering_w == 0.0)
				f->answering_w = 0.0;
			if (f->answering_w2 == 0.0)
				f->answering_w2 = 0.0;
			if (f->all_sat_w == 0.0)
				f->all_sat_w = 0.0;
			if (f->all_sat_w2 == 0.0)
				f->all_sat_w2 = 0.0;
		}
		else
		{
			f->w = f->w2 = (double) f->n;
			f->answering_w = f->answering_w2 = (double) f->answering;
			f->all_sat_w = f->all_sat_w2 = (double) f->all_sat;
		}
		for (p = 0; p < np; p++)
		{
			if (weighted)
			{
				f->pair[p].w = pq_getmsgfloat8(buf);
				if (f->pair[p].w == 0.0)
					f->pair[p].w = 0.0;
			}
			else
				f->pair[p].n = pq_getmsgint64(buf);
		}
		if ((st = sv_forms_check(&s, err, sizeof(err))) != LK_OK)
			sipas_report(st, true, "binary data for type sipas.survey", err);
	}
	if (buf->cursor != buf->len)
		survey_recv_error("unexpected bytes after the last item");
	if (!s.forms && sv_sort_check(&s, err, sizeof(err)) != LK_OK)
		survey_recv_error(err);
	PG_RETURN_DATUM(sipas_survey_datum(&s));
}

Datum
survey_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(sipas_bytes_equal(fcinfo));
}

Datum
survey_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!sipas_bytes_equal(fcinfo));
}

Datum
survey_hash(PG_FUNCTION_ARGS)
{
	return sipas_bytes_hash(fcinfo);
}

/* ---- figures of the forms section ---- */

/* number of forms of a summary built from forms; NULL for one built from answer rows */
Datum
survey_respondents(PG_FUNCTION_ARGS)
{
	sv_summary	s;

	sipas_survey_get(PG_GETARG_DATUM(0), &s);
	if (s.forms == NULL)
		PG_RETURN_NULL();
	PG_RETURN_INT64(s.forms->n);
}

/*
 * contrast_std_error(s, items text[], coefs float8[]): the clustered
 * standard error, in points, of sum coef_j * index_j (index_j in percent).
 * NULL when an item with a non-zero coefficient has no answer in the
 * summary, or the summary has a single form; an error, with a hint, for a
 * summary built from answer rows.
 */
Datum
survey_contrast_std_error(PG_FUNCTION_ARGS)
{
	ArrayType  *items = PG_GETARG_ARRAYTYPE_P(1);
	ArrayType  *coefs = PG_GETARG_ARRAYTYPE_P(2);
	Datum	   *iv,
			   *cv;
	bool	   *in,
			   *cn;
	int			ni,
				nc,
				i;
	sv_summary	s;
	double	   *c,
				var;
	sv_var_status st;

	sipas_survey_get(PG_GETARG_DATUM(0), &s);
	if (s.forms == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the survey summary has no respondent-level moments"),
				 errdetail("It was built from answer rows, which do not say which answers share a form."),
				 errhint("Build it with survey_agg(form [, weight]) over sipas.form values (form_agg(item, score) makes them).")));
	if (ARR_NDIM(items) > 1 || ARR_NDIM(coefs) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("items and coefficients must be one-dimensional arrays")));
	deconstruct_array(items, TEXTOID, -1, false, TYPALIGN_INT, &iv, &in, &ni);
	deconstruct_array(coefs, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &cv, &cn, &nc);
	if (ni != nc)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%d items but %d coefficients", ni, nc),
				 errdetail("Give one coefficient per item.")));
	c = palloc0(Max(s.nitems, 1) * sizeof(double));
	for (i = 0; i < ni; i++)
	{
		char	   *code;
		double		coef;
		int			j;

		if (in[i] || cn[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("item or coefficient %d is NULL", i + 1)));
		code = TextDatumGetCString(iv[i]);
		coef = DatumGetFloat8(cv[i]);
		if (!isfinite(coef))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("coefficient %g of item \"%s\" is not finite", coef, code)));
		j = sv_find(&s, code);
		if (j < 0)
		{
			if (coef != 0.0)
				PG_RETURN_NULL();	/* an item nobody answered: no figure */
			continue;
		}
		c[j] += coef;
	}
	st = sv_contrast(&s, c, NULL, &var);
	if (st != SV_VAR_OK || !isfinite(var))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(lk_percent(sqrt(var)));
}

/* share of answering forms satisfied with every item they answered, percent */
Datum
survey_comprehensive_index(PG_FUNCTION_ARGS)
{
	sv_summary	s;
	double		share;

	sipas_survey_get(PG_GETARG_DATUM(0), &s);
	if (sv_comprehensive(&s, &share, NULL) != SV_VAR_OK)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(lk_percent(share));
}

Datum
survey_comprehensive_std_error(PG_FUNCTION_ARGS)
{
	sv_summary	s;
	double		share,
				var;

	sipas_survey_get(PG_GETARG_DATUM(0), &s);
	if (sv_comprehensive(&s, &share, &var) != SV_VAR_OK || !isfinite(var))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(lk_percent(sqrt(var)));
}
