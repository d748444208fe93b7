/*
 * copybin: rows in COPY's binary format (COPY ... FROM STDIN (FORMAT
 * binary), PostgreSQL's "Binary Format" of the COPY page).
 *
 * The loader stages every row this way.  The server reads binary fields
 * with each type's receive function, which copies bytes, instead of
 * splitting text lines and parsing each field with its input function:
 * a staged row costs the server less than half as much (uuid_in alone is
 * a fifth of a text row).  The client writes fewer bytes too: no hex,
 * no decimal digits, no escapes.
 *
 * A stream is the header, rows, the trailer.  A row is its field count,
 * then each field as a 32-bit length (-1: NULL) and its bytes; numbers
 * are big-endian.  Appends to a buf (buf.h); no I/O.
 */
#ifndef BLENDCAT_COPYBIN_H
#define BLENDCAT_COPYBIN_H

#include <stdint.h>

#include "blendcat/buf.h"
#include "blendcat/record.h"

/* The 19 bytes a stream starts with (signature, flags, no extension). */
void copybin_header(struct buf *b);
/* The field count -1 that ends a stream. */
void copybin_trailer(struct buf *b);
/* A row of nfields fields starts; they follow. */
void copybin_row(struct buf *b, int nfields);

void copybin_null(struct buf *b);
void copybin_bool(struct buf *b, int v);
void copybin_int2(struct buf *b, int16_t v);
void copybin_int4(struct buf *b, int32_t v);
void copybin_int8(struct buf *b, int64_t v);
void copybin_uuid(struct buf *b, const unsigned char u[16]);
/* Text (NULL: a NULL field), in the client encoding as COPY text is. */
void copybin_text(struct buf *b, const char *s);

/*
 * A record's value of type t (record.h), NULL or in the canonical form
 * the record keeps, as the staging column's type reads it
 * (load_sql.c's sql_type): integer, bigint, boolean, date, numeric,
 * varchar[] or text.  0; -1 if s is not in that form (b is then left as
 * it was).
 */
int copybin_value(struct buf *b, enum rec_type t, const char *s);

#endif
