/*
 * loaddiff: what a load changes, track by track; see
 * include/blendcat/loaddiff.h.
 *
 * Every table here is temporary (ON COMMIT DROP) and every comparison
 * happens in the server: the client only streams the result out.
 */
#include "blendcat/loaddiff.h"
#include "blendcat/db.h"
#include "blendcat/diag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OUT_CHUNK (64u << 10)

/* Columns that say nothing of a row's content: ids and timestamps. */
#define NOT_CONTENT "- 'id' - 'track_id' - 'created_at' - 'updated_at'"

/* ------------------------------------------------------------- helpers */

static int exec(struct load *l, const char *what, const char *sql)
{
	return db_exec(l->conn, what, sql);
}

/* The first row's columns of sql as numbers (ncols of them), or -1. */
static int query_longs(struct load *l, const char *what, const char *sql, long *v, int ncols)
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

static unsigned long minus(long a, long b)
{
	return a > b ? (unsigned long)(a - b) : 0;
}

/* Is kind k's before state kept?  Only a kind the run gives, or any when tracks go. */
static int kept(const struct load *l, int k)
{
	return l->counts[k].staged > 0 || l->ntakedowns > 0;
}

/* ----------------------------------------------------------------- counts */

int loaddiff_count_before(struct load *l, struct load_tracks *t)
{
	long v[2];

	memset(t, 0, sizeof(*t));
	/*
	 * A rejected track that a takedown names is deleted all the same (its
	 * rows left the staging, so nothing delivers it again): it counts as
	 * deleted, not rejected.
	 */
	if (query_longs(l, "counting rejected tracks", l->ntakedowns ?
			"SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM meekah.track_info t "
			"  WHERE t.audio_filename = b.audio_filename AND EXISTS (SELECT 1 FROM bc_takedown k "
			"  WHERE k.audio_filename = t.audio_filename OR k.catalog_number = t.catalog_number))) "
			"FROM bc_bad b" : "SELECT count(*), 0 FROM bc_bad", v, 2) < 0)
		return -1;
	t->rejected = minus(v[0], v[1]);
	t->rejected_gone = (unsigned long)v[1];
	return 0;
}

/*
 * Every track that changed in this transaction, and only those, has
 * updated_at = now(): the merge sets it on a changed field or child set
 * and an insert takes it as its default.  So the tracks the run names
 * (any staged row) split into changed and unchanged without keeping
 * their rows as they were.
 */
int loaddiff_count_after(struct load *l, struct load_tracks *t)
{
	struct buf sql = BUF_INIT;
	long v[2];
	int k, rc;

	t->inserted = l->counts[REC_TRACK].inserted;
	t->deleted = l->counts[REC_TRACK].deleted;
	if (l->bulk)	/* an empty catalog: every track is new */
		return 0;
	buf_adds(&sql, "SELECT count(*) FILTER (WHERE t.updated_at = now()::timestamp), count(*) "
		       "FROM meekah.track_info t WHERE t.audio_filename IN (SELECT audio_filename FROM bc_track");
	for (k = 1; k < REC_NKINDS; k++)
		if (l->counts[k].staged)
			buf_addf(&sql, " UNION ALL SELECT audio_filename FROM bc_%s", rec_kinds[k].name);
	buf_adds(&sql, ")");
	rc = query_longs(l, "counting changed tracks", sql.data, v, 2);
	buf_release(&sql);
	if (rc < 0)
		return -1;
	t->updated = minus(v[0], (long)t->inserted);
	t->unchanged = minus(v[1], v[0]);
	return 0;
}

/* ------------------------------------------------------------- lifecycle */

void loaddiff_init(struct loaddiff *d, int fd, const char *name, enum loaddiff_format format,
		   int color)
{
	memset(d, 0, sizeof(*d));
	d->fd = fd;
	d->name = name;
	d->format = format;
	d->color = color && format == LOADDIFF_TEXT;
	d->start = -1;
	buf_init(&d->line);
}

void loaddiff_release(struct loaddiff *d)
{
	if (d->reasons)
		fclose(d->reasons);
	d->reasons = NULL;
	buf_release(&d->line);
}

void loaddiff_begin(struct loaddiff *d)
{
	off_t at = lseek(d->fd, 0, SEEK_CUR);

	d->start = at < 0 ? -1 : (long long)at;
	if (d->reasons)
		fclose(d->reasons);
	d->reasons = NULL;
}

void loaddiff_fail(struct loaddiff *d)
{
	if (d->start >= 0 && ftruncate(d->fd, (off_t)d->start) == 0)
		lseek(d->fd, (off_t)d->start, SEEK_SET);
}

int loaddiff_reason(struct loaddiff *d, int file_no, unsigned long line, const char *audio_filename,
		    const char *field, const char *value, const char *reason)
{
	struct buf b = BUF_INIT;
	int rc = 0;

	if (!audio_filename)	/* no track to give it to: rejects.log has it */
		return 0;
	if (!d->reasons && !(d->reasons = tmpfile()))
		return diag_error(LOC_NONE, "cannot create a temporary file for the diff: %s",
				  strerror(errno));
	buf_addf(&b, "%d\t%lu\t", file_no, line);
	rec_copy_value(&b, audio_filename);
	buf_addch(&b, '\t');
	rec_copy_value(&b, field);
	buf_addch(&b, '\t');
	rec_copy_value(&b, value);
	buf_addch(&b, '\t');
	rec_copy_value(&b, reason);
	buf_addch(&b, '\n');
	if (fwrite(b.data, 1, b.len, d->reasons) != b.len)
		rc = diag_error(LOC_NONE, "cannot write a temporary file for the diff: %s",
				strerror(errno));
	buf_release(&b);
	return rc;
}

/* ---------------------------------------------------------------- before */

/* The readers' reasons into bc_dreason, beside the checks' bc_reason. */
static int send_reasons(struct loaddiff *d, struct load *l)
{
	char chunk[OUT_CHUNK];
	PGresult *res;
	size_t n;
	int ok = 1;

	if (exec(l, "keeping the reasons", "CREATE TEMP TABLE bc_dreason (file_no integer, "
		 "line bigint, audio_filename text, field text, value text, reason text) "
		 "ON COMMIT DROP") < 0)
		return -1;
	if (!d->reasons)
		return 0;
	res = PQexec(l->conn, "COPY bc_dreason FROM STDIN");
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		db_report(res, "keeping the reasons");
		PQclear(res);
		return -1;
	}
	PQclear(res);
	rewind(d->reasons);
	while (ok && (n = fread(chunk, 1, sizeof(chunk), d->reasons)) > 0)
		ok = PQputCopyData(l->conn, chunk, (int)n) == 1;
	if (PQputCopyEnd(l->conn, ok ? NULL : "the reasons could not be sent") != 1)
		ok = 0;
	while ((res = PQgetResult(l->conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			db_report(res, "keeping the reasons");
			ok = 0;
		}
		PQclear(res);
	}
	fclose(d->reasons);
	d->reasons = NULL;
	return ok ? 0 : -1;
}

/*
 * The tracks the run touches: every name of the staging (rejected rows
 * too: their tracks are listed as rejected) and the catalog's tracks a
 * takedown names; their rows as they are now, as jsonb without ids and
 * timestamps.
 */
int loaddiff_before(struct loaddiff *d, struct load *l)
{
	struct buf b = BUF_INIT;
	int k, rc;

	if (send_reasons(d, l) < 0)
		return -1;
	buf_adds(&b, "CREATE TEMP TABLE bc_dname ON COMMIT DROP AS SELECT DISTINCT audio_filename "
		     "FROM (SELECT audio_filename FROM bc_track");
	for (k = 1; k < REC_NKINDS; k++)
		buf_addf(&b, " UNION ALL SELECT audio_filename FROM bc_%s", rec_kinds[k].name);
	if (l->ntakedowns)
		buf_adds(&b, " UNION ALL SELECT t.audio_filename FROM meekah.track_info t "
			     "JOIN bc_takedown k ON k.audio_filename = t.audio_filename "
			     "UNION ALL SELECT t.audio_filename FROM meekah.track_info t "
			     "JOIN bc_takedown k ON k.catalog_number = t.catalog_number");
	buf_adds(&b, ") u WHERE audio_filename IS NOT NULL; ANALYZE bc_dname;"
		     "CREATE TEMP TABLE bc_dbefore ON COMMIT DROP AS SELECT t.id, "
		     "t.audio_filename::text AS audio_filename, to_jsonb(t) - 'audio_filename' "
		     NOT_CONTENT " AS v FROM meekah.track_info t "
		     "WHERE t.audio_filename IN (SELECT audio_filename FROM bc_dname); ANALYZE bc_dbefore;");
	for (k = 1; k < REC_NKINDS; k++)
		if (kept(l, k))
			buf_addf(&b, "CREATE TEMP TABLE bc_dbefore_%s ON COMMIT DROP AS "
				 "SELECT b.audio_filename, to_jsonb(c) " NOT_CONTENT " AS v "
				 "FROM meekah.%s c JOIN bc_dbefore b ON b.id = c.track_id;",
				 rec_kinds[k].name, rec_kinds[k].table);
	rc = exec(l, "keeping the catalog's rows for the diff", b.data);
	buf_release(&b);
	return rc;
}

/* ------------------------------------------------------------ comparison */

/* bc_dcol: each table's columns in their order, for the listing. */
static void add_columns(struct buf *b)
{
	size_t i;
	int k;

	buf_adds(b, "CREATE TEMP TABLE bc_dcol (tbl text, tpos integer, pos integer, col text) "
		    "ON COMMIT DROP; INSERT INTO bc_dcol VALUES ");
	for (k = 0; k < REC_NKINDS; k++)
		for (i = 1; i < rec_kinds[k].nfields; i++)
			buf_addf(b, "%s('%s', %d, %zu, '%s')", k || i > 1 ? ", " : "",
				 rec_kinds[k].table, k, i, rec_kinds[k].fields[i].name);
	buf_adds(b, ";");
}

/*
 * The same rows after the merge; children compared as multisets of their
 * content (EXCEPT ALL: a row twice that is now once is one removed);
 * fields compared one by one, only for tracks whose row changed.  Then
 * one action per track: a track that was and is no more is deleted (a
 * rejected one too, when a takedown names it); a rejected track stays as
 * it is; one that was not is inserted; one whose fields or children
 * differ is updated.
 */
static int compare(struct load *l)
{
	struct buf b = BUF_INIT;
	int k, rc;

	add_columns(&b);
	buf_adds(&b, "CREATE TEMP TABLE bc_dafter ON COMMIT DROP AS SELECT t.id, "
		     "t.audio_filename::text AS audio_filename, to_jsonb(t) - 'audio_filename' "
		     NOT_CONTENT " AS v FROM meekah.track_info t "
		     "WHERE t.audio_filename IN (SELECT audio_filename FROM bc_dname); ANALYZE bc_dafter;"
		     "CREATE TEMP TABLE bc_dchild (audio_filename text, kind text, added boolean, "
		     "v jsonb) ON COMMIT DROP;");
	for (k = 1; k < REC_NKINDS; k++) {
		const char *n = rec_kinds[k].name, *t = rec_kinds[k].table;

		if (!kept(l, k))
			continue;
		buf_addf(&b, "CREATE TEMP TABLE bc_dafter_%s ON COMMIT DROP AS "
			 "SELECT a.audio_filename, to_jsonb(c) " NOT_CONTENT " AS v "
			 "FROM meekah.%s c JOIN bc_dafter a ON a.id = c.track_id;", n, t);
		buf_addf(&b, "INSERT INTO bc_dchild SELECT audio_filename, '%s', true, v FROM ("
			 "SELECT audio_filename, v FROM bc_dafter_%s EXCEPT ALL "
			 "SELECT audio_filename, v FROM bc_dbefore_%s) x;", t, n, n);
		buf_addf(&b, "INSERT INTO bc_dchild SELECT audio_filename, '%s', false, v FROM ("
			 "SELECT audio_filename, v FROM bc_dbefore_%s EXCEPT ALL "
			 "SELECT audio_filename, v FROM bc_dafter_%s) x;", t, n, n);
	}
	buf_adds(&b, "CREATE TEMP TABLE bc_dfield ON COMMIT DROP AS "
		     "SELECT coalesce(a.audio_filename, b.audio_filename) AS audio_filename, k.key, "
		     "  coalesce(c.pos, 1000) AS pos, coalesce(b.v -> k.key, 'null') AS old, "
		     "  coalesce(a.v -> k.key, 'null') AS new "
		     "FROM bc_dbefore b FULL JOIN bc_dafter a ON a.audio_filename = b.audio_filename "
		     "CROSS JOIN LATERAL jsonb_object_keys(coalesce(b.v, '{}') || coalesce(a.v, '{}')) k(key) "
		     "LEFT JOIN bc_dcol c ON c.tbl = 'track_info' AND c.col = k.key "
		     "WHERE a.v IS DISTINCT FROM b.v "
		     "AND coalesce(b.v -> k.key, 'null') <> coalesce(a.v -> k.key, 'null');"
		     "CREATE TEMP TABLE bc_diff ON COMMIT DROP AS SELECT n.audio_filename, "
		     "  CASE WHEN b.id IS NOT NULL AND a.id IS NULL THEN 'delete' "
		     "       WHEN x.audio_filename IS NOT NULL THEN 'reject' "
		     "       WHEN a.id IS NULL THEN NULL "
		     "       WHEN b.id IS NULL THEN 'insert' "
		     "       WHEN a.v IS DISTINCT FROM b.v OR c.audio_filename IS NOT NULL THEN 'update' "
		     "       ELSE 'unchanged' END AS action "
		     "FROM bc_dname n LEFT JOIN bc_dbefore b ON b.audio_filename = n.audio_filename "
		     "LEFT JOIN bc_dafter a ON a.audio_filename = n.audio_filename "
		     "LEFT JOIN bc_bad x ON x.audio_filename = n.audio_filename "
		     "LEFT JOIN (SELECT DISTINCT audio_filename FROM bc_dchild) c "
		     "  ON c.audio_filename = n.audio_filename;"
		     "DELETE FROM bc_diff WHERE action IS NULL;"
		     /* Every reason, the readers' and the checks', of the tracks listed. */
		     "CREATE TEMP TABLE bc_dwhy ON COMMIT DROP AS SELECT u.*, f.name AS file "
		     "FROM (SELECT file_no, line, audio_filename, field, value, reason FROM bc_reason "
		     "      UNION ALL SELECT * FROM bc_dreason) u "
		     "LEFT JOIN bc_file f USING (file_no) "
		     "WHERE u.audio_filename IN (SELECT audio_filename FROM bc_diff "
		     "                           WHERE action IN ('reject', 'delete'));");
	rc = exec(l, "comparing the catalog before and after", b.data);
	buf_release(&b);
	return rc;
}

/* ---------------------------------------------------------------- output */

/*
 * JSONL: one object per track, in name order, keys in a fixed order;
 * values as to_jsonb gives them (numbers, arrays, dates as strings).
 */
static const char jsonl_sql[] =
	"SELECT '{\"audio_filename\": ' || to_jsonb(d.audio_filename)::text "
	"  || ', \"action\": \"' || d.action || '\", \"fields\": ' || coalesce(f.j, '{}') "
	"  || ', \"children\": ' || coalesce(c.j, '{}') || ', \"reasons\": ' || coalesce(r.j, '[]') "
	"  || '}' "
	"FROM bc_diff d "
	"LEFT JOIN (SELECT audio_filename, '{' || string_agg(to_jsonb(key)::text || ': [' "
	"    || old::text || ', ' || new::text || ']', ', ' ORDER BY pos, key) || '}' AS j "
	"  FROM bc_dfield GROUP BY 1) f USING (audio_filename) "
	"LEFT JOIN (SELECT audio_filename, '{' || string_agg(to_jsonb(kind)::text || ': {\"added\": ' "
	"    || added || ', \"removed\": ' || removed || '}', ', ' ORDER BY p.pos) || '}' AS j "
	"  FROM (SELECT audio_filename, kind, "
	"          coalesce(jsonb_agg(v ORDER BY v) FILTER (WHERE added), '[]')::text AS added, "
	"          coalesce(jsonb_agg(v ORDER BY v) FILTER (WHERE NOT added), '[]')::text AS removed "
	"        FROM bc_dchild GROUP BY 1, 2) x "
	"  JOIN (SELECT DISTINCT tbl, tpos AS pos FROM bc_dcol) p ON p.tbl = x.kind "
	"  GROUP BY 1) c USING (audio_filename) "
	"LEFT JOIN (SELECT audio_filename, jsonb_agg(jsonb_build_object('file', file, "
	"    'line', nullif(line, 0), 'field', field, 'value', value, 'reason', reason) "
	"    ORDER BY file_no, line, field, reason)::text AS j "
	"  FROM bc_dwhy GROUP BY 1) r USING (audio_filename) "
	"ORDER BY d.audio_filename COLLATE \"C\"";

/*
 * The listing: lines of a class character and text (loaddiff_render),
 * grouped by action (insert, update, delete, reject), each group under a
 * header with its count; unchanged tracks are only counted.  Values are
 * JSON, so a line never holds a control character.
 */
static const char text_sql[] =
	"WITH g(action, ord, hcls, tcls, label) AS (VALUES ('insert', 1, 'A', 'i', 'insert'), "
	"  ('update', 2, 'B', 'u', 'update'), ('delete', 3, 'C', 'd', 'delete (taken down)'), "
	"  ('reject', 4, 'D', 'r', 'reject'), ('unchanged', 5, 'E', '', 'unchanged')), "
	"d AS (SELECT d.audio_filename, d.action, g.ord, g.tcls FROM bc_diff d JOIN g USING (action)), "
	"kp AS (SELECT DISTINCT tbl, tpos AS pos FROM bc_dcol) "
	"SELECT t FROM ("
	"  SELECT g.ord, ''::text AS name, 0 AS sub, 0 AS pos, NULL::jsonb AS v, ''::text AS k, "
	"    g.hcls || g.label || ': ' || count(*) || CASE WHEN count(*) = 1 THEN ' track' "
	"    ELSE ' tracks' END || CASE WHEN g.action = 'unchanged' THEN ', not listed' ELSE '' END AS t "
	"  FROM bc_diff x JOIN g USING (action) GROUP BY g.ord, g.hcls, g.label, g.action "
	"UNION ALL SELECT d.ord, d.audio_filename, 1, 0, NULL, '', d.tcls || d.audio_filename "
	"  FROM d WHERE d.action <> 'unchanged' "
	"UNION ALL SELECT d.ord, d.audio_filename, 2, f.pos, NULL, f.key, 'f    ' || f.key || ': ' "
	"    || CASE d.action WHEN 'insert' THEN f.new::text WHEN 'delete' THEN f.old::text "
	"       ELSE f.old::text || ' -> ' || f.new::text END "
	"  FROM d JOIN bc_dfield f USING (audio_filename) "
	"UNION ALL SELECT d.ord, d.audio_filename, 3, kp.pos * 2 + c.added::int, c.v, '', "
	"    CASE WHEN c.added THEN '+    + ' ELSE '-    - ' END || c.kind || ': ' "
	"    || coalesce((SELECT string_agg(e.key || '=' || e.value::text, ', ' "
	"                 ORDER BY coalesce(cc.pos, 1000), e.key) "
	"       FROM jsonb_each(jsonb_strip_nulls(c.v)) e "
	"       LEFT JOIN bc_dcol cc ON cc.tbl = c.kind AND cc.col = e.key), '') "
	"  FROM d JOIN bc_dchild c USING (audio_filename) JOIN kp ON kp.tbl = c.kind "
	"UNION ALL SELECT d.ord, d.audio_filename, 4, w.file_no, NULL, lpad(w.line::text, 20, '0'), "
	"    'x    ' || coalesce(w.file, '?') || CASE WHEN w.line > 0 THEN ':' || w.line ELSE '' END "
	"    || CASE WHEN w.field IS NOT NULL THEN ':' || w.field ELSE '' END || ': ' "
	"    || CASE WHEN w.value IS NOT NULL THEN to_jsonb(w.value)::text || ': ' ELSE '' END "
	"    || regexp_replace(w.reason, '[[:cntrl:]]', ' ', 'g') "
	"  FROM d JOIN bc_dwhy w USING (audio_filename) "
	") x ORDER BY ord, name COLLATE \"C\", sub, pos, v, k COLLATE \"C\", t COLLATE \"C\"";

static int flush_out(struct loaddiff *d, int *failed)
{
	const char *p = d->line.data;
	size_t n = d->line.len;

	while (!*failed && n > 0) {
		ssize_t w = write(d->fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			diag_error(LOC_NONE, "cannot write the diff to '%s': %s", d->name,
				   w < 0 ? strerror(errno) : "nothing written");
			*failed = 1;
			break;
		}
		p += w;
		n -= (size_t)w;
	}
	buf_reset(&d->line);
	return *failed ? -1 : 0;
}

/* One row of the COPY: a JSON line as it is, a listing line rendered. */
static void add_row(struct loaddiff *d, char *row, int len)
{
	size_t n = loaddiff_unescape(row, (size_t)len);

	if (n && row[n - 1] == '\n')
		n--;
	if (d->format == LOADDIFF_JSONL) {
		buf_add(&d->line, row, n);
		buf_addch(&d->line, '\n');
		d->lines++;
		return;
	}
	if (n && row[0] >= 'A' && row[0] <= 'Z' && d->lines_out)
		buf_addch(&d->line, '\n');	/* a blank line between groups */
	loaddiff_render(&d->line, row, n, d->color);
	d->lines_out = 1;
}

/* COPY (sql) TO STDOUT into the output; on a write failure keep draining, then fail. */
static int stream(struct loaddiff *d, struct load *l, const char *sql)
{
	struct buf q = BUF_INIT;
	PGresult *res;
	char *row;
	int len, failed = 0;

	buf_addf(&q, "COPY (%s) TO STDOUT", sql);
	res = PQexec(l->conn, q.data);
	buf_release(&q);
	if (PQresultStatus(res) != PGRES_COPY_OUT) {
		db_report(res, "writing the diff");
		PQclear(res);
		return -1;
	}
	PQclear(res);
	while ((len = PQgetCopyData(l->conn, &row, 0)) > 0) {
		if (!failed)
			add_row(d, row, len);
		PQfreemem(row);
		if (d->line.len >= OUT_CHUNK)
			flush_out(d, &failed);
	}
	if (len == -2) {
		diag_error(LOC_NONE, "writing the diff: %s", PQerrorMessage(l->conn));
		failed = 1;
	}
	while ((res = PQgetResult(l->conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			db_report(res, "writing the diff");
			failed = 1;
		}
		PQclear(res);
	}
	flush_out(d, &failed);
	return failed ? -1 : 0;
}

int loaddiff_write(struct loaddiff *d, struct load *l)
{
	if (compare(l) < 0)
		return -1;
	return stream(d, l, d->format == LOADDIFF_JSONL ? jsonl_sql : text_sql);
}

/* ------------------------------------------------------------ pure parts */

size_t loaddiff_unescape(char *s, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\\' && i + 1 < len) {
			switch (s[++i]) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'v': c = '\v'; break;
			default: c = s[i]; break;
			}
		}
		s[o++] = c;
	}
	return o;
}

/* ANSI colours of the classes; NULL: plain. */
static const char *class_color(char cls)
{
	switch (cls) {
	case 'A': return "\033[1;32m";	/* insert: header, track, added rows */
	case 'B': return "\033[1;33m";	/* update */
	case 'C': return "\033[1;31m";	/* delete */
	case 'D': return "\033[1;35m";	/* reject */
	case 'E': return "\033[1m";	/* unchanged */
	case 'i': case '+': return "\033[32m";
	case 'u': return "\033[33m";
	case 'd': case '-': return "\033[31m";
	case 'r': return "\033[35m";
	default: return NULL;
	}
}

void loaddiff_render(struct buf *out, const char *line, size_t len, int color)
{
	const char *c = len && color ? class_color(line[0]) : NULL;

	if (!len)
		return;
	if (c)
		buf_adds(out, c);
	buf_add(out, line + 1, len - 1);
	if (c)
		buf_adds(out, "\033[0m");
	buf_addch(out, '\n');
}
