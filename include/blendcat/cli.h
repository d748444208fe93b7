/*
 * cli: the command line — options, the command table, exit codes.
 */
#ifndef BLENDCAT_CLI_H
#define BLENDCAT_CLI_H

/*
 * Exit codes (README "Exit codes"): only cli.c gives them; the commands
 * return 0 or -1, or their own results (enum import_result).
 */
enum {
	EXIT_OK = 0,		/* everything loaded */
	EXIT_REJECTS = 1,	/* loaded, with rejects */
	EXIT_USAGE = 2,		/* usage or configuration error */
	EXIT_FAILED = 3,	/* nothing loaded: input or database error, rolled back */
	EXIT_LOCKED = 75,	/* another run holds the lock (EX_TEMPFAIL) */
	EXIT_SIGNAL = 128	/* + the signal: stopped by SIGINT (130) or SIGTERM (143), rolled back */
};

/* Run blendcat with these arguments; returns the exit code. */
int cli_run(int argc, char **argv);

#endif
