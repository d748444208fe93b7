/*
 * buf: growable byte buffer; see include/blendcat/buf.h.
 */
#include "blendcat/buf.h"
#include "blendcat/xalloc.h"

#include <stdio.h>
#include <string.h>

char buf_empty[1];

void buf_init(struct buf *b)
{
	b->data = buf_empty;
	b->len = 0;
	b->cap = 0;
}

void buf_grow(struct buf *b, size_t extra)
{
	size_t need;

	if (extra >= (size_t)-1 - b->len - 1)
		xalloc_die("buffer size overflow");
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	if (b->cap == 0) {
		size_t cap = need < 64 ? 64 : need;

		b->data = xmalloc(cap);
		b->data[0] = '\0';
		b->cap = cap;
		return;
	}
	{
		size_t cap = b->cap + b->cap / 2;

		if (cap < need)
			cap = need;
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
	}
}

void buf_add(struct buf *b, const void *data, size_t len)
{
	if (len == 0)
		return;
	if (len >= b->cap - b->len)	/* no room for it and the NUL (or no memory yet) */
		buf_grow(b, len);
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addch(struct buf *b, int c)
{
	if (b->cap - b->len <= 1)
		buf_grow(b, 1);
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
}

void buf_add_ull(struct buf *b, unsigned long long v)
{
	char tmp[24];
	size_t n = sizeof(tmp);

	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	buf_add(b, tmp + n, sizeof(tmp) - n);
}

void buf_add_ll(struct buf *b, long long v)
{
	if (v < 0) {
		buf_addch(b, '-');
		/* -(v + 1) + 1: no overflow at LLONG_MIN */
		buf_add_ull(b, (unsigned long long)(-(v + 1)) + 1u);
	} else {
		buf_add_ull(b, (unsigned long long)v);
	}
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(b->data + b->len, b->cap ? b->cap - b->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		xalloc_die("vsnprintf failed");
	if ((size_t)n >= (b->cap ? b->cap - b->len : 0)) {
		buf_grow(b, (size_t)n);
		n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void buf_setlen(struct buf *b, size_t len)
{
	if (len > b->len)
		xalloc_die("buf_setlen beyond length");
	b->len = len;
	if (b->cap)
		b->data[len] = '\0';
}

void buf_reset(struct buf *b)
{
	buf_setlen(b, 0);
}

void buf_release(struct buf *b)
{
	if (b->cap)
		free(b->data);
	buf_init(b);
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p;

	if (b->cap == 0)
		buf_grow(b, 0);
	p = b->data;
	if (len)
		*len = b->len;
	buf_init(b);
	return p;
}

void buf_add_json_str(struct buf *b, const char *s)
{
	buf_addch(b, '"');
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			buf_addf(b, "\\%c", c);
		else if (c < 0x20)
			buf_addf(b, "\\u%04x", c);
		else
			buf_addch(b, (char)c);
	}
	buf_addch(b, '"');
}
