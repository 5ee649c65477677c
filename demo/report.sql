-- The report an official publishes: the province's index and its change,
-- then departments and districts ranked, with 95 % intervals.
\set ON_ERROR_STOP on
\pset footer off
\pset null '—'
SET search_path = public, sipas;

-- per unit and year: one pass over the answers into a summary
CREATE TEMP TABLE unit_year AS
SELECT a.period, u.grp, u.code, u.name, sipas.likert_agg(a.score) AS s
FROM demo.answers a JOIN demo.unit u ON u.code = a.unit
GROUP BY a.period, u.grp, u.code, u.name;

CREATE TEMP TABLE ranked AS
SELECT *, rank() OVER (PARTITION BY period, grp ORDER BY round(sipas.satisfaction_index(s)::numeric, 2) DESC) AS rnk
FROM unit_year;

\echo
\echo '  SIPAS 2024 — chỉ số hài lòng về sự phục vụ hành chính (fictional demo province)'
\echo '  Satisfied = answers 4–5 of 1–5, all 16 service items; intervals: Wilson 95 %.'
\echo
SELECT y.period AS "Năm / year",
       round(avg(sipas.satisfaction_index(s))::numeric, 2) AS "SIPAS (mean of units)",
       round(sipas.satisfaction_index(sipas.rollup(s))::numeric, 2) AS "pooled answers",
       sum(sipas.n(s)) AS "answers"
FROM unit_year y GROUP BY y.period ORDER BY y.period;

SELECT to_char(c.v - p.v, 'FMSG990.00') AS "Change 2023 → 2024, points"
FROM (SELECT avg(sipas.satisfaction_index(s)) v FROM unit_year WHERE period = 2024) c,
     (SELECT avg(sipas.satisfaction_index(s)) v FROM unit_year WHERE period = 2023) p;

\echo '  Provincial departments (sở, ban, ngành)'
SELECT c.rnk AS "#", c.name AS "Đơn vị / unit",
       round(sipas.satisfaction_index(c.s)::numeric, 2) AS "SIPAS",
       format('%s–%s', round(ci.lower::numeric, 1), round(ci.upper::numeric, 1)) AS "95 % CI",
       sipas.n(c.s) AS "n",
       to_char(round(sipas.satisfaction_index(c.s)::numeric, 2) - round(sipas.satisfaction_index(p.s)::numeric, 2), 'FMSG990.00') AS "± points",
       CASE WHEN p.rnk IS NULL THEN 'new' WHEN p.rnk = c.rnk THEN '=' ELSE to_char(p.rnk - c.rnk, 'FMSG99') END AS "rank move"
FROM ranked c
LEFT JOIN ranked p ON p.code = c.code AND p.period = 2023
CROSS JOIN LATERAL sipas.confidence_interval(c.s) ci
WHERE c.period = 2024 AND c.grp = 'department'
ORDER BY c.rnk, c.name;

\echo '  Districts (huyện, thị xã, thành phố)'
SELECT c.rnk AS "#", c.name AS "Đơn vị / unit",
       round(sipas.satisfaction_index(c.s)::numeric, 2) AS "SIPAS",
       format('%s–%s', round(ci.lower::numeric, 1), round(ci.upper::numeric, 1)) AS "95 % CI",
       sipas.n(c.s) AS "n",
       to_char(round(sipas.satisfaction_index(c.s)::numeric, 2) - round(sipas.satisfaction_index(p.s)::numeric, 2), 'FMSG990.00') AS "± points",
       CASE WHEN p.rnk IS NULL THEN 'new' WHEN p.rnk = c.rnk THEN '=' ELSE to_char(p.rnk - c.rnk, 'FMSG99') END AS "rank move"
FROM ranked c
LEFT JOIN ranked p ON p.code = c.code AND p.period = 2023
CROSS JOIN LATERAL sipas.confidence_interval(c.s) ci
WHERE c.period = 2024 AND c.grp = 'district'
ORDER BY c.rnk, c.name;

\echo '  Highest and lowest, 2024'
SELECT grp AS "group",
       (array_agg(name ORDER BY sipas.satisfaction_index(s) DESC))[1] AS "highest",
       round(max(sipas.satisfaction_index(s))::numeric, 2) AS "SIPAS",
       (array_agg(name ORDER BY sipas.satisfaction_index(s)))[1] AS "lowest",
       round(min(sipas.satisfaction_index(s))::numeric, 2) AS "SIPAS "
FROM unit_year WHERE period = 2024 GROUP BY grp ORDER BY grp;
