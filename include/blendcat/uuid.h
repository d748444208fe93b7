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

#include <stdint.h>

#define UUID_STR_SIZE 37

struct uuid_gen {
	uint64_t s[2];		/* xorshift128+ state */
	uint64_t last_ms;
	unsigned counter;
};

/* Seed from the kernel (getrandom), falling back to time and pid. */
void uuid_gen_init(struct uuid_gen *g);
/* Write the next id as 36 lower-case characters and a NUL. */
void uuid_v7(struct uuid_gen *g, char out[UUID_STR_SIZE]);

#endif
