/*
 * survey_state.h - the aggregation state shared by survey_agg over answer
 * rows (survey_agg.c), over forms (survey_form_agg.c) and rollup(survey).
 */
#ifndef SIPAS_SURVEY_STATE_H
#define SIPAS_SURVEY_STATE_H

#include "sipas_pg.h"

#include "../core/moments.h"

typedef struct sv_entry
{
	char		code[SV_CODE_MAX + 1];
	uint8		len;
	bool		acc_shared;		/* acc lives in a block of several (not pfree'd) */
	lk_acc	   *acc;
} sv_entry;

typedef struct sv_state
{
	MemoryContext cxt;			/* where entries and accumulators live */
	int			nitems;
	int			cap;
	int			nslots;			/* power of two, >= 2 * cap */
	int			last;			/* last item found: answers come in runs */
	sv_entry   *items;
	int32	   *slots;			/* index into items, -1 = empty */

	/*
	 * Forms: respondent-level moments over the items (slot = index into
	 * items).  'rows' says that answer rows or summaries without forms
	 * section went in too: the result then has no forms section (its
	 * moments would be incomplete).
	 */
	mo_acc	   *mo;				/* NULL until a form or forms section */
	bool		rows;

	/*
	 * The forms' fast path (survey_form_agg.c): the items in the forms' own
	 * code order, so that a form is matched against them in one forward
	 * scan.  Rebuilt when an item is added (order_ok false).
	 */
	int32	   *order;			/* order_cap entries: slots in code order */
	uint8	   *order_k;		/* the scale size of each, same order */
	unsigned char *order_codes; /* their codes packed: length byte, bytes */
	int			order_cap;
	Size		order_codes_room;	/* bytes order_codes has */
	bool		order_ok;
	bool		order_identity; /* order[i] == i (a state started from the template) */

	/*
	 * Unweighted forms on the fast path count their levels here first
	 * ((slot << pend_shift) + level, at most 255 forms), not in the items'
	 * accumulators: a few cache lines per state instead of one per item.
	 * sv_state_sync moves them into the accumulators; everything that reads
	 * or changes an accumulator any other way syncs first.
	 */
	uint8	   *pend;
	int			pend_cap;		/* slots pend has room for */
	int			pend_shift;		/* a slot's counts are 1 << pend_shift bytes:
								 * 3 while every scale has at most 7 levels
								 * (fewer cache lines per form), else 4 */
	int			npend;			/* forms counted in pend */
} sv_state;

#define SV_PEND_LEVELS 16		/* > LK_MAX_K: the widest stride of pend */
#define SV_PEND_MAX 255			/* forms before a sync (uint8 counts) */

extern sv_state *sv_state_new(MemoryContext cxt);
/* with room for cap items from the start */
extern sv_state *sv_state_new_cap(MemoryContext cxt, int cap);
extern sv_state *sv_get_state(FunctionCallInfo fcinfo);
extern sv_state *sv_get_state_cap(FunctionCallInfo fcinfo, int cap);
extern sv_entry *sv_state_item(sv_state *st, const char *code, int len, int k, bool weighted);
/* room for want items without growing again (sized once from a first form) */
extern void sv_state_reserve(sv_state *st, int want);
/* a fresh state's items at once, from checked codes (survey_form_agg.c's template) */
extern void sv_state_add_checked(sv_state *st, const unsigned char *codes, const uint8 *k, int n,
								 bool weighted);
/* move the fast path's pending level counts into the accumulators */
extern void sv_state_sync_pending(sv_state *st);

static inline void
sv_state_sync(sv_state *st)
{
	if (unlikely(st->npend > 0))
		sv_state_sync_pending(st);
}
/* make sure st->mo exists, covers every item and is weighted if asked */
extern void sv_state_forms(sv_state *st, bool weighted);
/* the same, with room for at least 'want' items (sized once from a first form) */
extern void sv_state_forms_cap(sv_state *st, bool weighted, int want);

#endif							/* SIPAS_SURVEY_STATE_H */
