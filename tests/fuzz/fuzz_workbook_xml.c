/*
 * Fuzz target: the XML parts of workbooks, without the zip layer in the
 * way.  The input is split at "\n--\n" into parts, zipped in memory
 * (tests/unit/zipmem.h) and read as a workbook: with its first byte even,
 * an .xlsx (sheet1.xml, sharedStrings.xml, styles.xml, workbook.xml, its
 * relationships; a part not given is a plain one), else an .ods
 * (content.xml, META-INF/manifest.xml).  The checks are fuzz_workbook's.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blendcat/workbook.h"
#include "../unit/zipmem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void fuzz_workbook_rows(struct workbook *wb);
void fuzz_workbook_sheet(const void *data, size_t size, const struct workbook_opts *o);

#define FUZZ_WORKBOOK_NO_MAIN
#include "fuzz_workbook.c"

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
	   "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

static const char *const xlsx_names[] = {
	"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml",
	"xl/_rels/workbook.xml.rels",
};
static const char *const xlsx_plain[] = {
	"<worksheet " NS "><sheetData/></worksheet>",
	"<sst " NS "/>",
	"<styleSheet " NS "/>",
	"<workbook " NS "><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>",
};
static const char *const ods_names[] = { "content.xml", "META-INF/manifest.xml" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zipmem_entry e[6];
	struct workbook_opts o;
	struct workbook_error err;
	struct workbook *wb;
	const char *p, *end;
	unsigned char *zip;
	size_t n = 0, zsize, i, max;
	int ods;

	if (size < 1)
		return 0;
	ods = data[0] & 1;
	p = (const char *)data + 1;
	end = (const char *)data + size;
	max = ods ? 2 : 5;
	if (ods)
		e[n++] = (struct zipmem_entry){ "mimetype",
			"application/vnd.oasis.opendocument.spreadsheet", (size_t)-1, 1 };
	for (i = 0; i < max; i++) {
		const char *sep = p < end ? memmem(p, (size_t)(end - p), "\n--\n", 4) : NULL;
		const char *stop = sep ? sep : end;

		if (p < end)
			e[n++] = (struct zipmem_entry){ ods ? ods_names[i] : xlsx_names[i], p,
							(size_t)(stop - p), 0 };
		else if (!ods)
			e[n++] = (struct zipmem_entry){ xlsx_names[i], xlsx_plain[i], (size_t)-1, 0 };
		p = sep ? sep + 4 : end;
	}
	zip = zipmem(e, n, &zsize);
	if (!zip)
		return 0;
	memset(&o, 0, sizeof(o));
	o.max_bytes = 64u << 20;
	if (workbook_open_mem(zip, zsize, &o, &wb, &err) == 0) {
		fuzz_workbook_rows(wb);
		workbook_close(wb);
		fuzz_workbook_sheet(zip, zsize, &o);
	} else if (!err.msg[0]) {
		abort();
	}
	free(zip);
	return 0;
}
