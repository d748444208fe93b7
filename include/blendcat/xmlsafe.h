/*
 * xmlsafe: the safety scan every XML input passes through before libxml2
 * sees it (DDEX messages, the parts of a workbook).
 *
 * It follows the prolog (XML declaration, comments, processing
 * instructions) in 8-bit encodings and UTF-16, code unit by code unit,
 * and refuses the chunk in which "<!DOCTYPE" completes: the parser never
 * holds a whole DOCTYPE keyword, let alone a declaration, so no DTD is
 * loaded and no entity is declared, let alone expanded.  After the root
 * element starts, bytes pass unlooked at.  It also refuses what it cannot
 * follow: an encoding other than UTF-8, UTF-16, US-ASCII or ISO-8859-1,
 * text before the root, an empty file.
 *
 * Usage: feed every chunk before handing it to the parser; stop as soon
 * as sc.error is set.  After XMLSAFE_UNSAFE in state XMLSAFE_DOCTYPE,
 * feeding on (never to the parser) until doctype_done, then
 * xmlsafe_explain(), says what the DOCTYPE would have done (an XXE, an
 * entity bomb...).
 *
 * Parse with XMLSAFE_PARSE_OPTIONS: no network, no DTD loading, no entity
 * substitution.
 */
#ifndef BLENDCAT_XMLSAFE_H
#define BLENDCAT_XMLSAFE_H

#include <stddef.h>

#include <libxml/parser.h>

#include "blendcat/buf.h"

#define XMLSAFE_PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES | \
			       XML_PARSE_NOWARNING)

/* Bytes of a refused DOCTYPE kept to explain it. */
#define XMLSAFE_DOCTYPE_KEEP 8192

enum xmlsafe_error {
	XMLSAFE_OK,
	XMLSAFE_NOT_XML,	/* empty, blank, or text before the root */
	XMLSAFE_UNSAFE,		/* a DOCTYPE */
	XMLSAFE_ENCODING	/* an encoding the scan cannot follow */
};

enum xmlsafe_state {
	XMLSAFE_MISC, XMLSAFE_LT, XMLSAFE_PI, XMLSAFE_BANG, XMLSAFE_COMMENT, XMLSAFE_DOCTYPE,
	XMLSAFE_DONE
};

enum xmlsafe_enc {
	XMLSAFE_ENC_UNKNOWN, XMLSAFE_ENC_8BIT, XMLSAFE_ENC_UTF16LE, XMLSAFE_ENC_UTF16BE
};

struct xmlsafe {
	/* Results, read-only for callers. */
	enum xmlsafe_error error;
	char msg[400];			/* why, e.g. "DOCTYPE refused: ..." */
	enum xmlsafe_state state;
	enum xmlsafe_enc enc;
	unsigned long mark_line, mark_col;	/* where the markup at fault began */
	int doctype_done;		/* a refused DOCTYPE was followed to its end */

	/* Private. */
	const char *what;
	unsigned char head[4];
	size_t nhead;
	int skip;			/* bytes of a UTF-8 byte order mark left */
	int odd;			/* a UTF-16 unit's first byte, or -1 */
	unsigned long units;
	unsigned long line, col;	/* of the unit being scanned */
	char tok[8];
	size_t ntok;
	int prev1, prev2;
	int npi;
	unsigned long markup;		/* '<' seen */
	struct buf pi;
	struct buf doctype;
	int dt_quote, dt_bracket;
};

/*
 * Start a scan; allocates nothing.  what names the inputs in messages, in
 * the plural ("DDEX messages": "DDEX messages are UTF-8"); borrowed for
 * the scan's life.
 */
void xmlsafe_init(struct xmlsafe *sc, const char *what);
void xmlsafe_release(struct xmlsafe *sc);
/* Feed n bytes; at the end of the input, n = 0 with eof set. */
void xmlsafe_feed(struct xmlsafe *sc, const unsigned char *p, size_t n, int eof);
/* Is the prolog over (the root element started) or refused? */
int xmlsafe_done(const struct xmlsafe *sc);
/* After a refused DOCTYPE was fed on: say what it would have done in msg. */
void xmlsafe_explain(struct xmlsafe *sc);

#endif
