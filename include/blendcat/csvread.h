/*
 * csvread: the streaming RFC 4180 reader under the CSV manifest importer.
 *
 * It turns bytes into rows of fields and knows nothing about manifest
 * columns; csvman maps header names to fields.  It never prints: every
 * problem comes back as data (struct csvread_error) for the caller to
 * report once.
 *
 * Usage:
 *
 *	struct csvread r;
 *
 *	csvread_init(&r, on_row, ctx);
 *	csvread_set_encoding(&r, "WINDOWS-1252");	(optional, before feeding)
 *	if (csvread_file(&r, fp) < 0)
 *		... r.error says why (code, line, reason) ...
 *	csvread_release(&r);
 *
 * or push any chunking with csvread_feed() and end with csvread_finish().
 * on_row is called once per row, in order; the row and everything it
 * points to are borrowed until on_row returns.
 *
 * Memory is independent of the input size: a small multiple of the
 * longest row, so at most a few times the maximum row size
 * (csvread_set_max_row, default CSVREAD_MAX_ROW): a longer row is
 * delivered cut with CSVREAD_ETOOLONG instead of being buffered whole.
 * Buffers are reused from row to row; one that grew past 1 MiB for a
 * freak row is freed after it.  No global state: one reader per thread.
 *
 * Rules (what "a row" and "a line" are):
 *
 * - Lines: only LF ends a physical line; CR LF counts as one line end.
 *   Line numbers are 1-based and the header row is line 1.  A quoted
 *   field may contain LF (the row then spans several lines and the next
 *   row's line number jumps accordingly), CR LF, or a lone CR, which is
 *   data and does not end a line.
 * - Rows: a row ends at the first LF (or CR LF) that is not inside a
 *   quoted field, or at the end of input.  A quoted field opens only with
 *   a quote as the first byte of a field (no leading spaces) and closes
 *   at a quote not followed by another quote; "" inside it is one quote.
 *   Spaces are data everywhere (never trimmed).
 * - Malformed rows keep those boundaries, so an error stays on its own
 *   row and no byte is lost or duplicated:
 *     ab"c     a quote inside an unquoted field is CSVREAD_EQUOTE; it does
 *              not open quoting, the field stays unquoted;
 *     "abc"x   anything but the delimiter or the line end after a closing
 *              quote is CSVREAD_EAFTERQUOTE; the rest of that field is
 *              read as unquoted;
 *     a\rb     a CR outside quotes not followed by LF is CSVREAD_ECR; it
 *              does not end the row (old Mac files come out as one long
 *              row with this error).
 *   Only an unterminated quoted field can swallow later lines: the row
 *   then runs to the next closing quote, or to the end of input
 *   (CSVREAD_EUNTERMINATED, see csvread_finish).
 *   Invariant: the BOM (if any) followed by the raw bytes of every row,
 *   blank lines included (csvread_set_keep_blank), is exactly the input,
 *   except for rows cut by CSVREAD_ETOOLONG.
 * - Blank lines (nothing before the LF or CR LF) are skipped by default
 *   but counted, so line numbers stay right; csvread_set_keep_blank()
 *   delivers them as rows with no fields.  A line holding only spaces or
 *   only a delimiter is a row, not a blank line.
 * - A UTF-8 byte order mark at the very start of the input is stripped
 *   (r->bom is set); it is not part of the first row's raw bytes.  Only
 *   in UTF-8 mode (the default): with another encoding the bytes are
 *   data.
 * - Encoding: UTF-8 by default, validated per row (overlongs, surrogates,
 *   code points above U+10FFFF, stray or missing continuation bytes are
 *   CSVREAD_EUTF8).  With csvread_set_encoding() the input is in an
 *   ASCII-compatible encoding (LATIN1, WINDOWS-1252, ISO-8859-15, SHIFT_JIS,
 *   GB18030...): row boundaries and raw bytes stay in that encoding
 *   (rejects are byte-exact), and each row is converted to UTF-8 with
 *   iconv before it is split, so the fields are UTF-8.  A byte sequence
 *   that is not valid in the encoding is CSVREAD_ECONV (the field gets
 *   U+FFFD in its place).  Encodings that are not ASCII-compatible
 *   (UTF-16, UTF-32, UTF-7, EBCDIC, ISO-2022-*) are refused when set.
 * - A NUL byte anywhere in a row is CSVREAD_ENUL.
 *
 * Row errors (the row is still delivered, whole, so the caller can reject
 * it) carry one error: CSVREAD_ETOOLONG if the row was cut, else
 * CSVREAD_EUNTERMINATED, else the one at the smallest offset.  A row with
 * the wrong number of fields is not an error here: the caller knows the
 * header and has row->nfields.
 */
#ifndef BLENDCAT_CSVREAD_H
#define BLENDCAT_CSVREAD_H

#include <iconv.h>
#include <stddef.h>
#include <stdio.h>

#include "blendcat/buf.h"

/* Default maximum row size in bytes, terminator included. */
#define CSVREAD_MAX_ROW ((size_t)64 << 20)
/* Read size of csvread_file(). */
#define CSVREAD_CHUNK ((size_t)64 << 10)

enum csvread_code {
	CSVREAD_OK = 0,
	/* Row errors: the row is delivered with the error set. */
	CSVREAD_ENUL,		/* NUL byte */
	CSVREAD_EUTF8,		/* invalid UTF-8 */
	CSVREAD_ECONV,		/* byte sequence not valid in the set encoding */
	CSVREAD_EQUOTE,		/* quote inside an unquoted field: ab"c */
	CSVREAD_EAFTERQUOTE,	/* data after a closing quote: "abc"x */
	CSVREAD_ECR,		/* CR outside quotes not followed by LF */
	CSVREAD_ETOOLONG,	/* row longer than the maximum; raw is cut */
	CSVREAD_EUNTERMINATED,	/* quoted field still open at end of input */
	CSVREAD_EINTERNAL,	/* libcsv split a valid row differently (a bug) */
	/* Stream errors: a function returned -1; see r->error. */
	CSVREAD_EIO,		/* read error in csvread_file() */
	CSVREAD_ESTOPPED,	/* on_row returned non-zero (r->cb_status) */
	CSVREAD_EENCODING,	/* unknown or unsupported encoding name */
	CSVREAD_EUSAGE		/* bad setting, or call out of order */
};

/*
 * Where and why.  Positions are 0 when they do not apply.
 *   line         physical line of the offending byte (1-based); for
 *                CSVREAD_EUNTERMINATED the line of the opening quote
 *   byte         1-based byte within that line (a BOM is not counted)
 *   column       1-based field number the byte is in
 *   row_offset   0-based offset of the byte in row->raw
 *   file_offset  0-based offset of the byte in the input (BOM counted)
 *   reason       human text, lower case, no final period, e.g.
 *                "invalid UTF-8 (overlong encoding) at byte 17 of line 42,
 *                field 3"; the caller prefixes file:line
 */
struct csvread_error {
	enum csvread_code code;
	unsigned long line;
	size_t byte;
	size_t column;
	size_t row_offset;
	unsigned long long file_offset;
	char reason[192];
};

/*
 * One field, UTF-8 (after conversion), NUL-terminated at data[len].  data
 * is never NULL.  It may contain delimiters, quotes (unescaped), LF, CR,
 * tabs and backslashes.  is_null tells an empty unquoted field (a,,b)
 * from a quoted empty string (a,"",b): both have len 0, only the first has
 * is_null set.  The manifests treat both as NULL.
 */
struct csvread_field {
	const char *data;
	size_t len;
	int is_null;
};

/*
 * One row, borrowed until on_row returns.
 *   line        physical line where the row starts (header: 1)
 *   end_line    physical line of its last byte (== line unless a quoted
 *               field holds LFs)
 *   index       0-based count of rows delivered before it (header: 0)
 *   offset      input offset of raw[0] (3 for the first row after a BOM)
 *   raw         the row's bytes exactly as read, in the input encoding,
 *               terminator included (LF, CR LF, or none at the end of
 *               input); raw[raw_len] is NUL
 *   term_len    0, 1 or 2: the terminator's length at the end of raw
 *   total_len   the row's real length; > raw_len only with
 *               CSVREAD_ETOOLONG, when raw holds just the first max_row
 *               bytes (do not write it to a rejects file as a row)
 *   fields      nfields fields; 0 for a blank line (keep_blank) and for a
 *               cut row.  When error.code is set the fields are libcsv's
 *               best effort (non-strict) and may not match the raw
 *               layout: reject the row whole, by its raw bytes.
 */
struct csvread_row {
	unsigned long line;
	unsigned long end_line;
	unsigned long index;
	unsigned long long offset;
	const char *raw;
	size_t raw_len;
	size_t term_len;
	unsigned long long total_len;
	size_t nfields;
	const struct csvread_field *fields;
	struct csvread_error error;
};

/* Called once per row; a non-zero return stops the reader. */
typedef int csvread_row_fn(const struct csvread_row *row, void *ctx);

struct csv_parser;

struct csvread {
	/* Results, read-only for callers. */
	struct csvread_error error;	/* why the last call returned -1 */
	int bom;			/* a UTF-8 BOM was stripped */
	int cb_status;			/* what on_row returned to stop */
	unsigned long rows;		/* rows delivered */
	unsigned long blank_lines;	/* blank lines skipped (or kept) */
	unsigned long long bytes;	/* input bytes consumed, BOM included */

	/* Private. */
	csvread_row_fn *on_row;
	void *ctx;
	size_t max_row;
	unsigned char delim;
	int keep_blank;
	char *encoding;
	iconv_t cd;
	struct csv_parser *csv;
	unsigned char cls[256];
	int started, finished, failed;
	int state, bom_state, row_quotes;
	unsigned long line, row_line, quote_line;
	size_t quote_byte;
	unsigned long long line_off, row_off;
	unsigned long long row_len;
	size_t quote_off, sfields, nfields, fields_cap;
	struct buf raw, conv, fbuf;
	struct csvread_field *fields;
	const char *utf8_why;
	char *chunk;
	struct csvread_row row;
};

/*
 * Prepare r; allocates nothing.  on_row (not NULL) gets every row with
 * ctx.  Defaults: comma, UTF-8, CSVREAD_MAX_ROW, blank lines skipped.
 */
void csvread_init(struct csvread *r, csvread_row_fn *on_row, void *ctx);

/*
 * Settings; call them before the first feed (else CSVREAD_EUSAGE).  Each
 * returns 0, or -1 with r->error set.
 */
/*
 * Delimiter: any ASCII byte but NUL, CR, LF and the quote; e.g. ';',
 * '\t', '|'.  With a multibyte encoding (Shift_JIS, GB18030...) only
 * bytes below 0x30, which never occur inside a character.
 */
int csvread_set_delim(struct csvread *r, int delim);
/* Maximum row size in bytes, terminator included (at least 2). */
int csvread_set_max_row(struct csvread *r, size_t max_row);
/* Deliver blank lines as rows with no fields (default: skip them). */
int csvread_set_keep_blank(struct csvread *r, int keep);
/*
 * Input encoding, an iconv name (LATIN1, WINDOWS-1252, ...); "UTF-8" or
 * NULL means the default.  CSVREAD_EENCODING when iconv does not know the
 * name or the encoding is not ASCII-compatible (every byte 0x00-0x7F must
 * stand for itself); the reason names the encoding.
 */
int csvread_set_encoding(struct csvread *r, const char *name);

/*
 * Push len bytes, any chunking; rows completed by them are delivered
 * before it returns.  0, or -1 with r->error set (CSVREAD_ESTOPPED when
 * on_row stopped it).  After -1 every later call fails the same way
 * until csvread_reset().
 */
int csvread_feed(struct csvread *r, const void *data, size_t len);

/*
 * End of input: delivers the last row if it has no terminator.  If a
 * quoted field is still open, the rest of the input is delivered as one
 * row with CSVREAD_EUNTERMINATED (so its bytes are not lost), then
 * csvread_finish returns -1 with the same code in r->error, whose line
 * is where that quoted field started.  Report one of the two.
 */
int csvread_finish(struct csvread *r);

/*
 * Read fp to its end in CSVREAD_CHUNK pieces, then csvread_finish().
 * A read error is CSVREAD_EIO.  fp stays open (caller owns).
 */
int csvread_file(struct csvread *r, FILE *fp);

/* Start a new input: keeps settings and memory, clears state and results. */
void csvread_reset(struct csvread *r);
/* Free everything r holds; r can be initialized again. */
void csvread_release(struct csvread *r);

/* Short stable name of a code, e.g. "utf8", "quote", "too-long". */
const char *csvread_code_name(enum csvread_code code);
/* A hint line for a row error, or NULL. */
const char *csvread_hint(enum csvread_code code);

#endif
