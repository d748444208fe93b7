/*
 * norm_ids: identifiers and their check digits (ISRC, IPI, GTIN, ISWC,
 * ISNI) and catalog numbers.  Part of normalize: the contract is
 * include/blendcat/normalize.h.
 */
#include "blendcat/normalize.h"
#include "blendcat/norm_internal.h"
#include "blendcat/norm_vocab.h"

#include <stdio.h>
#include <string.h>

/* ======================================================================
 * Identifiers
 * ====================================================================== */

/* Copy n bytes into a fixed-size output and terminate it. */
static void put(char *out, const char *s, size_t n)
{
	memcpy(out, s, n);
	out[n] = '\0';
}

/* Is cc one of the ISRC country codes (vocab_iso3166)? */
static int isrc_country_known(const char *cc)
{
	const char *p;

	for (p = vocab_iso3166; *p; p += 3)
		if (p[0] == cc[0] && p[1] == cc[1])
			return 1;
	return 0;
}

/* Describe a character that has no place in an identifier. */
static int bad_char(const char *s, size_t n, size_t i, char *why)
{
	char q[SNIP_SIZE];

	if ((unsigned char)s[i] >= 0x80 || (unsigned char)s[i] < 0x20)
		return fail(why, "invalid character in '%s'", snip(s, n, q));
	return fail(why, "invalid character '%c' in '%s'", s[i], snip(s, n, q));
}

int norm_isrc(const char *in, char out[NORM_ISRC_SIZE], char *why)
{
	char c[SQUASH_SIZE], q[SNIP_SIZE];
	const char *s;
	size_t n, i, k = 0;

	out[0] = '\0';
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '-' || ch == ' ')
			continue;
		if (!is_alpha(ch) && !is_digit(ch) && !(ch == ':' && k == 4))
			return bad_char(s, n, i, why);
		if (k + 1 >= sizeof(c))
			return fail(why, "expected 12 characters, got %zu", n);
		c[k++] = (char)to_upper(ch);
	}
	c[k] = '\0';
	if (k >= 4 && memcmp(c, "ISRC", 4) == 0 &&
	    (k == 16 || (k == 17 && c[4] == ':'))) {
		memmove(c, c + k - 12, 13);
		k = 12;
	}
	if (strchr(c, ':'))
		return fail(why, "invalid character ':' in '%s'",
			    snip(s, n, q));
	if (k != 12)
		return fail(why, "expected 12 characters, got %zu", k);
	if (!is_alpha(c[0]) || !is_alpha(c[1]))
		return fail(why, "country code '%.2s' must be two letters", c);
	if (!all_digits(c + 5, 7))
		return fail(why, "year and designation '%s' must be 7 digits",
			    c + 5);
	if (!isrc_country_known(c))
		return fail(why, "unknown country code '%.2s'", c);
	put(out, c, 12);
	return 0;
}

int norm_ipi(const char *in, char out[NORM_IPI_SIZE], char *why)
{
	char d[NORM_IPI_SIZE];
	const char *s;
	size_t n, i;
	int sum = 0, r, want, got;

	out[0] = '\0';
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	for (i = 0; i < n; i++)
		if (!is_digit((unsigned char)s[i]))
			return bad_char(s, n, i, why);
	if (n < 9 || n > 11)
		return fail(why, "expected 9 to 11 digits, got %zu", n);
	memset(d, '0', 11 - n);
	memcpy(d + 11 - n, s, n);
	d[11] = '\0';
	for (i = 0; i < 9; i++)
		sum += (d[i] - '0') * (int)(10 - i);
	r = sum % 101;
	want = r == 0 ? 0 : (101 - r) % 100;
	got = (d[9] - '0') * 10 + (d[10] - '0');
	if (got != want)
		return fail(why, "check digits are %02d, expected %02d", got,
			    want);
	put(out, d, 11);
	return 0;
}

/* GTIN check digit for the n digits before the check digit. */
static int gtin_check(const char *s, size_t n)
{
	int sum = 0, w = 3;
	size_t i;

	for (i = n; i-- > 0;) {
		sum += (s[i] - '0') * w;
		w = 4 - w;
	}
	return (10 - sum % 10) % 10;
}

int norm_gtin(const char *in, char out[NORM_GTIN_SIZE], char *why)
{
	const char *s;
	size_t n, i;
	int want;

	out[0] = '\0';
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	for (i = 0; i < n; i++)
		if (!is_digit((unsigned char)s[i]))
			return bad_char(s, n, i, why);
	if (n != 8 && n != 12 && n != 13 && n != 14)
		return fail(why, "expected 8, 12, 13 or 14 digits, got %zu", n);
	want = gtin_check(s, n - 1);
	if (s[n - 1] - '0' != want)
		return fail(why, "check digit is %c, expected %d", s[n - 1],
			    want);
	put(out, s, n);
	return 0;
}

/*
 * Keep the characters of s[0..n) that are not in skip, upper-cased, in
 * c[SQUASH_SIZE]; returns the count, or (size_t)-1 when too long.
 */
static size_t compact_id(const char *s, size_t n, const char *skip, char *c)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (strchr(skip, s[i]) && s[i] != '\0')
			continue;
		if (k + 1 >= SQUASH_SIZE)
			return (size_t)-1;
		c[k++] = (char)to_upper((unsigned char)s[i]);
	}
	c[k] = '\0';
	return k;
}

int norm_iswc(const char *in, char compact[NORM_ISWC_SIZE],
	      char display[NORM_ISWC_DISPLAY_SIZE], char *why)
{
	char c[SQUASH_SIZE], q[SNIP_SIZE];
	const char *s;
	size_t n, k, i;
	int sum = 1, want;

	compact[0] = '\0';
	if (display)
		display[0] = '\0';
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	k = compact_id(s, n, "-. ", c);
	if (k == (size_t)-1 || k == 0 || c[0] != 'T')
		return fail(why, "ISWC must start with 'T', got '%s'",
			    snip(s, n, q));
	if (k != 11 || !all_digits(c + 1, 10))
		return fail(why, "expected T and 10 digits, got '%s'",
			    snip(s, n, q));
	for (i = 1; i <= 9; i++)
		sum += (int)i * (c[i] - '0');
	want = (10 - sum % 10) % 10;
	if (c[10] - '0' != want)
		return fail(why, "check digit is %c, expected %d", c[10], want);
	put(compact, c, 11);
	if (display)
		snprintf(display, NORM_ISWC_DISPLAY_SIZE, "T-%.3s.%.3s.%.3s-%c",
			 c + 1, c + 4, c + 7, c[10]);
	return 0;
}

/* ISO 7064 MOD 11-2 check character for 15 digits. */
static char mod11_2(const char *d)
{
	int p = 0, r;
	size_t i;

	for (i = 0; i < 15; i++)
		p = (p + (d[i] - '0')) * 2 % 11;
	r = (12 - p % 11) % 11;
	return r == 10 ? 'X' : (char)('0' + r);
}

int norm_isni(const char *in, char out[NORM_ISNI_SIZE], char *why)
{
	char c[SQUASH_SIZE], q[SNIP_SIZE];
	const char *s;
	size_t n, k;
	char want;

	out[0] = '\0';
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	if (starts_ci(s, n, "isni")) {
		s += 4;
		n -= 4;
		if (n > 0 && s[0] == ':')
			s++, n--;
	}
	k = compact_id(s, n, "- ", c);
	if (k != 16 || !all_digits(c, 15) ||
	    !(is_digit((unsigned char)c[15]) || c[15] == 'X'))
		return fail(why, "expected 15 digits and a check character, "
			    "got '%s'", snip(s, n, q));
	want = mod11_2(c);
	if (c[15] != want)
		return fail(why, "check character is %c, expected %c", c[15],
			    want);
	put(out, c, 16);
	return 0;
}

int norm_catalog_number(const char *in, struct buf *out, char *why)
{
	return norm_text(in ? in : "", in ? strlen(in) : 0, NORM_TEXT_TRIM,
			 NORM_MAX_CATALOG, out, why);
}
