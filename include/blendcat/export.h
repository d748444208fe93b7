/*
 * export: the catalog back out, streamed from the server so memory stays
 * flat however large the catalog.
 *
 *   csv    the manifest set (tracks.csv, creators.csv, instruments.csv,
 *          arrangement.csv, samples.csv) in a deterministic order, in the
 *          exact form import reads: importing it into an empty database and
 *          exporting again gives identical files
 *   jsonl  one object per track with its children nested (the schema
 *          doc's "full details" shape)
 *   ddex   DDEX ERN 4.3 messages, one per release (export_ddex.h)
 *   tags   into the audio files' tags (export_tags.h)
 *
 * Filters follow the schema doc's "Get Tracks with Filters": genre, tempo
 * range, key, scale, a mood, a tag, catalog number, updated since, limit.
 * One REPEATABLE READ snapshot for all files.
 */
#ifndef BLENDCAT_EXPORT_H
#define BLENDCAT_EXPORT_H

#include <stddef.h>

#include <libpq-fe.h>

struct buf;
struct rec;
struct export_format;

struct export_opts {
	const struct export_format *format;
	const char *out;	/* directory, or "-" for stdout (jsonl) */
	const char *genre, *key, *scale, *mood, *tag, *catalog_number, *since;
	long tempo_min, tempo_max;	/* -1: none */
	long limit;			/* -1: none */
	/* ddex */
	const char *sender, *recipient;	/* DPID:NAME */
	int batch, mead;
	/* tags */
	const char *audio_root;
	int dry_run;
};

/*
 * A writer (pg_dump's pg_backup_*.c formats): open() once with the output
 * directory (or "-", or the audio root), then the data, then close()
 * once, with ok = 0 when the export failed on the way.  A format's data
 * comes one of two ways (EXPORT_COPY):
 *   records  write() once per group of records: a release for ddex, a
 *            track for tags, each REC_TRACK followed by its children
 *   COPY     per output part (a file of the manifest set, tracks.jsonl):
 *            part_open() with its file name, which returns the path to
 *            name in messages (borrowed until part_close) or NULL after
 *            an error; part_write() with the COPY TO STDOUT data as the
 *            server sends it; part_close() with ok and the rows sent
 * A writer fills the entries of its way and leaves the others NULL.  Each
 * int function returns 0 or -1 after reporting the error.
 */
struct writer_ops {
	int (*open)(void *ctx, const char *dir);
	int (*write)(void *ctx, const struct rec *recs, size_t n);
	int (*close)(void *ctx, int ok);
	const char *(*part_open)(void *ctx, const char *file);
	int (*part_write)(void *ctx, const char *data, size_t len);
	int (*part_close)(void *ctx, int ok, long rows);
};

/* What a format writes and what it needs (export_format.flags). */
#define EXPORT_OUT_DIR 0x01u	/* writes into --out DIR */
#define EXPORT_OUT_STDOUT 0x02u	/* or, with --out -, to standard output */
#define EXPORT_AUDIO_ROOT 0x04u	/* writes into the audio files under --audio-root (--dry-run) */
#define EXPORT_DDEX 0x08u	/* takes --sender, --recipient, --batch, --mead */
#define EXPORT_COPY 0x10u	/* streams COPY TO STDOUT (part_*), not records (write) */

/*
 * One output format: formats[] in export.c.  The export never asks which
 * format it writes, only what the table says (pg_dump's one ops struct
 * per format).
 */
struct export_format {
	const char *name;		/* --format NAME */
	unsigned flags;			/* EXPORT_* */
	const char *writes;		/* "writes five files": why --out - is refused */
	const struct writer_ops *ops;
	/* The writer's context for o (NULL after an error), and its end. */
	void *(*start)(const struct export_opts *o);
	void (*finish)(void *ctx);
	/* records: the group key, an SQL expression over track_info t */
	const char *group_key;
	/* COPY: nparts parts; part i's query into sql, and its file name */
	size_t nparts;
	const char *(*part)(size_t i, struct buf *sql);
	const char *copy_options;	/* COPY ... WITH (copy_options) */
};

/* The formats, in the order the help names them. */
extern const struct export_format export_formats[];
extern const size_t export_nformats;

/* The format called name, or NULL. */
const struct export_format *export_format_find(const char *name);

/* Run with c; returns 0, or -1 after an error. */
int export_run(PGconn *c, const struct export_opts *o);

#endif
