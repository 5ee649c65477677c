# sipas - PGXS build.
#   src/core/  plain C math (no PostgreSQL headers), unit-tested in tests/unit
#   src/pg/    fmgr wrappers: types, aggregates, accessors
#   extension/ script parts: extension/1.0 (install), extension/1.1 (update 1.0 -> 1.1),
#              extension/1.2 (update 1.1 -> 1.2)
#   sql/, expected/  pg_regress suite (make installcheck)

EXTENSION = sipas
MODULE_big = sipas

CORE_OBJS = $(patsubst %.c,%.o,$(wildcard src/core/*.c))
PG_OBJS = $(patsubst %.c,%.o,$(wildcard src/pg/*.c))
OBJS = src/sipas.o $(CORE_OBJS) $(PG_OBJS)

# Scripts are built from their parts, one file per concern: extension/1.0/*.sql is the
# install script of 1.0, extension/1.1/*.sql the update from 1.0 to 1.1, extension/1.2/*.sql
# the update from 1.1 to 1.2.  There is no full script of a later version: CREATE EXTENSION
# installs 1.0 and applies the updates, so every install also runs the upgrade path.
DATA_built = sipas--1.0.sql sipas--1.0--1.1.sql sipas--1.1--1.2.sql

REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=. --load-extension=sipas

PG_CFLAGS = -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
	-Werror=implicit-function-declaration
SHLIB_LINK = -lm

EXTRA_CLEAN = tests/unit/test_core tests/unit/*.o

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

sipas--1.0.sql: $(sort $(wildcard extension/1.0/*.sql))
	cat $^ > $@

sipas--1.0--1.1.sql: $(sort $(wildcard extension/1.1/*.sql))
	cat $^ > $@

sipas--1.1--1.2.sql: $(sort $(wildcard extension/1.2/*.sql))
	cat $^ > $@
