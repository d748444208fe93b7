/*
 * import: the import and check commands; see include/blendcat/import.h.
 */
#include "blendcat/import.h"
#include "blendcat/buf.h"
#include "blendcat/copyload.h"
#include "blendcat/csvman.h"
#include "blendcat/db.h"
#include "blendcat/ddex.h"
#include "blendcat/diag.h"
#include "blendcat/rejects.h"
#include "blendcat/scan.h"
#include "blendcat/sheet.h"
#include "blendcat/tags.h"
#include "blendcat/version.h"
#include "blendcat/workbook.h"
#include "blendcat/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct input {
	char *path;
	char *abs;		/* absolute path (realpath of the root given + the rest) */
	enum rec_source type;	/* what it is, which is also its rank when sources merge */
	unsigned long long size;
	long long mtime_ns, ctime_ns;
	int unchanged;		/* --incremental: as ingest.file_state has it: not read */
	enum rec_kind kind;
	int usable;		/* the header was understood */
	int named;		/* an audio file a DDEX message named, read after it */
	int sheet_read;		/* a CSV file opened: dialect says how it was read */
	struct sheet_dialect dialect;
	int workbook;		/* REC_SRC_CSV: an .xlsx or .ods workbook (workbook_is) */
	char *sheet;		/* ... the sheet read, once read */
};

struct run {
	const struct import_opts *o;
	struct input *in;
	size_t nin;
	struct rejects rej;
	struct load load;
	int loading;		/* import (not check) */
	unsigned long rows, records, rejected_rows;
	unsigned long long bytes;
	unsigned long bad_files;
	unsigned long warnings;
	unsigned long skipped;		/* files in the directories that are not read */
	size_t committed;		/* transactions committed (--atomic file: files) */
	/* --incremental */
	unsigned long unchanged;	/* audio files not read: as the last run saw them */
	unsigned long unchanged_rejected;	/* of those, files rejected when last read */
	unsigned long gone;		/* files of ingest.file_state no longer there */
	unsigned long audio_read;	/* audio files opened */
	char **roots;			/* absolute forms of the paths given (NULL: unknown) */
	struct tags_reader sniffer;	/* the walk's libmagic, for files of other names */
	unsigned long takedowns;	/* releases taken down by the messages */
	/* Audio files DDEX messages name (read after the message, for their tags): */
	char **named;			/* the current message's, not read yet */
	size_t nnamed;
	char **audio_real;		/* real paths of the audio inputs, sorted */
	size_t naudio_real;
	int audio_real_built;
	PGconn *conn;
	struct load_counts totals[REC_NKINDS];	/* over every transaction */
	/* Progress: on a terminal, or with --progress. */
	int progress;
	unsigned long long total_bytes, done_bytes;
	unsigned long seen;
	double last_shown;
	struct timespec t0;
	long run_id;
	char stamp[32];
	char *rejects_dir;
};

/* ----------------------------------------------------------------- walk */

static void csv_opts(const struct run *r, struct csvman_opts *co);

static int has_ext(const char *name, const char *const *exts)
{
	const char *dot = strrchr(name, '.');

	for (; dot && *exts; exts++)
		if (strcasecmp(dot + 1, *exts) == 0)
			return 1;
	return 0;
}

static const char *const csv_exts[] = { "csv", "tsv", "tab", NULL };
/* In a directory, read as a sheet only when it looks like one (csvman_probe). */
static const char *const txt_exts[] = { "txt", NULL };
/* Sheets named on the command line: also tab-separated and Excel's "Unicode text". */
static const char *const sheet_exts[] = { "csv", "tsv", "tab", "txt", NULL };
static const char *const xml_exts[] = { "xml", NULL };
static const char *const audio_exts[] = {
	"mp3", "flac", "ogg", "oga", "opus", "spx", "m4a", "m4b", "mp4", "aac", "wav", "aif",
	"aiff", "aifc", "wma", "asf", "wv", "ape", "mpc", "tta", NULL
};

/*
 * The type of a file found in a directory by its name, or -1: CSV
 * manifests and label sheets (workbooks too, by name: their content is
 * probed by type_of), DDEX ERN messages (by their root element, not their
 * name alone: BatchComplete files and other XML are skipped) and audio
 * files by extension (the tag reader then checks their content).  An XML
 * file whose DOCTYPE hides its root (an XML bomb, XXE) is read as a
 * message, to be refused by name like one given on the command line.
 */
static int type_in_dir(const char *path)
{
	enum ddex_version v;
	enum ddex_type t;
	int rc;

	if (has_ext(path, csv_exts) || workbook_named(path))
		return REC_SRC_CSV;
	if (has_ext(path, xml_exts)) {
		rc = ddex_probe(path, &v, &t);
		return rc == 1 || rc == DDEX_PROBE_REFUSED ? REC_SRC_DDEX : -1;
	}
	return has_ext(path, audio_exts) ? REC_SRC_TAGS : -1;
}

/*
 * The type of a file in a directory: by its name (type_in_dir), else by
 * its content: a workbook, audio, or a DDEX message by its root element,
 * under any other name (no extension, a wrong one) is read too.  -1 to
 * skip it.
 */
static int type_of(struct run *r, const char *path)
{
	int type = type_in_dir(path);

	if (type >= 0 || has_ext(path, csv_exts) || has_ext(path, xml_exts))
		return type;
	if (workbook_probe(path, NULL) != WORKBOOK_NONE)
		return REC_SRC_CSV;
	if (has_ext(path, txt_exts)) {
		struct csvman_opts co;

		csv_opts(r, &co);
		return csvman_probe(path, &co) == 1 ? REC_SRC_CSV : -1;
	}
	if (tags_is_audio(&r->sniffer, path) == 1)
		return REC_SRC_TAGS;
	return ddex_probe(path, NULL, NULL) == 1 ? REC_SRC_DDEX : -1;
}

/*
 * A file named on the command line: by its name (CSV, XML, audio), else a
 * DDEX message when its root element says so, else audio (the tag reader
 * then says what it is not).
 */
static enum rec_source type_given(const char *path)
{
	if (has_ext(path, sheet_exts) || workbook_is(path))
		return REC_SRC_CSV;
	if (has_ext(path, xml_exts))
		return REC_SRC_DDEX;
	if (has_ext(path, audio_exts))
		return REC_SRC_TAGS;
	return ddex_probe(path, NULL, NULL) == 1 ? REC_SRC_DDEX : REC_SRC_TAGS;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static long long ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static void add_input(struct run *r, const char *path, const char *abs, enum rec_source type)
{
	struct input *in;
	struct stat st;

	r->in = xrealloc(r->in, (r->nin + 1) * sizeof(*r->in));
	in = &r->in[r->nin++];
	memset(in, 0, sizeof(*in));
	in->path = xstrdup(path);
	in->abs = abs ? xstrdup(abs) : NULL;
	in->type = type;
	in->workbook = type == REC_SRC_CSV && workbook_is(path);
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		in->size = (unsigned long long)st.st_size;
		in->mtime_ns = ns(&st.st_mtim);
		in->ctime_ns = ns(&st.st_ctim);
		r->total_bytes += (unsigned long long)st.st_size;
	}
}

/*
 * A DDEX delivery batch is a folder named by its timestamp
 * (YYYYMMDDhhmmssnnn); its BatchComplete_*.xml is written last, so a
 * batch without one is still arriving (DDEX.md).  Folders are walked in
 * name order, which for batches is their time order.
 */
static int is_batch_name(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strspn(base, "0123456789");
	return n == 17 && base[n] == '\0';
}

static int batch_complete(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d)) != NULL)
		found = strncmp(e->d_name, "BatchComplete_", 14) == 0 &&
			has_ext(e->d_name, xml_exts);
	closedir(d);
	return found;
}

/*
 * A hidden entry (".name") is not read: a hidden file (macOS "._" AppleDouble
 * files beside the audio, editor backups) is counted with the skipped
 * files; a hidden directory (.git) is not entered.
 */
static void hidden(struct run *r, const char *dir, const char *name)
{
	struct buf p = BUF_INIT;
	struct stat st;

	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return;
	buf_addf(&p, "%s/%s", dir, name);
	if (lstat(p.data, &st) == 0 && S_ISREG(st.st_mode))
		r->skipped++;
	buf_release(&p);
}

/*
 * Every input below dir (absdir: its absolute form, or NULL), in name
 * order (so delivery batches in time order); directories by symlink are
 * not followed, so no loop either.
 */
static int walk(struct run *r, const char *dir, const char *absdir, int depth)
{
	struct buf abs = BUF_INIT;
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i;
	int rc = 0;

	if (!d)
		return diag_error(LOC_NONE, "cannot open directory '%s': %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.') {
			hidden(r, dir, e->d_name);
			continue;
		}
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n] = xmalloc(strlen(dir) + strlen(e->d_name) + 2);
		sprintf(names[n++], "%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (n)	/* an empty directory has no array to sort */
		qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		struct stat st;
		int type;

		buf_reset(&abs);
		if (absdir)
			buf_addf(&abs, "%s/%s", absdir, names[i] + strlen(dir) + 1);
		if (rc == 0 && lstat(names[i], &st) == 0) {
			if (S_ISDIR(st.st_mode) && is_batch_name(names[i]) &&
			    !batch_complete(names[i]))
				diag_info("batch '%s' has no BatchComplete file yet: still arriving, "
					  "skipped", names[i]);
			else if (S_ISDIR(st.st_mode) && depth < 64)
				rc = walk(r, names[i], absdir ? abs.data : NULL, depth + 1);
			else if ((S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) &&
				 (type = type_of(r, names[i])) >= 0)
				add_input(r, names[i], absdir ? abs.data : NULL,
					  (enum rec_source)type);
			else if (S_ISREG(st.st_mode))
				r->skipped++;
		}
		free(names[i]);
	}
	free(names);
	buf_release(&abs);
	return rc;
}

/* Find the inputs; r->roots gets the absolute form of each path given. */
static int collect(struct run *r)
{
	int i;

	r->roots = xmalloc((size_t)r->o->npaths * sizeof(*r->roots));
	for (i = 0; i < r->o->npaths; i++) {
		const char *p = r->o->paths[i];
		struct stat st;
		char *dir;
		size_t len;
		int rc = 0;

		r->roots[i] = realpath(p, NULL);
		if (stat(p, &st) < 0)
			return diag_error(LOC_NONE, "cannot read '%s': %s", p, strerror(errno));
		if (!S_ISDIR(st.st_mode)) {
			add_input(r, p, r->roots[i], type_given(p));
			continue;
		}
		/* inbox/ as inbox: a batch's name is its last component, paths get no '//' */
		dir = xstrdup(p);
		for (len = strlen(dir); len > 1 && dir[len - 1] == '/'; len--)
			dir[len - 1] = '\0';
		if (is_batch_name(dir) && !batch_complete(dir))
			diag_info("batch '%s' has no BatchComplete file yet: still arriving, skipped", dir);
		else
			rc = walk(r, dir, r->roots[i], 0);
		free(dir);
		if (rc < 0)
			return -1;
	}
	if (r->skipped && !diag_quiet)
		diag_info("%lu file%s in the directories given %s not a manifest, a DDEX message or "
			  "audio, and %s skipped", r->skipped, r->skipped == 1 ? "" : "s",
			  r->skipped == 1 ? "is" : "are", r->skipped == 1 ? "was" : "were");
	if (r->nin == 0)
		return diag_error(LOC_NONE, "no manifests, DDEX messages or audio files in the paths given");
	return 0;
}

/* ------------------------------------------------------------- progress */

static double elapsed(const struct run *r);

/* One status line, redrawn in place: rows, rows/s, bytes read, ETA. */
static void show_progress(struct run *r, int final)
{
	double secs = elapsed(r), rate;
	double frac = r->total_bytes ? (double)r->done_bytes / (double)r->total_bytes : 0;

	if (frac > 1)
		frac = 1;	/* a workbook's rows count their CSV form, not the zip's bytes */
	if (!r->progress || (!final && secs - r->last_shown < 0.25))
		return;
	r->last_shown = secs;
	rate = secs > 0 ? (double)r->seen / secs : 0;
	fprintf(stderr, "\r%lu rows  %.0f rows/s  %.1f/%.1f MB  %3.0f%%", r->seen, rate,
		(double)r->done_bytes / 1e6, (double)r->total_bytes / 1e6, frac * 100);
	if (!final && frac > 0.01)
		fprintf(stderr, "  ETA %.0f s   ", secs / frac - secs);
	else
		fputs("            ", stderr);
	if (final)
		fputc('\n', stderr);
}

static void step(struct run *r, const char *what)
{
	if (r->progress)
		fprintf(stderr, "%s (%.1f s)\n", what, elapsed(r));
}

static void row_seen(struct run *r, const struct rec_prov *p)
{
	size_t i;

	if (!r->progress || (++r->seen & 1023))
		return;
	r->done_bytes = p->off + p->len;
	for (i = 0; i < (size_t)p->file_no; i++)
		r->done_bytes += r->in[i].size;
	show_progress(r, 0);
}

/* ------------------------------------------------------- --atomic file */

static int peek_header(void *ctx, int file_no, enum rec_kind kind, const char *raw, size_t len)
{
	(void)file_no;
	(void)raw;
	(void)len;
	*(enum rec_kind *)ctx = kind;
	return -1;	/* the header is all we want */
}

/* The options of the CSV reader, but the map. */
static void csv_opts(const struct run *r, struct csvman_opts *co)
{
	memset(co, 0, sizeof(*co));
	co->encoding = r->o->encoding;
	co->delim = r->o->delim;
	co->no_header = r->o->no_header;
	co->nulls = r->o->nulls;
	co->nnulls = r->o->nnulls;
	co->rec.date_order = r->o->date_order;
	co->sheet = r->o->sheet;
}

/* Put files of tracks before the others (stable), so children find them. */
static void tracks_first(struct run *r)
{
	struct csvman_opts co;
	struct input *sorted = xmalloc(r->nin * sizeof(*sorted));
	size_t i, n = 0;
	int pass;

	csv_opts(r, &co);
	diag_muted = 1;
	for (i = 0; i < r->nin; i++) {
		enum rec_kind kind = REC_TRACK;	/* DDEX messages and audio give tracks */
		struct csvman_sink sink = { peek_header, NULL, NULL, NULL, &kind };
		struct csvman_stats st;

		if (r->in[i].type == REC_SRC_CSV) {
			kind = REC_NKINDS;
			csvman_read_file(r->in[i].path, (int)i, &co, &sink, &st);
			free(st.sheet);
		}
		r->in[i].kind = kind;
	}
	diag_muted = 0;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < r->nin; i++)
			if ((r->in[i].kind == REC_TRACK) == (pass == 0))
				sorted[n++] = r->in[i];
	free(r->in);
	r->in = sorted;
}

/* ----------------------------------------------------------------- sink */

static int sink_header(void *ctx, int file_no, enum rec_kind kind, const char *raw, size_t len)
{
	struct run *r = ctx;

	r->in[file_no].kind = kind;
	r->in[file_no].usable = 1;
	rejects_set_header(&r->rej, file_no, raw, len);
	return r->loading ? load_start(&r->load, kind) : 0;
}

static int sink_record(void *ctx, const struct rec *rec, const struct rec_prov *p)
{
	struct run *r = ctx;

	r->records++;
	row_seen(r, p);
	return r->loading ? load_record(&r->load, rec, p) : 0;
}

static int sink_reject(void *ctx, const struct rec_prov *p, const char *audio_filename,
		       const char *field, const char *value, const char *reason)
{
	struct run *r = ctx;

	row_seen(r, p);
	if (rejects_log(&r->rej, p->where ? p->where : p->path, p->where ? 0 : p->line, field,
			value, reason) < 0)
		return -1;
	if (r->loading)
		return load_reject(&r->load, r->in[p->file_no].kind, p, audio_filename);
	r->rejected_rows++;
	return rejects_row(&r->rej, p->file_no, p->off, p->len);
}

/* The first warnings are shown; the rest are counted (the report has them). */
#define WARNINGS_SHOWN 20

static void sink_warn(void *ctx, const struct rec_prov *p, const char *field, const char *msg)
{
	struct loc loc = { p->where ? p->where : p->path, p->where ? 0 : p->line, field };
	struct run *r = ctx;

	if (++r->warnings <= WARNINGS_SHOWN)
		diag_warn(&loc, "%s", msg);
}

/* ------------------------------------------------- DDEX and audio files */

static int ddex_on_message(void *ctx, const struct ddex_message *m)
{
	(void)ctx;
	if (!m->is_test)
		return 0;
	diag_info("%s: skipping a DDEX TestMessage (MessageControlType): it changes nothing",
		  m->path);
	return 1;
}

static const char *const takedown_why[] = {
	[DDEX_TAKEDOWN_PURGE] = "a PurgeReleaseMessage purges it",
	[DDEX_TAKEDOWN_NO_DEAL] = "no deal names it",
	[DDEX_TAKEDOWN_FLAG] = "its deal says TakeDown",
};

/* "ICPN 123, GRid A1..." for the takedown's report. */
static void takedown_ids(const struct ddex_takedown *t, struct buf *b)
{
	const char *names[] = { "reference", "ICPN", "GRid", "catalog number",
				"proprietary id", "ISRC" };
	const char *vals[] = { t->release_reference, t->icpn, t->grid, t->catalog_number,
			       t->proprietary_id, t->isrc };
	size_t i;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		if (vals[i])
			buf_addf(b, "%s%s '%s'", b->len ? ", " : "", names[i], vals[i]);
	if (!b->len)
		buf_adds(b, "no identifier");
}

/*
 * Takedowns are reported; with --apply-takedowns the release's tracks
 * (the ones the message names, and the catalog's of its catalog number
 * or ICPN, the two ways a track keeps its release) are deleted.
 */
static int ddex_on_takedown(void *ctx, const struct ddex_takedown *t, const struct rec_prov *p)
{
	struct run *r = ctx;
	struct loc loc = { p->path, p->line, NULL };
	struct buf ids = BUF_INIT, cat = BUF_INIT;
	char why[NORM_WHY_MAX];
	const char *catno = t->catalog_number ? t->catalog_number : t->icpn;
	size_t i;

	takedown_ids(t, &ids);
	r->takedowns++;
	if (!r->o->apply_takedowns) {
		diag_warn(&loc, "release taken down (%s): %s; not applied without --apply-takedowns",
			  takedown_why[t->reason], ids.data);
		goto out;
	}
	diag_info("%s:%lu: release taken down (%s): %s", p->path, p->line,
		  takedown_why[t->reason], ids.data);
	if (catno && norm_catalog_number(catno, &cat, why) != 0)
		buf_reset(&cat);
	if (!cat.len && !t->naudio)
		diag_warn(&loc, "the takedown names the release only by %s, which the catalog does "
			  "not keep: nothing to delete", ids.data);
	if (!r->loading)
		goto out;
	for (i = 0; i < t->naudio; i++)
		load_takedown(&r->load, p->file_no, p->line, t->audio_filenames[i], NULL);
	if (cat.len)
		load_takedown(&r->load, p->file_no, p->line, NULL, cat.data);
out:
	buf_release(&ids);
	buf_release(&cat);
	return 0;
}

static int ddex_on_resource(void *ctx, const char *path, const struct rec_prov *p)
{
	struct run *r = ctx;

	(void)p;
	r->named = xrealloc(r->named, (r->nnamed + 1) * sizeof(*r->named));
	r->named[r->nnamed++] = xstrdup(path);
	return 0;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Is real (a real path) an audio input already?  If not, it is noted as
 * one.  The audio inputs' real paths are sorted once, on first use.
 */
static int audio_known(struct run *r, const char *real)
{
	size_t i, lo = 0, hi;

	if (!r->audio_real_built) {
		for (i = 0; i < r->nin; i++) {
			char *rp = r->in[i].type == REC_SRC_TAGS ? realpath(r->in[i].path, NULL) : NULL;

			if (!rp)
				continue;
			r->audio_real = xrealloc(r->audio_real, (r->naudio_real + 1) * sizeof(char *));
			r->audio_real[r->naudio_real++] = rp;
		}
		if (r->naudio_real)
			qsort(r->audio_real, r->naudio_real, sizeof(char *), by_str);
		r->audio_real_built = 1;
	}
	for (hi = r->naudio_real; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(real, r->audio_real[mid]);

		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	r->audio_real = xrealloc(r->audio_real, (r->naudio_real + 1) * sizeof(char *));
	memmove(r->audio_real + lo + 1, r->audio_real + lo, (r->naudio_real - lo) * sizeof(char *));
	r->audio_real[lo] = xstrdup(real);
	r->naudio_real++;
	return 0;
}

static int read_audio(struct run *r, size_t from, size_t to);

/*
 * The audio files the message named and that are not inputs already:
 * read now, as inputs of their own, so that their tags merge with the
 * message's tracks (DDEX over tags).
 */
static int read_named(struct run *r)
{
	size_t k, first = r->nin;

	for (k = 0; k < r->nnamed; k++) {
		if (!audio_known(r, r->named[k])) {
			add_input(r, r->named[k], r->named[k], REC_SRC_TAGS);
			r->in[r->nin - 1].named = 1;
			rejects_add_log_only(&r->rej, r->named[k]);
		}
		free(r->named[k]);
	}
	r->nnamed = 0;
	if (first == r->nin)
		return 0;
	if (r->loading)
		r->load.multi_source = 1;
	return read_audio(r, first, r->nin);
}

static int rejects_ddex(struct run *r, size_t i, const struct ddex_stats *st)
{
	struct buf why = BUF_INIT;
	int rc;

	buf_adds(&why, "DDEX message not read: ");
	if (st->error_line && st->error_column)
		buf_addf(&why, "at column %lu: ", st->error_column);
	buf_adds(&why, st->error_msg[0] ? st->error_msg : "see the error printed for it");
	rc = rejects_log(&r->rej, r->in[i].path, st->error_line, NULL, NULL, why.data);
	buf_release(&why);
	if (rc == 0 && st->error != DDEX_ERR_IO && r->in[i].size)
		rc = rejects_row(&r->rej, (int)i, 0, r->in[i].size);
	return rc;
}

static int read_ddex(struct run *r, size_t i)
{
	struct ddex_sink sink = { ddex_on_message, sink_record, sink_reject, sink_warn,
				  ddex_on_takedown, r, ddex_on_resource };
	struct ddex_opts o;
	struct ddex_stats st;

	memset(&o, 0, sizeof(o));
	o.rec.date_order = r->o->date_order;
	o.rec.null_markers = 1;
	o.rec.nulls = (const char *const *)r->o->nulls;
	o.rec.nnulls = r->o->nnulls;
	o.xsd_dir = r->o->validate_xsd ? r->o->xsd_dir : NULL;
	if (r->loading && load_start(&r->load, REC_TRACK) < 0)
		return -1;
	r->in[i].kind = REC_TRACK;
	/*
	 * On -1 nothing reached the sink (ddex.h): the message goes to the
	 * rejects whole, with why, and the rest goes on.
	 */
	if (ddex_read_file(r->in[i].path, (int)i, &o, &sink, &st) < 0) {
		for (; r->nnamed; r->nnamed--)
			free(r->named[r->nnamed - 1]);
		r->bad_files++;
		return rejects_ddex(r, i, &st);
	}
	r->rows += st.sound_recordings;	/* a SoundRecording is the message's "row" */
	r->bytes += r->in[i].size;
	return read_named(r);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/*
 * Audio inputs [from, to), all in one COPY, their tags read by --jobs
 * threads (scan.h: the sink gets them in input order).
 */
static int read_audio(struct run *r, size_t from, size_t to)
{
	struct tags_sink sink = { sink_record, sink_reject, sink_warn, r };
	struct scan_file *files = xmalloc((to - from) * sizeof(*files));
	struct tags_opts o;
	size_t i, n = 0;
	int rc = -1;

	memset(&o, 0, sizeof(o));
	o.rec.date_order = r->o->date_order;
	o.rec.null_markers = 1;
	o.rec.nulls = (const char *const *)r->o->nulls;
	o.rec.nnulls = r->o->nnulls;
	o.title_from_name = r->o->title_from_filename;
	for (i = from; i < to; i++) {
		if (r->in[i].unchanged) {
			load_present(&r->load, base_name(r->in[i].path));
			continue;
		}
		if (r->loading && load_file(&r->load, (int)i, r->in[i].path) < 0)
			goto out;
		r->in[i].kind = REC_TRACK;
		r->rows++;
		r->audio_read++;
		r->bytes += r->in[i].size;
		files[n].path = r->in[i].path;
		files[n++].file_no = (int)i;
	}
	r->load.source = REC_SRC_TAGS;
	if (r->loading && n && load_start(&r->load, REC_TRACK) < 0)
		goto out;
	rc = scan_tags(files, n, r->o->jobs, &o, &sink);
out:
	free(files);
	return rc;
}

static int read_csv(struct run *r, size_t i, struct csvman_opts *co)
{
	struct csvman_sink sink = { sink_header, sink_record, sink_reject, sink_warn, r };
	struct csvman_stats st;
	int rc;

	co->spool = r->in[i].workbook ? rejects_spool(&r->rej) : NULL;
	if (r->in[i].workbook && !co->spool)
		return -1;
	co->spool_all = r->loading;	/* rows may be rejected with their track after the COPY */
	rc = csvman_read_file(r->in[i].path, (int)i, co, &sink, &st);
	if (st.dialect.encoding) {
		r->in[i].sheet_read = 1;
		r->in[i].dialect = st.dialect;
	}
	free(r->in[i].sheet);
	r->in[i].sheet = st.sheet;
	if (rc < 0) {
		if (st.rows > 1)
			return -1;	/* rows of it are staged: the run fails whole */
		r->bad_files++;
		rejects_log(&r->rej, r->in[i].path, 0, NULL, NULL,
			    "file not read: see the error printed for it");
	}
	r->rows += st.rows && !co->no_header ? st.rows - 1 : st.rows;
	r->bytes += st.bytes;
	return 0;
}

/* Read inputs [from, to). */
static int read_inputs(struct run *r, size_t from, size_t to)
{
	struct csvman_map map = CSVMAN_MAP_INIT;
	struct csvman_opts co;
	size_t i, next;
	int rc = 0;

	csv_opts(r, &co);
	if (r->o->map_path) {
		if (csvman_map_load(r->o->map_path, &map) < 0)
			return -1;
		co.map = &map;
	}
	for (i = from; rc == 0 && i < to; i = next) {
		next = i + 1;
		if (r->in[i].type == REC_SRC_TAGS) {
			while (next < to && r->in[next].type == REC_SRC_TAGS)
				next++;
			rc = read_audio(r, i, next);
			continue;
		}
		if (r->loading) {
			if (load_file(&r->load, (int)i, r->in[i].path) < 0) {
				rc = -1;
				break;
			}
			r->load.source = r->in[i].type;
		}
		rc = r->in[i].type == REC_SRC_CSV ? read_csv(r, i, &co) : read_ddex(r, i);
	}
	csvman_map_release(&map);
	return rc;
}

/* ------------------------------------------------------- after the COPY */

/*
 * rejects.log's position of line of input file_no: "file:line", or a
 * workbook's row, "label.xlsx:Tracks!12" (then *line is 0).
 */
static const char *position(struct run *r, int file_no, unsigned long *line, struct buf *b)
{
	const struct input *in = &r->in[file_no];

	if (!in->sheet || !*line)
		return in->path;
	sheet_position(b, in->path, in->sheet, *line, -1);
	*line = 0;
	return b->data;
}

static int on_reason(void *ctx, int file_no, unsigned long line, const char *field,
		     const char *value, const char *reason)
{
	struct run *r = ctx;
	struct buf b = BUF_INIT;
	const char *where = position(r, file_no, &line, &b);
	int rc = rejects_log(&r->rej, where, line, field, value, reason);

	buf_release(&b);
	return rc;
}

static int on_reject_row(void *ctx, enum rec_kind kind, int file_no, unsigned long long off,
			 unsigned long long len, unsigned long line, const char *audio_filename,
			 const char *track_reason)
{
	struct run *r = ctx;
	struct buf why = BUF_INIT, pos;
	int rc;

	(void)kind;
	r->rejected_rows++;
	if (rejects_row(&r->rej, file_no, off, len) < 0)
		return -1;
	if (!track_reason)
		return 0;
	buf_addf(&why, "rejected with its track '%s' (problem at %s)",
		 audio_filename ? audio_filename : "?", track_reason);
	buf_init(&pos);
	rc = rejects_log(&r->rej, position(r, file_no, &line, &pos), line, NULL, NULL, why.data);
	buf_release(&why);
	buf_release(&pos);
	return rc;
}

static double elapsed(const struct run *r)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - r->t0.tv_sec) + (double)(t.tv_nsec - r->t0.tv_nsec) / 1e9;
}

/* --------------------------------------------------------------- report */

static void json_str(struct buf *b, const char *s)
{
	buf_addch(b, '"');
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			buf_addf(b, "\\%c", c);
		else if (c < 0x20)
			buf_addf(b, "\\u%04x", c);
		else
			buf_addch(b, (char)c);
	}
	buf_addch(b, '"');
}

/* How the sheet of input i was read, in words: the dialect, a workbook's sheet. */
static void sheet_describe(const struct run *r, size_t i, struct buf *out)
{
	struct sheet_dialect d = r->in[i].dialect;

	if (!r->in[i].sheet) {
		sheet_dialect_describe(&d, out);
		return;
	}
	d.header = 1;
	sheet_dialect_describe(&d, out);
	buf_addf(out, ", sheet '%s'%s", r->in[i].sheet, r->in[i].dialect.header ? "" : ", no header");
}

/*
 * How each sheet was read: "sheets": [{"path": ..., "delimiter": ";",
 * ...}]; a workbook's: {"path", "format", "sheet", "header", "dialect"}.
 */
static void sheets_json(const struct run *r, struct buf *b)
{
	size_t i, n = 0;

	buf_adds(b, ", \"sheets\": [");
	for (i = 0; i < r->nin; i++) {
		const struct sheet_dialect *d = &r->in[i].dialect;
		char delim[2] = { (char)d->delim, '\0' }, tmp[8];
		struct buf desc = BUF_INIT;

		if (!r->in[i].sheet_read)
			continue;
		buf_adds(b, n++ ? ", {\"path\": " : "{\"path\": ");
		json_str(b, r->in[i].path);
		if (d->format != SHEET_DELIMITED) {
			buf_addf(b, ", \"format\": \"%s\", \"sheet\": ",
				 d->format == SHEET_XLSX ? "xlsx" : "ods");
			json_str(b, r->in[i].sheet);
			buf_addf(b, ", \"header\": %s, \"dialect\": ", d->header ? "true" : "false");
			sheet_describe(r, i, &desc);
			json_str(b, desc.data);
			buf_release(&desc);
			buf_adds(b, "}");
			continue;
		}
		buf_adds(b, ", \"delimiter\": ");
		json_str(b, delim);
		buf_addf(b, ", \"delimiter_name\": \"%s\", \"delimiter_given\": %s, \"encoding\": ",
			 sheet_delim_name(d->delim, tmp), d->delim_given ? "true" : "false");
		json_str(b, d->encoding);
		buf_addf(b, ", \"bom\": %s, \"line_end\": \"%s\", \"decimal_comma\": %s, "
			 "\"header\": %s, \"dialect\": ", d->bom ? "true" : "false",
			 d->crlf ? "CRLF" : "LF", d->decimal_comma ? "true" : "false",
			 d->header ? "true" : "false");
		sheet_describe(r, i, &desc);
		json_str(b, desc.data);
		buf_release(&desc);
		buf_adds(b, ", \"format\": \"text\"}");
	}
	buf_adds(b, "]");
}

/* Sheets shown one a line in the report; past this, counted. */
#define SHEETS_SHOWN 10

static void print_sheets(const struct run *r)
{
	struct buf desc = BUF_INIT;
	size_t i, n = 0;

	for (i = 0; i < r->nin; i++) {
		if (!r->in[i].sheet_read)
			continue;
		if (++n > SHEETS_SHOWN)
			continue;
		buf_reset(&desc);
		sheet_describe(r, i, &desc);
		fprintf(stderr, "sheet %s: %s\n", r->in[i].path, desc.data);
	}
	if (n > SHEETS_SHOWN)
		fprintf(stderr, "... and %zu more sheets (--report lists each)\n", n - SHEETS_SHOWN);
	buf_release(&desc);
}

static void counts_json(const struct run *r, struct buf *b, int status_ok)
{
	int k;

	buf_adds(b, "{\"tables\": {");
	for (k = 0; k < REC_NKINDS; k++) {
		const struct load_counts *c = &r->totals[k];

		buf_addf(b, "%s\"%s\": {\"read\": %lu, \"inserted\": %lu, \"updated\": %lu, "
			 "\"unchanged\": %lu, \"replaced\": %lu, \"deleted\": %lu, \"rejected\": %lu}",
			 k ? ", " : "", rec_kinds[k].table, c->staged, c->inserted, c->updated,
			 c->unchanged, c->replaced, c->deleted, c->rejected);
	}
	buf_addf(b, "}, \"audio_files_read\": %lu, \"unchanged_files\": %lu, "
		 "\"unchanged_rejected_files\": %lu, \"gone_files\": %lu", r->audio_read, r->unchanged,
		 r->unchanged_rejected, r->gone);
	buf_addf(b, ", \"skipped_files\": %lu", r->skipped);
	buf_addf(b, ", \"files\": %zu, \"bad_files\": %lu, \"rows\": %lu, \"rejected_rows\": %lu, "
		 "\"warnings\": %lu, \"bytes\": %llu, \"seconds\": %.3f, \"ok\": %s",
		 r->nin, r->bad_files, r->rows, r->rejected_rows, r->warnings, r->bytes, elapsed(r),
		 status_ok ? "true" : "false");
	if (r->rej.dir_made) {
		buf_adds(b, ", \"rejects_dir\": ");
		json_str(b, r->rejects_dir);
	}
	sheets_json(r, b);
	buf_adds(b, "}");
}

static void print_report(const struct run *r, int ok)
{
	double secs = elapsed(r);
	int k;

	if (diag_quiet)
		return;
	fprintf(stderr, "%-18s %9s %9s %9s %9s %9s %9s\n", r->loading ? "table" : "file kind",
		"read", "inserted", "updated", "unchanged", "replaced", "rejected");
	for (k = 0; k < REC_NKINDS && r->loading; k++) {
		const struct load_counts *c = &r->totals[k];
		char upd[24], rep[24];

		snprintf(upd, sizeof(upd), k ? "-" : "%lu", c->updated);
		snprintf(rep, sizeof(rep), k ? "%lu" : "-", c->replaced);
		fprintf(stderr, "%-18s %9lu %9lu %9s %9lu %9s %9lu\n", rec_kinds[k].table,
			c->staged, c->inserted, upd, c->unchanged, rep, c->rejected);
	}
	fprintf(stderr, "%lu rows from %zu files (%.1f MB) in %.2f s, %.0f rows/s; %lu rejected%s%s\n",
		r->rows, r->nin, (double)r->bytes / 1e6, secs, secs > 0 ? (double)r->rows / secs : 0.0,
		r->rejected_rows, r->rej.dir_made ? ", see " : "",
		r->rej.dir_made ? r->rejects_dir : "");
	print_sheets(r);
	if (r->loading && r->totals[REC_TRACK].deleted)
		fprintf(stderr, "%lu track%s taken down: deleted with their children\n",
			r->totals[REC_TRACK].deleted, r->totals[REC_TRACK].deleted == 1 ? "" : "s");
	if (r->warnings > WARNINGS_SHOWN)
		fprintf(stderr, "%lu warnings about kept values, %d shown\n", r->warnings, WARNINGS_SHOWN);
	if (r->o->incremental)
		fprintf(stderr, "%lu audio files read; %lu unchanged and skipped (%lu of them "
			"rejected when last read); %lu gone since the last run\n", r->audio_read,
			r->unchanged, r->unchanged_rejected, r->gone);
	if (!ok && r->committed)
		fprintf(stderr, "%zu file%s committed; the rest was rolled back\n", r->committed,
			r->committed == 1 ? " was" : "s were");
	else if (!ok)
		fprintf(stderr, "nothing was loaded: the run was rolled back\n");
}

static int write_report(const struct run *r, int ok)
{
	struct buf b = BUF_INIT;
	int fd, rc = 0;

	if (!r->o->report_path)
		return 0;
	counts_json(r, &b, ok);
	buf_addch(&b, '\n');
	fd = open(r->o->report_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || rejects_private(fd) < 0 || write(fd, b.data, b.len) != (ssize_t)b.len)
		rc = diag_error(LOC_NONE, "cannot write report '%s': %s", r->o->report_path,
				strerror(errno));
	if (fd >= 0)
		close(fd);
	buf_release(&b);
	return rc;
}

/* ------------------------------------------------------------ ingest.run */

/*
 * Imports still 'running' while this one holds the lock ended without
 * saying so (killed, the machine or the server went down): their
 * transactions were rolled back by the server; say so in ingest.run.
 */
static void mark_stale_runs(PGconn *c)
{
	PGresult *res = PQexec(c, "UPDATE ingest.run SET status = 'interrupted', "
			       "error = 'the run ended without recording its end (killed, or its "
			       "connection was lost); nothing of it was committed' "
			       "WHERE command = 'import' AND status = 'running'");

	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		diag_warn(LOC_NONE, "could not mark earlier runs in ingest.run: %s", PQerrorMessage(c));
	else if (atol(PQcmdTuples(res)) > 0)
		diag_warn(LOC_NONE, "%s earlier import%s ended without recording %s end; marked "
			  "interrupted in ingest.run", PQcmdTuples(res),
			  atol(PQcmdTuples(res)) == 1 ? "" : "s",
			  atol(PQcmdTuples(res)) == 1 ? "its" : "their");
	PQclear(res);
}

static int run_start(struct run *r, PGconn *c)
{
	struct buf inputs = BUF_INIT, opts = BUF_INIT;
	char host[256] = "";
	const char *user = getenv("USER");
	const char *vals[5];
	PGresult *res;
	int i, ok;

	buf_addch(&inputs, '{');
	for (i = 0; i < r->o->npaths; i++) {
		if (i)
			buf_addch(&inputs, ',');
		json_str(&inputs, r->o->paths[i]);	/* array literal quoting is the same */
	}
	buf_addch(&inputs, '}');
	buf_addf(&opts, "{\"mode\": \"%s\", \"max_rejects\": %ld, \"date_order\": %d, \"encoding\": ",
		 r->o->insert_only ? "insert" : "upsert", r->o->max_rejects, (int)r->o->date_order);
	json_str(&opts, r->o->encoding ? r->o->encoding : "UTF-8");
	buf_adds(&opts, ", \"map\": ");
	json_str(&opts, r->o->map_path ? r->o->map_path : "");
	buf_addf(&opts, ", \"title_from_filename\": %s}", r->o->title_from_filename ? "true" : "false");
	gethostname(host, sizeof(host) - 1);
	mark_stale_runs(c);
	vals[0] = inputs.data;
	vals[1] = opts.data;
	vals[2] = host;
	vals[3] = user ? user : "";
	vals[4] = BLENDCAT_VERSION;
	res = PQexecParams(c, "INSERT INTO ingest.run (command, inputs, options, client_host, "
			   "client_user, blendcat_version) VALUES ('import', $1, $2, $3, $4, $5) "
			   "RETURNING id", 5, NULL, vals, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (ok)
		r->run_id = atol(PQgetvalue(res, 0, 0));
	else
		db_report(res, "recording the run in ingest.run");
	PQclear(res);
	buf_release(&inputs);
	buf_release(&opts);
	return ok ? 0 : -1;
}

static void run_finish(struct run *r, PGconn *c, enum import_result code, const char *error)
{
	struct buf counts = BUF_INIT;
	char id[24], exit_code[16];
	const char *status = code == IMPORT_OK ? "ok" : code == IMPORT_REJECTS ? "rejects" :
			     code >= IMPORT_INTERRUPTED_INT ? "interrupted" : "failed";
	const char *vals[6];
	PGresult *res;
	int tries;

	if (!r->run_id)
		return;
	counts_json(r, &counts, code <= IMPORT_REJECTS);
	snprintf(id, sizeof(id), "%ld", r->run_id);
	snprintf(exit_code, sizeof(exit_code), "%d", r->o->exit_code(code));
	vals[0] = id;
	vals[1] = status;
	vals[2] = exit_code;
	vals[3] = counts.data;
	vals[4] = r->rej.dir_made ? r->rejects_dir : NULL;
	vals[5] = error;
	/* A cancel sent by a signal handler may land on this statement: once more. */
	for (tries = 0; tries < 2; tries++) {
		res = PQexecParams(c, "UPDATE ingest.run SET status = $2, exit_code = $3, counts = $4, "
				   "rejects_dir = $5, error = $6, finished_at = now() WHERE id = $1",
				   6, NULL, vals, NULL, NULL, 0);
		if (PQresultStatus(res) == PGRES_COMMAND_OK || !db_interrupted())
			break;
		PQclear(res);
	}
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		diag_warn(LOC_NONE, "could not record the end of run %ld in ingest.run: %s",
			  r->run_id, PQerrorMessage(c));
	PQclear(res);
	buf_release(&counts);
}

/* -------------------------------------------------------- --incremental */

/* Is path (absolute) below or at one of the paths given? */
static int under_roots(const struct run *r, const char *path)
{
	int i;

	for (i = 0; i < r->o->npaths; i++) {
		const char *root = r->roots[i];
		size_t n = root ? strlen(root) : 0;

		if (root && strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/'))
			return 1;
	}
	return 0;
}

/* The row of res (sorted by path, bytewise) for path, or -1. */
static int state_row(const PGresult *res, const char *path)
{
	int lo = 0, hi = PQntuples(res) - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2, c = strcmp(PQgetvalue(res, mid, 0), path);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static int same_state(const PGresult *res, int row, const struct input *in)
{
	return strtoull(PQgetvalue(res, row, 1), NULL, 10) == in->size &&
	       strtoll(PQgetvalue(res, row, 2), NULL, 10) == in->mtime_ns &&
	       strtoll(PQgetvalue(res, row, 3), NULL, 10) == in->ctime_ns;
}

/*
 * A file ingest.file_state knows below the paths given that is no longer
 * there: reported, its track stays in the catalog.
 */
static void report_gone(struct run *r, const PGresult *res, int row)
{
	const char *path = PQgetvalue(res, row, 0);
	struct stat st;

	if (!under_roots(r, path) || lstat(path, &st) == 0 || errno != ENOENT)
		return;
	if (++r->gone <= WARNINGS_SHOWN) {
		if (PQgetisnull(res, row, 4))
			diag_warn(LOC_NONE, "'%s' is gone since the last run (it was rejected then)",
				  path);
		else
			diag_warn(LOC_NONE, "'%s' is gone since the last run; its track '%s' stays "
				  "in the catalog", path, PQgetvalue(res, row, 4));
	}
}

/*
 * --incremental: mark the audio inputs whose path, size, mtime and ctime
 * are those ingest.file_state has from the last successful run (ctime
 * catches a change saved with "preserve timestamps"); report files gone.
 * Only stat() data: no file is opened.
 */
static int incr_prepare(struct run *r)
{
	PGresult *res = PQexec(r->conn, "SELECT path, size, mtime_ns, ctime_ns, audio_filename "
			       "FROM ingest.file_state ORDER BY path COLLATE \"C\"");
	char *seen;
	size_t i;
	int row, n;

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_report(res, "reading ingest.file_state");
		PQclear(res);
		return -1;
	}
	n = PQntuples(res);
	seen = xmalloc((size_t)n + 1);
	memset(seen, 0, (size_t)n + 1);
	for (i = 0; i < r->nin; i++) {
		struct input *in = &r->in[i];

		if (in->type != REC_SRC_TAGS || !in->abs || (row = state_row(res, in->abs)) < 0)
			continue;
		seen[row] = 1;
		if (!same_state(res, row, in))
			continue;
		in->unchanged = 1;
		r->unchanged++;
		r->unchanged_rejected += PQgetisnull(res, row, 4);
	}
	for (row = 0; row < n; row++)
		if (!seen[row])
			report_gone(r, res, row);
	if (r->gone > WARNINGS_SHOWN)
		diag_warn(LOC_NONE, "%lu files are gone since the last run, %d shown", r->gone,
			  WARNINGS_SHOWN);
	free(seen);
	PQclear(res);
	return 0;
}

/* Record the audio files of inputs [from, to) that were read. */
static int incr_save(struct run *r, size_t from, size_t to)
{
	struct buf rows = BUF_INIT;
	size_t i;
	int rc;

	for (i = from; i < to; i++) {
		const struct input *in = &r->in[i];

		if (in->type != REC_SRC_TAGS || in->unchanged || !in->abs)
			continue;
		buf_addf(&rows, "%zu\t", i);
		rec_copy_value(&rows, in->abs);
		buf_addf(&rows, "\t%llu\t%lld\t%lld\n", in->size, in->mtime_ns, in->ctime_ns);
	}
	rc = load_file_state(&r->load, &rows, r->run_id);
	buf_release(&rows);
	return rc;
}

/* ------------------------------------------------------------------ run */

static int too_many_rejects(const struct run *r)
{
	if (r->o->max_rejects < 0 || r->rejected_rows <= (unsigned long)r->o->max_rejects)
		return 0;
	diag_error(LOC_NONE, "%lu rows rejected, more than --max-rejects %ld", r->rejected_rows,
		   r->o->max_rejects);
	return 1;
}

/* The database part of import: everything in one transaction. */
/*
 * Must sources merge in inputs [from, to)?  When CSV, DDEX and audio mix,
 * and when several DDEX messages may deliver the same track.
 */
static int multi_source(const struct run *r, size_t from, size_t to)
{
	size_t i, ddex = 0;

	for (i = from; i < to; i++) {
		if (r->in[i].type != r->in[from].type)
			return 1;
		ddex += r->in[i].type == REC_SRC_DDEX;
	}
	return ddex > 1;
}

/* Inputs [from, to) in one transaction. */
static enum import_result load_batch(struct run *r, size_t from, size_t to, const char **error)
{
	int k;

	load_init(&r->load, r->conn);
	r->load.insert_only = r->o->insert_only;
	r->load.require_audio = r->o->require_audio;
	r->load.multi_source = multi_source(r, from, to);
	*error = "database error";
	if (load_begin(&r->load) < 0)
		return IMPORT_FAILED;
	*error = "reading the inputs failed";
	if (read_inputs(r, from, to) < 0 || load_staged(&r->load) < 0)
		return IMPORT_FAILED;
	if (to == r->nin) {
		r->done_bytes = r->total_bytes;
		r->seen = r->rows;
		show_progress(r, 1);
	}
	step(r, "checking rows against each other");
	*error = "database error";
	if (load_check(&r->load, on_reason, r) < 0 || load_rejects(&r->load, on_reject_row, r) < 0)
		return IMPORT_FAILED;
	*error = "too many rejects";
	if (too_many_rejects(r))
		return IMPORT_FAILED;
	*error = "cannot write the rejects";
	if (rejects_flush(&r->rej) < 0)
		return IMPORT_FAILED;
	*error = "database error";
	if (r->o->incremental && incr_save(r, from, to) < 0)
		return IMPORT_FAILED;
	step(r, "merging into the catalog");
	if (load_merge(&r->load) < 0 || load_commit(&r->load) < 0)
		return IMPORT_FAILED;
	for (k = 0; k < REC_NKINDS; k++) {
		const struct load_counts *c = &r->load.counts[k];
		struct load_counts *t = &r->totals[k];

		t->staged += c->staged;
		t->rejected += c->rejected;
		t->inserted += c->inserted;
		t->updated += c->updated;
		t->unchanged += c->unchanged;
		t->replaced += c->replaced;
		t->deleted += c->deleted;
	}
	*error = NULL;
	return IMPORT_OK;
}

/*
 * The whole run in one transaction, or with --atomic file one per input
 * file, track files first so that their children find them.
 */
static enum import_result load_all(struct run *r, const char **error)
{
	enum import_result code;
	size_t i;

	if (!r->o->atomic_file) {
		code = load_batch(r, 0, r->nin, error);
		if (code == IMPORT_FAILED)
			load_abort(&r->load, *error);
		load_release(&r->load);
		if (code == IMPORT_FAILED)
			return code;
		r->committed++;
	} else {
		for (i = 0; i < r->nin; i++) {
			if (r->in[i].named)
				continue;	/* read with its message */
			code = load_batch(r, i, i + 1, error);
			if (code == IMPORT_FAILED) {
				load_abort(&r->load, *error);
				load_release(&r->load);
				diag_error(LOC_NONE, "'%s' was not loaded; %zu file%s before it %s committed",
					   r->in[i].path, r->committed, r->committed == 1 ? "" : "s",
					   r->committed == 1 ? "was" : "were");
				return r->committed && !db_interrupted() ? IMPORT_REJECTS : IMPORT_FAILED;
			}
			load_release(&r->load);
			r->committed++;
		}
	}
	return r->rejected_rows || r->bad_files ? IMPORT_REJECTS : IMPORT_OK;
}

/*
 * The run was stopped by SIGINT or SIGTERM: say whether anything was
 * committed before it (with --atomic file).  A signal that came after
 * the last COMMIT changes nothing: all is loaded.
 */
static enum import_result after_signal(struct run *r, enum import_result code,
				       const char **error)
{
	if (!db_interrupted())
		return code;
	if (code <= IMPORT_REJECTS && r->committed && !r->o->atomic_file) {
		diag_warn(LOC_NONE, "%s after the run was committed: everything was loaded",
			  db_interrupt_reason());
		return code;
	}
	*error = db_interrupt_reason();
	return db_interrupted() == SIGINT ? IMPORT_INTERRUPTED_INT : IMPORT_INTERRUPTED_TERM;
}

/* import: conn holds blendcat's lock (cli.c took it). */
static enum import_result run_import(struct run *r, PGconn *c)
{
	const char *error = NULL;
	enum import_result code;

	r->conn = c;
	r->loading = 1;
	db_signals_catch(c);
	if (run_start(r, c) < 0 || (r->o->incremental && incr_prepare(r) < 0)) {
		code = IMPORT_FAILED;
		goto out;
	}
	/* --incremental and nothing changed: no file to read, no transaction. */
	code = r->unchanged == r->nin ? IMPORT_OK : after_signal(r, load_all(r, &error), &error);
	run_finish(r, c, code, error);
out:
	db_signals_release();
	print_report(r, code <= IMPORT_REJECTS);
	return code;
}

/*
 * check with a database: the import's reading, staging and checks in a
 * transaction that is rolled back.  Only temporary tables are written, so
 * the checks across rows and against the catalog (duplicates, split
 * totals, sections, unknown tracks, --mode insert) are the import's own.
 */
static int check_with_db(struct run *r, PGconn *c)
{
	const char *error;
	int rc;

	r->conn = c;
	r->loading = 1;
	load_init(&r->load, c);
	r->load.insert_only = r->o->insert_only;
	r->load.require_audio = r->o->require_audio;
	r->load.multi_source = multi_source(r, 0, r->nin);
	rc = load_begin(&r->load) < 0 || read_inputs(r, 0, r->nin) < 0 ||
	     load_staged(&r->load) < 0 || load_check(&r->load, on_reason, r) < 0 ||
	     load_rejects(&r->load, on_reject_row, r) < 0 ? -1 : 0;
	error = rc < 0 ? "check failed" : "check only";
	load_abort(&r->load, error);
	load_release(&r->load);
	return rc;
}

/* check: with a database (c), or each row alone (c NULL). */
static enum import_result run_check(struct run *r, PGconn *c)
{
	enum import_result code;
	int rc;

	rc = c ? check_with_db(r, c) : read_inputs(r, 0, r->nin);
	if (rc < 0 || rejects_close(&r->rej) < 0)
		code = IMPORT_FAILED;
	else
		code = r->rejected_rows || r->bad_files ? IMPORT_REJECTS : IMPORT_OK;
	if (!diag_quiet)
		fprintf(stderr, "%lu rows from %zu files: %lu rejected%s%s%s\n",
			r->rows, r->nin, r->rejected_rows,
			c ? "" : " (row checks only, no database)",
			r->rej.dir_made ? ", see " : "", r->rej.dir_made ? r->rejects_dir : "");
	if (!diag_quiet)
		print_sheets(r);
	return code;
}

/* ---------------------------------------------------------------- phases */

struct import_job {
	struct run r;
};

static void job_free(struct import_job *job)
{
	struct run *r = &job->r;
	size_t i;

	rejects_release(&r->rej);
	tags_reader_release(&r->sniffer);
	for (i = 0; i < r->naudio_real; i++)
		free(r->audio_real[i]);
	free(r->audio_real);
	free(r->named);
	ddex_xsd_release();
	for (i = 0; i < r->nin; i++) {
		free(r->in[i].path);
		free(r->in[i].abs);
		free(r->in[i].sheet);
	}
	free(r->in);
	for (i = 0; r->roots && i < (size_t)r->o->npaths; i++)
		free(r->roots[i]);
	free(r->roots);
	free(r->rejects_dir);
	free(job);
}

enum import_result import_prepare(const struct import_opts *o, struct import_job **job)
{
	struct import_job *j = xmalloc(sizeof(*j));
	struct run *r = &j->r;
	struct tm tm;
	time_t now = time(NULL);
	size_t i;

	memset(j, 0, sizeof(*j));
	r->o = o;
	r->progress = !diag_quiet && (o->progress || (isatty(STDERR_FILENO) && !o->no_progress));
	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	gmtime_r(&now, &tm);
	strftime(r->stamp, sizeof(r->stamp), "%Y%m%dT%H%M%SZ", &tm);
	if (o->rejects_dir) {
		r->rejects_dir = xstrdup(o->rejects_dir);
	} else {
		r->rejects_dir = xmalloc(strlen(r->stamp) + 16);
		sprintf(r->rejects_dir, "rejects/%s", r->stamp);
	}
	rejects_init(&r->rej, r->rejects_dir);
	tags_reader_init(&r->sniffer);
	if (collect(r) < 0) {
		job_free(j);
		return IMPORT_USAGE;
	}
	if (o->atomic_file && !o->check_only)
		tracks_first(r);
	for (i = 0; i < r->nin; i++) {
		/* A rejected audio file stays where it is: rejects.log names it. */
		if (r->in[i].type == REC_SRC_TAGS)
			rejects_add_log_only(&r->rej, r->in[i].path);
		else if (r->in[i].workbook)
			rejects_add_sheet(&r->rej, r->in[i].path);
		else
			rejects_add_file(&r->rej, r->in[i].path);
	}
	*job = j;
	return IMPORT_OK;
}

enum import_result import_run(struct import_job *job, PGconn *conn)
{
	return job->r.o->check_only ? run_check(&job->r, conn) : run_import(&job->r, conn);
}

enum import_result import_finish(struct import_job *job, enum import_result res)
{
	if (write_report(&job->r, res <= IMPORT_REJECTS) < 0 && res == IMPORT_OK)
		res = IMPORT_REJECTS;
	job_free(job);
	return res;
}
