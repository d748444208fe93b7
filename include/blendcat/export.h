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

struct export_opts {
	const char *db;
	const char *format;	/* "csv" or "jsonl" */
	const char *out;	/* directory, or "-" for stdout (jsonl) */
	const char *genre, *key, *scale, *mood, *tag, *catalog_number, *since;
	long tempo_min, tempo_max;	/* -1: none */
	long limit;			/* -1: none */
};

/* Run; returns the exit code (cli.h). */
int export_run(const struct export_opts *o);

#endif
