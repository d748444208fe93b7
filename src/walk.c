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
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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
 * Could the file be XML at all: after a UTF-8 byte order mark and
 * blanks, a '<'; or another encoding (a UTF-16 byte order mark, NUL
 * bytes up front, EBCDIC's "<?xm")?  Spares the DDEX probe, a parser's
 * start, for the images and playlists beside the audio.
 */
static int may_be_xml(const char *path)
{
	unsigned char h[512];
	ssize_t n = -1;
	size_t i = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = read(fd, h, sizeof(h));
		close(fd);
	}
	if (n < 0 || (n >= 2 && ((h[0] == 0xff && h[1] == 0xfe) || (h[0] == 0xfe && h[1] == 0xff))) ||
	    memchr(h, 0, n < 4 ? (size_t)n : 4) || (n >= 4 && memcmp(h, "\x4c\x6f\xa7\x94", 4) == 0))
		return 1;	/* unreadable (the probe says why), or another encoding */
	if (n >= 3 && memcmp(h, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < (size_t)n && (h[i] == ' ' || h[i] == '\t' || h[i] == '\r' || h[i] == '\n'))
		i++;
	return i == sizeof(h) || (i < (size_t)n && h[i] == '<');
}

/*
 * The type of a file in a directory: by its name (type_in_dir), else by
 * its content: a workbook, audio, or a DDEX message by its root element,
 * under any other name (no extension, a wrong one) is read too.  -1 to
 * skip it.
 */
static int type_of(struct walk *w, const char *path)
{
	int type = type_in_dir(path);

	if (type >= 0 || has_ext(path, csv_exts) || has_ext(path, xml_exts))
		return type;
	if (workbook_probe(path, NULL) != WORKBOOK_NONE)
		return REC_SRC_CSV;
	if (has_ext(path, txt_exts))
		return csvman_probe(path, w->co) == 1 ? REC_SRC_CSV : -1;
	if (tags_is_audio(w->sniffer, path) == 1)
		return REC_SRC_TAGS;
	return may_be_xml(path) && ddex_probe(path, NULL, NULL) == 1 ? REC_SRC_DDEX : -1;
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

/*
 * Directory entries in name order, bytewise.  All of a directory's
 * entries share its path, so this is also the order of their full paths
 * as the walk has always sorted them ("dir/name"); a directory comes at
 * its own name's place, its files with it.
 */
static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static long long ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

/* *in, zeroed, for path of type; st: its stat() (NULL: stat it now). */
static void fill_input(struct input *in, const char *path, const char *abs,
		       enum rec_source type, const struct stat *st)
{
	struct stat st2;

	memset(in, 0, sizeof(*in));
	in->path = xstrdup(path);
	in->abs = abs ? xstrdup(abs) : NULL;
	in->type = type;
	in->workbook = type == REC_SRC_CSV && workbook_is(path);
	if (!st && stat(path, &st2) == 0)
		st = &st2;
	if (st && S_ISREG(st->st_mode)) {
		in->size = (unsigned long long)st->st_size;
		in->mtime_ns = ns(&st->st_mtim);
		in->ctime_ns = ns(&st->st_ctim);
	}
}

void walk_add(struct walk *w, const char *path, const char *abs, enum rec_source type)
{
	struct input *in;

	w->in = xrealloc(w->in, (w->nin + 1) * sizeof(*w->in));
	in = &w->in[w->nin++];
	fill_input(in, path, abs, type, NULL);
	w->total_bytes += in->size;
}

void walk_input_release(struct input *in)
{
	free(in->path);
	free(in->abs);
	free(in->sheet);
	memset(in, 0, sizeof(*in));
}

/* ------------------------------------------------------------ notes */

static void note(struct walk *w, char level, const char *fmt, ...) DIAG_PRINTF(3, 4);

static void note(struct walk *w, char level, const char *fmt, ...)
{
	va_list ap;

	buf_addch(&w->notes, level);
	va_start(ap, fmt);
	buf_vaddf(&w->notes, fmt, ap);
	va_end(ap);
	buf_addch(&w->notes, '\0');
}

void walk_say(const char *notes, size_t len)
{
	const char *p = notes, *end = notes + len;

	for (; p < end; p += strlen(p) + 1) {
		if (*p == 'e')
			diag_error(LOC_NONE, "%s", p + 1);
		else
			diag_info("%s", p + 1);
	}
}

void walk_summary(const struct walk *w)
{
	if (w->skipped && !diag_quiet)
		diag_info("%lu file%s in the directories given %s not a manifest, a DDEX message or "
			  "audio, and %s skipped", w->skipped, w->skipped == 1 ? "" : "s",
			  w->skipped == 1 ? "is" : "are", w->skipped == 1 ? "was" : "were");
}

/* ----------------------------------------------------------- batches */

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

/* A directory to skip: a batch still arriving (a note says so). */
static int arriving(struct walk *w, const char *dir)
{
	if (!is_batch_name(dir) || batch_complete(dir))
		return 0;
	note(w, 'i', "batch '%s' has no BatchComplete file yet: still arriving, skipped", dir);
	return 1;
}

/* -------------------------------------------------------------- walk */

/*
 * Enter dir (abs: its absolute form, or NULL): its entries, sorted.  A
 * hidden entry (".name") is not read: a hidden file (macOS "._"
 * AppleDouble files beside the audio, editor backups) is counted with
 * the skipped files; a hidden directory (.git) is not entered.  0, or -1
 * (a note) when it cannot be read.
 */
static int push_dir(struct walk *w, const char *dir, const char *abs, int depth)
{
	struct walk_dir *f = &w->dirs[w->ndirs];
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t alloc = 0;

	if (!d) {
		note(w, 'e', "cannot open directory '%s': %s", dir, strerror(errno));
		return -1;
	}
	memset(f, 0, sizeof(*f));
	while ((e = readdir(d)) != NULL) {
		struct stat st;

		if (e->d_name[0] == '.') {
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
			    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISREG(st.st_mode))
				w->skipped++;
			continue;
		}
		if (f->n == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			f->names = xrealloc(f->names, alloc * sizeof(*f->names));
		}
		f->names[f->n++] = xstrdup(e->d_name);
	}
	if (f->n)	/* an empty directory has no array to sort */
		qsort(f->names, f->n, sizeof(*f->names), by_name);
	f->d = d;
	f->path = xstrdup(dir);
	f->abs = abs ? xstrdup(abs) : NULL;
	f->depth = depth;
	w->ndirs++;
	return 0;
}

static void pop_dir(struct walk *w)
{
	struct walk_dir *f = &w->dirs[--w->ndirs];

	for (; f->next < f->n; f->next++)
		free(f->names[f->next]);
	free(f->names);
	closedir(f->d);
	free(f->path);
	free(f->abs);
	memset(f, 0, sizeof(*f));
}

/*
 * The next entry of the innermost directory: 1 an input (into *in), 0
 * nothing to give (a directory entered or skipped, a file skipped), -1
 * a directory that cannot be read.
 */
static int next_entry(struct walk *w, struct input *in)
{
	struct walk_dir *f = &w->dirs[w->ndirs - 1];
	char *name = f->names[f->next++];
	struct buf path = BUF_INIT, abs = BUF_INIT;
	struct stat st;
	int rc = 0, type;

	buf_adds(&path, f->path);
	buf_addch(&path, '/');
	buf_adds(&path, name);
	if (f->abs) {
		buf_adds(&abs, f->abs);
		buf_addch(&abs, '/');
		buf_adds(&abs, name);
	}
	/* a symbolic link is an entry of its own: to a directory, not followed */
	if (fstatat(dirfd(f->d), name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		goto out;
	if (S_ISDIR(st.st_mode)) {
		if (!arriving(w, path.data) && f->depth < WALK_MAX_DEPTH)
			rc = push_dir(w, path.data, f->abs ? abs.data : NULL, f->depth + 1);
	} else if ((S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) &&
		   (type = type_of(w, path.data)) >= 0) {
		fill_input(in, path.data, f->abs ? abs.data : NULL, (enum rec_source)type,
			   S_ISREG(st.st_mode) ? &st : NULL);
		w->total_bytes += in->size;
		rc = 1;
	} else if (S_ISREG(st.st_mode)) {
		w->skipped++;
	}
out:
	free(name);
	buf_release(&path);
	buf_release(&abs);
	return rc;
}

/* Start the next path given: 1 a file (into *in), 0 a directory entered or skipped, -1. */
static int next_root(struct walk *w, struct input *in)
{
	int i = w->next_root++;
	const char *p = w->paths[i];
	struct stat st;
	char *dir;
	size_t len;
	int rc = 0;

	if (stat(p, &st) < 0) {
		note(w, 'e', "cannot read '%s': %s", p, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		fill_input(in, p, w->roots[i], type_given(p), &st);
		w->total_bytes += in->size;
		return 1;
	}
	/* inbox/ as inbox: a batch's name is its last component, paths get no '//' */
	dir = xstrdup(p);
	for (len = strlen(dir); len > 1 && dir[len - 1] == '/'; len--)
		dir[len - 1] = '\0';
	if (!arriving(w, dir))
		rc = push_dir(w, dir, w->roots[i], 0);
	free(dir);
	return rc;
}

int walk_open(struct walk *w, char **paths, int npaths, const struct csvman_opts *co,
	      struct tags_reader *sniffer)
{
	struct stat st;
	int i;

	memset(w, 0, sizeof(*w));
	buf_init(&w->notes);
	w->paths = paths;
	w->npaths = npaths;
	w->co = co;
	w->sniffer = sniffer;
	/* zeroed: a path that cannot be read stops the walk, and walk_release frees them all */
	w->roots = xcalloc((size_t)npaths, sizeof(*w->roots));
	for (i = 0; i < npaths; i++) {
		w->roots[i] = realpath(paths[i], NULL);
		if (stat(paths[i], &st) < 0) {
			w->failed = 1;
			return diag_error(LOC_NONE, "cannot read '%s': %s", paths[i], strerror(errno));
		}
	}
	return 0;
}

int walk_next(struct walk *w, struct input *in)
{
	int rc = 0;

	while (!w->failed && rc == 0) {
		if (w->ndirs && w->dirs[w->ndirs - 1].next == w->dirs[w->ndirs - 1].n)
			pop_dir(w);
		else if (w->ndirs)
			rc = next_entry(w, in);
		else if (w->next_root < w->npaths)
			rc = next_root(w, in);
		else
			return 0;
	}
	if (rc < 0)
		w->failed = 1;
	return w->failed ? -1 : rc;
}

void walk_close(struct walk *w)
{
	while (w->ndirs)
		pop_dir(w);
	buf_release(&w->notes);
}

/*
 * real below the directory given as paths[i]: is every directory on the
 * way one the walk enters, and the file one it reads as audio?
 */
static int finds_below(struct walk *w, int i, const char *real)
{
	const char *root = w->roots[i], *rel, *slash;
	struct buf path = BUF_INIT, dir = BUF_INIT;
	size_t len = strlen(root);
	int depth = 0, ok = 0;
	struct stat st;

	if (strncmp(real, root, len) != 0 || real[len] != '/')
		return 0;
	rel = real + len + 1;
	/* the paths as walked: the directory given, without trailing slashes */
	buf_adds(&path, w->paths[i]);
	while (path.len > 1 && path.data[path.len - 1] == '/')
		buf_setlen(&path, path.len - 1);
	if (is_batch_name(path.data) && !batch_complete(path.data))
		goto out;
	buf_adds(&dir, root);
	for (; (slash = strchr(rel, '/')) != NULL; rel = slash + 1, depth++) {
		if (*rel == '.' || depth >= WALK_MAX_DEPTH)
			goto out;
		buf_addf(&path, "/%.*s", (int)(slash - rel), rel);
		buf_addf(&dir, "/%.*s", (int)(slash - rel), rel);
		if (lstat(dir.data, &st) < 0 || !S_ISDIR(st.st_mode) ||
		    (is_batch_name(path.data) && !batch_complete(path.data)))
			goto out;
	}
	buf_addf(&path, "/%s", rel);
	ok = *rel && *rel != '.' && lstat(real, &st) == 0 && S_ISREG(st.st_mode) &&
	     type_of(w, path.data) == REC_SRC_TAGS;
out:
	buf_release(&path);
	buf_release(&dir);
	return ok;
}

int walk_finds_audio(struct walk *w, const char *real)
{
	struct stat st;
	int i;

	for (i = 0; i < w->npaths; i++) {
		if (!w->roots[i] || stat(w->paths[i], &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode) ? finds_below(w, i, real) :
		    strcmp(w->roots[i], real) == 0 && type_given(w->paths[i]) == REC_SRC_TAGS)
			return 1;
	}
	return 0;
}

int walk_collect(struct walk *w, char **paths, int npaths, const struct csvman_opts *co,
		 struct tags_reader *sniffer)
{
	struct input in;
	int rc;

	if (walk_open(w, paths, npaths, co, sniffer) < 0) {
		walk_close(w);
		return -1;
	}
	while ((rc = walk_next(w, &in)) > 0) {
		w->in = xrealloc(w->in, (w->nin + 1) * sizeof(*w->in));
		w->in[w->nin++] = in;
		walk_say(w->notes.data, w->notes.len);
		buf_reset(&w->notes);
	}
	walk_say(w->notes.data, w->notes.len);
	walk_close(w);
	if (rc < 0)
		return -1;
	walk_summary(w);
	if (w->nin == 0)
		return diag_error(LOC_NONE, "no manifests, DDEX messages or audio files in the paths given");
	return 0;
}

void walk_release(struct walk *w, int npaths)
{
	size_t i;

	for (i = 0; i < w->nin; i++)
		walk_input_release(&w->in[i]);
	free(w->in);
	for (i = 0; w->roots && i < (size_t)npaths; i++)
		free(w->roots[i]);
	free(w->roots);
}
