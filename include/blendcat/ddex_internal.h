/*
 * ddex_internal: what the files of the DDEX reader share, the parser's
 * state above all.  Internal to src/ddex*.c: no other module includes
 * this header (include/blendcat/ddex.h is the reader's contract).
 *
 * The files:
 * - ddex.c: the entry points, the input and its safety scan, the reader
 *   loop, the root element (which message), the parser's life, libxml2's
 *   process-wide handlers.
 * - ddex_rules.c: the path-rule engine: the rule table, the element paths,
 *   the path nodes and the rule cache, interned paths.
 * - ddex_entities.c: what the rules find, kept (parties, sound
 *   recordings, images, releases, deals...), and their references
 *   resolved at the message's end.
 * - ddex_ern.c: an ERN message's entities -> track rows, creators,
 *   instruments, resource files, takedowns; the record building MEAD
 *   shares; a message's records to the sink.
 * - ddex_mead.c: a MEAD message's resources -> track rows and sections.
 * - ddex_xsd.c: --validate-xsd, against the official XSD of the version.
 */
#ifndef BLENDCAT_DDEX_INTERNAL_H
#define BLENDCAT_DDEX_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

#include "blendcat/buf.h"
#include "blendcat/ddex.h"
#include "blendcat/diag.h"
#include "blendcat/normalize.h"
#include "blendcat/record.h"
#include "blendcat/resfile.h"
#include "blendcat/xmlsafe.h"

#define ERN_NS "http://ddex.net/xml/ern/"
#define MEAD_NS "http://ddex.net/xml/mead/"
#define DDEX_NS "http://ddex.net/xml/"
#define NONE SIZE_MAX
#define FRAME_KIDS 12		/* distinct child names counted per element, for [n] */

/* ------------------------------------------------------------ versions */

struct version {
	const char *tail;	/* after ERN_NS; also the XSD folder: ern<tail>/ */
	enum ddex_version v;
	const char *name;
};

#define NVERSIONS 9
/* The versions read, by their namespaces (ddex.c). */
extern const struct version ddex_versions[NVERSIONS];

/* ------------------------------------------------------------- input */

struct io {
	int fd;
	char *rbuf;		/* IO_CHUNK bytes read ahead */
	size_t rlen, roff;
	struct xmlsafe sc;
	int eof;
	int read_errno;
	unsigned long long nread;
	unsigned long lines;	/* line feeds read */
	int last_nl;		/* the last byte read was one */
};

/* ------------------------------------------------------ message state */

/* A value kept for an entity: offsets in the arena (0 = none). */
/*
 * A kept value: its text, and where it was (line; element path as the
 * entity's path pfx, 0 for none, then path relative to it, interned:
 * the same relative paths repeat in every entity).
 */
struct val {
	uint32_t off;		/* offsets in the text arena (max_state < 4 GiB) */
	uint32_t pfx, path;
	uint32_t line;
	int rank;
};

enum { SV_REF, SV_TITLE, SV_ARTIST, SV_DURATION, SV_ISRC, SV_FILE, SV_GENRE, SV_SUBGENRE,
       SV_TAGS, SV_DESC, SV_FPATH, SV_HASH, SV_HALGO,
       /* MEAD */
       SV_PROPID, SV_TEMPO, SV_NOTE, SV_QUALITY, SV_MOOD, SV_N };

struct sr {
	struct val v[SV_N];
	int file_uri;		/* SV_FILE came from a URI or URL */
	int supplemental;	/* IsSupplemental="true" (a DJ mix's parts) */
	unsigned long line;
	size_t path;
	size_t first_contrib, ncontrib;
	size_t first_dartist, ndartist;
	size_t first_rctl, nrctl;
	size_t first_part, npart;	/* MEAD RecordingParts */
	size_t main_rel, other_rel;	/* resolved at the end */
	size_t audio;			/* offset in parser.names, 0 = none */
	/* its resource file (verify_resources) */
	int res_bad;			/* SV_ slot of the problem + 1, 0 = none */
	int res_unchecked;		/* a HashSum that could not be checked */
	size_t res_why, res_value;	/* the problem, the value shown */
	size_t res_path;		/* the file's real path when found, else 0 */
};

enum { IT_ROLE, IT_INSTR, IT_PRIMARY };

struct item {
	int kind;
	struct val v;
};

struct contrib {
	struct val ref, name, ipi, pro;
	size_t first_item, nitems;
	int featured;		/* -1: not given */
	unsigned long line;
	size_t path;
};

struct dartist {
	struct val ref, name;
};

struct rctl {
	struct val ref, name, pct;
};

struct party {
	struct val ref, name, ipi, pro, pro_ref, split;
};

/* A MEAD RecordingPart: an arrangement section. */
struct part {
	struct val unit, start, end, type, comment;
	unsigned long line;
};

struct image {
	struct val ref, type, uri, fname, fpath;
};

enum { RV_REF, RV_TYPE, RV_ICPN, RV_CATNO, RV_GRID, RV_PROPID, RV_ISRC, RV_DATE, RV_GENRE,
       RV_SUBGENRE, RV_TAGS, RV_DESC, RV_N };
enum rel_kind { REL_MAIN, REL_TRACK, REL_OTHER, REL_PURGED };

struct release {
	struct val v[RV_N];
	enum rel_kind kind;
	int main_attr;			/* 3.8 IsMainRelease="true" */
	int has_deal, takedown;
	int icpn_warned;
	size_t bad_sr;			/* a track whose resource rejects the release, + 1 */
	char deal_start[NORM_DATE_SIZE];
	size_t first_ref, nrefs;	/* in parser.rrefs */
	size_t cover;			/* image index, resolved at the end */
	unsigned long line;
};

/* A deal for a release not (yet) known when the deal was read. */
struct pending {
	size_t ref;
	char start[NORM_DATE_SIZE];
	int takedown;
};

/* Open-addressing index from a reference string to an entity index. */
struct idx {
	size_t *slot;		/* entity index + 1, 0 = empty */
	size_t cap, n;
};

/* ------------------------------------------------------------ the rules */

enum ent {
	E_NONE, E_HEADER, E_PARTY, E_SR, E_IMAGE, E_RELEASE, E_DEAL, E_PURGE,
	/* sub-entities */
	E_AFFIL, E_CONTRIB, E_DARTIST, E_RCTL, E_TECH, E_GENRE,
	/* MEAD: a ResourceInformation, its RecordingParts */
	E_MEAD, E_PART
};

enum act {
	A_NONE,
	A_HDR_ID, A_HDR_SENDER, A_HDR_CONTROL,
	A_P_REF, A_P_NAME, A_P_IPI,
	A_AF_COMPANY, A_AF_REF, A_AF_TYPE, A_AF_PCT,
	A_S_REF, A_S_TITLE, A_S_TITLE38, A_S_ARTIST, A_S_DURATION, A_S_ISRC, A_S_TAGS, A_S_DESC,
	A_D_REF, A_D_NAME,
	A_C_REF, A_C_NAME, A_C_ROLE, A_C_INSTR, A_C_PRIMARY, A_C_FEATURED, A_C_PARTYID, A_C_PRO,
	A_RC_REF, A_RC_NAME, A_RC_PCT,
	A_T_URI, A_T_FNAME, A_T_PREVIEW, A_T_FPATH, A_T_HASH, A_T_ALGO,
	A_G_TEXT, A_G_SUB,
	A_I_REF, A_I_TYPE, A_I_URI, A_I_FNAME, A_I_FPATH,
	A_M_ISRC, A_M_PROPID, A_M_TEMPO, A_M_NOTE, A_M_QUALITY, A_M_MOOD,
	A_RP_UNIT, A_RP_START, A_RP_END, A_RP_TYPE, A_RP_COMMENT,
	A_R_REF, A_R_TYPE, A_R_ICPN, A_R_CATNO, A_R_GRID, A_R_PROPID, A_R_ISRC, A_R_DATE,
	A_R_TAGS, A_R_DESC, A_R_RES,
	A_DL_REF, A_DL_START, A_DL_TAKEDOWN
};

/*
 * A path inside an entity (ent) either opens a sub-entity (sub) or names
 * a value (act), with a priority among the paths giving the same value.
 * A path starting with '*' matches any path ending in that element.
 * ERN 3.8 and 4.x paths sit side by side: they do not collide.
 */
struct rule {
	unsigned char ent, sub, act, prio;
	const char *path;
};

/* --------------------------------------------------------- the parser */

struct frame {
	size_t npath_len, dpath_len, attr_len;	/* the buffers before this element */
	unsigned long line;
	int rule;		/* value rule matched, -1 */
	unsigned char isdef, lang, terr, title_display, main_attr, supplemental;
	uint32_t node;		/* its path node (struct tnode), 0 = none */
	size_t udv, ns;		/* UserDefinedValue, Namespace: attrs offset + 1 */
	char name[40];		/* the element's name (cut short) */
	unsigned nkids;		/* children's names so far, and how many of each */
	struct {
		char name[40];
		unsigned n;
	} kids[FRAME_KIDS];
};

struct xerr {
	int set;
	int code, level;
	unsigned long line, col;
	char msg[200];
};

struct parser {
	xmlTextReaderPtr rd;
	const char *path;
	int file_no;
	const struct ddex_opts *o;
	struct ddex_stats *st;
	size_t max_tracks, max_state;
	int probe;		/* stop at the root element */
	struct io io;
	struct xerr xerr;
	enum ddex_error err;
	char msg[DDEX_ERROR_MSG];
	unsigned long eline, ecol;
	int stop;
	/* the document */
	enum ddex_version version;
	enum ddex_type type;
	char lang[16];
	int root_seen, has_deal_list, is_test;
	struct frame *fr;	/* DDEX_MAX_DEPTH + 1 of them */
	int depth;
	struct buf npath, dpath, attrs, text_acc;
	/* the entity and sub-entity being read */
	int ent, sub, ent_depth, sub_depth;
	size_t ent_dlen, ent_path;	/* the entity's dpath: its length, kept */
	size_t *itab;			/* interned paths: text offsets + 1 */
	size_t icap, in;
	struct rcache *rcache;		/* find_rule's answers, RCACHE_SIZE */
	struct buf rkeys;		/* their paths */
	struct tnode *trie;		/* paths inside entities, TRIE_SIZE */
	struct memo *memo;		/* set_field's answers for creators, MEMO_SIZE */
	unsigned long nulled[REC_NKINDS];	/* fields a null marker emptied, said */
	struct buf memo_text;
	unsigned long ent_count[9];	/* per entities[] row, for [n] in paths */
	size_t ent_nlen, sub_nlen;
	unsigned sub_bonus;
	/* the message's data */
	struct buf text;	/* arena: NUL-terminated strings; text.data[0] = '\0' */
	struct val hdr_id, hdr_sender;
	struct sr *srs;
	size_t nsr, capsr;
	struct contrib *contribs;
	size_t ncontrib, capcontrib;
	struct item *items;
	size_t nitem, capitem;
	struct dartist *dartists;
	size_t ndartist, capdartist;
	struct rctl *rctls;
	size_t nrctl, caprctl;
	struct part *parts;
	size_t npart, cappart;
	struct party *parties;
	size_t nparty, capparty;
	struct image *images;
	size_t nimage, capimage;
	struct release *rels;
	size_t nrel, caprel;
	size_t *rrefs;
	size_t nrref, caprref;
	struct pending *pend;
	size_t npend, cappend;
	struct idx party_idx, sr_idx, image_idx, rel_idx;
	/* sub-entity scratch */
	struct val af_company, af_ref, af_type, af_pct;
	struct val g_text, g_sub;
	struct val t_file, t_fpath, t_hash, t_algo;
	int t_uri, t_preview;
	struct val d_ref, d_name;
	struct buf deal_refs;	/* NUL-separated */
	char deal_start[NORM_DATE_SIZE];
	int deal_takedown;
	/* --validate-xsd */
	xmlSchemaValidCtxtPtr vctxt;
	const char *xsd_name;	/* "ern43/release-notification.xsd" */
	unsigned long xsd_errors, xsd_line;
	char xsd_msg[DDEX_ERROR_MSG - 200];	/* room for what fail() adds */
	/*
	 * The first element below the root that is in a namespace (DDEX's
	 * are in none): where, which namespace, and how (a prefix, or a
	 * default namespace declaration).  Warned about once.
	 */
	unsigned long ns_line;
	char ns_uri[160], ns_path[160], ns_prefix[32];
	/* delivery */
	struct buf names;	/* emitted audio file names */
	struct rec *recs;
	unsigned long *rec_line;
	size_t nrecs;
	struct buf scratch;
};

#define S(p, off) ((p)->text.data + (off))

/* --------------------------------------------------------- delivering */

/* A message's records on their way to the sink, one track at a time. */
struct out {
	struct parser *p;
	const struct ddex_sink *sink;
	struct rec_prov prov;
	const struct sr *sr;
	size_t nrec;			/* records built for the track */
	const char *audio;		/* the track's audio_filename, or NULL */
	size_t sr_audio;		/* its offset in parser.names */
	/* the first problem: */
	char field[512];
	char value[256];
	int has_value;			/* value is one (else the problem has none) */
	char why[RESFILE_WHY_MAX + 512];
	unsigned long bad_line;
	int failed;
	int skip;			/* not a track: no reject either */
	char no_duration[600];		/* why the track has no duration */
	/* MEAD: the ISRC naming the track, and its element path */
	char by_isrc[NORM_ISRC_SIZE];
	char by_isrc_field[512];
};

/* ---------------------------------------- libxml2's process-wide state */

/*
 * Only ddex.c touches libxml2's process-wide handlers (the external
 * entity loader, the structured and generic error functions) and the
 * parser being read, which the entity loader reports to.  A read swaps
 * them in for its duration and puts them back; so does compiling an XSD,
 * through these.
 */
struct xml_globals {
	xmlExternalEntityLoader loader;
	xmlStructuredErrorFunc serr;
	void *sctx;
	xmlGenericErrorFunc gerr;
	void *gctx;
};

/* ------------------------------------------------ the files' functions */

/* ddex.c */

/* The first error about the file wins; the read stops.  Returns -1. */
int ddex_fail(struct parser *p, enum ddex_error e, const char *fmt, ...) DIAG_PRINTF(3, 4);
/* The root element: which DDEX message this is. */
int ddex_root_start(struct parser *p, const char *name);
/*
 * For compiling an XSD: its imports are read from local files, never the
 * network, and errors go to on_error with ctx, until ddex_globals_leave.
 */
void ddex_globals_enter_xsd(struct xml_globals *g, void *ctx, xmlStructuredErrorFunc on_error);
/* Put back the handlers g keeps. */
void ddex_globals_leave(const struct xml_globals *g);

/* ddex_rules.c */

/* The reader's nodes: an element starts, an element ends, text. */
void ddex_on_start(struct parser *p);
void ddex_on_end(struct parser *p);
void ddex_on_text(struct parser *p);
/* The name of the element open at depth d. */
const char *ddex_open_name(const struct parser *p, int d);
/* The text offset of s (len bytes), kept once however often it comes. */
size_t ddex_intern(struct parser *p, const char *s, size_t len);
/* FNV-1a of len bytes. */
size_t ddex_hash_n(const char *s, size_t len);

/* ddex_entities.c */

/* XML white space: space, tab, CR, LF. */
int ddex_is_ws(int c);
/* Does s contain needle, ignoring ASCII case? */
int ddex_has_ci(const char *s, const char *needle);
/* Keep len bytes in the arena; the offset. */
size_t ddex_keep(struct parser *p, const char *s, size_t len);
/* "true" or "1", surrounding white space aside. */
int ddex_is_true(const char *s, size_t len);
/*
 * What the rules find: an entity starts (ent: enum ent; kind: enum
 * rel_kind for releases) or ends, a sub-entity starts or ends, an
 * element with a value rule ends (its text in p->text_acc).
 */
void ddex_ent_start(struct parser *p, int ent, unsigned char kind);
void ddex_ent_end(struct parser *p);
void ddex_sub_start(struct parser *p, int sub);
void ddex_sub_end(struct parser *p);
void ddex_on_value(struct parser *p, const struct rule *r);
/* The entity of index x with reference key, or NONE. */
size_t ddex_idx_find(const struct parser *p, const struct idx *x, const char *key);
int ddex_is_front_cover(const struct parser *p, const struct image *im);
/* The message read: deals, releases' resources and covers, who belongs to whom. */
void ddex_resolve(struct parser *p);

/* ddex_ern.c */

/* A message read and resolved: its records to the sink. */
int ddex_deliver(struct parser *p, const struct ddex_sink *sink);
/*
 * The records of a track (ERN) or resource (MEAD): the next record, from
 * the element at line; a problem (the track's first, which rejects it) or
 * rec_set from a kept value, reported at the value's element; the records
 * to the sink, or the reject.
 */
struct rec *ddex_new_rec(struct out *o, enum rec_kind k, unsigned long line);
/* The element path of v, else the one kept at off, into out. */
void ddex_val_path(const struct parser *p, const struct val *v, size_t off, char *out,
		   size_t size);
int ddex_problem(struct out *o, const struct val *v, const char *value, const char *why);
int ddex_set_field(struct out *o, struct rec *r, int i, const struct val *v, const char *s);
/* The base name of a file reference, percent-decoded when it is a URI. */
void ddex_base_name(const char *s, int uri, struct buf *out);
int ddex_emit_records(struct out *o);
int ddex_reject_track(struct out *o);

/* ddex_mead.c */

/* One MEAD ResourceInformation: its track row and sections, or one reject. */
int ddex_deliver_mead(struct out *o, struct sr *s);

/* ddex_xsd.c */

/* Before the read: the compiled XSD of the message's version, else an error. */
int ddex_xsd_attach(struct parser *p, const char *dir);
/* The reader open: validate the message as it streams by. */
int ddex_xsd_start(struct parser *p);
/* The read done: the first validity error, if any. */
int ddex_xsd_result(struct parser *p);

#endif
