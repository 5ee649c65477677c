-- sipas 1.0.  Built from extension/1.0/*.sql in name order by the Makefile.
\echo Use "CREATE EXTENSION sipas" to load this file. \quit
