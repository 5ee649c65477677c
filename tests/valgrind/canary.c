/*
 * canary.c - a deliberately wrong function, loaded into the cluster under Valgrind by
 * tests/valgrind/run to show that this setup (a stock PostgreSQL without USE_VALGRIND)
 * does report mistakes made in extension code: a branch on uninitialised memory and a
 * read past the end of an allocation.  Both use a palloc big enough (64 kB) to get a
 * malloc block of its own, which is what Memcheck can see.  Not part of sipas.
 */
#include "postgres.h"
#include "fmgr.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(vg_canary);

Datum
vg_canary(PG_FUNCTION_ARGS)
{
	volatile char *p = palloc(64 * 1024);
	int			n = 0;

	if (p[1000] == 42)			/* uninitialised: "Conditional jump or move depends ..." */
		n++;
	n += p[64 * 1024 + 64];		/* past the block: "Invalid read of size 1" */
	pfree((void *) p);
	PG_RETURN_INT32(n);
}
