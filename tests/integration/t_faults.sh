# Faults during a load: blendcat killed (kill -9) mid-COPY, mid-merge and
# before COMMIT; the server stopped (immediate) mid-run; SIGINT and SIGTERM;
# the rejects directory unwritable.  Every time the catalog holds exactly
# what it held before, the exit code and message say so, and a re-run
# completes the job (the catalog then equals a clean load of the same input).
#
# BLENDCAT_STOP_AT=copy|merge|commit makes blendcat stop itself (SIGSTOP)
# at that step of the load (db.h), so each fault hits a known point.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/faults
mkdir -p "$W"
if ! "$TOP/scripts/gen-catalog" -n 400 -o "$W/gen" --seed 5 -q; then
	fail "gen-catalog made a catalog"
	exit 0
fi
rm -f "$W/gen"/*.copy "$W/gen/copy-columns.txt" "$W/gen/expected-rejects.csv"
BIN=$(readlink -f "$BLENDCAT")
PGBIN=$(pg_config --bindir 2>/dev/null)
[ -x "$PGBIN/pg_ctl" ] || PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
# As scripts/pg-local does: as root, the server belongs to postgres.
if [ "$(id -u)" = 0 ]; then as_server=(runuser -u postgres --); else as_server=(); fi


# The catalog's content, without the ids and timestamps a load makes.
content() {
	local t out
	out=$(q "SELECT md5(string_agg((to_jsonb(x) - 'id' - 'created_at' - 'updated_at')::text, ','
	                 ORDER BY x.audio_filename)) FROM meekah.track_info x")
	for t in track_creator track_instrument track_arrangement track_sample; do
		out+=" $(q "SELECT count(*) || ':' || md5(coalesce(string_agg(v, ',' ORDER BY v), ''))
		            FROM (SELECT (to_jsonb(c) - 'id' - 'track_id' - 'created_at' - 'updated_at'
		                  || jsonb_build_object('track', t.audio_filename))::text AS v
		                  FROM meekah.$t c JOIN meekah.track_info t ON t.id = c.track_id) y")"
	done
	echo "$out"
}

# A fresh database with the sample catalog in it (so the load updates).
fresh() {
	freshdb "$1" || return 1
	"$BLENDCAT" import -q --rejects "$W/rej-base" "$TOP/samples/catalog" >/dev/null 2>&1
}

# Start an import that stops itself at point $1; its pid in $pid.
start_stopped() {
	BLENDCAT_STOP_AT=$1 "$BIN" import --no-progress --rejects "$W/rej-$1-$RANDOM" "$W/gen" \
		>"$OUT" 2>"$ERR" &
	pid=$!
	for _ in $(seq 600); do
		case "$(ps -o stat= -p "$pid" 2>/dev/null)" in
		T*) return 0 ;;
		"") return 1 ;;
		esac
		sleep 0.1
	done
	return 1
}

# Wait for $pid, its status in $RC.
reap() {
	wait "$pid"
	RC=$?
}

# The server noticed the lost client: no blendcat session, no lock.
sessions_gone() {
	for _ in $(seq 100); do
		[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'blendcat'")" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

# The reference: the same input loaded without a fault.
fresh faults_ref
run "$BLENDCAT" import --rejects "$W/rej-ref" "$W/gen"
expect_rc 0 "reference load: exit 0"
want=$(content)

# kill -9 at each point of the load.
for point in copy merge commit; do
	fresh "faults_kill_$point"
	before=$(snapshot)
	if start_stopped $point; then
		pass "kill -9 $point: blendcat stopped at the point"
	else
		fail "kill -9 $point: blendcat stopped at the point" "$(cat "$ERR")"
	fi
	kill -9 "$pid"
	reap
	expect_eq 137 "$RC" "kill -9 $point: killed"
	sessions_gone && pass "kill -9 $point: the server let the session go" ||
		fail "kill -9 $point: the server let the session go"
	expect_eq "$before" "$(snapshot)" "kill -9 $point: the catalog is exactly as before"
	expect_eq running "$(q "SELECT status FROM ingest.run ORDER BY id DESC LIMIT 1")" \
		"kill -9 $point: its run is left 'running'"
	run "$BLENDCAT" import --rejects "$W/rej-rerun-$point" "$W/gen"
	expect_rc 0 "kill -9 $point: the re-run loads, exit 0"
	expect_match "1 earlier import ended without recording its end; marked interrupted" "$ERR" \
		"kill -9 $point: the re-run says the killed run ended"
	expect_eq "interrupted ok" "$(q "SELECT string_agg(status, ' ' ORDER BY id) FROM
	                                  (SELECT id, status FROM ingest.run ORDER BY id DESC LIMIT 2) x")" \
		"kill -9 $point: ingest.run: the killed run interrupted, the re-run ok"
	expect_eq "$want" "$(content)" "kill -9 $point: after the re-run the catalog equals a clean load"
done

# kill -9 mid-merge into an empty catalog (the bulk path drops and rebuilds indexes).
freshdb faults_bulk
before=$(snapshot)
indexes=$(q "SELECT string_agg(indexrelid::regclass::text, ' ' ORDER BY 1) FROM pg_index i
             JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'meekah'")
start_stopped merge || fail "bulk: blendcat stopped mid-merge" "$(cat "$ERR")"
kill -9 "$pid"
reap
sessions_gone
expect_eq "$before" "$(snapshot)" "kill -9 mid-merge of a bulk load: the catalog is still empty"
expect_eq "$indexes" "$(q "SELECT string_agg(indexrelid::regclass::text, ' ' ORDER BY 1) FROM pg_index i
             JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'meekah'")" "kill -9 mid-merge of a bulk load: every index is still there"

# The server stopped (immediate shutdown: no clean end) mid-COPY and mid-merge.
for point in copy merge; do
	fresh "faults_server_$point"
	before=$(snapshot)
	start_stopped $point || fail "server stop $point: blendcat stopped at the point" "$(cat "$ERR")"
	"${as_server[@]}" "$PGBIN/pg_ctl" -D "$IT_PG/data" -m immediate -w stop >/dev/null 2>&1
	kill -CONT "$pid"
	reap
	expect_eq 3 "$RC" "server stopped $point: exit 3"
	expect_match "server closed the connection unexpectedly|connection" "$ERR" \
		"server stopped $point: the lost connection is named"
	expect_match "nothing was loaded: the run was rolled back" "$ERR" \
		"server stopped $point: says nothing was loaded"
	PG_LOCAL_FAST=1 "$TOP/scripts/pg-local" start "$IT_PG" >/dev/null 2>&1 ||
		fail "server stopped $point: the server starts again"
	expect_eq "$before" "$(snapshot)" "server stopped $point: the catalog is exactly as before"
	run "$BLENDCAT" import --rejects "$W/rej-srv-$point" "$W/gen"
	expect_rc 0 "server stopped $point: the re-run loads, exit 0"
	expect_eq "$want" "$(content)" "server stopped $point: after the re-run the catalog equals a clean load"
done

# SIGTERM and SIGINT at a step (stopped there, then the signal, then continued).
for case in "TERM copy 143" "INT merge 130" "TERM commit 143"; do
	set -- $case
	fresh "faults_sig_$2"
	before=$(snapshot)
	start_stopped "$2" || fail "SIG$1 at $2: blendcat stopped at the point" "$(cat "$ERR")"
	kill -"$1" "$pid"
	kill -CONT "$pid"
	reap
	expect_eq "$3" "$RC" "SIG$1 at $2: exit $3"
	expect_match "^blendcat: error: interrupted by SIG$1$" "$ERR" "SIG$1 at $2: says it was interrupted"
	expect_match "nothing was loaded: the run was rolled back" "$ERR" "SIG$1 at $2: says nothing was loaded"
	expect_eq "$before" "$(snapshot)" "SIG$1 at $2: the catalog is exactly as before"
	expect_eq "interrupted|$3|interrupted by SIG$1" \
		"$(q "SELECT status, exit_code, error FROM ingest.run ORDER BY id DESC LIMIT 1")" \
		"SIG$1 at $2: ingest.run records the interrupted run"
	run "$BLENDCAT" import --rejects "$W/rej-sig-$2" "$W/gen"
	expect_rc 0 "SIG$1 at $2: the re-run loads, exit 0"
	expect_eq "$want" "$(content)" "SIG$1 at $2: after the re-run the catalog equals a clean load"
done

# SIGINT while a query runs: it is cancelled, not waited for.
fresh faults_cancel
before=$(snapshot)
q "CREATE FUNCTION public.slow() RETURNS trigger LANGUAGE plpgsql AS
   \$\$ BEGIN PERFORM pg_sleep(600); RETURN NULL; END \$\$"
q "CREATE TRIGGER slow AFTER INSERT ON meekah.track_creator FOR EACH STATEMENT EXECUTE FUNCTION public.slow()"
"$BIN" import --no-progress --rejects "$W/rej-cancel" "$W/gen" >"$OUT" 2>"$ERR" &
pid=$!
for _ in $(seq 600); do
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'blendcat'
	        AND wait_event = 'PgSleep'")" = 1 ] && break
	sleep 0.1
done
kill -INT "$pid"
reap
expect_eq 130 "$RC" "SIGINT during a query: exit 130"
expect_match "canceling statement due to user request" "$ERR" "SIGINT during a query: the query was cancelled"
expect_match "^blendcat: error: interrupted by SIGINT$" "$ERR" "SIGINT during a query: says it was interrupted"
expect_eq "$before" "$(snapshot)" "SIGINT during a query: the catalog is exactly as before"
expect_eq "interrupted|130" "$(q "SELECT status, exit_code FROM ingest.run ORDER BY id DESC LIMIT 1")" \
	"SIGINT during a query: ingest.run records it"
q "DROP TRIGGER slow ON meekah.track_creator"
run "$BLENDCAT" import --rejects "$W/rej-cancel2" "$W/gen"
expect_rc 0 "SIGINT during a query: the re-run loads, exit 0"
expect_eq "$want" "$(content)" "SIGINT during a query: after the re-run the catalog equals a clean load"

# The rejects directory cannot be made, or its files cannot be written.
mkdir -p "$W/bad"
cp "$W"/gen/*.csv "$W/bad/"
printf 'bad-one.mp3,Bad,Ann,180,fast,C,major,,,,,,,,,\n' >>"$W/bad/tracks.csv"
: >"$W/not-a-dir"
mkdir -p "$W/full"
ln -sf /dev/full "$W/full/rejects.log"
fresh faults_rejects
before=$(snapshot)
for case in "$W/not-a-dir/rej|cannot create rejects directory" \
	    "$W/full|cannot write '$W/full/rejects.log': No space left on device"; do
	dir=${case%%|*}
	run "$BLENDCAT" import --rejects "$dir" "$W/bad"
	expect_rc 3 "rejects unwritable ($dir): exit 3"
	expect_match "$(printf '%s' "${case#*|}" | sed 's/[.[\*^$()+?{|]/\\&/g')" "$ERR" \
		"rejects unwritable ($dir): says why"
	expect_match "nothing was loaded: the run was rolled back" "$ERR" \
		"rejects unwritable ($dir): says nothing was loaded"
	expect_eq "$before" "$(snapshot)" "rejects unwritable ($dir): the catalog is exactly as before"
	expect_eq "failed|3" "$(q "SELECT status, exit_code FROM ingest.run ORDER BY id DESC LIMIT 1")" \
		"rejects unwritable ($dir): ingest.run records the failure"
done
run "$BLENDCAT" import --rejects "$W/rej-ok" "$W/bad"
expect_rc 1 "rejects writable again: the re-run loads, exit 1 (one reject)"
expect_match "bad/tracks.csv:[0-9]+:tempo: 'fast'" "$W/rej-ok/rejects.log" "the reject is written"
expect_eq "$want" "$(content)" "rejects writable again: the catalog equals a clean load"

rm -f "$OUT" "$ERR"
