/*
 * import: the import and check commands — walk the inputs, read them,
 * load (or only validate), write the rejects and the report.
 */
#ifndef BLENDCAT_IMPORT_H
#define BLENDCAT_IMPORT_H

#include <libpq-fe.h>

#include "blendcat/normalize.h"

/* How a run ended; cli.c gives each its exit code (README "Exit codes"). */
enum import_result {
	IMPORT_OK,		/* everything loaded (check: nothing rejected) */
	IMPORT_REJECTS,		/* loaded, with rejects */
	IMPORT_USAGE,		/* the paths given hold no input, or cannot be read */
	IMPORT_FAILED,		/* nothing loaded: input or database error, rolled back */
	IMPORT_INTERRUPTED_INT,	/* stopped by SIGINT, rolled back (the last two) */
	IMPORT_INTERRUPTED_TERM	/* stopped by SIGTERM, rolled back */
};

struct import_opts {
	int check_only;			/* check: nothing written to the database */
	/*
	 * check without a database (--offline, or none configured): the
	 * inputs are read as the walk finds them, never held all at once
	 */
	int offline;
	int insert_only;		/* --mode insert */
	int require_audio;		/* --require-audio */
	int jobs;			/* --jobs: threads reading tags (scan.h) */
	int incremental;		/* --incremental: skip audio files unchanged */
	int title_from_filename;	/* --title-from-filename (tags.h) */
	int apply_takedowns;		/* --apply-takedowns */
	int validate_xsd;		/* --validate-xsd */
	const char *xsd_dir;		/* the ERN XSDs, for validate_xsd */
	int atomic_file;		/* --atomic file: a transaction per input file */
	long max_rejects;		/* -1: unlimited */
	enum norm_date_order date_order;
	const char *encoding;
	int delim;			/* --delimiter; 0: sniffed per file */
	int no_header;			/* --no-header: sheets' columns are 1, 2, 3... */
	const char **nulls;		/* --null TEXT...: more null markers */
	size_t nnulls;
	const char *map_path;
	const char *sheet;		/* --sheet: a workbook's sheet by name */
	const char *rejects_dir;	/* NULL: rejects/<run timestamp> */
	const char *report_path;	/* --report FILE.json */
	/*
	 * --diff: what the run changes, track by track (loaddiff.h), to
	 * diff_path (import --diff FILE; "-" or NULL: stdout).  diff_format:
	 * -1 by the output (a terminal: text), else enum loaddiff_format.
	 */
	int diff;
	const char *diff_path;
	int diff_format;
	int progress;			/* --progress: even when stderr is not a terminal */
	int no_progress;		/* --no-progress */
	char **paths;
	int npaths;
	/* The exit code of a result, which ingest.run records (cli.c's). */
	int (*exit_code)(enum import_result res);
};

/* A run between its phases: import_prepare() to import_finish(). */
struct import_job;

/*
 * Find the inputs in o->paths, all that comes before the database.
 * Returns IMPORT_OK and sets *job, or IMPORT_USAGE after saying why.
 * o is borrowed until import_finish().
 */
enum import_result import_prepare(const struct import_opts *o, struct import_job **job);

/*
 * Read, validate and load: import with conn, which holds blendcat's lock
 * (db_lock); check with conn, in a transaction rolled back, or without a
 * database (NULL), each row alone.  Prints the report.
 */
enum import_result import_run(struct import_job *job, PGconn *conn);

/*
 * Write the --report of a run that ended with res, and free job.  Returns
 * res, or IMPORT_REJECTS when a run that was IMPORT_OK cannot write it.
 */
enum import_result import_finish(struct import_job *job, enum import_result res);

#endif
