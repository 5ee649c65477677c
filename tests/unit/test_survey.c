/*
 * test_survey.c - survey summaries built from forms: the forms section's
 * stored and text layouts, its validation, the aggregation state (blocks,
 * merges, removal) and the clustered variance, checked against a
 * brute-force computation over the forms themselves.
 */
#include "unit.h"

#include <stdlib.h>

#include "lk_index.h"
#include "moments.h"
#include "survey.h"

#define T_MAXM	40
#define T_MAXF	5000

typedef struct tform
{
	uint8_t		level[T_MAXM];	/* 0 = no answer */
	double		w;
} tform;

typedef struct scen
{
	int			m;
	int			k[T_MAXM];
	int			nf;
	bool		weighted;
	tform	   *f;
} scen;

static tform forms_buf[T_MAXF];

/*
 * Random forms: item 5 nobody answers, item 7 always satisfied (100 %),
 * item 8 never (0 %), a tenth of the forms skip items 20..29 (a part),
 * 3 % answer nothing, 5 % blanks elsewhere.
 */
static void
make_scen(scen *s, int m, int nf, bool weighted)
{
	int			i,
				j;

	s->m = m;
	s->nf = nf;
	s->weighted = weighted;
	s->f = forms_buf;
	for (j = 0; j < m; j++)
		s->k[j] = j % 6 == 1 ? 2 : j % 6 == 2 ? 3 : j % 6 == 3 ? 7 : 5;
	for (i = 0; i < nf; i++)
	{
		tform	   *f = &s->f[i];
		bool		skip = unit_rand_unit() < 0.1;
		bool		none = unit_rand_unit() < 0.03;
		double		mood = unit_rand_unit();

		/* a few repeated weights, some distinct ones, one zero */
		f->w = !weighted ? 1.0 : (i % 7 == 0 ? 1.5 : i % 11 == 0 ? 0.25 : 0.2 + 3.0 * unit_rand_unit());
		if (weighted && i == 3)
			f->w = 0.0;
		for (j = 0; j < m; j++)
		{
			int			k = s->k[j];

			f->level[j] = 0;
			if (none || j == 5 || (skip && j >= 20 && j < 30) || unit_rand_unit() < 0.05)
				continue;
			if (j == 7)
				f->level[j] = (uint8_t) k;
			else if (j == 8)
				f->level[j] = 1;
			else
			{
				/* correlated within a form: a good mood lifts every answer */
				double		u = 0.6 * mood + 0.4 * unit_rand_unit();

				f->level[j] = (uint8_t) (1 + (int) (u * k));
				if (f->level[j] > k)
					f->level[j] = (uint8_t) k;
			}
		}
	}
}

/* a built summary with its storage */
typedef struct built
{
	sv_summary	s;
	int			orig[T_MAXM];	/* summary item -> scenario item */
	mo_acc		acc;
	void	   *mem;
} built;

/*
 * Build the summary of forms [from, to) the way survey_agg does: slots in
 * order of first sight given by perm (scenario item -> slot).
 */
static void
build_acc(const scen *sc, int from, int to, const int *perm, mo_acc *a, void **mem)
{
	int			i,
				j;

	*mem = malloc(mo_acc_bytes(sc->m, sc->weighted));
	mo_acc_init(a, *mem, sc->m, sc->weighted);
	a->m = sc->m;
	for (i = from; i < to; i++)
	{
		mo_form_begin(a);
		for (j = 0; j < sc->m; j++)
			if (sc->f[i].level[j])
				mo_form_answer(a, perm[j], sc->f[i].level[j] >= lk_satisfied_from(sc->k[j]));
		CHECK(mo_form_end(a, sc->f[i].w) == LK_OK);
	}
}

static void
build_summary(const scen *sc, int from, int to, mo_acc *a, built *b)
{
	int			i,
				j,
				m = 0;

	b->s.items = malloc(sizeof(sv_item) * T_MAXM);
	for (j = 0; j < sc->m; j++)
	{
		lk_summary *l = &b->s.items[m].s;
		bool		any = false;

		lk_summary_init(l, sc->k[j]);
		l->weighted = sc->weighted;
		for (i = from; i < to; i++)
		{
			int			v = sc->f[i].level[j];

			if (!v)
				continue;
			any = true;
			l->n[v - 1]++;
			l->w[v - 1] += sc->f[i].w;
			l->w2[v - 1] += sc->f[i].w * sc->f[i].w;
		}
		if (!any)
			continue;
		lk_summary_canonicalize(l);
		snprintf(b->s.items[m].code, sizeof(b->s.items[m].code), "Q.%02d", j);
		b->orig[m] = j;
		m++;
	}
	b->s.nitems = m;
	b->s.forms = malloc(sv_forms_storage(m));
	(void) a;
}

static int	g_perm[T_MAXM];

static void
finish_summary(built *b, mo_acc *a)
{
	int			slot_of[T_MAXM],
				j;

	for (j = 0; j < b->s.nitems; j++)
		slot_of[j] = g_perm[b->orig[j]];
	mo_to_forms(a, slot_of, b->s.nitems, b->s.forms);
	if (!a->weighted && b->s.forms->n > 0)
	{
		/* the pairs as rows (survey_final's path) store the same bytes */
		size_t		len = sv_stored_size(&b->s);
		unsigned char *x = malloc(len),
				   *y = malloc(sv_stored_bound(&b->s));
		mo_rows		r;

		CHECK_EQ(sv_store(&b->s, x), len);
		mo_rows_init(&r, a, slot_of, b->s.nitems);
		CHECK_EQ(sv_store_rows(&b->s, mo_pair_row, &r, y), len);
		CHECK(memcmp(x, y, len) == 0);
		free(x);
		free(y);
	}
}

static void
free_built(built *b)
{
	free(b->s.items);
	free(b->s.forms);
}

/* brute force: linearised variance over the forms */
static double
brute_var(const scen *sc, int from, int to, const built *b, const double *c, double *est)
{
	long double r[T_MAXM],
				aw[T_MAXM],
				sw2 = 0,
				swz = 0,
				e = 0;
	int			i,
				j,
				n = to - from;

	for (j = 0; j < b->s.nitems; j++)
	{
		long double s = 0,
					a = 0;
		int			o = b->orig[j];

		for (i = from; i < to; i++)
			if (sc->f[i].level[o])
			{
				a += sc->f[i].w;
				if (sc->f[i].level[o] >= lk_satisfied_from(sc->k[o]))
					s += sc->f[i].w;
			}
		aw[j] = a;
		r[j] = s / a;
		e += c[j] * r[j];
	}
	for (i = from; i < to; i++)
	{
		long double z = 0;

		for (j = 0; j < b->s.nitems; j++)
		{
			int			o = b->orig[j],
						v = sc->f[i].level[o];

			if (c[j] == 0 || !v)
				continue;
			z += c[j] * ((v >= lk_satisfied_from(sc->k[o]) ? 1.0L : 0.0L) - r[j]) / aw[j];
		}
		sw2 += (long double) sc->f[i].w * sc->f[i].w * z * z;
		swz += (long double) sc->f[i].w * z;
	}
	*est = (double) e;
	return (double) ((long double) n / (n - 1) * (sw2 - swz * swz / n));
}

static void
brute_comprehensive(const scen *sc, int from, int to, double *share, double *var)
{
	long double wx = 0,
				wy = 0,
				r,
				sw2 = 0;
	int			i,
				j,
				n = to - from;

	for (i = from; i < to; i++)
	{
		int			na = 0,
					ns = 0;

		for (j = 0; j < sc->m; j++)
			if (sc->f[i].level[j])
			{
				na++;
				ns += sc->f[i].level[j] >= lk_satisfied_from(sc->k[j]);
			}
		if (na)
		{
			wx += sc->f[i].w;
			if (ns == na)
				wy += sc->f[i].w;
		}
	}
	r = wy / wx;
	for (i = from; i < to; i++)
	{
		int			na = 0,
					ns = 0;
		long double u;

		for (j = 0; j < sc->m; j++)
			if (sc->f[i].level[j])
			{
				na++;
				ns += sc->f[i].level[j] >= lk_satisfied_from(sc->k[j]);
			}
		u = na ? ((ns == na ? 1.0L : 0.0L) - r) / wx : 0.0L;
		sw2 += (long double) sc->f[i].w * sc->f[i].w * u * u;
	}
	*share = (double) r;
	*var = (double) ((long double) n / (n - 1) * sw2);
}

static unsigned char *
stored(const sv_summary *s, size_t *len)
{
	unsigned char *p;

	*len = sv_stored_size(s);
	CHECK(sv_stored_bound(s) >= *len);
	p = malloc(*len);
	CHECK_EQ(sv_store(s, p), *len);
	return p;
}

/* load an image into fresh storage; LK_OK and the summary, or the status */
static lk_status
load(const unsigned char *img, size_t len, built *out)
{
	char		err[LK_ERRBUF];
	int			n;
	lk_status	st;

	out->s.items = NULL;
	out->s.forms = NULL;
	if ((st = sv_load_count(img, len, &n, err, sizeof(err))) != LK_OK)
		return st;
	out->s.items = malloc(sizeof(sv_item) * (n > 0 ? n : 1));
	out->s.forms = sv_stored_has_forms(img, len) ? malloc(sv_forms_storage(n)) : NULL;
	/* sv_load keeps the room on failure, and sets NULL for a value without forms */
	st = sv_load(img, len, &out->s, err, sizeof(err));
	if (st != LK_OK)
	{
		CHECK(strlen(err) > 0);
		free(out->s.items);
		free(out->s.forms);
		out->s.items = NULL;
		out->s.forms = NULL;
	}
	return st;
}

static bool
same_image(const sv_summary *a, const sv_summary *b)
{
	size_t		la,
				lb;
	unsigned char *pa = stored(a, &la),
			   *pb = stored(b, &lb);
	bool		same = la == lb && memcmp(pa, pb, la) == 0;

	free(pa);
	free(pb);
	return same;
}

static double worst_rel = 0.0;

static void
check_var(const scen *sc, int from, int to, built *b, const double *c, const char *what)
{
	double		est,
				var,
				best,
				bvar;
	sv_var_status st = sv_contrast(&b->s, c, &est, &var);

	if (to - from < 2)
	{
		CHECK(st == SV_VAR_UNDEFINED);
		return;
	}
	if (!CHECK(st == SV_VAR_OK))
	{
		unit_note("%s: status %d", what, st);
		return;
	}
	bvar = brute_var(sc, from, to, b, c, &best);
	CHECK_NEAR(est, best, 1e-13);
	if (bvar > 1e-20)
	{
		double		rel = fabs(var - bvar) / bvar;

		if (rel > worst_rel)
			worst_rel = rel;
		if (!CHECK_NEAR(var, bvar, 1e-10))
			unit_note("%s: n=%d weighted=%d", what, to - from, sc->weighted);
	}
	else
		CHECK_ABS(var, 0.0, 1e-18);
}

static void
test_scenario(int nf, bool weighted)
{
	scen		sc;
	built		b;
	double		c[T_MAXM];
	int			j,
				t;

	make_scen(&sc, 39, nf, weighted);
	/* slots in a scrambled order of first sight */
	for (j = 0; j < sc.m; j++)
		g_perm[j] = j;
	for (j = sc.m - 1; j > 0; j--)
	{
		int			x = (int) unit_rand_range(0, j),
					tmp = g_perm[j];

		g_perm[j] = g_perm[x];
		g_perm[x] = tmp;
	}
	{
		void	   *mem;

		build_acc(&sc, 0, nf, g_perm, &b.acc, &mem);
		b.mem = mem;
	}
	build_summary(&sc, 0, nf, &b.acc, &b);
	finish_summary(&b, &b.acc);
	CHECK(b.s.nitems == 38 || nf < 10);	/* item 5: nobody answered */
	{
		char		err[LK_ERRBUF];

		if (!CHECK(sv_forms_check(&b.s, err, sizeof(err)) == LK_OK))
			unit_note("%s", err);
	}
	CHECK_EQ(b.s.forms->n, nf);
	CHECK(b.s.forms->weighted == weighted);

	/* each item alone, the 0 % and 100 % items included */
	for (j = 0; j < b.s.nitems; j++)
	{
		memset(c, 0, sizeof(c));
		c[j] = 1.0;
		check_var(&sc, 0, nf, &b, c, "item");
	}
	/* a group mean, a part (mean of two group means), overall mean, contrasts */
	for (t = 0; t < 6; t++)
	{
		memset(c, 0, sizeof(c));
		for (j = 0; j < b.s.nitems; j++)
			switch (t)
			{
				case 0:
					c[j] = j < 5 ? 0.2 : 0;
					break;
				case 1:
					c[j] = j < 6 ? 1.0 / 12 : j < 10 ? 1.0 / 8 : 0;
					break;
				case 2:
					c[j] = 1.0 / b.s.nitems;
					break;
				case 3:
					c[j] = unit_rand_unit() - 0.5;
					break;
				case 4:
					c[j] = j == 1 ? 1.0 : j == 2 ? -1.0 : 0.0;
					break;
				default:
					c[j] = j >= 18 && j < 28 ? 0.1 : 0;	/* the skipped part */
					break;
			}
		check_var(&sc, 0, nf, &b, c, "contrast");
	}
	/* the comprehensive index */
	{
		double		sh,
					v,
					bsh,
					bv;

		CHECK(sv_comprehensive(&b.s, &sh, &v) == SV_VAR_OK);
		if (nf >= 2)
		{
			brute_comprehensive(&sc, 0, nf, &bsh, &bv);
			CHECK_NEAR(sh, bsh, 1e-13);
			if (bv > 0)
				CHECK_NEAR(v, bv, 1e-10);
			else
				CHECK_ABS(v, 0.0, 1e-18);
		}
	}

	/* stored image: loads back to the same bytes; text too */
	{
		size_t		len;
		unsigned char *img = stored(&b.s, &len);
		built		back;
		char	   *txt;
		size_t		tsize = sv_text_size(&b.s);
		char		err[LK_ERRBUF];
		int			n;

		CHECK(img[0] == SV_STORE_VERSION_FORMS);
		CHECK(load(img, len, &back) == LK_OK);
		if (back.s.items)
		{
			CHECK(same_image(&back.s, &b.s));
			free_built(&back);
		}
		txt = malloc(tsize);
		sv_format(&b.s, txt, tsize);
		CHECK(strlen(txt) < tsize - 1);
		CHECK_CONTAINS(txt, "\"@forms\":{\"n\":");
		CHECK(sv_text_has_forms(txt));
		CHECK(sv_parse_count(txt, &n, err, sizeof(err)) == LK_OK);
		CHECK_EQ(n, b.s.nitems);
		back.s.items = malloc(sizeof(sv_item) * n);
		back.s.forms = malloc(sv_forms_storage(n));
		if (CHECK(sv_parse(txt, &back.s, err, sizeof(err)) == LK_OK))
			CHECK(same_image(&back.s, &b.s));
		else
			unit_note("%s", err);
		/* without room for the forms section: an error, not a crash */
		{
			sv_forms   *keep = back.s.forms;

			back.s.forms = NULL;
			CHECK(sv_parse(txt, &back.s, err, sizeof(err)) != LK_OK);
			CHECK(back.s.forms == NULL);
			back.s.forms = keep;
		}
		free_built(&back);
		free(txt);

		/* every truncation fails; every one-byte change fails or stays consistent */
		if (nf <= 14)
		{
			size_t		cut,
						pos;

			for (cut = 0; cut < len; cut++)
				CHECK(load(img, cut, &back) != LK_OK);
			for (pos = 0; pos < len; pos++)
			{
				unsigned char *mut = malloc(len);
				int			delta;

				for (delta = 1; delta <= 2; delta++)
				{
					memcpy(mut, img, len);
					mut[pos] = (unsigned char) (mut[pos] + (delta == 1 ? 1 : 0x7f));
					if (load(mut, len, &back) == LK_OK)
					{
						CHECK(sv_forms_check(&back.s, err, sizeof(err)) == LK_OK);
						free_built(&back);
					}
				}
				free(mut);
			}
		}
		free(img);
	}

	/* halves merged = one pass (bit for bit unweighted); rollup of stored halves too */
	if (nf >= 2)
	{
		int			half = nf / 2,
					perm2[T_MAXM],
					map[T_MAXM];
		mo_acc		a1,
					a2,
					a3;
		void	   *m1,
				   *m2,
				   *m3;
		built		h1,
					h2;

		for (j = 0; j < sc.m; j++)
			perm2[j] = sc.m - 1 - j;
		build_acc(&sc, 0, half, g_perm, &a1, &m1);
		build_acc(&sc, half, nf, perm2, &a2, &m2);
		for (j = 0; j < sc.m; j++)
			map[perm2[j]] = g_perm[j];	/* a2's slot -> a1's slot */
		CHECK(mo_merge(&a1, &a2, map) == LK_OK);
		{
			built		mb;

			build_summary(&sc, 0, nf, &a1, &mb);
			finish_summary(&mb, &a1);
			if (weighted)
			{
				double		c1[T_MAXM],
							v1,
							v2;

				for (j = 0; j < mb.s.nitems; j++)
					c1[j] = 1.0 / mb.s.nitems;
				CHECK(sv_contrast(&mb.s, c1, NULL, &v1) == sv_contrast(&b.s, c1, NULL, &v2));
				if (nf > 2)
					CHECK_NEAR(v1, v2, 1e-12);
			}
			else
				CHECK(same_image(&mb.s, &b.s));
			free_built(&mb);
		}

		/* stored halves rolled up through mo_merge_forms */
		{
			void	   *mem3 = malloc(mo_acc_bytes(sc.m, weighted));
			int			map1[T_MAXM];

			mo_acc_init(&a3, mem3, sc.m, weighted);
			a3.m = sc.m;
			m3 = mem3;
			free(m1);
			free(m2);
			build_acc(&sc, 0, half, g_perm, &a1, &m1);
			build_summary(&sc, 0, half, &a1, &h1);
			finish_summary(&h1, &a1);
			build_acc(&sc, half, nf, g_perm, &a2, &m2);
			build_summary(&sc, half, nf, &a2, &h2);
			finish_summary(&h2, &a2);
			for (j = 0; j < h1.s.nitems; j++)
				map1[j] = g_perm[h1.orig[j]];
			CHECK(mo_merge_forms(&a3, h1.s.forms, map1, 1));
			for (j = 0; j < h2.s.nitems; j++)
				map1[j] = g_perm[h2.orig[j]];
			CHECK(mo_merge_forms(&a3, h2.s.forms, map1, 1));
			if (!weighted)
			{
				built		rb;

				build_summary(&sc, 0, nf, &a3, &rb);
				finish_summary(&rb, &a3);
				CHECK(same_image(&rb.s, &b.s));
				/* and back out: removing the second half leaves the first */
				for (j = 0; j < h2.s.nitems; j++)
					map1[j] = g_perm[h2.orig[j]];
				CHECK(mo_merge_forms(&a3, h2.s.forms, map1, -1));
				free_built(&rb);
				build_summary(&sc, 0, half, &a3, &rb);
				finish_summary(&rb, &a3);
				CHECK(same_image(&rb.s, &h1.s));
				/* removing it twice is impossible: refused, state intact */
				CHECK(!mo_merge_forms(&a3, h2.s.forms, map1, -1) || h2.s.forms->n == 0);
				free_built(&rb);
			}
			free_built(&h1);
			free_built(&h2);
			free(m3);
		}
		free(m1);
		free(m2);
	}

	/* moving window: remove the first forms one by one (unweighted: exact) */
	if (!weighted && nf >= 4)
	{
		mo_acc		a;
		void	   *mem;
		int			drop = nf / 3,
					i;
		built		rest,
					rb;

		build_acc(&sc, 0, nf, g_perm, &a, &mem);
		for (i = 0; i < drop; i++)
		{
			mo_form_begin(&a);
			for (j = 0; j < sc.m; j++)
				if (sc.f[i].level[j])
					mo_form_answer(&a, g_perm[j], sc.f[i].level[j] >= lk_satisfied_from(sc.k[j]));
			CHECK(mo_form_remove(&a, 1.0));
		}
		build_summary(&sc, drop, nf, &a, &rb);
		finish_summary(&rb, &a);
		{
			void	   *mem2;
			mo_acc		a2;

			build_acc(&sc, drop, nf, g_perm, &a2, &mem2);
			build_summary(&sc, drop, nf, &a2, &rest);
			finish_summary(&rest, &a2);
			CHECK(same_image(&rb.s, &rest.s));
			free(mem2);
		}
		free_built(&rb);
		free_built(&rest);
		free(mem);
	}
	else if (weighted && nf >= 1)
	{
		mo_acc		a;
		void	   *mem;

		build_acc(&sc, 0, nf, g_perm, &a, &mem);
		mo_form_begin(&a);
		CHECK(!mo_form_remove(&a, 1.0));	/* weighted: recompute */
		free(mem);
	}
	free_built(&b);
	free(b.mem);
}

/* the growth path: copy into bigger storage, and unweighted -> weighted */
static void *
lazy_alloc(void *arg, size_t size)
{
	(*(int *) arg)++;
	return malloc(size);
}

/*
 * A lazy state (matrices allocated when it first becomes dense) gives the
 * forms section of a state with its matrices in place: small (kept blocks
 * only, no allocation), past the kept blocks, and made dense by a flush.
 */
static void
test_lazy(void)
{
	static const int sizes[] = {10, 300, 1100};
	size_t		t;

	for (t = 0; t < sizeof(sizes) / sizeof(sizes[0]); t++)
	{
		scen		sc;
		mo_acc		a,
					b;
		void	   *ma,
				   *mb;
		int			allocs = 0,
					slot_of[T_MAXM],
					i,
					j,
					flush;

		make_scen(&sc, 39, sizes[t], false);
		for (flush = 0; flush <= 1; flush++)
		{
			sv_forms   *fa = malloc(sv_forms_storage(sc.m)),
					   *fb = malloc(sv_forms_storage(sc.m));

			allocs = 0;
			ma = malloc(mo_acc_bytes(sc.m, false));
			mo_acc_init(&a, ma, sc.m, false);
			mb = malloc(mo_acc_bytes_lazy(sc.m, false));
			mo_acc_init_lazy(&b, mb, sc.m, false, lazy_alloc, &allocs);
			a.m = b.m = sc.m;
			for (i = 0; i < sc.nf; i++)
			{
				mo_acc	   *x[2] = {&a, &b};
				int			y;

				if (flush && i == sc.nf / 2)
					mo_flush(&b);
				for (y = 0; y < 2; y++)
				{
					mo_form_begin(x[y]);
					for (j = 0; j < sc.m; j++)
						if (sc.f[i].level[j])
							mo_form_answer(x[y], j, sc.f[i].level[j] >= lk_satisfied_from(sc.k[j]));
					CHECK(mo_form_end(x[y], 1.0) == LK_OK);
				}
			}
			CHECK_EQ(allocs, (flush || sc.nf > MO_BLOCK * MO_KEEP) ? 1 : 0);
			CHECK((b.naa == NULL) == (allocs == 0));
			for (j = 0; j < sc.m; j++)
				slot_of[j] = j;
			mo_to_forms(&a, slot_of, sc.m, fa);
			mo_to_forms(&b, slot_of, sc.m, fb);
			CHECK(memcmp(fa->pair, fb->pair, (size_t) 4 * sv_npairs(sc.m) * sizeof(sv_moment)) == 0);
			CHECK_EQ(fa->n, fb->n);
			CHECK_EQ(fa->all_sat, fb->all_sat);
			free(fa);
			free(fb);
			free(b.naa);
			free(ma);
			free(mb);
		}
	}
}

static void
test_copy(void)
{
	scen		sc;
	built		b,
				c2;
	void	   *mem,
			   *mem2;
	mo_acc		a,
				big;
	int			j;

	make_scen(&sc, 12, 100, false);
	for (j = 0; j < sc.m; j++)
		g_perm[j] = j;
	build_acc(&sc, 0, 100, g_perm, &a, &mem);
	build_summary(&sc, 0, 100, &a, &b);
	finish_summary(&b, &a);
	mem2 = malloc(mo_acc_bytes(30, false));
	mo_acc_init(&big, mem2, 30, false);
	mo_acc_copy(&big, &a);
	build_summary(&sc, 0, 100, &big, &c2);
	finish_summary(&c2, &big);
	CHECK(same_image(&b.s, &c2.s));
	free_built(&c2);
	free(mem2);
	/* weighted copy of weight-1 forms reads back as the unweighted summary */
	mem2 = malloc(mo_acc_bytes(30, true));
	mo_acc_init(&big, mem2, 30, true);
	mo_acc_copy(&big, &a);
	build_summary(&sc, 0, 100, &big, &c2);
	finish_summary(&c2, &big);
	CHECK(!c2.s.forms->weighted);
	CHECK(same_image(&b.s, &c2.s));
	free_built(&c2);
	free(mem2);
	free_built(&b);
	free(mem);
}

/* hand-made inconsistent sections are refused */
static void
test_reject(void)
{
	scen		sc;
	built		b;
	void	   *mem;
	char		err[LK_ERRBUF];
	int			j;

	make_scen(&sc, 6, 30, false);
	for (j = 0; j < sc.m; j++)
		g_perm[j] = j;
	build_acc(&sc, 0, 30, g_perm, &b.acc, &mem);
	build_summary(&sc, 0, 30, &b.acc, &b);
	finish_summary(&b, &b.acc);
	CHECK(sv_forms_check(&b.s, err, sizeof(err)) == LK_OK);
	b.s.forms->pair[SV_SS].n += 1000;	/* more satisfied pairs than answers */
	CHECK(sv_forms_check(&b.s, err, sizeof(err)) == LK_ERR_INCONSISTENT);
	CHECK_CONTAINS(err, "impossible");
	b.s.forms->pair[SV_SS].n -= 1000;
	{
		int64_t		ans = b.s.forms->answering;

		b.s.forms->answering = b.s.forms->n + 1;
		CHECK(sv_forms_check(&b.s, err, sizeof(err)) == LK_ERR_INCONSISTENT);
		b.s.forms->answering = ans;
	}
	b.s.forms->n = 0;
	CHECK(sv_forms_check(&b.s, err, sizeof(err)) == LK_ERR_INCONSISTENT);
	b.s.forms->n = 30;
	CHECK(sv_forms_check(&b.s, err, sizeof(err)) == LK_OK);
	/* text: a wrong number of moments */
	{
		CHECK(sv_parse_count("{\"a\":{\"k\":2,\"n\":[1,1]},\"b\":{\"k\":2,\"n\":[1,1]},"
							 "\"@forms\":{\"n\":2,\"answering\":2,\"all_sat\":0,"
							 "\"aa\":[2,2],\"sa\":[1],\"as\":[1],\"ss\":[0]}}", &j, err, sizeof(err)) != LK_OK);
		CHECK(sv_parse_count("{\"a\":{\"k\":2,\"n\":[1,1]},\"b\":{\"k\":2,\"n\":[1,1]},"
							 "\"@forms\":{\"n\":2,\"answering\":2,\"all_sat\":1,"
							 "\"aa\":[2],\"sa\":[1],\"as\":[1],\"ss\":[1]}}", &j, err, sizeof(err)) == LK_OK);
	}
	/* the text limit is flagged as a limit */
	{
		size_t		cap = 1100 * 40 + 16,
					pos = 0;
		char	   *big = malloc(cap);
		bool		too_many = false;
		int			i;

		pos += snprintf(big + pos, cap - pos, "{");
		for (i = 0; i < 1001; i++)
			pos += snprintf(big + pos, cap - pos, "%s\"i%05d\":{\"k\":2,\"n\":[1,1]}", i ? "," : "", i);
		snprintf(big + pos, cap - pos, "}");
		CHECK(sv_parse_count_limit(big, &j, &too_many, err, sizeof(err)) == LK_ERR_RANGE);
		CHECK(too_many);
		free(big);
	}
	free_built(&b);
	free(mem);
}

/* stored sizes for the 39 items of questionnaire 2023 */
static void
test_sizes(void)
{
	static const int ns[] = {14, 420, 5000};
	int			t,
				w;

	for (w = 0; w < 2; w++)
		for (t = 0; t < 3; t++)
		{
			scen		sc;
			built		b;
			void	   *mem;
			size_t		len;
			unsigned char *img;
			int			j;

			make_scen(&sc, 39, ns[t], w);
			for (j = 0; j < 39; j++)
				g_perm[j] = j;
			build_acc(&sc, 0, ns[t], g_perm, &b.acc, &mem);
			build_summary(&sc, 0, ns[t], &b.acc, &b);
			finish_summary(&b, &b.acc);
			img = stored(&b.s, &len);
			unit_note("summary of 39 items (38 answered), %d forms, %s: %zu bytes", ns[t],
					  w ? "weighted" : "unweighted", len);
			if (!w)
				CHECK(len <= 8192);
			free(img);
			free_built(&b);
			free(mem);
		}
}

void
test_survey(void)
{
	static const int sizes[] = {1, 2, 3, 14, 64, 65, 200, 1000, 1100};
	size_t		i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
	{
		test_scenario(sizes[i], false);
		test_scenario(sizes[i], true);
	}
	test_copy();
	test_lazy();
	test_reject();
	test_sizes();
	unit_note("worst relative difference of the variance against brute force: %.3g", worst_rel);
}
