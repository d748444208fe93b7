/*
 * ddex_rules: the path-rule engine.  The reader's elements come here
 * (ddex_on_start, ddex_on_end, ddex_on_text): a stack of frames keeps the
 * path from the root, by names (for matching) and with [n] indexes (for
 * messages).  An element at an entity's path (entities[]) starts the
 * entity; inside one, the element's path relative to the entity is looked
 * up in the rule table (rules[]), through the path nodes (a trie of
 * libxml2's interned names) and a cache of answers: it opens a sub-entity
 * (ddex_sub_start) or names a value, whose text goes to ddex_on_value when
 * the element ends.  Paths are interned in the message's arena.
 *
 * Decisions DDEX.md leaves open:
 * - Elements below the root are read by local name, whatever their
 *   namespace: DDEX's are in none, but real senders also declare the ERN
 *   namespace as the default.  The first element in a namespace gets one
 *   warning per message (in MEAD, only a DDEX namespace: MEAD allows
 *   other standards' elements).
 * - Lines are the element's own line (xmlGetLineNo).  The reader parses
 *   ahead, so xmlTextReaderGetParserLineNumber is off by a few lines;
 *   it is used only where libxml2 2.9 has no element line (an element
 *   at line 65535 or later whose text is not parsed yet).
 */
#include "blendcat/ddex_internal.h"
#include "blendcat/buf.h"
#include "blendcat/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlreader.h>

#define NAME_KEEP 200		/* bytes of an element name kept in paths */
#define ATTR_KEEP 4096		/* bytes of an attribute value kept */

/* ------------------------------------------------------------ the rules */

#define SD "SoundRecordingDetailsByTerritory/"
#define RD "ReleaseDetailsByTerritory/"
#define TD "ImageDetailsByTerritory/TechnicalImageDetails/"

static const struct rule rules[] = {
	{ E_HEADER, 0, A_HDR_ID, 1, "MessageId" },
	{ E_HEADER, 0, A_HDR_SENDER, 1, "MessageSender/PartyName/FullName" },
	{ E_HEADER, 0, A_HDR_CONTROL, 1, "MessageControlType" },

	{ E_PARTY, 0, A_P_REF, 1, "PartyReference" },
	{ E_PARTY, 0, A_P_NAME, 1, "PartyName/FullName" },
	{ E_PARTY, 0, A_P_IPI, 1, "PartyId/IpiNameNumber" },
	{ E_PARTY, E_AFFIL, 0, 0, "Affiliation" },
	{ E_AFFIL, 0, A_AF_COMPANY, 1, "CompanyName" },
	{ E_AFFIL, 0, A_AF_REF, 1, "PartyAffiliateReference" },
	{ E_AFFIL, 0, A_AF_TYPE, 1, "Type" },
	{ E_AFFIL, 0, A_AF_PCT, 1, "PercentageOfRightsAssignment" },

	{ E_SR, 0, A_S_REF, 1, "ResourceReference" },
	{ E_SR, 0, A_S_TITLE, 3, "DisplayTitleText" },
	{ E_SR, 0, A_S_TITLE, 2, "DisplayTitle/TitleText" },
	{ E_SR, 0, A_S_TITLE, 3, "ReferenceTitle/TitleText" },
	{ E_SR, 0, A_S_TITLE38, 2, SD "Title/TitleText" },
	{ E_SR, 0, A_S_ARTIST, 1, "DisplayArtistName" },
	{ E_SR, 0, A_S_ARTIST, 1, SD "DisplayArtistName" },
	{ E_SR, 0, A_S_DURATION, 1, "Duration" },
	{ E_SR, 0, A_S_ISRC, 1, "SoundRecordingEdition/ResourceId/ISRC" },
	{ E_SR, 0, A_S_ISRC, 1, "ResourceId/ISRC" },
	{ E_SR, 0, A_S_ISRC, 1, "SoundRecordingId/ISRC" },
	{ E_SR, 0, A_S_TAGS, 1, "Keywords" },
	{ E_SR, 0, A_S_TAGS, 1, SD "Keywords" },
	{ E_SR, 0, A_S_DESC, 2, "Synopsis" },
	{ E_SR, 0, A_S_DESC, 2, SD "Synopsis" },
	{ E_SR, 0, A_S_DESC, 1, "MarketingComment" },
	{ E_SR, 0, A_S_DESC, 1, SD "MarketingComment" },
	{ E_SR, E_DARTIST, 0, 0, "DisplayArtist" },
	{ E_SR, E_DARTIST, 0, 0, SD "DisplayArtist" },
	{ E_SR, E_GENRE, 0, 0, "Genre" },
	{ E_SR, E_GENRE, 0, 0, SD "Genre" },
	{ E_SR, E_CONTRIB, 0, 0, "Contributor" },
	{ E_SR, E_CONTRIB, 0, 0, SD "ResourceContributor" },
	{ E_SR, E_CONTRIB, 0, 0, SD "IndirectResourceContributor" },
	{ E_SR, E_RCTL, 0, 0, "ResourceRightsController" },
	{ E_SR, E_RCTL, 0, 0, SD "RightsController" },
	{ E_SR, E_TECH, 0, 0, "TechnicalDetails" },
	{ E_SR, E_TECH, 0, 0, "SoundRecordingEdition/TechnicalDetails" },
	{ E_SR, E_TECH, 0, 0, SD "TechnicalSoundRecordingDetails" },

	{ E_DARTIST, 0, A_D_REF, 1, "ArtistPartyReference" },
	{ E_DARTIST, 0, A_D_NAME, 1, "PartyName/FullName" },

	{ E_CONTRIB, 0, A_C_REF, 1, "ContributorPartyReference" },
	{ E_CONTRIB, 0, A_C_NAME, 1, "PartyName/FullName" },
	{ E_CONTRIB, 0, A_C_ROLE, 1, "Role" },
	{ E_CONTRIB, 0, A_C_ROLE, 1, "Role/Value" },
	{ E_CONTRIB, 0, A_C_ROLE, 1, "ResourceContributorRole" },
	{ E_CONTRIB, 0, A_C_ROLE, 1, "IndirectResourceContributorRole" },
	{ E_CONTRIB, 0, A_C_INSTR, 1, "InstrumentType" },
	{ E_CONTRIB, 0, A_C_PRIMARY, 1, "PrimaryInstrumentType" },
	{ E_CONTRIB, 0, A_C_FEATURED, 1, "HasMadeFeaturedContribution" },
	{ E_CONTRIB, 0, A_C_PARTYID, 1, "PartyId" },
	{ E_CONTRIB, 0, A_C_PRO, 1, "Membership/Organization/PartyName/FullName" },

	{ E_RCTL, 0, A_RC_REF, 1, "RightsControllerPartyReference" },
	{ E_RCTL, 0, A_RC_NAME, 1, "PartyName/FullName" },
	{ E_RCTL, 0, A_RC_PCT, 1, "RightSharePercentage" },

	{ E_TECH, 0, A_T_URI, 1, "DeliveryFile/File/URI" },
	{ E_TECH, 0, A_T_URI, 1, "File/URI" },
	{ E_TECH, 0, A_T_URI, 1, "File/URL" },
	{ E_TECH, 0, A_T_FNAME, 2, "File/FileName" },
	{ E_TECH, 0, A_T_PREVIEW, 1, "IsPreview" },
	{ E_TECH, 0, A_T_PREVIEW, 1, "IsClip" },
	{ E_TECH, 0, A_T_FPATH, 1, "File/FilePath" },
	{ E_TECH, 0, A_T_HASH, 1, "DeliveryFile/File/HashSum/HashSumValue" },
	{ E_TECH, 0, A_T_HASH, 1, "File/HashSum/HashSumValue" },
	{ E_TECH, 0, A_T_HASH, 1, "File/HashSum/HashSum" },
	{ E_TECH, 0, A_T_ALGO, 1, "DeliveryFile/File/HashSum/Algorithm" },
	{ E_TECH, 0, A_T_ALGO, 1, "File/HashSum/Algorithm" },
	{ E_TECH, 0, A_T_ALGO, 1, "File/HashSum/HashSumAlgorithmType" },

	{ E_GENRE, 0, A_G_TEXT, 1, "GenreText" },
	{ E_GENRE, 0, A_G_SUB, 1, "SubGenre" },

	{ E_IMAGE, 0, A_I_REF, 1, "ResourceReference" },
	{ E_IMAGE, 0, A_I_TYPE, 1, "Type" },
	{ E_IMAGE, 0, A_I_TYPE, 1, "ImageType" },
	{ E_IMAGE, 0, A_I_URI, 1, "TechnicalDetails/File/URI" },
	{ E_IMAGE, 0, A_I_URI, 1, TD "File/URL" },
	{ E_IMAGE, 0, A_I_FNAME, 1, TD "File/FileName" },
	{ E_IMAGE, 0, A_I_FPATH, 1, TD "File/FilePath" },

	{ E_RELEASE, 0, A_R_REF, 1, "ReleaseReference" },
	{ E_RELEASE, 0, A_R_TYPE, 1, "ReleaseType" },
	{ E_RELEASE, 0, A_R_TYPE, 1, RD "ReleaseType" },
	{ E_RELEASE, 0, A_R_ICPN, 1, "ReleaseId/ICPN" },
	{ E_RELEASE, 0, A_R_CATNO, 1, "ReleaseId/CatalogNumber" },
	{ E_RELEASE, 0, A_R_GRID, 1, "ReleaseId/GRid" },
	{ E_RELEASE, 0, A_R_PROPID, 1, "ReleaseId/ProprietaryId" },
	{ E_RELEASE, 0, A_R_ISRC, 1, "ReleaseId/ISRC" },
	{ E_RELEASE, 0, A_R_DATE, 3, "ReleaseDate" },
	{ E_RELEASE, 0, A_R_DATE, 3, "GlobalReleaseDate" },
	{ E_RELEASE, 0, A_R_DATE, 3, RD "ReleaseDate" },
	{ E_RELEASE, 0, A_R_DATE, 2, "OriginalReleaseDate" },
	{ E_RELEASE, 0, A_R_DATE, 2, "GlobalOriginalReleaseDate" },
	{ E_RELEASE, 0, A_R_DATE, 2, RD "OriginalReleaseDate" },
	{ E_RELEASE, 0, A_R_TAGS, 1, "Keywords" },
	{ E_RELEASE, 0, A_R_TAGS, 1, RD "Keywords" },
	{ E_RELEASE, 0, A_R_DESC, 2, "Synopsis" },
	{ E_RELEASE, 0, A_R_DESC, 2, RD "Synopsis" },
	{ E_RELEASE, 0, A_R_DESC, 1, "MarketingComment" },
	{ E_RELEASE, 0, A_R_DESC, 1, RD "MarketingComment" },
	{ E_RELEASE, E_GENRE, 0, 0, "Genre" },
	{ E_RELEASE, E_GENRE, 0, 0, RD "Genre" },
	{ E_RELEASE, 0, A_R_RES, 1, "*ReleaseResourceReference" },
	{ E_RELEASE, 0, A_R_RES, 1, "*LinkedReleaseResourceReference" },

	{ E_PURGE, 0, A_R_ICPN, 1, "ReleaseId/ICPN" },
	{ E_PURGE, 0, A_R_CATNO, 1, "ReleaseId/CatalogNumber" },
	{ E_PURGE, 0, A_R_GRID, 1, "ReleaseId/GRid" },
	{ E_PURGE, 0, A_R_PROPID, 1, "ReleaseId/ProprietaryId" },
	{ E_PURGE, 0, A_R_ISRC, 1, "ReleaseId/ISRC" },

	{ E_DEAL, 0, A_DL_REF, 1, "DealReleaseReference" },
	{ E_DEAL, 0, A_DL_START, 1, "Deal/DealTerms/ValidityPeriod/StartDate" },
	{ E_DEAL, 0, A_DL_START, 1, "Deal/DealTerms/ValidityPeriod/StartDateTime" },
	{ E_DEAL, 0, A_DL_TAKEDOWN, 1, "Deal/DealTerms/TakeDown" },

	{ E_MEAD, 0, A_M_ISRC, 1, "ResourceSummary/ResourceId/ISRC" },
	{ E_MEAD, 0, A_M_PROPID, 1, "ResourceSummary/ResourceId/ProprietaryId" },
	{ E_MEAD, 0, A_M_TEMPO, 1, "BeatsPerMinute/Value" },
	{ E_MEAD, 0, A_M_NOTE, 1, "Harmony/RootChordNote" },
	{ E_MEAD, 0, A_M_QUALITY, 1, "Harmony/RootChordQuality" },
	{ E_MEAD, 0, A_M_MOOD, 1, "Mood/Value" },
	{ E_MEAD, E_PART, 0, 0, "RecordingPart" },
	{ E_PART, 0, A_RP_UNIT, 1, "Unit" },
	{ E_PART, 0, A_RP_START, 1, "StartPoint" },
	{ E_PART, 0, A_RP_END, 1, "EndPoint" },
	{ E_PART, 0, A_RP_TYPE, 1, "RecordingPartType" },
	{ E_PART, 0, A_RP_COMMENT, 1, "Comment/Text" },
};

#define NRULES (sizeof(rules) / sizeof(rules[0]))

/* Entities, by their path from the root (root excluded). */
static const struct {
	const char *path;
	unsigned char ent;
	unsigned char kind;	/* enum rel_kind for releases */
} entities[] = {
	{ "MessageHeader", E_HEADER, 0 },
	{ "PartyList/Party", E_PARTY, 0 },
	{ "ResourceList/SoundRecording", E_SR, 0 },
	{ "ResourceList/Image", E_IMAGE, 0 },
	{ "ReleaseList/Release", E_RELEASE, REL_MAIN },
	{ "ReleaseList/TrackRelease", E_RELEASE, REL_TRACK },
	{ "DealList/ReleaseDeal", E_DEAL, 0 },
	{ "PurgedRelease", E_PURGE, REL_PURGED },
	{ "ResourceInformationList/ResourceInformation", E_MEAD, 0 },
};

/* -------------------------------------------------- path nodes, caches */

#define RCACHE_SIZE 1024		/* find_rule's cache: entries, a power of 2 */
#define RCACHE_PROBES 16
#define RCACHE_KEYS (256u << 10)	/* bytes of cached paths */

#define TRIE_SIZE 8192			/* path nodes: entries, a power of 2 */
#define TRIE_FIRST 32			/* node ids below are entities' roots (1 + ent) */

/*
 * A path inside an entity or sub-entity, as a node: its parent node and
 * its element name, a pointer into libxml2's dictionary (a name is
 * always the same pointer), and the rule the path has.
 */
struct tnode {
	const char *name;	/* NULL = empty */
	uint32_t parent;
	int rule;		/* rules[] index, -1 for none */
};

struct rcache {
	size_t key;	/* offset in parser.rkeys + 1, 0 = empty */
	int ent, rule;	/* rule index, -1 for none */
};

/* ------------------------------------------------------ interned paths */

size_t ddex_hash_n(const char *s, size_t len)
{
	size_t h = 1469598103u;

	while (len--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/*
 * A path's hash for the caches: its length and last 24 bytes, where
 * paths differ (element names and [n] indexes at the end); equal hashes
 * are told apart by comparing the paths.
 */
static size_t path_hash(const char *s, size_t len)
{
	size_t tail = len > 24 ? 24 : len;

	return ddex_hash_n(s + len - tail, tail) ^ (len * 2654435761u);
}

static void intern_grow(struct parser *p)
{
	size_t *old = p->itab, oldcap = p->icap, i, j;

	p->icap = p->icap ? p->icap * 2 : 256;
	p->itab = xcalloc(p->icap, sizeof(*p->itab));
	for (i = 0; i < oldcap; i++) {
		const char *t;

		if (!old[i])
			continue;
		t = S(p, old[i] - 1);
		for (j = path_hash(t, strlen(t)) & (p->icap - 1); p->itab[j]; j = (j + 1) & (p->icap - 1))
			;
		p->itab[j] = old[i];
	}
	free(old);
}

/* The text offset of s (len bytes), kept once however often it comes. */
size_t ddex_intern(struct parser *p, const char *s, size_t len)
{
	size_t i, off;

	if (2 * (p->in + 1) > p->icap)
		intern_grow(p);
	for (i = path_hash(s, len) & (p->icap - 1); p->itab[i]; i = (i + 1) & (p->icap - 1)) {
		const char *t = S(p, p->itab[i] - 1);

		if (strncmp(t, s, len) == 0 && t[len] == '\0')
			return p->itab[i] - 1;
	}
	off = ddex_keep(p, s, len);
	p->itab[i] = off + 1;
	p->in++;
	return off;
}

/* ------------------------------------------------------------ elements */

/*
 * The line of the current element.  libxml2 2.9 keeps element lines up
 * to 65535; past that (XML_PARSE_BIG_LINES) only text nodes keep theirs,
 * the line where the text ends: the element's first child, less its
 * line feeds, gives the element's.  Failing that, the parser's line,
 * which runs a little ahead.
 */
static unsigned long node_line(struct parser *p)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(p->rd), t = n ? n->children : NULL;
	long l;

	if (n && n->line > 0 && n->line < 65535)
		return n->line;
	if (t && t->type == XML_TEXT_NODE && t->psvi && t->content) {
		const char *c = (const char *)t->content;

		l = (long)(intptr_t)t->psvi;
		for (; *c; c++)
			l -= *c == '\n';
		if (l > 0)
			return (unsigned long)l;
	}
	l = xmlTextReaderGetParserLineNumber(p->rd);
	return l > 0 ? (unsigned long)l : 0;
}

/* Does rel (a path relative to an entity) match rule path? */
static int path_match(const char *rule, const char *rel)
{
	size_t n, m;

	if (*rule != '*')
		return strcmp(rule, rel) == 0;
	rule++;
	n = strlen(rule);
	m = strlen(rel);
	return m >= n && strcmp(rel + m - n, rule) == 0 && (m == n || rel[m - n - 1] == '/');
}

static const struct rule *scan_rules(int ent, const char *rel)
{
	size_t i;

	for (i = 0; i < NRULES; i++)
		if (rules[i].ent == ent && path_match(rules[i].path, rel))
			return &rules[i];
	return NULL;
}

/*
 * The rule for a path inside entity ent.  The same few paths come in
 * every SoundRecording and deal, so answers are cached (a bounded
 * table: a document of ever new paths only stops being cached).
 */
static const struct rule *find_rule(struct parser *p, int ent, const char *rel, size_t len)
{
	size_t h = path_hash(rel, len) * 31 + (size_t)ent, i, n;
	const struct rule *r;

	if (!p->rcache)
		p->rcache = xcalloc(RCACHE_SIZE, sizeof(*p->rcache));
	for (i = h & (RCACHE_SIZE - 1), n = 0; n < RCACHE_PROBES; i = (i + 1) & (RCACHE_SIZE - 1), n++) {
		struct rcache *c = &p->rcache[i];

		if (!c->key) {
			r = scan_rules(ent, rel);
			if (p->rkeys.len + len < RCACHE_KEYS) {
				c->key = p->rkeys.len + 1;
				c->ent = ent;
				c->rule = r ? (int)(r - rules) : -1;
				buf_add(&p->rkeys, rel, len + 1);
			}
			return r;
		}
		if (c->ent == ent && strcmp(p->rkeys.data + c->key - 1, rel) == 0)
			return c->rule >= 0 ? &rules[c->rule] : NULL;
	}
	return scan_rules(ent, rel);
}

/* "[k]" onto a path, without printf's cost (this runs for every element). */
static void add_index(struct buf *b, unsigned long k)
{
	char tmp[24];
	size_t n = sizeof(tmp);

	tmp[--n] = ']';
	do
		tmp[--n] = (char)('0' + k % 10);
	while ((k /= 10) != 0);
	tmp[--n] = '[';
	buf_add(b, tmp + n, sizeof(tmp) - n);
}

/*
 * The rule of element name under the frame node parent, and the
 * element's own node: from the path nodes when they have it, else
 * find_rule(ent, rel) (and noted).  A full table gives node 0: lookups
 * below fall back to find_rule.
 */
static const struct rule *step(struct parser *p, int ent, const char *rel, size_t len,
			       const char *name, uint32_t parent, uint32_t *node)
{
	size_t h = ((size_t)(uintptr_t)name >> 3) * 2654435761u ^ (size_t)parent * 40503u, i, n;
	const struct rule *r;

	*node = 0;
	if (!parent)
		return find_rule(p, ent, rel, len);
	if (!p->trie)
		p->trie = xcalloc(TRIE_SIZE, sizeof(*p->trie));
	for (i = h & (TRIE_SIZE - 1), n = 0; n < 16; i = (i + 1) & (TRIE_SIZE - 1), n++) {
		struct tnode *t = &p->trie[i];

		if (t->name == name && t->parent == parent) {
			*node = (uint32_t)i + TRIE_FIRST;
			return t->rule >= 0 ? &rules[t->rule] : NULL;
		}
		if (!t->name) {
			r = find_rule(p, ent, rel, len);
			t->name = name;
			t->parent = parent;
			t->rule = r ? (int)(r - rules) : -1;
			*node = (uint32_t)i + TRIE_FIRST;
			return r;
		}
	}
	return find_rule(p, ent, rel, len);
}

/* Which entity, sub-entity or value the element that just started is. */
static void classify(struct parser *p, const char *name)
{
	struct frame *f = &p->fr[p->depth];
	const struct rule *r;
	size_t i;

	if (p->ent == E_NONE) {
		const char *path = p->npath.data + 1;	/* skip the first '/' */

		if (p->depth == 2 && strcmp(path, "DealList") == 0)
			p->has_deal_list = 1;
		for (i = 0; i < sizeof(entities) / sizeof(entities[0]); i++)
			if (strcmp(path, entities[i].path) == 0) {
				/* Party[n]: counting all of the list's, not only a run */
				buf_setlen(&p->dpath, f->dpath_len);
				if (p->depth > 2)
					buf_addch(&p->dpath, '/');
				buf_add(&p->dpath, name, strnlen(name, NAME_KEEP));
				if (entities[i].ent != E_HEADER)
					add_index(&p->dpath, ++p->ent_count[i]);
				ddex_ent_start(p, entities[i].ent, entities[i].kind);
				f->node = 1 + (uint32_t)entities[i].ent;
				return;
			}
		return;
	}
	if (p->sub == E_NONE) {
		r = step(p, p->ent, p->npath.data + p->ent_nlen + 1, p->npath.len - p->ent_nlen - 1,
			 name, p->fr[p->depth - 1].node, &f->node);
		if (r && r->sub) {
			ddex_sub_start(p, r->sub);
			f->node = 1 + (uint32_t)r->sub;
		}
	} else {
		r = step(p, p->sub, p->npath.data + p->sub_nlen + 1, p->npath.len - p->sub_nlen - 1,
			 name, p->fr[p->depth - 1].node, &f->node);
	}
	if (r && !r->sub) {
		f->rule = (int)(r - rules);
		buf_reset(&p->text_acc);
	}
}

/* Scores from LanguageAndScriptCode: the message's language 2, Latin 1. */
static unsigned char lang_score(const struct parser *p, const char *v)
{
	size_t n = strcspn(v, "-_");

	if (p->lang[0] && n == strcspn(p->lang, "-_") && strncasecmp(v, p->lang, n) == 0)
		return 2;
	return ddex_has_ci(v, "latn") ? 1 : 0;
}

static size_t keep_attr(struct parser *p, const char *v)
{
	size_t off = p->attrs.len;

	buf_add(&p->attrs, v, strnlen(v, ATTR_KEEP));
	buf_addch(&p->attrs, '\0');
	return off + 1;
}

/* The attributes that matter, into the frame (others inherit from the parent). */
static void read_attrs(struct parser *p, struct frame *f)
{
	while (xmlTextReaderMoveToNextAttribute(p->rd) == 1) {
		const char *n = (const char *)xmlTextReaderConstLocalName(p->rd);
		const char *v = (const char *)xmlTextReaderConstValue(p->rd);

		if (!n || !v || xmlTextReaderIsNamespaceDecl(p->rd) == 1)
			continue;
		if (!strcmp(n, "IsDefault"))
			f->isdef = (unsigned char)ddex_is_true(v, strlen(v));
		else if (!strcmp(n, "LanguageAndScriptCode"))
			f->lang = lang_score(p, v);
		else if (!strcmp(n, "ApplicableTerritoryCode"))
			f->terr = strcmp(v, "Worldwide") == 0;
		else if (!strcmp(n, "TitleType"))
			f->title_display = strcmp(v, "DisplayTitle") == 0;
		else if (!strcmp(n, "IsMainRelease"))
			f->main_attr = (unsigned char)ddex_is_true(v, strlen(v));
		else if (!strcmp(n, "IsSupplemental"))
			f->supplemental = (unsigned char)ddex_is_true(v, strlen(v));
		else if (!strcmp(n, "UserDefinedValue"))
			f->udv = keep_attr(p, v);
		else if (!strcmp(n, "Namespace"))
			f->ns = keep_attr(p, v);
	}
	xmlTextReaderMoveToElement(p->rd);
}

/*
 * Count name among its parent's children: 2 for the second of that name.
 * Past FRAME_KIDS distinct names, new names count as first ones.
 */
/* Copy a name, cut to size - 1 bytes (snprintf's "%s" without its cost). */
static void copy_name(char *dst, size_t size, const char *name)
{
	size_t n = strnlen(name, size - 1);

	memcpy(dst, name, n);
	dst[n] = '\0';
}

static unsigned sibling(struct frame *parent, const char *name)
{
	size_t size = sizeof(parent->kids[0].name);
	unsigned i;

	for (i = 0; i < parent->nkids; i++)
		if (strncmp(parent->kids[i].name, name, size - 1) == 0)
			return ++parent->kids[i].n;
	if (parent->nkids == FRAME_KIDS)
		return 1;
	copy_name(parent->kids[i].name, size, name);
	parent->nkids++;
	return parent->kids[i].n = 1;
}

/* Below the root: the name on both paths, name[k] for the k-th of the name. */
static void push_path(struct parser *p, const char *name, unsigned k)
{
	size_t n = strnlen(name, NAME_KEEP);

	buf_addch(&p->npath, '/');
	buf_add(&p->npath, name, n);
	if (p->depth > 2)
		buf_addch(&p->dpath, '/');
	buf_add(&p->dpath, name, n);
	if (k > 1)
		add_index(&p->dpath, k);
}

/*
 * DDEX elements below the root are in no namespace.  Real messages put
 * them in the root's (a default namespace declaration beside the prefixed
 * one, xmlns="http://ddex.net/xml/ern/43"): they are read by their local
 * names all the same, and the first one is noted for a warning.  MEAD
 * allows elements of other standards' namespaces (xs:any ##other): there,
 * only a DDEX namespace is a mistake.
 */
static void namespaced(struct parser *p, const struct frame *f)
{
	const char *ns = (const char *)xmlTextReaderConstNamespaceUri(p->rd);
	const char *prefix;

	if (!ns || (p->version == DDEX_MEAD_11 && strncmp(ns, DDEX_NS, strlen(DDEX_NS)) != 0))
		return;
	prefix = (const char *)xmlTextReaderConstPrefix(p->rd);
	p->ns_line = f->line ? f->line : 1;
	snprintf(p->ns_uri, sizeof(p->ns_uri), "%s", ns);
	snprintf(p->ns_path, sizeof(p->ns_path), "%s", p->dpath.data);
	snprintf(p->ns_prefix, sizeof(p->ns_prefix), "%s", prefix ? prefix : "");
}

void ddex_on_start(struct parser *p)
{
	const char *name = (const char *)xmlTextReaderConstLocalName(p->rd);
	struct frame *parent, *f;
	unsigned k;

	if (p->depth >= DDEX_MAX_DEPTH) {
		ddex_fail(p, DDEX_ERR_LIMIT, "elements nested deeper than %d levels", DDEX_MAX_DEPTH);
		return;
	}
	name = name ? name : "";
	parent = &p->fr[p->depth];
	k = sibling(parent, name);
	f = &p->fr[++p->depth];
	f->npath_len = p->npath.len;
	f->dpath_len = p->dpath.len;
	f->attr_len = p->attrs.len;
	f->line = node_line(p);
	f->rule = -1;
	/* The ranking attributes inherit; the others are the element's own. */
	f->isdef = parent->isdef;
	f->lang = parent->lang;
	f->terr = parent->terr;
	f->title_display = parent->title_display;
	f->main_attr = f->supplemental = 0;
	f->node = 0;
	f->udv = f->ns = 0;
	copy_name(f->name, sizeof(f->name), name);
	f->nkids = 0;
	if (p->depth == 1) {
		f->lang = 2;
		f->terr = 1;
	} else {
		push_path(p, name, k);
		if (!p->ns_line)
			namespaced(p, f);
	}
	if (p->ent != E_DEAL && xmlTextReaderHasAttributes(p->rd) == 1)
		read_attrs(p, f);
	if (p->depth == 1)
		ddex_root_start(p, name);
	else
		classify(p, name);
}

/* The name of the element open at depth d. */
const char *ddex_open_name(const struct parser *p, int d)
{
	return d > 0 ? p->fr[d].name : "?";
}

void ddex_on_end(struct parser *p)
{
	struct frame *f = &p->fr[p->depth];

	if (p->depth <= 0)
		return;
	if (f->rule >= 0) {
		ddex_on_value(p, &rules[f->rule]);
		buf_reset(&p->text_acc);
	}
	if (p->sub != E_NONE && p->depth == p->sub_depth)
		ddex_sub_end(p);
	if (p->ent != E_NONE && p->depth == p->ent_depth)
		ddex_ent_end(p);
	buf_setlen(&p->npath, f->npath_len);
	buf_setlen(&p->dpath, f->dpath_len);
	buf_setlen(&p->attrs, f->attr_len);
	p->depth--;
}

void ddex_on_text(struct parser *p)
{
	const char *v = (const char *)xmlTextReaderConstValue(p->rd);
	size_t len = v ? strlen(v) : 0;
	struct frame *f = &p->fr[p->depth];

	if (len > DDEX_MAX_TEXT || (f->rule >= 0 && p->text_acc.len + len > DDEX_MAX_TEXT)) {
		ddex_fail(p, DDEX_ERR_LIMIT, "text of element '%s' is longer than %u bytes",
			  ddex_open_name(p, p->depth), DDEX_MAX_TEXT);
		return;
	}
	if (f->rule >= 0)
		buf_add(&p->text_acc, v, len);
}
