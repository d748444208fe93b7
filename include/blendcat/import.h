/*
 * import: the import and check commands — walk the inputs, read them,
 * load (or only validate), write the rejects and the report.
 */
#ifndef BLENDCAT_IMPORT_H
#define BLENDCAT_IMPORT_H

#include "blendcat/normalize.h"

struct import_opts {
	int check_only;			/* check: nothing written to the database */
	int offline;			/* check --offline: no database at all */
	const char *db;
	int wait;
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
	const char *map_path;
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
};

/* Run; returns the exit code (cli.h). */
int import_run(const struct import_opts *o);

#endif
