/*
 * test_ranking.c - ranking.c and hierarchy.c against brute-force
 * recomputation on random data with ties, gaps, NULLs and duplicates.
 */
#include "unit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hierarchy.h"
#include "ranking.h"

static void
test_radix(void)
{
	enum
	{
		N = 5000
	};
	static uint64_t keys[N],
				tk[N],
				orig[N];
	static uint32_t idx[N],
				ti[N];
	int			round,
				i;

	for (round = 0; round < 20; round++)
	{
		uint64_t	mask = round % 2 ? 0xff : UINT64_MAX;	/* many ties, or few */

		for (i = 0; i < N; i++)
		{
			orig[i] = keys[i] = unit_rand64() & mask;
			idx[i] = (uint32_t) i;
		}
		rk_radix_sort(keys, idx, N, tk, ti);
		for (i = 1; i < N; i++)
		{
			if (!CHECK(keys[i - 1] <= keys[i]))
				break;
			/* stable: equal keys keep their input order */
			if (keys[i - 1] == keys[i] && !CHECK(idx[i - 1] < idx[i]))
				break;
		}
		for (i = 0; i < N; i++)
			if (!CHECK_EQ(keys[i], orig[idx[i]]))
				break;
	}
}

/* brute force: rank = 1 + rows of the same period with a larger value */
static void
test_rank_periods(void)
{
	enum
	{
		N = 400
	};
	static rk_row rows[N];
	static rk_result out[N];
	static uint64_t k1[N],
				k2[N];
	static uint32_t i1[N],
				i2[N];
	rk_scratch	sc = {k1, k2, i1, i2};
	int			round;

	for (round = 0; round < 50; round++)
	{
		int			n = (int) unit_rand_range(1, N);
		int			units = (int) unit_rand_range(1, n);
		int			periods = (int) unit_rand_range(1, 6);
		int			i,
					j;
		size_t		dup_of = 0;
		long		dup;
		bool		ok = true;

		/* distinct (period, unit) pairs: unit i % units, period chosen so pairs don't repeat */
		for (i = 0; i < n; i++)
		{
			rows[i].unit = unit_rand_range(0, 9) == 0 ? -1 : i % units;
			rows[i].period = unit_rand_range(0, 19) == 0 ? -1 : (i / units) % periods;
			rows[i].has_value = unit_rand_range(0, 9) != 0;
			rows[i].raw = rows[i].value = (double) unit_rand_range(0, 20) / 4.0;	/* ties */
			if (i / units >= periods)
				rows[i].unit = -1;	/* would repeat a pair */
		}
		dup = rk_rank_periods((size_t) n, rows, out, &sc, &dup_of);
		CHECK_EQ(dup, -1);
		for (i = 0; i < n && ok; i++)
		{
			int			rank = 0;
			int			prev = -1;

			if (rows[i].period >= 0 && rows[i].has_value)
			{
				rank = 1;
				for (j = 0; j < n; j++)
					if (rows[j].period == rows[i].period && rows[j].has_value && rows[j].value > rows[i].value)
						rank++;
			}
			ok &= CHECK_EQ(out[i].rank, rank);
			if (rows[i].unit >= 0 && rows[i].period > 0)
				for (j = 0; j < n; j++)
					if (rows[j].unit == rows[i].unit && rows[j].period == rows[i].period - 1)
						prev = j;
			ok &= CHECK_EQ(out[i].prev_rank, prev >= 0 ? out[prev].rank : 0);
			ok &= CHECK_EQ(out[i].has_prev_value, prev >= 0 && rows[prev].has_value);
		}
		/* a repeated (period, unit) is reported */
		if (n >= 2)
		{
			rows[n - 1].unit = rows[0].unit = 7777;
			rows[n - 1].period = rows[0].period = 3;
			dup = rk_rank_periods((size_t) n, rows, out, &sc, &dup_of);
			CHECK_EQ(dup, n - 1);
			CHECK_EQ(dup_of, 0);
		}
	}
}

static void
test_rank_range(void)
{
	bool		has[4] = {true, true, true, false};
	double		p[4] = {0.9, 0.8, 0.85, 0.5};
	double		se[4] = {0.01, NAN, 0.005, 0.01};
	int32_t		best[4],
				worst[4];
	void	   *scratch = malloc(rk_rank_range_scratch_size(4));

	rk_rank_range(4, has, p, se, 1.6448536269514722, best, worst, scratch, NULL, NULL);
	free(scratch);
	CHECK_EQ(best[0], 1);
	CHECK_EQ(worst[0], 2);		/* significantly above 0.85, nothing known of 0.8 */
	CHECK_EQ(best[1], 1);
	CHECK_EQ(worst[1], 3);
	CHECK_EQ(best[2], 2);
	CHECK_EQ(worst[2], 3);
	CHECK_EQ(best[3], 0);		/* unranked */
}

static long ticks;

static void
count_tick(void *arg)
{
	(void) arg;
	ticks++;
}

/* a standard error of one of several kinds, most of them awkward */
static double
random_se(int kind, int distinct)
{
	switch (unit_rand_range(0, 19))
	{
		case 0:
			return NAN;			/* missing */
		case 1:
			return 0.0;
		case 2:
			return -0.0;
		case 3:
			return kind == 2 ? INFINITY : 1e200;	/* se^2 or the sum overflows */
		case 4:
			return kind == 2 ? 1e-170 : 1e154;	/* se^2 underflows / sum near overflow */
		default:
			if (kind == 0)
				return 1.5;		/* equal standard errors */
			if (kind == 1)
				return 0.25 * (double) unit_rand_range(1, distinct);	/* few distinct */
			return 0.01 + 3.0 * unit_rand_unit();	/* all different */
	}
}

/*
 * The bucketed algorithm against the definition (every pair), on random
 * partitions with ties, NULLs, NaN and infinite indices, missing, zero,
 * overflowing and underflowing standard errors, equal, few distinct and all
 * different standard errors, and several levels (including z <= 0, which
 * takes the definition's own path).
 */
static void
test_rank_range_vs_brute(void)
{
	enum
	{
		N = 1500
	};
	static bool has[N];
	static double p[N],
				se[N];
	static int32_t best[N],
				worst[N],
				rbest[N],
				rworst[N];
	void	   *scratch = malloc(rk_rank_range_scratch_size(N));
	const double zs[] = {1.959963984540054, 3.2, 0.5, 1e-9, 0.0, -1.0, INFINITY, NAN};
	int			round;
	int			mismatches = 0;

	for (round = 0; round < 300; round++)
	{
		int			n = round < 8 ? round : (int) unit_rand_range(1, round % 5 == 0 ? N : 200);
		int			kind = round % 3;
		int			distinct = (int) unit_rand_range(1, 80);	/* below and above the bucket count */
		int			spread = (int) unit_rand_range(1, 400);
		double		z = zs[round % 8];
		int			i;

		for (i = 0; i < n; i++)
		{
			int			r = (int) unit_rand_range(0, 49);

			has[i] = r != 0;
			/* indices with ties: a coarse grid, sometimes NaN or infinite */
			p[i] = r == 1 ? NAN : r == 2 ? INFINITY : r == 3 ? -INFINITY :
				r == 4 ? -0.0 : (double) unit_rand_range(0, spread) / 8.0;
			se[i] = random_se(kind, distinct);
		}
		ticks = 0;
		rk_rank_range((size_t) n, has, p, se, z, best, worst, scratch, count_tick, NULL);
		if (n >= 20 && (z > 0.0 || isnan(z)))
			CHECK(ticks >= 1);
		rk_rank_range_brute((size_t) n, has, p, se, z, rbest, rworst, NULL, NULL);
		for (i = 0; i < n; i++)
			if (best[i] != rbest[i] || worst[i] != rworst[i])
			{
				if (mismatches++ < 5)
					unit_note("round %d (n %d, kind %d, z %g) unit %d: {%d,%d} vs definition {%d,%d}",
							  round, n, kind, z, i, best[i], worst[i], rbest[i], rworst[i]);
			}
	}
	CHECK_EQ(mismatches, 0);
	free(scratch);
}

/*
 * On the boundary: differences of exactly k * fl(sqrt(2)) and se 1, z 1 or
 * 2, where d / sqrt(s) is z to the last bit or next to it; the shortcut on
 * the squares must leave these to the division, as the definition does.
 */
static void
test_rank_range_boundary(void)
{
	enum
	{
		N = 200
	};
	static bool has[N];
	static double p[N],
				se[N];
	static int32_t best[N],
				worst[N],
				rbest[N],
				rworst[N];
	void	   *scratch = malloc(rk_rank_range_scratch_size(N));
	const double zs[] = {1.0, 2.0, nextafter(1.0, 2.0), nextafter(2.0, 1.0)};
	int			zi,
				i,
				bad = 0;

	for (zi = 0; zi < 4; zi++)
	{
		for (i = 0; i < N; i++)
		{
			has[i] = true;
			p[i] = (double) (i % 7) * sqrt(2.0) + (i % 3 == 0 ? ldexp(1.0, -50) : 0.0);
			se[i] = i % 11 == 0 ? sqrt(0.5) : 1.0;
		}
		rk_rank_range(N, has, p, se, zs[zi], best, worst, scratch, NULL, NULL);
		rk_rank_range_brute(N, has, p, se, zs[zi], rbest, rworst, NULL, NULL);
		for (i = 0; i < N; i++)
			bad += best[i] != rbest[i] || worst[i] != rworst[i];
	}
	CHECK_EQ(bad, 0);
	free(scratch);
}

/* the band path: every index close, standard errors all different */
static void
test_rank_range_dense(void)
{
	enum
	{
		N = 3000
	};
	static bool has[N];
	static double p[N],
				se[N];
	static int32_t best[N],
				worst[N],
				rbest[N],
				rworst[N];
	void	   *scratch = malloc(rk_rank_range_scratch_size(N));
	int			i,
				bad = 0;

	for (i = 0; i < N; i++)
	{
		has[i] = true;
		p[i] = 80.0 + 5.0 * unit_rand_unit();
		se[i] = 0.2 + unit_rand_unit();
	}
	ticks = 0;
	rk_rank_range(N, has, p, se, 3.0, best, worst, scratch, count_tick, NULL);
	CHECK(ticks >= N);
	rk_rank_range_brute(N, has, p, se, 3.0, rbest, rworst, NULL, NULL);
	for (i = 0; i < N; i++)
		bad += best[i] != rbest[i] || worst[i] != rworst[i];
	CHECK_EQ(bad, 0);
	free(scratch);
	/* some units are separated, some not: the test is not trivial */
	CHECK(rbest[0] >= 1 && rworst[0] <= N);
	{
		int			tight = 0,
					wide = 0;

		for (i = 0; i < N; i++)
		{
			tight += rworst[i] - rbest[i] < N - 1;
			wide += rbest[i] == 1 && rworst[i] == N;
		}
		CHECK(tight > 0);
		CHECK(tight < N || wide == 0);
	}
}

/* a small tree: root -> A (items a1, a2), B (item b1, empty item b2) */
static void
test_hierarchy(void)
{
	hr_node		t[7];
	int			rule;

	for (rule = HR_MEAN; rule <= HR_ITEMS; rule++)
	{
		double		expect;
		double		ia,
					ib,
					wa,
					wb;

		memset(t, 0, sizeof(t));
		t[0] = (hr_node) {.parent = -1, .weight = 1};
		t[1] = (hr_node) {.parent = 0, .weight = 3};
		t[2] = (hr_node) {.parent = 0, .weight = 1};
		t[3] = (hr_node) {.parent = 1, .is_item = true, .weight = 1, .has = true, .value = 0.9, .se = 0.02, .n = 10};
		t[4] = (hr_node) {.parent = 1, .is_item = true, .weight = 1, .has = true, .value = 0.7, .se = 0.04, .n = 20};
		t[5] = (hr_node) {.parent = 2, .is_item = true, .weight = 1, .has = true, .value = 0.6, .se = 0.03, .n = 5};
		t[6] = (hr_node) {.parent = 2, .is_item = true, .weight = 1, .has = false, .se = NAN};
		CHECK(hr_compute(t, 7, (hr_rule) rule));
		ia = 0.8;
		ib = 0.6;				/* the empty item is left out */
		wa = rule == HR_MEAN ? 1 : rule == HR_WEIGHTED ? 3 : 2;
		wb = rule == HR_MEAN ? 1 : rule == HR_WEIGHTED ? 1 : 2;
		expect = (wa * ia + wb * ib) / (wa + wb);
		CHECK_NEAR(t[0].value, expect, 1e-15);
		CHECK_EQ(t[0].n, 35);
		CHECK_EQ(t[2].items, 2);
		CHECK_NEAR(t[1].se, 0.03, 1e-15);
		hr_coefficients(t, 7, (hr_rule) rule);
		CHECK_NEAR(t[3].coef * 0.9 + t[4].coef * 0.7 + t[5].coef * 0.6, t[0].value, 1e-15);
		CHECK(t[6].coef == 0.0);
	}
	/* a cycle is rejected */
	memset(t, 0, sizeof(t));
	t[0].parent = 1;
	t[1].parent = 0;
	CHECK(!hr_compute(t, 2, HR_MEAN));
}

void
test_ranking(void)
{
	test_radix();
	test_rank_periods();
	test_rank_range();
	test_rank_range_vs_brute();
	test_rank_range_dense();
	test_rank_range_boundary();
	test_hierarchy();
}
