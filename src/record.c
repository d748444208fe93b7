/*
 * record: catalog records, field normalization and COPY encoding; see
 * include/blendcat/record.h.
 */
#include "blendcat/record.h"
#include "blendcat/xalloc.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------- the model */

static const struct rec_field track_fields[] = {
	{ "audio_filename", RT_FILENAME, 255, RF_NOTNULL },
	{ "title", RT_LINE, 255, RF_NOTNULL | RF_NEW },
	{ "artist", RT_LINE, 255, 0 },
	{ "duration", RT_DURATION, 0, RF_NOTNULL | RF_NEW },
	{ "tempo", RT_TEMPO, 0, 0 },
	{ "musical_key", RT_KEY, 10, 0 },
	{ "scale", RT_SCALE, 10, 0 },
	{ "genre", RT_LINE, 100, 0 },
	{ "subgenre", RT_LINE, 100, 0 },
	{ "mood", RT_MOODS, NORM_MAX_MOOD_ITEM, 0 },
	{ "tags", RT_TAGS, NORM_MAX_TAG_ITEM, 0 },
	{ "description", RT_TEXT, 0, 0 },
	{ "cover_art_url", RT_URL, 500, 0 },
	{ "catalog_number", RT_CATALOG, 50, 0 },
	{ "isrc", RT_ISRC, 20, 0 },
	{ "release_date", RT_DATE, 0, 0 },
	{ "popularity_score", RT_SCORE, 0, RF_EXTRA },
	{ "play_count", RT_COUNT, 0, RF_EXTRA },
};

static const struct rec_field creator_fields[] = {
	{ "audio_filename", RT_FILENAME, 255, RF_NOTNULL },
	{ "creator_name", RT_LINE, 255, RF_NOTNULL },
	{ "role", RT_ROLE, 100, 0 },
	{ "ipi_number", RT_IPI, 20, 0 },
	{ "pro", RT_PRO, 100, 0 },
	{ "split_percentage", RT_SPLIT, 0, 0 },
	{ "contact_email", RT_EMAIL, 255, 0 },
	{ "contact_phone", RT_PHONE, 50, 0 },
};

static const struct rec_field instrument_fields[] = {
	{ "audio_filename", RT_FILENAME, 255, RF_NOTNULL },
	{ "instrument_category", RT_CATEGORY, 100, 0 },
	{ "instrument_type", RT_LINE, 100, 0 },
	{ "is_primary", RT_BOOL, 0, 0 },
};

static const struct rec_field arrangement_fields[] = {
	{ "audio_filename", RT_FILENAME, 255, RF_NOTNULL },
	{ "section_name", RT_SECTION, 50, RF_NOTNULL },
	{ "start_time", RT_SECONDS, 0, RF_NOTNULL },
	{ "end_time", RT_SECONDS, 0, RF_NOTNULL },
	{ "description", RT_TEXT, 0, 0 },
};

static const struct rec_field sample_fields[] = {
	{ "audio_filename", RT_FILENAME, 255, RF_NOTNULL },
	{ "sample_pack_name", RT_LINE, 255, 0 },
	{ "sample_description", RT_TEXT, 0, 0 },
	{ "is_cleared", RT_BOOL, 0, 0 },
	{ "clearance_notes", RT_TEXT, 0, 0 },
};

#define KIND(name, file, table, f) { name, file, table, sizeof(f) / sizeof(f[0]), f }

const struct rec_kind_def rec_kinds[REC_NKINDS] = {
	KIND("track", "tracks.csv", "track_info", track_fields),
	KIND("creator", "creators.csv", "track_creator", creator_fields),
	KIND("instrument", "instruments.csv", "track_instrument", instrument_fields),
	KIND("arrangement", "arrangement.csv", "track_arrangement", arrangement_fields),
	KIND("sample", "samples.csv", "track_sample", sample_fields),
};

int rec_field_index(enum rec_kind k, const char *name)
{
	size_t i;

	for (i = 0; i < rec_kinds[k].nfields; i++)
		if (strcmp(rec_kinds[k].fields[i].name, name) == 0)
			return (int)i;
	return -1;
}

int rec_field_takes_null_marker(enum rec_kind k, int i)
{
	const struct rec_field *f = &rec_kinds[k].fields[i];

	return f->type != RT_LINE && f->type != RT_TEXT && f->type != RT_FILENAME &&
	       !(f->flags & (RF_NOTNULL | RF_NEW));
}

/* ------------------------------------------------------------ lifecycle */

void rec_init(struct rec *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->store);
	buf_init(&r->tmp);
	buf_init(&r->parts);
	norm_list_init(&r->list);
	rec_reset(r, REC_TRACK);
}

void rec_reset(struct rec *r, enum rec_kind k)
{
	size_t i;

	r->kind = k;
	r->given = 0;
	r->weak = 0;
	for (i = 0; i < REC_MAX_FIELDS; i++)
		r->off[i] = -1;
	buf_reset(&r->store);
	r->bad_field = -1;
	r->why[0] = '\0';
	r->warn[0] = '\0';
	r->key_scale[0] = '\0';
	r->key_scale_explicit = 0;
	r->by_isrc[0] = '\0';
	r->by_isrc_field = NULL;
	r->no_duration = NULL;
}

void rec_copy(struct rec *dst, const struct rec *src)
{
	rec_reset(dst, src->kind);
	dst->given = src->given;
	dst->weak = src->weak;
	memcpy(dst->off, src->off, sizeof(dst->off));
	buf_add(&dst->store, src->store.data, src->store.len);
	memcpy(dst->by_isrc, src->by_isrc, sizeof(dst->by_isrc));
	dst->by_isrc_field = src->by_isrc_field;
	dst->no_duration = src->no_duration;
}

void rec_release(struct rec *r)
{
	buf_release(&r->store);
	buf_release(&r->tmp);
	buf_release(&r->parts);
	norm_list_release(&r->list);
}

/* ------------------------------------------------------------ setting */

static int fail(struct rec *r, int i)
{
	r->bad_field = i;
	return -1;
}

/* Keep store[start..] as field i's value, NUL-terminated. */
static int keep(struct rec *r, int i, size_t start)
{
	r->off[i] = (int)start;
	buf_addch(&r->store, '\0');
	return 0;
}

/* Replace store[start..] by s and keep it. */
static int keep_str(struct rec *r, int i, size_t start, const char *s)
{
	buf_setlen(&r->store, start);
	buf_adds(&r->store, s);
	return keep(r, i, start);
}

/* The same for v in decimal (buf_add_ll: a row's numbers pass here, snprintf cost more). */
static int keep_int(struct rec *r, int i, size_t start, int v)
{
	buf_setlen(&r->store, start);
	buf_add_ll(&r->store, v);
	return keep(r, i, start);
}

static int check_filename(struct rec *r, const char *s)
{
	if (strchr(s, '/') || strchr(s, '\\')) {
		snprintf(r->why, sizeof(r->why), "must be a file name without a directory");
		return -1;
	}
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0) {
		snprintf(r->why, sizeof(r->why), "'%s' is not a file name", s);
		return -1;
	}
	return 0;
}

static int check_email(struct rec *r, const char *s)
{
	const char *at = strchr(s, '@');

	if (!at || at == s || !at[1] || strchr(at + 1, '@') || strpbrk(s, " \t")) {
		snprintf(r->why, sizeof(r->why), "not an email address");
		return -1;
	}
	return 0;
}

/* NUMERIC(5,2) 0-999.99, at most two decimals (never rounded). */
static int parse_score(struct rec *r, const char *s, char out[32])
{
	const char *p = s;
	long whole = 0;
	int frac = 0, nd = 0;

	if (!isdigit((unsigned char)*p))
		goto bad;
	for (; isdigit((unsigned char)*p); p++)
		if ((whole = whole * 10 + (*p - '0')) > 999)
			goto bad;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++, nd++) {
			if (nd >= 2 && *p != '0')
				goto bad;
			if (nd < 2)
				frac = frac * 10 + (*p - '0');
		}
	if (*p)
		goto bad;
	if (nd == 1)
		frac *= 10;
	snprintf(out, 32, "%d.%02d", (int)whole, frac % 100);
	return 0;
bad:
	snprintf(r->why, sizeof(r->why), "expected a number from 0 to 999.99 with at most 2 decimals");
	return -1;
}

static int parse_count(struct rec *r, const char *s, char out[32])
{
	unsigned long long v = 0;
	const char *p = s;

	for (; isdigit((unsigned char)*p); p++) {
		if (v > (unsigned long long)LLONG_MAX / 10)
			goto bad;
		v = v * 10 + (unsigned)(*p - '0');
	}
	if (p == s || *p || v > (unsigned long long)LLONG_MAX)
		goto bad;
	snprintf(out, 32, "%llu", v);
	return 0;
bad:
	snprintf(r->why, sizeof(r->why), "expected a whole number from 0");
	return -1;
}

/* 9 to 11 digits, left-padded to 11 into out. */
static int ipi_digits(const char *s, char out[32])
{
	size_t n = strspn(s, "0123456789");

	if (s[n] || n < 9 || n > 11)
		return 0;
	memset(out, '0', 11 - n);
	memcpy(out + 11 - n, s, n);
	out[11] = '\0';
	return 1;
}

/* Typed values: s (NUL-terminated, at store[start]) becomes canonical. */
static int set_typed(struct rec *r, int i, size_t start, const struct rec_opts *o)
{
	const struct rec_field *f = &rec_kinds[r->kind].fields[i];
	char out[32];
	int v, rc, known = 1;
	const char *s;

	/* norm_* read s while we may write the store: work on a copy. */
	buf_reset(&r->tmp);
	buf_adds(&r->tmp, r->store.data + start);
	s = r->tmp.data;
	if (o && o->decimal_comma && (f->type == RT_TEMPO || f->type == RT_DURATION ||
				      f->type == RT_SECONDS || f->type == RT_SPLIT ||
				      f->type == RT_SCORE))
		norm_decimal_comma(r->tmp.data);
	switch (f->type) {
	case RT_DURATION:
	case RT_SECONDS:
		rc = norm_duration(s, f->type == RT_SECONDS ? NORM_DURATION_ZERO_OK : 0, &v, r->why);
		if (rc == NORM_EMPTY && f->type == RT_DURATION) {
			snprintf(r->why, sizeof(r->why), "duration must be more than 0 seconds");
			rc = -1;
		}
		if (rc == 0)
			return keep_int(r, i, start, v);
		break;
	case RT_TEMPO:
		rc = norm_tempo(s, &v, r->why);
		if (rc == 0)
			return keep_int(r, i, start, v);
		break;
	case RT_KEY: {
		char scale[NORM_SCALE_SIZE];

		rc = norm_key(s, out, scale, &r->key_scale_explicit, r->why);
		memcpy(r->key_scale, scale, sizeof(scale));
		break;
	}
	case RT_SCALE:
		rc = norm_scale(s, out, r->why);
		break;
	case RT_ISRC:
		rc = norm_isrc(s, out, r->why);
		break;
	case RT_DATE:
		rc = norm_date(s, o ? o->date_order : NORM_DATE_ISO, out, r->why);
		break;
	case RT_IPI:
		rc = norm_ipi(s, out, r->why);
		if (rc < 0 && ipi_digits(s, out)) {
			/*
			 * Well-formed but the check digits disagree: catalogs are full
			 * of these, and the number may still be the society's.  Keep it
			 * and say so, rather than lose the creator row.
			 */
			snprintf(r->warn, sizeof(r->warn), "IPI kept as given, but its %.100s", r->why);
			rc = 0;
		}
		break;
	case RT_SPLIT:
		rc = norm_split(s, NULL, out, r->why);
		break;
	case RT_BOOL:
		rc = norm_bool(s, &v, r->why);
		if (rc == 0)
			strcpy(out, v ? "true" : "false");
		break;
	case RT_SCORE:
		rc = parse_score(r, s, out);
		break;
	case RT_COUNT:
		rc = parse_count(r, s, out);
		break;
	case RT_FILENAME:
		rc = check_filename(r, s);
		if (rc == 0)
			return keep(r, i, start);
		break;
	case RT_EMAIL:
		rc = check_email(r, s);
		if (rc == 0)
			return keep(r, i, start);
		break;
	case RT_MOODS:
	case RT_TAGS:
		norm_list_reset(&r->list);
		rc = norm_list(s, f->type == RT_TAGS ? NORM_LIST_COMMA : 0, f->max, &r->list, r->why);
		if (rc == 0) {
			buf_setlen(&r->store, start);
			rec_pg_array_literal(&r->list, &r->store);
			return keep(r, i, start);
		}
		break;
	case RT_CATALOG:
	case RT_ROLE:
	case RT_PRO:
	case RT_CATEGORY:
	case RT_SECTION:
		buf_setlen(&r->store, start);
		rc = f->type == RT_CATALOG ? norm_catalog_number(s, &r->store, r->why) :
		     f->type == RT_ROLE ? norm_role(s, &r->store, &known, r->why) :
		     f->type == RT_PRO ? norm_pro(s, &r->store, &known, r->why) :
		     f->type == RT_CATEGORY ? norm_instrument_category(s, &r->store, &known, r->why) :
		     norm_section_name(s, &r->store, r->why);
		if (rc == 0) {
			if (!known)
				snprintf(r->warn, sizeof(r->warn), "unknown %s '%.60s', kept as given",
					 f->name, s);
			return keep(r, i, start);
		}
		break;
	default:
		return keep(r, i, start);
	}
	if (rc < 0)
		return fail(r, i);
	if (rc == NORM_EMPTY) {
		buf_setlen(&r->store, start);
		return 0;
	}
	return keep_str(r, i, start, out);
}

int rec_set(struct rec *r, int i, const char *raw, size_t len, const struct rec_opts *o)
{
	const struct rec_field *f = &rec_kinds[r->kind].fields[i];
	size_t start = r->store.len;
	int plain = f->type == RT_LINE || f->type == RT_TEXT || f->type == RT_URL ||
		    f->type == RT_PHONE || f->type == RT_FILENAME || f->type == RT_EMAIL;
	unsigned flags = NORM_TEXT_TRIM | (f->type == RT_TEXT ? NORM_TEXT_MULTILINE : 0);
	int rc;

	r->given |= 1ul << i;
	r->off[i] = -1;
	r->warn[0] = '\0';
	r->nulled = 0;
	rc = norm_text(raw, len, flags, plain ? f->max : 0, &r->store, r->why);
	if (rc < 0)
		return fail(r, i);
	if (rc == NORM_EMPTY)
		return 0;
	if (o && o->null_markers && rec_field_takes_null_marker(r->kind, i) &&
	    norm_null_marker(r->store.data + start, r->store.len - start, o->nulls, o->nnulls)) {
		snprintf(r->warn, sizeof(r->warn), "'%.64s' is a null marker: taken as empty",
			 r->store.data + start);
		buf_setlen(&r->store, start);
		r->nulled = 1;
		return 0;
	}
	if (f->type == RT_LINE || f->type == RT_TEXT || f->type == RT_URL || f->type == RT_PHONE)
		return keep(r, i, start);
	return set_typed(r, i, start, o);
}

/* ------------------------------------------------------- joined fields */

static int part_blank(const struct rec_part *p)
{
	size_t k;

	for (k = 0; k < p->len; k++)
		if (!strchr(" \t\r\n\v\f", p->data[k]))
			return 0;
	return 1;
}

/* The non-blank parts from..n joined with sep into r->parts. */
static void join_parts(struct rec *r, const struct rec_part *p, size_t from, size_t n, char sep)
{
	size_t k, used = 0;

	buf_reset(&r->parts);
	for (k = from; k < n; k++) {
		if (part_blank(&p[k]))
			continue;
		if (used++)
			buf_addch(&r->parts, sep);
		buf_add(&r->parts, p[k].data, p[k].len);
	}
}

/* KEY + MODE: an empty key is unknown, the mode still gives the scale. */
static int key_parts(struct rec *r, int i, const struct rec_part *p, size_t n,
		     const struct rec_opts *o)
{
	char scale[NORM_SCALE_SIZE];

	if (!part_blank(&p[0])) {
		join_parts(r, p, 0, n, ' ');
		return rec_set(r, i, r->parts.data, r->parts.len, o);
	}
	rec_set(r, i, "", 0, o);
	join_parts(r, p, 1, n, ' ');
	if (!r->parts.len)
		return 0;
	if (norm_scale(r->parts.data, scale, r->why) < 0)
		return fail(r, i);
	memcpy(r->key_scale, scale, sizeof(scale));
	r->key_scale_explicit = 1;
	return 0;
}

static int date_parts(struct rec *r, int i, const struct rec_part *p, size_t n,
		      const struct rec_opts *o)
{
	const char *s[3];
	char out[NORM_DATE_SIZE];
	size_t k, off[3];
	int dropped, rc;

	if (n > 3) {
		snprintf(r->why, sizeof(r->why), "a date in parts needs 2 or 3 parts, not %zu", n);
		return fail(r, i);
	}
	buf_reset(&r->parts);
	for (k = 0; k < n; k++) {
		off[k] = r->parts.len;
		buf_add(&r->parts, p[k].data, p[k].len);
		buf_addch(&r->parts, '\0');
	}
	for (k = 0; k < n; k++)
		s[k] = r->parts.data + off[k];
	rec_set(r, i, "", 0, o);
	rc = norm_date_parts(s, n, o ? o->date_order : NORM_DATE_ISO, out, &dropped, r->why);
	if (rc < 0)
		return fail(r, i);
	if (dropped)
		snprintf(r->warn, sizeof(r->warn), "%s", rc == NORM_EMPTY ?
			 "no year: the date's other parts are left out" :
			 "a day without a month: the year alone is kept");
	if (rc == 0)
		rec_set_value(r, i, out);
	return 0;
}

/* [H +] M + S -> "H:MM:SS" / "M:SS"; an empty part is 0. */
static int clock_parts(struct rec *r, int i, const struct rec_part *p, size_t n,
		       const struct rec_opts *o)
{
	size_t k;

	join_parts(r, p, 0, n, ':');
	if (!r->parts.len)
		return rec_set(r, i, "", 0, o);
	buf_reset(&r->parts);
	for (k = 0; k < n; k++) {
		struct rec_part t = p[k];

		while (t.len && strchr(" \t", t.data[0]))
			t.data++, t.len--;
		while (t.len && strchr(" \t", t.data[t.len - 1]))
			t.len--;
		if (k)
			buf_addch(&r->parts, ':');
		if (!t.len)
			buf_adds(&r->parts, k ? "00" : "0");
		else if (k && t.len == 1)
			buf_addch(&r->parts, '0');
		buf_add(&r->parts, t.data, t.len);
	}
	return rec_set(r, i, r->parts.data, r->parts.len, o);
}

int rec_set_parts(struct rec *r, int i, const struct rec_part *parts, size_t n,
		  const struct rec_opts *o)
{
	enum rec_type t = rec_kinds[r->kind].fields[i].type;

	if (n == 1)
		return rec_set(r, i, parts[0].data ? parts[0].data : "", parts[0].len, o);
	switch (t) {
	case RT_KEY:
		return key_parts(r, i, parts, n, o);
	case RT_DATE:
		return date_parts(r, i, parts, n, o);
	case RT_DURATION:
	case RT_SECONDS:
		return clock_parts(r, i, parts, n, o);
	default:
		join_parts(r, parts, 0, n, t == RT_MOODS || t == RT_TAGS ? ';' : ' ');
		return rec_set(r, i, r->parts.data, r->parts.len, o);
	}
}

void rec_set_value(struct rec *r, int i, const char *value)
{
	r->given |= 1ul << i;
	r->off[i] = -1;
	if (value) {
		size_t start = r->store.len;

		buf_adds(&r->store, value);
		keep(r, i, start);
	}
}

const char *rec_get(const struct rec *r, int i)
{
	return r->off[i] < 0 ? NULL : r->store.data + r->off[i];
}

/* ------------------------------------------------------------ the row */

static int finish_key(struct rec *r)
{
	const char *scale = rec_get(r, TF_SCALE);

	/* no key and no scale from its notation (a joined key's mode may give one) */
	if (!r->key_scale[0])
		return 0;
	if (scale && r->key_scale_explicit && strcmp(scale, r->key_scale) != 0) {
		snprintf(r->why, sizeof(r->why), "scale '%s' disagrees with the key, which says %s",
			 scale, r->key_scale);
		return fail(r, TF_SCALE);
	}
	/* A key notation's scale fills an empty scale; a bare tonic means major. */
	if (!scale)
		rec_set_value(r, TF_SCALE, r->key_scale);
	return 0;
}

static int finish_section(struct rec *r)
{
	const char *s = rec_get(r, AF_START_TIME), *e = rec_get(r, AF_END_TIME);

	if (s && e && atol(e) <= atol(s)) {
		snprintf(r->why, sizeof(r->why), "end %s is not after start %s", e, s);
		return fail(r, AF_END_TIME);
	}
	return 0;
}

int rec_finish(struct rec *r)
{
	const struct rec_kind_def *k = &rec_kinds[r->kind];
	size_t i;

	for (i = 0; i < k->nfields; i++)
		if ((k->fields[i].flags & RF_NOTNULL) && rec_given(r, (int)i) &&
		    !rec_get(r, (int)i)) {
			snprintf(r->why, sizeof(r->why), "missing value: %s is required",
				 k->fields[i].name);
			return fail(r, (int)i);
		}
	if (r->kind == REC_TRACK)
		return finish_key(r);
	if (r->kind == REC_ARRANGEMENT)
		return finish_section(r);
	return 0;
}

/* ------------------------------------------------------------- COPY */

/* Does a PostgreSQL array element need double quotes (array_out)? */
static int pg_needs_quotes(const char *s)
{
	const char *p;

	if (*s == '\0' || strcasecmp(s, "null") == 0)
		return 1;
	for (p = s; *p; p++)
		if (*p == '"' || *p == '\\' || *p == '{' || *p == '}' ||
		    *p == ',' || *p == ' ' || (*p >= '\t' && *p <= '\r'))
			return 1;	/* '\t' to '\r': tab, LF, VT, FF, CR */
	return 0;
}

void rec_pg_array_literal(const struct norm_list *l, struct buf *out)
{
	const char *p, *c;

	buf_addch(out, '{');
	for (p = norm_list_next(l, NULL); p; p = norm_list_next(l, p)) {
		if (p != l->items.data)
			buf_addch(out, ',');
		if (!pg_needs_quotes(p)) {
			buf_adds(out, p);
			continue;
		}
		buf_addch(out, '"');
		for (c = p; *c; c++) {
			if (*c == '"' || *c == '\\')
				buf_addch(out, '\\');
			buf_addch(out, *c);
		}
		buf_addch(out, '"');
	}
	buf_addch(out, '}');
}

void rec_copy_value(struct buf *out, const char *value)
{
	const char *p, *run;

	if (!value) {
		buf_add(out, "\\N", 2);
		return;
	}
	/* Runs without a byte to escape, found by strcspn (vectorized in libc). */
	for (run = value; *(p = run + strcspn(run, "\\\t\n\r")); run = p + 1) {
		const char *esc;

		switch (*p) {
		case '\\': esc = "\\\\"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		default: esc = "\\r"; break;
		}
		buf_add(out, run, (size_t)(p - run));
		buf_add(out, esc, 2);
	}
	buf_add(out, run, (size_t)(p - run));
}
