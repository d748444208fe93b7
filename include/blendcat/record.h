/*
 * record: the catalog record model, its validation and its COPY encoding.
 *
 * A record is one row for one table of the catalog: a track, or one of
 * its creators, instruments, arrangement sections or samples.  Readers
 * fill a record field by field from raw text (rec_set normalizes and
 * validates each value), then rec_finish checks what involves several
 * fields of the row.  Checks across rows (a track's split total, sections
 * against its duration, duplicates) need other rows and are the loader's.
 *
 * A record keeps all its values in one buffer it owns; rec_reset frees
 * nothing.  No I/O here.
 */
#ifndef BLENDCAT_RECORD_H
#define BLENDCAT_RECORD_H

#include <stddef.h>

#include "blendcat/buf.h"
#include "blendcat/normalize.h"

enum rec_kind {
	REC_TRACK,
	REC_CREATOR,
	REC_INSTRUMENT,
	REC_ARRANGEMENT,
	REC_SAMPLE,
	REC_NKINDS
};

/* How a field's raw text is normalized. */
enum rec_type {
	RT_FILENAME,	/* audio_filename: a base name, no path */
	RT_LINE,	/* one line of text */
	RT_TEXT,	/* text that may hold tabs and newlines */
	RT_DURATION,	/* seconds, > 0 */
	RT_SECONDS,	/* seconds, >= 0 (section start and end) */
	RT_TEMPO,
	RT_KEY,
	RT_SCALE,
	RT_MOODS,
	RT_TAGS,
	RT_ISRC,
	RT_DATE,
	RT_CATALOG,
	RT_URL,
	RT_ROLE,
	RT_IPI,
	RT_PRO,
	RT_SPLIT,
	RT_EMAIL,
	RT_PHONE,
	RT_CATEGORY,
	RT_BOOL,
	RT_SECTION,
	RT_SCORE,	/* popularity_score, NUMERIC(5,2), 0-999.99 */
	RT_COUNT	/* play_count, BIGINT >= 0 */
};

/* Field flags. */
#define RF_NOTNULL 0x1u		/* the column is NOT NULL: given empty is refused */
#define RF_NEW 0x2u		/* a new track must have it */
#define RF_EXTRA 0x4u		/* not in the manifest set; read when a column gives it */

struct rec_field {
	const char *name;	/* the column, as in the manifest set */
	enum rec_type type;
	unsigned short max;	/* characters (text) or 0 */
	unsigned char flags;
};

struct rec_kind_def {
	const char *name;	/* "track" */
	const char *file;	/* "tracks.csv" */
	const char *table;	/* "track_info" (schema meekah) */
	size_t nfields;
	const struct rec_field *fields;	/* [0] is always audio_filename */
};

extern const struct rec_kind_def rec_kinds[REC_NKINDS];

#define REC_MAX_FIELDS 20

/* Field numbers of the track kind that other modules need by name. */
enum {
	TF_AUDIO_FILENAME, TF_TITLE, TF_ARTIST, TF_DURATION, TF_TEMPO,
	TF_MUSICAL_KEY, TF_SCALE, TF_GENRE, TF_SUBGENRE, TF_MOOD, TF_TAGS,
	TF_DESCRIPTION, TF_COVER_ART_URL, TF_CATALOG_NUMBER, TF_ISRC,
	TF_RELEASE_DATE, TF_POPULARITY_SCORE, TF_PLAY_COUNT
};
enum { CF_AUDIO_FILENAME, CF_CREATOR_NAME, CF_ROLE, CF_IPI_NUMBER, CF_PRO,
       CF_SPLIT_PERCENTAGE, CF_CONTACT_EMAIL, CF_CONTACT_PHONE };
enum { AF_AUDIO_FILENAME, AF_SECTION_NAME, AF_START_TIME, AF_END_TIME, AF_DESCRIPTION };

/* The field number of name in kind k (exact column name), or -1. */
int rec_field_index(enum rec_kind k, const char *name);

/*
 * Where a record came from, for every reader: enough to name it in a
 * message and to copy its bytes again (pread) for the rejects.  A CSV row:
 * its physical line, offset and length; an audio file or a DDEX message:
 * line 0 or the element's line, off 0, len the file's size.
 */
struct rec_prov {
	int file_no;
	const char *path;
	unsigned long line;
	unsigned long long off;	/* offset of the row's first byte */
	unsigned long long len;	/* its length, terminator included */
	/*
	 * NULL, or where to say the problem is instead of path:line: a
	 * workbook's cell, "label.xlsx:Tracks!C12" (borrowed for the call).
	 */
	const char *where;
};

struct rec_opts {
	enum norm_date_order date_order;
};

struct rec {
	enum rec_kind kind;
	unsigned long given;		/* bit i: the source has field i */
	int off[REC_MAX_FIELDS];	/* offset of value i in store; -1 = NULL */
	struct buf store;
	/* Set when rec_set or rec_finish fails. */
	int bad_field;
	char why[NORM_WHY_MAX];
	/* A warning from the last rec_set that succeeded ("" when none). */
	char warn[NORM_WHY_MAX];
	/*
	 * A row whose track is named by ISRC, not by audio_filename (a DDEX
	 * MEAD message): the ISRC, normalized, and the element path that
	 * gave it (borrowed: valid while the record is handed over).  ""
	 * and NULL otherwise.  The loader finds the track in the database.
	 */
	char by_isrc[NORM_ISRC_SIZE];
	const char *by_isrc_field;
	/* Private: the scale a key notation carried. */
	char key_scale[NORM_SCALE_SIZE];
	int key_scale_explicit;
	struct norm_list list;
	struct buf tmp;
};

void rec_init(struct rec *r);
/* Start a new record of kind k, keeping memory. */
void rec_reset(struct rec *r, enum rec_kind k);
void rec_release(struct rec *r);
/* Make dst hold src's kind, given fields and values (not its messages). */
void rec_copy(struct rec *dst, const struct rec *src);

/*
 * Normalize len bytes of raw text into field i (raw need not be
 * NUL-terminated; it is checked for NUL bytes and UTF-8).  Marks the
 * field given.  Empty text stores NULL.  Returns 0, or -1 with bad_field
 * and why set.  A value kept but not recognised (an unknown PRO) sets
 * warn.
 */
int rec_set(struct rec *r, int i, const char *raw, size_t len,
	    const struct rec_opts *o);

/* Store a value that is already canonical (no checks); NULL for NULL. */
void rec_set_value(struct rec *r, int i, const char *value);

/*
 * Checks across the fields of one row: NOT NULL fields that were given,
 * key against scale (the scale a key notation carries fills an empty
 * scale), a section's end after its start.  0, or -1 with bad_field and
 * why set.
 */
int rec_finish(struct rec *r);

/* The value of field i, or NULL.  Borrowed until the record changes. */
const char *rec_get(const struct rec *r, int i);
static inline int rec_given(const struct rec *r, int i)
{
	return (r->given >> i) & 1u;
}

/*
 * Append value as COPY text (backslash, tab, LF, CR escaped); NULL gives
 * \N.
 */
void rec_copy_value(struct buf *out, const char *value);

#endif
