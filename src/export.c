/*
 * export: the catalog back out; see include/blendcat/export.h.
 */
#include "blendcat/export.h"
#include "blendcat/buf.h"
#include "blendcat/db.h"
#include "blendcat/diag.h"
#include "blendcat/export_ddex.h"
#include "blendcat/export_tags.h"
#include "blendcat/record.h"
#include "blendcat/rejects.h"
#include "blendcat/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* -------------------------------------------------------------- columns */

/*
 * Every column list of the manifest files and of the records comes from
 * rec_kinds (record.h), here.  Values are written the way import reads
 * them back unchanged: moods and tags joined by ';', booleans as
 * true/false.
 */

/* The kinds the record writers get: samples have no place in DDEX or in tags. */
static const enum rec_kind record_kinds[] = {
	REC_TRACK, REC_CREATOR, REC_INSTRUMENT, REC_ARRANGEMENT
};

#define NRECORD_KINDS (sizeof(record_kinds) / sizeof(record_kinds[0]))

/* Kind k's fields in the manifest set: all but the extras, which come last. */
static size_t manifest_fields(enum rec_kind k)
{
	size_t n = rec_kinds[k].nfields;

	while (n > 0 && (rec_kinds[k].fields[n - 1].flags & RF_EXTRA))
		n--;
	return n;
}

/* Is a column of this type text (varchar or text) in the catalog? */
static int is_text(enum rec_type t)
{
	switch (t) {
	case RT_DURATION:
	case RT_SECONDS:
	case RT_TEMPO:
	case RT_MOODS:
	case RT_TAGS:
	case RT_DATE:
	case RT_SPLIT:
	case RT_SCORE:
	case RT_COUNT:
	case RT_BOOL:
		return 0;
	default:
		return 1;
	}
}

/*
 * Text sorts in byte order (COLLATE "C") so that the order does not
 * depend on the server's locale; IPI numbers are digits only (norm_ipi),
 * which every collation orders alike, and sort without it.
 */
static const char *collate(enum rec_type t)
{
	return is_text(t) && t != RT_IPI ? " COLLATE \"C\"" : "";
}

enum col_use {
	COL_MANIFEST,	/* a manifest file: values as they are, a child's file name from x */
	COL_RECORD	/* the records query: every value as text, file names from x */
};

/*
 * Field i of kind k from its table r; the audio_filename of a child (and
 * of every kind in the records query) is its track's, in x.
 */
static void col_value(struct buf *b, enum rec_kind k, size_t i, enum col_use use)
{
	const struct rec_field *f = &rec_kinds[k].fields[i];

	if (i == 0 && (k != REC_TRACK || use == COL_RECORD))
		buf_adds(b, "x.audio_filename");
	else if (f->type == RT_MOODS || f->type == RT_TAGS)
		buf_addf(b, "array_to_string(r.%s, ';')", f->name);
	else if (f->type == RT_BOOL)
		buf_addf(b, "CASE r.%s WHEN true THEN 'true' WHEN false THEN 'false' END", f->name);
	else
		buf_addf(b, "r.%s%s", f->name, use == COL_RECORD && !is_text(f->type) ? "::text" : "");
}

/* The column of kind k's table that names its track. */
static const char *track_id(enum rec_kind k)
{
	return k == REC_TRACK ? "id" : "track_id";
}

/* Kind k's first section time (RT_SECONDS), or 0 when it has none. */
static size_t first_seconds(enum rec_kind k)
{
	size_t i;

	for (i = 1; i < rec_kinds[k].nfields; i++)
		if (rec_kinds[k].fields[i].type == RT_SECONDS)
			return i;
	return 0;
}

/*
 * The manifest file of kind k over the chosen tracks (bc_export), in a
 * deterministic order: by audio_filename, which names a track alone;
 * a child's rows then by every column, section times first.
 */
static void manifest_sql(struct buf *b, enum rec_kind k)
{
	size_t i, n = manifest_fields(k);
	int pass;

	buf_adds(b, "SELECT ");
	for (i = 0; i < n; i++) {
		if (i)
			buf_adds(b, ", ");
		col_value(b, k, i, COL_MANIFEST);
		buf_addf(b, " AS %s", rec_kinds[k].fields[i].name);
	}
	buf_addf(b, " FROM meekah.%s r JOIN bc_export x ON x.id = r.%s ORDER BY ", rec_kinds[k].table,
		 track_id(k));
	col_value(b, k, 0, COL_MANIFEST);
	buf_adds(b, " COLLATE \"C\"");
	for (pass = 0; k != REC_TRACK && pass < 2; pass++)
		for (i = 1; i < n; i++) {
			enum rec_type t = rec_kinds[k].fields[i].type;

			if ((t == RT_SECONDS) == (pass == 0))
				buf_addf(b, ", r.%s%s", rec_kinds[k].fields[i].name, collate(t));
		}
}

/*
 * The records of the chosen tracks for the record writers: kind, group
 * key k, then the kind's manifest fields as text c0, c1..., NULL-padded
 * to the widest kind, and a sort key s (a section's start).  A group
 * (key_expr, over track_info t) is a release for ddex, a track for tags;
 * rows come grouped, each track followed by its children.
 */
static void records_sql(struct buf *b, const char *key_expr)
{
	size_t width = manifest_fields(REC_TRACK), j, i;

	buf_addf(b, "WITH x AS (SELECT t.id, t.audio_filename, %s AS k "
		 "FROM meekah.track_info t JOIN bc_export e ON e.id = t.id) SELECT * FROM (",
		 key_expr);
	for (j = 0; j < NRECORD_KINDS; j++) {
		enum rec_kind k = record_kinds[j];
		size_t start = first_seconds(k);

		buf_addf(b, "%sSELECT %d AS kind, x.k", j ? " UNION ALL " : "", (int)k);
		for (i = 0; i < width; i++) {
			buf_adds(b, ", ");
			if (i < manifest_fields(k))
				col_value(b, k, i, COL_RECORD);
			else
				buf_adds(b, "NULL");
			buf_addf(b, " AS c%zu", i);
		}
		if (start)
			buf_addf(b, ", r.%s AS s", rec_kinds[k].fields[start].name);
		else
			buf_adds(b, ", 0 AS s");
		buf_addf(b, " FROM x JOIN meekah.%s r ON r.%s = x.id", rec_kinds[k].table, track_id(k));
	}
	buf_adds(b, ") u ORDER BY k COLLATE \"C\", c0 COLLATE \"C\", kind, s, c1 COLLATE \"C\", "
		    "c2 COLLATE \"C\", c3 COLLATE \"C\", c4 COLLATE \"C\", c5 COLLATE \"C\"");
}

/* ------------------------------------------------------------ selection */

static int has_filters(const struct export_opts *o)
{
	return o->genre || o->tempo_min >= 0 || o->key || o->scale || o->mood || o->tag ||
	       o->catalog_number || o->since || o->limit >= 0;
}

/*
 * The chosen tracks as bc_export: with filters, a temporary table filled
 * with every filter as a parameter; without, a view of the whole catalog,
 * so that the files are the plain joins (nothing copied first).
 */
static int select_tracks(PGconn *c, const struct export_opts *o)
{
	struct buf sql = BUF_INIT;
	const char *vals[10];
	char tmin[24], tmax[24], lim[24];
	int n = 0, ok;
	PGresult *res;

	if (!has_filters(o))
		return db_exec(c, "choosing the tracks to export",
			       "CREATE TEMP VIEW bc_export AS SELECT id, audio_filename "
			       "FROM meekah.track_info");
#define FILTER(cond, value) \
	do { vals[n++] = (value); buf_addf(&sql, " AND " cond, n); } while (0)
	buf_adds(&sql, "CREATE TEMP TABLE bc_export ON COMMIT DROP AS "
		       "SELECT t.id, t.audio_filename FROM meekah.track_info t WHERE true");
	if (o->genre)
		FILTER("t.genre = $%d", o->genre);
	if (o->tempo_min >= 0) {
		snprintf(tmin, sizeof(tmin), "%ld", o->tempo_min);
		snprintf(tmax, sizeof(tmax), "%ld", o->tempo_max);
		FILTER("t.tempo >= $%d::integer", tmin);
		FILTER("t.tempo <= $%d::integer", tmax);
	}
	if (o->key)
		FILTER("t.musical_key = $%d", o->key);
	if (o->scale)
		FILTER("t.scale = $%d", o->scale);
	if (o->mood)
		FILTER("$%d = ANY (t.mood)", o->mood);
	if (o->tag)
		FILTER("$%d = ANY (t.tags)", o->tag);
	if (o->catalog_number)
		FILTER("t.catalog_number = $%d", o->catalog_number);
	if (o->since)
		FILTER("t.updated_at >= $%d::timestamp", o->since);
#undef FILTER
	buf_adds(&sql, " ORDER BY t.audio_filename COLLATE \"C\"");
	if (o->limit >= 0) {
		snprintf(lim, sizeof(lim), "%ld", o->limit);
		vals[n++] = lim;
		buf_addf(&sql, " LIMIT $%d::bigint", n);
	}
	res = PQexecParams(c, sql.data, n, NULL, vals, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		db_report(res, "choosing the tracks to export");
	PQclear(res);
	buf_release(&sql);
	return ok ? 0 : -1;
}

/* ---------------------------------------------------------------- output */

static int write_all(int fd, const char *p, size_t n, const char *path)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return diag_error(LOC_NONE, "cannot write '%s': %s", path, strerror(errno));
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* mkdir -p dir, mode 0700 (exports may hold contact data). */
static int make_dirs(const char *dir)
{
	struct buf p = BUF_INIT;
	size_t i;
	int rc = 0;

	buf_adds(&p, dir);
	for (i = 1; rc == 0 && i <= p.len; i++) {
		if (p.data[i] != '/' && p.data[i] != '\0')
			continue;
		p.data[i] = '\0';
		if (mkdir(p.data, 0700) < 0 && errno != EEXIST)
			rc = diag_error(LOC_NONE, "cannot create '%s': %s", p.data, strerror(errno));
		if (i < p.len)
			p.data[i] = '/';
	}
	buf_release(&p);
	return rc;
}

static int open_out(const char *dir, const char *file, struct buf *path)
{
	int fd;

	buf_reset(path);
	buf_addf(path, "%s/%s", dir, file);
	/* creators.csv holds contact data: private, even over an older file */
	fd = open(path->data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0 && rejects_private(fd) < 0) {
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		diag_error(LOC_NONE, "cannot create '%s': %s", path->data, strerror(errno));
	return fd;
}

/* ------------------------------------------------------ copy-out writer */

/*
 * csv and jsonl (Redis rio's one output, pg_dump's directory format):
 * each part goes to its file in the output directory, made 0700, or to
 * standard output for "-", as the server sends it.
 */
struct copyw {
	const char *dir;	/* borrowed from open() to close() */
	const char *file;	/* the part's, borrowed until part_close() */
	int fd;
	struct buf path;
	/* The line on stderr when a part is written: rows counts every line. */
	void (*report)(const char *file, long rows);
};

static int copyw_open(void *ctx, const char *dir)
{
	struct copyw *w = ctx;

	w->dir = dir;
	return strcmp(dir, "-") == 0 ? 0 : make_dirs(dir);
}

static const char *copyw_part_open(void *ctx, const char *file)
{
	struct copyw *w = ctx;

	w->file = file;
	if (strcmp(w->dir, "-") == 0) {
		w->fd = STDOUT_FILENO;
		buf_reset(&w->path);
		buf_adds(&w->path, "standard output");
	} else if ((w->fd = open_out(w->dir, file, &w->path)) < 0) {
		return NULL;
	}
	return w->path.data;
}

static int copyw_part_write(void *ctx, const char *data, size_t len)
{
	struct copyw *w = ctx;

	return write_all(w->fd, data, len, w->path.data);
}

static int copyw_part_close(void *ctx, int ok, long rows)
{
	struct copyw *w = ctx;

	if (w->fd != STDOUT_FILENO && close(w->fd) < 0 && ok) {
		diag_error(LOC_NONE, "cannot write '%s': %s", w->path.data, strerror(errno));
		ok = 0;
	}
	if (ok && !diag_quiet)
		w->report(w->file, rows);
	return ok ? 0 : -1;
}

static int copyw_close(void *ctx, int ok)
{
	(void)ctx;
	(void)ok;
	return 0;
}

static const struct writer_ops copy_writer_ops = {
	.open = copyw_open,
	.close = copyw_close,
	.part_open = copyw_part_open,
	.part_write = copyw_part_write,
	.part_close = copyw_part_close,
};

static void *copyw_new(void (*report)(const char *file, long rows))
{
	struct copyw *w = xmalloc(sizeof(*w));

	memset(w, 0, sizeof(*w));
	buf_init(&w->path);
	w->fd = -1;
	w->report = report;
	return w;
}

static void copyw_free(void *ctx)
{
	struct copyw *w = ctx;

	buf_release(&w->path);
	free(w);
}

/* -------------------------------------------------------------- records */

/* A group of records being gathered for a writer. */
struct group {
	struct rec *recs;
	size_t n, cap;
	struct buf key;
};

static struct rec *group_next(struct group *g, enum rec_kind k)
{
	if (g->n == g->cap) {
		size_t i;

		g->cap = g->cap ? 2 * g->cap : 64;
		g->recs = xrealloc(g->recs, g->cap * sizeof(*g->recs));
		for (i = g->n; i < g->cap; i++)
			rec_init(&g->recs[i]);
	}
	rec_reset(&g->recs[g->n], k);
	return &g->recs[g->n++];
}

static void group_release(struct group *g)
{
	size_t i;

	for (i = 0; i < g->cap; i++)
		rec_release(&g->recs[i]);
	free(g->recs);
	buf_release(&g->key);
}

/* One result row as a record of the group, flushing the group when its key changes. */
static int group_row(struct group *g, const PGresult *res, const struct writer_ops *ops,
		     void *ctx)
{
	int kind = atoi(PQgetvalue(res, 0, 0)), nf, i;
	const char *key = PQgetvalue(res, 0, 1);
	struct rec *r;

	if (g->n && strcmp(g->key.data, key) != 0) {
		if (ops->write(ctx, g->recs, g->n) < 0)
			return -1;
		g->n = 0;
	}
	buf_reset(&g->key);
	buf_adds(&g->key, key);
	r = group_next(g, (enum rec_kind)kind);
	nf = (int)manifest_fields((enum rec_kind)kind);
	for (i = 0; i < nf && i + 2 < PQnfields(res); i++)
		rec_set_value(r, i, PQgetisnull(res, 0, i + 2) ? NULL : PQgetvalue(res, 0, i + 2));
	return 0;
}

/*
 * Stream the records (single-row mode: memory holds one group) into a
 * writer.  After a failure the rest of the result is drained unread.
 */
static int stream_records(PGconn *c, const struct export_format *f, void *ctx)
{
	const struct writer_ops *ops = f->ops;
	struct group g = { NULL, 0, 0, BUF_INIT };
	struct buf sql = BUF_INIT;
	PGresult *res;
	int failed = 0;

	records_sql(&sql, f->group_key);
	if (!PQsendQuery(c, sql.data) || !PQsetSingleRowMode(c)) {
		diag_error(LOC_NONE, "reading the catalog: %s", PQerrorMessage(c));
		failed = 1;
	}
	while (!failed && (res = PQgetResult(c)) != NULL) {
		if (PQresultStatus(res) == PGRES_SINGLE_TUPLE) {
			if (!failed && group_row(&g, res, ops, ctx) < 0)
				failed = 1;
		} else if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			db_report(res, "reading the catalog");
			failed = 1;
		}
		PQclear(res);
	}
	while ((res = PQgetResult(c)) != NULL)
		PQclear(res);
	if (!failed && g.n && ops->write(ctx, g.recs, g.n) < 0)
		failed = 1;
	buf_release(&sql);
	group_release(&g);
	return failed ? -1 : 0;
}

/* ------------------------------------------------------------ COPY out */

/*
 * COPY (sql) TO STDOUT into the writer's part, named path in messages.
 * On a write failure, complain once and keep draining the COPY (psql's
 * handleCopyOut), then fail.
 */
static int copy_out(PGconn *c, const char *sql, const char *opts, const struct writer_ops *ops,
		    void *ctx, const char *path, long *rows)
{
	struct buf q = BUF_INIT;
	PGresult *res;
	char *data;
	int len, failed = 0;

	buf_addf(&q, "COPY (%s) TO STDOUT WITH (%s)", sql, opts);
	res = PQexec(c, q.data);
	buf_release(&q);
	if (PQresultStatus(res) != PGRES_COPY_OUT) {
		db_report(res, path);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	*rows = 0;
	while ((len = PQgetCopyData(c, &data, 0)) > 0) {
		if (!failed && ops->part_write(ctx, data, (size_t)len) < 0)
			failed = 1;
		(*rows)++;
		PQfreemem(data);
	}
	if (len == -2) {
		diag_error(LOC_NONE, "%s: %s", path, PQerrorMessage(c));
		failed = 1;
	}
	while ((res = PQgetResult(c)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			db_report(res, path);
			failed = 1;
		}
		PQclear(res);
	}
	return failed ? -1 : 0;
}

/* Each part of a COPY format: its file, then its query's COPY TO STDOUT. */
static int stream_copy(PGconn *c, const struct export_format *f, void *ctx)
{
	struct buf sql = BUF_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < f->nparts; i++) {
		const char *file, *path;
		long rows = 0;

		buf_reset(&sql);
		file = f->part(i, &sql);
		if ((path = f->ops->part_open(ctx, file)) == NULL) {
			rc = -1;
			break;
		}
		rc = copy_out(c, sql.data, f->copy_options, f->ops, ctx, path, &rows);
		if (f->ops->part_close(ctx, rc == 0, rows) < 0)
			rc = -1;
	}
	buf_release(&sql);
	return rc;
}

/* -------------------------------------------------------------- formats */

/* csv: the manifest set, a file per kind. */
static const char *csv_part(size_t i, struct buf *sql)
{
	manifest_sql(sql, (enum rec_kind)i);
	return rec_kinds[i].file;
}

static void csv_report(const char *file, long rows)
{
	fprintf(stderr, "%-18s %9ld rows\n", file, rows - 1);	/* less the header */
}

static void *csv_start(const struct export_opts *o)
{
	(void)o;
	return copyw_new(csv_report);
}

/*
 * The schema doc's "Get Track with Full Details", one JSON object per
 * track: its keys are the application's ('startTime', 'ipi', 'primary'),
 * not the manifest's columns.
 */
static const char jsonl_sql[] =
	"SELECT json_build_object("
	"  'id', t.id, 'title', t.title, 'artist', t.artist, 'duration', t.duration, "
	"  'tempo', t.tempo, 'musical_key', t.musical_key, 'scale', t.scale, 'genre', t.genre, "
	"  'subgenre', t.subgenre, 'mood', t.mood, 'tags', t.tags, 'description', t.description, "
	"  'audio_filename', t.audio_filename, 'cover_art_url', t.cover_art_url, "
	"  'catalog_number', t.catalog_number, 'isrc', t.isrc, 'release_date', t.release_date, "
	"  'popularity_score', t.popularity_score, 'play_count', t.play_count, "
	"  'created_at', t.created_at, 'updated_at', t.updated_at, "
	"  'arrangement', coalesce((SELECT json_agg(json_build_object('section', a.section_name, "
	"      'startTime', a.start_time, 'endTime', a.end_time, 'description', a.description) "
	"      ORDER BY a.start_time, a.end_time) FROM meekah.track_arrangement a "
	"      WHERE a.track_id = t.id), '[]'), "
	"  'creators', coalesce((SELECT json_agg(json_build_object('name', c.creator_name, "
	"      'role', c.role, 'ipi', c.ipi_number, 'pro', c.pro, 'split', c.split_percentage) "
	"      ORDER BY c.creator_name, c.role) FROM meekah.track_creator c "
	"      WHERE c.track_id = t.id), '[]'), "
	"  'instruments', coalesce((SELECT json_agg(json_build_object('category', "
	"      i.instrument_category, 'type', i.instrument_type, 'primary', i.is_primary) "
	"      ORDER BY i.instrument_category, i.instrument_type) FROM meekah.track_instrument i "
	"      WHERE i.track_id = t.id), '[]'), "
	"  'samples', coalesce((SELECT json_agg(json_build_object('pack', s.sample_pack_name, "
	"      'description', s.sample_description, 'cleared', s.is_cleared, "
	"      'notes', s.clearance_notes) ORDER BY s.sample_pack_name) FROM meekah.track_sample s "
	"      WHERE s.track_id = t.id), '[]'))::text "
	"FROM meekah.track_info t JOIN bc_export x ON x.id = t.id "
	"ORDER BY t.audio_filename COLLATE \"C\"";

/* jsonl: one object per track, one line each. */
static const char *jsonl_part(size_t i, struct buf *sql)
{
	(void)i;
	buf_adds(sql, jsonl_sql);
	return "tracks.jsonl";
}

static void jsonl_report(const char *file, long rows)
{
	(void)file;
	fprintf(stderr, "%ld tracks\n", rows);
}

static void *jsonl_start(const struct export_opts *o)
{
	(void)o;
	return copyw_new(jsonl_report);
}

/* "DPID:NAME" (checked by cli.c) -> its two parts (caller owns). */
static int party_arg(const char *opt, const char *arg, char **dpid, char **name)
{
	const char *colon = arg ? strchr(arg, ':') : NULL;

	if (!colon || !colon[1])
		return diag_error(LOC_NONE, "--%s: expected DPID:NAME, not '%s'", opt, arg);
	*dpid = xmalloc((size_t)(colon - arg) + 1);
	memcpy(*dpid, arg, (size_t)(colon - arg));
	(*dpid)[colon - arg] = '\0';
	*name = xstrdup(colon + 1);
	if (!ddexw_dpid_ok(*dpid))
		return diag_error(LOC_NONE, "--%s: '%s' is not a DDEX party id (PADPIDA followed by "
				  "letters and digits)", opt, *dpid);
	return 0;
}

/* ddex: a writer and the parties, times and batch id its messages carry. */
struct ddex_export {
	struct ddexw w;
	char *sd, *sn, *rd, *rn;
	char created[40], batch[40];
};

static void ddex_free(struct ddex_export *d)
{
	free(d->sd);
	free(d->sn);
	free(d->rd);
	free(d->rn);
	free(d);
}

static void ddex_finish(void *ctx)
{
	struct ddex_export *d = ctx;

	ddexw_release(&d->w);
	ddex_free(d);
}

static void *ddex_start(const struct export_opts *o)
{
	struct ddex_export *d = xmalloc(sizeof(*d));
	struct ddexw_opts wo;
	struct timespec now;
	struct tm tm;

	memset(d, 0, sizeof(*d));
	if (party_arg("sender", o->sender, &d->sd, &d->sn) < 0 ||
	    party_arg("recipient", o->recipient, &d->rd, &d->rn) < 0 || make_dirs(o->out) < 0) {
		ddex_free(d);
		return NULL;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(d->created, sizeof(d->created), "%Y-%m-%dT%H:%M:%SZ", &tm);
	strftime(d->batch, sizeof(d->batch), "%Y%m%d%H%M%S", &tm);
	snprintf(d->batch + strlen(d->batch), sizeof(d->batch) - strlen(d->batch), "%03ld",
		 now.tv_nsec / 1000000);
	memset(&wo, 0, sizeof(wo));
	wo.sender_dpid = d->sd;
	wo.sender_name = d->sn;
	wo.recipient_dpid = d->rd;
	wo.recipient_name = d->rn;
	wo.created = d->created;
	wo.batch_id = d->batch;
	wo.batch = o->batch;
	wo.mead = o->mead;
	ddexw_init(&d->w, &wo);
	return d;
}

/* tags: the writer alone. */
static void *tags_start(const struct export_opts *o)
{
	struct tagsw *w = xmalloc(sizeof(*w));

	tagsw_init(w, o->dry_run);
	return w;
}

static void tags_finish(void *ctx)
{
	tagsw_release(ctx);
	free(ctx);
}

/*
 * The formats (pg_dump's one ops struct per format): what each needs
 * (cli.c checks the options by these flags), its writer, and where its
 * data comes from: COPY TO STDOUT of its parts' queries, or the records
 * grouped by its key.
 */
const struct export_format export_formats[] = {
	{ .name = "csv", .flags = EXPORT_OUT_DIR | EXPORT_COPY, .writes = "writes five files",
	  .ops = &copy_writer_ops, .start = csv_start, .finish = copyw_free,
	  .nparts = REC_NKINDS, .part = csv_part, .copy_options = "FORMAT csv, HEADER" },
	/*
	 * One text column in CSV format with a delimiter and a quote that JSON
	 * never holds raw: each object goes out as it is, one per line.
	 */
	{ .name = "jsonl", .flags = EXPORT_OUT_DIR | EXPORT_OUT_STDOUT | EXPORT_COPY,
	  .ops = &copy_writer_ops, .start = jsonl_start, .finish = copyw_free,
	  .nparts = 1, .part = jsonl_part,
	  .copy_options = "FORMAT csv, DELIMITER e'\\x03', QUOTE e'\\x01'" },
	{ .name = "ddex", .flags = EXPORT_OUT_DIR | EXPORT_DDEX, .writes = "writes a file per release",
	  .ops = &ddex_writer_ops, .start = ddex_start, .finish = ddex_finish,
	  .group_key = "COALESCE('c' || t.catalog_number, 's' || t.audio_filename)" },
	{ .name = "tags", .flags = EXPORT_AUDIO_ROOT,
	  .ops = &tags_writer_ops, .start = tags_start, .finish = tags_finish,
	  .group_key = "t.audio_filename" },
};

const size_t export_nformats = sizeof(export_formats) / sizeof(export_formats[0]);

const struct export_format *export_format_find(const char *name)
{
	size_t i;

	for (i = 0; i < export_nformats; i++)
		if (strcmp(export_formats[i].name, name) == 0)
			return &export_formats[i];
	return NULL;
}

/* ------------------------------------------------------------------ run */

int export_run(PGconn *c, const struct export_opts *o)
{
	const struct export_format *f = o->format;
	void *ctx;
	int rc = -1;

	/* One snapshot for every file; rolled back, it writes nothing but a temp table. */
	if (db_exec(c, "starting the export", "BEGIN ISOLATION LEVEL REPEATABLE READ") < 0 ||
	    select_tracks(c, o) < 0 || (ctx = f->start(o)) == NULL)
		goto out;
	rc = f->ops->open(ctx, f->flags & EXPORT_AUDIO_ROOT ? o->audio_root : o->out);
	if (rc == 0)
		rc = f->flags & EXPORT_COPY ? stream_copy(c, f, ctx) : stream_records(c, f, ctx);
	if (f->ops->close(ctx, rc == 0) < 0)
		rc = -1;
	f->finish(ctx);
out:
	PQclear(PQexec(c, "ROLLBACK"));
	return rc;
}
