/*
 * survey_accessors.c - figures read off a sipas.survey summary: its items
 * (IMMUTABLE), and the questionnaire tree applied from the catalogue
 * sipas.node (STABLE: overall, node_index, node_n, node_std_error,
 * breakdown).  Reading the catalogue is catalogue.c's, applying the tree and
 * the clustered figures of summaries of forms survey_node.c's.
 */
#include "sipas_pg.h"

#include <math.h>

#include "common/int.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "survey_node.h"
#include "../core/hierarchy.h"
#include "../core/lk_index.h"

PG_FUNCTION_INFO_V1(survey_items);
PG_FUNCTION_INFO_V1(survey_item);
PG_FUNCTION_INFO_V1(survey_n);
PG_FUNCTION_INFO_V1(survey_overall);
PG_FUNCTION_INFO_V1(survey_node_index);
PG_FUNCTION_INFO_V1(survey_node_n);
PG_FUNCTION_INFO_V1(survey_node_std_error);
PG_FUNCTION_INFO_V1(survey_item_weights);
PG_FUNCTION_INFO_V1(survey_breakdown);

/* ---- items ---- */

Datum
survey_item(PG_FUNCTION_ARGS)
{
	sv_summary	s;
	char	   *code = text_to_cstring(PG_GETARG_TEXT_PP(1));
	int			i;

	sipas_survey_get_items(PG_GETARG_DATUM(0), &s);
	i = sv_find(&s, code);
	if (i < 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(sipas_likert_datum(&s.items[i].s));
}

Datum
survey_n(PG_FUNCTION_ARGS)
{
	sv_summary	s;
	int64		total = 0;
	int			i;

	sipas_survey_get_items(PG_GETARG_DATUM(0), &s);
	for (i = 0; i < s.nitems; i++)
		if (pg_add_s64_overflow(total, lk_summary_n(&s.items[i].s), &total))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("number of answers out of range for bigint")));
	PG_RETURN_INT64(total);
}

Datum
survey_items(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	sv_summary	s;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	sipas_survey_get_items(PG_GETARG_DATUM(0), &s);
	for (i = 0; i < s.nitems; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = CStringGetTextDatum(s.items[i].code);
		values[1] = sipas_likert_datum(&s.items[i].s);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * The tree applied to summary from questionnaire q's catalogue; the tree is
 * the catalogue's scratch copy, valid until the next call through this
 * flinfo.  forms: read the summary's forms section too (for clustered
 * figures; readers of indices and counts leave it unread).
 */
static hr_node *
evaluate(FunctionCallInfo fcinfo, Datum summary, const char *q, hr_rule rule, sipas_catalogue **cat_out,
		 sipas_survey_eval *e_out, bool forms)
{
	sipas_survey_eval e;

	sipas_survey_evaluate(fcinfo->flinfo, summary, q, rule, forms, &e);
	*cat_out = e.cat;
	if (e_out)
		*e_out = e;
	return e.t;
}

/* a node's n, or 22003 when its children's counts do not add up in a bigint */
static int64
node_count(const sipas_catalogue *c, const hr_node *t, int j)
{
	if (t[j].n_overflow)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("number of answers out of range for bigint"),
				 errdetail("The answers under node \"%s\" of questionnaire \"%s\" add up to more than %lld.",
						   c->nodes[j].code, c->questionnaire, (long long) PG_INT64_MAX)));
	return t[j].n;
}

Datum
survey_overall(PG_FUNCTION_ARGS)
{
	sipas_catalogue *c;
	hr_node    *t = evaluate(fcinfo, PG_GETARG_DATUM(0), text_to_cstring(PG_GETARG_TEXT_PP(1)),
							 sipas_parse_rule(PG_GETARG_TEXT_PP(2)), &c, NULL, false);

	if (!t[0].has)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(lk_percent(t[0].value));
}

Datum
survey_node_index(PG_FUNCTION_ARGS)
{
	sipas_catalogue *c;
	sipas_survey_eval e;
	hr_node    *t = evaluate(fcinfo, PG_GETARG_DATUM(0), text_to_cstring(PG_GETARG_TEXT_PP(2)),
							 sipas_parse_rule(PG_GETARG_TEXT_PP(3)), &c, &e, false);
	int			j = sipas_survey_node(&e, text_to_cstring(PG_GETARG_TEXT_PP(1)));

	if (!t[j].has)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(lk_percent(t[j].value));
}

Datum
survey_node_n(PG_FUNCTION_ARGS)
{
	sipas_catalogue *c;
	sipas_survey_eval e;
	hr_node    *t = evaluate(fcinfo, PG_GETARG_DATUM(0), text_to_cstring(PG_GETARG_TEXT_PP(2)),
							 HR_MEAN, &c, &e, false);
	int			j = sipas_survey_node(&e, text_to_cstring(PG_GETARG_TEXT_PP(1)));

	PG_RETURN_INT64(node_count(c, t, j));
}

/*
 * node_std_error(s, node, questionnaire, rule).  A summary of forms: the
 * clustered standard error (one form = one primary sampling unit,
 * linearised) of the node's index under the rule, NULL with a single form.
 * A summary of answer rows, as in 1.1: for an item its linearised standard
 * error; for an inner node the conservative bound (the weighted mean of its
 * children's), valid whatever the correlation between items.
 */
Datum
survey_node_std_error(PG_FUNCTION_ARGS)
{
	sipas_catalogue *c;
	sipas_survey_eval e;
	hr_node    *t = evaluate(fcinfo, PG_GETARG_DATUM(0), text_to_cstring(PG_GETARG_TEXT_PP(2)),
							 sipas_parse_rule(PG_GETARG_TEXT_PP(3)), &c, &e, true);
	int			j = sipas_survey_node(&e, text_to_cstring(PG_GETARG_TEXT_PP(1)));

	if (e.s.forms != NULL)
	{
		sipas_node_figure f;

		sipas_node_figure_of(&e, j, &f);
		if (!f.has || !f.has_var)
			PG_RETURN_NULL();
		PG_RETURN_FLOAT8(lk_percent(sqrt(f.var)));
	}
	if (!t[j].has || isnan(t[j].se))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(lk_percent(t[j].se));
}

/*
 * item_weights(s, questionnaire, rule): every answered item with its weight
 * in the overall index (overall = sum of weight * index), its index and n.
 * With the raw answers this gives the respondent-clustered standard error
 * (doc/reference.md shows the query).
 */
Datum
survey_item_weights(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	hr_rule		rule = sipas_parse_rule(PG_GETARG_TEXT_PP(2));
	sipas_catalogue *c;
	hr_node    *t;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	t = evaluate(fcinfo, PG_GETARG_DATUM(0), text_to_cstring(PG_GETARG_TEXT_PP(1)), rule, &c, NULL, false);
	hr_coefficients(t, c->n, rule);
	/* nodes are numbered in questionnaire order */
	for (i = 0; i < c->n; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		CHECK_FOR_INTERRUPTS();
		if (!t[i].is_item || !t[i].has)
			continue;
		values[0] = CStringGetTextDatum(c->nodes[i].code);
		values[1] = Float8GetDatum(t[i].coef);
		values[2] = Float8GetDatum(lk_percent(t[i].value));
		values[3] = Int64GetDatum(t[i].n);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * breakdown(s, questionnaire, rule, confidence): one row per node in
 * questionnaire order.  A summary of forms: every node's logit interval on
 * its clustered standard error (at an index of 0 or 100, or with zero
 * variance, the coefficient-weighted mean of its items' Wilson intervals).
 * A summary of answer rows, as in 1.1: items the Wilson interval of the
 * item; inner nodes index +- z * (weighted mean of the children's standard
 * errors), a conservative interval whatever the correlation between items.
 */
Datum
survey_breakdown(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	double		confidence = sipas_check_confidence(PG_GETARG_FLOAT8(3));
	double		z = lk_qnorm_upper((1.0 - confidence) / 2.0);
	sipas_catalogue *c;
	sipas_survey_eval e;
	hr_node    *t;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	t = evaluate(fcinfo, PG_GETARG_DATUM(0), text_to_cstring(PG_GETARG_TEXT_PP(1)),
				 sipas_parse_rule(PG_GETARG_TEXT_PP(2)), &c, &e, true);
	/* nodes are numbered in questionnaire order */
	for (i = 0; i < c->n; i++)
	{
		int			j = i;
		Datum		values[9];
		bool		nulls[9] = {false};
		double		lo = 0.0,
					hi = 0.0;
		bool		has_ci = false;

		CHECK_FOR_INTERRUPTS();
		values[0] = Int32GetDatum(t[j].depth);
		values[1] = CStringGetTextDatum(c->nodes[j].kind);
		values[2] = CStringGetTextDatum(c->nodes[j].code);
		values[3] = CStringGetTextDatum(c->nodes[j].name_vi);
		values[4] = c->nodes[j].name_en ? CStringGetTextDatum(c->nodes[j].name_en) : (Datum) 0;
		nulls[4] = c->nodes[j].name_en == NULL;
		values[5] = Int64GetDatum(node_count(c, t, j));
		nulls[6] = !t[j].has;
		values[6] = Float8GetDatum(lk_percent(t[j].value));
		if (e.s.forms != NULL && t[j].has)
		{
			sipas_node_figure f;

			sipas_node_figure_of(&e, j, &f);
			has_ci = sipas_node_interval(&e, j, &f, confidence, z, &lo, &hi);
		}
		else if (t[j].has && t[j].is_item)
		{
			int			k = e.sidx[j];

			has_ci = k >= 0 && lk_confidence_interval(&e.s.items[k].s, lk_satisfied_from(e.s.items[k].s.k),
													  confidence, LK_CI_WILSON, &lo, &hi);
		}
		else if (t[j].has && !isnan(t[j].se))
		{
			lo = Max(0.0, t[j].value - z * t[j].se);
			hi = Min(1.0, t[j].value + z * t[j].se);
			has_ci = true;
		}
		values[7] = Float8GetDatum(lk_percent(lo));
		values[8] = Float8GetDatum(lk_percent(hi));
		nulls[7] = nulls[8] = !has_ci;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
