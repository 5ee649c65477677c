/*
 * lk_text.h - the text form of a summary (src/core/lk_text.c) and the
 * printer of doubles that every text form uses.  Plain C, no PostgreSQL
 * headers.
 *
 *   {"k":5,"n":[0,0,5,16,10]}                       unweighted
 *   {"k":5,"n":[...],"w":[...],"w2":[...]}          weighted
 *
 * JSON, so that any tool can read it; doubles are printed with the fewest
 * significant digits that read back to the same bits.
 */
#ifndef SIPAS_LK_TEXT_H
#define SIPAS_LK_TEXT_H

#include <stddef.h>

#include "likert.h"
#include "lk_json.h"

#define LK_TEXT_MAX		(32 + LK_MAX_K * (21 + 2 * 26))

extern void lk_format(const lk_summary *s, char *buf, size_t buflen);
extern lk_status lk_parse(const char *str, lk_summary *s, char *err, size_t errlen);
/* parse one object at the start of str; *end points just after it */
extern lk_status lk_parse_prefix(const char *str, const char **end, lk_summary *s,
								 char *err, size_t errlen);

/*
 * The printer of doubles: x (finite) as a JSON number with the fewest
 * significant digits that read back as x; 0 and -0 as "0", whole numbers
 * below 2^53 without exponent ("100", not "1e+02").  Writes at most buflen
 * bytes (always NUL-terminated when buflen > 0) and returns the length the
 * whole text has, like snprintf.  LK_DOUBLE_BUFLEN always suffices.
 *
 * The shortest digits come from a shortest-exact printer (Ryu) installed
 * with lk_set_double_printer: the PostgreSQL layer installs PostgreSQL's
 * double_to_shortest_decimal_buf (what float8out uses) when the library is
 * loaded, the unit tests install the same function from libpgcommon.  Until
 * one is installed, "%.17g" is used: it reads back exactly, but is not the
 * shortest.
 */
#define LK_DOUBLE_BUFLEN 32

/*
 * Contract of a printer: write the shortest decimal that reads back as the
 * finite x into buf (at least LK_DOUBLE_BUFLEN bytes), NUL-terminated, as
 * digits, an optional '.', and an optional exponent "e+NN"/"e-NN" (a valid
 * JSON number), and return its length.
 */
typedef int (*lk_double_printer) (double x, char *buf);

extern void lk_set_double_printer(lk_double_printer printer);
extern int	lk_format_double(double x, char *buf, size_t buflen);

#endif							/* SIPAS_LK_TEXT_H */
