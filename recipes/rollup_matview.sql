-- recipes/rollup_matview.sql - scheduled rollups of SIPAS answers for BI tools,
-- the materialized-view way (before sipas 1.2).
--
-- Superseded by the extension's rollups (sipas.rollup_create, recipes/rollup.sql,
-- doc/rollups.md), which stay exact between refreshes and refresh at the cost of
-- what changed: this recipe recomputes all history at every refresh.  Kept for
-- installations that use it (tests/load drives it).
--
-- Keeps two materialized views of small daily summaries, refreshed CONCURRENTLY
-- by pg_cron every minute, and plain views on top that a BI tool reads as
-- ordinary columns.  Documented in doc/production.md, "Scheduled rollups";
-- tested by tests/load/run.
--
-- Assumes, in the current database (rename to fit yours):
--
--   public.answers  (agency text NOT NULL, item text NOT NULL,       -- item codes of sipas.node
--                    score smallint,  -- 1..5; NULL = no answer; anything else makes the refresh fail
--                    answered_on date NOT NULL)
--   public.agencies (agency text PRIMARY KEY, agency_group text)     -- ranking groups
--
-- and CREATE EXTENSION sipas, pg_cron (pg_cron only for the last statement).
-- Run it as the role that will own the views: REFRESH needs ownership, and
-- the pg_cron job runs as the role that scheduled it.
--
--   psql -v ON_ERROR_STOP=1 -d mydb -f recipes/rollup_matview.sql
--
-- To start over: SELECT cron.unschedule('sipas-refresh'); DROP SCHEMA sipas_bi CASCADE;

BEGIN;
-- Only pg_catalog on the path: every other name below is schema-qualified, so no
-- object another role creates in a schema on your usual search_path is picked up.
-- (Views store what they resolved to; the path does not matter when they are read.)
SET LOCAL search_path = pg_catalog, pg_temp;

CREATE SCHEMA sipas_bi;
COMMENT ON SCHEMA sipas_bi IS 'SIPAS rollups for BI tools (recipes/rollup_matview.sql)';

-- Daily histogram per agency and item.  Score outside 1..5 => likert_agg raises,
-- the whole refresh fails and the view keeps its previous contents.
CREATE MATERIALIZED VIEW sipas_bi.likert_daily AS
SELECT a.agency, a.item, a.answered_on AS day, sipas.likert_agg(a.score) AS s
FROM public.answers a
GROUP BY a.agency, a.item, a.answered_on
WITH DATA;
-- REFRESH ... CONCURRENTLY needs a unique index on plain columns covering all rows.
CREATE UNIQUE INDEX likert_daily_key ON sipas_bi.likert_daily (agency, item, day);
COMMENT ON MATERIALIZED VIEW sipas_bi.likert_daily IS
    'answer histogram (sipas.likert) per agency, item and day; refreshed by pg_cron job sipas-refresh';

-- Daily survey summary per agency: every item's histogram in one value.
CREATE MATERIALIZED VIEW sipas_bi.survey_daily AS
SELECT a.agency, a.answered_on AS day, sipas.survey_agg(a.item, a.score) AS s
FROM public.answers a
GROUP BY a.agency, a.answered_on
WITH DATA;
CREATE UNIQUE INDEX survey_daily_key ON sipas_bi.survey_daily (agency, day);
COMMENT ON MATERIALIZED VIEW sipas_bi.survey_daily IS
    'survey summary (sipas.survey) per agency and day; refreshed by pg_cron job sipas-refresh';

-- One row per agency and year: the overall index of the year's rollup (questionnaire
-- 2023, plain mean of children), its conservative 95 % interval and standard error,
-- the number of answers, the rank inside the agency's group (on the published two
-- decimals) and the change in points since the previous year present in the data,
-- on the published two decimals like the rank (so figures add up as printed).  The window
-- runs over every year of the group before any WHERE a BI tool adds on period, so
-- filtering does not change ranks or changes.
CREATE VIEW sipas_bi.agency_year AS
WITH y AS (
    SELECT d.agency, EXTRACT(year FROM d.day)::integer AS period, sipas.rollup(d.s) AS s
    FROM sipas_bi.survey_daily d
    GROUP BY d.agency, EXTRACT(year FROM d.day)
), f AS (
    SELECT y.agency, g.agency_group, y.period,
           sipas.overall(y.s) AS index, b.lower, b.upper, b.n,
           sipas.node_std_error(y.s, b.code) AS std_error
    FROM y
    LEFT JOIN public.agencies g ON g.agency = y.agency
    CROSS JOIN LATERAL sipas.breakdown(y.s) b
    WHERE b.kind = 'overall'
)
SELECT f.agency, f.agency_group, f.period, f.index, f.lower, f.upper, f.n, f.std_error,
       sipas.period_rank(f.index, f.period, 2) OVER w AS rank,
       sipas.rank_change(f.index, f.period, f.agency, 2) OVER w AS rank_change,
       -- the change as printed: published index minus the previous published index
       sipas.points_change(f.index, f.period, f.agency, 2) OVER w AS points_change
FROM f
WINDOW w AS (PARTITION BY f.agency_group);
COMMENT ON VIEW sipas_bi.agency_year IS
    'per agency and year: overall SIPAS index, 95 % interval, n, rank in group, change in points and rank';

-- One row per agency, year and item: the item's index with its Wilson interval.
CREATE VIEW sipas_bi.item_year AS
SELECT y.agency, y.period, y.item,
       sipas.satisfaction_index(y.s) AS index, ci.lower, ci.upper,
       sipas.n(y.s) AS n, sipas.std_error(y.s) AS std_error
FROM (SELECT l.agency, EXTRACT(year FROM l.day)::integer AS period, l.item,
             sipas.rollup(l.s) AS s
      FROM sipas_bi.likert_daily l
      GROUP BY l.agency, EXTRACT(year FROM l.day), l.item) y
CROSS JOIN LATERAL sipas.confidence_interval(y.s) ci;
COMMENT ON VIEW sipas_bi.item_year IS 'per agency, year and item: index, 95 % Wilson interval, n, standard error';

-- Both views in one transaction, from one snapshot: either both are refreshed or
-- neither is, and they always hold the same answers (under READ COMMITTED each
-- REFRESH would see the answers committed by its own start, so an agency's n in
-- agency_year could differ from the sum of its items' n while answers arrive).
-- REPEATABLE READ takes the snapshot at the first REFRESH; the lock, taken before
-- it (LOCK needs no snapshot), queues overlapping runs so that a later run never
-- works from a snapshot older than an earlier run's commit ("could not serialize").
CREATE TABLE sipas_bi.refresh_lock ();
COMMENT ON TABLE sipas_bi.refresh_lock IS 'serializes sipas-refresh runs; never holds rows';
-- pg_cron 1.4 (Debian 12) schedules in whole minutes; pg_cron >= 1.5 also takes '30 seconds'.
SELECT cron.schedule('sipas-refresh', '* * * * *',
    $$BEGIN ISOLATION LEVEL REPEATABLE READ; LOCK TABLE sipas_bi.refresh_lock IN EXCLUSIVE MODE; REFRESH MATERIALIZED VIEW CONCURRENTLY sipas_bi.likert_daily; REFRESH MATERIALIZED VIEW CONCURRENTLY sipas_bi.survey_daily; COMMIT$$);

-- What a dashboard shows next to the figures: data as of the last successful refresh,
-- and the last error if the latest run failed.
CREATE VIEW sipas_bi.refresh_status AS
SELECT max(r.start_time) FILTER (WHERE r.status = 'succeeded') AS data_as_of,
       (array_agg(r.status ORDER BY r.start_time DESC))[1] AS last_status,
       (array_agg(r.return_message ORDER BY r.start_time DESC))[1] AS last_message,
       max(r.start_time) AS last_run
FROM cron.job_run_details r
JOIN cron.job j ON j.jobid = r.jobid
WHERE j.jobname = 'sipas-refresh';
COMMENT ON VIEW sipas_bi.refresh_status IS 'last successful refresh of the sipas_bi views and the latest run''s status';

COMMIT;
