-- (b) one agency's figures this year straight from the raw answers (no rollup):
-- pooled index, the official overall index (items -> groups -> parts -> overall), n.
\set ag random(1, 50)
SELECT sipas.satisfaction_index(a.score) AS pooled,
       sipas.overall(sipas.survey_agg(a.item, a.score)) AS sipas,
       count(a.score) AS n
FROM public.answers a
WHERE a.agency = 'A' || lpad(:ag::text, 2, '0')
  AND a.answered_on >= date_trunc('year', current_date)::date;
