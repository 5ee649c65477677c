/*
 * test_hierarchy.c - hierarchy.c on random trees: hr_compute against the
 * straightforward O(n^2) formulation it replaced (bit for bit), the
 * coefficients of every node against the computed figures (value of a node
 * == sum of coef * item value), the pre-order, overflowing counts, cycles,
 * and trees too deep for any recursion.
 *
 * (test_ranking.c has a static test_hierarchy of its own, the small
 * hand-made tree; it is file-local, so the names do not clash.)
 */
#include "unit.h"

#include <stdlib.h>

#include "hierarchy.h"

/* ---- the reference: the former implementation, O(n * depth * n) ---- */

static int
ref_depth_of(const hr_node *nodes, int n, int i)
{
	int			d = 0;

	while (nodes[i].parent >= 0)
	{
		i = nodes[i].parent;
		if (i >= n || ++d > n)
			return -1;
	}
	return d;
}

static double
ref_child_weight(const hr_node *c, hr_rule rule)
{
	double		w = rule == HR_MEAN ? 1.0 : rule == HR_WEIGHTED ? c->weight : (double) c->items;

	return w > 0.0 ? w : 0.0;
}

static bool
ref_compute(hr_node *nodes, int n, hr_rule rule)
{
	int			maxdepth = 0,
				d,
				i;

	for (i = 0; i < n; i++)
	{
		if (nodes[i].parent >= n || nodes[i].parent < -1)
			return false;
		if ((nodes[i].depth = ref_depth_of(nodes, n, i)) < 0)
			return false;
		if (nodes[i].depth > maxdepth)
			maxdepth = nodes[i].depth;
		if (!nodes[i].is_item)
		{
			nodes[i].has = false;
			nodes[i].n = 0;
			nodes[i].items = 0;
		}
	}
	for (i = 0; i < n; i++)
		if (nodes[i].is_item)
		{
			int			p;

			nodes[i].items = 1;
			for (p = nodes[i].parent; p >= 0; p = nodes[p].parent)
				nodes[p].items++;
		}
	for (d = maxdepth; d >= 0; d--)
		for (i = 0; i < n; i++)
		{
			double		wsum = 0.0,
						vsum = 0.0,
						sesum = 0.0;
			bool		se_known = true;
			int			c;

			if (nodes[i].depth != d || nodes[i].is_item)
				continue;
			for (c = 0; c < n; c++)
			{
				double		w;

				if (nodes[c].parent != i)
					continue;
				nodes[i].n += nodes[c].n;
				if (!nodes[c].has)
					continue;
				w = ref_child_weight(&nodes[c], rule);
				if (w == 0.0)
					continue;
				wsum += w;
				vsum += w * nodes[c].value;
				if (isnan(nodes[c].se))
					se_known = false;
				else
					sesum += w * nodes[c].se;
			}
			nodes[i].wsum = wsum;
			if (wsum > 0.0)
			{
				nodes[i].has = true;
				nodes[i].value = vsum / wsum;
				nodes[i].se = se_known ? sesum / wsum : NAN;
			}
		}
	return true;
}

/* ---- random trees ---- */

/*
 * A random tree of n nodes whose indices are shuffled (parents may come
 * after their children); leaves are items, some without answers, with the
 * odd inner node left without children.  Returns the root's index.
 */
static int
random_tree(hr_node *t, int n, int shape)
{
	int		   *perm = malloc(n * sizeof(int));
	int		   *par = malloc(n * sizeof(int));
	bool	   *leaf = malloc(n * sizeof(bool));
	int			i,
				root;

	for (i = 0; i < n; i++)
		perm[i] = i;
	for (i = n - 1; i > 0; i--)
	{
		int			j = (int) unit_rand_range(0, i);
		int			x = perm[i];

		perm[i] = perm[j];
		perm[j] = x;
	}
	/* labels 0..n-1 in creation order: label 0 the root, a parent before its child */
	for (i = 0; i < n; i++)
	{
		leaf[i] = true;
		if (i == 0)
			par[i] = -1;
		else if (shape == 0)
			par[i] = (int) unit_rand_range(0, i - 1);	/* bushy */
		else if (shape == 1)
			par[i] = (int) unit_rand_range(i > 8 ? i - 8 : 0, i - 1);	/* deep */
		else
			par[i] = (int) unit_rand_range(0, i < 4 ? i - 1 : 3);	/* wide */
		if (i > 0)
			leaf[par[i]] = false;
	}
	memset(t, 0, n * sizeof(hr_node));
	for (i = 0; i < n; i++)
	{
		hr_node    *x = &t[perm[i]];

		x->parent = par[i] < 0 ? -1 : perm[par[i]];
		x->weight = unit_rand_range(0, 9) == 0 ? 0.0 : (double) unit_rand_range(1, 5) / 2.0;
		x->is_item = leaf[i] && unit_rand_range(0, 9) != 0;
		x->se = NAN;
		if (x->is_item && unit_rand_range(0, 5) != 0)
		{
			x->has = true;
			x->value = unit_rand_unit();
			x->se = unit_rand_range(0, 19) == 0 ? NAN : 0.1 * unit_rand_unit();
			x->n = unit_rand_range(1, 1000);
		}
	}
	root = perm[0];
	free(perm);
	free(par);
	free(leaf);
	return root;
}

static bool
same_node(const hr_node *a, const hr_node *b)
{
	if (a->has != b->has || a->n != b->n || a->items != b->items || a->depth != b->depth)
		return false;
	if (a->is_item)
		return true;
	if (!unit_same_double(a->wsum, b->wsum))
		return false;
	return !a->has || (unit_same_double(a->value, b->value) && unit_same_double(a->se, b->se));
}

/* hr_compute == the reference, bit for bit, on random trees of every shape */
static void
test_against_reference(void)
{
	int			round,
				mismatches = 0,
				trees = 0;

	for (round = 0; round < 600; round++)
	{
		int			n = (int) unit_rand_range(1, round < 300 ? 40 : 400);
		hr_rule		rule = (hr_rule) (round % 3);
		hr_node    *a = malloc(n * sizeof(hr_node));
		hr_node    *b = malloc(n * sizeof(hr_node));
		int			i;

		random_tree(a, n, round % 4 == 3 ? 0 : round % 3);
		memcpy(b, a, n * sizeof(hr_node));
		if (!CHECK(hr_compute(a, n, rule)) || !CHECK(ref_compute(b, n, rule)))
			unit_note("round %d, n %d", round, n);
		for (i = 0; i < n; i++)
			if (!same_node(&a[i], &b[i]))
			{
				if (mismatches++ < 5)
					unit_note("round %d rule %d node %d: has %d/%d value %.17g/%.17g n %lld/%lld",
							  round, (int) rule, i, a[i].has, b[i].has, a[i].value, b[i].value,
							  (long long) a[i].n, (long long) b[i].n);
			}
		for (i = 0; i < n; i++)
			if (a[i].n_overflow)
				mismatches++;
		trees++;
		free(a);
		free(b);
	}
	CHECK_EQ(mismatches, 0);
	CHECK_EQ(trees, 600);
}

/* sum of coef * value over the items below v (coef 0 elsewhere) */
static double
items_sum(const hr_node *t, int n)
{
	double		s = 0.0;
	int			i;

	for (i = 0; i < n; i++)
		if (t[i].is_item)
			s += t[i].coef * t[i].value;
	return s;
}

static bool
below(const hr_node *t, int i, int v)
{
	for (; i >= 0; i = t[i].parent)
		if (i == v)
			return true;
	return false;
}

/* value of every node == sum over its items of coef * item value, every rule */
static void
test_node_coefficients(void)
{
	int			round,
				bad_value = 0,
				bad_outside = 0,
				bad_root = 0,
				checked = 0;

	for (round = 0; round < 400; round++)
	{
		int			n = (int) unit_rand_range(1, 120);
		hr_rule		rule = (hr_rule) (round % 3);
		hr_node    *t = malloc(n * sizeof(hr_node));
		double	   *root_coef = malloc(n * sizeof(double));
		int			root = random_tree(t, n, round % 3),
					v,
					i;

		CHECK(hr_compute(t, n, rule));
		hr_coefficients(t, n, rule);
		for (i = 0; i < n; i++)
			root_coef[i] = t[i].coef;
		for (v = 0; v < n; v++)
		{
			double		coefsum = 0.0;

			CHECK(hr_node_coefficients(t, n, rule, v));
			for (i = 0; i < n; i++)
			{
				if (t[i].coef != 0.0 && (!below(t, i, v) || !t[i].has))
					bad_outside++;
				if (t[i].is_item)
					coefsum += t[i].coef;
			}
			if (!t[v].has)
			{
				if (coefsum != 0.0)
					bad_value++;
				continue;
			}
			checked++;
			/* a weighted mean: coefficients of the items sum to 1 */
			if (fabs(items_sum(t, n) - t[v].value) > 1e-12 || fabs(coefsum - 1.0) > 1e-12)
			{
				if (bad_value++ < 5)
					unit_note("round %d rule %d node %d: %.17g vs %.17g (coef sum %.17g)",
							  round, (int) rule, v, items_sum(t, n), t[v].value, coefsum);
			}
			if (v == root)
				for (i = 0; i < n; i++)
					if (!unit_same_double(t[i].coef, root_coef[i]))
						bad_root++;
		}
		free(t);
		free(root_coef);
	}
	CHECK_EQ(bad_value, 0);
	CHECK_EQ(bad_outside, 0);
	CHECK_EQ(bad_root, 0);
	CHECK(checked > 5000);
	if (checked <= 5000)
		unit_note("only %d nodes with a figure checked", checked);
}

/* a small tree by hand: the coefficients of an inner node */
static void
test_coefficients_by_hand(void)
{
	hr_node		t[6];
	int			rule;

	for (rule = HR_MEAN; rule <= HR_ITEMS; rule++)
	{
		double		wa1 = 1,
					wa2 = 1;

		/* root 0 -> A 1 (items 2, 3, 4), item 5 */
		memset(t, 0, sizeof(t));
		t[0] = (hr_node) {.parent = -1, .weight = 1};
		t[1] = (hr_node) {.parent = 0, .weight = 2};
		t[2] = (hr_node) {.parent = 1, .is_item = true, .weight = 3, .has = true, .value = 0.5, .se = 0.1, .n = 4};
		t[3] = (hr_node) {.parent = 1, .is_item = true, .weight = 1, .has = true, .value = 0.9, .se = 0.1, .n = 4};
		t[4] = (hr_node) {.parent = 1, .is_item = true, .weight = 1, .has = false, .se = NAN};
		t[5] = (hr_node) {.parent = 0, .is_item = true, .weight = 1, .has = true, .value = 0.2, .se = 0.1, .n = 4};
		CHECK(hr_compute(t, 6, (hr_rule) rule));
		CHECK(hr_node_coefficients(t, 6, (hr_rule) rule, 1));
		if (rule == HR_WEIGHTED)
			wa1 = 3;
		CHECK_NEAR(t[2].coef, wa1 / (wa1 + wa2), 1e-15);
		CHECK_NEAR(t[3].coef, wa2 / (wa1 + wa2), 1e-15);
		CHECK(t[4].coef == 0.0);
		CHECK(t[5].coef == 0.0);
		CHECK(t[0].coef == 0.0);
		CHECK(t[1].coef == 1.0);
		CHECK_NEAR(t[2].coef * 0.5 + t[3].coef * 0.9, t[1].value, 1e-15);
		/* an item's own coefficient is 1; one without a figure has none */
		CHECK(hr_node_coefficients(t, 6, (hr_rule) rule, 5));
		CHECK(t[5].coef == 1.0 && t[2].coef == 0.0);
		CHECK(hr_node_coefficients(t, 6, (hr_rule) rule, 4));
		CHECK(t[4].coef == 0.0 && t[2].coef == 0.0);
		CHECK(!hr_node_coefficients(t, 6, (hr_rule) rule, 6));
		CHECK(!hr_node_coefficients(t, 6, (hr_rule) rule, -1));
	}
}

/* hr_preorder: parents first, subtrees contiguous, children in index order */
static void
test_preorder(void)
{
	int			round,
				bad = 0;

	for (round = 0; round < 200; round++)
	{
		int			n = (int) unit_rand_range(1, 200);
		hr_node    *t = malloc(n * sizeof(hr_node));
		int		   *order = malloc(n * sizeof(int));
		int		   *pos = malloc(n * sizeof(int));
		int		   *size = calloc(n, sizeof(int));
		int			i;

		random_tree(t, n, round % 3);
		if (!CHECK_EQ(hr_preorder(t, n, order), n))
			continue;
		for (i = 0; i < n; i++)
			pos[order[i]] = i;
		for (i = 0; i < n; i++)
		{
			int			p;

			for (p = i; p >= 0; p = t[p].parent)
				size[p]++;
		}
		for (i = 0; i < n; i++)
		{
			int			v = order[i],
						p = t[v].parent;

			/* the parent comes first, and v's subtree is order[i .. i + size - 1] */
			if (p >= 0 && (pos[p] >= i || i + size[v] > pos[p] + size[p]))
				bad++;
			if (p >= 0 && t[v].depth != t[p].depth + 1)
				bad++;
			/* siblings in index order */
			if (t[v].next_sibling >= 0 && (t[v].next_sibling < v || pos[t[v].next_sibling] != i + size[v]))
				bad++;
		}
		free(t);
		free(order);
		free(pos);
		free(size);
	}
	CHECK_EQ(bad, 0);
}

/* counts that do not fit in int64 are flagged, up to the root */
static void
test_overflow(void)
{
	hr_node		t[5];

	memset(t, 0, sizeof(t));
	t[0] = (hr_node) {.parent = -1};
	t[1] = (hr_node) {.parent = 0};
	t[2] = (hr_node) {.parent = 1, .is_item = true, .has = true, .value = 1, .n = INT64_MAX};
	t[3] = (hr_node) {.parent = 1, .is_item = true, .has = true, .value = 0, .n = 1};
	t[4] = (hr_node) {.parent = 0, .is_item = true, .has = true, .value = 0, .n = 1};
	CHECK(hr_compute(t, 5, HR_MEAN));
	CHECK(t[1].n_overflow);
	CHECK(t[0].n_overflow);
	CHECK(!t[2].n_overflow && !t[4].n_overflow);
	CHECK_NEAR(t[0].value, 0.25, 1e-15);
	/* just below the limit */
	t[2].n = INT64_MAX - 2;
	CHECK(hr_compute(t, 5, HR_MEAN));
	CHECK(!t[1].n_overflow && !t[0].n_overflow);
	CHECK_EQ(t[0].n, INT64_MAX);
	/* an item's count never overflows by itself; the flag is reset */
	t[2].n_overflow = true;
	CHECK(hr_compute(t, 5, HR_MEAN));
	CHECK(!t[2].n_overflow && !t[0].n_overflow);
}

/* broken links: cycles, self-parents, out-of-range parents, no root */
static void
test_broken(void)
{
	hr_node		t[4];

	memset(t, 0, sizeof(t));
	t[0].parent = 1;
	t[1].parent = 0;
	CHECK(!hr_compute(t, 2, HR_MEAN));
	CHECK_EQ(hr_preorder(t, 2, NULL), 0);

	memset(t, 0, sizeof(t));
	t[0].parent = -1;
	t[1].parent = 0;
	t[2].parent = 3;			/* 2 and 3 on a cycle beside a sound root */
	t[3].parent = 2;
	CHECK(!hr_compute(t, 4, HR_MEAN));
	CHECK_EQ(hr_preorder(t, 4, NULL), 2);

	memset(t, 0, sizeof(t));
	t[0].parent = -1;
	t[1].parent = 1;			/* its own parent */
	CHECK(!hr_compute(t, 2, HR_MEAN));

	memset(t, 0, sizeof(t));
	t[0].parent = -1;
	t[1].parent = 2;			/* out of range */
	CHECK(!hr_compute(t, 2, HR_MEAN));
	CHECK_EQ(hr_preorder(t, 2, NULL), -1);
	t[1].parent = -2;
	CHECK(!hr_compute(t, 2, HR_MEAN));

	CHECK(hr_compute(t, 0, HR_MEAN));	/* the empty forest */
}

/*
 * A chain of a million nodes (a recursive walk would need a deep stack) and
 * a million items under one root: linear, so both finish at once.
 */
static void
test_large(void)
{
	int			n = 1000000,
				i;
	hr_node    *t = calloc(n, sizeof(hr_node));

	for (i = 0; i < n; i++)
	{
		t[i].parent = i - 1;
		t[i].weight = 1;
		t[i].se = NAN;
	}
	t[n - 1].is_item = true;
	t[n - 1].has = true;
	t[n - 1].value = 0.75;
	t[n - 1].se = 0.01;
	t[n - 1].n = 7;
	CHECK(hr_compute(t, n, HR_ITEMS));
	CHECK_DEQ(t[0].value, 0.75);
	CHECK_EQ(t[0].n, 7);
	CHECK_EQ(t[n - 1].depth, n - 1);
	CHECK(hr_node_coefficients(t, n, HR_ITEMS, 10));
	CHECK_DEQ(t[n - 1].coef, 1.0);
	CHECK_EQ(hr_preorder(t, n, NULL), n);

	/* reversed: every parent after its child */
	for (i = 0; i < n; i++)
		t[i].parent = i == n - 1 ? -1 : i + 1;
	t[n - 1].is_item = false;
	t[0].is_item = true;
	t[0].has = true;
	t[0].value = 0.5;
	t[0].n = 3;
	CHECK(hr_compute(t, n, HR_MEAN));
	CHECK_DEQ(t[n - 1].value, 0.5);
	CHECK_EQ(t[0].depth, n - 1);

	/* flat */
	for (i = 0; i < n; i++)
	{
		t[i].parent = i == 0 ? -1 : 0;
		t[i].is_item = i > 0;
		t[i].has = i > 0;
		t[i].value = (i % 2) ? 1.0 : 0.0;
		t[i].n = 1;
		t[i].se = 0.0;
	}
	CHECK(hr_compute(t, n, HR_MEAN));
	CHECK_NEAR(t[0].value, 500000.0 / 999999.0, 1e-12);
	CHECK_EQ(t[0].n, n - 1);
	CHECK_EQ(t[0].items, n - 1);
	free(t);
}

void
test_hierarchy(void)
{
	test_against_reference();
	test_node_coefficients();
	test_coefficients_by_hand();
	test_preorder();
	test_overflow();
	test_broken();
	test_large();
}
