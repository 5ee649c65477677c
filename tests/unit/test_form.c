/*
 * test_form.c - sipas.form in plain C: fm_store / fm_load / fm_iter round
 * trips, every error of fm_load and fm_iter_next (truncated bytes, bad
 * version and flags, unsorted and duplicate codes, k and level out of
 * range), the text form (fm_format, fm_parse and its errors), fm_sort_check.
 */
#include "unit.h"

#include <stdlib.h>

#include "form.h"

static void
set_answer(fm_answer *a, const char *code, int k, int level)
{
	snprintf(a->code, sizeof(a->code), "%s", code);
	a->k = (uint8_t) k;
	a->level = (uint8_t) level;
}

static bool
same_form(const fm_form *a, const fm_form *b)
{
	int			i;

	if (a->nitems != b->nitems)
		return false;
	for (i = 0; i < a->nitems; i++)
		if (strcmp(a->items[i].code, b->items[i].code) != 0 || a->items[i].k != b->items[i].k ||
			a->items[i].level != b->items[i].level)
			return false;
	return true;
}

/* store f into an exact-size malloc'ed buffer */
static unsigned char *
store(const fm_form *f, size_t *len)
{
	unsigned char *buf;

	*len = fm_stored_size(f);
	buf = malloc(*len);
	fm_store(f, buf);
	return buf;
}

/* load bytes (an exact-size copy, so ASan sees reads past the end) */
static lk_status
load(const unsigned char *src, size_t len, fm_form *out, char *err)
{
	unsigned char *copy = malloc(len ? len : 1);
	lk_status	st;
	int			n;

	memcpy(copy, src, len);
	out->items = NULL;
	out->nitems = 0;
	st = fm_load_count(copy, len, &n, err, LK_ERRBUF);
	if (st == LK_OK)
	{
		out->items = malloc(sizeof(fm_answer) * (n > 0 ? n : 1));
		st = fm_load(copy, len, out, err, LK_ERRBUF);
		if (st == LK_OK)
			CHECK_EQ(out->nitems, n);
	}
	free(copy);
	return st;
}

/* the 39 item codes of questionnaire 2023 */
static int
questionnaire_2023(fm_answer *items)
{
	static const int per_group[] = {2, 2, 9, 10};	/* I.A .. I.D */
	static const int per_group2[] = {3, 4, 3, 3, 3};	/* II.A .. II.E */
	char		code[SV_CODE_MAX + 1];
	int			n = 0,
				g,
				i;

	for (g = 0; g < 4; g++)
		for (i = 1; i <= per_group[g]; i++)
		{
			snprintf(code, sizeof(code), "I.%c.%d", 'A' + g, i);
			set_answer(&items[n], code, 5, 1 + n % 5);
			n++;
		}
	for (g = 0; g < 5; g++)
		for (i = 1; i <= per_group2[g]; i++)
		{
			snprintf(code, sizeof(code), "II.%c.%d", 'A' + g, i);
			set_answer(&items[n], code, 5, 1 + n % 5);
			n++;
		}
	return n;
}

static void
test_store_roundtrip(void)
{
	fm_answer	items[FM_MAX_ITEMS],
				copy[FM_MAX_ITEMS];
	fm_form		f = {0, items},
				back;
	char		err[LK_ERRBUF];
	unsigned char *buf;
	size_t		len;
	int			n,
				i,
				round;

	/* empty form: the 4-byte header only */
	buf = store(&f, &len);
	CHECK_EQ(len, FM_STORE_HEADER);
	CHECK_EQ(buf[0], FM_STORE_VERSION);
	CHECK(load(buf, len, &back, err) == LK_OK);
	CHECK_EQ(back.nitems, 0);
	free(back.items);
	free(buf);

	/* the 39 items of questionnaire 2023: 4 + 39 * 2 + 212 code bytes */
	n = questionnaire_2023(items);
	CHECK_EQ(n, 39);
	f.nitems = n;
	CHECK(fm_sort_check(&f, err, sizeof(err)) == LK_OK);
	buf = store(&f, &len);
	CHECK_EQ(len, 294);
	CHECK(load(buf, len, &back, err) == LK_OK);
	CHECK(same_form(&f, &back));
	free(back.items);
	free(buf);

	/* random forms: every k and level, codes of every length; shuffled input sorts to the same bytes */
	for (round = 0; round < 200; round++)
	{
		unsigned char *buf2;
		size_t		len2;

		n = (int) unit_rand_range(0, round < 190 ? 60 : FM_MAX_ITEMS);
		for (i = 0; i < n; i++)
		{
			char		code[SV_CODE_MAX + 1];
			int			clen = (int) unit_rand_range(1, SV_CODE_MAX - 5);
			int			k = (int) unit_rand_range(LK_MIN_K, LK_MAX_K);
			int			j;

			for (j = 0; j < clen; j++)
				code[j] = "ABIVabz019._-"[unit_rand_range(0, 12)];
			/* a unique suffix */
			snprintf(code + clen, sizeof(code) - clen, "#%d", i);
			code[clen] = '.';
			set_answer(&items[i], code, k, (int) unit_rand_range(1, k));
		}
		f.nitems = n;
		memcpy(copy, items, sizeof(fm_answer) * n);
		if (!CHECK(fm_sort_check(&f, err, sizeof(err)) == LK_OK))
			unit_note("%s", err);
		buf = store(&f, &len);
		CHECK(load(buf, len, &back, err) == LK_OK);
		CHECK(same_form(&f, &back));
		free(back.items);
		/* reversed order of the same answers: same bytes */
		for (i = 0; i < n; i++)
			items[i] = copy[n - 1 - i];
		CHECK(fm_sort_check(&f, err, sizeof(err)) == LK_OK);
		buf2 = store(&f, &len2);
		CHECK(len2 == len && memcmp(buf, buf2, len) == 0);
		free(buf2);
		free(buf);
	}
}

static void
test_iter(void)
{
	fm_answer	items[3];
	fm_form		f = {3, items};
	fm_iter		it;
	char		err[LK_ERRBUF];
	unsigned char *buf;
	size_t		len;
	const char *code;
	int			clen,
				k,
				level,
				count = 0;
	bool		done = false;

	set_answer(&items[0], "I.A.1", 5, 4);
	set_answer(&items[1], "I.A.10", 7, 7);
	set_answer(&items[2], "I.A.2", 2, 1);
	buf = store(&f, &len);
	CHECK(fm_iter_init(&it, buf, len, err, sizeof(err)) == LK_OK);
	CHECK_EQ(it.left, 3);
	while (fm_iter_next(&it, &code, &clen, &k, &level, &done, err, sizeof(err)) == LK_OK && !done)
	{
		CHECK_EQ(clen, (int) strlen(items[count].code));
		CHECK(memcmp(code, items[count].code, clen) == 0);
		CHECK_EQ(k, items[count].k);
		CHECK_EQ(level, items[count].level);
		count++;
	}
	CHECK(done);
	CHECK_EQ(count, 3);
	/* after the end it stays done */
	done = false;
	CHECK(fm_iter_next(&it, &code, &clen, &k, &level, &done, err, sizeof(err)) == LK_OK);
	CHECK(done);
	free(buf);
}

/* a stored image with a hand-written body; n answers claimed */
static size_t
image(unsigned char *buf, int version, int flags, int n, const char *body, size_t bodylen)
{
	uint16_t	cnt = (uint16_t) n;

	buf[0] = (unsigned char) version;
	buf[1] = (unsigned char) flags;
	memcpy(buf + 2, &cnt, 2);
	memcpy(buf + 4, body, bodylen);
	return 4 + bodylen;
}

static void
expect_load_error(const unsigned char *buf, size_t len, const char *needle)
{
	fm_form		back;
	char		err[LK_ERRBUF] = "";
	fm_iter		it;
	lk_status	st = load(buf, len, &back, err);

	if (!CHECK(st == LK_ERR_SYNTAX))
		unit_note("expected an error containing \"%s\"", needle);
	else if (!CHECK_CONTAINS(err, needle))
		unit_note("(load)");
	free(back.items);
	/* the iterator reports the same */
	st = fm_iter_init(&it, buf, len, err, sizeof(err));
	if (st == LK_OK)
	{
		const char *code;
		int			clen,
					k,
					level;
		bool		done = false;

		while ((st = fm_iter_next(&it, &code, &clen, &k, &level, &done, err, sizeof(err))) == LK_OK && !done)
			;
	}
	CHECK(st == LK_ERR_SYNTAX);
	CHECK_CONTAINS(err, needle);
}

static void
test_load_errors(void)
{
	unsigned char buf[2048] = {0};
	size_t		len;
	fm_answer	items[2];
	fm_form		f = {2, items};
	unsigned char *good;
	size_t		goodlen,
				cut;

	/* header */
	expect_load_error(buf, 0, "fewer than the 4-byte header");
	len = image(buf, 1, 0, 0, "", 0);
	expect_load_error(buf, 3, "fewer than the 4-byte header");
	len = image(buf, 2, 0, 0, "", 0);
	expect_load_error(buf, len, "unknown form layout version 2");
	len = image(buf, 0, 0, 0, "", 0);
	expect_load_error(buf, len, "unknown form layout version 0");
	len = image(buf, 1, 1, 0, "", 0);
	expect_load_error(buf, len, "flags 1");
	len = image(buf, 1, 0, 1001, "", 0);
	expect_load_error(buf, len, "1001 answers, more than 1000");
	len = image(buf, 1, 0, 65535, "", 0);
	expect_load_error(buf, len, "65535 answers, more than 1000");
	len = image(buf, 1, 0, 2, "\001a\124", 3);
	expect_load_error(buf, len, "claims 2 answers in 3 bytes");
	/* answers */
	len = image(buf, 1, 0, 1, "\000ab", 3);
	expect_load_error(buf, len, "code length of 0 bytes");
	len = image(buf, 1, 0, 1, "\041aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\124", 35);
	expect_load_error(buf, len, "code length of 33 bytes");
	len = image(buf, 1, 0, 1, "\005ab\124", 4);
	expect_load_error(buf, len, "truncated at the first answer");
	len = image(buf, 1, 0, 1, "\001 \124", 3);
	expect_load_error(buf, len, "the first answer has an invalid item code");
	len = image(buf, 1, 0, 1, "\001\351\124", 3);
	expect_load_error(buf, len, "invalid item code");
	len = image(buf, 1, 0, 2, "\001b\124\001a\124", 6);
	expect_load_error(buf, len, "item \"a\" comes after item \"b\"");
	len = image(buf, 1, 0, 2, "\001a\124\001a\125", 6);
	expect_load_error(buf, len, "item \"a\" repeats item \"a\"");
	len = image(buf, 1, 0, 2, "\002ab\124\001a\124", 7);
	expect_load_error(buf, len, "item \"a\" comes after item \"ab\"");
	len = image(buf, 1, 0, 1, "\001a\024", 3);	/* k 1 */
	expect_load_error(buf, len, "level 4 on a 1-level scale");
	len = image(buf, 1, 0, 1, "\001a\264", 3);	/* k 11 */
	expect_load_error(buf, len, "level 4 on a 11-level scale");
	len = image(buf, 1, 0, 1, "\001a\120", 3);	/* level 0 */
	expect_load_error(buf, len, "level 0 on a 5-level scale");
	len = image(buf, 1, 0, 1, "\001a\126", 3);	/* level 6 of 5 */
	expect_load_error(buf, len, "level 6 on a 5-level scale");
	len = image(buf, 1, 0, 1, "\001a\377", 3);
	expect_load_error(buf, len, "level 15 on a 15-level scale");
	len = image(buf, 1, 0, 1, "\001a\124\000", 4);
	expect_load_error(buf, len, "1 unexpected bytes after the last answer");
	len = image(buf, 1, 0, 0, "\001a\124", 3);
	expect_load_error(buf, len, "3 unexpected bytes after the last answer");
	len = image(buf, 1, 0, 2, "\001a\124\001b\124\001", 7);
	expect_load_error(buf, len, "1 unexpected bytes");

	/* every truncation of a valid image fails cleanly */
	set_answer(&items[0], "I.A.1", 5, 4);
	set_answer(&items[1], "II.E.3", 10, 10);
	good = store(&f, &goodlen);
	for (cut = 0; cut < goodlen; cut++)
	{
		fm_form		back;
		char		err[LK_ERRBUF];

		CHECK(load(good, cut, &back, err) == LK_ERR_SYNTAX);
		free(back.items);
	}
	free(good);
}

/* ---- text ---- */

static void
parse_ok(const char *text, const char *expect)
{
	fm_form		f;
	char		err[LK_ERRBUF] = "";
	char	   *out;
	int			n;
	size_t		size;

	if (!CHECK(fm_parse_count(text, &n, err, sizeof(err)) == LK_OK))
	{
		unit_note("%s: %s", text, err);
		return;
	}
	f.items = malloc(sizeof(fm_answer) * (n > 0 ? n : 1));
	if (CHECK(fm_parse(text, &f, err, sizeof(err)) == LK_OK))
	{
		CHECK_EQ(f.nitems, n);
		size = fm_text_size(&f);
		out = malloc(size);
		fm_format(&f, out, size);
		if (!CHECK_STREQ(out, expect))
			unit_note("input %s", text);
		CHECK(strlen(out) < size);
		free(out);
	}
	else
		unit_note("%s: %s", text, err);
	free(f.items);
}

static void
parse_error(const char *text, lk_status want, const char *needle)
{
	fm_form		f;
	char		err[LK_ERRBUF] = "";
	int			n;
	lk_status	st = fm_parse_count(text, &n, err, sizeof(err));

	if (st == LK_OK)
	{
		f.items = malloc(sizeof(fm_answer) * (n > 0 ? n : 1));
		st = fm_parse(text, &f, err, sizeof(err));
		free(f.items);
	}
	if (!CHECK_EQ(st, want))
		unit_note("input %s: %s", text, err);
	else if (!CHECK_CONTAINS(err, needle))
		unit_note("input %s", text);
}

static void
test_form_text(void)
{
	fm_answer	items[FM_MAX_ITEMS];
	fm_form		f = {0, items};
	char	   *big,
			   *out;
	size_t		size,
				pos;
	int			i,
				n;
	char		err[LK_ERRBUF];

	parse_ok("{}", "{}");
	parse_ok(" { } ", "{}");
	parse_ok("{\"I.A.1\":4,\"I.A.2\":5,\"X.1\":[2,3]}", "{\"I.A.1\":4,\"I.A.2\":5,\"X.1\":[2,3]}");
	parse_ok("{\"b\":1,\"a\":2}", "{\"a\":2,\"b\":1}");
	parse_ok("{\"a\":[4,5]}", "{\"a\":4}");
	parse_ok("\n{\t\"a\" : [ 10 , 10 ] , \"b\":[1,2]\r}\n", "{\"a\":[10,10],\"b\":[1,2]}");
	parse_ok("{\"I.D.10\":1,\"I.D.1\":2,\"I.D.2\":3}", "{\"I.D.1\":2,\"I.D.10\":1,\"I.D.2\":3}");

	parse_error("", LK_ERR_SYNTAX, "expected \"{\" at end of input");
	parse_error("x", LK_ERR_SYNTAX, "expected \"{\" at byte 1");
	parse_error("{", LK_ERR_SYNTAX, "an item code in double quotes at end of input");
	parse_error("{\"a\":1", LK_ERR_SYNTAX, "expected \",\" or \"}\" at end of input");
	parse_error("{\"a\":1,}", LK_ERR_SYNTAX, "at byte 8");
	parse_error("{\"a\":1}x", LK_ERR_SYNTAX, "expected end of input at byte 8");
	parse_error("{\"a\" 1}", LK_ERR_SYNTAX, "expected \":\" at byte 6");
	parse_error("{\"a:1}", LK_ERR_SYNTAX, "a closing double quote");
	parse_error("{\"\":1}", LK_ERR_SYNTAX, "item code \"\" at byte 2");
	parse_error("{\"a b\":1}", LK_ERR_SYNTAX, "item code \"a b\"");
	/* codes are UTF-8 (test_code_rule.c): "aé" is a code, malformed bytes are not */
	parse_ok("{\"a\xc3\xa9\":1}", "{\"a\xc3\xa9\":1}");
	parse_error("{\"a\xc3\":1}", LK_ERR_SYNTAX, "item code \"a...\"");
	parse_error("{\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":1}", LK_ERR_SYNTAX, "is longer than 32 bytes");
	parse_error("{\"a\":\"1\"}", LK_ERR_SYNTAX, "a whole number as level at byte 6");
	parse_error("{\"a\":null}", LK_ERR_SYNTAX, "a whole number as level");
	parse_error("{\"a\":1.5}", LK_ERR_SYNTAX, "must be a whole number");
	parse_error("{\"a\":1e0}", LK_ERR_SYNTAX, "must be a whole number");
	parse_error("{\"a\":01}", LK_ERR_SYNTAX, "leading zero");
	parse_error("{\"a\":-}", LK_ERR_SYNTAX, "a whole number as level");
	parse_error("{\"a\":0}", LK_ERR_RANGE, "level 0 of item \"a\" at byte 6 is out of range for a 5-level scale");
	parse_error("{\"a\":6}", LK_ERR_RANGE, "level 6 of item \"a\"");
	parse_error("{\"a\":-3}", LK_ERR_RANGE, "level -3");
	parse_error("{\"a\":12345678901234567890}", LK_ERR_RANGE, "level 12345678901234567890 of item \"a\" at byte 6 is out of range");
	parse_error("{\"a\":[1]}", LK_ERR_SYNTAX, "the scale size");
	parse_error("{\"a\":[1,5,5]}", LK_ERR_SYNTAX, "expected \"]\"");
	parse_error("{\"a\":[1,1]}", LK_ERR_RANGE, "scale size 1 of item \"a\"");
	parse_error("{\"a\":[1,11]}", LK_ERR_RANGE, "scale size 11");
	parse_error("{\"a\":[1,99999999999]}", LK_ERR_RANGE, "scale size 99999999999");
	parse_error("{\"a\":[4,3]}", LK_ERR_RANGE, "level 4 of item \"a\" at byte 6 is out of range for a 3-level scale");
	parse_error("{\"a\":[1.0,3]}", LK_ERR_SYNTAX, "must be a whole number");
	parse_error("{\"a\":[1,3.0]}", LK_ERR_SYNTAX, "scale size of item \"a\" at byte 9 must be a whole number");
	parse_error("{\"a\":1,\"b\":2,\"a\":3}", LK_ERR_INCONSISTENT, "item \"a\" is answered twice in one form (levels 1 and 3)");
	parse_error("{\"a\":3,\"a\":1}", LK_ERR_INCONSISTENT, "(levels 1 and 3)");
	parse_error("{\"a\":[1,3],\"a\":1}", LK_ERR_INCONSISTENT, "level 1 of 3 and level 1 of 5");

	/* 1000 answers are fine, 1001 are not; the text of 1000 long codes fits fm_text_size */
	size = 16 + (size_t) (FM_MAX_ITEMS + 1) * 48;
	big = malloc(size);
	for (n = FM_MAX_ITEMS; n <= FM_MAX_ITEMS + 1; n++)
	{
		pos = 0;
		pos += snprintf(big + pos, size - pos, "{");
		for (i = 0; i < n; i++)
			pos += snprintf(big + pos, size - pos, "%s\"%026d.%04d\":[10,10]", i ? "," : "", 0, i);
		snprintf(big + pos, size - pos, "}");
		if (n == FM_MAX_ITEMS)
		{
			int			cnt;

			CHECK(fm_parse_count(big, &cnt, err, sizeof(err)) == LK_OK);
			CHECK_EQ(cnt, FM_MAX_ITEMS);
			CHECK(fm_parse(big, &f, err, sizeof(err)) == LK_OK);
			out = malloc(fm_text_size(&f));
			fm_format(&f, out, fm_text_size(&f));
			CHECK_STREQ(out, big);
			free(out);
		}
		else
			parse_error(big, LK_ERR_RANGE, "more than 1000 answers");
	}
	free(big);

	/* the longest answer text: 32-byte codes on 10-level scales, level 10 */
	f.nitems = 2;
	set_answer(&items[0], "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 10, 10);
	set_answer(&items[1], "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 10, 10);
	size = fm_text_size(&f);
	out = malloc(size);
	fm_format(&f, out, size);
	CHECK_EQ(strlen(out), size - 1 - 1);	/* no comma before the first answer */
	free(out);
}

static void
test_sort_check(void)
{
	fm_answer	items[4];
	fm_form		f = {4, items};
	char		err[LK_ERRBUF];

	set_answer(&items[0], "b", 5, 1);
	set_answer(&items[1], "a", 5, 2);
	set_answer(&items[2], "a.1", 3, 3);
	set_answer(&items[3], "A", 2, 2);
	CHECK(fm_sort_check(&f, err, sizeof(err)) == LK_OK);
	CHECK_STREQ(items[0].code, "A");
	CHECK_STREQ(items[1].code, "a");
	CHECK_STREQ(items[2].code, "a.1");
	CHECK_STREQ(items[3].code, "b");
	set_answer(&items[3], "a", 5, 2);
	CHECK(fm_sort_check(&f, err, sizeof(err)) == LK_ERR_INCONSISTENT);
	CHECK_CONTAINS(err, "item \"a\" is answered twice in one form (levels 2 and 2)");
	f.nitems = 0;
	CHECK(fm_sort_check(&f, err, sizeof(err)) == LK_OK);
}

void
test_form(void)
{
	test_store_roundtrip();
	test_iter();
	test_load_errors();
	test_form_text();
	test_sort_check();
}
