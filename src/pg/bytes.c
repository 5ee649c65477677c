/*
 * bytes.c - equality and hashing of canonical values.  sipas.likert and
 * sipas.survey values are canonical (equal values have equal bytes), so
 * both types compare and hash their bytes; the hash functions of the hash
 * operator classes (support 1, and support 2 for hash partitioning) of both
 * types are here.
 */
#include "sipas_pg.h"

#include "common/hashfn.h"

PG_FUNCTION_INFO_V1(likert_hash_extended);
PG_FUNCTION_INFO_V1(survey_hash_extended);

bool
sipas_bytes_equal(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_GETARG_VARLENA_PP(0);
	struct varlena *b = PG_GETARG_VARLENA_PP(1);

	return VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
}

/* hash of the canonical bytes: consistent with sipas_bytes_equal */
Datum
sipas_bytes_hash(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_GETARG_VARLENA_PP(0);

	return hash_any((const unsigned char *) VARDATA_ANY(a), VARSIZE_ANY_EXHDR(a));
}

/*
 * 64-bit hash with a seed (argument 1), as PostgreSQL's extended hash
 * support functions: with seed 0 its low 32 bits equal sipas_bytes_hash.
 */
Datum
sipas_bytes_hash_extended(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_GETARG_VARLENA_PP(0);

	return hash_any_extended((const unsigned char *) VARDATA_ANY(a), VARSIZE_ANY_EXHDR(a),
							 PG_GETARG_INT64(1));
}

Datum
likert_hash_extended(PG_FUNCTION_ARGS)
{
	return sipas_bytes_hash_extended(fcinfo);
}

Datum
survey_hash_extended(PG_FUNCTION_ARGS)
{
	return sipas_bytes_hash_extended(fcinfo);
}
