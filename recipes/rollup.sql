-- recipes/rollup.sql - rollups of SIPAS answers for BI tools, with the extension's
-- incremental rollups (doc/rollups.md).  Exact at any moment, refreshed at the cost of
-- what changed; works with or without pg_cron.
--
-- Assumes, in the current database (rename to fit yours):
--
--   public.answers  (agency text NOT NULL, item text NOT NULL,   -- item codes of sipas.node
--                    score smallint,                             -- 1..5; NULL = no answer
--                    answered_on date NOT NULL)
--
-- (a forms table works the same: kind => 'forms', form => 'your_form_column'; a weight
-- column: weight => 'its_name').  Run it as the owner of public.answers (no superuser
-- needed):
--
--   psql -v ON_ERROR_STOP=1 -d mydb -f recipes/rollup.sql
--
-- To start over: SELECT sipas.rollup_drop('public.agency_month', true);

BEGIN;
SET LOCAL search_path = pg_catalog, pg_temp;

-- the exact view public.agency_month: one row per agency and month (rows, summary)
SELECT sipas.rollup_create('public.agency_month', 'public.answers', ARRAY['agency'],
                           bucket_column => 'answered_on', bucket => 'month');

-- the BI view public.agency_month_bi: per agency and month the overall index (questionnaire
-- 2023, mean of children), its interval, n, respondents, standard error, rank and the
-- changes on the published values (2 decimals, sipas.points_change(index, period, unit, 2))
SELECT sipas.rollup_bi('public.agency_month', 'agency', 'month', '2023', 'mean', 2);

-- scheduled refresh: a pg_cron job every minute if pg_cron is installed; otherwise have any
-- scheduler run  CALL sipas.rollup_refresh('public.agency_month');
-- (the views are exact without any refresh: it only makes reads cheaper)
DO $$
BEGIN
	IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
		PERFORM sipas.rollup_schedule('public.agency_month');
	ELSE
		RAISE NOTICE 'pg_cron is not installed: schedule CALL sipas.rollup_refresh(''public.agency_month'') with your scheduler';
	END IF;
END
$$;
COMMIT;

-- Read:
--   SELECT * FROM public.agency_month_bi ORDER BY month, rank;
--   SELECT * FROM sipas.rollup_status;       -- data as of, deltas pending, last error
