/*
 * survey_node.c - the questionnaire tree applied to a sipas.survey summary
 * and the figures of one node: index, clustered variance (summaries of
 * forms), interval.  See survey_node.h.
 */
#include "survey_node.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/builtins.h"

#include "../core/contrast.h"
#include "../core/lk_index.h"
#include "../core/moments.h"

static const sipas_option rule_options[] = {
	{"mean", HR_MEAN, "plain mean of children"},
	{"weighted", HR_WEIGHTED, "node weights"},
	{"items", HR_ITEMS, "weighted by number of items"},
	{NULL}
};

hr_rule
sipas_parse_rule(text *rule)
{
	return (hr_rule) sipas_parse_option_text(rule, rule_options, "combination rule", "rules");
}

void
sipas_survey_evaluate(FmgrInfo *flinfo, Datum summary, const char *q, hr_rule rule, bool forms,
					  sipas_survey_eval *e)
{
	sipas_catalogue *c = sipas_catalogue_get(flinfo, q);
	hr_node    *t = sipas_catalogue_tree(c);
	int			i;

	if (forms)
		sipas_survey_get(summary, &e->s);
	else
		sipas_survey_get_items(summary, &e->s);
	e->sidx = palloc(Max(c->n, 1) * sizeof(int));
	for (i = 0; i < c->n; i++)
		e->sidx[i] = -1;
	for (i = 0; i < e->s.nitems; i++)
	{
		lk_summary *l = &e->s.items[i].s;
		int			j = sipas_catalogue_find(c, e->s.items[i].code);
		int			from = lk_satisfied_from(l->k);

		if (j < 0 || !t[j].is_item)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("item \"%s\" of the summary is not an item of questionnaire \"%s\"", e->s.items[i].code, q),
					 errhint("Check the questionnaire argument, or add the item to sipas.node.")));
		if (c->nodes[j].scale != l->k)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("item \"%s\" was answered on a %d-level scale, but questionnaire \"%s\" gives it %d levels",
							e->s.items[i].code, l->k, q, c->nodes[j].scale)));
		e->sidx[j] = i;
		t[j].n = lk_summary_n(l);
		t[j].has = lk_share_from(l, from, &t[j].value);
		if (!lk_std_error(l, from, &t[j].se))
			t[j].se = NAN;
	}
	if (!hr_compute(t, c->n, rule))
		sipas_catalogue_error(q, "the nodes do not form a tree");
	e->cat = c;
	e->t = t;
	e->rule = rule;
}

int
sipas_survey_node(const sipas_survey_eval *e, const char *code)
{
	int			j;

	if (code == NULL)
		return 0;
	j = sipas_catalogue_find(e->cat, code);
	if (j < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("node \"%s\" is not in questionnaire \"%s\"", code, e->cat->questionnaire)));
	return j;
}

/*
 * Node j's index is linear in the item shares (every rule is a weighted
 * mean, items without answers left out): its coefficients over the
 * summary's items give sv_contrast the clustered variance.
 */
void
sipas_node_figure_of(sipas_survey_eval *e, int j, sipas_node_figure *f)
{
	hr_node    *t = e->t;
	int			n = e->cat->n;
	double	   *c;
	int			i;

	memset(f, 0, sizeof(*f));
	f->has = t[j].has;
	f->value = t[j].value;
	f->forms = e->s.forms != NULL;
	if (!f->has || !f->forms)
		return;
	hr_node_coefficients(t, n, e->rule, j);
	c = palloc0(Max(e->s.nitems, 1) * sizeof(double));
	for (i = 0; i < n; i++)
		if (t[i].is_item && t[i].coef != 0.0 && e->sidx[i] >= 0)
			c[e->sidx[i]] = t[i].coef;
	f->has_var = sv_contrast(&e->s, c, NULL, &f->var) == SV_VAR_OK && isfinite(f->var) && f->var >= 0.0;
	pfree(c);
}

void
sipas_node_figure_get(FmgrInfo *flinfo, Datum summary, const char *node, const char *q,
					  hr_rule rule, sipas_node_figure *f)
{
	sipas_survey_eval e;

	sipas_survey_evaluate(flinfo, summary, q, rule, true, &e);
	sipas_node_figure_of(&e, sipas_survey_node(&e, node), f);
}

bool
sipas_node_interval(sipas_survey_eval *e, int j, const sipas_node_figure *f,
					double confidence, double zq, double *lower, double *upper)
{
	hr_node    *t = e->t;
	double		lo = 0.0,
				hi = 0.0;
	int			i;

	if (!f->has)
		return false;
	if (f->has_var && cx_logit_interval(f->value, sqrt(f->var), zq, lower, upper))
		return true;
	/* the ends or no variance: the items' Wilson intervals, as the node combines them */
	for (i = 0; i < e->cat->n; i++)
	{
		double		l,
					h;
		lk_summary *s;

		if (!t[i].is_item || t[i].coef == 0.0 || e->sidx[i] < 0)
			continue;
		s = &e->s.items[e->sidx[i]].s;
		if (!lk_confidence_interval(s, lk_satisfied_from(s->k), confidence, LK_CI_WILSON, &l, &h))
			return false;
		lo += t[i].coef * l;
		hi += t[i].coef * h;
	}
	*lower = Max(0.0, Min(lo, f->value));
	*upper = Min(1.0, Max(hi, f->value));
	return true;
}

void
sipas_needs_forms_error(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s needs a survey summary built from forms", what),
			 errdetail("This summary was built from answer rows, which do not say which answers share a form, so its clustered standard error is unknown."),
			 errhint("Build the summary with survey_agg(form [, weight]) over sipas.form values (form_agg(item, score) makes them from answer rows).")));
	pg_unreachable();
}
