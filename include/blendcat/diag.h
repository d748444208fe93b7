/*
 * diag: diagnostics on stderr, in one shape everywhere (git, PostgreSQL
 * common/logging.h):
 *
 *     blendcat: error: batch7.csv:42: field 'isrc': invalid code 'GB-XY'
 *     blendcat: detail: expected 12 characters, got 5
 *
 * Lower case, no final period.  Report once, where the problem is
 * detected; callers do not repeat it.
 */
#ifndef BLENDCAT_DIAG_H
#define BLENDCAT_DIAG_H

#include <stdarg.h>

/* Where a value came from; any member may be NULL or 0 when unknown. */
struct loc {
	const char *file;
	unsigned long line;
	const char *field;
};

#define LOC_NONE ((const struct loc *)0)

#if defined(__GNUC__)
#define DIAG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DIAG_PRINTF(a, b)
#endif

/* Errors and warnings; both return -1 so that `return diag_error(...)` works. */
int diag_error(const struct loc *loc, const char *fmt, ...) DIAG_PRINTF(2, 3);
int diag_warn(const struct loc *loc, const char *fmt, ...) DIAG_PRINTF(2, 3);
/* Secondary lines after an error or warning. */
void diag_detail(const char *fmt, ...) DIAG_PRINTF(1, 2);
void diag_hint(const char *fmt, ...) DIAG_PRINTF(1, 2);
/* Informational line, suppressed by diag_quiet. */
void diag_info(const char *fmt, ...) DIAG_PRINTF(1, 2);

/* Set by --quiet: diag_info and diag_warn print nothing. */
extern int diag_quiet;
/* While set, nothing is printed at all (a second look at an input). */
extern int diag_muted;
/* Counters since start, for reports and tests. */
extern unsigned long diag_errors, diag_warnings;

#endif
