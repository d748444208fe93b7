/*
 * csvread: streaming RFC 4180 reader on top of libcsv; see
 * include/blendcat/csvread.h for the contract and the rules.
 *
 * Two stages.  libcsv's callbacks give no byte positions, so a scanner of
 * our own walks the input once with the RFC 4180 quote state: it finds
 * where each row ends, counts physical lines, notes structural errors and
 * copies the row's bytes into r->raw (up to max_row).  The complete row,
 * without its terminator, is then checked (UTF-8) or converted (iconv)
 * and handed to libcsv in strict mode, which splits and unquotes the
 * fields.  libcsv never sees a row boundary, so the two stages cannot
 * disagree about where rows end; on a row the scanner found valid they
 * must also agree on the field count, else CSVREAD_EINTERNAL.
 *
 * A valid row without any quote skips libcsv (split_plain): there is
 * nothing to unquote, and libcsv's byte loop was two thirds of the time.
 */
#include "blendcat/csvread.h"
#include "blendcat/buf.h"
#include "blendcat/xalloc.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* Scanner states. */
enum {
	ST_FIELD,	/* at the start of a field */
	ST_UNQ,		/* inside an unquoted field */
	ST_QUO,		/* inside a quoted field */
	ST_QQ,		/* quote seen inside a quoted field: closing or "" */
	ST_CR		/* CR seen outside quotes: CR LF or a bare CR */
};

/* Byte classes for the scanner; C_DATA is 0 so the fast loops test !cls. */
enum { C_DATA, C_QUOTE, C_DELIM, C_LF, C_CR, C_NUL };

#define CSV_OPTS (CSV_STRICT | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL)
/* Buffers that grew past this for one long row are freed after it. */
#define KEEP_CAP ((size_t)1 << 20)

static const unsigned char utf8_bom[3] = { 0xEF, 0xBB, 0xBF };

/* ---------------------------------------------------------------- setup */

static void set_classes(struct csvread *r)
{
	memset(r->cls, C_DATA, sizeof(r->cls));
	r->cls['"'] = C_QUOTE;
	r->cls['\n'] = C_LF;
	r->cls['\r'] = C_CR;
	r->cls[0] = C_NUL;
	r->cls[r->delim] = C_DELIM;
}

static void clear_state(struct csvread *r)
{
	memset(&r->error, 0, sizeof(r->error));
	r->bom = 0;
	r->cb_status = 0;
	r->rows = 0;
	r->blank_lines = 0;
	r->bytes = 0;
	r->started = r->finished = r->failed = 0;
	r->state = ST_FIELD;
	r->bom_state = 0;
	r->line = r->row_line = 1;
	r->quote_line = 0;
	r->quote_byte = 0;
	r->line_off = r->row_off = 0;
	r->row_len = 0;
	r->quote_off = 0;
	r->sfields = 1;
	r->row_quotes = 0;
	r->nfields = 0;
	memset(&r->row.error, 0, sizeof(r->row.error));
}

void csvread_init(struct csvread *r, csvread_row_fn *on_row, void *ctx)
{
	memset(r, 0, sizeof(*r));
	r->on_row = on_row;
	r->ctx = ctx;
	r->max_row = CSVREAD_MAX_ROW;
	r->delim = ',';
	r->cd = (iconv_t)-1;
	buf_init(&r->raw);
	buf_init(&r->conv);
	buf_init(&r->fbuf);
	set_classes(r);
	clear_state(r);
}

void csvread_reset(struct csvread *r)
{
	buf_reset(&r->raw);
	buf_reset(&r->conv);
	buf_reset(&r->fbuf);
	if (r->cd != (iconv_t)-1)
		iconv(r->cd, NULL, NULL, NULL, NULL);
	if (r->csv)
		csv_fini(r->csv, NULL, NULL, NULL);
	clear_state(r);
}

void csvread_release(struct csvread *r)
{
	buf_release(&r->raw);
	buf_release(&r->conv);
	buf_release(&r->fbuf);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	r->cd = (iconv_t)-1;
	if (r->csv) {
		csv_free(r->csv);
		free(r->csv);
		r->csv = NULL;
	}
	free(r->encoding);
	r->encoding = NULL;
	free(r->fields);
	r->fields = NULL;
	r->fields_cap = 0;
	free(r->chunk);
	r->chunk = NULL;
	clear_state(r);
}

/* A stream error: set r->error, make r fail from now on, return -1. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail(struct csvread *r, enum csvread_code code, const char *fmt, ...)
{
	va_list ap;

	memset(&r->error, 0, sizeof(r->error));
	r->error.code = code;
	va_start(ap, fmt);
	vsnprintf(r->error.reason, sizeof(r->error.reason), fmt, ap);
	va_end(ap);
	if (code != CSVREAD_EUSAGE && code != CSVREAD_EENCODING)
		r->failed = 1;
	return -1;
}

static int check_unstarted(struct csvread *r, const char *what)
{
	if (!r->started)
		return 0;
	return fail(r, CSVREAD_EUSAGE, "%s must be set before the first feed", what);
}

/*
 * Convert the single byte c alone; the output goes to out (at least 8
 * bytes).  Returns the output length; -1 if c is invalid, -2 if it is
 * the start of a longer sequence.
 */
static int convert_byte(iconv_t cd, int c, char *out)
{
	char in = (char)c;
	char *ip = &in, *op = out;
	size_t il = 1, ol = 8;
	int rc;

	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
		rc = errno == EINVAL ? -2 : -1;
	else if (iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1)
		rc = -1;
	else
		rc = (int)(op - out);
	iconv(cd, NULL, NULL, NULL, NULL);
	return rc;
}

static int converts_to_itself(iconv_t cd, int c)
{
	char out[8];

	return convert_byte(cd, c, out) == 1 && out[0] == (char)c;
}

/*
 * ASCII-compatible, as the scanner needs it: every byte 0x00-0x7F is a
 * whole character by itself (so it is never the lead byte of a longer
 * one) and stands either for itself or for a non-ASCII character (glibc's
 * SHIFT_JIS reads 0x5C as YEN SIGN); and the bytes the scanner looks for
 * (NUL, LF, CR, quote, delimiter) stand for themselves.  This refuses
 * UTF-16/32 (a lone byte is incomplete), UTF-7 ('+' opens a shift),
 * ISO-2022-* (ESC) and EBCDIC.  The multibyte encodings that pass
 * (Shift_JIS, Big5, GBK, GB18030, EUC-*) use only bytes from 0x30 up
 * after a lead byte (digits in GB18030, 0x40 up in the others), never a
 * quote, CR, LF, comma, semicolon or tab; a delimiter from 0x30 up is
 * refused with them.
 */
static int ascii_compatible(iconv_t cd, int delim)
{
	char out[8];
	int c, n;

	for (c = 0; c < 0x80; c++) {
		n = convert_byte(cd, c, out);
		if (n < 1)
			return 0;
		if (!(n == 1 && out[0] == (char)c) && !((unsigned char)out[0] & 0x80))
			return 0;
	}
	return converts_to_itself(cd, 0) && converts_to_itself(cd, '\n') &&
	       converts_to_itself(cd, '\r') && converts_to_itself(cd, '"') &&
	       converts_to_itself(cd, delim);
}

/* Does the encoding have characters of several bytes (lead bytes)? */
static int multibyte(iconv_t cd)
{
	char out[8];
	int c;

	for (c = 0x80; c < 0x100; c++)
		if (convert_byte(cd, c, out) == -2)
			return 1;
	return 0;
}

int csvread_set_delim(struct csvread *r, int delim)
{
	if (check_unstarted(r, "the delimiter") < 0)
		return -1;
	if (delim <= 0 || delim >= 0x80 || delim == '"' || delim == '\r' || delim == '\n')
		return fail(r, CSVREAD_EUSAGE, "invalid delimiter 0x%02X", (unsigned)delim & 0xFFu);
	if (r->cd != (iconv_t)-1 &&
	    (!converts_to_itself(r->cd, delim) || (delim >= 0x30 && multibyte(r->cd))))
		return fail(r, CSVREAD_EUSAGE, "delimiter 0x%02X cannot be used with encoding '%s'",
			    (unsigned)delim, r->encoding);
	r->delim = (unsigned char)delim;
	set_classes(r);
	if (r->csv)
		csv_set_delim(r->csv, r->delim);
	return 0;
}

int csvread_set_max_row(struct csvread *r, size_t max_row)
{
	if (check_unstarted(r, "the maximum row size") < 0)
		return -1;
	if (max_row < 2)
		return fail(r, CSVREAD_EUSAGE, "maximum row size %zu is too small", max_row);
	r->max_row = max_row;
	return 0;
}

int csvread_set_keep_blank(struct csvread *r, int keep)
{
	if (check_unstarted(r, "keep-blank") < 0)
		return -1;
	r->keep_blank = !!keep;
	return 0;
}

static int is_utf8_name(const char *name)
{
	return !strcasecmp(name, "UTF-8") || !strcasecmp(name, "UTF8");
}

int csvread_set_encoding(struct csvread *r, const char *name)
{
	iconv_t cd = (iconv_t)-1;

	if (check_unstarted(r, "the encoding") < 0)
		return -1;
	if (name && !is_utf8_name(name)) {
		cd = iconv_open("UTF-8", name);
		if (cd == (iconv_t)-1)
			return fail(r, CSVREAD_EENCODING, "unknown encoding '%s'", name);
		if (!ascii_compatible(cd, r->delim)) {
			iconv_close(cd);
			return fail(r, CSVREAD_EENCODING, "encoding '%s' is not ASCII-compatible; "
				    "convert the file to UTF-8 first", name);
		}
		if (r->delim >= 0x30 && multibyte(cd)) {
			iconv_close(cd);
			return fail(r, CSVREAD_EENCODING, "delimiter 0x%02X cannot be used "
				    "with encoding '%s'", r->delim, name);
		}
	}
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	free(r->encoding);
	r->cd = cd;
	r->encoding = cd == (iconv_t)-1 ? NULL : xstrdup(name);
	return 0;
}

/* ------------------------------------------------------- row errors */

/*
 * Record a row error at row offset off.  The row keeps one: ETOOLONG
 * beats everything (raw is cut), then EUNTERMINATED, then the smallest
 * offset (the first recorded on a tie).
 */
static int rank(enum csvread_code code)
{
	if (code == CSVREAD_ETOOLONG)
		return 2;
	return code == CSVREAD_EUNTERMINATED;
}

static void row_error(struct csvread *r, enum csvread_code code, size_t off)
{
	struct csvread_error *e = &r->row.error;

	if (e->code != CSVREAD_OK) {
		if (rank(code) < rank(e->code))
			return;
		if (rank(code) == rank(e->code) && off >= e->row_offset)
			return;
	}
	e->code = code;
	e->row_offset = off;
	e->reason[0] = '\0';
}

/*
 * Field number of r->raw.data[off], with the scanner's quote rules; off
 * may lie beyond a cut row's bytes.
 */
static size_t column_at(const struct csvread *r, size_t off)
{
	const char *raw = r->raw.data;
	size_t i, col = 1;
	int st = ST_FIELD;

	if (off > r->raw.len)
		off = r->raw.len;
	for (i = 0; i < off; i++) {
		unsigned char c = (unsigned char)raw[i];

		if (st == ST_QUO) {
			if (c == '"')
				st = ST_QQ;
		} else if (st == ST_QQ && c == '"') {
			st = ST_QUO;
		} else if (c == r->delim) {
			col++;
			st = ST_FIELD;
		} else if (st == ST_FIELD && c == '"') {
			st = ST_QUO;
		} else {
			st = ST_UNQ;
		}
	}
	return col;
}

/* Fill in line, byte, column and file offset of a row error from raw. */
static void locate(struct csvread *r, struct csvread_error *e)
{
	const char *raw = r->raw.data, *p, *nl;
	size_t off = e->row_offset;

	if (off > r->raw.len)
		off = r->raw.len;
	e->line = r->row.line;
	p = raw;
	while ((nl = memchr(p, '\n', (size_t)(raw + off - p))) != NULL) {
		e->line++;
		p = nl + 1;
	}
	e->byte = (size_t)(raw + off - p) + 1;
	e->column = column_at(r, off);
	e->file_offset = r->row.offset + e->row_offset;
}

static void describe(struct csvread *r, struct csvread_error *e)
{
	char *s = e->reason;
	size_t n = sizeof(e->reason);
	unsigned char b = 0;

	if (e->row_offset < r->raw.len)
		b = (unsigned char)r->raw.data[e->row_offset];

	switch (e->code) {
	case CSVREAD_ENUL:
		snprintf(s, n, "NUL byte at byte %zu of line %lu, field %zu",
			 e->byte, e->line, e->column);
		break;
	case CSVREAD_EUTF8:
		snprintf(s, n, "invalid UTF-8 (%s) at byte %zu of line %lu, field %zu",
			 r->utf8_why ? r->utf8_why : "bad sequence", e->byte, e->line, e->column);
		break;
	case CSVREAD_ECONV:
		snprintf(s, n, "byte 0x%02X at byte %zu of line %lu, field %zu is not valid %s",
			 b, e->byte, e->line, e->column, r->encoding ? r->encoding : "input");
		break;
	case CSVREAD_EQUOTE:
		snprintf(s, n, "quote inside unquoted field %zu at byte %zu of line %lu",
			 e->column, e->byte, e->line);
		break;
	case CSVREAD_EAFTERQUOTE:
		snprintf(s, n, "unexpected character after the closing quote of field %zu "
			 "at byte %zu of line %lu", e->column, e->byte, e->line);
		break;
	case CSVREAD_ECR:
		snprintf(s, n, "carriage return without line feed at byte %zu of line %lu, "
			 "field %zu", e->byte, e->line, e->column);
		break;
	case CSVREAD_ETOOLONG:
		snprintf(s, n, "row is %llu bytes, longer than the limit of %zu",
			 r->row.total_len, r->max_row);
		break;
	case CSVREAD_EUNTERMINATED:
		snprintf(s, n, "quoted field %zu starting at byte %zu of line %lu is not closed "
			 "at end of input", e->column, e->byte, e->line);
		break;
	default:
		snprintf(s, n, "internal error: libcsv and the row scanner disagree on this row "
			 "(%zu and %zu fields)", r->nfields, r->sfields);
		break;
	}
}

/* --------------------------------------------------- UTF-8 and iconv */

/*
 * Length of the valid UTF-8 sequence at p (p < end, *p >= 0x80), or 0
 * with *why set.
 */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end, const char **why)
{
	unsigned long cp;
	size_t n, i;

	if (*p < 0xC0) {
		*why = "unexpected continuation byte";
		return 0;
	}
	if (*p < 0xC2) {
		*why = "overlong encoding";
		return 0;
	}
	if (*p >= 0xF5) {
		*why = "byte never used in UTF-8";
		return 0;
	}
	n = *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
	cp = *p & (0x7Fu >> n);
	for (i = 1; i < n; i++) {
		if (p + i >= end || (p[i] & 0xC0) != 0x80) {
			*why = "truncated sequence";
			return 0;
		}
		cp = cp << 6 | (p[i] & 0x3Fu);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000))
		*why = "overlong encoding";
	else if (cp >= 0xD800 && cp <= 0xDFFF)
		*why = "UTF-16 surrogate";
	else if (cp > 0x10FFFF)
		*why = "code point above U+10FFFF";
	else
		return n;
	return 0;
}

/* Offset of the first invalid UTF-8 sequence in s, or len if none. */
static size_t utf8_check(const char *s, size_t len, const char **why)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		uint64_t w;

		if (end - p >= 8) {
			memcpy(&w, p, 8);
			if (!(w & 0x8080808080808080ull)) {
				p += 8;
				continue;
			}
		}
		if (*p < 0x80) {
			p++;
		} else {
			size_t n = utf8_seq(p, end, why);

			if (!n)
				return (size_t)(p - (const unsigned char *)s);
			p += n;
		}
	}
	return len;
}

/*
 * Convert the row's len bytes to UTF-8 in r->conv.  A sequence iconv
 * refuses becomes U+FFFD and a CSVREAD_ECONV at its offset.
 */
static void convert_row(struct csvread *r, const char *s, size_t len)
{
	char *in = (char *)s;
	size_t il = len;

	buf_reset(&r->conv);
	iconv(r->cd, NULL, NULL, NULL, NULL);
	buf_grow(&r->conv, len * 2 + 16);
	while (il > 0) {
		char *out = r->conv.data + r->conv.len;
		size_t room = r->conv.cap - r->conv.len - 1, ol = room;
		size_t rc = iconv(r->cd, &in, &il, &out, &ol);

		r->conv.len += room - ol;
		if (rc != (size_t)-1)
			break;
		if (errno == E2BIG) {
			buf_grow(&r->conv, il * 2 + 16);
			continue;
		}
		row_error(r, CSVREAD_ECONV, (size_t)(in - s));
		buf_add(&r->conv, "\xEF\xBF\xBD", 3);
		iconv(r->cd, NULL, NULL, NULL, NULL);
		in++;
		il--;
	}
	r->conv.data[r->conv.len] = '\0';
}

/* ------------------------------------------------------ libcsv stage */

static int csv_no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static struct csv_parser *parser(struct csvread *r)
{
	if (!r->csv) {
		r->csv = xmalloc(sizeof(*r->csv));
		csv_init(r->csv, CSV_OPTS);
		/*
		 * Spaces are data (RFC 4180): libcsv's default trims them
		 * around unquoted fields and allows them after a closing quote.
		 * The default terminators (CR, LF) stay: the row handed over
		 * has no terminator, and a CR or LF outside quotes in it is
		 * already a scanner error.
		 */
		csv_set_space_func(r->csv, csv_no_space);
		csv_set_realloc_func(r->csv, xrealloc);
		csv_set_delim(r->csv, r->delim);
	}
	return r->csv;
}

/*
 * Fields go to r->fbuf one after the other, each with its NUL; data
 * pointers are set by point_fields() once fbuf stops moving.
 */
static void add_field(struct csvread *r, const void *s, size_t len, int is_null)
{
	struct csvread_field *f;

	if (r->nfields == r->fields_cap) {
		r->fields_cap = r->fields_cap ? r->fields_cap * 2 : 16;
		r->fields = xrealloc(r->fields, r->fields_cap * sizeof(*r->fields));
	}
	f = &r->fields[r->nfields++];
	f->data = NULL;
	f->len = len;
	f->is_null = is_null;
	buf_add(&r->fbuf, s, len);
	buf_addch(&r->fbuf, '\0');
}

static void point_fields(struct csvread *r)
{
	size_t i, off = 0;

	for (i = 0; i < r->nfields; i++) {
		r->fields[i].data = r->fbuf.data + off;
		off += r->fields[i].len + 1;
	}
}

static void on_field(void *s, size_t len, void *data)
{
	add_field(data, s, s ? len : 0, s == NULL);
}

/*
 * A row without a single quote needs no unquoting: its fields are the
 * pieces between delimiters, exactly what libcsv returns for it (spaces
 * are data, an empty piece is NULL).  Most manifest rows take this path,
 * which is several times faster than libcsv's byte loop; rows with a
 * quote or an error go through libcsv.
 */
static void split_plain(struct csvread *r, const char *s, size_t len)
{
	const char *end = s + len;

	r->nfields = 0;
	buf_reset(&r->fbuf);
	for (;;) {
		const char *d = memchr(s, r->delim, (size_t)(end - s));
		size_t n = (size_t)((d ? d : end) - s);

		add_field(r, s, n, n == 0);
		if (!d)
			break;
		s = d + 1;
	}
	point_fields(r);
}

/*
 * Split s into r->fields with libcsv, strict.  On a strict error, split
 * again non-strict for a best effort and return -1.
 */
static int split(struct csvread *r, const char *s, size_t len)
{
	struct csv_parser *p = parser(r);
	int rc = 0;

	/* One growth per longer row instead of 128-byte steps. */
	csv_set_blk_size(p, len + 2 > 128 ? len + 2 : 128);
	r->nfields = 0;
	buf_reset(&r->fbuf);
	if (csv_parse(p, s, len, on_field, NULL, r) == len) {
		csv_fini(p, on_field, NULL, r);
	} else {
		rc = -1;
		csv_fini(p, NULL, NULL, NULL);
		r->nfields = 0;
		buf_reset(&r->fbuf);
		csv_set_opts(p, CSV_OPTS & ~CSV_STRICT);
		csv_parse(p, s, len, on_field, NULL, r);
		csv_fini(p, on_field, NULL, r);
		csv_set_opts(p, CSV_OPTS);
	}
	point_fields(r);
	return rc;
}

/* ------------------------------------------------------- delivering */

static void raw_add(struct csvread *r, const unsigned char *p, size_t n)
{
	size_t have = r->raw.len;

	if (have + n > r->max_row) {
		if (have < r->max_row)
			buf_add(&r->raw, p, r->max_row - have);
		row_error(r, CSVREAD_ETOOLONG, r->max_row);
	} else {
		buf_add(&r->raw, p, n);
	}
	r->row_len += n;
}

/* Check or convert the complete row, then split it. */
static void fields_of_row(struct csvread *r, size_t term_len)
{
	const char *s = r->raw.data;
	size_t len = r->raw.len - term_len;
	const char *why = NULL;

	if (r->cd == (iconv_t)-1) {
		size_t bad = utf8_check(s, len, &why);

		if (bad < len) {
			row_error(r, CSVREAD_EUTF8, bad);
			if (r->row.error.code == CSVREAD_EUTF8)
				r->utf8_why = why;
		}
	} else {
		convert_row(r, s, len);
		s = r->conv.data;
		len = r->conv.len;
	}
	if (!r->row_quotes && r->row.error.code == CSVREAD_OK) {
		split_plain(r, s, len);
	} else if (split(r, s, len) < 0 && r->row.error.code == CSVREAD_OK) {
		/* libcsv strict failed on a row the scanner found valid */
		row_error(r, CSVREAD_EINTERNAL, 0);
	}
	if (r->nfields != r->sfields && r->row.error.code == CSVREAD_OK)
		row_error(r, CSVREAD_EINTERNAL, 0);
}

static void trim_buffers(struct csvread *r)
{
	if (r->raw.cap > KEEP_CAP)
		buf_release(&r->raw);
	else
		buf_reset(&r->raw);
	if (r->conv.cap > KEEP_CAP)
		buf_release(&r->conv);
	if (r->fbuf.cap > KEEP_CAP)
		buf_release(&r->fbuf);
	if (r->csv && csv_get_buffer_size(r->csv) > KEEP_CAP)
		csv_free(r->csv);
}

/*
 * The row in r->raw is complete, with a terminator of term_len bytes (0
 * at the end of input).  Deliver it unless it is a skipped blank line,
 * then start the next row.  Returns on_row's result.
 */
static int end_row(struct csvread *r, size_t term_len)
{
	struct csvread_row *row = &r->row;
	int rc = 0, blank = r->row_len == term_len;

	if (blank)
		r->blank_lines++;
	if (!blank || r->keep_blank) {
		row->line = r->row_line;
		row->index = r->rows;
		row->offset = r->row_off;
		row->raw = r->raw.data;
		row->raw_len = r->raw.len;
		row->term_len = term_len;
		row->total_len = r->row_len;
		r->nfields = 0;
		r->utf8_why = NULL;
		if (!blank && r->row_len <= r->max_row)
			fields_of_row(r, term_len);
		row->nfields = r->nfields;
		row->fields = r->fields;
		if (row->error.code != CSVREAD_OK) {
			locate(r, &row->error);
			describe(r, &row->error);
		}
		r->rows++;
		rc = r->on_row(row, r->ctx);
	}
	if (row->error.code != CSVREAD_OK)
		memset(&row->error, 0, sizeof(row->error));
	trim_buffers(r);
	r->row_len = 0;
	r->sfields = 1;
	r->row_quotes = 0;
	r->row_line = r->line;
	r->row_off = r->bytes;
	return rc;
}

static int stopped(struct csvread *r, int rc)
{
	r->cb_status = rc;
	return fail(r, CSVREAD_ESTOPPED, "stopped by the row callback (%d)", rc);
}

/* --------------------------------------------------------- scanner */

/*
 * The scanner: n bytes at buf.  Bytes of the current row are copied to
 * r->raw in runs (from seg), not one by one; the fast loops skip plain
 * data in unquoted and quoted fields.
 */
static int scan(struct csvread *r, const unsigned char *buf, size_t n)
{
	const unsigned char *q = buf, *end = buf + n, *seg = buf;
	const unsigned char *cls = r->cls;
	unsigned long long base = r->bytes;
	int st = r->state;

#define ROWOFF(p) ((size_t)(r->row_len + (size_t)((p) - seg)))
#define ABSOFF(p) (base + (unsigned long long)((p) - buf))
	while (q < end) {
		int c;

		if (st == ST_UNQ || st == ST_QUO) {
			while (q < end && !cls[*q])
				q++;
			if (q == end)
				break;
		}
		c = cls[*q];
		if (c == C_QUOTE)
			r->row_quotes = 1;
		else if (c == C_NUL)
			row_error(r, CSVREAD_ENUL, ROWOFF(q));
		if (st == ST_CR && c != C_LF) {
			row_error(r, CSVREAD_ECR, ROWOFF(q) - 1);
			st = c == C_CR ? ST_CR : ST_UNQ;
			if (c == C_CR) {
				q++;
				continue;
			}
		}
		if (c == C_LF && st != ST_QUO) {
			int rc;

			raw_add(r, seg, (size_t)(q + 1 - seg));
			r->row.end_line = r->line;
			r->line++;
			r->line_off = r->bytes = ABSOFF(q + 1);
			rc = end_row(r, st == ST_CR ? 2 : 1);
			seg = ++q;
			st = ST_FIELD;
			if (rc) {
				r->state = st;
				return stopped(r, rc);
			}
			continue;
		}
		switch (st) {
		case ST_FIELD:
			if (c == C_QUOTE) {
				st = ST_QUO;
				r->quote_off = ROWOFF(q);
				r->quote_line = r->line;
				r->quote_byte = (size_t)(ABSOFF(q) - r->line_off) + 1;
			} else if (c == C_DELIM) {
				r->sfields++;
			} else {
				st = c == C_CR ? ST_CR : ST_UNQ;
			}
			break;
		case ST_UNQ:
			if (c == C_QUOTE) {
				row_error(r, CSVREAD_EQUOTE, ROWOFF(q));
			} else if (c == C_DELIM) {
				r->sfields++;
				st = ST_FIELD;
			} else if (c == C_CR) {
				st = ST_CR;
			}
			break;
		case ST_QUO:
			if (c == C_QUOTE) {
				st = ST_QQ;
			} else if (c == C_LF) {
				r->line++;
				r->line_off = ABSOFF(q + 1);
			}
			break;
		default:
			/* ST_QQ */
			if (c == C_QUOTE) {
				st = ST_QUO;
			} else if (c == C_DELIM) {
				r->sfields++;
				st = ST_FIELD;
			} else if (c == C_CR) {
				st = ST_CR;
			} else {
				row_error(r, CSVREAD_EAFTERQUOTE, ROWOFF(q));
				st = ST_UNQ;
			}
			break;
		}
		q++;
	}
#undef ROWOFF
#undef ABSOFF
	raw_add(r, seg, (size_t)(end - seg));
	r->state = st;
	r->bytes = base + n;
	return 0;
}

/*
 * Match a BOM at the start of the input, across chunks.  Returns how many
 * bytes of data it consumed.  On a mismatch the bytes held back are
 * scanned as data.
 */
static size_t bom_feed(struct csvread *r, const unsigned char *p, size_t len)
{
	size_t used = 0;

	if (r->cd != (iconv_t)-1) {
		r->bom_state = -1;
		return 0;
	}
	while (used < len && r->bom_state < 3 && p[used] == utf8_bom[r->bom_state]) {
		r->bom_state++;
		used++;
	}
	if (r->bom_state == 3) {
		r->bom = 1;
		r->bytes = r->row_off = r->line_off = 3;
		r->bom_state = -1;
	} else if (used < len) {
		int held = r->bom_state;

		r->bom_state = -1;
		if (held > 0)
			scan(r, utf8_bom, (size_t)held);
	}
	return used;
}

/* ------------------------------------------------------------ feeding */

int csvread_feed(struct csvread *r, const void *data, size_t len)
{
	const unsigned char *p = data;

	if (r->failed)
		return -1;
	if (r->finished)
		return fail(r, CSVREAD_EUSAGE, "data fed after csvread_finish");
	r->started = 1;
	if (len == 0)
		return 0;
	if (r->bom_state >= 0) {
		size_t used = bom_feed(r, p, len);

		if (r->failed)
			return -1;
		p += used;
		len -= used;
		if (len == 0)
			return 0;
	}
	return scan(r, p, len);
}

/* A quoted field is open at the end of input: deliver the rest, fail. */
static int unterminated(struct csvread *r)
{
	unsigned long line = r->quote_line;
	size_t byte = r->quote_byte, col = column_at(r, r->quote_off);
	size_t off = r->quote_off;
	unsigned long long file_off = r->row_off + off;
	int rc;

	row_error(r, CSVREAD_EUNTERMINATED, r->quote_off);
	r->row.end_line = r->line;
	rc = end_row(r, 0);
	if (rc)
		return stopped(r, rc);
	fail(r, CSVREAD_EUNTERMINATED,
	     "quoted field %zu starting at byte %zu of line %lu is not closed at end of input",
	     col, byte, line);
	r->error.line = line;
	r->error.byte = byte;
	r->error.column = col;
	r->error.row_offset = off;
	r->error.file_offset = file_off;
	return -1;
}

int csvread_finish(struct csvread *r)
{
	int rc;

	if (r->failed)
		return -1;
	if (r->finished)
		return fail(r, CSVREAD_EUSAGE, "csvread_finish called twice");
	r->started = r->finished = 1;
	if (r->bom_state > 0)
		scan(r, utf8_bom, (size_t)r->bom_state);
	r->bom_state = -1;
	if (r->failed)
		return -1;
	if (r->row_len == 0)
		return 0;
	if (r->state == ST_QUO)
		return unterminated(r);
	if (r->state == ST_CR)
		row_error(r, CSVREAD_ECR, (size_t)r->row_len - 1);
	r->row.end_line = r->line;
	rc = end_row(r, 0);
	r->state = ST_FIELD;
	return rc ? stopped(r, rc) : 0;
}

int csvread_file(struct csvread *r, FILE *fp)
{
	if (!r->chunk)
		r->chunk = xmalloc(CSVREAD_CHUNK);
	for (;;) {
		size_t n;
		int err;

		errno = 0;
		n = fread(r->chunk, 1, CSVREAD_CHUNK, fp);
		err = errno;
		if (n > 0 && csvread_feed(r, r->chunk, n) < 0)
			return -1;
		if (n < CSVREAD_CHUNK) {
			if (ferror(fp)) {
				fail(r, CSVREAD_EIO, "read error after byte %llu: %s", r->bytes,
				     err ? strerror(err) : "unknown error");
				r->error.line = r->line;
				return -1;
			}
			if (feof(fp))
				break;
		}
	}
	return csvread_finish(r);
}

/* ------------------------------------------------------------- names */

const char *csvread_code_name(enum csvread_code code)
{
	static const char *const names[] = {
		"ok", "nul", "utf8", "conv", "quote", "after-quote", "cr",
		"too-long", "unterminated", "internal", "io", "stopped",
		"encoding", "usage"
	};

	if ((size_t)code >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[code];
}

const char *csvread_hint(enum csvread_code code)
{
	switch (code) {
	case CSVREAD_EUTF8:
		return "the file is not UTF-8; give its encoding with --encoding "
		       "(e.g. WINDOWS-1252)";
	case CSVREAD_EQUOTE:
	case CSVREAD_EAFTERQUOTE:
		return "a field holding quotes must be enclosed in quotes, "
		       "each inner quote doubled (\"\")";
	case CSVREAD_ECR:
		return "lines must end in LF or CR LF; convert old Mac (CR) line ends";
	case CSVREAD_EUNTERMINATED:
		return "a quote opens a field that is never closed; "
		       "every following line became part of it";
	default:
		return NULL;
	}
}
