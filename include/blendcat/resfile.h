/*
 * resfile: the resource files a DDEX message names (File/URI, File/URL,
 * FilePath + FileName), found safely beside the message, and their MD5.
 *
 * A reference is resolved against the message's folder (the "root"):
 * relative paths below it, absolute paths and file: URIs only when they
 * lead into it.  Anything else (../../etc/passwd, /etc/passwd, a symbolic
 * link leading out) is refused before it is opened or even looked at;
 * only the root itself and paths under it are ever passed to the system.
 * http: and other remote URIs are not fetched (no network).
 */
#ifndef BLENDCAT_RESFILE_H
#define BLENDCAT_RESFILE_H

#include <stddef.h>

#include "blendcat/buf.h"

enum resfile_status {
	RESFILE_OK,		/* *out is the file's real path */
	RESFILE_REMOTE,		/* a URI of another scheme (http:...): not read */
	RESFILE_MISSING,	/* no such file (the delivery may not carry it) */
	RESFILE_OUTSIDE,	/* leads outside the message's folder: refused */
	RESFILE_BAD		/* not a regular file, unreadable, empty reference */
};

#define RESFILE_WHY_MAX 512

/*
 * Where a message's files may be: the real path of the folder holding
 * the message, and what was last found about a folder in it (a delivery
 * without its resources/ is told once, not once per file).
 */
struct resfile_root {
	char *path;
	struct buf dir;		/* the folder last looked at, and: */
	int dir_exists;
};

/* 0, or -1 (errno) when the message's folder cannot be found. */
int resfile_root_init(struct resfile_root *root, const char *msg_path);
void resfile_root_release(struct resfile_root *root);

/*
 * Resolve ref, as the message writes it (uri: from File/URI or URL, so
 * percent-encoded), against root.  Returns a status; for RESFILE_OUTSIDE
 * and RESFILE_BAD why says what is wrong.  out (caller owns) holds the
 * real path for RESFILE_OK.
 */
enum resfile_status resfile_locate(struct resfile_root *root, const char *ref, int uri,
				   struct buf *out, char why[RESFILE_WHY_MAX]);

/*
 * The MD5 of the file at path, as 32 lower-case hex digits.  0, or -1 with
 * why (the file cannot be read).  Links are not followed.
 */
int resfile_md5(const char *path, char hex[33], char why[RESFILE_WHY_MAX]);

/*
 * Is the message's digest text (hex, any case, surrounding blanks) the
 * MD5 hex?  1 equal, 0 different, -1 the text is not 32 hex digits.
 */
int resfile_md5_equal(const char *given, const char hex[33]);

#endif
