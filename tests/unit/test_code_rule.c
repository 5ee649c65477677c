/*
 * test_code_rule.c - the one rule of codes (sv_code_check, sv_code_valid):
 * well-formed UTF-8 byte by byte (RFC 3629 table), white space and controls
 * of all of Unicode, quotes, backslash, "@", the 32-byte limit, and the
 * code point order of sv_code_cmp over non-ASCII codes.
 */
#include "unit.h"

#include "survey.h"

#define FAULT(lit)	sv_code_check((lit), sizeof(lit) - 1, NULL)

/* the fault of a code and the byte offset reported for it */
static void
check_at(const char *code, size_t len, sv_code_fault want, size_t want_at)
{
	size_t		at = 999;

	CHECK_EQ(sv_code_check(code, len, &at), want);
	CHECK_EQ(at, want_at);
}

void
test_code_rule(void)
{
	char		code[64];
	unsigned	c;

	/* Vietnamese codes, NFC and NFD alike (both well-formed) */
	CHECK_EQ(FAULT("C\xc3\xa2u.1"), SV_CODE_OK);			/* "Câu.1", NFC */
	CHECK_EQ(FAULT("Ca\xcc\x82u.1"), SV_CODE_OK);		/* "Câu.1", NFD */
	CHECK_EQ(FAULT("\xc4\x90.1"), SV_CODE_OK);			/* "Đ.1" */
	CHECK_EQ(FAULT("B\xc3\xacnh-D\xc6\xb0\xc6\xa1ng"), SV_CODE_OK);	/* "Bình-Dương" */
	CHECK_EQ(FAULT("\xe6\xbc\xa2.1"), SV_CODE_OK);		/* 3 bytes */
	CHECK_EQ(FAULT("\xf0\x9f\x98\x80"), SV_CODE_OK);		/* U+1F600, 4 bytes */
	CHECK_EQ(FAULT("\xf4\x8f\xbf\xbf"), SV_CODE_OK);		/* U+10FFFF, the last code point */
	CHECK_EQ(FAULT("\xed\x9f\xbf"), SV_CODE_OK);			/* U+D7FF, just below the surrogates */
	CHECK_EQ(FAULT("\xee\x80\x80"), SV_CODE_OK);			/* U+E000, just above */
	CHECK_EQ(FAULT("I/A,1;x'y"), SV_CODE_OK);			/* punctuation other than " and \ */
	CHECK_EQ(FAULT("a@b"), SV_CODE_OK);					/* "@" only reserved first */
	CHECK_EQ(FAULT("\xe2\x80\x9cq\xe2\x80\x9d"), SV_CODE_OK);	/* typographic quotes */

	/* malformed UTF-8 */
	CHECK_EQ(FAULT("\x80"), SV_CODE_BAD_UTF8);			/* stray continuation */
	CHECK_EQ(FAULT("a\xbf"), SV_CODE_BAD_UTF8);
	CHECK_EQ(FAULT("\xc3"), SV_CODE_BAD_UTF8);			/* truncated */
	CHECK_EQ(FAULT("\xe1\x80"), SV_CODE_BAD_UTF8);
	CHECK_EQ(FAULT("\xf0\x9f\x98"), SV_CODE_BAD_UTF8);
	CHECK_EQ(FAULT("\xc3("), SV_CODE_BAD_UTF8);			/* bad continuation */
	CHECK_EQ(FAULT("\xe1\x80("), SV_CODE_BAD_UTF8);
	CHECK_EQ(FAULT("\xc0\xaf"), SV_CODE_BAD_UTF8);		/* overlong "/" */
	CHECK_EQ(FAULT("\xc1\xbf"), SV_CODE_BAD_UTF8);
	CHECK_EQ(FAULT("\xe0\x80\xaf"), SV_CODE_BAD_UTF8);	/* overlong, 3 bytes */
	CHECK_EQ(FAULT("\xe0\x9f\xbf"), SV_CODE_BAD_UTF8);
	CHECK_EQ(FAULT("\xf0\x80\x80\xaf"), SV_CODE_BAD_UTF8);	/* overlong, 4 bytes */
	CHECK_EQ(FAULT("\xf0\x8f\xbf\xbf"), SV_CODE_BAD_UTF8);
	CHECK_EQ(FAULT("\xed\xa0\x80"), SV_CODE_BAD_UTF8);	/* U+D800, a surrogate */
	CHECK_EQ(FAULT("\xed\xbf\xbf"), SV_CODE_BAD_UTF8);	/* U+DFFF */
	CHECK_EQ(FAULT("\xed\xa0\xbd\xed\xb8\x80"), SV_CODE_BAD_UTF8);	/* CESU-8 pair */
	CHECK_EQ(FAULT("\xf4\x90\x80\x80"), SV_CODE_BAD_UTF8);	/* U+110000 */
	CHECK_EQ(FAULT("\xf5\x80\x80\x80"), SV_CODE_BAD_UTF8);
	CHECK_EQ(FAULT("\xff"), SV_CODE_BAD_UTF8);
	CHECK_EQ(FAULT("\xfe\xff"), SV_CODE_BAD_UTF8);
	CHECK_EQ(FAULT("\xf8\x88\x80\x80\x80"), SV_CODE_BAD_UTF8);	/* old 5-byte form */
	/* every lead byte that can never start a sequence */
	for (c = 0x80; c <= 0xff; c++)
	{
		code[0] = (char) c;
		if (c < 0xc2 || c > 0xf4)
			CHECK_EQ(sv_code_check(code, 1, NULL), SV_CODE_BAD_UTF8);
	}
	/* a sequence cut by the length, not by a NUL */
	check_at("ab\xc3\xa2", 3, SV_CODE_BAD_UTF8, 2);
	check_at("ab\xc3\xa2", 4, SV_CODE_OK, 4);

	/* white space and invisible characters, ASCII and beyond */
	CHECK_EQ(FAULT("I A"), SV_CODE_SPACE);
	CHECK_EQ(FAULT("I\tA"), SV_CODE_SPACE);
	CHECK_EQ(FAULT("I\nA"), SV_CODE_SPACE);
	CHECK_EQ(FAULT("I\rA"), SV_CODE_SPACE);
	CHECK_EQ(FAULT("I\vA"), SV_CODE_SPACE);
	CHECK_EQ(FAULT("I\fA"), SV_CODE_SPACE);
	CHECK_EQ(FAULT("I\xc2\xa0" "A"), SV_CODE_SPACE);		/* U+00A0 no-break space */
	CHECK_EQ(FAULT("I\xc2\x85" "A"), SV_CODE_SPACE);		/* U+0085 next line */
	CHECK_EQ(FAULT("I\xe1\x9a\x80" "A"), SV_CODE_SPACE);	/* U+1680 */
	CHECK_EQ(FAULT("I\xe2\x80\x80" "A"), SV_CODE_SPACE);	/* U+2000 */
	CHECK_EQ(FAULT("I\xe2\x80\x8a" "A"), SV_CODE_SPACE);	/* U+200A */
	CHECK_EQ(FAULT("I\xe2\x80\x8b" "A"), SV_CODE_SPACE);	/* U+200B zero width space */
	CHECK_EQ(FAULT("I\xe2\x80\x8f" "A"), SV_CODE_SPACE);	/* U+200F right-to-left mark */
	CHECK_EQ(FAULT("I\xe2\x80\xa8" "A"), SV_CODE_SPACE);	/* U+2028 */
	CHECK_EQ(FAULT("I\xe2\x80\xa9" "A"), SV_CODE_SPACE);	/* U+2029 */
	CHECK_EQ(FAULT("I\xe2\x80\xaf" "A"), SV_CODE_SPACE);	/* U+202F */
	CHECK_EQ(FAULT("I\xe2\x81\x9f" "A"), SV_CODE_SPACE);	/* U+205F */
	CHECK_EQ(FAULT("I\xe2\x81\xa0" "A"), SV_CODE_SPACE);	/* U+2060 word joiner */
	CHECK_EQ(FAULT("I\xe3\x80\x80" "A"), SV_CODE_SPACE);	/* U+3000 ideographic space */
	CHECK_EQ(FAULT("\xef\xbb\xbfI.A"), SV_CODE_SPACE);		/* U+FEFF, a byte-order mark */
	CHECK_EQ(FAULT("I\xe2\x80\x90" "A"), SV_CODE_OK);		/* U+2010 hyphen is visible */

	/* controls: C0, DEL, C1, and a NUL inside the length */
	CHECK_EQ(sv_code_check("I\0A", 3, NULL), SV_CODE_CONTROL);
	CHECK_EQ(FAULT("I\x01" "A"), SV_CODE_CONTROL);
	CHECK_EQ(FAULT("I\x1f" "A"), SV_CODE_CONTROL);
	CHECK_EQ(FAULT("I\x7f" "A"), SV_CODE_CONTROL);
	CHECK_EQ(FAULT("I\xc2\x80" "A"), SV_CODE_CONTROL);		/* U+0080 */
	CHECK_EQ(FAULT("I\xc2\x9f" "A"), SV_CODE_CONTROL);		/* U+009F */
	CHECK_EQ(FAULT("I\xc2\xa1" "A"), SV_CODE_OK);			/* U+00A1 */

	/* quotes, backslash, "@" first */
	CHECK_EQ(FAULT("I\"A"), SV_CODE_QUOTE);
	CHECK_EQ(FAULT("I\\A"), SV_CODE_QUOTE);
	CHECK_EQ(FAULT("I\\u0041"), SV_CODE_QUOTE);		/* no escapes: the code is its bytes */
	CHECK_EQ(FAULT("@forms"), SV_CODE_RESERVED);
	CHECK_EQ(FAULT("@"), SV_CODE_RESERVED);

	/* lengths are bytes: 32 is the limit whatever the letters */
	CHECK_EQ(sv_code_check("", 0, NULL), SV_CODE_EMPTY);
	memset(code, 'a', sizeof(code));
	CHECK_EQ(sv_code_check(code, 32, NULL), SV_CODE_OK);
	CHECK_EQ(sv_code_check(code, 33, NULL), SV_CODE_TOO_LONG);
	for (c = 0; c < 16; c++)
		memcpy(code + 2 * c, "\xc3\xa2", 2);		/* 16 x "â" = 32 bytes */
	CHECK_EQ(sv_code_check(code, 32, NULL), SV_CODE_OK);
	code[32] = 'a';
	CHECK_EQ(sv_code_check(code, 33, NULL), SV_CODE_TOO_LONG);
	for (c = 0; c < 10; c++)
		memcpy(code + 3 * c, "\xe1\xba\xa1", 3);	/* 10 x "ạ" = 30 bytes, then a cut 3-byte letter */
	memcpy(code + 30, "\xe1\xba", 2);
	CHECK_EQ(sv_code_check(code, 32, NULL), SV_CODE_BAD_UTF8);
	CHECK_EQ(sv_code_check(code, 30, NULL), SV_CODE_OK);

	/* the offset of the offending character */
	check_at("I.A.1", 5, SV_CODE_OK, 5);
	check_at("C\xc3\xa2u 1", 6, SV_CODE_SPACE, 4);
	check_at("C\xc3\xa2u\xc2\xa0" "1", 7, SV_CODE_SPACE, 4);
	check_at("C\xc3\xa2u\xed\xa0\x80", 7, SV_CODE_BAD_UTF8, 4);

	/* every fault has words */
	for (c = SV_CODE_OK; c <= SV_CODE_RESERVED; c++)
		CHECK(sv_code_fault_text((sv_code_fault) c)[0] != '\0');
	CHECK_CONTAINS(sv_code_fault_text(SV_CODE_BAD_UTF8), "UTF-8");

	/* code point order: byte order of UTF-8, unsigned */
	CHECK(sv_code_cmp("Z.1", "C\xc3\xa2u.1") > 0);		/* first bytes decide */
	CHECK(sv_code_cmp("Cz", "C\xc3\xa2u") < 0);			/* U+007A < U+00E2 */
	CHECK(sv_code_cmp("C\xc3\xa2u", "C\xe1\xba\xa7u") < 0);	/* U+00E2 < U+1EA7 */
	CHECK(sv_code_cmp("\xef\xbf\xbd", "\xf0\x9f\x98\x80") < 0);	/* U+FFFD < U+1F600 */
	CHECK(sv_code_cmp("\xc4\x90.1", "\xc3\x90.1") > 0);	/* U+0110 > U+00D0 */
}
