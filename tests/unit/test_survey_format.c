/*
 * test_survey_format.c - survey.c's own rules, apart from the moments
 * (test_survey.c): item codes and their order, the stored layout with its
 * varint counts at every length boundary, and every error of the stored
 * and the text form.
 */
#include "unit.h"

#include <stdlib.h>

#include "survey.h"

static char g_err[LK_ERRBUF];

/* one unweighted item "A" with counts {v, 0} */
static void
one_item(sv_summary *s, sv_item *it, int64_t v)
{
	strcpy(it->code, "A");
	lk_summary_init(&it->s, 2);
	it->s.n[0] = v;
	it->s.n[1] = 0;
	lk_summary_canonicalize(&it->s);
	s->nitems = 1;
	s->items = it;
	s->forms = NULL;
}

static unsigned char *
store(const sv_summary *s, size_t *len)
{
	unsigned char *img;

	*len = sv_stored_size(s);
	img = malloc(*len);
	sv_store(s, img);
	return img;
}

static lk_status
load(const unsigned char *img, size_t len, sv_item *items, sv_forms *room)
{
	sv_summary	s;

	s.items = items;
	s.forms = room;
	g_err[0] = '\0';
	return sv_load(img, len, &s, g_err, sizeof(g_err));
}

static void
test_codes(void)
{
	char		code[SV_CODE_MAX + 2];
	sv_item		it[3];
	sv_summary	s;

	memset(code, 'a', sizeof(code));
	CHECK(!sv_code_valid(code, 0));
	CHECK(sv_code_valid(code, 1));
	CHECK(sv_code_valid(code, SV_CODE_MAX));
	CHECK(!sv_code_valid(code, SV_CODE_MAX + 1));
	CHECK(sv_code_valid("AZaz09._-", 9));
	CHECK(!sv_code_valid("I A", 3));
	CHECK(sv_code_valid("I/A", 3));		/* any text: test_code_rule.c has the rule */
	CHECK(sv_code_valid("\xc3\xa1", 2));	/* "á" */

	/* bytewise order: capitals first, digits compared as characters */
	CHECK(sv_code_cmp("B", "a") < 0);
	CHECK(sv_code_cmp("I.10", "I.9") < 0);
	CHECK(sv_code_cmp("I", "I.1") < 0);
	CHECK_EQ(sv_code_cmp("x", "x"), 0);

	strcpy(it[0].code, "I.10");
	strcpy(it[1].code, "I.9");
	strcpy(it[2].code, "a");
	s.nitems = 3;
	s.items = it;
	s.forms = NULL;
	CHECK_EQ(sv_find(&s, "I.10"), 0);
	CHECK_EQ(sv_find(&s, "I.9"), 1);
	CHECK_EQ(sv_find(&s, "a"), 2);
	CHECK_EQ(sv_find(&s, "A"), -1);
	CHECK_EQ(sv_find(&s, "I.1"), -1);
	CHECK_EQ(sv_find(&s, "b"), -1);
	s.nitems = 0;
	CHECK_EQ(sv_find(&s, "a"), -1);
}

/* sort, or refuse: duplicates, and any summary with a forms section */
static void
test_sort_check(void)
{
	sv_item		it[3];
	sv_summary	s;
	sv_forms	f;

	strcpy(it[0].code, "b");
	strcpy(it[1].code, "B");
	strcpy(it[2].code, "a");
	s.nitems = 3;
	s.items = it;
	s.forms = NULL;
	CHECK_EQ(sv_sort_check(&s, g_err, sizeof(g_err)), LK_OK);
	CHECK_STREQ(it[0].code, "B");
	CHECK_STREQ(it[1].code, "a");
	CHECK_STREQ(it[2].code, "b");

	strcpy(it[2].code, "B");
	CHECK_EQ(sv_sort_check(&s, g_err, sizeof(g_err)), LK_ERR_INCONSISTENT);
	CHECK_STREQ(g_err, "item \"B\" appears twice");

	s.forms = &f;
	CHECK_EQ(sv_sort_check(&s, g_err, sizeof(g_err)), LK_ERR_INCONSISTENT);
	CHECK_STREQ(g_err, "cannot reorder the items of a summary with a forms section");
}

/*
 * A count takes one more byte at each 2^(7m): the stored size says so, and
 * every value reads back, up to INT64_MAX (nine bytes).
 */
static void
test_varint_boundaries(void)
{
	sv_item		it,
				back;
	sv_summary	s;
	size_t		base,
				len;
	int			m;

	one_item(&s, &it, 0);
	base = sv_stored_size(&s) - 1;	/* everything but the first count's varint */
	for (m = 1; m <= 9; m++)
	{
		/* m bytes hold up to 2^(7m) - 1; 2^(7m) needs m + 1; INT64_MAX (63 bits) needs 9 */
		int64_t		vals[2];
		size_t		want[2];
		int			v;

		if (m < 9)
		{
			vals[0] = (int64_t) (((uint64_t) 1 << (7 * m)) - 1);
			vals[1] = (int64_t) ((uint64_t) 1 << (7 * m));
			want[0] = (size_t) m;
			want[1] = (size_t) m + 1;
		}
		else
		{
			vals[0] = vals[1] = INT64_MAX;
			want[0] = want[1] = 9;
		}
		for (v = 0; v < 2; v++)
		{
			unsigned char *img;

			one_item(&s, &it, vals[v]);
			img = store(&s, &len);
			CHECK_EQ(len, base + want[v]);
			CHECK_EQ(load(img, len, &back, NULL), LK_OK);
			CHECK_EQ(back.s.n[0], vals[v]);
			CHECK_EQ(back.s.n[1], 0);
			free(img);
		}
	}
	one_item(&s, &it, 0);
	CHECK_EQ(sv_stored_size(&s), base + 1);
}

/* a hand-made image of item "A" (k = 2) whose first count is the given varint */
static size_t
image_with_varint(unsigned char *img, const unsigned char *varint, size_t vlen)
{
	uint16_t	n = 1;
	size_t		p = 0;

	img[p++] = SV_STORE_VERSION;
	img[p++] = 0;
	memcpy(img + p, &n, 2);
	p += 2;
	img[p++] = 1;
	img[p++] = 'A';
	img[p++] = 2;
	img[p++] = 0;
	memcpy(img + p, varint, vlen);
	p += vlen;
	img[p++] = 0;				/* the second count */
	return p;
}

static void
test_varint_errors(void)
{
	unsigned char img[64];
	unsigned char v[12];
	sv_item		it;
	size_t		len;

	/* the longest accepted: INT64_MAX in nine bytes */
	memset(v, 0xff, 8);
	v[8] = 0x7f;
	len = image_with_varint(img, v, 9);
	CHECK_EQ(load(img, len, &it, NULL), LK_OK);
	CHECK_EQ(it.s.n[0], INT64_MAX);

	/* 2^63: a tenth byte with its low bit */
	memset(v, 0x80, 9);
	v[9] = 0x01;
	len = image_with_varint(img, v, 10);
	CHECK_EQ(load(img, len, &it, NULL), LK_ERR_SYNTAX);
	CHECK_STREQ(g_err, "survey summary truncated at item 1");

	/* a tenth byte with more bits, and an eleventh byte */
	v[9] = 0x02;
	len = image_with_varint(img, v, 10);
	CHECK_EQ(load(img, len, &it, NULL), LK_ERR_SYNTAX);
	memset(v, 0x80, 10);
	v[10] = 0x00;
	len = image_with_varint(img, v, 11);
	CHECK_EQ(load(img, len, &it, NULL), LK_ERR_SYNTAX);

	/* a zero with a redundant continuation byte is still zero (not canonical, but exact) */
	v[0] = 0x80;
	v[1] = 0x00;
	len = image_with_varint(img, v, 2);
	CHECK_EQ(load(img, len, &it, NULL), LK_OK);
	CHECK_EQ(it.s.n[0], 0);

	/* cut inside a varint: truncated */
	v[0] = 0x80;
	v[1] = 0x01;
	len = image_with_varint(img, v, 2);
	CHECK_EQ(load(img, len - 2, &it, NULL), LK_ERR_SYNTAX);
	CHECK_STREQ(g_err, "survey summary truncated at item 1");
	CHECK_EQ(load(img, len, &it, NULL), LK_OK);
	CHECK_EQ(it.s.n[0], 128);
}

/* every error of sv_load_count and sv_load, each with its message */
static void
test_stored_errors(void)
{
	sv_item		it[2],
				back[2];
	sv_summary	s;
	unsigned char *img,
			   *bad;
	size_t		len;
	uint16_t	n;
	int			count;

	strcpy(it[0].code, "A");
	strcpy(it[1].code, "B");
	lk_summary_init(&it[0].s, 5);
	lk_summary_init(&it[1].s, 3);
	it[0].s.n[3] = 7;
	it[1].s.n[0] = 300;
	s.nitems = 2;
	s.items = it;
	s.forms = NULL;
	img = store(&s, &len);
	bad = malloc(len + 1);
	CHECK_EQ(load(img, len, back, NULL), LK_OK);
	CHECK_STREQ(back[1].code, "B");
	CHECK_EQ(back[1].s.n[0], 300);

	CHECK_EQ(sv_load_count(img, 3, &count, g_err, sizeof(g_err)), LK_ERR_SYNTAX);
	CHECK_STREQ(g_err, "corrupt survey summary header (3 bytes, version 1, flags 0)");
	memcpy(bad, img, len);
	bad[0] = 3;
	CHECK_EQ(load(bad, len, back, NULL), LK_ERR_SYNTAX);
	CHECK_CONTAINS(g_err, "corrupt survey summary header");
	bad[0] = SV_STORE_VERSION;
	bad[1] = SV_FLAG_FORMS;		/* version 1 has no flags */
	CHECK_EQ(load(bad, len, back, NULL), LK_ERR_SYNTAX);
	CHECK_CONTAINS(g_err, "flags 1");
	bad[0] = SV_STORE_VERSION_FORMS;
	bad[1] = 0;					/* version 2 always has forms */
	CHECK_EQ(load(bad, len, back, NULL), LK_ERR_SYNTAX);
	CHECK(!sv_stored_has_forms(bad, len));

	memcpy(bad, img, len);
	n = SV_MAX_ITEMS + 1;
	memcpy(bad + 2, &n, 2);
	CHECK_EQ(sv_load_count(bad, len, &count, g_err, sizeof(g_err)), LK_ERR_SYNTAX);
	CHECK_CONTAINS(g_err, "more than");

	/* item order: "B" before "A", "A" twice, an invalid code */
	memcpy(bad, img, len);
	bad[5] = 'C';				/* the first code: "C" > "B" */
	CHECK_EQ(load(bad, len, back, NULL), LK_ERR_SYNTAX);
	CHECK_STREQ(g_err, "item 2 has an invalid or out-of-order code");
	bad[5] = 'B';
	CHECK_EQ(load(bad, len, back, NULL), LK_ERR_SYNTAX);
	CHECK_STREQ(g_err, "item 2 has an invalid or out-of-order code");
	bad[5] = ' ';
	CHECK_EQ(load(bad, len, back, NULL), LK_ERR_SYNTAX);
	CHECK_STREQ(g_err, "item 1 has an invalid or out-of-order code");

	/* a code length of 0, and one beyond the image */
	memcpy(bad, img, len);
	bad[4] = 0;
	CHECK_EQ(load(bad, len, back, NULL), LK_ERR_SYNTAX);
	CHECK_STREQ(g_err, "survey summary truncated at item 1");
	bad[4] = SV_CODE_MAX + 1;
	CHECK_EQ(load(bad, len, back, NULL), LK_ERR_SYNTAX);

	/* item header: k outside 2..10, weighted flag not 0/1 */
	memcpy(bad, img, len);
	bad[6] = 11;
	CHECK_EQ(load(bad, len, back, NULL), LK_ERR_SYNTAX);
	CHECK_STREQ(g_err, "item \"A\" has a corrupt header (k=11)");
	bad[6] = 5;
	bad[7] = 2;
	CHECK_EQ(load(bad, len, back, NULL), LK_ERR_SYNTAX);
	CHECK_STREQ(g_err, "item \"A\" has a corrupt header (k=5)");

	/* weighted item whose weight sums are cut off */
	memcpy(bad, img, len);
	bad[7] = 1;
	CHECK_EQ(load(bad, len, back, NULL), LK_ERR_SYNTAX);
	CHECK_CONTAINS(g_err, "truncated at item");

	/* a byte too many, and a cut anywhere inside */
	memcpy(bad, img, len);
	bad[len] = 0;
	CHECK_EQ(load(bad, len + 1, back, NULL), LK_ERR_SYNTAX);
	CHECK_STREQ(g_err, "1 unexpected bytes after the last item");
	{
		size_t		cut;

		for (cut = 4; cut < len; cut++)
			CHECK(load(img, cut, back, NULL) != LK_OK);
	}

	/* a version-2 image read without room for its forms section */
	memcpy(bad, img, len);
	bad[0] = SV_STORE_VERSION_FORMS;
	bad[1] = SV_FLAG_FORMS;
	CHECK(sv_stored_has_forms(bad, len));
	CHECK_EQ(load(bad, len, back, NULL), LK_ERR_SYNTAX);
	CHECK_STREQ(g_err, "survey summary has a forms section but no room was given for it");

	free(bad);
	free(img);
}

static lk_status
parse(const char *text, sv_item *items, int *n)
{
	sv_summary	s;
	lk_status	st;

	s.items = items;
	s.forms = NULL;
	g_err[0] = '\0';
	st = sv_parse(text, &s, g_err, sizeof(g_err));
	*n = s.nitems;
	return st;
}

/* every error of the text form; messages name the byte and what was expected */
static void
test_text_errors(void)
{
	static const struct
	{
		const char *text;
		lk_status	st;
		const char *msg;
	}			cases[] = {
		{"", LK_ERR_SYNTAX, "expected \"{\" at end of input"},
		{"[]", LK_ERR_SYNTAX, "expected \"{\" at byte 1, found \"[]\""},
		{"{A:1}", LK_ERR_SYNTAX, "expected an item code in double quotes at byte 2, found \"A:1}\""},
		{"{\"A", LK_ERR_SYNTAX, "expected a closing double quote at byte 2"},
		{"{\"A\" {}}", LK_ERR_SYNTAX, "expected \":\" at byte 6, found \"{}}\""},
		{"{\"A B\":{}}", LK_ERR_SYNTAX, "item code \"A B\" contains white space or an invisible character: a code is 1 to 32 bytes of UTF-8"},
		{"{\"\":{}}", LK_ERR_SYNTAX, "item code \"\" is empty"},
		{"{\"\xc3\":{}}", LK_ERR_SYNTAX, "item code \"...\" is not well-formed UTF-8"},
		{"{\"@x\":{}}", LK_ERR_SYNTAX, "item code \"@x\" starts with @"},
		{"{\"\xc3\xa1\":{}}", LK_ERR_SYNTAX, "expected \"k\""},
		{"{\"B\":{\"k\":2,\"n\":[1,1]},\"A\":{\"k\":2,\"n\":[1,1]}}", LK_ERR_INCONSISTENT,
		"item \"A\" comes after \"B\": items must be unique and in code order"},
		{"{\"A\":{\"k\":2,\"n\":[1,1]},\"A\":{\"k\":2,\"n\":[1,1]}}", LK_ERR_INCONSISTENT,
		"item \"A\" repeats \"A\": items must be unique and in code order"},
		{"{\"A\":{\"k\":2,\"n\":[1,1]} \"B\"", LK_ERR_SYNTAX, "expected \",\" or \"}\" at byte 24"},
		{"{\"A\":{\"k\":2,\"n\":[1,1]}} x", LK_ERR_SYNTAX, "expected end of input at byte 25, found \"x\""},
		{"{\"A\":{\"k\":11,\"n\":[1,1]}}", LK_ERR_RANGE, "(item \"A\")"},
		{"{\"A\":{\"k\":2,\"n\":[1,-1]}}", LK_ERR_RANGE, "count -1 of level 2 is negative (item \"A\")"},
		{"{\"@forms\":{}}", LK_ERR_SYNTAX, "survey text has a forms section but no room was given for it"},
	};
	sv_item		items[4];
	size_t		i;
	int			n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		lk_status	st = parse(cases[i].text, items, &n);

		if (!CHECK_EQ(st, cases[i].st))
			unit_note("text: %s (message: %s)", cases[i].text, g_err);
		CHECK_CONTAINS(g_err, cases[i].msg);
	}

	/* accepted: empty, whitespace around everything, codes in bytewise order */
	CHECK_EQ(parse(" { } ", items, &n), LK_OK);
	CHECK_EQ(n, 0);
	CHECK_EQ(parse("\t{\n\"B\" :\r{\"k\":2,\"n\":[1,2]} , \"a\":{\"k\":3,\"n\":[0,0,4]}}\n", items, &n), LK_OK);
	CHECK_EQ(n, 2);
	CHECK_STREQ(items[0].code, "B");
	CHECK_EQ(items[1].s.n[2], 4);
}

/* the item limit: counted without storing, and told apart from other errors */
static void
test_item_limit(void)
{
	size_t		cap = (size_t) (SV_MAX_ITEMS + 1) * 40 + 8;
	char	   *text = malloc(cap);
	size_t		pos = 0,
				at_limit;
	bool		too_many;
	int			n,
				i;

	pos += (size_t) snprintf(text + pos, cap - pos, "{");
	for (i = 0; i < SV_MAX_ITEMS; i++)
		pos += (size_t) snprintf(text + pos, cap - pos, "%s\"I%05d\":{\"k\":2,\"n\":[1,0]}", i ? "," : "", i);
	at_limit = pos;
	snprintf(text + pos, cap - pos, "}");
	/* exactly the limit is fine */
	CHECK_EQ(sv_parse_count_limit(text, &n, &too_many, g_err, sizeof(g_err)), LK_OK);
	CHECK_EQ(n, SV_MAX_ITEMS);
	CHECK(!too_many);
	/* one item more is the limit error, told apart from a syntax error */
	snprintf(text + at_limit, cap - at_limit, ",\"I%05d\":{\"k\":2,\"n\":[1,0]}}", SV_MAX_ITEMS);
	CHECK_EQ(sv_parse_count_limit(text, &n, &too_many, g_err, sizeof(g_err)), LK_ERR_RANGE);
	CHECK(too_many);
	CHECK_CONTAINS(g_err, "more than");
	CHECK_EQ(sv_parse_count_limit("{\"A\" 1}", &n, &too_many, g_err, sizeof(g_err)), LK_ERR_SYNTAX);
	CHECK(!too_many);
	free(text);
}

void
test_survey_format(void)
{
	test_codes();
	test_sort_check();
	test_varint_boundaries();
	test_varint_errors();
	test_stored_errors();
	test_text_errors();
	test_item_limit();
}
