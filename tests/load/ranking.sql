-- (e) an analyst's ranking of one group over both years, straight from the raw
-- answers: per-agency overall index, then rank and rank move as window functions.
\set g random(1, 3)
SELECT r.agency, r.period, r.idx,
       sipas.period_rank(r.idx, r.period, 2) OVER w AS rank,
       sipas.rank_change(r.idx, r.period, r.agency, 2) OVER w AS moved,
       sipas.points_change(r.idx, r.period, r.agency) OVER w AS points
FROM (SELECT a.agency, EXTRACT(year FROM a.answered_on)::int AS period,
             sipas.overall(sipas.survey_agg(a.item, a.score)) AS idx
      FROM public.answers a
      JOIN public.agencies g ON g.agency = a.agency
      WHERE g.agency_group = ('{so,huyen,xa}'::text[])[:g::int]
      GROUP BY a.agency, EXTRACT(year FROM a.answered_on)) r
WINDOW w AS ()
ORDER BY r.period, rank, r.agency;
