/*
 * hierarchy.c - bottom-up means over a questionnaire's tree.
 *
 * The tree is held in parent links; link_children() adds child lists once,
 * and every walk below follows them without recursion or an explicit stack
 * (down by first_child, across by next_sibling, up by parent), so each
 * function is O(n) in time and O(1) in extra memory whatever the shape.
 */
#include "hierarchy.h"

#include <math.h>
#include <stddef.h>

/*
 * Child lists in index order.  Returns false when a parent index is out of
 * range.  Children are pushed in decreasing index order, so that each list
 * ends up increasing: sums over children then run in index order.
 */
static bool
link_children(hr_node *nodes, int n)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		if (nodes[i].parent < -1 || nodes[i].parent >= n)
			return false;
		nodes[i].first_child = -1;
		nodes[i].next_sibling = -1;
	}
	for (i = n - 1; i >= 0; i--)
	{
		int			p = nodes[i].parent;

		if (p >= 0)
		{
			nodes[i].next_sibling = nodes[p].first_child;
			nodes[p].first_child = i;
		}
	}
	return true;
}

/*
 * The node after v in the pre-order of top's subtree, -1 after the last.
 * Sets the depth of the node it moves to.  Nodes reachable from top by
 * child links have parent chains leading back to top, so this terminates
 * even when other nodes form cycles.
 */
static int
preorder_next(hr_node *nodes, int v, int top)
{
	if (nodes[v].first_child >= 0)
	{
		int			c = nodes[v].first_child;

		nodes[c].depth = nodes[v].depth + 1;
		return c;
	}
	while (v != top)
	{
		int			s = nodes[v].next_sibling;

		if (s >= 0)
		{
			nodes[s].depth = nodes[v].depth;
			return s;
		}
		v = nodes[v].parent;
	}
	return -1;
}

int
hr_preorder(hr_node *nodes, int n, int *order)
{
	int			placed = 0,
				r;

	if (!link_children(nodes, n))
		return -1;
	for (r = 0; r < n; r++)
	{
		int			v;

		if (nodes[r].parent != -1)
			continue;
		nodes[r].depth = 0;
		for (v = r; v >= 0; v = preorder_next(nodes, v, r))
		{
			if (order)
				order[placed] = v;
			placed++;
		}
	}
	return placed;
}

static double
child_weight(const hr_node *c, hr_rule rule)
{
	double		w = rule == HR_MEAN ? 1.0 : rule == HR_WEIGHTED ? c->weight : (double) c->items;

	return w > 0.0 ? w : 0.0;
}

/* v's figures from its children's, which are final (post-order) */
static void
finish_node(hr_node *nodes, int v, hr_rule rule)
{
	hr_node    *p = &nodes[v];
	double		wsum = 0.0,
				vsum = 0.0,
				sesum = 0.0;
	bool		se_known = true;
	int			c;

	p->items = p->is_item ? 1 : 0;
	if (!p->is_item)
	{
		p->has = false;
		p->n = 0;
		p->n_overflow = false;
	}
	for (c = p->first_child; c >= 0; c = nodes[c].next_sibling)
	{
		const hr_node *ch = &nodes[c];
		double		w;

		p->items += ch->items;
		if (p->is_item)
			continue;			/* an item's figures are its own */
		if (ch->n_overflow || __builtin_add_overflow(p->n, ch->n, &p->n))
			p->n_overflow = true;
		if (!ch->has)
			continue;
		w = child_weight(ch, rule);
		if (w == 0.0)
			continue;
		wsum += w;
		vsum += w * ch->value;
		if (isnan(ch->se))
			se_known = false;
		else
			sesum += w * ch->se;
	}
	if (p->is_item)
		return;
	p->wsum = wsum;
	if (wsum > 0.0)
	{
		p->has = true;
		p->value = vsum / wsum;
		p->se = se_known ? sesum / wsum : NAN;
	}
	else
	{
		p->value = 0.0;
		p->se = NAN;
	}
}

bool
hr_compute(hr_node *nodes, int n, hr_rule rule)
{
	int			done = 0,
				r;

	if (!link_children(nodes, n))
		return false;
	for (r = 0; r < n; r++)
		if (nodes[r].is_item)
			nodes[r].n_overflow = false;

	/* post-order from each root: every child is final before its parent */
	for (r = 0; r < n; r++)
	{
		int			v = r;

		if (nodes[r].parent != -1)
			continue;
		nodes[r].depth = 0;
		for (;;)
		{
			while (nodes[v].first_child >= 0)
			{
				int			c = nodes[v].first_child;

				nodes[c].depth = nodes[v].depth + 1;
				v = c;
			}
			for (;;)
			{
				finish_node(nodes, v, rule);
				done++;
				if (v == r)
					break;
				if (nodes[v].next_sibling >= 0)
				{
					int			s = nodes[v].next_sibling;

					nodes[s].depth = nodes[v].depth;
					v = s;
					break;		/* descend into the sibling */
				}
				v = nodes[v].parent;
			}
			if (v == r)
				break;
		}
	}
	return done == n;			/* fewer: some nodes are on a cycle */
}

/*
 * coef below top (top's own coef is set), parents before children.  The
 * children of an item are not part of its figure and keep 0.
 */
static void
spread_coefficients(hr_node *nodes, hr_rule rule, int top)
{
	int			v;

	for (v = preorder_next(nodes, top, top); v >= 0; v = preorder_next(nodes, v, top))
	{
		const hr_node *p = &nodes[nodes[v].parent];

		if (nodes[v].has && !p->is_item && p->wsum > 0.0)
			nodes[v].coef = p->coef * child_weight(&nodes[v], rule) / p->wsum;
	}
}

void
hr_coefficients(hr_node *nodes, int n, hr_rule rule)
{
	int			i;

	for (i = 0; i < n; i++)
		nodes[i].coef = 0.0;
	for (i = 0; i < n; i++)
		if (nodes[i].parent < 0 && nodes[i].has)
		{
			nodes[i].coef = 1.0;
			spread_coefficients(nodes, rule, i);
		}
}

bool
hr_node_coefficients(hr_node *nodes, int n, hr_rule rule, int v)
{
	int			i;

	if (v < 0 || v >= n)
		return false;
	for (i = 0; i < n; i++)
		nodes[i].coef = 0.0;
	if (nodes[v].has)
	{
		nodes[v].coef = 1.0;
		spread_coefficients(nodes, rule, v);
	}
	return true;
}
