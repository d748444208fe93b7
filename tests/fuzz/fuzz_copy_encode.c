/*
 * Fuzz target: the COPY text encoder.  Whatever the value, decoding the
 * encoded text as PostgreSQL's COPY text format does gives the value back,
 * and the encoding holds no raw tab, newline or carriage return.  The
 * input's NUL-separated pieces, as a list, make an array literal that
 * reads back, as PostgreSQL's array input does, as the same items.
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

/* ASCII case-insensitive s == "null". */
static int is_null_word(const char *s, size_t n)
{
	static const char w[] = "null";
	size_t i;

	if (n != 4)
		return 0;
	for (i = 0; i < 4; i++)
		if (s[i] != w[i] && s[i] != w[i] - 'a' + 'A')
			return 0;
	return 1;
}

/*
 * Read one element of an array literal at *p (after '{' or ','), append
 * it to out as a list item; abort on anything array_out would not write.
 */
static void read_element(const char **p, struct norm_list *out, struct buf *tmp)
{
	const char *q = *p;

	buf_reset(tmp);
	if (*q == '"') {
		for (q++; *q != '"'; q++) {
			if (*q == '\\')
				q++;
			if (*q == '\0')
				abort();
			buf_addch(tmp, *q);
		}
		q++;
	} else {
		for (; *q != ',' && *q != '}'; q++) {
			if (*q == '\0' || strchr("\"\\{ \t\n\v\f\r", *q))
				abort();	/* should have been quoted */
			buf_addch(tmp, *q);
		}
		if (tmp->len == 0 || is_null_word(tmp->data, tmp->len))
			abort();
	}
	norm_list_add(out, tmp->data, tmp->len);
	*p = q;
}

static void check_array(const uint8_t *data, size_t size)
{
	struct norm_list in = NORM_LIST_INIT, back = NORM_LIST_INIT;
	struct buf lit = BUF_INIT, tmp = BUF_INIT;
	const char *p;
	size_t i, start = 0;

	for (i = 0; i <= size; i++)
		if (i == size || data[i] == '\0') {
			norm_list_add(&in, (const char *)data + start, i - start);
			start = i + 1;
		}
	rec_pg_array_literal(&in, &lit);
	p = lit.data;
	if (*p++ != '{')
		abort();
	while (*p != '}') {
		if (back.count > 0 && *p++ != ',')
			abort();
		read_element(&p, &back, &tmp);
	}
	if (p[1] != '\0' || back.count != in.count || back.items.len != in.items.len ||
	    memcmp(back.items.data, in.items.data, in.items.len) != 0)
		abort();
	norm_list_release(&in);
	norm_list_release(&back);
	buf_release(&lit);
	buf_release(&tmp);
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
	check_array(data, size);
	return 0;
}
