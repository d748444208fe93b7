/*
 * ddex_test.h: what the unit tests of ddex share (test_ddex.c,
 * test_ddex_mead.c, test_ddex_hostile.c): a sink that keeps what it is
 * given, a message read into it, its records looked at, messages written
 * to a temporary directory, and the setup that finds the corpus
 * (corpus.h) and makes that directory.  Define TEST_NAME, the program's
 * name, before including it.  Header-only: the helpers are static
 * inline, so that a program need not use them all.
 */
#ifndef BLENDCAT_TEST_DDEX_TEST_H
#define BLENDCAT_TEST_DDEX_TEST_H

#ifndef TEST_NAME
#error "define TEST_NAME before including ddex_test.h"
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blendcat/buf.h"
#include "blendcat/ddex.h"
#include "blendcat/diag.h"

#include "corpus.h"

static char corpus[1024];
static char tmpdir[] = "/tmp/" TEST_NAME "_XXXXXX";

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

static inline int s_message(void *ctx, const struct ddex_message *m)
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

static inline int s_record(void *ctx, const struct rec *r, const struct rec_prov *p)
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

static inline int s_reject(void *ctx, const struct rec_prov *p, const char *af, const char *field,
			   const char *value, const char *reason)
{
	struct seen *s = ctx;

	buf_addf(&s->log, "reject %lu track=%s field=%s value='%s': %s\n", p->line,
		 af ? af : "?", field ? field : "-", value ? value : "", reason);
	return 0;
}

static inline void s_warn(void *ctx, const struct rec_prov *p, const char *field, const char *msg)
{
	struct seen *s = ctx;

	buf_addf(&s->log, "warn %lu %s: %s\n", p->line, field ? field : "-", msg);
}

static inline int s_takedown(void *ctx, const struct ddex_takedown *t, const struct rec_prov *p)
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

static inline void seen_init(struct seen *s)
{
	memset(s, 0, sizeof(*s));
	buf_init(&s->log);
}

static inline void seen_release(struct seen *s)
{
	size_t i, j;

	for (i = 0; i < s->nrecs; i++)
		for (j = 0; j < REC_MAX_FIELDS; j++)
			free(s->recs[i].v[j]);
	free(s->recs);
	buf_release(&s->log);
}

static inline int read_into(const char *path, const struct ddex_opts *o, struct seen *s,
			    struct ddex_stats *st)
{
	struct ddex_sink sink = { { s_record, s_reject, s_warn, s }, s_message, s_takedown, NULL };

	return ddex_read_file(path, 7, o, &sink, st);
}

static inline const char *cpath(const char *rel)
{
	static char p[2][1200];
	static int k;

	k ^= 1;
	snprintf(p[k], sizeof(p[k]), "%s/%s", corpus, rel);
	return p[k];
}

static inline size_t count(const struct seen *s, enum rec_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < s->nrecs; i++)
		n += s->recs[i].kind == k;
	return n;
}

/* The n-th record of kind k (from 0). */
static inline const struct got *nth(const struct seen *s, enum rec_kind k, size_t n)
{
	size_t i;

	for (i = 0; i < s->nrecs; i++)
		if (s->recs[i].kind == k && n-- == 0)
			return &s->recs[i];
	fail_msg("no %s record #%zu (have %zu)", rec_kinds[k].name, n, count(s, k));
	return NULL;
}

/* A field of a record: its value, "NULL" when given empty, "-" when not given. */
static inline const char *fv(const struct got *g, const char *field)
{
	int i = rec_field_index(g->kind, field);

	if (i < 0)
		fail_msg("no field %s", field);
	if (!((g->given >> i) & 1u))
		return "-";
	return g->v[i] ? g->v[i] : "NULL";
}

/* Expected values: a "field=value" list, '|'-separated; others must not be given. */
static inline void expect_rec(const struct got *g, const char *spec)
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

static inline void expect_log(const struct seen *s, const char *line)
{
	if (!strstr(s->log.data, line))
		fail_msg("log lacks \"%s\"; log:\n%s", line, s->log.data);
}

static inline char *write_tmp(const char *name, const char *data, size_t len)
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
static inline char *write_lines(const char *name, const char *const *lines)
{
	struct buf b = BUF_INIT;
	char *path;

	for (; *lines; lines++)
		buf_adds(&b, *lines);
	path = write_tmp(name, b.data, b.len);
	buf_release(&b);
	return path;
}

/*
 * Records and log of two reads are the same, but for the extra lines
 * the second log starts with.
 */
static inline void expect_same_records(const struct seen *a, const struct seen *b)
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

/* ----------------------------------------- a synthetic ERN 4.3 message */

/*
 * Read field by field in test_ddex.c (test_synthetic_43) and over the
 * limits in test_ddex_hostile.c; the comments number its lines.
 */
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

/* -------------------------------------------------- setup and teardown */

static inline int setup(void **state)
{
	(void)state;
	if (corpus_find(corpus, sizeof(corpus), "BLENDCAT_DDEX_CORPUS", "../shared/corpus/ddex",
			TEST_NAME) < 0)
		return -1;
	if (!mkdtemp(tmpdir))
		return -1;
	diag_muted = 1;		/* errors are checked through ddex_stats */
	return 0;
}

static inline int teardown(void **state)
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

#endif
