/*
 * export_tags: catalog records -> the audio files' tags, through TagLib's
 * property map (taglib_bridge.h): the reverse of tags.h.
 *
 * open() indexes the audio files under the audio root by base name; each
 * write() gets one track and its children, finds the file named by its
 * audio_filename, reads what its tags mean now (tags_read_file, the
 * importer's own reading) and writes only the fields whose meaning
 * differs, in the property names tags.h reads:
 *   title TITLE, artist ARTIST, genre and subgenre GENRE (two values),
 *   release_date DATE (and RELEASEDATE when the file has one), tempo BPM,
 *   musical_key and scale INITIALKEY ("C#m"; in an MP4 file the atom
 *   ----:com.apple.iTunes:initialkey, tags_mp4_atom; KEY removed), isrc
 *   ISRC, mood MOOD and tags GROUPING (';'-joined; KEYWORDS removed),
 *   description COMMENT, catalog_number CATALOGNUMBER (LABELNO, LABELID
 *   removed);
 *   creators, one value per name: composer COMPOSER, lyricist LYRICIST,
 *   songwriter WRITER, arranger ARRANGER, producer PRODUCER, engineer
 *   ENGINEER, mixer MIXER, remixer REMIXER, conductor CONDUCTOR, performer
 *   PERFORMER (replacing DJMIXER and PERFORMER:<instrument> credits when
 *   the performers differ).
 * A value the catalog does not have (NULL) removes the tag.  Duration,
 * cover art, IPI, PRO, splits, contact data, instruments, arrangement and
 * samples have no tag and are left alone.
 *
 * Each change is printed on stdout as "FILE: PROPERTY: 'old' -> 'new'";
 * with dry_run nothing is saved.  A property the file's tag format cannot
 * hold (TagLib keeps it out: INITIALKEY in MP4 without the bridge) is a
 * warning, not a change.  A track with no file under the root is
 * counted, not an error; two files of one base name, a file TagLib cannot
 * open or save are errors (the others are still written) and make close()
 * fail.
 */
#ifndef BLENDCAT_EXPORT_TAGS_H
#define BLENDCAT_EXPORT_TAGS_H

#include <stddef.h>

#include "blendcat/buf.h"
#include "blendcat/export.h"
#include "blendcat/record.h"
#include "blendcat/tags.h"

struct tagsw_file {
	char *name;	/* base name */
	char *path;
	int dup;	/* another file has this name */
};

struct tagsw {
	int dry_run;
	struct tagsw_file *files;	/* sorted by name */
	size_t nfiles, capfiles;
	struct tags_reader reader;
	struct rec now;			/* what the file's tags mean */
	struct rec *now_creators;
	size_t nnow, capnow;
	int now_ok;
	struct buf a, b, c;
	unsigned long changed, unchanged, missing, failed, changes;
};

void tagsw_init(struct tagsw *w, int dry_run);
void tagsw_release(struct tagsw *w);

/* ctx is a struct tagsw. */
extern const struct writer_ops tags_writer_ops;

#endif
