/*
 * zipmem: write a zip archive into memory with libzip, for the tests and
 * fuzz targets of the workbook reader.  Header-only (static functions).
 */
#ifndef BLENDCAT_TEST_ZIPMEM_H
#define BLENDCAT_TEST_ZIPMEM_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

struct zipmem_entry {
	const char *name;
	const void *data;
	size_t len;		/* (size_t)-1: strlen(data) */
	int stored;		/* no compression */
};

/*
 * The archive of entries [0, n) in a malloc'd buffer (caller frees), its
 * size in *size; NULL if libzip failed.
 */
static unsigned char *zipmem(const struct zipmem_entry *e, size_t n, size_t *size)
{
	zip_error_t ze;
	zip_source_t *src, *s;
	zip_t *z;
	unsigned char *out = NULL;
	zip_int64_t len;
	size_t i;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (!src)
		return NULL;
	zip_source_keep(src);
	z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	if (!z)
		goto out;
	for (i = 0; i < n; i++) {
		size_t l = e[i].len == (size_t)-1 ? strlen(e[i].data) : e[i].len;
		zip_int64_t idx;

		s = zip_source_buffer(z, e[i].data, l, 0);
		if (!s || (idx = zip_file_add(z, e[i].name, s, ZIP_FL_ENC_UTF_8)) < 0) {
			zip_source_free(s);
			zip_discard(z);
			goto out;
		}
		if (e[i].stored)
			zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
	}
	if (zip_close(z) < 0) {
		zip_discard(z);
		goto out;
	}
	if (zip_source_open(src) < 0)
		goto out;
	zip_source_seek(src, 0, SEEK_END);
	len = zip_source_tell(src);
	zip_source_seek(src, 0, SEEK_SET);
	out = malloc(len > 0 ? (size_t)len : 1);
	if (out && zip_source_read(src, out, (zip_uint64_t)len) != len) {
		free(out);
		out = NULL;
	}
	*size = (size_t)len;
	zip_source_close(src);
out:
	zip_source_free(src);
	zip_error_fini(&ze);
	return out;
}

#endif
