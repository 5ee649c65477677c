-- tests/fuzz/seeds.sql - seed values for the fuzzer, made by sipas itself.
-- One line per value: kind <TAB> text form <TAB> binary form (send function, hex).
SELECT setseed(0.25);

CREATE TEMP TABLE seed_likert (s sipas.likert);
-- aggregates: every scale size, unweighted and weighted at many magnitudes
INSERT INTO seed_likert
SELECT CASE WHEN g % 3 = 0 THEN sipas.likert_agg(1 + (i * g) % (2 + g % 9), 1, 2 + g % 9)
            ELSE sipas.likert_agg(1 + (i * g + i / 3) % (2 + g % 9),
                                  (1e-3 + random()) * 10 ^ ((g % 21) - 10), 2 + g % 9) END
FROM generate_series(1, 60) g, generate_series(1, 1 + g % 37) i
GROUP BY g;
-- counts at the edges
INSERT INTO seed_likert
SELECT sipas.likert_from_counts(c) FROM (VALUES
	('{0,0}'::bigint[]), ('{1,0}'), ('{0,0,5,16,10}'), ('{9223372036854775807,0}'),
	('{1,0,0,0,0,0,0,0,0,9223372036854775806}'), ('{4611686018427387904,4611686018427387903}'),
	('{2147483648,4294967296,9007199254740993}')) v(c);
-- weights at the edges of double precision (all valid)
INSERT INTO seed_likert
SELECT sipas.likert_agg(s, w) FROM (VALUES
	(1, 4, 5e-324), (1, 5, 5e-324),
	(2, 4, 1e-160), (2, 5, 1e-160), (2, 1, 1e-160),
	(3, 4, 1e150), (3, 5, 1e-150), (3, 2, 1),
	(4, 4, 9e153), (4, 4, 9e153), (4, 5, 9e153), (4, 5, 9e153),
	(5, 3, 0), (5, 4, 0),
	(6, 5, 1.3e154), (6, 1, 1e-308),
	(7, 1, 0.1), (7, 2, 0.2), (7, 3, 0.3), (7, 4, 0.7), (7, 5, 1e-17)) v(g, s, w)
GROUP BY g;
INSERT INTO seed_likert VALUES
	('{"k":3,"n":[1,1,1],"w":[4.9406564584124654e-324,1e-300,1e150],"w2":[0,0,1e300]}'),
	('{"k":5,"n":[0,0,0,2,2],"w":[0,0,0,1.2e154,1.2e154],"w2":[0,0,0,1e308,1e308]}'),
	('{"k":2,"n":[3,0],"w":[2.5,0],"w2":[2.5,0]}');

CREATE TEMP TABLE seed_survey (s sipas.survey);
INSERT INTO seed_survey
SELECT CASE WHEN g % 2 = 0 THEN sipas.survey_agg(n.code, 1 + (i * g) % 5)
            ELSE sipas.survey_agg(n.code, 1 + (i * g) % 5, (1e-3 + random()) * 10 ^ ((g % 9) - 4)) END
FROM generate_series(1, 16) g, generate_series(1, 2 + g) i, sipas.node n
WHERE n.questionnaire = '2023' AND n.kind = 'item' AND (abs(hashtext(n.code)) + g) % (1 + g % 4) = 0
GROUP BY g;
-- items outside the questionnaire, another scale, weighted extremes
INSERT INTO seed_survey
SELECT sipas.survey_agg('X' || i % 5, 1 + i % 7, 1, 7) FROM generate_series(1, 40) i;
INSERT INTO seed_survey
SELECT sipas.survey_agg(c, s, w) FROM (VALUES
	('I.A.1', 4, 9e153), ('I.A.1', 4, 9e153), ('I.A.1', 5, 9e153), ('I.A.1', 5, 9e153),
	('I.A.2', 1, 5e-324), ('I.A.2', 5, 1)) v(c, s, w);
INSERT INTO seed_survey VALUES ('{}'),
	('{"a":{"k":2,"n":[0,0]},"b.-_Z9":{"k":10,"n":[1,0,0,0,0,0,0,0,0,9223372036854775806]}}');
-- summaries with a forms section (survey_agg over sipas.form): unweighted, weighted at
-- several magnitudes, forms without answers, weights at the edges (issue 15 N1-N3)
CREATE TEMP TABLE seed_fm (g int, f sipas.form);
INSERT INTO seed_fm
SELECT g, sipas.form_agg(n.code, CASE WHEN random() < 0.15 THEN NULL ELSE 1 + (r * g + n.position) % 5 END)
FROM generate_series(1, 8) g, generate_series(1, 2 + g) r, sipas.node n
WHERE n.questionnaire = '2023' AND n.kind = 'item' AND (abs(hashtext(n.code)) + g) % (1 + g % 3) = 0
GROUP BY g, r;
INSERT INTO seed_survey
SELECT CASE WHEN g % 2 = 0 THEN sipas.survey_agg(f)
            ELSE sipas.survey_agg(f, (1e-3 + random()) * 10 ^ ((g % 7) - 3)) END
FROM seed_fm GROUP BY g;
INSERT INTO seed_survey
SELECT sipas.survey_agg(f, w) FROM (VALUES
	(1, '{}'::sipas.form, 2.0::float8), (1, '{"a":4}', 3.0),
	(2, '{"a":4,"b":5}', 1e154), (2, '{"a":2}', 1e150),
	(3, '{"a":4}', 1e-170), (3, '{"a":1}', 1e-170), (3, '{"a":5}', 2e-170),
	(4, '{"a":[2,2],"b":[7,7]}', 0.5), (4, '{"b":[1,7]}', 0)) v(g, f, w)
GROUP BY g;
INSERT INTO seed_survey SELECT sipas.survey_agg(f) FROM (VALUES ('{}'::sipas.form), ('{"a":1,"b":2}'), ('{"a":5}')) v(f);

CREATE TEMP TABLE seed_form (f sipas.form);
-- forms of questionnaire 2023 with blanks, made by form_agg
INSERT INTO seed_form
SELECT sipas.form_agg(n.code, CASE WHEN random() < 0.1 * (g % 4) THEN NULL ELSE 1 + (i * g + n.position) % 5 END)
FROM generate_series(1, 12) g, generate_series(1, 1 + g % 3) i, sipas.node n
WHERE n.questionnaire = '2023' AND n.kind = 'item'
GROUP BY g, i;
-- other scales, long codes, the limits
INSERT INTO seed_form
SELECT sipas.form_agg('X' || i, 1 + i % (2 + i % 9), 2 + i % 9) FROM generate_series(1, 40) i;
INSERT INTO seed_form
SELECT sipas.form_agg(repeat(chr(65 + i % 26), 1 + i % 28) || i, 1 + i % 5) FROM generate_series(1, 1000) i;
INSERT INTO seed_form VALUES ('{}'), ('{"a":1}'), ('{"a":[10,10],"b":[1,2],"c.-_Z9":[2,2]}'),
	('{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa":5}');

\pset tuples_only on
\pset format unaligned
SELECT 'likert' || E'\t' || s::text || E'\t' || sipas_internal.likert_send(s)::text FROM seed_likert WHERE s IS NOT NULL;
SELECT 'survey' || E'\t' || s::text || E'\t' || sipas_internal.survey_send(s)::text FROM seed_survey WHERE s IS NOT NULL;
SELECT 'form' || E'\t' || f::text || E'\t' || sipas_internal.form_send(f)::text FROM seed_form WHERE f IS NOT NULL;
