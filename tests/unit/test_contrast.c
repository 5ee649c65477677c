/*
 * test_contrast.c - change tests, logit intervals and province means
 * (src/core/contrast.c).
 */
#include "unit.h"

#include "contrast.h"

static void
test_change(void)
{
	double		d,
				se,
				z,
				p;

	/* 0.8 vs 0.7 with variances 0.0009 and 0.0016: se 0.05, z 2 */
	CHECK(cx_change(0.8, 0.0009, 0.7, 0.0016, &d, &se, &z, &p));
	CHECK_NEAR(d, 0.1, 1e-14);
	CHECK_NEAR(se, 0.05, 1e-14);
	CHECK_NEAR(z, 2.0, 1e-13);
	/* 2 * (1 - pnorm(2)) = 0.04550026389635842 */
	CHECK_NEAR(p, 0.04550026389635842, 1e-12);
	/* symmetric */
	CHECK(cx_change(0.7, 0.0016, 0.8, 0.0009, &d, &se, &z, &p));
	CHECK_NEAR(z, -2.0, 1e-13);
	CHECK_NEAR(p, 0.04550026389635842, 1e-12);
	/* no variance at all: the difference only */
	d = -1;
	CHECK(!cx_change(0.5, 0.0, 0.4, 0.0, &d, &se, &z, &p));
	CHECK_NEAR(d, 0.1, 1e-14);
	/* one variance missing */
	CHECK(!cx_change(0.5, NAN, 0.4, 0.01, &d, &se, &z, &p));
	CHECK(!cx_change(0.5, -0.01, 0.4, 0.01, &d, &se, &z, &p));
	/* one side without variance still tests */
	CHECK(cx_change(0.5, 0.0, 0.4, 0.0025, &d, &se, &z, &p));
	CHECK_NEAR(z, 2.0, 1e-13);
}

static void
test_logit(void)
{
	double		lo,
				hi;

	/* p 0.8, se 0.04, z 1.96: logit 1.386294, half width 1.96*0.04/0.16 = 0.49 */
	CHECK(cx_logit_interval(0.8, 0.04, 1.96, &lo, &hi));
	CHECK_NEAR(lo, 1.0 / (1.0 + exp(-(log(4.0) - 0.49))), 1e-14);
	CHECK_NEAR(hi, 1.0 / (1.0 + exp(-(log(4.0) + 0.49))), 1e-14);
	CHECK(lo < 0.8 && hi > 0.8);
	/* not symmetric: closer to 1 on the upper side */
	CHECK(hi - 0.8 < 0.8 - lo);
	/* symmetric at one half */
	CHECK(cx_logit_interval(0.5, 0.1, 1.96, &lo, &hi));
	CHECK_NEAR(lo + hi, 1.0, 1e-14);
	/* inside (0, 1) even with a huge standard error */
	CHECK(cx_logit_interval(0.99, 5.0, 3.0, &lo, &hi));
	CHECK(lo >= 0.0 && hi <= 1.0 && lo < hi);
	/* the ends and zero variance: no interval */
	CHECK(!cx_logit_interval(0.0, 0.1, 1.96, &lo, &hi));
	CHECK(!cx_logit_interval(1.0, 0.1, 1.96, &lo, &hi));
	CHECK(!cx_logit_interval(0.6, 0.0, 1.96, &lo, &hi));
	CHECK(!cx_logit_interval(0.6, NAN, 1.96, &lo, &hi));
	CHECK(!cx_logit_interval(NAN, 0.1, 1.96, &lo, &hi));
}

static void
test_mean(void)
{
	cx_mean		a = {0},
				b = {0},
				all = {0};
	double		v,
				var;

	CHECK(!cx_mean_value(&a, &v));
	CHECK(!cx_mean_var(&a, &var));
	cx_mean_add(&a, 0.8, true, 0.01, true);
	cx_mean_add(&a, 0.6, true, 0.04, true);
	cx_mean_add(&b, 0.7, true, 0.04, true);
	cx_mean_add(&all, 0.8, true, 0.01, true);
	cx_mean_add(&all, 0.6, true, 0.04, true);
	cx_mean_add(&all, 0.7, true, 0.04, true);
	cx_mean_merge(&a, &b);
	CHECK(cx_mean_value(&a, &v));
	CHECK_NEAR(v, 0.7, 1e-14);
	CHECK(cx_mean_var(&a, &var));
	CHECK_NEAR(var, 0.09 / 9.0, 1e-14);
	CHECK_DEQ(a.units, all.units);
	CHECK_DEQ(a.sum_var, all.sum_var);
	/* a unit with one form: the mean stays, the variance goes */
	cx_mean_add(&a, 0.5, false, NAN, true);
	CHECK(cx_mean_value(&a, &v));
	CHECK_NEAR(v, 2.6 / 4.0, 1e-14);
	CHECK(!cx_mean_var(&a, &var));
	/* a unit from answer rows: no variance either */
	cx_mean_add(&b, 0.5, true, 0.01, false);
	CHECK_EQ(b.no_forms, 1);
	CHECK(!cx_mean_var(&b, &var));
}

void
test_contrast(void)
{
	test_change();
	test_logit();
	test_mean();
}
