# Audio files in bulk: a library written by make-audio-corpus (mixed
# formats, broken files, non-ASCII tags) loads exactly as its manifest says,
# the same with any --jobs; every file of the real corpus loads or is
# rejected with a reason.
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
if ! "$SHARED/tools/make-audio-corpus" -q -s 1 -m "$W/manifest.jsonl" "$W/lib" 300 \
	>"$W/gen.log" 2>&1; then
	fail "make-audio-corpus writes the library (see scripts/deps)" "$(cat "$W/gen.log")"
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
	newdb tags_j$j
	"$BLENDCAT" migrate up -q >/dev/null
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

# --------------------------------------------------- the real corpus

newdb tags_corpus
"$BLENDCAT" migrate up -q >/dev/null
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

# Audio under no known name is found by its content and loads.
mkdir -p "$W/byname"
cp "$TOP/tests/data/audio/vorbis.flac" "$W/byname/night-drive"
cp "$TOP/tests/data/audio/make-fixtures.sh" "$W/byname/notes"
run "$BLENDCAT" import --report "$W/b.json" --rejects "$W/rejb" "$W/byname"
expect_eq "1 1 1 " "$(report "$W/b.json" audio_files_read tables.track_info.inserted skipped_files)" \
	"a FLAC file without an extension is read by content and loads; the script is skipped"
expect_eq "Night Drive" "$(q "SELECT title FROM meekah.track_info WHERE audio_filename = 'night-drive'")" \
	"its tags are read"

rm -f "$OUT" "$ERR"
