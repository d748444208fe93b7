/*
 * workbook_internal: what the files of workbook share (workbook.c,
 * workbook_zip.c, workbook_xlsx.c, workbook_ods.c, workbook_cell.c; the
 * header comment of src/workbook.c says what each owns): the state of an
 * open workbook, of an XML part being read and of the row queue, and the
 * functions one file gives the others.  Internal to workbook: no other
 * module includes this header; everyone else uses
 * include/blendcat/workbook.h.
 */
#ifndef BLENDCAT_WORKBOOK_INTERNAL_H
#define BLENDCAT_WORKBOOK_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libxml/parser.h>
#include <zip.h>

#include "blendcat/buf.h"
#include "blendcat/workbook.h"
#include "blendcat/xmlsafe.h"

#define MAX_SHEETS 65536

#if defined(__GNUC__)
#define WB_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define WB_PRINTF(a, b)
#endif

/* ---------------------------------------------------------------- state */

struct sheet_info {
	char *name;
	char *rid;		/* xlsx: its relationship id */
	int hidden;
};

struct rel {
	char *id, *type, *target;
};

/* A cell waiting in the queue: its text at off in qtext, or shared string sst. */
struct qcell {
	unsigned long col;
	unsigned long repeat;
	enum workbook_type type;
	long sst;		/* >= 0: the shared string */
	size_t off, len;
};

struct qrow {
	unsigned long row;
	unsigned long repeat;
	size_t first, n;	/* its cells in qc */
};

/* Rows waiting: closed ones q[0, nq), the open one at q[nq]. */
struct queue {
	struct qrow *q;
	size_t nq, q_cap, q_pos;
	unsigned long q_rep;		/* times q[q_pos] was handed out */
	int row_open;
	struct qcell *qc;
	size_t nqc, qc_cap;
	struct buf text;
	size_t row_text;		/* text offset of the open row's text */
};

struct part;
typedef void part_start_fn(struct part *p, const char *local, int nattr, const xmlChar **attrs);
typedef void part_end_fn(struct part *p, const char *local);

/* One XML entry being read. */
struct part {
	struct workbook *wb;
	char *name;
	zip_file_t *zf;
	unsigned long long comp, size, out;
	struct xmlsafe sc;
	xmlSAXHandler sax;
	xmlParserCtxtPtr ctxt;
	char *chunk;
	int eof;		/* all of it was read */
	int finished;		/* the handler has what it wants: stop */
	part_start_fn *start;
	part_end_fn *end;
	struct buf *collect;	/* characters go here while set */
	size_t collect_max;	/* ... up to this length */
	void (*over)(struct part *p);	/* called past collect_max */
	void *state;
	/* libxml2's first error */
	int xerr;
	unsigned long xerr_line;
	char xerr_msg[200];
};

struct workbook {
	enum workbook_format format;
	zip_t *zip;
	struct workbook_opts o;
	struct workbook_error err;
	int failed;
	unsigned long long total;	/* uncompressed bytes read, all entries */
	struct buf val;			/* an attribute's value, decoded */

	/* the sheets */
	struct sheet_info *sheets;
	size_t nsheets;
	char *sheet;			/* the one read */
	int chosen;			/* ods: its table has started */
	int encrypted;			/* ods: the manifest says so */

	/* xlsx */
	int date1904;
	struct buf sst;			/* the shared strings, each NUL-terminated */
	uint32_t *sst_off;
	size_t nsst, sst_cap;
	unsigned char *xf_kind;		/* enum workbook_fmt per cell format */
	size_t nxf;
	struct rel *rels;
	size_t nrels;

	/* the part workbook_next_row reads on, and its handler's state */
	struct part *body;
	void *body_state;
	void (*body_release)(void *state);

	/* the queues (see "queue" below); the parse's state in wb->fill */
	struct queue qs[2];
	struct queue *fill, *read;
	size_t cell_text;		/* fill->text offset of the cell being read */
	unsigned long last_row;		/* the last row started (0: none) */
	unsigned long next_col;		/* the column the next cell takes */

	/* the reader thread */
	int threaded;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int ready;			/* read holds a batch not handed out yet */
	int reader_done;		/* the thread hands over nothing more */
	int stop;			/* the thread must stop */

	/* handing out */
	struct workbook_cell *cells;
	size_t cells_cap;
	struct workbook_row row;
};

/* Where the bytes come from, for the checks before libzip: a file or memory. */
struct src {
	int fd;
	const unsigned char *mem;
	size_t size;
};

/* ---------------------------------------- workbook.c: errors, the queue */

/* Set the workbook's error (the first one only) and return -1. */
int wb_fail(struct workbook *wb, enum workbook_code code, const char *where,
	    const char *fmt, ...) WB_PRINTF(4, 5);
/* The line the parser of p is at, 0 before it starts. */
unsigned long wb_part_line(const struct part *p);
/* A problem inside part p, at its current line; the parser stops. */
int wb_part_fail(struct part *p, enum workbook_code code, const char *fmt, ...) WB_PRINTF(3, 4);
/* A problem at a cell (col 0: the row) of the sheet being read. */
int wb_cell_fail(struct part *p, enum workbook_code code, unsigned long row, unsigned long col,
		 const char *fmt, ...) WB_PRINTF(5, 6);
/* "no sheet 'X'; the sheets are 'A', 'B' (hidden)" into the error. */
int wb_no_sheet(struct workbook *wb, const char *why);

/* Start a row of the sheet (repeat: how many times it stands). */
void wb_row_begin(struct workbook *wb, unsigned long row, unsigned long repeat);
/* Queue a cell of the open row: its text at off in the queue's text, or shared string sst. */
void wb_cell_add(struct workbook *wb, unsigned long col, unsigned long repeat,
		 enum workbook_type type, long sst, size_t off, size_t len);
/* The open row ends: queued if it has a cell, else forgotten. */
void wb_row_end(struct workbook *wb);
/* Collect the characters of the current cell into the queue's text. */
void wb_collect_cell(struct part *p);
/* The cell's text so far, NUL-terminated: qtext from cell_text on. */
char *wb_cell_chars(struct workbook *wb, size_t *len);
/* Replace the cell's text by s. */
void wb_cell_set(struct workbook *wb, const char *s);
/* Queue the cell read (its text in qtext from cell_text) at col. */
void wb_cell_done(struct workbook *wb, unsigned long col, unsigned long repeat,
		  enum workbook_type type);

/* ---------------------------- workbook_zip.c: the archive and its parts */

/* Check the bytes, open the archive, find the sheet. */
int wb_open(struct workbook *wb, const struct src *s, const char *path);
/*
 * Open entry name for reading with the handlers; NULL when it is not in
 * the archive (*missing set) or cannot be read (wb->err set).
 */
struct part *wb_part_open(struct workbook *wb, const char *name, part_start_fn *start,
			  part_end_fn *end, void *state, int *missing);
void wb_part_close(struct part *p);
/* Read one chunk of p into the parser.  0, or -1 (wb->err set). */
int wb_part_feed(struct part *p);
/* Read entry name whole with the handlers: 0, 1 when missing, -1. */
int wb_read_part(struct workbook *wb, const char *name, part_start_fn *start,
		 part_end_fn *end, void *state);
/* Characters of the part: to p->collect while it is set. */
void wb_sax_text(void *ctx, const xmlChar *ch, int len);

/* The value decoded into out, cut at NAME_MAX_LEN (4096) bytes; 1 when it is there. */
int wb_attr_text(int nattr, const xmlChar **attrs, const char *local, const char *ns,
		 struct buf *out);

/* ------------------------------------------ workbook_xlsx.c: xlsx parts */

/* Read an .xlsx's small parts and open its sheet's part. */
int wb_open_xlsx(struct workbook *wb);

/* -------------------------------------------- workbook_ods.c: ods parts */

/* Read an .ods's manifest and content.xml up to the table wanted. */
int wb_open_ods(struct workbook *wb);

/* ---------------------------------------- workbook_cell.c: pure helpers */

/* An ISO 8601 date or date-time (ods date-value, xlsx t="d") as YYYY-MM-DD[ HH:MM:SS]. */
int wb_iso_date_text(const char *s, char out[WORKBOOK_DATE_SIZE]);
/* Decode the _xHHHH_ escapes of OOXML strings in s[0, len), in place; the new length. */
size_t wb_decode_x(char *s, size_t len);
/* A number cell's text as a double: digits, sign, point, exponent only. */
int wb_parse_number(const char *s, size_t len, double *v);

/* ---------------------------------------- small helpers, static inline */

/*
 * Called for every cell by the xlsx and ods handlers (and wb_sst_text as
 * rows are handed out), these stay inlined in their callers, as they
 * were when workbook was one file: a constant attribute name keeps its
 * strcmp inlined too.
 */

/* An unsigned decimal, or -1. */
static inline long wb_parse_index(const char *s, size_t len)
{
	long v = 0;
	size_t i;

	if (len == 0 || len > 9)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * The raw value of attribute local (in a namespace whose URI contains ns,
 * when ns is not NULL) of a SAX2 element, or NULL; *len its length.
 */
static inline const char *wb_attr_raw(int nattr, const xmlChar **attrs, const char *local,
				      const char *ns, size_t *len)
{
	int i;

	for (i = 0; i < nattr; i++) {
		const xmlChar **a = attrs + 5 * i;

		if (strcmp((const char *)a[0], local) != 0)
			continue;
		if (ns && (!a[2] || !strstr((const char *)a[2], ns)))
			continue;
		*len = (size_t)(a[4] - a[3]);
		return (const char *)a[3];
	}
	return NULL;
}

/* An attribute as a number; def when absent, -1 when not a number. */
static inline long wb_attr_number(int nattr, const xmlChar **attrs, const char *local,
				  const char *ns, long def)
{
	size_t len;
	const char *v = wb_attr_raw(nattr, attrs, local, ns, &len);

	return v ? wb_parse_index(v, len) : def;
}

/* Shared string i and its length. */
static inline const char *wb_sst_text(const struct workbook *wb, long i, size_t *len)
{
	size_t off = wb->sst_off[i];
	size_t end = (size_t)i + 1 < wb->nsst ? wb->sst_off[i + 1] - 1 : wb->sst.len - 1;

	*len = end - off;
	return wb->sst.data + off;
}

#endif
