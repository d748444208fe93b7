/*
 * Fuzz target: the COPY text encoder.  Whatever the value, decoding the
 * encoded text as PostgreSQL's COPY text format does gives the value back,
 * and the encoding holds no raw tab, newline or carriage return.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blendcat/buf.h"
#include "blendcat/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void decode(const char *p, struct buf *out)
{
	for (; *p; p++) {
		if (*p != '\\') {
			buf_addch(out, *p);
			continue;
		}
		p++;
		switch (*p) {
		case 't': buf_addch(out, '\t'); break;
		case 'n': buf_addch(out, '\n'); break;
		case 'r': buf_addch(out, '\r'); break;
		case '\\': buf_addch(out, '\\'); break;
		default: abort();	/* the encoder writes no other escape */
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf enc = BUF_INIT, dec = BUF_INIT;
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';	/* values are C strings: the reader refuses NUL */
	rec_copy_value(&enc, s);
	if (strpbrk(enc.data, "\t\n\r"))
		abort();
	if (strcmp(enc.data, "\\N") == 0)
		abort();	/* a value never encodes as NULL */
	decode(enc.data, &dec);
	if (strcmp(dec.data, s) != 0)
		abort();
	buf_release(&enc);
	buf_release(&dec);
	free(s);
	return 0;
}
