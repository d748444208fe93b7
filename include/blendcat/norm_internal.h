/*
 * norm_internal: the small helpers that the files of normalize share
 * (normalize.c, norm_text.c, norm_music.c, norm_ids.c): reasons, ASCII
 * classes, trimming, quoting input in a reason, lookup keys, decimal
 * numbers.  Internal to normalize: no other module includes this
 * header.  The helpers are static inline: each file gets its own copy,
 * the hot ones stay inlined, and nothing is exported.
 */
#ifndef BLENDCAT_NORM_INTERNAL_H
#define BLENDCAT_NORM_INTERNAL_H

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "blendcat/normalize.h"

#define SNIP_SIZE 48	/* snip()'s output */
#define SNIP_BYTES 40	/* at most this much of the input in it */
#define SQUASH_SIZE 80	/* a lookup key or a compacted identifier */

#if defined(__GNUC__)
#define NORM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define NORM_PRINTF(a, b)
#endif

static inline int fail(char *why, const char *fmt, ...) NORM_PRINTF(2, 3);

/*
 * Write a reason and return -1.  A reason cut by vsnprintf is shortened
 * further to end on a character boundary.
 */
static inline int fail(char *why, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (!why)
		return -1;
	va_start(ap, fmt);
	vsnprintf(why, NORM_WHY_MAX, fmt, ap);
	va_end(ap);
	n = strlen(why);
	if (n == NORM_WHY_MAX - 1) {
		while (n > 0 && ((unsigned char)why[n - 1] & 0xC0) == 0x80)
			n--;
		if (n > 0 && (unsigned char)why[n - 1] >= 0xC0)
			n--;
		why[n] = '\0';
	}
	return -1;
}

static inline int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static inline int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static inline int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int to_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static inline int to_upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

/* Narrow [*s, *s + *n) to drop surrounding ASCII whitespace. */
static inline void trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space((unsigned char)(*s)[0])) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_space((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* Trim a NUL-terminated input into a range. */
static inline void range_of(const char *in, const char **s, size_t *n)
{
	*s = in ? in : "";
	*n = strlen(*s);
	trim(s, n);
}

/*
 * Copy s[0..n) for quoting in a reason: at most SNIP_BYTES bytes cut on a
 * character boundary, control bytes shown as '?', "..." when cut.
 */
static inline const char *snip(const char *s, size_t n, char out[SNIP_SIZE])
{
	size_t i, k = n > SNIP_BYTES ? SNIP_BYTES : n;

	if (k < n)
		while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
	for (i = 0; i < k; i++) {
		unsigned char c = (unsigned char)s[i];

		out[i] = c < 0x20 || c == 0x7F ? '?' : (char)c;
	}
	if (k < n)
		memcpy(out + i, "...", 4);
	else
		out[i] = '\0';
	return out;
}

/* Case-insensitive ASCII comparison of s[0..n) with a literal. */
static inline int eq_ci(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lit[i] == '\0' || to_lower((unsigned char)s[i]) != lit[i])
			return 0;
	return lit[n] == '\0';
}

/* Does s[0..n) start with the lower-case literal lit, ignoring case? */
static inline int starts_ci(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);

	return n >= k && eq_ci(s, k, lit);
}

/* Are all n bytes of s ASCII digits (and n > 0)? */
static inline int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	return n > 0;
}

/*
 * A decimal number "123", "123.", "123.45": at least one digit before the
 * point.  ip saturates (overflow set) rather than wrapping.
 */
struct decimal {
	unsigned long long ip;
	int overflow;
	const char *frac;
	size_t nfrac;
};

/* Scan a decimal at s[0..n); returns the bytes used, 0 when none. */
static inline size_t scan_decimal(const char *s, size_t n, struct decimal *d)
{
	size_t i = 0;

	memset(d, 0, sizeof(*d));
	while (i < n && is_digit((unsigned char)s[i])) {
		unsigned dig = (unsigned)(s[i] - '0');

		if (d->ip > (ULLONG_MAX - dig) / 10)
			d->overflow = 1;
		else
			d->ip = d->ip * 10 + dig;
		i++;
	}
	if (i == 0)
		return 0;
	if (i < n && s[i] == '.') {
		i++;
		d->frac = s + i;
		while (i < n && is_digit((unsigned char)s[i])) {
			i++;
			d->nfrac++;
		}
	}
	return i;
}

#endif
