-- Moving windows use the inverse transition functions; results must equal
SET search_path = public, sipas;   -- for the = operator on sipas.likert
-- twins of the same aggregates without inverse (recomputed from scratch
-- for every row by the executor) and a direct recomputation.
CREATE AGGREGATE twin_likert(integer, double precision) (
	SFUNC = sipas_internal.likert_trans, STYPE = internal, FINALFUNC = sipas_internal.likert_final);
CREATE AGGREGATE twin_index(integer) (
	SFUNC = sipas_internal.likert_trans, STYPE = internal, FINALFUNC = sipas_internal.likert_index_final);
CREATE AGGREGATE twin_rollup(sipas.likert) (
	SFUNC = sipas_internal.likert_rollup_trans, STYPE = internal, FINALFUNC = sipas_internal.likert_final);

SELECT setseed(0.3);
CREATE TEMP TABLE daily AS
SELECT d AS day,
       CASE WHEN random() < 0.1 THEN NULL ELSE 1 + floor(random() * 5)::int END AS score,
       -- weights spanning twelve orders of magnitude stress exact subtraction
       CASE WHEN d % 17 = 0 THEN 1e9 ELSE 1e-3 + random() END AS weight
FROM generate_series(1, 3000) d;
UPDATE daily SET score = NULL WHERE day BETWEEN 500 AND 530;   -- a frame of NULLs only

-- unweighted index: exact
SELECT count(*) AS rows, count(*) FILTER (WHERE m IS NOT DISTINCT FROM t) AS exact FROM (
  SELECT sipas.satisfaction_index(score) OVER w AS m, twin_index(score) OVER w AS t
  FROM daily WINDOW w AS (ORDER BY day ROWS BETWEEN 9 PRECEDING AND CURRENT ROW)) x;
-- the same with a large frame and with a frame that trails behind the row
SELECT count(*) FILTER (WHERE m IS NOT DISTINCT FROM t) AS exact FROM (
  SELECT sipas.satisfaction_index(score) OVER w AS m, twin_index(score) OVER w AS t
  FROM daily WINDOW w AS (ORDER BY day ROWS BETWEEN 999 PRECEDING AND CURRENT ROW)) x;
SELECT count(*) FILTER (WHERE m IS NOT DISTINCT FROM t) AS exact FROM (
  SELECT sipas.satisfaction_index(score) OVER w AS m, twin_index(score) OVER w AS t
  FROM daily WINDOW w AS (ORDER BY day ROWS BETWEEN 20 PRECEDING AND 5 PRECEDING)) x;

-- weighted summaries: counts exact, weight sums equal to 1e-12 relative
SELECT count(*) AS rows,
       count(*) FILTER (WHERE (m IS NULL AND t IS NULL) OR
                              (sipas.counts(m) = sipas.counts(t)
                               AND abs(sipas.weighted_n(m) - sipas.weighted_n(t)) <= 1e-12 * sipas.weighted_n(t)
                               AND abs(sipas.satisfaction_index(m) - sipas.satisfaction_index(t)) <= 1e-9)) AS agree,
       count(*) FILTER (WHERE m = t) AS bit_identical
FROM (SELECT sipas.likert_agg(score, weight) OVER w AS m, twin_likert(score, weight) OVER w AS t
      FROM daily WINDOW w AS (ORDER BY day ROWS BETWEEN 49 PRECEDING AND CURRENT ROW)) x;

-- NULL frames give NULL
SELECT day, sipas.likert_agg(score) OVER w, sipas.satisfaction_index(score) OVER w
FROM daily WHERE day BETWEEN 500 AND 530 WINDOW w AS (ORDER BY day ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
ORDER BY day LIMIT 4;

-- rollup over a moving window of daily summaries
CREATE TEMP TABLE summaries AS
SELECT day / 10 AS d10, sipas.likert_agg(score, weight) AS s FROM daily GROUP BY 1;
SELECT count(*) AS rows, count(*) FILTER (WHERE
         (m IS NULL AND t IS NULL) OR
         (sipas.counts(m) = sipas.counts(t)
          AND abs(sipas.weighted_n(m) - sipas.weighted_n(t)) <= 1e-12 * sipas.weighted_n(t))) AS agree
FROM (SELECT sipas.rollup(s) OVER w AS m, twin_rollup(s) OVER w AS t
      FROM summaries WINDOW w AS (ORDER BY d10 ROWS BETWEEN 6 PRECEDING AND CURRENT ROW)) x;

-- direct recomputation of one row's frame
SELECT (SELECT sipas.satisfaction_index(score) OVER (ORDER BY day ROWS BETWEEN 99 PRECEDING AND CURRENT ROW)
        FROM daily ORDER BY day OFFSET 2499 LIMIT 1)
     = (SELECT sipas.satisfaction_index(score) FROM daily WHERE day BETWEEN 2401 AND 2500) AS recomputed;

-- RANGE frames and partitions
SELECT count(*) FILTER (WHERE m IS NOT DISTINCT FROM t) = count(*) AS exact FROM (
  SELECT sipas.satisfaction_index(score) OVER w AS m, twin_index(score) OVER w AS t
  FROM daily WINDOW w AS (PARTITION BY day % 4 ORDER BY day RANGE BETWEEN 40 PRECEDING AND CURRENT ROW)) x;
