# export --format tags: the catalog written back into a copy of an audio tree.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/export_tags
T=$W/tree
mkdir -p "$T"
cp "$TOP/tests/data/audio/"*.{mp3,m4a,wav,flac,ogg} "$T/"
chmod u+w "$T"/*
if "$TOP/scripts/gen-audio" -s 3 -b 0 -F m4a --no-extras -m none "$T/gen" 16 >"$W/gen.log" 2>&1 &&
	"$TOP/scripts/gen-audio" -s 3 -b 0 -F aiff --no-extras -m "$W/aiff.jsonl" "$W/aiff" 6 \
		>>"$W/gen.log" 2>&1; then
	pass "gen-audio made a tree"
else
	fail "gen-audio made a tree" "$(tail -5 "$W/gen.log")"
fi
# An AIFF file with an ID3 chunk and a title, as with-id3.aif.
aif_src=$(python3 -c 'import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    if d["kind"] == "ok" and "id3" in d["scheme"] and d["expect"].get("title", "").strip():
        print(d["path"])
        break' "$W/aiff.jsonl")
if [ -n "$aif_src" ] && cp "$W/aiff/$aif_src" "$T/with-id3.aif"; then
	pass "gen-audio made an AIFF file with a titled ID3 chunk"
else
	fail "gen-audio made an AIFF file with a titled ID3 chunk" "$(cat "$W/aiff.jsonl")"
fi

# What tags carry, ids aside: the track fields and the credits that have a tag.
tags_carried() {
	q "SELECT 'T', audio_filename, title, artist, duration, tempo, musical_key, scale, genre,
	          subgenre, mood, tags, description, catalog_number, isrc, release_date
	   FROM meekah.track_info ORDER BY audio_filename"
	q "SELECT DISTINCT 'C', t.audio_filename, c.creator_name, c.role
	   FROM meekah.track_creator c JOIN meekah.track_info t ON t.id = c.track_id
	   WHERE c.role IN ('composer', 'lyricist', 'songwriter', 'arranger', 'producer', 'engineer',
	                    'mixer', 'remixer', 'conductor', 'performer')
	   ORDER BY 2, 3, 4"
}

freshdb tags_a
run "$BLENDCAT" import -q "$T"
import_rc=$RC
ntracks=$(q "SELECT count(*) FROM meekah.track_info")
run "$BLENDCAT" export --format tags --audio-root "$T"
expect_rc 0 "export tags right after importing the tree: exit 0"
expect_eq "" "$(cat "$OUT")" "nothing differs: no change listed"
expect_match "^0 files changed, $ntracks unchanged" "$ERR" "every file is unchanged"

# Change the catalog: every tag-carried field of one file per format.
aif=with-id3.aif
m4a=$(q "SELECT audio_filename FROM meekah.track_info WHERE audio_filename ~ '^[0-9].*\.m4a$' ORDER BY 1 LIMIT 1")
mkdir -p "$W/chg"
cat >"$W/chg/tracks.csv" <<EOF
audio_filename,title,artist,tempo,musical_key,scale,genre,subgenre,mood,tags,description,catalog_number,isrc,release_date
id3v24.mp3,Nouveau Titre ☀,Zoë & Co,97,F#,minor,Electronic,Deep House,dreamy;dark,night;rain,"Line one
line two",CAT-9,USRC17607839,2021-03-04
itunes.m4a,Renamed,,128,,,Pop,,happy,,"Short, ""quoted""",,,2020-01-01
riff-info.wav,Wav Title,Wav Artist,100,C,major,Jazz,Bebop,calm,study,,WAV-1,,1999-12-31
vorbis.flac,Flac Title,Flac Artist,140,D#,minor,Rock,,angry;loud,guitar;live,Desc flac,FL-1,GBAYC1700598,2010-10-10
vorbis.ogg,Ogg Title,Ogg Artist,90,G,major,Folk,Indie Folk,warm,acoustic,,,,2005-05-05
"$aif",Aiff Title,Aiff Artist,111,B,minor,Ambient,Drone,spacey,pads,Aiff desc,AIF-1,,2001-01-01
"$m4a",M4a Title,Ελένη,122,,,House,,groovy,club;dance,,,,2002-02-02
EOF
cat >"$W/chg/creators.csv" <<EOF
audio_filename,creator_name,role
id3v24.mp3,Ana Composer,composer
id3v24.mp3,Ben Producer,producer
id3v24.mp3,Ana Composer,lyricist
vorbis.flac,Çelik Writer,songwriter
vorbis.flac,Dee Player,performer
"$aif",Ed Arranger,arranger
"$m4a",Fay Mixer,mixer
"$m4a",Gus Comp,composer
EOF
"$BLENDCAT" import -q "$W/chg"

sums() { find "$T" -type f -print0 | sort -z | xargs -0 md5sum; }
sums >"$W/before.md5"
run "$BLENDCAT" export --format tags --audio-root "$T" --dry-run
expect_rc 0 "export tags --dry-run: exit 0"
sums >"$W/after.md5"
expect_eq "" "$(diff "$W/before.md5" "$W/after.md5")" "--dry-run changes no file"
expect_match "^$T/id3v24.mp3: TITLE: 'Summer Vibes' -> 'Nouveau Titre ☀'$" "$OUT" "--dry-run lists a change with both values"
expect_match "^$T/vorbis.flac: INITIALKEY: '8A' -> 'D#m'$" "$OUT" "the key is written as the catalog spells it"
expect_match "^$T/itunes.m4a: INITIALKEY: 'F#m' -> ''$" "$OUT" "an MP4 file's key atom goes when the catalog has no key"
expect_match "^$T/id3v24.mp3: PERFORMER:GUITAR: 'Gary Guitar' -> ''$" "$OUT" "credits the catalog lacks are removed"
expect_match "^7 files would change, $((ntracks - 7)) unchanged" "$ERR" "--dry-run counts the files it would change"
cp "$OUT" "$W/dry.txt"

run "$BLENDCAT" export --format tags --audio-root "$T"
expect_rc 0 "export tags: exit 0"
expect_eq "" "$(diff "$W/dry.txt" "$OUT")" "it makes exactly the changes --dry-run listed"
sums >"$W/after.md5"
expect_eq 7 "$(diff "$W/before.md5" "$W/after.md5" | grep -c '^>')" "it rewrites exactly the 7 changed files"
run "$BLENDCAT" export --format tags --audio-root "$T"
expect_eq "" "$(cat "$OUT")" "a second export finds nothing to change"

tags_carried >"$W/a.txt"
freshdb tags_b
run "$BLENDCAT" import -q "$T"
expect_rc "$import_rc" "the written tree imports into an empty database as the original did"
tags_carried >"$W/b.txt"
if diff "$W/a.txt" "$W/b.txt" >"$W/ab.diff"; then
	pass "re-imported, the tree gives the same catalog"
else
	fail "re-imported, the tree gives the same catalog" "$(head -20 "$W/ab.diff")"
fi

# A key for an MP4 file goes into its ----:com.apple.iTunes:initialkey atom
# (t_m4a_keys.sh has more), not a warning that the format cannot hold it.
freshdb tags_c
"$BLENDCAT" import -q "$T"
printf 'audio_filename,musical_key,scale\nitunes.m4a,A,minor\nvorbis.ogg,A,minor\n' >"$W/key.csv"
"$BLENDCAT" import -q "$W/key.csv"
run "$BLENDCAT" export --format tags --audio-root "$T"
expect_rc 0 "export tags with a key for an MP4 file: exit 0"
expect_match "itunes.m4a: INITIALKEY: '' -> 'Am'" "$OUT" "the MP4 file gets its key"
expect_nomatch "cannot hold" "$ERR" "no warning that a format cannot hold it"
expect_match "vorbis.ogg: INITIALKEY: 'G' -> 'Am'" "$OUT" "the Ogg file gets its key"

# Usage and bad roots.
run "$BLENDCAT" export --format tags
expect_rc 2 "export tags without --audio-root: exit 2"
run "$BLENDCAT" export --format tags --audio-root "$T" --out "$W/x"
expect_rc 2 "export tags with --out: exit 2"
run "$BLENDCAT" export --format csv --out "$W/x" --dry-run
expect_rc 2 "--dry-run with --format csv: exit 2"
run "$BLENDCAT" export --format tags --audio-root "$W/nowhere"
expect_rc 3 "export tags with a missing audio root: exit 3"
expect_match "cannot read '$W/nowhere'" "$ERR" "it names the root"

# Two files of one name under the root: that track is not written, and it fails.
mkdir -p "$T/dup"
cp "$T/vorbis.ogg" "$T/dup/vorbis.ogg"
printf 'audio_filename,title\nvorbis.ogg,Twice\n' >"$W/twice.csv"
"$BLENDCAT" import -q "$W/twice.csv"
run "$BLENDCAT" export --format tags --audio-root "$T"
expect_rc 3 "two files of one name: exit 3"
expect_match "vorbis.ogg: several files of that name under the audio root" "$ERR" "it says why"
expect_nomatch "vorbis.ogg: TITLE" "$OUT" "neither file is written"

# A file whose name is decomposed on disk (NFD, as macOS writes names) is
# found by the name of its track, which is NFC.
D=$W/nfd
mkdir -p "$D"
nfd=$(printf 'Cafe\314\201 Noir.ogg')
nfc=$(printf 'Caf\303\251 Noir.ogg')
cp "$TOP/tests/data/audio/vorbis.ogg" "$D/$nfd"
freshdb tags_nfd
"$BLENDCAT" import -q "$D"
expect_eq "$nfc" "$(q "SELECT audio_filename FROM meekah.track_info")" \
	"the track of a file named in NFD has the NFC name"
printf 'audio_filename,title\n%s,Renamed\n' "$nfc" >"$W/nfd.csv"
"$BLENDCAT" import -q "$W/nfd.csv"
run "$BLENDCAT" export --format tags --audio-root "$D"
expect_rc 0 "export tags to a file named in NFD: exit 0"
expect_match "^$D/$nfd: TITLE: 'Café Rain' -> 'Renamed'$" "$OUT" \
	"the file named in NFD is found by its track's NFC name and written"
expect_match "^1 files changed, 0 unchanged, 0 tracks without a file" "$ERR" "no track is left without its file"

rm -f "$OUT" "$ERR"
