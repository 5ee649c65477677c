-- Every test vector of the methodology reference (section 6) reproduced from its raw
-- counts with sipas functions and publish(), compared with the published figures;
-- then the national figures that document the combination rule (section 3).
SET extra_float_digits = 0;

-- ---------------------------------------------------------------------------
-- One department, 2022, overall satisfaction: 31 forms, 10 very satisfied,
-- 16 satisfied, 5 neutral, 0 negative -> 32.3 / 51.6 / 16.1 %, satisfied 83.87 %
-- ---------------------------------------------------------------------------
SELECT array(SELECT sipas.publish(x, 1) FROM unnest(sipas.distribution(s)) x) AS shares,
       sipas.publish(sipas.share(s, 5), 1) = 32.3 AND sipas.publish(sipas.share(s, 4), 1) = 51.6
           AND sipas.publish(sipas.share(s, 3), 1) = 16.1 AS shares_as_published,
       sipas.publish(sipas.satisfaction_index(s)) AS satisfied,
       sipas.publish(sipas.satisfaction_index(s)) = 83.87 AS satisfied_as_published,
       sipas.publish(sipas.share_between(s, 4, 5)) = 83.87 AS top_two_band_as_published
FROM (SELECT sipas.likert_from_counts('{0,0,5,16,10}') AS s) x;

-- ---------------------------------------------------------------------------
-- Dossiers: early / on time / late as percent of processed, one decimal
-- ---------------------------------------------------------------------------
SELECT v.level, sh.*,
       ARRAY[sipas.publish(sh.early_pct, 1), sipas.publish(sh.on_time_pct, 1), sipas.publish(sh.late_pct, 1)] AS published,
       ARRAY[sipas.publish(sh.early_pct, 1), sipas.publish(sh.on_time_pct, 1), sipas.publish(sh.late_pct, 1)]
           = v.expected AS as_published,
       v.processed - v.early - v.on_time - v.late AS other_categories
FROM (VALUES ('1-2', 257141::bigint, 124907::bigint, 102770::bigint, 19852::bigint, '{48.6,40.0,7.7}'::numeric[]),
             ('3', 61827, 43434, 11795, 4331, '{70.3,19.1,7.0}'),
             ('4', 1611, 952, 388, 268, '{59.1,24.1,16.6}')) v(level, processed, early, on_time, late, expected),
     sipas.dossier_shares(v.processed, v.early, v.on_time, v.late) sh
ORDER BY v.level;
-- the published shares do not add to 100: their denominator includes dossiers in
-- other categories, so the shares among the classified ones differ (level 4:
-- 952 / 1,608 = 59.2 %, published 59.1 % of 1,611)
CREATE TEMP TABLE level4 AS
SELECT date '2024-03-01' AS received, date '2024-03-10' AS due,
       date '2024-03-10' + CASE WHEN g <= 952 THEN -1 WHEN g <= 952 + 388 THEN 0 ELSE 2 END AS finished
FROM generate_series(1, 952 + 388 + 268) g;
SELECT t.processed, t.early, t.on_time, t.late,
       ARRAY[sipas.publish(t.early_pct, 1), sipas.publish(t.on_time_pct, 1), sipas.publish(t.late_pct, 1)] AS of_classified,
       ARRAY[sipas.publish(s.early_pct, 1), sipas.publish(s.on_time_pct, 1), sipas.publish(s.late_pct, 1)]
           = '{59.1,24.1,16.6}' AS of_1611_as_published
FROM (SELECT (sipas.dossier_timeliness(received, due, finished)).* FROM level4) t,
     sipas.dossier_shares(1611, t.early, t.on_time, t.late) s;

-- ---------------------------------------------------------------------------
-- PAR Index points: SIPAS 91.17 %, 10 points maximum -> 9.12 (Hà Tĩnh 2021)
-- ---------------------------------------------------------------------------
SELECT sipas.publish(sipas.par_points(91.17, 10)) AS points, sipas.publish(sipas.par_points(91.17, 10)) = 9.12 AS as_published;

-- ---------------------------------------------------------------------------
-- National change 2023 82.66 -> 2024 83.94: +1.28 points
-- ---------------------------------------------------------------------------
SELECT sipas.publish(83.94 - 82.66) AS points, sipas.publish(83.94 - 82.66) = 1.28 AS as_published;

-- ---------------------------------------------------------------------------
-- National 2024: policy part 83.84 (23 items), service part 84.09 (16 items),
-- published overall 83.94.  A survey whose every policy item scores 83.84 %
-- (8,384 of 10,000 answers at 5, the rest at 3) and every service item 84.09 %:
-- ---------------------------------------------------------------------------
SELECT count(*) FILTER (WHERE split_part(code, '.', 1) = 'I') AS policy_items,
       count(*) FILTER (WHERE split_part(code, '.', 1) = 'II') AS service_items
FROM sipas.node WHERE questionnaire = '2023' AND kind = 'item';
CREATE TEMP TABLE national_2024 AS
SELECT sipas.survey_agg(n.code, CASE WHEN g <= p.satisfied THEN 5 ELSE 3 END) AS s
FROM sipas.node n
JOIN (VALUES ('I', 8384), ('II', 8409)) p(part, satisfied) ON p.part = split_part(n.code, '.', 1)
CROSS JOIN generate_series(1, 10000) g
WHERE n.questionnaire = '2023' AND n.kind = 'item';
SELECT sipas.publish(sipas.node_index(s, 'I')) AS policy, sipas.publish(sipas.node_index(s, 'II')) AS service,
       sipas.publish(sipas.overall(s, '2023', 'items')) AS item_weighted_23_16,
       sipas.publish(sipas.overall(s, '2023', 'mean')) AS plain_mean_of_parts,
       sipas.publish(sipas.overall(s, '2023', 'items')) = 83.94 AS item_weighted_as_published,
       sipas.publish(sipas.overall(s, '2023', 'mean')) = 83.94 AS plain_mean_as_published
FROM national_2024;
-- the same from the published part figures alone
SELECT sipas.publish((23 * 83.84 + 16 * 84.09) / 39.0) AS item_weighted, sipas.publish((83.84 + 84.09) / 2.0) AS plain_mean;

-- ---------------------------------------------------------------------------
-- National 2023: service elements access 83.00, procedures 83.02, civil servants
-- 83.12, result 83.03, feedback 82.27; published overall 82.66.  The service part
-- is 82.89 as a plain mean of its groups (82.90 weighted by their 3/4/3/3/3 items);
-- the overall includes the policy part, so 82.66 cannot be checked from these.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE national_2023 AS
SELECT sipas.survey_agg(n.code, CASE WHEN g <= p.satisfied THEN 5 ELSE 3 END) AS s
FROM sipas.node n
JOIN (VALUES ('II.A', 8300), ('II.B', 8302), ('II.C', 8312), ('II.D', 8303), ('II.E', 8227)) p(grp, satisfied)
  ON p.grp = n.parent
CROSS JOIN generate_series(1, 10000) g
WHERE n.questionnaire = '2023' AND n.kind = 'item';
SELECT b.code, b.n, sipas.publish(b.index) AS index
FROM national_2023, sipas.breakdown(s) b
WHERE b.kind <> 'item' ORDER BY b.level, b.code;
SELECT sipas.publish(sipas.node_index(s, 'II', '2023', 'mean')) = 82.89 AS service_plain_mean_82_89,
       sipas.publish(sipas.node_index(s, 'II', '2023', 'items')) AS service_item_weighted,
       sipas.publish(sipas.overall(s)) = 82.66 AS overall_from_service_alone_as_published
FROM national_2023;
