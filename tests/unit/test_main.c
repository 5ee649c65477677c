/*
 * test_main.c - the assertion framework's bodies and the driver.
 *
 * The suites are every tests/unit/test_NAME.c but this file; the Makefile
 * lists them in suites.gen.h (one UNIT_SUITE(test_NAME) line each), included
 * twice below: once to declare them, once to build the table main() runs.
 * Arguments, if any, name the suites to run (test_core test_text test_stats).
 *
 * The last line printed is always "unit: N passed, M failed"; the exit
 * status is non-zero when any check failed.
 */
#include "unit.h"

#include <inttypes.h>
#include <stdlib.h>

#define UNIT_SUITE(fn) void fn(void);
#include "suites.gen.h"
#undef UNIT_SUITE

static const struct
{
	const char *name;
	void		(*fn) (void);
}			unit_suites[] = {
#define UNIT_SUITE(fn) {#fn, fn},
#include "suites.gen.h"
#undef UNIT_SUITE
};

#define UNIT_RNG_SEED UINT64_C(0x5199a5c0ffee1234)

long		unit_passed = 0;
long		unit_failed = 0;
uint64_t	unit_rng_state = UNIT_RNG_SEED;

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

	/* each suite draws the same random stream whatever runs before it */
	unit_rng_state = UNIT_RNG_SEED;
	suite();
	printf("%-14s %6ld passed, %ld failed\n", name, unit_passed - p0, unit_failed - f0);
	fflush(stdout);
}

static bool
wanted(const char *name, int argc, char **argv)
{
	int			i;

	if (argc < 2)
		return true;
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return true;
	return false;
}

int
main(int argc, char **argv)
{
	size_t		i;
	int			a;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (a = 1; a < argc; a++)
	{
		for (i = 0; i < sizeof(unit_suites) / sizeof(unit_suites[0]); i++)
			if (strcmp(argv[a], unit_suites[i].name) == 0)
				break;
		if (i == sizeof(unit_suites) / sizeof(unit_suites[0]))
		{
			/* a misspelt name must not pass by running nothing */
			printf("unknown suite %s\n", argv[a]);
			unit_failed++;
		}
	}
	for (i = 0; i < sizeof(unit_suites) / sizeof(unit_suites[0]); i++)
		if (wanted(unit_suites[i].name, argc, argv))
			run(unit_suites[i].name, unit_suites[i].fn);
	printf("unit: %ld passed, %ld failed\n", unit_passed, unit_failed);
	return unit_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
