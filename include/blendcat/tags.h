/*
 * tags: audio files -> catalog records, through TagLib's C API.
 *
 * One audio file gives one track record (record.h) and one creator record
 * per credited name, or one reject that says why (the file as a whole:
 * DESIGN "a track is accepted or rejected whole").  It never talks to the
 * database: a sink gets the records and rejects with the file's
 * provenance, in the shape csvman uses, so the same callbacks serve both.
 *
 * What a file must be:
 * - a regular, non-empty file whose content (libmagic, not the name) is
 *   audio: an audio/ type, or a container that carries audio (video/mp4,
 *   video/quicktime, video/x-ms-asf, application/ogg, video/ogg,
 *   video/x-matroska, video/webm).  application/octet-stream (libmagic
 *   does not know WavPack, TTA, TAK or MP3 behind some ID3 tags) is left
 *   to TagLib, whose format readers check their own signatures.  Anything
 *   else is rejected: "not an audio file (text/html)";
 * - readable by TagLib, opened by its content when that disagrees with
 *   the name (an MP3 named .m4a, Ogg FLAC named .oggflac) and is one of
 *   the types taglib_file_new_type() takes;
 * - audio that TagLib can measure: length 0 and sample rate 0 (what 1.13
 *   says of a zero-byte, garbage or truncated file that it still calls
 *   valid) is "cannot read audio (empty or broken file)".  A length of 0
 *   with a sample rate (under a second, or a truncated Ogg file) gives
 *   no duration and a warning: the other sources or the loader decide.
 *   TagLib does not decode audio: a file cut after its headers (FLAC,
 *   MP4) still shows the length its headers declare.
 *
 * The fields, from TagLib's property map (names as TagLib unifies them
 * across ID3v2, Vorbis comments, MP4 atoms, APE, ASF and RIFF INFO):
 *   audio_filename  the file's base name
 *   title           TITLE
 *   artist          ARTIST, several values joined with " / "; else ARTISTS
 *   genre/subgenre  GENRE's first and second value, ID3 codes mapped
 *                   (norm_genre_id3)
 *   release_date    RELEASEDATE, else DATE (a time of day after the date,
 *                   as in ID3v2.4 timestamps, is dropped)
 *   duration        the audio length in seconds (none when shorter than
 *                   one second: a warning)
 *   tempo           BPM ("0" means unknown)
 *   musical_key     INITIALKEY, else KEY, any notation of norm_key, with the scale
 *   scale             it carries ("o", ID3's "off key", means unknown); in
 *                   an MP4 file, which TagLib's map gives neither, the
 *                   freeform atoms ----:com.apple.iTunes:initialkey and
 *                   ----:com.apple.iTunes:KEY (any case; tags_mp4_atom)
 *   isrc            ISRC
 *   mood            MOOD, all values
 *   description     COMMENT, all values, one per line
 *   catalog_number  CATALOGNUMBER, else LABELNO, else LABELID, else "CATALOG #"
 *   tags            GROUPING and KEYWORDS, split on ';' and ','
 * Title, artist, genre, date and comment fall back to TagLib's basic tag
 * when the property map lacks them (an MPEG file's ID3v1 tag behind an
 * ID3v2 tag without that field).  Empty tag values count as absent.
 * With title_from_name (--title-from-filename), a file that still has no
 * title takes it from its name (tags_name_title), with a warning; the
 * field is weak (record.h): another source's title, or the catalog's,
 * comes first.
 *
 * Creators: COMPOSER, LYRICIST, WRITER, ARRANGER, PRODUCER, ENGINEER,
 * MIXER, DJMIXER, REMIXER, CONDUCTOR, PERFORMER and PERFORMER:<instrument>
 * (ID3v2 TMCL), one record per name with the role norm_role gives.  A tag
 * with one value is split with norm_artists ("A & B"); a tag with several
 * values is already a list and each value is one name.  ARTIST is the
 * display credit of the track, not a creator.
 *
 * A value that does not normalize rejects the file, with the tag's name as
 * the field and the value as read: "BPM: fast: expected a number".
 *
 * Threads: a struct tags_reader belongs to one thread at a time; several
 * readers may read files in parallel (see "TagLib's strings" in tags.c).
 */
#ifndef BLENDCAT_TAGS_H
#define BLENDCAT_TAGS_H

#include <stddef.h>

#include "blendcat/record.h"
#include "blendcat/normalize.h"
#include "blendcat/record.h"

struct tags_opts {
	struct rec_opts rec;
	int title_from_name;		/* no title: take it from the file name */
};

/*
 * The title a file name gives (its base name): without the extension
 * (the last '.' and 1 to 8 letters or digits after it) and without a
 * leading track number (1 to 3 digits, then spaces, '.', '-', '_', en or
 * em dashes: "01 - ", "01. ", "1 ", "01_"), unless nothing would be left
 * of it.  Into out (reset); 0, or -1 when the name gives nothing.
 */
int tags_name_title(const char *base, struct buf *out);

/* Values of the property-map names the track fields read. */
enum tags_slot {
	TAGS_TITLE, TAGS_ARTIST, TAGS_ARTISTS, TAGS_GENRE, TAGS_RELEASEDATE, TAGS_DATE,
	TAGS_BPM, TAGS_KEY, TAGS_ISRC, TAGS_MOOD, TAGS_COMMENT, TAGS_CATALOG,
	TAGS_LABELNO, TAGS_LABELID, TAGS_GROUPING, TAGS_KEYWORDS, TAGS_KEY2, TAGS_CATALOG2,
	TAGS_NSLOTS
};

/*
 * The MP4 freeform atom that holds property prop (a name of the slots
 * above) where TagLib's map has no name for it: mean TAGS_MP4_MEAN, name
 * "initialkey" for INITIALKEY, "KEY" for KEY (matched in any case,
 * taglib_bridge.h); NULL for any other property.  export_tags writes
 * through the same table.
 */
#define TAGS_MP4_MEAN "com.apple.iTunes"
const char *tags_mp4_atom(const char *prop);

/* One reader per thread.  Members are private. */
struct tags_reader {
	struct magic_set *magic;	/* libmagic cookie, opened on first use */
	int magic_failed;
	struct rec track;
	struct rec *creators;		/* creators[0..ncreators) of this file */
	size_t ncreators, alloc;
	struct norm_list slot[TAGS_NSLOTS];
	struct norm_list ckeys;		/* property names that credit creators */
	struct norm_list values, names;
	struct buf val, tmp;
	char why[NORM_WHY_MAX];
};

/* Prepare t; allocates nothing. */
void tags_reader_init(struct tags_reader *t);
/* Free what t holds (the libmagic cookie and the records). */
void tags_reader_release(struct tags_reader *t);

/*
 * Set TagLib up for threads (once per process) and load libmagic's
 * database into t; tags_read_file does it on first use.  Call it in the
 * thread that starts the workers, before they start (scan.c): nothing is
 * then reported from a worker.  0, or -1 (reported once per reader).
 */
int tags_reader_prepare(struct tags_reader *t);

/*
 * Is the file at path audio by its content, whatever its name: an audio/
 * type or a container that carries audio (as above)?  1 yes; 0 no, or
 * unreadable; -1 when libmagic cannot load (reported).  Opens no TagLib
 * file.
 */
int tags_is_audio(struct tags_reader *t, const char *path);

/*
 * Read the audio file at path (input number file_no) into sink.  Returns
 * 0 when the file was handled, as records or as a reject; -1 when a sink
 * callback returned non-zero, or when libmagic's database cannot be
 * loaded (an installation problem, reported once per reader with
 * diag_error; every later call fails the same way).
 *
 * The sink (record.h): provenance line 0, off 0, len the file's size.
 * record gets the track first, then its creators; record and reject must
 * be set.  A reject's audio_filename is the file's base name when that is
 * a valid name (else NULL); field, of a reject or a remark, is the tag at
 * fault ("BPM", "COMPOSER") or NULL for the whole file.
 */
int tags_read_file(struct tags_reader *t, const char *path, int file_no,
		   const struct tags_opts *o, const struct rec_sink *sink);

#endif
