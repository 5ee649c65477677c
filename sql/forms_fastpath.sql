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

-- groups past the kept blocks (16 blocks of 64 forms: then the moments turn
-- into matrices), every size around the edges: one pass equals the rollup of
-- one summary per form and of two halves (merges use the matrices)
CREATE TEMP TABLE fp_big AS
SELECT g AS respondent, sipas.form_agg(code, 1 + (g * 7 + o::int * 3) % 5) AS f
FROM generate_series(1, 2200) g, unnest(ARRAY['I.A.1', 'I.A.2', 'I.B', 'Z']) WITH ORDINALITY c(code, o)
WHERE (g * 11 + o) % 9 <> 0
GROUP BY g;
SELECT n,
       (SELECT sipas.survey_agg(f) FROM fp_big WHERE respondent <= n)
       OPERATOR(sipas.=) (SELECT sipas.rollup(s) FROM (SELECT sipas.survey_agg(f) s FROM fp_big WHERE respondent <= n GROUP BY respondent) x) AS one_by_one,
       (SELECT sipas.survey_agg(f) FROM fp_big WHERE respondent <= n)
       OPERATOR(sipas.=) (SELECT sipas.rollup(s) FROM (SELECT sipas.survey_agg(f) s FROM fp_big WHERE respondent <= n GROUP BY respondent % 2) x) AS halves
FROM unnest(ARRAY[1, 63, 64, 65, 1023, 1024, 1025, 1088, 2200]) n;
-- items that arrive late make the moments grow, before and after they turn
-- into matrices (new items at forms 2, 300, 1100 and 1500)
CREATE TEMP TABLE fp_grow AS
SELECT g AS respondent,
       sipas.form_agg(code, 1 + (g * 5 + o::int) % 5) AS f
FROM generate_series(1, 1600) g,
     unnest(ARRAY['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L']) WITH ORDINALITY c(code, o)
WHERE o = 1 OR (o <= 9 AND g >= 2) OR (o = 10 AND g >= 300) OR (o = 11 AND g >= 1100) OR (o = 12 AND g >= 1500)
GROUP BY g;
SELECT (SELECT sipas.survey_agg(f ORDER BY respondent) FROM fp_grow)
       OPERATOR(sipas.=) (SELECT sipas.rollup(s) FROM (SELECT sipas.survey_agg(f) s FROM fp_grow GROUP BY respondent) x) AS grown,
       (SELECT sipas.respondents(sipas.survey_agg(f ORDER BY respondent)) FROM fp_grow) AS forms;

-- a new group starts from the items of the groups before it when its first
-- form fits them; each group equals the same group summarised on its own
-- (a query of its own), whatever the groups before it had: another scale
-- for an item, fewer items, a new item
CREATE TEMP TABLE fp_tpl AS
SELECT u AS unit, r AS respondent,
       CASE u % 4
         WHEN 1 THEN format('{"I.A.1":%s,"I.A.2":%s,"I.B":[%s,4]}', 1 + r % 5, 1 + (r + u) % 5, 1 + r % 4)
         WHEN 2 THEN format('{"I.A.2":%s}', 1 + (r * u) % 5)
         WHEN 3 THEN format('{"I.A.1":%s,"I.A.2":%s,"I.B":%s,"I.C":%s}', 1 + r % 5, 1 + (r + u) % 5, 1 + (r * 3) % 5, 1 + u % 5)
         ELSE format('{"I.A.1":%s,"I.A.2":%s,"I.B":%s}', 1 + r % 5, 1 + (r + u) % 5, 1 + (r * 3 + u) % 5)
       END::sipas.form AS f
FROM generate_series(1, 30) r, generate_series(1, 24) u
ORDER BY r, u;
CREATE FUNCTION fp_alone(u int, weighted boolean) RETURNS sipas.survey LANGUAGE plpgsql AS $$
DECLARE
	s sipas.survey;
BEGIN
	EXECUTE format('SELECT sipas.survey_agg(f%s) FROM fp_tpl WHERE unit = %s',
				   CASE WHEN weighted THEN ', 1.0 + respondent % 3' ELSE '' END, u) INTO s;
	RETURN s;
END
$$;
SELECT count(*) AS units,
       bool_and(s OPERATOR(sipas.=) fp_alone(unit, false)) AS each_alone,
       bool_and(ws::text = fp_alone(unit, true)::text) AS weighted_each_alone,
       string_agg(DISTINCT (SELECT string_agg(item, ',' ORDER BY item) FROM sipas.items(s)), ' | ') AS item_sets
FROM (SELECT unit, sipas.survey_agg(f) s, sipas.survey_agg(f, 1.0 + respondent % 3) ws FROM fp_tpl GROUP BY unit) x;
