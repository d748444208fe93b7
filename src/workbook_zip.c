/*
 * workbook_zip: the archive and the reading of its XML parts.  libzip
 * opens the file or buffer (after the OLE2 and zip magic checks: an
 * encrypted Office file, an .xls), every entry name and flag is checked
 * (paths out of the archive, encryption), and what the archive is comes
 * from its entries (workbook_probe too).  A part is inflated a chunk at a
 * time, counted against the zip-bomb limits (each entry's ratio, the
 * total), passed through the prolog safety scan (xmlsafe.h) and fed to
 * libxml2's SAX2 push parser, whose callbacks call the part's handlers;
 * the attribute helpers read SAX2's attributes.  Part of workbook: the
 * contract is include/blendcat/workbook.h, what the other files use is
 * in include/blendcat/workbook_internal.h.
 */
#include "blendcat/workbook.h"
#include "blendcat/workbook_internal.h"
#include "blendcat/buf.h"
#include "blendcat/xalloc.h"
#include "blendcat/xmlsafe.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <zip.h>

#define CHUNK ((size_t)64 << 10)	/* bytes read from an entry at a time */
#define RATIO_FLOOR ((unsigned long long)1 << 20)	/* entries smaller expand freely */
#define MAX_ENTRIES 65536		/* zip entries */
#define NAME_MAX_LEN 4096		/* sheet names, targets, format codes kept */
#define ODS_MIME "application/vnd.oasis.opendocument.spreadsheet"

static const unsigned char cfb_magic[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };

/* ------------------------------------------------------- attributes */

/*
 * The value decoded into out (SAX2 hands attribute values over with
 * their character references as written: &#38; for &amp;), cut at
 * NAME_MAX_LEN bytes.  1 when the attribute is there.
 */
int wb_attr_text(int nattr, const xmlChar **attrs, const char *local, const char *ns,
		 struct buf *out)
{
	size_t len, i;
	const char *v = wb_attr_raw(nattr, attrs, local, ns, &len);

	buf_reset(out);
	if (!v)
		return 0;
	if (len > NAME_MAX_LEN)
		len = NAME_MAX_LEN;
	for (i = 0; i < len; i++) {
		const char *semi;

		if (v[i] != '&' || !(semi = memchr(v + i, ';', len - i)) || semi - (v + i) > 10) {
			buf_addch(out, v[i]);
			continue;
		}
		if (v[i + 1] == '#') {
			unsigned long cp = v[i + 2] == 'x' ? strtoul(v + i + 3, NULL, 16) :
				strtoul(v + i + 2, NULL, 10);
			char u[4];
			size_t n = 0;

			if (cp < 0x80) {
				u[n++] = (char)cp;
			} else if (cp < 0x800) {
				u[n++] = (char)(0xC0 | cp >> 6);
				u[n++] = (char)(0x80 | (cp & 0x3F));
			} else if (cp < 0x10000) {
				u[n++] = (char)(0xE0 | cp >> 12);
				u[n++] = (char)(0x80 | (cp >> 6 & 0x3F));
				u[n++] = (char)(0x80 | (cp & 0x3F));
			} else {
				u[n++] = (char)(0xF0 | cp >> 18);
				u[n++] = (char)(0x80 | (cp >> 12 & 0x3F));
				u[n++] = (char)(0x80 | (cp >> 6 & 0x3F));
				u[n++] = (char)(0x80 | (cp & 0x3F));
			}
			if (cp)
				buf_add(out, u, n);
		} else {
			static const char *const names[] = { "amp;", "lt;", "gt;", "quot;", "apos;" };
			static const char chars[] = "&<>\"'";
			size_t k;

			for (k = 0; k < 5; k++)
				if (strncmp(v + i + 1, names[k], strlen(names[k])) == 0)
					break;
			if (k == 5) {
				buf_addch(out, v[i]);
				continue;
			}
			buf_addch(out, chars[k]);
		}
		i = (size_t)(semi - v);
	}
	return 1;
}

/* ----------------------------------------------------------- zip layer */

static size_t src_read(const struct src *s, unsigned long long off, void *out, size_t n)
{
	ssize_t got;

	if (s->mem) {
		if (off >= s->size)
			return 0;
		if (n > s->size - off)
			n = (size_t)(s->size - off);
		memcpy(out, s->mem + off, n);
		return n;
	}
	got = pread(s->fd, out, n, (off_t)off);
	return got > 0 ? (size_t)got : 0;
}

/* Does buf hold name in UTF-16LE (an OLE2 directory entry's name)? */
static int has_utf16(const unsigned char *buf, size_t n, const char *name)
{
	size_t len = strlen(name), i, j;

	for (i = 0; i + 2 * len <= n; i++) {
		for (j = 0; j < len; j++)
			if (buf[i + 2 * j] != (unsigned char)name[j] || buf[i + 2 * j + 1] != 0)
				break;
		if (j == len)
			return 1;
	}
	return 0;
}

/*
 * An OLE2 compound file: is it an encrypted Office file?  Office keeps
 * the password-protected package in streams EncryptionInfo and
 * EncryptedPackage, named in the directory, whose first sector the
 * header gives; the first 64 KiB are searched too.
 */
static int cfb_encrypted(const struct src *s)
{
	unsigned char head[512], *buf = xmalloc(65536);
	unsigned long long sect, ssz;
	size_t n;
	int found = 0;

	if (src_read(s, 0, head, sizeof(head)) == sizeof(head)) {
		ssz = 1ull << (head[0x1E] & 0x1F);
		sect = (unsigned long long)head[0x30] | (unsigned long long)head[0x31] << 8 |
		       (unsigned long long)head[0x32] << 16 | (unsigned long long)head[0x33] << 24;
		if (ssz >= 512 && ssz <= 65536) {
			n = src_read(s, (sect + 1) * ssz, buf, (size_t)ssz);
			found = has_utf16(buf, n, "EncryptionInfo") || has_utf16(buf, n, "EncryptedPackage");
		}
	}
	if (!found) {
		n = src_read(s, 0, buf, 65536);
		found = has_utf16(buf, n, "EncryptionInfo") || has_utf16(buf, n, "EncryptedPackage");
	}
	free(buf);
	return found;
}

/* A zip entry name that leads out of the archive: absolute, a drive, "..". */
static int unsafe_name(const char *name)
{
	const char *p = name;

	if (*p == '/' || *p == '\\' || (p[0] && p[1] == ':'))
		return 1;
	while (*p) {
		size_t n = strcspn(p, "/\\");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 1;
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

/* Every entry: a name inside the archive, no encryption. */
static int check_entries(struct workbook *wb)
{
	zip_int64_t n = zip_get_num_entries(wb->zip, 0), i;

	if (n > MAX_ENTRIES)
		return wb_fail(wb, WORKBOOK_EUNSAFE, NULL, "the zip archive has %lld entries, more "
			       "than a workbook's %d: refused", (long long)n, MAX_ENTRIES);
	for (i = 0; i < n; i++) {
		const char *name = zip_get_name(wb->zip, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
		zip_stat_t st;

		if (!name)
			continue;
		if (unsafe_name(name))
			return wb_fail(wb, WORKBOOK_EUNSAFE, NULL, "zip entry '%.200s' leads out of the "
				       "archive (an absolute path or '..'): refused", name);
		zip_stat_init(&st);
		if (zip_stat_index(wb->zip, (zip_uint64_t)i, ZIP_FL_ENC_RAW, &st) == 0 &&
		    (st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
			return wb_fail(wb, WORKBOOK_EENCRYPTED, NULL, "the workbook is encrypted (zip "
				       "entry '%.200s' has a password): save it without a password",
				       name);
	}
	return 0;
}

static zip_int64_t entry_find(const struct workbook *wb, const char *name)
{
	return zip_name_locate(wb->zip, name, ZIP_FL_NOCASE);
}

/* ---------------------------------------------------------------- SAX */

static void sax_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
		      int nns, const xmlChar **ns, int nattr, int ndefaulted, const xmlChar **attrs)
{
	struct part *p = ctx;

	(void)prefix;
	(void)uri;
	(void)nns;
	(void)ns;
	(void)ndefaulted;
	if (!p->wb->failed && !p->finished)
		p->start(p, (const char *)local, nattr, attrs);
}

static void sax_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	struct part *p = ctx;

	(void)prefix;
	(void)uri;
	if (!p->wb->failed && !p->finished && p->end)
		p->end(p, (const char *)local);
}

void wb_sax_text(void *ctx, const xmlChar *ch, int len)
{
	struct part *p = ctx;

	if (!p->collect || p->wb->failed || p->finished)
		return;
	buf_add(p->collect, ch, (size_t)len);
	if (p->collect->len > p->collect_max && p->over)
		p->over(p);
}

static void sax_error(void *ctx, xmlErrorPtr e)
{
	struct part *p = ctx;
	size_t n;

	if (p->xerr || !e || e->level < XML_ERR_ERROR)
		return;
	p->xerr = 1;
	p->xerr_line = e->line > 0 ? (unsigned long)e->line : 0;
	snprintf(p->xerr_msg, sizeof(p->xerr_msg), "%s", e->message ? e->message : "parse error");
	n = strlen(p->xerr_msg);
	while (n && (p->xerr_msg[n - 1] == '\n' || p->xerr_msg[n - 1] == ' '))
		p->xerr_msg[--n] = '\0';
}

/* ---------------------------------------------------------------- parts */

void wb_part_close(struct part *p)
{
	if (!p)
		return;
	if (p->zf)
		zip_fclose(p->zf);
	if (p->ctxt)
		xmlFreeParserCtxt(p->ctxt);
	xmlsafe_release(&p->sc);
	free(p->chunk);
	free(p->name);
	free(p);
}

/*
 * Open entry name for reading with the handlers; NULL when it is not in
 * the archive (*missing set) or cannot be read (wb->err set).
 */
struct part *wb_part_open(struct workbook *wb, const char *name, part_start_fn *start,
			  part_end_fn *end, void *state, int *missing)
{
	zip_int64_t idx = entry_find(wb, name);
	struct part *p;
	zip_stat_t st;

	*missing = idx < 0;
	if (idx < 0)
		return NULL;
	zip_stat_init(&st);
	if (zip_stat_index(wb->zip, (zip_uint64_t)idx, 0, &st) < 0) {
		wb_fail(wb, WORKBOOK_EFORMAT, NULL, "cannot read zip entry '%.200s': %s", name,
			zip_strerror(wb->zip));
		return NULL;
	}
	p = xmalloc(sizeof(*p));
	memset(p, 0, sizeof(*p));
	p->wb = wb;
	p->name = xstrdup(name);
	p->comp = st.valid & ZIP_STAT_COMP_SIZE ? st.comp_size : 0;
	p->size = st.valid & ZIP_STAT_SIZE ? st.size : 0;
	p->start = start;
	p->end = end;
	p->state = state;
	xmlsafe_init(&p->sc, "workbook parts");
	if (p->size > RATIO_FLOOR && p->size / (p->comp ? p->comp : 1) > wb->o.max_ratio) {
		wb_fail(wb, WORKBOOK_EUNSAFE, NULL, "zip entry '%.200s' would expand %llu times "
			"(%llu bytes from %llu), more than %u: refused as a zip bomb", name,
			p->size / (p->comp ? p->comp : 1), p->size, p->comp, wb->o.max_ratio);
		wb_part_close(p);
		return NULL;
	}
	p->zf = zip_fopen_index(wb->zip, (zip_uint64_t)idx, 0);
	if (!p->zf) {
		int ze = zip_error_code_zip(zip_get_error(wb->zip));

		if (ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD || ze == ZIP_ER_ENCRNOTSUPP)
			wb_fail(wb, WORKBOOK_EENCRYPTED, NULL, "the workbook is encrypted (zip entry "
				"'%.200s' has a password): save it without a password", name);
		else
			wb_fail(wb, WORKBOOK_EFORMAT, NULL, "cannot read zip entry '%.200s': %s", name,
				zip_strerror(wb->zip));
		wb_part_close(p);
		return NULL;
	}
	memset(&p->sax, 0, sizeof(p->sax));
	p->sax.initialized = XML_SAX2_MAGIC;
	p->sax.startElementNs = sax_start;
	p->sax.endElementNs = sax_end;
	p->sax.characters = wb_sax_text;
	p->sax.ignorableWhitespace = wb_sax_text;
	p->sax.serror = sax_error;
	p->chunk = xmalloc(CHUNK);
	return p;
}

/* The safety scan refused the part: say why, having read the DOCTYPE on. */
static int part_unsafe(struct part *p)
{
	size_t total = 0;
	zip_int64_t n;
	char where[300];

	while (p->sc.state == XMLSAFE_DOCTYPE && !p->sc.doctype_done &&
	       total < 4 * XMLSAFE_DOCTYPE_KEEP &&
	       (n = zip_fread(p->zf, p->chunk, XMLSAFE_DOCTYPE_KEEP)) > 0) {
		xmlsafe_feed(&p->sc, (const unsigned char *)p->chunk, (size_t)n, 0);
		total += (size_t)n;
	}
	if (p->sc.error == XMLSAFE_UNSAFE)
		xmlsafe_explain(&p->sc);
	snprintf(where, sizeof(where), "%.250s:%lu", p->name, p->sc.mark_line ? p->sc.mark_line : 1);
	return wb_fail(p->wb, p->sc.error == XMLSAFE_UNSAFE ? WORKBOOK_EUNSAFE : WORKBOOK_EFORMAT,
		       where, "%s", p->sc.msg);
}

/* Count n more bytes of p against the limits. */
static int part_count(struct part *p, size_t n)
{
	struct workbook *wb = p->wb;

	p->out += n;
	wb->total += n;
	if (wb->total > wb->o.max_bytes)
		return wb_fail(wb, WORKBOOK_EUNSAFE, p->name, "the workbook expands to more than %llu "
			       "bytes: refused as a zip bomb", wb->o.max_bytes);
	if (p->out > RATIO_FLOOR && p->out / (p->comp ? p->comp : 1) > wb->o.max_ratio)
		return wb_fail(wb, WORKBOOK_EUNSAFE, p->name, "the entry expands more than %u times "
			       "(%llu bytes from %llu so far): refused as a zip bomb",
			       wb->o.max_ratio, p->out, p->comp);
	if (p->out > p->size)
		return wb_fail(wb, WORKBOOK_EUNSAFE, p->name, "the entry holds more than the %llu "
			       "bytes its zip header gives: refused", p->size);
	return 0;
}

/* Read one chunk of p into the parser.  0, or -1 (wb->err set). */
int wb_part_feed(struct part *p)
{
	struct workbook *wb = p->wb;
	zip_int64_t n;
	int rc;

	if (p->eof || p->finished)
		return wb->failed ? -1 : 0;
	n = zip_fread(p->zf, p->chunk, CHUNK);
	if (n < 0)
		return wb_fail(wb, WORKBOOK_EFORMAT, p->name, "cannot read the entry: %s",
			       zip_error_strerror(zip_file_get_error(p->zf)));
	if (n > 0 && part_count(p, (size_t)n) < 0)
		return -1;
	if (!xmlsafe_done(&p->sc) || p->sc.enc == XMLSAFE_ENC_UNKNOWN) {
		xmlsafe_feed(&p->sc, (const unsigned char *)p->chunk, (size_t)n, n == 0);
		if (p->sc.error)
			return part_unsafe(p);
	}
	if (!p->ctxt) {
		p->ctxt = xmlCreatePushParserCtxt(&p->sax, p, NULL, 0, p->name);
		if (!p->ctxt)
			return wb_fail(wb, WORKBOOK_EFORMAT, p->name, "cannot start the XML parser");
		xmlCtxtUseOptions(p->ctxt, XMLSAFE_PARSE_OPTIONS);
	}
	rc = xmlParseChunk(p->ctxt, p->chunk, (int)n, n == 0);
	if (wb->failed)
		return -1;
	if (p->finished)
		return 0;
	if (rc != 0 || p->xerr || !p->ctxt->wellFormed) {
		char where[300];

		snprintf(where, sizeof(where), "%.250s:%lu", p->name,
			 p->xerr_line ? p->xerr_line : wb_part_line(p));
		return wb_fail(wb, WORKBOOK_EFORMAT, where, "not well-formed XML: %s",
			       p->xerr ? p->xerr_msg : "parse error");
	}
	if (n == 0)
		p->eof = 1;
	return 0;
}

/* Read all of p (or until its handler is finished). */
static int part_run(struct part *p)
{
	while (!p->eof && !p->finished)
		if (wb_part_feed(p) < 0)
			return -1;
	return 0;
}

/* Read entry name whole with the handlers: 0, 1 when missing, -1. */
int wb_read_part(struct workbook *wb, const char *name, part_start_fn *start,
		 part_end_fn *end, void *state)
{
	int missing, rc;
	struct part *p = wb_part_open(wb, name, start, end, state, &missing);

	if (!p)
		return missing && !wb->failed ? 1 : -1;
	rc = part_run(p);
	wb_part_close(p);
	return rc;
}

/* ------------------------------------------------------------ opening */

/* The first bytes of entry name, NUL-terminated (at most size - 1); -1 if none. */
static int entry_head(zip_t *z, const char *name, char *out, size_t size)
{
	zip_int64_t idx = zip_name_locate(z, name, 0), n;
	zip_file_t *f;

	if (idx < 0 || !(f = zip_fopen_index(z, (zip_uint64_t)idx, 0)))
		return -1;
	n = zip_fread(f, out, size - 1);
	zip_fclose(f);
	if (n < 0)
		return -1;
	out[n] = '\0';
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r' || out[n - 1] == ' '))
		out[--n] = '\0';
	return 0;
}

/* What the archive is, by its entries. */
static enum workbook_format zip_format(zip_t *z, char mime[128])
{
	mime[0] = '\0';
	if (zip_name_locate(z, "xl/workbook.xml", ZIP_FL_NOCASE) >= 0)
		return WORKBOOK_XLSX;
	if (entry_head(z, "mimetype", mime, 128) == 0 &&
	    strncmp(mime, ODS_MIME, strlen(ODS_MIME)) == 0)
		return WORKBOOK_ODS;
	return WORKBOOK_NONE;
}

static int zip_failed(struct workbook *wb, zip_error_t *ze)
{
	int code = zip_error_code_zip(ze);
	enum workbook_code c = code == ZIP_ER_OPEN || code == ZIP_ER_READ || code == ZIP_ER_SEEK ?
			       WORKBOOK_EIO : WORKBOOK_EFORMAT;

	return wb_fail(wb, c, NULL, "%s: %s", c == WORKBOOK_EIO ? "cannot read the file" :
		       "a damaged zip archive", zip_error_strerror(ze));
}

/* Check the bytes, open the archive, find the sheet. */
int wb_open(struct workbook *wb, const struct src *s, const char *path)
{
	unsigned char magic[8];
	size_t n = src_read(s, 0, magic, sizeof(magic));
	zip_error_t ze;
	char mime[128];
	int code;

	if (n == 8 && memcmp(magic, cfb_magic, 8) == 0) {
		if (cfb_encrypted(s))
			return wb_fail(wb, WORKBOOK_EENCRYPTED, NULL, "the workbook is encrypted "
				       "(saved with a password to open it): save it without a password");
		return wb_fail(wb, WORKBOOK_ENOTWORKBOOK, NULL, "an OLE2 compound file, such as an "
			       "Excel 97-2003 .xls workbook, which is not read: save it as .xlsx");
	}
	if (n < 4 || memcmp(magic, "PK\3\4", 4) != 0)
		return wb_fail(wb, WORKBOOK_ENOTWORKBOOK, NULL, "not an .xlsx or .ods workbook (those "
			       "are zip archives; this file is %s)", n ? "not one" : "empty");
	zip_error_init(&ze);
	if (path) {
		wb->zip = zip_open(path, ZIP_RDONLY, &code);
		if (!wb->zip)
			zip_error_init_with_code(&ze, code);
	} else {
		zip_source_t *zs = zip_source_buffer_create(s->mem, s->size, 0, &ze);

		if (zs && !(wb->zip = zip_open_from_source(zs, ZIP_RDONLY, &ze)))
			zip_source_free(zs);
	}
	if (!wb->zip) {
		zip_failed(wb, &ze);
		zip_error_fini(&ze);
		return -1;
	}
	zip_error_fini(&ze);
	if (check_entries(wb) < 0)
		return -1;
	wb->format = zip_format(wb->zip, mime);
	if (wb->format == WORKBOOK_XLSX)
		return wb_open_xlsx(wb);
	if (wb->format == WORKBOOK_ODS)
		return wb_open_ods(wb);
	if (strncmp(mime, "application/vnd.oasis.opendocument.", 35) == 0)
		return wb_fail(wb, WORKBOOK_ENOTWORKBOOK, NULL, "an OpenDocument file of type "
			       "'%.80s', not a spreadsheet", mime);
	return wb_fail(wb, WORKBOOK_ENOTWORKBOOK, NULL, "a zip archive, but not a workbook (no "
		       "xl/workbook.xml, no OpenDocument spreadsheet mimetype)");
}

enum workbook_format workbook_probe(const char *path, int *encrypted)
{
	struct src s = { -1, NULL, 0 };
	unsigned char magic[8];
	enum workbook_format f = WORKBOOK_NONE;
	char mime[128];
	zip_t *z;
	int code;

	if (encrypted)
		*encrypted = 0;
	s.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s.fd < 0)
		return WORKBOOK_NONE;
	if (src_read(&s, 0, magic, 8) == 8 && memcmp(magic, cfb_magic, 8) == 0 &&
	    cfb_encrypted(&s)) {
		if (encrypted)
			*encrypted = 1;
		f = WORKBOOK_XLSX;
	} else if (src_read(&s, 0, magic, 4) == 4 && memcmp(magic, "PK\3\4", 4) == 0 &&
		   (z = zip_open(path, ZIP_RDONLY, &code)) != NULL) {
		f = zip_format(z, mime);
		zip_discard(z);
	}
	close(s.fd);
	return f;
}
