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

int load_bulk_begin(struct load *l)
{
	/* The tracks staged when the catalog is empty; -1 when it is not. */
	long rows = load_count(l, load_sql_catalog_empty);

	if (rows < -1)
		return -1;
	/* The catalog empty now and at BEGIN, when the rows' track ids were chosen. */
	l->bulk = rows >= 0 && l->named_ids;
	if (!l->bulk)
		return 0;
	if (load_exec(l, "saving index definitions", load_sql_save_ddl) < 0 ||
	    load_exec_built(l, load_sql_drop_ddl, "dropping indexes for the bulk load") < 0)
		return -1;
	return 0;
}

int load_bulk_end(struct load *l)
{
	if (!l->bulk)
		return 0;
	return load_exec_built(l, load_sql_create_ddl, "building indexes and keys");
}
