/*
 * uuid: time-ordered identifiers (UUID version 7, RFC 9562).
 *
 * New rows get ids from the client so that ids ascend in load order,
 * which keeps PostgreSQL's B-tree inserts at the right edge of the index.
 * 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids
 * ascending within one millisecond (RFC 9562 method 1), then 62 random
 * bits.  Not for secrets: the random bits come from a fast generator
 * seeded once from the kernel.  Not thread-safe: one generator per thread.
 */
#ifndef BLENDCAT_UUID_H
#define BLENDCAT_UUID_H

#include <stddef.h>
#include <stdint.h>

#define UUID_SIZE 16
#define UUID_STR_SIZE 37

struct uuid_gen {
	uint64_t s[2];		/* xorshift128+ state */
	uint64_t last_ms;
	unsigned counter;
	uint64_t named_ms;	/* uuid_named: the generator's first millisecond */
	uint64_t key;		/* uuid_named: the hash's seed, random */
};

/* Seed from the kernel (getrandom), falling back to time and pid. */
void uuid_gen_init(struct uuid_gen *g);
/* The next id, as its 16 bytes. */
void uuid_v7_bytes(struct uuid_gen *g, unsigned char b[UUID_SIZE]);
/* An id's text: 36 lower-case hex characters with their four dashes, and a NUL. */
void uuid_format(const unsigned char b[UUID_SIZE], char out[UUID_STR_SIZE]);

/*
 * The id of name (len bytes), the same for the same name from one
 * generator: a version 7 id with the generator's first millisecond and,
 * for its 74 other bits, a hash of the name seeded with a random key
 * (XXH3, 128 bits).  The loader gives a new track this id, so that rows
 * naming the track by its file carry its id without a lookup.  Two names
 * share an id with odds of about n^2 / 2^75 for n names (1e-10 at 10
 * million); the catalog's primary key refuses such a pair, so it cannot
 * pass unseen.
 */
void uuid_named_bytes(const struct uuid_gen *g, const char *name, size_t len,
		      unsigned char b[UUID_SIZE]);

/*
 * The id numbered n (below 2^48) of one generator: a version 7 id with
 * the generator's first millisecond, 26 bits of its key, then n in the
 * last 48 bits, big-endian.  One generator's numbered ids sort as their
 * numbers do, and the number reads back from the id's text: its last 12
 * hexadecimal digits.  The bulk load gives a child row the id of its
 * row number, so that a check on the catalog's table names the input row.
 */
void uuid_numbered_bytes(const struct uuid_gen *g, uint64_t n, unsigned char b[UUID_SIZE]);

#endif
