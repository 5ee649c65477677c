/*
 * test_stats.c - lk_stats.c: index, shares, mean, effective n, standard
 * error and confidence intervals, against hand-computed values and R.
 *
 * R figures: R 4.2.2 with survey 4.1.1, printed with sprintf("%.15g", x)
 * (15 significant digits), hence the 1e-13 relative tolerance on them.
 */
#include "unit.h"

#include <stdlib.h>

#include "lk_index.h"
#include "lk_text.h"

#define R_TOL 1e-13

static void
parse_ok(const char *text, lk_summary *s)
{
	char		err[LK_ERRBUF] = "";

	if (!CHECK_EQ(lk_parse(text, s, err, sizeof(err)), LK_OK))
		unit_note("%s: %s", text, err);
}

static void
test_top_two(void)
{
	CHECK_EQ(lk_satisfied_from(2), 2);	/* yes/no: top box */
	CHECK_EQ(lk_satisfied_from(3), 2);
	CHECK_EQ(lk_satisfied_from(5), 4);
	CHECK_EQ(lk_satisfied_from(7), 6);
	CHECK_EQ(lk_satisfied_from(10), 9);
}

/* {"k":5,"n":[0,0,5,16,10]}: 26 of 31 in the top two boxes */
static void
test_unweighted(void)
{
	lk_summary	s;
	double		v,
				lo,
				hi;
	const double p = 26.0 / 31.0;

	parse_ok("{\"k\":5,\"n\":[0,0,5,16,10]}", &s);

	CHECK_DEQ(lk_weight_total(&s), 31.0);
	/* satisfaction index: share from the top-two level */
	CHECK(lk_share_from(&s, lk_satisfied_from(5), &v));
	CHECK_NEAR(v, p, 1e-15);
	CHECK(lk_share_from(&s, 1, &v));
	CHECK_DEQ(v, 1.0);
	CHECK(lk_share_from(&s, 5, &v));
	CHECK_NEAR(v, 10.0 / 31.0, 1e-15);
	CHECK(lk_share_level(&s, 1, &v));
	CHECK_DEQ(v, 0.0);
	CHECK(lk_share_level(&s, 4, &v));
	CHECK_NEAR(v, 16.0 / 31.0, 1e-15);
	/* mean score (3*5 + 4*16 + 5*10) / 31 */
	CHECK(lk_mean_score(&s, &v));
	CHECK_NEAR(v, 129.0 / 31.0, 1e-15);
	/* Kish n of equal weights is n */
	CHECK(lk_effective_n(&s, &v));
	CHECK_NEAR(v, 31.0, 1e-15);
	/* sqrt(p (1 - p) / (n - 1)) */
	CHECK(lk_std_error(&s, 4, &v));
	CHECK_NEAR(v, sqrt(p * (1.0 - p) / 30.0), 1e-14);
	/* R: SE(svymean(~top, svydesign(ids = ~1, weights = ~1, data = d))), 26 ones, 5 zeros */
	CHECK_NEAR(v, 0.0671505161118107, R_TOL);

	/* Wilson: R prop.test(26, 31, correct = FALSE, conf.level = L)$conf.int */
	{
		static const double wilson[][3] = {
			{0.95, 0.673656460412068, 0.929073755566347},
			{0.90, 0.703828457688932, 0.919214455967112},
			{0.99, 0.61342372313418, 0.944569041470099},
		};

		for (size_t i = 0; i < 3; i++)
		{
			CHECK(lk_confidence_interval(&s, 4, wilson[i][0], LK_CI_WILSON, &lo, &hi));
			CHECK_NEAR(lo, wilson[i][1], R_TOL);
			CHECK_NEAR(hi, wilson[i][2], R_TOL);
		}
	}

	/*
	 * Logit: R svyciprop(~top, svydesign(ids = ~1, weights = ~1, data = d),
	 * method = "logit", level = L), d = 26 ones and 5 zeros.
	 */
	CHECK(lk_confidence_interval(&s, 4, 0.95, LK_CI_LOGIT, &lo, &hi));
	CHECK_NEAR(lo, 0.65359519403007, R_TOL);
	CHECK_NEAR(hi, 0.934773419851794, R_TOL);
	CHECK(lk_confidence_interval(&s, 4, 0.90, LK_CI_LOGIT, &lo, &hi));
	CHECK_NEAR(lo, 0.691286980483678, R_TOL);
	CHECK_NEAR(hi, 0.923520785432245, R_TOL);

	/* the logit interval by hand: eta -+ t * se / (p (1 - p)), t = qt(0.975, 30) */
	{
		double		se = sqrt(p * (1.0 - p) / 30.0);
		double		eta = log(p / (1.0 - p));
		double		h = 2.0422724563012382 * se / (p * (1.0 - p));	/* R: qt(0.025, 30, lower.tail = FALSE) */

		CHECK(lk_confidence_interval(&s, 4, 0.95, LK_CI_LOGIT, &lo, &hi));
		CHECK_NEAR(lo, 1.0 / (1.0 + exp(-(eta - h))), 1e-14);
		CHECK_NEAR(hi, 1.0 / (1.0 + exp(-(eta + h))), 1e-14);
	}
}

/* Wilson against R for other counts, including the 0 % and 100 % edges */
static void
test_wilson_edges(void)
{
	/* {x, n, lower, upper}: R prop.test(x, n, correct = FALSE)$conf.int */
	static const double ref[][4] = {
		{0, 10, 0, 0.277532799862889},
		{10, 10, 0.722467200137111, 1},
		{1, 2, 0.0945312057342307, 0.905468794265769},
		{3, 200, 0.00511423779325832, 0.0431657287926903},
	};

	for (size_t i = 0; i < sizeof(ref) / sizeof(ref[0]); i++)
	{
		lk_summary	s;
		double		lo = -1,
					hi = -1;

		lk_summary_init(&s, 2);
		s.n[1] = (int64_t) ref[i][0];
		s.n[0] = (int64_t) (ref[i][1] - ref[i][0]);
		lk_summary_canonicalize(&s);
		CHECK(lk_confidence_interval(&s, 2, 0.95, LK_CI_WILSON, &lo, &hi));
		if (ref[i][2] == 0.0)
			CHECK_ABS(lo, 0.0, 1e-16);
		else
			CHECK_NEAR(lo, ref[i][2], R_TOL);
		CHECK_NEAR(hi, ref[i][3], R_TOL);
		CHECK(lo >= 0.0 && hi <= 1.0 && lo <= hi);

		/* the logit interval does not exist at 0 % and 100 % */
		if (ref[i][0] == 0 || ref[i][0] == ref[i][1])
			CHECK(!lk_confidence_interval(&s, 2, 0.95, LK_CI_LOGIT, &lo, &hi));
	}
}

/*
 * Wilson for rare answers, where center - half would cancel: exact values
 * from the Wilson formula evaluated with mpmath at 50 digits,
 * z = sqrt(2) * erfinv(0.95).  (R's prop.test(1, 1e9, correct = FALSE)
 * computes center - half and is 1.1e-15 relative off in the lower bound.)
 */
static void
test_wilson_rare(void)
{
	static const struct
	{
		int64_t		x,
					n;
		double		lower,
					upper;
	}			ref[] = {
		{1, 1000000000, 1.7652455495696318e-10, 5.6649342432974379e-9},
		{3, 1000000000000, 1.0202707283648331e-12, 8.8211880922914858e-12},
		{1, INT64_C(4611686018427387904), 3.8277661191545924e-20, 1.2283868075846906e-18},
		{5, 31, 0.070926244433653037, 0.32634353958793259},
	};

	for (size_t i = 0; i < sizeof(ref) / sizeof(ref[0]); i++)
	{
		lk_summary	s;
		double		lo,
					hi;

		lk_summary_init(&s, 2);
		s.n[1] = ref[i].x;
		s.n[0] = ref[i].n - ref[i].x;
		lk_summary_canonicalize(&s);
		CHECK(lk_confidence_interval(&s, 2, 0.95, LK_CI_WILSON, &lo, &hi));
		if (!CHECK_NEAR(lo, ref[i].lower, 1e-14) | !CHECK_NEAR(hi, ref[i].upper, 1e-14))
			unit_note("%lld of %lld", (long long) ref[i].x, (long long) ref[i].n);
	}
}

/*
 * The weighted example, in R:
 *   y <- c(1,2,3,4,5,4,5,3,4,2,5,4)
 *   w <- c(1.5,0.5,2,1,3,0.25,1.75,1,2.5,0.8,1.2,0.6)
 *   d <- data.frame(y, w, top = as.numeric(y >= 4), top5 = as.numeric(y >= 5))
 *   des <- svydesign(ids = ~1, weights = ~w, data = d)
 */
static const int ex_y[] = {1, 2, 3, 4, 5, 4, 5, 3, 4, 2, 5, 4};
static const double ex_w[] = {1.5, 0.5, 2, 1, 3, 0.25, 1.75, 1, 2.5, 0.8, 1.2, 0.6};

static void
weighted_example(lk_summary *s)
{
	lk_acc	   *a = malloc(lk_acc_size(5, true));

	lk_acc_init(a, 5, true);
	for (size_t i = 0; i < sizeof(ex_y) / sizeof(ex_y[0]); i++)
		CHECK_EQ(lk_acc_add_weighted(a, ex_y[i], ex_w[i]), LK_OK);
	CHECK_EQ(lk_acc_to_summary(a, s), LK_OK);
	free(a);
}

static void
test_weighted(void)
{
	lk_summary	s;
	double		v,
				lo,
				hi;
	char		err[LK_ERRBUF];

	weighted_example(&s);
	CHECK(s.weighted);
	CHECK_EQ(lk_summary_check(&s, err, sizeof(err)), LK_OK);
	CHECK_EQ(lk_summary_n(&s), 12);
	CHECK_NEAR(lk_weight_total(&s), 16.1, 1e-15);

	/* coef(svymean(~top, des)) and SE(...) */
	CHECK(lk_share_from(&s, lk_satisfied_from(5), &v));
	CHECK_NEAR(v, 0.639751552795031, R_TOL);
	CHECK(lk_std_error(&s, 4, &v));
	CHECK_NEAR(v, 0.159958307779297, R_TOL);
	/* coef(svymean(~top5, des)) and SE(...) */
	CHECK(lk_share_from(&s, 5, &v));
	CHECK_NEAR(v, 0.369565217391304, R_TOL);
	CHECK(lk_std_error(&s, 5, &v));
	CHECK_NEAR(v, 0.177973750243511, R_TOL);
	/* coef(svymean(~y, des)) */
	CHECK(lk_mean_score(&s, &v));
	CHECK_NEAR(v, 3.74223602484472, R_TOL);
	/* sum(w)^2 / sum(w^2) */
	CHECK(lk_effective_n(&s, &v));
	CHECK_NEAR(v, 8.84223093979192, R_TOL);
	/* sum(w[y == lv]) / sum(w) */
	{
		static const double share[] = {0.093167701863354, 0.0807453416149068, 0.186335403726708,
		0.270186335403727, 0.369565217391304};

		for (int lv = 1; lv <= 5; lv++)
		{
			CHECK(lk_share_level(&s, lv, &v));
			CHECK_NEAR(v, share[lv - 1], R_TOL);
		}
	}

	/* attr(svyciprop(~top, des, method = "logit", level = L), "ci") */
	{
		static const double logit[][3] = {
			{0.95, 0.2782182692284, 0.891086623679642},
			{0.90, 0.338014406850494, 0.860653365998007},
			{0.99, 0.170609776327216, 0.938767156624632},
		};

		for (size_t i = 0; i < 3; i++)
		{
			CHECK(lk_confidence_interval(&s, 4, logit[i][0], LK_CI_LOGIT, &lo, &hi));
			CHECK_NEAR(lo, logit[i][1], R_TOL);
			CHECK_NEAR(hi, logit[i][2], R_TOL);
		}
	}
	/*
	 * Top box (level 5).  svyciprop's default glm stops after 4 IRLS steps
	 * with the intercept 7e-12 off, so its figures differ in the 12th
	 * digit: attr(svyciprop(~top5, des, method = "logit"), "ci") gives
	 * 0.09837878483417, 0.758999908126486.  Converged, the same model:
	 *   g <- svyglm(top5 ~ 1, design = des, family = quasibinomial,
	 *               control = glm.control(epsilon = 1e-15, maxit = 100))
	 *   plogis(confint(g, df = degf(des), level = 0.95))
	 */
	CHECK(lk_confidence_interval(&s, 5, 0.95, LK_CI_LOGIT, &lo, &hi));
	CHECK_NEAR(lo, 0.0983787848332419, R_TOL);
	CHECK_NEAR(hi, 0.758999908125974, R_TOL);
	CHECK_NEAR(lo, 0.09837878483417, 1e-10);
	CHECK_NEAR(hi, 0.758999908126486, 1e-10);

	/*
	 * Wilson on the Kish n, computed in R from the formula:
	 *   p <- sum(w * d$top) / sum(w); n <- sum(w)^2 / sum(w^2)
	 *   z <- qnorm((1 - L) / 2, lower.tail = FALSE)
	 *   c0 <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
	 *   h <- z / (1 + z^2 / n) * sqrt(p * (1 - p) / n + z^2 / (4 * n^2))
	 *   c(c0 - h, c0 + h)
	 */
	CHECK(lk_confidence_interval(&s, 4, 0.95, LK_CI_WILSON, &lo, &hi));
	CHECK_NEAR(lo, 0.329857105453138, R_TOL);
	CHECK_NEAR(hi, 0.864994002914059, R_TOL);
	CHECK(lk_confidence_interval(&s, 4, 0.90, LK_CI_WILSON, &lo, &hi));
	CHECK_NEAR(lo, 0.372340946855702, R_TOL);
	CHECK_NEAR(hi, 0.84167700359236, R_TOL);
}

/* a weighted summary small enough to do by hand */
static void
test_by_hand(void)
{
	lk_summary	s;
	double		v;

	/* level 1: one weight 2; level 2: one weight 1; level 3: weights 1 and 2 */
	parse_ok("{\"k\":3,\"n\":[1,1,2],\"w\":[2,1,3],\"w2\":[4,1,5]}", &s);
	CHECK(s.weighted);
	CHECK(lk_share_from(&s, lk_satisfied_from(3), &v));
	CHECK_NEAR(v, 4.0 / 6.0, 1e-15);
	CHECK(lk_share_level(&s, 3, &v));
	CHECK_DEQ(v, 0.5);
	CHECK(lk_mean_score(&s, &v));
	CHECK_NEAR(v, 13.0 / 6.0, 1e-15);
	CHECK(lk_effective_n(&s, &v));
	CHECK_NEAR(v, 3.6, 1e-15);	/* 6^2 / 10 */
	/* n/(n-1) * ((1-p)^2 * 6/6 + p^2 * 4/6) / 6 = 4/3 * 11/27 / 6 = 22/243 */
	CHECK(lk_std_error(&s, 2, &v));
	CHECK_NEAR(v, sqrt(22.0 / 243.0), 1e-15);
}

/* figures that do not exist */
static void
test_missing(void)
{
	lk_summary	s;
	double		v = 42.0,
				lo = 42.0,
				hi = 42.0;

	/* no answers */
	parse_ok("{\"k\":5,\"n\":[0,0,0,0,0]}", &s);
	CHECK(!lk_share_from(&s, 4, &v));
	CHECK(!lk_share_level(&s, 1, &v));
	CHECK(!lk_mean_score(&s, &v));
	CHECK(!lk_effective_n(&s, &v));
	CHECK(!lk_std_error(&s, 4, &v));
	CHECK(!lk_confidence_interval(&s, 4, 0.95, LK_CI_WILSON, &lo, &hi));
	CHECK(!lk_confidence_interval(&s, 4, 0.95, LK_CI_LOGIT, &lo, &hi));
	CHECK_DEQ(v, 42.0);			/* outputs untouched */
	CHECK_DEQ(lo, 42.0);

	/* one answer: a share, but no standard error and no logit interval */
	parse_ok("{\"k\":5,\"n\":[0,0,0,1,0]}", &s);
	CHECK(lk_share_from(&s, 4, &v));
	CHECK_DEQ(v, 1.0);
	CHECK(!lk_std_error(&s, 4, &v));
	CHECK(!lk_confidence_interval(&s, 4, 0.95, LK_CI_LOGIT, &lo, &hi));
	CHECK(lk_confidence_interval(&s, 4, 0.95, LK_CI_WILSON, &lo, &hi));
	CHECK(lo > 0.0 && hi == 1.0);

	/* answers with zero weight only */
	parse_ok("{\"k\":3,\"n\":[2,0,1],\"w\":[0,0,0],\"w2\":[0,0,0]}", &s);
	CHECK(!lk_share_from(&s, 2, &v));
	CHECK(!lk_mean_score(&s, &v));
	CHECK(!lk_effective_n(&s, &v));
	CHECK(!lk_std_error(&s, 2, &v));
	CHECK(!lk_confidence_interval(&s, 2, 0.95, LK_CI_WILSON, &lo, &hi));

	/* everyone satisfied: se 0, no logit interval */
	parse_ok("{\"k\":5,\"n\":[0,0,0,4,6]}", &s);
	CHECK(lk_std_error(&s, 4, &v));
	CHECK_DEQ(v, 0.0);
	CHECK(!lk_confidence_interval(&s, 4, 0.95, LK_CI_LOGIT, &lo, &hi));
	CHECK(lk_confidence_interval(&s, 4, 0.95, LK_CI_WILSON, &lo, &hi));
	CHECK_ABS(hi, 1.0, 2e-16);
}

/*
 * At p = 0 and p = 1 the Wilson interval ends exactly at 0 and 1 (R's
 * prop.test sets them so); center -+ half only gets there up to rounding.
 */
static void
test_wilson_exact_ends(void)
{
	long		upper_off = 0,
				lower_off = 0,
				tried = 0;
	int64_t		first_upper = 0,
				first_lower = 0;
	static const double conf[] = {0.8, 0.9, 0.95, 0.99};

	for (int64_t n = 1; n <= 300; n++)
		for (size_t c = 0; c < sizeof(conf) / sizeof(conf[0]); c++)
		{
			lk_summary	s;
			double		lo,
						hi;

			tried++;
			lk_summary_init(&s, 2);
			s.n[1] = n;			/* everyone in the top box */
			lk_summary_canonicalize(&s);
			CHECK(lk_confidence_interval(&s, 2, conf[c], LK_CI_WILSON, &lo, &hi));
			CHECK(lo > 0.0 && lo < 1.0);
			CHECK_ABS(hi, 1.0, 2.3e-16);
			if (hi != 1.0 && upper_off++ == 0)
				first_upper = n;

			s.n[0] = n;			/* nobody */
			s.n[1] = 0;
			lk_summary_canonicalize(&s);
			CHECK(lk_confidence_interval(&s, 2, conf[c], LK_CI_WILSON, &lo, &hi));
			CHECK(hi > 0.0 && hi < 1.0);
			CHECK_ABS(lo, 0.0, 1e-16);
			if (lo != 0.0 && lower_off++ == 0)
				first_lower = n;
		}
	{
		char		why[200];

		snprintf(why, sizeof(why), "Wilson upper bound at p = 1 is below 1.0 in %ld of %ld cases "
				 "(first: %lld of %lld answers)", upper_off, tried,
				 (long long) first_upper, (long long) first_upper);
		if (!CHECK_EQ(upper_off, 0))
			unit_note("%s", why);
		/* exact since the lower bound is computed as p^2 / ((1 + z^2/n) upper) */
		if (!CHECK_EQ(lower_off, 0))
			unit_note("Wilson lower bound at p = 0 is above 0.0 in %ld of %ld cases (first: 0 of %lld)",
					  lower_off, tried, (long long) first_lower);
	}
}

/* intervals widen with the confidence level and contain the estimate */
static void
test_interval_shape(void)
{
	lk_summary	s;
	double		p;

	weighted_example(&s);
	CHECK(lk_share_from(&s, 4, &p));
	for (int m = 0; m < 2; m++)
	{
		double		plo = p,
					phi = p;
		bool		ok = true;

		for (int c = 1; c < 100; c++)
		{
			double		lo,
						hi;

			if (!lk_confidence_interval(&s, 4, c / 100.0, m ? LK_CI_LOGIT : LK_CI_WILSON, &lo, &hi))
			{
				ok = false;
				break;
			}
			if (!(lo < plo && hi > phi && lo > 0.0 && hi < 1.0))
				ok = false;
			plo = lo;
			phi = hi;
		}
		if (!CHECK(ok))
			unit_note("method %d", m);
	}
}

/* lk_change_test: two independent samples, normal test on the difference */
static void
test_change(void)
{
	lk_summary	now,
				before,
				one,
				all;
	double		diff = 42,
				se = 42,
				z = 42,
				pv = 42;
	const double p1 = 26.0 / 31.0,
				p0 = 0.6;

	parse_ok("{\"k\":5,\"n\":[0,0,5,16,10]}", &now);
	parse_ok("{\"k\":5,\"n\":[2,3,5,10,5]}", &before);
	CHECK(lk_change_test(&now, 4, &before, 4, &diff, &se, &z, &pv));
	/* by hand */
	CHECK_NEAR(diff, p1 - p0, 1e-15);
	CHECK_NEAR(se, sqrt(p1 * (1 - p1) / 30 + p0 * (1 - p0) / 24), 1e-15);
	CHECK_NEAR(z, diff / se, 1e-15);
	/*
	 * R: p1 <- 26/31; p0 <- 15/25; se <- sqrt(p1*(1-p1)/30 + p0*(1-p0)/24)
	 *    z <- (p1 - p0) / se; c(p1 - p0, se, z, 2 * pnorm(-abs(z)))
	 */
	CHECK_NEAR(diff, 0.238709677419355, R_TOL);
	CHECK_NEAR(se, 0.120454106671722, R_TOL);
	CHECK_NEAR(z, 1.98174793716182, R_TOL);
	CHECK_NEAR(pv, 0.0475074590656473, R_TOL);

	/* antisymmetric in the two samples, same p-value */
	{
		double		d2,
					s2,
					z2,
					p2;

		CHECK(lk_change_test(&before, 4, &now, 4, &d2, &s2, &z2, &p2));
		CHECK_DEQ(d2, -diff);
		CHECK_DEQ(s2, se);
		CHECK_DEQ(p2, pv);
	}

	/* no change: z = 0, p = 1 */
	CHECK(lk_change_test(&now, 4, &now, 4, &diff, &se, &z, &pv));
	CHECK_DEQ(diff, 0.0);
	CHECK_DEQ(pv, 1.0);

	/* no figure: a single answer has no standard error; both se zero */
	parse_ok("{\"k\":5,\"n\":[0,0,0,1,0]}", &one);
	CHECK(!lk_change_test(&now, 4, &one, 4, &diff, &se, &z, &pv));
	CHECK(!lk_change_test(&one, 4, &now, 4, &diff, &se, &z, &pv));
	parse_ok("{\"k\":5,\"n\":[0,0,0,3,3]}", &all);
	CHECK(!lk_change_test(&all, 4, &all, 4, &diff, &se, &z, &pv));
	/* one of the two with se 0 is fine */
	CHECK(lk_change_test(&all, 4, &now, 4, &diff, &se, &z, &pv));
	CHECK_NEAR(se, sqrt(p1 * (1 - p1) / 30), 1e-15);
}

/* lk_index.c: the satisfied band and the percent scale, applied once */
static void
test_index(void)
{
	lk_summary	s,
				b,
				one;
	double		v,
				f,
				lo,
				hi,
				flo,
				fhi,
				d,
				se,
				z,
				p,
				fd,
				fse,
				fz,
				fp;
	int			k;

	/* top two boxes; the top box of a yes/no item */
	CHECK_EQ(lk_satisfied_from(2), 2);
	CHECK_EQ(lk_satisfied_from(3), 2);
	CHECK_EQ(lk_satisfied_from(5), 4);
	CHECK_EQ(lk_satisfied_from(10), 9);
	for (k = LK_MIN_K; k <= LK_MAX_K; k++)
		CHECK(lk_satisfied_from(k) >= 2 && lk_satisfied_from(k) <= k);
	CHECK_EQ(lk_satisfied_from(4), 3);
	CHECK_DEQ(lk_percent(0.25), 25.0);

	parse_ok("{\"k\":5,\"n\":[0,0,5,16,10],\"w\":[0,0,6.5,15.25,9],\"w2\":[0,0,9.5,17.0625,8.5]}", &s);
	parse_ok("{\"k\":4,\"n\":[3,4,5,6]}", &b);
	CHECK(lk_index(&s, &v) && lk_share_from(&s, 4, &f));
	CHECK_DEQ(v, 100.0 * f);
	CHECK(lk_index_std_error(&s, &v) && lk_std_error(&s, 4, &f));
	CHECK_DEQ(v, 100.0 * f);
	CHECK(lk_index_interval(&s, 0.9, LK_CI_LOGIT, &lo, &hi) &&
		  lk_confidence_interval(&s, 4, 0.9, LK_CI_LOGIT, &flo, &fhi));
	CHECK_DEQ(lo, 100.0 * flo);
	CHECK_DEQ(hi, 100.0 * fhi);
	CHECK(lk_level_percent(&b, 2, &v) && lk_share_level(&b, 2, &f));
	CHECK_DEQ(v, 100.0 * f);
	/* each side of a change uses its own scale's band */
	CHECK(lk_index_change(&s, &b, &d, &se, &z, &p) &&
		  lk_change_test(&s, 4, &b, 3, &fd, &fse, &fz, &fp));
	CHECK_DEQ(d, 100.0 * fd);
	CHECK_DEQ(se, 100.0 * fse);
	CHECK_DEQ(z, fz);
	CHECK_DEQ(p, fp);
	CHECK(lk_index_difference(&s, &b, &d));
	CHECK_DEQ(d, 100.0 * fd);
	/* no test, but a difference, with a single answer */
	parse_ok("{\"k\":5,\"n\":[0,0,0,1,0]}", &one);
	CHECK(!lk_index_change(&s, &one, &d, &se, &z, &p));
	CHECK(lk_index_difference(&s, &one, &d));
	CHECK(!lk_index_std_error(&one, &v));
	lk_summary_init(&one, 3);
	CHECK(!lk_index(&one, &v));
	CHECK(!lk_index_difference(&s, &one, &d));
}

/* every answer weighted c: the counts' figures, or (squares underflowed) none */
static void
scaled_summary(const lk_summary *u, double c, lk_summary *s)
{
	int			i;

	*s = *u;
	s->weighted = true;
	for (i = 0; i < u->k; i++)
	{
		s->w[i] = (double) u->n[i] * c;
		s->w2[i] = (double) u->n[i] * (c * c);
	}
}

static void
test_weight_scale(void)
{
	static const double pow2[] = {0x1p-500, 0x1p-510, 0x1p+500, 0x1p-20, 0x1p+40};
	static const double tiny[] = {1e-155, 1e-160, 1e-170, 1e-250, 1e-300, 4.9406564584124654e-324};
	lk_summary	u,
				s,
				t;
	double		a,
				b,
				lo,
				hi,
				lo2,
				hi2;
	size_t		i;

	parse_ok("{\"k\":5,\"n\":[2,3,5,16,10]}", &u);
	/* powers of two scale exactly: bit-identical figures */
	for (i = 0; i < sizeof(pow2) / sizeof(pow2[0]); i++)
	{
		scaled_summary(&u, pow2[i], &s);
		CHECK(lk_index(&s, &a) && lk_index(&u, &b) && a == b);
		CHECK(lk_index_std_error(&s, &a) && lk_index_std_error(&u, &b) && a == b);
		CHECK(lk_effective_n(&s, &a) && lk_effective_n(&u, &b) && a == b);
		CHECK(lk_mean_score(&s, &a) && lk_mean_score(&u, &b) && a == b);
		CHECK(lk_index_interval(&s, 0.95, LK_CI_WILSON, &lo, &hi) &&
			  lk_index_interval(&u, 0.95, LK_CI_WILSON, &lo2, &hi2) && lo == lo2 && hi == hi2);
		if (!CHECK(lk_index_interval(&s, 0.95, LK_CI_LOGIT, &lo, &hi) &&
				   lk_index_interval(&u, 0.95, LK_CI_LOGIT, &lo2, &hi2) && lo == lo2 && hi == hi2))
			unit_note("weights %a", pow2[i]);
	}
	/*
	 * Weights whose squares are subnormal or zero: the figures of the weights
	 * themselves stand, those of the squares do not exist (never 0).
	 */
	for (i = 0; i < sizeof(tiny) / sizeof(tiny[0]); i++)
	{
		scaled_summary(&u, tiny[i], &s);
		CHECK(lk_index(&s, &a) && lk_index(&u, &b) && fabs(a - b) <= 1e-13 * b);
		CHECK(lk_mean_score(&s, &a) && lk_mean_score(&u, &b) && fabs(a - b) <= 1e-13 * b);
		if (!CHECK(!lk_index_std_error(&s, &a)))
			unit_note("weights %g: std error %g", tiny[i], a);
		CHECK(!lk_effective_n(&s, &a));
		CHECK(!lk_index_interval(&s, 0.95, LK_CI_WILSON, &lo, &hi));
		CHECK(!lk_index_interval(&s, 0.95, LK_CI_LOGIT, &lo, &hi));
		CHECK(!lk_index_change(&s, &u, &a, &b, &lo, &hi));
		CHECK(lk_index_difference(&s, &u, &a) && fabs(a) <= 1e-12);
	}
	/* squares just above DBL_MIN are exact enough */
	scaled_summary(&u, 1.5e-154, &s);
	CHECK(lk_index_std_error(&s, &a) && lk_index_std_error(&u, &b) && fabs(a - b) <= 1e-13 * b);
	/* one tiny weight among normal ones changes nothing */
	t = u;
	t.weighted = true;
	t.n[0] = 3;
	t.w[0] = 2.0 + 1e-200;
	t.w2[0] = 2.0;
	CHECK(lk_index_std_error(&t, &a));
	/* levels weighted exactly 0 do not count against the squares */
	scaled_summary(&u, 0x1p-400, &s);
	s.n[0] = 1000000;
	s.w[0] = s.w2[0] = 0.0;
	CHECK(lk_index_std_error(&s, &a));
}

void
test_stats(void)
{
	test_index();
	test_weight_scale();
	test_top_two();
	test_unweighted();
	test_wilson_edges();
	test_wilson_rare();
	test_weighted();
	test_by_hand();
	test_missing();
	test_wilson_exact_ends();
	test_interval_shape();
	test_change();
}
