-- Setup of doc/production.md (tests/docs): the coordinator of "Several servers", with the
-- two remote servers of the example replaced by two databases of this cluster reached
-- over loopback postgres_fdw (the example's first block names a real host and role, so it
-- is marked no-run; this is that block with host, port and user changed).  :port is the
-- cluster's port (docs.py passes it).  tests/fdw does the same over two real clusters.
SET client_min_messages = warning;
\set coordinator :DBNAME
DROP DATABASE IF EXISTS sipas_docs_part1;
DROP DATABASE IF EXISTS sipas_docs_part2;
CREATE DATABASE sipas_docs_part1;
CREATE DATABASE sipas_docs_part2;
\c sipas_docs_part1
CREATE EXTENSION sipas;
CREATE TABLE public.answers (district text NOT NULL, agency text NOT NULL, period integer NOT NULL,
                             item text NOT NULL, score smallint, weight double precision NOT NULL);
\c sipas_docs_part2
CREATE EXTENSION sipas;
CREATE TABLE public.answers (district text NOT NULL, agency text NOT NULL, period integer NOT NULL,
                             item text NOT NULL, score smallint, weight double precision NOT NULL);
\c :coordinator
SET client_min_messages = warning;
CREATE EXTENSION postgres_fdw;
CREATE SERVER part1 FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host '127.0.0.1', port :'port', dbname 'sipas_docs_part1', extensions 'sipas', batch_size '1000');
CREATE SERVER part2 FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host '127.0.0.1', port :'port', dbname 'sipas_docs_part2', extensions 'sipas', batch_size '1000');
CREATE USER MAPPING FOR CURRENT_USER SERVER part1 OPTIONS (user 'postgres');
CREATE USER MAPPING FOR CURRENT_USER SERVER part2 OPTIONS (user 'postgres');

CREATE TABLE answers (district text NOT NULL, agency text NOT NULL, period integer NOT NULL,
                      item text NOT NULL, score smallint, weight double precision NOT NULL)
  PARTITION BY LIST (district);
CREATE FOREIGN TABLE answers_part1 PARTITION OF answers FOR VALUES IN ('D1', 'D2')
  SERVER part1 OPTIONS (schema_name 'public', table_name 'answers');
CREATE FOREIGN TABLE answers_part2 PARTITION OF answers FOR VALUES IN ('D3', 'D4')
  SERVER part2 OPTIONS (schema_name 'public', table_name 'answers');

-- the first 10 respondents of every unit and year, the units spread over four districts
INSERT INTO answers
SELECT 'D' || (1 + (ascii(a.unit) + length(a.unit)) % 4), a.agency, a.period, a.item, a.score, a.weight
FROM docs.answers a WHERE a.respondent <= 10;


SET enable_partitionwise_aggregate = on;     -- or ALTER ROLE analyst SET …
SET client_min_messages = notice;
