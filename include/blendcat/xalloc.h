/*
 * xalloc: allocation that never returns NULL.  When memory runs out the
 * process prints one line and exits with status 3 (pg_malloc, zmalloc).
 */
#ifndef BLENDCAT_XALLOC_H
#define BLENDCAT_XALLOC_H

#include <stddef.h>
#include <stdlib.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
#if defined(__GNUC__)
__attribute__((noreturn))
#endif
void xalloc_die(const char *what);

#endif
