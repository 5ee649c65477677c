/*
 * rollup_trigger.c - sipas_internal.rollup_trigger(): the INSERT (and COPY)
 * and DELETE triggers of a rollup (extension/1.2/80_rollup.sql,
 * doc/rollups.md).
 *
 * A statement-level AFTER trigger with a transition table.  It reads the
 * transition table itself, groups its rows by the rollup's key (the key
 * columns and the time bucket, computed by the same functions as the SQL
 * expressions of sipas_internal.rollup_sql), feeds each key's rows to
 * survey_agg's own transition function in the order of the transition
 * table, and writes one delta row per key through a saved plan: the same
 * rows, and the same bytes, as
 *   INSERT INTO <delta> (keys, rows, plus) SELECT keys, count(*), survey_agg(...)
 *   FROM new_rows GROUP BY keys
 * without PL/pgSQL, planning or an executor run per statement.
 *
 * The rollup's definition comes as trigger arguments (the registry's row is
 * not visible to writers that are not its owner; names, not oids, so that a
 * dump restores it):
 *   0 delta table (schema.name, quoted), 1 kind (answers, forms),
 *   2 item (or form) column, 3 score column, 4 weight column, 5 k,
 *   6 bucket column, 7 bucket, 8 bucket zone ('' = none), 9.. key columns
 */
#include "sipas_pg.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "common/hashfn.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "lib/stringinfo.h"
#include "parser/parse_coerce.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/date.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
#include "utils/typcache.h"
#include "utils/varlena.h"

#include "survey_state.h"

PG_FUNCTION_INFO_V1(rollup_trigger);

/* survey_agg's support functions (survey_agg.c, survey_form_agg.c) */
extern Datum survey_trans_int2(PG_FUNCTION_ARGS);
extern Datum survey_trans_int4(PG_FUNCTION_ARGS);
extern Datum survey_form_trans(PG_FUNCTION_ARGS);
extern Datum survey_final(PG_FUNCTION_ARGS);

#define RT_MAX_KEYS 9			/* 8 key columns and the bucket */
#define RT_FIXED_ARGS 9

typedef enum rt_bucket_from
{
	RT_NONE,
	RT_DATE,
	RT_TIMESTAMP,
	RT_TIMESTAMPTZ
} rt_bucket_from;

typedef struct rt_key
{
	AttrNumber	att;			/* in the source */
	Oid			typ;			/* of the delta column (the source's, or date) */
	Oid			coll;
	int16		typlen;
	bool		typbyval;
	FmgrInfo   *hash;			/* NULL: the type has no hash function */
	FmgrInfo   *eq;
	const char *name;
} rt_key;

/* one trigger's compiled arguments, kept per backend */
typedef struct rt_def
{
	Oid			tgoid;
	Oid			relid;
	Oid			delta;
	bool		valid;
	bool		del;			/* the DELETE trigger: rows < 0, column minus */
	MemoryContext cxt;
	int			nkeys;			/* with the bucket */
	rt_key		keys[RT_MAX_KEYS];
	rt_bucket_from bucket_from;	/* the last key is the bucket unless RT_NONE */
	Datum		bucket_unit;	/* text */
	Datum		bucket_zone;	/* text */
	bool		forms;
	AttrNumber	value_att;		/* item or form */
	AttrNumber	score_att;
	AttrNumber	weight_att;		/* 0: unweighted */
	bool		score_int2;
	FmgrInfo	item_cast;		/* fn_oid InvalidOid: none needed */
	FmgrInfo	weight_cast;
	int32		k;				/* 0: none given */
	SPIPlanPtr	plan;			/* one key: INSERT ... VALUES ($1, ...) */
	SPIPlanPtr	plan_many;		/* several: INSERT ... SELECT FROM ROWS FROM (unnest($1), ...);
								 * NULL when a column type has no array type */
	Oid			elem[RT_MAX_KEYS + 2];	/* the parameters' types, for the arrays */
	int16		elem_len[RT_MAX_KEYS + 2];
	bool		elem_byval[RT_MAX_KEYS + 2];
	char		elem_align[RT_MAX_KEYS + 2];
	struct rt_def *next;
} rt_def;

typedef struct rt_group
{
	uint32		hash;
	struct rt_group *next;		/* in its bucket */
	struct rt_group *order;		/* in order of creation */
	int64		rows;
	sv_state   *st;
	Datum		keys[FLEXIBLE_ARRAY_MEMBER];
} rt_group;

typedef struct rt_errpos
{
	const char *rel;
	const char *which;
	int64		row;
} rt_errpos;

static rt_def *defs = NULL;
static bool callback_registered = false;

static void
rt_relcache_cb(Datum arg, Oid relid)
{
	rt_def	   *d;

	for (d = defs; d != NULL; d = d->next)
		if (relid == InvalidOid || d->relid == relid || d->delta == relid)
			d->valid = false;
}

static void
rt_free(rt_def *d)
{
	if (d->plan != NULL)
		SPI_freeplan(d->plan);
	if (d->plan_many != NULL)
		SPI_freeplan(d->plan_many);
	MemoryContextDelete(d->cxt);
}

static AttrNumber
rt_att(Relation rel, const char *name, bool allow_empty)
{
	TupleDesc	td = RelationGetDescr(rel);
	int			i;

	if (allow_empty && name[0] == '\0')
		return 0;
	for (i = 0; i < td->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(td, i);

		if (!a->attisdropped && strcmp(NameStr(a->attname), name) == 0)
			return a->attnum;
	}
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_COLUMN),
			 errmsg("column \"%s\" of %s named by its rollup does not exist",
					name, RelationGetRelationName(rel)),
			 errhint("Drop the rollup (sipas.rollup_drop) and create it again.")));
	return 0;					/* not reached */
}

static Oid
rt_atttype(Relation rel, AttrNumber att)
{
	return TupleDescAttr(RelationGetDescr(rel), att - 1)->atttypid;
}

/* the cast function of (x)::target, if one is needed */
static void
rt_cast(Oid source, Oid target, FmgrInfo *fi, MemoryContext cxt)
{
	Oid			funcid = InvalidOid;
	CoercionPathType path;

	fi->fn_oid = InvalidOid;
	if (source == target)
		return;
	path = find_coercion_pathway(target, source, COERCION_EXPLICIT, &funcid);
	if (path == COERCION_PATH_RELABELTYPE)
		return;
	if (path != COERCION_PATH_FUNC || !OidIsValid(funcid))
		elog(ERROR, "rollup trigger: no cast from %s to %s", format_type_be(source), format_type_be(target));
	fmgr_info_cxt(funcid, fi, cxt);
}

static void
rt_key_type(rt_key *key, Oid typ, Oid coll)
{
	TypeCacheEntry *tc = lookup_type_cache(typ, TYPECACHE_HASH_PROC_FINFO | TYPECACHE_EQ_OPR_FINFO);

	key->typ = typ;
	key->coll = coll;
	key->typlen = tc->typlen;
	key->typbyval = tc->typbyval;
	key->hash = OidIsValid(tc->hash_proc_finfo.fn_oid) ? &tc->hash_proc_finfo : NULL;
	if (!OidIsValid(tc->eq_opr_finfo.fn_oid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("a rollup key of type %s cannot be grouped: it has no equality operator",
						format_type_be(typ))));
	key->eq = &tc->eq_opr_finfo;
}

static rt_def *
rt_compile(TriggerData *td)
{
	Trigger    *tg = td->tg_trigger;
	Relation	rel = td->tg_relation;
	char	  **a = tg->tgargs;
	rt_def	   *d;
	MemoryContext old;
	List	   *names;
	int			i;
	StringInfoData sql,
				sql_many;
	int			head_len;
	bool		many;
	Oid			argtypes[RT_MAX_KEYS + 2];
	Oid			arraytypes[RT_MAX_KEYS + 2];

	if (tg->tgnargs < RT_FIXED_ARGS || tg->tgnargs - RT_FIXED_ARGS > RT_MAX_KEYS - 1)
		elog(ERROR, "sipas_internal.rollup_trigger: %d trigger arguments", tg->tgnargs);
	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(rt_relcache_cb, (Datum) 0);
		callback_registered = true;
	}
	d = MemoryContextAllocZero(TopMemoryContext, sizeof(rt_def));
	d->cxt = AllocSetContextCreate(TopMemoryContext, "sipas rollup trigger", ALLOCSET_SMALL_SIZES);
	d->tgoid = tg->tgoid;
	d->relid = RelationGetRelid(rel);
	d->del = TRIGGER_FIRED_BY_DELETE(td->tg_event);
	old = CurrentMemoryContext;
	PG_TRY();
	{
		MemoryContextSwitchTo(d->cxt);
#if PG_VERSION_NUM >= 160000
		names = stringToQualifiedNameList(a[0], NULL);
#else
		names = stringToQualifiedNameList(a[0]);
#endif
		d->delta = RangeVarGetRelid(makeRangeVarFromNameList(names), RowExclusiveLock, false);
		d->forms = strcmp(a[1], "forms") == 0;
		d->value_att = rt_att(rel, a[2], false);
		d->weight_att = rt_att(rel, a[4], true);
		if (!d->forms)
		{
			Oid			st;

			d->score_att = rt_att(rel, a[3], false);
			st = rt_atttype(rel, d->score_att);
			if (st != INT2OID && st != INT4OID)
				elog(ERROR, "rollup trigger: score column of type %s", format_type_be(st));
			d->score_int2 = st == INT2OID;
			rt_cast(rt_atttype(rel, d->value_att), TEXTOID, &d->item_cast, d->cxt);
			d->k = a[5][0] ? pg_strtoint32(a[5]) : 0;
		}
		else
			d->item_cast.fn_oid = InvalidOid;
		if (d->weight_att != 0)
			rt_cast(rt_atttype(rel, d->weight_att), FLOAT8OID, &d->weight_cast, d->cxt);
		for (i = RT_FIXED_ARGS; i < tg->tgnargs; i++)
		{
			rt_key	   *key = &d->keys[d->nkeys++];
			Form_pg_attribute att;

			key->name = pstrdup(a[i]);
			key->att = rt_att(rel, a[i], false);
			att = TupleDescAttr(RelationGetDescr(rel), key->att - 1);
			rt_key_type(key, att->atttypid, att->attcollation);
		}
		d->bucket_from = RT_NONE;
		if (a[6][0])
		{
			rt_key	   *key = &d->keys[d->nkeys++];
			Oid			bt;

			key->name = pstrdup(a[7]);
			key->att = rt_att(rel, a[6], false);
			bt = rt_atttype(rel, key->att);
			d->bucket_from = bt == DATEOID ? RT_DATE : bt == TIMESTAMPOID ? RT_TIMESTAMP :
				bt == TIMESTAMPTZOID ? RT_TIMESTAMPTZ : RT_NONE;
			if (d->bucket_from == RT_NONE)
				elog(ERROR, "rollup trigger: bucket column of type %s", format_type_be(bt));
			if (d->bucket_from == RT_TIMESTAMPTZ && a[8][0] == '\0')
				elog(ERROR, "rollup trigger: a timestamptz bucket column without zone");
			d->bucket_unit = PointerGetDatum(cstring_to_text(a[7]));
			d->bucket_zone = PointerGetDatum(cstring_to_text(a[8]));
			rt_key_type(key, DATEOID, InvalidOid);
		}

		/* INSERT INTO delta (keys, rows, plus|minus) VALUES ($1, ...) */
		initStringInfo(&sql);
		appendStringInfo(&sql, "INSERT INTO %s (",
						 quote_qualified_identifier(get_namespace_name(get_rel_namespace(d->delta)),
													get_rel_name(d->delta)));
		for (i = 0; i < d->nkeys; i++)
		{
			AttrNumber	datt = get_attnum(d->delta, d->keys[i].name);

			if (datt == InvalidAttrNumber)
				elog(ERROR, "rollup trigger: column \"%s\" of the delta table does not exist", d->keys[i].name);
			argtypes[i] = get_atttype(d->delta, datt);
			appendStringInfo(&sql, "%s, ", quote_identifier(d->keys[i].name));
		}
		appendStringInfo(&sql, "rows, %s) VALUES (", d->del ? "minus" : "plus");
		argtypes[d->nkeys] = INT8OID;
		argtypes[d->nkeys + 1] = get_atttype(d->delta, get_attnum(d->delta, d->del ? "minus" : "plus"));
		head_len = sql.len - (int) strlen(" VALUES (");
		for (i = 0; i < d->nkeys + 2; i++)
			appendStringInfo(&sql, "%s$%d", i > 0 ? ", " : "", i + 1);
		appendStringInfoChar(&sql, ')');

		/* the same for many keys in one executor run: ... SELECT * FROM ROWS FROM (unnest($1), ...) */
		many = true;
		for (i = 0; i < d->nkeys + 2; i++)
		{
			d->elem[i] = argtypes[i];
			get_typlenbyvalalign(argtypes[i], &d->elem_len[i], &d->elem_byval[i], &d->elem_align[i]);
			arraytypes[i] = get_array_type(argtypes[i]);
			many = many && OidIsValid(arraytypes[i]);
		}
		if (many)
		{
			initStringInfo(&sql_many);
			appendBinaryStringInfo(&sql_many, sql.data, head_len);
			appendStringInfoString(&sql_many, " SELECT * FROM ROWS FROM (");
			for (i = 0; i < d->nkeys + 2; i++)
				appendStringInfo(&sql_many, "%spg_catalog.unnest($%d)", i > 0 ? ", " : "", i + 1);
			appendStringInfoChar(&sql_many, ')');
		}
		MemoryContextSwitchTo(old);

		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "rollup trigger: SPI_connect failed");
		d->plan = SPI_prepare(sql.data, d->nkeys + 2, argtypes);
		if (d->plan == NULL)
			elog(ERROR, "rollup trigger: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		if (SPI_keepplan(d->plan) != 0)
			elog(ERROR, "rollup trigger: SPI_keepplan failed");
		if (many)
		{
			d->plan_many = SPI_prepare(sql_many.data, d->nkeys + 2, arraytypes);
			if (d->plan_many == NULL)
				elog(ERROR, "rollup trigger: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
			if (SPI_keepplan(d->plan_many) != 0)
				elog(ERROR, "rollup trigger: SPI_keepplan failed");
		}
		SPI_finish();
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(old);
		if (d->plan != NULL)
			SPI_freeplan(d->plan);
		if (d->plan_many != NULL)
			SPI_freeplan(d->plan_many);
		MemoryContextDelete(d->cxt);
		pfree(d);
		PG_RE_THROW();
	}
	PG_END_TRY();
	d->valid = true;
	d->next = defs;
	defs = d;
	return d;
}

static rt_def *
rt_lookup(TriggerData *td)
{
	rt_def	  **p = &defs;
	rt_def	   *found = NULL;

	/* drop what an invalidation marked (a dropped rollup's too) on the way */
	while (*p != NULL)
	{
		rt_def	   *d = *p;

		if (!d->valid)
		{
			*p = d->next;
			rt_free(d);
			pfree(d);
			continue;
		}
		if (d->tgoid == td->tg_trigger->tgoid)
			found = d;
		p = &d->next;
	}
	return found != NULL ? found : rt_compile(td);
}

/* the bucket of a date, timestamp or timestamptz: date_trunc(bucket, x)::date */
static Datum
rt_bucket(rt_def *d, Datum v)
{
	Datum		ts;

	switch (d->bucket_from)
	{
		case RT_DATE:
			ts = DirectFunctionCall1(date_timestamp, v);
			break;
		case RT_TIMESTAMPTZ:
			ts = DirectFunctionCall2(timestamptz_zone, d->bucket_zone, v);
			break;
		default:
			ts = v;
			break;
	}
	return DirectFunctionCall1(timestamp_date, DirectFunctionCall2(timestamp_trunc, d->bucket_unit, ts));
}

static void
rt_error_context(void *arg)
{
	rt_errpos  *pos = (rt_errpos *) arg;

	if (pos->row > 0)
		errcontext("sipas rollup trigger on %s, row %lld of the statement's %s rows",
				   pos->rel, (long long) pos->row, pos->which);
}

Datum
rollup_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	rt_def	   *d;
	Tuplestorestate *ts;
	TupleTableSlot *slot;
	MemoryContext stmt_cxt,
				row_cxt,
				old;
	rt_group  **buckets;
	int			nbuckets = 16;
	int64		ngroups = 0;
	rt_group   *first = NULL,
			  **last = &first;
	rt_group   *g,
			   *prev = NULL;
	rt_errpos	pos;
	ErrorContextCallback errcb;
	Datum		keys[RT_MAX_KEYS];
	Datum		bucket_in = (Datum) 0,
				bucket_out = (Datum) 0;
	bool		have_bucket = false;
	FmgrInfo	trans_fl,
				final_fl;
	LOCAL_FCINFO(acc, 5);
	int			nargs;
	PGFunction	trans;
	int			i;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("sipas_internal.rollup_trigger() is a rollup's trigger"),
				 errdetail("sipas.rollup_create creates the triggers that call it.")));
	if (!TRIGGER_FIRED_FOR_STATEMENT(td->tg_event) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		!(TRIGGER_FIRED_BY_INSERT(td->tg_event) || TRIGGER_FIRED_BY_DELETE(td->tg_event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("sipas_internal.rollup_trigger() runs AFTER INSERT or DELETE FOR EACH STATEMENT")));
	ts = TRIGGER_FIRED_BY_INSERT(td->tg_event) ? td->tg_newtable : td->tg_oldtable;
	if (ts == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("sipas_internal.rollup_trigger() needs a transition table (REFERENCING NEW or OLD TABLE)")));
	d = rt_lookup(td);
	if (d->del != TRIGGER_FIRED_BY_DELETE(td->tg_event))
		elog(ERROR, "rollup trigger: fired by another event than it was compiled for");

	stmt_cxt = AllocSetContextCreate(CurrentMemoryContext, "sipas rollup statement", ALLOCSET_DEFAULT_SIZES);
	row_cxt = AllocSetContextCreate(stmt_cxt, "sipas rollup row", ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(stmt_cxt);
	buckets = palloc0(nbuckets * sizeof(rt_group *));
	slot = MakeSingleTupleTableSlot(RelationGetDescr(td->tg_relation), &TTSOpsMinimalTuple);

	if (d->forms)
	{
		trans = survey_form_trans;
		nargs = d->weight_att ? 3 : 2;
	}
	else
	{
		trans = d->score_int2 ? survey_trans_int2 : survey_trans_int4;
		/* survey_agg(item, score [, weight]) or (item, score, coalesce(weight, 1.0), k) */
		nargs = d->k ? 5 : d->weight_att ? 4 : 3;
	}
	/*
	 * The support functions may keep caches in fn_extra (in fn_mcxt), as they
	 * do for one aggregate call site of a query: here one per statement.
	 */
	MemSet(&trans_fl, 0, sizeof(trans_fl));
	trans_fl.fn_addr = trans;
	trans_fl.fn_nargs = nargs;
	trans_fl.fn_mcxt = stmt_cxt;
	trans_fl.fn_oid = InvalidOid;
	final_fl = trans_fl;
	final_fl.fn_addr = survey_final;
	final_fl.fn_nargs = 1;
	InitFunctionCallInfoData(*acc, &trans_fl, nargs, InvalidOid, NULL, NULL);

	pos.rel = RelationGetRelationName(td->tg_relation);
	pos.which = d->del ? "deleted" : "new";
	pos.row = 0;
	errcb.callback = rt_error_context;
	errcb.arg = &pos;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;

	/* read pointer 0 may rewind; scans of the same table by other triggers use their own */
	tuplestore_select_read_pointer(ts, 0);
	tuplestore_rescan(ts);
	while (tuplestore_gettupleslot(ts, true, false, slot))
	{
		uint32		h = 0;
		bool		isnull;

		pos.row++;
		MemoryContextSwitchTo(row_cxt);
		for (i = 0; i < d->nkeys; i++)
		{
			rt_key	   *key = &d->keys[i];
			Datum		v = slot_getattr(slot, key->att, &isnull);

			if (isnull)
				ereport(ERROR,
						(errcode(ERRCODE_NOT_NULL_VIOLATION),
						 errmsg("%s column \"%s\" of %s is NULL",
								d->bucket_from != RT_NONE && i == d->nkeys - 1 ? "bucket" : "key",
								NameStr(TupleDescAttr(slot->tts_tupleDescriptor, key->att - 1)->attname),
								pos.rel),
						 errdetail("Every row of a rollup belongs to one key: its key columns must be NOT NULL.")));
			if (d->bucket_from != RT_NONE && i == d->nkeys - 1)
			{
				/* rows come in runs of one day: truncate each distinct value once */
				if (!have_bucket || v != bucket_in ||
					(d->bucket_from != RT_DATE && !FLOAT8PASSBYVAL))	/* by reference */
				{
					bucket_in = v;
					bucket_out = rt_bucket(d, v);
					have_bucket = true;
				}
				v = bucket_out;
			}
			keys[i] = v;
		}
		/* rows come in runs of one key (a form's answers): the previous row's group first */
		g = NULL;
		if (prev != NULL)
		{
			for (i = 0; i < d->nkeys; i++)
				if (!DatumGetBool(FunctionCall2Coll(d->keys[i].eq, d->keys[i].coll, prev->keys[i], keys[i])))
					break;
			if (i == d->nkeys)
				g = prev;
		}
		if (g == NULL)
		{
			for (i = 0; i < d->nkeys; i++)
				if (d->keys[i].hash != NULL)
					h = hash_combine(h, DatumGetUInt32(FunctionCall1Coll(d->keys[i].hash, d->keys[i].coll, keys[i])));
			for (g = buckets[h & (nbuckets - 1)]; g != NULL; g = g->next)
			{
				if (g->hash != h || g == prev)
					continue;
				for (i = 0; i < d->nkeys; i++)
					if (!DatumGetBool(FunctionCall2Coll(d->keys[i].eq, d->keys[i].coll, g->keys[i], keys[i])))
						break;
				if (i == d->nkeys)
					break;
			}
		}
		if (g == NULL)
		{
			MemoryContextSwitchTo(stmt_cxt);
			g = palloc(offsetof(rt_group, keys) + d->nkeys * sizeof(Datum));
			g->hash = h;
			g->rows = 0;
			/* keys of one statement have much the same items: room for the last one's */
			g->st = sv_state_new_cap(stmt_cxt, prev ? prev->st->nitems + 1 : 16);
			g->order = NULL;
			for (i = 0; i < d->nkeys; i++)
				g->keys[i] = datumCopy(keys[i], d->keys[i].typbyval, d->keys[i].typlen);
			*last = g;
			last = &g->order;
			if (++ngroups > nbuckets)
			{
				/* grow: rehash every group into twice the buckets */
				rt_group   *x;

				nbuckets *= 2;
				buckets = palloc0(nbuckets * sizeof(rt_group *));
				for (x = first; x != NULL; x = x->order)
				{
					x->next = buckets[x->hash & (nbuckets - 1)];
					buckets[x->hash & (nbuckets - 1)] = x;
				}
			}
			else
			{
				g->next = buckets[h & (nbuckets - 1)];
				buckets[h & (nbuckets - 1)] = g;
			}
			MemoryContextSwitchTo(row_cxt);
		}
		g->rows++;
		prev = g;

		/* the transition function, with the arguments the SQL passes it */
		acc->args[0].value = PointerGetDatum(g->st);
		acc->args[0].isnull = false;
		acc->args[1].value = slot_getattr(slot, d->value_att, &acc->args[1].isnull);
		if (!acc->args[1].isnull && OidIsValid(d->item_cast.fn_oid))
			acc->args[1].value = FunctionCall1(&d->item_cast, acc->args[1].value);
		if (d->forms)
		{
			if (d->weight_att)
				acc->args[2].value = slot_getattr(slot, d->weight_att, &acc->args[2].isnull);
		}
		else
		{
			acc->args[2].value = slot_getattr(slot, d->score_att, &acc->args[2].isnull);
			if (nargs > 3)
			{
				if (d->weight_att)
					acc->args[3].value = slot_getattr(slot, d->weight_att, &acc->args[3].isnull);
				else
				{
					acc->args[3].value = Float8GetDatum(1.0);
					acc->args[3].isnull = false;
				}
			}
			if (nargs > 4)
			{
				acc->args[4].value = Int32GetDatum(d->k);
				acc->args[4].isnull = false;
			}
		}
		if (d->weight_att)
		{
			int			w = d->forms ? 2 : 3;

			if (!acc->args[w].isnull && OidIsValid(d->weight_cast.fn_oid))
				acc->args[w].value = FunctionCall1(&d->weight_cast, acc->args[w].value);
		}
		acc->isnull = false;
		(void) trans(acc);
		MemoryContextReset(row_cxt);
	}
	error_context_stack = errcb.previous;
	ExecDropSingleTupleTableSlot(slot);

	if (first != NULL)
	{
		Datum		values[RT_MAX_KEYS + 2];
		char		nulls[RT_MAX_KEYS + 2];
		LOCAL_FCINFO(fin, 1);

		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "rollup trigger: SPI_connect failed");
		InitFunctionCallInfoData(*fin, &final_fl, 1, InvalidOid, NULL, NULL);
		if (ngroups > 1 && d->plan_many != NULL)
		{
			/* one array per column, one executor run for all keys */
			int			ncols = d->nkeys + 2;
			Datum	   *cols = MemoryContextAlloc(stmt_cxt, ncols * ngroups * sizeof(Datum));
			bool	   *cnulls = MemoryContextAllocZero(stmt_cxt, ncols * ngroups * sizeof(bool));
			int			dims[1] = {(int) ngroups};
			int			lbs[1] = {1};
			int64		j = 0;
			int			rc;

			for (g = first; g != NULL; g = g->order, j++)
			{
				Datum		sv;

				for (i = 0; i < d->nkeys; i++)
					cols[i * ngroups + j] = g->keys[i];
				cols[d->nkeys * ngroups + j] = Int64GetDatum(d->del ? -g->rows : g->rows);
				MemoryContextReset(row_cxt);
				MemoryContextSwitchTo(row_cxt);
				fin->args[0].value = PointerGetDatum(g->st);
				fin->args[0].isnull = false;
				fin->isnull = false;
				sv = survey_final(fin);
				MemoryContextSwitchTo(stmt_cxt);
				if (fin->isnull)
					cnulls[(d->nkeys + 1) * ngroups + j] = true;
				else
					cols[(d->nkeys + 1) * ngroups + j] = datumCopy(sv, false, -1);
			}
			MemoryContextReset(row_cxt);
			for (i = 0; i < ncols; i++)
			{
				values[i] = PointerGetDatum(construct_md_array(cols + i * ngroups, cnulls + i * ngroups, 1, dims, lbs,
															   d->elem[i], d->elem_len[i], d->elem_byval[i],
															   d->elem_align[i]));
				nulls[i] = ' ';
			}
			rc = SPI_execute_plan(d->plan_many, values, nulls, false, 0);
			if (rc != SPI_OK_INSERT || SPI_processed != (uint64) ngroups)
				elog(ERROR, "rollup trigger: inserting the delta rows failed: %s", SPI_result_code_string(rc));
			first = NULL;		/* done */
		}
		for (g = first; g != NULL; g = g->order)
		{
			int			rc;

			/* each key's final value in memory reused by the next (not one block per key) */
			MemoryContextReset(row_cxt);
			MemoryContextSwitchTo(row_cxt);
			for (i = 0; i < d->nkeys; i++)
			{
				values[i] = g->keys[i];
				nulls[i] = ' ';
			}
			values[d->nkeys] = Int64GetDatum(d->del ? -g->rows : g->rows);
			nulls[d->nkeys] = ' ';
			fin->args[0].value = PointerGetDatum(g->st);
			fin->args[0].isnull = false;
			fin->isnull = false;
			values[d->nkeys + 1] = survey_final(fin);
			nulls[d->nkeys + 1] = fin->isnull ? 'n' : ' ';
			rc = SPI_execute_plan(d->plan, values, nulls, false, 0);
			if (rc != SPI_OK_INSERT)
				elog(ERROR, "rollup trigger: inserting a delta row failed: %s", SPI_result_code_string(rc));
		}
		SPI_finish();
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(stmt_cxt);
	return PointerGetDatum(NULL);
}
