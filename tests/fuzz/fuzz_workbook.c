/*
 * Fuzz target: the workbook reader, zip layer and all.  The input is a
 * whole .xlsx or .ods file, opened from memory.  Nothing may crash, leak
 * or read out of bounds, and the contract of workbook.h holds: rows come
 * in increasing order, each row's cells by increasing column within the
 * limits, every text NUL-terminated at its length; a refusal says why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blendcat/workbook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read every row of an opened workbook, checking the contract. */
void fuzz_workbook_rows(struct workbook *wb);

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
	return 0;
}
#endif
