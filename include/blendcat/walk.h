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

#include "blendcat/buf.h"
#include "blendcat/csvman.h"
#include "blendcat/record.h"
#include "blendcat/sheet.h"
#include "blendcat/tags.h"

struct input {
	char *path;
	char *abs;		/* absolute path (realpath of the root given + the rest) */
	int file_no;		/* its number in the run */
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

/* Directories deeper than this below a path given are not entered. */
#define WALK_MAX_DEPTH 64

/* A directory being walked: its entries, sorted, and the next one. */
struct walk_dir {
	char *path;		/* the directory, as walked */
	char *abs;		/* its absolute form, or NULL */
	void *d;		/* its DIR, open: entries are stat()ed relative to it */
	char **names;		/* its entries, sorted by name; each freed once taken */
	size_t n, next;
	int depth;		/* 0: a path given */
};

/*
 * The inputs: found one at a time (walk_open, walk_next, walk_close), or
 * all at once (walk_collect).
 */
struct walk {
	struct input *in;	/* walk_collect: the inputs, in the order they are read */
	size_t nin;
	char **roots;		/* the absolute form of each path given (NULL: unknown) */
	unsigned long skipped;	/* files in the directories that are not read */
	unsigned long long total_bytes;	/* the size of the inputs found so far */
	/*
	 * What the walk has to say, in order, not printed yet: that a batch
	 * is still arriving, that a directory cannot be read.  Each note is
	 * 'i' (info) or 'e' (error), its text and a NUL (walk_say).
	 */
	struct buf notes;
	/* The walk in progress: */
	char **paths;
	int npaths, next_root;
	const struct csvman_opts *co;
	struct tags_reader *sniffer;
	struct walk_dir dirs[WALK_MAX_DEPTH + 1];	/* the directories open, outermost first */
	size_t ndirs;
	int failed;
};

/*
 * Start walking paths[0..npaths) (borrowed until walk_close): co are the
 * CSV reader's options (to probe .txt files), sniffer the libmagic of
 * files of other names.  w is zeroed here.  Every path given must exist:
 * returns 0, or -1 after saying which cannot be read (then walk_close
 * still frees what w holds).
 */
int walk_open(struct walk *w, char **paths, int npaths, const struct csvman_opts *co,
	      struct tags_reader *sniffer);

/*
 * The next input, in the order of the paths given and, below each
 * directory, of the names in each directory (bytewise, a directory's
 * entries at its own name's place: "a/x.mp3" before "a b.mp3" and
 * "a.mp3"), into *in (zeroed first; the caller owns in->path and
 * in->abs).  Hidden entries are not read, symbolic links to directories
 * are not followed, batches still arriving are skipped (a note).  Only
 * the directories on the way to the input are held, so memory does not
 * grow with the number of files.  1; 0 at the end; -1 when a directory
 * cannot be read (a note says so; the walk ends there).
 */
int walk_next(struct walk *w, struct input *in);

/*
 * Does the walk of w (open) give, or has it given, the regular file at
 * real (a real path) as an audio input: a path given, or a file below a
 * directory given, through directories the walk enters, under a name or
 * content it reads as audio?  1 or 0; no input list is needed (a DDEX
 * message's files are read with it unless the walk reads them anyway).
 */
int walk_finds_audio(struct walk *w, const char *real);

/* Print the notes of notes[0..len) (walk.notes). */
void walk_say(const char *notes, size_t len);

/* The end of a walk: say how many files were skipped (unless quiet). */
void walk_summary(const struct walk *w);

/* Free what the walk holds open (not w->in and w->roots: walk_release). */
void walk_close(struct walk *w);

/*
 * Find the inputs in paths[0..npaths) into w->in (w zeroed here), notes
 * printed as they come: walk_open, walk_next, walk_summary.  Returns 0,
 * or -1 after saying why (nothing readable, or no input at all); w holds
 * what was found either way, for walk_release().
 */
int walk_collect(struct walk *w, char **paths, int npaths, const struct csvman_opts *co,
		 struct tags_reader *sniffer);

/*
 * Add path (abs: its absolute form, or NULL) to w's inputs as a file of
 * type, with its size and times.
 */
void walk_add(struct walk *w, const char *path, const char *abs, enum rec_source type);

/* Free an input's strings. */
void walk_input_release(struct input *in);

/* Free what w holds (npaths: as given to walk_collect). */
void walk_release(struct walk *w, int npaths);

#endif
