
-- ---------------------------------------------------------------------------
-- Wide files (issue 12): one row per form, one column per item named by its
-- code, answers as level numbers or labels.  doc/indicators.md, "Wide files",
-- documents the rules.
--
--   \lo_import 'forms.csv'
--   SELECT sipas.load_wide(convert_from(lo_get(:LASTOID), 'UTF8'), 'answers');
--   \lo_unlink :LASTOID
--
-- The whole file is one text value: sipas parses the CSV itself (quotes, commas
-- and line breaks inside quotes, CRLF or LF, a byte-order mark), so columns are
-- found by their header name and never by position.  All rows or none: every
-- problem of the file is reported in one ERROR, by CSV line and column name.
-- ---------------------------------------------------------------------------

-- Label sets: which answer text means which level.  A set applies to a scale
-- size, optionally to one questionnaire and/or one item; the most specific set
-- that exists for an item is the one used (questionnaire and item, then item,
-- then questionnaire, then the built-in set of the scale).
CREATE TABLE sipas.answer_label (
	questionnaire text REFERENCES sipas.questionnaire (code) ON UPDATE CASCADE ON DELETE CASCADE,
	item		text,
	scale		integer NOT NULL CHECK (scale BETWEEN 2 AND 10),
	level		integer NOT NULL,
	label		text NOT NULL CHECK (label ~ '\S' AND length(label) <= 200),
	builtin		boolean NOT NULL DEFAULT false,
	CHECK (level BETWEEN 1 AND scale),
	-- an item code follows the rule of codes (sipas_internal.code_problem, 42_variants.sql)
	CONSTRAINT answer_label_item_code CHECK (item IS NULL OR sipas_internal.code_problem(item) IS NULL)
);
COMMENT ON TABLE sipas.answer_label IS
	'answer labels of the wide loader: label -> level of a scale, for every item (questionnaire and item NULL), a questionnaire or one item';
COMMENT ON COLUMN sipas.answer_label.questionnaire IS 'questionnaire the label set belongs to; NULL = any';
COMMENT ON COLUMN sipas.answer_label.item IS 'item code the label set belongs to (matched in Unicode NFC); NULL = every item of the scale';
COMMENT ON COLUMN sipas.answer_label.label IS 'answer text; matched ignoring case, surrounding and repeated spaces and Unicode form (NFC/NFD)';
SELECT pg_catalog.pg_extension_config_dump('sipas.answer_label', 'WHERE NOT builtin');

-- Built-in sets.  The 5-level wording is the satisfaction scale of the SIPAS
-- forms; the 4-, 3- and 2-level wordings are sipas's generic ones (the official
-- forms word these questions one by one): add your own sets as rows.
INSERT INTO sipas.answer_label (scale, level, label, builtin) VALUES
 (5, 1, 'Rất không hài lòng', true), (5, 2, 'Không hài lòng', true), (5, 3, 'Bình thường', true),
 (5, 4, 'Hài lòng', true), (5, 5, 'Rất hài lòng', true),
 (4, 1, 'Không', true), (4, 2, 'Ít', true), (4, 3, 'Khá', true), (4, 4, 'Rất', true),
 (3, 1, 'Không', true), (3, 2, 'Một vài', true), (3, 3, 'Nhiều', true),
 (2, 1, 'Không', true), (2, 2, 'Có', true);

CREATE TRIGGER builtin_rows_guard BEFORE INSERT OR UPDATE OR DELETE ON sipas.answer_label
	FOR EACH ROW EXECUTE FUNCTION sipas_internal.catalogue_builtin_guard();
CREATE TRIGGER builtin_rows_truncate BEFORE TRUNCATE ON sipas.answer_label
	FOR EACH STATEMENT EXECUTE FUNCTION sipas_internal.catalogue_builtin_guard();

-- A cell as the wide loader reads it: trimmed of spaces, tabs, CR, LF, no-break
-- spaces and a byte-order mark, in Unicode NFC; NULL when blank.  UTF8 only.
CREATE FUNCTION sipas_internal.cell_text(t text) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN NULLIF(normalize(
		pg_catalog.btrim(t, E' \t\r\n' OPERATOR(pg_catalog.||) pg_catalog.chr(160) OPERATOR(pg_catalog.||) pg_catalog.chr(65279)),
		NFC), '');
COMMENT ON FUNCTION sipas_internal.cell_text(text) IS
	'support: a CSV cell trimmed (spaces, tabs, line breaks, no-break spaces, BOM) and in NFC; NULL when blank';

-- The key labels and header names are matched on: cell_text, lower case, runs
-- of white space as one space.
CREATE FUNCTION sipas_internal.label_key(t text) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN pg_catalog.lower(pg_catalog.regexp_replace(sipas_internal.cell_text(t), '\s+', ' ', 'g'));
COMMENT ON FUNCTION sipas_internal.label_key(text) IS
	'support: matching key of a label or header name: trimmed, NFC, lower case, single spaces';

-- The cells of a CSV text (RFC 4180: fields separated by commas, records by CRLF,
-- LF or CR, fields in double quotes may hold commas, quotes written "" and line
-- breaks).  record counts records from 1 (the header); line is the line of the
-- file the record starts on; value is unquoted; malformed marks a field that
-- starts with a quote but is not one quoted field.  Every character of the text
-- belongs to exactly one match of the pattern, so nothing can be skipped.
CREATE FUNCTION sipas_internal.csv_cells(csv text,
		OUT record bigint, OUT line bigint, OUT field integer, OUT value text, OUT malformed boolean)
	RETURNS SETOF record
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	WITH m AS (
		SELECT t.o, t.m[1] AS f, t.m[2] AS term
		FROM pg_catalog.regexp_matches(csv, '("(?:[^"]|"")*"|[^,\r\n]*)(,|\r\n|\n|\r|$)', 'g')
			 WITH ORDINALITY AS t(m, o)),
	k AS (
		SELECT m.o, m.f, m.term,
			   pg_catalog.count(*) FILTER (WHERE m.term OPERATOR(pg_catalog.=) '')
				   OVER (ORDER BY m.o ROWS UNBOUNDED PRECEDING) AS ends,
			   COALESCE(pg_catalog.sum(CASE WHEN m.term OPERATOR(pg_catalog.<>) ',' AND m.term OPERATOR(pg_catalog.<>) '' THEN 1 ELSE 0 END)
				   OVER (ORDER BY m.o ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS rec0,
			   COALESCE(pg_catalog.sum(pg_catalog.regexp_count(m.f OPERATOR(pg_catalog.||) m.term, '\r\n|\r|\n'))
				   OVER (ORDER BY m.o ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS breaks
		FROM m),
	c AS (
		-- the regex also matches the empty string at the end of the text once more
		-- after a last field: only the first match ending the text is a field
		SELECT k.*, pg_catalog.row_number() OVER (PARTITION BY k.rec0 ORDER BY k.o) AS fld,
			   pg_catalog.min(k.breaks) OVER (PARTITION BY k.rec0) AS first_break
		FROM k
		WHERE k.term OPERATOR(pg_catalog.<>) '' OR k.ends OPERATOR(pg_catalog.=) 1)
	SELECT (c.rec0 OPERATOR(pg_catalog.+) 1)::pg_catalog.int8,
		   (c.first_break OPERATOR(pg_catalog.+) 1)::pg_catalog.int8,
		   c.fld::pg_catalog.int4,
		   CASE WHEN c.f OPERATOR(pg_catalog.~) '^"(?:[^"]|"")*"$'
				THEN pg_catalog.replace(pg_catalog.substr(c.f, 2, pg_catalog.length(c.f) OPERATOR(pg_catalog.-) 2), '""', '"')
				ELSE c.f END,
		   pg_catalog.left(c.f, 1) OPERATOR(pg_catalog.=) '"' AND c.f OPERATOR(pg_catalog.!~) '^"(?:[^"]|"")*"$'
	FROM c
	ORDER BY c.o;
END;
COMMENT ON FUNCTION sipas_internal.csv_cells(text) IS
	'the cells of a CSV text: record (1 = header), line it starts on, field number, unquoted value, malformed quoting';

-- Every cell and every problem of a wide file: rows with kind NULL are answers
-- (one per form and item column, score NULL for a blank cell), the others are
-- problems of the kinds: csv, column, fields, period, unit, respondent, weight,
-- duplicate, label, score.  Column-level problems carry line 1 (the header).
CREATE FUNCTION sipas_internal.wide_cells(csv text, questionnaire text, options jsonb,
		OUT line bigint, OUT col integer, OUT column_name text, OUT kind text, OUT problem text,
		OUT period integer, OUT unit text, OUT respondent text, OUT weight double precision,
		OUT questionnaire_used text, OUT item text, OUT score integer, OUT extra jsonb)
	RETURNS SETOF record
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	opt jsonb := COALESCE(options, '{}');
	head text;
	names text[];
	keys text[];
	ncols integer;
	roles constant text[] := ARRAY['period', 'unit', 'respondent', 'weight'];
	defaults constant jsonb := '{
		"period": ["period", "year", "năm", "kỳ", "năm khảo sát", "kỳ khảo sát", "kỳ đánh giá"],
		"unit": ["unit", "agency", "đơn vị", "cơ quan", "cơ quan, đơn vị", "đơn vị được đánh giá", "tên đơn vị"],
		"respondent": ["respondent", "form", "form id", "id", "phiếu", "mã phiếu", "số phiếu", "người trả lời", "mã người trả lời"],
		"weight": ["weight", "trọng số", "quyền số"]}';
	role_col integer[] := ARRAY[NULL, NULL, NULL, NULL]::integer[];
	wanted text[];
	hits integer[];
	col_kind text[];
	item_cols integer[] := '{}';
	item_codes text[] := '{}';
	extra_cols integer[] := '{}';
	extra_names text[] := '{}';
	fixed_period integer;
	blank_one boolean := false;
	extra_mode text := 'ignore';
	k text;
	j integer;
	first_j integer;
BEGIN
	IF getdatabaseencoding() <> 'UTF8' THEN
		RAISE EXCEPTION 'the wide loader needs a UTF8 database, not %', getdatabaseencoding()
			USING ERRCODE = '22023',
				  HINT = 'Convert the file to long rows and use sipas.load_answers, or create the database with ENCODING ''UTF8''.';
	END IF;
	IF jsonb_typeof(opt) <> 'object' THEN
		RAISE EXCEPTION 'options % are not a JSON object', opt USING ERRCODE = '22023',
			DETAIL = 'Pass e.g. ''{"columns": {"unit": "Cơ quan"}, "blank_weight": 1, "extra": "keep"}''.';
	END IF;
	FOR k IN SELECT jsonb_object_keys(opt) LOOP
		IF k NOT IN ('columns', 'period', 'blank_weight', 'extra') THEN
			RAISE EXCEPTION 'unknown option "%"', k USING ERRCODE = '22023',
				DETAIL = 'Options: columns, period, blank_weight, extra.';
		END IF;
	END LOOP;
	IF opt ? 'period' THEN
		IF jsonb_typeof(opt->'period') <> 'number' OR (opt->>'period') !~ '^[0-9]{1,9}$' THEN
			RAISE EXCEPTION 'option period % is not a whole number', opt->'period' USING ERRCODE = '22023',
				DETAIL = 'Give the period of a file without a period column as a number, e.g. {"period": 2024}.';
		END IF;
		fixed_period := (opt->>'period')::integer;
	END IF;
	blank_one := sipas_internal.blank_weight_option(opt);	-- the same option as the long loader's
	IF opt ? 'extra' THEN
		extra_mode := opt->>'extra';
		IF extra_mode IS NULL OR extra_mode NOT IN ('ignore', 'keep', 'error') THEN
			RAISE EXCEPTION 'option extra % is not "ignore", "keep" or "error"', opt->'extra' USING ERRCODE = '22023',
				DETAIL = 'Columns that are neither items nor period, unit, respondent or weight are ignored, kept (column extra) or an error.';
		END IF;
	END IF;
	IF opt ? 'columns' AND (jsonb_typeof(opt->'columns') <> 'object'
			OR EXISTS (SELECT 1 FROM jsonb_each(opt->'columns') e
					   WHERE e.key <> ALL (roles) OR jsonb_typeof(e.value) NOT IN ('string', 'array'))) THEN
		RAISE EXCEPTION 'option columns % is not an object of header names', opt->'columns' USING ERRCODE = '22023',
			DETAIL = 'Name the columns by role, e.g. {"columns": {"period": "Năm", "unit": ["Cơ quan", "Đơn vị"], "respondent": "Mã phiếu", "weight": "Trọng số"}}.';
	END IF;

	-- the header: the first record of the file
	head := substring(csv FROM '^(?:"(?:[^"]|"")*"|[^,\r\n]*)(?:,(?:"(?:[^"]|"")*"|[^,\r\n]*))*');
	SELECT array_agg(sipas_internal.cell_text(c.value) ORDER BY c.field), array_agg(sipas_internal.label_key(c.value) ORDER BY c.field)
	INTO names, keys
	FROM sipas_internal.csv_cells(COALESCE(head, '')) c;
	ncols := COALESCE(array_length(names, 1), 0);
	IF ncols = 0 OR (ncols = 1 AND names[1] IS NULL) THEN
		RAISE EXCEPTION 'the file has no header line' USING ERRCODE = '22023',
			DETAIL = 'The first line of a wide file names its columns: period, unit, respondent, weight and one column per item code.';
	END IF;
	col_kind := array_fill(NULL::text, ARRAY[ncols]);

	-- period, unit, respondent and weight columns, found by name
	FOR r IN 1 .. 4 LOOP
		IF opt->'columns' ? roles[r] THEN
			SELECT array_agg(sipas_internal.label_key(x)) INTO wanted
			FROM jsonb_array_elements_text(CASE jsonb_typeof(opt->'columns'->roles[r])
											WHEN 'array' THEN opt->'columns'->roles[r]
											ELSE jsonb_build_array(opt->'columns'->roles[r]) END) x;
		ELSE
			SELECT array_agg(x) INTO wanted FROM jsonb_array_elements_text(defaults->roles[r]) x;
		END IF;
		SELECT array_agg(o::integer ORDER BY o) INTO hits
		FROM unnest(keys) WITH ORDINALITY u(key, o) WHERE u.key = ANY (wanted);
		IF array_length(hits, 1) > 1 THEN
			line := 1; col := hits[2]; column_name := names[hits[2]]; kind := 'column';
			problem := format('columns %s all look like the %s column; say which with {"columns": {"%s": "..."}}',
							  (SELECT string_agg(format('"%s"', names[h]), ', ') FROM unnest(hits) h), roles[r], roles[r]);
			RETURN NEXT;
		END IF;
		IF hits IS NOT NULL THEN
			role_col[r] := hits[1];
			FOREACH j IN ARRAY hits LOOP
				col_kind[j] := roles[r];
			END LOOP;
		ELSIF opt->'columns' ? roles[r] THEN
			line := 1; col := NULL; column_name := NULL; kind := 'column';
			problem := format('no column named %s (option columns.%s)',
							  (SELECT string_agg(format('"%s"', x), ' or ') FROM jsonb_array_elements_text(
								  CASE jsonb_typeof(opt->'columns'->roles[r]) WHEN 'array' THEN opt->'columns'->roles[r]
									   ELSE jsonb_build_array(opt->'columns'->roles[r]) END) x), roles[r]);
			RETURN NEXT;
		ELSIF roles[r] IN ('unit', 'period') AND NOT (roles[r] = 'period' AND fixed_period IS NOT NULL) THEN
			line := 1; col := NULL; column_name := NULL; kind := 'column';
			problem := format('no %s column (looked for %s); name it with {"columns": {"%s": "..."}}%s',
							  roles[r], (SELECT string_agg(format('"%s"', x), ', ') FROM jsonb_array_elements_text(defaults->roles[r]) x),
							  roles[r], CASE WHEN roles[r] = 'period' THEN ' or give the period with {"period": 2024}' ELSE '' END);
			RETURN NEXT;
		END IF;
	END LOOP;
	IF role_col[1] IS NOT NULL AND fixed_period IS NOT NULL THEN
		line := 1; col := role_col[1]; column_name := names[role_col[1]]; kind := 'column';
		problem := 'the file has a period column and the period option: keep one';
		RETURN NEXT;
	END IF;

	-- item columns: a code that is an item somewhere, or looks like a code
	FOR j IN 1 .. ncols LOOP
		CONTINUE WHEN col_kind[j] IS NOT NULL;
		IF names[j] IS NULL THEN
			col_kind[j] := 'extra';		-- a column without a name: never an item
		ELSIF EXISTS (SELECT 1 FROM sipas.node n WHERE n.code = names[j])
			  OR EXISTS (SELECT 1 FROM sipas.node n WHERE upper(regexp_replace(n.code, '\s', '', 'g'))
															= upper(regexp_replace(names[j], '\s', '', 'g')))
			  -- looks like a code: letters (any non-ASCII character counts as one, so
			  -- "Câu.9" is a code too), digits, dot-separated parts
			  OR names[j] ~ '^([A-Za-z]|[^\x01-\x7f]){1,5}[0-9]{0,3}([.]([A-Za-z0-9]|[^\x01-\x7f]){1,5})+$' THEN
			first_j := array_position(item_codes, names[j]);
			IF first_j IS NOT NULL THEN
				line := 1; col := j; column_name := names[j]; kind := 'column';
				problem := format('column "%s" appears twice (columns %s and %s)', names[j], item_cols[first_j], j);
				RETURN NEXT;
				col_kind[j] := 'duplicate';
			ELSE
				col_kind[j] := 'item';
				item_cols := item_cols || j;
				item_codes := item_codes || names[j];
			END IF;
		ELSE
			col_kind[j] := 'extra';
			extra_cols := extra_cols || j;
			extra_names := extra_names || names[j];
			IF extra_mode = 'error' THEN
				line := 1; col := j; column_name := names[j]; kind := 'column';
				problem := format('column "%s" is not an item, period, unit, respondent or weight column', names[j]);
				RETURN NEXT;
			END IF;
		END IF;
	END LOOP;
	IF array_length(item_cols, 1) IS NULL THEN
		line := 1; col := NULL; column_name := NULL; kind := 'column';
		problem := 'no item column: name each answer column by its item code, e.g. "I.D.1"';
		RETURN NEXT;
	END IF;
	line := NULL; col := NULL; column_name := NULL; kind := NULL; problem := NULL;

	RETURN QUERY
	WITH recs AS MATERIALIZED (
		SELECT c.record, min(c.line) AS line, array_agg(c.value ORDER BY c.field) AS vals,
			   min(c.field) FILTER (WHERE c.malformed) AS bad_field, count(*) AS nf
		FROM sipas_internal.csv_cells(csv) c
		WHERE c.record > 1
		GROUP BY c.record
		-- a blank line is no form
		HAVING NOT (count(*) = 1 AND sipas_internal.cell_text(min(c.value)) IS NULL)),
	f AS (
		SELECT r.*,
			   CASE WHEN role_col[1] IS NULL THEN fixed_period::text ELSE sipas_internal.cell_text(r.vals[role_col[1]]) END AS period_t,
			   sipas_internal.cell_text(r.vals[role_col[2]]) AS unit_v,
			   CASE WHEN role_col[3] IS NULL THEN r.line::text ELSE sipas_internal.cell_text(r.vals[role_col[3]]) END AS resp_v,
			   sipas_internal.cell_text(r.vals[role_col[4]]) AS weight_t
		FROM recs r),
	g AS MATERIALIZED (
		SELECT f.*,
			   CASE WHEN f.period_t ~ '^[+-]?[0-9]{1,9}$' THEN f.period_t::integer END AS period_v,
			   CASE WHEN role_col[4] IS NULL OR (f.weight_t IS NULL AND blank_one) THEN 1::float8
					WHEN f.weight_t ~ '^[+]?([0-9]{1,20}([.][0-9]{0,20})?|[.][0-9]{1,20})([eE][+-]?[0-9]{1,2})?$'
					THEN f.weight_t::float8 END AS weight_v
		FROM f),
	qp AS (
		SELECT d.p, COALESCE(wide_cells.questionnaire, sipas.questionnaire_for_period(d.p)) AS q
		FROM (SELECT DISTINCT g.period_v AS p FROM g WHERE g.period_v IS NOT NULL) d),
	h AS MATERIALIZED (
		SELECT g.*, qp.q,
			   CASE WHEN g.period_v IS NOT NULL AND g.unit_v IS NOT NULL AND g.resp_v IS NOT NULL
					THEN first_value(g.line) OVER (PARTITION BY g.period_v, g.unit_v, g.resp_v ORDER BY g.line) END AS first_line,
			   CASE WHEN extra_mode = 'keep'
					THEN (SELECT jsonb_object_agg(e.name, sipas_internal.cell_text(g.vals[e.c]))
						  FROM unnest(extra_cols, extra_names) e(c, name) WHERE e.name IS NOT NULL) END AS extra_v
		FROM g LEFT JOIN qp ON qp.p = g.period_v),
	-- each item column against each questionnaire the file's rows use, with the
	-- label set that applies (the most specific one of the item's scale)
	cq AS MATERIALIZED (
		SELECT ic.c, ic.code, qs.q, n.scale, ls.tier, ls.map, ls.accepted
		FROM unnest(item_cols, item_codes) ic(c, code)
		CROSS JOIN (SELECT DISTINCT h.q FROM h WHERE h.q IS NOT NULL) qs
		LEFT JOIN sipas.node n ON n.questionnaire = qs.q AND n.kind = 'item' AND n.code = ic.code
		LEFT JOIN LATERAL (
			SELECT t.tier, jsonb_object_agg(t.key, t.level) AS map,
				   string_agg(format('"%s" (%s)', t.label, t.level), ', ' ORDER BY t.level, t.label) AS accepted
			FROM (SELECT l.*, sipas_internal.label_key(l.label) AS key,
						 CASE WHEN l.questionnaire IS NOT NULL AND l.item IS NOT NULL THEN 4
							  WHEN l.item IS NOT NULL THEN 3 WHEN l.questionnaire IS NOT NULL THEN 2 ELSE 1 END AS tier,
						 max(CASE WHEN l.questionnaire IS NOT NULL AND l.item IS NOT NULL THEN 4
								  WHEN l.item IS NOT NULL THEN 3 WHEN l.questionnaire IS NOT NULL THEN 2 ELSE 1 END) OVER () AS top
				  FROM sipas.answer_label l
				  WHERE l.scale = n.scale AND (l.questionnaire IS NULL OR l.questionnaire = qs.q)
					AND (l.item IS NULL OR normalize(l.item, NFC) = ic.code)) t
			WHERE t.tier = t.top
			GROUP BY t.tier) ls ON true),
	-- the cells of the item columns, as read (no function call per cell)
	cells AS MATERIALIZED (
		SELECT h.line, cq.c, h.q, COALESCE(h.vals[cq.c], '') AS raw,
			   h.period_v, h.unit_v, h.resp_v, h.weight_v, h.extra_v
		FROM h JOIN cq ON cq.q = h.q
		WHERE cq.scale IS NOT NULL AND h.nf = ncols AND h.bad_field IS NULL),
	-- each distinct cell text is cleaned and parsed once: a file has few of them
	-- (the labels and the level numbers), so this is the loader's cheapest step
	dv AS MATERIALIZED (
		SELECT d.raw, d.v, sipas_internal.level_parse(d.v) AS num, sipas_internal.label_key(d.v) AS key
		FROM (SELECT x.raw, sipas_internal.cell_text(x.raw) AS v FROM (SELECT DISTINCT cells.raw FROM cells) x) d),
	scored AS MATERIALIZED (
		SELECT cells.line, cells.c, cq.code, cells.q, cq.scale, dv.v,
			   cells.period_v, cells.unit_v, cells.resp_v, cells.weight_v, cells.extra_v,
			   CASE WHEN dv.v IS NULL THEN NULL ELSE COALESCE(dv.num, (cq.map->>dv.key)::integer) END AS lv
		FROM cells JOIN dv ON dv.raw = cells.raw JOIN cq ON cq.c = cells.c AND cq.q = cells.q)
	-- problems of the columns against the questionnaires
	SELECT 1::bigint, cq.c, cq.code, 'column'::text,
		   format('column "%s" is not an item of questionnaire %s%s', cq.code, cq.q, sipas_internal.item_code_hint(cq.code, cq.q)),
		   NULL::integer, NULL::text, NULL::text, NULL::float8, cq.q, NULL::text, NULL::integer, NULL::jsonb
	FROM cq WHERE cq.scale IS NULL
	UNION ALL
	-- problems of the forms
	SELECT h.line, x.c, names[x.c], x.kind, x.problem,
		   NULL::integer, NULL::text, NULL::text, NULL::float8, h.q, NULL::text, NULL::integer, NULL::jsonb
	FROM h, LATERAL (VALUES
		(1, NULL::integer, 'fields',
			CASE WHEN h.nf <> ncols THEN format('the line has %s fields, the header %s', h.nf, ncols) END),
		(2, h.bad_field, 'csv',
			CASE WHEN h.bad_field IS NOT NULL THEN 'a field starts with a double quote but is not one quoted field (write a quote inside quotes as "")' END),
		-- (no period or unit column at all is one problem of the header, not one per line)
		(3, role_col[1], 'period',
			CASE WHEN role_col[1] IS NULL AND fixed_period IS NULL THEN NULL
				 WHEN h.period_t IS NULL THEN 'period is missing'
				 WHEN h.period_v IS NULL THEN format('period "%s" is not an integer', left(h.period_t, 40))
				 WHEN h.q IS NULL THEN format('no questionnaire is in force in period %s', h.period_v) END),
		(4, role_col[2], 'unit', CASE WHEN h.unit_v IS NULL AND role_col[2] IS NOT NULL THEN 'unit is missing' END),
		(5, role_col[3], 'respondent', CASE WHEN h.resp_v IS NULL THEN 'respondent is missing' END),
		(6, role_col[4], 'weight',
			CASE WHEN h.weight_v IS NOT NULL THEN NULL
				 WHEN h.weight_t IS NULL
				 THEN 'weight is blank in a file with weights (if blank means 1, say so with {"blank_weight": 1})'
				 WHEN h.weight_t ~ '^-([0-9]|[.][0-9])' THEN format('weight %s is negative', left(h.weight_t, 40))
				 WHEN h.weight_t ~ '^[0-9]*,[0-9]+$'
				 THEN format('weight "%s" is not a number: write decimals with a point (%s)', h.weight_t, replace(h.weight_t, ',', '.'))
				 ELSE format('weight "%s" is not a finite number of 0 or more', left(h.weight_t, 40)) END),
		(7, role_col[3], 'duplicate',
			CASE WHEN h.first_line <> h.line
				 THEN format('duplicate form: line %s has the same period %s, unit "%s" and respondent "%s"',
							 h.first_line, h.period_v, h.unit_v, h.resp_v) END)
		) AS x(k, c, kind, problem)
	WHERE x.problem IS NOT NULL
	UNION ALL
	-- cells: answers and bad answers
	SELECT s.line, s.c, s.code,
		   CASE WHEN s.v IS NULL OR s.lv BETWEEN 1 AND s.scale THEN NULL
				WHEN s.lv IS NOT NULL OR s.v ~ '^[+-]?[0-9]*[.,]?[0-9]+$' THEN 'score' ELSE 'label' END,
		   CASE WHEN s.v IS NULL OR s.lv BETWEEN 1 AND s.scale THEN NULL
				WHEN s.lv IS NOT NULL
				THEN format('score %s is outside 1..%s, the scale of item %s', s.lv, s.scale, s.code)
				WHEN s.v ~ '^[+-]?[0-9]*[.,]?[0-9]+$'
				THEN format('score "%s" is not a level number 1..%s', left(s.v, 40), s.scale)
				ELSE format('unknown label "%s" for item %s; accepted: %s', left(s.v, 60), s.code,
							COALESCE(cq.accepted || format(' or the level numbers 1..%s', s.scale),
									 format('the level numbers 1..%s (no label set for a %s-level scale)', s.scale, s.scale))) END,
		   s.period_v, s.unit_v, s.resp_v, s.weight_v, s.q, s.code, s.lv, s.extra_v
	FROM scored s JOIN cq ON cq.c = s.c AND cq.q = s.q
	ORDER BY 1, 2 NULLS FIRST;
END
$$;
COMMENT ON FUNCTION sipas_internal.wide_cells(text, text, jsonb) IS
	'support: every answer (kind NULL) and every problem of a wide CSV file, by line and column';

-- The answers of a wide file, or one ERROR listing every problem (up to 100 in
-- the DETAIL).  target_name only words the message of load_wide.
CREATE FUNCTION sipas_internal.wide_rows(csv text, questionnaire text, options jsonb, target_name text,
		OUT line bigint, OUT period integer, OUT unit text, OUT respondent text, OUT weight double precision,
		OUT questionnaire_used text, OUT item text, OUT score integer, OUT extra jsonb)
	RETURNS SETOF record
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	max_listed constant integer := 100;
	c record;
	problems bigint := 0;
	not_duplicates bigint := 0;
	lines bigint[] := '{}';
	listed text[] := '{}';
	codes text[] := '{}';
	used text[] := '{}';
	bad_columns boolean := false;
	fits text;
	hint text;
BEGIN
	IF csv IS NULL THEN
		RAISE EXCEPTION 'the file is NULL' USING ERRCODE = '22023',
			HINT = 'In psql: \lo_import ''forms.csv'' then pass convert_from(lo_get(:LASTOID), ''UTF8'').';
	END IF;
	IF questionnaire IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sipas.questionnaire q WHERE q.code = questionnaire) THEN
		RAISE EXCEPTION 'unknown questionnaire "%"', questionnaire USING ERRCODE = '22023',
			DETAIL = format('Known questionnaires: %s.', (SELECT string_agg(q.code, ', ' ORDER BY q.code) FROM sipas.questionnaire q)),
			HINT = 'Leave the questionnaire out (NULL) to use the one of each row''s period.';
	END IF;
	FOR c IN SELECT * FROM sipas_internal.wide_cells(csv, questionnaire, options) LOOP
		IF c.questionnaire_used IS NOT NULL AND NOT c.questionnaire_used = ANY (used) THEN
			used := used || c.questionnaire_used;
		END IF;
		IF c.kind IS NULL THEN
			CONTINUE WHEN problems > 0;		-- the answers will not be returned
			IF NOT c.item = ANY (codes) THEN
				codes := codes || c.item;
			END IF;
			line := c.line; period := c.period; unit := c.unit; respondent := c.respondent;
			weight := c.weight; questionnaire_used := c.questionnaire_used; item := c.item;
			score := c.score; extra := c.extra;
			RETURN NEXT;
			CONTINUE;
		END IF;
		problems := problems + 1;
		IF c.kind <> 'duplicate' THEN
			not_duplicates := not_duplicates + 1;
		END IF;
		IF c.kind = 'column' AND c.questionnaire_used IS NOT NULL THEN
			bad_columns := true;
			IF NOT c.column_name = ANY (codes) THEN
				codes := codes || c.column_name;
			END IF;
		END IF;
		IF NOT c.line = ANY (lines) AND array_length(lines, 1) IS DISTINCT FROM 10000 THEN
			lines := lines || c.line;
		END IF;
		IF problems <= max_listed THEN
			listed := listed || CASE WHEN c.column_name IS NULL THEN format('line %s: %s', c.line, c.problem)
									 ELSE format('line %s, column "%s": %s', c.line, c.column_name, c.problem) END;
		END IF;
	END LOOP;
	IF problems = 0 THEN
		RETURN;
	END IF;
	IF problems > max_listed THEN
		listed := listed || format('... and %s more problems', problems - max_listed);
	END IF;
	hint := format('sipas.check_wide(file%s%s) lists every problem as rows.',
				   ', questionnaire => ' || quote_literal(questionnaire), ', options => ' || quote_literal(options));
	IF bad_columns THEN
		fits := sipas_internal.questionnaire_fitting(codes, used);
		IF fits IS NOT NULL THEN
			hint := format('The item columns fit questionnaire %s better than %s: pass questionnaire => %L. ',
						   fits, array_to_string(used, ', '), fits) || hint;
		END IF;
	END IF;
	RAISE EXCEPTION '% in % of the file: nothing was %',
			CASE WHEN problems = 1 THEN '1 problem' ELSE problems || ' problems' END,
			CASE WHEN array_length(lines, 1) = 10000 THEN 'at least 10000 lines'
				 WHEN array_length(lines, 1) = 1 THEN 'line ' || lines[1]
				 ELSE array_length(lines, 1) || ' lines' END,
			CASE WHEN target_name IS NULL THEN 'read' ELSE 'loaded into ' || target_name END
		USING ERRCODE = CASE WHEN not_duplicates = 0 THEN '23505' ELSE '22023' END,
			  DETAIL = array_to_string(listed, E'\n'),
			  HINT = hint;
END
$$;
COMMENT ON FUNCTION sipas_internal.wide_rows(text, text, jsonb, text) IS
	'support: body of wide_answers and load_wide: the answers of a wide file or one ERROR listing its problems';

CREATE FUNCTION sipas.wide_answers(csv text, questionnaire text DEFAULT NULL, options jsonb DEFAULT NULL,
		OUT line bigint, OUT period integer, OUT unit text, OUT respondent text, OUT weight double precision,
		OUT questionnaire_used text, OUT item text, OUT score integer, OUT extra jsonb)
	RETURNS SETOF record
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT * FROM sipas_internal.wide_rows(csv, questionnaire, options, NULL);
END;
COMMENT ON FUNCTION sipas.wide_answers(text, text, jsonb) IS
	'the answers of a wide CSV file (one row per form, one column per item code) as long rows, or one ERROR listing every problem';

CREATE FUNCTION sipas.check_wide(csv text, questionnaire text DEFAULT NULL, options jsonb DEFAULT NULL)
	RETURNS TABLE (line bigint, column_name text, kind text, problem text)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT c.line, c.column_name, c.kind, c.problem
	FROM sipas_internal.wide_cells(csv, questionnaire, options) c
	WHERE c.kind IS NOT NULL;
END;
COMMENT ON FUNCTION sipas.check_wide(text, text, jsonb) IS
	'every problem of a wide CSV file, one row per problem: CSV line, column name, kind, message';

-- The insert of load_wide and load_wide_forms, all rows or none: rows_sql
-- selects the file's rows (a: answers of wide_rows or forms of wide_form_rows,
-- $1..$4 = csv, questionnaire, options, target_name), key_sql is the condition
-- by which a row of a is already in the target t, columns the target's columns
-- (also those of a); an error lists the forms already there.  Returns the rows
-- inserted.
CREATE FUNCTION sipas_internal.wide_insert(csv text, target regclass, questionnaire text, options jsonb,
		target_name text, rows_sql text, key_sql text, columns text, order_sql text)
	RETURNS bigint
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	n bigint;
	listed text;
	loaded bigint;
BEGIN
	EXECUTE format($q$
		WITH a AS MATERIALIZED (%2$s),
		d AS (
			SELECT count(*) AS n,
				   string_agg(format('line %%s: form already in %%s (period %%s, unit "%%s", respondent "%%s")',
									 x.line, $4, x.period, x.unit, x.respondent), E'\n' ORDER BY x.line)
					   FILTER (WHERE x.k <= 100) AS listed
			FROM (SELECT y.*, row_number() OVER (ORDER BY y.line) AS k
				  FROM (SELECT DISTINCT a.line, a.period, a.unit, a.respondent
						FROM a WHERE EXISTS (SELECT 1 FROM %1$s AS t WHERE %3$s)) y) x),
		ins AS (
			INSERT INTO %1$s (%4$s)
			SELECT %4$s
			FROM a, d WHERE d.n = 0
			ORDER BY %5$s
			RETURNING 1)
		SELECT d.n, d.listed, (SELECT count(*) FROM ins) FROM d
		$q$, target, rows_sql, key_sql, columns, order_sql)
		INTO n, listed, loaded
		USING csv, questionnaire, options, target_name;
	IF n > 0 THEN
		RAISE EXCEPTION '% of the file % already in %: nothing was loaded into %',
				CASE WHEN n = 1 THEN '1 form' ELSE n || ' forms' END, CASE WHEN n = 1 THEN 'is' ELSE 'are' END,
				target_name, target_name
			USING ERRCODE = '23505',
				  DETAIL = listed || CASE WHEN n > 100 THEN format(E'\n... and %s more forms', n - 100) ELSE '' END,
				  HINT = 'The file, or part of it, was loaded before.';
	END IF;
	RETURN loaded;
END
$$;
COMMENT ON FUNCTION sipas_internal.wide_insert(text, regclass, text, jsonb, text, text, text, text, text) IS
	'support: the insert of load_wide and load_wide_forms, all rows or none, with the error listing forms already in the target';

CREATE FUNCTION sipas_internal.wide_load(csv text, target regclass, questionnaire text, options jsonb, target_name text)
	RETURNS bigint
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF target IS NULL THEN
		RAISE EXCEPTION 'target table is NULL' USING ERRCODE = '22023',
			DETAIL = 'Pass the answers table to load into, e.g. ''answers''.';
	END IF;
	PERFORM sipas_internal.loader_check_args('sipas.staging_template', questionnaire, target, NULL, target_name);
	RETURN sipas_internal.wide_insert(csv, target, questionnaire, options, target_name,
		'SELECT * FROM sipas_internal.wide_rows($1, $2, $3, $4)',
		't.period = a.period AND t.unit = a.unit AND t.respondent = a.respondent AND t.item = a.item',
		'period, unit, respondent, item, score, weight', 'a.line, a.item');
END
$$;
COMMENT ON FUNCTION sipas_internal.wide_load(text, regclass, text, jsonb, text) IS
	'support: body of load_wide; the target named as given';

CREATE FUNCTION sipas.load_wide(csv text, target regclass, questionnaire text DEFAULT NULL, options jsonb DEFAULT NULL)
	RETURNS bigint
	LANGUAGE sql VOLATILE PARALLEL UNSAFE
	RETURN sipas_internal.wide_load(csv, target, questionnaire, options, target::pg_catalog.text);
COMMENT ON FUNCTION sipas.load_wide(text, regclass, text, jsonb) IS
	'load a wide CSV file (one row per form, one column per item code; labels or level numbers) into a long answers table, all rows or none';

-- ---------------------------------------------------------------------------
-- Wide files into a forms table (issue 12, requirements 1 and 6): one row per
-- form, the answers as one sipas.form value (form_agg over the file's cells,
-- each item on its scale).  The long answers table and the forms table hold the
-- same data: forms -> answers with sipas.answers(f), answers -> forms with
-- form_agg (doc/indicators.md, "Forms and answers").
-- ---------------------------------------------------------------------------

CREATE TABLE sipas.forms_template (
	period		integer NOT NULL,
	unit		text NOT NULL,
	respondent	text NOT NULL,
	weight		double precision NOT NULL DEFAULT 1 CHECK (weight >= 0 AND weight < 'Infinity'),
	f			sipas.form NOT NULL,
	PRIMARY KEY (period, unit, respondent)
);
GRANT SELECT ON sipas.forms_template TO PUBLIC;
COMMENT ON TABLE sipas.forms_template IS
	'layout of a forms table, one row per form; copy it: CREATE TABLE forms (LIKE sipas.forms_template INCLUDING ALL)';
COMMENT ON COLUMN sipas.forms_template.period IS 'survey period, usually the year';
COMMENT ON COLUMN sipas.forms_template.unit IS 'agency (unit) the respondent rated';
COMMENT ON COLUMN sipas.forms_template.respondent IS 'respondent (form) identifier, unique inside period and unit';
COMMENT ON COLUMN sipas.forms_template.weight IS 'survey weight of the form, finite and not negative; 1 when unweighted';
COMMENT ON COLUMN sipas.forms_template.f IS 'the answers of the form (item code -> level; blanks absent; ''{}'' when every item is blank)';

-- The forms of a wide file (target_name only words the error, as in wide_rows).
CREATE FUNCTION sipas_internal.wide_form_rows(csv text, questionnaire text, options jsonb, target_name text,
		OUT line bigint, OUT period integer, OUT unit text, OUT respondent text, OUT weight double precision,
		OUT questionnaire_used text, OUT f sipas.form, OUT extra jsonb)
	RETURNS SETOF record
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT a.line, a.period, a.unit, a.respondent, a.weight, a.questionnaire_used,
		   COALESCE(sipas.form_agg(a.item, a.score, n.scale), '{}'::sipas.form), a.extra
	FROM sipas_internal.wide_rows(csv, questionnaire, options, target_name) a
	JOIN sipas.node n ON n.questionnaire OPERATOR(pg_catalog.=) a.questionnaire_used
					 AND n.code OPERATOR(pg_catalog.=) a.item AND n.kind OPERATOR(pg_catalog.=) 'item'
	GROUP BY a.line, a.period, a.unit, a.respondent, a.weight, a.questionnaire_used, a.extra
	ORDER BY a.line;
END;
COMMENT ON FUNCTION sipas_internal.wide_form_rows(text, text, jsonb, text) IS
	'support: body of wide_forms and load_wide_forms: one row per form of a wide file, or one ERROR listing its problems';

CREATE FUNCTION sipas.wide_forms(csv text, questionnaire text DEFAULT NULL, options jsonb DEFAULT NULL,
		OUT line bigint, OUT period integer, OUT unit text, OUT respondent text, OUT weight double precision,
		OUT questionnaire_used text, OUT f sipas.form, OUT extra jsonb)
	RETURNS SETOF record
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT * FROM sipas_internal.wide_form_rows(csv, questionnaire, options, NULL);
END;
COMMENT ON FUNCTION sipas.wide_forms(text, text, jsonb) IS
	'the forms of a wide CSV file, one row per form (period, unit, respondent, weight, sipas.form), or one ERROR listing every problem';

CREATE FUNCTION sipas_internal.wide_load_forms(csv text, target regclass, questionnaire text, options jsonb, target_name text)
	RETURNS bigint
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	missing text;
BEGIN
	IF target IS NULL THEN
		RAISE EXCEPTION 'target table is NULL' USING ERRCODE = '22023',
			DETAIL = 'Pass the forms table to load into, e.g. ''forms''.';
	END IF;
	SELECT string_agg(c, ', ' ORDER BY o) INTO missing
	FROM unnest(ARRAY['period', 'unit', 'respondent', 'weight', 'f']) WITH ORDINALITY AS u(c, o)
	WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a
					  WHERE a.attrelid = target AND a.attname = u.c AND a.attnum > 0 AND NOT a.attisdropped);
	IF missing IS NOT NULL THEN
		RAISE EXCEPTION 'target table % has no column %', target_name, missing
			USING ERRCODE = '42703',
				  HINT = 'A forms table has the columns of sipas.forms_template: CREATE TABLE forms (LIKE sipas.forms_template INCLUDING ALL).';
	END IF;
	RETURN sipas_internal.wide_insert(csv, target, questionnaire, options, target_name,
		'SELECT * FROM sipas_internal.wide_form_rows($1, $2, $3, $4)',
		't.period = a.period AND t.unit = a.unit AND t.respondent = a.respondent',
		'period, unit, respondent, weight, f', 'a.line');
END
$$;
COMMENT ON FUNCTION sipas_internal.wide_load_forms(text, regclass, text, jsonb, text) IS
	'support: body of load_wide_forms; the target named as given';

CREATE FUNCTION sipas.load_wide_forms(csv text, target regclass, questionnaire text DEFAULT NULL, options jsonb DEFAULT NULL)
	RETURNS bigint
	LANGUAGE sql VOLATILE PARALLEL UNSAFE
	RETURN sipas_internal.wide_load_forms(csv, target, questionnaire, options, target::pg_catalog.text);
COMMENT ON FUNCTION sipas.load_wide_forms(text, regclass, text, jsonb) IS
	'load a wide CSV file into a forms table (one row per form: period, unit, respondent, weight, sipas.form), all forms or none; returns the number of forms';
