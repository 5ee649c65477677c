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
	int			order_cap;
	bool		order_ok;
} sv_state;

extern sv_state *sv_state_new(MemoryContext cxt);
extern sv_state *sv_get_state(FunctionCallInfo fcinfo);
extern sv_entry *sv_state_item(sv_state *st, const char *code, int len, int k, bool weighted);
/* make sure st->mo exists, covers every item and is weighted if asked */
extern void sv_state_forms(sv_state *st, bool weighted);
/* the same, with room for at least 'want' items (sized once from a first form) */
extern void sv_state_forms_cap(sv_state *st, bool weighted, int want);

#endif							/* SIPAS_SURVEY_STATE_H */
