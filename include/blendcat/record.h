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

/*
 * Where a record comes from, which is also its rank when the sources of a
 * track merge: CSV over DDEX over tags, the lower value winning (a MEAD
 * message ranks as DDEX).  The loader's SQL compares these values.
 */
enum rec_source {
	REC_SRC_CSV = 0,	/* a CSV manifest, label sheet or workbook */
	REC_SRC_DDEX = 1,	/* a DDEX message */
	REC_SRC_TAGS = 2	/* an audio file's tags */
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

/*
 * Does a null marker (norm_null_marker) mean "empty" in field i of kind k?
 * Yes for optional typed fields (ISRC, tempo, key, dates, IPI, PRO, role,
 * split, email, URL, booleans, moods...); no for free text (title, artist,
 * genre, descriptions, names, file names) and for required fields (a
 * marker there is refused with the value shown).
 */
int rec_field_takes_null_marker(enum rec_kind k, int i);

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

/*
 * Where a reader's records go (the loader, a test, a fuzz target); model:
 * Redis rio.h, one abstraction.  Every reader (tags, csvman, ddex) hands
 * its records, rejects and remarks to one; each reader's header says what
 * field is for it and what it adds around it.
 *
 * record: a valid record (rec_finish passed).
 * reject: a rejected row, file or track: audio_filename is the track it
 *   belongs to when known (else NULL), field what is at fault (a column,
 *   a tag, an element path) or NULL for the whole of it, value that
 *   field's text as read (or NULL), reason why.
 * warn: a non-fatal remark (an unknown PRO kept as given); field as for
 *   reject, or NULL.  May be NULL.
 * record and reject return 0 to go on, non-zero to stop: the read then
 * returns -1.  Every callback gets ctx.
 */
struct rec;
struct rec_sink {
	int (*record)(void *ctx, const struct rec *r, const struct rec_prov *p);
	int (*reject)(void *ctx, const struct rec_prov *p, const char *audio_filename,
		      const char *field, const char *value, const char *reason);
	void (*warn)(void *ctx, const struct rec_prov *p, const char *field, const char *msg);
	void *ctx;
};

struct rec_opts {
	enum norm_date_order date_order;
	/*
	 * Numbers may have a decimal comma (a ';'-separated sheet): tempo,
	 * duration, section times, split and score read "120,5" as 120.5
	 * (norm_decimal_comma).
	 */
	int decimal_comma;
	/*
	 * A value that is only a null marker (norm_null_marker: "N/A", "-",
	 * "TBD"..., and nulls) in a field that takes one
	 * (rec_field_takes_null_marker) is empty: rec_set leaves the field
	 * NULL, sets rec.nulled and says so in rec.warn.  The tag and DDEX
	 * readers ask for it; the sheet reader applies the rule itself, per
	 * column.
	 */
	int null_markers;
	const char *const *nulls;
	size_t nnulls;
};

struct rec {
	enum rec_kind kind;
	unsigned long given;		/* bit i: the source has field i */
	/*
	 * Bit i: field i is a guess (a title taken from the file name,
	 * tags.h): the loader drops it when another source of the run gives
	 * that field or the track is in the catalog.
	 */
	unsigned long weak;
	int off[REC_MAX_FIELDS];	/* offset of value i in store; -1 = NULL */
	struct buf store;
	/* Set when rec_set or rec_finish fails. */
	int bad_field;
	char why[NORM_WHY_MAX];
	/* A warning from the last rec_set that succeeded ("" when none). */
	char warn[NORM_WHY_MAX];
	/* The last rec_set found a null marker (rec_opts.null_markers). */
	int nulled;
	/*
	 * A row whose track is named by ISRC, not by audio_filename (a DDEX
	 * MEAD message): the ISRC, normalized, and the element path that
	 * gave it (borrowed: valid while the record is handed over).  ""
	 * and NULL otherwise.  The loader finds the track in the database.
	 */
	char by_isrc[NORM_ISRC_SIZE];
	const char *by_isrc_field;
	/*
	 * A track without a duration: why its source gives none, when it can
	 * say ("the message gives Duration 'PT0S', which is no length, and
	 * ..."), for the loader's "a new track needs a duration".  Borrowed
	 * like by_isrc_field; NULL otherwise.
	 */
	const char *no_duration;
	/* Private: the scale a key notation carried. */
	char key_scale[NORM_SCALE_SIZE];
	int key_scale_explicit;
	struct norm_list list;
	struct buf tmp;
	struct buf parts;	/* rec_set_parts' work */
};

void rec_init(struct rec *r);
/* Start a new record of kind k, keeping memory. */
void rec_reset(struct rec *r, enum rec_kind k);
void rec_release(struct rec *r);
/* Make dst hold src's kind, given and weak fields and values (not its messages). */
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

/* One part of a field given by several columns: a cell's text. */
struct rec_part {
	const char *data;	/* need not be NUL-terminated; NULL when len is 0 */
	size_t len;
};

/*
 * Field i from n parts in separate columns (a --map join, A + B + C).  An
 * empty part (nothing but spaces) says nothing, and the value is what the
 * others say, by the field's type:
 *   musical_key   KEY + MODE: joined with a space ("A minor"); an empty key
 *                 is an unknown key (NULL), and the mode, if any, still
 *                 gives the scale (as a key's notation does: it fills an
 *                 empty scale and must agree with a given one)
 *   dates         norm_date_parts: YEAR + MONTH [+ DAY] (or day-first by
 *                 --date-order); no day is the month, no month the year,
 *                 no year no date; a part left out sets warn
 *   duration and section times
 *                 [H +] M + S, joined with ':' ("3" + "5" is 3:05); an
 *                 empty part is 0
 *   mood, tags    the parts' lists together
 *   other fields  the non-empty parts joined with a space
 * All parts empty gives NULL.  Returns as rec_set(); n == 1 is rec_set().
 */
int rec_set_parts(struct rec *r, int i, const struct rec_part *parts, size_t n,
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
 * Append l as a PostgreSQL array literal to out, the way PostgreSQL prints
 * arrays: {a,"b c","x\"y","NULL",""}.  An item is double-quoted when it is
 * empty, is NULL in any case, or holds '"', '\\', '{', '}', ',' or ASCII
 * whitespace; inside quotes '"' and '\\' get a backslash.  This is the
 * array input syntax: rec_copy_value() applies COPY text escaping on top.
 * An empty list gives {}.  The mood and tags fields are stored this way.
 */
void rec_pg_array_literal(const struct norm_list *l, struct buf *out);

/*
 * Append value as COPY text (backslash, tab, LF, CR escaped); NULL gives
 * \N.
 */
void rec_copy_value(struct buf *out, const char *value);

#endif
