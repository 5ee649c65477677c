-- Accessors on published counts: one department, 2022 (methodology, section 6):
SET search_path = public, sipas;   -- for the = operator on sipas.likert
-- 31 forms, 10 very satisfied, 16 satisfied, 5 neutral -> 83.87 % satisfied.
SELECT sipas.likert_from_counts('{0,0,5,16,10}') AS s \gset
SELECT sipas.scale_size(:'s'::sipas.likert), sipas.n(:'s'::sipas.likert), sipas.counts(:'s'::sipas.likert),
       round(sipas.satisfaction_index(:'s'::sipas.likert)::numeric, 2) AS published_83_87;
SELECT array(SELECT round(x::numeric, 1) FROM unnest(sipas.distribution(:'s'::sipas.likert)) x) AS published_0_0_16_1_51_6_32_3;
SELECT round(sipas.share(:'s'::sipas.likert, 5)::numeric, 1) AS very_satisfied_32_3,
       round(sipas.mean_score(:'s'::sipas.likert)::numeric, 6) AS mean_4_161290,
       sipas.weighted_n(:'s'::sipas.likert), sipas.effective_n(:'s'::sipas.likert);
-- unweighted std_error is sqrt(p (1 - p) / (n - 1)), in points
SELECT abs(sipas.std_error(:'s'::sipas.likert) - 100 * sqrt((26.0/31) * (5.0/31) / 30)) < 1e-12 AS se_ok;
-- Wilson 95 %: R prop.test(26, 31, correct = FALSE)$conf.int = 0.6736564604120675 0.9290737555663471
SELECT abs(lower - 67.36564604120675) < 1e-9 AS lower_ok, abs(upper - 92.90737555663471) < 1e-9 AS upper_ok
FROM sipas.confidence_interval(:'s'::sipas.likert);
SELECT round(lower::numeric, 4), round(upper::numeric, 4) FROM sipas.confidence_interval(:'s'::sipas.likert, 0.99, 'wilson');
-- logit 95 %: R svyciprop(~y, svydesign(ids = ~1, weights = ~1), method = "logit") = 0.6535951940300698 0.9347734198517941
SELECT abs(lower - 65.35951940300698) < 1e-9 AS lower_ok, abs(upper - 93.47734198517941) < 1e-9 AS upper_ok FROM sipas.confidence_interval(:'s'::sipas.likert, 0.95, 'LOGIT');
SELECT (sipas.confidence_interval(:'s'::sipas.likert)).lower < sipas.satisfaction_index(:'s'::sipas.likert) AS lower_below;

-- weighted: Kish effective n and the weighted mean
SELECT sipas.likert_agg(s, w) AS ws FROM (VALUES (5, 2.0), (4, 1.0), (2, 1.0), (1, 4.0)) v(s, w) \gset
SELECT sipas.n(:'ws'::sipas.likert), sipas.weighted_n(:'ws'::sipas.likert),
       sipas.effective_n(:'ws'::sipas.likert) AS neff_64_over_22, sipas.mean_score(:'ws'::sipas.likert) AS mean_2_5,
       sipas.satisfaction_index(:'ws'::sipas.likert) AS index_37_5, sipas.share(:'ws'::sipas.likert, 1) AS share1_50;

-- figures that do not exist are NULL
SELECT sipas.std_error('{"k":5,"n":[0,0,0,0,1]}') AS se_of_one,
       sipas.effective_n('{"k":2,"n":[1,0],"w":[0,0],"w2":[0,0]}') AS neff_zero_weight,
       sipas.satisfaction_index('{"k":2,"n":[1,0],"w":[0,0],"w2":[0,0]}'::sipas.likert) AS index_zero_weight,
       sipas.distribution('{"k":2,"n":[0,0]}') AS dist_empty, sipas.n('{"k":2,"n":[0,0]}'::sipas.likert) AS n_empty;
SELECT * FROM sipas.confidence_interval('{"k":5,"n":[0,0,0,3,7]}', 0.95, 'logit');   -- 100 %: no logit interval
SELECT round(lower::numeric, 4), upper FROM sipas.confidence_interval('{"k":5,"n":[0,0,0,3,7]}');   -- Wilson works at 100 %

-- bad arguments
SELECT sipas.share(:'s'::sipas.likert, 6);
SELECT sipas.share(:'s'::sipas.likert, 0);
SELECT * FROM sipas.confidence_interval(:'s'::sipas.likert, 1.0);
SELECT * FROM sipas.confidence_interval(:'s'::sipas.likert, 0);
SELECT * FROM sipas.confidence_interval(:'s'::sipas.likert, 'NaN');
SELECT * FROM sipas.confidence_interval(:'s'::sipas.likert, 0.95, 'wald');
SELECT sipas.likert_from_counts('{1}');
SELECT sipas.likert_from_counts('{1,2,3,4,5,6,7,8,9,10,11}');
SELECT sipas.likert_from_counts('{1,NULL,3}');
SELECT sipas.likert_from_counts('{1,-2,3}');
SELECT sipas.likert_from_counts('{{1,2},{3,4}}');
SELECT sipas.likert_from_counts('{9223372036854775807,1}');
-- huge weights: figures stay finite (scale-invariant, computed on rescaled weights; found by the fuzzer)
SELECT round(sipas.satisfaction_index(s)::numeric, 6) AS idx, sipas.effective_n(s) AS neff,
       round(sipas.std_error(s)::numeric, 6) AS se, round(lower::numeric, 6) AS lower, round(upper::numeric, 6) AS upper
FROM (VALUES ('{"k":5,"n":[1,0,0,2,2],"w":[1e154,0,0,1.8e+154,1.8e+154],"w2":[1e308,0,0,1.62e+308,1.62e+308]}'::sipas.likert)) v(s),
     sipas.confidence_interval(s);
