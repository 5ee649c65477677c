/*
 * survey_agg.c - survey_agg(item, score [, weight [, k]]) and
 * rollup(sipas.survey): one pass over answer rows into the histogram of
 * every item.  The state is a small hash table of item code -> lk_acc in the
 * aggregate context; the final function sorts items by code.  The same
 * state carries the respondent-level moments of survey_agg(form) (see
 * survey_form_agg.c): rollup merges them, and the final function writes the
 * forms section.
 */
#include "survey_state.h"

#include <math.h>

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(survey_rollup_trans);
PG_FUNCTION_INFO_V1(survey_rollup_inv);
PG_FUNCTION_INFO_V1(survey_combine);
PG_FUNCTION_INFO_V1(survey_serialize);
PG_FUNCTION_INFO_V1(survey_deserialize);
PG_FUNCTION_INFO_V1(survey_final);

static inline bool
entry_is(const sv_entry *e, const char *code, int len)
{
	return e->len == len && memcmp(e->code, code, len) == 0;
}

sv_state *
sv_state_new(MemoryContext cxt)
{
	return sv_state_new_cap(cxt, 16);
}

sv_state *
sv_state_new_cap(MemoryContext cxt, int cap)
{
	sv_state   *st = MemoryContextAllocZero(cxt, sizeof(sv_state));

	st->cxt = cxt;
	st->cap = Max(8, Min(cap, SV_MAX_ITEMS));
	st->nslots = 16;
	while (st->nslots < 2 * st->cap)
		st->nslots *= 2;
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

/* grow the items array and the hash to want entries (all stay where they are found) */
void
sv_state_reserve(sv_state *st, int want)
{
	int			nslots = st->nslots;

	want = Min(want, SV_MAX_ITEMS);
	if (want <= st->cap)
		return;
	while (nslots < 2 * want)
		nslots *= 2;
	st->cap = want;
	st->items = repalloc(st->items, st->cap * sizeof(sv_entry));
	if (nslots != st->nslots)
	{
		st->nslots = nslots;
		st->slots = repalloc(st->slots, st->nslots * sizeof(int32));
		rehash(st);
	}
}

/* an entry's accumulator is replaced: free the old one unless it shares a block */
static void
acc_release(sv_entry *e)
{
	if (!e->acc_shared)
		pfree(e->acc);
	e->acc_shared = false;
}

/*
 * A fresh state's items at once, from n codes already checked (packed:
 * length byte, bytes) with their scale sizes; slot i is the i-th code.
 */
void
sv_state_add_checked(sv_state *st, const unsigned char *codes, const uint8 *k, int n, bool weighted)
{
	int			i;

	Size		total = 0;
	char	   *block;

	Assert(st->nitems == 0 && st->mo == NULL);
	sv_state_reserve(st, n);
	/* the accumulators in one block: fewer bytes (and pages) per group */
	for (i = 0; i < n; i++)
		total += MAXALIGN(lk_acc_size(k[i], weighted));
	block = MemoryContextAlloc(st->cxt, Max(total, 1));
	for (i = 0; i < n; i++)
	{
		sv_entry   *e = &st->items[i];
		int			len = *codes++;

		memcpy(e->code, codes, len);
		e->code[len] = '\0';
		e->len = (uint8) len;
		codes += len;
		e->acc = (lk_acc *) block;
		e->acc_shared = true;
		block += MAXALIGN(lk_acc_size(k[i], weighted));
		lk_acc_init(e->acc, k[i], weighted);
	}
	st->nitems = n;
	st->last = -1;
	st->order_ok = false;
	rehash(st);
}

/*
 * The entry of an item, created on first sight with k levels.  An existing
 * entry must have the same k; a weighted request upgrades an unweighted
 * accumulator.
 */
sv_entry *
sv_state_item(sv_state *st, const char *code, int len, int k, bool weighted)
{
	sv_entry   *e;
	uint32		h;

	sv_state_sync(st);			/* accumulators are read and may move below */

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
				sipas_item_code_error(code, len);
			if (st->nitems >= SV_MAX_ITEMS)
				sipas_too_many_items_error();
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
			e->acc_shared = false;
			lk_acc_init(e->acc, k, weighted);
			st->slots[h] = st->nitems;
			st->last = st->nitems++;
			st->order_ok = false;	/* the forms' fast path re-sorts */
			if (k >= (1 << st->pend_shift))
				st->pend_cap = 0;	/* pend (synced above) gets a wider stride */
			if (st->mo)
				sv_state_forms(st, false);	/* room for the new slot */
			return e;
		}
	}
	if (unlikely(e->acc->k != k) && lk_acc_is_empty(e->acc))
	{
		/* every answer to it left a moving frame: its scale is unknown again */
		bool		w = e->acc->weighted || weighted;

		acc_release(e);
		e->acc = MemoryContextAlloc(st->cxt, lk_acc_size(k, w));
		lk_acc_init(e->acc, k, w);
		st->order_ok = false;	/* its scale changed */
		if (k >= (1 << st->pend_shift))
			st->pend_cap = 0;	/* pend (synced above) gets a wider stride */
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
		acc_release(e);
		e->acc = up;
	}
	return e;
}

void
sv_state_sync_pending(sv_state *st)
{
	int			j,
				l;

	for (j = 0; j < Min(st->pend_cap, st->nitems); j++)
	{
		uint8	   *c = st->pend + ((size_t) j << st->pend_shift);
		lk_acc	   *acc = st->items[j].acc;

		for (l = 1; l <= acc->k; l++)
			if (c[l])
			{
				if (acc->n[l - 1] > PG_INT64_MAX - c[l])
					sipas_overflow_error();
				acc->n[l - 1] += c[l];
				c[l] = 0;
			}
	}
	st->npend = 0;
}

void
sv_state_forms(sv_state *st, bool weighted)
{
	sv_state_forms_cap(st, weighted, st->nitems);
}

/* the pair matrices of a forms state, when it first needs them (moments.h) */
static void *
mo_matrices_alloc(void *arg, size_t size)
{
	return MemoryContextAllocHuge((MemoryContext) arg, size);
}

void
sv_state_forms_cap(sv_state *st, bool weighted, int want)
{
	mo_acc	   *mo = st->mo;

	want = Max(want, st->nitems);
	if (mo == NULL || mo->cap < want || (weighted && !mo->weighted))
	{
		int			cap = mo ? mo->cap : 0;
		bool		w = weighted || (mo && mo->weighted);
		mo_acc	   *big;

		/*
		 * The first size comes from a first form, which names nearly every
		 * item of its questionnaire: no slack then (the matrices are
		 * quadratic); growing later leaves a quarter to spare.
		 */
		if (mo == NULL)
			cap = Max(8, (want + 7) & ~7);
		else if (cap < want)
			cap = Max(16, (want + want / 4 + 7) & ~7);
		big = MemoryContextAllocHuge(st->cxt, mo_acc_bytes_lazy(cap, w));
		mo_acc_init_lazy(big, big, cap, w, mo_matrices_alloc, st->cxt);
		if (mo)
		{
			mo_acc_copy(big, mo);
			if (mo->alloc && mo->naa)
				pfree(mo->naa);
			pfree(mo);
		}
		st->mo = mo = big;
	}
	mo->m = st->nitems;
}

sv_state *
sv_get_state(FunctionCallInfo fcinfo)
{
	return sv_get_state_cap(fcinfo, 16);
}

sv_state *
sv_get_state_cap(FunctionCallInfo fcinfo, int cap)
{
	if (!PG_ARGISNULL(0))
		return (sv_state *) PG_GETARG_POINTER(0);
	return sv_state_new_cap(sipas_agg_context(fcinfo, "survey aggregate"), cap);
}

/*
 * Arguments: 1 item text, 2 score, [3 weight float8, [4 k int]].
 * A NULL score is no answer; a NULL item with an answer is an error.
 */
static pg_attribute_always_inline Datum
survey_trans(FunctionCallInfo fcinfo, int32 score, bool score_null)
{
	sv_state   *st = sv_get_state(fcinfo);
	bool		weighted = PG_NARGS() > 3;

	/* argument checks first: the same errors whatever the score (as likert_agg) */
	int			k = sipas_arg_scale_size(fcinfo, 4);
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
	st->rows = true;
	item = PG_GETARG_TEXT_PP(1);
	e = sv_state_item(st, VARDATA_ANY(item), VARSIZE_ANY_EXHDR(item), k, weighted);
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

/* survey_trans_int2, survey_trans_int4 */
SIPAS_SCORE_ENTRY_POINTS(survey_trans, survey_trans, 2);

static Datum
survey_inv(FunctionCallInfo fcinfo, int32 score, bool score_null)
{
	sv_state   *st = (sv_state *) PG_GETARG_POINTER(0);
	text	   *item;
	sv_entry   *e;

	if (score_null)
		PG_RETURN_POINTER(st);
	item = PG_GETARG_TEXT_PP(1);
	e = sv_state_item(st, VARDATA_ANY(item), VARSIZE_ANY_EXHDR(item), PG_NARGS() > 4 ? PG_GETARG_INT32(4) : LK_DEFAULT_K,
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

/* survey_inv_int2, survey_inv_int4 */
SIPAS_SCORE_ENTRY_POINTS(survey_inv, survey_inv, 2);

/* ---- rollup of stored summaries ---- */

/* slots of a summary's items in the state (creating them) */
static int *
summary_slots(sv_state *st, const sv_summary *s, bool weighted_items)
{
	int		   *map = palloc(Max(s->nitems, 1) * sizeof(int));
	int			i;

	for (i = 0; i < s->nitems; i++)
	{
		sv_entry   *e = sv_state_item(st, s->items[i].code, strlen(s->items[i].code),
									  s->items[i].s.k, weighted_items && s->items[i].s.weighted);

		map[i] = (int) (e - st->items);
	}
	return map;
}

Datum
survey_rollup_trans(PG_FUNCTION_ARGS)
{
	sv_state   *st;
	sv_summary	s;
	int		   *map;
	int			i;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	st = sv_get_state(fcinfo);
	sipas_survey_get(PG_GETARG_DATUM(1), &s);
	map = summary_slots(st, &s, true);
	for (i = 0; i < s.nitems; i++)
		if (lk_acc_merge_summary(st->items[map[i]].acc, &s.items[i].s) != LK_OK)
			sipas_overflow_error();
	if (s.forms)
	{
		sv_state_forms(st, s.forms->weighted);
		if (!mo_merge_forms(st->mo, s.forms, map, 1))
			sipas_overflow_error();
	}
	else
		st->rows = true;
	pfree(map);
	pfree(s.items);
	if (s.forms)
		pfree(s.forms);
	PG_RETURN_POINTER(st);
}

Datum
survey_rollup_inv(PG_FUNCTION_ARGS)
{
	sv_state   *st = (sv_state *) PG_GETARG_POINTER(0);
	sv_summary	s;
	int		   *map;
	int			i;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	sipas_survey_get(PG_GETARG_DATUM(1), &s);
	/* a summary without forms section leaving the frame does not clear 'rows': recompute */
	if (!s.forms && st->mo)
		PG_RETURN_NULL();
	map = summary_slots(st, &s, false);
	if (s.forms)
	{
		if (st->mo == NULL || !mo_merge_forms(st->mo, s.forms, map, -1))
			PG_RETURN_NULL();
	}
	for (i = 0; i < s.nitems; i++)
		if (!lk_acc_unmerge_summary(st->items[map[i]].acc, &s.items[i].s))
			PG_RETURN_NULL();
	PG_RETURN_POINTER(st);
}

/* ---- parallel aggregation ---- */

static void
merge_state(sv_state *dst, sv_state *src)
{
	int		   *map = palloc(Max(src->nitems, 1) * sizeof(int));
	int			i;

	sv_state_sync(src);
	sv_state_sync(dst);
	for (i = 0; i < src->nitems; i++)
	{
		const sv_entry *s = &src->items[i];
		sv_entry   *e = sv_state_item(dst, s->code, strlen(s->code), s->acc->k, s->acc->weighted);

		if (lk_acc_merge(e->acc, s->acc) != LK_OK)
			sipas_overflow_error();
		map[i] = (int) (e - dst->items);
	}
	if (src->mo)
	{
		sv_state_forms(dst, src->mo->weighted);
		src->mo->m = src->nitems;
		if (mo_merge(dst->mo, src->mo, map) != LK_OK)
			sipas_overflow_error();
	}
	dst->rows |= src->rows;
	pfree(map);
}

Datum
survey_combine(PG_FUNCTION_ARGS)
{
	MemoryContext cxt;
	sv_state   *dst = PG_ARGISNULL(0) ? NULL : (sv_state *) PG_GETARG_POINTER(0);
	sv_state   *src = PG_ARGISNULL(1) ? NULL : (sv_state *) PG_GETARG_POINTER(1);
	MemoryContext old;

	cxt = sipas_agg_context(fcinfo, "survey_combine");
	if (src == NULL)
		PG_RETURN_POINTER(dst);
	if (dst == NULL)
		dst = sv_state_new(cxt);	/* src may live in a per-tuple context: copy */
	old = MemoryContextSwitchTo(dst->cxt);
	merge_state(dst, src);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(dst);
}

/*
 * Partial-state format (network byte order): uint8 version, int32 nitems,
 * then per item: uint8 code length, code, uint8 k, uint8 weighted,
 * int64 n[k], and if weighted float8 w_hi, w_lo, w2_hi, w2_lo (k each).
 * Version 1 ends there (no forms).  Version 2 (forms) goes on: uint8 rows,
 * uint8 weighted, int64 n, answering, all_sat, if weighted 12 float8 (the
 * six form sums, hi then lo), then for every pair of slots j != k of the
 * item list: unweighted int64 aa, sa, ss; weighted 6 float8 (hi, lo of aa,
 * sa, ss).  aa and ss are symmetric: only j < k is meaningful, j > k is 0.
 */
#define SV_STATE_VERSION 1
#define SV_STATE_VERSION_FORMS 2

Datum
survey_serialize(PG_FUNCTION_ARGS)
{
	sv_state   *st = (sv_state *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			i;

	sv_state_sync(st);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, st->mo ? SV_STATE_VERSION_FORMS : SV_STATE_VERSION);
	pq_sendint32(&buf, st->nitems);
	for (i = 0; i < st->nitems; i++)
	{
		int			len = (int) strlen(st->items[i].code);

		pq_sendbyte(&buf, len);
		pq_sendbytes(&buf, st->items[i].code, len);
		sipas_send_acc(&buf, st->items[i].acc);
	}
	if (st->mo)
	{
		mo_acc	   *mo = st->mo;
		size_t		cap = (size_t) mo->cap,
					cc = cap * cap;
		int			j,
					k;

		mo_flush(mo);
		pq_sendbyte(&buf, st->rows ? 1 : 0);
		pq_sendbyte(&buf, mo->weighted ? 1 : 0);
		pq_sendint64(&buf, mo->n);
		pq_sendint64(&buf, mo->answering);
		pq_sendint64(&buf, mo->all_sat);
		if (mo->weighted)
			for (i = 0; i < 6; i++)
			{
				pq_sendfloat8(&buf, mo->sum_hi[i]);
				pq_sendfloat8(&buf, mo->sum_lo[i]);
			}
		for (j = 0; j < st->nitems; j++)
			for (k = 0; k < st->nitems; k++)
			{
				size_t		x = j * cap + k;

				if (j == k)
					continue;
				if (mo->weighted)
				{
					pq_sendfloat8(&buf, mo->waa[x]);
					pq_sendfloat8(&buf, mo->waa[x + cc]);
					pq_sendfloat8(&buf, mo->wsa[x]);
					pq_sendfloat8(&buf, mo->wsa[x + cc]);
					pq_sendfloat8(&buf, mo->wss[x]);
					pq_sendfloat8(&buf, mo->wss[x + cc]);
				}
				else
				{
					pq_sendint64(&buf, mo->naa[x]);
					pq_sendint64(&buf, mo->nsa[x]);
					pq_sendint64(&buf, mo->nss[x]);
				}
			}
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
				i,
				version;

	(void) sipas_agg_context(fcinfo, "survey_deserialize");
	sipas_state_buf(b, &buf);
	if (buf.len < 5)
		elog(ERROR, "corrupt sipas survey partial state");
	version = pq_getmsgbyte(&buf);
	if (version != SV_STATE_VERSION && version != SV_STATE_VERSION_FORMS)
		elog(ERROR, "corrupt sipas survey partial state: version %d", version);
	n = pq_getmsgint(&buf, 4);
	if (n < 0 || n > SV_MAX_ITEMS)
		elog(ERROR, "corrupt sipas survey partial state: %d items", n);
	st = sv_state_new(CurrentMemoryContext);
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
		e = sv_state_item(st, code, len, a->k, a->weighted);
		if (lk_acc_merge(e->acc, a) != LK_OK)	/* a repeated code would be merged, not lost */
			sipas_overflow_error();
		pfree(a);
	}
	if (version == SV_STATE_VERSION_FORMS)
	{
		mo_acc	   *mo;
		bool		weighted;
		size_t		cap,
					cc;
		int			j,
					k;

		if (st->nitems != n)
			elog(ERROR, "corrupt sipas survey partial state: repeated item codes with forms");
		st->rows = pq_getmsgbyte(&buf) != 0;
		weighted = pq_getmsgbyte(&buf) != 0;
		sv_state_forms(st, weighted);
		mo = st->mo;
		mo_flush(mo);			/* the matrices are written below */
		cap = (size_t) mo->cap;
		cc = cap * cap;
		mo->n = pq_getmsgint64(&buf);
		mo->answering = pq_getmsgint64(&buf);
		mo->all_sat = pq_getmsgint64(&buf);
		if (weighted)
			for (i = 0; i < 6; i++)
			{
				mo->sum_hi[i] = pq_getmsgfloat8(&buf);
				mo->sum_lo[i] = pq_getmsgfloat8(&buf);
			}
		for (j = 0; j < n; j++)
			for (k = 0; k < n; k++)
			{
				size_t		x = j * cap + k;

				if (j == k)
					continue;
				if (weighted)
				{
					mo->waa[x] = pq_getmsgfloat8(&buf);
					mo->waa[x + cc] = pq_getmsgfloat8(&buf);
					mo->wsa[x] = pq_getmsgfloat8(&buf);
					mo->wsa[x + cc] = pq_getmsgfloat8(&buf);
					mo->wss[x] = pq_getmsgfloat8(&buf);
					mo->wss[x + cc] = pq_getmsgfloat8(&buf);
				}
				else
				{
					mo->naa[x] = pq_getmsgint64(&buf);
					mo->nsa[x] = pq_getmsgint64(&buf);
					mo->nss[x] = pq_getmsgint64(&buf);
				}
			}
	}
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(st);
}

/* ---- final: items sorted by code; no answers at all gives NULL ---- */

/* final sorts slot numbers, not items (an item is a few hundred bytes) */
static const sv_item *sorted_items;

static int
sorted_cmp(const void *a, const void *b)
{
	return sv_code_cmp(sorted_items[*(const int *) a].code, sorted_items[*(const int *) b].code);
}

Datum
survey_final(PG_FUNCTION_ARGS)
{
	sv_state   *st;
	sv_summary	s;
	sv_item    *tmp;
	int		   *idx,
			   *slot_of;
	int			i,
				m = 0;
	bool		forms,
				in_order = true;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (sv_state *) PG_GETARG_POINTER(0);
	sv_state_sync(st);
	forms = st->mo != NULL && !st->rows && st->mo->n > 0;
	tmp = palloc(Max(st->nitems, 1) * sizeof(sv_item));
	idx = palloc(Max(st->nitems, 1) * sizeof(int));
	slot_of = palloc(Max(st->nitems, 1) * sizeof(int));
	for (i = 0; i < st->nitems; i++)
	{
		sv_item    *t = &tmp[m];

		lk_acc_to_summary(st->items[i].acc, &t->s);
		/* an item whose answers all left a moving frame is not in the frame */
		if (lk_summary_n(&t->s) == 0)
			continue;
		memcpy(t->code, st->items[i].code, st->items[i].len + 1);
		slot_of[m] = i;
		idx[m] = m;
		if (m > 0 && in_order && sv_code_cmp(tmp[m - 1].code, t->code) > 0)
			in_order = false;
		m++;
	}
	if (m == 0 && !forms)
		PG_RETURN_NULL();
	s.nitems = m;
	if (in_order)
		s.items = tmp;
	else
	{
		int		   *slots = palloc(Max(m, 1) * sizeof(int));

		sorted_items = tmp;
		qsort(idx, m, sizeof(int), sorted_cmp);
		s.items = palloc(Max(m, 1) * sizeof(sv_item));
		for (i = 0; i < m; i++)
		{
			s.items[i] = tmp[idx[i]];
			slots[i] = slot_of[idx[i]];
		}
		slot_of = slots;
	}
	s.forms = NULL;
#ifndef USE_ASSERT_CHECKING
	if (forms && !st->mo->weighted)
	{
		/*
		 * Unweighted: the pairs go from the moments straight into the stored
		 * value, row by row, never all at once (tens of kilobytes per group).
		 */
		sv_forms	counts;
		mo_rows		r;

		mo_forms_counts(st->mo, m, &counts);
		s.forms = &counts;
		mo_rows_init(&r, st->mo, slot_of, m);
		PG_RETURN_DATUM(sipas_survey_datum_rows(&s, mo_pair_row, &r));
	}
#endif
	if (forms)
	{
		/*
		 * The pairs are scratch (sv_store copies them into the value): one
		 * buffer per call site, not tens of kilobytes per group.
		 */
		size_t		need = sv_forms_storage(m);
		size_t	   *have = (size_t *) fcinfo->flinfo->fn_extra;

		if (have == NULL || *have < need)
		{
			if (have)
				pfree(have);
			have = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, MAXALIGN(sizeof(size_t)) + need);
			*have = need;
			fcinfo->flinfo->fn_extra = have;
		}
		s.forms = (sv_forms *) ((char *) have + MAXALIGN(sizeof(size_t)));
		mo_to_forms(st->mo, slot_of, m, s.forms);
#ifdef USE_ASSERT_CHECKING

		/*
		 * Self-checks only: every reader of the stored value runs the same
		 * check (sv_load), and the regression and unit suites read back what
		 * they build; in production builds it would cost as much as the
		 * rest of the final function.  The unweighted pairs as rows must
		 * store the same bytes as the pairs as an array.
		 */
		{
			char		err[LK_ERRBUF];

			if (sv_forms_check(&s, err, sizeof(err)) != LK_OK)
				elog(ERROR, "survey_agg built an inconsistent forms section: %s", err);
			if (!st->mo->weighted)
			{
				mo_rows		r;
				struct varlena *a = (struct varlena *) DatumGetPointer(sipas_survey_datum(&s)),
						   *b;

				mo_rows_init(&r, st->mo, slot_of, m);
				b = (struct varlena *) DatumGetPointer(sipas_survey_datum_rows(&s, mo_pair_row, &r));
				if (VARSIZE(a) != VARSIZE(b) || memcmp(a, b, VARSIZE(a)) != 0)
					elog(ERROR, "survey_agg stored different pairs as rows");
			}
		}
#endif
	}
	PG_RETURN_DATUM(sipas_survey_datum(&s));
}
