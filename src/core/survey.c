/*
 * survey.c - survey summaries: item codes, stored layout, text form.
 */
#include "survey.h"
#include "lk_index.h"
#include "lk_json.h"
#include "lk_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The one rule of codes (items, nodes, questionnaires; the catalogue's CHECK
 * calls it through sipas_internal.code_problem): 1 to SV_CODE_MAX bytes of
 * well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF), without white space or invisible characters, control characters,
 * double quotes or backslashes (they would need escapes in the JSON text forms
 * and the CSV headers codes appear in), and not starting with "@" (the text
 * form of sipas.survey keeps "@forms" for its forms section).  Byte-wise and
 * locale-free, so every database and client agrees on it.
 */
sv_code_fault
sv_code_check(const char *code, size_t len, size_t *at)
{
	const unsigned char *p = (const unsigned char *) code;
	size_t		i = 0;
	sv_code_fault f = SV_CODE_OK;

	if (len == 0)
		f = SV_CODE_EMPTY;
	else if (len > SV_CODE_MAX)
		f = SV_CODE_TOO_LONG;
	else if (p[0] == '@')
		f = SV_CODE_RESERVED;
	while (f == SV_CODE_OK && i < len)
	{
		unsigned char c = p[i];
		uint32_t	cp;
		int			n,
					j;
		unsigned char lo = 0x80,
					hi = 0xBF;

		if (c < 0x80)
		{
			if (c == ' ' || (c >= '\t' && c <= '\r'))
				f = SV_CODE_SPACE;
			else if (c < 0x20 || c == 0x7F)
				f = SV_CODE_CONTROL;
			else if (c == '"' || c == '\\')
				f = SV_CODE_QUOTE;
			else
				i++;
			continue;
		}
		/* lead byte: length and the range of the first continuation byte */
		if (c >= 0xC2 && c <= 0xDF)
			n = 1, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
		{
			n = 2, cp = c & 0x0F;
			if (c == 0xE0)
				lo = 0xA0;		/* overlong */
			else if (c == 0xED)
				hi = 0x9F;		/* surrogates U+D800..U+DFFF */
		}
		else if (c >= 0xF0 && c <= 0xF4)
		{
			n = 3, cp = c & 0x07;
			if (c == 0xF0)
				lo = 0x90;		/* overlong */
			else if (c == 0xF4)
				hi = 0x8F;		/* above U+10FFFF */
		}
		else
		{
			f = SV_CODE_BAD_UTF8;	/* C0, C1 (overlong), F5..FF, a stray continuation */
			break;
		}
		if (i + n >= len)
		{
			f = SV_CODE_BAD_UTF8;	/* truncated */
			break;
		}
		for (j = 1; j <= n; j++)
		{
			if (p[i + j] < (j == 1 ? lo : 0x80) || p[i + j] > (j == 1 ? hi : 0xBF))
				break;
			cp = (cp << 6) | (p[i + j] & 0x3F);
		}
		if (j <= n)
		{
			f = SV_CODE_BAD_UTF8;
			break;
		}
		/* Unicode White_Space, C1 controls and invisible format characters */
		if (cp >= 0x80 && cp <= 0x9F && cp != 0x85)
			f = SV_CODE_CONTROL;
		else if (cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200F) ||
				 cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
				 cp == 0x2060 || cp == 0x3000 || cp == 0xFEFF)
			f = SV_CODE_SPACE;
		else
			i += n + 1;
	}
	if (at)
		*at = i;
	return f;
}

bool
sv_code_valid(const char *code, size_t len)
{
	return sv_code_check(code, len, NULL) == SV_CODE_OK;
}

const char *
sv_code_fault_text(sv_code_fault f)
{
	switch (f)
	{
		case SV_CODE_OK:
			return "follows the rule";
		case SV_CODE_EMPTY:
			return "is empty";
		case SV_CODE_TOO_LONG:
			return "is longer than 32 bytes";
		case SV_CODE_BAD_UTF8:
			return "is not well-formed UTF-8";
		case SV_CODE_SPACE:
			return "contains white space or an invisible character";
		case SV_CODE_CONTROL:
			return "contains a control character";
		case SV_CODE_QUOTE:
			return "contains a double quote or a backslash";
		case SV_CODE_RESERVED:
			return "starts with @ (kept for the \"@forms\" section of the survey text form)";
	}
	return "is invalid";
}

/*
 * Code order: bytewise (unsigned) comparison of the UTF-8 bytes, which is
 * Unicode code point order, whatever the collation of the database; in SQL
 * the same order is ORDER BY code COLLATE "C".
 */
int
sv_code_cmp(const char *a, const char *b)
{
	return strcmp(a, b);		/* compares as unsigned char: code point order */
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

static inline unsigned char *
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

/* ---- item margins and the forms section's consistency ---- */

/* satisfied and answered counts of an item */
static void
item_counts(const lk_summary *l, int64_t *sat, int64_t *ans)
{
	int			from = lk_satisfied_from(l->k);
	int			i;

	*sat = 0;
	*ans = 0;
	for (i = 0; i < l->k; i++)
	{
		*ans += l->n[i];
		if (i + 1 >= from)
			*sat += l->n[i];
	}
}

void
sv_item_sa(const sv_summary *s, int j, double *sat, double *ans)
{
	const lk_summary *l = &s->items[j].s;
	int			from = lk_satisfied_from(l->k);
	int			i;

	*sat = 0.0;
	*ans = 0.0;
	for (i = 0; i < l->k; i++)
	{
		double		v = (s->forms && s->forms->weighted) ? l->w2[i] : (double) l->n[i];

		*ans += v;
		if (i + 1 >= from)
			*sat += v;
	}
}

static void
forms_sums(const sv_forms *f, double v[6])
{
	v[0] = f->w;
	v[1] = f->w2;
	v[2] = f->answering_w;
	v[3] = f->answering_w2;
	v[4] = f->all_sat_w;
	v[5] = f->all_sat_w2;
}

static void
forms_set_sums(sv_forms *f, const double v[6])
{
	f->w = v[0];
	f->w2 = v[1];
	f->answering_w = v[2];
	f->answering_w2 = v[3];
	f->all_sat_w = v[4];
	f->all_sat_w2 = v[5];
}

/* unweighted: the weight sums are the counts */
static void
forms_plain_sums(sv_forms *f)
{
	f->w = f->w2 = (double) f->n;
	f->answering_w = f->answering_w2 = (double) f->answering;
	f->all_sat_w = f->all_sat_w2 = (double) f->all_sat;
}

static int64_t
min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

lk_status
sv_forms_check(const sv_summary *s, char *err, size_t errlen)
{
	const sv_forms *f = s->forms;
	int			m = s->nitems;
	int64_t		sum_ans = 0,
				worst_unsat = 0;
	double		dsat[SV_MAX_ITEMS],
				dans[SV_MAX_ITEMS];
	int			j,
				k;

	if (f == NULL)
		return LK_OK;
	if (m > SV_MAX_ITEMS)
	{
		snprintf(err, errlen, "survey summary has %d items, more than %d", m, SV_MAX_ITEMS);
		return LK_ERR_INCONSISTENT;
	}
	if (f->m != m)
	{
		snprintf(err, errlen, "forms section covers %d items, the summary has %d", f->m, m);
		return LK_ERR_INCONSISTENT;
	}
	if (f->n < 1 || f->answering < 0 || f->answering > f->n || f->all_sat < 0 || f->all_sat > f->answering)
	{
		snprintf(err, errlen, "forms section counts are impossible (%lld forms, %lld answering, %lld satisfied with every answer)",
				 (long long) f->n, (long long) f->answering, (long long) f->all_sat);
		return LK_ERR_INCONSISTENT;
	}
	for (j = 0; j < m; j++)
	{
		int64_t		sat,
					ans;

		if (!f->weighted && s->items[j].s.weighted)
		{
			snprintf(err, errlen, "item \"%s\" is weighted in a summary of unweighted forms", s->items[j].code);
			return LK_ERR_INCONSISTENT;
		}
		item_counts(&s->items[j].s, &sat, &ans);
		if (ans > f->answering)
		{
			snprintf(err, errlen, "item \"%s\" has %lld answers from %lld answering forms",
					 s->items[j].code, (long long) ans, (long long) f->answering);
			return LK_ERR_INCONSISTENT;
		}
		if (sum_ans <= INT64_MAX - ans)
			sum_ans += ans;
		else
			sum_ans = INT64_MAX;
		if (ans - sat > worst_unsat)
			worst_unsat = ans - sat;
	}
	if (sum_ans < f->answering || f->all_sat > f->answering - worst_unsat)
	{
		snprintf(err, errlen, "forms section counts (%lld answering, %lld satisfied with every answer) do not fit the items' answers",
				 (long long) f->answering, (long long) f->all_sat);
		return LK_ERR_INCONSISTENT;
	}
	if (f->weighted)
	{
		double		v[6];
		int			i;

		forms_sums(f, v);
		for (i = 0; i < 6; i++)
			if (!isfinite(v[i]) || v[i] < 0.0)
			{
				snprintf(err, errlen, "forms section has a weight sum that is negative or not finite");
				return LK_ERR_INCONSISTENT;
			}
		if (f->answering_w > f->w * (1 + 1e-9) || f->all_sat_w > f->answering_w * (1 + 1e-9) ||
			f->answering_w2 > f->w2 * (1 + 1e-9) || f->all_sat_w2 > f->answering_w2 * (1 + 1e-9))
		{
			snprintf(err, errlen, "forms section weight sums are impossible");
			return LK_ERR_INCONSISTENT;
		}
	}
	else if (f->w != (double) f->n || f->w2 != (double) f->n || f->answering_w != (double) f->answering ||
			 f->answering_w2 != (double) f->answering || f->all_sat_w != (double) f->all_sat ||
			 f->all_sat_w2 != (double) f->all_sat)
	{
		snprintf(err, errlen, "unweighted forms section with weight sums that differ from its counts");
		return LK_ERR_INCONSISTENT;
	}

	/* every pair: the nine cells of the joint table must not be negative */
	for (j = 0; j < m; j++)
		sv_item_sa(s, j, &dsat[j], &dans[j]);
	for (j = 0; j < m; j++)
		for (k = j + 1; k < m; k++)
		{
			const sv_moment *p = &f->pair[4 * sv_pair(j, k, m)];
			double		sj,
						aj,
						sk,
						ak,
						aa,
						sa,
						as,
						ss,
						total,
						tol;
			double		cell[9];
			int			c;

			sj = dsat[j];
			aj = dans[j];
			sk = dsat[k];
			ak = dans[k];
			if (f->weighted)
			{
				aa = p[SV_AA].w;
				sa = p[SV_SA].w;
				as = p[SV_AS].w;
				ss = p[SV_SS].w;
				total = f->w2;
				tol = 1e-9 * total;
				if (!isfinite(aa) || !isfinite(sa) || !isfinite(as) || !isfinite(ss) ||
					aa < 0 || sa < 0 || as < 0 || ss < 0)
					goto bad_pair;
			}
			else
			{
				/* exact in double up to 2^53 forms; beyond, the checks are within rounding */
				if (p[SV_AA].n < 0 || p[SV_SA].n < 0 || p[SV_AS].n < 0 || p[SV_SS].n < 0)
					goto bad_pair;
				aa = (double) p[SV_AA].n;
				sa = (double) p[SV_SA].n;
				as = (double) p[SV_AS].n;
				ss = (double) p[SV_SS].n;
				total = (double) f->n;
				tol = 0.0;
			}
			cell[0] = ss;
			cell[1] = sa - ss;
			cell[2] = as - ss;
			cell[3] = aa - sa - as + ss;
			cell[4] = sj - sa;
			cell[5] = (aj - sj) - (aa - sa);	/* unsatisfied on j, no answer to k */
			cell[6] = sk - as;
			cell[7] = (ak - sk) - (aa - as);
			cell[8] = total - aj - ak + aa;
			for (c = 0; c < 9; c++)
				if (!(cell[c] >= -tol))
					goto bad_pair;
			continue;
	bad_pair:
			snprintf(err, errlen, "forms section: the moments of items \"%s\" and \"%s\" are impossible for their answers",
					 s->items[j].code, s->items[k].code);
			return LK_ERR_INCONSISTENT;
		}
	return LK_OK;
}

/* every item's satisfied and answered counts, once per summary (not per pair) */
static void
item_totals(const sv_summary *s, int64_t *sat, int64_t *ans)
{
	int			j;

	for (j = 0; j < s->nitems; j++)
		item_counts(&s->items[j].s, &sat[j], &ans[j]);
}

/*
 * The four deficits of an unweighted pair whose moments are p (see
 * survey.h), from the satisfied and answered counts of its two items.
 */
static inline void
pair_deficits(const sv_moment *p, int64_t sj, int64_t aj, int64_t sk, int64_t ak, uint64_t d[4])
{
	d[0] = (uint64_t) (min64(aj, ak) - p[SV_AA].n);
	d[1] = (uint64_t) (min64(sj, p[SV_AA].n) - p[SV_SA].n);
	d[2] = (uint64_t) (min64(sk, p[SV_AA].n) - p[SV_AS].n);
	d[3] = (uint64_t) (min64(p[SV_SA].n, p[SV_AS].n) - p[SV_SS].n);
}

/*
 * Bytes of everything but the unweighted pairs' deficits (those vary with
 * the data); *most is the largest answer count of an item, which bounds
 * every deficit.
 */
static size_t
stored_size_but_deficits(const sv_summary *s, int64_t *most)
{
	size_t		size = 4;
	int			i,
				j;

	*most = 0;
	for (i = 0; i < s->nitems; i++)
	{
		const lk_summary *l = &s->items[i].s;
		int64_t		n = 0;

		size += 1 + strlen(s->items[i].code) + 2;
		for (j = 0; j < l->k; j++)
		{
			size += varint_size((uint64_t) l->n[j]);
			n += l->n[j];
		}
		if (l->weighted)
			size += (size_t) 16 * l->k;
		if (n > *most)
			*most = n;
	}
	if (s->forms)
	{
		const sv_forms *f = s->forms;

		size += varint_size((uint64_t) f->n) + varint_size((uint64_t) f->answering) +
			varint_size((uint64_t) f->all_sat);
		if (f->weighted)
			size += 48 + (size_t) 32 * sv_npairs(s->nitems);
	}
	return size;
}

size_t
sv_stored_size(const sv_summary *s)
{
	int64_t		most;
	size_t		size = stored_size_but_deficits(s, &most);
	int			i,
				j;

	if (s->forms && !s->forms->weighted)
	{
		int64_t		sat[SV_MAX_ITEMS],
					ans[SV_MAX_ITEMS];
		const sv_moment *p = s->forms->pair;

		item_totals(s, sat, ans);
		/* pairs in sv_pair order: p walks the array, four moments per pair */
		for (i = 0; i < s->nitems; i++)
			for (j = i + 1; j < s->nitems; j++, p += 4)
			{
				uint64_t	d[4];
				int			c;

				pair_deficits(p, sat[i], ans[i], sat[j], ans[j], d);
				for (c = 0; c < 4; c++)
					size += varint_size(d[c]);
			}
	}
	return size;
}

size_t
sv_stored_bound(const sv_summary *s)
{
	int64_t		most;
	size_t		size = stored_size_but_deficits(s, &most);

	/* every deficit is at most its pair's smaller answer count */
	if (s->forms && !s->forms->weighted)
		size += (size_t) 4 * sv_npairs(s->nitems) * varint_size((uint64_t) most);
	return size;
}

/* items must be sorted, unique, canonical; a forms section checked */
size_t
sv_store(const sv_summary *s, unsigned char *dst)
{
	return sv_store_rows(s, NULL, NULL, dst);
}

size_t
sv_store_rows(const sv_summary *s, sv_pair_row_fn row, void *arg, unsigned char *dst)
{
	uint16_t	n = (uint16_t) s->nitems;
	unsigned char *p = dst;
	int			i,
				j;

	if (s->forms)
	{
		*p++ = SV_STORE_VERSION_FORMS;
		*p++ = SV_FLAG_FORMS | (s->forms->weighted ? SV_FLAG_FORMS_WEIGHTED : 0);
	}
	else
	{
		*p++ = SV_STORE_VERSION;
		*p++ = 0;
	}
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
	if (s->forms)
	{
		const sv_forms *f = s->forms;

		p = varint_put(p, (uint64_t) f->n);
		p = varint_put(p, (uint64_t) f->answering);
		p = varint_put(p, (uint64_t) f->all_sat);
		if (f->weighted)
		{
			double		v[6];

			forms_sums(f, v);
			memcpy(p, v, 48);
			p += 48;
			memcpy(p, f->pair, (size_t) 32 * sv_npairs(s->nitems));
			p += 32 * sv_npairs(s->nitems);
		}
		else
		{
			int64_t		sat[SV_MAX_ITEMS],
						ans[SV_MAX_ITEMS];
			sv_moment	rowbuf[4 * SV_MAX_ITEMS];
			const sv_moment *q = f->pair;

			item_totals(s, sat, ans);
			/* pairs in sv_pair order: q walks the array (or a row), four moments per pair */
			for (i = 0; i < s->nitems; i++)
			{
				const int64_t si = sat[i],
							ai = ans[i];

				if (row)
				{
					row(arg, i, rowbuf);
					q = rowbuf;
				}
				for (j = i + 1; j < s->nitems; j++, q += 4)
				{
					uint64_t	d[4];

					pair_deficits(q, si, ai, sat[j], ans[j], d);
					p = varint_put(p, d[0]);
					p = varint_put(p, d[1]);
					p = varint_put(p, d[2]);
					p = varint_put(p, d[3]);
				}
			}
		}
	}
	return (size_t) (p - dst);
}

static bool
header_ok(const unsigned char *src, size_t len)
{
	if (len < 4)
		return false;
	if (src[0] == SV_STORE_VERSION)
		return src[1] == 0;
	if (src[0] == SV_STORE_VERSION_FORMS)
		return src[1] == SV_FLAG_FORMS || src[1] == (SV_FLAG_FORMS | SV_FLAG_FORMS_WEIGHTED);
	return false;
}

lk_status
sv_load_count(const unsigned char *src, size_t len, int *nitems, char *err, size_t errlen)
{
	uint16_t	n;

	if (!header_ok(src, len))
	{
		snprintf(err, errlen, "corrupt survey summary header (%zu bytes, version %d, flags %d)",
				 len, len > 0 ? src[0] : -1, len > 1 ? src[1] : -1);
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

bool
sv_stored_has_forms(const unsigned char *src, size_t len)
{
	return header_ok(src, len) && src[0] == SV_STORE_VERSION_FORMS;
}

static lk_status
load_forms(const unsigned char **pp, const unsigned char *end, sv_summary *s, bool weighted,
		   char *err, size_t errlen)
{
	const unsigned char *p = *pp;
	sv_forms   *f = s->forms;
	int			m = s->nitems;
	int64_t		v;
	int			j,
				k;

	f->weighted = weighted;
	f->m = m;
	if (!varint_get(&p, end, &f->n) || !varint_get(&p, end, &f->answering) ||
		!varint_get(&p, end, &f->all_sat))
		goto truncated;
	if (weighted)
	{
		double		sums[6];
		int64_t		np = sv_npairs(m),
					i;

		if ((size_t) (end - p) < 48 + (size_t) 32 * np)
			goto truncated;
		memcpy(sums, p, 48);
		forms_set_sums(f, sums);
		p += 48;
		memcpy(f->pair, p, (size_t) 32 * np);
		p += 32 * np;
		for (i = 0; i < 4 * np; i++)
			if (f->pair[i].w == 0.0)
				f->pair[i].w = 0.0; /* -0 -> +0 */
	}
	else
	{
		int64_t		sat[SV_MAX_ITEMS],
					ans[SV_MAX_ITEMS];

		forms_plain_sums(f);
		item_totals(s, sat, ans);
		for (j = 0; j < m; j++)
		{
			int64_t		sj = sat[j],
						aj = ans[j];

			for (k = j + 1; k < m; k++)
			{
				sv_moment  *q = &f->pair[4 * sv_pair(j, k, m)];
				int64_t		sk = sat[k],
							ak = ans[k],
							bound;

				bound = min64(aj, ak);
				if (!varint_get(&p, end, &v))
					goto truncated;
				if (v > bound)
					goto bad;
				q[SV_AA].n = bound - v;
				bound = min64(sj, q[SV_AA].n);
				if (!varint_get(&p, end, &v))
					goto truncated;
				if (v > bound)
					goto bad;
				q[SV_SA].n = bound - v;
				bound = min64(sk, q[SV_AA].n);
				if (!varint_get(&p, end, &v))
					goto truncated;
				if (v > bound)
					goto bad;
				q[SV_AS].n = bound - v;
				bound = min64(q[SV_SA].n, q[SV_AS].n);
				if (!varint_get(&p, end, &v))
					goto truncated;
				if (v > bound)
					goto bad;
				q[SV_SS].n = bound - v;
				continue;
		bad:
				snprintf(err, errlen, "forms section: a moment of items \"%s\" and \"%s\" is below zero",
						 s->items[j].code, s->items[k].code);
				return LK_ERR_INCONSISTENT;
			}
		}
	}
	*pp = p;
	return sv_forms_check(s, err, errlen);

truncated:
	snprintf(err, errlen, "survey summary truncated in its forms section");
	return LK_ERR_SYNTAX;
}

static lk_status
load(const unsigned char *src, size_t len, sv_summary *s, bool items_only, char *err, size_t errlen)
{
	const unsigned char *p = src + 4,
			   *end = src + len;
	lk_status	st;
	int			i,
				j,
				n;
	sv_forms   *forms = items_only ? NULL : s->forms;

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
	if (items_only && src[0] == SV_STORE_VERSION_FORMS)
	{
		/* the forms section, not read, is what follows */
		s->forms = NULL;
		return LK_OK;
	}
	if (src[0] == SV_STORE_VERSION_FORMS)
	{
		if (forms == NULL)
		{
			snprintf(err, errlen, "survey summary has a forms section but no room was given for it");
			return LK_ERR_SYNTAX;
		}
		s->forms = forms;
		if ((st = load_forms(&p, end, s, (src[1] & SV_FLAG_FORMS_WEIGHTED) != 0, err, errlen)) != LK_OK)
			return st;

	}
	if (p != end)
	{
		snprintf(err, errlen, "%zu unexpected bytes after the last item", (size_t) (end - p));
		return LK_ERR_SYNTAX;
	}
	if (src[0] != SV_STORE_VERSION_FORMS)
		s->forms = NULL;
	return LK_OK;

truncated:
	snprintf(err, errlen, "survey summary truncated at item %d", i + 1);
	return LK_ERR_SYNTAX;
}

lk_status
sv_load(const unsigned char *src, size_t len, sv_summary *s, char *err, size_t errlen)
{
	return load(src, len, s, false, err, errlen);
}

lk_status
sv_load_items(const unsigned char *src, size_t len, sv_summary *s, char *err, size_t errlen)
{
	return load(src, len, s, true, err, errlen);
}

/* ---- text form ---- */

size_t
sv_text_size(const sv_summary *s)
{
	size_t		size = 3 + (size_t) s->nitems * (SV_CODE_MAX + 4 + LK_TEXT_MAX);

	if (s->forms)
		size += 512 + (size_t) 4 * sv_npairs(s->nitems) * 28;
	return size;
}

static size_t
put_value(char *buf, size_t pos, size_t buflen, const sv_forms *f, int64_t n, double w)
{
	if (pos >= buflen)
		return pos;
	if (f->weighted)
		pos += (size_t) lk_format_double(w, buf + pos, buflen - pos);
	else
		pos += (size_t) snprintf(buf + pos, buflen - pos, "%lld", (long long) n);
	return pos;
}

static const char *const moment_names[4] = {"aa", "sa", "as", "ss"};

static void
format_forms(const sv_forms *f, char *buf, size_t pos, size_t buflen, bool first)
{
	int64_t		np = sv_npairs(f->m),
				i;
	int			c;

	pos += snprintf(buf + pos, buflen - pos, "%s\"@forms\":{\"n\":%lld,\"answering\":%lld,\"all_sat\":%lld",
					first ? "" : ",", (long long) f->n, (long long) f->answering, (long long) f->all_sat);
	if (f->weighted)
	{
		static const char *const names[6] = {"w", "w2", "answering_w", "answering_w2", "all_sat_w", "all_sat_w2"};
		double		v[6];

		forms_sums(f, v);
		for (c = 0; c < 6 && pos < buflen; c++)
		{
			pos += snprintf(buf + pos, buflen - pos, ",\"%s\":", names[c]);
			pos = put_value(buf, pos, buflen, f, 0, v[c]);
		}
	}
	for (c = 0; c < 4 && pos < buflen; c++)
	{
		pos += snprintf(buf + pos, buflen - pos, ",\"%s\":[", moment_names[c]);
		for (i = 0; i < np && pos < buflen; i++)
		{
			if (i)
				buf[pos++] = ',';
			pos = put_value(buf, pos, buflen, f, f->pair[4 * i + c].n, f->pair[4 * i + c].w);
		}
		if (pos < buflen)
			pos += snprintf(buf + pos, buflen - pos, "]");
	}
	if (pos < buflen)
		snprintf(buf + pos, buflen - pos, "}");
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
	if (s->forms && pos < buflen)
	{
		format_forms(s->forms, buf, pos, buflen, s->nitems == 0);
		pos += strlen(buf + pos);
	}
	if (pos < buflen)
		snprintf(buf + pos, buflen - pos, "}");
}

/* ---- the "@forms" object ---- */

static bool
accept_tok(const char **pp, const char *tok)
{
	const char *p = lk_json_skip_ws(*pp);
	size_t		len = strlen(tok);

	if (strncmp(p, tok, len) != 0)
		return false;
	*pp = p + len;
	return true;
}

/* a non-negative integer: digits only */
static bool
read_int(const char **pp, int64_t *out)
{
	const char *p = lk_json_skip_ws(*pp);
	uint64_t	v = 0;

	if (!(*p >= '0' && *p <= '9') || (*p == '0' && p[1] >= '0' && p[1] <= '9'))
		return false;
	while (*p >= '0' && *p <= '9')
	{
		if (v > ((uint64_t) INT64_MAX - (uint64_t) (*p - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t) (*p - '0');
		p++;
	}
	*out = (int64_t) v;
	*pp = p;
	return true;
}

/* a finite, non-negative JSON number */
static bool
read_double(const char **pp, double *out)
{
	const char *p = lk_json_skip_ws(*pp);
	char		tok[64];
	size_t		i = 0;
	char	   *end;
	double		v;

	while ((p[i] >= '0' && p[i] <= '9') || p[i] == '.' || p[i] == 'e' || p[i] == 'E' ||
		   ((p[i] == '+' || p[i] == '-') && i > 0 && (p[i - 1] == 'e' || p[i - 1] == 'E')))
	{
		if (i + 1 >= sizeof(tok))
			return false;
		tok[i] = p[i];
		i++;
	}
	if (i == 0 || !(tok[0] >= '0' && tok[0] <= '9'))
		return false;
	tok[i] = '\0';
	v = strtod(tok, &end);
	if (*end != '\0' || !isfinite(v) || v < 0.0)
		return false;
	*out = v == 0.0 ? 0.0 : v;
	*pp = p + i;
	return true;
}

/*
 * Parse {"n":..,...} at *pp for m items; f == NULL only checks the syntax
 * (the counting pass).
 */
static lk_status
parse_forms(const char *str, const char **pp, sv_forms *f, int m, char *err, size_t errlen)
{
	static const char *const sum_keys[6] = {"\"w\"", "\"w2\"", "\"answering_w\"", "\"answering_w2\"",
	"\"all_sat_w\"", "\"all_sat_w2\""};
	static const char *const mom_keys[4] = {"\"aa\"", "\"sa\"", "\"as\"", "\"ss\""};
	const char *p = *pp;
	int64_t		n,
				ans,
				all,
				np = sv_npairs(m),
				i;
	double		sums[6];
	bool		weighted;
	int			c;

	if (!accept_tok(&p, "{") || !accept_tok(&p, "\"n\"") || !accept_tok(&p, ":") || !read_int(&p, &n) ||
		!accept_tok(&p, ",") || !accept_tok(&p, "\"answering\"") || !accept_tok(&p, ":") || !read_int(&p, &ans) ||
		!accept_tok(&p, ",") || !accept_tok(&p, "\"all_sat\"") || !accept_tok(&p, ":") || !read_int(&p, &all) ||
		!accept_tok(&p, ","))
		return lk_json_syntax_error(str, lk_json_skip_ws(p), "the forms object {\"n\":..,\"answering\":..,\"all_sat\":..,", err, errlen);
	weighted = strncmp(lk_json_skip_ws(p), "\"w\"", 3) == 0;
	if (weighted)
		for (c = 0; c < 6; c++)
			if (!accept_tok(&p, sum_keys[c]) || !accept_tok(&p, ":") || !read_double(&p, &sums[c]) ||
				!accept_tok(&p, ","))
				return lk_json_syntax_error(str, lk_json_skip_ws(p), sum_keys[c], err, errlen);
	if (f)
	{
		f->weighted = weighted;
		f->m = m;
		f->n = n;
		f->answering = ans;
		f->all_sat = all;
		if (weighted)
			forms_set_sums(f, sums);
		else
			forms_plain_sums(f);
	}
	for (c = 0; c < 4; c++)
	{
		if ((c > 0 && !accept_tok(&p, ",")) || !accept_tok(&p, mom_keys[c]) || !accept_tok(&p, ":") ||
			!accept_tok(&p, "["))
			return lk_json_syntax_error(str, lk_json_skip_ws(p), mom_keys[c], err, errlen);
		for (i = 0; i < np; i++)
		{
			int64_t		iv = 0;
			double		dv = 0.0;

			if (i > 0 && !accept_tok(&p, ","))
			{
				snprintf(err, errlen, "forms moments %s: %lld values for %d items, expected %lld",
						 mom_keys[c], (long long) i, m, (long long) np);
				return LK_ERR_SYNTAX;
			}
			if (weighted ? !read_double(&p, &dv) : !read_int(&p, &iv))
				return lk_json_syntax_error(str, lk_json_skip_ws(p), weighted ? "a non-negative number" : "a count", err, errlen);
			if (f)
			{
				if (weighted)
					f->pair[4 * i + c].w = dv;
				else
					f->pair[4 * i + c].n = iv;
			}
		}
		if (!accept_tok(&p, "]"))
		{
			snprintf(err, errlen, "forms moments %s: more than %lld values for %d items", mom_keys[c],
					 (long long) np, m);
			return LK_ERR_SYNTAX;
		}
	}
	if (!accept_tok(&p, "}"))
		return lk_json_syntax_error(str, lk_json_skip_ws(p), "\"}\" closing the forms object", err, errlen);
	*pp = p;
	return LK_OK;
}

/*
 * Walk the text; with items == NULL only count.  Checks order and
 * uniqueness of codes, so the result is already sorted.
 */
static lk_status
parse_items(const char *str, sv_item *items, sv_forms *room, int *count, bool *has_forms,
			bool *too_many, char *err, size_t errlen)
{
	const char *p = lk_json_skip_ws(str);
	char		prev[SV_CODE_MAX + 1] = "";
	lk_summary	scratch;
	int			n = 0;
	lk_status	st;

	if (too_many)
		*too_many = false;
	*has_forms = false;
	if (*p++ != '{')
		return lk_json_syntax_error(str, p - 1, "\"{\"", err, errlen);
	p = lk_json_skip_ws(p);
	if (*p == '}')
		goto done;
	for (;;)
	{
		const char *q;
		char		code[SV_CODE_MAX + 1];
		size_t		len;
		sv_code_fault fault;

		p = lk_json_skip_ws(p);
		if (*p != '"')
			return lk_json_syntax_error(str, p, "an item code in double quotes", err, errlen);
		q = strchr(p + 1, '"');
		if (q == NULL)
			return lk_json_syntax_error(str, p, "a closing double quote", err, errlen);
		len = (size_t) (q - p - 1);
		if (len == 6 && memcmp(p + 1, "@forms", 6) == 0)
		{
			/* the forms section closes the object */
			p = lk_json_skip_ws(q + 1);
			if (*p++ != ':')
				return lk_json_syntax_error(str, p - 1, "\":\"", err, errlen);
			if (items && room == NULL)
			{
				snprintf(err, errlen, "survey text has a forms section but no room was given for it");
				return LK_ERR_SYNTAX;
			}
			if ((st = parse_forms(str, &p, items ? room : NULL, n, err, errlen)) != LK_OK)
				return st;
			*has_forms = true;
			p = lk_json_skip_ws(p);
			if (*p != '}')
				return lk_json_syntax_error(str, p, "\"}\" after the forms section", err, errlen);
			break;
		}
		if ((fault = sv_code_check(p + 1, len, NULL)) != SV_CODE_OK)
		{
			/* show the code whole only when it is short, well-formed UTF-8 */
			int			show = (fault == SV_CODE_BAD_UTF8 || fault == SV_CODE_TOO_LONG)
				? lk_ascii_prefix(p + 1, (int) (len > 40 ? 40 : len)) : (int) len;

			snprintf(err, errlen, "item code \"%.*s%s\" %s: a code is " SV_CODE_RULE,
					 show, p + 1, show < (int) len ? "..." : "", sv_code_fault_text(fault));
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
			if (too_many)
				*too_many = true;
			return LK_ERR_RANGE;
		}
		p = lk_json_skip_ws(q + 1);
		if (*p++ != ':')
			return lk_json_syntax_error(str, p - 1, "\":\"", err, errlen);
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
		p = lk_json_skip_ws(p);
		if (*p == ',')
		{
			p++;
			continue;
		}
		if (*p == '}')
			break;
		return lk_json_syntax_error(str, p, "\",\" or \"}\"", err, errlen);
	}
done:
	p = lk_json_skip_ws(p + 1);
	if (*p != '\0')
		return lk_json_syntax_error(str, p, "end of input", err, errlen);
	*count = n;
	return LK_OK;
}

lk_status
sv_parse_count(const char *str, int *nitems, char *err, size_t errlen)
{
	bool		has;

	return parse_items(str, NULL, NULL, nitems, &has, NULL, err, errlen);
}

lk_status
sv_parse_count_limit(const char *str, int *nitems, bool *too_many, char *err, size_t errlen)
{
	bool		has;

	return parse_items(str, NULL, NULL, nitems, &has, too_many, err, errlen);
}

/* '@' appears in a valid text only in the "@forms" key */
bool
sv_text_has_forms(const char *str)
{
	return strstr(str, "\"@forms\"") != NULL;
}

lk_status
sv_parse(const char *str, sv_summary *s, char *err, size_t errlen)
{
	sv_forms   *room = s->forms;
	bool		has;
	lk_status	st;

	st = parse_items(str, s->items, room, &s->nitems, &has, NULL, err, errlen);
	if (st != LK_OK)
		return st;
	s->forms = NULL;
	if (has)
	{
		s->forms = room;
		if ((st = sv_forms_check(s, err, errlen)) != LK_OK)
			return st;
	}
	return LK_OK;
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

	if (s->forms)
	{
		snprintf(err, errlen, "cannot reorder the items of a summary with a forms section");
		return LK_ERR_INCONSISTENT;
	}
	qsort(s->items, (size_t) s->nitems, sizeof(sv_item), item_cmp);
	for (i = 1; i < s->nitems; i++)
		if (sv_code_cmp(s->items[i - 1].code, s->items[i].code) == 0)
		{
			snprintf(err, errlen, "item \"%s\" appears twice", s->items[i].code);
			return LK_ERR_INCONSISTENT;
		}
	return LK_OK;
}
