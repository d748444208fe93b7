/*
 * Unit tests for record: field normalization through the model, checks
 * across a row's fields, COPY text encoding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "blendcat/record.h"

struct set_case {
	enum rec_kind kind;
	const char *field;
	const char *in;
	int rc;			/* rec_set's return */
	const char *want;	/* stored value (NULL for NULL) or a piece of the reason */
};

static const struct set_case set_cases[] = {
	{ REC_TRACK, "audio_filename", " a.mp3 ", 0, "a.mp3" },
	{ REC_TRACK, "audio_filename", "../../etc/passwd", -1, "without a directory" },
	{ REC_TRACK, "audio_filename", "dir\\a.mp3", -1, "without a directory" },
	{ REC_TRACK, "audio_filename", "..", -1, "not a file name" },
	{ REC_TRACK, "title", "  Summer Vibes ", 0, "Summer Vibes" },
	{ REC_TRACK, "title", "", 0, NULL },
	{ REC_TRACK, "title", "a\x01" "b", -1, "control" },
	{ REC_TRACK, "duration", "3:00", 0, "180" },
	{ REC_TRACK, "duration", "PT1M30.5S", 0, "91" },
	{ REC_TRACK, "duration", "0", -1, "more than 0" },
	{ REC_TRACK, "duration", "-5", -1, "negative" },
	{ REC_TRACK, "tempo", "119.6", 0, "120" },
	{ REC_TRACK, "tempo", "120 BPM", 0, "120" },
	{ REC_TRACK, "tempo", "fast", -1, "not a number" },
	{ REC_TRACK, "musical_key", "Dbm", 0, "C#" },
	{ REC_TRACK, "musical_key", "8A", 0, "A" },
	{ REC_TRACK, "musical_key", "H", -1, "key" },
	{ REC_TRACK, "scale", "Minor", 0, "minor" },
	{ REC_TRACK, "mood", "Happy; calm;happy", 0, "{happy,calm}" },
	{ REC_TRACK, "tags", "Late Night, lo-fi", 0, "{\"late night\",lo-fi}" },
	{ REC_TRACK, "isrc", "us-xxx-24-00001", 0, "USXXX2400001" },
	{ REC_TRACK, "isrc", "GB-ABC", -1, "expected 12 characters" },
	{ REC_TRACK, "release_date", "2024", 0, "2024-01-01" },
	{ REC_TRACK, "release_date", "2023-02-29", -1, "does not exist" },
	{ REC_TRACK, "release_date", "15/01/2024", -1, "--date-order" },
	{ REC_TRACK, "popularity_score", "87.5", 0, "87.50" },
	{ REC_TRACK, "popularity_score", "87.555", -1, "2 decimals" },
	{ REC_TRACK, "play_count", "1523", 0, "1523" },
	{ REC_TRACK, "play_count", "-1", -1, "whole number" },
	{ REC_CREATOR, "ipi_number", "199", -1, "9 to 11 digits" },
	{ REC_CREATOR, "ipi_number", "00000000199", 0, "00000000199" },
	{ REC_CREATOR, "ipi_number", "123456789", 0, "00123456789" },	/* kept, with a warning */
	{ REC_CREATOR, "pro", "broadcast music inc", 0, "BMI" },
	{ REC_CREATOR, "split_percentage", "50%", 0, "50.00" },
	{ REC_CREATOR, "split_percentage", "100.01", -1, "100" },
	{ REC_CREATOR, "contact_email", "john@example.com", 0, "john@example.com" },
	{ REC_CREATOR, "contact_email", "john at example", -1, "email" },
	{ REC_INSTRUMENT, "is_primary", "Y", 0, "true" },
	{ REC_INSTRUMENT, "is_primary", "maybe", -1, "" },
	{ REC_ARRANGEMENT, "section_name", " Build Up ", 0, "build-up" },
	{ REC_ARRANGEMENT, "start_time", "0", 0, "0" },
	{ REC_ARRANGEMENT, "end_time", "0:32", 0, "32" },
};

static void test_set(void **state)
{
	struct rec r;
	size_t i;

	(void)state;
	rec_init(&r);
	for (i = 0; i < sizeof(set_cases) / sizeof(set_cases[0]); i++) {
		const struct set_case *c = &set_cases[i];
		int f = rec_field_index(c->kind, c->field);
		int rc;

		assert_true(f >= 0);
		rec_reset(&r, c->kind);
		rc = rec_set(&r, f, c->in, strlen(c->in), NULL);
		if (rc != c->rc)
			fail_msg("%s '%s': rc %d, expected %d (%s)", c->field, c->in, rc, c->rc, r.why);
		assert_true(rec_given(&r, f));
		if (rc < 0) {
			assert_int_equal(r.bad_field, f);
			if (!strstr(r.why, c->want))
				fail_msg("%s '%s': reason '%s' lacks '%s'", c->field, c->in, r.why, c->want);
		} else if (!c->want) {
			assert_null(rec_get(&r, f));
		} else if (!rec_get(&r, f) || strcmp(rec_get(&r, f), c->want) != 0) {
			fail_msg("%s '%s': got '%s', expected '%s'", c->field, c->in,
				 rec_get(&r, f) ? rec_get(&r, f) : "NULL", c->want);
		}
	}
	rec_release(&r);
}

/* An IPI with wrong check digits is kept, with a warning. */
static void test_ipi_warning(void **state)
{
	struct rec r;

	(void)state;
	rec_init(&r);
	rec_reset(&r, REC_CREATOR);
	assert_int_equal(rec_set(&r, CF_IPI_NUMBER, "84234809226", 11, NULL), 0);
	assert_string_equal(rec_get(&r, CF_IPI_NUMBER), "84234809226");
	assert_non_null(strstr(r.warn, "check digits"));
	assert_int_equal(rec_set(&r, CF_IPI_NUMBER, "00000000199", 11, NULL), 0);
	assert_string_equal(r.warn, "");
	rec_release(&r);
}

struct key_case {
	const char *key, *scale;	/* NULL: column not given */
	int rc;
	const char *want_key, *want_scale;
};

static void test_key_and_scale(void **state)
{
	static const struct key_case cases[] = {
		{ "Am", NULL, 0, "A", "minor" },
		{ "Am", "", 0, "A", "minor" },
		{ "Am", "minor", 0, "A", "minor" },
		{ "Am", "major", -1, NULL, NULL },
		{ "C", "minor", 0, "C", "minor" },	/* a bare tonic yields to the column */
		{ "C", NULL, 0, "C", "major" },
		{ "Db major", "", 0, "C#", "major" },
		{ NULL, "minor", 0, NULL, "minor" },
		{ "", "", 0, NULL, NULL },
	};
	struct rec r;
	size_t i;

	(void)state;
	rec_init(&r);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct key_case *c = &cases[i];
		const char *k, *s;
		int rc = 0;

		rec_reset(&r, REC_TRACK);
		if (c->key)
			rc |= rec_set(&r, TF_MUSICAL_KEY, c->key, strlen(c->key), NULL);
		if (c->scale)
			rc |= rec_set(&r, TF_SCALE, c->scale, strlen(c->scale), NULL);
		assert_int_equal(rc, 0);
		rc = rec_finish(&r);
		if (rc != c->rc)
			fail_msg("case %zu: rc %d, expected %d (%s)", i, rc, c->rc, r.why);
		if (rc < 0)
			continue;
		k = rec_get(&r, TF_MUSICAL_KEY);
		s = rec_get(&r, TF_SCALE);
		if ((c->want_key ? !k || strcmp(k, c->want_key) : k != NULL) ||
		    (c->want_scale ? !s || strcmp(s, c->want_scale) : s != NULL))
			fail_msg("case %zu: got %s/%s", i, k ? k : "NULL", s ? s : "NULL");
	}
	rec_release(&r);
}

/* A field from several columns: what the non-empty parts say. */
static void test_set_parts(void **state)
{
	static const struct {
		const char *field;
		const char *p[3];
		size_t n;
		int rc;
		const char *want;	/* value (NULL for NULL) or a piece of the reason */
		const char *scale;	/* the scale after rec_finish (NULL for NULL) */
		const char *warn;	/* a piece of the warning, or "" */
	} cases[] = {
		{ "musical_key", { "A", "minor" }, 2, 0, "A", "minor", "" },
		{ "musical_key", { "C#", "Major" }, 2, 0, "C#", "major", "" },
		{ "musical_key", { "", "Major" }, 2, 0, NULL, "major", "" },	/* unknown key */
		{ "musical_key", { " ", "Minor" }, 2, 0, NULL, "minor", "" },
		{ "musical_key", { "", "" }, 2, 0, NULL, NULL, "" },
		{ "musical_key", { "F", "" }, 2, 0, "F", "major", "" },	/* a bare tonic */
		{ "musical_key", { "", "sideways" }, 2, -1, "unknown scale", NULL, "" },
		{ "musical_key", { "H", "minor" }, 2, -1, "key", NULL, "" },
		{ "release_date", { "2024", "01", "15" }, 3, 0, "2024-01-15", NULL, "" },
		{ "release_date", { "2024", "", "15" }, 3, 0, "2024-01-01", NULL, "day without a month" },
		{ "release_date", { "2024", "5", "" }, 3, 0, "2024-05-01", NULL, "" },
		{ "release_date", { "", "5", "1" }, 3, 0, NULL, NULL, "no year" },
		{ "release_date", { "", "", "" }, 3, 0, NULL, NULL, "" },
		{ "release_date", { "2024", "13", "" }, 3, -1, "month 13", NULL, "" },
		{ "duration", { "3", "5" }, 2, 0, "185", NULL, "" },
		{ "duration", { "1", "2", "3" }, 3, 0, "3723", NULL, "" },
		{ "duration", { "", "45" }, 2, 0, "45", NULL, "" },
		{ "duration", { "3", "" }, 2, 0, "180", NULL, "" },
		{ "duration", { "", "" }, 2, -1, "duration is required", NULL, "" },
		{ "duration", { "3", "75" }, 2, -1, "seconds 75", NULL, "" },
		{ "mood", { "Happy", "calm; Happy" }, 2, 0, "{happy,calm}", NULL, "" },
		{ "mood", { "", "dark" }, 2, 0, "{dark}", NULL, "" },
		{ "title", { "Night", "", "Drive" }, 3, 0, "Night Drive", NULL, "" },
		{ "subgenre", { "", " " }, 2, 0, NULL, NULL, "" },
		{ "artist", { "Ann", NULL }, 1, 0, "Ann", NULL, "" },
	};
	struct rec r;
	size_t i, k;

	(void)state;
	rec_init(&r);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rec_part parts[3];
		int f = rec_field_index(REC_TRACK, cases[i].field), rc;
		const char *v, *sc;

		assert_true(f >= 0);
		for (k = 0; k < cases[i].n; k++) {
			parts[k].data = cases[i].p[k];
			parts[k].len = cases[i].p[k] ? strlen(cases[i].p[k]) : 0;
		}
		rec_reset(&r, REC_TRACK);
		rc = rec_set_parts(&r, f, parts, cases[i].n, NULL);
		if (rc == 0)
			rc = rec_finish(&r);
		if (rc != cases[i].rc)
			fail_msg("case %zu: rc %d, expected %d (%s)", i, rc, cases[i].rc, r.why);
		assert_true(rec_given(&r, f));
		if (rc < 0) {
			if (!strstr(r.why, cases[i].want))
				fail_msg("case %zu: reason '%s' lacks '%s'", i, r.why, cases[i].want);
			continue;
		}
		v = rec_get(&r, f);
		sc = rec_get(&r, TF_SCALE);
		if ((cases[i].want ? !v || strcmp(v, cases[i].want) : v != NULL) ||
		    (cases[i].scale ? !sc || strcmp(sc, cases[i].scale) : sc != NULL))
			fail_msg("case %zu: got '%s' scale '%s'", i, v ? v : "NULL", sc ? sc : "NULL");
		if (!strstr(r.warn, cases[i].warn) || (!cases[i].warn[0] && r.warn[0]))
			fail_msg("case %zu: warning '%s', expected '%s'", i, r.warn, cases[i].warn);
	}
	rec_release(&r);
}

static void test_null_marker_fields(void **state)
{
	static const struct {
		enum rec_kind kind;
		const char *field;
		int takes;
	} cases[] = {
		{ REC_TRACK, "isrc", 1 },		{ REC_TRACK, "tempo", 1 },
		{ REC_TRACK, "musical_key", 1 },	{ REC_TRACK, "scale", 1 },
		{ REC_TRACK, "release_date", 1 },	{ REC_TRACK, "mood", 1 },
		{ REC_TRACK, "cover_art_url", 1 },	{ REC_TRACK, "catalog_number", 1 },
		{ REC_CREATOR, "ipi_number", 1 },	{ REC_CREATOR, "pro", 1 },
		{ REC_CREATOR, "split_percentage", 1 }, { REC_CREATOR, "role", 1 },
		{ REC_CREATOR, "contact_email", 1 },	{ REC_SAMPLE, "is_cleared", 1 },
		{ REC_TRACK, "title", 0 },		{ REC_TRACK, "artist", 0 },
		{ REC_TRACK, "genre", 0 },		{ REC_TRACK, "description", 0 },
		{ REC_TRACK, "audio_filename", 0 },	{ REC_TRACK, "duration", 0 },
		{ REC_CREATOR, "creator_name", 0 },	{ REC_ARRANGEMENT, "section_name", 0 },
		{ REC_ARRANGEMENT, "start_time", 0 },	{ REC_SAMPLE, "clearance_notes", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int f = rec_field_index(cases[i].kind, cases[i].field);

		assert_true(f >= 0);
		if (rec_field_takes_null_marker(cases[i].kind, f) != cases[i].takes)
			fail_msg("%s: expected %d", cases[i].field, cases[i].takes);
	}
}

static void test_finish(void **state)
{
	struct rec r;

	(void)state;
	rec_init(&r);
	rec_reset(&r, REC_ARRANGEMENT);
	rec_set(&r, AF_START_TIME, "30", 2, NULL);
	rec_set(&r, AF_END_TIME, "20", 2, NULL);
	assert_int_equal(rec_finish(&r), -1);
	assert_int_equal(r.bad_field, AF_END_TIME);
	assert_non_null(strstr(r.why, "not after start"));

	rec_reset(&r, REC_CREATOR);
	rec_set(&r, CF_CREATOR_NAME, "  ", 2, NULL);
	assert_int_equal(rec_finish(&r), -1);
	assert_int_equal(r.bad_field, CF_CREATOR_NAME);

	rec_reset(&r, REC_TRACK);	/* title not given: fine for an update */
	rec_set(&r, TF_TEMPO, "120", 3, NULL);
	assert_int_equal(rec_finish(&r), 0);
	rec_release(&r);
}

static void test_copy_value(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain", "plain" },
		{ "tab\there", "tab\\there" },
		{ "line\nbreak\r\n", "line\\nbreak\\r\\n" },
		{ "back\\slash", "back\\\\slash" },
		{ "\\N", "\\\\N" },
		{ "", "" },
		{ NULL, "\\N" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;

		rec_copy_value(&b, cases[i].in);
		assert_string_equal(b.data, cases[i].out);
		buf_release(&b);
	}
}

static void test_pg_array_literal(void **state)
{
	static const struct {
		const char *items[4];
		size_t n;
		const char *want;
	} rows[] = {
		{ { NULL }, 0, "{}" },
		{ { "synth", "dance", "party" }, 3, "{synth,dance,party}" },
		{ { "b c" }, 1, "{\"b c\"}" },
		{ { "a,b", "{x}" }, 2, "{\"a,b\",\"{x}\"}" },
		{ { "say \"hi\"", "back\\slash" }, 2,
		  "{\"say \\\"hi\\\"\",\"back\\\\slash\"}" },
		{ { "NULL", "null", "nulls" }, 3, "{\"NULL\",\"null\",nulls}" },
		{ { "Null", "anull" }, 2, "{\"Null\",anull}" },
		{ { "" }, 1, "{\"\"}" },
		{ { "tab\there" }, 1, "{\"tab\there\"}" },
		{ { "a\nb", "a\rb", "a\vb", "a\fb" }, 4,
		  "{\"a\nb\",\"a\rb\",\"a\vb\",\"a\fb\"}" },
		{ { "a\bb", "a\x0e" "b" }, 2, "{a\bb,a\x0e" "b}" },
		{ { "caf\xC3\xA9", "\xE2\x99\xAF" }, 2,
		  "{caf\xC3\xA9,\xE2\x99\xAF}" },
		{ { "a}b", "x{" }, 2, "{\"a}b\",\"x{\"}" },
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct norm_list l = NORM_LIST_INIT;
		struct buf out = BUF_INIT;

		for (j = 0; j < rows[i].n; j++)
			norm_list_add(&l, rows[i].items[j], strlen(rows[i].items[j]));
		buf_adds(&out, ">");	/* appended to what is there */
		rec_pg_array_literal(&l, &out);
		if (out.data[0] != '>' || strcmp(out.data + 1, rows[i].want) != 0)
			fail_msg("literal '%s', expected '%s'", out.data, rows[i].want);
		buf_release(&out);
		norm_list_release(&l);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_ipi_warning),
		cmocka_unit_test(test_key_and_scale),
		cmocka_unit_test(test_set_parts),
		cmocka_unit_test(test_null_marker_fields),
		cmocka_unit_test(test_finish),
		cmocka_unit_test(test_copy_value),
		cmocka_unit_test(test_pg_array_literal),
	};

	return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
