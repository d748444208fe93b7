# import of CSV manifests: a generated messy catalog with known bad rows,
# loaded rows against the generator's canonical rows, rejects, re-import.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/import
N=${IMPORT_N:-5000}
mkdir -p "$W"

# check_generated GEN DIR DB LABEL: a messy catalog of N tracks with known
# bad rows, made by GEN in DIR, imported into a fresh database DB: the
# rejects are exactly the generator's expected-rejects.csv, each for its
# defect, and the loaded rows are exactly its canonical --raw rows.
# Returns 1 when GEN made nothing.
check_generated() {
	local gen=$1 w=$2 db=$3 l=$4 t
	mkdir -p "$w"
	if ! "$gen" -n "$N" -o "$w/gen" --messy --bad-rate 0.02 --raw --seed 7 -q; then
		fail "${l}gen-catalog made a catalog"
		return 1
	fi
	mkdir -p "$w/in"
	cp "$w/gen/"{tracks,creators,instruments,arrangement,samples}.csv "$w/in/"

	freshdb "$db"

	run "$BLENDCAT" import --date-order dmy --rejects "$w/rej" --report "$w/report.json" "$w/in"
	expect_rc 1 "${l}messy catalog with bad rows: exit 1 (loaded, with rejects)"

	# Every defect the generator made is rejected at its row, and nothing else is.
	grep -v 'rejected with its track' "$w/rej/rejects.log" |
		sed -E 's|^[^:]*/([^/:]+):([0-9]+):.*|\1:\2|' | sort -u >"$w/got-rejects"
	tail -n +2 "$w/gen/expected-rejects.csv" | awk -F, '{print $1 ":" $2}' | sort -u >"$w/want-rejects"
	if diff "$w/want-rejects" "$w/got-rejects" >"$w/rejects.diff"; then
		pass "${l}rejects are exactly expected-rejects.csv ($(wc -l <"$w/want-rejects") rows)"
	else
		fail "${l}rejects are exactly expected-rejects.csv" "$(head -20 "$w/rejects.diff")"
	fi

	# Each reason names the same defect.
	local bad_reason="" file line reason re
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
		grep -Eq "/$file:$line$re" "$w/rej/rejects.log" || bad_reason="$bad_reason $file:$line:$reason"
	done < <(tail -n +2 "$w/gen/expected-rejects.csv")
	expect_eq "" "$bad_reason" "${l}every reason names the generator's defect"

	# Children of rejected tracks are rejected too, and say why.
	expect_match "rejected with its track '.*' \(problem at .*tracks.csv:[0-9]+\)" "$w/rej/rejects.log" \
		"${l}rows of a rejected track say which problem took them"
	head -1 "$w/rej/tracks.csv" | cmp -s - <(head -1 "$w/in/tracks.csv") &&
		pass "${l}rejects/tracks.csv starts with the input's header" ||
		fail "${l}rejects/tracks.csv starts with the input's header"

	# Rejected rows are written byte for byte: every one is a byte range of the input.
	local missing
	missing=$(python3 - "$w/in" "$w/rej" <<'PY'
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
	expect_eq 0 "$missing" "${l}every rejected row appears byte for byte in its input"

	# The loaded rows are the generator's canonical rows, exactly.
	q "CREATE SCHEMA raw"
	for t in track_info track_creator track_instrument track_arrangement track_sample; do
		q "CREATE TABLE raw.$t (LIKE meekah.$t)"
		psql "$DATABASE_URL" -qX -c "\\copy raw.$t FROM '$w/gen/$t.copy'" >/dev/null
	done
	local TRACK_COLS="audio_filename, title, artist, duration, tempo, musical_key, scale, genre, subgenre,
	            mood, tags, description, cover_art_url, catalog_number, isrc, release_date" C
	compare() {
		local what=$1 a=$2 b=$3
		local n
		n=$(q "SELECT (SELECT count(*) FROM ($a EXCEPT ALL $b) x) + (SELECT count(*) FROM ($b EXCEPT ALL $a) y)")
		expect_eq 0 "$n" "${l}$what equal the canonical rows"
	}
	expect_eq "$(tail -n +2 "$w/gen/expected-rejects.csv" | wc -l)" \
		"$(($(python3 -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""))) - 1)' \
			"$w/gen/tracks.csv") - $(wc -l <"$w/gen/track_info.copy")))" \
		"${l}the canonical rows leave out exactly the bad tracks"
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
	return 0
}

# The project's generator: the same bytes whatever -j, and its --messy
# catalog really is messy (else the comparison above proves little).
GEN=$TOP/scripts/gen-catalog
if "$GEN" -n 2100 -o "$W/j1" --messy --bad-rate 0.02 --raw --seed 3 -j 1 -q &&
	"$GEN" -n 2100 -o "$W/j3" --messy --bad-rate 0.02 --raw --seed 3 -j 3 -q &&
	diff -r "$W/j1" "$W/j3" >/dev/null; then
	pass "gen-catalog: the same files with -j 1 and -j 3"
else
	fail "gen-catalog: the same files with -j 1 and -j 3"
fi
got=$(python3 - "$W/j1" <<'PY'
import csv, re, sys, unicodedata
d = sys.argv[1]
raw = open(d + "/tracks.csv", "rb").read()
rows = list(csv.reader(open(d + "/tracks.csv", encoding="utf-8-sig", newline="")))[1:]
found = {
    "BOM": raw.startswith(b"\xef\xbb\xbf"),
    "CRLF": b"\r\n" in raw,
    "NFD": any(unicodedata.normalize("NFC", c) != c for r in rows for c in r),
    "key": any(r[5] and r[5] not in "C C# D D# E F F# G G# A A# B".split() for r in rows),
    "tempo": any(r[4] and not r[4].isdigit() for r in rows),
    "duration": any(":" in r[3] for r in rows),
    "date": any(r[15] and not re.fullmatch(r"\d{4}-\d\d-\d\d", r[15]) for r in rows),
    "spaces": any(c != c.strip() for r in rows for c in r),
}
print(" ".join(k for k, v in found.items() if not v) or "all")
PY
)
expect_eq all "$got" "gen-catalog --messy: BOM, CRLF, NFD, key, tempo, duration, date notations, stray spaces"

check_generated "$GEN" "$W" imp "" || exit 0

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

# The same check with the generator of the shared reference material, when
# it is there: two independent generators, one notion of canonical rows.
shared_gen_catalog_crosscheck() {
	check_generated "$SHARED/tools/gen-catalog" "$IT_TMP/import-shared" imp_shared "shared gen-catalog: "
}
with_shared tools/gen-catalog shared_gen_catalog_crosscheck check_generated

rm -f "$OUT" "$ERR"
