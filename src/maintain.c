/*
 * maintain: nightly housekeeping; see include/blendcat/maintain.h.
 */
#include "blendcat/maintain.h"
#include "blendcat/buf.h"
#include "blendcat/db.h"
#include "blendcat/diag.h"
#include "blendcat/version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What goes, table by table: the same rule for counting and deleting. */
static const struct {
	const char *table, *what, *where;
} purges[] = {
	{ "auth.sessions", "expired sessions", "expires_at < NOW()" },
	{ "auth.email_verification", "expired or used email verification tokens",
	  "expires_at < NOW() OR used_at IS NOT NULL" },
	{ "auth.password_reset", "expired or used password reset tokens",
	  "expires_at < NOW() OR used_at IS NOT NULL" },
};

#define NPURGES (sizeof(purges) / sizeof(purges[0]))

/* Every table of the three schemas and blendcat's own, for ANALYZE. */
static const char analyze_sql[] =
	"SELECT string_agg(format('%I.%I', schemaname, relname), ', ' ORDER BY schemaname, relname) "
	"FROM pg_stat_user_tables WHERE schemaname IN ('meekah', 'auth', 'users', 'ingest')";

static long purge(PGconn *c, size_t i, int dry_run)
{
	struct buf sql = BUF_INIT;
	PGresult *res;
	long n = -1;

	if (dry_run)
		buf_addf(&sql, "SELECT count(*) FROM %s WHERE %s", purges[i].table, purges[i].where);
	else
		buf_addf(&sql, "DELETE FROM %s WHERE %s", purges[i].table, purges[i].where);
	res = PQexec(c, sql.data);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		n = atol(PQgetvalue(res, 0, 0));
	else if (PQresultStatus(res) == PGRES_COMMAND_OK)
		n = atol(PQcmdTuples(res));
	else
		db_report(res, purges[i].table);
	PQclear(res);
	buf_release(&sql);
	return n;
}

static int vacuum_analyze(PGconn *c, int *ntables)
{
	PGresult *res = PQexec(c, analyze_sql);
	struct buf sql = BUF_INIT;
	size_t i;
	int rc = -1;

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_report(res, "listing tables");
		goto out;
	}
	/* VACUUM gives the deleted rows' space back; it cannot run in a transaction. */
	buf_adds(&sql, "VACUUM (ANALYZE) ");
	for (i = 0; i < NPURGES; i++)
		buf_addf(&sql, "%s%s", i ? ", " : "", purges[i].table);
	if (db_exec(c, "vacuuming", sql.data) < 0)
		goto out;
	if (!PQgetisnull(res, 0, 0)) {
		const char *list = PQgetvalue(res, 0, 0);

		buf_reset(&sql);
		buf_addf(&sql, "ANALYZE %s", list);
		if (db_exec(c, "analyzing", sql.data) < 0)
			goto out;
		*ntables = 1;
		for (; *list; list++)
			*ntables += *list == ',';
	}
	rc = 0;
out:
	PQclear(res);
	buf_release(&sql);
	return rc;
}

static void record_run(PGconn *c, const long *counts, int rc, const struct maintain_opts *o)
{
	struct buf json = BUF_INIT;
	char exit_code[8];
	const char *vals[3];
	PGresult *res;
	size_t i;

	buf_addf(&json, "{\"dry_run\": %s", o->dry_run ? "true" : "false");
	for (i = 0; i < NPURGES; i++)
		buf_addf(&json, ", \"%s\": %ld", purges[i].table, counts[i]);
	buf_addch(&json, '}');
	snprintf(exit_code, sizeof(exit_code), "%d", o->exit_code(rc));
	vals[0] = rc == 0 ? "ok" : "failed";
	vals[1] = exit_code;
	vals[2] = json.data;
	res = PQexecParams(c, "INSERT INTO ingest.run (command, status, exit_code, counts, "
			   "finished_at, blendcat_version) VALUES ('maintain', $1, $2, $3, NOW(), '"
			   BLENDCAT_VERSION "')", 3, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		diag_warn(LOC_NONE, "could not record the run in ingest.run: %s",
			  PQresultErrorMessage(res));
	PQclear(res);
	buf_release(&json);
}

int maintain_run(PGconn *c, const struct maintain_opts *o)
{
	long counts[NPURGES];
	size_t i;
	int rc = -1, ntables = 0;

	memset(counts, 0, sizeof(counts));
	if (db_exec(c, "starting a transaction", "BEGIN") < 0)
		return -1;
	for (i = 0; i < NPURGES; i++)
		if ((counts[i] = purge(c, i, o->dry_run)) < 0) {
			PQclear(PQexec(c, "ROLLBACK"));
			goto done;
		}
	if (db_exec(c, "committing", "COMMIT") < 0 ||
	    (!o->dry_run && vacuum_analyze(c, &ntables) < 0))
		goto done;
	rc = 0;
	for (i = 0; i < NPURGES && !diag_quiet; i++)
		printf("%s %ld %s\n", o->dry_run ? "would delete" : "deleted", counts[i], purges[i].what);
	if (!diag_quiet && !o->dry_run)
		printf("vacuumed %zu tables, analyzed %d\n", NPURGES, ntables);
done:
	record_run(c, counts, rc, o);
	return rc;
}
