/*
 * ddex: DDEX ERN release notifications -> catalog records.
 *
 * Reads one DDEX message file with libxml2's xmlTextReader (streaming)
 * and turns each SoundRecording of an ERN 3.8.x (3.8, 3.8.1, 3.8.2,
 * 3.8.3) or ERN 4.x (4.1, 4.1.1, 4.2, 4.3) NewReleaseMessage into the
 * records the CSV reader yields (record.h): one REC_TRACK with the
 * release's fields (genre, release date, catalog number, cover art) on
 * it, one REC_CREATOR per contributor and role, one REC_INSTRUMENT per
 * instrument.  PurgeReleaseMessage and releases without a deal come back
 * as takedown events.  A MEAD 1.1 MeadMessage gives, per
 * ResourceInformation, a REC_TRACK with tempo, musical_key, scale and
 * mood, and one REC_ARRANGEMENT per RecordingPart; its track is named by
 * ISRC (rec.by_isrc: the loader finds it), else by ProprietaryId as the
 * audio_filename.  The mapping follows DDEX's ERN and MEAD standards;
 * the decisions they leave open are in ddex.c.  Only this module and the writer,
 * export_ddex.c, include libxml2.
 *
 * Contract with the caller
 *
 * - Nothing reaches the sink before the whole file has been parsed and
 *   found well-formed: a message that is not well-formed XML, refused for
 *   safety, of an unsupported version or type, or too large to buffer
 *   gives -1 and no sink call at all ("nothing from that message is
 *   loaded").  The one exception: a sink callback that fails stops the
 *   delivery half-way, and ddex_read_file returns -1; the caller then
 *   discards what it got from this file (its transaction rolls back).
 * - Then, in order: message() once; for every SoundRecording in document
 *   order, its track record followed by its creator records and its
 *   instrument records, or one reject (a track is accepted or rejected
 *   whole; a supplemental SoundRecording with neither file nor ISRC, a
 *   DJ mix's part, only gets a warning); then takedown() per takedown.
 *   warn() may come between.
 * - A track's audio file (File/URI, URL, FilePath + FileName), when the
 *   message's folder holds it, is found with resfile.h (never outside
 *   that folder) and its HashSum checked when it is an MD5; after the
 *   track's records, resource() gets the file's path.  A reference
 *   leading out of the folder or a digest that does not match rejects
 *   every track of the release; the reject names the element (its path
 *   and line), the expected and the actual digest.  Files the folder
 *   does not hold and remote URIs are left alone.
 * - Errors about the file as a whole are printed here (diag.h) and also
 *   left in struct ddex_stats; problems of single tracks go to the sink.
 *
 * Memory
 *
 * The parser streams: libxml2 keeps only the current element's ancestors
 * (its own caps: 10 MB per text node, 10 MB dictionary).  A SoundRecording
 * needs release fields that come after it (ReleaseList, then the deals'
 * start dates), so the message's catalog data is buffered until the end
 * of the file: the parties, the SoundRecordings' values, the releases'
 * fields and resource references.  Deals, territories, prices, technical
 * details and everything else stream through without being kept, so a
 * 1 GB message made big by per-territory deals reads in flat memory.  The
 * buffer is capped: more than max_tracks SoundRecordings or more than
 * max_state bytes of buffered values refuse the message (DDEX_ERR_LIMIT)
 * with a message saying so.  ddex_stats.state_peak shows what was held.
 *
 * Safety
 *
 * No network (XML_PARSE_NONET), no DTD loading, no entity substitution,
 * no XInclude; an external entity loader that refuses everything while a
 * file is read.  libxml2 2.9 has no XML_PARSE_NO_XXE, so the bytes are
 * scanned here on their way to the parser, up to the root element: any
 * <!DOCTYPE> is refused (DDEX messages have none) by failing the read of
 * the chunk in which its keyword completes, so the parser never holds a
 * declaration; the error says what it would have done (entity
 * declarations, external entities, an external DTD).  XML bombs and XXE
 * never reach the parser, whatever their size.  (Should one get past,
 * a DOCTYPE or entity reference node is refused too.)  Encodings other
 * than UTF-8, UTF-16, US-ASCII and ISO-8859-1 are refused (the scan must
 * read what libxml2 reads).  Depth is capped at DDEX_MAX_DEPTH, one
 * element's text at DDEX_MAX_TEXT bytes.
 *
 * Not thread-safe: libxml2's error handlers and entity loader are
 * process-wide and are swapped for the duration of a read.
 */
#ifndef BLENDCAT_DDEX_H
#define BLENDCAT_DDEX_H

#include <stddef.h>

#include "blendcat/record.h"

#define DDEX_MAX_DEPTH 100		/* element nesting */
#define DDEX_MAX_TEXT (1u << 20)	/* bytes of text in one element */
#define DDEX_MAX_TRACKS 100000	/* default max_tracks */
#define DDEX_MAX_STATE (64u << 20)	/* default max_state, bytes */
#define DDEX_ERROR_MSG 1200		/* bytes of ddex_stats.error_msg */
/* audio_filename = ISRC + this when a message names no audio file. */
#define DDEX_DERIVED_EXT ".wav"

enum ddex_version {
	DDEX_VERSION_NONE,	/* not known (yet) */
	DDEX_ERN_38,
	DDEX_ERN_381,
	DDEX_ERN_382,
	DDEX_ERN_383,
	DDEX_ERN_41,
	DDEX_ERN_411,
	DDEX_ERN_42,
	DDEX_ERN_43,
	DDEX_ERN_OTHER,		/* an ERN namespace not read (3.7, 3.4.1, ...) */
	DDEX_MEAD_11		/* MEAD 1.1 (media enrichment: tempo, key, mood, sections) */
};

enum ddex_type {
	DDEX_TYPE_NONE,
	DDEX_NEW_RELEASE,	/* NewReleaseMessage */
	DDEX_PURGE_RELEASE,	/* PurgeReleaseMessage */
	DDEX_MEAD_MESSAGE,	/* MeadMessage (MEAD 1.1) */
	DDEX_TYPE_OTHER		/* another root element */
};

/* Why ddex_read_file failed (ddex_stats.error). */
enum ddex_error {
	DDEX_OK,
	DDEX_ERR_IO,		/* cannot open or read the file */
	DDEX_ERR_NOT_XML,	/* not XML at all, or not well-formed */
	DDEX_ERR_UNSAFE,	/* a DOCTYPE (DTD, entities): refused */
	DDEX_ERR_ENCODING,	/* an encoding the safety scan cannot follow */
	DDEX_ERR_NOT_DDEX,	/* XML, but the root is not a DDEX message */
	DDEX_ERR_VERSION,	/* a DDEX message of a version or standard not read */
	DDEX_ERR_TYPE,		/* an ERN message type not read */
	DDEX_ERR_LIMIT,		/* depth, text size or buffer limit */
	DDEX_ERR_INVALID,	/* not valid against its XSD (ddex_opts.xsd_dir) */
	DDEX_ERR_SINK		/* a sink callback asked to stop */
};

/* What the message is; borrowed for the duration of the callback. */
struct ddex_message {
	int file_no;
	const char *path;
	enum ddex_version version;
	const char *version_name;	/* "4.3" */
	enum ddex_type type;
	int is_test;			/* MessageControlType TestMessage */
	int has_deal_list;		/* a DealList was present */
	const char *message_id;		/* MessageHeader/MessageId, or "" */
	const char *sender;		/* MessageSender's FullName, or "" */
	unsigned long sound_recordings;
	unsigned long releases;
};

enum ddex_takedown_reason {
	DDEX_TAKEDOWN_PURGE,	/* a PurgedRelease of a PurgeReleaseMessage */
	DDEX_TAKEDOWN_NO_DEAL,	/* a main release that no ReleaseDeal names */
	DDEX_TAKEDOWN_FLAG	/* ERN 3.8 DealTerms/TakeDown true */
};

/*
 * A release to take down.  Identifiers not given are NULL.  For
 * DDEX_TAKEDOWN_NO_DEAL and _FLAG, audio_filenames lists the tracks of the
 * release that this message delivered (emitted or rejected), naudio of
 * them; a purge names releases only.  All borrowed for the callback.
 */
struct ddex_takedown {
	enum ddex_takedown_reason reason;
	unsigned long line;		/* the Release or PurgedRelease element */
	const char *release_reference;
	const char *icpn, *grid, *catalog_number, *proprietary_id, *isrc;
	const char *const *audio_filenames;
	size_t naudio;
};

/*
 * The sink.  Provenance (rec_prov) for DDEX: file_no and path as
 * given, line = the line of the element that gave the record (the
 * SoundRecording for a track, the Contributor for a creator, the
 * InstrumentType for an instrument, the element holding a rejected
 * value), off = 0 and len = the size of the file: a rejected DDEX track
 * is copied to the rejects as the whole message.
 * record, reject and takedown return 0 to go on, non-zero to stop (the
 * read then returns -1, DDEX_ERR_SINK).  Any callback may be NULL; all get
 * rec.ctx.  A reject is a track's: field is the element path
 * ("ResourceList/SoundRecording[3]/SoundRecordingEdition/ResourceId/ISRC");
 * a remark's field is an element path (or NULL).
 */
struct ddex_sink {
	struct rec_sink rec;
	/*
	 * Once, before any record: 0 goes on, > 0 skips this message's
	 * records and takedowns (ddex_read_file returns 0, stats.skipped),
	 * < 0 stops with -1.  Use it for TestMessage.
	 */
	int (*message)(void *ctx, const struct ddex_message *m);
	int (*takedown)(void *ctx, const struct ddex_takedown *t,
			const struct rec_prov *p);
	/*
	 * After a track's records: its audio file, found in the message's
	 * folder (resfile.h) and matching its HashSum when one is given; path
	 * is the file's real path, p->line the file element's.
	 */
	int (*resource)(void *ctx, const char *path, const struct rec_prov *p);
};

struct ddex_opts {
	struct rec_opts rec;
	size_t max_tracks;	/* 0: DDEX_MAX_TRACKS */
	size_t max_state;	/* 0: DDEX_MAX_STATE */
	/*
	 * Validate against the official XSD first: DIR/ern<NN>/
	 * release-notification.xsd (ern382, ern43...), imports beside it,
	 * no network.  NULL: no validation.  A message that is not valid
	 * gives -1 (DDEX_ERR_INVALID, error_line and the validator's first
	 * message); so does one of a version DIR has no XSD for.
	 */
	const char *xsd_dir;
};

struct ddex_stats {
	enum ddex_version version;
	enum ddex_type type;
	int is_test;
	int skipped;			/* message() asked to skip */
	unsigned long sound_recordings;	/* SoundRecording elements */
	unsigned long releases;		/* Release and TrackRelease elements */
	unsigned long tracks, creators, instruments, sections;	/* records emitted */
	unsigned long rejects, warnings, takedowns;
	unsigned long long bytes;	/* size of the file */
	size_t state_peak;		/* most bytes buffered for the message */
	/* When the read failed: */
	enum ddex_error error;
	unsigned long error_line, error_column;	/* 0 when not known */
	char error_msg[DDEX_ERROR_MSG];	/* the message printed, without location */
};

/*
 * Read path (file number file_no) into sink.  o may be NULL (defaults).
 * Returns 0 when the message was read (tracks may have been rejected),
 * -1 when it could not be used; st->error says why and the error was
 * printed.  See the contract above for what the sink saw.
 */
int ddex_read_file(const char *path, int file_no, const struct ddex_opts *o,
		   const struct ddex_sink *sink, struct ddex_stats *st);

/*
 * Is path a DDEX ERN or MEAD 1.1 message?  Reads up to the root element
 * only (with the same safety scan) and prints nothing.  Returns 1 when
 * the root element is in a DDEX ERN namespace, whatever the version
 * (DDEX_ERN_OTHER for one not read) or message type, or in the MEAD 1.1
 * namespace; 0 for XML whose root is something else (another namespace,
 * another MEAD version, or another DDEX standard such as the ECHO
 * BatchComplete); DDEX_PROBE_REFUSED when XML declares a DOCTYPE, which
 * is refused for safety before the root (an XML bomb, XXE, a DTD); -1
 * when it cannot tell otherwise: unreadable, not XML, an encoding the
 * safety scan cannot follow.  Give refused and -1 files to
 * ddex_read_file for the reason.  *version and *type (either may be
 * NULL) say what the root was.
 */
#define DDEX_PROBE_REFUSED (-2)
int ddex_probe(const char *path, enum ddex_version *version, enum ddex_type *type);

/* Free the XSDs compiled for xsd_dir (they are kept for the next message). */
void ddex_xsd_release(void);

/* "4.3", "3.8.2"...; "unknown" for DDEX_VERSION_NONE, "other" for _OTHER. */
const char *ddex_version_name(enum ddex_version v);

#endif
