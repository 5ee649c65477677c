/*
 * lk_json.c - lexing shared by the strict JSON text forms.
 */
#include "lk_json.h"

#include <stdio.h>

const char *
lk_json_skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

int
lk_ascii_prefix(const char *p, int max)
{
	int			n = 0;

	while (n < max && p[n] != '\0' && (unsigned char) p[n] < 0x80)
		n++;
	return n;
}

lk_status
lk_json_syntax_error(const char *str, const char *p, const char *expected, char *err, size_t errlen)
{
	int			excerpt = lk_ascii_prefix(p, 12);

	if (*p == '\0')
		snprintf(err, errlen, "expected %s at end of input", expected);
	else
		snprintf(err, errlen, "expected %s at byte %d, found \"%.*s\"%s",
				 expected, (int) (p - str) + 1, excerpt, p,
				 excerpt == 0 ? " (a non-ASCII character)" : "");
	return LK_ERR_SYNTAX;
}
