/*
 * contrast.h - what is read off the clustered variance of a node's index
 * (moments.h's sv_contrast): the change between two independent summaries,
 * the logit interval, and the mean of independent units (the province).
 * Fractions (0..1) and variances in fraction^2 throughout; the wrappers
 * turn them into percent.  Plain C, no PostgreSQL headers.
 */
#ifndef SIPAS_CONTRAST_H
#define SIPAS_CONTRAST_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The change now - before of two independent estimates with variances
 * var_now and var_before: the difference, its standard error
 * sqrt(var_now + var_before), z = diff / se and the two-sided normal
 * p-value.  *diff is always set; false (z and p unset) when a variance is
 * not finite or negative, or both are zero.
 */
extern bool cx_change(double now, double var_now, double before, double var_before,
					  double *diff, double *se, double *z, double *p_value);

/*
 * The logit interval of a share p with standard error se: the normal
 * interval logit(p) +- zq * se / (p (1 - p)) transformed back, so that it
 * stays inside (0, 1) and is not symmetric near the ends (as R survey's
 * svyciprop(method = "logit") with a normal quantile).  False when it does
 * not exist: p at 0 or 1, se zero or not finite; the caller falls back
 * (sipas: the coefficient-weighted mean of the items' Wilson intervals).
 */
extern bool cx_logit_interval(double p, double se, double zq, double *lower, double *upper);

/*
 * The mean of U independent units' indices and its variance
 * sum(var_u) / U^2 (units as strata).  Units without an index are left out
 * by the caller; a unit whose variance does not exist (one form) or that
 * has no forms section is counted, and makes the variance undefined.
 * Mergeable (parallel aggregation): the sums are plain doubles.
 */
typedef struct cx_mean
{
	double		units;			/* units with an index */
	double		sum;			/* sum of their indices */
	double		sum_var;		/* sum of their variances (those that have one) */
	double		no_var;			/* units without a variance */
	double		no_forms;		/* units built from answer rows */
} cx_mean;

#define CX_MEAN_FIELDS 5

extern void cx_mean_add(cx_mean *m, double index, bool has_var, double var, bool has_forms);
extern void cx_mean_merge(cx_mean *dst, const cx_mean *src);
/* the mean; false when no unit has an index */
extern bool cx_mean_value(const cx_mean *m, double *mean);
/* its variance; false when no unit, or a unit without a variance */
extern bool cx_mean_var(const cx_mean *m, double *var);

#endif							/* SIPAS_CONTRAST_H */
