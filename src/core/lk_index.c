/*
 * lk_index.c - the satisfaction index in percent: the satisfied band and
 * the percent scale applied once, here, to the figures of lk_stats.c.
 */
#include "lk_index.h"

bool
lk_index(const lk_summary *s, double *pct)
{
	double		p;

	if (!lk_share_from(s, lk_satisfied_from(s->k), &p))
		return false;
	*pct = lk_percent(p);
	return true;
}

bool
lk_index_std_error(const lk_summary *s, double *pct)
{
	double		se;

	if (!lk_std_error(s, lk_satisfied_from(s->k), &se))
		return false;
	*pct = lk_percent(se);
	return true;
}

bool
lk_index_interval(const lk_summary *s, double confidence, lk_ci_method method,
				  double *lower_pct, double *upper_pct)
{
	double		lo,
				hi;

	if (!lk_confidence_interval(s, lk_satisfied_from(s->k), confidence, method, &lo, &hi))
		return false;
	*lower_pct = lk_percent(lo);
	*upper_pct = lk_percent(hi);
	return true;
}

bool
lk_level_percent(const lk_summary *s, int level, double *pct)
{
	double		p;

	if (!lk_share_level(s, level, &p))
		return false;
	*pct = lk_percent(p);
	return true;
}

bool
lk_index_change(const lk_summary *now, const lk_summary *before,
				double *diff_pct, double *se_pct, double *z, double *p_value)
{
	double		diff,
				se;

	if (!lk_change_test(now, lk_satisfied_from(now->k), before, lk_satisfied_from(before->k),
						&diff, &se, z, p_value))
		return false;
	*diff_pct = lk_percent(diff);
	*se_pct = lk_percent(se);
	return true;
}

bool
lk_index_difference(const lk_summary *now, const lk_summary *before, double *diff_pct)
{
	double		p1,
				p0;

	if (!lk_share_from(now, lk_satisfied_from(now->k), &p1) ||
		!lk_share_from(before, lk_satisfied_from(before->k), &p0))
		return false;
	*diff_pct = lk_percent(p1 - p0);
	return true;
}
