/*
 * ddex: DDEX ERN and MEAD messages -> catalog records; see
 * include/blendcat/ddex.h.
 *
 * How it works.  xmlTextReader hands over the elements one at a time,
 * their bytes having passed the prolog safety scan (xmlsafe.c).  A stack
 * of frames keeps the path from the root, by names (for matching) and
 * with [n] indexes (for messages).  Inside an entity (a Party, a
 * SoundRecording, an Image, a Release, a ReleaseDeal...) the element's
 * path relative to the entity is looked up in the rule table
 * (ddex_rules.c): it either opens a sub-entity (a Contributor, a Genre, a
 * technical details block...) or names a value, whose text is then kept
 * with its line and path in the message's arena (ddex_entities.c).  Deals
 * are applied to their releases as they stream by.  When the reader
 * reaches the end of the file without an error, references are resolved
 * (parties, resources, releases) and the records go to the sink
 * (ddex_ern.c, ddex_mead.c).  --validate-xsd validates the message as it
 * streams by (ddex_xsd.c).
 *
 * Here: the entry points, the input, the root element (which message),
 * the reader loop and its errors, the parser's life, and libxml2's
 * process-wide handlers, which no other file touches.
 */
#include "blendcat/ddex.h"
#include "blendcat/ddex_internal.h"
#include "blendcat/buf.h"
#include "blendcat/diag.h"
#include "blendcat/xmlsafe.h"
#include "blendcat/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

/* ------------------------------------------------------------ versions */

const struct version ddex_versions[] = {
	{ "38", DDEX_ERN_38, "3.8" },
	{ "381", DDEX_ERN_381, "3.8.1" },
	{ "382", DDEX_ERN_382, "3.8.2" },
	{ "383", DDEX_ERN_383, "3.8.3" },
	{ "41", DDEX_ERN_41, "4.1" },
	{ "411", DDEX_ERN_411, "4.1.1" },
	{ "42", DDEX_ERN_42, "4.2" },
	{ "43", DDEX_ERN_43, "4.3" },
	{ "mead11", DDEX_MEAD_11, "MEAD 1.1" },	/* after MEAD_NS: "11" */
};

const char *ddex_version_name(enum ddex_version v)
{
	size_t i;

	for (i = 0; i < NVERSIONS; i++)
		if (ddex_versions[i].v == v)
			return ddex_versions[i].name;
	return v == DDEX_ERN_OTHER ? "other" : "unknown";
}

/* "341" -> "3.4.1"; other text is copied as it is. */
static void dotted(const char *tail, char *out, size_t size)
{
	size_t n = 0;

	if (!*tail || strspn(tail, "0123456789") != strlen(tail)) {
		snprintf(out, size, "%s", tail);
		return;
	}
	for (; *tail && n + 2 < size; tail++) {
		if (n)
			out[n++] = '.';
		out[n++] = *tail;
	}
	out[n] = '\0';
}

/* ------------------------------------------------------------- input */

#define IO_CHUNK (64u << 10)	/* bytes per read(2); libxml2 asks for 4000 at a time */

/* Count lines, to tell an error at the very end (a truncated file). */
static void io_count(struct io *io, const char *buf, size_t n)
{
	const char *p = buf, *e = buf + n;

	while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		io->lines++;
		p++;
	}
	if (n)
		io->last_nl = buf[n - 1] == '\n';
}

static ssize_t read_some(int fd, char *buf, size_t len)
{
	ssize_t n;

	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

/* Read on after a refused DOCTYPE, to explain it (never given to libxml2). */
static void io_explain(struct io *io, char *buf, int len)
{
	ssize_t n;
	size_t total = 0;

	if (io->roff < io->rlen && io->sc.state == XMLSAFE_DOCTYPE && !io->sc.doctype_done) {
		/* What was read ahead first. */
		total = io->rlen - io->roff;
		xmlsafe_feed(&io->sc, (const unsigned char *)io->rbuf + io->roff, total, 0);
		io->roff = io->rlen;
	}
	while (io->sc.state == XMLSAFE_DOCTYPE && !io->sc.doctype_done && total < 4 * XMLSAFE_DOCTYPE_KEEP &&
	       (n = read_some(io->fd, buf, (size_t)len)) > 0) {
		xmlsafe_feed(&io->sc, (const unsigned char *)buf, (size_t)n, 0);
		total += (size_t)n;
	}
	if (io->sc.error == XMLSAFE_UNSAFE)
		xmlsafe_explain(&io->sc);
}

static int io_read(void *ctx, char *buf, int len)
{
	struct io *io = ctx;
	ssize_t n;

	if (io->sc.error || len <= 0)
		return -1;
	if (io->roff == io->rlen) {
		if (!io->rbuf)
			io->rbuf = xmalloc(IO_CHUNK);
		n = read_some(io->fd, io->rbuf, IO_CHUNK);
		if (n < 0) {
			io->read_errno = errno;
			return -1;
		}
		io->rlen = (size_t)n;
		io->roff = 0;
	}
	n = (ssize_t)(io->rlen - io->roff < (size_t)len ? io->rlen - io->roff : (size_t)len);
	memcpy(buf, io->rbuf + io->roff, (size_t)n);
	io->roff += (size_t)n;
	io->nread += (unsigned long long)n;
	io_count(io, buf, (size_t)n);
	if (n == 0)
		io->eof = 1;
	if (!xmlsafe_done(&io->sc) || io->sc.enc == XMLSAFE_ENC_UNKNOWN)
		xmlsafe_feed(&io->sc, (const unsigned char *)buf, (size_t)n, n == 0);
	if (io->sc.error) {
		if (io->sc.state == XMLSAFE_DOCTYPE)
			io_explain(io, buf, len);
		return -1;
	}
	return (int)n;
}

static int io_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* --------------------------------------------------------- the parser */

/* The first error about the file wins; the read stops. */
int ddex_fail(struct parser *p, enum ddex_error e, const char *fmt, ...)
{
	va_list ap;

	if (p->err)
		return -1;
	p->err = e;
	p->stop = 1;
	if (!p->eline && p->depth > 0)
		p->eline = p->fr[p->depth].line;
	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* ---------------------------------------------------- the root element */

/* A MEAD message: 1.1 is read (tempo, key, moods, sections), no other version. */
static int mead_root(struct parser *p, const char *name, const char *ns)
{
	char ver[32];

	dotted(ns + strlen(MEAD_NS), ver, sizeof(ver));
	if (strcmp(ns + strlen(MEAD_NS), "11") != 0)
		return ddex_fail(p, DDEX_ERR_VERSION, "MEAD %s (namespace '%.80s') is not supported: "
				 "blendcat reads MEAD 1.1", ver, ns);
	p->version = DDEX_MEAD_11;
	p->type = strcmp(name, "MeadMessage") == 0 ? DDEX_MEAD_MESSAGE : DDEX_TYPE_OTHER;
	if (p->type == DDEX_TYPE_OTHER && !p->probe)
		return ddex_fail(p, DDEX_ERR_TYPE, "MEAD 1.1 '%.60s' is not supported: blendcat reads "
				 "MeadMessage", name);
	return 0;
}

/* The root element: which DDEX message this is. */
int ddex_root_start(struct parser *p, const char *name)
{
	const char *ns = (const char *)xmlTextReaderConstNamespaceUri(p->rd);
	char ver[32];
	size_t i;

	p->root_seen = 1;
	p->type = !strcmp(name, "NewReleaseMessage") ? DDEX_NEW_RELEASE :
		  !strcmp(name, "PurgeReleaseMessage") ? DDEX_PURGE_RELEASE : DDEX_TYPE_OTHER;
	if (!ns || strncmp(ns, DDEX_NS, strlen(DDEX_NS)) != 0)
		return ddex_fail(p, DDEX_ERR_NOT_DDEX, "not a DDEX message: root element '%.60s' %s%.80s%s",
				 name, ns ? "in namespace '" : "has no namespace", ns ? ns : "",
				 ns ? "'" : "");
	if (strncmp(ns, MEAD_NS, strlen(MEAD_NS)) == 0)
		return mead_root(p, name, ns);
	if (strncmp(ns, ERN_NS, strlen(ERN_NS)) != 0)
		return ddex_fail(p, DDEX_ERR_VERSION, "DDEX message '%.60s' in namespace '%.80s' is not an "
				 "ERN release notification or a MEAD message: blendcat reads ERN and "
				 "MEAD 1.1 messages only", name, ns);
	for (i = 0; i < NVERSIONS; i++)
		if (strcmp(ns + strlen(ERN_NS), ddex_versions[i].tail) == 0)
			p->version = ddex_versions[i].v;
	if (!p->version) {
		p->version = DDEX_ERN_OTHER;
		dotted(ns + strlen(ERN_NS), ver, sizeof(ver));
		if (p->probe)
			return 0;
		return ddex_fail(p, DDEX_ERR_VERSION, "ERN %s (namespace '%.80s') is not supported: "
				 "blendcat reads ERN 3.8, 3.8.1, 3.8.2, 3.8.3, 4.1, 4.1.1, 4.2 and 4.3",
				 ver, ns);
	}
	if (p->type == DDEX_TYPE_OTHER && !p->probe)
		return ddex_fail(p, DDEX_ERR_TYPE, "ERN %s '%.60s' is not supported: blendcat reads "
				 "NewReleaseMessage and PurgeReleaseMessage",
				 ddex_version_name(p->version), name);
	return 0;
}

/* Read the message's language before anything is ranked by it. */
static void root_lang(struct parser *p)
{
	xmlChar *v = xmlTextReaderGetAttribute(p->rd, (const xmlChar *)"LanguageAndScriptCode");

	snprintf(p->lang, sizeof(p->lang), "%s", v ? (const char *)v : "");
	xmlFree(v);
}

/* ---------------------------------------------------------- the reader */

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
	struct parser *p = ctx;
	size_t n;

	if (!p || !e || e->level < XML_ERR_ERROR || p->xerr.set)
		return;
	p->xerr.set = 1;
	p->xerr.code = e->code;
	p->xerr.level = e->level;
	p->xerr.line = e->line > 0 ? (unsigned long)e->line : 0;
	p->xerr.col = e->int2 > 0 ? (unsigned long)e->int2 : 0;
	snprintf(p->xerr.msg, sizeof(p->xerr.msg), "%s", e->message ? e->message : "error");
	n = strlen(p->xerr.msg);
	while (n && ddex_is_ws((unsigned char)p->xerr.msg[n - 1]))
		p->xerr.msg[--n] = '\0';
}

static void quiet_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static struct parser *active;

static xmlParserInputPtr refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)ctxt;
	if (active)
		ddex_fail(active, DDEX_ERR_UNSAFE, "external entity refused: \"%.80s\"",
			  url ? url : id ? id : "?");
	return NULL;
}

/* libxml2's handlers as they are, to be put back. */
static void globals_save(struct xml_globals *g)
{
	g->loader = xmlGetExternalEntityLoader();
	g->serr = xmlStructuredError;
	g->sctx = xmlStructuredErrorContext;
	g->gerr = xmlGenericError;
	g->gctx = xmlGenericErrorContext;
}

static void globals_enter(struct parser *p, struct xml_globals *g)
{
	xmlInitParser();
	globals_save(g);
	xmlSetExternalEntityLoader(refuse_entity);
	xmlSetStructuredErrorFunc(p, on_xml_error);
	xmlSetGenericErrorFunc(NULL, quiet_generic);
	active = p;
}

void ddex_globals_enter_xsd(struct xml_globals *g, void *ctx, xmlStructuredErrorFunc on_error)
{
	xmlInitParser();
	globals_save(g);
	xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);
	xmlSetStructuredErrorFunc(ctx, on_error);
}

void ddex_globals_leave(const struct xml_globals *g)
{
	xmlSetExternalEntityLoader(g->loader);
	xmlSetStructuredErrorFunc(g->sctx, g->serr);
	xmlSetGenericErrorFunc(g->gctx, g->gerr);
	active = NULL;
}

static int open_reader(struct parser *p)
{
	struct stat sb;

	p->io.fd = open(p->path, O_RDONLY | O_CLOEXEC);
	if (p->io.fd < 0)
		return ddex_fail(p, DDEX_ERR_IO, "cannot open: %s", strerror(errno));
	if (fstat(p->io.fd, &sb) == 0) {
		if (S_ISDIR(sb.st_mode))
			return ddex_fail(p, DDEX_ERR_IO, "cannot read: %s", strerror(EISDIR));
		p->st->bytes = (unsigned long long)sb.st_size;
	}
	p->rd = xmlReaderForIO(io_read, io_close, &p->io, p->path, NULL, XMLSAFE_PARSE_OPTIONS);
	if (!p->rd && !p->io.sc.error)
		return ddex_fail(p, DDEX_ERR_IO, "cannot start the XML reader");
	if (p->rd)
		xmlTextReaderSetStructuredErrorHandler(p->rd, on_xml_error, p);
	return 0;
}

/* One node from the reader. */
static void on_node(struct parser *p)
{
	int type = xmlTextReaderNodeType(p->rd);

	switch (type) {
	case XML_READER_TYPE_ELEMENT:
		if (p->depth == 0)
			root_lang(p);
		ddex_on_start(p);
		if (!p->stop && xmlTextReaderIsEmptyElement(p->rd) == 1)
			ddex_on_end(p);
		break;
	case XML_READER_TYPE_END_ELEMENT:
		ddex_on_end(p);
		break;
	case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
		/* Blanks between elements: no value, and less than the text limit. */
		if (p->fr[p->depth].rule >= 0)
			ddex_on_text(p);
		break;
	case XML_READER_TYPE_TEXT:
	case XML_READER_TYPE_CDATA:
		ddex_on_text(p);
		break;
	case XML_READER_TYPE_ENTITY_REFERENCE:
	case XML_READER_TYPE_DOCUMENT_TYPE:
		ddex_fail(p, DDEX_ERR_UNSAFE, "%s refused", type == XML_READER_TYPE_DOCUMENT_TYPE ?
			  "DOCTYPE" : "entity reference");
		break;
	default:
		break;
	}
}

/* Is the parser's error on the file's last line, after its end was read? */
static int error_at_end(const struct parser *p)
{
	unsigned long last = p->io.lines + (p->io.last_nl ? 0 : 1);

	return p->io.eof && p->xerr.line + 1 >= last;
}

/* The error of the safety scan's code. */
static enum ddex_error unsafe_code(enum xmlsafe_error e)
{
	return e == XMLSAFE_UNSAFE ? DDEX_ERR_UNSAFE :
	       e == XMLSAFE_ENCODING ? DDEX_ERR_ENCODING : DDEX_ERR_NOT_XML;
}

/* What went wrong inside libxml2 or the input, as one error. */
static void reader_failed(struct parser *p)
{
	const struct xerr *x = &p->xerr;

	if (p->err)
		return;
	if (p->io.sc.error) {
		p->eline = p->io.sc.mark_line;
		p->ecol = p->io.sc.mark_col;
		ddex_fail(p, unsafe_code(p->io.sc.error), "%s", p->io.sc.msg);
		return;
	}
	if (p->io.read_errno) {
		ddex_fail(p, DDEX_ERR_IO, "read error: %s", strerror(p->io.read_errno));
		return;
	}
	p->eline = x->line;
	p->ecol = x->col;
	if (x->set && strstr(x->msg, "Excessive depth"))
		ddex_fail(p, DDEX_ERR_LIMIT, "elements nested deeper than %d levels", DDEX_MAX_DEPTH);
	else if (x->set && p->depth > 0 && error_at_end(p))
		ddex_fail(p, DDEX_ERR_NOT_XML, "not well-formed XML: %.120s (the file ends inside "
			  "element '%.40s' of line %lu: truncated?)", x->msg, ddex_open_name(p, p->depth),
			  p->fr[p->depth].line);
	else
		ddex_fail(p, DDEX_ERR_NOT_XML, "not well-formed XML: %s", x->set ? x->msg : "parse error");
}

static int run_reader(struct parser *p)
{
	int rc = 0;

	while (!p->stop && (rc = xmlTextReaderRead(p->rd)) == 1) {
		if (p->xerr.set)
			break;
		on_node(p);
		if (p->probe && p->root_seen)
			return 0;
	}
	if (p->stop)
		return -1;
	if (p->xerr.set || rc < 0 || !p->root_seen) {
		reader_failed(p);
		return -1;
	}
	return 0;
}

static void parser_init(struct parser *p, const char *path, int file_no,
			const struct ddex_opts *o, struct ddex_stats *st)
{
	memset(p, 0, sizeof(*p));
	memset(st, 0, sizeof(*st));
	p->path = path;
	p->file_no = file_no;
	p->o = o;
	p->st = st;
	p->max_tracks = o && o->max_tracks ? o->max_tracks : DDEX_MAX_TRACKS;
	p->max_state = o && o->max_state ? o->max_state : DDEX_MAX_STATE;
	if (p->max_state > (UINT32_MAX >> 1))
		p->max_state = UINT32_MAX >> 1;	/* struct val's offsets are 32 bits */
	p->io.fd = -1;
	p->fr = xcalloc(DDEX_MAX_DEPTH + 1, sizeof(*p->fr));
	xmlsafe_init(&p->io.sc, "DDEX messages");
	buf_init(&p->npath);
	buf_init(&p->dpath);
	buf_init(&p->rkeys);
	buf_init(&p->memo_text);
	buf_init(&p->attrs);
	buf_init(&p->text_acc);
	buf_init(&p->text);
	buf_addch(&p->text, '\0');	/* offset 0 is the empty string */
	buf_init(&p->deal_refs);
	buf_init(&p->names);
	buf_addch(&p->names, '\0');
	buf_init(&p->scratch);
}

static void parser_release(struct parser *p)
{
	size_t i;

	if (p->rd)
		xmlFreeTextReader(p->rd);
	if (p->io.fd >= 0)
		close(p->io.fd);
	xmlsafe_release(&p->io.sc);
	free(p->io.rbuf);
	free(p->fr);
	free(p->itab);
	free(p->rcache);
	free(p->trie);
	buf_release(&p->rkeys);
	free(p->memo);
	buf_release(&p->memo_text);
	buf_release(&p->npath);
	buf_release(&p->dpath);
	buf_release(&p->attrs);
	buf_release(&p->text_acc);
	buf_release(&p->text);
	buf_release(&p->deal_refs);
	buf_release(&p->names);
	buf_release(&p->scratch);
	free(p->srs);
	free(p->contribs);
	free(p->items);
	free(p->dartists);
	free(p->rctls);
	free(p->parts);
	free(p->parties);
	free(p->images);
	free(p->rels);
	free(p->rrefs);
	free(p->pend);
	free(p->party_idx.slot);
	free(p->sr_idx.slot);
	free(p->image_idx.slot);
	free(p->rel_idx.slot);
	for (i = 0; i < p->nrecs; i++)
		rec_release(&p->recs[i]);
	free(p->recs);
	free(p->rec_line);
}

/* ------------------------------------------------------------- entry */

static void report(struct parser *p)
{
	struct ddex_stats *st = p->st;

	st->error = p->err;
	st->error_line = p->eline;
	st->error_column = p->ecol;
	snprintf(st->error_msg, sizeof(st->error_msg), "%s", p->msg);
	if (p->err == DDEX_ERR_SINK)
		return;
	if (p->eline && p->ecol)
		diag_error(LOC_NONE, "%s:%lu:%lu: %s", p->path, p->eline, p->ecol, p->msg);
	else if (p->eline)
		diag_error(LOC_NONE, "%s:%lu: %s", p->path, p->eline, p->msg);
	else
		diag_error(LOC_NONE, "%s: %s", p->path, p->msg);
	if (p->err == DDEX_ERR_UNSAFE)
		diag_detail("DDEX messages have no DTD; blendcat never loads DTDs or external "
			    "entities and never expands entities (XML bomb and XXE protection)");
	else if (p->err == DDEX_ERR_NOT_XML || p->err == DDEX_ERR_LIMIT ||
		 p->err == DDEX_ERR_INVALID)
		diag_detail("nothing of this message was loaded");
}

int ddex_read_file(const char *path, int file_no, const struct ddex_opts *o,
		   const struct ddex_sink *sink, struct ddex_stats *st)
{
	struct parser p;
	struct xml_globals g;
	static const struct ddex_sink none;
	int rc = -1;

	parser_init(&p, path, file_no, o, st);
	if (o && o->xsd_dir && ddex_xsd_attach(&p, o->xsd_dir) < 0)
		goto out;
	globals_enter(&p, &g);
	if (open_reader(&p) == 0 && ddex_xsd_start(&p) == 0) {
		if (!p.rd) {
			reader_failed(&p);
		} else if (run_reader(&p) == 0 && ddex_xsd_result(&p) == 0) {
			st->version = p.version;
			st->type = p.type;
			st->is_test = p.is_test;
			ddex_resolve(&p);
			rc = ddex_deliver(&p, sink ? sink : &none);
		}
	}
	ddex_globals_leave(&g);
out:
	st->version = p.version;
	st->type = p.type;
	st->is_test = p.is_test;
	if (p.err) {
		rc = -1;
		report(&p);
	}
	parser_release(&p);
	if (p.vctxt)
		xmlSchemaFreeValidCtxt(p.vctxt);
	return rc;
}

int ddex_probe(const char *path, enum ddex_version *version, enum ddex_type *type)
{
	struct parser p;
	struct ddex_stats st;
	struct xml_globals g;
	int rc = -1;

	parser_init(&p, path, 0, NULL, &st);
	p.probe = 1;
	globals_enter(&p, &g);
	if (open_reader(&p) == 0 && p.rd && run_reader(&p) == 0)
		rc = p.version ? 1 : 0;
	else if (p.err == DDEX_ERR_NOT_DDEX || p.err == DDEX_ERR_VERSION)
		rc = p.version ? 1 : 0;
	else if (p.err == DDEX_ERR_UNSAFE || (!p.err && p.io.sc.error == XMLSAFE_UNSAFE))
		rc = DDEX_PROBE_REFUSED;
	ddex_globals_leave(&g);
	if (version)
		*version = p.version;
	if (type)
		*type = p.type;
	parser_release(&p);
	return rc;
}
