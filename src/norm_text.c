/*
 * norm_text: text (UTF-8 checks, control characters, NFC with utf8proc,
 * column limits), the vocabularies' matching (PRO, role, instrument
 * category, ID3 genre, section name; their tables are in norm_vocab.c)
 * and lists (moods, tags, artists).  Part of normalize: the contract is
 * include/blendcat/normalize.h.
 */
#include "blendcat/normalize.h"
#include "blendcat/norm_internal.h"
#include "blendcat/norm_vocab.h"
#include "blendcat/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

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

/* Refuse a value of chars characters when the column allows max (0: no limit). */
static int check_chars(size_t chars, size_t max, char *why)
{
	if (max && chars > max)
		return fail(why, "value has %zu characters, column allows %zu",
			    chars, max);
	return 0;
}

static int check_length(const char *s, size_t n, size_t max, char *why)
{
	return max ? check_chars(norm_utf8_chars(s, n), max, why) : 0;
}

/*
 * Is in[0..len) printable ASCII (tab, LF and CR too when multiline)?
 * Then it is valid UTF-8 in NFC without a control character, a character
 * a byte: most values of a catalog, checked in one pass.
 */
static int plain_ascii(const char *in, size_t len, unsigned flags)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7E) {
			if (!(flags & NORM_TEXT_MULTILINE) ||
			    (s[i] != '\t' && s[i] != '\n' && s[i] != '\r'))
				return 0;
		}
	return 1;
}

int norm_text(const char *in, size_t len, unsigned flags, size_t max_chars,
	      struct buf *out, char *why)
{
	const char *s = in;
	size_t n = len, mark = out->len;

	if (plain_ascii(in, len, flags)) {
		/* The checks below, which all pass, in one pass. */
		if (flags & NORM_TEXT_TRIM)
			trim(&s, &n);
		if (n == 0)
			return NORM_EMPTY;
		if (check_chars(n, max_chars, why) < 0)	/* a character a byte */
			return -1;
		buf_add(out, s, n);
		return 0;
	}
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
 * Vocabularies
 * ====================================================================== */

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

static const char *alias_find(const struct vocab_alias *t, size_t n,
			      const char *key)
{
	size_t i;

	/* The first byte first: most keys differ there, and this runs per row. */
	for (i = 0; i < n; i++)
		if (t[i].key[0] == key[0] && strcmp(t[i].key, key) == 0)
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
