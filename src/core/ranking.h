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
 * significantly above i when (p_j - p_i) / sqrt(se_i^2 + se_j^2) > z.
 * A unit with has[i] false gets best = worst = 0; one with a missing or
 * zero standard error on both sides of a comparison is never significant.
 * O(n^2) in the number of units of one period.
 */
extern void rk_rank_range(size_t n, const bool *has, const double *p, const double *se,
						  double z, int32_t *best, int32_t *worst);

#endif							/* SIPAS_RANKING_H */
