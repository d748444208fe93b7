/*
 * normalize: raw field text in, typed and canonical value or a reason out.
 * See include/blendcat/normalize.h for the contract.  The notations and
 * check digits are in the code below; the code lists and vocabularies
 * (ISO 3166, PROs, roles, instruments, ID3 genres) are in norm_vocab.c.
 */
#include "blendcat/normalize.h"
#include "blendcat/norm_vocab.h"
#include "blendcat/xalloc.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* ======================================================================
 * Small helpers
 * ====================================================================== */

#define SNIP_SIZE 48
#define SNIP_BYTES 40
#define SQUASH_SIZE 80

#if defined(__GNUC__)
#define NORM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define NORM_PRINTF(a, b)
#endif

static int fail(char *why, const char *fmt, ...) NORM_PRINTF(2, 3);

/*
 * Write a reason and return -1.  A reason cut by vsnprintf is shortened
 * further to end on a character boundary.
 */
static int fail(char *why, const char *fmt, ...)
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

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int to_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int to_upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

/* Narrow [*s, *s + *n) to drop surrounding ASCII whitespace. */
static void trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space((unsigned char)(*s)[0])) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_space((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* Trim a NUL-terminated input into a range. */
static void range_of(const char *in, const char **s, size_t *n)
{
	*s = in ? in : "";
	*n = strlen(*s);
	trim(s, n);
}

/*
 * Copy s[0..n) for quoting in a reason: at most SNIP_BYTES bytes cut on a
 * character boundary, control bytes shown as '?', "..." when cut.
 */
static const char *snip(const char *s, size_t n, char out[SNIP_SIZE])
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
static int eq_ci(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lit[i] == '\0' || to_lower((unsigned char)s[i]) != lit[i])
			return 0;
	return lit[n] == '\0';
}

/* Does s[0..n) start with the lower-case literal lit, ignoring case? */
static int starts_ci(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);

	return n >= k && eq_ci(s, k, lit);
}

/*
 * Lookup key for vocabularies: ASCII letters and digits lower-cased,
 * other ASCII dropped, non-ASCII bytes kept.  Returns the length, or
 * (size_t)-1 when it does not fit (no table key is that long).
 */
static size_t squash(const char *s, size_t n, char out[SQUASH_SIZE])
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80 && !is_alpha(c) && !is_digit(c))
			continue;
		if (k + 1 >= SQUASH_SIZE)
			return (size_t)-1;
		out[k++] = (char)(c < 0x80 ? to_lower(c) : c);
	}
	out[k] = '\0';
	return k;
}

/* Are all n bytes of s ASCII digits (and n > 0)? */
static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	return n > 0;
}

/* Copy n bytes into a fixed-size output and terminate it. */
static void put(char *out, const char *s, size_t n)
{
	memcpy(out, s, n);
	out[n] = '\0';
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
static size_t scan_decimal(const char *s, size_t n, struct decimal *d)
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

/* Round half away from zero (the value is never negative). */
static unsigned long long dec_round(const struct decimal *d)
{
	return d->ip + (d->nfrac > 0 && d->frac[0] >= '5');
}

/* ======================================================================
 * UTF-8 and text
 * ====================================================================== */

/*
 * Length of the valid UTF-8 sequence at s[0..n), or 0 when the bytes there
 * are not one (RFC 3629: no overlong forms, no surrogates, <= U+10FFFF).
 */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t len, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4;
	else
		return 0;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

/* Decode the valid sequence of len bytes at s. */
static int32_t utf8_decode(const unsigned char *s, size_t len)
{
	static const unsigned char mask[5] = { 0, 0x7F, 0x1F, 0x0F, 0x07 };
	int32_t cp = s[0] & mask[len];
	size_t i;

	for (i = 1; i < len; i++)
		cp = (cp << 6) | (s[i] & 0x3F);
	return cp;
}

size_t norm_utf8_chars(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

/* Check bytes: no NUL, valid UTF-8.  Positions in reasons count from 1. */
static int check_bytes(const char *in, size_t len, char *why)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, k;

	while (i < len) {
		if (s[i] == 0)
			return fail(why, "NUL byte at byte %zu", i + 1);
		k = utf8_seq(s + i, len - i);
		if (k == 0)
			return fail(why, "invalid UTF-8 at byte %zu", i + 1);
		i += k;
	}
	return 0;
}

/*
 * Refuse control characters in s[0..n) (valid UTF-8); base is the offset
 * of s in the caller's input, for the byte position in the reason.
 */
static int check_controls(const char *s, size_t n, size_t base,
			  unsigned flags, char *why)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;
	int32_t cp;

	while (i < n) {
		k = utf8_seq(u + i, n - i);
		cp = utf8_decode(u + i, k);
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
			int ok = (flags & NORM_TEXT_MULTILINE) &&
				 (cp == '\t' || cp == '\n' || cp == '\r');

			if (!ok)
				return fail(why, "control character U+%04X "
					    "at byte %zu", (unsigned)cp,
					    base + i + 1);
		}
		i += k;
	}
	return 0;
}

static int is_ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/*
 * Is every character of s (valid UTF-8) below U+0300, where the
 * combining marks start?  Such text is in NFC as it is.
 */
static int below_combining(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80)
			continue;
		if (c < 0xC2 || c > 0xCB || i + 1 >= n)
			return 0;
		i++;
	}
	return 1;
}

static utf8proc_int32_t lower_cb(utf8proc_int32_t c, void *data)
{
	(void)data;
	return utf8proc_tolower(c);
}

/*
 * Append s[0..n) (valid UTF-8) to out in NFC, lower-cased first when
 * lower is set.  ASCII needs neither utf8proc nor an allocation.
 */
static int add_nfc(struct buf *out, const char *s, size_t n, int lower,
		   char *why)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t r;
	size_t i;

	if (!lower && below_combining(s, n)) {
		buf_add(out, s, n);	/* nothing to compose: already NFC */
		return 0;
	}
	if (is_ascii(s, n)) {
		buf_grow(out, n);
		for (i = 0; i < n; i++) {
			int c = (unsigned char)s[i];

			out->data[out->len + i] =
				(char)(lower ? to_lower(c) : c);
		}
		out->len += n;
		out->data[out->len] = '\0';
		return 0;
	}
	r = utf8proc_map_custom((const utf8proc_uint8_t *)s,
				(utf8proc_ssize_t)n, &dst,
				UTF8PROC_STABLE | UTF8PROC_COMPOSE,
				lower ? lower_cb : NULL, NULL);
	if (r == UTF8PROC_ERROR_NOMEM)
		xalloc_die("out of memory");
	if (r < 0)
		return fail(why, "cannot normalize text: %s",
			    utf8proc_errmsg(r));
	buf_add(out, dst, (size_t)r);
	free(dst);
	return 0;
}

/* Refuse a value of more than max characters (0: no limit). */
static int check_length(const char *s, size_t n, size_t max, char *why)
{
	size_t chars;

	if (max == 0)
		return 0;
	chars = norm_utf8_chars(s, n);
	if (chars > max)
		return fail(why, "value has %zu characters, column allows %zu",
			    chars, max);
	return 0;
}

int norm_text(const char *in, size_t len, unsigned flags, size_t max_chars,
	      struct buf *out, char *why)
{
	const char *s = in;
	size_t n = len, mark = out->len;

	if (check_bytes(in, len, why) < 0)
		return -1;
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		n -= 3;
	}
	if (flags & NORM_TEXT_TRIM)
		trim(&s, &n);
	if (n == 0)
		return NORM_EMPTY;
	if (check_controls(s, n, (size_t)(s - in), flags, why) < 0)
		return -1;
	if (add_nfc(out, s, n, 0, why) < 0)
		return -1;
	if (check_length(out->data + mark, out->len - mark, max_chars,
			 why) < 0) {
		buf_setlen(out, mark);
		return -1;
	}
	return 0;
}

/*
 * Validate a NUL-terminated field as single-line text, trimmed and in NFC,
 * into the scratch buffer t (reset first).  Returns like norm_text.
 */
static int text_field(const char *in, size_t max, struct buf *t, char *why)
{
	buf_reset(t);
	return norm_text(in ? in : "", in ? strlen(in) : 0, NORM_TEXT_TRIM, max,
			 t, why);
}

/* ======================================================================
 * Musical key and scale
 * ====================================================================== */

/*
 * Camelot and Open Key numbers from NORMALIZATION.md, with f = 7p mod 12.
 * Parsing inverts them by trying the 12 pitch classes, so the formulas
 * stay the only source of truth.
 */
static int camelot_number(int p, int minor)
{
	int f = 7 * p % 12;

	return minor ? (f + 4) % 12 + 1 : (f + 7) % 12 + 1;
}

static int open_key_number(int p, int minor)
{
	int f = 7 * p % 12;

	return minor ? (f + 9) % 12 + 1 : f + 1;
}

static void set_key(int p, int minor, char *key, char *scale)
{
	strcpy(key, vocab_pitch_names[p]);
	strcpy(scale, minor ? "minor" : "major");
}

/* 1 major, 0 minor, -1 not a scale word. */
static int scale_word(const char *s, size_t n)
{
	if (n == 1 && s[0] == 'm')
		return 0;
	if (n == 1 && s[0] == 'M')
		return 1;
	if (eq_ci(s, n, "min") || eq_ci(s, n, "minor"))
		return 0;
	if (eq_ci(s, n, "maj") || eq_ci(s, n, "major"))
		return 1;
	return -1;
}

/* "8A", "12b", "1d", "10m": Camelot or Open Key. */
static int parse_wheel(const char *s, size_t n, char *key, char *scale,
		       char *why)
{
	char q[SNIP_SIZE];
	size_t i = 0, j;
	int num = 0, minor, camelot, p;
	char c;

	while (i < n && i < 3 && is_digit((unsigned char)s[i]))
		num = num * 10 + (s[i++] - '0');
	j = i;
	while (j < n && s[j] == ' ')
		j++;
	if (i == 3 || j + 1 != n)
		return fail(why, "unknown key '%s': expected 1A-12B (Camelot) "
			    "or 1d-12m (Open Key)", snip(s, n, q));
	c = (char)to_lower((unsigned char)s[j]);
	if (c != 'a' && c != 'b' && c != 'd' && c != 'm')
		return fail(why, "unknown key '%s': expected 1A-12B (Camelot) "
			    "or 1d-12m (Open Key)", snip(s, n, q));
	camelot = c == 'a' || c == 'b';
	if (num < 1 || num > 12)
		return fail(why, "%s number %d out of range 1-12",
			    camelot ? "Camelot" : "Open Key", num);
	minor = c == 'a' || c == 'm';
	for (p = 0; p < 12; p++) {
		int k = camelot ? camelot_number(p, minor)
				: open_key_number(p, minor);

		if (k == num)
			break;
	}
	set_key(p, minor, key, scale);
	return 0;
}

/* Accidental at s[0..n): +1 sharp, -1 flat, 0 none; *used bytes. */
static int accidental(const char *s, size_t n, size_t *used)
{
	*used = 0;
	if (n >= 1 && s[0] == '#') {
		*used = 1;
		return 1;
	}
	if (n >= 1 && s[0] == 'b') {
		*used = 1;
		return -1;
	}
	if (n >= 3 && memcmp(s, "\xE2\x99\xAF", 3) == 0) {
		*used = 3;
		return 1;
	}
	if (n >= 3 && memcmp(s, "\xE2\x99\xAD", 3) == 0) {
		*used = 3;
		return -1;
	}
	return 0;
}

/* "C", "c#", "Db", "D♭ minor", "F#M", "A min". */
static int parse_standard(const char *s, size_t n, char *key, char *scale,
			  int *scale_explicit, char *why)
{
	static const int base[7] = { 9, 11, 0, 2, 4, 5, 7 }; /* A..G */
	char q[SNIP_SIZE], q2[SNIP_SIZE];
	int letter = to_upper((unsigned char)s[0]), p, acc, minor;
	size_t used, i = 1;
	const char *rest;
	size_t rn;

	if (letter < 'A' || letter > 'G')
		return fail(why, "unknown key '%s'", snip(s, n, q));
	acc = accidental(s + i, n - i, &used);
	i += used;
	p = (base[letter - 'A'] + acc + 12) % 12;
	if (used && accidental(s + i, n - i, &used) != 0)
		return fail(why, "double accidental in key '%s'",
			    snip(s, n, q));
	rest = s + i;
	rn = n - i;
	trim(&rest, &rn);
	if (rn == 0) {
		set_key(p, 0, key, scale);
		*scale_explicit = 0;
		return 0;
	}
	minor = scale_word(rest, rn);
	if (minor < 0)
		return fail(why, "unknown scale '%s' in key '%s'",
			    snip(rest, rn, q2), snip(s, n, q));
	set_key(p, minor == 0, key, scale);
	*scale_explicit = 1;
	return 0;
}

int norm_key(const char *in, char key[NORM_KEY_SIZE],
	     char scale[NORM_SCALE_SIZE], int *scale_explicit, char *why)
{
	const char *s;
	size_t n;
	int dummy, r;

	if (!scale_explicit)
		scale_explicit = &dummy;
	*scale_explicit = 0;
	key[0] = scale[0] = '\0';
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	if (is_digit((unsigned char)s[0])) {
		r = parse_wheel(s, n, key, scale, why);
		*scale_explicit = r == 0;
	} else {
		r = parse_standard(s, n, key, scale, scale_explicit, why);
	}
	if (r < 0)
		key[0] = scale[0] = '\0';
	return r;
}

int norm_key_pitch(int pitch, int mode, char key[NORM_KEY_SIZE],
		   char scale[NORM_SCALE_SIZE], char *why)
{
	key[0] = scale[0] = '\0';
	if (pitch == -1)
		return NORM_EMPTY;
	if (pitch < 0 || pitch > 11)
		return fail(why, "pitch class %d out of range 0-11", pitch);
	if (mode < -1 || mode > 1)
		return fail(why, "mode %d out of range: expected 1 (major), "
			    "0 (minor) or -1 (unknown)", mode);
	strcpy(key, vocab_pitch_names[pitch]);
	if (mode >= 0)
		strcpy(scale, mode == 1 ? "major" : "minor");
	return 0;
}

/* One spelling of a MEAD RootChordNote: a bare tonic, no scale. */
static int mead_tonic(const char *s, size_t n, char key[NORM_KEY_SIZE])
{
	char scale[NORM_SCALE_SIZE], why[NORM_WHY_MAX];
	int explicit = 0;

	if (n == 0 || is_digit((unsigned char)s[0]))
		return -1;
	if (parse_standard(s, n, key, scale, &explicit, why) < 0 || explicit)
		return -1;
	return 0;
}

/* A RootChordQuality: 1 major, 0 minor, -1 neither, -2 not one of MEAD's. */
static int mead_quality(const char *s, size_t n)
{
	static const char *const major[] = { "MajorTriad", "MajorSeventh", "MajorSixth" };
	static const char *const minor[] = { "MinorTriad", "MinorSeventh", "MinorSixth" };
	static const char *const other[] = {
		"AugmentedSeventh", "AugmentedTriad", "DiminishedSeventh", "DiminishedTriad",
		"DominantSeventh", "Fifth", "HalfDiminishedSeventh", "MajorMinorSeventh",
		"Suspended", "UserDefined",
	};
	size_t i;

	for (i = 0; i < sizeof(major) / sizeof(major[0]); i++)
		if (strlen(major[i]) == n && memcmp(major[i], s, n) == 0)
			return 1;
	for (i = 0; i < sizeof(minor) / sizeof(minor[0]); i++)
		if (strlen(minor[i]) == n && memcmp(minor[i], s, n) == 0)
			return 0;
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		if (strlen(other[i]) == n && memcmp(other[i], s, n) == 0)
			return -1;
	return -2;
}

int norm_mead_key(const char *note, const char *quality, char key[NORM_KEY_SIZE],
		  char scale[NORM_SCALE_SIZE], char *why)
{
	char q[SNIP_SIZE], other[NORM_KEY_SIZE];
	const char *s, *slash;
	size_t n, first;
	int kind = -1;

	key[0] = scale[0] = '\0';
	range_of(note, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	slash = memchr(s, '/', n);
	first = slash ? (size_t)(slash - s) : n;
	if (mead_tonic(s, first, key) < 0 ||
	    (slash && mead_tonic(slash + 1, n - first - 1, other) < 0)) {
		key[0] = '\0';
		return fail(why, "unknown RootChordNote '%s'", snip(s, n, q));
	}
	if (slash && strcmp(key, other) != 0) {
		key[0] = '\0';
		return fail(why, "two different notes in RootChordNote '%s'", snip(s, n, q));
	}
	range_of(quality, &s, &n);
	if (n > 0 && (kind = mead_quality(s, n)) == -2) {
		key[0] = '\0';
		return fail(why, "unknown RootChordQuality '%s'", snip(s, n, q));
	}
	if (kind >= 0)
		strcpy(scale, kind ? "major" : "minor");
	return 0;
}

int norm_scale(const char *in, char scale[NORM_SCALE_SIZE], char *why)
{
	char q[SNIP_SIZE];
	const char *s;
	size_t n;
	int major;

	scale[0] = '\0';
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	major = scale_word(s, n);
	if (major < 0)
		return fail(why, "unknown scale '%s': expected major or minor",
			    snip(s, n, q));
	strcpy(scale, major ? "major" : "minor");
	return 0;
}

/* ======================================================================
 * Numbers
 * ====================================================================== */

int norm_tempo(const char *in, int *bpm, char *why)
{
	char q[SNIP_SIZE], q2[SNIP_SIZE];
	struct decimal d;
	const char *s, *rest;
	size_t n, used, rn;
	unsigned long long v;

	*bpm = 0;
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	if (s[0] == '-')
		return fail(why, "tempo must be positive, got '%s'",
			    snip(s, n, q));
	used = scan_decimal(s, n, &d);
	if (used == 0)
		return fail(why, "tempo is not a number: '%s'", snip(s, n, q));
	rest = s + used;
	rn = n - used;
	trim(&rest, &rn);
	if (rn > 0 && !eq_ci(rest, rn, "bpm"))
		return fail(why, "unexpected '%s' after tempo",
			    snip(rest, rn, q2));
	v = dec_round(&d);
	if (d.overflow || v > 999)
		return fail(why, "tempo %s is out of range 1-999",
			    snip(s, used, q));
	if (v == 0)
		return fail(why, "tempo must be positive, got '%s'",
			    snip(s, used, q));
	*bpm = (int)v;
	return 0;
}

int norm_bool(const char *in, int *val, char *why)
{
	static const char *const yes[] = { "true", "t", "yes", "y", "1", "on" };
	static const char *const no[] = { "false", "f", "no", "n", "0", "off" };
	char q[SNIP_SIZE];
	const char *s;
	size_t n, i;

	*val = 0;
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (eq_ci(s, n, yes[i])) {
			*val = 1;
			return 0;
		}
		if (eq_ci(s, n, no[i]))
			return 0;
	}
	return fail(why, "not a boolean: '%s' (expected true/false, yes/no, "
		    "1/0, on/off)", snip(s, n, q));
}

int norm_split(const char *in, int *hundredths, char out[NORM_SPLIT_SIZE],
	       char *why)
{
	char q[SNIP_SIZE];
	struct decimal d;
	const char *s, *rest;
	size_t n, used, rn, i;
	unsigned long long h;

	if (out)
		out[0] = '\0';
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	if (s[0] == '-')
		return fail(why, "split percentage must not be negative, "
			    "got '%s'", snip(s, n, q));
	used = scan_decimal(s, n, &d);
	rest = s + used;
	rn = n - used;
	trim(&rest, &rn);
	if (used == 0 || (rn > 0 && !(rn == 1 && rest[0] == '%')))
		return fail(why, "split percentage is not a number: '%s'",
			    snip(s, n, q));
	for (i = 2; i < d.nfrac; i++)
		if (d.frac[i] != '0')
			return fail(why, "'%s' has more than 2 decimal places",
				    snip(s, used, q));
	h = d.ip * 100;
	if (d.nfrac > 0)
		h += (unsigned long long)(d.frac[0] - '0') * 10;
	if (d.nfrac > 1)
		h += (unsigned long long)(d.frac[1] - '0');
	if (d.overflow || d.ip > 100 || h > 10000)
		return fail(why, "split percentage %s exceeds 100",
			    snip(s, used, q));
	if (hundredths)
		*hundredths = (int)h;
	if (out)
		snprintf(out, NORM_SPLIT_SIZE, "%d.%02d", (int)h / 100,
			 (int)h % 100);
	return 0;
}

/* ======================================================================
 * Null markers
 * ====================================================================== */

/* s[0..n) equals t (trimmed), ASCII letters in any case. */
static int same_ci(const char *s, size_t n, const char *t)
{
	size_t tn = t ? strlen(t) : 0, i;

	trim(&t, &tn);
	if (tn != n)
		return 0;
	for (i = 0; i < n; i++)
		if (to_lower((unsigned char)s[i]) != to_lower((unsigned char)t[i]))
			return 0;
	return 1;
}

int norm_null_marker(const char *in, size_t len, const char *const *extra, size_t nextra)
{
	static const char *const markers[] = {
		"n/a", "#n/a", "-", "\xE2\x80\x94", "\xE2\x80\x93", "null", "none", "unknown", "tbd"
	};
	const char *s = in;
	size_t n = in ? len : 0, i;

	/* most cells are no marker: their first byte or their length says so */
	if (!nextra && (n == 0 || n > 16 || !strchr(" \t\r\n\v\fnN#-\xE2uUtT", s[0])))
		return 0;
	trim(&s, &n);
	if (n == 0)
		return 0;
	if (n <= 7 && strchr("nN#-\xE2uUtT", s[0]))
		for (i = 0; i < sizeof(markers) / sizeof(markers[0]); i++)
			if (same_ci(s, n, markers[i]))
				return 1;
	for (i = 0; i < nextra; i++)
		if (same_ci(s, n, extra[i]))
			return 1;
	return 0;
}

int norm_decimal_comma(char *s)
{
	char *comma = strchr(s, ',');

	if (!comma || strchr(comma + 1, ',') || strchr(s, '.') || comma == s ||
	    !is_digit((unsigned char)comma[-1]) || !is_digit((unsigned char)comma[1]))
		return 0;
	*comma = '.';
	return 1;
}

/* ======================================================================
 * Durations
 * ====================================================================== */

/* Far beyond INT_MAX, far below overflow of the sums below. */
#define DUR_CAP 1000000000000ULL

static unsigned long long dur_cap(const struct decimal *d)
{
	return d->overflow || d->ip > DUR_CAP ? DUR_CAP : d->ip;
}

/* "1:02:03", "3:00", "03:00.5" -> *total seconds (rounded). */
static int duration_clock(const char *s, size_t n, unsigned long long *total,
			  char *why)
{
	char q[SNIP_SIZE];
	unsigned long long v[3];
	struct decimal d;
	size_t np = 0, i = 0, k, digits, j;

	for (;;) {
		k = scan_decimal(s + i, n - i, &d);
		if (k == 0 || np == 3 || (d.frac && i + k != n))
			return fail(why, "expected h:mm:ss or m:ss, got '%s'",
				    snip(s, n, q));
		digits = d.frac ? (size_t)(d.frac - 1 - (s + i)) : k;
		if (np > 0 && digits != 2)
			return fail(why, "expected two digits after ':' "
				    "in '%s'", snip(s, n, q));
		v[np++] = dur_cap(&d);
		i += k;
		if (i == n)
			break;
		if (s[i] != ':')
			return fail(why, "expected h:mm:ss or m:ss, got '%s'",
				    snip(s, n, q));
		i++;
	}
	for (j = 1; j < np; j++)
		if (v[j] >= 60)
			return fail(why, "%s %llu out of range 0-59 in '%s'",
				    j == np - 1 ? "seconds" : "minutes", v[j],
				    snip(s, n, q));
	*total = np == 3 ? v[0] * 3600 + v[1] * 60 + v[2] : v[0] * 60 + v[1];
	*total += d.nfrac > 0 && d.frac[0] >= '5';
	return 0;
}

/*
 * ISO 8601 / xs:duration: P[nY][nM][nW][nD][T[nH][nM][n[.n]S]].
 * Designators must come in this order; fractions only on seconds.
 */
static int duration_iso(const char *s, size_t n, unsigned long long *total,
			char *why)
{
	static const char date_des[] = "YMWD", time_des[] = "HMS";
	static const unsigned long long date_mul[] = { 0, 0, 604800, 86400 };
	static const unsigned long long time_mul[] = { 3600, 60, 1 };
	char q[SNIP_SIZE];
	struct decimal d;
	size_t i = 1, k, next = 0, comps = 0;
	int in_time = 0, round_up = 0;
	const char *des, *hit;

	*total = 0;
	while (i < n) {
		if (!in_time && to_upper((unsigned char)s[i]) == 'T') {
			in_time = 1;
			next = 0;
			i++;
			continue;
		}
		k = scan_decimal(s + i, n - i, &d);
		des = in_time ? time_des : date_des;
		if (k == 0 || i + k == n)
			goto bad;
		hit = strchr(des + next, to_upper((unsigned char)s[i + k]));
		if (!hit || s[i + k] == '\0' || (d.frac && *hit != 'S'))
			goto bad;
		next = (size_t)(hit - des) + 1;
		if (!in_time && next <= 2 && (d.ip != 0 || d.overflow))
			return fail(why, "years and months have no fixed "
				    "length in duration '%s'", snip(s, n, q));
		*total += dur_cap(&d) *
			  (in_time ? time_mul[next - 1] : date_mul[next - 1]);
		if (d.frac)
			round_up = d.nfrac > 0 && d.frac[0] >= '5';
		comps++;
		i += k + 1;
	}
	if (comps == 0 || to_upper((unsigned char)s[n - 1]) == 'T')
		goto bad;
	*total += (unsigned long long)round_up;
	return 0;
bad:
	return fail(why, "invalid ISO 8601 duration '%s'", snip(s, n, q));
}

int norm_duration(const char *in, unsigned flags, int *secs, char *why)
{
	char q[SNIP_SIZE];
	unsigned long long total = 0;
	struct decimal d;
	const char *s;
	size_t n, k;
	int r;

	*secs = 0;
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	if (s[0] == '-')
		return fail(why, "negative duration '%s'", snip(s, n, q));
	if (to_upper((unsigned char)s[0]) == 'P') {
		r = duration_iso(s, n, &total, why);
	} else if (memchr(s, ':', n)) {
		r = duration_clock(s, n, &total, why);
	} else {
		k = scan_decimal(s, n, &d);
		if (k != n)
			return fail(why, "duration is not a number of seconds, "
				    "m:ss or ISO 8601: '%s'", snip(s, n, q));
		total = d.overflow ? DUR_CAP : dec_round(&d);
		r = 0;
	}
	if (r < 0)
		return -1;
	if (total > INT_MAX)
		return fail(why, "duration '%s' exceeds %d seconds",
			    snip(s, n, q), INT_MAX);
	if (total == 0 && !(flags & NORM_DURATION_ZERO_OK))
		return NORM_EMPTY;
	*secs = (int)total;
	return 0;
}

int norm_duration_ms(const char *in, int *secs, char *why)
{
	char q[SNIP_SIZE];
	struct decimal d;
	const char *s;
	size_t n, k;

	*secs = 0;
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	if (s[0] == '-')
		return fail(why, "negative duration '%s' ms", snip(s, n, q));
	k = scan_decimal(s, n, &d);
	if (k != n)
		return fail(why, "expected a number of milliseconds, got '%s'", snip(s, n, q));
	if (d.overflow || (d.ip + 500) / 1000 > INT_MAX)
		return fail(why, "duration '%s' ms exceeds %d seconds", snip(s, n, q), INT_MAX);
	/* half up: a fraction of a millisecond never moves a second */
	*secs = (int)((d.ip + 500) / 1000);
	return *secs ? 0 : NORM_EMPTY;
}

/* ======================================================================
 * Dates
 * ====================================================================== */

static int leap_year(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
	static const unsigned days[12] = { 31, 28, 31, 30, 31, 30,
					   31, 31, 30, 31, 30, 31 };

	return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

/* Up to max digits at s[*i..n) -> *v; returns how many were read. */
static size_t scan_uint(const char *s, size_t n, size_t *i, size_t max,
			unsigned *v)
{
	size_t k = 0;

	*v = 0;
	while (*i < n && k <= max && is_digit((unsigned char)s[*i])) {
		*v = *v * 10 + (unsigned)(s[*i] - '0');
		(*i)++;
		k++;
	}
	return k;
}

static int is_date_sep(int c)
{
	return c == '-' || c == '/' || c == '.';
}

/* Check y, m, d and write "YYYY-MM-DD". */
static int date_out(unsigned y, unsigned m, unsigned d, char *out, char *why)
{
	if (y < 1000 || y > 9999)
		return fail(why, "year %u out of range 1000-9999", y);
	if (m < 1 || m > 12)
		return fail(why, "month %u does not exist", m);
	if (d < 1 || d > days_in_month(y, m))
		return fail(why, "day %u does not exist in %04u-%02u", d, y, m);
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = out[7] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
	return 0;
}

/* YYYY, YYYY-MM, YYYY-MM-DD (also '/' or '.'); s starts with 4 digits. */
static int date_year_first(const char *s, size_t n, char *out, char *why)
{
	char q[SNIP_SIZE];
	unsigned y, m = 1, d = 1;
	size_t i = 0, k;
	char sep;

	scan_uint(s, n, &i, 4, &y);
	if (i == n)
		return date_out(y, m, d, out, why);
	sep = s[i];
	if (!is_date_sep(sep) || i != 4)
		goto bad;
	i++;
	k = scan_uint(s, n, &i, 2, &m);
	if (k == 0 || k > 2)
		goto bad;
	if (i < n) {
		if (s[i] != sep)
			goto bad;
		i++;
		k = scan_uint(s, n, &i, 2, &d);
		if (k == 0 || k > 2 || i != n)
			goto bad;
	}
	return date_out(y, m, d, out, why);
bad:
	return fail(why, "expected a date like YYYY-MM-DD, got '%s'",
		    snip(s, n, q));
}

/* 15/01/2024 (dmy) or 01/15/2024 (mdy). */
static int date_day_month(const char *s, size_t n, enum norm_date_order order,
			  char *out, char *why)
{
	char q[SNIP_SIZE];
	unsigned a, b, y;
	size_t i = 0, ka, kb, ky;
	char sep;

	ka = scan_uint(s, n, &i, 2, &a);
	if (ka == 0 || ka > 2 || i == n || !is_date_sep(s[i]))
		goto bad;
	sep = s[i++];
	kb = scan_uint(s, n, &i, 2, &b);
	if (kb == 0 || kb > 2 || i == n || s[i] != sep)
		goto bad;
	i++;
	ky = scan_uint(s, n, &i, 4, &y);
	if (i != n)
		goto bad;
	if (ky != 4)
		return fail(why, "expected a 4-digit year in '%s'",
			    snip(s, n, q));
	if (order == NORM_DATE_DMY)
		return date_out(y, b, a, out, why);
	return date_out(y, a, b, out, why);
bad:
	return fail(why, "expected a date like %s, got '%s'",
		    order == NORM_DATE_DMY ? "DD/MM/YYYY" : "MM/DD/YYYY",
		    snip(s, n, q));
}

int norm_date(const char *in, enum norm_date_order order,
	      char out[NORM_DATE_SIZE], char *why)
{
	char q[SNIP_SIZE];
	const char *s;
	size_t n, i = 0;
	unsigned v;
	int r;

	out[0] = '\0';
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	if (scan_uint(s, n, &i, 4, &v) == 4 && (i == n || !is_digit(s[i])))
		r = date_year_first(s, n, out, why);
	else if (i >= 1 && i <= 2 && i < n && is_date_sep(s[i]) &&
		 order == NORM_DATE_ISO)
		return fail(why, "'%s' is day-first or month-first: give "
			    "--date-order dmy or mdy", snip(s, n, q));
	else if (i >= 1 && i <= 2)
		r = date_day_month(s, n, order, out, why);
	else
		return fail(why, "expected a date like YYYY-MM-DD, got '%s'",
			    snip(s, n, q));
	if (r < 0)
		out[0] = '\0';
	return r;
}

/* A month part: 1-2 digits, or an English month name or its abbreviation. */
static int month_part(const char *s, size_t n, unsigned *m)
{
	static const char *const names[] = { "january", "february", "march", "april", "may",
					     "june", "july", "august", "september", "october",
					     "november", "december" };
	static const char *const abbr[] = { "jan", "feb", "mar", "apr", "may", "jun", "jul",
					    "aug", "sep", "oct", "nov", "dec" };
	size_t i = 0, k;

	if (n <= 2 && scan_uint(s, n, &i, 2, m) > 0 && i == n)
		return 0;
	for (k = 0; k < 12; k++)
		if (eq_ci(s, n, names[k]) || eq_ci(s, n, abbr[k]) ||
		    (k == 8 && eq_ci(s, n, "sept"))) {
			*m = (unsigned)k + 1;
			return 0;
		}
	return -1;
}

int norm_date_parts(const char *const *parts, size_t n, enum norm_date_order order,
		    char out[NORM_DATE_SIZE], int *dropped, char *why)
{
	char q[SNIP_SIZE], q2[SNIP_SIZE], q3[SNIP_SIZE], buf[32];
	const char *p[3], *ys = "", *ms = "", *ds = "";
	size_t len[3], yn = 0, mn = 0, dn = 0, i;
	unsigned m = 0;
	int year_first;

	out[0] = '\0';
	*dropped = 0;
	if (n < 2 || n > 3)
		return fail(why, "a date in parts needs 2 or 3 parts, not %zu", n);
	for (i = 0; i < n; i++)
		range_of(parts[i], &p[i], &len[i]);
	year_first = (len[0] == 4 && all_digits(p[0], 4)) ||
		     (!(len[n - 1] == 4 && all_digits(p[n - 1], 4)) && order == NORM_DATE_ISO);
	if (year_first) {
		ys = p[0], yn = len[0], ms = p[1], mn = len[1];
		if (n == 3)
			ds = p[2], dn = len[2];
	} else if (n == 2) {
		ms = p[0], mn = len[0], ys = p[1], yn = len[1];
	} else if (order == NORM_DATE_DMY) {
		ds = p[0], dn = len[0], ms = p[1], mn = len[1], ys = p[2], yn = len[2];
	} else if (order == NORM_DATE_MDY) {
		ms = p[0], mn = len[0], ds = p[1], dn = len[1], ys = p[2], yn = len[2];
	} else {
		return fail(why, "date parts '%s', '%s', '%s' end with the year: give "
			    "--date-order dmy or mdy", snip(p[0], len[0], q), snip(p[1], len[1], q2),
			    snip(p[2], len[2], q3));
	}
	if (yn == 0) {
		*dropped = mn || dn;
		return NORM_EMPTY;
	}
	if (mn == 0 && dn) {
		*dropped = 1;
		dn = 0;
	}
	if (yn != 4 || !all_digits(ys, 4))
		return fail(why, "year '%s' is not 4 digits", snip(ys, yn, q));
	if (mn && month_part(ms, mn, &m) < 0)
		return fail(why, "unknown month '%s'", snip(ms, mn, q));
	if (dn && (dn > 2 || !all_digits(ds, dn)))
		return fail(why, "day '%s' is not a number of 1 or 2 digits", snip(ds, dn, q));
	if (!mn)
		snprintf(buf, sizeof(buf), "%.4s", ys);
	else if (!dn)
		snprintf(buf, sizeof(buf), "%.4s-%02u", ys, m);
	else
		snprintf(buf, sizeof(buf), "%.4s-%02u-%.*s", ys, m, (int)dn, ds);
	return norm_date(buf, NORM_DATE_ISO, out, why);
}

int norm_date_order_parse(const char *name, enum norm_date_order *order)
{
	size_t n = name ? strlen(name) : 0;

	if (eq_ci(name, n, "iso"))
		*order = NORM_DATE_ISO;
	else if (eq_ci(name, n, "dmy"))
		*order = NORM_DATE_DMY;
	else if (eq_ci(name, n, "mdy"))
		*order = NORM_DATE_MDY;
	else
		return -1;
	return 0;
}

/* ======================================================================
 * Identifiers
 * ====================================================================== */

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

/* ======================================================================
 * Vocabularies
 * ====================================================================== */

static const char *alias_find(const struct vocab_alias *t, size_t n,
			      const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i].key, key) == 0)
			return t[i].value;
	return NULL;
}


/*
 * Append an unrecognised vocabulary value: lower-cased, and a CamelCase
 * ASCII word (an unmapped DDEX value) split into words first:
 * "PhotographyDirector" -> "photography director", "AAndRAdministrator"
 * -> "a and r administrator", "DJ" -> "dj".
 */
static int add_unknown(struct buf *out, const char *s, size_t n, char *why)
{
	size_t i;
	int camel = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!is_alpha(c) && !is_digit(c))
			return add_nfc(out, s, n, 1, why);
		if (i > 0 && c >= 'A' && c <= 'Z' && s[i - 1] >= 'a' &&
		    s[i - 1] <= 'z')
			camel = 1;
	}
	for (i = 0; i < n; i++) {
		int up = s[i] >= 'A' && s[i] <= 'Z';
		int prev_low = i > 0 && !(s[i - 1] >= 'A' && s[i - 1] <= 'Z');
		int next_low = i + 1 < n && s[i + 1] >= 'a' && s[i + 1] <= 'z';

		if (camel && i > 0 && up && (prev_low || next_low))
			buf_addch(out, ' ');
		buf_addch(out, to_lower((unsigned char)s[i]));
	}
	return 0;
}

/*
 * Shared shape of norm_pro, norm_role and norm_instrument_category: check
 * the text, look it up, append the canonical value or the text.
 */
static int vocab(const char *in, size_t max,
		 const char *(*lookup)(const char *), int lower_unknown,
		 struct buf *out, int *known, char *why)
{
	struct buf t = BUF_INIT;
	char key[SQUASH_SIZE];
	const char *v = NULL;
	size_t mark = out->len;
	int r;

	if (known)
		*known = 0;
	r = text_field(in, max, &t, why);
	if (r != 0)
		goto out;
	if (squash(t.data, t.len, key) != (size_t)-1)
		v = lookup(key);
	if (v && *v == '\0') {
		r = NORM_EMPTY;
	} else if (v) {
		buf_adds(out, v);
		if (known)
			*known = 1;
	} else if (lower_unknown) {
		r = add_unknown(out, t.data, t.len, why);
		if (r == 0)
			r = check_length(out->data + mark, out->len - mark, max,
					 why);
		if (r < 0)
			buf_setlen(out, mark);
	} else {
		buf_add(out, t.data, t.len);
	}
out:
	buf_release(&t);
	return r;
}

/* ---- Performing rights organizations ---- */

static const char *pro_key_lookup(const char *key)
{
	size_t i, n = strlen(key);
	int code;

	if (n >= 1 && n <= 3 && all_digits(key, n)) {
		code = atoi(key);
		for (i = 0; i < vocab_pro_codes_count; i++)
			if (vocab_pro_codes[i].code == code)
				return vocab_pro_codes[i].name;
		return NULL;
	}
	return alias_find(vocab_pro_names, vocab_pro_names_count, key);
}

int norm_pro(const char *in, struct buf *out, int *known, char *why)
{
	return vocab(in, NORM_MAX_PRO, pro_key_lookup, 0, out, known, why);
}

/* ---- Creator roles ---- */

static const char *role_lookup(const char *key)
{
	return alias_find(vocab_roles, vocab_roles_count, key);
}

int norm_role(const char *in, struct buf *out, int *known, char *why)
{
	return vocab(in, NORM_MAX_ROLE, role_lookup, 1, out, known, why);
}

/* ---- Instrument categories ---- */

/*
 * Does the word w[0..n), squash()ed, equal key?  Compared as it is
 * squashed, so that most words stop at their first letter.
 */
static int squashed_is(const char *w, size_t n, const char *key)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];

		if (c < 0x80 && !is_alpha(c) && !is_digit(c))
			continue;
		if (key[k] != (char)(c < 0x80 ? to_lower(c) : c))
			return 0;
		k++;
	}
	return key[k] == '\0';
}

/* Is key (squash()ed) one of the space-separated DDEX names? */
static int in_name_list(const char *names, const char *key)
{
	const char *p = names, *e;

	while (*p) {
		e = strchr(p, ' ');
		if (!e)
			e = p + strlen(p);
		if (squashed_is(p, (size_t)(e - p), key))
			return 1;
		p = *e ? e + 1 : e;
	}
	return 0;
}

static const char *instrument_lookup(const char *key)
{
	const char *v = alias_find(vocab_instrument_words,
				   vocab_instrument_words_count, key);
	size_t i;

	if (v || *key == '\0')
		return v;
	for (i = 0; i < vocab_ddex_instruments_count; i++)
		if (in_name_list(vocab_ddex_instruments[i].names, key))
			return vocab_ddex_instruments[i].category;
	if (in_name_list(vocab_ddex_no_category, key))
		return NULL;
	for (i = 0; i < vocab_instrument_keywords_count; i++)
		if (strstr(key, vocab_instrument_keywords[i].key))
			return vocab_instrument_keywords[i].value;
	return NULL;
}

int norm_instrument_category(const char *in, struct buf *out, int *known,
			     char *why)
{
	return vocab(in, NORM_MAX_CATEGORY, instrument_lookup, 1, out, known,
		     why);
}

/* ---- ID3 genres ---- */

/*
 * One ID3 reference: "17", "RX", "CR" (s[0..n) without the parentheses).
 * Returns the name, "" for 255, NULL when not a reference; -1 in *code
 * when out of range.
 */
static const char *id3_ref(const char *s, size_t n, int *code)
{
	*code = 0;
	if (n == 2 && memcmp(s, "RX", 2) == 0)
		return "Remix";
	if (n == 2 && memcmp(s, "CR", 2) == 0)
		return "Cover";
	if (n < 1 || n > 3 || !all_digits(s, n))
		return NULL;
	*code = (s[0] - '0');
	if (n > 1)
		*code = *code * 10 + (s[1] - '0');
	if (n > 2)
		*code = *code * 10 + (s[2] - '0');
	if (*code == 255)
		return "";
	return *code <= 191 ? vocab_id3_genres[*code] : "?";
}

/* Leading "(17)(RX)..." references; *name gets the first one's name. */
static size_t id3_refs(const char *s, size_t n, const char **name, int *code)
{
	const char *close, *v;
	size_t i = 0;
	int c;

	*name = NULL;
	while (i + 1 < n && s[i] == '(' && s[i + 1] != '(') {
		close = memchr(s + i, ')', n - i);
		if (!close)
			break;
		v = id3_ref(s + i + 1, (size_t)(close - s) - i - 1, &c);
		if (!v)
			break;
		if (!*name) {
			*name = v;
			*code = c;
		}
		i = (size_t)(close - s) + 1;
	}
	return i;
}

int norm_genre_id3(const char *in, struct buf *out, char *why)
{
	struct buf t = BUF_INIT;
	const char *s, *name = NULL;
	size_t n, used;
	int r, code = 0;

	r = text_field(in, 0, &t, why);
	if (r != 0)
		goto out;
	s = t.data;
	n = t.len;
	used = id3_refs(s, n, &name, &code);
	s += used;
	n -= used;
	trim(&s, &n);
	if (used == 0)
		name = id3_ref(s, n, &code);
	if (n > 0 && (used > 0 || !name)) {
		if (n >= 2 && s[0] == '(' && s[1] == '(')
			s++, n--;
		name = NULL;
	}
	if (name && *name == '?')
		r = fail(why, "unknown ID3 genre code %d", code);
	else if (name && *name == '\0')
		r = NORM_EMPTY;
	else if (name)
		buf_adds(out, name);
	else if (check_length(s, n, NORM_MAX_GENRE, why) < 0)
		r = -1;
	else
		buf_add(out, s, n);
out:
	buf_release(&t);
	return r;
}

/* ---- Arrangement section names ---- */

int norm_section_name(const char *in, struct buf *out, char *why)
{
	struct buf t = BUF_INIT;
	char key[SQUASH_SIZE];
	const char *v = NULL;
	size_t mark = out->len;
	int r;

	r = text_field(in, 0, &t, why);
	if (r != 0)
		goto out;
	if (squash(t.data, t.len, key) != (size_t)-1)
		v = alias_find(vocab_section_names,
			       vocab_section_names_count, key);
	if (v) {
		buf_adds(out, v);
		goto out;
	}
	r = add_nfc(out, t.data, t.len, 1, why);
	if (r == 0)
		r = check_length(out->data + mark, out->len - mark,
				 NORM_MAX_SECTION, why);
	if (r < 0)
		buf_setlen(out, mark);
out:
	buf_release(&t);
	return r;
}

/* ======================================================================
 * Lists
 * ====================================================================== */

void norm_list_init(struct norm_list *l)
{
	buf_init(&l->items);
	l->count = 0;
}

void norm_list_reset(struct norm_list *l)
{
	buf_reset(&l->items);
	l->count = 0;
}

void norm_list_release(struct norm_list *l)
{
	buf_release(&l->items);
	l->count = 0;
}

void norm_list_add(struct norm_list *l, const char *s, size_t len)
{
	buf_add(&l->items, s, len);
	buf_addch(&l->items, '\0');
	l->count++;
}

const char *norm_list_next(const struct norm_list *l, const char *prev)
{
	const char *p, *end = l->items.data + l->items.len;

	if (!prev)
		p = l->items.data;
	else
		p = prev + strlen(prev) + 1;
	return p < end ? p : NULL;
}

static int list_has(const struct norm_list *l, const char *s, size_t n)
{
	const char *p;

	for (p = norm_list_next(l, NULL); p; p = norm_list_next(l, p))
		if (strlen(p) == n && memcmp(p, s, n) == 0)
			return 1;
	return 0;
}

/*
 * Add item s[0..n) (trimmed here) unless empty or already there, after
 * lower-casing when lower is set.  Refuses items over max characters.
 */
static int list_item(struct norm_list *l, const char *s, size_t n, int lower,
		     size_t max, struct buf *tmp, char *why)
{
	char q[SNIP_SIZE];
	size_t chars;

	trim(&s, &n);
	if (n == 0)
		return 0;
	buf_reset(tmp);
	if (add_nfc(tmp, s, n, lower, why) < 0)
		return -1;
	chars = norm_utf8_chars(tmp->data, tmp->len);
	if (max && chars > max)
		return fail(why, "item '%s' has %zu characters, "
			    "column allows %zu", snip(tmp->data, tmp->len, q),
			    chars, max);
	if (!list_has(l, tmp->data, tmp->len))
		norm_list_add(l, tmp->data, tmp->len);
	return 0;
}

/* Restore a list to an earlier length and count after a failure. */
static void list_undo(struct norm_list *l, size_t len, size_t count)
{
	buf_setlen(&l->items, len);
	l->count = count;
}

int norm_list(const char *in, unsigned flags, size_t max_item_chars,
	      struct norm_list *out, char *why)
{
	struct buf t = BUF_INIT, tmp = BUF_INIT;
	size_t len = out->items.len, count = out->count, i, start = 0;
	int r;

	r = text_field(in, 0, &t, why);
	for (i = 0; r == 0 && i <= t.len; i++) {
		if (i < t.len && t.data[i] != ';' &&
		    !(t.data[i] == ',' && (flags & NORM_LIST_COMMA)))
			continue;
		r = list_item(out, t.data + start, i - start, 1, max_item_chars,
			      &tmp, why);
		start = i + 1;
	}
	if (r < 0)
		list_undo(out, len, count);
	else if (out->count == count)
		r = NORM_EMPTY;
	buf_release(&t);
	buf_release(&tmp);
	return r;
}

/* Length of an artist separator at s[0..n), or 0. */
static size_t artist_sep(const char *s, size_t n)
{
	static const char *const seps[] = {
		" / ", " ; ", " & ", " feat. ", " ft. ", " featuring "
	};
	size_t i, k;

	for (i = 0; i < sizeof(seps) / sizeof(seps[0]); i++) {
		k = strlen(seps[i]);
		if (starts_ci(s, n, seps[i]))
			return k;
	}
	return 0;
}

int norm_artists(const char *in, size_t max_item_chars, struct norm_list *out,
		 char *why)
{
	struct buf t = BUF_INIT, tmp = BUF_INIT;
	size_t len = out->items.len, count = out->count, i = 0, start = 0, k;
	int r;

	r = text_field(in, 0, &t, why);
	while (r == 0 && i <= t.len) {
		k = i < t.len ? artist_sep(t.data + i, t.len - i) : 1;
		if (k == 0) {
			i++;
			continue;
		}
		r = list_item(out, t.data + start, i - start, 0, max_item_chars,
			      &tmp, why);
		i += k;
		start = i;
	}
	if (r < 0)
		list_undo(out, len, count);
	else if (out->count == count)
		r = NORM_EMPTY;
	buf_release(&t);
	buf_release(&tmp);
	return r;
}
