/*
 * maintain: the schema documentation's housekeeping, safe to run from
 * cron every night: delete expired sessions, expired or used email
 * verification and password reset tokens, then VACUUM and ANALYZE.
 */
#ifndef BLENDCAT_MAINTAIN_H
#define BLENDCAT_MAINTAIN_H

#include <libpq-fe.h>

struct maintain_opts {
	int dry_run;	/* count what would go, change nothing */
	/* The exit code of a result (0 or -1), which ingest.run records (cli.c's). */
	int (*exit_code)(int rc);
};

/*
 * Run with c, which holds blendcat's lock (db_lock).  Returns 0, or -1
 * after an error (nothing deleted, or the VACUUM or ANALYZE failed).
 */
int maintain_run(PGconn *c, const struct maintain_opts *o);

#endif
