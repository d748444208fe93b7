# Credentials and private files: a password given in the connection
# string is never printed, written to a report or rejects, or stored in
# ingest.run, whatever the command and however it ends; the report and
# the rejects (which may hold contact data) are mode 0600, in a 0700
# directory, even when the files existed before with another mode.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/secrets
PW='Pa55-xyzzy-0b5cure'
mkdir -p "$W/in" "$W/trig"
cat >"$W/in/tracks.csv" <<'CSV'
audio_filename,title,duration
s1.mp3,One,100
s2.mp3,Two,fast
CSV
cat >"$W/in/creators.csv" <<'CSV'
audio_filename,creator_name,role,contact_email,contact_phone
s1.mp3,Ann,composer,ann@example.com,+1 555 0100
s2.mp3,Bob,composer,bob@example.com,+1 555 0101
CSV

freshdb secrets
host=$(printf '%s' "$DATABASE_URL" | sed -E 's/.*host=([^&]*).*/\1/')
uri="postgresql://postgres:$PW@/secrets?host=$host&port=5432"
kv="host=$host port=5432 dbname=secrets user=postgres password=$PW"

# Everything a run leaves behind that could hold the password.
leaks() {
	{
		cat "$OUT" "$ERR"
		[ -d "$1" ] && cat "$1"/* 2>/dev/null
		[ -f "$2" ] && cat "$2"
		q "SELECT x::text FROM ingest.run x"
	} | grep -c -- "$PW"
}

umask 000
printf '{}\n' >"$W/old-report.json"
chmod 644 "$W/old-report.json"
mkdir -p "$W/rej-old"
printf 'old\n' >"$W/rej-old/rejects.log"
chmod 644 "$W/rej-old/rejects.log"

for how in uri kv; do
	db=${!how}
	run "$BLENDCAT" import --db "$db" --rejects "$W/rej-$how" --report "$W/report-$how.json" "$W/in"
	expect_rc 1 "import with a password in the $how: exit 1 (one reject)"
	expect_eq 0 "$(leaks "$W/rej-$how" "$W/report-$how.json")" \
		"import with a password in the $how: not in the output, report, rejects or ingest.run"
	expect_eq "600 700 600 600" "$(stat -c %a "$W/report-$how.json" "$W/rej-$how" \
	                             "$W/rej-$how/rejects.log" "$W/rej-$how/creators.csv" | xargs)" \
		"import ($how, umask 000): the report and rejects are 0600 in a 0700 directory"
done
expect_match "bob@example.com" "$W/rej-uri/creators.csv" "the rejects hold contact data (so they must be private)"

run "$BLENDCAT" import --db "$uri" --rejects "$W/rej-old" --report "$W/old-report.json" "$W/in"
expect_eq "600 600" "$(stat -c %a "$W/old-report.json" "$W/rej-old/rejects.log" | xargs)" \
	"a report and rejects.log that existed with mode 644 are made 0600"
mkdir -p "$W/exp-old"
printf 'old\n' >"$W/exp-old/creators.csv"
chmod 644 "$W/exp-old/creators.csv"
run "$BLENDCAT" export --db "$uri" --format csv --out "$W/exp-old"
expect_rc 0 "export over an earlier export: exit 0"
expect_eq "600 600" "$(stat -c %a "$W/exp-old/creators.csv" "$W/exp-old/tracks.csv" | xargs)" \
	"an export's creators.csv that existed with mode 644 is made 0600"
umask 022

# Failures: a database that does not exist, a database error mid-run, the lock.
for db in "postgresql://postgres:$PW@/nosuchdb?host=$host&port=5432" \
	  "host=$host port=5432 dbname=nosuchdb user=postgres password=$PW" \
	  "postgresql://nosuchuser:$PW@/secrets?host=$host&port=5432"; do
	run "$BLENDCAT" import --db "$db" --report "$W/r-fail.json" "$W/in"
	expect_rc 3 "connection refused by the server: exit 3"
	expect_eq 0 "$(leaks "" "$W/r-fail.json")" "connection refused by the server: no password anywhere"
done
q "CREATE FUNCTION public.refuse() RETURNS trigger LANGUAGE plpgsql AS
   \$\$ BEGIN RAISE EXCEPTION 'refused'; END \$\$"
q "CREATE TRIGGER refuse BEFORE INSERT ON meekah.track_creator FOR EACH ROW EXECUTE FUNCTION public.refuse()"
printf 'audio_filename,title,duration\nt1.mp3,T,100\n' >"$W/trig/tracks.csv"
printf 'audio_filename,creator_name,role\nt1.mp3,Tom,composer\n' >"$W/trig/creators.csv"
run "$BLENDCAT" import --db "$uri" --report "$W/r-trig.json" "$W/trig"
expect_rc 3 "a database error mid-run: exit 3"
expect_eq 0 "$(leaks "" "$W/r-trig.json")" "a database error mid-run: no password anywhere"
q "DROP TRIGGER refuse ON meekah.track_creator"
hold_lock 3
run "$BLENDCAT" import --db "$uri" "$W/trig"
expect_rc 75 "locked out: exit 75"
expect_eq 0 "$(leaks "" "")" "locked out: no password in the message"
wait "$holder"

# The other commands.
for cmd in "migrate status" "export --format jsonl --out -" "maintain --dry-run" "check"; do
	args=()
	[ "$cmd" = check ] && args=(--rejects "$W/rej-check" "$W/in")
	run "$BLENDCAT" $cmd --db "$uri" "${args[@]}"
	expect_eq 0 "$(leaks "$W/rej-check" "")" "$cmd with a password in the URL: not printed"
	run env DATABASE_URL="${uri/secrets/nosuchdb}" "$BLENDCAT" $cmd "${args[@]}"
	expect_match "nosuchdb" "$ERR" "$cmd, failing, password in DATABASE_URL: the database is named"
	expect_eq 0 "$(leaks "" "")" "$cmd, failing, password in DATABASE_URL: not printed"
done

rm -f "$OUT" "$ERR"
