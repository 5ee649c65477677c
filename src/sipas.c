/*
 * sipas.c - module magic and load-time setup.  Each SQL-facing concern
 * lives in its own file under src/pg/; the math they call lives in
 * src/core/.
 */
#include "postgres.h"
#include "fmgr.h"

#include "common/shortest_dec.h"

#include "core/lk_text.h"

PG_MODULE_MAGIC;

/* fmgr.h declares it from PostgreSQL 16 on */
#if PG_VERSION_NUM < 160000
void		_PG_init(void);
#endif

/*
 * The core prints doubles with PostgreSQL's shortest-exact printer, the one
 * float8out uses; the core itself includes no PostgreSQL header, so it gets
 * the printer here.
 */
void
_PG_init(void)
{
	lk_set_double_printer(double_to_shortest_decimal_buf);
}
