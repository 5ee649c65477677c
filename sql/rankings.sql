-- Rankings across periods: the window functions against their plain-SQL
-- formulations on generated data with ties, gaps, NULLs and one-row partitions.
SET search_path = public, sipas;
SELECT setseed(0.11);
CREATE TEMP TABLE results AS
SELECT grp, unit, period,
       CASE WHEN random() < 0.05 THEN NULL                        -- unranked that year
            ELSE round((70 + random() * 30)::numeric, 1)::float8   -- one decimal: many ties
       END AS idx
FROM (SELECT g AS grp, u AS unit FROM generate_series(1, 6) g, generate_series(1, 40) u) units,
     (VALUES (2019), (2020), (2021), (2023), (2024)) p(period)    -- 2022 missing: not consecutive
WHERE random() < 0.9;                                             -- units absent some years
INSERT INTO results VALUES (7, 1, 2024, 90.0);                    -- a one-row partition

-- plain SQL: rank() per (grp, period), the previous period present in the group, lag per unit
CREATE TEMP TABLE plain AS
WITH r AS (
  SELECT *, CASE WHEN idx IS NOT NULL THEN rank() OVER (PARTITION BY grp, period, idx IS NULL ORDER BY idx DESC) END AS rnk
  FROM results),
periods AS (
  SELECT grp, period, lag(period) OVER (PARTITION BY grp ORDER BY period) AS prev_period
  FROM (SELECT DISTINCT grp, period FROM results) d)
SELECT r.grp, r.unit, r.period, r.idx, r.rnk, p.rnk AS prev_rnk, p.rnk - r.rnk AS moved, r.idx - p.idx AS points
FROM r JOIN periods USING (grp, period)
LEFT JOIN r p ON p.grp = r.grp AND p.unit = r.unit AND p.period = periods.prev_period;

CREATE TEMP TABLE sipas_result AS
SELECT grp, unit, period, idx,
       sipas.period_rank(idx, period) OVER w AS rnk,
       sipas.previous_rank(idx, period, unit) OVER w AS prev_rnk,
       sipas.rank_change(idx, period, unit) OVER w AS moved,
       sipas.points_change(idx, period, unit) OVER w AS points
FROM results WINDOW w AS (PARTITION BY grp);

SELECT count(*) AS rows, count(*) FILTER (WHERE s.rnk IS NULL) AS unranked,
       count(*) FILTER (WHERE s.moved IS NULL AND s.rnk IS NOT NULL) AS no_previous,
       count(*) FILTER (WHERE s.rnk IS NOT DISTINCT FROM p.rnk AND s.prev_rnk IS NOT DISTINCT FROM p.prev_rnk
                          AND s.moved IS NOT DISTINCT FROM p.moved AND s.points IS NOT DISTINCT FROM p.points) AS equal
FROM sipas_result s JOIN plain p USING (grp, unit, period);

-- ties on the published (rounded) value: 90.004 and 89.996 tie at 90.00
SELECT unit, idx, sipas.period_rank(idx, period) OVER w AS full_precision,
       sipas.period_rank(idx, period, 2) OVER w AS published, sipas.rank_change(idx, period, unit, 2) OVER w AS moved
FROM (VALUES ('a', 2023, 90.004), ('b', 2023, 89.996), ('c', 2023, 80.0),
             ('a', 2024, 85.0), ('b', 2024, 95.0), ('c', 2024, 85.0)) v(unit, period, idx)
WINDOW w AS (PARTITION BY 1) ORDER BY period, unit;

-- periods and units of other types: dates and integers; the ORDER BY of the window does not matter
SELECT unit, period, sipas.rank_change(idx, period, unit) OVER (ORDER BY idx) AS moved,
       sipas.points_change(idx, period, unit) OVER (ORDER BY unit DESC) AS points
FROM (VALUES (1, date '2023-12-31', 80.0), (2, date '2023-12-31', 90.0),
             (1, date '2024-12-31', 95.0), (2, date '2024-12-31', 85.0)) v(unit, period, idx)
ORDER BY period, unit;

-- streaks: equal to gaps-and-islands SQL
CREATE TEMP TABLE streaks AS
SELECT *, sipas.consecutive(rnk = 1) OVER (PARTITION BY grp, unit ORDER BY period) AS s_rows,
          sipas.consecutive(rnk <= 10, period) OVER (PARTITION BY grp, unit ORDER BY period) AS s_years
FROM sipas_result;
WITH flagged AS (
  SELECT *, coalesce(rnk = 1, false) AS c,
         row_number() OVER (PARTITION BY grp, unit ORDER BY period)
         - row_number() OVER (PARTITION BY grp, unit, coalesce(rnk = 1, false) ORDER BY period) AS island
  FROM sipas_result),
plain_rows AS (
  SELECT grp, unit, period,
         CASE WHEN rnk IS NULL THEN NULL WHEN c THEN row_number() OVER (PARTITION BY grp, unit, c, island ORDER BY period) ELSE 0 END AS n
  FROM flagged)
SELECT count(*) AS rows, count(*) FILTER (WHERE s.s_rows IS NOT DISTINCT FROM p.n) AS equal,
       max(s.s_rows) AS longest_first_place_run
FROM streaks s JOIN plain_rows p USING (grp, unit, period);
-- with periods: 2021 -> 2023 is a gap, so runs restart (islands of consecutive years)
WITH flagged AS (
  SELECT *, coalesce(rnk <= 10, false) AS c FROM sipas_result),
islands AS (
  SELECT *, period - row_number() OVER (PARTITION BY grp, unit, c ORDER BY period) AS island FROM flagged),
plain_years AS (
  SELECT grp, unit, period,
         CASE WHEN rnk IS NULL THEN NULL WHEN c THEN row_number() OVER (PARTITION BY grp, unit, c, island ORDER BY period) ELSE 0 END AS n
  FROM islands)
SELECT count(*) AS rows, count(*) FILTER (WHERE s.s_years IS NOT DISTINCT FROM p.n) AS equal,
       max(s.s_years) AS longest_top10_run
FROM streaks s JOIN plain_years p USING (grp, unit, period);

-- "first for the Nth year running"
SELECT unit, period, sipas.consecutive(rank1, period) OVER (PARTITION BY unit ORDER BY period) AS years_first
FROM (VALUES ('X', 2021, true), ('X', 2022, true), ('X', 2023, true), ('X', 2025, true),
             ('Y', 2022, NULL), ('Y', 2023, true)) v(unit, period, rank1)
ORDER BY unit, period;

-- plausible ranks from the summaries: clearly separated units have tight ranges
SELECT unit, round(sipas.satisfaction_index(s)::numeric, 2) AS idx,
       sipas.period_rank(sipas.satisfaction_index(s), 2024) OVER () AS rnk,
       sipas.rank_range(s) OVER () AS plausible,
       sipas.rank_range(s, 0.95, 'none') OVER () AS uncorrected,
       sipas.rank_range(s, 0.5) OVER () AS at_50
FROM (VALUES ('A', sipas.likert_from_counts('{5,5,10,180,300}')),
             ('B', sipas.likert_from_counts('{5,5,12,178,300}')),
             ('C', sipas.likert_from_counts('{20,20,40,200,220}')),
             ('D', sipas.likert_from_counts('{60,60,80,150,150}')),
             ('E', sipas.likert_from_counts('{0,0,1,1,1}')),
             ('F', NULL)) v(unit, s)
ORDER BY unit;

-- the same from indices and standard errors (e.g. of survey summaries): identical ranges
SELECT count(*) FILTER (WHERE a IS NOT DISTINCT FROM b) AS identical, count(*) AS rows FROM (
  SELECT sipas.rank_range(s) OVER () AS a,
         sipas.rank_range(sipas.satisfaction_index(s), sipas.std_error(s)) OVER () AS b
  FROM (SELECT sipas.likert_agg(1 + (i * g * 7) % 5) AS s FROM generate_series(1, 30) g, generate_series(1, 50 + g) i GROUP BY g) x) y;
SELECT sipas.rank_range(i, se, 0.9, 'none') OVER () FROM (VALUES (90.0, 1.0), (80.0, NULL), (85.0, 0.5)) v(i, se);
SELECT sipas.rank_range(i, se) OVER () FROM (VALUES (90.0, -1.0)) v(i, se);

-- year-on-year change: significant or not
SELECT round(points::numeric, 4) AS points, round(std_error::numeric, 4) AS se, round(z::numeric, 4) AS z,
       round(p_value::numeric, 6) AS p_value,
       sipas.change_significant(now, before) AS significant,
       sipas.change_significant(now, before, 0.5) AS at_50
FROM (VALUES (sipas.likert_from_counts('{1,1,8,40,50}'), sipas.likert_from_counts('{1,1,10,40,48}')),
             (sipas.likert_from_counts('{10,10,80,400,500}'), sipas.likert_from_counts('{30,30,140,400,400}'))) v(now, before),
     LATERAL sipas.change_test(now, before);
-- z test by hand: (p1 - p0) / sqrt(se1^2 + se0^2)
SELECT abs(z - (0.9 - 0.8) / sqrt(0.9 * 0.1 / 999 + 0.8 * 0.2 / 999)) < 1e-12 AS z_ok
FROM sipas.change_test(sipas.likert_from_counts('{10,10,80,400,500}'), sipas.likert_from_counts('{30,30,140,400,400}'));
SELECT * FROM sipas.change_test(sipas.likert_from_counts('{0,0,0,0,1}'), sipas.likert_from_counts('{0,0,0,1,1}'));

-- misuse
SELECT sipas.rank_change(idx, period, unit) FROM results;
SELECT sipas.rank_change(idx, period, unit) OVER () FROM results;       -- not partitioned by group: duplicates
SELECT sipas.period_rank(idx, period, 16) OVER () FROM results;
SELECT sipas.consecutive(true, period) OVER (ORDER BY period DESC) FROM results WHERE grp = 1 AND unit = 3;
SELECT sipas.rank_range(s, 1.5) OVER () FROM (VALUES (sipas.likert_from_counts('{1,2}'))) v(s);
SELECT sipas.rank_range(s, 0.9, 'holm') OVER () FROM (VALUES (sipas.likert_from_counts('{1,2}'))) v(s);
SELECT sipas.change_significant(sipas.likert_from_counts('{1,2}'), sipas.likert_from_counts('{1,2}'), 0);
SELECT sipas.period_rank(1.0, point '(1,1)') OVER ();
