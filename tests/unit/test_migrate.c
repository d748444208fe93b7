/*
 * Unit tests for the pure part of migrate: file names and sections.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blendcat/migrate.h"

static void test_name_parse(void **state)
{
	static const struct {
		const char *file;
		int version;
		const char *name;
	} cases[] = {
		{ "001_initial_schema.sql", 1, "initial_schema" },
		{ "002_add_playlists.sql", 2, "add_playlists" },
		{ "42_x.sql", 42, "x" },
		{ "001_initial_schema.sql.bak", -1, NULL },
		{ "000_zero.sql", -1, NULL },
		{ "_x.sql", -1, NULL },
		{ "001.sql", -1, NULL },
		{ "001_.sql", -1, NULL },
		{ "abc_x.sql", -1, NULL },
		{ "README.md", -1, NULL },
		{ "9999999_big.sql", -1, NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *name = NULL;
		int v = migration_name_parse(cases[i].file, &name);

		if (v != cases[i].version)
			fail_msg("'%s': version %d, expected %d", cases[i].file, v, cases[i].version);
		if (cases[i].name)
			assert_string_equal(name, cases[i].name);
		else
			assert_null(name);
		free(name);
	}
}

static const char doc_style[] =
	"-- Migration: 002_add_playlists.sql\n"	/* 1 */
	"-- Description: x\n"			/* 2 */
	"\n"					/* 3 */
	"-- UP\n"				/* 4 */
	"BEGIN;\n"				/* 5 */
	"\n"					/* 6 */
	"CREATE TABLE a (id int);\n"		/* 7 */
	"  commit;  \n"				/* 8 */
	"\n"					/* 9 */
	"-- DOWN (rollback)\n"			/* 10 */
	"-- BEGIN;\n"				/* 11 */
	"-- DROP TABLE a;\n"			/* 12 */
	"--DROP TABLE b;\n"			/* 13 */
	"-- COMMIT;\n";				/* 14 */

static void test_parse_doc_style(void **state)
{
	struct migration m;
	char why[200];

	(void)state;
	memset(&m, 0, sizeof(m));
	assert_int_equal(migration_parse(&m, doc_style, strlen(doc_style), why, sizeof(why)), 0);
	/* Line numbers are kept: the CREATE is still on line 7. */
	assert_string_equal(m.up,
			    "-- Migration: 002_add_playlists.sql\n-- Description: x\n\n-- UP\n"
			    "\n\nCREATE TABLE a (id int);\n\n\n");
	assert_string_equal(m.down, "\nDROP TABLE a;\nDROP TABLE b;\n\n");
	assert_int_equal(m.down_line, 11);
	free(m.up);
	free(m.down);
}

static void test_parse_markers(void **state)
{
	static const struct {
		const char *text;
		int ok;
		const char *why;
	} cases[] = {
		{ "-- UP\nx;\n-- DOWN\n-- y;\n", 0, NULL },
		{ "--up\nx;\n--down\n", 0, NULL },
		{ "-- Up migration\nx;\n-- Down (rollback)\n", 0, NULL },
		{ "x;\n-- DOWN\n-- y;\n", -1, "no '-- UP' line" },
		{ "-- UP\nx;\n", -1, "no '-- DOWN' line" },
		{ "-- UPDATE things\nx;\n-- DOWN\n", -1, "no '-- UP' line" },
		{ "-- UP\nx;\n-- DOWNWARD\n", -1, "no '-- DOWN' line" },
		{ "", -1, "no '-- UP' line" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct migration m;
		char why[200] = "";
		int rc;

		memset(&m, 0, sizeof(m));
		rc = migration_parse(&m, cases[i].text, strlen(cases[i].text), why, sizeof(why));
		if (rc != cases[i].ok)
			fail_msg("case %zu: rc %d, expected %d (%s)", i, rc, cases[i].ok, why);
		if (cases[i].why && !strstr(why, cases[i].why))
			fail_msg("case %zu: reason '%s' lacks '%s'", i, why, cases[i].why);
		free(m.up);
		free(m.down);
	}
}

static void test_parse_crlf_and_no_final_newline(void **state)
{
	static const char text[] = "-- UP\r\nBEGIN;\r\nCREATE TABLE a (id int);\r\nCOMMIT;\r\n-- DOWN\r\n-- DROP TABLE a;";
	struct migration m;
	char why[200];

	(void)state;
	memset(&m, 0, sizeof(m));
	assert_int_equal(migration_parse(&m, text, strlen(text), why, sizeof(why)), 0);
	assert_string_equal(m.up, "-- UP\r\n\nCREATE TABLE a (id int);\r\n\n");
	assert_string_equal(m.down, "DROP TABLE a;\n");
	free(m.up);
	free(m.down);
}

/* Every shipped migration parses and has SQL in both sections. */
static void test_shipped_migrations(void **state)
{
	struct migration_set set = MIGRATION_SET_INIT;
	size_t i;

	(void)state;
	assert_int_equal(migrate_load_dir("schemas", &set), 0);
	assert_true(set.n >= 4);
	for (i = 0; i < set.n; i++) {
		assert_int_equal(set.v[i].version, (int)i + 1);
		if (!strstr(set.v[i].up, "CREATE "))
			fail_msg("%s: UP creates nothing", set.v[i].file);
		if (!strstr(set.v[i].down, "DROP "))
			fail_msg("%s: DOWN drops nothing", set.v[i].file);
		if (strstr(set.v[i].up, "BEGIN;") || strstr(set.v[i].down, "COMMIT;"))
			fail_msg("%s: transaction lines left in", set.v[i].file);
	}
	migration_set_release(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_parse),
		cmocka_unit_test(test_parse_doc_style),
		cmocka_unit_test(test_parse_markers),
		cmocka_unit_test(test_parse_crlf_and_no_final_newline),
		cmocka_unit_test(test_shipped_migrations),
	};

	return cmocka_run_group_tests_name("migrate", tests, NULL, NULL);
}
