# export: CSV that round-trips byte for byte, JSON lines, filters.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/export
mkdir -p "$W"

# Every row of the catalog, ids and timestamps aside, in one order.
rows() {
	q "SELECT t.audio_filename, t.title, t.artist, t.duration, t.tempo, t.musical_key, t.scale,
	          t.genre, t.subgenre, t.mood, t.tags, t.description, t.cover_art_url,
	          t.catalog_number, t.isrc, t.release_date, t.popularity_score, t.play_count
	   FROM meekah.track_info t ORDER BY 1"
	q "SELECT t.audio_filename, c.creator_name, c.role, c.ipi_number, c.pro, c.split_percentage,
	          c.contact_email, c.contact_phone
	   FROM meekah.track_creator c JOIN meekah.track_info t ON t.id = c.track_id ORDER BY 1, 2, 3, 4, 5, 6, 7, 8"
	q "SELECT t.audio_filename, i.instrument_category, i.instrument_type, i.is_primary
	   FROM meekah.track_instrument i JOIN meekah.track_info t ON t.id = i.track_id ORDER BY 1, 2, 3, 4"
	q "SELECT t.audio_filename, a.section_name, a.start_time, a.end_time, a.description
	   FROM meekah.track_arrangement a JOIN meekah.track_info t ON t.id = a.track_id ORDER BY 1, 3, 4, 2, 5"
	q "SELECT t.audio_filename, s.sample_pack_name, s.sample_description, s.is_cleared, s.clearance_notes
	   FROM meekah.track_sample s JOIN meekah.track_info t ON t.id = s.track_id ORDER BY 1, 2, 3, 4, 5"
}

roundtrip() {	# name, import args...: import, export, import fresh, export, compare
	local name=$1
	shift
	freshdb "${name}_a"
	run "$BLENDCAT" import -q --rejects "$W/$name-rej" "$@"
	[ "$RC" -le 1 ] && pass "$name: the first import loads (exit $RC)" ||
		fail "$name: the first import loads (exit $RC)" "$(last_output)"
	local tracks_a
	tracks_a=$(q "SELECT count(*) FROM meekah.track_info")
	[ "$tracks_a" -gt 0 ] && pass "$name: the catalog carried is not empty ($tracks_a tracks)" ||
		fail "$name: the catalog carried is not empty"
	run "$BLENDCAT" export --format csv --out "$W/$name-1"
	expect_rc 0 "$name: export csv: exit 0"
	rows >"$W/$name-rows-a.txt"
	freshdb "${name}_b"
	run "$BLENDCAT" import --rejects "$W/$name-rej2" "$W/$name-1"
	expect_rc 0 "$name: the export imports into an empty database with no reject"
	expect_eq "$tracks_a" "$(q "SELECT count(*) FROM meekah.track_info")" "$name: every track comes back"
	run "$BLENDCAT" export --format csv --out "$W/$name-2"
	if diff -r "$W/$name-1" "$W/$name-2" >"$W/$name.diff"; then
		pass "$name: export, import, export: byte-identical files"
	else
		fail "$name: export, import, export: byte-identical files" "$(head -20 "$W/$name.diff")"
	fi
	rows >"$W/$name-rows-b.txt"
	if diff "$W/$name-rows-a.txt" "$W/$name-rows-b.txt" >"$W/$name-rows.diff"; then
		pass "$name: the two databases hold the same rows, ids aside"
	else
		fail "$name: the two databases hold the same rows, ids aside" "$(head -20 "$W/$name-rows.diff")"
	fi
}

roundtrip samples "$TOP/samples/catalog"
# A round trip of nothing proves nothing: it fails.
mkdir -p "$W/empty"
printf 'audio_filename,title\n' >"$W/empty/tracks.csv"
expect_match 'fail=' <(recorded roundtrip empty "$W/empty") "a round trip of an empty catalog fails"
expect_eq "audio_filename,title,artist,duration,tempo,musical_key,scale,genre,subgenre,mood,tags,description,cover_art_url,catalog_number,isrc,release_date" \
	"$(head -1 "$W/samples-1/tracks.csv")" "tracks.csv has the manifest columns"
expect_match '^summer-vibes-120bpm-cmaj.mp3,Summer Vibes,John Producer,180,120,C,major,Electronic,House,uplifting;energetic;summer,synth;dance;party,' \
	"$W/samples-1/tracks.csv" "Summer Vibes is written as the manifest has it"
# The other files' columns, and their rows' order and values as import reads them.
for f in "creators.csv audio_filename,creator_name,role,ipi_number,pro,split_percentage,contact_email,contact_phone" \
	"instruments.csv audio_filename,instrument_category,instrument_type,is_primary" \
	"arrangement.csv audio_filename,section_name,start_time,end_time,description" \
	"samples.csv audio_filename,sample_pack_name,sample_description,is_cleared,clearance_notes"; do
	expect_eq "${f#* }" "$(head -1 "$W/samples-1/${f%% *}")" "${f%% *} has the manifest columns"
done
expect_eq "intro verse chorus" \
	"$(grep '^summer-vibes-120bpm-cmaj.mp3,' "$W/samples-1/arrangement.csv" | cut -d, -f2 | paste -sd ' ')" \
	"arrangement.csv: a track's sections in time order, not by name"
expect_eq "false true" "$(tail -n +2 "$W/samples-1/instruments.csv" | awk -F, '{ print $NF }' | sort -u | paste -sd ' ')" \
	"instruments.csv: is_primary as false/true, as import reads it"

if "$TOP/scripts/gen-catalog" -n 5000 -o "$W/gen" --messy --bad-rate 0.01 --seed 11 -q; then
	mkdir -p "$W/gen-in"
	cp "$W/gen/"{tracks,creators,instruments,arrangement,samples}.csv "$W/gen-in/"
	roundtrip generated --date-order dmy "$W/gen-in"
else
	fail "gen-catalog made a catalog"
fi

# JSON lines: one object per track, children nested.
freshdb exp_json
"$BLENDCAT" import -q "$TOP/samples/catalog"
run "$BLENDCAT" export --format jsonl --out -
expect_rc 0 "export jsonl to stdout: exit 0"
expect_eq "$(q "SELECT count(*) FROM meekah.track_info")" "$(wc -l <"$OUT")" "jsonl: one line per track"
got=$(python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
sv = [r for r in rows if r["audio_filename"] == "summer-vibes-120bpm-cmaj.mp3"][0]
print(sv["title"], [a["section"] for a in sv["arrangement"]], sv["creators"][0]["ipi"],
      sorted(i["category"] for i in sv["instruments"]), sv["mood"])
' "$OUT" 2>&1)
expect_eq "Summer Vibes ['intro', 'verse', 'chorus'] 00123456789 ['drums', 'synth'] ['uplifting', 'energetic', 'summer']" \
	"$got" "jsonl: valid JSON, the full-details shape, children nested"

# Filters, each against the database's own answer.
count_csv() { python3 -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1]))) - 1)' "$1/tracks.csv"; }
filter() {	# description, SQL condition, export args...
	local what=$1 cond=$2
	shift 2
	rm -rf "$W/f"
	run "$BLENDCAT" export -q --format csv --out "$W/f" "$@"
	expect_eq "$(q "SELECT count(*) FROM meekah.track_info t WHERE $cond")" "$(count_csv "$W/f")" "filter $what"
}
genre=$(q "SELECT genre FROM meekah.track_info GROUP BY genre ORDER BY count(*) DESC, genre LIMIT 1")
filter "--genre" "genre = '$genre'" --genre "$genre"
filter "--tempo 90-120" "tempo BETWEEN 90 AND 120" --tempo 90-120
filter "--key Am (any notation)" "musical_key = 'A' AND scale = 'minor'" --key Am
filter "--key 8B (Camelot)" "musical_key = 'C' AND scale = 'major'" --key 8B
filter "--scale minor" "scale = 'minor'" --scale minor
mood=$(q "SELECT m FROM meekah.track_info, unnest(mood) m GROUP BY m ORDER BY count(*) DESC, m LIMIT 1")
filter "--mood" "'$mood' = ANY (mood)" --mood "$mood"
filter "--tag" "'synth' = ANY (tags)" --tag synth
filter "--limit 3" "audio_filename IN (SELECT audio_filename FROM meekah.track_info
                                        ORDER BY audio_filename COLLATE \"C\" LIMIT 3)" --limit 3
[ "$(count_csv "$W/f")" = 3 ] && pass "--limit 3 gives 3" || fail "--limit 3 gives 3"
expect_eq 3 "$(python3 -c 'import csv, sys; print(len({r[0] for r in list(csv.reader(open(sys.argv[1])))[1:]}))' "$W/f/creators.csv")" \
	"filters apply to the children too"

# Filters against expectations written by hand from samples/catalog/tracks.csv.
exported() {	# export args...: the exported tracks' names, in file order
	rm -rf "$W/h"
	"$BLENDCAT" export -q --format csv --out "$W/h" "$@" &&
		python3 -c 'import csv, sys; print(" ".join(r[0] for r in list(csv.reader(open(sys.argv[1])))[1:]))' "$W/h/tracks.csv"
}
expect_eq "city-of-bridges-174bpm-a#m.wav midnight-drive-98bpm-am.wav neon-pulse-128bpm-fm.wav summer-vibes-120bpm-cmaj.mp3" \
	"$(exported --genre Electronic)" "--genre Electronic: the four electronic tracks"
expect_eq "café-de-zoë-92bpm-gmaj.mp3 fiesta-del-sol-96bpm-g#m.mp3 ignite-118bpm-bmaj.wav lagos-nights-104bpm-bbmaj.wav midnight-drive-98bpm-am.wav summer-vibes-120bpm-cmaj.mp3 sunrise-over-lisbon-100bpm-emaj.mp3 velvet-groove-116bpm-dm.mp3" \
	"$(exported --tempo 90-120)" "--tempo 90-120: both ends included, no tempo-less track"
expect_eq "midnight-drive-98bpm-am.wav" "$(exported --key Am)" "--key Am: the A minor track"
expect_eq "street-lights-142bpm-gm.mp3" "$(exported --key 6A)" "--key 6A (Camelot G minor)"
expect_eq "lagos-nights-104bpm-bbmaj.wav" "$(exported --key Bb --scale major)" "--key Bb: stored as A#"
expect_eq "city-of-bridges-174bpm-a#m.wav fiesta-del-sol-96bpm-g#m.mp3 frost-choir-72bpm-dm.flac hall-of-giants-140bpm-cm.wav midnight-drive-98bpm-am.wav neon-pulse-128bpm-fm.wav piano-study-no-3-66bpm-csharpm.mp3 street-lights-142bpm-gm.mp3 velvet-groove-116bpm-dm.mp3 yoru-no-machi-85bpm-fsharpm.wav" \
	"$(exported --scale minor)" "--scale minor: the ten minor tracks"
expect_eq "city-of-bridges-174bpm-a#m.wav empty-rooms-drone.flac midnight-drive-98bpm-am.wav neon-pulse-128bpm-fm.wav street-lights-142bpm-gm.mp3" \
	"$(exported --mood dark)" "--mood dark: one of the moods, not a substring"
expect_eq "ignite-118bpm-bmaj.wav summer-vibes-120bpm-cmaj.mp3" "$(exported --tag synth)" "--tag synth"
expect_eq "hall-of-giants-140bpm-cm.wav" "$(exported --catalog-number BT-2024-007)" "--catalog-number"
expect_eq "city-of-bridges-174bpm-a#m.wav neon-pulse-128bpm-fm.wav" \
	"$(exported --genre Electronic --mood dark --tempo 120-180)" "filters combine with AND"
expect_eq "" "$(exported --genre Electronic --key 8B --scale minor)" "filters that exclude each other: no track"
expect_eq "café-de-zoë-92bpm-gmaj.mp3 city-of-bridges-174bpm-a#m.wav" "$(exported --limit 2)" \
	"--limit 2: the first two in byte order"
exported --catalog-number BT-2024-007 >/dev/null
expect_eq "hall-of-giants-140bpm-cm.wav" "$(tail -n +2 "$W/h/creators.csv" | cut -d, -f1 | sort -u)" \
	"the children follow the filter"

# --since: exactly the tracks changed after a moment.
sleep 1
since=$(q "SELECT to_char(now()::timestamp, 'YYYY-MM-DD HH24:MI:SS.US')")
sleep 1
# One track's tempo changes, another's creators; a third is given again unchanged.
printf 'audio_filename,tempo\nsummer-vibes-120bpm-cmaj.mp3,121\nneon-pulse-128bpm-fm.wav,128\n' >"$W/tempo.csv"
printf 'audio_filename,creator_name,role\nfrost-choir-72bpm-dm.flac,New Writer,composer\n' >"$W/creator.csv"
"$BLENDCAT" import -q "$W/tempo.csv" "$W/creator.csv"
rm -rf "$W/f"
run "$BLENDCAT" export --format csv --out "$W/f" --since "$since"
expect_eq "2 frost-choir-72bpm-dm.flac summer-vibes-120bpm-cmaj.mp3" \
	"$(count_csv "$W/f") $(tail -n +2 "$W/f/tracks.csv" | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')" \
	"--since: exactly the tracks changed since (a field, a child), not the one given unchanged"
expect_eq "frost-choir-72bpm-dm.flac,New Writer,composer" "$(tail -n +2 "$W/f/creators.csv" | cut -d, -f1-3 | grep New)" \
	"--since: with the changed track's children"

rm -rf "$W/nested"
run "$BLENDCAT" export --format csv --out "$W/nested/a/b"
expect_rc 0 "export into a directory whose parents do not exist yet: exit 0"
[ -f "$W/nested/a/b/tracks.csv" ] && pass "export creates the parent directories" ||
	fail "export creates the parent directories"

run "$BLENDCAT" export --format csv --out -
expect_rc 2 "export csv to stdout: exit 2 (five files need a directory)"
run "$BLENDCAT" export --format xml --out "$W/d"
expect_rc 2 "export --format xml: exit 2"
expect_match 'must be csv, jsonl, ddex or tags' "$ERR" "it names the formats"
run "$BLENDCAT" export --format csv --out "$W/x" --tempo fast
expect_rc 2 "export --tempo fast: exit 2"

rm -f "$OUT" "$ERR"
