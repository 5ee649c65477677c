-- bench/sql/answers.sql - the benchmark's answer table, generated deterministically.
--   psql -v rows=N -f bench/sql/answers.sql      (bench/run does this)
--
-- One survey year: respondents fill in a form of 39 items (4 % of scores NULL: no answer)
-- and belong to one of 300 units; answers arrive in time order, so the table is
-- physically sorted by day.  Units differ in satisfaction (about 72 % to 92 % of scores 4-5).
--   id          0..N-1, the row number (answer order)
--   period      month of the answer, 1..12
--   unit        1..300 (a hash of the respondent: units are interleaved in the table)
--   respondent  one form = 39 consecutive rows
--   item        1..39
--   day         1..365
--   score       1..5, NULL ~4 %
--   weight      design weight of the respondent, 0.5..2.5
-- The table is UNLOGGED (generation speed; reads are the same as a logged table) and
-- vacuumed (frozen, hint bits set, statistics) and loaded into shared buffers afterwards.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;

-- bench_warm(rel): pg_prewarm when installed, else a full scan; returns blocks or rows.
CREATE OR REPLACE FUNCTION bench_warm(rel regclass) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_prewarm') THEN
        EXECUTE 'SELECT pg_prewarm($1)' INTO n USING rel;
    ELSE
        EXECUTE format('SELECT count(*) FROM %s', rel) INTO n;
    END IF;
    RETURN n;
END $$;

DROP TABLE IF EXISTS answers;
CREATE UNLOGGED TABLE answers (
    id          integer  NOT NULL,
    period      integer  NOT NULL,
    unit        integer  NOT NULL,
    respondent  integer  NOT NULL,
    item        smallint NOT NULL,
    day         smallint NOT NULL,
    score       smallint,
    weight      float8   NOT NULL
);

SELECT (:rows + 38) / 39 AS nresp \gset
-- random() after setseed() is deterministic: INSERT ... SELECT never runs in parallel.
SELECT setseed(0.2024);
INSERT INTO answers
SELECT g, 1 + (day - 1) * 12 / 365, unit, r, item, day,
       CASE WHEN random() < 0.04 THEN NULL
            ELSE (1 + floor(5 * power(random(), 0.20 + (unit % 11) * 0.02)))::smallint
       END,
       weight
FROM (SELECT g, r, (g % 39 + 1)::smallint AS item,
             (1 + r::int8 * 365 / :nresp)::smallint AS day,
             1 + ((hashint4(r)::int8 + 2147483648) % 300)::int AS unit,
             0.5 + ((hashint4(r # 1431655765)::int8 + 2147483648) % 2001)::float8 / 1000 AS weight
      FROM (SELECT g, g / 39 AS r FROM generate_series(0, :rows - 1) AS g) s) t;

VACUUM (FREEZE, ANALYZE) answers;
SELECT bench_warm('answers');
