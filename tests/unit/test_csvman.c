/*
 * Unit tests for csvman: header recognition, aliases, --map joins, and
 * rows turned into records or rejects with their provenance.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blendcat/buf.h"
#include "blendcat/csvman.h"

static void test_header_field(void **state)
{
	static const struct {
		const char *header;
		enum rec_kind kind;
		const char *field;
	} cases[] = {
		{ "audio_filename", REC_TRACK, "audio_filename" },
		{ "Track Title", REC_TRACK, "title" },
		{ "BPM", REC_TRACK, "tempo" },
		{ "Key", REC_TRACK, "musical_key" },
		{ "ISRC", REC_TRACK, "isrc" },
		{ "Cat. No.", REC_TRACK, "catalog_number" },
		{ "creator_name", REC_CREATOR, "creator_name" },
		{ "IPI", REC_CREATOR, "ipi_number" },
		{ "instrument_category", REC_INSTRUMENT, "instrument_category" },
		{ "Section", REC_ARRANGEMENT, "section_name" },
		{ "sample_pack_name", REC_SAMPLE, "sample_pack_name" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum rec_kind k;
		int f = csvman_header_field(cases[i].header, &k);

		if (f < 0 || k != cases[i].kind ||
		    strcmp(rec_kinds[k].fields[f].name, cases[i].field) != 0)
			fail_msg("'%s': got %d/%d, expected %s", cases[i].header, (int)k, f,
				 cases[i].field);
	}
	{
		enum rec_kind k;

		assert_int_equal(csvman_header_field("Favourite Colour", &k), -1);
	}
}

/* What the sink saw, one line per call. */
struct seen {
	struct buf log;
};

static int s_header(void *ctx, int file_no, enum rec_kind kind, const char *raw, size_t len)
{
	struct seen *s = ctx;

	buf_addf(&s->log, "header %d %s %zu\n", file_no, rec_kinds[kind].name, len);
	(void)raw;
	return 0;
}

static int s_record(void *ctx, const struct rec *r, const struct rec_prov *p)
{
	struct seen *s = ctx;
	size_t i;

	buf_addf(&s->log, "record %lu@%llu+%llu", p->line, p->off, p->len);
	for (i = 0; i < rec_kinds[r->kind].nfields; i++)
		if (rec_given(r, (int)i))
			buf_addf(&s->log, " %s=%s", rec_kinds[r->kind].fields[i].name,
				 rec_get(r, (int)i) ? rec_get(r, (int)i) : "NULL");
	buf_addch(&s->log, '\n');
	return 0;
}

static int s_reject(void *ctx, const struct rec_prov *p, const char *af, const char *field,
		    const char *value, const char *reason)
{
	struct seen *s = ctx;

	buf_addf(&s->log, "reject %lu track=%s field=%s value=%s: %s\n", p->line,
		 af ? af : "?", field ? field : "-", value ? value : "-", reason);
	return 0;
}

static void s_warn(void *ctx, const struct rec_prov *p, const char *field, const char *msg)
{
	struct seen *s = ctx;

	buf_addf(&s->log, "warn %lu %s: %s\n", p->line, field, msg);
}

static char *read_csv(const char *text, const struct csvman_opts *o, int *rc)
{
	char path[] = "/tmp/test_csvman_XXXXXX";
	int fd = mkstemp(path);
	struct seen s;
	struct csvman_sink sink = { s_header, s_record, s_reject, o->nulls ? s_warn : NULL, &s };
	struct csvman_stats st;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	buf_init(&s.log);
	*rc = csvman_read_file(path, 3, o, &sink, &st);
	unlink(path);
	return buf_detach(&s.log, NULL);
}

static void test_manifest_rows(void **state)
{
	static const char text[] =
		"\xEF\xBB\xBF" "audio_filename,title,duration,tempo\r\n"
		"a.mp3,Alpha,3:00,120 BPM\r\n"
		"b.mp3,\"Beta, the \"\"second\"\"\",200,fast\r\n"
		"c.mp3,Gamma,100\r\n"
		"\"d.mp3\",\"Multi\nline\",90,\n";
	struct csvman_opts o;
	char *log;
	int rc;

	(void)state;
	memset(&o, 0, sizeof(o));
	log = read_csv(text, &o, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(log,
		"header 3 track 40\n"	/* the byte order mark is kept for the rejects */
		"record 2@40+26 audio_filename=a.mp3 title=Alpha duration=180 tempo=120\n"
		"reject 3 track=b.mp3 field=tempo value=fast: tempo is not a number: 'fast'\n"
		"reject 4 track=c.mp3 field=- value=-: expected 4 fields as in the header, got 3\n"
		"reject 5 track=d.mp3 field=title value=Multi\nline: control character U+000A at byte 6\n");
	free(log);
}

/* A bad audio_filename: the row has no track, but its reason is kept. */
static void test_bad_audio_filename(void **state)
{
	static const char text[] =
		"audio_filename,title\n"
		"../../etc/passwd,Passwd\n"
		"..,Dots\n";
	struct csvman_opts o;
	char *log;
	int rc;

	(void)state;
	memset(&o, 0, sizeof(o));
	log = read_csv(text, &o, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(log,
		"header 3 track 21\n"
		"reject 2 track=? field=audio_filename value=../../etc/passwd: "
		"must be a file name without a directory\n"
		"reject 3 track=? field=audio_filename value=..: '..' is not a file name\n");
	free(log);
}

static void test_child_kind_and_aliases(void **state)
{
	static const char text[] =
		"Filename,Writer,Role,IPI,Society,Share\n"
		"a.mp3,Jane Doe,Composer,00000000199,ascap,50%\n";
	struct csvman_opts o;
	char *log;
	int rc;

	(void)state;
	memset(&o, 0, sizeof(o));
	log = read_csv(text, &o, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(log, "header 3 creator"));
	assert_non_null(strstr(log, "creator_name=Jane Doe role=composer ipi_number=00000000199 "
				    "pro=ASCAP split_percentage=50.00"));
	free(log);
}

static void test_map_joins(void **state)
{
	static const char text[] =
		"File,Song,Year,Month,Day,Tonic,Mode\n"
		"a.mp3,Alpha,2024,01,15,A,minor\n";
	static const char map_text[] =
		"# label sheet of an old system\n"
		"audio_filename = File\n"
		"title = Song\n"
		"release_date = Year + Month + Day\n"
		"musical_key = Tonic + Mode\n";
	char path[] = "/tmp/test_csvman_map_XXXXXX";
	struct csvman_map map = CSVMAN_MAP_INIT;
	struct csvman_opts o;
	int fd = mkstemp(path), rc;
	char *log;

	(void)state;
	assert_int_equal(write(fd, map_text, strlen(map_text)), (ssize_t)strlen(map_text));
	close(fd);
	assert_int_equal(csvman_map_load(path, &map), 0);
	unlink(path);
	memset(&o, 0, sizeof(o));
	o.map = &map;
	log = read_csv(text, &o, &rc);
	assert_int_equal(rc, 0);
	if (!strstr(log, "title=Alpha") || !strstr(log, "musical_key=A") ||
	    !strstr(log, "release_date=2024-01-15") || !strstr(log, "scale=minor"))
		fail_msg("got: %s", log);
	free(log);
	csvman_map_release(&map);
}

/* A ';'-separated sheet: decimal commas in numbers, ';' inside quotes. */
static void test_semicolon_decimal_comma(void **state)
{
	static const char text[] =
		"\xEF\xBB\xBF" "File Name;Track Title;BPM;Length;Description\r\n"
		"a.wav;\"Alpha; the first\";120,5;180,4;a, b\r\n"
		"b.wav;Beta;99,4;3:05,5;\r\n";
	static const char creators[] =
		"audio_filename;creator_name;split_percentage\n"
		"a.wav;Ann;33,33\n";
	struct csvman_opts o;
	char *log;
	int rc;

	(void)state;
	memset(&o, 0, sizeof(o));
	log = read_csv(text, &o, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(log,
		"header 3 track 49\n"
		"record 2@49+43 audio_filename=a.wav title=Alpha; the first duration=180 tempo=121 "
		"description=a, b\n"
		"record 3@92+25 audio_filename=b.wav title=Beta duration=186 tempo=99 "
		"description=NULL\n");
	free(log);
	log = read_csv(creators, &o, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(log, "creator_name=Ann split_percentage=33.33"));
	free(log);
	/* --delimiter ',' reads the same file as one column: no audio_filename */
	o.delim = ',';
	log = read_csv(text, &o, &rc);
	assert_int_equal(rc, -1);
	free(log);
}

/* Joined columns with empty parts: what the parts say, not a reject. */
static void test_map_joins_empty_parts(void **state)
{
	static const char text[] =
		"file,title,key,mode,year,month,day,min,sec\n"
		"a.wav,A,F#,Minor,2024,3,,3,5\n"
		"b.wav,B,,Major,2024,,,,45\n"
		"c.wav,C,,,,,,4,\n"
		"d.wav,D,,Majr,2024,1,1,1,0\n";
	static const char map_text[] =
		"audio_filename = file\n"
		"musical_key = key + mode\n"
		"release_date = year + month + day\n"
		"duration = min + sec\n";
	char path[] = "/tmp/test_csvman_map_XXXXXX";
	struct csvman_map map = CSVMAN_MAP_INIT;
	struct csvman_opts o;
	int fd = mkstemp(path), rc;
	char *log;

	(void)state;
	assert_int_equal(write(fd, map_text, strlen(map_text)), (ssize_t)strlen(map_text));
	close(fd);
	assert_int_equal(csvman_map_load(path, &map), 0);
	unlink(path);
	memset(&o, 0, sizeof(o));
	o.map = &map;
	log = read_csv(text, &o, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(log,
		"header 3 track 43\n"
		"record 2@43+29 audio_filename=a.wav title=A duration=185 musical_key=F# "
		"scale=minor release_date=2024-03-01\n"
		/* the key is unknown, the mode still says major ("mode" is scale's alias too) */
		"record 3@72+26 audio_filename=b.wav title=B duration=45 musical_key=NULL "
		"scale=major release_date=2024-01-01\n"
		"record 4@98+16 audio_filename=c.wav title=C duration=240 musical_key=NULL "
		"scale=NULL release_date=NULL\n"
		"reject 5 track=d.wav field=musical_key value= + Majr: unknown scale 'Majr': "
		"expected major or minor\n");
	free(log);
	csvman_map_release(&map);
}

/* Null markers: empty in typed fields, said once per column; free text keeps them. */
static void test_null_markers(void **state)
{
	static const char text[] =
		"audio_filename,title,isrc,tempo,Composer 1,Composer 1 IPI,Composer 1 PRO\n"
		"a.wav,Unknown,N/A,TBD,Ann,n/a,?\n"
		"b.wav,B,-,none,Bob,N/A,bmi\n"
		"c.wav,C,GBAYE2400001,?,Cy,,\n";
	static const char *const extra[] = { "?" };
	struct csvman_opts o;
	char *log;
	int rc;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.nulls = extra;
	o.nnulls = 1;
	log = read_csv(text, &o, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(log,
		"header 3 track 73\n"
		"warn 2 isrc: 'N/A' is a null marker: read as empty (not said again for this column)\n"
		"warn 2 tempo: 'TBD' is a null marker: read as empty (not said again for this column)\n"
		"warn 2 ipi_number: 'n/a' is a null marker: read as empty (not said again for this column)\n"
		"warn 2 pro: '?' is a null marker: read as empty (not said again for this column)\n"
		"record 2@73+32 audio_filename=a.wav title=Unknown tempo=NULL isrc=NULL\n"
		"record 2@73+32 audio_filename=a.wav creator_name=Ann role=composer ipi_number=NULL "
		"pro=NULL\n"
		"record 3@105+27 audio_filename=b.wav title=B tempo=NULL isrc=NULL\n"
		"record 3@105+27 audio_filename=b.wav creator_name=Bob role=composer ipi_number=NULL "
		"pro=BMI\n"
		"record 4@132+28 audio_filename=c.wav title=C tempo=NULL isrc=GBAYE2400001\n"
		"record 4@132+28 audio_filename=c.wav creator_name=Cy role=composer ipi_number=NULL "
		"pro=NULL\n");
	free(log);
	/* without --null '?', '?' is a tempo that is not a number */
	o.nnulls = 0;
	log = read_csv(text, &o, &rc);
	assert_non_null(strstr(log, "reject 4 track=c.wav field=tempo value=?: tempo is not a number"));
	free(log);
}

/* --no-header: every row is data, the map names columns by number. */
static void test_no_header(void **state)
{
	static const char text[] =
		"a.wav;Alpha;3:00;120,5\n"
		"b.wav;Beta;2:00;fast\n";
	static const char map_text[] = "audio_filename = 1\ntitle = 2\nduration = 3\ntempo = 4\n";
	char path[] = "/tmp/test_csvman_map_XXXXXX";
	struct csvman_map map = CSVMAN_MAP_INIT;
	struct csvman_opts o;
	int fd = mkstemp(path), rc;
	char *log;

	(void)state;
	assert_int_equal(write(fd, map_text, strlen(map_text)), (ssize_t)strlen(map_text));
	close(fd);
	assert_int_equal(csvman_map_load(path, &map), 0);
	unlink(path);
	memset(&o, 0, sizeof(o));
	o.map = &map;
	o.no_header = 1;
	log = read_csv(text, &o, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(log,
		"header 3 track 0\n"
		"record 1@0+23 audio_filename=a.wav title=Alpha duration=180 tempo=121\n"
		"reject 2 track=b.wav field=tempo value=fast: tempo is not a number: 'fast'\n");
	free(log);
	/* without the map: no audio_filename column, the file is refused */
	o.map = NULL;
	log = read_csv(text, &o, &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(log, "");
	free(log);
	/* with a header the numbers are no names */
	o.map = &map;
	o.no_header = 0;
	log = read_csv(text, &o, &rc);
	assert_int_equal(rc, -1);
	free(log);
	csvman_map_release(&map);
}

/* A duration column whose header says milliseconds is read in them. */
static void test_duration_ms_headers(void **state)
{
	static const struct {
		const char *header;
		const char *want;	/* the record's duration, or a piece of the log */
	} cases[] = {
		{ "duration_ms", "duration=186" },
		{ "Milliseconds", "duration=186" },
		{ "Length (ms)", "duration=186" },
		{ "Duration (milliseconds)", "duration=186" },
		{ "Track Length MS", "duration=186" },
		{ "duration", "duration=185500" },	/* seconds */
		{ "Items", "title=A\n" },	/* not a duration: ignored */
		{ "terms", "title=A\n" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct csvman_opts o;
		struct buf text = BUF_INIT;
		char *log;
		int rc;

		buf_addf(&text, "filename,title,\"%s\"\na.wav,A,185500\n", cases[i].header);
		memset(&o, 0, sizeof(o));
		log = read_csv(text.data, &o, &rc);
		if (rc != 0 || !strstr(log, cases[i].want))
			fail_msg("'%s': %s", cases[i].header, log);
		free(log);
		buf_release(&text);
	}
	{
		/* in a --map, and in a ';' sheet with a decimal comma */
		static const char map_text[] = "audio_filename = F\nduration = Length (ms)\n";
		char path[] = "/tmp/test_csvman_map_XXXXXX";
		struct csvman_map map = CSVMAN_MAP_INIT;
		struct csvman_opts o;
		int fd = mkstemp(path), rc;
		char *log;

		assert_int_equal(write(fd, map_text, strlen(map_text)), (ssize_t)strlen(map_text));
		close(fd);
		assert_int_equal(csvman_map_load(path, &map), 0);
		unlink(path);
		memset(&o, 0, sizeof(o));
		o.map = &map;
		log = read_csv("F;Length (ms)\na.wav;1499,9\nb.wav;300\n", &o, &rc);
		assert_int_equal(rc, 0);
		assert_non_null(strstr(log, "audio_filename=a.wav duration=1\n"));
		assert_non_null(strstr(log, "reject 3 track=b.wav field=duration value=300: "
					    "'300' ms is less than half a second"));
		free(log);
		csvman_map_release(&map);
	}
}

static void test_no_audio_filename(void **state)
{
	struct csvman_opts o;
	char *log;
	int rc;

	(void)state;
	memset(&o, 0, sizeof(o));
	log = read_csv("title,tempo\nAlpha,120\n", &o, &rc);
	assert_int_equal(rc, -1);
	assert_null(strstr(log, "record"));
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_field),
		cmocka_unit_test(test_manifest_rows),
		cmocka_unit_test(test_bad_audio_filename),
		cmocka_unit_test(test_child_kind_and_aliases),
		cmocka_unit_test(test_map_joins),
		cmocka_unit_test(test_semicolon_decimal_comma),
		cmocka_unit_test(test_map_joins_empty_parts),
		cmocka_unit_test(test_null_markers),
		cmocka_unit_test(test_no_header),
		cmocka_unit_test(test_duration_ms_headers),
		cmocka_unit_test(test_no_audio_filename),
	};

	return cmocka_run_group_tests_name("csvman", tests, NULL, NULL);
}
