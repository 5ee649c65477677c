/*
 * unit.h - a tiny assertion framework for the pure-C unit tests of src/core.
 *
 * Every CHECK* macro counts one check as passed or failed; a failure prints
 * file:line, the expression and the values involved.  The macros are
 * expressions that yield 1 (pass) or 0 (fail), so a test can print extra
 * context:  if (!CHECK_EQ(a, b)) unit_note("while testing k=%d", k);
 *
 *   CHECK(cond)                 any condition
 *   CHECK_EQ(a, b)              integers (compared as intmax_t)
 *   CHECK_DEQ(a, b)             doubles with identical bits (-0 != +0)
 *   CHECK_NEAR(a, b, tol)       |a - b| <= tol * |b|  (|a| <= tol when b == 0)
 *   CHECK_ABS(a, b, tol)        |a - b| <= tol
 *   CHECK_STREQ(a, b)           C strings equal
 *   CHECK_CONTAINS(hay, needle) needle is a substring of hay
 *
 * There is no way to record a known defect as an uncounted check: every check
 * counts, and a defect the tests find is fixed or the suite fails.
 */
#ifndef SIPAS_UNIT_H
#define SIPAS_UNIT_H

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "likert.h"

extern long unit_passed;
extern long unit_failed;

int			unit_check(int ok, const char *expr, const char *file, int line);
int			unit_check_eq(intmax_t a, intmax_t b, const char *ea, const char *eb,
						  const char *file, int line);
int			unit_check_deq(double a, double b, const char *ea, const char *eb,
						   const char *file, int line);
int			unit_check_near(double a, double b, double tol, int relative,
							const char *ea, const char *eb, const char *file, int line);
int			unit_check_streq(const char *a, const char *b, const char *ea, const char *eb,
							 const char *file, int line);
int			unit_check_contains(const char *hay, const char *needle, const char *ea,
								const char *file, int line);
void		unit_note(const char *fmt,...) __attribute__((format(printf, 1, 2)));

#define CHECK(c)				unit_check(!!(c), #c, __FILE__, __LINE__)
#define CHECK_EQ(a, b)			unit_check_eq((intmax_t) (a), (intmax_t) (b), #a, #b, __FILE__, __LINE__)
#define CHECK_DEQ(a, b)			unit_check_deq((a), (b), #a, #b, __FILE__, __LINE__)
#define CHECK_NEAR(a, b, tol)	unit_check_near((a), (b), (tol), 1, #a, #b, __FILE__, __LINE__)
#define CHECK_ABS(a, b, tol)	unit_check_near((a), (b), (tol), 0, #a, #b, __FILE__, __LINE__)
#define CHECK_STREQ(a, b)		unit_check_streq((a), (b), #a, #b, __FILE__, __LINE__)
#define CHECK_CONTAINS(h, n)	unit_check_contains((h), (n), #h, __FILE__, __LINE__)

/*
 * The suites: each tests/unit/test_NAME.c defines "void test_NAME(void)".  They
 * are declared and run by test_main.c from the list the Makefile generates
 * (suites.gen.h), so a new file needs no registration here or anywhere else.
 */

/* ---- helpers shared by the suites ---- */

/* deterministic xorshift64* so that failures reproduce */
extern uint64_t unit_rng_state;

static inline uint64_t
unit_rand64(void)
{
	uint64_t	x = unit_rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	unit_rng_state = x;
	return x * UINT64_C(2685821657736338717);
}

/* uniform integer in [lo, hi] */
static inline int64_t
unit_rand_range(int64_t lo, int64_t hi)
{
	return lo + (int64_t) (unit_rand64() % (uint64_t) (hi - lo + 1));
}

/* uniform double in [0, 1) */
static inline double
unit_rand_unit(void)
{
	return (double) (unit_rand64() >> 11) * 0x1.0p-53;
}

static inline bool
unit_same_double(double a, double b)
{
	return memcmp(&a, &b, sizeof(double)) == 0;
}

/* field-wise equality of two summaries, doubles compared bit for bit */
static inline bool
unit_summary_same(const lk_summary *a, const lk_summary *b)
{
	int			i;

	if (a->k != b->k || a->weighted != b->weighted)
		return false;
	for (i = 0; i < a->k && i < LK_MAX_K; i++)
		if (a->n[i] != b->n[i] || !unit_same_double(a->w[i], b->w[i]) ||
			!unit_same_double(a->w2[i], b->w2[i]))
			return false;
	return true;
}

#endif							/* SIPAS_UNIT_H */
