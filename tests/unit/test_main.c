/*
 * test_main.c - the assertion framework's bodies and the driver.
 *
 * The last line printed is always "unit: N passed, M failed"; the exit
 * status is non-zero when any check failed.
 */
#include "unit.h"

#include <inttypes.h>
#include <stdlib.h>

long		unit_passed = 0;
long		unit_failed = 0;
long		unit_known = 0;
uint64_t	unit_rng_state = UINT64_C(0x5199a5c0ffee1234);

static int
fail_head(const char *file, int line)
{
	unit_failed++;
	fprintf(stdout, "FAIL %s:%d: ", file, line);
	return 0;
}

int
unit_check(int ok, const char *expr, const char *file, int line)
{
	if (ok)
	{
		unit_passed++;
		return 1;
	}
	fail_head(file, line);
	fprintf(stdout, "CHECK(%s)\n", expr);
	return 0;
}

int
unit_check_eq(intmax_t a, intmax_t b, const char *ea, const char *eb,
			  const char *file, int line)
{
	if (a == b)
	{
		unit_passed++;
		return 1;
	}
	fail_head(file, line);
	fprintf(stdout, "CHECK_EQ(%s, %s): %" PRIdMAX " != %" PRIdMAX "\n", ea, eb, a, b);
	return 0;
}

static uint64_t
bits(double x)
{
	uint64_t	u;

	memcpy(&u, &x, sizeof(u));
	return u;
}

int
unit_check_deq(double a, double b, const char *ea, const char *eb,
			   const char *file, int line)
{
	if (unit_same_double(a, b))
	{
		unit_passed++;
		return 1;
	}
	fail_head(file, line);
	fprintf(stdout, "CHECK_DEQ(%s, %s): %.17g (0x%016" PRIx64 ") != %.17g (0x%016" PRIx64 ")\n",
			ea, eb, a, bits(a), b, bits(b));
	return 0;
}

int
unit_check_near(double a, double b, double tol, int relative,
				const char *ea, const char *eb, const char *file, int line)
{
	double		diff = fabs(a - b);
	double		scale = (relative && b != 0.0) ? fabs(b) : 1.0;

	if (diff <= tol * scale)	/* false for NaN */
	{
		unit_passed++;
		return 1;
	}
	fail_head(file, line);
	fprintf(stdout, "%s(%s, %s, %g): %.17g vs %.17g, %s error %.3g\n",
			relative ? "CHECK_NEAR" : "CHECK_ABS", ea, eb, tol, a, b,
			scale == 1.0 ? "absolute" : "relative", diff / scale);
	return 0;
}

int
unit_check_streq(const char *a, const char *b, const char *ea, const char *eb,
				 const char *file, int line)
{
	if (a && b && strcmp(a, b) == 0)
	{
		unit_passed++;
		return 1;
	}
	fail_head(file, line);
	fprintf(stdout, "CHECK_STREQ(%s, %s): \"%s\" != \"%s\"\n", ea, eb,
			a ? a : "(null)", b ? b : "(null)");
	return 0;
}

int
unit_check_contains(const char *hay, const char *needle, const char *ea,
					const char *file, int line)
{
	if (hay && needle && strstr(hay, needle) != NULL)
	{
		unit_passed++;
		return 1;
	}
	fail_head(file, line);
	fprintf(stdout, "CHECK_CONTAINS(%s, \"%s\"): not in \"%s\"\n", ea,
			needle ? needle : "(null)", hay ? hay : "(null)");
	return 0;
}

int
unit_check_known(int ok, const char *expr, const char *why, const char *file, int line)
{
	const char *strict = getenv("UNIT_STRICT");

	if (ok)
	{
		unit_passed++;
		printf("FIXED? %s:%d: CHECK_KNOWN(%s) passes now (%s)\n", file, line, expr, why);
		return 1;
	}
	if (strict && strcmp(strict, "1") == 0)
	{
		fail_head(file, line);
		printf("CHECK_KNOWN(%s): %s\n", expr, why);
		return 0;
	}
	unit_known++;
	printf("KNOWN %s:%d: %s\n", file, line, why);
	return 0;
}

void
unit_note(const char *fmt,...)
{
	va_list		ap;

	fputs("     ", stdout);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

static void
run(const char *name, void (*suite) (void))
{
	long		p0 = unit_passed,
				f0 = unit_failed;

	suite();
	printf("%-14s %6ld passed, %ld failed\n", name, unit_passed - p0, unit_failed - f0);
	fflush(stdout);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run("test_likert", test_likert);
	run("test_acc", test_acc);
	run("test_text", test_text);
	run("test_stats", test_stats);
	run("test_quantile", test_quantile);
	run("test_ranking", test_ranking);
	run("test_form", test_form);
	if (unit_known > 0)
		printf("%ld checks of known src/core defects failed and were not counted "
			   "(run with UNIT_STRICT=1 to count them)\n", unit_known);
	printf("unit: %ld passed, %ld failed\n", unit_passed, unit_failed);
	return unit_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
