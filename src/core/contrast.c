/*
 * contrast.c - change tests, logit intervals and province means on the
 * clustered variances of survey summaries built from forms (contrast.h).
 */
#include "contrast.h"

#include <math.h>

bool
cx_change(double now, double var_now, double before, double var_before,
		  double *diff, double *se, double *z, double *p_value)
{
	double		v = var_now + var_before;

	*diff = now - before;
	if (!(isfinite(var_now) && isfinite(var_before) && var_now >= 0.0 && var_before >= 0.0) ||
		!(v > 0.0) || !isfinite(*diff))
		return false;
	*se = sqrt(v);
	*z = *diff / *se;
	*p_value = erfc(fabs(*z) / sqrt(2.0));
	return true;
}

bool
cx_logit_interval(double p, double se, double zq, double *lower, double *upper)
{
	double		l,
				h;

	if (!(p > 0.0 && p < 1.0) || !(se > 0.0) || !isfinite(se) || !(zq >= 0.0) || !isfinite(zq))
		return false;
	l = log(p / (1.0 - p));
	h = zq * se / (p * (1.0 - p));
	/* 1 / (1 + exp(-x)) stays in [0, 1] for every x, also far out */
	*lower = 1.0 / (1.0 + exp(-(l - h)));
	*upper = 1.0 / (1.0 + exp(-(l + h)));
	return true;
}

void
cx_mean_add(cx_mean *m, double index, bool has_var, double var, bool has_forms)
{
	m->units += 1.0;
	m->sum += index;
	if (!has_forms)
		m->no_forms += 1.0;
	else if (has_var && isfinite(var) && var >= 0.0)
		m->sum_var += var;
	else
		m->no_var += 1.0;
}

void
cx_mean_merge(cx_mean *dst, const cx_mean *src)
{
	dst->units += src->units;
	dst->sum += src->sum;
	dst->sum_var += src->sum_var;
	dst->no_var += src->no_var;
	dst->no_forms += src->no_forms;
}

bool
cx_mean_value(const cx_mean *m, double *mean)
{
	if (!(m->units > 0.0))
		return false;
	*mean = m->sum / m->units;
	return true;
}

bool
cx_mean_var(const cx_mean *m, double *var)
{
	if (!(m->units > 0.0) || m->no_var > 0.0 || m->no_forms > 0.0)
		return false;
	*var = m->sum_var / (m->units * m->units);
	return true;
}
