/*
 * Unit tests for ddex: the DDEX corpus in ../shared/corpus/ddex (see its
 * SOURCES.md) read field by field per ERN version, synthetic messages
 * for what the corpus lacks (IPI, PRO, splits, user-defined roles,
 * rejects), every corpus message read without a crash, and hostile
 * input (XML bombs, XXE, DTDs, broken and foreign files) refused fast.
 *
 * BLENDCAT_DDEX_CORPUS overrides the corpus directory.  Without a corpus
 * the tests that read it are skipped, and counted (see corpus.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "blendcat/buf.h"
#include "blendcat/ddex.h"
#include "blendcat/diag.h"

#include "corpus.h"

static char corpus[1024];
static char tmpdir[] = "/tmp/test_ddex_XXXXXX";

/* ------------------------------------------------------------ the sink */

struct got {
	enum rec_kind kind;
	unsigned long line;
	unsigned long given;
	char *v[REC_MAX_FIELDS];
	char by_isrc[NORM_ISRC_SIZE];
	char by_isrc_field[200];
	char no_duration[600];
};

/* What the sink saw. */
struct seen {
	struct got *recs;
	size_t nrecs;
	int messages;
	struct ddex_message msg;	/* scalars only */
	char msg_id[64];
	struct buf log;			/* rejects, warnings, takedowns */
	int stop_after;			/* record() returns 1 after this many (0: never) */
	int message_rc;
	unsigned long long prov_len;
	int prov_file_no;
};

static int s_message(void *ctx, const struct ddex_message *m)
{
	struct seen *s = ctx;

	s->messages++;
	s->msg = *m;
	snprintf(s->msg_id, sizeof(s->msg_id), "%s", m->message_id);
	s->msg.message_id = s->msg_id;
	s->msg.path = NULL;
	s->msg.sender = NULL;
	s->msg.version_name = NULL;
	return s->message_rc;
}

static int s_record(void *ctx, const struct rec *r, const struct rec_prov *p)
{
	struct seen *s = ctx;
	struct got *g;
	size_t i;

	s->recs = realloc(s->recs, (s->nrecs + 1) * sizeof(*s->recs));
	g = &s->recs[s->nrecs++];
	memset(g, 0, sizeof(*g));
	g->kind = r->kind;
	g->line = p->line;
	g->given = r->given;
	for (i = 0; i < rec_kinds[r->kind].nfields; i++)
		if (rec_get(r, (int)i))
			g->v[i] = strdup(rec_get(r, (int)i));
	snprintf(g->by_isrc, sizeof(g->by_isrc), "%s", r->by_isrc);
	snprintf(g->by_isrc_field, sizeof(g->by_isrc_field), "%s",
		 r->by_isrc_field ? r->by_isrc_field : "");
	snprintf(g->no_duration, sizeof(g->no_duration), "%s",
		 r->no_duration ? r->no_duration : "");
	s->prov_len = p->len;
	s->prov_file_no = p->file_no;
	assert_int_equal(p->off, 0);
	return s->stop_after && (int)s->nrecs >= s->stop_after;
}

static int s_reject(void *ctx, const struct rec_prov *p, const char *af, const char *field,
		    const char *value, const char *reason)
{
	struct seen *s = ctx;

	buf_addf(&s->log, "reject %lu track=%s field=%s value='%s': %s\n", p->line,
		 af ? af : "?", field ? field : "-", value ? value : "", reason);
	return 0;
}

static void s_warn(void *ctx, const struct rec_prov *p, const char *field, const char *msg)
{
	struct seen *s = ctx;

	buf_addf(&s->log, "warn %lu %s: %s\n", p->line, field ? field : "-", msg);
}

static int s_takedown(void *ctx, const struct ddex_takedown *t, const struct rec_prov *p)
{
	struct seen *s = ctx;
	size_t i;

	buf_addf(&s->log, "takedown %d line=%lu ref=%s icpn=%s grid=%s tracks=", (int)t->reason,
		 p->line, t->release_reference ? t->release_reference : "-",
		 t->icpn ? t->icpn : "-", t->grid ? t->grid : "-");
	for (i = 0; i < t->naudio; i++)
		buf_addf(&s->log, "%s%s", i ? "," : "", t->audio_filenames[i]);
	buf_addch(&s->log, '\n');
	return 0;
}

static void seen_init(struct seen *s)
{
	memset(s, 0, sizeof(*s));
	buf_init(&s->log);
}

static void seen_release(struct seen *s)
{
	size_t i, j;

	for (i = 0; i < s->nrecs; i++)
		for (j = 0; j < REC_MAX_FIELDS; j++)
			free(s->recs[i].v[j]);
	free(s->recs);
	buf_release(&s->log);
}

static int read_into(const char *path, const struct ddex_opts *o, struct seen *s,
		     struct ddex_stats *st)
{
	struct ddex_sink sink = { s_message, s_record, s_reject, s_warn, s_takedown, s, NULL };

	return ddex_read_file(path, 7, o, &sink, st);
}

static const char *cpath(const char *rel)
{
	static char p[2][1200];
	static int k;

	k ^= 1;
	snprintf(p[k], sizeof(p[k]), "%s/%s", corpus, rel);
	return p[k];
}

static size_t count(const struct seen *s, enum rec_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < s->nrecs; i++)
		n += s->recs[i].kind == k;
	return n;
}

/* The n-th record of kind k (from 0). */
static const struct got *nth(const struct seen *s, enum rec_kind k, size_t n)
{
	size_t i;

	for (i = 0; i < s->nrecs; i++)
		if (s->recs[i].kind == k && n-- == 0)
			return &s->recs[i];
	fail_msg("no %s record #%zu (have %zu)", rec_kinds[k].name, n, count(s, k));
	return NULL;
}

/* A field of a record: its value, "NULL" when given empty, "-" when not given. */
static const char *fv(const struct got *g, const char *field)
{
	int i = rec_field_index(g->kind, field);

	if (i < 0)
		fail_msg("no field %s", field);
	if (!((g->given >> i) & 1u))
		return "-";
	return g->v[i] ? g->v[i] : "NULL";
}

/* Expected values: a "field=value" list, '|'-separated; others must not be given. */
static void expect_rec(const struct got *g, const char *spec)
{
	const struct rec_kind_def *k = &rec_kinds[g->kind];
	char buf[2048], *save = NULL, *tok;
	unsigned long want = 0;
	size_t i;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		char *eq = strchr(tok, '=');
		int f;

		assert_non_null(eq);
		*eq = '\0';
		f = rec_field_index(g->kind, tok);
		if (f < 0)
			fail_msg("no field '%s'", tok);
		want |= 1ul << f;
		if (strcmp(fv(g, tok), eq + 1) != 0)
			fail_msg("%s %s: got '%s', expected '%s'", k->name, tok, fv(g, tok), eq + 1);
	}
	for (i = 0; i < k->nfields; i++)
		if (((g->given >> i) & 1u) && !((want >> i) & 1u))
			fail_msg("%s %s given unexpectedly: '%s'", k->name, k->fields[i].name,
				 fv(g, k->fields[i].name));
}

static void expect_log(const struct seen *s, const char *line)
{
	if (!strstr(s->log.data, line))
		fail_msg("log lacks \"%s\"; log:\n%s", line, s->log.data);
}

static char *write_tmp(const char *name, const char *data, size_t len)
{
	static char path[2][1200];
	static int k;
	FILE *fp;

	k ^= 1;
	snprintf(path[k], sizeof(path[k]), "%s/%s", tmpdir, name);
	fp = fopen(path[k], "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return path[k];
}

/* Write the lines of a message to the temporary directory. */
static char *write_lines(const char *name, const char *const *lines)
{
	struct buf b = BUF_INIT;
	char *path;

	for (; *lines; lines++)
		buf_adds(&b, *lines);
	path = write_tmp(name, b.data, b.len);
	buf_release(&b);
	return path;
}

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

static const char *const syn43[] = {
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
	"<ern:NewReleaseMessage xmlns:ern=\"http://ddex.net/xml/ern/43\" LanguageAndScriptCode=\"en\">\n",
	"<MessageHeader><MessageId>SYN-1</MessageId>\n",
	"<MessageSender><PartyId>PADPIDA0000000001</PartyId><PartyName><FullName>Syn</FullName></PartyName></MessageSender>\n",
	"</MessageHeader>\n",
	"<PartyList>\n",
	"<Party><PartyReference>PJane</PartyReference>\n",
	"<PartyName LanguageAndScriptCode=\"ja-Jpan\"><FullName>ジェーン</FullName></PartyName>\n",
	"<PartyName><FullName>Jane Writer</FullName></PartyName>\n",
	"<PartyId><IpiNameNumber>00014107338</IpiNameNumber></PartyId>\n",
	"<Affiliation><CompanyName>Broadcast Music, Inc.</CompanyName><Type>MusicRightsSociety</Type>",
	"<PercentageOfRightsAssignment>50</PercentageOfRightsAssignment></Affiliation>\n",
	"</Party>\n",
	"<Party><PartyReference>PBob</PartyReference><PartyName><FullName>Bob Player</FullName></PartyName>\n",
	"<Affiliation><PartyAffiliateReference>PPRS</PartyAffiliateReference><Type>MusicRightsSociety</Type></Affiliation>\n",
	"</Party>\n",
	"<Party><PartyReference>PPRS</PartyReference><PartyName><FullName>PRS for Music</FullName></PartyName></Party>\n",
	"<Party><PartyReference>PArtist</PartyReference><PartyName><FullName>The Artist</FullName></PartyName></Party>\n",
	"</PartyList>\n",
	"<ResourceList>\n",
	"<SoundRecording><ResourceReference>A1</ResourceReference>\n",					/* 20 */
	"<SoundRecordingEdition><ResourceId><ISRC>gb-ayc-17-00598</ISRC></ResourceId>\n",
	"<TechnicalDetails><DeliveryFile><Type>AudioFile</Type><File>",
	"<URI>https://cdn.example.com/resources/My%20Song.flac?sig=a/b</URI></File></DeliveryFile></TechnicalDetails>\n",
	"</SoundRecordingEdition>\n",
	"<DisplayTitleText LanguageAndScriptCode=\"fr\">Ma chanson</DisplayTitleText>\n",
	"<DisplayTitleText LanguageAndScriptCode=\"en\" IsDefault=\"true\">My Song</DisplayTitleText>\n",
	"<DisplayArtist SequenceNumber=\"1\"><ArtistPartyReference>PArtist</ArtistPartyReference></DisplayArtist>\n",
	"<DisplayArtist SequenceNumber=\"2\"><ArtistPartyReference>PBob</ArtistPartyReference></DisplayArtist>\n",
	"<Contributor><ContributorPartyReference>PJane</ContributorPartyReference>",
	"<Role>Composer</Role><Role>Lyricist</Role></Contributor>\n",
	"<Contributor><ContributorPartyReference>PBob</ContributorPartyReference>\n",			/* 30 */
	"<Role>Musician</Role><Role Namespace=\"PADPIDA0000000001\" UserDefinedValue=\"Beat Maker\">UserDefined</Role>\n",
	"<InstrumentType>ElectricGuitar</InstrumentType>\n",
	"<InstrumentType Namespace=\"X\" UserDefinedValue=\"Kazoo\">UserDefined</InstrumentType>\n",
	"<HasMadeFeaturedContribution>true</HasMadeFeaturedContribution></Contributor>\n",
	"<Contributor><ContributorPartyReference>PJane</ContributorPartyReference><Role>Composer</Role><Role>Arranger</Role></Contributor>\n",
	"<ResourceRightsController><RightsControllerPartyReference>PBob</RightsControllerPartyReference>",
	"<RightSharePercentage>25</RightSharePercentage></ResourceRightsController>\n",
	"<Duration>PT1H2M3.5S</Duration>\n",
	"<Keywords>summer</Keywords><Keywords>Road Trip</Keywords>\n",
	"</SoundRecording>\n",
	"<SoundRecording><ResourceReference>A2</ResourceReference>\n",					/* 40 */
	"<SoundRecordingEdition><ResourceId><ISRC>USRC17607839</ISRC></ResourceId></SoundRecordingEdition>\n",
	"<DisplayTitleText>Second</DisplayTitleText><DisplayArtistName>The Artist</DisplayArtistName>\n",
	"<Duration>PT0S</Duration>\n",
	"</SoundRecording>\n",
	"<SoundRecording><ResourceReference>A3</ResourceReference>\n",					/* 45 */
	"<SoundRecordingEdition>\n",
	"<ResourceId><ISRC>GB-ABC</ISRC></ResourceId>\n",						/* 47 */
	"<TechnicalDetails><DeliveryFile><File><URI>resources/three.wav</URI></File></DeliveryFile></TechnicalDetails>\n",
	"</SoundRecordingEdition><DisplayTitleText>Third</DisplayTitleText><Duration>PT3M</Duration>\n",
	"</SoundRecording>\n",
	"<SoundRecording><ResourceReference>A4</ResourceReference>\n",					/* 51 */
	"<SoundRecordingEdition><TechnicalDetails><DeliveryFile><File><URI>four.wav</URI></File></DeliveryFile></TechnicalDetails></SoundRecordingEdition>\n",
	"<DisplayTitleText>Fourth</DisplayTitleText>\n",
	"<Contributor><ContributorPartyReference>PNobody</ContributorPartyReference><Role>Composer</Role></Contributor>\n",
	"</SoundRecording>\n",
	"<Image><ResourceReference>A9</ResourceReference><Type>FrontCoverImage</Type>",
	"<TechnicalDetails><File><URI>resources/cover.jpg</URI></File></TechnicalDetails></Image>\n",
	"<Image><ResourceReference>A10</ResourceReference><Type>BackCoverImage</Type>",
	"<TechnicalDetails><File><URI>resources/back.jpg</URI></File></TechnicalDetails></Image>\n",
	"</ResourceList>\n",
	"<ReleaseList>\n",
	"<Release><ReleaseReference>R0</ReleaseReference><ReleaseType>Album</ReleaseType>\n",
	"<ReleaseId><ICPN>5099907138652</ICPN><CatalogNumber Namespace=\"DPID\">SYN-001</CatalogNumber></ReleaseId>\n",
	"<Genre><GenreText>Pop</GenreText><SubGenre>Synth-pop</SubGenre></Genre>\n",
	"<ResourceGroup><ResourceGroupContentItem><ReleaseResourceReference>A1</ReleaseResourceReference></ResourceGroupContentItem>\n",
	"<ResourceGroupContentItem><ReleaseResourceReference>A2</ReleaseResourceReference></ResourceGroupContentItem>\n",
	"<ResourceGroupContentItem><ReleaseResourceReference>A3</ReleaseResourceReference></ResourceGroupContentItem>\n",
	"<ResourceGroupContentItem><ReleaseResourceReference>A4</ReleaseResourceReference></ResourceGroupContentItem>\n",
	"<LinkedReleaseResourceReference>A10</LinkedReleaseResourceReference>",
	"<LinkedReleaseResourceReference>A9</LinkedReleaseResourceReference></ResourceGroup>\n",
	"<Keywords>album keyword</Keywords>\n",
	"</Release>\n",
	"<TrackRelease><ReleaseReference>R1</ReleaseReference><ReleaseResourceReference>A2</ReleaseResourceReference>\n",
	"<Genre><GenreText>Jazz</GenreText><SubGenre>Bebop</SubGenre></Genre></TrackRelease>\n",
	"</ReleaseList>\n",
	"<DealList><ReleaseDeal><DealReleaseReference>R0</DealReleaseReference>\n",
	"<Deal><DealTerms><TerritoryCode>US</TerritoryCode><ValidityPeriod><StartDate>2021-06-01</StartDate></ValidityPeriod></DealTerms></Deal>\n",
	"<Deal><DealTerms><TerritoryCode>GB</TerritoryCode><ValidityPeriod><StartDate>2021-05-01</StartDate></ValidityPeriod></DealTerms></Deal>\n",
	"</ReleaseDeal></DealList>\n",
	"</ern:NewReleaseMessage>\n",
	NULL
};

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
 * Records and log of two reads are the same, but for the extra lines
 * the second log starts with.
 */
static void expect_same_records(const struct seen *a, const struct seen *b)
{
	size_t i, j;

	assert_int_equal(a->nrecs, b->nrecs);
	for (i = 0; i < a->nrecs; i++) {
		const struct got *x = &a->recs[i], *y = &b->recs[i];

		assert_int_equal(x->kind, y->kind);
		assert_int_equal(x->line, y->line);
		assert_int_equal(x->given, y->given);
		for (j = 0; j < REC_MAX_FIELDS; j++)
			assert_string_equal(x->v[j] ? x->v[j] : "(null)", y->v[j] ? y->v[j] : "(null)");
		assert_string_equal(x->by_isrc, y->by_isrc);
		assert_string_equal(x->no_duration, y->no_duration);
	}
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

static int setup(void **state)
{
	(void)state;
	if (corpus_find(corpus, sizeof(corpus), "BLENDCAT_DDEX_CORPUS", "../shared/corpus/ddex",
			"test_ddex") < 0)
		return -1;
	if (!mkdtemp(tmpdir))
		return -1;
	diag_muted = 1;		/* errors are checked through ddex_stats */
	return 0;
}

static int teardown(void **state)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	char path[1200];

	(void)state;
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(tmpdir);
	return 0;
}

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
		cmocka_unit_test(test_mead),
		cmocka_unit_test(test_mead_namespaces),
		cmocka_unit_test(test_corpus_table),
		cmocka_unit_test(test_corpus_walk),
		cmocka_unit_test(test_xml_bombs),
		cmocka_unit_test(test_xxe_and_dtd),
		cmocka_unit_test(test_doctype_every_offset),
		cmocka_unit_test(test_broken_and_foreign),
		cmocka_unit_test(test_binary_truncated_missing),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_big_deal_list),
		cmocka_unit_test(test_lines_past_65535),
		cmocka_unit_test(test_sink_control),
		cmocka_unit_test(test_validate_xsd),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_version_names),
	};

	return cmocka_run_group_tests_name("ddex", tests, setup, teardown);
}
