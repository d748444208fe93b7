# export: CSV that round-trips byte for byte, JSON lines, filters.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/export
mkdir -p "$W"

roundtrip() {	# name, import args...: import, export, import fresh, export, compare
	local name=$1
	shift
	newdb "${name}_a"
	"$BLENDCAT" migrate up -q >/dev/null
	"$BLENDCAT" import -q --rejects "$W/$name-rej" "$@"
	run "$BLENDCAT" export --format csv --out "$W/$name-1"
	expect_rc 0 "$name: export csv: exit 0"
	local tracks_a
	tracks_a=$(q "SELECT count(*) FROM meekah.track_info")
	newdb "${name}_b"
	"$BLENDCAT" migrate up -q >/dev/null
	run "$BLENDCAT" import --rejects "$W/$name-rej2" "$W/$name-1"
	expect_rc 0 "$name: the export imports into an empty database with no reject"
	expect_eq "$tracks_a" "$(q "SELECT count(*) FROM meekah.track_info")" "$name: every track comes back"
	run "$BLENDCAT" export --format csv --out "$W/$name-2"
	if diff -r "$W/$name-1" "$W/$name-2" >"$W/$name.diff"; then
		pass "$name: export, import, export: byte-identical files"
	else
		fail "$name: export, import, export: byte-identical files" "$(head -20 "$W/$name.diff")"
	fi
}

roundtrip samples "$TOP/samples/catalog"
expect_eq "audio_filename,title,artist,duration,tempo,musical_key,scale,genre,subgenre,mood,tags,description,cover_art_url,catalog_number,isrc,release_date" \
	"$(head -1 "$W/samples-1/tracks.csv")" "tracks.csv has the manifest columns"
expect_match '^summer-vibes-120bpm-cmaj.mp3,Summer Vibes,John Producer,180,120,C,major,Electronic,House,uplifting;energetic;summer,synth;dance;party,' \
	"$W/samples-1/tracks.csv" "Summer Vibes is written as the manifest has it"

if "$SHARED/tools/gen-catalog" -n 2000 -o "$W/gen" --messy --bad-rate 0.01 --seed 11 -q; then
	mkdir -p "$W/gen-in"
	cp "$W/gen/"{tracks,creators,instruments,arrangement,samples}.csv "$W/gen-in/"
	roundtrip generated --date-order dmy "$W/gen-in"
else
	fail "gen-catalog made a catalog"
fi

# JSON lines: one object per track, children nested.
newdb exp_json
"$BLENDCAT" migrate up -q >/dev/null
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

# --since: exactly the tracks changed after a moment.
sleep 1
since=$(q "SELECT to_char(now()::timestamp, 'YYYY-MM-DD HH24:MI:SS.US')")
sleep 1
printf 'audio_filename,tempo\nsummer-vibes-120bpm-cmaj.mp3,121\n' >"$W/tempo.csv"
"$BLENDCAT" import -q "$W/tempo.csv"
rm -rf "$W/f"
run "$BLENDCAT" export --format csv --out "$W/f" --since "$since"
expect_eq "1 summer-vibes-120bpm-cmaj.mp3" "$(count_csv "$W/f") $(tail -n +2 "$W/f/tracks.csv" | cut -d, -f1)" \
	"--since: exactly the track changed since"

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
