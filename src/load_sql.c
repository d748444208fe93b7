/*
 * load_sql: every statement the loader sends, in the order of a load:
 * staging, checks, rejects, merge, bulk path.  A fixed statement is a
 * constant; one that depends on the record kinds (rec_kinds: a staging
 * table per kind, a column per field), on the source ranks (enum
 * rec_source) or on the run is written into b by a function (b is reset
 * first).  Elsewhere are only transaction control (BEGIN, SAVEPOINT,
 * COMMIT, ROLLBACK), with the code that decides it, and the takedowns'
 * VALUES rows, literals escaped by libpq (copyload.c).  See
 * include/blendcat/load_internal.h.
 *
 * The staging, temporary tables dropped at COMMIT:
 *   bc_<kind>    bc_track, bc_creator, bc_instrument, bc_arrangement,
 *                bc_sample: one row per record or rejected row, typed like
 *                the catalog.  n (input order, rejects included), bad (the
 *                reader rejected it), id (its uuid in the catalog),
 *                audio_filename, given (bit i: field i given), file_no,
 *                line, off, len (where it is in its input), src (enum
 *                rec_source), the kind's fields, then STAGING_TAIL
 *                columns: by_isrc, by_isrc_field, weak, no_duration;
 *                bc_arrangement then has SPAN_COLUMNS (load_span.c)
 *   bc_file      input file names, for reasons that point at a file
 *   bc_present   audio files in the run but not read (--incremental)
 *   bc_reason    what the checks across rows found: where, and on the
 *                bulk path's catalog tables the row's number and track
 *                (n, tid) until load_bulk_restage says where
 *   bc_span      the bulk path's section spans (load_span.c)
 *   bc_head      the runs of child rows (struct load_run): kind, tid,
 *                split (a creators' run's total, in hundredths),
 *                audio_filename
 *   bc_takedown  takedowns (--apply-takedowns)
 *   bc_named     the catalog's tracks whose child rows were compared, and
 *                whether they changed (a row per kind)
 * and, made on the way: bc_isrc_q, bc_isrc (tracks named by ISRC), bc_bad
 * (rejected tracks), bc_fstate (audio files read), bc_gone (tracks taken
 * down), bc_track_m (tracks merged from several sources), bc_chg (tracks
 * whose child rows changed), bc_ddl (the bulk path's keys and indexes).
 */
#include "blendcat/load_internal.h"

#include <stdio.h>
#include <string.h>

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
 * The statistics target of the staged columns the load analyzes.  Their
 * ANALYZE is there for one number, how many tracks the rows name, which
 * decides between looking tracks up by index (a small delivery) and a hash
 * join (a whole catalog).  A sample of 3000 rows tells those apart at a
 * tenth of the default sample's cost (10 ms against 80 on 500k rows).
 */
#define STAGING_STATISTICS "10"

/* ------------------------------------------------------------- helpers */

/*
 * The row number n a bulk path's child row's id carries in its last 48
 * bits (uuid_numbered_bytes), from the id's text.
 */
#define ROW_NUMBER(id) "('x' || right(" id "::text, 12))::bit(48)::bigint"

static const char *col(enum rec_kind k, size_t i)
{
	return rec_kinds[k].fields[i].name;
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

/* Every row of every kind, as one relation: kind, provenance, track, bad. */
static void add_all_rows(struct buf *b)
{
	int k;

	buf_addch(b, '(');
	for (k = 0; k < REC_NKINDS; k++)
		buf_addf(b, "%sSELECT %d AS kind, n, bad, file_no, line, off, len, audio_filename, tid "
			 "FROM bc_%s", k ? " UNION ALL " : "", k, rec_kinds[k].name);
	buf_addch(b, ')');
}

/* The prefix condition of a merge statement on staged rows alias. */
static void add_upto(struct buf *b, const char *alias, unsigned long long upto)
{
	if (upto)
		buf_addf(b, " AND %s.n <= %llu ", alias, upto);
}

/* ------------------------------------------------------------- staging */

const char load_sql_has_catalog[] =
	"SELECT to_regclass('meekah.track_info') IS NOT NULL "
	"AND to_regclass('meekah.track_sample') IS NOT NULL "
	"AND to_regclass('ingest.run') IS NOT NULL";

static void add_staging_table(struct buf *b, enum rec_kind k)
{
	size_t i;

	/* tid: the id a new track of that name gets (load_encode). */
	buf_addf(b, "CREATE TEMP TABLE bc_%s (n bigint, bad boolean, id uuid, "
		 "audio_filename text, tid uuid, given integer, file_no integer, line bigint, "
		 "off bigint, len bigint, src smallint", rec_kinds[k].name);
	for (i = 1; i < rec_kinds[k].nfields; i++)
		buf_addf(b, ", %s %s", rec_kinds[k].fields[i].name,
			 sql_type(rec_kinds[k].fields[i].type));
	/* Last, STAGING_TAIL of them: merge_sources' rows, built without them, leave them NULL. */
	buf_adds(b, ", by_isrc text, by_isrc_field text, weak integer, no_duration text");
	/* SPAN_COLUMNS: the client's view of a track's sections (load_span.c). */
	if (k == REC_ARRANGEMENT)
		buf_adds(b, ", head boolean, span_last integer, prev_end integer");
	buf_adds(b, ") ON COMMIT DROP;");
	buf_addf(b, "ALTER TABLE bc_%s ALTER audio_filename SET STATISTICS " STAGING_STATISTICS ";",
		 rec_kinds[k].name);
}

void load_sql_staging(struct buf *b)
{
	int k;

	buf_reset(b);
	/* One staging table per kind, typed like the catalog: values are canonical. */
	for (k = 0; k < REC_NKINDS; k++)
		add_staging_table(b, (enum rec_kind)k);
	buf_adds(b, "CREATE TEMP TABLE bc_file (file_no integer PRIMARY KEY, name text) ON COMMIT DROP;"
		 "CREATE TEMP TABLE bc_present (audio_filename text) ON COMMIT DROP;"
		 "CREATE TEMP TABLE bc_reason (file_no integer, line bigint, audio_filename text, "
		 "field text, value text, reason text, n bigint, tid uuid) ON COMMIT DROP;"
		 "CREATE TEMP TABLE bc_span (id uuid, n bigint, tid uuid, file_no integer, line bigint, "
		 "audio_filename text, section_name text, start_time integer, end_time integer, "
		 "head boolean, span_last integer, prev_end integer) ON COMMIT DROP;"
		 "CREATE TEMP TABLE bc_head (kind smallint, tid uuid, split bigint, audio_filename text) "
		 "ON COMMIT DROP;"
		 "CREATE TEMP TABLE bc_takedown (file_no integer, line bigint, audio_filename text, "
		 "catalog_number text) ON COMMIT DROP;"
		 "CREATE TEMP TABLE bc_named (track_id uuid, changed boolean) ON COMMIT DROP;"
		 "SET LOCAL work_mem = '" LOAD_WORK_MEM "'; "
		 "SET LOCAL maintenance_work_mem = '" LOAD_MAINTENANCE_WORK_MEM "'");
}

void load_sql_copy(struct buf *b, const char *table, int binary)
{
	buf_reset(b);
	buf_addf(b, "COPY %s FROM STDIN%s", table, binary ? " (FORMAT binary)" : "");
}

/* The bulk path's COPY of kind k's child rows into the catalog: id, track_id, fields. */
void load_sql_copy_final(struct buf *b, enum rec_kind k)
{
	size_t i;

	buf_reset(b);
	buf_addf(b, "COPY meekah.%s (id, track_id", rec_kinds[k].table);
	for (i = 1; i < rec_kinds[k].nfields; i++)
		buf_addf(b, ", %s", col(k, i));
	buf_adds(b, ") FROM STDIN (FORMAT binary)");
}

void load_sql_takedowns(struct buf *b, const char *values)
{
	buf_reset(b);
	buf_addf(b, "INSERT INTO bc_takedown VALUES %s", values);
}

const char load_sql_fstate_table[] =
	"CREATE TEMP TABLE IF NOT EXISTS bc_fstate "
	"(file_no integer, path text, size bigint, mtime_ns bigint, ctime_ns bigint) "
	"ON COMMIT DROP; TRUNCATE bc_fstate";

/*
 * A file read: its track when that loads; NULL when the file itself was
 * rejected (its content decides, so it is skipped until it changes), or
 * when its track was rejected by a check across rows that only its own
 * rows and the catalog's lack of the track went into (a new track
 * without a title).  A file whose track another file's rows rejected (a
 * duplicate name, a manifest row) or the catalog's (--mode insert) is
 * not recorded: the next run reads it again.  $1 is the run.
 */
void load_sql_file_state(struct buf *b, int any_bad)
{
	buf_reset(b);
	buf_addf(b, "INSERT INTO ingest.file_state AS s (path, size, mtime_ns, ctime_ns, "
		 "  audio_filename, run_id, seen_at) "
		 "SELECT f.path, f.size, f.mtime_ns, f.ctime_ns, "
		 "  CASE WHEN t.bad OR t.rejected THEN NULL ELSE t.audio_filename END, $1, now() "
		 "FROM bc_fstate f JOIN (SELECT DISTINCT ON (file_no) file_no, bad, audio_filename, "
		 "  %s AS rejected "
		 "  FROM bc_track WHERE src = %d ORDER BY file_no, bad DESC) t USING (file_no) ",
		 any_bad ? "audio_filename IN (SELECT audio_filename FROM bc_bad)" : "false",
		 REC_SRC_TAGS);
	if (any_bad) {
		buf_adds(b, "WHERE t.bad OR NOT t.rejected OR (t.audio_filename NOT IN "
			    "  (SELECT a.audio_filename FROM ");
		add_all_rows(b);
		buf_adds(b, " a JOIN bc_bad USING (audio_filename) GROUP BY a.audio_filename "
			    "   HAVING count(DISTINCT a.file_no) > 1) "
			    "AND NOT EXISTS (SELECT 1 FROM meekah.track_info c "
			    "  WHERE c.audio_filename = t.audio_filename)) ");
	}
	buf_adds(b, "ON CONFLICT (path) DO UPDATE SET size = EXCLUDED.size, mtime_ns = EXCLUDED.mtime_ns, "
		    "  ctime_ns = EXCLUDED.ctime_ns, audio_filename = EXCLUDED.audio_filename, "
		    "  run_id = EXCLUDED.run_id, seen_at = EXCLUDED.seen_at");
}

/* -------------------------------------------------------------- checks */

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
	"WITH run AS (SELECT q.by_isrc, t.audio_filename, t.tid FROM bc_isrc_q q "
	"             JOIN bc_track t ON t.isrc = q.by_isrc "
	"             WHERE t.by_isrc IS NULL AND NOT t.bad), "
	"u AS (SELECT by_isrc, audio_filename, tid FROM run "
	"      UNION ALL SELECT q.by_isrc, c.audio_filename, NULL FROM bc_isrc_q q "
	"      JOIN meekah.track_info c ON c.isrc = q.by_isrc "
	"      WHERE NOT EXISTS (SELECT 1 FROM run r WHERE r.by_isrc = q.by_isrc)) "
	"SELECT q.by_isrc, min(u.audio_filename) AS audio_filename, "
	"  (array_agg(u.tid) FILTER (WHERE u.tid IS NOT NULL))[1] AS tid, "
	"  count(DISTINCT u.audio_filename) AS names, "
	"  string_agg(DISTINCT u.audio_filename, ', ') AS list "
	"FROM bc_isrc_q q LEFT JOIN u USING (by_isrc) GROUP BY q.by_isrc;"
	"INSERT INTO bc_reason "
	"SELECT r.file_no, r.line, NULL, r.by_isrc_field, r.by_isrc, "
	"  CASE WHEN i.names = 0 THEN 'no track with ISRC ' || r.by_isrc "
	"       || ' in this run''s tracks or in the catalog' "
	"  ELSE 'ISRC ' || r.by_isrc || ' names ' || i.names || ' tracks: ' || i.list END "
	"FROM bc_track r JOIN bc_isrc i USING (by_isrc) WHERE i.names <> 1 AND NOT r.bad;";

void load_sql_resolve_isrc(struct buf *b)
{
	int k;

	buf_reset(b);
	buf_adds(b, by_isrc_sql);
	for (k = 0; k < REC_NKINDS; k++)
		buf_addf(b, "UPDATE bc_%s r SET audio_filename = CASE WHEN i.names = 1 "
			 "THEN i.audio_filename END, tid = CASE WHEN i.names = 1 THEN i.tid END, "
			 "bad = r.bad OR i.names <> 1 "
			 "FROM bc_isrc i WHERE r.by_isrc = i.by_isrc;", rec_kinds[k].name);
}

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
void load_sql_check_duplicates(struct buf *b)
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

/*
 * A new track without its NOT NULL columns in any of its sources (a CSV
 * row may leave the duration to the audio file's tags): blamed on the
 * track's first row of its best source (the lowest src), with what a
 * source said of its missing duration (a DDEX message's PT0S and absent
 * file).  Only tracks with a row that lacks one are looked at: most
 * tracks have both in every row, and are not sorted for nothing.
 */
const char load_sql_check_new_tracks[] =
	"INSERT INTO bc_reason "
	"SELECT x.file_no, x.line, x.audio_filename, v.field, NULL, 'a new track needs a ' || v.field "
	"  || CASE WHEN v.field = 'duration' THEN coalesce(': ' || x.no_duration, '') ELSE '' END "
	"FROM (SELECT DISTINCT ON (r.audio_filename COLLATE \"C\") r.audio_filename, r.file_no, "
	"        r.line, "
	"        bool_or(r.title IS NOT NULL) OVER w AS has_title, "
	"        bool_or(r.duration IS NOT NULL) OVER w AS has_duration, "
	"        max(r.no_duration) OVER w AS no_duration "
	"      FROM bc_track r WHERE NOT r.bad AND r.audio_filename IN (SELECT audio_filename "
	"        FROM bc_track WHERE NOT bad AND (title IS NULL OR duration IS NULL)) "
	"      WINDOW w AS (PARTITION BY r.audio_filename COLLATE \"C\") "
	"      ORDER BY r.audio_filename COLLATE \"C\", r.src, r.n) x "
	"CROSS JOIN LATERAL (VALUES ('title', NOT x.has_title), "
	"  ('duration', NOT x.has_duration)) v(field, missing) "
	"WHERE v.missing "
	"AND NOT EXISTS (SELECT 1 FROM meekah.track_info t WHERE t.audio_filename = x.audio_filename)";

/*
 * A track's splits add up to more than 100%: blame the row that tips it
 * over.  Totals by hash aggregate; only tracks over 100 are sorted.
 * Direct, the totals come from the runs' (bc_head), and the rows of the
 * tracks over 100 from the catalog's table, where their ids sort in input
 * order and carry their row numbers (uuid_numbered_bytes).
 */
static const char splits_direct[] =
	"INSERT INTO bc_reason (field, value, reason, n, tid) "
	"SELECT 'split_percentage', x.split_percentage::text, "
	"  'the track''s splits add up to ' || x.total || '%%, more than 100%%', "
	"  " ROW_NUMBER("x.id") ", x.track_id "
	"FROM (SELECT r.id, r.track_id, r.split_percentage, o.total, "
	"        sum(r.split_percentage) OVER (PARTITION BY r.track_id ORDER BY r.id "
	"                                      ROWS UNBOUNDED PRECEDING) AS run "
	"      FROM meekah.track_creator r JOIN ("
	"        SELECT tid AS track_id, round(sum(split) / 100.0, 2) AS total FROM bc_head "
	"        WHERE kind = %d GROUP BY tid HAVING sum(split) > 10000) o USING (track_id)) x "
	"WHERE x.run > 100 AND x.run - coalesce(x.split_percentage, 0) <= 100";

/* Staged, totals from the runs: only the tracks over 100 read in the staging. */
static const char splits_heads[] =
	"INSERT INTO bc_reason "
	"SELECT x.file_no, x.line, x.audio_filename, 'split_percentage', x.split_percentage::text, "
	"  'the track''s splits add up to ' || x.total || '%%, more than 100%%' "
	"FROM (SELECT r.*, o.total, "
	"        sum(r.split_percentage) OVER (PARTITION BY r.audio_filename COLLATE \"C\" "
	"                                      ORDER BY r.file_no, r.line "
	"                                      ROWS UNBOUNDED PRECEDING) AS run "
	"      FROM bc_creator r JOIN ("
	"        SELECT audio_filename, round(sum(split) / 100.0, 2) AS total FROM bc_head "
	"        WHERE kind = %d GROUP BY audio_filename HAVING sum(split) > 10000) o "
	"      USING (audio_filename) WHERE NOT r.bad) x "
	"WHERE x.run > 100 AND x.run - coalesce(x.split_percentage, 0) <= 100";

static const char splits_staged[] =
	"INSERT INTO bc_reason "
	"SELECT x.file_no, x.line, x.audio_filename, 'split_percentage', x.split_percentage::text, "
	"  'the track''s splits add up to ' || x.total || '%, more than 100%' "
	"FROM (SELECT r.*, o.total, "
	"        sum(r.split_percentage) OVER (PARTITION BY r.audio_filename COLLATE \"C\" "
	"                                      ORDER BY r.file_no, r.line "
	"                                      ROWS UNBOUNDED PRECEDING) AS run "
	"      FROM bc_creator r JOIN ("
	"        SELECT audio_filename, sum(split_percentage) AS total FROM bc_creator "
	"        WHERE NOT bad GROUP BY audio_filename HAVING sum(split_percentage) > 100) o "
	"      USING (audio_filename) WHERE NOT r.bad) x "
	"WHERE x.run > 100 AND x.run - coalesce(x.split_percentage, 0) <= 100";

void load_sql_check_splits(struct buf *b, int direct, int heads)
{
	buf_reset(b);
	if (direct)
		buf_addf(b, splits_direct, REC_CREATOR);
	else if (heads)
		buf_addf(b, splits_heads, REC_CREATOR);
	else
		buf_adds(b, splits_staged);
}

/*
 * Arrangement sections: past the track's end, or overlapping an earlier
 * section (by start time).  A row gets the first problem that applies.
 * The track's end is its duration from the best source of this run that
 * gives one (the one the merge keeps: CSV over DDEX over tags, the latest
 * DDEX message), else the catalog's: the catalog is asked only for the
 * tracks this run gives no duration, so a re-run of a whole catalog does
 * not look every track up twice.  The best row of a track is the least
 * (source, rank, duration) array.
 *
 * The client staged each track's sections by span (load_span.c): a track
 * with one span has its overlaps in prev_end and its last end in the
 * head's span_last.  One hash aggregate over the run's tracks and the
 * spans' heads gives each track its duration, last end and number of
 * spans (three aggregates and two joins over the same names cost three
 * times as much at a million tracks); the rows of the few tracks that
 * end too late are picked out after.  Only the tracks whose sections came
 * apart ("apart": several spans) are sorted here, in the client's order.
 * Sorting every section cost 9-11 s at a million tracks.
 */
/*
 * Direct: the spans' heads and the rows that overlap in their span are in
 * bc_span (with tid: every row names its track), the sections all in
 * the catalog's table, which had none before: its rows are read for the
 * tracks that end too late or came apart, and are named by number.
 */
static void check_sections_direct(struct buf *b)
{
	buf_addf(b, "INSERT INTO bc_reason "
		 "WITH g AS MATERIALIZED (SELECT tid, "
		 "  (min(ARRAY[src::bigint, CASE WHEN src = %d THEN -n ELSE n END, duration::bigint]) "
		 "    FILTER (WHERE NOT head))[3] AS duration, "
		 "  count(*) FILTER (WHERE head) AS spans, max(last) AS last FROM ("
		 "    SELECT tid, src, n, duration, false AS head, NULL::integer AS last "
		 "    FROM bc_track WHERE NOT bad AND duration IS NOT NULL "
		 "    UNION ALL SELECT tid, NULL, NULL, NULL, true, span_last "
		 "    FROM bc_span WHERE head) u "
		 "  GROUP BY tid HAVING bool_or(head)), "
		 "short AS MATERIALIZED (SELECT tid, duration FROM g WHERE last > duration), "
		 "late AS MATERIALIZED (SELECT r.id, r.track_id, r.end_time, s.duration "
		 "  FROM meekah.track_arrangement r JOIN short s ON s.tid = r.track_id "
		 "  WHERE r.end_time > s.duration), "
		 "apart AS MATERIALIZED (SELECT tid FROM g WHERE spans > 1), "
		 "crossed AS (SELECT r.id, r.tid, r.file_no, r.line, r.audio_filename, r.section_name, "
		 "    r.start_time, r.end_time, r.prev_end FROM bc_span r "
		 "  WHERE r.prev_end IS NOT NULL "
		 "  AND NOT EXISTS (SELECT 1 FROM apart a WHERE a.tid = r.tid) "
		 "  UNION ALL SELECT x.* FROM (SELECT r.id, r.track_id, NULL::integer, NULL::bigint, "
		 "    NULL::text, r.section_name, r.start_time, r.end_time, "
		 "    max(r.end_time) OVER (PARTITION BY r.track_id "
		 "      ORDER BY r.start_time, r.end_time, r.id "
		 "      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end "
		 "    FROM meekah.track_arrangement r "
		 "    WHERE r.track_id IN (SELECT tid FROM apart)) x "
		 "  WHERE x.start_time < x.prev_end) "
		 "SELECT NULL::integer, NULL::bigint, NULL, 'end_time', end_time::text, "
		 "  'section ends at ' || end_time || ' s, after the track''s end at ' || duration || ' s', "
		 "  " ROW_NUMBER("id") ", track_id "
		 "FROM late "
		 "UNION ALL "
		 "SELECT o.file_no, o.line, o.audio_filename, 'start_time', o.start_time::text, "
		 "  'section ''' || o.section_name || ''' (' || o.start_time || '-' || o.end_time "
		 "  || ' s) overlaps an earlier section that ends at ' || o.prev_end || ' s', "
		 "  " ROW_NUMBER("o.id") ", o.tid "
		 "FROM crossed o WHERE NOT EXISTS (SELECT 1 FROM late l WHERE l.id = o.id)",
		 REC_SRC_DDEX);
}

void load_sql_check_sections(struct buf *b, int direct)
{
	buf_reset(b);
	if (direct) {
		check_sections_direct(b);
		return;
	}
	buf_addf(b, "INSERT INTO bc_reason "
		 "WITH g AS MATERIALIZED (SELECT audio_filename, "
		 "  (min(ARRAY[src::bigint, CASE WHEN src = %d THEN -n ELSE n END, duration::bigint]) "
		 "    FILTER (WHERE NOT head))[3] AS duration, "
		 "  count(*) FILTER (WHERE head) AS spans, max(last) AS last FROM ("
		 "    SELECT audio_filename, src, n, duration, false AS head, NULL::integer AS last "
		 "    FROM bc_track WHERE NOT bad AND duration IS NOT NULL "
		 "    UNION ALL SELECT audio_filename, NULL, NULL, NULL, true, span_last "
		 "    FROM bc_arrangement WHERE head AND NOT bad) u "
		 "  GROUP BY audio_filename HAVING bool_or(head)), "
		 "missing AS MATERIALIZED (SELECT audio_filename, last FROM g WHERE duration IS NULL), "
		 "short AS (SELECT audio_filename, duration FROM g WHERE last > duration "
		 "  UNION ALL SELECT m.audio_filename, t.duration FROM missing m "
		 "  JOIN meekah.track_info t USING (audio_filename) WHERE m.last > t.duration), "
		 "late AS MATERIALIZED (SELECT r.n, r.file_no, r.line, r.audio_filename, r.end_time, "
		 "  s.duration FROM bc_arrangement r JOIN short s USING (audio_filename) "
		 "  WHERE NOT r.bad AND r.end_time > s.duration), "
		 "apart AS MATERIALIZED (SELECT audio_filename FROM g WHERE spans > 1), "
		 "crossed AS (SELECT r.n, r.file_no, r.line, r.audio_filename, r.section_name, "
		 "    r.start_time, r.end_time, r.prev_end FROM bc_arrangement r "
		 "  WHERE r.prev_end IS NOT NULL AND NOT r.bad "
		 "  AND NOT EXISTS (SELECT 1 FROM apart a WHERE a.audio_filename = r.audio_filename) "
		 "  UNION ALL SELECT x.* FROM (SELECT r.n, r.file_no, r.line, r.audio_filename, "
		 "    r.section_name, r.start_time, r.end_time, "
		 "    max(r.end_time) OVER (PARTITION BY r.audio_filename COLLATE \"C\" "
		 "      ORDER BY r.start_time, r.end_time, r.file_no, r.line "
		 "      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end "
		 "    FROM bc_arrangement r WHERE NOT r.bad "
		 "    AND r.audio_filename IN (SELECT audio_filename FROM apart)) x "
		 "  WHERE x.start_time < x.prev_end) "
		 "SELECT file_no, line, audio_filename, 'end_time', end_time::text, "
		 "  'section ends at ' || end_time || ' s, after the track''s end at ' || duration || ' s' "
		 "FROM late "
		 "UNION ALL "
		 "SELECT o.file_no, o.line, o.audio_filename, 'start_time', o.start_time::text, "
		 "  'section ''' || o.section_name || ''' (' || o.start_time || '-' || o.end_time "
		 "  || ' s) overlaps an earlier section that ends at ' || o.prev_end || ' s' "
		 "FROM crossed o WHERE NOT EXISTS (SELECT 1 FROM late l WHERE l.n = o.n)",
		 REC_SRC_DDEX);
}

/*
 * A child whose track is neither in this run nor in the catalog: one
 * statement over every child kind's rows (the tracks' branch of
 * add_all_rows is planned away), so that the run's tracks are hashed once
 * for all of them.  by_tid: the rows carry their track's id (tid, load
 * into an empty catalog), which is hashed and compared for less than the
 * name.
 */
void load_sql_check_orphans(struct buf *b, int by_tid, int direct, int heads)
{
	buf_reset(b);
	/*
	 * Direct: the catalog had no track, and each run of child rows
	 * (bc_head) is looked for among this run's tracks, by id.  An unknown
	 * one is noted by its id alone; its rows are named once they are
	 * staged again with their provenance (load_sql_fill_reasons).
	 */
	if (direct) {
		buf_adds(b, "INSERT INTO bc_reason (field, reason, tid) "
			    "SELECT DISTINCT 'audio_filename', "
			    "  'no such track in this run''s tracks or in the catalog', h.tid "
			    "FROM bc_head h WHERE NOT EXISTS (SELECT 1 FROM bc_track t WHERE t.tid = h.tid)");
		return;
	}
	/*
	 * Every child row in a run (bc_head): the runs' tracks are looked
	 * for, a row a run, and the staging is read only for the few unknown
	 * ones (not at all when there are none).
	 */
	if (heads) {
		buf_adds(b, "INSERT INTO bc_reason "
			    "SELECT r.file_no, r.line, r.audio_filename, 'audio_filename', r.audio_filename, "
			    "  'no such track in this run''s tracks or in the catalog' FROM ");
		add_all_rows(b);
		buf_addf(b, " r WHERE r.kind <> %d AND NOT r.bad AND r.audio_filename IN ("
			 "  SELECT h.audio_filename FROM bc_head h "
			 "  WHERE NOT EXISTS (SELECT 1 FROM bc_track t WHERE t.audio_filename = h.audio_filename) "
			 "  AND NOT EXISTS (SELECT 1 FROM meekah.track_info t "
			 "                  WHERE t.audio_filename = h.audio_filename))", REC_TRACK);
		return;
	}
	buf_adds(b, "INSERT INTO bc_reason "
		    "SELECT r.file_no, r.line, r.audio_filename, 'audio_filename', r.audio_filename, "
		    "  'no such track in this run''s tracks or in the catalog' FROM ");
	add_all_rows(b);
	buf_addf(b, " r WHERE r.kind <> %d AND NOT r.bad "
		 "AND NOT EXISTS (SELECT 1 FROM bc_track t WHERE %s) "
		 "AND NOT EXISTS (SELECT 1 FROM meekah.track_info t "
		 "                WHERE t.audio_filename = r.audio_filename)", REC_TRACK,
		 by_tid ? "t.tid = r.tid" : "t.audio_filename = r.audio_filename");
}

/* --mode insert: a track the catalog has. */
const char load_sql_check_insert_only[] =
	"INSERT INTO bc_reason "
	"SELECT r.file_no, r.line, r.audio_filename, 'audio_filename', r.audio_filename, "
	"  'the track is already in the catalog (--mode insert)' "
	"FROM bc_track r WHERE NOT r.bad "
	"AND EXISTS (SELECT 1 FROM meekah.track_info t WHERE t.audio_filename = r.audio_filename)";

/* --require-audio: a manifest's or message's track needs its audio file in the run. */
void load_sql_check_require_audio(struct buf *b)
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

/*
 * Every rejected track, and where its first problem is.  rows_bad: some
 * staged row is bad (load_reject); else only the reasons name tracks (a
 * row the ISRC lookup marks bad names none), and the staging is not read.
 */
void load_sql_bad_tracks(struct buf *b, int rows_bad)
{
	buf_reset(b);
	buf_adds(b, "CREATE TEMP TABLE bc_bad ON COMMIT DROP AS "
		    "SELECT DISTINCT ON (audio_filename) audio_filename, file_no, line FROM (");
	if (rows_bad) {
		buf_adds(b, "SELECT audio_filename, file_no, line FROM ");
		add_all_rows(b);
		buf_adds(b, " a WHERE a.bad UNION ALL ");
	}
	buf_adds(b, "SELECT audio_filename, file_no, line FROM bc_reason) u "
		    "WHERE audio_filename IS NOT NULL ORDER BY audio_filename, file_no, line;"
		    "ANALYZE bc_bad");
}

/*
 * Direct: the tracks to reject, as ids (a reason on a catalog table's
 * row, a rejected row) or names (a reason on a staged row), for the
 * client to stage their rows again (load_bulk_restage).  rows_bad: as
 * load_sql_bad_tracks.
 */
void load_sql_rejected_keys(struct buf *b, int rows_bad)
{
	buf_reset(b);
	buf_adds(b, "SELECT tid::text, NULL FROM bc_reason WHERE tid IS NOT NULL "
		    "UNION ALL SELECT NULL, audio_filename FROM bc_reason "
		    "WHERE tid IS NULL AND audio_filename IS NOT NULL");
	if (rows_bad) {
		buf_adds(b, " UNION ALL SELECT tid::text, NULL FROM ");
		add_all_rows(b);
		buf_adds(b, " a WHERE a.bad AND a.tid IS NOT NULL");
	}
}

/*
 * Direct: the reasons found on the catalog's tables get the file, line
 * and track of their row, staged again by now; an unknown track's reason
 * (its id alone) becomes one for each of its child rows, whose value is
 * the name.
 */
void load_sql_fill_reasons(struct buf *b)
{
	buf_reset(b);
	buf_addf(b, "INSERT INTO bc_reason SELECT r.file_no, r.line, r.audio_filename, x.field, "
		 "r.audio_filename, x.reason, r.n, r.tid FROM ");
	add_all_rows(b);
	buf_addf(b, " r JOIN bc_reason x ON x.tid = r.tid AND x.n IS NULL AND x.file_no IS NULL "
		 "WHERE r.kind <> %d AND NOT r.bad;"
		 "DELETE FROM bc_reason WHERE n IS NULL AND file_no IS NULL;", REC_TRACK);
	buf_adds(b, "UPDATE bc_reason x SET file_no = r.file_no, line = r.line, "
		    "audio_filename = r.audio_filename, "
		    "value = CASE WHEN x.field = 'audio_filename' THEN r.audio_filename ELSE x.value END "
		    "FROM ");
	add_all_rows(b);
	buf_adds(b, " r WHERE x.file_no IS NULL AND x.n IS NOT NULL AND r.n = x.n");
}

/* Direct: kind k's rows staged again (a rejected track's) leave the catalog's table. */
void load_sql_delete_final(struct buf *b, enum rec_kind k)
{
	buf_reset(b);
	buf_addf(b, "DELETE FROM meekah.%s c USING bc_%s r WHERE c.id = r.id AND NOT r.bad",
		 rec_kinds[k].table, rec_kinds[k].name);
}

/* The checks' reasons, for rejects.log. */
const char load_sql_reasons[] =
	"SELECT file_no, line, field, value, reason FROM bc_reason "
	"ORDER BY file_no, line, field";

/* ------------------------------------------------------------- rejects */

/*
 * Every row to reject: kind, file_no, off, len, line, audio_filename and
 * NULL when it has its own reason, else where its track's problem is.  A
 * label-sheet row staged as a track and creators is one row to reject.
 */
void load_sql_rejected_rows(struct buf *b)
{
	buf_reset(b);
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
}

/* --------------------------------------------------------------- merge */

/* Rows of rejected tracks leave the staging; only good rows remain. */
void load_sql_drop_rejected(struct buf *b)
{
	int k;

	buf_reset(b);
	for (k = 0; k < REC_NKINDS; k++)
		buf_addf(b, "DELETE FROM bc_%s r WHERE r.bad OR r.audio_filename IN "
			 "(SELECT audio_filename FROM bc_bad);", rec_kinds[k].name);
}

/*
 * Takedowns, in the staging: rows of the tracks taken down, from the
 * takedown's input or an earlier one, leave it.
 */
void load_sql_takedowns_staging(struct buf *b)
{
	int k;

	buf_reset(b);
	buf_adds(b, "CREATE TEMP TABLE bc_gone ON COMMIT DROP AS "
		    "SELECT t.audio_filename, k.file_no FROM bc_track t JOIN bc_takedown k "
		    "ON (t.audio_filename = k.audio_filename OR t.catalog_number = k.catalog_number) "
		    "AND t.file_no <= k.file_no "
		    "UNION SELECT audio_filename, file_no FROM bc_takedown "
		    "WHERE audio_filename IS NOT NULL;");
	for (k = 0; k < REC_NKINDS; k++)
		buf_addf(b, "DELETE FROM bc_%s r USING bc_gone g WHERE r.audio_filename = g.audio_filename "
			 "AND r.file_no <= g.file_no;", rec_kinds[k].name);
}

/*
 * Takedowns, in the catalog: the tracks are deleted (children by ON
 * DELETE CASCADE) unless a later input delivers them again.  Each deleted
 * track: its takedown's file name, line and the track.
 */
const char load_sql_takedowns_catalog[] =
	"WITH d AS (DELETE FROM meekah.track_info t USING bc_takedown k "
	"           WHERE (t.audio_filename = k.audio_filename OR t.catalog_number = k.catalog_number) "
	"           AND NOT EXISTS (SELECT 1 FROM bc_track s WHERE s.audio_filename = t.audio_filename) "
	"           RETURNING t.audio_filename, k.file_no, k.line) "
	"SELECT DISTINCT ON (d.audio_filename) f.name, d.line, d.audio_filename "
	"FROM d JOIN bc_file f USING (file_no) ORDER BY d.audio_filename, d.file_no, d.line";

/*
 * A guessed field (rec.weak: a title taken from the file name) gives way
 * to any other row of its track that gives the field, and to the track
 * the catalog has: its given bit goes.  weak: the fields some row guessed.
 */
void load_sql_drop_weak(struct buf *b, unsigned long weak)
{
	size_t i;

	buf_reset(b);
	for (i = 1; i < rec_kinds[REC_TRACK].nfields; i++) {
		unsigned long bit = 1ul << i;

		if (!(weak & bit))
			continue;
		buf_addf(b, "UPDATE bc_track r SET given = r.given & ~%lu WHERE r.weak & %lu <> 0 "
			 "AND (EXISTS (SELECT 1 FROM meekah.track_info t "
			 "             WHERE t.audio_filename = r.audio_filename) "
			 "  OR EXISTS (SELECT 1 FROM bc_track o WHERE o.audio_filename = r.audio_filename "
			 "             AND o.n <> r.n AND NOT o.bad AND o.given & %lu <> 0 "
			 "             AND o.weak & %lu = 0));", bit, bit, bit, bit);
	}
}

/*
 * Fields that two sources of one track give differently, the better
 * source (the lower src) first: track, field, its value, where, the other
 * value, where.
 */
void load_sql_disagreements(struct buf *b)
{
	size_t i, n = rec_kinds[REC_TRACK].nfields;

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
}

/*
 * The same track from several sources (a CSV row, a DDEX SoundRecording,
 * the file's tags) becomes one row, field by field: CSV over DDEX over
 * tags (enum rec_source), each field from the best source that gives it,
 * and among DDEX messages the latest (a later delivery replaces an
 * earlier one).  For each kind of child rows, only the best source's rows
 * are kept.
 */
void load_sql_merge_sources(struct buf *b)
{
	size_t i, n = rec_kinds[REC_TRACK].nfields;
	char rank[64];
	int k;

	/* A track's rows, best first: by source, the latest DDEX message first. */
	snprintf(rank, sizeof(rank), "src, CASE WHEN src = %d THEN -n ELSE n END", REC_SRC_DDEX);
	buf_reset(b);
	buf_addf(b, "CREATE TEMP TABLE bc_track_m ON COMMIT DROP AS SELECT min(n) AS n, false AS bad, "
		 "(array_agg(id ORDER BY %s))[1] AS id, audio_filename, "
		 "(array_agg(tid) FILTER (WHERE tid IS NOT NULL))[1] AS tid, bit_or(given) AS given, "
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
}

/* The catalog's tracks get the fields their staged row gives, if any differs. */
void load_sql_update_tracks(struct buf *b, enum rec_kind k, int bulk, unsigned long long upto)
{
	size_t i, n = rec_kinds[REC_TRACK].nfields;

	(void)k;
	(void)bulk;
	buf_reset(b);
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

/* Staged tracks the catalog does not have (all of them, bulk) are inserted. */
void load_sql_insert_tracks(struct buf *b, enum rec_kind k, int bulk, unsigned long long upto)
{
	size_t i, n = rec_kinds[REC_TRACK].nfields;

	(void)k;
	buf_reset(b);
	buf_adds(b, "INSERT INTO meekah.track_info (id, audio_filename");
	for (i = 1; i < n; i++)
		buf_addf(b, ", %s", col(REC_TRACK, i));
	/* Bulk, the id the track's rows carry (tid); else the one made for the row. */
	buf_addf(b, ") SELECT s.%s, s.audio_filename", bulk ? "tid" : "id");
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

const char load_sql_count_tracks[] = "SELECT count(*) FROM bc_track";

/*
 * Tracks of this run with kind-k rows, and whether their set differs from
 * the catalog's (bc_chg).  Each side's set is summed up per track as its
 * row count and the sum of a 64-bit hash of each row: a multiset
 * fingerprint built by hash aggregates, with no sort (a sorted string_agg
 * + md5 took three times as long on 100k tracks).  The row is hashed as a
 * record, column by column with each type's own hash
 * (hash_record_extended, PostgreSQL 14): half the time of hashing its text
 * form, which runs every column's output function.  Both sides' rows have
 * the same column types (add_row), so equal rows hash alike.  The tracks
 * compared are noted in bc_named (loaddiff_count_after).
 *
 * whole: the run gives about as many kind-k rows as the catalog has (a
 * re-run of a whole catalog).  The catalog's side is then summed over the
 * whole table and joined to the run's by track, in one statement: a
 * quarter less than finding the run's tracks' rows row by row (620 ms
 * against 770 on 500k rows).  Otherwise the run's side is materialized
 * and analyzed first, so that the catalog's side is read by index for a
 * few tracks and by a hash join for many.
 */
static void add_run_side(struct buf *b, enum rec_kind k)
{
	buf_adds(b, "(SELECT r.audio_filename, count(*) AS n, sum(hash_record_extended(");
	add_row(b, k, 1);
	buf_addf(b, ", 0)) AS h FROM bc_%s r GROUP BY 1) s "
		 "JOIN meekah.track_info t USING (audio_filename)", rec_kinds[k].name);
}

static void add_catalog_side(struct buf *b, enum rec_kind k, const char *join)
{
	buf_adds(b, "(SELECT c.track_id, count(*) AS n, sum(hash_record_extended(");
	add_row(b, k, 0);
	buf_addf(b, ", 0)) AS h FROM meekah.%s c %s GROUP BY 1) d", rec_kinds[k].table, join);
}

void load_sql_find_changed(struct buf *b, enum rec_kind k, int whole)
{
	buf_reset(b);
	/*
	 * The staged names' statistics first: knowing how many tracks the
	 * staged rows name, the planner finds them in track_info by index
	 * for a few and by a hash join for many (it guessed 200 and looked
	 * up each of a million by index).
	 */
	buf_addf(b, "ANALYZE bc_%s (audio_filename);"
		 "DROP TABLE IF EXISTS bc_chg; CREATE TEMP TABLE bc_chg ON COMMIT DROP AS ",
		 rec_kinds[k].name);
	if (whole) {
		buf_adds(b, "SELECT t.id AS track_id, s.audio_filename, "
			    "d.n IS DISTINCT FROM s.n OR d.h IS DISTINCT FROM s.h AS changed FROM ");
		add_run_side(b, k);
		buf_adds(b, " LEFT JOIN ");
		add_catalog_side(b, k, "");
		buf_adds(b, " ON d.track_id = t.id;");
	} else {
		buf_adds(b, "SELECT t.id AS track_id, s.audio_filename, s.n, s.h, true AS changed FROM ");
		add_run_side(b, k);
		buf_adds(b, ";");
	}
	buf_adds(b, "ALTER TABLE bc_chg ALTER track_id SET STATISTICS " STAGING_STATISTICS ";"
		    "ANALYZE bc_chg (track_id);");
	if (!whole) {
		buf_adds(b, "UPDATE bc_chg g SET changed = false FROM ");
		add_catalog_side(b, k, "JOIN bc_chg USING (track_id)");
		buf_adds(b, " WHERE d.track_id = g.track_id AND d.n = g.n AND d.h = g.h;");
	}
	buf_adds(b, "INSERT INTO bc_named SELECT track_id, changed FROM bc_chg");
}

/*
 * How many kind-k rows the catalog has, as the planner reckons them: the
 * row density of its last ANALYZE times the table's size now; -1 when
 * no ANALYZE saw it with rows.
 */
void load_sql_catalog_rows(struct buf *b, enum rec_kind k)
{
	buf_reset(b);
	buf_addf(b, "SELECT CASE WHEN c.reltuples >= 0 AND c.relpages > 0 "
		 "THEN (c.reltuples / c.relpages * (pg_relation_size(c.oid) "
		 "      / current_setting('block_size')::int))::bigint "
		 "WHEN pg_relation_size(c.oid) = 0 THEN 0 ELSE -1 END "
		 "FROM pg_class c WHERE c.oid = 'meekah.%s'::regclass", rec_kinds[k].table);
}

/* The catalog's kind-k rows of the tracks whose set changed go. */
void load_sql_delete_changed(struct buf *b, enum rec_kind k)
{
	buf_reset(b);
	buf_addf(b, "DELETE FROM meekah.%s c USING bc_chg x WHERE c.track_id = x.track_id "
		 "AND x.changed", rec_kinds[k].table);
}

/*
 * Kind k's staged rows of the tracks whose set changed (all of them,
 * bulk) are inserted.
 */
void load_sql_insert_children(struct buf *b, enum rec_kind k, int bulk, unsigned long long upto)
{
	size_t i;

	buf_reset(b);
	buf_addf(b, "INSERT INTO meekah.%s (id, track_id", rec_kinds[k].table);
	for (i = 1; i < rec_kinds[k].nfields; i++)
		buf_addf(b, ", %s", col(k, i));
	buf_addf(b, ") SELECT r.id, %s", bulk ? "r.tid" : "c.track_id");
	/*
	 * A child's field not given is NULL in the staging (load_encode makes
	 * sure): where NULL is also the default, the value is taken as it is,
	 * a fifth less work for the insert than a CASE per field and row.
	 */
	for (i = 1; i < rec_kinds[k].nfields; i++) {
		buf_adds(b, ", ");
		if (strcmp(field_default(k, (int)i), "NULL") == 0)
			buf_addf(b, "r.%s", col(k, i));
		else
			add_value(b, k, (int)i);
	}
	/*
	 * Bulk, every staged track was inserted with the id its rows carry
	 * (tid): no join at all, and track_info, with neither statistics nor
	 * indexes yet, is not read.  Every row left has its track: the
	 * unknown ones were rejected.  Otherwise bc_chg has the track's id
	 * (load_sql_find_changed took it from track_info).
	 */
	if (bulk)
		buf_addf(b, " FROM bc_%s r WHERE true ", rec_kinds[k].name);
	else
		buf_addf(b, " FROM bc_%s r JOIN bc_chg c USING (audio_filename) WHERE c.changed ",
			 rec_kinds[k].name);
	add_upto(b, "r", upto);
	if (!bulk)
		buf_adds(b, " ORDER BY r.n");
}

/*
 * A track whose children changed has changed: export --since needs it.
 * Once, after every kind (bc_named), and not again for a track whose
 * fields changed.
 */
const char load_sql_touch_changed[] =
	"UPDATE meekah.track_info t SET updated_at = now() "
	"FROM (SELECT DISTINCT track_id FROM bc_named WHERE changed) x "
	"WHERE t.id = x.track_id AND t.updated_at IS DISTINCT FROM now()::timestamp";

/* The tracks whose set changed, and the tracks compared. */
const char load_sql_count_changed[] =
	"SELECT count(*) FILTER (WHERE changed), count(*) FROM bc_chg";

/* Staged row n: its file name, line and track. */
void load_sql_name_row(struct buf *b, unsigned long long n)
{
	buf_reset(b);
	buf_adds(b, "SELECT f.name, r.line, coalesce(r.audio_filename, '') FROM ");
	add_all_rows(b);
	buf_addf(b, " r JOIN bc_file f USING (file_no) WHERE r.n = %llu", n);
}

/*
 * A query giving the ANALYZE of the catalog's tables this load changed
 * enough, or '' when none did: autovacuum's own rule (more rows inserted,
 * updated or deleted than autovacuum_analyze_threshold +
 * autovacuum_analyze_scale_factor x the table's rows), so a small delta
 * pays no ANALYZE, which autovacuum would not run either, and a big one
 * leaves the catalog with fresh statistics at COMMIT.  Bulk, none: the
 * tables had no statistics before, autovacuum analyzes them after (as
 * after pg_restore; 'blendcat maintain' runs it at once).
 */
void load_sql_analyze(struct buf *b, int bulk, const struct load_counts *counts)
{
	int k;

	buf_reset(b);
	buf_adds(b, "SELECT coalesce('ANALYZE ' || string_agg(v.rel, ', ' ORDER BY v.rel), '') "
		    "FROM (VALUES ");
	for (k = 0; k < REC_NKINDS; k++) {
		const struct load_counts *c = &counts[k];
		unsigned long changed = bulk ? 0 : c->inserted + c->updated + c->deleted;

		buf_addf(b, "%s('meekah.%s', %lu)", k ? ", " : "", rec_kinds[k].table, changed);
	}
	buf_adds(b, ") v(rel, changed) JOIN pg_class c ON c.oid = v.rel::regclass "
		    "WHERE v.changed > 0 AND v.changed > "
		    "current_setting('autovacuum_analyze_threshold')::float8 + "
		    "current_setting('autovacuum_analyze_scale_factor')::float8 * greatest(c.reltuples, 0)");
}

/* ----------------------------------------------------------- bulk path */

/* The tracks staged when the catalog has none, else -1. */
const char load_sql_catalog_empty[] =
	"SELECT CASE WHEN EXISTS (SELECT 1 FROM meekah.track_info) "
	"THEN -1 ELSE (SELECT count(*) FROM bc_track) END";

/*
 * The keys and indexes of the meekah tables, and foreign keys elsewhere
 * that point at them, from the catalog itself: each as the statement
 * that drops it and the one that builds it again, with the orders they
 * run in (foreign keys are dropped first and built last).
 */
const char load_sql_save_ddl[] =
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

/* bc_ddl's statements as one string, to run: the drops, then the builds. */
const char load_sql_drop_ddl[] =
	"SELECT coalesce(string_agg(drop_sql, '; ' ORDER BY drop_order, drop_sql), '') FROM bc_ddl";
const char load_sql_create_ddl[] =
	"SELECT coalesce(string_agg(create_sql, '; ' ORDER BY create_order, create_sql), '') "
	"FROM bc_ddl";
