/*
 * ddex_ern: an ERN message's entities -> catalog records.  Each
 * SoundRecording makes a track: its row, with fields from the track, its
 * releases and the message (artist, genre, catalog number, release date,
 * cover, duration...), its creators and instruments, its resource file
 * found and checked; or one reject.  Then the releases taken down.  Here
 * too: the record building MEAD shares (struct out, ddex_set_field...) and
 * ddex_deliver, which hands a message's records to the sink.
 *
 * Decisions DDEX.md leaves open:
 * - artist: DisplayArtistName, else the DisplayArtists' names (4.x
 *   through PartyList) joined with " & " (a separator norm_artists knows).
 * - Release fields: the main release is the 4.x Release (not a
 *   TrackRelease), in 3.8 the Release with IsMainRelease, else the first.
 *   genre/subgenre (as a pair) come from the track itself (3.8), else
 *   from a TrackRelease (3.8: another release) naming it, else from the
 *   main release; catalog_number, release_date, cover_art_url, tags and
 *   description from the main release first.  release_date falls back to
 *   the earliest ValidityPeriod/StartDate of the ReleaseDeals naming the
 *   release.  catalog_number: CatalogNumber, else ICPN; an ICPN whose
 *   check digit fails is kept with a warning (as record.c keeps IPIs).
 *   cover_art_url: the FrontCoverImage the release names, else the
 *   message's first one; its URI as given (3.8: FilePath + FileName, or
 *   URL).  A SoundRecording no release names is still a track.
 * - audio_filename: the first File of a technical details block not
 *   marked IsPreview/IsClip; URI and URL values are percent-decoded, and
 *   lose their query when absolute.  No file: ISRC + DDEX_DERIVED_EXT,
 *   with a warning; no file and no ISRC: the track is rejected, unless
 *   the SoundRecording IsSupplemental (a DJ mix's parts): then a warning.
 * - duration PT0S ("unknown", zero in any notation) leaves the field out,
 *   as does a missing Duration; the track's record then says why
 *   (rec.no_duration: what the message gave, and whether the audio file
 *   that would give the length is in the delivery).
 * - Creators: one row per distinct role (after norm_role) of a
 *   contributor, one row without a role when it has none, each (name,
 *   role) once per track.  split_percentage goes on the creator's first
 *   row of the track only (several rows would add it up): from the
 *   ResourceRightsController naming the same party (3.8: RightsController
 *   with the same name), else the party's MusicRightsSociety affiliation
 *   (PercentageOfRightsAssignment).  pro: that affiliation's CompanyName
 *   or PartyAffiliateReference party (3.8: Membership/Organization).
 *   IPI in 3.8: a PartyId whose Namespace contains "IPI" or is "CAE".
 *   A contributor without a name is skipped with a warning; a party
 *   reference that PartyList does not hold rejects the track.
 *   Role UserDefined (and InstrumentType UserDefined) take
 *   UserDefinedValue.
 * - Instruments: one row per distinct InstrumentType of a track;
 *   is_primary from HasMadeFeaturedContribution (4.x) or
 *   PrimaryInstrumentType (3.8), left out when neither is given.
 * - tags: every Keywords of the track (else of its release) joined with
 *   ';'; description: Synopsis or MarketingComment.
 * - Takedowns: each PurgedRelease; a main release no ReleaseDeal names
 *   (also when the message has no DealList: ddex_message.has_deal_list);
 *   3.8 DealTerms/TakeDown true.  The records are delivered regardless:
 *   the caller decides.
 */
#include "blendcat/ddex_internal.h"
#include "blendcat/buf.h"
#include "blendcat/normalize.h"
#include "blendcat/record.h"
#include "blendcat/resfile.h"
#include "blendcat/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MEMO_SIZE 4096			/* set_field's memo: entries, a power of 2 */
#define MEMO_BYTES (1u << 20)		/* bytes of memo text */

/* A value of a creator or instrument row, normalized before (raw -> val). */
struct memo {
	size_t raw;		/* offset in parser.memo_text + 1, 0 = empty */
	size_t val;		/* offset of the normalized value, 0 = NULL */
	int kind, field;
};

/* --------------------------------------------------- resource files */

static size_t keep_name(struct parser *p, const char *str)
{
	size_t off = p->names.len;

	buf_adds(&p->names, str);
	buf_addch(&p->names, '\0');
	return off;
}

/* The file reference as written: URI or URL, else FilePath + FileName. */
static void file_ref(const struct parser *p, const struct sr *s, struct buf *out)
{
	const char *dir = s->v[SV_FPATH].off ? S(p, s->v[SV_FPATH].off) : "";

	buf_reset(out);
	if (!s->file_uri && *dir)
		buf_addf(out, "%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/");
	buf_adds(out, S(p, s->v[SV_FILE].off));
}

static void res_problem(struct parser *p, struct sr *s, int slot, const char *value,
			const char *why)
{
	s->res_bad = slot + 1;
	s->res_value = keep_name(p, value);
	s->res_why = keep_name(p, why);
	if (s->main_rel != NONE && !p->rels[s->main_rel].bad_sr)
		p->rels[s->main_rel].bad_sr = (size_t)(s - p->srs) + 1;
}

/* Its HashSum, when it is an MD5 this can check, against the file. */
static void check_hash(struct parser *p, struct sr *s, const char *ref)
{
	const char *given = S(p, s->v[SV_HASH].off);
	const char *algo = s->v[SV_HALGO].off ? S(p, s->v[SV_HALGO].off) : "MD5";
	char hex[33], why[RESFILE_WHY_MAX + 160];
	int eq;

	if (strcasecmp(algo, "MD5") != 0) {
		s->res_unchecked = 1;
		return;
	}
	if (resfile_md5(p->names.data + s->res_path, hex, why) < 0) {
		res_problem(p, s, SV_FILE, ref, why);
		return;
	}
	eq = resfile_md5_equal(given, hex);
	if (eq < 0) {
		s->res_unchecked = 1;
	} else if (eq == 0) {
		snprintf(why, sizeof(why), "MD5 mismatch for '%s': expected %s, actual %s "
			 "(the file is damaged or not the one delivered); the release is rejected",
			 ref, given, hex);
		res_problem(p, s, SV_HASH, given, why);
	}
}

/*
 * Each track's file, when the message's folder holds it: found without
 * leaving the folder, and its MD5 checked.  A path leading out of the
 * folder, or a digest that does not match, rejects the track's release.
 * Missing files and remote URIs are not an error: a delivery may carry
 * only the message.
 */
static void verify_resources(struct parser *p)
{
	struct buf ref = BUF_INIT, real = BUF_INIT;
	struct resfile_root root = { NULL, BUF_INIT, 0 };
	char why[RESFILE_WHY_MAX];
	size_t i;

	for (i = 0; i < p->nsr; i++) {
		struct sr *s = &p->srs[i];

		if (!s->v[SV_FILE].off)
			continue;
		file_ref(p, s, &ref);
		if (!root.path && resfile_root_init(&root, p->path) < 0) {
			snprintf(why, sizeof(why), "cannot find the message's folder: %s",
				 strerror(errno));
			res_problem(p, s, SV_FILE, ref.data, why);
			continue;
		}
		switch (resfile_locate(&root, ref.data, s->file_uri, &real, why)) {
		case RESFILE_OK:
			s->res_path = keep_name(p, real.data);
			if (s->v[SV_HASH].off)
				check_hash(p, s, ref.data);
			break;
		case RESFILE_OUTSIDE:
		case RESFILE_BAD:
			res_problem(p, s, SV_FILE, ref.data, why);
			break;
		default:
			break;
		}
	}
	resfile_root_release(&root);
	buf_release(&ref);
	buf_release(&real);
}

/* --------------------------------------------------------- delivering */

/* The next record of the track, from the element at line. */
struct rec *ddex_new_rec(struct out *o, enum rec_kind k, unsigned long line)
{
	struct parser *p = o->p;

	if (o->nrec == p->nrecs) {
		p->recs = xrealloc(p->recs, (p->nrecs + 8) * sizeof(*p->recs));
		p->rec_line = xrealloc(p->rec_line, (p->nrecs + 8) * sizeof(*p->rec_line));
		for (; p->nrecs < o->nrec + 8; p->nrecs++)
			rec_init(&p->recs[p->nrecs]);
	}
	rec_reset(&p->recs[o->nrec], k);
	p->rec_line[o->nrec] = line;
	return &p->recs[o->nrec++];
}

/* The element path of v, else the one kept at off, into out. */
void ddex_val_path(const struct parser *p, const struct val *v, size_t off, char *out,
		   size_t size)
{
	if (v && v->pfx)
		snprintf(out, size, "%s/%s", S(p, v->pfx), S(p, v->path));
	else
		snprintf(out, size, "%s", S(p, v ? v->path : off));
}

/* Remember the track's first problem: at the value's element. */
int ddex_problem(struct out *o, const struct val *v, const char *value, const char *why)
{
	struct parser *p = o->p;

	if (o->failed++)
		return -1;
	ddex_val_path(p, v && v->path ? v : NULL, o->sr->path, o->field, sizeof(o->field));
	snprintf(o->value, sizeof(o->value), "%s", value ? value : "");
	o->has_value = value != NULL;
	snprintf(o->why, sizeof(o->why), "%s", why);
	o->bad_line = v && v->line ? v->line : o->sr->line;
	return -1;
}

static void warn(struct out *o, const struct val *v, const char *msg)
{
	struct rec_prov prov = o->prov;
	struct parser *p = o->p;

	p->st->warnings++;
	prov.line = v && v->line ? v->line : o->sr ? o->sr->line : 0;
	if (o->sink->rec.warn) {
		char field[512];

		ddex_val_path(p, v && v->path ? v : NULL, o->sr ? o->sr->path : 0, field, sizeof(field));
		o->sink->rec.warn(o->sink->rec.ctx, &prov, v && v->path ? field : o->sr ? field : NULL, msg);
	}
}

/* rec_set from a kept value; a problem or a warning is reported at the value. */
/*
 * The memo slot for (kind, field, raw): a hit (raw set) or the empty
 * slot to fill, NULL when the table is too full to look further.
 */
static struct memo *memo_slot(struct parser *p, int kind, int field, const char *raw)
{
	size_t i, n, h = ddex_hash_n(raw, strlen(raw)) * 31 + (size_t)(kind * 64 + field);

	if (!p->memo)
		p->memo = xcalloc(MEMO_SIZE, sizeof(*p->memo));
	for (i = h & (MEMO_SIZE - 1), n = 0; n < 16; i = (i + 1) & (MEMO_SIZE - 1), n++) {
		struct memo *m = &p->memo[i];

		if (!m->raw || (m->kind == kind && m->field == field &&
				strcmp(p->memo_text.data + m->raw - 1, raw) == 0))
			return m;
	}
	return NULL;
}

static void memo_put(struct parser *p, struct memo *m, const struct rec *r, int i,
		     const char *raw)
{
	const char *val = rec_get(r, i);
	size_t need = strlen(raw) + (val ? strlen(val) : 0) + 2;

	if (p->memo_text.len + need > MEMO_BYTES)
		return;
	m->kind = (int)r->kind;
	m->field = i;
	m->raw = p->memo_text.len + 1;
	buf_add(&p->memo_text, raw, strlen(raw) + 1);
	m->val = 0;
	if (val) {
		m->val = p->memo_text.len;
		buf_add(&p->memo_text, val, strlen(val) + 1);
	}
}

/*
 * rec_set from a kept value; a problem or a warning is reported at the
 * value.  The values of creator and instrument rows (names, roles,
 * instruments, IPIs) repeat across a message's tracks: what normalized
 * without a word is remembered, and not normalized again.
 */
int ddex_set_field(struct out *o, struct rec *r, int i, const struct val *v, const char *s)
{
	struct parser *p = o->p;
	struct memo *m = NULL;

	if (!s)
		s = S(p, v->off);
	if (r->kind != REC_TRACK) {
		m = memo_slot(p, (int)r->kind, i, s);
		if (m && m->raw) {
			rec_set_value(r, i, m->val ? p->memo_text.data + m->val : NULL);
			return 0;
		}
	}
	if (rec_set(r, i, s, strlen(s), p->o ? &p->o->rec : NULL) < 0)
		return ddex_problem(o, v, s, r->why);
	if (r->nulled) {
		/* Once per message and field, as a sheet says it once per column. */
		if (!(p->nulled[r->kind] & (1ul << i)))
			warn(o, v, r->warn);
		p->nulled[r->kind] |= 1ul << i;
	} else if (r->warn[0])
		warn(o, v, r->warn);
	else if (m)
		memo_put(p, m, r, i, s);
	return 0;
}

/* The base name of a file reference, percent-decoded when it is a URI. */
void ddex_base_name(const char *s, int uri, struct buf *out)
{
	const char *b = s, *e = s + strlen(s), *q;

	if (uri && strstr(s, "://"))
		e = s + strcspn(s, "?#");
	for (q = s; q < e; q++)
		if (*q == '/' || *q == '\\')
			b = q + 1;
	for (q = b; q < e; q++) {
		int c;

		if (uri && q[0] == '%' && e - q >= 3 && isxdigit((unsigned char)q[1]) &&
		    isxdigit((unsigned char)q[2])) {
			char hex[3] = { q[1], q[2], '\0' };

			c = (int)strtol(hex, NULL, 16);
			if (c && c != '/' && c != '\\') {
				buf_addch(out, c);
				q += 2;
				continue;
			}
		}
		buf_addch(out, *q);
	}
}

/* audio_filename: the delivered file's name, else one made from the ISRC. */
static int track_filename(struct out *o, struct rec *r)
{
	struct parser *p = o->p;
	const struct sr *s = o->sr;
	char isrc[NORM_ISRC_SIZE], why[NORM_WHY_MAX], msg[NORM_WHY_MAX + 80];

	buf_reset(&p->scratch);
	if (s->v[SV_FILE].off) {
		ddex_base_name(S(p, s->v[SV_FILE].off), s->file_uri, &p->scratch);
		if (!p->scratch.len)
			return ddex_problem(o, &s->v[SV_FILE], S(p, s->v[SV_FILE].off),
					    "names a directory, not a file");
		return ddex_set_field(o, r, TF_AUDIO_FILENAME, &s->v[SV_FILE], p->scratch.data);
	}
	if (!s->v[SV_ISRC].off && s->supplemental) {
		warn(o, NULL, "supplemental SoundRecording with no audio file and no ISRC: "
		     "not a track of its own");
		o->skip = 1;
		return -1;
	}
	if (!s->v[SV_ISRC].off)
		return ddex_problem(o, NULL, NULL, "no audio file (File/URI, FileName) and no ISRC "
				    "to name the track by");
	if (norm_isrc(S(p, s->v[SV_ISRC].off), isrc, why) < 0)
		return ddex_problem(o, &s->v[SV_ISRC], S(p, s->v[SV_ISRC].off), why);
	buf_addf(&p->scratch, "%s%s", isrc, DDEX_DERIVED_EXT);
	snprintf(msg, sizeof(msg), "no audio file in the message: audio_filename '%s' "
		 "made from the ISRC", p->scratch.data);
	warn(o, NULL, msg);
	return ddex_set_field(o, r, TF_AUDIO_FILENAME, &s->v[SV_ISRC], p->scratch.data);
}

/* The party a reference names, or a problem. */
static const struct party *party_of(struct out *o, const struct val *ref)
{
	struct parser *p = o->p;
	size_t i = ddex_idx_find(p, &p->party_idx, S(p, ref->off));
	char why[160];

	if (i != NONE)
		return &p->parties[i];
	snprintf(why, sizeof(why), "party reference names no Party in the PartyList");
	ddex_problem(o, ref, S(p, ref->off), why);
	return NULL;
}

/* artist: DisplayArtistName, else the display artists' names. */
static int track_artist(struct out *o, struct rec *r)
{
	struct parser *p = o->p;
	const struct sr *s = o->sr;
	const struct val *first = NULL;
	size_t i;

	if (s->v[SV_ARTIST].off)
		return ddex_set_field(o, r, TF_ARTIST, &s->v[SV_ARTIST], NULL);
	buf_reset(&p->scratch);
	for (i = 0; i < s->ndartist; i++) {
		const struct dartist *d = &p->dartists[s->first_dartist + i];
		const struct val *name = &d->name;

		if (d->ref.off) {
			const struct party *pa = party_of(o, &d->ref);

			if (!pa)
				return -1;
			name = &pa->name;
		}
		if (!name->off)
			continue;
		if (p->scratch.len)
			buf_adds(&p->scratch, " & ");
		buf_adds(&p->scratch, S(p, name->off));
		first = first ? first : name;
	}
	return first ? ddex_set_field(o, r, TF_ARTIST, first, p->scratch.data) : 0;
}

static const struct release *rel_at(const struct parser *p, size_t i)
{
	return i == NONE ? NULL : &p->rels[i];
}

/* genre and subgenre: the track's, a track release's, the main release's. */
static int track_genre(struct out *o, struct rec *r)
{
	struct parser *p = o->p;
	const struct sr *s = o->sr;
	const struct release *tr = rel_at(p, s->other_rel), *mr = rel_at(p, s->main_rel);
	const struct val *g = &s->v[SV_GENRE], *sg = &s->v[SV_SUBGENRE];

	if (!g->off && tr && tr->v[RV_GENRE].off) {
		g = &tr->v[RV_GENRE];
		sg = &tr->v[RV_SUBGENRE];
	}
	if (!g->off && mr) {
		g = &mr->v[RV_GENRE];
		sg = &mr->v[RV_SUBGENRE];
	}
	if (g->off && ddex_set_field(o, r, TF_GENRE, g, NULL) < 0)
		return -1;
	return sg->off ? ddex_set_field(o, r, TF_SUBGENRE, sg, NULL) : 0;
}

/* A release value: the main release's first, then the track release's. */
static const struct val *rel_val(const struct parser *p, const struct sr *s, int slot)
{
	const struct release *mr = rel_at(p, s->main_rel), *tr = rel_at(p, s->other_rel);

	if (mr && mr->v[slot].off)
		return &mr->v[slot];
	if (tr && tr->v[slot].off)
		return &tr->v[slot];
	return NULL;
}

/* catalog_number: CatalogNumber, else the ICPN (checked as a GTIN). */
static int track_catalog(struct out *o, struct rec *r)
{
	struct parser *p = o->p;
	const struct val *v = rel_val(p, o->sr, RV_CATNO);
	char gtin[NORM_GTIN_SIZE], why[NORM_WHY_MAX], msg[NORM_WHY_MAX + 80];
	struct release *rel;

	if (v)
		return ddex_set_field(o, r, TF_CATALOG_NUMBER, v, NULL);
	v = rel_val(p, o->sr, RV_ICPN);
	if (!v)
		return 0;
	rel = &p->rels[o->sr->main_rel != NONE && v == &p->rels[o->sr->main_rel].v[RV_ICPN] ?
		       o->sr->main_rel : o->sr->other_rel];
	if (!rel->icpn_warned++ && norm_gtin(S(p, v->off), gtin, why) < 0) {
		snprintf(msg, sizeof(msg), "ICPN '%.40s' kept as catalog number, but %s",
			 S(p, v->off), why);
		warn(o, v, msg);
	}
	return ddex_set_field(o, r, TF_CATALOG_NUMBER, v, NULL);
}

/* release_date: the release's date, else its deals' earliest start. */
static int track_date(struct out *o, struct rec *r)
{
	struct parser *p = o->p;
	const struct release *mr = rel_at(p, o->sr->main_rel), *tr = rel_at(p, o->sr->other_rel);
	const struct val *v = rel_val(p, o->sr, RV_DATE);
	const struct release *d = mr && mr->deal_start[0] ? mr : tr && tr->deal_start[0] ? tr : NULL;

	if (v)
		return ddex_set_field(o, r, TF_RELEASE_DATE, v, NULL);
	if (!d)
		return 0;
	rec_set_value(r, TF_RELEASE_DATE, d->deal_start);
	return 0;
}

/* cover_art_url: the release's front cover, else the message's first. */
static int track_cover(struct out *o, struct rec *r)
{
	struct parser *p = o->p;
	const struct release *mr = rel_at(p, o->sr->main_rel), *tr = rel_at(p, o->sr->other_rel);
	const struct image *im = NULL;
	size_t i;

	if (mr && mr->cover != NONE)
		im = &p->images[mr->cover];
	else if (tr && tr->cover != NONE)
		im = &p->images[tr->cover];
	/*
	 * The message's first front cover stands for a release that names
	 * none, unless the message gives track releases covers of their own:
	 * then a track release without one has none.
	 */
	for (i = 0; !im && i < p->nrel; i++)
		if (i != o->sr->main_rel && p->rels[i].cover != NONE)
			return 0;
	for (i = 0; !im && i < p->nimage; i++)
		if (ddex_is_front_cover(p, &p->images[i]))
			im = &p->images[i];
	if (!im)
		return 0;
	if (im->uri.off)
		return ddex_set_field(o, r, TF_COVER_ART_URL, &im->uri, NULL);
	if (!im->fname.off)
		return 0;
	buf_reset(&p->scratch);
	if (im->fpath.off) {
		buf_adds(&p->scratch, S(p, im->fpath.off));
		if (p->scratch.data[p->scratch.len - 1] != '/')
			buf_addch(&p->scratch, '/');
	}
	buf_adds(&p->scratch, S(p, im->fname.off));
	return ddex_set_field(o, r, TF_COVER_ART_URL, &im->fname, p->scratch.data);
}

/*
 * duration: PT0S (a zero in any notation) means unknown and is left out,
 * like a missing Duration: the audio file, when the delivery has it,
 * gives the length.  The track then says why it has none, for the
 * loader's reject of a new track without a duration.
 */
static int track_duration(struct out *o, struct rec *r)
{
	struct parser *p = o->p;
	const struct sr *s = o->sr;
	const struct val *v = &s->v[SV_DURATION];
	struct buf ref = BUF_INIT;
	char given[160];
	int secs;

	if (v->off && norm_duration(S(p, v->off), 0, &secs, NULL) != NORM_EMPTY)
		return ddex_set_field(o, r, TF_DURATION, v, NULL);
	if (!v->off)
		snprintf(given, sizeof(given), "the message gives no Duration");
	else if (!*S(p, v->off))
		snprintf(given, sizeof(given), "the message gives an empty Duration");
	else
		snprintf(given, sizeof(given), "the message gives Duration '%.80s', which is no length",
			 S(p, v->off));
	if (!s->v[SV_FILE].off) {
		snprintf(o->no_duration, sizeof(o->no_duration), "%s, and names no audio file "
			 "that would give it", given);
	} else {
		file_ref(p, s, &ref);
		snprintf(o->no_duration, sizeof(o->no_duration), s->res_path ?
			 "%s, and the audio file '%.300s' gives none either" :
			 "%s, and the audio file '%.300s' that would give the length is not in "
			 "the delivery", given, ref.data);
		buf_release(&ref);
	}
	r->no_duration = o->no_duration;
	return 0;
}

static int track_record(struct out *o)
{
	struct parser *p = o->p;
	const struct sr *s = o->sr;
	struct rec *r = ddex_new_rec(o, REC_TRACK, s->line);
	const struct val *v;

	if (track_filename(o, r) < 0)
		return -1;
	/* A stable copy: the record's own moves as fields are added. */
	o->sr_audio = p->names.len;
	buf_adds(&p->names, rec_get(r, TF_AUDIO_FILENAME));
	buf_addch(&p->names, '\0');
	o->audio = p->names.data + o->sr_audio;
	if ((s->v[SV_TITLE].off && ddex_set_field(o, r, TF_TITLE, &s->v[SV_TITLE], NULL) < 0) ||
	    track_artist(o, r) < 0 || track_duration(o, r) < 0 ||
	    (s->v[SV_ISRC].off && ddex_set_field(o, r, TF_ISRC, &s->v[SV_ISRC], NULL) < 0) ||
	    track_genre(o, r) < 0)
		return -1;
	v = s->v[SV_TAGS].off ? &s->v[SV_TAGS] : rel_val(p, s, RV_TAGS);
	if (v && ddex_set_field(o, r, TF_TAGS, v, NULL) < 0)
		return -1;
	v = s->v[SV_DESC].off ? &s->v[SV_DESC] : rel_val(p, s, RV_DESC);
	if (v && ddex_set_field(o, r, TF_DESCRIPTION, v, NULL) < 0)
		return -1;
	if (track_cover(o, r) < 0 || track_catalog(o, r) < 0 || track_date(o, r) < 0)
		return -1;
	if (rec_finish(r) < 0)
		return ddex_problem(o, NULL, rec_get(r, r->bad_field), r->why);
	return 0;
}

/* Who a contributor is: name, IPI, PRO, split, from its party or inline. */
struct who {
	const struct val *name, *ipi, *pro, *split;
};

static int contributor_who(struct out *o, const struct contrib *c, struct who *w)
{
	struct parser *p = o->p;
	const struct party *pa = NULL;
	size_t i;

	w->name = &c->name;
	w->ipi = &c->ipi;
	w->pro = &c->pro;
	w->split = NULL;
	if (c->ref.off) {
		if (!(pa = party_of(o, &c->ref)))
			return -1;
		w->name = &pa->name;
		w->ipi = &pa->ipi;
		w->pro = &pa->pro;
		if (!pa->pro.off && pa->pro_ref.off) {
			i = ddex_idx_find(p, &p->party_idx, S(p, pa->pro_ref.off));
			w->pro = i != NONE ? &p->parties[i].name : &pa->pro_ref;
		}
		w->split = pa->split.off ? &pa->split : NULL;
	}
	for (i = 0; i < o->sr->nrctl; i++) {
		const struct rctl *rc = &p->rctls[o->sr->first_rctl + i];

		if (rc->pct.off && ((c->ref.off && rc->ref.off &&
				     !strcmp(S(p, rc->ref.off), S(p, c->ref.off))) ||
				    (!c->ref.off && c->name.off && rc->name.off &&
				     !strcmp(S(p, rc->name.off), S(p, c->name.off)))))
			w->split = &rc->pct;
	}
	return 0;
}

/*
 * Is x a row of the same creator as r: the same name and IPI (two people
 * may share a name, told apart by their parties' IPIs)?
 */
static int same_creator(const struct rec *x, const struct rec *r)
{
	const char *name = rec_get(r, CF_CREATOR_NAME), *ipi = rec_get(r, CF_IPI_NUMBER);
	const char *xi = rec_get(x, CF_IPI_NUMBER);

	return x->kind == REC_CREATOR && name && rec_get(x, CF_CREATOR_NAME) &&
	       strcmp(rec_get(x, CF_CREATOR_NAME), name) == 0 &&
	       ((!xi && !ipi) || (xi && ipi && strcmp(xi, ipi) == 0));
}

/* Is there already a creator row (name, IPI, role) for this track? */
static int creator_seen(const struct out *o, const struct rec *r)
{
	const char *role = rec_get(r, CF_ROLE);
	size_t i;

	for (i = 0; i + 1 < o->nrec; i++) {
		const struct rec *x = &o->p->recs[i];
		const char *xr;

		if (!same_creator(x, r))
			continue;
		xr = rec_get(x, CF_ROLE);
		if ((!xr && !role) || (xr && role && !strcmp(xr, role)))
			return 1;
	}
	return 0;
}

/* Has an earlier row of the track given this creator a split already? */
static int split_given(const struct out *o, const struct rec *r)
{
	size_t i;

	for (i = 0; i + 1 < o->nrec; i++) {
		const struct rec *x = &o->p->recs[i];

		if (same_creator(x, r) && rec_get(x, CF_SPLIT_PERCENTAGE))
			return 1;
	}
	return 0;
}

/*
 * One creator row for role (NULL: none).  The split goes on one row of
 * the creator only: several would add up to several times the share.
 */
static int creator_row(struct out *o, const struct contrib *c, const struct who *w,
		       const struct val *role)
{
	struct rec *r = ddex_new_rec(o, REC_CREATOR, c->line);

	rec_set_value(r, CF_AUDIO_FILENAME, o->audio);
	if (ddex_set_field(o, r, CF_CREATOR_NAME, w->name, NULL) < 0 ||
	    (role && ddex_set_field(o, r, CF_ROLE, role, NULL) < 0) ||
	    (w->ipi->off && ddex_set_field(o, r, CF_IPI_NUMBER, w->ipi, NULL) < 0))
		return -1;
	if (creator_seen(o, r)) {
		o->nrec--;
		return 0;
	}
	if ((w->pro->off && ddex_set_field(o, r, CF_PRO, w->pro, NULL) < 0) ||
	    (w->split && !split_given(o, r) &&
	     ddex_set_field(o, r, CF_SPLIT_PERCENTAGE, w->split, NULL) < 0))
		return -1;
	if (rec_finish(r) < 0)
		return ddex_problem(o, w->name, rec_get(r, r->bad_field), r->why);
	return 0;
}

static int creator_records(struct out *o, const struct contrib *c)
{
	struct parser *p = o->p;
	struct who w;
	size_t i, roles = 0;

	if (contributor_who(o, c, &w) < 0)
		return -1;
	if (!w.name->off) {
		struct val at = { 0, 0, c->path, c->line, 0 };

		/*
		 * An unnamed party credited with instruments and no role is
		 * how an instrument without a known player is written (and
		 * how export --format ddex writes the catalog's).
		 */
		for (i = 0; i < c->nitems && p->items[c->first_item + i].kind != IT_ROLE; i++)
			roles += p->items[c->first_item + i].kind == IT_INSTR;
		if (i < c->nitems || !roles)
			warn(o, &at, "contributor has no name (PartyName/FullName): not a creator row");
		return 0;
	}
	for (i = 0; i < c->nitems; i++) {
		const struct item *it = &p->items[c->first_item + i];

		if (it->kind != IT_ROLE)
			continue;
		roles++;
		if (creator_row(o, c, &w, &it->v) < 0)
			return -1;
	}
	return roles ? 0 : creator_row(o, c, &w, NULL);
}

/* The track's instrument row for type, made once. */
static int instrument_row(struct out *o, const struct val *type, int primary)
{
	struct parser *p = o->p;
	const char *t = S(p, type->off);
	struct rec *r;
	size_t i;

	for (i = 0; i < o->nrec; i++) {
		r = &p->recs[i];
		if (r->kind == REC_INSTRUMENT && !strcmp(rec_get(r, 2) ? rec_get(r, 2) : "", t)) {
			if (primary == 1 || (primary == 0 && !rec_given(r, 3)))
				rec_set_value(r, 3, primary ? "true" : "false");
			return 0;
		}
	}
	r = ddex_new_rec(o, REC_INSTRUMENT, type->line);
	rec_set_value(r, 0, o->audio);
	if (ddex_set_field(o, r, 1, type, NULL) < 0 || ddex_set_field(o, r, 2, type, NULL) < 0)
		return -1;
	if (primary >= 0)
		rec_set_value(r, 3, primary ? "true" : "false");
	if (rec_finish(r) < 0)
		return ddex_problem(o, type, rec_get(r, r->bad_field), r->why);
	return 0;
}

static int instrument_records(struct out *o, const struct contrib *c)
{
	struct parser *p = o->p;
	const struct item *it, *primary = NULL;
	size_t i;
	int prim;

	for (i = 0; i < c->nitems; i++)
		if (p->items[c->first_item + i].kind == IT_PRIMARY)
			primary = &p->items[c->first_item + i];
	for (i = 0; i < c->nitems; i++) {
		it = &p->items[c->first_item + i];
		if (it->kind == IT_ROLE)
			continue;
		prim = c->featured;
		if (primary)
			prim = it->kind == IT_PRIMARY ||
			       !strcmp(S(p, it->v.off), S(p, primary->v.off));
		if (instrument_row(o, &it->v, prim) < 0)
			return -1;
	}
	return 0;
}

/* The track, then its creators, instruments and sections. */
int ddex_emit_records(struct out *o)
{
	static const enum rec_kind order[] = { REC_TRACK, REC_CREATOR, REC_INSTRUMENT,
					       REC_ARRANGEMENT };
	struct parser *p = o->p;
	struct rec_prov prov = o->prov;
	size_t i, k;
	int rc = 0;

	for (k = 0; k < 4; k++)
		for (i = 0; i < o->nrec && rc == 0; i++) {
			const struct rec *r = &p->recs[i];

			if (r->kind != order[k])
				continue;
			if (r->kind == REC_TRACK)
				p->st->tracks++;
			else if (r->kind == REC_CREATOR)
				p->st->creators++;
			else if (r->kind == REC_INSTRUMENT)
				p->st->instruments++;
			else
				p->st->sections++;
			prov.line = p->rec_line[i];
			if (o->sink->rec.record)
				rc = o->sink->rec.record(o->sink->rec.ctx, r, &prov);
		}
	return rc;
}

/* The track's file, or another track's of its release, rejects it. */
static void resource_problem(struct out *o, const struct sr *s)
{
	struct parser *p = o->p;
	const struct release *r = s->main_rel != NONE ? &p->rels[s->main_rel] : NULL;
	const struct sr *b;
	const struct val *v;
	char why[RESFILE_WHY_MAX + 400], field[512];

	if (s->res_bad) {
		ddex_problem(o, &s->v[s->res_bad - 1], p->names.data + s->res_value,
			     p->names.data + s->res_why);
		return;
	}
	if (!r || !r->bad_sr)
		return;
	b = &p->srs[r->bad_sr - 1];
	v = &b->v[b->res_bad - 1];
	ddex_val_path(p, v, 0, field, sizeof(field));
	snprintf(why, sizeof(why), "rejected with its release: line %lu, %s: %s", (unsigned long)v->line,
		 field, p->names.data + b->res_why);
	ddex_problem(o, NULL, NULL, why);
}

/* A verified resource file goes to the sink, for its tags. */
static int deliver_resource(struct out *o, const struct sr *s)
{
	struct parser *p = o->p;
	struct rec_prov prov = o->prov;

	if (s->res_unchecked)
		warn(o, &s->v[SV_HASH], "HashSum not checked: only an MD5 in hex digits is");
	if (!s->res_path || !o->sink->resource)
		return 0;
	prov.line = s->v[SV_FILE].line;
	return o->sink->resource(o->sink->rec.ctx, p->names.data + s->res_path, &prov);
}

/* The track's first problem goes to the sink. */
int ddex_reject_track(struct out *o)
{
	struct rec_prov prov = o->prov;

	o->p->st->rejects++;
	if (!o->sink->rec.reject)
		return 0;
	prov.line = o->bad_line;
	return o->sink->rec.reject(o->sink->rec.ctx, &prov, o->audio, o->field,
			       o->has_value ? o->value : NULL, o->why);
}

/* One SoundRecording: all its records, or one reject. */
static int deliver_track(struct out *o, struct sr *s)
{
	struct parser *p = o->p;
	size_t i;
	int rc = 0;

	o->sr = s;
	o->nrec = 0;
	o->failed = 0;
	o->audio = NULL;
	o->skip = 0;
	if (track_record(o) == 0)
		for (i = 0; i < s->ncontrib && !o->failed; i++)
			if (creator_records(o, &p->contribs[s->first_contrib + i]) == 0)
				instrument_records(o, &p->contribs[s->first_contrib + i]);
	if (o->audio)
		s->audio = o->sr_audio;
	if (o->skip)
		return 0;
	if (!o->failed)
		resource_problem(o, s);
	if (!o->failed) {
		rc = ddex_emit_records(o);
		return rc ? rc : deliver_resource(o, s);
	}
	return ddex_reject_track(o);
}

static int deliver_takedown(struct out *o, const struct release *r, enum ddex_takedown_reason why)
{
	struct parser *p = o->p;
	struct ddex_takedown t;
	struct rec_prov prov = o->prov;
	const char **names = xcalloc(p->nsr + 1, sizeof(*names));
	size_t i, ri = (size_t)(r - p->rels);
	int rc = 0;

	memset(&t, 0, sizeof(t));
	t.reason = why;
	t.line = prov.line = r->line;
#define ID(slot) (r->v[slot].off ? S(p, r->v[slot].off) : NULL)
	t.release_reference = ID(RV_REF);
	t.icpn = ID(RV_ICPN);
	t.grid = ID(RV_GRID);
	t.catalog_number = ID(RV_CATNO);
	t.proprietary_id = ID(RV_PROPID);
	t.isrc = ID(RV_ISRC);
#undef ID
	for (i = 0; i < p->nsr && why != DDEX_TAKEDOWN_PURGE; i++)
		if ((p->srs[i].main_rel == ri || p->srs[i].other_rel == ri) && p->srs[i].audio)
			names[t.naudio++] = p->names.data + p->srs[i].audio;
	t.audio_filenames = names;
	p->st->takedowns++;
	if (o->sink->takedown)
		rc = o->sink->takedown(o->sink->rec.ctx, &t, &prov);
	free(names);
	return rc;
}

static int deliver_takedowns(struct out *o)
{
	struct parser *p = o->p;
	size_t i;
	int rc = 0;

	for (i = 0; i < p->nrel && rc == 0; i++) {
		const struct release *r = &p->rels[i];

		if (r->kind == REL_PURGED)
			rc = deliver_takedown(o, r, DDEX_TAKEDOWN_PURGE);
		else if (r->kind == REL_MAIN && !r->has_deal)
			rc = deliver_takedown(o, r, DDEX_TAKEDOWN_NO_DEAL);
		else if (r->kind == REL_MAIN && r->takedown)
			rc = deliver_takedown(o, r, DDEX_TAKEDOWN_FLAG);
	}
	return rc;
}

/* The element in a namespace that namespaced() noted: one warning per message. */
static void warn_namespace(struct out *o)
{
	struct parser *p = o->p;
	struct rec_prov prov = o->prov;
	char how[256], msg[800];

	if (!p->ns_line)
		return;
	p->st->warnings++;
	if (!o->sink->rec.warn)
		return;
	if (p->ns_prefix[0])
		snprintf(how, sizeof(how), "its prefix '%s'", p->ns_prefix);
	else
		snprintf(how, sizeof(how), "a default namespace declaration, xmlns=\"%.159s\"",
			 p->ns_uri);
	snprintf(msg, sizeof(msg), "element in namespace '%.159s' (%.255s): DDEX elements below the root "
		 "are in no namespace, so the message is not valid; its elements are read by their "
		 "local names (said once per message)", p->ns_uri, how);
	prov.line = p->ns_line;
	o->sink->rec.warn(o->sink->rec.ctx, &prov, p->ns_path, msg);
}

int ddex_deliver(struct parser *p, const struct ddex_sink *sink)
{
	struct ddex_message m;
	struct out o;
	size_t i;
	int rc = 0;

	memset(&m, 0, sizeof(m));
	m.file_no = p->file_no;
	m.path = p->path;
	m.version = p->version;
	m.version_name = ddex_version_name(p->version);
	m.type = p->type;
	m.is_test = p->is_test;
	m.has_deal_list = p->has_deal_list;
	m.message_id = S(p, p->hdr_id.off);
	m.sender = S(p, p->hdr_sender.off);
	m.sound_recordings = (unsigned long)p->nsr;
	m.releases = p->st->releases;
	if (sink->message && (rc = sink->message(sink->rec.ctx, &m)) != 0) {
		p->st->skipped = rc > 0;
		return rc > 0 ? 0 : ddex_fail(p, DDEX_ERR_SINK, "stopped by the caller");
	}
	memset(&o, 0, sizeof(o));
	o.p = p;
	o.sink = sink;
	o.prov.file_no = p->file_no;
	o.prov.path = p->path;
	o.prov.len = p->st->bytes;
	warn_namespace(&o);
	if (p->type == DDEX_MEAD_MESSAGE) {
		for (i = 0; i < p->nsr && rc == 0; i++)
			rc = ddex_deliver_mead(&o, &p->srs[i]);
		return rc ? ddex_fail(p, DDEX_ERR_SINK, "stopped by the caller") : 0;
	}
	verify_resources(p);
	for (i = 0; i < p->nsr && rc == 0; i++)
		rc = deliver_track(&o, &p->srs[i]);
	if (rc == 0)
		rc = deliver_takedowns(&o);
	return rc ? ddex_fail(p, DDEX_ERR_SINK, "stopped by the caller") : 0;
}
