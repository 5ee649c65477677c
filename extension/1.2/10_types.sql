
-- ---------------------------------------------------------------------------
-- 10_types: sipas.likert and sipas.survey as column types (issue 15, F12).
-- ---------------------------------------------------------------------------

-- Extended (64-bit, seeded) hash functions: support function 2 of the hash
-- operator families, which PARTITION BY HASH needs (without it the table is
-- accepted but no partition can be created).  Both hash the canonical bytes,
-- like likert_hash and survey_hash; with seed 0 the low 32 bits equal them.
CREATE FUNCTION sipas.likert_hash_extended(sipas.likert, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'likert_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.likert_hash_extended(sipas.likert, bigint) IS
	'support function: seeded 64-bit hash of a sipas.likert (hash partitioning)';
CREATE FUNCTION sipas.survey_hash_extended(sipas.survey, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'survey_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sipas.survey_hash_extended(sipas.survey, bigint) IS
	'support function: seeded 64-bit hash of a sipas.survey (hash partitioning)';

ALTER OPERATOR FAMILY sipas.likert_hash_ops USING hash
	ADD FUNCTION 2 sipas.likert_hash_extended(sipas.likert, bigint);
ALTER OPERATOR FAMILY sipas.survey_hash_ops USING hash
	ADD FUNCTION 2 sipas.survey_hash_extended(sipas.survey, bigint);
