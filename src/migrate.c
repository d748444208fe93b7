/*
 * migrate: numbered up/down migrations; see include/blendcat/migrate.h.
 */
#include "blendcat/migrate.h"
#include "blendcat/buf.h"
#include "blendcat/db.h"
#include "blendcat/diag.h"
#include "blendcat/xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------- parsing */

/* Does the line [p, end) start with "--", blanks, then word (any case)? */
static int is_marker(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);

	if (end - p < 2 || p[0] != '-' || p[1] != '-')
		return 0;
	for (p += 2; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	if ((size_t)(end - p) < n || strncasecmp(p, word, n) != 0)
		return 0;
	p += n;
	return p == end || !isalnum((unsigned char)*p);
}

/* Is the line a bare transaction statement that blendcat replaces? */
static int is_txn_line(const char *p, const char *end)
{
	static const char *const words[] = { "BEGIN;", "COMMIT;", "BEGIN TRANSACTION;",
					     "START TRANSACTION;", "END;" };
	size_t i;

	while (p < end && isspace((unsigned char)*p))
		p++;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if ((size_t)(end - p) == strlen(words[i]) &&
		    strncasecmp(p, words[i], (size_t)(end - p)) == 0)
			return 1;
	return 0;
}

static void add_line(struct buf *out, const char *p, const char *end, int uncomment)
{
	if (uncomment && end - p >= 2 && p[0] == '-' && p[1] == '-') {
		p += 2;
		if (p < end && *p == ' ')
			p++;
	}
	if (!is_txn_line(p, end))
		buf_add(out, p, (size_t)(end - p));
	buf_addch(out, '\n');
}

int migration_parse(struct migration *m, const char *text, size_t len,
		    char *why, size_t whylen)
{
	struct buf up = BUF_INIT, down = BUF_INIT;
	const char *p = text, *end = text + len;
	unsigned long line = 0;
	int seen_up = 0, in_down = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *next = eol ? eol + 1 : end;

		if (!eol)
			eol = end;
		line++;
		if (!in_down && is_marker(p, eol, "DOWN")) {
			in_down = 1;
			m->down_line = line + 1;
		} else if (in_down) {
			add_line(&down, p, eol, 1);
		} else {
			if (is_marker(p, eol, "UP"))
				seen_up = 1;
			add_line(&up, p, eol, 0);
		}
		p = next;
	}
	if (!seen_up || !in_down) {
		snprintf(why, whylen, "no '-- %s' line marks its %s section",
			 seen_up ? "DOWN" : "UP", seen_up ? "rollback" : "forward");
		buf_release(&up);
		buf_release(&down);
		return -1;
	}
	m->up = buf_detach(&up, NULL);
	m->down = buf_detach(&down, NULL);
	return 0;
}

int migration_name_parse(const char *file, char **name)
{
	const char *p = file, *us;
	size_t n = strlen(file);
	long v = 0;

	if (n < 6 || strcmp(file + n - 4, ".sql") != 0)
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > 999999)
			return -1;
	}
	if (p == file || *p != '_' || v < 1)
		return -1;
	us = p + 1;
	if ((size_t)(us - file) >= n - 4)
		return -1;
	*name = xstrndup(us, (size_t)(file + n - 4 - us));
	return (int)v;
}

/* --------------------------------------------------------------- loading */

static int read_file(const char *path, char **text, size_t *len)
{
	struct buf b = BUF_INIT;
	char chunk[8192];
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (!fp)
		return diag_error(LOC_NONE, "cannot open '%s': %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(fp)) {
		fclose(fp);
		buf_release(&b);
		return diag_error(LOC_NONE, "cannot read '%s'", path);
	}
	fclose(fp);
	*text = buf_detach(&b, len);
	return 0;
}

static int by_version(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

static int load_one(const char *dir, const char *file, int version, char *name,
		    struct migration *m)
{
	char why[200];
	struct buf path = BUF_INIT;

	memset(m, 0, sizeof(*m));
	m->version = version;
	m->name = name;
	m->file = xstrdup(file);
	buf_addf(&path, "%s/%s", dir, file);
	m->path = buf_detach(&path, NULL);
	if (read_file(m->path, &m->text, &m->len) < 0)
		return -1;
	if (migration_parse(m, m->text, m->len, why, sizeof(why)) < 0) {
		struct loc loc = { m->path, 0, NULL };

		return diag_error(&loc, "%s", why);
	}
	return 0;
}

int migrate_load_dir(const char *dir, struct migration_set *set)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 0, i;
	int rc = 0;

	if (!d)
		return diag_error(LOC_NONE, "cannot open migrations directory '%s': %s",
				  dir, strerror(errno));
	while (rc == 0 && (e = readdir(d)) != NULL) {
		char *name = NULL;
		int v = migration_name_parse(e->d_name, &name);

		if (v < 0)
			continue;
		if (set->n == cap) {
			cap = cap ? 2 * cap : 8;
			set->v = xrealloc(set->v, cap * sizeof(*set->v));
		}
		rc = load_one(dir, e->d_name, v, name, &set->v[set->n++]);
	}
	closedir(d);
	if (rc < 0)
		return -1;
	if (set->n == 0)
		return diag_error(LOC_NONE, "no migrations (NNN_name.sql) in '%s'", dir);
	qsort(set->v, set->n, sizeof(*set->v), by_version);
	for (i = 1; i < set->n; i++)
		if (set->v[i].version == set->v[i - 1].version)
			return diag_error(LOC_NONE, "migrations '%s' and '%s' have the same number %03d",
					  set->v[i - 1].file, set->v[i].file, set->v[i].version);
	return 0;
}

void migration_set_release(struct migration_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		struct migration *m = &set->v[i];

		free(m->name);
		free(m->file);
		free(m->path);
		free(m->text);
		free(m->up);
		free(m->down);
	}
	free(set->v);
	set->v = NULL;
	set->n = 0;
}

/* ------------------------------------------------------------- database */

struct applied {
	int version;
	char *name, *checksum, *at;
};

struct state {
	struct applied *a;	/* applied, by version */
	size_t na;
	char **sums;		/* checksum of each file in the set */
	int have_table;
};

static void state_release(struct state *s, size_t nfiles)
{
	size_t i;

	for (i = 0; i < s->na; i++) {
		free(s->a[i].name);
		free(s->a[i].checksum);
		free(s->a[i].at);
	}
	free(s->a);
	if (s->sums)
		for (i = 0; i < nfiles; i++)
			free(s->sums[i]);
	free(s->sums);
}

static char *checksum(PGconn *c, const struct migration *m)
{
	const char *vals[1] = { m->text };
	int lens[1] = { (int)m->len }, fmts[1] = { 1 };
	PGresult *res = PQexecParams(c, "SELECT encode(sha256($1::bytea), 'hex')",
				     1, NULL, vals, lens, fmts, 0);
	char *sum = NULL;

	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		sum = xstrdup(PQgetvalue(res, 0, 0));
	else
		db_report(res, "computing a checksum");
	PQclear(res);
	return sum;
}

static int load_applied(PGconn *c, struct state *s)
{
	PGresult *res;
	int i;

	res = PQexec(c, "SELECT to_regclass('public.schema_migrations') IS NOT NULL");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_report(res, "reading public.schema_migrations");
		PQclear(res);
		return -1;
	}
	s->have_table = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!s->have_table)
		return 0;
	res = PQexec(c, "SELECT version, name, checksum, "
		     "to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') "
		     "FROM public.schema_migrations ORDER BY version");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_report(res, "reading public.schema_migrations");
		PQclear(res);
		return -1;
	}
	s->na = (size_t)PQntuples(res);
	s->a = xcalloc(s->na, sizeof(*s->a));
	for (i = 0; i < PQntuples(res); i++) {
		s->a[i].version = atoi(PQgetvalue(res, i, 0));
		s->a[i].name = xstrdup(PQgetvalue(res, i, 1));
		s->a[i].checksum = xstrdup(PQgetvalue(res, i, 2));
		s->a[i].at = xstrdup(PQgetvalue(res, i, 3));
	}
	PQclear(res);
	return 0;
}

static int load_state(PGconn *c, const struct migration_set *set, struct state *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	if (load_applied(c, s) < 0)
		return -1;
	s->sums = xcalloc(set->n, sizeof(*s->sums));
	for (i = 0; i < set->n; i++)
		if (!(s->sums[i] = checksum(c, &set->v[i])))
			return -1;
	return 0;
}

static const struct applied *find_applied(const struct state *s, int version)
{
	size_t i;

	for (i = 0; i < s->na; i++)
		if (s->a[i].version == version)
			return &s->a[i];
	return NULL;
}

static const struct migration *find_file(const struct migration_set *set, int version,
					 size_t *idx)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->v[i].version == version) {
			if (idx)
				*idx = i;
			return &set->v[i];
		}
	return NULL;
}

/* Refuse to go on when an applied migration's file has changed. */
static int check_unchanged(const struct migration_set *set, const struct state *s)
{
	size_t i, j;
	int bad = 0;

	for (i = 0; i < s->na; i++) {
		const struct migration *m = find_file(set, s->a[i].version, &j);

		if (!m || strcmp(s->sums[j], s->a[i].checksum) == 0)
			continue;
		diag_error(LOC_NONE, "migration '%s' was changed after it was applied on %s UTC",
			   m->path, s->a[i].at);
		diag_detail("applied checksum %.16s..., file checksum %.16s...",
			    s->a[i].checksum, s->sums[j]);
		bad = 1;
	}
	if (bad)
		diag_hint("restore the applied version of the file, and put new changes in a new migration");
	return bad ? -1 : 0;
}

/* Line of the 1-based character position pos in sql, plus base - 1. */
static unsigned long line_of(const char *sql, long pos, unsigned long base)
{
	unsigned long line = base;
	long chars = 0;
	const char *p;

	for (p = sql; *p && chars < pos - 1; p++) {
		if (((unsigned char)*p & 0xC0) != 0x80)
			chars++;
		if (*p == '\n')
			line++;
	}
	return line;
}

static int exec_section(PGconn *c, const struct migration *m, const char *sql,
			unsigned long base, const char *dir)
{
	PGresult *res = PQexec(c, sql);
	const char *pos;
	struct loc loc = { m->path, 0, NULL };
	struct buf what = BUF_INIT;

	if (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK ||
	    PQresultStatus(res) == PGRES_EMPTY_QUERY) {
		PQclear(res);
		return 0;
	}
	pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
	if (pos)
		loc.line = line_of(sql, atol(pos), base);
	buf_addf(&what, "migration %s failed", dir);
	diag_error(&loc, "%s: %s", what.data,
		   PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) ?
		   PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : PQerrorMessage(c));
	if (PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL))
		diag_detail("%s", PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL));
	buf_release(&what);
	PQclear(res);
	return -1;
}

static int record(PGconn *c, const struct migration *m, const char *sum, int up)
{
	char version[16];
	const char *vals[3] = { version, m->name, sum };
	PGresult *res;
	int ok;

	snprintf(version, sizeof(version), "%d", m->version);
	if (up)
		res = PQexecParams(c, "INSERT INTO public.schema_migrations "
				   "(version, name, checksum) VALUES ($1, $2, $3)",
				   3, NULL, vals, NULL, NULL, 0);
	else
		res = PQexecParams(c, "DELETE FROM public.schema_migrations WHERE version = $1",
				   1, NULL, vals, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		db_report(res, "recording the migration in public.schema_migrations");
	PQclear(res);
	return ok ? 0 : -1;
}

/* Run one migration in a direction, in its own transaction. */
static int step(PGconn *c, const struct migration *m, const char *sum, int up)
{
	if (db_exec(c, "starting a transaction", "BEGIN") < 0)
		return -1;
	if (exec_section(c, m, up ? m->up : m->down, up ? 1 : m->down_line,
			 up ? "up" : "down") < 0 ||
	    record(c, m, sum, up) < 0 ||
	    db_exec(c, "committing", "COMMIT") < 0) {
		PQclear(PQexec(c, "ROLLBACK"));
		return -1;
	}
	if (!diag_quiet)
		printf("%s %03d_%s\n", up ? "applied    " : "rolled back", m->version, m->name);
	fflush(stdout);
	return 0;
}

static const char create_table_sql[] =
	"CREATE TABLE IF NOT EXISTS public.schema_migrations ("
	" version INTEGER PRIMARY KEY,"
	" name VARCHAR(255) NOT NULL,"
	" checksum CHAR(64) NOT NULL,"
	" applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW())";

static int run_up(PGconn *c, const struct migration_set *set, struct state *s, long n)
{
	size_t i;
	long done = 0;

	if (db_exec(c, "creating public.schema_migrations", create_table_sql) < 0)
		return -1;
	for (i = 0; i < set->n && (n < 0 || done < n); i++) {
		if (find_applied(s, set->v[i].version))
			continue;
		if (s->na && set->v[i].version < s->a[s->na - 1].version)
			diag_warn(LOC_NONE, "applying '%s' after the newer %03d already applied",
				  set->v[i].file, s->a[s->na - 1].version);
		if (step(c, &set->v[i], s->sums[i], 1) < 0)
			return -1;
		done++;
	}
	if (done == 0 && !diag_quiet)
		printf("nothing to apply: all %zu migrations are applied\n", set->n);
	return 0;
}

static int run_down(PGconn *c, const struct migration_set *set, struct state *s, long n)
{
	size_t k, idx;
	long done = 0;

	for (k = s->na; k > 0 && (n < 0 || done < n); k--) {
		const struct migration *m = find_file(set, s->a[k - 1].version, &idx);

		if (!m)
			return diag_error(LOC_NONE, "cannot roll back migration %03d_%s: its file is missing",
					  s->a[k - 1].version, s->a[k - 1].name);
		if (step(c, m, s->sums[idx], 0) < 0)
			return -1;
		done++;
	}
	if (done == 0 && !diag_quiet)
		printf("nothing to roll back: no migration is applied\n");
	/* Rolled back to zero: leave nothing behind, not even the bookkeeping. */
	if (s->have_table && (size_t)done == s->na)
		return db_exec(c, "dropping public.schema_migrations",
			       "DROP TABLE IF EXISTS public.schema_migrations");
	return 0;
}

static int run_status(const struct migration_set *set, const struct state *s)
{
	size_t i, j;
	int bad = 0;

	printf("%-8s %-28s %-8s %s\n", "version", "name", "state", "applied (UTC)");
	for (i = 0; i < set->n; i++) {
		const struct applied *a = find_applied(s, set->v[i].version);
		const char *st = !a ? "pending" :
				 strcmp(a->checksum, s->sums[i]) ? "CHANGED" : "applied";

		bad |= a && strcmp(a->checksum, s->sums[i]) != 0;
		printf("%03d      %-28s %-8s %s\n", set->v[i].version, set->v[i].name,
		       st, a ? a->at : "");
	}
	for (j = 0; j < s->na; j++)
		if (!find_file(set, s->a[j].version, NULL)) {
			printf("%03d      %-28s %-8s %s\n", s->a[j].version, s->a[j].name,
			       "MISSING", s->a[j].at);
			bad = 1;
		}
	return bad ? -1 : 0;
}

int migrate_run(PGconn *c, const struct migration_set *set, enum migrate_op op, long n)
{
	struct state s;
	int rc = -1;

	if (load_state(c, set, &s) < 0)
		goto out;
	if (op == MIGRATE_STATUS) {
		rc = run_status(set, &s);
		if (rc < 0)
			check_unchanged(set, &s);
		goto out;
	}
	if (check_unchanged(set, &s) < 0)
		goto out;
	rc = op == MIGRATE_UP ? run_up(c, set, &s, n) : run_down(c, set, &s, n);
out:
	state_release(&s, set->n);
	return rc;
}
