/*
 * Unit tests for resfile: references resolved inside the message's
 * folder only, and MD5 digests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blendcat/resfile.h"

static char top[256];		/* top/rel/msg.xml, top/rel/resources/a.flac, top/secret */

static void put(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	char path[512], target[512];

	(void)state;
	snprintf(top, sizeof(top), "/tmp/test_resfile.XXXXXX");
	if (!mkdtemp(top))
		return -1;
	snprintf(path, sizeof(path), "%s/rel", top);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/rel/resources", top);
	mkdir(path, 0755);
	put("rel/msg.xml", "<x/>");
	put("rel/resources/a.flac", "abc");
	put("rel/resources/a b.flac", "");
	put("secret", "secret");
	snprintf(path, sizeof(path), "%s/rel/resources/link.flac", top);
	snprintf(target, sizeof(target), "%s/secret", top);
	return symlink(target, path);
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

static const struct {
	const char *ref;	/* "@" stands for the real path of top */
	int uri;
	enum resfile_status want;
	const char *found;	/* under top, for RESFILE_OK */
	const char *why;	/* part of the reason, for OUTSIDE and BAD */
} cases[] = {
	{ "resources/a.flac", 1, RESFILE_OK, "rel/resources/a.flac", NULL },
	{ "resources/a%2Eflac", 1, RESFILE_OK, "rel/resources/a.flac", NULL },
	{ "resources/a%20b.flac", 1, RESFILE_OK, "rel/resources/a b.flac", NULL },
	{ "resources\\a.flac", 0, RESFILE_OK, "rel/resources/a.flac", NULL },
	{ "./resources//a.flac", 0, RESFILE_OK, "rel/resources/a.flac", NULL },
	{ "resources/../resources/a.flac", 1, RESFILE_OK, "rel/resources/a.flac", NULL },
	{ "@/rel/resources/a.flac", 0, RESFILE_OK, "rel/resources/a.flac", NULL },
	{ "file://@/rel/resources/a.flac", 1, RESFILE_OK, "rel/resources/a.flac", NULL },
	{ "file://localhost@/rel/resources/a.flac", 1, RESFILE_OK, "rel/resources/a.flac", NULL },
	{ "../secret", 0, RESFILE_OUTSIDE, NULL, "leads outside the message's folder" },
	{ "../../etc/passwd", 1, RESFILE_OUTSIDE, NULL, "/etc/passwd': refused, not opened" },
	{ "../../../../../../../../etc/passwd", 1, RESFILE_OUTSIDE, NULL, "to '/etc/passwd'" },
	{ "/etc/passwd", 0, RESFILE_OUTSIDE, NULL, "to '/etc/passwd'" },
	{ "file:///etc/passwd", 1, RESFILE_OUTSIDE, NULL, "to '/etc/passwd'" },
	{ "%2E%2E/secret", 1, RESFILE_OUTSIDE, NULL, "leads outside" },
	{ "resources/../../secret", 1, RESFILE_OUTSIDE, NULL, "leads outside" },
	{ "@/secret", 0, RESFILE_OUTSIDE, NULL, "leads outside" },
	{ "@/rel", 0, RESFILE_OUTSIDE, NULL, "leads outside" },
	{ "resources/link.flac", 1, RESFILE_OUTSIDE, NULL, "is a link leading outside" },
	{ "resources/none.flac", 1, RESFILE_MISSING, NULL, NULL },
	{ "nodir/none.flac", 1, RESFILE_MISSING, NULL, NULL },
	{ "http://example.com/a.flac", 1, RESFILE_REMOTE, NULL, NULL },
	{ "s3://bucket/../../etc/passwd", 1, RESFILE_REMOTE, NULL, NULL },
	{ "file://otherhost/a.flac", 1, RESFILE_BAD, NULL, "not a path to a local file" },
	{ "resources", 0, RESFILE_BAD, NULL, "is not a regular file" },
	{ "", 0, RESFILE_BAD, NULL, "not a path" },
};

static void subst(const char *in, const char *real, char *out, size_t size)
{
	const char *at = strchr(in, '@');

	if (!at)
		snprintf(out, size, "%s", in);
	else
		snprintf(out, size, "%.*s%s%s", (int)(at - in), in, real, at + 1);
}

static void test_locate(void **state)
{
	char msg[512], ref[1024], want[1024], why[RESFILE_WHY_MAX];
	char *real = realpath(top, NULL);
	struct resfile_root root;
	struct buf out = BUF_INIT;
	size_t i;

	(void)state;
	assert_non_null(real);
	snprintf(msg, sizeof(msg), "%s/rel/msg.xml", top);
	assert_int_equal(resfile_root_init(&root, msg), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum resfile_status st;

		subst(cases[i].ref, real, ref, sizeof(ref));
		st = resfile_locate(&root, ref, cases[i].uri, &out, why);
		if (st != cases[i].want)
			fail_msg("'%s': status %d, expected %d (%s)", ref, st, cases[i].want, why);
		if (cases[i].found) {
			snprintf(want, sizeof(want), "%s/%s", real, cases[i].found);
			assert_string_equal(out.data, want);
		}
		if (cases[i].why && !strstr(why, cases[i].why))
			fail_msg("'%s': reason '%s' lacks '%s'", ref, why, cases[i].why);
	}
	buf_release(&out);
	resfile_root_release(&root);
	free(real);
}

static void test_message_in_cwd(void **state)
{
	char old[512], why[RESFILE_WHY_MAX], rel[600];
	struct resfile_root root;
	struct buf out = BUF_INIT;

	(void)state;
	assert_non_null(getcwd(old, sizeof(old)));
	snprintf(rel, sizeof(rel), "%s/rel", top);
	assert_int_equal(chdir(rel), 0);
	assert_int_equal(resfile_root_init(&root, "msg.xml"), 0);
	assert_int_equal(resfile_locate(&root, "resources/a.flac", 1, &out, why), RESFILE_OK);
	assert_int_equal(resfile_locate(&root, "../secret", 1, &out, why), RESFILE_OUTSIDE);
	assert_int_equal(resfile_locate(&root, "nodir/x.flac", 1, &out, why), RESFILE_MISSING);
	assert_int_equal(resfile_locate(&root, "nodir/y.flac", 1, &out, why), RESFILE_MISSING);
	assert_non_null(strstr(why, "No such file"));
	assert_int_equal(resfile_locate(&root, "resources/a.flac", 1, &out, why), RESFILE_OK);
	assert_int_equal(chdir(old), 0);
	buf_release(&out);
	resfile_root_release(&root);
}

static void test_md5(void **state)
{
	char path[512], hex[33], why[RESFILE_WHY_MAX];

	(void)state;
	snprintf(path, sizeof(path), "%s/rel/resources/a.flac", top);
	assert_int_equal(resfile_md5(path, hex, why), 0);
	assert_string_equal(hex, "900150983cd24fb0d6963f7d28e17f72");	/* RFC 1321: "abc" */
	snprintf(path, sizeof(path), "%s/rel/resources/a b.flac", top);
	assert_int_equal(resfile_md5(path, hex, why), 0);
	assert_string_equal(hex, "d41d8cd98f00b204e9800998ecf8427e");	/* "" */
	snprintf(path, sizeof(path), "%s/rel/resources/link.flac", top);
	assert_int_equal(resfile_md5(path, hex, why), -1);		/* a link is not followed */
	assert_non_null(strstr(why, "cannot open"));
	snprintf(path, sizeof(path), "%s/rel/none", top);
	assert_int_equal(resfile_md5(path, hex, why), -1);
}

static void test_md5_equal(void **state)
{
	static const char hex[33] = "900150983cd24fb0d6963f7d28e17f72";

	(void)state;
	assert_int_equal(resfile_md5_equal("900150983cd24fb0d6963f7d28e17f72", hex), 1);
	assert_int_equal(resfile_md5_equal(" 900150983CD24FB0D6963F7D28E17F72\n", hex), 1);
	assert_int_equal(resfile_md5_equal("900150983cd24fb0d6963f7d28e17f73", hex), 0);
	assert_int_equal(resfile_md5_equal("900150983cd24fb0d6963f7d28e17f7", hex), -1);
	assert_int_equal(resfile_md5_equal("900150983cd24fb0d6963f7d28e17f722", hex), -1);
	assert_int_equal(resfile_md5_equal("kAFQmDzST7DWlj99KOF/cg==", hex), -1);
	assert_int_equal(resfile_md5_equal("", hex), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_locate),
		cmocka_unit_test(test_message_in_cwd),
		cmocka_unit_test(test_md5),
		cmocka_unit_test(test_md5_equal),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
