/*
 * copyload: records -> PostgreSQL through COPY, staging and a set-based
 * merge; see include/blendcat/copyload.h.
 */
#include "blendcat/copyload.h"
#include "blendcat/db.h"
#include "blendcat/diag.h"
#include "blendcat/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * COPY data goes to the server in chunks of this size (PQputCopyData): few
 * calls, and the client's memory stays flat however large the input.
 */
#define COPY_CHUNK (64u << 10)

/*
 * Memory for the load's transaction only (SET LOCAL): the server's own
 * settings are left alone.  The checks and the merge hash, join and sort
 * whole staging tables, which spill to disk past work_mem (the server's
 * default is 4MB); the bulk path builds every key and index of the
 * catalog, whose sorts get maintenance_work_mem (default 64MB).  Sized on
 * loads of a million tracks.
 */
#define LOAD_WORK_MEM "128MB"
#define LOAD_MAINTENANCE_WORK_MEM "512MB"

/*
 * The staging columns after a kind's fields (add_staging_table): by_isrc,
 * by_isrc_field, weak, no_duration.
 */
#define STAGING_TAIL 4

/* Disagreements between sources printed as warnings; the rest are counted. */
#define DISAGREEMENTS_SHOWN 20

/* ------------------------------------------------------------- helpers */

static int exec(struct load *l, const char *what, const char *sql)
{
	return db_exec(l->conn, what, sql);
}

/* Run sql and return its affected-row count, or -1. */
static long exec_count(struct load *l, const char *what, const char *sql)
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

/*
 * A SIGINT or SIGTERM was caught (db.h): the load stops at its next step
 * and is rolled back.  Said once.
 */
static int interrupted(struct load *l)
{
	if (!db_interrupted())
		return 0;
	if (!l->interrupted)
		diag_error(LOC_NONE, "%s", db_interrupt_reason());
	l->interrupted = 1;
	return 1;
}

static const char *sql_type(enum rec_type t)
{
	switch (t) {
	case RT_DURATION:
	case RT_SECONDS:
	case RT_TEMPO:
		return "integer";
	case RT_MOODS:
		return "varchar(255)[]";
	case RT_TAGS:
		return "varchar(100)[]";
	case RT_DATE:
		return "date";
	case RT_SPLIT:
	case RT_SCORE:
		return "numeric(5,2)";
	case RT_COUNT:
		return "bigint";
	case RT_BOOL:
		return "boolean";
	default:
		return "text";
	}
}

/* The column default when a source does not give field i of kind k. */
static const char *field_default(enum rec_kind k, int i)
{
	const char *name = rec_kinds[k].fields[i].name;

	if (strcmp(name, "popularity_score") == 0 || strcmp(name, "play_count") == 0)
		return "0";
	if (rec_kinds[k].fields[i].type == RT_BOOL)
		return "false";
	return "NULL";
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
	PGresult *res = PQexec(l->conn,
		"SELECT to_regclass('meekah.track_info') IS NOT NULL "
		"AND to_regclass('meekah.track_sample') IS NOT NULL "
		"AND to_regclass('ingest.run') IS NOT NULL");
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

static void add_staging_table(struct buf *b, enum rec_kind k)
{
	size_t i;

	buf_addf(b, "CREATE TEMP TABLE bc_%s (n bigint, bad boolean, id uuid, "
		 "audio_filename text, given integer, file_no integer, line bigint, "
		 "off bigint, len bigint, src smallint", rec_kinds[k].name);
	for (i = 1; i < rec_kinds[k].nfields; i++)
		buf_addf(b, ", %s %s", rec_kinds[k].fields[i].name,
			 sql_type(rec_kinds[k].fields[i].type));
	/* Last, STAGING_TAIL of them: merge_sources' rows, built without them, leave them NULL. */
	buf_adds(b, ", by_isrc text, by_isrc_field text, weak integer, no_duration text) "
		    "ON COMMIT DROP;");
}

int load_begin(struct load *l)
{
	struct buf *b = &l->sql;
	int k;

	if (check_schema(l) < 0)
		return -1;
	if (exec(l, "starting the transaction", "BEGIN") < 0)
		return -1;
	l->in_txn = 1;
	buf_reset(b);
	/* One staging table per kind, typed like the catalog: values are canonical. */
	for (k = 0; k < REC_NKINDS; k++)
		add_staging_table(b, (enum rec_kind)k);
	buf_adds(b, "CREATE TEMP TABLE bc_file (file_no integer PRIMARY KEY, name text) ON COMMIT DROP;"
		 "CREATE TEMP TABLE bc_present (audio_filename text) ON COMMIT DROP;"
		 "CREATE TEMP TABLE bc_reason (file_no integer, line bigint, audio_filename text, "
		 "field text, value text, reason text) ON COMMIT DROP;"
		 "CREATE TEMP TABLE bc_takedown (file_no integer, line bigint, audio_filename text, "
		 "catalog_number text) ON COMMIT DROP;"
		 "SET LOCAL work_mem = '" LOAD_WORK_MEM "'; "
		 "SET LOCAL maintenance_work_mem = '" LOAD_MAINTENANCE_WORK_MEM "'");
	return exec(l, "creating the staging tables", b->data);
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
	buf_reset(&l->sql);
	buf_addf(&l->sql, "COPY %s FROM STDIN", table);
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
	if (interrupted(l))
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

	if (interrupted(l))
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

	if (interrupted(l) || flush(l) < 0)
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

/*
 * A file read: its track when that loads; NULL when the file itself was
 * rejected (its content decides, so it is skipped until it changes).  A
 * file whose track another row rejected (a duplicate name, a manifest
 * row) is not recorded: the next run reads it again.
 */
static void add_file_state(struct buf *b)
{
	buf_addf(b, "INSERT INTO ingest.file_state AS s (path, size, mtime_ns, ctime_ns, "
		 "  audio_filename, run_id, seen_at) "
		 "SELECT f.path, f.size, f.mtime_ns, f.ctime_ns, "
		 "  CASE WHEN t.bad THEN NULL ELSE t.audio_filename END, $1, now() "
		 "FROM bc_fstate f JOIN (SELECT DISTINCT ON (file_no) file_no, bad, audio_filename "
		 "  FROM bc_track WHERE src = %d ORDER BY file_no, bad DESC) t USING (file_no) "
		 "WHERE t.bad OR NOT EXISTS (SELECT 1 FROM bc_reason x "
		 "  WHERE x.audio_filename = t.audio_filename) ", REC_SRC_TAGS);
}

static const char file_state_bad_sql[] =
	"AND (t.bad OR t.audio_filename NOT IN (SELECT audio_filename FROM bc_bad)) ";

static const char file_state_upsert_sql[] =
	"ON CONFLICT (path) DO UPDATE SET size = EXCLUDED.size, mtime_ns = EXCLUDED.mtime_ns, "
	"  ctime_ns = EXCLUDED.ctime_ns, audio_filename = EXCLUDED.audio_filename, "
	"  run_id = EXCLUDED.run_id, seen_at = EXCLUDED.seen_at";

int load_file_state(struct load *l, const struct buf *rows, long run_id)
{
	char id[24];
	const char *vals[1] = { id };
	PGresult *res;
	int ok;

	if (exec(l, "recording the audio files read", "CREATE TEMP TABLE IF NOT EXISTS bc_fstate "
		 "(file_no integer, path text, size bigint, mtime_ns bigint, ctime_ns bigint) "
		 "ON COMMIT DROP; TRUNCATE bc_fstate") < 0 || send_rows(l, "bc_fstate", rows) < 0)
		return -1;
	snprintf(id, sizeof(id), "%ld", run_id);
	buf_reset(&l->sql);
	add_file_state(&l->sql);
	if (l->any_bad)
		buf_adds(&l->sql, file_state_bad_sql);
	buf_adds(&l->sql, file_state_upsert_sql);
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
	buf_reset(&l->sql);
	buf_addf(&l->sql, "INSERT INTO bc_takedown VALUES %s", l->takedowns.data);
	buf_reset(&l->takedowns);
	return exec(l, "noting the takedowns", l->sql.data);
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

/*
 * Checks across rows.  Each statement adds reasons to bc_reason; a row
 * with its own problem (bad) already has its reason, from the reader.
 */

/*
 * The same track twice in this run's tracks, from one source.  DDEX
 * messages are the exception: each carries its release whole and a later
 * one replaces it (DDEX.md), so only a track twice in one message is a
 * duplicate.  Only the few tracks found by a hash aggregate are sorted
 * for their first row.
 */
static void add_duplicate_check(struct buf *b)
{
	buf_reset(b);
	buf_addf(b, "INSERT INTO bc_reason "
		 "SELECT x.file_no, x.line, x.audio_filename, 'audio_filename', x.audio_filename, "
		 "  'the track appears ' || x.c || ' times in this run; first at ' || f.name || ':' "
		 "  || x.fl "
		 "FROM (SELECT r.file_no, r.line, r.audio_filename, count(*) OVER a AS c, "
		 "             first_value(r.file_no) OVER o AS ff, first_value(r.line) OVER o AS fl "
		 "      FROM bc_track r WHERE NOT r.bad "
		 "      AND (r.audio_filename, r.src, CASE WHEN r.src = %d THEN r.file_no ELSE -1 END) "
		 "      IN (SELECT audio_filename, src, CASE WHEN src = %d THEN file_no ELSE -1 END "
		 "        FROM bc_track WHERE NOT bad GROUP BY 1, 2, 3 HAVING count(*) > 1) "
		 "      WINDOW a AS (PARTITION BY r.audio_filename COLLATE \"C\", r.src, "
		 "                   CASE WHEN r.src = %d THEN r.file_no ELSE -1 END), "
		 "             o AS (PARTITION BY r.audio_filename COLLATE \"C\", r.src, "
		 "                   CASE WHEN r.src = %d THEN r.file_no ELSE -1 END "
		 "                   ORDER BY r.file_no, r.line)) x "
		 "JOIN bc_file f ON f.file_no = x.ff",
		 REC_SRC_DDEX, REC_SRC_DDEX, REC_SRC_DDEX, REC_SRC_DDEX);
}

static const char *const check_sql[] = {
	/*
	 * A new track without its NOT NULL columns in any of its sources (a
	 * CSV row may leave the duration to the audio file's tags): blamed on
	 * the track's first row of its best source, with what a source said
	 * of its missing duration (a DDEX message's PT0S and absent file).
	 */
	"INSERT INTO bc_reason "
	"SELECT x.file_no, x.line, x.audio_filename, v.field, NULL, 'a new track needs a ' || v.field "
	"  || CASE WHEN v.field = 'duration' THEN coalesce(': ' || x.no_duration, '') ELSE '' END "
	"FROM (SELECT DISTINCT ON (r.audio_filename COLLATE \"C\") r.audio_filename, r.file_no, r.line, "
	"        bool_or(r.title IS NOT NULL) OVER w AS has_title, "
	"        bool_or(r.duration IS NOT NULL) OVER w AS has_duration, "
	"        max(r.no_duration) OVER w AS no_duration "
	"      FROM bc_track r WHERE NOT r.bad "
	"      WINDOW w AS (PARTITION BY r.audio_filename COLLATE \"C\") "
	"      ORDER BY r.audio_filename COLLATE \"C\", r.src, r.n) x "
	"CROSS JOIN LATERAL (VALUES ('title', NOT x.has_title), "
	"  ('duration', NOT x.has_duration)) v(field, missing) "
	"WHERE v.missing "
	"AND NOT EXISTS (SELECT 1 FROM meekah.track_info t WHERE t.audio_filename = x.audio_filename)",

	/*
	 * A track's splits add up to more than 100%: blame the row that tips
	 * it over.  Totals by hash aggregate; only tracks over 100 are sorted.
	 */
	"INSERT INTO bc_reason "
	"SELECT x.file_no, x.line, x.audio_filename, 'split_percentage', x.split_percentage::text, "
	"  'the track''s splits add up to ' || x.total || '%, more than 100%' "
	"FROM (SELECT r.*, o.total, "
	"        sum(r.split_percentage) OVER (PARTITION BY r.audio_filename COLLATE \"C\" ORDER BY r.file_no, r.line "
	"                                      ROWS UNBOUNDED PRECEDING) AS run "
	"      FROM bc_creator r JOIN ("
	"        SELECT audio_filename, sum(split_percentage) AS total FROM bc_creator "
	"        WHERE NOT bad GROUP BY audio_filename HAVING sum(split_percentage) > 100) o "
	"      USING (audio_filename) WHERE NOT r.bad) x "
	"WHERE x.run > 100 AND x.run - coalesce(x.split_percentage, 0) <= 100",

	/*
	 * Arrangement sections, in one pass: past the track's end (this run's
	 * duration, else the catalog's), or overlapping an earlier section
	 * (by start time).  A row gets the first problem that applies.
	 */
	"INSERT INTO bc_reason "
	"SELECT x.file_no, x.line, x.audio_filename, "
	"  CASE WHEN x.end_time > x.duration THEN 'end_time' ELSE 'start_time' END, "
	"  CASE WHEN x.end_time > x.duration THEN x.end_time ELSE x.start_time END::text, "
	"  CASE WHEN x.end_time > x.duration "
	"    THEN 'section ends at ' || x.end_time || ' s, after the track''s end at ' "
	"         || x.duration || ' s' "
	"    ELSE 'section ''' || x.section_name || ''' (' || x.start_time || '-' || x.end_time "
	"         || ' s) overlaps an earlier section that ends at ' || x.prev_end || ' s' END "
	"FROM (SELECT r.*, d.duration, max(r.end_time) OVER (PARTITION BY r.audio_filename COLLATE \"C\" "
	"        ORDER BY r.start_time, r.end_time, r.file_no, r.line "
	"        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end "
	"      FROM bc_arrangement r LEFT JOIN ("
	"        SELECT DISTINCT ON (audio_filename COLLATE \"C\") audio_filename, duration FROM ("
	"          SELECT t.audio_filename, t.duration, 0 AS pri FROM bc_track t "
	"          WHERE NOT t.bad AND t.duration IS NOT NULL "
	"          UNION ALL SELECT t.audio_filename, t.duration, 1 FROM meekah.track_info t "
	"          WHERE t.audio_filename IN (SELECT audio_filename FROM bc_arrangement)) u "
	"        ORDER BY audio_filename COLLATE \"C\", pri) d USING (audio_filename) "
	"      WHERE NOT r.bad) x "
	"WHERE x.end_time > x.duration OR x.start_time < x.prev_end",
};

/* --require-audio: a manifest's or message's track needs its audio file in the run. */
static void add_require_audio(struct buf *b)
{
	buf_reset(b);
	buf_addf(b, "INSERT INTO bc_reason "
		 "SELECT r.file_no, r.line, r.audio_filename, 'audio_filename', r.audio_filename, "
		 "  'no audio file of that name in the paths given (--require-audio)' "
		 "FROM bc_track r WHERE NOT r.bad AND r.src < %d "
		 "AND NOT EXISTS (SELECT 1 FROM bc_track a WHERE a.src = %d "
		 "                AND a.audio_filename = r.audio_filename) "
		 "AND NOT EXISTS (SELECT 1 FROM bc_present p WHERE p.audio_filename = r.audio_filename)",
		 REC_SRC_TAGS, REC_SRC_TAGS);
}

static const char insert_only_sql[] =
	"INSERT INTO bc_reason "
	"SELECT r.file_no, r.line, r.audio_filename, 'audio_filename', r.audio_filename, "
	"  'the track is already in the catalog (--mode insert)' "
	"FROM bc_track r WHERE NOT r.bad "
	"AND EXISTS (SELECT 1 FROM meekah.track_info t WHERE t.audio_filename = r.audio_filename)";

/* A child whose track is neither in this run nor in the catalog. */
static void add_orphan_check(struct buf *b, enum rec_kind k)
{
	buf_reset(b);
	buf_addf(b, "INSERT INTO bc_reason "
		 "SELECT r.file_no, r.line, r.audio_filename, 'audio_filename', r.audio_filename, "
		 "  'no such track in this run''s tracks or in the catalog' "
		 "FROM bc_%s r WHERE NOT r.bad "
		 "AND NOT EXISTS (SELECT 1 FROM bc_track t WHERE t.audio_filename = r.audio_filename) "
		 "AND NOT EXISTS (SELECT 1 FROM meekah.track_info t "
		 "                WHERE t.audio_filename = r.audio_filename)", rec_kinds[k].name);
}

/* Every row of every kind, as one relation: kind, provenance, track, bad. */
static void add_all_rows(struct buf *b)
{
	int k;

	buf_addch(b, '(');
	for (k = 0; k < REC_NKINDS; k++)
		buf_addf(b, "%sSELECT %d AS kind, n, bad, file_no, line, off, len, audio_filename "
			 "FROM bc_%s", k ? " UNION ALL " : "", k, rec_kinds[k].name);
	buf_addch(b, ')');
}

/*
 * Rows naming their track by ISRC (a DDEX MEAD message) get its
 * audio_filename: from this run's tracks (the release message of the
 * same delivery) when they have the ISRC, else from the catalog's.  An
 * ISRC naming no track, or several, rejects the rows that use it; the
 * reason goes on the track row, at the element that gave the ISRC.
 *
 * The ISRCs asked for go in a table of their own, analyzed: knowing how
 * few they are, the planner looks a small delivery's up in the catalog
 * by idx_track_isrc, and joins a big one by hash; the catalog is only
 * asked for the ISRCs this run's tracks do not have.
 */
static const char by_isrc_sql[] =
	"CREATE TEMP TABLE bc_isrc_q ON COMMIT DROP AS "
	"SELECT DISTINCT by_isrc FROM bc_track WHERE by_isrc IS NOT NULL;"
	"ANALYZE bc_isrc_q;"
	"CREATE TEMP TABLE bc_isrc ON COMMIT DROP AS "
	"WITH run AS (SELECT q.by_isrc, t.audio_filename FROM bc_isrc_q q "
	"             JOIN bc_track t ON t.isrc = q.by_isrc "
	"             WHERE t.by_isrc IS NULL AND NOT t.bad), "
	"u AS (SELECT by_isrc, audio_filename FROM run "
	"      UNION ALL SELECT q.by_isrc, c.audio_filename FROM bc_isrc_q q "
	"      JOIN meekah.track_info c ON c.isrc = q.by_isrc "
	"      WHERE NOT EXISTS (SELECT 1 FROM run r WHERE r.by_isrc = q.by_isrc)) "
	"SELECT q.by_isrc, min(u.audio_filename) AS audio_filename, "
	"  count(DISTINCT u.audio_filename) AS names, "
	"  string_agg(DISTINCT u.audio_filename, ', ') AS list "
	"FROM bc_isrc_q q LEFT JOIN u USING (by_isrc) GROUP BY q.by_isrc;"
	"INSERT INTO bc_reason "
	"SELECT r.file_no, r.line, NULL, r.by_isrc_field, r.by_isrc, "
	"  CASE WHEN i.names = 0 THEN 'no track with ISRC ' || r.by_isrc "
	"       || ' in this run''s tracks or in the catalog' "
	"  ELSE 'ISRC ' || r.by_isrc || ' names ' || i.names || ' tracks: ' || i.list END "
	"FROM bc_track r JOIN bc_isrc i USING (by_isrc) WHERE i.names <> 1 AND NOT r.bad;";

static int resolve_isrc(struct load *l)
{
	struct buf *b = &l->sql;
	int k;

	buf_reset(b);
	buf_adds(b, by_isrc_sql);
	for (k = 0; k < REC_NKINDS; k++)
		buf_addf(b, "UPDATE bc_%s r SET audio_filename = CASE WHEN i.names = 1 "
			 "THEN i.audio_filename END, bad = r.bad OR i.names <> 1 "
			 "FROM bc_isrc i WHERE r.by_isrc = i.by_isrc;", rec_kinds[k].name);
	return exec(l, "finding tracks by ISRC", b->data);
}

int load_check(struct load *l, load_reason_fn *fn, void *ctx)
{
	struct buf *b = &l->sql;
	PGresult *res;
	size_t i;
	int row, rc = 0, k;

	if (l->by_isrc && resolve_isrc(l) < 0)
		return -1;
	add_duplicate_check(b);
	if (exec(l, "checking rows against each other", b->data) < 0)
		return -1;
	for (i = 0; i < sizeof(check_sql) / sizeof(check_sql[0]); i++)
		if (exec(l, "checking rows against each other", check_sql[i]) < 0)
			return -1;
	for (k = 1; k < REC_NKINDS; k++) {
		add_orphan_check(b, (enum rec_kind)k);
		if (l->counts[k].staged && exec(l, "checking for unknown tracks", b->data) < 0)
			return -1;
	}
	if (l->insert_only && exec(l, "checking for existing tracks", insert_only_sql) < 0)
		return -1;
	if (l->require_audio) {
		add_require_audio(b);
		if (exec(l, "checking for audio files", b->data) < 0)
			return -1;
	}
	/* Every rejected track, and where its first problem is. */
	buf_reset(b);
	buf_adds(b, "CREATE TEMP TABLE bc_bad ON COMMIT DROP AS "
		    "SELECT DISTINCT ON (audio_filename) audio_filename, file_no, line FROM ("
		    "  SELECT audio_filename, file_no, line FROM ");
	add_all_rows(b);
	buf_adds(b, " a WHERE a.bad UNION ALL SELECT audio_filename, file_no, line FROM bc_reason) u "
		    "WHERE audio_filename IS NOT NULL ORDER BY audio_filename, file_no, line;"
		    "ANALYZE bc_bad");
	if (exec(l, "collecting rejected tracks", b->data) < 0)
		return -1;
	res = PQexec(l->conn, "SELECT file_no, line, field, value, reason FROM bc_reason "
			      "ORDER BY file_no, line, field");
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
	struct buf *b = &l->sql;
	PGresult *res;
	int rc = 0;

	if (!l->any_bad)
		return 0;
	buf_reset(b);
	/* A label-sheet row staged as a track and creators is one row to reject. */
	buf_adds(b, "SELECT DISTINCT ON (r.file_no, r.off) r.kind, r.file_no, r.off, r.len, r.line, "
		    "r.audio_filename, "
		    "  CASE WHEN r.bad OR EXISTS (SELECT 1 FROM bc_reason x "
		    "         WHERE x.file_no = r.file_no AND x.line = r.line) THEN NULL "
		    "       ELSE f.name || ':' || b.line END "
		    "FROM ");
	add_all_rows(b);
	buf_adds(b, " r LEFT JOIN bc_bad b USING (audio_filename) "
		    "LEFT JOIN bc_file f ON f.file_no = b.file_no "
		    "WHERE r.bad OR b.audio_filename IS NOT NULL "
		    "ORDER BY r.file_no, r.off, r.kind");
	if (!PQsendQuery(l->conn, b->data) || !PQsetSingleRowMode(l->conn)) {
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

/* --------------------------------------------------------------- merge */

/*
 * A merge statement that fails (a trigger, a constraint the staging could
 * not foresee) fails the run; the user needs to know which input row did
 * it.  Each statement runs under a savepoint; on failure it is run again
 * on ever shorter prefixes of the staged rows (by n, their input order),
 * each attempt rolled back, until the first failing row is found.  So a
 * merge statement is made by a function that takes the prefix: it writes
 * into b the statement for kind k's staged rows n <= upto, all of them
 * when upto is 0.
 */
typedef void merge_sql_fn(struct buf *b, enum rec_kind k, int bulk, unsigned long long upto);

/* The prefix condition of a merge statement on staged rows alias. */
static void add_upto(struct buf *b, const char *alias, unsigned long long upto)
{
	if (upto)
		buf_addf(b, " AND %s.n <= %llu ", alias, upto);
}

static PGresult *exec_prefix(struct load *l, merge_sql_fn *build, enum rec_kind k,
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

/* The smallest n whose prefix makes sql fail; 0 if none does. */
static unsigned long long first_failing(struct load *l, merge_sql_fn *build, enum rec_kind k)
{
	unsigned long long lo = 1, hi = l->n, found = 0;

	while (lo <= hi) {
		unsigned long long mid = lo + (hi - lo) / 2;
		PGresult *res;
		int ok;

		if (interrupted(l) || exec(l, "retrying", "SAVEPOINT bc_try") < 0)
			return 0;
		res = exec_prefix(l, build, k, mid);
		ok = stmt_ok(res);
		PQclear(res);
		if (exec(l, "retrying", "ROLLBACK TO SAVEPOINT bc_try") < 0)
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
	struct buf *b = &l->sql;
	PGresult *res;

	buf_reset(b);
	buf_adds(b, "SELECT f.name, r.line, coalesce(r.audio_filename, '') FROM ");
	add_all_rows(b);
	buf_addf(b, " r JOIN bc_file f USING (file_no) WHERE r.n = %llu", n);
	res = PQexec(l->conn, b->data);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		diag_detail("the failing row is %s:%s (track '%s')", PQgetvalue(res, 0, 0),
			    PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
	PQclear(res);
}

static long merge_exec(struct load *l, const char *what, merge_sql_fn *build, enum rec_kind k)
{
	PGresult *res;
	unsigned long long culprit;
	long n;

	if (exec(l, what, "SAVEPOINT bc_stmt") < 0)
		return -1;
	res = exec_prefix(l, build, k, 0);
	if (stmt_ok(res)) {
		n = atol(PQcmdTuples(res));
		PQclear(res);
		return exec(l, what, "RELEASE SAVEPOINT bc_stmt") < 0 ? -1 : n;
	}
	db_report(res, what);
	PQclear(res);
	/* Cancelled by a signal: no row is at fault, and no time is left to look. */
	if (interrupted(l) || exec(l, what, "ROLLBACK TO SAVEPOINT bc_stmt") < 0)
		return -1;
	culprit = first_failing(l, build, k);
	if (culprit)
		name_row(l, culprit);
	return -1;
}

static const char *col(enum rec_kind k, size_t i)
{
	return rec_kinds[k].fields[i].name;
}

/* Rows of rejected tracks leave the staging; only good rows remain. */
static int drop_rejected(struct load *l)
{
	struct buf *b = &l->sql;
	int k;

	if (!l->any_bad)
		return 0;
	buf_reset(b);
	for (k = 0; k < REC_NKINDS; k++)
		buf_addf(b, "DELETE FROM bc_%s r WHERE r.bad OR r.audio_filename IN "
			 "(SELECT audio_filename FROM bc_bad);", rec_kinds[k].name);
	return exec(l, "leaving rejected tracks out", b->data);
}

/* The catalog's tracks get the fields their staged row gives, if any differs. */
static void update_tracks_sql(struct buf *b, enum rec_kind k, int bulk, unsigned long long upto)
{
	size_t i, n = rec_kinds[REC_TRACK].nfields;

	(void)k;
	(void)bulk;
	buf_adds(b, "UPDATE meekah.track_info t SET ");
	for (i = 1; i < n; i++)
		buf_addf(b, "%s = CASE WHEN s.given & %lu <> 0 THEN s.%s ELSE t.%s END, ",
			 col(REC_TRACK, i), 1ul << i, col(REC_TRACK, i), col(REC_TRACK, i));
	buf_adds(b, "updated_at = now() FROM bc_track s "
		    "WHERE t.audio_filename = s.audio_filename AND (false");
	for (i = 1; i < n; i++)
		buf_addf(b, " OR (s.given & %lu <> 0 AND s.%s IS DISTINCT FROM t.%s)",
			 1ul << i, col(REC_TRACK, i), col(REC_TRACK, i));
	buf_adds(b, ") ");
	add_upto(b, "s", upto);
}

static int update_tracks(struct load *l)
{
	long got;

	if (l->bulk)
		return 0;
	got = merge_exec(l, "updating meekah.track_info", update_tracks_sql, REC_TRACK);
	if (got < 0)
		return -1;
	l->counts[REC_TRACK].updated = (unsigned long)got;
	return 0;
}

/* Staged tracks the catalog does not have (all of them, bulk) are inserted. */
static void insert_tracks_sql(struct buf *b, enum rec_kind k, int bulk, unsigned long long upto)
{
	size_t i, n = rec_kinds[REC_TRACK].nfields;

	(void)k;
	buf_adds(b, "INSERT INTO meekah.track_info (id, audio_filename");
	for (i = 1; i < n; i++)
		buf_addf(b, ", %s", col(REC_TRACK, i));
	buf_adds(b, ") SELECT s.id, s.audio_filename");
	for (i = 1; i < n; i++)
		buf_addf(b, ", CASE WHEN s.given & %lu <> 0 THEN s.%s ELSE %s END",
			 1ul << i, col(REC_TRACK, i), field_default(REC_TRACK, (int)i));
	buf_adds(b, " FROM bc_track s WHERE ");
	if (bulk)
		buf_adds(b, "true ");
	else
		buf_adds(b, "NOT EXISTS (SELECT 1 FROM meekah.track_info t "
			    "WHERE t.audio_filename = s.audio_filename) ");
	add_upto(b, "s", upto);
	if (!bulk)
		buf_adds(b, " ORDER BY s.n");
}

static int insert_tracks(struct load *l)
{
	long got = merge_exec(l, "inserting into meekah.track_info", insert_tracks_sql, REC_TRACK);

	if (got < 0)
		return -1;
	l->counts[REC_TRACK].inserted = (unsigned long)got;
	return 0;
}

/* Field i of a staged row r, or its default when not given. */
static void add_value(struct buf *b, enum rec_kind k, int i)
{
	buf_addf(b, "CASE WHEN r.given & %lu <> 0 THEN r.%s ELSE %s END",
		 1ul << i, col(k, (size_t)i), field_default(k, i));
}

/* ROW(...) of kind k's values, staged (r.*) or stored (c.*). */
static void add_row(struct buf *b, enum rec_kind k, int staged)
{
	size_t i;

	buf_adds(b, "ROW(");
	for (i = 1; i < rec_kinds[k].nfields; i++) {
		if (i > 1)
			buf_adds(b, ", ");
		if (staged)
			add_value(b, k, (int)i);
		else
			buf_addf(b, "c.%s::%s", col(k, i), sql_type(rec_kinds[k].fields[i].type));
	}
	buf_addch(b, ')');
}

/*
 * Tracks of this run with kind-k rows, and whether their set differs from
 * the catalog's.  Each side's set is summed up per track as its row count
 * and the sum of a 64-bit hash of each row's text: a multiset fingerprint
 * built by hash aggregates, with no sort (a sorted string_agg + md5 took
 * three times as long on 100k tracks).  The run's side is materialized
 * and analyzed first, so that the catalog's side is read by index for a
 * few tracks and by a hash join for many.
 */
static int find_changed(struct load *l, enum rec_kind k)
{
	struct buf *b = &l->sql;

	buf_reset(b);
	buf_addf(b, "DROP TABLE IF EXISTS bc_chg; CREATE TEMP TABLE bc_chg ON COMMIT DROP AS "
		 "SELECT t.id AS track_id, s.audio_filename, s.n, s.h, true AS changed FROM ("
		 "SELECT r.audio_filename, count(*) AS n, "
		 "sum(hashtextextended(x.v::text, 0)::numeric) AS h "
		 "FROM bc_%s r CROSS JOIN LATERAL (SELECT ", rec_kinds[k].name);
	add_row(b, k, 1);
	buf_adds(b, " AS v) x GROUP BY 1) s JOIN meekah.track_info t USING (audio_filename);"
		    "ANALYZE bc_chg;"
		    "UPDATE bc_chg g SET changed = false FROM ("
		    "SELECT c.track_id, count(*) AS n, "
		    "sum(hashtextextended(x.v::text, 0)::numeric) AS h FROM meekah.");
	buf_adds(b, rec_kinds[k].table);
	buf_adds(b, " c JOIN bc_chg USING (track_id) CROSS JOIN LATERAL (SELECT ");
	add_row(b, k, 0);
	buf_adds(b, " AS v) x GROUP BY 1) d WHERE d.track_id = g.track_id AND d.n = g.n AND d.h = g.h");
	return exec(l, "comparing child rows", b->data);
}

/*
 * Kind k's staged rows of the tracks whose set changed (all of them,
 * bulk) are inserted.
 */
static void insert_children_sql(struct buf *b, enum rec_kind k, int bulk,
				unsigned long long upto)
{
	size_t i;

	buf_addf(b, "INSERT INTO meekah.%s (id, track_id", rec_kinds[k].table);
	for (i = 1; i < rec_kinds[k].nfields; i++)
		buf_addf(b, ", %s", col(k, i));
	buf_adds(b, ") SELECT r.id, x.id");
	for (i = 1; i < rec_kinds[k].nfields; i++) {
		buf_adds(b, ", ");
		add_value(b, k, (int)i);
	}
	if (bulk)
		buf_addf(b, " FROM bc_%s r JOIN meekah.track_info x USING (audio_filename) "
			 "WHERE true ", rec_kinds[k].name);
	else
		buf_addf(b, " FROM bc_%s r JOIN bc_chg c USING (audio_filename) "
			 "JOIN meekah.track_info x ON x.id = c.track_id WHERE c.changed ",
			 rec_kinds[k].name);
	add_upto(b, "r", upto);
	if (!bulk)
		buf_adds(b, " ORDER BY r.n");
}

static int insert_children(struct load *l, enum rec_kind k)
{
	long got;

	buf_reset(&l->what);
	buf_addf(&l->what, "inserting into meekah.%s", rec_kinds[k].table);
	if ((got = merge_exec(l, l->what.data, insert_children_sql, k)) < 0)
		return -1;
	l->counts[k].inserted = (unsigned long)got;
	return 0;
}

static long count_rows(struct load *l, const char *sql)
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

static int replace_children(struct load *l, enum rec_kind k)
{
	struct load_counts *c = &l->counts[k];
	struct buf *b = &l->sql;
	long got, tracks;

	if (l->bulk)	/* every track is new: nothing to compare, delete or count as replaced */
		return insert_children(l, k);
	if (find_changed(l, k) < 0)
		return -1;
	buf_reset(b);
	buf_addf(b, "DELETE FROM meekah.%s c USING bc_chg x WHERE c.track_id = x.track_id "
		 "AND x.changed", rec_kinds[k].table);
	if ((got = exec_count(l, "replacing child rows", b->data)) < 0)
		return -1;
	c->deleted = (unsigned long)got;
	if (insert_children(l, k) < 0)
		return -1;
	/* A track whose children changed has changed: export --since needs it. */
	got = exec_count(l, "marking tracks changed",
			 "UPDATE meekah.track_info t SET updated_at = now() FROM bc_chg x "
			 "WHERE t.id = x.track_id AND x.changed "
			 "AND t.updated_at IS DISTINCT FROM now()::timestamp");
	if (got < 0)
		return -1;
	if ((got = count_rows(l, "SELECT count(*) FILTER (WHERE changed) FROM bc_chg")) < 0 ||
	    (tracks = count_rows(l, "SELECT count(*) FROM bc_chg")) < 0)
		return -1;
	c->replaced = (unsigned long)got;
	c->unchanged = (unsigned long)(tracks - got);
	return 0;
}

/*
 * An empty catalog is loaded the way pg_restore does it: keys and indexes
 * of the meekah tables (and foreign keys elsewhere that point at them)
 * are dropped, the data goes in, then they are built again, all in the
 * same transaction.  Building an index once is much cheaper than
 * updating it row by row.  The definitions come from the catalog itself.
 */
static const char save_ddl_sql[] =
	"CREATE TEMP TABLE bc_ddl ON COMMIT DROP AS "
	"WITH t AS (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
	"  WHERE n.nspname = 'meekah' AND c.relname IN ('track_info', 'track_creator', "
	"  'track_instrument', 'track_arrangement', 'track_sample')) "
	"SELECT 1 AS drop_order, 3 AS create_order, "
	"  format('ALTER TABLE %s DROP CONSTRAINT %I', k.conrelid::regclass, k.conname) AS drop_sql, "
	"  format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.conrelid::regclass, k.conname, "
	"         pg_get_constraintdef(k.oid)) AS create_sql "
	"FROM pg_constraint k WHERE k.contype = 'f' "
	"AND (k.conrelid IN (SELECT oid FROM t) OR k.confrelid IN (SELECT oid FROM t)) "
	"UNION ALL "
	"SELECT 2, 1, format('ALTER TABLE %s DROP CONSTRAINT %I', k.conrelid::regclass, k.conname), "
	"  format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.conrelid::regclass, k.conname, "
	"         pg_get_constraintdef(k.oid)) "
	"FROM pg_constraint k WHERE k.contype IN ('p', 'u') AND k.conrelid IN (SELECT oid FROM t) "
	"UNION ALL "
	"SELECT 3, 2, format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid) "
	"FROM pg_index i WHERE i.indrelid IN (SELECT oid FROM t) "
	"AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid "
	"                AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))";

/* Run the statements of bc_ddl's column col_name, in order. */
static int run_ddl(struct load *l, const char *col_name, const char *order, const char *what)
{
	PGresult *res;
	int ok;

	buf_reset(&l->sql);
	buf_addf(&l->sql, "SELECT coalesce(string_agg(%s, '; ' ORDER BY %s, %s), '') FROM bc_ddl",
		 col_name, order, col_name);
	res = PQexec(l->conn, l->sql.data);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_report(res, what);
		PQclear(res);
		return -1;
	}
	ok = !*PQgetvalue(res, 0, 0) || exec(l, what, PQgetvalue(res, 0, 0)) == 0;
	PQclear(res);
	return ok ? 0 : -1;
}

static int count_tracks(struct load *l)
{
	struct load_counts *c = &l->counts[REC_TRACK];
	long n = count_rows(l, "SELECT count(*) FROM bc_track");

	if (n < 0)
		return -1;
	c->unchanged = (unsigned long)n > c->inserted + c->updated ?
		       (unsigned long)n - c->inserted - c->updated : 0;
	return 0;
}

/*
 * Fields that two sources of one track give differently: reported as
 * warnings with both values and where each came from (the first few
 * printed, all counted).  Run before the sources merge.
 */
static int report_disagreements(struct load *l)
{
	struct buf *b = &l->sql;
	size_t i, n = rec_kinds[REC_TRACK].nfields;
	PGresult *res;
	int row;

	buf_reset(b);
	buf_adds(b, "SELECT a.audio_filename, d.field, d.va, fa.name || ':' || a.line, d.vb, "
		    "fb.name || ':' || b.line FROM bc_track a JOIN bc_track b "
		    "ON b.audio_filename = a.audio_filename AND a.src < b.src "
		    "AND NOT a.bad AND NOT b.bad "
		    "JOIN bc_file fa ON fa.file_no = a.file_no JOIN bc_file fb ON fb.file_no = b.file_no "
		    "CROSS JOIN LATERAL (VALUES ");
	for (i = 1; i < n; i++)
		buf_addf(b, "%s('%s', a.%s::text, b.%s::text, a.given & %lu <> 0 AND b.given & %lu <> 0)",
			 i > 1 ? ", " : "", col(REC_TRACK, i), col(REC_TRACK, i), col(REC_TRACK, i),
			 1ul << i, 1ul << i);
	buf_adds(b, ") d(field, va, vb, given2) WHERE d.given2 AND d.va IS DISTINCT FROM d.vb "
		    "AND d.va IS NOT NULL AND d.vb IS NOT NULL ORDER BY a.file_no, a.line, d.field");
	res = PQexec(l->conn, b->data);
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

/*
 * The same track from several sources (a CSV row, a DDEX SoundRecording,
 * the file's tags) becomes one row, field by field: CSV over DDEX over
 * tags (enum rec_source), each field from the best source that gives it,
 * and among DDEX messages the latest (a later delivery replaces an
 * earlier one).  For each kind of child rows, only the best source's rows
 * are kept.
 */

static int merge_sources(struct load *l)
{
	struct buf *b = &l->sql;
	size_t i, n = rec_kinds[REC_TRACK].nfields;
	char rank[64];
	int k;

	if (!l->multi_source)
		return 0;
	if (report_disagreements(l) < 0)
		return -1;
	/* A track's rows, best first: by source, the latest DDEX message first. */
	snprintf(rank, sizeof(rank), "src, CASE WHEN src = %d THEN -n ELSE n END", REC_SRC_DDEX);
	buf_reset(b);
	buf_addf(b, "CREATE TEMP TABLE bc_track_m ON COMMIT DROP AS SELECT min(n) AS n, false AS bad, "
		 "(array_agg(id ORDER BY %s))[1] AS id, audio_filename, bit_or(given) AS given, "
		 "(array_agg(file_no ORDER BY %s))[1] AS file_no, "
		 "(array_agg(line ORDER BY %s))[1] AS line, "
		 "(array_agg(off ORDER BY %s))[1] AS off, "
		 "(array_agg(len ORDER BY %s))[1] AS len, min(src) AS src",
		 rank, rank, rank, rank, rank);
	for (i = 1; i < n; i++) {
		enum rec_type t = rec_kinds[REC_TRACK].fields[i].type;

		/*
		 * array_agg cannot gather arrays of different lengths, so an
		 * array travels as its text form, which casts back exactly.
		 * (A subquery per track instead scans the staging once per
		 * track: quadratic.)
		 */
		if (t == RT_MOODS || t == RT_TAGS)
			buf_addf(b, ", (array_agg(%s::text ORDER BY %s) FILTER (WHERE given & %lu "
				 "<> 0))[1]::%s AS %s", col(REC_TRACK, i), rank, 1ul << i, sql_type(t),
				 col(REC_TRACK, i));
		else
			buf_addf(b, ", (array_agg(%s ORDER BY %s) FILTER (WHERE given & %lu <> 0))[1] "
				 "AS %s", col(REC_TRACK, i), rank, 1ul << i, col(REC_TRACK, i));
	}
	buf_adds(b, " FROM bc_track g GROUP BY audio_filename HAVING count(*) > 1;"
		    "DELETE FROM bc_track WHERE audio_filename IN (SELECT audio_filename FROM bc_track_m);"
		    "INSERT INTO bc_track SELECT * FROM bc_track_m;");
	/* Children: the best source's rows; from DDEX, the latest message's. */
	for (k = 1; k < REC_NKINDS; k++)
		buf_addf(b, "DELETE FROM bc_%s r USING (SELECT audio_filename, min(src) AS best, "
			 "max(file_no) FILTER (WHERE src = %d) AS last_msg "
			 "FROM bc_%s GROUP BY 1 HAVING count(DISTINCT (src, file_no)) > 1) x "
			 "WHERE r.audio_filename = x.audio_filename "
			 "AND (r.src > x.best OR (r.src = %d AND r.file_no < x.last_msg));",
			 rec_kinds[k].name, REC_SRC_DDEX, rec_kinds[k].name, REC_SRC_DDEX);
	return exec(l, "merging sources", b->data);
}

/*
 * A guessed field (rec.weak: a title taken from the file name) gives way
 * to any other row of its track that gives the field, and to the track
 * the catalog has: its given bit goes, so neither the merge of sources
 * nor the update takes it, and no disagreement is reported.
 */
static int drop_weak(struct load *l)
{
	struct buf *b = &l->sql;
	size_t i;

	if (!l->weak)
		return 0;
	buf_reset(b);
	for (i = 1; i < rec_kinds[REC_TRACK].nfields; i++) {
		unsigned long bit = 1ul << i;

		if (!(l->weak & bit))
			continue;
		buf_addf(b, "UPDATE bc_track r SET given = r.given & ~%lu WHERE r.weak & %lu <> 0 "
			 "AND (EXISTS (SELECT 1 FROM meekah.track_info t "
			 "             WHERE t.audio_filename = r.audio_filename) "
			 "  OR EXISTS (SELECT 1 FROM bc_track o WHERE o.audio_filename = r.audio_filename "
			 "             AND o.n <> r.n AND NOT o.bad AND o.given & %lu <> 0 "
			 "             AND o.weak & %lu = 0));", bit, bit, bit, bit);
	}
	return exec(l, "leaving out guessed values", b->data);
}

/*
 * Takedowns: staged rows of the tracks taken down, from the takedown's
 * input or an earlier one, leave the staging; then the catalog's tracks
 * are deleted (children by ON DELETE CASCADE) unless a later input
 * delivers them again.  Each deleted track is reported.
 */
static int apply_takedowns(struct load *l)
{
	struct buf *b = &l->sql;
	PGresult *res;
	int k, i, ok;

	if (!l->ntakedowns)
		return 0;
	buf_reset(b);
	buf_adds(b, "CREATE TEMP TABLE bc_gone ON COMMIT DROP AS "
		    "SELECT t.audio_filename, k.file_no FROM bc_track t JOIN bc_takedown k "
		    "ON (t.audio_filename = k.audio_filename OR t.catalog_number = k.catalog_number) "
		    "AND t.file_no <= k.file_no "
		    "UNION SELECT audio_filename, file_no FROM bc_takedown WHERE audio_filename IS NOT NULL;");
	for (k = 0; k < REC_NKINDS; k++)
		buf_addf(b, "DELETE FROM bc_%s r USING bc_gone g WHERE r.audio_filename = g.audio_filename "
			 "AND r.file_no <= g.file_no;", rec_kinds[k].name);
	if (exec(l, "applying takedowns to the staging", b->data) < 0)
		return -1;
	res = PQexec(l->conn, "WITH d AS (DELETE FROM meekah.track_info t USING bc_takedown k "
			      "WHERE (t.audio_filename = k.audio_filename OR t.catalog_number = "
			      "k.catalog_number) AND NOT EXISTS (SELECT 1 FROM bc_track s WHERE "
			      "s.audio_filename = t.audio_filename) RETURNING t.audio_filename, "
			      "k.file_no, k.line) SELECT DISTINCT ON (d.audio_filename) f.name, d.line, "
			      "d.audio_filename FROM d JOIN bc_file f USING (file_no) "
			      "ORDER BY d.audio_filename, d.file_no, d.line");
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

int load_merge(struct load *l)
{
	struct buf analyze = BUF_INIT;
	long rows;
	int k, rc = -1;

	if (interrupted(l) || drop_rejected(l) < 0 || apply_takedowns(l) < 0 ||
	    drop_weak(l) < 0 || merge_sources(l) < 0)
		goto out;
	/* Bulk when the catalog is empty (-1: it is not). */
	rows = count_rows(l, "SELECT CASE WHEN EXISTS (SELECT 1 FROM meekah.track_info) "
			     "THEN -1 ELSE (SELECT count(*) FROM bc_track) END");
	if (rows < -1)
		goto out;
	l->bulk = rows >= 0;
	if (l->bulk && (exec(l, "saving index definitions", save_ddl_sql) < 0 ||
			run_ddl(l, "drop_sql", "drop_order", "dropping indexes for the bulk load") < 0))
		goto out;
	if (update_tracks(l) < 0 || insert_tracks(l) < 0 || count_tracks(l) < 0)
		goto out;
	db_stop_point("merge");
	/*
	 * After a bulk insert the planner knows nothing of track_info (no
	 * statistics, no index yet): analyzed now, the children find their
	 * track by a hash join instead of sorting both sides by name.
	 */
	if (l->bulk && exec(l, "analyzing meekah.track_info", "ANALYZE meekah.track_info") < 0)
		goto out;
	if (!l->bulk)
		buf_adds(&analyze, ", meekah.track_info");
	for (k = 1; k < REC_NKINDS; k++) {
		if (interrupted(l))
			goto out;
		if (!l->counts[k].staged)
			continue;
		if (replace_children(l, (enum rec_kind)k) < 0)
			goto out;
		if (l->counts[k].replaced)
			buf_addf(&analyze, ", meekah.%s", rec_kinds[k].table);
	}
	if (l->bulk && run_ddl(l, "create_sql", "create_order", "building indexes and keys") < 0)
		goto out;
	/* analyze.data is ", table, table..." */
	if (analyze.len) {
		buf_reset(&l->sql);
		buf_addf(&l->sql, "ANALYZE %s", analyze.data + 2);
		rc = exec(l, "analyzing the catalog", l->sql.data);
	} else {
		rc = 0;
	}
out:
	buf_release(&analyze);
	return rc;
}

/* Nothing is committed once a signal was caught, however late. */
int load_commit(struct load *l)
{
	db_stop_point("commit");
	if (interrupted(l))
		return -1;
	l->in_txn = 0;
	return exec(l, "committing", "COMMIT");
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
