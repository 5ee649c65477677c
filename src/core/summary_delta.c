/*
 * summary_delta.c - subtraction of summaries (see summary_delta.h).
 */
#include "summary_delta.h"

#include <string.h>

bool
sd_lk_subtract(const lk_summary *a, const lk_summary *b, lk_summary *out)
{
	int			i;

	if (a->k != b->k)
		return false;
	/* weighted answers cannot be part of an unweighted summary */
	if (b->weighted && !a->weighted)
		return false;
	lk_summary_init(out, a->k);
	out->weighted = a->weighted;
	for (i = 0; i < a->k; i++)
	{
		if (b->n[i] < 0 || a->n[i] < b->n[i])
			return false;
		out->n[i] = a->n[i] - b->n[i];
		if (!a->weighted)
			continue;
		if (out->n[i] == 0)
		{
			out->w[i] = out->w2[i] = 0.0;
			continue;
		}
		if (b->n[i] > 0)
			return false;		/* rounded sums: not invertible */
		out->w[i] = a->w[i];
		out->w2[i] = a->w2[i];
	}
	/* weights of 1 left only: the unweighted value survey_agg gives */
	lk_summary_canonicalize(out);
	return true;
}

static bool
sub_count(int64_t a, int64_t b, int64_t *out)
{
	if (b < 0 || a < b)
		return false;
	*out = a - b;
	return true;
}

bool
sd_sv_subtract(const sv_summary *a, const sv_summary *b, sv_summary *out)
{
	int			i,
				j,
				m = 0;

	if ((a->forms == NULL) != (b->forms == NULL))
		return false;
	if (a->forms && (a->forms->weighted || b->forms->weighted))
		return false;

	/* items: both sides are sorted by code, so one walk matches them */
	{
		int			bi = 0;

		for (i = 0; i < a->nitems; i++)
		{
			const sv_item *ai = &a->items[i];
			sv_item    *oi = &out->items[m];

			if (bi < b->nitems && sv_code_cmp(b->items[bi].code, ai->code) < 0)
				return false;	/* an item of b that a does not have */
			if (bi < b->nitems && sv_code_cmp(b->items[bi].code, ai->code) == 0)
			{
				if (!sd_lk_subtract(&ai->s, &b->items[bi].s, &oi->s))
					return false;
				bi++;
			}
			else
				oi->s = ai->s;
			if (lk_summary_n(&oi->s) == 0)
				continue;		/* every answer left: not in the result */
			memcpy(oi->code, ai->code, sizeof(oi->code));
			m++;
		}
		if (bi < b->nitems)
			return false;
	}
	out->nitems = m;
	if (!a->forms)
	{
		out->forms = NULL;
		return true;
	}

	/* the forms section: counts, then every pair of the items kept */
	{
		const sv_forms *af = a->forms,
				   *bf = b->forms;
		sv_forms   *of = out->forms;
		int			am = a->nitems;
		int			bmap[SV_MAX_ITEMS];	/* a's item -> b's, or -1 */
		int			omap[SV_MAX_ITEMS];	/* a's item -> the result's, or -1 */
		int			bi = 0,
					oi = 0;

		for (i = 0; i < am; i++)
		{
			bmap[i] = -1;
			omap[i] = -1;
			if (bi < b->nitems && sv_code_cmp(b->items[bi].code, a->items[i].code) == 0)
				bmap[i] = bi++;
			if (oi < m && sv_code_cmp(out->items[oi].code, a->items[i].code) == 0)
				omap[i] = oi++;
		}
		of->weighted = false;
		of->m = m;
		if (!sub_count(af->n, bf->n, &of->n) ||
			!sub_count(af->answering, bf->answering, &of->answering) ||
			!sub_count(af->all_sat, bf->all_sat, &of->all_sat))
			return false;
		of->w = of->w2 = (double) of->n;
		of->answering_w = of->answering_w2 = (double) of->answering;
		of->all_sat_w = of->all_sat_w2 = (double) of->all_sat;
		for (i = 0; i < am; i++)
			for (j = i + 1; j < am; j++)
			{
				const sv_moment *ap = &af->pair[4 * sv_pair(i, j, am)];
				int64_t		r[4];
				int			c;

				for (c = 0; c < 4; c++)
				{
					int64_t		bv = 0;

					if (bmap[i] >= 0 && bmap[j] >= 0)
						bv = bf->pair[4 * sv_pair(bmap[i], bmap[j], b->nitems) + c].n;
					if (!sub_count(ap[c].n, bv, &r[c]))
						return false;
				}
				if (omap[i] < 0 || omap[j] < 0)
				{
					/* a pair with a dropped item must have emptied too */
					if (r[0] || r[1] || r[2] || r[3])
						return false;
					continue;
				}
				for (c = 0; c < 4; c++)
					of->pair[4 * sv_pair(omap[i], omap[j], m) + c].n = r[c];
			}
		if (of->n == 0)
		{
			/* no form left (survey_agg keeps a section only with forms) */
			if (m > 0)
				return false;
			out->forms = NULL;
			return true;
		}
		{
			char		err[LK_ERRBUF];

			if (sv_forms_check(out, err, sizeof(err)) != LK_OK)
				return false;
		}
	}
	return true;
}
