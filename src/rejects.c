/*
 * rejects: the rejects directory; see include/blendcat/rejects.h.
 */
#include "blendcat/rejects.h"
#include "blendcat/buf.h"
#include "blendcat/diag.h"
#include "blendcat/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void rejects_init(struct rejects *r, const char *dir)
{
	memset(r, 0, sizeof(*r));
	r->dir = xstrdup(dir);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/*
 * A name no earlier input took: tracks.csv, then tracks-2.csv, ...;
 * suffix (or "") is added to the input's name first.
 */
static char *unique_name(const struct rejects *r, const char *path, const char *suffix)
{
	struct buf name = BUF_INIT, b = BUF_INIT;
	const char *base, *dot;
	size_t stem, i;
	int n;

	buf_addf(&name, "%s%s", base_name(path), suffix);
	base = name.data;
	dot = strrchr(base, '.');
	stem = dot ? (size_t)(dot - base) : strlen(base);
	for (n = 1;; n++) {
		int taken = 0;

		buf_reset(&b);
		if (n == 1)
			buf_adds(&b, base);
		else
			buf_addf(&b, "%.*s-%d%s", (int)stem, base, n, dot ? dot : "");
		if (strcmp(b.data, "rejects.log") == 0)
			taken = 1;
		for (i = 0; i < r->nfiles && !taken; i++)
			taken = r->files[i].out_name && strcmp(r->files[i].out_name, b.data) == 0;
		if (!taken) {
			buf_release(&name);
			return buf_detach(&b, NULL);
		}
	}
}

static struct rejects_file *add_file(struct rejects *r, int file_no, const char *path,
				     char *out_name)
{
	struct rejects_file *f;

	if (r->nfiles == r->alloc) {
		r->alloc = r->alloc ? 2 * r->alloc : 16;
		r->files = xrealloc(r->files, r->alloc * sizeof(*r->files));
	}
	f = &r->files[r->nfiles++];
	memset(f, 0, sizeof(*f));
	f->file_no = file_no;
	f->path = xstrdup(path);
	f->out_name = out_name;
	f->in_fd = -1;
	return f;
}

/* Input file_no, or NULL when it is not registered (an audio file). */
static struct rejects_file *find_file(struct rejects *r, int file_no)
{
	size_t lo = 0, hi = r->nfiles;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->files[mid].file_no == file_no)
			return &r->files[mid];
		if (r->files[mid].file_no < file_no)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void rejects_add_file(struct rejects *r, int file_no, const char *path)
{
	add_file(r, file_no, path, unique_name(r, path, ""));
}

void rejects_add_sheet(struct rejects *r, int file_no, const char *path)
{
	add_file(r, file_no, path, unique_name(r, path, ".csv"))->spooled = 1;
}

FILE *rejects_spool(struct rejects *r)
{
	if (!r->spool && !(r->spool = tmpfile()))
		diag_error(LOC_NONE, "cannot create a temporary file for a workbook's rows: %s",
			   strerror(errno));
	return r->spool;
}

void rejects_set_header(struct rejects *r, int file_no, const char *raw, size_t len)
{
	struct rejects_file *f = find_file(r, file_no);

	if (!f)
		return;
	free(f->header);
	f->header = xmalloc(len + 1);
	memcpy(f->header, raw, len);
	f->header[len] = '\0';
	f->header_len = len;
}

int rejects_private(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -1;
	if (!S_ISREG(st.st_mode) || (st.st_mode & 07777) == 0600)
		return 0;
	return fchmod(fd, 0600);
}

/* mkdir -p, mode 0700: rejects may hold contact data. */
static int make_dir(struct rejects *r)
{
	char *p;

	if (r->dir_made)
		return 0;
	if (r->failed)
		return -1;
	for (p = r->dir + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;

			*p = '\0';
			if (mkdir(r->dir, 0700) < 0 && errno != EEXIST) {
				*p = c;
				r->failed = 1;
				return diag_error(LOC_NONE, "cannot create rejects directory '%s': %s",
						  r->dir, strerror(errno));
			}
			*p = c;
			if (!c)
				break;
		}
	}
	r->dir_made = 1;
	return 0;
}

static FILE *open_out(struct rejects *r, const char *name)
{
	struct buf path = BUF_INIT;
	FILE *fp = NULL;
	int fd;

	if (make_dir(r) < 0)
		return NULL;
	buf_addf(&path, "%s/%s", r->dir, name);
	fd = open(path.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0 && rejects_private(fd) == 0)
		fp = fdopen(fd, "wb");
	if (!fp) {
		r->failed = 1;
		diag_error(LOC_NONE, "cannot write '%s': %s", path.data, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	buf_release(&path);
	return fp;
}

static void add_value(struct buf *b, const char *v)
{
	size_t n = 0;

	buf_addch(b, '\'');
	for (; *v && n < 80; v++, n++) {
		unsigned char c = (unsigned char)*v;

		if (c == '\n')
			buf_adds(b, "\\n");
		else if (c == '\r')
			buf_adds(b, "\\r");
		else if (c == '\t')
			buf_adds(b, "\\t");
		else if (c == '\'' || c == '\\')
			buf_addf(b, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			buf_addf(b, "\\x%02x", c);
		else
			buf_addch(b, c);
	}
	buf_addch(b, '\'');
	if (*v)
		buf_adds(b, "...");
}

int rejects_log(struct rejects *r, const char *path, unsigned long line, const char *field,
		const char *value, const char *reason)
{
	struct buf b = BUF_INIT;
	int rc = 0;

	if (!r->log && !(r->log = open_out(r, "rejects.log")))
		return -1;
	buf_adds(&b, path);
	if (line)
		buf_addf(&b, ":%lu", line);
	if (field)
		buf_addf(&b, ":%s", field);
	buf_adds(&b, ": ");
	if (value) {
		add_value(&b, value);
		buf_adds(&b, ": ");
	}
	buf_adds(&b, reason);
	buf_addch(&b, '\n');
	if (fwrite(b.data, 1, b.len, r->log) != b.len)
		rc = -1;
	r->problems++;
	buf_release(&b);
	return rc;
}

static int copy_bytes(struct rejects_file *f, int fd, unsigned long long off,
		      unsigned long long len)
{
	char chunk[65536];

	while (len > 0) {
		size_t want = len < sizeof(chunk) ? (size_t)len : sizeof(chunk);
		ssize_t got = pread(fd, chunk, want, (off_t)off);

		if (got <= 0)
			return diag_error(LOC_NONE, "cannot read '%s' again for its rejects: %s",
					  f->path, got < 0 ? strerror(errno) : "file got shorter");
		if (fwrite(chunk, 1, (size_t)got, f->out) != (size_t)got)
			return diag_error(LOC_NONE, "cannot write rejects of '%s'", f->path);
		off += (unsigned long long)got;
		len -= (unsigned long long)got;
	}
	return 0;
}

int rejects_row(struct rejects *r, int file_no, unsigned long long off, unsigned long long len)
{
	struct rejects_file *f = find_file(r, file_no);

	if (!f) {
		r->rows++;
		return 0;
	}
	if (!f->out) {
		if (!(f->out = open_out(r, f->out_name)))
			return -1;
		if (f->header_len && fwrite(f->header, 1, f->header_len, f->out) != f->header_len)
			return diag_error(LOC_NONE, "cannot write rejects of '%s'", f->path);
		/*
		 * A header without a line end (a file of one row) still needs
		 * one; in UTF-16LE a line ends in LF NUL.
		 */
		if (f->header_len && f->header[f->header_len - 1] != '\n' &&
		    !(f->header_len >= 2 && f->header[f->header_len - 2] == '\n' &&
		      f->header[f->header_len - 1] == '\0'))
			fputc('\n', f->out);
	}
	if (f->spooled) {
		r->rows++;
		if (!r->spool || fflush(r->spool) != 0)
			return diag_error(LOC_NONE, "cannot read the rows of '%s' again for its "
					  "rejects", f->path);
		return copy_bytes(f, fileno(r->spool), off, len);
	}
	if (f->in_fd < 0 && (f->in_fd = open(f->path, O_RDONLY | O_CLOEXEC)) < 0)
		return diag_error(LOC_NONE, "cannot open '%s' again for its rejects: %s",
				  f->path, strerror(errno));
	r->rows++;
	return copy_bytes(f, f->in_fd, off, len);
}

int rejects_flush(struct rejects *r)
{
	size_t i;
	int rc = r->failed ? -1 : 0;

	if (r->log && fflush(r->log) != 0)
		rc = diag_error(LOC_NONE, "cannot write '%s/rejects.log': %s", r->dir, strerror(errno));
	for (i = 0; i < r->nfiles; i++)
		if (r->files[i].out && fflush(r->files[i].out) != 0)
			rc = diag_error(LOC_NONE, "cannot write '%s/%s': %s", r->dir,
					r->files[i].out_name, strerror(errno));
	return rc;
}

int rejects_close(struct rejects *r)
{
	size_t i;
	int rc = r->failed ? -1 : 0;

	if (r->log && fclose(r->log) != 0)
		rc = diag_error(LOC_NONE, "cannot write '%s/rejects.log': %s", r->dir, strerror(errno));
	r->log = NULL;
	if (r->spool)
		fclose(r->spool);
	r->spool = NULL;
	for (i = 0; i < r->nfiles; i++) {
		struct rejects_file *f = &r->files[i];

		if (f->out && fclose(f->out) != 0)
			rc = diag_error(LOC_NONE, "cannot write '%s/%s': %s", r->dir, f->out_name,
					strerror(errno));
		f->out = NULL;
		if (f->in_fd >= 0)
			close(f->in_fd);
		f->in_fd = -1;
	}
	return rc;
}

void rejects_release(struct rejects *r)
{
	size_t i;

	rejects_close(r);
	for (i = 0; i < r->nfiles; i++) {
		free(r->files[i].path);
		free(r->files[i].out_name);
		free(r->files[i].header);
	}
	free(r->files);
	free(r->dir);
	memset(r, 0, sizeof(*r));
}
