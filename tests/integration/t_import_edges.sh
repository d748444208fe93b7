# import: database errors, the lock, modes, limits, encodings, check.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/edges
mkdir -p "$W/base" "$W/more"
cat >"$W/base/tracks.csv" <<'CSV'
audio_filename,title,artist,duration,tempo,musical_key,scale
one.mp3,One,Ann,180,120,C,major
two.mp3,Two,Bob,200,90,Am,
three.mp3,Three,Cy,210,100,8A,
CSV
cat >"$W/base/creators.csv" <<'CSV'
audio_filename,creator_name,role,split_percentage
one.mp3,Ann Writer,composer,50
one.mp3,Ann Producer,producer,50
two.mp3,Bob Writer,composer,100
CSV
freshdb edges
run "$BLENDCAT" import -q "$W/base"
expect_rc 0 "base catalog loads: exit 0"

snapshot() {
	q "SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM (
	     SELECT t.*, c.creator_name, c.id AS cid FROM meekah.track_info t
	     LEFT JOIN meekah.track_creator c ON c.track_id = t.id) x"
}
before=$(snapshot)

# A database error in the middle: nothing changes, the row is named.
q "CREATE FUNCTION public.refuse() RETURNS trigger LANGUAGE plpgsql AS
   \$\$ BEGIN IF NEW.creator_name = 'Mallory' THEN RAISE EXCEPTION 'Mallory is not allowed'; END IF;
   RETURN NEW; END \$\$"
q "CREATE TRIGGER refuse BEFORE INSERT ON meekah.track_creator FOR EACH ROW EXECUTE FUNCTION public.refuse()"
cat >"$W/more/tracks.csv" <<'CSV'
audio_filename,title,duration,tempo
one.mp3,One (remaster),181,121
four.mp3,Four,100,80
five.mp3,Five,100,80
CSV
cat >"$W/more/creators.csv" <<'CSV'
audio_filename,creator_name,role
four.mp3,Alice,composer
five.mp3,Eve,composer
five.mp3,Mallory,producer
CSV
run "$BLENDCAT" import "$W/more"
expect_rc 3 "a trigger error mid-merge: exit 3"
expect_match 'Mallory is not allowed' "$ERR" "the server's message is shown"
expect_match 'failing row is .*more/creators.csv:4 \(track .five.mp3.\)' "$ERR" "the failing row is named by file:line and track"
expect_eq "$before" "$(snapshot)" "the database is exactly as before"
expect_eq "failed|3" "$(q "SELECT status, exit_code FROM ingest.run ORDER BY id DESC LIMIT 1")" \
	"ingest.run records the failed run"

# --atomic file: a transaction per file, tracks first; the failing file alone is rolled back.
run "$BLENDCAT" import --atomic file --rejects "$W/rej-atomic" "$W/more"
expect_rc 1 "--atomic file with a failing file: exit 1 (the others are committed)"
expect_match "more/creators.csv' was not loaded; 1 file before it was committed" "$ERR" \
	"--atomic file: says which file failed and what was committed"
expect_eq "Four|Five" "$(q "SELECT string_agg(title, '|' ORDER BY title DESC) FROM meekah.track_info
                            WHERE audio_filename IN ('four.mp3', 'five.mp3')")" \
	"--atomic file: tracks.csv (read first though named last) is committed"
expect_eq 0 "$(q "SELECT count(*) FROM meekah.track_creator c JOIN meekah.track_info t ON t.id = c.track_id
                  WHERE t.audio_filename IN ('four.mp3', 'five.mp3')")" "--atomic file: creators.csv is rolled back"
q "DROP TRIGGER refuse ON meekah.track_creator"
run "$BLENDCAT" import --atomic sometimes "$W/more"
expect_rc 2 "--atomic sometimes: exit 2"

# The same for the tracks' statements: the update's and the insert's failing row is named.
q "CREATE FUNCTION public.refuse_title() RETURNS trigger LANGUAGE plpgsql AS
   \$\$ BEGIN IF NEW.title = 'Refused' THEN RAISE EXCEPTION 'the title Refused is not allowed'; END IF;
   RETURN NEW; END \$\$"
q "CREATE TRIGGER refuse_title BEFORE INSERT OR UPDATE ON meekah.track_info
   FOR EACH ROW EXECUTE FUNCTION public.refuse_title()"
printf 'audio_filename,title\none.mp3,Uno\ntwo.mp3,Refused\nthree.mp3,Tres\n' >"$W/upd.csv"
run "$BLENDCAT" import "$W/upd.csv"
expect_rc 3 "a trigger error in the tracks' update: exit 3"
expect_match 'failing row is .*upd.csv:3 \(track .two.mp3.\)' "$ERR" "the update's failing row is named"
printf 'audio_filename,title,duration\nseven.mp3,Seven,100\neight.mp3,Refused,100\n' >"$W/new.csv"
run "$BLENDCAT" import "$W/new.csv"
expect_rc 3 "a trigger error in the tracks' insert: exit 3"
expect_match 'failing row is .*new.csv:3 \(track .eight.mp3.\)' "$ERR" "the insert's failing row is named"
q "DROP TRIGGER refuse_title ON meekah.track_info"
before=$(snapshot)

# Another import holds the lock: exit 75; --wait queues.
hold_lock 3
run "$BLENDCAT" import "$W/more"
expect_rc 75 "a second concurrent import: exit 75"
expect_match 'another blendcat run holds the lock' "$ERR" "a second concurrent import: says so"
expect_eq "$before" "$(snapshot)" "the locked-out import changed nothing"
run "$BLENDCAT" import --wait --rejects "$W/rej-wait" "$W/more"
expect_rc 0 "--wait: waits for the lock, then loads"
wait $holder
expect_eq "One (remaster)|181" "$(q "SELECT title, duration FROM meekah.track_info WHERE audio_filename = 'one.mp3'")" \
	"the update landed"
expect_eq "Ann Writer" "$(q "SELECT string_agg(creator_name, ',') FROM meekah.track_creator c
                             JOIN meekah.track_info t ON t.id = c.track_id
                             WHERE t.audio_filename = 'one.mp3' AND creator_name = 'Ann Writer'")" \
	"creators of a track not in creators.csv are left alone"

# --mode insert rejects tracks that exist.
printf 'audio_filename,title,duration\none.mp3,Again,100\nsix.mp3,Six,100\n' >"$W/ins.csv"
run "$BLENDCAT" import --mode insert --rejects "$W/rej-ins" "$W/ins.csv"
expect_rc 1 "--mode insert with an existing track: exit 1"
expect_match "ins.csv:2:audio_filename: 'one.mp3': the track is already in the catalog" "$W/rej-ins/rejects.log" \
	"--mode insert: the existing track is rejected"
expect_eq "Six" "$(q "SELECT title FROM meekah.track_info WHERE audio_filename = 'six.mp3'")" "--mode insert: the new one loads"

# --max-rejects: too many rejects fail the run whole.
before=$(snapshot)
printf 'audio_filename,title,duration,tempo\nseven.mp3,Seven,100,fast\neight.mp3,Eight,100,slow\nnine.mp3,Nine,100,90\n' >"$W/max.csv"
run "$BLENDCAT" import --max-rejects 1 --rejects "$W/rej-max" "$W/max.csv"
expect_rc 3 "--max-rejects 1 with 2 rejects: exit 3"
expect_match '2 rows rejected, more than --max-rejects 1' "$ERR" "--max-rejects: says why"
expect_eq "$before" "$(snapshot)" "--max-rejects: nothing loaded"
run "$BLENDCAT" import --max-rejects 2 --rejects "$W/rej-max2" "$W/max.csv"
expect_rc 1 "--max-rejects 2 with 2 rejects: exit 1"

# Latin-1 input with --encoding; without it, the bad bytes are named.
printf 'audio_filename,title,duration\ncafe.mp3,Caf\xe9 del Mar,100\n' >"$W/latin1.csv"
run "$BLENDCAT" import --rejects "$W/rej-enc" "$W/latin1.csv"
expect_rc 1 "Latin-1 without --encoding: exit 1"
expect_match 'latin1.csv:2: .*invalid UTF-8.* byte 13 of line 2' "$W/rej-enc/rejects.log" "invalid UTF-8: line and byte named"
cmp -s <(tail -n +2 "$W/rej-enc/latin1.csv") <(tail -n +2 "$W/latin1.csv") &&
	pass "invalid UTF-8: the row is in the rejects byte for byte" ||
	fail "invalid UTF-8: the row is in the rejects byte for byte"
run "$BLENDCAT" import --encoding LATIN1 "$W/latin1.csv"
expect_rc 0 "--encoding LATIN1: exit 0"
expect_eq "Café del Mar" "$(q "SELECT title FROM meekah.track_info WHERE audio_filename = 'cafe.mp3'")" \
	"--encoding LATIN1: stored as UTF-8"
run "$BLENDCAT" import --encoding NOPE-42 "$W/latin1.csv"
expect_match "unknown encoding 'NOPE-42'" "$ERR" "an unknown encoding is named"

# Malformed rows: wrong field count, NUL byte; the rest of the file loads.
printf 'audio_filename,title,duration\nten.mp3,Ten\neleven.mp3,Ele\0ven,100\ntwelve.mp3,Twelve,100\n' >"$W/bad.csv"
run "$BLENDCAT" import --rejects "$W/rej-bad" "$W/bad.csv"
expect_rc 1 "malformed rows: exit 1"
expect_match 'bad.csv:2: expected 3 fields as in the header, got 2' "$W/rej-bad/rejects.log" "wrong field count: line named"
expect_match 'bad.csv:3: .*NUL' "$W/rej-bad/rejects.log" "NUL byte: line named"
expect_eq "Twelve" "$(q "SELECT title FROM meekah.track_info WHERE audio_filename = 'twelve.mp3'")" "the good row loads"

# A file the importer cannot use: reported, the others load.
mkdir -p "$W/nofile"
printf 'title,tempo\nNo File,120\n' >"$W/nofile/x.csv"
printf 'audio_filename,title,duration\nthirteen.mp3,Thirteen,100\n' >"$W/nofile/tracks.csv"
run "$BLENDCAT" import --rejects "$W/rej-nofile" "$W/nofile"
expect_rc 1 "a file without audio_filename: exit 1"
expect_match "x.csv:1: no audio_filename column" "$ERR" "a file without audio_filename: named"
expect_eq "Thirteen" "$(q "SELECT title FROM meekah.track_info WHERE audio_filename = 'thirteen.mp3'")" \
	"a file without audio_filename: the other file loads"

# The same track twice in one run: both rows go, with the first one named.
mkdir -p "$W/dups"
printf 'audio_filename,title,duration\ndup.mp3,Dup A,100\nsolo.mp3,Solo,100\n' >"$W/dups/a.csv"
printf 'audio_filename,title,duration\ndup.mp3,Dup B,100\n' >"$W/dups/b.csv"
run "$BLENDCAT" import --rejects "$W/rej-dups" "$W/dups"
expect_rc 1 "a track twice in a run: exit 1"
expect_match "b.csv:2:audio_filename: 'dup.mp3': the track appears 2 times in this run; first at .*a.csv:2" \
	"$W/rej-dups/rejects.log" "a track twice: the second names the first"
expect_eq "0 1" "$(q "SELECT count(*) FILTER (WHERE audio_filename = 'dup.mp3'),
                     count(*) FILTER (WHERE audio_filename = 'solo.mp3') FROM meekah.track_info" | tr '|' ' ')" \
	"a track twice: neither copy loads, the other track does"

# Files that are neither manifests, DDEX messages nor audio: skipped, and said so.
mkdir -p "$W/mixed/sub"
printf 'audio_filename,title,duration\nmixed.mp3,Mixed,100\n' >"$W/mixed/sub/tracks.csv"
printf 'not a manifest\n' >"$W/mixed/notes.txt"
printf '<?xml version="1.0"?>\n<BatchComplete/>\n' >"$W/mixed/BatchComplete_1.xml"
run "$BLENDCAT" import "$W/mixed"
expect_rc 0 "a directory with other files: the CSV below it loads"
expect_match "2 files in the directories given are not a manifest, a DDEX message or audio, and were skipped" \
	"$ERR" "the skipped files are counted"
expect_eq "Mixed" "$(q "SELECT title FROM meekah.track_info WHERE audio_filename = 'mixed.mp3'")" \
	"the manifest below loads"

# The order inputs are read in: the paths given, and below a directory each
# directory's entries by name, bytewise, a directory's files at its own
# name's place ('a/x.mp3' before 'a b.mp3' and 'a.mp3', which a sort of
# whole paths would put first).  Zero-byte audio files are rejected as they
# are read, so rejects.log lists them in that order; the sheet in between
# is read at its place too.  The same for import, check and any --jobs.
mkdir -p "$W/order"
(
	cd "$W/order" || exit 1
	e_acute=$(printf 'e\314\201')	# e and a combining acute (NFD)
	mkdir -p a "a b" a0 B a/b a.b x a- "$e_acute"
	for f in a/x.mp3 a.mp3 "a b/y.mp3" a-b.mp3 "a b.mp3" a0/z.mp3 A.mp3 B/w.mp3 \
		"$(printf '\303\251').mp3" e.mp3 a/b/c.mp3 a/b.mp3 a.b/d.mp3 .hidden.mp3 ab.mp3 \
		a_b.mp3 'a~.mp3' x/1.mp3 x.mp3 x-.mp3 a-/q.mp3 "$e_acute/n.mp3" "a/a b.mp3" a/a.mp3 \
		a/a-.mp3 Z.flac z.flac; do
		: >"$f"
	done
	printf 'audio_filename,title,duration\nsheet.mp3,Sheet,-5\n' >"a b/t.csv"
)
order_expected=$(printf '%s\n' A.mp3 B/w.mp3 Z.flac "a/a b.mp3" a/a-.mp3 a/a.mp3 a/b/c.mp3 \
	a/b.mp3 a/x.mp3 "a b/t.csv" "a b/y.mp3" "a b.mp3" a-/q.mp3 a-b.mp3 a.b/d.mp3 a.mp3 \
	a0/z.mp3 a_b.mp3 ab.mp3 'a~.mp3' e.mp3 "$(printf 'e\314\201')/n.mp3" x/1.mp3 x-.mp3 \
	x.mp3 z.flac "$(printf '\303\251').mp3")
order_of() { sed "s|^$W/order/||; s|:.*||" "$1/rejects.log" | uniq; }
for how in "import --jobs 1" "import --jobs 3" "check --offline --jobs 1" "check --offline --jobs 3"; do
	# shellcheck disable=SC2086
	run "$BLENDCAT" $how --rejects "$W/rej-order" "$W/order"
	expect_eq "$order_expected" "$(order_of "$W/rej-order")" \
		"$how: inputs are read in the order of each directory's names"
	rm -rf "$W/rej-order"
done

# A creator row for a track that exists nowhere.
printf 'audio_filename,creator_name\nghost.mp3,Casper\n' >"$W/ghost.csv"
run "$BLENDCAT" import --rejects "$W/rej-ghost" "$W/ghost.csv"
expect_rc 1 "a child of an unknown track: exit 1"
expect_match "ghost.csv:2:audio_filename: 'ghost.mp3': no such track" "$W/rej-ghost/rejects.log" "a child of an unknown track: said"

# Sections against each other and against the catalog's duration (one.mp3 is 181 s now).
cat >"$W/arr.csv" <<'CSV'
audio_filename,section_name,start_time,end_time
two.mp3,intro,0,30
two.mp3,verse,20,60
one.mp3,intro,0,100
one.mp3,outro,100,190
one.mp3,bridge,90,200
CSV
run "$BLENDCAT" import --rejects "$W/rej-arr" "$W/arr.csv"
expect_rc 1 "overlapping and too long sections: exit 1"
expect_match "arr.csv:3:start_time: '20': section 'verse' \(20-60 s\) overlaps an earlier section that ends at 30 s" \
	"$W/rej-arr/rejects.log" "an overlapping section is named with the one it overlaps"
expect_match "arr.csv:5:end_time: '190': section ends at 190 s, after the track's end at 181 s" \
	"$W/rej-arr/rejects.log" "a section past the catalog's duration is named"
expect_match "arr.csv:6:end_time: '200': section ends at 200 s, after the track's end at 181 s" \
	"$W/rej-arr/rejects.log" "a section both past the end and overlapping: its end is named"
expect_nomatch "arr.csv:6:start_time" "$W/rej-arr/rejects.log" \
	"a section both past the end and overlapping: one reason, not two"
expect_eq 5 "$(($(wc -l <"$W/rej-arr/arr.csv") - 1))" "both tracks' sections are rejected whole"

# A track's sections in two files, out of order: checked together, by start time.
printf 'audio_filename,section_name,start_time,end_time\ntwo.mp3,intro,0,30\n' >"$W/arr-a.csv"
printf 'audio_filename,section_name,start_time,end_time\ntwo.mp3,chorus,40,80\ntwo.mp3,verse,25,50\n' >"$W/arr-b.csv"
run "$BLENDCAT" import --rejects "$W/rej-arr2" "$W/arr-a.csv" "$W/arr-b.csv"
expect_rc 1 "sections overlapping across files: exit 1"
expect_match "arr-b.csv:3:start_time: '25': section 'verse' \(25-50 s\) overlaps an earlier section that ends at 30 s" \
	"$W/rej-arr2/rejects.log" "a section overlapping one from another file is named"
expect_match "arr-b.csv:2:start_time: '40': section 'chorus' \(40-80 s\) overlaps an earlier section that ends at 50 s" \
	"$W/rej-arr2/rejects.log" "sections are ordered by start time across files"
expect_eq 2 "$(grep -c 'overlaps' "$W/rej-arr2/rejects.log")" "the first section is not said to overlap"

# One track's sections in a row but out of order: ordered by start time.
printf 'audio_filename,section_name,start_time,end_time\ntwo.mp3,chorus,40,80\ntwo.mp3,verse,25,50\ntwo.mp3,intro,0,30\n' \
	>"$W/arr-unsorted.csv"
run "$BLENDCAT" import --rejects "$W/rej-unsorted" "$W/arr-unsorted.csv"
expect_rc 1 "sections in a row, out of order: exit 1"
expect_match "arr-unsorted.csv:3:start_time: '25': section 'verse' \(25-50 s\) overlaps an earlier section that ends at 30 s" \
	"$W/rej-unsorted/rejects.log" "sections in a row are ordered by start time (1)"
expect_match "arr-unsorted.csv:2:start_time: '40': section 'chorus' \(40-80 s\) overlaps an earlier section that ends at 50 s" \
	"$W/rej-unsorted/rejects.log" "sections in a row are ordered by start time (2)"
expect_eq 2 "$(grep -c 'overlaps' "$W/rej-unsorted/rejects.log")" "the earliest section is not said to overlap"

# One file, a track's sections apart (another track's between them): still checked together.
printf 'audio_filename,section_name,start_time,end_time\ntwo.mp3,intro,0,10\none.mp3,intro,0,10\ntwo.mp3,verse,5,20\n' \
	>"$W/arr-apart.csv"
run "$BLENDCAT" import --rejects "$W/rej-apart" "$W/arr-apart.csv"
expect_rc 1 "sections of a track apart in one file: exit 1"
expect_match "arr-apart.csv:4:start_time: '5': section 'verse' \(5-20 s\) overlaps an earlier section that ends at 10 s" \
	"$W/rej-apart/rejects.log" "a track's sections apart in one file are checked together"
expect_nomatch "arr-apart.csv:3:" "$W/rej-apart/rejects.log" "the track between them is not rejected"

# A track with more sections in a row than the client holds at once (64):
# an overlap across that boundary is found all the same.
{
	echo 'audio_filename,section_name,start_time,end_time'
	for i in $(seq 0 69); do echo "two.mp3,verse,$((i * 2)),$((i * 2 + 1))"; done
	echo 'two.mp3,bridge,0,1'
} >"$W/arr-many.csv"
run "$BLENDCAT" import --rejects "$W/rej-many" "$W/arr-many.csv"
expect_rc 1 "71 sections, the last overlapping the first: exit 1"
expect_match "arr-many.csv:72:start_time: '0': section 'bridge' \(0-1 s\) overlaps an earlier section that ends at 1 s" \
	"$W/rej-many/rejects.log" "an overlap 70 rows apart is found"
expect_eq 1 "$(grep -c 'overlaps' "$W/rej-many/rejects.log")" "the other 70 sections do not overlap"

# Long descriptions end a span early (the client holds at most 256 KiB of
# it): an overlap across that boundary is found all the same.
long=$(head -c 100000 /dev/zero | tr '\0' 'x')
{
	echo 'audio_filename,section_name,start_time,end_time,description'
	echo "two.mp3,intro,0,10,$long"
	echo "two.mp3,verse,20,30,$long"
	echo "two.mp3,chorus,40,50,$long"
	echo 'two.mp3,bridge,5,15,short'
} >"$W/arr-long.csv"
run "$BLENDCAT" import --rejects "$W/rej-long" "$W/arr-long.csv"
expect_rc 1 "sections with 100 kB descriptions, the last overlapping the first: exit 1"
expect_match "arr-long.csv:5:start_time: '5': section 'bridge' \(5-15 s\) overlaps an earlier section that ends at 10 s" \
	"$W/rej-long/rejects.log" "an overlap past 256 KiB of sections is found"

# A flat label sheet: creators in numbered column groups become creator rows.
cat >"$W/sheet.csv" <<'CSV'
Track Title,File Name,Length,Composer 1,Composer 1 IPI,Composer 1 Split,Composer 2,Composer 2 PRO,Composer 2 Split,Producer
Sheet One,sheet1.mp3,3:00,Ann Comp,00000000199,60,Bob Comp,bmi,40,Pat Prod
Sheet Two,sheet2.mp3,2:00,Cy Comp,,100%,,,,
Sheet Bad,sheet3.mp3,2:00,Dee Comp,12,50,,,,
CSV
run "$BLENDCAT" import --rejects "$W/rej-sheet" "$W/sheet.csv"
expect_rc 1 "label sheet with creator groups and one bad IPI: exit 1"
expect_eq "Ann Comp:composer:00000000199:60.00 Bob Comp:composer:BMI:40.00 Pat Prod:producer" \
	"$(q "SELECT string_agg(concat_ws(':', creator_name, role, ipi_number, pro, split_percentage), ' '
	      ORDER BY creator_name) FROM meekah.track_creator c JOIN meekah.track_info t ON t.id = c.track_id
	      WHERE t.audio_filename = 'sheet1.mp3'")" "label sheet: three creators with roles, IPI, PRO and splits"
expect_eq "Cy Comp:composer:100.00" \
	"$(q "SELECT string_agg(concat_ws(':', creator_name, role, split_percentage), ' ') FROM meekah.track_creator c
	      JOIN meekah.track_info t ON t.id = c.track_id WHERE t.audio_filename = 'sheet2.mp3'")" \
	"label sheet: empty groups make no creator"
expect_match "sheet.csv:4:composer 1 ipi_number: '12': expected 9 to 11 digits" "$W/rej-sheet/rejects.log" \
	"label sheet: a bad creator field names its group and rejects the row"
expect_eq 0 "$(q "SELECT count(*) FROM meekah.track_info WHERE audio_filename = 'sheet3.mp3'")" \
	"label sheet: the row's track is rejected with it"
expect_eq 2 "$(wc -l <"$W/rej-sheet/sheet.csv")" "label sheet: the rejected row is written once, under its header"

# check: the same reading and validation, no database at all.
run env DATABASE_URL="postgresql:///x?host=$IT_TMP/nowhere" "$BLENDCAT" check --rejects "$W/rej-check" "$W/bad.csv" "$W/max.csv"
expect_rc 1 "check with bad rows: exit 1, no database needed"
expect_match 'checking without the database' "$ERR" "check: an unreachable database is a warning, not an error"
expect_match 'max.csv:2:tempo' "$W/rej-check/rejects.log" "check: the rejects.log names the bad value"
expect_eq 4 "$(($(wc -l <"$W/rej-check/bad.csv") + $(wc -l <"$W/rej-check/max.csv") - 2))" \
	"check: the four bad rows are in the rejects files"
run "$BLENDCAT" check "$W/base"
expect_rc 0 "check of a clean set: exit 0"
mkdir -p "$W/with-empty/empty"
cp "$W/base/"*.csv "$W/with-empty/"
run "$BLENDCAT" check "$W/with-empty"
expect_rc 0 "check of a tree with an empty directory in it: exit 0"

# check with the database: the checks across rows too, and nothing written.
printf 'audio_filename,creator_name,split_percentage\none.mp3,A,70\none.mp3,B,40\n' >"$W/split.csv"
before=$(snapshot)
runs=$(q "SELECT count(*) FROM ingest.run")
run "$BLENDCAT" check --rejects "$W/rej-check2" "$W/split.csv"
expect_rc 1 "check with a database: a split total over 100 is found"
expect_match "split.csv:3:split_percentage: '40.00': the track's splits add up to 110.00%" \
	"$W/rej-check2/rejects.log" "check with a database: the tipping row is named"
expect_eq "$before" "$(snapshot)" "check with a database: nothing changed"
expect_eq "$runs" "$(q "SELECT count(*) FROM ingest.run")" "check with a database: no run recorded"
run "$BLENDCAT" check --offline "$W/split.csv"
expect_rc 0 "check --offline: row checks only, the split total is not seen"

# Into an empty catalog (the bulk path): children reach their track by the
# id their rows carry.  A track the reader rejects takes its rows in other
# files with it, said as such; a row naming no track is said as unknown.
mkdir -p "$W/bulk"
cat >"$W/bulk/tracks.csv" <<'CSV'
audio_filename,title,artist,duration
a.mp3,A,Ann,180
b.mp3,B,Bob,abc
c.mp3,C,Cy,200
CSV
cat >"$W/bulk/creators.csv" <<'CSV'
audio_filename,creator_name,role
a.mp3,Ann Writer,composer
b.mp3,Bob Writer,composer
c.mp3,Cy Writer,composer
c.mp3,Cy Producer,producer
ghost.mp3,Casper,composer
CSV
cat >"$W/bulk/arrangement.csv" <<'CSV'
audio_filename,section_name,start_time,end_time
b.mp3,intro,0,30
a.mp3,intro,0,30
a.mp3,verse,30,60
CSV
freshdb edges_bulk
run "$BLENDCAT" import --rejects "$W/rej-bulk" "$W/bulk"
expect_rc 1 "bulk, a rejected track and an unknown one: exit 1"
expect_match "creators.csv:3: rejected with its track 'b.mp3' \\(problem at .*bulk/tracks.csv:3\\)" \
	"$W/rej-bulk/rejects.log" "bulk: a rejected track's creator goes with it"
expect_match "arrangement.csv:2: rejected with its track 'b.mp3'" "$W/rej-bulk/rejects.log" \
	"bulk: a rejected track's section goes with it"
expect_match "creators.csv:6:audio_filename: 'ghost.mp3': no such track" "$W/rej-bulk/rejects.log" \
	"bulk: a creator of a track that exists nowhere is said unknown"
expect_nomatch "'b.mp3': no such track" "$W/rej-bulk/rejects.log" \
	"bulk: a rejected track's rows are not said unknown"
expect_eq "a.mp3|Ann Writer
c.mp3|Cy Producer
c.mp3|Cy Writer" "$(q "SELECT t.audio_filename, c.creator_name FROM meekah.track_creator c
                     JOIN meekah.track_info t ON t.id = c.track_id ORDER BY 1, 2")" \
	"bulk: each creator is its own track's"
expect_eq "a.mp3|intro|0
a.mp3|verse|30" "$(q "SELECT t.audio_filename, a.section_name, a.start_time FROM meekah.track_arrangement a
                   JOIN meekah.track_info t ON t.id = a.track_id ORDER BY 1, 3")" \
	"bulk: each section is its own track's"
expect_eq "2|0" "$(q "SELECT count(*), count(*) FILTER (WHERE substr(id::text, 15, 1) <> '7')
                   FROM meekah.track_info")" "bulk: the tracks' ids are version 7"

rm -f "$OUT" "$ERR"
