/*
 * runlog: what import and check record of themselves in the database;
 * see include/blendcat/runlog.h.
 */
#include "blendcat/runlog.h"
#include "blendcat/buf.h"
#include "blendcat/db.h"
#include "blendcat/diag.h"
#include "blendcat/version.h"
#include "blendcat/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The files gone that are named; the rest are counted (like import's warnings). */
#define GONE_SHOWN 20

/* ------------------------------------------------------------ ingest.run */

/*
 * Imports still 'running' while this one holds the lock ended without
 * saying so (killed, the machine or the server went down): their
 * transactions were rolled back by the server; say so in ingest.run.
 */
static void mark_stale_runs(PGconn *c)
{
	PGresult *res = PQexec(c, "UPDATE ingest.run SET status = 'interrupted', "
			       "error = 'the run ended without recording its end (killed, or its "
			       "connection was lost); nothing of it was committed' "
			       "WHERE command IN ('import', 'check') AND status = 'running'");

	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		diag_warn(LOC_NONE, "could not mark earlier runs in ingest.run: %s", PQerrorMessage(c));
	else if (atol(PQcmdTuples(res)) > 0)
		diag_warn(LOC_NONE, "%s earlier import%s ended without recording %s end; marked "
			  "interrupted in ingest.run", PQcmdTuples(res),
			  atol(PQcmdTuples(res)) == 1 ? "" : "s",
			  atol(PQcmdTuples(res)) == 1 ? "its" : "their");
	PQclear(res);
}

int runlog_start(PGconn *c, const struct import_opts *o, int diffing, long *run_id)
{
	struct buf inputs = BUF_INIT, opts = BUF_INIT;
	char host[256] = "";
	const char *user = getenv("USER");
	const char *vals[6];
	PGresult *res;
	int i, ok;

	buf_addch(&inputs, '{');
	for (i = 0; i < o->npaths; i++) {
		if (i)
			buf_addch(&inputs, ',');
		buf_add_json_str(&inputs, o->paths[i]);	/* array literal quoting is the same */
	}
	buf_addch(&inputs, '}');
	buf_addf(&opts, "{\"mode\": \"%s\", \"max_rejects\": %ld, \"date_order\": %d, \"encoding\": ",
		 o->insert_only ? "insert" : "upsert", o->max_rejects, (int)o->date_order);
	buf_add_json_str(&opts, o->encoding ? o->encoding : "UTF-8");
	buf_adds(&opts, ", \"map\": ");
	buf_add_json_str(&opts, o->map_path ? o->map_path : "");
	buf_addf(&opts, ", \"title_from_filename\": %s", o->title_from_filename ? "true" : "false");
	if (diffing) {
		buf_adds(&opts, ", \"diff\": ");
		buf_add_json_str(&opts, o->diff_path ? o->diff_path : "-");
	}
	buf_addch(&opts, '}');
	gethostname(host, sizeof(host) - 1);
	/* check --diff writes nothing but its own row */
	if (!o->check_only)
		mark_stale_runs(c);
	vals[0] = inputs.data;
	vals[1] = opts.data;
	vals[2] = host;
	vals[3] = user ? user : "";
	vals[4] = BLENDCAT_VERSION;
	vals[5] = o->check_only ? "check" : "import";
	res = PQexecParams(c, "INSERT INTO ingest.run (command, inputs, options, client_host, "
			   "client_user, blendcat_version) VALUES ($6, $1, $2, $3, $4, $5) "
			   "RETURNING id", 6, NULL, vals, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (ok)
		*run_id = atol(PQgetvalue(res, 0, 0));
	else
		db_report(res, "recording the run in ingest.run");
	PQclear(res);
	buf_release(&inputs);
	buf_release(&opts);
	return ok ? 0 : -1;
}

void runlog_finish(PGconn *c, long run_id, enum import_result code, int exit_status,
		   const char *counts, const char *rejects_dir, const char *error)
{
	char id[24], exit_code[16];
	const char *status = code == IMPORT_OK ? "ok" : code == IMPORT_REJECTS ? "rejects" :
			     code >= IMPORT_INTERRUPTED_INT ? "interrupted" : "failed";
	const char *vals[6];
	PGresult *res;
	int tries;

	if (!run_id)
		return;
	snprintf(id, sizeof(id), "%ld", run_id);
	snprintf(exit_code, sizeof(exit_code), "%d", exit_status);
	vals[0] = id;
	vals[1] = status;
	vals[2] = exit_code;
	vals[3] = counts;
	vals[4] = rejects_dir;
	vals[5] = error;
	/* A cancel sent by a signal handler may land on this statement: once more. */
	for (tries = 0; tries < 2; tries++) {
		res = PQexecParams(c, "UPDATE ingest.run SET status = $2, exit_code = $3, counts = $4, "
				   "rejects_dir = $5, error = $6, finished_at = now() WHERE id = $1",
				   6, NULL, vals, NULL, NULL, 0);
		if (PQresultStatus(res) == PGRES_COMMAND_OK || !db_interrupted())
			break;
		PQclear(res);
	}
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		diag_warn(LOC_NONE, "could not record the end of run %ld in ingest.run: %s",
			  run_id, PQerrorMessage(c));
	PQclear(res);
}

/* -------------------------------------------------------- --incremental */

/* Is path (absolute) below or at one of the paths given? */
static int under_roots(char *const *roots, int nroots, const char *path)
{
	int i;

	for (i = 0; i < nroots; i++) {
		const char *root = roots[i];
		size_t n = root ? strlen(root) : 0;

		if (root && strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/'))
			return 1;
	}
	return 0;
}

/* The row of res (sorted by path, bytewise) for path, or -1. */
static int state_row(const PGresult *res, const char *path)
{
	int lo = 0, hi = PQntuples(res) - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2, c = strcmp(PQgetvalue(res, mid, 0), path);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static int same_state(const PGresult *res, int row, const struct input *in)
{
	return strtoull(PQgetvalue(res, row, 1), NULL, 10) == in->size &&
	       strtoll(PQgetvalue(res, row, 2), NULL, 10) == in->mtime_ns &&
	       strtoll(PQgetvalue(res, row, 3), NULL, 10) == in->ctime_ns;
}

/*
 * A file ingest.file_state knows below the paths given that is no longer
 * there: reported, its track stays in the catalog.
 */
static void report_gone(struct runlog_files *f, char *const *roots, int nroots,
			const PGresult *res, int row)
{
	const char *path = PQgetvalue(res, row, 0);
	struct stat st;

	if (!under_roots(roots, nroots, path) || lstat(path, &st) == 0 || errno != ENOENT)
		return;
	if (++f->gone <= GONE_SHOWN) {
		if (PQgetisnull(res, row, 4))
			diag_warn(LOC_NONE, "'%s' is gone since the last run (it was rejected then)",
				  path);
		else
			diag_warn(LOC_NONE, "'%s' is gone since the last run; its track '%s' stays "
				  "in the catalog", path, PQgetvalue(res, row, 4));
	}
}

/*
 * --incremental: mark the audio inputs whose path, size, mtime and ctime
 * are those ingest.file_state has from the last successful run (ctime
 * catches a change saved with "preserve timestamps"); report files gone.
 * Only stat() data: no file is opened.  A file recorded as rejected (its
 * content, or its own track's check: no title) is skipped only when
 * nothing else may settle its track now: no sheet or message in the run,
 * no track of its name in the catalog (another run loaded it: the file
 * would update it), the same --title-from-filename as when it was read.
 */
int runlog_files_compare(PGconn *c, struct input *inputs, size_t nin, char *const *roots,
			 int nroots, int title_from_filename, struct runlog_files *f)
{
	const char *vals[1] = { title_from_filename ? "true" : "false" };
	PGresult *res = PQexecParams(c, "SELECT s.path, s.size, s.mtime_ns, s.ctime_ns, "
				     "s.audio_filename, s.audio_filename IS NULL AND "
				     "(coalesce(r.options->>'title_from_filename', '') <> $1 "
				     " OR EXISTS (SELECT 1 FROM meekah.track_info t "
				     "   WHERE t.audio_filename = substring(s.path FROM '[^/]*$'))) "
				     "FROM ingest.file_state s LEFT JOIN ingest.run r ON r.id = s.run_id "
				     "ORDER BY s.path COLLATE \"C\"", 1, NULL, vals, NULL, NULL, 0);
	char *seen;
	size_t i;
	int row, n, mixed = 0;

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_report(res, "reading ingest.file_state");
		PQclear(res);
		return -1;
	}
	for (i = 0; i < nin; i++)
		mixed |= inputs[i].type != REC_SRC_TAGS;
	n = PQntuples(res);
	seen = xmalloc((size_t)n + 1);
	memset(seen, 0, (size_t)n + 1);
	for (i = 0; i < nin; i++) {
		struct input *in = &inputs[i];

		if (in->type != REC_SRC_TAGS || !in->abs || (row = state_row(res, in->abs)) < 0)
			continue;
		seen[row] = 1;
		if (!same_state(res, row, in) ||
		    (PQgetisnull(res, row, 4) && (mixed || *PQgetvalue(res, row, 5) == 't')))
			continue;
		in->unchanged = 1;
		f->unchanged++;
		f->unchanged_rejected += PQgetisnull(res, row, 4);
	}
	for (row = 0; row < n; row++)
		if (!seen[row])
			report_gone(f, roots, nroots, res, row);
	if (f->gone > GONE_SHOWN)
		diag_warn(LOC_NONE, "%lu files are gone since the last run, %d shown", f->gone,
			  GONE_SHOWN);
	free(seen);
	PQclear(res);
	return 0;
}

/* Record the audio files of inputs [from, to) that were read. */
int runlog_files_save(struct load *load, const struct input *inputs, size_t from, size_t to,
		      long run_id)
{
	struct buf rows = BUF_INIT;
	size_t i;
	int rc;

	for (i = from; i < to; i++) {
		const struct input *in = &inputs[i];

		if (in->type != REC_SRC_TAGS || in->unchanged || !in->abs)
			continue;
		buf_addf(&rows, "%zu\t", i);
		rec_copy_value(&rows, in->abs);
		buf_addf(&rows, "\t%llu\t%lld\t%lld\n", in->size, in->mtime_ns, in->ctime_ns);
	}
	rc = load_file_state(load, &rows, run_id);
	buf_release(&rows);
	return rc;
}

