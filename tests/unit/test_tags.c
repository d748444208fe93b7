/*
 * Unit tests for tags and the TagLib bridge: real files of
 * ../shared/corpus/audio (see its SOURCES.md), the tagged fixtures of
 * tests/data/audio (written by mutagen, see make-fixtures.sh), files made
 * broken here, bad tag values written with the bridge's
 * taglib_property_set, and readers in two threads at once.
 *
 * BLENDCAT_CORPUS overrides the corpus directory.  Without a corpus the
 * tests that read it are skipped, and counted (see corpus.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blendcat/buf.h"
#include "blendcat/tags.h"
#include "blendcat/taglib_bridge.h"

#include "corpus.h"

#define FIXTURES "tests/data/audio"

static char corpus_dir[512];
static char tmp_dir[] = "/tmp/test_tags_XXXXXX";

/* ------------------------------------------------------------ helpers */

static const char *corpus(const char *name, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", corpus_dir, name);
	return path;
}

static const char *fixture(const char *name, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", FIXTURES, name);
	return path;
}

static const char *tmp_path(const char *name, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", tmp_dir, name);
	return path;
}

/*
 * What the sink saw, one line per call:
 *   track audio_filename=a.mp3 title=T ...      (given fields, in order)
 *   creator audio_filename=a.mp3 creator_name=N role=R
 *   reject FIELD [VALUE]: REASON                (- for none)
 *   warn FIELD: MESSAGE
 */
struct seen {
	struct buf log;
	int stop_at_record;		/* return 1 from the n-th record (1-based) */
	int stop_reject;
	int nrecords;
	struct rec_prov last;
	char last_af[256];
};

static int s_record(void *ctx, const struct rec *r, const struct rec_prov *p)
{
	struct seen *s = ctx;
	size_t i;

	buf_adds(&s->log, rec_kinds[r->kind].name);
	for (i = 0; i < rec_kinds[r->kind].nfields; i++)
		if (rec_given(r, (int)i))
			buf_addf(&s->log, " %s=%s", rec_kinds[r->kind].fields[i].name,
				 rec_get(r, (int)i) ? rec_get(r, (int)i) : "NULL");
	buf_addch(&s->log, '\n');
	s->last = *p;
	return ++s->nrecords == s->stop_at_record;
}

static int s_reject(void *ctx, const struct rec_prov *p, const char *af, const char *field,
		    const char *value, const char *reason)
{
	struct seen *s = ctx;

	buf_addf(&s->log, "reject %s [%s]: %s\n", field ? field : "-", value ? value : "-",
		 reason);
	s->last = *p;
	snprintf(s->last_af, sizeof(s->last_af), "%s", af ? af : "(null)");
	return s->stop_reject;
}

static void s_warn(void *ctx, const struct rec_prov *p, const char *field, const char *msg)
{
	struct seen *s = ctx;

	(void)p;
	buf_addf(&s->log, "warn %s: %s\n", field ? field : "-", msg);
}

/* Read path with a fresh reader; the log, caller frees.  *rc if wanted. */
static char *read_log(const char *path, struct seen *s, int *rc)
{
	struct tags_reader t;
	struct tags_opts o;
	struct rec_sink sink = { s_record, s_reject, s_warn, s };
	int r;

	memset(&o, 0, sizeof(o));
	tags_reader_init(&t);
	r = tags_read_file(&t, path, 7, &o, &sink);
	tags_reader_release(&t);
	if (rc)
		*rc = r;
	return buf_detach(&s->log, NULL);
}

static char *read_simple(const char *path)
{
	struct seen s;
	int rc;
	char *log;

	memset(&s, 0, sizeof(s));
	buf_init(&s.log);
	log = read_log(path, &s, &rc);
	assert_int_equal(rc, 0);
	return log;
}

static void expect_log(const char *path, const char *want)
{
	char *got = read_simple(path);

	if (strcmp(got, want) != 0)
		fail_msg("%s:\n--- got\n%s--- want\n%s", path, got, want);
	free(got);
}

static void copy_file(const char *from, const char *to, long max)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char b[4096];
	size_t n;
	long left = max < 0 ? -1 : max;

	assert_non_null(in);
	assert_non_null(out);
	while (left != 0 && (n = fread(b, 1, left > 0 && left < (long)sizeof(b) ? (size_t)left :
				       sizeof(b), in)) > 0) {
		assert_int_equal(fwrite(b, 1, n, out), n);
		if (left > 0)
			left -= (long)n;
	}
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

/* ---------------------------------------------------------- fixtures */

#define ID3V24_TRACK \
	"track audio_filename=id3v24.mp3 title=Summer Vibes artist=John Producer " \
	"duration=3 tempo=120 musical_key=A scale=minor genre=Electronic subgenre=House " \
	"mood={uplifting,energetic} tags={synth,dance,party} " \
	"description=Uplifting house track perfect for summer videos " \
	"catalog_number=BT-2024-001 isrc=USXXX2400001 release_date=2024-01-15\n"

/* Without the bridge (TagLib 2.x's C API) an MP4 file's key atom is out of reach. */
#ifdef BLENDCAT_TAGLIB_BRIDGE
#define ITUNES_KEY " musical_key=F# scale=minor"
#else
#define ITUNES_KEY ""
#endif

/* Every field of every fixture, written by mutagen and read back. */
static void test_fixtures(void **state)
{
	static const struct {
		const char *file;
		const char *log;
	} cases[] = {
		/*
		 * ID3v2.4: multi-valued TCON -> genre + subgenre, TDRC with a
		 * time, TXXX:CATALOGNUMBER, GRP1 + TXXX:KEYWORDS -> tags, one
		 * TCOM split in two, TIPL (PRODUCER, MIX) and TMCL (guitar)
		 * credits; creators in the property map's (sorted) key order.
		 */
		{ "id3v24.mp3", ID3V24_TRACK
		  "creator audio_filename=id3v24.mp3 creator_name=Alice Writer role=composer\n"
		  "creator audio_filename=id3v24.mp3 creator_name=Bob Composer role=composer\n"
		  "creator audio_filename=id3v24.mp3 creator_name=Carol Lyricist role=lyricist\n"
		  "creator audio_filename=id3v24.mp3 creator_name=Mia Mixer role=mixer\n"
		  "creator audio_filename=id3v24.mp3 creator_name=Gary Guitar role=performer\n"
		  "creator audio_filename=id3v24.mp3 creator_name=John Producer role=producer\n" },
		/*
		 * Vorbis comments in FLAC: two ARTIST fields joined, BPM 128.4
		 * rounded, Camelot 8A, DATE 2023-06, two COMPOSER fields kept
		 * whole ("Dave & Eve" is one value of a list, not split).
		 */
		{ "vorbis.flac",
		  "track audio_filename=vorbis.flac title=Night Drive artist=Alice / Bob duration=3 "
		  "tempo=128 musical_key=A scale=minor genre=Techno mood={dark,driving} "
		  "tags={\"peak time\"} description=Late-night techno catalog_number=NDR-007 "
		  "isrc=GBAYE0601498 release_date=2023-06-01\n"
		  "creator audio_filename=vorbis.flac creator_name=Ken role=arranger\n"
		  "creator audio_filename=vorbis.flac creator_name=Dave & Eve role=composer\n"
		  "creator audio_filename=vorbis.flac creator_name=Frank role=composer\n"
		  "creator audio_filename=vorbis.flac creator_name=Judy role=conductor\n"
		  "creator audio_filename=vorbis.flac creator_name=Grace role=lyricist\n"
		  "creator audio_filename=vorbis.flac creator_name=Leo role=performer\n"
		  "creator audio_filename=vorbis.flac creator_name=Heidi role=producer\n"
		  "creator audio_filename=vorbis.flac creator_name=Ivan role=remixer\n" },
		/*
		 * iTunes atoms.  ----:com.apple.iTunes:initialkey "F#m", which
		 * TagLib (1.13 and 2.x) maps to no property, through the bridge.
		 */
		{ "itunes.m4a",
		  "track audio_filename=itunes.m4a title=Coffee Shop artist=Nina & The Beans "
		  "duration=3 tempo=95" ITUNES_KEY " genre=Acoustic mood={warm} tags={cafe} "
		  "description=Warm acoustic guitar catalog_number=CS-42 isrc=FRZ039800212 "
		  "release_date=2019-05-03\n"
		  "creator audio_filename=itunes.m4a creator_name=Nina Composer role=composer\n" },
		/*
		 * Ogg Vorbis: UTF-8 text, BPM 0 = unknown, Db -> C#, moods
		 * de-duplicated, KEYWORDS split on ',', "feat." splits a composer.
		 */
		{ "vorbis.ogg",
		  "track audio_filename=vorbis.ogg title=Caf\xc3\xa9 Rain "
		  "artist=Ana M\xc3\xbcller / Zo\xc3\xab duration=3 musical_key=C# scale=major "
		  "genre=Ambient mood={calm,dreamy} tags={piano,rain} release_date=2021-01-01\n"
		  "creator audio_filename=vorbis.ogg creator_name=Ana M\xc3\xbcller role=composer\n"
		  "creator audio_filename=vorbis.ogg creator_name=Zo\xc3\xab role=composer\n" },
		/* RIFF INFO: INAM, IART, IGNR "(26)" -> Ambient, ICRD, ICMT. */
		{ "riff-info.wav",
		  "track audio_filename=riff-info.wav title=Rain Loop artist=Field Recordist "
		  "duration=3 genre=Ambient description=Recorded on a roof release_date=2022-01-01\n" },
	};
	char path[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_log(fixture(cases[i].file, path, sizeof(path)), cases[i].log);
}

/* ------------------------------------------------------------ corpus */

static void test_corpus_files(void **state)
{
	static const struct {
		const char *file;
		const char *log;
	} cases[] = {
		/* ID3v2 with two TPE1 values; TIT1 (TagLib: WORK) is not a tag. */
		{ "silence-44-s.mp3",
		  "track audio_filename=silence-44-s.mp3 title=Silence artist=piman / jzig "
		  "duration=3 genre=Silence release_date=2004-01-01\n" },
		/* ID3v2.3 inside a WAV file, one TPE1 "piman / jzig". */
		{ "silence-2s-PCM-44100-16-ID3v23.wav",
		  "track audio_filename=silence-2s-PCM-44100-16-ID3v23.wav title=Silence "
		  "artist=piman / jzig duration=2 genre=Silence release_date=2004-01-01\n" },
		/* Vorbis comments with LABELID as the catalog number. */
		{ "flac_application.flac",
		  "track audio_filename=flac_application.flac title=I Want the World to Stop "
		  "artist=Belle and Sebastian duration=273 catalog_number=RTRADLP480 "
		  "release_date=2010-10-11\n" },
		{ "ilst-is-last.m4a",
		  "track audio_filename=ilst-is-last.m4a title=Intro artist=Pearl Jam duration=65 "
		  "release_date=1995-01-01\n" },
		{ "example.opus", "track audio_filename=example.opus duration=11\n" },
		{ "multipage-setup.ogg",
		  "track audio_filename=multipage-setup.ogg title=Burst artist=UVERworld duration=4 "
		  "genre=JRock description=SRCL-6240 release_date=2006-01-01\n" },
		/* RIFF INFO: ICMT and ICRD "2003-01-30 03:28:45 UTC". */
		{ "uint8we.wav",
		  "track audio_filename=uint8we.wav duration=2 description=kabal@CAPELLA "
		  "release_date=2003-01-01\n" },
		{ "silence-1.wma", "track audio_filename=silence-1.wma title=test duration=3\n" },
		{ "silence-44-s.wv",
		  "track audio_filename=silence-44-s.wv title=Silence artist=piman / jzig "
		  "duration=3 genre=Silence release_date=2004-01-01\n" },
		{ "tagged.tta",
		  "track audio_filename=tagged.tta title=TestTitle artist=TestArtist duration=3\n" },
		/* Ogg FLAC under a name TagLib 1.13 does not know: opened by content. */
		{ "empty.oggflac", "track audio_filename=empty.oggflac duration=3\n" },
		/* Under a second: no duration; TBPM, TCOM. */
		{ "itunes10.mp3",
		  "warn duration: audio length under one second or unknown (truncated?): no duration\n"
		  "track audio_filename=itunes10.mp3 title=iTunes10MP3 artist=Artist tempo=180 "
		  "genre=Heavy Metal description=Comments release_date=2011-01-01\n"
		  "creator audio_filename=itunes10.mp3 creator_name=Composer role=composer\n" },
		/* Rejected, with the reason. */
		{ "SOURCES.md", "reject - [-]: not an audio file (text/plain)\n" },
		{ "bad-TYER-frame.mp3",
		  "reject DATE [\xc3\xbe\xc3\xbf]: expected a date like YYYY-MM-DD, got "
		  "'\xc3\xbe\xc3\xbf'\n" },
		{ "mac-399-tagged.ape", NULL },	/* TITLE of 2048 characters: below */
		{ "compressed_id3_frame.mp3",
		  "reject - [-]: cannot read audio (empty or broken file)\n" },
		{ "too-short.mp3", "reject - [-]: cannot read audio (empty or broken file)\n" },
		{ "test.mod", "reject - [-]: cannot read audio (empty or broken file)\n" },
		{ "longloop.ape", "reject - [-]: cannot read audio (empty or broken file)\n" },
		{ "no-extension", "reject - [-]: not a known audio format (application/octet-stream)\n" },
		{ "2822400-1ch-0s-silence.dsf", "reject - [-]: unsupported audio format (audio/x-dsf)\n" },
		{ "no-tags.mka", "reject - [-]: unsupported audio format (video/x-matroska)\n" },
		/* TagLib 1.13 crashes reading this file's tag; we never ask. */
		{ "segfault.oga", "reject - [-]: cannot read audio (invalid audio/ogg data)\n" },
		{ "ooming-header.flac", "reject - [-]: cannot read audio (invalid audio/flac data)\n" },
	};
	char path[1024];
	size_t i;

	(void)state;
	CORPUS_NEEDED(corpus_dir);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		corpus(cases[i].file, path, sizeof(path));
		if (cases[i].log) {
			expect_log(path, cases[i].log);
		} else {
			char *got = read_simple(path);

			assert_non_null(strstr(got, "reject TITLE [xxxx"));
			assert_non_null(strstr(got, "]: value has 2048 characters, column allows 255\n"));
			assert_null(strstr(got, "track"));
			free(got);
		}
	}
}

/* Provenance, the audio_filename of rejects and the sink's stop. */
static void test_provenance_and_stop(void **state)
{
	struct seen s;
	struct stat st;
	char path[1024], *log;
	int rc;

	(void)state;
	fixture("id3v24.mp3", path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	memset(&s, 0, sizeof(s));
	buf_init(&s.log);
	log = read_log(path, &s, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(s.nrecords, 7);
	assert_int_equal(s.last.file_no, 7);
	assert_string_equal(s.last.path, path);
	assert_int_equal(s.last.line, 0);
	assert_int_equal(s.last.off, 0);
	assert_int_equal(s.last.len, (unsigned long long)st.st_size);
	free(log);

	/* A record callback that says stop: -1, nothing after it. */
	memset(&s, 0, sizeof(s));
	buf_init(&s.log);
	s.stop_at_record = 2;
	log = read_log(path, &s, &rc);
	assert_int_equal(rc, -1);
	assert_int_equal(s.nrecords, 2);
	free(log);

	/* A reject names the track; a reject callback that says stop: -1. */
	memset(&s, 0, sizeof(s));
	buf_init(&s.log);
	s.stop_reject = 1;
	write_file(tmp_path("NOTES.md", path, sizeof(path)), "# Notes\n\nNot audio at all.\n");
	log = read_log(path, &s, &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(s.last_af, "NOTES.md");
	assert_int_equal(s.last.len, 27);
	free(log);
}

/* -------------------------------------------------------------- broken */

static void test_broken_files(void **state)
{
	static const char html[] =
		"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
		"<body><h1>Not Found</h1></body></html>\n";
	static const struct {
		const char *name;	/* made in the temporary directory */
		const char *from;	/* fixture copied, NULL: made otherwise */
		long bytes;		/* bytes copied, -1: all */
		const char *log;
	} cases[] = {
		{ "zero.mp3", NULL, 0, "reject - [-]: empty file (0 bytes)\n" },
		{ "page.mp3", NULL, 1, "reject - [-]: not an audio file (text/html)\n" },
		{ "notes.flac", NULL, 2, "reject - [-]: not an audio file (text/plain)\n" },
		{ "dir.mp3", NULL, 3, "reject - [-]: not a regular file\n" },
		{ "missing.mp3", NULL, 4, "reject - [-]: cannot open: No such file or directory\n" },
		/* Cut inside the ID3v2 tag: no MPEG frame left. */
		{ "cut.mp3", "id3v24.mp3", 1500,
		  "reject - [-]: cannot read audio (empty or broken file)\n" },
		{ "cut.flac", "vorbis.flac", 600,
		  "reject - [-]: cannot read audio (invalid audio/flac data)\n" },
		{ "cut.m4a", "itunes.m4a", 600,
		  "reject - [-]: cannot read audio (invalid audio/x-m4a data)\n" },
		{ "cut.ogg", "vorbis.ogg", 100, "reject - [-]: cannot read audio (invalid audio/ogg data)\n" },
		{ "cut.wav", "riff-info.wav", 3000,
		  "reject - [-]: cannot read audio (empty or broken file)\n" },
		/* Cut after the Ogg headers: tags, but no length (no last page). */
		{ "cut2.ogg", "vorbis.ogg", 600,
		  "warn duration: audio length under one second or unknown (truncated?): no duration\n"
		  "track audio_filename=cut2.ogg title=Caf\xc3\xa9 Rain "
		  "artist=Ana M\xc3\xbcller / Zo\xc3\xab musical_key=C# scale=major genre=Ambient "
		  "mood={calm,dreamy} tags={piano,rain} release_date=2021-01-01\n"
		  "creator audio_filename=cut2.ogg creator_name=Ana M\xc3\xbcller role=composer\n"
		  "creator audio_filename=cut2.ogg creator_name=Zo\xc3\xab role=composer\n" },
		/* Wrong names: read by content, with a warning. */
		{ "flac-named.mp3", "vorbis.flac", -1, NULL },
		{ "mp3-named.m4a", "id3v24.mp3", -1, NULL },
	};
	char path[1024], from[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tmp_path(cases[i].name, path, sizeof(path));
		if (cases[i].from)
			copy_file(fixture(cases[i].from, from, sizeof(from)), path, cases[i].bytes);
		else if (cases[i].bytes == 0)
			write_file(path, "");
		else if (cases[i].bytes == 1)
			write_file(path, html);
		else if (cases[i].bytes == 2)
			write_file(path, "Track notes: master v3, 120 BPM, A minor.\n");
		else if (cases[i].bytes == 3)
			assert_int_equal(mkdir(path, 0755), 0);
		if (cases[i].log) {
			expect_log(path, cases[i].log);
		} else {
			char *got = read_simple(path);
			const char *ext = strrchr(cases[i].name, '.');
			char want[160];

			snprintf(want, sizeof(want), "warn -: content is %s, not what '%s' says: read by content\n",
				 strcmp(cases[i].from, "vorbis.flac") == 0 ? "audio/flac" : "audio/mpeg", ext);
			if (strncmp(got, want, strlen(want)) != 0)
				fail_msg("%s: got\n%s", cases[i].name, got);
			assert_non_null(strstr(got, "track audio_filename="));
			assert_non_null(strstr(got, " duration=3 "));
			free(got);
		}
	}
}

/* ------------------------------------------------------- tag values */

/*
 * One tag written into a copy of vorbis.flac with the bridge's
 * taglib_property_set (replacing the fixture's value), then the file read:
 * each value rejects the file with its reason, or sets the field.
 */
static void test_tag_values(void **state)
{
	static const struct {
		const char *key;
		const char *value;
		const char *want;	/* a line of the log, or a " field=value" */
	} cases[] = {
		{ "BPM", "fast", "reject BPM [fast]: tempo is not a number: 'fast'\n" },
		{ "BPM", "0", "!tempo=" },
		{ "BPM", "119.5", " tempo=120 " },
		{ "INITIALKEY", "H#", "reject INITIALKEY [H#]: unknown key 'H#'\n" },
		{ "INITIALKEY", "o", "!musical_key=" },
		{ "INITIALKEY", "1d", " musical_key=C scale=major " },
		{ "INITIALKEY", "Bb minor", " musical_key=A# scale=minor " },
		{ "ISRC", "XX-123", "reject ISRC [XX-123]: expected 12 characters, got 5\n" },
		{ "ISRC", "isrc us-rc1-76-07839", " isrc=USRC17607839 " },
		{ "DATE", "2023-02-29", "reject DATE [2023-02-29]: day 29 does not exist in 2023-02\n" },
		{ "DATE", "2024-03-05T10:00:00", " release_date=2024-03-05\n" },
		{ "DATE", "2024", " release_date=2024-01-01\n" },
		{ "RELEASEDATE", "2020-12-24", " release_date=2020-12-24\n" },
		{ "TITLE", "bad\x01title", "reject TITLE [bad\x01title]: control character U+0001 at byte 4\n" },
		{ "TITLE", "  ", "!title=" },
		{ "GENRE", "(17)", " genre=Rock " },
		{ "GENRE", "(RX)", " genre=Remix " },
		{ "GENRE", "200", "reject GENRE [200]: unknown ID3 genre code 200\n" },
		{ "MOOD", "Happy; ;happy;Sad", " mood={happy,sad} " },
		{ "CATALOGNUMBER", "0123456789012345678901234567890123456789012345678901234",
		  "reject CATALOGNUMBER [0123456789012345678901234567890123456789012345678901234]: "
		  "value has 55 characters, column allows 50\n" },
		{ "COMMENT", "line one\nline two", " description=line one\nline two " },
		{ "COMPOSER", "Anna / Ben & Cleo", "creator_name=Cleo role=composer\n" },
		{ "COMPOSER", "AC/DC", "creator_name=AC/DC role=composer\n" },
		{ "WRITER", "Wendy", "creator_name=Wendy role=songwriter\n" },
		{ "DJMIXER", "Dee", "creator_name=Dee role=performer\n" },
		{ "PERFORMER:VIOLIN", "Vera", "creator_name=Vera role=performer\n" },
		{ "ENGINEER", "Ed", "creator_name=Ed role=engineer\n" },
		{ "MIXER", "Max", "creator_name=Max role=mixer\n" },
		{ "LYRICIST", "bad\x02name", "reject LYRICIST [bad\x02name]: control character U+0002 at byte 4\n" },
		/* The same person twice in one role: one record. */
		{ "PRODUCER", "Heidi & Heidi", "creator_name=Heidi role=producer\ncreator audio_filename=t.flac creator_name=Ivan" },
	};
	char path[1024], from[1024];
	struct buf bad = BUF_INIT;
	size_t i;

	(void)state;
	fixture("vorbis.flac", from, sizeof(from));
	tmp_path("t.flac", path, sizeof(path));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		TagLib_File *f;
		char *got;
		int found;

		copy_file(from, path, -1);
		f = taglib_file_new(path);
		assert_non_null(f);
		taglib_property_set(f, cases[i].key, cases[i].value);
		assert_true(taglib_file_save(f));
		taglib_file_free(f);
		got = read_simple(path);
		if (cases[i].want[0] == '!')
			found = strstr(got, cases[i].want + 1) == NULL && strstr(got, "track ") != NULL;
		else
			found = strstr(got, cases[i].want) != NULL;
		if (!found)
			buf_addf(&bad, "%s=%s: want '%s' in\n%s", cases[i].key, cases[i].value,
				 cases[i].want, got);
		free(got);
	}
	if (bad.len)
		fail_msg("%s", bad.data);
	buf_release(&bad);
}

/*
 * Other names of a tag, used when the usual one is absent: KEY (DJ
 * software) for INITIALKEY, "CATALOG #" (ID3v2 TXXX as some taggers write
 * it) for CATALOGNUMBER.
 */
static void test_other_names(void **state)
{
	char path[1024], from[1024];
	TagLib_File *f;
	char *got;

	(void)state;
	copy_file(fixture("vorbis.flac", from, sizeof(from)), tmp_path("o.flac", path, sizeof(path)),
		  -1);
	f = taglib_file_new(path);
	assert_non_null(f);
	taglib_property_set(f, "INITIALKEY", NULL);
	taglib_property_set(f, "CATALOGNUMBER", NULL);
	taglib_property_set(f, "KEY", "Dbm");
	taglib_property_set(f, "CATALOG #", "CAT-9");
	assert_true(taglib_file_save(f));
	taglib_file_free(f);
	got = read_simple(path);
	assert_non_null(strstr(got, " musical_key=C# scale=minor "));
	assert_non_null(strstr(got, " catalog_number=CAT-9 "));
	free(got);
}

/*
 * An ID3v2 tag in front of a FLAC file (a stray some tools leave) is not
 * the FLAC file's tag: its title does not stand in for the Vorbis
 * comment's, which has none.
 */
static void test_stray_id3_in_flac(void **state)
{
	char path[1024], mp3[1024], flac[1024];
	unsigned char h[10];
	FILE *in, *out;
	long size;
	int c;
	TagLib_File *f;
	char *got;

	(void)state;
	copy_file(fixture("vorbis.flac", flac, sizeof(flac)), tmp_path("bare.flac", path,
								      sizeof(path)), -1);
	f = taglib_file_new(path);
	assert_non_null(f);
	taglib_property_set(f, "TITLE", NULL);
	assert_true(taglib_file_save(f));
	taglib_file_free(f);
	/* The ID3v2 tag of id3v24.mp3 (title "Summer Vibes"), then the FLAC file. */
	in = fopen(fixture("id3v24.mp3", mp3, sizeof(mp3)), "rb");
	assert_non_null(in);
	assert_int_equal(fread(h, 1, 10, in), 10);
	assert_memory_equal(h, "ID3", 3);
	size = 10 + ((long)h[6] << 21 | (long)h[7] << 14 | (long)h[8] << 7 | (long)h[9]);
	rewind(in);
	out = fopen(tmp_path("stray.flac", flac, sizeof(flac)), "wb");
	assert_non_null(out);
	while (size-- > 0 && (c = getc(in)) != EOF)
		putc(c, out);
	fclose(in);
	in = fopen(path, "rb");
	assert_non_null(in);
	while ((c = getc(in)) != EOF)
		putc(c, out);
	fclose(in);
	assert_int_equal(fclose(out), 0);
	got = read_simple(flac);
	assert_non_null(strstr(got, "track audio_filename=stray.flac "));
	assert_null(strstr(got, "title="));
	assert_null(strstr(got, "Summer Vibes"));
	free(got);
}

#ifdef BLENDCAT_TAGLIB_BRIDGE
/*
 * The key of an MP4 file, from its freeform atoms (written here with the
 * bridge under each name and case taggers use; the fixture's initialkey
 * removed first): normalized and reported as INITIALKEY (KEY).
 */
static void test_mp4_key_atoms(void **state)
{
	static const struct {
		const char *name;	/* ----:com.apple.iTunes:NAME */
		const char *value;
		const char *want;	/* as test_tag_values */
	} cases[] = {
		{ "initialkey", "Am", " musical_key=A scale=minor " },
		{ "INITIALKEY", "8A", " musical_key=A scale=minor " },
		{ "initialKey", "F#", " musical_key=F# scale=major " },
		{ "initialkey", "Dbm", " musical_key=C# scale=minor " },
		{ "initialkey", "Bb minor", " musical_key=A# scale=minor " },
		{ "KEY", "1d", " musical_key=C scale=major " },
		{ "key", "Gm", " musical_key=G scale=minor " },
		{ "initialkey", "o", "!musical_key=" },
		{ "initialkey", "H#", "reject INITIALKEY [H#]: unknown key 'H#'\n" },
		{ "KEY", "Q", "reject KEY [Q]: unknown key 'Q'\n" },
		{ NULL, NULL, "!musical_key=" },
	};
	char path[1024], from[1024];
	struct buf bad = BUF_INIT;
	size_t i;

	(void)state;
	fixture("itunes.m4a", from, sizeof(from));
	tmp_path("k.m4a", path, sizeof(path));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *v[2] = { cases[i].value, NULL };
		TagLib_File *f;
		char *got;
		int found;

		copy_file(from, path, -1);
		f = taglib_file_new(path);
		assert_non_null(f);
		assert_int_equal(bridge_mp4_freeform_set(f, "com.apple.iTunes", "initialkey", NULL), 0);
		if (cases[i].name)
			assert_int_equal(bridge_mp4_freeform_set(f, "com.apple.iTunes", cases[i].name, v),
					 0);
		assert_true(taglib_file_save(f));
		taglib_file_free(f);
		got = read_simple(path);
		if (cases[i].want[0] == '!')
			found = strstr(got, cases[i].want + 1) == NULL && strstr(got, "track ") != NULL;
		else
			found = strstr(got, cases[i].want) != NULL;
		if (!found)
			buf_addf(&bad, "%s=%s: want '%s' in\n%s", cases[i].name ? cases[i].name : "-",
				 cases[i].value ? cases[i].value : "-", cases[i].want, got);
		free(got);
	}
	if (bad.len)
		fail_msg("%s", bad.data);
	buf_release(&bad);
}
#endif

/* ------------------------------------------------ titles from names */

/* tags_name_title: the extension and a leading track number go. */
static void test_name_title(void **state)
{
	static const struct {
		const char *name;
		const char *title;	/* NULL: none */
	} cases[] = {
		{ "01 - Intro.mp3", "Intro" },
		{ "01. Intro.flac", "Intro" },
		{ "1 Intro.m4a", "Intro" },
		{ "01_Intro.ogg", "Intro" },
		{ "12-Intro.wav", "Intro" },
		{ "007 -  Spy Theme.aiff", "Spy Theme" },
		{ "03 \xe2\x80\x93 Caf\xc3\xa9 Song.opus", "Caf\xc3\xa9 Song" },
		{ "Intro.mp3", "Intro" },
		{ "My.Song.v2.mp3", "My.Song.v2" },
		{ "empty.oggflac", "empty" },
		/* Four digits are no track number; digits alone are the title. */
		{ "2024 Remaster.mp3", "2024 Remaster" },
		{ "1999.mp3", "1999" },
		{ "01.mp3", "01" },
		{ "01 - .mp3", "01 - " },
		/* No extension: a dot before a space is part of the name. */
		{ "Mr. Brightside", "Mr. Brightside" },
		{ "night-drive", "night-drive" },
		{ "05 - Track.name with spaces", "Track.name with spaces" },
		{ " .mp3", NULL },
	};
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = tags_name_title(cases[i].name, &b);

		if (!cases[i].title) {
			if (rc != -1)
				fail_msg("'%s': want none, got '%s'", cases[i].name, b.data);
		} else if (rc != 0 || strcmp(b.data, cases[i].title) != 0) {
			fail_msg("'%s': want '%s', got %d '%s'", cases[i].name, cases[i].title, rc,
				 b.data);
		}
	}
	buf_release(&b);
}

/* A weak field as the sink's log shows it. */
static int w_record(void *ctx, const struct rec *r, const struct rec_prov *p)
{
	struct seen *s = ctx;

	if (r->weak)
		buf_addf(&s->log, "weak %lx\n", r->weak);
	return s_record(ctx, r, p);
}

/*
 * title_from_name: a file without a title takes its name's, weak, with a
 * warning; a file with a title keeps it; without the option, no title.
 */
static void test_title_from_name(void **state)
{
	static const struct {
		const char *name;
		int strip;		/* remove the TITLE tag */
		int opt;		/* title_from_name */
		const char *log;	/* the log's start */
	} cases[] = {
		{ "01 - Night Ride.flac", 1, 1,
		  "warn TITLE: no title: 'Night Ride' taken from the file name\n"
		  "weak 2\n"
		  "track audio_filename=01 - Night Ride.flac title=Night Ride artist=Alice / Bob " },
		{ "01 - Night Ride.flac", 1, 0,
		  "track audio_filename=01 - Night Ride.flac artist=Alice / Bob " },
		{ "02 - Other.flac", 0, 1,
		  "track audio_filename=02 - Other.flac title=Night Drive artist=Alice / Bob " },
	};
	char path[1024], from[1024];
	size_t i;

	(void)state;
	fixture("vorbis.flac", from, sizeof(from));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tags_reader t;
		struct tags_opts o;
		struct seen s;
		struct rec_sink sink = { w_record, s_reject, s_warn, &s };
		TagLib_File *f;

		copy_file(from, tmp_path(cases[i].name, path, sizeof(path)), -1);
		if (cases[i].strip) {
			f = taglib_file_new(path);
			assert_non_null(f);
			taglib_property_set(f, "TITLE", NULL);
			assert_true(taglib_file_save(f));
			taglib_file_free(f);
		}
		memset(&o, 0, sizeof(o));
		o.title_from_name = cases[i].opt;
		memset(&s, 0, sizeof(s));
		buf_init(&s.log);
		tags_reader_init(&t);
		assert_int_equal(tags_read_file(&t, path, 1, &o, &sink), 0);
		tags_reader_release(&t);
		if (strncmp(s.log.data, cases[i].log, strlen(cases[i].log)) != 0)
			fail_msg("%s (option %d):\n--- got\n%s--- want start\n%s", cases[i].name,
				 cases[i].opt, s.log.data, cases[i].log);
		if (!cases[i].opt || !cases[i].strip) {
			assert_null(strstr(s.log.data, "warn TITLE"));
			assert_null(strstr(s.log.data, "weak "));
		}
		buf_release(&s.log);
	}
}

/* ------------------------------------------------------------ bridge */

static char *joined(char **v)
{
	struct buf b = BUF_INIT;

	for (; v && *v; v++)
		buf_addf(&b, "%s|", *v);
	return buf_detach(&b, NULL);
}

/* taglib_property_keys/get/set/set_append/free, as TagLib 2.0 has them. */
static void test_bridge(void **state)
{
	char path[1024], from[1024], **v, *s;
	TagLib_File *f;

	(void)state;
	f = taglib_file_new(fixture("vorbis.flac", path, sizeof(path)));
	assert_non_null(f);
	v = taglib_property_keys(f);
	s = joined(v);
	assert_string_equal(s, "ARRANGER|ARTIST|BPM|CATALOGNUMBER|COMMENT|COMPOSER|CONDUCTOR|DATE|"
			    "GENRE|GROUPING|INITIALKEY|ISRC|LYRICIST|MOOD|PERFORMER|PRODUCER|"
			    "REMIXER|TITLE|");
	free(s);
	taglib_property_free(v);
	v = taglib_property_get(f, "composer");	/* names are case-insensitive */
	s = joined(v);
	assert_string_equal(s, "Dave & Eve|Frank|");
	free(s);
	taglib_property_free(v);
	assert_null(taglib_property_get(f, "NOSUCHTAG"));
	assert_null(taglib_property_get(f, NULL));
	assert_null(taglib_property_keys(NULL));
	taglib_property_free(NULL);
	taglib_file_free(f);

	/* No tags at all: NULL, not an empty array (a file of the corpus). */
	if (corpus_dir[0]) {
		f = taglib_file_new(corpus("no-tags.flac", path, sizeof(path)));
		assert_non_null(f);
		assert_null(taglib_property_keys(f));
		taglib_file_free(f);
	}

	/* set, set_append, set NULL, saved and read again. */
	tmp_path("b.flac", path, sizeof(path));
	copy_file(fixture("vorbis.flac", from, sizeof(from)), path, -1);
	f = taglib_file_new(path);
	taglib_property_set(f, "MOOD", "Calm");
	taglib_property_set_append(f, "MOOD", "Caf\xc3\xa9");
	taglib_property_set_append(f, "NEWTAG", "x");
	taglib_property_set(f, "GROUPING", NULL);
	assert_true(taglib_file_save(f));
	taglib_file_free(f);
	f = taglib_file_new(path);
	s = joined(v = taglib_property_get(f, "MOOD"));
	assert_string_equal(s, "Calm|Caf\xc3\xa9|");
	free(s);
	taglib_property_free(v);
	s = joined(v = taglib_property_get(f, "NEWTAG"));
	assert_string_equal(s, "x|");
	free(s);
	taglib_property_free(v);
	assert_null(taglib_property_get(f, "GROUPING"));
	taglib_file_free(f);
}

#ifdef BLENDCAT_TAGLIB_BRIDGE
/* Does the file at path hold the bytes of text? */
static int file_has(const char *path, const char *text)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n, at, len = strlen(text);
	int found = 0;

	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	for (at = 0; !found && at + len <= b.len; at++)
		found = memcmp(b.data + at, text, len) == 0;
	buf_release(&b);
	return found;
}

/*
 * bridge_mp4_freeform_get/set: any case of mean and name, the file's
 * spelling kept, every variant replaced or removed; not for other formats.
 */
static void test_bridge_mp4(void **state)
{
	static const char *const two[] = { "Am", "8A", NULL }, *const one[] = { "C", NULL };
	char path[1024], from[1024], **v, *s;
	TagLib_File *f;

	(void)state;
	tmp_path("b.m4a", path, sizeof(path));
	copy_file(fixture("itunes.m4a", from, sizeof(from)), path, -1);
	f = taglib_file_new(path);
	assert_non_null(f);
	s = joined(v = bridge_mp4_freeform_get(f, "COM.APPLE.ITUNES", "InitialKey"));
	assert_string_equal(s, "F#m|");
	free(s);
	taglib_property_free(v);
	assert_null(bridge_mp4_freeform_get(f, "com.apple.iTunes", "nosuchatom"));
	/* The property map still has no INITIALKEY: TagLib's own view. */
	assert_null(taglib_property_get(f, "INITIALKEY"));
	/* Set under another spelling: the file's atom, as the file spells it. */
	assert_int_equal(bridge_mp4_freeform_set(f, "com.apple.iTunes", "INITIALKEY", one), 0);
	assert_true(taglib_file_save(f));
	taglib_file_free(f);
	assert_true(file_has(path, "initialkey"));
	assert_false(file_has(path, "INITIALKEY"));
	f = taglib_file_new(path);
	s = joined(v = bridge_mp4_freeform_get(f, "com.apple.iTunes", "initialkey"));
	assert_string_equal(s, "C|");
	free(s);
	taglib_property_free(v);
	/* A second spelling beside it: both are read, one set replaces both. */
	assert_int_equal(bridge_mp4_freeform_set(f, "com.apple.iTunes", "INITIALKEY", NULL), 0);
	assert_int_equal(bridge_mp4_freeform_set(f, "com.apple.iTunes", "INITIALKEY", one), 0);
	assert_int_equal(bridge_mp4_freeform_set(f, "com.apple.iTunes", "initialkey", two), 0);
	assert_true(taglib_file_save(f));
	taglib_file_free(f);
	assert_true(file_has(path, "INITIALKEY"));
	f = taglib_file_new(path);
	s = joined(v = bridge_mp4_freeform_get(f, "com.apple.iTunes", "initialkey"));
	assert_string_equal(s, "Am|8A|");
	free(s);
	taglib_property_free(v);
	/* Other atoms are untouched. */
	s = joined(v = taglib_property_get(f, "ISRC"));
	assert_string_equal(s, "FRZ039800212|");
	free(s);
	taglib_property_free(v);
	assert_int_equal(bridge_mp4_freeform_set(f, "com.apple.iTunes", "initialkey", NULL), 0);
	assert_true(taglib_file_save(f));
	taglib_file_free(f);
	f = taglib_file_new(path);
	assert_null(bridge_mp4_freeform_get(f, "com.apple.iTunes", "initialkey"));
	taglib_file_free(f);

	/* Not an MP4 file: nothing found, nothing written. */
	f = taglib_file_new(fixture("vorbis.flac", path, sizeof(path)));
	assert_non_null(f);
	assert_null(bridge_mp4_freeform_get(f, "com.apple.iTunes", "initialkey"));
	assert_int_equal(bridge_mp4_freeform_set(f, "com.apple.iTunes", "initialkey", one), -1);
	taglib_file_free(f);
	assert_null(bridge_mp4_freeform_get(NULL, "com.apple.iTunes", "initialkey"));
	assert_int_equal(bridge_mp4_freeform_set(NULL, "com.apple.iTunes", "initialkey", one), -1);
}
#endif

/* ------------------------------------------------------ whole corpus */

/*
 * Every file of the corpus: one reject, or one track and its creators;
 * never a crash, never a stop.  The counts pin what TagLib 1.13 and
 * libmagic make of the corpus (SOURCES.md is one of the rejects).
 */
static void test_whole_corpus(void **state)
{
	struct tags_reader t;
	struct tags_opts o;
	struct seen s;
	struct rec_sink sink = { s_record, s_reject, s_warn, &s };
	DIR *d = opendir(corpus_dir);
	struct dirent *e;
	char path[1024];
	int files = 0, tracks = 0, rejects = 0;

	(void)state;
	CORPUS_NEEDED(corpus_dir);
	assert_non_null(d);
	memset(&o, 0, sizeof(o));
	memset(&s, 0, sizeof(s));
	buf_init(&s.log);
	tags_reader_init(&t);
	while ((e = readdir(d)) != NULL) {
		const char *p;
		int nt = 0, nr = 0;

		if (e->d_name[0] == '.')
			continue;
		files++;
		buf_reset(&s.log);
		assert_int_equal(tags_read_file(&t, corpus(e->d_name, path, sizeof(path)), files, &o,
						&sink), 0);
		for (p = s.log.data; *p; p = strchr(p, '\n') + 1) {
			nt += strncmp(p, "track ", 6) == 0;
			nr += strncmp(p, "reject ", 7) == 0;
		}
		if (nt + nr != 1)
			fail_msg("%s: %s", e->d_name, s.log.data);
		tracks += nt;
		rejects += nr;
	}
	closedir(d);
	tags_reader_release(&t);
	buf_release(&s.log);
	assert_int_equal(files, 127);
	assert_int_equal(tracks, 82);
	assert_int_equal(rejects, 45);
}

/* ------------------------------------------------------------ threads */

struct worker {
	char *expected[5];
	int rounds;
	int failures;
};

static const char *const thread_files[5] = {
	"id3v24.mp3", "vorbis.flac", "itunes.m4a", "vorbis.ogg", "riff-info.wav"
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct tags_reader t;
	struct tags_opts o;
	struct seen s;
	struct rec_sink sink = { s_record, s_reject, s_warn, &s };
	char path[1024];
	int r, i;

	memset(&o, 0, sizeof(o));
	memset(&s, 0, sizeof(s));
	buf_init(&s.log);
	tags_reader_init(&t);
	for (r = 0; r < w->rounds; r++)
		for (i = 0; i < 5; i++) {
			buf_reset(&s.log);
			snprintf(path, sizeof(path), "%s/%s", FIXTURES, thread_files[i]);
			if (tags_read_file(&t, path, i, &o, &sink) != 0 ||
			    strcmp(s.log.data, w->expected[i]) != 0)
				w->failures++;
		}
	tags_reader_release(&t);
	buf_release(&s.log);
	return NULL;
}

/*
 * Two readers in two threads read the same files at once and get what one
 * reader alone gets: no TagLib string list shared between them.
 */
static void test_threads(void **state)
{
	struct worker w[2];
	pthread_t th[2];
	char path[1024];
	int i, k;

	(void)state;
	for (k = 0; k < 2; k++) {
		memset(&w[k], 0, sizeof(w[k]));
		w[k].rounds = 20;
		for (i = 0; i < 5; i++)
			w[k].expected[i] = read_simple(fixture(thread_files[i], path, sizeof(path)));
	}
	for (k = 0; k < 2; k++)
		assert_int_equal(pthread_create(&th[k], NULL, work, &w[k]), 0);
	for (k = 0; k < 2; k++)
		assert_int_equal(pthread_join(th[k], NULL), 0);
	for (k = 0; k < 2; k++) {
		assert_int_equal(w[k].failures, 0);
		for (i = 0; i < 5; i++)
			free(w[k].expected[i]);
	}
}

/* --------------------------------------------------------------- main */

static int setup(void **state)
{
	struct stat st;

	(void)state;
	if (corpus_find(corpus_dir, sizeof(corpus_dir), "BLENDCAT_CORPUS", "../shared/corpus/audio",
			"test_tags") < 0)
		return -1;
	if (stat(FIXTURES "/id3v24.mp3", &st) != 0) {
		fprintf(stderr, "test_tags: run from the top of the source tree (no %s)\n",
			FIXTURES);
		return -1;
	}
	if (!mkdtemp(tmp_dir))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_corpus_files),
		cmocka_unit_test(test_provenance_and_stop),
		cmocka_unit_test(test_broken_files),
		cmocka_unit_test(test_tag_values),
		cmocka_unit_test(test_other_names),
		cmocka_unit_test(test_stray_id3_in_flac),
		cmocka_unit_test(test_name_title),
		cmocka_unit_test(test_title_from_name),
#ifdef BLENDCAT_TAGLIB_BRIDGE
		cmocka_unit_test(test_mp4_key_atoms),
#endif
		cmocka_unit_test(test_bridge),
#ifdef BLENDCAT_TAGLIB_BRIDGE
		cmocka_unit_test(test_bridge_mp4),
#endif
		cmocka_unit_test(test_whole_corpus),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
