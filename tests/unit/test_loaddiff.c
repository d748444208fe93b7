/*
 * Unit tests for loaddiff's pure parts: undoing COPY's text escaping of
 * the streamed diff, and rendering a line of the listing with or without
 * colour.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "blendcat/buf.h"
#include "blendcat/loaddiff.h"

static const struct {
	const char *in, *want;
} unescape_cases[] = {
	{ "", "" },
	{ "plain", "plain" },
	/* JSON's own escapes come doubled by COPY */
	{ "{\"d\": \"a\\\\\"b\\\\nc\"}", "{\"d\": \"a\\\"b\\nc\"}" },
	{ "tab\\there", "tab\there" },
	{ "\\n\\r\\b\\f\\v", "\n\r\b\f\v" },
	{ "\\\\", "\\" },
	{ "caf\xc3\xa9 \\\\u00e9", "caf\xc3\xa9 \\u00e9" },
	{ "end\\", "end\\" },	/* a lone backslash at the end stays */
	{ "line\n", "line\n" },	/* the row's own end is not escaped */
};

static void test_unescape(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(unescape_cases) / sizeof(unescape_cases[0]); i++) {
		char *s = strdup(unescape_cases[i].in);
		size_t n = loaddiff_unescape(s, strlen(s));

		assert_int_equal(n, strlen(unescape_cases[i].want));
		assert_memory_equal(s, unescape_cases[i].want, n);
		free(s);
	}
}

static const struct {
	const char *line;
	int color;
	const char *want;
} render_cases[] = {
	{ "Ainsert: 2 tracks", 0, "insert: 2 tracks\n" },
	{ "Ainsert: 2 tracks", 1, "\033[1;32minsert: 2 tracks\033[0m\n" },
	{ "Bupdate: 1 track", 1, "\033[1;33mupdate: 1 track\033[0m\n" },
	{ "Cdelete (taken down): 1 track", 1, "\033[1;31mdelete (taken down): 1 track\033[0m\n" },
	{ "Dreject: 1 track", 1, "\033[1;35mreject: 1 track\033[0m\n" },
	{ "Eunchanged: 3 tracks, not listed", 1, "\033[1munchanged: 3 tracks, not listed\033[0m\n" },
	{ "ua.mp3", 1, "\033[33ma.mp3\033[0m\n" },
	{ "f    tempo: 120 -> 122", 1, "    tempo: 120 -> 122\n" },
	{ "+    + track_creator: creator_name=\"Bob\"", 1,
	  "\033[32m    + track_creator: creator_name=\"Bob\"\033[0m\n" },
	{ "-    - track_creator: creator_name=\"Bob\"", 0, "    - track_creator: creator_name=\"Bob\"\n" },
	{ "x    tracks.csv:6:tempo: \"fast\": not a number", 1,
	  "    tracks.csv:6:tempo: \"fast\": not a number\n" },
	{ "", 1, "" },
};

static void test_render(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(render_cases) / sizeof(render_cases[0]); i++) {
		struct buf b = BUF_INIT;

		buf_adds(&b, "<");	/* appends, keeping what is there */
		loaddiff_render(&b, render_cases[i].line, strlen(render_cases[i].line),
				render_cases[i].color);
		assert_string_equal(b.data + 1, render_cases[i].want);
		assert_int_equal(b.data[0], '<');
		buf_release(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_render),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
