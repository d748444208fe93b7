/*
 * taglib_bridge: TagLib 2.0's property-map C API, on TagLib 1.x too.
 *
 * TagLib's C API before 2.0 (Debian 12 ships 1.13) reaches only the basic
 * tag (title, artist, album, comment, genre, year, track) and the audio
 * properties.  Everything else a catalog needs (BPM, INITIALKEY, ISRC,
 * COMPOSER, MOOD, CATALOGNUMBER, full dates, RIFF INFO, ID3v2 TIPL/TMCL
 * credits, Vorbis comments and MP4 atoms of any name) lives in the C++
 * property map, File::properties(), which came to the C API in 2.0.
 *
 * Include this header instead of <taglib/tag_c.h>.  With TagLib 2.0 or
 * later it is only that header: the taglib_property_* functions below are
 * TagLib's own, and the bridge_mp4_* ones find and change nothing.
 * Before 2.0 the Makefile builds src/taglib_bridge.cpp, which defines them
 * with the same signatures and behaviour on top of File::properties(), and
 * passes -DBLENDCAT_TAGLIB_BRIDGE so that these declarations appear.  The
 * C code is the same either way.
 *
 * Ownership, as in TagLib 2.0: every array returned here is malloc'd,
 * NULL-terminated, holds malloc'd UTF-8 strings, and belongs to the
 * caller, who frees it with taglib_property_free().  These strings never
 * go into TagLib's process-global list of managed strings
 * (taglib_tag_free_strings() does not touch them).
 *
 * Property names are case-insensitive (TagLib upper-cases them); values of
 * a name come in the order of the tag.  A TagLib_File must not be used by
 * two threads at once; different files may be read in parallel.
 */
#ifndef BLENDCAT_TAGLIB_BRIDGE_H
#define BLENDCAT_TAGLIB_BRIDGE_H

#include <taglib/tag_c.h>

#ifdef BLENDCAT_TAGLIB_BRIDGE

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The names of all properties of file (e.g. "TITLE", "BPM",
 * "PERFORMER:GUITAR"), or NULL when it has none (or file is NULL).
 */
char **taglib_property_keys(const TagLib_File *file);

/* The values of property prop, or NULL when file has no such property. */
char **taglib_property_get(const TagLib_File *file, const char *prop);

/*
 * Replace the values of prop by value (UTF-8), or remove prop when value
 * is NULL; _append adds value after the existing ones.  The change is in
 * memory until taglib_file_save().
 */
void taglib_property_set(TagLib_File *file, const char *prop, const char *value);
void taglib_property_set_append(TagLib_File *file, const char *prop, const char *value);

/* Free an array from taglib_property_keys/get; NULL is fine. */
void taglib_property_free(char **props);

/*
 * Beyond TagLib 2.0's C API: MP4 freeform atoms, "----:MEAN:NAME", which
 * the property map leaves out unless TagLib knows the name (neither 1.13
 * nor 2.x knows com.apple.iTunes:initialkey, where iTunes-style taggers
 * keep the musical key).  MEAN and NAME match case-insensitively:
 * taggers write both initialkey and INITIALKEY.
 *
 * bridge_mp4_freeform_get: the values of every matching atom (text; an
 * atom of binary type is read as UTF-8), as taglib_property_get returns
 * them; NULL when there is none or file is not an MP4 file.
 *
 * bridge_mp4_freeform_set: the matching atoms become one holding values
 * (NULL-terminated UTF-8 strings, UTF-8 text type), named as the first
 * matching atom was, else "----:MEAN:NAME" as given; values NULL or empty
 * removes them.  In memory until taglib_file_save().  0, or -1 when file
 * is not an MP4 file (nothing changed).
 */
char **bridge_mp4_freeform_get(const TagLib_File *file, const char *mean, const char *name);
int bridge_mp4_freeform_set(TagLib_File *file, const char *mean, const char *name,
			    const char *const *values);

#ifdef __cplusplus
}
#endif

#else /* !BLENDCAT_TAGLIB_BRIDGE */

/*
 * TagLib 2.0's C API reaches no MP4 item: no freeform atom is found and
 * none can be written (callers fall back to the property map).
 */
static inline char **bridge_mp4_freeform_get(const TagLib_File *file, const char *mean,
					     const char *name)
{
	(void)file;
	(void)mean;
	(void)name;
	return NULL;
}

static inline int bridge_mp4_freeform_set(TagLib_File *file, const char *mean, const char *name,
					  const char *const *values)
{
	(void)file;
	(void)mean;
	(void)name;
	(void)values;
	return -1;
}

#endif /* BLENDCAT_TAGLIB_BRIDGE */

#endif
