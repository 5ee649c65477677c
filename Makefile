# sipas - PGXS build.
#   src/core/  plain C math (no PostgreSQL headers), unit-tested in tests/unit
#   src/pg/    fmgr wrappers: types, aggregates, accessors
#   extension/ install script parts (extension/1.0/*.sql) and upgrade scripts
#   sql/, expected/  pg_regress suite (make installcheck)

EXTENSION = sipas
MODULE_big = sipas

CORE_OBJS = $(patsubst %.c,%.o,$(wildcard src/core/*.c))
PG_OBJS = $(patsubst %.c,%.o,$(wildcard src/pg/*.c))
OBJS = src/sipas.o $(CORE_OBJS) $(PG_OBJS)

# The install script is built from its parts; upgrade scripts are kept as they are.
EXTVERSION = 1.0
DATA_built = sipas--$(EXTVERSION).sql
DATA = $(wildcard extension/sipas--*--*.sql)

REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=. --load-extension=sipas

PG_CFLAGS = -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
SHLIB_LINK = -lm

EXTRA_CLEAN = tests/unit/test_core tests/unit/*.o

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

sipas--$(EXTVERSION).sql: $(sort $(wildcard extension/$(EXTVERSION)/*.sql))
	cat $^ > $@
