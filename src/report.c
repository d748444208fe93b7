/*
 * report: what import and check say at the end of a run — the table of
 * counts, how each sheet was read, and the --report JSON; see
 * include/blendcat/import_internal.h.
 */
#include "blendcat/import_internal.h"
#include "blendcat/buf.h"
#include "blendcat/diag.h"
#include "blendcat/rejects.h"
#include "blendcat/sheet.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* How the sheet of input i was read, in words: the dialect, a workbook's sheet. */
static void sheet_describe(const struct run *r, size_t i, struct buf *out)
{
	struct sheet_dialect d = r->in[i].dialect;

	if (!r->in[i].sheet) {
		sheet_dialect_describe(&d, out);
		return;
	}
	d.header = 1;
	sheet_dialect_describe(&d, out);
	buf_addf(out, ", sheet '%s'%s", r->in[i].sheet, r->in[i].dialect.header ? "" : ", no header");
}

/*
 * How each sheet was read: "sheets": [{"path": ..., "delimiter": ";",
 * ...}]; a workbook's: {"path", "format", "sheet", "header", "dialect"}.
 */
static void sheets_json(const struct run *r, struct buf *b)
{
	size_t i, n = 0;

	buf_adds(b, ", \"sheets\": [");
	for (i = 0; i < r->nin; i++) {
		const struct sheet_dialect *d = &r->in[i].dialect;
		char delim[2] = { (char)d->delim, '\0' }, tmp[8];
		struct buf desc = BUF_INIT;

		if (!r->in[i].sheet_read)
			continue;
		buf_adds(b, n++ ? ", {\"path\": " : "{\"path\": ");
		buf_add_json_str(b, r->in[i].path);
		if (d->format != SHEET_DELIMITED) {
			buf_addf(b, ", \"format\": \"%s\", \"sheet\": ",
				 d->format == SHEET_XLSX ? "xlsx" : "ods");
			buf_add_json_str(b, r->in[i].sheet);
			buf_addf(b, ", \"header\": %s, \"dialect\": ", d->header ? "true" : "false");
			sheet_describe(r, i, &desc);
			buf_add_json_str(b, desc.data);
			buf_release(&desc);
			buf_adds(b, "}");
			continue;
		}
		buf_adds(b, ", \"delimiter\": ");
		buf_add_json_str(b, delim);
		buf_addf(b, ", \"delimiter_name\": \"%s\", \"delimiter_given\": %s, \"encoding\": ",
			 sheet_delim_name(d->delim, tmp), d->delim_given ? "true" : "false");
		buf_add_json_str(b, d->encoding);
		buf_addf(b, ", \"bom\": %s, \"line_end\": \"%s\", \"decimal_comma\": %s, "
			 "\"header\": %s, \"dialect\": ", d->bom ? "true" : "false",
			 d->crlf ? "CRLF" : "LF", d->decimal_comma ? "true" : "false",
			 d->header ? "true" : "false");
		sheet_describe(r, i, &desc);
		buf_add_json_str(b, desc.data);
		buf_release(&desc);
		buf_adds(b, ", \"format\": \"text\"}");
	}
	buf_adds(b, "]");
}

/* Sheets shown one a line in the report; past this, counted. */
#define SHEETS_SHOWN 10

void report_sheets(const struct run *r)
{
	struct buf desc = BUF_INIT;
	size_t i, n = 0;

	for (i = 0; i < r->nin; i++) {
		if (!r->in[i].sheet_read)
			continue;
		if (++n > SHEETS_SHOWN)
			continue;
		buf_reset(&desc);
		sheet_describe(r, i, &desc);
		fprintf(stderr, "sheet %s: %s\n", r->in[i].path, desc.data);
	}
	if (n > SHEETS_SHOWN)
		fprintf(stderr, "... and %zu more sheets (--report lists each)\n", n - SHEETS_SHOWN);
	buf_release(&desc);
}

void report_counts_json(const struct run *r, struct buf *b, int status_ok)
{
	int k;

	buf_adds(b, "{\"tables\": {");
	for (k = 0; k < REC_NKINDS; k++) {
		const struct load_counts *c = &r->totals[k];

		buf_addf(b, "%s\"%s\": {\"read\": %lu, \"inserted\": %lu, \"updated\": %lu, "
			 "\"unchanged\": %lu, \"replaced\": %lu, \"deleted\": %lu, \"rejected\": %lu}",
			 k ? ", " : "", rec_kinds[k].table, c->staged, c->inserted, c->updated,
			 c->unchanged, c->replaced, c->deleted, c->rejected);
	}
	buf_addf(b, "}, \"tracks\": {\"inserted\": %lu, \"updated\": %lu, \"unchanged\": %lu, "
		 "\"deleted\": %lu, \"rejected\": %lu}", r->tracks.inserted, r->tracks.updated,
		 r->tracks.unchanged, r->tracks.deleted, r->tracks.rejected);
	buf_addf(b, ", \"audio_files_read\": %lu, \"unchanged_files\": %lu, "
		 "\"unchanged_rejected_files\": %lu, \"gone_files\": %lu", r->audio_read, r->unchanged,
		 r->unchanged_rejected, r->gone);
	buf_addf(b, ", \"skipped_files\": %lu", r->skipped);
	buf_addf(b, ", \"files\": %zu, \"bad_files\": %lu, \"rows\": %lu, \"rejected_rows\": %lu, "
		 "\"warnings\": %lu, \"bytes\": %llu, \"seconds\": %.3f, \"ok\": %s",
		 r->files, r->bad_files, r->rows, r->rejected_rows, r->warnings, r->bytes, import_elapsed(r),
		 status_ok ? "true" : "false");
	if (r->rej.dir_made) {
		buf_adds(b, ", \"rejects_dir\": ");
		buf_add_json_str(b, r->rejects_dir);
	}
	sheets_json(r, b);
	buf_adds(b, "}");
}

void report_print(const struct run *r, int ok)
{
	double secs = import_elapsed(r);
	int k;

	if (diag_quiet)
		return;
	fprintf(stderr, "%-18s %9s %9s %9s %9s %9s %9s\n", r->loading ? "table" : "file kind",
		"read", "inserted", "updated", "unchanged", "replaced", "rejected");
	for (k = 0; k < REC_NKINDS && r->loading; k++) {
		const struct load_counts *c = &r->totals[k];
		char upd[24], rep[24];

		snprintf(upd, sizeof(upd), k ? "-" : "%lu", c->updated);
		snprintf(rep, sizeof(rep), k ? "%lu" : "-", c->replaced);
		fprintf(stderr, "%-18s %9lu %9lu %9s %9lu %9s %9lu\n", rec_kinds[k].table,
			c->staged, c->inserted, upd, c->unchanged, rep, c->rejected);
	}
	fprintf(stderr, "%lu rows from %zu files (%.1f MB) in %.2f s, %.0f rows/s; %lu rejected%s%s\n",
		r->rows, r->files, (double)r->bytes / 1e6, secs, secs > 0 ? (double)r->rows / secs : 0.0,
		r->rejected_rows, r->rej.dir_made ? ", see " : "",
		r->rej.dir_made ? r->rejects_dir : "");
	report_sheets(r);
	if (r->loading)
		fprintf(stderr, "tracks: %lu inserted, %lu updated, %lu unchanged, %lu deleted, "
			"%lu rejected\n", r->tracks.inserted, r->tracks.updated, r->tracks.unchanged,
			r->tracks.deleted, r->tracks.rejected);
	if (r->loading && r->totals[REC_TRACK].deleted)
		fprintf(stderr, "%lu track%s taken down: deleted with their children\n",
			r->totals[REC_TRACK].deleted, r->totals[REC_TRACK].deleted == 1 ? "" : "s");
	if (r->warnings > WARNINGS_SHOWN)
		fprintf(stderr, "%lu warnings about kept values, %d shown\n", r->warnings, WARNINGS_SHOWN);
	if (r->o->incremental)
		fprintf(stderr, "%lu audio files read; %lu unchanged and skipped (%lu of them "
			"rejected when last read); %lu gone since the last run\n", r->audio_read,
			r->unchanged, r->unchanged_rejected, r->gone);
	if (!ok && r->committed)
		fprintf(stderr, "%zu file%s committed; the rest was rolled back\n", r->committed,
			r->committed == 1 ? " was" : "s were");
	else if (!ok)
		fprintf(stderr, "nothing was loaded: the run was rolled back\n");
	else if (r->o->check_only)
		fprintf(stderr, "check --diff: rolled back, the catalog is as it was\n");
}

int report_write(const struct run *r, int ok)
{
	struct buf b = BUF_INIT;
	int fd, rc = 0;

	if (!r->o->report_path)
		return 0;
	report_counts_json(r, &b, ok);
	buf_addch(&b, '\n');
	fd = open(r->o->report_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || rejects_private(fd) < 0 || write(fd, b.data, b.len) != (ssize_t)b.len)
		rc = diag_error(LOC_NONE, "cannot write report '%s': %s", r->o->report_path,
				strerror(errno));
	if (fd >= 0)
		close(fd);
	buf_release(&b);
	return rc;
}

