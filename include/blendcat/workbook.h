/*
 * workbook: the rows of one sheet of an Excel workbook (.xlsx, Office
 * Open XML) or an OpenDocument spreadsheet (.ods, LibreOffice), streamed.
 *
 *	struct workbook *wb;
 *	struct workbook_error err;
 *	const struct workbook_row *row;
 *	int rc;
 *
 *	if (workbook_open(path, &opts, &wb, &err) < 0)
 *		... err.where and err.msg say why ...
 *	while ((rc = workbook_next_row(wb, &row)) == 1)
 *		... row->row, row->cells[0 .. row->ncells) ...
 *	if (rc < 0)
 *		... workbook_error(wb) says why ...
 *	workbook_close(wb);
 *
 * It never prints: problems come back as struct workbook_error.  But
 * workbook_read_sheet, which gives a sheet's rows as sheet.h's rows (how
 * the rest of the program reads a workbook, through sheet_read_file),
 * prints its errors as sheet_read_file does.
 *
 * The sheet: opts.sheet by name (exact, else the only one whose name
 * matches ignoring ASCII case), else the first visible one (xlsx: state
 * hidden or veryHidden; ods: a table style with table:display="false").
 *
 * Rows: only rows holding at least one cell with a value, in order,
 * numbered as in the spreadsheet (1-based; blank rows are skipped, not
 * renumbered).  A row's cells come by column, increasing; columns without
 * a value are left out (a row may skip columns: <c r="C12">, ods
 * table:number-columns-repeated).  A row or a cell the file repeats (ods
 * number-rows-repeated, number-columns-repeated) is delivered as often as
 * it is repeated; empty repeats (the million-row trailer LibreOffice
 * writes) cost nothing.
 *
 * Values, as text (UTF-8, NUL-terminated):
 *   string   shared strings, inline strings, formula strings, ods text
 *            (paragraphs joined by a line feed; _xHHHH_ escapes decoded)
 *   number   the full value: integers without ".0", others with up to 15
 *            significant digits, never in exponent notation from 1e-6 to
 *            1e21 (workbook_number_text)
 *   bool     "true" or "false"
 *   date     YYYY-MM-DD: an xlsx number whose format is a date (built-in
 *            formats 14-17, 22, 27-36, 50-58, or a custom format with y,
 *            d or a month m outside quotes and brackets), in the 1900
 *            system (with its phantom 1900-02-29) or the 1904 system
 *            (workbookPr date1904); ods office:date-value.  A date with a
 *            time of day gets " HH:MM:SS".
 *   time     a duration in whole seconds, rounded half up: an xlsx number
 *            whose format has only h, m (minutes) and s, or [h] [m] [s]
 *            (built-in 18-21, 45-47); ods office:time-value (PT1H2M3S)
 *   error    no usable value: the error value a formula gave, as the
 *            cell shows it ("#N/A", "#DIV/0!": it begins with '#'), else
 *            why ("a formula without a saved value", "date serial -2 is
 *            out of range")
 *   empty    a cell given with an empty text (an empty shared string)
 *
 * Memory stays flat however long the sheet: the parts are read with zip
 * streams and libxml2's SAX2 push parser, a chunk at a time, and only a
 * chunk's rows wait.  The shared-strings table is the one thing held, and
 * it is bounded (max_strings, max_string_bytes).
 *
 * Hostile files are refused, with the reason: zip bombs (each entry's
 * expansion ratio and the total of uncompressed bytes read are bounded,
 * counted while reading: the sizes a zip header gives can lie), entry
 * names with ".." or absolute paths, encrypted or password-protected
 * workbooks (an OLE2 file holding EncryptionInfo; an ods whose manifest
 * has encryption-data; zip entries with the encryption flag), and a
 * DOCTYPE in any XML part (xmlsafe.h: no DTD, no entities, no network).
 */
#ifndef BLENDCAT_WORKBOOK_H
#define BLENDCAT_WORKBOOK_H

#include <stddef.h>

#include "blendcat/buf.h"
#include "blendcat/sheet.h"

/* Defaults of struct workbook_opts. */
#define WORKBOOK_MAX_RATIO 200u			/* past 1 MiB of an entry */
#define WORKBOOK_MAX_BYTES ((unsigned long long)4 << 30)
#define WORKBOOK_MAX_STRINGS ((size_t)4 << 20)
#define WORKBOOK_MAX_STRING_BYTES ((size_t)64 << 20)
#define WORKBOOK_MAX_ROW_BYTES ((size_t)64 << 20)
/* Fixed limits: Excel's and LibreOffice's own. */
#define WORKBOOK_MAX_COLS 16384ul
#define WORKBOOK_MAX_ROWS 1048576ul

enum workbook_format { WORKBOOK_NONE, WORKBOOK_XLSX, WORKBOOK_ODS };

enum workbook_type {
	WORKBOOK_EMPTY,
	WORKBOOK_STRING,
	WORKBOOK_NUMBER,
	WORKBOOK_BOOL,
	WORKBOOK_DATE,
	WORKBOOK_TIME,
	WORKBOOK_ERROR
};

struct workbook_cell {
	unsigned long col;	/* 1-based: A is 1 */
	enum workbook_type type;
	const char *text;	/* never NULL; text[len] is NUL */
	size_t len;
};

/* A row, borrowed until the next workbook_next_row or workbook_close. */
struct workbook_row {
	unsigned long row;	/* 1-based */
	size_t ncells;
	const struct workbook_cell *cells;
};

enum workbook_code {
	WORKBOOK_OK,
	WORKBOOK_EIO,		/* cannot open or read the file */
	WORKBOOK_ENOTWORKBOOK,	/* not an .xlsx or .ods (another zip, a CSV, an .xls) */
	WORKBOOK_EFORMAT,	/* a damaged or malformed workbook */
	WORKBOOK_EUNSAFE,	/* a zip bomb, a path out of the archive, a DOCTYPE */
	WORKBOOK_EENCRYPTED,	/* encrypted or password-protected */
	WORKBOOK_ENOSHEET,	/* no such sheet, or no visible one */
	WORKBOOK_ELIMIT		/* a limit of struct workbook_opts */
};

/*
 * Why.  where is "" or a position without the file: "Tracks!C12" (a cell,
 * as workbook_cell_ref writes it), "xl/worksheets/sheet1.xml:3" (a line
 * of a part); msg is lower case, no final period.
 */
struct workbook_error {
	enum workbook_code code;
	char where[320];
	char msg[512];
};

struct workbook_opts {
	const char *sheet;		/* NULL: the first visible sheet */
	/* Limits; 0 takes the default above. */
	unsigned max_ratio;
	unsigned long long max_bytes;
	size_t max_strings;
	size_t max_string_bytes;
	size_t max_row_bytes;
	/*
	 * Read in the calling thread only.  By default a thread of the
	 * workbook's own inflates and parses the sheet ahead of the caller
	 * (4096 rows or 4 MiB of text at most); the rows are the same.
	 */
	int no_thread;
};

struct workbook;

/*
 * What path holds, by its content (never its name): WORKBOOK_XLSX (a zip
 * with xl/workbook.xml), WORKBOOK_ODS (a zip whose mimetype entry is
 * application/vnd.oasis.opendocument.spreadsheet), or WORKBOOK_NONE.
 * *encrypted (may be NULL) is set for an encrypted Office file (an OLE2
 * compound file holding EncryptionInfo), which is a workbook to refuse:
 * then WORKBOOK_XLSX.  Unreadable files are WORKBOOK_NONE.
 */
enum workbook_format workbook_probe(const char *path, int *encrypted);

/*
 * Open path (o may be NULL) and find its sheet.  0 with *wb set (caller
 * closes), or -1 with *err filled and *wb NULL.
 */
int workbook_open(const char *path, const struct workbook_opts *o, struct workbook **wb,
		  struct workbook_error *err);
/* The same from memory; data is borrowed until workbook_close. */
int workbook_open_mem(const void *data, size_t size, const struct workbook_opts *o,
		      struct workbook **wb, struct workbook_error *err);

/* The next row: 1 with *row set, 0 at the end, -1 (see workbook_error). */
int workbook_next_row(struct workbook *wb, const struct workbook_row **row);
const struct workbook_error *workbook_error(const struct workbook *wb);
/* The sheet being read; borrowed until workbook_close. */
const char *workbook_sheet(const struct workbook *wb);
enum workbook_format workbook_format(const struct workbook *wb);
void workbook_close(struct workbook *wb);

/* ------------------------------------------------------ as a sheet */

/*
 * Is path to be read as a workbook: by its content (workbook_probe), or
 * by its name (.xlsx, .xlsm, .ods, .xls: then workbook_open says what is
 * wrong with it)?
 */
int workbook_is(const char *path);
/* By its name alone: .xlsx, .xlsm, .ods or .xls (any case). */
int workbook_named(const char *path);

/*
 * Read path's sheet (o->sheet, else the first visible one) as a sheet
 * (sheet.h), as sheet_read_file does for text: returns 0, -1 (printed,
 * with the cell or part at fault: "label.xlsx:Tracks!C12: ...") or 1
 * (fn stopped it).
 *
 * Rows with no value at all are skipped (as blank lines of a text file
 * are); line is the row's number in the sheet, sheet its name.  Each
 * row's cells are laid out by column from A: a cell the file leaves out
 * is empty (is_null), and every row after the first has at least the
 * first's width (the header's: its last cell given).  A value past it,
 * in a column without a header, is an error of its row at that cell.
 * Cells keep their type (sheet_type; WORKBOOK_EMPTY is empty text).
 * The header (the first row) is given as CSV in head; each row's CSV
 * goes to o->spool (sheet_opts), st->dialect is comma-separated UTF-8,
 * the dialect of that CSV, with format SHEET_XLSX or SHEET_ODS.
 */
int workbook_read_sheet(const char *path, const struct sheet_opts *o, sheet_row_fn *fn,
			void *ctx, struct sheet_stats *st);

/*
 * The same from an open workbook (workbook_open_mem, for tests); path
 * names it in messages.  The caller closes wb.
 */
int workbook_read_sheet_wb(struct workbook *wb, const char *path, const struct sheet_opts *o,
			   sheet_row_fn *fn, void *ctx, struct sheet_stats *st);

/* ------------------------------------------- pure helpers, for tests */

/*
 * A cell's position as a spreadsheet writes it: "Tracks!C12", "'Track
 * List'!C12" (a name with spaces or punctuation is quoted, quotes
 * doubled); col 0 gives the row, "Tracks!12".  Appended to b.
 */
void workbook_cell_ref(struct buf *b, const char *sheet, unsigned long row, unsigned long col);
/* Column letters to number: "A" 1, "Z" 26, "AA" 27; 0 when not letters. */
unsigned long workbook_col_number(const char *s, size_t len);

#define WORKBOOK_NUMBER_SIZE 48
/* v as text (see "number" above) into out; its length. */
size_t workbook_number_text(double v, char out[WORKBOOK_NUMBER_SIZE]);

#define WORKBOOK_DATE_SIZE 32
/*
 * An Excel serial date (days since the 1900 or 1904 epoch, a fraction
 * for the time of day) as YYYY-MM-DD, with " HH:MM:SS" when the time,
 * rounded to the second, is not midnight.  0, or -1 with why (out of
 * range; 0 and 60 of the 1900 system are the days 1900-01-00 and
 * 1900-02-29 that do not exist).
 */
int workbook_serial_date(double serial, int date1904, char out[WORKBOOK_DATE_SIZE],
			 char why[128]);
/* A fraction of a day as whole seconds, rounded half up; -1 if negative or huge. */
long long workbook_day_seconds(double days);
/* An ISO 8601 duration (ods time-value: PT1H2M3.5S, P1DT2H) in whole seconds, or -1. */
long long workbook_iso_duration(const char *s);

enum workbook_fmt { WORKBOOK_FMT_NUMBER, WORKBOOK_FMT_DATE, WORKBOOK_FMT_TIME };
/* What a number format code shows: "yyyy-mm-dd" a date, "[h]:mm:ss" a time... */
enum workbook_fmt workbook_format_kind(const char *code);
/* The same for a built-in format id (14 m/d/yyyy, 46 [h]:mm:ss...). */
enum workbook_fmt workbook_builtin_kind(unsigned long id);

#endif
