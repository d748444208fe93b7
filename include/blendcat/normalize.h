/*
 * normalize: raw field text in, typed and canonical value or a reason out.
 *
 * The facts (notations, check digits, code lists) are the published
 * standards' (ISRC, CISAC IPI, Camelot and Open Key); this header is the
 * contract.
 *
 * One value at a time: nothing here looks at other fields or rows.  The
 * checks across a row's fields (a section's end after its start, a key's
 * scale against the scale column) are rec_finish()'s, in record.c.  The
 * checks across rows (a track's splits adding up to at most 100%, its
 * arrangement sections inside its duration and not overlapping) need
 * every source of the run and the catalog: they run once, as SQL over
 * the staging tables, in copyload.c.  Each rule has that one home.
 *
 * Conventions shared by every function here:
 *
 * - Pure: no I/O, no printing, no mutable global state; safe to call from
 *   several threads at once.
 * - Input strings are NUL-terminated UTF-8 and may be NULL (= empty).
 *   Functions that produce text (norm_text, the vocabularies, lists,
 *   genres, section and catalog numbers) validate it as norm_text() does;
 *   the others parse their notation and reject anything else.
 * - An input must not point into the struct buf / struct norm_list the
 *   same call appends to (the buffer may move).
 * - Surrounding ASCII whitespace (space, tab, CR, LF, VT, FF) is trimmed
 *   for identifiers, numbers, dates and vocabulary values.
 * - Return value:
 *       0           a value was produced
 *       NORM_EMPTY  (1) the input holds no value (empty after trimming, or
 *                   a documented "unknown" such as PT0S or ID3 genre 255):
 *                   the caller stores NULL or falls back to another source
 *      -1           the input is wrong; a reason was written to why
 * - why: a caller-supplied char[NORM_WHY_MAX], or NULL when the caller does
 *   not want the reason.  It is written only when -1 is returned: one short
 *   lower-case phrase without a final period that says concretely what is
 *   wrong ("expected 12 characters, got 5"), ready for a rejects.log line
 *   `file:line:field: value: reason`.  Parts of the input quoted in a
 *   reason are cut to about 40 bytes at a character boundary.
 * - Fixed-size outputs (char key[NORM_KEY_SIZE] ...) are always written:
 *   the value on 0, an empty string on NORM_EMPTY and -1.
 * - struct buf outputs are appended to (a record keeps all its strings in
 *   one buffer); on NORM_EMPTY and -1 the buffer is left exactly as it was.
 * - Nothing here allocates memory the caller must free, except through the
 *   caller's own struct buf / struct norm_list.  Allocation failure exits
 *   (xalloc).
 */
#ifndef BLENDCAT_NORMALIZE_H
#define BLENDCAT_NORMALIZE_H

#include <stddef.h>

#include "blendcat/buf.h"

#define NORM_WHY_MAX 160
#define NORM_EMPTY 1

/* Output sizes, NUL included. */
#define NORM_KEY_SIZE 4		/* "C#" */
#define NORM_SCALE_SIZE 8	/* "major", "minor" */
#define NORM_DATE_SIZE 11	/* "2024-01-15" */
#define NORM_ISRC_SIZE 13	/* "USRC17607839" */
#define NORM_IPI_SIZE 12	/* "00000000199" */
#define NORM_GTIN_SIZE 15	/* up to 14 digits */
#define NORM_ISWC_SIZE 12	/* "T0345246801" */
#define NORM_ISWC_DISPLAY_SIZE 16	/* "T-034.524.680-1" */
#define NORM_ISNI_SIZE 17	/* "000000012146438X" */
#define NORM_SPLIT_SIZE 8	/* "100.00" */

/* Column limits in characters (blendtune-schema.md), for the max arguments. */
#define NORM_MAX_TITLE 255
#define NORM_MAX_GENRE 100
#define NORM_MAX_MOOD_ITEM 255
#define NORM_MAX_TAG_ITEM 100
#define NORM_MAX_CATALOG 50
#define NORM_MAX_ROLE 100
#define NORM_MAX_PRO 100
#define NORM_MAX_CATEGORY 100
#define NORM_MAX_SECTION 50
#define NORM_MAX_NAME 255

/* ---- Text ------------------------------------------------------------ */

/* norm_text flags */
#define NORM_TEXT_TRIM 0x1u	 /* trim surrounding ASCII whitespace */
#define NORM_TEXT_MULTILINE 0x2u /* allow tab, LF and CR (descriptions) */

/*
 * Validate and canonicalize len bytes of text (NUL bytes inside are looked
 * at, not taken as the end) and append the result to out.
 *
 * In order: reject NUL bytes ("NUL byte at byte 3") and invalid UTF-8
 * ("invalid UTF-8 at byte 7"; overlong forms, surrogates and code points
 * above U+10FFFF are invalid); byte positions count from 1 in the input as
 * given.  Strip one leading BOM; trim when NORM_TEXT_TRIM; refuse control
 * characters: C0 (U+0001-U+001F) except tab, LF and CR under
 * NORM_TEXT_MULTILINE, DEL and C1 (U+0080-U+009F); normalize to NFC
 * (utf8proc); then, when max_chars is not 0, refuse values longer than
 * max_chars characters (code points, as PostgreSQL VARCHAR(n) counts):
 * "value has 300 characters, column allows 255".  Never truncates.
 *
 * Returns NORM_EMPTY when nothing is left after the BOM and trimming.
 */
int norm_text(const char *in, size_t len, unsigned flags, size_t max_chars,
	      struct buf *out, char *why);

/* Number of characters (code points) in len bytes of valid UTF-8. */
size_t norm_utf8_chars(const char *s, size_t len);

/* ---- Musical key and scale --------------------------------------------- */

/*
 * Key and scale from any notation of NORMALIZATION.md:
 *   standard  C, c#, Db, D♭, C♯, E#, Cb, Am, A min, A minor, F#M, Bb major
 *             (tonic in any case; after it `m` = minor, `M` = major, and
 *             min/minor/maj/major in any case, with or without a space)
 *   Camelot   1A-12A (minor), 1B-12B (major), letter in any case
 *   Open Key  1m-12m (minor), 1d-12d (major), letter in any case
 * key receives the tonic spelled with sharps (C C# D D# E F F# G G# A A# B),
 * scale "major" or "minor".  A bare tonic gives "major" with
 * *scale_explicit = 0, so that a separate scale column can still win;
 * every other notation sets *scale_explicit = 1.  scale_explicit may be
 * NULL.
 * Reasons: "unknown key 'H#'", "double accidental in key 'C##'",
 * "unknown scale 'major minor' in key 'C major minor'",
 * "Camelot number 13 out of range 1-12", ...
 */
int norm_key(const char *in, char key[NORM_KEY_SIZE],
	     char scale[NORM_SCALE_SIZE], int *scale_explicit, char *why);

/*
 * Key from a pitch class (0 = C ... 11 = B) and a mode (1 = major,
 * 0 = minor), as in Spotify-style data.  pitch -1 means unknown: returns
 * NORM_EMPTY.  mode -1 means the scale is unknown: returns 0 with the key
 * set and scale "" (store NULL).  Other values are errors.
 */
int norm_key_pitch(int pitch, int mode, char key[NORM_KEY_SIZE],
		   char scale[NORM_SCALE_SIZE], char *why);

/*
 * Key and scale from a DDEX MEAD Harmony: RootChordNote (C, C#/Db, D,
 * Eb/D#, ..., one tonic or two enharmonic spellings joined by '/') and
 * RootChordQuality (MajorTriad, MinorSeventh, ...; NULL or "" when not
 * given).  The Major and Minor triads, sevenths and sixths give the
 * scale; the other qualities (Fifth, Suspended, DiminishedTriad, ...)
 * leave it "" (store NULL).  An empty note is NORM_EMPTY.
 * Reasons: "unknown RootChordNote 'H'", "two different notes in
 * RootChordNote 'C/D'", "unknown RootChordQuality 'Happy'".
 */
int norm_mead_key(const char *note, const char *quality, char key[NORM_KEY_SIZE],
		  char scale[NORM_SCALE_SIZE], char *why);

/*
 * A scale column: major, maj, M / minor, min, m (words in any case; the
 * single letters are case-sensitive as after a tonic) -> "major"/"minor".
 */
int norm_scale(const char *in, char scale[NORM_SCALE_SIZE], char *why);

/* ---- Numbers ----------------------------------------------------------- */

/*
 * Tempo in BPM: a decimal number, optionally followed by "BPM" in any case
 * (with or without a space), rounded half away from zero: 119.5 -> 120.
 * The result must be 1-999.  Refuses signs, exponents, NaN/inf words and
 * anything after the number.
 */
int norm_tempo(const char *in, int *bpm, char *why);

/*
 * Does len bytes of text (NUL bytes inside are looked at) hold nothing but
 * a null marker, the way sheets and tags say "no value": N/A, #N/A (Excel),
 * -, an em or en dash, null, none, unknown, TBD, in any case, with
 * surrounding ASCII whitespace; or one of the nextra extra markers
 * (compared the same way: --null)?  1 or 0.  For typed optional fields
 * only (identifiers, numbers, dates, key, vocabularies): free text such as
 * a title keeps "Unknown" as its text; the caller decides which.
 */
int norm_null_marker(const char *in, size_t len, const char *const *extra, size_t nextra);

/*
 * A number written with a decimal comma, as in a ';'-separated sheet of
 * most European locales: when s has exactly one ',', between two digits,
 * and no '.', the comma becomes a point in place ("120,5" -> "120.5",
 * "3:05,5" -> "3:05.5", "33,33 %" -> "33.33 %") and 1 is returned; else s
 * is left alone and 0 returned ("1,234.5", "1,2,3", ",5", "a,b").
 */
int norm_decimal_comma(char *s);

/* norm_duration flags */
#define NORM_DURATION_ZERO_OK 0x1u /* 0 is a value (section start times) */

/*
 * Seconds from "180" (decimals allowed), "3:00", "03:00", "1:02:03"
 * (minutes and seconds after the first part: two digits, 00-59; a fraction
 * allowed on the seconds), or ISO 8601 / xs:duration "PT3M0S",
 * "PT1H2M3.5S", "P1DT2H" (days and weeks count as 86400 and 604800 s;
 * years and months only when zero, as in "P0Y0M0DT3M"; a fraction only on
 * the seconds; designators in any case).  Fractions are rounded half up.
 * A result of 0 (e.g. "0", "PT0S", which DDEX uses for "unknown") returns
 * NORM_EMPTY unless NORM_DURATION_ZERO_OK is given.  Negative values and
 * results beyond INT_MAX are refused.
 */
int norm_duration(const char *in, unsigned flags, int *secs, char *why);

/*
 * Seconds from a number of milliseconds ("185432", "185432.7"), rounded
 * half up (1500 -> 2, 1499 -> 1), for a column whose header says ms.
 * NORM_EMPTY for empty text and for less than half a second; negative
 * numbers, other notations and results beyond INT_MAX are refused.
 */
int norm_duration_ms(const char *in, int *secs, char *why);

/* true/false, t/f, yes/no, y/n, 1/0, on/off in any case -> *val 1 or 0. */
int norm_bool(const char *in, int *val, char *why);

/*
 * Split percentage for NUMERIC(5,2): "50", "50.00", "33.33", "50%",
 * "12.5 %" -> *hundredths (5000) and out ("50.00").  0-100 inclusive.
 * More than two decimal places are refused unless the extra digits are
 * zeros ("33.330" is fine, "33.333" is not): values are never rounded.
 * hundredths and out may be NULL.
 */
int norm_split(const char *in, int *hundredths, char out[NORM_SPLIT_SIZE],
	       char *why);

/* ---- Dates ------------------------------------------------------------- */

enum norm_date_order {
	NORM_DATE_ISO = 0,	/* only year-first dates (the default) */
	NORM_DATE_DMY,		/* also 15/01/2024, 15.01.2024, 15-01-2024 */
	NORM_DATE_MDY		/* also 01/15/2024, ... */
};

/*
 * A date as "YYYY-MM-DD" in out.  Year-first forms are always accepted:
 * YYYY-MM-DD, YYYY-MM and YYYY (the first day is implied), also with '/'
 * or '.' instead of '-' and with one-digit month or day.  Day-first and
 * month-first forms (day and month 1-2 digits, a 4-digit year, one
 * separator from / . -) only with NORM_DATE_DMY / NORM_DATE_MDY; with
 * NORM_DATE_ISO they are refused with a reason naming --date-order.
 * Years 1000-9999; impossible dates are refused ("day 29 does not exist
 * in 2023-02").  A time of day after the date is refused.
 */
int norm_date(const char *in, enum norm_date_order order,
	      char out[NORM_DATE_SIZE], char *why);

/* Days from 1970-01-01 of a proleptic Gregorian date (month 1-12), and back. */
long norm_days_from_civil(long y, unsigned m, unsigned d);
void norm_civil_from_days(long z, long *y, unsigned *m, unsigned *d);

/*
 * A date from 2 or 3 parts in separate columns (a --map join such as
 * Year + Month + Day), each part NULL or text.  Which part is which: the
 * year comes first when the first part has 4 digits, or when the last has
 * not and order is NORM_DATE_ISO (Year + Month [+ Day]); else it comes last
 * (Month + Year; Day + Month + Year with NORM_DATE_DMY, Month + Day + Year
 * with NORM_DATE_MDY; with NORM_DATE_ISO three parts ending with the year
 * are refused, naming --date-order).  The month may be an English name or
 * its abbreviation (March, Mar, Sept).  Empty parts say what they say:
 * no year is no date (NORM_EMPTY); no month is the year alone (YYYY-01-01),
 * no day is the month (YYYY-MM-01).  A month or day without a year, or a
 * day without a month, is left out and *dropped set to 1 (the caller
 * warns); else *dropped is 0.  Otherwise as norm_date().
 */
int norm_date_parts(const char *const *parts, size_t n, enum norm_date_order order,
		    char out[NORM_DATE_SIZE], int *dropped, char *why);

/* "iso", "dmy", "mdy" (any case) -> *order, for --date-order.  0 or -1. */
int norm_date_order_parse(const char *name, enum norm_date_order *order);

/* ---- Identifiers ------------------------------------------------------- */

/*
 * ISRC: upper-cased; hyphens and spaces removed; a leading "ISRC" (with an
 * optional ':') removed when 16 characters remain; must then be
 * CC XXX YY NNNNN = ^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$ with CC an officially
 * assigned ISO 3166-1 alpha-2 code or FX, QM, QZ, UK, CP, DG, ZZ.
 * Reasons: "expected 12 characters, got 5", "unknown country code 'XX'",
 * "invalid character '_'", ...
 */
int norm_isrc(const char *in, char out[NORM_ISRC_SIZE], char *why);

/*
 * IPI name number: 9-11 digits (nothing else but surrounding space),
 * left-padded with zeros to 11; checked: r = sum of the first 9 digits
 * weighted 10..2 mod 101, last two digits = 00 if r = 0 else
 * (101 - r) mod 100.  "check digits are 17, expected 42".
 */
int norm_ipi(const char *in, char out[NORM_IPI_SIZE], char *why);

/*
 * GTIN (UPC/EAN/ICPN): 8, 12, 13 or 14 digits with a valid check digit,
 * kept as given (no padding).  "check digit is 3, expected 5".
 */
int norm_gtin(const char *in, char out[NORM_GTIN_SIZE], char *why);

/*
 * ISWC: "T-034.524.680-1", "T0345246801", ... ('-', '.' and spaces are
 * ignored, 't' accepted): T + 9 digits + check digit.  compact receives
 * "T0345246801"; display, unless NULL, "T-034.524.680-1".
 */
int norm_iswc(const char *in, char compact[NORM_ISWC_SIZE],
	      char display[NORM_ISWC_DISPLAY_SIZE], char *why);

/*
 * ISNI: 15 digits + ISO 7064 MOD 11-2 check character (0-9 or X, x
 * accepted); spaces and hyphens ignored; an "ISNI" prefix (optional ':')
 * dropped.  out receives the 16 characters without spaces.
 */
int norm_isni(const char *in, char out[NORM_ISNI_SIZE], char *why);

/*
 * catalog_number: free text (a label number such as "BT-2024-001" or an
 * ICPN), trimmed, single line, at most NORM_MAX_CATALOG characters,
 * appended to out.  Not checked as a GTIN: callers that know the value is
 * an ICPN (DDEX <ICPN>) call norm_gtin() as well.
 */
int norm_catalog_number(const char *in, struct buf *out, char *why);

/* ---- Vocabularies ------------------------------------------------------ */

/*
 * The vocabulary functions below append the canonical value to out and set
 * *known (known may be NULL) to 1 when the input was recognised, to 0 when
 * it was not: the input is then kept (rules per function) and the caller
 * should warn.  Matching ignores case, spaces and punctuation
 * ("A.S.C.A.P." = "ascap", "Composer/Lyricist" = "ComposerLyricist").
 */

/*
 * Performing rights organization: the common name (ASCAP, BMI, SESAC,
 * GMR, PRS, SOCAN, GEMA, SACEM, JASRAC, APRA, SIAE, SGAE, BUMA, STIM, TONO,
 * KODA, TEOSTO, IMRO, SUISA, AKM, SABAM, ZAIKS, KOMCA, CASH, MCSC, SADAIC,
 * SAMRO, SACM, ACUM, IPRS, UBC, ABRAMUS, ECAD ...) from spelling variants
 * ("PRS for Music", "Broadcast Music, Inc.", "BUMA/STEMRA") or a CISAC
 * society code of 1-3 digits ("010", "10" -> ASCAP).  "none", "n/a", "-",
 * "unaffiliated", "not affiliated", "no pro" mean no PRO: NORM_EMPTY.
 * Unknown text is kept trimmed as given (*known = 0); at most
 * NORM_MAX_PRO characters.
 */
int norm_pro(const char *in, struct buf *out, int *known, char *why);

/*
 * Creator role -> the schema's lower-case vocabulary:
 *   composer, lyricist, songwriter, arranger, producer, executive producer,
 *   performer, featured artist, conductor, remixer, mixer,
 *   mastering engineer, engineer, programmer, publisher
 * from DDEX ContributorRole values (Composer, ComposerLyricist, Producer,
 * MainArtist, FeaturedArtist, MixingEngineer, Musician, ...) and free text
 * ("Prod.", "Writer", "Composer/Lyricist", "mixed by").  The table, with
 * the decisions behind it, is in norm_vocab.c.  Unknown roles are kept
 * lower-cased, with a CamelCase DDEX value split into words
 * ("PhotographyDirector" -> "photography director"); at most
 * NORM_MAX_ROLE characters.
 */
int norm_role(const char *in, struct buf *out, int *known, char *why);

/*
 * Instrument category -> synth, drums, bass, guitar, vocals, keys,
 * strings, brass, woodwinds, percussion, fx; from those words and their
 * variants ("Keyboards", "Vox", "SFX"), from every DDEX InstrumentType
 * value of ERN 4.3 and 4.1.1 that belongs to one (Violin -> strings,
 * ElectricGuitar -> guitar, DrumKit -> drums, LeadVocalist -> vocals) and
 * from free text naming an instrument ("analog synth", "lead vocals").
 * Unknown text is kept lower-cased like norm_role(); at most
 * NORM_MAX_CATEGORY characters.
 */
int norm_instrument_category(const char *in, struct buf *out, int *known,
			     char *why);

/*
 * ID3 genre (TCON): "17", "(17)" -> "Rock"; "(17)Rock Opera" -> the text
 * ("Rock Opera"); "(RX)" / "RX" -> "Remix"; "(CR)" / "CR" -> "Cover";
 * "((text" -> "(text"; codes 0-191 (ID3v1 and Winamp extensions);
 * 255 -> NORM_EMPTY; codes 192-254 are refused.  Other text is kept as
 * given (trimmed, NFC).  At most NORM_MAX_GENRE characters.
 */
int norm_genre_id3(const char *in, struct buf *out, char *why);

/*
 * Arrangement section name: trimmed, lower-cased; "Pre Chorus" and
 * "PreChorus" -> "pre-chorus", "post chorus" -> "post-chorus",
 * "build up"/"buildup" -> "build-up"; other names (intro, verse,
 * chorus, bridge, drop, breakdown, outro, hook, "verse 2" ...) kept.  At
 * most NORM_MAX_SECTION characters.
 */
int norm_section_name(const char *in, struct buf *out, char *why);

/* ---- Lists ------------------------------------------------------------- */

/*
 * A list of strings: items holds each item followed by a NUL byte
 * ("a\0b c\0"), count the number of items.  Walk it with norm_list_next().
 * The list owns its memory; norm_list_release() frees it.
 */
struct norm_list {
	struct buf items;
	size_t count;
};

#define NORM_LIST_INIT { BUF_INIT, 0 }

void norm_list_init(struct norm_list *l);
/* Empty the list, keeping its memory. */
void norm_list_reset(struct norm_list *l);
void norm_list_release(struct norm_list *l);
/* Append len bytes of s as one item (copied). */
void norm_list_add(struct norm_list *l, const char *s, size_t len);
/*
 * The first item when prev is NULL, else the item after prev (a pointer
 * returned by an earlier call); NULL after the last.  Borrowed until the
 * list is changed.
 */
const char *norm_list_next(const struct norm_list *l, const char *prev);

/* norm_list flags */
#define NORM_LIST_COMMA 0x1u	/* free-text tag field: ',' separates too */

/*
 * Moods and tags: validate the text like norm_text() (single line), split
 * on ';' (and ',' with NORM_LIST_COMMA), trim, lower-case (Unicode, then
 * NFC), drop empty items and items already in out (first seen wins),
 * append the rest to out.  An item longer than max_item_chars (0: no
 * limit) refuses the whole value: "item 'x...' has 120 characters, column
 * allows 100".  NORM_EMPTY when nothing was added.
 */
int norm_list(const char *in, unsigned flags, size_t max_item_chars,
	      struct norm_list *out, char *why);

/*
 * Artists from one string: validated like norm_text() (single line, NFC),
 * split only on the space-padded separators " / ", " ; ", " & ",
 * " feat. ", " ft. ", " featuring " (the words in any case), so "AC/DC"
 * and "Simon&Garfunkel" stay whole.  Parts are trimmed; empty parts and
 * exact repeats are dropped.  Use it only when no plural tag (ARTISTS)
 * exists.  Limits and return as norm_list().
 */
int norm_artists(const char *in, size_t max_item_chars, struct norm_list *out,
		 char *why);

#endif
