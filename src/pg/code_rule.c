/*
 * code_rule.c - sipas_internal.code_problem(text): the rule of codes
 * (sv_code_check, src/core/survey.c) for SQL, so that the catalogue's CHECK
 * constraints and trigger apply exactly the rule the sipas.survey and
 * sipas.form types apply to the bytes they store.  One home for the rule.
 */
#include "sipas_pg.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(sipas_code_problem);

/* NULL when the code follows the rule, else what is wrong, in words */
Datum
sipas_code_problem(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	const char *code = VARDATA_ANY(t);
	size_t		len = VARSIZE_ANY_EXHDR(t);
	size_t		at;
	sv_code_fault f = sv_code_check(code, len, &at);
	int			enc = GetDatabaseEncoding();

	if (f == SV_CODE_TOO_LONG)
		PG_RETURN_TEXT_P(cstring_to_text(psprintf("is %zu bytes long (at most %d bytes: %d ASCII characters, 10 to 16 Vietnamese letters)",
												  len, SV_CODE_MAX, SV_CODE_MAX)));

	/*
	 * The types store codes as UTF-8 bytes; in a database of another encoding
	 * (SQL_ASCII keeps bytes as they come) the same letters are other bytes,
	 * so only ASCII codes mean the same there.
	 */
	if (enc != PG_UTF8 && enc != PG_SQL_ASCII && f != SV_CODE_EMPTY)
	{
		for (at = 0; at < len; at++)
			if ((unsigned char) code[at] >= 0x80)
				PG_RETURN_TEXT_P(cstring_to_text(psprintf("has non-ASCII characters, which need a UTF8 database (this one is %s)",
														  GetDatabaseEncodingName())));
	}
	if (f != SV_CODE_OK)
		PG_RETURN_TEXT_P(cstring_to_text(sv_code_fault_text(f)));
	PG_RETURN_NULL();
}
