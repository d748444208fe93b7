/*
 * load_check: the checks across rows and files, once everything is
 * staged, and the rows they reject; see include/blendcat/copyload.h
 * (load_check, load_rejects).  The statements are in load_sql.c.
 */
#include "blendcat/copyload.h"
#include "blendcat/db.h"
#include "blendcat/diag.h"
#include "blendcat/load_internal.h"

#include <stdlib.h>

/* -------------------------------------------------------------- checks */

static int run_checks(struct load *l)
{
	struct buf *b = &l->sql;

	if (l->by_isrc) {
		load_sql_resolve_isrc(b);
		if (load_exec(l, "finding tracks by ISRC", b->data) < 0)
			return -1;
	}
	load_sql_check_duplicates(b);
	if (load_exec(l, "checking rows against each other", b->data) < 0 ||
	    load_exec(l, "checking rows against each other", load_sql_check_new_tracks) < 0)
		return -1;
	load_sql_check_splits(b, l->direct, !l->by_isrc);
	if (load_exec(l, "checking rows against each other", b->data) < 0)
		return -1;
	load_sql_check_sections(b, l->direct);
	if (load_exec(l, "checking rows against each other", b->data) < 0)
		return -1;
	load_sql_check_orphans(b, l->named_ids, l->direct, !l->by_isrc);
	if (load_exec(l, "checking for unknown tracks", b->data) < 0)
		return -1;
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

	if (run_checks(l) < 0 || (l->direct && load_bulk_restage(l) < 0))
		return -1;
	load_sql_bad_tracks(&l->sql, l->any_bad);
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
