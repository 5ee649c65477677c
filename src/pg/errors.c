/*
 * errors.c - the error reports the wrappers share, one SQLSTATE, message
 * and detail per rule (see sipas_pg.h for the SQLSTATEs).
 */
#include "sipas_pg.h"

#include "mb/pg_wchar.h"

void
sipas_report(lk_status st, bool binary, const char *what, const char *detail)
{
	int			code;

	switch (st)
	{
		case LK_ERR_RANGE:
		case LK_ERR_OVERFLOW:
			code = ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
			break;
		default:
			code = binary ? ERRCODE_INVALID_BINARY_REPRESENTATION
				: ERRCODE_INVALID_TEXT_REPRESENTATION;
			break;
	}
	ereport(ERROR,
			(errcode(code),
			 errmsg("invalid %s", what),
			 errdetail("%s", detail)));
	pg_unreachable();
}

void
sipas_corrupt_error(const char *type, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("corrupt %s value", type),
			 errdetail("%s", detail)));
	pg_unreachable();
}

void
sipas_overflow_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("sipas count or weight sum out of range"),
			 errdetail("Counts are limited to 9223372036854775807 and weight sums must stay finite.")));
	pg_unreachable();
}

void
sipas_score_error(int32 score, int k, const char *item)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 item ? errmsg("score %d of item \"%s\" is out of range for a %d-level scale", score, item, k)
			 : errmsg("score %d is out of range for a %d-level scale", score, k),
			 errdetail("Scores must be whole numbers from 1 to %d; a NULL score means no answer.", k),
			 errhint("Store blank or invalid answers as NULL, or filter them with FILTER (WHERE ...).")));
	pg_unreachable();
}

void
sipas_weight_error(double w, int32 score, const char *item, bool isnull)
{
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 item ? errmsg("weight of score %d of item \"%s\" is NULL", score, item)
				 : errmsg("weight of score %d is NULL", score),
				 errdetail("Every answer given needs a weight; a NULL score (no answer) may have a NULL weight.")));
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 item ? errmsg("weight %g of score %d of item \"%s\" is not allowed", w, score, item)
			 : errmsg("weight %g of score %d is not allowed", w, score),
			 errdetail("Weights must be finite and not negative.")));
	pg_unreachable();
}

void
sipas_scale_mismatch_error(int k1, int k2)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot combine a %d-level scale with a %d-level scale", k1, k2),
			 errdetail("Every answer or summary in one aggregate must use the same scale size.")));
	pg_unreachable();
}

void
sipas_text_input_error(lk_status st, const char *type, const char *str, int clip,
					   const char *detail)
{
	size_t		len = strlen(str);
	int			cut = pg_mbcliplen(str, (int) len, clip);

	sipas_report(st, false,
				 psprintf("input syntax for type %s: \"%.*s%s\"", type, cut, str,
						  len > (size_t) cut ? "..." : ""),
				 detail);
}

void
sipas_item_code_error(const char *code, int len)
{
	sipas_item_code_error_at(code, len, NULL);
}

void
sipas_item_code_error_at(const char *code, int len, const char *where)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid item code \"%.*s\"", pg_mbcliplen(code, len, 40), code),
			 where ? errdetail("Item codes are %s. %s", SV_CODE_RULE, where)
			 : errdetail("Item codes are %s.", SV_CODE_RULE)));
	pg_unreachable();
}

void
sipas_too_many_items_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many items in one survey summary"),
			 errdetail("A summary holds at most %d items.", SV_MAX_ITEMS)));
	pg_unreachable();
}
