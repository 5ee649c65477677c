/*
 * fuzz_core.c - fuzz targets for the plain-C parsers and loaders of src/core
 * (no PostgreSQL), built with AddressSanitizer and UndefinedBehaviorSanitizer.
 *
 *   FUZZ_TARGET = 1 lk_parse   text form of sipas.likert
 *                 2 sv_parse   text form of sipas.survey (sv_parse_count + sv_parse)
 *                 3 lk_load    stored layout of sipas.likert
 *                 4 sv_load    stored layout of sipas.survey (sv_load_count + sv_load)
 *                 5 fm_parse   text form of sipas.form (fm_parse_count + fm_parse)
 *                 6 fm_load    stored layout of sipas.form (fm_load_count + fm_load, fm_iter)
 *
 * Built two ways by tests/fuzz/run:
 *   - with clang -fsanitize=fuzzer (libFuzzer): LLVMFuzzerTestOneInput below;
 *   - otherwise (-DFUZZ_STANDALONE): a main() with a deterministic mutation
 *     loop over the seed corpus (bit flips, byte insertions, deletions,
 *     truncation, duplication, splicing, boundary bytes), for compilers
 *     without libFuzzer.
 * Both builds also offer "seedgen": read text forms (one per line) and write
 * the stored images of the valid ones, the seed corpus of targets 3, 4 and 6.
 *
 * Beyond memory safety, every accepted input must round-trip: parse -> format
 * -> parse gives the same value, store -> load gives the same value, and
 * buffers sized by lk_stored_size / sv_stored_size / sv_text_size are exactly
 * big enough (they are malloc'ed to that size, so ASan sees any overflow).
 * A violated check calls abort(), which both drivers report as a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "likert.h"
#include "lk_index.h"
#include "lk_stats.h"
#include "lk_text.h"
#include "survey.h"

#ifndef FUZZ_TARGET
#define FUZZ_TARGET 1
#endif

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_core: check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	abort(); } } while (0)

/* a NUL-terminated copy in a buffer of exactly size + 1 bytes */
static char *
cstring(const uint8_t *data, size_t size)
{
	char	   *s = malloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static void
check_err(const char *err)
{
	CHECK(memchr(err, '\0', LK_ERRBUF) != NULL);
}

/* same value: scale, flag and every array (not the struct padding) */
static int
same_summary(const lk_summary *a, const lk_summary *b)
{
	return a->k == b->k && a->weighted == b->weighted &&
		memcmp(a->n, b->n, sizeof(a->n)) == 0 &&
		memcmp(a->w, b->w, sizeof(a->w)) == 0 &&
		memcmp(a->w2, b->w2, sizeof(a->w2)) == 0;
}

/* stored image of a valid summary, loaded back: same summary */
static void
likert_store_roundtrip(const lk_summary *s)
{
	size_t		len = lk_stored_size(s);
	unsigned char *buf = malloc(len);
	lk_summary	back;
	char		err[LK_ERRBUF];

	lk_store(s, buf);
	CHECK(lk_load(buf, len, &back, err, sizeof(err)) == LK_OK);
	CHECK(same_summary(&back, s));
	free(buf);
}

/* figures of a valid summary: exercised for the sanitizers only */
static void
likert_figures(const lk_summary *s)
{
	double		x,
				lo,
				hi;
	int			from = lk_satisfied_from(s->k);

	(void) lk_summary_n(s);
	(void) lk_share_from(s, from, &x);
	(void) lk_share_level(s, 1, &x);
	(void) lk_mean_score(s, &x);
	(void) lk_effective_n(s, &x);
	(void) lk_std_error(s, from, &x);
	(void) lk_confidence_interval(s, from, 0.95, LK_CI_WILSON, &lo, &hi);
	(void) lk_confidence_interval(s, from, 0.9, LK_CI_LOGIT, &lo, &hi);
}

static void
fuzz_lk_parse(const uint8_t *data, size_t size)
{
	char	   *str = cstring(data, size);
	char		err[LK_ERRBUF];
	lk_summary	s,
				again,
				canon;
	char	   *text;

	memset(err, 'x', sizeof(err));
	err[sizeof(err) - 1] = '\0';
	if (lk_parse(str, &s, err, sizeof(err)) != LK_OK)
	{
		check_err(err);
		free(str);
		return;
	}
	/* accepted: valid, canonical, and the text form reads back to the same value */
	CHECK(lk_summary_check(&s, err, sizeof(err)) == LK_OK);
	canon = s;
	lk_summary_canonicalize(&canon);
	CHECK(same_summary(&canon, &s));
	text = malloc(LK_TEXT_MAX);
	lk_format(&s, text, LK_TEXT_MAX);
	CHECK(strlen(text) < LK_TEXT_MAX - 1);
	CHECK(lk_parse(text, &again, err, sizeof(err)) == LK_OK);
	CHECK(same_summary(&again, &s));
	likert_store_roundtrip(&s);
	likert_figures(&s);
	free(text);
	free(str);
}

static void
survey_roundtrip(const sv_summary *s)
{
	size_t		tsize = sv_text_size(s),
				ssize = sv_stored_size(s);
	char	   *text = malloc(tsize);
	unsigned char *stored = malloc(ssize);
	char		err[LK_ERRBUF];
	sv_summary	back;
	int			n,
				i;

	/* text form: fits, reads back to the same items */
	sv_format(s, text, tsize);
	CHECK(strlen(text) < tsize);
	CHECK(sv_parse_count(text, &n, err, sizeof(err)) == LK_OK);
	CHECK(n == s->nitems);
	back.items = malloc(sizeof(sv_item) * (n > 0 ? n : 1));
	back.forms = s->forms ? malloc(sv_forms_storage(n)) : NULL;
	CHECK(sv_parse(text, &back, err, sizeof(err)) == LK_OK);
	CHECK(back.nitems == s->nitems);
	for (i = 0; i < n; i++)
	{
		CHECK(strcmp(back.items[i].code, s->items[i].code) == 0);
		CHECK(same_summary(&back.items[i].s, &s->items[i].s));
	}
	/* stored form: exactly sv_stored_size bytes, loads back to the same items */
	CHECK(sv_store(s, stored) == ssize);
	CHECK(sv_load_count(stored, ssize, &n, err, sizeof(err)) == LK_OK);
	CHECK(n == s->nitems);
	CHECK(sv_load(stored, ssize, &back, err, sizeof(err)) == LK_OK);
	for (i = 0; i < n; i++)
	{
		CHECK(strcmp(back.items[i].code, s->items[i].code) == 0);
		CHECK(same_summary(&back.items[i].s, &s->items[i].s));
		CHECK(sv_find(s, s->items[i].code) == i);
		likert_figures(&s->items[i].s);
	}
	free(back.items);
	free(s->forms ? back.forms : NULL);
	free(stored);
	free(text);
}

static void
fuzz_sv_parse(const uint8_t *data, size_t size)
{
	char	   *str = cstring(data, size);
	char		err[LK_ERRBUF];
	sv_summary	s;
	int			n;

	if (sv_parse_count(str, &n, err, sizeof(err)) != LK_OK)
	{
		check_err(err);
		free(str);
		return;
	}
	CHECK(n >= 0 && n <= SV_MAX_ITEMS);
	/* exactly n items: ASan reports a parse that writes more than it counted */
	s.items = malloc(sizeof(sv_item) * (n > 0 ? n : 1));
	{
		sv_forms   *room = sv_text_has_forms(str) ? malloc(sv_forms_storage(n)) : NULL;

		s.forms = room;
		/* the counting pass checks syntax; moments against histograms only here */
		if (sv_parse(str, &s, err, sizeof(err)) == LK_OK)
		{
			CHECK(s.nitems == n);
			survey_roundtrip(&s);
		}
		else
		{
			CHECK(room != NULL);
			check_err(err);
		}
		free(room);
	}
	free(s.items);
	free(str);
}

static void
fuzz_lk_load(const uint8_t *data, size_t size)
{
	/* an exact-size copy: reading past the end is an ASan report */
	unsigned char *src = malloc(size ? size : 1);
	char		err[LK_ERRBUF];
	lk_summary	s;

	memcpy(src, data, size);
	if (lk_load(src, size, &s, err, sizeof(err)) == LK_OK)
	{
		unsigned char *again;

		/* lk_load checks layout only; the image stores back byte for byte */
		CHECK(lk_stored_size(&s) == size);
		again = malloc(size);
		lk_store(&s, again);
		CHECK(memcmp(again, src, size) == 0);
		free(again);
		/* values only sipas could have made (as every stored value is) */
		if (lk_summary_check(&s, err, sizeof(err)) == LK_OK)
		{
			char	   *text = malloc(LK_TEXT_MAX);

			likert_figures(&s);
			lk_format(&s, text, LK_TEXT_MAX);
			CHECK(strlen(text) < LK_TEXT_MAX - 1);
			free(text);
		}
	}
	else
		check_err(err);
	free(src);
}

static void
fuzz_sv_load(const uint8_t *data, size_t size)
{
	unsigned char *src = malloc(size ? size : 1);
	char		err[LK_ERRBUF];
	sv_summary	s;
	int			n;
	void	   *free_later = NULL;

	memcpy(src, data, size);
	if (sv_load_count(src, size, &n, err, sizeof(err)) == LK_OK)
	{
		CHECK(n >= 0 && n <= SV_MAX_ITEMS);
		s.items = malloc(sizeof(sv_item) * (n > 0 ? n : 1));
		s.forms = sv_stored_has_forms(src, size) ? malloc(sv_forms_storage(n)) : NULL;
		if (sv_stored_has_forms(src, size))
			free_later = s.forms;
		if (sv_load(src, size, &s, err, sizeof(err)) == LK_OK)
		{
			sv_summary	it;

			CHECK(s.nitems == n);
			/* the stored form may spell a count with a longer varint: never bigger */
			CHECK(sv_stored_size(&s) <= size);
			CHECK(sv_stored_bound(&s) >= sv_stored_size(&s));
			survey_roundtrip(&s);
			/* the items alone: accepted too, the same items */
			it.items = malloc(sizeof(sv_item) * (n > 0 ? n : 1));
			it.forms = NULL;
			CHECK(sv_load_items(src, size, &it, err, sizeof(err)) == LK_OK);
			CHECK(it.nitems == s.nitems && it.forms == NULL);
			for (int i = 0; i < n && i < it.nitems; i++)
				CHECK(strcmp(it.items[i].code, s.items[i].code) == 0 &&
					  memcmp(it.items[i].s.n, s.items[i].s.n, sizeof(s.items[i].s.n)) == 0);
			free(it.items);
		}
		else
		{
			sv_summary	it;

			check_err(err);
			/* the items alone: never more than sv_load reads, any error well formed */
			it.items = malloc(sizeof(sv_item) * (n > 0 ? n : 1));
			it.forms = NULL;
			if (sv_load_items(src, size, &it, err, sizeof(err)) == LK_OK)
				CHECK(it.nitems == n && it.forms == NULL);
			else
				check_err(err);
			free(it.items);
		}
		free(s.items);
		free(free_later);
	}
	else
		check_err(err);
	free(src);
}

/* ---- sipas.form ---- */

static int
same_form(const fm_form *a, const fm_form *b)
{
	int			i;

	if (a->nitems != b->nitems)
		return 0;
	for (i = 0; i < a->nitems; i++)
		if (strcmp(a->items[i].code, b->items[i].code) != 0 || a->items[i].k != b->items[i].k ||
			a->items[i].level != b->items[i].level)
			return 0;
	return 1;
}

/* a valid form: text and stored round trips, exact buffer sizes, the iterator agrees */
static void
form_roundtrip(const fm_form *f)
{
	size_t		tsize = fm_text_size(f),
				ssize = fm_stored_size(f);
	char	   *text = malloc(tsize);
	unsigned char *stored = malloc(ssize);
	char		err[LK_ERRBUF];
	fm_form		back;
	fm_iter		it;
	int			n,
				i;

	for (i = 0; i < f->nitems; i++)
	{
		CHECK(sv_code_valid(f->items[i].code, strlen(f->items[i].code)));
		CHECK(f->items[i].k >= LK_MIN_K && f->items[i].k <= LK_MAX_K);
		CHECK(f->items[i].level >= 1 && f->items[i].level <= f->items[i].k);
		if (i > 0)
			CHECK(sv_code_cmp(f->items[i - 1].code, f->items[i].code) < 0);
	}
	fm_format(f, text, tsize);
	CHECK(strlen(text) < tsize);
	CHECK(fm_parse_count(text, &n, err, sizeof(err)) == LK_OK);
	CHECK(n == f->nitems);
	back.items = malloc(sizeof(fm_answer) * (n > 0 ? n : 1));
	CHECK(fm_parse(text, &back, err, sizeof(err)) == LK_OK);
	CHECK(same_form(&back, f));
	fm_store(f, stored);
	CHECK(fm_load_count(stored, ssize, &n, err, sizeof(err)) == LK_OK);
	CHECK(n == f->nitems);
	CHECK(fm_load(stored, ssize, &back, err, sizeof(err)) == LK_OK);
	CHECK(same_form(&back, f));
	CHECK(fm_iter_init(&it, stored, ssize, err, sizeof(err)) == LK_OK);
	for (i = 0;; i++)
	{
		const char *code;
		int			clen,
					k,
					level;
		bool		done;

		CHECK(fm_iter_next(&it, &code, &clen, &k, &level, &done, err, sizeof(err)) == LK_OK);
		if (done)
			break;
		CHECK(i < f->nitems);
		CHECK(clen == (int) strlen(f->items[i].code) && memcmp(code, f->items[i].code, clen) == 0);
		CHECK(k == f->items[i].k && level == f->items[i].level);
	}
	CHECK(i == f->nitems);
	free(back.items);
	free(stored);
	free(text);
}

static void
fuzz_fm_parse(const uint8_t *data, size_t size)
{
	char	   *str = cstring(data, size);
	char		err[LK_ERRBUF];
	fm_form		f;
	int			n;

	if (fm_parse_count(str, &n, err, sizeof(err)) != LK_OK)
	{
		check_err(err);
		free(str);
		return;
	}
	CHECK(n >= 0 && n <= FM_MAX_ITEMS);
	/* exactly n answers: ASan reports a parse that writes more than it counted */
	f.items = malloc(sizeof(fm_answer) * (n > 0 ? n : 1));
	if (fm_parse(str, &f, err, sizeof(err)) == LK_OK)
	{
		CHECK(f.nitems == n);
		form_roundtrip(&f);
	}
	else
		check_err(err);			/* a duplicate item */
	free(f.items);
	free(str);
}

static void
fuzz_fm_load(const uint8_t *data, size_t size)
{
	unsigned char *src = malloc(size ? size : 1);
	char		err[LK_ERRBUF];
	fm_form		f;
	fm_iter		it;
	int			n,
				walked = 0;
	lk_status	st_load,
				st_iter;

	memcpy(src, data, size);
	/* the iterator alone (how survey_agg(form) reads) */
	st_iter = fm_iter_init(&it, src, size, err, sizeof(err));
	if (st_iter == LK_OK)
		for (;;)
		{
			const char *code;
			int			clen,
						k,
						level;
			bool		done;

			if ((st_iter = fm_iter_next(&it, &code, &clen, &k, &level, &done, err, sizeof(err))) != LK_OK || done)
				break;
			CHECK(code >= (const char *) src && code + clen <= (const char *) src + size);
			walked++;
		}
	if (st_iter != LK_OK)
		check_err(err);
	st_load = fm_load_count(src, size, &n, err, sizeof(err));
	if (st_load == LK_OK)
	{
		CHECK(n >= 0 && n <= FM_MAX_ITEMS);
		f.items = malloc(sizeof(fm_answer) * (n > 0 ? n : 1));
		st_load = fm_load(src, size, &f, err, sizeof(err));
		if (st_load == LK_OK)
		{
			unsigned char *again;

			/* a loaded image is canonical: it stores back byte for byte */
			CHECK(f.nitems == n && walked == n);
			CHECK(fm_stored_size(&f) == size);
			again = malloc(size);
			fm_store(&f, again);
			CHECK(memcmp(again, src, size) == 0);
			free(again);
			form_roundtrip(&f);
		}
		else
			check_err(err);
		free(f.items);
	}
	else
		check_err(err);
	/* the iterator and fm_load agree on what is valid */
	CHECK((st_load == LK_OK) == (st_iter == LK_OK));
	free(src);
}

static void
run_one(int target, const uint8_t *data, size_t size)
{
	switch (target)
	{
		case 1:
			fuzz_lk_parse(data, size);
			break;
		case 2:
			fuzz_sv_parse(data, size);
			break;
		case 3:
			fuzz_lk_load(data, size);
			break;
		case 5:
			fuzz_fm_parse(data, size);
			break;
		case 6:
			fuzz_fm_load(data, size);
			break;
		default:
			fuzz_sv_load(data, size);
			break;
	}
}

/* seedgen: text forms on stdin -> stored images in DIR (likert/, survey/ and form/) */
static int
seedgen(const char *dir)
{
	static char line[1 << 20];
	char		err[LK_ERRBUF],
				path[4096];
	int			count = 0;

	while (fgets(line, sizeof(line), stdin))
	{
		size_t		len = strcspn(line, "\n");
		lk_summary	l;
		sv_summary	s;
		fm_form		fm;
		int			n;
		unsigned char *buf = NULL;
		size_t		size = 0;
		const char *sub = NULL;
		FILE	   *f;

		line[len] = '\0';
		if (lk_parse(line, &l, err, sizeof(err)) == LK_OK)
		{
			size = lk_stored_size(&l);
			buf = malloc(size);
			lk_store(&l, buf);
			sub = "likert";
		}
		else if (sv_parse_count(line, &n, err, sizeof(err)) == LK_OK)
		{
			s.items = malloc(sizeof(sv_item) * (n > 0 ? n : 1));
			s.forms = NULL;		/* seeds are summaries without forms */
			if (sv_parse(line, &s, err, sizeof(err)) == LK_OK)
			{
				size = sv_stored_size(&s);
				buf = malloc(size);
				sv_store(&s, buf);
				sub = "survey";
			}
			free(s.items);
		}
		if (!sub && fm_parse_count(line, &n, err, sizeof(err)) == LK_OK)
		{
			fm.items = malloc(sizeof(fm_answer) * (n > 0 ? n : 1));
			if (fm_parse(line, &fm, err, sizeof(err)) == LK_OK)
			{
				size = fm_stored_size(&fm);
				buf = malloc(size);
				fm_store(&fm, buf);
				sub = "form";
			}
			free(fm.items);
		}
		if (!sub)
			continue;
		snprintf(path, sizeof(path), "%s/%s/seed%05d", dir, sub, count++);
		f = fopen(path, "wb");
		if (!f || fwrite(buf, 1, size, f) != size || fclose(f) != 0)
		{
			perror(path);
			return 1;
		}
		free(buf);
	}
	printf("seedgen: %d stored images\n", count);
	return 0;
}

#ifndef FUZZ_STANDALONE

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int			LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (*argc >= 3 && strcmp((*argv)[1], "seedgen") == 0)
		exit(seedgen((*argv)[2]));
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run_one(FUZZ_TARGET, data, size);
	return 0;
}

#else							/* FUZZ_STANDALONE */

/*
 * Deterministic mutation loop: fuzz_core loop TARGET ITERATIONS SEED FILE...
 * Each iteration picks a corpus file, applies 1-4 mutations and runs the
 * target; inputs that are accepted join the corpus (up to a limit).
 */
#include <dirent.h>

typedef struct buf
{
	uint8_t    *p;
	size_t		n;
} buf;

static uint64_t rng_state;

static uint64_t
rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

static size_t
rnd_below(size_t n)
{
	return n ? (size_t) (rnd() % n) : 0;
}

static const char *const tokens[] = {
	"{", "}", "[", "]", ",", ":", "\"", "\"k\":", "\"n\":", "\"w\":", "\"w2\":", "0", "-1",
	"9223372036854775807", "9223372036854775808", "1e308", "1e-320", "NaN", "-0", "2147483648",
	"9007199254740992", "\xc3\xa9", "\xff", " ", "\"I.A.1\":", "11", "1.5", "1e999",
	"[4,5]", "[10,10]", "[1,2]", "\"I.A.1\":4,", "\"I.A.1\":[2,3]",
};

static void
mutate(buf *b, const buf *other)
{
	size_t		i,
				n;
	int			op = (int) rnd_below(8);

	switch (op)
	{
		case 0:					/* bit flip */
			if (b->n)
				b->p[rnd_below(b->n)] ^= (uint8_t) (1u << rnd_below(8));
			break;
		case 1:					/* boundary byte */
			if (b->n)
			{
				static const uint8_t bytes[] = {0, 1, 2, 10, 11, 0x7f, 0x80, 0xfe, 0xff};

				b->p[rnd_below(b->n)] = bytes[rnd_below(sizeof(bytes))];
			}
			break;
		case 2:					/* insert a token */
			{
				const char *t = tokens[rnd_below(sizeof(tokens) / sizeof(tokens[0]))];
				size_t		tl = strlen(t);

				i = rnd_below(b->n + 1);
				b->p = realloc(b->p, b->n + tl);
				memmove(b->p + i + tl, b->p + i, b->n - i);
				memcpy(b->p + i, t, tl);
				b->n += tl;
			}
			break;
		case 3:					/* delete */
			if (b->n)
			{
				i = rnd_below(b->n);
				n = 1 + rnd_below(b->n - i < 16 ? b->n - i : 16);
				memmove(b->p + i, b->p + i + n, b->n - i - n);
				b->n -= n;
			}
			break;
		case 4:					/* truncate */
			b->n = rnd_below(b->n + 1);
			break;
		case 5:					/* duplicate a range */
			if (b->n)
			{
				i = rnd_below(b->n);
				n = 1 + rnd_below(b->n - i < 64 ? b->n - i : 64);
				b->p = realloc(b->p, b->n + n);
				memmove(b->p + i + n, b->p + i, b->n - i);
				b->n += n;
			}
			break;
		case 6:					/* splice with another input */
			if (other->n)
			{
				size_t		j = rnd_below(other->n);

				i = rnd_below(b->n + 1);
				b->p = realloc(b->p, i + other->n - j + 1);
				memcpy(b->p + i, other->p + j, other->n - j);
				b->n = i + other->n - j;
			}
			break;
		default:				/* random bytes */
			if (b->n)
				for (n = 1 + rnd_below(8); n > 0; n--)
					b->p[rnd_below(b->n)] = (uint8_t) rnd();
			break;
	}
}

static int
load_file(const char *path, buf *b)
{
	FILE	   *f = fopen(path, "rb");
	long		len;

	if (!f)
		return 0;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	b->p = malloc(len > 0 ? len : 1);
	b->n = fread(b->p, 1, len, f);
	fclose(f);
	return 1;
}

int
main(int argc, char **argv)
{
	long		iterations,
				it;
	int			target;
	buf		   *corpus;
	size_t		ncorpus = 0,
				cap;
	int			a;

	if (argc >= 3 && strcmp(argv[1], "seedgen") == 0)
		return seedgen(argv[2]);
	if (argc < 6 || strcmp(argv[1], "loop") != 0)
	{
		fprintf(stderr, "usage: fuzz_core seedgen DIR | fuzz_core loop TARGET ITERATIONS SEED DIR...\n");
		return 2;
	}
	target = atoi(argv[2]);
	iterations = atol(argv[3]);
	rng_state = (uint64_t) strtoull(argv[4], NULL, 10) * 0x9E3779B97F4A7C15ull + 1;
	cap = 4096;
	corpus = calloc(cap, sizeof(buf));
	for (a = 5; a < argc; a++)
	{
		DIR		   *d = opendir(argv[a]);
		struct dirent *e;
		char		path[4096];

		if (!d)
			continue;
		while ((e = readdir(d)) != NULL && ncorpus < cap / 2)
		{
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[a], e->d_name);
			if (load_file(path, &corpus[ncorpus]))
				ncorpus++;
		}
		closedir(d);
	}
	if (ncorpus == 0)
	{
		corpus[0].p = malloc(1);
		corpus[0].n = 0;
		ncorpus = 1;
	}
	for (it = 0; it < iterations; it++)
	{
		buf			b;
		int			m;
		const buf  *src = &corpus[rnd_below(ncorpus)];

		b.n = src->n;
		b.p = malloc(b.n ? b.n : 1);
		memcpy(b.p, src->p, b.n);
		for (m = 1 + (int) rnd_below(4); m > 0; m--)
			mutate(&b, &corpus[rnd_below(ncorpus)]);
		run_one(target, b.p, b.n);
		/* keep some mutants as new starting points */
		if (ncorpus < cap && rnd_below(64) == 0)
			corpus[ncorpus++] = b;
		else
			free(b.p);
	}
	printf("fuzz_core: target %d: %ld inputs, corpus %zu\n", target, iterations, ncorpus);
	while (ncorpus > 0)
		free(corpus[--ncorpus].p);
	free(corpus);
	return 0;
}

#endif							/* FUZZ_STANDALONE */
