/*
 * export_tags: the catalog into the audio files' tags; see
 * include/blendcat/export_tags.h.
 */
#include "blendcat/export_tags.h"
#include "blendcat/diag.h"
#include "blendcat/taglib_bridge.h"
#include "blendcat/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Track fields written as one property (and properties the reader would prefer). */
static const struct {
	int field;
	const char *prop;
	const char *shadow[2];	/* removed when the field changes */
} simple_fields[] = {
	{ TF_TITLE, "TITLE", { NULL, NULL } },
	{ TF_ARTIST, "ARTIST", { "ARTISTS", NULL } },
	{ TF_TEMPO, "BPM", { NULL, NULL } },
	{ TF_ISRC, "ISRC", { NULL, NULL } },
	{ TF_DESCRIPTION, "COMMENT", { NULL, NULL } },
	{ TF_CATALOG_NUMBER, "CATALOGNUMBER", { "LABELNO", "LABELID" } },
	{ TF_MOOD, "MOOD", { NULL, NULL } },
	{ TF_TAGS, "GROUPING", { "KEYWORDS", NULL } },
};

/* Creator roles that have a property (the reader's credits, reversed). */
static const struct {
	const char *role, *prop;
} credit_props[] = {
	{ "composer", "COMPOSER" }, { "lyricist", "LYRICIST" }, { "songwriter", "WRITER" },
	{ "arranger", "ARRANGER" }, { "producer", "PRODUCER" }, { "engineer", "ENGINEER" },
	{ "mixer", "MIXER" }, { "remixer", "REMIXER" }, { "conductor", "CONDUCTOR" },
	{ "performer", "PERFORMER" },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* ----------------------------------------------------- the file index */

static int file_cmp(const void *a, const void *b)
{
	const struct tagsw_file *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->path, y->path);
}

/*
 * A file under the name the importer gives its track (trimmed, NFC), so
 * that a name written decomposed (macOS writes NFD) is found too.
 */
static void add_file(struct tagsw *w, const char *path, const char *name)
{
	struct tagsw_file *f;
	struct buf key = BUF_INIT;
	char why[NORM_WHY_MAX];

	if (w->nfiles == w->capfiles) {
		w->capfiles = w->capfiles ? 2 * w->capfiles : 256;
		w->files = xrealloc(w->files, w->capfiles * sizeof(*w->files));
	}
	f = &w->files[w->nfiles++];
	if (norm_text(name, strlen(name), NORM_TEXT_TRIM, 0, &key, why) == 0)
		name = key.data;
	f->name = xstrdup(name);
	buf_release(&key);
	f->path = xstrdup(path);
	f->dup = 0;
}

/* Every regular file under dir (symbolic links are not followed). */
static int walk(struct tagsw *w, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct buf p = BUF_INIT;
	struct stat st;
	int rc = 0;

	if (!d)
		return diag_error(LOC_NONE, "cannot read '%s': %s", dir, strerror(errno));
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		buf_reset(&p);
		buf_addf(&p, "%s/%s", dir, e->d_name);
		if (lstat(p.data, &st) < 0)
			rc = diag_error(LOC_NONE, "cannot read '%s': %s", p.data, strerror(errno));
		else if (S_ISDIR(st.st_mode))
			rc = walk(w, p.data);
		else if (S_ISREG(st.st_mode))
			add_file(w, p.data, e->d_name);
	}
	closedir(d);
	buf_release(&p);
	return rc;
}

static int tagsw_open(void *ctx, const char *root)
{
	struct tagsw *w = ctx;
	size_t i;

	if (walk(w, root) < 0)
		return -1;
	qsort(w->files, w->nfiles, sizeof(*w->files), file_cmp);
	for (i = 1; i < w->nfiles; i++)
		if (strcmp(w->files[i].name, w->files[i - 1].name) == 0)
			w->files[i].dup = w->files[i - 1].dup = 1;
	return 0;
}

static const struct tagsw_file *find_file(const struct tagsw *w, const char *name)
{
	size_t lo = 0, hi = w->nfiles;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(w->files[mid].name, name);

		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < w->nfiles && strcmp(w->files[lo].name, name) == 0 ? &w->files[lo] : NULL;
}

/* ------------------------------------------- what the tags mean now */

static int now_record(void *ctx, const struct rec *r, const struct rec_prov *p)
{
	struct tagsw *w = ctx;
	struct rec *to;
	size_t i;

	(void)p;
	if (r->kind == REC_TRACK) {
		to = &w->now;
	} else {
		if (w->nnow == w->capnow) {
			w->capnow = w->capnow ? 2 * w->capnow : 8;
			w->now_creators = xrealloc(w->now_creators,
						   w->capnow * sizeof(*w->now_creators));
			for (i = w->nnow; i < w->capnow; i++)
				rec_init(&w->now_creators[i]);
		}
		to = &w->now_creators[w->nnow++];
	}
	rec_reset(to, r->kind);
	for (i = 0; i < rec_kinds[r->kind].nfields; i++)
		rec_set_value(to, (int)i, rec_get(r, (int)i));
	return 0;
}

static int now_reject(void *ctx, const struct rec_prov *p, const char *af, const char *field,
		      const char *value, const char *reason)
{
	struct tagsw *w = ctx;

	(void)p;
	(void)af;
	(void)field;
	(void)value;
	(void)reason;
	w->now_ok = 0;
	return 0;
}

/*
 * Read the file as the importer does.  When its tags do not read cleanly
 * (a BPM of "fast"), nothing is known and every field is written.
 */
static void read_now(struct tagsw *w, const char *path)
{
	struct rec_sink sink = { now_record, now_reject, NULL, w };
	struct tags_opts o;

	memset(&o, 0, sizeof(o));
	w->nnow = 0;
	w->now_ok = 1;
	rec_reset(&w->now, REC_TRACK);
	diag_muted++;
	if (tags_read_file(&w->reader, path, 0, &o, &sink) < 0)
		w->now_ok = 0;
	diag_muted--;
}

/* -------------------------------------------------------------- changes */

/*
 * A property's values; in an MP4 file, those TagLib's map has no name for
 * come from their freeform atom (tags_mp4_atom), as the reader takes them.
 */
static char **prop_get(TagLib_File *tf, const char *prop)
{
	const char *atom = tags_mp4_atom(prop);
	char **v = atom ? bridge_mp4_freeform_get(tf, TAGS_MP4_MEAN, atom) : NULL;

	return v ? v : taglib_property_get(tf, prop);
}

/* Set prop to values (NULL-terminated; none removes it), in its atom in an MP4 file. */
static void prop_set(TagLib_File *tf, const char *prop, const char *const *values)
{
	const char *atom = tags_mp4_atom(prop);
	size_t i;

	if (atom && bridge_mp4_freeform_set(tf, TAGS_MP4_MEAN, atom, values) == 0)
		return;
	taglib_property_set(tf, prop, values[0]);
	for (i = 1; values[0] && values[i]; i++)
		taglib_property_set_append(tf, prop, values[i]);
}

/* The property's values as one line, for the change list. */
static void prop_text(TagLib_File *tf, const char *prop, struct buf *out)
{
	char **v = prop_get(tf, prop), **p;

	buf_reset(out);
	for (p = v; p && *p; p++)
		buf_addf(out, "%s%s", p == v ? "" : "; ", *p);
	taglib_property_free(v);
}

/* Set prop to the values (NULL-terminated; none removes it) and list the change. */
static void set_prop(struct tagsw *w, TagLib_File *tf, const char *path, const char *prop,
		     const char *const *values)
{
	size_t i;

	prop_text(tf, prop, &w->c);
	buf_reset(&w->b);
	for (i = 0; values[i]; i++)
		buf_addf(&w->b, "%s%s", i ? "; " : "", values[i]);
	if (strcmp(w->c.data, w->b.data) == 0)
		return;
	prop_set(tf, prop, values);
	/*
	 * A format without a place for the property (INITIALKEY in MP4
	 * without the bridge, with TagLib 2.x) leaves it as it was: say so,
	 * and it is no change.
	 */
	prop_text(tf, prop, &w->a);
	if (strcmp(w->a.data, w->b.data) != 0) {
		diag_warn(LOC_NONE, "%s: %s: this file's tag format cannot hold '%s'", path, prop,
			  w->b.data);
		return;
	}
	printf("%s: %s: '%s' -> '%s'\n", path, prop, w->c.data, w->b.data);
	w->changes++;
}

static void set_one(struct tagsw *w, TagLib_File *tf, const char *path, const char *prop,
		    const char *value)
{
	const char *v[2] = { value, NULL };

	set_prop(w, tf, path, prop, v);
}

/* The catalog's value of field f as the reader would give it. */
static const char *canonical(const struct rec *t, int f, struct rec *tmp)
{
	const char *v = rec_get(t, f);

	if (!v || (f != TF_MOOD && f != TF_TAGS))
		return v;
	/* Lists come ';'-joined from the database, the reader gives array text. */
	rec_reset(tmp, REC_TRACK);
	if (rec_set(tmp, f, v, strlen(v), NULL) < 0)
		return v;
	return rec_get(tmp, f);
}

static void track_fields(struct tagsw *w, TagLib_File *tf, const char *path,
			 const struct rec *t)
{
	struct rec tmp;
	size_t i, k;

	rec_init(&tmp);
	for (i = 0; i < NELEM(simple_fields); i++) {
		int f = simple_fields[i].field;

		if (w->now_ok && same(canonical(t, f, &tmp), rec_get(&w->now, f)))
			continue;
		set_one(w, tf, path, simple_fields[i].prop, rec_get(t, f));
		for (k = 0; k < 2 && simple_fields[i].shadow[k]; k++)
			set_one(w, tf, path, simple_fields[i].shadow[k], NULL);
	}
	rec_release(&tmp);
}

static void date_genre_key(struct tagsw *w, TagLib_File *tf, const char *path,
			   const struct rec *t)
{
	const char *g = rec_get(t, TF_GENRE), *key = rec_get(t, TF_MUSICAL_KEY);
	const char *genre[3] = { g, g ? rec_get(t, TF_SUBGENRE) : NULL, NULL };
	char **rd;

	if (!w->now_ok || !same(rec_get(t, TF_RELEASE_DATE), rec_get(&w->now, TF_RELEASE_DATE))) {
		set_one(w, tf, path, "DATE", rec_get(t, TF_RELEASE_DATE));
		/* The reader prefers RELEASEDATE: keep it in step when there is one. */
		if ((rd = taglib_property_get(tf, "RELEASEDATE")) != NULL)
			set_one(w, tf, path, "RELEASEDATE", rec_get(t, TF_RELEASE_DATE));
		taglib_property_free(rd);
	}
	if (!w->now_ok || !same(g, rec_get(&w->now, TF_GENRE)) ||
	    !same(rec_get(t, TF_SUBGENRE), rec_get(&w->now, TF_SUBGENRE)))
		set_prop(w, tf, path, "GENRE", genre);
	if (!w->now_ok || !same(key, rec_get(&w->now, TF_MUSICAL_KEY)) ||
	    !same(key ? rec_get(t, TF_SCALE) : NULL, rec_get(&w->now, TF_MUSICAL_KEY) ?
						       rec_get(&w->now, TF_SCALE) : NULL)) {
		char k[16];

		if (key)
			snprintf(k, sizeof(k), "%s%s", key,
				 same(rec_get(t, TF_SCALE), "minor") ? "m" : "");
		set_one(w, tf, path, "INITIALKEY", key ? k : NULL);
		/* The reader's other name for it, which would speak when INITIALKEY is gone. */
		set_one(w, tf, path, "KEY", NULL);
	}
}

/* The distinct names credited with role, in order; n of them. */
static size_t names_of(const struct rec *c, size_t nc, const char *role, const char **out)
{
	size_t i, j, n = 0;

	for (i = 0; i < nc; i++) {
		const char *name = rec_get(&c[i], CF_CREATOR_NAME);

		if (c[i].kind != REC_CREATOR || !name || !same(rec_get(&c[i], CF_ROLE), role))
			continue;
		for (j = 0; j < n && strcmp(out[j], name) != 0; j++)
			;
		if (j == n)
			out[n++] = name;
	}
	out[n] = NULL;
	return n;
}

static int same_set(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	size_t i, j;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++) {
		for (j = 0; j < nb && strcmp(a[i], b[j]) != 0; j++)
			;
		if (j == nb)
			return 0;
	}
	return 1;
}

/* Performers changed: their other credits (DJMIXER, PERFORMER:<instrument>) go. */
static void drop_performer_credits(struct tagsw *w, TagLib_File *tf, const char *path)
{
	char **keys = taglib_property_keys(tf), **k;

	for (k = keys; k && *k; k++)
		if (!strcmp(*k, "DJMIXER") || !strncmp(*k, "PERFORMER:", 10))
			set_one(w, tf, path, *k, NULL);
	taglib_property_free(keys);
}

static void creators(struct tagsw *w, TagLib_File *tf, const char *path, const struct rec *recs,
		     size_t n)
{
	const char **want = xmalloc((n + 1) * sizeof(*want));
	const char **have = xmalloc((w->nnow + 1) * sizeof(*have));
	size_t i, nw, nh;

	for (i = 0; i < NELEM(credit_props); i++) {
		nw = names_of(recs, n, credit_props[i].role, want);
		nh = names_of(w->now_creators, w->nnow, credit_props[i].role, have);
		if (w->now_ok && same_set(want, nw, have, nh))
			continue;
		set_prop(w, tf, path, credit_props[i].prop, want);
		if (!strcmp(credit_props[i].role, "performer"))
			drop_performer_credits(w, tf, path);
	}
	free(want);
	free(have);
}

/* ------------------------------------------------------------- writing */

static int tagsw_write(void *ctx, const struct rec *recs, size_t n)
{
	struct tagsw *w = ctx;
	const char *name = rec_get(&recs[0], TF_AUDIO_FILENAME);
	const struct tagsw_file *f = name ? find_file(w, name) : NULL;
	unsigned long before = w->changes;
	TagLib_File *tf;

	if (recs[0].kind != REC_TRACK || !f) {
		w->missing++;
		return 0;
	}
	if (f->dup) {
		w->failed++;
		diag_error(LOC_NONE, "%s: several files of that name under the audio root "
			   "(one is '%s'): not written", name, f->path);
		return 0;
	}
	read_now(w, f->path);
	tf = taglib_file_new(f->path);
	if (!tf || !taglib_file_is_valid(tf)) {
		w->failed++;
		diag_error(LOC_NONE, "%s: TagLib cannot open it for writing", f->path);
		if (tf)
			taglib_file_free(tf);
		return 0;
	}
	track_fields(w, tf, f->path, &recs[0]);
	date_genre_key(w, tf, f->path, &recs[0]);
	creators(w, tf, f->path, recs + 1, n - 1);
	if (w->changes == before) {
		w->unchanged++;
	} else if (w->dry_run) {
		w->changed++;
	} else if (!taglib_file_save(tf)) {
		w->failed++;
		diag_error(LOC_NONE, "%s: cannot save its tags", f->path);
	} else {
		w->changed++;
	}
	taglib_file_free(tf);
	return 0;
}

static int tagsw_close(void *ctx, int ok)
{
	struct tagsw *w = ctx;

	if (fflush(stdout) != 0)
		return diag_error(LOC_NONE, "cannot write the list of changes: %s", strerror(errno));
	if (ok && !diag_quiet)
		fprintf(stderr, "%lu files %s, %lu unchanged, %lu tracks without a file under "
			"the audio root, %lu failed\n", w->changed,
			w->dry_run ? "would change" : "changed", w->unchanged, w->missing, w->failed);
	return w->failed ? -1 : 0;
}

const struct writer_ops tags_writer_ops = {
	.open = tagsw_open, .write = tagsw_write, .close = tagsw_close
};

void tagsw_init(struct tagsw *w, int dry_run)
{
	memset(w, 0, sizeof(*w));
	w->dry_run = dry_run;
	tags_reader_init(&w->reader);
	rec_init(&w->now);
	buf_init(&w->a);
	buf_init(&w->b);
	buf_init(&w->c);
}

void tagsw_release(struct tagsw *w)
{
	size_t i;

	for (i = 0; i < w->nfiles; i++) {
		free(w->files[i].name);
		free(w->files[i].path);
	}
	free(w->files);
	for (i = 0; i < w->capnow; i++)
		rec_release(&w->now_creators[i]);
	free(w->now_creators);
	rec_release(&w->now);
	tags_reader_release(&w->reader);
	buf_release(&w->a);
	buf_release(&w->b);
	buf_release(&w->c);
}
