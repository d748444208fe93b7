/*
 * csvmap: the --map file parser (csvman_map_load, csvman_map_parse,
 * csvman_map_release): its lines of "field = Header [+ Header]",
 * "KIND.FIELD = pattern_#" and "KIND.FIELD = Pat? VALUE | ..." into a
 * struct csvman_map (include/blendcat/csvman.h).  Matching its headers and
 * patterns to a sheet's header is the reader's.
 */
#include "blendcat/csvman.h"
#include "blendcat/buf.h"
#include "blendcat/diag.h"
#include "blendcat/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The kind named by a map entry's KIND. prefix, or -1. */
static int kind_by_name(const char *name)
{
	int k;

	for (k = 0; k < REC_NKINDS; k++)
		if (strcmp(rec_kinds[k].name, name) == 0)
			return k;
	return -1;
}

static int count_hash(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '#';
	return n;
}

static struct csvman_map_entry *map_add(struct csvman_map *map, const char *field, int kind,
					unsigned long line)
{
	struct csvman_map_entry *e;

	map->v = xrealloc(map->v, (map->n + 1) * sizeof(*map->v));
	e = &map->v[map->n++];
	memset(e, 0, sizeof(*e));
	e->field = xstrdup(field);
	e->kind = kind;
	e->line = line;
	return e;
}

/* "Pat? VALUE | Pat? VALUE" into e's flags. */
static int map_flags(struct csvman_map_entry *e, char *rest, const struct loc *loc)
{
	char *bar, *q;

	do {
		bar = strchr(rest, '|');
		if (bar)
			*bar = '\0';
		q = strchr(rest, '?');
		if (!q)
			return diag_error(loc, "expected 'COLUMN? VALUE' in every alternative, got '%s'",
					  trim(rest));
		*q = '\0';
		if (!*trim(rest) || !*trim(q + 1))
			return diag_error(loc, "a flag needs a column and a value: '%s? %s'",
					  trim(rest), trim(q + 1));
		if (count_hash(rest) > 1)
			return diag_error(loc, "'%s' has more than one '#'", trim(rest));
		if (e->nflags == CSVMAN_MAP_PARTS)
			return diag_error(loc, "more than %d flags for one field", CSVMAN_MAP_PARTS);
		e->flags = xrealloc(e->flags, (e->nflags + 1) * sizeof(*e->flags));
		e->flags[e->nflags].header = xstrdup(trim(rest));
		e->flags[e->nflags].value = xstrdup(trim(q + 1));
		e->nflags++;
		rest = bar + 1;
	} while (bar);
	return 0;
}

static int map_headers(struct csvman_map_entry *e, char *rest, const struct loc *loc)
{
	char *plus;

	do {
		plus = strchr(rest, '+');
		if (plus)
			*plus = '\0';
		if (!*trim(rest))
			return diag_error(loc, "empty header name for field '%s'", e->field);
		if (e->nheaders == 4)
			return diag_error(loc, "field '%s' joins more than 4 columns", e->field);
		if (count_hash(rest) > (e->kind >= 0))
			return diag_error(loc, e->kind >= 0 ? "'%s' has more than one '#'" :
					  "'%s': '#' stands for a group number only in "
					  "creator., instrument., arrangement. and sample. entries",
					  trim(rest));
		e->headers = xrealloc(e->headers, (e->nheaders + 1) * sizeof(*e->headers));
		e->headers[e->nheaders++] = xstrdup(trim(rest));
		rest = plus + 1;
	} while (plus);
	return 0;
}

/* The field of a map entry's left side; *kind -1 for the file's own rows. */
static int map_field(char *left, int *kind, char **field, const struct loc *loc)
{
	char *dot = strchr(left, '.');
	int k, known = 0;

	*kind = -1;
	*field = left;
	if (dot) {
		*dot = '\0';
		*field = trim(dot + 1);
		k = kind_by_name(trim(left));
		if (k < 0)
			return diag_error(loc, "unknown kind '%s' (track, creator, instrument, "
					  "arrangement or sample)", trim(left));
		if (rec_field_index((enum rec_kind)k, *field) < 0)
			return diag_error(loc, "unknown %s field '%s'", rec_kinds[k].name, *field);
		if (k != REC_TRACK && rec_field_index((enum rec_kind)k, *field) == 0)
			return diag_error(loc, "%s.audio_filename is the track's own: not mapped",
					  rec_kinds[k].name);
		*kind = k == REC_TRACK ? -1 : k;
		return 0;
	}
	for (k = 0; k < REC_NKINDS; k++)
		known |= rec_field_index((enum rec_kind)k, *field) >= 0;
	if (!known)
		return diag_error(loc, "unknown field '%s'", *field);
	return 0;
}

static int map_line(struct csvman_map *map, char *line, const struct loc *loc)
{
	char *eq = strchr(line, '='), *field, *rest;
	struct csvman_map_entry *e;
	int kind;
	size_t i;

	if (!eq)
		return diag_error(loc, "expected 'field = header', got '%s'", line);
	*eq = '\0';
	rest = eq + 1;
	if (map_field(trim(line), &kind, &field, loc) < 0)
		return -1;
	if (kind < 0 && strchr(rest, '#'))
		*strchr(rest, '#') = '\0';	/* a comment */
	for (i = 0; i < map->n; i++) {
		if (map->v[i].kind != kind)
			continue;
		if (strcmp(map->v[i].field, field) == 0 && kind >= 0)
			return diag_error(loc, "%s.%s is mapped twice (line %lu too)",
					  rec_kinds[kind].name, field, map->v[i].line);
		if (kind >= 0 && map->v[i].nflags && strchr(rest, '?'))
			return diag_error(loc, "one field of a kind may have flags: %s.%s has "
					  "them (line %lu)", rec_kinds[kind].name, map->v[i].field,
					  map->v[i].line);
	}
	e = map_add(map, field, kind, loc->line);
	if (kind >= 0 && strchr(rest, '?'))
		return map_flags(e, rest, loc);
	return map_headers(e, rest, loc);
}

int csvman_map_parse(const char *text, size_t len, const char *name, struct csvman_map *map)
{
	struct loc loc = { name, 0, NULL };
	struct buf line = BUF_INIT;
	size_t i = 0;
	int rc = 0;

	while (rc == 0 && i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
		char *s;

		loc.line++;
		buf_reset(&line);
		buf_add(&line, text + i, n);
		i += n + 1;
		s = trim(line.data);
		if (*s && *s != '#')
			rc = map_line(map, s, &loc);
	}
	buf_release(&line);
	return rc;
}

/* A map file is small; more than this is not one. */
#define MAP_MAX ((size_t)1 << 20)

int csvman_map_load(const char *path, struct csvman_map *map)
{
	FILE *fp = fopen(path, "r");
	struct buf text = BUF_INIT;
	char chunk[4096];
	size_t n;
	int rc;

	if (!fp)
		return diag_error(LOC_NONE, "cannot open map file '%s': %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 && text.len <= MAP_MAX)
		buf_add(&text, chunk, n);
	if (ferror(fp) || text.len > MAP_MAX)
		rc = diag_error(LOC_NONE, "cannot read map file '%s': %s", path,
				ferror(fp) ? strerror(errno) : "larger than 1 MiB");
	else
		rc = csvman_map_parse(text.data, text.len, path, map);
	fclose(fp);
	buf_release(&text);
	return rc;
}

void csvman_map_release(struct csvman_map *map)
{
	size_t i, j;

	for (i = 0; i < map->n; i++) {
		for (j = 0; j < map->v[i].nheaders; j++)
			free(map->v[i].headers[j]);
		for (j = 0; j < map->v[i].nflags; j++) {
			free(map->v[i].flags[j].header);
			free(map->v[i].flags[j].value);
		}
		free(map->v[i].headers);
		free(map->v[i].flags);
		free(map->v[i].field);
	}
	free(map->v);
	map->v = NULL;
	map->n = 0;
}
