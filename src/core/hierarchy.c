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
				w = rule == HR_MEAN ? 1.0 : rule == HR_WEIGHTED ? nodes[c].weight : (double) nodes[c].items;
				if (!(w > 0.0))
					continue;
				wsum += w;
				vsum += w * nodes[c].value;
				if (isnan(nodes[c].se))
					se_known = false;
				else
					sesum += w * nodes[c].se;
			}
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
