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
	struct csvman_sink sink = { { s_record, s_reject, o->nulls ? s_warn : NULL, &s }, s_header };
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
		/* the key is unknown, the mode still says major */
		"record 3@72+26 audio_filename=b.wav title=B duration=45 musical_key=NULL "
		"scale=major release_date=2024-01-01\n"
		"record 4@98+16 audio_filename=c.wav title=C duration=240 musical_key=NULL "
		"release_date=NULL\n"
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

static int load_map(const char *text, struct csvman_map *map)
{
	char path[] = "/tmp/test_csvman_map_XXXXXX";
	int fd = mkstemp(path), rc;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	rc = csvman_map_load(path, map);
	unlink(path);
	return rc;
}

static const char wide_map[] =
	"# a wide sheet\n"
	"audio_filename = file\n"
	"arrangement.start_time   = time_#\n"
	"arrangement.section_name = section_#\n"
	"creator.creator_name     = name_#\n"
	"creator.role             = producer_#? producer | songwriter_#? songwriter\n"
	"creator.ipi_number       = ipi_#\n"
	"creator.split_percentage = split_#\n"
	"creator.pro              = Society\n"	/* the same column for every group */
	"instrument.instrument_category = instrument_#\n"
	"instrument.instrument_type     = category_#\n"
	"sample.sample_description = sample_file_#\n"
	"sample.sample_pack_name   = sample_pack_#\n"
	"sample.is_cleared         = sample_clearance_#\n";

/* Numbered column groups of every child kind. */
static void test_wide_groups(void **state)
{
	static const char text[] =
		"file,title,Length,Society,time_1,section_1,time_2,section_2,time_10,section_10,"
		"name_1,producer_1,songwriter_1,ipi_1,split_1,name_2,producer_2,songwriter_2,ipi_2,"
		"split_2,name_3,producer_3,songwriter_3,instrument_1,category_1,instrument_2,category_2,"
		"sample_file_1,sample_pack_1,sample_clearance_1\n"
		/* 2: everything; sections out of order; Bob is producer and songwriter */
		"w1.wav,One,3:00,bmi,0:00,intro,2:10,outro,0:30,verse,Ann,x,,00000000199,60,Bob,y,TRUE,"
		"N/A,40,,no,0,synth,Lead,drums,Kit,kick.wav,Pack A,yes\n"
		/* 3: one section to the track's end, a creator without a role flag */
		"w2.wav,Two,2:00,,0:00,intro,,,,,Cy,,,,100,,,,,,,,,,,,,,,\n"
		/* 4: a flag that is no flag */
		"w3.wav,Three,2:00,,,,,,,,Dee,maybe,,,,,,,,,,,,,,,,,,\n"
		/* 5: a section starting after the track's end */
		"w4.wav,Four,1:00,,1:30,late,,,,,,,,,,,,,,,,,,,,,,,,\n";
	struct csvman_map map = CSVMAN_MAP_INIT;
	struct csvman_opts o;
	char *log;
	int rc;

	(void)state;
	assert_int_equal(load_map(wide_map, &map), 0);
	memset(&o, 0, sizeof(o));
	o.map = &map;
	log = read_csv(text, &o, &rc);
	assert_int_equal(rc, 0);
	if (!strstr(log,
		"record 2@295+140 audio_filename=w1.wav title=One duration=180\n"
		"record 2@295+140 audio_filename=w1.wav creator_name=Ann role=producer "
		"ipi_number=00000000199 pro=BMI split_percentage=60.00\n"
		"record 2@295+140 audio_filename=w1.wav creator_name=Bob role=producer "
		"ipi_number=NULL pro=BMI split_percentage=40.00\n"
		"record 2@295+140 audio_filename=w1.wav creator_name=Bob role=songwriter "
		"ipi_number=NULL pro=BMI\n"
		"record 2@295+140 audio_filename=w1.wav instrument_category=synth instrument_type=Lead\n"
		"record 2@295+140 audio_filename=w1.wav instrument_category=drums instrument_type=Kit\n"
		"record 2@295+140 audio_filename=w1.wav section_name=intro start_time=0 end_time=30\n"
		"record 2@295+140 audio_filename=w1.wav section_name=outro start_time=130 "
		"end_time=180\n"
		"record 2@295+140 audio_filename=w1.wav section_name=verse start_time=30 "
		"end_time=130\n"
		"record 2@295+140 audio_filename=w1.wav sample_pack_name=Pack A "
		"sample_description=kick.wav is_cleared=true\n"
		"record 3@435+57 audio_filename=w2.wav title=Two duration=120\n"
		"record 3@435+57 audio_filename=w2.wav creator_name=Cy role=NULL ipi_number=NULL "
		"pro=NULL split_percentage=100.00\n"
		"record 3@435+57 audio_filename=w2.wav section_name=intro start_time=0 end_time=120\n"
		"reject 4 track=w3.wav field=creator 1 producer_1 value=maybe: a flag must be t, true, "
		"yes, y, 1 or x, or f, false, no, n, 0 or empty\n"))
		fail_msg("got:\n%s", log + 1000);
	assert_non_null(strstr(log, "reject 5 track=w4.wav field=arrangement 1 end_time value=60: "
				    "end 60 is not after start 90"));
	free(log);
	csvman_map_release(&map);
}

/* A map's group syntax: what it accepts and how it says what it does not. */
static void test_map_syntax(void **state)
{
	static const struct {
		const char *text;
		int rc;
		const char *want;	/* the parsed entries, or nothing for errors */
	} cases[] = {
		{ "title = Song\n", 0, "-1 title [Song]" },
		{ "title = Song # the song\n", 0, "-1 title [Song]" },
		{ "track.title = Song\n", 0, "-1 title [Song]" },
		{ "  # comment\n\nrelease_date = Y + M + D\n", 0, "-1 release_date [Y][M][D]" },
		{ "creator.ipi_number = Composer # IPI\n", 0, "1 ipi_number [Composer # IPI]" },
		{ "arrangement.start_time = time_# + sec_#\n", 0, "3 start_time [time_#][sec_#]" },
		{ "creator.role = p_#? producer | w_#? executive producer\r\n", 0,
		  "1 role {p_#=producer}{w_#=executive producer}" },
		{ "sample.is_cleared = ok? yes\n", 0, "4 is_cleared {ok=yes}" },
		{ "title = a # b # c\n", 0, "-1 title [a]" },
		{ "creator.role = p_#? producer | w_#\n", -1, "" },
		{ "creator.role = ? producer\n", -1, "" },
		{ "creator.role = p_#? \n", -1, "" },
		{ "creator.ipi_number = a_#_#\n", -1, "" },
		{ "track.title = a\n", 0, "-1 title [a]" },
		{ "creature.name = a\n", -1, "" },
		{ "creator.title = a\n", -1, "" },
		{ "creator.audio_filename = a\n", -1, "" },
		{ "creator.role = a_#\ncreator.role = b_#\n", -1, "" },
		{ "creator.role = a_#? x\ncreator.pro = b_#? y\n", -1, "" },
		{ "title = a + b + c + d + e\n", -1, "" },
		{ "title = a +\n", -1, "" },
		{ "title Song\n", -1, "" },
		{ "nofield = x\n", -1, "" },
		{ "creator.role = 1? a|2? b|3? c|4? d|5? e|6? f|7? g|8? h|9? i\n", -1, "" },
	};
	size_t i, j, k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct csvman_map map = CSVMAN_MAP_INIT;
		struct buf got = BUF_INIT;
		int rc = csvman_map_parse(cases[i].text, strlen(cases[i].text), "t.map", &map);

		for (j = 0; rc == 0 && j < map.n; j++) {
			const struct csvman_map_entry *e = &map.v[j];

			buf_addf(&got, "%s%d %s ", j ? "; " : "", e->kind, e->field);
			for (k = 0; k < e->nheaders; k++)
				buf_addf(&got, "[%s]", e->headers[k]);
			for (k = 0; k < e->nflags; k++)
				buf_addf(&got, "{%s=%s}", e->flags[k].header, e->flags[k].value);
		}
		if (rc != cases[i].rc || (rc == 0 && strcmp(got.data, cases[i].want) != 0))
			fail_msg("'%s': rc %d, got '%s'", cases[i].text, rc, got.data);
		buf_release(&got);
		csvman_map_release(&map);
	}
}

/* A pattern the header does not have is an error, as a missing header is. */
static void test_wide_missing_column(void **state)
{
	struct csvman_map map = CSVMAN_MAP_INIT;
	struct csvman_opts o;
	char *log;
	int rc;

	(void)state;
	assert_int_equal(load_map("audio_filename = file\narrangement.start_time = time_#\n", &map),
			 0);
	memset(&o, 0, sizeof(o));
	o.map = &map;
	log = read_csv("file,start_1\na.wav,0\n", &o, &rc);
	assert_int_equal(rc, -1);
	free(log);
	/* a creators file ignores a track sheet's groups */
	log = read_csv("file,creator_name\na.wav,Ann\n", &o, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(log, "creator_name=Ann"));
	free(log);
	csvman_map_release(&map);
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
		cmocka_unit_test(test_wide_groups),
		cmocka_unit_test(test_map_syntax),
		cmocka_unit_test(test_wide_missing_column),
		cmocka_unit_test(test_no_audio_filename),
	};

	return cmocka_run_group_tests_name("csvman", tests, NULL, NULL);
}
