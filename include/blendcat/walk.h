/*
 * walk: finding the inputs of import and check in the paths given —
 * files named on the command line, and every file below the directories
 * given whose name or content makes it a manifest or label sheet (CSV,
 * workbook), a DDEX message or audio; DDEX delivery batches still
 * arriving and hidden files are skipped.
 */
#ifndef BLENDCAT_WALK_H
#define BLENDCAT_WALK_H

#include <stddef.h>

#include "blendcat/csvman.h"
#include "blendcat/record.h"
#include "blendcat/sheet.h"
#include "blendcat/tags.h"

struct input {
	char *path;
	char *abs;		/* absolute path (realpath of the root given + the rest) */
	enum rec_source type;	/* what it is, which is also its rank when sources merge */
	unsigned long long size;
	long long mtime_ns, ctime_ns;
	int unchanged;		/* --incremental: as ingest.file_state has it: not read */
	enum rec_kind kind;
	int usable;		/* the header was understood */
	int named;		/* an audio file a DDEX message named, read after it */
	int sheet_read;		/* a CSV file opened: dialect says how it was read */
	struct sheet_dialect dialect;
	int workbook;		/* REC_SRC_CSV: an .xlsx or .ods workbook (workbook_is) */
	char *sheet;		/* ... the sheet read, once read */
};

/* The inputs found, in the order they are read. */
struct walk {
	struct input *in;
	size_t nin;
	char **roots;		/* the absolute form of each path given (NULL: unknown) */
	unsigned long skipped;	/* files in the directories that are not read */
	unsigned long long total_bytes;	/* the size of the inputs */
};

/*
 * Find the inputs in paths[0..npaths) into w (zeroed by the caller): co
 * are the CSV reader's options (to probe .txt files), sniffer the
 * libmagic of files of other names.  Returns 0, or -1 after saying why
 * (nothing readable, or no input at all); w holds what was found either
 * way, for walk_release().
 */
int walk_collect(struct walk *w, char **paths, int npaths, const struct csvman_opts *co,
		 struct tags_reader *sniffer);

/*
 * Add path (abs: its absolute form, or NULL) to w's inputs as a file of
 * type, with its size and times.
 */
void walk_add(struct walk *w, const char *path, const char *abs, enum rec_source type);

/* Free what w holds (npaths: as given to walk_collect). */
void walk_release(struct walk *w, int npaths);

#endif
