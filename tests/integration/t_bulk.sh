# import of CSV into an empty catalog: the child rows go straight into the
# catalog's tables and are checked there.  The same input into a catalog
# that holds another track takes the staging path, and check takes it too:
# all must agree on every reason, every rejected row and every row loaded.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/bulk
mkdir -p "$W/in" "$W/clean"
cat >"$W/in/tracks.csv" <<'CSV'
audio_filename,title,artist,duration
ok.mp3,Ok,Ann,180
split.mp3,Split,Bob,200
late.mp3,Late,Cy,100
cross.mp3,Cross,Di,300
apart.mp3,Apart,Ed,300
badcred.mp3,Bad Credit,Fay,200
dup.mp3,Dup,Gus,100
dup.mp3,Dup Again,Gus,100
notitle.mp3,,Hal,100
inter.mp3,Inter,Ivy,100
CSV
cat >"$W/in/creators.csv" <<'CSV'
audio_filename,creator_name,role,split_percentage
ok.mp3,Ann Writer,composer,50
ok.mp3,Ann Producer,producer,50
split.mp3,Bob One,composer,60
split.mp3,Bob Two,producer,40
split.mp3,Bob Three,performer,10
badcred.mp3,Fay Writer,composer,abc
badcred.mp3,Fay Two,producer,20
ghost.mp3,Casper,composer,10
dup.mp3,Gus Writer,composer,100
notitle.mp3,Hal Writer,composer,
inter.mp3,Ivy One,composer,60
ghost.mp3,Casper Again,producer,
inter.mp3,Ivy Two,producer,50
CSV
cat >"$W/in/instruments.csv" <<'CSV'
audio_filename,instrument_category,instrument_type,is_primary
ok.mp3,synth,pad,true
ok.mp3,drums,808,
split.mp3,bass,electric bass,false
phantom.mp3,guitar,electric guitar,true
late.mp3,vocals,lead,
CSV
cat >"$W/in/arrangement.csv" <<'CSV'
audio_filename,section_name,start_time,end_time
ok.mp3,intro,0,30
ok.mp3,verse,30,90
late.mp3,intro,0,50
late.mp3,outro,50,120
cross.mp3,intro,0,60
cross.mp3,verse,40,100
apart.mp3,intro,0,60
ok.mp3,chorus,90,120
apart.mp3,verse,50,100
CSV
cat >"$W/in/samples.csv" <<'CSV'
audio_filename,sample_pack_name,sample_description
ok.mp3,Pack,a loop
split.mp3,Pack Two,a hit
CSV

# Every child row of the catalog, by its track's name, without ids or times.
catalog() {
	q "SELECT 'creator', t.audio_filename, c.creator_name, c.role, c.split_percentage
	   FROM meekah.track_creator c JOIN meekah.track_info t ON t.id = c.track_id ORDER BY 1, 2, 3"
	q "SELECT 'instrument', t.audio_filename, i.instrument_category, i.instrument_type, i.is_primary
	   FROM meekah.track_instrument i JOIN meekah.track_info t ON t.id = i.track_id ORDER BY 1, 2, 3"
	q "SELECT 'section', t.audio_filename, a.section_name, a.start_time, a.end_time
	   FROM meekah.track_arrangement a JOIN meekah.track_info t ON t.id = a.track_id ORDER BY 1, 2, 4"
	q "SELECT 'sample', t.audio_filename, s.sample_pack_name, s.is_cleared
	   FROM meekah.track_sample s JOIN meekah.track_info t ON t.id = s.track_id ORDER BY 1, 2, 3"
	q "SELECT 'track', audio_filename, title FROM meekah.track_info
	   WHERE audio_filename <> 'other.mp3' ORDER BY 2"
}
keys() {
	q "SELECT count(*) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
	   JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'meekah'"
	q "SELECT count(*) FROM pg_indexes WHERE schemaname = 'meekah'"
}

# The staging path: the catalog holds a track already.
freshdb bulk_staged
printf 'audio_filename,title,duration\nother.mp3,Other,100\n' >"$W/other.csv"
run "$BLENDCAT" import -q "$W/other.csv"
expect_rc 0 "another track loads first: exit 0"
run "$BLENDCAT" import --rejects "$W/rej-staged" "$W/in"
expect_rc 1 "staging path, rows rejected: exit 1"
# read, inserted and rejected of each table ("replaced" counts a new track's
# set only where the catalog had tracks), and the tracks' line
counts() { grep -E '^(track_[a-z]+ |tracks:)' "$ERR" | awk '{ print $1, $2, $3, $7 }'; }
staged_out=$(counts)
staged=$(catalog)

# The direct path: an empty catalog.
freshdb bulk_direct
keys_before=$(keys)
run "$BLENDCAT" import --rejects "$W/rej-direct" "$W/in"
expect_rc 1 "direct path, rows rejected: exit 1"
direct_out=$(counts)
log=$W/rej-direct/rejects.log
expect_match "creators.csv:6:split_percentage: '10.00': the track's splits add up to 110.00%" "$log" \
	"direct: the split that tips the total over is named by file and line"
expect_match "creators.csv:4: rejected with its track 'split.mp3' \\(problem at .*creators.csv:6\\)" "$log" \
	"direct: the other creators of that track go with it"
expect_match "instruments.csv:4: rejected with its track 'split.mp3'" "$log" \
	"direct: so do its rows of other kinds"
expect_match "arrangement.csv:5:end_time: '120': section ends at 120 s, after the track's end at 100 s" \
	"$log" "direct: a section past the track's end is named"
expect_match "arrangement.csv:7:start_time: '40': section 'verse' \\(40-100 s\\) overlaps an earlier section that ends at 60 s" \
	"$log" "direct: an overlap within a span is named"
expect_match "arrangement.csv:10:start_time: '50': section 'verse' \\(50-100 s\\) overlaps" "$log" \
	"direct: an overlap between sections apart in the file is named"
expect_match "creators.csv:9:audio_filename: 'ghost.mp3': no such track" "$log" \
	"direct: a creator of an unknown track is named, with the name"
expect_match "creators.csv:13:audio_filename: 'ghost.mp3': no such track" "$log" \
	"direct: so is its other creator, further down"
expect_match "creators.csv:14:split_percentage: '50.00': the track's splits add up to 110.00%" "$log" \
	"direct: splits add up across a track's rows apart in the file"
expect_match "instruments.csv:5:audio_filename: 'phantom.mp3': no such track" "$log" \
	"direct: an instrument of an unknown track is named"
expect_match "creators.csv:8: rejected with its track 'badcred.mp3' \\(problem at .*creators.csv:7\\)" \
	"$log" "direct: a row the reader rejects takes its track's rows with it"
expect_match "tracks.csv:9:audio_filename: 'dup.mp3': the track appears 2 times" "$log" \
	"direct: a duplicate track is named"
expect_match "creators.csv:11: rejected with its track 'notitle.mp3'" "$log" \
	"direct: a new track without a title takes its creators with it"
expect_nomatch "'(split|late|badcred)\\.mp3': no such track" "$log" \
	"direct: a rejected track's rows are not said unknown"
expect_eq "$(grep -c '' "$W/in/creators.csv" | awk '{print $1 - 2}')" \
	"$(grep -c '' "$W/rej-direct/creators.csv")" \
	"direct: every creator row but ok.mp3's two is in the rejects file, with the header"
expect_match '^split\.mp3,Bob One,composer,60$' "$W/rej-direct/creators.csv" \
	"direct: a rejected row is written whole"
expect_match '^ghost\.mp3,Casper,composer,10$' "$W/rej-direct/creators.csv" \
	"direct: an unknown track's row is written whole"
expect_eq "creator|ok.mp3|Ann Producer|producer|50.00
creator|ok.mp3|Ann Writer|composer|50.00
instrument|ok.mp3|drums|808|
instrument|ok.mp3|synth|pad|t
section|ok.mp3|intro|0|30
section|ok.mp3|verse|30|90
section|ok.mp3|chorus|90|120
sample|ok.mp3|Pack|f
track|ok.mp3|Ok" "$(catalog)" "direct: the catalog holds the good track's rows, defaults given"
expect_eq "intro,verse,chorus|9|0" "$(q "SELECT string_agg(a.section_name, ',' ORDER BY a.id),
	  (SELECT count(DISTINCT id) FROM (SELECT id FROM meekah.track_creator UNION ALL
	   SELECT id FROM meekah.track_instrument UNION ALL SELECT id FROM meekah.track_arrangement
	   UNION ALL SELECT id FROM meekah.track_sample UNION ALL SELECT id FROM meekah.track_info) x),
	  (SELECT count(*) FROM meekah.track_arrangement WHERE substr(id::text, 15, 1) <> '7')
	  FROM meekah.track_arrangement a")" \
	"direct: child ids are version 7, distinct, ascending in input order"
expect_eq "$keys_before" "$(keys)" "direct: every key and index is built again"
# A row COPY'd straight into the catalog has the id of its row number (a
# staged row's id is random in its last 62 bits): this run took the direct path.
expect_eq "2|2" "$(q "SELECT count(*), count(*) FILTER (WHERE ('x' || right(id::text, 12))::bit(48)::bigint < 100)
                   FROM meekah.track_creator")" "direct: a child's id carries its row number"

# Both paths agree, and check (staging, rolled back) says the same.
expect_eq "$staged" "$(catalog)" "the direct and the staging path load the same rows"
expect_eq "$staged_out" "$direct_out" "the direct and the staging path count the same"
# read, inserted, updated, unchanged, replaced, rejected
expect_match '^track_creator +12 +2 +- +0 +0 +11$' "$ERR" \
	"direct: the creators read, inserted and rejected are counted"
if diff -r "$W/rej-staged" "$W/rej-direct" >"$W/rej.diff"; then
	pass "the direct and the staging path reject the same rows, with the same reasons"
else
	fail "the direct and the staging path reject the same rows" "$(head -c 2000 "$W/rej.diff")"
fi
freshdb bulk_check
run "$BLENDCAT" check --rejects "$W/rej-check" "$W/in"
expect_rc 1 "check with a database: rows rejected"
if diff "$W/rej-check/rejects.log" "$log" >"$W/rej.diff"; then
	pass "check gives the direct path's reasons"
else
	fail "check gives the direct path's reasons" "$(head -c 2000 "$W/rej.diff")"
fi

# A row the catalog's table refuses (a trigger): the run fails whole, the
# input row is named, and the catalog is as it was, keys and all.
cat >"$W/clean/tracks.csv" <<'CSV'
audio_filename,title,duration
one.mp3,One,100
two.mp3,Two,100
CSV
cat >"$W/clean/creators.csv" <<'CSV'
audio_filename,creator_name,role
one.mp3,Alice,composer
two.mp3,Bob,composer
two.mp3,Mallory,producer
CSV
freshdb bulk_trigger
q "CREATE FUNCTION public.refuse() RETURNS trigger LANGUAGE plpgsql AS
   \$\$ BEGIN IF NEW.creator_name = 'Mallory' THEN RAISE EXCEPTION 'Mallory is not allowed'; END IF;
   RETURN NEW; END \$\$"
q "CREATE TRIGGER refuse BEFORE INSERT ON meekah.track_creator FOR EACH ROW EXECUTE FUNCTION public.refuse()"
keys_before=$(keys)
before=$(snapshot)
run "$BLENDCAT" import "$W/clean"
expect_rc 3 "direct, a trigger refuses a creator: exit 3"
expect_match 'Mallory is not allowed' "$ERR" "direct: the server's message is shown"
expect_match "failing row is .*clean/creators.csv:4 \\(track 'two.mp3'\\)" "$ERR" \
	"direct: the failing row is named by file, line and track"
expect_eq "$before" "$(snapshot)" "direct: the catalog is exactly as before"
expect_eq "$keys_before" "$(keys)" "direct: its keys and indexes are all there"
q "DROP TRIGGER refuse ON meekah.track_creator"
run "$BLENDCAT" import -q "$W/clean"
expect_rc 0 "direct, without the trigger: exit 0"
expect_eq "one.mp3|Alice
two.mp3|Bob
two.mp3|Mallory" "$(q "SELECT t.audio_filename, c.creator_name FROM meekah.track_creator c
                      JOIN meekah.track_info t ON t.id = c.track_id ORDER BY 1, 2")" \
	"direct, without the trigger: every creator loads"

rm -f "$OUT" "$ERR"
