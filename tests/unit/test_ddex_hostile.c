/*
 * Unit tests for ddex, hostile input: XML bombs, XXE, DTDs, broken,
 * foreign, binary and truncated files refused fast, and by ddex_probe;
 * the limits (depth, text, tracks, state), a long deal list, lines past
 * 65535.
 *
 * BLENDCAT_DDEX_CORPUS overrides the corpus directory.  Without a corpus
 * the tests that read it are skipped, and counted (see corpus.h).
 */
#define TEST_NAME "test_ddex_hostile"
#include "ddex_test.h"

#include <time.h>

/* ------------------------------------------------------ hostile input */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Read a file that must be refused: error, message, line; quickly; nothing delivered. */
static void expect_refused(const char *path, enum ddex_error error, const char *msg,
			   unsigned long line)
{
	struct seen s;
	struct ddex_stats st;
	double t0 = now();
	int rc;

	seen_init(&s);
	rc = read_into(path, NULL, &s, &st);
	if (rc != -1 || st.error != error || !strstr(st.error_msg, msg) ||
	    (line && st.error_line != line))
		fail_msg("%s: rc %d error %d line %lu: '%s'; expected error %d line %lu '%s'", path,
			 rc, (int)st.error, st.error_line, st.error_msg, (int)error, line, msg);
	assert_int_equal(s.messages, 0);
	assert_int_equal(s.nrecs, 0);
	assert_string_equal(s.log.data, "");
	assert_true(now() - t0 < 2.0);
	seen_release(&s);
}

static char *billion_laughs(size_t *len)
{
	struct buf b = BUF_INIT;
	int i, j;

	buf_adds(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
	for (i = 1; i <= 9; i++) {
		buf_addf(&b, " <!ENTITY lol%d \"", i);
		for (j = 0; j < 10; j++)
			buf_addf(&b, i == 1 ? "&lol;" : "&lol%d;", i - 1);
		buf_adds(&b, "\">\n");
	}
	buf_adds(&b, "]>\n<ern:NewReleaseMessage xmlns:ern=\"http://ddex.net/xml/ern/43\">"
		 "<MessageHeader><MessageId>&lol9;</MessageId></MessageHeader></ern:NewReleaseMessage>\n");
	return buf_detach(&b, len);
}

static char *quadratic(size_t *len)
{
	struct buf b = BUF_INIT;
	int i;

	buf_adds(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE m [<!ENTITY a \"");
	for (i = 0; i < 100000; i++)
		buf_addch(&b, 'a');
	buf_adds(&b, "\">]>\n<ern:NewReleaseMessage xmlns:ern=\"http://ddex.net/xml/ern/43\">"
		 "<MessageHeader><MessageId>");
	for (i = 0; i < 50000; i++)
		buf_adds(&b, "&a;");
	buf_adds(&b, "</MessageId></MessageHeader></ern:NewReleaseMessage>\n");
	return buf_detach(&b, len);
}

static void test_xml_bombs(void **state)
{
	size_t len;
	char *x;

	(void)state;
	x = billion_laughs(&len);
	expect_refused(write_tmp("billion.xml", x, len), DDEX_ERR_UNSAFE,
		       "DOCTYPE refused: entity 'lol1' refers to other entities", 2);
	free(x);
	x = quadratic(&len);
	expect_refused(write_tmp("quadratic.xml", x, len), DDEX_ERR_UNSAFE,
		       "DOCTYPE refused: entity 'a' has a value of more than", 2);
	free(x);
}

static void test_xxe_and_dtd(void **state)
{
	static const struct {
		const char *name, *text;
		const char *msg;
	} cases[] = {
		{ "xxe.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE m [<!ENTITY xxe SYSTEM "
		  "\"file:///etc/passwd\">]>\n<ern:NewReleaseMessage xmlns:ern=\"http://ddex.net/xml/ern/43\">"
		  "<MessageHeader><MessageId>&xxe;</MessageId></MessageHeader></ern:NewReleaseMessage>\n",
		  "DOCTYPE refused: external entity 'xxe' (SYSTEM \"file:///etc/passwd\")" },
		{ "xxe_pe.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE m [<!ENTITY % p SYSTEM "
		  "\"file:///etc/passwd\"> %p;]>\n<m/>\n",
		  "DOCTYPE refused: external parameter entity 'p' (SYSTEM \"file:///etc/passwd\")" },
		{ "dtd.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE ern:NewReleaseMessage SYSTEM "
		  "\"http://evil.example/ern.dtd\">\n<ern:NewReleaseMessage "
		  "xmlns:ern=\"http://ddex.net/xml/ern/43\"/>\n",
		  "DOCTYPE refused: external DTD \"http://evil.example/ern.dtd\"" },
		{ "dtd_public.xml", "<!DOCTYPE m PUBLIC \"-//X//Y\" \"file:///etc/passwd\"><m/>",
		  "DOCTYPE refused: external DTD \"file:///etc/passwd\"" },
		{ "doctype.xml", "<!DOCTYPE m>\n<m/>\n",
		  "DOCTYPE refused: DDEX messages have no document type declaration" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_refused(write_tmp(cases[i].name, cases[i].text, strlen(cases[i].text)),
			       DDEX_ERR_UNSAFE, cases[i].msg, 0);
}

/* Append s as UTF-16 (big or little endian). */
static void add16(struct buf *u, const char *s, size_t n, int be)
{
	size_t j;

	for (j = 0; j < n; j++) {
		char unit[2] = { be ? 0 : s[j], be ? s[j] : 0 };

		buf_add(u, unit, 2);
	}
}

/*
 * A DOCTYPE whose keyword straddles every read boundary (libxml2 reads 4
 * bytes, then about 4000 at a time), in UTF-8 with and without a BOM,
 * UTF-16LE with a BOM and UTF-16BE with an XML declaration only.
 */
static void test_doctype_every_offset(void **state)
{
	static const size_t pads[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 500, 1980,
				       1985, 1990, 1995, 2000, 3980, 3985, 3990, 3992, 3995,
				       3999, 4000, 4001, 4005, 8000, 20000 };
	static const char decl[] = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>";
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(pads) / sizeof(pads[0]); i++) {
		struct buf b = BUF_INIT, u = BUF_INIT;

		buf_adds(&b, "<!--");
		for (j = 0; j < pads[i]; j++)
			buf_addch(&b, j % 50 == 49 ? '\n' : 'x');
		buf_adds(&b, "-->\n<!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<m>&x;</m>\n");
		expect_refused(write_tmp("pad.xml", b.data, b.len), DDEX_ERR_UNSAFE,
			       "external entity 'x'", 0);
		buf_add(&u, "\xEF\xBB\xBF", 3);
		buf_add(&u, b.data, b.len);
		expect_refused(write_tmp("pad8.xml", u.data, u.len), DDEX_ERR_UNSAFE,
			       "external entity 'x'", 0);
		buf_reset(&u);
		buf_add(&u, "\xFF\xFE", 2);
		add16(&u, b.data, b.len, 0);
		expect_refused(write_tmp("pad16.xml", u.data, u.len), DDEX_ERR_UNSAFE,
			       "external entity 'x'", 0);
		buf_reset(&u);
		add16(&u, decl, strlen(decl), 1);
		add16(&u, b.data, b.len, 1);
		expect_refused(write_tmp("pad16be.xml", u.data, u.len), DDEX_ERR_UNSAFE,
			       "external entity 'x'", 0);
		buf_release(&u);
		buf_release(&b);
	}
}

static void test_broken_and_foreign(void **state)
{
	static const struct {
		const char *name, *text;
		enum ddex_error error;
		const char *msg;
		unsigned long line;
	} cases[] = {
		{ "mismatch.xml", "<?xml version=\"1.0\"?>\n<ern:NewReleaseMessage "
		  "xmlns:ern=\"http://ddex.net/xml/ern/43\">\n<MessageHeader>\n"
		  "<MessageId>1</MessageHeader>\n</ern:NewReleaseMessage>\n",
		  DDEX_ERR_NOT_XML, "not well-formed XML: Opening and ending tag mismatch", 4 },
		{ "wrongns.xml", "<?xml version=\"1.0\"?>\n<ern:NewReleaseMessage "
		  "xmlns:ern=\"http://example.com/ern/43\"/>\n",
		  DDEX_ERR_NOT_DDEX, "not a DDEX message: root element 'NewReleaseMessage' in "
		  "namespace 'http://example.com/ern/43'", 2 },
		{ "nons.xml", "<NewReleaseMessage><MessageHeader/></NewReleaseMessage>\n",
		  DDEX_ERR_NOT_DDEX, "root element 'NewReleaseMessage' has no namespace", 1 },
		{ "ern99.xml", "<ern:NewReleaseMessage xmlns:ern=\"http://ddex.net/xml/ern/99\"/>",
		  DDEX_ERR_VERSION, "ERN 9.9 (namespace 'http://ddex.net/xml/ern/99') is not supported", 1 },
		{ "ern37.xml", "<ern:NewReleaseMessage xmlns:ern=\"http://ddex.net/xml/ern/37\"/>",
		  DDEX_ERR_VERSION, "ERN 3.7 (namespace", 1 },
		{ "catalog.xml", "<ern:CatalogListMessage xmlns:ern=\"http://ddex.net/xml/ern/382\"/>",
		  DDEX_ERR_TYPE, "ERN 3.8.2 'CatalogListMessage' is not supported", 1 },
		{ "echo.xml", "<echo:ManifestMessage xmlns:echo=\"http://ddex.net/xml/ech/12\"/>",
		  DDEX_ERR_VERSION, "is not an ERN release notification", 1 },
		{ "text.xml", "this is a plain text file, not XML\n",
		  DDEX_ERR_NOT_XML, "not XML: the file does not begin with '<'", 1 },
		{ "empty.xml", "", DDEX_ERR_NOT_XML, "not XML: the file is empty", 0 },
		{ "blank.xml", "  \n\n", DDEX_ERR_NOT_XML, "not XML: the file holds only white space", 0 },
		{ "undeclared.xml", "<ern:NewReleaseMessage xmlns:ern=\"http://ddex.net/xml/ern/43\">"
		  "<MessageHeader><MessageId>&foo;</MessageId></MessageHeader></ern:NewReleaseMessage>",
		  DDEX_ERR_NOT_XML, "Entity 'foo' not defined", 1 },
		{ "trailing.xml", "<ern:NewReleaseMessage xmlns:ern=\"http://ddex.net/xml/ern/43\"/>\n<x/>\n",
		  DDEX_ERR_NOT_XML, "Extra content at the end of the document", 2 },
		{ "utf7.xml", "<?xml version=\"1.0\" encoding=\"UTF-7\"?>\n+ADw-!DOCTYPE m+AD4-\n<m/>\n",
		  DDEX_ERR_ENCODING, "encoding 'UTF-7' is not read", 1 },
		{ "ebcdic.xml", "\x4C\x6F\xA7\x94\x93\x40", DDEX_ERR_ENCODING, "EBCDIC", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_refused(write_tmp(cases[i].name, cases[i].text, strlen(cases[i].text)),
			       cases[i].error, cases[i].msg, cases[i].line);
}

static void test_binary_truncated_missing(void **state)
{
	static const char mp3[] = "ID3\x03\x00\x00\x00\x00\x00\x10\xff\xfb\x90\x64\x00\x00";
	static const char ucs4[] = "\x00\x00\x00<\x00\x00\x00m\x00\x00\x00/\x00\x00\x00>";
	FILE *fp = fopen(cpath("ern382/01_delivery.xml"), "rb");
	char data[3000];

	(void)state;
	CORPUS_NEEDED(corpus);
	expect_refused(write_tmp("song.xml", mp3, sizeof(mp3) - 1), DDEX_ERR_NOT_XML,
		       "not XML: the file does not begin with '<'", 1);
	expect_refused(write_tmp("ucs4.xml", ucs4, sizeof(ucs4) - 1), DDEX_ERR_ENCODING,
		       "UCS-4", 0);
	/* A message cut short: line and column, and where it was cut. */
	assert_non_null(fp);
	assert_int_equal(fread(data, 1, sizeof(data), fp), sizeof(data));
	fclose(fp);
	expect_refused(write_tmp("trunc.xml", data, sizeof(data)), DDEX_ERR_NOT_XML,
		       "(the file ends inside element", 77);
	{
		struct seen s;
		struct ddex_stats st;

		seen_init(&s);
		assert_int_equal(read_into(write_tmp("trunc.xml", data, sizeof(data)), NULL, &s, &st),
				 -1);
		assert_int_equal(st.error_column, 14);
		seen_release(&s);
	}
	expect_refused("/nonexistent/dir/msg.xml", DDEX_ERR_IO, "cannot open: No such file", 0);
	expect_refused(tmpdir, DDEX_ERR_IO, "Is a directory", 0);
}

static void test_limits(void **state)
{
	struct buf b = BUF_INIT;
	struct ddex_opts o;
	struct seen s;
	struct ddex_stats st;
	int i;

	(void)state;
	/* Too deep. */
	buf_adds(&b, "<ern:NewReleaseMessage xmlns:ern=\"http://ddex.net/xml/ern/43\">");
	for (i = 0; i < 5000; i++)
		buf_adds(&b, "<a>");
	for (i = 0; i < 5000; i++)
		buf_adds(&b, "</a>");
	buf_adds(&b, "</ern:NewReleaseMessage>");
	expect_refused(write_tmp("deep.xml", b.data, b.len), DDEX_ERR_LIMIT,
		       "elements nested deeper than 100 levels", 0);
	/* Too much text in one element. */
	buf_reset(&b);
	buf_adds(&b, "<ern:NewReleaseMessage xmlns:ern=\"http://ddex.net/xml/ern/43\">"
		 "<MessageHeader><MessageId>");
	for (i = 0; i < (2 << 20); i++)
		buf_addch(&b, 'x');
	buf_adds(&b, "</MessageId></MessageHeader></ern:NewReleaseMessage>");
	expect_refused(write_tmp("bigtext.xml", b.data, b.len), DDEX_ERR_LIMIT,
		       "text of element 'MessageId' is longer than 1048576 bytes", 1);
	buf_release(&b);
	/* More SoundRecordings than max_tracks; more state than max_state. */
	memset(&o, 0, sizeof(o));
	o.max_tracks = 3;
	seen_init(&s);
	assert_int_equal(read_into(write_lines("syn43.xml", syn43), &o, &s, &st),
			 -1);
	assert_int_equal(st.error, DDEX_ERR_LIMIT);
	assert_non_null(strstr(st.error_msg, "more than 3 SoundRecordings in one message"));
	assert_int_equal(st.error_line, 50);
	assert_int_equal(s.messages + (int)s.nrecs, 0);
	seen_release(&s);
	o.max_tracks = 0;
	o.max_state = 20000;
	seen_init(&s);
	assert_int_equal(read_into(write_lines("syn43.xml", syn43), &o, &s, &st),
			 -1);
	assert_int_equal(st.error, DDEX_ERR_LIMIT);
	assert_non_null(strstr(st.error_msg, "message too large to buffer"));
	assert_int_equal(s.messages + (int)s.nrecs, 0);
	seen_release(&s);
}

/* A message made big by its deals streams through in flat memory. */
static void test_big_deal_list(void **state)
{
	FILE *fp = fopen(cpath("ern43/4 SimpleAudioSingle.xml"), "rb");
	struct buf src = BUF_INIT, big = BUF_INIT;
	char chunk[65536];
	size_t n, i;
	const char *a, *z;
	struct seen s;
	struct ddex_stats st;

	(void)state;
	CORPUS_NEEDED(corpus);
	assert_non_null(fp);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&src, chunk, n);
	fclose(fp);
	a = strstr(src.data, "<Deal>");
	z = strstr(src.data, "</ReleaseDeal>");
	assert_true(a && z && a < z);
	buf_add(&big, src.data, (size_t)(a - src.data));
	for (i = 0; i < 40; i++)	/* about 13 MB, 30000 deals */
		buf_add(&big, a, (size_t)(z - a));
	buf_adds(&big, z);
	seen_init(&s);
	assert_int_equal(read_into(write_tmp("bigdeals.xml", big.data, big.len), NULL, &s, &st), 0);
	assert_int_equal(st.tracks, 1);
	assert_int_equal(st.bytes, big.len);
	/* What is buffered is the same as for the 330 KB original. */
	assert_true(st.state_peak < 64 * 1024);
	expect_rec(nth(&s, REC_TRACK, 0),
		   "audio_filename=190295810726_00001_LL.flac|title=RIOPY: I Love You|"
		   "artist=RIOPY|duration=264|isrc=GBAYC1700598|genre=Classical|"
		   "subgenre=Classical Crossover|release_date=2017-04-25|"
		   "tags={\"riopy riopy: i love you classical classical crossover\"}");
	seen_release(&s);
	buf_release(&src);
	buf_release(&big);
}

/* Lines past 65535, where libxml2 2.9 keeps no element lines. */
static void test_lines_past_65535(void **state)
{
	FILE *fp = fopen(cpath("ern43/4 SimpleAudioSingle.xml"), "rb");
	struct buf src = BUF_INIT, big = BUF_INIT;
	char chunk[65536], *isrc;
	const char *at;
	size_t n;
	int i;
	struct seen s;
	struct ddex_stats st;

	(void)state;
	CORPUS_NEEDED(corpus);
	assert_non_null(fp);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&src, chunk, n);
	fclose(fp);
	isrc = strstr(src.data, "<ISRC>GBAYC1700598</ISRC>");
	assert_non_null(isrc);
	memcpy(isrc + 6, "GB-BAD-BAD00", 12);
	at = strstr(src.data, "<ResourceList>");
	buf_add(&big, src.data, (size_t)(at - src.data));
	buf_adds(&big, "<!--");
	for (i = 0; i < 70000; i++)
		buf_addch(&big, '\n');
	buf_adds(&big, "-->\n");
	buf_adds(&big, at);
	seen_init(&s);
	assert_int_equal(read_into(write_tmp("lines.xml", big.data, big.len), NULL, &s, &st), 0);
	/* SoundRecording at 48 + 70001, its ISRC at 53 + 70001. */
	expect_log(&s, "reject 70054 track=190295810726_00001_LL.flac field=ResourceList/"
		   "SoundRecording[1]/SoundRecordingEdition/ResourceId/ISRC value='GB-BAD-BAD00': ");
	seen_release(&s);
	memcpy(isrc + 6, "GBAYC1700598", 12);
	buf_reset(&big);
	buf_add(&big, src.data, (size_t)(at - src.data));
	for (i = 0; i < 70000; i++)
		buf_addch(&big, '\n');
	buf_adds(&big, at);
	seen_init(&s);
	assert_int_equal(read_into(write_tmp("lines.xml", big.data, big.len), NULL, &s, &st), 0);
	assert_int_equal(nth(&s, REC_TRACK, 0)->line, 48 + 70000);
	assert_int_equal(nth(&s, REC_CREATOR, 0)->line, 98 + 70000);
	seen_release(&s);
	buf_release(&src);
	buf_release(&big);
}

static void test_probe(void **state)
{
	static const struct {
		const char *file;	/* in the corpus, or NULL: tmp */
		const char *tmp;
		int rc;
		enum ddex_version v;
		enum ddex_type t;
	} cases[] = {
		{ "ern43/1 Audio.xml", NULL, 1, DDEX_ERN_43, DDEX_NEW_RELEASE },
		{ "ern382/03_delete.xml", NULL, 1, DDEX_ERN_382, DDEX_PURGE_RELEASE },
		{ "ern43/ERN_NewReleaseMessage_example.xml", NULL, 1, DDEX_ERN_43, DDEX_NEW_RELEASE },
		{ "legacy/ern37/00602557190298.xml", NULL, 1, DDEX_ERN_OTHER, DDEX_NEW_RELEASE },
		{ "mead11/award.xml", NULL, 1, DDEX_MEAD_11, DDEX_MEAD_MESSAGE },
		{ NULL, "wrongns.xml", 0, DDEX_VERSION_NONE, DDEX_NEW_RELEASE },
		{ NULL, "text.xml", -1, DDEX_VERSION_NONE, DDEX_TYPE_NONE },
		{ NULL, "billion.xml", DDEX_PROBE_REFUSED, DDEX_VERSION_NONE, DDEX_TYPE_NONE },
		{ NULL, "xxe.xml", DDEX_PROBE_REFUSED, DDEX_VERSION_NONE, DDEX_TYPE_NONE },
		{ NULL, "doctype.xml", DDEX_PROBE_REFUSED, DDEX_VERSION_NONE, DDEX_TYPE_NONE },
		{ NULL, "utf7.xml", -1, DDEX_VERSION_NONE, DDEX_TYPE_NONE },
		{ NULL, "catalog.xml", 1, DDEX_ERN_382, DDEX_TYPE_OTHER },
	};
	size_t i;
	unsigned long errors;

	(void)state;
	CORPUS_NEEDED(corpus);
	test_xml_bombs(NULL);		/* writes billion.xml */
	test_xxe_and_dtd(NULL);		/* xxe.xml, doctype.xml */
	test_broken_and_foreign(NULL);	/* writes the others */
	errors = diag_errors;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[1200];
		enum ddex_version v;
		enum ddex_type t;
		int rc;

		if (cases[i].file)
			snprintf(path, sizeof(path), "%s", cpath(cases[i].file));
		else
			snprintf(path, sizeof(path), "%s/%s", tmpdir, cases[i].tmp);
		rc = ddex_probe(path, &v, &t);
		if (rc != cases[i].rc || v != cases[i].v || t != cases[i].t)
			fail_msg("%s: probe %d v %d t %d", path, rc, (int)v, (int)t);
	}
	/* It reports nothing. */
	assert_int_equal(diag_errors, errors);
}

/* --------------------------------------------------------------- main */

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xml_bombs),
		cmocka_unit_test(test_xxe_and_dtd),
		cmocka_unit_test(test_doctype_every_offset),
		cmocka_unit_test(test_broken_and_foreign),
		cmocka_unit_test(test_binary_truncated_missing),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_big_deal_list),
		cmocka_unit_test(test_lines_past_65535),
		cmocka_unit_test(test_probe),
	};

	return cmocka_run_group_tests_name("ddex_hostile", tests, setup, teardown);
}
