/*
 * csvgroups: the numbered column groups of a track sheet, each a child
 * row of the track.  A label sheet's creator groups ("Composer 1",
 * "Composer 1 IPI", "Producer"...) are found by their headers; --map
 * KIND.FIELD groups ("time_#", "producer_#? producer | ...") by the map's
 * patterns, which also give flags (one row per true one) and sections
 * that end where the next starts.  The reader (csvman.c) binds them to
 * the header and has them build each row's children.
 */
#include "blendcat/csvman_internal.h"
#include "blendcat/buf.h"
#include "blendcat/diag.h"
#include "blendcat/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------- creator groups */

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

	csvman_fold(header, f, sizeof(f));
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
int csvman_add_group_column(struct reader *rd, const char *header, size_t col)
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
 * The creators of a label-sheet row, in rd->crec.  Returns how many, or
 * -1 after rejecting the row (a creator's field is bad: the whole row
 * goes, track included).
 */
int csvman_row_groups(struct reader *rd, const struct sheet_row *row,
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
			csvman_cell_of(rd, row, (size_t)gr->cols[f], REC_CREATOR, (int)f, p, &v);
			if (rec_set(c, (int)f, v.data, v.len, &rd->ropts) < 0 || rec_finish(c) < 0) {
				snprintf(name, sizeof(name), "%s %u %s", gr->role, gr->number,
					 rec_kinds[REC_CREATOR].fields[c->bad_field].name);
				buf_reset(&rd->val);
				buf_add(&rd->val, v.data, v.len);
				return csvman_reject(rd, p, gr->cols[f], name, rd->val.data,
						     c->why) ? -2 : -1;
			}
			if (c->warn[0])
				csvman_warn(rd, p, gr->cols[f], rec_kinds[REC_CREATOR].fields[f].name,
					    c->warn);
		}
		n++;
	}
	return n;
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
		csvman_fold(pat, tmp, sizeof(tmp));
		return *tmp && strcmp(tmp, h) == 0;
	}
	snprintf(tmp, sizeof(tmp), "%.*s", (int)(hash - pat), pat);
	csvman_fold(tmp, pre, sizeof(pre));
	csvman_fold(hash + 1, suf, sizeof(suf));
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
int csvman_wide_setup(struct reader *rd, const struct sheet_row *row)
{
	const struct csvman_map *map = rd->o->map;
	char (*h)[64];
	size_t i, c;
	int k, rc = 0;

	if (!map || rd->kind != REC_TRACK)
		return 0;
	h = xmalloc((row->ncells + 1) * sizeof(*h));
	for (c = 0; c < row->ncells; c++)
		csvman_fold(row->cells[c].data, h[c], sizeof(h[c]));
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

void csvman_wide_release(struct reader *rd)
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
	csvman_fold(v->data, f, sizeof(f));
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
	return csvman_reject(rd, p, col, name, value, reason) ? -2 : -1;
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
			csvman_cell_of(rd, row, (size_t)c, w->kind, w->field[e], NULL, &v);
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
						csvman_cell_of(rd, row, (size_t)c, w->kind, f, p,
							       &parts[i]);
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
				csvman_warn(rd, p, c, me->field, kd->rec.warn);
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
int csvman_wide_rows(struct reader *rd, const struct sheet_row *row, const struct rec_prov *p)
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
