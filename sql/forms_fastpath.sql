-- survey_agg(form): the fast path (a form matched against the items already
-- seen, in the forms' code order) gives what the slow path gives, and every
-- form it cannot match - a new item, another scale, blanks, a code that is a
-- prefix of another - falls back to full validation with the same errors.
SET search_path = public, sipas;

-- forms whose items arrive in every pattern: new items late, blanks, prefixes
-- (I.A.1 < I.A.10 < I.A.2 bytewise), the first form with a single answer
CREATE TEMP TABLE fp_answers AS
SELECT g AS respondent, g % 3 AS unit, code AS item, 1 + (g * 7 + length(code) * 3 + ascii(right(code, 1))) % 5 AS score
FROM generate_series(1, 400) g,
     unnest(ARRAY['I.A.1', 'I.A.10', 'I.A.2', 'I.B', 'I.B.1', 'Z']) WITH ORDINALITY c(code, o)
WHERE (g = 1 AND o = 3)                 -- the first form: one answer
   OR (g > 1 AND (g * 13 + o * 5) % 7 <> 0 AND (o < 6 OR g > 200));  -- blanks; Z only late
CREATE TEMP TABLE fp_forms AS
SELECT respondent, unit, sipas.form_agg(item, score) AS f FROM fp_answers GROUP BY respondent, unit;
-- every unit: the item histograms of the forms summary equal those of the rows
SELECT count(*) AS units,
       bool_and((SELECT array_agg(x.item || x.summary::text) FROM sipas.items(fs) x)
                = (SELECT array_agg(x.item || x.summary::text) FROM sipas.items(rs) x)) AS histograms_equal,
       bool_and(sipas.respondents(fs) = fc) AS respondents
FROM (SELECT unit, sipas.survey_agg(f ORDER BY respondent) fs, count(*) fc FROM fp_forms GROUP BY unit) a
JOIN (SELECT unit, sipas.survey_agg(item, score) rs FROM fp_answers GROUP BY unit) b USING (unit);
-- the order of the forms does not matter (another first form, other fall-backs)
SELECT (SELECT sipas.survey_agg(f ORDER BY respondent) FROM fp_forms)
       OPERATOR(sipas.=) (SELECT sipas.survey_agg(f ORDER BY md5(respondent::text)) FROM fp_forms) AS order_free,
       (SELECT sipas.survey_agg(f ORDER BY respondent DESC) FROM fp_forms)
       OPERATOR(sipas.=) (SELECT sipas.survey_agg(f ORDER BY respondent) FROM fp_forms) AS reverse;
-- the summary equals the rollup of one summary per form (each built on the slow path)
SELECT (SELECT sipas.survey_agg(f ORDER BY respondent) FROM fp_forms)
       OPERATOR(sipas.=) (SELECT sipas.rollup(s) FROM (SELECT sipas.survey_agg(f) s FROM fp_forms GROUP BY respondent) x) AS one_by_one;
-- weighted too
SELECT (SELECT sipas.survey_agg(f, 1.5 ORDER BY respondent) FROM fp_forms)::text
       = (SELECT sipas.rollup(s) FROM (SELECT sipas.survey_agg(f, 1.5) s FROM fp_forms GROUP BY respondent) x)::text AS weighted_one_by_one;
-- moving windows (the inverse uses the fast path as well) equal each frame recomputed
SELECT bool_and(w OPERATOR(sipas.=) r) AS frames_equal, count(*) AS frames
FROM (SELECT respondent, sipas.survey_agg(f) OVER (ORDER BY respondent ROWS BETWEEN 9 PRECEDING AND CURRENT ROW) w
      FROM fp_forms) a
JOIN LATERAL (SELECT sipas.survey_agg(f) r FROM fp_forms b WHERE b.respondent BETWEEN a.respondent - 9 AND a.respondent) c ON true;

-- a known item on another scale after many matched forms: the slow path's error
SELECT sipas.survey_agg(f ORDER BY o)
FROM (SELECT f, respondent AS o FROM fp_forms
      UNION ALL SELECT '{"I.A.1":[3,4],"I.A.2":2}'::sipas.form, 1000) x;
-- a form that repeats the first known items and then a new one: matched up to
-- the new item, then the slow path adds it
SELECT sipas.n(sipas.survey_agg(f ORDER BY o)) AS answers,
       sipas.n(sipas.item(sipas.survey_agg(f ORDER BY o), 'I.C')) AS new_item
FROM (SELECT '{"I.A.1":4,"I.A.2":5}'::sipas.form f, 1 o
      UNION ALL SELECT '{"I.A.1":3,"I.A.2":5,"I.C":1}', 2
      UNION ALL SELECT '{"I.A.1":3,"I.C":2}', 3) x;
