-- Text I/O of sipas.likert: canonical output, exact round trips, strict input.
SET extra_float_digits = 0;   -- sipas output must not depend on it
-- operators live in schema sipas: put it on the search_path, or write OPERATOR(sipas.=)
SET search_path = public, sipas;

SELECT '{"k":5,"n":[0,0,5,16,10]}'::sipas.likert;
SELECT ' { "k" : 5 , "n" : [ 0 , 0 , 5 , 16 , 10 ] } '::sipas.likert;   -- whitespace allowed
SELECT '{"k":2,"n":[3,4]}'::sipas.likert, '{"k":10,"n":[1,2,3,4,5,6,7,8,9,10]}'::sipas.likert;
-- weights equal to counts are the unweighted value: one representation only
SELECT '{"k":3,"n":[1,2,3],"w":[1,2,3],"w2":[1,2,3]}'::sipas.likert;
SELECT '{"k":3,"n":[1,2,3],"w":[1,2,3],"w2":[1,2,3]}'::sipas.likert = '{"k":3,"n":[1,2,3]}'::sipas.likert AS same;
-- weighted: doubles print with the fewest digits that read back exactly
SELECT '{"k":3,"n":[1,0,2],"w":[0.1,0,0.30000000000000004],"w2":[0.010000000000000002,0,0.05]}'::sipas.likert;
SELECT '{"k":3,"n":[1,0,2],"w":[-0,0,1],"w2":[0,0,0.5]}'::sipas.likert;   -- -0 becomes 0

-- round trip is exact whatever extra_float_digits says
CREATE TEMP TABLE rt AS
SELECT g, sipas.likert_agg(1 + (g * 7 + i) % 5, (i % 97) / 7.0 + 1e-3 * g) AS s
FROM generate_series(1, 50) g, generate_series(1, 40) i GROUP BY g;
SELECT count(*) AS rows, count(*) FILTER (WHERE s::text::sipas.likert = s) AS exact FROM rt;
SET extra_float_digits = -15;
SELECT count(*) FILTER (WHERE s::text::sipas.likert = s) AS exact_at_minus_15 FROM rt;
SET extra_float_digits = 3;
SELECT count(*) FILTER (WHERE s::text::sipas.likert = s) AS exact_at_3 FROM rt;
RESET extra_float_digits;
-- text is JSON: any tool can read it
SELECT (s::text::jsonb) -> 'n' AS n_json FROM rt WHERE g = 1;

-- equality and hashing: GROUP BY, DISTINCT and hash joins work
SELECT count(DISTINCT s) FROM (SELECT s FROM rt UNION ALL SELECT s FROM rt) u;
SET enable_sort = off;
SELECT count(*) FROM (SELECT s FROM rt UNION ALL SELECT s FROM rt) u GROUP BY s HAVING count(*) <> 2;
RESET enable_sort;
SELECT '{"k":5,"n":[0,0,5,16,10]}'::sipas.likert <> '{"k":5,"n":[0,0,5,16,11]}'::sipas.likert AS differs;
SELECT sipas_internal.likert_hash('{"k":5,"n":[0,0,5,16,10]}') = sipas_internal.likert_hash(' {"k":5, "n":[0,0,5,16,10]}') AS same_hash;

-- stored size: 4-byte header + 4-byte layout header + 8 bytes per level (+16 per level when weighted)
SELECT pg_column_size('{"k":5,"n":[0,0,5,16,10]}'::sipas.likert) AS unweighted_bytes,
       pg_column_size('{"k":5,"n":[1,1,1,1,1],"w":[2,2,2,2,2],"w2":[4,4,4,4,4]}'::sipas.likert) AS weighted_bytes;

-- malformed input: each rejected with a message that names the problem
SELECT ''::sipas.likert;
SELECT '5,0,0'::sipas.likert;
SELECT '{"k":5}'::sipas.likert;
SELECT '{"k":5,"n":[0,0,5,16]}'::sipas.likert;
SELECT '{"k":5,"n":[0,0,5,16,10,1]}'::sipas.likert;
SELECT '{"k":5,"n":[0,0,5,16,10]} x'::sipas.likert;
SELECT '{"k":5,"n":[0,0,5,16,10],}'::sipas.likert;
SELECT '{"n":[0,0,5,16,10],"k":5}'::sipas.likert;
SELECT '{"k":1,"n":[3]}'::sipas.likert;
SELECT '{"k":11,"n":[1,1,1,1,1,1,1,1,1,1,1]}'::sipas.likert;
SELECT '{"k":5,"n":[0,0,-5,16,10]}'::sipas.likert;
SELECT '{"k":5,"n":[0,0,5.5,16,10]}'::sipas.likert;
SELECT '{"k":5,"n":[0,0,+5,16,10]}'::sipas.likert;
SELECT '{"k":2,"n":[9223372036854775808,0]}'::sipas.likert;
SELECT '{"k":2,"n":[9223372036854775807,1]}'::sipas.likert;
SELECT '{"k":2,"n":[1,1],"w":[1,1]}'::sipas.likert;
SELECT '{"k":2,"n":[1,1],"w2":[1,1],"w":[1,1]}'::sipas.likert;
SELECT '{"k":2,"n":[1,1],"w":[NaN,1],"w2":[1,1]}'::sipas.likert;
SELECT '{"k":2,"n":[1,1],"w":[1e999,1],"w2":[1,1]}'::sipas.likert;
SELECT '{"k":2,"n":[1,1],"w":[0x10,1],"w2":[1,1]}'::sipas.likert;
SELECT '{"k":2,"n":[1,1],"w":[-1,1],"w2":[1,1]}'::sipas.likert;
SELECT '{"k":2,"n":[0,1],"w":[1,1],"w2":[1,1]}'::sipas.likert;     -- weight without answers
SELECT '{"k":2,"n":[2,1],"w":[1,1],"w2":[5,1]}'::sipas.likert;     -- w2 > w^2: impossible
SELECT '{"k":2,"n":[2,1],"w":[4,1],"w2":[1,1]}'::sipas.likert;     -- w^2 > n w2: impossible

-- without sipas on the search_path, the qualified operator works
RESET search_path;
SELECT '{"k":2,"n":[1,2]}'::sipas.likert OPERATOR(sipas.=) '{"k":2,"n":[1,2]}'::sipas.likert AS qualified_eq;
-- ordering is total and consistent with equality
SELECT s FROM (VALUES ('{"k":3,"n":[1,2,3]}'::sipas.likert), ('{"k":2,"n":[5,5]}'), ('{"k":3,"n":[1,2,2]}'),
                      ('{"k":3,"n":[1,2,3],"w":[1,2,4],"w2":[1,2,8]}'), ('{"k":3,"n":[1,2,3]}')) v(s)
ORDER BY s;
SELECT count(DISTINCT s) FROM (VALUES ('{"k":3,"n":[1,2,3]}'::sipas.likert), ('{"k":3,"n":[1,2,3],"w":[1,2,3],"w2":[1,2,3]}')) v(s);
-- error messages never cut a multibyte character (found by the fuzzer)
SELECT '{"k":5,"n":[Điểm]}'::sipas.likert;
SELECT '{"k":5,"n":[1,2,3,4,5]}ễễễễễễễễễễễễễễễễễễễễễễễễễễễễễễễễễễễễ'::sipas.likert;
