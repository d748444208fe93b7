/*
 * Fuzz target: the DDEX reader.  The input is a message file, given to
 * ddex_probe and ddex_read_file through an in-memory file.  Nothing may
 * crash, leak or read out of bounds, and the contract of ddex.h holds: a
 * message that is refused (-1) delivered nothing to the sink, and a track
 * is a record or a reject, never both.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "blendcat/ddex.h"
#include "blendcat/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	unsigned long calls, tracks, rejects;
};

static int on_message(void *ctx, const struct ddex_message *m)
{
	struct seen *s = ctx;

	(void)m;
	s->calls++;
	return 0;
}

static int on_record(void *ctx, const struct rec *r, const struct rec_prov *p)
{
	struct seen *s = ctx;

	s->calls++;
	s->tracks += r->kind == REC_TRACK;
	/* Every record names its track and says where it came from. */
	if (!rec_get(r, 0) || !*rec_get(r, 0) || !p->path)
		abort();
	return 0;
}

static int on_reject(void *ctx, const struct rec_prov *p, const char *audio_filename,
		     const char *field, const char *value, const char *reason)
{
	struct seen *s = ctx;

	(void)p;
	(void)audio_filename;
	(void)field;
	(void)value;
	s->calls++;
	s->rejects++;
	if (!reason || !*reason)
		abort();
	return 0;
}

static void on_warn(void *ctx, const struct rec_prov *p, const char *field, const char *msg)
{
	(void)p;
	(void)field;
	if (!msg)
		abort();
	((struct seen *)ctx)->calls++;
}

static int on_takedown(void *ctx, const struct ddex_takedown *t, const struct rec_prov *p)
{
	(void)t;
	(void)p;
	((struct seen *)ctx)->calls++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	struct seen s = { 0, 0, 0 };
	struct ddex_sink sink = { { on_record, on_reject, on_warn, &s }, on_message, on_takedown, NULL };
	struct ddex_opts o;
	struct ddex_stats st;
	enum ddex_version v;
	enum ddex_type t;
	int rc;

	if (fd < 0) {
		fd = memfd_create("fuzz_ddex", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		diag_muted = 1;
	}
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	memset(&o, 0, sizeof(o));
	o.max_tracks = 50;		/* the limits are reached, not only the parser */
	o.max_state = 1u << 16;
	ddex_probe(path, &v, &t);
	memset(&st, 0, sizeof(st));
	rc = ddex_read_file(path, 0, &o, &sink, &st);
	if (rc < 0 && s.calls != 0)
		abort();
	if (rc == 0 && s.tracks + s.rejects > st.sound_recordings)
		abort();
	return 0;
}
