/*
 * survey_reads.c - figures of summaries built from forms that need their
 * clustered variance: change_test and change_significant between two
 * independent summaries, and the province aggregates province_index /
 * province_std_error over the summaries of its units.  Summaries of answer
 * rows are refused where the clustered variance is needed (22023, with a
 * hint to build forms).
 */
#include "survey_node.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "../core/contrast.h"
#include "../core/lk_index.h"

PG_FUNCTION_INFO_V1(survey_change_test);
PG_FUNCTION_INFO_V1(survey_change_significant);
PG_FUNCTION_INFO_V1(survey_province_trans);
PG_FUNCTION_INFO_V1(survey_province_combine);
PG_FUNCTION_INFO_V1(survey_province_index_final);
PG_FUNCTION_INFO_V1(survey_province_std_error_final);

/* a text argument that must not be NULL */
static char *
text_arg(FunctionCallInfo fcinfo, int argno, const char *what, const char *detail)
{
	if (PG_ARGISNULL(argno))
		sipas_null_arg_error(what, detail);
	return text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

/*
 * The change test of (now, before, node, questionnaire, rule) from argument
 * 'first' on; false when either summary is NULL or the node has no index
 * in one of them; *tested says whether se, z and p exist.
 */
static bool
change_of(FunctionCallInfo fcinfo, const char *what, int node_arg, double *diff, double *se,
		  double *z, double *p, bool *tested)
{
	const char *node = PG_ARGISNULL(node_arg) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(node_arg));
	const char *q = text_arg(fcinfo, node_arg + 1, "questionnaire", "Pass a questionnaire code, e.g. '2023'.");
	hr_rule		rule;
	sipas_node_figure now,
				before;

	if (PG_ARGISNULL(node_arg + 2))
		sipas_null_arg_error("rule", "Pass mean, weighted or items.");
	rule = sipas_parse_rule(PG_GETARG_TEXT_PP(node_arg + 2));

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		return false;
	/* one after the other: the tree is the catalogue's scratch copy */
	sipas_node_figure_get(fcinfo->flinfo, PG_GETARG_DATUM(0), node, q, rule, &now);
	if (!now.forms)
		sipas_needs_forms_error(what);
	sipas_node_figure_get(fcinfo->flinfo, PG_GETARG_DATUM(1), node, q, rule, &before);
	if (!before.forms)
		sipas_needs_forms_error(what);
	if (!now.has || !before.has)
		return false;
	*tested = now.has_var && before.has_var &&
		cx_change(now.value, now.var, before.value, before.var, diff, se, z, p);
	if (!*tested)
		*diff = now.value - before.value;
	return true;
}

/*
 * change_test(now, before, node, questionnaire, rule) -> points, std_error,
 * z, p_value: the change of the node's index between two independent
 * summaries of forms, in points, with the clustered standard error
 * sqrt(se_now^2 + se_before^2) and the two-sided normal test.  All NULL
 * when a summary is NULL or the node has no index in one of them; only
 * points when a standard error does not exist (a single form) or both are 0.
 */
Datum
survey_change_test(PG_FUNCTION_ARGS)
{
	TupleDesc	desc;
	Datum		values[4];
	bool		nulls[4] = {true, true, true, true};
	double		diff,
				se,
				z,
				p;
	bool		tested = false;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "change_test: return type must be a row type");
	desc = BlessTupleDesc(desc);
	if (change_of(fcinfo, "change_test", 2, &diff, &se, &z, &p, &tested))
	{
		values[0] = Float8GetDatum(lk_percent(diff));
		nulls[0] = false;
		if (tested)
		{
			values[1] = Float8GetDatum(lk_percent(se));
			values[2] = Float8GetDatum(z);
			values[3] = Float8GetDatum(p);
			nulls[1] = nulls[2] = nulls[3] = false;
		}
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

/* change_significant(now, before, confidence, node, questionnaire, rule) */
Datum
survey_change_significant(PG_FUNCTION_ARGS)
{
	double		confidence,
				diff,
				se,
				z,
				p;
	bool		tested = false;

	if (PG_ARGISNULL(2))
		sipas_null_arg_error("confidence", "Pass a confidence level strictly between 0 and 1, e.g. 0.95.");
	confidence = sipas_check_confidence(PG_GETARG_FLOAT8(2));
	if (!change_of(fcinfo, "change_significant", 3, &diff, &se, &z, &p, &tested) || !tested)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(p < 1.0 - confidence);
}

/* ---- the province: the mean of its units ---- */

static cx_mean *
province_state(ArrayType *a)
{
	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != CX_MEAN_FIELDS || ARR_HASNULL(a) ||
		ARR_ELEMTYPE(a) != FLOAT8OID)
		elog(ERROR, "province aggregate: expected a %d-element float8 array", CX_MEAN_FIELDS);
	StaticAssertStmt(sizeof(cx_mean) == CX_MEAN_FIELDS * sizeof(float8), "cx_mean is an array of float8");
	/* no NULL bitmap (checked): the data start right after the fixed header */
	return (cx_mean *) ((char *) a + ARR_OVERHEAD_NONULLS(1));
}

/* a writable state: in place inside an aggregate (as float8_accum), else a copy */
static ArrayType *
province_arg(FunctionCallInfo fcinfo)
{
	return AggCheckCallContext(fcinfo, NULL) ? PG_GETARG_ARRAYTYPE_P(0) : PG_GETARG_ARRAYTYPE_P_COPY(0);
}

/*
 * (state, s [, node [, questionnaire, rule]]): one unit.  Units whose node
 * has no index are left out; the index, its clustered variance (or that it
 * has none) and whether the summary has forms are counted.
 */
Datum
survey_province_trans(PG_FUNCTION_ARGS)
{
	ArrayType  *a = province_arg(fcinfo);
	cx_mean    *m = province_state(a);
	const char *node = PG_NARGS() > 2 ? text_to_cstring(PG_GETARG_TEXT_PP(2)) : NULL;
	const char *q = PG_NARGS() > 4 ? text_to_cstring(PG_GETARG_TEXT_PP(3)) : "2023";
	hr_rule		rule = PG_NARGS() > 4 ? sipas_parse_rule(PG_GETARG_TEXT_PP(4)) : HR_MEAN;
	sipas_node_figure f;

	sipas_node_figure_get(fcinfo->flinfo, PG_GETARG_DATUM(1), node, q, rule, &f);
	if (f.has)
		cx_mean_add(m, f.value, f.has_var, f.var, f.forms);
	PG_RETURN_ARRAYTYPE_P(a);
}

Datum
survey_province_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = province_arg(fcinfo);
	cx_mean    *m = province_state(a);

	cx_mean_merge(m, province_state(PG_GETARG_ARRAYTYPE_P(1)));
	PG_RETURN_ARRAYTYPE_P(a);
}

Datum
survey_province_index_final(PG_FUNCTION_ARGS)
{
	double		mean;

	if (!cx_mean_value(province_state(PG_GETARG_ARRAYTYPE_P(0)), &mean))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(lk_percent(mean));
}

/* sqrt(sum of the units' clustered variances) / units, in points */
Datum
survey_province_std_error_final(PG_FUNCTION_ARGS)
{
	cx_mean    *m = province_state(PG_GETARG_ARRAYTYPE_P(0));
	double		var;

	if (m->no_forms > 0.0)
		sipas_needs_forms_error("province_std_error");
	if (!cx_mean_var(m, &var))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(lk_percent(sqrt(var)));
}
