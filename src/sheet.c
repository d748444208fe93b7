/*
 * sheet: rows of cells with positions from a file of any common dialect;
 * see include/blendcat/sheet.h.
 *
 * The first chunk of the file tells the dialect (sheet_sniff); csvread
 * then splits the rows with that separator.  UTF-8 and ASCII-compatible
 * encodings go to csvread as they are, so its row offsets are the file's.
 * UTF-16 is converted to UTF-8 here first (iconv), and each row's place
 * in the file is worked out from its UTF-8 bytes: every character is two
 * bytes of UTF-16 but those above U+FFFF, which are four; the blank lines
 * csvread skips between rows are ASCII.  A unit iconv refuses (an
 * unpaired surrogate, an odd byte at the end) becomes U+FFFD, two bytes
 * as well, and an error on its row.
 *
 * A workbook is read by workbook.c (workbook_read_sheet); what both kinds
 * share is here: the row's position, its CSV form for the rejects.
 */
#include "blendcat/sheet.h"
#include "blendcat/csvread.h"
#include "blendcat/diag.h"
#include "blendcat/workbook.h"
#include "blendcat/xalloc.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------- sniffing */

static const char candidates[] = { ',', ';', '\t', '|' };
#define NCAND (sizeof(candidates) / sizeof(candidates[0]))

static int is_candidate(unsigned char c)
{
	return c == ',' || c == ';' || c == '\t' || c == '|';
}

int sheet_sniff_delim(const char *text, size_t len)
{
	unsigned long count[NCAND] = { 0 };
	size_t i, k, best = 0;
	int quoted = 0, at_start = 1;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (quoted) {
			if (c == '"' && i + 1 < len && text[i + 1] == '"')
				i++;
			else if (c == '"')
				quoted = 0;
			continue;
		}
		if (c == '\n')
			break;
		if (c == '"' && at_start) {
			/* a quote opens a field only at its start */
			quoted = 1;
			continue;
		}
		at_start = is_candidate(c);
		for (k = 0; k < NCAND; k++)
			if (c == (unsigned char)candidates[k])
				count[k]++;
	}
	for (k = 1; k < NCAND; k++)
		if (count[k] > count[best])
			best = k;
	return candidates[best];
}

static int is_utf8_name(const char *name)
{
	return !strcasecmp(name, "UTF-8") || !strcasecmp(name, "UTF8");
}

/* UTF-16 by name: 0 no, 1 little-endian (the default), 2 big-endian. */
static int utf16_name(const char *name)
{
	static const char *const le[] = { "UTF-16", "UTF16", "UTF-16LE", "UTF16LE", "UCS-2",
					  "UCS2", "UCS-2LE", "UCS2LE", "UNICODE" };
	static const char *const be[] = { "UTF-16BE", "UTF16BE", "UCS-2BE", "UCS2BE" };
	size_t i;

	for (i = 0; i < sizeof(be) / sizeof(be[0]); i++)
		if (!strcasecmp(name, be[i]))
			return 2;
	for (i = 0; i < sizeof(le) / sizeof(le[0]); i++)
		if (!strcasecmp(name, le[i]))
			return 1;
	return 0;
}

/* The first line of UTF-16 text as UTF-8, into out (as far as it converts). */
static void utf16_head(const unsigned char *p, size_t len, int be, struct buf *out)
{
	iconv_t cd = iconv_open("UTF-8", be ? "UTF-16BE" : "UTF-16LE");
	char *in = (char *)p;
	size_t il = len & ~(size_t)1;

	if (cd == (iconv_t)-1)
		return;
	buf_grow(out, il * 2 + 16);
	{
		char *o = out->data + out->len;
		size_t ol = out->cap - out->len - 1;

		iconv(cd, &in, &il, &o, &ol);
		out->len = (size_t)(o - out->data);
		out->data[out->len] = '\0';
	}
	iconv_close(cd);
}

void sheet_sniff(const void *data, size_t len, const struct sheet_opts *o,
		 struct sheet_dialect *d)
{
	const unsigned char *p = data;
	int u16 = o->encoding ? utf16_name(o->encoding) : 0;

	memset(d, 0, sizeof(*d));
	d->header = !o->no_header;
	if (len >= 2 && p[0] == 0xFF && p[1] == 0xFE) {
		d->charset = SHEET_UTF16LE;
		d->bom = 1;
	} else if (len >= 2 && p[0] == 0xFE && p[1] == 0xFF) {
		d->charset = SHEET_UTF16BE;
		d->bom = 1;
	} else if (u16) {
		d->charset = u16 == 2 ? SHEET_UTF16BE : SHEET_UTF16LE;
	} else if (o->encoding && !is_utf8_name(o->encoding)) {
		d->charset = SHEET_ICONV;
	} else {
		d->charset = SHEET_UTF8;
		d->bom = len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF;
	}
	d->encoding = d->charset == SHEET_UTF16LE ? "UTF-16LE" :
		      d->charset == SHEET_UTF16BE ? "UTF-16BE" :
		      d->charset == SHEET_ICONV ? o->encoding : "UTF-8";
	if (o->delim) {
		d->delim = o->delim;
		d->delim_given = 1;
	} else if (d->charset == SHEET_UTF16LE || d->charset == SHEET_UTF16BE) {
		struct buf head = BUF_INIT;
		size_t skip = d->bom ? 2 : 0;

		utf16_head(p + skip, len - skip, d->charset == SHEET_UTF16BE, &head);
		d->delim = sheet_sniff_delim(head.data, head.len);
		buf_release(&head);
	} else {
		size_t skip = d->bom ? 3 : 0;

		d->delim = sheet_sniff_delim((const char *)p + skip, len - skip);
	}
	d->decimal_comma = d->delim == ';';
}

const char *sheet_delim_name(int delim, char tmp[8])
{
	switch (delim) {
	case ',': return "comma";
	case ';': return "semicolon";
	case '\t': return "tab";
	case '|': return "pipe";
	default:
		snprintf(tmp, 8, "'%c'", delim);
		return tmp;
	}
}

void sheet_dialect_describe(const struct sheet_dialect *d, struct buf *out)
{
	char tmp[8];

	if (d->format != SHEET_DELIMITED) {
		buf_adds(out, d->format == SHEET_XLSX ? "xlsx workbook" : "ods workbook");
		if (!d->header)
			buf_adds(out, ", no header");
		return;
	}
	buf_addf(out, "%s-separated%s, %s%s, %s line ends", sheet_delim_name(d->delim, tmp),
		 d->delim_given ? " (--delimiter)" : "", d->encoding, d->bom ? " with BOM" : "",
		 d->crlf ? "CRLF" : "LF");
	if (d->decimal_comma)
		buf_adds(out, ", decimal comma");
	if (!d->header)
		buf_adds(out, ", no header");
}

int sheet_delim_parse(const char *arg)
{
	static const struct {
		const char *name;
		int c;
	} names[] = { { "tab", '\t' }, { "\\t", '\t' }, { "comma", ',' }, { "semicolon", ';' },
		      { "pipe", '|' } };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(arg, names[i].name))
			return names[i].c;
	if (strlen(arg) != 1 || (unsigned char)arg[0] >= 0x80 || arg[0] == '"' || arg[0] == '\r' ||
	    arg[0] == '\n')
		return -1;
	return (unsigned char)arg[0];
}

/* -------------------------------------------------------------- reading */

struct reader {
	const char *path;
	sheet_row_fn *fn;
	void *ctx;
	struct sheet_stats *st;
	struct sheet_dialect *d;
	struct csvread cr;
	struct sheet_cell *cells;
	size_t cells_cap;
	struct buf head;
	/* UTF-16 */
	iconv_t cd;			/* UTF-16 -> UTF-8; (iconv_t)-1 otherwise */
	struct buf in, conv;
	unsigned long long fed;		/* UTF-8 bytes given to csvread */
	unsigned long long u8_pos;	/* UTF-8 offset of the end of the last row */
	unsigned long long file_pos;	/* ... and its offset in the file */
	unsigned long long *bad;	/* UTF-8 offsets of the U+FFFD put for bad units */
	size_t nbad, bad_first, bad_cap;
	char why[192];
	int lost;			/* a row could not be placed in the file */
};

/* Bytes of UTF-16 for n bytes of valid UTF-8. */
static unsigned long long utf16_size(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	unsigned long long size = 0;

	for (; p < end; p++)
		if ((*p & 0xC0) != 0x80)
			size += *p >= 0xF0 ? 4 : 2;
	return size;
}

/* Place a row of a UTF-16 file: its offset and length in the file. */
static int place_utf16(struct reader *rd, const struct csvread_row *row, struct sheet_row *sr)
{
	unsigned long long end_u8 = row->offset + row->raw_len;
	int bad = 0;

	if (rd->cr.bom && rd->u8_pos == 0) {
		/* a second byte order mark, which csvread stripped */
		rd->u8_pos = 3;
		rd->file_pos += 2;
	}
	if (row->total_len > row->raw_len) {
		snprintf(rd->why, sizeof(rd->why), "line %lu: a row longer than %zu bytes in a "
			 "UTF-16 file cannot be placed; convert the file to UTF-8", row->line,
			 (size_t)row->raw_len);
		rd->lost = 1;
		return -1;
	}
	rd->file_pos += 2 * (row->offset - rd->u8_pos);
	sr->off = rd->file_pos;
	sr->len = utf16_size(row->raw, row->raw_len);
	if (sr->off + sr->len > rd->st->bytes)	/* an odd byte at the very end */
		sr->len = rd->st->bytes > sr->off ? rd->st->bytes - sr->off : 0;
	rd->file_pos = sr->off + sr->len;
	rd->u8_pos = end_u8;
	while (rd->bad_first < rd->nbad && rd->bad[rd->bad_first] < end_u8)
		bad |= rd->bad[rd->bad_first++] >= row->offset;
	if (rd->bad_first == rd->nbad)
		rd->bad_first = rd->nbad = 0;
	if (bad && !sr->error) {
		snprintf(rd->why, sizeof(rd->why), "invalid UTF-16 (an unpaired surrogate or a "
			 "lone byte) in line %lu", row->line);
		sr->error = rd->why;
	}
	return 0;
}

/* The first row's bytes as in the file, byte order mark included. */
static void make_head(struct reader *rd, const struct csvread_row *row)
{
	buf_reset(&rd->head);
	if (rd->d->charset == SHEET_UTF16LE || rd->d->charset == SHEET_UTF16BE) {
		iconv_t back = iconv_open(rd->d->charset == SHEET_UTF16LE ? "UTF-16LE" : "UTF-16BE",
					  "UTF-8");
		char *in = (char *)row->raw, *out;
		size_t il = row->raw_len, ol;

		if (rd->d->bom)
			buf_add(&rd->head, rd->d->charset == SHEET_UTF16LE ? "\xFF\xFE" : "\xFE\xFF", 2);
		if (back == (iconv_t)-1)
			return;
		buf_grow(&rd->head, il * 2 + 4);
		out = rd->head.data + rd->head.len;
		ol = rd->head.cap - rd->head.len - 1;
		iconv(back, &in, &il, &out, &ol);
		rd->head.len = (size_t)(out - rd->head.data);
		rd->head.data[rd->head.len] = '\0';
		iconv_close(back);
		return;
	}
	if (rd->cr.bom)
		buf_add(&rd->head, "\xEF\xBB\xBF", 3);
	buf_add(&rd->head, row->raw, row->raw_len);
}

static int on_csv_row(const struct csvread_row *row, void *ctx)
{
	struct reader *rd = ctx;
	struct sheet_row sr;
	size_t i;

	memset(&sr, 0, sizeof(sr));
	sr.line = row->line;
	sr.index = row->index;
	sr.dialect = rd->d;
	sr.error = row->error.code ? row->error.reason : NULL;
	sr.error_col = -1;
	sr.off = row->offset;
	sr.len = row->total_len;
	if (rd->cd != (iconv_t)-1 && place_utf16(rd, row, &sr) < 0)
		return -1;
	if (row->index == 0) {
		rd->d->crlf = row->term_len == 2;
		make_head(rd, row);
		sr.head = rd->head.data;
		sr.head_len = rd->head.len;
	}
	if (row->nfields > rd->cells_cap) {
		rd->cells_cap = row->nfields * 2;
		rd->cells = xrealloc(rd->cells, rd->cells_cap * sizeof(*rd->cells));
	}
	for (i = 0; i < row->nfields; i++) {
		rd->cells[i].data = row->fields[i].data;
		rd->cells[i].len = row->fields[i].len;
		rd->cells[i].is_null = row->fields[i].is_null;
		rd->cells[i].type = SHEET_TEXT;
	}
	sr.cells = rd->cells;
	sr.ncells = row->nfields;
	rd->st->rows++;
	return rd->fn(&sr, rd->ctx);
}

/*
 * Convert n bytes of UTF-16 (and what the last call left over) to UTF-8
 * and feed them to csvread.  last: the end of the file, where an
 * incomplete unit is bad too.
 */
static int feed_utf16(struct reader *rd, const unsigned char *p, size_t n, int last)
{
	char *in;
	size_t il;

	buf_add(&rd->in, p, n);
	in = rd->in.data;
	il = rd->in.len;
	buf_reset(&rd->conv);
	while (il > 0) {
		char *out;
		size_t ol, rc;

		buf_grow(&rd->conv, il * 2 + 16);
		out = rd->conv.data + rd->conv.len;
		ol = rd->conv.cap - rd->conv.len - 1;
		rc = iconv(rd->cd, &in, &il, &out, &ol);
		rd->conv.len = (size_t)(out - rd->conv.data);
		if (rc != (size_t)-1)
			break;
		if (errno == E2BIG)
			continue;
		if (errno == EINVAL && !last)
			break;	/* the rest of a unit comes with the next chunk */
		if (rd->nbad == rd->bad_cap) {
			rd->bad_cap = rd->bad_cap ? rd->bad_cap * 2 : 16;
			rd->bad = xrealloc(rd->bad, rd->bad_cap * sizeof(*rd->bad));
		}
		rd->bad[rd->nbad++] = rd->fed + rd->conv.len;
		buf_add(&rd->conv, "\xEF\xBF\xBD", 3);
		in += il >= 2 ? 2 : il;
		il -= il >= 2 ? 2 : il;
		iconv(rd->cd, NULL, NULL, NULL, NULL);
	}
	memmove(rd->in.data, in, il);
	buf_setlen(&rd->in, il);
	rd->fed += rd->conv.len;
	if (!rd->conv.len)
		return 0;
	return csvread_feed(&rd->cr, rd->conv.data, rd->conv.len);
}

static int feed(struct reader *rd, const unsigned char *p, size_t n)
{
	if (rd->cd == (iconv_t)-1)
		return csvread_feed(&rd->cr, p, n);
	return feed_utf16(rd, p, n, 0);
}

/* Set csvread up for the dialect; -1 printed. */
static int setup(struct reader *rd, const struct sheet_opts *o)
{
	const struct sheet_dialect *d = rd->d;

	if (o->max_row && csvread_set_max_row(&rd->cr, o->max_row) < 0)
		return diag_error(LOC_NONE, "%s", rd->cr.error.reason);
	if (csvread_set_delim(&rd->cr, d->delim) < 0)
		return diag_error(LOC_NONE, "%s", rd->cr.error.reason);
	if (d->charset == SHEET_ICONV && csvread_set_encoding(&rd->cr, o->encoding) < 0)
		return diag_error(LOC_NONE, "%s", rd->cr.error.reason);
	if (d->charset == SHEET_UTF16LE || d->charset == SHEET_UTF16BE) {
		rd->cd = iconv_open("UTF-8", d->charset == SHEET_UTF16LE ? "UTF-16LE" : "UTF-16BE");
		if (rd->cd == (iconv_t)-1)
			return diag_error(LOC_NONE, "cannot read UTF-16 here: %s", strerror(errno));
		rd->file_pos = d->bom ? 2 : 0;
	}
	return 0;
}

/* Read fp to its end through rd; -1 on a read error (r->cr.error set) or a stop. */
static int read_all(struct reader *rd, FILE *fp, unsigned char *chunk, size_t n)
{
	size_t skip = rd->cd != (iconv_t)-1 && rd->d->bom ? 2 : 0;
	int err;

	for (;;) {
		rd->st->bytes += n;
		if (n > skip && feed(rd, chunk + skip, n - skip) < 0)
			return -1;
		skip = 0;
		if (n < CSVREAD_CHUNK) {
			if (ferror(fp)) {
				snprintf(rd->why, sizeof(rd->why), "read error after byte %llu",
					 rd->st->bytes);
				return -2;
			}
			if (feof(fp))
				break;
		}
		errno = 0;
		n = fread(chunk, 1, CSVREAD_CHUNK, fp);
		err = errno;
		if (n == 0 && ferror(fp)) {
			snprintf(rd->why, sizeof(rd->why), "read error after byte %llu: %s",
				 rd->st->bytes, err ? strerror(err) : "unknown error");
			return -2;
		}
	}
	if (rd->cd != (iconv_t)-1 && rd->in.len && feed_utf16(rd, NULL, 0, 1) < 0)
		return -1;
	return csvread_finish(&rd->cr);
}

int sheet_read_file(const char *path, const struct sheet_opts *o, sheet_row_fn *fn,
		    void *ctx, struct sheet_stats *st)
{
	struct loc loc = { path, 0, NULL };
	FILE *fp;
	int rc;

	if (workbook_is(path))
		return workbook_read_sheet(path, o, fn, ctx, st);
	fp = fopen(path, "rb");
	if (!fp) {
		memset(st, 0, sizeof(*st));
		return diag_error(&loc, "cannot open: %s", strerror(errno));
	}
	rc = sheet_read_fp(fp, path, o, fn, ctx, st);
	fclose(fp);
	return rc;
}

int sheet_read_fp(FILE *fp, const char *path, const struct sheet_opts *o, sheet_row_fn *fn,
		  void *ctx, struct sheet_stats *st)
{
	struct reader rd;
	struct loc loc = { path, 0, NULL };
	unsigned char *chunk = NULL;
	size_t n;
	int rc;

	memset(st, 0, sizeof(*st));
	memset(&rd, 0, sizeof(rd));
	rd.path = path;
	rd.fn = fn;
	rd.ctx = ctx;
	rd.st = st;
	rd.d = &st->dialect;
	rd.cd = (iconv_t)-1;
	buf_init(&rd.head);
	buf_init(&rd.in);
	buf_init(&rd.conv);
	csvread_init(&rd.cr, on_csv_row, &rd);
	chunk = xmalloc(CSVREAD_CHUNK);
	n = fread(chunk, 1, CSVREAD_CHUNK, fp);
	sheet_sniff(chunk, n, o, rd.d);
	if (setup(&rd, o) < 0) {
		rc = -1;
		goto out;
	}
	rc = read_all(&rd, fp, chunk, n);
	if (rc == -2) {
		rc = diag_error(&loc, "%s", rd.why);
	} else if (rc < 0 && rd.lost) {
		rc = diag_error(&loc, "%s", rd.why);
	} else if (rc < 0 && rd.cr.error.code == CSVREAD_ESTOPPED) {
		rc = 1;
	} else if (rc < 0 && rd.cr.error.code == CSVREAD_EUNTERMINATED) {
		rc = 0;		/* delivered as a row with its error already */
	} else if (rc < 0) {
		loc.line = rd.cr.error.line;
		rc = diag_error(&loc, "%s", rd.cr.error.reason);
	}
out:
	free(chunk);
	csvread_release(&rd.cr);
	if (rd.cd != (iconv_t)-1)
		iconv_close(rd.cd);
	buf_release(&rd.head);
	buf_release(&rd.in);
	buf_release(&rd.conv);
	free(rd.cells);
	free(rd.bad);
	return rc;
}

void sheet_stats_release(struct sheet_stats *st)
{
	free(st->sheet);
	st->sheet = NULL;
}

/* ------------------------------------------------- what all sheets share */

int sheet_row_keep(const struct sheet_row *row, unsigned long long *off,
		   unsigned long long *len)
{
	if (row->keep)
		return row->keep(row, off, len);
	*off = row->off;
	*len = row->len;
	return 0;
}

void sheet_csv_row(struct buf *out, const struct sheet_cell *cells, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		const char *s = cells[i].data;
		size_t len = cells[i].len;

		if (i)
			buf_addch(out, ',');
		if (strcspn(s, ",\"\r\n") >= len) {
			buf_add(out, s, len);
			continue;
		}
		buf_addch(out, '"');
		for (j = 0; j < len; j++) {
			if (s[j] == '"')
				buf_addch(out, '"');
			buf_addch(out, s[j]);
		}
		buf_addch(out, '"');
	}
	buf_addch(out, '\n');
}

void sheet_position(struct buf *out, const char *path, const char *sheet, unsigned long line,
		    long col)
{
	buf_adds(out, path);
	if (!sheet) {
		if (line)
			buf_addf(out, ":%lu", line);
		return;
	}
	buf_addch(out, ':');
	if (line) {
		workbook_cell_ref(out, sheet, line, col < 0 ? 0 : (unsigned long)col + 1);
		return;
	}
	workbook_cell_ref(out, sheet, 1, 0);
	buf_setlen(out, out->len - 2);	/* less "!1": the sheet alone */
}
