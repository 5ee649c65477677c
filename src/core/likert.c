/*
 * likert.c - lk_summary validation and storage, lk_acc arithmetic.
 */
#include "likert.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Relative slack for the float inequalities a valid summary satisfies. */
#define LK_SLACK 1e-9

void
lk_summary_init(lk_summary *s, int k)
{
	memset(s, 0, sizeof(*s));
	s->k = k;
}

/*
 * Give every value exactly one representation: -0 becomes 0, and a summary
 * whose weight sums equal its counts is stored unweighted.  Equality and
 * hashing compare bytes, so this must run before every store.
 */
void
lk_summary_canonicalize(lk_summary *s)
{
	bool		plain = true;
	int			i;

	if (!s->weighted)
	{
		/* the common case, once per item of every summary read or built */
		for (i = 0; i < s->k; i++)
			s->w[i] = s->w2[i] = (double) s->n[i];
		for (; i < LK_MAX_K; i++)
		{
			s->n[i] = 0;
			s->w[i] = s->w2[i] = 0.0;
		}
		return;
	}

	for (i = 0; i < LK_MAX_K; i++)
	{
		if (i >= s->k)
		{
			s->n[i] = 0;
			s->w[i] = 0.0;
			s->w2[i] = 0.0;
			continue;
		}
		if (!s->weighted)
		{
			s->w[i] = (double) s->n[i];
			s->w2[i] = (double) s->n[i];
		}
		if (s->w[i] == 0.0)
			s->w[i] = 0.0;		/* turns -0 into +0 */
		if (s->w2[i] == 0.0)
			s->w2[i] = 0.0;
		if (s->w[i] != (double) s->n[i] || s->w2[i] != (double) s->n[i])
			plain = false;
	}
	s->weighted = !plain;
}

int64_t
lk_summary_n(const lk_summary *s)
{
	int64_t		total = 0;
	int			i;

	/* lk_summary_check guarantees this cannot overflow */
	for (i = 0; i < s->k; i++)
		total += s->n[i];
	return total;
}

/*
 * Everything a summary built by sipas satisfies.  Input functions call this
 * so that no hand-made value can carry counts or sums that no data could
 * have produced.
 */
lk_status
lk_summary_check(const lk_summary *s, char *err, size_t errlen)
{
	int64_t		total = 0;
	int			i;

	if (s->k < LK_MIN_K || s->k > LK_MAX_K)
	{
		snprintf(err, errlen, "scale size %d is out of range: a scale has %d to %d levels",
				 s->k, LK_MIN_K, LK_MAX_K);
		return LK_ERR_RANGE;
	}
	for (i = 0; i < s->k; i++)
	{
		double		w = s->w[i],
					w2 = s->w2[i];
		double		n = (double) s->n[i];

		if (s->n[i] < 0)
		{
			snprintf(err, errlen, "count %lld of level %d is negative",
					 (long long) s->n[i], i + 1);
			return LK_ERR_RANGE;
		}
		if (total > INT64_MAX - s->n[i])
		{
			snprintf(err, errlen, "the total count exceeds %lld", (long long) INT64_MAX);
			return LK_ERR_OVERFLOW;
		}
		total += s->n[i];
		if (!s->weighted)
			continue;
		if (!isfinite(w) || !isfinite(w2) || w < 0.0 || w2 < 0.0)
		{
			snprintf(err, errlen, "weight sums of level %d must be finite and not negative (w=%g, w2=%g)",
					 i + 1, w, w2);
			return LK_ERR_RANGE;
		}
		if (s->n[i] == 0 && (w != 0.0 || w2 != 0.0))
		{
			snprintf(err, errlen, "level %d has no answers but non-zero weight sums (w=%g, w2=%g)",
					 i + 1, w, w2);
			return LK_ERR_INCONSISTENT;
		}
		/*
		 * For n non-negative weights, w^2 / n <= w2 <= w^2; written with r =
		 * w2 / w so that huge weights do not overflow.  The lower bound is
		 * not checked where tiny weights may have squared to zero.
		 */
		if (w == 0.0 ? w2 != 0.0 :
			(w2 / w > w * (1.0 + LK_SLACK) ||
			 (w / n > 1e-150 && w > n * (w2 / w) * (1.0 + LK_SLACK))))
		{
			snprintf(err, errlen, "weight sums of level %d cannot come from %lld non-negative weights (w=%g, w2=%g)",
					 i + 1, (long long) s->n[i], w, w2);
			return LK_ERR_INCONSISTENT;
		}
	}
	return LK_OK;
}

/* ---- storage ---- */

size_t
lk_stored_size(const lk_summary *s)
{
	return LK_STORE_HEADER + (size_t) s->k * sizeof(int64_t) +
		(s->weighted ? (size_t) 2 * s->k * sizeof(double) : 0);
}

/* dst must hold lk_stored_size(s) bytes; s must be canonical */
void
lk_store(const lk_summary *s, unsigned char *dst)
{
	uint16_t	flags = s->weighted ? LK_FLAG_WEIGHTED : 0;
	size_t		k = (size_t) s->k;

	dst[0] = LK_STORE_VERSION;
	dst[1] = (unsigned char) s->k;
	memcpy(dst + 2, &flags, sizeof(flags));
	memcpy(dst + LK_STORE_HEADER, s->n, k * sizeof(int64_t));
	if (s->weighted)
	{
		memcpy(dst + LK_STORE_HEADER + k * 8, s->w, k * sizeof(double));
		memcpy(dst + LK_STORE_HEADER + k * 16, s->w2, k * sizeof(double));
	}
}

lk_status
lk_load(const unsigned char *src, size_t len, lk_summary *s, char *err, size_t errlen)
{
	uint16_t	flags;
	int			k;

	if (len < LK_STORE_HEADER)
	{
		snprintf(err, errlen, "stored value has %zu bytes, fewer than the %d-byte header",
				 len, LK_STORE_HEADER);
		return LK_ERR_SYNTAX;
	}
	if (src[0] != LK_STORE_VERSION)
	{
		snprintf(err, errlen, "unknown layout version %d (this build reads version %d)",
				 src[0], LK_STORE_VERSION);
		return LK_ERR_SYNTAX;
	}
	k = src[1];
	memcpy(&flags, src + 2, sizeof(flags));
	if (k < LK_MIN_K || k > LK_MAX_K || (flags & ~LK_FLAG_WEIGHTED) != 0)
	{
		snprintf(err, errlen, "corrupt header (k=%d, flags=0x%x)", k, flags);
		return LK_ERR_SYNTAX;
	}
	lk_summary_init(s, k);
	s->weighted = (flags & LK_FLAG_WEIGHTED) != 0;
	if (len != lk_stored_size(s))
	{
		snprintf(err, errlen, "stored value has %zu bytes, expected %zu", len, lk_stored_size(s));
		return LK_ERR_SYNTAX;
	}
	memcpy(s->n, src + LK_STORE_HEADER, (size_t) k * sizeof(int64_t));
	if (s->weighted)
	{
		memcpy(s->w, src + LK_STORE_HEADER + (size_t) k * 8, (size_t) k * sizeof(double));
		memcpy(s->w2, src + LK_STORE_HEADER + (size_t) k * 16, (size_t) k * sizeof(double));
	}
	else
	{
		int			i;

		for (i = 0; i < k; i++)
			s->w[i] = s->w2[i] = (double) s->n[i];
	}
	return LK_OK;
}

/* ---- the aggregation state ---- */

void
lk_acc_init(lk_acc *a, int k, bool weighted)
{
	memset(a, 0, lk_acc_size(k, weighted));
	a->k = k;
	a->weighted = weighted ? 1 : 0;
}

/* dst has room for a weighted state of src->k levels; src is unweighted */
void
lk_acc_upgrade(lk_acc *dst, const lk_acc *src)
{
	int			i;

	lk_acc_init(dst, src->k, true);
	for (i = 0; i < src->k; i++)
	{
		dst->n[i] = src->n[i];
		lk_acc_w_hi(dst)[i] = (double) src->n[i];
		lk_acc_w2_hi(dst)[i] = (double) src->n[i];
	}
}

lk_status
lk_acc_add_weighted(lk_acc *a, int level, double weight)
{
	int			i = level - 1;

	if (a->n[i] == INT64_MAX)
		return LK_ERR_OVERFLOW;
	a->n[i]++;
	lk_dd_add(&lk_acc_w_hi(a)[i], &lk_acc_w_lo(a)[i], weight);
	lk_dd_add(&lk_acc_w2_hi(a)[i], &lk_acc_w2_lo(a)[i], weight * weight);
	if (!isfinite(lk_acc_w_hi(a)[i]) || !isfinite(lk_acc_w2_hi(a)[i]))
		return LK_ERR_OVERFLOW;
	return LK_OK;
}

void
lk_acc_remove(lk_acc *a, int level)
{
	a->n[level - 1]--;
}

/*
 * Subtract one answer.  An emptied level is reset to exact zeros.  The
 * double-double sums carry about 106 bits relative to the largest value
 * they held, so removing a value that dwarfs what remains (a 1e9 weight
 * leaving a frame of weights near 1) would expose the rounding of the
 * small ones; then return false and let the executor recompute the frame.
 */
#define LK_CANCEL_LIMIT 1048576.0	/* 2^20: keeps 86 bits below the rest */

static bool
dd_sub(double *hi, double *lo, double x)
{
	lk_dd_add(hi, lo, -x);
	return !(x > LK_CANCEL_LIMIT * fabs(*hi + *lo));
}

bool
lk_acc_remove_weighted(lk_acc *a, int level, double weight)
{
	int			i = level - 1;
	bool		ok;

	if (--a->n[i] == 0)
	{
		lk_acc_w_hi(a)[i] = lk_acc_w_lo(a)[i] = 0.0;
		lk_acc_w2_hi(a)[i] = lk_acc_w2_lo(a)[i] = 0.0;
		return true;
	}
	ok = dd_sub(&lk_acc_w_hi(a)[i], &lk_acc_w_lo(a)[i], weight);
	ok &= dd_sub(&lk_acc_w2_hi(a)[i], &lk_acc_w2_lo(a)[i], weight * weight);
	return ok;
}

static bool
add_count(int64_t *dst, int64_t x)
{
	if (x > 0 && *dst > INT64_MAX - x)
		return false;
	*dst += x;
	return true;
}

/* dst must be weighted if src is (callers upgrade first); same k */
lk_status
lk_acc_merge(lk_acc *dst, const lk_acc *src)
{
	int			i;

	for (i = 0; i < dst->k; i++)
	{
		if (!add_count(&dst->n[i], src->n[i]))
			return LK_ERR_OVERFLOW;
		if (!dst->weighted)
			continue;
		if (src->weighted)
		{
			const double *sw = (const double *) (src->n + src->k);

			lk_dd_add(&lk_acc_w_hi(dst)[i], &lk_acc_w_lo(dst)[i], sw[i]);
			lk_acc_w_lo(dst)[i] += sw[i + src->k];
			lk_dd_add(&lk_acc_w2_hi(dst)[i], &lk_acc_w2_lo(dst)[i], sw[i + 2 * src->k]);
			lk_acc_w2_lo(dst)[i] += sw[i + 3 * src->k];
		}
		else
		{
			lk_dd_add(&lk_acc_w_hi(dst)[i], &lk_acc_w_lo(dst)[i], (double) src->n[i]);
			lk_dd_add(&lk_acc_w2_hi(dst)[i], &lk_acc_w2_lo(dst)[i], (double) src->n[i]);
		}
		if (!isfinite(lk_acc_w_hi(dst)[i]) || !isfinite(lk_acc_w2_hi(dst)[i]))
			return LK_ERR_OVERFLOW;
	}
	return LK_OK;
}

/* dst must be weighted if s is; same k */
lk_status
lk_acc_merge_summary(lk_acc *dst, const lk_summary *s)
{
	int			i;

	for (i = 0; i < dst->k; i++)
	{
		if (!add_count(&dst->n[i], s->n[i]))
			return LK_ERR_OVERFLOW;
		if (!dst->weighted)
			continue;
		lk_dd_add(&lk_acc_w_hi(dst)[i], &lk_acc_w_lo(dst)[i], s->w[i]);
		lk_dd_add(&lk_acc_w2_hi(dst)[i], &lk_acc_w2_lo(dst)[i], s->w2[i]);
		if (!isfinite(lk_acc_w_hi(dst)[i]) || !isfinite(lk_acc_w2_hi(dst)[i]))
			return LK_ERR_OVERFLOW;
	}
	return LK_OK;
}

/*
 * Inverse of lk_acc_merge_summary for moving windows.  Returns false when
 * the summary was not part of the state (cannot happen for values the
 * executor added before) or when cancellation would cost precision (see
 * lk_acc_remove_weighted), so that the caller can ask for a restart.
 */
bool
lk_acc_unmerge_summary(lk_acc *dst, const lk_summary *s)
{
	bool		ok = true;
	int			i;

	if (s->weighted && !dst->weighted)
		return false;
	for (i = 0; i < dst->k; i++)
		if (dst->n[i] < s->n[i])
			return false;
	for (i = 0; i < dst->k; i++)
	{
		dst->n[i] -= s->n[i];
		if (!dst->weighted)
			continue;
		if (dst->n[i] == 0)
		{
			lk_acc_w_hi(dst)[i] = lk_acc_w_lo(dst)[i] = 0.0;
			lk_acc_w2_hi(dst)[i] = lk_acc_w2_lo(dst)[i] = 0.0;
			continue;
		}
		ok &= dd_sub(&lk_acc_w_hi(dst)[i], &lk_acc_w_lo(dst)[i], s->w[i]);
		ok &= dd_sub(&lk_acc_w2_hi(dst)[i], &lk_acc_w2_lo(dst)[i], s->w2[i]);
	}
	return ok;
}

/* Round the double-double sums to doubles and canonicalize. */
lk_status
lk_acc_to_summary(const lk_acc *a, lk_summary *s)
{
	int			i;

	lk_summary_init(s, a->k);
	s->weighted = a->weighted != 0;
	for (i = 0; i < a->k; i++)
	{
		s->n[i] = a->n[i];
		if (a->weighted)
		{
			const double *d = (const double *) (a->n + a->k);

			s->w[i] = d[i] + d[i + a->k];
			s->w2[i] = d[i + 2 * a->k] + d[i + 3 * a->k];
			/* cancellation may leave a hair below zero */
			if (s->w[i] < 0.0)
				s->w[i] = 0.0;
			if (s->w2[i] < 0.0)
				s->w2[i] = 0.0;
		}
	}
	lk_summary_canonicalize(s);
	return LK_OK;
}

bool
lk_acc_is_empty(const lk_acc *a)
{
	int			i;

	for (i = 0; i < a->k; i++)
		if (a->n[i] != 0)
			return false;
	return true;
}
