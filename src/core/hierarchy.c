/*
 * hierarchy.c - bottom-up means over a questionnaire's tree.
 */
#include "hierarchy.h"

#include <math.h>
#include <stdlib.h>

static int
depth_of(const hr_node *nodes, int n, int i)
{
	int			d = 0;

	while (nodes[i].parent >= 0)
	{
		i = nodes[i].parent;
		if (i >= n || ++d > n)
			return -1;			/* out of range, or a cycle */
	}
	return d;
}

static double
child_weight(const hr_node *c, hr_rule rule)
{
	double		w = rule == HR_MEAN ? 1.0 : rule == HR_WEIGHTED ? c->weight : (double) c->items;

	return w > 0.0 ? w : 0.0;
}

bool
hr_compute(hr_node *nodes, int n, hr_rule rule)
{
	int			maxdepth = 0,
				d,
				i;

	for (i = 0; i < n; i++)
	{
		if (nodes[i].parent >= n || nodes[i].parent < -1)
			return false;
		if ((nodes[i].depth = depth_of(nodes, n, i)) < 0)
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
	/* item counts from the catalogue, for HR_ITEMS and for reporting */
	for (i = 0; i < n; i++)
		if (nodes[i].is_item)
		{
			int			p;

			nodes[i].items = 1;
			for (p = nodes[i].parent; p >= 0; p = nodes[p].parent)
				nodes[p].items++;
		}

	/* deepest first, so children are final before their parent */
	for (d = maxdepth; d >= 0; d--)
	{
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
				w = child_weight(&nodes[c], rule);
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
	}
	return true;
}

void
hr_coefficients(hr_node *nodes, int n, hr_rule rule)
{
	int			maxdepth = 0,
				d,
				i;

	for (i = 0; i < n; i++)
	{
		nodes[i].coef = 0.0;
		if (nodes[i].depth > maxdepth)
			maxdepth = nodes[i].depth;
		if (nodes[i].parent < 0 && nodes[i].has)
			nodes[i].coef = 1.0;
	}
	/* parents first: a child's weight is its share of its parent's mean */
	for (d = 1; d <= maxdepth; d++)
		for (i = 0; i < n; i++)
		{
			const hr_node *p;

			if (nodes[i].depth != d || !nodes[i].has)
				continue;
			p = &nodes[nodes[i].parent];
			if (p->wsum > 0.0)
				nodes[i].coef = p->coef * child_weight(&nodes[i], rule) / p->wsum;
		}
}
