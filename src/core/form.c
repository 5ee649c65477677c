/*
 * form.c - one respondent's form: stored layout v1, the iterator over stored
 * bytes, the text form.  See form.h.
 *
 * Every reader validates: header, answer count against the bytes, each code
 * (sv_code_valid), strictly increasing codes, k and level; so a stored form
 * that loads is canonical (equal forms have equal bytes).
 */
#include "form.h"
#include "lk_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- stored layout ---- */

size_t
fm_stored_size(const fm_form *f)
{
	size_t		size = FM_STORE_HEADER;
	int			i;

	for (i = 0; i < f->nitems; i++)
		size += 2 + strlen(f->items[i].code);
	return size;
}

/* answers must be sorted, unique and valid (fm_sort_check, fm_parse, fm_load) */
void
fm_store(const fm_form *f, unsigned char *dst)
{
	uint16_t	n = (uint16_t) f->nitems;
	unsigned char *p = dst;
	int			i;

	*p++ = FM_STORE_VERSION;
	*p++ = 0;
	memcpy(p, &n, 2);
	p += 2;
	for (i = 0; i < f->nitems; i++)
	{
		const fm_answer *a = &f->items[i];
		size_t		len = strlen(a->code);

		*p++ = (unsigned char) len;
		memcpy(p, a->code, len);
		p += len;
		*p++ = (unsigned char) ((a->k << 4) | a->level);
	}
}

lk_status
fm_iter_init(fm_iter *it, const unsigned char *src, size_t len, char *err, size_t errlen)
{
	uint16_t	n;

	if (len < FM_STORE_HEADER)
	{
		snprintf(err, errlen, "form truncated: %zu bytes, fewer than the %d-byte header", len, FM_STORE_HEADER);
		return LK_ERR_SYNTAX;
	}
	if (src[0] != FM_STORE_VERSION)
	{
		snprintf(err, errlen, "unknown form layout version %d (this build reads version %d)",
				 src[0], FM_STORE_VERSION);
		return LK_ERR_SYNTAX;
	}
	if (src[1] != 0)
	{
		snprintf(err, errlen, "corrupt form header: flags %d (must be 0)", src[1]);
		return LK_ERR_SYNTAX;
	}
	memcpy(&n, src + 2, 2);
	if (n > FM_MAX_ITEMS)
	{
		snprintf(err, errlen, "form claims %d answers, more than %d", n, FM_MAX_ITEMS);
		return LK_ERR_SYNTAX;
	}
	/* each answer takes at least 3 bytes (length, one code byte, k/level) */
	if ((size_t) n * 3 > len - FM_STORE_HEADER)
	{
		snprintf(err, errlen, "form claims %d answers in %zu bytes", n, len - FM_STORE_HEADER);
		return LK_ERR_SYNTAX;
	}
	it->p = src + FM_STORE_HEADER;
	it->end = src + len;
	it->left = n;
	it->prev = NULL;
	it->prevlen = 0;
	return LK_OK;
}

/* "the first answer" or "the answer after item "X"", for messages */
static void
answer_place(const fm_iter *it, char *buf, size_t buflen)
{
	if (it->prev == NULL)
		snprintf(buf, buflen, "the first answer");
	else
		snprintf(buf, buflen, "the answer after item \"%.*s\"", it->prevlen, it->prev);
}

lk_status
fm_iter_next(fm_iter *it, const char **code, int *codelen, int *k, int *level,
			 bool *done, char *err, size_t errlen)
{
	const unsigned char *p = it->p;
	char		place[SV_CODE_MAX + 32];
	int			clen,
				kl;

	if (it->left == 0)
	{
		if (p != it->end)
		{
			snprintf(err, errlen, "%zu unexpected bytes after the last answer", (size_t) (it->end - p));
			return LK_ERR_SYNTAX;
		}
		*done = true;
		return LK_OK;
	}
	answer_place(it, place, sizeof(place));
	if (p >= it->end)
	{
		snprintf(err, errlen, "form truncated at %s", place);
		return LK_ERR_SYNTAX;
	}
	clen = *p++;
	if (clen == 0 || clen > SV_CODE_MAX)
	{
		snprintf(err, errlen, "%s has a code length of %d bytes (1 to %d allowed)", place, clen, SV_CODE_MAX);
		return LK_ERR_SYNTAX;
	}
	if (it->end - p < clen + 1)
	{
		snprintf(err, errlen, "form truncated at %s", place);
		return LK_ERR_SYNTAX;
	}
	if (!sv_code_valid((const char *) p, (size_t) clen))
	{
		snprintf(err, errlen, "%s has an invalid item code", place);
		return LK_ERR_SYNTAX;
	}
	if (it->prev != NULL && fm_code_cmp(it->prev, it->prevlen, (const char *) p, clen) >= 0)
	{
		snprintf(err, errlen, "item \"%.*s\" %s item \"%.*s\": answers must be unique and in code order",
				 clen, (const char *) p,
				 fm_code_cmp(it->prev, it->prevlen, (const char *) p, clen) == 0 ? "repeats" : "comes after",
				 it->prevlen, it->prev);
		return LK_ERR_SYNTAX;
	}
	kl = p[clen];
	if ((kl >> 4) < LK_MIN_K || (kl >> 4) > LK_MAX_K || (kl & 15) < 1 || (kl & 15) > (kl >> 4))
	{
		snprintf(err, errlen, "item \"%.*s\" has level %d on a %d-level scale (levels 1..k, k %d..%d)",
				 clen, (const char *) p, kl & 15, kl >> 4, LK_MIN_K, LK_MAX_K);
		return LK_ERR_SYNTAX;
	}
	*code = (const char *) p;
	*codelen = clen;
	*k = kl >> 4;
	*level = kl & 15;
	*done = false;
	it->prev = (const char *) p;
	it->prevlen = clen;
	it->p = p + clen + 1;
	it->left--;
	return LK_OK;
}

lk_status
fm_load_count(const unsigned char *src, size_t len, int *nitems, char *err, size_t errlen)
{
	fm_iter		it;
	lk_status	st;

	if ((st = fm_iter_init(&it, src, len, err, errlen)) != LK_OK)
		return st;
	*nitems = it.left;
	return LK_OK;
}

/* f->items must have room for the count fm_load_count gives */
lk_status
fm_load(const unsigned char *src, size_t len, fm_form *f, char *err, size_t errlen)
{
	fm_iter		it;
	lk_status	st;
	int			n = 0;

	if ((st = fm_iter_init(&it, src, len, err, errlen)) != LK_OK)
		return st;
	for (;;)
	{
		const char *code;
		int			clen,
					k,
					level;
		bool		done;

		if ((st = fm_iter_next(&it, &code, &clen, &k, &level, &done, err, errlen)) != LK_OK)
			return st;
		if (done)
			break;
		memcpy(f->items[n].code, code, (size_t) clen);
		f->items[n].code[clen] = '\0';
		f->items[n].k = (uint8_t) k;
		f->items[n].level = (uint8_t) level;
		n++;
	}
	f->nitems = n;
	return LK_OK;
}

/* ---- text form ---- */

/* per answer: "," '"' code '"' ":" "[10,10]" */
size_t
fm_text_size(const fm_form *f)
{
	return 3 + (size_t) f->nitems * (SV_CODE_MAX + 11);
}

void
fm_format(const fm_form *f, char *buf, size_t buflen)
{
	size_t		pos = 0;
	int			i;

	if (buflen == 0)
		return;
	buf[0] = '\0';
	pos += snprintf(buf + pos, buflen - pos, "{");
	for (i = 0; i < f->nitems && pos < buflen; i++)
	{
		const fm_answer *a = &f->items[i];

		if (a->k == LK_DEFAULT_K)
			pos += snprintf(buf + pos, buflen - pos, "%s\"%s\":%d", i ? "," : "", a->code, a->level);
		else
			pos += snprintf(buf + pos, buflen - pos, "%s\"%s\":[%d,%d]", i ? "," : "", a->code, a->level, a->k);
	}
	if (pos < buflen)
		snprintf(buf + pos, buflen - pos, "}");
}

typedef struct fparser
{
	const char *str;
	const char *p;
	char	   *err;
	size_t		errlen;
} fparser;

/* the lexing lk_text.c and survey.c share (lk_json.c) */
static void
fskip_ws(fparser *ps)
{
	ps->p = lk_json_skip_ws(ps->p);
}

static int
fpos(const fparser *ps, const char *at)
{
	return (int) (at - ps->str) + 1;
}

static lk_status
fsyntax(fparser *ps, const char *expected)
{
	return lk_json_syntax_error(ps->str, ps->p, expected, ps->err, ps->errlen);
}

/*
 * A JSON integer: -?(0|[1-9][0-9]*), no fraction or exponent.  Values of
 * more than 9 digits are reported as out of range (they are, for levels and
 * scale sizes) without overflowing.
 */
static lk_status
fparse_int(fparser *ps, const char *what, const char *code, int *out)
{
	const char *start = ps->p,
			   *q = ps->p;
	bool		neg = false;
	long		v = 0;
	int			digits = 0;

	if (*q == '-')
	{
		neg = true;
		q++;
	}
	if (*q < '0' || *q > '9')
	{
		char		exp[64];

		snprintf(exp, sizeof(exp), "a whole number as %s", what);
		return fsyntax(ps, exp);
	}
	if (*q == '0' && q[1] >= '0' && q[1] <= '9')
	{
		snprintf(ps->err, ps->errlen, "%s of item \"%s\" at byte %d has a leading zero", what, code, fpos(ps, start));
		return LK_ERR_SYNTAX;
	}
	while (*q >= '0' && *q <= '9')
	{
		if (digits < 9)
			v = v * 10 + (*q - '0');
		digits++;
		q++;
	}
	if (*q == '.' || *q == 'e' || *q == 'E')
	{
		snprintf(ps->err, ps->errlen, "%s of item \"%s\" at byte %d must be a whole number", what, code, fpos(ps, start));
		return LK_ERR_SYNTAX;
	}
	if (digits > 9)
	{
		snprintf(ps->err, ps->errlen, "%s %.*s%s of item \"%s\" at byte %d is out of range",
				 what, (int) (q - start > 20 ? 20 : q - start), start, q - start > 20 ? "..." : "",
				 code, fpos(ps, start));
		return LK_ERR_RANGE;
	}
	ps->p = q;
	*out = neg ? (int) -v : (int) v;
	return LK_OK;
}

/*
 * Walk the text; with items == NULL only count.  Answers may come in any
 * order; fm_parse sorts them and rejects duplicates.
 */
static lk_status
fparse(const char *str, fm_answer *items, int *count, char *err, size_t errlen)
{
	fparser		ps = {str, str, err, errlen};
	int			n = 0;
	lk_status	st;

	fskip_ws(&ps);
	if (*ps.p != '{')
		return fsyntax(&ps, "\"{\"");
	ps.p++;
	fskip_ws(&ps);
	if (*ps.p == '}')
		goto done;
	for (;;)
	{
		const char *q,
				   *vstart;
		char		code[SV_CODE_MAX + 1];
		size_t		len;
		int			level,
					k = LK_DEFAULT_K;

		fskip_ws(&ps);
		if (*ps.p != '"')
			return fsyntax(&ps, "an item code in double quotes");
		q = strchr(ps.p + 1, '"');
		if (q == NULL)
			return fsyntax(&ps, "a closing double quote");
		len = (size_t) (q - ps.p - 1);
		{
			sv_code_fault fault = sv_code_check(ps.p + 1, len, NULL);

			if (fault != SV_CODE_OK)
			{
				/* the code whole only when it is short, well-formed UTF-8 (as survey.c) */
				int			show = (fault == SV_CODE_BAD_UTF8 || fault == SV_CODE_TOO_LONG)
					? lk_ascii_prefix(ps.p + 1, (int) (len > 40 ? 40 : len)) : (int) len;

				snprintf(err, errlen, "item code \"%.*s%s\" at byte %d %s: a code is " SV_CODE_RULE,
						 show, ps.p + 1, show < (int) len ? "..." : "", fpos(&ps, ps.p), sv_code_fault_text(fault));
				return LK_ERR_SYNTAX;
			}
		}
		memcpy(code, ps.p + 1, len);
		code[len] = '\0';
		if (n >= FM_MAX_ITEMS)
		{
			snprintf(err, errlen, "more than %d answers (item \"%s\" at byte %d)", FM_MAX_ITEMS, code, fpos(&ps, ps.p));
			return LK_ERR_RANGE;
		}
		ps.p = q + 1;
		fskip_ws(&ps);
		if (*ps.p != ':')
			return fsyntax(&ps, "\":\"");
		ps.p++;
		fskip_ws(&ps);
		vstart = ps.p;
		if (*ps.p == '[')
		{
			ps.p++;
			fskip_ws(&ps);
			if ((st = fparse_int(&ps, "level", code, &level)) != LK_OK)
				return st;
			fskip_ws(&ps);
			if (*ps.p != ',')
				return fsyntax(&ps, "\",\" and the scale size (an answer on another scale is [level, k])");
			ps.p++;
			fskip_ws(&ps);
			if ((st = fparse_int(&ps, "scale size", code, &k)) != LK_OK)
				return st;
			fskip_ws(&ps);
			if (*ps.p != ']')
				return fsyntax(&ps, "\"]\" (an answer on another scale is [level, k])");
			ps.p++;
			if (k < LK_MIN_K || k > LK_MAX_K)
			{
				snprintf(err, errlen, "scale size %d of item \"%s\" at byte %d is out of range: a scale has %d to %d levels",
						 k, code, fpos(&ps, vstart), LK_MIN_K, LK_MAX_K);
				return LK_ERR_RANGE;
			}
		}
		else if ((st = fparse_int(&ps, "level", code, &level)) != LK_OK)
			return st;
		if (level < 1 || level > k)
		{
			snprintf(err, errlen, "level %d of item \"%s\" at byte %d is out of range for a %d-level scale (1 to %d)",
					 level, code, fpos(&ps, vstart), k, k);
			return LK_ERR_RANGE;
		}
		if (items)
		{
			memcpy(items[n].code, code, len + 1);
			items[n].k = (uint8_t) k;
			items[n].level = (uint8_t) level;
		}
		n++;
		fskip_ws(&ps);
		if (*ps.p == ',')
		{
			ps.p++;
			continue;
		}
		if (*ps.p == '}')
			break;
		return fsyntax(&ps, "\",\" or \"}\"");
	}
done:
	ps.p++;
	fskip_ws(&ps);
	if (*ps.p != '\0')
		return fsyntax(&ps, "end of input");
	*count = n;
	return LK_OK;
}

lk_status
fm_parse_count(const char *str, int *nitems, char *err, size_t errlen)
{
	return fparse(str, NULL, nitems, err, errlen);
}

/* f->items must have room for the count fm_parse_count gives */
lk_status
fm_parse(const char *str, fm_form *f, char *err, size_t errlen)
{
	lk_status	st;

	if ((st = fparse(str, f->items, &f->nitems, err, errlen)) != LK_OK)
		return st;
	return fm_sort_check(f, err, errlen);
}

/* by code; equal codes by k and level, so that messages do not depend on qsort */
static int
answer_cmp(const void *a, const void *b)
{
	const fm_answer *x = a,
			   *y = b;
	int			c = sv_code_cmp(x->code, y->code);

	if (c != 0)
		return c;
	if (x->k != y->k)
		return x->k < y->k ? -1 : 1;
	return x->level < y->level ? -1 : x->level > y->level;
}

lk_status
fm_sort_check(fm_form *f, char *err, size_t errlen)
{
	int			i;

	if (f->nitems > 1)
		qsort(f->items, (size_t) f->nitems, sizeof(fm_answer), answer_cmp);
	for (i = 1; i < f->nitems; i++)
		if (sv_code_cmp(f->items[i - 1].code, f->items[i].code) == 0)
		{
			const fm_answer *a = &f->items[i - 1],
					   *b = &f->items[i];

			if (a->k == b->k)
				snprintf(err, errlen, "item \"%s\" is answered twice in one form (levels %d and %d)",
						 a->code, a->level, b->level);
			else
				snprintf(err, errlen, "item \"%s\" is answered twice in one form (level %d of %d and level %d of %d)",
						 a->code, a->level, a->k, b->level, b->k);
			return LK_ERR_INCONSISTENT;
		}
	return LK_OK;
}
