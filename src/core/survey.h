/*
 * survey.h - a survey summary: the answer histogram of every item of a
 * questionnaire, keyed by item code.  Plain C, no PostgreSQL headers.
 *
 * The summary holds items only; the questionnaire's tree (items -> groups ->
 * parts -> overall) is applied when figures are read (hierarchy.h), so a
 * summary stays valid whatever happens to the catalogue, and building it
 * needs no catalogue access (the aggregate is IMMUTABLE).
 */
#ifndef SIPAS_SURVEY_H
#define SIPAS_SURVEY_H

#include "likert.h"

#define SV_CODE_MAX		32		/* bytes of an item code */
#define SV_MAX_ITEMS	1000	/* items in one summary */


/*
 * Respondent-level moments of a summary built from forms (survey_agg(form
 * [, weight])): what the clustered (one form = one primary sampling unit)
 * variance of any linear combination of item shares needs.  For form i with
 * weight w_i (1 unweighted), s_ij = 1 if it answered item j satisfied, a_ij = 1
 * if it answered item j.  For every pair of items j < k (in the summary's
 * code order) four sums of w_i^2 (counts when unweighted):
 *   aa = sum w^2 a_ij a_ik,  sa = sum w^2 s_ij a_ik,
 *   as = sum w^2 a_ij s_ik,  ss = sum w^2 s_ij s_ik.
 * The diagonals (j = k) are the items' own histograms and are not stored.
 * Pair p = sv_pair(j, k, m) holds pair[4p + SV_AA / SV_SA / SV_AS / SV_SS].
 */
#define SV_AA	0
#define SV_SA	1
#define SV_AS	2
#define SV_SS	3

typedef union sv_moment
{
	int64_t		n;				/* unweighted: a count of forms */
	double		w;				/* weighted: a sum of squared weights */
} sv_moment;

typedef struct sv_forms
{
	bool		weighted;
	int			m;				/* items (= the summary's nitems) */
	int64_t		n;				/* forms, also those that answered nothing */
	int64_t		answering;		/* forms with at least one answer */
	int64_t		all_sat;		/* answering forms satisfied with every item they answered */
	/* weighted only (unweighted: equal to the counts above) */
	double		w,
				w2;				/* sum of w, w^2 over all forms */
	double		answering_w,
				answering_w2;
	double		all_sat_w,
				all_sat_w2;
	sv_moment	pair[];				/* 4 * m(m-1)/2 */
} sv_forms;

static inline int64_t
sv_npairs(int m)
{
	return (int64_t) m * (m - 1) / 2;
}

/* index of the pair j < k among m items, row-major upper triangle */
static inline int64_t
sv_pair(int j, int k, int m)
{
	return (int64_t) j * (2 * (int64_t) m - j - 1) / 2 + (k - j - 1);
}

/* bytes of an sv_forms for m items */
static inline size_t
sv_forms_storage(int m)
{
	return sizeof(sv_forms) + (size_t) (4 * sv_npairs(m)) * sizeof(sv_moment);
}

typedef struct sv_item
{
	char		code[SV_CODE_MAX + 1];
	lk_summary	s;
} sv_item;

/* expanded summary: items sorted by code (sv_code_cmp), codes unique */
typedef struct sv_summary
{
	int			nitems;
	sv_item    *items;			/* caller-allocated, nitems entries */
	sv_forms   *forms;			/* NULL: built from answer rows (no forms section);
								 * else caller-allocated, sv_forms_storage(nitems) */
} sv_summary;

/*
 * The rule of every code (item, node, questionnaire): 1 to SV_CODE_MAX bytes
 * of well-formed UTF-8 without white space or invisible characters (Unicode
 * White_Space, U+200B..U+200F, U+2060, U+FEFF), control characters, double
 * quotes or backslashes, not starting with "@".  sv_code_check says which
 * part of the rule a code breaks and (at, if not NULL) the byte offset of
 * the offending character; SV_CODE_RULE words the rule for messages.
 */
typedef enum sv_code_fault
{
	SV_CODE_OK = 0,
	SV_CODE_EMPTY,
	SV_CODE_TOO_LONG,
	SV_CODE_BAD_UTF8,
	SV_CODE_SPACE,
	SV_CODE_CONTROL,
	SV_CODE_QUOTE,
	SV_CODE_RESERVED
} sv_code_fault;

#define SV_CODE_RULE "1 to 32 bytes of UTF-8 without white space, control characters, double quotes or backslashes, not starting with @"

extern sv_code_fault sv_code_check(const char *code, size_t len, size_t *at);
extern bool sv_code_valid(const char *code, size_t len);
extern const char *sv_code_fault_text(sv_code_fault f);

/*
 * Code order: bytewise (unsigned) order of the UTF-8 bytes = Unicode code
 * point order, independent of any collation (in SQL: COLLATE "C"); used
 * everywhere items are sorted or searched.
 */
extern int	sv_code_cmp(const char *a, const char *b);
extern int	sv_find(const sv_summary *s, const char *code);

/*
 * Stored layout, version 1 (summaries without forms section, byte-identical
 * to sipas 1.1):
 *   uint8 version, uint8 flags (0), uint16 nitems (native order), then per
 *   item in code order: uint8 code length, code bytes, uint8 k,
 *   uint8 weighted, k counts as unsigned LEB128 varints, and if weighted
 *   2k float8 (native order, unaligned: copied with memcpy).
 * Varint counts make 39 unweighted items about 500 bytes.
 *
 * Version 2 (summaries built from forms): the same with flags
 * SV_FLAG_FORMS (| SV_FLAG_FORMS_WEIGHTED), and after the last item the
 * forms section: varints n, answering, all_sat; if weighted 6 float8 (w, w2,
 * answering_w, answering_w2, all_sat_w, all_sat_w2); then per pair j < k:
 *   unweighted: 4 varints, each the deficit from its upper bound:
 *     min(A_j, A_k) - aa, min(S_j, aa) - sa, min(S_k, aa) - as,
 *     min(sa, as) - ss   (A, S: the items' answered and satisfied counts)
 *   so that a typical pair takes 4 bytes whatever the number of forms;
 *   weighted: aa, sa, as, ss as float8.
 * A version-2 value always has a forms section.
 */
#define SV_STORE_VERSION 1
#define SV_STORE_VERSION_FORMS 2
#define SV_FLAG_FORMS			0x01
#define SV_FLAG_FORMS_WEIGHTED	0x02

extern size_t sv_stored_size(const sv_summary *s);
/* a cheap upper bound of sv_stored_size (no pass over the pairs) */
extern size_t sv_stored_bound(const sv_summary *s);
/* writes sv_stored_size(s) bytes and returns that number */
extern size_t sv_store(const sv_summary *s, unsigned char *dst);

/*
 * The moments of the unweighted pairs of row j - items (j, k) for
 * j < k < m, four each, in sv_pair order - computed on demand.
 */
typedef void (*sv_pair_row_fn) (void *arg, int j, sv_moment *row);

/*
 * sv_store for an unweighted forms section whose pairs come from
 * row(arg, j, ...) instead of s->forms->pair (not read): a summary being
 * built need not hold all its pairs at once.  The same bytes.
 */
extern size_t sv_store_rows(const sv_summary *s, sv_pair_row_fn row, void *arg, unsigned char *dst);

/*
 * First pass: count items and say whether a forms section follows (to
 * allocate items and, if so, sv_forms_storage(nitems) bytes for s->forms);
 * second pass: decode and validate every byte.  has_forms may be NULL.
 */
extern lk_status sv_load_count(const unsigned char *src, size_t len, int *nitems,
							   char *err, size_t errlen);
extern bool sv_stored_has_forms(const unsigned char *src, size_t len);
extern lk_status sv_load(const unsigned char *src, size_t len, sv_summary *s,
						 char *err, size_t errlen);

/*
 * The items alone, for readers of item figures (answer counts, shares, the
 * index): every byte of the items is decoded and validated as by sv_load,
 * the forms section after them is not read (s->forms is set to NULL), so a
 * reader that needs the moments must use sv_load.
 */
extern lk_status sv_load_items(const unsigned char *src, size_t len, sv_summary *s,
							   char *err, size_t errlen);

/*
 * Check a forms section against the item histograms: counts, and for every
 * pair the nine cells of the joint table (not answered / unsatisfied /
 * satisfied on each item) must be >= 0 (weighted: within a relative 1e-9 of
 * the squared weight total, for rounding).  Used by the loaders and the
 * aggregates' final function.
 */
extern lk_status sv_forms_check(const sv_summary *s, char *err, size_t errlen);

/* satisfied and answered count (unweighted) or w^2 sums (weighted) of item j */
extern void sv_item_sa(const sv_summary *s, int j, double *sat, double *ans);

/*
 * Text form: {"I.A.1":{"k":5,"n":[0,1,2,30,40]},"I.A.2":{...}} - a JSON
 * object of item histograms in code order.  A summary built from forms ends
 * with the key "@forms" (not a valid item code, so never an item):
 *   "@forms":{"n":30,"answering":30,"all_sat":4,
 *             ["w":..,"w2":..,"answering_w":..,"answering_w2":..,
 *              "all_sat_w":..,"all_sat_w2":..,]
 *             "aa":[..],"sa":[..],"as":[..],"ss":[..]}
 * with the pair moments in sv_pair order (raw values, not deficits).
 * sv_format needs sv_text_size(s) bytes; sv_parse_count gives the number of
 * items first (and *too_many when the text has more than SV_MAX_ITEMS items,
 * a program limit rather than bad syntax); sv_text_has_forms says whether to
 * allocate s->forms before sv_parse (which fails if it is NULL and needed).
 */
extern size_t sv_text_size(const sv_summary *s);
extern void sv_format(const sv_summary *s, char *buf, size_t buflen);
extern lk_status sv_parse_count(const char *str, int *nitems, char *err, size_t errlen);
extern lk_status sv_parse_count_limit(const char *str, int *nitems, bool *too_many,
									  char *err, size_t errlen);
extern bool sv_text_has_forms(const char *str);
extern lk_status sv_parse(const char *str, sv_summary *s, char *err, size_t errlen);

/* sort items by code and reject duplicates (for values built by callers
 * without a forms section: the pairs follow the item order) */
extern lk_status sv_sort_check(sv_summary *s, char *err, size_t errlen);

#endif							/* SIPAS_SURVEY_H */
