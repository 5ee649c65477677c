-- Hardening of sipas.likert (issue 15: F5, F7, F12, F13) and the shared rules of
-- the fmgr toolkit (issue 10: one SQLSTATE per rule, one option parser, the printer).
SET search_path = public, sipas;   -- for the = operator on sipas.likert

-- ---------------------------------------------------------------------------
-- F5: a moving-window rollup forgot the frame had emptied and kept the scale of
-- rows that had left it.  Once the last summary leaves, the scale is unknown again.
-- ---------------------------------------------------------------------------
-- the reproducer: row 3's frame holds only a NULL and a 4-level summary
SELECT i, sipas.rollup(s) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, sipas.likert_from_counts('{1,2,3,4,5}')), (2, NULL),
             (3, sipas.likert_from_counts('{1,2,3,4}'))) v(i, s);
-- weighted summaries, a longer gap and a frame that trails behind the row
SELECT i, sipas.rollup(s) OVER (ORDER BY i ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING)
FROM (VALUES (1, '{"k":5,"n":[0,0,1,0,1],"w":[0,0,0.5,0,2],"w2":[0,0,0.25,0,4]}'::sipas.likert),
             (2, NULL), (3, NULL), (4, NULL),
             (5, '{"k":3,"n":[1,0,1],"w":[1.5,0,3],"w2":[2.25,0,9]}'::sipas.likert),
             (6, sipas.likert_from_counts('{0,2,0}')), (7, NULL)) v(i, s);
-- a summary without answers still fixes the scale of its frame, moving or not
SELECT i, sipas.rollup(s) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, sipas.likert_from_counts('{1,2,3,4,5}')), (2, sipas.likert_from_counts('{0,0,0,0,0}')),
             (3, sipas.likert_from_counts('{1,2,3,4}'))) v(i, s);
SELECT sipas.rollup(s) FROM (VALUES (sipas.likert_from_counts('{0,0,0,0,0}')),
                                    (sipas.likert_from_counts('{1,2,3,4}'))) v(s);
-- 400 rows of 2- to 7-level summaries, scale changes after runs of NULLs, weighted and not:
-- every moving frame equals the frame aggregated afresh
SELECT setseed(0.15);
CREATE TEMP TABLE runs AS
SELECT i, CASE WHEN i % 25 >= 22 THEN NULL
               WHEN i % 2 = 0 THEN (SELECT sipas.likert_agg(1 + (g % k), 0.25 + g / 3.0, k)
                                    FROM generate_series(1, 3) g)
               ELSE sipas.likert_from_counts(ARRAY(SELECT floor(random() * 4)::bigint
                                                   FROM generate_series(1, k) j))
          END AS s
FROM (SELECT i, 2 + (i / 25) % 6 AS k FROM generate_series(1, 400) i) x;
SELECT count(*) AS rows, count(*) FILTER (WHERE moving IS NOT DISTINCT FROM afresh) AS equal,
       count(DISTINCT sipas.scale_size(moving)) AS scales
FROM (SELECT r.i, sipas.rollup(r.s) OVER (ORDER BY r.i ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS moving,
             (SELECT sipas.rollup(q.s) FROM runs q WHERE q.i BETWEEN r.i - 2 AND r.i) AS afresh
      FROM runs r) x;

-- ---------------------------------------------------------------------------
-- F7: with every weight below about 1.5e-154 the squared weights underflow and
-- the standard error came out 0.  Figures are invariant to scaling the weights, or
-- NULL; never 0.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE answers AS
SELECT g, 1 + (g * 7) % 5 AS score FROM generate_series(1, 40) g;
CREATE TEMP TABLE scaled AS
SELECT f AS factor, (SELECT sipas.likert_agg(score, f) FROM answers) AS s
FROM unnest(ARRAY[power(2::float8, -500), power(2::float8, 500), 1e-150::float8, 1e150::float8,
                  1e-160::float8, 1e-170::float8, 1e-300::float8]) f
UNION ALL SELECT NULL, (SELECT sipas.likert_agg(score) FROM answers);
-- powers of two scale exactly: every figure equals the unweighted one, bit for bit
SELECT factor, sipas.satisfaction_index(s) = u.si AS index, sipas.std_error(s) = u.se AS std_error,
       sipas.effective_n(s) = u.en AS effective_n, sipas.mean_score(s) = u.ms AS mean,
       sipas.confidence_interval(s) = u.ci AS wilson,
       sipas.confidence_interval(s, 0.9, 'logit') = u.li AS logit
FROM scaled, (SELECT sipas.satisfaction_index(s) si, sipas.std_error(s) se, sipas.effective_n(s) en,
                     sipas.mean_score(s) ms, sipas.confidence_interval(s) ci,
                     sipas.confidence_interval(s, 0.9, 'logit') li
              FROM scaled WHERE factor IS NULL) u
WHERE factor IN (power(2::float8, -500), power(2::float8, 500));
-- other factors: equal to rounding while the squared weights are normal numbers; NULL
-- (never 0) once they have underflowed (weights below ~1.5e-154)
SELECT factor, abs(sipas.satisfaction_index(s) - u.si) < 1e-12 AS index,
       abs(sipas.mean_score(s) - u.ms) < 1e-12 AS mean,
       CASE WHEN sipas.std_error(s) IS NULL THEN 'NULL'
            WHEN abs(sipas.std_error(s) - u.se) < 1e-12 * u.se THEN 'equal' ELSE 'WRONG' END AS std_error,
       CASE WHEN sipas.effective_n(s) IS NULL THEN 'NULL'
            WHEN abs(sipas.effective_n(s) - u.en) < 1e-12 * u.en THEN 'equal' ELSE 'WRONG' END AS effective_n,
       (sipas.confidence_interval(s)).lower IS NULL AS wilson_null,
       sipas.change_significant(s, (SELECT likert_agg(score) FROM answers WHERE g <= 30)) AS significant
FROM scaled, (SELECT sipas.satisfaction_index(s) si, sipas.std_error(s) se, sipas.effective_n(s) en,
                     sipas.mean_score(s) ms FROM scaled WHERE factor IS NULL) u
WHERE factor IS NOT NULL AND factor NOT IN (power(2::float8, -500), power(2::float8, 500))
ORDER BY factor;
-- the change between periods still exists without its test
SELECT round(c.points::numeric, 9) AS points, c.std_error, c.z, c.p_value
FROM scaled, sipas.change_test(s, (SELECT likert_agg(score) FROM answers WHERE g <= 30)) c
WHERE factor = 1e-170;
-- one tiny weight among normal ones does not matter
SELECT abs(sipas.std_error(sipas.likert_agg(score, CASE WHEN g = 1 THEN 1e-200 ELSE 1 END))
           - sipas.std_error(sipas.likert_agg(score, CASE WHEN g = 1 THEN 0 ELSE 1 END))) < 1e-12 AS same
FROM answers;

-- ---------------------------------------------------------------------------
-- F12: PARTITION BY HASH on a likert or survey column (support function 2)
-- ---------------------------------------------------------------------------
CREATE TABLE by_likert (s sipas.likert, tag int) PARTITION BY HASH (s);
CREATE TABLE by_likert_0 PARTITION OF by_likert FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE by_likert_1 PARTITION OF by_likert FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE by_likert_2 PARTITION OF by_likert FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO by_likert
SELECT sipas.likert_from_counts(ARRAY[g % 4, g % 3, g % 5, 1, g % 7]::bigint[]), g FROM generate_series(1, 300) g;
INSERT INTO by_likert SELECT sipas.likert_agg(1 + g % 4, g / 7.0, 4), 0 FROM generate_series(1, 30) g;
INSERT INTO by_likert SELECT s, -tag FROM by_likert;   -- every value twice, routed again
-- every row is in some partition, the rows spread over all three, and equal values
-- share their partition (also when they come from text input)
SELECT count(*) AS rows, count(DISTINCT tableoid) AS partitions FROM by_likert;
SELECT count(*) AS split_values FROM (
  SELECT s FROM by_likert GROUP BY s HAVING count(DISTINCT tableoid) > 1) x;
SELECT count(*) AS found FROM by_likert WHERE s = '{"k":5,"n":[1,1,1,1,1]}';
WITH ins AS (INSERT INTO by_likert VALUES ('{"k":5,"n":[1,1,1,1,1]}', 1000) RETURNING tableoid)
SELECT ins.tableoid = (SELECT tableoid FROM by_likert WHERE s = '{"k":5,"n":[1,1,1,1,1]}' LIMIT 1)
       AS same_partition
FROM ins;
CREATE TABLE by_survey (s sipas.survey) PARTITION BY HASH (s);
CREATE TABLE by_survey_0 PARTITION OF by_survey FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE by_survey_1 PARTITION OF by_survey FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO by_survey
SELECT sipas.survey_agg('q' || (g % 3), 1 + (g * r) % 5) FROM generate_series(1, 40) g, generate_series(1, 9) r
GROUP BY g;
INSERT INTO by_survey SELECT s FROM by_survey;
SELECT count(*) AS rows, count(DISTINCT tableoid) AS partitions FROM by_survey;
-- (sipas.survey has no btree order: group by hashing)
SELECT count(*) AS split_values FROM (
  SELECT s FROM (SELECT DISTINCT s, tableoid FROM by_survey) d GROUP BY s HAVING count(*) > 1) x;
-- the operator classes are complete
SELECT c.opcname, amvalidate(c.oid) FROM pg_opclass c JOIN pg_namespace n ON n.oid = c.opcnamespace
WHERE n.nspname = 'sipas' AND c.opcname IN ('likert_hash_ops', 'survey_hash_ops') ORDER BY 1;
DROP TABLE by_likert, by_survey;

-- ---------------------------------------------------------------------------
-- F13: arguments of the aggregate (the scale size) are checked on every row,
-- whatever the score; the weight belongs to the answer and is checked with one.
-- ---------------------------------------------------------------------------
SELECT sipas.likert_agg(NULL::int, 1, 99);
SELECT sipas.likert_agg(NULL::smallint, 1, 1);
SELECT sipas.satisfaction_index(NULL::int, 1, 11);
SELECT sipas.likert_agg(NULL::int, 1, NULL);
SELECT sipas.likert_agg(s, 1, k) FROM (VALUES (NULL::int, 4), (NULL, 99)) v(s, k);
SELECT sipas.likert_agg(s, w, 4) IS NULL AS no_answers FROM (VALUES (NULL::int, NULL::float8), (NULL, -1)) v(s, w);

-- ---------------------------------------------------------------------------
-- One SQLSTATE per rule (doc/architecture.md, "Errors"): an argument outside its
-- allowed values is 22023, data outside its range 22003, a NULL argument 22004.
-- ---------------------------------------------------------------------------
\set VERBOSITY sqlstate
SELECT sipas.share(sipas.likert_from_counts('{1,2,3}'), 4);        -- level
SELECT sipas.share(sipas.likert_from_counts('{1,2,3}'), 0);
SELECT sipas.share_between(sipas.likert_from_counts('{1,2,3}'), 2, 4);
SELECT sipas.confidence_interval(sipas.likert_from_counts('{1,2,3}'), 1);       -- confidence
SELECT sipas.change_significant(sipas.likert_from_counts('{1,2,3}'), sipas.likert_from_counts('{1,2,3}'), 0);
SELECT sipas.confidence_interval(sipas.likert_from_counts('{1,2,3}'), 0.9, 'exact');   -- option
SELECT sipas.likert_agg(3, 1, 11);                                   -- scale size
SELECT sipas.likert_agg(3, 1, NULL);                                 -- NULL argument
SELECT sipas.likert_agg(6);                                          -- data: score
SELECT sipas.likert_agg(3, -1);                                      -- data: weight
\set VERBOSITY default
-- the messages of the shared checks and of the option parser
SELECT sipas.confidence_interval(sipas.likert_from_counts('{1,2,3}'), 1.5);
SELECT sipas.confidence_interval(sipas.likert_from_counts('{1,2,3}'), 0.9, 'exact');
SELECT lower, upper FROM sipas.confidence_interval(sipas.likert_from_counts('{1,2,3}'), 0.9, 'LOGIT');

-- ---------------------------------------------------------------------------
-- The printer: PostgreSQL's shortest digits (what float8out uses).  2^-24 needs 16
-- digits, not the 17 the old printer used; text round trips stay exact whatever
-- extra_float_digits says.
-- ---------------------------------------------------------------------------
SELECT '{"k":2,"n":[1,1],"w":[5.9604644775390625e-08,0.1],"w2":[3.552713678800501e-15,0.010000000000000002]}'::sipas.likert;
SET extra_float_digits = -15;
SELECT s::text::sipas.likert = s AS round_trip, s::text
FROM (SELECT sipas.likert_agg(1 + g % 3, 1.0 / g, 3) AS s FROM generate_series(1, 50) g) x;
RESET extra_float_digits;
