-- Related indicators (extension/1.0/50_indicators.sql, doc/indicators.md):
-- every function on hand-made cases, the aggregates against plain-SQL
-- formulations on generated data, and every bad input.
SET extra_float_digits = 0;		-- print doubles with 15 digits: stable output
SET datestyle = 'ISO, YMD';

-- ---------------------------------------------------------------------------
-- Labels: volatility, parallel safety, strictness, search_path, comments
-- ---------------------------------------------------------------------------
SELECT p.oid::regprocedure AS function, p.prokind, p.provolatile, p.proparallel, p.proisstrict,
       p.prosecdef, l.lanname, p.proconfig, obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.pronamespace IN ('sipas'::regnamespace, 'sipas_internal'::regnamespace)
  AND p.proname ~ '^(publish|par_points|counts_combine|dossier_|on_time_rate|handling_satisfaction|slovin_|option_|share_between)'
ORDER BY p.proname COLLATE "C", p.oid::regprocedure::text COLLATE "C";
-- the aggregates are parallel (combine function, no serialization needed for array / jsonb states)
SELECT a.aggfnoid::regprocedure AS aggregate, a.aggcombinefn::regproc AS combine, a.agginitval
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
WHERE p.pronamespace IN ('sipas'::regnamespace, 'sipas_internal'::regnamespace)
  AND p.proname IN ('dossier_timeliness', 'on_time_rate', 'handling_satisfaction', 'option_counts', 'option_shares')
ORDER BY 1::text COLLATE "C";
SELECT t.typname, obj_description(t.oid, 'pg_type') IS NOT NULL AS commented
FROM pg_type t WHERE t.typnamespace = 'sipas'::regnamespace AND t.typname IN ('timeliness', 'processing_rate')
ORDER BY 1;

-- ---------------------------------------------------------------------------
-- publish: round(x::numeric, decimals), half away from zero
-- ---------------------------------------------------------------------------
SELECT sipas.publish(83.945) AS p_83_95, sipas.publish(-83.945) AS p_neg_83_95,
       sipas.publish(2.5, 0) AS p_3, sipas.publish(-2.5, 0) AS p_neg_3,
       sipas.publish(26 * 100.0 / 31) AS p_83_87, sipas.publish(1234.5, -1) AS p_1230,
       sipas.publish(NULL) AS p_null, sipas.publish(1, NULL) AS p_null_decimals,
       sipas.publish('NaN') AS p_nan, pg_typeof(sipas.publish(1)) AS type;
-- x is read with 15 significant digits (float8 -> numeric): the double nearest to
-- 1.005 is 1.00499999999999989..., yet it publishes as 1.01, like round(x::numeric, 2)
SELECT (1.005::float8 * 4503599627370496)::bigint / 4503599627370496::numeric < 1.005 AS binary_below_1_005,
       sipas.publish(1.005) AS published_1_01,
       sipas.publish(1.005) = round(1.005::float8::numeric, 2) AS as_round_numeric;
-- a plain SQL function without SET: inlined into the query (no sipas.publish call left)
EXPLAIN (VERBOSE, COSTS OFF) SELECT sipas.publish(x / 7.0) FROM generate_series(1, 3) x;

-- ---------------------------------------------------------------------------
-- par_points = max_points * index / 100
-- ---------------------------------------------------------------------------
SELECT sipas.par_points(91.17, 10) AS full_precision, sipas.publish(sipas.par_points(91.17, 10)) = 9.12 AS hatinh_2021_9_12,
       sipas.par_points(0, 10) AS zero, sipas.par_points(100, 10) AS ten, sipas.par_points(50, 0) AS no_points,
       sipas.par_points(NULL, 10) AS null_index;
SELECT sipas.par_points(100.01, 10);
SELECT sipas.par_points(-0.5, 10);
SELECT sipas.par_points('NaN', 10);
SELECT sipas.par_points(90, -1);
SELECT sipas.par_points(90, 'Infinity');

-- ---------------------------------------------------------------------------
-- dossier_shares(processed, early, on_time, late)
-- ---------------------------------------------------------------------------
SELECT * FROM sipas.dossier_shares(8, 4, 2, 1);		-- 1 dossier in another category
SELECT * FROM sipas.dossier_shares(0, 0, 0, 0);		-- no processed dossier: NULL shares
SELECT * FROM sipas.dossier_shares(10, 5, 5, 1);
SELECT * FROM sipas.dossier_shares(10, -1, 5, 1);
SELECT * FROM sipas.dossier_shares(9223372036854775807, 9223372036854775807, 1, 0);

-- ---------------------------------------------------------------------------
-- dossier_timeliness: early / on time / late by calendar day
-- ---------------------------------------------------------------------------
SELECT (sipas.dossier_timeliness(r, d, f)).*
FROM (VALUES (date '2024-05-02', date '2024-05-10', date '2024-05-09'),	-- early
             ('2024-05-02', '2024-05-10', '2024-05-10'),					-- on time (the due day)
             ('2024-05-02', '2024-05-10', '2024-05-11'),					-- late
             ('2024-05-02', '2024-05-02', '2024-05-02'),					-- same-day procedure, on time
             ('2024-05-02', '2024-05-10', NULL),							-- pending: not processed
             (NULL, NULL, NULL)) v(r, d, f);								-- no dossier (outer join)
-- timestamps: the day counts, not the time.  With time zone: days in Viet Nam (UTC+7):
-- 16:59 UTC on the due day is 23:59 there (on time), 17:30 UTC is 00:30 the next day (late)
SET timezone = 'UTC';
SELECT (sipas.dossier_timeliness(r, d, f)).*
FROM (VALUES (timestamptz '2024-05-02 08:00+07', timestamptz '2024-05-10 17:00+07', timestamptz '2024-05-10 16:59+00'),
             ('2024-05-02 08:00+07', '2024-05-10 17:00+07', '2024-05-10 17:30+00'),
             ('2024-05-02 08:00+07', '2024-05-10 08:00+07', '2024-05-09 23:00+07')) v(r, d, f);
SET timezone = 'Asia/Tokyo';		-- the session's zone does not matter
SELECT (sipas.dossier_timeliness(r, d, f)).on_time, (sipas.dossier_timeliness(r, d, f)).late
FROM (VALUES (timestamptz '2024-05-02 08:00+07', timestamptz '2024-05-10 17:00+07', timestamptz '2024-05-10 16:59+00'),
             ('2024-05-02 08:00+07', '2024-05-10 17:00+07', '2024-05-10 17:30+00')) v(r, d, f);
RESET timezone;
-- without time zone: local Vietnamese times, the date part
SELECT (sipas.dossier_timeliness(r, d, f)).*
FROM (VALUES (timestamp '2024-05-02 08:00', timestamp '2024-05-10 08:00', timestamp '2024-05-10 23:59'),
             ('2024-05-02 08:00', '2024-05-10 17:00', '2024-05-11 00:01')) v(r, d, f);
-- nothing processed: NULL
SELECT sipas.dossier_timeliness(r, d, f) IS NULL AS all_pending_null
FROM (VALUES (date '2024-05-02', date '2024-05-10', NULL::date)) v(r, d, f);
SELECT sipas.dossier_timeliness(r, d, f) IS NULL AS empty_null FROM (SELECT date '2024-01-01' r, date '2024-01-01' d, date '2024-01-01' f WHERE false) v;
-- bad dossiers
SELECT sipas.dossier_timeliness(r, d, f) FROM (VALUES (date '2024-05-02', NULL::date, date '2024-05-03')) v(r, d, f);
SELECT sipas.dossier_timeliness(r, d, f) FROM (VALUES (NULL::date, date '2024-05-02', NULL::date)) v(r, d, f);
SELECT sipas.dossier_timeliness(r, d, f) FROM (VALUES (date '2024-05-02', date '2024-05-01', NULL::date)) v(r, d, f);
SELECT sipas.dossier_timeliness(r, d, f) FROM (VALUES (date '2024-05-02', date '2024-05-09', date '2024-05-01')) v(r, d, f);

-- generated dossiers: the aggregate equals count(*) FILTER over the same rules
SELECT setseed(0.31);
CREATE TEMP TABLE dossiers AS
SELECT g AS id, g % 7 AS unit, r, d,
       CASE WHEN random() < 0.97 THEN r + (random() * 14)::int END AS f
FROM (SELECT g, r, r + 3 + (random() * 10)::int AS d
      FROM (SELECT g, date '2023-11-01' + (random() * 240)::int AS r FROM generate_series(1, 20000) g) x) y;
ALTER TABLE dossiers ADD COLUMN rt timestamptz, ADD COLUMN dt timestamptz, ADD COLUMN ft timestamptz,
                     ADD COLUMN rl timestamp, ADD COLUMN dl timestamp, ADD COLUMN fl timestamp;
-- timestamps at random times of the same Vietnamese day
UPDATE dossiers SET rt = (r + random() * interval '86399 seconds') AT TIME ZONE 'Asia/Ho_Chi_Minh',
                    dt = (d + random() * interval '86399 seconds') AT TIME ZONE 'Asia/Ho_Chi_Minh',
                    ft = (f + random() * interval '86399 seconds') AT TIME ZONE 'Asia/Ho_Chi_Minh';
UPDATE dossiers SET rl = rt AT TIME ZONE 'Asia/Ho_Chi_Minh', dl = dt AT TIME ZONE 'Asia/Ho_Chi_Minh',
                    fl = ft AT TIME ZONE 'Asia/Ho_Chi_Minh';
ANALYZE dossiers;
CREATE TEMP TABLE timeliness_plain AS
SELECT unit, count(f) AS processed, count(*) FILTER (WHERE f < d) AS early,
       count(*) FILTER (WHERE f = d) AS on_time, count(*) FILTER (WHERE f > d) AS late
FROM dossiers GROUP BY unit;
SELECT count(*) AS units, sum(processed) AS processed, sum(early) AS early, sum(on_time) AS on_time, sum(late) AS late
FROM timeliness_plain;
CREATE TEMP TABLE timeliness_agg AS
SELECT unit, sipas.dossier_timeliness(r, d, f) AS t, sipas.dossier_timeliness(rt, dt, ft) AS tz,
       sipas.dossier_timeliness(rl, dl, fl) AS tl
FROM dossiers GROUP BY unit;
-- zero rows: counts equal, percentages = 100 * count / processed, all three overloads agree
SELECT p.unit FROM timeliness_plain p JOIN timeliness_agg a USING (unit)
WHERE ((a.t).processed, (a.t).early, (a.t).on_time, (a.t).late) IS DISTINCT FROM (p.processed, p.early, p.on_time, p.late)
   OR (a.t).early_pct <> 100 * p.early::float8 / p.processed
   OR (a.t).on_time_pct <> 100 * p.on_time::float8 / p.processed
   OR (a.t).late_pct <> 100 * p.late::float8 / p.processed
   OR a.t IS DISTINCT FROM a.tz OR a.t IS DISTINCT FROM a.tl;
SELECT count(*) = 7 AS all_units_compared FROM timeliness_plain p JOIN timeliness_agg a USING (unit);

-- ---------------------------------------------------------------------------
-- on_time_rate over a period: need = received + backlog, late = processed late + pending late
-- ---------------------------------------------------------------------------
-- May 2024, one dossier of each kind
SELECT (sipas.on_time_rate(r, d, f, daterange('2024-05-01', '2024-06-01'))).*
FROM (VALUES (date '2024-05-02', date '2024-05-10', date '2024-05-09'),	-- received, processed early
             ('2024-05-20', '2024-05-28', '2024-05-29'),					-- received, processed late
             ('2024-04-20', '2024-05-03', '2024-05-03'),					-- backlog, processed on time
             ('2024-04-25', '2024-05-15', NULL),							-- backlog, pending, overdue
             ('2024-05-25', '2024-05-31', '2024-06-01'),					-- pending at the end of 31 May, due 31 May: late
             ('2024-05-27', '2024-06-05', NULL),							-- pending, not yet due
             ('2024-04-01', '2024-04-10', '2024-04-30'),					-- finished before May: not in it
             ('2024-06-01', '2024-06-05', '2024-06-02')) v(r, d, f);		-- received after May: not in it
-- nothing to process: NULL
SELECT sipas.on_time_rate(r, d, f, daterange('2024-05-01', '2024-06-01')) IS NULL AS nothing_null
FROM (VALUES (date '2024-06-02', date '2024-06-05', NULL::date)) v(r, d, f);
-- bad periods and dossiers
SELECT sipas.on_time_rate(date '2024-05-02', date '2024-05-03', NULL::date, 'empty'::daterange);
SELECT sipas.on_time_rate(date '2024-05-02', date '2024-05-03', NULL::date, daterange('2024-05-01', NULL));
SELECT sipas.on_time_rate(date '2024-05-02', date '2024-05-03', NULL::date, NULL::daterange);
SELECT sipas.on_time_rate(date '2024-05-02', date '2024-05-03', date '2024-05-01', daterange('2024-05-01', '2024-06-01'));

-- every month of the generated dossiers against a plain-SQL formulation
CREATE TEMP TABLE months AS
SELECT m::date AS month, daterange(m::date, (m + interval '1 month')::date) AS period
FROM generate_series(date '2023-11-01', date '2024-07-01', interval '1 month') m;
CREATE TEMP TABLE rate_plain AS
SELECT m.month,
       count(*) FILTER (WHERE x.r >= lower(m.period)) AS received,
       count(*) FILTER (WHERE x.r < lower(m.period)) AS backlog,
       count(*) FILTER (WHERE x.f < upper(m.period)) AS processed,
       count(*) FILTER (WHERE x.f < upper(m.period) AND x.f > x.d) AS processed_late,
       count(*) FILTER (WHERE x.f IS NULL OR x.f >= upper(m.period)) AS pending,
       count(*) FILTER (WHERE (x.f IS NULL OR x.f >= upper(m.period)) AND x.d < upper(m.period)) AS pending_late
FROM months m JOIN dossiers x ON x.r < upper(m.period) AND (x.f IS NULL OR x.f >= lower(m.period))
GROUP BY m.month;
CREATE TEMP TABLE rate_agg AS
SELECT m.month, sipas.on_time_rate(x.r, x.d, x.f, m.period) AS q, sipas.on_time_rate(x.rt, x.dt, x.ft, m.period) AS qz,
       sipas.on_time_rate(x.rl, x.dl, x.fl, m.period) AS ql
FROM months m CROSS JOIN dossiers x		-- every dossier: those outside the month are left out by the aggregate
GROUP BY m.month;
SELECT month, received, backlog, processed, processed_late, pending, pending_late,
       round(100 - 100.0 * (processed_late + pending_late) / (received + backlog), 4) AS rate
FROM rate_plain ORDER BY month;
-- zero rows
SELECT p.month FROM rate_plain p JOIN rate_agg a USING (month)
WHERE ((a.q).received, (a.q).backlog, (a.q).processed, (a.q).processed_late, (a.q).pending, (a.q).pending_late)
      IS DISTINCT FROM (p.received, p.backlog, p.processed, p.processed_late, p.pending, p.pending_late)
   OR (a.q).need <> p.received + p.backlog OR (a.q).late <> p.processed_late + p.pending_late
   OR abs((a.q).on_time_rate - (100 - 100 * (p.processed_late + p.pending_late)::float8 / (p.received + p.backlog))) > 1e-12
   OR a.q IS DISTINCT FROM a.qz OR a.q IS DISTINCT FROM a.ql;
SELECT count(*) = 9 AS all_months_compared FROM rate_plain p JOIN rate_agg a USING (month);

-- ---------------------------------------------------------------------------
-- Decision 766: (dossiers - not satisfied / overdue / complained) / dossiers * 100
-- ---------------------------------------------------------------------------
SELECT sipas.handling_satisfaction(ns, od, cp) AS pct_60,
       sipas.handling_satisfaction(ns, od, cp) FILTER (WHERE false) AS no_dossiers_null
FROM (VALUES (true, false, false), (true, true, true), (NULL, NULL, NULL), (false, false, false), (NULL, false, NULL)) v(ns, od, cp);
SELECT setseed(0.5);
CREATE TEMP TABLE flags AS
SELECT g % 5 AS unit,
       CASE WHEN random() < 0.1 THEN NULL ELSE random() < 0.05 END AS ns,
       CASE WHEN random() < 0.1 THEN NULL ELSE random() < 0.08 END AS od,
       CASE WHEN random() < 0.1 THEN NULL ELSE random() < 0.02 END AS cp
FROM generate_series(1, 10000) g;
SELECT unit FROM (
  SELECT unit, sipas.handling_satisfaction(ns, od, cp) AS h,
         100 * (count(*) - count(*) FILTER (WHERE coalesce(ns, false) OR coalesce(od, false) OR coalesce(cp, false)))::float8
             / count(*) AS plain
  FROM flags GROUP BY unit) x
WHERE h IS DISTINCT FROM plain;

-- ---------------------------------------------------------------------------
-- Slovin sample size, exact
-- ---------------------------------------------------------------------------
SELECT n, e, sipas.slovin_sample_size(n, e) AS sample, ceil(n / (1 + n * e * e)) AS float_formula
FROM (VALUES (1::bigint, 0.05::float8), (100, 0.05), (400, 0.05), (1000, 0.05), (10000, 0.05), (1000000, 0.05),
             (100, 0.1), (2500, 0.02), (9223372036854775807, 0.05), (9223372036854775807, 1e-9)) v(n, e)
ORDER BY e DESC, n;
SELECT sipas.slovin_sample_size(1000) = sipas.slovin_sample_size(1000, 0.05) AS default_margin_0_05,
       sipas.slovin_sample_size(NULL) IS NULL AS null_population;
-- exact: at e = 0.05, N / (1 + N e^2) = 400 N / (400 + N); ceil with integers for every N up to 5000
SELECT count(*) AS mismatches FROM generate_series(1, 5000) n
WHERE sipas.slovin_sample_size(n) <> (n * 400 + (400 + n) - 1) / (400 + n);
SELECT sipas.slovin_sample_size(0);
SELECT sipas.slovin_sample_size(100, 0);
SELECT sipas.slovin_sample_size(100, 1);
SELECT sipas.slovin_sample_size(100, 'NaN');
SELECT sipas.slovin_sample_size(100, -0.05);

-- ---------------------------------------------------------------------------
-- Multi-select options: shares of respondents (NULL = no answer, {} = answered none)
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE channels (unit int, choices text[]);
INSERT INTO channels VALUES
 (1, '{"Cổng dịch vụ công",Zalo}'), (1, '{Zalo,Zalo}'), (1, '{}'), (1, NULL),
 (1, '{"Báo, đài"}'), (2, NULL);
SELECT unit, sipas.option_counts(choices), sipas.option_shares(choices) FROM channels GROUP BY unit ORDER BY unit;
SELECT o.* FROM (SELECT sipas.option_counts(choices) AS c FROM channels) x, sipas.option_rows(x.c) o;
SELECT sum(share_pct) > 100 AS may_exceed_100
FROM sipas.option_rows('{"respondents": 2, "options": {"a": 2, "b": 1}}');
SELECT sipas.option_shares(c) FROM (VALUES ('{a,NULL}'::text[])) v(c);
SELECT sipas.option_shares(c) FROM (VALUES ('{{a,b},{c,d}}'::text[])) v(c);
-- generated answers against unnest + count(DISTINCT respondent)
SELECT setseed(0.8);
CREATE TEMP TABLE multi AS
SELECT g AS respondent, g % 4 AS unit,
       CASE WHEN random() < 0.05 THEN NULL
            ELSE ARRAY(SELECT o FROM unnest('{a,b,c,d,e,f}'::text[]) o WHERE random() < 0.3 AND g > 0) END AS choices
FROM generate_series(1, 8000) g;
WITH agg AS (SELECT unit, sipas.option_shares(choices) AS s, sipas.option_counts(choices) AS c FROM multi GROUP BY unit),
     plain AS (SELECT m.unit, o.opt, count(DISTINCT m.respondent) AS n,
                      100 * count(DISTINCT m.respondent)::float8
                          / (SELECT count(*) FROM multi m2 WHERE m2.unit = m.unit AND m2.choices IS NOT NULL) AS pct
               FROM multi m, unnest(m.choices) o(opt) GROUP BY m.unit, o.opt)
SELECT p.unit, p.opt FROM plain p FULL JOIN (
    SELECT a.unit, e.key AS opt, e.value::float8 AS pct, (a.c -> 'options' ->> e.key)::bigint AS n
    FROM agg a, jsonb_each_text(a.s) e) q ON q.unit = p.unit AND q.opt = p.opt
WHERE q.pct IS DISTINCT FROM p.pct OR q.n IS DISTINCT FROM p.n;
SELECT unit, (sipas.option_counts(choices) ->> 'respondents')::bigint = count(choices) AS respondents_ok
FROM multi GROUP BY unit ORDER BY unit;
-- parallel workers combine partial states into the same result
CREATE TABLE multi_par AS SELECT * FROM multi, generate_series(1, 5) k;
ANALYZE multi_par;
CREATE TEMP TABLE multi_serial AS
SELECT unit, sipas.option_counts(choices) AS c, sipas.dossier_timeliness(date '2024-01-01', date '2024-01-02', date '2024-01-01' + k) AS t,
       sipas.handling_satisfaction(k = 1, NULL, NULL) AS h
FROM multi_par GROUP BY unit;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT unit, sipas.option_counts(choices) FROM multi_par GROUP BY unit;
CREATE TEMP TABLE multi_parallel AS
SELECT unit, sipas.option_counts(choices) AS c, sipas.dossier_timeliness(date '2024-01-01', date '2024-01-02', date '2024-01-01' + k) AS t,
       sipas.handling_satisfaction(k = 1, NULL, NULL) AS h
FROM multi_par GROUP BY unit;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
SELECT count(*) AS differences FROM multi_serial s FULL JOIN multi_parallel p USING (unit)
WHERE s.c IS DISTINCT FROM p.c OR s.t IS DISTINCT FROM p.t OR s.h IS DISTINCT FROM p.h;
SELECT unit, t FROM multi_serial ORDER BY unit LIMIT 1;
DROP TABLE multi_par;

-- ---------------------------------------------------------------------------
-- share_between: perception questions on 4- and 3-level scales
-- ---------------------------------------------------------------------------
-- 4-level interest question (1 not interested .. 4 very interested): top two = levels 3..4
SELECT sipas.share_between(s, 3, 4) AS top_two_box, sipas.satisfaction_index(s) AS satisfaction_index,
       abs(sipas.share_between(s, 3, 4) - sipas.satisfaction_index(s)) < 1e-12 AS same
FROM (SELECT sipas.likert_from_counts('{7,13,45,35}') AS s) x;
-- 3-level harassment question (1 none, 2 some, 3 many): "none" is the good answer;
-- satisfaction_index would give the top two levels = "some or many"
SELECT sipas.share_between(s, 1, 1) AS none_91, sipas.share_between(s, 2, 3) AS some_or_many_9,
       sipas.satisfaction_index(s) AS top_two_is_the_bad_share
FROM (SELECT sipas.likert_from_counts('{182,15,3}') AS s) x;
-- weighted: level shares of distribution(s)
SELECT sipas.share_between(s, 1, 2) AS w_lo, sipas.distribution(s) AS dist
FROM (SELECT sipas.likert_agg(score, weight, 3) AS s
      FROM (VALUES (1, 2.0), (2, 1.0), (3, 1.0), (NULL, 1.0)) v(score, weight)) x;
SELECT sipas.share_between(sipas.likert_from_counts('{0,0,0}'), 1, 3) IS NULL AS no_answers_null,
       sipas.share_between(sipas.likert_from_counts('{1,2,3}'), 1, 3) AS all_levels_100;
SELECT sipas.share_between(sipas.likert_from_counts('{1,2,3}'), 0, 1);
SELECT sipas.share_between(sipas.likert_from_counts('{1,2,3}'), 2, 4);
SELECT sipas.share_between(sipas.likert_from_counts('{1,2,3}'), 3, 2);
