/*
 * survey_node.h - the questionnaire tree applied to a sipas.survey summary
 * (survey_node.c): every node's index, and for summaries built from forms
 * its clustered standard error (one form = one primary sampling unit,
 * Taylor-linearised, moments.h's sv_contrast under the read-time rule) and
 * its logit interval.  Shared by the accessors (survey_accessors.c), the
 * change tests and province aggregates (survey_reads.c) and rank_range
 * over summaries (rank_window.c).
 */
#ifndef SIPAS_SURVEY_NODE_H
#define SIPAS_SURVEY_NODE_H

#include "catalogue.h"

/* a summary with the tree computed on it */
typedef struct sipas_survey_eval
{
	sipas_catalogue *cat;
	hr_node    *t;				/* [cat->n], the catalogue's scratch tree */
	hr_rule		rule;
	sv_summary	s;
	int		   *sidx;			/* [cat->n]: index in s.items of an item node, else -1 */
} sipas_survey_eval;

/* one node's figures, fractions (0..1) */
typedef struct sipas_node_figure
{
	bool		has;			/* the node has an index */
	double		value;
	bool		forms;			/* the summary has a forms section */
	bool		has_var;		/* forms: the clustered variance exists (2+ forms) */
	double		var;			/* forms: clustered variance, fraction^2 */
} sipas_node_figure;

/* the combination rule argument: mean (default), weighted, items (22023 otherwise) */
extern hr_rule sipas_parse_rule(text *rule);

/*
 * Fill a fresh copy of questionnaire q's tree with the summary's items and
 * compute it (every item of the summary must be an item of q, on the same
 * scale: 22023 otherwise).  Valid until the next call through flinfo.
 */
extern void sipas_survey_evaluate(FmgrInfo *flinfo, Datum summary, const char *q, hr_rule rule,
								  bool forms, sipas_survey_eval *e);

/* index of the node 'code' in the questionnaire (22023 when unknown); NULL code: the root */
extern int	sipas_survey_node(const sipas_survey_eval *e, const char *code);

/* node j's index and, from a forms section, its clustered variance */
extern void sipas_node_figure_of(sipas_survey_eval *e, int j, sipas_node_figure *f);

/* all in one: evaluate, find the node (NULL: overall), its figure */
extern void sipas_node_figure_get(FmgrInfo *flinfo, Datum summary, const char *node, const char *q,
								  hr_rule rule, sipas_node_figure *f);

/*
 * The interval of node j of a summary of forms at normal quantile zq: the
 * logit interval on the clustered standard error; where it does not exist
 * (index 0 or 1, zero variance) the coefficient-weighted mean of the
 * Wilson intervals of the node's items.  False when neither exists.
 * f is sipas_node_figure_of(e, j) (its coefficients are still in e->t).
 */
extern bool sipas_node_interval(sipas_survey_eval *e, int j, const sipas_node_figure *f,
								double confidence, double zq, double *lower, double *upper);

/*
 * 22023 for a summary built from answer rows where a clustered figure is
 * needed: 'what' names the function; the hint says to build forms.
 */
pg_noreturn extern void sipas_needs_forms_error(const char *what);

#endif							/* SIPAS_SURVEY_NODE_H */
