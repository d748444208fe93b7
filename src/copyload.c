/*
 * copyload: records -> PostgreSQL through COPY, staging and a set-based
 * merge; see include/blendcat/copyload.h.  The statements are in
 * load_sql.c (include/blendcat/load_internal.h).
 */
#include "blendcat/copyload.h"
#include "blendcat/db.h"
#include "blendcat/diag.h"
#include "blendcat/load_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * COPY data goes to the server in chunks of this size (PQputCopyData): few
 * calls, and the client's memory stays flat however large the input.
 */
#define COPY_CHUNK (64u << 10)

/* Disagreements between sources printed as warnings; the rest are counted. */
#define DISAGREEMENTS_SHOWN 20

/* ---------------------------------------------------------- running SQL */

int load_exec(struct load *l, const char *what, const char *sql)
{
	return db_exec(l->conn, what, sql);
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

long load_count(struct load *l, const char *sql)
{
	PGresult *res = PQexec(l->conn, sql);
	long n = -2;

	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		n = atol(PQgetvalue(res, 0, 0));
	else
		db_report(res, "counting");
	PQclear(res);
	return n;
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
	uuid_gen_init(&l->ids);
}

void load_release(struct load *l)
{
	int k;

	for (k = 0; k < REC_NKINDS; k++)
		if (l->spool[k]) {
			fclose(l->spool[k]);
			l->spool[k] = NULL;
		}
	buf_release(&l->copy);
	buf_release(&l->sql);
	buf_release(&l->what);
	buf_release(&l->files);
	buf_release(&l->present);
	buf_release(&l->takedowns);
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
	if (check_schema(l) < 0)
		return -1;
	if (load_exec(l, "starting the transaction", "BEGIN") < 0)
		return -1;
	l->in_txn = 1;
	load_sql_staging(&l->sql);
	return load_exec(l, "creating the staging tables", l->sql.data);
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

/* COPY table FROM STDIN, after the COPY in progress. */
static int load_start_table(struct load *l, const char *table)
{
	PGresult *res;

	if (l->in_copy && load_end_copy(l) < 0)
		return -1;
	load_sql_copy(&l->sql, table);
	res = PQexec(l->conn, l->sql.data);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		db_report(res, "starting COPY into the staging table");
		PQclear(res);
		return -1;
	}
	PQclear(res);
	l->in_copy = 1;
	return 0;
}

int load_start(struct load *l, enum rec_kind kind)
{
	char table[64];

	/*
	 * Files of one kind in a row (a delivery's messages) share the COPY
	 * in progress, and their other kinds share the spools: a COPY and a
	 * temporary file per message cost more than its rows.
	 */
	if (l->in_copy && l->copy_kind == kind)
		return 0;
	snprintf(table, sizeof(table), "bc_%s", rec_kinds[kind].name);
	if (load_start_table(l, table) < 0)
		return -1;
	l->copy_kind = kind;
	return 0;
}

static void add_head(struct buf *b, unsigned long long n, int bad, const char *id,
		     const char *audio_filename, unsigned long given, const struct rec_prov *p,
		     enum rec_source src)
{
	buf_addf(b, "%llu\t%c\t%s\t", n, bad ? 't' : 'f', id);
	rec_copy_value(b, audio_filename);
	buf_addf(b, "\t%lu\t%d\t%lu\t%llu\t%llu\t%d", given, p->file_no, p->line, p->off, p->len,
		 (int)src);
}

/* Encode a record as a staging row into b. */
static void encode(struct load *l, struct buf *b, const struct rec *r, const struct rec_prov *p)
{
	const struct rec_kind_def *k = &rec_kinds[r->kind];
	char id[UUID_STR_SIZE];
	size_t i;

	uuid_v7(&l->ids, id);
	add_head(b, ++l->n, 0, id, rec_get(r, 0), r->given, p, l->source);
	for (i = 1; i < k->nfields; i++) {
		buf_addch(b, '\t');
		rec_copy_value(b, rec_get(r, (int)i));
	}
	buf_addch(b, '\t');
	rec_copy_value(b, r->by_isrc[0] ? r->by_isrc : NULL);
	buf_addch(b, '\t');
	rec_copy_value(b, r->by_isrc[0] ? r->by_isrc_field : NULL);
	buf_addf(b, "\t%lu", r->weak);
	l->weak |= r->weak;
	buf_addch(b, '\t');
	rec_copy_value(b, r->no_duration);
	buf_addch(b, '\n');
	l->counts[r->kind].staged++;
	l->by_isrc += r->by_isrc[0] != '\0';
}

/*
 * A record of another kind than the COPY in progress (a label sheet's
 * creators beside its tracks) waits in a spool file of its kind, sent
 * when the COPY ends: memory stays flat.
 */
static int spool(struct load *l, const struct rec *r, const struct rec_prov *p)
{
	FILE **fp = &l->spool[r->kind];

	if (!*fp && !(*fp = tmpfile()))
		return diag_error(LOC_NONE, "cannot create a temporary file: %s", strerror(errno));
	buf_reset(&l->what);
	encode(l, &l->what, r, p);
	if (fwrite(l->what.data, 1, l->what.len, *fp) != l->what.len)
		return diag_error(LOC_NONE, "cannot write a temporary file: %s", strerror(errno));
	return 0;
}

int load_record(struct load *l, const struct rec *r, const struct rec_prov *p)
{
	if (load_interrupted(l))
		return -1;
	if (!l->in_copy)
		return diag_error(LOC_NONE, "internal error: a %s record outside a COPY",
				  rec_kinds[r->kind].name);
	if (r->kind != l->copy_kind)
		return spool(l, r, p);
	encode(l, &l->copy, r, p);
	return l->copy.len >= COPY_CHUNK ? flush(l) : 0;
}

int load_reject(struct load *l, enum rec_kind kind, const struct rec_prov *p,
		const char *audio_filename)
{
	struct buf *b = &l->copy;
	size_t i;

	if (load_interrupted(l))
		return -1;
	if (!l->in_copy || kind != l->copy_kind)
		return diag_error(LOC_NONE, "internal error: a %s reject outside its COPY",
				  rec_kinds[kind].name);
	add_head(b, ++l->n, 1, "\\N", audio_filename, 0, p, l->source);
	for (i = 1; i < rec_kinds[kind].nfields + STAGING_TAIL; i++)
		buf_adds(b, "\t\\N");
	buf_addch(b, '\n');
	l->any_bad = 1;
	return b->len >= COPY_CHUNK ? flush(l) : 0;
}

static int end_one_copy(struct load *l)
{
	PGresult *res;
	int ok = 1;

	if (load_interrupted(l) || flush(l) < 0)
		return -1;
	if (PQputCopyEnd(l->conn, NULL) != 1) {
		diag_error(LOC_NONE, "ending COPY: %s", PQerrorMessage(l->conn));
		return -1;
	}
	l->in_copy = 0;
	while ((res = PQgetResult(l->conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			db_report(res, "loading the staging table");
			ok = 0;
		}
		PQclear(res);
	}
	return ok ? 0 : -1;
}

/* Send what waits in the spool files, a COPY per kind. */
static int send_spools(struct load *l)
{
	char chunk[COPY_CHUNK];
	int k;

	for (k = 0; k < REC_NKINDS; k++) {
		FILE *fp = l->spool[k];
		size_t n;

		if (!fp)
			continue;
		l->spool[k] = NULL;
		rewind(fp);
		if (load_start(l, (enum rec_kind)k) < 0) {
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
	if (l->in_copy && end_one_copy(l) < 0)
		return -1;
	return send_spools(l);
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
	if (load_end_copy(l) < 0 || load_start_table(l, table) < 0)
		return -1;
	buf_add(&l->copy, rows->data, rows->len);
	l->copy_kind = REC_NKINDS;
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

/* -------------------------------------------------------------- checks */

static int run_checks(struct load *l)
{
	struct buf *b = &l->sql;
	int k;

	if (l->by_isrc) {
		load_sql_resolve_isrc(b);
		if (load_exec(l, "finding tracks by ISRC", b->data) < 0)
			return -1;
	}
	load_sql_check_duplicates(b);
	if (load_exec(l, "checking rows against each other", b->data) < 0 ||
	    load_exec(l, "checking rows against each other", load_sql_check_new_tracks) < 0 ||
	    load_exec(l, "checking rows against each other", load_sql_check_splits) < 0 ||
	    load_exec(l, "checking rows against each other", load_sql_check_sections) < 0)
		return -1;
	for (k = 1; k < REC_NKINDS; k++) {
		load_sql_check_orphans(b, (enum rec_kind)k);
		if (l->counts[k].staged && load_exec(l, "checking for unknown tracks", b->data) < 0)
			return -1;
	}
	if (l->insert_only &&
	    load_exec(l, "checking for existing tracks", load_sql_check_insert_only) < 0)
		return -1;
	if (l->require_audio) {
		load_sql_check_require_audio(b);
		if (load_exec(l, "checking for audio files", b->data) < 0)
			return -1;
	}
	return 0;
}

int load_check(struct load *l, load_reason_fn *fn, void *ctx)
{
	PGresult *res;
	int row, rc = 0;

	if (run_checks(l) < 0)
		return -1;
	load_sql_bad_tracks(&l->sql);
	if (load_exec(l, "collecting rejected tracks", l->sql.data) < 0)
		return -1;
	res = PQexec(l->conn, load_sql_reasons);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_report(res, "reading the reasons");
		PQclear(res);
		return -1;
	}
	if (PQntuples(res) > 0)
		l->any_bad = 1;
	for (row = 0; rc == 0 && row < PQntuples(res); row++)
		rc = fn(ctx, atoi(PQgetvalue(res, row, 0)), strtoul(PQgetvalue(res, row, 1), NULL, 10),
			PQgetvalue(res, row, 2),
			PQgetisnull(res, row, 3) ? NULL : PQgetvalue(res, row, 3),
			PQgetvalue(res, row, 4));
	PQclear(res);
	return rc;
}

/* ------------------------------------------------------------- rejects */

int load_rejects(struct load *l, load_row_fn *fn, void *ctx)
{
	PGresult *res;
	int rc = 0;

	if (!l->any_bad)
		return 0;
	load_sql_rejected_rows(&l->sql);
	if (!PQsendQuery(l->conn, l->sql.data) || !PQsetSingleRowMode(l->conn)) {
		diag_error(LOC_NONE, "listing rejected rows: %s", PQerrorMessage(l->conn));
		return -1;
	}
	while ((res = PQgetResult(l->conn)) != NULL) {
		if (PQresultStatus(res) == PGRES_SINGLE_TUPLE && rc == 0) {
			enum rec_kind k = (enum rec_kind)atoi(PQgetvalue(res, 0, 0));

			l->counts[k].rejected++;
			rc = fn(ctx, k, atoi(PQgetvalue(res, 0, 1)),
				strtoull(PQgetvalue(res, 0, 2), NULL, 10),
				strtoull(PQgetvalue(res, 0, 3), NULL, 10),
				strtoul(PQgetvalue(res, 0, 4), NULL, 10),
				PQgetisnull(res, 0, 5) ? NULL : PQgetvalue(res, 0, 5),
				PQgetisnull(res, 0, 6) ? NULL : PQgetvalue(res, 0, 6));
		} else if (PQresultStatus(res) != PGRES_TUPLES_OK &&
			   PQresultStatus(res) != PGRES_SINGLE_TUPLE) {
			db_report(res, "listing rejected rows");
			rc = -1;
		}
		PQclear(res);
	}
	return rc;
}

/* ------------------------------------------------------ the failing row */

/*
 * A merge statement that fails (a trigger, a constraint the staging could
 * not foresee) fails the run; the user needs to know which input row did
 * it.  Each statement runs under a savepoint; on failure it is run again
 * on ever shorter prefixes of the staged rows (by n, their input order),
 * each attempt rolled back, until the first failing row is found.  So a
 * merge statement is made by a load_merge_sql_fn, which takes the prefix.
 */
static PGresult *exec_prefix(struct load *l, load_merge_sql_fn *build, enum rec_kind k,
			     unsigned long long upto)
{
	struct buf q = BUF_INIT;
	PGresult *res;

	build(&q, k, l->bulk, upto);
	res = PQexec(l->conn, q.data);
	buf_release(&q);
	return res;
}

static int stmt_ok(const PGresult *res)
{
	return PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
}

/* The smallest n whose prefix makes the statement fail; 0 if none does. */
static unsigned long long first_failing(struct load *l, load_merge_sql_fn *build,
					enum rec_kind k)
{
	unsigned long long lo = 1, hi = l->n, found = 0;

	while (lo <= hi) {
		unsigned long long mid = lo + (hi - lo) / 2;
		PGresult *res;
		int ok;

		if (load_interrupted(l) || load_exec(l, "retrying", "SAVEPOINT bc_try") < 0)
			return 0;
		res = exec_prefix(l, build, k, mid);
		ok = stmt_ok(res);
		PQclear(res);
		if (load_exec(l, "retrying", "ROLLBACK TO SAVEPOINT bc_try") < 0)
			return 0;
		if (ok) {
			lo = mid + 1;
		} else {
			found = mid;
			hi = mid - 1;
		}
	}
	return found;
}

static void name_row(struct load *l, unsigned long long n)
{
	PGresult *res;

	load_sql_name_row(&l->sql, n);
	res = PQexec(l->conn, l->sql.data);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		diag_detail("the failing row is %s:%s (track '%s')", PQgetvalue(res, 0, 0),
			    PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
	PQclear(res);
}

/* Run a merge statement; its affected-row count, or -1 (said, with the row at fault). */
static long merge_exec(struct load *l, const char *what, load_merge_sql_fn *build,
		       enum rec_kind k)
{
	PGresult *res;
	unsigned long long culprit;
	long n;

	if (load_exec(l, what, "SAVEPOINT bc_stmt") < 0)
		return -1;
	res = exec_prefix(l, build, k, 0);
	if (stmt_ok(res)) {
		n = atol(PQcmdTuples(res));
		PQclear(res);
		return load_exec(l, what, "RELEASE SAVEPOINT bc_stmt") < 0 ? -1 : n;
	}
	db_report(res, what);
	PQclear(res);
	/* Cancelled by a signal: no row is at fault, and no time is left to look. */
	if (load_interrupted(l) || load_exec(l, what, "ROLLBACK TO SAVEPOINT bc_stmt") < 0)
		return -1;
	culprit = first_failing(l, build, k);
	if (culprit)
		name_row(l, culprit);
	return -1;
}

/* ------------------------------------------------------------- staging */

/* Rows of rejected tracks leave the staging; only good rows remain. */
static int drop_rejected(struct load *l)
{
	if (!l->any_bad)
		return 0;
	load_sql_drop_rejected(&l->sql);
	return load_exec(l, "leaving rejected tracks out", l->sql.data);
}

/*
 * Takedowns: staged rows of the tracks taken down, from the takedown's
 * input or an earlier one, leave the staging; then the catalog's tracks
 * are deleted (children by ON DELETE CASCADE) unless a later input
 * delivers them again.  Each deleted track is reported.
 */
static int apply_takedowns(struct load *l)
{
	PGresult *res;
	int i, ok;

	if (!l->ntakedowns)
		return 0;
	load_sql_takedowns_staging(&l->sql);
	if (load_exec(l, "applying takedowns to the staging", l->sql.data) < 0)
		return -1;
	res = PQexec(l->conn, load_sql_takedowns_catalog);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		db_report(res, "deleting the tracks taken down");
	for (i = 0; ok && i < PQntuples(res); i++) {
		diag_info("%s:%s: track '%s' taken down: deleted with its creators, instruments, "
			  "arrangement and samples", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
			  PQgetvalue(res, i, 2));
	}
	if (ok)
		l->counts[REC_TRACK].deleted = (unsigned long)PQntuples(res);
	PQclear(res);
	return ok ? 0 : -1;
}

/*
 * A guessed field (rec.weak: a title taken from the file name) gives way
 * to any other row of its track that gives the field, and to the track
 * the catalog has: its given bit goes, so neither the merge of sources
 * nor the update takes it, and no disagreement is reported.
 */
static int drop_weak(struct load *l)
{
	if (!l->weak)
		return 0;
	load_sql_drop_weak(&l->sql, l->weak);
	return load_exec(l, "leaving out guessed values", l->sql.data);
}

/*
 * Fields that two sources of one track give differently: reported as
 * warnings with both values and where each came from (the first few
 * printed, all counted).  Run before the sources merge.
 */
static int report_disagreements(struct load *l)
{
	PGresult *res;
	int row;

	load_sql_disagreements(&l->sql);
	res = PQexec(l->conn, l->sql.data);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_report(res, "comparing sources");
		PQclear(res);
		return -1;
	}
	for (row = 0; row < PQntuples(res); row++) {
		struct loc loc = { PQgetvalue(res, row, 3), 0, PQgetvalue(res, row, 1) };

		if (++l->disagreements <= DISAGREEMENTS_SHOWN)
			diag_warn(&loc, "'%s' here, '%s' in %s; kept '%s' (CSV over DDEX over tags)",
				  PQgetvalue(res, row, 2), PQgetvalue(res, row, 4),
				  PQgetvalue(res, row, 5), PQgetvalue(res, row, 2));
	}
	if (l->disagreements > DISAGREEMENTS_SHOWN)
		diag_warn(LOC_NONE, "%lu fields disagree between sources, %d shown", l->disagreements,
			  DISAGREEMENTS_SHOWN);
	PQclear(res);
	return 0;
}

/* The same track from several sources becomes one row (load_sql_merge_sources). */
static int merge_sources(struct load *l)
{
	if (!l->multi_source)
		return 0;
	if (report_disagreements(l) < 0)
		return -1;
	load_sql_merge_sources(&l->sql);
	return load_exec(l, "merging sources", l->sql.data);
}

/* -------------------------------------------------------------- tracks */

static int update_tracks(struct load *l)
{
	long got;

	if (l->bulk)
		return 0;
	got = merge_exec(l, "updating meekah.track_info", load_sql_update_tracks, REC_TRACK);
	if (got < 0)
		return -1;
	l->counts[REC_TRACK].updated = (unsigned long)got;
	return 0;
}

static int insert_tracks(struct load *l)
{
	long got = merge_exec(l, "inserting into meekah.track_info", load_sql_insert_tracks,
			      REC_TRACK);

	if (got < 0)
		return -1;
	l->counts[REC_TRACK].inserted = (unsigned long)got;
	return 0;
}

static int count_tracks(struct load *l)
{
	struct load_counts *c = &l->counts[REC_TRACK];
	long n = load_count(l, load_sql_count_tracks);

	if (n < 0)
		return -1;
	c->unchanged = (unsigned long)n > c->inserted + c->updated ?
		       (unsigned long)n - c->inserted - c->updated : 0;
	return 0;
}

/* ------------------------------------------------------------ children */

static int insert_children(struct load *l, enum rec_kind k)
{
	long got;

	buf_reset(&l->what);
	buf_addf(&l->what, "inserting into meekah.%s", rec_kinds[k].table);
	if ((got = merge_exec(l, l->what.data, load_sql_insert_children, k)) < 0)
		return -1;
	l->counts[k].inserted = (unsigned long)got;
	return 0;
}

/*
 * The tracks whose kind-k set differs from the catalog's (bc_chg, by
 * load_sql_find_changed) get the staged set instead.
 */
static int replace_children(struct load *l, enum rec_kind k)
{
	struct load_counts *c = &l->counts[k];
	long got, tracks;

	if (l->bulk)	/* every track is new: nothing to compare, delete or count as replaced */
		return insert_children(l, k);
	load_sql_find_changed(&l->sql, k);
	if (load_exec(l, "comparing child rows", l->sql.data) < 0)
		return -1;
	load_sql_delete_changed(&l->sql, k);
	if ((got = load_exec_count(l, "replacing child rows", l->sql.data)) < 0)
		return -1;
	c->deleted = (unsigned long)got;
	if (insert_children(l, k) < 0)
		return -1;
	if (load_exec_count(l, "marking tracks changed", load_sql_touch_changed) < 0)
		return -1;
	if ((got = load_count(l, load_sql_count_changed)) < 0 ||
	    (tracks = load_count(l, load_sql_count_compared)) < 0)
		return -1;
	c->replaced = (unsigned long)got;
	c->unchanged = (unsigned long)(tracks - got);
	return 0;
}

/* ------------------------------------------------------------ the merge */

int load_merge(struct load *l)
{
	int k;

	if (load_interrupted(l) || drop_rejected(l) < 0 || apply_takedowns(l) < 0 ||
	    drop_weak(l) < 0 || merge_sources(l) < 0 || load_bulk_begin(l) < 0)
		return -1;
	if (update_tracks(l) < 0 || insert_tracks(l) < 0 || count_tracks(l) < 0)
		return -1;
	db_stop_point("merge");
	/*
	 * After a bulk insert the planner knows nothing of track_info (no
	 * statistics, no index yet): analyzed now, the children find their
	 * track by a hash join instead of sorting both sides by name.
	 */
	if (l->bulk && load_exec(l, "analyzing meekah.track_info", load_sql_analyze_tracks) < 0)
		return -1;
	for (k = 1; k < REC_NKINDS; k++) {
		if (load_interrupted(l))
			return -1;
		if (l->counts[k].staged && replace_children(l, (enum rec_kind)k) < 0)
			return -1;
	}
	if (load_bulk_end(l) < 0)
		return -1;
	load_sql_analyze(&l->sql, l->bulk, l->counts);
	return l->sql.len ? load_exec(l, "analyzing the catalog", l->sql.data) : 0;
}

/* ----------------------------------------------------------- bulk path */

/*
 * An empty catalog is loaded the way pg_restore does it: keys and indexes
 * of the meekah tables (and foreign keys elsewhere that point at them)
 * are dropped, the data goes in, then they are built again, all in the
 * same transaction.  Building an index once is much cheaper than
 * updating it row by row.  The definitions come from the catalog itself
 * (load_sql_save_ddl).
 */

/* Run the statements that query gathers from bc_ddl into one string. */
static int run_ddl(struct load *l, const char *query, const char *what)
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

int load_bulk_begin(struct load *l)
{
	/* The tracks staged when the catalog is empty; -1 when it is not. */
	long rows = load_count(l, load_sql_catalog_empty);

	if (rows < -1)
		return -1;
	l->bulk = rows >= 0;
	if (!l->bulk)
		return 0;
	if (load_exec(l, "saving index definitions", load_sql_save_ddl) < 0 ||
	    run_ddl(l, load_sql_drop_ddl, "dropping indexes for the bulk load") < 0)
		return -1;
	return 0;
}

int load_bulk_end(struct load *l)
{
	if (!l->bulk)
		return 0;
	return run_ddl(l, load_sql_create_ddl, "building indexes and keys");
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
}
