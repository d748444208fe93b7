/*
 * sheet: a sheet is rows of cells with positions, whatever the file.
 *
 * The readers of label sheets and manifests (csvman) see only this: rows,
 * each with its cells (UTF-8, NUL-terminated), its first physical line,
 * and the byte range it has in the file (for the rejects, which copy a
 * row byte for byte).  Today the file is delimited text of any common
 * dialect, read with csvread; a workbook reader (.xlsx, .ods) gives the
 * same rows.
 *
 * Dialects (sheet_sniff):
 *
 * - Encoding: UTF-8 by default (a byte order mark is stripped); a UTF-16
 *   byte order mark (FF FE, FE FF) means UTF-16LE or UTF-16BE, as Excel's
 *   "Unicode text" export writes it; --encoding NAME names another
 *   (ASCII-compatible, converted per row by csvread; UTF-16, UTF-16LE and
 *   UTF-16BE are read here).  UTF-16 is converted to UTF-8 before the rows
 *   are split; row positions stay those of the file.
 * - Separator: the one of ',' ';' TAB '|' that the first line has most
 *   often outside quotes (on a tie the first in that order; none: ','),
 *   unless --delimiter names it.
 * - Decimal comma: in a ';'-separated sheet a number may be written
 *   "120,5" (Excel in most European locales); the dialect says so and
 *   the record reads such numbers with a point (rec_opts).
 *
 * Never prints but through diag, once, for file-level errors.
 */
#ifndef BLENDCAT_SHEET_H
#define BLENDCAT_SHEET_H

#include <stddef.h>
#include <stdio.h>

#include "blendcat/buf.h"

enum sheet_charset {
	SHEET_UTF8,		/* UTF-8, with or without a BOM */
	SHEET_UTF16LE,
	SHEET_UTF16BE,
	SHEET_ICONV		/* --encoding: an ASCII-compatible encoding */
};

struct sheet_dialect {
	int delim;			/* ',' ';' '\t' '|' or what --delimiter said */
	int delim_given;		/* from --delimiter, not sniffed */
	enum sheet_charset charset;
	const char *encoding;		/* "UTF-8", "UTF-16LE", or --encoding (borrowed) */
	int bom;			/* the file starts with a byte order mark */
	int crlf;			/* the first row ends in CR LF */
	int decimal_comma;		/* ';'-separated: 120,5 is 120.5 */
	int header;			/* the first row names the columns */
};

struct sheet_opts {
	const char *encoding;		/* --encoding; NULL: UTF-8 (UTF-16 by its BOM) */
	int delim;			/* --delimiter; 0: sniffed */
	int no_header;			/* --no-header: every row is data */
	size_t max_row;			/* bytes; 0: CSVREAD_MAX_ROW */
};

/* One cell: UTF-8, data[len] is NUL; empty cells have len 0. */
struct sheet_cell {
	const char *data;
	size_t len;
	int is_null;			/* empty and unquoted (a,,b) */
};

/*
 * One row, borrowed until the row callback returns.
 *   line     the physical line it starts on (1-based)
 *   index    rows before it (the first row: 0)
 *   off,len  its bytes in the file, line end included: a rejects file
 *            copies exactly these
 *   error    a reason when the row cannot be read as cells (a stray
 *            quote, invalid UTF-8 or UTF-16, a row too long...); cells
 *            are then a best effort: reject the row whole
 *   head     the first row only: its bytes as in the file, byte order
 *            mark included (a rejects file starts with them); else NULL
 */
struct sheet_row {
	unsigned long line;
	unsigned long index;
	unsigned long long off, len;
	size_t ncells;
	const struct sheet_cell *cells;
	const char *error;
	const char *head;
	size_t head_len;
	const struct sheet_dialect *dialect;
};

/* Called once per row, in order; non-zero stops the reading. */
typedef int sheet_row_fn(const struct sheet_row *row, void *ctx);

struct sheet_stats {
	unsigned long rows;		/* rows delivered */
	unsigned long long bytes;	/* file bytes read */
	struct sheet_dialect dialect;
};

/*
 * Read path, a delimited text file, row by row into fn.  Returns 0 when
 * the file was read to its end (rows may carry errors), -1 when it could
 * not be (cannot open, unknown encoding, read error, an unclosed quote at
 * the end (its row is delivered first), a row that cannot be placed in
 * a UTF-16 file): the error is printed with the path; 1 when fn stopped
 * it (nothing printed).
 */
int sheet_read_file(const char *path, const struct sheet_opts *o, sheet_row_fn *fn,
		    void *ctx, struct sheet_stats *st);

/* The same from an open stream (fmemopen for tests); path names it in messages. */
int sheet_read_fp(FILE *fp, const char *path, const struct sheet_opts *o, sheet_row_fn *fn,
		  void *ctx, struct sheet_stats *st);

/*
 * The dialect of a file from its first len bytes (any prefix; the more
 * of the first line the better) and the options.  Pure.
 */
void sheet_sniff(const void *data, size_t len, const struct sheet_opts *o,
		 struct sheet_dialect *d);

/*
 * The separator of a first line of UTF-8 (or ASCII-compatible) text: the
 * one of ',' ';' TAB '|' found most often outside double quotes before
 * the first line end outside quotes; ',' when none is.  Pure.
 */
int sheet_sniff_delim(const char *text, size_t len);

/* "comma", "semicolon", "tab", "pipe", or the character quoted: "':'". */
const char *sheet_delim_name(int delim, char tmp[8]);

/* The dialect in words, for the report: "semicolon, UTF-8 with BOM, CRLF, decimal comma". */
void sheet_dialect_describe(const struct sheet_dialect *d, struct buf *out);

/*
 * --delimiter's argument: one ASCII character (not a quote, CR, LF or
 * NUL), "\t", or a name: tab, comma, semicolon, pipe.  The byte, or -1.
 */
int sheet_delim_parse(const char *arg);

#endif
