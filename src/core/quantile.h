/*
 * quantile.h - upper-tail quantiles of the normal and Student t
 * distributions (src/core/quantile.c).  Plain C, no PostgreSQL headers.
 */
#ifndef SIPAS_QUANTILE_H
#define SIPAS_QUANTILE_H

/*
 * P(Z > z) = a and P(T_df > t) = a, for 0 < a < 1 and integer df >= 1
 * (df = infinity gives the normal quantile); NaN outside that domain.
 */
extern double lk_qnorm_upper(double a);
extern double lk_qt_upper(double a, double df);

#endif							/* SIPAS_QUANTILE_H */
