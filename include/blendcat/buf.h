/*
 * buf: a growable byte buffer.
 *
 * Invariants (git strbuf.h): data is never NULL and always ends in a NUL
 * byte at data[len]; len < cap unless data points at the shared empty
 * string (cap == 0).  The buffer may hold binary bytes, including NULs,
 * before data[len].
 */
#ifndef BLENDCAT_BUF_H
#define BLENDCAT_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len, cap;
};

extern char buf_empty[];

#define BUF_INIT { buf_empty, 0, 0 }

/* Prepare b for use; allocates nothing. */
void buf_init(struct buf *b);
/* Make room for at least extra more bytes (plus the NUL). */
void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, int c);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void buf_addf(struct buf *b, const char *fmt, ...);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 0)))
#endif
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* v in decimal: what "%llu" and "%lld" give, without printf's cost. */
void buf_add_ull(struct buf *b, unsigned long long v);
void buf_add_ll(struct buf *b, long long v);
/* Shorten to len bytes (len <= b->len). */
void buf_setlen(struct buf *b, size_t len);
/* Empty the buffer, keeping its memory for reuse. */
void buf_reset(struct buf *b);
/* Free the memory; b is left as BUF_INIT. */
void buf_release(struct buf *b);
/* Hand the data to the caller (caller owns, free()); b is left empty. */
char *buf_detach(struct buf *b, size_t *len);
/* s (NULL: empty) as a JSON string: quoted, '"', '\\' and controls escaped. */
void buf_add_json_str(struct buf *b, const char *s);

#endif
