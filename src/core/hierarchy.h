/*
 * hierarchy.h - indices of a questionnaire's tree (items -> groups -> parts
 * -> overall) from the items' figures.  Plain C, no PostgreSQL headers.
 *
 * Each inner node's index is a mean of its children's indices; children
 * without a figure (items with no valid answers, and nodes all of whose
 * items have none) are left out of the mean.  The mean is plain, weighted
 * by the catalogue's node weights, or weighted by the number of items the
 * catalogue puts under each child.
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
	int			items;			/* items under the node (catalogue) */
	int			depth;			/* computed */
	double		wsum;			/* computed: total weight of the children with a figure */
	double		coef;			/* computed by hr_coefficients */
} hr_node;

/*
 * Compute every inner node.  Returns false when the parent links do not
 * form a tree (a cycle, or a parent index out of range).
 *
 * The standard error of an inner node is bounded by the weighted mean of its
 * children's: the standard deviation of a weighted mean is at most the
 * weighted mean of the standard deviations whatever the correlation between
 * the items (answers of one respondent are correlated), so intervals built
 * on it are conservative, never too narrow.
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

#endif							/* SIPAS_HIERARCHY_H */
