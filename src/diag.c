/*
 * diag: diagnostics on stderr; see include/blendcat/diag.h.
 */
#include "blendcat/diag.h"

#include <stdio.h>

int diag_quiet;
int diag_muted;
unsigned long diag_errors, diag_warnings;

static void put_loc(const struct loc *loc)
{
	if (!loc)
		return;
	if (loc->file && loc->line)
		fprintf(stderr, "%s:%lu: ", loc->file, loc->line);
	else if (loc->file)
		fprintf(stderr, "%s: ", loc->file);
	if (loc->field)
		fprintf(stderr, "field '%s': ", loc->field);
}

DIAG_PRINTF(3, 0)
static void vreport(const char *level, const struct loc *loc,
		    const char *fmt, va_list ap)
{
	if (diag_muted)
		return;
	fprintf(stderr, "blendcat: %s: ", level);
	put_loc(loc);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int diag_error(const struct loc *loc, const char *fmt, ...)
{
	va_list ap;

	diag_errors++;
	va_start(ap, fmt);
	vreport("error", loc, fmt, ap);
	va_end(ap);
	return -1;
}

int diag_warn(const struct loc *loc, const char *fmt, ...)
{
	va_list ap;

	diag_warnings++;
	if (diag_quiet)
		return -1;
	va_start(ap, fmt);
	vreport("warning", loc, fmt, ap);
	va_end(ap);
	return -1;
}

void diag_detail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("detail", LOC_NONE, fmt, ap);
	va_end(ap);
}

void diag_hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("hint", LOC_NONE, fmt, ap);
	va_end(ap);
}

void diag_info(const char *fmt, ...)
{
	va_list ap;

	if (diag_quiet || diag_muted)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
