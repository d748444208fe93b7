/*
 * Fuzz target: every normalize function.  The first byte picks the
 * function, the rest is its input (text, or for the functions of numbers
 * the bytes read as numbers).  A value a function accepts must be
 * accepted again, unchanged, when given back (canonical forms are fixed
 * points), and nothing may crash, leak or read out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blendcat/normalize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef int fixed_fn(const char *in, char *out, char *why);

static int fx_isrc(const char *in, char *out, char *why) { return norm_isrc(in, out, why); }
static int fx_ipi(const char *in, char *out, char *why) { return norm_ipi(in, out, why); }
static int fx_gtin(const char *in, char *out, char *why) { return norm_gtin(in, out, why); }
static int fx_isni(const char *in, char *out, char *why) { return norm_isni(in, out, why); }
static int fx_scale(const char *in, char *out, char *why) { return norm_scale(in, out, why); }
static int fx_date(const char *in, char *out, char *why)
{
	return norm_date(in, NORM_DATE_DMY, out, why);
}

static int fx_iswc(const char *in, char *out, char *why)
{
	char display[NORM_ISWC_DISPLAY_SIZE], again[NORM_ISWC_SIZE];
	int rc = norm_iswc(in, out, display, why);

	/* The display form reads back as the same code. */
	if (rc == 0 && (norm_iswc(display, again, NULL, why) != 0 || strcmp(again, out) != 0))
		abort();
	return rc;
}

static fixed_fn *const fixed[] = { fx_isrc, fx_ipi, fx_gtin, fx_isni, fx_scale, fx_date,
				   fx_iswc };
#define NFIXED (sizeof(fixed) / sizeof(fixed[0]))

/* out must normalize to itself. */
static void check_fixed(fixed_fn *fn, const char *in)
{
	char out[64], again[64], why[NORM_WHY_MAX];

	if (fn(in, out, why) != 0)
		return;
	if (fn(out, again, why) != 0 || strcmp(out, again) != 0)
		abort();
}

static void check_buf_fns(const char *s, size_t len)
{
	struct buf b = BUF_INIT;
	struct norm_list l = NORM_LIST_INIT;
	char why[NORM_WHY_MAX], key[NORM_KEY_SIZE], scale[NORM_SCALE_SIZE];
	char split[NORM_SPLIT_SIZE];
	int v, known, expl;

	norm_text(s, len, NORM_TEXT_TRIM | NORM_TEXT_MULTILINE, 255, &b, why);
	buf_reset(&b);
	/* A canonical PRO name is its own canonical name. */
	if (norm_pro(s, &b, &known, why) == 0 && known) {
		struct buf again = BUF_INIT;

		if (norm_pro(b.data, &again, &v, why) != 0 || !v || strcmp(again.data, b.data) != 0)
			abort();
		buf_release(&again);
	}
	norm_role(s, &b, &known, why);
	norm_instrument_category(s, &b, &known, why);
	norm_genre_id3(s, &b, why);
	norm_section_name(s, &b, why);
	norm_catalog_number(s, &b, why);
	norm_tempo(s, &v, why);
	norm_duration(s, 0, &v, why);
	norm_bool(s, &v, why);
	norm_split(s, &v, split, why);
	norm_key(s, key, scale, &expl, why);
	norm_list(s, NORM_LIST_COMMA, 100, &l, why);
	norm_list_reset(&l);
	norm_artists(s, 255, &l, why);
	norm_list_release(&l);
	buf_release(&b);
	{
		enum norm_date_order order;

		norm_date_order_parse(s, &order);
	}
}

/* Little-endian 16-bit signed numbers from the input. */
static int num(const uint8_t *d, size_t n, size_t i)
{
	if (2 * i + 1 >= n)
		return 0;
	return (int16_t)(d[2 * i] | d[2 * i + 1] << 8);
}

static void check_number_fns(const uint8_t *d, size_t n)
{
	char key[NORM_KEY_SIZE], scale[NORM_SCALE_SIZE], why[NORM_WHY_MAX];
	char key2[NORM_KEY_SIZE], scale2[NORM_SCALE_SIZE];
	int rc;

	rc = norm_key_pitch(num(d, n, 0), num(d, n, 1), key, scale, why);
	if (rc == 0 && (!key[0] || norm_key(key, key2, scale2, &rc, why) != 0 ||
			strcmp(key, key2) != 0))
		abort();	/* a key made from a pitch class reads back */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	size_t which;

	if (size < 1)
		return 0;
	which = data[0] % (NFIXED + 2);
	if (which == NFIXED + 1) {
		check_number_fns(data + 1, size - 1);
		return 0;
	}
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	if (which < NFIXED)
		check_fixed(fixed[which], s);
	else
		check_buf_fns(s, strlen(s));
	free(s);
	return 0;
}
