# Audio files in bulk: a library written by scripts/gen-audio (mixed
# formats, broken files, non-ASCII tags) loads exactly as its manifest says,
# the same with any --jobs; every file of the real corpus loads or is
# rejected with a reason; --incremental skips what did not change.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/tags
mkdir -p "$W"
EXPECT="python3 $(dirname "$0")/audio_expect.py"

report() { python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    v = d
    for p in k.split("."):
        v = v[p]
    print(v, end=" ")' "$@"; }

# ------------------------------------------------ a generated library

# 300 files, seed 1: the same bytes every run.  The manifest goes beside
# the library, not into it (it would be one more skipped file).
if ! "$TOP/scripts/gen-audio" -q -s 1 -m "$W/manifest.jsonl" "$W/lib" 300 \
	>"$W/gen.log" 2>&1; then
	fail "gen-audio writes the library (see scripts/deps)" "$(cat "$W/gen.log")"
	exit 0
fi
for f in mp3 flac ogg opus m4a wav aiff; do
	grep -q "\"format\": \"$f\", \"ext\": \"[a-z0-9]*\", \"kind\": \"ok\"" "$W/manifest.jsonl" ||
		fail "the library has $f files (an encoder is missing: see scripts/deps)"
done
read -r loaded rejected skipped either nfd < <($EXPECT counts "$W/manifest.jsonl")
expect_eq "0 yes yes" "$either $([ "$nfd" -gt 0 ] && echo yes) $([ "$rejected" -gt 5 ] && echo yes)" \
	"the manifest fixes every file's fate, has decomposed titles and broken files"

for j in 1 2 5; do
	freshdb tags_j$j
	run "$BLENDCAT" import --jobs $j --report "$W/r$j.json" --rejects "$W/rej$j" "$W/lib"
	expect_rc 1 "--jobs $j: the library loads, with rejects (exit 1)"
	expect_eq "$loaded $rejected $skipped $((loaded + rejected)) " \
		"$(report "$W/r$j.json" tables.track_info.inserted tables.track_info.rejected \
			skipped_files audio_files_read)" \
		"--jobs $j: as many tracks loaded, files rejected and skipped as the manifest says"
	"$BLENDCAT" export --format csv --out "$W/exp$j" -q
	# stderr without the timing line
	grep -v ' rows/s' "$ERR" >"$W/err$j"
done
q "SELECT json_build_array(audio_filename, title, artist, tempo, isrc, catalog_number,
	musical_key, scale) FROM meekah.track_info" >"$W/rows"
run $EXPECT compare "$W/manifest.jsonl" <"$W/rows"
expect_rc 0 "title, artist, tempo, key, ISRC, catalog number: as the tags were written (NFC)"
expect_eq "" "$(head -c 2000 "$OUT")" "no value differs from the manifest"
expect_eq 0 "$(q "SELECT count(*) FROM meekah.track_info
	WHERE title <> normalize(title, NFC) OR artist <> normalize(artist, NFC)")" \
	"every stored title and artist is NFC"
expect_eq "yes yes yes" "$(q "SELECT bool_or(title ~ '[\u4e00-\u9fff]') AND true,
	bool_or(title ~ '[\U0001F300-\U0001FAFF]'), bool_or(artist ~ '[À-ÿ]')
	FROM meekah.track_info" | sed 's/t/yes/g; s/|/ /g')" \
	"CJK, emoji and accented letters came through"
for j in 2 5; do
	run diff -r "$W/exp1" "$W/exp$j"
	expect_rc 0 "--jobs $j exports the same catalog as --jobs 1"
	run diff "$W/rej1/rejects.log" "$W/rej$j/rejects.log"
	expect_rc 0 "--jobs $j: the same rejects.log, in the same order"
	run diff "$W/err1" "$W/err$j"
	expect_rc 0 "--jobs $j: the same warnings and report"
done
expect_match "empty file \(0 bytes\)" "$W/rej1/rejects.log" "a zero-byte file is rejected, with why"
expect_match "cannot read audio" "$W/rej1/rejects.log" "a truncated file is rejected, with why"

# --incremental over the library: a second run reads nothing, not even the
# files whose new track had no title (their own content rejected them).
run "$BLENDCAT" import --incremental --report "$W/i1.json" --rejects "$W/reji1" "$W/lib"
expect_eq "$((loaded + rejected)) 0 " "$(report "$W/i1.json" audio_files_read unchanged_files)" \
	"--incremental, first run: every audio file is read"
stamp=$(q "SELECT md5(string_agg(audio_filename || updated_at, ',' ORDER BY audio_filename))
	FROM meekah.track_info")
run "$BLENDCAT" import --incremental --report "$W/i2.json" --rejects "$W/reji2" "$W/lib"
untitled=$(grep -c 'a new track needs a title' "$W/reji1/rejects.log")
expect_eq "yes 0 $((loaded + rejected)) $rejected 0 0 " \
	"$([ "$untitled" -gt 5 ] && echo yes) $(report "$W/i2.json" audio_files_read unchanged_files \
		unchanged_rejected_files tables.track_info.inserted tables.track_info.updated)" \
	"--incremental, second run: no file is read, the $untitled untitled ones neither"
expect_eq "$stamp" "$(q "SELECT md5(string_agg(audio_filename || updated_at, ',' ORDER BY audio_filename))
	FROM meekah.track_info")" "--incremental, second run: no track is written"

# The reference generator's library, smaller: audio_expect.py reads its
# manifest by the same contract, and blendcat loads it as that says.  Files
# it truncated after their headers may load or not (the manifest cannot
# say), hence the ranges.
shared_audio_crosscheck() {
	local loaded rejected skipped either nfd ins rej skp
	if ! "$SHARED/tools/make-audio-corpus" -q -s 1 -m "$W/x.jsonl" "$W/xlib" 150 \
		>"$W/xgen.log" 2>&1; then
		fail "make-audio-corpus writes a library" "$(cat "$W/xgen.log")"
		return
	fi
	read -r loaded rejected skipped either nfd < <($EXPECT counts "$W/x.jsonl")
	freshdb tags_shared
	run "$BLENDCAT" import --jobs 2 --report "$W/x.json" --rejects "$W/rejx" "$W/xlib"
	expect_rc 1 "make-audio-corpus's library loads, with rejects (exit 1)"
	read -r ins rej skp < <(report "$W/x.json" tables.track_info.inserted \
		tables.track_info.rejected skipped_files)
	expect_eq "$skipped $((loaded + rejected + either)) yes" \
		"$skp $((ins + rej)) $([ "$ins" -ge "$loaded" ] && [ "$ins" -le $((loaded + either)) ] &&
			echo yes)" \
		"make-audio-corpus's library: files skipped, read, and tracks loaded as its manifest says"
	q "SELECT json_build_array(audio_filename, title, artist, tempo, isrc, catalog_number,
		musical_key, scale) FROM meekah.track_info" >"$W/xrows"
	run $EXPECT compare "$W/x.jsonl" <"$W/xrows"
	expect_rc 0 "make-audio-corpus's library: every value as its manifest says"
}
with_shared tools/make-audio-corpus shared_audio_crosscheck

# --------------------------------------------------- the real corpus

real_corpus_tests() {
freshdb tags_corpus
C=$SHARED/corpus/audio
run "$BLENDCAT" import --report "$W/c.json" --rejects "$W/rejc" "$C"
expect_rc 1 "the real corpus: exit 1 (loaded, with rejects), no crash"
files=$(find "$C" -maxdepth 1 -type f ! -name '.*' | wc -l)
read -r read_ ins rej < <(report "$W/c.json" audio_files_read tables.track_info.inserted \
	tables.track_info.rejected)
skipped_c=$(report "$W/c.json" skipped_files)
expect_eq "$files" "$((read_ + skipped_c))" "every file of the corpus is read or skipped"
expect_eq "$read_" "$((ins + rej))" "every audio file read loads or is rejected"
expect_eq "$rej" "$(grep "^$C/" "$W/rejc/rejects.log" | cut -d: -f1 | sort -u | wc -l)" \
	"every rejected file has its reason in rejects.log"
expect_eq "Silence|piman / jzig|3|Silence|2004-01-01" \
	"$(q "SELECT title, artist, duration, genre, release_date FROM meekah.track_info
	      WHERE audio_filename = 'silence-44-s.mp3'")" "an ID3v2 MP3 of the corpus, exactly"
expect_eq "I Want the World to Stop|Belle and Sebastian|273|RTRADLP480" \
	"$(q "SELECT title, artist, duration, catalog_number FROM meekah.track_info
	      WHERE audio_filename = 'flac_application.flac'")" "a FLAC of the corpus, exactly"
expect_eq "Burst|UVERworld|JRock|SRCL-6240" \
	"$(q "SELECT title, artist, genre, description FROM meekah.track_info
	      WHERE audio_filename = 'multipage-setup.ogg'")" "an Ogg Vorbis file of the corpus, exactly"
expect_match "too-short.mp3: cannot read audio \(empty or broken file\)" "$W/rejc/rejects.log" \
	"a truncated MP3 of the corpus is rejected, with why"
expect_nomatch "SOURCES.md" "$W/rejc/rejects.log" "a text file in the tree is skipped, not rejected"
expect_match "sample.mid: unsupported audio format \(audio/midi\)" "$W/rejc/rejects.log" \
	"audio found by its content under a name not known as audio: rejected with why"
}
with_shared corpus/audio real_corpus_tests

# Audio under no known name is found by its content and loads.
freshdb tags_byname
mkdir -p "$W/byname"
cp "$TOP/tests/data/audio/vorbis.flac" "$W/byname/night-drive"
cp "$TOP/tests/data/audio/make-fixtures.sh" "$W/byname/notes"
run "$BLENDCAT" import --report "$W/b.json" --rejects "$W/rejb" "$W/byname"
expect_eq "1 1 1 " "$(report "$W/b.json" audio_files_read tables.track_info.inserted skipped_files)" \
	"a FLAC file without an extension is read by content and loads; the script is skipped"
expect_eq "Night Drive" "$(q "SELECT title FROM meekah.track_info WHERE audio_filename = 'night-drive'")" \
	"its tags are read"

# ----------------------------------------------------- --incremental

freshdb tags_inc
mkdir -p "$W/inc"
cp -p "$TOP"/tests/data/audio/*.mp3 "$TOP"/tests/data/audio/*.flac "$TOP"/tests/data/audio/*.ogg \
	"$TOP"/tests/data/audio/*.m4a "$TOP"/tests/data/audio/*.wav "$W/inc/"
run "$BLENDCAT" import --incremental --report "$W/n1.json" --rejects "$W/rejn1" "$W/inc"
expect_rc 0 "--incremental, first run over 5 tagged files: exit 0"
expect_eq "5 5 " "$(report "$W/n1.json" audio_files_read tables.track_info.inserted)" \
	"first run: 5 files read, 5 tracks"
expect_eq 5 "$(q "SELECT count(*) FROM ingest.file_state WHERE path LIKE '/%'
	AND audio_filename IS NOT NULL AND run_id IS NOT NULL")" \
	"ingest.file_state has each file, by absolute path, with its track and run"
stamp=$(q "SELECT md5(string_agg(audio_filename || updated_at, ',' ORDER BY audio_filename))
	FROM meekah.track_info")
run "$BLENDCAT" import --incremental --report "$W/n2.json" --rejects "$W/rejn2" "$W/inc"
expect_eq "0 5 0 " "$(report "$W/n2.json" audio_files_read unchanged_files tables.track_info.read)" \
	"second run: no file read, 5 unchanged, no track staged"
expect_match "0 audio files read; 5 unchanged and skipped" "$ERR" "the report says so"

# A tag edited in place, its mtime put back ("preserve timestamps"): ctime
# still moves, and exactly that file is read again.
cp -p "$W/inc/id3v24.mp3" "$W/ref.mp3"
python3 -c 'import sys
p = sys.argv[1]
b = open(p, "rb").read()
assert b.count(b"Summer Vibes") == 1
open(p, "r+b").write(b.replace(b"Summer Vibes", b"Summer Vibez"))' "$W/inc/id3v24.mp3"
touch -m -r "$W/ref.mp3" "$W/inc/id3v24.mp3"
expect_eq "$(stat -c '%s %y' "$W/ref.mp3")" "$(stat -c '%s %y' "$W/inc/id3v24.mp3")" \
	"the edited file has its old size and mtime"
sleep 0.01
run "$BLENDCAT" import --incremental --report "$W/n3.json" --rejects "$W/rejn3" "$W/inc"
expect_eq "1 4 1 " "$(report "$W/n3.json" audio_files_read unchanged_files tables.track_info.updated)" \
	"an edit with the mtime kept: that file alone is read, its track updated"
expect_eq "Summer Vibez" "$(q "SELECT title FROM meekah.track_info WHERE audio_filename = 'id3v24.mp3'")" \
	"the edited title is loaded"

# A file gone: reported, its track kept.  An unchanged file still counts
# for --require-audio.
rm "$W/inc/vorbis.ogg"
printf 'audio_filename,title\nvorbis.flac,Renamed In CSV\n' >"$W/inc/tracks.csv"
run "$BLENDCAT" import --incremental --require-audio --report "$W/n4.json" --rejects "$W/rejn4" "$W/inc"
expect_rc 0 "a file gone, a manifest for an unchanged file with --require-audio: exit 0"
expect_match "inc/vorbis.ogg' is gone since the last run; its track 'vorbis.ogg' stays in the catalog" \
	"$ERR" "a file gone is reported with its track"
expect_eq "1 1" "$(report "$W/n4.json" gone_files)$(q "SELECT count(*) FROM meekah.track_info
	WHERE audio_filename = 'vorbis.ogg'")" "the gone file's track stays in the catalog"
expect_eq "Renamed In CSV" "$(q "SELECT title FROM meekah.track_info WHERE audio_filename = 'vorbis.flac'")" \
	"--require-audio: the unchanged (skipped) audio file counts as present"

# A failed run records nothing: the next run reads the files again.
cp -p "$TOP/tests/data/audio/vorbis.ogg" "$W/inc/"
printf 'audio_filename,title,duration\nx.mp3,X,-5\n' >"$W/bad.csv"
run "$BLENDCAT" import --incremental --max-rejects 0 --rejects "$W/rejn5" "$W/inc" "$W/bad.csv"
expect_rc 3 "--incremental with too many rejects: the run fails"
run "$BLENDCAT" import --incremental --report "$W/n6.json" --rejects "$W/rejn6" "$W/inc"
expect_eq "1 " "$(report "$W/n6.json" audio_files_read)" \
	"after a failed run, the file it read is read again"

run "$BLENDCAT" check --incremental "$W/inc"
expect_rc 2 "check --incremental is a usage error"

# --incremental and tracks rejected by a check across rows.  A file whose
# track only its own rows went into (a new track without a title) is
# skipped like a file whose content is rejected, until it changes or
# something else may settle its track: a sheet or a message in the run, the
# catalog having the track, --title-from-filename.  A file rejected for
# another file's rows (the same name twice, a manifest row) is read again.
freshdb tags_inc_rej
R=$W/increj
mkdir -p "$R/lib/a" "$R/lib/b" "$R/sheet"
# notitle NAME: a copy of vorbis.flac (3 s long) without its TITLE
notitle() {
	cp "$TOP/tests/data/audio/vorbis.flac" "$R/lib/$1"
	chmod u+w "$R/lib/$1"
	/usr/bin/python3 -c 'import sys
from mutagen.flac import FLAC
f = FLAC(sys.argv[1])
del f["title"]
f.save()' "$R/lib/$1"
}
for f in untitled.flac sheet.flac cat.flac name.flac; do notitle "$f"; done
cp "$TOP/tests/data/audio/vorbis.flac" "$R/lib/a/twice.flac"
cp "$TOP/tests/data/audio/vorbis.flac" "$R/lib/b/twice.flac"
cp "$TOP/tests/data/audio/id3v24.mp3" "$R/lib/ok.mp3"
state() { q "SELECT string_agg(substring(path FROM '[^/]*$') || '=' || coalesce(audio_filename, '-'),
	' ' ORDER BY path COLLATE \"C\") FROM ingest.file_state"; }
run "$BLENDCAT" import --incremental --report "$R/r1.json" --rejects "$R/rej1" "$R/lib"
expect_rc 1 "tracks rejected across rows, first run: exit 1"
expect_eq 4 "$(grep -c '\.flac:title: a new track needs a title$' "$R/rej1/rejects.log")" \
	"the 4 files without a title are rejected"
expect_eq 2 "$(grep -c 'twice\.flac:audio_filename: .twice\.flac.: the track appears 2 times' \
	"$R/rej1/rejects.log")" "the 2 files of one name are rejected"
expect_eq "cat.flac=- name.flac=- ok.mp3=ok.mp3 sheet.flac=- untitled.flac=-" "$(state)" \
	"ingest.file_state: the untitled files as rejected, not the two of one name"
run "$BLENDCAT" import --incremental --report "$R/r2.json" --rejects "$R/rej2" "$R/lib"
expect_eq "2 5 4 " "$(report "$R/r2.json" audio_files_read unchanged_files unchanged_rejected_files)" \
	"second run: the two files of one name are read again, the untitled ones are not"
expect_nomatch 'needs a title' "$R/rej2/rejects.log" "second run: the untitled files are not rejected again"
expect_match 'twice\.flac:audio_filename: .twice\.flac.: the track appears 2 times' "$R/rej2/rejects.log" \
	"second run: the name twice is rejected again"

# One of the two goes, an untitled file is touched: both are read.
rm "$R/lib/b/twice.flac"
touch "$R/lib/untitled.flac"
run "$BLENDCAT" import --incremental --report "$R/r3.json" --rejects "$R/rej3" "$R/lib"
expect_eq "2 1 " "$(report "$R/r3.json" audio_files_read tables.track_info.inserted)" \
	"the changed untitled file and the name now once are read; that track loads"
expect_match 'untitled\.flac:title: a new track needs a title$' "$R/rej3/rejects.log" \
	"the changed untitled file is rejected again"

# A sheet in the run may give an untitled file's track what it lacks: the
# untitled files are read again.  A manifest row without a title rejects
# sheet.flac's track: read again next time, when the sheet is fixed.
printf 'audio_filename,tempo\nsheet.flac,120\n' >"$R/sheet/tracks.csv"
run "$BLENDCAT" import --incremental --report "$R/r4.json" --rejects "$R/rej4" "$R/lib" "$R/sheet"
expect_eq "4 0 " "$(report "$R/r4.json" audio_files_read unchanged_rejected_files)" \
	"a sheet in the run: the 4 untitled files are read again"
expect_match 'tracks\.csv:2:title: a new track needs a title$' "$R/rej4/rejects.log" \
	"the sheet's row without a title rejects sheet.flac's track"
printf 'audio_filename,title,tempo\nsheet.flac,Sheet Title,120\n' >"$R/sheet/tracks.csv"
run "$BLENDCAT" import --incremental --report "$R/r5.json" --rejects "$R/rej5" "$R/lib" "$R/sheet"
expect_eq "Sheet Title|3|120" "$(q "SELECT title, duration, tempo FROM meekah.track_info
	WHERE audio_filename = 'sheet.flac'")" \
	"the sheet fixed: sheet.flac's track loads, its title from the sheet, its length from the file"

# Another run loads cat.flac's track from a sheet alone: the catalog has it
# now, and the next run over the audio reads the file to update it.
printf 'audio_filename,title,duration\ncat.flac,Cat From Sheet,200\n' >"$R/cat.csv"
run "$BLENDCAT" import --incremental --rejects "$R/rej6" "$R/cat.csv"
expect_rc 0 "cat.flac's track from a sheet alone: exit 0"
run "$BLENDCAT" import --incremental --report "$R/r7.json" --rejects "$R/rej7" "$R/lib"
expect_eq "1 1 " "$(report "$R/r7.json" audio_files_read tables.track_info.updated)" \
	"the catalog has cat.flac's track now: the file is read again and updates it"
expect_eq "Cat From Sheet|3" "$(q "SELECT title, duration FROM meekah.track_info
	WHERE audio_filename = 'cat.flac'")" "the file's length, the sheet's title"

# --title-from-filename, which the run that rejected them had not: the
# untitled files are read again, and take their names as titles.
run "$BLENDCAT" import --incremental --title-from-filename --report "$R/r8.json" \
	--rejects "$R/rej8" "$R/lib"
expect_eq "2 2 " "$(report "$R/r8.json" audio_files_read tables.track_info.inserted)" \
	"--title-from-filename: the 2 untitled files left are read again and load"
expect_eq "name untitled" "$(q "SELECT string_agg(title, ' ' ORDER BY title) FROM meekah.track_info
	WHERE audio_filename IN ('name.flac', 'untitled.flac')")" "with their names as titles"
expect_eq "twice.flac=twice.flac cat.flac=cat.flac name.flac=name.flac ok.mp3=ok.mp3 sheet.flac=sheet.flac untitled.flac=untitled.flac" \
	"$(state)" "every file is recorded with its track now"

rm -f "$OUT" "$ERR"
