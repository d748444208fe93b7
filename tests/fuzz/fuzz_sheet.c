/*
 * Fuzz target: sheets of any dialect (sheet.c).  The first byte picks the
 * options (--encoding none, UTF-16LE, UTF-16BE or LATIN1; a --delimiter or
 * sniffing; a small row limit); the rest is the file.  Rows must come in
 * order inside the file without overlapping, every cell must be
 * NUL-terminated, a sniffed separator must be one of , ; TAB |, and the
 * first row's head must be the file's first bytes when nothing precedes
 * or spoils it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blendcat/diag.h"
#include "blendcat/sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	const uint8_t *data;
	size_t size;
	unsigned long long end;
};

static int on_row(const struct sheet_row *row, void *ctx)
{
	struct seen *s = ctx;
	size_t i;

	if (row->off < s->end || row->off + row->len > s->size)
		abort();
	s->end = row->off + row->len;
	for (i = 0; i < row->ncells; i++)
		if (row->cells[i].data[row->cells[i].len] != '\0')
			abort();
	if ((row->index == 0) != (row->head != NULL))
		abort();
	if (row->head && !row->error && row->head_len <= s->size &&
	    row->off == (unsigned long long)(row->dialect->bom ? (row->dialect->charset == SHEET_UTF8 ? 3 : 2) : 0) &&
	    row->dialect->charset != SHEET_ICONV && memcmp(row->head, s->data, row->head_len) != 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const encodings[] = { NULL, "UTF-16LE", "UTF-16BE", "LATIN1" };
	static const int delims[] = { 0, 0, 0, 0, ',', ';', '\t', ':' };
	struct sheet_opts o;
	struct sheet_stats st;
	struct seen s;
	FILE *fp;

	if (size < 2)
		return 0;
	diag_muted = 1;
	memset(&o, 0, sizeof(o));
	o.encoding = encodings[data[0] & 3];
	o.delim = delims[(data[0] >> 2) & 7];
	o.max_row = data[0] & 0x20 ? 64 : 0;
	o.no_header = (data[0] >> 6) & 1;
	data++;
	size--;
	s.data = data;
	s.size = size;
	s.end = 0;
	fp = fmemopen((void *)data, size, "rb");
	if (!fp)
		return 0;
	sheet_read_fp(fp, "fuzz", &o, on_row, &s, &st);
	fclose(fp);
	if (!o.delim && st.dialect.encoding && !strchr(",;\t|", st.dialect.delim))
		abort();
	return 0;
}
