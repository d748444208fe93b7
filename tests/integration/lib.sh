# Helpers for integration tests; sourced by each t_*.sh.
#
#   newdb NAME          fresh database NAME; exports DATABASE_URL for it
#   q SQL               run SQL in $DATABASE_URL, print unaligned rows
#   run CMD...          run, keeping stdout in $OUT, stderr in $ERR, status in $RC
#   expect_rc N DESC    the last run's status was N
#   expect_eq WANT GOT DESC
#   expect_match REGEX FILE DESC / expect_nomatch REGEX FILE DESC (FILE must exist)
#   expect_absent PATH DESC
#   freshdb NAME        newdb NAME, then migrate up, checked
#   recorded CMD...     run CMD (a check, or a function of checks) in a
#                       subshell and print what it recorded: "fail=1 pass=3"
#   hold_lock SECONDS   another session holds blendcat's lock; its pid in $holder
#   snapshot            every row of every meekah table, ids and timestamps
#                       included, as counts and digests
#   with_shared PATH FUNC [CALLED...]
#                       run FUNC, checks that need $SHARED/PATH (the corpus
#                       and tools beside the checkout, which users never
#                       have); without it count FUNC's checks as skipped,
#                       and with CI=true fail instead
#   shared_or_skip PATH run at the top of a file whose every check needs
#                       $SHARED/PATH: without it, count them skipped and
#                       end the file
set -u

OUT=$IT_TMP/out.$$
ERR=$IT_TMP/err.$$
RC=0
PG_URL_BASE=$("$TOP/scripts/pg-local" env "$IT_PG" | sed "s/^export DATABASE_URL='//; s/'\$//")

pass() { echo "ok - $1"; echo pass >>"$IT_RESULTS"; }
fail() {
	echo "not ok - $1"
	[ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/#   /'
	echo fail >>"$IT_RESULTS"
}

newdb() {
	local name=$1
	psql "$PG_URL_BASE" -qAtX -v ON_ERROR_STOP=1 \
		-c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null ||
		{ fail "create database $name"; return 1; }
	export DATABASE_URL=${PG_URL_BASE/\/blendtune\?//$name?}
}

# A fresh database with every migration applied; a failure is a failed check.
freshdb() {
	newdb "$1" || return 1
	if ! "$BLENDCAT" migrate up -q >"$IT_TMP/freshdb.out" 2>&1; then
		fail "migrate up of database $1" "$(head -c 2000 "$IT_TMP/freshdb.out")"
		return 1
	fi
}

q() { psql "$DATABASE_URL" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

run() {
	"$@" >"$OUT" 2>"$ERR"
	RC=$?
}

recorded() {
	local res=$IT_TMP/recorded.$$
	: >"$res"
	(IT_RESULTS=$res; "$@") >"$res.said" 2>&1
	sort "$res" | cut -d' ' -f1 | uniq -c | awk '{printf "%s%s=%s", sep, $2, $1; sep=" "}'
	rm -f "$res" "$res.said"
}

# Record N skipped checks and why.
skip() {
	local i
	for ((i = 0; i < $1; i++)); do echo "skip $2" >>"$IT_RESULTS"; done
	echo "skip - $1 checks: $2"
}

# The checks in a piece of shell text: each call of expect_* or pass.
count_checks() {
	grep -oE '(^|[[:space:];&|(])(expect_[a-z_]+|pass)[[:space:]]' | wc -l
}

# Without $SHARED/PATH, skip N checks (or fail, with CI=true); true when
# PATH is there.
have_shared() {
	local what=$1 n=$2 why
	[ -e "$SHARED/$what" ] && return 0
	why="no $SHARED/$what"
	if [ "${CI:-}" = true ]; then
		fail "$n checks need $SHARED/$what (CI=true: the corpus must be there)"
	else
		skip "$n" "$why"
	fi
	return 1
}

with_shared() {
	local what=$1 fn=$2 n
	# The checks FUNC makes itself, and those of the functions it names as $3...
	n=$(declare -f "$fn" "${@:3}" | count_checks)
	[ "$n" -gt 0 ] || n=1
	if have_shared "$what" "$n"; then "$fn"; fi
}

shared_or_skip() {
	local n
	n=$(count_checks <"$0")
	have_shared "$1" "$n" || exit 0
}

last_output() { printf -- '--- stdout:\n%s\n--- stderr:\n%s' "$(head -c 2000 "$OUT")" "$(head -c 2000 "$ERR")"; }

expect_rc() {
	if [ "$RC" -eq "$1" ]; then pass "$2"; else fail "$2 (exit $RC, expected $1)" "$(last_output)"; fi
}

expect_eq() {
	if [ "$1" == "$2" ]; then pass "$3"; else fail "$3" "$(printf 'expected: %s\n     got: %s' "$1" "$2")"; fi
}

expect_match() {
	if grep -Eq -- "$1" "$2"; then pass "$3"; else fail "$3 (no match for /$1/)" "$(head -c 2000 "$2")"; fi
}

# A file that is not there matches nothing, but it is not what the check
# meant to read: it fails (expect_absent says a file must not exist).
expect_nomatch() {
	if [ ! -f "$2" ]; then
		fail "$3 (no file $2)"
	elif grep -Eq -- "$1" "$2"; then
		fail "$3 (unexpected match for /$1/)" "$(head -c 2000 "$2")"
	else
		pass "$3"
	fi
}

expect_absent() {
	if [ -e "$1" ]; then fail "$2 ($1 exists)" "$(head -c 2000 "$1" 2>/dev/null)"; else pass "$2"; fi
}

# Another session takes blendcat's advisory lock and keeps it SECONDS;
# returns once the lock is visibly held.  `wait $holder` afterwards.
hold_lock() {
	local key
	key=$(sed -n 's/^#define DB_LOCK_KEY "\([0-9]*\)"$/\1/p' "$TOP/src/db.c")
	[ -n "$key" ] || { fail "the lock key is read from src/db.c"; return 1; }
	psql "$DATABASE_URL" -qAtX -c "SELECT pg_advisory_lock($key)" \
		-c "SELECT pg_sleep($1)" >/dev/null &
	holder=$!
	for _ in $(seq 50); do
		[ "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")" = 1 ] && return
		sleep 0.1
	done
}

# Every row of every meekah table, ids and timestamps included.
snapshot() {
	local t out=""
	for t in $(q "SELECT tablename FROM pg_tables WHERE schemaname = 'meekah' ORDER BY 1"); do
		out+="$t:$(q "SELECT count(*) || ':' || md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), ''))
		              FROM meekah.$t x") "
	done
	echo "$out"
}
