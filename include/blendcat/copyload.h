/*
 * copyload: records -> PostgreSQL, in one transaction.
 *
 *   load_begin    BEGIN; temporary staging tables; COPY ... FROM STDIN
 *   load_record   one valid record (COPY binary, 64 KiB at a time)
 *   load_reject   one rejected row's provenance, so its track goes too
 *   load_end_copy end the COPY and send the rows spooled
 *   load_check    the checks across rows (duplicates, new tracks without
 *                 title, a track's split total, sections against its
 *                 duration and each other, --mode insert) -> reasons
 *   load_rejects  every rejected row, own reason or its track's, in file
 *                 order, for the rejects files
 *   load_takedown a track or release to delete (--apply-takedowns)
 *   load_merge    upsert tracks, replace changed child sets, apply
 *                 takedowns, counts
 *   load_commit / load_abort
 *
 * The client holds no per-track state: the staging tables hold the rows
 * and every join across rows and files happens in the database.  Rows of
 * a rejected track are taken out of the staging before the merge.  The
 * one exception is small: the sections of the track being read, which the
 * client orders and checks against each other while it holds them (at
 * most LOAD_SPAN_MAX rows; load_span.c), so that the database sorts only
 * the tracks whose sections come apart.
 *
 * Into an empty catalog, from CSV alone (direct_ok), the child rows skip
 * the staging: they go by COPY straight into the catalog's tables, whose
 * keys and indexes are dropped at BEGIN, and are checked there; the client
 * keeps where each came from in a spool, and stages the rows of the few
 * tracks rejected after the checks (load_bulk.c).  On every path, each run
 * of a track's child rows of one kind is also one row of bc_head (struct
 * load_run), which the checks of unknown tracks and split totals read.
 *
 * The code is in copyload.c (COPY, transaction), load_check.c,
 * load_merge.c, load_bulk.c and load_sql.c (every statement); see
 * include/blendcat/load_internal.h.
 */
#ifndef BLENDCAT_COPYLOAD_H
#define BLENDCAT_COPYLOAD_H

#include <stdio.h>

#include <libpq-fe.h>

#include "blendcat/buf.h"
#include "blendcat/csvman.h"
#include "blendcat/record.h"
#include "blendcat/uuid.h"

struct load_counts {
	unsigned long staged;		/* valid rows read */
	unsigned long rejected;		/* rows rejected (own reason or track's) */
	unsigned long inserted;		/* tracks: new rows; children: rows written */
	unsigned long updated;		/* tracks: rows changed */
	unsigned long unchanged;	/* tracks: given but equal */
	unsigned long replaced;		/* children: tracks whose set was replaced */
	unsigned long deleted;		/* children: old rows removed */
};

/*
 * The arrangement sections of one track coming in a row, held until the
 * row after them (load_span.c).
 */
#define LOAD_SPAN_MAX 64
#define LOAD_SPAN_BYTES (256u << 10)
struct load_span_row {
	long long start, end;		/* seconds; LLONG_MAX when missing */
	long long prev_end;		/* the overlap found, LLONG_MAX if none */
	unsigned long line;
	size_t text_end;		/* where its staging row ends in rows */
};
struct load_span {
	struct buf rows;		/* the rows, staged but for their last columns */
	struct buf track;		/* the track they name */
	struct buf out;			/* the rows whole, when the span ends */
	struct buf final;		/* direct: the rows for the catalog's table */
	struct load_span_row row[LOAD_SPAN_MAX];
	size_t nrows;
	int file_no;
	int by_isrc;			/* a row naming its track by ISRC: alone */
	int section_field, start_field, end_field;
};

/*
 * Where a COPY or a spool file goes: kind k's staging table (k), its
 * catalog table (LOAD_FINAL + k, the bulk path's child rows), the
 * sections' spans (LOAD_SPAN, bc_span) or the child rows' runs
 * (LOAD_HEAD, bc_head), the bulk path's.
 */
#define LOAD_FINAL REC_NKINDS
#define LOAD_SPAN (2 * REC_NKINDS)
#define LOAD_HEAD (2 * REC_NKINDS + 1)
#define LOAD_NDEST (2 * REC_NKINDS + 2)

/*
 * The bulk path's provenance spool: the last record written, which the
 * next one is written against (load_bulk.c).
 */
struct load_prov {
	int kind, file_no, src;
	unsigned batch;			/* the COPY the row went in */
	unsigned char tid[UUID_SIZE];
	unsigned long long n, line, end;
	int started;
};

/*
 * The run of child rows in progress (one kind, one track, in a row), sent
 * as a row of bc_head when it ends: kind, track id (when rows carry one),
 * the creators' split total in hundredths, track name.  The checks for
 * unknown tracks and split totals read runs, not rows.
 */
struct load_run {
	int started, kind, has_tid;
	unsigned char tid[UUID_SIZE];
	struct buf name;
	long long split;
};

struct load {
	PGconn *conn;
	int insert_only;		/* --mode insert */
	int require_audio;		/* --require-audio */
	enum rec_source source;		/* where the records coming are from: their rank */
	int multi_source;		/* the run has more than one kind of source */
	unsigned long disagreements;	/* fields two sources gave differently */
	struct buf copy;		/* COPY data not yet sent */
	struct buf sql;
	struct buf what;
	struct buf files;		/* bc_file rows, sent by load_staged */
	struct buf present;		/* bc_present rows, sent by load_staged */
	struct uuid_gen ids;
	int named_ids;			/* the catalog was empty at BEGIN: rows carry tids */
	struct buf tid_name;		/* the last track name given an id, and its id: */
	unsigned char tid[UUID_SIZE];	/* a track's rows come in a row */
	int has_tid;
	unsigned long long n;		/* rows staged, rejects included */
	int in_copy, in_txn;
	int copy_binary;		/* the COPY in progress is in the binary format */
	int copy_dest;			/* where the COPY in progress goes (LOAD_FINAL...) */
	FILE *spool[LOAD_NDEST];	/* rows for elsewhere, sent after the COPY */
	unsigned batch;			/* COPYs and spools to the catalog so far */
	unsigned copy_batch;		/* the COPY in progress's number */
	unsigned spool_batch[LOAD_NDEST];	/* the number of each spool's COPY */
	int direct_ok;			/* CSV alone: child rows may skip the staging */
	int direct;			/* they do: the catalog was empty (load_bulk.c) */
	FILE *prov;			/* direct: where each child row came from */
	struct load_prov prov_last;
	struct load_run run;		/* the run of child rows in progress */
	struct buf head;		/* a bc_head row */
	int split_field;		/* the creators' split_percentage */
	struct buf paths;		/* file_no, path, each NUL-terminated */
	unsigned long restaged;		/* direct: rows of rejected tracks staged again */
	unsigned long direct_deleted[REC_NKINDS];	/* and taken out of the catalog */
	struct load_span span;		/* arrangement rows held (load_span.c) */
	int any_bad;			/* some row or track is rejected */
	int bulk;			/* the catalog was empty: indexes rebuilt after */
	int interrupted;		/* a signal stopped the load (said once) */
	struct buf takedowns;		/* VALUES rows for bc_takedown, not sent yet */
	unsigned long ntakedowns;	/* load_takedown calls */
	unsigned long by_isrc;		/* rows naming their track by ISRC (rec.by_isrc) */
	unsigned long weak;		/* fields some row only guessed (rec.weak) */
	struct load_counts counts[REC_NKINDS];
};

void load_init(struct load *l, PGconn *conn);
void load_release(struct load *l);

/*
 * Check that the catalog's tables exist (migrations applied), BEGIN and
 * start the COPY.  0 or -1 (printed).
 */
int load_begin(struct load *l);
/*
 * Name input file_no for the reasons the database writes; call before
 * reading it.  The names reach the database with load_staged: the COPY in
 * progress goes on.
 */
int load_file(struct load *l, int file_no, const char *path);
/*
 * An audio file of this name is in the run but not read (--incremental:
 * unchanged), for --require-audio.
 */
void load_present(struct load *l, const char *audio_filename);
/*
 * --incremental: record the audio files read in ingest.file_state, in the
 * load's transaction.  rows is COPY text, one line per file:
 * file_no, absolute path, size, mtime and ctime in nanoseconds.  Call
 * after load_rejects, before load_merge.  0 or -1 (printed).
 */
int load_file_state(struct load *l, const struct buf *rows, long run_id);
/*
 * Start the COPY of a file's rows of kind (from its header); files of one
 * kind in a row go on with the COPY in progress.
 */
int load_start(struct load *l, enum rec_kind kind);
int load_record(struct load *l, const struct rec *r, const struct rec_prov *p);
int load_reject(struct load *l, enum rec_kind kind, const struct rec_prov *p,
		const char *audio_filename);
/* End the COPY in progress, if any. */
int load_end_copy(struct load *l);
/* All inputs read: end the COPY, send the file names and takedowns. */
int load_staged(struct load *l);

/* A reason found by load_check, for rejects.log. */
typedef int load_reason_fn(void *ctx, int file_no, unsigned long line, const char *field,
			   const char *value, const char *reason);
int load_check(struct load *l, load_reason_fn *fn, void *ctx);

/*
 * Every row to reject, ordered by file and offset.  track_reason is NULL
 * for a row with its own reason, else the row is rejected because of its
 * track, and names where that track's problem is ("tracks.csv:75").
 */
typedef int load_row_fn(void *ctx, enum rec_kind kind, int file_no,
			unsigned long long off, unsigned long long len, unsigned long line,
			const char *audio_filename, const char *track_reason);
int load_rejects(struct load *l, load_row_fn *fn, void *ctx);

/*
 * A takedown from input file_no (line: its element): the track named
 * audio_filename, or every track of catalog_number (either may be NULL).
 * Applied by load_merge: rows staged from file_no or earlier inputs for
 * those tracks are dropped, and the catalog's tracks are deleted with
 * their children unless a later input delivers them again.
 */
void load_takedown(struct load *l, int file_no, unsigned long line, const char *audio_filename,
		   const char *catalog_number);

/*
 * Take rejected tracks out, apply takedowns, merge, ANALYZE; fills
 * l->counts (tracks taken down: counts[REC_TRACK].deleted).
 */
int load_merge(struct load *l);
/*
 * Run a query of one row of ncols numbers into v, in the load's
 * transaction: 0, or -1 (printed under what).
 */
int load_count_row(struct load *l, const char *what, const char *sql, long *v, int ncols);
int load_commit(struct load *l);
/* Roll back whatever is open (COPY included); never fails. */
void load_abort(struct load *l, const char *why);

#endif
