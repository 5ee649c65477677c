-- The report an official publishes: the province's index and its change,
-- the drill-down by part and group, then departments and districts ranked
-- with intervals, the move since last year, whether the change is beyond
-- sampling noise, and the ranks each unit could plausibly hold.
\set ON_ERROR_STOP on
\pset footer off
\pset null '—'
SET search_path = public, sipas;
\set z 1.959963984540054

-- one pass over the answers: the summary of every item per unit and year
CREATE TEMP TABLE unit_year AS
SELECT a.period, u.grp, u.code, u.name, sipas.survey_agg(a.item, a.score) AS s,
       count(DISTINCT a.respondent) AS respondents
FROM demo.answers a JOIN demo.unit u ON u.code = a.unit
GROUP BY a.period, u.grp, u.code, u.name;

-- the index's standard error, clustered by respondent: the index is linear
-- in the item shares (sipas.item_weights), so its linearisation is one
-- number per respondent; the answers of one form are correlated, and this
-- accounts for it (a second pass over the answers)
CREATE TEMP TABLE unit_year_se AS
WITH w AS (SELECT y.period, y.code, w.* FROM unit_year y, sipas.item_weights(y.s) w),
z AS (SELECT a.period, a.unit, a.respondent,
             sum(w.weight / w.n * ((a.score >= 4)::int - w.index / 100)) AS z
      FROM demo.answers a JOIN w ON w.period = a.period AND w.code = a.unit AND w.item = a.item
      WHERE a.score IS NOT NULL GROUP BY a.period, a.unit, a.respondent)
SELECT period, unit AS code, 100 * sqrt(count(*)::float8 / (count(*) - 1) * sum(z * z)) AS se
FROM z GROUP BY period, unit;

-- index (item -> group -> part -> overall, plain means), ranks on the
-- published two decimals, moves, plausible ranks, streaks
CREATE TEMP TABLE ranked AS
SELECT r.*, sipas.consecutive(r.rnk = 1, r.period) OVER (PARTITION BY r.code ORDER BY r.period) AS years_first
FROM (
	SELECT y.*,
		   sipas.period_rank(y.idx, y.period, 2) OVER g AS rnk,
		   sipas.rank_change(y.idx, y.period, y.code, 2) OVER g AS moved,
		   sipas.points_change(round(y.idx::numeric, 2)::float8, y.period, y.code) OVER g AS points,
		   lag(y.se) OVER (PARTITION BY y.code ORDER BY y.period) AS prev_se,
		   sipas.rank_range(y.idx, y.se) OVER (PARTITION BY y.grp, y.period) AS plausible
	FROM (SELECT u.*, sipas.overall(u.s) AS idx, e.se FROM unit_year u JOIN unit_year_se e USING (period, code)) y
	WINDOW g AS (PARTITION BY y.grp)
) r;

\echo
\echo '  SIPAS 2024 — chỉ số hài lòng về sự phục vụ hành chính (fictional demo province)'
\echo '  39 items of the 2023–2026 questionnaire; an index is the share of answers 4–5 of 1–5,'
\echo '  items -> groups -> parts -> overall by plain means; published with two decimals.'
\echo
SELECT y.period AS "Năm / year",
       round(avg(sipas.overall(s))::numeric, 2) AS "SIPAS (mean of units)",
       round(sipas.overall(sipas.rollup(s))::numeric, 2) AS "pooled answers",
       round(avg(sipas.node_index(s, 'I'))::numeric, 2) AS "I. chính sách",
       round(avg(sipas.node_index(s, 'II'))::numeric, 2) AS "II. dịch vụ",
       sum(respondents) AS "respondents"
FROM unit_year y GROUP BY y.period ORDER BY y.period;

SELECT to_char(round(c.v::numeric, 2) - round(p.v::numeric, 2), 'FMSG990.00') AS "Change 2023 → 2024, points"
FROM (SELECT avg(sipas.overall(s)) v FROM unit_year WHERE period = 2024) c,
     (SELECT avg(sipas.overall(s)) v FROM unit_year WHERE period = 2023) p;

\echo '  Drill-down, all answers of 2024 (sipas.breakdown; conservative intervals from the summary alone)'
SELECT repeat('  ', b.level) || b.code AS "code", b.name AS "tên / name", b.n AS "answers",
       round(b.index::numeric, 2) AS "index", format('%s–%s', round(b.lower::numeric, 1), round(b.upper::numeric, 1)) AS "95 % CI"
FROM (SELECT sipas.rollup(s) AS s FROM unit_year WHERE period = 2024) p, sipas.breakdown(p.s) b
WHERE b.level <= 2;

\echo '  95 % CI, ± points (* = significant, z test) and plausible ranks use standard errors clustered'
\echo '  by respondent (the 39 answers of one form are correlated).'
\echo '  Plausible: the ranks a unit could hold — units not significantly above or below (95 %, Bonferroni).'
\echo
\echo '  Provincial departments (sở, ban, ngành)'
\set grp department
\ir ranked_group.sql

\echo '  Districts (huyện, thị xã, thành phố)'
\set grp district
\ir ranked_group.sql

\echo '  Highest and lowest, 2024'
SELECT CASE grp WHEN 'department' THEN 'departments' ELSE 'districts' END AS "group",
       (array_agg(name ORDER BY rnk, name))[1] AS "highest",
       round(max(idx)::numeric, 2) AS "SIPAS",
       (array_agg(name ORDER BY rnk DESC, name))[1] AS "lowest",
       round(min(idx)::numeric, 2) AS "SIPAS "
FROM ranked WHERE period = 2024 GROUP BY grp ORDER BY grp;
