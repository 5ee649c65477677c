-- Partial aggregation: parallel workers and partitionwise aggregates call
SET search_path = public, sipas;   -- for the = operator on sipas.likert
-- combine, serialize and deserialize; results must equal the serial plan.
SELECT setseed(0.7);
CREATE TABLE par_answers AS
SELECT (g % 13) AS agency, 1 + floor(random() * 5)::int AS score, (g % 5)::smallint + 1 AS score2,
       0.5 + random() AS weight
FROM generate_series(1, 60000) g;
ANALYZE par_answers;

CREATE TEMP TABLE serial_result AS
SELECT agency, sipas.likert_agg(score) AS u, sipas.likert_agg(score, weight) AS w,
       sipas.satisfaction_index(score2) AS i, sipas.rollup(s) AS r
FROM par_answers, LATERAL (SELECT sipas.likert_from_counts(ARRAY[score, 1, 0]::bigint[])) l(s)
GROUP BY agency;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT agency, sipas.likert_agg(score) FROM par_answers GROUP BY agency;
CREATE TEMP TABLE parallel_result AS
SELECT agency, sipas.likert_agg(score) AS u, sipas.likert_agg(score, weight) AS w,
       sipas.satisfaction_index(score2) AS i, sipas.rollup(s) AS r
FROM par_answers, LATERAL (SELECT sipas.likert_from_counts(ARRAY[score, 1, 0]::bigint[])) l(s)
GROUP BY agency;
RESET ALL;
SET search_path = public, sipas;

-- unweighted states are exact; weighted ones agree to the last bits
SELECT count(*) AS groups,
       count(*) FILTER (WHERE s.u = p.u AND s.i = p.i AND s.r = p.r) AS exact,
       count(*) FILTER (WHERE sipas.counts(s.w) = sipas.counts(p.w)
                          AND abs(sipas.weighted_n(s.w) - sipas.weighted_n(p.w)) <= 1e-12 * sipas.weighted_n(s.w)
                          AND abs(sipas.std_error(s.w) - sipas.std_error(p.w)) <= 1e-12) AS weighted_agree
FROM serial_result s JOIN parallel_result p USING (agency);

-- deterministic partial aggregation: partitionwise, one empty partition
CREATE TABLE part_answers (agency int, score int, weight float8) PARTITION BY LIST ((agency % 3));
CREATE TABLE part_answers_0 PARTITION OF part_answers FOR VALUES IN (0);
CREATE TABLE part_answers_1 PARTITION OF part_answers FOR VALUES IN (1);
CREATE TABLE part_answers_2 PARTITION OF part_answers FOR VALUES IN (2);
INSERT INTO part_answers SELECT agency * 3, score, weight FROM par_answers WHERE agency < 5;   -- only partition 0
INSERT INTO part_answers SELECT 1, score, weight FROM par_answers WHERE agency = 7;
ANALYZE part_answers;
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF)
SELECT sipas.likert_agg(score, weight), sipas.satisfaction_index(score) FROM part_answers;
SELECT sipas.counts(sipas.likert_agg(score, weight)) AS partitionwise,
       sipas.satisfaction_index(score) = (SELECT sipas.satisfaction_index(score) FROM par_answers WHERE agency < 5 OR agency = 7) AS same_index
FROM part_answers;
SELECT sipas.counts(sipas.likert_agg(score)) AS one_pass FROM par_answers WHERE agency < 5 OR agency = 7;
RESET ALL;
SET search_path = public, sipas;
DROP TABLE part_answers, par_answers;
