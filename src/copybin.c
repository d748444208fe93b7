/*
 * copybin: rows in COPY's binary format; see include/blendcat/copybin.h.
 * Each type's bytes are what its receive function reads (PostgreSQL's
 * int4recv, date_recv, numeric_recv, array_recv, uuid_recv...).
 */
#include "blendcat/copybin.h"
#include "blendcat/normalize.h"

#include <limits.h>
#include <string.h>

/* varchar's type OID (pg_type.dat): array_recv checks the element type. */
#define VARCHAROID 1043
/* PostgreSQL's dates count days from 2000-01-01; that day is this many after 1970-01-01. */
#define PG_EPOCH_DAYS 10957
/* numeric's digits are base 10000, four decimal digits each. */
#define NBASE_DIGITS 4
#define NUMERIC_MAX_GROUPS 64

/*
 * Room for n more bytes at the end of b, counted in its length: fields are
 * written in place, not through a memcpy per number (a row is a few
 * dozen of them).
 */
static unsigned char *room(struct buf *b, size_t n)
{
	unsigned char *p;

	if (n >= b->cap - b->len)
		buf_grow(b, n);
	p = (unsigned char *)b->data + b->len;
	b->len += n;
	b->data[b->len] = '\0';
	return p;
}

static unsigned char *be16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
	return p + 2;
}

static unsigned char *be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
	return p + 4;
}

static void put16(struct buf *b, uint16_t v)
{
	be16(room(b, 2), v);
}

static void put32(struct buf *b, uint32_t v)
{
	be32(room(b, 4), v);
}

void copybin_header(struct buf *b)
{
	static const char sig[11] = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', '\377', '\r', '\n', '\0' };

	buf_add(b, sig, sizeof(sig));
	put32(b, 0);	/* flags: no OIDs */
	put32(b, 0);	/* header extension: none */
}

void copybin_trailer(struct buf *b)
{
	put16(b, 0xFFFF);
}

void copybin_row(struct buf *b, int nfields)
{
	put16(b, (uint16_t)nfields);
}

void copybin_null(struct buf *b)
{
	put32(b, 0xFFFFFFFFu);
}

void copybin_bool(struct buf *b, int v)
{
	*be32(room(b, 5), 1) = v ? 1 : 0;
}

void copybin_int2(struct buf *b, int16_t v)
{
	be16(be32(room(b, 6), 2), (uint16_t)v);
}

void copybin_int4(struct buf *b, int32_t v)
{
	be32(be32(room(b, 8), 4), (uint32_t)v);
}

void copybin_int8(struct buf *b, int64_t v)
{
	unsigned char *p = be32(room(b, 12), 8);

	be32(be32(p, (uint32_t)((uint64_t)v >> 32)), (uint32_t)v);
}

void copybin_uuid(struct buf *b, const unsigned char u[16])
{
	memcpy(be32(room(b, 20), 16), u, 16);
}

static void put_text(struct buf *b, const char *s, size_t len)
{
	unsigned char *p = be32(room(b, 4 + len), (uint32_t)len);

	if (len)
		memcpy(p, s, len);
}

void copybin_text(struct buf *b, const char *s)
{
	if (!s)
		copybin_null(b);
	else
		put_text(b, s, strlen(s));
}

/* ------------------------------------------------------- typed values */

/* An optionally signed decimal integer, the whole of s, into *v. */
static int parse_int(const char *s, long long min, long long max, long long *v)
{
	const char *p = s;
	int neg = *p == '-';
	unsigned long long u = 0;

	if (neg)
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (u > (unsigned long long)LLONG_MAX / 10)
			return -1;
		u = u * 10 + (unsigned)(*p - '0');
	}
	if (*p || u > (unsigned long long)LLONG_MAX)
		return -1;
	*v = neg ? -(long long)u : (long long)u;
	return *v < min || *v > max ? -1 : 0;
}

/* "YYYY-MM-DD" as days from 2000-01-01. */
static int put_date(struct buf *b, const char *s)
{
	long long y, m, d;
	char part[3][16];
	const char *p = s;
	int i;

	for (i = 0; i < 3; i++) {
		size_t n = strspn(p, "0123456789");

		if (n == 0 || n >= sizeof(part[i]) || p[n] != (i < 2 ? '-' : '\0'))
			return -1;
		memcpy(part[i], p, n);
		part[i][n] = '\0';
		p += n + (i < 2);
	}
	if (parse_int(part[0], 1, 9999, &y) < 0 || parse_int(part[1], 1, 12, &m) < 0 ||
	    parse_int(part[2], 1, 31, &d) < 0)
		return -1;
	copybin_int4(b, (int32_t)(norm_days_from_civil((long)y, (unsigned)m, (unsigned)d) -
				  PG_EPOCH_DAYS));
	return 0;
}

/*
 * "[-]digits[.digits]" as numeric: its digits in groups of four from the
 * decimal point out (base 10000), the first group's weight, the sign and
 * the number of decimals.  numeric_recv strips zero groups and applies
 * the column's precision and scale.
 */
static int put_numeric(struct buf *b, const char *s)
{
	uint16_t group[NUMERIC_MAX_GROUPS];
	const char *p = s, *whole, *frac = "";
	size_t nwhole, nfrac = 0, i, ng = 0, lead;
	int neg = *p == '-';

	if (neg)
		p++;
	whole = p;
	nwhole = strspn(whole, "0123456789");
	if (nwhole == 0)
		return -1;
	p += nwhole;
	if (*p == '.') {
		frac = p + 1;
		nfrac = strspn(frac, "0123456789");
		p = frac + nfrac;
	}
	if (*p || (nwhole + NBASE_DIGITS - 1) / NBASE_DIGITS +
			  (nfrac + NBASE_DIGITS - 1) / NBASE_DIGITS > NUMERIC_MAX_GROUPS)
		return -1;
	/* The whole part, padded on the left to whole groups. */
	lead = (NBASE_DIGITS - nwhole % NBASE_DIGITS) % NBASE_DIGITS;
	for (i = 0; i < nwhole; ng++) {
		unsigned v = 0;
		size_t k;

		for (k = ng == 0 ? lead : 0; k < NBASE_DIGITS; k++)
			v = v * 10 + (unsigned)(whole[i++] - '0');
		group[ng] = (uint16_t)v;
	}
	/* The decimals, padded on the right. */
	for (i = 0; i < nfrac; ng++) {
		unsigned v = 0;
		size_t k;

		for (k = 0; k < NBASE_DIGITS; k++)
			v = v * 10 + (unsigned)(i < nfrac ? frac[i++] - '0' : 0);
		group[ng] = (uint16_t)v;
	}
	put32(b, (uint32_t)(8 + 2 * ng));
	put16(b, (uint16_t)ng);
	put16(b, (uint16_t)(int16_t)((nwhole + lead) / NBASE_DIGITS - 1));	/* weight */
	put16(b, neg ? 0x4000 : 0x0000);
	put16(b, (uint16_t)nfrac);						/* dscale */
	for (i = 0; i < ng; i++)
		put16(b, group[i]);
	return 0;
}

/*
 * A one-dimensional varchar array from the literal rec_pg_array_literal
 * writes: {a,b,"c d"}, a quoted element's '"' and '\' escaped by '\'.
 */
static int put_array(struct buf *b, const char *s)
{
	struct buf els = BUF_INIT, el = BUF_INIT;
	const char *p = s;
	uint32_t n = 0;
	int rc = -1;

	if (*p++ != '{')
		goto out;
	while (*p != '}') {
		if (n && *p++ != ',')
			goto out;
		buf_reset(&el);
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				buf_addch(&el, *p);
			}
			if (*p++ != '"')
				goto out;
		} else {
			size_t len = strcspn(p, ",}\"\\");

			if (len == 0)
				goto out;
			buf_add(&el, p, len);
			p += len;
		}
		put_text(&els, el.data, el.len);
		n++;
	}
	if (p[1])
		goto out;
	/* Dimensions, a NULL element or not, the element type; each dimension's size and lower bound. */
	put32(b, (uint32_t)(n ? 20 + els.len : 12));
	put32(b, n ? 1 : 0);
	put32(b, 0);
	put32(b, VARCHAROID);
	if (n) {
		put32(b, n);
		put32(b, 1);
		buf_add(b, els.data, els.len);
	}
	rc = 0;
out:
	buf_release(&els);
	buf_release(&el);
	return rc;
}

int copybin_value(struct buf *b, enum rec_type t, const char *s)
{
	long long v;

	if (!s) {
		copybin_null(b);
		return 0;
	}
	switch (t) {
	case RT_DURATION:
	case RT_SECONDS:
	case RT_TEMPO:
		if (parse_int(s, INT32_MIN, INT32_MAX, &v) < 0)
			return -1;
		copybin_int4(b, (int32_t)v);
		return 0;
	case RT_COUNT:
		if (parse_int(s, LLONG_MIN, LLONG_MAX, &v) < 0)
			return -1;
		copybin_int8(b, (int64_t)v);
		return 0;
	case RT_BOOL:
		if (strcmp(s, "true") != 0 && strcmp(s, "false") != 0)
			return -1;
		copybin_bool(b, s[0] == 't');
		return 0;
	case RT_DATE:
		return put_date(b, s);
	case RT_SPLIT:
	case RT_SCORE:
		return put_numeric(b, s);
	case RT_MOODS:
	case RT_TAGS:
		return put_array(b, s);
	default:
		copybin_text(b, s);
		return 0;
	}
}
