# Helpers for integration tests; sourced by each t_*.sh.
#
#   newdb NAME          fresh database NAME; exports DATABASE_URL for it
#   q SQL               run SQL in $DATABASE_URL, print unaligned rows
#   run CMD...          run, keeping stdout in $OUT, stderr in $ERR, status in $RC
#   expect_rc N DESC    the last run's status was N
#   expect_eq WANT GOT DESC
#   expect_match REGEX FILE DESC / expect_nomatch REGEX FILE DESC
#   hold_lock SECONDS   another session holds blendcat's lock; its pid in $holder
#   snapshot            every row of every meekah table, ids and timestamps
#                       included, as counts and digests
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

q() { psql "$DATABASE_URL" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

run() {
	"$@" >"$OUT" 2>"$ERR"
	RC=$?
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

expect_nomatch() {
	if grep -Eq -- "$1" "$2"; then fail "$3 (unexpected match for /$1/)" "$(head -c 2000 "$2")"; else pass "$3"; fi
}

# Another session takes blendcat's advisory lock and keeps it SECONDS;
# returns once the lock is visibly held.  `wait $holder` afterwards.
hold_lock() {
	psql "$DATABASE_URL" -qAtX -c "SELECT pg_advisory_lock(7092155038006731124)" \
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
