
-- ---------------------------------------------------------------------------
-- Province variants of a questionnaire (issue 12, requirement 5).
--
-- * Codes: 1.1 allowed only 1 to 32 characters of A-Z a-z 0-9 . _ - for every
--   questionnaire and node code.  Now every code -- questionnaire, overall,
--   part, element, group and item alike -- follows one rule, the one the
--   sipas.survey and sipas.form types apply to the bytes they store
--   (sv_code_check in src/core/survey.c, called here as
--   sipas_internal.code_problem): 1 to 32 bytes of well-formed UTF-8 without
--   white space, invisible or control characters, double quotes or
--   backslashes (they would break the text forms and the CSV headers the
--   codes appear in), not starting with "@".  In a UTF8 database the trigger
--   below also wants codes in Unicode NFC, the form the loaders bring headers
--   and cells to before matching them (doc/loader.md).
-- * Catalogue rows explain themselves: a BEFORE trigger checks every row users
--   insert or change and raises an error in words (what is wrong, the rule, the
--   fix) before a constraint could only name itself.  The constraints stay, as
--   the last guard.
-- * sipas.derive_questionnaire: a variant of a questionnaire in one call,
--   stored as ordinary (builtin = false) rows, which pg_dump keeps
--   (pg_extension_config_dump ... 'WHERE NOT builtin', extension/1.1/30_catalogue.sql).
-- ---------------------------------------------------------------------------

-- The rule itself, in C (src/pg/code_rule.c): NULL when the code follows it,
-- else what is wrong, in words.  Byte-wise, so no locale or collation changes it.
CREATE FUNCTION sipas_internal.code_problem(code text) RETURNS text
	AS 'MODULE_PATHNAME', 'sipas_code_problem' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas_internal.code_problem(text) IS
	'support: what breaks the rule of codes (the one sipas.survey and sipas.form apply), in words; NULL when the code follows it';

ALTER TABLE sipas.questionnaire DROP CONSTRAINT questionnaire_code_check;
ALTER TABLE sipas.questionnaire ADD CONSTRAINT questionnaire_code_text
	CHECK (sipas_internal.code_problem(code) IS NULL);
ALTER TABLE sipas.node DROP CONSTRAINT node_code_check;
ALTER TABLE sipas.node ADD CONSTRAINT node_code_text
	CHECK (sipas_internal.code_problem(code) IS NULL);

-- The rule of codes in words for the catalogue trigger; NULL when the code
-- follows it.  In a UTF8 database a code must also be in NFC: the loaders
-- normalise headers and cells to NFC before matching them with codes.
CREATE FUNCTION sipas_internal.catalogue_code_problem(code text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE	-- the encoding of a database never changes
	RETURN CASE
		WHEN code IS NULL THEN 'is empty'
		WHEN sipas_internal.code_problem(code) IS NOT NULL THEN sipas_internal.code_problem(code)
		WHEN pg_catalog.getdatabaseencoding() OPERATOR(pg_catalog.=) 'UTF8'
			 AND code OPERATOR(pg_catalog.<>) normalize(code, NFC)
		THEN pg_catalog.format('is not in Unicode NFC (write %s: the loaders match codes in NFC)',
							   normalize(code, NFC))
	END;
COMMENT ON FUNCTION sipas_internal.catalogue_code_problem(text) IS
	'support: what is wrong with a questionnaire or node code, in words (the rule of codes, and NFC in a UTF8 database); NULL when it follows the rule';

-- BEFORE INSERT OR UPDATE on sipas.questionnaire and sipas.node: every rule of
-- a row, in words.  Runs after builtin_rows_guard (triggers fire in name order).
-- enable_seqscan off: the checks below look rows up by the primary key once
-- per written row; a plan cached while the table was small would scan it
-- instead, and a bulk load would take quadratic time (measured: 99,000
-- nodes in one INSERT, 3.5 s with the index, 557 s with the cached scan).
CREATE FUNCTION sipas_internal.catalogue_row_check() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	SET enable_seqscan = off
AS $$
DECLARE
	q text;
	what text;
	bad text;
	kinds constant text[] := ARRAY['overall', 'part', 'element', 'group', 'item'];
BEGIN
	IF current_setting('sipas.builtin_rows', true) = 'writable' THEN
		RETURN NEW;		-- the extension's own update scripts
	END IF;
	IF TG_TABLE_NAME = 'questionnaire' THEN
		bad := sipas_internal.catalogue_code_problem(NEW.code);
		IF bad IS NOT NULL THEN
			RAISE EXCEPTION 'questionnaire code "%" %', NEW.code, bad
				USING ERRCODE = '23514',
					  DETAIL = 'A questionnaire code is 1 to 32 bytes of UTF-8 without white space, control characters, double quotes or backslashes, not starting with @, e.g. ''2023'' or ''Bình-Dương-2024''.',
					  HINT = 'Choose another code; the full name goes into name_vi.';
		END IF;
		IF NEW.name_vi IS NULL OR NEW.name_vi !~ '\S' THEN
			RAISE EXCEPTION 'questionnaire "%" has no name_vi', NEW.code
				USING ERRCODE = '23502',
					  DETAIL = 'Every questionnaire needs its Vietnamese name.';
		END IF;
		IF NEW.first_year > NEW.last_year THEN
			RAISE EXCEPTION 'questionnaire "%" ends in % before it starts in %', NEW.code, NEW.last_year, NEW.first_year
				USING ERRCODE = '23514',
					  DETAIL = 'first_year..last_year are the periods the questionnaire is in force (sipas.questionnaire_for_period).';
		END IF;
		IF (TG_OP = 'INSERT' OR NEW.code IS DISTINCT FROM OLD.code)
				AND EXISTS (SELECT 1 FROM sipas.questionnaire x WHERE x.code = NEW.code) THEN
			RAISE EXCEPTION 'questionnaire "%" already exists', NEW.code
				USING ERRCODE = '23505',
					  HINT = 'Choose another code, or delete the old one first (its nodes go with it).';
		END IF;
		RETURN NEW;
	END IF;

	-- sipas.node
	q := NEW.questionnaire;
	what := format('node "%s" of questionnaire %s', NEW.code, q);
	IF q IS NULL OR NOT EXISTS (SELECT 1 FROM sipas.questionnaire x WHERE x.code = q) THEN
		RAISE EXCEPTION 'questionnaire "%" of node "%" does not exist', q, NEW.code
			USING ERRCODE = '23503',
				  DETAIL = format('Known questionnaires: %s.', (SELECT string_agg(x.code, ', ' ORDER BY x.code) FROM sipas.questionnaire x)),
				  HINT = 'Insert the questionnaire row first, or derive a variant of a built-in questionnaire with sipas.derive_questionnaire.';
	END IF;
	IF NEW.kind IS NULL OR NOT NEW.kind = ANY (kinds) THEN
		RAISE EXCEPTION '% has kind %, not one of overall, part, element, group, item', what,
				COALESCE('"' || NEW.kind || '"', 'NULL')
			USING ERRCODE = '23514',
				  DETAIL = 'A questionnaire is a tree: one overall node, parts or elements below it, optional groups, items as leaves.';
	END IF;
	bad := sipas_internal.catalogue_code_problem(NEW.code);
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'code "%" of % % of questionnaire % %', NEW.code,
				CASE WHEN NEW.kind IN ('overall', 'item', 'element') THEN 'an' ELSE 'a' END, NEW.kind, q, bad
			USING ERRCODE = '23514',
				  DETAIL = 'A code is 1 to 32 bytes of UTF-8 (Vietnamese letters welcome) without white space, control characters, double quotes or backslashes, not starting with @; the same rule for items, groups, parts and questionnaires, the one sipas.survey and sipas.form apply to the codes they store.',
				  HINT = 'Choose a code such as "BD.1" or "Câu.1" and put the wording in name_vi.';
	END IF;
	IF NEW.name_vi IS NULL OR NEW.name_vi !~ '\S' THEN
		RAISE EXCEPTION '% has no name_vi', what
			USING ERRCODE = '23502',
				  DETAIL = 'Every node needs its Vietnamese wording (breakdown and the report show it).';
	END IF;
	IF NEW.kind = 'item' AND (NEW.scale IS NULL OR NEW.scale NOT BETWEEN 2 AND 10) THEN
		RAISE EXCEPTION 'item % of questionnaire % has scale %, not 2 to 10 levels', NEW.code, q, COALESCE(NEW.scale::text, 'NULL')
			USING ERRCODE = '23514',
				  DETAIL = 'An item is answered on a scale of 2 to 10 levels; its scale says how many (5 for the satisfaction items).';
	ELSIF NEW.kind <> 'item' AND NEW.scale IS NOT NULL THEN
		RAISE EXCEPTION '% % of questionnaire % has a scale (%), but only items have one', NEW.kind, NEW.code, q, NEW.scale
			USING ERRCODE = '23514',
				  HINT = 'Leave scale NULL, or make the node an item.';
	END IF;
	IF NEW.kind = 'overall' AND NEW.parent IS NOT NULL THEN
		RAISE EXCEPTION 'the overall node % of questionnaire % has parent "%"', NEW.code, q, NEW.parent
			USING ERRCODE = '23514',
				  DETAIL = 'The overall node is the root of the tree: its parent is NULL.';
	ELSIF NEW.kind <> 'overall' AND NEW.parent IS NULL THEN
		RAISE EXCEPTION '% % of questionnaire % has no parent', NEW.kind, NEW.code, q
			USING ERRCODE = '23514',
				  DETAIL = 'Only the overall node is without parent; every other node hangs below one.';
	END IF;
	IF NEW.weight IS NULL OR NOT (NEW.weight >= 0 AND NEW.weight < 'Infinity') THEN
		RAISE EXCEPTION '% has weight %, not a finite number of 0 or more', what, COALESCE(NEW.weight::text, 'NULL')
			USING ERRCODE = '23514',
				  DETAIL = 'A weight says how much the node counts among its siblings (the ''weighted'' rule of sipas.overall); 1 = as much as the others.';
	END IF;
	IF NEW.position IS NULL THEN
		RAISE EXCEPTION '% has no position', what
			USING ERRCODE = '23502',
				  DETAIL = 'position orders a node among its siblings (1, 2, ...).';
	END IF;
	IF (TG_OP = 'INSERT' OR NEW.code IS DISTINCT FROM OLD.code OR NEW.questionnaire IS DISTINCT FROM OLD.questionnaire)
			AND EXISTS (SELECT 1 FROM sipas.node n WHERE n.questionnaire = q AND n.code = NEW.code) THEN
		RAISE EXCEPTION 'questionnaire % already has a node "%"', q, NEW.code
			USING ERRCODE = '23505',
				  DETAIL = 'Codes are unique within a questionnaire.';
	END IF;
	IF NEW.kind = 'overall'
			AND EXISTS (SELECT 1 FROM sipas.node n WHERE n.questionnaire = q AND n.parent IS NULL
						AND (TG_OP = 'INSERT' OR n.code <> OLD.code)) THEN
		RAISE EXCEPTION 'questionnaire % already has an overall node (%)', q,
				(SELECT n.code FROM sipas.node n WHERE n.questionnaire = q AND n.parent IS NULL LIMIT 1)
			USING ERRCODE = '23505',
				  DETAIL = 'A questionnaire is one tree with one root.';
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION sipas_internal.catalogue_row_check() IS
	'support: trigger checking each questionnaire and node row users write, with an error in words for every rule';

CREATE TRIGGER catalogue_rows_check BEFORE INSERT OR UPDATE ON sipas.questionnaire
	FOR EACH ROW EXECUTE FUNCTION sipas_internal.catalogue_row_check();
CREATE TRIGGER catalogue_rows_check BEFORE INSERT OR UPDATE ON sipas.node
	FOR EACH ROW EXECUTE FUNCTION sipas_internal.catalogue_row_check();

-- The tree of one questionnaire as a whole: every parent known, no cycle,
-- items as leaves, every other node with something below it.  An error in
-- words for the first problem; what words the place ("questionnaire X", or
-- "the variant X of Y").
CREATE FUNCTION sipas_internal.catalogue_tree_check(questionnaire text, what text)
	RETURNS void
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	r record;
	n_nodes bigint;
	n_reached bigint;
BEGIN
	-- the first problem of the tree, in the order of the rules, then of the codes
	SELECT * INTO r FROM (
		-- a parent that is not a node of the questionnaire
		SELECT 1 AS rule, c.code, c.parent AS other FROM sipas.node c
		WHERE c.questionnaire = catalogue_tree_check.questionnaire AND c.parent IS NOT NULL
		  AND NOT EXISTS (SELECT 1 FROM sipas.node p WHERE p.questionnaire = c.questionnaire AND p.code = c.parent)
		UNION ALL
		-- a node below an item
		SELECT 2, c.code, c.parent FROM sipas.node c
		JOIN sipas.node p ON p.questionnaire = c.questionnaire AND p.code = c.parent
		WHERE c.questionnaire = catalogue_tree_check.questionnaire AND p.kind = 'item'
		UNION ALL
		-- a node other than an item with nothing below it (other is its kind)
		SELECT 3, p.code, p.kind FROM sipas.node p
		WHERE p.questionnaire = catalogue_tree_check.questionnaire AND p.kind <> 'item'
		  AND NOT EXISTS (SELECT 1 FROM sipas.node c WHERE c.questionnaire = p.questionnaire AND c.parent = p.code)
	) problem
	ORDER BY rule, code LIMIT 1;
	CASE r.rule
		WHEN 1 THEN
			RAISE EXCEPTION '%: node "%" has parent "%", which is not a node of it', what, r.code, r.other
				USING ERRCODE = '23503',
					  HINT = 'Give the parent node too, or hang the node below an existing one.';
		WHEN 2 THEN
			RAISE EXCEPTION '%: node "%" hangs below item "%"', what, r.code, r.other
				USING ERRCODE = '23514',
					  DETAIL = 'Items are the leaves of the tree: the answers are given to them.';
		WHEN 3 THEN
			RAISE EXCEPTION '%: % "%" has no items below it', what, r.other, r.code
				USING ERRCODE = '23514',
					  DETAIL = 'Its index would be undefined.',
					  HINT = format('Remove "%s" as well, or add items below it.', r.code);
		ELSE
			NULL;				-- one tree so far: check that it has no cycle
	END CASE;
	SELECT count(*) INTO n_nodes FROM sipas.node n WHERE n.questionnaire = catalogue_tree_check.questionnaire;
	WITH RECURSIVE t AS (
		SELECT n.code FROM sipas.node n WHERE n.questionnaire = catalogue_tree_check.questionnaire AND n.parent IS NULL
		UNION
		SELECT c.code FROM sipas.node c JOIN t ON c.parent = t.code
		WHERE c.questionnaire = catalogue_tree_check.questionnaire)
	SELECT count(*) INTO n_reached FROM t;
	IF n_reached <> n_nodes THEN
		RAISE EXCEPTION '%: % of its % nodes are not below the overall node (a cycle of parents)', what,
				n_nodes - n_reached, n_nodes
			USING ERRCODE = '23514',
				  DETAIL = 'Following the parents from any node must lead to the overall node.';
	END IF;
END
$$;
COMMENT ON FUNCTION sipas_internal.catalogue_tree_check(text, text) IS
	'support: error in words unless the nodes of a questionnaire form one tree with items as leaves';

-- ---------------------------------------------------------------------------
-- derive_questionnaire(code, from_questionnaire, changes): a copy of a
-- questionnaire's tree, changed as the changes say, in one call.  changes is a
-- JSON object written by hand, with any of three keys, applied in this order:
--
--   "remove": ["I.D.10", "II.E"]             nodes to leave out, with everything below them
--   "change": {"I.A.1": {"weight": 2},       a node's new code, name_vi, name_en, weight,
--              "II.B": {"code": "Nhóm-B",    parent (move) or position; children follow
--                       "name_vi": "..."}}   a renamed node
--   "add":    [{"code": "BD.1", "parent": "II.E", "name_vi": "...",
--               "kind": "item", "scale": 5, "weight": 1, "position": 4}, ...]
--              new nodes (kind item and scale 5 unless given; position after
--              the last sibling; a parent may be a node added earlier in the list)
--
-- Returns the number of nodes of the new questionnaire.  Everything is
-- checked, and every mistake is an error in words that leaves nothing behind.
-- ---------------------------------------------------------------------------

CREATE FUNCTION sipas.derive_questionnaire(code text, from_questionnaire text, changes jsonb DEFAULT '{}',
		name_vi text DEFAULT NULL, first_year integer DEFAULT NULL, last_year integer DEFAULT NULL)
	RETURNS integer
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	ch jsonb := COALESCE(changes, '{}');
	base sipas.questionnaire;
	what text;
	k text;
	list record;
	e jsonb;
	old_code text;
	new_code text;
	victims text[];
	placeholder text;
	renames jsonb := '[]';		-- [placeholder, new code, old code] of each renamed node
	n integer;
	node_keys constant text[] := ARRAY['code', 'name_vi', 'name_en', 'weight', 'parent', 'position'];
	add_keys constant text[] := ARRAY['code', 'parent', 'kind', 'name_vi', 'name_en', 'scale', 'weight', 'position'];
	v_code constant text := derive_questionnaire.code;
BEGIN
	IF v_code IS NULL OR from_questionnaire IS NULL THEN
		RAISE EXCEPTION 'derive_questionnaire needs the new code and the questionnaire to derive from'
			USING ERRCODE = '22004',
				  HINT = 'E.g. SELECT sipas.derive_questionnaire(''BD-2024'', ''2023'', ''{"remove": ["I.D.10"]}'').';
	END IF;
	SELECT * INTO base FROM sipas.questionnaire q WHERE q.code = from_questionnaire;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown questionnaire "%"', from_questionnaire
			USING ERRCODE = '22023',
				  DETAIL = format('Known questionnaires: %s.', (SELECT string_agg(q.code, ', ' ORDER BY q.code) FROM sipas.questionnaire q));
	END IF;
	what := format('variant %s of questionnaire %s', v_code, from_questionnaire);
	IF jsonb_typeof(ch) <> 'object' THEN
		RAISE EXCEPTION 'changes % are not a JSON object', ch
			USING ERRCODE = '22023',
				  DETAIL = 'Pass e.g. ''{"remove": ["I.D.10"], "change": {"I.A.1": {"weight": 2}}, "add": [{"code": "BD.1", "parent": "II.E", "name_vi": "..."}]}''.';
	END IF;
	FOR k IN SELECT jsonb_object_keys(ch) LOOP
		IF k NOT IN ('remove', 'change', 'add') THEN
			RAISE EXCEPTION 'unknown key "%" in the changes of %', k, what
				USING ERRCODE = '22023',
					  DETAIL = 'The changes have the keys remove (a list of codes), change (an object code -> new values) and add (a list of new nodes).';
		END IF;
	END LOOP;
	-- each list of the changes: of its JSON type, with members of theirs
	FOR list IN SELECT * FROM (VALUES
			('remove', 'array', '$[*]', 'string', 'a list of codes',
			 'E.g. "remove": ["I.D.10", "II.E"].'),
			('change', 'object', '$.*', 'object', 'an object of code -> new values',
			 'E.g. "change": {"I.A.1": {"weight": 2}, "II.B": {"code": "Nhóm-B"}}.'),
			('add', 'array', '$[*]', 'object', 'a list of nodes',
			 'E.g. "add": [{"code": "BD.1", "parent": "II.E", "name_vi": "Câu hỏi của tỉnh"}].'))
			AS lists(key, container, members, member_type, shape, example)
	LOOP
		IF ch ? list.key AND (jsonb_typeof(ch->list.key) <> list.container
				OR EXISTS (SELECT 1 FROM jsonb_path_query(ch->list.key, list.members::jsonpath) x
						   WHERE jsonb_typeof(x) <> list.member_type)) THEN
			RAISE EXCEPTION 'changes.% of % is not %: %', list.key, what, list.shape, ch->list.key
				USING ERRCODE = '22023', DETAIL = list.example;
		END IF;
	END LOOP;

	-- the questionnaire row (the row trigger checks the code) and a copy of the tree
	INSERT INTO sipas.questionnaire (code, name_vi, name_en, source, first_year, last_year)
	VALUES (v_code, COALESCE(derive_questionnaire.name_vi, base.name_vi || ' (' || v_code || ')'), base.name_en,
			format('derived from questionnaire %s', from_questionnaire),
			derive_questionnaire.first_year, derive_questionnaire.last_year);
	INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, name_en, scale, weight)
	SELECT v_code, b.code, b.parent, b.kind, b.position, b.name_vi, b.name_en, b.scale, b.weight
	FROM sipas.node b WHERE b.questionnaire = from_questionnaire
	ORDER BY b.parent NULLS FIRST, b.position, b.code;

	-- remove: the nodes and everything below them
	FOR e IN SELECT x FROM jsonb_array_elements(COALESCE(ch->'remove', '[]')) x LOOP
		old_code := e #>> '{}';
		IF NOT EXISTS (SELECT 1 FROM sipas.node b WHERE b.questionnaire = from_questionnaire AND b.code = old_code) THEN
			RAISE EXCEPTION '%: cannot remove "%": it is not a node of questionnaire %', what, old_code,
					from_questionnaire || sipas_internal.item_code_hint(old_code, from_questionnaire)
				USING ERRCODE = '22023';
		END IF;
		IF EXISTS (SELECT 1 FROM sipas.node b WHERE b.questionnaire = from_questionnaire AND b.code = old_code AND b.parent IS NULL) THEN
			RAISE EXCEPTION '%: cannot remove "%", the overall node', what, old_code
				USING ERRCODE = '22023', HINT = 'A variant keeps the root of the tree; remove its parts or groups instead.';
		END IF;
		WITH RECURSIVE t AS (
			SELECT n.code FROM sipas.node n WHERE n.questionnaire = v_code AND n.code = old_code
			UNION
			SELECT c.code FROM sipas.node c JOIN t ON c.parent = t.code WHERE c.questionnaire = v_code)
		SELECT array_agg(t.code) INTO victims FROM t;
		DELETE FROM sipas.node n WHERE n.questionnaire = v_code AND n.code = ANY (victims);
	END LOOP;

	-- change: new values of kept nodes; a new code is followed by the children
	FOR old_code, e IN SELECT x.key, x.value FROM jsonb_each(COALESCE(ch->'change', '{}')) x ORDER BY x.key LOOP
		IF NOT EXISTS (SELECT 1 FROM sipas.node b WHERE b.questionnaire = from_questionnaire AND b.code = old_code) THEN
			RAISE EXCEPTION '%: cannot change "%": it is not a node of questionnaire %', what, old_code,
					from_questionnaire || sipas_internal.item_code_hint(old_code, from_questionnaire)
				USING ERRCODE = '22023',
					  HINT = 'A new node goes into "add", with its parent and name_vi.';
		END IF;
		IF NOT EXISTS (SELECT 1 FROM sipas.node n WHERE n.questionnaire = v_code AND n.code = old_code) THEN
			RAISE EXCEPTION '%: cannot change "%": it is removed', what, old_code USING ERRCODE = '22023';
		END IF;
		SELECT string_agg(x, ', ') INTO k FROM jsonb_object_keys(e) x WHERE x <> ALL (node_keys);
		IF k IS NOT NULL THEN
			RAISE EXCEPTION '%: unknown field % in the change of "%"', what, k, old_code
				USING ERRCODE = '22023',
					  DETAIL = 'A change may set code, name_vi, name_en, weight, parent and position (kind and scale come from the questionnaire derived from; remove the node and add a new one to change them).';
		END IF;
		IF EXISTS (SELECT 1 FROM jsonb_each(e) x
				   WHERE (x.key IN ('weight', 'position') AND jsonb_typeof(x.value) <> 'number')
					  OR (x.key IN ('code', 'name_vi', 'parent') AND jsonb_typeof(x.value) <> 'string')
					  OR (x.key = 'name_en' AND jsonb_typeof(x.value) NOT IN ('string', 'null'))
					  OR (x.key = 'position' AND (x.value #>> '{}') !~ '^-?[0-9]{1,9}$')) THEN
			RAISE EXCEPTION '%: the change of "%" has a value of the wrong type: %', what, old_code, e
				USING ERRCODE = '22023',
					  DETAIL = 'code, name_vi and parent are strings, name_en a string or null, weight a number, position a whole number.';
		END IF;
		new_code := COALESCE(e->>'code', old_code);
		-- a new code goes through a placeholder first (renamed to the new code
		-- after every change), so nodes may swap codes or take a code another
		-- renamed node gives up
		IF new_code <> old_code THEN
			placeholder := format('~rename~%s~%s', jsonb_array_length(renames), left(md5(v_code || old_code), 12));
			renames := renames || jsonb_build_array(jsonb_build_array(placeholder, new_code, old_code));
			new_code := placeholder;
		END IF;
		UPDATE sipas.node n
		SET code = new_code,
			name_vi = COALESCE(e->>'name_vi', n.name_vi),
			name_en = CASE WHEN e ? 'name_en' THEN e->>'name_en' ELSE n.name_en END,
			weight = COALESCE((e->>'weight')::float8, n.weight),
			parent = COALESCE(e->>'parent', n.parent),
			position = COALESCE((e->>'position')::integer, n.position)
		WHERE n.questionnaire = v_code AND n.code = old_code;
		IF new_code <> old_code THEN
			UPDATE sipas.node n SET parent = new_code WHERE n.questionnaire = v_code AND n.parent = old_code;
		END IF;
	END LOOP;
	FOR e IN SELECT x FROM jsonb_array_elements(renames) x LOOP
		IF EXISTS (SELECT 1 FROM sipas.node n WHERE n.questionnaire = v_code AND n.code = e->>1) THEN
			RAISE EXCEPTION '%: cannot rename "%" to "%": the variant keeps a node "%"', what, e->>2, e->>1, e->>1
				USING ERRCODE = '23505',
					  DETAIL = 'Codes are unique within a questionnaire; nodes may swap codes when both are renamed in the same call.',
					  HINT = format('Rename or remove "%s" too, e.g. "change": {"%s": {"code": "%s"}, "%s": {"code": "..."}}.',
									e->>1, e->>2, e->>1, e->>1);
		END IF;
		UPDATE sipas.node n SET code = e->>1 WHERE n.questionnaire = v_code AND n.code = e->>0;
		UPDATE sipas.node n SET parent = e->>1 WHERE n.questionnaire = v_code AND n.parent = e->>0;
	END LOOP;

	-- add: new nodes, in the order given
	FOR e IN SELECT x FROM jsonb_array_elements(COALESCE(ch->'add', '[]')) x LOOP
		SELECT string_agg(x, ', ') INTO k FROM jsonb_object_keys(e) x WHERE x <> ALL (add_keys);
		IF k IS NOT NULL THEN
			RAISE EXCEPTION '%: unknown field % in the new node %', what, k, e
				USING ERRCODE = '22023',
					  DETAIL = 'A new node has code, parent, name_vi and optionally kind (default item), scale (default 5 for items), name_en, weight (default 1) and position (default: after its last sibling).';
		END IF;
		IF jsonb_typeof(e->'code') IS DISTINCT FROM 'string' OR jsonb_typeof(e->'parent') IS DISTINCT FROM 'string'
				OR jsonb_typeof(e->'name_vi') IS DISTINCT FROM 'string' THEN
			RAISE EXCEPTION '%: the new node % lacks its code, parent or name_vi (as strings)', what, e
				USING ERRCODE = '22023',
					  DETAIL = 'E.g. {"code": "BD.1", "parent": "II.E", "name_vi": "Câu hỏi của tỉnh"}.';
		END IF;
		IF EXISTS (SELECT 1 FROM jsonb_each(e) x
				   WHERE (x.key IN ('weight', 'position', 'scale') AND jsonb_typeof(x.value) <> 'number')
					  OR (x.key IN ('kind') AND jsonb_typeof(x.value) <> 'string')
					  OR (x.key = 'name_en' AND jsonb_typeof(x.value) NOT IN ('string', 'null'))
					  OR (x.key IN ('position', 'scale') AND (x.value #>> '{}') !~ '^-?[0-9]{1,9}$')) THEN
			RAISE EXCEPTION '%: the new node % has a value of the wrong type', what, e
				USING ERRCODE = '22023',
					  DETAIL = 'kind is a string, weight a number, scale and position whole numbers, name_en a string or null.';
		END IF;
		IF NOT EXISTS (SELECT 1 FROM sipas.node n WHERE n.questionnaire = v_code AND n.code = e->>'parent') THEN
			RAISE EXCEPTION '%: the parent "%" of new node "%" is not a node of it', what, e->>'parent', e->>'code'
				USING ERRCODE = '22023',
					  HINT = 'Name a node of the variant (after its changes) or one added earlier in the list.';
		END IF;
		INSERT INTO sipas.node (questionnaire, code, parent, kind, position, name_vi, name_en, scale, weight)
		SELECT v_code, e->>'code', e->>'parent', COALESCE(e->>'kind', 'item'),
			   COALESCE((e->>'position')::integer,
						(SELECT COALESCE(max(s.position), 0) + 1 FROM sipas.node s
						 WHERE s.questionnaire = v_code AND s.parent = e->>'parent')),
			   e->>'name_vi', e->>'name_en',
			   CASE WHEN e ? 'scale' THEN (e->>'scale')::integer WHEN COALESCE(e->>'kind', 'item') = 'item' THEN 5 END,
			   COALESCE((e->>'weight')::float8, 1);
	END LOOP;

	PERFORM sipas_internal.catalogue_tree_check(v_code, what);

	-- the user's label sets of the questionnaire derived from, for the items kept
	INSERT INTO sipas.answer_label (questionnaire, item, scale, level, label)
	SELECT v_code, COALESCE(ch->'change'->l.item->>'code', l.item), l.scale, l.level, l.label
	FROM sipas.answer_label l
	WHERE l.questionnaire = from_questionnaire AND NOT l.builtin
	  AND (l.item IS NULL OR EXISTS (SELECT 1 FROM sipas.node n WHERE n.questionnaire = v_code
									AND n.kind = 'item' AND n.code = COALESCE(ch->'change'->l.item->>'code', l.item)));

	SELECT count(*) INTO n FROM sipas.node x WHERE x.questionnaire = v_code;
	RETURN n;
END
$$;
COMMENT ON FUNCTION sipas.derive_questionnaire(text, text, jsonb, text, integer, integer) IS
	'a variant of a questionnaire in one call: a copy of its tree with nodes removed, changed (code, name, weight, parent, position) or added; returns its node count';
