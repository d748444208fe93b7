/*
 * import_internal: what the files of import and check share — a run in
 * progress (import.c) and its report at the end (report.c).  Not for
 * other modules: they use import.h.
 */
#ifndef BLENDCAT_IMPORT_INTERNAL_H
#define BLENDCAT_IMPORT_INTERNAL_H

#include <libpq-fe.h>
#include <stddef.h>
#include <time.h>

#include "blendcat/buf.h"
#include "blendcat/copyload.h"
#include "blendcat/import.h"
#include "blendcat/loaddiff.h"
#include "blendcat/rejects.h"
#include "blendcat/tags.h"
#include "blendcat/walk.h"

/* The first warnings are shown; the rest are counted (the report has them). */
#define WARNINGS_SHOWN 20

struct run {
	const struct import_opts *o;
	/*
	 * The inputs, by file_no; reading as the walk finds them (stream),
	 * only the sheets and messages and the files they named, in file_no
	 * order.
	 */
	struct input *in;
	size_t nin;
	size_t files;			/* inputs found, and files messages named */
	struct stream *stream;		/* check without a database: the walk in progress */
	struct rejects rej;
	struct load load;
	int loading;		/* import (not check) */
	unsigned long rows, records, rejected_rows;
	unsigned long long bytes;
	unsigned long bad_files;
	unsigned long warnings;
	unsigned long skipped;		/* files in the directories that are not read */
	size_t committed;		/* transactions committed (--atomic file: files) */
	/* --incremental */
	unsigned long unchanged;	/* audio files not read: as the last run saw them */
	unsigned long unchanged_rejected;	/* of those, files rejected when last read */
	unsigned long gone;		/* files of ingest.file_state no longer there */
	unsigned long audio_read;	/* audio files opened */
	char **roots;			/* absolute forms of the paths given (NULL: unknown) */
	struct tags_reader sniffer;	/* the walk's libmagic, for files of other names */
	unsigned long takedowns;	/* releases taken down by the messages */
	/* Audio files DDEX messages name (read after the message, for their tags): */
	char **named;			/* the current message's, not read yet */
	size_t nnamed;
	char **audio_real;		/* real paths of the audio inputs, sorted */
	size_t naudio_real;
	int audio_real_built;
	PGconn *conn;
	struct load_counts totals[REC_NKINDS];	/* over every transaction */
	struct load_tracks tracks;		/* the same, per track */
	/* --diff: what each transaction changes, written beside the report */
	int diffing;
	struct loaddiff diff;
	/* Progress: on a terminal, or with --progress. */
	int progress;
	unsigned long long total_bytes, done_bytes;
	unsigned long long file_base;	/* the size of the inputs before the one being read */
	size_t base_no;			/* ... which is this one (the inputs held) */
	unsigned long seen;
	double last_shown;
	struct timespec t0;
	long run_id;
	char stamp[32];
	char *rejects_dir;
};

/* Seconds since the run started (import.c). */
double import_elapsed(const struct run *r);

/* report.c: how each sheet was read (stderr). */
void report_sheets(const struct run *r);

/* report.c: the run's counts as a JSON object (--report, ingest.run). */
void report_counts_json(const struct run *r, struct buf *b, int status_ok);

/* report.c: the table of counts and the summary (stderr), unless quiet. */
void report_print(const struct run *r, int ok);

/* report.c: the --report file, if asked for.  Returns 0 or -1. */
int report_write(const struct run *r, int ok);

#endif
