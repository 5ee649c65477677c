/*
 * lk_text.c - the text form of a summary: a small, strict JSON object.
 *
 *   {"k":5,"n":[0,0,5,16,10]}
 *   {"k":5,"n":[0,0,5,16,10],"w":[0,0,6.5,15.25,9],"w2":[0,0,9.5,17.0625,8.5]}
 *
 * Keys come in this order; "w" and "w2" come together or not at all.
 * Doubles are printed with the fewest significant digits that read back to
 * the same double, so text round trips are exact whatever extra_float_digits
 * says (pg_dump, postgres_fdw and COPY all go through text).
 */
#include "lk_text.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* stands in until a shortest printer is installed: exact, not shortest */
static int
print_17_digits(double x, char *buf)
{
	return snprintf(buf, LK_DOUBLE_BUFLEN, "%.17g", x);
}

static lk_double_printer double_printer = print_17_digits;

void
lk_set_double_printer(lk_double_printer printer)
{
	double_printer = printer ? printer : print_17_digits;
}

/*
 * The layout of "%.Pg" for the P shortest digits (what sipas always
 * printed): fixed notation when the decimal exponent X satisfies
 * -4 <= X < P.  PostgreSQL's printer switches to an exponent from X >= 15
 * on; below that both agree, so only 1e15 <= |x| < 1e17 with more digits
 * than the exponent needs rewriting, e.g. 1.2345678901234565e+15 as
 * 1234567890123456.5.
 */
static int
exponent_to_fixed(char *num, int len)
{
	char		digits[LK_DOUBLE_BUFLEN];
	char	   *e = strchr(num, 'e');
	char	   *p;
	int			ndigits = 0,
				x,
				pos = 0,
				i;

	if (e == NULL)
		return len;
	x = atoi(e + 1);
	for (p = num; p < e; p++)
		if (*p >= '0' && *p <= '9')
			digits[ndigits++] = *p;
	if (x < 0 || x >= ndigits)
		return len;
	if (num[0] == '-')
		num[pos++] = '-';
	for (i = 0; i < ndigits; i++)
	{
		if (i == x + 1)
			num[pos++] = '.';
		num[pos++] = digits[i];
	}
	num[pos] = '\0';
	return pos;
}

int
lk_format_double(double x, char *buf, size_t buflen)
{
	char		num[LK_DOUBLE_BUFLEN];
	int			len;

	if (x == 0.0)
		return snprintf(buf, buflen, "0");
	/* whole numbers below 2^53 print as such, not as 1e+15 (and faster) */
	if (fabs(x) < 9007199254740992.0 && x == floor(x))
		return snprintf(buf, buflen, "%lld", (long long) x);
	len = exponent_to_fixed(num, double_printer(x, num));
	if ((size_t) len < buflen)
		memcpy(buf, num, len + 1);
	else if (buflen > 0)
	{
		memcpy(buf, num, buflen - 1);
		buf[buflen - 1] = '\0';
	}
	return len;
}

static size_t
append(char *buf, size_t buflen, size_t pos, const char *s)
{
	size_t		len = strlen(s);

	if (pos + len < buflen)
		memcpy(buf + pos, s, len + 1);
	return pos + len;
}

static size_t
append_doubles(char *buf, size_t buflen, size_t pos, const char *key,
			   const double *v, int k)
{
	char		num[32];
	int			i;

	pos = append(buf, buflen, pos, key);
	for (i = 0; i < k; i++)
	{
		lk_format_double(v[i], num, sizeof(num));
		pos = append(buf, buflen, pos, i ? "," : "[");
		pos = append(buf, buflen, pos, num);
	}
	return append(buf, buflen, pos, "]");
}

/* buflen >= LK_TEXT_MAX always suffices */
void
lk_format(const lk_summary *s, char *buf, size_t buflen)
{
	char		num[32];
	size_t		pos = 0;
	int			i;

	buf[0] = '\0';
	snprintf(num, sizeof(num), "{\"k\":%d,\"n\":", s->k);
	pos = append(buf, buflen, pos, num);
	for (i = 0; i < s->k; i++)
	{
		snprintf(num, sizeof(num), "%lld", (long long) s->n[i]);
		pos = append(buf, buflen, pos, i ? "," : "[");
		pos = append(buf, buflen, pos, num);
	}
	pos = append(buf, buflen, pos, "]");
	if (s->weighted)
	{
		pos = append_doubles(buf, buflen, pos, ",\"w\":", s->w, s->k);
		pos = append_doubles(buf, buflen, pos, ",\"w2\":", s->w2, s->k);
	}
	append(buf, buflen, pos, "}");
}

/* ---- parser ---- */

typedef struct parser
{
	const char *str;
	const char *p;
	char	   *err;
	size_t		errlen;
} parser;

static void
skip_ws(parser *ps)
{
	ps->p = lk_json_skip_ws(ps->p);
}

static lk_status
syntax_error(parser *ps, const char *expected)
{
	return lk_json_syntax_error(ps->str, ps->p, expected, ps->err, ps->errlen);
}

static bool
accept(parser *ps, const char *token)
{
	size_t		len = strlen(token);

	skip_ws(ps);
	if (strncmp(ps->p, token, len) != 0)
		return false;
	ps->p += len;
	return true;
}

/* JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool
json_number(const char *t)
{
	if (*t == '-')
		t++;
	if (*t == '0')
		t++;
	else if (isdigit((unsigned char) *t))
		while (isdigit((unsigned char) *t))
			t++;
	else
		return false;
	if (*t == '.')
	{
		if (!isdigit((unsigned char) *++t))
			return false;
		while (isdigit((unsigned char) *t))
			t++;
	}
	if (*t == 'e' || *t == 'E')
	{
		t++;
		if (*t == '+' || *t == '-')
			t++;
		if (!isdigit((unsigned char) *t))
			return false;
		while (isdigit((unsigned char) *t))
			t++;
	}
	return *t == '\0';
}

/* a JSON-style number token: what strtod/strtoll may read, nothing more */
static size_t
number_span(const char *p)
{
	size_t		i = 0;

	if (p[i] == '-')
		i++;
	if (!isdigit((unsigned char) p[i]))
		return 0;
	while (isdigit((unsigned char) p[i]) || p[i] == '.' || p[i] == 'e' ||
		   p[i] == 'E' || ((p[i] == '+' || p[i] == '-') && (p[i - 1] == 'e' || p[i - 1] == 'E')))
		i++;
	return i;
}

static lk_status
parse_count(parser *ps, int level, int64_t *out)
{
	char		tok[64];
	size_t		span;
	char	   *end;
	long long	v;

	skip_ws(ps);
	span = number_span(ps->p);
	if (span == 0 || span >= sizeof(tok))
		return syntax_error(ps, "a count");
	memcpy(tok, ps->p, span);
	tok[span] = '\0';
	errno = 0;
	v = strtoll(tok, &end, 10);
	if (*end != '\0' || !json_number(tok))
		return syntax_error(ps, level ? "a whole number as count" : "a whole number as scale size");
	if (errno == ERANGE)
	{
		if (level == 0)
			snprintf(ps->err, ps->errlen, "scale size %s is out of range: a scale has %d to %d levels",
					 tok, LK_MIN_K, LK_MAX_K);
		else
			snprintf(ps->err, ps->errlen, "count \"%s\" of level %d is out of range for bigint", tok, level);
		return LK_ERR_RANGE;
	}
	ps->p += span;
	*out = (int64_t) v;
	return LK_OK;
}

static lk_status
parse_double(parser *ps, const char *key, int level, double *out)
{
	char		tok[64];
	size_t		span;
	char	   *end;
	double		v;

	skip_ws(ps);
	span = number_span(ps->p);
	if (span == 0 || span >= sizeof(tok))
		return syntax_error(ps, "a number");
	memcpy(tok, ps->p, span);
	tok[span] = '\0';
	errno = 0;
	v = strtod(tok, &end);
	if (*end != '\0' || !json_number(tok))
		return syntax_error(ps, "a number");
	if (errno == ERANGE && fabs(v) > 1.0)
	{
		snprintf(ps->err, ps->errlen, "\"%s\" %s of level %d is out of range for float8", key, tok, level);
		return LK_ERR_RANGE;
	}
	ps->p += span;
	*out = v;
	return LK_OK;
}

/* "[" v1 "," ... "," vk "]" with exactly k values */
static lk_status
parse_array(parser *ps, const char *key, int k, int64_t *counts, double *doubles)
{
	lk_status	st;
	int			i;

	if (!accept(ps, "["))
		return syntax_error(ps, "\"[\"");
	for (i = 0; i < k; i++)
	{
		if (i > 0 && !accept(ps, ","))
		{
			skip_ws(ps);
			if (*ps->p == ']')
			{
				snprintf(ps->err, ps->errlen, "\"%s\" has %d values but k is %d", key, i, k);
				return LK_ERR_INCONSISTENT;
			}
			return syntax_error(ps, "\",\"");
		}
		st = counts ? parse_count(ps, i + 1, &counts[i]) : parse_double(ps, key, i + 1, &doubles[i]);
		if (st != LK_OK)
			return st;
	}
	if (!accept(ps, "]"))
	{
		if (*ps->p == ',')
		{
			snprintf(ps->err, ps->errlen, "\"%s\" has more than %d values but k is %d", key, k, k);
			return LK_ERR_INCONSISTENT;
		}
		return syntax_error(ps, "\"]\"");
	}
	return LK_OK;
}

/* parse one object at ps->p, leaving ps->p just after its closing brace */
static lk_status
parse_object(parser *ps, lk_summary *s)
{
	int64_t		k;
	lk_status	st;

	if (!accept(ps, "{"))
		return syntax_error(ps, "\"{\"");
	if (!accept(ps, "\"k\"") || !accept(ps, ":"))
		return syntax_error(ps, "\"k\":");
	if ((st = parse_count(ps, 0, &k)) != LK_OK)
		return st;
	if (k < LK_MIN_K || k > LK_MAX_K)
	{
		snprintf(ps->err, ps->errlen, "scale size %lld is out of range: a scale has %d to %d levels",
				 (long long) k, LK_MIN_K, LK_MAX_K);
		return LK_ERR_RANGE;
	}
	lk_summary_init(s, (int) k);
	if (!accept(ps, ",") || !accept(ps, "\"n\"") || !accept(ps, ":"))
		return syntax_error(ps, ",\"n\":");
	if ((st = parse_array(ps, "n", s->k, s->n, NULL)) != LK_OK)
		return st;
	if (accept(ps, ","))
	{
		if (!accept(ps, "\"w\"") || !accept(ps, ":"))
			return syntax_error(ps, "\"w\":");
		if ((st = parse_array(ps, "w", s->k, NULL, s->w)) != LK_OK)
			return st;
		if (!accept(ps, ",") || !accept(ps, "\"w2\"") || !accept(ps, ":"))
			return syntax_error(ps, ",\"w2\": (weight sums come with squared weight sums)");
		if ((st = parse_array(ps, "w2", s->k, NULL, s->w2)) != LK_OK)
			return st;
		s->weighted = true;
	}
	if (!accept(ps, "}"))
		return syntax_error(ps, "\"}\"");
	if ((st = lk_summary_check(s, ps->err, ps->errlen)) != LK_OK)
		return st;
	lk_summary_canonicalize(s);
	return LK_OK;
}

lk_status
lk_parse_prefix(const char *str, const char **end, lk_summary *s, char *err, size_t errlen)
{
	parser		ps = {str, str, err, errlen};
	lk_status	st = parse_object(&ps, s);

	*end = ps.p;
	return st;
}

lk_status
lk_parse(const char *str, lk_summary *s, char *err, size_t errlen)
{
	parser		ps = {str, str, err, errlen};
	lk_status	st;

	if ((st = parse_object(&ps, s)) != LK_OK)
		return st;
	skip_ws(&ps);
	if (*ps.p != '\0')
		return syntax_error(&ps, "end of input");
	return LK_OK;
}
