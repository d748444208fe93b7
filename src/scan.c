/*
 * scan: tags of many audio files in parallel; see include/blendcat/scan.h.
 *
 * Threads and TagLib
 * ------------------
 * TagLib's C API keeps one process-global list of the strings its getters
 * return (taglib_set_string_management_enabled, taglib_tag_free_strings),
 * with no lock.  Workers never touch it: tags.c turns string management
 * off once per process, before the first TagLib call (pthread_once in
 * tags_reader_prepare, which the calling thread runs for every reader
 * before any worker starts), frees every string itself right after
 * copying it and never calls taglib_tag_free_strings(); nothing else in
 * blendcat may change those settings.  Each worker then owns everything
 * it touches: its tags_reader (its TagLib_File, its libmagic cookie,
 * which is not thread-safe either, its records) and the tapes of the
 * files it claimed.  The only shared state is struct scan below, under
 * its mutex.
 *
 * Order
 * -----
 * Files are claimed in input order; file i is taped in slot i % w (w =
 * SCAN_AHEAD per worker).  A worker may claim file i only when the sink
 * has had file i - w, so its slot is free.  The calling thread waits for
 * slot i, plays it, frees it, and goes on with i + 1.
 */
#include "blendcat/scan.h"
#include "blendcat/xalloc.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ----------------------------------------------------------- the tape */

enum ev_type { EV_RECORD, EV_REJECT, EV_WARN };

/* One sink call; strings are offsets in the tape's text, -1 for NULL. */
struct ev {
	enum ev_type type;
	struct rec_prov prov;
	size_t rec;		/* EV_RECORD: index in recs */
	long s[4];		/* reject: audio_filename, field, value, reason; warn: field, msg */
};

struct tape {
	struct ev *ev;
	size_t nev, evalloc;
	struct rec *recs;
	size_t nrecs, recalloc;
	struct buf text;
	int rc;			/* tags_read_file's */
	int done;		/* under the mutex: ready for the sink */
};

static void tape_init(struct tape *t)
{
	memset(t, 0, sizeof(*t));
	buf_init(&t->text);
}

static void tape_reset(struct tape *t)
{
	t->nev = 0;
	t->nrecs = 0;
	buf_reset(&t->text);
	t->rc = 0;
}

static void tape_release(struct tape *t)
{
	size_t i;

	for (i = 0; i < t->recalloc; i++)
		rec_release(&t->recs[i]);
	free(t->recs);
	free(t->ev);
	buf_release(&t->text);
	tape_init(t);
}

static struct ev *tape_add(struct tape *t, enum ev_type type, const struct rec_prov *p)
{
	struct ev *e;

	if (t->nev == t->evalloc) {
		t->evalloc = t->evalloc ? 2 * t->evalloc : 8;
		t->ev = xrealloc(t->ev, t->evalloc * sizeof(*t->ev));
	}
	e = &t->ev[t->nev++];
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->prov = *p;
	return e;
}

static long tape_str(struct tape *t, const char *s)
{
	long at = (long)t->text.len;

	if (!s)
		return -1;
	buf_add(&t->text, s, strlen(s) + 1);
	return at;
}

static const char *tape_get(const struct tape *t, long at)
{
	return at < 0 ? NULL : t->text.data + at;
}

/* The sink of a worker: everything goes to its tape. */
static int tape_record(void *ctx, const struct rec *r, const struct rec_prov *p)
{
	struct tape *t = ctx;
	size_t i;

	if (t->nrecs == t->recalloc) {
		t->recalloc = t->recalloc ? 2 * t->recalloc : 4;
		t->recs = xrealloc(t->recs, t->recalloc * sizeof(*t->recs));
		for (i = t->nrecs; i < t->recalloc; i++)
			rec_init(&t->recs[i]);
	}
	rec_copy(&t->recs[t->nrecs], r);
	tape_add(t, EV_RECORD, p)->rec = t->nrecs++;
	return 0;
}

static int tape_reject(void *ctx, const struct rec_prov *p, const char *audio_filename,
		       const char *field, const char *value, const char *reason)
{
	struct tape *t = ctx;
	struct ev *e = tape_add(t, EV_REJECT, p);

	e->s[0] = tape_str(t, audio_filename);
	e->s[1] = tape_str(t, field);
	e->s[2] = tape_str(t, value);
	e->s[3] = tape_str(t, reason);
	return 0;
}

static void tape_warn(void *ctx, const struct rec_prov *p, const char *field, const char *msg)
{
	struct tape *t = ctx;
	struct ev *e = tape_add(t, EV_WARN, p);

	e->s[0] = tape_str(t, field);
	e->s[1] = tape_str(t, msg);
}

/* Give the sink a file's calls; -1 when it asks to stop. */
static int tape_play(const struct tape *t, const struct rec_sink *sink)
{
	size_t i;

	for (i = 0; i < t->nev; i++) {
		const struct ev *e = &t->ev[i];

		if (e->type == EV_RECORD) {
			if (sink->record(sink->ctx, &t->recs[e->rec], &e->prov))
				return -1;
		} else if (e->type == EV_REJECT) {
			if (sink->reject(sink->ctx, &e->prov, tape_get(t, e->s[0]),
					 tape_get(t, e->s[1]), tape_get(t, e->s[2]),
					 tape_get(t, e->s[3])))
				return -1;
		} else if (sink->warn) {
			sink->warn(sink->ctx, &e->prov, tape_get(t, e->s[0]), tape_get(t, e->s[1]));
		}
	}
	return t->rc;
}

/* -------------------------------------------------------- the workers */

struct scan {
	pthread_mutex_t mu;
	pthread_cond_t done;	/* a slot was filled */
	pthread_cond_t freed;	/* the sink took a slot */
	const struct scan_file *files;
	size_t n;
	size_t next;		/* the next file to claim */
	size_t out;		/* the next file for the sink */
	int stop;
	struct tape *slot;
	size_t w;
	const struct tags_opts *o;
};

struct worker {
	struct scan *s;
	struct tags_reader reader;
	pthread_t th;
};

/* Claim the next file whose slot is free; 0 when there is none left. */
static int claim(struct scan *s, size_t *i)
{
	int got;

	pthread_mutex_lock(&s->mu);
	while (!s->stop && s->next < s->n && s->next >= s->out + s->w)
		pthread_cond_wait(&s->freed, &s->mu);
	got = !s->stop && s->next < s->n;
	if (got)
		*i = s->next++;
	pthread_mutex_unlock(&s->mu);
	return got;
}

static void *work(void *arg)
{
	struct worker *wk = arg;
	struct scan *s = wk->s;
	size_t i;

	while (claim(s, &i)) {
		struct tape *t = &s->slot[i % s->w];
		struct rec_sink sink = { tape_record, tape_reject, tape_warn, t };

		t->rc = tags_read_file(&wk->reader, s->files[i].path, s->files[i].file_no, s->o,
				       &sink);
		pthread_mutex_lock(&s->mu);
		t->done = 1;
		pthread_cond_signal(&s->done);
		pthread_mutex_unlock(&s->mu);
	}
	return NULL;
}

/* The calling thread: play the slots in order. */
static int play_all(struct scan *s, const struct rec_sink *sink)
{
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < s->n; i++) {
		struct tape *t = &s->slot[i % s->w];

		pthread_mutex_lock(&s->mu);
		while (!t->done)
			pthread_cond_wait(&s->done, &s->mu);
		pthread_mutex_unlock(&s->mu);
		rc = tape_play(t, sink);
		tape_reset(t);
		pthread_mutex_lock(&s->mu);
		t->done = 0;
		s->out = i + 1;
		pthread_cond_broadcast(&s->freed);
		pthread_mutex_unlock(&s->mu);
	}
	return rc;
}

static void stop_all(struct scan *s)
{
	pthread_mutex_lock(&s->mu);
	s->stop = 1;
	pthread_cond_broadcast(&s->freed);
	pthread_mutex_unlock(&s->mu);
}

/* ---------------------------------------------------------------- API */

int scan_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > SCAN_MAX_JOBS ? SCAN_MAX_JOBS : (int)n;
}

/* One thread: no tapes, the reader talks to the sink. */
static int scan_alone(const struct scan_file *files, size_t n, const struct tags_opts *o,
		      const struct rec_sink *sink)
{
	struct tags_reader t;
	size_t i;
	int rc;

	tags_reader_init(&t);
	rc = tags_reader_prepare(&t);
	for (i = 0; rc == 0 && i < n; i++)
		rc = tags_read_file(&t, files[i].path, files[i].file_no, o, sink);
	tags_reader_release(&t);
	return rc;
}

static int start_workers(struct worker *wk, int jobs, int *started)
{
	int k, err;

	for (k = 0; k < jobs; k++)
		if (tags_reader_prepare(&wk[k].reader) < 0)
			return -1;
	for (k = 0; k < jobs; k++) {
		err = pthread_create(&wk[k].th, NULL, work, &wk[k]);
		if (err) {
			fprintf(stderr, "blendcat: error: cannot start a thread: %s\n", strerror(err));
			return -1;
		}
		(*started)++;
	}
	return 0;
}

int scan_tags(const struct scan_file *files, size_t n, int jobs, const struct tags_opts *o,
	      const struct rec_sink *sink)
{
	struct scan s;
	struct worker *wk;
	size_t i;
	int k, started = 0, rc;

	if (jobs > (int)n)
		jobs = (int)n;
	if (jobs <= 1)
		return scan_alone(files, n, o, sink);
	memset(&s, 0, sizeof(s));
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.done, NULL);
	pthread_cond_init(&s.freed, NULL);
	s.files = files;
	s.n = n;
	s.o = o;
	s.w = (size_t)jobs * SCAN_AHEAD;
	s.slot = xmalloc(s.w * sizeof(*s.slot));
	for (i = 0; i < s.w; i++)
		tape_init(&s.slot[i]);
	wk = xmalloc((size_t)jobs * sizeof(*wk));
	for (k = 0; k < jobs; k++) {
		wk[k].s = &s;
		tags_reader_init(&wk[k].reader);
	}
	rc = start_workers(wk, jobs, &started);
	if (rc == 0)
		rc = play_all(&s, sink);
	stop_all(&s);
	for (k = 0; k < started; k++)
		pthread_join(wk[k].th, NULL);
	for (k = 0; k < jobs; k++)
		tags_reader_release(&wk[k].reader);
	for (i = 0; i < s.w; i++)
		tape_release(&s.slot[i]);
	free(s.slot);
	free(wk);
	pthread_cond_destroy(&s.freed);
	pthread_cond_destroy(&s.done);
	pthread_mutex_destroy(&s.mu);
	return rc;
}
