/*
 * test_text.c - the text form: lk_format, lk_parse, lk_format_double, and
 * the JSON lexing helpers of lk_json.c.
 */
#include "unit.h"

#include <float.h>
#include <stdlib.h>

#include "lk_json.h"
#include "lk_text.h"

/*
 * PostgreSQL's shortest-exact printer (common/shortest_dec.h, linked from
 * libpgcommon.a), which the extension installs in _PG_init.  Installed here
 * before main() so that every suite prints doubles as the server does.
 * d2s.o also holds double_to_shortest_decimal, which pallocs: a stub
 * satisfies the linker (it is never called).
 */
extern int	double_to_shortest_decimal_buf(double f, char *result);
extern void *palloc(size_t size);

void *
palloc(size_t size)
{
	return malloc(size);
}

__attribute__((constructor)) static void
install_shortest_printer(void)
{
	lk_set_double_printer(double_to_shortest_decimal_buf);
}

/* ---- lk_format_double ---- */

/* JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool
is_json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return false;
	if (*s == '.')
	{
		s++;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E')
	{
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

/* significant digits of a printed number (leading and trailing zeros stripped) */
static int
significant_digits(const char *s)
{
	char		d[64];
	int			n = 0,
				first = 0;

	for (; *s && *s != 'e' && *s != 'E'; s++)
		if (*s >= '0' && *s <= '9' && n < (int) sizeof(d))
			d[n++] = *s;
	while (first < n && d[first] == '0')
		first++;
	while (n > first && d[n - 1] == '0')
		n--;
	return n > first ? n - first : 1;	/* "0" has one digit */
}

/*
 * Is a decimal exactly halfway between x and a neighbour?  Such a decimal
 * reads back as x only under round-half-even; the printer's contract (that
 * of PostgreSQL's Ryu, which excludes the interval's bounds) is the shortest
 * decimal strictly inside x's rounding interval, so it does not count.  The
 * halfway points have 54 significant bits: exact in x86's long double.
 */
static bool
is_halfway(const char *cand, double x)
{
	long double c = strtold(cand, NULL);
	long double lo = ((long double) x + (long double) nextafter(x, -INFINITY)) / 2.0L;
	long double hi = ((long double) x + (long double) nextafter(x, INFINITY)) / 2.0L;

	return c == lo || c == hi;
}

/*
 * Is there a decimal with q significant digits that reads back as x, and
 * is not halfway to a neighbour?  Only the q-digit neighbours of x can be:
 * the nearest one and the ones either side.
 */
static bool
q_digits_round_trip(double x, int q)
{
	char		buf[64];
	char	   *e;
	long long	m = 0;
	int			exp10,
				delta;

	snprintf(buf, sizeof(buf), "%.*e", q - 1, fabs(x));
	e = strchr(buf, 'e');
	exp10 = atoi(e + 1);
	for (char *p = buf; p < e; p++)
		if (*p >= '0' && *p <= '9')
			m = m * 10 + (*p - '0');
	for (delta = -1; delta <= 1; delta++)
	{
		char		cand[64];

		snprintf(cand, sizeof(cand), "%s%llde%d", x < 0 ? "-" : "", m + delta, exp10 - (q - 1));
		if (strtod(cand, NULL) == x && !is_halfway(cand, x))
			return true;
	}
	return false;
}

static long pow2_seen = 0;

static bool
is_power_of_two(double x)
{
	int			e;

	return x != 0.0 && isfinite(x) && fabs(frexp(x, &e)) == 0.5;
}

/* lk_format_double(x): JSON, reads back exactly, and no shorter digits would */
static bool
check_format_double(double x)
{
	char		buf[40];
	int			len = lk_format_double(x, buf, sizeof(buf));
	int			digits = significant_digits(buf);
	bool		ok = true;

	ok &= CHECK_EQ(len, (int) strlen(buf));
	ok &= CHECK(is_json_number(buf));
	if (x == 0.0)
		ok &= CHECK_STREQ(buf, "0");
	else
		ok &= CHECK_DEQ(strtod(buf, NULL), x);
	ok &= CHECK(digits >= 1 && digits <= 17);
	if (is_power_of_two(x))
		pow2_seen++;
	/*
	 * Shortest: no decimal with one digit less lies strictly inside x's
	 * rounding interval.  Powers of two are the hard case (the interval
	 * above x is twice as wide as below it, so the nearest q-digit decimal
	 * may miss while one on the wide side reads back); the old printer
	 * missed them, Ryu does not.
	 */
	if (digits >= 2 && q_digits_round_trip(x, digits - 1))
	{
		ok = CHECK(false && "a shorter decimal reads back as x");
		unit_note("%.17g printed as \"%s\" but %d digits suffice", x, buf, digits - 1);
	}
	else
		ok &= CHECK(true);
	if (!ok)
		unit_note("x = %a printed as \"%s\"", x, buf);
	return ok;
}

static double
random_finite_double(void)
{
	for (;;)
	{
		uint64_t	u = unit_rand64();
		double		x;

		if (unit_rand_range(0, 9) == 0)
			u &= ~(UINT64_C(0x7ff) << 52);	/* subnormal (or zero) */
		memcpy(&x, &u, sizeof(x));
		if (isfinite(x))
			return x;
	}
}

static void
test_format_double(void)
{
	static const struct
	{
		double		x;
		const char *text;
	}			known[] = {
		{0.0, "0"},
		{-0.0, "0"},
		{1.0, "1"},
		{0.1, "0.1"},
		{-2.5, "-2.5"},
		{1.0 / 3.0, "0.3333333333333333"},
		{0.1 + 0.2, "0.30000000000000004"},
		{15.25, "15.25"},
		{17.0625, "17.0625"},
		{123456789012.0, "123456789012"},
		{100.0, "100"},		/* whole numbers print as such */
		{1e300, "1e+300"},
		{1e-300, "1e-300"},
		{1e21, "1e+21"},
		{DBL_MAX, "1.7976931348623157e+308"},
		{DBL_MIN, "2.2250738585072014e-308"},
		{4.9406564584124654e-324, "5e-324"},	/* smallest subnormal */
		{2.2250738585072009e-308, "2.225073858507201e-308"},	/* largest subnormal */
		{9007199254740993.0, "9007199254740992"},	/* 2^53 + 1 is not a double */
	};
	size_t		i;
	char		buf[40];
	long		n = 0;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
	{
		lk_format_double(known[i].x, buf, sizeof(buf));
		CHECK_STREQ(buf, known[i].text);
		check_format_double(known[i].x);
	}

	/* powers of two and ten across the range, and their neighbours */
	for (i = 0; i < 2098; i++)
	{
		double		x = ldexp(1.0, (int) i - 1074);

		check_format_double(x);
		check_format_double(nextafter(x, 0.0));
		check_format_double(nextafter(x, INFINITY));
	}
	for (i = 0; i <= 616; i++)
	{
		double		x = strtod("1e-308", NULL) * pow(10.0, (double) i);

		if (isfinite(x))
			check_format_double(x);
	}

	/* random bit patterns, including subnormals and negative values */
	for (i = 0; i < 30000; i++)
		if (check_format_double(random_finite_double()))
			n++;
	CHECK_EQ(n, 30000);

	/* the shortest-digits promise held for every power of two above */
	CHECK(pow2_seen >= 2098);
	{
		char		got[40];

		/* 2^-24 = 5.9604644775390625e-08: 5.960464477539063e-08 reads back as well */
		CHECK_DEQ(strtod("5.960464477539063e-08", NULL), ldexp(1.0, -24));
		lk_format_double(ldexp(1.0, -24), got, sizeof(got));
		CHECK_STREQ(got, "5.960464477539063e-08");
		CHECK_EQ(significant_digits(got), 16);
		/* 2^-44 was printed with 17 digits before the switch to Ryu */
		lk_format_double(ldexp(1.0, -44), got, sizeof(got));
		CHECK_DEQ(strtod(got, NULL), ldexp(1.0, -44));
	}

	/* the layout: "%.Pg" for the P shortest digits (fixed for -4 <= exponent < P) */
	{
		static const struct
		{
			double		x;
			const char *text;
		}			form[] = {
			{1.5e-7, "1.5e-07"},
			{0.0001, "0.0001"},
			{123456.5, "123456.5"},
			{1234567890123456.5, "1234567890123456.5"},	/* PostgreSQL: 1.2345678901234565e+15 */
			{-1234567890123456.5, "-1234567890123456.5"},
			{1e15, "1000000000000000"},	/* whole: no exponent below 2^53 */
			{9007199254740992.0, "9007199254740992"},	/* 2^53 itself */
			{12345678901234568.0, "12345678901234568"},
			{1e16, "1e+16"},
			{1.5e16, "1.5e+16"},
			{63901745291097296.0, "63901745291097296"},	/* 6.39017452910973e+16 is a tie */
			{1.5e17, "1.5e+17"},
			{-1e-5, "-1e-05"},
		};

		for (i = 0; i < sizeof(form) / sizeof(form[0]); i++)
		{
			lk_format_double(form[i].x, buf, sizeof(buf));
			if (!CHECK_STREQ(buf, form[i].text))
				unit_note("x = %.17g", form[i].x);
			check_format_double(form[i].x);
		}
	}

	/* without an installed printer: "%.17g", exact but not shortest */
	lk_set_double_printer(NULL);
	lk_format_double(0.1, buf, sizeof(buf));
	CHECK_STREQ(buf, "0.10000000000000001");
	CHECK_DEQ(strtod(buf, NULL), 0.1);
	install_shortest_printer();
	lk_format_double(0.1, buf, sizeof(buf));
	CHECK_STREQ(buf, "0.1");

	/* a short buffer is truncated by snprintf, never overrun */
	{
		char	   *small = malloc(4);
		int			len = lk_format_double(0.1 + 0.2, small, 4);

		CHECK_EQ(len, 19);
		CHECK_STREQ(small, "0.3");
		free(small);
	}
}

/* ---- lk_json.c ---- */

static void
test_json_helpers(void)
{
	char		err[LK_ERRBUF];
	const char *str = "  \t\n\r x";

	CHECK(lk_json_skip_ws(str) == str + 6);
	CHECK(lk_json_skip_ws("x") != NULL && *lk_json_skip_ws("x") == 'x');
	CHECK(*lk_json_skip_ws(" \v") == '\v');	/* not JSON whitespace */
	CHECK_EQ(lk_json_syntax_error(str, str + 6, "\"{\"", err, sizeof(err)), LK_ERR_SYNTAX);
	CHECK_STREQ(err, "expected \"{\" at byte 7, found \"x\"");
	CHECK_EQ(lk_json_syntax_error(str, str + strlen(str), "a number", err, sizeof(err)), LK_ERR_SYNTAX);
	CHECK_STREQ(err, "expected a number at end of input");
	str = "{\xc3\xa9}";
	lk_json_syntax_error(str, str + 1, "\"k\"", err, sizeof(err));
	CHECK_STREQ(err, "expected \"k\" at byte 2, found \"\" (a non-ASCII character)");
	str = "abcdefghijklmnopq";
	lk_json_syntax_error(str, str, "x", err, sizeof(err));
	CHECK_STREQ(err, "expected x at byte 1, found \"abcdefghijkl\"");
	CHECK_EQ(lk_ascii_prefix("ab\xc3\xa9", 12), 2);
	CHECK_EQ(lk_ascii_prefix("abc", 2), 2);
}

/* ---- lk_format / lk_parse ---- */

static lk_status
parse(const char *text, lk_summary *s, char *err)
{
	err[0] = '\0';
	memset(s, 0x77, sizeof(*s));
	return lk_parse(text, s, err, LK_ERRBUF);
}

static void
test_known_texts(void)
{
	static const char *texts[] = {
		"{\"k\":5,\"n\":[0,0,5,16,10]}",
		"{\"k\":5,\"n\":[0,0,5,16,10],\"w\":[0,0,6.5,15.25,9],\"w2\":[0,0,9.5,17.0625,8.5]}",
		"{\"k\":2,\"n\":[0,0]}",
		"{\"k\":10,\"n\":[1,2,3,4,5,6,7,8,9,9223372036854775762]}",
		"{\"k\":3,\"n\":[1,0,2],\"w\":[0.1,0,0.5],\"w2\":[0.010000000000000002,0,0.125]}",
		"{\"k\":2,\"n\":[1,1],\"w\":[1e+150,1e-150],\"w2\":[1e+300,1e-300]}",
	};
	size_t		i;
	lk_summary	s;
	char		err[LK_ERRBUF],
				out[LK_TEXT_MAX];

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
	{
		if (!CHECK_EQ(parse(texts[i], &s, err), LK_OK))
			unit_note("%s: %s", texts[i], err);
		lk_format(&s, out, sizeof(out));
		CHECK_STREQ(out, texts[i]);
	}

	CHECK_EQ(parse(texts[1], &s, err), LK_OK);
	CHECK_EQ(s.k, 5);
	CHECK(s.weighted);
	CHECK_EQ(s.n[3], 16);
	CHECK_DEQ(s.w[3], 15.25);
	CHECK_DEQ(s.w2[4], 8.5);
	CHECK_EQ(s.n[5], 0);		/* beyond k: zero */

	/* weighted text whose sums equal the counts is read as the plain value */
	CHECK_EQ(parse("{\"k\":3,\"n\":[2,0,1],\"w\":[2,0,1],\"w2\":[2,0,1]}", &s, err), LK_OK);
	CHECK(!s.weighted);
	lk_format(&s, out, sizeof(out));
	CHECK_STREQ(out, "{\"k\":3,\"n\":[2,0,1]}");

	/* -0 weights read as +0 */
	CHECK_EQ(parse("{\"k\":2,\"n\":[0,1],\"w\":[-0,0.5],\"w2\":[-0.0,0.25]}", &s, err), LK_OK);
	CHECK(s.weighted);
	CHECK_DEQ(s.w[0], 0.0);
	CHECK_DEQ(s.w2[0], 0.0);
	lk_format(&s, out, sizeof(out));
	CHECK_STREQ(out, "{\"k\":2,\"n\":[0,1],\"w\":[0,0.5],\"w2\":[0,0.25]}");

	/* -0 count is 0 */
	CHECK_EQ(parse("{\"k\":2,\"n\":[-0,1]}", &s, err), LK_OK);
	CHECK_EQ(s.n[0], 0);

	/* exponents and an underflow to zero in the weights */
	CHECK_EQ(parse("{\"k\":2,\"n\":[1,1],\"w\":[25E-1,2.5e0],\"w2\":[6.25E+0,625e-2]}", &s, err), LK_OK);
	CHECK_DEQ(s.w[0], 2.5);
	CHECK_DEQ(s.w2[1], 6.25);
	CHECK_EQ(parse("{\"k\":2,\"n\":[1,0],\"w\":[0,1e-400],\"w2\":[0,0]}", &s, err), LK_OK);
	CHECK_DEQ(s.w[1], 0.0);
}

/* a random summary that may or may not be valid; weights of many magnitudes */
static void
random_summary(lk_summary *s)
{
	int			k = (int) unit_rand_range(LK_MIN_K, LK_MAX_K);
	int			i,
				j;

	lk_summary_init(s, k);
	s->weighted = unit_rand_range(0, 3) != 0;
	for (i = 0; i < k; i++)
	{
		int			kind = (int) unit_rand_range(0, 9);
		double		scale = pow(10.0, (double) unit_rand_range(-150, 150));

		s->n[i] = kind == 0 ? 0 : unit_rand_range(1, 6);
		if (!s->weighted)
		{
			if (kind == 1)
				s->n[i] = unit_rand_range(0, INT64_MAX / LK_MAX_K);
			continue;
		}
		for (j = 0; j < s->n[i]; j++)
		{
			double		x;

			switch (kind)
			{
				case 1:
					x = 0.1;
					break;
				case 2:
					x = 1e-150;	/* w2 = 1e-300 */
					break;
				case 3:
					x = 1e150;	/* w2 = 1e300 */
					break;
				case 4:
					x = 1.5e-155;	/* w2 subnormal */
					break;
				case 5:
					x = 0.0;
					break;
				case 6:
					x = (double) unit_rand_range(1, 1000) / 8.0;
					break;
				default:
					x = scale * (0.5 + unit_rand_unit());
					break;
			}
			s->w[i] += x;
			s->w2[i] += x * x;
		}
	}
	lk_summary_canonicalize(s);
}

static void
test_round_trip(void)
{
	long		tried = 0,
				valid = 0,
				exact = 0,
				weighted = 0,
				subnormal = 0;
	int			rep;

	for (rep = 0; rep < 20000; rep++)
	{
		lk_summary	s,
					t;
		char		err[LK_ERRBUF],
					out[LK_TEXT_MAX],
					again[LK_TEXT_MAX];
		int			i;

		random_summary(&s);
		tried++;
		if (lk_summary_check(&s, err, sizeof(err)) != LK_OK)
			continue;
		valid++;
		lk_format(&s, out, sizeof(out));
		if (!CHECK_EQ(parse(out, &t, err), LK_OK))
		{
			unit_note("%s: %s", out, err);
			continue;
		}
		if (CHECK(unit_summary_same(&s, &t)))
			exact++;
		else
			unit_note("not exact: %s", out);
		lk_format(&t, again, sizeof(again));
		CHECK_STREQ(again, out);
		if (s.weighted)
			weighted++;
		for (i = 0; i < s.k; i++)
			if ((s.w2[i] != 0.0 && fabs(s.w2[i]) < DBL_MIN) || (s.w[i] != 0.0 && fabs(s.w[i]) < DBL_MIN))
			{
				subnormal++;
				break;
			}
	}
	CHECK_EQ(exact, valid);
	/* the generator exercised what it should */
	CHECK(valid > tried / 2);
	CHECK(weighted > valid / 2);
	CHECK(subnormal > 100);
}

static void
test_text_max(void)
{
	/* the longest text: 10 levels, 20-digit counts, 23-character doubles */
	lk_summary	s;
	char	   *buf = malloc(LK_TEXT_MAX);	/* exact size: ASan watches */
	size_t		len;
	int			i;

	lk_summary_init(&s, LK_MAX_K);
	s.weighted = true;
	for (i = 0; i < LK_MAX_K; i++)
	{
		s.n[i] = INT64_MIN;		/* format does not validate: longest count */
		s.w[i] = -2.2250738585072014e-308;
		s.w2[i] = -1.2345678901234567e-300;
	}
	lk_format(&s, buf, LK_TEXT_MAX);
	len = strlen(buf);
	CHECK(len < LK_TEXT_MAX);
	CHECK(buf[len - 1] == '}');
	/* {"k":10,"n": [10 x 20 chars] ,"w": [10 x 24] ,"w2": [10 x 24] } */
	CHECK_EQ(len, 12 + 211 + 5 + 251 + 6 + 251 + 1);
	free(buf);
}

static void
test_whitespace(void)
{
	lk_summary	s,
				t;
	char		err[LK_ERRBUF];

	CHECK_EQ(parse("{\"k\":3,\"n\":[1,2,3],\"w\":[0.5,2,3],\"w2\":[0.25,2,3]}", &s, err), LK_OK);
	CHECK_EQ(parse(" \t\r\n{ \"k\" : 3 ,\n \"n\" :\t[ 1 ,2\n, 3 ] ,\r\n\"w\":[ 0.5,2 ,3 ] , \"w2\" : [0.25 , 2, 3\t]\n} \n\t ",
				   &t, err), LK_OK);
	CHECK(unit_summary_same(&s, &t));
	CHECK_EQ(parse("{\"k\":3,\"n\":[1,2,3]}\n", &t, err), LK_OK);
	/* only JSON whitespace: no vertical tab or form feed */
	CHECK_EQ(parse("\v{\"k\":3,\"n\":[1,2,3]}", &t, err), LK_ERR_SYNTAX);
	CHECK_EQ(parse("{\"k\":3,\"n\":[1,\f2,3]}", &t, err), LK_ERR_SYNTAX);
	CHECK_EQ(parse("{\"k\":3,\"n\":[1,2,3]}\f", &t, err), LK_ERR_SYNTAX);
}

typedef struct
{
	const char *text;
	lk_status	status;
	const char *needle;			/* in the error message, or NULL */
} bad_text;

static void
test_rejections(void)
{
	static const bad_text bad[] = {
		/* empty and wrong shapes */
		{"", LK_ERR_SYNTAX, "expected \"{\" at end of input"},
		{"   ", LK_ERR_SYNTAX, "at end of input"},
		{"[]", LK_ERR_SYNTAX, "expected \"{\" at byte 1"},
		{"{}", LK_ERR_SYNTAX, "\"k\":"},
		{"null", LK_ERR_SYNTAX, NULL},
		/* trailing garbage */
		{"{\"k\":2,\"n\":[1,2]}x", LK_ERR_SYNTAX, "expected end of input at byte 18, found \"x\""},
		{"{\"k\":2,\"n\":[1,2]} }", LK_ERR_SYNTAX, "end of input"},
		{"{\"k\":2,\"n\":[1,2]},", LK_ERR_SYNTAX, "end of input"},
		{"{\"k\":2,\"n\":[1,2]}{\"k\":2,\"n\":[1,2]}", LK_ERR_SYNTAX, "end of input"},
		{"{\"k\":2,\"n\":[1,2],\"x\":1}", LK_ERR_SYNTAX, "\"w\":"},
		{"{\"k\":2,\"n\":[1,2]", LK_ERR_SYNTAX, "expected \"}\" at end of input"},
		{"{\"k\":2,\"n\":[1,2]]", LK_ERR_SYNTAX, "expected \"}\""},
		/* missing keys */
		{"{\"n\":[1,2]}", LK_ERR_SYNTAX, "\"k\":"},
		{"{\"k\":2}", LK_ERR_SYNTAX, ",\"n\":"},
		{"{\"k\":2,}", LK_ERR_SYNTAX, ",\"n\":"},
		{"{\"k\":2,\"n\":[1,1],\"w2\":[1,1]}", LK_ERR_SYNTAX, "\"w\":"},
		{"{\"k\":,\"n\":[1,1]}", LK_ERR_SYNTAX, "a count"},
		/* wrong order, duplicates, spelling */
		{"{\"n\":[1,2],\"k\":2}", LK_ERR_SYNTAX, "\"k\":"},
		{"{\"k\":2,\"n\":[1,1],\"w2\":[1,1],\"w\":[1,1]}", LK_ERR_SYNTAX, "\"w\":"},
		{"{\"k\":2,\"k\":2,\"n\":[1,1]}", LK_ERR_SYNTAX, "\"n\":"},
		{"{\"k\":2,\"n\":[1,1],\"n\":[1,1]}", LK_ERR_SYNTAX, "\"w\":"},
		{"{\"K\":2,\"n\":[1,1]}", LK_ERR_SYNTAX, NULL},
		{"{k:2,\"n\":[1,1]}", LK_ERR_SYNTAX, NULL},
		{"{'k':2,'n':[1,1]}", LK_ERR_SYNTAX, NULL},
		{"{\"k\":2,\"n\":[1,1],\"w\":[1,1],\"w2\":[1,1],\"w\":[1,1]}", LK_ERR_SYNTAX, "\"}\""},
		/* "w" without "w2" */
		{"{\"k\":2,\"n\":[1,1],\"w\":[1,1]}", LK_ERR_SYNTAX, "weight sums come with squared weight sums"},
		{"{\"k\":2,\"n\":[1,1],\"w\":[1,1],}", LK_ERR_SYNTAX, "\"w2\":"},
		/* too few and too many values */
		{"{\"k\":3,\"n\":[1,2]}", LK_ERR_INCONSISTENT, "\"n\" has 2 values but k is 3"},
		{"{\"k\":10,\"n\":[1]}", LK_ERR_INCONSISTENT, "\"n\" has 1 values but k is 10"},
		{"{\"k\":2,\"n\":[1,2,3]}", LK_ERR_INCONSISTENT, "\"n\" has more than 2 values but k is 2"},
		{"{\"k\":2,\"n\":[1,1],\"w\":[1],\"w2\":[1,1]}", LK_ERR_INCONSISTENT, "\"w\" has 1 values"},
		{"{\"k\":2,\"n\":[1,1],\"w\":[1,1],\"w2\":[1,1,1]}", LK_ERR_INCONSISTENT, "\"w2\" has more than 2 values"},
		{"{\"k\":2,\"n\":[]}", LK_ERR_SYNTAX, "a count"},
		{"{\"k\":2,\"n\":[1 2]}", LK_ERR_SYNTAX, "\",\""},
		{"{\"k\":2,\"n\":[1,,2]}", LK_ERR_SYNTAX, "a count"},
		{"{\"k\":2,\"n\":1}", LK_ERR_SYNTAX, "\"[\""},
		/* negative counts (the check names the value) */
		{"{\"k\":2,\"n\":[-1,2]}", LK_ERR_RANGE, "count -1 of level 1 is negative"},
		{"{\"k\":3,\"n\":[0,0,-9223372036854775808]}", LK_ERR_RANGE, "count -9223372036854775808 of level 3"},
		/* counts beyond int64 */
		{"{\"k\":2,\"n\":[9223372036854775808,0]}", LK_ERR_RANGE, "count \"9223372036854775808\" of level 1 is out of range for bigint"},
		{"{\"k\":2,\"n\":[0,-9223372036854775809]}", LK_ERR_RANGE, "of level 2 is out of range"},
		{"{\"k\":2,\"n\":[0,99999999999999999999999999]}", LK_ERR_RANGE, "out of range for bigint"},
		{"{\"k\":2,\"n\":[9223372036854775807,1]}", LK_ERR_OVERFLOW, "the total count exceeds"},
		/* counts must be plain integers */
		{"{\"k\":2,\"n\":[1.0,2]}", LK_ERR_SYNTAX, "a whole number as count"},
		{"{\"k\":2,\"n\":[1.5,2]}", LK_ERR_SYNTAX, "a whole number"},
		{"{\"k\":2,\"n\":[1e3,2]}", LK_ERR_SYNTAX, "a whole number"},
		{"{\"k\":2,\"n\":[\"1\",2]}", LK_ERR_SYNTAX, "a count"},
		{"{\"k\":2,\"n\":[true,2]}", LK_ERR_SYNTAX, "a count"},
		{"{\"k\":2,\"n\":[null,2]}", LK_ERR_SYNTAX, "a count"},
		/* NaN, infinities, hex, explicit plus, space inside a number */
		{"{\"k\":2,\"n\":[NaN,2]}", LK_ERR_SYNTAX, "a count"},
		{"{\"k\":2,\"n\":[inf,2]}", LK_ERR_SYNTAX, "a count"},
		{"{\"k\":2,\"n\":[0x10,2]}", LK_ERR_SYNTAX, "expected \",\""},
		{"{\"k\":2,\"n\":[+1,2]}", LK_ERR_SYNTAX, "a count"},
		{"{\"k\":2,\"n\":[- 1,2]}", LK_ERR_SYNTAX, "a count"},
		{"{\"k\":2,\"n\":[\v1,2]}", LK_ERR_SYNTAX, "a count"},
		{"{\"k\":2,\"n\":[1,2],\"w\":[NaN,1],\"w2\":[1,1]}", LK_ERR_SYNTAX, "a number"},
		{"{\"k\":2,\"n\":[1,2],\"w\":[nan,1],\"w2\":[1,1]}", LK_ERR_SYNTAX, "a number"},
		{"{\"k\":2,\"n\":[1,2],\"w\":[1,2],\"w2\":[1,Infinity]}", LK_ERR_SYNTAX, "a number"},
		{"{\"k\":2,\"n\":[1,2],\"w\":[1,2],\"w2\":[1,inf]}", LK_ERR_SYNTAX, "a number"},
		{"{\"k\":2,\"n\":[1,2],\"w\":[-inf,2],\"w2\":[1,2]}", LK_ERR_SYNTAX, "a number"},
		{"{\"k\":2,\"n\":[1,2],\"w\":[0x1p0,2],\"w2\":[1,2]}", LK_ERR_SYNTAX, "expected \",\""},
		{"{\"k\":2,\"n\":[1,2],\"w\":[1,0X2],\"w2\":[1,2]}", LK_ERR_SYNTAX, "expected \"]\""},
		{"{\"k\":2,\"n\":[1,2],\"w\":[+1,2],\"w2\":[1,2]}", LK_ERR_SYNTAX, "a number"},
		{"{\"k\":2,\"n\":[1,2],\"w\":[1,- 2],\"w2\":[1,2]}", LK_ERR_SYNTAX, "a number"},
		{"{\"k\":2,\"n\":[1,2],\"w\":[1,\v2],\"w2\":[1,2]}", LK_ERR_SYNTAX, "a number"},
		{"{\"k\":2,\"n\":[1,2],\"w\":[.5,2],\"w2\":[1,2]}", LK_ERR_SYNTAX, "a number"},
		{"{\"k\":2,\"n\":[1,2],\"w\":[1e,2],\"w2\":[1,2]}", LK_ERR_SYNTAX, "a number"},
		{"{\"k\":2,\"n\":[1,2],\"w\":[1e+,2],\"w2\":[1,2]}", LK_ERR_SYNTAX, "a number"},
		{"{\"k\":2,\"n\":[1,2],\"w\":[1..5,2],\"w2\":[1,2]}", LK_ERR_SYNTAX, "a number"},
		{"{\"k\":2,\"n\":[1,2],\"w\":[--1,2],\"w2\":[1,2]}", LK_ERR_SYNTAX, "a number"},
		{"{\"k\":2,\"n\":[1,2],\"w\":[1 .5,2],\"w2\":[1,2]}", LK_ERR_SYNTAX, "expected \",\""},
		/* weights out of float8 range, or negative */
		{"{\"k\":2,\"n\":[1,2],\"w\":[1e999,2],\"w2\":[1,2]}", LK_ERR_RANGE, "\"w\" 1e999 of level 1 is out of range for float8"},
		{"{\"k\":2,\"n\":[1,2],\"w\":[1,2],\"w2\":[1,-1e400]}", LK_ERR_RANGE, "\"w2\" -1e400 of level 2"},
		{"{\"k\":2,\"n\":[1,2],\"w\":[-0.5,2],\"w2\":[0.25,2]}", LK_ERR_RANGE, "w=-0.5"},
		/* k out of range */
		{"{\"k\":1,\"n\":[1]}", LK_ERR_RANGE, "scale size 1 is out of range"},
		{"{\"k\":11,\"n\":[1,1,1,1,1,1,1,1,1,1,1]}", LK_ERR_RANGE, "scale size 11 is out of range"},
		{"{\"k\":0,\"n\":[]}", LK_ERR_RANGE, "scale size 0"},
		{"{\"k\":-5,\"n\":[1]}", LK_ERR_RANGE, "scale size -5"},
		{"{\"k\":9223372036854775807,\"n\":[1]}", LK_ERR_RANGE, "scale size 9223372036854775807"},
		{"{\"k\":99999999999999999999,\"n\":[1]}", LK_ERR_RANGE, "out of range"},
		{"{\"k\":5.0,\"n\":[1,1,1,1,1]}", LK_ERR_SYNTAX, "a whole number"},
		{"{\"k\":\"5\",\"n\":[1,1,1,1,1]}", LK_ERR_SYNTAX, "a count"},
		/* inconsistent weight sums */
		{"{\"k\":2,\"n\":[1,2],\"w\":[2,2],\"w2\":[4.5,2]}", LK_ERR_INCONSISTENT, "level 1 cannot come from 1 non-negative weights (w=2, w2=4.5)"},
		{"{\"k\":2,\"n\":[1,2],\"w\":[2,3],\"w2\":[4,4]}", LK_ERR_INCONSISTENT, "level 2 cannot come from 2 non-negative weights (w=3, w2=4)"},
		{"{\"k\":2,\"n\":[0,2],\"w\":[0.5,2],\"w2\":[0.25,2]}", LK_ERR_INCONSISTENT, "level 1 has no answers but non-zero weight sums (w=0.5, w2=0.25)"},
		{"{\"k\":2,\"n\":[1,2],\"w\":[0,2],\"w2\":[1,2]}", LK_ERR_INCONSISTENT, "level 1 cannot come from 1"},
	};
	size_t		i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		lk_summary	s;
		char		err[LK_ERRBUF];
		lk_status	st = parse(bad[i].text, &s, err);

		if (!CHECK_EQ(st, bad[i].status))
			unit_note("input %s: %s", bad[i].text, err);
		if (!CHECK(err[0] != '\0'))
			unit_note("input %s: empty message", bad[i].text);
		if (bad[i].needle && !CHECK_CONTAINS(err, bad[i].needle))
			unit_note("input %s", bad[i].text);
	}
}

/* strict JSON numbers and clear messages (defects found by these tests, fixed) */
static void
test_known_leniency(void)
{
	lk_summary	s;
	char		err[LK_ERRBUF];

	/* JSON has no leading zeros and no "1." */
	CHECK(parse("{\"k\":2,\"n\":[01,2]}", &s, err) == LK_ERR_SYNTAX);
	CHECK(parse("{\"k\":02,\"n\":[1,2]}", &s, err) == LK_ERR_SYNTAX);
	CHECK(parse("{\"k\":2,\"n\":[1,1],\"w\":[1.,2],\"w2\":[1,4]}", &s, err) == LK_ERR_SYNTAX);
	/* k beyond bigint is reported as a scale size, not as "count ... of level 0" */
	CHECK_EQ(parse("{\"k\":99999999999999999999,\"n\":[1]}", &s, err), LK_ERR_RANGE);
	CHECK(strstr(err, "level 0") == NULL);
}

void
test_text(void)
{
	test_format_double();
	test_json_helpers();
	test_known_texts();
	test_round_trip();
	test_text_max();
	test_whitespace();
	test_rejections();
	test_known_leniency();
}
