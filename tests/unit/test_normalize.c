/*
 * Unit tests for normalize: one table row per input and expected value or
 * expected failure.  Expected check digits were computed independently of
 * the code (src/normalize.c, src/norm_*.c); the 24 keys are a
 * hand-written table cross-checked against the formulas of
 * NORMALIZATION.md.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>
#include <cmocka.h>

#include "blendcat/normalize.h"

#define E NORM_EMPTY
#define NROWS(a) (sizeof(a) / sizeof((a)[0]))
#define ISO NORM_DATE_ISO
#define DMY NORM_DATE_DMY
#define MDY NORM_DATE_MDY

/* ---- helpers: report the row's input on failure ---- */

static void check_ret(const char *fn, const char *in, int got, int want,
		      const char *why)
{
	if (got != want)
		fail_msg("%s('%s'): returned %d, expected %d (reason: '%s')", fn,
			 in, got, want, got < 0 ? why : "");
}

static void check_str(const char *fn, const char *in, const char *what,
		      const char *got, const char *want)
{
	if (strcmp(got, want) != 0)
		fail_msg("%s('%s'): %s is '%s', expected '%s'", fn, in, what, got,
			 want);
}

static void check_int(const char *fn, const char *in, const char *what,
		      long long got, long long want)
{
	if (got != want)
		fail_msg("%s('%s'): %s is %lld, expected %lld", fn, in, what, got,
			 want);
}

/* On failure the reason must contain want (which must not be empty). */
static void check_why(const char *fn, const char *in, const char *why,
		      const char *want)
{
	if (!want || !*want)
		fail_msg("%s('%s'): test row lacks an expected reason", fn, in);
	if (!strstr(why, want))
		fail_msg("%s('%s'): reason '%s' lacks '%s'", fn, in, why, want);
	if (strlen(why) >= NORM_WHY_MAX || why[strlen(why) - 1] == '.' ||
	    (why[0] >= 'A' && why[0] <= 'Z' && strncmp(why, "Camelot", 7) &&
	     strncmp(why, "Open Key", 8) && strncmp(why, "NUL", 3) &&
	     strncmp(why, "ISWC", 4)))
		fail_msg("%s('%s'): malformed reason '%s'", fn, in, why);
}

struct id_row {
	const char *in;
	int ret;
	const char *out, *why;
};

typedef int (*id_fn)(const char *in, char *out, char *why);

static void run_id_rows(const char *fn, id_fn f, const struct id_row *rows,
			size_t n)
{
	char out[32], why[NORM_WHY_MAX];
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		why[0] = '\0';
		memset(out, 'Z', sizeof(out));
		r = f(rows[i].in, out, why);
		check_ret(fn, rows[i].in, r, rows[i].ret, why);
		check_str(fn, rows[i].in, "output", out, rows[i].out);
		if (r < 0)
			check_why(fn, rows[i].in, why, rows[i].why);
	}
}

typedef int (*buf_fn)(const char *in, struct buf *out, char *why);

/* Rows for functions appending to a struct buf; out must stay as it was. */
static void run_buf_rows(const char *fn, buf_fn f, const struct id_row *rows,
			 size_t n)
{
	char why[NORM_WHY_MAX];
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		struct buf out = BUF_INIT;

		buf_adds(&out, ">");
		why[0] = '\0';
		r = f(rows[i].in, &out, why);
		check_ret(fn, rows[i].in, r, rows[i].ret, why);
		check_str(fn, rows[i].in, "output", out.data + 1, rows[i].out);
		if (r < 0)
			check_why(fn, rows[i].in, why, rows[i].why);
		buf_release(&out);
	}
}

/* ======================================================================
 * Keys
 * ====================================================================== */

static const struct key_row {
	int pitch, minor;
	const char *sharp;	/* storage spelling */
	const char *flat;	/* flat spelling, NULL for naturals */
	int camelot, open_key;
} key_rows[24] = {
	{ 0, 0, "C", NULL, 8, 1 },	{ 1, 0, "C#", "Db", 3, 8 },
	{ 2, 0, "D", NULL, 10, 3 },	{ 3, 0, "D#", "Eb", 5, 10 },
	{ 4, 0, "E", NULL, 12, 5 },	{ 5, 0, "F", NULL, 7, 12 },
	{ 6, 0, "F#", "Gb", 2, 7 },	{ 7, 0, "G", NULL, 9, 2 },
	{ 8, 0, "G#", "Ab", 4, 9 },	{ 9, 0, "A", NULL, 11, 4 },
	{ 10, 0, "A#", "Bb", 6, 11 },	{ 11, 0, "B", NULL, 1, 6 },
	{ 0, 1, "C", NULL, 5, 10 },	{ 1, 1, "C#", "Db", 12, 5 },
	{ 2, 1, "D", NULL, 7, 12 },	{ 3, 1, "D#", "Eb", 2, 7 },
	{ 4, 1, "E", NULL, 9, 2 },	{ 5, 1, "F", NULL, 4, 9 },
	{ 6, 1, "F#", "Gb", 11, 4 },	{ 7, 1, "G", NULL, 6, 11 },
	{ 8, 1, "G#", "Ab", 1, 6 },	{ 9, 1, "A", NULL, 8, 1 },
	{ 10, 1, "A#", "Bb", 3, 8 },	{ 11, 1, "B", NULL, 10, 3 },
};

/* The hand-written table against the formulas (f = 7p mod 12). */
static void test_key_table_matches_formula(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < 24; i++) {
		const struct key_row *k = &key_rows[i];
		int f = 7 * k->pitch % 12;
		int cam = k->minor ? (f + 4) % 12 + 1 : (f + 7) % 12 + 1;
		int ok = k->minor ? (f + 9) % 12 + 1 : f + 1;

		check_int("formula", k->sharp, "camelot", k->camelot, cam);
		check_int("formula", k->sharp, "open key", k->open_key, ok);
		check_int("formula", k->sharp, "open key from camelot",
			  k->open_key, (k->camelot + 4) % 12 + 1);
	}
	/* the anchors NORMALIZATION.md names */
	check_int("formula", "C", "camelot", key_rows[0].camelot, 8);
	check_int("formula", "Am", "camelot", key_rows[21].camelot, 8);
	check_int("formula", "C", "open key", key_rows[0].open_key, 1);
	check_int("formula", "Am", "open key", key_rows[21].open_key, 1);
}

static void expect_key(const char *in, const char *key, const char *scale,
		       int explicit_scale)
{
	char k[NORM_KEY_SIZE], s[NORM_SCALE_SIZE], why[NORM_WHY_MAX] = "";
	int ex = -1, r = norm_key(in, k, s, &ex, why);

	check_ret("norm_key", in, r, 0, why);
	check_str("norm_key", in, "key", k, key);
	check_str("norm_key", in, "scale", s, scale);
	check_int("norm_key", in, "scale_explicit", ex, explicit_scale);
}

/* "C#" -> "C♯", "Db" -> "D♭" */
static void with_symbol(const char *name, char *out, size_t size)
{
	snprintf(out, size, "%c%s", name[0],
		 name[1] == '#' ? "\xE2\x99\xAF" : "\xE2\x99\xAD");
}

static void key_variants(const struct key_row *k, const char *tonic)
{
	const char *sc = k->minor ? "minor" : "major";
	char b[32], low[8], sym[8];

	snprintf(low, sizeof(low), "%c%s", tonic[0] - 'A' + 'a', tonic + 1);
	if (tonic[1])
		with_symbol(tonic, sym, sizeof(sym));
	else
		snprintf(sym, sizeof(sym), "%s", tonic);
	if (k->minor) {
		const char *suffix[] = { "m", " min", " minor", "Min",
					 " MINOR", "  minor " };
		size_t i;

		for (i = 0; i < NROWS(suffix); i++) {
			snprintf(b, sizeof(b), "%s%s", tonic, suffix[i]);
			expect_key(b, k->sharp, sc, 1);
		}
		snprintf(b, sizeof(b), "%sm", low);
		expect_key(b, k->sharp, sc, 1);
		snprintf(b, sizeof(b), "%sm", sym);
		expect_key(b, k->sharp, sc, 1);
	} else {
		const char *suffix[] = { "M", " maj", " major", "Major",
					 " MAJ", "\tmajor " };
		size_t i;

		expect_key(tonic, k->sharp, sc, 0);
		expect_key(low, k->sharp, sc, 0);
		expect_key(sym, k->sharp, sc, 0);
		for (i = 0; i < NROWS(suffix); i++) {
			snprintf(b, sizeof(b), "%s%s", tonic, suffix[i]);
			expect_key(b, k->sharp, sc, 1);
		}
		snprintf(b, sizeof(b), "%s Major", sym);
		expect_key(b, k->sharp, sc, 1);
	}
}

/* All 24 keys in every notation. */
static void test_key_all_notations(void **state)
{
	char b[16], k[NORM_KEY_SIZE], s[NORM_SCALE_SIZE], why[NORM_WHY_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < 24; i++) {
		const struct key_row *r = &key_rows[i];
		const char *sc = r->minor ? "minor" : "major";
		char cam = r->minor ? 'A' : 'B', ok = r->minor ? 'm' : 'd';

		key_variants(r, r->sharp);
		if (r->flat)
			key_variants(r, r->flat);
		snprintf(b, sizeof(b), "%d%c", r->camelot, cam);
		expect_key(b, r->sharp, sc, 1);
		snprintf(b, sizeof(b), "%d%c", r->camelot, cam - 'A' + 'a');
		expect_key(b, r->sharp, sc, 1);
		snprintf(b, sizeof(b), "%02d%c", r->camelot, cam);
		expect_key(b, r->sharp, sc, 1);
		snprintf(b, sizeof(b), "%d%c", r->open_key, ok);
		expect_key(b, r->sharp, sc, 1);
		snprintf(b, sizeof(b), "%d%c", r->open_key, ok - 'a' + 'A');
		expect_key(b, r->sharp, sc, 1);
		snprintf(b, sizeof(b), "(%d, %d)", r->pitch, !r->minor);
		check_ret("norm_key_pitch", b,
			  norm_key_pitch(r->pitch, !r->minor, k, s, why), 0, why);
		check_str("norm_key_pitch", b, "key", k, r->sharp);
		check_str("norm_key_pitch", b, "scale", s, sc);
	}
}

static void test_key_enharmonic(void **state)
{
	static const struct {
		const char *in, *key, *scale;
		int ex;
	} rows[] = {
		{ "E#", "F", "major", 0 },	{ "B#", "C", "major", 0 },
		{ "Cb", "B", "major", 0 },	{ "Fb", "E", "major", 0 },
		{ "e#m", "F", "minor", 1 },	{ "B#M", "C", "major", 1 },
		{ "C\xE2\x99\xAD", "B", "major", 0 },
		{ "F\xE2\x99\xAD min", "E", "minor", 1 },
		{ "E\xE2\x99\xAF", "F", "major", 0 },
		{ "bb", "A#", "major", 0 },	{ "Bbm", "A#", "minor", 1 },
		{ "Ebmajor", "D#", "major", 1 },
		{ "Abminor", "G#", "minor", 1 },
		{ "\t Db minor\n", "C#", "minor", 1 },
		{ "8 A", "A", "minor", 1 },	{ " 12 d ", "F", "major", 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NROWS(rows); i++)
		expect_key(rows[i].in, rows[i].key, rows[i].scale, rows[i].ex);
}

static void test_key_invalid(void **state)
{
	static const struct {
		const char *in;
		int ret;
		const char *why;
	} rows[] = {
		{ "", E, NULL },	{ "   ", E, NULL },
		{ "H", -1, "unknown key 'H'" },
		{ "H#", -1, "unknown key 'H#'" },
		{ "#C", -1, "unknown key '#C'" },
		{ "C##", -1, "double accidental in key 'C##'" },
		{ "Db#", -1, "double accidental" },
		{ "C\xE2\x99\xAF\xE2\x99\xAF", -1, "double accidental" },
		{ "C major minor", -1, "unknown scale 'major minor'" },
		{ "Cmaj7", -1, "unknown scale 'maj7'" },
		{ "A minr", -1, "unknown scale 'minr'" },
		{ "Am/C", -1, "unknown scale 'm/C' in key 'Am/C'" },
		{ "CB", -1, "unknown scale 'B'" },
		{ "13A", -1, "Camelot number 13 out of range 1-12" },
		{ "0B", -1, "Camelot number 0 out of range 1-12" },
		{ "0d", -1, "Open Key number 0 out of range 1-12" },
		{ "13m", -1, "Open Key number 13 out of range 1-12" },
		{ "8C", -1, "unknown key '8C'" },
		{ "8", -1, "unknown key '8'" },
		{ "8AB", -1, "unknown key '8AB'" },
		{ "100A", -1, "unknown key '100A'" },
		{ "minor", -1, "unknown key 'minor'" },
	};
	char k[NORM_KEY_SIZE], s[NORM_SCALE_SIZE], why[NORM_WHY_MAX];
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < NROWS(rows); i++) {
		why[0] = '\0';
		r = norm_key(rows[i].in, k, s, NULL, why);
		check_ret("norm_key", rows[i].in, r, rows[i].ret, why);
		check_str("norm_key", rows[i].in, "key", k, "");
		check_str("norm_key", rows[i].in, "scale", s, "");
		if (r < 0)
			check_why("norm_key", rows[i].in, why, rows[i].why);
	}
}

static void test_key_pitch_edges(void **state)
{
	static const struct {
		int pitch, mode, ret;
		const char *key, *scale, *why;
	} rows[] = {
		{ -1, 1, E, "", "", NULL },	{ -1, -1, E, "", "", NULL },
		{ 9, -1, 0, "A", "", NULL },	{ 0, 1, 0, "C", "major", NULL },
		{ 11, 0, 0, "B", "minor", NULL },
		{ 12, 1, -1, "", "", "pitch class 12 out of range 0-11" },
		{ -2, 0, -1, "", "", "pitch class -2 out of range" },
		{ 0, 2, -1, "", "", "mode 2 out of range" },
		{ 0, -2, -1, "", "", "mode -2 out of range" },
	};
	char k[NORM_KEY_SIZE], s[NORM_SCALE_SIZE], why[NORM_WHY_MAX], in[32];
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < NROWS(rows); i++) {
		snprintf(in, sizeof(in), "%d, %d", rows[i].pitch, rows[i].mode);
		r = norm_key_pitch(rows[i].pitch, rows[i].mode, k, s, why);
		check_ret("norm_key_pitch", in, r, rows[i].ret, why);
		check_str("norm_key_pitch", in, "key", k, rows[i].key);
		check_str("norm_key_pitch", in, "scale", s, rows[i].scale);
		if (r < 0)
			check_why("norm_key_pitch", in, why, rows[i].why);
	}
}

static void test_mead_key(void **state)
{
	static const struct {
		const char *note, *quality;
		int ret;
		const char *key, *scale, *why;
	} rows[] = {
		{ "C", "MajorTriad", 0, "C", "major", NULL },
		{ "C#/Db", "MinorTriad", 0, "C#", "minor", NULL },
		{ "Eb/D#", NULL, 0, "D#", "", NULL },
		{ "Gb/F#", "MinorSeventh", 0, "F#", "minor", NULL },
		{ "Ab/G#", "MajorSixth", 0, "G#", "major", NULL },
		{ "Bb/A#", "", 0, "A#", "", NULL },
		{ " B ", "Suspended", 0, "B", "", NULL },
		{ "A", "DominantSeventh", 0, "A", "", NULL },
		{ "", "MajorTriad", E, "", "", NULL },
		{ NULL, NULL, E, "", "", NULL },
		{ "H", "MajorTriad", -1, "", "", "unknown RootChordNote 'H'" },
		{ "Am", NULL, -1, "", "", "unknown RootChordNote 'Am'" },
		{ "8A", NULL, -1, "", "", "unknown RootChordNote '8A'" },
		{ "C/", NULL, -1, "", "", "unknown RootChordNote 'C/'" },
		{ "C/D", NULL, -1, "", "", "two different notes in RootChordNote 'C/D'" },
		{ "D", "Happy", -1, "", "", "unknown RootChordQuality 'Happy'" },
		{ "D", "majortriad", -1, "", "", "unknown RootChordQuality 'majortriad'" },
	};
	char k[NORM_KEY_SIZE], s[NORM_SCALE_SIZE], why[NORM_WHY_MAX], in[64];
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < NROWS(rows); i++) {
		snprintf(in, sizeof(in), "%s, %s", rows[i].note ? rows[i].note : "(null)",
			 rows[i].quality ? rows[i].quality : "(null)");
		r = norm_mead_key(rows[i].note, rows[i].quality, k, s, why);
		check_ret("norm_mead_key", in, r, rows[i].ret, why);
		check_str("norm_mead_key", in, "key", k, rows[i].key);
		check_str("norm_mead_key", in, "scale", s, rows[i].scale);
		if (r < 0)
			check_why("norm_mead_key", in, why, rows[i].why);
	}
}

static void test_scale(void **state)
{
	static const struct id_row rows[] = {
		{ "major", 0, "major", NULL },	{ "Minor", 0, "minor", NULL },
		{ "MAJ", 0, "major", NULL },	{ "min", 0, "minor", NULL },
		{ "M", 0, "major", NULL },	{ "m", 0, "minor", NULL },
		{ " Major ", 0, "major", NULL }, { "", E, "", NULL },
		{ "dorian", -1, "", "unknown scale 'dorian'" },
		{ "majors", -1, "", "expected major or minor" },
		{ "1", -1, "", "unknown scale '1'" },
	};

	(void)state;
	run_id_rows("norm_scale", norm_scale, rows, NROWS(rows));
}

/* ======================================================================
 * Numbers, durations, dates
 * ====================================================================== */

struct int_row {
	const char *in;
	unsigned flags;
	int ret;
	long long val;
	const char *why;
};

typedef int (*int_fn)(const char *in, unsigned flags, int *v, char *why);

static void run_int_rows(const char *fn, int_fn f, const struct int_row *rows,
			 size_t n)
{
	char why[NORM_WHY_MAX];
	size_t i;
	int r, v;

	for (i = 0; i < n; i++) {
		why[0] = '\0';
		v = -12345;
		r = f(rows[i].in, rows[i].flags, &v, why);
		check_ret(fn, rows[i].in, r, rows[i].ret, why);
		check_int(fn, rows[i].in, "value", v, r == 0 ? rows[i].val : 0);
		if (r < 0)
			check_why(fn, rows[i].in, why, rows[i].why);
	}
}

static int tempo_fn(const char *in, unsigned flags, int *v, char *why)
{
	(void)flags;
	return norm_tempo(in, v, why);
}

static void test_tempo(void **state)
{
	static const struct int_row rows[] = {
		{ "120", 0, 0, 120, NULL },	{ "119.6", 0, 0, 120, NULL },
		{ "119.5", 0, 0, 120, NULL },	{ "119.49", 0, 0, 119, NULL },
		{ "120 BPM", 0, 0, 120, NULL },	{ "120bpm", 0, 0, 120, NULL },
		{ " 120.0 ", 0, 0, 120, NULL },	{ "87.", 0, 0, 87, NULL },
		{ "1", 0, 0, 1, NULL },	{ "0.5", 0, 0, 1, NULL },
		{ "999", 0, 0, 999, NULL },	{ "999.4", 0, 0, 999, NULL },
		{ "", 0, E, 0, NULL },
		{ "fast", 0, -1, 0, "tempo is not a number: 'fast'" },
		{ "-120", 0, -1, 0, "tempo must be positive" },
		{ "0", 0, -1, 0, "tempo must be positive" },
		{ "0.4", 0, -1, 0, "tempo must be positive" },
		{ "999.5", 0, -1, 0, "out of range 1-999" },
		{ "1000", 0, -1, 0, "tempo 1000 is out of range 1-999" },
		{ "99999999999999999999999", 0, -1, 0, "out of range" },
		{ "NaN", 0, -1, 0, "not a number" },
		{ "inf", 0, -1, 0, "not a number" },
		{ "+120", 0, -1, 0, "not a number" },
		{ ".5", 0, -1, 0, "not a number" },
		{ "120x", 0, -1, 0, "unexpected 'x' after tempo" },
		{ "1e2", 0, -1, 0, "unexpected 'e2'" },
		{ "120 BPMs", 0, -1, 0, "unexpected 'BPMs'" },
		{ "120,5", 0, -1, 0, "unexpected ',5'" },
		{ "120 130", 0, -1, 0, "unexpected '130'" },
	};

	(void)state;
	run_int_rows("norm_tempo", tempo_fn, rows, NROWS(rows));
}

static void test_duration(void **state)
{
	static const struct int_row rows[] = {
		{ "180", 0, 0, 180, NULL },	{ "180.4", 0, 0, 180, NULL },
		{ "180.5", 0, 0, 181, NULL },	{ "3:00", 0, 0, 180, NULL },
		{ "03:00", 0, 0, 180, NULL },	{ "0:59", 0, 0, 59, NULL },
		{ "75:30", 0, 0, 4530, NULL },	{ "1:02:03", 0, 0, 3723, NULL },
		{ "3:00.5", 0, 0, 181, NULL },	{ " 4:05 ", 0, 0, 245, NULL },
		{ "PT3M0S", 0, 0, 180, NULL },
		{ "PT1H2M3.5S", 0, 0, 3724, NULL },
		{ "PT1H2M3.4S", 0, 0, 3723, NULL },
		{ "PT1M30.5S", 0, 0, 91, NULL },
		{ "PT90S", 0, 0, 90, NULL },	{ "PT2H", 0, 0, 7200, NULL },
		{ "pt3m", 0, 0, 180, NULL },	{ "P1DT1S", 0, 0, 86401, NULL },
		{ "P0Y0M0DT0H3M29S", 0, 0, 209, NULL },
		{ "P1W", 0, 0, 604800, NULL },
		{ "2147483647", 0, 0, INT_MAX, NULL },
		/* 0 means unknown, unless it is a section start */
		{ "PT0S", 0, E, 0, NULL },	{ "0", 0, E, 0, NULL },
		{ "0:00", 0, E, 0, NULL },
		{ "0", NORM_DURATION_ZERO_OK, 0, 0, NULL },
		{ "PT0S", NORM_DURATION_ZERO_OK, 0, 0, NULL },
		{ "", 0, E, 0, NULL },
		{ "-5", 0, -1, 0, "negative duration '-5'" },
		{ "-PT5S", 0, -1, 0, "negative duration" },
		{ "3:75", 0, -1, 0, "seconds 75 out of range 0-59 in '3:75'" },
		{ "1:60:00", 0, -1, 0, "minutes 60 out of range 0-59" },
		{ "3:5", 0, -1, 0, "expected two digits after ':'" },
		{ "3:", 0, -1, 0, "expected h:mm:ss or m:ss" },
		{ ":30", 0, -1, 0, "expected h:mm:ss or m:ss" },
		{ "1:02:03:04", 0, -1, 0, "expected h:mm:ss or m:ss" },
		{ "3.5:00", 0, -1, 0, "expected h:mm:ss or m:ss" },
		{ "3 min", 0, -1, 0, "not a number of seconds" },
		{ "abc", 0, -1, 0, "not a number of seconds" },
		{ "P", 0, -1, 0, "invalid ISO 8601 duration 'P'" },
		{ "PT", 0, -1, 0, "invalid ISO 8601 duration" },
		{ "P1DT", 0, -1, 0, "invalid ISO 8601 duration" },
		{ "PT3", 0, -1, 0, "invalid ISO 8601 duration" },
		{ "PT3S3M", 0, -1, 0, "invalid ISO 8601 duration" },
		{ "PT3M3M", 0, -1, 0, "invalid ISO 8601 duration" },
		{ "PT1.5M", 0, -1, 0, "invalid ISO 8601 duration" },
		{ "PT3X", 0, -1, 0, "invalid ISO 8601 duration" },
		{ "P1M", 0, -1, 0, "years and months have no fixed length" },
		{ "P1Y", 0, -1, 0, "years and months have no fixed length" },
		{ "2147483648", 0, -1, 0, "exceeds 2147483647 seconds" },
		{ "PT2147483648S", 0, -1, 0, "exceeds 2147483647 seconds" },
		{ "596524:00:00", 0, -1, 0, "exceeds 2147483647 seconds" },
		{ "99999999999999999999999999", 0, -1, 0, "exceeds" },
	};

	(void)state;
	run_int_rows("norm_duration", norm_duration, rows,
		     NROWS(rows));
}

static int bool_fn(const char *in, unsigned flags, int *v, char *why)
{
	(void)flags;
	return norm_bool(in, v, why);
}

static void test_duration_ms(void **state)
{
	static const struct {
		const char *in;
		int ret, secs;
		const char *why;
	} rows[] = {
		{ "185432", 0, 185, NULL },	{ "185500", 0, 186, NULL },
		{ "185499", 0, 185, NULL },	{ "185499.9", 0, 185, NULL },
		{ " 1500 ", 0, 2, NULL },	{ "1499", 0, 1, NULL },
		{ "500", 0, 1, NULL },		{ "499", E, 0, NULL },
		{ "0", E, 0, NULL },		{ "", E, 0, NULL },
		{ "2147483647499", 0, 2147483647, NULL },
		{ "2147483647500", -1, 0, "exceeds" },
		{ "99999999999999999999999", -1, 0, "exceeds" },
		{ "-5", -1, 0, "negative" },	{ "3:05", -1, 0, "milliseconds" },
		{ "185 ms", -1, 0, "milliseconds" }, { "1e5", -1, 0, "milliseconds" },
		{ "185,5", -1, 0, "milliseconds" },
	};
	char why[NORM_WHY_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < NROWS(rows); i++) {
		int secs = -1, r = norm_duration_ms(rows[i].in, &secs, why);

		check_ret("norm_duration_ms", rows[i].in, r, rows[i].ret, why);
		if (r >= 0)
			check_int("norm_duration_ms", rows[i].in, "secs", secs, rows[i].secs);
		else
			check_why("norm_duration_ms", rows[i].in, why, rows[i].why);
	}
}

static void test_bool(void **state)
{
	static const struct int_row rows[] = {
		{ "true", 0, 0, 1, NULL },	{ "TRUE", 0, 0, 1, NULL },
		{ "t", 0, 0, 1, NULL },		{ "Yes", 0, 0, 1, NULL },
		{ "y", 0, 0, 1, NULL },		{ "1", 0, 0, 1, NULL },
		{ "On", 0, 0, 1, NULL },	{ " true ", 0, 0, 1, NULL },
		{ "false", 0, 0, 0, NULL },	{ "F", 0, 0, 0, NULL },
		{ "no", 0, 0, 0, NULL },	{ "N", 0, 0, 0, NULL },
		{ "0", 0, 0, 0, NULL },		{ "OFF", 0, 0, 0, NULL },
		{ "", 0, E, 0, NULL },	{ "2", 0, -1, 0, "not a boolean: '2'" },
		{ "yess", 0, -1, 0, "not a boolean" },
		{ "cleared", 0, -1, 0, "not a boolean" },
	};

	(void)state;
	run_int_rows("norm_bool", bool_fn, rows, NROWS(rows));
}

static void test_split(void **state)
{
	static const struct {
		const char *in;
		int ret, hundredths;
		const char *out, *why;
	} rows[] = {
		{ "50", 0, 5000, "50.00", NULL },
		{ "50.00", 0, 5000, "50.00", NULL },
		{ "33.33", 0, 3333, "33.33", NULL },
		{ "50%", 0, 5000, "50.00", NULL },
		{ " 12.5 ", 0, 1250, "12.50", NULL },
		{ "12.5 %", 0, 1250, "12.50", NULL },
		{ "0", 0, 0, "0.00", NULL },	{ "0.01", 0, 1, "0.01", NULL },
		{ "100", 0, 10000, "100.00", NULL },
		{ "100.000", 0, 10000, "100.00", NULL },
		{ "33.330", 0, 3333, "33.33", NULL },	{ "", E, 0, "", NULL },
		{ "100.01", -1, 0, "", "split percentage 100.01 exceeds 100" },
		{ "101", -1, 0, "", "exceeds 100" },
		{ "99999999999999999999999", -1, 0, "", "exceeds 100" },
		{ "-5", -1, 0, "", "must not be negative" },
		{ "33.333", -1, 0, "",
		  "'33.333' has more than 2 decimal places" },
		{ "12.501", -1, 0, "", "more than 2 decimal places" },
		{ "half", -1, 0, "", "not a number: 'half'" },
		{ "50%%", -1, 0, "", "not a number" },
		{ "%50", -1, 0, "", "not a number" },
		{ "50,5", -1, 0, "", "not a number" },
		{ ".5", -1, 0, "", "not a number" },
	};
	char out[NORM_SPLIT_SIZE], why[NORM_WHY_MAX];
	size_t i;
	int r, h;

	(void)state;
	for (i = 0; i < NROWS(rows); i++) {
		h = -1;
		r = norm_split(rows[i].in, &h, out, why);
		check_ret("norm_split", rows[i].in, r, rows[i].ret, why);
		check_str("norm_split", rows[i].in, "text", out, rows[i].out);
		if (r == 0)
			check_int("norm_split", rows[i].in, "hundredths", h,
				  rows[i].hundredths);
		if (r < 0)
			check_why("norm_split", rows[i].in, why, rows[i].why);
	}
}

static void test_decimal_comma(void **state)
{
	static const struct {
		const char *in;
		int ret;
		const char *out;
	} rows[] = {
		{ "120,5", 1, "120.5" },	{ "0,5", 1, "0.5" },
		{ "33,33 %", 1, "33.33 %" },	{ "3:05,5", 1, "3:05.5" },
		{ "120,5 BPM", 1, "120.5 BPM" },
		{ "120", 0, "120" },		{ "120.5", 0, "120.5" },
		{ "1,234.5", 0, "1,234.5" },	{ "1,2,3", 0, "1,2,3" },
		{ ",5", 0, ",5" },		{ "5,", 0, "5," },
		{ "a,b", 0, "a,b" },		{ "5, 5", 0, "5, 5" },
		{ "", 0, "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NROWS(rows); i++) {
		char s[32];

		snprintf(s, sizeof(s), "%s", rows[i].in);
		check_ret("norm_decimal_comma", rows[i].in, norm_decimal_comma(s), rows[i].ret, "");
		check_str("norm_decimal_comma", rows[i].in, "result", s, rows[i].out);
	}
}

static void test_null_marker(void **state)
{
	static const char *const extra[] = { "?", " Not Known ", "xx" };
	static const struct {
		const char *in;
		size_t nextra;
		int ret;
	} rows[] = {
		{ "N/A", 0, 1 },	{ "n/a", 0, 1 },	{ " N/a ", 0, 1 },
		{ "#N/A", 0, 1 },	{ "-", 0, 1 },		{ "\xE2\x80\x94", 0, 1 },
		{ "\xE2\x80\x93", 0, 1 }, { "null", 0, 1 },	{ "NULL", 0, 1 },
		{ "None", 0, 1 },	{ "unknown", 0, 1 },	{ "UNKNOWN", 0, 1 },
		{ "TBD", 0, 1 },	{ "tbd", 0, 1 },	{ "\tnone\r\n", 0, 1 },
		{ "", 0, 0 },		{ "   ", 0, 0 },	{ "NA", 0, 0 },
		{ "--", 0, 0 },		{ "-5", 0, 0 },		{ "N/A N/A", 0, 0 },
		{ "unknown artist", 0, 0 }, { "nulls", 0, 0 },	{ "0", 0, 0 },
		{ "\xE2\x80\x95", 0, 0 },			/* a horizontal bar is no dash here */
		{ "?", 0, 0 },		{ "?", 3, 1 },		{ "not known", 3, 1 },
		{ "NOT KNOWN", 3, 1 },	{ "xx", 3, 1 },		{ "xxx", 3, 0 },
		{ "N/A", 3, 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NROWS(rows); i++)
		check_ret("norm_null_marker", rows[i].in,
			  norm_null_marker(rows[i].in, strlen(rows[i].in), extra, rows[i].nextra),
			  rows[i].ret, "");
	check_ret("norm_null_marker", "NULL pointer", norm_null_marker(NULL, 0, NULL, 0), 0, "");
	check_ret("norm_null_marker", "N/A and a NUL", norm_null_marker("N/A\0x", 5, NULL, 0), 0, "");
}

static void test_date(void **state)
{
	static const struct {
		const char *in;
		enum norm_date_order order;
		int ret;
		const char *out, *why;
	} rows[] = {
		{ "2024-01-15", ISO, 0, "2024-01-15", NULL },
		{ " 2024-01-15 ", ISO, 0, "2024-01-15", NULL },
		{ "2024", ISO, 0, "2024-01-01", NULL },
		{ "2024-07", ISO, 0, "2024-07-01", NULL },
		{ "2024-1-5", ISO, 0, "2024-01-05", NULL },
		{ "2024/01/15", ISO, 0, "2024-01-15", NULL },
		{ "2024.01.15", ISO, 0, "2024-01-15", NULL },
		{ "2024-01-15", DMY, 0, "2024-01-15", NULL },
		{ "2000-02-29", ISO, 0, "2000-02-29", NULL },
		{ "2024-02-29", ISO, 0, "2024-02-29", NULL },
		{ "2023-12-31", ISO, 0, "2023-12-31", NULL },
		{ "1000-01-01", ISO, 0, "1000-01-01", NULL },
		{ "9999-12-31", ISO, 0, "9999-12-31", NULL },
		{ "15/01/2024", DMY, 0, "2024-01-15", NULL },
		{ "15.01.2024", DMY, 0, "2024-01-15", NULL },
		{ "15-01-2024", DMY, 0, "2024-01-15", NULL },
		{ "5/1/2024", DMY, 0, "2024-01-05", NULL },
		{ "01/15/2024", MDY, 0, "2024-01-15", NULL },
		{ "1/5/2024", MDY, 0, "2024-01-05", NULL },
		{ "02/29/2024", MDY, 0, "2024-02-29", NULL },
		{ "", ISO, E, "", NULL },
		{ "15/01/2024", ISO, -1, "", "--date-order" },
		{ "01-15-2024", ISO, -1, "", "--date-order dmy or mdy" },
		{ "01/15/2024", DMY, -1, "", "month 15 does not exist" },
		{ "15/01/2024", MDY, -1, "", "month 15 does not exist" },
		{ "2023-02-29", ISO, -1, "",
		  "day 29 does not exist in 2023-02" },
		{ "1900-02-29", ISO, -1, "",
		  "day 29 does not exist in 1900-02" },
		{ "2023-02-31", ISO, -1, "", "day 31 does not exist" },
		{ "2024-04-31", ISO, -1, "",
		  "day 31 does not exist in 2024-04" },
		{ "2024-01-00", ISO, -1, "", "day 0 does not exist" },
		{ "2024-13-01", ISO, -1, "", "month 13 does not exist" },
		{ "2024-00", ISO, -1, "", "month 0 does not exist" },
		{ "0999-01-01", ISO, -1, "", "year 999 out of range" },
		{ "0000", ISO, -1, "", "year 0 out of range 1000-9999" },
		{ "31/04/2024", DMY, -1, "", "day 31 does not exist" },
		{ "29/02/2023", DMY, -1, "", "day 29 does not exist" },
		{ "15/01/24", DMY, -1, "", "expected a 4-digit year" },
		{ "15/01-2024", DMY, -1, "", "expected a date like" },
		{ "2024-01-15T10:00:00Z", ISO, -1, "",
		  "expected a date like YYYY-MM-DD" },
		{ "2024-01/15", ISO, -1, "", "expected a date like" },
		{ "2024-001-15", ISO, -1, "", "expected a date like" },
		{ "2024-", ISO, -1, "", "expected a date like" },
		{ "20240115", ISO, -1, "", "expected a date like" },
		{ "Jan 15 2024", DMY, -1, "", "expected a date like" },
		{ "yesterday", ISO, -1, "", "expected a date like" },
	};
	char out[NORM_DATE_SIZE], why[NORM_WHY_MAX];
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < NROWS(rows); i++) {
		r = norm_date(rows[i].in, rows[i].order, out, why);
		check_ret("norm_date", rows[i].in, r, rows[i].ret, why);
		check_str("norm_date", rows[i].in, "date", out, rows[i].out);
		if (r < 0)
			check_why("norm_date", rows[i].in, why, rows[i].why);
	}
}

/* The --date-order option values. */
static void test_date_parts(void **state)
{
	static const struct {
		const char *p[3];
		size_t n;
		enum norm_date_order order;
		int ret, dropped;
		const char *out, *why;
	} rows[] = {
		{ { "2024", "01", "15" }, 3, ISO, 0, 0, "2024-01-15", NULL },
		{ { "2024", "1", "5" }, 3, ISO, 0, 0, "2024-01-05", NULL },
		{ { " 2024 ", " 3 ", "" }, 3, ISO, 0, 0, "2024-03-01", NULL },	/* no day: the month */
		{ { "2024", "", "" }, 3, ISO, 0, 0, "2024-01-01", NULL },	/* no month: the year */
		{ { "2024", "", "15" }, 3, ISO, 0, 1, "2024-01-01", NULL },	/* a day alone: dropped */
		{ { "", "01", "15" }, 3, ISO, E, 1, "", NULL },			/* no year: no date */
		{ { "", "", "" }, 3, ISO, E, 0, "", NULL },
		{ { NULL, NULL, NULL }, 3, ISO, E, 0, "", NULL },
		{ { "2024", "March", "9" }, 3, ISO, 0, 0, "2024-03-09", NULL },
		{ { "2024", "sep", "" }, 3, ISO, 0, 0, "2024-09-01", NULL },
		{ { "2024", "Sept", "30" }, 3, ISO, 0, 0, "2024-09-30", NULL },
		{ { "2024", "12", NULL }, 2, ISO, 0, 0, "2024-12-01", NULL },
		{ { "12", "2024", NULL }, 2, ISO, 0, 0, "2024-12-01", NULL },	/* month + year */
		{ { "", "2024", NULL }, 2, ISO, 0, 0, "2024-01-01", NULL },
		{ { "15", "01", "2024" }, 3, DMY, 0, 0, "2024-01-15", NULL },
		{ { "", "01", "2024" }, 3, DMY, 0, 0, "2024-01-01", NULL },
		{ { "15", "", "2024" }, 3, DMY, 0, 1, "2024-01-01", NULL },
		{ { "01", "15", "2024" }, 3, MDY, 0, 0, "2024-01-15", NULL },
		{ { "2024", "01", "15" }, 3, DMY, 0, 0, "2024-01-15", NULL },	/* year-first wins */
		{ { "15", "01", "2024" }, 3, ISO, -1, 0, "", "--date-order dmy or mdy" },
		{ { "2024", "13", "1" }, 3, ISO, -1, 0, "", "month 13 does not exist" },
		{ { "2023", "2", "29" }, 3, ISO, -1, 0, "", "day 29 does not exist" },
		{ { "2024", "Marchy", "1" }, 3, ISO, -1, 0, "", "unknown month 'Marchy'" },
		{ { "24", "01", "15" }, 3, ISO, -1, 0, "", "year '24' is not 4 digits" },
		{ { "2024", "01", "1st" }, 3, ISO, -1, 0, "", "day '1st' is not a number" },
		{ { "2024", NULL, NULL }, 1, ISO, -1, 0, "", "2 or 3 parts" },
	};
	char out[NORM_DATE_SIZE], why[NORM_WHY_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < NROWS(rows); i++) {
		int dropped = -1;
		int r = norm_date_parts(rows[i].p, rows[i].n, rows[i].order, out, &dropped, why);

		check_ret("norm_date_parts", rows[i].p[0] ? rows[i].p[0] : "(null)", r, rows[i].ret, why);
		check_str("norm_date_parts", rows[i].p[0] ? rows[i].p[0] : "(null)", "out", out,
			  rows[i].out);
		if (r >= 0)
			check_int("norm_date_parts", rows[i].p[0] ? rows[i].p[0] : "(null)", "dropped",
				  dropped, rows[i].dropped);
		if (r < 0)
			check_why("norm_date_parts", rows[i].p[0] ? rows[i].p[0] : "(null)", why,
				  rows[i].why);
	}
}

static void test_date_order_parse(void **state)
{
	enum norm_date_order o = NORM_DATE_ISO;

	(void)state;
	assert_int_equal(norm_date_order_parse("DMY", &o), 0);
	assert_int_equal(o, NORM_DATE_DMY);
	assert_int_equal(norm_date_order_parse("mdy", &o), 0);
	assert_int_equal(o, NORM_DATE_MDY);
	assert_int_equal(norm_date_order_parse("iso", &o), 0);
	assert_int_equal(o, NORM_DATE_ISO);
	assert_int_equal(norm_date_order_parse("ymd", &o), -1);
	assert_int_equal(norm_date_order_parse("", &o), -1);
}

/* ======================================================================
 * Identifiers
 * ====================================================================== */

static void test_isrc(void **state)
{
	static const struct id_row rows[] = {
		{ "USRC17607839", 0, "USRC17607839", NULL },
		{ "US-RC1-76-07839", 0, "USRC17607839", NULL },
		{ "us-rc1-76-07839", 0, "USRC17607839", NULL },
		{ " ISRC US-RC1-76-07839 ", 0, "USRC17607839", NULL },
		{ "ISRC:USRC17607839", 0, "USRC17607839", NULL },
		{ "isrcUSRC17607839", 0, "USRC17607839", NULL },
		{ "GB AYE 24 00001", 0, "GBAYE2400001", NULL },
		/* Iceland + registrant RCA: "ISRC" here is not a prefix */
		{ "ISRCA2400001", 0, "ISRCA2400001", NULL },
		{ "FRZ032400001", 0, "FRZ032400001", NULL },
		{ "UKAAA2400001", 0, "UKAAA2400001", NULL },
		{ "QZES82400001", 0, "QZES82400001", NULL },
		{ "QMFME2400001", 0, "QMFME2400001", NULL },
		{ "FXABC2400001", 0, "FXABC2400001", NULL },
		{ "CPABC2400001", 0, "CPABC2400001", NULL },
		{ "DGABC2400001", 0, "DGABC2400001", NULL },
		{ "ZZABC2400001", 0, "ZZABC2400001", NULL },
		{ "SSABC2400001", 0, "SSABC2400001", NULL },
		{ "AXABC2400001", 0, "AXABC2400001", NULL },
		{ "ZWABC2400001", 0, "ZWABC2400001", NULL },
		{ "", E, "", NULL },
		{ "GB-XY", -1, "", "expected 12 characters, got 4" },
		{ "USRC1760783", -1, "", "expected 12 characters, got 11" },
		{ "USRC176078390", -1, "", "expected 12 characters, got 13" },
		{ "ISRCUSRC1760783", -1, "", "expected 12 characters, got 15" },
		{ "XXRC17607839", -1, "", "unknown country code 'XX'" },
		{ "EURC17607839", -1, "", "unknown country code 'EU'" },
		{ "XKRC17607839", -1, "", "unknown country code 'XK'" },
		{ "YURC17607839", -1, "", "unknown country code 'YU'" },
		{ "1SRC17607839", -1, "",
		  "country code '1S' must be two letters" },
		{ "USRC1760783X", -1, "", "must be 7 digits" },
		{ "USRC1A607839", -1, "",
		  "year and designation 'A607839' must be 7 digits" },
		{ "US_RC17607839", -1, "", "invalid character '_'" },
		{ "US.RC1.76.07839", -1, "", "invalid character '.'" },
		{ "USRC:17607839", -1, "", "invalid character ':'" },
		{ "USRC1760783\xC3\xA9", -1, "", "invalid character in" },
	};

	(void)state;
	run_id_rows("norm_isrc", norm_isrc, rows, NROWS(rows));
}

static void test_ipi(void **state)
{
	static const struct id_row rows[] = {
		{ "00000000199", 0, "00000000199", NULL },
		{ " 00000000199 ", 0, "00000000199", NULL },
		{ "12345678993", 0, "12345678993", NULL },
		{ "25476258067", 0, "25476258067", NULL },
		{ "99999999919", 0, "99999999919", NULL },
		{ "00000000000", 0, "00000000000", NULL },	/* r = 0 */
		{ "00000499900", 0, "00000499900", NULL },	/* r = 0 */
		{ "00000589900", 0, "00000589900", NULL },	/* r = 1 */
		{ "0000000199", 0, "00000000199", NULL },	/* 10 digits */
		{ "440587064", 0, "00440587064", NULL },	/* 9-digit CAE */
		{ "000000199", 0, "00000000199", NULL },
		{ "", E, "", NULL },
		{ "00000000198", -1, "", "check digits are 98, expected 99" },
		{ "12345678994", -1, "", "check digits are 94, expected 93" },
		{ "00000589901", -1, "", "check digits are 01, expected 00" },
		{ "21345678993", -1, "", "check digits are 93, expected" },
		{ "440587065", -1, "", "check digits are 65, expected 64" },
		{ "12345678", -1, "", "expected 9 to 11 digits, got 8" },
		{ "123456789930", -1, "", "expected 9 to 11 digits, got 12" },
		{ "I-000000199", -1, "", "invalid character 'I'" },
		{ "000 000 001 99", -1, "", "invalid character ' '" },
		{ "00000000199.0", -1, "", "invalid character '.'" },
	};

	(void)state;
	run_id_rows("norm_ipi", norm_ipi, rows, NROWS(rows));
}

static void test_gtin(void **state)
{
	static const struct id_row rows[] = {
		{ "96385074", 0, "96385074", NULL },		/* GTIN-8 */
		{ "73513537", 0, "73513537", NULL },
		{ "036000291452", 0, "036000291452", NULL },	/* UPC-A */
		{ "012345678905", 0, "012345678905", NULL },
		{ "4006381333931", 0, "4006381333931", NULL },	/* EAN-13 */
		{ "9780306406157", 0, "9780306406157", NULL },
		{ " 5901234123457 ", 0, "5901234123457", NULL },
		{ "00012345600012", 0, "00012345600012", NULL }, /* GTIN-14 */
		{ "10614141000415", 0, "10614141000415", NULL },
		{ "", E, "", NULL },
		{ "96385075", -1, "", "check digit is 5, expected 4" },
		{ "036000291453", -1, "", "check digit is 3, expected 2" },
		{ "4006381333932", -1, "", "check digit is 2, expected 1" },
		{ "10614141000416", -1, "", "check digit is 6, expected 5" },
		{ "4006381333913", -1, "", "check digit is 3, expected" },
		{ "1234567", -1, "", "expected 8, 12, 13 or 14 digits, got 7" },
		{ "1234567890", -1, "", "got 10" },
		{ "123456789012345", -1, "", "got 15" },
		{ "BT-2024-001", -1, "", "invalid character 'B'" },
		{ "4006381 333931", -1, "", "invalid character ' '" },
	};

	(void)state;
	run_id_rows("norm_gtin", norm_gtin, rows, NROWS(rows));
}

static void test_iswc(void **state)
{
	static const struct {
		const char *in;
		int ret;
		const char *compact, *display, *why;
	} rows[] = {
		{ "T-034.524.680-1", 0, "T0345246801", "T-034.524.680-1", NULL },
		{ "T0345246801", 0, "T0345246801", "T-034.524.680-1", NULL },
		{ "t-034524680-1", 0, "T0345246801", "T-034.524.680-1", NULL },
		{ " T 034 524 680 1 ", 0, "T0345246801", "T-034.524.680-1", NULL },
		{ "T-345.246.800-3", 0, "T3452468003", "T-345.246.800-3", NULL },
		{ "T-000.000.001-0", 0, "T0000000010", "T-000.000.001-0", NULL },
		{ "T-123.456.789-4", 0, "T1234567894", "T-123.456.789-4", NULL },
		{ "", E, "", "", NULL },
		{ "T-034.524.680-2", -1, "", "", "check digit is 2, expected 1" },
		{ "T-123.456.789-5", -1, "", "", "check digit is 5, expected 4" },
		{ "T-043.524.680-1", -1, "", "", "check digit is 1, expected" },
		{ "0345246801", -1, "", "", "ISWC must start with 'T'" },
		{ "X-034.524.680-1", -1, "", "", "must start with 'T'" },
		{ "T-034.524.680", -1, "", "", "expected T and 10 digits" },
		{ "T-034.524.680-12", -1, "", "", "expected T and 10 digits" },
		{ "T-034.524.68A-1", -1, "", "", "expected T and 10 digits" },
	};
	char c[NORM_ISWC_SIZE], d[NORM_ISWC_DISPLAY_SIZE], why[NORM_WHY_MAX];
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < NROWS(rows); i++) {
		r = norm_iswc(rows[i].in, c, d, why);
		check_ret("norm_iswc", rows[i].in, r, rows[i].ret, why);
		check_str("norm_iswc", rows[i].in, "compact", c, rows[i].compact);
		check_str("norm_iswc", rows[i].in, "display", d, rows[i].display);
		if (r < 0)
			check_why("norm_iswc", rows[i].in, why, rows[i].why);
	}
	check_ret("norm_iswc", "display NULL",
		  norm_iswc("T0345246801", c, NULL, why), 0, why);
}

static void test_isni(void **state)
{
	static const struct id_row rows[] = {
		{ "0000000218250097", 0, "0000000218250097", NULL },
		{ "0000-0002-1825-0097", 0, "0000000218250097", NULL },
		{ "0000 0002 1694 233X", 0, "000000021694233X", NULL },
		{ "000000021694233x", 0, "000000021694233X", NULL },
		{ "ISNI 0000 0001 2146 438X", 0, "000000012146438X", NULL },
		{ "isni:0000000121032683", 0, "0000000121032683", NULL },
		{ "0000 0000 8022 1006", 0, "0000000080221006", NULL },
		{ "", E, "", NULL },
		{ "0000000218250098", -1, "", "check character is 8, expected 7" },
		{ "0000000216942330", -1, "", "check character is 0, expected X" },
		{ "000000012146438Y", -1, "", "expected 15 digits and a check" },
		{ "00000002182500X7", -1, "", "expected 15 digits and a check" },
		{ "000000021825009", -1, "", "expected 15 digits and a check" },
		{ "00000002182500977", -1, "", "expected 15 digits" },
	};

	(void)state;
	run_id_rows("norm_isni", norm_isni, rows, NROWS(rows));
}

/* ======================================================================
 * Text
 * ====================================================================== */

static void test_text(void **state)
{
	static const struct {
		const char *name, *in;
		size_t len;	/* 0: strlen(in) */
		unsigned flags;
		size_t max;
		int ret;
		const char *out, *why;
	} rows[] = {
		{ "plain", "Summer Vibes", 0, 0, 255, 0, "Summer Vibes", NULL },
		{ "trim", "  Summer Vibes \r\n", 0, NORM_TEXT_TRIM, 0, 0,
		  "Summer Vibes", NULL },
		{ "no trim", "  x ", 0, 0, 0, 0, "  x ", NULL },
		{ "bom", "\xEF\xBB\xBFTitle", 0, 0, 0, 0, "Title", NULL },
		{ "bom only", "\xEF\xBB\xBF", 0, 0, 0, E, "", NULL },
		{ "empty", "", 0, 0, 0, E, "", NULL },
		{ "spaces trimmed", " \t ", 0, NORM_TEXT_TRIM, 0, E, "", NULL },
		{ "nfc", "Caf" "e\xCC\x81", 0, 0, 0, 0, "Caf\xC3\xA9", NULL },
		{ "nfc hangul", "\xE1\x84\x80\xE1\x85\xA1", 0, 0, 0, 0,
		  "\xEA\xB0\x80", NULL },
		{ "already nfc", "na\xC3\xAFve \xE2\x99\xAF", 0, 0, 0, 0,
		  "na\xC3\xAFve \xE2\x99\xAF", NULL },
		{ "latin, nothing to compose",
		  "S\xC3\xB8n \xC5\x81\xC3\xB3" "d\xC5\xBA \xCB\xBF", 0, 0, 0, 0,
		  "S\xC3\xB8n \xC5\x81\xC3\xB3" "d\xC5\xBA \xCB\xBF", NULL },
		{ "latin, then a combining mark", "\xC3\xB8o\xCC\x88", 0, 0, 0, 0,
		  "\xC3\xB8\xC3\xB6", NULL },
		{ "a mark on a latin letter", "\xC5\x8D\xCC\x81", 0, 0, 0, 0,
		  "\xE1\xB9\x93", NULL },
		{ "emoji", "\xF0\x9F\x8E\xB5 beat", 0, 0, 6, 0,
		  "\xF0\x9F\x8E\xB5 beat", NULL },
		{ "multiline ok", "line 1\nline 2\r\n\tend", 0,
		  NORM_TEXT_MULTILINE, 0, 0, "line 1\nline 2\r\n\tend", NULL },
		{ "newline refused", "line 1\nline 2", 0, 0, 0, -1, "",
		  "control character U+000A at byte 7" },
		{ "tab refused", "a\tb", 0, 0, 0, -1, "",
		  "control character U+0009 at byte 2" },
		{ "bell", "a\x07" "b", 0, NORM_TEXT_MULTILINE, 0, -1, "",
		  "control character U+0007 at byte 2" },
		{ "escape after trim", "  \x1B[0m", 0, NORM_TEXT_TRIM, 0, -1, "",
		  "control character U+001B at byte 3" },
		{ "del", "abc\x7F", 0, 0, 0, -1, "",
		  "control character U+007F at byte 4" },
		{ "c1", "ab\xC2\x85", 0, NORM_TEXT_MULTILINE, 0, -1, "",
		  "control character U+0085 at byte 3" },
		{ "c1 last", "\xC2\x9F", 0, 0, 0, -1, "", "U+009F at byte 1" },
		{ "not c1", "\xC2\xA0x", 0, 0, 0, 0, "\xC2\xA0x", NULL },
		{ "nul", "ab\0c", 4, 0, 0, -1, "", "NUL byte at byte 3" },
		{ "bad byte", "abcdef\xFF", 0, 0, 0, -1, "",
		  "invalid UTF-8 at byte 7" },
		{ "lone continuation", "\x80" "abc", 0, 0, 0, -1, "",
		  "invalid UTF-8 at byte 1" },
		{ "truncated", "ab\xE2\x82", 0, 0, 0, -1, "",
		  "invalid UTF-8 at byte 3" },
		{ "overlong", "a\xC0\xAF", 0, 0, 0, -1, "",
		  "invalid UTF-8 at byte 2" },
		{ "overlong 3", "\xE0\x80\xAF", 0, 0, 0, -1, "",
		  "invalid UTF-8 at byte 1" },
		{ "surrogate", "x\xED\xA0\x80", 0, 0, 0, -1, "",
		  "invalid UTF-8 at byte 2" },
		{ "above U+10FFFF", "\xF4\x90\x80\x80", 0, 0, 0, -1, "",
		  "invalid UTF-8 at byte 1" },
		{ "latin-1", "Caf\xE9", 0, 0, 0, -1, "", "invalid UTF-8 at byte 4" },
		{ "bom counted", "\xEF\xBB\xBF" "ab\xFF", 0, 0, 0, -1, "",
		  "invalid UTF-8 at byte 6" },
		{ "limit exact", "abcde", 0, 0, 5, 0, "abcde", NULL },
		{ "limit over", "abcdef", 0, 0, 5, -1, "",
		  "value has 6 characters, column allows 5" },
		{ "limit counts characters",
		  "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 0, 0, 5, 0,
		  "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", NULL },
		{ "limit after nfc", "e\xCC\x81" "e\xCC\x81", 0, 0, 2, 0,
		  "\xC3\xA9\xC3\xA9", NULL },
		{ "limit after trim", "  abc  ", 0, NORM_TEXT_TRIM, 3, 0, "abc",
		  NULL },
	};
	char why[NORM_WHY_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < NROWS(rows); i++) {
		struct buf out = BUF_INIT;
		size_t len = rows[i].len ? rows[i].len : strlen(rows[i].in);
		int r;

		buf_adds(&out, "prefix|");
		r = norm_text(rows[i].in, len, rows[i].flags, rows[i].max, &out,
			      why);
		check_ret("norm_text", rows[i].name, r, rows[i].ret, why);
		if (strncmp(out.data, "prefix|", 7) != 0)
			fail_msg("norm_text('%s'): earlier contents changed: '%s'",
				 rows[i].name, out.data);
		if (r < 0)
			check_why("norm_text", rows[i].name, why, rows[i].why);
		check_str("norm_text", rows[i].name, "output", out.data + 7,
			  rows[i].out);
		buf_release(&out);
	}
}

static void test_text_column_limit(void **state)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	char why[NORM_WHY_MAX];
	int i, r;

	(void)state;
	for (i = 0; i < 255; i++)
		buf_adds(&in, "\xC3\xA9");	/* 255 characters, 510 bytes */
	r = norm_text(in.data, in.len, 0, 255, &out, why);
	check_ret("norm_text", "255 x e-acute", r, 0, why);
	check_int("norm_text", "255 x e-acute", "bytes", (long long)out.len, 510);
	buf_reset(&out);
	for (i = 0; i < 45; i++)
		buf_adds(&in, "a");
	r = norm_text(in.data, in.len, 0, 255, &out, why);
	check_ret("norm_text", "300 characters", r, -1, why);
	check_why("norm_text", "300 characters", why,
		  "value has 300 characters, column allows 255");
	check_int("norm_text", "300 characters", "out.len", (long long)out.len,
		  0);
	buf_release(&in);
	buf_release(&out);
}

static void test_catalog_number(void **state)
{
	static const struct id_row rows[] = {
		{ "BT-2024-001", 0, "BT-2024-001", NULL },
		{ "  BT-2024-001  ", 0, "BT-2024-001", NULL },
		{ "4006381333931", 0, "4006381333931", NULL },
		{ "LBL 12/3 (Deluxe)", 0, "LBL 12/3 (Deluxe)", NULL },
		{ "", E, "", NULL },
		{ "BT\t2024", -1, "", "control character U+0009 at byte 3" },
		{ "BT\n2024", -1, "", "control character U+000A" },
		{ "123456789012345678901234567890123456789012345678901", -1, "",
		  "value has 51 characters, column allows 50" },
	};

	(void)state;
	run_buf_rows("norm_catalog_number", norm_catalog_number, rows, NROWS(rows));
}

/* ======================================================================
 * Vocabularies
 * ====================================================================== */

/* out NULL: refused (a control character); out "": NORM_EMPTY. */
struct vocab_row {
	const char *in, *out;
	int known;
};

typedef int (*vocab_fn)(const char *in, struct buf *out, int *known,
			char *why);

static void run_vocab_rows(const char *fn, vocab_fn f,
			   const struct vocab_row *rows, size_t n)
{
	char why[NORM_WHY_MAX];
	size_t i;

	for (i = 0; i < n; i++) {
		const char *want = rows[i].out ? rows[i].out : "";
		struct buf out = BUF_INIT;
		int known = -1, r;

		why[0] = '\0';
		r = f(rows[i].in, &out, &known, why);
		check_ret(fn, rows[i].in, r,
			  !rows[i].out ? -1 : *want ? 0 : E, why);
		check_str(fn, rows[i].in, "output", out.data, want);
		if (r == 0)
			check_int(fn, rows[i].in, "known", known, rows[i].known);
		if (r < 0)
			check_why(fn, rows[i].in, why, "control character");
		buf_release(&out);
	}
}

static void test_pro(void **state)
{
	static const struct vocab_row rows[] = {
		{ "ASCAP", "ASCAP", 1 },	{ "ascap", "ASCAP", 1 },
		{ "A.S.C.A.P.", "ASCAP", 1 },	{ " Ascap ", "ASCAP", 1 },
		{ "American Society of Composers, Authors and Publishers",
		  "ASCAP", 1 },
		{ "American Society of Composers, Authors & Publishers",
		  "ASCAP", 1 },
		{ "BMI", "BMI", 1 },	{ "Broadcast Music Inc", "BMI", 1 },
		{ "Broadcast Music, Inc.", "BMI", 1 },	{ "SESAC", "SESAC", 1 },
		{ "Global Music Rights", "GMR", 1 },
		{ "PRS for Music", "PRS", 1 },	{ "prs", "PRS", 1 },
		{ "SOCAN", "SOCAN", 1 },	{ "gema", "GEMA", 1 },
		{ "Sacem", "SACEM", 1 },	{ "JASRAC", "JASRAC", 1 },
		{ "APRA AMCOS", "APRA", 1 },
		{ "SIAE", "SIAE", 1 },	{ "SGAE", "SGAE", 1 },
		{ "BUMA/STEMRA", "BUMA", 1 },	{ "Buma Stemra", "BUMA", 1 },
		{ "STIM", "STIM", 1 },	{ "TONO", "TONO", 1 },
		{ "KODA", "KODA", 1 },	{ "Teosto", "TEOSTO", 1 },
		{ "IMRO", "IMRO", 1 },	{ "ZAiKS", "ZAIKS", 1 },
		{ "KOMCA", "KOMCA", 1 },
		/* CISAC society codes */
		{ "010", "ASCAP", 1 },	{ "10", "ASCAP", 1 },
		{ "021", "BMI", 1 },	{ "071", "SESAC", 1 },
		{ "052", "PRS", 1 },	{ "058", "SACEM", 1 },
		{ "035", "GEMA", 1 },	{ "101", "SOCAN", 1 },
		{ "038", "JASRAC", 1 },
		/* no PRO */
		{ "", "", 0 },	{ "none", "", 0 },
		{ "N/A", "", 0 },	{ "-", "", 0 },
		{ "Not affiliated", "", 0 },
		/* unknown: kept as given, flagged */
		{ "Acme Rights Society", "Acme Rights Society", 0 },
		{ "  Acme  ", "Acme", 0 },
		{ "999", "999", 0 },	{ "0100", "0100", 0 },
		{ "ASCAP\x01", NULL, 0 },
	};

	(void)state;
	run_vocab_rows("norm_pro", norm_pro, rows, NROWS(rows));
}

static void test_role(void **state)
{
	static const struct vocab_row rows[] = {
		/* DDEX ContributorRole values */
		{ "Composer", "composer", 1 },	{ "Lyricist", "lyricist", 1 },
		{ "ComposerLyricist", "songwriter", 1 },
		{ "Author", "lyricist", 1 },	{ "Librettist", "lyricist", 1 },
		{ "Producer", "producer", 1 },
		{ "StudioProducer", "producer", 1 },
		{ "ExecutiveProducer", "executive producer", 1 },
		{ "MainArtist", "performer", 1 },
		{ "Artist", "performer", 1 },
		{ "FeaturedArtist", "featured artist", 1 },
		{ "Arranger", "arranger", 1 },
		{ "MusicArranger", "arranger", 1 },	{ "Mixer", "mixer", 1 },
		{ "MixingEngineer", "mixer", 1 },
		{ "MasteringEngineer", "mastering engineer", 1 },
		{ "RecordingEngineer", "engineer", 1 },
		{ "Remixer", "remixer", 1 },	{ "Musician", "performer", 1 },
		{ "AssociatedPerformer", "performer", 1 },
		{ "Soloist", "performer", 1 },	{ "Orchestra", "performer", 1 },
		{ "Conductor", "conductor", 1 },
		{ "MusicPublisher", "publisher", 1 },
		{ "Programmer", "programmer", 1 },
		/* free text */
		{ "producer", "producer", 1 },	{ "Prod.", "producer", 1 },
		{ "Produced by", "producer", 1 },
		{ "Writer", "songwriter", 1 },
		{ "Songwriter", "songwriter", 1 },
		{ "Composer/Lyricist", "songwriter", 1 },
		{ "composer & lyricist", "songwriter", 1 },
		{ "Words and Music", "songwriter", 1 },
		{ "Mixed By", "mixer", 1 },
		{ "feat.", "featured artist", 1 },
		{ "Featured Artist", "featured artist", 1 },
		{ "co-producer", "producer", 1 },
		{ "PERFORMER", "performer", 1 },
		/* unknown: lower-cased, DDEX CamelCase split */
		{ "PhotographyDirector", "photography director", 0 },
		{ "AAndRAdministrator", "a and r administrator", 0 },
		{ "FilmProducer", "film producer", 0 },
		{ "DJ-ing", "dj-ing", 0 },	{ "Tea Boy", "tea boy", 0 },
		{ "\xC3\x89" "CLAIRAGISTE", "\xC3\xA9" "clairagiste", 0 },
		{ "", "", 0 },	{ "pro\nducer", NULL, 0 },
	};

	(void)state;
	run_vocab_rows("norm_role", norm_role, rows, NROWS(rows));
}

static void test_instrument_category(void **state)
{
	static const struct vocab_row rows[] = {
		/* the vocabulary itself and its variants */
		{ "synth", "synth", 1 },	{ "Synths", "synth", 1 },
		{ "DRUMS", "drums", 1 },	{ "Bass", "bass", 1 },
		{ "Guitars", "guitar", 1 },	{ "Vox", "vocals", 1 },
		{ "Keyboards", "keys", 1 },	{ "Strings", "strings", 1 },
		{ "Horns", "brass", 1 },	{ "Woodwind", "woodwinds", 1 },
		{ "Perc", "percussion", 1 },	{ "SFX", "fx", 1 },
		/* DDEX InstrumentType values */
		{ "Violin", "strings", 1 },
		{ "AcousticGuitar", "guitar", 1 },
		{ "ElectricGuitar", "guitar", 1 },
		{ "12-StringGuitar", "guitar", 1 },	{ "Piano", "keys", 1 },
		{ "HammondOrgan", "keys", 1 },	{ "Harpsichord", "keys", 1 },
		{ "Accordion", "keys", 1 },	{ "DrumKit", "drums", 1 },
		{ "BassDrum(Kick)", "drums", 1 },
		{ "HiHatCymbal", "drums", 1 },	{ "RolandTR808", "drums", 1 },
		{ "Synthesizer", "synth", 1 },	{ "SynthBass", "synth", 1 },
		{ "MoogMinimoog", "synth", 1 },	{ "Voice", "vocals", 1 },
		{ "LeadVocalist", "vocals", 1 },
		{ "Choir", "vocals", 1 },	{ "BassGuitar", "bass", 1 },
		{ "ElectricBassGuitar", "bass", 1 },
		{ "DoubleBass", "bass", 1 },	{ "Trumpet", "brass", 1 },
		{ "FrenchHorn", "brass", 1 },
		{ "EnglishHorn", "woodwinds", 1 },
		{ "BassClarinet", "woodwinds", 1 },
		{ "AltoSaxophone", "woodwinds", 1 },
		{ "Bassoon", "woodwinds", 1 },	{ "Congas", "percussion", 1 },
		{ "Riq", "percussion", 1 },	{ "Dunun", "percussion", 1 },
		{ "FingerCymbals", "percussion", 1 },
		{ "SteelDrums", "percussion", 1 },
		{ "Zummara", "woodwinds", 1 },	{ "Psaltery", "strings", 1 },
		{ "FolkHarp", "strings", 1 },
		{ "ThunderSheet", "percussion", 1 },
		{ "Treatments", "fx", 1 },	{ "Turntable", "fx", 1 },
		/* free text naming an instrument */
		{ "electric guitar", "guitar", 1 },
		{ "Analog Synth", "synth", 1 },	{ "lead vocals", "vocals", 1 },
		{ "Grand Piano", "keys", 1 },	{ "sub bass", "bass", 1 },
		{ "bass drum", "drums", 1 },	{ "tenor sax", "woodwinds", 1 },
		{ "808", "drums", 1 },	{ "808 bass", "bass", 1 },
		/* unknown: kept lower-cased, flagged */
		{ "Orchestra", "orchestra", 0 },	{ "Kazoo", "kazoo", 0 },
		{ "OtherInstrument", "other instrument", 0 },
		{ "PipeAndDrumGroup", "pipe and drum group", 0 },
		{ "Quartet", "quartet", 0 },
		{ " Theremin-ish Thing ", "theremin-ish thing", 0 },
		{ "", "", 0 },
	};

	(void)state;
	run_vocab_rows("norm_instrument_category", norm_instrument_category, rows,
		       NROWS(rows));
}

static void test_genre_id3(void **state)
{
	static const struct id_row rows[] = {
		{ "17", 0, "Rock", NULL },	{ "(17)", 0, "Rock", NULL },
		{ "(17)Rock", 0, "Rock", NULL },
		{ "(17)Rock Opera", 0, "Rock Opera", NULL },
		{ "(17) Alt Rock ", 0, "Alt Rock", NULL },
		{ "(RX)", 0, "Remix", NULL },	{ "(CR)", 0, "Cover", NULL },
		{ "RX", 0, "Remix", NULL },
		{ "(51)(39)", 0, "Techno-Industrial", NULL },
		{ "(RX)(17)", 0, "Remix", NULL },
		{ "0", 0, "Blues", NULL },	{ "(0)", 0, "Blues", NULL },
		{ "79", 0, "Hard Rock", NULL },	{ "80", 0, "Folk", NULL },
		{ "125", 0, "Dancehall", NULL },
		{ "147", 0, "Synthpop", NULL },	{ "148", 0, "Abstract", NULL },
		{ "191", 0, "Psybient", NULL },	{ "017", 0, "Rock", NULL },
		{ "133", 0, "Worldbeat", NULL },	{ "(134)", 0, "Polsk Punk", NULL },
		{ "(6)", 0, "Grunge", NULL },
		{ "((Live) Rock", 0, "(Live) Rock", NULL },
		{ "(17)((Live)", 0, "(Live)", NULL },
		{ "(Live) Rock", 0, "(Live) Rock", NULL },
		{ "Electronic", 0, "Electronic", NULL },
		{ " Lo-Fi Hip Hop ", 0, "Lo-Fi Hip Hop", NULL },
		{ "2024", 0, "2024", NULL },
		{ "(200)Rock", 0, "Rock", NULL },	{ "255", E, "", NULL },
		{ "(255)", E, "", NULL },	{ "", E, "", NULL },
		{ "192", -1, "", "unknown ID3 genre code 192" },
		{ "(254)", -1, "", "unknown ID3 genre code 254" },
		{ "Rock\x1F", -1, "", "control character U+001F" },
		{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", -1, "",
		  "value has 101 characters, column allows 100" },
	};
	int code;

	(void)state;
	run_buf_rows("norm_genre_id3", norm_genre_id3, rows,
		     NROWS(rows));
	/* every code 0-191 has a name */
	for (code = 0; code <= 191; code++) {
		struct buf out = BUF_INIT;
		char in[8], why[NORM_WHY_MAX];

		snprintf(in, sizeof(in), "(%d)", code);
		check_ret("norm_genre_id3", in, norm_genre_id3(in, &out, why), 0, why);
		if (out.len == 0 || out.data[0] == '(')
			fail_msg("norm_genre_id3('%s'): no name, got '%s'", in, out.data);
		buf_release(&out);
	}
}

static void test_section_name(void **state)
{
	static const struct id_row rows[] = {
		{ "Intro", 0, "intro", NULL },
		{ " CHORUS ", 0, "chorus", NULL },
		{ "Verse 2", 0, "verse 2", NULL },
		{ "Pre-Chorus", 0, "pre-chorus", NULL },
		{ "Pre Chorus", 0, "pre-chorus", NULL },
		{ "PreChorus", 0, "pre-chorus", NULL },
		{ "post chorus", 0, "post-chorus", NULL },
		{ "Build-Up", 0, "build-up", NULL },
		{ "buildup", 0, "build-up", NULL },
		{ "Drop", 0, "drop", NULL },
		{ "\xC3\x89TAPE", 0, "\xC3\xA9tape", NULL },
		{ "", E, "", NULL },
		{ "a very long section name that goes on and on and on", -1, "",
		  "value has 51 characters, column allows 50" },
	};

	(void)state;
	run_buf_rows("norm_section_name", norm_section_name, rows, NROWS(rows));
}

/* ======================================================================
 * Lists
 * ====================================================================== */

/* Items joined with '|' for comparison. */
static void list_join(const struct norm_list *l, char *out, size_t size)
{
	const char *p;
	size_t k = 0;

	out[0] = '\0';
	for (p = norm_list_next(l, NULL); p; p = norm_list_next(l, p))
		k += (size_t)snprintf(out + k, size - k, "%s%s", k ? "|" : "", p);
}

struct list_row {
	const char *in;
	unsigned flags;
	size_t max;
	int ret;
	const char *items, *why;
	size_t count;
};

static void run_list_rows(const char *fn, int artists,
			  const struct list_row *rows, size_t n)
{
	char why[NORM_WHY_MAX], joined[512];
	size_t i;

	for (i = 0; i < n; i++) {
		struct norm_list l = NORM_LIST_INIT;
		int r = artists ? norm_artists(rows[i].in, rows[i].max, &l, why)
				: norm_list(rows[i].in, rows[i].flags,
					    rows[i].max, &l, why);

		check_ret(fn, rows[i].in, r, rows[i].ret, why);
		list_join(&l, joined, sizeof(joined));
		check_str(fn, rows[i].in, "items", joined, rows[i].items);
		check_int(fn, rows[i].in, "count", (long long)l.count,
			  (long long)rows[i].count);
		if (r < 0)
			check_why(fn, rows[i].in, why, rows[i].why);
		norm_list_release(&l);
	}
}

static void test_moods_tags(void **state)
{
	static const struct list_row rows[] = {
		{ "uplifting;energetic;summer", 0, 255, 0,
		  "uplifting|energetic|summer", NULL, 3 },
		{ " Uplifting ; ENERGETIC;;summer ; ", 0, 255, 0,
		  "uplifting|energetic|summer", NULL, 3 },
		{ "happy;Happy;HAPPY;sad;happy", 0, 255, 0, "happy|sad", NULL, 2 },
		{ "\xC3\x89nergique;\xC3\xA9nergique;CAF\xC3\x89", 0, 255, 0,
		  "\xC3\xA9nergique|caf\xC3\xA9", NULL, 2 },
		{ "\xCE\xA3\xCE\x9F\xCE\xA6\xCE\x9F\xCE\xA3", 0, 255, 0,
		  "\xCF\x83\xCE\xBF\xCF\x86\xCE\xBF\xCF\x83", NULL, 1 },
		{ "Cafe\xCC\x81;caf\xC3\xA9", 0, 255, 0, "caf\xC3\xA9", NULL, 1 },
		{ "chill, lo-fi;study", 0, 255, 0, "chill, lo-fi|study", NULL, 2 },
		{ "chill, lo-fi;study", NORM_LIST_COMMA, 100, 0,
		  "chill|lo-fi|study", NULL, 3 },
		{ "a,,b, ,A", NORM_LIST_COMMA, 100, 0, "a|b", NULL, 2 },
		{ "one item", 0, 0, 0, "one item", NULL, 1 },
		{ "", 0, 255, E, "", NULL, 0 },
		{ " ; ;; ", 0, 255, E, "", NULL, 0 },
		{ "abcde;abcdef", 0, 5, -1, "",
		  "item 'abcdef' has 6 characters, column allows 5", 0 },
		{ "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 0, 5, 0,
		  "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", NULL, 1 },
		{ "ok;bad\x01", 0, 255, -1, "", "control character U+0001", 0 },
		{ "ok;\xFF", 0, 255, -1, "", "invalid UTF-8 at byte 4", 0 },
	};

	(void)state;
	run_list_rows("norm_list", 0, rows, NROWS(rows));
}

static void test_list_appends(void **state)
{
	struct norm_list l = NORM_LIST_INIT;
	char why[NORM_WHY_MAX], joined[256];

	(void)state;
	check_ret("norm_list", "dark;moody", norm_list("dark;moody", 0, 255, &l,
		  why), 0, why);
	check_ret("norm_list", "Moody;tense", norm_list("Moody;tense", 0, 255,
		  &l, why), 0, why);
	check_ret("norm_list", "DARK", norm_list("DARK", 0, 255, &l, why), E,
		  why);
	check_ret("norm_list", "x;toolong", norm_list("x;toolong", 0, 3, &l,
		  why), -1, why);
	list_join(&l, joined, sizeof(joined));
	check_str("norm_list", "appends", "items", joined, "dark|moody|tense");
	check_int("norm_list", "appends", "count", (long long)l.count, 3);
	norm_list_reset(&l);
	assert_null(norm_list_next(&l, NULL));
	check_int("norm_list", "reset", "count", (long long)l.count, 0);
	norm_list_release(&l);
}

static void test_artists(void **state)
{
	static const struct list_row rows[] = {
		{ "AC/DC", 0, 255, 0, "AC/DC", NULL, 1 },
		{ "Simon&Garfunkel", 0, 255, 0, "Simon&Garfunkel", NULL, 1 },
		{ "Simon & Garfunkel", 0, 255, 0, "Simon|Garfunkel", NULL, 2 },
		{ "A / B ; C", 0, 255, 0, "A|B|C", NULL, 3 },
		{ "Artist feat. Guest", 0, 255, 0, "Artist|Guest", NULL, 2 },
		{ "Artist FEAT. Guest", 0, 255, 0, "Artist|Guest", NULL, 2 },
		{ "Artist ft. Guest & Other", 0, 255, 0, "Artist|Guest|Other",
		  NULL, 3 },
		{ "Artist Featuring Guest", 0, 255, 0, "Artist|Guest", NULL, 2 },
		{ "Artist feat.Guest", 0, 255, 0, "Artist feat.Guest", NULL, 1 },
		{ "Artist (feat. Guest)", 0, 255, 0, "Artist (feat. Guest)",
		  NULL, 1 },
		{ "Featuring", 0, 255, 0, "Featuring", NULL, 1 },
		{ "Earth, Wind & Fire", 0, 255, 0, "Earth, Wind|Fire", NULL, 2 },
		{ "A;B", 0, 255, 0, "A;B", NULL, 1 },
		{ "A &  & B", 0, 255, 0, "A|B", NULL, 2 },
		{ "A & A", 0, 255, 0, "A", NULL, 1 },
		{ "  Bj\xC3\xB6rk  ", 0, 255, 0, "Bj\xC3\xB6rk", NULL, 1 },
		{ "Bjo\xCC\x88rk & Bj\xC3\xB6rk", 0, 255, 0, "Bj\xC3\xB6rk", NULL,
		  1 },
		{ "", 0, 255, E, "", NULL, 0 },
		{ "Short & Toolong", 0, 5, -1, "",
		  "item 'Toolong' has 7 characters, column allows 5", 0 },
	};

	(void)state;
	run_list_rows("norm_artists", 1, rows, NROWS(rows));
}

/* Reasons that quote long input stay short and end on a character. */
static void test_reason_quoting(void **state)
{
	struct buf in = BUF_INIT;
	char k[NORM_KEY_SIZE], s[NORM_SCALE_SIZE], why[NORM_WHY_MAX];
	int i;

	(void)state;
	buf_adds(&in, "C ");
	for (i = 0; i < 200; i++)
		buf_adds(&in, "\xE2\x99\xAF");
	check_ret("norm_key", "C + 200 sharps", norm_key(in.data, k, s, NULL,
		  why), -1, why);
	check_why("norm_key", "C + 200 sharps", why, "...' in key 'C ");
	assert_true(strlen(why) < 120);
	buf_release(&in);
	check_ret("norm_tempo", "NULL why", norm_tempo("fast", &i, NULL), -1,
		  "");
	/* NULL input is empty input */
	check_ret("norm_tempo", "NULL", norm_tempo(NULL, &i, why), E, why);
	check_ret("norm_key", "NULL", norm_key(NULL, k, s, NULL, why), E, why);
	{
		struct buf out = BUF_INIT;

		check_ret("norm_role", "NULL", norm_role(NULL, &out, NULL, why),
			  E, why);
		check_ret("norm_text", "NULL", norm_text(NULL, 0, 0, 0, &out,
			  why), E, why);
		buf_release(&out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_table_matches_formula),
		cmocka_unit_test(test_key_all_notations),
		cmocka_unit_test(test_key_enharmonic),
		cmocka_unit_test(test_key_invalid),
		cmocka_unit_test(test_key_pitch_edges),
		cmocka_unit_test(test_mead_key),
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_tempo),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_duration_ms),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_decimal_comma),
		cmocka_unit_test(test_null_marker),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_date_order_parse),
		cmocka_unit_test(test_date_parts),
		cmocka_unit_test(test_isrc),
		cmocka_unit_test(test_ipi),
		cmocka_unit_test(test_gtin),
		cmocka_unit_test(test_iswc),
		cmocka_unit_test(test_isni),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_column_limit),
		cmocka_unit_test(test_catalog_number),
		cmocka_unit_test(test_pro),
		cmocka_unit_test(test_role),
		cmocka_unit_test(test_instrument_category),
		cmocka_unit_test(test_genre_id3),
		cmocka_unit_test(test_section_name),
		cmocka_unit_test(test_moods_tags),
		cmocka_unit_test(test_list_appends),
		cmocka_unit_test(test_artists),
		cmocka_unit_test(test_reason_quoting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
