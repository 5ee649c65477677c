-- sipas 1.1 -> 1.2: forms, the report, incremental rollups, hardening and the
-- codebase review.  Built from extension/1.2/*.sql by the Makefile, one file per
-- concern; released parts (extension/1.0, extension/1.1) are frozen.
\echo Use "ALTER EXTENSION sipas UPDATE TO '1.2'" to load this file. \quit
