/*
 * db: connection rules and small libpq helpers; see include/blendcat/db.h.
 */
#include "blendcat/db.h"
#include "blendcat/buf.h"
#include "blendcat/diag.h"
#include "blendcat/xalloc.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* 'blendcat' as a 64-bit number: the key of the advisory lock. */
#define DB_LOCK_KEY "7092155038006731124"

/* ---------------------------------------------------------------- target */

static int is_uri(const char *s)
{
	return strncmp(s, "postgresql://", 13) == 0 ||
	       strncmp(s, "postgres://", 11) == 0;
}

static void strip_uri(const char *s, struct buf *out)
{
	const char *q = strchr(s, '?');
	const char *p;
	int first = 1;

	if (!q) {
		buf_adds(out, s);
		return;
	}
	buf_add(out, s, (size_t)(q - s));
	for (p = q + 1; *p;) {
		size_t n = strcspn(p, "&");

		if (n > 0 && (n <= 7 || strncmp(p, "schema=", 7) != 0)) {
			buf_addch(out, first ? '?' : '&');
			buf_add(out, p, n);
			first = 0;
		}
		p += n;
		if (*p == '&')
			p++;
	}
}

/*
 * key=value form: words separated by spaces, values possibly quoted with
 * single quotes and backslash escapes (libpq's conninfo syntax).
 */
static const char *kv_word_end(const char *p)
{
	int quoted = 0;

	for (; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == '\'')
			quoted = !quoted;
		else if (!quoted && (*p == ' ' || *p == '\t' || *p == '\n'))
			break;
	}
	return p;
}

static void strip_kv(const char *s, struct buf *out)
{
	const char *p = s;

	while (*p) {
		const char *end;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		end = kv_word_end(p);
		if ((size_t)(end - p) <= 7 || strncmp(p, "schema=", 7) != 0) {
			if (out->len)
				buf_addch(out, ' ');
			buf_add(out, p, (size_t)(end - p));
		}
		p = end;
	}
}

void db_strip_schema(const char *conninfo, struct buf *out)
{
	if (is_uri(conninfo))
		strip_uri(conninfo, out);
	else
		strip_kv(conninfo, out);
}

void db_target_resolve(struct db_target *t, const char *opt_db)
{
	static const char *const vars[] = { "DATABASE_URL", "TRACKS_DATABASE_URL" };
	const char *src = NULL, *val = NULL;
	struct buf b = BUF_INIT;
	size_t i;

	if (opt_db) {
		src = "--db";
		val = opt_db;
	}
	for (i = 0; !val && i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		if (v && *v) {
			src = vars[i];
			val = v;
		}
	}
	if (!val) {
		t->conninfo = xstrdup("");
		t->source = "libpq defaults";
		return;
	}
	db_strip_schema(val, &b);
	t->conninfo = buf_detach(&b, NULL);
	t->source = src;
}

int db_configured(const char *opt_db)
{
	static const char *const vars[] = { "DATABASE_URL", "TRACKS_DATABASE_URL", "PGHOST",
					    "PGDATABASE", "PGSERVICE" };
	size_t i;

	if (opt_db)
		return 1;
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (getenv(vars[i]) && *getenv(vars[i]))
			return 1;
	return 0;
}

void db_target_release(struct db_target *t)
{
	free(t->conninfo);
	t->conninfo = NULL;
}

/* ------------------------------------------------------------- connect */

/* The first line of libpq's message, after "...failed: " when present. */
static void reason_line(const char *msg, struct buf *out)
{
	const char *p = strstr(msg, "failed: ");

	p = p ? p + 8 : msg;
	buf_add(out, p, strcspn(p, "\n"));
	while (out->len && (out->data[out->len - 1] == ' ' || out->data[out->len - 1] == '\r'))
		buf_setlen(out, out->len - 1);
}

static void describe(PGconn *c, struct buf *out)
{
	const char *host = PQhost(c), *port = PQport(c);
	const char *dbname = PQdb(c), *user = PQuser(c);

	if (!host || !*host)
		host = "/var/run/postgresql";
	if (!port || !*port)
		port = "5432";
	if (host[0] == '/')
		buf_addf(out, "socket \"%s/.s.PGSQL.%s\"", host, port);
	else
		buf_addf(out, "host \"%s\" port %s", host, port);
	if (dbname && *dbname)
		buf_addf(out, ", database \"%s\"", dbname);
	if (user && *user)
		buf_addf(out, ", user \"%s\"", user);
}

PGconn *db_connect(const struct db_target *t)
{
	const char *keys[6], *vals[6];
	struct buf where = BUF_INIT, why = BUF_INIT;
	PGconn *c;
	int n = 0;

	keys[n] = "fallback_application_name"; vals[n++] = "blendcat";
	if (!getenv("PGCONNECT_TIMEOUT")) {
		keys[n] = "connect_timeout"; vals[n++] = "10";
	}
	keys[n] = "dbname"; vals[n++] = t->conninfo;
	keys[n] = "client_encoding"; vals[n++] = "UTF8";
	/* Server NOTICEs (DROP ... IF EXISTS) are not for the user. */
	keys[n] = "options"; vals[n++] = "-c client_min_messages=warning";
	keys[n] = NULL; vals[n] = NULL;

	c = PQconnectdbParams(keys, vals, 1);
	if (!c)
		xalloc_die("out of memory");
	if (PQstatus(c) == CONNECTION_OK)
		return c;
	describe(c, &where);
	reason_line(PQerrorMessage(c), &why);
	diag_error(LOC_NONE, "cannot connect to the database on %s: %s",
		   where.data, why.data);
	buf_release(&where);
	buf_release(&why);
	PQfinish(c);
	return NULL;
}

/* ---------------------------------------------------------------- exec */

void db_report(const PGresult *res, const char *what)
{
	const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
	struct buf msg = BUF_INIT;

	if (!primary) {
		reason_line(PQresultErrorMessage(res), &msg);
		primary = msg.data;
	}
	diag_error(LOC_NONE, "%s: %s", what, primary);
	if (detail)
		diag_detail("%s", detail);
	if (hint)
		diag_hint("%s", hint);
	buf_release(&msg);
}

int db_exec(PGconn *c, const char *what, const char *sql)
{
	PGresult *res = PQexec(c, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
		 PQresultStatus(res) == PGRES_TUPLES_OK;

	if (!ok)
		db_report(res, what);
	PQclear(res);
	return ok ? 0 : -1;
}

static void report_holder(PGconn *c)
{
	PGresult *res = PQexec(c,
		"SELECT l.pid, coalesce(a.application_name, ''), "
		"coalesce(a.client_hostname, a.client_addr::text, 'local'), "
		"to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS') "
		"FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
		"WHERE l.locktype = 'advisory' AND l.granted "
		"AND ((l.classid::bigint << 32) | l.objid::bigint) = " DB_LOCK_KEY);

	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0)
		diag_detail("held by server process %s (%s, from %s, connected %s)",
			    PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
			    PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3));
	PQclear(res);
}

int db_lock(PGconn *c, int wait)
{
	PGresult *res;
	int got;

	res = PQexec(c, wait ? "SELECT pg_advisory_lock(" DB_LOCK_KEY "), true"
			     : "SELECT true, pg_try_advisory_lock(" DB_LOCK_KEY ")");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_report(res, "taking the advisory lock");
		PQclear(res);
		return -1;
	}
	got = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	PQclear(res);
	if (got)
		return 0;
	diag_error(LOC_NONE, "another blendcat run holds the lock on this database");
	report_holder(c);
	diag_hint("wait for it to finish, or pass --wait to queue behind it");
	return 1;
}

/* ------------------------------------------------------------- signals */

static volatile sig_atomic_t caught;
static PGcancel *volatile cancel;

static void on_signal(int sig)
{
	char err[256];

	caught = sig;
	if (cancel)
		PQcancel(cancel, err, sizeof(err));
}

void db_signals_catch(PGconn *conn)
{
	struct sigaction sa;

	cancel = PQgetCancel(conn);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;	/* a second signal takes the default action */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void db_signals_release(void)
{
	PGcancel *c = cancel;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	cancel = NULL;
	if (c)
		PQfreeCancel(c);
}

int db_interrupted(void)
{
	return caught;
}

const char *db_interrupt_reason(void)
{
	return caught == SIGINT ? "interrupted by SIGINT" :
	       caught == SIGTERM ? "interrupted by SIGTERM" : "";
}

void db_stop_point(const char *point)
{
	static char done[8];
	static const char *const points[] = { "copy", "merge", "commit" };
	const char *want = getenv("BLENDCAT_STOP_AT");
	size_t i;

	if (!want)
		return;
	for (i = 0; i < sizeof(points) / sizeof(points[0]); i++)
		if (strcmp(point, points[i]) == 0 && strcmp(want, point) == 0 && !done[i]) {
			done[i] = 1;
			raise(SIGSTOP);
		}
}
