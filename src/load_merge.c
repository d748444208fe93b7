/*
 * load_merge: the checked staging into the catalog; see
 * include/blendcat/copyload.h (load_merge).  Rejected tracks and
 * takedowns leave the staging, guessed fields give way, the sources of a
 * track become one row, then tracks are updated and inserted and each
 * track's changed child sets replaced.  The statements are in load_sql.c.
 */
#include "blendcat/copyload.h"
#include "blendcat/db.h"
#include "blendcat/diag.h"
#include "blendcat/load_internal.h"

#include <stdlib.h>

/* Disagreements between sources printed as warnings; the rest are counted. */
#define DISAGREEMENTS_SHOWN 20

/* ----------------------------------------------------- the failing row */

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
	if (l->direct && load_bulk_drop_rejected(l) < 0)
		return -1;
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
	long got, n[2];

	/* Direct: the rows are in the catalog's table already, but the rejected tracks'. */
	if (l->direct) {
		c->inserted = c->staged - l->direct_deleted[k];
		return 0;
	}
	if (l->bulk)	/* every track is new: nothing to compare, delete or count as replaced */
		return insert_children(l, k);
	load_sql_catalog_rows(&l->sql, k);
	if ((got = load_count(l, l->sql.data)) < -1)
		return -1;
	/* A whole catalog's re-run sums the catalog's side whole (load_sql_find_changed). */
	load_sql_find_changed(&l->sql, k, got >= 0 && c->staged >= (unsigned long)got / 2);
	if (load_exec(l, "comparing child rows", l->sql.data) < 0)
		return -1;
	load_sql_delete_changed(&l->sql, k);
	if ((got = load_exec_count(l, "replacing child rows", l->sql.data)) < 0)
		return -1;
	c->deleted = (unsigned long)got;
	if (insert_children(l, k) < 0)
		return -1;
	if (load_count_row(l, "counting replaced sets", load_sql_count_changed, n, 2) < 0)
		return -1;
	c->replaced = (unsigned long)n[0];
	c->unchanged = (unsigned long)(n[1] - n[0]);
	return 0;
}

/* ----------------------------------------------------------- the merge */

int load_merge(struct load *l)
{
	int k;

	if (load_interrupted(l) || drop_rejected(l) < 0 || apply_takedowns(l) < 0 ||
	    drop_weak(l) < 0 || merge_sources(l) < 0 || load_bulk_begin(l) < 0)
		return -1;
	if (update_tracks(l) < 0 || insert_tracks(l) < 0 || count_tracks(l) < 0)
		return -1;
	db_stop_point("merge");
	for (k = 1; k < REC_NKINDS; k++) {
		if (load_interrupted(l))
			return -1;
		if (l->counts[k].staged && replace_children(l, (enum rec_kind)k) < 0)
			return -1;
	}
	if (!l->bulk && load_exec(l, "marking tracks changed", load_sql_touch_changed) < 0)
		return -1;
	if (load_bulk_end(l) < 0)
		return -1;
	load_sql_analyze(&l->sql, l->bulk, l->counts);
	return load_exec_built(l, l->sql.data, "analyzing the catalog");
}
