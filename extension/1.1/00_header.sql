-- sipas 1.0 -> 1.1: changes between periods, rankings, the questionnaire hierarchy,
-- related indicators and the loader.  Built from extension/1.1/*.sql by the Makefile.
\echo Use "ALTER EXTENSION sipas UPDATE TO '1.1'" to load this file. \quit
