/*
 * db: which database to use and connecting to it.
 *
 * The rules (DESIGN.md): --db URL, else DATABASE_URL, else
 * TRACKS_DATABASE_URL (the application's own variable, whose ?schema=
 * parameter is not libpq's: it is stripped), else libpq's own defaults (PGHOST, PGDATABASE, PGSERVICE,
 * ~/.pgpass).  A password is never printed: messages name the host or
 * socket, the port, the database and the user, nothing else.
 */
#ifndef BLENDCAT_DB_H
#define BLENDCAT_DB_H

#include <libpq-fe.h>

struct buf;

struct db_target {
	char *conninfo;		/* for libpq; "" means libpq defaults */
	const char *source;	/* "--db", "DATABASE_URL", ... (static) */
};

#define DB_TARGET_INIT { NULL, NULL }

/*
 * Choose the connection string from opt_db (may be NULL) and the
 * environment.  Allocates; release with db_target_release.
 */
void db_target_resolve(struct db_target *t, const char *opt_db);
void db_target_release(struct db_target *t);

/*
 * Is a database named anywhere: opt_db, DATABASE_URL,
 * TRACKS_DATABASE_URL, PGHOST, PGDATABASE or PGSERVICE?  (check uses one
 * only then.)
 */
int db_configured(const char *opt_db);

/*
 * Copy a connection URI or key=value string to out without any `schema`
 * parameter (the catalog's schema is meekah, whatever it says).  Pure.
 */
void db_strip_schema(const char *conninfo, struct buf *out);

/*
 * Connect.  On failure prints one line naming the host or socket (never
 * the password) and returns NULL.
 */
PGconn *db_connect(const struct db_target *t);

/*
 * Run a command that returns no rows.  On error prints the server's
 * message with what (e.g. "creating table 'x'") and returns -1.
 */
int db_exec(PGconn *c, const char *what, const char *sql);

/*
 * Take blendcat's session advisory lock without waiting (wait=0) or
 * waiting for it.  Returns 0 when held, 1 when another session holds it
 * (a message names its pid), -1 on error.
 */
int db_lock(PGconn *c, int wait);

/* Print a failed result's message: "what: primary message" + detail/hint. */
void db_report(const PGresult *res, const char *what);

/*
 * SIGINT and SIGTERM while a run writes to conn: the first one cancels the
 * query in progress (PQcancel, which is safe in a handler) and is kept, so
 * that the run stops at its next step, rolls back and says so; a second
 * one ends the process at once (the server rolls back what was open).
 * db_signals_release puts the default handlers back.
 */
void db_signals_catch(PGconn *conn);
void db_signals_release(void);
/* The signal caught since db_signals_catch (SIGINT, SIGTERM), or 0. */
int db_interrupted(void);
/* "interrupted by SIGTERM"-style reason for messages; "" when none. */
const char *db_interrupt_reason(void);

/*
 * Fault injection for the tests: when the environment variable
 * BLENDCAT_STOP_AT names this point ("copy": rows sent, the COPY not
 * ended; "merge": tracks merged, children not yet; "commit": before
 * COMMIT), the process stops itself with SIGSTOP there, once, so that a
 * test can kill it, stop the server or send it a signal at a known step.
 */
void db_stop_point(const char *point);

#endif
