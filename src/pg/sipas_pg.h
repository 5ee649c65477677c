/*
 * sipas_pg.h - what the fmgr wrappers share: converting sipas.likert
 * datums to and from lk_summary, and turning lk_status into ereport.
 */
#ifndef SIPAS_PG_H
#define SIPAS_PG_H

#include "postgres.h"
#include "fmgr.h"
#include "lib/stringinfo.h"

#include <math.h>

#include "../core/likert.h"
#include "../core/survey.h"

/* palloc'd varlena of a canonical summary */
extern Datum sipas_likert_datum(lk_summary *s);

/* decode a stored value (checks header and length; errors on corruption) */
extern void sipas_likert_get(Datum d, lk_summary *s);

#define PG_GETARG_LIKERT(n, s) sipas_likert_get(PG_GETARG_DATUM(n), (s))

/* decode a stored sipas.survey value into palloc'd items */
extern void sipas_survey_get(Datum d, sv_summary *s);
/* palloc'd varlena of a sorted, canonical survey summary */
extern Datum sipas_survey_datum(const sv_summary *s);

/*
 * Raise the error an lk_status stands for.  'binary' selects 22P03 instead
 * of 22P02 for syntax problems; 'what' names the thing being read.
 */
extern void sipas_report(lk_status st, bool binary, const char *what, const char *detail) pg_attribute_noreturn();

/* agg_common.c: shared by the likert and survey aggregates */
extern void sipas_overflow_error(void) pg_attribute_noreturn();
extern void sipas_score_error(int32 score, int k, const char *item) pg_attribute_noreturn();
extern void sipas_weight_error(double w, int32 score, const char *item, bool isnull) pg_attribute_noreturn();
extern void sipas_send_acc(StringInfo buf, const lk_acc *a);
extern lk_acc *sipas_recv_acc(StringInfo buf, MemoryContext cxt, bool allow_empty);
extern bool sipas_args_bytes_equal(FunctionCallInfo fcinfo);
extern Datum sipas_arg_bytes_hash(FunctionCallInfo fcinfo);

/* a weight must be finite and not negative; NULL only without an answer */
static inline void
sipas_check_weight(FunctionCallInfo fcinfo, int argno, int32 score, const char *item, double *w)
{
	if (unlikely(PG_ARGISNULL(argno)))
		sipas_weight_error(0.0, score, item, true);
	*w = PG_GETARG_FLOAT8(argno);
	if (unlikely(isnan(*w) || isinf(*w) || *w < 0.0))
		sipas_weight_error(*w, score, item, false);
}

#endif							/* SIPAS_PG_H */
