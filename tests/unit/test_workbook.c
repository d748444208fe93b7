/*
 * Unit tests for workbook: serial dates, number text, format codes, cell
 * references, then whole .xlsx and .ods archives written in memory
 * (zipmem.h): values of every type, sheets chosen and hidden, rows that
 * span the reader's chunks, repeats, and hostile archives refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blendcat/buf.h"
#include "blendcat/workbook.h"
#include "zipmem.h"

/* ------------------------------------------------------- pure helpers */

static void test_serial_date(void **state)
{
	static const struct {
		double serial;
		int date1904;
		const char *want;	/* NULL: refused */
	} cases[] = {
		{ 1, 0, "1900-01-01" },
		{ 59, 0, "1900-02-28" },
		{ 60, 0, NULL },		/* Excel's 1900-02-29 */
		{ 61, 0, "1900-03-01" },
		{ 0, 0, NULL },			/* 1900-01-00 */
		{ 45306, 0, "2024-01-15" },
		{ 45306.75, 0, "2024-01-15 18:00:00" },
		{ 45306.99998, 0, "2024-01-15 23:59:58" },
		{ 45306.9999999, 0, "2024-01-16" },	/* rounds to the next midnight */
		{ 36526, 0, "2000-01-01" },
		{ 2958465, 0, "9999-12-31" },
		{ 2958466, 0, NULL },
		{ -1, 0, NULL },
		{ 0, 1, "1904-01-01" },
		{ 43844, 1, "2024-01-15" },	/* 1462 days less than in 1900 */
		{ 1, 1, "1904-01-02" },
		{ 2957003, 1, "9999-12-31" },
		{ 2957004, 1, NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[WORKBOOK_DATE_SIZE] = "", why[128] = "";
		int rc = workbook_serial_date(cases[i].serial, cases[i].date1904, out, why);

		if (cases[i].want && (rc != 0 || strcmp(out, cases[i].want) != 0))
			fail_msg("%.15g (%s): got '%s' (%s), expected %s", cases[i].serial,
				 cases[i].date1904 ? "1904" : "1900", out, why, cases[i].want);
		if (!cases[i].want && (rc != -1 || !why[0]))
			fail_msg("%.15g: got '%s', expected a refusal", cases[i].serial, out);
	}
}

static void test_number_text(void **state)
{
	static const struct {
		double v;
		const char *want;
	} cases[] = {
		{ 120.5, "120.5" },
		{ 120, "120" },
		{ 0.1 + 0.2, "0.3" },
		{ -0.5, "-0.5" },
		{ 0, "0" },
		{ -0.0, "0" },
		{ 45306, "45306" },
		{ 1.0 / 3, "0.333333333333333" },
		{ 2.0 / 3, "0.666666666666667" },
		{ 100.25, "100.25" },
		{ 1e20, "100000000000000000000" },
		{ 1e21, "1e+21" },
		{ 123456789012345678.0, "123456789012346000" },
		{ 5012345678900.0, "5012345678900" },
		{ 0.000001, "0.000001" },
		{ 1.5e-7, "1.5e-07" },
		{ 0.00012, "0.00012" },
		{ 99.99, "99.99" },
		{ -1234.5678, "-1234.5678" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[WORKBOOK_NUMBER_SIZE];
		size_t n = workbook_number_text(cases[i].v, out);

		if (strcmp(out, cases[i].want) != 0 || n != strlen(out))
			fail_msg("%.17g: got '%s', expected '%s'", cases[i].v, out, cases[i].want);
	}
}

static void test_durations(void **state)
{
	static const struct {
		double days;
		long long want;
	} days[] = {
		{ 185.0 / 86400, 185 },
		{ 3.0 / 24 + 5.0 / 1440, 11100 },
		{ 0.5 / 86400, 1 },		/* half a second rounds up */
		{ 0.4999 / 86400, 0 },
		{ 1.5, 129600 },		/* [h]:mm:ss past a day */
		{ 0, 0 },
		{ -1.0 / 86400, -1 },
	};
	static const struct {
		const char *iso;
		long long want;
	} iso[] = {
		{ "PT03H05M00S", 11100 },
		{ "PT3M5S", 185 },
		{ "PT0.5S", 1 },
		{ "PT00H00M01.49S", 1 },
		{ "P1DT2H", 93600 },
		{ "PT1H", 3600 },
		{ "P0D", 0 },
		{ "P1Y", -1 },
		{ "PT", -1 },
		{ "", -1 },
		{ "-PT1H", -1 },
		{ "PT5", -1 },
		{ "T1H", -1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(days) / sizeof(days[0]); i++)
		if (workbook_day_seconds(days[i].days) != days[i].want)
			fail_msg("%.17g days: got %lld, expected %lld", days[i].days,
				 workbook_day_seconds(days[i].days), days[i].want);
	for (i = 0; i < sizeof(iso) / sizeof(iso[0]); i++)
		if (workbook_iso_duration(iso[i].iso) != iso[i].want)
			fail_msg("'%s': got %lld, expected %lld", iso[i].iso,
				 workbook_iso_duration(iso[i].iso), iso[i].want);
}

static void test_format_kind(void **state)
{
	static const struct {
		const char *code;
		enum workbook_fmt want;
	} cases[] = {
		{ "yyyy-mm-dd", WORKBOOK_FMT_DATE },
		{ "m/d/yy", WORKBOOK_FMT_DATE },
		{ "dd/mm/yyyy hh:mm", WORKBOOK_FMT_DATE },
		{ "mmm-yy", WORKBOOK_FMT_DATE },
		{ "m", WORKBOOK_FMT_DATE },			/* a month alone */
		{ "[$-409]mmmm d, yyyy;@", WORKBOOK_FMT_DATE },
		{ "DD.MM.YYYY", WORKBOOK_FMT_DATE },
		{ "[h]:mm:ss", WORKBOOK_FMT_TIME },
		{ "[mm]:ss", WORKBOOK_FMT_TIME },
		{ "mm:ss", WORKBOOK_FMT_TIME },		/* minutes: before seconds */
		{ "h:mm", WORKBOOK_FMT_TIME },		/* minutes: after hours */
		{ "h:mm AM/PM", WORKBOOK_FMT_TIME },
		{ "General", WORKBOOK_FMT_NUMBER },
		{ "0.00", WORKBOOK_FMT_NUMBER },
		{ "0.00E+00", WORKBOOK_FMT_NUMBER },
		{ "#,##0 \"days\"", WORKBOOK_FMT_NUMBER },	/* quoted text */
		{ "0\\h", WORKBOOK_FMT_NUMBER },		/* escaped */
		{ "[Red]0.00;[Blue]-0.00", WORKBOOK_FMT_NUMBER },
		{ "0_);(0)", WORKBOOK_FMT_NUMBER },
		{ "@", WORKBOOK_FMT_NUMBER },
		{ "0;\"yyyy\"", WORKBOOK_FMT_NUMBER },	/* only the first section */
		{ "", WORKBOOK_FMT_NUMBER },
	};
	static const struct {
		unsigned long id;
		enum workbook_fmt want;
	} builtin[] = {
		{ 0, WORKBOOK_FMT_NUMBER }, { 2, WORKBOOK_FMT_NUMBER }, { 14, WORKBOOK_FMT_DATE },
		{ 17, WORKBOOK_FMT_DATE }, { 18, WORKBOOK_FMT_TIME }, { 21, WORKBOOK_FMT_TIME },
		{ 22, WORKBOOK_FMT_DATE }, { 45, WORKBOOK_FMT_TIME }, { 46, WORKBOOK_FMT_TIME },
		{ 47, WORKBOOK_FMT_TIME }, { 49, WORKBOOK_FMT_NUMBER }, { 164, WORKBOOK_FMT_NUMBER },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (workbook_format_kind(cases[i].code) != cases[i].want)
			fail_msg("'%s': got %d, expected %d", cases[i].code,
				 (int)workbook_format_kind(cases[i].code), (int)cases[i].want);
	for (i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
		if (workbook_builtin_kind(builtin[i].id) != builtin[i].want)
			fail_msg("format %lu: got %d", builtin[i].id,
				 (int)workbook_builtin_kind(builtin[i].id));
}

static void test_cell_ref(void **state)
{
	static const struct {
		const char *sheet;
		unsigned long row, col;
		const char *want;
	} cases[] = {
		{ "Tracks", 12, 3, "Tracks!C12" },
		{ "Tracks", 12, 0, "Tracks!12" },
		{ "Track List", 1, 28, "'Track List'!AB1" },
		{ "O'Brien", 2, 1, "'O''Brien'!A2" },
		{ "2024", 1, 26, "'2024'!Z1" },
		{ "Лист1", 5, 16384, "Лист1!XFD5" },
		{ "a.b_c", 1048576, 702, "a.b_c!ZZ1048576" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;

		workbook_cell_ref(&b, cases[i].sheet, cases[i].row, cases[i].col);
		if (strcmp(b.data, cases[i].want) != 0)
			fail_msg("got '%s', expected '%s'", b.data, cases[i].want);
		buf_release(&b);
	}
	assert_int_equal(workbook_col_number("A", 1), 1);
	assert_int_equal(workbook_col_number("z", 1), 26);
	assert_int_equal(workbook_col_number("AA", 2), 27);
	assert_int_equal(workbook_col_number("XFD", 3), 16384);
	assert_int_equal(workbook_col_number("", 0), 0);
	assert_int_equal(workbook_col_number("A1", 2), 0);
}

/* ------------------------------------------------------------ archives */

#define XML "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_MAIN "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
		"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char wb_rels[] = XML
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"" REL "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"" REL "worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"" REL "styles\" Target=\"styles.xml\"/>"
	"<Relationship Id=\"rId4\" Type=\"" REL "sharedStrings\" Target=\"sharedStrings.xml\"/>"
	"</Relationships>";

static const char styles[] = XML
	"<styleSheet " NS_MAIN "><numFmts count=\"2\">"
	"<numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/>"
	"<numFmt numFmtId=\"165\" formatCode=\"&quot;took &quot;[h]:mm:ss\"/></numFmts>"
	"<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
	"<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
	"<xf numFmtId=\"14\"/><xf numFmtId=\"2\"/></cellXfs></styleSheet>";

static const char sst[] = XML
	"<sst " NS_MAIN " count=\"4\" uniqueCount=\"4\">"
	"<si><t>audio_filename</t></si>"
	"<si><r><t>Rich </t></r><r><rPr><b/></rPr><t>Text</t></r>"
	"<rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si>"
	"<si><t xml:space=\"preserve\"> R&amp;B_x000D_ </t></si>"
	"<si><t/></si></sst>";

struct xlsx {
	const char *workbook;	/* the <sheets> and workbookPr, inside <workbook> */
	const char *sheet1, *sheet2;	/* inside <sheetData> */
};

static unsigned char *make_xlsx(const struct xlsx *x, size_t *size)
{
	struct buf wbx = BUF_INIT, s1 = BUF_INIT, s2 = BUF_INIT;
	struct zipmem_entry e[6];
	unsigned char *out;

	buf_addf(&wbx, XML "<workbook %s>%s</workbook>", NS_MAIN, x->workbook);
	buf_addf(&s1, XML "<worksheet %s><sheetData>%s</sheetData></worksheet>", NS_MAIN, x->sheet1);
	buf_addf(&s2, XML "<worksheet %s><sheetData>%s</sheetData></worksheet>", NS_MAIN,
		 x->sheet2 ? x->sheet2 : "");
	e[0] = (struct zipmem_entry){ "xl/workbook.xml", wbx.data, wbx.len, 0 };
	e[1] = (struct zipmem_entry){ "xl/_rels/workbook.xml.rels", wb_rels, (size_t)-1, 0 };
	e[2] = (struct zipmem_entry){ "xl/styles.xml", styles, (size_t)-1, 0 };
	e[3] = (struct zipmem_entry){ "xl/sharedStrings.xml", sst, (size_t)-1, 0 };
	e[4] = (struct zipmem_entry){ "xl/worksheets/sheet1.xml", s1.data, s1.len, 0 };
	e[5] = (struct zipmem_entry){ "xl/worksheets/sheet2.xml", s2.data, s2.len, 0 };
	out = zipmem(e, 6, size);
	buf_release(&wbx);
	buf_release(&s1);
	buf_release(&s2);
	assert_non_null(out);
	return out;
}

/*
 * Every row of the archive as text, one line per row:
 * "12: C=n:120.5 D=d:2024-01-15", then "END" or "ERROR code where: msg".
 */
static char *dump(const unsigned char *data, size_t size, const char *sheet,
		  const struct workbook_opts *opts)
{
	static const char types[] = "esnbdtx";
	struct workbook_opts o;
	struct workbook_error err;
	struct workbook *wb;
	const struct workbook_row *row;
	struct buf b = BUF_INIT;
	int rc;

	memset(&o, 0, sizeof(o));
	if (opts)
		o = *opts;
	o.sheet = sheet;
	if (workbook_open_mem(data, size, &o, &wb, &err) < 0) {
		buf_addf(&b, "OPEN %d %s: %s", (int)err.code, err.where, err.msg);
		return buf_detach(&b, NULL);
	}
	buf_addf(&b, "[%s]\n", workbook_sheet(wb));
	while ((rc = workbook_next_row(wb, &row)) == 1) {
		size_t i;

		buf_addf(&b, "%lu:", row->row);
		for (i = 0; i < row->ncells; i++) {
			struct buf ref = BUF_INIT;

			workbook_cell_ref(&ref, "s", 1, row->cells[i].col);
			buf_addf(&b, " %.*s=%c:%s", (int)(ref.len - 3), ref.data + 2,
				 types[row->cells[i].type], row->cells[i].text);
			assert_int_equal(strlen(row->cells[i].text), row->cells[i].len);
			buf_release(&ref);
		}
		buf_addch(&b, '\n');
	}
	if (rc < 0)
		buf_addf(&b, "ERROR %d %s: %s", (int)workbook_error(wb)->code,
			 workbook_error(wb)->where, workbook_error(wb)->msg);
	else
		buf_adds(&b, "END");
	workbook_close(wb);
	return buf_detach(&b, NULL);
}

/* The rows, read with the reader thread and without: the same. */
static void expect_dump(const unsigned char *data, size_t size, const char *sheet,
			const char *want)
{
	struct workbook_opts o;
	char *got = dump(data, size, sheet, NULL);

	if (strcmp(got, want) != 0)
		fail_msg("got:\n%s\nexpected:\n%s", got, want);
	free(got);
	memset(&o, 0, sizeof(o));
	o.no_thread = 1;
	got = dump(data, size, sheet, &o);
	if (strcmp(got, want) != 0)
		fail_msg("without the reader thread, got:\n%s\nexpected:\n%s", got, want);
	free(got);
}

static const char two_sheets[] =
	"<workbookPr/><sheets><sheet name=\"Tracks\" sheetId=\"1\" r:id=\"rId1\"/>"
	"<sheet name=\"R&amp;D\" sheetId=\"2\" r:id=\"rId2\"/></sheets>";

static void test_xlsx_values(void **state)
{
	struct xlsx x = {
		two_sheets,
		"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c></row>"
		"<row r=\"3\" spans=\"1:9\">"
		"<c r=\"A3\" t=\"inlineStr\"><is><t>a_x005F_x000D_.wav</t></is></c>"
		"<c r=\"B3\"><v>120.5</v></c>"
		"<c r=\"C3\" s=\"1\"><v>45306</v></c>"
		"<c r=\"D3\" s=\"2\"><v>2.1412037037037038E-3</v></c>"
		"<c r=\"E3\" t=\"b\"><v>1</v></c>"
		"<c r=\"F3\" t=\"b\"><v>0</v></c>"
		"<c r=\"G3\" t=\"s\"><v>2</v></c>"
		"<c r=\"H3\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c>"
		"<c r=\"I3\" s=\"3\"><v>45306.75</v></c>"
		"</row>"
		"<row r=\"4\"><c r=\"A4\" s=\"4\"/><c r=\"B4\"><f>A4*2</f></c>"
		"<c r=\"C4\" t=\"str\"><f>A1</f><v>x</v></c><c t=\"s\"><v>3</v></c>"
		"<c r=\"E4\" t=\"d\"><v>2024-02-01T00:00:00Z</v></c><c><v>1E-3</v></c></row>"
		"<row r=\"5\"><c r=\"A5\" s=\"4\"/></row>"
		"<row><c r=\"B6\" t=\"s\"><v>9</v></c><c r=\"C6\" s=\"1\"><v>60</v></c></row>",
		NULL,
	};
	size_t size;
	unsigned char *data = make_xlsx(&x, &size);

	(void)state;
	expect_dump(data, size, NULL,
		    "[Tracks]\n"
		    "1: A=s:audio_filename C=s:Rich Text\n"
		    "3: A=s:a_x000D_.wav B=n:120.5 C=d:2024-01-15 D=t:185 E=b:true F=b:false "
		    "G=s: R&B\r  H=x:#DIV/0! I=d:2024-01-15 18:00:00\n"
		    "4: B=x:a formula without a saved value (save the workbook in a spreadsheet "
		    "application, which computes it) C=s:x D=e: E=d:2024-02-01 F=n:0.001\n"
		    "6: B=x:shared string '9' does not exist (4 strings) "
		    "C=x:date serial 60 is Excel's 1900-02-29, a day that never was\n"
		    "END");
	free(data);
}

static void test_xlsx_sheets(void **state)
{
	static const char hidden_first[] =
		"<sheets><sheet name=\"Notes\" sheetId=\"1\" state=\"hidden\" r:id=\"rId1\"/>"
		"<sheet name=\"R&amp;D\" sheetId=\"2\" r:id=\"rId2\"/></sheets>";
	struct xlsx x = { hidden_first, "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>",
			  "<row r=\"2\"><c r=\"B2\"><v>2</v></c></row>" };
	size_t size;
	unsigned char *data = make_xlsx(&x, &size);

	(void)state;
	expect_dump(data, size, NULL, "[R&D]\n2: B=n:2\nEND");
	expect_dump(data, size, "Notes", "[Notes]\n1: A=n:1\nEND");
	expect_dump(data, size, "notes", "[Notes]\n1: A=n:1\nEND");
	expect_dump(data, size, "r&d", "[R&D]\n2: B=n:2\nEND");
	expect_dump(data, size, "Credits", "OPEN 6 : no sheet 'Credits'; the sheets are "
		    "'Notes' (hidden), 'R&D'");
	free(data);

	x.workbook = "<sheets><sheet name=\"A\" sheetId=\"1\" state=\"hidden\" r:id=\"rId1\"/>"
		     "<sheet name=\"B\" sheetId=\"2\" state=\"veryHidden\" r:id=\"rId2\"/></sheets>";
	data = make_xlsx(&x, &size);
	expect_dump(data, size, NULL, "OPEN 6 : no visible worksheet; the sheets are "
		    "'A' (hidden), 'B' (hidden)");
	free(data);

	/* The 1904 date system */
	x.workbook = "<workbookPr date1904=\"1\"/><sheets>"
		     "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets>";
	x.sheet1 = "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>43844</v></c>"
		   "<c r=\"B1\" s=\"3\"><v>0</v></c></row>";
	data = make_xlsx(&x, &size);
	expect_dump(data, size, NULL, "[S]\n1: A=d:2024-01-15 B=d:1904-01-01\nEND");
	free(data);
}

static void test_xlsx_malformed(void **state)
{
	static const struct {
		const char *rows;
		const char *want;
	} cases[] = {
		{ "<row r=\"2\"/><row r=\"1\"/>", "ERROR 3 Tracks!1: row 1 comes after row 2" },
		{ "<row r=\"1\"><c r=\"B1\"/><c r=\"A1\"/></row>",
		  "ERROR 3 Tracks!A1: cell out of order (a cell on its left came before)" },
		{ "<row r=\"1\"><c r=\"A2\"/></row>",
		  "ERROR 3 Tracks!1: cell reference 'A2' in row 1" },
		{ "<row r=\"1\"><c r=\"XFE1\"/></row>",
		  "ERROR 3 Tracks!1: a cell past the last column (XFD)" },
		{ "<row r=\"1\"><c r=\"1A\"/></row>", "ERROR 3 Tracks!1: bad cell reference '1A'" },
		{ "<row r=\"1\"><c><v>1</v></row>", "ERROR 3 xl/worksheets/sheet1.xml:2: "
		  "not well-formed XML: Opening and ending tag mismatch: c line 2 and row" },
		{ "<row r=\"1\"><c t=\"s\"><v>&foo;</v></c></row>", "ERROR 3 "
		  "xl/worksheets/sheet1.xml:2: not well-formed XML: Entity 'foo' not defined" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct xlsx x = { two_sheets, cases[i].rows, NULL };
		size_t size;
		unsigned char *data = make_xlsx(&x, &size);
		char *got = dump(data, size, NULL, NULL);
		const char *nl = strrchr(got, '\n');

		if (strcmp(nl ? nl + 1 : got, cases[i].want) != 0)
			fail_msg("%s: got\n%s", cases[i].rows, got);
		free(got);
		free(data);
	}
}

/* Rows across many of the reader's chunks: each row whole, in order. */
static void test_xlsx_long(void **state)
{
	struct buf rows = BUF_INIT, want = BUF_INIT;
	struct xlsx x = { two_sheets, NULL, NULL };
	unsigned char *data;
	size_t size;
	char *got;
	int i;

	(void)state;
	buf_adds(&want, "[Tracks]\n");
	for (i = 1; i <= 6000; i++) {
		buf_addf(&rows, "<row r=\"%d\"><c r=\"A%d\" t=\"inlineStr\"><is><t>track-%06d"
			 "-with-a-longish-name.wav</t></is></c><c r=\"C%d\"><v>%d.25</v></c>"
			 "<c r=\"D%d\" t=\"s\"><v>%d</v></c></row>", i, i, i, i, i, i, i % 3);
		buf_addf(&want, "%d: A=s:track-%06d-with-a-longish-name.wav C=n:%d.25 D=s:%s\n", i,
			 i, i, i % 3 == 0 ? "audio_filename" : i % 3 == 1 ? "Rich Text" : " R&B\r ");
	}
	buf_adds(&want, "END");
	x.sheet1 = rows.data;
	data = make_xlsx(&x, &size);
	got = dump(data, size, NULL, NULL);
	if (strcmp(got, want.data) != 0)
		fail_msg("6000 rows differ (got %zu bytes, expected %zu)", strlen(got), want.len);
	free(got);
	{
		struct workbook_opts o;

		memset(&o, 0, sizeof(o));
		o.no_thread = 1;
		got = dump(data, size, NULL, &o);
		if (strcmp(got, want.data) != 0)
			fail_msg("6000 rows without the reader thread differ");
		free(got);
	}
	free(data);
	buf_release(&rows);
	buf_release(&want);
}

/* ------------------------------------------------------------------ ods */

#define ODS_NS "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " \
	"xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" " \
	"xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" " \
	"xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" " \
	"xmlns:calcext=\"urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0\""

static unsigned char *make_ods(const char *tables, const char *manifest, size_t *size)
{
	struct buf content = BUF_INIT, man = BUF_INIT;
	struct zipmem_entry e[3];
	unsigned char *out;

	buf_addf(&content, XML "<office:document-content %s><office:automatic-styles>"
		 "<style:style style:name=\"ta1\" style:family=\"table\">"
		 "<style:table-properties table:display=\"true\"/></style:style>"
		 "<style:style style:name=\"ta2\" style:family=\"table\">"
		 "<style:table-properties table:display=\"false\"/></style:style>"
		 "</office:automatic-styles><office:body><office:spreadsheet>%s"
		 "</office:spreadsheet></office:body></office:document-content>", ODS_NS, tables);
	buf_addf(&man, XML "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:"
		 "xmlns:manifest:1.0\"><manifest:file-entry manifest:full-path=\"content.xml\" "
		 "manifest:media-type=\"text/xml\">%s</manifest:file-entry></manifest:manifest>",
		 manifest ? manifest : "");
	e[0] = (struct zipmem_entry){ "mimetype", "application/vnd.oasis.opendocument.spreadsheet",
				      (size_t)-1, 1 };
	e[1] = (struct zipmem_entry){ "META-INF/manifest.xml", man.data, man.len, 0 };
	e[2] = (struct zipmem_entry){ "content.xml", content.data, content.len, 0 };
	out = zipmem(e, 3, size);
	buf_release(&content);
	buf_release(&man);
	assert_non_null(out);
	return out;
}

static const char ods_tables[] =
	"<table:table table:name=\"Hidden\" table:style-name=\"ta2\">"
	"<table:table-row><table:table-cell office:value-type=\"string\"><text:p>no</text:p>"
	"</table:table-cell></table:table-row></table:table>"
	"<table:table table:name=\"Track List\" table:style-name=\"ta1\">"
	"<table:table-header-rows><table:table-row>"
	"<table:table-cell office:value-type=\"string\"><text:p>audio_filename</text:p>"
	"</table:table-cell><table:table-cell table:number-columns-repeated=\"2\"/>"
	"<table:table-cell office:value-type=\"string\"><text:p>tempo</text:p></table:table-cell>"
	"</table:table-row></table:table-header-rows>"
	"<table:table-row>"
	"<table:table-cell office:value-type=\"string\"><text:p>a<text:s text:c=\"2\"/>b"
	"<text:span>c</text:span><text:tab/>d</text:p><text:p>line 2</text:p>"
	"<office:annotation><text:p>a comment</text:p></office:annotation></table:table-cell>"
	"<table:table-cell office:value-type=\"float\" office:value=\"120.5\">"
	"<text:p>120,50</text:p></table:table-cell>"
	"<table:table-cell office:value-type=\"date\" office:date-value=\"2024-01-15T00:00:00\">"
	"<text:p>15.01.24</text:p></table:table-cell>"
	"<table:table-cell office:value-type=\"time\" office:time-value=\"PT00H03M05S\">"
	"<text:p>00:03:05</text:p></table:table-cell>"
	"<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"true\">"
	"<text:p>TRUE</text:p></table:table-cell>"
	"<table:table-cell office:value-type=\"percentage\" office:value=\"0.25\">"
	"<text:p>25%</text:p></table:table-cell>"
	"<table:table-cell office:value-type=\"float\" office:value=\"1\" "
	"calcext:value-type=\"error\"><text:p>#N/A</text:p></table:table-cell>"
	"<table:table-cell office:value-type=\"string\" office:string-value=\"R&amp;B\">"
	"<text:p>ignored</text:p></table:table-cell>"
	"</table:table-row>"
	"<table:table-row table:number-rows-repeated=\"2\">"
	"<table:table-cell table:number-columns-repeated=\"2\" office:value-type=\"float\" "
	"office:value=\"7\"><text:p>7</text:p></table:table-cell></table:table-row>"
	"<table:table-row table:number-rows-repeated=\"1048000\">"
	"<table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>"
	"<table:table-row><table:covered-table-cell/>"
	"<table:table-cell office:value-type=\"string\"><text:p/></table:table-cell>"
	"<table:table-cell><text:p>plain</text:p></table:table-cell></table:table-row>"
	"<table:table-row table:number-rows-repeated=\"100\"><table:table-cell "
	"table:number-columns-repeated=\"16384\"/></table:table-row>"
	"</table:table>"
	"<table:table table:name=\"Later\"><table:table-row><table:table-cell "
	"office:value-type=\"string\"><text:p>later</text:p></table:table-cell>"
	"</table:table-row></table:table>";

static void test_ods(void **state)
{
	size_t size;
	unsigned char *data = make_ods(ods_tables, NULL, &size);

	(void)state;
	expect_dump(data, size, NULL,
		    "[Track List]\n"
		    "1: A=s:audio_filename D=s:tempo\n"
		    "2: A=s:a  bc\td\nline 2 B=n:120.5 C=d:2024-01-15 D=t:185 E=b:true F=n:0.25 "
		    "G=x:#N/A H=s:R&B\n"
		    "3: A=n:7 B=n:7\n"
		    "4: A=n:7 B=n:7\n"
		    "1048005: B=e: C=s:plain\n"
		    "END");
	expect_dump(data, size, "hidden", "[Hidden]\n1: A=s:no\nEND");
	expect_dump(data, size, "Later", "[Later]\n1: A=s:later\nEND");
	expect_dump(data, size, "Nope", "OPEN 6 : no sheet 'Nope'; the sheets are "
		    "'Hidden' (hidden), 'Track List', 'Later'");
	free(data);

	/* A row with values past the last one */
	data = make_ods("<table:table table:name=\"T\"><table:table-row "
			"table:number-rows-repeated=\"1048576\"/><table:table-row>"
			"<table:table-cell office:value-type=\"string\"><text:p>x</text:p>"
			"</table:table-cell></table:table-row></table:table>", NULL, &size);
	expect_dump(data, size, NULL, "OPEN 3 T!1048577: a row with values past the last row "
		    "(1048576)");
	free(data);

	/* Encrypted: the manifest says so */
	data = make_ods("<table:table table:name=\"T\"/>", "<manifest:encryption-data "
			"manifest:checksum-type=\"SHA1/1K\" manifest:checksum=\"x\"/>", &size);
	expect_dump(data, size, NULL, "OPEN 5 : the spreadsheet is encrypted (saved with a "
		    "password): save it without a password");
	free(data);
}

/* ---------------------------------------------------------- as a sheet */

struct sheet_dump {
	struct buf b;
	int keep;		/* sheet_row_keep the rows with an error */
	struct buf kept;	/* "off+len" of each row kept */
};

/* "3 #1 n=3: t:a.wav -: D:2024-01-15 ERR@3 'why' E head=..." per row. */
static int dump_sheet_row(const struct sheet_row *row, void *ctx)
{
	static const char types[] = "tnDTbx";
	struct sheet_dump *d = ctx;
	size_t i;

	buf_addf(&d->b, "%lu #%lu %s n=%zu:", row->line, row->index, row->sheet, row->ncells);
	for (i = 0; i < row->ncells; i++) {
		assert_int_equal(strlen(row->cells[i].data), row->cells[i].len);
		if (row->cells[i].is_null)
			buf_adds(&d->b, " -");
		else
			buf_addf(&d->b, " %c:%s", types[row->cells[i].type], row->cells[i].data);
	}
	if (row->error)
		buf_addf(&d->b, " ERR@%ld '%s'", row->error_col, row->error);
	if (row->cell_errors)
		buf_adds(&d->b, " E");
	if (row->head)
		buf_addf(&d->b, " head=%.*s", (int)row->head_len, row->head);
	else
		buf_addch(&d->b, '\n');
	if (d->keep && row->error) {
		unsigned long long off, len;

		assert_int_equal(sheet_row_keep(row, &off, &len), 0);
		buf_addf(&d->kept, "%llu+%llu ", off, len);
	}
	return 0;
}

static char *spooled(FILE *spool)
{
	struct buf b = BUF_INIT;
	char chunk[256];
	size_t n;

	rewind(spool);
	while ((n = fread(chunk, 1, sizeof(chunk), spool)) > 0)
		buf_add(&b, chunk, n);
	return buf_detach(&b, NULL);
}

static void test_as_sheet(void **state)
{
	struct xlsx x = {
		two_sheets,
		"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
		"<c r=\"B1\" t=\"inlineStr\"><is><t>tempo</t></is></c>"
		"<c r=\"C1\" t=\"inlineStr\"><is><t>date</t></is></c></row>"
		"<row r=\"2\"><c r=\"B2\" t=\"s\"><v>3</v></c></row>"
		"<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>a.wav</t></is></c>"
		"<c r=\"C3\" s=\"1\"><v>45306</v></c></row>"
		"<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>b,\"q\".wav</t></is></c>"
		"<c r=\"B4\" t=\"e\"><v>#N/A</v></c>"
		"<c r=\"D4\" t=\"inlineStr\"><is><t>stray</t></is></c></row>"
		"<row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><t>c.wav</t></is></c>"
		"<c r=\"B5\"><v>120.5</v></c><c r=\"C5\" s=\"2\"><v>2.1412037037037038E-3</v></c>"
		"<c r=\"E5\" t=\"s\"><v>3</v></c><c r=\"F5\" t=\"b\"><v>1</v></c></row>",
		NULL,
	};
	static const char rows[] =
		"1 #0 Tracks n=3: t:audio_filename t:tempo t:date head=audio_filename,tempo,date\n"
		"3 #1 Tracks n=3: t:a.wav - D:2024-01-15\n"
		"4 #2 Tracks n=4: t:b,\"q\".wav x:#N/A - t:stray "
		"ERR@3 'a value in a column without a header' E\n"
		"5 #3 Tracks n=6: t:c.wav n:120.5 T:185 - - b:true "
		"ERR@5 'a value in a column without a header'\n";
	static const char csv[] =
		"audio_filename,tempo,date\n"
		"a.wav,,2024-01-15\n"
		"\"b,\"\"q\"\".wav\",#N/A,,stray\n"
		"c.wav,120.5,185,,,true\n";
	struct sheet_opts o;
	struct sheet_stats st;
	struct sheet_dump d;
	struct workbook_error err;
	struct workbook *wb;
	size_t size;
	unsigned char *data = make_xlsx(&x, &size);
	char *got;
	int pass;

	(void)state;
	for (pass = 0; pass < 2; pass++) {
		/* pass 0: every row spooled; 1: only the rows kept */
		FILE *spool = tmpfile();

		assert_non_null(spool);
		memset(&o, 0, sizeof(o));
		memset(&d, 0, sizeof(d));
		buf_init(&d.b);
		buf_init(&d.kept);
		o.spool = spool;
		o.spool_all = pass == 0;
		d.keep = pass == 1;
		memset(&st, 0, sizeof(st));
		assert_int_equal(workbook_open_mem(data, size, NULL, &wb, &err), 0);
		assert_int_equal(workbook_read_sheet_wb(wb, "t.xlsx", &o, dump_sheet_row, &d, &st), 0);
		workbook_close(wb);
		assert_string_equal(d.b.data, rows);
		assert_string_equal(st.sheet, "Tracks");
		assert_int_equal(st.rows, 4);
		assert_int_equal(st.dialect.format, SHEET_XLSX);
		assert_int_equal(st.dialect.delim, ',');
		assert_int_equal(st.dialect.header, 1);
		got = spooled(spool);
		if (pass == 0) {
			assert_string_equal(got, csv);
		} else {
			/* the two rows kept, at their offsets in the spool */
			assert_string_equal(got, "\"b,\"\"q\"\".wav\",#N/A,,stray\nc.wav,120.5,185,,,true\n");
			assert_string_equal(d.kept.data, "0+26 26+23 ");
		}
		free(got);
		fclose(spool);
		buf_release(&d.b);
		buf_release(&d.kept);
		sheet_stats_release(&st);
	}

	/* --no-header: the first row is data and sets the width; no spool */
	memset(&o, 0, sizeof(o));
	memset(&d, 0, sizeof(d));
	buf_init(&d.b);
	buf_init(&d.kept);
	o.no_header = 1;
	x.sheet1 = "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>a.wav</t></is></c>"
		   "<c r=\"B2\"><v>1</v></c></row>"
		   "<row r=\"7\"><c r=\"A7\" t=\"inlineStr\"><is><t>b.wav</t></is></c>"
		   "<c r=\"C7\"><v>2</v></c></row>";
	free(data);
	data = make_xlsx(&x, &size);
	assert_int_equal(workbook_open_mem(data, size, NULL, &wb, &err), 0);
	assert_int_equal(workbook_read_sheet_wb(wb, "t.xlsx", &o, dump_sheet_row, &d, &st), 0);
	workbook_close(wb);
	assert_string_equal(d.b.data, "2 #0 Tracks n=2: t:a.wav n:1 head=a.wav,1\n"
			    "7 #1 Tracks n=3: t:b.wav - n:2 "
			    "ERR@2 'a value in a column past the first row's last'\n");
	assert_int_equal(st.dialect.header, 0);
	sheet_stats_release(&st);
	buf_release(&d.b);
	buf_release(&d.kept);
	free(data);
}

/* ------------------------------------------------------------- hostile */

static void test_hostile(void **state)
{
	struct zipmem_entry e[4];
	unsigned char *data, *big;
	size_t size, n = (size_t)8 << 20, i;
	char *got;

	(void)state;
	/* A DOCTYPE in a part, with an entity bomb */
	e[0] = (struct zipmem_entry){ "mimetype", "application/vnd.oasis.opendocument.spreadsheet",
				      (size_t)-1, 1 };
	e[1] = (struct zipmem_entry){ "content.xml", XML "<!DOCTYPE x [<!ENTITY a \"aaaa\">"
				      "<!ENTITY b \"&a;&a;&a;&a;\">]><x>&b;</x>", (size_t)-1, 0 };
	data = zipmem(e, 2, &size);
	got = dump(data, size, NULL, NULL);
	assert_string_equal(got, "OPEN 4 content.xml:2: DOCTYPE refused: entity 'b' refers to "
			    "other entities (\"&a;&a;&a;&a;\"): an entity expansion bomb");
	free(got);
	free(data);

	/* A DOCTYPE in the sheet itself, read as the rows are (both ways) */
	{
		struct buf wbx = BUF_INIT;
		struct zipmem_entry x[3];

		buf_addf(&wbx, XML "<workbook %s>%s</workbook>", NS_MAIN, two_sheets);
		x[0] = (struct zipmem_entry){ "xl/workbook.xml", wbx.data, wbx.len, 0 };
		x[1] = (struct zipmem_entry){ "xl/_rels/workbook.xml.rels", wb_rels, (size_t)-1, 0 };
		x[2] = (struct zipmem_entry){ "xl/worksheets/sheet1.xml", XML "<!DOCTYPE worksheet "
					      "SYSTEM \"http://example.com/x.dtd\"><worksheet/>",
					      (size_t)-1, 0 };
		data = zipmem(x, 3, &size);
		expect_dump(data, size, NULL, "[Tracks]\nERROR 4 xl/worksheets/sheet1.xml:2: DOCTYPE "
			    "refused: external DTD \"http://example.com/x.dtd\"");
		free(data);
		buf_release(&wbx);
	}

	/* An entry out of the archive */
	e[1] = (struct zipmem_entry){ "../../etc/cron.d/x", "* * * * * root true", (size_t)-1, 0 };
	data = zipmem(e, 2, &size);
	got = dump(data, size, NULL, NULL);
	assert_string_equal(got, "OPEN 4 : zip entry '../../etc/cron.d/x' leads out of the "
			    "archive (an absolute path or '..'): refused");
	free(got);
	free(data);

	/* A bomb: 8 MiB of the same byte compress about 1000 times */
	big = malloc(n);
	assert_non_null(big);
	memcpy(big, "<x>", 3);
	for (i = 3; i < n; i++)
		big[i] = ' ';
	e[1] = (struct zipmem_entry){ "content.xml", big, n, 0 };
	data = zipmem(e, 2, &size);
	got = dump(data, size, NULL, NULL);
	if (!strstr(got, "OPEN 4 : zip entry 'content.xml' would expand") ||
	    !strstr(got, "refused as a zip bomb"))
		fail_msg("got %s", got);
	free(got);
	/* ... and when the header is not believed: counted while reading */
	{
		struct workbook_opts o;

		memset(&o, 0, sizeof(o));
		o.max_bytes = 3u << 20;
		o.max_ratio = 100000;
		got = dump(data, size, NULL, &o);
		assert_string_equal(got, "OPEN 4 content.xml: the workbook expands to more than "
				    "3145728 bytes: refused as a zip bomb");
		free(got);
	}
	free(data);
	free(big);

	/* An encrypted Office file: OLE2, with EncryptionInfo in its directory */
	big = calloc(1, 4096);
	assert_non_null(big);
	memcpy(big, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
	big[0x1E] = 9;		/* 512-byte sectors; directory at sector 1 */
	big[0x30] = 1;
	for (i = 0; i < 14; i++)
		big[1024 + 128 + 2 * i] = (unsigned char)"EncryptionInfo"[i];
	got = dump(big, 4096, NULL, NULL);
	assert_string_equal(got, "OPEN 5 : the workbook is encrypted (saved with a password to "
			    "open it): save it without a password");
	free(got);
	big[1024 + 128] = 'X';	/* without it: an old .xls */
	got = dump(big, 4096, NULL, NULL);
	assert_string_equal(got, "OPEN 2 : an OLE2 compound file, such as an Excel 97-2003 .xls "
			    "workbook, which is not read: save it as .xlsx");
	free(got);
	free(big);

	/* Not a workbook at all */
	got = dump((const unsigned char *)"title,tempo\n", 12, NULL, NULL);
	assert_string_equal(got, "OPEN 2 : not an .xlsx or .ods workbook (those are zip "
			    "archives; this file is not one)");
	free(got);
	e[0] = (struct zipmem_entry){ "mimetype", "application/vnd.oasis.opendocument.text",
				      (size_t)-1, 1 };
	data = zipmem(e, 1, &size);
	got = dump(data, size, NULL, NULL);
	assert_string_equal(got, "OPEN 2 : an OpenDocument file of type "
			    "'application/vnd.oasis.opendocument.text', not a spreadsheet");
	free(got);
	free(data);
}

/* Shared strings past the limit are refused, not held. */
static void test_limits(void **state)
{
	struct xlsx x = { two_sheets, "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", NULL };
	struct workbook_opts o;
	unsigned char *data;
	size_t size;
	char *got;

	(void)state;
	data = make_xlsx(&x, &size);
	memset(&o, 0, sizeof(o));
	o.max_strings = 3;
	got = dump(data, size, NULL, &o);
	assert_string_equal(got, "OPEN 7 xl/sharedStrings.xml:2: more than 3 shared strings: "
			    "refused");
	free(got);
	memset(&o, 0, sizeof(o));
	o.max_string_bytes = 20;
	got = dump(data, size, NULL, &o);
	assert_string_equal(got, "OPEN 7 xl/sharedStrings.xml:2: the shared strings hold more "
			    "than 0 MiB: refused");
	free(got);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_serial_date),
		cmocka_unit_test(test_number_text),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_format_kind),
		cmocka_unit_test(test_cell_ref),
		cmocka_unit_test(test_xlsx_values),
		cmocka_unit_test(test_xlsx_sheets),
		cmocka_unit_test(test_xlsx_malformed),
		cmocka_unit_test(test_xlsx_long),
		cmocka_unit_test(test_ods),
		cmocka_unit_test(test_as_sheet),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
