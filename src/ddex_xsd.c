/*
 * ddex_xsd: --validate-xsd, each message against the official XSD of its
 * version as the reader streams it; see include/blendcat/ddex.h and
 * include/blendcat/ddex_internal.h.
 */
#include "blendcat/ddex_internal.h"
#include "blendcat/buf.h"
#include "blendcat/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

/*
 * The official XSD of each version, compiled once per process from
 * DIR/ern<NN>/release-notification.xsd.  Its imports (the allowed value
 * sets) are read from the same folder; nothing from the network.
 */
static struct {
	char *dir;
	xmlSchemaPtr schema[NVERSIONS];
	char name[NVERSIONS][48];
	int tried[NVERSIONS];
} xsd;

void ddex_xsd_release(void)
{
	size_t i;

	for (i = 0; i < NVERSIONS; i++) {
		if (xsd.schema[i])
			xmlSchemaFree(xsd.schema[i]);
		xsd.schema[i] = NULL;
		xsd.tried[i] = 0;
	}
	free(xsd.dir);
	xsd.dir = NULL;
}

static void on_xsd_compile_error(void *ctx, xmlErrorPtr e)
{
	char *msg = ctx;
	size_t n;

	if (!e || e->level < XML_ERR_ERROR || msg[0])
		return;
	snprintf(msg, 200, "%s", e->message ? e->message : "error");
	n = strlen(msg);
	while (n && ddex_is_ws((unsigned char)msg[n - 1]))
		msg[--n] = '\0';	/* libxml2 ends its messages with a newline */
}

/* Compile version slot i's XSD; NULL with why when it cannot. */
static xmlSchemaPtr xsd_compile(size_t i, char *why, size_t size)
{
	struct buf path = BUF_INIT;
	xmlSchemaParserCtxtPtr pc;
	xmlSchemaPtr schema = NULL;
	struct xml_globals g;
	char msg[200] = "";

	if (ddex_versions[i].v == DDEX_MEAD_11)
		snprintf(xsd.name[i], sizeof(xsd.name[i]), "mead11/media-enrichment-and-description.xsd");
	else
		snprintf(xsd.name[i], sizeof(xsd.name[i]), "ern%s/release-notification.xsd",
			 ddex_versions[i].tail);
	buf_addf(&path, "%s/%s", xsd.dir, xsd.name[i]);
	if (access(path.data, R_OK) != 0) {
		snprintf(why, size, "no XSD for %s%s: cannot read '%s': %s",
			 ddex_versions[i].v == DDEX_MEAD_11 ? "" : "ERN ", ddex_versions[i].name,
			 path.data, strerror(errno));
		goto out;
	}
	ddex_globals_enter_xsd(&g, msg, on_xsd_compile_error);
	pc = xmlSchemaNewParserCtxt(path.data);
	if (pc) {
		xmlSchemaSetParserStructuredErrors(pc, on_xsd_compile_error, msg);
		schema = xmlSchemaParse(pc);
		xmlSchemaFreeParserCtxt(pc);
	}
	ddex_globals_leave(&g);
	if (!schema)
		snprintf(why, size, "the XSD '%s' does not compile: %s", path.data,
			 msg[0] ? msg : "error");
out:
	buf_release(&path);
	return schema;
}

/* The compiled XSD for version v from dir, or NULL with why. */
static xmlSchemaPtr xsd_for(const char *dir, enum ddex_version v, const char **name,
			    char *why, size_t size)
{
	size_t i;

	if (xsd.dir && strcmp(xsd.dir, dir) != 0)
		ddex_xsd_release();
	if (!xsd.dir)
		xsd.dir = xstrdup(dir);
	for (i = 0; i < NVERSIONS && ddex_versions[i].v != v; i++)
		;
	if (i == NVERSIONS) {
		snprintf(why, size, "no XSD for this version");
		return NULL;
	}
	if (!xsd.tried[i]) {
		xsd.tried[i] = 1;
		xsd.schema[i] = xsd_compile(i, why, size);
		if (!xsd.schema[i])
			return NULL;
	}
	if (!xsd.schema[i])
		snprintf(why, size, "no usable XSD for %s%s in '%s'",
			 ddex_versions[i].v == DDEX_MEAD_11 ? "" : "ERN ", ddex_versions[i].name, dir);
	*name = xsd.name[i];
	return xsd.schema[i];
}

static void on_xsd_error(void *ctx, xmlErrorPtr e)
{
	struct parser *p = ctx;
	size_t n;

	if (!e || e->level < XML_ERR_ERROR || p->xsd_errors++)
		return;
	p->xsd_line = e->line > 0 ? (unsigned long)e->line : 0;
	/* Whole: an enumeration's message lists the allowed values. */
	snprintf(p->xsd_msg, sizeof(p->xsd_msg), "%s", e->message ? e->message : "error");
	n = strlen(p->xsd_msg);
	while (n && ddex_is_ws((unsigned char)p->xsd_msg[n - 1]))
		p->xsd_msg[--n] = '\0';
	if (n == sizeof(p->xsd_msg) - 1)
		memcpy(p->xsd_msg + n - 3, "...", 3);
}

/*
 * --validate-xsd: the root says which version; its XSD then validates
 * the message as the reader streams it.  A message whose version is not
 * read is left to the reader's own error.
 */
int ddex_xsd_attach(struct parser *p, const char *dir)
{
	enum ddex_version v;
	xmlSchemaPtr schema;
	char why[600];

	if (ddex_probe(p->path, &v, NULL) != 1 || v == DDEX_ERN_OTHER)
		return 0;
	schema = xsd_for(dir, v, &p->xsd_name, why, sizeof(why));
	if (!schema)
		return ddex_fail(p, DDEX_ERR_INVALID, "cannot validate (--validate-xsd): %s", why);
	p->vctxt = xmlSchemaNewValidCtxt(schema);
	if (!p->vctxt)
		return ddex_fail(p, DDEX_ERR_INVALID, "cannot validate (--validate-xsd): out of memory");
	return 0;
}

int ddex_xsd_start(struct parser *p)
{
	if (!p->vctxt || !p->rd)
		return 0;
	if (xmlTextReaderSchemaValidateCtxt(p->rd, p->vctxt, 0) != 0)
		return ddex_fail(p, DDEX_ERR_INVALID, "cannot start validating against '%s'", p->xsd_name);
	/* After the reader's own relay: validity errors are not parse errors. */
	xmlSchemaSetValidStructuredErrors(p->vctxt, on_xsd_error, p);
	return 0;
}

int ddex_xsd_result(struct parser *p)
{
	if (!p->vctxt || !p->xsd_errors)
		return 0;
	p->eline = p->xsd_line;
	if (p->xsd_errors == 1)
		return ddex_fail(p, DDEX_ERR_INVALID, "not valid against its XSD %s: %s", p->xsd_name,
				 p->xsd_msg);
	return ddex_fail(p, DDEX_ERR_INVALID, "not valid against its XSD %s: %s (%lu errors in all)",
			 p->xsd_name, p->xsd_msg, p->xsd_errors);
}
