/*
 * survey_form_agg.c - survey_agg(form [, weight]): one pass over forms into
 * every item's histogram and the respondent-level moments (the forms
 * section).  The state is survey_agg's (survey_state.h); combine,
 * serialize, deserialize and final are survey_agg.c's.
 *
 * The hot path (fast_walk) matches the stored bytes in place against the
 * items already known, kept in the forms' own code order: the forms of one
 * questionnaire list the same items in the same order, blanks left out, so
 * one forward scan finds every answer's slot, and a form whose codes all
 * match known (validated) codes in increasing order is valid without
 * validating its codes again.  Anything else - the first form, a new item,
 * a scale that differs, a corrupt value - takes the slow path (walk_form:
 * fm_iter, full validation and the precise error).  Answers are recorded
 * as (slot, satisfied) for the moments accumulator, which folds 64 forms at
 * a time with AND + popcount.
 */
#include "survey_state.h"

#include "mb/pg_wchar.h"

#include "../core/form.h"
#include "../core/lk_index.h"
#include "../core/lk_stats.h"

PG_FUNCTION_INFO_V1(survey_form_trans);
PG_FUNCTION_INFO_V1(survey_form_inv);

/* argument 2, the form's design weight: finite, not negative, not NULL */
static double
form_weight(FunctionCallInfo fcinfo)
{
	double		w;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("weight of a form is NULL"),
				 errdetail("Every form needs a weight; a NULL form (no form) may have a NULL weight.")));
	w = PG_GETARG_FLOAT8(2);
	if (isnan(w) || isinf(w) || w < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("weight %g of a form is not allowed", w),
				 errdetail("Weights must be finite and not negative.")));
	return w;
}

/*
 * Walk the form's answers into the histograms (sign +1) or out of them
 * (-1) and record them for the moments; false when a removal is not
 * possible exactly.
 */
static pg_attribute_always_inline bool
walk_form(sv_state *st, const struct varlena *v, bool weighted, double w, int sign)
{	char		err[LK_ERRBUF];
	fm_iter		it;

	if (fm_iter_init(&it, (const unsigned char *) VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v),
					 err, sizeof(err)) != LK_OK)
		sipas_corrupt_error("sipas.form", err);
	mo_form_begin(st->mo);
	st->last = -1;				/* the next form starts with the first item again */
	for (;;)
	{
		const char *code;
		int			len,
					k,
					level;
		bool		done;
		sv_entry   *e;
		lk_status	rc;

		if (unlikely(fm_iter_next(&it, &code, &len, &k, &level, &done, err, sizeof(err)) != LK_OK))
			sipas_corrupt_error("sipas.form", err);
		if (done)
			break;
		e = sv_state_item(st, code, len, k, weighted && sign > 0);
		if (sign > 0)
		{
			rc = weighted ? lk_acc_add_weighted(e->acc, level, w) : lk_acc_add(e->acc, level);
			if (unlikely(rc != LK_OK))
				sipas_overflow_error();
		}
		else
		{
			if (e->acc->n[level - 1] < 1)
				return false;
			lk_acc_remove(e->acc, level);
		}
		/* st->mo may have grown for a new item: read it again */
		mo_form_answer(st->mo, (int) (e - st->items), level >= lk_satisfied_from(k));
	}
	return true;
}

/* the known items in the forms' code order (fm_code_cmp) */
static sv_state *sort_state;

static int
order_cmp(const void *a, const void *b)
{
	const sv_entry *x = &sort_state->items[*(const int32 *) a];
	const sv_entry *y = &sort_state->items[*(const int32 *) b];

	return fm_code_cmp(x->code, x->len, y->code, y->len);
}

/*
 * Room for the fast path's arrays: order and order_k for st->cap items,
 * order_codes for codes_len bytes of packed codes and the 8 bytes code_eq
 * may read past the last code's start (zeroed).
 */
static void
order_alloc(sv_state *st, Size codes_len)
{
	if (st->order_cap < st->cap)
	{
		if (st->order)
		{
			pfree(st->order);
			pfree(st->order_k);
		}
		st->order_cap = st->cap;
		st->order = MemoryContextAlloc(st->cxt, st->order_cap * sizeof(int32));
		st->order_k = MemoryContextAlloc(st->cxt, st->order_cap);
	}
	if (st->order_codes_room < codes_len + 8)
	{
		if (st->order_codes)
			pfree(st->order_codes);
		/* a little room to grow: items added later re-pack */
		st->order_codes_room = codes_len + 8 + codes_len / 4;
		st->order_codes = MemoryContextAlloc(st->cxt, st->order_codes_room);
	}
	memset(st->order_codes + codes_len, 0, 8);
}

static void
order_build(sv_state *st)
{
	unsigned char *q;
	Size		codes_len = 0;
	int			i;

	for (i = 0; i < st->nitems; i++)
		codes_len += st->items[i].len + 1;
	order_alloc(st, codes_len);
	for (i = 0; i < st->nitems; i++)
		st->order[i] = i;
	sort_state = st;
	qsort(st->order, st->nitems, sizeof(int32), order_cmp);
	st->order_identity = true;
	for (i = 0; i < st->nitems; i++)
		if (st->order[i] != i)
			st->order_identity = false;

	/*
	 * What the scan reads, packed: a few cache lines per state instead of
	 * one entry and one accumulator per item (the groups of a hash
	 * aggregate take turns, so little of a state stays in cache).
	 */
	q = st->order_codes;
	for (i = 0; i < st->nitems; i++)
	{
		const sv_entry *e = &st->items[st->order[i]];

		st->order_k[i] = (uint8) e->acc->k;
		*q++ = e->len;
		memcpy(q, e->code, e->len);
		q += e->len;
	}
	st->order_ok = true;
}

/*
 * Codes are short: one 8-byte word compares most of them (a call to
 * memcmp costs more).  a may be read 8 bytes from its start (order_codes
 * has the slack); b only when b_room says so.
 */
static pg_attribute_always_inline bool
code_eq(const unsigned char *a, const unsigned char *b, int len, size_t b_room)
{
	int			i;

	if (len <= 8 && b_room >= 8)
	{
		uint64		x,
					y;

		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		x ^= y;
		if (len == 8)
			return x == 0;
#ifdef WORDS_BIGENDIAN
		return (x >> (64 - 8 * len)) == 0;
#else
		return (x & ((UINT64CONST(1) << (8 * len)) - 1)) == 0;
#endif
	}
	for (i = 0; i < len; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/*
 * Match a stored form against the known items; true with every answer's
 * slot and level in slot[]/level[] (*n of them) when each answer is a known
 * item, in increasing code order, with that item's scale and a level on
 * it, and nothing is left over.  Reads only bytes inside [src, src + len).
 * false means "take the slow path", never an error: nothing is changed.
 */
static pg_attribute_always_inline bool
fast_walk(sv_state *st, const unsigned char *src, size_t len, int32 *restrict slot, uint8 *restrict level,
		  uint8 *restrict sat, int *n)
{
	const unsigned char *p = src + FM_STORE_HEADER;
	const unsigned char *end = src + len;
	const unsigned char *q;
	int			j = 0,
				a,
				na;
	uint16		cnt;

	if (len < FM_STORE_HEADER || src[0] != FM_STORE_VERSION || src[1] != 0)
		return false;
	memcpy(&cnt, src + 2, 2);
	na = cnt;
	if (na > st->nitems)
		return false;
	if (unlikely(!st->order_ok))
		order_build(st);
	{
		/* locals: the stores below may not make the compiler read st again */
		const int	nitems = st->nitems;
		const uint8 *restrict ks = st->order_k;
		const int32 *restrict order = st->order_identity ? NULL : st->order;

		q = st->order_codes;
		for (a = 0; a < na; a++)
		{
			int			clen,
						kl,
						k,
						lv;

			if (p >= end)
				return false;
			clen = *p;
			if ((size_t) (end - p) < (size_t) clen + 2)
				return false;
			/* the next known item with this code; those skipped are blanks */
			for (;;)
			{
				if (j >= nitems)
					return false;
				if (q[0] == clen && code_eq(q + 1, p + 1, clen, (size_t) (end - p - 1)))
					break;
				q += q[0] + 1;
				j++;
			}
			q += clen + 1;
			kl = p[clen + 1];
			k = ks[j];
			lv = kl & 15;
			if ((kl >> 4) != k || lv < 1 || lv > k)
				return false;
			slot[a] = order ? order[j] : j;
			level[a] = (uint8) lv;
			sat[a] = lv >= lk_satisfied_from(k);
			j++;
			p += clen + 2;
		}
	}
	if (p != end)
		return false;
	*n = na;
	return true;
}

/*
 * The items of the forms seen so far in this query, in the forms' code
 * order, kept in the transition function's fn_extra: the groups of one
 * GROUP BY mostly share a questionnaire, so a new group's state whose first
 * form fits them starts with all of them at once - already checked, hashed
 * once, in order - instead of finding, checking and sorting its items one by
 * one.  Items the group never answers stay empty and are not in its
 * summary (like an item whose answers all left a moving frame).
 */
typedef struct form_template
{
	int			n;
	uint8	   *k;				/* scale size of each item */
	unsigned char *codes;		/* packed like sv_state.order_codes */
	size_t		codes_len;
} form_template;

/* remember st's items (their order is built) when they are more than the template's */
static void
template_capture(FunctionCallInfo fcinfo, const sv_state *st)
{
	form_template *t = (form_template *) fcinfo->flinfo->fn_extra;
	MemoryContext cxt = fcinfo->flinfo->fn_mcxt;
	const unsigned char *q = st->order_codes;
	int			i;

	if (t == NULL)
		t = fcinfo->flinfo->fn_extra = MemoryContextAllocZero(cxt, sizeof(form_template));
	else
	{
		pfree(t->k);
		pfree(t->codes);
	}
	for (i = 0; i < st->nitems; i++)
		q += q[0] + 1;
	t->n = st->nitems;
	t->codes_len = q - st->order_codes;
	t->k = MemoryContextAlloc(cxt, Max(t->n, 1));
	/* + 8: code_eq reads a whole word from the last code too */
	t->codes = MemoryContextAllocZero(cxt, t->codes_len + 8);
	memcpy(t->k, st->order_k, t->n);
	memcpy(t->codes, st->order_codes, t->codes_len);
}

/* a fresh state: start it from the template if the form fits it */
static void
template_apply(FunctionCallInfo fcinfo, sv_state *st, const unsigned char *src, size_t len, bool weighted)
{
	form_template *t = (form_template *) fcinfo->flinfo->fn_extra;
	sv_state	view;
	int32		slot[FM_MAX_ITEMS];
	uint8		level[FM_MAX_ITEMS],
				sat[FM_MAX_ITEMS];
	int			n,
				i;

	if (t == NULL || t->n == 0)
		return;
	memset(&view, 0, sizeof(view));
	view.nitems = t->n;
	view.order_k = t->k;		/* order_identity: no order array read */
	view.order_codes = t->codes;
	view.order_ok = true;
	view.order_identity = true;
	if (!fast_walk(&view, src, len, slot, level, sat, &n))
		return;
	sv_state_reserve(st, Min(t->n + 1, FM_MAX_ITEMS));
	sv_state_add_checked(st, t->codes, t->k, t->n, weighted);
	order_alloc(st, t->codes_len);
	/* the items are in code order: slot i is the i-th code */
	for (i = 0; i < t->n; i++)
		st->order[i] = i;
	memcpy(st->order_k, t->k, t->n);
	memcpy(st->order_codes, t->codes, t->codes_len);
	st->order_ok = true;
	st->order_identity = true;
}

/* room in st->pend for every slot (only while nothing is pending) */
static void
pend_reserve(sv_state *st)
{
	int			i;

	sv_state_sync(st);
	if (st->pend)
		pfree(st->pend);
	st->pend_shift = 3;
	for (i = 0; i < st->nitems; i++)
		if (st->items[i].acc->k >= 8)
			st->pend_shift = 4;
	st->pend_cap = st->cap;
	st->pend = MemoryContextAllocZero(st->cxt, (Size) st->pend_cap << st->pend_shift);
}

/*
 * Add (sign +1) or remove (-1) one form; false when a removal is not
 * possible exactly.  *bits: the form went into the moments' pending block
 * already (the unweighted fast path): end it with mo_form_end_bits.
 */
static pg_attribute_always_inline bool
add_form(sv_state *st, const struct varlena *v, bool weighted, double w, int sign, bool *bits)
{	mo_acc	   *mo = st->mo;
	uint8		level[FM_MAX_ITEMS],
				sat_buf[FM_MAX_ITEMS];
	int32		slot_buf[FM_MAX_ITEMS];
	int32	   *restrict slot = slot_buf;
	uint8	   *restrict sat = sat_buf;
	int			n,
				nsat = 0,
				a;

	if (sign < 0)
		sv_state_sync(st);		/* removal reads the accumulators */

	/*
	 * The answers are matched into arrays on the stack (hot in cache, unlike
	 * the state's); the moments' record of the current form gets them only
	 * when the form is not ended with its bits set (weighted, removal).  A
	 * failed match leaves nothing behind: walk_form starts the form again.
	 */
	*bits = false;

	/*
	 * Ask for all of the form's cache lines at once: the walk below reads
	 * them in order, and waiting for each in turn costs more than the walk.
	 */
#if defined(__GNUC__) || defined(__clang__)
	{
		const char *b = (const char *) VARDATA_ANY(v);
		size_t		len = VARSIZE_ANY_EXHDR(v),
					off;

		for (off = 64; off < len; off += 64)
			__builtin_prefetch(b + off);
	}
#endif
	if (!fast_walk(st, (const unsigned char *) VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), slot, level, sat, &n))
		return walk_form(st, v, weighted, w, sign);
	if (sign < 0)
	{
		for (a = 0; a < n; a++)
			if (st->items[slot[a]].acc->n[level[a] - 1] < 1)
				return false;
	}
	else if (weighted)
	{
		/* every item's histogram must carry weights (an upgrade is rare) */
		for (a = 0; a < n; a++)
			if (unlikely(!st->items[slot[a]].acc->weighted))
				return walk_form(st, v, weighted, w, sign);
	}
	if (sign > 0 && !weighted)
	{
		uint8	   *restrict pend;
		int			shift;

		if (unlikely(st->pend_cap < st->nitems))
			pend_reserve(st);
		pend = st->pend;
		shift = st->pend_shift;
		for (a = 0; a < n; a++)
		{
			pend[(slot[a] << shift) + level[a]]++;
			nsat += sat[a];
		}
		if (likely(!mo->weighted))
		{
			mo_form_bits(mo, slot, sat, n);
			*bits = true;
		}
		if (++st->npend == SV_PEND_MAX)
			sv_state_sync_pending(st);
	}
	else
		for (a = 0; a < n; a++)
		{
			lk_acc	   *acc = st->items[slot[a]].acc;

			if (sign > 0)
			{
				if (unlikely(lk_acc_add_weighted(acc, level[a], w) != LK_OK))
					sipas_overflow_error();
			}
			else
				lk_acc_remove(acc, level[a]);
			nsat += sat[a];
		}
	if (!*bits)
	{
		/* mo->cap >= st->nitems >= n */
		memcpy(mo->cur_slot, slot, n * sizeof(int32));
		memcpy(mo->cur_sat, sat, n);
	}
	mo->cur_na = n;
	mo->cur_ns = nsat;
	return true;
}

/* (internal, form [, weight float8]) */
Datum
survey_form_trans(PG_FUNCTION_ARGS)
{
	bool		weighted = PG_NARGS() > 2;
	sv_state   *st;
	struct varlena *v;
	uint16		cnt = 0;		/* the form's answers (its header) */
	double		w = 1.0;
	bool		bits;

	if (PG_ARGISNULL(1))
	{
		/* no form: nothing counted (a NULL weight is fine with it) */
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	if (weighted)
		w = form_weight(fcinfo);
	v = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(1));
	if (VARSIZE_ANY_EXHDR(v) >= FM_STORE_HEADER)
		memcpy(&cnt, VARDATA_ANY(v) + 2, 2);
	if (PG_ARGISNULL(0))
	{
		/* a new group: room for its first form's items or the template's, and one more */
		form_template *t = (form_template *) fcinfo->flinfo->fn_extra;

		st = sv_get_state_cap(fcinfo, Max((int) cnt, t ? t->n : 0) + 1);
	}
	else
		st = sv_get_state(fcinfo);
	if (unlikely(st->mo == NULL || (weighted && !st->mo->weighted)))
	{
		if (st->nitems == 0 && st->mo == NULL)
			template_apply(fcinfo, st, (const unsigned char *) VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), weighted);
		/* size the moments once, from the first form's answer count (or the template's) */
		sv_state_forms_cap(st, weighted, Min((int) cnt + 1, FM_MAX_ITEMS));
	}
	add_form(st, v, weighted, w, 1, &bits);
	if (unlikely(st->order_ok && st->nitems > 0))
	{
		form_template *t = (form_template *) fcinfo->flinfo->fn_extra;

		if (t == NULL || st->nitems > t->n)
			template_capture(fcinfo, st);
	}
	if (unlikely((bits ? mo_form_end_bits(st->mo, st->mo->cur_na, st->mo->cur_ns) :
				  mo_form_end(st->mo, w)) != LK_OK))
		sipas_overflow_error();
	PG_RETURN_POINTER(st);
}

/*
 * Moving windows: unweighted forms leave exactly; weighted ones make the
 * frame recompute (NULL), since sums of squared weights cannot be taken
 * back without risk of rounding.
 */
Datum
survey_form_inv(PG_FUNCTION_ARGS)
{
	sv_state   *st = (sv_state *) PG_GETARG_POINTER(0);
	bool		bits;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	if (PG_NARGS() > 2 || st->mo == NULL || st->mo->weighted || st->rows)
		PG_RETURN_NULL();
	if (!add_form(st, PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(1)), false, 1.0, -1, &bits) ||
		!mo_form_remove(st->mo, 1.0))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(st);
}
