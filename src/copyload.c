/*
 * copyload: records -> PostgreSQL through COPY, staging and a set-based
 * merge; see include/blendcat/copyload.h.  This file: the transaction,
 * the staging tables and the COPY streaming into them; the other stages
 * are in load_*.c (include/blendcat/load_internal.h).
 */
#include "blendcat/copyload.h"
#include "blendcat/copybin.h"
#include "blendcat/db.h"
#include "blendcat/diag.h"
#include "blendcat/load_internal.h"
#include "blendcat/normalize.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * COPY data goes to the server in chunks of this size (PQputCopyData): few
 * calls, and the client's memory stays flat however large the input.
 */
#define COPY_CHUNK (64u << 10)

/* ---------------------------------------------------------- running SQL */

int load_exec(struct load *l, const char *what, const char *sql)
{
	return db_exec(l->conn, what, sql);
}

int load_exec_built(struct load *l, const char *query, const char *what)
{
	PGresult *res = PQexec(l->conn, query);
	int ok;

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_report(res, what);
		PQclear(res);
		return -1;
	}
	ok = !*PQgetvalue(res, 0, 0) || load_exec(l, what, PQgetvalue(res, 0, 0)) == 0;
	PQclear(res);
	return ok ? 0 : -1;
}

long load_exec_count(struct load *l, const char *what, const char *sql)
{
	PGresult *res = PQexec(l->conn, sql);
	long n = -1;

	if (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK)
		n = atol(PQcmdTuples(res));
	else
		db_report(res, what);
	PQclear(res);
	return n;
}

int load_count_row(struct load *l, const char *what, const char *sql, long *v, int ncols)
{
	PGresult *res = PQexec(l->conn, sql);
	int i, ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
		    PQnfields(res) == ncols;

	if (!ok)
		db_report(res, what);
	for (i = 0; ok && i < ncols; i++)
		v[i] = atol(PQgetvalue(res, 0, i));
	PQclear(res);
	return ok ? 0 : -1;
}

long load_count(struct load *l, const char *sql)
{
	long n;

	return load_count_row(l, "counting", sql, &n, 1) < 0 ? -2 : n;
}

int load_interrupted(struct load *l)
{
	if (!db_interrupted())
		return 0;
	if (!l->interrupted)
		diag_error(LOC_NONE, "%s", db_interrupt_reason());
	l->interrupted = 1;
	return 1;
}

/* ---------------------------------------------------------------- setup */

void load_init(struct load *l, PGconn *conn)
{
	memset(l, 0, sizeof(*l));
	l->conn = conn;
	buf_init(&l->copy);
	buf_init(&l->sql);
	buf_init(&l->what);
	buf_init(&l->files);
	buf_init(&l->present);
	buf_init(&l->takedowns);
	buf_init(&l->tid_name);
	buf_init(&l->paths);
	buf_init(&l->head);
	buf_init(&l->run.name);
	l->split_field = rec_field_index(REC_CREATOR, "split_percentage");
	load_span_init(&l->span);
	uuid_gen_init(&l->ids);
}

void load_release(struct load *l)
{
	int k;

	for (k = 0; k < LOAD_NDEST; k++)
		if (l->spool[k]) {
			fclose(l->spool[k]);
			l->spool[k] = NULL;
		}
	if (l->prov) {
		fclose(l->prov);
		l->prov = NULL;
	}
	buf_release(&l->copy);
	buf_release(&l->sql);
	buf_release(&l->what);
	buf_release(&l->files);
	buf_release(&l->present);
	buf_release(&l->takedowns);
	buf_release(&l->tid_name);
	buf_release(&l->paths);
	buf_release(&l->head);
	buf_release(&l->run.name);
	load_span_release(&l->span);
}

static int check_schema(struct load *l)
{
	PGresult *res = PQexec(l->conn, load_sql_has_catalog);
	int ok = PQresultStatus(res) == PGRES_TUPLES_OK && strcmp(PQgetvalue(res, 0, 0), "t") == 0;

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		db_report(res, "looking for the catalog tables");
	else if (!ok) {
		diag_error(LOC_NONE, "the database has no Blendtune catalog (meekah and ingest schemas)");
		diag_hint("run 'blendcat migrate up' first");
	}
	PQclear(res);
	return ok ? 0 : -1;
}

int load_begin(struct load *l)
{
	long empty;

	if (check_schema(l) < 0)
		return -1;
	if (load_exec(l, "starting the transaction", "BEGIN") < 0)
		return -1;
	l->in_txn = 1;
	load_sql_staging(&l->sql);
	if (load_exec(l, "creating the staging tables", l->sql.data) < 0)
		return -1;
	/*
	 * Only a load into an empty catalog can take the bulk path, the one
	 * that uses the rows' track ids (tid): into any other, the rows go
	 * without them, and the staging is that much narrower.
	 */
	/* The tracks staged if the catalog has none: 0 here, -1 if it has some. */
	if ((empty = load_count(l, load_sql_catalog_empty)) < -1)
		return -1;
	l->named_ids = empty >= 0;
	/* CSV alone into an empty catalog: the child rows go straight into its tables. */
	if (l->direct_ok && l->named_ids && load_bulk_start(l) < 0)
		return -1;
	return 0;
}

/* ---------------------------------------------------------------- COPY */

static int flush(struct load *l)
{
	if (!l->copy.len)
		return 0;
	if (PQputCopyData(l->conn, l->copy.data, (int)l->copy.len) != 1) {
		diag_error(LOC_NONE, "sending rows to the server: %s", PQerrorMessage(l->conn));
		return -1;
	}
	buf_reset(&l->copy);
	db_stop_point("copy");
	return 0;
}

/*
 * COPY into dest (or, dest LOAD_NDEST, into table) FROM STDIN, after the
 * COPY in progress: the staging and catalog tables in the binary format
 * (copybin.h), with its header sent at once; the file names, text.
 */
static int load_start_table(struct load *l, int dest, const char *table)
{
	PGresult *res;
	struct buf head = BUF_INIT;
	char name[64];
	int ok, binary = dest < LOAD_NDEST;

	if (l->in_copy && load_end_copy(l) < 0)
		return -1;
	if (dest >= LOAD_FINAL && dest < LOAD_SPAN) {
		load_sql_copy_final(&l->sql, (enum rec_kind)(dest - LOAD_FINAL));
	} else {
		if (dest < LOAD_FINAL)
			snprintf(name, sizeof(name), "bc_%s", rec_kinds[dest].name);
		else if (dest == LOAD_SPAN)
			snprintf(name, sizeof(name), "bc_span");
		else if (dest == LOAD_HEAD)
			snprintf(name, sizeof(name), "bc_head");
		load_sql_copy(&l->sql, binary ? name : table, binary);
	}
	res = PQexec(l->conn, l->sql.data);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		db_report(res, "starting a COPY");
		PQclear(res);
		return -1;
	}
	PQclear(res);
	l->in_copy = 1;
	l->copy_binary = binary;
	l->copy_dest = dest;
	l->copy_batch = 0;
	if (dest >= LOAD_FINAL && dest < LOAD_SPAN) {
		/* A spool's rows were numbered for it when it began (load_batch_of). */
		l->copy_batch = l->spool_batch[dest] ? l->spool_batch[dest] : ++l->batch;
		l->spool_batch[dest] = 0;
	}
	if (!binary)
		return 0;
	copybin_header(&head);
	ok = PQputCopyData(l->conn, head.data, (int)head.len) == 1;
	buf_release(&head);
	if (!ok)
		return diag_error(LOC_NONE, "sending rows to the server: %s", PQerrorMessage(l->conn));
	return 0;
}

/* Where kind's records go: its staging table, or on the direct path a child's catalog table. */
static int dest_of(const struct load *l, enum rec_kind kind)
{
	return l->direct && kind != REC_TRACK ? LOAD_FINAL + (int)kind : (int)kind;
}

int load_start(struct load *l, enum rec_kind kind)
{
	int dest = dest_of(l, kind);

	/*
	 * Files of one kind in a row (a delivery's messages) share the COPY
	 * in progress, and their other kinds share the spools: a COPY and a
	 * temporary file per message cost more than its rows.
	 */
	if (l->in_copy && l->copy_dest == dest)
		return 0;
	return load_start_table(l, dest, NULL);
}

unsigned load_batch_of(struct load *l, int dest)
{
	if (l->in_copy && l->copy_dest == dest)
		return l->copy_batch;
	if (!l->spool_batch[dest])
		l->spool_batch[dest] = ++l->batch;
	return l->spool_batch[dest];
}

/* A staging row's number of fields: HEAD_COLUMNS, the kind's fields, STAGING_TAIL, the span's. */
static int row_fields(enum rec_kind k)
{
	return HEAD_COLUMNS + (int)rec_kinds[k].nfields - 1 + STAGING_TAIL +
	       (k == REC_ARRANGEMENT ? SPAN_COLUMNS : 0);
}

/*
 * The staging row's head (HEAD_COLUMNS): n, bad, id, audio_filename,
 * tid, given, file_no, line, off, len, src.  Every staged row passes
 * here.
 */
static void add_head(struct buf *b, enum rec_kind k, unsigned long long n, int bad,
		     const unsigned char *id, const char *audio_filename,
		     const unsigned char *tid, unsigned long given, const struct rec_prov *p,
		     enum rec_source src)
{
	copybin_row(b, row_fields(k));
	copybin_int8(b, (int64_t)n);
	copybin_bool(b, bad);
	if (id)
		copybin_uuid(b, id);
	else
		copybin_null(b);
	copybin_text(b, audio_filename);
	if (tid)
		copybin_uuid(b, tid);
	else
		copybin_null(b);
	copybin_int4(b, (int32_t)given);
	copybin_int4(b, (int32_t)p->file_no);
	copybin_int8(b, (int64_t)p->line);
	copybin_int8(b, (int64_t)p->off);
	copybin_int8(b, (int64_t)p->len);
	copybin_int2(b, (int16_t)src);
}

/*
 * The id a new track of this name gets (uuid_named), which its rows of
 * every kind carry when the catalog was empty: the bulk path inserts
 * them with it, no lookup by name.  NULL for a row without a name (one
 * naming its track by ISRC), and for every row of a load into a catalog
 * that has tracks.
 */
const unsigned char *load_track_id(struct load *l, const char *name)
{
	size_t len;

	if (!name || !l->named_ids)
		return NULL;
	len = strlen(name);
	if (!l->has_tid || len != l->tid_name.len || memcmp(name, l->tid_name.data, len) != 0) {
		uuid_named_bytes(&l->ids, name, len, l->tid);
		buf_reset(&l->tid_name);
		buf_add(&l->tid_name, name, len);
		l->has_tid = 1;
	}
	return l->tid;
}

/*
 * Field i of r, into b: its canonical value (record.h), or NULL.  A
 * child's field not given is NULL (load_sql_insert_children relies on
 * it; only a track's title is ever guessed): else a bug, said.  final:
 * a row of the catalog's table, where a field not given takes the
 * column's default instead (false for a boolean, as field_default).
 */
static int add_field(struct buf *b, const struct rec *r, size_t i, const struct rec_prov *p,
		     int final)
{
	const struct rec_field *f = &rec_kinds[r->kind].fields[i];
	const char *v = rec_get(r, (int)i);

	if (final && !v && f->type == RT_BOOL && !rec_given(r, (int)i)) {
		copybin_bool(b, 0);
		return 0;
	}
	if (copybin_value(b, f->type, v) < 0 || (r->kind != REC_TRACK && v && !rec_given(r, (int)i)))
		return diag_error(LOC_NONE, "internal error: %s value '%s' of line %lu is not in its "
				  "canonical form, or not given", f->name, v, p->line);
	return 0;
}

int load_head_end(struct load *l)
{
	struct load_run *run = &l->run;
	struct buf *b = &l->head;

	if (!run->started)
		return 0;
	run->started = 0;
	buf_reset(b);
	copybin_row(b, BC_HEAD_COLUMNS);
	copybin_int2(b, (int16_t)run->kind);
	if (run->has_tid)
		copybin_uuid(b, run->tid);
	else
		copybin_null(b);
	if (run->kind == REC_CREATOR)
		copybin_int8(b, run->split);
	else
		copybin_null(b);
	copybin_text(b, run->name.data);
	return load_put(l, LOAD_HEAD, b);
}

/*
 * Child record r (of track tid, or NULL) into the run in progress, which
 * ends first if r is another kind's or track's.  A row naming its track
 * by ISRC is in none (its track is not known yet): the checks then read
 * every row.
 */
static int add_to_run(struct load *l, const struct rec *r, const unsigned char *tid)
{
	struct load_run *run = &l->run;
	const char *name = rec_get(r, 0), *v;
	int h = 0;

	if (!name)
		return 0;
	if (!run->started || run->kind != (int)r->kind || strcmp(run->name.data, name) != 0) {
		if (load_head_end(l) < 0)
			return -1;
		run->started = 1;
		run->kind = (int)r->kind;
		run->has_tid = tid != NULL;
		if (tid)
			memcpy(run->tid, tid, UUID_SIZE);
		buf_reset(&run->name);
		buf_adds(&run->name, name);
		run->split = 0;
	}
	/* A creator's split, canonical ("60.00"), in hundredths. */
	v = r->kind == REC_CREATOR ? rec_get(r, l->split_field) : NULL;
	if (v && norm_split(v, &h, NULL, NULL) == 0)
		run->split += h;
	return 0;
}

/* Count record r as staged (or, direct, sent to the catalog). */
static void count_record(struct load *l, const struct rec *r)
{
	l->n++;
	l->weak |= r->weak;
	l->counts[r->kind].staged++;
	l->by_isrc += r->by_isrc[0] != '\0';
}

int load_encode(struct load *l, struct buf *b, const struct rec *r, const struct rec_prov *p)
{
	const struct rec_kind_def *k = &rec_kinds[r->kind];
	const unsigned char *tid = load_track_id(l, rec_get(r, 0));
	unsigned char id[UUID_SIZE];
	size_t i, at = b->len;

	if (r->kind != REC_TRACK && add_to_run(l, r, tid) < 0)
		return -1;
	uuid_v7_bytes(&l->ids, id);
	add_head(b, r->kind, l->n + 1, 0, id, rec_get(r, 0), tid, r->given, p, l->source);
	for (i = 1; i < k->nfields; i++)
		if (add_field(b, r, i, p, 0) < 0) {
			buf_setlen(b, at);
			return -1;
		}
	copybin_text(b, r->by_isrc[0] ? r->by_isrc : NULL);
	copybin_text(b, r->by_isrc[0] ? r->by_isrc_field : NULL);
	copybin_int4(b, (int32_t)r->weak);
	copybin_text(b, r->no_duration);
	count_record(l, r);
	return 0;
}

int load_encode_final(struct load *l, struct buf *b, const struct rec *r, const struct rec_prov *p,
		      unsigned batch)
{
	const struct rec_kind_def *k = &rec_kinds[r->kind];
	const unsigned char *tid = load_track_id(l, rec_get(r, 0));
	unsigned char id[UUID_SIZE];
	size_t i, at = b->len;

	/* CSV rows name their track (by ISRC only in DDEX): else a bug, said. */
	if (!tid)
		return diag_error(LOC_NONE, "internal error: a %s row of line %lu without its track",
				  k->name, p->line);
	if (add_to_run(l, r, tid) < 0)
		return -1;
	uuid_numbered_bytes(&l->ids, l->n + 1, id);
	copybin_row(b, (int)k->nfields + 1);
	copybin_uuid(b, id);
	copybin_uuid(b, tid);
	for (i = 1; i < k->nfields; i++)
		if (add_field(b, r, i, p, 1) < 0) {
			buf_setlen(b, at);
			return -1;
		}
	count_record(l, r);
	if (load_bulk_prov(l, r, tid, p, batch) < 0) {
		buf_setlen(b, at);
		return -1;
	}
	return 0;
}

int load_put(struct load *l, int dest, const struct buf *rows)
{
	FILE **fp = &l->spool[dest];

	if (l->in_copy && l->copy_dest == dest) {
		buf_add(&l->copy, rows->data, rows->len);
		return l->copy.len >= COPY_CHUNK ? flush(l) : 0;
	}
	/*
	 * Rows for another table than the COPY in progress (a label sheet's
	 * creators beside its tracks) wait in a spool file of their own,
	 * sent when the COPY ends: memory stays flat.
	 */
	if (!*fp && !(*fp = tmpfile()))
		return diag_error(LOC_NONE, "cannot create a temporary file: %s", strerror(errno));
	if (fwrite(rows->data, 1, rows->len, *fp) != rows->len)
		return diag_error(LOC_NONE, "cannot write a temporary file: %s", strerror(errno));
	return 0;
}

int load_record(struct load *l, const struct rec *r, const struct rec_prov *p)
{
	int dest = dest_of(l, r->kind), final = dest >= LOAD_FINAL;

	if (load_interrupted(l))
		return -1;
	if (!l->in_copy)
		return diag_error(LOC_NONE, "internal error: a %s record outside a COPY",
				  rec_kinds[r->kind].name);
	if (r->kind == REC_ARRANGEMENT)
		return load_span_add(l, r, p);
	if (dest != l->copy_dest) {
		buf_reset(&l->what);
		if ((final ? load_encode_final(l, &l->what, r, p, load_batch_of(l, dest)) :
			     load_encode(l, &l->what, r, p)) < 0)
			return -1;
		return load_put(l, dest, &l->what);
	}
	if ((final ? load_encode_final(l, &l->copy, r, p, l->copy_batch) :
		     load_encode(l, &l->copy, r, p)) < 0)
		return -1;
	return l->copy.len >= COPY_CHUNK ? flush(l) : 0;
}

void load_encode_head(struct buf *b, enum rec_kind k, unsigned long long n, int bad,
		      const unsigned char *id, const char *audio_filename, const unsigned char *tid,
		      const struct rec_prov *p, enum rec_source src)
{
	size_t i;

	add_head(b, k, n, bad, id, audio_filename, tid, 0, p, src);
	for (i = 1; i < rec_kinds[k].nfields + STAGING_TAIL; i++)
		copybin_null(b);
	for (i = 0; k == REC_ARRANGEMENT && i < SPAN_COLUMNS; i++)
		copybin_null(b);
}

int load_reject(struct load *l, enum rec_kind kind, const struct rec_prov *p,
		const char *audio_filename)
{
	if (load_interrupted(l))
		return -1;
	if (!l->in_copy || dest_of(l, kind) != l->copy_dest)
		return diag_error(LOC_NONE, "internal error: a %s reject outside its COPY",
				  rec_kinds[kind].name);
	l->any_bad = 1;
	/* Direct, a child's COPY goes to the catalog: its rejected rows, to the staging. */
	if ((int)kind != l->copy_dest) {
		buf_reset(&l->what);
		load_encode_head(&l->what, kind, ++l->n, 1, NULL, audio_filename,
				 load_track_id(l, audio_filename), p, l->source);
		return load_put(l, (int)kind, &l->what);
	}
	load_encode_head(&l->copy, kind, ++l->n, 1, NULL, audio_filename,
			 load_track_id(l, audio_filename), p, l->source);
	return l->copy.len >= COPY_CHUNK ? flush(l) : 0;
}

static int end_one_copy(struct load *l)
{
	PGresult *res;
	int ok = 1;

	if (l->copy_binary)
		copybin_trailer(&l->copy);
	if (load_interrupted(l) || flush(l) < 0)
		return -1;
	if (PQputCopyEnd(l->conn, NULL) != 1) {
		diag_error(LOC_NONE, "ending COPY: %s", PQerrorMessage(l->conn));
		return -1;
	}
	l->in_copy = 0;
	while ((res = PQgetResult(l->conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			if (l->copy_dest >= LOAD_FINAL && l->copy_dest < LOAD_SPAN) {
				buf_reset(&l->what);
				buf_addf(&l->what, "loading meekah.%s",
					 rec_kinds[l->copy_dest - LOAD_FINAL].table);
				db_report(res, l->what.data);
				load_bulk_failed_row(l, l->copy_batch, res);
			} else {
				db_report(res, "loading the staging table");
			}
			ok = 0;
		}
		PQclear(res);
	}
	return ok ? 0 : -1;
}

int load_send_spools(struct load *l)
{
	char chunk[COPY_CHUNK];
	int k;

	for (k = 0; k < LOAD_NDEST; k++) {
		FILE *fp = l->spool[k];
		size_t n;

		if (!fp)
			continue;
		l->spool[k] = NULL;
		rewind(fp);
		if (load_start_table(l, k, NULL) < 0) {
			fclose(fp);
			return -1;
		}
		while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
			if (PQputCopyData(l->conn, chunk, (int)n) != 1) {
				fclose(fp);
				return diag_error(LOC_NONE, "sending rows to the server: %s",
						  PQerrorMessage(l->conn));
			}
		fclose(fp);
		if (end_one_copy(l) < 0)
			return -1;
	}
	return 0;
}

int load_end_copy(struct load *l)
{
	if (load_span_flush(l) < 0 || load_head_end(l) < 0)
		return -1;
	if (l->in_copy && end_one_copy(l) < 0)
		return -1;
	return load_send_spools(l);
}

int load_file(struct load *l, int file_no, const char *path)
{
	/*
	 * Only the checks after the COPY read bc_file: the names wait in
	 * l->files, so that a run of audio files stays in one COPY.
	 */
	buf_addf(&l->files, "%d\t", file_no);
	rec_copy_value(&l->files, path);
	buf_addch(&l->files, '\n');
	if (l->direct) {
		buf_addf(&l->paths, "%d", file_no);
		buf_addch(&l->paths, '\0');
		buf_adds(&l->paths, path);
		buf_addch(&l->paths, '\0');
	}
	return 0;
}

void load_present(struct load *l, const char *audio_filename)
{
	rec_copy_value(&l->present, audio_filename);
	buf_addch(&l->present, '\n');
}

/* COPY text rows into table, after the COPY in progress. */
static int send_rows(struct load *l, const char *table, const struct buf *rows)
{
	if (!rows->len)
		return 0;
	if (load_end_copy(l) < 0 || load_start_table(l, LOAD_NDEST, table) < 0)
		return -1;
	buf_add(&l->copy, rows->data, rows->len);
	return end_one_copy(l);
}

/* The input files' names into bc_file, the audio present into bc_present. */
static int send_files(struct load *l)
{
	if (send_rows(l, "bc_file", &l->files) < 0 || send_rows(l, "bc_present", &l->present) < 0)
		return -1;
	buf_reset(&l->files);
	buf_reset(&l->present);
	return 0;
}

int load_file_state(struct load *l, const struct buf *rows, long run_id)
{
	char id[24];
	const char *vals[1] = { id };
	PGresult *res;
	int ok;

	if (load_exec(l, "recording the audio files read", load_sql_fstate_table) < 0 ||
	    send_rows(l, "bc_fstate", rows) < 0)
		return -1;
	snprintf(id, sizeof(id), "%ld", run_id);
	load_sql_file_state(&l->sql, l->any_bad);
	res = PQexecParams(l->conn, l->sql.data, 1, NULL, vals, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		db_report(res, "recording the audio files read in ingest.file_state");
	PQclear(res);
	return ok ? 0 : -1;
}

int load_staged(struct load *l)
{
	/*
	 * No ANALYZE of the staging: it cost a second on 1.3M rows, and the
	 * plans (hash joins over whole tables) come out the same from the
	 * planner's size estimates.
	 */
	if (load_end_copy(l) < 0 || send_files(l) < 0)
		return -1;
	if (!l->takedowns.len)
		return 0;
	load_sql_takedowns(&l->sql, l->takedowns.data);
	buf_reset(&l->takedowns);
	return load_exec(l, "noting the takedowns", l->sql.data);
}

static void add_literal(struct load *l, struct buf *b, const char *s)
{
	char *q = s ? PQescapeLiteral(l->conn, s, strlen(s)) : NULL;

	buf_adds(b, q ? q : "NULL");
	PQfreemem(q);
}

void load_takedown(struct load *l, int file_no, unsigned long line, const char *audio_filename,
		   const char *catalog_number)
{
	struct buf *b = &l->takedowns;

	l->ntakedowns++;
	buf_addf(b, "%s(%d, %lu, ", b->len ? ", " : "", file_no, line);
	add_literal(l, b, audio_filename);
	buf_adds(b, ", ");
	add_literal(l, b, catalog_number);
	buf_adds(b, ")");
}

/* ------------------------------------------------------------- the end */

/* Nothing is committed once a signal was caught, however late. */
int load_commit(struct load *l)
{
	db_stop_point("commit");
	if (load_interrupted(l))
		return -1;
	l->in_txn = 0;
	return load_exec(l, "committing", "COMMIT");
}

void load_abort(struct load *l, const char *why)
{
	PGresult *res;

	if (l->in_copy) {
		PQputCopyEnd(l->conn, why ? why : "aborted");
		while ((res = PQgetResult(l->conn)) != NULL)
			PQclear(res);
		l->in_copy = 0;
	}
	if (l->in_txn) {
		PQclear(PQexec(l->conn, "ROLLBACK"));
		l->in_txn = 0;
	}
	load_span_reset(&l->span);
}
