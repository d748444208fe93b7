/*
 * corpus.h: where a unit test finds a corpus of real files beside the
 * source tree (../shared/corpus/..., present for development and CI, never
 * for users), and what it does without one.
 *
 * corpus_find() fills dir from the environment variable env_name, else
 * default_dir, when that directory holds SOURCES.md.  Without it the tests
 * that call CORPUS_NEEDED() are skipped (cmocka counts them), and a line
 * on stderr says why; with CI=true a missing corpus fails the setup, so
 * that the corpus tests never vanish from CI unnoticed.
 */
#ifndef BLENDCAT_TEST_CORPUS_H
#define BLENDCAT_TEST_CORPUS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Returns 0 when found or when skipping is allowed, -1 to fail the setup. */
static int corpus_find(char *dir, size_t size, const char *env_name, const char *default_dir,
		       const char *who)
{
	const char *env = getenv(env_name);
	const char *ci = getenv("CI");
	char probe[1200];
	struct stat st;

	snprintf(dir, size, "%s", env ? env : default_dir);
	snprintf(probe, sizeof(probe), "%s/SOURCES.md", dir);
	if (stat(probe, &st) == 0)
		return 0;
	if (ci && strcmp(ci, "true") == 0) {
		fprintf(stderr, "%s: CI=true but no corpus at %s (set %s)\n", who, dir, env_name);
		return -1;
	}
	fprintf(stderr, "%s: no corpus at %s (set %s): the tests that read it are skipped\n",
		who, dir, env_name);
	dir[0] = '\0';
	return 0;
}

/* At the top of a test that reads the corpus in dir. */
#define CORPUS_NEEDED(dir)                                                                       \
	do {                                                                                     \
		if (!(dir)[0])                                                                   \
			skip();                                                                  \
	} while (0)

#endif
