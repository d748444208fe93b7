/*
 * workbook_xlsx: the parts of an .xlsx (Office Open XML) workbook.  At
 * open: xl/workbook.xml (the sheets in order, hidden or not, the date
 * system), its relationships (where each sheet's part is; targets that
 * lead out of the archive are refused), styles.xml (which cell formats
 * are dates or times) and the shared strings; the sheet is chosen and
 * its part opened.  Then the sheet's SAX handlers queue its rows: cell
 * references, types (shared and inline strings, numbers, dates and
 * times by their format, booleans, errors, formulas without a value).
 * Part of workbook: the contract is include/blendcat/workbook.h, what
 * the other files use is in include/blendcat/workbook_internal.h.
 */
#include "blendcat/workbook.h"
#include "blendcat/workbook_internal.h"
#include "blendcat/buf.h"
#include "blendcat/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>

#define MAX_RELS 65536
#define MAX_XFS ((size_t)1 << 20)	/* cell formats in styles.xml */
#define MAX_NUMFMTS 65536

/* ------------------------------------------------------------ xlsx parts */

/* xl/workbook.xml: the sheets in order, and the date system. */
static void wbx_start(struct part *p, const char *local, int nattr, const xmlChar **attrs)
{
	struct workbook *wb = p->wb;
	struct sheet_info *s;
	size_t len;
	const char *v;

	if (strcmp(local, "workbookPr") == 0) {
		v = wb_attr_raw(nattr, attrs, "date1904", NULL, &len);
		wb->date1904 = v && ((len == 1 && *v == '1') || (len == 4 && !strncmp(v, "true", 4)));
	} else if (strcmp(local, "sheet") == 0) {
		if (wb->nsheets == MAX_SHEETS) {
			wb_part_fail(p, WORKBOOK_ELIMIT, "more than %d sheets", MAX_SHEETS);
			return;
		}
		wb->sheets = xrealloc(wb->sheets, (wb->nsheets + 1) * sizeof(*wb->sheets));
		s = &wb->sheets[wb->nsheets++];
		wb_attr_text(nattr, attrs, "name", NULL, &wb->val);
		s->name = xstrdup(wb->val.data);
		/* r:id, in the relationships namespace (transitional or strict) */
		wb_attr_text(nattr, attrs, "id", "relationships", &wb->val);
		s->rid = xstrdup(wb->val.data);
		v = wb_attr_raw(nattr, attrs, "state", NULL, &len);
		s->hidden = v && !(len == 7 && strncmp(v, "visible", 7) == 0);
	}
}

/* A _rels part: the relationships of its source part. */
static void rels_start(struct part *p, const char *local, int nattr, const xmlChar **attrs)
{
	struct workbook *wb = p->wb;
	struct rel *r;

	if (strcmp(local, "Relationship") != 0)
		return;
	if (wb->nrels == MAX_RELS) {
		wb_part_fail(p, WORKBOOK_ELIMIT, "more than %d relationships", MAX_RELS);
		return;
	}
	if (wb_attr_text(nattr, attrs, "TargetMode", NULL, &wb->val) &&
	    strcmp(wb->val.data, "External") == 0)
		return;
	wb->rels = xrealloc(wb->rels, (wb->nrels + 1) * sizeof(*wb->rels));
	r = &wb->rels[wb->nrels++];
	wb_attr_text(nattr, attrs, "Id", NULL, &wb->val);
	r->id = xstrdup(wb->val.data);
	wb_attr_text(nattr, attrs, "Type", NULL, &wb->val);
	r->type = xstrdup(wb->val.data);
	wb_attr_text(nattr, attrs, "Target", NULL, &wb->val);
	r->target = xstrdup(wb->val.data);
}

/* xl/styles.xml: the number format of each cell format (cellXfs/xf). */
struct styles {
	int in_cellxfs;
	unsigned long *xf_fmt;		/* numFmtId per xf */
	size_t nxf;
	unsigned long *fmt_id;		/* custom formats: id and kind */
	unsigned char *fmt_kind;
	size_t nfmt;
};

static void sty_start(struct part *p, const char *local, int nattr, const xmlChar **attrs)
{
	struct styles *st = p->state;
	long id;

	if (strcmp(local, "cellXfs") == 0) {
		st->in_cellxfs = 1;
	} else if (strcmp(local, "numFmt") == 0) {
		id = wb_attr_number(nattr, attrs, "numFmtId", NULL, -1);
		if (id < 0 || !wb_attr_text(nattr, attrs, "formatCode", NULL, &p->wb->val))
			return;
		if (st->nfmt == MAX_NUMFMTS) {
			wb_part_fail(p, WORKBOOK_ELIMIT, "more than %d number formats", MAX_NUMFMTS);
			return;
		}
		st->fmt_id = xrealloc(st->fmt_id, (st->nfmt + 1) * sizeof(*st->fmt_id));
		st->fmt_kind = xrealloc(st->fmt_kind, st->nfmt + 1);
		st->fmt_id[st->nfmt] = (unsigned long)id;
		st->fmt_kind[st->nfmt++] = (unsigned char)workbook_format_kind(p->wb->val.data);
	} else if (strcmp(local, "xf") == 0 && st->in_cellxfs) {
		if (st->nxf == MAX_XFS) {
			wb_part_fail(p, WORKBOOK_ELIMIT, "more than %zu cell formats", MAX_XFS);
			return;
		}
		id = wb_attr_number(nattr, attrs, "numFmtId", NULL, 0);
		st->xf_fmt = xrealloc(st->xf_fmt, (st->nxf + 1) * sizeof(*st->xf_fmt));
		st->xf_fmt[st->nxf++] = id < 0 ? 0 : (unsigned long)id;
	}
}

static void sty_end(struct part *p, const char *local)
{
	struct styles *st = p->state;

	if (strcmp(local, "cellXfs") == 0)
		st->in_cellxfs = 0;
}

/* Each cell format's kind: its custom number format, else the built-in one. */
static void styles_resolve(struct workbook *wb, const struct styles *st)
{
	size_t i, j;

	wb->xf_kind = xmalloc(st->nxf ? st->nxf : 1);
	wb->nxf = st->nxf;
	for (i = 0; i < st->nxf; i++) {
		enum workbook_fmt k = workbook_builtin_kind(st->xf_fmt[i]);

		for (j = st->nfmt; j-- > 0;)
			if (st->fmt_id[j] == st->xf_fmt[i]) {
				k = (enum workbook_fmt)st->fmt_kind[j];
				break;
			}
		wb->xf_kind[i] = (unsigned char)k;
	}
}

/* xl/sharedStrings.xml: each si's text runs (not its phonetic rPh). */
struct sst_state {
	int in_si, rph;
	size_t start;
};

static void sst_over(struct part *p)
{
	wb_part_fail(p, WORKBOOK_ELIMIT, "the shared strings hold more than %zu MiB: refused",
		     p->wb->o.max_string_bytes >> 20);
}

static void sst_start(struct part *p, const char *local, int nattr, const xmlChar **attrs)
{
	struct workbook *wb = p->wb;
	struct sst_state *s = p->state;

	(void)nattr;
	(void)attrs;
	if (strcmp(local, "si") == 0) {
		if (wb->nsst == wb->o.max_strings) {
			wb_part_fail(p, WORKBOOK_ELIMIT, "more than %zu shared strings: refused",
				     wb->o.max_strings);
			return;
		}
		s->in_si = 1;
		s->rph = 0;
		s->start = wb->sst.len;
	} else if (strcmp(local, "rPh") == 0) {
		s->rph++;
	} else if (strcmp(local, "t") == 0 && s->in_si && !s->rph) {
		p->collect = &wb->sst;
		p->collect_max = wb->o.max_string_bytes;
		p->over = sst_over;
	}
}

static void sst_end(struct part *p, const char *local)
{
	struct workbook *wb = p->wb;
	struct sst_state *s = p->state;

	if (strcmp(local, "t") == 0) {
		p->collect = NULL;
	} else if (strcmp(local, "rPh") == 0 && s->rph) {
		s->rph--;
	} else if (strcmp(local, "si") == 0 && s->in_si) {
		size_t len = wb_decode_x(wb->sst.data + s->start, wb->sst.len - s->start);

		buf_setlen(&wb->sst, s->start + len);
		buf_addch(&wb->sst, '\0');
		if (wb->nsst == wb->sst_cap) {
			wb->sst_cap = wb->sst_cap ? 2 * wb->sst_cap : 1024;
			wb->sst_off = xrealloc(wb->sst_off, wb->sst_cap * sizeof(*wb->sst_off));
		}
		wb->sst_off[wb->nsst++] = (uint32_t)s->start;
		s->in_si = 0;
	}
}

/* ------------------------------------------------------------ xlsx sheet */

struct ws {
	int in_data, in_cell, in_is, rph;
	int has_v, has_f;
	char t[12];		/* the cell's type attribute */
	unsigned long style;
	unsigned long col;
};

/* A cell reference "C12": its column, and its row (0 when not given). */
static int parse_ref(const char *s, size_t len, unsigned long *col, unsigned long *row)
{
	size_t n = 0;

	while (n < len && (((unsigned char)s[n] | 0x20) >= 'a' && ((unsigned char)s[n] | 0x20) <= 'z'))
		n++;
	*col = workbook_col_number(s, n);
	if (!*col)
		return -1;
	*row = 0;
	if (n < len) {
		long r = wb_parse_index(s + n, len - n);

		if (r <= 0)
			return -1;
		*row = (unsigned long)r;
	}
	return 0;
}

static void ws_row(struct part *p, int nattr, const xmlChar **attrs)
{
	struct workbook *wb = p->wb;
	long r = wb_attr_number(nattr, attrs, "r", NULL, (long)wb->last_row + 1);

	if (r <= 0 || (unsigned long)r > WORKBOOK_MAX_ROWS) {
		wb_part_fail(p, WORKBOOK_EFORMAT, "row number '%ld' is not from 1 to %lu", r,
			     WORKBOOK_MAX_ROWS);
		return;
	}
	if ((unsigned long)r <= wb->last_row) {
		wb_cell_fail(p, WORKBOOK_EFORMAT, (unsigned long)r, 0, "row %ld comes after row %lu",
			     r, wb->last_row);
		return;
	}
	wb_row_begin(wb, (unsigned long)r, 1);
}

static void ws_cell(struct part *p, struct ws *w, int nattr, const xmlChar **attrs)
{
	struct workbook *wb = p->wb;
	unsigned long col = wb->next_col, row = 0;
	size_t len;
	const char *v = wb_attr_raw(nattr, attrs, "r", NULL, &len);

	if (!wb->fill->row_open) {
		wb_part_fail(p, WORKBOOK_EFORMAT, "a cell outside a row");
		return;
	}
	if (v && parse_ref(v, len, &col, &row) < 0) {
		wb_cell_fail(p, WORKBOOK_EFORMAT, wb->last_row, 0, "bad cell reference '%.*s'",
			     (int)(len < 20 ? len : 20), v);
		return;
	}
	if (row && row != wb->last_row) {
		wb_cell_fail(p, WORKBOOK_EFORMAT, wb->last_row, 0, "cell reference '%.*s' in row %lu",
			     (int)(len < 20 ? len : 20), v, wb->last_row);
		return;
	}
	if (col < wb->next_col || col > WORKBOOK_MAX_COLS) {
		wb_cell_fail(p, WORKBOOK_EFORMAT, wb->last_row, col > WORKBOOK_MAX_COLS ? 0 : col,
			     col > WORKBOOK_MAX_COLS ? "a cell past the last column (XFD)" :
			     "cell out of order (a cell on its left came before)");
		return;
	}
	v = wb_attr_raw(nattr, attrs, "t", NULL, &len);
	len = v ? (len < sizeof(w->t) - 1 ? len : sizeof(w->t) - 1) : 0;
	memcpy(w->t, v ? v : "", len);
	w->t[len] = '\0';
	w->style = (unsigned long)wb_attr_number(nattr, attrs, "s", NULL, 0);
	w->col = col;
	w->in_cell = 1;
	w->in_is = w->rph = 0;
	w->has_v = w->has_f = 0;
	wb->next_col = col + 1;
	wb->cell_text = wb->fill->text.len;
}

static void ws_start(struct part *p, const char *local, int nattr, const xmlChar **attrs)
{
	struct ws *w = p->state;

	if (!w->in_data) {
		if (strcmp(local, "sheetData") == 0)
			w->in_data = 1;
		return;
	}
	if (local[0] == 'c' && local[1] == '\0') {
		ws_cell(p, w, nattr, attrs);
	} else if (!w->in_cell) {
		if (strcmp(local, "row") == 0)
			ws_row(p, nattr, attrs);
	} else if (local[0] == 'v' && local[1] == '\0') {
		w->has_v = 1;
		wb_collect_cell(p);
	} else if (local[0] == 'f' && local[1] == '\0') {
		w->has_f = 1;
	} else if (strcmp(local, "is") == 0) {
		w->in_is = 1;
		w->has_v = 1;
	} else if (strcmp(local, "rPh") == 0) {
		w->rph++;
	} else if (local[0] == 't' && local[1] == '\0' && w->in_is && !w->rph) {
		wb_collect_cell(p);
	}
}

/* The number of a cell: a date, a duration or a number by its format. */
static enum workbook_type ws_number(struct part *p, struct ws *w, const char *s, size_t len)
{
	struct workbook *wb = p->wb;
	char out[WORKBOOK_NUMBER_SIZE + WORKBOOK_DATE_SIZE], why[128];
	enum workbook_fmt k = w->style < wb->nxf ? (enum workbook_fmt)wb->xf_kind[w->style] :
			      WORKBOOK_FMT_NUMBER;
	long long secs;
	double v;

	if (wb_parse_number(s, len, &v) < 0) {
		snprintf(out, sizeof(out), "'%.40s' is not a number", s);
		wb_cell_set(wb, out);
		return WORKBOOK_ERROR;
	}
	if (k == WORKBOOK_FMT_DATE) {
		if (workbook_serial_date(v, wb->date1904, out, why) < 0) {
			wb_cell_set(wb, why);
			return WORKBOOK_ERROR;
		}
		wb_cell_set(wb, out);
		return WORKBOOK_DATE;
	}
	if (k == WORKBOOK_FMT_TIME) {
		if ((secs = workbook_day_seconds(v)) < 0) {
			snprintf(why, sizeof(why), "time %.15g is negative or out of range", v);
			wb_cell_set(wb, why);
			return WORKBOOK_ERROR;
		}
		snprintf(out, sizeof(out), "%lld", secs);
		wb_cell_set(wb, out);
		return WORKBOOK_TIME;
	}
	workbook_number_text(v, out);
	wb_cell_set(wb, out);
	return WORKBOOK_NUMBER;
}

static void ws_cell_end(struct part *p, struct ws *w)
{
	struct workbook *wb = p->wb;
	enum workbook_type type = WORKBOOK_STRING;
	char out[160];
	size_t len;
	char *s = wb_cell_chars(wb, &len);
	const char *t = w->t;

	w->in_cell = 0;
	if (!w->has_v || (w->has_f && !len && strcmp(t, "str") != 0)) {
		buf_setlen(&wb->fill->text, wb->cell_text);
		if (!w->has_f)
			return;		/* a formatted empty cell */
		wb_cell_set(wb, "a formula without a saved value (save the workbook in a "
			    "spreadsheet application, which computes it)");
		wb_cell_done(wb, w->col, 1, WORKBOOK_ERROR);
		return;
	}
	if (t[0] == 's' && t[1] == '\0') {
		long i = wb_parse_index(s, len);

		if (i < 0 || (size_t)i >= wb->nsst) {
			snprintf(out, sizeof(out), "shared string '%.20s' does not exist (%zu strings)",
				 s, wb->nsst);
			wb_cell_set(wb, out);
			wb_cell_done(wb, w->col, 1, WORKBOOK_ERROR);
			return;
		}
		buf_setlen(&wb->fill->text, wb->cell_text);
		wb_sst_text(wb, i, &len);
		wb_cell_add(wb, w->col, 1, len ? WORKBOOK_STRING : WORKBOOK_EMPTY, i, 0, 0);
		return;
	}
	if (!*t || strcmp(t, "n") == 0) {
		type = ws_number(p, w, s, len);
	} else if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0) {
		buf_setlen(&wb->fill->text, wb->cell_text + wb_decode_x(s, len));
	} else if (t[0] == 'b' && t[1] == '\0') {
		type = WORKBOOK_BOOL;
		if (len == 1 && (*s == '0' || *s == '1')) {
			wb_cell_set(wb, *s == '1' ? "true" : "false");
		} else {
			snprintf(out, sizeof(out), "boolean '%.20s' is not 0 or 1", s);
			wb_cell_set(wb, out);
			type = WORKBOOK_ERROR;
		}
	} else if (t[0] == 'e' && t[1] == '\0') {
		type = WORKBOOK_ERROR;	/* the text is the error value: #N/A */
	} else if (t[0] == 'd' && t[1] == '\0') {
		char date[WORKBOOK_DATE_SIZE];

		if (wb_iso_date_text(s, date) == 0) {
			wb_cell_set(wb, date);
			type = WORKBOOK_DATE;
		} else {
			snprintf(out, sizeof(out), "'%.40s' is not an ISO 8601 date", s);
			wb_cell_set(wb, out);
			type = WORKBOOK_ERROR;
		}
	} else {
		snprintf(out, sizeof(out), "unknown cell type '%s'", t);
		wb_cell_set(wb, out);
		type = WORKBOOK_ERROR;
	}
	wb_cell_done(wb, w->col, 1, type);
}

static void ws_end(struct part *p, const char *local)
{
	struct ws *w = p->state;

	if (!w->in_data)
		return;
	if (w->in_cell) {
		if ((local[0] == 'v' || local[0] == 't') && local[1] == '\0')
			p->collect = NULL;
		else if (local[0] == 'c' && local[1] == '\0')
			ws_cell_end(p, w);
		else if (strcmp(local, "rPh") == 0 && w->rph)
			w->rph--;
		else if (strcmp(local, "is") == 0)
			w->in_is = 0;
	} else if (strcmp(local, "row") == 0) {
		wb_row_end(p->wb);
	} else if (strcmp(local, "sheetData") == 0) {
		w->in_data = 0;
		p->finished = 1;	/* the rest of the sheet holds no values */
	}
}

/* ------------------------------------------------------------ opening */

/*
 * A relationship target, relative to the folder base ("xl/") or absolute
 * ("/xl/worksheets/sheet1.xml"), as an entry name in out.  -1 when it
 * leads out of the archive.
 */
static int resolve_target(const char *base, const char *target, struct buf *out)
{
	const char *p;
	size_t n;

	buf_reset(out);
	if (*target == '/')
		target++;
	else
		buf_adds(out, base);
	for (p = target; *p; p += n + (p[n] == '/')) {
		n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.'))
			continue;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash;

			if (!out->len)
				return -1;
			buf_setlen(out, out->len - 1);	/* the trailing '/' */
			slash = strrchr(out->data, '/');
			buf_setlen(out, slash ? (size_t)(slash - out->data) + 1 : 0);
			continue;
		}
		buf_add(out, p, n);
		if (p[n] == '/')
			buf_addch(out, '/');
	}
	return 0;
}

static const struct rel *rel_by_id(const struct workbook *wb, const char *id)
{
	size_t i;

	for (i = 0; i < wb->nrels; i++)
		if (strcmp(wb->rels[i].id, id) == 0)
			return &wb->rels[i];
	return NULL;
}

/* The first relationship whose type ends in /tail ("styles", "sharedStrings"). */
static const struct rel *rel_by_type(const struct workbook *wb, const char *tail)
{
	size_t i, n = strlen(tail), len;

	for (i = 0; i < wb->nrels; i++) {
		len = strlen(wb->rels[i].type);
		if (len > n && wb->rels[i].type[len - n - 1] == '/' &&
		    strcmp(wb->rels[i].type + len - n, tail) == 0)
			return &wb->rels[i];
	}
	return NULL;
}

static int is_worksheet(const struct workbook *wb, const struct sheet_info *s)
{
	const struct rel *r = rel_by_id(wb, s->rid);
	size_t len = r ? strlen(r->type) : 0;

	return r && len >= 10 && strcmp(r->type + len - 10, "/worksheet") == 0;
}

/* Which sheet of wb->sheets to read: by name, or the first visible worksheet. */
static int xlsx_choose(struct workbook *wb, const struct sheet_info **out)
{
	size_t i, nci = 0;
	long exact = -1, ci = -1;

	if (wb->o.sheet) {
		for (i = 0; i < wb->nsheets; i++) {
			if (strcmp(wb->sheets[i].name, wb->o.sheet) == 0)
				exact = (long)i;
			else if (strcasecmp(wb->sheets[i].name, wb->o.sheet) == 0)
				ci = (long)i, nci++;
		}
		if (exact < 0 && nci != 1) {
			char why[300];

			snprintf(why, sizeof(why), "no sheet '%.200s'", wb->o.sheet);
			return wb_no_sheet(wb, why);
		}
		*out = &wb->sheets[exact >= 0 ? exact : ci];
		if (!is_worksheet(wb, *out))
			return wb_fail(wb, WORKBOOK_ENOSHEET, NULL, "sheet '%.200s' is not a worksheet "
				       "(a chart or a dialog sheet holds no cells)", (*out)->name);
		return 0;
	}
	for (i = 0; i < wb->nsheets; i++)
		if (!wb->sheets[i].hidden && is_worksheet(wb, &wb->sheets[i])) {
			*out = &wb->sheets[i];
			return 0;
		}
	return wb_no_sheet(wb, "no visible worksheet");
}

/* The part a relationship of type tail names, else the usual one. */
static int optional_part(struct workbook *wb, const char *tail, const char *usual,
			 part_start_fn *start, part_end_fn *end, void *state)
{
	const struct rel *r = rel_by_type(wb, tail);
	struct buf name = BUF_INIT;
	int rc;

	if (r && resolve_target("xl/", r->target, &name) < 0) {
		rc = wb_fail(wb, WORKBOOK_EUNSAFE, NULL, "relationship target '%.200s' leads out of "
			     "the archive: refused", r->target);
	} else {
		rc = wb_read_part(wb, r ? name.data : usual, start, end, state);
		rc = rc > 0 ? 0 : rc;
	}
	buf_release(&name);
	return rc;
}

static void ws_release(void *state)
{
	free(state);
}

int wb_open_xlsx(struct workbook *wb)
{
	struct styles st;
	struct sst_state ss;
	const struct sheet_info *sheet = NULL;
	const struct rel *r;
	struct buf name = BUF_INIT;
	int rc, missing;

	memset(&st, 0, sizeof(st));
	memset(&ss, 0, sizeof(ss));
	if (wb_read_part(wb, "xl/workbook.xml", wbx_start, NULL, NULL) != 0)
		return wb->failed ? -1 : wb_fail(wb, WORKBOOK_EFORMAT, NULL, "no xl/workbook.xml");
	rc = wb_read_part(wb, "xl/_rels/workbook.xml.rels", rels_start, NULL, NULL);
	if (rc != 0)
		return rc < 0 ? -1 : wb_fail(wb, WORKBOOK_EFORMAT, NULL, "no "
					    "xl/_rels/workbook.xml.rels: the sheets cannot be found");
	if (xlsx_choose(wb, &sheet) < 0)
		return -1;
	wb->sheet = xstrdup(sheet->name);
	r = rel_by_id(wb, sheet->rid);
	if (resolve_target("xl/", r->target, &name) < 0) {
		buf_release(&name);
		return wb_fail(wb, WORKBOOK_EUNSAFE, NULL, "relationship target '%.200s' leads out "
			       "of the archive: refused", r->target);
	}
	rc = optional_part(wb, "styles", "xl/styles.xml", sty_start, sty_end, &st);
	if (rc == 0)
		styles_resolve(wb, &st);
	free(st.xf_fmt);
	free(st.fmt_id);
	free(st.fmt_kind);
	if (rc == 0)
		rc = optional_part(wb, "sharedStrings", "xl/sharedStrings.xml", sst_start, sst_end,
				   &ss);
	if (rc == 0) {
		wb->body_state = xmalloc(sizeof(struct ws));
		memset(wb->body_state, 0, sizeof(struct ws));
		wb->body_release = ws_release;
		wb->body = wb_part_open(wb, name.data, ws_start, ws_end, wb->body_state, &missing);
		if (!wb->body)
			rc = wb->failed ? -1 : wb_fail(wb, WORKBOOK_EFORMAT, NULL, "the part of sheet "
						       "'%.100s' (%.200s) is missing", wb->sheet,
						       name.data);
	}
	buf_release(&name);
	return rc;
}
