
-- ---------------------------------------------------------------------------
-- Rollups: per-key survey summaries of a user's answers or forms table, kept
-- exact by deltas (doc/rollups.md).
--
--   SELECT sipas.rollup_create('unit_month', 'answers', ARRAY['unit'],
--                              bucket_column => 'answered_on', bucket => 'month');
--   SELECT * FROM unit_month;                 -- exact at any moment
--   CALL sipas.rollup_refresh('unit_month');  -- folds the deltas (any scheduler)
--
-- For rollup <s>.<name> over table T keyed by K, sipas creates, owned by the
-- caller, in schema <s> (T's schema unless the name is qualified):
--   <name>_base    one row per key: rows (source rows) and summary, as of the last refresh
--   <name>_delta   append-only: one row per key and statement that changed T
--                  (rows +new -old, plus = summary of the new rows, minus = of the
--                  old rows), or a reset marker (TRUNCATE)
--   <name>_ins / _upd / _del / _trunc   statement-level AFTER triggers with
--                  transition tables on T: INSERT and DELETE call the C function
--                  sipas_internal.rollup_trigger (src/pg/rollup_trigger.c) with the
--                  rollup's definition as arguments; UPDATE and TRUNCATE call the
--                  PL/pgSQL functions <name>_upd and <name>_trunc
--   <name>         the exact view: base + deltas, recomputing from T only the keys
--                  whose subtraction cannot be exact (weighted corrections)
--   <name>_refreshed  the base alone: figures as of the last refresh (cheaper)
-- and one row in sipas_internal.rollup (read through sipas.rollup_status).
--
-- Every name given by the caller is validated against the catalogue and
-- quoted with format(%I); nothing runs with other rights than the caller's.
-- ---------------------------------------------------------------------------

CREATE TABLE sipas_internal.rollup (
	rollup			pg_catalog.regclass PRIMARY KEY,	-- the exact view
	source			pg_catalog.regclass NOT NULL,
	kind			pg_catalog.text NOT NULL CHECK (kind OPERATOR(pg_catalog.=) ANY (ARRAY['answers', 'forms'])),
	keys			pg_catalog.text[] NOT NULL,			-- key columns of the source, in order
	bucket_column	pg_catalog.text,					-- NULL: no time bucket
	bucket			pg_catalog.text,					-- day, week, month, quarter, year
	bucket_zone		pg_catalog.text,					-- time zone of a timestamptz bucket column
	item			pg_catalog.text,					-- answers: item and score columns
	score			pg_catalog.text,
	form			pg_catalog.text,					-- forms: the sipas.form column
	weight			pg_catalog.text,					-- NULL: unweighted
	k				pg_catalog.int4,					-- answers: scale size (NULL: 1..5)
	base			pg_catalog.regclass NOT NULL,
	delta			pg_catalog.regclass NOT NULL,
	owner			pg_catalog.name NOT NULL DEFAULT CURRENT_USER,
	created			pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now(),
	data_as_of		pg_catalog.timestamptz,				-- snapshot time of the last fold (or of the build)
	last_refresh	pg_catalog.timestamptz,				-- end of the last successful refresh
	last_folded		pg_catalog.int8,					-- deltas folded by it
	last_recomputed	pg_catalog.int8,					-- keys it recomputed from the source
	refreshes		pg_catalog.int8 NOT NULL DEFAULT 0,
	last_error		pg_catalog.text,
	last_error_at	pg_catalog.timestamptz
);
COMMENT ON TABLE sipas_internal.rollup IS
	'support: one row per rollup (sipas.rollup_create); read it through sipas.rollup_status; each role sees and changes only the rollups of roles it belongs to';
-- The registry is shared; row-level security keeps each role to its own rows.  Every
-- action on a rollup runs with the caller's rights on the rollup's own tables, so a
-- forged row grants nothing.
ALTER TABLE sipas_internal.rollup ENABLE ROW LEVEL SECURITY;
CREATE POLICY rollup_owner ON sipas_internal.rollup
	USING (pg_catalog.pg_has_role(owner, 'MEMBER'))
	WITH CHECK (pg_catalog.pg_has_role(owner, 'MEMBER'));
GRANT SELECT, INSERT, UPDATE, DELETE ON sipas_internal.rollup TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('sipas_internal.rollup', '');

-- ---- support: the registry row of a rollup, with a clear error ----
CREATE FUNCTION sipas_internal.rollup_get(r pg_catalog.regclass) RETURNS sipas_internal.rollup
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	g sipas_internal.rollup;
BEGIN
	IF r IS NULL THEN
		RAISE EXCEPTION 'the rollup must not be NULL' USING ERRCODE = '22004';
	END IF;
	SELECT * INTO g FROM sipas_internal.rollup x WHERE x.rollup = r;
	IF NOT FOUND THEN
		RAISE EXCEPTION '"%" is not a sipas rollup', r
			USING ERRCODE = '42704',
				  DETAIL = 'sipas.rollup_status lists the rollups of your roles.',
				  HINT = 'Create one with sipas.rollup_create(name, source, keys).';
	END IF;
	RETURN g;
END
$$;
COMMENT ON FUNCTION sipas_internal.rollup_get(pg_catalog.regclass) IS
	'support: the registry row of a rollup (its exact view), or 42704';

-- ---- support: SQL fragments of a rollup (every identifier through %I) ----
-- what: 'names'   the key columns of base/delta/view, quoted, comma separated
--       'exprs'   the key expressions over source rows aliased t, in the same order
--       'agg'     the summary of source rows aliased t
--       'vals'    the value columns over t that the summary reads (for EXCEPT ALL)
--       'vagg'    the summary over those value columns aliased v (v1, v2[, v3])
--       'match:X:Y'  X.key = Y.key AND ... over the key names
CREATE FUNCTION sipas_internal.rollup_sql(g sipas_internal.rollup, what pg_catalog.text) RETURNS pg_catalog.text
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	names text[] := g.keys;
	exprs text[];
	c text;
	w text;
	x text;
	y text;
BEGIN
	SELECT array_agg(format('t.%I', u.c) ORDER BY u.o) INTO exprs FROM unnest(g.keys) WITH ORDINALITY u(c, o);
	IF g.bucket_column IS NOT NULL THEN
		names := names || g.bucket;
		IF g.bucket_zone IS NOT NULL THEN
			exprs := exprs || format('(pg_catalog.date_trunc(%L, pg_catalog.timezone(%L, t.%I)))::pg_catalog.date',
									 g.bucket, g.bucket_zone, g.bucket_column);
		ELSE
			exprs := exprs || format('(pg_catalog.date_trunc(%L, (t.%I)::pg_catalog.timestamp))::pg_catalog.date',
									 g.bucket, g.bucket_column);
		END IF;
	END IF;
	IF what = 'names' THEN
		RETURN (SELECT string_agg(format('%I', u.c), ', ' ORDER BY u.o) FROM unnest(names) WITH ORDINALITY u(c, o));
	ELSIF what LIKE 'names:%' THEN
		x := split_part(what, ':', 2);
		RETURN (SELECT string_agg(format('%I.%I', x, u.c), ', ' ORDER BY u.o) FROM unnest(names) WITH ORDINALITY u(c, o));
	ELSIF what = 'exprs_as' THEN
		RETURN (SELECT string_agg(format('%s AS k%s', e.e, e.o), ', ' ORDER BY e.o) FROM unnest(exprs) WITH ORDINALITY e(e, o));
	ELSIF what = 'knames' THEN
		RETURN (SELECT string_agg(format('v.k%s', e.o), ', ' ORDER BY e.o) FROM unnest(exprs) WITH ORDINALITY e(e, o));
	ELSIF what = 'positions' THEN
		RETURN (SELECT string_agg(o::text, ', ') FROM generate_series(1, cardinality(exprs)) o);
	ELSIF what = 'exprs' THEN
		RETURN array_to_string(exprs, ', ');
	ELSIF what LIKE 'match:%' THEN
		x := split_part(what, ':', 2);
		y := split_part(what, ':', 3);
		RETURN (SELECT string_agg(format('%I.%I OPERATOR(pg_catalog.=) %I.%I', x, u.c, y, u.c), ' AND ' ORDER BY u.o)
				FROM unnest(names) WITH ORDINALITY u(c, o));
	ELSIF what = 'srcmatch' THEN
		-- source rows (t) of the key of row a
		RETURN (SELECT string_agg(format('%s OPERATOR(pg_catalog.=) a.%I', e.e, n.c), ' AND ' ORDER BY n.o)
				FROM unnest(names) WITH ORDINALITY n(c, o) JOIN unnest(exprs) WITH ORDINALITY e(e, o) USING (o));
	END IF;
	w := CASE WHEN g.weight IS NULL THEN NULL ELSE format('(t.%I)::pg_catalog.float8', g.weight) END;
	IF g.kind = 'answers' THEN
		IF what = 'vals' THEN
			RETURN format('(t.%I)::pg_catalog.text AS v1, t.%I AS v2', g.item, g.score)
				|| CASE WHEN w IS NULL THEN '' ELSE ', ' || w || ' AS v3' END;
		END IF;
		c := CASE WHEN what = 'vagg' THEN 'v.v1, v.v2' ELSE format('(t.%I)::pg_catalog.text, t.%I', g.item, g.score) END;
		IF what = 'vagg' AND w IS NOT NULL THEN
			w := 'v.v3';
		END IF;
		IF g.k IS NOT NULL THEN
			RETURN format('sipas.survey_agg(%s, %s, %s)', c, coalesce(w, '1.0::pg_catalog.float8'), g.k);
		ELSIF w IS NOT NULL THEN
			RETURN format('sipas.survey_agg(%s, %s)', c, w);
		END IF;
		RETURN format('sipas.survey_agg(%s)', c);
	END IF;
	IF what = 'vals' THEN
		RETURN format('t.%I AS v1', g.form) || CASE WHEN w IS NULL THEN '' ELSE ', ' || w || ' AS v3' END;
	END IF;
	c := CASE WHEN what = 'vagg' THEN 'v.v1' ELSE format('t.%I', g.form) END;
	IF w IS NOT NULL THEN
		RETURN format('sipas.survey_agg(%s, %s)', c, CASE WHEN what = 'vagg' THEN 'v.v3' ELSE w END);
	END IF;
	RETURN format('sipas.survey_agg(%s)', c);
END
$$;
COMMENT ON FUNCTION sipas_internal.rollup_sql(sipas_internal.rollup, pg_catalog.text) IS
	'support: SQL fragments of a rollup (key names and expressions, the summary of source rows), identifiers quoted';

-- ---- support: exact subtraction of survey summaries (src/core/summary_delta.c) ----
CREATE FUNCTION sipas_internal.survey_subtract(a sipas.survey, b sipas.survey,
		OUT exact pg_catalog.bool, OUT result sipas.survey)
	AS 'MODULE_PATHNAME', 'survey_subtract' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sipas_internal.survey_subtract(sipas.survey, sipas.survey) IS
	'support: a minus b, the summary of the answers (forms) of a that are not in b; exact = false when that cannot be known exactly from the summaries (weighted sums): recompute from the rows';

-- ---- support: the statements of the exact view ----
CREATE FUNCTION sipas_internal.rollup_view_sql(g sipas_internal.rollup) RETURNS pg_catalog.text
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	names text := sipas_internal.rollup_sql(g, 'names');
BEGIN
	RETURN format($v$
SELECT %2$s, a.rows,
       CASE WHEN s.exact THEN s.result
            ELSE (SELECT %6$s FROM %5$s t WHERE %7$s) END AS summary
FROM (SELECT %1$s, (pg_catalog.sum(u.rows))::pg_catalog.int8 AS rows,
             sipas.rollup(u.plus) AS plus, sipas.rollup(u.minus) AS minus
      FROM (SELECT %1$s, b.rows, b.summary AS plus, NULL::sipas.survey AS minus
            FROM %3$s b
            WHERE NOT EXISTS (SELECT FROM %4$s r WHERE r.reset)
            UNION ALL
            SELECT %1$s, d.rows, d.plus, d.minus
            FROM %4$s d
            WHERE NOT d.reset
              AND d.id OPERATOR(pg_catalog.>) COALESCE((SELECT pg_catalog.max(r.id) FROM %4$s r WHERE r.reset), 0)) u
      GROUP BY %1$s) a
CROSS JOIN LATERAL sipas_internal.survey_subtract(a.plus, a.minus) s
WHERE a.rows OPERATOR(pg_catalog.>) 0$v$,
		names, sipas_internal.rollup_sql(g, 'names:a'),
		g.base, g.delta, g.source,
		sipas_internal.rollup_sql(g, 'agg'), sipas_internal.rollup_sql(g, 'srcmatch'));
END
$$;
COMMENT ON FUNCTION sipas_internal.rollup_view_sql(sipas_internal.rollup) IS
	'support: the query of a rollup''s exact view (base + deltas since the last reset, recomputing the keys whose subtraction is not exact)';

-- ---- support: the trigger of INSERT (and COPY) and DELETE, in C ----
-- For each statement it groups the transition table's rows by the rollup's key and writes
-- one delta row per key: the rows and bytes of
--   INSERT INTO <delta> (keys, rows, plus) SELECT <exprs>, count(*), <agg> FROM new_rows t GROUP BY <exprs>
-- (DELETE: rows negative, column minus, from old_rows), without PL/pgSQL and a plan per
-- statement.  Its arguments: sipas_internal.rollup_trigger_args.
CREATE FUNCTION sipas_internal.rollup_trigger() RETURNS trigger
	AS 'MODULE_PATHNAME', 'rollup_trigger' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION sipas_internal.rollup_trigger() IS
	'support: the AFTER INSERT and AFTER DELETE statement trigger of a rollup (one delta row per key of the statement''s rows); its arguments are the rollup''s definition';

-- The rollup's definition as trigger arguments (names, not oids: a dump restores them; the
-- registry row is not visible to writers who do not own the rollup): delta table, kind,
-- item (or form), score, weight, k, bucket column, bucket, bucket zone ('' = none), keys.
CREATE FUNCTION sipas_internal.rollup_trigger_args(g sipas_internal.rollup) RETURNS pg_catalog.text
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
RETURN (SELECT pg_catalog.format('%L, %L, %L, %L, %L, %L, %L, %L, %L',
		(SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) FROM pg_catalog.pg_class c
		 JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
		 WHERE c.oid OPERATOR(pg_catalog.=) g.delta),
		g.kind, COALESCE(g.item, g.form), COALESCE(g.score, ''), COALESCE(g.weight, ''),
		COALESCE((g.k)::pg_catalog.text, ''), COALESCE(g.bucket_column, ''), COALESCE(g.bucket, ''),
		COALESCE(g.bucket_zone, ''))
	OPERATOR(pg_catalog.||) COALESCE((SELECT pg_catalog.string_agg(pg_catalog.format(', %L', u.c), '' ORDER BY u.o)
		FROM pg_catalog.unnest(g.keys) WITH ORDINALITY u(c, o)), ''));
COMMENT ON FUNCTION sipas_internal.rollup_trigger_args(sipas_internal.rollup) IS
	'support: the arguments of a rollup''s C trigger (sipas_internal.rollup_trigger): its delta table, kind, columns, bucket and keys';

-- ---- support: the statements of the PL/pgSQL trigger functions ----
-- op: upd, trunc.  One delta row per key and statement; an UPDATE that leaves a row's
-- key and summarised values unchanged (EXCEPT ALL) adds nothing.  UPDATE stays in
-- PL/pgSQL: its EXCEPT ALL of old against new rows is a multiset difference the executor
-- does well, and corrections are rare next to new answers.
CREATE FUNCTION sipas_internal.rollup_trigger_sql(g sipas_internal.rollup, op pg_catalog.text) RETURNS pg_catalog.text
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	names text := sipas_internal.rollup_sql(g, 'names');
	body text;
BEGIN
	IF op = 'upd' THEN
		body := format($u$INSERT INTO %1$s (%2$s, rows, plus, minus)
	SELECT %3$s, (pg_catalog.sum(v.c))::pg_catalog.int8,
	       %4$s FILTER (WHERE v.c OPERATOR(pg_catalog.>) 0), %4$s FILTER (WHERE v.c OPERATOR(pg_catalog.<) 0)
	FROM ((SELECT %5$s, %6$s, 1 AS c FROM new_rows t EXCEPT ALL SELECT %5$s, %6$s, 1 FROM old_rows t)
	      UNION ALL
	      (SELECT %5$s, %6$s, -1 AS c FROM old_rows t EXCEPT ALL SELECT %5$s, %6$s, -1 FROM new_rows t)) v
	GROUP BY %3$s$u$,
					   g.delta, names, sipas_internal.rollup_sql(g, 'knames'), sipas_internal.rollup_sql(g, 'vagg'),
					   sipas_internal.rollup_sql(g, 'exprs_as'), sipas_internal.rollup_sql(g, 'vals'));
	ELSIF op = 'trunc' THEN
		body := format('INSERT INTO %s (reset) VALUES (true)', g.delta);
	ELSE
		RAISE EXCEPTION 'unknown trigger operation "%"', op USING ERRCODE = '22023';
	END IF;
	RETURN format(E'BEGIN\n\t%s;\n\tRETURN NULL;\nEND', body);
END
$$;
COMMENT ON FUNCTION sipas_internal.rollup_trigger_sql(sipas_internal.rollup, pg_catalog.text) IS
	'support: the body of a rollup''s trigger function for UPDATE (upd) or TRUNCATE (trunc)';

-- ---- support: checks of rollup_create's arguments ----
CREATE FUNCTION sipas_internal.rollup_column(source pg_catalog.regclass, col pg_catalog.text, what pg_catalog.text,
		OUT typ pg_catalog.regtype, OUT typmod pg_catalog.int4, OUT notnull pg_catalog.bool, OUT collation pg_catalog.oid)
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF col IS NULL THEN
		RAISE EXCEPTION '% must not be NULL', what USING ERRCODE = '22004';
	END IF;
	SELECT a.atttypid, a.atttypmod, a.attnotnull, a.attcollation INTO typ, typmod, notnull, collation
	FROM pg_attribute a
	WHERE a.attrelid = source AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'column "%" of % does not exist', col, source
			USING ERRCODE = '42703', DETAIL = format('%s names a column of the source table (case-sensitive, unquoted).', what);
	END IF;
END
$$;
COMMENT ON FUNCTION sipas_internal.rollup_column(pg_catalog.regclass, pg_catalog.text, pg_catalog.text) IS
	'support: type, typmod, NOT NULL and collation of a source column named by a rollup argument, or 42703';

-- ---- sipas.rollup_create ----
CREATE FUNCTION sipas.rollup_create(name pg_catalog.text, source pg_catalog.regclass, keys pg_catalog.text[],
		kind pg_catalog.text DEFAULT 'answers',
		bucket_column pg_catalog.text DEFAULT NULL, bucket pg_catalog.text DEFAULT 'month',
		item pg_catalog.text DEFAULT 'item', score pg_catalog.text DEFAULT 'score',
		form pg_catalog.text DEFAULT 'form', weight pg_catalog.text DEFAULT NULL,
		k pg_catalog.int4 DEFAULT NULL, bucket_zone pg_catalog.text DEFAULT 'UTC')
	RETURNS pg_catalog.regclass
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v_name text := name;
	v_source regclass := source;
	v_keys text[] := keys;
	v_kind text := lower(kind);
	g sipas_internal.rollup;
	parts text[];
	sch text;
	nm text;
	relkind "char";
	c record;
	col text;
	coldefs text[] := '{}';
	typ regtype;
	btyp regtype;
	reserved constant text[] := ARRAY['rows', 'summary', 'id', 'reset', 'plus', 'minus'];
	all_names text[];
	view regclass;
	r record;
BEGIN
	IF v_name IS NULL OR v_source IS NULL OR v_keys IS NULL THEN
		RAISE EXCEPTION 'rollup_create: name, source and keys must not be NULL'
			USING ERRCODE = '22004', DETAIL = 'keys may be an empty array when bucket_column is given.';
	END IF;
	IF v_kind IS NULL OR v_kind NOT IN ('answers', 'forms') THEN
		RAISE EXCEPTION 'unknown rollup kind "%"', kind
			USING ERRCODE = '22023', DETAIL = 'Known kinds: answers (default: item and score columns), forms (a sipas.form column).';
	END IF;
	SELECT cl.relkind, ns.nspname INTO relkind, sch
	FROM pg_class cl JOIN pg_namespace ns ON ns.oid = cl.relnamespace WHERE cl.oid = v_source;
	IF relkind = 'p' OR EXISTS (SELECT FROM pg_inherits i WHERE i.inhrelid = v_source OR i.inhparent = v_source) THEN
		RAISE EXCEPTION 'a rollup over % is not supported: it is partitioned, a partition, or in an inheritance tree', v_source
			USING ERRCODE = '0A000',
				  DETAIL = 'The rollup''s statement triggers see only statements that name the table itself: rows written through a parent or directly into a partition, or attached with ATTACH PARTITION, would bypass it.',
				  HINT = 'Roll up a plain table.';
	END IF;
	IF relkind <> 'r' THEN
		RAISE EXCEPTION '% is not a table', v_source
			USING ERRCODE = '22023', DETAIL = 'A rollup follows a plain table through triggers.';
	END IF;
	parts := parse_ident(v_name);
	IF cardinality(parts) = 2 THEN
		sch := parts[1];
		nm := parts[2];
	ELSIF cardinality(parts) = 1 THEN
		nm := parts[1];
	ELSE
		RAISE EXCEPTION 'invalid rollup name "%"', v_name
			USING ERRCODE = '22023', DETAIL = 'A rollup name is name or schema.name.';
	END IF;
	IF octet_length(nm) > 50 THEN
		RAISE EXCEPTION 'rollup name "%" is too long', nm
			USING ERRCODE = '22023', DETAIL = 'At most 50 bytes: the rollup''s tables and functions add suffixes up to 10 bytes to it.';
	END IF;
	IF cardinality(v_keys) > 8 THEN
		RAISE EXCEPTION 'a rollup has at most 8 key columns, % given', cardinality(v_keys) USING ERRCODE = '22023';
	END IF;
	IF cardinality(v_keys) = 0 AND bucket_column IS NULL THEN
		RAISE EXCEPTION 'a rollup needs at least one key'
			USING ERRCODE = '22023', DETAIL = 'Give key columns (keys) or a time bucket (bucket_column), or both.';
	END IF;

	-- keys: existing NOT NULL columns, distinct, not a name the rollup uses itself
	FOREACH col IN ARRAY v_keys LOOP
		c := sipas_internal.rollup_column(v_source, col, 'keys');
		IF NOT c.notnull THEN
			RAISE EXCEPTION 'key column "%" of % may be NULL', col, v_source
				USING ERRCODE = '22023', DETAIL = 'Every row of a rollup belongs to one key; a NULL unit or period has none.',
					  HINT = format('ALTER TABLE %s ALTER COLUMN %I SET NOT NULL', v_source, col);
		END IF;
		coldefs := coldefs || (format('%I %s', col, format_type(c.typ, c.typmod))
			|| CASE WHEN c.collation <> 0 AND c.collation IS DISTINCT FROM (SELECT t.typcollation FROM pg_type t WHERE t.oid = c.typ)
					THEN (SELECT format(' COLLATE %I.%I', n.nspname, co.collname) FROM pg_collation co
						  JOIN pg_namespace n ON n.oid = co.collnamespace WHERE co.oid = c.collation)
					ELSE '' END);
	END LOOP;
	all_names := v_keys;
	g.bucket_column := bucket_column;
	IF bucket_column IS NOT NULL THEN
		g.bucket := lower(bucket);
		IF g.bucket IS NULL OR g.bucket NOT IN ('day', 'week', 'month', 'quarter', 'year') THEN
			RAISE EXCEPTION 'unknown bucket "%"', bucket
				USING ERRCODE = '22023', DETAIL = 'Known buckets: day, week (starting Monday), month (default), quarter, year.';
		END IF;
		c := sipas_internal.rollup_column(v_source, bucket_column, 'bucket_column');
		btyp := c.typ;
		IF btyp NOT IN ('date'::regtype, 'timestamp'::regtype, 'timestamptz'::regtype) THEN
			RAISE EXCEPTION 'bucket column "%" of % is of type %', bucket_column, v_source, btyp
				USING ERRCODE = '22023', DETAIL = 'A bucket column is a date, timestamp or timestamptz.';
		END IF;
		IF NOT c.notnull THEN
			RAISE EXCEPTION 'bucket column "%" of % may be NULL', bucket_column, v_source
				USING ERRCODE = '22023', DETAIL = 'Every row of a rollup belongs to one bucket.',
					  HINT = format('ALTER TABLE %s ALTER COLUMN %I SET NOT NULL', v_source, bucket_column);
		END IF;
		IF btyp = 'timestamptz'::regtype THEN
			IF bucket_zone IS NULL THEN
				RAISE EXCEPTION 'bucket_zone must not be NULL for a timestamptz bucket column' USING ERRCODE = '22004';
			END IF;
			PERFORM timezone(bucket_zone, now());	-- raises on an unknown zone
			g.bucket_zone := bucket_zone;
		END IF;
		coldefs := coldefs || format('%I pg_catalog.date', g.bucket);
		all_names := all_names || g.bucket;
	END IF;
	IF (SELECT count(DISTINCT x) FROM unnest(all_names) x) <> cardinality(all_names) THEN
		RAISE EXCEPTION 'rollup keys % name a column twice', all_names USING ERRCODE = '22023';
	END IF;
	IF all_names && reserved THEN
		RAISE EXCEPTION 'rollup keys % use a name of the rollup''s own columns', all_names
			USING ERRCODE = '22023', DETAIL = format('Reserved: %s.', array_to_string(reserved, ', ')),
				  HINT = 'Rename the column of the source table.';
	END IF;

	-- summarised columns
	IF v_kind = 'answers' THEN
		typ := (sipas_internal.rollup_column(v_source, item, 'item')).typ;
		IF typ NOT IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype, 'name'::regtype) THEN
			RAISE EXCEPTION 'item column "%" of % is of type %', item, v_source, typ
				USING ERRCODE = '22023', DETAIL = 'Item codes are text.';
		END IF;
		typ := (sipas_internal.rollup_column(v_source, score, 'score')).typ;
		IF typ NOT IN ('int2'::regtype, 'int4'::regtype) THEN
			RAISE EXCEPTION 'score column "%" of % is of type %', score, v_source, typ
				USING ERRCODE = '22023', DETAIL = 'Scores are smallint or integer.';
		END IF;
		IF k IS NOT NULL AND (k < 2 OR k > 10) THEN
			RAISE EXCEPTION 'scale size % is not 2..10', k USING ERRCODE = '22023', DETAIL = 'k is the number of levels of the answers'' scale.';
		END IF;
		g.item := item;
		g.score := score;
		g.k := k;
	ELSE
		typ := (sipas_internal.rollup_column(v_source, form, 'form')).typ;
		IF typ <> 'sipas.form'::regtype THEN
			RAISE EXCEPTION 'form column "%" of % is of type %', form, v_source, typ
				USING ERRCODE = '22023', DETAIL = 'A forms rollup reads a sipas.form column (sipas.form_agg builds them).';
		END IF;
		IF k IS NOT NULL THEN
			RAISE EXCEPTION 'k is for answers rollups' USING ERRCODE = '22023', DETAIL = 'A sipas.form carries its scale.';
		END IF;
		g.form := form;
	END IF;
	IF weight IS NOT NULL THEN
		typ := (sipas_internal.rollup_column(v_source, weight, 'weight')).typ;
		IF typ NOT IN ('float8'::regtype, 'float4'::regtype, 'numeric'::regtype, 'int2'::regtype, 'int4'::regtype, 'int8'::regtype) THEN
			RAISE EXCEPTION 'weight column "%" of % is of type %', weight, v_source, typ
				USING ERRCODE = '22023', DETAIL = 'Weights are numbers.';
		END IF;
		g.weight := weight;
	END IF;
	g.source := v_source;
	g.kind := v_kind;
	g.keys := v_keys;

	-- no writer between the first summary and the triggers
	EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', v_source);
	EXECUTE format('CREATE TABLE %I.%I (%s, rows pg_catalog.int8 NOT NULL, summary sipas.survey, PRIMARY KEY (%s))',
				   sch, nm || '_base', array_to_string(coldefs, ', '), sipas_internal.rollup_sql(g, 'names'));
	-- base columns are NOT NULL through the primary key; delta key columns are NULL on reset rows
	EXECUTE format('CREATE TABLE %I.%I (id pg_catalog.int8 GENERATED ALWAYS AS IDENTITY, reset pg_catalog.bool NOT NULL DEFAULT false, %s, rows pg_catalog.int8 NOT NULL DEFAULT 0, plus sipas.survey, minus sipas.survey)',
				   sch, nm || '_delta', array_to_string(coldefs, ', '));
	EXECUTE format('CREATE INDEX %I ON %I.%I (id) WHERE reset', nm || '_delta_reset', sch, nm || '_delta');
	g.base := format('%I.%I', sch, nm || '_base')::regclass;
	g.delta := format('%I.%I', sch, nm || '_delta')::regclass;
	EXECUTE format('ALTER TABLE %s SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000)', g.delta);

	EXECUTE format('INSERT INTO %s (%s, rows, summary) SELECT %s, pg_catalog.count(*), %s FROM %s t GROUP BY %s',
				   g.base, sipas_internal.rollup_sql(g, 'names'), sipas_internal.rollup_sql(g, 'exprs'),
				   sipas_internal.rollup_sql(g, 'agg'), v_source, sipas_internal.rollup_sql(g, 'positions'));

	-- statement-level triggers with transition tables: INSERT and DELETE in C, UPDATE and
	-- TRUNCATE through PL/pgSQL functions
	EXECUTE format('CREATE FUNCTION %I.%I() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS %L',
				   sch, nm || '_upd', sipas_internal.rollup_trigger_sql(g, 'upd'));
	EXECUTE format('CREATE FUNCTION %I.%I() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS %L',
				   sch, nm || '_trunc', sipas_internal.rollup_trigger_sql(g, 'trunc'));
	EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sipas_internal.rollup_trigger(%s)',
				   nm || '_ins', v_source, sipas_internal.rollup_trigger_args(g));
	EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION %I.%I()',
				   nm || '_upd', v_source, sch, nm || '_upd');
	EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sipas_internal.rollup_trigger(%s)',
				   nm || '_del', v_source, sipas_internal.rollup_trigger_args(g));
	EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION %I.%I()',
				   nm || '_trunc', v_source, sch, nm || '_trunc');

	-- the views
	EXECUTE format('CREATE VIEW %I.%I AS %s', sch, nm, sipas_internal.rollup_view_sql(g));
	view := format('%I.%I', sch, nm)::regclass;
	EXECUTE format('CREATE VIEW %I.%I AS SELECT %s, b.rows, b.summary FROM %s b', sch, nm || '_refreshed',
				   sipas_internal.rollup_sql(g, 'names:b'), g.base);
	g.rollup := view;
	g.owner := current_user;
	g.created := now();
	g.data_as_of := now();
	g.last_refresh := now();
	g.refreshes := 0;
	INSERT INTO sipas_internal.rollup SELECT g.*;

	-- comments
	EXECUTE format('COMMENT ON VIEW %s IS %L', view,
				   format('sipas rollup of %s by %s: exact summaries (base + deltas); sipas.rollup_status, doc/rollups.md', v_source, array_to_string(all_names, ', ')));
	EXECUTE format('COMMENT ON VIEW %I.%I IS %L', sch, nm || '_refreshed',
				   format('sipas rollup %s as of its last refresh (sipas.rollup_status.data_as_of); %s is exact', view, view));
	EXECUTE format('COMMENT ON TABLE %s IS %L', g.base, format('sipas rollup %s: summaries per key as of the last refresh; changed by sipas.rollup_refresh only', view));
	EXECUTE format('COMMENT ON TABLE %s IS %L', g.delta, format('sipas rollup %s: changes of %s not yet folded (append-only; writers of the source need INSERT here)', view, v_source));
	EXECUTE format('COMMENT ON FUNCTION %I.%I() IS %L', sch, nm || '_upd', format('sipas rollup %s: deltas of UPDATE of %s', view, v_source));
	EXECUTE format('COMMENT ON FUNCTION %I.%I() IS %L', sch, nm || '_trunc', format('sipas rollup %s: reset marker of TRUNCATE %s', view, v_source));

	-- the roles that write the source write deltas; those that read it read the views
	FOR r IN
		SELECT DISTINCT a.grantee, a.privilege_type
		FROM pg_class cl, aclexplode(cl.relacl) a
		WHERE cl.oid = v_source AND a.grantee <> cl.relowner
		  AND a.privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'SELECT')
	LOOP
		IF r.privilege_type = 'SELECT' THEN
			EXECUTE format('GRANT SELECT ON %s, %I.%I TO %s', view, sch, nm || '_refreshed',
						   CASE WHEN r.grantee = 0 THEN 'PUBLIC' ELSE r.grantee::regrole::text END);
		ELSE
			EXECUTE format('GRANT INSERT ON %s TO %s', g.delta,
						   CASE WHEN r.grantee = 0 THEN 'PUBLIC' ELSE r.grantee::regrole::text END);
		END IF;
	END LOOP;
	RETURN view;
END
$$;
COMMENT ON FUNCTION sipas.rollup_create(pg_catalog.text, pg_catalog.regclass, pg_catalog.text[], pg_catalog.text, pg_catalog.text,
		pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.int4, pg_catalog.text) IS
	'create a rollup: survey summaries of a table of answers (kind answers) or forms (kind forms) per key, kept exact by triggers; returns its exact view';

-- ---- refresh: fold the deltas into the base ----
CREATE FUNCTION sipas_internal.rollup_lock_key(g sipas_internal.rollup) RETURNS pg_catalog.int8
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN ('x' OPERATOR(pg_catalog.||) pg_catalog.left(pg_catalog.md5('sipas rollup ' OPERATOR(pg_catalog.||) (g.delta)::pg_catalog.oid::pg_catalog.text), 16))::pg_catalog.bit(64)::pg_catalog.int8;
COMMENT ON FUNCTION sipas_internal.rollup_lock_key(sipas_internal.rollup) IS
	'support: the advisory lock key that lets one refresh of a rollup run at a time';

CREATE FUNCTION sipas.rollup_fold(rollup pg_catalog.regclass, wait pg_catalog.bool DEFAULT true) RETURNS pg_catalog.int8
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	g sipas_internal.rollup := sipas_internal.rollup_get(rollup);
	names text := sipas_internal.rollup_sql(g, 'names');
	rid int8;
	n int8 := 0;
	folded int8;
	recomputed int8;
	negative int8;
	asof timestamptz;
BEGIN
	IF wait IS NULL THEN
		RAISE EXCEPTION 'wait must not be NULL' USING ERRCODE = '22004';
	END IF;
	IF wait THEN
		PERFORM pg_advisory_xact_lock(sipas_internal.rollup_lock_key(g));
	ELSIF NOT pg_try_advisory_xact_lock(sipas_internal.rollup_lock_key(g)) THEN
		RETURN NULL;
	END IF;
	-- before the deltas: a TRUNCATE of the source waits for us, or we for it
	EXECUTE format('LOCK TABLE %s IN ACCESS SHARE MODE', g.source);
	-- a reset (TRUNCATE): the base and every delta before it are gone.  Every delta with
	-- a smaller id was committed before the TRUNCATE took its lock, so all are visible.
	EXECUTE format('SELECT pg_catalog.max(id) FROM %s WHERE reset', g.delta) INTO rid;
	IF rid IS NOT NULL THEN
		EXECUTE format('DELETE FROM %s', g.base);
		EXECUTE format('DELETE FROM %s WHERE id OPERATOR(pg_catalog.<=) $1', g.delta) USING rid;
		GET DIAGNOSTICS n = ROW_COUNT;
	END IF;
	asof := clock_timestamp();
	-- one statement, one snapshot: the deltas it deletes are exactly those it folds, and
	-- a key it recomputes is read from the source as of the same snapshot
	EXECUTE format($f$
WITH d AS (DELETE FROM %2$s x WHERE NOT x.reset RETURNING %1$s, x.rows, x.plus, x.minus),
dk AS (SELECT DISTINCT %1$s FROM d),
u AS (SELECT %1$s, d.rows, d.plus, d.minus, false AS had FROM d
      UNION ALL
      SELECT %4$s, b.rows, b.summary, NULL::sipas.survey, true FROM %3$s b JOIN dk ON %5$s),
a AS (SELECT %1$s, (pg_catalog.sum(u.rows))::pg_catalog.int8 AS rows, sipas.rollup(u.plus) AS plus,
             sipas.rollup(u.minus) AS minus, pg_catalog.bool_or(u.had) AS had
      FROM u GROUP BY %1$s),
f AS (SELECT %6$s, a.rows, a.had, s.exact,
             CASE WHEN a.rows OPERATOR(pg_catalog.<=) 0 THEN NULL WHEN s.exact THEN s.result
                  ELSE (SELECT %9$s FROM %10$s t WHERE %11$s) END AS summary
      FROM a CROSS JOIN LATERAL sipas_internal.survey_subtract(a.plus, a.minus) s),
up AS (UPDATE %3$s b SET rows = f.rows, summary = f.summary FROM f
       WHERE f.had AND f.rows OPERATOR(pg_catalog.>) 0 AND %7$s RETURNING 1),
del AS (DELETE FROM %3$s b USING f WHERE f.had AND f.rows OPERATOR(pg_catalog.=) 0 AND %7$s RETURNING 1),
ins AS (INSERT INTO %3$s (%1$s, rows, summary) SELECT %8$s, f.rows, f.summary FROM f
        WHERE NOT f.had AND f.rows OPERATOR(pg_catalog.>) 0 RETURNING 1)
SELECT (SELECT pg_catalog.count(*) FROM d),
       (SELECT pg_catalog.count(*) FROM f WHERE NOT f.exact AND f.rows OPERATOR(pg_catalog.>) 0),
       (SELECT pg_catalog.count(*) FROM f WHERE f.rows OPERATOR(pg_catalog.<) 0)$f$,
		names, g.delta, g.base, sipas_internal.rollup_sql(g, 'names:b'), sipas_internal.rollup_sql(g, 'match:b:dk'),
		sipas_internal.rollup_sql(g, 'names:a'), sipas_internal.rollup_sql(g, 'match:b:f'),
		sipas_internal.rollup_sql(g, 'names:f'), sipas_internal.rollup_sql(g, 'agg'), g.source,
		sipas_internal.rollup_sql(g, 'srcmatch'))
	INTO folded, recomputed, negative;
	IF negative > 0 THEN
		RAISE EXCEPTION 'rollup %: % keys would count fewer than no rows', rollup, negative
			USING ERRCODE = 'XX001', DETAIL = 'Deltas remove rows the base never counted: the rollup was changed by hand, or its triggers were disabled.',
				  HINT = format('SELECT sipas.rollup_rebuild(%L) recomputes it from the source.', rollup::text);
	END IF;
	UPDATE sipas_internal.rollup x
	SET data_as_of = asof, last_refresh = clock_timestamp(), last_folded = n + folded,
		last_recomputed = recomputed, refreshes = x.refreshes + 1
	WHERE x.rollup = g.rollup;
	RETURN n + folded;
END
$$;
COMMENT ON FUNCTION sipas.rollup_fold(pg_catalog.regclass, pg_catalog.bool) IS
	'fold a rollup''s deltas into its base in the current transaction (one refresh at a time; wait = false returns NULL when one is running); returns the deltas folded';

CREATE FUNCTION sipas_internal.rollup_failed(r pg_catalog.regclass, message pg_catalog.text) RETURNS void
	LANGUAGE sql VOLATILE STRICT PARALLEL UNSAFE
	SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	UPDATE sipas_internal.rollup SET last_error = message, last_error_at = pg_catalog.clock_timestamp()
	WHERE rollup OPERATOR(pg_catalog.=) r;
END;
COMMENT ON FUNCTION sipas_internal.rollup_failed(pg_catalog.regclass, pg_catalog.text) IS
	'support: record a failed refresh in the registry (sipas.rollup_status.last_error)';

-- A procedure so that it can commit the record of a failure before it raises it again:
-- no SET clause (a procedure with one cannot commit), every name qualified.
CREATE PROCEDURE sipas.rollup_refresh(rollup pg_catalog.regclass, wait pg_catalog.bool DEFAULT true)
	LANGUAGE plpgsql
AS $$
DECLARE
	msg pg_catalog.text;
	state pg_catalog.text;
	detail pg_catalog.text;
	folded pg_catalog.int8;
BEGIN
	BEGIN
		folded := sipas.rollup_fold(rollup, wait);
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS msg := MESSAGE_TEXT, state := RETURNED_SQLSTATE, detail := PG_EXCEPTION_DETAIL;
	END;
	IF msg IS NULL THEN
		IF folded IS NULL THEN
			RAISE NOTICE 'rollup %: a refresh is already running', rollup;
		END IF;
		RETURN;
	END IF;
	PERFORM sipas_internal.rollup_failed(rollup, msg);
	-- keep the record of the failure; inside a transaction block this COMMIT is refused
	-- (and that error is raised instead)
	COMMIT;
	RAISE EXCEPTION 'rollup % refresh failed: %', rollup, msg
		USING ERRCODE = state, DETAIL = COALESCE(detail, ''),
			  HINT = 'Nothing was folded; sipas.rollup_status shows the error until a refresh succeeds.';
END
$$;
COMMENT ON PROCEDURE sipas.rollup_refresh(pg_catalog.regclass, pg_catalog.bool) IS
	'fold a rollup''s deltas into its base (CALL it from any scheduler, outside a transaction block); a failure is recorded in sipas.rollup_status and raised, nothing is half-applied';

CREATE FUNCTION sipas.rollup_rebuild(rollup pg_catalog.regclass) RETURNS pg_catalog.int8
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	g sipas_internal.rollup := sipas_internal.rollup_get(rollup);
	n int8;
BEGIN
	PERFORM pg_advisory_xact_lock(sipas_internal.rollup_lock_key(g));
	-- writers wait (SHARE blocks INSERT/UPDATE/DELETE), readers do not
	EXECUTE format('LOCK TABLE %s IN SHARE MODE', g.source);
	EXECUTE format('DELETE FROM %s', g.delta);
	EXECUTE format('DELETE FROM %s', g.base);
	EXECUTE format('INSERT INTO %s (%s, rows, summary) SELECT %s, pg_catalog.count(*), %s FROM %s t GROUP BY %s',
				   g.base, sipas_internal.rollup_sql(g, 'names'), sipas_internal.rollup_sql(g, 'exprs'),
				   sipas_internal.rollup_sql(g, 'agg'), g.source, sipas_internal.rollup_sql(g, 'positions'));
	GET DIAGNOSTICS n = ROW_COUNT;
	UPDATE sipas_internal.rollup x
	SET data_as_of = now(), last_refresh = clock_timestamp(), last_folded = 0, last_recomputed = n,
		refreshes = x.refreshes + 1
	WHERE x.rollup = g.rollup;
	RETURN n;
END
$$;
COMMENT ON FUNCTION sipas.rollup_rebuild(pg_catalog.regclass) IS
	'recompute a rollup from its source (writers wait meanwhile): after its triggers were disabled or its tables changed by hand; returns the keys';

CREATE FUNCTION sipas_internal.rollup_pending(delta pg_catalog.regclass) RETURNS pg_catalog.int8
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	n int8;
BEGIN
	EXECUTE format('SELECT pg_catalog.count(*) FROM %s', delta) INTO n;
	RETURN n;
END
$$;
COMMENT ON FUNCTION sipas_internal.rollup_pending(pg_catalog.regclass) IS
	'support: the deltas of a rollup not yet folded';

CREATE VIEW sipas.rollup_status WITH (security_invoker = true) AS
SELECT r.rollup, r.source, r.kind,
	   r.keys OPERATOR(pg_catalog.||) (CASE WHEN r.bucket_column IS NULL THEN '{}'::pg_catalog.text[]
			ELSE ARRAY[pg_catalog.format('%s(%s)', r.bucket, r.bucket_column)] END) AS keys,
	   r.owner, r.data_as_of, r.last_refresh, r.refreshes, r.last_folded, r.last_recomputed,
	   sipas_internal.rollup_pending(r.delta) AS pending_deltas,
	   r.last_error, r.last_error_at,
	   COALESCE(r.last_error_at OPERATOR(pg_catalog.>) r.last_refresh, r.last_error_at IS NOT NULL) AS failing
FROM sipas_internal.rollup r;
GRANT SELECT ON sipas.rollup_status TO PUBLIC;
COMMENT ON VIEW sipas.rollup_status IS
	'the rollups of your roles: keys, data as of the last refresh (of <name>_refreshed; <name> is always exact), last refresh, pending deltas, last error and whether the latest refresh failed';

-- ---- pg_cron ----
CREATE FUNCTION sipas.rollup_schedule(rollup pg_catalog.regclass, schedule pg_catalog.text DEFAULT '* * * * *')
	RETURNS pg_catalog.int8
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	g sipas_internal.rollup := sipas_internal.rollup_get(rollup);
	cron_schema text;
	qname text;
	jobid int8;
BEGIN
	-- pg_cron keeps its objects in schema cron, whatever its extension schema says
	SELECT 'cron' INTO cron_schema FROM pg_extension e WHERE e.extname = 'pg_cron';
	IF cron_schema IS NULL THEN
		RAISE EXCEPTION 'pg_cron is not installed in this database'
			USING ERRCODE = '55000',
				  DETAIL = 'sipas.rollup_schedule creates a pg_cron job.',
				  HINT = format('Without pg_cron, have any scheduler run: CALL sipas.rollup_refresh(%L)', rollup::text);
	END IF;
	IF schedule IS NULL THEN
		RAISE EXCEPTION 'schedule must not be NULL' USING ERRCODE = '22004';
	END IF;
	SELECT format('%I.%I', n.nspname, c.relname) INTO qname
	FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = g.rollup;
	EXECUTE format('SELECT %I.schedule($1, $2, $3)', cron_schema) INTO jobid
		USING 'sipas rollup ' || qname, schedule, format('CALL sipas.rollup_refresh(%L)', qname);
	RETURN jobid;
END
$$;
COMMENT ON FUNCTION sipas.rollup_schedule(pg_catalog.regclass, pg_catalog.text) IS
	'schedule the refresh of a rollup as pg_cron job "sipas rollup <schema>.<name>" (pg_cron only; replaces a job of that name); returns the job id';

-- ---- BI views ----
CREATE FUNCTION sipas.rollup_bi(rollup pg_catalog.regclass, unit pg_catalog.text, period pg_catalog.text,
		questionnaire pg_catalog.text DEFAULT '2023', rule pg_catalog.text DEFAULT 'mean',
		decimals pg_catalog.int4 DEFAULT 2)
	RETURNS pg_catalog.regclass
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	g sipas_internal.rollup := sipas_internal.rollup_get(rollup);
	all_names text[] := g.keys || CASE WHEN g.bucket_column IS NULL THEN '{}'::text[] ELSE ARRAY[g.bucket] END;
	sch text;
	nm text;
BEGIN
	IF unit IS NULL OR period IS NULL OR questionnaire IS NULL OR rule IS NULL OR decimals IS NULL THEN
		RAISE EXCEPTION 'rollup_bi: no argument may be NULL' USING ERRCODE = '22004';
	END IF;
	IF NOT unit = ANY (all_names) OR NOT period = ANY (all_names) OR unit = period THEN
		RAISE EXCEPTION 'unit "%" and period "%" must be two keys of rollup %', unit, period, rollup
			USING ERRCODE = '22023', DETAIL = format('Its keys: %s.', array_to_string(all_names, ', '));
	END IF;
	IF decimals < 0 OR decimals > 15 THEN
		RAISE EXCEPTION 'decimals % is not 0..15', decimals
			USING ERRCODE = '22023', DETAIL = 'Ranks and changes compare indexes rounded to that many decimals.';
	END IF;
	SELECT n.nspname, c.relname INTO sch, nm FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = g.rollup;
	EXECUTE format($v$CREATE VIEW %1$I.%2$I AS
WITH y AS (
    SELECT x.%3$I AS unit, x.%4$I AS period, sipas.rollup(x.summary) AS s, (pg_catalog.sum(x.rows))::pg_catalog.int8 AS rows
    FROM %5$s x GROUP BY 1, 2
), f AS (
    SELECT y.unit, y.period, y.rows, sipas.respondents(y.s) AS respondents, b.n,
           sipas.overall(y.s, %6$L, %7$L) AS index, b.lower, b.upper,
           sipas.node_std_error(y.s, b.code, %6$L, %7$L) AS std_error, y.s AS summary
    FROM y LEFT JOIN LATERAL (SELECT z.n, z.lower, z.upper, z.code FROM sipas.breakdown(y.s, %6$L, %7$L) z
                              WHERE z.kind OPERATOR(pg_catalog.=) 'overall') b ON true
)
SELECT f.unit AS %3$I, f.period AS %4$I, f.rows, f.respondents, f.n, f.index, f.lower, f.upper, f.std_error,
       sipas.period_rank(f.index, f.period, %8$s) OVER w AS rank,
       sipas.rank_change(f.index, f.period, f.unit, %8$s) OVER w AS rank_change,
       sipas.points_change(f.index, f.period, f.unit, %8$s) OVER w AS points_change,
       f.summary
FROM f WINDOW w AS ()$v$,
		sch, nm || '_bi', unit, period, g.rollup, questionnaire, rule, decimals);
	EXECUTE format('COMMENT ON VIEW %I.%I IS %L', sch, nm || '_bi',
				   format('sipas rollup %s per %s and %s: overall index (questionnaire %s, rule %s), interval, n, respondents, standard error, rank and change between periods (exact, read from %s)',
						  g.rollup, unit, period, questionnaire, rule, g.rollup));
	RETURN format('%I.%I', sch, nm || '_bi')::regclass;
END
$$;
COMMENT ON FUNCTION sipas.rollup_bi(pg_catalog.regclass, pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.int4) IS
	'create view <rollup>_bi: per unit and period the overall index, its interval, n, respondents, standard error, rank and change, from the exact rollup';

-- ---- drop ----
CREATE FUNCTION sipas.rollup_drop(rollup pg_catalog.regclass, cascade pg_catalog.bool DEFAULT false) RETURNS void
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	g sipas_internal.rollup := sipas_internal.rollup_get(rollup);
	sch text;
	nm text;
	cron_schema text;
	how text := CASE WHEN cascade THEN ' CASCADE' ELSE '' END;
	op text;
BEGIN
	SELECT n.nspname, c.relname INTO sch, nm FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = g.rollup;
	SELECT 'cron' INTO cron_schema FROM pg_extension e WHERE e.extname = 'pg_cron';
	IF cron_schema IS NOT NULL THEN
		EXECUTE format('SELECT %1$I.unschedule(j.jobid) FROM %1$I.job j WHERE j.jobname = $1', cron_schema)
			USING format('sipas rollup %I.%I', sch, nm);
	END IF;
	EXECUTE format('DROP VIEW IF EXISTS %I.%I%s', sch, nm || '_bi', how);
	EXECUTE format('DROP VIEW %s%s', g.rollup, how);
	EXECUTE format('DROP VIEW %I.%I%s', sch, nm || '_refreshed', how);
	FOREACH op IN ARRAY ARRAY['ins', 'upd', 'del', 'trunc'] LOOP
		EXECUTE format('DROP TRIGGER %I ON %s', nm || '_' || op, g.source);
	END LOOP;
	FOREACH op IN ARRAY ARRAY['upd', 'trunc'] LOOP
		EXECUTE format('DROP FUNCTION %I.%I()', sch, nm || '_' || op);
	END LOOP;
	EXECUTE format('DROP TABLE %s, %s%s', g.base, g.delta, how);
	DELETE FROM sipas_internal.rollup x WHERE x.rollup = g.rollup;
END
$$;
COMMENT ON FUNCTION sipas.rollup_drop(pg_catalog.regclass, pg_catalog.bool) IS
	'drop a rollup: its views (with cascade also views built on them), triggers, functions, tables and pg_cron job';
