/*
 * csvman: CSV manifests and label sheets -> catalog records.
 *
 * Reads one sheet (sheet.h: a CSV file of any dialect, or a workbook's
 * sheet), recognises what it holds from its header (one of the manifest
 * set's five files, by column names and their common aliases such as
 * "Track Title" or "BPM"; --map for any other header), and turns every
 * row into a record (record.h) or a reject with its reason.  It never
 * talks to the database: a sink gets each header, record and reject with
 * the row's provenance.  Where the sheet's positions are cells (a
 * workbook's), a problem's provenance names the cell (rec_prov.where:
 * "label.xlsx:Tracks!C12"), and off and len are the row's in the spool.
 */
#ifndef BLENDCAT_CSVMAN_H
#define BLENDCAT_CSVMAN_H

#include <stddef.h>
#include <stdio.h>

#include "blendcat/record.h"
#include "blendcat/sheet.h"

/*
 * The sink: a rec_sink (record.h) and the header.  record and reject must
 * be set; a reject's field is the column at fault (or NULL for the whole
 * row), its audio_filename the track the row belongs to when known; a
 * remark is about a row (an unknown PRO kept as given).
 */
struct csvman_sink {
	struct rec_sink rec;
	/* The header row: its raw bytes, for the rejects file (may be NULL). */
	int (*header)(void *ctx, int file_no, enum rec_kind kind,
		      const char *raw, size_t len);
};

/*
 * A --map file, one entry a line (blank lines and lines starting with '#'
 * are skipped):
 *
 *   field = Header [+ Header ...]         a field of the file's own rows,
 *                                         one column or several joined
 *                                         (a '#' starts a comment here)
 *   KIND.FIELD = Pattern [+ Pattern ...]  a field of child rows of a track
 *                                         sheet (KIND: creator, instrument,
 *                                         arrangement, sample; track.FIELD
 *                                         is a plain field); '#' in a
 *                                         pattern stands for a group number:
 *                                         time_# is time_1, time_2...
 *   KIND.FIELD = Pat? VALUE | Pat? VALUE  one child row per true flag
 *                                         column, with VALUE in FIELD
 *
 * Headers and patterns match a header cell ignoring case, spaces and
 * punctuation, as aliases do.
 */
struct csvman_map_flag {
	char *header;		/* the flag column's pattern */
	char *value;		/* the field's value when the flag is true */
};

#define CSVMAN_MAP_PARTS 8	/* headers joined, or flags, per entry */

struct csvman_map_entry {
	char *field;		/* a manifest column name */
	int kind;		/* -1: the file's own rows; else a child kind (KIND.FIELD) */
	char **headers;		/* the headers that fill it, joined (at most 4) */
	size_t nheaders;
	struct csvman_map_flag *flags;	/* or: flags, one row per true one */
	size_t nflags;
	unsigned long line;	/* in the map file */
};

struct csvman_map {
	struct csvman_map_entry *v;
	size_t n;
};

#define CSVMAN_MAP_INIT { NULL, 0 }

/* Read a --map file; prints errors with file:line.  0 or -1. */
int csvman_map_load(const char *path, struct csvman_map *map);
/* The same from len bytes of text; name is the file's, for messages. */
int csvman_map_parse(const char *text, size_t len, const char *name, struct csvman_map *map);
void csvman_map_release(struct csvman_map *map);

struct csvman_opts {
	const char *encoding;		/* NULL: UTF-8 (UTF-16 by its byte order mark) */
	int delim;			/* --delimiter; 0: sniffed (sheet.h) */
	int no_header;			/* --no-header: columns named 1, 2, 3... */
	struct rec_opts rec;
	const struct csvman_map *map;	/* NULL: none */
	const char *const *nulls;	/* --null: more null markers (norm_null_marker) */
	size_t nnulls;
	const char *sheet;		/* --sheet: a workbook's sheet by name */
	FILE *spool;			/* a workbook's rows for the rejects (sheet_opts) */
	int spool_all;			/* ... every row, not only the rejected ones */
};

struct csvman_stats {
	unsigned long rows, records, rejects;
	unsigned long long bytes;
	enum rec_kind kind;
	struct sheet_dialect dialect;	/* how the file was read */
	char *sheet;			/* a workbook's sheet read, else NULL (caller frees) */
};

/*
 * Read path (file number file_no) into sink.  Returns 0 when the file was
 * read (rows may have been rejected), -1 when the file as a whole could
 * not be used (unreadable, no header, no audio_filename column, not
 * UTF-8 and no --encoding): the error is printed, and nothing of it was
 * given to the sink but maybe some rows before an I/O error.  A sink
 * callback returning non-zero stops the read with -1.
 */
int csvman_read_file(const char *path, int file_no, const struct csvman_opts *o,
		     const struct csvman_sink *sink, struct csvman_stats *st);

/* The same from an open stream (fmemopen for tests); path names it.  NULL fp: open path. */
int csvman_read_fp(FILE *fp, const char *path, int file_no, const struct csvman_opts *o,
		   const struct csvman_sink *sink, struct csvman_stats *st);

/*
 * Is path, a file of another name than *.csv (a .txt in a directory), a
 * sheet?  1 when it is UTF-16 (Excel's "Unicode text") or its first line
 * names the audio file's column (audio_filename or an alias), else 0.
 * Prints nothing.
 */
int csvman_probe(const char *path, const struct csvman_opts *o);

/*
 * Which kind and field a header names (aliases included), or -1.  Pure;
 * for tests and for the map.
 */
int csvman_header_field(const char *header, enum rec_kind *kind);

#endif
