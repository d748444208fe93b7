/*
 * Fuzz target: --map files with joins, numbered column groups (KIND.FIELD
 * = pattern_#) and flags (Pat? VALUE | ...), then a sheet read through the
 * map.  The input is the map text, a NUL byte, then the sheet (a first
 * byte 0x01 there means --no-header); without a NUL it is all map.  Every record handed over must be complete: its
 * audio_filename set, its kind's NOT NULL fields given a value.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blendcat/csvman.h"
#include "blendcat/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_header(void *ctx, int file_no, enum rec_kind kind, const char *raw, size_t len)
{
	(void)ctx;
	(void)file_no;
	(void)kind;
	(void)raw;
	(void)len;
	return 0;
}

static int on_record(void *ctx, const struct rec *r, const struct rec_prov *p)
{
	size_t i;

	(void)ctx;
	(void)p;
	if (!rec_get(r, 0))
		abort();
	for (i = 0; i < rec_kinds[r->kind].nfields; i++)
		if ((rec_kinds[r->kind].fields[i].flags & RF_NOTNULL) && rec_given(r, (int)i) &&
		    !rec_get(r, (int)i))
			abort();
	return 0;
}

static int on_reject(void *ctx, const struct rec_prov *p, const char *af, const char *field,
		     const char *value, const char *reason)
{
	(void)ctx;
	(void)p;
	(void)af;
	(void)field;
	(void)value;
	if (!reason)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t mlen = nul ? (size_t)(nul - data) : size;
	struct csvman_map map = CSVMAN_MAP_INIT;
	struct csvman_sink sink = { { on_record, on_reject, NULL, NULL }, on_header };
	struct csvman_opts o;
	struct csvman_stats st;
	FILE *fp;

	diag_muted = 1;
	if (csvman_map_parse((const char *)data, mlen, "fuzz.map", &map) == 0 && nul &&
	    size - mlen > 1) {
		const uint8_t *sheet = nul + 1;
		size_t slen = size - mlen - 1;

		memset(&o, 0, sizeof(o));
		o.map = &map;
		if (sheet[0] == 0x01 && slen > 1) {
			o.no_header = 1;
			sheet++;
			slen--;
		}
		fp = fmemopen((void *)sheet, slen, "rb");
		if (fp) {
			csvman_read_fp(fp, "fuzz.csv", 0, &o, &sink, &st);
			fclose(fp);
		}
	}
	csvman_map_release(&map);
	return 0;
}
