/*
 * ranking.c - whole-partition ranking work for the rank window functions.
 */
#include "ranking.h"

#include <math.h>
#include <string.h>

/*
 * Stable LSD radix sort of (key, index) pairs by key, 8 bits a pass; a pass
 * whose byte is the same for every key is skipped.  O(n) for the fixed key
 * width: the whole-partition work stays linear after the executor's sort.
 */
void
rk_radix_sort(uint64_t *keys, uint32_t *idx, size_t n, uint64_t *tmp_keys, uint32_t *tmp_idx)
{
	int			shift;

	for (shift = 0; shift < 64; shift += 8)
	{
		size_t		count[257] = {0};
		size_t		i;
		int			b;

		for (i = 0; i < n; i++)
			count[((keys[i] >> shift) & 0xff) + 1]++;
		for (b = 0; b < 256; b++)
			if (count[b + 1] == n)
				break;
		if (b < 256)
			continue;			/* every key has the same byte here */
		for (b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (i = 0; i < n; i++)
		{
			size_t		to = count[(keys[i] >> shift) & 0xff]++;

			tmp_keys[to] = keys[i];
			tmp_idx[to] = idx[i];
		}
		memcpy(keys, tmp_keys, n * sizeof(uint64_t));
		memcpy(idx, tmp_idx, n * sizeof(uint32_t));
	}
}

/* order-preserving map of a double (not NaN) to an unsigned integer */
static uint64_t
double_key(double x)
{
	uint64_t	u;

	if (x == 0.0)
		x = 0.0;				/* -0 sorts with +0 */
	memcpy(&u, &x, sizeof(u));
	return (u & UINT64_C(0x8000000000000000)) ? ~u : u | UINT64_C(0x8000000000000000);
}

long
rk_rank_periods(size_t n, const rk_row *rows, rk_result *out, rk_scratch *sc, size_t *dup_of)
{
	size_t		i;

	memset(out, 0, n * sizeof(rk_result));
	if (n == 0)
		return -1;

	/*
	 * Ranks inside each period: sort by value descending (unranked last),
	 * then stably by period.
	 */
	for (i = 0; i < n; i++)
	{
		sc->keys[i] = rows[i].has_value ? ~double_key(rows[i].value) : UINT64_MAX;
		sc->idx[i] = (uint32_t) i;
	}
	rk_radix_sort(sc->keys, sc->idx, n, sc->tmp_keys, sc->tmp_idx);
	for (i = 0; i < n; i++)
		sc->keys[i] = (uint64_t) (uint32_t) (rows[sc->idx[i]].period + 1);
	rk_radix_sort(sc->keys, sc->idx, n, sc->tmp_keys, sc->tmp_idx);
	{
		int32_t		period = INT32_MIN;
		int32_t		position = 0;
		double		last = 0.0;

		for (i = 0; i < n; i++)
		{
			const rk_row *r = &rows[sc->idx[i]];

			if (r->period != period)
			{
				period = r->period;
				position = 0;
			}
			if (r->period < 0 || !r->has_value)
				continue;
			position++;
			if (position == 1 || r->value != last)
				out[sc->idx[i]].rank = position;
			else
				out[sc->idx[i]].rank = out[sc->idx[i - 1]].rank;
			last = r->value;
		}
	}

	/* each unit's row in the previous period present in the data */
	for (i = 0; i < n; i++)
	{
		sc->keys[i] = ((uint64_t) (uint32_t) (rows[i].unit + 1) << 32) |
			(uint64_t) (uint32_t) (rows[i].period + 1);
		sc->idx[i] = (uint32_t) i;
	}
	rk_radix_sort(sc->keys, sc->idx, n, sc->tmp_keys, sc->tmp_idx);
	for (i = 1; i < n; i++)
	{
		const rk_row *prev = &rows[sc->idx[i - 1]];
		const rk_row *cur = &rows[sc->idx[i]];

		if (cur->unit < 0 || cur->period < 0 || prev->unit != cur->unit || prev->period < 0)
			continue;
		if (prev->period == cur->period)
		{
			/* report the later row in partition order (the sort is stable) */
			*dup_of = sc->idx[i - 1];
			return (long) sc->idx[i];
		}
		if (prev->period == cur->period - 1)
		{
			out[sc->idx[i]].prev_rank = out[sc->idx[i - 1]].rank;
			out[sc->idx[i]].has_prev_value = prev->has_value;
			out[sc->idx[i]].prev_value = prev->raw;
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
