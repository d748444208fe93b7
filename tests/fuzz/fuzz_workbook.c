/*
 * Fuzz target: the workbook reader, zip layer and all.  The input is a
 * whole .xlsx or .ods file, opened from memory.  Nothing may crash, leak
 * or read out of bounds, and the contract of workbook.h holds: rows come
 * in increasing order, each row's cells by increasing column within the
 * limits, every text NUL-terminated at its length; a refusal says why.
 * Then the same workbook read as a sheet (workbook_read_sheet_wb): rows
 * in order, each at least as wide as the first, an error naming a cell of
 * its row, rows kept for the rejects as CSV.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blendcat/diag.h"
#include "blendcat/sheet.h"
#include "blendcat/workbook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read every row of an opened workbook, checking the contract. */
void fuzz_workbook_rows(struct workbook *wb);
/* Read the workbook in data as a sheet (sheet.h), checking the contract. */
void fuzz_workbook_sheet(const void *data, size_t size, const struct workbook_opts *o);

void fuzz_workbook_rows(struct workbook *wb)
{
	const struct workbook_row *row;
	unsigned long last = 0;
	int rc;

	while ((rc = workbook_next_row(wb, &row)) == 1) {
		unsigned long col = 0;
		size_t i;

		if (row->row <= last || row->row > WORKBOOK_MAX_ROWS || !row->ncells)
			abort();
		last = row->row;
		for (i = 0; i < row->ncells; i++) {
			const struct workbook_cell *c = &row->cells[i];

			if (c->col <= col || c->col > WORKBOOK_MAX_COLS || !c->text ||
			    c->text[c->len] != '\0' || c->type > WORKBOOK_ERROR)
				abort();
			col = c->col;
		}
	}
	if (rc < 0 && !workbook_error(wb)->msg[0])
		abort();
}

struct sheet_seen {
	unsigned long line, rows;
	size_t width;
};

static int on_sheet_row(const struct sheet_row *row, void *ctx)
{
	struct sheet_seen *s = ctx;
	unsigned long long off, len;
	int errors = 0;
	size_t i;

	if (row->index != s->rows++ || (row->index && row->line <= s->line) || !row->sheet ||
	    (row->index == 0) != (row->head != NULL) || (row->error != NULL) != (row->error_col >= 0) ||
	    row->error_col >= (long)row->ncells || (row->index && row->ncells < s->width))
		abort();
	if (row->index == 0)
		s->width = row->ncells;
	s->line = row->line;
	for (i = 0; i < row->ncells; i++) {
		const struct sheet_cell *c = &row->cells[i];

		if (c->data[c->len] != '\0' || (c->is_null && c->len) || c->type > SHEET_ERROR)
			abort();
		errors |= c->type == SHEET_ERROR;
	}
	if (errors != row->cell_errors || (row->index % 3 == 1 && sheet_row_keep(row, &off, &len) < 0))
		abort();
	return 0;
}

void fuzz_workbook_sheet(const void *data, size_t size, const struct workbook_opts *o)
{
	static FILE *spool;
	struct workbook_error err;
	struct workbook *wb;
	struct sheet_opts so;
	struct sheet_stats st;
	struct sheet_seen seen;

	if (!spool && !(spool = fopen("/dev/null", "w")))
		abort();
	if (workbook_open_mem(data, size, o, &wb, &err) < 0)
		return;
	diag_muted = 1;
	memset(&so, 0, sizeof(so));
	memset(&seen, 0, sizeof(seen));
	so.spool = spool;
	so.no_header = size & 1;
	memset(&st, 0, sizeof(st));
	workbook_read_sheet_wb(wb, "fuzz.xlsx", &so, on_sheet_row, &seen, &st);
	if (st.rows != seen.rows)
		abort();
	sheet_stats_release(&st);
	workbook_close(wb);
}

#ifndef FUZZ_WORKBOOK_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct workbook_opts o;
	struct workbook_error err;
	struct workbook *wb;

	memset(&o, 0, sizeof(o));
	o.max_bytes = 64u << 20;	/* keep each run short */
	if (workbook_open_mem(data, size, &o, &wb, &err) < 0) {
		if (!err.msg[0])
			abort();
		return 0;
	}
	fuzz_workbook_rows(wb);
	workbook_close(wb);
	fuzz_workbook_sheet(data, size, &o);
	return 0;
}
#endif
