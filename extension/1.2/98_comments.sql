
-- ---------------------------------------------------------------------------
-- Comments on the objects of 1.0 and 1.1 that had none (sql/objects.sql checks that every
-- object in schema sipas has one).
-- ---------------------------------------------------------------------------

COMMENT ON OPERATOR sipas.= (sipas.likert, sipas.likert) IS 'same histogram (byte equality of canonical values)';
COMMENT ON OPERATOR sipas.<> (sipas.likert, sipas.likert) IS 'different histograms';
COMMENT ON OPERATOR sipas.< (sipas.likert, sipas.likert) IS 'sorts before (an arbitrary total order, for B-tree indexes and ORDER BY; not by satisfaction)';
COMMENT ON OPERATOR sipas.<= (sipas.likert, sipas.likert) IS 'sorts before or equal (an arbitrary total order, not by satisfaction)';
COMMENT ON OPERATOR sipas.> (sipas.likert, sipas.likert) IS 'sorts after (an arbitrary total order, not by satisfaction)';
COMMENT ON OPERATOR sipas.>= (sipas.likert, sipas.likert) IS 'sorts after or equal (an arbitrary total order, not by satisfaction)';
COMMENT ON OPERATOR sipas.= (sipas.survey, sipas.survey) IS 'same survey summary (byte equality of canonical values)';
COMMENT ON OPERATOR sipas.<> (sipas.survey, sipas.survey) IS 'different survey summaries';
COMMENT ON OPERATOR CLASS sipas.likert_btree_ops USING btree IS 'B-tree order of likert summaries (unique indexes, ORDER BY, merge joins)';
COMMENT ON OPERATOR FAMILY sipas.likert_btree_ops USING btree IS 'B-tree order of likert summaries';
COMMENT ON OPERATOR CLASS sipas.likert_hash_ops USING hash IS 'hashing of likert summaries (GROUP BY, DISTINCT, hash joins, hash partitioning)';
COMMENT ON OPERATOR FAMILY sipas.likert_hash_ops USING hash IS 'hashing of likert summaries';
COMMENT ON OPERATOR CLASS sipas.survey_hash_ops USING hash IS 'hashing of survey summaries (GROUP BY, DISTINCT, hash joins, hash partitioning)';
COMMENT ON OPERATOR FAMILY sipas.survey_hash_ops USING hash IS 'hashing of survey summaries';
COMMENT ON SEQUENCE sipas.staging_template_line_seq IS 'CSV line numbers of sipas.staging_template (copy its shape with CREATE TABLE ... (LIKE sipas.staging_template INCLUDING ALL))';
COMMENT ON OPERATOR FAMILY sipas.form_hash_ops USING hash IS 'hashing of forms';
