/*
 * Unit tests for csvread: one table row per input, each fed in every
 * chunk size from 1 to its length (libcsv test_csv.c), which must all give
 * the same rows; the raw-bytes property (BOM + every row's raw bytes ==
 * the input) on every case and on random garbage; random valid CSV read
 * back field for field.  -DGARBAGE_ITERS=N runs the random tests longer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "blendcat/csvread.h"

/* ------------------------------------------------------ recording */

struct got_row {
	unsigned long line, end_line, index;
	unsigned long long offset, total_len;
	char *raw;
	size_t raw_len, term_len, nfields;
	char **f;
	size_t *flen;
	int *fnull;
	struct csvread_error err;
};

struct got {
	struct got_row *rows;
	size_t n, cap;
	int rc;
	struct csvread_error err;
	int bom;
	unsigned long blank_lines;
	unsigned long stop_after;	/* on_row returns 7 on this row (1-based) */
};

static char *dup_bytes(const char *s, size_t len)
{
	char *p = malloc(len + 1);

	assert_non_null(p);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

static int record(const struct csvread_row *row, void *ctx)
{
	struct got *g = ctx;
	struct got_row *gr;
	size_t i;

	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 8;
		g->rows = realloc(g->rows, g->cap * sizeof(*g->rows));
		assert_non_null(g->rows);
	}
	gr = &g->rows[g->n++];
	memset(gr, 0, sizeof(*gr));
	gr->line = row->line;
	gr->end_line = row->end_line;
	gr->index = row->index;
	gr->offset = row->offset;
	gr->total_len = row->total_len;
	assert_int_equal(row->raw[row->raw_len], '\0');
	gr->raw = dup_bytes(row->raw, row->raw_len);
	gr->raw_len = row->raw_len;
	gr->term_len = row->term_len;
	gr->nfields = row->nfields;
	gr->f = calloc(row->nfields + 1, sizeof(char *));
	gr->flen = calloc(row->nfields + 1, sizeof(size_t));
	gr->fnull = calloc(row->nfields + 1, sizeof(int));
	for (i = 0; i < row->nfields; i++) {
		const struct csvread_field *f = &row->fields[i];

		assert_non_null(f->data);
		assert_int_equal(f->data[f->len], '\0');
		if (f->is_null)
			assert_int_equal(f->len, 0);
		gr->f[i] = dup_bytes(f->data, f->len);
		gr->flen[i] = f->len;
		gr->fnull[i] = f->is_null;
	}
	gr->err = row->error;
	if (g->stop_after && g->n == g->stop_after)
		return 7;
	return 0;
}

static void got_free(struct got *g)
{
	size_t i, j;

	for (i = 0; i < g->n; i++) {
		for (j = 0; j < g->rows[i].nfields; j++)
			free(g->rows[i].f[j]);
		free(g->rows[i].f);
		free(g->rows[i].flen);
		free(g->rows[i].fnull);
		free(g->rows[i].raw);
	}
	free(g->rows);
	memset(g, 0, sizeof(*g));
}

static void assert_err_equal(const struct csvread_error *a, const struct csvread_error *b)
{
	assert_int_equal(a->code, b->code);
	assert_int_equal(a->line, b->line);
	assert_int_equal(a->byte, b->byte);
	assert_int_equal(a->column, b->column);
	assert_int_equal(a->row_offset, b->row_offset);
	assert_int_equal(a->file_offset, b->file_offset);
	assert_string_equal(a->reason, b->reason);
}

/* Two runs of the same input must agree on everything. */
static void assert_got_equal(const struct got *a, const struct got *b)
{
	size_t i, j;

	assert_int_equal(a->rc, b->rc);
	assert_err_equal(&a->err, &b->err);
	assert_int_equal(a->bom, b->bom);
	assert_int_equal(a->blank_lines, b->blank_lines);
	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		const struct got_row *x = &a->rows[i], *y = &b->rows[i];

		assert_int_equal(x->line, y->line);
		assert_int_equal(x->end_line, y->end_line);
		assert_int_equal(x->index, y->index);
		assert_int_equal(x->offset, y->offset);
		assert_int_equal(x->total_len, y->total_len);
		assert_int_equal(x->raw_len, y->raw_len);
		assert_memory_equal(x->raw, y->raw, x->raw_len + 1);
		assert_int_equal(x->term_len, y->term_len);
		assert_int_equal(x->nfields, y->nfields);
		for (j = 0; j < x->nfields; j++) {
			assert_int_equal(x->flen[j], y->flen[j]);
			assert_memory_equal(x->f[j], y->f[j], x->flen[j] + 1);
			assert_int_equal(x->fnull[j], y->fnull[j]);
		}
		assert_err_equal(&x->err, &y->err);
	}
}

/* ------------------------------------------------------ the table */

struct xfield {
	const char *s;		/* NULL: is_null */
	size_t len;
};

#define F(x) { x, sizeof(x) - 1 }
#define FNULL { NULL, 0 }
#define RAW(x) .raw = x, .raw_len = sizeof(x) - 1
#define IN(x) .in = x, .len = sizeof(x) - 1

struct xrow {
	unsigned long line, end_line;	/* end_line 0: same as line */
	const char *raw;
	size_t raw_len;
	unsigned long long total;	/* 0: raw_len */
	size_t nf;
	struct xfield f[6];
	enum csvread_code err;
	unsigned long eline;
	size_t ebyte, ecol;
	const char *reason;		/* checked when set */
};

struct tcase {
	const char *name;
	const char *in;
	size_t len;
	const char *enc;
	int delim;
	size_t max_row;
	int keep_blank;
	int bom;
	unsigned long blank;
	size_t nrows;
	struct xrow rows[5];
	int rc;
	enum csvread_code serr;
	unsigned long sline;
	const char *sreason;
};

static const struct tcase cases[] = {
	{ .name = "simple", IN("a,b,c\n1,2,3\n"), .nrows = 2, .rows = {
		{ 1, 0, RAW("a,b,c\n"), .nf = 3, .f = { F("a"), F("b"), F("c") } },
		{ 2, 0, RAW("1,2,3\n"), .nf = 3, .f = { F("1"), F("2"), F("3") } } } },
	{ .name = "quoted commas and doubled quotes",
	  IN("\"a,b\",\"say \"\"hi\"\"\",c\n\"\"\"\"\n"), .nrows = 2, .rows = {
		{ 1, 0, RAW("\"a,b\",\"say \"\"hi\"\"\",c\n"), .nf = 3,
		  .f = { F("a,b"), F("say \"hi\""), F("c") } },
		{ 2, 0, RAW("\"\"\"\"\n"), .nf = 1, .f = { F("\"") } } } },
	{ .name = "LF inside quotes", IN("h1,h2\n\"line1\nline2\",x\nnext,y\n"), .nrows = 3, .rows = {
		{ 1, 0, RAW("h1,h2\n"), .nf = 2, .f = { F("h1"), F("h2") } },
		{ 2, 3, RAW("\"line1\nline2\",x\n"), .nf = 2, .f = { F("line1\nline2"), F("x") } },
		{ 4, 0, RAW("next,y\n"), .nf = 2, .f = { F("next"), F("y") } } } },
	{ .name = "CRLF inside quotes and as row ends",
	  IN("a,b\r\n\"x\r\ny\r\n\",z\r\nc,\"\r\"\r\n"), .nrows = 3, .rows = {
		{ 1, 0, RAW("a,b\r\n"), .nf = 2, .f = { F("a"), F("b") } },
		{ 2, 4, RAW("\"x\r\ny\r\n\",z\r\n"), .nf = 2, .f = { F("x\r\ny\r\n"), F("z") } },
		{ 5, 0, RAW("c,\"\r\"\r\n"), .nf = 2, .f = { F("c"), F("\r") } } } },
	{ .name = "mixed LF and CRLF", IN("a\r\nb\nc\r\nd"), .nrows = 4, .rows = {
		{ 1, 0, RAW("a\r\n"), .nf = 1, .f = { F("a") } },
		{ 2, 0, RAW("b\n"), .nf = 1, .f = { F("b") } },
		{ 3, 0, RAW("c\r\n"), .nf = 1, .f = { F("c") } },
		{ 4, 0, RAW("d"), .nf = 1, .f = { F("d") } } } },
	{ .name = "no final newline", IN("a,b\nc,\"d\""), .nrows = 2, .rows = {
		{ 1, 0, RAW("a,b\n"), .nf = 2, .f = { F("a"), F("b") } },
		{ 2, 0, RAW("c,\"d\""), .nf = 2, .f = { F("c"), F("d") } } } },
	{ .name = "BOM", IN("\xEF\xBB\xBF" "a,b\n1,2\n"), .bom = 1, .nrows = 2, .rows = {
		{ 1, 0, RAW("a,b\n"), .nf = 2, .f = { F("a"), F("b") } },
		{ 2, 0, RAW("1,2\n"), .nf = 2, .f = { F("1"), F("2") } } } },
	{ .name = "BOM only", IN("\xEF\xBB\xBF"), .bom = 1 },
	{ .name = "empty input", IN("") },
	{ .name = "partial BOM is data", IN("\xEF\xBBx\n"), .nrows = 1, .rows = {
		{ 1, 0, RAW("\xEF\xBBx\n"), .nf = 1, .f = { F("\xEF\xBBx") },
		  .err = CSVREAD_EUTF8, .eline = 1, .ebyte = 1, .ecol = 1,
		  .reason = "invalid UTF-8 (truncated sequence) at byte 1 of line 1, field 1" } } },
	{ .name = "empty unquoted vs quoted empty", IN("a,,\"\",b\n,\n"), .nrows = 2, .rows = {
		{ 1, 0, RAW("a,,\"\",b\n"), .nf = 4, .f = { F("a"), FNULL, F(""), F("b") } },
		{ 2, 0, RAW(",\n"), .nf = 2, .f = { FNULL, FNULL } } } },
	{ .name = "trailing comma", IN("a,b,\n"), .nrows = 1, .rows = {
		{ 1, 0, RAW("a,b,\n"), .nf = 3, .f = { F("a"), F("b"), FNULL } } } },
	{ .name = "spaces are data", IN(" a , b\t\n \n"), .nrows = 2, .rows = {
		{ 1, 0, RAW(" a , b\t\n"), .nf = 2, .f = { F(" a "), F(" b\t") } },
		{ 2, 0, RAW(" \n"), .nf = 1, .f = { F(" ") } } } },
	{ .name = "blank lines skipped and counted", IN("\na\n\nb\r\n\r\n\nc\n\n"), .blank = 5,
	  .nrows = 3, .rows = {
		{ 2, 0, RAW("a\n"), .nf = 1, .f = { F("a") } },
		{ 4, 0, RAW("b\r\n"), .nf = 1, .f = { F("b") } },
		{ 7, 0, RAW("c\n"), .nf = 1, .f = { F("c") } } } },
	{ .name = "blank lines kept", IN("a\n\r\nb"), .keep_blank = 1, .blank = 1, .nrows = 3, .rows = {
		{ 1, 0, RAW("a\n"), .nf = 1, .f = { F("a") } },
		{ 2, 0, RAW("\r\n"), .nf = 0 },
		{ 3, 0, RAW("b"), .nf = 1, .f = { F("b") } } } },
	{ .name = "stray quote", IN("x,ab\"c,y\nz\n"), .nrows = 2, .rows = {
		{ 1, 0, RAW("x,ab\"c,y\n"), .nf = 3, .f = { F("x"), F("ab\"c"), F("y") },
		  .err = CSVREAD_EQUOTE, .eline = 1, .ebyte = 5, .ecol = 2,
		  .reason = "quote inside unquoted field 2 at byte 5 of line 1" },
		{ 2, 0, RAW("z\n"), .nf = 1, .f = { F("z") } } } },
	{ .name = "stray quotes do not open quoting", IN("a\"b,c\"\nd\n"), .nrows = 2, .rows = {
		{ 1, 0, RAW("a\"b,c\"\n"), .nf = 2, .f = { F("a\"b"), F("c\"") },
		  .err = CSVREAD_EQUOTE, .eline = 1, .ebyte = 2, .ecol = 1 },
		{ 2, 0, RAW("d\n"), .nf = 1, .f = { F("d") } } } },
	{ .name = "garbage after closing quote", IN("\"abc\"x,y\nz\n"), .nrows = 2, .rows = {
		{ 1, 0, RAW("\"abc\"x,y\n"), .nf = 1, .f = { F("abc\"x,y") },
		  .err = CSVREAD_EAFTERQUOTE, .eline = 1, .ebyte = 6, .ecol = 1,
		  .reason = "unexpected character after the closing quote of field 1 "
			    "at byte 6 of line 1" },
		{ 2, 0, RAW("z\n"), .nf = 1, .f = { F("z") } } } },
	{ .name = "space after closing quote", IN("a,\"b\" ,c\n"), .nrows = 1, .rows = {
		{ 1, 0, RAW("a,\"b\" ,c\n"), .nf = 2, .f = { F("a"), F("b\" ,c") },
		  .err = CSVREAD_EAFTERQUOTE, .eline = 1, .ebyte = 6, .ecol = 2 } } },
	{ .name = "unescaped quote in quoted field", IN("\"say \"hi\" x\",1\nz\n"), .nrows = 2, .rows = {
		{ 1, 0, RAW("\"say \"hi\" x\",1\n"), .nf = 2, .f = { F("say \"hi\" x"), F("1") },
		  .err = CSVREAD_EAFTERQUOTE, .eline = 1, .ebyte = 7, .ecol = 1 },
		{ 2, 0, RAW("z\n"), .nf = 1, .f = { F("z") } } } },
	{ .name = "unterminated quote at EOF", IN("a,b\nc,\"open\nmore,x\n"), .nrows = 2, .rows = {
		{ 1, 0, RAW("a,b\n"), .nf = 2, .f = { F("a"), F("b") } },
		{ 2, 4, RAW("c,\"open\nmore,x\n"), .nf = 2, .f = { F("c"), F("open\nmore,x\n") },
		  .err = CSVREAD_EUNTERMINATED, .eline = 2, .ebyte = 3, .ecol = 2 } },
	  .rc = -1, .serr = CSVREAD_EUNTERMINATED, .sline = 2,
	  .sreason = "quoted field 2 starting at byte 3 of line 2 is not closed at end of input" },
	{ .name = "NUL byte", IN("a,b\0c\nd\n"), .nrows = 2, .rows = {
		{ 1, 0, RAW("a,b\0c\n"), .nf = 2, .f = { F("a"), F("b\0c") },
		  .err = CSVREAD_ENUL, .eline = 1, .ebyte = 4, .ecol = 2,
		  .reason = "NUL byte at byte 4 of line 1, field 2" },
		{ 2, 0, RAW("d\n"), .nf = 1, .f = { F("d") } } } },
	{ .name = "UTF-8 valid", IN("caf\xC3\xA9,\xE6\x97\xA5,\xF0\x9F\x98\x80,\xF4\x8F\xBF\xBF\n"),
	  .nrows = 1, .rows = {
		{ 1, 0, RAW("caf\xC3\xA9,\xE6\x97\xA5,\xF0\x9F\x98\x80,\xF4\x8F\xBF\xBF\n"), .nf = 4,
		  .f = { F("caf\xC3\xA9"), F("\xE6\x97\xA5"), F("\xF0\x9F\x98\x80"),
			 F("\xF4\x8F\xBF\xBF") } } } },
	{ .name = "UTF-8 lone continuation byte", IN("ok,\x80x\n"), .nrows = 1, .rows = {
		{ 1, 0, RAW("ok,\x80x\n"), .nf = 2, .f = { F("ok"), F("\x80x") },
		  .err = CSVREAD_EUTF8, .eline = 1, .ebyte = 4, .ecol = 2,
		  .reason = "invalid UTF-8 (unexpected continuation byte) at byte 4 of line 1, field 2" } } },
	{ .name = "UTF-8 truncated at end of field", IN("caf\xC3,x\n"), .nrows = 1, .rows = {
		{ 1, 0, RAW("caf\xC3,x\n"), .nf = 2, .f = { F("caf\xC3"), F("x") },
		  .err = CSVREAD_EUTF8, .eline = 1, .ebyte = 4, .ecol = 1 } } },
	{ .name = "UTF-8 truncated at end of input", IN("a,b\xE2\x82"), .nrows = 1, .rows = {
		{ 1, 0, RAW("a,b\xE2\x82"), .nf = 2, .f = { F("a"), F("b\xE2\x82") },
		  .err = CSVREAD_EUTF8, .eline = 1, .ebyte = 4, .ecol = 2 } } },
	{ .name = "UTF-8 overlong C0 80", IN("a\xC0\x80\n"), .nrows = 1, .rows = {
		{ 1, 0, RAW("a\xC0\x80\n"), .nf = 1, .f = { F("a\xC0\x80") },
		  .err = CSVREAD_EUTF8, .eline = 1, .ebyte = 2, .ecol = 1,
		  .reason = "invalid UTF-8 (overlong encoding) at byte 2 of line 1, field 1" } } },
	{ .name = "UTF-8 overlong E0 80 AF", IN("x,y,\xE0\x80\xAF\n"), .nrows = 1, .rows = {
		{ 1, 0, RAW("x,y,\xE0\x80\xAF\n"), .nf = 3, .f = { F("x"), F("y"), F("\xE0\x80\xAF") },
		  .err = CSVREAD_EUTF8, .eline = 1, .ebyte = 5, .ecol = 3 } } },
	{ .name = "UTF-8 surrogate", IN("\xED\xA0\x80\n"), .nrows = 1, .rows = {
		{ 1, 0, RAW("\xED\xA0\x80\n"), .nf = 1, .f = { F("\xED\xA0\x80") },
		  .err = CSVREAD_EUTF8, .eline = 1, .ebyte = 1, .ecol = 1,
		  .reason = "invalid UTF-8 (UTF-16 surrogate) at byte 1 of line 1, field 1" } } },
	{ .name = "UTF-8 F5", IN("ab\xF5\x80\x80\x80\n"), .nrows = 1, .rows = {
		{ 1, 0, RAW("ab\xF5\x80\x80\x80\n"), .nf = 1, .f = { F("ab\xF5\x80\x80\x80") },
		  .err = CSVREAD_EUTF8, .eline = 1, .ebyte = 3, .ecol = 1 } } },
	{ .name = "UTF-8 above U+10FFFF", IN("\xF4\x90\x80\x80\n"), .nrows = 1, .rows = {
		{ 1, 0, RAW("\xF4\x90\x80\x80\n"), .nf = 1, .f = { F("\xF4\x90\x80\x80") },
		  .err = CSVREAD_EUTF8, .eline = 1, .ebyte = 1, .ecol = 1,
		  .reason = "invalid UTF-8 (code point above U+10FFFF) at byte 1 of line 1, field 1" } } },
	{ .name = "UTF-8 error on a later line of a row",
	  IN("\xEF\xBB\xBFh\n\"x\nabc\xFF\",2\n"), .bom = 1, .nrows = 2, .rows = {
		{ 1, 0, RAW("h\n"), .nf = 1, .f = { F("h") } },
		{ 2, 3, RAW("\"x\nabc\xFF\",2\n"), .nf = 2, .f = { F("x\nabc\xFF"), F("2") },
		  .err = CSVREAD_EUTF8, .eline = 3, .ebyte = 4, .ecol = 1 } } },
	{ .name = "first error wins", IN("a\xFF,b\"c\n"), .nrows = 1, .rows = {
		{ 1, 0, RAW("a\xFF,b\"c\n"), .nf = 2, .f = { F("a\xFF"), F("b\"c") },
		  .err = CSVREAD_EUTF8, .eline = 1, .ebyte = 2, .ecol = 1 } } },
	{ .name = "bare CR", IN("a\rb,c\nd\n"), .nrows = 2, .rows = {
		{ 1, 0, RAW("a\rb,c\n"), .nf = 3, .f = { F("a"), F("b"), F("c") },
		  .err = CSVREAD_ECR, .eline = 1, .ebyte = 2, .ecol = 1 },
		{ 2, 0, RAW("d\n"), .nf = 1, .f = { F("d") } } } },
	{ .name = "old Mac line ends", IN("a,b\rc,d\r"), .nrows = 1, .rows = {
		{ 1, 0, RAW("a,b\rc,d\r"), .nf = 4, .f = { F("a"), F("b"), F("c"), F("d") },
		  .err = CSVREAD_ECR, .eline = 1, .ebyte = 4, .ecol = 2 } } },
	{ .name = "CR CR LF", IN("a\r\r\nb\n"), .nrows = 2, .rows = {
		{ 1, 0, RAW("a\r\r\n"), .nf = 1, .f = { F("a") },
		  .err = CSVREAD_ECR, .eline = 1, .ebyte = 2, .ecol = 1 },
		{ 2, 0, RAW("b\n"), .nf = 1, .f = { F("b") } } } },
	{ .name = "row too long", IN("abc\n0123456789abcdef\nxy\n"), .max_row = 8, .nrows = 3, .rows = {
		{ 1, 0, RAW("abc\n"), .nf = 1, .f = { F("abc") } },
		{ 2, 0, RAW("01234567"), .total = 17, .nf = 0,
		  .err = CSVREAD_ETOOLONG, .eline = 2, .ebyte = 9, .ecol = 1,
		  .reason = "row is 17 bytes, longer than the limit of 8" },
		{ 3, 0, RAW("xy\n"), .nf = 1, .f = { F("xy") } } } },
	{ .name = "row too long beats other errors", IN("a\"\n\"0123\n45\"6789\nxy\n"), .max_row = 8,
	  .nrows = 3, .rows = {
		{ 1, 0, RAW("a\"\n"), .nf = 1, .f = { F("a\"") },
		  .err = CSVREAD_EQUOTE, .eline = 1, .ebyte = 2, .ecol = 1 },
		{ 2, 3, RAW("\"0123\n45"), .total = 14, .nf = 0,
		  .err = CSVREAD_ETOOLONG, .eline = 3, .ebyte = 3, .ecol = 1 },
		{ 4, 0, RAW("xy\n"), .nf = 1, .f = { F("xy") } } } },
	{ .name = "row exactly at the limit", IN("abcdefg\n"), .max_row = 8, .nrows = 1, .rows = {
		{ 1, 0, RAW("abcdefg\n"), .nf = 1, .f = { F("abcdefg") } } } },
	{ .name = "Latin-1", IN("caf\xE9,x\n\"\xE0\nb\"\n"), .enc = "LATIN1", .nrows = 2, .rows = {
		{ 1, 0, RAW("caf\xE9,x\n"), .nf = 2, .f = { F("caf\xC3\xA9"), F("x") } },
		{ 2, 3, RAW("\"\xE0\nb\"\n"), .nf = 1, .f = { F("\xC3\xA0\nb") } } } },
	{ .name = "Latin-1 keeps a BOM as data", IN("\xEF\xBB\xBF" "a\n"), .enc = "ISO-8859-1",
	  .nrows = 1, .rows = {
		{ 1, 0, RAW("\xEF\xBB\xBF" "a\n"), .nf = 1, .f = { F("\xC3\xAF\xC2\xBB\xC2\xBF" "a") } } } },
	{ .name = "Windows-1252 unconvertible byte", IN("\x80,ok,\x81x\n"), .enc = "WINDOWS-1252",
	  .nrows = 1, .rows = {
		{ 1, 0, RAW("\x80,ok,\x81x\n"), .nf = 3,
		  .f = { F("\xE2\x82\xAC"), F("ok"), F("\xEF\xBF\xBDx") },
		  .err = CSVREAD_ECONV, .eline = 1, .ebyte = 6, .ecol = 3,
		  .reason = "byte 0x81 at byte 6 of line 1, field 3 is not valid WINDOWS-1252" } } },
	{ .name = "semicolon", IN("a;b,c;\"d;e\"\n"), .delim = ';', .nrows = 1, .rows = {
		{ 1, 0, RAW("a;b,c;\"d;e\"\n"), .nf = 3, .f = { F("a"), F("b,c"), F("d;e") } } } },
	{ .name = "tab", IN("a\tb c\t\"d\te\"\t\n"), .delim = '\t', .nrows = 1, .rows = {
		{ 1, 0, RAW("a\tb c\t\"d\te\"\t\n"), .nf = 4, .f = { F("a"), F("b c"), F("d\te"), FNULL } } } },
};

/* ------------------------------------------------------ running */

struct opts {
	const char *enc;
	int delim;
	size_t max_row;
	int keep_blank;
};

static void setup_reader(struct csvread *r, struct got *g, const struct opts *o)
{
	csvread_init(r, record, g);
	if (o->enc)
		assert_int_equal(csvread_set_encoding(r, o->enc), 0);
	if (o->delim)
		assert_int_equal(csvread_set_delim(r, o->delim), 0);
	if (o->max_row)
		assert_int_equal(csvread_set_max_row(r, o->max_row), 0);
	if (o->keep_blank)
		assert_int_equal(csvread_set_keep_blank(r, 1), 0);
}

/* Parse in, len in chunks of chunk bytes, into g. */
static void run(const struct opts *o, const char *in, size_t len, size_t chunk, struct got *g)
{
	struct csvread r;
	size_t off;
	int rc = 0;

	memset(g, 0, sizeof(*g));
	setup_reader(&r, g, o);
	for (off = 0; off < len && rc == 0; off += chunk)
		rc = csvread_feed(&r, in + off, len - off < chunk ? len - off : chunk);
	if (rc == 0)
		rc = csvread_finish(&r);
	g->rc = rc;
	g->err = r.error;
	g->bom = r.bom;
	g->blank_lines = r.blank_lines;
	assert_int_equal(r.rows, g->n);
	csvread_release(&r);
}

/* BOM + the raw bytes of every row must be the input. */
static void assert_raw_concat(const struct got *g, const char *in, size_t len)
{
	size_t i, off = 0;

	if (g->bom) {
		assert_true(len >= 3);
		assert_memory_equal(in, "\xEF\xBB\xBF", 3);
		off = 3;
	}
	for (i = 0; i < g->n; i++) {
		const struct got_row *row = &g->rows[i];

		assert_int_equal(row->offset, off);
		assert_true(off + row->raw_len <= len);
		assert_memory_equal(in + off, row->raw, row->raw_len);
		off += row->total_len;
	}
	assert_int_equal(off, len);
}

static void assert_case(const struct tcase *t, const struct got *g)
{
	size_t i, j;

	assert_int_equal(g->rc, t->rc);
	assert_int_equal(g->err.code, t->serr);
	if (t->rc) {
		assert_int_equal(g->err.line, t->sline);
		if (t->sreason)
			assert_string_equal(g->err.reason, t->sreason);
	}
	assert_int_equal(g->bom, t->bom);
	assert_int_equal(g->blank_lines, t->blank);
	assert_int_equal(g->n, t->nrows);
	for (i = 0; i < t->nrows; i++) {
		const struct xrow *x = &t->rows[i];
		const struct got_row *y = &g->rows[i];

		assert_int_equal(y->index, i);
		assert_int_equal(y->line, x->line);
		assert_int_equal(y->end_line, x->end_line ? x->end_line : x->line);
		assert_int_equal(y->raw_len, x->raw_len);
		assert_memory_equal(y->raw, x->raw, x->raw_len);
		assert_int_equal(y->total_len, x->total ? x->total : x->raw_len);
		assert_int_equal(y->nfields, x->nf);
		for (j = 0; j < x->nf; j++) {
			if (!x->f[j].s) {
				assert_true(y->fnull[j]);
				continue;
			}
			assert_false(y->fnull[j]);
			assert_int_equal(y->flen[j], x->f[j].len);
			assert_memory_equal(y->f[j], x->f[j].s, x->f[j].len);
		}
		assert_int_equal(y->err.code, x->err);
		if (x->err == CSVREAD_OK)
			continue;
		assert_int_equal(y->err.line, x->eline);
		assert_int_equal(y->err.byte, x->ebyte);
		assert_int_equal(y->err.column, x->ecol);
		assert_int_equal(y->err.file_offset, y->offset + y->err.row_offset);
		assert_true(y->err.reason[0] != '\0');
		if (x->reason)
			assert_string_equal(y->err.reason, x->reason);
	}
}

static void test_table(void **state)
{
	size_t i, chunk;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *t = &cases[i];
		struct opts o = { t->enc, t->delim, t->max_row, t->keep_blank };
		struct opts keep = o;
		struct got whole, g;

		print_message("case: %s\n", t->name);
		run(&o, t->in, t->len, t->len ? t->len : 1, &whole);
		assert_case(t, &whole);
		for (chunk = 1; chunk < t->len; chunk++) {
			run(&o, t->in, t->len, chunk, &g);
			assert_got_equal(&whole, &g);
			got_free(&g);
		}
		/* The property, blank lines included. */
		keep.keep_blank = 1;
		for (chunk = 1; chunk <= t->len; chunk++) {
			run(&keep, t->in, t->len, chunk, &g);
			assert_raw_concat(&g, t->in, t->len);
			got_free(&g);
		}
		got_free(&whole);
	}
}

/* ------------------------------------------------------ garbage */

/*
 * An RFC 4180 splitter for rows csvread found valid: the reference the
 * libcsv stage must agree with.
 */
static size_t ref_split(const char *s, size_t len, char delim, char out[][64], int *nulls)
{
	size_t i = 0, n = 0;

	for (;;) {
		size_t k = 0;

		nulls[n] = 0;
		if (i < len && s[i] == '"') {
			for (i++; !(s[i] == '"' && (i + 1 >= len || s[i + 1] != '"')); i++) {
				if (s[i] == '"')
					i++;
				out[n][k++] = s[i];
			}
			i++;
		} else {
			while (i < len && s[i] != delim)
				out[n][k++] = s[i++];
			nulls[n] = k == 0;
		}
		out[n++][k] = '\0';
		if (i >= len)
			return n;
		i++;	/* the delimiter */
	}
}

static unsigned long rng_state = 12345;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((rng_state >> 33) % n);
}

static void check_valid_rows(const struct got *g, char delim)
{
	static char out[64][64];
	int nulls[64];
	size_t i, j;

	for (i = 0; i < g->n; i++) {
		const struct got_row *row = &g->rows[i];
		size_t n;

		assert_int_not_equal(row->err.code, CSVREAD_EINTERNAL);
		if (row->err.code != CSVREAD_OK || row->nfields == 0)
			continue;
		n = ref_split(row->raw, row->raw_len - row->term_len, delim, out, nulls);
		assert_int_equal(n, row->nfields);
		for (j = 0; j < n; j++) {
			assert_string_equal(out[j], row->f[j]);
			assert_int_equal(nulls[j], row->fnull[j]);
		}
	}
}

#ifndef GARBAGE_ITERS
#define GARBAGE_ITERS 3000
#endif

/*
 * Random bytes from the characters that matter, with random delimiter,
 * row limit and encoding: every chunking gives the same rows, the raw
 * bytes add up to the input, and libcsv agrees with the reference on
 * every row found valid.
 */
static void test_garbage(void **state)
{
	static const char alphabet[] = "ab,;\t\"\"\"\n\n\r \xC3\xA9\xFF";
	static const char delims[] = ",;\t";
	static const size_t chunks[] = { 1, 2, 3, 5, 7, 16, 64 };
	char in[48];
	long iter;

	(void)state;
	for (iter = 0; iter < GARBAGE_ITERS; iter++) {
		struct opts o = { NULL, delims[rnd(3)], 0, 1 };
		size_t len = rnd(sizeof(in)), i, c;
		struct got whole, g;

		for (i = 0; i < len; i++)
			in[i] = alphabet[rnd(sizeof(alphabet) - 1)];
		if (len && iter % 10 == 0)
			in[rnd((unsigned)len)] = '\0';
		if (iter % 7 == 0)
			o.max_row = 2 + rnd(10);
		if (iter % 5 == 0)
			o.enc = "LATIN1";
		run(&o, in, len, len ? len : 1, &whole);
		assert_raw_concat(&whole, in, len);
		if (!o.enc)
			check_valid_rows(&whole, (char)o.delim);
		for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
			run(&o, in, len, chunks[c], &g);
			assert_got_equal(&whole, &g);
			got_free(&g);
		}
		got_free(&whole);
	}
}

/*
 * Random valid CSV written from known fields (quoted when needed or by
 * chance, LF or CR LF row ends): every chunking reads the fields back,
 * null flags and line numbers included.
 */
struct gen {
	char in[1024];
	size_t len;
	size_t nrows, nf[5];
	char f[5][5][16];
	int null[5][5];
	unsigned long line[6];
};

static void gen_field(struct gen *gn, size_t row, size_t col, char delim)
{
	static const char *const alphabet[] = {
		"a", "b", " ", ",", ";", "\t", "\"", "\r", "\n", "\xC3\xA9"
	};
	char *f = gn->f[row][col];
	size_t n = 0, k = rnd(7), i;
	int quote = rnd(3) == 0;

	while (k--) {
		const char *a = alphabet[rnd(sizeof(alphabet) / sizeof(alphabet[0]))];

		if (*a == delim || *a == '"' || *a == '\r' || *a == '\n')
			quote = 1;
		while (*a)
			f[n++] = *a++;
	}
	f[n] = '\0';
	if (n == 0 && gn->nf[row] == 1)
		quote = 1;	/* else it would be a blank line */
	gn->null[row][col] = n == 0 && !quote;
	if (quote)
		gn->in[gn->len++] = '"';
	for (i = 0; i < n; i++) {
		if (f[i] == '\n')
			gn->line[row + 1]++;
		if (f[i] == '"')
			gn->in[gn->len++] = '"';
		gn->in[gn->len++] = f[i];
	}
	if (quote)
		gn->in[gn->len++] = '"';
}

static void gen_csv(struct gen *gn, char delim)
{
	size_t r, c;

	gn->len = 0;
	gn->nrows = 1 + rnd(5);
	gn->line[0] = 1;
	for (r = 0; r < gn->nrows; r++) {
		if (r > 0)
			gn->line[r] += gn->line[r - 1] + 1;
		gn->line[r + 1] = 0;
		gn->nf[r] = 1 + rnd(5);
		for (c = 0; c < gn->nf[r]; c++) {
			if (c > 0)
				gn->in[gn->len++] = delim;
			gen_field(gn, r, c, delim);
		}
		if (rnd(2))
			gn->in[gn->len++] = '\r';
		if (r + 1 < gn->nrows || rnd(2))
			gn->in[gn->len++] = '\n';
		else if (gn->in[gn->len - 1] == '\r')
			gn->len--;
	}
}

static void test_roundtrip(void **state)
{
	static const char delims[] = ",;\t";
	static const size_t chunks[] = { 1, 2, 3, 4, 5, 8, 13, 4096 };
	struct gen gn;
	long iter;

	(void)state;
	for (iter = 0; iter < GARBAGE_ITERS; iter++) {
		struct opts o = { NULL, delims[rnd(3)], 0, 0 };
		size_t c, r, j;

		gen_csv(&gn, (char)o.delim);
		for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
			struct got g;

			run(&o, gn.in, gn.len, chunks[c], &g);
			assert_int_equal(g.rc, 0);
			assert_int_equal(g.n, gn.nrows);
			for (r = 0; r < gn.nrows; r++) {
				assert_int_equal(g.rows[r].err.code, CSVREAD_OK);
				assert_int_equal(g.rows[r].line, gn.line[r]);
				assert_int_equal(g.rows[r].nfields, gn.nf[r]);
				for (j = 0; j < gn.nf[r]; j++) {
					assert_string_equal(g.rows[r].f[j], gn.f[r][j]);
					assert_int_equal(g.rows[r].fnull[j], gn.null[r][j]);
				}
			}
			assert_raw_concat(&g, gn.in, gn.len);
			got_free(&g);
		}
	}
}

/* ------------------------------------------------------ limits */

static int count_rows(const struct csvread_row *row, void *ctx)
{
	struct got *g = ctx;

	if (row->index == 1) {
		assert_int_equal(row->error.code, CSVREAD_ETOOLONG);
		assert_int_equal(row->raw_len, 4096);
		assert_int_equal(row->total_len, 10u * 1000 * 1000 + 1);
		assert_int_equal(row->nfields, 0);
	} else {
		assert_int_equal(row->error.code, CSVREAD_OK);
		assert_int_equal(row->nfields, 1);
	}
	assert_int_equal(row->line, row->index + 1);
	g->n++;
	return 0;
}

/* A 10 MB line with a 4 KiB limit: memory stays near the limit. */
static void test_huge_row(void **state)
{
	struct csvread r;
	struct got g = { 0 };
	char *chunk = malloc(10000);
	int i;

	(void)state;
	assert_non_null(chunk);
	memset(chunk, 'x', 10000);
	csvread_init(&r, count_rows, &g);
	assert_int_equal(csvread_set_max_row(&r, 4096), 0);
	assert_int_equal(csvread_feed(&r, "head\n", 5), 0);
	for (i = 0; i < 1000; i++) {
		assert_int_equal(csvread_feed(&r, chunk, 10000), 0);
		assert_true(r.raw.cap <= 2 * 4096 + 64);
		if (r.csv)
			assert_true(csv_get_buffer_size(r.csv) <= 4096);
	}
	assert_int_equal(csvread_feed(&r, "\ntail\n", 6), 0);
	assert_int_equal(csvread_finish(&r), 0);
	assert_int_equal(g.n, 3);
	csvread_release(&r);
	free(chunk);
}

/* ------------------------------------------------------ API */

static void test_stop(void **state)
{
	struct csvread r;
	struct got g = { 0 };

	(void)state;
	g.stop_after = 2;
	csvread_init(&r, record, &g);
	assert_int_equal(csvread_feed(&r, "a\nb\nc\n", 6), -1);
	assert_int_equal(r.error.code, CSVREAD_ESTOPPED);
	assert_int_equal(r.cb_status, 7);
	assert_int_equal(g.n, 2);
	assert_int_equal(csvread_feed(&r, "d\n", 2), -1);
	assert_int_equal(csvread_finish(&r), -1);
	assert_int_equal(g.n, 2);
	/* reset makes it usable again, line numbers start over */
	csvread_reset(&r);
	g.stop_after = 0;
	assert_int_equal(csvread_feed(&r, "x\n\"y\nz\"", 7), 0);
	assert_int_equal(csvread_finish(&r), 0);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.rows[2].line, 1);
	assert_int_equal(g.rows[3].line, 2);
	assert_int_equal(g.rows[3].index, 1);
	assert_string_equal(g.rows[3].f[0], "y\nz");
	csvread_release(&r);
	got_free(&g);
}

static void test_usage(void **state)
{
	struct csvread r;
	struct got g = { 0 };

	(void)state;
	csvread_init(&r, record, &g);
	assert_int_equal(csvread_set_delim(&r, '"'), -1);
	assert_int_equal(r.error.code, CSVREAD_EUSAGE);
	assert_int_equal(csvread_set_delim(&r, '\n'), -1);
	assert_int_equal(csvread_set_delim(&r, 0xE9), -1);
	assert_int_equal(csvread_set_max_row(&r, 1), -1);
	assert_int_equal(csvread_set_delim(&r, ';'), 0);
	assert_int_equal(csvread_feed(&r, "a;b\n", 4), 0);
	assert_int_equal(csvread_set_delim(&r, ','), -1);
	assert_int_equal(r.error.code, CSVREAD_EUSAGE);
	assert_int_equal(csvread_set_encoding(&r, "LATIN1"), -1);
	assert_int_equal(csvread_finish(&r), 0);
	assert_int_equal(csvread_feed(&r, "x", 1), -1);
	assert_int_equal(csvread_finish(&r), -1);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.rows[0].nfields, 2);
	csvread_release(&r);
	got_free(&g);
	assert_string_equal(csvread_code_name(CSVREAD_EUTF8), "utf8");
	assert_string_equal(csvread_code_name(CSVREAD_EUSAGE), "usage");
	assert_non_null(csvread_hint(CSVREAD_EQUOTE));
	assert_null(csvread_hint(CSVREAD_OK));
}

static void test_encoding_names(void **state)
{
	static const char *const good[] = {
		"LATIN1", "ISO-8859-1", "iso-8859-15", "WINDOWS-1252", "CP1252",
		"SHIFT_JIS", "GB18030", "EUC-JP", "utf-8", "UTF8"
	};
	static const char *const bad[] = {
		"UTF-16", "UTF-16LE", "UTF-32", "UCS-2", "UTF-7", "EBCDIC-US", "ISO-2022-JP"
	};
	struct csvread r;
	struct got g = { 0 };
	size_t i;

	(void)state;
	csvread_init(&r, record, &g);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (csvread_set_encoding(&r, good[i]) != 0)
			fail_msg("%s: %s", good[i], r.error.reason);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (csvread_set_encoding(&r, bad[i]) != -1)
			fail_msg("%s accepted", bad[i]);
		assert_int_equal(r.error.code, CSVREAD_EENCODING);
		assert_non_null(strstr(r.error.reason, bad[i]));
		assert_non_null(strstr(r.error.reason, "not ASCII-compatible"));
	}
	/* '|' may be the second byte of a Shift_JIS character */
	assert_int_equal(csvread_set_encoding(&r, "SHIFT_JIS"), 0);
	assert_int_equal(csvread_set_delim(&r, '|'), -1);
	assert_int_equal(csvread_set_delim(&r, '\t'), 0);
	assert_int_equal(csvread_set_encoding(&r, "LATIN1"), 0);
	assert_int_equal(csvread_set_delim(&r, '|'), 0);
	assert_int_equal(csvread_set_encoding(&r, "GB18030"), -1);
	assert_non_null(strstr(r.error.reason, "delimiter 0x7C"));
	assert_int_equal(csvread_set_delim(&r, ','), 0);
	assert_int_equal(csvread_set_encoding(&r, "UTF-8"), 0);
	assert_int_equal(csvread_set_encoding(&r, "NOPE-42"), -1);
	assert_int_equal(r.error.code, CSVREAD_EENCODING);
	assert_string_equal(r.error.reason, "unknown encoding 'NOPE-42'");
	/* a failed set keeps the previous encoding (UTF8 here) */
	assert_int_equal(csvread_feed(&r, "\xC3\xA9\n", 3), 0);
	assert_int_equal(csvread_finish(&r), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.rows[0].f[0], "\xC3\xA9");
	assert_int_equal(g.rows[0].err.code, CSVREAD_OK);
	csvread_release(&r);
	got_free(&g);
}

/* Shift_JIS: 0x5C and 0x7C as trail bytes are not delimiters. */
static void test_shift_jis(void **state)
{
	static const char in[] = "\x95\x5C,\x83\x7C\n";
	struct opts o = { "SHIFT_JIS", 0, 0, 0 };
	struct got g;
	size_t c;

	(void)state;
	for (c = 1; c < sizeof(in); c++) {
		run(&o, in, sizeof(in) - 1, c, &g);
		assert_int_equal(g.n, 1);
		assert_int_equal(g.rows[0].err.code, CSVREAD_OK);
		assert_int_equal(g.rows[0].nfields, 2);
		assert_string_equal(g.rows[0].f[0], "\xE8\xA1\xA8");
		assert_string_equal(g.rows[0].f[1], "\xE3\x83\x9D");
		got_free(&g);
	}
}

/* csvread_file over several 64 KiB chunks, a quoted field across them. */
static void test_file(void **state)
{
	FILE *fp = tmpfile();
	struct csvread r;
	struct got g = { 0 };
	unsigned long i;
	size_t total = 0;

	(void)state;
	assert_non_null(fp);
	total += (size_t)fprintf(fp, "\xEF\xBB\xBFid,text\r\n");
	for (i = 0; i < 20000; i++) {
		if (i == 7000)
			total += (size_t)fprintf(fp, "%lu,\"multi\nline\"\r\n", i);
		else
			total += (size_t)fprintf(fp, "%lu,row number %lu\r\n", i, i);
	}
	rewind(fp);
	csvread_init(&r, record, &g);
	assert_int_equal(csvread_file(&r, fp), 0);
	assert_true(total > 3 * CSVREAD_CHUNK);
	assert_int_equal(r.bytes, total);
	assert_int_equal(r.bom, 1);
	assert_int_equal(g.n, 20001);
	assert_int_equal(g.rows[7001].line, 7002);
	assert_int_equal(g.rows[7001].end_line, 7003);
	assert_string_equal(g.rows[7001].f[1], "multi\nline");
	assert_int_equal(g.rows[7002].line, 7004);
	assert_int_equal(g.rows[20000].line, 20002);
	assert_string_equal(g.rows[20000].f[1], "row number 19999");
	for (i = 0; i < g.n; i++)
		assert_int_equal(g.rows[i].err.code, CSVREAD_OK);
	csvread_release(&r);
	got_free(&g);
	fclose(fp);
}

static void test_io_error(void **state)
{
	FILE *fp = fopen("/", "r");
	struct csvread r;
	struct got g = { 0 };

	(void)state;
	if (!fp)
		skip();
	csvread_init(&r, record, &g);
	assert_int_equal(csvread_file(&r, fp), -1);
	assert_int_equal(r.error.code, CSVREAD_EIO);
	assert_non_null(strstr(r.error.reason, "read error"));
	csvread_release(&r);
	fclose(fp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_huge_row),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_encoding_names),
		cmocka_unit_test(test_shift_jis),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_io_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
