/*
 * form_agg.c - form_agg(item, score [, k [, form]]): the answer rows of one
 * respondent into a sipas.form.
 *
 * The state appends each answer, in arrival order, in the per-answer
 * layout of the stored form (uint8 code length, code, uint8 (k << 4) |
 * level), so a 39-item form costs about 300 bytes of state and one memcpy
 * per row.  The final function sorts references to the answers by code,
 * rejects an item answered twice, and copies the answers into the stored
 * layout: its size is known in advance (header + the bytes appended).
 *
 * The transition cannot see the GROUP BY values, so its errors name what
 * the rows show (item, score, scale, the answers seen so far) and, in the
 * variant with a fourth argument, the form identifier the caller passes
 * (any type; used only in error messages).
 */
#include "sipas_pg.h"

#include "libpq/pqformat.h"
#include "port/pg_bswap.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "../core/form.h"

PG_FUNCTION_INFO_V1(form_combine);
PG_FUNCTION_INFO_V1(form_serialize);
PG_FUNCTION_INFO_V1(form_deserialize);
PG_FUNCTION_INFO_V1(form_final);

#define FA_INITIAL_BYTES	256		/* grows by doubling: 512 for 39 items */
#define FA_SHOW_ANSWERS		6		/* earlier answers listed in a message */
#define FA_ID_MAX			100		/* bytes of a form identifier in a message */
#define FA_SERIAL_VERSION	1

typedef struct fa_state
{
	int32		nanswers;
	int32		len;			/* bytes used in buf */
	int32		cap;			/* bytes allocated */
	unsigned char *buf;			/* answers in arrival order */
	char	   *form_id;		/* text of the form argument (first row), or NULL */
} fa_state;

/* one answer inside a state's buffer, for sorting */
typedef struct fa_ref
{
	const unsigned char *p;		/* its length byte */
	int32		ord;			/* 1-based arrival number */
} fa_ref;

static fa_state *
state_new(MemoryContext cxt, int32 cap)
{
	fa_state   *st = MemoryContextAllocZero(cxt, sizeof(fa_state));

	st->cap = Max(cap, FA_INITIAL_BYTES);
	st->buf = MemoryContextAlloc(cxt, st->cap);
	return st;
}

static void
state_reserve(fa_state *st, int32 more)
{
	if (st->len + more > st->cap)
	{
		int32		cap = st->cap;

		while (st->len + more > cap)
			cap *= 2;
		st->buf = repalloc(st->buf, cap);	/* stays in the state's context */
		st->cap = cap;
	}
}

/* ---- messages ---- */

/*
 * What identifies the form in a message: its identifier if given, the
 * number of the answer in arrival order and the first earlier answers.
 */
static char *
describe_answer(const fa_state *st, int32 ord)
{
	StringInfoData s;
	const unsigned char *p = st->buf,
			   *end = st->buf + st->len;
	int			shown = 0;

	initStringInfo(&s);
	if (st->form_id)
		appendStringInfo(&s, "Form %s, answer %d", st->form_id, ord);
	else
		appendStringInfo(&s, "Answer %d of the form", ord);
	if (st->nanswers == 0)
	{
		appendStringInfoString(&s, ", no earlier answers.");
		return s.data;
	}
	appendStringInfoString(&s, "; earlier answers: ");
	while (p < end && shown < FA_SHOW_ANSWERS)
	{
		int			clen = p[0];

		appendStringInfo(&s, "%s%.*s=%d", shown ? ", " : "", clen, (const char *) p + 1, p[1 + clen] & 15);
		p += 2 + clen;
		shown++;
	}
	if (st->nanswers > shown)
		appendStringInfo(&s, ", ... (%d in all)", st->nanswers);
	appendStringInfoChar(&s, '.');
	return s.data;
}

static const char *
id_hint(const fa_state *st)
{
	return st->form_id ? "" :
		" To see which form, pass its identifier: sipas.form_agg(item, score, 5, respondent).";
}

pg_noreturn static void
duplicate_error(const fa_state *st, const fa_ref *a, const fa_ref *b)
{
	int			clen = a->p[0];
	int			kla = a->p[1 + clen],
				klb = b->p[1 + clen];
	StringInfoData d;

	initStringInfo(&d);
	if (st->form_id)
		appendStringInfo(&d, "Form %s: answers %d and %d of the %d it received", st->form_id, a->ord, b->ord, st->nanswers);
	else
		appendStringInfo(&d, "Answers %d and %d of the %d the form received", a->ord, b->ord, st->nanswers);
	if ((kla >> 4) != (klb >> 4))
		appendStringInfo(&d, " (on %d- and %d-level scales)", kla >> 4, klb >> 4);
	appendStringInfoChar(&d, '.');
	ereport(ERROR,
			(errcode(ERRCODE_CARDINALITY_VIOLATION),
			 errmsg("item \"%.*s\" is answered twice in one form, with scores %d and %d",
					clen, (const char *) a->p + 1, kla & 15, klb & 15),
			 errdetail("%s", d.data),
			 errhint("A form holds one answer per item: group the rows by every column that identifies a form "
					 "(GROUP BY period, unit, respondent).%s", id_hint(st))));
	pg_unreachable();
}

static int
ref_cmp(const void *x, const void *y)
{
	const fa_ref *a = x,
			   *b = y;
	int			alen = a->p[0],
				blen = b->p[0];
	int			c = memcmp(a->p + 1, b->p + 1, Min(alen, blen));

	if (c != 0)
		return c;
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return a->ord < b->ord ? -1 : a->ord > b->ord;
}

/* the answers sorted by code (palloc'd); an item answered twice is an error */
static fa_ref *
sorted_answers(const fa_state *st)
{
	fa_ref	   *refs = palloc(Max(st->nanswers, 1) * sizeof(fa_ref));
	const unsigned char *p = st->buf;
	int			i;

	for (i = 0; i < st->nanswers; i++)
	{
		refs[i].p = p;
		refs[i].ord = i + 1;
		p += 2 + p[0];
	}
	if (st->nanswers > 1)
		qsort(refs, st->nanswers, sizeof(fa_ref), ref_cmp);
	for (i = 1; i < st->nanswers; i++)
		if (refs[i - 1].p[0] == refs[i].p[0] &&
			memcmp(refs[i - 1].p + 1, refs[i].p + 1, refs[i].p[0]) == 0)
			duplicate_error(st, &refs[i - 1], &refs[i]);
	return refs;
}

/* more answers than a form holds: most likely rows of several forms in one group */
pg_noreturn static void
too_many_error(const fa_state *st, int32 n)
{
	pfree(sorted_answers(st));	/* reports an item answered twice, if any */
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many answers in one form: %d", n),
			 st->form_id ? errdetail("Form %s: a form holds at most %d answers.", st->form_id, FM_MAX_ITEMS)
			 : errdetail("A form holds at most %d answers.", FM_MAX_ITEMS),
			 errhint("Group the rows by every column that identifies a form (GROUP BY period, unit, respondent).")));
	pg_unreachable();
}

/* the text of the form argument, clipped, in cxt */
static char *
form_id_text(FunctionCallInfo fcinfo, int argno, MemoryContext cxt)
{
	Oid			type = get_fn_expr_argtype(fcinfo->flinfo, argno);
	Oid			out;
	bool		isvarlena;
	char	   *str;
	int			len;

	if (PG_ARGISNULL(argno))
		return MemoryContextStrdup(cxt, "NULL");
	if (!OidIsValid(type))
		elog(ERROR, "could not determine the type of the form argument of form_agg");
	getTypeOutputInfo(type, &out, &isvarlena);
	str = OidOutputFunctionCall(out, PG_GETARG_DATUM(argno));
	len = strlen(str);
	if (len > FA_ID_MAX)
	{
		int			clip = pg_mbcliplen(str, len, FA_ID_MAX);

		return MemoryContextStrdup(cxt, psprintf("%.*s...", clip, str));
	}
	return MemoryContextStrdup(cxt, str);
}

/*
 * Arguments: 1 item text, 2 score, [3 k int, [4 form "any"]].
 * A NULL score is a blank (no answer); a NULL item with a score is an error.
 */
static pg_attribute_always_inline Datum
form_trans(FunctionCallInfo fcinfo, int32 score, bool score_null)
{
	fa_state   *st;
	int			k;
	text	   *item;
	const char *code;
	int			len;

	if (PG_ARGISNULL(0))
	{
		MemoryContext cxt = sipas_agg_context(fcinfo, "form_agg");

		st = state_new(cxt, 0);
		if (PG_NARGS() > 4)
			st->form_id = form_id_text(fcinfo, 4, cxt);
	}
	else
		st = (fa_state *) PG_GETARG_POINTER(0);

	/* k describes the aggregate: checked on every row, like likert_agg's, whatever the score */
	k = sipas_arg_scale_size(fcinfo, 3);
	if (score_null)
		PG_RETURN_POINTER(st);
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("score %d has no item code", score),
				 errdetail("%s", describe_answer(st, st->nanswers + 1)),
				 errhint("Every answer must name its item; a NULL score means no answer.%s", id_hint(st))));
	item = PG_GETARG_TEXT_PP(1);
	code = VARDATA_ANY(item);
	len = VARSIZE_ANY_EXHDR(item);
	if (unlikely(!sv_code_valid(code, len)))
		sipas_item_code_error_at(code, len, describe_answer(st, st->nanswers + 1));
	if (unlikely(score < 1 || score > k))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("score %d of item \"%.*s\" is out of range for a %d-level scale", score, len, code, k),
				 errdetail("Scores must be whole numbers from 1 to %d. %s", k, describe_answer(st, st->nanswers + 1)),
				 errhint("Store blank or invalid answers as NULL, or filter them with FILTER (WHERE ...); "
						 "items on another scale need form_agg(item, score, k).%s", id_hint(st))));
	if (unlikely(st->nanswers >= FM_MAX_ITEMS))
		too_many_error(st, st->nanswers + 1);
	state_reserve(st, 2 + len);
	st->buf[st->len] = (unsigned char) len;
	memcpy(st->buf + st->len + 1, code, len);
	st->buf[st->len + 1 + len] = (unsigned char) ((k << 4) | score);
	st->len += 2 + len;
	st->nanswers++;
	PG_RETURN_POINTER(st);
}

/* form_trans_int2, form_trans_int4 */
SIPAS_SCORE_ENTRY_POINTS(form_trans, form_trans, 2);

/*
 * Two partial states of the same form (parallel aggregation): the answers
 * of the second are appended to the first; the final function still sees
 * every answer, so an item answered in both halves is an error there.
 */
Datum
form_combine(PG_FUNCTION_ARGS)
{
	MemoryContext cxt;
	fa_state   *a,
			   *b;

	cxt = sipas_agg_context(fcinfo, "form_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	b = (fa_state *) PG_GETARG_POINTER(1);
	if (PG_ARGISNULL(0))
	{
		/* the second state may live in a per-tuple context: copy it */
		a = state_new(cxt, b->len);
	}
	else
		a = (fa_state *) PG_GETARG_POINTER(0);
	state_reserve(a, b->len);
	memcpy(a->buf + a->len, b->buf, b->len);
	a->len += b->len;
	a->nanswers += b->nanswers;
	if (a->nanswers > FM_MAX_ITEMS)
		too_many_error(a, a->nanswers);
	PG_RETURN_POINTER(a);
}

/* version 1: uint8 version, int32 answers, int32 bytes, the answer bytes */
Datum
form_serialize(PG_FUNCTION_ARGS)
{
	fa_state   *st = (fa_state *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	(void) sipas_agg_context(fcinfo, "form_serialize");
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, FA_SERIAL_VERSION);
	pq_sendint32(&buf, st->nanswers);
	pq_sendint32(&buf, st->len);
	pq_sendbytes(&buf, (const char *) st->buf, st->len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
form_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	const unsigned char *p = (const unsigned char *) VARDATA_ANY(b);
	int32		size = VARSIZE_ANY_EXHDR(b),
				n,
				len,
				i,
				pos;
	uint32		u;
	fa_state   *st;

	(void) sipas_agg_context(fcinfo, "form_deserialize");
	if (size < 9 || p[0] != FA_SERIAL_VERSION)
		elog(ERROR, "corrupt sipas form partial state (%d bytes)", size);
	memcpy(&u, p + 1, 4);
	n = (int32) pg_ntoh32(u);
	memcpy(&u, p + 5, 4);
	len = (int32) pg_ntoh32(u);
	if (n < 0 || n > FM_MAX_ITEMS || len != size - 9 || len < 3 * n)
		elog(ERROR, "corrupt sipas form partial state (%d answers in %d bytes)", n, len);
	/* the answers must be what a transition appends: check each before use */
	for (i = 0, pos = 9; i < n; i++)
	{
		int			clen = pos < size ? p[pos] : 0;
		int			kl;

		if (clen < 1 || clen > SV_CODE_MAX || pos + 2 + clen > size ||
			!sv_code_valid((const char *) p + pos + 1, clen))
			elog(ERROR, "corrupt sipas form partial state at answer %d", i + 1);
		kl = p[pos + 1 + clen];
		if ((kl >> 4) < LK_MIN_K || (kl >> 4) > LK_MAX_K || (kl & 15) < 1 || (kl & 15) > (kl >> 4))
			elog(ERROR, "corrupt sipas form partial state at answer %d", i + 1);
		pos += 2 + clen;
	}
	if (pos != size)
		elog(ERROR, "corrupt sipas form partial state (%d bytes after the answers)", size - pos);
	st = state_new(CurrentMemoryContext, len);
	memcpy(st->buf, p + 9, len);
	st->len = len;
	st->nanswers = n;
	PG_RETURN_POINTER(st);
}

/* the form, or NULL when no answer was seen (only blanks, or no rows) */
Datum
form_final(PG_FUNCTION_ARGS)
{
	fa_state   *st;
	fa_ref	   *refs;
	struct varlena *v;
	unsigned char *p;
	uint16		n;
	int			i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (fa_state *) PG_GETARG_POINTER(0);
	if (st->nanswers == 0)
		PG_RETURN_NULL();
	refs = sorted_answers(st);
	/* stored layout v1 (form.h): the header, then the answers' own bytes in code order */
	v = (struct varlena *) palloc0(VARHDRSZ + FM_STORE_HEADER + st->len);
	SET_VARSIZE(v, VARHDRSZ + FM_STORE_HEADER + st->len);
	p = (unsigned char *) VARDATA(v);
	*p++ = FM_STORE_VERSION;
	*p++ = 0;
	n = (uint16) st->nanswers;
	memcpy(p, &n, 2);
	p += 2;
	for (i = 0; i < st->nanswers; i++)
	{
		int			bytes = 2 + refs[i].p[0];

		memcpy(p, refs[i].p, bytes);
		p += bytes;
	}
	pfree(refs);
	PG_RETURN_POINTER(v);
}
