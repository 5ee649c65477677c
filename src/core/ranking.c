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

/* ---- plausible ranks ---- */

/*
 * The significance test of the definition (ranking.h), j above i, with
 * t = se^2 precomputed: s = t_i + t_j is what se_i * se_i + se_j * se_j
 * gives, and p_j - p_i is exactly -(p_i - p_j), so "i below j" is the same
 * test with the roles swapped.  z > 0 (or NaN, where nothing is significant).
 *
 * The square root and the division are skipped when the squares decide it
 * with room to spare: d^2 and z^2 s are each within a few units in the last
 * place of the exact values when both are normal numbers, so a relative gap
 * of 1e-9 between them decides d / sqrt(s) > z as the division would.  Near
 * the boundary, and for infinite, zero or subnormal squares, the division
 * decides, as in the definition.
 */
static inline bool
rk_above(double pj, double pi, double ti, double tj, double z, double z2)
{
	double		s = ti + tj,
				d,
				q,
				zs;

	if (!(s > 0.0) || !isfinite(s))
		return false;			/* no evidence either way */
	d = pj - pi;
	if (!(d > 0.0))
		return false;			/* d / sqrt(s) <= 0 < z, or NaN */
	q = d * d;
	zs = z2 * s;
	if (isnormal(q) && isnormal(zs))
	{
		if (q > zs * (1.0 + 1e-9))
			return true;
		if (q < zs * (1.0 - 1e-9))
			return false;
	}
	return d / sqrt(s) > z;
}

void
rk_rank_range_brute(size_t n, const bool *has, const double *p, const double *se,
					double z, int32_t *best, int32_t *worst,
					rk_tick_fn tick, void *tick_arg)
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
		if (tick)
			tick(tick_arg);
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

/* a bucket: positions [start, end) of the comparable units, se^2 in [t_lo, t_hi] */
typedef struct rk_bucket
{
	size_t		start;
	size_t		end;
	double		t_lo;
	double		t_hi;
} rk_bucket;

/* the scratch layout: n of each array, and n + 1 below-count differences */
typedef struct rk_range_work
{
	uint64_t   *keys;
	uint64_t   *tmp_keys;
	double	   *sp;				/* p of the comparable units, by (bucket, p) */
	double	   *st;				/* their se^2 */
	int64_t    *diff;			/* differences of the below counts, n + 1 */
	int64_t    *above;
	rk_bucket  *buckets;		/* RK_RANGE_MAX_BUCKETS + 2 */
	size_t	   *lo_guess;		/* per bucket: the last cuts found */
	size_t	   *hi_guess;
	uint32_t   *idx;
	uint32_t   *tmp_idx;
	uint32_t   *bucket_of;		/* bucket of each unit, by input position */
} rk_range_work;

#define RK_BUCKET_SLOTS (RK_RANGE_MAX_BUCKETS + 2)

size_t
rk_rank_range_scratch_size(size_t n)
{
	/* six 8-byte arrays (diff has n + 1), the buckets, three 4-byte arrays */
	return (6 * n + 1) * 8 + RK_BUCKET_SLOTS * (sizeof(rk_bucket) + 2 * sizeof(size_t)) +
		3 * n * 4 + 8;
}

static void
rk_range_layout(void *scratch, size_t n, rk_range_work *w)
{
	uint64_t   *u = scratch;
	uint32_t   *v;

	w->keys = u;
	w->tmp_keys = u + n;
	w->sp = (double *) (u + 2 * n);
	w->st = (double *) (u + 3 * n);
	w->above = (int64_t *) (u + 4 * n);
	w->diff = (int64_t *) (u + 5 * n);
	w->buckets = (rk_bucket *) (u + 6 * n + 1);
	w->lo_guess = (size_t *) (w->buckets + RK_BUCKET_SLOTS);
	w->hi_guess = w->lo_guess + RK_BUCKET_SLOTS;
	v = (uint32_t *) (w->hi_guess + RK_BUCKET_SLOTS);
	w->idx = v;
	w->tmp_idx = v + n;
	w->bucket_of = v + 2 * n;
}

/*
 * How many buckets: a unit costs a few tests per bucket, plus the units of
 * the band between its two cuts, which shrinks as 1 / B; B ~ sqrt(m) / 6
 * balances the two for spread standard errors (measured).
 */
static size_t
rk_bucket_limit(size_t m)
{
	size_t		b = (size_t) (sqrt((double) m) / 6.0);

	return b < RK_RANGE_MIN_BUCKETS ? RK_RANGE_MIN_BUCKETS :
		b > RK_RANGE_MAX_BUCKETS ? RK_RANGE_MAX_BUCKETS : b;
}

/*
 * Group the m comparable units, sorted by se^2 (w->idx, w->keys), into
 * buckets: se^2 = 0 alone (against another zero the test is never
 * significant, so the monotonicity in se^2 starts above 0), then one bucket
 * per distinct se^2 when there are at most B = rk_bucket_limit(m), else runs
 * of equal se^2 merged into buckets of about m / B units (a run is never
 * split).  Returns the number of buckets.
 */
static int
rk_make_buckets(size_t m, const double *t_of, rk_range_work *w, rk_bucket *b)
{
	size_t		q,
				runs = 0,
				zeros = 0,
				target,
				limit;
	int			nb = 0;

	for (q = 0; q < m; q++)
	{
		if (t_of[w->idx[q]] == 0.0)
			zeros++;
		else if (q == zeros || w->keys[q] != w->keys[q - 1])
			runs++;
	}
	limit = rk_bucket_limit(m);
	target = runs <= limit ? 1 : (m - zeros + limit - 1) / limit;
	for (q = 0; q < m; q++)
	{
		double		t = t_of[w->idx[q]];
		bool		open_new;

		if (nb == 0)
			open_new = true;
		else if (b[nb - 1].t_lo == 0.0)
			open_new = true;	/* leaving the zero bucket (zeros sort first) */
		else
			open_new = w->keys[q] != w->keys[q - 1] &&
				b[nb - 1].end - b[nb - 1].start >= target;
		if (open_new && !(nb > 0 && b[nb - 1].t_lo == 0.0 && t == 0.0))
		{
			b[nb].start = q;
			b[nb].t_lo = t;
			nb++;
		}
		b[nb - 1].end = q + 1;
		b[nb - 1].t_hi = t;
		w->bucket_of[w->idx[q]] = (uint32_t) (nb - 1);
	}
	return nb;
}

/*
 * First position q in [lo, hi) where the test holds, hi if none; the test
 * is monotone along [lo, hi) (false ... false true ... true).  The search
 * gallops from a guess, the answer for the previous unit: units are taken in
 * index order, so the answer moves little from one unit to the next, and a
 * search costs a few tests instead of log m.  Any guess gives the same
 * answer (the test's); only the cost depends on it.
 */
static size_t
rk_first_above(const double *sp, size_t lo, size_t hi, size_t guess,
			   double pi, double ti, double t, double z, double z2)
{
	size_t		a,
				b,
				step;

	if (guess < lo)
		guess = lo;
	if (guess > hi)
		guess = hi;
	if (guess < hi && !rk_above(sp[guess], pi, ti, t, z, z2))
	{
		/* false at the guess: the answer is to the right, in (a, b] */
		a = guess;
		step = 1;
		while (step < hi - a && !rk_above(sp[a + step], pi, ti, t, z, z2))
		{
			a += step;
			step *= 2;
		}
		b = step < hi - a ? a + step : hi;
		lo = a + 1;
	}
	else
	{
		/* true at the guess (or the guess is hi): the answer is at or left of it */
		b = guess;
		step = 1;
		while (step <= b - lo && rk_above(sp[b - step], pi, ti, t, z, z2))
		{
			b -= step;
			step *= 2;
		}
		if (step <= b - lo)
			lo = b - step + 1;
	}
	/* binary search in [lo, b): false before lo, true from b */
	hi = b;
	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (rk_above(sp[mid], pi, ti, t, z, z2))
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

void
rk_rank_range(size_t n, const bool *has, const double *p, const double *se,
			  double z, int32_t *best, int32_t *worst,
			  void *scratch, rk_tick_fn tick, void *tick_arg)
{
	rk_range_work w;
	rk_bucket  *b;
	size_t	   *lo_guess,
			   *hi_guess;
	double	   *t_of;
	size_t		i,
				q,
				m = 0;
	int32_t		ranked = 0;
	int			nb,
				k;
	uint64_t	work = 0;
	double		z2 = z * z;

	if (!(z > 0.0) && !isnan(z))
	{
		/* the test is not antisymmetric below zero: keep the definition */
		rk_rank_range_brute(n, has, p, se, z, best, worst, tick, tick_arg);
		return;
	}
	if (n == 0)
		return;
	rk_range_layout(scratch, n, &w);
	b = w.buckets;
	lo_guess = w.lo_guess;
	hi_guess = w.hi_guess;
	t_of = w.sp;				/* se^2 by input position, until sp is laid out */

	/*
	 * Comparable units: ranked, with an index that is a number and a finite
	 * se^2.  The others are never significant against anyone: best 1, worst
	 * the number of ranked units.
	 */
	for (i = 0; i < n; i++)
	{
		double		t = se[i] * se[i];

		best[i] = worst[i] = 0;
		if (!has[i])
			continue;
		ranked++;
		t_of[i] = t;
		if (isnan(p[i]) || !isfinite(t))
			continue;
		w.keys[m] = double_key(t);
		w.idx[m] = (uint32_t) i;
		m++;
	}
	for (i = 0; i < n; i++)
		if (has[i])
		{
			best[i] = 1;
			worst[i] = ranked;
		}
	if (m < 2)
		return;

	/* buckets by se^2, then by index inside each bucket */
	rk_radix_sort(w.keys, w.idx, m, w.tmp_keys, w.tmp_idx);
	nb = rk_make_buckets(m, t_of, &w, b);
	for (q = 0; q < m; q++)
		w.keys[q] = double_key(p[w.idx[q]]);
	rk_radix_sort(w.keys, w.idx, m, w.tmp_keys, w.tmp_idx);
	for (q = 0; q < m; q++)
		w.keys[q] = w.bucket_of[w.idx[q]];
	rk_radix_sort(w.keys, w.idx, m, w.tmp_keys, w.tmp_idx);
	/* t_of aliases sp: read every se^2 before writing the indices */
	for (q = 0; q < m; q++)
		w.st[q] = t_of[w.idx[q]];
	for (q = 0; q < m; q++)
		w.sp[q] = p[w.idx[q]];
	memset(w.diff, 0, (m + 1) * sizeof(int64_t));
	for (k = 0; k < nb; k++)
		lo_guess[k] = hi_guess[k] = b[k].start;

	for (q = 0; q < m; q++)
	{
		double		pi = w.sp[q],
					ti = w.st[q];
		int64_t		above = 0;

		if (tick)
			tick(tick_arg);
		for (k = 0; k < nb; k++)
		{
			size_t		lo_cut,
						hi_cut,
						r;

			/* nobody above in this bucket: its highest index is not higher */
			if (!(w.sp[b[k].end - 1] > pi))
				continue;
			lo_cut = rk_first_above(w.sp, b[k].start, b[k].end, lo_guess[k],
									pi, ti, b[k].t_lo, z, z2);
			hi_cut = b[k].t_hi == b[k].t_lo ? lo_cut :
				rk_first_above(w.sp, lo_cut, b[k].end, hi_guess[k], pi, ti, b[k].t_hi, z, z2);
			lo_guess[k] = lo_cut;
			hi_guess[k] = hi_cut;
			/* from hi_cut on, every unit is significantly above unit q */
			above += (int64_t) (b[k].end - hi_cut);
			w.diff[hi_cut]++;
			w.diff[b[k].end]--;
			/* between the cuts, the test itself */
			for (r = lo_cut; r < hi_cut; r++)
			{
				if (rk_above(w.sp[r], pi, ti, w.st[r], z, z2))
				{
					above++;
					w.diff[r]++;
					w.diff[r + 1]--;
				}
				if (tick && ++work >= 65536)
				{
					work = 0;
					tick(tick_arg);
				}
			}
		}
		w.above[q] = above;
	}

	/* below counts: how many units each one was found significantly above */
	{
		int64_t		below = 0;

		for (q = 0; q < m; q++)
		{
			below += w.diff[q];
			best[w.idx[q]] = (int32_t) (1 + w.above[q]);
			worst[w.idx[q]] = (int32_t) (ranked - below);
		}
	}
}
