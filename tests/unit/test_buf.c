/*
 * Unit tests for buf: growth, formatting, binary data, detach.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "blendcat/buf.h"

static void test_init_is_empty_string(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	buf_release(&b);
	assert_int_equal(b.cap, 0);
}

static void test_add_grows_and_terminates(void **state)
{
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < 10000; i++)
		buf_addch(&b, 'a' + (int)(i % 26));
	assert_int_equal(b.len, 10000);
	assert_true(b.cap > b.len);
	assert_int_equal(b.data[10000], '\0');
	assert_int_equal(b.data[9999], 'a' + 9999 % 26);
	buf_release(&b);
}

static void test_addf_long_and_short(void **state)
{
	struct buf b = BUF_INIT;
	char big[5000];

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_addf(&b, "%d-%s", 42, "a");
	assert_string_equal(b.data, "42-a");
	buf_addf(&b, "[%s]", big);
	assert_int_equal(b.len, 4 + 2 + 4999);
	assert_int_equal(b.data[b.len - 1], ']');
	assert_int_equal(strlen(b.data), b.len);
	buf_release(&b);
}

static void test_binary_and_reset(void **state)
{
	struct buf b = BUF_INIT;
	size_t cap;

	(void)state;
	buf_add(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 4);
	cap = b.cap;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, cap);
	assert_string_equal(b.data, "");
	buf_release(&b);
}

static void test_detach(void **state)
{
	struct buf b = BUF_INIT;
	size_t len = 99;
	char *p;

	(void)state;
	p = buf_detach(&b, &len);
	assert_int_equal(len, 0);
	assert_string_equal(p, "");
	free(p);
	buf_adds(&b, "hello");
	p = buf_detach(&b, &len);
	assert_int_equal(len, 5);
	assert_string_equal(p, "hello");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	free(p);
}

static void test_setlen(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_adds(&b, "hello world");
	buf_setlen(&b, 5);
	assert_string_equal(b.data, "hello");
	buf_release(&b);
}

/* Decimal appends against printf's, at the edges of their types. */
static void test_add_integers(void **state)
{
	static const unsigned long long u[] = { 0, 1, 9, 10, 99, 100, 4294967295ull,
						 4294967296ull, 18446744073709551615ull };
	static const long long s[] = { 0, -1, 1, -10, 2147483647ll, -2147483648ll,
				       9223372036854775807ll, -9223372036854775807ll - 1 };
	struct buf got = BUF_INIT, want = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		buf_add_ull(&got, u[i]);
		buf_addch(&got, ',');
		buf_addf(&want, "%llu,", u[i]);
	}
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		buf_add_ll(&got, s[i]);
		buf_addch(&got, ',');
		buf_addf(&want, "%lld,", s[i]);
	}
	assert_string_equal(got.data, want.data);
	assert_int_equal(got.len, strlen(want.data));
	buf_release(&got);
	buf_release(&want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_is_empty_string),
		cmocka_unit_test(test_add_grows_and_terminates),
		cmocka_unit_test(test_addf_long_and_short),
		cmocka_unit_test(test_binary_and_reset),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_setlen),
		cmocka_unit_test(test_add_integers),
	};

	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
