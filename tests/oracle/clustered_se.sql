WITH s AS (SELECT unit, sipas.survey_agg(item, score) AS s FROM answers GROUP BY unit),
w AS (SELECT s.unit, w.* FROM s, sipas.item_weights(s.s) w),
z AS (SELECT a.unit, a.respondent, sum(w.weight / w.n * ((a.score >= 4)::int - w.index / 100)) AS z
      FROM answers a JOIN w ON w.unit = a.unit AND w.item = a.item
      WHERE a.score IS NOT NULL GROUP BY a.unit, a.respondent)
SELECT unit, 100 * sqrt(count(*)::float8 / (count(*) - 1) * sum(z * z)) AS std_error   -- points
FROM z GROUP BY unit;
