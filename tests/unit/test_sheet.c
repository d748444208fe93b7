/*
 * Unit tests for sheet: separator sniffing and dialects (one table row
 * per input), --delimiter's argument, and rows read from files of every
 * dialect: the same cells, and each row's byte range in the file holding
 * exactly that row (UTF-16 included, across chunk boundaries and with
 * bad units).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blendcat/buf.h"
#include "blendcat/csvread.h"
#include "blendcat/sheet.h"

#define NROWS(a) (sizeof(a) / sizeof((a)[0]))

static void test_sniff_delim(void **state)
{
	static const struct {
		const char *text;
		int want;
	} cases[] = {
		{ "a,b,c", ',' },
		{ "a;b;c", ';' },
		{ "a\tb\tc", '\t' },
		{ "a|b|c", '|' },
		{ "title", ',' },
		{ "", ',' },
		{ "\"x;y;z\",b,c", ',' },		/* separators inside quotes do not count */
		{ "\"a,b\";\"c,d\";e", ';' },
		{ "Composer, Lyricist;Title;BPM", ';' },
		{ "a;b\nc,d,e,f,g", ';' },		/* the first line only */
		{ "a;b\r\nc,d,e,f,g", ';' },
		{ "\"multi\nline,x,y\";b", ';' },	/* a quoted line end is not the end */
		{ "a,b;c", ',' },			/* a tie: the first of , ; TAB | */
		{ "a;b\tc", ';' },
		{ "a\tb|c", '\t' },
		{ "a\"b;c;d,e", ';' },			/* a quote inside a field opens nothing */
		{ "\"a\"\"b,c,d\";e", ';' },		/* "" inside quotes */
		{ "a\t\tb,c", '\t' },
		{ "\"unclosed,a,b", ',' },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NROWS(cases); i++) {
		int got = sheet_sniff_delim(cases[i].text, strlen(cases[i].text));

		if (got != cases[i].want)
			fail_msg("sniff('%s'): got '%c', expected '%c'", cases[i].text, got,
				 cases[i].want);
	}
}

static void test_sniff_dialect(void **state)
{
	static const struct {
		const char *bytes;
		size_t len;
		const char *encoding;
		int delim;
		enum sheet_charset charset;
		int bom, want_delim, decimal_comma;
		const char *name;
	} cases[] = {
		{ "a,b", 3, NULL, 0, SHEET_UTF8, 0, ',', 0, "UTF-8" },
		{ "\xEF\xBB\xBF" "a;b", 6, NULL, 0, SHEET_UTF8, 1, ';', 1, "UTF-8" },
		{ "\xFF\xFE" "a\0\t\0b\0", 8, NULL, 0, SHEET_UTF16LE, 1, '\t', 0, "UTF-16LE" },
		{ "\xFE\xFF" "\0a\0;\0b", 8, NULL, 0, SHEET_UTF16BE, 1, ';', 1, "UTF-16BE" },
		{ "a\0|\0b\0", 6, "UTF-16LE", 0, SHEET_UTF16LE, 0, '|', 0, "UTF-16LE" },
		{ "\0a\0,\0b", 6, "utf-16be", 0, SHEET_UTF16BE, 0, ',', 0, "UTF-16BE" },
		{ "a;b", 3, "WINDOWS-1252", 0, SHEET_ICONV, 0, ';', 1, "WINDOWS-1252" },
		{ "\xEF\xBB\xBF" "a;b", 6, "utf-8", 0, SHEET_UTF8, 1, ';', 1, "UTF-8" },
		{ "a,b,c", 5, NULL, ';', SHEET_UTF8, 0, ';', 1, "UTF-8" },	/* --delimiter */
		{ "a;b;c", 5, NULL, '|', SHEET_UTF8, 0, '|', 0, "UTF-8" },
		{ "\xFF\xFE" "a\0;\0b\0", 8, "LATIN1", 0, SHEET_UTF16LE, 1, ';', 1, "UTF-16LE" },
		{ "", 0, NULL, 0, SHEET_UTF8, 0, ',', 0, "UTF-8" },
		{ "\xFF", 1, NULL, 0, SHEET_UTF8, 0, ',', 0, "UTF-8" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NROWS(cases); i++) {
		struct sheet_opts o;
		struct sheet_dialect d;

		memset(&o, 0, sizeof(o));
		o.encoding = cases[i].encoding;
		o.delim = cases[i].delim;
		sheet_sniff(cases[i].bytes, cases[i].len, &o, &d);
		if (d.charset != cases[i].charset || d.bom != cases[i].bom ||
		    d.delim != cases[i].want_delim || d.decimal_comma != cases[i].decimal_comma ||
		    strcmp(d.encoding, cases[i].name) != 0 || d.delim_given != !!cases[i].delim ||
		    !d.header)
			fail_msg("case %zu: charset %d bom %d delim '%c' decimal comma %d %s",
				 i, (int)d.charset, d.bom, d.delim, d.decimal_comma, d.encoding);
	}
}

static void test_delim_parse(void **state)
{
	static const struct {
		const char *arg;
		int want;
	} cases[] = {
		{ ",", ',' }, { ";", ';' }, { "|", '|' }, { ":", ':' }, { "\t", '\t' },
		{ "tab", '\t' }, { "TAB", '\t' }, { "\\t", '\t' }, { "semicolon", ';' },
		{ "comma", ',' }, { "pipe", '|' },
		{ "\"", -1 }, { "", -1 }, { ";;", -1 }, { "\n", -1 }, { "\r", -1 },
		{ "\xC3\xA9", -1 }, { "space", -1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NROWS(cases); i++)
		if (sheet_delim_parse(cases[i].arg) != cases[i].want)
			fail_msg("'%s': got %d, expected %d", cases[i].arg,
				 sheet_delim_parse(cases[i].arg), cases[i].want);
}

static void test_describe(void **state)
{
	struct sheet_dialect d;
	struct buf b = BUF_INIT;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.delim = ';';
	d.encoding = "UTF-8";
	d.bom = d.crlf = d.decimal_comma = d.header = 1;
	sheet_dialect_describe(&d, &b);
	assert_string_equal(b.data, "semicolon-separated, UTF-8 with BOM, CRLF line ends, "
			    "decimal comma");
	buf_reset(&b);
	d.delim = '\t';
	d.delim_given = 1;
	d.encoding = "UTF-16LE";
	d.crlf = d.decimal_comma = d.header = 0;
	sheet_dialect_describe(&d, &b);
	assert_string_equal(b.data, "tab-separated (--delimiter), UTF-16LE with BOM, LF line ends, "
			    "no header");
	buf_reset(&b);
	d.format = SHEET_XLSX;
	sheet_dialect_describe(&d, &b);
	assert_string_equal(b.data, "xlsx workbook, no header");
	buf_reset(&b);
	d.format = SHEET_ODS;
	d.header = 1;
	sheet_dialect_describe(&d, &b);
	assert_string_equal(b.data, "ods workbook");
	buf_release(&b);
}

/* ------------------------------------------------------- reading files */

struct got {
	struct buf cells;		/* row|cell|cell\n ... */
	const unsigned char *file;	/* the file's bytes, to check positions */
	size_t size;
	int be;				/* UTF-16BE (else LE) when utf16 */
	int utf16;
	struct buf errors;
	struct buf head;
	unsigned long long last_end;
};

static void to_utf8(const unsigned char *p, size_t n, int be, struct buf *out)
{
	iconv_t cd = iconv_open("UTF-8", be ? "UTF-16BE" : "UTF-16LE");
	char *in = (char *)p, *o;
	size_t il = n, ol;

	assert_true(cd != (iconv_t)-1);
	buf_grow(out, n * 2 + 8);
	o = out->data + out->len;
	ol = out->cap - out->len - 1;
	iconv(cd, &in, &il, &o, &ol);
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
	iconv_close(cd);
}

static int on_row(const struct sheet_row *row, void *ctx)
{
	struct got *g = ctx;
	struct buf text = BUF_INIT;
	size_t i;

	/* Rows do not overlap, come in order and lie inside the file. */
	assert_true(row->off >= g->last_end);
	assert_true(row->off + row->len <= g->size);
	g->last_end = row->off + row->len;
	if (row->index == 0) {
		assert_non_null(row->head);
		buf_add(&g->head, row->head, row->head_len);
		/* the head is the file's first bytes */
		assert_memory_equal(row->head, g->file, row->head_len);
	} else {
		assert_null(row->head);
	}
	if (row->error) {
		buf_addf(&g->errors, "%lu: %s\n", row->line, row->error);
		return 0;
	}
	buf_addf(&g->cells, "%lu", row->line);
	for (i = 0; i < row->ncells; i++) {
		assert_int_equal(row->cells[i].data[row->cells[i].len], '\0');
		buf_addf(&g->cells, "|%s", row->cells[i].data);
	}
	buf_addch(&g->cells, '\n');
	/* The row's bytes in the file read back as its cells, joined again. */
	if (g->utf16) {
		to_utf8(g->file + row->off, (size_t)row->len, g->be, &text);
	} else {
		buf_add(&text, g->file + row->off, (size_t)row->len);
	}
	for (i = 0; i < row->ncells; i++)
		if (!row->cells[i].data[0] || strchr(row->cells[i].data, '"') ||
		    strchr(row->cells[i].data, '\n'))
			break;
	if (i == row->ncells && row->ncells) {
		/* plain cells: the row is cell DELIM cell ... line end */
		struct buf want = BUF_INIT;

		for (i = 0; i < row->ncells; i++) {
			if (i)
				buf_addch(&want, row->dialect->delim);
			buf_adds(&want, row->cells[i].data);
		}
		if (strncmp(text.data, want.data, want.len) != 0 ||
		    strspn(text.data + want.len, "\r\n") != text.len - want.len)
			fail_msg("line %lu: the file has '%s' where the row is '%s'", row->line,
				 text.data, want.data);
		buf_release(&want);
	}
	buf_release(&text);
	return 0;
}

static char *write_tmp(const void *data, size_t len)
{
	char *path = strdup("/tmp/test_sheet_XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

/* Read len bytes as a file; positions are checked against them (sniffed first). */
static int read_bytes(const void *data, size_t len, const struct sheet_opts *o, struct got *g,
		      struct sheet_stats *st)
{
	char *path = write_tmp(data, len);
	struct sheet_dialect d;
	int rc;

	memset(g, 0, sizeof(*g));
	buf_init(&g->cells);
	buf_init(&g->errors);
	buf_init(&g->head);
	g->file = data;
	g->size = len;
	sheet_sniff(data, len, o, &d);
	g->utf16 = d.charset == SHEET_UTF16LE || d.charset == SHEET_UTF16BE;
	g->be = d.charset == SHEET_UTF16BE;
	rc = sheet_read_file(path, o, on_row, g, st);
	unlink(path);
	free(path);
	return rc;
}

static void got_release(struct got *g)
{
	buf_release(&g->cells);
	buf_release(&g->errors);
	buf_release(&g->head);
}

/* UTF-8 text -> UTF-16 with a BOM. */
static void utf16(const char *s, int be, struct buf *out)
{
	iconv_t cd = iconv_open(be ? "UTF-16BE" : "UTF-16LE", "UTF-8");
	char *in = (char *)s, *o;
	size_t il = strlen(s), ol;

	assert_true(cd != (iconv_t)-1);
	buf_reset(out);
	buf_add(out, be ? "\xFE\xFF" : "\xFF\xFE", 2);
	buf_grow(out, il * 4 + 8);
	o = out->data + out->len;
	ol = out->cap - out->len - 1;
	assert_int_not_equal(iconv(cd, &in, &il, &o, &ol), (size_t)-1);
	out->len = (size_t)(o - out->data);
	iconv_close(cd);
}

static void read_checked(const void *data, size_t len, const struct sheet_opts *o,
			 struct got *g, struct sheet_stats *st)
{
	assert_int_equal(read_bytes(data, len, o, g, st), 0);
}

static void test_dialects_same_rows(void **state)
{
	static const char *const texts[] = {
		"audio_filename,title,tempo\n"
		"a.mp3,Caf\xC3\xA9,120.5\n"
		"\n"
		"b.mp3,\"x;y, \"\"z\"\"\",90\n"
		"c.mp3,\xF0\x9D\x84\x9E clef,100\n",

		"\xEF\xBB\xBF" "audio_filename;title;tempo\r\n"
		"a.mp3;Caf\xC3\xA9;120.5\r\n"
		"\r\n"
		"b.mp3;\"x;y, \"\"z\"\"\";90\r\n"
		"c.mp3;\xF0\x9D\x84\x9E clef;100\r\n",

		"audio_filename\ttitle\ttempo\r\n"
		"a.mp3\tCaf\xC3\xA9\t120.5\r\n"
		"\r\n"
		"b.mp3\t\"x;y, \"\"z\"\"\"\t90\r\n"
		"c.mp3\t\xF0\x9D\x84\x9E clef\t100\r\n",

		"audio_filename|title|tempo\n"
		"a.mp3|Caf\xC3\xA9|120.5\n"
		"\n"
		"b.mp3|\"x;y, \"\"z\"\"\"|90\n"
		"c.mp3|\xF0\x9D\x84\x9E clef|100",
	};
	static const char want[] =
		"1|audio_filename|title|tempo\n"
		"2|a.mp3|Caf\xC3\xA9|120.5\n"
		"4|b.mp3|x;y, \"z\"|90\n"
		"5|c.mp3|\xF0\x9D\x84\x9E clef|100\n";
	static const int delims[] = { ',', ';', '\t', '|' };
	struct buf u16 = BUF_INIT;
	size_t i;
	int be;

	(void)state;
	for (i = 0; i < NROWS(texts); i++) {
		struct sheet_opts o;
		struct sheet_stats st;
		struct got g;

		memset(&o, 0, sizeof(o));
		read_checked(texts[i], strlen(texts[i]), &o, &g, &st);
		assert_string_equal(g.cells.data, want);
		assert_string_equal(g.errors.data, "");
		assert_int_equal(st.dialect.delim, delims[i]);
		assert_int_equal(st.dialect.charset, SHEET_UTF8);
		assert_int_equal(st.dialect.crlf, i == 1 || i == 2);
		assert_int_equal(st.rows, 4);
		got_release(&g);
		for (be = 0; be < 2; be++) {
			/* the same text as UTF-16, BOM first (Excel's Unicode text) */
			const char *t = texts[i];

			if (i == 1)
				t += 3;
			utf16(t, be, &u16);
			read_checked(u16.data, u16.len, &o, &g, &st);
			assert_string_equal(g.cells.data, want);
			assert_string_equal(g.errors.data, "");
			assert_int_equal(st.dialect.delim, delims[i]);
			assert_int_equal(st.dialect.charset, be ? SHEET_UTF16BE : SHEET_UTF16LE);
			assert_int_equal(st.bytes, u16.len);
			got_release(&g);
		}
	}
	buf_release(&u16);
}

/* A UTF-16 file past a chunk: surrogate pairs and rows across the boundary. */
static void test_utf16_chunks(void **state)
{
	struct buf text = BUF_INIT, u16 = BUF_INIT, want = BUF_INIT;
	size_t shift;

	(void)state;
	for (shift = 0; shift < 4; shift++) {
		struct sheet_opts o;
		struct sheet_stats st;
		struct got g;
		unsigned long line = 1;
		size_t k;

		buf_reset(&text);
		buf_reset(&want);
		buf_adds(&text, "audio_filename\ttitle\n");
		buf_adds(&want, "1|audio_filename|title\n");
		for (k = 0; k < shift; k++)
			buf_adds(&text, "\n");	/* blank lines move the boundary */
		line += shift;
		for (k = 0; text.len < 3 * CSVREAD_CHUNK / 4; k++) {
			buf_addf(&text, "t%zu.mp3\t\xF0\x9D\x84\x9E%zu \xC3\xA9\n", k, k);
			buf_addf(&want, "%lu|t%zu.mp3|\xF0\x9D\x84\x9E%zu \xC3\xA9\n", ++line, k, k);
		}
		utf16(text.data, 0, &u16);
		assert_true(u16.len > CSVREAD_CHUNK);
		memset(&o, 0, sizeof(o));
		read_checked(u16.data, u16.len, &o, &g, &st);
		assert_string_equal(g.errors.data, "");
		if (strcmp(g.cells.data, want.data) != 0)
			fail_msg("shift %zu: rows differ", shift);
		got_release(&g);
	}
	buf_release(&text);
	buf_release(&u16);
	buf_release(&want);
}

/* Bad UTF-16 units: an error on their row; the rows after stay in place. */
static void test_utf16_bad_units(void **state)
{
	struct buf u16 = BUF_INIT;
	struct sheet_opts o;
	struct sheet_stats st;
	struct got g;

	(void)state;
	utf16("audio_filename,title\na.mp3,A\nb.mp3,B\nc.mp3,C\n", 0, &u16);
	/* "B" (at 2 + 2 * 35) becomes a lone high surrogate */
	assert_int_equal(u16.data[2 + 2 * 35], 'B');
	u16.data[2 + 2 * 35] = 0x00;
	u16.data[2 + 2 * 35 + 1] = (char)0xD8;
	buf_add(&u16, "x", 1);	/* an odd byte at the end */
	memset(&o, 0, sizeof(o));
	read_checked(u16.data, u16.len, &o, &g, &st);
	assert_string_equal(g.cells.data, "1|audio_filename|title\n2|a.mp3|A\n4|c.mp3|C\n");
	assert_string_equal(g.errors.data,
			    "3: invalid UTF-16 (an unpaired surrogate or a lone byte) in line 3\n"
			    "5: invalid UTF-16 (an unpaired surrogate or a lone byte) in line 5\n");
	got_release(&g);
	buf_release(&u16);
}

static void test_no_file(void **state)
{
	struct sheet_opts o;
	struct sheet_stats st;
	struct got g;

	(void)state;
	memset(&o, 0, sizeof(o));
	memset(&g, 0, sizeof(g));
	assert_int_equal(sheet_read_file("/nonexistent/x.csv", &o, on_row, &g, &st), -1);
	o.encoding = "NOPE-42";
	assert_int_equal(read_bytes("a,b\n", 4, &o, &g, &st), -1);
	got_release(&g);
}

/* What all sheets share: a row as CSV, a position. */
static void test_csv_row(void **state)
{
	static const struct {
		const char *cells[4];
		const char *want;
	} cases[] = {
		{ { "a", "b", "c", NULL }, "a,b,c\n" },
		{ { "", "", NULL, NULL }, ",\n" },
		{ { "a,b", "say \"hi\"", "x", NULL }, "\"a,b\",\"say \"\"hi\"\"\",x\n" },
		{ { "line 1\nline 2", "cr\r", " sp ", NULL }, "\"line 1\nline 2\",\"cr\r\", sp \n" },
		{ { "#N/A", "Ünï;cödé", NULL, NULL }, "#N/A,Ünï;cödé\n" },
		{ { NULL, NULL, NULL, NULL }, "\n" },
	};
	size_t i, n;

	(void)state;
	for (i = 0; i < NROWS(cases); i++) {
		struct sheet_cell cells[4];
		struct buf b = BUF_INIT;

		for (n = 0; n < 4 && cases[i].cells[n]; n++) {
			cells[n].data = cases[i].cells[n];
			cells[n].len = strlen(cases[i].cells[n]);
			cells[n].is_null = 0;
			cells[n].type = SHEET_TEXT;
		}
		sheet_csv_row(&b, cells, n);
		if (strcmp(b.data, cases[i].want) != 0)
			fail_msg("case %zu: got '%s', expected '%s'", i, b.data, cases[i].want);
		buf_release(&b);
	}
}

static void test_position(void **state)
{
	static const struct {
		const char *sheet;
		unsigned long line;
		long col;
		const char *want;
	} cases[] = {
		{ NULL, 12, 2, "f.csv:12" },		/* a text file: lines */
		{ NULL, 0, -1, "f.csv" },
		{ "Tracks", 12, 2, "f.csv:Tracks!C12" },
		{ "Tracks", 12, -1, "f.csv:Tracks!12" },
		{ "Tracks", 0, -1, "f.csv:Tracks" },
		{ "Track List", 3, 27, "f.csv:'Track List'!AB3" },
		{ "Track List", 0, -1, "f.csv:'Track List'" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NROWS(cases); i++) {
		struct buf b = BUF_INIT;

		sheet_position(&b, "f.csv", cases[i].sheet, cases[i].line, cases[i].col);
		if (strcmp(b.data, cases[i].want) != 0)
			fail_msg("got '%s', expected '%s'", b.data, cases[i].want);
		buf_release(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff_delim),
		cmocka_unit_test(test_sniff_dialect),
		cmocka_unit_test(test_delim_parse),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_dialects_same_rows),
		cmocka_unit_test(test_utf16_chunks),
		cmocka_unit_test(test_utf16_bad_units),
		cmocka_unit_test(test_no_file),
		cmocka_unit_test(test_csv_row),
		cmocka_unit_test(test_position),
	};

	return cmocka_run_group_tests_name("sheet", tests, NULL, NULL);
}
