/*
 * lk_stats.c - figures read off a summary.
 */
#include "lk_stats.h"

#include <float.h>
#include <math.h>

#ifndef M_SQRT2
#define M_SQRT2 1.41421356237309504880
#endif

/*
 * Every figure below is invariant to scaling all weights by one factor, so
 * they are computed on weights scaled by a power of two (exact) that brings
 * the largest weight sum near 1: sums of squared weights of 1e154 no longer
 * overflow to infinity and turn into NaN.
 */
static const lk_summary *
scaled(const lk_summary *s, lk_summary *t)
{
	double		m = 0.0;
	int			e,
				i;

	for (i = 0; i < s->k; i++)
		if (s->w[i] > m)
			m = s->w[i];
	if (m == 0.0 || (m > 1e-100 && m < 1e100))
		return s;
	*t = *s;
	frexp(m, &e);
	for (i = 0; i < s->k; i++)
	{
		t->w[i] = ldexp(s->w[i], -e);
		t->w2[i] = ldexp(s->w2[i], -2 * e);
	}
	return t;
}

/*
 * Are the sums of squared weights exact enough to use?  A squared weight
 * below DBL_MIN (a weight below about 1.5e-154) is subnormal or zero, and
 * each one loses up to 2^-1075 absolutely (a weight below about 2.2e-162
 * squares to 0).  Scaling cannot bring those bits back: they were lost when
 * the weight was squared.  If every squared weight of a level with weight
 * was normal, the level's sum is at least its count times DBL_MIN; when the
 * sums over those levels are at least that, the total loss is below 2^-53
 * relative and the figures stand, otherwise the figures that need the
 * squared weights (effective n, standard errors, intervals, tests) do not
 * exist: NULL rather than a standard error of 0 that only the weights'
 * scale produced.
 */
static bool
w2_reliable(const lk_summary *s)
{
	double		w2 = 0.0,
				floor_w2 = 0.0;
	int			i;

	if (!s->weighted)
		return true;
	for (i = 0; i < s->k; i++)
	{
		if (!(s->w[i] > 0.0))
			continue;			/* weights of exactly 0 square exactly */
		w2 += s->w2[i];
		floor_w2 += (double) s->n[i] * DBL_MIN;
	}
	return w2 >= floor_w2;
}

double
lk_weight_total(const lk_summary *s)
{
	double		total = 0.0;
	int			i;

	for (i = 0; i < s->k; i++)
		total += s->w[i];
	return total;
}

static bool
lk_share_from_raw(const lk_summary *s, int from_level, double *share)
{
	double		total = lk_weight_total(s);
	double		top = 0.0;
	int			i;

	if (!(total > 0.0))
		return false;
	for (i = from_level - 1; i < s->k; i++)
		top += s->w[i];
	*share = top / total;
	return true;
}

bool
lk_share_from(const lk_summary *s, int from_level, double *share)
{
	lk_summary	t;

	return lk_share_from_raw(scaled(s, &t), from_level, share) && isfinite(*share);
}

static bool
lk_share_level_raw(const lk_summary *s, int level, double *share)
{
	double		total = lk_weight_total(s);

	if (!(total > 0.0))
		return false;
	*share = s->w[level - 1] / total;
	return true;
}

bool
lk_share_level(const lk_summary *s, int level, double *share)
{
	lk_summary	t;

	return lk_share_level_raw(scaled(s, &t), level, share) && isfinite(*share);
}

static bool
lk_mean_score_raw(const lk_summary *s, double *mean)
{
	double		total = lk_weight_total(s);
	double		sum = 0.0;
	int			i;

	if (!(total > 0.0))
		return false;
	for (i = 0; i < s->k; i++)
		sum += (double) (i + 1) * s->w[i];
	*mean = sum / total;
	return true;
}

bool
lk_mean_score(const lk_summary *s, double *mean)
{
	lk_summary	t;

	return lk_mean_score_raw(scaled(s, &t), mean) && isfinite(*mean);
}

/* Kish: (sum w)^2 / sum w^2 */
static bool
lk_effective_n_raw(const lk_summary *s, double *neff)
{
	double		w = 0.0,
				w2 = 0.0;
	int			i;

	for (i = 0; i < s->k; i++)
	{
		w += s->w[i];
		w2 += s->w2[i];
	}
	if (!(w2 > 0.0))
		return false;
	*neff = (w / w2) * w;
	return true;
}

bool
lk_effective_n(const lk_summary *s, double *neff)
{
	lk_summary	t;

	if (!w2_reliable(s))
		return false;
	return lk_effective_n_raw(scaled(s, &t), neff) && isfinite(*neff);
}

static bool
lk_std_error_raw(const lk_summary *s, int from_level, double *se)
{
	double		n = (double) lk_summary_n(s);
	double		total = lk_weight_total(s);
	double		w2_top = 0.0,
				w2_rest = 0.0,
				p,
				var;
	int			i;

	if (n < 2.0 || !lk_share_from(s, from_level, &p))
		return false;
	for (i = 0; i < s->k; i++)
	{
		if (i >= from_level - 1)
			w2_top += s->w2[i];
		else
			w2_rest += s->w2[i];
	}

	/*
	 * Linearisation of p = sum(w y) / sum(w): the influence of answer i is
	 * w_i (y_i - p) / W; with-replacement variance n/(n-1) * sum of squares.
	 */
	var = n / (n - 1.0) *
		((1.0 - p) * (1.0 - p) * (w2_top / total) + p * p * (w2_rest / total)) / total;
	*se = sqrt(var);
	return true;
}

bool
lk_std_error(const lk_summary *s, int from_level, double *se)
{
	lk_summary	t;

	if (!w2_reliable(s))
		return false;
	return lk_std_error_raw(scaled(s, &t), from_level, se) && isfinite(*se);
}

static double
clamp01(double x)
{
	return x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x);
}

/*
 * Wilson bounds.  They are the roots of (1 + z^2/n) x^2 - (2p + z^2/n) x +
 * p^2 = 0: the upper one as center + half (no cancellation), the lower one
 * as p^2 / ((1 + z^2/n) upper), which does not cancel near 0 either; at
 * p = 0 and p = 1 the bounds are exactly 0 and 1.
 */
static void
wilson(double p, double n, double z, double *lower, double *upper)
{
	double		z2n = z * z / n;
	double		center = (p + 0.5 * z2n) / (1.0 + z2n);
	double		half = z / (1.0 + z2n) * sqrt(p * (1.0 - p) / n + 0.25 * z2n / n);

	*upper = p >= 1.0 ? 1.0 : clamp01(center + half);
	*lower = p <= 0.0 ? 0.0 : clamp01(p * p / ((1.0 + z2n) * (center + half)));
}

bool
lk_confidence_interval(const lk_summary *s, int from_level, double confidence,
					   lk_ci_method method, double *lower, double *upper)
{
	double		alpha = (1.0 - confidence) / 2.0;
	double		p;

	if (!lk_share_from(s, from_level, &p))
		return false;

	if (method == LK_CI_WILSON)
	{
		double		n,
					z = lk_qnorm_upper(alpha);

		if (!lk_effective_n(s, &n))
			return false;
		wilson(p, n, z, lower, upper);
		return isfinite(*lower) && isfinite(*upper);
	}
	else
	{
		double		n = (double) lk_summary_n(s);
		double		se,
					eta,
					half;

		/* the logit interval does not exist at 0 % or 100 % */
		if (!(p > 0.0 && p < 1.0) || !lk_std_error(s, from_level, &se) || !(se > 0.0))
			return false;
		eta = log(p / (1.0 - p));
		half = lk_qt_upper(alpha, n - 1.0) * se / (p * (1.0 - p));
		*lower = 1.0 / (1.0 + exp(-(eta - half)));
		*upper = 1.0 / (1.0 + exp(-(eta + half)));
		return isfinite(*lower) && isfinite(*upper);
	}
}

bool
lk_change_test(const lk_summary *now, int now_from, const lk_summary *before,
			   int before_from, double *diff, double *se, double *z, double *p_value)
{
	double		p1,
				p0,
				se1,
				se0;

	if (!lk_share_from(now, now_from, &p1) || !lk_share_from(before, before_from, &p0) ||
		!lk_std_error(now, now_from, &se1) || !lk_std_error(before, before_from, &se0))
		return false;
	*diff = p1 - p0;
	*se = sqrt(se1 * se1 + se0 * se0);
	if (!(*se > 0.0))
		return false;
	*z = *diff / *se;
	*p_value = erfc(fabs(*z) / M_SQRT2);
	return true;
}
