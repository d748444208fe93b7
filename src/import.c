/*
 * import: the import and check commands; see include/blendcat/import.h.
 */
#include "blendcat/import.h"
#include "blendcat/import_internal.h"
#include "blendcat/buf.h"
#include "blendcat/copyload.h"
#include "blendcat/csvman.h"
#include "blendcat/db.h"
#include "blendcat/ddex.h"
#include "blendcat/diag.h"
#include "blendcat/loaddiff.h"
#include "blendcat/rejects.h"
#include "blendcat/runlog.h"
#include "blendcat/scan.h"
#include "blendcat/sheet.h"
#include "blendcat/tags.h"
#include "blendcat/walk.h"
#include "blendcat/workbook.h"
#include "blendcat/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ----------------------------------------------------------------- walk */

static void csv_opts(const struct run *r, struct csvman_opts *co);

/* Find the inputs (walk.h). */
static int collect(struct run *r)
{
	struct csvman_opts co;
	struct walk w;
	size_t i;
	int rc;

	csv_opts(r, &co);
	rc = walk_collect(&w, r->o->paths, r->o->npaths, &co, &r->sniffer);
	r->in = w.in;
	r->nin = w.nin;
	for (i = 0; i < r->nin; i++)
		r->in[i].file_no = (int)i;
	r->files = r->nin;
	r->roots = w.roots;
	r->skipped = w.skipped;
	r->total_bytes = w.total_bytes;
	return rc;
}

static int stream_number(struct run *r);

/* An input more (walk.h), after the walk. */
static void add_input(struct run *r, const char *path, const char *abs, enum rec_source type)
{
	struct walk w;

	memset(&w, 0, sizeof(w));
	w.in = r->in;
	w.nin = r->nin;
	w.total_bytes = r->total_bytes;
	walk_add(&w, path, abs, type);
	r->in = w.in;
	r->nin = w.nin;
	r->total_bytes = w.total_bytes;
	r->in[r->nin - 1].file_no = r->stream ? stream_number(r) : (int)r->nin - 1;
	r->files++;
}

/* Input file_no: r->in[file_no], or when reading as we walk the one held. */
static struct input *input_of(struct run *r, int file_no)
{
	size_t lo = 0, hi = r->nin;

	if (!r->stream)
		return &r->in[file_no];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->in[mid].file_no == file_no)
			return &r->in[mid];
		if (r->in[mid].file_no < file_no)
			lo = mid + 1;
		else
			hi = mid;
	}
	abort();	/* only inputs held have their number asked for */
}

/* ------------------------------------------------------------- progress */

static int stream_walking(const struct run *r);

/* One status line, redrawn in place: rows, rows/s, bytes read, ETA. */
static void show_progress(struct run *r, int final)
{
	double secs = import_elapsed(r), rate;
	double frac = r->total_bytes ? (double)r->done_bytes / (double)r->total_bytes : 0;

	if (frac > 1)
		frac = 1;	/* a workbook's rows count their CSV form, not the zip's bytes */
	if (!r->progress || (!final && secs - r->last_shown < 0.25))
		return;
	r->last_shown = secs;
	rate = secs > 0 ? (double)r->seen / secs : 0;
	if (!final && stream_walking(r)) {
		/* the walk is still finding inputs: no total yet */
		fprintf(stderr, "\r%lu rows  %.0f rows/s  %.1f MB        ", r->seen, rate,
			(double)r->done_bytes / 1e6);
		return;
	}
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
		fprintf(stderr, "%s (%.1f s)\n", what, import_elapsed(r));
}

static void row_seen(struct run *r, const struct rec_prov *p)
{
	if (!r->progress || (++r->seen & 1023))
		return;
	/* reading as we walk, each input's start sets file_base */
	if (!r->stream && (size_t)p->file_no < r->base_no) {
		r->base_no = 0;
		r->file_base = 0;
	}
	for (; !r->stream && r->base_no < (size_t)p->file_no; r->base_no++)
		r->file_base += r->in[r->base_no].size;
	r->done_bytes = r->file_base + p->off + p->len;
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
		struct csvman_sink sink = { { NULL, NULL, NULL, &kind }, peek_header };
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
	for (i = 0; i < r->nin; i++)
		r->in[i].file_no = (int)i;
}

/* ----------------------------------------------------------------- sink */

static int sink_header(void *ctx, int file_no, enum rec_kind kind, const char *raw, size_t len)
{
	struct run *r = ctx;
	struct input *in = input_of(r, file_no);

	in->kind = kind;
	in->usable = 1;
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
	if (r->diffing && loaddiff_reason(&r->diff, p->file_no, p->line, audio_filename, field, value,
					  reason) < 0)
		return -1;
	if (r->loading)
		return load_reject(&r->load, r->in[p->file_no].kind, p, audio_filename);
	r->rejected_rows++;
	return rejects_row(&r->rej, p->file_no, p->off, p->len);
}

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

static int stream_finds(struct run *r, const char *real);

/*
 * Is real (a real path) an audio input already?  If not, it is noted as
 * one.  The audio inputs' real paths are sorted once, on first use.
 */
static int audio_known(struct run *r, const char *real)
{
	size_t i, lo = 0, hi;

	/* reading as we walk, the walk says which files it gives; audio_real is the rest */
	if (r->stream && stream_finds(r, real))
		return 1;
	if (!r->audio_real_built && !r->stream) {
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
		rc = rejects_row(&r->rej, r->in[i].file_no, 0, r->in[i].size);
	return rc;
}

/*
 * The record options of the tags and DDEX readers: the run's date order,
 * and null markers (the built-in ones and --null) in the fields that
 * take them.
 */
static void rec_opts_of(const struct run *r, struct rec_opts *o)
{
	o->date_order = r->o->date_order;
	o->null_markers = 1;
	o->nulls = (const char *const *)r->o->nulls;
	o->nnulls = r->o->nnulls;
}

static int read_ddex(struct run *r, size_t i)
{
	struct ddex_sink sink = { { sink_record, sink_reject, sink_warn, r },
				  ddex_on_message, ddex_on_takedown, ddex_on_resource };
	struct ddex_opts o;
	struct ddex_stats st;

	memset(&o, 0, sizeof(o));
	rec_opts_of(r, &o.rec);
	o.xsd_dir = r->o->validate_xsd ? r->o->xsd_dir : NULL;
	if (r->loading && load_start(&r->load, REC_TRACK) < 0)
		return -1;
	r->in[i].kind = REC_TRACK;
	/*
	 * On -1 nothing reached the sink (ddex.h): the message goes to the
	 * rejects whole, with why, and the rest goes on.
	 */
	if (ddex_read_file(r->in[i].path, r->in[i].file_no, &o, &sink, &st) < 0) {
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

/* The audio inputs of read_audio, for the scan: the ones to read, in order. */
struct audio_run {
	struct run *r;
	size_t next, to;
	int started;		/* the COPY of their tracks is open */
};

static int audio_next(void *ctx, struct scan_file *f)
{
	struct audio_run *a = ctx;
	struct run *r = a->r;

	for (; a->next < a->to; a->next++) {
		struct input *in = &r->in[a->next];

		if (in->unchanged) {
			load_present(&r->load, base_name(in->path));
			continue;
		}
		if (r->loading && (load_file(&r->load, in->file_no, in->path) < 0 ||
				   (!a->started && load_start(&r->load, REC_TRACK) < 0)))
			return -1;
		a->started = 1;
		in->kind = REC_TRACK;
		r->rows++;
		r->audio_read++;
		r->bytes += in->size;
		f->path = in->path;
		f->file_no = in->file_no;
		a->next++;
		return 1;
	}
	return 0;
}

/* Audio files from src, their tags read by --jobs threads. */
static int read_audio_from(struct run *r, const struct scan_source *src)
{
	struct rec_sink sink = { sink_record, sink_reject, sink_warn, r };
	struct tags_opts o;

	memset(&o, 0, sizeof(o));
	rec_opts_of(r, &o.rec);
	o.title_from_name = r->o->title_from_filename;
	r->load.source = REC_SRC_TAGS;
	return scan_tags(src, r->o->jobs, &o, &sink);
}

/*
 * Audio inputs [from, to), all in one COPY, their tags read by --jobs
 * threads (scan.h: the sink gets them in input order).
 */
static int read_audio(struct run *r, size_t from, size_t to)
{
	struct audio_run a = { r, from, to, 0 };
	struct scan_source src = { audio_next, NULL, &a };

	return read_audio_from(r, &src);
}

static int read_csv(struct run *r, size_t i, struct csvman_opts *co)
{
	struct csvman_sink sink = { { sink_record, sink_reject, sink_warn, r }, sink_header };
	struct csvman_stats st;
	int rc;

	co->spool = r->in[i].workbook ? rejects_spool(&r->rej) : NULL;
	if (r->in[i].workbook && !co->spool)
		return -1;
	co->spool_all = r->loading;	/* rows may be rejected with their track after the COPY */
	rc = csvman_read_file(r->in[i].path, r->in[i].file_no, co, &sink, &st);
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
			r->load.source = (int)r->in[i].type;
		}
		rc = r->in[i].type == REC_SRC_CSV ? read_csv(r, i, &co) : read_ddex(r, i);
	}
	csvman_map_release(&map);
	return rc;
}

/* ------------------------------------------------- reading as we walk */

/*
 * check without a database reads the inputs as the walk finds them, so a
 * library is never held whole: an audio file is forgotten once its tags
 * reached the sink, and only sheets and messages (few, and reported at
 * the end) are kept in r->in.  The scan asks for audio files ahead of the
 * sink, so what the walk says waits for the input it came before and is
 * said when that input's reading starts: stderr is the same whatever
 * --jobs.
 */
struct stream_note {
	int file_no;		/* said when this input starts (INT_MAX: at the end) */
	char *text;		/* the walk's notes (walk.h) */
	size_t len;
};

struct stream_file {
	int file_no;
	unsigned long long size;
};

struct stream {
	struct walk walk;
	struct csvman_opts co;		/* the walk's, to probe .txt files */
	struct input ahead;		/* the next input found, not taken yet */
	int have_ahead;
	int done, failed;		/* the walk is over; it could not go on */
	int next_no;			/* the next input's number */
	struct stream_note *notes;	/* the walk's notes, for inputs not started */
	size_t nnotes, notes_head;
	struct stream_file *queued;	/* audio files given to the scan, not started */
	size_t nqueued, queued_head, queued_alloc;
	struct buf path;		/* the path given to the scan last */
	unsigned long long started_bytes;	/* the size of the inputs started */
	unsigned long long walked_bytes;	/* ... of the inputs found */
};

static int stream_number(struct run *r)
{
	return r->stream->next_no++;
}

static int stream_walking(const struct run *r)
{
	return r->stream && !r->stream->done;
}

static int stream_finds(struct run *r, const char *real)
{
	return walk_finds_audio(&r->stream->walk, real);
}

/* The walk's notes so far go before input file_no. */
static void stash_notes(struct stream *s, int file_no)
{
	struct stream_note *n;

	if (!s->walk.notes.len)
		return;
	s->notes = xrealloc(s->notes, (s->nnotes + 1) * sizeof(*s->notes));
	n = &s->notes[s->nnotes++];
	n->file_no = file_no;
	n->text = buf_detach(&s->walk.notes, &n->len);
}

/* Input file_no starts: what the walk said before it, and where progress is. */
static void start_input(struct run *r, int file_no, unsigned long long size)
{
	struct stream *s = r->stream;

	for (; s->notes_head < s->nnotes && s->notes[s->notes_head].file_no <= file_no;
	     s->notes_head++) {
		walk_say(s->notes[s->notes_head].text, s->notes[s->notes_head].len);
		free(s->notes[s->notes_head].text);
	}
	r->file_base = s->started_bytes;
	s->started_bytes += size;
}

/* The next input into s->ahead: 1; 0 at the end of the walk; -1 when it failed. */
static int peek_input(struct run *r)
{
	struct stream *s = r->stream;
	int got;

	if (s->have_ahead)
		return 1;
	if (s->done)
		return s->failed ? -1 : 0;
	got = walk_next(&s->walk, &s->ahead);
	r->skipped = s->walk.skipped;
	r->total_bytes += s->walk.total_bytes - s->walked_bytes;	/* messages' files too */
	s->walked_bytes = s->walk.total_bytes;
	if (got <= 0) {
		stash_notes(s, INT_MAX);
		s->done = 1;
		s->failed = got < 0;
		return got;
	}
	s->ahead.file_no = stream_number(r);
	stash_notes(s, s->ahead.file_no);
	s->have_ahead = 1;
	r->files++;
	return 1;
}

/* The scan's source: the audio files the walk finds, up to the next other input. */
static int stream_next(void *ctx, struct scan_file *f)
{
	struct run *r = ctx;
	struct stream *s = r->stream;
	struct stream_file *q;
	int got = peek_input(r);

	if (got <= 0 || s->ahead.type != REC_SRC_TAGS)
		return got < 0 ? -1 : 0;
	if (s->queued_head && s->nqueued == s->queued_alloc) {
		/* the files started leave the queue: it holds a window of the scan's */
		memmove(s->queued, s->queued + s->queued_head,
			(s->nqueued - s->queued_head) * sizeof(*s->queued));
		s->nqueued -= s->queued_head;
		s->queued_head = 0;
	}
	if (s->nqueued == s->queued_alloc) {
		s->queued_alloc = s->queued_alloc ? 2 * s->queued_alloc : 64;
		s->queued = xrealloc(s->queued, s->queued_alloc * sizeof(*s->queued));
	}
	q = &s->queued[s->nqueued++];
	q->file_no = s->ahead.file_no;
	q->size = s->ahead.size;
	r->rows++;
	r->audio_read++;
	r->bytes += s->ahead.size;
	buf_reset(&s->path);
	buf_adds(&s->path, s->ahead.path);
	f->path = s->path.data;
	f->file_no = s->ahead.file_no;
	walk_input_release(&s->ahead);
	s->have_ahead = 0;
	return 1;
}

static void stream_begin(void *ctx, int file_no)
{
	struct run *r = ctx;
	struct stream *s = r->stream;
	const struct stream_file *q = &s->queued[s->queued_head++];

	(void)file_no;	/* the files start in the order they were given */
	start_input(r, q->file_no, q->size);
}

/* Take s->ahead (a sheet or a message) into r->in; its index there. */
static size_t keep_ahead(struct run *r)
{
	struct stream *s = r->stream;
	struct input *in;

	r->in = xrealloc(r->in, (r->nin + 1) * sizeof(*r->in));
	in = &r->in[r->nin];
	*in = s->ahead;
	s->have_ahead = 0;
	if (in->workbook)
		rejects_add_sheet(&r->rej, in->file_no, in->path);
	else
		rejects_add_file(&r->rej, in->file_no, in->path);
	return r->nin++;
}

/* Every input, as the walk finds it. */
static int read_stream(struct run *r)
{
	struct stream *s = r->stream;
	struct csvman_map map = CSVMAN_MAP_INIT;
	struct csvman_opts co;
	struct scan_source src = { stream_next, stream_begin, r };
	size_t i;
	int rc = 0, got;

	csv_opts(r, &co);
	if (r->o->map_path) {
		if (csvman_map_load(r->o->map_path, &map) < 0)
			return -1;
		co.map = &map;
	}
	while (rc == 0 && (got = peek_input(r)) > 0) {
		if (s->ahead.type == REC_SRC_TAGS) {
			rc = read_audio_from(r, &src);
			continue;
		}
		i = keep_ahead(r);
		start_input(r, r->in[i].file_no, r->in[i].size);
		rc = r->in[i].type == REC_SRC_CSV ? read_csv(r, i, &co) : read_ddex(r, i);
	}
	csvman_map_release(&map);
	start_input(r, INT_MAX, 0);	/* the notes after the last input, or all after a failure */
	if (s->failed)
		return -1;
	if (rc == 0)
		walk_summary(&s->walk);
	return rc;
}

/*
 * Start the walk; the first input is found, so that a walk that finds
 * nothing fails here as walk_collect would.  0, or -1 (said).
 */
static int stream_open(struct run *r)
{
	struct stream *s = xmalloc(sizeof(*s));
	int got;

	memset(s, 0, sizeof(*s));
	buf_init(&s->path);
	r->stream = s;
	csv_opts(r, &s->co);
	got = walk_open(&s->walk, r->o->paths, r->o->npaths, &s->co, &r->sniffer);
	r->roots = s->walk.roots;
	if (got < 0)
		return -1;
	got = peek_input(r);
	if (got > 0)
		return 0;
	start_input(r, INT_MAX, 0);
	if (got < 0)
		return -1;
	walk_summary(&s->walk);
	return diag_error(LOC_NONE, "no manifests, DDEX messages or audio files in the paths given");
}

static void stream_free(struct stream *s)
{
	size_t i;

	if (!s)
		return;
	walk_close(&s->walk);
	if (s->have_ahead)
		walk_input_release(&s->ahead);
	for (i = s->notes_head; i < s->nnotes; i++)
		free(s->notes[i].text);
	free(s->notes);
	free(s->queued);
	buf_release(&s->path);
	free(s);
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

double import_elapsed(const struct run *r)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - r->t0.tv_sec) + (double)(t.tv_nsec - r->t0.tv_nsec) / 1e9;
}

/* ------------------------------------------- ingest.run, --incremental */

/* The run's row in ingest.run (runlog.h). */
static int run_start(struct run *r, PGconn *c)
{
	return runlog_start(c, r->o, r->diffing, &r->run_id);
}

static void run_finish(struct run *r, PGconn *c, enum import_result code, const char *error)
{
	struct buf counts = BUF_INIT;

	if (!r->run_id)
		return;
	report_counts_json(r, &counts, code <= IMPORT_REJECTS);
	runlog_finish(c, r->run_id, code, r->o->exit_code(code), counts.data,
		      r->rej.dir_made ? r->rejects_dir : NULL, error);
	buf_release(&counts);
}

/* --incremental: the audio inputs unchanged since the last run (runlog.h). */
static int incr_prepare(struct run *r)
{
	struct runlog_files f;
	int rc;

	memset(&f, 0, sizeof(f));
	rc = runlog_files_compare(r->conn, r->in, r->nin, r->roots, r->o->npaths,
				  r->o->title_from_filename, &f);
	r->unchanged = f.unchanged;
	r->unchanged_rejected = f.unchanged_rejected;
	r->gone = f.gone;
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

/*
 * Are inputs [from, to) all CSV manifests, sheets or workbooks?  Their
 * rows name tracks by file name, from one source, with no takedown: into
 * an empty catalog, the child rows may go straight into its tables.
 */
static int csv_only(const struct run *r, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		if (r->in[i].type != REC_SRC_CSV)
			return 0;
	return from < to;
}

/* Add a transaction's counts to the run's. */
static void add_totals(struct run *r, const struct load_tracks *tracks)
{
	int k;

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
	r->tracks.inserted += tracks->inserted;
	r->tracks.updated += tracks->updated;
	r->tracks.unchanged += tracks->unchanged;
	r->tracks.deleted += tracks->deleted;
	r->tracks.rejected += tracks->rejected;
}

/*
 * The merge, with the counts per track and, with --diff, the diff around
 * it; then COMMIT, or for check --diff ROLLBACK.
 */
static enum import_result merge_batch(struct run *r, const char **error)
{
	struct load_tracks tracks;

	step(r, "merging into the catalog");
	if (loaddiff_count_before(&r->load, &tracks) < 0 ||
	    (r->diffing && loaddiff_before(&r->diff, &r->load) < 0) ||
	    load_merge(&r->load) < 0 || loaddiff_count_after(&r->load, &tracks) < 0)
		return IMPORT_FAILED;
	if (r->diffing) {
		step(r, "writing the diff");
		*error = "cannot write the diff";
		if (loaddiff_write(&r->diff, &r->load) < 0)
			return IMPORT_FAILED;
		*error = "database error";
	}
	if (r->o->check_only)
		load_abort(&r->load, "check only");
	else if (load_commit(&r->load) < 0)
		return IMPORT_FAILED;
	add_totals(r, &tracks);
	*error = NULL;
	return IMPORT_OK;
}

/* Inputs [from, to) in one transaction. */
static enum import_result load_batch(struct run *r, size_t from, size_t to, const char **error)
{
	load_init(&r->load, r->conn);
	if (r->diffing)
		loaddiff_begin(&r->diff);
	r->load.insert_only = r->o->insert_only;
	r->load.require_audio = r->o->require_audio;
	r->load.multi_source = multi_source(r, from, to);
	r->load.direct_ok = !r->diffing && csv_only(r, from, to);
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
	if (r->o->incremental && runlog_files_save(&r->load, r->in, from, to, r->run_id) < 0)
		return IMPORT_FAILED;
	return merge_batch(r, error);
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
		if (code == IMPORT_FAILED) {
			if (r->diffing)
				loaddiff_fail(&r->diff);
			return code;
		}
		r->committed += !r->o->check_only;
	} else {
		for (i = 0; i < r->nin; i++) {
			if (r->in[i].named)
				continue;	/* read with its message */
			code = load_batch(r, i, i + 1, error);
			if (code == IMPORT_FAILED) {
				load_abort(&r->load, *error);
				load_release(&r->load);
				if (r->diffing)
					loaddiff_fail(&r->diff);
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
	report_print(r, code <= IMPORT_REJECTS);
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

	/* check --diff: the import itself, rolled back at the end (cli.c connected) */
	if (r->diffing)
		return run_import(r, c);
	rc = c ? check_with_db(r, c) : r->stream ? read_stream(r) : read_inputs(r, 0, r->nin);
	if (rejects_close(&r->rej) < 0)
		rc = -1;
	/* a directory the walk could not read: as when walk_collect fails */
	if (r->stream && r->stream->failed)
		return IMPORT_USAGE;
	if (rc < 0)
		code = IMPORT_FAILED;
	else
		code = r->rejected_rows || r->bad_files ? IMPORT_REJECTS : IMPORT_OK;
	if (!diag_quiet)
		fprintf(stderr, "%lu rows from %zu files: %lu rejected%s%s%s\n",
			r->rows, r->files, r->rejected_rows,
			c ? "" : " (row checks only, no database)",
			r->rej.dir_made ? ", see " : "", r->rej.dir_made ? r->rejects_dir : "");
	if (!diag_quiet)
		report_sheets(r);
	return code;
}

/*
 * --diff: the output (check: stdout; import: FILE, created 0600 like the
 * report) and its format: text on a terminal, else JSONL, unless
 * --diff-format says; colour on a terminal unless NO_COLOR is set.
 */
static int diff_open(struct run *r)
{
	const struct import_opts *o = r->o;
	const char *no_color = getenv("NO_COLOR");
	int fd = STDOUT_FILENO, text, tty;

	if (!o->diff)
		return 0;
	if (o->diff_path && strcmp(o->diff_path, "-") != 0) {
		fd = open(o->diff_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || rejects_private(fd) < 0) {
			diag_error(LOC_NONE, "cannot write the diff '%s': %s", o->diff_path,
				   strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
	}
	tty = isatty(fd);
	text = o->diff_format < 0 ? tty : o->diff_format == LOADDIFF_TEXT;
	loaddiff_init(&r->diff, fd, o->diff_path ? o->diff_path : "stdout",
		      text ? LOADDIFF_TEXT : LOADDIFF_JSONL, tty && !(no_color && *no_color));
	r->diffing = 1;
	return 0;
}

static void diff_close(struct run *r)
{
	if (!r->diffing)
		return;
	if (r->diff.fd != STDOUT_FILENO)
		close(r->diff.fd);
	loaddiff_release(&r->diff);
}

/* ---------------------------------------------------------------- phases */

struct import_job {
	struct run r;
};

static void job_free(struct import_job *job)
{
	struct run *r = &job->r;
	struct walk w;
	size_t i;

	diff_close(r);
	rejects_release(&r->rej);
	tags_reader_release(&r->sniffer);
	for (i = 0; i < r->naudio_real; i++)
		free(r->audio_real[i]);
	free(r->audio_real);
	free(r->named);
	ddex_xsd_release();
	stream_free(r->stream);
	memset(&w, 0, sizeof(w));
	w.in = r->in;
	w.nin = r->nin;
	w.roots = r->roots;
	walk_release(&w, r->o->npaths);
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
	if (o->offline ? stream_open(r) < 0 : collect(r) < 0) {
		job_free(j);
		return IMPORT_USAGE;
	}
	if (diff_open(r) < 0) {
		job_free(j);
		return IMPORT_FAILED;
	}
	if (o->atomic_file && !o->check_only)
		tracks_first(r);
	for (i = 0; i < r->nin; i++) {
		/* A rejected audio file stays where it is: rejects.log names it. */
		if (r->in[i].type == REC_SRC_TAGS)
			continue;
		else if (r->in[i].workbook)
			rejects_add_sheet(&r->rej, r->in[i].file_no, r->in[i].path);
		else
			rejects_add_file(&r->rej, r->in[i].file_no, r->in[i].path);
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
	if (report_write(&job->r, res <= IMPORT_REJECTS) < 0 && res == IMPORT_OK)
		res = IMPORT_REJECTS;
	job_free(job);
	return res;
}
