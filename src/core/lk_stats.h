/*
 * lk_stats.h - figures read off a summary: indices, shares, means,
 * standard errors and confidence intervals.  Plain C, no PostgreSQL headers.
 *
 * Every function returns false when the figure does not exist for the data
 * (no answers, zero total weight, a variance from a single answer, squared
 * weights that underflowed, ...); the SQL wrappers return NULL then.  Shares
 * are fractions here (0..1); lk_index.h holds the percent figures of the
 * satisfaction index that the wrappers return.
 */
#ifndef SIPAS_LK_STATS_H
#define SIPAS_LK_STATS_H

#include "likert.h"
#include "quantile.h"

extern double lk_weight_total(const lk_summary *s);

extern bool lk_share_from(const lk_summary *s, int from_level, double *share);
extern bool lk_share_level(const lk_summary *s, int level, double *share);
extern bool lk_mean_score(const lk_summary *s, double *mean);
extern bool lk_effective_n(const lk_summary *s, double *neff);

/*
 * Standard error of the share of levels >= from_level, linearised for a
 * one-stage weighted sample with replacement (R survey's svymean for
 * svydesign(ids = ~1, weights = ~w)); unweighted, this is
 * sqrt(p (1 - p) / (n - 1)).
 */
extern bool lk_std_error(const lk_summary *s, int from_level, double *se);

typedef enum lk_ci_method
{
	LK_CI_WILSON,				/* Wilson score on the Kish effective n */
	LK_CI_LOGIT					/* svyciprop(method = "logit"): t(n-1) on the logit */
} lk_ci_method;

extern bool lk_confidence_interval(const lk_summary *s, int from_level, double confidence,
								   lk_ci_method method, double *lower, double *upper);

/*
 * Year-on-year change of the share of levels >= from_level between two
 * independent samples: difference (now - before), its standard error
 * sqrt(se_now^2 + se_before^2) from lk_std_error, z = diff / se and the
 * two-sided p-value from the normal distribution.  False when either
 * standard error does not exist or both are zero.
 */
extern bool lk_change_test(const lk_summary *now, int now_from, const lk_summary *before,
						   int before_from, double *diff, double *se, double *z, double *p_value);

/* the satisfied band and the index, which every user of these tests needs */
#include "lk_index.h"

#endif							/* SIPAS_LK_STATS_H */
