--
-- oracle_r_figures: sipas's standard error and confidence intervals against figures
-- recorded from R (R 4.2.2, survey 4.1.1 = packageVersion("survey"), Debian 12).
-- The full, randomised comparison is tests/oracle/run; see tests/oracle/README.md.
--
-- Four small datasets; y = (score >= 4) on the 5-level scale, w = 1 when unweighted,
-- d <- svydesign(ids = ~1, weights = ~w, data = <dataset>).  All figures in percent:
--   index              100 * coef(svymean(~y, d))
--   std_error          100 * SE(svymean(~y, d))
--   logit_C_lower/upper   svyciprop(~y, d, method = "logit", level = C) computed to full
--                      precision, i.e. fit <- svyglm(y ~ 1, d, family = quasibinomial,
--                      control = glm.control(epsilon = 1e-14, maxit = 100));
--                      h <- qt(1 - (1 - C)/2, degf(d)) * SE(fit);
--                      100 * plogis(coef(fit) + c(-h, h))
--   wilson_C_lower/upper  A (unweighted): 100 * prop.test(x, n, conf.level = C,
--                      correct = FALSE)$conf.int; B-D (weighted): the Wilson score interval
--                      on the Kish n = sum(w)^2 / sum(w^2), z = qnorm(1 - (1 - C)/2):
--                      100 * ((p + z^2/(2n)) +- z * sqrt(p(1-p)/n + z^2/(4n^2))) / (1 + z^2/n)
--
-- The literal output of 100 * attr(svyciprop(~y, d, method = "logit", level = C), "ci")
-- is good to about 1e-8 only (svyglm stops its IRLS at glm.control()'s epsilon = 1e-8):
--   A 0.95: 45.003611811836272, 86.933826344141409
--   A 0.99: 35.779189433911256, 90.716971428084051
--   B 0.95: 33.759511441439386, 87.660428623013161
--   B 0.99: 23.413914678778344, 92.213496082189565
--   C 0.95: 71.421971950677303, 99.67644201233864
--   C 0.99: 48.160430741881413, 99.879478296026008
--   D 0.95: 2.4563869311723301, 43.700461390946728   (IRLS stopped after 2 iterations:
--   D 0.99: 1.368548283560469, 58.484719109344752     intercept off by 6.1e-9)
-- so the recorded logit figures below are those of the converged fit.
--
-- Each check is abs(sipas - R) < 1e-8 (points); every row must show ok = t.
--
SET extra_float_digits = 0;		-- no float is printed; set for stability anyway

CREATE TEMP TABLE oracle_answers (ds text, score integer, w double precision);
INSERT INTO oracle_answers (ds, score, w)
-- A: 20 unweighted answers, 14 satisfied
SELECT 'A', score, 1.0 FROM (VALUES (5), (4), (4), (3), (5), (2), (4), (4), (1), (5),
                                    (3), (4), (5), (4), (2), (4), (5), (3), (4), (4)) AS v(score)
UNION ALL
-- B: 15 weighted answers
SELECT 'B', score, w FROM (VALUES
    (5, 1.2), (4, 0.8), (3, 2.5), (4, 1.0), (2, 0.6), (5, 3.1), (4, 1.7), (1, 0.9),
    (3, 1.4), (4, 2.2), (5, 0.5), (2, 1.1), (4, 1.3), (3, 0.7), (5, 1.9)) AS v(score, w)
UNION ALL
-- C: 12 weighted answers, one of them with a very large weight (Kish n = 1.09)
SELECT 'C', score, w FROM (VALUES
    (4, 250.0), (2, 1.1), (3, 0.9), (5, 1.3), (1, 1.0), (2, 0.8), (4, 1.2), (3, 1.5),
    (2, 0.7), (1, 1.1), (3, 0.95), (2, 1.05)) AS v(score, w)
UNION ALL
-- D: 30 weighted answers, 3 satisfied (12.3 %), skewed weights
SELECT 'D', score, w FROM (VALUES
    (4, 0.3), (1, 1.4), (2, 0.8), (3, 2.6), (2, 1.1), (5, 4.5), (3, 0.9), (1, 1.7),
    (2, 0.6), (3, 1.2), (2, 3.8), (2, 0.7), (1, 1.0), (3, 2.1), (4, 1.1), (2, 0.5),
    (3, 1.6), (1, 0.9), (2, 1.3), (3, 6.2), (2, 0.8), (1, 1.5), (3, 0.4), (2, 2.4),
    (3, 1.0), (1, 0.7), (2, 1.9), (3, 1.2), (2, 0.6), (1, 3.3)) AS v(score, w);

-- A through the unweighted aggregate, B-D through the weighted one
CREATE TEMP TABLE oracle_summ AS
SELECT ds, sipas.likert_agg(score) AS s FROM oracle_answers WHERE ds = 'A' GROUP BY ds
UNION ALL
SELECT ds, sipas.likert_agg(score, w) FROM oracle_answers WHERE ds <> 'A' GROUP BY ds;

SELECT ds, sipas.n(s), sipas.scale_size(s) FROM oracle_summ ORDER BY ds;

-- R's figures (17 significant digits, from the R calls above)
CREATE TEMP TABLE oracle_r (ds text, figure text, r_survey text);
INSERT INTO oracle_r VALUES
    ('A', 'index',             '70'),
    ('A', 'std_error',         '10.513149660756936'),
    ('A', 'logit_0.95_lower',  '45.003611811853098'),
    ('A', 'logit_0.95_upper',  '86.933826344160281'),
    ('A', 'logit_0.99_lower',  '35.779189433922724'),
    ('A', 'logit_0.99_upper',  '90.716971428099569'),
    ('A', 'wilson_0.90_lower', '51.619628040755771'),
    ('A', 'wilson_0.90_upper', '83.614058464805652'),
    ('A', 'wilson_0.95_lower', '48.102718164647662'),
    ('A', 'wilson_0.95_upper', '85.452275513239556'),
    ('B', 'index',             '65.550239234449776'),
    ('B', 'std_error',         '13.86997718304565'),
    ('B', 'logit_0.95_lower',  '33.759511441439535'),
    ('B', 'logit_0.95_upper',  '87.66042862301336'),
    ('B', 'logit_0.99_lower',  '23.413914678778397'),
    ('B', 'logit_0.99_upper',  '92.213496082189664'),
    ('B', 'wilson_0.90_lower', '41.913394964612849'),
    ('B', 'wilson_0.90_upper', '83.382183215918104'),
    ('B', 'wilson_0.95_lower', '37.863060846264297'),
    ('B', 'wilson_0.95_upper', '85.594294323151544'),
    ('C', 'index',             '96.521406727828747'),
    ('C', 'std_error',         '3.6721198321789057'),
    ('C', 'logit_0.95_lower',  '71.421971950679676'),
    ('C', 'logit_0.95_upper',  '99.676442012338683'),
    ('C', 'logit_0.99_lower',  '48.16043074188417'),
    ('C', 'logit_0.99_upper',  '99.879478296026036'),
    ('C', 'wilson_0.90_lower', '26.850129242234768'),
    ('C', 'wilson_0.90_upper', '99.952347484035897'),
    ('C', 'wilson_0.95_lower', '20.668520680416986'),
    ('C', 'wilson_0.95_upper', '99.96617195322078'),
    ('D', 'index',             '12.266112266112266'),
    ('D', 'std_error',         '9.0194191440452229'),
    ('D', 'logit_0.95_lower',  '2.4563868968249114'),
    ('D', 'logit_0.95_upper',  '43.700461443799291'),
    ('D', 'logit_0.99_lower',  '1.3685482603425587'),
    ('D', 'logit_0.99_upper',  '58.484719231083581'),
    ('D', 'wilson_0.90_lower', '4.3579263778950983'),
    ('D', 'wilson_0.90_upper', '30.020554646335192'),
    ('D', 'wilson_0.95_lower', '3.6314907229186861'),
    ('D', 'wilson_0.95_upper', '34.154887919192952');

-- sipas's figures in the same long format
CREATE TEMP VIEW oracle_sipas AS
SELECT ds, 'index' AS figure, sipas.satisfaction_index(s) AS value FROM oracle_summ
UNION ALL
SELECT ds, 'std_error', sipas.std_error(s) FROM oracle_summ
UNION ALL
SELECT ds, m || '_' || c || '_' || b, v
FROM oracle_summ
CROSS JOIN (VALUES ('logit', '0.95'), ('logit', '0.99'), ('wilson', '0.90'), ('wilson', '0.95')) AS mc(m, c)
CROSS JOIN LATERAL sipas.confidence_interval(s, c::double precision, m) AS ci
CROSS JOIN LATERAL (VALUES ('lower', ci.lower), ('upper', ci.upper)) AS bb(b, v);

-- one row per check
SELECT r.ds, r.figure, r.r_survey,
       coalesce(abs(s.value - r.r_survey::double precision) < 1e-8, false) AS ok
FROM oracle_r AS r
LEFT JOIN oracle_sipas AS s USING (ds, figure)
ORDER BY r.ds, r.figure;

-- and every sipas figure has its R counterpart
SELECT count(*) AS checks, count(*) FILTER (WHERE abs(s.value - r.r_survey::double precision) < 1e-8) AS passed
FROM oracle_sipas AS s
FULL JOIN oracle_r AS r USING (ds, figure);

-- Edge: 4 of 4 satisfied (unweighted).  R: svymean SE = 0; the logit of 100 % is +Inf,
-- so the logit interval does not exist (svyciprop gives [99.999999994173777,
-- 99.999999994173777] % at both levels: an interval of width 0 around the end point of
-- an IRLS stopped at a finite intercept) and sipas returns NULL by design; the Wilson interval
-- is prop.test(4, 4, conf.level = C, correct = FALSE)$conf.int:
--   0.90: 59.652137479729546, 100;  0.95: 51.010916354540278, 100
WITH e AS (SELECT sipas.likert_agg(score) AS s FROM (VALUES (4), (5), (5), (4)) AS v(score))
SELECT sipas.satisfaction_index(s) = 100 AS index_100,
       sipas.std_error(s) = 0 AS se_zero,
       (sipas.confidence_interval(s, 0.95, 'logit')).lower IS NULL AS logit_lower_null,
       (sipas.confidence_interval(s, 0.95, 'logit')).upper IS NULL AS logit_upper_null,
       abs((sipas.confidence_interval(s, 0.90, 'wilson')).lower - 59.652137479729546) < 1e-8 AS wilson90_lower_ok,
       abs((sipas.confidence_interval(s, 0.90, 'wilson')).upper - 100) < 1e-8 AS wilson90_upper_ok,
       abs((sipas.confidence_interval(s, 0.95, 'wilson')).lower - 51.010916354540278) < 1e-8 AS wilson95_lower_ok,
       abs((sipas.confidence_interval(s, 0.95, 'wilson')).upper - 100) < 1e-8 AS wilson95_upper_ok
FROM e;

DROP VIEW oracle_sipas;
DROP TABLE oracle_r, oracle_summ, oracle_answers;
