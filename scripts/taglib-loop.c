/*
 * taglib-loop: the plain TagLib loop that scripts/bench-tags measures
 * blendcat's tag scan against (the limit): walk the directories given, and
 * for every regular file with an audio name open it with taglib_file_new
 * and read what blendcat reads (the basic tag, the audio properties, every
 * value of the property map), doing nothing with it: no content check, no
 * normalization, no records.
 *
 *   taglib-loop [-j N] DIR...     prints "FILES files, VALID valid"
 *
 * -j N: N threads, each taking every N-th file.  String management is off
 * and every string is freed at once, as in src/tags.c.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "blendcat/taglib_bridge.h"

static char **paths;
static size_t npaths, cap;
static int jobs = 1;

static const char *const exts[] = {
	"mp3", "flac", "ogg", "oga", "opus", "spx", "m4a", "m4b", "mp4", "aac", "wav", "aif",
	"aiff", "aifc", "wma", "asf", "wv", "ape", "mpc", "tta", NULL
};

static int add(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *dot = strrchr(path, '.'), *base = path + ftw->base;
	size_t i;

	(void)st;
	if (type != FTW_F || base[0] == '.' || !dot)
		return 0;
	for (i = 0; exts[i] && strcasecmp(dot + 1, exts[i]) != 0; i++)
		;
	if (!exts[i])
		return 0;
	if (npaths == cap) {
		cap = cap ? 2 * cap : 1024;
		paths = realloc(paths, cap * sizeof(*paths));
		if (!paths)
			abort();
	}
	paths[npaths++] = strdup(path);
	return 0;
}

static void take(char *s, size_t *sum)
{
	if (s) {
		*sum += strlen(s);
		taglib_free(s);
	}
}

/* One file; 1 when TagLib calls it valid. */
static int read_one(const char *path, size_t *sum)
{
	TagLib_File *f = taglib_file_new(path);
	const TagLib_AudioProperties *ap;
	TagLib_Tag *tag;
	char **keys, **k, **v, **p;
	int ok = 0;

	if (!f)
		return 0;
	if (taglib_file_is_valid(f)) {
		ok = 1;
		ap = taglib_file_audioproperties(f);
		if (ap)
			*sum += (size_t)taglib_audioproperties_length(ap) +
				(size_t)taglib_audioproperties_samplerate(ap);
		tag = taglib_file_tag(f);
		if (tag) {
			take(taglib_tag_title(tag), sum);
			take(taglib_tag_artist(tag), sum);
			take(taglib_tag_genre(tag), sum);
			take(taglib_tag_comment(tag), sum);
			*sum += taglib_tag_year(tag);
		}
		keys = taglib_property_keys(f);
		for (k = keys; k && *k; k++) {
			v = taglib_property_get(f, *k);
			for (p = v; p && *p; p++)
				*sum += strlen(*p);
			taglib_property_free(v);
		}
		taglib_property_free(keys);
	}
	taglib_file_free(f);
	return ok;
}

struct part {
	int k;
	size_t valid, sum;
};

static void *work(void *arg)
{
	struct part *w = arg;
	size_t i;

	for (i = (size_t)w->k; i < npaths; i += (size_t)jobs)
		w->valid += (size_t)read_one(paths[i], &w->sum);
	return NULL;
}

int main(int argc, char **argv)
{
	struct part part[64];
	pthread_t th[64];
	size_t valid = 0, i;
	int a = 1, k;

	if (argc > 2 && strcmp(argv[1], "-j") == 0) {
		jobs = atoi(argv[2]);
		a = 3;
	}
	if (jobs < 1 || jobs > 64 || a >= argc) {
		fprintf(stderr, "usage: taglib-loop [-j N] DIR...\n");
		return 2;
	}
	for (; a < argc; a++)
		if (nftw(argv[a], add, 32, FTW_PHYS) != 0) {
			perror(argv[a]);
			return 1;
		}
	taglib_set_strings_unicode(1);
	taglib_set_string_management_enabled(0);
	for (k = 0; k < jobs; k++) {
		memset(&part[k], 0, sizeof(part[k]));
		part[k].k = k;
		if (pthread_create(&th[k], NULL, work, &part[k]) != 0)
			return 1;
	}
	for (k = 0; k < jobs; k++) {
		pthread_join(th[k], NULL);
		valid += part[k].valid;
	}
	printf("%zu files, %zu valid\n", npaths, valid);
	for (i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	return 0;
}
