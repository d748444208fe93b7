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
 * The calling thread asks the source for files and queues file i in slot
 * i % w (w = SCAN_AHEAD per worker), with a copy of its path, when file
 * i - w has been played, so its slot is free.  Workers claim the queued
 * files in order and tape them.  The calling thread plays the slots in
 * order, frees them and queues more.
 *
 * Hand-off
 * --------
 * The calling thread has little to do per file (a few sink calls), so it
 * must not be woken for each: 5000 files woke it 5000 times, each a
 * futex and two context switches that the workers' CPUs paid for.  It
 * sleeps until the file it must play next is taped and half the window
 * is (or all that is queued), then plays every taped file in a row and
 * refills the free slots at once; the workers meanwhile read the other
 * half.  A worker is woken only when it has nothing to claim.
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

/* A file in the window: queued, claimed by a worker, taped, played. */
struct slot {
	struct tape tape;
	struct buf path;	/* the source's path, copied */
	int file_no;
	int done;		/* under the mutex: taped, ready for the sink */
};

struct scan {
	pthread_mutex_t mu;
	pthread_cond_t work;	/* for idle workers: a file was queued, or the end */
	pthread_cond_t ready;	/* for the calling thread: what it waits for is taped */
	struct slot *slot;
	size_t w;		/* slots: files queued ahead of the sink, at most */
	size_t batch;		/* the calling thread waits for this many taped */
	/* Under the mutex: */
	size_t queued;		/* files put in slots so far */
	size_t claimed;		/* ... taken by a worker */
	size_t played;		/* ... played to the sink (their slots are free) */
	size_t taped;		/* files taped and not played yet */
	int idle;		/* workers waiting for a file */
	int waiting;		/* the calling thread waits on ready */
	int end;		/* no more files will be queued */
	int stop;
	const struct tags_opts *o;
};

struct worker {
	struct scan *s;
	struct tags_reader reader;
	pthread_t th;
};

/*
 * Under the mutex: may the calling thread play?  The next file is taped,
 * and so are half the window or everything queued.
 */
static int play_ready(const struct scan *s)
{
	return s->played < s->queued && s->slot[s->played % s->w].done &&
	       (s->taped >= s->batch || s->taped == s->queued - s->played);
}

static void *work(void *arg)
{
	struct worker *wk = arg;
	struct scan *s = wk->s;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		struct slot *sl;
		struct rec_sink sink;

		while (!s->stop && !s->end && s->claimed == s->queued) {
			s->idle++;
			pthread_cond_wait(&s->work, &s->mu);
			s->idle--;
		}
		if (s->stop || s->claimed == s->queued)
			break;
		sl = &s->slot[s->claimed++ % s->w];
		pthread_mutex_unlock(&s->mu);
		sink = (struct rec_sink){ tape_record, tape_reject, tape_warn, &sl->tape };
		sl->tape.rc = tags_read_file(&wk->reader, sl->path.data, sl->file_no, s->o, &sink);
		pthread_mutex_lock(&s->mu);
		sl->done = 1;
		s->taped++;
		if (s->waiting && play_ready(s))
			pthread_cond_signal(&s->ready);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* Put f in the next free slot, for the workers. */
static void queue_file(struct scan *s, const struct scan_file *f)
{
	struct slot *sl = &s->slot[s->queued % s->w];	/* only this thread moves queued */

	buf_reset(&sl->path);
	buf_adds(&sl->path, f->path);
	sl->file_no = f->file_no;
	pthread_mutex_lock(&s->mu);
	s->queued++;
	if (s->idle)
		pthread_cond_signal(&s->work);
	pthread_mutex_unlock(&s->mu);
}

/*
 * Fill the free slots from the source; *more becomes 0 at its end (and
 * *err -1 if it failed), which the workers are told.
 */
static void refill(struct scan *s, const struct scan_source *src, int *more, int *err)
{
	struct scan_file f;
	int got;

	while (*more && s->queued < s->played + s->w) {
		got = src->next(src->ctx, &f);
		if (got <= 0) {
			*more = 0;
			*err = got < 0 ? -1 : *err;
			break;
		}
		queue_file(s, &f);
	}
	if (!*more) {
		pthread_mutex_lock(&s->mu);
		s->end = 1;
		pthread_cond_broadcast(&s->work);
		pthread_mutex_unlock(&s->mu);
	}
}

/* Play the taped files at the head of the window, in order. */
static int play_some(struct scan *s, const struct scan_source *src, const struct rec_sink *sink)
{
	size_t n = 0, i;
	int rc = 0;

	pthread_mutex_lock(&s->mu);
	while (!play_ready(s)) {
		s->waiting = 1;
		pthread_cond_wait(&s->ready, &s->mu);
	}
	s->waiting = 0;
	while (s->played + n < s->queued && s->slot[(s->played + n) % s->w].done)
		n++;
	pthread_mutex_unlock(&s->mu);
	/* The slots of [played, played + n) are this thread's until played moves. */
	for (i = 0; i < n && rc == 0; i++) {
		struct slot *sl = &s->slot[(s->played + i) % s->w];

		if (src->begin)
			src->begin(src->ctx, sl->file_no);
		rc = tape_play(&sl->tape, sink);
		tape_reset(&sl->tape);
	}
	pthread_mutex_lock(&s->mu);
	for (i = 0; i < n; i++)
		s->slot[(s->played + i) % s->w].done = 0;
	s->played += n;
	s->taped -= n;
	pthread_mutex_unlock(&s->mu);
	return rc;
}

/* The calling thread: queue files, play their tapes in order. */
static int play_all(struct scan *s, const struct scan_source *src, const struct rec_sink *sink)
{
	int more = 1, err = 0, rc = 0;

	for (;;) {
		refill(s, src, &more, &err);
		if (s->played == s->queued)
			break;
		rc = play_some(s, src, sink);
		if (rc)
			return -1;
	}
	return err;
}

static void stop_all(struct scan *s)
{
	pthread_mutex_lock(&s->mu);
	s->stop = 1;
	pthread_cond_broadcast(&s->work);
	pthread_mutex_unlock(&s->mu);
}

/* ---------------------------------------------------------------- API */

int scan_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > SCAN_MAX_JOBS ? SCAN_MAX_JOBS : (int)n;
}

/* A source that gives the files first[0..nfirst) before src's. */
struct ahead {
	const struct scan_source *src;
	struct scan_file *first;
	size_t nfirst, given;
	int end;		/* src said 0 or -1: that, again */
};

static int ahead_next(void *ctx, struct scan_file *f)
{
	struct ahead *a = ctx;

	if (a->given < a->nfirst) {
		*f = a->first[a->given++];
		return 1;
	}
	if (a->end)
		return a->end > 0 ? 0 : -1;
	return a->src->next(a->src->ctx, f);
}

static void ahead_begin(void *ctx, int file_no)
{
	struct ahead *a = ctx;

	if (a->src->begin)
		a->src->begin(a->src->ctx, file_no);
}

/* One thread: no tapes, the reader talks to the sink. */
static int scan_alone(const struct scan_source *src, const struct tags_opts *o,
		      const struct rec_sink *sink)
{
	struct tags_reader t;
	struct scan_file f;
	int rc, got = 0;

	tags_reader_init(&t);
	rc = tags_reader_prepare(&t);
	while (rc == 0 && (got = src->next(src->ctx, &f)) > 0) {
		if (src->begin)
			src->begin(src->ctx, f.file_no);
		rc = tags_read_file(&t, f.path, f.file_no, o, sink);
	}
	tags_reader_release(&t);
	return rc < 0 || got < 0 ? -1 : 0;
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

static int scan_threads(const struct scan_source *src, int jobs, const struct tags_opts *o,
			const struct rec_sink *sink)
{
	struct scan s;
	struct worker *wk;
	size_t i;
	int k, started = 0, rc;

	memset(&s, 0, sizeof(s));
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.work, NULL);
	pthread_cond_init(&s.ready, NULL);
	s.o = o;
	s.w = (size_t)jobs * SCAN_AHEAD;
	s.batch = s.w / 2;
	s.slot = xmalloc(s.w * sizeof(*s.slot));
	for (i = 0; i < s.w; i++) {
		tape_init(&s.slot[i].tape);
		buf_init(&s.slot[i].path);
		s.slot[i].done = 0;
	}
	wk = xmalloc((size_t)jobs * sizeof(*wk));
	for (k = 0; k < jobs; k++) {
		wk[k].s = &s;
		tags_reader_init(&wk[k].reader);
	}
	rc = start_workers(wk, jobs, &started);
	if (rc == 0)
		rc = play_all(&s, src, sink);
	stop_all(&s);
	for (k = 0; k < started; k++)
		pthread_join(wk[k].th, NULL);
	for (k = 0; k < jobs; k++)
		tags_reader_release(&wk[k].reader);
	for (i = 0; i < s.w; i++) {
		tape_release(&s.slot[i].tape);
		buf_release(&s.slot[i].path);
	}
	free(s.slot);
	free(wk);
	pthread_cond_destroy(&s.ready);
	pthread_cond_destroy(&s.work);
	pthread_mutex_destroy(&s.mu);
	return rc;
}

/*
 * The first files are asked for before any thread starts: a run of fewer
 * files than jobs starts only as many workers, and one file none.
 */
int scan_tags(const struct scan_source *src, int jobs, const struct tags_opts *o,
	      const struct rec_sink *sink)
{
	struct ahead a;
	struct scan_source s2 = { ahead_next, ahead_begin, &a };
	struct buf *paths;
	size_t i;
	int got = 1, rc;

	if (jobs <= 1)
		return scan_alone(src, o, sink);
	memset(&a, 0, sizeof(a));
	a.src = src;
	a.first = xmalloc((size_t)jobs * sizeof(*a.first));
	paths = xmalloc((size_t)jobs * sizeof(*paths));
	while (a.nfirst < (size_t)jobs && (got = src->next(src->ctx, &a.first[a.nfirst])) > 0) {
		buf_init(&paths[a.nfirst]);
		buf_adds(&paths[a.nfirst], a.first[a.nfirst].path);	/* borrowed until the next call */
		a.first[a.nfirst].path = paths[a.nfirst].data;
		a.nfirst++;
	}
	if (got <= 0)
		a.end = got == 0 ? 1 : -1;
	rc = a.nfirst <= 1 ? scan_alone(&s2, o, sink) :
	     scan_threads(&s2, (int)a.nfirst, o, sink);
	for (i = 0; i < a.nfirst; i++)
		buf_release(&paths[i]);
	free(paths);
	free(a.first);
	return rc;
}
