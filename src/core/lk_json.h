/*
 * lk_json.h - the lexing the strict JSON text forms share (src/core/lk_json.c):
 * whitespace, the syntax-error message, excerpts of input for messages.
 * sipas.likert (lk_text.c) uses them; sipas.survey (survey.c) can too.
 * Plain C, no PostgreSQL headers.
 */
#ifndef SIPAS_LK_JSON_H
#define SIPAS_LK_JSON_H

#include <stddef.h>

#include "likert.h"

/* p after any JSON whitespace (space, tab, newline, carriage return) */
extern const char *lk_json_skip_ws(const char *p);

/*
 * Write "expected <what> at byte N, found "<excerpt>"" (or "... at end of
 * input") for the position p in str into err, and return LK_ERR_SYNTAX.
 * Positions are 1-based byte offsets; the excerpt is ASCII only.
 */
extern lk_status lk_json_syntax_error(const char *str, const char *p, const char *expected,
									  char *err, size_t errlen);

/*
 * Up to max bytes of text for an error message, cut before the first
 * non-ASCII byte: the core does not know the encoding, and a message must
 * never hold half a character.
 */
extern int	lk_ascii_prefix(const char *p, int max);

#endif							/* SIPAS_LK_JSON_H */
