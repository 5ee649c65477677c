
-- ---------------------------------------------------------------------------
-- Built-in catalogue rows are read-only (issue 15).
--
-- pg_dump keeps only the rows users add (pg_extension_config_dump ... 'WHERE NOT
-- builtin'): the built-in rows come back from the extension script on restore.
-- An edit of a built-in row was therefore lost silently on dump and restore, and a
-- row marked builtin by a user was never dumped.  The triggers below refuse both;
-- a variant of a built-in questionnaire is a new questionnaire with builtin = false
-- (copied rows are dumped).  Not a security boundary: the tables' owner can drop
-- the triggers; they stop accidents.  An extension update script that must change
-- built-in rows runs SET LOCAL sipas.builtin_rows = 'writable' first.
-- ---------------------------------------------------------------------------

CREATE FUNCTION sipas_internal.catalogue_builtin_guard() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	r jsonb;
	row_name text;
BEGIN
	IF current_setting('sipas.builtin_rows', true) = 'writable' THEN
		RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
	END IF;
	IF TG_OP = 'TRUNCATE' THEN
		RAISE EXCEPTION 'cannot truncate %: it holds the built-in questionnaires', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME
			USING ERRCODE = '42501',
				  HINT = 'Delete your own rows instead: DELETE FROM sipas.questionnaire WHERE NOT builtin (nodes follow by ON DELETE CASCADE).';
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.builtin THEN
		r := to_jsonb(OLD);
		row_name := CASE TG_TABLE_NAME
						WHEN 'node' THEN format('node %s of questionnaire %s', r->>'code', r->>'questionnaire')
						WHEN 'answer_label' THEN format('label "%s" (level %s of the %s-level scale)', r->>'label', r->>'level', r->>'scale')
						ELSE format('questionnaire %s', r->>'code') END;
		RAISE EXCEPTION 'cannot % built-in %', lower(TG_OP), row_name
			USING ERRCODE = '42501',
				  DETAIL = 'Built-in rows come with the extension and are not dumped by pg_dump: a change would be lost on restore.',
				  HINT = 'Derive a variant instead: sipas.derive_questionnaire(''my-code'', ''2023'', changes) copies the questionnaire as rows of your own (builtin = false), changed as you need.';
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.builtin THEN
		r := to_jsonb(NEW);
		row_name := CASE TG_TABLE_NAME
						WHEN 'node' THEN format('node %s of questionnaire %s', r->>'code', r->>'questionnaire')
						WHEN 'answer_label' THEN format('label "%s" (level %s of the %s-level scale)', r->>'label', r->>'level', r->>'scale')
						ELSE format('questionnaire %s', r->>'code') END;
		RAISE EXCEPTION 'cannot mark % as built in', row_name
			USING ERRCODE = '42501',
				  DETAIL = 'Only the extension adds built-in rows; pg_dump leaves them out, so such a row would be lost on restore.',
				  HINT = 'Leave builtin at its default (false).';
	END IF;
	RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION sipas_internal.catalogue_builtin_guard() IS
	'support: trigger refusing changes to built-in catalogue rows (they are not dumped) and user rows marked built in';

CREATE TRIGGER builtin_rows_guard BEFORE INSERT OR UPDATE OR DELETE ON sipas.questionnaire
	FOR EACH ROW EXECUTE FUNCTION sipas_internal.catalogue_builtin_guard();
CREATE TRIGGER builtin_rows_guard BEFORE INSERT OR UPDATE OR DELETE ON sipas.node
	FOR EACH ROW EXECUTE FUNCTION sipas_internal.catalogue_builtin_guard();
CREATE TRIGGER builtin_rows_truncate BEFORE TRUNCATE ON sipas.questionnaire
	FOR EACH STATEMENT EXECUTE FUNCTION sipas_internal.catalogue_builtin_guard();
CREATE TRIGGER builtin_rows_truncate BEFORE TRUNCATE ON sipas.node
	FOR EACH STATEMENT EXECUTE FUNCTION sipas_internal.catalogue_builtin_guard();
