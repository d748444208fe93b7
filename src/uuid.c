/*
 * uuid: UUID version 7 generation; see include/blendcat/uuid.h.
 */
#include "blendcat/uuid.h"

#include <sys/random.h>
#include <xxhash.h>
#include <time.h>
#include <unistd.h>

static uint64_t next_random(struct uuid_gen *g)
{
	uint64_t a = g->s[0], b = g->s[1];

	g->s[0] = b;
	a ^= a << 23;
	g->s[1] = a ^ b ^ (a >> 17) ^ (b >> 26);
	return g->s[1] + b;
}

void uuid_gen_init(struct uuid_gen *g)
{
	struct timespec ts;

	if (getrandom(g->s, sizeof(g->s), 0) != (ssize_t)sizeof(g->s)) {
		clock_gettime(CLOCK_REALTIME, &ts);
		g->s[0] = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ull ^ (uint64_t)getpid();
		g->s[1] = (uint64_t)ts.tv_sec * 0xBF58476D1CE4E5B9ull + 1;
	}
	if (!g->s[0] && !g->s[1])
		g->s[1] = 1;
	g->last_ms = 0;
	g->counter = 0;
	g->key = next_random(g);
	clock_gettime(CLOCK_REALTIME, &ts);
	g->named_ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void uuid_format(const unsigned char b[UUID_SIZE], char out[UUID_STR_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	int i, o;

	for (i = 0, o = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 0xF];
	}
	out[o] = '\0';
}

void uuid_v7_bytes(struct uuid_gen *g, unsigned char b[UUID_SIZE])
{
	struct timespec ts;
	uint64_t ms, r = next_random(g);
	int i;

	clock_gettime(CLOCK_REALTIME, &ts);
	ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	if (ms <= g->last_ms) {
		/* Same (or an earlier) millisecond: count up; borrow the next ms when full. */
		ms = g->last_ms;
		if (++g->counter > 0xFFF) {
			ms++;
			g->counter = 0;
		}
	} else {
		g->counter = 0;
	}
	g->last_ms = ms;
	for (i = 0; i < 6; i++)
		b[i] = (unsigned char)(ms >> (40 - 8 * i));
	b[6] = (unsigned char)(0x70 | (g->counter >> 8));
	b[7] = (unsigned char)(g->counter & 0xFF);
	for (i = 8; i < 16; i++)
		b[i] = (unsigned char)(r >> (8 * (i - 8)));
	b[8] = (unsigned char)(0x80 | (b[8] & 0x3F));
}

void uuid_named_bytes(const struct uuid_gen *g, const char *name, size_t len,
		      unsigned char b[UUID_SIZE])
{
	XXH128_hash_t h = XXH3_128bits_withSeed(name, len, g->key);
	int i;

	for (i = 0; i < 6; i++)
		b[i] = (unsigned char)(g->named_ms >> (40 - 8 * i));
	b[6] = (unsigned char)(0x70 | (h.high64 & 0x0F));
	b[7] = (unsigned char)(h.high64 >> 8);
	for (i = 8; i < 16; i++)
		b[i] = (unsigned char)(h.low64 >> (8 * (i - 8)));
	b[8] = (unsigned char)(0x80 | (b[8] & 0x3F));
}


void uuid_numbered_bytes(const struct uuid_gen *g, uint64_t n, unsigned char b[UUID_SIZE])
{
	int i;

	for (i = 0; i < 6; i++)
		b[i] = (unsigned char)(g->named_ms >> (40 - 8 * i));
	b[6] = (unsigned char)(0x70 | ((g->key >> 60) & 0x0F));
	b[7] = (unsigned char)(g->key >> 52);
	b[8] = (unsigned char)(0x80 | ((g->key >> 46) & 0x3F));
	b[9] = (unsigned char)(g->key >> 38);
	for (i = 10; i < 16; i++)
		b[i] = (unsigned char)(n >> (8 * (15 - i)));
}
