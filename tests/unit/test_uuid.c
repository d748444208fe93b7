/*
 * uuid: the text form (RFC 9562: 8-4-4-4-12 lower-case hex digits), the
 * version and variant, the time in the first 48 bits, and ids ascending
 * in the order they are made, within a millisecond too; named ids, the
 * same for the same name from one generator and only from it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "blendcat/uuid.h"

static int is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* The next id and a named one, as text (uuid_format). */
static void uuid_v7(struct uuid_gen *g, char out[UUID_STR_SIZE])
{
	unsigned char b[UUID_SIZE];

	uuid_v7_bytes(g, b);
	uuid_format(b, out);
}

static void uuid_numbered(const struct uuid_gen *g, uint64_t n, char out[UUID_STR_SIZE])
{
	unsigned char b[UUID_SIZE];

	uuid_numbered_bytes(g, n, b);
	uuid_format(b, out);
}

static void uuid_named(const struct uuid_gen *g, const char *name, size_t len,
		       char out[UUID_STR_SIZE])
{
	unsigned char b[UUID_SIZE];

	uuid_named_bytes(g, name, len, b);
	uuid_format(b, out);
}

static void check_form(const char *id)
{
	size_t i;

	assert_int_equal(strlen(id), 36);
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23)
			assert_int_equal(id[i], '-');
		else
			assert_true(is_hex((unsigned char)id[i]));
	}
	assert_int_equal(id[14], '7');				/* version 7 */
	assert_non_null(strchr("89ab", id[19]));		/* variant 10xx */
}

static void test_form_and_order(void **state)
{
	struct uuid_gen g;
	char prev[UUID_STR_SIZE], id[UUID_STR_SIZE];
	int i;

	(void)state;
	uuid_gen_init(&g);
	uuid_v7(&g, prev);
	check_form(prev);
	/* Many in one millisecond: the counter keeps them ascending. */
	for (i = 0; i < 20000; i++) {
		uuid_v7(&g, id);
		check_form(id);
		assert_true(strcmp(prev, id) < 0);
		memcpy(prev, id, sizeof(id));
	}
}

static void test_time_prefix(void **state)
{
	struct uuid_gen g;
	struct timespec ts;
	char id[UUID_STR_SIZE], hex[13];
	unsigned long long ms, now;

	(void)state;
	uuid_gen_init(&g);
	clock_gettime(CLOCK_REALTIME, &ts);
	now = (unsigned long long)ts.tv_sec * 1000u + (unsigned long long)ts.tv_nsec / 1000000u;
	uuid_v7(&g, id);
	memcpy(hex, id, 8);
	memcpy(hex + 8, id + 9, 4);
	hex[12] = '\0';
	ms = strtoull(hex, NULL, 16);
	assert_true(ms >= now && ms <= now + 1000);
}

static unsigned long long time_of(const char *id)
{
	char hex[13];

	memcpy(hex, id, 8);
	memcpy(hex + 8, id + 9, 4);
	hex[12] = '\0';
	return strtoull(hex, NULL, 16);
}

static void test_named(void **state)
{
	struct uuid_gen g, other;
	char a[UUID_STR_SIZE], b[UUID_STR_SIZE], c[UUID_STR_SIZE], d[UUID_STR_SIZE];
	char name[32], seen[2000][UUID_STR_SIZE];
	int i, j;

	(void)state;
	uuid_gen_init(&g);
	uuid_gen_init(&other);
	uuid_named(&g, "song.wav", 8, a);
	check_form(a);
	/* The same name, later, after other ids: the same id. */
	uuid_v7(&g, c);
	uuid_named(&g, "song.wav", 8, b);
	assert_string_equal(a, b);
	/* Only the bytes given count; one byte more is another name. */
	uuid_named(&g, "song.wav2", 8, b);
	assert_string_equal(a, b);
	uuid_named(&g, "song.wav2", 9, b);
	assert_string_not_equal(a, b);
	/* The generator's first millisecond, not the clock's now. */
	assert_true(time_of(a) == g.named_ms);
	assert_true(time_of(a) <= time_of(c));
	/* Another generator (another load) gives the name another id. */
	uuid_named(&other, "song.wav", 8, d);
	check_form(d);
	assert_string_not_equal(a, d);
	/* Names that differ a little: all their ids differ. */
	for (i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "track-%06d.mp3", i);
		uuid_named(&g, name, strlen(name), seen[i]);
		check_form(seen[i]);
		for (j = 0; j < i; j++)
			assert_string_not_equal(seen[i], seen[j]);
	}
	/* The empty name has an id too. */
	uuid_named(&g, "", 0, b);
	check_form(b);
}

static void test_numbered(void **state)
{
	struct uuid_gen g, other;
	char a[UUID_STR_SIZE], b[UUID_STR_SIZE], prev[UUID_STR_SIZE];
	uint64_t ns[] = { 0, 1, 2, 255, 256, 65535, 1000000, 0xFFFFFFFFFFFFull };
	size_t i;

	(void)state;
	uuid_gen_init(&g);
	uuid_gen_init(&other);
	prev[0] = '\0';
	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		uuid_numbered(&g, ns[i], a);
		check_form(a);
		/* The number reads back from the last 12 hex digits. */
		assert_true(strtoull(a + 24, NULL, 16) == ns[i]);
		/* The generator's first millisecond, like the named ids. */
		assert_true(time_of(a) == g.named_ms);
		/* Ascending numbers, ascending ids (byte order, as the server sorts uuid). */
		if (prev[0])
			assert_true(strcmp(prev, a) < 0);
		memcpy(prev, a, sizeof(a));
	}
	/* The same number again: the same id; from another load: another. */
	uuid_numbered(&g, 7, a);
	uuid_numbered(&g, 7, b);
	assert_string_equal(a, b);
	uuid_numbered(&other, 7, b);
	assert_string_not_equal(a, b);
	/* Not a named id of the same generator by accident of layout. */
	uuid_named(&g, "", 0, b);
	assert_string_not_equal(a, b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_and_order),
		cmocka_unit_test(test_time_prefix),
		cmocka_unit_test(test_named),
		cmocka_unit_test(test_numbered),
	};

	return cmocka_run_group_tests_name("uuid", tests, NULL, NULL);
}
