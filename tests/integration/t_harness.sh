# The helpers of lib.sh fail when they should: a check of a missing file,
# a database that would not migrate, a skipped check counted as skipped.
# Each helper runs in a subshell against a results file of its own, and
# what it recorded is checked here.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/harness
mkdir -p "$W"

printf 'one line\n' >"$W/file"
expect_eq "pass=1" "$(recorded expect_nomatch 'other' "$W/file" "x")" \
	"expect_nomatch passes on a file without the pattern"
expect_eq "fail=1" "$(recorded expect_nomatch 'one' "$W/file" "x")" \
	"expect_nomatch fails on a file with the pattern"
expect_eq "fail=1" "$(recorded expect_nomatch 'anything' "$W/no-such-file" "x")" \
	"expect_nomatch fails when the file is missing"
expect_eq "fail=1" "$(recorded expect_match 'anything' "$W/no-such-file" "x")" \
	"expect_match fails when the file is missing"
expect_eq "pass=1" "$(recorded expect_absent "$W/no-such-file" "x")" "expect_absent passes on a missing file"
expect_eq "fail=1" "$(recorded expect_absent "$W/file" "x")" "expect_absent fails on a file that is there"

# freshdb: a database that will not migrate is a failed check, and says so.
expect_eq "" "$(recorded freshdb harness_ok)" "freshdb of a fine database records nothing"
expect_eq "ok" "$(DATABASE_URL=${PG_URL_BASE/\/blendtune\?//harness_ok?} \
	q "SELECT 'ok' FROM public.schema_migrations WHERE version = 1")" "freshdb leaves a migrated database"
expect_eq "fail=1" "$(BLENDCAT=false recorded freshdb harness_bad)" \
	"freshdb records a failure when migrate up fails"

# with_shared: the checks of a function are counted, skipped or run.
three_checks() {
	pass "a"
	expect_eq 1 1 "b"
	[ 1 = 1 ] && pass "c"
}
expect_eq "pass=3" "$(SHARED=$W recorded with_shared file three_checks)" "with_shared runs the function when the path is there"
expect_eq "skip=3" "$(SHARED=$W CI= recorded with_shared no-such three_checks)" \
	"without the path, its 3 checks are counted as skipped"
expect_eq "fail=1" "$(SHARED=$W CI=true recorded with_shared no-such three_checks)" \
	"with CI=true a missing path is a failure, not a skip"
