/*
 * hierarchy.h - indices of a questionnaire's tree (items -> groups -> parts
 * -> overall) from the items' figures.  Plain C, no PostgreSQL headers.
 *
 * Each inner node's index is a mean of its children's indices; children
 * without a figure (items with no valid answers, and nodes all of whose
 * items have none) are left out of the mean.  The mean is plain, weighted
 * by the catalogue's node weights, or weighted by the number of items the
 * catalogue puts under each child.
 *
 * Every function here is O(n): the children of each node are linked once
 * (first_child / next_sibling, in index order), and the tree is walked
 * without recursion or a stack, so neither the depth nor the size of a
 * tree can exhaust the C stack, and a chain costs what a flat tree does.
 */
#ifndef SIPAS_HIERARCHY_H
#define SIPAS_HIERARCHY_H

#include <stdbool.h>
#include <stdint.h>

typedef enum hr_rule
{
	HR_MEAN,					/* plain mean of children (default) */
	HR_WEIGHTED,				/* weighted by node weights */
	HR_ITEMS					/* weighted by the number of items under each child */
} hr_rule;

typedef struct hr_node
{
	int			parent;			/* index of the parent, -1 for the root */
	bool		is_item;
	double		weight;			/* catalogue weight (HR_WEIGHTED) */
	/* items: filled by the caller; inner nodes: computed */
	bool		has;			/* the node has a figure */
	double		value;			/* index, fraction 0..1 */
	double		se;				/* items: standard error; inner: upper bound, NaN if unknown */
	int64_t		n;				/* answers under the node */
	bool		n_overflow;		/* computed: n does not fit in int64_t (n is then meaningless) */
	int			items;			/* items under the node (catalogue) */
	int			depth;			/* computed */
	double		wsum;			/* computed: total weight of the children with a figure */
	double		coef;			/* computed by hr_coefficients / hr_node_coefficients */
	int			first_child;	/* computed: first child (lowest index), -1 if none */
	int			next_sibling;	/* computed: next child of the same parent, -1 if none */
} hr_node;

/*
 * Link every node to its children (first_child, next_sibling: children in
 * index order) and list the nodes in pre-order into order[] (n slots): each
 * root (parent -1) in index order, then its children's subtrees in index
 * order.  depth is set for every node placed.  Returns the number of nodes
 * placed: n for a forest, fewer when some nodes are not below a root (a
 * cycle); -1 when a parent index is out of range.  order may be NULL.
 */
extern int	hr_preorder(hr_node *nodes, int n, int *order);

/*
 * Compute every inner node.  Returns false when the parent links do not
 * form a tree (a cycle, or a parent index out of range).
 *
 * The standard error of an inner node is bounded by the weighted mean of its
 * children's: the standard deviation of a weighted mean is at most the
 * weighted mean of the standard deviations whatever the correlation between
 * the items (answers of one respondent are correlated), so intervals built
 * on it are conservative, never too narrow.
 *
 * n of an inner node is the sum of its children's; when that sum does not
 * fit, n_overflow is set (and stays set up to the root) so that callers can
 * refuse to report it.  Children are summed in index order.
 */
extern bool hr_compute(hr_node *nodes, int n, hr_rule rule);

/*
 * After hr_compute: the weight of every node in the root's index, so that
 * root = sum over items of coef * value (every rule is a weighted mean, so
 * the tree is linear in the item figures).  Nodes without a figure get 0.
 * This is what a respondent-level (clustered) variance needs: the index's
 * linearisation is sum_i coef_i (y_ri - p_i a_ri) / n_i per respondent r.
 */
extern void hr_coefficients(hr_node *nodes, int n, hr_rule rule);

/*
 * After hr_compute: the same for any node v (not only a root): coef of
 * every node below v (v included, coef 1) is its weight in v's index, so
 * that, when v has a figure,
 *
 *     value(v) = sum over the items j below v of coef_j * value_j
 *
 * (and the same holds for any set of nodes that cuts every path from v to
 * its items).  Nodes outside v's subtree, and nodes without a figure, get 0;
 * if v has no figure every coef is 0.  Returns false when v is out of range.
 */
extern bool hr_node_coefficients(hr_node *nodes, int n, hr_rule rule, int v);

#endif							/* SIPAS_HIERARCHY_H */
