# import of CSV manifests: a generated messy catalog with known bad rows,
# loaded rows against the generator's canonical rows, rejects, re-import.
. "$(dirname "$0")/lib.sh"

GEN=$SHARED/tools/gen-catalog
W=$IT_TMP/import
N=${IMPORT_N:-5000}
mkdir -p "$W"

if ! "$GEN" -n "$N" -o "$W/gen" --messy --bad-rate 0.02 --raw --seed 7 -q; then
	fail "gen-catalog made a catalog"
	exit 0
fi
mkdir -p "$W/in"
cp "$W/gen/"{tracks,creators,instruments,arrangement,samples}.csv "$W/in/"

newdb imp
"$BLENDCAT" migrate up -q >/dev/null

run "$BLENDCAT" import --date-order dmy --rejects "$W/rej" --report "$W/report.json" "$W/in"
expect_rc 1 "messy catalog with bad rows: exit 1 (loaded, with rejects)"

# Every defect the generator made is rejected at its row, and nothing else is.
grep -v 'rejected with its track' "$W/rej/rejects.log" |
	sed -E 's|^[^:]*/([^/:]+):([0-9]+):.*|\1:\2|' | sort -u >"$W/got-rejects"
tail -n +2 "$W/gen/expected-rejects.csv" | awk -F, '{print $1 ":" $2}' | sort -u >"$W/want-rejects"
if diff "$W/want-rejects" "$W/got-rejects" >"$W/rejects.diff"; then
	pass "rejects are exactly expected-rejects.csv ($(wc -l <"$W/want-rejects") rows)"
else
	fail "rejects are exactly expected-rejects.csv" "$(head -20 "$W/rejects.diff")"
fi

# Each reason names the same defect.
bad_reason=""
while IFS=, read -r file line reason; do
	case $reason in
	missing_title) re=':title: .*(required|needs a title)' ;;
	isrc_length) re=':isrc: .*expected 12 characters' ;;
	tempo_not_number) re=':tempo: .*not a number' ;;
	negative_duration) re=':duration: .*negative' ;;
	split_sum_over_100) re=':split_percentage: .*(more than 100|exceeds 100)' ;;
	arrangement_end_beyond_duration) re=':end_time: .*after the track.s end' ;;
	*) re='UNKNOWN DEFECT' ;;
	esac
	grep -Eq "/$file:$line$re" "$W/rej/rejects.log" || bad_reason="$bad_reason $file:$line:$reason"
done < <(tail -n +2 "$W/gen/expected-rejects.csv")
expect_eq "" "$bad_reason" "every reason names the generator's defect"

# Children of rejected tracks are rejected too, and say why.
expect_match "rejected with its track '.*' \(problem at .*tracks.csv:[0-9]+\)" "$W/rej/rejects.log" \
	"rows of a rejected track say which problem took them"
head -1 "$W/rej/tracks.csv" | cmp -s - <(head -1 "$W/in/tracks.csv") &&
	pass "rejects/tracks.csv starts with the input's header" ||
	fail "rejects/tracks.csv starts with the input's header"

# Rejected rows are written byte for byte: every one is a byte range of the input.
missing=$(python3 - "$W/in" "$W/rej" <<'PY'
import sys, os
src, rej = sys.argv[1], sys.argv[2]
bad = 0
for name in os.listdir(rej):
    if not name.endswith(".csv"):
        continue
    data = open(os.path.join(src, name), "rb").read()
    rows = open(os.path.join(rej, name), "rb").read().split(b"\n")
    for r in rows[1:]:
        if r and r not in data:
            bad += 1
print(bad)
PY
)
expect_eq 0 "$missing" "every rejected row appears byte for byte in its input"

# The loaded rows are the generator's canonical rows, exactly.
q "CREATE SCHEMA raw"
for t in track_info track_creator track_instrument track_arrangement track_sample; do
	q "CREATE TABLE raw.$t (LIKE meekah.$t)"
	psql "$DATABASE_URL" -qX -c "\\copy raw.$t FROM '$W/gen/$t.copy'" >/dev/null
done
TRACK_COLS="audio_filename, title, artist, duration, tempo, musical_key, scale, genre, subgenre,
            mood, tags, description, cover_art_url, catalog_number, isrc, release_date"
compare() {
	local what=$1 a=$2 b=$3
	local n
	n=$(q "SELECT (SELECT count(*) FROM ($a EXCEPT ALL $b) x) + (SELECT count(*) FROM ($b EXCEPT ALL $a) y)")
	expect_eq 0 "$n" "$what equal the canonical rows"
}
compare "tracks" "SELECT $TRACK_COLS FROM meekah.track_info" "SELECT $TRACK_COLS FROM raw.track_info"
child() {
	local t=$1 cols=$2 s=$3
	echo "SELECT t.audio_filename, $cols FROM $s.$t c JOIN $s.track_info t ON t.id = c.track_id"
}
C="c.creator_name, c.role, c.ipi_number, c.pro, c.split_percentage, c.contact_email, c.contact_phone"
compare "creators" "$(child track_creator "$C" meekah)" "$(child track_creator "$C" raw)"
C="c.instrument_category, c.instrument_type, c.is_primary"
compare "instruments" "$(child track_instrument "$C" meekah)" "$(child track_instrument "$C" raw)"
C="c.section_name, c.start_time, c.end_time, c.description"
compare "arrangement sections" "$(child track_arrangement "$C" meekah)" "$(child track_arrangement "$C" raw)"
C="c.sample_pack_name, c.sample_description, c.is_cleared, c.clearance_notes"
compare "samples" "$(child track_sample "$C" meekah)" "$(child track_sample "$C" raw)"

# The report and the run log agree with the database.
loaded=$(q "SELECT count(*) FROM meekah.track_info")
expect_match "\"track_info\": \\{\"read\": [0-9]+, \"inserted\": $loaded," "$W/report.json" \
	"--report counts the inserted tracks"
expect_eq "rejects|1" "$(q "SELECT status, exit_code FROM ingest.run ORDER BY id DESC LIMIT 1")" \
	"ingest.run records the run"

# The same input again: nothing changes.
before=$(q "SELECT md5(string_agg(id::text || updated_at::text, ',' ORDER BY id)) FROM meekah.track_info")
nchildren=$(q "SELECT (SELECT count(*) FROM meekah.track_creator) + (SELECT count(*) FROM meekah.track_arrangement)")
run "$BLENDCAT" import --date-order dmy --rejects "$W/rej2" --report "$W/report2.json" "$W/in"
expect_rc 1 "second import of the same input: exit 1 (same rejects)"
expect_match '"track_info": \{"read": [0-9]+, "inserted": 0, "updated": 0, "unchanged": '"$loaded" \
	"$W/report2.json" "second import: every track unchanged"
expect_match '"track_creator": \{[^}]*"inserted": 0, [^}]*"replaced": 0' "$W/report2.json" \
	"second import: no creators replaced"
expect_eq "$before" "$(q "SELECT md5(string_agg(id::text || updated_at::text, ',' ORDER BY id)) FROM meekah.track_info")" \
	"second import: no id or updated_at moved"
expect_eq "$nchildren" "$(q "SELECT (SELECT count(*) FROM meekah.track_creator) + (SELECT count(*) FROM meekah.track_arrangement)")" \
	"second import: no duplicated children"

# The rejected rows, fixed, load.
python3 "$TOP/tests/integration/fix_rejects.py" "$W/rej"
run "$BLENDCAT" import --date-order dmy --rejects "$W/rej3" "$W/rej"
expect_rc 0 "fixed rejects re-imported: exit 0"
expect_eq "$N" "$(q "SELECT count(*) FROM meekah.track_info")" "after the fixed rejects: every track is loaded"

# A partial update: tracks.csv with new tempos only touches tempo.
snap() {
	q "SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM (
	     SELECT t.audio_filename, c.creator_name, c.split_percentage, c.id FROM meekah.track_creator c
	     JOIN meekah.track_info t ON t.id = c.track_id) x"
	q "SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM (
	     SELECT track_id, section_name, start_time, id FROM meekah.track_arrangement) x"
	q "SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM (
	     SELECT track_id, instrument_type, id FROM meekah.track_instrument) x"
}
snap >"$W/snap1"
first=$(q "SELECT audio_filename FROM meekah.track_info ORDER BY audio_filename LIMIT 1")
second=$(q "SELECT audio_filename FROM meekah.track_info ORDER BY audio_filename OFFSET 1 LIMIT 1")
title2=$(q "SELECT title FROM meekah.track_info WHERE audio_filename = '$second'")
mkdir -p "$W/partial"
printf 'audio_filename,tempo\n%s,201\n%s,202 BPM\n' "$first" "$second" >"$W/partial/tracks.csv"
run "$BLENDCAT" import --report "$W/report3.json" "$W/partial/tracks.csv"
expect_rc 0 "partial update (tracks.csv: audio_filename,tempo): exit 0"
expect_eq "201 202" "$(q "SELECT string_agg(tempo::text, ' ' ORDER BY audio_filename) FROM meekah.track_info
                         WHERE audio_filename IN ('$first', '$second')")" "partial update: tempos changed"
expect_eq "$title2" "$(q "SELECT title FROM meekah.track_info WHERE audio_filename = '$second'")" \
	"partial update: other fields kept"
expect_match '"updated": 2,' "$W/report3.json" "partial update: two tracks updated"
snap >"$W/snap2"
if cmp -s "$W/snap1" "$W/snap2"; then
	pass "partial update: creators, instruments and arrangement untouched"
else
	fail "partial update: creators, instruments and arrangement untouched"
fi
expect_eq 2 "$(q "SELECT count(*) FROM meekah.track_info WHERE updated_at = (SELECT max(updated_at) FROM meekah.track_info)")" \
	"partial update: updated_at moved for exactly the two changed tracks"

# creators.csv alone replaces only that track's creators.
printf 'audio_filename,creator_name,role,split_percentage\n%s,New Writer,composer,60\n%s,Other Writer,lyricist,40\n' \
	"$first" "$first" >"$W/partial/creators.csv"
run "$BLENDCAT" import "$W/partial/creators.csv"
expect_rc 0 "creators.csv alone: exit 0"
expect_eq "New Writer:composer:60.00 Other Writer:lyricist:40.00" \
	"$(q "SELECT string_agg(creator_name || ':' || role || ':' || split_percentage, ' ' ORDER BY creator_name)
	      FROM meekah.track_creator c JOIN meekah.track_info t ON t.id = c.track_id
	      WHERE t.audio_filename = '$first'")" "creators.csv alone: that track's creators replaced"
snap >"$W/snap3"
expect_eq "$(sed -n 2,3p "$W/snap2")" "$(sed -n 2,3p "$W/snap3")" "creators.csv alone: instruments and arrangement untouched"

rm -f "$OUT" "$ERR"
