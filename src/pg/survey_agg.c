/*
 * survey_agg.c - survey_agg(item, score [, weight [, k]]) and
 * rollup(sipas.survey): one pass over answer rows into the histogram of
 * every item.  The state is a small hash table of item code -> lk_acc in the
 * aggregate context; the final function sorts items by code.
 */
#include "sipas_pg.h"

#include <math.h>

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(survey_trans_int2);
PG_FUNCTION_INFO_V1(survey_trans_int4);
PG_FUNCTION_INFO_V1(survey_inv_int2);
PG_FUNCTION_INFO_V1(survey_inv_int4);
PG_FUNCTION_INFO_V1(survey_rollup_trans);
PG_FUNCTION_INFO_V1(survey_rollup_inv);
PG_FUNCTION_INFO_V1(survey_combine);
PG_FUNCTION_INFO_V1(survey_serialize);
PG_FUNCTION_INFO_V1(survey_deserialize);
PG_FUNCTION_INFO_V1(survey_final);

typedef struct sv_entry
{
	char		code[SV_CODE_MAX + 1];
	uint8		len;
	lk_acc	   *acc;
} sv_entry;

static inline bool
entry_is(const sv_entry *e, const char *code, int len)
{
	return e->len == len && memcmp(e->code, code, len) == 0;
}

typedef struct sv_state
{
	MemoryContext cxt;			/* where entries and accumulators live */
	int			nitems;
	int			cap;
	int			nslots;			/* power of two, >= 2 * cap */
	int			last;			/* last item found: answers come in runs */
	sv_entry   *items;
	int32	   *slots;			/* index into items, -1 = empty */
} sv_state;

static sv_state *
state_new(MemoryContext cxt)
{
	sv_state   *st = MemoryContextAllocZero(cxt, sizeof(sv_state));

	st->cxt = cxt;
	st->cap = 16;
	st->nslots = 32;
	st->items = MemoryContextAlloc(cxt, st->cap * sizeof(sv_entry));
	st->slots = MemoryContextAlloc(cxt, st->nslots * sizeof(int32));
	memset(st->slots, 0xff, st->nslots * sizeof(int32));
	st->last = -1;
	return st;
}

static uint32
code_hash(const char *code, int len)
{
	return hash_bytes((const unsigned char *) code, len);
}

static void
rehash(sv_state *st)
{
	int			i;

	memset(st->slots, 0xff, st->nslots * sizeof(int32));
	for (i = 0; i < st->nitems; i++)
	{
		uint32		h = code_hash(st->items[i].code, strlen(st->items[i].code)) & (st->nslots - 1);

		while (st->slots[h] >= 0)
			h = (h + 1) & (st->nslots - 1);
		st->slots[h] = i;
	}
}

/*
 * The entry of an item, created on first sight with k levels.  An existing
 * entry must have the same k; a weighted request upgrades an unweighted
 * accumulator.
 */
static sv_entry *
state_item(sv_state *st, const char *code, int len, int k, bool weighted)
{
	sv_entry   *e;
	uint32		h;

	/*
	 * The answers of one form come item after item in the same order, so the
	 * item after the last one found is the best guess, then the last one.
	 */
	if (st->last + 1 < st->nitems && entry_is(&st->items[st->last + 1], code, len))
		e = &st->items[++st->last];
	else if (st->last >= 0 && entry_is(&st->items[st->last], code, len))
		e = &st->items[st->last];
	else
	{
		h = code_hash(code, len) & (st->nslots - 1);
		for (;;)
		{
			int32		i = st->slots[h];

			if (i < 0)
			{
				e = NULL;
				break;
			}
			if (entry_is(&st->items[i], code, len))
			{
				e = &st->items[i];
				st->last = i;
				break;
			}
			h = (h + 1) & (st->nslots - 1);
		}
		if (e == NULL)
		{
			if (!sv_code_valid(code, len))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid item code \"%.*s\"", pg_mbcliplen(code, len, 40), code),
						 errdetail("Item codes are 1 to %d characters of A-Z a-z 0-9 . _ -", SV_CODE_MAX)));
			if (st->nitems >= SV_MAX_ITEMS)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("too many items in one survey summary"),
						 errdetail("A summary holds at most %d items.", SV_MAX_ITEMS)));
			if (st->nitems == st->cap)
			{
				st->cap *= 2;
				st->items = repalloc(st->items, st->cap * sizeof(sv_entry));
				st->nslots *= 2;
				st->slots = repalloc(st->slots, st->nslots * sizeof(int32));
				rehash(st);
				h = code_hash(code, len) & (st->nslots - 1);
				while (st->slots[h] >= 0)
					h = (h + 1) & (st->nslots - 1);
			}
			e = &st->items[st->nitems];
			memcpy(e->code, code, len);
			e->code[len] = '\0';
			e->len = (uint8) len;
			e->acc = MemoryContextAlloc(st->cxt, lk_acc_size(k, weighted));
			lk_acc_init(e->acc, k, weighted);
			st->slots[h] = st->nitems;
			st->last = st->nitems++;
			return e;
		}
	}
	if (e->acc->k != k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("item \"%s\" has a %d-level scale here and a %d-level scale elsewhere", e->code, k, e->acc->k),
				 errdetail("Every answer to one item must use the same scale size.")));
	if (weighted && !e->acc->weighted)
	{
		lk_acc	   *up = MemoryContextAlloc(st->cxt, lk_acc_size(k, true));

		lk_acc_upgrade(up, e->acc);
		pfree(e->acc);
		e->acc = up;
	}
	return e;
}

static sv_state *
get_state(FunctionCallInfo fcinfo)
{
	MemoryContext cxt;

	if (!PG_ARGISNULL(0))
		return (sv_state *) PG_GETARG_POINTER(0);
	if (!AggCheckCallContext(fcinfo, &cxt))
		elog(ERROR, "survey aggregate called in non-aggregate context");
	return state_new(cxt);
}

/*
 * Arguments: 1 item text, 2 score, [3 weight float8, [4 k int]].
 * A NULL score is no answer; a NULL item with an answer is an error.
 */
static pg_attribute_always_inline Datum
survey_trans(FunctionCallInfo fcinfo, int32 score, bool score_null)
{
	sv_state   *st = get_state(fcinfo);
	bool		weighted = PG_NARGS() > 3;
	int			k = LK_DEFAULT_K;
	text	   *item;
	sv_entry   *e;
	lk_status	rc;

	if (score_null)
		PG_RETURN_POINTER(st);
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("answer %d has no item code", score),
				 errdetail("Every answer must name its item; a NULL score means no answer.")));
	if (PG_NARGS() > 4)
	{
		if (PG_ARGISNULL(4))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("scale size must not be NULL")));
		k = PG_GETARG_INT32(4);
		if (k < LK_MIN_K || k > LK_MAX_K)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("scale size %d is out of range", k),
					 errdetail("A scale has %d to %d levels.", LK_MIN_K, LK_MAX_K)));
	}
	item = PG_GETARG_TEXT_PP(1);
	e = state_item(st, VARDATA_ANY(item), VARSIZE_ANY_EXHDR(item), k, weighted);
	if (unlikely(score < 1 || score > k))
		sipas_score_error(score, k, e->code);
	if (weighted)
	{
		double		w;

		sipas_check_weight(fcinfo, 3, score, e->code, &w);
		rc = lk_acc_add_weighted(e->acc, score, w);
	}
	else
		rc = lk_acc_add(e->acc, score);
	if (unlikely(rc != LK_OK))
		sipas_overflow_error();
	PG_RETURN_POINTER(st);
}

Datum
survey_trans_int2(PG_FUNCTION_ARGS)
{
	return survey_trans(fcinfo, PG_ARGISNULL(2) ? 0 : PG_GETARG_INT16(2), PG_ARGISNULL(2));
}

Datum
survey_trans_int4(PG_FUNCTION_ARGS)
{
	return survey_trans(fcinfo, PG_ARGISNULL(2) ? 0 : PG_GETARG_INT32(2), PG_ARGISNULL(2));
}

static Datum
survey_inv(FunctionCallInfo fcinfo, int32 score, bool score_null)
{
	sv_state   *st = (sv_state *) PG_GETARG_POINTER(0);
	text	   *item;
	sv_entry   *e;

	if (score_null)
		PG_RETURN_POINTER(st);
	item = PG_GETARG_TEXT_PP(1);
	e = state_item(st, VARDATA_ANY(item), VARSIZE_ANY_EXHDR(item), PG_NARGS() > 4 ? PG_GETARG_INT32(4) : LK_DEFAULT_K,
				   PG_NARGS() > 3);
	if (PG_NARGS() > 3)
	{
		if (!lk_acc_remove_weighted(e->acc, score, PG_GETARG_FLOAT8(3)))
			PG_RETURN_NULL();	/* precision at risk: recompute the frame */
	}
	else
		lk_acc_remove(e->acc, score);
	PG_RETURN_POINTER(st);
}

Datum
survey_inv_int2(PG_FUNCTION_ARGS)
{
	return survey_inv(fcinfo, PG_ARGISNULL(2) ? 0 : PG_GETARG_INT16(2), PG_ARGISNULL(2));
}

Datum
survey_inv_int4(PG_FUNCTION_ARGS)
{
	return survey_inv(fcinfo, PG_ARGISNULL(2) ? 0 : PG_GETARG_INT32(2), PG_ARGISNULL(2));
}

/* ---- rollup of stored summaries ---- */

Datum
survey_rollup_trans(PG_FUNCTION_ARGS)
{
	sv_state   *st = get_state(fcinfo);
	sv_summary	s;
	int			i;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	sipas_survey_get(PG_GETARG_DATUM(1), &s);
	for (i = 0; i < s.nitems; i++)
	{
		sv_entry   *e = state_item(st, s.items[i].code, strlen(s.items[i].code),
								   s.items[i].s.k, s.items[i].s.weighted);

		if (lk_acc_merge_summary(e->acc, &s.items[i].s) != LK_OK)
			sipas_overflow_error();
	}
	pfree(s.items);
	PG_RETURN_POINTER(st);
}

Datum
survey_rollup_inv(PG_FUNCTION_ARGS)
{
	sv_state   *st = (sv_state *) PG_GETARG_POINTER(0);
	sv_summary	s;
	int			i;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	sipas_survey_get(PG_GETARG_DATUM(1), &s);
	for (i = 0; i < s.nitems; i++)
	{
		sv_entry   *e = state_item(st, s.items[i].code, strlen(s.items[i].code),
								   s.items[i].s.k, false);

		if (!lk_acc_unmerge_summary(e->acc, &s.items[i].s))
			PG_RETURN_NULL();
	}
	PG_RETURN_POINTER(st);
}

/* ---- parallel aggregation ---- */

static void
merge_state(sv_state *dst, const sv_state *src)
{
	int			i;

	for (i = 0; i < src->nitems; i++)
	{
		const sv_entry *s = &src->items[i];
		sv_entry   *e = state_item(dst, s->code, strlen(s->code), s->acc->k, s->acc->weighted);

		if (lk_acc_merge(e->acc, s->acc) != LK_OK)
			sipas_overflow_error();
	}
}

Datum
survey_combine(PG_FUNCTION_ARGS)
{
	MemoryContext cxt;
	sv_state   *dst = PG_ARGISNULL(0) ? NULL : (sv_state *) PG_GETARG_POINTER(0);
	sv_state   *src = PG_ARGISNULL(1) ? NULL : (sv_state *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &cxt))
		elog(ERROR, "survey_combine called in non-aggregate context");
	if (src == NULL)
		PG_RETURN_POINTER(dst);
	if (dst == NULL)
		dst = state_new(cxt);	/* src may live in a per-tuple context: copy */
	merge_state(dst, src);
	PG_RETURN_POINTER(dst);
}

/*
 * Partial-state format, version 1 (network byte order): uint8 version,
 * int32 nitems, then per item: uint8 code length, code, uint8 k,
 * uint8 weighted, int64 n[k], and if weighted float8 w_hi, w_lo, w2_hi,
 * w2_lo (k each).
 */
#define SV_STATE_VERSION 1

Datum
survey_serialize(PG_FUNCTION_ARGS)
{
	sv_state   *st = (sv_state *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SV_STATE_VERSION);
	pq_sendint32(&buf, st->nitems);
	for (i = 0; i < st->nitems; i++)
	{
		int			len = (int) strlen(st->items[i].code);

		pq_sendbyte(&buf, len);
		pq_sendbytes(&buf, st->items[i].code, len);
		sipas_send_acc(&buf, st->items[i].acc);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
survey_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	sv_state   *st;
	int			n,
				i;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "survey_deserialize called in non-aggregate context");
	buf.data = VARDATA_ANY(b);
	buf.len = VARSIZE_ANY_EXHDR(b);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	if (buf.len < 5 || pq_getmsgbyte(&buf) != SV_STATE_VERSION)
		elog(ERROR, "corrupt sipas survey partial state");
	n = pq_getmsgint(&buf, 4);
	if (n < 0 || n > SV_MAX_ITEMS)
		elog(ERROR, "corrupt sipas survey partial state: %d items", n);
	st = state_new(CurrentMemoryContext);
	for (i = 0; i < n; i++)
	{
		char		code[SV_CODE_MAX + 1];
		int			len = pq_getmsgbyte(&buf);
		lk_acc	   *a;
		sv_entry   *e;

		if (len < 1 || len > SV_CODE_MAX)
			elog(ERROR, "corrupt sipas survey partial state: code length %d", len);
		pq_copymsgbytes(&buf, code, len);
		a = sipas_recv_acc(&buf, CurrentMemoryContext, false);
		e = state_item(st, code, len, a->k, a->weighted);
		if (lk_acc_merge(e->acc, a) != LK_OK)	/* a repeated code would be merged, not lost */
			sipas_overflow_error();
		pfree(a);
	}
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(st);
}

/* ---- final: items sorted by code; no answers at all gives NULL ---- */

static int
item_cmp(const void *a, const void *b)
{
	return sv_code_cmp(((const sv_item *) a)->code, ((const sv_item *) b)->code);
}

Datum
survey_final(PG_FUNCTION_ARGS)
{
	sv_state   *st;
	sv_summary	s;
	int			i,
				m = 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (sv_state *) PG_GETARG_POINTER(0);
	s.items = palloc(Max(st->nitems, 1) * sizeof(sv_item));
	for (i = 0; i < st->nitems; i++)
	{
		sv_item    *it = &s.items[m];

		lk_acc_to_summary(st->items[i].acc, &it->s);
		/* an item whose answers all left a moving frame is not in the frame */
		if (lk_summary_n(&it->s) == 0)
			continue;
		strcpy(it->code, st->items[i].code);
		m++;
	}
	if (m == 0)
		PG_RETURN_NULL();
	s.nitems = m;
	qsort(s.items, m, sizeof(sv_item), item_cmp);
	PG_RETURN_DATUM(sipas_survey_datum(&s));
}
