# --title-from-filename: audio files whose tags have no title (copies of
# the fixtures, their titles stripped with mutagen) take it from their
# names, with a warning each; without the option they stay rejected, and a
# title from another source or in the catalog comes first.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/title_from_name
T=$W/tree
mkdir -p "$T" "$W/csv"
PY=/usr/bin/python3
A=$TOP/tests/data/audio

if ! "$PY" -c 'import mutagen' 2>/dev/null; then
	fail "Debian's python3 has mutagen (python3-mutagen, see scripts/deps)"
	exit 0
fi
cp "$A/id3v24.mp3" "$T/01 - First Light.mp3"
cp "$A/vorbis.flac" "$T/02. Second Wind.flac"
cp "$A/itunes.m4a" "$T/3 Third Rail.m4a"
cp "$A/vorbis.ogg" "$T/04_Fourth Song.ogg"
cp "$A/riff-info.wav" "$T/Plain Name.wav"
cp "$A/vorbis.ogg" "$T/06 - Not This.ogg"	# keeps its title tag
chmod u+w "$T"/*
"$PY" -c 'import sys, mutagen
for p in sys.argv[1:]:
    f = mutagen.File(p)
    for k in list(f.tags.keys()):
        if k.lower() in ("title", "tit2", "\xa9nam"):
            del f.tags[k]
    f.save()' "$T/01 - First Light.mp3" "$T/02. Second Wind.flac" "$T/3 Third Rail.m4a" \
	"$T/04_Fourth Song.ogg"
# RIFF INFO, which mutagen does not write: INAM goes by hand (same length).
"$PY" -c 'import sys
p = sys.argv[1]
b = open(p, "rb").read()
assert b.count(b"INAM") == 1
open(p, "wb").write(b.replace(b"INAM", b"IXXX"))' "$T/Plain Name.wav"
expect_eq "0" "$("$PY" -c 'import sys, mutagen
print(sum(1 for p in sys.argv[1:] for k in mutagen.File(p).tags.keys()
          if k.lower() in ("title", "tit2", "\xa9nam")))' "$T/01 - First Light.mp3" \
	"$T/02. Second Wind.flac" "$T/3 Third Rail.m4a" "$T/04_Fourth Song.ogg")" \
	"mutagen finds no title left in the stripped files"

titles() {
	q "SELECT audio_filename || '=' || title FROM meekah.track_info ORDER BY audio_filename" |
		tr '\n' '|'
}

freshdb tfn

# Without the option: rejected, as before.
run "$BLENDCAT" import --rejects "$W/rej0" "$T"
expect_rc 1 "without --title-from-filename, files without a title: exit 1"
expect_eq 5 "$(grep -c ':title: a new track needs a title$' "$W/rej0/rejects.log")" \
	"each of the 5 files without a title is rejected for it"
expect_nomatch "taken from the file name" "$ERR" "no title is taken from a name"
run "$BLENDCAT" check --rejects "$W/rej1" "$T"
expect_rc 1 "check without the option rejects them too: exit 1"

expect_eq "06 - Not This.ogg=Café Rain|" "$(titles)" "only the file with a title tag loaded"

# check with it: nothing rejected, one warning per file.
run "$BLENDCAT" check --title-from-filename --rejects "$W/rej2" "$T"
expect_rc 0 "check --title-from-filename: exit 0"
expect_eq "06 - Not This.ogg=Café Rain|" "$(titles)" "check loads nothing"
expect_eq 5 "$(grep -c "field 'TITLE': no title: '.*' taken from the file name" "$ERR")" \
	"check: one warning per file without a title"

run "$BLENDCAT" import --title-from-filename --rejects "$W/rej3" "$T"
expect_rc 0 "import --title-from-filename: exit 0"
expect_eq "01 - First Light.mp3=First Light|02. Second Wind.flac=Second Wind|04_Fourth Song.ogg=Fourth Song|06 - Not This.ogg=Café Rain|3 Third Rail.m4a=Third Rail|Plain Name.wav=Plain Name|" \
	"$(titles)" "each title is the file name without extension and track number; a title tag stays"
for f in "01 - First Light.mp3:First Light" "02. Second Wind.flac:Second Wind" \
	"3 Third Rail.m4a:Third Rail" "04_Fourth Song.ogg:Fourth Song" "Plain Name.wav:Plain Name"; do
	expect_match "^blendcat: warning: $T/${f%%:*}: field 'TITLE': no title: '${f#*:}' taken from the file name$" \
		"$ERR" "the warning names ${f%%:*} and the title taken"
done
expect_eq 5 "$(grep -c 'taken from the file name' "$ERR")" "one warning per file, none for the titled one"
expect_eq true "$(q "SELECT options->>'title_from_filename' FROM ingest.run ORDER BY id DESC LIMIT 1")" \
	"ingest.run records the option"

# A title in the catalog comes first: a manifest retitles two tracks, and
# reading the files again (threads, --jobs 2) leaves those titles.
printf '%s\n' 'audio_filename,title' '01 - First Light.mp3,Real Title' \
	'3 Third Rail.m4a,Rail Three' >"$W/csv/tracks.csv"
"$BLENDCAT" import -q "$W/csv/tracks.csv"
stamp=$(q "SELECT md5(string_agg(audio_filename || updated_at, ',' ORDER BY audio_filename))
	FROM meekah.track_info")
run "$BLENDCAT" import --title-from-filename --jobs 2 --report "$W/r4.json" --rejects "$W/rej4" "$T"
expect_rc 0 "importing the files again: exit 0"
expect_eq "01 - First Light.mp3=Real Title|02. Second Wind.flac=Second Wind|04_Fourth Song.ogg=Fourth Song|06 - Not This.ogg=Café Rain|3 Third Rail.m4a=Rail Three|Plain Name.wav=Plain Name|" \
	"$(titles)" "the catalog's titles are not replaced by the file names'"
expect_eq "$stamp" "$(q "SELECT md5(string_agg(audio_filename || updated_at, ',' ORDER BY audio_filename))
	FROM meekah.track_info")" "no track is updated"

# In one run, a manifest's title comes first, with no disagreement reported.
freshdb tfn2
run "$BLENDCAT" import --title-from-filename --rejects "$W/rej5" "$T" "$W/csv/tracks.csv"
expect_rc 0 "files and a manifest in one run: exit 0"
expect_eq "01 - First Light.mp3=Real Title|02. Second Wind.flac=Second Wind|04_Fourth Song.ogg=Fourth Song|06 - Not This.ogg=Café Rain|3 Third Rail.m4a=Rail Three|Plain Name.wav=Plain Name|" \
	"$(titles)" "the manifest's titles win over the file names'"
expect_nomatch "CSV over DDEX over tags" "$ERR" "a title from a file name is no disagreement"

rm -f "$OUT" "$ERR"
