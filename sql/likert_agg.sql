-- The aggregates against plain-SQL equivalents on generated data.
SET search_path = public, sipas;   -- for the = operator on sipas.likert
SELECT setseed(0.42);
CREATE TEMP TABLE answers AS
SELECT g AS agency, i AS respondent,
       CASE WHEN random() < 0.03 THEN NULL ELSE 1 + floor(random() * random() * 5 + random() * 2)::int % 5 END AS score,
       round((0.2 + random() * 3)::numeric, 3)::float8 AS weight
FROM generate_series(1, 40) g, generate_series(1, 250) i;
UPDATE answers SET score = 5 WHERE agency = 40;            -- one agency fully satisfied
UPDATE answers SET score = NULL WHERE agency = 39;         -- one agency with no answers
ALTER TABLE answers ADD COLUMN score2 smallint;
UPDATE answers SET score2 = score;

-- unweighted index = 100 * count(score >= 4) / count(score); zero rows on success
SELECT agency, si, plain FROM (
  SELECT agency, sipas.satisfaction_index(score) AS si,
         100.0 * count(*) FILTER (WHERE score >= 4) / nullif(count(score), 0) AS plain
  FROM answers GROUP BY agency) x
WHERE si IS DISTINCT FROM plain::float8 AND abs(si - plain::float8) > 1e-12;
-- the agency without answers gives NULL, not 0
SELECT agency, sipas.satisfaction_index(score), sipas.likert_agg(score) FROM answers WHERE agency IN (39, 40) GROUP BY agency ORDER BY 1;

-- weighted index = sum(w | score >= 4) / sum(w)
SELECT agency FROM (
  SELECT agency, sipas.satisfaction_index(score, weight) AS si,
         100 * sum(weight) FILTER (WHERE score >= 4) / nullif(sum(weight) FILTER (WHERE score IS NOT NULL), 0) AS plain
  FROM answers GROUP BY agency) x
WHERE (si IS NULL) <> (plain IS NULL) OR abs(si - coalesce(plain, 0)) > 1e-9;

-- the summary's counts and sums equal GROUP BY agency, score
WITH s AS (SELECT agency, sipas.likert_agg(score, weight) AS s FROM answers GROUP BY agency),
     p AS (SELECT agency, score, count(*) AS n, sum(weight) AS w, sum(weight * weight) AS w2
           FROM answers WHERE score IS NOT NULL GROUP BY agency, score)
SELECT p.agency, p.score FROM p JOIN s USING (agency)
WHERE (sipas.counts(s.s))[p.score] <> p.n
   OR abs((sipas.distribution(s.s))[p.score] / 100 * sipas.weighted_n(s.s) - p.w) > 1e-9 * p.w;

-- int2 and int4 overloads agree; likert_agg and satisfaction_index agree
SELECT count(*) AS disagreements FROM (
  SELECT agency,
         sipas.likert_agg(score) AS a, sipas.likert_agg(score2) AS b,
         sipas.satisfaction_index(score) AS i1, sipas.satisfaction_index(sipas.likert_agg(score)) AS i2,
         sipas.likert_agg(score, weight) AS c, sipas.likert_agg(score2, weight) AS d,
         sipas.likert_agg(score, weight, 5) AS e, sipas.likert_agg(score2, weight, 5) AS f,
         sipas.satisfaction_index(score2, weight) AS i3, sipas.satisfaction_index(score, weight, 5) AS i4
  FROM answers GROUP BY agency) x
WHERE a IS DISTINCT FROM b OR i1 IS DISTINCT FROM i2 OR c IS DISTINCT FROM d OR c IS DISTINCT FROM e
   OR e IS DISTINCT FROM f OR i3 IS DISTINCT FROM i4;

-- rollup of per-respondent-block summaries equals one pass
SELECT count(*) AS disagreements FROM (
  SELECT agency, sipas.rollup(s) AS r FROM (
    SELECT agency, respondent % 7 AS blk, sipas.likert_agg(score, weight) AS s FROM answers GROUP BY 1, 2) b
  GROUP BY agency) r
JOIN (SELECT agency, sipas.likert_agg(score, weight) AS s FROM answers GROUP BY agency) o USING (agency)
WHERE sipas.counts(r) IS DISTINCT FROM sipas.counts(o.s)
   OR abs(sipas.weighted_n(r) - sipas.weighted_n(o.s)) > 1e-9 * sipas.weighted_n(o.s)
   OR abs(sipas.satisfaction_index(r) - sipas.satisfaction_index(o.s)) > 1e-9;
-- unweighted rollups stay unweighted and exact
SELECT (SELECT sipas.rollup(s) FROM (SELECT sipas.likert_agg(score) AS s FROM answers GROUP BY agency) a)
     = (SELECT sipas.likert_agg(score) FROM answers) AS exact,
       (SELECT sipas.rollup(s) FROM (SELECT sipas.likert_agg(score) AS s FROM answers GROUP BY agency) a)::text AS total;

-- the k-form: a 4-level and a yes/no question
SELECT sipas.likert_agg(s, 1, 4), sipas.satisfaction_index(s, 1, 4)
FROM (VALUES (1), (2), (3), (3), (4), (NULL)) v(s);
SELECT sipas.likert_agg(s, 1, 2), sipas.satisfaction_index(s, 1, 2)   -- top box only on a 2-level scale
FROM (VALUES (1), (2), (2), (2)) v(s);
-- weights of zero count as answers with no weight
SELECT sipas.likert_agg(s, w), sipas.satisfaction_index(s, w)
FROM (VALUES (5, 0.0), (1, 0.0)) v(s, w);

-- empty input and all-NULL input give NULL
SELECT sipas.likert_agg(score), sipas.satisfaction_index(score), sipas.rollup(NULL::sipas.likert)
FROM answers WHERE false;
SELECT sipas.likert_agg(s), sipas.satisfaction_index(s, 2.0), sipas.rollup(NULL::sipas.likert)
FROM (VALUES (NULL::int), (NULL)) v(s);

-- bad input: clear errors, nothing computed
SELECT sipas.satisfaction_index(s) FROM (VALUES (5), (0)) v(s);
SELECT sipas.satisfaction_index(s) FROM (VALUES (5), (6)) v(s);
SELECT sipas.likert_agg(s::smallint) FROM (VALUES (-3)) v(s);
SELECT sipas.likert_agg(s, w) FROM (VALUES (5, NULL::float8)) v(s, w);
SELECT sipas.likert_agg(s, w) FROM (VALUES (NULL::int, NULL::float8)) v(s, w);   -- no answer, no weight: fine
SELECT sipas.likert_agg(s, w) FROM (VALUES (5, -1.0)) v(s, w);
SELECT sipas.likert_agg(s, w) FROM (VALUES (5, 'NaN'::float8)) v(s, w);
SELECT sipas.likert_agg(s, w) FROM (VALUES (5, 'Infinity'::float8)) v(s, w);
SELECT sipas.likert_agg(s, w) FROM (VALUES (5, 1e300), (5, 1e300)) v(s, w);          -- sum of squares overflows
SELECT sipas.likert_agg(s, 1, k) FROM (VALUES (1, 4), (2, 5)) v(s, k);
SELECT sipas.likert_agg(s, 1, 11) FROM (VALUES (1)) v(s);
SELECT sipas.likert_agg(s, 1, NULL) FROM (VALUES (1)) v(s);
SELECT sipas.likert_agg(s, 1, 4) FROM (VALUES (5)) v(s);
SELECT sipas.rollup(s) FROM (VALUES ('{"k":5,"n":[1,1,1,1,1]}'::sipas.likert), ('{"k":4,"n":[1,1,1,1]}')) v(s);
SELECT sipas.rollup(s) FROM (VALUES ('{"k":2,"n":[9223372036854775807,0]}'::sipas.likert), ('{"k":2,"n":[1,0]}')) v(s);
