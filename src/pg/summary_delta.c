/*
 * summary_delta.c - sipas_internal.survey_subtract(a, b): a minus b, for the
 * rollups kept by deltas (extension/1.2/80_rollup.sql).  The arithmetic is
 * src/core/summary_delta.c; here only the NULL cases and the result row.
 */
#include "sipas_pg.h"

#include "access/htup_details.h"
#include "funcapi.h"

#include "../core/summary_delta.h"

PG_FUNCTION_INFO_V1(survey_subtract);

/*
 * (exact, result): exact = false when a - b cannot be known from the two
 * summaries (the caller recomputes from the rows; result is NULL then).
 * NULL is the summary of no rows: a - NULL = a, NULL - NULL = NULL, and
 * NULL - b (b not NULL) is not exact.  Not STRICT for that reason.
 */
Datum
survey_subtract(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	bool		exact = true;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "survey_subtract: the result type is not a row type");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			nulls[1] = true;
		else
			values[1] = PG_GETARG_DATUM(0);
	}
	else if (PG_ARGISNULL(0))
	{
		exact = false;
		nulls[1] = true;
	}
	else
	{
		sv_summary	a,
					b,
					r;

		sipas_survey_get(PG_GETARG_DATUM(0), &a);
		sipas_survey_get(PG_GETARG_DATUM(1), &b);
		r.items = palloc(Max(a.nitems, 1) * sizeof(sv_item));
		r.forms = a.forms ? palloc(sv_forms_storage(a.nitems)) : NULL;
		exact = sd_sv_subtract(&a, &b, &r);
		if (exact && (r.nitems > 0 || r.forms != NULL))
			values[1] = sipas_survey_datum(&r);
		else
			nulls[1] = true;
	}
	values[0] = BoolGetDatum(exact);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}
