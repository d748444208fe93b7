/*
 * tags: audio files -> catalog records, through TagLib's C API; see
 * include/blendcat/tags.h.
 *
 * What the C API reaches, and the bridge
 * --------------------------------------
 * TagLib's C API before 2.0 (Debian 12 has 1.13) gives the basic tag
 * (title, artist, album, comment, genre, year, track number) and four
 * audio properties (length in whole seconds, bitrate, sample rate,
 * channels).  It cannot reach BPM, INITIALKEY, ISRC, MOOD, COMPOSER and
 * the other credits (ID3v2 TIPL/TMCL included), CATALOGNUMBER, full dates,
 * grouping, RIFF INFO fields, or any Vorbis comment or MP4 atom outside
 * the basic seven: those are in the C++ property map, File::properties().
 * We read them with taglib_property_keys() and taglib_property_get(), the
 * C functions TagLib 2.0 added for that map; on 1.x src/taglib_bridge.cpp
 * defines the same functions over File::properties() (taglib_bridge.h),
 * so this file is the same for both.
 *
 * Still out of reach through the C API of either version, and so not used:
 * the length in milliseconds (durations are TagLib's whole seconds, which
 * it rounds down; the bridge keeps to 2.0's functions so that a file gives
 * the same duration on every TagLib), the codec and bit depth, and which
 * format class TagLib picked.  Cover art is in 2.0's complex properties
 * only; blendcat takes cover_art_url from other sources.  The property map
 * itself lacks MP4's ----:com.apple.iTunes:initialkey atom, where iTunes-
 * style taggers keep the key (TagLib maps it to no name): the bridge reads
 * it from the MP4 tag's items (bridge_mp4_freeform_get) into the INITIALKEY
 * slot, so it is normalized and reported as INITIALKEY.  Without the bridge
 * (TagLib 2.x) an M4A file's key is not read.
 *
 * Choosing the file type
 * ----------------------
 * taglib_file_new() (1.x) picks a reader by the name's extension only, and
 * taglib_file_is_valid() says yes to zero-byte, garbage, HTML-named-.mp3
 * and truncated files.  So the content decides first: libmagic's MIME type
 * must be audio (tags.h); when it names one of the formats the C API can
 * open by type and the extension says otherwise, taglib_file_new_type()
 * opens it by content.  Then "length 0 and sample rate 0" is a file TagLib
 * could not find audio in.
 *
 * TagLib's strings
 * ----------------
 * The basic tag's getters (taglib_tag_title() ...) return malloc'd
 * strings that libtag_c by default also appends to one process-global
 * list, freed all at once by taglib_tag_free_strings().  That list has no
 * lock: threads appending at once corrupt it, and one thread's
 * free_strings() frees strings that others are still reading.  So once per
 * process (pthread_once, before our first TagLib call) we set
 *     taglib_set_strings_unicode(1)            UTF-8, not Latin-1
 *     taglib_set_string_management_enabled(0)  no global list
 * and free each string a getter returns ourselves, with taglib_free(),
 * right after copying it.  taglib_tag_free_strings() is never called.  The
 * property-map arrays never enter that list; taglib_property_free()
 * frees them, also at once.  Nothing TagLib returns outlives the call that
 * read it, and no TagLib object is shared between files, so readers in
 * different threads, each with its own struct tags_reader (libmagic
 * cookies are not thread-safe either), can read files in parallel.  Both
 * settings are process-global: nothing else in blendcat may change them.
 */
#include "blendcat/tags.h"
#include "blendcat/diag.h"
#include "blendcat/taglib_bridge.h"
#include "blendcat/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <magic.h>

/*
 * How much of a file libmagic looks at (its default is 7 MiB).  Audio
 * signatures sit at the start; an MP3 behind a larger ID3v2 tag may come
 * out as application/octet-stream, which TagLib then reads by its name.
 */
#define TAGS_MAGIC_BYTES ((size_t)64 * 1024)

static pthread_once_t taglib_once = PTHREAD_ONCE_INIT;

static void taglib_setup(void)
{
	taglib_set_strings_unicode(1);
	taglib_set_string_management_enabled(0);
}

/* ------------------------------------------------------------- tables */

/*
 * Property-map names of the slots, in enum tags_slot order.  Not WORK:
 * TagLib gives ID3v2 TIT1 that name (iTunes 12.5 and later keep the
 * classical work there), although older iTunes wrote its grouping to TIT1;
 * GROUPING is GRP1, (c)grp and the Vorbis field.
 */
static const char *const slot_names[TAGS_NSLOTS] = {
	"TITLE", "ARTIST", "ARTISTS", "GENRE", "RELEASEDATE", "DATE",
	"BPM", "INITIALKEY", "ISRC", "MOOD", "COMMENT", "CATALOGNUMBER",
	"LABELNO", "LABELID", "GROUPING", "KEYWORDS", "KEY", "CATALOG #"
};

/* Properties that MP4 files keep in freeform atoms TagLib's map lacks. */
static const struct {
	const char *prop, *atom;
} mp4_atoms[] = {
	{ "INITIALKEY", "initialkey" },
	{ "KEY", "KEY" },
};

const char *tags_mp4_atom(const char *prop)
{
	size_t i;

	for (i = 0; i < sizeof(mp4_atoms) / sizeof(mp4_atoms[0]); i++)
		if (strcmp(prop, mp4_atoms[i].prop) == 0)
			return mp4_atoms[i].atom;
	return NULL;
}

/* Where a track field comes from. */
struct field_src {
	int field;			/* TF_* */
	const char *sep;		/* join every value with it; NULL: the first only */
	const char *none;		/* a value that means "unknown", or NULL */
	int all;			/* take every slot below, not the first given */
	size_t nslots;
	enum tags_slot slots[4];
};

static const struct field_src field_srcs[] = {
	{ TF_TITLE, NULL, NULL, 0, 1, { TAGS_TITLE } },
	{ TF_ARTIST, " / ", NULL, 0, 2, { TAGS_ARTIST, TAGS_ARTISTS } },
	{ TF_RELEASE_DATE, NULL, NULL, 0, 2, { TAGS_RELEASEDATE, TAGS_DATE } },
	/* iTunes writes BPM 0 for "not set"; ID3 calls a key of "o" off key. */
	{ TF_TEMPO, NULL, "0", 0, 1, { TAGS_BPM } },
	/* KEY: what some DJ software writes (ID3v2 TXXX:KEY, a Vorbis field) */
	{ TF_MUSICAL_KEY, NULL, "o", 0, 2, { TAGS_KEY, TAGS_KEY2 } },
	{ TF_ISRC, NULL, NULL, 0, 1, { TAGS_ISRC } },
	{ TF_MOOD, ";", NULL, 0, 1, { TAGS_MOOD } },
	{ TF_DESCRIPTION, "\n", NULL, 0, 1, { TAGS_COMMENT } },
	/* "CATALOG #": ID3v2 TXXX:CATALOG # as some taggers write it */
	{ TF_CATALOG_NUMBER, NULL, NULL, 0, 4,
	  { TAGS_CATALOG, TAGS_LABELNO, TAGS_LABELID, TAGS_CATALOG2 } },
	{ TF_TAGS, ";", NULL, 1, 2, { TAGS_GROUPING, TAGS_KEYWORDS } },
};

/*
 * Credits and the role text given to norm_role.  TagLib names ID3v2 TIPL
 * entries ARRANGER, ENGINEER, PRODUCER, DJMIXER, MIXER and TMCL entries
 * PERFORMER:<instrument>; TPE3 is CONDUCTOR, TPE4 REMIXER, TEXT LYRICIST.
 * A DJ mix is a DJ's performance (normalize.c: DJ -> performer).
 */
static const struct {
	const char *key;
	const char *role;
} credits[] = {
	{ "COMPOSER", "composer" },
	{ "LYRICIST", "lyricist" },
	{ "WRITER", "writer" },
	{ "ARRANGER", "arranger" },
	{ "PRODUCER", "producer" },
	{ "ENGINEER", "engineer" },
	{ "MIXER", "mixer" },
	{ "DJMIXER", "dj" },
	{ "REMIXER", "remixer" },
	{ "CONDUCTOR", "conductor" },
	{ "PERFORMER", "performer" },
};

static const char *credit_role(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(credits) / sizeof(credits[0]); i++)
		if (strcmp(key, credits[i].key) == 0)
			return credits[i].role;
	if (strncmp(key, "PERFORMER:", 10) == 0)
		return "performer";
	return NULL;
}

/* Containers that carry audio besides the audio/ types. */
static const char *const containers[] = {
	"video/mp4", "video/quicktime", "video/3gpp", "video/3gpp2", "video/x-ms-asf",
	"application/ogg", "video/ogg", "video/x-matroska", "video/webm",
};

enum content { CONTENT_AUDIO, CONTENT_UNKNOWN, CONTENT_OTHER };

static enum content content_of(const char *mime)
{
	size_t i;

	if (strncmp(mime, "audio/", 6) == 0)
		return CONTENT_AUDIO;
	if (strcmp(mime, "application/octet-stream") == 0)
		return CONTENT_UNKNOWN;
	for (i = 0; i < sizeof(containers) / sizeof(containers[0]); i++)
		if (strcmp(mime, containers[i]) == 0)
			return CONTENT_AUDIO;
	return CONTENT_OTHER;
}

/*
 * The formats taglib_file_new_type() opens (the ten of TagLib 1.x), by
 * the MIME type libmagic gives them and by the extensions TagLib's
 * FileRef gives them.  Ogg is told apart by ogg_type(): libmagic says
 * audio/ogg for Vorbis, Opus, Speex and FLAC alike.
 */
static const struct {
	const char *mime;
	TagLib_File_Type type;
} mime_types[] = {
	{ "audio/mpeg", TagLib_File_MPEG },
	{ "audio/flac", TagLib_File_FLAC },
	{ "audio/x-flac", TagLib_File_FLAC },
	{ "audio/mp4", TagLib_File_MP4 },
	{ "audio/x-m4a", TagLib_File_MP4 },
	{ "video/mp4", TagLib_File_MP4 },
	{ "video/quicktime", TagLib_File_MP4 },
	{ "video/3gpp", TagLib_File_MP4 },
	{ "video/3gpp2", TagLib_File_MP4 },
	{ "video/x-ms-asf", TagLib_File_ASF },
	{ "audio/x-ms-wma", TagLib_File_ASF },
	{ "audio/x-musepack", TagLib_File_MPC },
};

static const struct {
	const char *ext;
	TagLib_File_Type type;
} ext_types[] = {
	{ "mp3", TagLib_File_MPEG }, { "mp2", TagLib_File_MPEG },
	{ "flac", TagLib_File_FLAC },
	{ "m4a", TagLib_File_MP4 }, { "m4b", TagLib_File_MP4 }, { "m4p", TagLib_File_MP4 },
	{ "m4r", TagLib_File_MP4 }, { "m4v", TagLib_File_MP4 }, { "mp4", TagLib_File_MP4 },
	{ "3g2", TagLib_File_MP4 },
	{ "wma", TagLib_File_ASF }, { "asf", TagLib_File_ASF },
	{ "mpc", TagLib_File_MPC }, { "mpp", TagLib_File_MPC }, { "mp+", TagLib_File_MPC },
	{ "ogg", TagLib_File_OggVorbis }, { "spx", TagLib_File_Speex },
};

static int type_of_mime(const char *mime)
{
	size_t i;

	for (i = 0; i < sizeof(mime_types) / sizeof(mime_types[0]); i++)
		if (strcmp(mime, mime_types[i].mime) == 0)
			return (int)mime_types[i].type;
	return -1;
}

/*
 * The codec of an Ogg stream, from the first packet of its first page, as
 * a TagLib type; -2 for Opus (1.x has no type for it: TagLib goes by the
 * name), -1 for anything else.
 */
static int ogg_type(int fd)
{
	unsigned char p[128];
	ssize_t n = pread(fd, p, sizeof(p), 0);
	size_t at;

	if (n < 27 || memcmp(p, "OggS", 4) != 0)
		return -1;
	at = 27 + (size_t)p[26];
	if ((size_t)n < at + 8)
		return -1;
	if (memcmp(p + at, "\x01vorbis", 7) == 0)
		return (int)TagLib_File_OggVorbis;
	if (memcmp(p + at, "Speex   ", 8) == 0)
		return (int)TagLib_File_Speex;
	if (memcmp(p + at, "\x7f" "FLAC", 5) == 0)
		return (int)TagLib_File_OggFlac;
	return memcmp(p + at, "OpusHead", 8) == 0 ? -2 : -1;
}

static int type_of_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i;

	if (!dot)
		return -1;
	for (i = 0; i < sizeof(ext_types) / sizeof(ext_types[0]); i++)
		if (strcasecmp(dot + 1, ext_types[i].ext) == 0)
			return (int)ext_types[i].type;
	return -1;
}

/* ---------------------------------------------------------- the reader */

void tags_reader_init(struct tags_reader *t)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	rec_init(&t->track);
	for (i = 0; i < TAGS_NSLOTS; i++)
		norm_list_init(&t->slot[i]);
	norm_list_init(&t->ckeys);
	norm_list_init(&t->values);
	norm_list_init(&t->names);
	buf_init(&t->val);
	buf_init(&t->tmp);
}

void tags_reader_release(struct tags_reader *t)
{
	size_t i;

	if (t->magic)
		magic_close(t->magic);
	rec_release(&t->track);
	for (i = 0; i < t->alloc; i++)
		rec_release(&t->creators[i]);
	free(t->creators);
	for (i = 0; i < TAGS_NSLOTS; i++)
		norm_list_release(&t->slot[i]);
	norm_list_release(&t->ckeys);
	norm_list_release(&t->values);
	norm_list_release(&t->names);
	buf_release(&t->val);
	buf_release(&t->tmp);
	tags_reader_init(t);
}

/* Open libmagic on first use.  0, or -1 (reported once). */
static int magic_ready(struct tags_reader *t)
{
	size_t max = TAGS_MAGIC_BYTES;

	if (t->magic)
		return 0;
	if (t->magic_failed)
		return -1;
	t->magic_failed = 1;
	t->magic = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR | MAGIC_NO_CHECK_COMPRESS |
			      MAGIC_NO_CHECK_TAR | MAGIC_NO_CHECK_ELF | MAGIC_NO_CHECK_CDF);
	if (!t->magic)
		return diag_error(LOC_NONE, "cannot start libmagic: %s", strerror(errno));
	if (magic_load(t->magic, NULL) < 0) {
		diag_error(LOC_NONE, "cannot load libmagic's database: %s", magic_error(t->magic));
		diag_hint("it comes with libmagic1 and libmagic-mgc; see scripts/deps");
		magic_close(t->magic);
		t->magic = NULL;
		return -1;
	}
	magic_setparam(t->magic, MAGIC_PARAM_BYTES_MAX, &max);
	t->magic_failed = 0;
	return 0;
}

/* ------------------------------------------------------------ one file */

struct job {
	struct tags_reader *t;
	const struct tags_opts *o;
	const struct rec_sink *sink;
	struct rec_prov prov;
	const char *base;	/* the path's last component */
	int named;		/* the track has its audio_filename */
	int want;		/* the TagLib type the content calls for, or -1 */
	TagLib_File *tf;
	int stop;		/* a sink callback asked to stop */
};

static const char *track_name(const struct job *j)
{
	return j->named ? rec_get(&j->t->track, TF_AUDIO_FILENAME) : NULL;
}

static int reject(struct job *j, const char *field, const char *value, const char *fmt, ...)
	DIAG_PRINTF(4, 5);

/* Reject the file; returns -1. */
static int reject(struct job *j, const char *field, const char *value, const char *fmt, ...)
{
	char reason[NORM_WHY_MAX + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (j->sink->reject(j->sink->ctx, &j->prov, track_name(j), field, value, reason))
		j->stop = 1;
	return -1;
}

static void warn(struct job *j, const char *field, const char *fmt, ...) DIAG_PRINTF(3, 4);

static void warn(struct job *j, const char *field, const char *fmt, ...)
{
	char msg[NORM_WHY_MAX + 128];
	va_list ap;

	if (!j->sink->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	j->sink->warn(j->sink->ctx, &j->prov, field, msg);
}

/*
 * Field i of r from a tag's text; a value that does not normalize rejects
 * the file.  A tag that holds only space is not a source that says NULL:
 * the field is left not given.
 */
static int set_field(struct job *j, struct rec *r, int i, const char *tag, const char *raw)
{
	if (rec_set(r, i, raw, strlen(raw), &j->o->rec) < 0)
		return reject(j, tag, raw, "%s", r->why);
	if (!rec_get(r, i))
		r->given &= ~(1ul << i);	/* a null marker too: as an empty tag */
	if (r->warn[0])
		warn(j, tag, "%s", r->warn);
	return 0;
}

/* The base name as audio_filename, first: every reject names the track. */
static int take_name(struct job *j)
{
	struct rec *r = &j->t->track;
	const char *slash = strrchr(j->prov.path, '/');

	j->base = slash ? slash + 1 : j->prov.path;
	rec_reset(r, REC_TRACK);
	if (rec_set(r, TF_AUDIO_FILENAME, j->base, strlen(j->base), &j->o->rec) < 0)
		return reject(j, "audio_filename", j->base, "%s", r->why);
	if (!rec_get(r, TF_AUDIO_FILENAME))
		return reject(j, "audio_filename", j->base, "the path names no file");
	j->named = 1;
	return 0;
}

/*
 * The signatures of the formats by the name's extension: when a file's
 * first bytes are what its name says, libmagic is not asked (it would
 * cost more than TagLib's whole read); anything else goes to libmagic.
 * at is where the signature sits; an ID3v2 tag in front is skipped.
 */
static const struct {
	const char *ext;
	size_t at;
	const char *sig;
	const char *mime;
} signatures[] = {
	{ "flac", 0, "fLaC", "audio/flac" },
	{ "m4a", 4, "ftyp", "audio/x-m4a" }, { "m4b", 4, "ftyp", "audio/x-m4a" },
	{ "mp4", 4, "ftyp", "audio/mp4" },
	{ "ogg", 0, "OggS", "audio/ogg" }, { "oga", 0, "OggS", "audio/ogg" },
	{ "opus", 0, "OggS", "audio/ogg" }, { "spx", 0, "OggS", "audio/ogg" },
	{ "wav", 8, "WAVE", "audio/x-wav" },
	{ "aif", 8, "AIF", "audio/x-aiff" }, { "aiff", 8, "AIF", "audio/x-aiff" },
	{ "aifc", 8, "AIFC", "audio/x-aiff" },
	{ "wv", 0, "wvpk", "audio/x-wavpack" }, { "ape", 0, "MAC ", "audio/x-ape" },
	{ "tta", 0, "TTA1", "audio/x-tta" }, { "mpc", 0, "MPCK", "audio/x-musepack" },
};

/* The codec an Ogg file's name promises (ogg_type's values; -2: Opus). */
static int ogg_named(const char *ext)
{
	if (strcasecmp(ext, "opus") == 0)
		return -2;
	return strcasecmp(ext, "spx") == 0 ? (int)TagLib_File_Speex : (int)TagLib_File_OggVorbis;
}

/* Where the audio starts: after an ID3v2 tag (its footer included), or 0. */
static off_t after_id3v2(const unsigned char *h, ssize_t n)
{
	if (n < 10 || memcmp(h, "ID3", 3) != 0 || ((h[6] | h[7] | h[8] | h[9]) & 0x80))
		return 0;
	return 10 + ((off_t)h[6] << 21 | (off_t)h[7] << 14 | (off_t)h[8] << 7 | h[9]) +
	       (h[5] & 0x10 ? 10 : 0);
}

/* The MIME type when the content is what the name says, else NULL. */
static const char *by_signature(int fd, const char *base)
{
	const char *dot = strrchr(base, '.'), *ext = dot ? dot + 1 : "";
	unsigned char h[16];
	ssize_t n = pread(fd, h, sizeof(h), 0);
	off_t at = after_id3v2(h, n);
	size_t i;

	if (at > 0)
		n = pread(fd, h, sizeof(h), at);
	if (strcasecmp(ext, "mp3") == 0)
		return n >= 2 && h[0] == 0xff && (h[1] & 0xe0) == 0xe0 ? "audio/mpeg" : NULL;
	for (i = 0; i < sizeof(signatures) / sizeof(signatures[0]); i++) {
		size_t len = strlen(signatures[i].sig);

		if (strcasecmp(ext, signatures[i].ext) != 0 || n < (ssize_t)(signatures[i].at + len) ||
		    memcmp(h + signatures[i].at, signatures[i].sig, len) != 0)
			continue;
		if (at > 0 && strcmp(signatures[i].ext, "flac") != 0)
			return NULL;	/* ID3v2 in front: only MP3 and (stray) FLAC */
		if (strcmp(signatures[i].mime, "audio/ogg") == 0 && !at &&
		    ogg_type(fd) != ogg_named(ext) && strcasecmp(ext, "oga") != 0)
			return NULL;
		return signatures[i].mime;
	}
	return NULL;
}

/*
 * Size, MIME type and TagLib type from the content.  *mime is static or
 * libmagic's, borrowed until its next call.  0, or -1 after a reject.
 */
static int sniff(struct job *j, const char **mime)
{
	struct stat st;
	int fd = open(j->prov.path, O_RDONLY | O_CLOEXEC), rc = -1;

	if (fd < 0)
		return reject(j, NULL, NULL, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) < 0) {
		reject(j, NULL, NULL, "cannot read: %s", strerror(errno));
		goto out;
	}
	j->prov.len = (unsigned long long)st.st_size;
	if (!S_ISREG(st.st_mode)) {
		reject(j, NULL, NULL, "not a regular file");
		goto out;
	}
	if (st.st_size == 0) {
		reject(j, NULL, NULL, "empty file (0 bytes)");
		goto out;
	}
	*mime = by_signature(fd, j->base);
	if (!*mime)
		*mime = magic_descriptor(j->t->magic, fd);
	if (!*mime) {
		reject(j, NULL, NULL, "cannot read: %s", magic_error(j->t->magic));
		goto out;
	}
	j->want = type_of_mime(*mime);
	if (strcmp(*mime, "audio/ogg") == 0 || strcmp(*mime, "application/ogg") == 0)
		j->want = ogg_type(fd);
	rc = 0;
out:
	close(fd);
	return rc;
}

/* Open with TagLib, by content when the name disagrees with it. */
static int open_audio(struct job *j, const char *mime, int *length)
{
	enum content c = content_of(mime);
	int named = type_of_name(j->base);
	const TagLib_AudioProperties *ap;
	int sr;

	if (c == CONTENT_OTHER)
		return reject(j, NULL, NULL, "not an audio file (%s)", mime);
	if (j->want >= 0 && j->want != named) {
		if (named >= 0)
			warn(j, NULL, "content is %s, not what '%s' says: read by content", mime,
			     strrchr(j->base, '.'));
		j->tf = taglib_file_new_type(j->prov.path, (TagLib_File_Type)j->want);
	} else {
		j->tf = taglib_file_new(j->prov.path);
	}
	if (!j->tf && c == CONTENT_UNKNOWN)
		return reject(j, NULL, NULL, "not a known audio format (%s)", mime);
	if (!j->tf)
		return reject(j, NULL, NULL, "unsupported audio format (%s)", mime);
	if (!taglib_file_is_valid(j->tf))
		return reject(j, NULL, NULL, "cannot read audio (invalid %s data)", mime);
	ap = taglib_file_audioproperties(j->tf);
	*length = ap ? taglib_audioproperties_length(ap) : 0;
	sr = ap ? taglib_audioproperties_samplerate(ap) : 0;
	if (*length < 0 || sr < 0 || (*length == 0 && sr == 0))
		return reject(j, NULL, NULL, "cannot read audio (empty or broken file)");
	return 0;
}

static int blank(const char *s)
{
	return s[strspn(s, " \t\r\n\v\f")] == '\0';
}

/* The non-blank values of v into l; v is freed. */
static void add_values(char **v, struct norm_list *l)
{
	char **p;

	for (p = v; p && *p; p++)
		if (!blank(*p))
			norm_list_add(l, *p, strlen(*p));
	taglib_property_free(v);
}

/* A property's non-blank values, copied into l. */
static void get_values(TagLib_File *tf, const char *key, struct norm_list *l)
{
	add_values(taglib_property_get(tf, key), l);
}

/* A basic-tag string into l unless l has values; we own s (no management). */
static void from_basic(struct norm_list *l, char *s)
{
	if (!l->count && s && !blank(s))
		norm_list_add(l, s, strlen(s));
	taglib_free(s);
}

/*
 * The basic tag, for what the property map lacks: an MPEG file's map is
 * that of its first non-empty tag (ID3v2, APE, ID3v1), the basic tag
 * merges them field by field.
 */
static void basic_tag(struct job *j)
{
	struct norm_list *s = j->t->slot;
	TagLib_Tag *tag;
	unsigned year;
	char y[16];

	/*
	 * A FLAC file's tag is its Vorbis comment.  An ID3v2 or ID3v1 tag in
	 * it is a stray that FLAC players ignore; TagLib's basic tag would
	 * fall back to it.
	 */
	if (j->want == (int)TagLib_File_FLAC)
		return;
	tag = taglib_file_tag(j->tf);
	if (!tag)
		return;
	if (!s[TAGS_TITLE].count)
		from_basic(&s[TAGS_TITLE], taglib_tag_title(tag));
	if (!s[TAGS_ARTIST].count && !s[TAGS_ARTISTS].count)
		from_basic(&s[TAGS_ARTIST], taglib_tag_artist(tag));
	if (!s[TAGS_GENRE].count)
		from_basic(&s[TAGS_GENRE], taglib_tag_genre(tag));
	if (!s[TAGS_COMMENT].count)
		from_basic(&s[TAGS_COMMENT], taglib_tag_comment(tag));
	year = taglib_tag_year(tag);
	if (!s[TAGS_RELEASEDATE].count && !s[TAGS_DATE].count && year > 0) {
		snprintf(y, sizeof(y), "%u", year);
		norm_list_add(&s[TAGS_DATE], y, strlen(y));
	}
}

/* Read the property map into the slots and the names of credit tags. */
static void collect(struct job *j)
{
	struct tags_reader *t = j->t;
	char **keys = taglib_property_keys(j->tf), **k;
	size_t s;

	for (s = 0; s < TAGS_NSLOTS; s++)
		norm_list_reset(&t->slot[s]);
	norm_list_reset(&t->ckeys);
	for (k = keys; k && *k; k++) {
		for (s = 0; s < TAGS_NSLOTS && strcmp(*k, slot_names[s]) != 0; s++)
			;
		if (s < TAGS_NSLOTS)
			get_values(j->tf, *k, &t->slot[s]);
		else if (credit_role(*k))
			norm_list_add(&t->ckeys, *k, strlen(*k));
	}
	taglib_property_free(keys);
	/* An MP4 file's key atoms, which the map lacks (NULL for other files). */
	for (s = 0; s < TAGS_NSLOTS; s++)
		if (!t->slot[s].count && tags_mp4_atom(slot_names[s]))
			add_values(bridge_mp4_freeform_get(j->tf, TAGS_MP4_MEAN,
							   tags_mp4_atom(slot_names[s])),
				   &t->slot[s]);
	basic_tag(j);
}

/*
 * The text of a field from its slots into t->val, the tags it came from
 * into t->tmp ("GROUPING+KEYWORDS").  1 if there is one, else 0.
 */
static int source_text(struct tags_reader *t, const struct field_src *fs)
{
	size_t i;

	buf_reset(&t->val);
	buf_reset(&t->tmp);
	for (i = 0; i < fs->nslots; i++) {
		const struct norm_list *l = &t->slot[fs->slots[i]];
		const char *v = NULL;
		size_t n = 0;

		if (!l->count)
			continue;
		if (t->tmp.len) {
			buf_adds(&t->val, fs->sep);
			buf_addch(&t->tmp, '+');
		}
		buf_adds(&t->tmp, slot_names[fs->slots[i]]);
		while ((v = norm_list_next(l, v)) != NULL && (fs->sep || !n)) {
			if (n++)
				buf_adds(&t->val, fs->sep);
			buf_adds(&t->val, v);
		}
		if (!fs->all)
			break;
	}
	return t->tmp.len && !(fs->none && strcmp(t->val.data, fs->none) == 0);
}

/* "2004-03-05T12:00" (an ID3v2.4 timestamp) -> "2004-03-05". */
static void drop_time(struct buf *b)
{
	if (b->len > 10 && (b->data[10] == 'T' || b->data[10] == ' ') && b->data[4] == '-' &&
	    b->data[7] == '-')
		buf_setlen(b, 10);
}

/*
 * GENRE: the first value is the genre, a second one the subgenre
 * ("(17)Rock Opera" in ID3v2.3 reaches us as "Rock", "Rock Opera");
 * ID3 codes are mapped by norm_genre_id3.
 */
static int read_genre(struct job *j)
{
	struct tags_reader *t = j->t;
	const struct norm_list *l = &t->slot[TAGS_GENRE];
	const char *v = NULL;
	int f = TF_GENRE, rc;

	while ((v = norm_list_next(l, v)) != NULL) {
		buf_reset(&t->tmp);
		rc = norm_genre_id3(v, &t->tmp, t->why);
		if (rc < 0)
			return reject(j, "GENRE", v, "%s", t->why);
		if (rc == NORM_EMPTY ||
		    (f == TF_SUBGENRE && strcmp(t->tmp.data, rec_get(&t->track, TF_GENRE)) == 0))
			continue;
		if (f > TF_SUBGENRE) {
			warn(j, "GENRE", "more than two genres: '%.60s' and after ignored", v);
			break;
		}
		if (set_field(j, &t->track, f++, "GENRE", t->tmp.data) < 0)
			return -1;
	}
	return 0;
}

/* UTF-8 en and em dashes: their length, or 0. */
static size_t dash_len(const char *s)
{
	return strncmp(s, "\xe2\x80\x93", 3) == 0 || strncmp(s, "\xe2\x80\x94", 3) == 0 ? 3 : 0;
}

int tags_name_title(const char *base, struct buf *out)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	const char *dot = strrchr(base, '.'), *end = base + strlen(base), *p = base, *q;
	size_t n;

	if (dot && dot > base && end - dot > 1 && end - dot <= 9 &&
	    strspn(dot + 1, alnum) == (size_t)(end - dot - 1))
		end = dot;
	n = strspn(base, "0123456789");
	if (n >= 1 && n <= 3) {
		for (q = base + n; q < end;) {
			if (*q == ' ' || *q == '.' || *q == '-' || *q == '_')
				q++;
			else if (dash_len(q))
				q += dash_len(q);
			else
				break;
		}
		if (q > base + n && q < end)
			p = q;
	}
	buf_reset(out);
	buf_add(out, p, (size_t)(end - p));
	return blank(out->data) ? -1 : 0;
}

/*
 * --title-from-filename: a file without a title takes the one its name
 * gives, a weak field (record.h), and says so.
 */
static int title_from_name(struct job *j)
{
	struct tags_reader *t = j->t;
	struct rec *r = &t->track;

	if (tags_name_title(j->base, &t->val) < 0)
		return 0;
	if (set_field(j, r, TF_TITLE, "TITLE", t->val.data) < 0)
		return -1;
	if (!rec_get(r, TF_TITLE))
		return 0;
	r->weak |= 1ul << TF_TITLE;
	warn(j, "TITLE", "no title: '%s' taken from the file name", rec_get(r, TF_TITLE));
	return 0;
}

/* The track record: tags, then the audio length, then the row checks. */
static int read_track(struct job *j, int length)
{
	struct tags_reader *t = j->t;
	struct rec *r = &t->track;
	char s[32];
	size_t i;

	collect(j);
	for (i = 0; i < sizeof(field_srcs) / sizeof(field_srcs[0]); i++) {
		if (!source_text(t, &field_srcs[i]))
			continue;
		if (field_srcs[i].field == TF_RELEASE_DATE)
			drop_time(&t->val);
		if (set_field(j, r, field_srcs[i].field, t->tmp.data, t->val.data) < 0)
			return -1;
	}
	if (read_genre(j) < 0)
		return -1;
	if (j->o->title_from_name && !rec_get(r, TF_TITLE) && title_from_name(j) < 0)
		return -1;
	if (length > 0) {
		snprintf(s, sizeof(s), "%d", length);
		if (set_field(j, r, TF_DURATION, "length", s) < 0)
			return -1;
	} else {
		warn(j, "duration", "audio length under one second or unknown (truncated?): "
		     "no duration");
	}
	if (rec_finish(r) < 0)
		return reject(j, rec_kinds[REC_TRACK].fields[r->bad_field].name,
			      rec_get(r, r->bad_field), "%s", r->why);
	return 0;
}

/* One creator record; the same name in the same role is kept once. */
static int add_creator(struct job *j, const char *key, const char *name)
{
	struct tags_reader *t = j->t;
	struct rec *c;
	size_t i;

	if (t->ncreators == t->alloc) {
		t->alloc = t->alloc ? 2 * t->alloc : 8;
		t->creators = xrealloc(t->creators, t->alloc * sizeof(*t->creators));
		for (i = t->ncreators; i < t->alloc; i++)
			rec_init(&t->creators[i]);
	}
	c = &t->creators[t->ncreators];
	rec_reset(c, REC_CREATOR);
	rec_set_value(c, CF_AUDIO_FILENAME, track_name(j));
	if (set_field(j, c, CF_CREATOR_NAME, key, name) < 0 ||
	    set_field(j, c, CF_ROLE, key, credit_role(key)) < 0)
		return -1;
	if (rec_finish(c) < 0)
		return reject(j, key, name, "%s", c->why);
	for (i = 0; i < t->ncreators; i++)
		if (strcmp(rec_get(&t->creators[i], CF_CREATOR_NAME), rec_get(c, CF_CREATOR_NAME)) == 0 &&
		    strcmp(rec_get(&t->creators[i], CF_ROLE), rec_get(c, CF_ROLE)) == 0)
			return 0;
	t->ncreators++;
	return 0;
}

/*
 * The names in t->values: one value is split like an artist credit
 * ("A & B"); several values are already the list.
 */
static int split_names(struct job *j, const char *key)
{
	struct tags_reader *t = j->t;
	const char *v = NULL;

	norm_list_reset(&t->names);
	while ((v = norm_list_next(&t->values, v)) != NULL) {
		if (t->values.count > 1)
			norm_list_add(&t->names, v, strlen(v));
		else if (norm_artists(v, NORM_MAX_NAME, &t->names, t->why) < 0)
			return reject(j, key, v, "%s", t->why);
	}
	return 0;
}

static int read_creators(struct job *j)
{
	struct tags_reader *t = j->t;
	const char *key = NULL, *name;

	t->ncreators = 0;
	while ((key = norm_list_next(&t->ckeys, key)) != NULL) {
		norm_list_reset(&t->values);
		get_values(j->tf, key, &t->values);
		if (split_names(j, key) < 0)
			return -1;
		for (name = NULL; (name = norm_list_next(&t->names, name)) != NULL;)
			if (add_creator(j, key, name) < 0)
				return -1;
	}
	return 0;
}

static void emit(struct job *j)
{
	struct tags_reader *t = j->t;
	size_t i;

	if (j->sink->record(j->sink->ctx, &t->track, &j->prov)) {
		j->stop = 1;
		return;
	}
	for (i = 0; i < t->ncreators; i++)
		if (j->sink->record(j->sink->ctx, &t->creators[i], &j->prov)) {
			j->stop = 1;
			return;
		}
}

/* Text (a playlist, a cue sheet, notes): no control characters. */
static int is_text(const unsigned char *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((h[i] < 0x20 && h[i] != '\t' && h[i] != '\n' && h[i] != '\r') || h[i] == 0x7f)
			return 0;
	return n > 0;
}

/*
 * What the first bytes say at once: 1 audio (a signature of the table
 * above, an ID3v2 tag, an MPEG frame), 0 an image or text, -1 ask
 * libmagic.  The walk meets cover art and playlists beside every album.
 */
static int first_bytes(const unsigned char *h, size_t n)
{
	size_t i;

	if ((n >= 3 && memcmp(h, "ID3", 3) == 0) || (n >= 2 && h[0] == 0xff && (h[1] & 0xe0) == 0xe0))
		return 1;
	for (i = 0; i < sizeof(signatures) / sizeof(signatures[0]); i++)
		if (n >= signatures[i].at + strlen(signatures[i].sig) &&
		    memcmp(h + signatures[i].at, signatures[i].sig, strlen(signatures[i].sig)) == 0)
			return 1;
	if ((n >= 3 && memcmp(h, "\xff\xd8\xff", 3) == 0) || (n >= 4 && memcmp(h, "\x89PNG", 4) == 0) ||
	    (n >= 4 && memcmp(h, "GIF8", 4) == 0) || (n >= 5 && memcmp(h, "%PDF-", 5) == 0))
		return 0;
	return is_text(h, n) ? 0 : -1;
}

int tags_is_audio(struct tags_reader *t, const char *path)
{
	unsigned char h[512];
	const char *mime;
	ssize_t n = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC), kind;

	if (fd >= 0) {
		n = read(fd, h, sizeof(h));
		close(fd);
	}
	if (n < 0)
		return 0;
	kind = first_bytes(h, (size_t)n);
	if (kind >= 0)
		return kind;
	if (magic_ready(t) < 0)
		return -1;
	mime = magic_file(t->magic, path);
	return mime && content_of(mime) == CONTENT_AUDIO;
}

int tags_reader_prepare(struct tags_reader *t)
{
	pthread_once(&taglib_once, taglib_setup);
	return magic_ready(t);
}

int tags_read_file(struct tags_reader *t, const char *path, int file_no,
		   const struct tags_opts *o, const struct rec_sink *sink)
{
	struct job j;
	const char *mime = NULL;
	int length = 0;

	if (tags_reader_prepare(t) < 0)
		return -1;
	memset(&j, 0, sizeof(j));
	j.t = t;
	j.o = o;
	j.sink = sink;
	j.prov.file_no = file_no;
	j.prov.path = path;
	t->ncreators = 0;
	if (take_name(&j) == 0 && sniff(&j, &mime) == 0 && open_audio(&j, mime, &length) == 0 &&
	    read_track(&j, length) == 0 && read_creators(&j) == 0)
		emit(&j);
	if (j.tf)
		taglib_file_free(j.tf);
	return j.stop ? -1 : 0;
}
