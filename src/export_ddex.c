/*
 * export_ddex: catalog records -> DDEX ERN 4.3; see
 * include/blendcat/export_ddex.h.  The element order is the XSD's
 * (DDEX's ern/43/release-notification.xsd); every
 * reference written is one this file also defines.
 */
#include "blendcat/export_ddex.h"
#include "blendcat/diag.h"
#include "blendcat/normalize.h"
#include "blendcat/record.h"
#include "blendcat/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/xmlwriter.h>

#define ERN_NS "http://ddex.net/xml/ern/43"
#define MEAD_NS "http://ddex.net/xml/mead/11"

/* A party of the message: the label, an artist, a creator, an instrument credit. */
enum party_kind { PK_LABEL, PK_ARTIST, PK_NO_ARTIST, PK_VARIOUS, PK_CREATOR, PK_INSTRUMENTS };

struct ddexw_party {
	enum party_kind kind;
	const char *name, *ipi, *pro;	/* borrowed from the release's records */
	int featured;			/* PK_INSTRUMENTS: 1, 0, -1 (not known) */
};

/* The release being written: its tracks and their children. */
struct release {
	const struct rec *recs;
	size_t n;
	size_t *track;		/* index in recs of each track */
	size_t ntracks;
	const char *date, *cover, *genre, *subgenre, *artist;	/* NULL unless uniform */
	int same_date, same_cover;
	const char **covers;	/* distinct cover URLs, image k is A<ntracks + k + 1> */
	size_t ncovers;
};

/* ------------------------------------------------------------ helpers */

int ddexw_dpid_ok(const char *s)
{
	size_t i;

	if (strncmp(s, "PADPIDA", 7) != 0 || !s[7])
		return 0;
	for (i = 7; s[i]; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The track's children: recs after it up to the next track. */
static size_t children_end(const struct release *r, size_t t)
{
	return t + 1 < r->ntracks ? r->track[t + 1] : r->n;
}

static const struct rec *trk(const struct release *r, size_t t)
{
	return &r->recs[r->track[t]];
}

/*
 * Percent-encode an audio file name for File/URI: everything outside
 * RFC 3986's unreserved characters, so that the importer's decoding gives
 * the name back byte for byte.
 */
static void uri_encode(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			buf_addch(out, c);
		} else {
			buf_addch(out, '%');
			buf_addch(out, hex[c >> 4]);
			buf_addch(out, hex[c & 15]);
		}
	}
}

/* A file name from a catalog number or an audio file name. */
static void safe_name(struct buf *out, const char *s, int strip_ext)
{
	const char *dot = strip_ext ? strrchr(s, '.') : NULL;
	const char *end = dot && dot != s ? dot : s + strlen(s);

	for (; s < end; s++) {
		unsigned char c = (unsigned char)*s;

		buf_addch(out, (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			       (c >= '0' && c <= '9') || c == '-' || c == '_' ||
			       (c == '.' && out->len) ? c : '_');
	}
}

/* xs:duration from seconds. */
static void iso_duration(char *out, size_t size, const char *secs)
{
	long s = secs ? strtol(secs, NULL, 10) : 0;

	if (s >= 3600)
		snprintf(out, size, "PT%ldH%ldM%ldS", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(out, size, "PT%ldM%ldS", s / 60, s % 60);
}

/* ------------------------------------------------------------ parties */

static size_t party_add(struct ddexw *w, enum party_kind kind, const char *name, const char *ipi,
			const char *pro, int featured)
{
	struct ddexw_party *p;
	size_t i;

	for (i = 0; i < w->nparties; i++) {
		p = &w->parties[i];
		if (p->kind == kind && same(p->name, name) && same(p->ipi, ipi) &&
		    same(p->pro, pro) && p->featured == featured)
			return i;
	}
	if (w->nparties == w->capparties) {
		w->capparties = w->capparties ? 2 * w->capparties : 16;
		w->parties = xrealloc(w->parties, w->capparties * sizeof(*w->parties));
	}
	p = &w->parties[w->nparties];
	p->kind = kind;
	p->name = name;
	p->ipi = ipi;
	p->pro = pro;
	p->featured = featured;
	return w->nparties++;
}

static size_t artist_party(struct ddexw *w, const char *artist)
{
	return artist ? party_add(w, PK_ARTIST, artist, NULL, NULL, -1) :
			party_add(w, PK_NO_ARTIST, NULL, NULL, NULL, -1);
}

static size_t creator_party(struct ddexw *w, const struct rec *c)
{
	return party_add(w, PK_CREATOR, rec_get(c, CF_CREATOR_NAME), rec_get(c, CF_IPI_NUMBER),
			 rec_get(c, CF_PRO), -1);
}

static int primary_of(const struct rec *i)
{
	const char *v = rec_get(i, 3);

	return !v ? -1 : strcmp(v, "true") == 0;
}

static size_t instrument_party(struct ddexw *w, const struct rec *i)
{
	return party_add(w, PK_INSTRUMENTS, NULL, NULL, NULL, primary_of(i));
}

/* Every party of the release, in the order the message lists them. */
static void collect_parties(struct ddexw *w, const struct release *r)
{
	size_t t, i;

	w->nparties = 0;
	party_add(w, PK_LABEL, w->o.sender_name, NULL, NULL, -1);
	if (r->artist)
		artist_party(w, r->artist);
	else
		party_add(w, PK_VARIOUS, "Various Artists", NULL, NULL, -1);
	for (t = 0; t < r->ntracks; t++) {
		artist_party(w, rec_get(trk(r, t), TF_ARTIST));
		for (i = r->track[t] + 1; i < children_end(r, t); i++) {
			if (r->recs[i].kind == REC_CREATOR)
				creator_party(w, &r->recs[i]);
			else if (r->recs[i].kind == REC_INSTRUMENT)
				instrument_party(w, &r->recs[i]);
		}
	}
}

static const char *party_ref(char *out, size_t i)
{
	snprintf(out, 24, "P%zu", i + 1);
	return out;
}

/* ------------------------------------------------------------ writing */

/*
 * Every xmlTextWriter call returns < 0 on failure; once one has failed
 * the rest are skipped and the file is reported as not written.
 */
struct xw {
	xmlTextWriterPtr w;
	int failed;
};

static void start(struct xw *x, const char *name)
{
	if (!x->failed && xmlTextWriterStartElement(x->w, BAD_CAST name) < 0)
		x->failed = 1;
}

static void end(struct xw *x)
{
	if (!x->failed && xmlTextWriterEndElement(x->w) < 0)
		x->failed = 1;
}

static void attr(struct xw *x, const char *name, const char *value)
{
	if (!x->failed && xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST value) < 0)
		x->failed = 1;
}

static void elem(struct xw *x, const char *name, const char *value)
{
	if (!x->failed &&
	    xmlTextWriterWriteElement(x->w, BAD_CAST name, BAD_CAST(value ? value : "")) < 0)
		x->failed = 1;
}

/* <name Namespace="dpid">value</name> */
static void elem_ns(struct xw *x, const char *name, const char *dpid, const char *value)
{
	start(x, name);
	attr(x, "Namespace", dpid);
	if (!x->failed && xmlTextWriterWriteString(x->w, BAD_CAST value) < 0)
		x->failed = 1;
	end(x);
}

/* A value from an allowed-value set, or UserDefined with the text as its value. */
static void elem_avs(struct xw *x, const char *name, const char *avs, const char *text)
{
	start(x, name);
	if (!avs)
		attr(x, "UserDefinedValue", text);
	if (!x->failed && xmlTextWriterWriteString(x->w, BAD_CAST(avs ? avs : "UserDefined")) < 0)
		x->failed = 1;
	end(x);
}

static void messaging_party(struct xw *x, const char *name, const char *dpid, const char *full)
{
	start(x, name);
	elem(x, "PartyId", dpid);
	start(x, "PartyName");
	elem(x, "FullName", full);
	end(x);
	end(x);
}

static void message_header(struct ddexw *w, struct xw *x, const char *id)
{
	start(x, "MessageHeader");
	elem(x, "MessageId", id);
	messaging_party(x, "MessageSender", w->o.sender_dpid, w->o.sender_name);
	messaging_party(x, "MessageRecipient", w->o.recipient_dpid, w->o.recipient_name);
	elem(x, "MessageCreatedDateTime", w->o.created);
	elem(x, "MessageControlType", "LiveMessage");
	end(x);
}

static void party_list(struct ddexw *w, struct xw *x)
{
	static const char *const instr_id[] = { "instruments", "featured-instruments",
						"instruments-unspecified" };
	char ref[24];
	size_t i;

	start(x, "PartyList");
	for (i = 0; i < w->nparties; i++) {
		const struct ddexw_party *p = &w->parties[i];

		start(x, "Party");
		elem(x, "PartyReference", party_ref(ref, i));
		if (p->kind == PK_NO_ARTIST || p->kind == PK_INSTRUMENTS) {
			/* No name: the importer makes no creator of it. */
			start(x, "PartyId");
			elem_ns(x, "ProprietaryId", w->o.sender_dpid,
				p->kind == PK_NO_ARTIST ? "no-display-artist" :
				instr_id[p->featured < 0 ? 2 : p->featured]);
			end(x);
		} else {
			start(x, "PartyName");
			elem(x, "FullName", p->name);
			end(x);
			if (p->kind == PK_LABEL || p->ipi) {
				start(x, "PartyId");
				if (p->kind == PK_LABEL)
					elem(x, "DPID", w->o.sender_dpid);
				else
					elem(x, "IpiNameNumber", p->ipi);
				end(x);
			}
		}
		if (p->pro) {
			start(x, "Affiliation");
			elem(x, "CompanyName", p->pro);
			elem(x, "Type", "MusicRightsSociety");
			elem(x, "TerritoryCode", "Worldwide");
			end(x);
		}
		end(x);
	}
	end(x);
}

/* The schema's creator roles in DDEX's ContributorRole set; others are UserDefined. */
static const char *ddex_role(const char *role)
{
	static const struct {
		const char *role, *ddex;
	} map[] = {
		{ "composer", "Composer" }, { "lyricist", "Lyricist" },
		{ "songwriter", "ComposerLyricist" }, { "arranger", "Arranger" },
		{ "producer", "StudioProducer" }, { "executive producer", "ExecutiveProducer" },
		{ "performer", "Performer" }, { "conductor", "Conductor" },
		{ "remixer", "Remixer" }, { "mixer", "Mixer" },
		{ "mastering engineer", "MasteringEngineer" }, { "engineer", "Engineer" },
		{ "programmer", "Programmer" }, { "publisher", "MusicPublisher" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].role, role) == 0)
			return map[i].ddex;
	return NULL;
}

/* One Contributor per creator party of the track, with all its roles. */
static void contributors(struct ddexw *w, struct xw *x, const struct release *r, size_t t)
{
	size_t b = r->track[t] + 1, e = children_end(r, t), i, j;
	char ref[24];

	for (i = b; i < e; i++) {
		size_t pi;

		if (r->recs[i].kind != REC_CREATOR)
			continue;
		pi = creator_party(w, &r->recs[i]);
		for (j = b; j < i; j++)
			if (r->recs[j].kind == REC_CREATOR && creator_party(w, &r->recs[j]) == pi)
				break;
		if (j < i)
			continue;	/* written with its first row */
		start(x, "Contributor");
		elem(x, "ContributorPartyReference", party_ref(ref, pi));
		for (j = i; j < e; j++) {
			const char *role = rec_get(&r->recs[j], CF_ROLE);

			if (r->recs[j].kind == REC_CREATOR && role &&
			    creator_party(w, &r->recs[j]) == pi)
				elem_avs(x, "Role", ddex_role(role), role);
		}
		end(x);
	}
}

/* Instruments: one Contributor per kind of credit (featured, not, unknown). */
static void instrument_contributors(struct ddexw *w, struct xw *x, const struct release *r,
				    size_t t)
{
	static const int order[] = { 1, 0, -1 };
	size_t b = r->track[t] + 1, e = children_end(r, t), i, k;
	char ref[24];

	for (k = 0; k < 3; k++) {
		int any = 0;

		for (i = b; i < e; i++) {
			const struct rec *in = &r->recs[i];

			if (in->kind != REC_INSTRUMENT || primary_of(in) != order[k])
				continue;
			if (!any++) {
				start(x, "Contributor");
				elem(x, "ContributorPartyReference",
				     party_ref(ref, instrument_party(w, in)));
			}
			elem_avs(x, "InstrumentType", NULL,
				 rec_get(in, 2) ? rec_get(in, 2) : rec_get(in, 1));
		}
		if (any) {
			if (order[k] >= 0)
				elem(x, "HasMadeFeaturedContribution", order[k] ? "true" : "false");
			end(x);
		}
	}
}

/* A creator's share of the track: the splits of all its rows, in hundredths. */
static long party_share(struct ddexw *w, const struct release *r, size_t t, size_t pi)
{
	size_t i;
	long sum = 0;

	for (i = r->track[t] + 1; i < children_end(r, t); i++) {
		const struct rec *c = &r->recs[i];
		const char *split = rec_get(c, CF_SPLIT_PERCENTAGE);

		if (c->kind == REC_CREATOR && split && creator_party(w, c) == pi)
			sum += lround(strtod(split, NULL) * 100);
	}
	return sum;
}

/*
 * Splits: a ResourceRightsController per creator party with a split.  A
 * party is one person with all its roles, so its share is the sum of its
 * rows' splits (the importer puts it on the person's first row).
 */
static void rights_controllers(struct ddexw *w, struct xw *x, const struct release *r, size_t t)
{
	size_t b = r->track[t] + 1, e = children_end(r, t), i, j;
	char ref[24], pct[32];

	for (i = b; i < e; i++) {
		const struct rec *c = &r->recs[i];
		size_t pi;
		long share;

		if (c->kind != REC_CREATOR || !rec_get(c, CF_SPLIT_PERCENTAGE))
			continue;
		pi = creator_party(w, c);
		for (j = b; j < i; j++)
			if (r->recs[j].kind == REC_CREATOR &&
			    rec_get(&r->recs[j], CF_SPLIT_PERCENTAGE) &&
			    creator_party(w, &r->recs[j]) == pi)
				break;
		if (j < i)
			continue;
		share = party_share(w, r, t, pi);
		snprintf(pct, sizeof(pct), "%ld.%02ld", share / 100, share % 100);
		start(x, "ResourceRightsController");
		elem(x, "RightsControllerPartyReference", party_ref(ref, pi));
		elem(x, "RightsControlType", "RoyaltyAdministrator");
		elem(x, "RightSharePercentage", pct);
		end(x);
	}
}

/* A track's ResourceId: its ISRC, else its audio_filename under the sender's DPID. */
static void resource_id(struct xw *x, const struct ddexw *w, const struct rec *tr)
{
	start(x, "ResourceId");
	if (rec_get(tr, TF_ISRC))
		elem(x, "ISRC", rec_get(tr, TF_ISRC));
	else
		elem_ns(x, "ProprietaryId", w->o.sender_dpid, rec_get(tr, TF_AUDIO_FILENAME));
	end(x);
}

static void sound_recording(struct ddexw *w, struct xw *x, const struct release *r, size_t t)
{
	const struct rec *tr = trk(r, t);
	const char *artist = rec_get(tr, TF_ARTIST);
	char ref[24], dur[40];

	start(x, "SoundRecording");
	snprintf(ref, sizeof(ref), "A%zu", t + 1);
	elem(x, "ResourceReference", ref);
	elem(x, "Type", "MusicalWorkSoundRecording");
	start(x, "SoundRecordingEdition");
	resource_id(x, w, tr);
	start(x, "TechnicalDetails");
	snprintf(ref, sizeof(ref), "T%zu", t + 1);
	elem(x, "TechnicalResourceDetailsReference", ref);
	start(x, "DeliveryFile");
	elem(x, "Type", "AudioFile");
	start(x, "File");
	buf_reset(&w->scratch);
	buf_adds(&w->scratch, "resources/");
	uri_encode(&w->scratch, rec_get(tr, TF_AUDIO_FILENAME));
	elem(x, "URI", w->scratch.data);
	end(x);
	end(x);
	end(x);
	end(x);
	elem(x, "DisplayTitleText", rec_get(tr, TF_TITLE));
	start(x, "DisplayTitle");
	elem(x, "TitleText", rec_get(tr, TF_TITLE));
	end(x);
	elem(x, "DisplayArtistName", artist);
	start(x, "DisplayArtist");
	attr(x, "SequenceNumber", "1");
	elem(x, "ArtistPartyReference", party_ref(ref, artist_party(w, artist)));
	elem(x, "DisplayArtistRole", "MainArtist");
	end(x);
	contributors(w, x, r, t);
	instrument_contributors(w, x, r, t);
	rights_controllers(w, x, r, t);
	iso_duration(dur, sizeof(dur), rec_get(tr, TF_DURATION));
	elem(x, "Duration", dur);
	elem(x, "ParentalWarningType", "NoAdviceAvailable");
	end(x);
}

static size_t cover_index(const struct release *r, const char *url)
{
	size_t k;

	for (k = 0; k < r->ncovers; k++)
		if (strcmp(r->covers[k], url) == 0)
			break;
	return k;
}

static void image(struct ddexw *w, struct xw *x, const struct release *r, size_t k)
{
	char ref[24];

	start(x, "Image");
	snprintf(ref, sizeof(ref), "A%zu", r->ntracks + k + 1);
	elem(x, "ResourceReference", ref);
	elem(x, "Type", "FrontCoverImage");
	start(x, "ResourceId");
	elem_ns(x, "ProprietaryId", w->o.sender_dpid, r->covers[k]);
	end(x);
	start(x, "TechnicalDetails");
	snprintf(ref, sizeof(ref), "TI%zu", k + 1);
	elem(x, "TechnicalResourceDetailsReference", ref);
	start(x, "File");
	elem(x, "URI", r->covers[k]);
	end(x);
	end(x);
	end(x);
}

static void resource_list(struct ddexw *w, struct xw *x, const struct release *r)
{
	size_t i;

	start(x, "ResourceList");
	for (i = 0; i < r->ntracks; i++)
		sound_recording(w, x, r, i);
	for (i = 0; i < r->ncovers; i++)
		image(w, x, r, i);
	end(x);
}

static void genre(struct xw *x, const char *g, const char *sub)
{
	start(x, "Genre");
	elem(x, "GenreText", g);
	if (sub)
		elem(x, "SubGenre", sub);
	end(x);
}

static void main_release(struct ddexw *w, struct xw *x, const struct release *r)
{
	const char *catno = rec_get(trk(r, 0), TF_CATALOG_NUMBER);
	const char *title = r->ntracks == 1 || !catno ? rec_get(trk(r, 0), TF_TITLE) : catno;
	char gtin[NORM_GTIN_SIZE], why[NORM_WHY_MAX], ref[24];
	size_t i;

	start(x, "Release");
	elem(x, "ReleaseReference", "R0");
	elem(x, "ReleaseType", r->ntracks == 1 ? "Single" : "Album");
	start(x, "ReleaseId");
	if (catno && norm_gtin(catno, gtin, why) == 0 && strcmp(gtin, catno) == 0)
		elem(x, "ICPN", catno);
	if (catno)
		elem_ns(x, "CatalogNumber", w->o.sender_dpid, catno);
	else
		elem_ns(x, "ProprietaryId", w->o.sender_dpid, rec_get(trk(r, 0), TF_AUDIO_FILENAME));
	end(x);
	elem(x, "DisplayTitleText", title);
	start(x, "DisplayTitle");
	elem(x, "TitleText", title);
	end(x);
	elem(x, "DisplayArtistName", r->artist ? r->artist : "Various Artists");
	start(x, "DisplayArtist");
	attr(x, "SequenceNumber", "1");
	elem(x, "ArtistPartyReference", party_ref(ref, r->artist ? artist_party(w, r->artist) :
					 party_add(w, PK_VARIOUS, "Various Artists", NULL, NULL, -1)));
	elem(x, "DisplayArtistRole", "MainArtist");
	end(x);
	elem(x, "ReleaseLabelReference", party_ref(ref, 0));
	/*
	 * The importer takes a track's genre from its TrackRelease first, and
	 * the release's only when that has none: an empty GenreText when the
	 * tracks differ and one has no genre.
	 */
	genre(x, r->genre ? r->genre : "", r->genre ? r->subgenre : NULL);
	if (r->same_date && r->date)
		elem(x, "ReleaseDate", r->date);
	elem(x, "ParentalWarningType", "NoAdviceAvailable");
	start(x, "ResourceGroup");
	for (i = 0; i < r->ntracks; i++) {
		start(x, "ResourceGroupContentItem");
		snprintf(ref, sizeof(ref), "%zu", i + 1);
		elem(x, "SequenceNumber", ref);
		snprintf(ref, sizeof(ref), "A%zu", i + 1);
		elem(x, "ReleaseResourceReference", ref);
		end(x);
	}
	if (r->same_cover && r->cover) {
		snprintf(ref, sizeof(ref), "A%zu", r->ntracks + 1);
		elem(x, "LinkedReleaseResourceReference", ref);
	}
	end(x);
	end(x);
}

/* A TrackRelease per track: the values the importer takes from it. */
static void track_release(struct ddexw *w, struct xw *x, const struct release *r, size_t t)
{
	const struct rec *tr = trk(r, t);
	const char *tags = rec_get(tr, TF_TAGS), *g = rec_get(tr, TF_GENRE);
	char ref[24];

	start(x, "TrackRelease");
	snprintf(ref, sizeof(ref), "R%zu", t + 1);
	elem(x, "ReleaseReference", ref);
	start(x, "ReleaseId");
	elem_ns(x, "ProprietaryId", w->o.sender_dpid, rec_get(tr, TF_AUDIO_FILENAME));
	end(x);
	snprintf(ref, sizeof(ref), "A%zu", t + 1);
	elem(x, "ReleaseResourceReference", ref);
	if (!r->same_cover && rec_get(tr, TF_COVER_ART_URL)) {
		snprintf(ref, sizeof(ref), "A%zu",
			 r->ntracks + cover_index(r, rec_get(tr, TF_COVER_ART_URL)) + 1);
		elem(x, "LinkedReleaseResourceReference", ref);
	}
	elem(x, "ReleaseLabelReference", party_ref(ref, 0));
	genre(x, g ? g : "", g ? rec_get(tr, TF_SUBGENRE) : NULL);
	/* Tags are stored as the COPY text of an array: here ';'-joined. */
	while (tags && *tags) {
		size_t n = strcspn(tags, ";");

		buf_reset(&w->scratch);
		buf_add(&w->scratch, tags, n);
		elem(x, "Keywords", w->scratch.data);
		tags += n + (tags[n] == ';');
	}
	if (rec_get(tr, TF_DESCRIPTION))
		elem(x, "Synopsis", rec_get(tr, TF_DESCRIPTION));
	end(x);
}

static void deal(struct xw *x, const char *date)
{
	static const char *const models[][3] = {
		{ "SubscriptionModel", "OnDemandStream", "NonInteractiveStream" },
		{ "PayAsYouGoModel", "PermanentDownload", NULL },
	};
	size_t i;

	for (i = 0; i < 2; i++) {
		start(x, "Deal");
		if (!date) {
			/* No release date: the terms are agreed elsewhere. */
			elem(x, "IsCommunicatedOutOfBand", "true");
			end(x);
			return;
		}
		start(x, "DealTerms");
		elem(x, "TerritoryCode", "Worldwide");
		start(x, "ValidityPeriod");
		elem(x, "StartDate", date);
		end(x);
		elem(x, "CommercialModelType", models[i][0]);
		elem(x, "UseType", models[i][1]);
		if (models[i][2])
			elem(x, "UseType", models[i][2]);
		end(x);
		end(x);
	}
}

/*
 * Deals: with one release date, one deal for the release and its track
 * releases from that date.  Otherwise each track release with a date
 * gets its own, and the rest (the release too) one without terms: the
 * importer takes a track's release date from its deals' start.
 */
static void deal_list(struct xw *x, const struct release *r)
{
	char ref[24];
	size_t t;

	start(x, "DealList");
	start(x, "ReleaseDeal");
	elem(x, "DealReleaseReference", "R0");
	for (t = 0; t < r->ntracks; t++) {
		if (!r->same_date && rec_get(trk(r, t), TF_RELEASE_DATE))
			continue;
		snprintf(ref, sizeof(ref), "R%zu", t + 1);
		elem(x, "DealReleaseReference", ref);
	}
	deal(x, r->same_date ? r->date : NULL);
	end(x);
	for (t = 0; !r->same_date && t < r->ntracks; t++) {
		const char *date = rec_get(trk(r, t), TF_RELEASE_DATE);

		if (!date)
			continue;
		start(x, "ReleaseDeal");
		snprintf(ref, sizeof(ref), "R%zu", t + 1);
		elem(x, "DealReleaseReference", ref);
		deal(x, date);
		end(x);
	}
	end(x);
}

static void release_list(struct ddexw *w, struct xw *x, const struct release *r)
{
	size_t t;

	start(x, "ReleaseList");
	main_release(w, x, r);
	for (t = 0; t < r->ntracks; t++)
		track_release(w, x, r, t);
	end(x);
}

/* The document, its prefixed root element with the version attributes, and the header. */
static void begin_message(struct ddexw *w, struct xw *x, const char *prefix, const char *root,
			  const char *ns, const char *id)
{
	if (!x->failed && (xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL) < 0 ||
			   xmlTextWriterStartElementNS(x->w, BAD_CAST prefix, BAD_CAST root,
						       BAD_CAST ns) < 0))
		x->failed = 1;
	attr(x, "AvsVersionId", "3");
	attr(x, "LanguageAndScriptCode", "en");
	message_header(w, x, id);
}

static void ern_message(struct ddexw *w, struct xw *x, const struct release *r, const char *id)
{
	begin_message(w, x, "ern", "NewReleaseMessage", ERN_NS, id);
	party_list(w, x);
	resource_list(w, x, r);
	release_list(w, x, r);
	deal_list(x, r);
	end(x);
	if (!x->failed && xmlTextWriterEndDocument(x->w) < 0)
		x->failed = 1;
}

/* ---------------------------------------------------------------- MEAD */

/* MEAD's RootChordNote for a stored key (sharps). */
static const char *mead_note(const char *key)
{
	static const char *const notes[][2] = {
		{ "C", "C" }, { "C#", "C#/Db" }, { "D", "D" }, { "D#", "Eb/D#" }, { "E", "E" },
		{ "F", "F" }, { "F#", "Gb/F#" }, { "G", "G" }, { "G#", "Ab/G#" }, { "A", "A" },
		{ "A#", "Bb/A#" }, { "B", "B" },
	};
	size_t i;

	for (i = 0; i < sizeof(notes) / sizeof(notes[0]); i++)
		if (strcmp(notes[i][0], key) == 0)
			return notes[i][1];
	return NULL;
}

/* A stored section name in MEAD's RecordingPartType set, or NULL. */
static const char *mead_part(const char *section)
{
	static const char *const parts[] = {
		"Breakdown", "Bridge", "Chorus", "Coda", "Drop", "Hook", "Intro", "Outro",
		"PreChorus", "Verse",
	};
	size_t i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (strcasecmp(parts[i], section) == 0)
			return parts[i];
	return NULL;
}

/* A list stored ';'-joined, as one element per value (UserDefined). */
static void mead_moods(struct ddexw *w, struct xw *x, const char *moods)
{
	while (moods && *moods) {
		size_t n = strcspn(moods, ";");

		buf_reset(&w->scratch);
		buf_add(&w->scratch, moods, n);
		start(x, "Mood");
		elem_avs(x, "Value", NULL, w->scratch.data);
		end(x);
		moods += n + (moods[n] == ';');
	}
}

static void mead_sections(struct xw *x, const struct release *r, size_t t)
{
	size_t i;

	for (i = r->track[t] + 1; i < children_end(r, t); i++) {
		const struct rec *a = &r->recs[i];
		const char *name;

		if (a->kind != REC_ARRANGEMENT)
			continue;
		name = rec_get(a, AF_SECTION_NAME);
		start(x, "RecordingPart");
		elem(x, "Unit", "Second");
		elem(x, "StartPoint", rec_get(a, AF_START_TIME));
		elem(x, "EndPoint", rec_get(a, AF_END_TIME));
		elem_avs(x, "RecordingPartType", mead_part(name), name);
		if (rec_get(a, AF_DESCRIPTION)) {
			start(x, "Comment");
			elem(x, "Text", rec_get(a, AF_DESCRIPTION));
			end(x);
		}
		end(x);
	}
}

static void mead_track(struct ddexw *w, struct xw *x, const struct release *r, size_t t)
{
	const struct rec *tr = trk(r, t);
	const char *key = rec_get(tr, TF_MUSICAL_KEY);

	start(x, "ResourceInformation");
	start(x, "ResourceSummary");
	resource_id(x, w, tr);
	start(x, "DisplayTitle");
	start(x, "TitleText");
	elem(x, "Title", rec_get(tr, TF_TITLE));
	end(x);
	end(x);
	end(x);
	if (rec_get(tr, TF_TEMPO)) {
		start(x, "BeatsPerMinute");
		elem(x, "Value", rec_get(tr, TF_TEMPO));
		end(x);
	}
	if (key && mead_note(key)) {
		start(x, "Harmony");
		elem(x, "RootChordNote", mead_note(key));
		if (rec_get(tr, TF_SCALE))
			elem(x, "RootChordQuality", strcmp(rec_get(tr, TF_SCALE), "minor") == 0 ?
						     "MinorTriad" : "MajorTriad");
		end(x);
	}
	mead_moods(w, x, rec_get(tr, TF_MOOD));
	mead_sections(x, r, t);
	end(x);
}

static void mead_message(struct ddexw *w, struct xw *x, const struct release *r, const char *id)
{
	size_t t;

	begin_message(w, x, "mead", "MeadMessage", MEAD_NS, id);
	start(x, "ResourceInformationList");
	for (t = 0; t < r->ntracks; t++)
		mead_track(w, x, r, t);
	end(x);
	end(x);
	if (!x->failed && xmlTextWriterEndDocument(x->w) < 0)
		x->failed = 1;
}

/* --------------------------------------------------------------- files */

/* mkdir, fine if it exists. */
static int make_dir(const char *path)
{
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return diag_error(LOC_NONE, "cannot create '%s': %s", path, strerror(errno));
	return 0;
}

/* Open a new file (never an existing one): base + ("" or "-N") + ext. */
static int create_file(struct buf *path, const char *base, const char *ext)
{
	int fd, n;

	for (n = 1; n < 1000; n++) {
		buf_reset(path);
		buf_adds(path, base);
		if (n > 1)
			buf_addf(path, "-%d", n);
		buf_adds(path, ext);
		fd = open(path->data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0)
		diag_error(LOC_NONE, "cannot create '%s': %s", path->data, strerror(errno));
	return fd;
}

typedef void (*message_fn)(struct ddexw *, struct xw *, const struct release *, const char *);

/* Write one message with fn into path, already open as fd. */
static int write_message(struct ddexw *w, int fd, const char *path, message_fn fn,
			 const struct release *r, const char *id)
{
	xmlOutputBufferPtr ob = xmlOutputBufferCreateFd(fd, NULL);
	struct xw x = { NULL, 0 };
	int rc = 0;

	if (!ob || !(x.w = xmlNewTextWriter(ob))) {
		if (ob)
			xmlOutputBufferClose(ob);
		close(fd);
		return diag_error(LOC_NONE, "cannot write '%s': out of memory", path);
	}
	xmlTextWriterSetIndent(x.w, 1);
	xmlTextWriterSetIndentString(x.w, BAD_CAST "  ");
	errno = 0;
	fn(w, &x, r, id);
	if (!x.failed && xmlTextWriterFlush(x.w) < 0)
		x.failed = 1;
	xmlFreeTextWriter(x.w);	/* closes the output buffer, not fd */
	if (close(fd) < 0 || x.failed)
		rc = diag_error(LOC_NONE, "cannot write '%s': %s", path,
				errno ? strerror(errno) : "write failed");
	return rc;
}

/* Where the release's files go: DIR, or DIR/<batch>/<release>/ with resources/. */
static int release_dir(struct ddexw *w, const char *name)
{
	buf_reset(&w->dirpath);
	buf_adds(&w->dirpath, w->dir);
	if (!w->o.batch)
		return 0;
	buf_addf(&w->dirpath, "/%s/%s", w->o.batch_id, name);
	if (make_dir(w->dirpath.data) < 0)
		return -1;
	buf_reset(&w->scratch);
	buf_addf(&w->scratch, "%s/resources", w->dirpath.data);
	return make_dir(w->scratch.data);
}

static int write_files(struct ddexw *w, const struct release *r)
{
	const char *catno = rec_get(trk(r, 0), TF_CATALOG_NUMBER);
	struct buf name = BUF_INIT, base = BUF_INIT, id = BUF_INIT;
	int fd, rc = -1;

	if (catno)
		safe_name(&name, catno, 0);
	else
		safe_name(&name, rec_get(trk(r, 0), TF_AUDIO_FILENAME), 1);
	if (!name.len)
		buf_adds(&name, "release");
	if (release_dir(w, name.data) < 0)
		goto out;
	buf_addf(&base, "%s/%s", w->dirpath.data, name.data);
	if ((fd = create_file(&w->path, base.data, ".xml")) < 0)
		goto out;
	buf_addf(&id, "%s-%lu", w->o.batch_id, w->messages + 1);
	if (write_message(w, fd, w->path.data, ern_message, r, id.data) < 0)
		goto out;
	buf_add(&w->names, w->path.data + strlen(w->dir) + 1, w->path.len - strlen(w->dir) - 1);
	buf_addch(&w->names, '\0');
	if (w->o.mead) {
		buf_adds(&base, "_mead");
		buf_adds(&id, "-mead");
		if ((fd = create_file(&w->path, base.data, ".xml")) < 0 ||
		    write_message(w, fd, w->path.data, mead_message, r, id.data) < 0)
			goto out;
	}
	w->messages++;
	w->tracks += r->ntracks;
	rc = 0;
out:
	buf_release(&name);
	buf_release(&base);
	buf_release(&id);
	return rc;
}

/* ---------------------------------------------------------- the release */

/* Release-level values: kept when every track has the same. */
static void uniform(struct release *r)
{
	size_t t;

	r->date = rec_get(trk(r, 0), TF_RELEASE_DATE);
	r->cover = rec_get(trk(r, 0), TF_COVER_ART_URL);
	r->genre = rec_get(trk(r, 0), TF_GENRE);
	r->subgenre = rec_get(trk(r, 0), TF_SUBGENRE);
	r->artist = rec_get(trk(r, 0), TF_ARTIST);
	r->same_date = r->same_cover = 1;
	for (t = 1; t < r->ntracks; t++) {
		const struct rec *tr = trk(r, t);

		r->same_date &= same(r->date, rec_get(tr, TF_RELEASE_DATE));
		r->same_cover &= same(r->cover, rec_get(tr, TF_COVER_ART_URL));
		if (!same(r->genre, rec_get(tr, TF_GENRE)) ||
		    !same(r->subgenre, rec_get(tr, TF_SUBGENRE)))
			r->genre = r->subgenre = NULL;
		if (!same(r->artist, rec_get(tr, TF_ARTIST)))
			r->artist = NULL;
	}
	for (t = 0; t < r->ntracks; t++) {
		const char *c = rec_get(trk(r, t), TF_COVER_ART_URL);

		if (c && cover_index(r, c) == r->ncovers)
			r->covers[r->ncovers++] = c;
	}
}

static int ddexw_open(void *ctx, const char *dir)
{
	struct ddexw *w = ctx;
	struct buf p = BUF_INIT;
	int rc = 0;

	w->dir = dir;
	if (w->o.batch) {
		buf_addf(&p, "%s/%s", dir, w->o.batch_id);
		if (mkdir(p.data, 0700) < 0)
			rc = diag_error(LOC_NONE, "cannot create the batch folder '%s': %s", p.data,
					strerror(errno));
	}
	buf_release(&p);
	return rc;
}

static int ddexw_write(void *ctx, const struct rec *recs, size_t n)
{
	struct ddexw *w = ctx;
	struct release r;
	size_t i;
	int rc;

	memset(&r, 0, sizeof(r));
	r.recs = recs;
	r.n = n;
	r.track = xmalloc(n * sizeof(*r.track));
	r.covers = xmalloc(n * sizeof(*r.covers));
	for (i = 0; i < n; i++)
		if (recs[i].kind == REC_TRACK)
			r.track[r.ntracks++] = i;
	rc = 0;
	if (r.ntracks) {
		uniform(&r);
		collect_parties(w, &r);
		rc = write_files(w, &r);
	}
	free(r.track);
	free(r.covers);
	return rc;
}

/*
 * BatchComplete_<id>.xml, last: the messages of the batch, so that a
 * recipient knows the batch is whole.
 */
static int batch_complete(struct ddexw *w)
{
	struct buf base = BUF_INIT;
	struct xw x = { NULL, 0 };
	const char *p, *stop = w->names.data + w->names.len;
	xmlOutputBufferPtr ob;
	int fd, rc = -1;

	buf_addf(&base, "%s/%s/BatchComplete_%s", w->dir, w->o.batch_id, w->o.batch_id);
	if ((fd = create_file(&w->path, base.data, ".xml")) < 0)
		goto out;
	ob = xmlOutputBufferCreateFd(fd, NULL);
	if (!ob || !(x.w = xmlNewTextWriter(ob))) {
		if (ob)
			xmlOutputBufferClose(ob);
		close(fd);
		diag_error(LOC_NONE, "cannot write '%s': out of memory", w->path.data);
		goto out;
	}
	xmlTextWriterSetIndent(x.w, 1);
	if (xmlTextWriterStartDocument(x.w, NULL, "UTF-8", NULL) < 0)
		x.failed = 1;
	start(&x, "BatchComplete");
	elem(&x, "BatchId", w->o.batch_id);
	elem(&x, "NumberOfMessages", (buf_reset(&w->scratch),
				      buf_addf(&w->scratch, "%lu", w->messages), w->scratch.data));
	for (p = w->names.data; p < stop; p += strlen(p) + 1)
		elem(&x, "MessageFile", p + strlen(w->o.batch_id) + 1);
	end(&x);
	if (!x.failed && xmlTextWriterEndDocument(x.w) < 0)
		x.failed = 1;
	xmlFreeTextWriter(x.w);
	if (close(fd) < 0 || x.failed)
		diag_error(LOC_NONE, "cannot write '%s': %s", w->path.data,
			   errno ? strerror(errno) : "write failed");
	else
		rc = 0;
out:
	buf_release(&base);
	return rc;
}

static int ddexw_close(void *ctx, int ok)
{
	struct ddexw *w = ctx;

	if (ok && w->o.batch && batch_complete(w) < 0)
		return -1;
	if (ok && !diag_quiet)
		fprintf(stderr, "%lu tracks in %lu DDEX messages\n", w->tracks, w->messages);
	return 0;
}

const struct writer_ops ddex_writer_ops = {
	.open = ddexw_open, .write = ddexw_write, .close = ddexw_close
};

void ddexw_init(struct ddexw *w, const struct ddexw_opts *o)
{
	memset(w, 0, sizeof(*w));
	w->o = *o;
	buf_init(&w->dirpath);
	buf_init(&w->path);
	buf_init(&w->scratch);
	buf_init(&w->names);
}

void ddexw_release(struct ddexw *w)
{
	buf_release(&w->dirpath);
	buf_release(&w->path);
	buf_release(&w->scratch);
	buf_release(&w->names);
	free(w->parties);
	w->parties = NULL;
}
