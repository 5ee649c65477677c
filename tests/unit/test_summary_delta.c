/*
 * test_summary_delta.c - sd_lk_subtract, sd_sv_subtract: a - b equals the
 * summary of the rows of a not in b, byte for byte, whenever it says exact;
 * weighted sums and parts that are not parts say not exact.
 */
#include "unit.h"

#include <stdlib.h>

#include "moments.h"
#include "summary_delta.h"

#define NI 6					/* items I0..I5 */
#define NF 120					/* forms */

static const char *codes[NI] = {"I0", "I1", "I2", "I3", "I4", "I5"};

/* forms[f][j]: score 1..5 of item j, 0 = not answered */
static int	forms[NF][NI];

static uint64_t rng = 12345;

static int
rnd(int n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (int) ((rng >> 33) % (uint64_t) n);
}

/*
 * The summary of the forms f with in[f] set: histograms of the answered
 * items, and with_forms a forms section built by the aggregate's own
 * state (mo_acc).  Memory is malloc'd; free with free_summary.
 */
static void
build(const bool *in, bool with_forms, sv_summary *s)
{
	int			slot[NI];
	int			m = 0,
				j,
				f;
	void	   *mem;
	mo_acc		acc;

	s->items = calloc(NI, sizeof(sv_item));
	for (j = 0; j < NI; j++)
	{
		lk_summary	h;
		bool		any = false;

		lk_summary_init(&h, 5);
		for (f = 0; f < NF; f++)
			if (in[f] && forms[f][j])
			{
				h.n[forms[f][j] - 1]++;
				any = true;
			}
		slot[j] = -1;
		if (!any)
			continue;
		lk_summary_canonicalize(&h);
		strcpy(s->items[m].code, codes[j]);
		s->items[m].s = h;
		slot[j] = m++;
	}
	s->nitems = m;
	s->forms = NULL;
	if (!with_forms)
		return;
	mem = malloc(mo_acc_bytes(NI, false));
	mo_acc_init(&acc, mem, NI, false);
	acc.m = m;
	for (f = 0; f < NF; f++)
	{
		if (!in[f])
			continue;
		mo_form_begin(&acc);
		for (j = 0; j < NI; j++)
			if (forms[f][j])
				mo_form_answer(&acc, slot[j], forms[f][j] >= 4);
		mo_form_end(&acc, 1.0);
	}
	{
		int			slot_of[NI];

		for (j = 0; j < m; j++)
			slot_of[j] = j;
		s->forms = malloc(sv_forms_storage(m > 0 ? m : 1));
		mo_to_forms(&acc, slot_of, m, s->forms);
	}
	free(mem);
}

static void
free_summary(sv_summary *s)
{
	free(s->items);
	free(s->forms);
}

static bool
same_bytes(const sv_summary *a, const sv_summary *b)
{
	size_t		la = sv_stored_size(a),
				lb = sv_stored_size(b);
	unsigned char *x,
			   *y;
	bool		eq;

	if (la != lb)
		return false;
	x = malloc(la);
	y = malloc(lb);
	sv_store(a, x);
	sv_store(b, y);
	eq = memcmp(x, y, la) == 0;
	free(x);
	free(y);
	return eq;
}

static void
test_lk(void)
{
	lk_summary	a,
				b,
				r;

	lk_summary_init(&a, 5);
	lk_summary_init(&b, 5);
	a.n[0] = 3;
	a.n[4] = 7;
	b.n[4] = 2;
	lk_summary_canonicalize(&a);
	lk_summary_canonicalize(&b);
	CHECK(sd_lk_subtract(&a, &b, &r));
	CHECK_EQ(r.n[0], 3);
	CHECK_EQ(r.n[4], 5);
	CHECK(!r.weighted);
	/* more answers than a has */
	b.n[0] = 4;
	lk_summary_canonicalize(&b);
	CHECK(!sd_lk_subtract(&a, &b, &r));
	/* another scale */
	lk_summary_init(&b, 4);
	CHECK(!sd_lk_subtract(&a, &b, &r));
	/* weighted b from an unweighted a */
	lk_summary_init(&b, 5);
	b.weighted = true;
	b.n[4] = 1;
	b.w[4] = 2.0;
	b.w2[4] = 4.0;
	CHECK(!sd_lk_subtract(&a, &b, &r));
	/* weighted a: a level that keeps answers cannot lose weight exactly ... */
	a.weighted = true;
	a.w[0] = 0.3 + 0.6;			/* rounded */
	a.w2[0] = 0.27;
	a.w[4] = 10.5;
	a.w2[4] = 20.25;
	lk_summary_init(&b, 5);
	b.weighted = true;
	b.n[4] = 2;
	b.w[4] = 3.0;
	b.w2[4] = 5.0;
	CHECK(!sd_lk_subtract(&a, &b, &r));
	/* ... but a level whose answers all leave has zero sums, and the rest is kept */
	b.n[4] = 7;
	b.w[4] = 10.5;
	b.w2[4] = 20.25;
	CHECK(sd_lk_subtract(&a, &b, &r));
	CHECK_EQ(r.n[4], 0);
	CHECK_DEQ(r.w[4], 0.0);
	CHECK_DEQ(r.w2[4], 0.0);
	CHECK_DEQ(r.w[0], 0.3 + 0.6);
	CHECK(r.weighted);
	/* unweighted answers removed from a weighted level are still weight sums */
	lk_summary_init(&b, 5);
	b.n[0] = 1;
	lk_summary_canonicalize(&b);
	CHECK(!sd_lk_subtract(&a, &b, &r));
}

/* random subsets: (all) - (subset) == summary of the rest, with and without forms */
static void
test_random(void)
{
	int			round;

	for (round = 0; round < 200; round++)
	{
		bool		all[NF],
					part[NF],
					rest[NF];
		int			f,
					j,
					wf;

		for (f = 0; f < NF; f++)
		{
			for (j = 0; j < NI; j++)
				/* item I5 is rare: some subsets remove all its answers */
				forms[f][j] = (rnd(j == 5 ? 40 : 5) == 0) ? 0 : (j == 5 ? 0 : 1 + rnd(5));
			if (rnd(30) == 0)
				forms[f][5] = 1 + rnd(5);
			if (rnd(25) == 0)
				memset(forms[f], 0, sizeof(forms[f]));	/* a form that answered nothing */
			all[f] = true;
			part[f] = rnd(round % 4 == 0 ? 1 : 3) == 0;
			rest[f] = !part[f];
		}
		for (wf = 0; wf < 2; wf++)
		{
			sv_summary	a,
						b,
						want,
						got;
			bool		exact;
			sv_forms   *fbuf;		/* got.forms may be set to NULL */

			build(all, wf, &a);
			build(part, wf, &b);
			build(rest, wf, &want);
			got.items = calloc(a.nitems > 0 ? a.nitems : 1, sizeof(sv_item));
			got.forms = fbuf = a.forms ? malloc(sv_forms_storage(a.nitems > 0 ? a.nitems : 1)) : NULL;
			exact = sd_sv_subtract(&a, &b, &got);
			if (!CHECK(exact))
				unit_note("round %d forms %d", round, wf);
			else if (want.forms && want.forms->n == 0)
			{
				/* no form left: survey_agg returns NULL, so does the subtraction */
				CHECK_EQ(got.nitems, 0);
				CHECK(got.forms == NULL);
			}
			else if (!CHECK(same_bytes(&got, &want)))
				unit_note("round %d forms %d: %d items, want %d", round, wf, got.nitems, want.nitems);
			/* b - a is never exact when a has rows b lacks */
			if (b.nitems < a.nitems || (a.forms && b.forms && b.forms->n < a.forms->n))
			{
				sv_summary	back;
				sv_forms   *bbuf;

				back.items = calloc(b.nitems > 0 ? b.nitems : 1, sizeof(sv_item));
				back.forms = b.forms ? malloc(sv_forms_storage(b.nitems > 0 ? b.nitems : 1)) : NULL;
				bbuf = back.forms;
				CHECK(!sd_sv_subtract(&b, &a, &back));
				free(back.items);
				free(bbuf);
			}
			free(got.items);
			free(fbuf);
			free_summary(&a);
			free_summary(&b);
			free_summary(&want);
		}
	}
}

static void
test_mixed(void)
{
	bool		all[NF];
	sv_summary	a,
				b,
				got;
	sv_forms   *fbuf;
	int			f,
				j;

	for (f = 0; f < NF; f++)
	{
		for (j = 0; j < NI; j++)
			forms[f][j] = 1 + (f + j) % 5;
		all[f] = true;
	}
	build(all, true, &a);
	build(all, false, &b);
	got.items = calloc(NI, sizeof(sv_item));
	got.forms = fbuf = malloc(sv_forms_storage(NI));
	/* a forms section on one side only */
	CHECK(!sd_sv_subtract(&a, &b, &got));
	CHECK(!sd_sv_subtract(&b, &a, &got));
	/* a weighted forms section */
	a.forms->weighted = true;
	CHECK(!sd_sv_subtract(&a, &a, &got));
	a.forms->weighted = false;
	/* a - a: nothing left */
	CHECK(sd_sv_subtract(&a, &a, &got));
	CHECK_EQ(got.nitems, 0);
	CHECK(got.forms == NULL);
	free(got.items);
	free(fbuf);
	free_summary(&a);
	free_summary(&b);
}

void
test_summary_delta(void)
{
	test_lk();
	test_random();
	test_mixed();
}
