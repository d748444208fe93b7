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

/*
 * A track's row as jsonb, less what says nothing of its content (ids,
 * timestamps) and its name, which keys it.  One deletion of four keys:
 * each '-' copies the value.
 */
#define TRACK_JSONB "to_jsonb(t) - '{audio_filename,id,created_at,updated_at}'::text[]"

/*
 * The diff's tables hold the names COLLATE "C": they are sorted, grouped
 * and joined bytewise, much faster than in a locale's order (and the same
 * on every server).  A name goes back to the default collation to look a
 * track up by the catalog's index.
 */
#define NAME_C "audio_filename COLLATE \"C\""
#define NAMES_DEFAULT "(SELECT audio_filename COLLATE \"default\" FROM bc_dname)"

/*
 * The diff's statements run without JIT: each would compile for longer
 * than it runs.  The merge between them keeps the session's setting.
 */
#define NO_JIT "SET LOCAL jit = off;"
#define JIT_AGAIN "SET LOCAL jit TO DEFAULT;"

/* ------------------------------------------------------------- helpers */

static int exec(struct load *l, const char *what, const char *sql)
{
	return db_exec(l->conn, what, sql);
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

/*
 * bc_d<side>_<kind>: kind k's rows of the tracks in bc_d<side> (alias s),
 * their content columns only: plain columns compare (add_child_diff) much
 * faster than jsonb, which only the rows that differ become.
 */
static void add_children(struct buf *b, enum rec_kind k, const char *side)
{
	size_t i;

	buf_addf(b, "CREATE TEMP TABLE bc_d%s_%s ON COMMIT DROP AS SELECT s.audio_filename",
		 side, rec_kinds[k].name);
	for (i = 1; i < rec_kinds[k].nfields; i++)
		buf_addf(b, ", c.%s", rec_kinds[k].fields[i].name);
	buf_addf(b, " FROM meekah.%s c JOIN bc_d%s s ON s.id = c.track_id;", rec_kinds[k].table, side);
}

/*
 * Kind k's rows added and removed, into bc_dchild as JSON text in the
 * columns' order (row_to_json writes it straight from the row).  The two
 * sides are compared as multisets in one hash aggregate: each distinct
 * row of a track counts +1 per copy after and -1 per copy before; what
 * is left is added (> 0) or removed (< 0), that many times.
 */
static void add_child_diff(struct buf *b, enum rec_kind k)
{
	const char *n = rec_kinds[k].name;
	struct buf cols = BUF_INIT;
	size_t i;

	for (i = 1; i < rec_kinds[k].nfields; i++)
		buf_addf(&cols, ", %s", rec_kinds[k].fields[i].name);
	buf_addf(b, "INSERT INTO bc_dchild SELECT x.audio_filename, '%s', %d, x.n > 0, "
		 "(SELECT row_to_json(r)::text FROM (SELECT %s) r) "
		 "FROM (SELECT audio_filename%s, sum(s) AS n FROM (SELECT *, 1 AS s FROM bc_dafter_%s "
		 "UNION ALL SELECT *, -1 FROM bc_dbefore_%s) u GROUP BY audio_filename%s) x "
		 "CROSS JOIN LATERAL generate_series(1, abs(x.n)) WHERE x.n <> 0;",
		 rec_kinds[k].table, (int)k, cols.data + 2, cols.data, n, n, cols.data);
	buf_release(&cols);
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
	if (load_count_row(l, "counting rejected tracks", l->ntakedowns ?
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
	long v[2];

	t->inserted = l->counts[REC_TRACK].inserted;
	t->deleted = l->counts[REC_TRACK].deleted;
	if (l->bulk)	/* an empty catalog: every track is new */
		return 0;
	/*
	 * A track named by child rows only was compared (bc_named): the
	 * child tables' names are not hashed again here.
	 */
	if (load_count_row(l, "counting changed tracks",
			"SELECT count(*) FILTER (WHERE t.updated_at = now()::timestamp), count(*) "
			"FROM meekah.track_info t "
			"WHERE t.audio_filename IN (SELECT audio_filename FROM bc_track) "
			"OR t.id IN (SELECT track_id FROM bc_named)", v, 2) < 0)
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
	buf_adds(&b, NO_JIT "CREATE TEMP TABLE bc_dname ON COMMIT DROP AS SELECT DISTINCT "
		     NAME_C " AS audio_filename FROM (SELECT audio_filename FROM bc_track");
	for (k = 1; k < REC_NKINDS; k++)
		buf_addf(&b, " UNION ALL SELECT audio_filename FROM bc_%s", rec_kinds[k].name);
	if (l->ntakedowns)
		buf_adds(&b, " UNION ALL SELECT t.audio_filename FROM meekah.track_info t "
			     "JOIN bc_takedown k ON k.audio_filename = t.audio_filename "
			     "UNION ALL SELECT t.audio_filename FROM meekah.track_info t "
			     "JOIN bc_takedown k ON k.catalog_number = t.catalog_number");
	buf_adds(&b, ") u WHERE audio_filename IS NOT NULL; ANALYZE bc_dname;"
		     "CREATE TEMP TABLE bc_dbefore ON COMMIT DROP AS SELECT t.id, "
		     "t." NAME_C " AS audio_filename, " TRACK_JSONB " AS v "
		     "FROM meekah.track_info t "
		     "WHERE t.audio_filename IN " NAMES_DEFAULT "; ANALYZE bc_dbefore;");
	for (k = 1; k < REC_NKINDS; k++)
		if (kept(l, k))
			add_children(&b, (enum rec_kind)k, "before");
	buf_adds(&b, JIT_AGAIN);
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
	/* The track's, with each name as a JSON key, for the fields of every track. */
	buf_adds(b, "; CREATE TEMP TABLE bc_dtcol ON COMMIT DROP AS SELECT pos, col, "
		    "to_jsonb(col)::text AS qcol FROM bc_dcol WHERE tbl = 'track_info';");
}

/*
 * The same rows after the merge; children compared as multisets of their
 * content (a row twice that is now once is one removed); a track's row
 * kept whole, before and after, only when it changed, for its fields to
 * be compared one by one as they are written out (FIELDS).  Then
 * one action per track: a track that was and is no more is deleted (a
 * rejected one too, when a takedown names it); a rejected track stays as
 * it is; one that was not is inserted; one whose fields or children
 * differ is updated.
 */
static int compare(struct load *l)
{
	struct buf b = BUF_INIT;
	int k, rc;

	buf_adds(&b, NO_JIT);
	add_columns(&b);
	buf_adds(&b, "CREATE TEMP TABLE bc_dafter ON COMMIT DROP AS SELECT t.id, "
		     "t." NAME_C " AS audio_filename, " TRACK_JSONB " AS v "
		     "FROM meekah.track_info t "
		     "WHERE t.audio_filename IN " NAMES_DEFAULT ";"
		     "CREATE TEMP TABLE bc_dchild (audio_filename text COLLATE \"C\", kind text, "
		     "kpos integer, added boolean, v text) ON COMMIT DROP;");
	for (k = 1; k < REC_NKINDS; k++) {
		if (!kept(l, k))
			continue;
		add_children(&b, (enum rec_kind)k, "after");
		add_child_diff(&b, (enum rec_kind)k);
	}
	/* old, new: the track's row before and after, when it changed */
	buf_adds(&b, "CREATE TEMP TABLE bc_diff ON COMMIT DROP AS SELECT n.audio_filename, "
		     "  CASE WHEN a.v IS DISTINCT FROM b.v THEN b.v END AS old, "
		     "  CASE WHEN a.v IS DISTINCT FROM b.v THEN a.v END AS new, "
		     "  CASE WHEN b.id IS NOT NULL AND a.id IS NULL THEN 'delete' "
		     "       WHEN x.audio_filename IS NOT NULL THEN 'reject' "
		     "       WHEN a.id IS NULL THEN NULL "
		     "       WHEN b.id IS NULL THEN 'insert' "
		     "       WHEN a.v IS DISTINCT FROM b.v OR c.audio_filename IS NOT NULL THEN 'update' "
		     "       ELSE 'unchanged' END AS action "
		     "FROM bc_dname n LEFT JOIN bc_dbefore b ON b.audio_filename = n.audio_filename "
		     "LEFT JOIN bc_dafter a ON a.audio_filename = n.audio_filename "
		     "LEFT JOIN bc_bad x ON x." NAME_C " = n.audio_filename "
		     "LEFT JOIN (SELECT DISTINCT audio_filename FROM bc_dchild) c "
		     "  ON c.audio_filename = n.audio_filename;"
		     "DELETE FROM bc_diff WHERE action IS NULL;"
		     /* Every reason, the readers' and the checks', of the tracks listed. */
		     "CREATE TEMP TABLE bc_dwhy ON COMMIT DROP AS SELECT u." NAME_C " AS audio_filename, "
		     "u.file_no, u.line, u.field, u.value, u.reason, f.name AS file "
		     "FROM (SELECT file_no, line, audio_filename, field, value, reason FROM bc_reason "
		     "      UNION ALL SELECT * FROM bc_dreason) u "
		     "LEFT JOIN bc_file f USING (file_no) "
		     "WHERE u." NAME_C " IN (SELECT audio_filename FROM bc_diff "
		     "                           WHERE action IN ('reject', 'delete'));");
	rc = exec(l, "comparing the catalog before and after", b.data);
	buf_release(&b);
	return rc;
}

/* ---------------------------------------------------------------- output */

/*
 * The fields of bc_diff's row d that differ, as (pos, col, o, n): old and
 * new value as jsonb ('null' for none), in the table's column order.
 */
#define FIELDS \
	"(SELECT k.pos, k.col, k.qcol, x.o, x.n FROM bc_dtcol k CROSS JOIN LATERAL (SELECT " \
	"coalesce(d.old -> k.col, 'null') AS o, coalesce(d.new -> k.col, 'null') AS n) x " \
	"WHERE (d.old IS NOT NULL OR d.new IS NOT NULL) AND x.o <> x.n) f"

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
	"LEFT JOIN LATERAL (SELECT '{' || string_agg(f.qcol || ': [' || f.o::text "
	"    || ', ' || f.n::text || ']', ', ' ORDER BY f.pos) || '}' AS j FROM " FIELDS ") f ON true "
	/*
	 * One sort, by track, kind and row, feeds both levels of aggregates
	 * (string_agg takes its rows in the order they come): no sort per
	 * group.
	 */
	"LEFT JOIN (SELECT audio_filename, '{' || string_agg('\"' || kind || '\": {\"added\": ' "
	"    || added || ', \"removed\": ' || removed || '}', ', ') || '}' AS j "
	"  FROM (SELECT audio_filename, kpos, min(kind) AS kind, "
	"          '[' || coalesce(string_agg(v, ', ') FILTER (WHERE added), '') || ']' AS added, "
	"          '[' || coalesce(string_agg(v, ', ') FILTER (WHERE NOT added), '') || ']' AS removed "
	"        FROM (SELECT * FROM bc_dchild ORDER BY audio_filename, kpos, v COLLATE \"C\") s "
	"        GROUP BY audio_filename, kpos ORDER BY audio_filename, kpos) x "
	"  GROUP BY audio_filename) c USING (audio_filename) "
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
	"d AS (SELECT d.audio_filename, d.action, d.old, d.new, g.ord, g.tcls FROM bc_diff d "
	"  JOIN g USING (action)), "
	"kp AS (SELECT DISTINCT tbl, tpos AS pos FROM bc_dcol) "
	"SELECT t FROM ("
	"  SELECT g.ord, ''::text COLLATE \"C\" AS name, 0 AS sub, 0 AS pos, NULL::jsonb AS v, "
	"    ''::text AS k, "
	"    g.hcls || g.label || ': ' || count(*) || CASE WHEN count(*) = 1 THEN ' track' "
	"    ELSE ' tracks' END || CASE WHEN g.action = 'unchanged' THEN ', not listed' ELSE '' END AS t "
	"  FROM bc_diff x JOIN g USING (action) GROUP BY g.ord, g.hcls, g.label, g.action "
	"UNION ALL SELECT d.ord, d.audio_filename, 1, 0, NULL, '', d.tcls || d.audio_filename "
	"  FROM d WHERE d.action <> 'unchanged' "
	"UNION ALL SELECT d.ord, d.audio_filename, 2, f.pos, NULL, f.col, 'f    ' || f.col || ': ' "
	"    || CASE d.action WHEN 'insert' THEN f.n::text WHEN 'delete' THEN f.o::text "
	"       ELSE f.o::text || ' -> ' || f.n::text END "
	"  FROM d CROSS JOIN LATERAL (SELECT * FROM " FIELDS ") f "
	"UNION ALL SELECT d.ord, d.audio_filename, 3, kp.pos * 2 + c.added::int, c.v::jsonb, '', "
	"    CASE WHEN c.added THEN '+    + ' ELSE '-    - ' END || c.kind || ': ' "
	"    || coalesce((SELECT string_agg(e.key || '=' || e.value::text, ', ' "
	"                 ORDER BY coalesce(cc.pos, 1000), e.key) "
	"       FROM jsonb_each(jsonb_strip_nulls(c.v::jsonb)) e "
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
	if (compare(l) < 0 || stream(d, l, d->format == LOADDIFF_JSONL ? jsonl_sql : text_sql) < 0)
		return -1;
	return exec(l, "writing the diff", JIT_AGAIN);
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
