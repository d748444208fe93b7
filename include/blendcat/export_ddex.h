/*
 * export_ddex: catalog records -> DDEX ERN 4.3 NewReleaseMessage files,
 * one message per release, written with libxml2's xmlTextWriter.
 *
 * The writer takes records (record.h), never talks to the database: the
 * caller hands it one release at a time through ddex_writer_ops.write, as
 * REC_TRACK records each followed by that track's creator, instrument and
 * arrangement records (samples have no home in DDEX and are ignored).
 * Values are the canonical ones the database holds.
 *
 * What goes where (the reverse of ddex.c):
 *   track           SoundRecording A<n>: ISRC (else a ProprietaryId),
 *                   title, artist, duration, the audio file as
 *                   resources/<audio_filename>; a TrackRelease R<n> with
 *                   the track's genre, tags (Keywords), description
 *                   (Synopsis) and, when the release's tracks differ,
 *                   its cover and its own deal with its release date
 *   release         Release R0: CatalogNumber (and ICPN when it is a
 *                   GTIN), the release date and front cover when all its
 *                   tracks agree, a DealList
 *   creators        one Party per name + IPI + PRO (PRO as a
 *                   MusicRightsSociety Affiliation); one Contributor per
 *                   track and party with all its roles; its splits, added
 *                   up, as the track's ResourceRightsController
 *                   RightSharePercentage
 *   instruments     Contributor InstrumentType (UserDefined, the type as
 *                   its value) of an unnamed party;
 *                   HasMadeFeaturedContribution = is_primary
 * With mead set, tempo, key, scale, mood and the arrangement go into a
 * MEAD 1.1 message beside the ERN message.  Contact data and samples are
 * not written.
 *
 * Files: DIR/<release>.xml where <release> is the catalog number (or, for
 * a single, the audio file's name without extension) with characters
 * outside [A-Za-z0-9._-] replaced by '_'; never overwritten.  With batch:
 * DIR/<batch id>/<release>/<release>.xml, an empty resources/ folder
 * beside it, and DIR/<batch id>/BatchComplete_<batch id>.xml written by
 * close() when every message was written.
 */
#ifndef BLENDCAT_EXPORT_DDEX_H
#define BLENDCAT_EXPORT_DDEX_H

#include <stddef.h>

#include "blendcat/buf.h"
#include "blendcat/export.h"

struct ddexw_opts {
	const char *sender_dpid, *sender_name;		/* PADPIDA..., name */
	const char *recipient_dpid, *recipient_name;
	const char *created;	/* MessageCreatedDateTime, xs:dateTime (UTC) */
	const char *batch_id;	/* YYYYMMDDhhmmssnnn */
	int batch, mead;
};

struct ddexw {
	struct ddexw_opts o;
	const char *dir;		/* borrowed from open() to close() */
	struct buf dirpath, path, scratch, names;
	struct ddexw_party *parties;
	size_t nparties, capparties;
	unsigned long messages, tracks;
};

void ddexw_init(struct ddexw *w, const struct ddexw_opts *o);
void ddexw_release(struct ddexw *w);

/* ctx is a struct ddexw. */
extern const struct writer_ops ddex_writer_ops;

/* Is s a DDEX party id (DPID): PADPIDA followed by letters and digits? */
int ddexw_dpid_ok(const char *s);

#endif
