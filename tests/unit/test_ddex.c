/*
 * Unit tests for ddex, ERN: the DDEX corpus in ../shared/corpus/ddex (see
 * its SOURCES.md) read field by field per ERN version, synthetic messages
 * for what the corpus lacks (IPI, PRO, splits, user-defined roles,
 * rejects), every corpus message read without a crash, what the sink's
 * answers do, and --validate-xsd.  MEAD and hostile input have programs
 * of their own (test_ddex_mead.c, test_ddex_hostile.c).
 *
 * BLENDCAT_DDEX_CORPUS overrides the corpus directory.  Without a corpus
 * the tests that read it are skipped, and counted (see corpus.h).
 */
#define TEST_NAME "test_ddex"
#include "ddex_test.h"

#include <sys/stat.h>

/* ------------------------------------------------------ ERN 3.8.2, 3.8.3 */

static void test_ern382_delivery(void **state)
{
	struct seen s;
	struct ddex_stats st;

	(void)state;
	CORPUS_NEEDED(corpus);
	seen_init(&s);
	assert_int_equal(read_into(cpath("ern382/01_delivery.xml"), NULL, &s, &st), 0);
	assert_int_equal(s.messages, 1);
	assert_int_equal(s.msg.version, DDEX_ERN_382);
	assert_int_equal(s.msg.type, DDEX_NEW_RELEASE);
	assert_int_equal(s.msg.is_test, 0);
	assert_int_equal(s.msg.has_deal_list, 1);
	assert_string_equal(s.msg_id, "MessageID5678");
	assert_int_equal(s.nrecs, 1);
	/* The track's own Genre (Folk) wins over the release's (Metal). */
	expect_rec(nth(&s, REC_TRACK, 0),
		   "audio_filename=SoundRecording_001_001.flac|title=Example Song|"
		   "artist=DJ Theo|duration=225|isrc=USRC12345678|genre=Folk|"
		   "subgenre=Indie Folk|release_date=2010-01-01|"
		   "cover_art_url=resources/Image_001_001.jpg");
	assert_int_equal(nth(&s, REC_TRACK, 0)->line, 26);
	assert_int_equal(s.prov_file_no, 7);
	assert_int_equal(s.prov_len, 5789);
	assert_int_equal(st.tracks, 1);
	assert_int_equal(st.rejects + st.takedowns + st.warnings, 0);
	assert_string_equal(s.log.data, "");
	seen_release(&s);
}

/* Creator n: its track, name, role (NULL: none) and other fields ("" for none). */
static void expect_creator(const struct seen *s, size_t n, const char *af, const char *name,
			   const char *role, const char *extra)
{
	char spec[1024];

	snprintf(spec, sizeof(spec), "audio_filename=%s|creator_name=%s%s%s%s%s", af, name,
		 role ? "|role=" : "", role ? role : "", *extra ? "|" : "", extra);
	expect_rec(nth(s, REC_CREATOR, n), spec);
}

static void test_ern383_single(void **state)
{
	static const char *const creators[][2] = {
		{ "Wiener Philharmoniker", "performer" },	/* Orchestra */
		{ "Leonard Bernstein", "conductor" },
		{ "Hanno Rinke", "executive producer" },
		{ "Hans Weber", "producer" },			/* StudioProducer */
		{ "Klaus Scheibe", "engineer" },		/* RecordingEngineer */
		{ "Jobst Eberhardt", "editor" },		/* unknown: kept */
		{ "Joachim Niss", "composer" },			/* Indirect */
		{ "Klaus Behrens", "lyricist" },		/* Author */
	};
	const char *af = "00028948530434_T2_audtrk.mp3";
	struct seen s;
	struct ddex_stats st;
	size_t i;

	(void)state;
	CORPUS_NEEDED(corpus);
	seen_init(&s);
	assert_int_equal(read_into(cpath("ern383/Single.xml"), NULL, &s, &st), 0);
	assert_int_equal(s.msg.version, DDEX_ERN_383);
	assert_int_equal(s.msg.is_test, 1);
	assert_int_equal(st.is_test, 1);
	assert_int_equal(s.msg.has_deal_list, 0);
	/* The preview (IsPreview true, T3) is not the audio file: T2 is. */
	expect_rec(nth(&s, REC_TRACK, 0),
		   "audio_filename=00028948530434_T2_audtrk.mp3|"
		   "title=Mozart: Lucio Silla, K. 135 - Overture|"
		   "artist=Filarmonica della Scala and Riccardo Chailly|duration=469|"
		   "isrc=GBBBC2200191|genre=Classical|release_date=2022-04-22|"
		   "catalog_number=00028948530434|cover_art_url=22UMGIM16162_T1_cvrart.jpg");
	assert_int_equal(count(&s, REC_CREATOR), 8);
	assert_int_equal(count(&s, REC_INSTRUMENT), 0);
	for (i = 0; i < 8; i++)
		expect_creator(&s, i, af, creators[i][0], creators[i][1], "");
	/* Each creator's line is its ResourceContributor's. */
	assert_int_equal(nth(&s, REC_CREATOR, 0)->line, 85);
	assert_int_equal(nth(&s, REC_CREATOR, 7)->line, 200);
	expect_log(&s, "warn 182 ResourceList/SoundRecording[1]/SoundRecordingDetailsByTerritory/"
		   "ResourceContributor[6]/ResourceContributorRole: unknown role 'Editor'");
	/* No DealList at all: the main release R0 has no deal, a takedown. */
	expect_log(&s, "takedown 1 line=323 ref=R0 icpn=00028948530434 grid=- "
		   "tracks=00028948530434_T2_audtrk.mp3\n");
	seen_release(&s);
}

/* ----------------------------------------------- ERN 4.1.1, 4.2, 4.3 */

/* The Warner single in three versions: the same track from three layouts. */
static void test_ern4_simple_single(void **state)
{
	static const struct {
		const char *file;
		enum ddex_version v;
		unsigned long track_line, creator_line;
	} cases[] = {
		{ "ern411/4 SimpleAudioSingle.xml", DDEX_ERN_411, 49, 67 },
		{ "ern42/4 SimpleAudioSingle.xml", DDEX_ERN_42, 48, 66 },
		{ "ern43/4 SimpleAudioSingle.xml", DDEX_ERN_43, 48, 98 },
	};
	size_t i;

	(void)state;
	CORPUS_NEEDED(corpus);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct seen s;
		struct ddex_stats st;

		seen_init(&s);
		assert_int_equal(read_into(cpath(cases[i].file), NULL, &s, &st), 0);
		assert_int_equal(s.msg.version, cases[i].v);
		assert_int_equal(s.nrecs, 2);
		/*
		 * DisplayTitleText over DisplayTitle; no ICPN of this release
		 * (the RelatedRelease's is another's); the Image has no file;
		 * release_date from the deals' StartDate.
		 */
		expect_rec(nth(&s, REC_TRACK, 0),
			   "audio_filename=190295810726_00001_LL.flac|title=RIOPY: I Love You|"
			   "artist=RIOPY|duration=264|isrc=GBAYC1700598|genre=Classical|"
			   "subgenre=Classical Crossover|release_date=2017-04-25|"
			   "tags={\"riopy riopy: i love you classical classical crossover\"}");
		expect_creator(&s, 0, "190295810726_00001_LL.flac", "RIOPY", "performer", "");
		assert_int_equal(nth(&s, REC_TRACK, 0)->line, cases[i].track_line);
		assert_int_equal(nth(&s, REC_CREATOR, 0)->line, cases[i].creator_line);
		assert_string_equal(s.log.data, "");
		seen_release(&s);
	}
}

static void test_ern42_classical_instruments(void **state)
{
	struct seen s;
	struct ddex_stats st;

	(void)state;
	CORPUS_NEEDED(corpus);
	seen_init(&s);
	assert_int_equal(read_into(cpath("ern42/Variant Classical.xml"), NULL, &s, &st), 0);
	assert_int_equal(s.msg.version, DDEX_ERN_42);
	assert_int_equal(count(&s, REC_TRACK), 12);
	expect_rec(nth(&s, REC_TRACK, 0),
		   "audio_filename=1.flac|title=Vivaldi: Concerto For Violin And Strings In E "
		   "Major, Op.8, No.1, RV 269 \"La Primavera\". 1 Allegro|"
		   "artist=The English Concert, Simon Standage, Trevor Pinnock|duration=201|"
		   "isrc=DE0000311111|genre=Classical|release_date=2017-04-25|cover_art_url=0.jpg");
	expect_creator(&s, 0, "1.flac", "Antonio Vivaldi", "composer", "");
	expect_creator(&s, 1, "1.flac", "The English Concert", "performer", "");
	expect_creator(&s, 2, "1.flac", "Trevor Pinnock", "performer", "");
	expect_creator(&s, 3, "1.flac", "Simon Standage", "performer", "");
	/* InstrumentType -> category; no HasMadeFeaturedContribution: no is_primary. */
	expect_rec(nth(&s, REC_INSTRUMENT, 0), "audio_filename=1.flac|"
		   "instrument_category=keys|instrument_type=Harpsichord");
	expect_rec(nth(&s, REC_INSTRUMENT, 1), "audio_filename=1.flac|"
		   "instrument_category=strings|instrument_type=Violin");
	assert_int_equal(nth(&s, REC_INSTRUMENT, 0)->line, 107);
	/* Track 4 has the violinist only. */
	expect_rec(nth(&s, REC_INSTRUMENT, 6), "audio_filename=4.flac|"
		   "instrument_category=strings|instrument_type=Violin");
	assert_int_equal(st.instruments, 15);
	seen_release(&s);
}

static void test_ern43_album(void **state)
{
	struct seen s;
	struct ddex_stats st;

	(void)state;
	CORPUS_NEEDED(corpus);
	seen_init(&s);
	assert_int_equal(read_into(cpath("ern43/1 Audio.xml"), NULL, &s, &st), 0);
	assert_int_equal(s.msg.version, DDEX_ERN_43);
	assert_int_equal(count(&s, REC_TRACK), 21);
	assert_int_equal(count(&s, REC_CREATOR), 20);	/* A2 has no Contributor */
	/*
	 * IsDefault ja-Latn artist over ja-Jpan; catalog number from the
	 * album's ICPN; genre from the TrackRelease; the album's cover; no
	 * ReleaseDate: the deals' StartDate.
	 */
	expect_rec(nth(&s, REC_TRACK, 0),
		   "audio_filename=0094631432057_01_001.wav|title=Yume no Lullaby|"
		   "artist=Saeko Shu|duration=148|isrc=JPTO09404900|genre=J-Pop|"
		   "release_date=2004-04-01|catalog_number=00094631432057|"
		   "cover_art_url=0094631432057.jpg");
	expect_creator(&s, 0, "0094631432057_01_001.wav", "Saeko Shu", "performer", "");
	/* R2's Genre is empty: the album's J-Pop. */
	expect_rec(nth(&s, REC_TRACK, 1),
		   "audio_filename=0094631432057_01_002.wav|"
		   "title=Yume no Hajimari - Kaze no Okuri Mono (Introduction)|"
		   "artist=Saeko Shu|duration=102|isrc=JPTO09404910|genre=J-Pop|"
		   "release_date=2004-04-01|catalog_number=00094631432057|"
		   "cover_art_url=0094631432057.jpg");
	expect_rec(nth(&s, REC_TRACK, 20),
		   "audio_filename=0094631432057_01_021.wav|"
		   "title=Kitto Shiawase (NHK Minna no Uta)|artist=Saeko Shu|duration=226|"
		   "isrc=JPTO09332830|genre=J-Pop|release_date=2004-04-01|"
		   "catalog_number=00094631432057|cover_art_url=0094631432057.jpg");
	assert_int_equal(st.takedowns, 0);
	seen_release(&s);
}

/* UTF-16 with a BOM, heavy comments, names through PartyList. */
static void test_ern43_utf16_example(void **state)
{
	const char *af = "bafybeigdyrztfdtymg4vwyoklvgv27bmwypc33m2gw4npyulohj2bkq6za";
	struct seen s;
	struct ddex_stats st;
	char spec[1024];

	(void)state;
	CORPUS_NEEDED(corpus);
	seen_init(&s);
	assert_int_equal(read_into(cpath("ern43/ERN_NewReleaseMessage_example.xml"), NULL, &s,
				   &st), 0);
	assert_int_equal(s.msg.version, DDEX_ERN_43);
	/* Empty DisplayTitleText and DisplayArtistName: DisplayTitle, the party. */
	snprintf(spec, sizeof(spec), "audio_filename=%s|title=Example Sound Recording|"
		 "artist=Artist Namer|duration=148|isrc=US1234567890|release_date=2024-01-01|"
		 "catalog_number=1234567890123|cover_art_url="
		 "bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", af);
	expect_rec(nth(&s, REC_TRACK, 0), spec);
	expect_creator(&s, 0, af, "Artist Namer", "lyricist", "");	/* Author */
	expect_log(&s, "warn 260 ReleaseList/Release[1]/ReleaseId/ICPN: ICPN '1234567890123' "
		   "kept as catalog number, but check digit is 3, expected 8\n");
	assert_int_equal(st.warnings, 1);
	seen_release(&s);
}

/* ------------------------------------------------ synthetic messages */

static void test_synthetic_43(void **state)
{
	const char *path = write_lines("syn43.xml", syn43);
	struct seen s;
	struct ddex_stats st;

	(void)state;
	seen_init(&s);
	assert_int_equal(read_into(path, NULL, &s, &st), 0);
	assert_int_equal(count(&s, REC_TRACK), 2);
	/*
	 * IsDefault title; artists through PartyList joined; URI decoded and
	 * its query dropped; ISRC normalized; the release's CatalogNumber
	 * over its ICPN, its front cover (not the back cover listed first),
	 * the earliest deal start; the track's own Keywords.
	 */
	expect_rec(nth(&s, REC_TRACK, 0),
		   "audio_filename=My Song.flac|title=My Song|artist=The Artist & Bob Player|"
		   "duration=3724|isrc=GBAYC1700598|genre=Pop|subgenre=Synth-pop|"
		   "release_date=2021-05-01|catalog_number=SYN-001|cover_art_url=resources/cover.jpg|"
		   "tags={summer,\"road trip\"}");
	assert_int_equal(nth(&s, REC_TRACK, 0)->line, 20);
	/*
	 * Jane: her roles, the repeated Composer once, IPI and PRO on all,
	 * the affiliation's split on the first only.  Bob: PRO through
	 * PartyAffiliateReference, split from the ResourceRightsController,
	 * UserDefined role by its value.
	 */
	assert_int_equal(count(&s, REC_CREATOR), 5);
	expect_creator(&s, 0, "My Song.flac", "Jane Writer", "composer",
		       "ipi_number=00014107338|pro=BMI|split_percentage=50.00");
	expect_creator(&s, 1, "My Song.flac", "Jane Writer", "lyricist",
		       "ipi_number=00014107338|pro=BMI");
	expect_creator(&s, 2, "My Song.flac", "Bob Player", "performer",
		       "pro=PRS|split_percentage=25.00");
	expect_creator(&s, 3, "My Song.flac", "Bob Player", "producer", "pro=PRS");
	/* Jane again, in a third Contributor: Arranger is new, her split is not. */
	expect_creator(&s, 4, "My Song.flac", "Jane Writer", "arranger",
		       "ipi_number=00014107338|pro=BMI");
	assert_int_equal(nth(&s, REC_CREATOR, 2)->line, 29);
	/* HasMadeFeaturedContribution -> is_primary; UserDefined instrument by value. */
	assert_int_equal(count(&s, REC_INSTRUMENT), 2);
	expect_rec(nth(&s, REC_INSTRUMENT, 0), "audio_filename=My Song.flac|"
		   "instrument_category=guitar|instrument_type=ElectricGuitar|is_primary=true");
	expect_rec(nth(&s, REC_INSTRUMENT, 1), "audio_filename=My Song.flac|"
		   "instrument_category=kazoo|instrument_type=Kazoo|is_primary=true");
	expect_log(&s, "warn 32 ResourceList/SoundRecording[1]/Contributor[2]/InstrumentType[2]: "
		   "unknown instrument_category 'Kazoo', kept as given\n");
	/* No file: named from the ISRC; PT0S: no duration; the TrackRelease's genre. */
	expect_rec(nth(&s, REC_TRACK, 1),
		   "audio_filename=USRC17607839.wav|title=Second|artist=The Artist|"
		   "isrc=USRC17607839|genre=Jazz|subgenre=Bebop|release_date=2021-05-01|"
		   "catalog_number=SYN-001|cover_art_url=resources/cover.jpg|tags={\"album keyword\"}");
	/* The track without a duration says why; the one with a duration says nothing. */
	assert_string_equal(nth(&s, REC_TRACK, 1)->no_duration, "the message gives Duration "
			    "'PT0S', which is no length, and names no audio file that would give it");
	assert_string_equal(nth(&s, REC_TRACK, 0)->no_duration, "");
	expect_log(&s, "warn 39 ResourceList/SoundRecording[2]: no audio file in the message: "
		   "audio_filename 'USRC17607839.wav' made from the ISRC\n");
	/* The example: the bad value's path, line and reason. */
	expect_log(&s, "reject 46 track=three.wav field=ResourceList/SoundRecording[3]/"
		   "SoundRecordingEdition/ResourceId/ISRC value='GB-ABC': "
		   "expected 12 characters, got 5\n");
	expect_log(&s, "reject 53 track=four.wav field=ResourceList/SoundRecording[4]/"
		   "Contributor/ContributorPartyReference value='PNobody': "
		   "party reference names no Party in the PartyList\n");
	assert_int_equal(st.rejects, 2);
	assert_int_equal(st.sound_recordings, 4);
	assert_int_equal(st.takedowns, 0);
	assert_true(st.state_peak > 0 && st.state_peak < 200000);
	seen_release(&s);
}

/*
 * A real sender's mistake: the ERN namespace declared as the default
 * beside its prefix, so every element below the root is in it (or one
 * element with the prefix).  Read by local names all the same, to the
 * same records, with one warning per message naming the first such
 * element, its namespace and how it got there.
 */
static void test_namespaced_children(void **state)
{
	static const struct {
		const char *name, *from, *to, *warn;
	} cases[] = {
		{ "ns-default.xml", "<ern:NewReleaseMessage ",
		  "<ern:NewReleaseMessage xmlns=\"http://ddex.net/xml/ern/43\" ",
		  "warn 3 MessageHeader: element in namespace 'http://ddex.net/xml/ern/43' (a default "
		  "namespace declaration, xmlns=\"http://ddex.net/xml/ern/43\"): DDEX elements below "
		  "the root are in no namespace, so the message is not valid; its elements are read "
		  "by their local names (said once per message)\n" },
		{ "ns-prefix.xml", "<PartyList>\n", "<ern:PartyList>\n",
		  "warn 6 PartyList: element in namespace 'http://ddex.net/xml/ern/43' (its prefix "
		  "'ern'): DDEX elements below the root" },
		{ "ns-other.xml", "<ReleaseList>\n", "<ReleaseList xmlns=\"urn:example\">\n",
		  "warn 58 ReleaseList: element in namespace 'urn:example' (a default namespace "
		  "declaration, xmlns=\"urn:example\")" },
	};
	struct seen orig, s;
	struct ddex_stats st;
	size_t i, k;

	(void)state;
	seen_init(&orig);
	assert_int_equal(read_into(write_lines("syn43.xml", syn43), NULL, &orig, &st), 0);
	assert_int_equal(st.warnings, 2);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT, want = BUF_INIT;

		/* The line starting with from starts with to instead. */
		for (k = 0; syn43[k]; k++) {
			size_t n = strlen(cases[i].from);

			if (strncmp(syn43[k], cases[i].from, n) == 0) {
				buf_adds(&b, cases[i].to);
				buf_adds(&b, syn43[k] + n);
			} else {
				buf_adds(&b, syn43[k]);
			}
		}
		if (strcmp(cases[i].from, "<PartyList>\n") == 0) {
			char *end = strstr(b.data, "</PartyList>");

			assert_non_null(end);
			buf_reset(&want);
			buf_add(&want, b.data, (size_t)(end - b.data));
			buf_adds(&want, "</ern:PartyList>");
			buf_adds(&want, end + strlen("</PartyList>"));
			buf_reset(&b);
			buf_add(&b, want.data, want.len);
		}
		seen_init(&s);
		assert_int_equal(read_into(write_tmp(cases[i].name, b.data, b.len), NULL, &s, &st), 0);
		expect_same_records(&orig, &s);
		/* One warning more, first; the others as before. */
		assert_int_equal(st.warnings, 3);
		if (strncmp(s.log.data, cases[i].warn, strlen(cases[i].warn)) != 0)
			fail_msg("%s: log starts:\n%s\nexpected:\n%s", cases[i].name, s.log.data,
				 cases[i].warn);
		assert_string_equal(strchr(s.log.data, '\n') + 1, orig.log.data);
		seen_release(&s);
		buf_release(&b);
		buf_release(&want);
	}
	seen_release(&orig);
}

/*
 * A track without a length (PT0S, or no Duration) says why, naming the
 * audio file that would give one: not in the delivery, or in it (then
 * its tags give the length; this is said only in case they do not).
 */
static void test_no_duration_why(void **state)
{
	static const char *const msg[] = {
		"<ern:NewReleaseMessage xmlns:ern=\"http://ddex.net/xml/ern/43\">\n",
		"<ResourceList>\n",
		"<SoundRecording><ResourceReference>A1</ResourceReference>\n",
		"<SoundRecordingEdition><ResourceId><ISRC>USRC17607839</ISRC></ResourceId>\n",
		"<TechnicalDetails><DeliveryFile><File><URI>resources/here.flac</URI></File>",
		"</DeliveryFile></TechnicalDetails></SoundRecordingEdition>\n",
		"<DisplayTitleText>Here</DisplayTitleText><Duration>PT0S</Duration></SoundRecording>\n",
		"<SoundRecording><ResourceReference>A2</ResourceReference>\n",
		"<SoundRecordingEdition><ResourceId><ISRC>USRC17607840</ISRC></ResourceId>\n",
		"<TechnicalDetails><DeliveryFile><File><URI>resources/gone.flac</URI></File>",
		"</DeliveryFile></TechnicalDetails></SoundRecordingEdition>\n",
		"<DisplayTitleText>Gone</DisplayTitleText><Duration>PT0M0.000S</Duration></SoundRecording>\n",
		"<SoundRecording><ResourceReference>A3</ResourceReference>\n",
		"<SoundRecordingEdition><ResourceId><ISRC>USRC17607841</ISRC></ResourceId>\n",
		"<TechnicalDetails><DeliveryFile><File><URI>resources/gone.flac</URI></File>",
		"</DeliveryFile></TechnicalDetails></SoundRecordingEdition>\n",
		"<DisplayTitleText>Undated</DisplayTitleText></SoundRecording>\n",
		"</ResourceList>\n",
		"</ern:NewReleaseMessage>\n",
		NULL
	};
	char dir[1200];
	struct seen s;
	struct ddex_stats st;
	FILE *fp;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/resources", tmpdir);
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/resources/here.flac", tmpdir);
	fp = fopen(dir, "wb");
	assert_non_null(fp);
	fputs("fLaC", fp);
	assert_int_equal(fclose(fp), 0);
	seen_init(&s);
	assert_int_equal(read_into(write_lines("noduration.xml", msg), NULL, &s, &st), 0);
	assert_int_equal(count(&s, REC_TRACK), 3);
	assert_string_equal(fv(nth(&s, REC_TRACK, 0), "duration"), "-");
	assert_string_equal(nth(&s, REC_TRACK, 0)->no_duration, "the message gives Duration "
			    "'PT0S', which is no length, and the audio file 'resources/here.flac' "
			    "gives none either");
	assert_string_equal(fv(nth(&s, REC_TRACK, 1), "duration"), "-");
	assert_string_equal(nth(&s, REC_TRACK, 1)->no_duration, "the message gives Duration "
			    "'PT0M0.000S', which is no length, and the audio file "
			    "'resources/gone.flac' that would give the length is not in the delivery");
	assert_string_equal(nth(&s, REC_TRACK, 2)->no_duration, "the message gives no Duration, "
			    "and the audio file 'resources/gone.flac' that would give the length is "
			    "not in the delivery");
	unlink(dir);
	snprintf(dir, sizeof(dir), "%s/resources", tmpdir);
	rmdir(dir);
	seen_release(&s);
}

/*
 * Two people of one name, told apart by their IPIs, each with a role and a
 * split; an unnamed party credited with instruments only (how export
 * --format ddex writes them); an unnamed party with a role.
 */
static const char *const namesakes[] = {
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
	"<ern:NewReleaseMessage xmlns:ern=\"http://ddex.net/xml/ern/43\" LanguageAndScriptCode=\"en\">\n",
	"<MessageHeader><MessageId>SYN-2</MessageId></MessageHeader>\n",
	"<PartyList>\n",
	"<Party><PartyReference>P1</PartyReference><PartyName><FullName>John Nelson</FullName></PartyName>",
	"<PartyId><IpiNameNumber>00014107338</IpiNameNumber></PartyId></Party>\n",
	"<Party><PartyReference>P2</PartyReference><PartyName><FullName>John Nelson</FullName></PartyName>",
	"<PartyId><IpiNameNumber>00000000199</IpiNameNumber></PartyId></Party>\n",
	"<Party><PartyReference>P3</PartyReference><PartyId><ProprietaryId Namespace=\"X\">i</ProprietaryId></PartyId></Party>\n",
	"</PartyList>\n",
	"<ResourceList><SoundRecording><ResourceReference>A1</ResourceReference>\n",			/* 10 */
	"<SoundRecordingEdition><ResourceId><ISRC>USRC17607839</ISRC></ResourceId></SoundRecordingEdition>\n",
	"<DisplayTitleText>Twins</DisplayTitleText><Duration>PT3M</Duration>\n",
	"<Contributor><ContributorPartyReference>P1</ContributorPartyReference><Role>Composer</Role></Contributor>\n",
	"<Contributor><ContributorPartyReference>P2</ContributorPartyReference><Role>Composer</Role></Contributor>\n",
	"<Contributor><ContributorPartyReference>P3</ContributorPartyReference>",
	"<InstrumentType UserDefinedValue=\"slide guitar\">UserDefined</InstrumentType></Contributor>\n",
	"<Contributor><ContributorPartyReference>P3</ContributorPartyReference><Role>Producer</Role></Contributor>\n",
	"<ResourceRightsController><RightsControllerPartyReference>P1</RightsControllerPartyReference>",
	"<RightSharePercentage>30</RightSharePercentage></ResourceRightsController>\n",
	"<ResourceRightsController><RightsControllerPartyReference>P2</RightsControllerPartyReference>",
	"<RightSharePercentage>20</RightSharePercentage></ResourceRightsController>\n",
	"</SoundRecording></ResourceList>\n",
	"<ReleaseList><Release><ReleaseReference>R0</ReleaseReference><ReleaseResourceReference>A1</ReleaseResourceReference></Release></ReleaseList>\n",
	"<DealList><ReleaseDeal><DealReleaseReference>R0</DealReleaseReference><Deal/></ReleaseDeal></DealList>\n",
	"</ern:NewReleaseMessage>\n",
	NULL
};

static void test_namesakes_and_unnamed(void **state)
{
	const char *path = write_lines("namesakes.xml", namesakes);
	struct seen s;
	struct ddex_stats st;

	(void)state;
	seen_init(&s);
	assert_int_equal(read_into(path, NULL, &s, &st), 0);
	assert_int_equal(count(&s, REC_TRACK), 1);
	assert_int_equal(count(&s, REC_CREATOR), 2);
	expect_creator(&s, 0, "USRC17607839.wav", "John Nelson", "composer",
		       "ipi_number=00014107338|split_percentage=30.00");
	expect_creator(&s, 1, "USRC17607839.wav", "John Nelson", "composer",
		       "ipi_number=00000000199|split_percentage=20.00");
	assert_int_equal(count(&s, REC_INSTRUMENT), 1);
	expect_rec(nth(&s, REC_INSTRUMENT, 0), "audio_filename=USRC17607839.wav|"
		   "instrument_category=guitar|instrument_type=slide guitar");
	/* The instrument credit is quiet; the unnamed producer is not. */
	assert_null(strstr(s.log.data, "Contributor[3]: contributor has no name"));
	expect_log(&s, "Contributor[4]: contributor has no name (PartyName/FullName): "
		   "not a creator row\n");
	seen_release(&s);
}

static const char *const syn38[] = {
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
	"<ern:NewReleaseMessage xmlns:ern=\"http://ddex.net/xml/ern/382\" MessageSchemaVersionId=\"ern/382\">\n",
	"<MessageHeader><MessageId>S38</MessageId><MessageControlType>LiveMessage</MessageControlType></MessageHeader>\n",
	"<ResourceList>\n",
	"<SoundRecording><SoundRecordingId><ISRC>USRC17607839</ISRC></SoundRecordingId>\n",		/* 5 */
	"<ResourceReference>A1</ResourceReference>\n",
	"<ReferenceTitle><TitleText>Ref Title</TitleText></ReferenceTitle><Duration>PT4M</Duration>\n",
	"<SoundRecordingDetailsByTerritory><TerritoryCode>Worldwide</TerritoryCode>\n",
	"<Title TitleType=\"FormalTitle\"><TitleText>Formal</TitleText></Title>\n",
	"<DisplayArtist><PartyName><FullName>Solo Singer</FullName></PartyName><ArtistRole>MainArtist</ArtistRole></DisplayArtist>\n",
	"<ResourceContributor SequenceNumber=\"1\"><PartyName><FullName>Solo Singer</FullName></PartyName>\n",	/* 11 */
	"<PartyId Namespace=\"IPI\">014107338</PartyId>\n",
	"<ResourceContributorRole>MainArtist</ResourceContributorRole>\n",
	"<InstrumentType>Piano</InstrumentType><InstrumentType>Violin</InstrumentType>\n",
	"<PrimaryInstrumentType>Piano</PrimaryInstrumentType>\n",
	"<Membership><Organization><PartyName><FullName>A.S.C.A.P.</FullName></PartyName></Organization>",
	"<MembershipType>NationalMember</MembershipType></Membership>\n",
	"</ResourceContributor>\n",
	"<IndirectResourceContributor SequenceNumber=\"2\"><PartyName><FullName>Old Composer</FullName></PartyName>\n",
	"<IndirectResourceContributorRole>Composer</IndirectResourceContributorRole></IndirectResourceContributor>\n",
	"<ResourceContributor SequenceNumber=\"3\"><PartyId>PADPIDA99</PartyId>",			/* 20 */
	"<ResourceContributorRole>Producer</ResourceContributorRole></ResourceContributor>\n",
	"<RightsController><PartyName><FullName>Old Composer</FullName></PartyName>",
	"<RightsControllerRole>RightsController</RightsControllerRole><RightSharePercentage>60</RightSharePercentage></RightsController>\n",
	"<TechnicalSoundRecordingDetails><TechnicalResourceDetailsReference>T1</TechnicalResourceDetailsReference>",
	"<IsPreview>true</IsPreview><File><FileName>preview.mp3</FileName></File></TechnicalSoundRecordingDetails>\n",
	"<TechnicalSoundRecordingDetails><TechnicalResourceDetailsReference>T2</TechnicalResourceDetailsReference>",
	"<IsPreview>false</IsPreview><File><FileName>full.wav</FileName><FilePath>resources/</FilePath></File></TechnicalSoundRecordingDetails>\n",
	"</SoundRecordingDetailsByTerritory></SoundRecording>\n",
	"<Image><ImageType>FrontCoverImage</ImageType><ResourceReference>A2</ResourceReference>\n",
	"<ImageDetailsByTerritory><TerritoryCode>Worldwide</TerritoryCode><TechnicalImageDetails>",
	"<TechnicalResourceDetailsReference>T3</TechnicalResourceDetailsReference>",
	"<File><FileName>cover.jpg</FileName><FilePath>resources</FilePath></File></TechnicalImageDetails></ImageDetailsByTerritory></Image>\n",
	"</ResourceList>\n",
	"<ReleaseList><Release IsMainRelease=\"true\"><ReleaseId><ICPN>5099907138652</ICPN></ReleaseId>\n",	/* 31 */
	"<ReleaseReference>R0</ReleaseReference><ReferenceTitle><TitleText>Album</TitleText></ReferenceTitle>\n",
	"<ReleaseResourceReferenceList><ReleaseResourceReference>A1</ReleaseResourceReference>",
	"<ReleaseResourceReference>A2</ReleaseResourceReference></ReleaseResourceReferenceList>\n",
	"<ReleaseDetailsByTerritory><TerritoryCode>Worldwide</TerritoryCode><Genre><GenreText>Rock</GenreText></Genre>",
	"<ReleaseDate>2019-03</ReleaseDate></ReleaseDetailsByTerritory>\n",
	"<GlobalOriginalReleaseDate>2001</GlobalOriginalReleaseDate></Release></ReleaseList>\n",
	"<DealList><ReleaseDeal><DealReleaseReference>R0</DealReleaseReference>",
	"<Deal><DealTerms><TakeDown>true</TakeDown></DealTerms></Deal></ReleaseDeal></DealList>\n",
	"</ern:NewReleaseMessage>\n",
	NULL
};

static void test_synthetic_38(void **state)
{
	const char *path = write_lines("syn38.xml", syn38);
	struct seen s;
	struct ddex_stats st;

	(void)state;
	seen_init(&s);
	assert_int_equal(read_into(path, NULL, &s, &st), 0);
	assert_int_equal(s.msg.version, DDEX_ERN_382);
	/*
	 * ReferenceTitle (the FormalTitle is not a display title); the
	 * DisplayArtist's inline name; FileName of the non-preview file;
	 * FilePath + FileName of the cover; ReleaseDate over the original.
	 */
	expect_rec(nth(&s, REC_TRACK, 0),
		   "audio_filename=full.wav|title=Ref Title|artist=Solo Singer|duration=240|"
		   "isrc=USRC17607839|genre=Rock|release_date=2019-03-01|"
		   "catalog_number=5099907138652|cover_art_url=resources/cover.jpg");
	/* PartyId[@Namespace=IPI] padded; Membership PRO; split by name. */
	assert_int_equal(count(&s, REC_CREATOR), 2);
	expect_creator(&s, 0, "full.wav", "Solo Singer", "performer",
		       "ipi_number=00014107338|pro=ASCAP");
	expect_creator(&s, 1, "full.wav", "Old Composer", "composer", "split_percentage=60.00");
	assert_int_equal(nth(&s, REC_CREATOR, 0)->line, 11);
	/* PrimaryInstrumentType: Piano primary, Violin not. */
	expect_rec(nth(&s, REC_INSTRUMENT, 0), "audio_filename=full.wav|"
		   "instrument_category=keys|instrument_type=Piano|is_primary=true");
	expect_rec(nth(&s, REC_INSTRUMENT, 1), "audio_filename=full.wav|"
		   "instrument_category=strings|instrument_type=Violin|is_primary=false");
	assert_int_equal(count(&s, REC_INSTRUMENT), 2);
	expect_log(&s, "warn 20 ResourceList/SoundRecording[1]/SoundRecordingDetailsByTerritory/"
		   "ResourceContributor[2]: contributor has no name");
	assert_int_equal(st.warnings, 1);
	/* DealTerms/TakeDown true. */
	expect_log(&s, "takedown 2 line=28 ref=R0 icpn=5099907138652 grid=- tracks=full.wav\n");
	seen_release(&s);
}

/* ------------------------------------------------------------ takedowns */

static void test_purge(void **state)
{
	static const struct {
		const char *file;
		enum ddex_version v;
		const char *line;
	} cases[] = {
		{ "ern382/03_delete.xml", DDEX_ERN_382,
		  "takedown 0 line=23 ref=- icpn=- grid=A1B2C3D4E5F6G7H8I9J0K1L2M3N4O5P6Q7R8S9T0 tracks=\n" },
		{ "ern43/ERN_PurgeReleaseMessage_example.xml", DDEX_ERN_43,
		  "takedown 0 line=31 ref=- icpn=- grid=G123456789012345 tracks=\n" },
	};
	size_t i;

	(void)state;
	CORPUS_NEEDED(corpus);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct seen s;
		struct ddex_stats st;

		seen_init(&s);
		assert_int_equal(read_into(cpath(cases[i].file), NULL, &s, &st), 0);
		assert_int_equal(s.msg.type, DDEX_PURGE_RELEASE);
		assert_int_equal(st.type, DDEX_PURGE_RELEASE);
		assert_int_equal(s.msg.version, cases[i].v);
		assert_int_equal(s.nrecs, 0);
		assert_int_equal(st.takedowns, 1);
		expect_log(&s, cases[i].line);
		seen_release(&s);
	}
}

/* ---------------------------------------------------- the whole corpus */

/* Every message of the corpus, its outcome. */
static const struct {
	const char *file;
	int rc;
	enum ddex_error error;
	unsigned long tracks, rejects;
} corpus_cases[] = {
	{ "ern38/instance1.xml", 0, DDEX_OK, 0, 1 },		/* random ISRC 'dFJ' */
	{ "ern382/01_delivery.xml", 0, DDEX_OK, 1, 0 },
	{ "ern382/03_delete.xml", 0, DDEX_OK, 0, 0 },
	{ "ern382/Profile_DigitalClassicalAudioAlbum_MulitPartWork.xml", 0, DDEX_OK, 12, 0 },
	{ "ern382/Profile_MidiRingtone.xml", 0, DDEX_OK, 0, 0 },
	{ "ern382/Profile_Ringtone.xml", 0, DDEX_OK, 1, 0 },
	{ "ern382/Profile_SingleResourceRelease.xml", 0, DDEX_OK, 1, 0 },
	{ "ern382/track_pay_gated.xml", 0, DDEX_OK, 1, 0 },
	{ "ern383/Single.xml", 0, DDEX_OK, 1, 0 },
	{ "ern41/instance1.xml", 0, DDEX_OK, 0, 1 },		/* duration in years */
	{ "ern411/2 Video.xml", 0, DDEX_OK, 0, 0 },
	{ "ern411/4 SimpleAudioSingle.xml", 0, DDEX_OK, 1, 0 },
	{ "ern411/5 SimpleVideoSingle.xml", 0, DDEX_OK, 0, 0 },
	{ "ern411/6 Ringtone.xml", 0, DDEX_OK, 1, 0 },
	{ "ern411/7 LongformMusicalWorkVideo.xml", 0, DDEX_OK, 0, 0 },
	{ "ern411/8 DjMix.xml", 0, DDEX_OK, 1, 0 },		/* 8 supplemental parts */
	{ "ern42/1 Audio.xml", 0, DDEX_OK, 21, 0 },
	{ "ern42/2 Video.xml", 0, DDEX_OK, 0, 0 },
	{ "ern42/4 SimpleAudioSingle.xml", 0, DDEX_OK, 1, 0 },
	{ "ern42/5 SimpleVideoSingle.xml", 0, DDEX_OK, 0, 0 },
	{ "ern42/6 Ringtone.xml", 0, DDEX_OK, 1, 0 },
	{ "ern42/7 LongformMusicalWorkVideo.xml", 0, DDEX_OK, 0, 0 },
	{ "ern42/Variant Classical.xml", 0, DDEX_OK, 12, 0 },
	{ "ern43/1 Audio.xml", 0, DDEX_OK, 21, 0 },
	{ "ern43/2 Video.xml", 0, DDEX_OK, 0, 0 },
	{ "ern43/3 MixedMedia.xml", 0, DDEX_OK, 14, 0 },
	{ "ern43/4 SimpleAudioSingle.xml", 0, DDEX_OK, 1, 0 },
	{ "ern43/5 SimpleVideoSingle.xml", 0, DDEX_OK, 0, 0 },
	{ "ern43/5kb.xml", 0, DDEX_OK, 0, 10 },			/* 14-character ISRCs */
	{ "ern43/8 DjMix.xml", 0, DDEX_OK, 1, 0 },
	{ "ern43/ERN_NewReleaseMessage_example.xml", 0, DDEX_OK, 1, 0 },
	{ "ern43/ERN_PurgeReleaseMessage_example.xml", 0, DDEX_OK, 0, 0 },
	{ "legacy/ern341/130295703_20171205033227.xml", -1, DDEX_ERR_VERSION, 0, 0 },
	{ "legacy/ern37/00602557190298.xml", -1, DDEX_ERR_VERSION, 0, 0 },
	{ "mead11/award.xml", 0, DDEX_OK, 0, 0 },		/* a release's award only */
};

#define NCORPUS (sizeof(corpus_cases) / sizeof(corpus_cases[0]))

static void test_corpus_table(void **state)
{
	size_t i;

	(void)state;
	CORPUS_NEEDED(corpus);
	for (i = 0; i < NCORPUS; i++) {
		struct seen s;
		struct ddex_stats st;
		int rc;

		seen_init(&s);
		rc = read_into(cpath(corpus_cases[i].file), NULL, &s, &st);
		if (rc != corpus_cases[i].rc || st.error != corpus_cases[i].error ||
		    st.tracks != corpus_cases[i].tracks || st.rejects != corpus_cases[i].rejects)
			fail_msg("%s: rc %d error %d tracks %lu rejects %lu (%s)", corpus_cases[i].file,
				 rc, (int)st.error, st.tracks, st.rejects, st.error_msg);
		if (rc < 0)
			assert_int_equal(s.messages + (int)s.nrecs, 0);
		else
			assert_int_equal(s.messages, 1);
		seen_release(&s);
	}
}

/* Every *.xml under the corpus, whatever is there: records or a clean error. */
static size_t walk(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[2048];
		struct stat sb;
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.' || (depth == 0 && strcmp(e->d_name, "xsd") == 0))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		assert_int_equal(stat(path, &sb), 0);
		if (S_ISDIR(sb.st_mode) && depth < 4) {
			n += walk(path, depth + 1);
		} else if (len > 4 && strcmp(e->d_name + len - 4, ".xml") == 0) {
			struct seen s;
			struct ddex_stats st;
			int rc;

			seen_init(&s);
			rc = read_into(path, NULL, &s, &st);
			assert_true(rc == 0 || (rc == -1 && st.error != DDEX_OK && st.error_msg[0]));
			assert_int_equal(st.tracks + st.creators + st.instruments, s.nrecs);
			seen_release(&s);
			n++;
		}
	}
	closedir(d);
	return n;
}

static void test_corpus_walk(void **state)
{
	(void)state;
	CORPUS_NEEDED(corpus);
	/* The table above covers every message there is. */
	assert_int_equal(walk(corpus, 0), NCORPUS);
}

/* ----------------------------------------------------- the sink's say */

static void test_sink_control(void **state)
{
	const char *path = cpath("ern43/1 Audio.xml");
	struct seen s;
	struct ddex_stats st;

	(void)state;
	CORPUS_NEEDED(corpus);
	/* message() > 0: skipped, quietly. */
	seen_init(&s);
	s.message_rc = 1;
	assert_int_equal(read_into(path, NULL, &s, &st), 0);
	assert_int_equal(st.skipped, 1);
	assert_int_equal(s.nrecs, 0);
	seen_release(&s);
	/* message() < 0: stopped. */
	seen_init(&s);
	s.message_rc = -1;
	assert_int_equal(read_into(path, NULL, &s, &st), -1);
	assert_int_equal(st.error, DDEX_ERR_SINK);
	assert_int_equal(s.nrecs, 0);
	seen_release(&s);
	/* record() non-zero: stopped there. */
	seen_init(&s);
	s.stop_after = 3;
	assert_int_equal(read_into(path, NULL, &s, &st), -1);
	assert_int_equal(st.error, DDEX_ERR_SINK);
	assert_int_equal(s.nrecs, 3);
	seen_release(&s);
	/* No sink at all. */
	assert_int_equal(ddex_read_file(path, 0, NULL, NULL, &st), 0);
	assert_int_equal(st.tracks, 21);
}

/* xsd_dir: valid messages read as before; an invalid one gives its line and the validator's message. */
static void test_validate_xsd(void **state)
{
	static const struct {
		const char *file;
		int rc;
		enum ddex_error error;
		unsigned long line;
		const char *msg;
	} cases[] = {
		{ "ern43/1 Audio.xml", 0, DDEX_OK, 0, NULL },
		{ "ern42/Variant Classical.xml", 0, DDEX_OK, 0, NULL },
		{ "ern411/8 DjMix.xml", 0, DDEX_OK, 0, NULL },
		{ "ern383/Single.xml", 0, DDEX_OK, 0, NULL },
		{ "ern382/03_delete.xml", 0, DDEX_OK, 0, NULL },
		{ "ern43/5kb.xml", -1, DDEX_ERR_INVALID, 2,
		  "not valid against its XSD ern43/release-notification.xsd: Element "
		  "'{http://ddex.net/xml/ern/43}NewReleaseMessage', attribute 'MessageSchemaVersionId'" },
		{ "ern41/instance1.xml", -1, DDEX_ERR_INVALID, 0,
		  "cannot validate (--validate-xsd): no XSD for ERN 4.1" },
	};
	struct ddex_opts o;
	struct ddex_stats st;
	char xsd[1200];
	size_t i;

	(void)state;
	CORPUS_NEEDED(corpus);
	memset(&o, 0, sizeof(o));
	snprintf(xsd, sizeof(xsd), "%s", cpath("xsd"));
	o.xsd_dir = xsd;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct seen s;
		int rc;

		seen_init(&s);
		rc = read_into(cpath(cases[i].file), &o, &s, &st);
		if (rc != cases[i].rc || st.error != cases[i].error)
			fail_msg("%s: rc %d error %d: %s", cases[i].file, rc, st.error, st.error_msg);
		assert_int_equal(st.error_line, cases[i].line);
		if (cases[i].msg)
			assert_non_null(strstr(st.error_msg, cases[i].msg));
		if (rc < 0)
			assert_int_equal(s.nrecs, 0);
		else
			assert_true(s.nrecs > 0 || st.takedowns > 0 || st.skipped);
		seen_release(&s);
	}
	ddex_xsd_release();
}

static void test_version_names(void **state)
{
	(void)state;
	assert_string_equal(ddex_version_name(DDEX_ERN_38), "3.8");
	assert_string_equal(ddex_version_name(DDEX_ERN_382), "3.8.2");
	assert_string_equal(ddex_version_name(DDEX_ERN_411), "4.1.1");
	assert_string_equal(ddex_version_name(DDEX_ERN_43), "4.3");
	assert_string_equal(ddex_version_name(DDEX_ERN_OTHER), "other");
	assert_string_equal(ddex_version_name(DDEX_MEAD_11), "MEAD 1.1");
	assert_string_equal(ddex_version_name(DDEX_VERSION_NONE), "unknown");
}

/* --------------------------------------------------------------- main */

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ern382_delivery),
		cmocka_unit_test(test_ern383_single),
		cmocka_unit_test(test_ern4_simple_single),
		cmocka_unit_test(test_ern42_classical_instruments),
		cmocka_unit_test(test_ern43_album),
		cmocka_unit_test(test_ern43_utf16_example),
		cmocka_unit_test(test_synthetic_43),
		cmocka_unit_test(test_namespaced_children),
		cmocka_unit_test(test_no_duration_why),
		cmocka_unit_test(test_namesakes_and_unnamed),
		cmocka_unit_test(test_synthetic_38),
		cmocka_unit_test(test_purge),
		cmocka_unit_test(test_corpus_table),
		cmocka_unit_test(test_corpus_walk),
		cmocka_unit_test(test_sink_control),
		cmocka_unit_test(test_validate_xsd),
		cmocka_unit_test(test_version_names),
	};

	return cmocka_run_group_tests_name("ddex", tests, setup, teardown);
}
