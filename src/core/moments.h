/*
 * moments.h - respondent-level moments of survey summaries built from forms:
 * the aggregation state of survey_agg(form [, weight]) (mo_acc), and the
 * clustered variance of any linear combination of item shares read off a
 * summary's forms section (sv_contrast).  Plain C, no PostgreSQL headers.
 *
 * The design: one form = one primary sampling unit, design weight w_i per
 * form, Taylor linearisation - the figures of R survey's
 * svydesign(ids = ~1, weights = ~w) over one row per form, svytotal of every
 * item's satisfied and answered indicators and svycontrast of the
 * expression.  See doc/methodology.md.
 */
#ifndef SIPAS_MOMENTS_H
#define SIPAS_MOMENTS_H

#include "survey.h"

/* ------------------------------------------------------------------------
 * Reading: the clustered variance of sum_j c_j r_j
 * ------------------------------------------------------------------------ */

typedef enum sv_var_status
{
	SV_VAR_OK = 0,
	SV_VAR_NO_FORMS,			/* the summary was built from answer rows */
	SV_VAR_UNDEFINED			/* fewer than 2 forms, or a c_j != 0 on an item
								 * with zero answered weight */
} sv_var_status;

/*
 * sv_contrast - estimate and clustered variance of
 *     T = sum_j c[j] * r_j,   r_j = S_j / A_j
 * where S_j and A_j are the weighted satisfied and answered totals of item
 * j (s->items[j], the satisfied band of lk_satisfied_from) and r_j a fraction
 * (0..1).  c has s->nitems entries in s->items order; c[j] == 0 leaves item
 * j out.  Any node index under any combination rule is such a T with
 * coefficients known at read time (items nobody answered are not in the
 * summary: the caller renormalises their group's coefficients).
 *
 *   u_ij = (s_ij - r_j a_ij) / A_j,   z_i = sum_j c_j u_ij,
 *   var  = n/(n-1) * sum_i w_i^2 z_i^2          (sum_i w_i z_i = 0)
 *
 * with n the number of forms of the summary (all of them, also those that
 * answered none of the items).  *var is in fraction^2: the standard error in
 * points is 100 * sqrt(*var).  Either output pointer may be NULL.
 */
extern sv_var_status sv_contrast(const sv_summary *s, const double *c, double *estimate, double *var);

/*
 * sv_comprehensive - the respondent-level "comprehensive" index: the share
 * of answering forms (at least one answer) satisfied with every item they
 * answered, as a fraction, and its clustered variance (ratio estimator,
 * linearised as above).  SV_VAR_UNDEFINED when no form answered; *var is
 * NAN (the share still set) when there is a single form.
 */
extern sv_var_status sv_comprehensive(const sv_summary *s, double *share, double *var);

/* ------------------------------------------------------------------------
 * Building: the aggregation state
 * ------------------------------------------------------------------------
 *
 * Items are numbered by slots 0..m-1 in order of first sight (the caller
 * maps codes to slots).  One allocation of mo_acc_bytes(cap, weighted)
 * bytes holds everything; mo_acc_init places the arrays.  When more slots
 * are needed, or weights appear, allocate a bigger one and mo_acc_copy.
 *
 * Unweighted forms are collected in blocks of 64: per slot, one bit per
 * form of the block says answered (acol) and satisfied (scol); blocks are
 * folded into the pair counts with AND + popcount, about 47 operations per
 * form for 39 items.  The first MO_KEEP full blocks are only kept: a small
 * group (up to MO_KEEP * 64 forms) never touches the cap x cap matrices -
 * mo_to_forms folds its blocks straight into the output - and the matrices
 * are zeroed and filled ("dense") only when a group grows past that or the
 * state is merged, copied, serialized or has a form removed (mo_flush).  Weighted forms update the pair sums of w^2 one
 * form at a time, as double-double (hi + lo) like lk_acc, so that moving
 * windows, merges and parallel plans lose nothing worth speaking of.
 */

#define MO_BLOCK 64
#define MO_KEEP 16

typedef struct mo_acc
{
	int			cap;			/* slots the arrays hold */
	int			m;				/* slots in use (set by the caller) */
	bool		weighted;
	bool		dense;			/* the matrices hold every folded block
								 * (always, weighted) */
	int			nblock;			/* unweighted: forms in the pending block */
	int			nkept;			/* unweighted, not dense: full blocks kept */
	int64_t		n,
				answering,
				all_sat;
	double		sum_hi[6],
				sum_lo[6];		/* w, w2, answering_w, answering_w2, all_sat_w, all_sat_w2 */
	/* the form being read */
	int			cur_na,
				cur_ns;
	int32_t    *cur_slot;		/* cap */
	uint8_t    *cur_sat;		/* cap */
	int32_t    *act;			/* cap: scratch for the flush */
	uint64_t   *acol,
			   *scol;			/* cap each: the pending block */
	uint64_t   *kept;			/* unweighted: MO_KEEP blocks of 2 * cap
								 * words (acol, then scol) */
	/* cap x cap matrices, row-major: aa and ss use [j][k] with j < k, sa uses
	 * every [j][k], j != k (s_j a_k) */
	int64_t    *naa,
			   *nsa,
			   *nss;			/* unweighted */
	double	   *waa,
			   *wsa,
			   *wss;			/* weighted: hi parts, then lo parts at + cap*cap */
	/* lazy unweighted states: who gives the matrices (mo_acc_init_lazy) */
	void	   *(*alloc) (void *arg, size_t size);
	void	   *alloc_arg;
} mo_acc;

extern size_t mo_acc_bytes(int cap, bool weighted);
extern void mo_acc_init(mo_acc *a, void *mem, int cap, bool weighted);

/*
 * The same without the unweighted matrices in mem (mo_acc_bytes_lazy
 * bytes): alloc(alloc_arg, size) gives them (3 cap^2 int64) the first time
 * the state becomes dense; a->naa is that allocation (NULL until then), for
 * the caller to free with the state.
 * Weighted states are not lazy (their matrices are used from the first
 * form on).
 */
extern size_t mo_acc_bytes_lazy(int cap, bool weighted);
extern void mo_acc_init_lazy(mo_acc *a, void *mem, int cap, bool weighted,
							 void *(*alloc) (void *arg, size_t size), void *alloc_arg);
/* dst was initialised with dst->cap >= src->m and dst->weighted >= src->weighted */
extern void mo_acc_copy(mo_acc *dst, const mo_acc *src);

static inline void
mo_form_begin(mo_acc *a)
{
	a->cur_na = 0;
	a->cur_ns = 0;
}

/* one answer of the current form; slot < a->m, each slot at most once */
static inline void
mo_form_answer(mo_acc *a, int slot, bool satisfied)
{
	a->cur_slot[a->cur_na] = slot;
	a->cur_sat[a->cur_na] = satisfied;
	a->cur_na++;
	a->cur_ns += satisfied;
}

/* add the current form with weight w (1 when unweighted); LK_ERR_OVERFLOW at 2^63 forms */
extern lk_status mo_form_end(mo_acc *a, double w);

/*
 * The unweighted fast path instead of mo_form_answer + mo_form_end: set
 * the bits of the form's n answers (slots < a->m, each at most once;
 * sat[x] 0 or 1) in the pending block, then mo_form_end_bits with the
 * form's numbers of answers and satisfied answers.  The form is not
 * recorded for removal.
 */
static inline void
mo_form_bits(mo_acc *a, const int32_t *restrict slot, const uint8_t *restrict sat, int n)
{
	uint64_t	bit = (uint64_t) 1 << a->nblock;
	uint64_t   *restrict acol = a->acol;
	uint64_t   *restrict scol = a->scol;
	int			x;

	for (x = 0; x < n; x++)
	{
		acol[slot[x]] |= bit;
		scol[slot[x]] |= bit & (0 - (uint64_t) sat[x]);
	}
}

extern void mo_block_done(mo_acc *a);

static inline lk_status
mo_form_end_bits(mo_acc *a, int na, int ns)
{
	if (a->n == INT64_MAX)
		return LK_ERR_OVERFLOW;
	a->n++;
	a->answering += na > 0;
	a->all_sat += na > 0 && ns == na;
	if (++a->nblock == MO_BLOCK)
		mo_block_done(a);
	return LK_OK;
}

/* remove the current form instead (moving windows): false when it cannot
 * be done exactly (weighted, or a form that was not added): recompute */
extern bool mo_form_remove(mo_acc *a, double w);

/* make the matrices dense and fold the pending block into them (before
 * reading, merging or serializing the matrices) */
extern void mo_flush(mo_acc *a);

/* add src into dst; map[j] is dst's slot of src's slot j (dst->m covers it) */
extern lk_status mo_merge(mo_acc *dst, const mo_acc *src, const int *map);

/* add (sign 1) or remove (sign -1) a stored forms section; map[j] is the
 * slot of the summary's item j.  Removal returns false when not exact. */
extern bool mo_merge_forms(mo_acc *a, const sv_forms *f, const int *map, int sign);

/*
 * The forms section for items in the order given: slot_of[j] is the slot
 * of output item j, m items.  Weighted states whose weights were all 1
 * (sum w = sum w^2 = n) give an unweighted section, like lk_summary.
 * out has sv_forms_storage(m) bytes.
 */
extern void mo_to_forms(mo_acc *a, const int *slot_of, int m, sv_forms *out);

/*
 * The pairs of an unweighted state as rows for sv_store_rows, without an
 * array of all pairs: after mo_rows_init (output order slot_of, m items),
 * mo_pair_row(&r, j, row) gives what mo_to_forms puts in row j.
 * mo_forms_counts fills a section's counts and sums (not its pairs).
 */
typedef struct mo_rows
{
	const mo_acc *a;
	const int  *slot_of;
	int			m;
} mo_rows;

extern void mo_rows_init(mo_rows *r, mo_acc *a, const int *slot_of, int m);
extern void mo_pair_row(void *arg, int j, sv_moment *row);
extern void mo_forms_counts(const mo_acc *a, int m, sv_forms *out);

#endif							/* SIPAS_MOMENTS_H */
