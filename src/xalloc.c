/*
 * xalloc: allocation that never returns NULL.
 */
#include "blendcat/xalloc.h"

#include <stdio.h>
#include <string.h>

void xalloc_die(const char *what)
{
	fprintf(stderr, "blendcat: fatal: %s\n", what);
	/*
	 * Not exit(): only cli.c ends the process normally.  Running out of
	 * memory is not a normal end; _Exit skips atexit handlers that could
	 * allocate again.
	 */
	_Exit(3);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		xalloc_die("out of memory");
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		xalloc_die("out of memory");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		xalloc_die("out of memory");
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}
