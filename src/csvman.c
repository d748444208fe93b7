/*
 * csvman: CSV manifests -> catalog records; see include/blendcat/csvman.h.
 */
#include "blendcat/csvman.h"
#include "blendcat/buf.h"
#include "blendcat/csvread.h"
#include "blendcat/diag.h"
#include "blendcat/workbook.h"
#include "blendcat/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* ---------------------------------------------------------------- map */

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static void map_add_header(struct csvman_map_entry *e, const char *h)
{
	e->headers = xrealloc(e->headers, (e->nheaders + 1) * sizeof(*e->headers));
	e->headers[e->nheaders++] = xstrdup(h);
}

static int map_line(struct csvman_map *map, char *line, const struct loc *loc)
{
	char *eq = strchr(line, '='), *field, *rest, *plus;
	struct csvman_map_entry *e;
	enum rec_kind k;
	int known = 0;

	if (!eq)
		return diag_error(loc, "expected 'field = header', got '%s'", line);
	*eq = '\0';
	field = trim(line);
	rest = eq + 1;
	for (k = 0; k < REC_NKINDS; k++)
		known |= rec_field_index(k, field) >= 0;
	if (!known)
		return diag_error(loc, "unknown field '%s'", field);
	map->v = xrealloc(map->v, (map->n + 1) * sizeof(*map->v));
	e = &map->v[map->n++];
	memset(e, 0, sizeof(*e));
	e->field = xstrdup(field);
	do {
		plus = strchr(rest, '+');
		if (plus)
			*plus = '\0';
		if (!*trim(rest))
			return diag_error(loc, "empty header name for field '%s'", field);
		map_add_header(e, trim(rest));
		rest = plus + 1;
	} while (plus);
	return 0;
}

int csvman_map_load(const char *path, struct csvman_map *map)
{
	FILE *fp = fopen(path, "r");
	char line[1024];
	struct loc loc = { path, 0, NULL };
	int rc = 0;

	if (!fp)
		return diag_error(LOC_NONE, "cannot open map file '%s': %s", path, strerror(errno));
	while (rc == 0 && fgets(line, sizeof(line), fp)) {
		char *s;

		loc.line++;
		if ((s = strchr(line, '#')) != NULL)
			*s = '\0';
		s = trim(line);
		if (*s)
			rc = map_line(map, s, &loc);
	}
	fclose(fp);
	return rc;
}

void csvman_map_release(struct csvman_map *map)
{
	size_t i, j;

	for (i = 0; i < map->n; i++) {
		for (j = 0; j < map->v[i].nheaders; j++)
			free(map->v[i].headers[j]);
		free(map->v[i].headers);
		free(map->v[i].field);
	}
	free(map->v);
	map->v = NULL;
	map->n = 0;
}

/* --------------------------------------------------------------- reading */

/* One field of the record and the columns that fill it. */
struct source {
	int field;
	size_t cols[4];
	size_t ncols;
	char sep;		/* joining several columns: '-' dates, ' ' else */
};

/*
 * A label sheet names creators in numbered groups of columns:
 * "Composer 1", "Composer 1 IPI", "Composer 1 PRO", "Composer 1 Split",
 * "Producer", "Writer 2 Email"...  Each group with a name becomes a
 * creator row of the track, with the group's role.
 */
#define MAX_GROUPS 16

struct group {
	char role[24];		/* folded role word: "composer" */
	unsigned number;
	long cols[REC_MAX_FIELDS];	/* creator field -> column, -1 */
};

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

struct reader {
	const char *path;
	int file_no;
	const struct csvman_opts *o;
	const struct csvman_sink *sink;
	struct csvman_stats *st;
	enum rec_kind kind;
	size_t ncols;
	struct source src[REC_MAX_FIELDS];
	size_t nsrc;
	struct rec rec;
	struct group groups[MAX_GROUPS];
	size_t ngroups;
	struct rec crec[MAX_GROUPS];	/* the creators of the current row */
	struct buf join, val;
	struct csvread *cr;
	int failed;		/* a file-level error was reported */
	/* A workbook (csvman_opts.workbook): its rows as csvread rows. */
	const char *sheet;	/* the sheet read; NULL for a CSV file */
	struct buf where;	/* a position, "label.xlsx:Tracks!C12" */
	char *used;		/* per column of the header: read by a field */
	struct csvread_field *wf;
	size_t wf_cap;
	struct buf wraw;	/* a row as CSV, for the spool */
	struct csvread_row *unspooled;	/* the row, when spooled only if rejected */
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
 * Where line (col: 0-based column, -1 the whole row) is, for a message:
 * path and line for a CSV file, the cell for a workbook
 * ("label.xlsx:Tracks!C12", or "label.xlsx:Tracks!12" for the row).
 */
static void at(struct reader *rd, unsigned long line, long col, struct loc *loc)
{
	loc->field = NULL;
	if (!rd->sheet) {
		loc->file = rd->path;
		loc->line = line;
		return;
	}
	buf_reset(&rd->where);
	buf_addf(&rd->where, "%s:", rd->path);
	workbook_cell_ref(&rd->where, rd->sheet, line, col < 0 ? 0 : (unsigned long)col + 1);
	loc->file = rd->where.data;
	loc->line = 0;
}

static int header_index(const struct csvread_row *row, const char *name)
{
	char a[64], b[64];
	size_t i;

	fold(name, a, sizeof(a));
	for (i = 0; i < row->nfields; i++) {
		fold(row->fields[i].data, b, sizeof(b));
		if (strcmp(a, b) == 0)
			return (int)i;
	}
	return -1;
}

static enum rec_kind guess_kind(const struct csvread_row *row)
{
	int score[REC_NKINDS] = { 0 }, k, best = REC_TRACK;
	size_t i;

	for (i = 0; i < row->nfields; i++)
		for (k = 0; k < REC_NKINDS; k++) {
			int f = field_in_kind((enum rec_kind)k, row->fields[i].data);
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
		for (k = 1; k < REC_NKINDS; k++)
			if (rec_field_index((enum rec_kind)k, map->v[i].field) > 0 &&
			    strcmp(map->v[i].field, "description") != 0)
				return k;
	return -1;
}

static void add_source(struct reader *rd, int field, size_t col)
{
	size_t i;

	for (i = 0; i < rd->nsrc; i++)
		if (rd->src[i].field == field)
			return;		/* the first column naming a field wins */
	rd->src[rd->nsrc].field = field;
	rd->src[rd->nsrc].cols[0] = col;
	rd->src[rd->nsrc].ncols = 1;
	rd->src[rd->nsrc].sep = ' ';
	rd->nsrc++;
}

static int apply_map(struct reader *rd, const struct csvread_row *row)
{
	const struct csvman_map *map = rd->o->map;
	struct loc loc;
	size_t i, j;

	at(rd, row->line, -1, &loc);
	for (i = 0; map && i < map->n; i++) {
		const struct csvman_map_entry *e = &map->v[i];
		int f = rec_field_index(rd->kind, e->field);
		struct source s;

		if (f < 0)
			continue;
		memset(&s, 0, sizeof(s));
		s.field = f;
		s.sep = rec_kinds[rd->kind].fields[f].type == RT_DATE ? '-' : ' ';
		for (j = 0; j < e->nheaders && j < 4; j++) {
			int c = header_index(row, e->headers[j]);

			if (c < 0)
				return diag_error(&loc, "--map: no column '%s' for field '%s'",
						  e->headers[j], e->field);
			s.cols[s.ncols++] = (size_t)c;
		}
		rd->src[rd->nsrc++] = s;
	}
	return 0;
}

/* Does a --map entry read column col? */
static int column_used(const struct reader *rd, size_t col)
{
	size_t i, j;

	for (i = 0; i < rd->nsrc; i++)
		for (j = 0; j < rd->src[i].ncols; j++)
			if (rd->src[i].cols[j] == col)
				return 1;
	return 0;
}

static int on_header(struct reader *rd, const struct csvread_row *row)
{
	struct loc loc;
	int mk = map_kind(rd->o->map);
	size_t i;

	at(rd, row->line, -1, &loc);
	if (row->error.code)
		return diag_error(&loc, "header: %s", row->error.reason);
	rd->kind = mk >= 0 ? (enum rec_kind)mk : guess_kind(row);
	rd->ncols = row->nfields;
	rd->st->kind = rd->kind;
	if (apply_map(rd, row) < 0)
		return -1;
	for (i = 0; i < row->nfields; i++) {
		int f = field_in_kind(rd->kind, row->fields[i].data);

		if (f >= 0)
			add_source(rd, f, i);
		else if (add_group_column(rd, row->fields[i].data, i))
			continue;
		else if (row->fields[i].len && !column_used(rd, i)) {
			at(rd, row->line, (long)i, &loc);
			diag_warn(&loc, "column '%s' is not a %s field: ignored",
				  row->fields[i].data, rec_kinds[rd->kind].name);
		}
	}
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
	if (i == rd->nsrc) {
		at(rd, row->line, -1, &loc);
		diag_error(&loc, "no audio_filename column in the header");
		diag_hint("every manifest file needs the audio file's name to join on; "
			  "name the column with --map audio_filename = HEADER");
		return -1;
	}
	if (!rd->sink->header)
		return 0;
	/* The rejects file gets the header as read, byte order mark included. */
	buf_reset(&rd->val);
	if (rd->cr && rd->cr->bom)
		buf_add(&rd->val, "\xEF\xBB\xBF", 3);
	buf_add(&rd->val, row->raw, row->raw_len);
	return rd->sink->header(rd->sink->ctx, rd->file_no, rd->kind, rd->val.data, rd->val.len);
}

static void prov_of(const struct reader *rd, const struct csvread_row *row, struct rec_prov *p)
{
	memset(p, 0, sizeof(*p));
	p->file_no = rd->file_no;
	p->path = rd->path;
	p->line = row->line;
	p->off = row->offset;
	p->len = row->total_len;
}

/* The provenance of a problem at column col (-1: the row): a workbook's cell. */
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

static int spool_row(struct reader *rd, struct csvread_row *row);

static int reject(struct reader *rd, const struct rec_prov *p, long col, const char *field,
		  const char *value, const char *reason)
{
	struct rec_prov q;
	const struct rec_prov *at_cell = prov_at(rd, p, col, &q);

	rd->st->rejects++;
	if (rd->unspooled) {
		/* spooled now, only as it is rejected (csvman_opts.spool_rejects_only) */
		if (spool_row(rd, rd->unspooled) < 0)
			return 1;
		q.off = rd->unspooled->offset;
		q.len = rd->unspooled->total_len;
		rd->unspooled = NULL;
	}
	return rd->sink->reject(rd->sink->ctx, at_cell, rec_get(&rd->rec, 0), field, value,
				reason);
}

static void warn(struct reader *rd, const struct rec_prov *p, long col, const char *field,
		 const char *msg)
{
	struct rec_prov q;

	if (rd->sink->warn)
		rd->sink->warn(rd->sink->ctx, prov_at(rd, p, col, &q), field, msg);
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

/* The text of source s in row: one column, or several joined. */
static const char *source_text(struct reader *rd, const struct source *s,
			       const struct csvread_row *row, size_t *len)
{
	size_t i, n = 0;

	if (s->ncols == 1) {
		*len = row->fields[s->cols[0]].len;
		return row->fields[s->cols[0]].data;
	}
	buf_reset(&rd->join);
	for (i = 0; i < s->ncols; i++) {
		const struct csvread_field *f = &row->fields[s->cols[i]];

		if (!f->len)
			continue;
		if (n++)
			buf_addch(&rd->join, s->sep);
		buf_add(&rd->join, f->data, f->len);
	}
	*len = rd->join.len;
	return rd->join.data;
}

/* Try to learn the row's track from its audio_filename column alone. */
static void learn_track(struct reader *rd, const struct csvread_row *row)
{
	size_t i, len;

	rec_reset(&rd->rec, rd->kind);
	for (i = 0; i < rd->nsrc; i++)
		if (rd->src[i].field == 0 && rd->src[i].cols[0] < row->nfields) {
			const char *t = source_text(rd, &rd->src[i], row, &len);

			if (rec_set(&rd->rec, 0, t, len, &rd->o->rec) < 0)
				rec_reset(&rd->rec, rd->kind);
		}
}

/*
 * The creators of a label-sheet row, in rd->crec.  Returns how many, or
 * -1 after rejecting the row (a creator's field is bad: the whole row
 * goes, track included).
 */
static int row_groups(struct reader *rd, const struct csvread_row *row,
		      const struct rec_prov *p)
{
	const char *af = rec_get(&rd->rec, 0);
	char name[64];
	size_t g, f;
	int n = 0;

	for (g = 0; g < rd->ngroups; g++) {
		const struct group *gr = &rd->groups[g];
		struct rec *c = &rd->crec[n];

		if (gr->cols[CF_CREATOR_NAME] < 0 || !row->fields[gr->cols[CF_CREATOR_NAME]].len)
			continue;
		rec_reset(c, REC_CREATOR);
		rec_set_value(c, 0, af);
		if (gr->cols[CF_ROLE] < 0)
			rec_set(c, CF_ROLE, gr->role, strlen(gr->role), &rd->o->rec);
		for (f = 1; f < rec_kinds[REC_CREATOR].nfields; f++) {
			const struct csvread_field *v;

			if (gr->cols[f] < 0)
				continue;
			v = &row->fields[gr->cols[f]];
			if (rec_set(c, (int)f, v->data, v->len, &rd->o->rec) < 0 || rec_finish(c) < 0) {
				snprintf(name, sizeof(name), "%s %u %s", gr->role, gr->number,
					 rec_kinds[REC_CREATOR].fields[c->bad_field].name);
				buf_reset(&rd->val);
				buf_add(&rd->val, v->data, v->len);
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
static int emit(struct reader *rd, const struct csvread_row *row, const struct rec_prov *p)
{
	int n = rd->ngroups ? row_groups(rd, row, p) : 0, i, rc;

	if (n < 0)
		return n == -2 ? 1 : 0;
	rd->st->records++;
	rc = rd->sink->record(rd->sink->ctx, &rd->rec, p);
	for (i = 0; rc == 0 && i < n; i++)
		rc = rd->sink->record(rd->sink->ctx, &rd->crec[i], p);
	return rc;
}

static int on_data(struct reader *rd, const struct csvread_row *row)
{
	struct rec_prov p;
	char why[NORM_WHY_MAX];
	size_t i, len;

	prov_of(rd, row, &p);
	if (row->error.code) {
		/* Fields are a best effort here, but the track is worth knowing. */
		learn_track(rd, row);
		return reject(rd, &p, -1, NULL, NULL, row->error.reason);
	}
	if (row->nfields != rd->ncols) {
		learn_track(rd, row);
		snprintf(why, sizeof(why), "expected %zu fields as in the header, got %zu",
			 rd->ncols, row->nfields);
		return reject(rd, &p, -1, NULL, NULL, why);
	}
	rec_reset(&rd->rec, rd->kind);
	for (i = 0; i < rd->nsrc; i++) {
		const struct source *s = &rd->src[i];
		const char *t = source_text(rd, s, row, &len);

		if (rec_set(&rd->rec, s->field, t, len, &rd->o->rec) < 0) {
			const char *name = rec_kinds[rd->kind].fields[s->field].name;

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

static int on_row(const struct csvread_row *row, void *ctx)
{
	struct reader *rd = ctx;

	rd->st->rows++;
	if (row->index == 0) {
		if (on_header(rd, row) < 0) {
			rd->failed = 1;
			return 1;
		}
		return 0;
	}
	return on_data(rd, row) != 0;
}

/* ------------------------------------------------------------ workbooks */

/*
 * A workbook's rows go through the same on_row as a CSV file's: each
 * becomes a csvread row (its cells laid out by column, a missing cell an
 * empty field), and its CSV form is written to the spool, where the
 * rejects find it by offset.
 */

/* Field s as CSV: quoted when it holds a delimiter, a quote or a line end. */
static void csv_field(struct buf *b, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			break;
	if (i == len) {
		buf_add(b, s, len);
		return;
	}
	buf_addch(b, '"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			buf_addch(b, '"');
		buf_addch(b, s[i]);
	}
	buf_addch(b, '"');
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

/* The row's fields as CSV, its raw bytes. */
static void sheet_raw(struct reader *rd, struct csvread_row *row)
{
	size_t i;

	buf_reset(&rd->wraw);
	for (i = 0; i < row->nfields; i++) {
		if (i)
			buf_addch(&rd->wraw, ',');
		csv_field(&rd->wraw, row->fields[i].data, row->fields[i].len);
	}
	buf_addch(&rd->wraw, '\n');
	row->raw = rd->wraw.data;
	row->raw_len = row->total_len = rd->wraw.len;
	row->term_len = 1;
}

/* Write the row to the spool as CSV; its offset there.  0 or -1 (reported). */
static int spool_row(struct reader *rd, struct csvread_row *row)
{
	FILE *spool = rd->o->spool;

	sheet_raw(rd, row);
	row->offset = (unsigned long long)ftello(spool);
	if (fwrite(row->raw, 1, row->raw_len, spool) != row->raw_len)
		return diag_error(LOC_NONE, "cannot write a temporary file: %s", strerror(errno));
	return 0;
}

/* Lay wr out as a csvread row of width fields (at least); no raw bytes yet. */
static void sheet_row(struct reader *rd, const struct workbook_row *wr, size_t width,
		      struct csvread_row *row)
{
	size_t i;

	if (wr->ncells && wr->cells[wr->ncells - 1].col > width)
		width = wr->cells[wr->ncells - 1].col;
	if (width > rd->wf_cap) {
		rd->wf_cap = width;
		rd->wf = xrealloc(rd->wf, width * sizeof(*rd->wf));
	}
	for (i = 0; i < width; i++) {
		rd->wf[i].data = "";
		rd->wf[i].len = 0;
		rd->wf[i].is_null = 1;
	}
	for (i = 0; i < wr->ncells; i++) {
		struct csvread_field *f = &rd->wf[wr->cells[i].col - 1];

		f->data = wr->cells[i].text;
		f->len = wr->cells[i].len;
		f->is_null = f->len == 0;
	}
	memset(row, 0, sizeof(*row));
	row->line = row->end_line = wr->row;
	row->raw = "";
	row->nfields = width;
	row->fields = rd->wf;
}

/* The columns some field of the record reads (after the header). */
static void mark_used(struct reader *rd)
{
	size_t i, j;

	rd->used = xmalloc(rd->ncols + 1);
	memset(rd->used, 0, rd->ncols + 1);
	for (i = 0; i < rd->nsrc; i++)
		for (j = 0; j < rd->src[i].ncols; j++)
			if (rd->src[i].cols[j] < rd->ncols)
				rd->used[rd->src[i].cols[j]] = 1;
	for (i = 0; i < rd->ngroups; i++)
		for (j = 0; j < REC_MAX_FIELDS; j++)
			if (rd->groups[i].cols[j] >= 0 && (size_t)rd->groups[i].cols[j] < rd->ncols)
				rd->used[rd->groups[i].cols[j]] = 1;
}

/* The field a column gives, for a message. */
static const char *col_field(const struct reader *rd, size_t col)
{
	size_t i, j;

	for (i = 0; i < rd->nsrc; i++)
		for (j = 0; j < rd->src[i].ncols; j++)
			if (rd->src[i].cols[j] == col)
				return rec_kinds[rd->kind].fields[rd->src[i].field].name;
	return NULL;
}

/*
 * What a workbook row may hold that a CSV row cannot: a value in a
 * column without a header, a cell without a usable value (a formula
 * error).  Rejects the row at that cell and returns non-zero (the
 * sink's answer + 1), else 0.
 */
static int sheet_cells_ok(struct reader *rd, const struct workbook_row *wr,
			  const struct csvread_row *row)
{
	struct rec_prov p;
	char why[NORM_WHY_MAX];
	size_t i;

	for (i = 0; i < wr->ncells; i++) {
		const struct workbook_cell *c = &wr->cells[i];
		size_t col = c->col - 1;

		if (col >= rd->ncols && c->len)
			snprintf(why, sizeof(why), "a value in a column without a header");
		else if (c->type == WORKBOOK_ERROR && rd->used[col])
			snprintf(why, sizeof(why), "no usable value: %s%s",
				 c->text[0] == '#' ? "the formula error " : "", c->text);
		else
			continue;
		rd->st->rows++;
		prov_of(rd, row, &p);
		learn_track(rd, row);
		return 1 + reject(rd, &p, (long)col, col < rd->ncols ? col_field(rd, col) : NULL,
				  c->text, why);
	}
	return 0;
}

static int read_workbook(struct reader *rd, const char *path)
{
	struct workbook_opts wo;
	struct workbook_error err;
	struct workbook *wb;
	const struct workbook_row *wr;
	struct csvread_row row;
	struct loc loc = { path, 0, NULL };
	struct stat sb;
	unsigned long index = 0;
	int rc, stop = 0;

	memset(&wo, 0, sizeof(wo));
	wo.sheet = rd->o->sheet;
	if (workbook_open(path, &wo, &wb, &err) < 0) {
		if (err.where[0])
			buf_addf(&rd->where, "%s:%s", path, err.where);
		loc.file = err.where[0] ? rd->where.data : path;
		diag_error(&loc, "%s", err.msg);
		if (err.code == WORKBOOK_ENOSHEET)
			diag_hint("--sheet NAME reads the sheet of that name");
		return -1;
	}
	rd->sheet = workbook_sheet(wb);
	rd->st->sheet = xstrdup(rd->sheet);
	if (stat(path, &sb) == 0)
		rd->st->bytes = (unsigned long long)sb.st_size;
	while (!stop && (rc = workbook_next_row(wb, &wr)) == 1) {
		if (blank_row(wr))
			continue;
		sheet_row(rd, wr, index ? rd->ncols : 0, &row);
		row.index = index++;
		rd->unspooled = NULL;
		if (row.index == 0) {
			sheet_raw(rd, &row);	/* the header, for the rejects file */
		} else if (rd->o->spool && rd->o->spool_rejects_only) {
			rd->unspooled = &row;
		} else if (rd->o->spool && spool_row(rd, &row) < 0) {
			stop = 1;
			break;
		}
		if (row.index && (stop = sheet_cells_ok(rd, wr, &row)) != 0)
			stop = stop > 1;
		else
			stop = on_row(&row, rd) != 0;
		if (row.index == 0 && !stop)
			mark_used(rd);
	}
	if (rc < 0) {
		const struct workbook_error *e = workbook_error(wb);

		buf_reset(&rd->where);
		buf_addf(&rd->where, "%s:%s", path, e->where);
		loc.file = e->where[0] ? rd->where.data : path;
		diag_error(&loc, "%s", e->msg);
	} else if (!stop && index == 0) {
		buf_reset(&rd->where);
		buf_addf(&rd->where, "%s:", path);
		workbook_cell_ref(&rd->where, rd->sheet, 1, 0);
		rd->where.data[rd->where.len - 2] = '\0';	/* "label.xlsx:Tracks" */
		loc.file = rd->where.data;
		diag_error(&loc, "the sheet is empty: no header row");
		rc = -1;
	}
	rd->sheet = NULL;	/* it was the workbook's */
	workbook_close(wb);
	return rc < 0 || stop ? -1 : 0;
}

int csvman_read_file(const char *path, int file_no, const struct csvman_opts *o,
		     const struct csvman_sink *sink, struct csvman_stats *st)
{
	struct reader rd;
	struct csvread r;
	struct loc loc = { path, 0, NULL };
	FILE *fp;
	size_t i;
	int rc;

	memset(st, 0, sizeof(*st));
	memset(&rd, 0, sizeof(rd));
	rd.path = path;
	rd.file_no = file_no;
	rd.o = o;
	rd.sink = sink;
	rd.st = st;
	rec_init(&rd.rec);
	for (i = 0; i < MAX_GROUPS; i++)
		rec_init(&rd.crec[i]);
	buf_init(&rd.join);
	buf_init(&rd.val);
	buf_init(&rd.where);
	buf_init(&rd.wraw);
	csvread_init(&r, on_row, &rd);
	rd.cr = &r;
	if (o->workbook) {
		rd.cr = NULL;
		rc = read_workbook(&rd, path);
		goto out;
	}
	fp = fopen(path, "rb");
	if (!fp) {
		rc = diag_error(&loc, "cannot open: %s", strerror(errno));
		goto out;
	}
	if (o->encoding && csvread_set_encoding(&r, o->encoding) < 0) {
		rc = diag_error(LOC_NONE, "%s", r.error.reason);
		fclose(fp);
		goto out;
	}
	rc = csvread_file(&r, fp);
	fclose(fp);
	st->bytes = r.bytes;
	if (rc < 0 && !rd.failed && r.error.code != CSVREAD_ESTOPPED &&
	    r.error.code != CSVREAD_EUNTERMINATED) {
		loc.line = r.error.line;
		diag_error(&loc, "%s", r.error.reason);
	} else if (rc < 0 && r.error.code == CSVREAD_EUNTERMINATED) {
		rc = 0;		/* delivered as a rejected row already */
	}
	if (rc == 0 && r.rows == 0) {
		rc = diag_error(&loc, "empty file: no header row");
	}
out:
	csvread_release(&r);
	rec_release(&rd.rec);
	for (i = 0; i < MAX_GROUPS; i++)
		rec_release(&rd.crec[i]);
	buf_release(&rd.join);
	buf_release(&rd.val);
	buf_release(&rd.where);
	buf_release(&rd.wraw);
	free(rd.wf);
	free(rd.used);
	return rc < 0 ? -1 : 0;
}
