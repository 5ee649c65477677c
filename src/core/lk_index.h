/*
 * lk_index.h - the satisfaction index, the one home of its domain rules:
 *
 *   - the satisfied band: the top two levels of a scale, the top box of a
 *     yes/no (2-level) scale;
 *   - the percent scale: figures read by users are percent (x 100) of the
 *     fractions lk_stats.h computes;
 *   - the index, its standard error, its confidence interval and the change
 *     between two periods, all in percent (points).
 *
 * Every wrapper (likert accessors and aggregates, survey accessors, the
 * ranking window functions) calls these rather than rebuilding
 * lk_X(&s, lk_satisfied_from(s.k), ...) * 100.  Plain C, no PostgreSQL
 * headers.  Each function returns false when the figure does not exist for
 * the data, like lk_stats.h.
 */
#ifndef SIPAS_LK_INDEX_H
#define SIPAS_LK_INDEX_H

#include "lk_stats.h"

/* the percent scale of every figure users see */
#define LK_PERCENT 100.0

static inline double
lk_percent(double fraction)
{
	return LK_PERCENT * fraction;
}

/* the lowest satisfied level: top two boxes, top box for yes/no */
static inline int
lk_satisfied_from(int k)
{
	return k >= 3 ? k - 1 : k;
}

/* percent of the answers in the satisfied band */
extern bool lk_index(const lk_summary *s, double *pct);

/* its linearised standard error, in points (see lk_std_error) */
extern bool lk_index_std_error(const lk_summary *s, double *pct);

/* its confidence interval, in percent */
extern bool lk_index_interval(const lk_summary *s, double confidence, lk_ci_method method,
							  double *lower_pct, double *upper_pct);

/* percent of the answers at one level (1-based, already range-checked) */
extern bool lk_level_percent(const lk_summary *s, int level, double *pct);

/*
 * The change of the index between two independent samples (lk_change_test
 * on the satisfied bands): difference and standard error in points, z and
 * the two-sided p-value.  False when the test does not exist; the
 * difference alone may still exist (lk_index_difference).
 */
extern bool lk_index_change(const lk_summary *now, const lk_summary *before,
							double *diff_pct, double *se_pct, double *z, double *p_value);
extern bool lk_index_difference(const lk_summary *now, const lk_summary *before,
								double *diff_pct);

#endif							/* SIPAS_LK_INDEX_H */
