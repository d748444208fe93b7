/*
 * maintain: the schema documentation's housekeeping, safe to run from
 * cron every night: delete expired sessions, expired or used email
 * verification and password reset tokens, then VACUUM and ANALYZE.
 */
#ifndef BLENDCAT_MAINTAIN_H
#define BLENDCAT_MAINTAIN_H

struct maintain_opts {
	const char *db;
	int wait;
	int dry_run;	/* count what would go, change nothing */
};

/* Run; returns the exit code (cli.h). */
int maintain_run(const struct maintain_opts *o);

#endif
