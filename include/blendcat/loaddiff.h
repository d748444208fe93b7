/*
 * loaddiff: what a load changes in the catalog, track by track.
 *
 * Two things, both computed in the load's transaction from the staging
 * tables (copyload.h) and the catalog:
 *
 *   - the counts per track (struct load_tracks): tracks inserted, updated
 *     (a field or a set of children changed), unchanged, deleted (taken
 *     down) and rejected, for the report of every import;
 *   - the diff (check --diff, import --diff FILE): before the merge the
 *     rows of every track the run names or takes down are kept in
 *     temporary tables; after it they are compared with the catalog, and
 *     one entry per track is streamed out with COPY ... TO STDOUT:
 *     insert, update (each changed field as old and new value, as the
 *     catalog holds them; each kind of child rows as the rows added and
 *     removed, known by their content, never by ids), unchanged, delete,
 *     or reject with its reasons.  As JSONL (one object per track) or as
 *     a listing grouped by action.  Memory stays flat: the rows stay in
 *     the server.
 *
 * The order in a transaction (import.c's load_batch):
 *
 *   load_begin ... load_rejects      (copyload.h)
 *   loaddiff_count_before            counts: the rejected tracks
 *   loaddiff_before                  diff only: the touched rows as they are
 *   load_merge
 *   loaddiff_count_after             counts: inserted, updated, unchanged...
 *   loaddiff_write                   diff only: compare, stream out
 *   load_commit (import) or load_abort (check --diff)
 */
#ifndef BLENDCAT_LOADDIFF_H
#define BLENDCAT_LOADDIFF_H

#include <stddef.h>
#include <stdio.h>

#include "blendcat/buf.h"
#include "blendcat/copyload.h"
#include "blendcat/record.h"

/* Tracks, each counted once by what the load does to it. */
struct load_tracks {
	unsigned long inserted;
	unsigned long updated;		/* a field or a kind of children changed */
	unsigned long unchanged;	/* named by the run, nothing changed */
	unsigned long deleted;		/* taken down (--apply-takedowns) */
	unsigned long rejected;		/* rejected, and not taken down */
	unsigned long rejected_gone;	/* private: rejected and taken down */
};

/* Counts of the transaction: before load_merge, then after it. */
int loaddiff_count_before(struct load *l, struct load_tracks *t);
int loaddiff_count_after(struct load *l, struct load_tracks *t);

enum loaddiff_format { LOADDIFF_JSONL, LOADDIFF_TEXT };

struct loaddiff {
	int fd;				/* where the diff goes (borrowed) */
	const char *name;		/* fd's name, for messages */
	enum loaddiff_format format;
	int color;			/* text: ANSI colours */
	FILE *reasons;			/* the readers' rejects: COPY rows for bc_dreason */
	long long start;		/* fd's offset when the transaction began, or -1 */
	unsigned long lines;		/* tracks written */
	int lines_out;			/* text: a line was written (blank line before a group) */
	struct buf line;		/* a line being written */
};

/* fd: the output (stdout, or the --diff FILE); nothing allocated. */
void loaddiff_init(struct loaddiff *d, int fd, const char *name, enum loaddiff_format format,
		   int color);
void loaddiff_release(struct loaddiff *d);

/* A transaction begins: no reasons yet; note where its diff starts. */
void loaddiff_begin(struct loaddiff *d);
/*
 * A row a reader rejected, with its reason (rejects.log's line), for the
 * track's reasons.  Kept in a temporary file: memory stays flat.  0 or -1.
 */
int loaddiff_reason(struct loaddiff *d, int file_no, unsigned long line, const char *audio_filename,
		    const char *field, const char *value, const char *reason);
/* After load_rejects, before load_merge: keep the touched rows.  0 or -1 (printed). */
int loaddiff_before(struct loaddiff *d, struct load *l);
/* After load_merge, in its transaction: write the diff.  0 or -1 (printed). */
int loaddiff_write(struct loaddiff *d, struct load *l);
/*
 * The transaction failed: take back what it wrote (the file is cut back
 * to where the transaction began; a pipe cannot be).
 */
void loaddiff_fail(struct loaddiff *d);

/*
 * Undo COPY's text escaping (\\, \n, \t, \r, \b, \f, \v) of the len bytes
 * at s, in place; returns the new length.  Pure.
 */
size_t loaddiff_unescape(char *s, size_t len);
/*
 * One line of the text listing as the SQL gives it: a class character
 * (a group's header, a track, a field, a child added or removed, a
 * reason) and the text.  Appends the text and a newline to out, in the
 * class's colour when color.  Pure.
 */
void loaddiff_render(struct buf *out, const char *line, size_t len, int color);

#endif
