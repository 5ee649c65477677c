-- (c) a BI dashboard: this year's ranking of one group from sipas_bi.agency_year
-- (rank on the published two decimals, move and points since last year).
\set g random(1, 3)
SELECT v.agency, round(v.index::numeric, 2) AS index, v.lower, v.upper, v.n,
       v.rank, v.rank_change, v.points_change
FROM sipas_bi.agency_year v
WHERE v.agency_group = ('{so,huyen,xa}'::text[])[:g::int]
  AND v.period = EXTRACT(year FROM current_date)::int
ORDER BY v.rank, v.agency;
