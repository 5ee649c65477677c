/*
 * ranking.c - whole-partition ranking work for the rank window functions.
 */
#include "ranking.h"

#include <math.h>
#include <string.h>

typedef int (*rk_cmp) (size_t a, size_t b, const void *cxt);

/* stable merge sort of an index array; tmp holds n entries */
static void
merge_sort(size_t *v, size_t *tmp, size_t n, rk_cmp cmp, const void *cxt)
{
	size_t		width,
				i;

	for (width = 1; width < n; width *= 2)
	{
		for (i = 0; i < n; i += 2 * width)
		{
			size_t		lo = i,
						mid = i + width < n ? i + width : n,
						hi = i + 2 * width < n ? i + 2 * width : n,
						a = lo,
						b = mid,
						k = lo;

			while (a < mid && b < hi)
				tmp[k++] = cmp(v[b], v[a], cxt) < 0 ? v[b++] : v[a++];
			while (a < mid)
				tmp[k++] = v[a++];
			while (b < hi)
				tmp[k++] = v[b++];
		}
		memcpy(v, tmp, n * sizeof(size_t));
	}
}

/* period ascending, ranked rows first, value descending */
static int
cmp_period_value(size_t a, size_t b, const void *cxt)
{
	const rk_row *r = cxt;

	if (r[a].period != r[b].period)
		return r[a].period < r[b].period ? -1 : 1;
	if (r[a].has_value != r[b].has_value)
		return r[a].has_value ? -1 : 1;
	if (r[a].has_value && r[a].value != r[b].value)
		return r[a].value > r[b].value ? -1 : 1;
	return 0;
}

/* unit ascending, then period ascending */
static int
cmp_unit_period(size_t a, size_t b, const void *cxt)
{
	const rk_row *r = cxt;

	if (r[a].unit != r[b].unit)
		return r[a].unit < r[b].unit ? -1 : 1;
	if (r[a].period != r[b].period)
		return r[a].period < r[b].period ? -1 : 1;
	return 0;
}

long
rk_rank_periods(size_t n, const rk_row *rows, rk_result *out, size_t *scratch, size_t *dup_of)
{
	size_t	   *order = scratch,
			   *tmp = scratch + n;
	size_t		i;

	memset(out, 0, n * sizeof(rk_result));
	if (n == 0)
		return -1;

	/* ranks inside each period */
	for (i = 0; i < n; i++)
		order[i] = i;
	merge_sort(order, tmp, n, cmp_period_value, rows);
	{
		int32_t		period = INT32_MIN;
		int32_t		position = 0;
		double		last = 0.0;

		for (i = 0; i < n; i++)
		{
			const rk_row *r = &rows[order[i]];

			if (r->period != period)
			{
				period = r->period;
				position = 0;
			}
			if (r->period < 0 || !r->has_value)
				continue;
			position++;
			if (position == 1 || r->value != last)
				out[order[i]].rank = position;
			else
				out[order[i]].rank = out[order[i - 1]].rank;
			last = r->value;
		}
	}

	/* each unit's row in the previous period present in the data */
	for (i = 0; i < n; i++)
		order[i] = i;
	merge_sort(order, tmp, n, cmp_unit_period, rows);
	for (i = 1; i < n; i++)
	{
		const rk_row *prev = &rows[order[i - 1]];
		const rk_row *cur = &rows[order[i]];

		if (cur->unit < 0 || cur->period < 0 || prev->unit != cur->unit || prev->period < 0)
			continue;
		if (prev->period == cur->period)
		{
			/* report the later row in partition order */
			size_t		a = order[i - 1],
						b = order[i];

			*dup_of = a < b ? a : b;
			return (long) (a < b ? b : a);
		}
		if (prev->period == cur->period - 1)
		{
			out[order[i]].prev_rank = out[order[i - 1]].rank;
			out[order[i]].has_prev_value = prev->has_value;
			out[order[i]].prev_value = prev->raw;
		}
	}
	return -1;
}

void
rk_rank_range(size_t n, const bool *has, const double *p, const double *se,
			  double z, int32_t *best, int32_t *worst)
{
	size_t		i,
				j;
	int32_t		ranked = 0;

	for (i = 0; i < n; i++)
		if (has[i])
			ranked++;
	for (i = 0; i < n; i++)
	{
		int32_t		above = 0,
					below = 0;

		best[i] = worst[i] = 0;
		if (!has[i])
			continue;
		for (j = 0; j < n; j++)
		{
			double		s;

			if (j == i || !has[j])
				continue;
			s = se[i] * se[i] + se[j] * se[j];
			if (!(s > 0.0) || !isfinite(s))
				continue;		/* no evidence either way */
			s = sqrt(s);
			if ((p[j] - p[i]) / s > z)
				above++;
			else if ((p[i] - p[j]) / s > z)
				below++;
		}
		best[i] = 1 + above;
		worst[i] = ranked - below;
	}
}
