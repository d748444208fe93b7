/*
 * runlog: what import and check record of themselves in the database —
 * a row of ingest.run per run (what it was given, how it ended, its
 * counts), and for --incremental ingest.file_state, the audio files read
 * by the last successful runs with their size and times.
 */
#ifndef BLENDCAT_RUNLOG_H
#define BLENDCAT_RUNLOG_H

#include <libpq-fe.h>
#include <stddef.h>

#include "blendcat/copyload.h"
#include "blendcat/import.h"
#include "blendcat/walk.h"

/*
 * Record the start of a run of o (diffing: with --diff) in ingest.run,
 * its id in *run_id; an import first marks the runs that never recorded
 * their end as interrupted.  Returns 0, or -1 after saying why.
 */
int runlog_start(PGconn *c, const struct import_opts *o, int diffing, long *run_id);

/*
 * Record the end of run run_id (0: never started, nothing done): code
 * and its exit status, the counts (JSON), the rejects directory (NULL:
 * none written) and the error (NULL: none).  A failure is a warning.
 */
void runlog_finish(PGconn *c, long run_id, enum import_result code, int exit_status,
		   const char *counts, const char *rejects_dir, const char *error);

/* What --incremental found by ingest.file_state. */
struct runlog_files {
	unsigned long unchanged;	/* audio files as the last run saw them */
	unsigned long unchanged_rejected;	/* of those, files rejected when last read */
	unsigned long gone;		/* files below the roots no longer there */
};

/*
 * --incremental: mark unchanged the audio inputs whose path, size, mtime
 * and ctime are those ingest.file_state has, counted in *f (zeroed by
 * the caller); warn of the files it has below roots[0..nroots) (NULL
 * entries: unknown) that are gone.  A file recorded as rejected stays to
 * be read when something else may now give its track what it lacked: a
 * sheet or a message among the inputs, the catalog having its track, or
 * title_from_filename (--title-from-filename) not as in the run that
 * rejected it.  Returns 0, or -1 after saying why.
 */
int runlog_files_compare(PGconn *c, struct input *inputs, size_t nin, char *const *roots,
			 int nroots, int title_from_filename, struct runlog_files *f);

/*
 * Stage for ingest.file_state, in load's transaction, the audio files of
 * inputs [from, to) that were read by run run_id.  Returns 0 or -1.
 */
int runlog_files_save(struct load *load, const struct input *inputs, size_t from, size_t to,
		      long run_id);

#endif
