/*
 * scan: the tags of many audio files, read in parallel by worker threads
 * and handed to one sink in the order of the files.
 *
 * The files come from a source the calling thread asks, one at a time,
 * as room frees up (a list, or the walk itself: a library is never held
 * whole).  Each worker has its own struct tags_reader (TagLib file,
 * libmagic cookie, records) and writes what a file gives (records, a
 * reject, warnings) to a tape of its own; the calling thread plays the
 * tapes to the sink file by file, in input order.  So the sink runs in
 * one thread, needs no lock, and sees exactly the calls of a one-thread
 * run, whatever the number of workers: the COPY stream, the rejects, the
 * warnings and the database come out the same.  At most SCAN_AHEAD files
 * per worker are read ahead of the sink, so memory does not grow with
 * the input.
 */
#ifndef BLENDCAT_SCAN_H
#define BLENDCAT_SCAN_H

#include <stddef.h>

#include "blendcat/tags.h"

#define SCAN_AHEAD 8
#define SCAN_MAX_JOBS 256

struct scan_file {
	const char *path;	/* borrowed until the source is asked again */
	int file_no;
};

/* Where the files come from, in their order. */
struct scan_source {
	/*
	 * The next file into *f: 1; 0 when there are no more; -1 to end
	 * the scan on an error (reported; the files given before it are
	 * still read and reach the sink).  Called in the calling thread
	 * only, never during a sink call.
	 */
	int (*next)(void *ctx, struct scan_file *f);
	/*
	 * Optional: the sink calls of file file_no come next (called in the
	 * calling thread, in the order of the files, before any sink call of
	 * that file).
	 */
	void (*begin)(void *ctx, int file_no);
	void *ctx;
};

/* The number of CPUs online, at least 1: the default of --jobs. */
int scan_default_jobs(void);

/*
 * Read the files src gives with tags_read_file in jobs worker threads
 * (1: in the calling thread, none started) and give sink their calls,
 * from the calling thread only, in the order of the files.  Returns 0;
 * -1 when a sink callback returned non-zero (the workers stop, nothing
 * more reaches the sink), when the source did, when a worker thread
 * cannot start, or when libmagic cannot load (reported).
 */
int scan_tags(const struct scan_source *src, int jobs, const struct tags_opts *o,
	      const struct rec_sink *sink);

#endif
