/*
 * survey_accessors.c - figures read off a sipas.survey summary: its items
 * (IMMUTABLE), and the questionnaire tree applied from the catalogue
 * sipas.node (STABLE: overall, node_index, node_n, breakdown).
 */
#include "sipas_pg.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "../core/hierarchy.h"
#include "../core/lk_stats.h"

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

	sipas_survey_get(PG_GETARG_DATUM(0), &s);
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

	sipas_survey_get(PG_GETARG_DATUM(0), &s);
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
	sipas_survey_get(PG_GETARG_DATUM(0), &s);
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

/* ---- the questionnaire catalogue ---- */

typedef struct cat_node
{
	char	   *code;
	char	   *kind;
	char	   *name_vi;
	char	   *name_en;
	int			scale;
	int			order;			/* pre-order position for display */
} cat_node;

typedef struct catalog
{
	char	   *questionnaire;
	int			n;
	cat_node   *nodes;
	hr_node    *tree;			/* template: parent, is_item, weight */
	int			root;
} catalog;

static int
cat_find(const catalog *c, const char *code)
{
	int			i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->nodes[i].code, code) == 0)
			return i;
	return -1;
}

/* pre-order numbering by catalogue position (nodes arrive sorted by it) */
static void
number_preorder(catalog *c, int node, int *next)
{
	int			i;

	c->nodes[node].order = (*next)++;
	for (i = 0; i < c->n; i++)
		if (c->tree[i].parent == node)
			number_preorder(c, i, next);
}

static void
catalog_error(const char *q, const char *msg)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("questionnaire \"%s\" is not usable", q),
			 errdetail("%s", msg),
			 errhint("See sipas.questionnaire and sipas.node.")));
}

/* Load a questionnaire once per query (cached in fn_extra). */
static catalog *
catalog_get(FunctionCallInfo fcinfo, const char *q)
{
	catalog    *c = (catalog *) fcinfo->flinfo->fn_extra;
	MemoryContext old;
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	char	  **parents;
	int			i,
				roots = 0,
				next = 0;

	if (c != NULL && strcmp(c->questionnaire, q) == 0)
		return c;

	args[0] = CStringGetTextDatum(q);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT code, parent, kind, name_vi, name_en, scale, weight "
							  "FROM sipas.node WHERE questionnaire OPERATOR(pg_catalog.=) $1 "
							  "ORDER BY position, code",
							  1, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading sipas.node failed");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown questionnaire \"%s\"", q),
				 errdetail("sipas.node has no nodes for it."),
				 errhint("Built in: '2017' (decision 2640/QĐ-BNV) and '2023' (decision 1001/QĐ-BNV).")));
	if (SPI_processed > 100000)
		catalog_error(q, "too many nodes");

	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	c = palloc0(sizeof(catalog));
	c->questionnaire = pstrdup(q);
	c->n = (int) SPI_processed;
	c->nodes = palloc0(c->n * sizeof(cat_node));
	c->tree = palloc0(c->n * sizeof(hr_node));
	parents = palloc(c->n * sizeof(char *));
	for (i = 0; i < c->n; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *scale = SPI_getvalue(tup, desc, 6);
		char	   *weight = SPI_getvalue(tup, desc, 7);

		c->nodes[i].code = SPI_getvalue(tup, desc, 1);
		parents[i] = SPI_getvalue(tup, desc, 2);
		c->nodes[i].kind = SPI_getvalue(tup, desc, 3);
		c->nodes[i].name_vi = SPI_getvalue(tup, desc, 4);
		c->nodes[i].name_en = SPI_getvalue(tup, desc, 5);
		c->nodes[i].scale = scale ? atoi(scale) : 0;
		c->tree[i].weight = weight ? strtod(weight, NULL) : 1.0;
		c->tree[i].is_item = strcmp(c->nodes[i].kind, "item") == 0;
	}
	MemoryContextSwitchTo(old);
	SPI_finish();

	for (i = 0; i < c->n; i++)
	{
		if (parents[i] == NULL)
		{
			c->tree[i].parent = -1;
			c->root = i;
			roots++;
		}
		else if ((c->tree[i].parent = cat_find(c, parents[i])) < 0)
			catalog_error(q, psprintf("node \"%s\" has unknown parent \"%s\"", c->nodes[i].code, parents[i]));
		else if (c->tree[c->tree[i].parent].is_item)
			catalog_error(q, psprintf("item \"%s\" has a child \"%s\"", parents[i], c->nodes[i].code));
	}
	if (roots != 1)
		catalog_error(q, psprintf("%d nodes without a parent; a questionnaire has one root", roots));
	number_preorder(c, c->root, &next);
	if (next != c->n)
		catalog_error(q, "some nodes are not below the root (a cycle)");
	fcinfo->flinfo->fn_extra = c;
	return c;
}

static hr_rule
parse_rule(text *t)
{
	char	   *rule = text_to_cstring(t);

	if (pg_strcasecmp(rule, "mean") == 0)
		return HR_MEAN;
	if (pg_strcasecmp(rule, "weighted") == 0)
		return HR_WEIGHTED;
	if (pg_strcasecmp(rule, "items") == 0)
		return HR_ITEMS;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown combination rule \"%s\"", rule),
			 errdetail("Known rules: mean (plain mean of children, default), weighted (node weights), items (weighted by number of items).")));
	return HR_MEAN;				/* not reached */
}

/*
 * Fill a fresh copy of the tree with the summary's items and compute it.
 * Every item of the summary must be an item of the questionnaire, on the
 * same scale.
 */
static hr_node *
evaluate(FunctionCallInfo fcinfo, Datum summary, const char *q, hr_rule rule, catalog **cat_out,
		 sv_summary *s_out)
{
	catalog    *c = catalog_get(fcinfo, q);
	hr_node    *t = palloc(c->n * sizeof(hr_node));
	sv_summary	s;
	int			i;

	sipas_survey_get(summary, &s);
	memcpy(t, c->tree, c->n * sizeof(hr_node));
	for (i = 0; i < c->n; i++)
	{
		t[i].has = false;
		t[i].n = 0;
		t[i].se = NAN;
	}
	for (i = 0; i < s.nitems; i++)
	{
		lk_summary *l = &s.items[i].s;
		int			j = cat_find(c, s.items[i].code);
		int			from = lk_top_two_from(l->k);

		if (j < 0 || !t[j].is_item)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("item \"%s\" of the summary is not an item of questionnaire \"%s\"", s.items[i].code, q),
					 errhint("Check the questionnaire argument, or add the item to sipas.node.")));
		if (c->nodes[j].scale != l->k)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("item \"%s\" was answered on a %d-level scale, but questionnaire \"%s\" gives it %d levels",
							s.items[i].code, l->k, q, c->nodes[j].scale)));
		t[j].n = lk_summary_n(l);
		t[j].has = lk_share_from(l, from, &t[j].value);
		if (!lk_std_error(l, from, &t[j].se))
			t[j].se = NAN;
	}
	if (!hr_compute(t, c->n, rule))
		catalog_error(q, "the nodes do not form a tree");
	*cat_out = c;
	if (s_out)
		*s_out = s;
	return t;
}

Datum
survey_overall(PG_FUNCTION_ARGS)
{
	catalog    *c;
	hr_node    *t = evaluate(fcinfo, PG_GETARG_DATUM(0), text_to_cstring(PG_GETARG_TEXT_PP(1)),
							 parse_rule(PG_GETARG_TEXT_PP(2)), &c, NULL);

	if (!t[c->root].has)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 * t[c->root].value);
}

static int
node_arg(catalog *c, text *node)
{
	char	   *code = text_to_cstring(node);
	int			j = cat_find(c, code);

	if (j < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("node \"%s\" is not in questionnaire \"%s\"", code, c->questionnaire)));
	return j;
}

Datum
survey_node_index(PG_FUNCTION_ARGS)
{
	catalog    *c;
	hr_node    *t = evaluate(fcinfo, PG_GETARG_DATUM(0), text_to_cstring(PG_GETARG_TEXT_PP(2)),
							 parse_rule(PG_GETARG_TEXT_PP(3)), &c, NULL);
	int			j = node_arg(c, PG_GETARG_TEXT_PP(1));

	if (!t[j].has)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 * t[j].value);
}

Datum
survey_node_n(PG_FUNCTION_ARGS)
{
	catalog    *c;
	hr_node    *t = evaluate(fcinfo, PG_GETARG_DATUM(0), text_to_cstring(PG_GETARG_TEXT_PP(2)),
							 HR_MEAN, &c, NULL);
	int			j = node_arg(c, PG_GETARG_TEXT_PP(1));

	PG_RETURN_INT64(t[j].n);
}

/*
 * node_std_error(s, node, questionnaire, rule): for an item its linearised
 * standard error; for an inner node the conservative bound (the weighted
 * mean of its children's), valid whatever the correlation between items.
 */
Datum
survey_node_std_error(PG_FUNCTION_ARGS)
{
	catalog    *c;
	hr_node    *t = evaluate(fcinfo, PG_GETARG_DATUM(0), text_to_cstring(PG_GETARG_TEXT_PP(2)),
							 parse_rule(PG_GETARG_TEXT_PP(3)), &c, NULL);
	int			j = node_arg(c, PG_GETARG_TEXT_PP(1));

	if (!t[j].has || isnan(t[j].se))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 * t[j].se);
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
	hr_rule		rule = parse_rule(PG_GETARG_TEXT_PP(2));
	catalog    *c;
	hr_node    *t;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	t = evaluate(fcinfo, PG_GETARG_DATUM(0), text_to_cstring(PG_GETARG_TEXT_PP(1)), rule, &c, NULL);
	hr_coefficients(t, c->n, rule);
	for (i = 0; i < c->n; i++)
	{
		int			j;
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		/* questionnaire order */
		for (j = 0; j < c->n && c->nodes[j].order != i; j++)
			;
		if (!t[j].is_item || !t[j].has)
			continue;
		values[0] = CStringGetTextDatum(c->nodes[j].code);
		values[1] = Float8GetDatum(t[j].coef);
		values[2] = Float8GetDatum(100.0 * t[j].value);
		values[3] = Int64GetDatum(t[j].n);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * breakdown(s, questionnaire, rule, confidence): one row per node in
 * questionnaire order.  Items: Wilson interval of the item.  Inner nodes:
 * index +- z * (weighted mean of the children's standard errors), a
 * conservative interval whatever the correlation between items.
 */
Datum
survey_breakdown(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	double		confidence = PG_GETARG_FLOAT8(3);
	catalog    *c;
	sv_summary	s;
	hr_node    *t;
	int		   *by_order;
	double		z;
	int			i;

	if (!(confidence > 0.0 && confidence < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence %g is out of range", confidence),
				 errdetail("The confidence level must lie strictly between 0 and 1, e.g. 0.95.")));
	z = lk_qnorm_upper((1.0 - confidence) / 2.0);
	InitMaterializedSRF(fcinfo, 0);
	t = evaluate(fcinfo, PG_GETARG_DATUM(0), text_to_cstring(PG_GETARG_TEXT_PP(1)),
				 parse_rule(PG_GETARG_TEXT_PP(2)), &c, &s);
	by_order = palloc(c->n * sizeof(int));
	for (i = 0; i < c->n; i++)
		by_order[c->nodes[i].order] = i;
	for (i = 0; i < c->n; i++)
	{
		int			j = by_order[i];
		Datum		values[9];
		bool		nulls[9] = {false};
		double		lo = 0.0,
					hi = 0.0;
		bool		has_ci = false;

		values[0] = Int32GetDatum(t[j].depth);
		values[1] = CStringGetTextDatum(c->nodes[j].kind);
		values[2] = CStringGetTextDatum(c->nodes[j].code);
		values[3] = CStringGetTextDatum(c->nodes[j].name_vi);
		values[4] = c->nodes[j].name_en ? CStringGetTextDatum(c->nodes[j].name_en) : (Datum) 0;
		nulls[4] = c->nodes[j].name_en == NULL;
		values[5] = Int64GetDatum(t[j].n);
		nulls[6] = !t[j].has;
		values[6] = Float8GetDatum(100.0 * t[j].value);
		if (t[j].has && t[j].is_item)
		{
			int			k = sv_find(&s, c->nodes[j].code);

			has_ci = k >= 0 && lk_confidence_interval(&s.items[k].s, lk_top_two_from(s.items[k].s.k),
													  confidence, LK_CI_WILSON, &lo, &hi);
		}
		else if (t[j].has && !isnan(t[j].se))
		{
			lo = Max(0.0, t[j].value - z * t[j].se);
			hi = Min(1.0, t[j].value + z * t[j].se);
			has_ci = true;
		}
		values[7] = Float8GetDatum(100.0 * lo);
		values[8] = Float8GetDatum(100.0 * hi);
		nulls[7] = nulls[8] = !has_ci;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
