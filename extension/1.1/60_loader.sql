-- ---------------------------------------------------------------------------
-- Loading survey answers from CSV files, all rows or none.
--
--   CREATE TABLE answers (LIKE sipas.answers_template INCLUDING ALL);
--   CREATE TEMP TABLE stg (LIKE sipas.staging_template INCLUDING ALL);
--   \copy stg (period, unit, respondent, item, score, weight) FROM 'answers.csv' CSV HEADER
--   SELECT sipas.load_answers('stg', 'answers');          -- rows loaded, or one ERROR
--
-- doc/indicators.md, "Loading survey data", documents the rules.  The
-- functions use dynamic SQL only with regclass arguments formatted by %s
-- (quoted, schema-qualified names) and values passed with USING.
-- ---------------------------------------------------------------------------

CREATE TABLE sipas.answers_template (
	period		integer NOT NULL,
	unit		text NOT NULL,
	respondent	text NOT NULL,
	item		text NOT NULL,
	score		smallint CHECK (score BETWEEN 1 AND 10),
	weight		double precision NOT NULL DEFAULT 1 CHECK (weight >= 0 AND weight < 'Infinity'),
	PRIMARY KEY (period, unit, respondent, item)
);
-- empty layout tables: anyone may copy them with LIKE (which needs SELECT)
GRANT SELECT ON sipas.answers_template TO PUBLIC;
COMMENT ON TABLE sipas.answers_template IS
	'layout of an answers table, one row per answer; copy it: CREATE TABLE answers (LIKE sipas.answers_template INCLUDING ALL)';
COMMENT ON COLUMN sipas.answers_template.period IS 'survey period, usually the year';
COMMENT ON COLUMN sipas.answers_template.unit IS 'agency (unit) the respondent rated';
COMMENT ON COLUMN sipas.answers_template.respondent IS 'respondent (form) identifier, unique inside period and unit';
COMMENT ON COLUMN sipas.answers_template.item IS 'item code of the questionnaire (sipas.node.code)';
COMMENT ON COLUMN sipas.answers_template.score IS 'answer level 1..k of the item''s scale; NULL = no answer';
COMMENT ON COLUMN sipas.answers_template.weight IS 'survey weight, finite and not negative; 1 when unweighted';

CREATE TABLE sipas.staging_template (
	period		text,
	unit		text,
	respondent	text,
	item		text,
	score		text,
	weight		text,
	line		bigint GENERATED ALWAYS AS IDENTITY (START WITH 2)
);
GRANT SELECT ON sipas.staging_template TO PUBLIC;
COMMENT ON TABLE sipas.staging_template IS
	'layout of a staging table for one CSV file: CREATE TEMP TABLE stg (LIKE sipas.staging_template INCLUDING ALL)';
COMMENT ON COLUMN sipas.staging_template.line IS
	'line of the CSV file: numbered from 2, the line after the header, in COPY order';

-- Errors for arguments the loader cannot work with: a NULL or incomplete staging
-- table, an unknown questionnaire, a target without the answers columns.
CREATE FUNCTION sipas.check_loader_args(staging regclass, questionnaire text, target regclass)
	RETURNS void
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	missing text;
BEGIN
	IF staging IS NULL THEN
		RAISE EXCEPTION 'staging table is NULL'
			USING ERRCODE = '22023',
				  DETAIL = 'Pass the table the CSV file was copied into, e.g. ''stg''.';
	END IF;
	IF questionnaire IS NULL OR NOT EXISTS (SELECT 1 FROM sipas.questionnaire q WHERE q.code = questionnaire) THEN
		RAISE EXCEPTION 'unknown questionnaire "%"', questionnaire
			USING ERRCODE = '22023',
				  DETAIL = format('Known questionnaires: %s.',
								  (SELECT string_agg(q.code, ', ' ORDER BY q.code) FROM sipas.questionnaire q));
	END IF;
	SELECT string_agg(c, ', ' ORDER BY o) INTO missing
	FROM unnest(ARRAY['period', 'unit', 'respondent', 'item', 'score', 'weight', 'line']) WITH ORDINALITY AS u(c, o)
	WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a
					  WHERE a.attrelid = staging AND a.attname = u.c AND a.attnum > 0 AND NOT a.attisdropped);
	IF missing IS NOT NULL THEN
		RAISE EXCEPTION 'staging table % has no column %', staging, missing
			USING ERRCODE = '42703',
				  HINT = format('Create it with CREATE TEMP TABLE %s (LIKE sipas.staging_template INCLUDING ALL).', staging);
	END IF;
	IF target IS NULL THEN
		RETURN;
	END IF;
	SELECT string_agg(c, ', ' ORDER BY o) INTO missing
	FROM unnest(ARRAY['period', 'unit', 'respondent', 'item', 'score', 'weight']) WITH ORDINALITY AS u(c, o)
	WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a
					  WHERE a.attrelid = target AND a.attname = u.c AND a.attnum > 0 AND NOT a.attisdropped);
	IF missing IS NOT NULL THEN
		RAISE EXCEPTION 'target table % has no column %', target, missing
			USING ERRCODE = '42703',
				  HINT = 'An answers table has the columns of sipas.answers_template: CREATE TABLE answers (LIKE sipas.answers_template INCLUDING ALL).';
	END IF;
END
$$;
COMMENT ON FUNCTION sipas.check_loader_args(regclass, text, regclass) IS
	'support: error unless the staging table, questionnaire and target (if not NULL) can be loaded';

-- The staging rows as the loader reads them: text trimmed of spaces, tabs, CR,
-- LF (and, in a UTF8 database, no-break spaces and a byte-order mark), blanks
-- as NULL, unit / respondent / item in Unicode NFC (UTF8 databases), and the
-- parsed values, NULL where a value does not parse.
CREATE FUNCTION sipas.read_staging(staging regclass, questionnaire text DEFAULT '2023',
		OUT line bigint, OUT period text, OUT unit text, OUT respondent text, OUT item text,
		OUT score text, OUT weight text,
		OUT period_value integer, OUT score_value integer, OUT weight_value double precision,
		OUT scale integer)
	RETURNS SETOF record
	LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	utf8 boolean := getdatabaseencoding() = 'UTF8';
	trim_chars text := E' \t\r\n';
	norm text := '%s';
BEGIN
	PERFORM sipas.check_loader_args(staging, questionnaire, NULL);
	IF utf8 THEN
		trim_chars := trim_chars || chr(160) || chr(65279);
		norm := 'normalize(%s, NFC)';
	END IF;
	-- OFFSET 0 keeps f a subquery, so each field is trimmed (and normalized) once per row
	RETURN QUERY EXECUTE format($q$
		SELECT f.line, f.period, f.unit, f.respondent, f.item, f.score, f.weight,
			   CASE WHEN f.period ~ '^[+-]?[0-9]{1,9}$' THEN f.period::integer END,
			   CASE WHEN f.score ~ '^[+-]?[0-9]{1,9}$' THEN f.score::integer END,
			   -- at most 20 digits before and after the point and a 2-digit exponent:
			   -- always inside float8's range, so the cast cannot fail
			   CASE WHEN f.weight IS NULL THEN 1::float8
					WHEN f.weight ~ '^[+]?([0-9]{1,20}([.][0-9]{0,20})?|[.][0-9]{1,20})([eE][+-]?[0-9]{1,2})?$'
					THEN f.weight::float8
			   END,
			   n.scale
		FROM (SELECT s.line::bigint AS line,
					 nullif(btrim(s.period::text, $2), '') AS period,
					 nullif(%2$s, '') AS unit,
					 nullif(%3$s, '') AS respondent,
					 nullif(%4$s, '') AS item,
					 nullif(btrim(s.score::text, $2), '') AS score,
					 nullif(btrim(s.weight::text, $2), '') AS weight
			  FROM %1$s AS s
			  OFFSET 0) AS f
		LEFT JOIN sipas.node n ON n.questionnaire = $1 AND n.kind = 'item' AND n.code = f.item
		$q$, staging,
		format(norm, 'btrim(s.unit::text, $2)'),
		format(norm, 'btrim(s.respondent::text, $2)'),
		format(norm, 'btrim(s.item::text, $2)'))
		USING questionnaire, trim_chars;
END
$$;
COMMENT ON FUNCTION sipas.read_staging(regclass, text) IS
	'staging rows as the loader reads them: trimmed text, parsed period, score and weight, and the item''s scale';

CREATE FUNCTION sipas.check_answers(staging regclass, questionnaire text DEFAULT '2023',
		target regclass DEFAULT NULL)
	RETURNS TABLE (line bigint, problem text)
	LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	in_target text := 'SELECT NULL::bigint AS line WHERE false';
BEGIN
	PERFORM sipas.check_loader_args(staging, questionnaire, target);
	IF target IS NOT NULL THEN
		in_target := format(
			'SELECT DISTINCT p.line FROM p JOIN %s AS t ON t.period = p.period_value AND t.unit = p.unit'
			' AND t.respondent = p.respondent AND t.item = p.item', target);
	END IF;
	RETURN QUERY EXECUTE format($q$
		WITH p AS (SELECT * FROM sipas.read_staging($1, $2)),
		d AS (
			SELECT p.*,
				   CASE WHEN p.period_value IS NOT NULL AND p.unit IS NOT NULL
							 AND p.respondent IS NOT NULL AND p.item IS NOT NULL
						THEN first_value(p.line) OVER (PARTITION BY p.period_value, p.unit, p.respondent, p.item
													   ORDER BY p.line) END AS first_line
			FROM p
		),
		t AS (%s)
		SELECT y.line, x.problem
		FROM (SELECT d.line, array_remove(ARRAY[
				CASE WHEN d.period IS NULL THEN 'period is missing'
					 WHEN d.period_value IS NULL THEN format('period "%%s" is not an integer', left(d.period, 40)) END,
				CASE WHEN d.unit IS NULL THEN 'unit is missing' END,
				CASE WHEN d.respondent IS NULL THEN 'respondent is missing' END,
				CASE WHEN d.item IS NULL THEN 'item is missing'
					 WHEN d.scale IS NULL
					 THEN format('item "%%s" is not an item of questionnaire %%s', left(d.item, 40), $2) END,
				CASE WHEN d.score IS NOT NULL AND d.score_value IS NULL
					 THEN format('score "%%s" is not an integer', left(d.score, 40))
					 WHEN d.score_value NOT BETWEEN 1 AND d.scale
					 THEN format('score %%s is outside 1..%%s, the scale of item %%s', d.score_value, d.scale, d.item) END,
				CASE WHEN d.weight_value IS NOT NULL THEN NULL
					 WHEN d.weight ~ '^-([0-9]|[.][0-9])'
					 THEN format('weight %%s is negative', left(d.weight, 40))
					 WHEN d.weight ~ '^[0-9]*,[0-9]+$'
					 THEN format('weight "%%s" is not a number: write decimals with a point (%%s)',
								 d.weight, replace(d.weight, ',', '.'))
					 ELSE format('weight "%%s" is not a finite number of 0 or more', left(d.weight, 40)) END,
				CASE WHEN d.first_line <> d.line
					 THEN format('duplicate of line %%s (period %%s, unit "%%s", respondent "%%s", item "%%s")',
								 d.first_line, d.period_value, d.unit, d.respondent, d.item) END,
				CASE WHEN t.line IS NOT NULL AND d.first_line = d.line
					 THEN format('already in %%s (period %%s, unit "%%s", respondent "%%s", item "%%s")',
								 $3, d.period_value, d.unit, d.respondent, d.item) END
			  ], NULL) AS problems
			  FROM d LEFT JOIN t ON t.line = d.line) AS y,
			 unnest(y.problems) WITH ORDINALITY AS x(problem, k)
		ORDER BY y.line, x.k
		$q$, in_target)
		USING staging, questionnaire, target::text;
END
$$;
COMMENT ON FUNCTION sipas.check_answers(regclass, text, regclass) IS
	'every problem of a staging table (one row per problem, by line); with target, also rows already in it';

CREATE FUNCTION sipas.load_answers(staging regclass, target regclass, questionnaire text DEFAULT '2023')
	RETURNS bigint
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	max_listed constant integer := 100;
	problems bigint;
	not_duplicates bigint;
	bad_rows bigint;
	total_rows bigint;
	listed text;
	loaded bigint;
BEGIN
	IF target IS NULL THEN
		RAISE EXCEPTION 'target table is NULL'
			USING ERRCODE = '22023',
				  DETAIL = 'Pass the answers table to load into, e.g. ''answers''.';
	END IF;
	PERFORM sipas.check_loader_args(staging, questionnaire, target);

	SELECT count(*),
		   count(*) FILTER (WHERE c.problem NOT LIKE 'duplicate of line %' AND c.problem NOT LIKE 'already in %'),
		   count(DISTINCT c.line),
		   string_agg(format('line %s: %s', c.line, c.problem), E'\n' ORDER BY c.n) FILTER (WHERE c.n <= max_listed)
	INTO problems, not_duplicates, bad_rows, listed
	FROM sipas.check_answers(staging, questionnaire, target) WITH ORDINALITY AS c(line, problem, n);

	IF problems > 0 THEN
		EXECUTE format('SELECT count(*) FROM %s', staging) INTO total_rows;
		IF problems > max_listed THEN
			listed := listed || format(E'\n... and %s more problems', problems - max_listed);
		END IF;
		RAISE EXCEPTION '% of % rows of % are invalid: nothing was loaded into %', bad_rows, total_rows, staging, target
			USING ERRCODE = CASE WHEN not_duplicates = 0 THEN '23505' ELSE '22023' END,
				  DETAIL = listed,
				  HINT = format('sipas.check_answers(%L, %L, %L) lists every problem. Correct the file, empty the staging table with TRUNCATE %s RESTART IDENTITY and copy it again.',
								staging, questionnaire, target, staging);
	END IF;

	EXECUTE format($q$
		INSERT INTO %s (period, unit, respondent, item, score, weight)
		SELECT r.period_value, r.unit, r.respondent, r.item, r.score_value, r.weight_value
		FROM sipas.read_staging($1, $2) r
		ORDER BY r.line
		$q$, target)
		USING staging, questionnaire;
	GET DIAGNOSTICS loaded = ROW_COUNT;
	RETURN loaded;
END
$$;
COMMENT ON FUNCTION sipas.load_answers(regclass, regclass, text) IS
	'validate a staging table against the questionnaire and insert all its rows into target, or none (one ERROR listing every bad line)';
