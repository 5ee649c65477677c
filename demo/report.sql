-- The report an official publishes: the province's index and its change,
-- then departments and districts ranked, with 95 % intervals, the move
-- since last year, whether the change is beyond sampling noise, and the
-- ranks each unit could plausibly hold.
\set ON_ERROR_STOP on
\pset footer off
\pset null '—'
SET search_path = public, sipas;

-- per unit and year: one pass over the answers into a summary
CREATE TEMP TABLE unit_year AS
SELECT a.period, u.grp, u.code, u.name, sipas.likert_agg(a.score) AS s
FROM demo.answers a JOIN demo.unit u ON u.code = a.unit
GROUP BY a.period, u.grp, u.code, u.name;

-- ranks on the published (two-decimal) values, moves, streaks, plausible ranks
CREATE TEMP TABLE ranked AS
SELECT r.*, sipas.consecutive(r.rnk = 1, r.period) OVER (PARTITION BY r.code ORDER BY r.period) AS years_first
FROM (
	SELECT y.*, round(sipas.satisfaction_index(y.s)::numeric, 2) AS idx,
		   sipas.period_rank(sipas.satisfaction_index(y.s), y.period, 2) OVER g AS rnk,
		   sipas.rank_change(sipas.satisfaction_index(y.s), y.period, y.code, 2) OVER g AS moved,
		   sipas.points_change(round(sipas.satisfaction_index(y.s)::numeric, 2)::float8, y.period, y.code) OVER g AS points,
		   sipas.rank_range(y.s) OVER (PARTITION BY y.grp, y.period) AS plausible
	FROM unit_year y
	WINDOW g AS (PARTITION BY y.grp)
) r;

\echo
\echo '  SIPAS 2024 — chỉ số hài lòng về sự phục vụ hành chính (fictional demo province)'
\echo '  Satisfied = answers 4–5 of 1–5, all 16 service items.  CI: Wilson 95 %.'
\echo '  ± points: change against 2023 (* = significant at 95 %, two-sample z test).'
\echo '  Plausible ranks: units not significantly above or below (95 %, Bonferroni).'
\echo '  Intervals and tests treat the 16 answers of one respondent as independent, so they'
\echo '  understate uncertainty (doc/methodology.md); ranks use the published two decimals.'
\echo
SELECT y.period AS "Năm / year",
       round(avg(sipas.satisfaction_index(s))::numeric, 2) AS "SIPAS (mean of units)",
       round(sipas.satisfaction_index(sipas.rollup(s))::numeric, 2) AS "pooled answers",
       sum(sipas.n(s)) AS "answers"
FROM unit_year y GROUP BY y.period ORDER BY y.period;

SELECT to_char(round(c.v::numeric, 2) - round(p.v::numeric, 2), 'FMSG990.00') AS "Change 2023 → 2024, points"
FROM (SELECT avg(sipas.satisfaction_index(s)) v FROM unit_year WHERE period = 2024) c,
     (SELECT avg(sipas.satisfaction_index(s)) v FROM unit_year WHERE period = 2023) p;

\echo '  Provincial departments (sở, ban, ngành)'
SELECT c.rnk AS "#", c.name AS "Đơn vị / unit", c.idx AS "SIPAS",
       format('%s–%s', round(ci.lower::numeric, 1), round(ci.upper::numeric, 1)) AS "95 % CI",
       sipas.n(c.s) AS "n",
       to_char(c.points, 'FMSG990.00') || CASE WHEN sipas.change_significant(c.s, p.s) THEN ' *' ELSE '' END AS "± points",
       CASE WHEN c.moved IS NULL THEN 'new' WHEN c.moved = 0 THEN '=' ELSE to_char(c.moved, 'FMSG99') END AS "rank move",
       CASE WHEN c.plausible[1] = c.plausible[2] THEN c.plausible[1]::text
            ELSE format('%s–%s', c.plausible[1], c.plausible[2]) END AS "plausible",
       CASE WHEN c.years_first >= 2 THEN format('first, %s years running', c.years_first) ELSE '' END AS "note"
FROM ranked c
LEFT JOIN ranked p ON p.code = c.code AND p.period = 2023
CROSS JOIN LATERAL sipas.confidence_interval(c.s) ci
WHERE c.period = 2024 AND c.grp = 'department'
ORDER BY c.rnk, c.name;

\echo '  Districts (huyện, thị xã, thành phố)'
SELECT c.rnk AS "#", c.name AS "Đơn vị / unit", c.idx AS "SIPAS",
       format('%s–%s', round(ci.lower::numeric, 1), round(ci.upper::numeric, 1)) AS "95 % CI",
       sipas.n(c.s) AS "n",
       to_char(c.points, 'FMSG990.00') || CASE WHEN sipas.change_significant(c.s, p.s) THEN ' *' ELSE '' END AS "± points",
       CASE WHEN c.moved IS NULL THEN 'new' WHEN c.moved = 0 THEN '=' ELSE to_char(c.moved, 'FMSG99') END AS "rank move",
       CASE WHEN c.plausible[1] = c.plausible[2] THEN c.plausible[1]::text
            ELSE format('%s–%s', c.plausible[1], c.plausible[2]) END AS "plausible",
       CASE WHEN c.years_first >= 2 THEN format('first, %s years running', c.years_first) ELSE '' END AS "note"
FROM ranked c
LEFT JOIN ranked p ON p.code = c.code AND p.period = 2023
CROSS JOIN LATERAL sipas.confidence_interval(c.s) ci
WHERE c.period = 2024 AND c.grp = 'district'
ORDER BY c.rnk, c.name;

\echo '  Highest and lowest, 2024'
SELECT grp AS "group",
       (array_agg(name ORDER BY rnk, name))[1] AS "highest",
       max(idx) AS "SIPAS",
       (array_agg(name ORDER BY rnk DESC, name))[1] AS "lowest",
       min(idx) AS "SIPAS "
FROM ranked WHERE period = 2024 GROUP BY grp ORDER BY grp;
