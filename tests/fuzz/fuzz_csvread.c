/*
 * Fuzz target: the CSV reader.  Any bytes, any chunking (from the first
 * byte), optionally Latin-1; the rows' raw bytes must add up to the input
 * exactly, and every field must be NUL-terminated at its length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blendcat/buf.h"
#include "blendcat/csvread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	struct buf raw;
	int cut;
};

static int on_row(const struct csvread_row *row, void *ctx)
{
	struct seen *s = ctx;
	size_t i;

	if (row->error.code == CSVREAD_ETOOLONG)
		s->cut = 1;
	buf_add(&s->raw, row->raw, row->raw_len);
	for (i = 0; i < row->nfields; i++)
		if (row->fields[i].data[row->fields[i].len] != '\0')
			abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csvread r;
	struct seen s;
	size_t chunk, off;
	int latin1;

	if (size < 1)
		return 0;
	chunk = (size_t)(data[0] & 0x3f) + 1;
	latin1 = data[0] & 0x40;
	data++;
	size--;
	buf_init(&s.raw);
	s.cut = 0;
	csvread_init(&r, on_row, &s);
	csvread_set_keep_blank(&r, 1);
	csvread_set_max_row(&r, 4096);
	if (latin1)
		csvread_set_encoding(&r, "LATIN1");
	for (off = 0; off < size; off += chunk)
		if (csvread_feed(&r, data + off, size - off < chunk ? size - off : chunk) < 0)
			break;
	csvread_finish(&r);
	/* The BOM (when stripped) plus every row's raw bytes is the input. */
	if (!s.cut && r.error.code != CSVREAD_EUSAGE) {
		size_t bom = r.bom ? 3 : 0;

		if (s.raw.len + bom != size || memcmp(s.raw.data, data + bom, s.raw.len) != 0)
			abort();
	}
	csvread_release(&r);
	buf_release(&s.raw);
	return 0;
}
