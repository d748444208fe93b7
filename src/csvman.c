/*
 * csvman: the sheet reader (include/blendcat/csvman.h): a header's cells
 * to the fields they give (manifest columns, aliases, --map entries, ms
 * durations, joined columns), then each row to its records or a reject,
 * null markers read as empty and said once per column.  Numbered column
 * groups are csvgroups.c's, the --map file parser csvmap.c's.
 */
#include "blendcat/csvman.h"
#include "blendcat/csvman_internal.h"
#include "blendcat/buf.h"
#include "blendcat/diag.h"
#include "blendcat/sheet.h"
#include "blendcat/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- headers */

/*
 * Header aliases, compared after folding: lower case, letters and digits
 * only ("Track Title" = "tracktitle").  The manifest column names
 * themselves always match.  Label sheets use these names.
 */
struct alias {
	enum rec_kind kind;
	int field;
	const char *names;	/* folded, '|'-separated */
};

static const struct alias aliases[] = {
	{ REC_TRACK, TF_AUDIO_FILENAME, "filename|audiofile|wavfile|mp3file|trackfile" },
	{ REC_TRACK, TF_TITLE, "tracktitle|trackname|songtitle|songname|name" },
	{ REC_TRACK, TF_ARTIST, "artistname|trackartist|displayartist|mainartist|artists" },
	{ REC_TRACK, TF_DURATION, "length|time|durationsec|durationseconds|runtime|tracklength" },
	{ REC_TRACK, TF_TEMPO, "bpm|beatsperminute" },
	{ REC_TRACK, TF_MUSICAL_KEY, "key|initialkey|trackkey" },
	{ REC_TRACK, TF_SCALE, "mode|tonality" },
	{ REC_TRACK, TF_GENRE, "primarygenre|maingenre" },
	{ REC_TRACK, TF_SUBGENRE, "secondarygenre|subgenres" },
	{ REC_TRACK, TF_MOOD, "moods" },
	{ REC_TRACK, TF_TAGS, "tag|keywords" },
	{ REC_TRACK, TF_DESCRIPTION, "comment|comments|synopsis|trackdescription" },
	{ REC_TRACK, TF_COVER_ART_URL, "coverart|coverurl|artworkurl|artwork|cover" },
	{ REC_TRACK, TF_CATALOG_NUMBER, "catalogno|catalog|catno|catalognum|catalogue|cataloguenumber" },
	{ REC_TRACK, TF_ISRC, "isrccode" },
	{ REC_TRACK, TF_RELEASE_DATE, "releasedate|release|released|originalreleasedate" },
	{ REC_CREATOR, CF_CREATOR_NAME, "creator|writer|writername|contributor|contributorname" },
	{ REC_CREATOR, CF_ROLE, "creatorrole|contributorrole" },
	{ REC_CREATOR, CF_IPI_NUMBER, "ipi|ipinameno|ipiname|ipinamenumber|caeipi" },
	{ REC_CREATOR, CF_PRO, "society|prosociety|performingrightsorganization|performingrightsorganisation" },
	{ REC_CREATOR, CF_SPLIT_PERCENTAGE, "split|share|splitpercent|ownership|ownershippercentage" },
	{ REC_CREATOR, CF_CONTACT_EMAIL, "email|emailaddress" },
	{ REC_CREATOR, CF_CONTACT_PHONE, "phone|phonenumber|telephone" },
	{ REC_INSTRUMENT, 1, "category|instrumentgroup" },
	{ REC_INSTRUMENT, 2, "instrument|instrumentname" },
	{ REC_INSTRUMENT, 3, "primary|primaryinstrument|featured" },
	{ REC_ARRANGEMENT, AF_SECTION_NAME, "section|part|sectiontype" },
	{ REC_ARRANGEMENT, AF_START_TIME, "start|startsec|startseconds|from" },
	{ REC_ARRANGEMENT, AF_END_TIME, "end|endsec|endseconds|to" },
	{ REC_SAMPLE, 1, "samplepack|pack|packname" },
	{ REC_SAMPLE, 3, "cleared|clearance" },
	{ REC_SAMPLE, 4, "clearancenote" },
};

void csvman_fold(const char *s, char *out, size_t size)
{
	size_t n = 0;

	for (; *s && n + 1 < size; s++)
		if (isalnum((unsigned char)*s))
			out[n++] = (char)tolower((unsigned char)*s);
	out[n] = '\0';
}

static int in_list(const char *names, const char *folded)
{
	size_t n = strlen(folded);

	while (*names) {
		size_t len = strcspn(names, "|");

		if (len == n && strncmp(names, folded, n) == 0)
			return 1;
		names += len;
		if (*names == '|')
			names++;
	}
	return 0;
}

/* Field of kind k named by header, or -1. */
static int field_in_kind(enum rec_kind k, const char *header)
{
	char f[64], g[64];
	size_t i;

	csvman_fold(header, f, sizeof(f));
	if (!*f)
		return -1;
	for (i = 0; i < rec_kinds[k].nfields; i++) {
		csvman_fold(rec_kinds[k].fields[i].name, g, sizeof(g));
		if (strcmp(f, g) == 0)
			return (int)i;
	}
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if ((aliases[i].kind == k || aliases[i].field == 0) && in_list(aliases[i].names, f))
			return aliases[i].field;
	return -1;
}

int csvman_header_field(const char *header, enum rec_kind *kind)
{
	int k;

	for (k = 0; k < REC_NKINDS; k++) {
		int f = field_in_kind((enum rec_kind)k, header);

		if (f >= 0) {
			*kind = (enum rec_kind)k;
			return f;
		}
	}
	return -1;
}

/* --------------------------------------------------------------- reading */

/*
 * Where column col (-1: the whole row) of line is, for a message: the
 * file and line, or in a sheet whose positions are cells the cell
 * ("label.xlsx:Tracks!C12"; the row: "label.xlsx:Tracks!12").
 */
static void at(struct reader *rd, unsigned long line, long col, struct loc *loc)
{
	loc->file = rd->path;
	loc->line = line;
	loc->field = NULL;
	if (!rd->sheet)
		return;
	buf_reset(&rd->where);
	sheet_position(&rd->where, rd->path, rd->sheet, line, col);
	loc->file = rd->where.data;
	loc->line = 0;
}

static int header_index(const struct sheet_row *row, const char *name)
{
	char a[64], b[64];
	size_t i;

	csvman_fold(name, a, sizeof(a));
	for (i = 0; i < row->ncells; i++) {
		csvman_fold(row->cells[i].data, b, sizeof(b));
		if (strcmp(a, b) == 0)
			return (int)i;
	}
	return -1;
}

static enum rec_kind guess_kind(const struct sheet_row *row)
{
	int score[REC_NKINDS] = { 0 }, k, best = REC_TRACK;
	size_t i;

	for (i = 0; i < row->ncells; i++)
		for (k = 0; k < REC_NKINDS; k++) {
			int f = field_in_kind((enum rec_kind)k, row->cells[i].data);
			const char *name = f > 0 ? rec_kinds[k].fields[f].name : "";

			if (f > 0 && strcmp(name, "description") != 0)
				score[k]++;
		}
	for (k = 1; k < REC_NKINDS; k++)
		if (score[k] > score[best])
			best = k;
	return (enum rec_kind)best;
}

static int map_kind(const struct csvman_map *map)
{
	size_t i;
	int k;

	for (i = 0; map && i < map->n; i++)
		for (k = 1; k < REC_NKINDS && map->v[i].kind < 0; k++)
			if (rec_field_index((enum rec_kind)k, map->v[i].field) > 0 &&
			    strcmp(map->v[i].field, "description") != 0)
				return k;
	return -1;
}

/*
 * Does header name a duration in milliseconds: "duration_ms",
 * "Length (ms)", "Milliseconds", "Duration (milliseconds)"?
 */
static int header_in_ms(const char *header)
{
	static const char *const units[] = { "milliseconds", "millisecond", "msec", "ms" };
	char f[64];
	size_t i, n;

	csvman_fold(header, f, sizeof(f));
	n = strlen(f);
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t u = strlen(units[i]);

		if (n < u || strcmp(f + n - u, units[i]) != 0)
			continue;
		if (n == u && i < 2)
			return 1;	/* "Milliseconds" alone */
		f[n - u] = '\0';
		return n > u && field_in_kind(REC_TRACK, f) == TF_DURATION;
	}
	return 0;
}

static int field_has_source(const struct reader *rd, int field)
{
	size_t i;

	for (i = 0; i < rd->nsrc; i++)
		if (rd->src[i].field == field)
			return 1;
	return 0;
}

static void add_source(struct reader *rd, int field, size_t col)
{
	size_t i;

	for (i = 0; i < rd->nsrc; i++)
		if (rd->src[i].field == field)
			return;		/* the first column naming a field wins */
	rd->src[rd->nsrc].field = field;
	rd->src[rd->nsrc].nullable = rec_field_takes_null_marker(rd->kind, field);
	rd->src[rd->nsrc].cols[0] = col;
	rd->src[rd->nsrc].ncols = 1;
	rd->nsrc++;
}

static int apply_map(struct reader *rd, const struct sheet_row *row)
{
	const struct csvman_map *map = rd->o->map;
	struct loc loc;
	size_t i, j;

	at(rd, rd->hline, -1, &loc);
	for (i = 0; map && i < map->n; i++) {
		const struct csvman_map_entry *e = &map->v[i];
		int f = e->kind < 0 ? rec_field_index(rd->kind, e->field) : -1;
		struct source s;

		if (f < 0 || field_has_source(rd, f))
			continue;	/* the first entry for a field wins */
		memset(&s, 0, sizeof(s));
		s.field = f;
		for (j = 0; j < e->nheaders && j < 4; j++) {
			int c = header_index(row, e->headers[j]);

			if (c < 0)
				return diag_error(&loc, "--map: no column '%s' for field '%s'",
						  e->headers[j], e->field);
			s.cols[s.ncols++] = (size_t)c;
			rd->used[c] = 1;
		}
		s.ms = rd->kind == REC_TRACK && f == TF_DURATION && s.ncols == 1 &&
		       header_in_ms(e->headers[0]);
		s.nullable = rec_field_takes_null_marker(rd->kind, f);
		rd->src[rd->nsrc++] = s;
	}
	return 0;
}

static void mark_reads(struct reader *rd);

static int on_header(struct reader *rd, const struct sheet_row *row)
{
	struct loc loc;
	int mk = map_kind(rd->o->map);
	size_t i, unused = 0;

	rd->sheet = row->sheet;
	rd->hline = row->line;
	at(rd, rd->hline, -1, &loc);
	if (row->error)
		return diag_error(&loc, "header: %s", row->error);
	rd->kind = mk >= 0 ? (enum rec_kind)mk : guess_kind(row);
	rd->ncols = row->ncells;
	rd->null_said = xcalloc(rd->ncols + 1, 1);
	rd->used = xcalloc(rd->ncols + 1, 1);
	rd->st->kind = rd->kind;
	if (apply_map(rd, row) < 0 || csvman_wide_setup(rd, row) < 0)
		return -1;
	for (i = 0; i < row->ncells; i++) {
		int f = rd->o->no_header || rd->used[i] ? -1 :
			field_in_kind(rd->kind, row->cells[i].data);

		if (rd->used[i])
			continue;

		if (f < 0 && !rd->o->no_header && rd->kind == REC_TRACK &&
		    header_in_ms(row->cells[i].data) && !field_has_source(rd, TF_DURATION)) {
			add_source(rd, TF_DURATION, i);
			rd->src[rd->nsrc - 1].ms = 1;
			continue;
		}
		if (f >= 0) {
			add_source(rd, f, i);
			continue;
		}
		if (!rd->o->no_header && csvman_add_group_column(rd, row->cells[i].data, i))
			continue;
		if (!row->cells[i].len)
			continue;
		if (rd->o->no_header) {
			unused++;
			continue;
		}
		at(rd, rd->hline, (long)i, &loc);
		diag_warn(&loc, "column '%s' is not a %s field: ignored", row->cells[i].data,
			  rec_kinds[rd->kind].name);
	}
	at(rd, rd->hline, -1, &loc);
	if (rd->o->no_header && unused)
		diag_warn(&loc, "%zu of the %zu columns %s not mapped: ignored", unused, row->ncells,
			  unused == 1 ? "is" : "are");
	for (i = 0; i < rd->nsrc; i++)
		if (rd->src[i].field == 0)
			break;
	if (i < rd->nsrc && i > 0) {
		/* audio_filename first: a later bad field then knows its track. */
		struct source s0 = rd->src[i];

		memmove(&rd->src[1], &rd->src[0], i * sizeof(rd->src[0]));
		rd->src[0] = s0;
		i = 0;
	}
	if (i == rd->nsrc && rd->o->no_header) {
		diag_error(&loc, "no audio_filename column: --no-header needs a --map naming it");
		diag_hint("columns are named by their number from 1: a --map file line "
			  "'audio_filename = 1' names the first");
		return -1;
	}
	if (i == rd->nsrc) {
		diag_error(&loc, "no audio_filename column in the header");
		diag_hint("every manifest file needs the audio file's name to join on; "
			  "name the column with --map audio_filename = HEADER");
		return -1;
	}
	mark_reads(rd);
	if (!rd->sink->header)
		return 0;
	/* The rejects file gets the header as read, byte order mark included. */
	return rd->sink->header(rd->sink->rec.ctx, rd->file_no, rd->kind, row->head, row->head_len);
}

static void prov_of(const struct reader *rd, const struct sheet_row *row, struct rec_prov *p)
{
	p->file_no = rd->file_no;
	p->path = rd->path;
	p->line = row->line;
	p->off = row->off;
	p->len = row->len;
	p->where = NULL;
}

/* p, naming column col (-1: the row) when the sheet's positions are cells. */
static const struct rec_prov *prov_at(struct reader *rd, const struct rec_prov *p, long col,
				      struct rec_prov *q)
{
	struct loc loc;

	if (!rd->sheet)
		return p;
	*q = *p;
	at(rd, p->line, col, &loc);
	q->where = loc.file;
	return q;
}

/*
 * Reject the row being read at column col (-1: the whole row).  Its
 * reader may keep it for the rejects only now (sheet_row_keep).
 */
int csvman_reject(struct reader *rd, const struct rec_prov *p, long col, const char *field,
		  const char *value, const char *reason)
{
	struct rec_prov q = *p;
	struct loc loc;

	rd->st->rejects++;
	if (rd->row->keep && sheet_row_keep(rd->row, &q.off, &q.len) < 0)
		return 1;
	if (rd->sheet) {
		at(rd, p->line, col, &loc);
		q.where = loc.file;
	}
	return rd->sink->rec.reject(rd->sink->rec.ctx, &q, rec_get(&rd->rec, 0), field, value, reason);
}

/* A remark about column col (-1: the row) of the row being read. */
void csvman_warn(struct reader *rd, const struct rec_prov *p, long col, const char *field,
		 const char *msg)
{
	struct rec_prov q;

	if (rd->sink->rec.warn)
		rd->sink->rec.warn(rd->sink->rec.ctx, prov_at(rd, p, col, &q), field, msg);
}

/* The text of source s in row, as shown in messages: parts joined with " + ". */
static const char *source_text(struct reader *rd, const struct source *s,
			       const struct sheet_row *row, size_t *len)
{
	size_t i;

	if (s->ncols == 1) {
		*len = row->cells[s->cols[0]].len;
		return row->cells[s->cols[0]].data;
	}
	buf_reset(&rd->join);
	for (i = 0; i < s->ncols; i++) {
		if (i)
			buf_adds(&rd->join, " + ");
		buf_add(&rd->join, row->cells[s->cols[i]].data, row->cells[s->cols[i]].len);
	}
	*len = rd->join.len;
	return rd->join.data;
}

/*
 * Kept out of the per-cell functions: a local array there costs every
 * call a stack canary, several percent of reading a sheet.
 */
#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

/* A null marker in column col (field f of kind k), said once per column. */
static NOINLINE void say_null(struct reader *rd, const struct sheet_row *row, size_t col,
			      enum rec_kind k, int f, const struct rec_prov *p)
{
	char msg[NORM_WHY_MAX];

	if (!p || rd->null_said[col])
		return;
	rd->null_said[col] = 1;
	snprintf(msg, sizeof(msg), "'%.40s' is a null marker: read as empty "
		 "(not said again for this column)", row->cells[col].data);
	csvman_warn(rd, p, (long)col, rec_kinds[k].fields[f].name, msg);
}

/*
 * Cell col of row as field f of kind k reads it: empty when it holds only
 * a null marker and the field takes one, which is said once per column
 * (p NULL: not said).
 */
void csvman_cell_of(struct reader *rd, const struct sheet_row *row, size_t col, enum rec_kind k,
		    int f, const struct rec_prov *p, struct rec_part *out)
{
	const struct sheet_cell *c = &row->cells[col];

	out->data = c->data;
	out->len = c->len;
	if (!c->len || !rec_field_takes_null_marker(k, f) ||
	    !norm_null_marker(c->data, c->len, rd->o->nulls, rd->o->nnulls))
		return;
	out->len = 0;
	say_null(rd, row, col, k, f, p);
}

/* A duration in milliseconds, rounded half up to seconds. */
static int set_ms(struct reader *rd, struct rec *rec, int field, const struct rec_part *v)
{
	char secs[24];
	int n, rc;

	buf_reset(&rd->val);
	buf_add(&rd->val, v->data, v->len);
	if (rd->ropts.decimal_comma)
		norm_decimal_comma(rd->val.data);
	if (rec_set(rec, field, "", 0, &rd->ropts) < 0)
		return -1;
	rc = norm_duration_ms(rd->val.data, &n, rec->why);
	if (rc == NORM_EMPTY && strspn(rd->val.data, " \t\r\n") < rd->val.len) {
		snprintf(rec->why, sizeof(rec->why), "'%.40s' ms is less than half a second",
			 rd->val.data);
		rc = -1;
	}
	if (rc < 0) {
		rec->bad_field = field;
		return -1;
	}
	if (rc == NORM_EMPTY)
		return 0;
	snprintf(secs, sizeof(secs), "%d", n);
	return rec_set(rec, field, secs, strlen(secs), &rd->ropts);
}

/* set_source for joined columns and milliseconds. */
static NOINLINE int set_source_parts(struct reader *rd, struct rec *rec, const struct source *s,
				     const struct sheet_row *row, const struct rec_prov *p)
{
	struct rec_part parts[4];
	size_t i;

	for (i = 0; i < s->ncols; i++)
		csvman_cell_of(rd, row, s->cols[i], rec->kind, s->field, p, &parts[i]);
	/* A workbook's time cell is in seconds already, whatever its header says. */
	if (s->ms && row->cells[s->cols[0]].type != SHEET_TIME)
		return set_ms(rd, rec, s->field, &parts[0]);
	return rec_set_parts(rec, s->field, parts, s->ncols, &rd->ropts);
}

/* Set rec's field from source s of row: one column, or parts joined. */
static int set_source(struct reader *rd, struct rec *rec, const struct source *s,
		      const struct sheet_row *row, const struct rec_prov *p)
{
	const struct sheet_cell *c = &row->cells[s->cols[0]];
	size_t len = c->len;

	if (s->ncols > 1 || s->ms)
		return set_source_parts(rd, rec, s, row, p);
	if (s->nullable && len && norm_null_marker(c->data, len, rd->o->nulls, rd->o->nnulls)) {
		len = 0;
		say_null(rd, row, s->cols[0], rec->kind, s->field, p);
	}
	return rec_set(rec, s->field, c->data, len, &rd->ropts);
}

/* Try to learn the row's track from its audio_filename column alone. */
static void learn_track(struct reader *rd, const struct sheet_row *row)
{
	size_t i, j;

	rec_reset(&rd->rec, rd->kind);
	for (i = 0; i < rd->nsrc; i++) {
		const struct source *s = &rd->src[i];

		for (j = 0; j < s->ncols && s->cols[j] < row->ncells; j++)
			;
		if (s->field == 0 && j == s->ncols && set_source(rd, &rd->rec, s, row, NULL) < 0)
			rec_reset(&rd->rec, rd->kind);
	}
}

/* The row's records: the track, then its creators from a label sheet. */
static int emit(struct reader *rd, const struct sheet_row *row, const struct rec_prov *p)
{
	int n = rd->ngroups ? csvman_row_groups(rd, row, p) : 0, i, rc;
	size_t k;

	if (n < 0)
		return n == -2 ? 1 : 0;
	if (rd->nwide && (rc = csvman_wide_rows(rd, row, p)) < 0)
		return rc == -2 ? 1 : 0;
	rd->st->records++;
	rc = rd->sink->rec.record(rd->sink->rec.ctx, &rd->rec, p);
	for (i = 0; rc == 0 && i < n; i++)
		rc = rd->sink->rec.record(rd->sink->rec.ctx, &rd->crec[i], p);
	for (k = 0; rc == 0 && k < rd->nkids; k++)
		rc = rd->sink->rec.record(rd->sink->rec.ctx, &rd->kids[k].rec, p);
	return rc;
}

/* The column of a field, when one column gives it; else -1. */
static long field_col(const struct reader *rd, int field)
{
	size_t i;

	for (i = 0; i < rd->nsrc; i++)
		if (rd->src[i].field == field)
			return rd->src[i].ncols == 1 ? (long)rd->src[i].cols[0] : -1;
	return -1;
}

/* The first cell of row without a usable value (SHEET_ERROR) that a field reads, or ncells. */
static size_t error_cell(const struct reader *rd, const struct sheet_row *row)
{
	size_t i;

	for (i = 0; i < row->ncells && i < rd->ncols; i++)
		if (row->cells[i].type == SHEET_ERROR && rd->reads[i])
			break;
	return i < rd->ncols ? i : row->ncells;
}

/* The name of the field column col gives, for a reject, into rd->val. */
static void col_field(struct reader *rd, size_t col)
{
	size_t i, j, e, g, p;

	buf_reset(&rd->val);
	for (i = 0; i < rd->nsrc; i++)
		for (j = 0; j < rd->src[i].ncols; j++)
			if (rd->src[i].cols[j] == col) {
				buf_adds(&rd->val, rec_kinds[rd->kind].fields[rd->src[i].field].name);
				return;
			}
	for (i = 0; i < rd->ngroups; i++)
		for (j = 0; j < REC_MAX_FIELDS; j++)
			if (rd->groups[i].cols[j] == (long)col) {
				buf_addf(&rd->val, "%s %u %s", rd->groups[i].role, rd->groups[i].number,
					 rec_kinds[REC_CREATOR].fields[j].name);
				return;
			}
	for (i = 0; i < rd->nwide; i++) {
		const struct wide *w = &rd->wide[i];

		for (g = 0; g < w->ngroups; g++)
			for (e = 0; e < w->nent; e++)
				for (p = 0; p < CSVMAN_MAP_PARTS; p++) {
					if (WCOL(w, g, e, p) != (long)col)
						continue;
					if (w->numbered)
						buf_addf(&rd->val, "%s %u %s", rec_kinds[w->kind].name,
							 w->num[g], w->ent[e]->field);
					else
						buf_addf(&rd->val, "%s %s", rec_kinds[w->kind].name,
							 w->ent[e]->field);
					return;
				}
	}
}

/* Reject row at cell col, which a field reads and has no usable value (a formula error). */
static NOINLINE int reject_error_cell(struct reader *rd, const struct sheet_row *row,
				      const struct rec_prov *p, size_t col)
{
	const struct sheet_cell *c = &row->cells[col];
	char why[NORM_WHY_MAX];

	learn_track(rd, row);
	snprintf(why, sizeof(why), "no usable value: %s%s",
		 c->data[0] == '#' ? "the formula error " : "", c->data);
	col_field(rd, col);
	return csvman_reject(rd, p, (long)col, rd->val.len ? rd->val.data : NULL, c->data, why);
}

/* The columns some field reads, for error_cell. */
static void mark_reads(struct reader *rd)
{
	size_t i, j, e, g, p;

	rd->reads = xcalloc(rd->ncols + 1, 1);
	for (i = 0; i < rd->nsrc; i++)
		for (j = 0; j < rd->src[i].ncols; j++)
			rd->reads[rd->src[i].cols[j]] = 1;
	for (i = 0; i < rd->ngroups; i++)
		for (j = 0; j < REC_MAX_FIELDS; j++)
			if (rd->groups[i].cols[j] >= 0)
				rd->reads[rd->groups[i].cols[j]] = 1;
	for (i = 0; i < rd->nwide; i++) {
		const struct wide *w = &rd->wide[i];

		for (g = 0; g < w->ngroups; g++)
			for (e = 0; e < w->nent; e++)
				for (p = 0; p < CSVMAN_MAP_PARTS; p++)
					if (WCOL(w, g, e, p) >= 0)
						rd->reads[WCOL(w, g, e, p)] = 1;
	}
}

static int on_data(struct reader *rd, const struct sheet_row *row)
{
	struct rec_prov p;
	char why[NORM_WHY_MAX];
	size_t i, len;

	prov_of(rd, row, &p);
	if (row->error) {
		/* Fields are a best effort here, but the track is worth knowing. */
		learn_track(rd, row);
		return csvman_reject(rd, &p, row->error_col, NULL,
				     row->error_col >= 0 ? row->cells[row->error_col].data : NULL,
				     row->error);
	}
	if (row->ncells != rd->ncols) {
		learn_track(rd, row);
		snprintf(why, sizeof(why), "expected %zu fields as in the header, got %zu%s",
			 rd->ncols, row->ncells, row->ncells > rd->ncols ?
			 " (a value holding the separator must be quoted)" : "");
		return csvman_reject(rd, &p, -1, NULL, NULL, why);
	}
	if (row->cell_errors && (i = error_cell(rd, row)) < row->ncells)
		return reject_error_cell(rd, row, &p, i);
	rec_reset(&rd->rec, rd->kind);
	for (i = 0; i < rd->nsrc; i++) {
		const struct source *s = &rd->src[i];

		if (set_source(rd, &rd->rec, s, row, &p) < 0) {
			const char *name = rec_kinds[rd->kind].fields[s->field].name;
			const char *t = source_text(rd, s, row, &len);

			/* The value and reason as read: copy them, the record may be reset. */
			buf_reset(&rd->val);
			buf_add(&rd->val, t, len);
			snprintf(why, sizeof(why), "%s", rd->rec.why);
			if (s->field == 0)
				rec_reset(&rd->rec, rd->kind);
			return csvman_reject(rd, &p, s->ncols == 1 ? (long)s->cols[0] : -1, name,
					     rd->val.data, why);
		}
		if (rd->rec.warn[0])
			csvman_warn(rd, &p, s->ncols == 1 ? (long)s->cols[0] : -1,
				    rec_kinds[rd->kind].fields[s->field].name, rd->rec.warn);
	}
	if (rec_finish(&rd->rec) < 0) {
		int f = rd->rec.bad_field;

		return csvman_reject(rd, &p, field_col(rd, f), rec_kinds[rd->kind].fields[f].name,
				     rec_get(&rd->rec, f), rd->rec.why);
	}
	return emit(rd, row, &p);
}

/* --no-header: the first row is data; the columns are named 1, 2, 3... */
static int numbered_header(struct reader *rd, const struct sheet_row *first)
{
	struct sheet_row h = *first;
	struct sheet_cell *cells = xcalloc(first->ncells + 1, sizeof(*cells));
	struct buf names = BUF_INIT;
	size_t i, *off = xcalloc(first->ncells + 1, sizeof(*off));
	int rc;

	for (i = 0; i < first->ncells; i++) {
		off[i] = names.len;
		buf_addf(&names, "%zu", i + 1);
		buf_addch(&names, '\0');
	}
	for (i = 0; i < first->ncells; i++) {
		cells[i].data = names.data + off[i];
		cells[i].len = strlen(cells[i].data);
	}
	h.cells = cells;
	h.error = NULL;
	h.head = "";
	h.head_len = 0;
	rc = on_header(rd, &h);
	free(cells);
	free(off);
	buf_release(&names);
	return rc;
}

static int on_row(const struct sheet_row *row, void *ctx)
{
	struct reader *rd = ctx;

	rd->st->rows++;
	rd->row = row;
	if (row->index == 0) {
		rd->ropts.decimal_comma = row->dialect->decimal_comma;
		if ((rd->o->no_header ? numbered_header(rd, row) : on_header(rd, row)) < 0) {
			rd->failed = 1;
			return 1;
		}
		if (!rd->o->no_header)
			return 0;
	}
	return on_data(rd, row) != 0;
}

int csvman_read_file(const char *path, int file_no, const struct csvman_opts *o,
		     const struct csvman_sink *sink, struct csvman_stats *st)
{
	return csvman_read_fp(NULL, path, file_no, o, sink, st);
}

int csvman_read_fp(FILE *fp, const char *path, int file_no, const struct csvman_opts *o,
		   const struct csvman_sink *sink, struct csvman_stats *st)
{
	struct reader rd;
	struct sheet_opts so;
	struct sheet_stats ss;
	struct loc loc = { path, 0, NULL };
	size_t i;
	int rc;

	memset(st, 0, sizeof(*st));
	memset(&rd, 0, sizeof(rd));
	rd.path = path;
	rd.file_no = file_no;
	rd.o = o;
	rd.ropts = o->rec;
	rd.sink = sink;
	rd.st = st;
	rec_init(&rd.rec);
	for (i = 0; i < MAX_GROUPS; i++)
		rec_init(&rd.crec[i]);
	buf_init(&rd.join);
	buf_init(&rd.val);
	buf_init(&rd.where);
	memset(&so, 0, sizeof(so));
	so.encoding = o->encoding;
	so.delim = o->delim;
	so.no_header = o->no_header;
	so.sheet = o->sheet;
	so.spool = o->spool;
	so.spool_all = o->spool_all;
	rc = fp ? sheet_read_fp(fp, path, &so, on_row, &rd, &ss) :
		  sheet_read_file(path, &so, on_row, &rd, &ss);
	st->bytes = ss.bytes;
	st->dialect = ss.dialect;
	st->sheet = ss.sheet;
	if (rc > 0)
		rc = rd.failed ? -1 : 1;	/* printed by on_header, or the sink stopped it */
	if (rc == 0 && ss.rows == 0 && ss.sheet) {
		sheet_position(&rd.where, path, ss.sheet, 0, -1);
		loc.file = rd.where.data;
		rc = diag_error(&loc, o->no_header ? "empty sheet" : "empty sheet: no header row");
	} else if (rc == 0 && ss.rows == 0) {
		rc = diag_error(&loc, o->no_header ? "empty file" : "empty file: no header row");
	}
	rec_release(&rd.rec);
	for (i = 0; i < MAX_GROUPS; i++)
		rec_release(&rd.crec[i]);
	buf_release(&rd.join);
	buf_release(&rd.val);
	buf_release(&rd.where);
	free(rd.null_said);
	free(rd.used);
	free(rd.reads);
	csvman_wide_release(&rd);
	return rc < 0 || rc == 1 ? -1 : 0;
}

/* The first row of a probed file: does it name the audio file's column? */
static int probe_row(const struct sheet_row *row, void *ctx)
{
	enum rec_kind k;
	size_t i;

	for (i = 0; !row->error && i < row->ncells; i++)
		if (csvman_header_field(row->cells[i].data, &k) == 0)
			*(int *)ctx = 1;
	return 1;
}

int csvman_probe(const char *path, const struct csvman_opts *o)
{
	struct sheet_opts so;
	struct sheet_stats ss;
	int found = 0, muted = diag_muted;

	memset(&so, 0, sizeof(so));
	so.encoding = o->encoding;
	so.delim = o->delim;
	so.max_row = 1 << 20;
	diag_muted = 1;
	sheet_read_file(path, &so, probe_row, &found, &ss);
	sheet_stats_release(&ss);
	diag_muted = muted;
	return found || ss.dialect.charset == SHEET_UTF16LE || ss.dialect.charset == SHEET_UTF16BE;
}
