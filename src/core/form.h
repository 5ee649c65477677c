/*
 * form.h - one respondent's form: the level chosen for each item answered,
 * keyed by item code.  Plain C, no PostgreSQL headers.
 *
 * A form is the unit of a survey's design (one respondent = one primary
 * sampling unit): survey_agg(form [, weight]) turns forms into a survey
 * summary that carries respondent-level moments (survey.h), from which the
 * clustered standard error of any node can be read.  A blank is no answer:
 * the item is simply absent from the form.
 */
#ifndef SIPAS_FORM_H
#define SIPAS_FORM_H

#include "likert.h"
#include "survey.h"

#include <string.h>

#define FM_MAX_ITEMS	SV_MAX_ITEMS	/* items on one form */

typedef struct fm_answer
{
	char		code[SV_CODE_MAX + 1];	/* a valid item code (sv_code_valid) */
	uint8_t		k;				/* scale size, LK_MIN_K..LK_MAX_K */
	uint8_t		level;			/* 1..k */
} fm_answer;

/* expanded form: answers sorted by code (sv_code_cmp), codes unique */
typedef struct fm_form
{
	int			nitems;
	fm_answer  *items;			/* caller-allocated, nitems entries */
} fm_form;

/*
 * Stored layout, version 1:
 *   uint8 version (FM_STORE_VERSION), uint8 flags (0), uint16 nitems
 *   (native order), then per answer in code order: uint8 code length,
 *   the code's bytes, uint8 (k << 4) | level.
 * About 8 bytes per answer for codes like "I.D.10": ~320 bytes for 39 items.
 */
#define FM_STORE_VERSION 1
#define FM_STORE_HEADER	4

/*
 * The order of the answers of a stored form: bytewise, a prefix first (the
 * order of sv_code_cmp, for codes that need not be NUL-terminated).
 */
static inline int
fm_code_cmp(const char *a, int alen, const char *b, int blen)
{
	int			c = memcmp(a, b, (size_t) (alen < blen ? alen : blen));

	if (c != 0)
		return c;
	return alen - blen;
}

extern size_t fm_stored_size(const fm_form *f);
extern void fm_store(const fm_form *f, unsigned char *dst);

/* first pass: count answers (to allocate), second pass: decode and validate */
extern lk_status fm_load_count(const unsigned char *src, size_t len, int *nitems,
							   char *err, size_t errlen);
extern lk_status fm_load(const unsigned char *src, size_t len, fm_form *f,
						 char *err, size_t errlen);

/*
 * Walk a stored form without copying it (the aggregates' hot path).
 * fm_iter_init checks the header; fm_iter_next checks each answer's bytes
 * (length, code, k, level, strictly increasing codes) and returns LK_OK with
 * *done = true after the last one.
 */
typedef struct fm_iter
{
	const unsigned char *p;
	const unsigned char *end;
	int			left;			/* answers not yet returned */
	const char *prev;			/* previous code, for the order check */
	int			prevlen;
} fm_iter;

extern lk_status fm_iter_init(fm_iter *it, const unsigned char *src, size_t len,
							  char *err, size_t errlen);
extern lk_status fm_iter_next(fm_iter *it, const char **code, int *codelen, int *k, int *level,
							  bool *done, char *err, size_t errlen);

/*
 * Text form: a JSON object of item -> level in code order, the level alone
 * for a 5-level item and [level, k] for any other scale:
 *   {"I.A.1":4,"I.A.2":5,"X.1":[2,3]}
 * fm_format needs fm_text_size(f) bytes; fm_parse_count gives the number of
 * answers first.
 */
extern size_t fm_text_size(const fm_form *f);
extern void fm_format(const fm_form *f, char *buf, size_t buflen);
extern lk_status fm_parse_count(const char *str, int *nitems, char *err, size_t errlen);
extern lk_status fm_parse(const char *str, fm_form *f, char *err, size_t errlen);

/* sort answers by code and reject duplicates (for forms built by callers) */
extern lk_status fm_sort_check(fm_form *f, char *err, size_t errlen);

#endif							/* SIPAS_FORM_H */
