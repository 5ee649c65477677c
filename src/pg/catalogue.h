/*
 * catalogue.h - questionnaires read from the catalogue table sipas.node,
 * cached per call site.
 *
 * A questionnaire's nodes are numbered in questionnaire order: pre-order
 * from the root (index 0), the children of a node by (position, code), as
 * sipas.breakdown lists them.  That order is computed once, when the
 * questionnaire is read, and every caller iterates 0 .. n-1 for it.
 */
#ifndef SIPAS_CATALOGUE_H
#define SIPAS_CATALOGUE_H

#include "sipas_pg.h"

#include "../core/hierarchy.h"

/* limits on what a questionnaire may be (errors name the limit, SQLSTATE 54000) */
#define SIPAS_CAT_MAX_NODES		100000	/* nodes in one questionnaire */
#define SIPAS_CAT_MAX_DEPTH		1000	/* levels below the root (breakdown's level) */

typedef struct sipas_cat_node
{
	char	   *code;
	char	   *kind;
	char	   *name_vi;
	char	   *name_en;		/* NULL when the catalogue has none */
	int			scale;			/* items: levels of the scale; 0 for inner nodes */
} sipas_cat_node;

typedef struct sipas_catalogue
{
	char	   *questionnaire;
	int			n;				/* nodes, at most SIPAS_CAT_MAX_NODES */
	sipas_cat_node *nodes;		/* [n], questionnaire order; the root is 0 */
	hr_node    *tree;			/* [n], same order: parent, is_item, weight, depth */
	hr_node    *work;			/* [n], scratch tree handed out by sipas_catalogue_tree */
	struct codes_hash *by_code;	/* code -> index (catalogue.c's simplehash) */
	MemoryContext cxt;			/* holds all of the above */
	uint64		last_used;		/* for the cache's LRU eviction */
} sipas_catalogue;

/*
 * The questionnaire 'code' as the active snapshot sees sipas.node, from the
 * cache of this call site (flinfo->fn_extra) or read and checked as a tree.
 * Errors (22023) for an unknown or broken questionnaire, 54000 beyond the
 * limits.  The result stays valid until the next call through flinfo.
 */
extern sipas_catalogue *sipas_catalogue_get(FmgrInfo *flinfo, const char *code);

/* index of a node by its code, -1 when the questionnaire has no such node */
extern int	sipas_catalogue_find(const sipas_catalogue *c, const char *code);

/*
 * A fresh copy of the template tree, in the catalogue's scratch space:
 * items without figures (has false, n 0, se NaN), ready to be filled and
 * passed to hr_compute.  Valid until the next call through the same flinfo.
 */
extern hr_node *sipas_catalogue_tree(sipas_catalogue *c);

/* ereport a questionnaire that cannot be used, with the reason as detail */
pg_noreturn extern void sipas_catalogue_error(const char *code, const char *detail);

#endif							/* SIPAS_CATALOGUE_H */
