-- (d) a BI drill-down: every item of one agency this year from sipas_bi.item_year.
\set ag random(1, 50)
SELECT v.item, v.index, v.lower, v.upper, v.n, v.std_error
FROM sipas_bi.item_year v
WHERE v.agency = 'A' || lpad(:ag::text, 2, '0')
  AND v.period = EXTRACT(year FROM current_date)::int
ORDER BY v.item;
