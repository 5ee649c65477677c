-- Issue 15 findings on the SQL side of the indicators: F6 (multi-select arrays not
-- starting at 1) and F3 (operator capture through the search_path the docs used to
-- recommend).

SET datestyle = ISO;
\set SHOW_CONTEXT never
-- F6: option_counts / option_shares read every element whatever the subscripts
SELECT sipas.option_counts(c) FROM (VALUES ('[0:1]={a,b}'::text[])) v(c);
SELECT sipas.option_shares(c) FROM (VALUES ('[0:1]={a,b}'::text[]), ('{b}'::text[])) v(c);
-- variants: subscripts far from 1, negative ones, a repeated option counted once,
-- an empty array (a respondent who chose none), and the same answers from 1
SELECT sipas.option_counts(c) FROM (VALUES ('[5:7]={x,y,x}'::text[]), ('[-2:-1]={y,y}'::text[]),
                                           ('{}'::text[])) v(c);
SELECT sipas.option_counts(c) = sipas.option_counts(c2) AS same_as_from_1
FROM (SELECT c, (SELECT array_agg(e ORDER BY o) FROM unnest(c) WITH ORDINALITY u(e, o)) AS c2
      FROM (VALUES ('[3:6]={p,q,p,r}'::text[])) v(c)) x;
SELECT o.* FROM sipas.option_rows((SELECT sipas.option_counts(c)
  FROM (VALUES ('[0:2]={a,b,c}'::text[]), ('[10:10]={c}'::text[])) v(c))) o;
-- a NULL element is still refused wherever it is
SELECT sipas.option_counts(c) FROM (VALUES ('[0:1]={a,NULL}'::text[])) v(c);

-- F3: the operators on sipas.likert through the search_path.  A role that may
-- create objects in a schema on the analyst's path ahead of sipas (public in a
-- database where PUBLIC still has CREATE on it) defines its own =.
CREATE ROLE regress_sipas_mallory;
CREATE ROLE regress_sipas_analyst;
CREATE SCHEMA shared_pub;		-- plays the part of a public schema everyone may write to
GRANT USAGE, CREATE ON SCHEMA shared_pub TO PUBLIC;
GRANT USAGE ON SCHEMA sipas TO regress_sipas_mallory, regress_sipas_analyst;
SET ROLE regress_sipas_mallory;
CREATE FUNCTION shared_pub.always_equal(sipas.likert, sipas.likert) RETURNS boolean
  LANGUAGE sql IMMUTABLE RETURN true;
CREATE OPERATOR shared_pub.= (LEFTARG = sipas.likert, RIGHTARG = sipas.likert,
                              FUNCTION = shared_pub.always_equal);
RESET ROLE;
SET ROLE regress_sipas_analyst;
CREATE TEMP TABLE two AS
SELECT sipas.likert_from_counts('{1,2,3,4,5}') AS a, sipas.likert_from_counts('{5,4,3,2,1}') AS b;
-- the path 1.1's docs recommended: mallory's = answers
SET search_path = "$user", shared_pub, sipas;
SELECT a = b AS captured, (SELECT o.oprnamespace::regnamespace FROM pg_operator o
                           WHERE o.oid = 'shared_pub.=(sipas.likert, sipas.likert)'::regoperator) AS by_schema
FROM two;
-- safe 1: no path at all, the operator named
RESET search_path;
SELECT a OPERATOR(sipas.=) b AS equal, a OPERATOR(sipas.<>) b AS different FROM two;
-- safe 2: the named operator holds even with the writable schema first
SET search_path = shared_pub, sipas;
SELECT a OPERATOR(sipas.=) b AS equal FROM two;
-- safe 3: sipas ahead of every schema others can write to
SET search_path = sipas, "$user", shared_pub;
SELECT a = b AS equal, a = a AS self_equal FROM two;
-- GROUP BY / DISTINCT use the operator class, never the path
SET search_path = "$user", shared_pub, sipas;
SELECT count(DISTINCT a) AS two_distinct FROM (SELECT a FROM two UNION ALL SELECT b FROM two) x;
RESET search_path;
RESET ROLE;
DROP TABLE pg_temp.two;
DROP SCHEMA shared_pub CASCADE;
REVOKE USAGE ON SCHEMA sipas FROM regress_sipas_mallory, regress_sipas_analyst;
DROP ROLE regress_sipas_mallory;
DROP ROLE regress_sipas_analyst;

-- issue 10: one dossier date rule for both aggregates (same errors from each)
SELECT sipas.dossier_timeliness(r, d, f) FROM (VALUES (date '2024-05-02', date '2024-05-01', NULL::date)) v(r, d, f);
SELECT sipas.on_time_rate(date '2024-05-02', date '2024-05-01', NULL::date, daterange('2024-05-01', '2024-06-01'));
SELECT sipas.on_time_rate(NULL::date, date '2024-05-01', NULL::date, daterange('2024-05-01', '2024-06-01'));
-- a pending dossier finished "before it was received" cannot exist: pending is fine
SELECT (sipas.dossier_timeliness(r, d, f)).processed IS NULL AS none_processed
FROM (VALUES (date '2024-05-02', date '2024-05-09', NULL::date)) v(r, d, f);
