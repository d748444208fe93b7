/*
 * norm_vocab: the tables behind normalize's vocabularies and code lists
 * (src/norm_vocab.c).  Internal to normalize: only its own files include
 * this header; everyone else uses include/blendcat/normalize.h.
 *
 * Data only, constant, never written.  Each alias table is followed by
 * its number of entries (NAME_count).  Alias keys are squash()ed:
 * ASCII letters and digits lower-cased, other ASCII dropped.
 */
#ifndef BLENDCAT_NORM_VOCAB_H
#define BLENDCAT_NORM_VOCAB_H

#include <stddef.h>

/* A spelling (squash()ed key) and the canonical value it stands for. */
struct vocab_alias {
	const char *key;
	const char *value;
};

/* Tonics 0 = C ... 11 = B, spelled with sharps as stored. */
extern const char *const vocab_pitch_names[12];

/*
 * ISRC country codes: ISO 3166-1 alpha-2 and the codes ISRC agencies use
 * beyond them, each followed by one space ("AD AE ... ZZ ").
 */
extern const char vocab_iso3166[];

/* PRO spelling variants; an empty value means "no PRO". */
extern const struct vocab_alias vocab_pro_names[];
extern const size_t vocab_pro_names_count;

/* CISAC society codes of the PROs above. */
struct vocab_pro_code {
	int code;
	const char *name;
};
extern const struct vocab_pro_code vocab_pro_codes[];
extern const size_t vocab_pro_codes_count;

/* Creator roles: DDEX ContributorRole values and free text. */
extern const struct vocab_alias vocab_roles[];
extern const size_t vocab_roles_count;

/* A category and the DDEX InstrumentType values that belong to it. */
struct vocab_instrument_family {
	const char *category;
	const char *names;	/* DDEX spelling, separated by single spaces */
};
extern const struct vocab_instrument_family vocab_ddex_instruments[];
extern const size_t vocab_ddex_instruments_count;

/* DDEX InstrumentType values of no category, separated by single spaces. */
extern const char vocab_ddex_no_category[];

/* Free-text instrument words, tried before the DDEX names. */
extern const struct vocab_alias vocab_instrument_words[];
extern const size_t vocab_instrument_words_count;

/* Last resort: the first of these found inside the squash()ed text. */
extern const struct vocab_alias vocab_instrument_keywords[];
extern const size_t vocab_instrument_keywords_count;

/* ID3v1 and Winamp genre names, codes 0-191. */
extern const char *const vocab_id3_genres[192];

/* Arrangement section names spelled with a hyphen. */
extern const struct vocab_alias vocab_section_names[];
extern const size_t vocab_section_names_count;

#endif
