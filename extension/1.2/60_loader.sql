
-- ---------------------------------------------------------------------------
-- The long loader, 1.2 (issues 10, 12 and 15).  Same functions and arguments as
-- extension/1.1/60_loader.sql, with these changes:
--  * the staging table's line column is checked: every row needs a line number
--    and no two rows the same one (the duplicate check and every message rely
--    on it; a plain "line bigint" column let two conflicting answers through);
--  * problems carry a kind (sipas_internal.loader_problems), so load_answers classifies
--    them without matching message text;
--  * relation names in messages are shown as the caller writes them (the
--    user-facing functions are SQL wrappers without a SET clause, so regclass
--    prints under the caller's search_path, schema-qualified only when needed);
--  * the questionnaire defaults to the one of each row's period
--    (sipas.questionnaire_for_period) instead of a fixed '2023';
--  * a score may be written "4.0" (spreadsheets write whole numbers so);
--  * an item of another questionnaire, or an item code in the wrong case, gets
--    a hint naming it;
--  * a blank weight in a file that has weights (some rows give one) is an
--    error, unless options => '{"blank_weight": 1}' says blank means 1 (the
--    option of the wide loader, sipas_internal.blank_weight_option); a file
--    whose weight column is blank on every row is unweighted, every weight 1;
--  * check_answers returns the kind of each problem (line, kind, problem), as
--    check_wide does; read_staging, check_answers and load_answers take
--    options (1.1's calls, without them, work unchanged).
-- ---------------------------------------------------------------------------

-- The questionnaire in force in a period: the one whose first_year..last_year
-- covers it (a built-in one before users' own, then the latest to start); for a
-- period no questionnaire covers, the latest one started before it.  NULL before
-- the first questionnaire.
CREATE FUNCTION sipas.questionnaire_for_period(period integer) RETURNS text
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
	RETURN (SELECT q.code FROM sipas.questionnaire q
			WHERE q.first_year OPERATOR(pg_catalog.<=) period
			ORDER BY COALESCE(period OPERATOR(pg_catalog.<=) q.last_year, false) DESC,
					 q.builtin DESC, q.first_year DESC, q.code COLLATE "C"
			LIMIT 1);
COMMENT ON FUNCTION sipas.questionnaire_for_period(integer) IS
	'questionnaire in force in a period: first_year..last_year covers it (built-in first), else the latest started before it';

-- Level numbers as the loaders read them: "4", "+4", "4.0", "4.00" (not "4.5"),
-- after trimming.  NULL when the text is not a whole number of at most 9 digits.
CREATE FUNCTION sipas_internal.level_parse(t text) RETURNS integer
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN CASE WHEN t OPERATOR(pg_catalog.~) '^[+-]?[0-9]{1,9}([.]0*)?$'
				THEN pg_catalog.split_part(t, '.', 1)::pg_catalog.int4 END;
COMMENT ON FUNCTION sipas_internal.level_parse(text) IS
	'support: a level number written "4", "+4" or "4.0" as an integer; NULL when it is not a whole number';

-- The blank_weight option, the same for long and wide files: true when
-- {"blank_weight": 1} says a blank weight means 1; false when the option is
-- absent or "error" (a blank weight in a file with weights is then an error).
CREATE FUNCTION sipas_internal.blank_weight_option(options jsonb) RETURNS boolean
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF options IS NULL OR jsonb_typeof(options) <> 'object' OR NOT options ? 'blank_weight' THEN
		RETURN false;
	ELSIF options->'blank_weight' = '1'::jsonb THEN
		RETURN true;
	ELSIF options->>'blank_weight' IS NOT DISTINCT FROM 'error' THEN
		RETURN false;
	END IF;
	RAISE EXCEPTION 'option blank_weight % is neither 1 nor "error"', options->'blank_weight' USING ERRCODE = '22023',
		DETAIL = 'A blank weight in a file with weights is an error unless {"blank_weight": 1} says it means 1.';
END
$$;
COMMENT ON FUNCTION sipas_internal.blank_weight_option(jsonb) IS
	'support: the blank_weight option of the loaders: true when {"blank_weight": 1}, false when absent or "error", else an error';

-- The options of the long loader: a JSON object with at most blank_weight.
-- Returns blank_weight_option.
CREATE FUNCTION sipas_internal.loader_options(options jsonb) RETURNS boolean
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	k text;
BEGIN
	IF options IS NULL THEN
		RETURN false;
	END IF;
	IF jsonb_typeof(options) <> 'object' THEN
		RAISE EXCEPTION 'options % are not a JSON object', options USING ERRCODE = '22023',
			DETAIL = 'Pass e.g. ''{"blank_weight": 1}''.';
	END IF;
	FOR k IN SELECT jsonb_object_keys(options) LOOP
		IF k <> 'blank_weight' THEN
			RAISE EXCEPTION 'unknown option "%"', k USING ERRCODE = '22023',
				DETAIL = 'The long loader has one option: blank_weight (1: a blank weight means 1; "error", the default: it is an error in a file with weights).';
		END IF;
	END LOOP;
	RETURN sipas_internal.blank_weight_option(options);
END
$$;
COMMENT ON FUNCTION sipas_internal.loader_options(jsonb) IS
	'support: checks the options of the long loader (only blank_weight) and returns blank_weight_option';

-- Errors for arguments the loader cannot work with; names shown as given.
CREATE FUNCTION sipas_internal.loader_check_args(staging regclass, questionnaire text, target regclass,
		staging_name text, target_name text)
	RETURNS void
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	missing text;
	line_type regtype;
BEGIN
	IF staging IS NULL THEN
		RAISE EXCEPTION 'staging table is NULL'
			USING ERRCODE = '22023',
				  DETAIL = 'Pass the table the CSV file was copied into, e.g. ''stg''.';
	END IF;
	IF questionnaire IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sipas.questionnaire q WHERE q.code = questionnaire) THEN
		RAISE EXCEPTION 'unknown questionnaire "%"', questionnaire
			USING ERRCODE = '22023',
				  DETAIL = format('Known questionnaires: %s.',
								  (SELECT string_agg(q.code, ', ' ORDER BY q.code) FROM sipas.questionnaire q)),
				  HINT = CASE WHEN (questionnaire !~ '^[0-9]+$' AND to_regclass(questionnaire) IS NOT NULL) -- 16+: digits are an OID
								   OR EXISTS (SELECT 1 FROM pg_class c WHERE c.relname = questionnaire
											  AND c.relkind IN ('r', 'p', 'v', 'f', 'm'))
							  THEN format('"%s" is a table: the arguments are check_answers(staging, questionnaire, target) and load_answers(staging, target, questionnaire); named arguments (target => ...) avoid the mix-up.', questionnaire)
							  ELSE 'Leave the questionnaire out (NULL) to use the one of each row''s period.' END;
	END IF;
	SELECT string_agg(c, ', ' ORDER BY o) INTO missing
	FROM unnest(ARRAY['period', 'unit', 'respondent', 'item', 'score', 'weight', 'line']) WITH ORDINALITY AS u(c, o)
	WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a
					  WHERE a.attrelid = staging AND a.attname = u.c AND a.attnum > 0 AND NOT a.attisdropped);
	IF missing IS NOT NULL THEN
		RAISE EXCEPTION 'staging table % has no column %', staging_name, missing
			USING ERRCODE = '42703',
				  HINT = format('Create it with CREATE TEMP TABLE %s (LIKE sipas.staging_template INCLUDING ALL).', staging_name);
	END IF;
	SELECT a.atttypid INTO line_type FROM pg_attribute a
	WHERE a.attrelid = staging AND a.attname = 'line' AND NOT a.attisdropped;
	IF line_type NOT IN ('bigint'::regtype, 'integer'::regtype, 'smallint'::regtype) THEN
		RAISE EXCEPTION 'column line of staging table % is of type %, not an integer type', staging_name, line_type
			USING ERRCODE = '42804',
				  HINT = format('Create it with CREATE TEMP TABLE %s (LIKE sipas.staging_template INCLUDING ALL): its line column numbers the rows as \copy reads them.', staging_name);
	END IF;
	IF target IS NULL THEN
		RETURN;
	END IF;
	SELECT string_agg(c, ', ' ORDER BY o) INTO missing
	FROM unnest(ARRAY['period', 'unit', 'respondent', 'item', 'score', 'weight']) WITH ORDINALITY AS u(c, o)
	WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a
					  WHERE a.attrelid = target AND a.attname = u.c AND a.attnum > 0 AND NOT a.attisdropped);
	IF missing IS NOT NULL THEN
		RAISE EXCEPTION 'target table % has no column %', target_name, missing
			USING ERRCODE = '42703',
				  HINT = 'An answers table has the columns of sipas.answers_template: CREATE TABLE answers (LIKE sipas.answers_template INCLUDING ALL).';
	END IF;
END
$$;
COMMENT ON FUNCTION sipas_internal.loader_check_args(regclass, text, regclass, text, text) IS
	'support: error unless the staging table, questionnaire and target (if not NULL) can be loaded; names as given';

CREATE OR REPLACE FUNCTION sipas.check_loader_args(staging regclass, questionnaire text, target regclass)
	RETURNS void
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN sipas_internal.loader_check_args(staging, questionnaire, target, staging::pg_catalog.text, target::pg_catalog.text);
COMMENT ON FUNCTION sipas.check_loader_args(regclass, text, regclass) IS
	'the argument checks of check_answers and load_answers on their own (released in 1.1; the loader itself calls sipas_internal.loader_check_args): an error unless the staging table, questionnaire and target (if not NULL) can be used';

-- Issue 15, F10: the duplicate check and the messages name rows by line, so a
-- NULL or repeated line number is an error before any row is read.
CREATE FUNCTION sipas_internal.loader_check_lines(staging regclass, staging_name text)
	RETURNS void
	LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	null_lines bigint;
	repeated text;
	n_repeated bigint;
BEGIN
	EXECUTE format($q$
		SELECT (SELECT count(*) FROM %1$s s WHERE s.line IS NULL),
			   (SELECT count(*) FROM (SELECT s.line FROM %1$s s WHERE s.line IS NOT NULL GROUP BY s.line HAVING count(*) > 1) d),
			   (SELECT string_agg(format('%%s (%%s rows)', d.line, d.n), ', ' ORDER BY d.line)
				FROM (SELECT s.line, count(*) AS n FROM %1$s s WHERE s.line IS NOT NULL
					  GROUP BY s.line HAVING count(*) > 1 ORDER BY s.line LIMIT 10) d)
		$q$, staging)
		INTO null_lines, n_repeated, repeated;
	IF null_lines > 0 OR n_repeated > 0 THEN
		RAISE EXCEPTION 'staging table % does not number its rows: %', staging_name,
				concat_ws('; ',
					CASE WHEN null_lines > 0 THEN format('%s rows have no line', null_lines) END,
					CASE WHEN n_repeated > 0 THEN format('%s line numbers are used more than once: %s%s',
														 n_repeated, repeated,
														 CASE WHEN n_repeated > 10 THEN ', ...' END) END)
			USING ERRCODE = '22023',
				  DETAIL = 'The loader names each row by its line, and finds duplicate answers by it: every row needs its own line number.',
				  HINT = format('Create the staging table with CREATE TEMP TABLE %s (LIKE sipas.staging_template INCLUDING ALL): its line column numbers the rows as \copy reads them.', staging_name);
	END IF;
END
$$;
COMMENT ON FUNCTION sipas_internal.loader_check_lines(regclass, text) IS
	'support: error unless every row of the staging table has a line number of its own';

-- The staging rows as the loader reads them (see 1.1), with the questionnaire
-- each row is checked against.
CREATE FUNCTION sipas_internal.loader_rows(staging regclass, questionnaire text, staging_name text, check_lines boolean,
		blank_one boolean,
		OUT line bigint, OUT period text, OUT unit text, OUT respondent text, OUT item text,
		OUT score text, OUT weight text,
		OUT period_value integer, OUT score_value integer, OUT weight_value double precision,
		OUT scale integer, OUT questionnaire_used text)
	RETURNS SETOF record
	LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	utf8 boolean := getdatabaseencoding() = 'UTF8';
	trim_chars text := E' \t\r\n';
	norm text := '%s';
BEGIN
	PERFORM sipas_internal.loader_check_args(staging, questionnaire, NULL, staging_name, NULL);
	IF check_lines THEN
		PERFORM sipas_internal.loader_check_lines(staging, staging_name);
	END IF;
	IF utf8 THEN
		trim_chars := trim_chars || chr(160) || chr(65279);
		norm := 'normalize(%s, NFC)';
	END IF;
	-- f is materialized once (each field trimmed and normalized once per row);
	-- the questionnaire of each period is looked up once per period
	RETURN QUERY EXECUTE format($q$
		WITH f AS MATERIALIZED (
			SELECT s.line::bigint AS line,
				   nullif(btrim(s.period::text, $2), '') AS period,
				   nullif(%2$s, '') AS unit,
				   nullif(%3$s, '') AS respondent,
				   nullif(%4$s, '') AS item,
				   nullif(btrim(s.score::text, $2), '') AS score,
				   nullif(btrim(s.weight::text, $2), '') AS weight
			FROM %1$s AS s),
		-- a file has weights when any row gives one; then a blank one is 1 only if the user says so
		hw AS (SELECT COALESCE(bool_or(f.weight IS NOT NULL), false) AS any FROM f),
		g AS (
			SELECT f.*,
				   CASE WHEN f.period ~ '^[+-]?[0-9]{1,9}$' THEN f.period::integer END AS period_value,
				   $3 OR NOT hw.any AS blank_is_one
			FROM f CROSS JOIN hw),
		qp AS (
			SELECT d.p, COALESCE($1, sipas.questionnaire_for_period(d.p)) AS q
			FROM (SELECT DISTINCT g.period_value AS p FROM g WHERE g.period_value IS NOT NULL) d)
		SELECT g.line, g.period, g.unit, g.respondent, g.item, g.score, g.weight,
			   g.period_value,
			   sipas_internal.level_parse(g.score),
			   -- at most 20 digits before and after the point and a 2-digit exponent:
			   -- always inside float8's range, so the cast cannot fail
			   CASE WHEN g.weight IS NULL THEN CASE WHEN g.blank_is_one THEN 1::float8 END
					WHEN g.weight ~ '^[+]?([0-9]{1,20}([.][0-9]{0,20})?|[.][0-9]{1,20})([eE][+-]?[0-9]{1,2})?$'
					THEN g.weight::float8
			   END,
			   n.scale,
			   COALESCE($1, qp.q)
		FROM g
		LEFT JOIN qp ON qp.p = g.period_value
		LEFT JOIN sipas.node n ON n.questionnaire = COALESCE($1, qp.q) AND n.kind = 'item' AND n.code = g.item
		$q$, staging,
		format(norm, 'btrim(s.unit::text, $2)'),
		format(norm, 'btrim(s.respondent::text, $2)'),
		format(norm, 'btrim(s.item::text, $2)'))
		USING questionnaire, trim_chars, COALESCE(blank_one, false);
END
$$;
COMMENT ON FUNCTION sipas_internal.loader_rows(regclass, text, text, boolean, boolean) IS
	'support: staging rows as the loader reads them, with the questionnaire of each row (check_lines: first loader_check_lines; blank_one: a blank weight is 1 in a file with weights)';

DROP FUNCTION sipas.read_staging(regclass, text);
CREATE FUNCTION sipas.read_staging(staging regclass, questionnaire text DEFAULT NULL, options jsonb DEFAULT NULL,
		OUT line bigint, OUT period text, OUT unit text, OUT respondent text, OUT item text,
		OUT score text, OUT weight text,
		OUT period_value integer, OUT score_value integer, OUT weight_value double precision,
		OUT scale integer)
	RETURNS SETOF record
	LANGUAGE sql STABLE PARALLEL RESTRICTED
BEGIN ATOMIC
	SELECT r.line, r.period, r.unit, r.respondent, r.item, r.score, r.weight,
		   r.period_value, r.score_value, r.weight_value, r.scale
	FROM sipas_internal.loader_rows(staging, questionnaire, staging::pg_catalog.text, true,
									sipas_internal.loader_options(options)) r;
END;
COMMENT ON FUNCTION sipas.read_staging(regclass, text, jsonb) IS
	'the staging rows as the loader reads them: trimmed, NFC, parsed (weight_value NULL for a blank weight in a file with weights unless options say {"blank_weight": 1})';

-- Every problem of a staging table, with its kind: period, unit, respondent,
-- item, score, weight, duplicate (of an earlier line of the file), in_target
-- (already in the target table).  Names in messages as given.
CREATE FUNCTION sipas_internal.loader_problems(staging regclass, questionnaire text, target regclass,
		staging_name text, target_name text, blank_one boolean)
	RETURNS TABLE (line bigint, kind text, problem text)
	LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	in_target text := 'SELECT NULL::bigint AS line WHERE false';
BEGIN
	PERFORM sipas_internal.loader_check_args(staging, questionnaire, target, staging_name, target_name);
	PERFORM sipas_internal.loader_check_lines(staging, staging_name);
	IF target IS NOT NULL THEN
		in_target := format(
			'SELECT DISTINCT p.line FROM p JOIN %s AS t ON t.period = p.period_value AND t.unit = p.unit'
			' AND t.respondent = p.respondent AND t.item = p.item', target);
	END IF;
	RETURN QUERY EXECUTE format($q$
		WITH p AS (SELECT * FROM sipas_internal.loader_rows($1, $2, $4, false, $5)),
		d AS (
			SELECT p.*,
				   CASE WHEN p.period_value IS NOT NULL AND p.unit IS NOT NULL
							 AND p.respondent IS NOT NULL AND p.item IS NOT NULL
						THEN first_value(p.line) OVER (PARTITION BY p.period_value, p.unit, p.respondent, p.item
													   ORDER BY p.line) END AS first_line
			FROM p
		),
		t AS (%s)
		SELECT d.line, x.kind, x.problem
		FROM d LEFT JOIN t ON t.line = d.line,
		LATERAL (VALUES
			(1, 'period',
				CASE WHEN d.period IS NULL THEN 'period is missing'
					 WHEN d.period_value IS NULL THEN format('period "%%s" is not an integer', left(d.period, 40))
					 WHEN d.questionnaire_used IS NULL
					 THEN format('no questionnaire is in force in period %%s', d.period_value) END),
			(2, 'unit', CASE WHEN d.unit IS NULL THEN 'unit is missing' END),
			(3, 'respondent', CASE WHEN d.respondent IS NULL THEN 'respondent is missing' END),
			(4, 'item',
				CASE WHEN d.item IS NULL THEN 'item is missing'
					 WHEN d.scale IS NULL AND d.questionnaire_used IS NOT NULL
					 THEN format('item "%%s" is not an item of questionnaire %%s%%s', left(d.item, 40),
								 d.questionnaire_used, sipas_internal.item_code_hint(d.item, d.questionnaire_used))
					 -- no questionnaire for this row (bad period): still report a code that is nowhere an item
					 WHEN d.scale IS NULL
						  AND NOT EXISTS (SELECT 1 FROM sipas.node n WHERE n.kind = 'item' AND n.code = d.item)
					 THEN format('item "%%s" is not an item of any questionnaire', left(d.item, 40)) END),
			(5, 'score',
				CASE WHEN d.score IS NOT NULL AND d.score_value IS NULL
					 THEN format('score "%%s" is not an integer', left(d.score, 40))
					 WHEN d.score_value NOT BETWEEN 1 AND d.scale
					 THEN format('score %%s is outside 1..%%s, the scale of item %%s', d.score_value, d.scale, d.item) END),
			(6, 'weight',
				CASE WHEN d.weight_value IS NOT NULL THEN NULL
					 WHEN d.weight IS NULL
					 THEN 'weight is blank in a file with weights (if blank means 1, say so with options => ''{"blank_weight": 1}'')'
					 WHEN d.weight ~ '^-([0-9]|[.][0-9])'
					 THEN format('weight %%s is negative', left(d.weight, 40))
					 WHEN d.weight ~ '^[0-9]*,[0-9]+$'
					 THEN format('weight "%%s" is not a number: write decimals with a point (%%s)',
								 d.weight, replace(d.weight, ',', '.'))
					 ELSE format('weight "%%s" is not a finite number of 0 or more', left(d.weight, 40)) END),
			(7, 'duplicate',
				CASE WHEN d.first_line <> d.line
					 THEN format('duplicate of line %%s (period %%s, unit "%%s", respondent "%%s", item "%%s")',
								 d.first_line, d.period_value, d.unit, d.respondent, d.item) END),
			(8, 'in_target',
				CASE WHEN t.line IS NOT NULL AND d.first_line = d.line
					 THEN format('already in %%s (period %%s, unit "%%s", respondent "%%s", item "%%s")',
								 $3, d.period_value, d.unit, d.respondent, d.item) END)
		) AS x(k, kind, problem)
		WHERE x.problem IS NOT NULL
		ORDER BY d.line, x.k
		$q$, in_target)
		USING staging, questionnaire, target_name, staging_name, blank_one;
END
$$;
COMMENT ON FUNCTION sipas_internal.loader_problems(regclass, text, regclass, text, text, boolean) IS
	'support: every problem of a staging table with its kind (period, unit, respondent, item, score, weight, duplicate, in_target)';

-- The end of the message for a code that is not an item of a questionnaire:
-- the item in another case or spacing, the item a group code stands above, or
-- the questionnaires that have the item (issue 12).  '' when nothing fits.
CREATE FUNCTION sipas_internal.item_code_hint(code text, questionnaire text) RETURNS text
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
	RETURN COALESCE(
		(SELECT pg_catalog.format('; did you mean "%s"?', pg_catalog.string_agg(n.code, '" or "' ORDER BY n.code COLLATE "C"))
		 FROM sipas.node n
		 WHERE n.questionnaire OPERATOR(pg_catalog.=) item_code_hint.questionnaire
		   AND n.kind OPERATOR(pg_catalog.=) 'item'
		   AND pg_catalog.upper(pg_catalog.regexp_replace(n.code, '\s', '', 'g'))
			   OPERATOR(pg_catalog.=) pg_catalog.upper(pg_catalog.regexp_replace(item_code_hint.code, '\s', '', 'g'))
		 HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) 0),
		(SELECT pg_catalog.format('; %s is a %s, not an item', n.code, n.kind)
		 FROM sipas.node n
		 WHERE n.questionnaire OPERATOR(pg_catalog.=) item_code_hint.questionnaire
		   AND pg_catalog.upper(n.code) OPERATOR(pg_catalog.=) pg_catalog.upper(item_code_hint.code)
		 LIMIT 1),
		(SELECT pg_catalog.format('; it is an item of questionnaire %s',
								  pg_catalog.string_agg(n.questionnaire, ', ' ORDER BY n.questionnaire COLLATE "C"))
		 FROM sipas.node n
		 WHERE n.kind OPERATOR(pg_catalog.=) 'item' AND n.code OPERATOR(pg_catalog.=) item_code_hint.code
		 HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) 0),
		'');
COMMENT ON FUNCTION sipas_internal.item_code_hint(text, text) IS
	'support: hint for a code that is not an item of a questionnaire: did you mean, not an item, or where it is an item';

-- The questionnaire that has the most of these codes as items, when it is not
-- the one used and has more of them: the hint of a file of another questionnaire.
CREATE FUNCTION sipas_internal.questionnaire_fitting(codes text[], used text[]) RETURNS text
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
	RETURN (SELECT b.questionnaire FROM (
				SELECT n.questionnaire, pg_catalog.count(DISTINCT n.code) AS hits
				FROM sipas.node n
				WHERE n.kind OPERATOR(pg_catalog.=) 'item' AND n.code OPERATOR(pg_catalog.=) ANY (codes)
				GROUP BY n.questionnaire) b
			WHERE b.questionnaire OPERATOR(pg_catalog.<>) ALL (used)
			  AND b.hits OPERATOR(pg_catalog.>) (SELECT pg_catalog.count(DISTINCT n.code) FROM sipas.node n
								WHERE n.kind OPERATOR(pg_catalog.=) 'item' AND n.code OPERATOR(pg_catalog.=) ANY (codes)
								  AND n.questionnaire OPERATOR(pg_catalog.=) ANY (used))
			ORDER BY b.hits DESC, b.questionnaire COLLATE "C" LIMIT 1);
COMMENT ON FUNCTION sipas_internal.questionnaire_fitting(text[], text[]) IS
	'support: the questionnaire having more of these codes as items than the ones used, if any';

-- 1.1 returned (line, problem); the kind says which rule a row breaks, as in
-- check_wide, so the return type changes (DROP, not OR REPLACE).
DROP FUNCTION sipas.check_answers(regclass, text, regclass);
CREATE FUNCTION sipas.check_answers(staging regclass, questionnaire text DEFAULT NULL,
		target regclass DEFAULT NULL, options jsonb DEFAULT NULL)
	RETURNS TABLE (line bigint, kind text, problem text)
	LANGUAGE sql STABLE PARALLEL RESTRICTED
BEGIN ATOMIC
	SELECT p.line, p.kind, p.problem
	FROM sipas_internal.loader_problems(staging, questionnaire, target, staging::pg_catalog.text, target::pg_catalog.text,
										sipas_internal.loader_options(options)) p;
END;
COMMENT ON FUNCTION sipas.check_answers(regclass, text, regclass, jsonb) IS
	'every problem of a staging table, one row per problem: line, kind (period, unit, respondent, item, score, weight, duplicate, in_target) and message';

CREATE FUNCTION sipas_internal.loader_load(staging regclass, target regclass, questionnaire text,
		staging_name text, target_name text, options jsonb)
	RETURNS bigint
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	max_listed constant integer := 100;
	problems bigint;
	not_duplicates bigint;
	item_problems bigint;
	bad_rows bigint;
	total_rows bigint;
	listed text;
	loaded bigint;
	bad_items text[];
	used text[];
	fits text;
	hint text;
	blank_one boolean := sipas_internal.loader_options(options);
BEGIN
	IF target IS NULL THEN
		RAISE EXCEPTION 'target table is NULL'
			USING ERRCODE = '22023',
				  DETAIL = 'Pass the answers table to load into, e.g. ''answers''.';
	END IF;
	PERFORM sipas_internal.loader_check_args(staging, questionnaire, target, staging_name, target_name);

	SELECT count(*),
		   count(*) FILTER (WHERE c.kind NOT IN ('duplicate', 'in_target')),
		   count(*) FILTER (WHERE c.kind = 'item'),
		   count(DISTINCT c.line),
		   string_agg(format('line %s: %s', c.line, c.problem), E'\n' ORDER BY c.n) FILTER (WHERE c.n <= max_listed)
	INTO problems, not_duplicates, item_problems, bad_rows, listed
	FROM sipas_internal.loader_problems(staging, questionnaire, target, staging_name, target_name, blank_one)
		 WITH ORDINALITY AS c(line, kind, problem, n);

	IF problems > 0 THEN
		EXECUTE format('SELECT count(*) FROM %s', staging) INTO total_rows;
		IF problems > max_listed THEN
			listed := listed || format(E'\n... and %s more problems', problems - max_listed);
		END IF;
		hint := format('sipas.check_answers(%L%s, target => %L%s) lists every problem. Correct the file, empty the staging table with TRUNCATE %s RESTART IDENTITY and copy it again.',
					   staging_name, ', questionnaire => ' || quote_literal(questionnaire), target_name,
					   ', options => ' || quote_literal(options), staging_name);
		-- a file of another questionnaire: name it
		IF item_problems > 0 THEN
			SELECT array_agg(DISTINCT r.item), array_agg(DISTINCT r.questionnaire_used) FILTER (WHERE r.questionnaire_used IS NOT NULL)
			INTO bad_items, used
			FROM sipas_internal.loader_rows(staging, questionnaire, staging_name, false, blank_one) r
			WHERE r.item IS NOT NULL;
			fits := sipas_internal.questionnaire_fitting(bad_items, COALESCE(used, '{}'));
			IF fits IS NOT NULL THEN
				hint := format('The items fit questionnaire %s better than %s: load the file with questionnaire => %L. ',
							   fits, array_to_string(used, ', '), fits) || hint;
			END IF;
		END IF;
		RAISE EXCEPTION '% of % rows of % are invalid: nothing was loaded into %', bad_rows, total_rows, staging_name, target_name
			USING ERRCODE = CASE WHEN not_duplicates = 0 THEN '23505' ELSE '22023' END,
				  DETAIL = listed,
				  HINT = hint;
	END IF;

	EXECUTE format($q$
		INSERT INTO %s (period, unit, respondent, item, score, weight)
		SELECT r.period_value, r.unit, r.respondent, r.item, r.score_value, r.weight_value
		FROM sipas_internal.loader_rows($1, $2, $3, false, $4) r
		ORDER BY r.line
		$q$, target)
		USING staging, questionnaire, staging_name, blank_one;
	GET DIAGNOSTICS loaded = ROW_COUNT;
	RETURN loaded;
END
$$;
COMMENT ON FUNCTION sipas_internal.loader_load(regclass, regclass, text, text, text, jsonb) IS
	'support: body of load_answers; relation names in messages as given';

DROP FUNCTION sipas.load_answers(regclass, regclass, text);
CREATE FUNCTION sipas.load_answers(staging regclass, target regclass, questionnaire text DEFAULT NULL,
		options jsonb DEFAULT NULL)
	RETURNS bigint
	LANGUAGE sql VOLATILE PARALLEL UNSAFE
	RETURN sipas_internal.loader_load(staging, target, questionnaire, staging::pg_catalog.text, target::pg_catalog.text, options);
COMMENT ON FUNCTION sipas.load_answers(regclass, regclass, text, jsonb) IS
	'load a staging table into an answers table, all rows or none (options: {"blank_weight": 1} when a blank weight means 1); returns the rows loaded';
