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
 *
 * Filters follow the schema doc's "Get Tracks with Filters": genre, tempo
 * range, key, scale, a mood, a tag, catalog number, updated since, limit.
 * One REPEATABLE READ snapshot for all files.
 */
#ifndef BLENDCAT_EXPORT_H
#define BLENDCAT_EXPORT_H

#include <stddef.h>

struct rec;

struct export_opts {
	const char *db;
	const char *format;	/* "csv", "jsonl", "ddex" or "tags" */
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
 * A writer of records (pg_dump's pg_backup_*.c formats): open() once with
 * the output directory, write() once per group of records (a release for
 * ddex, a track for tags: each REC_TRACK followed by its children), close()
 * once, with ok = 0 when the export failed on the way.  Each returns 0 or
 * -1 after reporting the error.
 */
struct writer_ops {
	int (*open)(void *ctx, const char *dir);
	int (*write)(void *ctx, const struct rec *recs, size_t n);
	int (*close)(void *ctx, int ok);
};

/* Run; returns the exit code (cli.h). */
int export_run(const struct export_opts *o);

#endif
