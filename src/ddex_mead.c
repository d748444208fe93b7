/*
 * ddex_mead: a MEAD 1.1 message's resources -> track rows and arrangement
 * sections; see include/blendcat/ddex.h.  The message is read as an ERN
 * one is (each ResourceInformation into a struct sr, its RecordingParts
 * into struct parts); this makes their records.
 *
 * Decisions DDEX.md leaves open:
 * - MEAD 1.1: each ResourceInformation is a track row (ISRC, tempo,
 *   musical_key and scale, moods) and its RecordingParts are sections
 *   (StartPoint and EndPoint in seconds, the only Unit read; decimals
 *   rounded).  The track is named by ISRC for the loader to find
 *   (rec.by_isrc), else by ProprietaryId, which blendcat's own export
 *   gives as the audio_filename of a track without ISRC.  A Harmony's
 *   other qualities (Fifth, Suspended...) give the key and no scale;
 *   the first Harmony is the track's.  A bad value rejects the resource.
 */
#include "blendcat/ddex_internal.h"
#include "blendcat/buf.h"
#include "blendcat/normalize.h"
#include "blendcat/record.h"

#include <string.h>

/* The next record of a MEAD resource, naming its track like the others. */
static struct rec *mead_rec(struct out *o, enum rec_kind k, unsigned long line)
{
	struct rec *r = ddex_new_rec(o, k, line);

	memcpy(r->by_isrc, o->by_isrc, sizeof(r->by_isrc));
	r->by_isrc_field = o->by_isrc[0] ? o->by_isrc_field : NULL;
	if (o->audio)
		rec_set_value(r, 0, o->audio);
	return r;
}

/*
 * The track: by ISRC (the loader finds it), else by ProprietaryId, which
 * blendcat's MEAD export gives as the audio_filename of a track without
 * an ISRC.
 */
static int mead_name(struct out *o)
{
	struct parser *p = o->p;
	const struct sr *s = o->sr;
	const struct val *v = &s->v[SV_ISRC];
	char why[NORM_WHY_MAX];

	if (v->off) {
		if (norm_isrc(S(p, v->off), o->by_isrc, why) < 0)
			return ddex_problem(o, v, S(p, v->off), why);
		ddex_val_path(p, v, 0, o->by_isrc_field, sizeof(o->by_isrc_field));
		return 0;
	}
	v = &s->v[SV_PROPID];
	if (!v->off)
		return ddex_problem(o, NULL, NULL, "no ISRC or ProprietaryId (ResourceSummary/ResourceId) "
				    "to name the track by");
	buf_reset(&p->scratch);
	ddex_base_name(S(p, v->off), 0, &p->scratch);
	o->sr_audio = p->names.len;
	buf_add(&p->names, p->scratch.data, p->scratch.len + 1);
	o->audio = p->names.data + o->sr_audio;
	return 0;
}

/* Harmony: RootChordNote and RootChordQuality -> musical_key and scale. */
static int mead_key(struct out *o, struct rec *r)
{
	struct parser *p = o->p;
	const struct val *note = &o->sr->v[SV_NOTE], *q = &o->sr->v[SV_QUALITY];
	char key[NORM_KEY_SIZE], scale[NORM_SCALE_SIZE], why[NORM_WHY_MAX];

	if (!note->off)
		return 0;
	if (norm_mead_key(S(p, note->off), NULL, key, scale, why) < 0)
		return ddex_problem(o, note, S(p, note->off), why);
	if (norm_mead_key(S(p, note->off), q->off ? S(p, q->off) : NULL, key, scale, why) < 0)
		return ddex_problem(o, q, S(p, q->off), why);
	rec_set_value(r, TF_MUSICAL_KEY, key);
	if (scale[0])
		rec_set_value(r, TF_SCALE, scale);
	return 0;
}

/* The track row: its ISRC, tempo, key and scale, moods. */
static int mead_track(struct out *o)
{
	const struct sr *s = o->sr;
	struct rec *r;

	if (mead_name(o) < 0)
		return -1;
	r = mead_rec(o, REC_TRACK, s->line);
	if ((s->v[SV_ISRC].off && ddex_set_field(o, r, TF_ISRC, &s->v[SV_ISRC], NULL) < 0) ||
	    (s->v[SV_TEMPO].off && ddex_set_field(o, r, TF_TEMPO, &s->v[SV_TEMPO], NULL) < 0) ||
	    mead_key(o, r) < 0 ||
	    (s->v[SV_MOOD].off && ddex_set_field(o, r, TF_MOOD, &s->v[SV_MOOD], NULL) < 0))
		return -1;
	if (rec_finish(r) < 0)
		return ddex_problem(o, NULL, rec_get(r, r->bad_field), r->why);
	return 0;
}

/* A RecordingPart: an arrangement section, in seconds. */
static int mead_section(struct out *o, const struct part *pt)
{
	struct parser *p = o->p;
	struct rec *r = mead_rec(o, REC_ARRANGEMENT, pt->line);

	if (pt->unit.off && strcmp(S(p, pt->unit.off), "Second") != 0)
		return ddex_problem(o, &pt->unit, S(p, pt->unit.off), "a section's Unit must be Second");
	if (!pt->type.off || !pt->start.off || !pt->end.off)
		return ddex_problem(o, NULL, NULL, !pt->type.off ? "a RecordingPart needs its "
				    "RecordingPartType" : "a RecordingPart needs its StartPoint and "
				    "EndPoint");
	if (ddex_set_field(o, r, AF_SECTION_NAME, &pt->type, NULL) < 0 ||
	    ddex_set_field(o, r, AF_START_TIME, &pt->start, NULL) < 0 ||
	    ddex_set_field(o, r, AF_END_TIME, &pt->end, NULL) < 0 ||
	    (pt->comment.off && ddex_set_field(o, r, AF_DESCRIPTION, &pt->comment, NULL) < 0))
		return -1;
	if (rec_finish(r) < 0)
		return ddex_problem(o, &pt->end, rec_get(r, r->bad_field), r->why);
	return 0;
}

/* One MEAD ResourceInformation: its track row and sections, or one reject. */
int ddex_deliver_mead(struct out *o, struct sr *s)
{
	size_t i;

	o->sr = s;
	o->nrec = 0;
	o->failed = 0;
	o->audio = NULL;
	o->by_isrc[0] = '\0';
	if (mead_track(o) == 0)
		for (i = 0; i < s->npart && !o->failed; i++)
			mead_section(o, &o->p->parts[s->first_part + i]);
	return o->failed ? ddex_reject_track(o) : ddex_emit_records(o);
}
