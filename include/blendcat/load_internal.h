/*
 * load_internal: what the files of the loader share.  The loader is
 * copyload.h's API, in the order of a load's stages:
 *
 *   copyload.c     the API's entry points, the transaction, the staging
 *                  tables and the COPY streaming into them
 *   load_span.c    a track's sections held while they come in a row,
 *                  checked against each other before they are staged
 *   load_check.c   the checks across rows and files, rows named by ISRC,
 *                  the rejected tracks and rows (load_check, load_rejects)
 *   load_merge.c   rejected tracks out, takedowns, guessed fields, merge
 *                  of sources, update and insert of tracks, replacement
 *                  of changed child sets (load_merge)
 *   load_bulk.c    the empty catalog's path: keys and indexes dropped
 *                  before the merge (or, for CSV alone, at BEGIN, with the
 *                  child rows sent straight into the catalog's tables and
 *                  their provenance spooled) and built again after it
 *   load_sql.c     every statement they send
 *
 * Internal to the loader: no other module includes this header.
 */
#ifndef BLENDCAT_LOAD_INTERNAL_H
#define BLENDCAT_LOAD_INTERNAL_H

#include "blendcat/buf.h"
#include "blendcat/copyload.h"
#include "blendcat/record.h"

#include <libpq-fe.h>

/*
 * The staging columns before a kind's fields other than audio_filename
 * (load_sql_staging): n, bad, id, audio_filename, tid, given, file_no,
 * line, off, len, src.
 */
#define HEAD_COLUMNS 11
/*
 * The staging columns after a kind's fields: by_isrc, by_isrc_field,
 * weak, no_duration.
 */
#define STAGING_TAIL 4
/* The arrangement staging's columns after those: head, span_last, prev_end. */
#define SPAN_COLUMNS 3
/* bc_head's columns (struct load_run): kind, tid, split, audio_filename. */
#define BC_HEAD_COLUMNS 4
/*
 * The bulk path's bc_span columns before SPAN_COLUMNS (load_span.c): id,
 * n, tid, file_no, line, audio_filename, section_name, start_time,
 * end_time.
 */
#define BC_SPAN_HEAD 9

/* --------------------------------------------- copyload.c: running SQL */

/* Run sql (one or more statements): 0, or -1 with the error printed under what. */
int load_exec(struct load *l, const char *what, const char *sql);
/*
 * Run query, which gives one string of statements (or ''), then run
 * those: 0, or -1 with the error printed under what.
 */
int load_exec_built(struct load *l, const char *query, const char *what);
/* Run sql and return its affected-row count, or -1 (printed). */
long load_exec_count(struct load *l, const char *what, const char *sql);
/* Run a query of one number and return it, or -2 (printed). */
long load_count(struct load *l, const char *sql);

/*
 * A SIGINT or SIGTERM was caught (db.h): the load stops at its next step
 * and is rolled back.  Said once.
 */
int load_interrupted(struct load *l);

/*
 * Record r as a staging row into b, in COPY's binary format (copybin.h;
 * an arrangement row without its SPAN_COLUMNS, which follow), numbered
 * l->n + 1 and counted.  0, or -1 (printed) for a value not in its
 * canonical form.
 */
int load_encode(struct load *l, struct buf *b, const struct rec *r, const struct rec_prov *p);
/*
 * The bulk path (l->direct): child record r as a row of its catalog
 * table into b, numbered l->n + 1 (its id: uuid_numbered_bytes) and
 * counted, its provenance spooled for COPY batch (load_bulk_prov).
 */
int load_encode_final(struct load *l, struct buf *b, const struct rec *r, const struct rec_prov *p,
		      unsigned batch);
/* The COPY number rows for dest get (the one in progress, or its spool's). */
unsigned load_batch_of(struct load *l, int dest);
/*
 * A staging row of kind k with its head only (HEAD_COLUMNS; the fields
 * NULL): a rejected row (bad), or a rejected track's row staged again.
 */
void load_encode_head(struct buf *b, enum rec_kind k, unsigned long long n, int bad,
		      const unsigned char *id, const char *audio_filename, const unsigned char *tid,
		      const struct rec_prov *p, enum rec_source src);
/*
 * The id a new track of this name gets, which its rows carry (NULL
 * unless l->named_ids, and for no name).
 */
const unsigned char *load_track_id(struct load *l, const char *name);
/*
 * Whole rows for dest (LOAD_FINAL...) into its COPY when it is the one in
 * progress, else into its spool file.  0 or -1 (printed).
 */
int load_put(struct load *l, int dest, const struct buf *rows);
/* Send what waits in the spool files, a COPY per destination.  0 or -1. */
int load_send_spools(struct load *l);

/* --------------------------------------------------------- load_span.c */

void load_span_init(struct load_span *s);
void load_span_release(struct load_span *s);
/* Forget the rows held (the load is abandoned). */
void load_span_reset(struct load_span *s);
/* An arrangement record: held with its track's span.  0 or -1 (printed). */
int load_span_add(struct load *l, const struct rec *r, const struct rec_prov *p);
/* The span held, if any, staged (load_put).  0 or -1 (printed). */
int load_span_flush(struct load *l);

/* --------------------------------------------------------- load_bulk.c */

/*
 * Before the tracks are merged: when the catalog has no track, set
 * l->bulk and drop its keys and indexes.  0 or -1 (printed).
 */
int load_bulk_begin(struct load *l);
/* After the merge, bulk: build the keys and indexes again.  0 or -1. */
int load_bulk_end(struct load *l);

/*
 * At BEGIN, when the run may take the direct path (l->direct_ok) and the
 * catalog has no track: drop its keys and indexes, and set l->direct
 * and l->bulk.  0 or -1 (printed).
 */
int load_bulk_start(struct load *l);
/*
 * Direct: where the child row numbered n (l->n) came from, into the
 * provenance spool.  0 or -1 (printed).
 */
int load_bulk_prov(struct load *l, const struct rec *r, const unsigned char *tid,
		   const struct rec_prov *p, unsigned batch);
/* The run of child rows in progress (load_run) ends: its row goes to bc_head.  0 or -1. */
int load_head_end(struct load *l);
/*
 * Direct, after the checks: every child row of a rejected track (a
 * reason or a rejected row names it) staged again from the spool, with
 * its provenance, and the reasons found on the catalog's tables given
 * their file and line.  0 or -1 (printed).
 */
int load_bulk_restage(struct load *l);
/* Direct: the rows staged again leave the catalog's tables (counted).  0 or -1. */
int load_bulk_drop_rejected(struct load *l);
/*
 * A COPY into a catalog table failed (res): say which input row, from
 * the server's row number and the spool.
 */
void load_bulk_failed_row(struct load *l, unsigned batch, const PGresult *res);

/* ---------------------------------------------------------- load_sql.c */

/*
 * A function load_sql_X(b, ...) makes b hold statement X; a constant
 * load_sql_X is one.  See load_sql.c for what each does.
 */

/* Staging and COPY (copyload.c) */
extern const char load_sql_has_catalog[];
void load_sql_staging(struct buf *b);
void load_sql_copy(struct buf *b, const char *table, int binary);
void load_sql_copy_final(struct buf *b, enum rec_kind k);
void load_sql_takedowns(struct buf *b, const char *values);
extern const char load_sql_fstate_table[];
void load_sql_file_state(struct buf *b, int any_bad);

/* Checks and rejects (load_check.c) */
void load_sql_resolve_isrc(struct buf *b);
void load_sql_check_duplicates(struct buf *b);
extern const char load_sql_check_new_tracks[];
/* direct: the child rows are in the catalog's tables, not the staging. */
/* heads: every child row is in a run of bc_head (no row names its track by ISRC). */
void load_sql_check_splits(struct buf *b, int direct, int heads);
void load_sql_check_sections(struct buf *b, int direct);
void load_sql_check_orphans(struct buf *b, int by_tid, int direct, int heads);
void load_sql_rejected_keys(struct buf *b, int rows_bad);
void load_sql_fill_reasons(struct buf *b);
void load_sql_delete_final(struct buf *b, enum rec_kind k);
extern const char load_sql_check_insert_only[];
void load_sql_check_require_audio(struct buf *b);
void load_sql_bad_tracks(struct buf *b, int rows_bad);
extern const char load_sql_reasons[];
void load_sql_rejected_rows(struct buf *b);

/* Merge (load_merge.c) */
void load_sql_drop_rejected(struct buf *b);
void load_sql_takedowns_staging(struct buf *b);
extern const char load_sql_takedowns_catalog[];
void load_sql_drop_weak(struct buf *b, unsigned long weak);
void load_sql_disagreements(struct buf *b);
void load_sql_merge_sources(struct buf *b);
/*
 * A statement that writes the catalog, for kind k's staged rows n <= upto
 * (all of them when upto is 0): a failing one is run again on shorter
 * prefixes to find the input row at fault.  bulk: the catalog was empty.
 */
typedef void load_merge_sql_fn(struct buf *b, enum rec_kind k, int bulk,
			       unsigned long long upto);
void load_sql_update_tracks(struct buf *b, enum rec_kind k, int bulk, unsigned long long upto);
void load_sql_insert_tracks(struct buf *b, enum rec_kind k, int bulk, unsigned long long upto);
void load_sql_insert_children(struct buf *b, enum rec_kind k, int bulk, unsigned long long upto);
extern const char load_sql_count_tracks[];
void load_sql_catalog_rows(struct buf *b, enum rec_kind k);
void load_sql_find_changed(struct buf *b, enum rec_kind k, int whole);
void load_sql_delete_changed(struct buf *b, enum rec_kind k);
extern const char load_sql_touch_changed[];
extern const char load_sql_count_changed[];
void load_sql_name_row(struct buf *b, unsigned long long n);
/* A query giving the ANALYZE the load calls for (for load_exec_built). */
void load_sql_analyze(struct buf *b, int bulk, const struct load_counts *counts);

/* Bulk path (load_bulk.c) */
extern const char load_sql_catalog_empty[];
extern const char load_sql_save_ddl[];
extern const char load_sql_drop_ddl[];
extern const char load_sql_create_ddl[];

#endif
