/*
 * copybin: the bytes of COPY's binary format, field by field, as
 * PostgreSQL's receive functions read them; values not in their
 * canonical form refused, the buffer left as it was.  (The integration
 * tests load every type through a real server: t_values.sh.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "blendcat/copybin.h"

/* b holds exactly the n bytes of want. */
static void assert_bytes(const struct buf *b, const unsigned char *want, size_t n)
{
	assert_int_equal(b->len, n);
	assert_memory_equal(b->data, want, n);
}

static void test_stream(void **state)
{
	static const unsigned char want[] = {
		'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 3,				/* a row of three fields */
		0xFF, 0xFF, 0xFF, 0xFF,		/* NULL */
		0, 0, 0, 1, 1,			/* true */
		0, 0, 0, 2, 'h', 'i',		/* 'hi' */
		0xFF, 0xFF,			/* the end */
	};
	struct buf b = BUF_INIT;

	(void)state;
	copybin_header(&b);
	copybin_row(&b, 3);
	copybin_text(&b, NULL);
	copybin_bool(&b, 1);
	copybin_text(&b, "hi");
	copybin_trailer(&b);
	assert_bytes(&b, want, sizeof(want));
	buf_release(&b);
}

static void test_numbers(void **state)
{
	static const unsigned char want[] = {
		0, 0, 0, 2, 0xFF, 0xFE,						/* int2 -2 */
		0, 0, 0, 4, 0x00, 0x01, 0x51, 0x7F,				/* int4 86399 */
		0, 0, 0, 8, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,	/* int8 max */
		0, 0, 0, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	};
	static const unsigned char u[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	struct buf b = BUF_INIT;

	(void)state;
	copybin_int2(&b, -2);
	assert_int_equal(copybin_value(&b, RT_SECONDS, "86399"), 0);
	assert_int_equal(copybin_value(&b, RT_COUNT, "9223372036854775807"), 0);
	copybin_uuid(&b, u);
	assert_bytes(&b, want, sizeof(want));
	buf_release(&b);
}

/* One value of type t as a field: its bytes after the 4-byte length. */
static void check_value(enum rec_type t, const char *s, const unsigned char *want, size_t n)
{
	struct buf b = BUF_INIT;
	unsigned char len[4] = { (unsigned char)(n >> 24), (unsigned char)(n >> 16),
				 (unsigned char)(n >> 8), (unsigned char)n };

	assert_int_equal(copybin_value(&b, t, s), 0);
	assert_int_equal(b.len, 4 + n);
	assert_memory_equal(b.data, len, 4);
	assert_memory_equal(b.data + 4, want, n);
	buf_release(&b);
}

static void test_dates(void **state)
{
	/* Days from 2000-01-01: date_recv's int4. */
	static const unsigned char y2000[] = { 0, 0, 0, 0 };
	static const unsigned char leap[] = { 0x00, 0x00, 0x22, 0x79 };		/* 2024-02-29: 8825 */
	static const unsigned char y1000[] = { 0xFF, 0xFA, 0x6D, 0x46 };	/* 1000-01-01: -365242 */
	static const unsigned char y9999[] = { 0x00, 0x2C, 0x95, 0xD3 };	/* 9999-12-31: 2921939 */

	(void)state;
	check_value(RT_DATE, "2000-01-01", y2000, 4);
	check_value(RT_DATE, "2024-02-29", leap, 4);
	check_value(RT_DATE, "1000-01-01", y1000, 4);
	check_value(RT_DATE, "9999-12-31", y9999, 4);
}

static void test_numerics(void **state)
{
	/* ndigits, weight, sign, dscale, then base-10000 digits: numeric_recv. */
	static const unsigned char n1250[] = { 0, 2, 0, 0, 0, 0, 0, 2, 0, 12, 0x13, 0x88 };
	static const unsigned char n005[] = { 0, 2, 0, 0, 0, 0, 0, 2, 0, 0, 0x01, 0xF4 };
	static const unsigned char n999[] = { 0, 2, 0, 0, 0, 0, 0, 2, 0x03, 0xE7, 0x26, 0xAC };
	static const unsigned char n100[] = { 0, 1, 0, 0, 0, 0, 0, 0, 0, 100 };
	static const unsigned char big[] = { 0, 3, 0, 1, 0, 0, 0, 1, 0, 1, 0x09, 0x29, 0x17, 0x70 };
	static const unsigned char neg[] = { 0, 1, 0, 0, 0x40, 0, 0, 0, 0, 7 };

	(void)state;
	check_value(RT_SPLIT, "12.50", n1250, sizeof(n1250));
	check_value(RT_SPLIT, "0.05", n005, sizeof(n005));
	check_value(RT_SCORE, "999.99", n999, sizeof(n999));
	check_value(RT_SCORE, "100", n100, sizeof(n100));
	check_value(RT_SCORE, "12345.6", big, sizeof(big));
	check_value(RT_SCORE, "-7", neg, sizeof(neg));
}

static void test_arrays(void **state)
{
	/* ndim, has-null, element type (varchar), size, lower bound, then each element. */
	static const unsigned char two[] = {
		0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x04, 0x13, 0, 0, 0, 2, 0, 0, 0, 1,
		0, 0, 0, 4, 'r', 'o', 'c', 'k',
		0, 0, 0, 9, 's', 'a', 'y', ' ', '"', 'h', 'i', '"', '\\',
	};
	static const unsigned char none[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x04, 0x13 };
	static const unsigned char word_null[] = {
		0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x04, 0x13, 0, 0, 0, 1, 0, 0, 0, 1,
		0, 0, 0, 4, 'n', 'u', 'l', 'l',
	};

	(void)state;
	check_value(RT_TAGS, "{rock,\"say \\\"hi\\\"\\\\\"}", two, sizeof(two));
	check_value(RT_MOODS, "{}", none, sizeof(none));
	check_value(RT_TAGS, "{\"null\"}", word_null, sizeof(word_null));
}

static void test_refused(void **state)
{
	static const struct {
		enum rec_type t;
		const char *s;
	} bad[] = {
		{ RT_DURATION, "1.5" }, { RT_DURATION, "" }, { RT_DURATION, "2147483648" },
		{ RT_TEMPO, "12x" }, { RT_COUNT, "9223372036854775808" }, { RT_BOOL, "yes" },
		{ RT_DATE, "2024-2-29x" }, { RT_DATE, "24-02" }, { RT_DATE, "2024-13-01" },
		{ RT_SPLIT, "1,5" }, { RT_SPLIT, ".5" }, { RT_SCORE, "5." "5.5" },
		{ RT_TAGS, "rock" }, { RT_TAGS, "{rock" }, { RT_TAGS, "{\"rock}" },
		{ RT_TAGS, "{a,,b}" }, { RT_MOODS, "{a}x" },
	};
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	copybin_text(&b, "kept");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(copybin_value(&b, bad[i].t, bad[i].s), -1);
		assert_int_equal(b.len, 8);
	}
	/* NULL is any type's NULL; other types take the text as it is. */
	assert_int_equal(copybin_value(&b, RT_DATE, NULL), 0);
	assert_int_equal(copybin_value(&b, RT_LINE, "x"), 0);
	assert_int_equal(b.len, 8 + 4 + 5);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_numerics),
		cmocka_unit_test(test_arrays),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests_name("copybin", tests, NULL, NULL);
}
