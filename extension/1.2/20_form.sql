
-- ---------------------------------------------------------------------------
-- Type sipas.form: one respondent's answers, item code -> level on a k-level
-- scale.  A blank (no answer) is an absent item.  Stored compactly and
-- canonically (src/core/form.h), so = and hashing compare bytes.
-- ---------------------------------------------------------------------------

CREATE TYPE sipas.form;
CREATE FUNCTION sipas.form_in(cstring) RETURNS sipas.form
	AS 'MODULE_PATHNAME', 'form_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.form_out(sipas.form) RETURNS cstring
	AS 'MODULE_PATHNAME', 'form_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.form_recv(internal) RETURNS sipas.form
	AS 'MODULE_PATHNAME', 'form_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.form_send(sipas.form) RETURNS bytea
	AS 'MODULE_PATHNAME', 'form_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE sipas.form (
	INPUT = sipas.form_in,
	OUTPUT = sipas.form_out,
	RECEIVE = sipas.form_recv,
	SEND = sipas.form_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended
);
COMMENT ON TYPE sipas.form IS
	'one respondent''s answers: item code -> level (1..k), blanks absent; text form {"I.A.1":4,"X.1":[2,3]}';
COMMENT ON FUNCTION sipas.form_in(cstring) IS 'input function of sipas.form (strict JSON object item -> level or [level, k])';
COMMENT ON FUNCTION sipas.form_out(sipas.form) IS 'output function of sipas.form (answers in code order)';
COMMENT ON FUNCTION sipas.form_recv(internal) IS 'binary input function of sipas.form (version 1)';
COMMENT ON FUNCTION sipas.form_send(sipas.form) IS 'binary output function of sipas.form (version 1)';

CREATE FUNCTION sipas.form_eq(sipas.form, sipas.form) RETURNS boolean
	AS 'MODULE_PATHNAME', 'form_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.form_ne(sipas.form, sipas.form) RETURNS boolean
	AS 'MODULE_PATHNAME', 'form_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.form_hash(sipas.form) RETURNS integer
	AS 'MODULE_PATHNAME', 'form_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.form_eq(sipas.form, sipas.form) IS 'same answers (byte equality of canonical forms)';
COMMENT ON FUNCTION sipas.form_ne(sipas.form, sipas.form) IS 'different answers';
COMMENT ON FUNCTION sipas.form_hash(sipas.form) IS 'hash of the canonical bytes of a form';
CREATE OPERATOR sipas.= (
	LEFTARG = sipas.form, RIGHTARG = sipas.form, PROCEDURE = sipas.form_eq,
	COMMUTATOR = OPERATOR(sipas.=), NEGATOR = OPERATOR(sipas.<>), RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR sipas.<> (
	LEFTARG = sipas.form, RIGHTARG = sipas.form, PROCEDURE = sipas.form_ne,
	COMMUTATOR = OPERATOR(sipas.<>), NEGATOR = OPERATOR(sipas.=), RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR sipas.= (sipas.form, sipas.form) IS 'same answers';
COMMENT ON OPERATOR sipas.<> (sipas.form, sipas.form) IS 'different answers';

-- GROUP BY, DISTINCT and hash joins on forms
CREATE OPERATOR CLASS sipas.form_hash_ops DEFAULT FOR TYPE sipas.form USING hash AS
	OPERATOR 1 sipas.= (sipas.form, sipas.form),
	FUNCTION 1 sipas.form_hash(sipas.form);
COMMENT ON OPERATOR CLASS sipas.form_hash_ops USING hash IS 'hashing of forms by their canonical bytes';

-- accessors
CREATE FUNCTION sipas.n(f sipas.form) RETURNS integer
	AS 'MODULE_PATHNAME', 'form_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.n(sipas.form) IS 'number of items answered on the form (blanks not counted)';
CREATE FUNCTION sipas.level(f sipas.form, item text) RETURNS integer
	AS 'MODULE_PATHNAME', 'form_level' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.level(sipas.form, text) IS 'the level chosen for one item, NULL when the item is blank or not on the form';
CREATE FUNCTION sipas.answers(f sipas.form) RETURNS TABLE (item text, level integer, k integer)
	AS 'MODULE_PATHNAME', 'form_answers' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 40;
COMMENT ON FUNCTION sipas.answers(sipas.form) IS 'the answers of a form as rows (item, level, k) in code order: back to long rows';

-- ---------------------------------------------------------------------------
-- form_agg: the answer rows of one form -> sipas.form.  A NULL score is a
-- blank.  The optional fourth argument identifies the form in error
-- messages only (any type: respondent, ROW(period, unit, respondent), ...).
-- The variants without it run in parallel plans (combine/serialize); the
-- identifier is not carried across workers.
-- ---------------------------------------------------------------------------

CREATE FUNCTION sipas.form_trans(internal, text, smallint) RETURNS internal
	AS 'MODULE_PATHNAME', 'form_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.form_trans(internal, text, integer) RETURNS internal
	AS 'MODULE_PATHNAME', 'form_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.form_trans(internal, text, smallint, integer) RETURNS internal
	AS 'MODULE_PATHNAME', 'form_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.form_trans(internal, text, integer, integer) RETURNS internal
	AS 'MODULE_PATHNAME', 'form_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.form_trans(internal, text, smallint, integer, "any") RETURNS internal
	AS 'MODULE_PATHNAME', 'form_trans_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.form_trans(internal, text, integer, integer, "any") RETURNS internal
	AS 'MODULE_PATHNAME', 'form_trans_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.form_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'form_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sipas.form_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'form_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.form_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'form_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sipas.form_final(internal) RETURNS sipas.form
	AS 'MODULE_PATHNAME', 'form_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sipas.form_trans(internal, text, smallint) IS 'transition function of form_agg';
COMMENT ON FUNCTION sipas.form_trans(internal, text, integer) IS 'transition function of form_agg';
COMMENT ON FUNCTION sipas.form_trans(internal, text, smallint, integer) IS 'transition function of form_agg';
COMMENT ON FUNCTION sipas.form_trans(internal, text, integer, integer) IS 'transition function of form_agg';
COMMENT ON FUNCTION sipas.form_trans(internal, text, smallint, integer, "any") IS 'transition function of form_agg';
COMMENT ON FUNCTION sipas.form_trans(internal, text, integer, integer, "any") IS 'transition function of form_agg';
COMMENT ON FUNCTION sipas.form_combine(internal, internal) IS 'combine function of form_agg (parallel plans)';
COMMENT ON FUNCTION sipas.form_serialize(internal) IS 'serialize function of form_agg (parallel plans)';
COMMENT ON FUNCTION sipas.form_deserialize(bytea, internal) IS 'deserialize function of form_agg (parallel plans)';
COMMENT ON FUNCTION sipas.form_final(internal) IS 'final function of form_agg: sorted, checked form or NULL';

CREATE AGGREGATE sipas.form_agg(item text, score smallint) (
	SFUNC = sipas.form_trans, STYPE = internal, SSPACE = 600, FINALFUNC = sipas.form_final,
	COMBINEFUNC = sipas.form_combine, SERIALFUNC = sipas.form_serialize, DESERIALFUNC = sipas.form_deserialize,
	PARALLEL = SAFE);
CREATE AGGREGATE sipas.form_agg(item text, score integer) (
	SFUNC = sipas.form_trans, STYPE = internal, SSPACE = 600, FINALFUNC = sipas.form_final,
	COMBINEFUNC = sipas.form_combine, SERIALFUNC = sipas.form_serialize, DESERIALFUNC = sipas.form_deserialize,
	PARALLEL = SAFE);
CREATE AGGREGATE sipas.form_agg(item text, score smallint, k integer) (
	SFUNC = sipas.form_trans, STYPE = internal, SSPACE = 600, FINALFUNC = sipas.form_final,
	COMBINEFUNC = sipas.form_combine, SERIALFUNC = sipas.form_serialize, DESERIALFUNC = sipas.form_deserialize,
	PARALLEL = SAFE);
CREATE AGGREGATE sipas.form_agg(item text, score integer, k integer) (
	SFUNC = sipas.form_trans, STYPE = internal, SSPACE = 600, FINALFUNC = sipas.form_final,
	COMBINEFUNC = sipas.form_combine, SERIALFUNC = sipas.form_serialize, DESERIALFUNC = sipas.form_deserialize,
	PARALLEL = SAFE);
CREATE AGGREGATE sipas.form_agg(item text, score smallint, k integer, form "any") (
	SFUNC = sipas.form_trans, STYPE = internal, SSPACE = 700, FINALFUNC = sipas.form_final, PARALLEL = SAFE);
CREATE AGGREGATE sipas.form_agg(item text, score integer, k integer, form "any") (
	SFUNC = sipas.form_trans, STYPE = internal, SSPACE = 700, FINALFUNC = sipas.form_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE sipas.form_agg(text, smallint) IS 'the answer rows of one form (scores 1..5, NULL = blank) as a sipas.form';
COMMENT ON AGGREGATE sipas.form_agg(text, integer) IS 'the answer rows of one form (scores 1..5, NULL = blank) as a sipas.form';
COMMENT ON AGGREGATE sipas.form_agg(text, smallint, integer) IS 'the answer rows of one form, scores 1..k (k per row)';
COMMENT ON AGGREGATE sipas.form_agg(text, integer, integer) IS 'the answer rows of one form, scores 1..k (k per row)';
COMMENT ON AGGREGATE sipas.form_agg(text, smallint, integer, "any") IS
	'the answer rows of one form, scores 1..k; the fourth argument names the form in error messages';
COMMENT ON AGGREGATE sipas.form_agg(text, integer, integer, "any") IS
	'the answer rows of one form, scores 1..k; the fourth argument names the form in error messages';
