/*
 * catalogue.c - reading questionnaires from sipas.node, checking them as
 * trees, and caching them per call site.
 *
 * Reading: one SPI query per questionnaire; values are taken as binary
 * datums of the columns' own types (text, integer, double precision).
 * Parents are resolved through a hash table, the tree is numbered in
 * questionnaire order without recursion (hr_preorder), and every loop over
 * the rows checks for interrupts, so a questionnaire of SIPAS_CAT_MAX_NODES
 * nodes, however deep, loads in linear time and can be cancelled.
 *
 * Caching: fn_extra holds up to CACHE_ENTRIES questionnaires (and at most
 * CACHE_NODES nodes), least recently used evicted first; each lives in its
 * own memory context, deleted on eviction, so reading questionnaires in
 * turn row after row costs no memory.
 *
 * When a cached questionnaire is still right: sipas.node is an ordinary
 * table and DML on it sends no invalidation, so the cache cannot be told of
 * a change.  What a query reads is fixed by its snapshot instead: SPI with
 * read_only reads under the active snapshot, and two MVCC snapshots with
 * the same xmin, xmax, in-progress lists and command id, taken in the same
 * transaction, see the same rows -- except for rows of our own
 * subtransactions that were rolled back in between, which no snapshot
 * field shows.  So the cache remembers the snapshot it was filled under
 * (its contents, not its address, which may be reused), the local
 * transaction and the number of subtransaction aborts so far, and is
 * emptied when any of them differs.  This gives every snapshot rule:
 *  - a change made by the same transaction advances the command id, which
 *    the next statement's snapshot carries (the PL/pgSQL loop of issue 15,
 *    whose simple expressions keep fn_extra across statements);
 *  - a change committed by another session changes the in-progress list or
 *    xmax of every later snapshot, so a READ COMMITTED statement that can
 *    see it reloads; a REPEATABLE READ transaction keeps its snapshot, and
 *    the cache, and rightly does not see it;
 *  - a rolled-back subtransaction (EXCEPTION block, ROLLBACK TO) counts as
 *    an abort; a new transaction (procedures that COMMIT keep fn_extra)
 *    has a new local transaction id.
 * Within one query the snapshot does not change, which is what makes the
 * cache pay: it is emptied at most once per statement, never per row.  A
 * trigger-maintained generation number would spare reloads between
 * statements that change nothing, but it cannot be read consistently with
 * the snapshot without a table read of its own, so it is not worth it.
 */
#include "catalogue.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "../core/survey.h"

#define CACHE_ENTRIES	8		/* questionnaires per call site */
#define CACHE_NODES		(2 * SIPAS_CAT_MAX_NODES)	/* nodes per call site */

#if PG_VERSION_NUM >= 170000
#define MY_LXID (MyProc->vxid.lxid)
#else
#define MY_LXID (MyProc->lxid)
#endif

/* the snapshot a cache was filled under; see the header comment */
typedef struct cache_key
{
	bool		valid;
	LocalTransactionId lxid;
	uint64		aborts;
	TransactionId xmin;
	TransactionId xmax;
	CommandId	curcid;
	uint32		xcnt;
	int32		subxcnt;
	bool		suboverflowed;
	bool		recovery;
	TransactionId *xip;			/* [xcnt] copy, in the cache's context */
	TransactionId *subxip;		/* [subxcnt] copy */
} cache_key;

typedef struct cat_cache
{
	MemoryContext cxt;			/* fn_mcxt: this struct, the key's arrays */
	cache_key	key;
	int			nentries;
	int			nodes;			/* total over the entries */
	uint64		clock;
	sipas_catalogue *entries[CACHE_ENTRIES];
} cat_cache;

/* code -> node index: an open-addressing hash whose keys point at the node codes */
typedef struct code_entry
{
	const char *code;
	int			index;
	uint32		hash;			/* compared before the codes */
	char		status;			/* simplehash's */
} code_entry;

#define SH_PREFIX codes
#define SH_ELEMENT_TYPE code_entry
#define SH_KEY_TYPE const char *
#define SH_KEY code
#define SH_HASH_KEY(tb, key) hash_bytes((const unsigned char *) (key), (int) strlen(key))
#define SH_EQUAL(tb, a, b) (strcmp((a), (b)) == 0)
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a) ((a)->hash)
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* subtransaction aborts in this backend; see the header comment */
static uint64 subxact_aborts = 0;
static bool callback_registered = false;

static void
count_subxact_abort(SubXactEvent event, SubTransactionId mySubid,
					SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
		subxact_aborts++;
}

/* "questionnaire ... is not usable": 22023 for its contents, 54000 for its size */
pg_noreturn static void
unusable_error(int sqlstate, const char *code, const char *detail)
{
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg("questionnaire \"%s\" is not usable", code),
			 errdetail("%s", detail),
			 errhint("See sipas.questionnaire and sipas.node.")));
	pg_unreachable();
}

void
sipas_catalogue_error(const char *code, const char *detail)
{
	unusable_error(ERRCODE_INVALID_PARAMETER_VALUE, code, detail);
}

pg_noreturn static void
limit_error(const char *code, const char *detail)
{
	unusable_error(ERRCODE_PROGRAM_LIMIT_EXCEEDED, code, detail);
}

/* ---- the snapshot key ---- */

/* fill 'now' from the active snapshot; valid false when there is none to key on */
static void
key_now(cache_key *now)
{
	Snapshot	snap;

	memset(now, 0, sizeof(*now));
	if (!ActiveSnapshotSet())
		return;					/* SPI then takes a fresh snapshot per query */
	snap = GetActiveSnapshot();
	if (snap->snapshot_type != SNAPSHOT_MVCC)
		return;
	now->valid = true;
	now->lxid = MY_LXID;
	now->aborts = subxact_aborts;
	now->xmin = snap->xmin;
	now->xmax = snap->xmax;
	now->curcid = snap->curcid;
	now->xcnt = snap->xcnt;
	now->subxcnt = snap->subxcnt;
	now->suboverflowed = snap->suboverflowed;
	now->recovery = snap->takenDuringRecovery;
	now->xip = snap->xip;		/* borrowed until key_store copies them */
	now->subxip = snap->subxip;
}

static bool
key_equal(const cache_key *a, const cache_key *b)
{
	if (!a->valid || !b->valid)
		return false;
	if (a->lxid != b->lxid || a->aborts != b->aborts || a->xmin != b->xmin ||
		a->xmax != b->xmax || a->curcid != b->curcid || a->xcnt != b->xcnt ||
		a->subxcnt != b->subxcnt || a->suboverflowed != b->suboverflowed ||
		a->recovery != b->recovery)
		return false;
	if (a->xcnt > 0 && memcmp(a->xip, b->xip, a->xcnt * sizeof(TransactionId)) != 0)
		return false;
	if (a->subxcnt > 0 && memcmp(a->subxip, b->subxip, a->subxcnt * sizeof(TransactionId)) != 0)
		return false;
	return true;
}

static void
key_store(cat_cache *cache, const cache_key *now)
{
	cache_key  *k = &cache->key;

	if (k->xip)
		pfree(k->xip);
	if (k->subxip)
		pfree(k->subxip);
	*k = *now;
	k->xip = NULL;
	k->subxip = NULL;
	if (now->xcnt > 0)
	{
		k->xip = MemoryContextAlloc(cache->cxt, now->xcnt * sizeof(TransactionId));
		memcpy(k->xip, now->xip, now->xcnt * sizeof(TransactionId));
	}
	if (now->subxcnt > 0)
	{
		k->subxip = MemoryContextAlloc(cache->cxt, now->subxcnt * sizeof(TransactionId));
		memcpy(k->subxip, now->subxip, now->subxcnt * sizeof(TransactionId));
	}
}

/* ---- the entries ---- */

static void
evict(cat_cache *cache, int i)
{
	cache->nodes -= cache->entries[i]->n;
	MemoryContextDelete(cache->entries[i]->cxt);
	cache->entries[i] = cache->entries[--cache->nentries];
}

static void
evict_lru(cat_cache *cache)
{
	int			lru = 0,
				i;

	for (i = 1; i < cache->nentries; i++)
		if (cache->entries[i]->last_used < cache->entries[lru]->last_used)
			lru = i;
	evict(cache, lru);
}

int
sipas_catalogue_find(const sipas_catalogue *c, const char *code)
{
	code_entry *e = codes_lookup(c->by_code, code);

	return e ? e->index : -1;
}

hr_node *
sipas_catalogue_tree(sipas_catalogue *c)
{
	memcpy(c->work, c->tree, c->n * sizeof(hr_node));
	return c->work;
}

/* ---- reading ---- */

static void
check_column_types(TupleDesc desc)
{
	static const Oid expected[7] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, INT4OID, FLOAT8OID};
	int			i;

	for (i = 0; i < 7; i++)
		if (SPI_gettypeid(desc, i + 1) != expected[i])
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column \"%s\" of sipas.node has type %s, expected %s",
							SPI_fname(desc, i + 1), format_type_be(SPI_gettypeid(desc, i + 1)),
							format_type_be(expected[i])),
					 errhint("The catalogue tables belong to the extension; restore them with ALTER EXTENSION sipas UPDATE or a reinstall.")));
}

/*
 * Read questionnaire 'code' into a new memory context, a child of the
 * current one until the caller adopts it (so that an error leaves nothing
 * behind in a long-lived context).
 */
static sipas_catalogue *
load(const char *code)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "sipas questionnaire",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old;
	sipas_catalogue *c;
	sipas_cat_node *rows;		/* catalogue (position, code) order */
	hr_node    *tree;			/* same order */
	char	  **parents;
	int		   *order;
	int		   *index_of;		/* row -> questionnaire order */
	codes_hash *by_code;
	codes_iterator it;
	code_entry *e;
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	int			n,
				roots = 0,
				i;

	args[0] = CStringGetTextDatum(code);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* one row more than the limit tells that there are too many */
	if (SPI_execute_with_args("SELECT code, parent, kind, name_vi, name_en, scale, weight "
							  "FROM sipas.node WHERE questionnaire OPERATOR(pg_catalog.=) $1 "
							  "ORDER BY position, code LIMIT " CppAsString2(SIPAS_CAT_MAX_NODES) " + 1",
							  1, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading sipas.node failed");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown questionnaire \"%s\"", code),
				 errdetail("sipas.node has no nodes for it."),
				 errhint("Built in: '2017' (decision 2640/QĐ-BNV) and '2023' (decision 1001/QĐ-BNV).")));
	if (SPI_processed > SIPAS_CAT_MAX_NODES)
		limit_error(code, psprintf("It has more than %d nodes, the most a questionnaire may have.",
								   SIPAS_CAT_MAX_NODES));
	check_column_types(SPI_tuptable->tupdesc);
	n = (int) SPI_processed;

	old = MemoryContextSwitchTo(cxt);
	c = palloc0(sizeof(sipas_catalogue));
	c->cxt = cxt;
	c->questionnaire = pstrdup(code);
	c->n = n;
	rows = palloc0(n * sizeof(sipas_cat_node));
	tree = palloc0(n * sizeof(hr_node));
	parents = palloc(n * sizeof(char *));
	by_code = codes_create(cxt, n, NULL);
	for (i = 0; i < n; i++)
	{
		Datum		v[7];
		bool		isnull[7];
		bool		found;

		CHECK_FOR_INTERRUPTS();
		/* binary values of the columns' own types (checked above) */
		heap_deform_tuple(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, v, isnull);
		rows[i].code = isnull[0] ? NULL : TextDatumGetCString(v[0]);
		parents[i] = isnull[1] ? NULL : TextDatumGetCString(v[1]);
		rows[i].kind = isnull[2] ? NULL : TextDatumGetCString(v[2]);
		rows[i].name_vi = isnull[3] ? NULL : TextDatumGetCString(v[3]);
		rows[i].name_en = isnull[4] ? NULL : TextDatumGetCString(v[4]);
		rows[i].scale = isnull[5] ? 0 : DatumGetInt32(v[5]);
		tree[i].weight = isnull[6] ? 1.0 : DatumGetFloat8(v[6]);
		/* the table's constraints guarantee these; a damaged table gets an error, not a crash */
		if (rows[i].code == NULL || strlen(rows[i].code) > SV_CODE_MAX ||
			rows[i].kind == NULL || rows[i].name_vi == NULL)
			sipas_catalogue_error(code, "a node lacks its code, kind or name, or has a code longer than 32 characters");
		tree[i].is_item = strcmp(rows[i].kind, "item") == 0;
		if (tree[i].is_item && (rows[i].scale < 2 || rows[i].scale > LK_MAX_K))
			sipas_catalogue_error(code, psprintf("item \"%s\" has no scale of 2 to %d levels",
												 rows[i].code, LK_MAX_K));
		e = codes_insert(by_code, rows[i].code, &found);
		if (found)
			sipas_catalogue_error(code, psprintf("node \"%s\" appears twice", rows[i].code));
		e->index = i;			/* the row for now; the final index below */
	}
	MemoryContextSwitchTo(old);
	SPI_finish();

	/* parents by hash, checked in catalogue order */
	for (i = 0; i < n; i++)
	{
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (parents[i] == NULL)
		{
			tree[i].parent = -1;
			roots++;
			continue;
		}
		if ((e = codes_lookup(by_code, parents[i])) == NULL)
			sipas_catalogue_error(code, psprintf("node \"%s\" has unknown parent \"%s\"",
												 rows[i].code, parents[i]));
		tree[i].parent = e->index;
		if (tree[e->index].is_item)
			sipas_catalogue_error(code, psprintf("item \"%s\" has a child \"%s\"",
												 parents[i], rows[i].code));
	}
	if (roots != 1)
		sipas_catalogue_error(code, psprintf("%d nodes without a parent; a questionnaire has one root", roots));

	/* questionnaire order: pre-order, children in catalogue order (linear, no recursion) */
	order = MemoryContextAlloc(cxt, n * sizeof(int));
	if (hr_preorder(tree, n, order) != n)
		sipas_catalogue_error(code, "some nodes are not below the root (a cycle)");

	/* renumber everything in questionnaire order; the root becomes 0 */
	old = MemoryContextSwitchTo(cxt);
	index_of = palloc(n * sizeof(int));
	for (i = 0; i < n; i++)
		index_of[order[i]] = i;
	c->nodes = palloc(n * sizeof(sipas_cat_node));
	c->tree = palloc0(n * sizeof(hr_node));
	c->work = palloc(n * sizeof(hr_node));
	for (i = 0; i < n; i++)
	{
		int			r = order[i];
		hr_node    *t = &c->tree[i];

		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (tree[r].depth > SIPAS_CAT_MAX_DEPTH)
			limit_error(code, psprintf("Node \"%s\" is %d levels below the root; a questionnaire may have at most %d levels.",
									   rows[r].code, tree[r].depth, SIPAS_CAT_MAX_DEPTH));
		c->nodes[i] = rows[r];
		t->parent = tree[r].parent < 0 ? -1 : index_of[tree[r].parent];
		t->is_item = tree[r].is_item;
		t->weight = tree[r].weight;
		t->depth = tree[r].depth;
		t->se = NAN;
	}
	codes_start_iterate(by_code, &it);
	while ((e = codes_iterate(by_code, &it)) != NULL)
		e->index = index_of[e->index];
	c->by_code = by_code;
	pfree(tree);
	pfree(parents);
	pfree(order);
	pfree(index_of);
	pfree(rows);
	MemoryContextSwitchTo(old);
	return c;
}

sipas_catalogue *
sipas_catalogue_get(FmgrInfo *flinfo, const char *code)
{
	cat_cache  *cache = (cat_cache *) flinfo->fn_extra;
	cache_key	now;
	sipas_catalogue *c;
	int			i;

	if (!callback_registered)
	{
		RegisterSubXactCallback(count_subxact_abort, NULL);
		callback_registered = true;
	}
	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(flinfo->fn_mcxt, sizeof(cat_cache));
		cache->cxt = flinfo->fn_mcxt;
		flinfo->fn_extra = cache;
	}

	/* a different snapshot may see a different catalogue: start afresh */
	key_now(&now);
	if (!key_equal(&now, &cache->key))
	{
		while (cache->nentries > 0)
			evict(cache, 0);
		key_store(cache, &now);
	}

	cache->clock++;
	for (i = 0; i < cache->nentries; i++)
		if (strcmp(cache->entries[i]->questionnaire, code) == 0)
		{
			cache->entries[i]->last_used = cache->clock;
			return cache->entries[i];
		}

	c = load(code);
	while (cache->nentries > 0 &&
		   (cache->nentries == CACHE_ENTRIES || cache->nodes + c->n > CACHE_NODES))
		evict_lru(cache);
	MemoryContextSetParent(c->cxt, cache->cxt);
	c->last_used = cache->clock;
	cache->entries[cache->nentries++] = c;
	cache->nodes += c->n;
	return c;
}
