/*
 * survey.c - survey summaries: item codes, stored layout, text form.
 */
#include "survey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool
sv_code_valid(const char *code, size_t len)
{
	size_t		i;

	if (len == 0 || len > SV_CODE_MAX)
		return false;
	for (i = 0; i < len; i++)
	{
		char		c = code[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			  c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

int
sv_code_cmp(const char *a, const char *b)
{
	return strcmp(a, b);		/* codes are ASCII: bytewise order */
}

int
sv_find(const sv_summary *s, const char *code)
{
	int			lo = 0,
				hi = s->nitems - 1;

	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		int			c = sv_code_cmp(s->items[mid].code, code);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* ---- stored layout ---- */

static size_t
varint_size(uint64_t v)
{
	size_t		n = 1;

	while (v >= 0x80)
	{
		v >>= 7;
		n++;
	}
	return n;
}

static unsigned char *
varint_put(unsigned char *p, uint64_t v)
{
	while (v >= 0x80)
	{
		*p++ = (unsigned char) (v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char) v;
	return p;
}

/* false on truncation or a varint longer than 10 bytes / above INT64_MAX */
static bool
varint_get(const unsigned char **p, const unsigned char *end, int64_t *out)
{
	uint64_t	v = 0;
	int			shift = 0;

	while (*p < end)
	{
		unsigned char b = *(*p)++;

		if (shift == 63 && (b & 0x7e) != 0)
			return false;
		v |= (uint64_t) (b & 0x7f) << shift;
		if (!(b & 0x80))
		{
			if (v > (uint64_t) INT64_MAX)
				return false;
			*out = (int64_t) v;
			return true;
		}
		shift += 7;
		if (shift > 63)
			return false;
	}
	return false;
}

size_t
sv_stored_size(const sv_summary *s)
{
	size_t		size = 4;
	int			i,
				j;

	for (i = 0; i < s->nitems; i++)
	{
		const lk_summary *l = &s->items[i].s;

		size += 1 + strlen(s->items[i].code) + 2;
		for (j = 0; j < l->k; j++)
			size += varint_size((uint64_t) l->n[j]);
		if (l->weighted)
			size += (size_t) 16 * l->k;
	}
	return size;
}

/* items must be sorted, unique, canonical */
void
sv_store(const sv_summary *s, unsigned char *dst)
{
	uint16_t	n = (uint16_t) s->nitems;
	unsigned char *p = dst;
	int			i,
				j;

	*p++ = SV_STORE_VERSION;
	*p++ = 0;
	memcpy(p, &n, 2);
	p += 2;
	for (i = 0; i < s->nitems; i++)
	{
		const lk_summary *l = &s->items[i].s;
		size_t		len = strlen(s->items[i].code);

		*p++ = (unsigned char) len;
		memcpy(p, s->items[i].code, len);
		p += len;
		*p++ = (unsigned char) l->k;
		*p++ = l->weighted ? 1 : 0;
		for (j = 0; j < l->k; j++)
			p = varint_put(p, (uint64_t) l->n[j]);
		if (l->weighted)
		{
			memcpy(p, l->w, (size_t) 8 * l->k);
			p += 8 * l->k;
			memcpy(p, l->w2, (size_t) 8 * l->k);
			p += 8 * l->k;
		}
	}
}

lk_status
sv_load_count(const unsigned char *src, size_t len, int *nitems, char *err, size_t errlen)
{
	uint16_t	n;

	if (len < 4 || src[0] != SV_STORE_VERSION || src[1] != 0)
	{
		snprintf(err, errlen, "corrupt survey summary header (%zu bytes, version %d)",
				 len, len > 0 ? src[0] : -1);
		return LK_ERR_SYNTAX;
	}
	memcpy(&n, src + 2, 2);
	if (n > SV_MAX_ITEMS)
	{
		snprintf(err, errlen, "survey summary claims %d items, more than %d", n, SV_MAX_ITEMS);
		return LK_ERR_SYNTAX;
	}
	*nitems = n;
	return LK_OK;
}

lk_status
sv_load(const unsigned char *src, size_t len, sv_summary *s, char *err, size_t errlen)
{
	const unsigned char *p = src + 4,
			   *end = src + len;
	lk_status	st;
	int			i,
				j,
				n;

	if ((st = sv_load_count(src, len, &n, err, errlen)) != LK_OK)
		return st;
	s->nitems = n;
	for (i = 0; i < n; i++)
	{
		sv_item    *it = &s->items[i];
		size_t		clen;
		int			k;

		if (p >= end || (clen = *p++) == 0 || clen > SV_CODE_MAX || (size_t) (end - p) < clen + 2)
			goto truncated;
		memcpy(it->code, p, clen);
		it->code[clen] = '\0';
		p += clen;
		if (!sv_code_valid(it->code, clen) || (i > 0 && sv_code_cmp(s->items[i - 1].code, it->code) >= 0))
		{
			snprintf(err, errlen, "item %d has an invalid or out-of-order code", i + 1);
			return LK_ERR_SYNTAX;
		}
		k = *p++;
		if (k < LK_MIN_K || k > LK_MAX_K || *p > 1)
		{
			snprintf(err, errlen, "item \"%s\" has a corrupt header (k=%d)", it->code, k);
			return LK_ERR_SYNTAX;
		}
		lk_summary_init(&it->s, k);
		it->s.weighted = *p++ == 1;
		for (j = 0; j < k; j++)
			if (!varint_get(&p, end, &it->s.n[j]))
				goto truncated;
		if (it->s.weighted)
		{
			if ((size_t) (end - p) < (size_t) 16 * k)
				goto truncated;
			memcpy(it->s.w, p, (size_t) 8 * k);
			memcpy(it->s.w2, p + 8 * k, (size_t) 8 * k);
			p += 16 * k;
		}
		if ((st = lk_summary_check(&it->s, err, errlen)) != LK_OK)
			return st;
		lk_summary_canonicalize(&it->s);
	}
	if (p != end)
	{
		snprintf(err, errlen, "%zu unexpected bytes after the last item", (size_t) (end - p));
		return LK_ERR_SYNTAX;
	}
	return LK_OK;

truncated:
	snprintf(err, errlen, "survey summary truncated at item %d", i + 1);
	return LK_ERR_SYNTAX;
}

/* ---- text form ---- */

size_t
sv_text_size(const sv_summary *s)
{
	return 3 + (size_t) s->nitems * (SV_CODE_MAX + 4 + LK_TEXT_MAX);
}

void
sv_format(const sv_summary *s, char *buf, size_t buflen)
{
	size_t		pos = 0;
	int			i;

	pos += snprintf(buf + pos, buflen - pos, "{");
	for (i = 0; i < s->nitems && pos < buflen; i++)
	{
		pos += snprintf(buf + pos, buflen - pos, "%s\"%s\":", i ? "," : "", s->items[i].code);
		if (pos < buflen)
		{
			lk_format(&s->items[i].s, buf + pos, buflen - pos);
			pos += strlen(buf + pos);
		}
	}
	if (pos < buflen)
		snprintf(buf + pos, buflen - pos, "}");
}

static const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static lk_status
text_error(const char *str, const char *p, const char *expected, char *err, size_t errlen)
{
	if (*p == '\0')
		snprintf(err, errlen, "expected %s at end of input", expected);
	else
		snprintf(err, errlen, "expected %s at byte %d, found \"%.*s\"%s",
				 expected, (int) (p - str) + 1, lk_ascii_prefix(p, 12), p,
				 lk_ascii_prefix(p, 12) == 0 ? " (a non-ASCII character)" : "");
	return LK_ERR_SYNTAX;
}

/*
 * Walk the text; with items == NULL only count.  Checks order and
 * uniqueness of codes, so the result is already sorted.
 */
static lk_status
parse_items(const char *str, sv_item *items, int *count, char *err, size_t errlen)
{
	const char *p = skip_ws(str);
	char		prev[SV_CODE_MAX + 1] = "";
	lk_summary	scratch;
	int			n = 0;
	lk_status	st;

	if (*p++ != '{')
		return text_error(str, p - 1, "\"{\"", err, errlen);
	p = skip_ws(p);
	if (*p == '}')
		goto done;
	for (;;)
	{
		const char *q;
		char		code[SV_CODE_MAX + 1];
		size_t		len;

		p = skip_ws(p);
		if (*p != '"')
			return text_error(str, p, "an item code in double quotes", err, errlen);
		q = strchr(p + 1, '"');
		if (q == NULL)
			return text_error(str, p, "a closing double quote", err, errlen);
		len = (size_t) (q - p - 1);
		if (!sv_code_valid(p + 1, len))
		{
			snprintf(err, errlen, "item code \"%.*s%s\" is not 1 to %d characters of A-Z a-z 0-9 . _ -",
					 lk_ascii_prefix(p + 1, (int) (len > 40 ? 40 : len)), p + 1,
					 lk_ascii_prefix(p + 1, (int) (len > 40 ? 40 : len)) < (int) len ? "..." : "", SV_CODE_MAX);
			return LK_ERR_SYNTAX;
		}
		memcpy(code, p + 1, len);
		code[len] = '\0';
		if (n > 0 && sv_code_cmp(prev, code) >= 0)
		{
			snprintf(err, errlen, "item \"%s\" %s \"%s\": items must be unique and in code order",
					 code, sv_code_cmp(prev, code) == 0 ? "repeats" : "comes after", prev);
			return LK_ERR_INCONSISTENT;
		}
		if (n >= SV_MAX_ITEMS)
		{
			snprintf(err, errlen, "more than %d items", SV_MAX_ITEMS);
			return LK_ERR_RANGE;
		}
		p = skip_ws(q + 1);
		if (*p++ != ':')
			return text_error(str, p - 1, "\":\"", err, errlen);
		if (items)
		{
			memcpy(items[n].code, code, len + 1);
			st = lk_parse_prefix(p, &p, &items[n].s, err, errlen);
		}
		else
			st = lk_parse_prefix(p, &p, &scratch, err, errlen);
		if (st != LK_OK)
		{
			size_t		used = strlen(err);

			snprintf(err + used, errlen - used, " (item \"%s\")", code);
			return st;
		}
		memcpy(prev, code, len + 1);
		n++;
		p = skip_ws(p);
		if (*p == ',')
		{
			p++;
			continue;
		}
		if (*p == '}')
			break;
		return text_error(str, p, "\",\" or \"}\"", err, errlen);
	}
done:
	p = skip_ws(p + 1);
	if (*p != '\0')
		return text_error(str, p, "end of input", err, errlen);
	*count = n;
	return LK_OK;
}

lk_status
sv_parse_count(const char *str, int *nitems, char *err, size_t errlen)
{
	return parse_items(str, NULL, nitems, err, errlen);
}

lk_status
sv_parse(const char *str, sv_summary *s, char *err, size_t errlen)
{
	return parse_items(str, s->items, &s->nitems, err, errlen);
}

static int
item_cmp(const void *a, const void *b)
{
	return sv_code_cmp(((const sv_item *) a)->code, ((const sv_item *) b)->code);
}

lk_status
sv_sort_check(sv_summary *s, char *err, size_t errlen)
{
	int			i;

	qsort(s->items, (size_t) s->nitems, sizeof(sv_item), item_cmp);
	for (i = 1; i < s->nitems; i++)
		if (sv_code_cmp(s->items[i - 1].code, s->items[i].code) == 0)
		{
			snprintf(err, errlen, "item \"%s\" appears twice", s->items[i].code);
			return LK_ERR_INCONSISTENT;
		}
	return LK_OK;
}
