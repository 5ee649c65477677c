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

typedef struct sv_item
{
	char		code[SV_CODE_MAX + 1];
	lk_summary	s;
} sv_item;

/* expanded summary: items sorted by code (bytewise), codes unique */
typedef struct sv_summary
{
	int			nitems;
	sv_item    *items;			/* caller-allocated, nitems entries */
} sv_summary;

/* a valid code: 1..32 bytes of [A-Za-z0-9._-] */
extern bool sv_code_valid(const char *code, size_t len);

/* bytewise order of codes, used everywhere items are sorted or searched */
extern int	sv_code_cmp(const char *a, const char *b);
extern int	sv_find(const sv_summary *s, const char *code);

/*
 * Stored layout, version 1:
 *   uint8 version, uint8 flags (0), uint16 nitems (native order), then per
 *   item in code order: uint8 code length, code bytes, uint8 k,
 *   uint8 weighted, k counts as unsigned LEB128 varints, and if weighted
 *   2k float8 (native order, unaligned: copied with memcpy).
 * Varint counts make 39 unweighted items about 500 bytes.
 */
#define SV_STORE_VERSION 1

extern size_t sv_stored_size(const sv_summary *s);
extern void sv_store(const sv_summary *s, unsigned char *dst);

/* first pass: count items (to allocate), second pass: decode and validate */
extern lk_status sv_load_count(const unsigned char *src, size_t len, int *nitems,
							   char *err, size_t errlen);
extern lk_status sv_load(const unsigned char *src, size_t len, sv_summary *s,
						 char *err, size_t errlen);

/*
 * Text form: {"I.A.1":{"k":5,"n":[0,1,2,30,40]},"I.A.2":{...}} - a JSON
 * object of item histograms in code order.  sv_format needs
 * sv_text_size(s) bytes; sv_parse_count gives the number of items first.
 */
extern size_t sv_text_size(const sv_summary *s);
extern void sv_format(const sv_summary *s, char *buf, size_t buflen);
extern lk_status sv_parse_count(const char *str, int *nitems, char *err, size_t errlen);
extern lk_status sv_parse(const char *str, sv_summary *s, char *err, size_t errlen);

/* sort items by code and reject duplicates (for values built by callers) */
extern lk_status sv_sort_check(sv_summary *s, char *err, size_t errlen);

#endif							/* SIPAS_SURVEY_H */
