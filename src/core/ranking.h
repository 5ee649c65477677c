/*
 * ranking.h - ranks inside periods, the previous period's rank of the same
 * unit, and plausible rank ranges from standard errors.  Plain C, no
 * PostgreSQL headers: the window functions in src/pg/rank_window.c map
 * periods and units of any SQL type to dense integer ordinals first.
 */
#ifndef SIPAS_RANKING_H
#define SIPAS_RANKING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rk_row
{
	int32_t		period;			/* dense ordinal of the period, 0 = earliest; -1 = NULL */
	int32_t		unit;			/* dense ordinal of the unit; -1 = NULL */
	bool		has_value;		/* false: NULL index, unranked */
	double		value;			/* the index used for ranking (maybe rounded) */
	double		raw;			/* the index as given, for changes in points */
} rk_row;

typedef struct rk_result
{
	int32_t		rank;			/* 1 = highest in its period; 0 = unranked */
	int32_t		prev_rank;		/* rank in the previous period; 0 = none */
	bool		has_prev_value;
	double		prev_value;		/* raw index in the previous period */
} rk_result;

/* scratch space for n rows: four arrays of n entries */
typedef struct rk_scratch
{
	uint64_t   *keys;
	uint64_t   *tmp_keys;
	uint32_t   *idx;
	uint32_t   *tmp_idx;
} rk_scratch;

/* stable LSD radix sort of (key, index) pairs by key */
extern void rk_radix_sort(uint64_t *keys, uint32_t *idx, size_t n, uint64_t *tmp_keys, uint32_t *tmp_idx);

/*
 * Rank every row inside its period (descending value, ties share the better
 * rank, as rank() does) and find each unit's row in the previous period
 * present in the data.  O(n): radix sorts on ordinals and values.
 * Returns -1, or the index of a row whose (period, unit) repeats an earlier
 * row's, in which case *dup_of is set to that earlier row.
 */
extern long rk_rank_periods(size_t n, const rk_row *rows, rk_result *out,
							rk_scratch *scratch, size_t *dup_of);

/*
 * Plausible ranks: for unit i, best = 1 + #units significantly above it,
 * worst = #ranked units - #units significantly below it, where j is
 * significantly above i when, in double arithmetic,
 *
 *     s = se_i * se_i + se_j * se_j;   s > 0 && isfinite(s) && (p_j - p_i) / sqrt(s) > z
 *
 * (a missing, infinite or zero standard error on both sides of a comparison,
 * or a NaN index, is never significant).  A unit with has[i] false gets
 * best = worst = 0.
 *
 * The test is monotone: it can only turn true as p_j grows and only turn
 * false as se_j^2 grows.  So the units are sorted by se^2 into B buckets
 * (one per distinct se^2 when there are at most B = clamp(sqrt(m) / 6,
 * RK_RANGE_MIN_BUCKETS, RK_RANGE_MAX_BUCKETS)), each bucket sorted by p; for
 * unit i and a bucket with se^2 in [lo, hi], a search with lo finds the first
 * unit that can be significant, one with hi the first that surely is, and
 * only the units between the two cuts (the band) are tested one by one.  The
 * searches gallop from the previous unit's cuts (units taken in index order).
 * Every decision is the exact test above (a test decided on the squares is
 * only taken with a 1e-9 relative margin), so the result is bit-identical to
 * testing all m^2 pairs (rk_rank_range_brute; unit-tested).
 *
 * Complexity for m comparable units of one partition:
 *   - equal standard errors (one bucket): O(m log m) (radix sorts O(m),
 *     then a few tests per unit);
 *   - k <= B distinct standard errors: O(k m) tests after the sorts;
 *   - spread standard errors (all different): O(B m + C) tests, C the units
 *     in the bands, about m^2 / B for indices spread over their range: about
 *     O(m^1.5) in practice (1M units: ~15 s, 100k: ~0.5 s);
 *   - worst case O(m^2) tests (every index within the band of every other,
 *     standard errors all different), interruptible through tick;
 *   - z <= 0 (not reachable from SQL, where z is an upper normal quantile):
 *     all m^2 pairs, the definition itself.
 * Memory: rk_rank_range_scratch_size(n) bytes of caller-supplied scratch.
 *
 * tick(tick_arg), when not NULL, is called before each unit and every 65,536
 * band tests, so that the caller can check for interrupts.  The core holds
 * no resources of its own across a call, so tick may longjmp out (as
 * PostgreSQL's CHECK_FOR_INTERRUPTS does).
 */
#define RK_RANGE_MIN_BUCKETS 32
#define RK_RANGE_MAX_BUCKETS 1024

typedef void (*rk_tick_fn) (void *arg);

extern size_t rk_rank_range_scratch_size(size_t n);

extern void rk_rank_range(size_t n, const bool *has, const double *p, const double *se,
						  double z, int32_t *best, int32_t *worst,
						  void *scratch, rk_tick_fn tick, void *tick_arg);

/* the definition: every pair tested, O(n^2); the reference of the unit tests */
extern void rk_rank_range_brute(size_t n, const bool *has, const double *p, const double *se,
								double z, int32_t *best, int32_t *worst,
								rk_tick_fn tick, void *tick_arg);

#endif							/* SIPAS_RANKING_H */
