/*
 * likert.h - the answer histogram of one question, in plain C.
 *
 * No PostgreSQL headers here: this is the math that the fmgr wrappers in
 * src/pg/ call, and that tests/unit/ exercises on its own.
 *
 * Two shapes of the same histogram:
 *
 *  - lk_summary: a fixed-size, fully expanded value (counts, weight sums and
 *    sums of squared weights per level).  Accessors, validation and the text
 *    and binary formats work on it.
 *
 *  - lk_acc: the aggregation state.  Variable size (only k levels, and the
 *    weight arrays only when weights were seen) so that GROUP BY over many
 *    groups stays small; weight sums are kept as double-double (hi + lo) so
 *    that moving windows can subtract without drift and parallel plans give
 *    the same figures as serial ones.
 */
#ifndef SIPAS_LIKERT_H
#define SIPAS_LIKERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LK_MIN_K		2
#define LK_MAX_K		10
#define LK_DEFAULT_K	5

/* Status codes shared by the pure-C layer; the wrappers map them to SQLSTATEs. */
typedef enum lk_status
{
	LK_OK = 0,
	LK_ERR_SYNTAX,				/* malformed text or bytes */
	LK_ERR_RANGE,				/* a number outside its allowed range */
	LK_ERR_INCONSISTENT,		/* numbers that cannot belong together */
	LK_ERR_OVERFLOW				/* a count or sum that would overflow */
} lk_status;

#define LK_ERRBUF 256

typedef struct lk_summary
{
	int			k;				/* number of levels, LK_MIN_K..LK_MAX_K */
	bool		weighted;		/* false: w[i] == w2[i] == n[i] (canonical) */
	int64_t		n[LK_MAX_K];	/* answers per level */
	double		w[LK_MAX_K];	/* sum of weights per level */
	double		w2[LK_MAX_K];	/* sum of squared weights per level */
} lk_summary;

/* ---- lk_summary: construction, validation, storage ---- */

extern void lk_summary_init(lk_summary *s, int k);
extern void lk_summary_canonicalize(lk_summary *s);
extern lk_status lk_summary_check(const lk_summary *s, char *err, size_t errlen);
extern int64_t lk_summary_n(const lk_summary *s);

/*
 * Stored layout, version 1 (native byte order, like every PostgreSQL type):
 *   uint8 version, uint8 k, uint16 flags,
 *   int64 n[k], and if (flags & LK_FLAG_WEIGHTED): float8 w[k], float8 w2[k].
 * Behind the 4-byte varlena header the arrays are 8-byte aligned.  Readers
 * copy with memcpy, so alignment is a nicety, not a requirement.  Unweighted
 * values omit the weight arrays: 44 bytes of payload for 5 levels.
 */
#define LK_STORE_VERSION	1
#define LK_FLAG_WEIGHTED	0x0001
#define LK_STORE_HEADER		4

extern size_t lk_stored_size(const lk_summary *s);
extern void lk_store(const lk_summary *s, unsigned char *dst);
extern lk_status lk_load(const unsigned char *src, size_t len, lk_summary *s,
						 char *err, size_t errlen);

/* ---- lk_acc: the aggregation state ---- */

typedef struct lk_acc
{
	int32_t		k;
	int32_t		weighted;		/* weight arrays follow the counts */
	int64_t		n[];			/* k counts, then 4*k doubles if weighted */
} lk_acc;

/* double-double arrays of a weighted state: w_hi, w_lo, w2_hi, w2_lo */
static inline double *
lk_acc_w_hi(lk_acc *a)
{
	return (double *) (a->n + a->k);
}
static inline double *
lk_acc_w_lo(lk_acc *a)
{
	return lk_acc_w_hi(a) + a->k;
}
static inline double *
lk_acc_w2_hi(lk_acc *a)
{
	return lk_acc_w_hi(a) + 2 * a->k;
}
static inline double *
lk_acc_w2_lo(lk_acc *a)
{
	return lk_acc_w_hi(a) + 3 * a->k;
}

static inline size_t
lk_acc_size(int k, bool weighted)
{
	return sizeof(lk_acc) + (size_t) k * sizeof(int64_t) +
		(weighted ? (size_t) 4 * k * sizeof(double) : 0);
}

extern void lk_acc_init(lk_acc *a, int k, bool weighted);
extern void lk_acc_upgrade(lk_acc *dst, const lk_acc *src);

/* exact sum hi + lo += x (Knuth's two-sum) */
static inline void
lk_dd_add(double *hi, double *lo, double x)
{
	double		s = *hi + x;
	double		bp = s - *hi;
	double		err = (*hi - (s - bp)) + (x - bp);

	*hi = s;
	*lo += err;
}

/* add or remove one answer; level is 1-based and already range-checked */
static inline lk_status
lk_acc_add(lk_acc *a, int level)
{
	if (a->n[level - 1] == INT64_MAX)
		return LK_ERR_OVERFLOW;
	a->n[level - 1]++;
	return LK_OK;
}

extern lk_status lk_acc_add_weighted(lk_acc *a, int level, double weight);
extern void lk_acc_remove(lk_acc *a, int level);
extern bool lk_acc_remove_weighted(lk_acc *a, int level, double weight);

extern lk_status lk_acc_merge(lk_acc *dst, const lk_acc *src);
extern lk_status lk_acc_merge_summary(lk_acc *dst, const lk_summary *s);
extern bool lk_acc_unmerge_summary(lk_acc *dst, const lk_summary *s);
extern lk_status lk_acc_to_summary(const lk_acc *a, lk_summary *s);

/*
 * No answer in the accumulator: every count is 0 (an empty level has zero
 * weights).  In a moving window this is a frame whose answers all left.
 */
extern bool lk_acc_is_empty(const lk_acc *a);

#endif							/* SIPAS_LIKERT_H */
