/*
 * workbook: .xlsx and .ods sheets, streamed; see include/blendcat/workbook.h.
 *
 * How it works.  libzip opens the archive (a file or a buffer) and every
 * entry name and flag is checked first.  Each XML part is read through a
 * zip stream, chunk by chunk: the bytes are counted against the limits
 * (the header's sizes can lie), pass the prolog safety scan (xmlsafe.h)
 * and go to libxml2's SAX2 push parser, whose callbacks build what the
 * part gives.  SAX2 rather than xmlTextReader: on a 100k-row sheet the
 * reader's node tree cost twice the parse itself, and the sheet's XML is
 * most of the work.
 *
 * The small parts are read whole at open: xlsx workbook.xml (the sheets,
 * date1904), its relationships (where each sheet is), styles.xml (which
 * cell formats are dates or times) and the shared strings; ods
 * META-INF/manifest.xml (encryption).  The sheet itself (xlsx) or
 * content.xml (ods, whose tables follow one another, so at open it is
 * read up to the wanted table) is fed a chunk at a time from
 * workbook_next_row: the rows a chunk completes wait in a queue (cells,
 * their text in one arena, a shared string by its index, a repeated cell
 * or row once with its count) until they are handed out.
 *
 * The code is in
 *   workbook.c       the public API: opening and closing, the reader
 *                    thread and the batches of rows it hands over, the
 *                    row queue, errors, and a workbook read as a sheet
 *                    (workbook_read_sheet)
 *   workbook_zip.c   the archive: magic and entry checks, encryption,
 *                    zip-bomb limits, XML parts through the safety scan
 *                    and SAX2, attributes; workbook_probe
 *   workbook_xlsx.c  xlsx parts: workbook.xml, relationships, styles,
 *                    shared strings, the sheet's cells
 *   workbook_ods.c   ods parts: manifest, content.xml's tables, cells
 *                    and repeated rows and columns
 *   workbook_cell.c  pure helpers: cell references, numbers as text,
 *                    dates and times, number format codes
 * and what they share in include/blendcat/workbook_internal.h.
 */
#include "blendcat/workbook.h"
#include "blendcat/workbook_internal.h"
#include "blendcat/buf.h"
#include "blendcat/diag.h"
#include "blendcat/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <zip.h>

#define BATCH_MIN_ROWS 1024		/* rows the reader thread hands over, at least... */
#define BATCH_MIN_BYTES ((size_t)1 << 20)	/* ... or text */
#define BATCH_ROWS 4096			/* rows it reads ahead, at most... */
#define BATCH_BYTES ((size_t)4 << 20)	/* ... and text */

/* ------------------------------------------------------------ errors */

WB_PRINTF(4, 5)
int wb_fail(struct workbook *wb, enum workbook_code code, const char *where,
	    const char *fmt, ...)
{
	va_list ap;

	if (wb->failed)
		return -1;
	wb->failed = 1;
	wb->err.code = code;
	snprintf(wb->err.where, sizeof(wb->err.where), "%s", where ? where : "");
	va_start(ap, fmt);
	vsnprintf(wb->err.msg, sizeof(wb->err.msg), fmt, ap);
	va_end(ap);
	return -1;
}

unsigned long wb_part_line(const struct part *p)
{
	return p->ctxt && p->ctxt->input ? (unsigned long)p->ctxt->input->line : 0;
}

/* A problem inside part p, at its current line; the parser stops. */
WB_PRINTF(3, 4)
int wb_part_fail(struct part *p, enum workbook_code code, const char *fmt, ...)
{
	char where[300], msg[512];
	va_list ap;

	if (p->wb->failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (wb_part_line(p))
		snprintf(where, sizeof(where), "%.250s:%lu", p->name, wb_part_line(p));
	else
		snprintf(where, sizeof(where), "%.250s", p->name);
	if (p->ctxt)
		xmlStopParser(p->ctxt);
	return wb_fail(p->wb, code, where, "%s", msg);
}

/* A problem at a cell (col 0: the row) of the sheet being read. */
WB_PRINTF(5, 6)
int wb_cell_fail(struct part *p, enum workbook_code code, unsigned long row, unsigned long col,
		 const char *fmt, ...)
{
	struct buf where = BUF_INIT;
	char msg[512];
	va_list ap;

	if (p->wb->failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	workbook_cell_ref(&where, p->wb->sheet ? p->wb->sheet : "?", row, col);
	if (p->ctxt)
		xmlStopParser(p->ctxt);
	wb_fail(p->wb, code, where.data, "%s", msg);
	buf_release(&where);
	return -1;
}

/* ---------------------------------------------------------------- queue */

/*
 * The parser fills wb->fill, workbook_next_row hands out wb->read.  Read
 * in one thread they are the same queue.  With the reader thread they are
 * two, swapped when the reader has closed rows and the caller has handed
 * out all of its own: the sheet's XML is inflated and parsed while the
 * caller works on the rows before (about half the time of a check).
 */

/* Start a row of the sheet (repeat: how many times it stands). */
void wb_row_begin(struct workbook *wb, unsigned long row, unsigned long repeat)
{
	struct queue *Q = wb->fill;
	struct qrow *r;

	if (Q->nq + 1 >= Q->q_cap) {
		Q->q_cap = Q->q_cap ? 2 * Q->q_cap : 64;
		Q->q = xrealloc(Q->q, Q->q_cap * sizeof(*Q->q));
	}
	r = &Q->q[Q->nq];
	r->row = row;
	r->repeat = repeat ? repeat : 1;
	r->first = Q->nqc;
	r->n = 0;
	Q->row_open = 1;
	Q->row_text = Q->text.len;
	wb->last_row = row;
	wb->next_col = 1;
}

void wb_cell_add(struct workbook *wb, unsigned long col, unsigned long repeat,
		 enum workbook_type type, long sst, size_t off, size_t len)
{
	struct queue *Q = wb->fill;
	struct qcell *c;

	if (Q->nqc == Q->qc_cap) {
		Q->qc_cap = Q->qc_cap ? 2 * Q->qc_cap : 256;
		Q->qc = xrealloc(Q->qc, Q->qc_cap * sizeof(*Q->qc));
	}
	c = &Q->qc[Q->nqc++];
	c->col = col;
	c->repeat = repeat ? repeat : 1;
	c->type = type;
	c->sst = sst;
	c->off = off;
	c->len = len;
	Q->q[Q->nq].n++;
}

/* The open row ends: queued if it has a cell, else forgotten. */
void wb_row_end(struct workbook *wb)
{
	struct queue *Q = wb->fill;

	if (!Q->row_open)
		return;
	Q->row_open = 0;
	if (Q->q[Q->nq].n)
		Q->nq++;
	else
		buf_setlen(&Q->text, Q->row_text);
}

static void queue_release(struct queue *Q)
{
	free(Q->q);
	free(Q->qc);
	buf_release(&Q->text);
}

/*
 * Empty to, then move the open row of from (if any) into it: its cells,
 * its text, and the offsets of the cell being read and of the part's
 * characters with them.  from may be to (a queue handed out to its end).
 */
static void queue_restart(struct workbook *wb, struct queue *to, struct queue *from)
{
	size_t base = from->row_text, n = from->row_open ? from->q[from->nq].n : 0, i;
	struct part *p = wb->body;

	if (to != from) {
		to->nq = to->nqc = 0;
		buf_reset(&to->text);
	}
	to->q_pos = 0;
	to->q_rep = 0;
	to->row_open = from->row_open;
	if (!from->row_open) {
		to->nq = to->nqc = 0;
		if (to->text.cap > ((size_t)1 << 22))
			buf_release(&to->text);
		buf_reset(&to->text);
		to->row_text = 0;
		wb->cell_text = 0;
		return;
	}
	if (to->q_cap < 1) {
		to->q_cap = 64;
		to->q = xrealloc(to->q, to->q_cap * sizeof(*to->q));
	}
	if (to->qc_cap < n) {
		to->qc_cap = n;
		to->qc = xrealloc(to->qc, to->qc_cap * sizeof(*to->qc));
	}
	to->q[0] = from->q[from->nq];
	if (n)		/* an open row without cells yet: to->qc may be NULL */
		memmove(to->qc, from->qc + to->q[0].first, n * sizeof(*to->qc));
	for (i = 0; i < n; i++)
		to->qc[i].off -= to->qc[i].sst < 0 ? base : 0;
	to->q[0].first = 0;
	to->nqc = n;
	to->nq = 0;
	if (to == from) {
		memmove(to->text.data, to->text.data + base, to->text.len - base);
		buf_setlen(&to->text, to->text.len - base);
	} else {
		buf_add(&to->text, from->text.data + base, from->text.len - base);
	}
	wb->cell_text = wb->cell_text >= base ? wb->cell_text - base : 0;
	to->row_text = 0;
	if (p && p->collect == &from->text) {
		p->collect = &to->text;
		p->collect_max = wb->o.max_row_bytes;
	}
}

/* Stop the reader thread, if any, and wait for it: everything is ours again. */
static void reader_stop(struct workbook *wb)
{
	if (!wb->threaded)
		return;
	pthread_mutex_lock(&wb->mu);
	wb->stop = 1;
	pthread_cond_broadcast(&wb->cv);
	pthread_mutex_unlock(&wb->mu);
	pthread_join(wb->thread, NULL);
	pthread_mutex_destroy(&wb->mu);
	pthread_cond_destroy(&wb->cv);
	wb->threaded = 0;
}

/* Hand out read->q[q_pos] (its next repeat) as wb->row. */
static int hand_out(struct workbook *wb, const struct workbook_row **out)
{
	struct queue *Q = wb->read;
	const struct qrow *r = &Q->q[Q->q_pos];
	unsigned long long bytes = 0;
	size_t i, n = 0;
	unsigned long k;

	for (i = 0; i < r->n; i++)
		n += Q->qc[r->first + i].repeat;
	if (n > wb->cells_cap) {
		wb->cells_cap = n;
		wb->cells = xrealloc(wb->cells, n * sizeof(*wb->cells));
	}
	n = 0;
	for (i = 0; i < r->n; i++) {
		const struct qcell *c = &Q->qc[r->first + i];
		size_t len = c->len;
		const char *t = c->sst >= 0 ? wb_sst_text(wb, c->sst, &len) : Q->text.data + c->off;

		for (k = 0; k < c->repeat; k++) {
			wb->cells[n].col = c->col + k;
			wb->cells[n].type = c->type;
			wb->cells[n].text = t;
			wb->cells[n].len = len;
			bytes += len + 1;
			n++;
		}
	}
	wb->row.row = r->row + Q->q_rep;
	wb->row.ncells = n;
	wb->row.cells = wb->cells;
	if (bytes > wb->o.max_row_bytes) {
		struct buf where = BUF_INIT;

		reader_stop(wb);
		workbook_cell_ref(&where, wb->sheet, wb->row.row, 0);
		wb_fail(wb, WORKBOOK_ELIMIT, where.data, "the row holds %llu bytes, more than the "
			"limit of %zu", bytes, wb->o.max_row_bytes);
		buf_release(&where);
		return -1;
	}
	if (++Q->q_rep >= r->repeat) {
		Q->q_pos++;
		Q->q_rep = 0;
	}
	*out = &wb->row;
	return 1;
}

/* A row's text grew past the limit while being read. */
static void row_too_long(struct part *p)
{
	wb_cell_fail(p, WORKBOOK_ELIMIT, p->wb->last_row, 0, "the row holds more than %zu bytes",
		     p->wb->o.max_row_bytes);
}

/* Collect the characters of the current cell into the queue's text. */
void wb_collect_cell(struct part *p)
{
	p->collect = &p->wb->fill->text;
	p->collect_max = p->wb->fill->row_text + p->wb->o.max_row_bytes;
	p->over = row_too_long;
}

/* The cell's text so far, NUL-terminated: qtext from cell_text on. */
char *wb_cell_chars(struct workbook *wb, size_t *len)
{
	*len = wb->fill->text.len - wb->cell_text;
	return wb->fill->text.data + wb->cell_text;
}

/* Replace the cell's text by s. */
void wb_cell_set(struct workbook *wb, const char *s)
{
	buf_setlen(&wb->fill->text, wb->cell_text);
	buf_adds(&wb->fill->text, s);
}

/* Queue the cell read (its text in qtext from cell_text) at col. */
void wb_cell_done(struct workbook *wb, unsigned long col, unsigned long repeat,
		  enum workbook_type type)
{
	size_t len = wb->fill->text.len - wb->cell_text;

	if (type == WORKBOOK_STRING && len == 0)
		type = WORKBOOK_EMPTY;
	wb_cell_add(wb, col, repeat, type, -1, wb->cell_text, len);
	buf_addch(&wb->fill->text, '\0');	/* each text ends in its own NUL */
}

/* ------------------------------------------------------------ opening */

static void reader_start(struct workbook *wb);

/* "no sheet 'X'; the sheets are 'A', 'B' (hidden)" into the error. */
int wb_no_sheet(struct workbook *wb, const char *why)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_adds(&b, why);
	for (i = 0; i < wb->nsheets && b.len < 400; i++)
		buf_addf(&b, "%s'%.60s'%s", i ? ", " : "; the sheets are ", wb->sheets[i].name,
			 wb->sheets[i].hidden ? " (hidden)" : "");
	if (i < wb->nsheets)
		buf_adds(&b, ", ...");
	if (!wb->nsheets)
		buf_adds(&b, "; the workbook has no sheet");
	wb_fail(wb, WORKBOOK_ENOSHEET, NULL, "%s", b.data);
	buf_release(&b);
	return -1;
}

static struct workbook *wb_new(const struct workbook_opts *o)
{
	struct workbook *wb = xmalloc(sizeof(*wb));

	memset(wb, 0, sizeof(*wb));
	if (o)
		wb->o = *o;
	if (!wb->o.max_ratio)
		wb->o.max_ratio = WORKBOOK_MAX_RATIO;
	if (!wb->o.max_bytes)
		wb->o.max_bytes = WORKBOOK_MAX_BYTES;
	if (!wb->o.max_strings)
		wb->o.max_strings = WORKBOOK_MAX_STRINGS;
	if (!wb->o.max_string_bytes)
		wb->o.max_string_bytes = WORKBOOK_MAX_STRING_BYTES;
	if (!wb->o.max_row_bytes)
		wb->o.max_row_bytes = WORKBOOK_MAX_ROW_BYTES;
	if (wb->o.max_string_bytes > UINT32_MAX - 1)
		wb->o.max_string_bytes = UINT32_MAX - 1;
	xmlInitParser();	/* before any thread parses */
	buf_init(&wb->val);
	buf_init(&wb->sst);
	buf_init(&wb->qs[0].text);
	buf_init(&wb->qs[1].text);
	wb->fill = wb->read = &wb->qs[0];
	return wb;
}

static int opened(struct workbook *wb, int rc, struct workbook **out, struct workbook_error *err)
{
	if (rc == 0) {
		reader_start(wb);
		*out = wb;
		memset(err, 0, sizeof(*err));
		return 0;
	}
	*err = wb->err;
	if (!wb->failed)
		wb_fail(wb, WORKBOOK_EFORMAT, NULL, "cannot be read");
	*err = wb->err;
	workbook_close(wb);
	*out = NULL;
	return -1;
}

int workbook_open(const char *path, const struct workbook_opts *o, struct workbook **out,
		  struct workbook_error *err)
{
	struct workbook *wb = wb_new(o);
	struct src s = { -1, NULL, 0 };
	int rc;

	s.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s.fd < 0) {
		rc = wb_fail(wb, WORKBOOK_EIO, NULL, "cannot open: %s", strerror(errno));
	} else {
		char b;

		if (read(s.fd, &b, 0) < 0 || pread(s.fd, &b, 1, 0) < 0)
			rc = wb_fail(wb, WORKBOOK_EIO, NULL, "cannot read: %s", strerror(errno));
		else
			rc = wb_open(wb, &s, path);
		close(s.fd);
	}
	return opened(wb, rc, out, err);
}

int workbook_open_mem(const void *data, size_t size, const struct workbook_opts *o,
		      struct workbook **out, struct workbook_error *err)
{
	struct workbook *wb = wb_new(o);
	struct src s = { -1, data, size };

	return opened(wb, wb_open(wb, &s, NULL), out, err);
}

/* ------------------------------------------------------------- reading */

static int body_over(const struct workbook *wb)
{
	return !wb->body || wb->body->eof || wb->body->finished || wb->failed;
}

/*
 * The reader thread: feed the sheet's part and hand the closed rows over
 * whenever the caller has handed out the batch before.  It alone touches
 * the archive, the parser and wb->fill until it ends; wb->failed and
 * wb->err are the caller's again once reader_done is seen.
 */
static void *reader_main(void *arg)
{
	struct workbook *wb = arg;
	int stop = 0;

	while (!stop) {
		int over = body_over(wb) || wb_part_feed(wb->body) < 0 || body_over(wb);
		struct queue *t;

		if (!over && wb->fill->nq < BATCH_MIN_ROWS && wb->fill->text.len < BATCH_MIN_BYTES)
			continue;	/* hand over batches, not rows: each costs two wake-ups */
		pthread_mutex_lock(&wb->mu);
		if (wb->ready && !over && !wb->stop && wb->fill->nq < BATCH_ROWS &&
		    wb->fill->text.len < BATCH_BYTES) {
			/* the caller is busy with its batch: read on */
			pthread_mutex_unlock(&wb->mu);
			continue;
		}
		while (wb->ready && !wb->stop)
			pthread_cond_wait(&wb->cv, &wb->mu);
		stop = wb->stop;
		if (!stop && wb->fill->nq) {
			t = wb->read;
			wb->read = wb->fill;
			wb->fill = t;
			queue_restart(wb, wb->fill, wb->read);
			wb->ready = 1;
		}
		if (over)
			stop = wb->reader_done = 1;
		pthread_cond_broadcast(&wb->cv);
		pthread_mutex_unlock(&wb->mu);
	}
	return NULL;
}

/* Start the reader thread once the sheet is found; without it, all is read here. */
static void reader_start(struct workbook *wb)
{
	if (wb->o.no_thread || body_over(wb))
		return;
	pthread_mutex_init(&wb->mu, NULL);
	pthread_cond_init(&wb->cv, NULL);
	wb->read = &wb->qs[1];	/* the parser keeps filling qs[0] */
	wb->ready = 1;		/* ... until the caller has handed out read, empty */
	if (pthread_create(&wb->thread, NULL, reader_main, wb) != 0) {
		pthread_mutex_destroy(&wb->mu);
		pthread_cond_destroy(&wb->cv);
		wb->read = wb->fill;
		wb->ready = 0;
		return;
	}
	wb->threaded = 1;
}

/* Threaded: wait for the next batch.  1 when there is one, 0 at the end, -1. */
static int next_batch(struct workbook *wb)
{
	int rc;

	pthread_mutex_lock(&wb->mu);
	wb->ready = 0;
	pthread_cond_broadcast(&wb->cv);
	while (!wb->ready && !wb->reader_done)
		pthread_cond_wait(&wb->cv, &wb->mu);
	rc = wb->ready ? 1 : wb->failed ? -1 : 0;
	pthread_mutex_unlock(&wb->mu);
	if (rc <= 0)
		reader_stop(wb);
	return rc;
}

int workbook_next_row(struct workbook *wb, const struct workbook_row **row)
{
	int rc;

	*row = NULL;
	for (;;) {
		if (wb->read->q_pos < wb->read->nq)
			return hand_out(wb, row);
		if (wb->threaded) {
			if ((rc = next_batch(wb)) <= 0)
				return rc;
			continue;
		}
		if (wb->failed)
			return -1;
		if (body_over(wb))
			return 0;
		queue_restart(wb, wb->fill, wb->fill);
		if (wb_part_feed(wb->body) < 0)
			return -1;
	}
}

const struct workbook_error *workbook_error(const struct workbook *wb)
{
	return &wb->err;
}

const char *workbook_sheet(const struct workbook *wb)
{
	return wb->sheet ? wb->sheet : "";
}

enum workbook_format workbook_format(const struct workbook *wb)
{
	return wb->format;
}

void workbook_close(struct workbook *wb)
{
	size_t i;

	if (!wb)
		return;
	reader_stop(wb);
	wb_part_close(wb->body);
	if (wb->body_release)
		wb->body_release(wb->body_state);
	if (wb->zip)
		zip_discard(wb->zip);
	for (i = 0; i < wb->nsheets; i++) {
		free(wb->sheets[i].name);
		free(wb->sheets[i].rid);
	}
	free(wb->sheets);
	for (i = 0; i < wb->nrels; i++) {
		free(wb->rels[i].id);
		free(wb->rels[i].type);
		free(wb->rels[i].target);
	}
	free(wb->rels);
	free(wb->sheet);
	free(wb->sst_off);
	free(wb->xf_kind);
	queue_release(&wb->qs[0]);
	queue_release(&wb->qs[1]);
	free(wb->cells);
	buf_release(&wb->val);
	buf_release(&wb->sst);
	free(wb);
}

/* ---------------------------------------------------------- as a sheet */

/*
 * A workbook's sheet as sheet.h's rows (workbook_read_sheet): the rows
 * workbook_next_row hands out, laid out by column, typed, and kept for the
 * rejects as CSV in the spool.
 */

static const char *const workbook_exts[] = { "xlsx", "xlsm", "ods", "xls" };

int workbook_named(const char *path)
{
	const char *dot = strrchr(path, '.');
	size_t i;

	for (i = 0; dot && i < sizeof(workbook_exts) / sizeof(workbook_exts[0]); i++)
		if (strcasecmp(dot + 1, workbook_exts[i]) == 0)
			return 1;
	return 0;
}

int workbook_is(const char *path)
{
	return workbook_named(path) || workbook_probe(path, NULL) != WORKBOOK_NONE;
}

struct as_sheet {
	const char *path;
	const struct sheet_opts *o;
	struct sheet_stats *st;
	struct sheet_cell *cells;
	size_t cells_cap;
	size_t width;			/* the first row's cells */
	struct buf csv;			/* a row as CSV */
	struct buf head;		/* the first row as CSV */
	struct buf where;
};

static enum sheet_type cell_type(enum workbook_type t)
{
	switch (t) {
	case WORKBOOK_NUMBER: return SHEET_NUMBER;
	case WORKBOOK_BOOL: return SHEET_BOOL;
	case WORKBOOK_DATE: return SHEET_DATE;
	case WORKBOOK_TIME: return SHEET_TIME;
	case WORKBOOK_ERROR: return SHEET_ERROR;
	case WORKBOOK_EMPTY:
	case WORKBOOK_STRING:
	default: return SHEET_TEXT;
	}
}

/* Write row's cells to the spool as CSV: its off and len there.  0 or -1 (printed). */
static int spool_row(struct as_sheet *a, const struct sheet_row *row, unsigned long long *off,
		     unsigned long long *len)
{
	FILE *spool = a->o->spool;
	off_t at;

	*off = *len = 0;
	if (!spool)
		return 0;
	buf_reset(&a->csv);
	sheet_csv_row(&a->csv, row->cells, row->ncells);
	at = ftello(spool);
	if (at < 0 || fwrite(a->csv.data, 1, a->csv.len, spool) != a->csv.len)
		return diag_error(LOC_NONE, "cannot write the rows of '%s' to a temporary file for "
				  "its rejects: %s", a->path, strerror(errno));
	*off = (unsigned long long)at;
	*len = a->csv.len;
	return 0;
}

static int keep_row(const struct sheet_row *row, unsigned long long *off, unsigned long long *len)
{
	return spool_row(row->keep_ctx, row, off, len);
}

/* Does the row hold nothing but empty text? */
static int blank_row(const struct workbook_row *wr)
{
	size_t i;

	for (i = 0; i < wr->ncells; i++)
		if (wr->cells[i].len)
			return 0;
	return 1;
}

/* Lay wr's cells out by column into a->cells and sr (its error included). */
static void lay_out(struct as_sheet *a, const struct workbook_row *wr, struct sheet_row *sr)
{
	size_t i, n = a->width;

	sr->error_col = -1;
	for (i = 0; i < wr->ncells; i++)
		if ((wr->cells[i].len || !sr->index) && wr->cells[i].col > n)
			n = wr->cells[i].col;
	if (n > a->cells_cap) {
		a->cells_cap = n * 2;
		a->cells = xrealloc(a->cells, a->cells_cap * sizeof(*a->cells));
	}
	for (i = 0; i < n; i++) {
		a->cells[i].data = "";
		a->cells[i].len = 0;
		a->cells[i].is_null = 1;
		a->cells[i].type = SHEET_TEXT;
	}
	for (i = 0; i < wr->ncells; i++) {
		const struct workbook_cell *c = &wr->cells[i];
		struct sheet_cell *sc;

		if (c->col > n)
			continue;	/* empty, past the header */
		sc = &a->cells[c->col - 1];
		sc->data = c->text;
		sc->len = c->len;
		sc->is_null = c->len == 0;
		sc->type = cell_type(c->type);
		sr->cell_errors |= sc->type == SHEET_ERROR;
		if (sr->index && c->col > a->width && c->len && sr->error_col < 0) {
			sr->error_col = (long)c->col - 1;
			sr->error = a->o->no_header ? "a value in a column past the first row's last" :
				    "a value in a column without a header";
		}
	}
	sr->cells = a->cells;
	sr->ncells = n;
}

/* A workbook error, printed with the path and its place: "label.xlsx:Tracks!C12: ...". */
static int say_error(struct as_sheet *a, const struct workbook_error *e)
{
	struct loc loc = { a->path, 0, NULL };

	buf_reset(&a->where);
	if (e->where[0]) {
		buf_addf(&a->where, "%s:%s", a->path, e->where);
		loc.file = a->where.data;
	}
	diag_error(&loc, "%s", e->msg);
	if (e->code == WORKBOOK_ENOSHEET)
		diag_hint("--sheet NAME reads the sheet of that name");
	return -1;
}

static int read_rows(struct as_sheet *a, struct workbook *wb, sheet_row_fn *fn, void *ctx)
{
	struct sheet_dialect *d = &a->st->dialect;
	const struct workbook_row *wr;
	unsigned long index = 0;
	int rc;

	d->format = workbook_format(wb) == WORKBOOK_ODS ? SHEET_ODS : SHEET_XLSX;
	d->delim = ',';
	d->charset = SHEET_UTF8;
	d->encoding = "UTF-8";
	d->header = !a->o->no_header;
	a->st->sheet = xstrdup(workbook_sheet(wb));
	while ((rc = workbook_next_row(wb, &wr)) == 1) {
		struct sheet_row sr;

		if (blank_row(wr))
			continue;
		memset(&sr, 0, sizeof(sr));
		sr.line = wr->row;
		sr.sheet = a->st->sheet;
		sr.index = index++;
		sr.dialect = d;
		lay_out(a, wr, &sr);
		if (sr.index == 0) {
			a->width = sr.ncells;
			sheet_csv_row(&a->head, sr.cells, sr.ncells);
			sr.head = a->head.data;
			sr.head_len = a->head.len;
		}
		if (a->o->spool_all && spool_row(a, &sr, &sr.off, &sr.len) < 0)
			return -1;
		if (!a->o->spool_all && a->o->spool) {
			sr.keep = keep_row;
			sr.keep_ctx = a;
		}
		a->st->rows++;
		if (fn(&sr, ctx))
			return 1;
	}
	return rc < 0 ? say_error(a, workbook_error(wb)) : 0;
}

int workbook_read_sheet_wb(struct workbook *wb, const char *path, const struct sheet_opts *o,
			   sheet_row_fn *fn, void *ctx, struct sheet_stats *st)
{
	struct as_sheet a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.path = path;
	a.o = o;
	a.st = st;
	buf_init(&a.csv);
	buf_init(&a.head);
	buf_init(&a.where);
	rc = read_rows(&a, wb, fn, ctx);
	free(a.cells);
	buf_release(&a.csv);
	buf_release(&a.head);
	buf_release(&a.where);
	return rc;
}

int workbook_read_sheet(const char *path, const struct sheet_opts *o, sheet_row_fn *fn,
			void *ctx, struct sheet_stats *st)
{
	struct workbook_opts wo;
	struct workbook_error err;
	struct workbook *wb;
	struct stat sb;
	int rc;

	memset(st, 0, sizeof(*st));
	memset(&wo, 0, sizeof(wo));
	wo.sheet = o->sheet;
	if (workbook_open(path, &wo, &wb, &err) < 0) {
		struct as_sheet a;

		memset(&a, 0, sizeof(a));
		a.path = path;
		buf_init(&a.where);
		say_error(&a, &err);
		buf_release(&a.where);
		return -1;
	}
	if (stat(path, &sb) == 0)
		st->bytes = (unsigned long long)sb.st_size;
	rc = workbook_read_sheet_wb(wb, path, o, fn, ctx, st);
	workbook_close(wb);
	return rc;
}
