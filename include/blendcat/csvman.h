/*
 * csvman: CSV manifests -> catalog records.
 *
 * Reads one CSV file with csvread, recognises what it holds from its
 * header (one of the manifest set's five files, by column names and
 * their common aliases such as "Track Title" or "BPM"; --map for any
 * other header), and turns every row into a record (record.h) or a
 * reject with its reason.  It never talks to the database: a sink gets
 * each header, record and reject with the row's provenance.
 */
#ifndef BLENDCAT_CSVMAN_H
#define BLENDCAT_CSVMAN_H

#include <stddef.h>
#include <stdio.h>

#include "blendcat/record.h"

struct csvman_sink {
	/* The header row: its raw bytes, for the rejects file. */
	int (*header)(void *ctx, int file_no, enum rec_kind kind,
		      const char *raw, size_t len);
	/* A valid record. */
	int (*record)(void *ctx, const struct rec *r, const struct rec_prov *p);
	/*
	 * A rejected row: audio_filename is the track it belongs to when
	 * known (else NULL), field the column at fault (or NULL for the whole
	 * row), value that column's text as read (or NULL).
	 */
	int (*reject)(void *ctx, const struct rec_prov *p, const char *audio_filename,
		      const char *field, const char *value, const char *reason);
	/* A non-fatal remark about a row (an unknown PRO kept as given). */
	void (*warn)(void *ctx, const struct rec_prov *p, const char *field,
		     const char *msg);
	void *ctx;
};

/* A --map file: field = header [+ header ...] lines. */
struct csvman_map_entry {
	char *field;		/* a manifest column name */
	char **headers;		/* the headers that fill it, joined */
	size_t nheaders;
};

struct csvman_map {
	struct csvman_map_entry *v;
	size_t n;
};

#define CSVMAN_MAP_INIT { NULL, 0 }

/* Read a --map file; prints errors with file:line.  0 or -1. */
int csvman_map_load(const char *path, struct csvman_map *map);
void csvman_map_release(struct csvman_map *map);

struct csvman_opts {
	const char *encoding;		/* NULL: UTF-8 */
	struct rec_opts rec;
	const struct csvman_map *map;	/* NULL: none */
	/*
	 * Read the file as a workbook (.xlsx, .ods; workbook.h), not as CSV:
	 * its sheet's rows stand for lines, numbered as in the sheet, and
	 * positions in messages and provenance (rec_prov.where) are cells,
	 * "label.xlsx:Tracks!C12".  sheet: by name, NULL the first visible.
	 * Each data row is written to spool as CSV (when not NULL) and its
	 * provenance gives its offset there (rejects_spool); without a
	 * spool, offsets are 0.
	 */
	int workbook;
	const char *sheet;
	FILE *spool;
	/*
	 * Only the rows rejected while reading go to the spool, as they are:
	 * when nothing rejects rows later (check without a database).
	 */
	int spool_rejects_only;
};

struct csvman_stats {
	unsigned long rows, records, rejects;
	unsigned long long bytes;
	enum rec_kind kind;
	char *sheet;			/* a workbook's sheet read (caller frees) */
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

/*
 * Which kind and field a header names (aliases included), or -1.  Pure;
 * for tests and for the map.
 */
int csvman_header_field(const char *header, enum rec_kind *kind);

#endif
