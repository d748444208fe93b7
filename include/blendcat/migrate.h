/*
 * migrate: numbered up/down migrations from a directory of SQL files.
 *
 * A migration is a file NNN_name.sql in the schema documentation's style:
 *
 *     -- Migration: 002_add_playlists.sql
 *     -- UP
 *     BEGIN;
 *     CREATE TABLE ...;
 *     COMMIT;
 *
 *     -- DOWN (rollback)
 *     -- BEGIN;
 *     -- DROP TABLE ...;
 *     -- COMMIT;
 *
 * The UP section is everything before the `-- DOWN` line; the DOWN section
 * is every line after it, with its leading `--` (and one space) removed,
 * so a file stays runnable by hand with psql.  Lines that are only
 * BEGIN; or COMMIT; are dropped from both: blendcat runs each migration in
 * its own transaction together with its row in public.schema_migrations.
 * Line numbers are kept, so a server error names the file and line.
 */
#ifndef BLENDCAT_MIGRATE_H
#define BLENDCAT_MIGRATE_H

#include <stddef.h>

#include <libpq-fe.h>

struct migration {
	int version;
	char *name;		/* "initial_schema" */
	char *file;		/* "001_initial_schema.sql" */
	char *path;		/* as opened */
	char *text;		/* the whole file */
	size_t len;
	char *up, *down;	/* executable SQL of each section */
	unsigned long down_line; /* file line of the first DOWN line */
};

struct migration_set {
	struct migration *v;
	size_t n;
};

#define MIGRATION_SET_INIT { NULL, 0 }

/*
 * Split text into its sections (pure).  Returns 0, or -1 with a reason in
 * why (NUL-terminated, at most whylen bytes) when there is no UP or DOWN
 * marker.  m->up and m->down are allocated.
 */
int migration_parse(struct migration *m, const char *text, size_t len,
		    char *why, size_t whylen);

/*
 * Parse a file name "NNN_name.sql": returns the version (>= 1) and sets
 * *name (caller owns), or returns -1 when the name is not a migration's.
 */
int migration_name_parse(const char *file, char **name);

/* Read every migration of dir, sorted by version.  Prints errors. */
int migrate_load_dir(const char *dir, struct migration_set *set);
void migration_set_release(struct migration_set *set);

enum migrate_op { MIGRATE_UP, MIGRATE_DOWN, MIGRATE_STATUS };

/*
 * Run op: UP applies the next n pending migrations (all when n < 0), DOWN
 * rolls back the last n applied (all when n < 0), STATUS lists them on
 * stdout.  The caller holds blendcat's lock.  Returns 0, or -1 after
 * printing the error (the failing migration is rolled back; those before
 * it stay applied).
 */
int migrate_run(PGconn *c, const struct migration_set *set,
		enum migrate_op op, long n);

#endif
