/*
 * ddex_entities: what the rules find, kept.  The message header, parties,
 * sound recordings (and MEAD resources), images, releases and purged
 * releases, with their sub-entities (affiliations, contributors, display
 * artists, rights controllers, technical details, genres, recording
 * parts): each value ranked, and kept with its line and element path in
 * the message's arena.  Deals are applied to their releases as they
 * stream by, unkept.  At the message's end, references are resolved:
 * deals and releases, releases and their tracks and covers, the main
 * release.
 *
 * Decisions DDEX.md leaves open:
 * - Several candidates for one value (titles, names in several languages
 *   or territories): IsDefault first, then the message's language (the
 *   root's LanguageAndScriptCode; a "-Latn" script next), then
 *   ApplicableTerritoryCode Worldwide, then document order.  The kinds
 *   of element rank before that: DisplayTitleText over DisplayTitle
 *   (4.x), ReferenceTitle over Title[@TitleType=DisplayTitle] (3.8).
 */
#include "blendcat/ddex_internal.h"
#include "blendcat/buf.h"
#include "blendcat/normalize.h"
#include "blendcat/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TAGS_KEEP 8192		/* bytes of Keywords joined for one track or release */

int ddex_is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Does s contain needle, ignoring ASCII case? */
int ddex_has_ci(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	for (; *s; s++)
		if (strncasecmp(s, needle, n) == 0)
			return 1;
	return 0;
}

static void *grow(void *v, size_t *cap, size_t size)
{
	*cap = *cap ? *cap * 2 : 16;
	return xrealloc(v, *cap * size);
}

/* Append a zeroed element to a vector and point at it. */
#define PUSH(arr, n, cap) \
	((n) == (cap) ? (void)((arr) = grow((arr), &(cap), sizeof(*(arr)))) : (void)0, \
	 memset(&(arr)[(n)], 0, sizeof(*(arr))), &(arr)[(n)++])

/* ------------------------------------------------------------- memory */

static size_t state_bytes(const struct parser *p)
{
	return p->text.cap + p->capsr * sizeof(*p->srs) + p->capcontrib * sizeof(*p->contribs) +
	       p->capitem * sizeof(*p->items) + p->capdartist * sizeof(*p->dartists) +
	       p->caprctl * sizeof(*p->rctls) + p->cappart * sizeof(*p->parts) + p->capparty * sizeof(*p->parties) +
	       p->capimage * sizeof(*p->images) + p->caprel * sizeof(*p->rels) +
	       p->caprref * sizeof(*p->rrefs) + p->cappend * sizeof(*p->pend) +
	       (p->party_idx.cap + p->sr_idx.cap + p->image_idx.cap + p->rel_idx.cap) *
	       sizeof(size_t) + p->deal_refs.cap + p->icap * sizeof(*p->itab);
}

static void check_state(struct parser *p)
{
	size_t n = state_bytes(p);

	if (n > p->st->state_peak)
		p->st->state_peak = n;
	if (n > p->max_state)
		ddex_fail(p, DDEX_ERR_LIMIT, "message too large to buffer: its catalog data passes "
			  "%zu MiB (the limit; tracks are delivered when the message ends)",
			  p->max_state >> 20);
}

/* Keep len bytes in the arena; the offset. */
size_t ddex_keep(struct parser *p, const char *s, size_t len)
{
	size_t off = p->text.len;

	buf_add(&p->text, s, len);
	buf_addch(&p->text, '\0');
	return off;
}

/* Text without surrounding ASCII whitespace. */
static const char *trim(const char *s, size_t *len)
{
	while (*len && ddex_is_ws((unsigned char)*s)) {
		s++;
		(*len)--;
	}
	while (*len && ddex_is_ws((unsigned char)s[*len - 1]))
		(*len)--;
	return s;
}

/* The rank of a value from its element's attributes. */
static int rank_of(const struct frame *f, int prio)
{
	return prio * 16 + f->isdef * 8 + f->lang * 2 + f->terr;
}

/* Set v unless it holds a value of the same or a higher rank. */
static void set_val(struct parser *p, struct val *v, const char *s, size_t len, int rank,
		    int with_path)
{
	const struct frame *f = &p->fr[p->depth];

	s = trim(s, &len);
	if (!len || (v->off && v->rank >= rank))
		return;
	v->off = ddex_keep(p, s, len);
	v->pfx = v->path = 0;
	if (with_path && p->ent != E_NONE && p->dpath.len > p->ent_dlen) {
		if (!p->ent_path)
			p->ent_path = ddex_keep(p, p->dpath.data, p->ent_dlen);
		v->pfx = p->ent_path;
		v->path = ddex_intern(p, p->dpath.data + p->ent_dlen + 1, p->dpath.len - p->ent_dlen - 1);
	} else if (with_path) {
		v->path = ddex_intern(p, p->dpath.data, p->dpath.len);
	}
	v->line = f->line;
	v->rank = rank;
}

/* ------------------------------------------------------------- indexes */

static const char *key_of(const struct parser *p, const struct idx *x, size_t i)
{
	size_t off = x == &p->party_idx ? p->parties[i].ref.off :
		     x == &p->sr_idx ? p->srs[i].v[SV_REF].off :
		     x == &p->image_idx ? p->images[i].ref.off : p->rels[i].v[RV_REF].off;

	return S(p, off);
}

static size_t hash(const char *s)
{
	size_t h = 1469598103u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

size_t ddex_idx_find(const struct parser *p, const struct idx *x, const char *key)
{
	size_t h;

	if (!x->cap || !*key)
		return NONE;
	for (h = hash(key) & (x->cap - 1); x->slot[h]; h = (h + 1) & (x->cap - 1))
		if (strcmp(key_of(p, x, x->slot[h] - 1), key) == 0)
			return x->slot[h] - 1;
	return NONE;
}

static void idx_put(const struct parser *p, struct idx *x, size_t i)
{
	size_t h = hash(key_of(p, x, i)) & (x->cap - 1);

	while (x->slot[h])
		h = (h + 1) & (x->cap - 1);
	x->slot[h] = i + 1;
	x->n++;
}

/* Index entity i by its reference; the first of duplicates stays. */
static void idx_add(struct parser *p, struct idx *x, size_t i)
{
	const char *key = key_of(p, x, i);
	size_t j, old_cap = x->cap, *old = x->slot;

	if (!*key || ddex_idx_find(p, x, key) != NONE)
		return;
	if ((x->n + 1) * 2 > x->cap) {
		x->cap = x->cap ? x->cap * 2 : 64;
		x->slot = xcalloc(x->cap, sizeof(size_t));
		x->n = 0;
		for (j = 0; j < old_cap; j++)
			if (old[j])
				idx_put(p, x, old[j] - 1);
		free(old);
	}
	idx_put(p, x, i);
}

/* ------------------------------------------------------------ entities */

static void sr_start(struct parser *p)
{
	struct sr *s;

	if (p->nsr >= p->max_tracks) {
		ddex_fail(p, DDEX_ERR_LIMIT, "more than %zu SoundRecordings in one message "
			  "(the limit: tracks are buffered until the message ends)", p->max_tracks);
		return;
	}
	s = PUSH(p->srs, p->nsr, p->capsr);
	s->line = p->fr[p->depth].line;
	s->supplemental = p->fr[p->depth].supplemental;
	s->path = p->ent_path = ddex_keep(p, p->dpath.data, p->dpath.len);
	s->first_contrib = p->ncontrib;
	s->first_dartist = p->ndartist;
	s->first_rctl = p->nrctl;
	s->first_part = p->npart;
}

static void release_start(struct parser *p, unsigned char kind)
{
	struct release *r = PUSH(p->rels, p->nrel, p->caprel);

	r->kind = kind;
	r->main_attr = p->fr[p->depth].main_attr;
	r->line = p->fr[p->depth].line;
	r->first_ref = p->nrref;
}

void ddex_ent_start(struct parser *p, int ent, unsigned char kind)
{
	p->ent = ent;
	p->ent_depth = p->depth;
	p->ent_nlen = p->npath.len;
	p->ent_dlen = p->dpath.len;
	p->ent_path = 0;	/* kept on first use: deals stream by unkept */
	switch (ent) {
	case E_SR:
	case E_MEAD:
		sr_start(p);
		break;
	case E_PARTY:
		PUSH(p->parties, p->nparty, p->capparty);
		break;
	case E_IMAGE:
		PUSH(p->images, p->nimage, p->capimage);
		break;
	case E_RELEASE:
	case E_PURGE:
		release_start(p, kind);
		break;
	case E_DEAL:
		buf_reset(&p->deal_refs);
		p->deal_start[0] = '\0';
		p->deal_takedown = 0;
		break;
	default:
		break;
	}
	check_state(p);
}

static void deal_apply(struct release *r, const char *start, int takedown)
{
	r->has_deal = 1;
	r->takedown |= takedown;
	if (*start && (!r->deal_start[0] || strcmp(start, r->deal_start) < 0))
		memcpy(r->deal_start, start, NORM_DATE_SIZE);
}

/* A ReleaseDeal has ended: mark its releases. */
static void deal_end(struct parser *p)
{
	const char *ref = p->deal_refs.data, *end = ref + p->deal_refs.len;
	size_t i;

	for (; ref < end; ref += strlen(ref) + 1) {
		i = ddex_idx_find(p, &p->rel_idx, ref);
		if (i != NONE) {
			deal_apply(&p->rels[i], p->deal_start, p->deal_takedown);
		} else {
			struct pending *d = PUSH(p->pend, p->npend, p->cappend);

			d->ref = ddex_keep(p, ref, strlen(ref));
			memcpy(d->start, p->deal_start, NORM_DATE_SIZE);
			d->takedown = p->deal_takedown;
		}
	}
}

void ddex_ent_end(struct parser *p)
{
	switch (p->ent) {
	case E_SR: {
		struct sr *s = &p->srs[p->nsr - 1];

		s->ncontrib = p->ncontrib - s->first_contrib;
		s->ndartist = p->ndartist - s->first_dartist;
		s->nrctl = p->nrctl - s->first_rctl;
		idx_add(p, &p->sr_idx, p->nsr - 1);
		p->st->sound_recordings++;
		break;
	}
	case E_MEAD:
		p->srs[p->nsr - 1].npart = p->npart - p->srs[p->nsr - 1].first_part;
		p->st->sound_recordings++;
		break;
	case E_PARTY:
		idx_add(p, &p->party_idx, p->nparty - 1);
		break;
	case E_IMAGE:
		idx_add(p, &p->image_idx, p->nimage - 1);
		break;
	case E_RELEASE:
		p->rels[p->nrel - 1].nrefs = p->nrref - p->rels[p->nrel - 1].first_ref;
		idx_add(p, &p->rel_idx, p->nrel - 1);
		p->st->releases++;
		break;
	case E_DEAL:
		deal_end(p);
		break;
	default:
		break;
	}
	p->ent = E_NONE;
	check_state(p);
}

void ddex_sub_start(struct parser *p, int sub)
{
	p->sub = sub;
	p->sub_depth = p->depth;
	p->sub_nlen = p->npath.len;
	p->sub_bonus = (unsigned)rank_of(&p->fr[p->depth], 0);
	switch (sub) {
	case E_AFFIL:
		memset(&p->af_company, 0, sizeof(struct val));
		p->af_ref = p->af_type = p->af_pct = p->af_company;
		break;
	case E_CONTRIB: {
		struct contrib *c = PUSH(p->contribs, p->ncontrib, p->capcontrib);

		c->featured = -1;
		c->line = p->fr[p->depth].line;
		c->path = ddex_keep(p, p->dpath.data, p->dpath.len);
		c->first_item = p->nitem;
		break;
	}
	case E_RCTL:
		PUSH(p->rctls, p->nrctl, p->caprctl);
		break;
	case E_PART:
		PUSH(p->parts, p->npart, p->cappart)->line = p->fr[p->depth].line;
		break;
	default:
		memset(&p->d_ref, 0, sizeof(struct val));
		p->d_name = p->g_text = p->g_sub = p->t_file = p->d_ref;
		p->t_fpath = p->t_hash = p->t_algo = p->d_ref;
		p->t_uri = p->t_preview = 0;
		break;
	}
}

/* A Genre ended: its text and subgenre go together, ranked by the Genre element. */
static void genre_end(struct parser *p)
{
	struct val *g, *sg;
	int rank = (int)p->sub_bonus;

	if (!p->g_text.off)
		return;
	if (p->ent == E_SR) {
		g = &p->srs[p->nsr - 1].v[SV_GENRE];
		sg = &p->srs[p->nsr - 1].v[SV_SUBGENRE];
	} else {
		g = &p->rels[p->nrel - 1].v[RV_GENRE];
		sg = &p->rels[p->nrel - 1].v[RV_SUBGENRE];
	}
	if (g->off && g->rank >= rank)
		return;
	*g = p->g_text;
	g->rank = rank;
	*sg = p->g_sub;
}

/* An Affiliation ended: the first MusicRightsSociety one is the party's PRO. */
static void affiliation_end(struct parser *p)
{
	struct party *pa = &p->parties[p->nparty - 1];

	if (p->af_type.off && strcasecmp(S(p, p->af_type.off), "MusicRightsSociety") == 0 &&
	    !pa->pro.off && !pa->pro_ref.off) {
		pa->pro = p->af_company;
		pa->pro_ref = p->af_ref;
		pa->split = p->af_pct;
	}
}

void ddex_sub_end(struct parser *p)
{
	struct sr *s = p->nsr ? &p->srs[p->nsr - 1] : NULL;

	switch (p->sub) {
	case E_AFFIL:
		affiliation_end(p);
		break;
	case E_CONTRIB:
		p->contribs[p->ncontrib - 1].nitems = p->nitem - p->contribs[p->ncontrib - 1].first_item;
		break;
	case E_DARTIST:
		if (p->d_ref.off || p->d_name.off) {
			struct dartist *d = PUSH(p->dartists, p->ndartist, p->capdartist);

			d->ref = p->d_ref;
			d->name = p->d_name;
		}
		break;
	case E_TECH:
		if (s && p->t_file.off && !p->t_preview && !s->v[SV_FILE].off) {
			s->v[SV_FILE] = p->t_file;
			s->v[SV_FPATH] = p->t_fpath;
			s->v[SV_HASH] = p->t_hash;
			s->v[SV_HALGO] = p->t_algo;
			s->file_uri = p->t_uri;
		}
		break;
	case E_GENRE:
		genre_end(p);
		break;
	default:
		break;
	}
	p->sub = E_NONE;
	check_state(p);
}

/* ------------------------------------------------------------- values */

int ddex_is_true(const char *s, size_t len)
{
	s = trim(s, &len);
	return (len == 4 && strncasecmp(s, "true", 4) == 0) || (len == 1 && *s == '1');
}

/* Role or InstrumentType: UserDefined means the UserDefinedValue attribute. */
static void user_defined(struct parser *p, const char **s, size_t *len)
{
	const struct frame *f = &p->fr[p->depth];
	size_t n = *len;
	const char *t = trim(*s, &n);

	if (f->udv && n == 11 && strncmp(t, "UserDefined", 11) == 0) {
		*s = p->attrs.data + f->udv - 1;
		*len = strlen(*s);
	}
}

static void add_item(struct parser *p, int kind, const char *s, size_t len)
{
	struct item *it;
	size_t n = len;

	trim(s, &n);
	if (!n)
		return;
	it = PUSH(p->items, p->nitem, p->capitem);
	it->kind = kind;
	set_val(p, &it->v, s, len, 1, 1);
}

/* Keywords: several elements add up, ';'-separated. */
static void add_tags(struct parser *p, struct val *v, const char *s, size_t len)
{
	size_t n = len, start, old;

	s = trim(s, &n);
	if (!n)
		return;
	if (!v->off) {
		set_val(p, v, s, n, 1, 1);
		return;
	}
	/* The old value is in the arena being added to: make room first. */
	old = strlen(S(p, v->off));
	if (old + n > TAGS_KEEP)
		return;		/* each Keywords copies the list: keep that bounded */
	buf_grow(&p->text, old + 2 + n + 1);
	start = p->text.len;
	buf_add(&p->text, p->text.data + v->off, old);
	buf_adds(&p->text, "; ");
	buf_add(&p->text, s, n);
	buf_addch(&p->text, '\0');
	v->off = start;
}

static void deal_value(struct parser *p, int act, const char *s, size_t len)
{
	char tmp[64], out[NORM_DATE_SIZE];

	s = trim(s, &len);
	if (act == A_DL_REF && len) {
		buf_add(&p->deal_refs, s, len);
		buf_addch(&p->deal_refs, '\0');
	} else if (act == A_DL_START && len < sizeof(tmp)) {
		memcpy(tmp, s, len);
		tmp[len] = '\0';
		tmp[strcspn(tmp, "T")] = '\0';	/* StartDateTime: the date */
		if (norm_date(tmp, NORM_DATE_ISO, out, NULL) == 0 &&
		    (!p->deal_start[0] || strcmp(out, p->deal_start) < 0))
			memcpy(p->deal_start, out, sizeof(out));
	} else if (act == A_DL_TAKEDOWN) {
		p->deal_takedown |= ddex_is_true(s, len);
	}
}

static void release_value(struct parser *p, int act, int rank, const char *s, size_t len)
{
	struct release *r = &p->rels[p->nrel - 1];
	static const unsigned char slot[] = {
		[A_R_REF] = RV_REF, [A_R_TYPE] = RV_TYPE, [A_R_ICPN] = RV_ICPN,
		[A_R_CATNO] = RV_CATNO, [A_R_GRID] = RV_GRID, [A_R_PROPID] = RV_PROPID,
		[A_R_ISRC] = RV_ISRC, [A_R_DATE] = RV_DATE, [A_R_TAGS] = RV_TAGS,
		[A_R_DESC] = RV_DESC,
	};

	if (act == A_R_RES) {
		size_t n = len;

		s = trim(s, &n);
		if (n) {
			size_t *ref = PUSH(p->rrefs, p->nrref, p->caprref);

			*ref = ddex_keep(p, s, n);
		}
	} else if (act == A_R_TAGS) {
		add_tags(p, &r->v[RV_TAGS], s, len);
	} else {
		set_val(p, &r->v[slot[act]], s, len, rank, 1);
	}
}

static void sr_value(struct parser *p, int act, int rank, const char *s, size_t len)
{
	struct sr *sr = &p->srs[p->nsr - 1];
	static const unsigned char slot[] = {
		[A_S_REF] = SV_REF, [A_S_TITLE] = SV_TITLE, [A_S_TITLE38] = SV_TITLE,
		[A_S_ARTIST] = SV_ARTIST, [A_S_DURATION] = SV_DURATION, [A_S_ISRC] = SV_ISRC,
		[A_S_DESC] = SV_DESC,
	};

	if (act == A_S_TITLE38 && !p->fr[p->depth].title_display)
		return;		/* 3.8: only Title[@TitleType='DisplayTitle'] */
	if (act == A_S_TAGS)
		add_tags(p, &sr->v[SV_TAGS], s, len);
	else
		set_val(p, &sr->v[slot[act]], s, len, rank, 1);
}

static void contrib_value(struct parser *p, int act, int rank, const char *s, size_t len)
{
	struct contrib *c = &p->contribs[p->ncontrib - 1];
	const struct frame *f = &p->fr[p->depth];
	const char *ns = f->ns ? p->attrs.data + f->ns - 1 : "";

	switch (act) {
	case A_C_REF: set_val(p, &c->ref, s, len, rank, 1); break;
	case A_C_NAME: set_val(p, &c->name, s, len, rank, 1); break;
	case A_C_PRO: set_val(p, &c->pro, s, len, rank, 1); break;
	case A_C_FEATURED: c->featured = ddex_is_true(s, len); break;
	case A_C_PARTYID:
		if (ddex_has_ci(ns, "IPI") || strcasecmp(ns, "CAE") == 0)
			set_val(p, &c->ipi, s, len, rank, 1);
		break;
	default:
		user_defined(p, &s, &len);
		add_item(p, act == A_C_ROLE ? IT_ROLE : act == A_C_INSTR ? IT_INSTR : IT_PRIMARY,
			 s, len);
		break;
	}
}

/* A MEAD ResourceInformation's value, or its RecordingPart's. */
static void mead_value(struct parser *p, int act, int rank, const char *s, size_t len)
{
	struct sr *sr = &p->srs[p->nsr - 1];
	struct part *pt = p->npart ? &p->parts[p->npart - 1] : NULL;
	static const unsigned char slot[] = {
		[A_M_ISRC] = SV_ISRC, [A_M_PROPID] = SV_PROPID, [A_M_TEMPO] = SV_TEMPO,
		[A_M_NOTE] = SV_NOTE, [A_M_QUALITY] = SV_QUALITY,
	};

	if (act == A_M_MOOD || act == A_M_NOTE || act == A_M_QUALITY || act == A_RP_TYPE)
		user_defined(p, &s, &len);
	switch (act) {
	case A_M_MOOD: add_tags(p, &sr->v[SV_MOOD], s, len); break;
	case A_RP_UNIT: set_val(p, &pt->unit, s, len, rank, 1); break;
	case A_RP_START: set_val(p, &pt->start, s, len, rank, 1); break;
	case A_RP_END: set_val(p, &pt->end, s, len, rank, 1); break;
	case A_RP_TYPE: set_val(p, &pt->type, s, len, rank, 1); break;
	case A_RP_COMMENT: set_val(p, &pt->comment, s, len, rank, 1); break;
	default: set_val(p, &sr->v[slot[act]], s, len, rank, 1); break;
	}
}

static void other_value(struct parser *p, int act, int rank, const char *s, size_t len)
{
	struct party *pa = p->nparty ? &p->parties[p->nparty - 1] : NULL;
	struct image *im = p->nimage ? &p->images[p->nimage - 1] : NULL;
	struct rctl *rc = p->nrctl ? &p->rctls[p->nrctl - 1] : NULL;

	switch (act) {
	case A_HDR_ID: set_val(p, &p->hdr_id, s, len, rank, 0); break;
	case A_HDR_SENDER: set_val(p, &p->hdr_sender, s, len, rank, 0); break;
	case A_HDR_CONTROL:
		s = trim(s, &len);
		p->is_test = len == 11 && strncmp(s, "TestMessage", 11) == 0;
		break;
	case A_P_REF: set_val(p, &pa->ref, s, len, rank, 0); break;
	case A_P_NAME: set_val(p, &pa->name, s, len, rank, 1); break;
	case A_P_IPI: set_val(p, &pa->ipi, s, len, rank, 1); break;
	case A_AF_COMPANY: set_val(p, &p->af_company, s, len, rank, 1); break;
	case A_AF_REF: set_val(p, &p->af_ref, s, len, rank, 1); break;
	case A_AF_TYPE: set_val(p, &p->af_type, s, len, rank, 0); break;
	case A_AF_PCT: set_val(p, &p->af_pct, s, len, rank, 1); break;
	case A_D_REF: set_val(p, &p->d_ref, s, len, rank, 1); break;
	case A_D_NAME: set_val(p, &p->d_name, s, len, rank, 1); break;
	case A_RC_REF: set_val(p, &rc->ref, s, len, rank, 0); break;
	case A_RC_NAME: set_val(p, &rc->name, s, len, rank, 0); break;
	case A_RC_PCT: set_val(p, &rc->pct, s, len, rank, 1); break;
	case A_T_URI: case A_T_FNAME:
		if (!p->t_file.off || rank > p->t_file.rank)
			p->t_uri = act == A_T_URI;
		set_val(p, &p->t_file, s, len, rank, 1);
		break;
	case A_T_PREVIEW: p->t_preview |= ddex_is_true(s, len); break;
	case A_T_FPATH: set_val(p, &p->t_fpath, s, len, rank, 1); break;
	case A_T_HASH: set_val(p, &p->t_hash, s, len, rank, 1); break;
	case A_T_ALGO: set_val(p, &p->t_algo, s, len, rank, 1); break;
	case A_G_TEXT: set_val(p, &p->g_text, s, len, rank, 1); break;
	case A_G_SUB: set_val(p, &p->g_sub, s, len, rank, 1); break;
	case A_I_REF: set_val(p, &im->ref, s, len, rank, 0); break;
	case A_I_TYPE: set_val(p, &im->type, s, len, rank, 0); break;
	case A_I_URI: set_val(p, &im->uri, s, len, rank, 1); break;
	case A_I_FNAME: set_val(p, &im->fname, s, len, rank, 1); break;
	case A_I_FPATH: set_val(p, &im->fpath, s, len, rank, 1); break;
	default: break;
	}
}

/* An element with a value rule has ended: its text is the value. */
void ddex_on_value(struct parser *p, const struct rule *r)
{
	const char *s = p->text_acc.data;
	size_t len = p->text_acc.len;
	int rank = rank_of(&p->fr[p->depth], r->prio), act = r->act;

	if (act >= A_DL_REF)
		deal_value(p, act, s, len);
	else if (act >= A_R_REF)
		release_value(p, act, rank, s, len);
	else if (act >= A_C_REF && act <= A_C_PRO)
		contrib_value(p, act, rank, s, len);
	else if (act >= A_S_REF && act <= A_S_DESC)
		sr_value(p, act, rank, s, len);
	else if (act >= A_M_ISRC && act <= A_RP_COMMENT)
		mead_value(p, act, rank, s, len);
	else
		other_value(p, act, rank, s, len);
	check_state(p);
}

/* ----------------------------------------------------- resolving refs */

/* 3.8: the main release is the one marked IsMainRelease, else the first. */
static void main_release_38(struct parser *p)
{
	size_t i, marked = 0;

	if (p->version > DDEX_ERN_383)
		return;
	for (i = 0; i < p->nrel; i++)
		marked += p->rels[i].kind != REL_PURGED && p->rels[i].main_attr;
	for (i = 0; i < p->nrel; i++) {
		struct release *r = &p->rels[i];

		if (r->kind == REL_PURGED)
			continue;
		r->kind = (marked ? r->main_attr : i == 0) ? REL_MAIN : REL_OTHER;
		if (r->v[RV_TYPE].off && !strcmp(S(p, r->v[RV_TYPE].off), "TrackRelease") &&
		    !r->main_attr)
			r->kind = REL_TRACK;
	}
}

int ddex_is_front_cover(const struct parser *p, const struct image *im)
{
	return im->type.off && strcmp(S(p, im->type.off), "FrontCoverImage") == 0;
}

/* Deals, releases' resources and covers: who belongs to whom. */
void ddex_resolve(struct parser *p)
{
	size_t i, j, k;

	main_release_38(p);
	for (i = 0; i < p->npend; i++) {
		k = ddex_idx_find(p, &p->rel_idx, S(p, p->pend[i].ref));
		if (k != NONE)
			deal_apply(&p->rels[k], p->pend[i].start, p->pend[i].takedown);
	}
	for (i = 0; i < p->nsr; i++)
		p->srs[i].main_rel = p->srs[i].other_rel = NONE;
	for (i = 0; i < p->nrel; i++) {
		struct release *r = &p->rels[i];

		r->cover = NONE;
		for (j = 0; j < r->nrefs && r->kind != REL_PURGED; j++) {
			const char *ref = S(p, p->rrefs[r->first_ref + j]);

			if ((k = ddex_idx_find(p, &p->sr_idx, ref)) != NONE) {
				size_t *slot = r->kind == REL_MAIN ? &p->srs[k].main_rel :
					       &p->srs[k].other_rel;

				if (*slot == NONE)
					*slot = i;
			} else if ((k = ddex_idx_find(p, &p->image_idx, ref)) != NONE &&
				   r->cover == NONE && ddex_is_front_cover(p, &p->images[k])) {
				r->cover = k;
			}
		}
	}
}
