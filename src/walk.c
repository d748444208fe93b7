/*
 * walk: finding the inputs; see include/blendcat/walk.h.
 */
#include "blendcat/walk.h"
#include "blendcat/buf.h"
#include "blendcat/ddex.h"
#include "blendcat/diag.h"
#include "blendcat/workbook.h"
#include "blendcat/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

/* The walk in progress: the options it probes files with, and what it found. */
struct walker {
	struct walk *w;
	const struct csvman_opts *co;
	struct tags_reader *sniffer;
};

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
static int type_of(struct walker *r, const char *path)
{
	int type = type_in_dir(path);

	if (type >= 0 || has_ext(path, csv_exts) || has_ext(path, xml_exts))
		return type;
	if (workbook_probe(path, NULL) != WORKBOOK_NONE)
		return REC_SRC_CSV;
	if (has_ext(path, txt_exts))
		return csvman_probe(path, r->co) == 1 ? REC_SRC_CSV : -1;
	if (tags_is_audio(r->sniffer, path) == 1)
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

void walk_add(struct walk *w, const char *path, const char *abs, enum rec_source type)
{
	struct input *in;
	struct stat st;

	w->in = xrealloc(w->in, (w->nin + 1) * sizeof(*w->in));
	in = &w->in[w->nin++];
	memset(in, 0, sizeof(*in));
	in->path = xstrdup(path);
	in->abs = abs ? xstrdup(abs) : NULL;
	in->type = type;
	in->workbook = type == REC_SRC_CSV && workbook_is(path);
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		in->size = (unsigned long long)st.st_size;
		in->mtime_ns = ns(&st.st_mtim);
		in->ctime_ns = ns(&st.st_ctim);
		w->total_bytes += (unsigned long long)st.st_size;
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
static void hidden(struct walker *r, const char *dir, const char *name)
{
	struct buf p = BUF_INIT;
	struct stat st;

	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return;
	buf_addf(&p, "%s/%s", dir, name);
	if (lstat(p.data, &st) == 0 && S_ISREG(st.st_mode))
		r->w->skipped++;
	buf_release(&p);
}

/*
 * Every input below dir (absdir: its absolute form, or NULL), in name
 * order (so delivery batches in time order); directories by symlink are
 * not followed, so no loop either.
 */
static int walk(struct walker *r, const char *dir, const char *absdir, int depth)
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
				walk_add(r->w, names[i], absdir ? abs.data : NULL,
					  (enum rec_source)type);
			else if (S_ISREG(st.st_mode))
				r->w->skipped++;
		}
		free(names[i]);
	}
	free(names);
	buf_release(&abs);
	return rc;
}

/* Find the inputs; w->roots gets the absolute form of each path given. */
int walk_collect(struct walk *w, char **paths, int npaths, const struct csvman_opts *co,
		 struct tags_reader *sniffer)
{
	struct walker walker = { w, co, sniffer }, *r = &walker;
	int i;

	/* zeroed: a path that cannot be read stops the walk, and walk_release frees them all */
	r->w->roots = xcalloc((size_t)npaths, sizeof(*r->w->roots));
	for (i = 0; i < npaths; i++) {
		const char *p = paths[i];
		struct stat st;
		char *dir;
		size_t len;
		int rc = 0;

		r->w->roots[i] = realpath(p, NULL);
		if (stat(p, &st) < 0)
			return diag_error(LOC_NONE, "cannot read '%s': %s", p, strerror(errno));
		if (!S_ISDIR(st.st_mode)) {
			walk_add(r->w, p, r->w->roots[i], type_given(p));
			continue;
		}
		/* inbox/ as inbox: a batch's name is its last component, paths get no '//' */
		dir = xstrdup(p);
		for (len = strlen(dir); len > 1 && dir[len - 1] == '/'; len--)
			dir[len - 1] = '\0';
		if (is_batch_name(dir) && !batch_complete(dir))
			diag_info("batch '%s' has no BatchComplete file yet: still arriving, skipped", dir);
		else
			rc = walk(r, dir, r->w->roots[i], 0);
		free(dir);
		if (rc < 0)
			return -1;
	}
	if (r->w->skipped && !diag_quiet)
		diag_info("%lu file%s in the directories given %s not a manifest, a DDEX message or "
			  "audio, and %s skipped", r->w->skipped, r->w->skipped == 1 ? "" : "s",
			  r->w->skipped == 1 ? "is" : "are", r->w->skipped == 1 ? "was" : "were");
	if (r->w->nin == 0)
		return diag_error(LOC_NONE, "no manifests, DDEX messages or audio files in the paths given");
	return 0;
}

void walk_release(struct walk *w, int npaths)
{
	size_t i;

	for (i = 0; i < w->nin; i++) {
		free(w->in[i].path);
		free(w->in[i].abs);
		free(w->in[i].sheet);
	}
	free(w->in);
	for (i = 0; w->roots && i < (size_t)npaths; i++)
		free(w->roots[i]);
	free(w->roots);
}
