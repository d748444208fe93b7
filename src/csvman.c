/*
 * csvman: CSV manifests -> catalog records; see include/blendcat/csvman.h.
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

static void fold(const char *s, char *out, size_t size)
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

	fold(header, f, sizeof(f));
	if (!*f)
		return -1;
	for (i = 0; i < rec_kinds[k].nfields; i++) {
		fold(rec_kinds[k].fields[i].name, g, sizeof(g));
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

static const char *const group_roles[] = {
	"composer", "lyricist", "songwriter", "writer", "author", "producer",
	"arranger", "mixer", "publisher", "performer", "remixer",
};

/* Creator fields by the suffix after the role and number. */
static const struct {
	const char *suffix;
	int field;
} group_fields[] = {
	{ "", CF_CREATOR_NAME }, { "name", CF_CREATOR_NAME },
	{ "ipi", CF_IPI_NUMBER }, { "ipinumber", CF_IPI_NUMBER }, { "cae", CF_IPI_NUMBER },
	{ "caeipi", CF_IPI_NUMBER },
	{ "pro", CF_PRO }, { "society", CF_PRO }, { "affiliation", CF_PRO },
	{ "split", CF_SPLIT_PERCENTAGE }, { "share", CF_SPLIT_PERCENTAGE },
	{ "splitpercentage", CF_SPLIT_PERCENTAGE }, { "percentage", CF_SPLIT_PERCENTAGE },
	{ "email", CF_CONTACT_EMAIL }, { "phone", CF_CONTACT_PHONE }, { "role", CF_ROLE },
};

/* Is header a creator group column?  Fills role, number and field. */
static int parse_group_header(const char *header, char role[24], unsigned *number, int *field)
{
	char f[64];
	const char *p;
	size_t i, n;

	fold(header, f, sizeof(f));
	for (i = 0; i < sizeof(group_roles) / sizeof(group_roles[0]); i++) {
		n = strlen(group_roles[i]);
		if (strncmp(f, group_roles[i], n) == 0)
			break;
	}
	if (i == sizeof(group_roles) / sizeof(group_roles[0]))
		return 0;
	snprintf(role, 24, "%s", group_roles[i]);
	p = f + n;
	*number = 0;
	while (isdigit((unsigned char)*p))
		*number = *number * 10 + (unsigned)(*p++ - '0');
	for (i = 0; i < sizeof(group_fields) / sizeof(group_fields[0]); i++)
		if (strcmp(p, group_fields[i].suffix) == 0) {
			*field = group_fields[i].field;
			return 1;
		}
	return 0;
}

/* Column col of a track sheet, if it belongs to a creator group. */
static int add_group_column(struct reader *rd, const char *header, size_t col)
{
	char role[24];
	unsigned number;
	int field;
	size_t i, j;

	if (rd->kind != REC_TRACK || !parse_group_header(header, role, &number, &field))
		return 0;
	for (i = 0; i < rd->ngroups; i++)
		if (strcmp(rd->groups[i].role, role) == 0 && rd->groups[i].number == number)
			break;
	if (i == rd->ngroups) {
		if (rd->ngroups == MAX_GROUPS)
			return 0;
		memcpy(rd->groups[i].role, role, sizeof(role));
		rd->groups[i].number = number;
		for (j = 0; j < REC_MAX_FIELDS; j++)
			rd->groups[i].cols[j] = -1;
		rd->ngroups++;
	}
	rd->groups[i].cols[field] = (long)col;
	return 1;
}

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

	fold(name, a, sizeof(a));
	for (i = 0; i < row->ncells; i++) {
		fold(row->cells[i].data, b, sizeof(b));
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

	fold(header, f, sizeof(f));
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

static int wide_setup(struct reader *rd, const struct sheet_row *row);
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
	if (apply_map(rd, row) < 0 || wide_setup(rd, row) < 0)
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
		if (!rd->o->no_header && add_group_column(rd, row->cells[i].data, i))
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
	return rd->sink->header(rd->sink->ctx, rd->file_no, rd->kind, row->head, row->head_len);
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
static int reject(struct reader *rd, const struct rec_prov *p, long col, const char *field,
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
	return rd->sink->reject(rd->sink->ctx, &q, rec_get(&rd->rec, 0), field, value, reason);
}

/* A remark about column col (-1: the row) of the row being read. */
static void warn(struct reader *rd, const struct rec_prov *p, long col, const char *field,
		 const char *msg)
{
	struct rec_prov q;

	if (rd->sink->warn)
		rd->sink->warn(rd->sink->ctx, prov_at(rd, p, col, &q), field, msg);
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
	warn(rd, p, (long)col, rec_kinds[k].fields[f].name, msg);
}

/*
 * Cell col of row as field f of kind k reads it: empty when it holds only
 * a null marker and the field takes one, which is said once per column
 * (p NULL: not said).
 */
static void cell_of(struct reader *rd, const struct sheet_row *row, size_t col, enum rec_kind k,
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
		cell_of(rd, row, s->cols[i], rec->kind, s->field, p, &parts[i]);
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

/* ------------------------------------------------------------ wide sheets */

#define WIDE_MAX_GROUPS 1000

static const char *part_pattern(const struct csvman_map_entry *e, size_t p)
{
	return e->nflags ? e->flags[p].header : e->headers[p];
}

static size_t nparts(const struct csvman_map_entry *e)
{
	return e->nflags ? e->nflags : e->nheaders;
}

/*
 * Does the folded header h match pattern pat?  Without a '#' it must be
 * equal (*num = 0); with one, the folded text before '#', a number, then
 * the folded text after it (*num = the number, 1-999999).
 */
static int pattern_match(const char *pat, const char *h, unsigned *num)
{
	const char *hash = strchr(pat, '#');
	char pre[64], suf[64], tmp[64];
	size_t n = 0;

	*num = 0;
	if (!hash) {
		fold(pat, tmp, sizeof(tmp));
		return *tmp && strcmp(tmp, h) == 0;
	}
	snprintf(tmp, sizeof(tmp), "%.*s", (int)(hash - pat), pat);
	fold(tmp, pre, sizeof(pre));
	fold(hash + 1, suf, sizeof(suf));
	if (strncmp(h, pre, strlen(pre)) != 0)
		return 0;
	h += strlen(pre);
	while (isdigit((unsigned char)h[n]) && n < 7)
		*num = *num * 10 + (unsigned)(h[n++] - '0');
	return n > 0 && n < 7 && *num > 0 && strcmp(h + n, suf) == 0;
}

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

/* The group numbers of kind k's entries in the header (folded names h). */
static int wide_numbers(struct wide *w, char (*h)[64], size_t ncols)
{
	size_t e, p, c, n = 0;
	unsigned num;

	for (e = 0; e < w->nent; e++)
		for (p = 0; p < nparts(w->ent[e]); p++) {
			if (!strchr(part_pattern(w->ent[e], p), '#'))
				continue;
			w->numbered = 1;
			for (c = 0; c < ncols; c++) {
				if (!pattern_match(part_pattern(w->ent[e], p), h[c], &num))
					continue;
				if (n == WIDE_MAX_GROUPS)
					return -1;
				w->num = xrealloc(w->num, (n + 1) * sizeof(*w->num));
				w->num[n++] = num;
			}
		}
	if (!w->numbered) {
		w->num = xcalloc(1, sizeof(*w->num));
		n = 1;
	}
	if (n)
		qsort(w->num, n, sizeof(*w->num), cmp_unsigned);
	for (c = 0, p = 0; c < n; c++)
		if (!p || w->num[p - 1] != w->num[c])
			w->num[p++] = w->num[c];
	w->ngroups = p;
	return 0;
}

/* Bind kind k's entries to the header's columns; -1 printed. */
static int wide_bind(struct reader *rd, struct wide *w, char (*h)[64], size_t ncols)
{
	struct loc loc = { rd->path, 1, NULL };
	size_t e, p, c, g, found;
	unsigned num;

	if (wide_numbers(w, h, ncols) < 0)
		return diag_error(&loc, "--map: more than %d groups of %s columns", WIDE_MAX_GROUPS,
				  rec_kinds[w->kind].name);
	w->col = xmalloc((w->ngroups ? w->ngroups : 1) * w->nent * CSVMAN_MAP_PARTS *
			 sizeof(*w->col));
	for (c = 0; c < (w->ngroups ? w->ngroups : 1) * w->nent * CSVMAN_MAP_PARTS; c++)
		w->col[c] = -1;
	for (e = 0; e < w->nent; e++)
		for (p = 0; p < nparts(w->ent[e]); p++) {
			const char *pat = part_pattern(w->ent[e], p);

			for (c = found = 0; c < ncols; c++) {
				if (!pattern_match(pat, h[c], &num))
					continue;
				for (g = 0; g < w->ngroups; g++)
					if ((!strchr(pat, '#') || w->num[g] == num) &&
					    WCOL(w, g, e, p) < 0)
						WCOL(w, g, e, p) = (long)c;
				rd->used[c] = 1;
				found++;
			}
			if (!found)
				return diag_error(&loc, "--map: no column %s '%s' for %s.%s",
						  strchr(pat, '#') ? "matching" : "named", pat,
						  rec_kinds[w->kind].name, w->ent[e]->field);
		}
	return 0;
}

/* The --map KIND.FIELD entries, bound to a track sheet's header. */
static int wide_setup(struct reader *rd, const struct sheet_row *row)
{
	const struct csvman_map *map = rd->o->map;
	char (*h)[64];
	size_t i, c;
	int k, rc = 0;

	if (!map || rd->kind != REC_TRACK)
		return 0;
	h = xmalloc((row->ncells + 1) * sizeof(*h));
	for (c = 0; c < row->ncells; c++)
		fold(row->cells[c].data, h[c], sizeof(h[c]));
	for (k = REC_CREATOR; k < REC_NKINDS && rc == 0; k++) {
		struct wide w;

		memset(&w, 0, sizeof(w));
		w.kind = (enum rec_kind)k;
		for (i = 0; i < map->n; i++)
			if (map->v[i].kind == k) {
				w.ent = xrealloc(w.ent, (w.nent + 1) * sizeof(*w.ent));
				w.field = xrealloc(w.field, (w.nent + 1) * sizeof(*w.field));
				w.field[w.nent] = rec_field_index((enum rec_kind)k, map->v[i].field);
				w.ent[w.nent++] = &map->v[i];
			}
		if (!w.nent)
			continue;
		rd->wide = xrealloc(rd->wide, (rd->nwide + 1) * sizeof(*rd->wide));
		rd->wide[rd->nwide++] = w;
		rc = wide_bind(rd, &rd->wide[rd->nwide - 1], h, row->ncells);
	}
	free(h);
	return rc;
}

static void wide_release(struct reader *rd)
{
	size_t i;

	for (i = 0; i < rd->nwide; i++) {
		free(rd->wide[i].ent);
		free(rd->wide[i].field);
		free(rd->wide[i].num);
		free(rd->wide[i].col);
	}
	free(rd->wide);
	for (i = 0; i < rd->kids_cap; i++)
		rec_release(&rd->kids[i].rec);
	free(rd->kids);
}

static struct kid *kid_next(struct reader *rd, enum rec_kind k, unsigned num)
{
	struct kid *kd;

	if (rd->nkids == rd->kids_cap) {
		size_t i, cap = rd->kids_cap ? rd->kids_cap * 2 : 16;

		rd->kids = xrealloc(rd->kids, cap * sizeof(*rd->kids));
		for (i = rd->kids_cap; i < cap; i++)
			rec_init(&rd->kids[i].rec);
		rd->kids_cap = cap;
	}
	kd = &rd->kids[rd->nkids++];
	rec_reset(&kd->rec, k);
	rec_set_value(&kd->rec, 0, rec_get(&rd->rec, 0));
	kd->num = num;
	return kd;
}

/* A flag cell: 1 true (t, true, yes, y, 1, x), 0 false or empty, -1 neither. */
static int flag_value(const struct rec_part *v, const struct reader *rd)
{
	static const char *const yes[] = { "t", "true", "yes", "y", "1", "x" };
	static const char *const no[] = { "f", "false", "no", "n", "0" };
	char f[16];
	size_t i;

	if (!v->len || norm_null_marker(v->data, v->len, rd->o->nulls, rd->o->nnulls))
		return 0;
	if (v->len >= sizeof(f))
		return -1;
	fold(v->data, f, sizeof(f));
	if (strspn(v->data, " \t") == v->len)
		return 0;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcmp(f, yes[i]) == 0)
			return 1;
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (strcmp(f, no[i]) == 0)
			return 0;
	return -1;
}

static int part_blank(const struct rec_part *v)
{
	size_t i;

	for (i = 0; i < v->len; i++)
		if (!isspace((unsigned char)v->data[i]))
			return 0;
	return 1;
}

/* What a wide row's field was given, for a reject: parts joined with " + ". */
static void kid_value(struct reader *rd, const struct rec_part *parts, size_t n)
{
	size_t i;

	buf_reset(&rd->val);
	for (i = 0; i < n; i++) {
		if (i)
			buf_adds(&rd->val, " + ");
		buf_add(&rd->val, parts[i].data, parts[i].len);
	}
}

static int kid_reject(struct reader *rd, const struct rec_prov *p, long col, const struct wide *w,
		      unsigned num, const char *field, const char *value, const char *why)
{
	char name[96], reason[NORM_WHY_MAX];

	if (w->numbered)
		snprintf(name, sizeof(name), "%s %u %s", rec_kinds[w->kind].name, num, field);
	else
		snprintf(name, sizeof(name), "%s %s", rec_kinds[w->kind].name, field);
	snprintf(reason, sizeof(reason), "%s", why);
	return reject(rd, p, col, name, value, reason) ? -2 : -1;
}

/* A flag cell that is no flag rejects the row, naming its column. */
static int bad_flag(struct reader *rd, const struct rec_prov *p, long c, const struct wide *w,
		    unsigned num, const char *pat, const char *value)
{
	const char *hash = strchr(pat, '#');
	char col[80];

	if (hash)
		snprintf(col, sizeof(col), "%.*s%u%s", (int)(hash - pat), pat, num, hash + 1);
	else
		snprintf(col, sizeof(col), "%s", pat);
	return kid_reject(rd, p, c, w, num, col, value, "a flag must be t, true, yes, y, 1 or x, "
			  "or f, false, no, n, 0 or empty");
}

/*
 * Does group g exist (one of its own cells given: a value, or a true
 * flag)?  Its true flags go to trues.  1, 0, or -1/-2 after a reject.
 */
static int group_cells(struct reader *rd, const struct wide *w, size_t g,
		       const struct sheet_row *row, const struct rec_prov *p,
		       int *trues, size_t *ntrue)
{
	struct rec_part v;
	size_t e, i;
	int exists = 0;

	*ntrue = 0;
	for (e = 0; e < w->nent; e++)
		for (i = 0; i < nparts(w->ent[e]); i++) {
			long c = WCOL(w, g, e, i);
			int own = !w->numbered || strchr(part_pattern(w->ent[e], i), '#'), f;

			if (c < 0)
				continue;
			cell_of(rd, row, (size_t)c, w->kind, w->field[e], NULL, &v);
			if (!w->ent[e]->nflags) {
				exists |= own && !part_blank(&v);
				continue;
			}
			if ((f = flag_value(&v, rd)) < 0)
				return bad_flag(rd, p, c, w, w->num[g], w->ent[e]->flags[i].header,
						row->cells[c].data);
			exists |= own && f;
			if (f)
				trues[(*ntrue)++] = (int)i;
		}
	return exists;
}

/*
 * The rows of group g of w: none when no cell of its own is given; one
 * per true flag, or one.  0, or -1/-2 after rejecting the row.
 */
static int wide_group(struct reader *rd, const struct wide *w, size_t g,
		      const struct sheet_row *row, const struct rec_prov *p)
{
	struct rec_part parts[CSVMAN_MAP_PARTS];
	size_t e, i, ntrue, r, nrows;
	unsigned num = w->num[g];
	int trues[CSVMAN_MAP_PARTS], rc;
	long c;

	rc = group_cells(rd, w, g, row, p, trues, &ntrue);
	if (rc <= 0)
		return rc;
	nrows = ntrue ? ntrue : 1;
	for (r = 0; r < nrows; r++) {
		struct kid *kd = kid_next(rd, w->kind, num);

		for (e = 0; e < w->nent; e++) {
			const struct csvman_map_entry *me = w->ent[e];
			int f = w->field[e];
			size_t n = nparts(me);

			if (me->nflags) {
				const char *v = ntrue ? me->flags[trues[r]].value : "";

				parts[0].data = v;
				parts[0].len = strlen(v);
				n = 1;
			} else if (w->kind == REC_CREATOR && f == CF_SPLIT_PERCENTAGE && r > 0) {
				continue;	/* a split counts once, on the first row */
			} else {
				for (i = 0; i < n; i++) {
					c = WCOL(w, g, e, i);
					parts[i].data = "";
					parts[i].len = 0;
					if (c >= 0)
						cell_of(rd, row, (size_t)c, w->kind, f, p, &parts[i]);
				}
			}
			/* the cell at fault, when one cell gives the field */
			c = !me->nflags && n == 1 ? WCOL(w, g, e, 0) : -1;
			if (rec_set_parts(&kd->rec, f, parts, n, &rd->ropts) < 0) {
				kid_value(rd, parts, n);
				return kid_reject(rd, p, c, w, num, me->field, rd->val.data,
						  kd->rec.why);
			}
			if (kd->rec.warn[0])
				warn(rd, p, c, me->field, kd->rec.warn);
		}
	}
	return 0;
}

static int by_start(const void *a, const void *b)
{
	const struct kid *x = *(const struct kid *const *)a, *y = *(const struct kid *const *)b;
	const char *sx = rec_get(&x->rec, AF_START_TIME), *sy = rec_get(&y->rec, AF_START_TIME);
	long lx = sx ? atol(sx) : -1, ly = sy ? atol(sy) : -1;

	return lx < ly ? -1 : lx > ly ? 1 : (x->num > y->num) - (x->num < y->num);
}

/*
 * Sections kids[from..) without an end end where the next one (by start)
 * starts, the last at the track's duration.  0 or -1/-2 after a reject.
 */
static int section_ends(struct reader *rd, const struct wide *w, size_t from,
			const struct rec_prov *p)
{
	size_t n = rd->nkids - from, i;
	struct kid **v;
	int rc = 0;

	if (!n)
		return 0;
	v = xmalloc(n * sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = &rd->kids[from + i];
	qsort(v, n, sizeof(*v), by_start);
	for (i = 0; i < n && rc == 0; i++) {
		const char *end = i + 1 < n ? rec_get(&v[i + 1]->rec, AF_START_TIME) :
				  rec_get(&rd->rec, TF_DURATION);

		if (rec_get(&v[i]->rec, AF_END_TIME) || !rec_get(&v[i]->rec, AF_START_TIME))
			continue;
		if (!end)
			rc = kid_reject(rd, p, -1, w, v[i]->num, "end_time", NULL,
					"no end time, and the track has no duration to end it");
		else
			rec_set_value(&v[i]->rec, AF_END_TIME, end);
	}
	free(v);
	return rc;
}

/* Every child row of a track sheet's row from its wide groups, in rd->kids. */
static int wide_rows(struct reader *rd, const struct sheet_row *row, const struct rec_prov *p)
{
	size_t k, g, i, from;
	int rc;

	rd->nkids = 0;
	for (k = 0; k < rd->nwide; k++) {
		const struct wide *w = &rd->wide[k];

		from = rd->nkids;
		for (g = 0; g < w->ngroups; g++)
			if ((rc = wide_group(rd, w, g, row, p)) < 0)
				return rc;
		if (w->kind == REC_ARRANGEMENT && (rc = section_ends(rd, w, from, p)) < 0)
			return rc;
		for (i = from; i < rd->nkids; i++)
			if (rec_finish(&rd->kids[i].rec) < 0) {
				struct rec *c = &rd->kids[i].rec;

				return kid_reject(rd, p, -1, w, rd->kids[i].num,
						  rec_kinds[w->kind].fields[c->bad_field].name,
						  rec_get(c, c->bad_field), c->why);
			}
	}
	return 0;
}

/*
 * The creators of a label-sheet row, in rd->crec.  Returns how many, or
 * -1 after rejecting the row (a creator's field is bad: the whole row
 * goes, track included).
 */
static int row_groups(struct reader *rd, const struct sheet_row *row,
		      const struct rec_prov *p)
{
	const char *af = rec_get(&rd->rec, 0);
	char name[64];
	size_t g, f;
	int n = 0;

	for (g = 0; g < rd->ngroups; g++) {
		const struct group *gr = &rd->groups[g];
		struct rec *c = &rd->crec[n];

		if (gr->cols[CF_CREATOR_NAME] < 0 || !row->cells[gr->cols[CF_CREATOR_NAME]].len)
			continue;
		rec_reset(c, REC_CREATOR);
		rec_set_value(c, 0, af);
		if (gr->cols[CF_ROLE] < 0)
			rec_set(c, CF_ROLE, gr->role, strlen(gr->role), &rd->ropts);
		for (f = 1; f < rec_kinds[REC_CREATOR].nfields; f++) {
			struct rec_part v;

			if (gr->cols[f] < 0)
				continue;
			cell_of(rd, row, (size_t)gr->cols[f], REC_CREATOR, (int)f, p, &v);
			if (rec_set(c, (int)f, v.data, v.len, &rd->ropts) < 0 || rec_finish(c) < 0) {
				snprintf(name, sizeof(name), "%s %u %s", gr->role, gr->number,
					 rec_kinds[REC_CREATOR].fields[c->bad_field].name);
				buf_reset(&rd->val);
				buf_add(&rd->val, v.data, v.len);
				return reject(rd, p, gr->cols[f], name, rd->val.data, c->why) ? -2 : -1;
			}
			if (c->warn[0])
				warn(rd, p, gr->cols[f], rec_kinds[REC_CREATOR].fields[f].name, c->warn);
		}
		n++;
	}
	return n;
}

/* The row's records: the track, then its creators from a label sheet. */
static int emit(struct reader *rd, const struct sheet_row *row, const struct rec_prov *p)
{
	int n = rd->ngroups ? row_groups(rd, row, p) : 0, i, rc;
	size_t k;

	if (n < 0)
		return n == -2 ? 1 : 0;
	if (rd->nwide && (rc = wide_rows(rd, row, p)) < 0)
		return rc == -2 ? 1 : 0;
	rd->st->records++;
	rc = rd->sink->record(rd->sink->ctx, &rd->rec, p);
	for (i = 0; rc == 0 && i < n; i++)
		rc = rd->sink->record(rd->sink->ctx, &rd->crec[i], p);
	for (k = 0; rc == 0 && k < rd->nkids; k++)
		rc = rd->sink->record(rd->sink->ctx, &rd->kids[k].rec, p);
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
	return reject(rd, p, (long)col, rd->val.len ? rd->val.data : NULL, c->data, why);
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
		return reject(rd, &p, row->error_col, NULL,
			      row->error_col >= 0 ? row->cells[row->error_col].data : NULL,
			      row->error);
	}
	if (row->ncells != rd->ncols) {
		learn_track(rd, row);
		snprintf(why, sizeof(why), "expected %zu fields as in the header, got %zu%s",
			 rd->ncols, row->ncells, row->ncells > rd->ncols ?
			 " (a value holding the separator must be quoted)" : "");
		return reject(rd, &p, -1, NULL, NULL, why);
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
			return reject(rd, &p, s->ncols == 1 ? (long)s->cols[0] : -1, name,
				      rd->val.data, why);
		}
		if (rd->rec.warn[0])
			warn(rd, &p, s->ncols == 1 ? (long)s->cols[0] : -1,
			     rec_kinds[rd->kind].fields[s->field].name, rd->rec.warn);
	}
	if (rec_finish(&rd->rec) < 0) {
		int f = rd->rec.bad_field;

		return reject(rd, &p, field_col(rd, f), rec_kinds[rd->kind].fields[f].name,
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
	wide_release(&rd);
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
