/*
 * args.c - argument checks and enumerated text options: each rule once,
 * with one SQLSTATE, message and detail, so that every function that takes
 * a confidence, a scale size, a level, decimals or an option reports a bad
 * one the same way.
 */
#include "sipas_pg.h"

#include "utils/builtins.h"

double
sipas_check_confidence(double confidence)
{
	if (!(confidence > 0.0 && confidence < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence %g is out of range", confidence),
				 errdetail("The confidence level must lie strictly between 0 and 1, e.g. 0.95.")));
	return confidence;
}

int
sipas_check_scale_size(int32 k)
{
	if (k < LK_MIN_K || k > LK_MAX_K)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("scale size %d is out of range", k),
				 errdetail("A scale has %d to %d levels.", LK_MIN_K, LK_MAX_K)));
	return k;
}

int
sipas_arg_scale_size(FunctionCallInfo fcinfo, int argno)
{
	if (PG_NARGS() <= argno)
		return LK_DEFAULT_K;
	if (PG_ARGISNULL(argno))
		sipas_null_arg_error("scale size",
							 psprintf("Pass the number of levels of the scale, %d to %d.", LK_MIN_K, LK_MAX_K));
	return sipas_check_scale_size(PG_GETARG_INT32(argno));
}

int
sipas_check_level(int32 level, int k)
{
	if (level < 1 || level > k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("level %d is out of range for a %d-level scale", level, k),
				 errdetail("Levels are numbered 1 to %d.", k)));
	return level;
}

int32
sipas_check_decimals(int32 decimals)
{
	if (decimals < SIPAS_MIN_DECIMALS || decimals > SIPAS_MAX_DECIMALS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("decimals %d is out of range", decimals),
				 errdetail("Ties can be decided on values rounded to %d to %d decimals; pass NULL for full precision.",
						   SIPAS_MIN_DECIMALS, SIPAS_MAX_DECIMALS)));
	return decimals;
}

void
sipas_null_arg_error(const char *what, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			 errmsg("%s must not be NULL", what),
			 detail ? errdetail("%s", detail) : 0));
	pg_unreachable();
}

MemoryContext
sipas_agg_context(FunctionCallInfo fcinfo, const char *fn)
{
	MemoryContext cxt;

	if (!AggCheckCallContext(fcinfo, &cxt))
		elog(ERROR, "%s called in non-aggregate context", fn);
	return cxt;
}

int
sipas_parse_option(const char *value, const sipas_option *options, const char *what,
				   const char *plural)
{
	const sipas_option *o;
	StringInfoData known;

	for (o = options; o->name != NULL; o++)
		if (pg_strcasecmp(value, o->name) == 0)
			return o->value;

	/* "Known rules: mean (plain mean of children, default), weighted (node weights)." */
	initStringInfo(&known);
	for (o = options; o->name != NULL; o++)
	{
		if (o != options)
			appendStringInfoString(&known, ", ");
		appendStringInfoString(&known, o->name);
		if (o->note && o == options)
			appendStringInfo(&known, " (%s, default)", o->note);
		else if (o->note)
			appendStringInfo(&known, " (%s)", o->note);
		else if (o == options)
			appendStringInfoString(&known, " (default)");
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown %s \"%s\"", what, value),
			 errdetail("Known %s: %s.", plural, known.data)));
	pg_unreachable();
}

int
sipas_parse_option_text(text *value, const sipas_option *options, const char *what,
						const char *plural)
{
	return sipas_parse_option(text_to_cstring(value), options, what, plural);
}
