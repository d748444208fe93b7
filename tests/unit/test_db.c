/*
 * Unit tests for db: the connection rules, with no server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "blendcat/buf.h"
#include "blendcat/db.h"

static void test_strip_schema(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "postgresql://u:p@h:5432/db?schema=meekah", "postgresql://u:p@h:5432/db" },
		{ "postgresql://h/db?sslmode=require&schema=auth&connect_timeout=3",
		  "postgresql://h/db?sslmode=require&connect_timeout=3" },
		{ "postgres://h/db?schema=a&schema=b", "postgres://h/db" },
		{ "postgresql:///db?host=/tmp/x&port=5432", "postgresql:///db?host=/tmp/x&port=5432" },
		{ "postgresql://h/db", "postgresql://h/db" },
		{ "postgresql://h/db?", "postgresql://h/db" },
		{ "postgresql://h/db?schemax=1", "postgresql://h/db?schemax=1" },
		{ "postgresql://h/db?schema=&sslmode=require", "postgresql://h/db?schema=&sslmode=require" },
		{ "host=h dbname=d schema=meekah user=u", "host=h dbname=d user=u" },
		{ "host=h password='a b\\' schema=x' dbname=d", "host=h password='a b\\' schema=x' dbname=d" },
		{ "host=h schema= dbname=d", "host=h schema= dbname=d" },
		{ "", "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf out = BUF_INIT;

		db_strip_schema(cases[i].in, &out);
		if (strcmp(out.data, cases[i].out) != 0)
			fail_msg("'%s': got '%s', expected '%s'", cases[i].in, out.data, cases[i].out);
		buf_release(&out);
	}
}

static void resolve(const char *opt, const char *db_url, const char *tracks_url,
		    const char *want, const char *want_source)
{
	struct db_target t = DB_TARGET_INIT;

	if (db_url)
		setenv("DATABASE_URL", db_url, 1);
	else
		unsetenv("DATABASE_URL");
	if (tracks_url)
		setenv("TRACKS_DATABASE_URL", tracks_url, 1);
	else
		unsetenv("TRACKS_DATABASE_URL");
	db_target_resolve(&t, opt);
	assert_string_equal(t.conninfo, want);
	assert_string_equal(t.source, want_source);
	db_target_release(&t);
}

static void test_resolve_precedence(void **state)
{
	(void)state;
	resolve("postgresql://a/x", "postgresql://b/y", "postgresql://c/z?schema=meekah",
		"postgresql://a/x", "--db");
	resolve(NULL, "postgresql://b/y", "postgresql://c/z?schema=meekah",
		"postgresql://b/y", "DATABASE_URL");
	resolve(NULL, NULL, "postgresql://c/z?schema=meekah",
		"postgresql://c/z", "TRACKS_DATABASE_URL");
	resolve(NULL, "", "postgresql://c/z", "postgresql://c/z", "TRACKS_DATABASE_URL");
	resolve(NULL, NULL, NULL, "", "libpq defaults");
	unsetenv("DATABASE_URL");
	unsetenv("TRACKS_DATABASE_URL");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strip_schema),
		cmocka_unit_test(test_resolve_precedence),
	};

	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
