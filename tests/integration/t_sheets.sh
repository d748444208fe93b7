# Label sheets as they arrive: any CSV dialect (separator sniffed or given,
# decimal commas, BOM, CRLF, Excel's UTF-16 "Unicode text"), compared field
# by field through exports; rejects byte for byte in the file's encoding.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/sheets
mkdir -p "$W"
FIX=$(dirname "$0")/sheet_fixture.py

# ---------------------------------------------------------------- dialects

for d in comma semicolon tab utf16; do
	python3 "$FIX" "$W/$d" "$d" || fail "sheet_fixture.py $d"
done
for d in comma semicolon tab utf16; do
	freshdb "sheets_$d"
	run "$BLENDCAT" import --rejects "$W/rej-$d" --report "$W/$d.json" "$W/$d"
	expect_rc 0 "$d: the 40 tracks load, nothing rejected"
	cp "$ERR" "$W/$d.err"
	run "$BLENDCAT" export --format csv --out "$W/out-$d"
	expect_rc 0 "$d: export"
done
expect_eq "40|79" "$(q "SELECT (SELECT count(*) FROM meekah.track_info), count(*) FROM meekah.track_creator")" \
	"utf16: 40 tracks and 79 creators loaded"
for d in semicolon tab utf16; do
	if diff -r "$W/out-comma" "$W/out-$d" >"$W/diff-$d"; then
		pass "$d: the same catalog as the comma CSV, field by field"
	else
		fail "$d: the same catalog as the comma CSV, field by field" "$(head -20 "$W/diff-$d")"
	fi
done

# The values a decimal comma or a quoted separator could break.
export DATABASE_URL=${PG_URL_BASE/\/blendtune\?//sheets_semicolon?}
expect_eq "Semi;colon 2|Say \"Hi\" 3|Comma, semicolon; both 6" \
	"$(q "SELECT string_agg(title, '|' ORDER BY audio_filename) FROM meekah.track_info
	      WHERE audio_filename IN ('track02.wav', 'track03.wav', 'track06.wav')")" \
	"semicolon: ';' and '\"' inside quoted values are kept"
expect_match '[0-9],5;' "$W/semicolon/tracks.csv" "semicolon: the fixture has decimal commas"
expect_eq "$(q "SELECT count(*) FROM meekah.track_creator WHERE split_percentage = 33.33")" 26 \
	"semicolon: splits 33,33 are 33.33"

# The report names each file's dialect.
expect_match 'sheet .*semicolon/tracks.csv: semicolon-separated, UTF-8 with BOM, CRLF line ends, decimal comma' \
	"$W/semicolon.err" "semicolon: the report on stderr names the dialect"
expect_match 'sheet .*utf16/tracks.txt: tab-separated, UTF-16LE with BOM, CRLF line ends' \
	"$W/utf16.err" "utf16: the report on stderr names the dialect"
expect_match '"path": "[^"]*tab/creators.tsv", "delimiter": "\\u0009", "delimiter_name": "tab", "delimiter_given": false, "encoding": "UTF-8", "bom": false, "line_end": "CRLF", "decimal_comma": false, "header": true' \
	"$W/tab.json" "tab: --report JSON names the dialect"
expect_match '"path": "[^"]*semicolon/tracks.csv", "delimiter": ";", .*"encoding": "UTF-8", "bom": true, "line_end": "CRLF", "decimal_comma": true' \
	"$W/semicolon.json" "semicolon: --report JSON names the dialect"
expect_match '"files": 2,' "$W/utf16.json" "utf16: README.txt in the directory is not read as a sheet"

# check reads them the same way.
for d in semicolon tab utf16; do
	run "$BLENDCAT" check --offline "$W/$d"
	expect_rc 0 "$d: check --offline: nothing rejected"
done

# Rejected rows are copied byte for byte in the file's own encoding.
python3 - "$W" <<'PY'
import sys
w = sys.argv[1]
t = open(w + "/semicolon/tracks.csv", "rb").read().replace(b"track05.wav;", b"track05.wav;;", 1)
open(w + "/bad-semi.csv", "wb").write(t)
u = open(w + "/utf16/tracks.txt", "rb").read().decode("utf-16-le")
u = u.replace("track07.wav\t", "track07.wav\tx\t", 1).replace("2024-04-04", "2024-13-04", 1)
open(w + "/bad-u16.txt", "wb").write(u.encode("utf-16-le"))
PY
for f in bad-semi.csv bad-u16.txt; do
	freshdb sheets_rej
	run "$BLENDCAT" import --rejects "$W/rej-$f" "$W/$f"
	expect_rc 1 "$f: a row with a field too many, a bad date: exit 1"
done
expect_match 'bad-semi.csv:[0-9]+: expected 12 fields as in the header, got 13' "$W/rej-bad-semi.csv/rejects.log" \
	"semicolon: a row with a field too many is named by its line"
expect_match 'bad-u16.txt:[0-9]+: expected 12 fields as in the header, got 13' "$W/rej-bad-u16.txt/rejects.log" \
	"utf16: a row with a field too many is named by its line"
expect_match 'bad-u16.txt:[0-9]+:release_date: .2024-13-04.: .*month 13' "$W/rej-bad-u16.txt/rejects.log" \
	"utf16: a bad value is named by its line"
python3 - "$W" >"$W/rej-check" <<'PY'
import re, sys
w = sys.argv[1]
for name, enc, bom, tracks in (("bad-semi.csv", "utf-8", b"\xef\xbb\xbf", ["track05"]),
                               ("bad-u16.txt", "utf-16-le", b"\xff\xfe", ["track03", "track07"])):
    text = open(w + "/" + name, "rb").read()[len(bom):].decode(enc)
    want = text[:text.index("\r\n") + 2]
    for t in tracks:
        want += re.search(r"(?s)^%s\.wav.*?\r\n(?=track\d\d\.wav|\Z)" % t, text, re.M).group(0)
    got = open(w + "/rej-" + name + "/" + name, "rb").read()
    print(name, got == bom + want.encode(enc))
PY
expect_eq "bad-semi.csv True
bad-u16.txt True" "$(cat "$W/rej-check")" \
	"rejects: the header and the rejected rows byte for byte, in UTF-8 with BOM and in UTF-16"

# --delimiter: a separator no sniffing looks for; a bad one is a usage error.
printf 'audio_filename:title:duration\ncolon.wav:Colon, Semi;colon:100\n' >"$W/colon.csv"
run "$BLENDCAT" import --delimiter : "$W/colon.csv"
expect_rc 0 "--delimiter ':': the file loads"
expect_eq "Colon, Semi;colon" "$(q "SELECT title FROM meekah.track_info WHERE audio_filename = 'colon.wav'")" \
	"--delimiter ':': fields split on ':' only"
expect_match "sheet .*colon.csv: ':'-separated \(--delimiter\)" "$ERR" "--delimiter: the report says it was given"
run "$BLENDCAT" import --delimiter '"' "$W/colon.csv"
expect_rc 2 "--delimiter '\"': exit 2"
expect_match "--delimiter needs one ASCII character" "$ERR" "--delimiter '\"': says why"
printf 'audio_filename;title;duration\nsemi.wav;Semi;100\n' >"$W/semi-forced.csv"
run "$BLENDCAT" import --delimiter , "$W/semi-forced.csv"
expect_rc 1 "--delimiter ',' on a ';' file: the file is not usable"
expect_match "no audio_filename column in the header" "$ERR" "--delimiter overrides the sniffing"

# ---------------------------------------------------------- joined fields

# A chart sheet: key and mode apart, some keys unknown; year, month, day apart.
python3 - "$W/chart.csv" <<'PY'
import sys
rows = ["File,Title,Length,Key,Mode,Year,Month,Day"]
for i in range(20):
    key = "" if i in (3, 14) else "CDEFGAB"[i % 7]
    mode = "Major" if i % 2 else "Minor"
    month, day = ("", "") if i == 5 else (str(1 + i % 12), "" if i == 6 else str(1 + i))
    rows.append("chart%02d.wav,Chart %d,%d:%02d,%s,%s,2024,%s,%s" % (i, i, 2 + i % 3, i, key, mode, month, day))
rows.append("chart20.wav,Chart 20,3:00,,Sideways,,,")
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
cat >"$W/chart.map" <<'MAP'
audio_filename = File
musical_key = Key + Mode
release_date = Year + Month + Day
MAP
freshdb sheets_chart
run "$BLENDCAT" import --map "$W/chart.map" --rejects "$W/rej-chart" "$W/chart.csv"
expect_rc 1 "chart sheet: loads, one bad mode rejected"
expect_eq "20|2" "$(q "SELECT count(*), count(*) FILTER (WHERE musical_key IS NULL) FROM meekah.track_info")" \
	"key + mode with an empty key: the track loads with no key (2 of 20)"
expect_eq "major|minor" "$(q "SELECT string_agg(coalesce(scale, '-'), '|' ORDER BY audio_filename)
                               FROM meekah.track_info WHERE musical_key IS NULL")" \
	"key + mode with an empty key: the mode still gives the scale"
expect_eq "G|minor" "$(q "SELECT musical_key || '|' || scale FROM meekah.track_info WHERE audio_filename = 'chart04.wav'")" \
	"key + mode: both given"
expect_match "chart.csv:22:musical_key: ' \+ Sideways': unknown scale 'Sideways'" "$W/rej-chart/rejects.log" \
	"key + mode with a bad mode: rejected, the parts shown"
expect_nomatch "unknown key" "$W/rej-chart/rejects.log" "key + mode: no 'unknown key' rejects"
expect_eq "2024-05-05|2024-01-01|2024-07-01" \
	"$(q "SELECT string_agg(release_date::text, '|' ORDER BY audio_filename) FROM meekah.track_info
	      WHERE audio_filename IN ('chart04.wav', 'chart05.wav', 'chart06.wav')")" \
	"year + month + day: no month is the year, no day the month"

# ------------------------------------------------------------ null markers

cat >"$W/nulls.csv" <<'CSV'
File Name,Track Title,Length,ISRC,BPM,Release Date,Key,Genre,Composer 1,Composer 1 IPI,Composer 1 Split
n1.wav,Unknown,3:00,N/A,TBD,-,unknown,Unknown,Ann,N/A,100
n2.wav,N/A,3:00,n/a,none,null,—,-,Bob,n/a,?
n3.wav,Three,3:00,GB-AYE-24-00003,?,2024-05-01,Am,House,Cy,-,50
n4.wav,Four,3:00,#N/A,120,TBD,N/A,House,Dee,,N/A
CSV
freshdb sheets_nulls
run "$BLENDCAT" import --rejects "$W/rej-nulls" "$W/nulls.csv"
expect_rc 1 "null markers: the sheet loads but for the '?' no --null names"
expect_match "nulls.csv:4:tempo: '\?': tempo is not a number" "$W/rej-nulls/rejects.log" \
	"null markers: '?' is not one without --null"
run "$BLENDCAT" import --null '?' --rejects "$W/rej-nulls2" "$W/nulls.csv"
expect_rc 0 "--null '?': every row loads"
expect_eq "n1.wav|Unknown|||||Unknown n2.wav|N/A|||||- n3.wav|Three|GBAYE2400003||2024-05-01|A|House n4.wav|Four||120|||House" \
	"$(q "SELECT string_agg(format('%s|%s|%s|%s|%s|%s|%s', audio_filename, title, isrc, tempo, release_date,
	      musical_key, genre), ' ' ORDER BY audio_filename) FROM meekah.track_info")" \
	"null markers: typed fields empty, free text (title, genre) kept as written"
expect_eq "Ann||100.00 Bob|| Cy||50.00 Dee||" \
	"$(q "SELECT string_agg(format('%s|%s|%s', creator_name, ipi_number, split_percentage), ' '
	      ORDER BY creator_name) FROM meekah.track_creator")" "null markers: in creator groups too"
expect_eq 1 "$(grep -c "field 'isrc': 'N/A' is a null marker: read as empty" "$ERR")" \
	"null markers: one warning for the ISRC column, not one per row"
expect_eq 6 "$(grep -c "is a null marker" "$ERR")" \
	"null markers: one warning per column (isrc, tempo, release_date, musical_key, ipi_number, split)"
run "$BLENDCAT" import --null '' "$W/nulls.csv"
expect_rc 2 "--null '': exit 2"

# ------------------------------------------------------------- no header

printf 'h1.wav\tHead One\t3:00\t120.5\textra\nh2.wav\tHead Two\t2:00\tslow\textra\nh3.wav\tHead Three\t1:00\t90\textra\n' \
	>"$W/nohead.tsv"
printf 'audio_filename = 1\ntitle = 2\nduration = 3\ntempo = 4\n' >"$W/nohead.map"
freshdb sheets_nohead
run "$BLENDCAT" import --no-header --map "$W/nohead.map" --rejects "$W/rej-nohead" --report "$W/nohead.json" \
	"$W/nohead.tsv"
expect_rc 1 "--no-header with a map: loads, one bad row"
expect_eq "h1.wav|Head One|180|121 h3.wav|Head Three|60|90" \
	"$(q "SELECT string_agg(format('%s|%s|%s|%s', audio_filename, title, duration, tempo), ' '
	      ORDER BY audio_filename) FROM meekah.track_info")" \
	"--no-header: the first line is data, columns by number"
expect_match "nohead.tsv:2:tempo: 'slow'" "$W/rej-nohead/rejects.log" "--no-header: lines counted from the first row"
expect_eq "$(sed -n 2p "$W/nohead.tsv")" "$(cat "$W/rej-nohead/nohead.tsv")" \
	"--no-header: the rejects file holds the row alone, no header"
expect_match '1 of the 5 columns is not mapped: ignored' "$ERR" "--no-header: unmapped columns counted once"
expect_match '"rows": 3,' "$W/nohead.json" "--no-header: every row counts"
expect_match '"header": false' "$W/nohead.json" "--no-header: the report says there is no header"
run "$BLENDCAT" import --no-header "$W/nohead.tsv"
expect_rc 1 "--no-header without a map: the file is not usable"
expect_match "no audio_filename column: --no-header needs a --map naming it" "$ERR" \
	"--no-header without a map: says what to do"

# ------------------------------------------------------ durations in ms

printf 'TrackId,Name,Composer,Milliseconds,Bytes\nms1.wav,One,Ann,343719,11170334\nms2.wav,Two,Bob,1500,1\nms3.wav,Three,Cy,400,1\n' \
	>"$W/ms.csv"
printf 'audio_filename;title;duration_ms\r\nms4.wav;Four;185499,9\r\n' >"$W/ms-semi.csv"
printf 'audio_filename = TrackId\ntitle = Name\nduration = Milliseconds\n' >"$W/ms.map"
freshdb sheets_ms
run "$BLENDCAT" import --map "$W/ms.map" --rejects "$W/rej-ms" "$W/ms.csv"
expect_rc 1 "a Milliseconds column: loads, one too short"
run "$BLENDCAT" import "$W/ms-semi.csv"
expect_rc 0 "a duration_ms column in a ';' sheet: loads"
expect_eq "ms1.wav|344 ms2.wav|2 ms4.wav|185" \
	"$(q "SELECT string_agg(audio_filename || '|' || duration, ' ' ORDER BY audio_filename) FROM meekah.track_info")" \
	"durations in milliseconds: rounded half up to seconds"
expect_match "ms.csv:4:duration: '400': '400' ms is less than half a second" "$W/rej-ms/rejects.log" \
	"a duration under half a second is rejected, in ms"

# ------------------------------------------------------------- wide sheets

cat >"$W/wide.map" <<'MAP'
# one row per track, children in numbered column groups
audio_filename = file
arrangement.start_time   = time_#
arrangement.section_name = section_#
creator.creator_name     = name_#
creator.role             = producer_#? producer | songwriter_#? songwriter
creator.ipi_number       = ipi_#
creator.split_percentage = split_#
instrument.instrument_category = instrument_#
instrument.instrument_type     = category_#
sample.sample_description = sample_file_#
sample.sample_pack_name   = sample_pack_#
sample.is_cleared         = sample_clearance_#
MAP
cat >"$W/wide.csv" <<'CSV'
file,title,duration,time_1,section_1,time_2,section_2,time_3,section_3,name_1,producer_1,songwriter_1,ipi_1,split_1,name_2,producer_2,songwriter_2,ipi_2,split_2,instrument_1,category_1,instrument_2,category_2,sample_file_1,sample_pack_1,sample_clearance_1,sample_file_2,sample_pack_2,sample_clearance_2
w1.wav,Wide One,3:00,0:00,intro,0:30,verse,2:10,outro,Ann,x,yes,00000000199,60,Bob,no,1,N/A,40,synth,Lead,drums,Kit,kick.wav,Pack A,yes,vox.wav,Pack B,no
w2.wav,Wide Two,1:02:03,0:00,intro,1:00:00,outro,,,Cy,,,,100,,,,,,,,,,,,,,,
w3.wav,Wide, Three,2:00,0:00,intro,,,,,Dee,y,,,100,,,,,,,,,,,,,,,
w4.wav,Wide Four,2:00,0:00,intro,,,,,Eve,maybe,,,100,,,,,,,,,,,,,,,
CSV
freshdb sheets_wide
run "$BLENDCAT" import --map "$W/wide.map" --rejects "$W/rej-wide" "$W/wide.csv"
expect_rc 1 "wide sheet: loads, two bad rows rejected"
expect_eq "w1.wav|Ann|producer|00000000199|60.00 w1.wav|Ann|songwriter|00000000199| w1.wav|Bob|songwriter||40.00 w2.wav|Cy|||100.00" \
	"$(q "SELECT string_agg(format('%s|%s|%s|%s|%s', t.audio_filename, creator_name, role, ipi_number,
	      split_percentage), ' ' ORDER BY t.audio_filename, creator_name, role)
	      FROM meekah.track_creator c JOIN meekah.track_info t ON t.id = c.track_id")" \
	"wide: one creator row per true flag, the split on the first, none without a flag"
expect_eq "w1.wav|intro|0|30 w1.wav|verse|30|130 w1.wav|outro|130|180 w2.wav|intro|0|3600 w2.wav|outro|3600|3723" \
	"$(q "SELECT string_agg(format('%s|%s|%s|%s', t.audio_filename, section_name, start_time, end_time), ' '
	      ORDER BY t.audio_filename, start_time)
	      FROM meekah.track_arrangement a JOIN meekah.track_info t ON t.id = a.track_id")" \
	"wide: sections end where the next starts, the last at the duration; h:mm:ss read"
expect_eq "synth|Lead drums|Kit" \
	"$(q "SELECT string_agg(instrument_category || '|' || instrument_type, ' ' ORDER BY instrument_type DESC)
	      FROM meekah.track_instrument")" "wide: instrument groups"
expect_eq "Pack A|kick.wav|t Pack B|vox.wav|f" \
	"$(q "SELECT string_agg(format('%s|%s|%s', sample_pack_name, sample_description, is_cleared), ' '
	      ORDER BY sample_pack_name) FROM meekah.track_sample")" "wide: sample groups"
expect_match "wide.csv:4: expected 29 fields as in the header, got 30 \(a value holding the separator must be quoted\)" \
	"$W/rej-wide/rejects.log" "an unquoted comma: the row is rejected with its line"
expect_eq 0 "$(q "SELECT count(*) FROM meekah.track_info WHERE audio_filename = 'w3.wav'")" \
	"an unquoted comma: nothing of the row is loaded shifted"
expect_match "wide.csv:5:creator 1 producer_1: 'maybe': a flag must be" "$W/rej-wide/rejects.log" \
	"a flag that is no flag: the row is rejected, the column named"
expect_eq "$(sed -n '1p;4p;5p' "$W/wide.csv")" "$(cat "$W/rej-wide/wide.csv")" \
	"wide: the rejected rows are in the rejects file whole, under the header"
run "$BLENDCAT" check --offline --map "$W/wide.map" "$W/wide.csv"
expect_rc 1 "wide: check reads it the same way (the same two rejects)"
expect_match "4 rows from 1 files: 2 rejected" "$ERR" "wide: check rejects the same rows"

rm -f "$OUT" "$ERR"
