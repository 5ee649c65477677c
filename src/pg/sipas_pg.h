/*
 * sipas_pg.h - the toolkit of the fmgr wrappers: converting sipas.likert
 * datums to and from lk_summary, argument checks and option parsing with
 * one SQLSTATE, message and detail per rule, and the error reports the
 * wrappers share.  See "Naming" and "Errors" in doc/architecture.md.
 *
 * SQLSTATEs, one per rule:
 *   22023 invalid_parameter_value  an argument outside its allowed values:
 *                                  confidence, scale size, level, decimals,
 *                                  an unknown option, mismatched scales
 *   22004 null_value_not_allowed   a NULL argument that must not be NULL
 *   22003 numeric_value_out_of_range  data outside its range: scores,
 *                                  weights, counts, sums
 *   22P02 / 22P03                  malformed text / binary input
 *   XX001 data_corrupted           a stored value that fails its checks
 */
#ifndef SIPAS_PG_H
#define SIPAS_PG_H

#include "postgres.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#if PG_VERSION_NUM >= 160000
#include "varatt.h"				/* VARDATA_ANY, SET_VARSIZE, ... (in postgres.h before 16) */
#endif

#include <math.h>

/*
 * A function that does not return: PostgreSQL 18 replaced the suffix
 * pg_attribute_noreturn() by the prefix pg_noreturn.  Before 18 the attribute
 * is written first too (GCC and clang accept it there), so every declaration
 * here reads "pg_noreturn extern void f(...);" on both.
 */
#if PG_VERSION_NUM < 180000 && !defined(pg_noreturn)
#define pg_noreturn pg_attribute_noreturn()
#endif

#include "../core/likert.h"
#include "../core/survey.h"

/* ---- sipas.likert datums (likert_type.c) ---- */

/* palloc'd varlena of a canonical summary */
extern Datum sipas_likert_datum(lk_summary *s);

/* decode a stored value (checks header and length; errors on corruption) */
extern void sipas_likert_get(Datum d, lk_summary *s);

/* decode argument argno, a sipas.likert, into *s */
static inline void
sipas_read_likert_arg(FunctionCallInfo fcinfo, int argno, lk_summary *s)
{
	sipas_likert_get(PG_GETARG_DATUM(argno), s);
}

/* decode a stored sipas.survey value into palloc'd items */
extern void sipas_survey_get(Datum d, sv_summary *s);
/* the items alone (s->forms NULL): for readers that use no moments */
extern void sipas_survey_get_items(Datum d, sv_summary *s);
/* palloc'd varlena of a sorted, canonical survey summary */
extern Datum sipas_survey_datum(const sv_summary *s);
/* the same, the unweighted pairs from row(arg, j, ...) (sv_store_rows) */
extern Datum sipas_survey_datum_rows(const sv_summary *s, sv_pair_row_fn row, void *arg);

/* ---- argument checks (args.c) ---- */

/* confidence level strictly between 0 and 1 (22023); returns it */
extern double sipas_check_confidence(double confidence);

/* scale size LK_MIN_K..LK_MAX_K (22023); returns it */
extern int	sipas_check_scale_size(int32 k);

/*
 * The optional scale-size argument argno: LK_DEFAULT_K when the function has
 * no such argument, 22004 when it is NULL, else sipas_check_scale_size.
 * Checked on every call, whatever the other arguments (a NULL score too).
 */
extern int	sipas_arg_scale_size(FunctionCallInfo fcinfo, int argno);

/* level 1..k of a k-level scale (22023); returns it */
extern int	sipas_check_level(int32 level, int k);

/*
 * decimals for rounding before ties are decided (the ranking window
 * functions), SIPAS_MIN_DECIMALS..SIPAS_MAX_DECIMALS (22023); the message is
 * the one rank_window.c raises today, so converting it changes no output
 */
#define SIPAS_MIN_DECIMALS 0
#define SIPAS_MAX_DECIMALS 15
extern int32 sipas_check_decimals(int32 decimals);

/* "<what> must not be NULL" (22004), with an optional detail */
pg_noreturn extern void sipas_null_arg_error(const char *what, const char *detail);

/*
 * The aggregate's memory context, or an error when fn (an aggregate support
 * function) was called outside an aggregate.
 */
extern MemoryContext sipas_agg_context(FunctionCallInfo fcinfo, const char *fn);

/*
 * The smallint and integer entry points NAME_int2 and NAME_int4 of one
 * aggregate support function whose score is argument ARGNO: both call
 * BODY(fcinfo, score, score_is_null), one body per family (as PostgreSQL's
 * leadlag_common).  Used after BODY, at file level, followed by ";".
 */
#define SIPAS_SCORE_ENTRY_POINTS(name, body, argno) \
	PG_FUNCTION_INFO_V1(name##_int2); \
	PG_FUNCTION_INFO_V1(name##_int4); \
	Datum \
	name##_int2(PG_FUNCTION_ARGS) \
	{ \
		return body(fcinfo, PG_ARGISNULL(argno) ? 0 : PG_GETARG_INT16(argno), PG_ARGISNULL(argno)); \
	} \
	Datum \
	name##_int4(PG_FUNCTION_ARGS) \
	{ \
		return body(fcinfo, PG_ARGISNULL(argno) ? 0 : PG_GETARG_INT32(argno), PG_ARGISNULL(argno)); \
	} \
	extern int	no_such_variable

/* ---- enumerated text options (args.c) ---- */

/*
 * One allowed value of a text option: its name (matched case-insensitively),
 * the value returned for it, and an optional note for the error detail.
 * Tables end with {NULL}; the first entry is the default and is listed as
 * such.  An unknown value raises 22023:
 *   unknown <what> "<value>"
 *   Known <plural>: a (default), b (note), ...
 */
typedef struct sipas_option
{
	const char *name;
	int			value;
	const char *note;
} sipas_option;

extern int	sipas_parse_option(const char *value, const sipas_option *options,
							   const char *what, const char *plural);
extern int	sipas_parse_option_text(text *value, const sipas_option *options,
									const char *what, const char *plural);

/* ---- error reports (errors.c) ---- */

/*
 * Raise the error an lk_status stands for.  'binary' selects 22P03 instead
 * of 22P02 for syntax problems; 'what' names the thing being read.
 */
pg_noreturn extern void sipas_report(lk_status st, bool binary, const char *what, const char *detail);

/*
 * Malformed text input of type 'type' (e.g. "sipas.likert"): "invalid input
 * syntax for type <type>: "<up to clip bytes of str>..."" with the parser's
 * message as detail; SQLSTATE as sipas_report.
 */
pg_noreturn extern void sipas_text_input_error(lk_status st, const char *type, const char *str,
											   int clip, const char *detail);

/* a stored value of type (e.g. "sipas.form") that fails its checks (XX001) */
pg_noreturn extern void sipas_corrupt_error(const char *type, const char *detail);

/* an item code that breaks the rule of codes, SV_CODE_RULE (22023) */
pg_noreturn extern void sipas_item_code_error(const char *code, int len);
/* the same, with where the code was met (e.g. "Answer 3 of form 17.") after the detail */
pg_noreturn extern void sipas_item_code_error_at(const char *code, int len, const char *where);
/* more than SV_MAX_ITEMS items in one survey summary (54000) */
pg_noreturn extern void sipas_too_many_items_error(void);

/* shared by the likert and survey aggregates */
pg_noreturn extern void sipas_overflow_error(void);
pg_noreturn extern void sipas_score_error(int32 score, int k, const char *item);
pg_noreturn extern void sipas_weight_error(double w, int32 score, const char *item, bool isnull);
pg_noreturn extern void sipas_scale_mismatch_error(int k1, int k2);

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

/* ---- the wire form of an accumulator in a partial state (acc_wire.c) ---- */

extern void sipas_send_acc(StringInfo buf, const lk_acc *a);
extern lk_acc *sipas_recv_acc(StringInfo buf, MemoryContext cxt, bool allow_empty);
/* a read cursor over the bytes of a serialized partial state (no copy) */
extern void sipas_state_buf(bytea *b, StringInfo buf);

/* ---- the wire form of a summary in a binary value (acc_wire.c) ---- */

/* uint8 k, uint8 weighted, int64 n[k], and if weighted float8 w[k], w2[k] */
extern void sipas_send_summary(StringInfo buf, const lk_summary *s);
/* the rest after a header the caller checked; lk_summary_check reported as 'what' */
extern void sipas_recv_summary_data(StringInfo buf, int k, bool weighted, lk_summary *s,
									const char *what);

/* ---- canonical bytes: equality and hashing of both types (bytes.c) ---- */

extern bool sipas_bytes_equal(FunctionCallInfo fcinfo);
extern Datum sipas_bytes_hash(FunctionCallInfo fcinfo);
extern Datum sipas_bytes_hash_extended(FunctionCallInfo fcinfo);


#endif							/* SIPAS_PG_H */
