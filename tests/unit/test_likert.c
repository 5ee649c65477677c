/*
 * test_likert.c - lk_summary: init, canonicalize, check, store/load.
 */
#include "unit.h"

#include <float.h>
#include <stdlib.h>

/* a weighted summary with one level set, the others empty */
static void
one_level(lk_summary *s, int k, int level, int64_t n, double w, double w2)
{
	lk_summary_init(s, k);
	s->weighted = true;
	s->n[level - 1] = n;
	s->w[level - 1] = w;
	s->w2[level - 1] = w2;
}

static void
test_init(void)
{
	lk_summary	s;
	int			i;

	memset(&s, 0xab, sizeof(s));
	lk_summary_init(&s, 7);
	CHECK_EQ(s.k, 7);
	CHECK(!s.weighted);
	for (i = 0; i < LK_MAX_K; i++)
	{
		CHECK_EQ(s.n[i], 0);
		CHECK_DEQ(s.w[i], 0.0);
		CHECK_DEQ(s.w2[i], 0.0);
	}
	CHECK_EQ(lk_summary_n(&s), 0);
}

static void
test_canonicalize(void)
{
	lk_summary	s;
	int			i;

	/* unweighted: the weight arrays are filled from the counts */
	lk_summary_init(&s, 5);
	s.n[2] = 5;
	s.n[3] = 16;
	s.n[4] = 10;
	s.w[0] = 123.0;				/* garbage that canonicalization overwrites */
	s.w2[1] = -7.0;
	lk_summary_canonicalize(&s);
	CHECK(!s.weighted);
	for (i = 0; i < 5; i++)
	{
		CHECK_DEQ(s.w[i], (double) s.n[i]);
		CHECK_DEQ(s.w2[i], (double) s.n[i]);
	}
	CHECK_EQ(lk_summary_n(&s), 31);

	/* levels beyond k are cleared */
	lk_summary_init(&s, 3);
	s.n[5] = 9;
	s.w[5] = 1.5;
	s.w2[9] = 2.5;
	lk_summary_canonicalize(&s);
	CHECK_EQ(s.n[5], 0);
	CHECK_DEQ(s.w[5], 0.0);
	CHECK_DEQ(s.w2[9], 0.0);

	/* -0 becomes +0 */
	lk_summary_init(&s, 4);
	s.weighted = true;
	s.n[0] = 2;
	s.w[0] = 1.5;
	s.w2[0] = 1.25;
	s.w[1] = -0.0;
	s.w2[1] = -0.0;
	s.n[2] = 1;
	s.w[2] = -0.0;
	s.w2[2] = -0.0;				/* one answer of weight -0 */
	lk_summary_canonicalize(&s);
	CHECK(s.weighted);
	CHECK_DEQ(s.w[1], 0.0);
	CHECK_DEQ(s.w2[1], 0.0);
	CHECK_DEQ(s.w[2], 0.0);
	CHECK_DEQ(s.w2[2], 0.0);
	CHECK(!signbit(s.w[1]) && !signbit(s.w2[2]));

	/* weighted with w == w2 == n on every level: stored as plain */
	lk_summary_init(&s, 5);
	s.weighted = true;
	for (i = 0; i < 5; i++)
	{
		s.n[i] = i * 3;
		s.w[i] = (double) (i * 3);
		s.w2[i] = (double) (i * 3);
	}
	s.w[0] = -0.0;				/* -0 == 0 == n[0] */
	lk_summary_canonicalize(&s);
	CHECK(!s.weighted);
	CHECK_DEQ(s.w[0], 0.0);

	/* all weights 1 but one level's w2 differs: stays weighted */
	s.weighted = true;
	s.w2[3] = 8.5;
	lk_summary_canonicalize(&s);
	CHECK(s.weighted);

	/* w differs on one level: stays weighted */
	s.w2[3] = 9.0;
	s.w[4] = 11.5;
	lk_summary_canonicalize(&s);
	CHECK(s.weighted);

	/* idempotent */
	{
		lk_summary t = s;

		lk_summary_canonicalize(&t);
		CHECK(unit_summary_same(&s, &t));
	}

	/* zero weights on answered levels are a weighted value, not a plain one */
	one_level(&s, 3, 2, 4, 0.0, 0.0);
	lk_summary_canonicalize(&s);
	CHECK(s.weighted);
}

/* expect a rejection with the given status and a message containing each needle */
static void
expect_reject(const lk_summary *s, lk_status want, const char *needle1, const char *needle2,
			  int line)
{
	char		err[LK_ERRBUF] = "";
	lk_status	st = lk_summary_check(s, err, sizeof(err));

	if (!CHECK_EQ(st, want))
		unit_note("(from test_likert.c:%d) message: %s", line, err);
	if (needle1)
		CHECK_CONTAINS(err, needle1);
	if (needle2)
		CHECK_CONTAINS(err, needle2);
}

static void
expect_ok(const lk_summary *s, int line)
{
	char		err[LK_ERRBUF] = "";
	lk_status	st = lk_summary_check(s, err, sizeof(err));

	if (!CHECK_EQ(st, LK_OK))
		unit_note("(from test_likert.c:%d) message: %s", line, err);
}

static void
test_check(void)
{
	lk_summary	s;
	int			k;

	/* scale size */
	for (k = -3; k <= 14; k++)
	{
		char		want[32];

		lk_summary_init(&s, k);
		snprintf(want, sizeof(want), "scale size %d ", k);
		if (k >= LK_MIN_K && k <= LK_MAX_K)
			expect_ok(&s, __LINE__);
		else
			expect_reject(&s, LK_ERR_RANGE, want, "2 to 10 levels", __LINE__);
	}

	/* negative count, named with its level */
	lk_summary_init(&s, 5);
	s.n[0] = 4;
	s.n[1] = -3;
	lk_summary_canonicalize(&s);
	expect_reject(&s, LK_ERR_RANGE, "count -3 of level 2 is negative", NULL, __LINE__);
	s.n[1] = INT64_MIN;
	expect_reject(&s, LK_ERR_RANGE, "count -9223372036854775808 of level 2", NULL, __LINE__);

	/* total above INT64_MAX */
	lk_summary_init(&s, 3);
	s.n[0] = INT64_MAX - 5;
	s.n[1] = 5;
	expect_ok(&s, __LINE__);
	CHECK_EQ(lk_summary_n(&s), INT64_MAX);
	s.n[2] = 1;
	expect_reject(&s, LK_ERR_OVERFLOW, "exceeds 9223372036854775807", NULL, __LINE__);
	lk_summary_init(&s, 10);
	for (k = 0; k < 10; k++)
		s.n[k] = INT64_MAX / 9;
	expect_reject(&s, LK_ERR_OVERFLOW, "total count", NULL, __LINE__);

	/* weight sums: finite and not negative */
	one_level(&s, 5, 3, 2, NAN, 1.0);
	expect_reject(&s, LK_ERR_RANGE, "level 3", "w=nan", __LINE__);
	one_level(&s, 5, 3, 2, 1.0, INFINITY);
	expect_reject(&s, LK_ERR_RANGE, "level 3", "w2=inf", __LINE__);
	one_level(&s, 5, 3, 2, -INFINITY, 1.0);
	expect_reject(&s, LK_ERR_RANGE, "w=-inf", NULL, __LINE__);
	one_level(&s, 5, 4, 2, -1.5, 1.0);
	expect_reject(&s, LK_ERR_RANGE, "level 4 must be finite and not negative", "w=-1.5", __LINE__);
	one_level(&s, 5, 5, 2, 1.0, -0.25);
	expect_reject(&s, LK_ERR_RANGE, "level 5", "w2=-0.25", __LINE__);
	/* -0 is not negative */
	one_level(&s, 5, 5, 0, -0.0, -0.0);
	expect_ok(&s, __LINE__);

	/* no answers but non-zero weight sums */
	one_level(&s, 5, 1, 0, 2.5, 0.0);
	expect_reject(&s, LK_ERR_INCONSISTENT, "level 1 has no answers", "w=2.5", __LINE__);
	one_level(&s, 5, 2, 0, 0.0, 0.75);
	expect_reject(&s, LK_ERR_INCONSISTENT, "level 2 has no answers", "w2=0.75", __LINE__);

	/* w == 0 but w2 != 0 */
	one_level(&s, 4, 2, 3, 0.0, 1.0);
	expect_reject(&s, LK_ERR_INCONSISTENT, "level 2 cannot come from 3 non-negative weights", "w2=1", __LINE__);

	/* w2 > w^2: impossible for non-negative weights */
	one_level(&s, 4, 2, 3, 2.0, 4.5);
	expect_reject(&s, LK_ERR_INCONSISTENT, "cannot come from 3", "w=2, w2=4.5", __LINE__);
	/* w2 < w^2 / n */
	one_level(&s, 4, 2, 3, 3.0, 2.5);
	expect_reject(&s, LK_ERR_INCONSISTENT, "cannot come from 3", "w=3, w2=2.5", __LINE__);

	/* the bounds themselves are allowed (one weight; equal weights) */
	one_level(&s, 4, 2, 1, 0.1, 0.1 * 0.1);
	expect_ok(&s, __LINE__);
	one_level(&s, 4, 2, 3, 3 * 0.7, 3 * (0.7 * 0.7));
	expect_ok(&s, __LINE__);
	one_level(&s, 4, 2, 3, 2.0, 4.0);	/* weights 2, 0, 0 */
	expect_ok(&s, __LINE__);
	one_level(&s, 4, 2, 3, 2.0, 4.0 * (1.0 + 1e-7));
	expect_reject(&s, LK_ERR_INCONSISTENT, "cannot come from 3", NULL, __LINE__);
	/* zero weights on an answered level */
	one_level(&s, 4, 2, 3, 0.0, 0.0);
	expect_ok(&s, __LINE__);
	/* large and small magnitudes that do not overflow the test */
	one_level(&s, 4, 1, 1, 1e150, 1e300);
	expect_ok(&s, __LINE__);
	one_level(&s, 4, 1, 1, 1e-150, 1e-300);
	expect_ok(&s, __LINE__);
	one_level(&s, 4, 1, 4, 2e153, 1e306);
	expect_ok(&s, __LINE__);
	one_level(&s, 4, 1, INT64_MAX, 1e-3, 1e-6 / 9.2e18 * 1.5);
	expect_ok(&s, __LINE__);
	one_level(&s, 4, 1, 2, DBL_MAX, DBL_MAX);	/* needs w2 >= w^2/2 */
	expect_reject(&s, LK_ERR_INCONSISTENT, NULL, NULL, __LINE__);

	/*
	 * Tiny weights may square to zero: the lower bound w2 >= w^2/n is only
	 * checked while the mean weight w/n is above 1e-150.
	 */
	one_level(&s, 4, 3, 1, 1e-160, 0.0);
	expect_ok(&s, __LINE__);
	one_level(&s, 4, 3, 10, 1e-149, 0.0);	/* mean 1e-150: not checked */
	expect_ok(&s, __LINE__);
	one_level(&s, 4, 3, 1, 1e-149, 0.0);	/* mean 1e-149: checked */
	expect_reject(&s, LK_ERR_INCONSISTENT, "cannot come from 1", "w2=0", __LINE__);
	one_level(&s, 4, 3, 1, 1e-140, 1e-281);	/* w2 < w^2 = 1e-280 */
	expect_reject(&s, LK_ERR_INCONSISTENT, "cannot come from 1", NULL, __LINE__);
	/* the upper bound w2 <= w^2 still holds for tiny weights */
	one_level(&s, 4, 3, 1, 1e-160, 1e-300);
	expect_reject(&s, LK_ERR_INCONSISTENT, "cannot come from 1", NULL, __LINE__);

	/* an unweighted summary never looks at the weight arrays */
	lk_summary_init(&s, 3);
	s.n[0] = 1;
	s.w[0] = NAN;
	s.w2[1] = -1.0;
	expect_ok(&s, __LINE__);

	/* the first offending level is named */
	lk_summary_init(&s, 6);
	s.weighted = true;
	s.n[1] = 1;
	s.w[1] = 2.0;
	s.w2[1] = 4.0;
	s.n[4] = 1;
	s.w[4] = 2.0;
	s.w2[4] = 5.0;
	expect_reject(&s, LK_ERR_INCONSISTENT, "level 5", NULL, __LINE__);

	/* a short error buffer is truncated, not overrun (ASan watches) */
	{
		char	   *small = malloc(8);
		lk_status	st;

		lk_summary_init(&s, 1);
		st = lk_summary_check(&s, small, 8);
		CHECK_EQ(st, LK_ERR_RANGE);
		CHECK_EQ(strlen(small), 7);
		free(small);
	}
}

/* a random valid summary: weighted when asked */
static void
random_summary(lk_summary *s, int k, bool weighted)
{
	int			i,
				j;

	lk_summary_init(s, k);
	s->weighted = weighted;
	for (i = 0; i < k; i++)
	{
		int			kind = (int) unit_rand_range(0, 5);

		if (kind == 0)
			s->n[i] = 0;
		else if (kind == 1 && !weighted)
			s->n[i] = unit_rand_range(0, INT64_MAX / LK_MAX_K);
		else
			s->n[i] = unit_rand_range(1, 12);
		if (!weighted || s->n[i] == 0)
			continue;
		for (j = 0; j < s->n[i]; j++)
		{
			double		x = kind == 2 ? 0.1 : unit_rand_unit() * 3.0;

			s->w[i] += x;
			s->w2[i] += x * x;
		}
	}
	lk_summary_canonicalize(s);
}

static void
test_store_load(void)
{
	int			k,
				rep;

	for (k = LK_MIN_K; k <= LK_MAX_K; k++)
	{
		for (rep = 0; rep < 8; rep++)
		{
			bool		weighted = rep % 2 == 1;
			lk_summary	s,
						t;
			char		err[LK_ERRBUF] = "";
			size_t		size;
			unsigned char *buf;
			uint16_t	flags;

			random_summary(&s, k, weighted);
			if (weighted && !s.weighted)
				continue;		/* every level came out plain: rare */
			CHECK_EQ(lk_summary_check(&s, err, sizeof(err)), LK_OK);
			size = lk_stored_size(&s);
			CHECK_EQ(size, LK_STORE_HEADER + (size_t) k * (weighted ? 24 : 8));
			buf = malloc(size);	/* exact size: ASan sees any overrun */
			lk_store(&s, buf);
			CHECK_EQ(buf[0], LK_STORE_VERSION);
			CHECK_EQ(buf[1], k);
			memcpy(&flags, buf + 2, sizeof(flags));
			CHECK_EQ(flags, weighted ? LK_FLAG_WEIGHTED : 0);
			CHECK(memcmp(buf + LK_STORE_HEADER, s.n, (size_t) k * 8) == 0);

			memset(&t, 0x5a, sizeof(t));
			CHECK_EQ(lk_load(buf, size, &t, err, sizeof(err)), LK_OK);
			if (!CHECK(unit_summary_same(&s, &t)))
				unit_note("k=%d weighted=%d", k, (int) weighted);
			/* beyond k the loaded value is zero, like a fresh init */
			if (k < LK_MAX_K)
			{
				CHECK_EQ(t.n[k], 0);
				CHECK_DEQ(t.w[LK_MAX_K - 1], 0.0);
			}
			free(buf);
		}
	}

	/* the documented size: 44 bytes of payload for 5 unweighted levels */
	{
		lk_summary	s;

		lk_summary_init(&s, 5);
		lk_summary_canonicalize(&s);
		CHECK_EQ(lk_stored_size(&s), 44);
	}
}

static lk_status
load_bytes(const unsigned char *bytes, size_t len, char *err)
{
	/* copy to an exact-size heap block so that ASan catches over-reads */
	unsigned char *copy = malloc(len ? len : 1);
	lk_summary	s;
	lk_status	st;

	memcpy(copy, bytes, len);
	st = lk_load(copy, len, &s, err, LK_ERRBUF);
	free(copy);
	return st;
}

static void
test_load_rejections(void)
{
	lk_summary	s;
	unsigned char good[LK_STORE_HEADER + 3 * 24];
	unsigned char bad[sizeof(good) + 8];
	char		err[LK_ERRBUF];
	size_t		len,
				wlen;
	uint16_t	flags;

	lk_summary_init(&s, 3);
	s.n[0] = 1;
	s.n[1] = 2;
	s.n[2] = 3;
	lk_summary_canonicalize(&s);
	len = lk_stored_size(&s);	/* 28 */
	lk_store(&s, good);
	CHECK_EQ(load_bytes(good, len, err), LK_OK);

	/* short buffer */
	for (size_t l = 0; l < LK_STORE_HEADER; l++)
	{
		char		want[64];

		err[0] = '\0';
		CHECK_EQ(load_bytes(good, l, err), LK_ERR_SYNTAX);
		snprintf(want, sizeof(want), "has %zu bytes, fewer than the 4-byte header", l);
		CHECK_CONTAINS(err, want);
	}

	/* bad version */
	memcpy(bad, good, len);
	bad[0] = 0;
	CHECK_EQ(load_bytes(bad, len, err), LK_ERR_SYNTAX);
	CHECK_CONTAINS(err, "unknown layout version 0");
	bad[0] = 2;
	CHECK_EQ(load_bytes(bad, len, err), LK_ERR_SYNTAX);
	CHECK_CONTAINS(err, "unknown layout version 2 (this build reads version 1)");
	bad[0] = 255;
	CHECK_EQ(load_bytes(bad, len, err), LK_ERR_SYNTAX);
	CHECK_CONTAINS(err, "version 255");

	/* bad k */
	{
		int			ks[] = {0, 1, 11, 200, 255};

		for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++)
		{
			char		want[48];

			memcpy(bad, good, len);
			bad[1] = (unsigned char) ks[i];
			CHECK_EQ(load_bytes(bad, len, err), LK_ERR_SYNTAX);
			snprintf(want, sizeof(want), "corrupt header (k=%d,", ks[i]);
			CHECK_CONTAINS(err, want);
		}
	}

	/* unknown flags */
	{
		uint16_t	fl[] = {0x0002, 0x0003, 0x0100, 0x8000, 0xffff};

		for (size_t i = 0; i < sizeof(fl) / sizeof(fl[0]); i++)
		{
			char		want[32];

			memcpy(bad, good, len);
			memcpy(bad + 2, &fl[i], sizeof(fl[i]));
			CHECK_EQ(load_bytes(bad, len, err), LK_ERR_SYNTAX);
			snprintf(want, sizeof(want), "flags=0x%x)", fl[i]);
			CHECK_CONTAINS(err, want);
		}
	}

	/* wrong length, unweighted: one byte short or long, or a whole level */
	memcpy(bad, good, len);
	bad[len] = 0;
	CHECK_EQ(load_bytes(bad, len - 1, err), LK_ERR_SYNTAX);
	CHECK_CONTAINS(err, "has 27 bytes, expected 28");
	CHECK_EQ(load_bytes(bad, len + 1, err), LK_ERR_SYNTAX);
	CHECK_CONTAINS(err, "has 29 bytes, expected 28");
	CHECK_EQ(load_bytes(bad, LK_STORE_HEADER, err), LK_ERR_SYNTAX);
	CHECK_CONTAINS(err, "has 4 bytes, expected 28");

	/* the weighted flag on an unweighted payload */
	memcpy(bad, good, len);
	flags = LK_FLAG_WEIGHTED;
	memcpy(bad + 2, &flags, sizeof(flags));
	CHECK_EQ(load_bytes(bad, len, err), LK_ERR_SYNTAX);
	CHECK_CONTAINS(err, "has 28 bytes, expected 76");

	/* a weighted payload: exact length loads, anything else is rejected */
	s.weighted = true;
	s.w[1] = 1.5;
	s.w2[1] = 1.25;
	lk_summary_canonicalize(&s);
	wlen = lk_stored_size(&s);
	CHECK_EQ(wlen, 76);
	lk_store(&s, good);
	CHECK_EQ(load_bytes(good, wlen, err), LK_OK);
	CHECK_EQ(load_bytes(good, wlen - 8, err), LK_ERR_SYNTAX);
	CHECK_CONTAINS(err, "has 68 bytes, expected 76");
	memcpy(bad, good, wlen);
	flags = 0;
	memcpy(bad + 2, &flags, sizeof(flags));
	CHECK_EQ(load_bytes(bad, wlen, err), LK_ERR_SYNTAX);
	CHECK_CONTAINS(err, "has 76 bytes, expected 28");
}

void
test_likert(void)
{
	test_init();
	test_canonicalize();
	test_check();
	test_store_load();
	test_load_rejections();
}
