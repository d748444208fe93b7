/*
 * csvman_internal: what the files of csvman share, internal to them (no
 * other module includes this header).  csvman.c reads a sheet: its header
 * to the sources of fields, each row to records or a reject; csvgroups.c
 * has the numbered column groups of a track sheet (a label sheet's
 * creators, --map KIND.FIELD groups); csvmap.c parses the --map file.
 * Here are the reader's state and the functions one file calls of
 * another, named csvman_.
 */
#ifndef BLENDCAT_CSVMAN_INTERNAL_H
#define BLENDCAT_CSVMAN_INTERNAL_H

#include <stddef.h>

#include "blendcat/buf.h"
#include "blendcat/csvman.h"
#include "blendcat/record.h"
#include "blendcat/sheet.h"

/* One field of the record and the columns that fill it. */
struct source {
	int field;
	size_t cols[4];
	size_t ncols;
	int ms;			/* a duration in milliseconds (its header says so) */
	int nullable;		/* a null marker in it is empty (rec_field_takes_null_marker) */
};

/*
 * A label sheet names creators in numbered groups of columns:
 * "Composer 1", "Composer 1 IPI", "Composer 1 PRO", "Composer 1 Split",
 * "Producer", "Writer 2 Email"...  Each group with a name becomes a
 * creator row of the track, with the group's role.
 */
#define MAX_GROUPS 16

struct group {
	char role[24];		/* folded role word: "composer" */
	unsigned number;
	long cols[REC_MAX_FIELDS];	/* creator field -> column, -1 */
};

/*
 * A track sheet's child rows in numbered column groups, from --map
 * KIND.FIELD entries: time_1, section_1, time_2, section_2...  Each kind
 * with such entries gets a struct wide: its entries, the group numbers the
 * header has, and for each group, entry and part (a joined header or a
 * flag) the column, or -1.  A pattern without '#' is the same column for
 * every group (shared); a kind none of whose patterns has one is a
 * single group.
 */
struct wide {
	enum rec_kind kind;
	const struct csvman_map_entry **ent;
	int *field;		/* each entry's field number */
	size_t nent;
	unsigned *num;		/* the group numbers, ascending (0: the single group) */
	size_t ngroups;
	long *col;		/* [group][entry][part] */
	int numbered;		/* some pattern has a '#' */
};

#define WCOL(w, g, e, p) ((w)->col[((g) * (w)->nent + (e)) * CSVMAN_MAP_PARTS + (p)])

/* A child row built from a group, and the group's number for messages. */
struct kid {
	struct rec rec;
	unsigned num;
};

/* The state of reading one sheet. */
struct reader {
	const char *path;
	int file_no;
	const struct csvman_opts *o;
	const struct csvman_sink *sink;
	struct csvman_stats *st;
	enum rec_kind kind;
	size_t ncols;
	struct source src[REC_MAX_FIELDS];
	size_t nsrc;
	struct rec rec;
	struct group groups[MAX_GROUPS];
	size_t ngroups;
	struct rec crec[MAX_GROUPS];	/* the creators of the current row */
	struct buf join, val;
	struct rec_opts ropts;	/* the options, with the dialect's decimal comma */
	unsigned char *null_said;	/* per column: a null marker was warned about */
	unsigned char *used;	/* per column: read by a --map entry */
	struct wide *wide;	/* --map KIND.FIELD groups of a track sheet, per kind */
	size_t nwide;
	struct kid *kids;	/* their rows for the current row */
	size_t nkids, kids_cap;
	int failed;		/* a file-level error was reported */
	const struct sheet_row *row;	/* the row being read */
	const char *sheet;	/* its sheet, when positions are cells (sheet_row) */
	unsigned long hline;	/* the header's line */
	struct buf where;	/* a cell's position, "label.xlsx:Tracks!C12" */
	unsigned char *reads;	/* per column: a field reads it (sheet_row.cell_errors) */
};


/* ------------------------------------------------------------ csvman.c */

/* s folded into out (size bytes): lower case, letters and digits only. */
void csvman_fold(const char *s, char *out, size_t size);

/*
 * Reject the row being read at column col (-1: the whole row), field
 * and value as the sink's reject takes them.  0, or non-zero to stop
 * the read (the sink said so, or the row could not be kept).
 */
int csvman_reject(struct reader *rd, const struct rec_prov *p, long col, const char *field,
		  const char *value, const char *reason);

/* A remark about column col (-1: the row) of the row being read. */
void csvman_warn(struct reader *rd, const struct rec_prov *p, long col, const char *field,
		 const char *msg);

/*
 * Cell col of row as field f of kind k reads it, into out: empty when it
 * holds only a null marker and the field takes one, which is said once
 * per column (p NULL: not said).
 */
void csvman_cell_of(struct reader *rd, const struct sheet_row *row, size_t col, enum rec_kind k,
		    int f, const struct rec_prov *p, struct rec_part *out);

/* --------------------------------------------------------- csvgroups.c */

/* Column col of a track sheet, if it belongs to a creator group: 1, else 0. */
int csvman_add_group_column(struct reader *rd, const char *header, size_t col);

/*
 * The creators of a label-sheet row, in rd->crec.  Returns how many, or
 * -1 (-2: the sink said stop) after rejecting the row.
 */
int csvman_row_groups(struct reader *rd, const struct sheet_row *row,
		      const struct rec_prov *p);

/* The --map KIND.FIELD entries, bound to a track sheet's header; -1 printed. */
int csvman_wide_setup(struct reader *rd, const struct sheet_row *row);

/*
 * Every child row of a track sheet's row from its wide groups, in
 * rd->kids.  0, or -1 (-2: the sink said stop) after rejecting the row.
 */
int csvman_wide_rows(struct reader *rd, const struct sheet_row *row, const struct rec_prov *p);

/* Free the wide groups and their rows. */
void csvman_wide_release(struct reader *rd);

#endif
