/*
 * load_bulk: an empty catalog is loaded the way pg_restore does it: keys
 * and indexes of the meekah tables (and foreign keys elsewhere that point
 * at them) are dropped, the data goes in, then they are built again, all
 * in the same transaction.  Building an index once is much cheaper than
 * updating it row by row.  The definitions come from the catalog itself
 * (load_sql_save_ddl).  See include/blendcat/load_internal.h.
 */
#include "blendcat/db.h"
#include "blendcat/load_internal.h"

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
