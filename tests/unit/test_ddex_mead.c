/*
 * Unit tests for ddex, MEAD 1.1: a synthetic message's resources to track
 * rows and sections, and its rejects; elements in other namespaces.
 */
#define TEST_NAME "test_ddex_mead"
#include "ddex_test.h"

/* ---------------------------------------------------------------- MEAD */

static const char *const mead[] = {
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
	"<mead:MeadMessage xmlns:mead=\"http://ddex.net/xml/mead/11\" AvsVersionId=\"3\">\n",
	"<MessageHeader><MessageId>M-1</MessageId></MessageHeader>\n",
	"<ResourceInformationList>\n",
	"<ResourceInformation>\n",					/* 5 */
	" <ResourceSummary><ResourceId><ISRC>gb-ayc-17-00598</ISRC></ResourceId></ResourceSummary>\n",
	" <BeatsPerMinute><Value>119.6</Value></BeatsPerMinute>\n",
	" <Harmony><RootChordNote>C#/Db</RootChordNote>\n",
	"  <RootChordQuality>MinorSeventh</RootChordQuality></Harmony>\n",
	" <Mood><Value UserDefinedValue=\"Dreamy\">UserDefined</Value></Mood>\n",
	" <Mood><Value>Happy</Value></Mood>\n",
	" <RecordingPart><Unit>Second</Unit><StartPoint>0</StartPoint><EndPoint>8.4</EndPoint>\n",
	"  <RecordingPartType>Intro</RecordingPartType></RecordingPart>\n",
	" <RecordingPart><Unit>Second</Unit><StartPoint>8.4</StartPoint><EndPoint>30</EndPoint>\n",
	"  <RecordingPartType UserDefinedValue=\"Build-up\">UserDefined</RecordingPartType>\n",
	"  <Comment><Text>Rising pads</Text></Comment></RecordingPart>\n",
	"</ResourceInformation>\n",
	"<ResourceInformation>\n",					/* 18 */
	" <ResourceSummary><ResourceId>\n",
	"  <ProprietaryId Namespace=\"DPID:PADPIDA2014120301X\">piano.mp3</ProprietaryId>\n",
	" </ResourceId></ResourceSummary>\n",
	" <Harmony><RootChordNote>A</RootChordNote></Harmony>\n",
	"</ResourceInformation>\n",
	"<ResourceInformation>\n",					/* 24 */
	" <ResourceSummary><ResourceId><ISRC>USRC17607839</ISRC></ResourceId></ResourceSummary>\n",
	" <Harmony><RootChordNote>H</RootChordNote></Harmony>\n",
	"</ResourceInformation>\n",
	"<ResourceInformation>\n",					/* 28 */
	" <ResourceSummary><ResourceId><ISRC>USRC17607840</ISRC></ResourceId></ResourceSummary>\n",
	" <RecordingPart><Unit>Beat</Unit><StartPoint>0</StartPoint><EndPoint>16</EndPoint>\n",
	"  <RecordingPartType>Intro</RecordingPartType></RecordingPart>\n",
	"</ResourceInformation>\n",
	"<ResourceInformation><ResourceSummary/></ResourceInformation>\n",	/* 33 */
	"</ResourceInformationList>\n",
	"</mead:MeadMessage>\n",
	NULL
};

/*
 * MEAD 1.1: per ResourceInformation a track row (ISRC, tempo, key and
 * scale, moods) named by ISRC for the loader, else by ProprietaryId,
 * and a section per RecordingPart; a bad value rejects the resource.
 */
static void test_mead(void **state)
{
	const char *path = write_lines("mead.xml", mead);
	const char *ri1 = "ResourceInformationList/ResourceInformation[1]";
	char field[200];
	struct seen s;
	struct ddex_stats st;

	(void)state;
	seen_init(&s);
	assert_int_equal(read_into(path, NULL, &s, &st), 0);
	assert_int_equal(s.msg.version, DDEX_MEAD_11);
	assert_int_equal(s.msg.type, DDEX_MEAD_MESSAGE);
	assert_string_equal(s.msg_id, "M-1");
	assert_int_equal(count(&s, REC_TRACK), 2);
	expect_rec(nth(&s, REC_TRACK, 0), "isrc=GBAYC1700598|tempo=120|musical_key=C#|"
		   "scale=minor|mood={dreamy,happy}");
	assert_int_equal(nth(&s, REC_TRACK, 0)->line, 5);
	assert_string_equal(nth(&s, REC_TRACK, 0)->by_isrc, "GBAYC1700598");
	snprintf(field, sizeof(field), "%s/ResourceSummary/ResourceId/ISRC", ri1);
	assert_string_equal(nth(&s, REC_TRACK, 0)->by_isrc_field, field);
	/* Sections: the same track, seconds rounded, a user-defined name. */
	assert_int_equal(count(&s, REC_ARRANGEMENT), 2);
	expect_rec(nth(&s, REC_ARRANGEMENT, 0), "section_name=intro|start_time=0|end_time=8");
	expect_rec(nth(&s, REC_ARRANGEMENT, 1), "section_name=build-up|start_time=8|end_time=30|"
		   "description=Rising pads");
	assert_string_equal(nth(&s, REC_ARRANGEMENT, 1)->by_isrc, "GBAYC1700598");
	assert_int_equal(nth(&s, REC_ARRANGEMENT, 1)->line, 14);
	/* ProprietaryId: the audio_filename itself; no quality, no scale. */
	expect_rec(nth(&s, REC_TRACK, 1), "audio_filename=piano.mp3|musical_key=A");
	assert_string_equal(nth(&s, REC_TRACK, 1)->by_isrc, "");
	/* Rejects: at the element, with the value and why. */
	assert_int_equal(st.rejects, 3);
	expect_log(&s, "reject 26 track=? field=ResourceInformationList/ResourceInformation[3]/"
		   "Harmony/RootChordNote value='H': unknown RootChordNote 'H'");
	expect_log(&s, "reject 30 track=? field=ResourceInformationList/ResourceInformation[4]/"
		   "RecordingPart/Unit value='Beat': a section's Unit must be Second");
	expect_log(&s, "reject 33 track=? field=ResourceInformationList/ResourceInformation[5] "
		   "value='': no ISRC or ProprietaryId");
	seen_release(&s);
}

/*
 * MEAD has room for other standards' elements (xs:any ##other): one in
 * its own namespace is quiet; MEAD's namespace below the root is not.
 */
static void test_mead_namespaces(void **state)
{
	static const struct {
		const char *name, *from, *to;
		unsigned long warnings;
	} cases[] = {
		{ "mead-ext.xml", "<ResourceInformationList>\n",
		  "<ResourceInformationList><x:Note xmlns:x=\"urn:example:x\">any</x:Note>\n", 0 },
		{ "mead-default.xml", "<mead:MeadMessage ",
		  "<mead:MeadMessage xmlns=\"http://ddex.net/xml/mead/11\" ", 1 },
	};
	struct seen orig, s;
	struct ddex_stats st;
	unsigned long base;
	size_t i, k;

	(void)state;
	seen_init(&orig);
	assert_int_equal(read_into(write_lines("mead.xml", mead), NULL, &orig, &st), 0);
	base = st.warnings;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;

		for (k = 0; mead[k]; k++) {
			size_t n = strlen(cases[i].from);

			if (strncmp(mead[k], cases[i].from, n) == 0) {
				buf_adds(&b, cases[i].to);
				buf_adds(&b, mead[k] + n);
			} else {
				buf_adds(&b, mead[k]);
			}
		}
		seen_init(&s);
		assert_int_equal(read_into(write_tmp(cases[i].name, b.data, b.len), NULL, &s, &st), 0);
		expect_same_records(&orig, &s);
		assert_int_equal(st.warnings, base + cases[i].warnings);
		if (cases[i].warnings)
			expect_log(&s, "warn 3 MessageHeader: element in namespace "
				   "'http://ddex.net/xml/mead/11' (a default namespace declaration");
		else
			assert_null(strstr(s.log.data, "element in namespace"));
		seen_release(&s);
		buf_release(&b);
	}
	seen_release(&orig);
}

/* --------------------------------------------------------------- main */

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mead),
		cmocka_unit_test(test_mead_namespaces),
	};

	return cmocka_run_group_tests_name("ddex_mead", tests, setup, teardown);
}
