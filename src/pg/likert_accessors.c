/*
 * likert_accessors.c - figures read off a sipas.likert value, and building
 * one from counts.  The math is in src/core/lk_stats.c.
 */
#include "sipas_pg.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "../core/lk_index.h"

PG_FUNCTION_INFO_V1(likert_from_counts);
PG_FUNCTION_INFO_V1(likert_scale_size);
PG_FUNCTION_INFO_V1(likert_counts);
PG_FUNCTION_INFO_V1(likert_n);
PG_FUNCTION_INFO_V1(likert_weighted_n);
PG_FUNCTION_INFO_V1(likert_effective_n);
PG_FUNCTION_INFO_V1(likert_mean_score);
PG_FUNCTION_INFO_V1(likert_share);
PG_FUNCTION_INFO_V1(likert_distribution);
PG_FUNCTION_INFO_V1(likert_satisfaction_index);
PG_FUNCTION_INFO_V1(likert_std_error);
PG_FUNCTION_INFO_V1(likert_confidence_interval);

static const sipas_option ci_methods[] = {
	{"wilson", LK_CI_WILSON, NULL},
	{"logit", LK_CI_LOGIT, NULL},
	{NULL}
};

Datum
likert_from_counts(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *elems;
	bool	   *nulls;
	int			nelems,
				i;
	char		err[LK_ERRBUF];
	lk_summary	s;
	lk_status	st;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("counts must be a one-dimensional array, not %d-dimensional", ARR_NDIM(arr))));
	deconstruct_array(arr, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &nelems);
	if (nelems < LK_MIN_K || nelems > LK_MAX_K)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%d counts given; a scale has %d to %d levels", nelems, LK_MIN_K, LK_MAX_K),
				 errdetail("Pass one count per level, lowest level first.")));
	lk_summary_init(&s, nelems);
	for (i = 0; i < nelems; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("count of level %d is NULL", i + 1),
					 errdetail("Every level needs a count; use 0 for a level nobody chose.")));
		s.n[i] = DatumGetInt64(elems[i]);
	}
	st = lk_summary_check(&s, err, sizeof(err));
	if (st != LK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("invalid counts for sipas.likert"),
				 errdetail("%s", err)));
	PG_RETURN_DATUM(sipas_likert_datum(&s));
}

Datum
likert_scale_size(PG_FUNCTION_ARGS)
{
	lk_summary	s;

	sipas_read_likert_arg(fcinfo, 0, &s);
	PG_RETURN_INT32(s.k);
}

Datum
likert_counts(PG_FUNCTION_ARGS)
{
	lk_summary	s;
	Datum		elems[LK_MAX_K];
	int			i;

	sipas_read_likert_arg(fcinfo, 0, &s);
	for (i = 0; i < s.k; i++)
		elems[i] = Int64GetDatum(s.n[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, s.k, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

Datum
likert_n(PG_FUNCTION_ARGS)
{
	lk_summary	s;

	sipas_read_likert_arg(fcinfo, 0, &s);
	PG_RETURN_INT64(lk_summary_n(&s));
}

Datum
likert_weighted_n(PG_FUNCTION_ARGS)
{
	lk_summary	s;

	double		total;

	sipas_read_likert_arg(fcinfo, 0, &s);
	total = lk_weight_total(&s);
	if (!isfinite(total))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sum of weights is out of range for double precision"),
				 errdetail("The weight sums of the levels add up to more than 1.8e308.")));
	PG_RETURN_FLOAT8(total);
}

Datum
likert_effective_n(PG_FUNCTION_ARGS)
{
	lk_summary	s;
	double		v;

	sipas_read_likert_arg(fcinfo, 0, &s);
	if (!lk_effective_n(&s, &v))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(v);
}

Datum
likert_mean_score(PG_FUNCTION_ARGS)
{
	lk_summary	s;
	double		v;

	sipas_read_likert_arg(fcinfo, 0, &s);
	if (!lk_mean_score(&s, &v))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(v);
}

Datum
likert_share(PG_FUNCTION_ARGS)
{
	lk_summary	s;
	int32		level = PG_GETARG_INT32(1);
	double		v;

	sipas_read_likert_arg(fcinfo, 0, &s);
	sipas_check_level(level, s.k);
	if (!lk_level_percent(&s, level, &v))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(v);
}

Datum
likert_distribution(PG_FUNCTION_ARGS)
{
	lk_summary	s;
	Datum		elems[LK_MAX_K];
	double		v;
	int			i;

	sipas_read_likert_arg(fcinfo, 0, &s);
	for (i = 0; i < s.k; i++)
	{
		if (!lk_level_percent(&s, i + 1, &v))
			PG_RETURN_NULL();
		elems[i] = Float8GetDatum(v);
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, s.k, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

Datum
likert_satisfaction_index(PG_FUNCTION_ARGS)
{
	lk_summary	s;
	double		v;

	sipas_read_likert_arg(fcinfo, 0, &s);
	if (!lk_index(&s, &v))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(v);
}

Datum
likert_std_error(PG_FUNCTION_ARGS)
{
	lk_summary	s;
	double		v;

	sipas_read_likert_arg(fcinfo, 0, &s);
	if (!lk_index_std_error(&s, &v))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(v);
}

Datum
likert_confidence_interval(PG_FUNCTION_ARGS)
{
	lk_summary	s;
	double		confidence = sipas_check_confidence(PG_GETARG_FLOAT8(1));
	lk_ci_method m = sipas_parse_option_text(PG_GETARG_TEXT_PP(2), ci_methods,
											 "confidence interval method", "methods");
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	double		lower,
				upper;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "confidence_interval must return a composite type");

	sipas_read_likert_arg(fcinfo, 0, &s);
	if (lk_index_interval(&s, confidence, m, &lower, &upper))
	{
		values[0] = Float8GetDatum(lower);
		values[1] = Float8GetDatum(upper);
	}
	else
		nulls[0] = nulls[1] = true;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

/*
 * change_test(now, before): the year-on-year change of the satisfaction
 * index between two independent samples, in points, with its standard
 * error, z statistic and two-sided p-value.
 */
PG_FUNCTION_INFO_V1(likert_change_test);
Datum
likert_change_test(PG_FUNCTION_ARGS)
{
	lk_summary	now,
				before;
	TupleDesc	tupdesc;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	double		diff,
				se,
				z,
				p;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "change_test must return a composite type");
	sipas_read_likert_arg(fcinfo, 0, &now);
	sipas_read_likert_arg(fcinfo, 1, &before);
	if (lk_index_change(&now, &before, &diff, &se, &z, &p))
	{
		values[0] = Float8GetDatum(diff);
		values[1] = Float8GetDatum(se);
		values[2] = Float8GetDatum(z);
		values[3] = Float8GetDatum(p);
	}
	else
	{
		nulls[1] = nulls[2] = nulls[3] = true;
		/* the change itself exists whenever both indices do */
		if (lk_index_difference(&now, &before, &diff))
			values[0] = Float8GetDatum(diff);
		else
			nulls[0] = true;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

/* change_significant(now, before, confidence): is the change beyond noise? */
PG_FUNCTION_INFO_V1(likert_change_significant);
Datum
likert_change_significant(PG_FUNCTION_ARGS)
{
	lk_summary	now,
				before;
	double		confidence = sipas_check_confidence(PG_GETARG_FLOAT8(2));
	double		diff,
				se,
				z,
				p;

	sipas_read_likert_arg(fcinfo, 0, &now);
	sipas_read_likert_arg(fcinfo, 1, &before);
	if (!lk_index_change(&now, &before, &diff, &se, &z, &p))
		PG_RETURN_NULL();
	PG_RETURN_BOOL(p < 1.0 - confidence);
}
