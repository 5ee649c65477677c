-- One ranked table of demo/report.sql: the units of group :'grp' in 2024.
SELECT c.rnk AS "#", c.name AS "Đơn vị / unit", round(c.idx::numeric, 2) AS "SIPAS",
       format('%s–%s', round(greatest(c.idx - :z * c.se, 0)::numeric, 1), round(least(c.idx + :z * c.se, 100)::numeric, 1)) AS "95 % CI",
       c.respondents AS "n",
       to_char(c.points, 'FMSG990.00') ||
         CASE WHEN abs(c.points) > :z * sqrt(c.se ^ 2 + c.prev_se ^ 2) THEN ' *' ELSE '' END AS "± points",
       CASE WHEN c.moved IS NULL THEN 'new' WHEN c.moved = 0 THEN '=' ELSE to_char(c.moved, 'FMSG99') END AS "rank move",
       CASE WHEN c.plausible[1] = c.plausible[2] THEN c.plausible[1]::text
            ELSE format('%s–%s', c.plausible[1], c.plausible[2]) END AS "plausible",
       CASE WHEN c.years_first >= 2 THEN format('first, %s years running', c.years_first) ELSE '' END AS "note"
FROM ranked c
WHERE c.period = 2024 AND c.grp = :'grp'
ORDER BY c.rnk, c.name;
