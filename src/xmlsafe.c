/*
 * xmlsafe: the prolog safety scan of XML inputs; see
 * include/blendcat/xmlsafe.h.
 */
#include "blendcat/xmlsafe.h"
#include "blendcat/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

void xmlsafe_init(struct xmlsafe *sc, const char *what)
{
	memset(sc, 0, sizeof(*sc));
	sc->what = what;
	sc->odd = -1;
	sc->line = 1;
	buf_init(&sc->pi);
	buf_init(&sc->doctype);
}

void xmlsafe_release(struct xmlsafe *sc)
{
	buf_release(&sc->pi);
	buf_release(&sc->doctype);
}

static void scan_refuse(struct xmlsafe *sc, enum xmlsafe_error e, const char *fmt, ...)
	DIAG_PRINTF(3, 4);

static void scan_refuse(struct xmlsafe *sc, enum xmlsafe_error e, const char *fmt, ...)
{
	va_list ap;

	if (sc->error)
		return;
	sc->error = e;
	va_start(ap, fmt);
	vsnprintf(sc->msg, sizeof(sc->msg), fmt, ap);
	va_end(ap);
}

static int is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Encodings whose bytes the scanner reads as libxml2 does. */
static int encoding_ok(const char *e)
{
	static const char *const ok[] = {
		"UTF-8", "UTF8", "UTF-16", "UTF16", "US-ASCII", "ASCII",
		"ISO-8859-1", "ISO8859-1", "ISO_8859-1", "LATIN1", "ISO-LATIN-1",
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcasecmp(e, ok[i]) == 0)
			return 1;
	return 0;
}

/* The XML declaration's encoding, checked against encoding_ok. */
static void scan_xmldecl(struct xmlsafe *sc)
{
	const char *s = sc->pi.data, *p = strstr(s, "encoding");
	char q, enc[64];
	size_t n;

	if (strncmp(s, "xml", 3) != 0 || !is_ws((unsigned char)s[3]) || !p)
		return;
	for (p += 8; is_ws((unsigned char)*p); p++)
		;
	if (*p++ != '=')
		return;
	while (is_ws((unsigned char)*p))
		p++;
	q = *p++;
	if (q != '"' && q != '\'')
		return;
	n = strcspn(p, q == '"' ? "\"" : "'");
	snprintf(enc, sizeof(enc), "%.*s", (int)(n < 60 ? n : 60), p);
	if (!encoding_ok(enc))
		scan_refuse(sc, XMLSAFE_ENCODING,
			    "encoding '%s' is not read: %s are UTF-8 "
			    "(UTF-16, US-ASCII and ISO-8859-1 are read too)", enc, sc->what);
}

/* Follow the DOCTYPE's brackets and quotes to its end. */
static void scan_doctype_char(struct xmlsafe *sc, int c)
{
	if (sc->doctype.len < XMLSAFE_DOCTYPE_KEEP)
		buf_addch(&sc->doctype, c < 0x20 && !is_ws(c) ? '?' : c);
	if (sc->dt_quote) {
		if (c == sc->dt_quote)
			sc->dt_quote = 0;
	} else if (c == '"' || c == '\'') {
		sc->dt_quote = c;
	} else if (c == '[') {
		sc->dt_bracket++;
	} else if (c == ']' && sc->dt_bracket) {
		sc->dt_bracket--;
	} else if (c == '>' && !sc->dt_bracket) {
		sc->doctype_done = 1;
	}
}

/* After "<!": a comment, a DOCTYPE, or something for libxml2 to judge. */
static void scan_bang(struct xmlsafe *sc, int c)
{
	sc->tok[sc->ntok++] = (char)c;
	if (sc->ntok == 2 && memcmp(sc->tok, "--", 2) == 0) {
		sc->state = XMLSAFE_COMMENT;
		sc->prev1 = sc->prev2 = 0;
	} else if (sc->ntok <= 7 && memcmp(sc->tok, "DOCTYPE", sc->ntok) == 0) {
		if (sc->ntok == 7) {
			sc->state = XMLSAFE_DOCTYPE;
			scan_refuse(sc, XMLSAFE_UNSAFE, "DOCTYPE refused");
		}
	} else if (sc->ntok > 2 || sc->tok[0] != '-') {
		sc->state = XMLSAFE_DONE;
	}
}

/* One character of the prolog (c >= 0x80 stands for any non-ASCII one). */
static void scan_char(struct xmlsafe *sc, int c)
{
	switch (sc->state) {
	case XMLSAFE_MISC:
		sc->mark_line = sc->line;
		sc->mark_col = sc->col;
		if (c == '<') {
			sc->state = XMLSAFE_LT;
			sc->markup++;
		}
		else if (!is_ws(c))
			scan_refuse(sc, XMLSAFE_NOT_XML, !sc->markup ?
				    "not XML: the file does not begin with '<'" :
				    "not well-formed XML: text before the root element");
		break;
	case XMLSAFE_LT:
		if (c == '?') {
			sc->state = XMLSAFE_PI;
			buf_reset(&sc->pi);
			sc->prev1 = 0;
		} else if (c == '!') {
			sc->state = XMLSAFE_BANG;
			sc->ntok = 0;
		} else {
			sc->state = XMLSAFE_DONE;
		}
		break;
	case XMLSAFE_PI:
		if (sc->prev1 == '?' && c == '>') {
			buf_setlen(&sc->pi, sc->pi.len ? sc->pi.len - 1 : 0);
			if (sc->npi++ == 0)
				scan_xmldecl(sc);
			sc->state = XMLSAFE_MISC;
		} else if (sc->pi.len < 512) {
			buf_addch(&sc->pi, c >= 0x80 ? '?' : c);
		}
		sc->prev1 = c;
		break;
	case XMLSAFE_BANG:
		scan_bang(sc, c);
		break;
	case XMLSAFE_COMMENT:
		if (sc->prev2 == '-' && sc->prev1 == '-')
			sc->state = c == '>' ? XMLSAFE_MISC : XMLSAFE_DONE;
		sc->prev2 = sc->prev1;
		sc->prev1 = c;
		break;
	case XMLSAFE_DOCTYPE:
		scan_doctype_char(sc, c);
		break;
	case XMLSAFE_DONE:
		break;
	}
}

static void scan_unit(struct xmlsafe *sc, unsigned u)
{
	if (sc->units++ == 0 && u == 0xFEFF)
		return;		/* byte order mark */
	if (u == '\n') {
		sc->line++;
		sc->col = 0;
	} else {
		sc->col++;
	}
	scan_char(sc, u < 0x80 ? (int)u : 0x80);
}

/* The encoding from the first four bytes (XML 1.0 appendix F). */
static void scan_detect(struct xmlsafe *sc)
{
	const unsigned char *h = sc->head;
	size_t n = sc->nhead;

	sc->enc = XMLSAFE_ENC_8BIT;
	if (n >= 4 && ((!h[0] && !h[1]) || (!h[2] && !h[3]) ||
		       (h[0] == 0xFF && h[1] == 0xFE && !h[2] && !h[3])))
		scan_refuse(sc, XMLSAFE_ENCODING, "UCS-4 (32-bit) encoding is not read: "
			    "%s are UTF-8", sc->what);
	else if (n >= 4 && h[0] == 0x4C && h[1] == 0x6F && h[2] == 0xA7 && h[3] == 0x94)
		scan_refuse(sc, XMLSAFE_ENCODING, "EBCDIC encoding is not read: "
			    "%s are UTF-8", sc->what);
	else if (n >= 2 && ((h[0] == 0xFF && h[1] == 0xFE) || (h[0] == '<' && h[1] == 0)))
		sc->enc = XMLSAFE_ENC_UTF16LE;
	else if (n >= 2 && ((h[0] == 0xFE && h[1] == 0xFF) || (h[0] == 0 && h[1] == '<')))
		sc->enc = XMLSAFE_ENC_UTF16BE;
}

static void scan_byte(struct xmlsafe *sc, unsigned char b)
{
	if (sc->enc == XMLSAFE_ENC_8BIT) {
		if (sc->skip)
			sc->skip--;
		else
			scan_unit(sc, b);
		return;
	}
	if (sc->odd < 0) {
		sc->odd = b;
		return;
	}
	scan_unit(sc, sc->enc == XMLSAFE_ENC_UTF16LE ? (unsigned)sc->odd | (unsigned)b << 8 :
		  (unsigned)sc->odd << 8 | b);
	sc->odd = -1;
}

int xmlsafe_done(const struct xmlsafe *sc)
{
	return sc->state == XMLSAFE_DONE || sc->error;
}

/* Feed n bytes; at the end of the input, n = 0 with eof set. */
void xmlsafe_feed(struct xmlsafe *sc, const unsigned char *p, size_t n, int eof)
{
	size_t i;

	if (sc->enc == XMLSAFE_ENC_UNKNOWN) {
		while (n && sc->nhead < 4) {
			sc->head[sc->nhead++] = *p++;
			n--;
		}
		if (sc->nhead < 4 && !eof)
			return;
		scan_detect(sc);
		if (sc->enc == XMLSAFE_ENC_8BIT && sc->nhead >= 3 && sc->head[0] == 0xEF &&
		    sc->head[1] == 0xBB && sc->head[2] == 0xBF)
			sc->skip = 3;
		for (i = 0; i < sc->nhead && !xmlsafe_done(sc); i++)
			scan_byte(sc, sc->head[i]);
	}
	for (i = 0; i < n && (!xmlsafe_done(sc) || sc->state == XMLSAFE_DOCTYPE); i++) {
		if (sc->state == XMLSAFE_DOCTYPE && sc->doctype_done)
			break;
		scan_byte(sc, p[i]);
	}
	if (eof && sc->state == XMLSAFE_MISC && !sc->markup && !sc->error)
		scan_refuse(sc, XMLSAFE_NOT_XML, sc->units ? "not XML: the file holds only "
			    "white space" : "not XML: the file is empty");
}

/* ---------------------------------------------- explaining a DOCTYPE */

/* The quoted literal at *p (advanced past it) into out, cut short. */
static int literal(const char **p, char *out, size_t size, size_t *len)
{
	const char *s = *p, *e;

	while (is_ws((unsigned char)*s))
		s++;
	if (*s != '"' && *s != '\'')
		return -1;
	e = strchr(s + 1, *s);
	*len = e ? (size_t)(e - s - 1) : strlen(s + 1);
	snprintf(out, size, "%.*s%s", (int)(*len < 60 ? *len : 60), s + 1, *len > 60 ? "..." : "");
	*p = e ? e + 1 : s + 1 + *len;
	return e ? 0 : 1;
}

static const char *word(const char **p, char *out, size_t size)
{
	const char *s = *p;
	size_t n;

	while (is_ws((unsigned char)*s))
		s++;
	n = strcspn(s, " \t\r\n\"'>[%");
	snprintf(out, size, "%.*s", (int)(n < 60 ? n : 60), s);
	*p = s + n;
	return out;
}

/*
 * One <!ENTITY declaration at p: how bad it is (3 external, 2 refers to
 * other entities, 1 large, 0 plain), with a message.
 */
static int entity_decl(const char *p, char *msg, size_t size)
{
	char name[64], kw[64], lit[80];
	size_t len = 0;
	int pe, cut;

	p += 8;
	while (is_ws((unsigned char)*p))
		p++;
	pe = *p == '%';
	if (pe)
		p++;
	word(&p, name, sizeof(name));
	word(&p, kw, sizeof(kw));
	if (!strcmp(kw, "SYSTEM") || !strcmp(kw, "PUBLIC")) {
		if (!strcmp(kw, "PUBLIC"))
			literal(&p, lit, sizeof(lit), &len);
		literal(&p, lit, sizeof(lit), &len);
		snprintf(msg, size, "external %sentity '%s' (%s \"%s\"): an XXE attempt",
			 pe ? "parameter " : "", name, kw, lit);
		return 3;
	}
	p -= strlen(kw);
	cut = literal(&p, lit, sizeof(lit), &len);
	if (strchr(lit, '&') || strchr(lit, '%')) {
		snprintf(msg, size, "entity '%s' refers to other entities (\"%s\"): "
			 "an entity expansion bomb", name, lit);
		return 2;
	}
	if (len > 1024 || cut) {
		snprintf(msg, size, "entity '%s' has a value of %s%zu bytes: "
			 "a quadratic blowup", name, cut ? "more than " : "", len);
		return 1;
	}
	snprintf(msg, size, "entity '%s' declared", name);
	return 0;
}

/* Say what a refused DOCTYPE would have done. */
void xmlsafe_explain(struct xmlsafe *sc)
{
	const char *p = sc->doctype.data, *e;
	char name[64], kw[64], lit[80], best[320] = "", m[320];
	int worst = -1, w;
	size_t len;

	word(&p, name, sizeof(name));
	word(&p, kw, sizeof(kw));
	if (!strcmp(kw, "SYSTEM") || !strcmp(kw, "PUBLIC")) {
		if (!strcmp(kw, "PUBLIC"))
			literal(&p, lit, sizeof(lit), &len);
		literal(&p, lit, sizeof(lit), &len);
		snprintf(sc->msg, sizeof(sc->msg), "DOCTYPE refused: external DTD \"%s\"", lit);
		return;
	}
	for (e = sc->doctype.data; (e = strstr(e, "<!ENTITY")) != NULL; e += 8) {
		w = entity_decl(e, m, sizeof(m));
		if (w > worst) {
			worst = w;
			snprintf(best, sizeof(best), "%s", m);
		}
	}
	if (worst >= 0)
		snprintf(sc->msg, sizeof(sc->msg), "DOCTYPE refused: %s", best);
	else
		snprintf(sc->msg, sizeof(sc->msg),
			 "DOCTYPE refused: %s have no document type declaration", sc->what);
}

