/*
 * sipas_pg.h - what the fmgr wrappers share: converting sipas.likert
 * datums to and from lk_summary, and turning lk_status into ereport.
 */
#ifndef SIPAS_PG_H
#define SIPAS_PG_H

#include "postgres.h"
#include "fmgr.h"

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

#endif							/* SIPAS_PG_H */
