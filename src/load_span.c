/*
 * load_span: a track's arrangement sections, while they come in a row.
 *
 * Checking sections against each other means ordering every section of
 * a track by start time: on the server, a sort of the whole staging
 * table (5M rows and 9-11 s at a million tracks).  But a manifest lists a
 * track's sections together, so the client sees most tracks' sections
 * as one span: consecutive rows of one file naming one track.  It holds
 * the span (a few rows), orders it, and stages each row with three more
 * columns:
 *
 *   head       true on the span's first row
 *   span_last  on the head: the span's last end time
 *   prev_end   where the row overlaps an earlier row of its span: the
 *              latest end before it, else NULL
 *
 * The server (load_sql_check_sections) counts the heads per track: a
 * track with one span takes its overlaps from prev_end and its last end
 * from span_last; only a track with several spans (sections spread over
 * files, or a row naming its track by ISRC, which is a span of its own)
 * has its rows sorted there.  Both orders are the same: start time, end
 * time, file, line, a missing value last.
 *
 * A span ends at a row of another file or track, at LOAD_SPAN_MAX rows or
 * LOAD_SPAN_BYTES of text (long descriptions), and whenever a COPY ends
 * (load_end_copy): the client's memory stays flat whatever the input.
 *
 * On the bulk path (l->direct) every row goes to the catalog's table,
 * and only the span's head and the rows that overlap go to bc_span as
 * well, with the few columns the check needs (BC_SPAN_HEAD), the same
 * row number and id: the server finds the rest of a track's sections in
 * the catalog's table when it needs them.
 * See include/blendcat/load_internal.h.
 */
#include "blendcat/copybin.h"
#include "blendcat/diag.h"
#include "blendcat/load_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* A missing time: sorts after every number, and is never compared. */
#define NO_TIME LLONG_MAX

static long long time_of(const struct rec *r, int field)
{
	const char *s = field >= 0 ? rec_get(r, field) : NULL;
	char *end;
	long long v;

	if (!s)
		return NO_TIME;
	errno = 0;
	v = strtoll(s, &end, 10);
	/* Not a whole number (the staging column would refuse it): not compared. */
	return errno || end == s || *end ? NO_TIME : v;
}

void load_span_init(struct load_span *s)
{
	memset(s, 0, sizeof(*s));
	buf_init(&s->rows);
	buf_init(&s->track);
	buf_init(&s->out);
	buf_init(&s->final);
	s->section_field = rec_field_index(REC_ARRANGEMENT, "section_name");
	s->start_field = rec_field_index(REC_ARRANGEMENT, "start_time");
	s->end_field = rec_field_index(REC_ARRANGEMENT, "end_time");
}

void load_span_release(struct load_span *s)
{
	buf_release(&s->rows);
	buf_release(&s->track);
	buf_release(&s->out);
	buf_release(&s->final);
}

void load_span_reset(struct load_span *s)
{
	buf_reset(&s->rows);
	buf_reset(&s->track);
	buf_reset(&s->final);
	s->nrows = 0;
}

/* Does a comes before b in the server's order (start, end, file, line)? */
static int before(const struct load_span_row *a, const struct load_span_row *b)
{
	if (a->start != b->start)
		return a->start < b->start;
	if (a->end != b->end)
		return a->end < b->end;
	return a->line < b->line;
}

/*
 * Each row's prev_end: the latest end among the rows before it in order,
 * when the row starts before that.  Returns the span's last end.
 */
static long long find_overlaps(struct load_span *s)
{
	size_t order[LOAD_SPAN_MAX];
	long long latest = NO_TIME;
	size_t i, j;

	/* Insertion sort: a span is a few rows. */
	for (i = 0; i < s->nrows; i++) {
		for (j = i; j > 0 && before(&s->row[i], &s->row[order[j - 1]]); j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (i = 0; i < s->nrows; i++) {
		struct load_span_row *r = &s->row[order[i]];

		r->prev_end = NO_TIME;
		if (r->start != NO_TIME && latest != NO_TIME && r->start < latest)
			r->prev_end = latest;
		if (r->end != NO_TIME && (latest == NO_TIME || r->end > latest))
			latest = r->end;
	}
	return latest;
}

/* A time of the span's columns: seconds, which the reader keeps within an integer. */
static void add_time(struct buf *b, long long v)
{
	if (v == NO_TIME)
		copybin_null(b);
	else
		copybin_int4(b, (int32_t)v);
}

int load_span_flush(struct load *l)
{
	struct load_span *s = &l->span;
	struct buf *out = &s->out;
	long long last;
	size_t i, from = 0;

	if (!s->nrows)
		return 0;
	last = find_overlaps(s);
	buf_reset(out);
	for (i = 0; i < s->nrows; i++) {
		/* Direct: to bc_span, only the head and the rows that overlap. */
		if (!l->direct || i == 0 || s->row[i].prev_end != NO_TIME) {
			buf_add(out, s->rows.data + from, s->row[i].text_end - from);
			copybin_bool(out, i == 0);
			add_time(out, i == 0 ? last : NO_TIME);
			add_time(out, s->row[i].prev_end);
		}
		from = s->row[i].text_end;
	}
	if (l->direct && load_put(l, LOAD_FINAL + REC_ARRANGEMENT, &s->final) < 0)
		return -1;
	load_span_reset(s);
	return load_put(l, l->direct ? LOAD_SPAN : REC_ARRANGEMENT, out);
}

/*
 * Direct: arrangement record r, numbered l->n, as a bc_span row but for
 * its SPAN_COLUMNS (BC_SPAN_HEAD).
 */
static int encode_span_row(struct load *l, struct buf *b, const struct rec *r,
			   const struct rec_prov *p)
{
	struct load_span *s = &l->span;
	unsigned char id[UUID_SIZE];

	uuid_numbered_bytes(&l->ids, l->n, id);
	copybin_row(b, BC_SPAN_HEAD + SPAN_COLUMNS);
	copybin_uuid(b, id);
	copybin_int8(b, (int64_t)l->n);
	copybin_uuid(b, load_track_id(l, rec_get(r, 0)));
	copybin_int4(b, (int32_t)p->file_no);
	copybin_int8(b, (int64_t)p->line);
	copybin_text(b, rec_get(r, 0));
	copybin_text(b, rec_get(r, s->section_field));
	if (copybin_value(b, RT_SECONDS, rec_get(r, s->start_field)) < 0 ||
	    copybin_value(b, RT_SECONDS, rec_get(r, s->end_field)) < 0)
		return diag_error(LOC_NONE, "internal error: a section's time of line %lu is not in "
				  "its canonical form", p->line);
	return 0;
}

int load_span_add(struct load *l, const struct rec *r, const struct rec_prov *p)
{
	struct load_span *s = &l->span;
	const char *track = rec_get(r, 0);
	struct load_span_row *row;

	/* A row naming its track by ISRC is a span of its own: its track is not known yet. */
	if (s->nrows && (s->nrows == LOAD_SPAN_MAX || s->rows.len >= LOAD_SPAN_BYTES ||
			 s->final.len >= LOAD_SPAN_BYTES ||
			 s->file_no != p->file_no || s->by_isrc || r->by_isrc[0] ||
			 strcmp(s->track.data, track ? track : "") != 0) &&
	    load_span_flush(l) < 0)
		return -1;
	if (!s->nrows) {
		s->file_no = p->file_no;
		s->by_isrc = r->by_isrc[0] != '\0';
		buf_adds(&s->track, track ? track : "");
	}
	if (!l->direct) {
		if (load_encode(l, &s->rows, r, p) < 0)
			return -1;
	} else if (load_encode_final(l, &s->final, r, p,
				     load_batch_of(l, LOAD_FINAL + REC_ARRANGEMENT)) < 0 ||
		   encode_span_row(l, &s->rows, r, p) < 0) {
		return -1;
	}
	row = &s->row[s->nrows++];
	row->start = time_of(r, s->start_field);
	row->end = time_of(r, s->end_field);
	row->line = p->line;
	row->text_end = s->rows.len;
	return 0;
}
