/*
 * workbook_ods: the parts of an .ods (OpenDocument spreadsheet).
 * META-INF/manifest.xml says whether it is encrypted; content.xml holds
 * the table styles (which tables are hidden) and the tables one after
 * another, so at open it is read up to the table wanted (by name, else
 * by name ignoring case in a second pass, else the first visible one),
 * and its rows then stream through the same handlers: cells by value
 * type (float, date, time, boolean, string, calcext errors), paragraphs
 * and their spaces, tabs and line breaks, and repeated rows and columns
 * (number-rows-repeated, number-columns-repeated) queued once with their
 * count.  Part of workbook: the contract is include/blendcat/workbook.h,
 * what the other files use is in include/blendcat/workbook_internal.h.
 */
#include "blendcat/workbook.h"
#include "blendcat/workbook_internal.h"
#include "blendcat/buf.h"
#include "blendcat/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>

/* ------------------------------------------------------------- ods parts */

/* META-INF/manifest.xml: an encrypted file says so with encryption-data. */
static void man_start(struct part *p, const char *local, int nattr, const xmlChar **attrs)
{
	(void)nattr;
	(void)attrs;
	if (strcmp(local, "encryption-data") == 0) {
		p->wb->encrypted = 1;
		p->finished = 1;
	}
}

enum { V_NONE, V_FLOAT, V_DATE, V_TIME, V_BOOL, V_STRING, V_ERROR };

struct ods {
	int depth;
	int in_styles;
	char *cur_style;		/* the table style being read */
	char **hidden;			/* table styles with display="false" */
	size_t nhidden;
	int table_depth;		/* the chosen table's element, 0 before it */
	int skip_depth;			/* a subtree being skipped, 0 none */
	int in_row, in_cell, paragraphs;
	unsigned long row_no, row_repeat;
	unsigned long col_no, cell_repeat;
	int vtype, has_value;
	struct buf value;		/* the cell's value attribute */
};

static void ods_release(void *state)
{
	struct ods *o = state;
	size_t i;

	if (!o)
		return;
	for (i = 0; i < o->nhidden; i++)
		free(o->hidden[i]);
	free(o->hidden);
	free(o->cur_style);
	buf_release(&o->value);
	free(o);
}

#define NS_OFFICE ":office:"
#define NS_TABLE ":table:"
#define NS_STYLE ":style:"
#define NS_TEXT ":text:"
#define NS_CALCEXT "calcext"

/* Saturating: repeat counts may be anything. */
static unsigned long add_sat(unsigned long a, unsigned long b)
{
	return a > (1ul << 30) || b > (1ul << 30) ? (1ul << 31) : a + b;
}

static unsigned long repeat_attr(int nattr, const xmlChar **attrs, const char *name)
{
	size_t len;
	const char *v = wb_attr_raw(nattr, attrs, name, NS_TABLE, &len);
	long n = v ? wb_parse_index(v, len) : 1;

	return n <= 0 ? 1 : (unsigned long)n;
}

static int name_matches(const char *want, const char *name)
{
	return strcmp(want, name) == 0;
}

static void ods_table(struct part *p, struct ods *o, int nattr, const xmlChar **attrs)
{
	struct workbook *wb = p->wb;
	struct sheet_info *s;
	size_t i;

	if (wb->nsheets == MAX_SHEETS) {
		wb_part_fail(p, WORKBOOK_ELIMIT, "more than %d sheets", MAX_SHEETS);
		return;
	}
	wb->sheets = xrealloc(wb->sheets, (wb->nsheets + 1) * sizeof(*wb->sheets));
	s = &wb->sheets[wb->nsheets++];
	memset(s, 0, sizeof(*s));
	wb_attr_text(nattr, attrs, "name", NS_TABLE, &wb->val);
	s->name = xstrdup(wb->val.data);
	if (wb_attr_text(nattr, attrs, "style-name", NS_TABLE, &wb->val))
		for (i = 0; i < o->nhidden; i++)
			if (strcmp(o->hidden[i], wb->val.data) == 0)
				s->hidden = 1;
	if (!wb->chosen && (wb->o.sheet ? name_matches(wb->o.sheet, s->name) : !s->hidden)) {
		wb->chosen = 1;
		wb->sheet = xstrdup(s->name);
		o->table_depth = o->depth;
		o->row_no = 1;
	} else {
		o->skip_depth = o->depth;
	}
}

static void ods_styles(struct part *p, struct ods *o, const char *local, int nattr,
		       const xmlChar **attrs)
{
	struct workbook *wb = p->wb;

	if (strcmp(local, "style") == 0) {
		free(o->cur_style);
		o->cur_style = NULL;
		if (wb_attr_text(nattr, attrs, "family", NS_STYLE, &wb->val) &&
		    strcmp(wb->val.data, "table") == 0 &&
		    wb_attr_text(nattr, attrs, "name", NS_STYLE, &wb->val))
			o->cur_style = xstrdup(wb->val.data);
	} else if (strcmp(local, "table-properties") == 0 && o->cur_style &&
		   wb_attr_text(nattr, attrs, "display", NS_TABLE, &wb->val) &&
		   strcmp(wb->val.data, "false") == 0 && o->nhidden < MAX_SHEETS) {
		o->hidden = xrealloc(o->hidden, (o->nhidden + 1) * sizeof(*o->hidden));
		o->hidden[o->nhidden++] = xstrdup(o->cur_style);
	}
}

static void ods_cell(struct part *p, struct ods *o, int nattr, const xmlChar **attrs)
{
	struct workbook *wb = p->wb;
	static const struct {
		const char *type, *attr;
		int v;
	} types[] = {
		{ "float", "value", V_FLOAT }, { "percentage", "value", V_FLOAT },
		{ "currency", "value", V_FLOAT }, { "date", "date-value", V_DATE },
		{ "time", "time-value", V_TIME }, { "boolean", "boolean-value", V_BOOL },
		{ "string", "string-value", V_STRING },
	};
	size_t i;

	o->in_cell = 1;
	o->paragraphs = 0;
	o->cell_repeat = repeat_attr(nattr, attrs, "number-columns-repeated");
	o->vtype = V_NONE;
	o->has_value = 0;
	wb->cell_text = wb->fill->text.len;
	if (wb_attr_text(nattr, attrs, "value-type", NS_CALCEXT, &wb->val) &&
	    strcmp(wb->val.data, "error") == 0) {
		o->vtype = V_ERROR;
		return;
	}
	if (!wb_attr_text(nattr, attrs, "value-type", NS_OFFICE, &wb->val))
		return;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(wb->val.data, types[i].type) == 0) {
			o->vtype = types[i].v;
			o->has_value = wb_attr_text(nattr, attrs, types[i].attr, NS_OFFICE, &o->value);
			return;
		}
	o->vtype = V_STRING;	/* a type of a later ODF version: its text */
}

/* The text a cell shows, for the kinds whose value is an attribute. */
static enum workbook_type ods_value(struct workbook *wb, struct ods *o)
{
	char out[WORKBOOK_NUMBER_SIZE + WORKBOOK_DATE_SIZE + 80];
	const char *v = o->value.data;
	long long secs;
	double d;

	switch (o->vtype) {
	case V_FLOAT:
		if (!o->has_value || wb_parse_number(v, o->value.len, &d) < 0)
			break;
		workbook_number_text(d, out);
		wb_cell_set(wb, out);
		return WORKBOOK_NUMBER;
	case V_DATE:
		if (!o->has_value || wb_iso_date_text(v, out) < 0)
			break;
		wb_cell_set(wb, out);
		return WORKBOOK_DATE;
	case V_TIME:
		if (!o->has_value || (secs = workbook_iso_duration(v)) < 0)
			break;
		snprintf(out, sizeof(out), "%lld", secs);
		wb_cell_set(wb, out);
		return WORKBOOK_TIME;
	case V_BOOL:
		if (!o->has_value || (strcmp(v, "true") != 0 && strcmp(v, "false") != 0))
			break;
		wb_cell_set(wb, v);
		return WORKBOOK_BOOL;
	default:
		break;
	}
	snprintf(out, sizeof(out), "'%.40s' is not a valid %s value", o->has_value ? v : "",
		 o->vtype == V_FLOAT ? "number" : o->vtype == V_DATE ? "date" :
		 o->vtype == V_TIME ? "time" : "boolean");
	wb_cell_set(wb, out);
	return WORKBOOK_ERROR;
}

static void ods_cell_end(struct part *p, struct ods *o)
{
	struct workbook *wb = p->wb;
	unsigned long col = o->col_no, rep = o->cell_repeat;
	enum workbook_type type = WORKBOOK_STRING;
	size_t len;

	wb_cell_chars(wb, &len);
	o->in_cell = 0;
	p->collect = NULL;
	o->col_no = add_sat(o->col_no, rep);
	if (o->vtype == V_ERROR) {
		type = WORKBOOK_ERROR;	/* the text is the error value: #N/A */
	} else if (o->vtype == V_STRING && o->has_value) {
		wb_cell_set(wb, o->value.data);
	} else if (o->vtype != V_STRING && o->vtype != V_NONE) {
		type = ods_value(wb, o);
	} else if (o->vtype == V_NONE && !len) {
		buf_setlen(&wb->fill->text, wb->cell_text);
		return;		/* no value */
	}
	if (col + rep - 1 > WORKBOOK_MAX_COLS) {
		wb_cell_fail(p, WORKBOOK_EFORMAT, wb->last_row, 0, "a cell with a value past the last "
			     "column (%lu)", WORKBOOK_MAX_COLS);
		return;
	}
	wb_cell_done(wb, col, rep, type);
}

static void ods_row_end(struct part *p, struct ods *o)
{
	struct workbook *wb = p->wb;

	if (wb->fill->row_open && wb->fill->q[wb->fill->nq].n &&
	    o->row_no + o->row_repeat - 1 > WORKBOOK_MAX_ROWS) {
		wb_cell_fail(p, WORKBOOK_EFORMAT, o->row_no, 0, "a row with values past the last row "
			     "(%lu)", WORKBOOK_MAX_ROWS);
		return;
	}
	wb_row_end(wb);
	o->row_no = add_sat(o->row_no, o->row_repeat);
	o->in_row = 0;
}

/* Text inside a cell's paragraph: spaces, tabs and line breaks as elements. */
static void ods_text_element(struct part *p, const char *local, int nattr, const xmlChar **attrs)
{
	struct workbook *wb = p->wb;

	if (strcmp(local, "s") == 0) {
		long n = wb_attr_number(nattr, attrs, "c", NS_TEXT, 1);

		for (; n > 0 && !wb->failed; n--)
			wb_sax_text(p, (const xmlChar *)" ", 1);
	} else if (strcmp(local, "tab") == 0) {
		wb_sax_text(p, (const xmlChar *)"\t", 1);
	} else if (strcmp(local, "line-break") == 0) {
		wb_sax_text(p, (const xmlChar *)"\n", 1);
	}
}

static void ods_start(struct part *p, const char *local, int nattr, const xmlChar **attrs)
{
	struct ods *o = p->state;

	o->depth++;
	if (o->skip_depth)
		return;
	if (!o->table_depth) {
		if (strcmp(local, "automatic-styles") == 0)
			o->in_styles = 1;
		else if (o->in_styles)
			ods_styles(p, o, local, nattr, attrs);
		else if (strcmp(local, "table") == 0 && !p->wb->chosen)
			ods_table(p, o, nattr, attrs);
		return;
	}
	if (o->in_cell) {
		if (strcmp(local, "p") == 0) {
			wb_collect_cell(p);
			if (o->paragraphs++)
				wb_sax_text(p, (const xmlChar *)"\n", 1);
		} else if (strcmp(local, "annotation") == 0 || strcmp(local, "frame") == 0 ||
			   strcmp(local, "custom-shape") == 0 || strcmp(local, "table") == 0) {
			o->skip_depth = o->depth;	/* comments and shapes are not the value */
		} else if (p->collect) {
			ods_text_element(p, local, nattr, attrs);
		}
	} else if (strcmp(local, "table-row") == 0) {
		o->in_row = 1;
		o->row_repeat = repeat_attr(nattr, attrs, "number-rows-repeated");
		o->col_no = 1;
		wb_row_begin(p->wb, o->row_no, o->row_repeat);
	} else if (o->in_row && (strcmp(local, "table-cell") == 0 ||
				 strcmp(local, "covered-table-cell") == 0)) {
		ods_cell(p, o, nattr, attrs);
	}
}

static void ods_end(struct part *p, const char *local)
{
	struct ods *o = p->state;
	int depth = o->depth--;

	if (o->skip_depth) {
		if (depth == o->skip_depth)
			o->skip_depth = 0;
		return;
	}
	if (!o->table_depth) {
		if (strcmp(local, "automatic-styles") == 0)
			o->in_styles = 0;
		return;
	}
	if (depth == o->table_depth) {
		p->finished = 1;	/* the chosen table is over */
	} else if (o->in_cell) {
		if (strcmp(local, "p") == 0)
			p->collect = NULL;
		else if (strcmp(local, "table-cell") == 0 || strcmp(local, "covered-table-cell") == 0)
			ods_cell_end(p, o);
	} else if (strcmp(local, "table-row") == 0 && o->in_row) {
		ods_row_end(p, o);
	}
}

/* ------------------------------------------------------------ opening */

/* Read content.xml up to the table wanted (its rows then stream). */
static int ods_body(struct workbook *wb)
{
	struct ods *o = xmalloc(sizeof(*o));
	int missing;

	memset(o, 0, sizeof(*o));
	buf_init(&o->value);
	wb->body_state = o;
	wb->body_release = ods_release;
	wb->body = wb_part_open(wb, "content.xml", ods_start, ods_end, o, &missing);
	if (!wb->body)
		return wb->failed ? -1 : wb_fail(wb, WORKBOOK_EFORMAT, NULL, "no content.xml");
	while (!wb->chosen && !wb->body->eof && !wb->body->finished)
		if (wb_part_feed(wb->body) < 0)
			return -1;
	return 0;
}

/* Forget a pass over content.xml that did not find the table. */
static void ods_reset(struct workbook *wb)
{
	size_t i;

	wb_part_close(wb->body);
	wb->body = NULL;
	wb->body_release(wb->body_state);
	wb->body_state = NULL;
	for (i = 0; i < wb->nsheets; i++)
		free(wb->sheets[i].name);
	wb->nsheets = 0;
	wb->fill->nq = wb->fill->nqc = 0;
	wb->fill->row_open = 0;
	buf_reset(&wb->fill->text);
}

int wb_open_ods(struct workbook *wb)
{
	const char *want = wb->o.sheet;
	char *again = NULL;
	size_t i, nci = 0;
	int rc;

	rc = wb_read_part(wb, "META-INF/manifest.xml", man_start, NULL, NULL);
	if (rc < 0)
		return -1;
	if (wb->encrypted)
		return wb_fail(wb, WORKBOOK_EENCRYPTED, NULL, "the spreadsheet is encrypted (saved "
			       "with a password): save it without a password");
	if (ods_body(wb) < 0)
		return -1;
	if (wb->chosen)
		return 0;
	/* No table of that exact name: one that matches ignoring case will do. */
	for (i = 0; want && i < wb->nsheets; i++)
		if (strcasecmp(wb->sheets[i].name, want) == 0 && nci++ == 0)
			again = xstrdup(wb->sheets[i].name);
	if (nci != 1) {
		char why[300];

		free(again);
		snprintf(why, sizeof(why), want ? "no sheet '%.200s'" : "no visible sheet",
			 want ? want : "");
		return wb_no_sheet(wb, why);
	}
	ods_reset(wb);
	wb->o.sheet = again;
	rc = ods_body(wb);
	wb->o.sheet = want;
	free(again);
	return rc < 0 || wb->chosen ? rc : wb_no_sheet(wb, "no sheet");
}
