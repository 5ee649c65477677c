/*
 * sipas.c - module magic.  Each SQL-facing concern lives in its own file
 * under src/pg/; the math they call lives in src/core/.
 */
#include "postgres.h"
#include "fmgr.h"

PG_MODULE_MAGIC;
