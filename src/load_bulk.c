/*
 * load_bulk: an empty catalog is loaded the way pg_restore does it: keys
 * and indexes of the meekah tables (and foreign keys elsewhere that point
 * at them) are dropped, the data goes in, then they are built again, all
 * in the same transaction.  Building an index once is much cheaper than
 * updating it row by row.  The definitions come from the catalog itself
 * (load_sql_save_ddl).
 *
 * From CSV alone (l->direct_ok; no ISRC to resolve, no sources to merge,
 * no takedown) the keys go at BEGIN, and the child rows skip the staging:
 * their COPY goes straight into the catalog's tables (copyload.c), which
 * saves writing every row twice.  The checks read them there (load_sql.c,
 * "direct").  A child row's id carries its row number
 * (uuid_numbered_bytes), and the client keeps where each row came from
 * in a spool file; after the checks, the rows of the tracks to reject
 * are staged again from it, with their provenance, as every other path
 * has them (load_bulk_restage), and taken out of the catalog's tables
 * before the merge (load_bulk_drop_rejected).
 *
 * The spool is a stream of records, each starting with a number (LEB128,
 * like every number in it): 0 starts a header, which the rows after it
 * share: kind, COPY number, file, source, track name; any other
 * value is a row: its number's step from the last row's, then its line,
 * offset (each as a zigzag step from the last row's line and end) and
 * length.  A few bytes a row, so it stays small on disk for millions of
 * rows, and nothing of it is held in memory.
 *
 * The checks for unknown tracks and split totals read the runs of rows
 * (bc_head, copyload.c), a row a run, instead of every child row; only
 * the few tracks they find are read in the catalog's tables.
 * See include/blendcat/load_internal.h.
 */
#include "blendcat/db.h"
#include "blendcat/diag.h"
#include "blendcat/load_internal.h"
#include "blendcat/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ the keys */

int load_bulk_start(struct load *l)
{
	long rows;

	if (load_exec(l, "preparing the bulk load", "SAVEPOINT bc_bulk") < 0 ||
	    load_exec(l, "saving index definitions", load_sql_save_ddl) < 0 ||
	    load_exec_built(l, load_sql_drop_ddl, "dropping indexes for the bulk load") < 0)
		return -1;
	/*
	 * Under the tables' locks now: a track written since the first look
	 * (by another client than blendcat) sends the load the usual way.
	 */
	if ((rows = load_count(l, load_sql_catalog_empty)) < -1)
		return -1;
	if (rows < 0) {
		l->named_ids = 0;
		return load_exec(l, "preparing the load", "ROLLBACK TO SAVEPOINT bc_bulk; "
				 "RELEASE SAVEPOINT bc_bulk");
	}
	if (load_exec(l, "preparing the bulk load", "RELEASE SAVEPOINT bc_bulk") < 0)
		return -1;
	if (!(l->prov = tmpfile()))
		return diag_error(LOC_NONE, "cannot create a temporary file: %s", strerror(errno));
	memset(&l->prov_last, 0, sizeof(l->prov_last));
	l->direct = l->bulk = 1;
	return 0;
}

int load_bulk_begin(struct load *l)
{
	long rows;

	if (l->direct)		/* the keys went at BEGIN */
		return 0;
	/* The tracks staged when the catalog is empty; -1 when it is not. */
	rows = load_count(l, load_sql_catalog_empty);
	if (rows < -1)
		return -1;
	/* The catalog empty now and at BEGIN, when the rows' track ids were chosen. */
	l->bulk = rows >= 0 && l->named_ids;
	if (!l->bulk)
		return 0;
	if (load_exec(l, "saving index definitions", load_sql_save_ddl) < 0 ||
	    load_exec_built(l, load_sql_drop_ddl, "dropping indexes for the bulk load") < 0)
		return -1;
	return 0;
}

int load_bulk_end(struct load *l)
{
	if (!l->bulk)
		return 0;
	return load_exec_built(l, load_sql_create_ddl, "building indexes and keys");
}

/* ------------------------------------------------------- the provenance */

/* Number v into p (LEB128: 7 bits a byte, low first, the high bit says more): the bytes used. */
static size_t put_num(unsigned char *p, unsigned long long v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (unsigned char)((v & 0x7F) | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

/* A signed step as an unsigned number: 0, -1, 1, -2, 2... as 0, 1, 2, 3, 4... */
static unsigned long long zigzag(unsigned long long to, unsigned long long from)
{
	long long d = (long long)(to - from);

	return d < 0 ? ((unsigned long long)(-(d + 1)) << 1) | 1 : (unsigned long long)d << 1;
}

static unsigned long long unzigzag(unsigned long long from, unsigned long long z)
{
	return z & 1 ? from - (z >> 1) - 1 : from + (z >> 1);
}

int load_bulk_prov(struct load *l, const struct rec *r, const unsigned char *tid,
		   const struct rec_prov *p, unsigned batch)
{
	struct load_prov *last = &l->prov_last;
	enum rec_kind k = r->kind;
	const char *name = rec_get(r, 0);
	unsigned char rec[64];
	size_t len = strlen(name), n = 0;

	if (!last->started || last->kind != (int)k || last->batch != batch ||
	    last->file_no != p->file_no || last->src != (int)l->source ||
	    memcmp(last->tid, tid, UUID_SIZE) != 0) {
		n += put_num(rec + n, 0);
		n += put_num(rec + n, (unsigned long long)k);
		n += put_num(rec + n, batch);
		n += put_num(rec + n, (unsigned long long)p->file_no);
		n += put_num(rec + n, (unsigned long long)l->source);
		n += put_num(rec + n, len);
		if (fwrite(rec, 1, n, l->prov) != n || fwrite(name, 1, len, l->prov) != len)
			return diag_error(LOC_NONE, "cannot write a temporary file: %s", strerror(errno));
		n = 0;
		last->started = 1;
		last->kind = (int)k;
		last->batch = batch;
		last->file_no = p->file_no;
		last->src = (int)l->source;
		memcpy(last->tid, tid, UUID_SIZE);
	}
	/* l->n is the row's number: a step of one at least from the last. */
	n += put_num(rec + n, l->n - last->n);
	n += put_num(rec + n, zigzag(p->line, last->line));
	n += put_num(rec + n, zigzag(p->off, last->end));
	n += put_num(rec + n, p->len);
	last->n = l->n;
	last->line = p->line;
	last->end = p->off + p->len;
	if (fwrite(rec, 1, n, l->prov) != n)
		return diag_error(LOC_NONE, "cannot write a temporary file: %s", strerror(errno));
	return 0;
}

/* A row of the spool, read back. */
struct prov_row {
	struct load_prov at;		/* its header's fields, and n, line, end */
	struct buf name;
	unsigned long long off, len;
	int new_track;			/* a header came before it */
};

static int get_num(FILE *fp, unsigned long long *v)
{
	int c, shift = 0;

	*v = 0;
	do {
		if ((c = getc(fp)) == EOF || shift > 63)
			return -1;
		*v |= (unsigned long long)(c & 0x7F) << shift;
		shift += 7;
	} while (c & 0x80);
	return 0;
}

/*
 * The next row into r: 1, or 0 at the end, -1 for a spool cut short.
 * The track's id (r->at.tid) is made from its name again, after a
 * header, by l's generator.
 */
static int next_row(const struct load *l, FILE *fp, struct prov_row *r)
{
	unsigned long long v, k, batch, file_no, src, len, line, off;

	r->new_track = 0;
	for (;;) {
		if (get_num(fp, &v) < 0)
			return feof(fp) ? 0 : -1;
		if (v)
			break;
		if (get_num(fp, &k) < 0 || get_num(fp, &batch) < 0 || get_num(fp, &file_no) < 0 ||
		    get_num(fp, &src) < 0 || get_num(fp, &len) < 0)
			return -1;
		buf_reset(&r->name);
		while (len--) {
			int c = getc(fp);

			if (c == EOF)
				return -1;
			buf_addch(&r->name, c);
		}
		r->at.kind = (int)k;
		r->at.batch = (unsigned)batch;
		r->at.file_no = (int)file_no;
		r->at.src = (int)src;
		uuid_named_bytes(&l->ids, r->name.data, r->name.len, r->at.tid);
		r->new_track = 1;
	}
	if (get_num(fp, &line) < 0 || get_num(fp, &off) < 0 || get_num(fp, &r->len) < 0)
		return -1;
	r->at.n += v;
	r->at.line = unzigzag(r->at.line, line);
	r->off = unzigzag(r->at.end, off);
	r->at.end = r->off + r->len;
	return 1;
}

/* The spool from its start, for reading; NULL (said) if it cannot be. */
static FILE *rewind_prov(struct load *l)
{
	if (fflush(l->prov) != 0 || fseek(l->prov, 0, SEEK_SET) != 0) {
		diag_error(LOC_NONE, "cannot read a temporary file: %s", strerror(errno));
		return NULL;
	}
	return l->prov;
}

/* ------------------------------------------------ the tracks rejected */

static int cmp_id(const void *a, const void *b)
{
	return memcmp(a, b, UUID_SIZE);
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A uuid's text (the server's form) into its bytes: 0, or -1. */
static int parse_id(const char *s, unsigned char b[UUID_SIZE])
{
	int i, hi, lo;

	for (i = 0; i < UUID_SIZE; i++) {
		if (*s == '-')
			s++;
		if ((hi = hex_digit(s[0])) < 0 || (lo = hex_digit(s[1])) < 0)
			return -1;
		b[i] = (unsigned char)(hi << 4 | lo);
		s += 2;
	}
	return *s ? -1 : 0;
}

/* Sorted ids without repeats: how many are left. */
static long unique_ids(unsigned char *ids, long n)
{
	long i, u = 0;

	for (i = 0; i < n; i++)
		if (!u || memcmp(ids + (size_t)(u - 1) * UUID_SIZE, ids + (size_t)i * UUID_SIZE,
				 UUID_SIZE) != 0)
			memmove(ids + (size_t)u++ * UUID_SIZE, ids + (size_t)i * UUID_SIZE, UUID_SIZE);
	return u;
}

/*
 * The ids of the tracks to reject (load_sql_rejected_keys: ids, or names
 * whose id the client makes), sorted, without repeats: their count, or
 * -1 (said).
 */
static long rejected_ids(struct load *l, unsigned char **out)
{
	PGresult *res;
	unsigned char *ids;
	long i, n = 0;

	*out = NULL;
	load_sql_rejected_keys(&l->sql, l->any_bad);
	res = PQexec(l->conn, l->sql.data);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_report(res, "listing the rejected tracks");
		PQclear(res);
		return -1;
	}
	ids = xmalloc((size_t)PQntuples(res) * UUID_SIZE + 1);
	for (i = 0; i < PQntuples(res); i++) {
		unsigned char *id = ids + (size_t)n * UUID_SIZE;

		if (!PQgetisnull(res, (int)i, 0)) {
			if (parse_id(PQgetvalue(res, (int)i, 0), id) < 0)
				continue;
		} else {
			uuid_named_bytes(&l->ids, PQgetvalue(res, (int)i, 1),
					 (size_t)PQgetlength(res, (int)i, 1), id);
		}
		n++;
	}
	PQclear(res);
	qsort(ids, (size_t)n, UUID_SIZE, cmp_id);
	*out = ids;
	return unique_ids(ids, n);
}

int load_bulk_restage(struct load *l)
{
	struct prov_row row;
	unsigned char *ids, rid[UUID_SIZE];
	long n = rejected_ids(l, &ids);
	int in_set = 0, got = 0, rc = 0;
	FILE *fp = n > 0 ? rewind_prov(l) : NULL;

	if (!fp) {
		free(ids);
		return n < 0 || (n > 0 && !fp) ? -1 : 0;
	}
	memset(&row, 0, sizeof(row));
	buf_init(&row.name);
	while (rc == 0 && (got = next_row(l, fp, &row)) > 0) {
		struct rec_prov p = { row.at.file_no, NULL, row.at.line, row.off, row.len, NULL };

		/* A header's rows are one track's: looked up once. */
		if (row.new_track)
			in_set = bsearch(row.at.tid, ids, (size_t)n, UUID_SIZE, cmp_id) != NULL;
		if (!in_set)
			continue;
		buf_reset(&l->what);
		uuid_numbered_bytes(&l->ids, row.at.n, rid);
		load_encode_head(&l->what, (enum rec_kind)row.at.kind, row.at.n, 0, rid,
				 row.name.data, row.at.tid, &p, (enum rec_source)row.at.src);
		rc = load_put(l, row.at.kind, &l->what);
		l->restaged++;
	}
	if (rc == 0 && got < 0)
		rc = diag_error(LOC_NONE, "internal error: a temporary file ends too soon");
	buf_release(&row.name);
	free(ids);
	if (rc < 0 || load_send_spools(l) < 0)
		return -1;
	load_sql_fill_reasons(&l->sql);
	return load_exec(l, "naming the rows of the reasons", l->sql.data);
}

int load_bulk_drop_rejected(struct load *l)
{
	long got;
	int k;

	if (!l->restaged)
		return 0;
	for (k = 1; k < REC_NKINDS; k++) {
		load_sql_delete_final(&l->sql, (enum rec_kind)k);
		if ((got = load_exec_count(l, "leaving rejected tracks out", l->sql.data)) < 0)
			return -1;
		l->direct_deleted[k] = (unsigned long)got;
	}
	return 0;
}

/* ------------------------------------------------------ a failing COPY */

/* Input file_no's path (load_file), or "" if not named. */
static const char *path_of(const struct load *l, int file_no)
{
	const char *s = l->paths.data, *end = s + l->paths.len;

	while (s && s < end) {
		const char *path = s + strlen(s) + 1;

		if (atoi(s) == file_no)
			return path;
		s = path + strlen(path) + 1;
	}
	return "";
}

void load_bulk_failed_row(struct load *l, unsigned batch, const PGresult *res)
{
	const char *ctx = PQresultErrorField(res, PG_DIAG_CONTEXT), *at;
	unsigned long long want, seen = 0;
	struct prov_row row;
	FILE *fp;
	int got;

	/*
	 * "COPY track_creator, line 3": the COPY's row 3 (binary rows are
	 * counted as lines), after any context of a trigger's.
	 */
	if (!ctx || !(at = strstr(ctx, "COPY ")) || !(at = strstr(at, ", line ")) ||
	    !(want = strtoull(at + 7, NULL, 10)) || !(fp = rewind_prov(l)))
		return;
	memset(&row, 0, sizeof(row));
	buf_init(&row.name);
	while ((got = next_row(l, fp, &row)) > 0)
		if (row.at.batch == batch && ++seen == want) {
			diag_detail("the failing row is %s:%llu (track '%s')",
				    path_of(l, row.at.file_no), row.at.line, row.name.data);
			break;
		}
	buf_release(&row.name);
}
