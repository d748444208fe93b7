/*
 * rejects: the rejects directory of a run.
 *
 *   DIR/rejects.log     one line per problem: file:line:field: value: reason
 *   DIR/<input name>    the rejected rows of that input, byte for byte as
 *                       read, under its header row: fix and import again
 *
 *   DIR/<input name>.csv the rejected rows of a workbook (.xlsx, .ods), as
 *                       CSV under its sheet's header row
 *
 * The directory and files are created on the first reject, so a clean run
 * leaves nothing behind.  Rows are copied from the input files by offset,
 * so a row is never held in memory whole (a 1 GB row is copied in pieces).
 * A workbook's rows are copied from the spool, a temporary file its reader
 * writes every row to as CSV (rejects_spool).
 */
#ifndef BLENDCAT_REJECTS_H
#define BLENDCAT_REJECTS_H

#include <stdio.h>

struct rejects_file {
	int file_no;		/* the input's number */
	char *path;		/* the input, as given */
	char *out_name;		/* its name in the rejects directory */
	char *header;		/* raw header row */
	size_t header_len;
	FILE *out;
	int in_fd;
	int spooled;		/* a workbook: its rows are in the spool */
};

struct rejects {
	char *dir;
	int dir_made;
	FILE *log;
	struct rejects_file *files;	/* by file_no, increasing */
	size_t nfiles, alloc;
	unsigned long rows, problems;
	int failed;
	FILE *spool;		/* workbooks' rows as CSV (rejects_spool) */
};

/* dir: where to write (not created yet). */
void rejects_init(struct rejects *r, const char *dir);
/*
 * Register input file_no (greater than any registered before), whose
 * rejected rows are copied to the rejects directory; its header comes
 * later.  An input that is not registered (an audio file) has its
 * rejects only named in rejects.log: a library of audio files costs no
 * memory here.
 */
void rejects_add_file(struct rejects *r, int file_no, const char *path);
/*
 * The same for a workbook: its rejected rows go to "<input name>.csv", as
 * CSV, copied from the spool by the offsets its reader gave.
 */
void rejects_add_sheet(struct rejects *r, int file_no, const char *path);
/*
 * The run's spool, a temporary file (created on first use, removed at
 * exit): a workbook's reader writes each row to it as CSV, and gives the
 * row's offset and length there instead of in the input.  NULL when it
 * cannot be created (reported).
 */
FILE *rejects_spool(struct rejects *r);
void rejects_set_header(struct rejects *r, int file_no, const char *raw, size_t len);
/*
 * One problem for rejects.log.  line 0 and field NULL leave them out;
 * value is shown quoted, escaped and cut to 80 characters.  0 or -1.
 */
int rejects_log(struct rejects *r, const char *path, unsigned long line, const char *field,
		const char *value, const char *reason);
/* Copy len bytes at off of input file_no to its rejects file.  0 or -1. */
int rejects_row(struct rejects *r, int file_no, unsigned long long off,
		unsigned long long len);
/* Push everything written so far to the files; -1 if anything failed. */
int rejects_flush(struct rejects *r);
/* Close everything; -1 if anything failed to write. */
int rejects_close(struct rejects *r);
void rejects_release(struct rejects *r);

/*
 * Make the regular file open on fd private (mode 0600), as every file
 * that may hold contact data is, even when it existed before with another
 * mode; a device or pipe is left alone.  0 or -1 (errno set).
 */
int rejects_private(int fd);

#endif
