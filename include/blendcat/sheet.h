/*
 * sheet: a sheet is rows of cells with positions, whatever the file.
 *
 * The readers of label sheets and manifests (csvman) see only this: rows,
 * each with its cells (UTF-8, NUL-terminated), its position and where a
 * rejects file finds it.  Two kinds of file give rows:
 *
 * - Delimited text of any common dialect (below), read with csvread.  A
 *   row's position is its first physical line; a rejects file copies its
 *   bytes from the file as they are (off, len), under the header's.
 * - A workbook (.xlsx, .ods; workbook.h, which reads it as a sheet with
 *   workbook_read_sheet).  A row's position is its number in the sheet,
 *   and a cell's its column: "label.xlsx:Tracks!C12" (sheet_position).
 *   Cells are typed (dates, times, numbers already converted to text, a
 *   formula error told apart).  A row is no bytes of the file: a rejects
 *   file gets its cells as CSV (sheet_csv_row), kept in a spool file.
 *
 * sheet_read_file tells them apart by content (workbook_is).
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

enum sheet_format {
	SHEET_DELIMITED,	/* delimited text (sheet_dialect says how) */
	SHEET_XLSX,		/* an Excel workbook */
	SHEET_ODS		/* an OpenDocument spreadsheet */
};

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
	enum sheet_format format;	/* text; or a workbook (then delim ',', UTF-8: */
					/* the dialect of its rows as a rejects file has them) */
};

struct sheet_opts {
	const char *encoding;		/* --encoding; NULL: UTF-8 (UTF-16 by its BOM) */
	int delim;			/* --delimiter; 0: sniffed */
	int no_header;			/* --no-header: every row is data */
	size_t max_row;			/* bytes; 0: CSVREAD_MAX_ROW */
	const char *sheet;		/* --sheet: a workbook's sheet by name; NULL: the */
					/* first visible one (workbook.h) */
	/*
	 * Where a workbook's rows are kept for a rejects file, as CSV: each
	 * row's off and len are there (sheet_row).  spool_all: every row,
	 * written before it is delivered (a row may be rejected after the
	 * reading); else a row only when sheet_row_keep asks for it.  NULL:
	 * not kept (off and len 0).  Text files ignore it.
	 */
	FILE *spool;
	int spool_all;
};

/*
 * What a cell holds.  A text file's cells are all SHEET_TEXT; a
 * workbook's are typed, their text already converted (workbook.h).
 */
enum sheet_type {
	SHEET_TEXT,			/* text as written (or an empty cell) */
	SHEET_NUMBER,			/* "120.5", "-3", never "1.2E+02" */
	SHEET_DATE,			/* "2024-01-15", "2024-01-15 13:45:00" */
	SHEET_TIME,			/* a duration in whole seconds: "185" */
	SHEET_BOOL,			/* "true" or "false" */
	SHEET_ERROR			/* no usable value: the text is what the cell */
					/* shows ("#N/A", it begins with '#') or why */
};

/* One cell: UTF-8, data[len] is NUL; empty cells have len 0. */
struct sheet_cell {
	const char *data;
	size_t len;
	int is_null;			/* empty and unquoted (a,,b), or no cell at all */
	enum sheet_type type;
};

/*
 * One row, borrowed until the row callback returns.
 *   line     the physical line it starts on (1-based); a workbook's row:
 *            its number in the sheet (blank rows are skipped, not
 *            renumbered)
 *   sheet    NULL in a text file; a workbook's sheet name: positions
 *            are cells, "label.xlsx:Tracks!C12" (sheet_position)
 *   index    rows before it (the first row: 0)
 *   off,len  where a rejects file finds it, line end included.  A text
 *            file's row: its bytes in the file, copied exactly.  A
 *            workbook's: its cells as CSV in sheet_opts.spool (0 and 0
 *            until sheet_row_keep writes it there, unless spool_all)
 *   error    a reason when the row cannot be read as cells (a stray
 *            quote, invalid UTF-8 or UTF-16, a row too long, a value in
 *            a workbook's column past the header's...); cells are then a
 *            best effort: reject the row whole
 *   error_col  the cell at fault of error (0-based, < ncells), or -1
 *   cell_errors  some cell is SHEET_ERROR (a workbook's formula error)
 *   head     the first row only: its bytes as a rejects file starts with
 *            them (a text file's as in the file, byte order mark
 *            included; a workbook's as CSV); else NULL
 * A workbook's data rows have at least the first row's ncells (cells past
 * a row's last are empty, is_null); a text file's have what they hold.
 */
struct sheet_row {
	unsigned long line;
	const char *sheet;
	unsigned long index;
	unsigned long long off, len;
	size_t ncells;
	const struct sheet_cell *cells;
	const char *error;
	long error_col;
	int cell_errors;
	const char *head;
	size_t head_len;
	const struct sheet_dialect *dialect;
	/* The reader's own, for sheet_row_keep: NULL when off, len are final. */
	int (*keep)(const struct sheet_row *row, unsigned long long *off,
		    unsigned long long *len);
	void *keep_ctx;
};

/* Called once per row, in order; non-zero stops the reading. */
typedef int sheet_row_fn(const struct sheet_row *row, void *ctx);

struct sheet_stats {
	unsigned long rows;		/* rows delivered */
	unsigned long long bytes;	/* file bytes read (a workbook: its size) */
	struct sheet_dialect dialect;
	char *sheet;			/* a workbook's sheet read, else NULL: */
					/* sheet_stats_release frees it */
};

void sheet_stats_release(struct sheet_stats *st);

/*
 * Read path, a delimited text file or a workbook (workbook_is), row by
 * row into fn.  Returns 0 when the file was read to its end (rows may
 * carry errors), -1 when it could not be (cannot open, unknown encoding,
 * read error, an unclosed quote at the end (its row is delivered first),
 * a row that cannot be placed in a UTF-16 file; a workbook refused, or
 * no such sheet; a spool that cannot be written): the error is printed
 * with the path; 1 when fn stopped it (nothing printed).  The caller
 * releases st (sheet_stats_release).
 */
int sheet_read_file(const char *path, const struct sheet_opts *o, sheet_row_fn *fn,
		    void *ctx, struct sheet_stats *st);

/*
 * The same from an open stream of delimited text (fmemopen for tests);
 * path names it in messages.
 */
int sheet_read_fp(FILE *fp, const char *path, const struct sheet_opts *o, sheet_row_fn *fn,
		  void *ctx, struct sheet_stats *st);

/*
 * Where a rejects file finds row: *off and *len are row->off and
 * row->len, after writing the row to the spool first when its reader
 * keeps it there only on demand (a workbook's row without spool_all).
 * Call it once per row at most.  0, or -1 when the spool cannot be
 * written (printed).
 */
int sheet_row_keep(const struct sheet_row *row, unsigned long long *off,
		   unsigned long long *len);

/*
 * cells[0, n) as one CSV row, comma-separated and LF-terminated, appended
 * to out: a cell is quoted (quotes doubled) when it holds a comma, a
 * quote, CR or LF.  How a workbook's rows go to a rejects file.
 */
void sheet_csv_row(struct buf *out, const struct sheet_cell *cells, size_t n);

/*
 * The position of cell col (0-based; -1 the whole row) of the row
 * numbered line of path, appended to out: "label.xlsx:Tracks!C12" (the
 * row: "label.xlsx:Tracks!12"; line 0: "label.xlsx:Tracks") when sheet
 * is a workbook's sheet name; else "path:line" ("path" for line 0).
 */
void sheet_position(struct buf *out, const char *path, const char *sheet, unsigned long line,
		    long col);

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

/*
 * The dialect in words, for the report: "semicolon, UTF-8 with BOM, CRLF,
 * decimal comma"; a workbook's: "xlsx workbook".
 */
void sheet_dialect_describe(const struct sheet_dialect *d, struct buf *out);

/*
 * --delimiter's argument: one ASCII character (not a quote, CR, LF or
 * NUL), "\t", or a name: tab, comma, semicolon, pipe.  The byte, or -1.
 */
int sheet_delim_parse(const char *arg);

#endif
