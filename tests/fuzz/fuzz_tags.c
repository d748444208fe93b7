/*
 * Fuzz target: tag reading.  The first byte picks the file's extension
 * (TagLib and the tag reader look at the name too), the rest is the file,
 * written to a temporary directory and read with tags_read_file.  Nothing
 * may crash, leak or read out of bounds, and the contract of tags.h holds:
 * a file gives a track record (then its creators) or exactly one reject.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blendcat/diag.h"
#include "blendcat/tags.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const exts[] = {
	"mp3", "flac", "ogg", "oga", "opus", "spx", "m4a", "mp4", "wav", "aiff", "wma", "wv",
	"ape", "mpc", "tta", "aac", "bin"
};
#define NEXTS (sizeof(exts) / sizeof(exts[0]))

struct seen {
	unsigned long tracks, creators, rejects;
};

static int on_record(void *ctx, const struct rec *r, const struct rec_prov *p)
{
	struct seen *s = ctx;

	(void)p;
	if (r->kind == REC_TRACK)
		s->tracks++;
	else if (r->kind == REC_CREATOR && s->tracks == 1)
		s->creators++;
	else
		abort();	/* creators come after their track, nothing else comes */
	return 0;
}

static int on_reject(void *ctx, const struct rec_prov *p, const char *audio_filename,
		     const char *field, const char *value, const char *reason)
{
	(void)p;
	(void)audio_filename;
	(void)field;
	(void)value;
	if (!reason || !*reason)
		abort();
	((struct seen *)ctx)->rejects++;
	return 0;
}

static char dir[] = "/tmp/fuzz_tags_XXXXXX";
static char paths[NEXTS][64];

static void cleanup(void)
{
	size_t i;

	for (i = 0; i < NEXTS; i++)
		unlink(paths[i]);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tags_reader t;
	static int ready;
	struct seen s = { 0, 0, 0 };
	struct rec_sink sink = { on_record, on_reject, NULL, &s };
	struct tags_opts o;
	const char *path;
	FILE *fp;

	if (size < 1)
		return 0;
	if (!ready) {
		size_t i;

		if (!mkdtemp(dir))
			abort();
		for (i = 0; i < NEXTS; i++)
			snprintf(paths[i], sizeof(paths[i]), "%s/in.%s", dir, exts[i]);
		atexit(cleanup);
		tags_reader_init(&t);
		diag_muted = 1;
		ready = 1;
	}
	path = paths[data[0] % NEXTS];
	if (!(fp = fopen(path, "wb")) || fwrite(data + 1, 1, size - 1, fp) != size - 1 ||
	    fclose(fp) != 0)
		abort();
	memset(&o, 0, sizeof(o));
	if (tags_read_file(&t, path, 0, &o, &sink) != 0)
		abort();
	if (s.tracks + s.rejects != 1)
		abort();
	unlink(path);
	return 0;
}
