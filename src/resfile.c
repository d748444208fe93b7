/*
 * resfile: resource files named by DDEX messages; see
 * include/blendcat/resfile.h.  MD5 comes from nettle.
 */
#include "blendcat/resfile.h"
#include "blendcat/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/md5.h>

/* Percent-decoding of a URI path; %00 and encoded '/' stay as written. */
static void decode(const char *s, int uri, struct buf *out)
{
	for (; *s; s++) {
		if (uri && s[0] == '%' && isxdigit((unsigned char)s[1]) &&
		    isxdigit((unsigned char)s[2])) {
			char hex[3] = { s[1], s[2], '\0' };
			int c = (int)strtol(hex, NULL, 16);

			if (c && c != '/') {
				buf_addch(out, c);
				s += 2;
				continue;
			}
		}
		buf_addch(out, *s == '\\' ? '/' : *s);
	}
}

/*
 * Lexical clean-up of an absolute path: no "//", "." or "..".  A ".."
 * at the top stays at "/", as the system would.
 */
static void clean(const char *in, struct buf *out)
{
	const char *p = in;

	buf_reset(out);
	while (*p) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = strrchr(out->data, '/');

			buf_setlen(out, slash ? (size_t)(slash - out->data) : 0);
		} else {
			buf_addch(out, '/');
			buf_add(out, p, n);
		}
		p += n;
	}
	if (!out->len)
		buf_addch(out, '/');
}

static int under(const char *path, const char *root)
{
	size_t n = strlen(root);

	if (strcmp(root, "/") == 0)
		return path[0] == '/' && path[1] != '\0';
	return strncmp(path, root, n) == 0 && path[n] == '/';
}

int resfile_root_init(struct resfile_root *root, const char *msg_path)
{
	char *dir = xstrdup(msg_path), *slash = strrchr(dir, '/');

	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	root->path = realpath(dir, NULL);
	free(dir);
	buf_init(&root->dir);
	root->dir_exists = 0;
	return root->path ? 0 : -1;
}

void resfile_root_release(struct resfile_root *root)
{
	free(root->path);
	root->path = NULL;
	buf_release(&root->dir);
}

/* Does the folder of path (lexical, under root) exist?  Remembered for the next file. */
static int dir_exists(struct resfile_root *root, const char *path)
{
	size_t n = (size_t)(strrchr(path, '/') - path);
	struct stat sb;

	if (root->dir.len != n || memcmp(root->dir.data, path, n) != 0) {
		buf_reset(&root->dir);
		buf_add(&root->dir, path, n);
		root->dir_exists = stat(root->dir.data, &sb) == 0 && S_ISDIR(sb.st_mode);
	}
	if (!root->dir_exists)
		errno = ENOENT;
	return root->dir_exists;
}

/* ref (decoded) -> the cleaned absolute path it names, in want. */
static int want_path(const char *root, const char *ref, int uri, struct buf *want)
{
	struct buf dec = BUF_INIT, abs = BUF_INIT;

	if (uri && strncasecmp(ref, "file://", 7) == 0) {
		ref += 7;
		if (strncasecmp(ref, "localhost/", 10) == 0)
			ref += 9;
		if (*ref != '/') {
			buf_release(&dec);
			return -1;	/* file://otherhost/... */
		}
	}
	decode(ref, uri, &dec);
	if (dec.data[0] == '/')
		buf_adds(&abs, dec.data);
	else
		buf_addf(&abs, "%s/%s", root, dec.data);
	clean(abs.data, want);
	buf_release(&dec);
	buf_release(&abs);
	return 0;
}

enum resfile_status resfile_locate(struct resfile_root *rt, const char *ref, int uri,
				   struct buf *out, char why[RESFILE_WHY_MAX])
{
	const char *root = rt->path;
	struct buf want = BUF_INIT;
	char *real = NULL;
	enum resfile_status st = RESFILE_BAD;
	struct stat sb;

	why[0] = '\0';
	buf_reset(out);
	if (uri && strstr(ref, "://") && strncasecmp(ref, "file://", 7) != 0)
		return RESFILE_REMOTE;
	if (!*ref || want_path(root, ref, uri, &want) < 0) {
		snprintf(why, RESFILE_WHY_MAX, "not a path to a local file");
		goto out;
	}
	st = RESFILE_OUTSIDE;
	if (!under(want.data, root)) {
		snprintf(why, RESFILE_WHY_MAX, "leads outside the message's folder '%s' to '%s': "
			 "refused, not opened", root, want.data);
		goto out;
	}
	/* The lexical path is under root: looking at it opens nothing. */
	if (!dir_exists(rt, want.data) ||
	    (lstat(want.data, &sb) < 0 && (errno == ENOENT || errno == ENOTDIR))) {
		st = RESFILE_MISSING;
		snprintf(why, RESFILE_WHY_MAX, "cannot open '%s': %s", want.data, strerror(errno));
		goto out;
	}
	real = realpath(want.data, NULL);
	if (!real) {
		st = errno == ENOENT || errno == ENOTDIR ? RESFILE_MISSING : RESFILE_BAD;
		snprintf(why, RESFILE_WHY_MAX, "cannot open '%s': %s", want.data, strerror(errno));
		goto out;
	}
	if (!under(real, root)) {
		snprintf(why, RESFILE_WHY_MAX, "'%s' is a link leading outside the message's folder "
			 "'%s' (to '%s'): refused, not opened", want.data, root, real);
		goto out;
	}
	st = RESFILE_BAD;
	if (stat(real, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		snprintf(why, RESFILE_WHY_MAX, "'%s' is not a regular file", real);
		goto out;
	}
	buf_adds(out, real);
	st = RESFILE_OK;
out:
	free(real);
	buf_release(&want);
	return st;
}

int resfile_md5(const char *path, char hex[33], char why[RESFILE_WHY_MAX])
{
	struct md5_ctx ctx;
	uint8_t digest[MD5_DIGEST_SIZE];
	char chunk[1 << 16];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t n;
	int i;

	if (fd < 0) {
		snprintf(why, RESFILE_WHY_MAX, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	md5_init(&ctx);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			md5_update(&ctx, (size_t)n, (const uint8_t *)chunk);
	if (n < 0)
		snprintf(why, RESFILE_WHY_MAX, "cannot read '%s': %s", path, strerror(errno));
	close(fd);
	if (n < 0)
		return -1;
	md5_digest(&ctx, sizeof(digest), digest);
	for (i = 0; i < MD5_DIGEST_SIZE; i++)
		sprintf(hex + 2 * i, "%02x", digest[i]);
	return 0;
}

int resfile_md5_equal(const char *given, const char hex[33])
{
	size_t n;
	int i;

	while (isspace((unsigned char)*given))
		given++;
	n = strspn(given, "0123456789abcdefABCDEF");
	if (n != 32)
		return -1;
	for (i = (int)n; given[i]; i++)
		if (!isspace((unsigned char)given[i]))
			return -1;
	return strncasecmp(given, hex, 32) == 0;
}
