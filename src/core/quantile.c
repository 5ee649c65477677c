/*
 * quantile.c - upper-tail quantiles of the normal and Student t
 * distributions, to full double precision, from libm's erfc and lgamma.
 */
#include "quantile.h"

#include <math.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#ifndef M_SQRT2
#define M_SQRT2 1.41421356237309504880
#endif

/*
 * P(Z > z) - a, accurate relative to the result: near the centre
 * 0.5 - a is exact (Sterbenz) and erf carries the rest.
 */
static double
norm_upper_minus(double z, double a)
{
	if (fabs(z) < 1.0)
		return (0.5 - a) - 0.5 * erf(z / M_SQRT2);
	return 0.5 * erfc(z / M_SQRT2) - a;
}

/*
 * Deep in the tail (a below 1e-300) Q(z) and the density are subnormal or
 * nearly so and lose their digits; there Newton runs on log Q(z) - log a,
 * with log Q(z) = log M(z) - z^2/2 - log(2 pi)/2 from the Mills ratio
 * M(z) = Q(z) / phi(z), whose continued fraction
 * 1/(z + 1/(z + 2/(z + 3/(z + ...)))) converges fast for z > 30, and
 * d log Q / dz = -1 / M(z).
 */
#define QNORM_LOG_TAIL 1e-300

static double
mills_ratio(double z)
{
	double		t = z;
	int			k;

	for (k = 60; k >= 1; k--)
		t = z + k / t;
	return 1.0 / t;
}

static double
qnorm_upper_log_tail(double a, double z)
{
	double		log_a = log(a);
	int			i;

	for (i = 0; i < 20; i++)
	{
		double		m = mills_ratio(z);
		double		f = log(m) - 0.5 * z * z - 0.5 * log(2.0 * M_PI) - log_a;
		double		step = f * m;

		z += step;
		if (fabs(step) <= 1e-16 * z)
			break;
	}
	return z;
}

double
lk_qnorm_upper(double a)
{
	double		t,
				z;
	int			i;

	if (!(a > 0.0 && a < 1.0))
		return NAN;
	if (a > 0.5)
		return -lk_qnorm_upper(1.0 - a);
	if (a == 0.5)
		return 0.0;

	/* Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4) as a start ... */
	t = sqrt(-2.0 * log(a));
	z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
		(1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
	if (a < QNORM_LOG_TAIL)
		return qnorm_upper_log_tail(a, z);

	/* ... then Halley steps on Q(z) - a, which converge cubically */
	for (i = 0; i < 10; i++)
	{
		double		pdf = exp(-0.5 * z * z) / sqrt(2.0 * M_PI);
		double		r,
					step;

		if (pdf == 0.0)
			break;
		r = norm_upper_minus(z, a) / pdf;	/* = -f/f' */
		step = r / (1.0 - 0.5 * r * z);
		z += step;
		if (fabs(step) <= 1e-16 * fabs(z))
			break;
	}
	return z;
}

#define LENTZ_TINY 1e-300

/*
 * One step of the modified Lentz algorithm: with the next partial numerator
 * num (all partial denominators are 1), update C and D, keeping both away
 * from zero, and return the factor C D by which the convergent changes.
 */
static inline double
lentz_step(double *c, double *d, double num)
{
	*d = 1.0 + num * *d;
	*c = 1.0 + num / *c;
	if (fabs(*d) < LENTZ_TINY)
		*d = LENTZ_TINY;
	if (fabs(*c) < LENTZ_TINY)
		*c = LENTZ_TINY;
	*d = 1.0 / *d;
	return *d * *c;
}

/*
 * Continued fraction of the regularized incomplete beta function I_x(a, b)
 * (modified Lentz), good for x < (a + 1) / (a + b + 2).
 */
static double
beta_cf(double a, double b, double x)
{
	double		c = 1.0,
				d = 1.0 - (a + b) * x / (a + 1.0),
				h;
	int			m;

	if (fabs(d) < LENTZ_TINY)
		d = LENTZ_TINY;
	d = 1.0 / d;
	h = d;
	for (m = 1; m <= 10000; m++)
	{
		double		m2 = 2.0 * m,
					delta;

		/* even step, then odd step of the fraction */
		h *= lentz_step(&c, &d, m * (b - m) * x / ((a + m2 - 1.0) * (a + m2)));
		delta = lentz_step(&c, &d, -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0)));
		h *= delta;
		if (fabs(delta - 1.0) < 1e-16)
			break;
	}
	return h;
}

/*
 * P(T > t) for t >= 0 and integer df.  Near the centre, the finite sums of
 * Abramowitz & Stegun 26.7.3-4; in the tail, where 1 - A would cancel,
 * P(T > t) = I_x(df/2, 1/2) / 2 with x = df / (df + t^2), from the
 * continued fraction, accurate relative to the (small) tail.
 */
static double
t_upper(double t, int df)
{
	double		v = (double) df;
	double		x = v / (v + t * t);
	double		a = 0.5 * v;
	double		theta,
				c2,
				s,
				sum,
				term,
				p;
	int			j;

	if (x < (a + 1.0) / (a + 2.5))
	{
		double		lbeta = lgamma(a) + lgamma(0.5) - lgamma(a + 0.5);

		return 0.5 * exp(a * log(x) + 0.5 * log1p(-x) - lbeta) / a * beta_cf(a, 0.5, x);
	}
	theta = atan(t / sqrt(v));
	c2 = cos(theta) * cos(theta);
	s = sin(theta);
	if (df % 2 == 1)
	{
		sum = 0.0;
		term = cos(theta);
		for (j = 3; j <= df; j += 2)
		{
			sum += term;
			term *= c2 * (double) (j - 1) / (double) j;
		}
		p = 2.0 / M_PI * (theta + s * sum);
	}
	else
	{
		sum = 0.0;
		term = 1.0;
		for (j = 2; j <= df; j += 2)
		{
			sum += term;
			term *= c2 * (double) (j - 1) / (double) j;
		}
		p = s * sum;
	}
	return 0.5 * (1.0 - p);
}

static double
t_pdf(double t, int df)
{
	double		v = (double) df;

	return exp(lgamma(0.5 * (v + 1.0)) - lgamma(0.5 * v) - 0.5 * (v + 1.0) * log1p(t * t / v)) /
		sqrt(v * M_PI);
}

/* Cornish-Fisher expansion in 1/df (Abramowitz & Stegun 26.7.5) */
static double
t_cornish_fisher(double a, double df)
{
	double		x = lk_qnorm_upper(a);
	double		x2 = x * x;
	double		g1 = (x2 + 1.0) * x / 4.0;
	double		g2 = ((5.0 * x2 + 16.0) * x2 + 3.0) * x / 96.0;
	double		g3 = (((3.0 * x2 + 19.0) * x2 + 17.0) * x2 - 15.0) * x / 384.0;
	double		g4 = ((((79.0 * x2 + 776.0) * x2 + 1482.0) * x2 - 1920.0) * x2 - 945.0) * x / 92160.0;

	return x + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
}

#define LK_T_EXACT_DF 4000

double
lk_qt_upper(double a, double df)
{
	double		t,
				lo,
				hi;
	int			v,
				i;

	if (!(a > 0.0 && a < 1.0) || !(df >= 1.0) || df != floor(df))
		return NAN;
	if (a > 0.5)
		return -lk_qt_upper(1.0 - a, df);
	if (a == 0.5)
		return 0.0;
	if (df > LK_T_EXACT_DF)
		return t_cornish_fisher(a, df);	/* next term is below 1e-13 here */

	v = (int) df;
	if (v == 1)
		return 1.0 / tan(M_PI * a);	/* Cauchy; exact in the tail */
	if (v == 2)
		return (1.0 - 2.0 * a) / sqrt(2.0 * a * (1.0 - a));

	/* Newton on the exact tail, kept inside a bracket */
	lo = 0.0;
	hi = 1.0;
	while (t_upper(hi, v) > a && hi < 1e300)
		hi *= 2.0;
	t = t_cornish_fisher(a, df);
	if (!(t > lo && t < hi))
		t = 0.5 * (lo + hi);
	for (i = 0; i < 200; i++)
	{
		double		f = t_upper(t, v) - a;
		double		next;

		if (f > 0.0)
			lo = t;
		else if (f < 0.0)
			hi = t;
		else
			break;
		next = t + f / t_pdf(t, v);
		if (!(next > lo && next < hi))
			next = 0.5 * (lo + hi);
		if (fabs(next - t) <= 4e-16 * t || hi - lo <= 4e-16 * hi)
		{
			t = next;
			break;
		}
		t = next;
	}
	return t;
}
