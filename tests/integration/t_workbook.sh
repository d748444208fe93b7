# Workbooks: .xlsx and .ods label sheets read as CSV is, with cell
# positions; the same tracks from CSV, .xlsx and .ods give the same
# catalog; the sheet reader's features (null markers, --map's numbered
# groups, ms durations, --no-header) work on workbooks; hostile workbooks
# are refused.  Fixtures: workbook_fixtures.py (python3-openpyxl,
# python3-odf).
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/workbook
mkdir -p "$W"
if ! /usr/bin/python3 "$TOP/tests/integration/workbook_fixtures.py" "$W" 2>"$W/fx.err"; then
	fail "workbook fixtures are made (python3-openpyxl and python3-odf: scripts/deps)" \
		"$(cat "$W/fx.err")"
	exit 0
fi

# ------------------------------------------------- the same 40 tracks
for k in csv xlsx ods; do
	freshdb "wb_$k"
	run "$BLENDCAT" import -q --rejects "$W/rej-$k" "$W/same/$k"
	expect_rc 0 "$k: the 40 tracks and their instruments load (exit 0)"
	run "$BLENDCAT" export --format csv --out "$W/out-$k"
	expect_rc 0 "$k: the catalog is exported"
	counts=$(q "SELECT (SELECT count(*) FROM meekah.track_info) || '/' ||
	              (SELECT count(*) FROM meekah.track_creator) || '/' ||
	              (SELECT count(*) FROM meekah.track_instrument)")
	expect_eq "40/60/40" "$counts" "$k: 40 tracks, 60 creators from the groups, 40 instruments"
done
for f in tracks creators instruments arrangement samples; do
	for k in xlsx ods; do
		if cmp -s "$W/out-csv/$f.csv" "$W/out-$k/$f.csv"; then
			pass "$k gives the catalog CSV gives: $f.csv identical"
		else
			fail "$k gives the catalog CSV gives: $f.csv identical" \
				"$(diff "$W/out-csv/$f.csv" "$W/out-$k/$f.csv" | head -20)"
		fi
	done
done
# ... and that catalog has the typed cells' values (times as seconds, dates, rounded tempo).
expect_eq "122|2024-01-19|92|Ünïcödé Café|Line one of 7
line two|true" "$(q "SELECT t2.duration || '|' || t2.release_date || '|' || t2.tempo || '|' ||
	    t4.title || '|' || t7.description || '|' || i3.is_primary
	  FROM meekah.track_info t2, meekah.track_info t4, meekah.track_info t7,
	       meekah.track_instrument i3 JOIN meekah.track_info t3 ON t3.id = i3.track_id
	 WHERE t2.audio_filename = 'track-02.wav' AND t4.audio_filename = 'track-04.wav'
	   AND t7.audio_filename = 'track-07.wav' AND t3.audio_filename = 'track-03.wav'")" \
	"ods: time, date, number, unicode, two paragraphs and boolean cells arrive as values"
expect_eq "100|00522100422|50" "$(q "SELECT t.tempo || '|' || c.ipi_number || '|' ||
	    c.split_percentage::int FROM meekah.track_info t JOIN meekah.track_creator c
	    ON c.track_id = t.id WHERE t.audio_filename = 'track-10.wav' AND c.creator_name = 'Writer 10'")" \
	"ods: 100.4 BPM rounds to 100; a numeric IPI cell is padded; a numeric split"

# ------------------------------------------------------ dates and sheets
freshdb wb_misc
run "$BLENDCAT" import -q --rejects "$W/rej-misc" "$W/1904.xlsx"
expect_rc 0 "1904 date system: loads"
expect_eq "mac.wav|2024-01-15|185 mac2.wav|2000-02-29|93601" \
	"$(q "SELECT string_agg(audio_filename || '|' || release_date || '|' || duration, ' '
	      ORDER BY audio_filename) FROM meekah.track_info")" \
	"1904 date system: dates as in the sheet, [h]:mm:ss times as seconds (past 24 hours too)"

run "$BLENDCAT" import -q --rejects "$W/rej-misc" "$W/sheets.xlsx" "$W/sheets.ods"
expect_rc 0 "several sheets, a hidden first one: exit 0"
expect_eq "o1.wav o2.wav s1.wav s2.wav" "$(q "SELECT string_agg(audio_filename, ' ' ORDER BY audio_filename)
	FROM meekah.track_info WHERE audio_filename !~ '^mac'")" \
	"the first visible sheet is read, not the hidden one before it (xlsx and ods)"
run "$BLENDCAT" import -q --rejects "$W/rej-misc" --sheet Credits "$W/sheets.xlsx"
expect_rc 0 "--sheet Credits: exit 0"
run "$BLENDCAT" import -q --rejects "$W/rej-misc" --sheet credits "$W/sheets.ods"
expect_rc 0 "--sheet credits (ods, another case): exit 0"
expect_eq "Credit Person|composer|100 Ods Credit|lyricist|" \
	"$(q "SELECT string_agg(creator_name || '|' || role || '|' || coalesce(split_percentage::int::text, ''),
	      ' ' ORDER BY creator_name) FROM meekah.track_creator")" \
	"--sheet reads the sheet named, of every workbook"
run "$BLENDCAT" check --offline --rejects "$W/rej-misc" --sheet Royalties "$W/sheets.xlsx"
expect_rc 1 "--sheet of a sheet that is not there: the file is not read (exit 1)"
expect_match "sheets.xlsx: no sheet 'Royalties'; the sheets are 'Notes' \(hidden\), 'Tracks', 'Credits'" \
	"$ERR" "the error lists the sheets, hidden ones marked"
expect_match "hint: --sheet NAME" "$ERR" "a hint names --sheet"

run "$BLENDCAT" import -q --rejects "$W/rej-misc" "$W/gaps.xlsx"
expect_rc 0 "blank rows before the header, cells left out: exit 0"
expect_eq "g1.wav|Gap One||100 g2.wav|Gap Two|Someone|" \
	"$(q "SELECT string_agg(audio_filename || '|' || title || '|' || coalesce(artist, '') || '|' ||
	      coalesce(tempo::text, ''), ' ' ORDER BY audio_filename) FROM meekah.track_info WHERE audio_filename ~ '^g'")" \
	"a missing cell is an empty field; the blank row between is skipped"

# ---------------------------------------------------------------- rejects
run "$BLENDCAT" import --rejects "$W/rej-bad" "$W/bad.xlsx"
expect_rc 1 "bad rows: loaded with rejects (exit 1)"
expect_eq "bad.xlsx:Tracks!E3:tempo: 'fast': tempo is not a number: 'fast'
bad.xlsx:Tracks!E4:tempo: '#N/A': no usable value: the formula error #N/A
bad.xlsx:Tracks!H5: 'stray': a value in a column without a header" \
	"$(sed "s|^$W/||" "$W/rej-bad/rejects.log")" "rejects.log names the cell of each problem"
expect_match "warning: $W/bad.xlsx:Tracks!F1: column 'notes' is not a track field" "$ERR" \
	"warnings name the header's cell"
expect_eq "ok.wav" "$(q "SELECT string_agg(audio_filename, ' ') FROM meekah.track_info
	WHERE audio_filename IN ('ok.wav', 'badtempo.wav', 'na.wav', 'extra.wav')")" \
	"the good row loads (a formula error in a column no field reads does not matter)"
expect_eq 'audio_filename,title,artist,duration,tempo,notes
badtempo.wav,Bad Tempo,B,181,fast,
na.wav,Formula Error,C,182,#N/A,
extra.wav,Extra Value,D,183,100,,,stray' "$(cat "$W/rej-bad/bad.xlsx.csv")" \
	"the rejected rows are CSV under the sheet's header, in bad.xlsx.csv"
run "$BLENDCAT" check --offline --rejects "$W/rej-bad-check" "$W/bad.xlsx"
expect_rc 1 "check --offline: the same rejects"
expect_eq "$(cat "$W/rej-bad/bad.xlsx.csv")" "$(cat "$W/rej-bad-check/bad.xlsx.csv")" \
	"check --offline writes the same rejected rows (spooled only as they are rejected)"
sed -i 's/,fast,/,101,/; s/,#N\/A,/,102,/; s/,,,stray$/,/' "$W/rej-bad/bad.xlsx.csv"
run "$BLENDCAT" import -q --rejects "$W/rej-misc" "$W/rej-bad/bad.xlsx.csv"
expect_rc 0 "the fixed rejects file imports (exit 0)"
expect_eq "101 102 100" "$(q "SELECT string_agg(tempo::text, ' ' ORDER BY duration) FROM meekah.track_info
	WHERE audio_filename IN ('badtempo.wav', 'na.wav', 'extra.wav')")" "the fixed rows are loaded"

run "$BLENDCAT" import --rejects "$W/rej-dup" "$W/dup.xlsx"
expect_rc 1 "a track on two rows: exit 1"
expect_match "^$W/dup.xlsx:Tracks!3:audio_filename: 'twice.wav': the track appears 2 times" \
	"$W/rej-dup/rejects.log" "a check across rows names the sheet's row"
expect_eq 2 "$(tail -n +2 "$W/rej-dup/dup.xlsx.csv" | wc -l)" "both rows of the track are in the rejects"

# ---------------------------------------- the sheet reader's features
# A workbook is a sheet like a CSV file: null markers, --map with joins and
# numbered groups, durations in ms, --no-header all apply to its cells.
cat >"$W/wide.map" <<'EOF'
audio_filename = file
title = title
duration = length_ms
isrc = isrc
creator.creator_name = name_#
creator.ipi_number = ipi_#
creator.split_percentage = split_#
creator.role = producer_#? producer
arrangement.start_time = time_#
arrangement.section_name = section_#
EOF
for k in xlsx ods; do
	freshdb "wb_wide_$k"
	run "$BLENDCAT" import --map "$W/wide.map" --rejects "$W/rej-wide-$k" "$W/wide.$k"
	expect_rc 1 "$k: a wide sheet with --map loads, the row with a bad IPI rejected (exit 1)"
	expect_eq "w1.wav|186||2 w2.wav|200|USB002400099|1" "$(q "SELECT string_agg(t.audio_filename || '|' ||
		t.duration || '|' || coalesce(t.isrc, '') || '|' || (SELECT count(*) FROM meekah.track_creator c
		WHERE c.track_id = t.id), ' ' ORDER BY t.audio_filename) FROM meekah.track_info t")" \
		"$k: N/A in an ISRC cell is no ISRC; ms in a number cell, seconds in a time cell"
	expect_match "warning: $W/wide.$k:Tracks!D2: field 'isrc': 'N/A' is a null marker" "$ERR" \
		"$k: the null marker is named by its cell"
	expect_eq "Ann Writer|producer|00522100422|60 Bob Writer|||40 Cleo|producer||100" \
		"$(q "SELECT string_agg(creator_name || '|' || coalesce(role, '') || '|' ||
		      coalesce(ipi_number, '') || '|' || split_percentage::int, ' ' ORDER BY creator_name)
		      FROM meekah.track_creator")" \
		"$k: creator.creator_name = name_# gives a creator per numbered group, flags and a numeric IPI read"
	expect_eq "intro|0|30 verse|30|186" "$(q "SELECT string_agg(section_name || '|' || start_time ||
		'|' || end_time, ' ' ORDER BY start_time) FROM meekah.track_arrangement")" \
		"$k: numbered sections, the last ending at the duration"
	expect_eq "$W/wide.$k:Tracks!J4:creator 2 ipi_number: '12': expected 9 to 11 digits, got 2" \
		"$(cat "$W/rej-wide-$k/rejects.log")" "$k: a bad value in a group names the group and its cell"
	expect_eq "w3.wav,Wide Bad,190000,n/a,Dee,,50,,Eve,12,50,,,,," \
		"$(tail -n +2 "$W/rej-wide-$k/wide.$k.csv")" "$k: the rejected row as CSV under the header"
	run "$BLENDCAT" export --format csv --out "$W/out-wide-$k"
	expect_rc 0 "$k: the wide catalog is exported"
done
for f in tracks creators arrangement; do
	if cmp -s "$W/out-wide-xlsx/$f.csv" "$W/out-wide-ods/$f.csv"; then
		pass "wide: xlsx and ods give the same $f.csv"
	else
		fail "wide: xlsx and ods give the same $f.csv" \
			"$(diff "$W/out-wide-xlsx/$f.csv" "$W/out-wide-ods/$f.csv" | head -20)"
	fi
done

freshdb wb_nohead
printf 'audio_filename = 1\ntitle = 2\nduration = 3\nisrc = 4\n' >"$W/nohead.map"
run "$BLENDCAT" import --no-header --map "$W/nohead.map" --rejects "$W/rej-nohead" \
	--report "$W/nohead.json" "$W/nohead.xlsx"
expect_rc 1 "--no-header with a map: the workbook loads, one bad row (exit 1)"
expect_eq "nh1.wav|No Head One|120| nh2.wav|No Head Two|121|" "$(q "SELECT string_agg(audio_filename || '|' ||
	title || '|' || duration || '|' || coalesce(isrc, ''), ' ' ORDER BY audio_filename)
	FROM meekah.track_info")" "--no-header: the first row is data, columns by number, a short row padded"
expect_eq "$W/nohead.xlsx:Dump!C3:duration: 'long': duration is not a number of seconds, m:ss or ISO 8601: 'long'" \
	"$(cat "$W/rej-nohead/rejects.log")" "--no-header: a problem named by its cell"
expect_eq "nh3.wav,No Head Bad,long,USB002400097" "$(cat "$W/rej-nohead/nohead.xlsx.csv")" \
	"--no-header: the rejects file holds the row alone, no header"
expect_match '"format": "xlsx", "sheet": "Dump", "header": false' "$W/nohead.json" \
	"--no-header: the report names the sheet and says there is no header"
expect_match "sheet $W/nohead.xlsx: xlsx workbook, sheet 'Dump', no header" "$ERR" \
	"the report on stderr names the sheet"

# --atomic file peeks at a workbook's header to put track files first.
freshdb wb_atomic
run "$BLENDCAT" import -q --rejects "$W/rej-misc" --atomic file "$W/same/xlsx/instruments.xlsx" "$W/same/xlsx/label.xlsx"
expect_rc 0 "--atomic file: a workbook of instruments before its tracks loads (exit 0)"

# ------------------------------------------------------------ by content
mkdir -p "$W/walk/sub"
cp "$W/sheets.xlsx" "$W/walk/label-sheet"
cp "$W/sheets.ods" "$W/walk/sub/tracks.dat"
cp "$W/gaps.xlsx" "$W/walk/sub/renamed.csv"
run "$BLENDCAT" check --offline --rejects "$W/rej-misc" --report "$W/walk.json" "$W/walk"
expect_rc 0 "a directory: workbooks known by content, whatever their names (exit 0)"
expect_match '"skipped_files": 1, "files": 3, ' "$W/walk.json" \
	"three workbooks read (no extension, .dat, .csv), Thumbs.db (OLE2, not encrypted) skipped"
expect_match "^6 rows from 3 files: 0 rejected" "$ERR" "their rows are read"

# ---------------------------------------------------------------- hostile
check_refused() {
	local file=$1 re=$2 what=$3
	run "$BLENDCAT" check --offline --rejects "$W/rej-hostile" "$W/hostile/$file" "$W/gaps.xlsx"
	expect_rc 1 "$what: refused, the other file read (exit 1)"
	expect_match "error: $W/hostile/$file$re" "$ERR" "$what: the reason is given"
}
check_refused bomb.xlsx ": zip entry 'xl/worksheets/sheet2.xml' would expand 1027 times .*refused as a zip bomb" \
	"a zip bomb"
check_refused traversal.xlsx ": zip entry '../../tmp/evil.txt' leads out of the archive" "a '../' entry"
check_refused encrypted.xlsx ": the workbook is encrypted \(saved with a password to open it\)" \
	"an encrypted workbook"
check_refused doctype.xlsx ":xl/worksheets/sheet2.xml:2: DOCTYPE refused: external entity 'xxe' \(SYSTEM \"file:///etc/passwd\"\): an XXE attempt" \
	"a DOCTYPE in a sheet"
check_refused old.xls ": an OLE2 compound file, such as an Excel 97-2003 .xls workbook" "an old .xls"
expect_match "^2 rows from 2 files" "$ERR" "the good workbook beside it is read"
[ ! -e /tmp/evil.txt ] && pass "nothing is written out of the archive" ||
	fail "nothing is written out of the archive"
