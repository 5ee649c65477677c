/*
 * survey_form_agg.c - survey_agg(form [, weight]): one pass over forms into
 * every item's histogram and the respondent-level moments (the forms
 * section).  The state is survey_agg's (survey_state.h); combine,
 * serialize, deserialize and final are survey_agg.c's.
 *
 * The hot path walks the stored form in place (fm_iter: no copy, no
 * palloc), predicts each answer's slot (the forms of one questionnaire list
 * the same items in the same order) and records (slot, satisfied) for the
 * moments accumulator, which folds 64 forms at a time with AND + popcount.
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
walk_form(sv_state *st, Datum d, bool weighted, double w, int sign)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(d);
	char		err[LK_ERRBUF];
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

/* (internal, form [, weight float8]) */
Datum
survey_form_trans(PG_FUNCTION_ARGS)
{
	bool		weighted = PG_NARGS() > 2;
	sv_state   *st;
	double		w = 1.0;

	if (PG_ARGISNULL(1))
	{
		/* no form: nothing counted (a NULL weight is fine with it) */
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	if (weighted)
		w = form_weight(fcinfo);
	st = sv_get_state(fcinfo);
	if (unlikely(st->mo == NULL || (weighted && !st->mo->weighted)))
		sv_state_forms(st, weighted);
	walk_form(st, PG_GETARG_DATUM(1), weighted, w, 1);
	if (unlikely(mo_form_end(st->mo, w) != LK_OK))
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

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	if (PG_NARGS() > 2 || st->mo == NULL || st->mo->weighted || st->rows)
		PG_RETURN_NULL();
	if (!walk_form(st, PG_GETARG_DATUM(1), false, 1.0, -1) || !mo_form_remove(st->mo, 1.0))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(st);
}
