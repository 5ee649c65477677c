/*
 * moments.c - the forms aggregation state and the clustered variance read
 * off a summary's forms section.
 */
#include "moments.h"
#include "lk_index.h"
#include "lk_stats.h"

#include <float.h>
#include <math.h>
#include <string.h>

/* ---- reading ---- */

/* Neumaier's compensated sum: terms of mixed sign, of very different sizes */
typedef struct csum
{
	double		s,
				c;
} csum;

static inline void
csum_add(csum *a, double x)
{
	double		t = a->s + x;

	if (fabs(a->s) >= fabs(x))
		a->c += (a->s - t) + x;
	else
		a->c += (x - t) + a->s;
	a->s = t;
}

/* per item: weighted satisfied / unsatisfied totals and their w^2 sums */
typedef struct item_tot
{
	double		sw,
				uw,				/* sum w over satisfied, unsatisfied answers */
				s2,
				u2;				/* sum w^2 */
} item_tot;

static void
item_totals(const sv_summary *s, int j, item_tot *t)
{
	const lk_summary *l = &s->items[j].s;
	int			from = lk_satisfied_from(l->k);
	int			i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < l->k; i++)
	{
		double		w = l->weighted ? l->w[i] : (double) l->n[i];
		double		w2 = l->weighted ? l->w2[i] : (double) l->n[i];

		if (i + 1 >= from)
		{
			t->sw += w;
			t->s2 += w2;
		}
		else
		{
			t->uw += w;
			t->u2 += w2;
		}
	}
}

sv_var_status
sv_contrast(const sv_summary *s, const double *c, double *estimate, double *var)
{
	const sv_forms *f = s->forms;
	int			m = s->nitems;
	double		r[SV_MAX_ITEMS],
				q[SV_MAX_ITEMS],
				d[SV_MAX_ITEMS];
	int			idx[SV_MAX_ITEMS];
	int			nz = 0,
				x,
				y;
	csum		est = {0, 0},
				acc = {0, 0};

	if (f == NULL)
		return SV_VAR_NO_FORMS;
	for (x = 0; x < m; x++)
	{
		item_tot	t;
		double		a;

		if (c[x] == 0.0)
			continue;
		if (!isfinite(c[x]))
			return SV_VAR_UNDEFINED;
		item_totals(s, x, &t);
		a = t.sw + t.uw;
		if (!(a > 0.0))
			return SV_VAR_UNDEFINED;
		r[x] = t.sw / a;
		q[x] = t.uw / a;		/* 1 - r without cancellation */
		d[x] = c[x] / a;
		csum_add(&est, c[x] * r[x]);
		/* diagonal: satisfied answers contribute (1 - r)^2, unsatisfied r^2 */
		csum_add(&acc, d[x] * d[x] * (q[x] * q[x] * t.s2 + r[x] * r[x] * t.u2));
		idx[nz++] = x;
	}
	if (estimate)
		*estimate = est.s + est.c;
	if (f->n < 2)
		return SV_VAR_UNDEFINED;
	if (var == NULL)
		return SV_VAR_OK;

	/*
	 * Pairs: (s_j - r_j a_j) is q_j on a satisfied answer, -r_j on an
	 * unsatisfied one, 0 without answer; sum over the four answered cells.
	 */
	for (x = 0; x < nz; x++)
		for (y = x + 1; y < nz; y++)
		{
			int			j = idx[x],
						k = idx[y];
			const sv_moment *p = &f->pair[4 * sv_pair(j, k, m)];
			double		css,
						csu,
						cus,
						cuu,
						mjk;

			if (f->weighted)
			{
				css = p[SV_SS].w;
				csu = p[SV_SA].w - p[SV_SS].w;
				cus = p[SV_AS].w - p[SV_SS].w;
				cuu = (p[SV_AA].w - p[SV_SA].w) - (p[SV_AS].w - p[SV_SS].w);
			}
			else
			{
				/* exact in integers */
				css = (double) p[SV_SS].n;
				csu = (double) (p[SV_SA].n - p[SV_SS].n);
				cus = (double) (p[SV_AS].n - p[SV_SS].n);
				cuu = (double) (p[SV_AA].n - p[SV_SA].n - p[SV_AS].n + p[SV_SS].n);
			}
			mjk = q[j] * q[k] * css - q[j] * r[k] * csu - r[j] * q[k] * cus + r[j] * r[k] * cuu;
			csum_add(&acc, 2.0 * d[j] * d[k] * mjk);
		}
	*var = (double) f->n / (double) (f->n - 1) * (acc.s + acc.c);
	if (!isfinite(*var))
		return SV_VAR_UNDEFINED;	/* c / a overflowed: no figure, never inf */
	if (*var < 0.0)
		*var = 0.0;				/* rounding on an exactly zero variance */
	return SV_VAR_OK;
}

sv_var_status
sv_comprehensive(const sv_summary *s, double *share, double *var)
{
	const sv_forms *f = s->forms;
	double		wx,
				wy,
				r,
				q;

	if (f == NULL)
		return SV_VAR_NO_FORMS;
	wx = f->answering_w;
	wy = f->all_sat_w;
	if (f->answering == 0 || !(wx > 0.0))
		return SV_VAR_UNDEFINED;
	/*
	 * The forms check lets all_sat_w exceed answering_w by a relative 1e-9
	 * (rounding of the sums): a share above 1 is that rounding, not data.
	 */
	if (wy > wx)
		wy = wx;
	r = wy / wx;
	q = (wx - wy) / wx;
	if (share)
		*share = r;
	if (var)
	{
		double		y2 = f->all_sat_w2,
					x2 = f->answering_w2;

		if (y2 > x2)
			y2 = x2;
		if (f->n < 2)
			*var = NAN;

		/*
		 * Squared weights that underflowed (as in lk_stats.c's w2_reliable)
		 * would give a standard error of 0: no figure instead.  Divide by wx
		 * twice, since wx * wx can overflow where each term does not.
		 */
		else if (f->weighted && !(x2 >= (double) f->answering * DBL_MIN))
			*var = NAN;
		else
			*var = (double) f->n / (double) (f->n - 1) *
				((q * q * y2 + r * r * (x2 - y2)) / wx / wx);
		if (*var < 0.0)
			*var = 0.0;

		/*
		 * A share strictly between 0 and 1 has a positive variance; 0 there
		 * is underflow of the terms, not a figure.
		 */
		if (*var == 0.0 && r > 0.0 && r < 1.0)
			*var = NAN;
	}
	return SV_VAR_OK;
}

/* ---- building ---- */

#define ALIGN8(x) (((x) + 7) & ~(size_t) 7)

size_t
mo_acc_bytes(int cap, bool weighted)
{
	size_t		c = (size_t) cap;
	size_t		size = ALIGN8(sizeof(mo_acc));

	size += ALIGN8(c * 4) * 2 + ALIGN8(c);	/* cur_slot, act, cur_sat */
	if (weighted)
		size += c * 16 + 3 * 2 * c * c * sizeof(double);	/* a block, matrices */
	else
		size += MO_KEEP * c * 16 + 3 * c * c * sizeof(int64_t);	/* kept blocks, matrices */
	return size;
}

size_t
mo_acc_bytes_lazy(int cap, bool weighted)
{
	size_t		c = (size_t) cap;

	if (weighted)
		return mo_acc_bytes(cap, weighted);
	return mo_acc_bytes(cap, weighted) - 3 * c * c * sizeof(int64_t);
}

void
mo_acc_init_lazy(mo_acc *a, void *mem, int cap, bool weighted, void *(*alloc) (void *arg, size_t size),
				 void *alloc_arg)
{
	mo_acc_init(a, mem, cap, weighted);
	if (!weighted)
	{
		a->naa = a->nsa = a->nss = NULL;
		a->alloc = alloc;
		a->alloc_arg = alloc_arg;
	}
}

/* what mo_acc_init zeroes of an unweighted state: all up to the first block */
static size_t
head_bytes(int cap)
{
	size_t		c = (size_t) cap;

	return ALIGN8(sizeof(mo_acc)) + ALIGN8(c * 4) * 2 + ALIGN8(c) + c * 16;
}

void
mo_acc_init(mo_acc *a, void *mem, int cap, bool weighted)
{
	char	   *p = (char *) mem;
	size_t		c = (size_t) cap;

	/*
	 * The matrices of an unweighted state stay untouched (not even zeroed)
	 * until it becomes dense, and each kept block is zeroed when it becomes
	 * the pending one: small groups never pay for memory they do not use.
	 */
	memset(mem, 0, weighted ? mo_acc_bytes(cap, weighted) : head_bytes(cap));
	/* the struct itself lives at the start of mem when a == mem */
	if ((void *) a != mem)
		memset(a, 0, sizeof(*a));
	p += ALIGN8(sizeof(mo_acc));
	a->cap = cap;
	a->weighted = weighted;
	a->dense = weighted;
	a->cur_slot = (int32_t *) p;
	p += ALIGN8(c * 4);
	a->act = (int32_t *) p;
	p += ALIGN8(c * 4);
	a->cur_sat = (uint8_t *) p;
	p += ALIGN8(c);
	a->kept = (uint64_t *) p;
	a->acol = a->kept;
	a->scol = a->kept + c;
	p += (weighted ? 1 : MO_KEEP) * c * 16;
	if (weighted)
	{
		a->waa = (double *) p;
		p += 2 * c * c * sizeof(double);
		a->wsa = (double *) p;
		p += 2 * c * c * sizeof(double);
		a->wss = (double *) p;
	}
	else
	{
		a->naa = (int64_t *) p;
		p += c * c * sizeof(int64_t);
		a->nsa = (int64_t *) p;
		p += c * c * sizeof(int64_t);
		a->nss = (int64_t *) p;
	}
}

static void densify(mo_acc *a);

static inline void
dd_add(double *hi, double *lo, double x)
{
	double		s = *hi + x;
	double		bp = s - *hi;
	double		err = (*hi - (s - bp)) + (x - bp);

	*hi = s;
	*lo += err;
}

/* weighted matrix element: hi at [i], lo at [i + cap*cap] */
static inline void
wm_add(const mo_acc *a, double *mat, int j, int k, double x)
{
	size_t		i = (size_t) j * a->cap + k;

	dd_add(&mat[i], &mat[i + (size_t) a->cap * a->cap], x);
}

static inline double
wm_get(const mo_acc *a, const double *mat, int j, int k)
{
	size_t		i = (size_t) j * a->cap + k;

	return mat[i] + mat[i + (size_t) a->cap * a->cap];
}

void
mo_acc_copy(mo_acc *dst, const mo_acc *src)
{
	int			j,
				k,
				i;
	bool		sparse;

	/* an unweighted state that is not dense yet grows by its blocks */
	sparse = !src->weighted && !dst->weighted && !src->dense;
	if (sparse)
	{
		size_t		sc = (size_t) src->cap,
					dc = (size_t) dst->cap;
		int			b;

		for (b = 0; b <= src->nkept; b++)	/* the kept blocks, then the pending one */
		{
			uint64_t   *d = dst->kept + b * 2 * dc;
			const uint64_t *s = src->kept + b * 2 * sc;

			memset(d, 0, 2 * dc * sizeof(uint64_t));
			memcpy(d, s, (size_t) src->m * sizeof(uint64_t));
			memcpy(d + dc, s + sc, (size_t) src->m * sizeof(uint64_t));
		}
		dst->nkept = src->nkept;
		dst->nblock = src->nblock;
		dst->acol = dst->kept + dst->nkept * 2 * dc;
		dst->scol = dst->acol + dc;
	}
	else
	{
		mo_flush((mo_acc *) src);
		if (!dst->weighted)
			densify(dst);
	}
	dst->m = src->m;
	/* the form being read survives a growth in the middle of it */
	dst->cur_na = src->cur_na;
	dst->cur_ns = src->cur_ns;
	memcpy(dst->cur_slot, src->cur_slot, (size_t) src->cur_na * sizeof(int32_t));
	memcpy(dst->cur_sat, src->cur_sat, (size_t) src->cur_na);
	dst->n = src->n;
	dst->answering = src->answering;
	dst->all_sat = src->all_sat;
	if (src->weighted)
	{
		memcpy(dst->sum_hi, src->sum_hi, sizeof(dst->sum_hi));
		memcpy(dst->sum_lo, src->sum_lo, sizeof(dst->sum_lo));
	}
	else
	{
		double		v[6] = {(double) src->n, (double) src->n, (double) src->answering,
		(double) src->answering, (double) src->all_sat, (double) src->all_sat};

		for (i = 0; i < 6; i++)
		{
			dst->sum_hi[i] = v[i];
			dst->sum_lo[i] = 0.0;
		}
	}
	if (sparse)
		return;
	for (j = 0; j < src->m; j++)
		for (k = 0; k < src->m; k++)
		{
			size_t		si = (size_t) j * src->cap + k,
						di = (size_t) j * dst->cap + k;
			size_t		sc = (size_t) src->cap * src->cap,
						dc = (size_t) dst->cap * dst->cap;

			if (dst->weighted && src->weighted)
			{
				dst->waa[di] = src->waa[si];
				dst->waa[di + dc] = src->waa[si + sc];
				dst->wsa[di] = src->wsa[si];
				dst->wsa[di + dc] = src->wsa[si + sc];
				dst->wss[di] = src->wss[si];
				dst->wss[di + dc] = src->wss[si + sc];
			}
			else if (dst->weighted)
			{
				dst->waa[di] = (double) src->naa[si];
				dst->wsa[di] = (double) src->nsa[si];
				dst->wss[di] = (double) src->nss[si];
			}
			else
			{
				dst->naa[di] = src->naa[si];
				dst->nsa[di] = src->nsa[si];
				dst->nss[di] = src->nss[si];
			}
		}
}

/* ---- the unweighted blocks: AND + popcount ---- */

static inline int
popcount64(uint64_t x)
{
	return __builtin_popcountll(x);
}

/*
 * Fold one block (acol, scol: a->m words each) into the matrices.  The work
 * is the same for every pair of active slots, so it is written once and
 * compiled twice, with the popcnt instruction where the machine has it (a
 * libgcc call otherwise).
 */
#define FOLD_BODY(POPCNT) \
	do { \
		int			na = 0, \
					x, \
					y; \
		size_t		cap = (size_t) a->cap; \
		for (x = 0; x < a->m; x++) \
			if (acol[x]) \
				a->act[na++] = x; \
		for (x = 0; x < na; x++) \
		{ \
			int			j = a->act[x]; \
			uint64_t	aj = acol[j], \
						sj = scol[j]; \
			int64_t    *raa = a->naa + j * cap, \
					   *rss = a->nss + j * cap, \
					   *rsa = a->nsa + j * cap; \
			for (y = x + 1; y < na; y++) \
			{ \
				int			k = a->act[y]; \
				uint64_t	ak = acol[k], \
							sk = scol[k]; \
				raa[k] += POPCNT(aj & ak); \
				rss[k] += POPCNT(sj & sk); \
				rsa[k] += POPCNT(sj & ak); \
				a->nsa[k * cap + j] += POPCNT(sk & aj); \
			} \
		} \
	} while (0)

static void
fold_generic(mo_acc *a, const uint64_t *acol, const uint64_t *scol)
{
	FOLD_BODY(popcount64);
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
__attribute__((target("popcnt")))
static void
fold_popcnt(mo_acc *a, const uint64_t *acol, const uint64_t *scol)
{
	FOLD_BODY(__builtin_popcountll);
}

static int	have_popcnt = -1;

static bool
use_popcnt(void)
{
	if (have_popcnt < 0)
	{
		__builtin_cpu_init();
		have_popcnt = __builtin_cpu_supports("popcnt") ? 1 : 0;
	}
	return have_popcnt == 1;
}
#else
static bool
use_popcnt(void)
{
	return false;
}
#define fold_popcnt fold_generic
#endif

static void
fold(mo_acc *a, const uint64_t *acol, const uint64_t *scol)
{
	if (use_popcnt())
		fold_popcnt(a, acol, scol);
	else
		fold_generic(a, acol, scol);
}

/* the pending block (acol, scol) is empty again */
static void
clear_pending(mo_acc *a)
{
	memset(a->acol, 0, (size_t) a->m * sizeof(uint64_t));
	memset(a->scol, 0, (size_t) a->m * sizeof(uint64_t));
	a->nblock = 0;
}

/*
 * Zero the matrices and fold the kept full blocks into them; the pending
 * block stays pending (moved to the first kept block's place).
 */
static void
densify(mo_acc *a)
{
	size_t		c = (size_t) a->cap;
	int			b;

	if (a->dense)
		return;
	if (a->naa == NULL)
	{
		/* a lazy state's matrices, allocated when first needed */
		a->naa = a->alloc(a->alloc_arg, 3 * c * c * sizeof(int64_t));
		a->nsa = a->naa + c * c;
		a->nss = a->nsa + c * c;
	}
	memset(a->naa, 0, 3 * c * c * sizeof(int64_t));
	for (b = 0; b < a->nkept; b++)
		fold(a, a->kept + b * 2 * c, a->kept + b * 2 * c + c);
	if (a->nkept > 0)
	{
		memcpy(a->kept, a->acol, c * sizeof(uint64_t));
		memcpy(a->kept + c, a->scol, c * sizeof(uint64_t));
		memset(a->acol, 0, c * sizeof(uint64_t));
		memset(a->scol, 0, c * sizeof(uint64_t));
		a->acol = a->kept;
		a->scol = a->kept + c;
	}
	a->nkept = 0;
	a->dense = true;
}

void
mo_block_done(mo_acc *a)
{
	size_t		c = (size_t) a->cap;

	if (!a->dense && a->nkept + 1 < MO_KEEP)
	{
		/* keep it: the next block of the area is the pending one */
		a->nkept++;
		a->acol = a->kept + a->nkept * 2 * c;
		a->scol = a->acol + c;
		memset(a->acol, 0, 2 * c * sizeof(uint64_t));
		a->nblock = 0;
		return;
	}
	mo_flush(a);
}

void
mo_flush(mo_acc *a)
{
	if (a->weighted)
		return;
	densify(a);
	if (a->nblock == 0)
		return;
	fold(a, a->acol, a->scol);
	clear_pending(a);
}

/*
 * The weight sums must stay finite: dd_add of an infinite term leaves a NaN
 * in the low word, which the output would show as a sum of 0.  Sum of w and
 * of w^2 over all forms bound every other sum (and every pair entry), so
 * checking those two is enough.
 */
static bool
sums_finite(const mo_acc *a)
{
	return isfinite(a->sum_hi[0] + a->sum_lo[0]) && isfinite(a->sum_hi[1] + a->sum_lo[1]);
}

static bool
add_form_sums(mo_acc *a, double w, bool answering, bool all_sat)
{
	double		w2 = w * w;

	if (!isfinite(w2))
		return false;

	dd_add(&a->sum_hi[0], &a->sum_lo[0], w);
	dd_add(&a->sum_hi[1], &a->sum_lo[1], w2);
	if (answering)
	{
		dd_add(&a->sum_hi[2], &a->sum_lo[2], w);
		dd_add(&a->sum_hi[3], &a->sum_lo[3], w2);
	}
	if (all_sat)
	{
		dd_add(&a->sum_hi[4], &a->sum_lo[4], w);
		dd_add(&a->sum_hi[5], &a->sum_lo[5], w2);
	}
	return sums_finite(a);
}

lk_status
mo_form_end(mo_acc *a, double w)
{
	bool		answering = a->cur_na > 0;
	bool		all_sat = answering && a->cur_ns == a->cur_na;
	int			x,
				y;

	if (a->n == INT64_MAX)
		return LK_ERR_OVERFLOW;
	a->n++;
	a->answering += answering;
	a->all_sat += all_sat;
	if (!a->weighted)
	{
		uint64_t	bit = (uint64_t) 1 << a->nblock;

		for (x = 0; x < a->cur_na; x++)
		{
			int			j = a->cur_slot[x];

			a->acol[j] |= bit;
			a->scol[j] |= a->cur_sat[x] ? bit : 0;
		}
		if (++a->nblock == MO_BLOCK)
			mo_block_done(a);
		return LK_OK;
	}
	if (!add_form_sums(a, w, answering, all_sat))
		return LK_ERR_OVERFLOW;
	if (w == 0.0)
		return LK_OK;
	{
		double		w2 = w * w;

		for (x = 0; x < a->cur_na; x++)
		{
			int			j = a->cur_slot[x];
			bool		sj = a->cur_sat[x];

			for (y = x + 1; y < a->cur_na; y++)
			{
				int			k = a->cur_slot[y];
				bool		sk = a->cur_sat[y];
				int			lo = j < k ? j : k,
							hi = j < k ? k : j;

				wm_add(a, a->waa, lo, hi, w2);
				if (sj)
					wm_add(a, a->wsa, j, k, w2);
				if (sk)
					wm_add(a, a->wsa, k, j, w2);
				if (sj && sk)
					wm_add(a, a->wss, lo, hi, w2);
			}
		}
	}
	return LK_OK;
}

bool
mo_form_remove(mo_acc *a, double w)
{
	bool		answering = a->cur_na > 0;
	bool		all_sat = answering && a->cur_ns == a->cur_na;
	int			x,
				y;

	(void) w;					/* weighted removal is never exact enough */
	if (a->weighted)
		return false;
	mo_flush(a);
	if (a->n < 1 || a->answering < answering || a->all_sat < all_sat)
		return false;
	/* check first, then subtract: a failed removal leaves the state intact */
	for (x = 0; x < a->cur_na; x++)
		for (y = x + 1; y < a->cur_na; y++)
		{
			int			j = a->cur_slot[x],
						k = a->cur_slot[y];
			int			lo = j < k ? j : k,
						hi = j < k ? k : j;
			size_t		cap = (size_t) a->cap;

			if (a->naa[lo * cap + hi] < 1 ||
				(a->cur_sat[x] && a->nsa[j * cap + k] < 1) ||
				(a->cur_sat[y] && a->nsa[k * cap + j] < 1) ||
				(a->cur_sat[x] && a->cur_sat[y] && a->nss[lo * cap + hi] < 1))
				return false;
		}
	a->n--;
	a->answering -= answering;
	a->all_sat -= all_sat;
	for (x = 0; x < a->cur_na; x++)
		for (y = x + 1; y < a->cur_na; y++)
		{
			int			j = a->cur_slot[x],
						k = a->cur_slot[y];
			int			lo = j < k ? j : k,
						hi = j < k ? k : j;
			size_t		cap = (size_t) a->cap;

			a->naa[lo * cap + hi]--;
			if (a->cur_sat[x])
				a->nsa[j * cap + k]--;
			if (a->cur_sat[y])
				a->nsa[k * cap + j]--;
			if (a->cur_sat[x] && a->cur_sat[y])
				a->nss[lo * cap + hi]--;
		}
	return true;
}

static bool
add_i64(int64_t *dst, int64_t v)
{
	if (v > 0 && *dst > INT64_MAX - v)
		return false;
	*dst += v;
	return true;
}

lk_status
mo_merge(mo_acc *dst, const mo_acc *src, const int *map)
{
	int			j,
				k,
				i;

	mo_flush(dst);
	mo_flush((mo_acc *) src);
	if (!add_i64(&dst->n, src->n) || !add_i64(&dst->answering, src->answering) ||
		!add_i64(&dst->all_sat, src->all_sat))
		return LK_ERR_OVERFLOW;
	if (dst->weighted)
	{
		for (i = 0; i < 6; i++)
		{
			if (src->weighted)
			{
				dd_add(&dst->sum_hi[i], &dst->sum_lo[i], src->sum_hi[i]);
				dd_add(&dst->sum_hi[i], &dst->sum_lo[i], src->sum_lo[i]);
			}
			else
			{
				int64_t		c = i < 2 ? src->n : i < 4 ? src->answering : src->all_sat;

				dd_add(&dst->sum_hi[i], &dst->sum_lo[i], (double) c);
			}
		}
		if (!sums_finite(dst))
			return LK_ERR_OVERFLOW;
	}
	for (j = 0; j < src->m; j++)
		for (k = 0; k < src->m; k++)
		{
			int			dj = map[j],
						dk = map[k];
			size_t		si = (size_t) j * src->cap + k;
			size_t		sc = (size_t) src->cap * src->cap;
			int			lo = dj < dk ? dj : dk,
						hi = dj < dk ? dk : dj;

			if (j == k)
				continue;
			if (!dst->weighted)
			{
				size_t		cap = (size_t) dst->cap;

				if (j < k && (!add_i64(&dst->naa[lo * cap + hi], src->naa[si]) ||
							  !add_i64(&dst->nss[lo * cap + hi], src->nss[si])))
					return LK_ERR_OVERFLOW;
				if (!add_i64(&dst->nsa[(size_t) dj * cap + dk], src->nsa[si]))
					return LK_ERR_OVERFLOW;
			}
			else if (src->weighted)
			{
				if (j < k)
				{
					wm_add(dst, dst->waa, lo, hi, src->waa[si]);
					wm_add(dst, dst->waa, lo, hi, src->waa[si + sc]);
					wm_add(dst, dst->wss, lo, hi, src->wss[si]);
					wm_add(dst, dst->wss, lo, hi, src->wss[si + sc]);
				}
				wm_add(dst, dst->wsa, dj, dk, src->wsa[si]);
				wm_add(dst, dst->wsa, dj, dk, src->wsa[si + sc]);
			}
			else
			{
				if (j < k)
				{
					wm_add(dst, dst->waa, lo, hi, (double) src->naa[si]);
					wm_add(dst, dst->wss, lo, hi, (double) src->nss[si]);
				}
				wm_add(dst, dst->wsa, dj, dk, (double) src->nsa[si]);
			}
		}
	return LK_OK;
}

bool
mo_merge_forms(mo_acc *a, const sv_forms *f, const int *map, int sign)
{
	int			m = f->m,
				j,
				k;

	mo_flush(a);
	if (sign < 0)
	{
		/* exact only for counts; check everything before changing anything */
		if (a->weighted || f->weighted || a->n < f->n || a->answering < f->answering ||
			a->all_sat < f->all_sat)
			return false;
		for (j = 0; j < m; j++)
			for (k = j + 1; k < m; k++)
			{
				const sv_moment *p = &f->pair[4 * sv_pair(j, k, m)];
				int			dj = map[j],
							dk = map[k];
				int			lo = dj < dk ? dj : dk,
							hi = dj < dk ? dk : dj;
				size_t		cap = (size_t) a->cap;

				if (a->naa[lo * cap + hi] < p[SV_AA].n || a->nss[lo * cap + hi] < p[SV_SS].n ||
					a->nsa[dj * cap + dk] < p[SV_SA].n || a->nsa[dk * cap + dj] < p[SV_AS].n)
					return false;
			}
		a->n -= f->n;
		a->answering -= f->answering;
		a->all_sat -= f->all_sat;
		for (j = 0; j < m; j++)
			for (k = j + 1; k < m; k++)
			{
				const sv_moment *p = &f->pair[4 * sv_pair(j, k, m)];
				int			dj = map[j],
							dk = map[k];
				int			lo = dj < dk ? dj : dk,
							hi = dj < dk ? dk : dj;
				size_t		cap = (size_t) a->cap;

				a->naa[lo * cap + hi] -= p[SV_AA].n;
				a->nss[lo * cap + hi] -= p[SV_SS].n;
				a->nsa[dj * cap + dk] -= p[SV_SA].n;
				a->nsa[dk * cap + dj] -= p[SV_AS].n;
			}
		return true;
	}
	if (!add_i64(&a->n, f->n) || !add_i64(&a->answering, f->answering) || !add_i64(&a->all_sat, f->all_sat))
		return false;
	if (a->weighted)
	{
		double		v[6] = {f->w, f->w2, f->answering_w, f->answering_w2, f->all_sat_w, f->all_sat_w2};
		int			i;

		for (i = 0; i < 6; i++)
			dd_add(&a->sum_hi[i], &a->sum_lo[i], v[i]);
		if (!sums_finite(a))
			return false;
	}
	for (j = 0; j < m; j++)
		for (k = j + 1; k < m; k++)
		{
			const sv_moment *p = &f->pair[4 * sv_pair(j, k, m)];
			int			dj = map[j],
						dk = map[k];
			int			lo = dj < dk ? dj : dk,
						hi = dj < dk ? dk : dj;

			if (a->weighted)
			{
				double		aa = f->weighted ? p[SV_AA].w : (double) p[SV_AA].n;
				double		sa = f->weighted ? p[SV_SA].w : (double) p[SV_SA].n;
				double		as = f->weighted ? p[SV_AS].w : (double) p[SV_AS].n;
				double		ss = f->weighted ? p[SV_SS].w : (double) p[SV_SS].n;

				wm_add(a, a->waa, lo, hi, aa);
				wm_add(a, a->wss, lo, hi, ss);
				wm_add(a, a->wsa, dj, dk, sa);
				wm_add(a, a->wsa, dk, dj, as);
			}
			else
			{
				size_t		cap = (size_t) a->cap;

				if (!add_i64(&a->naa[lo * cap + hi], p[SV_AA].n) || !add_i64(&a->nss[lo * cap + hi], p[SV_SS].n) ||
					!add_i64(&a->nsa[dj * cap + dk], p[SV_SA].n) || !add_i64(&a->nsa[dk * cap + dj], p[SV_AS].n))
					return false;
			}
		}
	return true;
}

static double
nonneg(double x)
{
	return x > 0.0 ? x : 0.0;	/* also turns -0 into +0 */
}

void
mo_to_forms(mo_acc *a, const int *slot_of, int m, sv_forms *out)
{
	int			j,
				k;
	bool		plain;

	if (!a->weighted)
	{
		mo_rows		r;

		mo_forms_counts(a, m, out);
		mo_rows_init(&r, a, slot_of, m);
		for (j = 0; j < m; j++)
			mo_pair_row(&r, j, &out->pair[4 * sv_pair(j, j + 1, m)]);
		return;
	}
	out->m = m;
	out->n = a->n;
	out->answering = a->answering;
	out->all_sat = a->all_sat;
	out->weighted = true;
	out->w = nonneg(a->sum_hi[0] + a->sum_lo[0]);
	out->w2 = nonneg(a->sum_hi[1] + a->sum_lo[1]);
	out->answering_w = nonneg(a->sum_hi[2] + a->sum_lo[2]);
	out->answering_w2 = nonneg(a->sum_hi[3] + a->sum_lo[3]);
	out->all_sat_w = nonneg(a->sum_hi[4] + a->sum_lo[4]);
	out->all_sat_w2 = nonneg(a->sum_hi[5] + a->sum_lo[5]);
	/* every weight 1: sum (w - 1)^2 = w2 - 2 w + n = 0 */
	plain = out->w == (double) a->n && out->w2 == (double) a->n &&
		out->answering_w == (double) a->answering && out->all_sat_w == (double) a->all_sat &&
		a->n < ((int64_t) 1 << 53);
	for (j = 0; j < m; j++)
		for (k = j + 1; k < m; k++)
		{
			sv_moment  *p = &out->pair[4 * sv_pair(j, k, m)];
			int			sj = slot_of[j],
						sk = slot_of[k];
			int			lo = sj < sk ? sj : sk,
						hi = sj < sk ? sk : sj;

			p[SV_AA].w = nonneg(wm_get(a, a->waa, lo, hi));
			p[SV_SS].w = nonneg(wm_get(a, a->wss, lo, hi));
			p[SV_SA].w = nonneg(wm_get(a, a->wsa, sj, sk));
			p[SV_AS].w = nonneg(wm_get(a, a->wsa, sk, sj));
			if (plain)
			{
				int			c;

				for (c = 0; c < 4; c++)
					if (p[c].w != floor(p[c].w))
						plain = false;
			}
		}
	if (plain)
	{
		int64_t		i,
					np = 4 * sv_npairs(m);

		out->weighted = false;
		out->answering_w2 = (double) a->answering;
		out->all_sat_w2 = (double) a->all_sat;
		for (i = 0; i < np; i++)
			out->pair[i].n = (int64_t) out->pair[i].w;
	}
}

/* ---- the pairs as rows (unweighted) ---- */

void
mo_rows_init(mo_rows *r, mo_acc *a, const int *slot_of, int m)
{
	r->a = a;
	r->slot_of = slot_of;
	r->m = m;
	if (a->dense)
		mo_flush(a);
}

/*
 * Not dense: the kept blocks and the pending one, read in place (the state
 * stays as it is), item j's words of each block first.
 */
#define PAIR_ROW_BODY(POPCNT) \
	do { \
		size_t		c = (size_t) a->cap; \
		int			nb = a->nkept + (a->nblock > 0 ? 1 : 0), \
					sj = r->slot_of[j], \
					b, \
					k; \
		uint64_t	aj[MO_KEEP], \
					sjw[MO_KEEP]; \
		const uint64_t *ab[MO_KEEP], \
				   *sb[MO_KEEP]; \
		for (b = 0; b < nb; b++) \
		{ \
			ab[b] = a->kept + b * 2 * c; \
			sb[b] = ab[b] + c; \
			aj[b] = ab[b][sj]; \
			sjw[b] = sb[b][sj]; \
		} \
		for (k = j + 1; k < m; k++, row += 4) \
		{ \
			int			sk = r->slot_of[k]; \
			int64_t		aa = 0, \
						sa = 0, \
						as = 0, \
						ss = 0; \
			for (b = 0; b < nb; b++) \
			{ \
				uint64_t	ak = ab[b][sk], \
							skw = sb[b][sk]; \
				aa += POPCNT(aj[b] & ak); \
				sa += POPCNT(sjw[b] & ak); \
				as += POPCNT(aj[b] & skw); \
				ss += POPCNT(sjw[b] & skw); \
			} \
			row[SV_AA].n = aa; \
			row[SV_SA].n = sa; \
			row[SV_AS].n = as; \
			row[SV_SS].n = ss; \
		} \
	} while (0)

static void
pair_row_generic(const mo_rows *r, const mo_acc *a, int j, int m, sv_moment *row)
{
	PAIR_ROW_BODY(popcount64);
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
__attribute__((target("popcnt")))
static void
pair_row_popcnt(const mo_rows *r, const mo_acc *a, int j, int m, sv_moment *row)
{
	PAIR_ROW_BODY(__builtin_popcountll);
}
#else
#define pair_row_popcnt pair_row_generic
#endif

void
mo_pair_row(void *arg, int j, sv_moment *row)
{
	const mo_rows *r = (const mo_rows *) arg;
	const mo_acc *a = r->a;
	int			m = r->m,
				k;

	if (a->dense)
	{
		size_t		cap = (size_t) a->cap;
		int			sj = r->slot_of[j];

		for (k = j + 1; k < m; k++, row += 4)
		{
			int			sk = r->slot_of[k];
			int			lo = sj < sk ? sj : sk,
						hi = sj < sk ? sk : sj;

			row[SV_AA].n = a->naa[lo * cap + hi];
			row[SV_SS].n = a->nss[lo * cap + hi];
			row[SV_SA].n = a->nsa[sj * cap + sk];
			row[SV_AS].n = a->nsa[sk * cap + sj];
		}
		return;
	}
	if (use_popcnt())
		pair_row_popcnt(r, a, j, m, row);
	else
		pair_row_generic(r, a, j, m, row);
}

void
mo_forms_counts(const mo_acc *a, int m, sv_forms *out)
{
	out->m = m;
	out->n = a->n;
	out->answering = a->answering;
	out->all_sat = a->all_sat;
	out->weighted = false;
	out->w = out->w2 = (double) a->n;
	out->answering_w = out->answering_w2 = (double) a->answering;
	out->all_sat_w = out->all_sat_w2 = (double) a->all_sat;
}
