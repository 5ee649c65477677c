-- The report functions: ranking_table, province_trend, headlines, report_html.
-- Made-up data reproducing the statements of a real press release: the highest
-- 98,40; two units tied lowest at 88,30 (tied on the published decimals only);
-- the province 94,44 (+0,74); a district first for the 2nd year running.
SET client_min_messages = warning;
CREATE TEMP TABLE seed (nhom text, unit text, year int, s sipas.likert);
INSERT INTO seed VALUES
 ('Sở, ban, ngành', 'Sở Ngoại vụ',                      2023, sipas.likert_from_counts('{0,0,6,100,144}')),
 ('Sở, ban, ngành', 'Sở Nội vụ',                        2023, sipas.likert_from_counts('{0,0,9,100,141}')),
 ('Sở, ban, ngành', 'Sở Tư pháp',                       2023, sipas.likert_from_counts('{0,0,32,100,118}')),
 ('Sở, ban, ngành', 'Ban Quản lý các khu công nghiệp',  2023, sipas.likert_from_counts('{0,0,25,75,100}')),
 ('Sở, ban, ngành', 'Sở Ngoại vụ',                      2024, sipas.likert_from_counts('{0,0,4,100,146}')),
 ('Sở, ban, ngành', 'Sở Nội vụ',                        2024, sipas.likert_from_counts('{0,0,10,100,140}')),
 ('Sở, ban, ngành', 'Sở Tư pháp',                       2024, sipas.likert_from_counts('{0,0,117,400,483}')),
 ('Sở, ban, ngành', 'Ban Quản lý các khu công nghiệp',  2024, sipas.likert_from_counts('{0,0,55,200,215}')),
 ('UBND cấp huyện', 'Huyện Ngọc Minh',                  2023, sipas.likert_from_counts('{0,0,7,100,143}')),
 ('UBND cấp huyện', 'Huyện Đông Hải',                   2023, sipas.likert_from_counts('{0,0,10,100,140}')),
 ('UBND cấp huyện', 'Huyện Sơn Thủy',                   2023, sipas.likert_from_counts('{0,0,15,100,135}')),
 ('UBND cấp huyện', 'Huyện Ngọc Minh',                  2024, sipas.likert_from_counts('{0,0,6,100,144}')),
 ('UBND cấp huyện', 'Huyện Đông Hải',                   2024, sipas.likert_from_counts('{0,0,8,100,142}')),
 ('UBND cấp huyện', 'Huyện Sơn Thủy',                   2024, sipas.likert_from_counts('{0,0,108,1000,1392}'));

-- the press release's statements, as rows and as sentences
SELECT kind, ranking_group, period, units, value, change, streak FROM sipas.headlines('seed', 'nhom', 'unit', 'year', 's');
SELECT vi FROM sipas.headlines('seed', 'nhom', 'unit', 'year', 's');
SELECT en FROM sipas.headlines('seed', 'nhom', 'unit', 'year', 's');
-- the seed figures, asserted: each is true
SELECT bool_or(vi LIKE '%cao nhất là Sở Ngoại vụ (98,40)%') AS highest_9840,
       bool_or(vi LIKE '%thấp nhất là Ban Quản lý các khu công nghiệp và Sở Tư pháp, cùng đạt 88,30%') AS two_lowest_8830,
       bool_or(vi LIKE '%94,44 (+0,74 điểm so với năm 2023)%') AS province_9444,
       bool_or(kind = 'first_streak' AND ranking_group = 'UBND cấp huyện' AND vi LIKE '%Huyện Ngọc Minh đứng đầu năm thứ 2 liên tiếp%') AS district_first_2nd_year
FROM sipas.headlines('seed', 'nhom', 'unit', 'year', 's');
-- an earlier period on request
SELECT kind, units, value, change, vi FROM sipas.headlines('seed', 'nhom', 'unit', 'year', 's', at_period => 2023);

-- the ranking table, every column
SELECT * FROM sipas.ranking_table('seed', 'nhom', 'unit', 'year', 's') WHERE period = 2024;
SELECT ranking_group, unit, period, published, rank, previous_rank, rank_move, points_change, previous_published,
       change_significant, plausible_best, plausible_worst, respondents, first_streak, last_streak,
       is_new, no_previous_period, is_highest, is_lowest
FROM sipas.ranking_table('seed', 'nhom', 'unit', 'year', 's') WHERE period = 2023;
-- ties on the published decimals only: with 4 decimals 88.3000 and 88.2979 no longer tie
SELECT unit, published, rank, is_lowest FROM sipas.ranking_table('seed', 'nhom', 'unit', 'year', 's', decimals => 4)
WHERE period = 2024 AND ranking_group = 'Sở, ban, ngành';
SELECT unit, published, rank, is_lowest FROM sipas.ranking_table('seed', 'nhom', 'unit', 'year', 's', decimals => 1)
WHERE period = 2024 AND ranking_group = 'Sở, ban, ngành';
-- the province, both ways
SELECT * FROM sipas.province_trend('seed', 'nhom', 'unit', 'year', 's');
SELECT period, mean_change, pooled_change FROM sipas.province_trend('seed', 'nhom', 'unit', 'year', 's', change => 'full');

-- Change in points on the published values (default) or full precision:
-- 88.706 and 87.1449 print as 88.71 and 87.14; the change prints 1.57, not 1.56.
CREATE TEMP TABLE pc (g text, u text, p int, s sipas.likert);
INSERT INTO pc VALUES ('g', 'x', 2023, sipas.likert_from_counts('{0,0,128551,500000,371449}')),
                      ('g', 'x', 2024, sipas.likert_from_counts('{0,0,11294,50000,38706}'));
SELECT period, published, points_change, previous_published FROM sipas.ranking_table('pc', 'g', 'u', 'p', 's');
SELECT period, published, points_change, round(points_change::numeric, 2) AS printed
FROM sipas.ranking_table('pc', 'g', 'u', 'p', 's', change => 'full');

-- Ties, tie rules, one-unit groups, new units, a missing previous period, NULL
-- indices, too few respondents.
CREATE TEMP TABLE t (g text, u text, p int, s sipas.likert);
INSERT INTO t VALUES
 -- all units tied
 ('all tied', 'a', 2024, sipas.likert_from_counts('{0,0,20,40,40}')),
 ('all tied', 'b', 2024, sipas.likert_from_counts('{0,0,10,20,20}')),
 ('all tied', 'c', 2024, sipas.likert_from_counts('{0,0,2,4,4}')),
 -- two tied at the top, then two tied below
 ('two tied', 'a', 2024, sipas.likert_from_counts('{0,0,10,40,50}')),
 ('two tied', 'b', 2024, sipas.likert_from_counts('{0,0,1,4,5}')),
 ('two tied', 'c', 2024, sipas.likert_from_counts('{0,0,20,40,40}')),
 ('two tied', 'd', 2024, sipas.likert_from_counts('{0,0,2,4,4}')),
 ('two tied', 'e', 2024, sipas.likert_from_counts('{0,0,30,40,30}')),
 -- one unit
 ('alone', 'z', 2023, sipas.likert_from_counts('{0,0,30,40,30}')),
 ('alone', 'z', 2024, sipas.likert_from_counts('{0,0,20,40,40}')),
 -- 2022 missing from the data: 2023's previous period is 2021; n is new in 2023;
 -- o has no summary in 2023 (NULL: unranked); w has answers without weight
 ('gaps', 'm', 2021, sipas.likert_from_counts('{0,0,30,40,30}')),
 ('gaps', 'o', 2021, sipas.likert_from_counts('{0,0,20,40,40}')),
 ('gaps', 'w', 2021, sipas.likert_from_counts('{0,0,25,40,35}')),
 ('gaps', 'm', 2023, sipas.likert_from_counts('{0,0,10,40,50}')),
 ('gaps', 'n', 2023, sipas.likert_from_counts('{0,0,15,40,45}')),
 ('gaps', 'o', 2023, NULL),
 ('gaps', 'w', 2023, (SELECT sipas.likert_agg(v, 0) FROM (VALUES (4), (5), (2)) x(v))),
 -- too few respondents: 9 < 10, flagged and still ranked
 ('small', 'big', 2024, sipas.likert_from_counts('{0,0,30,40,30}')),
 ('small', 'tiny', 2024, sipas.likert_from_counts('{0,0,1,4,4}'));
SELECT g, u, p, published, rank, previous_rank, rank_move, points_change, units_ranked, first_streak, last_streak,
       is_new, no_previous_period, too_few_respondents, is_highest, is_lowest, respondents
FROM sipas.ranking_table('t', 'g', 'u', 'p', 's', min_respondents => 10) r(g, u, p)
ORDER BY g, p, rank NULLS LAST, u;
-- tie rules
SELECT r.ranking_group, r.unit, r.published, r.rank AS competition, d.rank AS dense, o.rank AS ordinal
FROM sipas.ranking_table('t', 'g', 'u', 'p', 's') r
JOIN sipas.ranking_table('t', 'g', 'u', 'p', 's', ties => 'dense') d USING (ranking_group, unit, period)
JOIN sipas.ranking_table('t', 'g', 'u', 'p', 's', ties => 'ordinal') o USING (ranking_group, unit, period)
WHERE r.ranking_group IN ('all tied', 'two tied', 'gaps')
ORDER BY 1, r.period, o.rank NULLS LAST, 2;
-- every tied unit named
SELECT ranking_group, kind, units, value, en FROM sipas.headlines('t', 'g', 'u', 'p', 's', min_respondents => 10);
-- consistency on every row and tie rule: the previous rank is the rank of the
-- unit's row in the group's previous period, the move and the change add up as
-- printed (no rows = consistent)
WITH r AS (
	SELECT rule, x.* FROM unnest(ARRAY['competition', 'dense', 'ordinal']) rule,
		LATERAL sipas.ranking_table('t', 'g', 'u', 'p', 's', ties => rule) x
	UNION ALL
	SELECT 'seed', x.* FROM sipas.ranking_table('seed', 'nhom', 'unit', 'year', 's') x
), prev AS (
	SELECT DISTINCT r.rule, r.ranking_group, r.period, max(q.period) OVER (PARTITION BY r.rule, r.ranking_group, r.period) AS pp
	FROM r LEFT JOIN r q ON q.rule = r.rule AND q.ranking_group = r.ranking_group AND q.period < r.period
)
SELECT r.rule, r.ranking_group, r.unit, r.period
FROM r JOIN prev USING (rule, ranking_group, period)
LEFT JOIN r q ON q.rule = r.rule AND q.ranking_group = r.ranking_group AND q.unit = r.unit AND q.period = prev.pp
WHERE r.previous_rank IS DISTINCT FROM q.rank
   OR r.rank_move IS DISTINCT FROM q.rank - r.rank
   OR r.points_change IS DISTINCT FROM (r.published - q.published)::float8
   OR r.previous_published IS DISTINCT FROM q.published
   OR r.is_new IS DISTINCT FROM (prev.pp IS NOT NULL AND q.unit IS NULL)
   OR r.published IS DISTINCT FROM round(r.index::numeric, 2)
   OR (r.rule IN ('competition', 'seed') AND r.rank IS DISTINCT FROM
	   (SELECT count(*) + 1 FROM r o WHERE o.rule = r.rule AND o.ranking_group = r.ranking_group
		AND o.period = r.period AND o.published > r.published) AND r.index IS NOT NULL);
-- the likert interval is its Wilson interval, the significance change_significant
SELECT r.unit, r.period, r.lower = (sipas.confidence_interval(t.s)).lower AS wilson_lower,
       r.upper = (sipas.confidence_interval(t.s)).upper AS wilson_upper,
       r.std_error = sipas.std_error(t.s) AS se, r.change_significant
FROM sipas.ranking_table('t', 'g', 'u', 'p', 's') r JOIN t ON t.g = r.ranking_group AND t.u = r.unit AND t.p = r.period
WHERE r.ranking_group IN ('alone', 'gaps') ORDER BY 1, 2;

-- Survey summaries, with a standard error and respondents from the caller's columns
CREATE TEMP TABLE sv (g text, u text, p int, s sipas.survey, se float8, forms int);
INSERT INTO sv VALUES
 ('g', 'u1', 2023, '{"I.A.1":{"k":5,"n":[0,0,2,4,4]},"II.A.1":{"k":5,"n":[0,1,1,4,4]}}', 2.5, 10),
 ('g', 'u2', 2023, '{"I.A.1":{"k":5,"n":[0,0,3,4,3]},"II.A.1":{"k":5,"n":[0,1,2,4,3]}}', 2.0, 10),
 ('g', 'u1', 2024, '{"I.A.1":{"k":5,"n":[0,0,1,4,5]},"II.A.1":{"k":5,"n":[0,0,1,5,4]}}', 1.5, 10),
 ('g', 'u2', 2024, '{"I.A.1":{"k":5,"n":[0,0,3,4,5]},"II.A.1":{"k":5,"n":[0,0,3,5,4]}}', NULL, 12);
SELECT unit, period, published, index = sipas.overall(s) AS is_overall, lower, upper, std_error, change_significant,
       plausible_best, plausible_worst, n, respondents, too_few_respondents
FROM sipas.ranking_table('sv', 'g', 'u', 'p', 's', std_error_col => 'se', respondents_col => 'forms', min_respondents => 11) r
JOIN sv ON sv.u = r.unit AND sv.p = r.period ORDER BY period, rank;
-- without the columns: the summary's own (conservative) standard error, respondents unknown
SELECT unit, period, published, std_error = sipas.node_std_error(s, 'SIPAS') AS own_se, respondents
FROM sipas.ranking_table('sv', 'g', 'u', 'p', 's') r JOIN sv ON sv.u = r.unit AND sv.p = r.period ORDER BY period, rank;
SELECT unit, published FROM sipas.ranking_table('sv', 'g', 'u', 'p', 's', rule => 'items') WHERE period = 2024;
SELECT period, units, mean_index, mean_published, mean_change, pooled_index, pooled_published, pooled_change, respondents, n
FROM sipas.province_trend('sv', 'g', 'u', 'p', 's', respondents_col => 'forms');

-- Survey summaries of forms (sipas.survey_agg(f)): respondents and the standard
-- error clustered by respondent come from the summaries alone.  Made-up forms:
-- 3 units, 2 years, 4 items, a blank now and then, a unit of 8 forms.
CREATE TEMP TABLE fa AS
SELECT g, u, p, r AS respondent, i.item, w,
       CASE WHEN (r * 7 + i.k * 3 + length(u) + p) % 23 = 0 THEN NULL
            ELSE 1 + (r * 7 + i.k * 5 + length(u) * 3 + p * (i.k + 1) + r / 3) % 5 END::smallint AS score
FROM (VALUES ('g', 'big', 40), ('g', 'mid', 30), ('g', 'small', 8)) v(g, u, m),
     (VALUES (2023), (2024)) y(p), generate_series(1, m + p - 2023) r,
     (VALUES (1, 'I.A.1'), (2, 'I.B.1'), (3, 'II.A.1'), (4, 'II.B.1')) i(k, item),
     LATERAL (SELECT CASE WHEN r % 4 = 0 THEN 2.0 ELSE 1.0 END::float8 AS w) ww;
CREATE TEMP TABLE ff AS
SELECT g, u, p, respondent, w, sipas.form_agg(item, score) AS f FROM fa GROUP BY g, u, p, respondent, w;
CREATE TEMP TABLE fs AS SELECT g, u, p, sipas.survey_agg(f) AS s, sipas.survey_agg(f, w) AS sw FROM ff GROUP BY g, u, p;
-- the standard error of the answer rows' second pass (clustered by respondent),
-- the oracle of the summaries' own figure
CREATE TEMP TABLE fa_se AS
WITH s AS (SELECT u, p, sipas.survey_agg(item, score) AS s FROM fa GROUP BY u, p),
w AS (SELECT s.u, s.p, w.* FROM s, sipas.item_weights(s.s) w),
z AS (SELECT a.u, a.p, sum(w.weight / w.n * ((a.score >= 4)::int - w.index / 100)) AS z
      FROM fa a JOIN w ON w.u = a.u AND w.p = a.p AND w.item = a.item
      WHERE a.score IS NOT NULL GROUP BY a.u, a.p, a.respondent)
SELECT u, p, 100 * sqrt(count(*)::float8 / (count(*) - 1) * sum(z * z)) AS se FROM z GROUP BY u, p;
SELECT r.unit, r.period, r.rank, r.respondents, r.respondents = (SELECT count(*) FROM ff WHERE ff.u = r.unit AND ff.p = r.period) AS forms,
       r.n = (SELECT count(score) FROM fa WHERE fa.u = r.unit AND fa.p = r.period) AS answers,
       abs(r.std_error - e.se) < 1e-12 AS clustered, abs(r.std_error - sipas.node_std_error(fs.s, 'SIPAS')) < 1e-9 AS node_std_error,
       r.std_error < (SELECT sipas.node_std_error(sipas.survey_agg(item, score), 'SIPAS') FROM fa WHERE fa.u = r.unit AND fa.p = r.period) AS tighter_than_bound,
       abs(r.lower - greatest(r.index - 1.959963984540054 * r.std_error, 0)) < 1e-9
         AND abs(r.upper - least(r.index + 1.959963984540054 * r.std_error, 100)) < 1e-9 AS interval,
       r.change_significant IS NOT DISTINCT FROM
         (abs(r.index - p.index) > 1.959963984540054 * sqrt(r.std_error ^ 2 + p.std_error ^ 2)) AS z_test,
       r.too_few_respondents, r.points_change = (r.published - r.previous_published)::float8 AS published_change
FROM sipas.ranking_table('fs', 'g', 'u', 'p', 's', min_respondents => 10) r
JOIN fs ON fs.u = r.unit AND fs.p = r.period JOIN fa_se e ON e.u = r.unit AND e.p = r.period
LEFT JOIN sipas.ranking_table('fs', 'g', 'u', 'p', 's') p ON p.unit = r.unit AND p.period = r.period - 1
ORDER BY r.period, r.rank;
-- plausible ranks from the clustered standard errors
SELECT r.unit, r.period, ARRAY[r.plausible_best, r.plausible_worst] = sipas.rank_range(r.index, r.std_error) OVER (PARTITION BY r.period) AS plausible
FROM sipas.ranking_table('fs', 'g', 'u', 'p', 's') r ORDER BY r.period, r.rank;
-- weighted forms: the weighted index, the same respondents, a clustered standard error
SELECT r.unit, r.period, r.index = sipas.overall(fs.sw) AS weighted, r.respondents,
       r.std_error = (SELECT sipas.contrast_std_error(fs.sw, array_agg(w.item), array_agg(w.weight)) FROM sipas.item_weights(fs.sw) w) AS clustered
FROM sipas.ranking_table('fs', 'g', 'u', 'p', 'sw') r JOIN fs ON fs.u = r.unit AND fs.p = r.period ORDER BY r.period, r.rank;
-- the province counts forms; the mean of units has the standard error of independent strata
SELECT t.period, t.units, t.respondents, t.n,
       abs(t.mean_std_error - (SELECT sqrt(sum(r.std_error ^ 2)) / count(*) FROM sipas.ranking_table('fs', 'g', 'u', 'p', 's') r
                               WHERE r.period = t.period)) < 1e-12 AS mean_std_error
FROM sipas.province_trend('fs', 'g', 'u', 'p', 's') t;
-- a unit without a standard error (a single answer) leaves the province's without one;
-- a unit without an index (no weight) is not one of the units
CREATE TEMP TABLE one_answer (g text, u text, p int, s sipas.likert);
INSERT INTO one_answer VALUES ('g', 'a', 2023, sipas.likert_from_counts('{0,0,1,4,5}')),
                              ('g', 'b', 2023, sipas.likert_from_counts('{0,0,2,4,4}')),
                              ('g', 'a', 2024, sipas.likert_from_counts('{0,0,1,4,5}')),
                              ('g', 'b', 2024, sipas.likert_from_counts('{0,0,0,0,1}')),
                              ('g', 'c', 2023, (SELECT sipas.likert_agg(v, 0) FROM (VALUES (4), (5)) x(v)));
SELECT t.period, t.units, t.mean_std_error IS NULL AS no_std_error,
       t.mean_std_error = sqrt(sum(sipas.std_error(o.s) ^ 2)) / 2 AS independent_strata
FROM sipas.province_trend('one_answer', 'g', 'u', 'p', 's') t JOIN one_answer o ON o.p = t.period AND o.u <> 'c'
GROUP BY t.period, t.units, t.mean_std_error ORDER BY 1;
-- headlines flag the small unit from the summaries' own respondents
SELECT kind, units, en FROM sipas.headlines('fs', 'g', 'u', 'p', 's', min_respondents => 10) WHERE kind = 'too_few_respondents';
-- a summary built from answer rows does not know its forms: min_respondents names it
CREATE TEMP TABLE fs_rows AS SELECT g, u, p, sipas.survey_agg(item, score) AS s FROM fa GROUP BY g, u, p;
\set SHOW_CONTEXT never
SELECT * FROM sipas.ranking_table('fs_rows', 'g', 'u', 'p', 's', min_respondents => 10);
\set SHOW_CONTEXT errors
SELECT unit, period, respondents FROM sipas.ranking_table('fs_rows', 'g', 'u', 'p', 's') ORDER BY period, rank;

-- Arguments are hostile until checked: names are quoted, the relation and every
-- column are checked, options are validated.
CREATE TEMP TABLE "Bảng ""lạ""; x" ("Nhóm đơn vị" text, "u; DROP TABLE t; --" text, "Năm" smallint, "S" sipas.likert);
INSERT INTO "Bảng ""lạ""; x" VALUES ('A', 'Đơn vị <b>&''1', 2024, sipas.likert_from_counts('{0,0,1,4,5}'));
SELECT ranking_group, unit, period, published FROM sipas.ranking_table('"Bảng ""lạ""; x"', 'Nhóm đơn vị', 'u; DROP TABLE t; --', 'Năm', 'S');
SELECT count(*) FROM t;
\set VERBOSITY terse
SELECT * FROM sipas.ranking_table('t', 'g', 'u; DROP TABLE t; --', 'p', 's');
SELECT * FROM sipas.ranking_table('t', 'G', 'u', 'p', 's');
SELECT * FROM sipas.ranking_table('t', 'g', 'u', 'g', 's');
SELECT * FROM sipas.ranking_table('t', 'g', 'u', 'p', 'u');
SELECT * FROM sipas.ranking_table('t', NULL, 'u', 'p', 's');
SELECT * FROM sipas.ranking_table(NULL, 'g', 'u', 'p', 's');
SELECT * FROM sipas.ranking_table('no_such_table', 'g', 'u', 'p', 's');
CREATE TEMP SEQUENCE seq;
SELECT * FROM sipas.ranking_table('seq', 'g', 'u', 'p', 's');
SELECT * FROM sipas.ranking_table('t', 'g', 'u', 'p', 's', ties => 'olympic');
SELECT * FROM sipas.ranking_table('t', 'g', 'u', 'p', 's', change => 'rounded');
SELECT * FROM sipas.ranking_table('t', 'g', 'u', 'p', 's', decimals => -1);
SELECT * FROM sipas.ranking_table('t', 'g', 'u', 'p', 's', confidence => 1);
SELECT * FROM sipas.ranking_table('t', 'g', 'u', 'p', 's', min_respondents => -1);
SELECT * FROM sipas.ranking_table('t', 'g', 'u', 'p', 's', std_error_col => 'u');
SELECT * FROM sipas.ranking_table('sv', 'g', 'u', 'p', 's', min_respondents => 10);
SELECT * FROM sipas.ranking_table('sv', 'g', 'u', 'p', 's', questionnaire => 'nope');
SELECT * FROM sipas.province_trend('t', 'g', 'u', 'p', 's', change => 'x');
INSERT INTO t VALUES ('small', 'big', 2024, sipas.likert_from_counts('{0,0,1,1,1}'));
SELECT * FROM sipas.ranking_table('t', 'g', 'u', 'p', 's');
DELETE FROM t WHERE g = 'small' AND u = 'big' AND sipas.n(s) = 3;
\set VERBOSITY default

-- The HTML report: every unit's name and published value, names escaped,
-- nothing fetched at view time (no external URL, no script)
CREATE TEMP TABLE page AS SELECT sipas.report_html('seed', 'nhom', 'unit', 'year', 's', title => 'Báo cáo <thử>') AS h;
SELECT r.unit, r.published, position(format('data-unit="%s" data-value="%s"', r.unit, replace(r.published::text, '.', ',')) IN p.h) > 0 AS in_page
FROM sipas.ranking_table('seed', 'nhom', 'unit', 'year', 's') r, page p WHERE r.period = 2024 ORDER BY r.ranking_group, r.rank, r.unit;
SELECT h LIKE '<!DOCTYPE html>%' AS doctype, h LIKE '%<meta charset="utf-8">%' AS utf8,
       h LIKE '%Báo cáo &lt;thử&gt;%' AS title_escaped, h ~ '(src|href)=|https?:|<script|@import|url\(' AS fetches,
       h LIKE '%class="unit highest" data-unit="Sở Ngoại vụ"%' AS highest_marked,
       (SELECT count(*) FROM regexp_matches(h, 'class="unit lowest"', 'g')) AS lowest_marked,
       h LIKE '%<polyline class="mean"%' AS trend
FROM page;
SELECT position('data-unit="Đơn vị &lt;b&gt;&amp;&#39;1"' IN sipas.report_html('"Bảng ""lạ""; x"', 'Nhóm đơn vị', 'u; DROP TABLE t; --', 'Năm', 'S')) > 0 AS escaped;
-- labels
SELECT p.proname, p.provolatile, p.proparallel, p.proisstrict, obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented
FROM pg_proc p WHERE p.pronamespace = 'sipas'::regnamespace
  AND p.proname IN ('ranking_table', 'province_trend', 'headlines', 'report_html') ORDER BY 1;
-- units without a group are ranked among themselves
CREATE TEMP TABLE ng AS SELECT * FROM (VALUES (NULL::text, 'p', 2024, sipas.likert_from_counts('{0,0,1,1,1}')),
                                              (NULL, 'q', 2024, sipas.likert_from_counts('{0,0,1,1,2}'))) v(g, u, p, s);
SELECT ranking_group, unit, published, rank, is_highest, is_lowest FROM sipas.ranking_table('ng', 'g', 'u', 'p', 's');
SELECT kind, ranking_group, units, vi, en FROM sipas.headlines('ng', 'g', 'u', 'p', 's');
