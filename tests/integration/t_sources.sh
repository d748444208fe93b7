# import of audio files and DDEX messages beside CSV manifests: one track
# from several sources merges field by field, CSV over DDEX over tags.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/sources
mkdir -p "$W/mix"
cp "$TOP"/tests/data/audio/*.mp3 "$TOP"/tests/data/audio/*.flac "$TOP"/tests/data/audio/*.ogg "$W/mix/"
printf 'audio_filename,title,tempo\nvorbis.flac,CSV Title,99\n' >"$W/mix/tracks.csv"
printf '<html><body>not audio</body></html>\n' >"$W/mix/fake.mp3"
printf 'notes\n' >"$W/mix/README.txt"

freshdb sources
run "$BLENDCAT" import --rejects "$W/rej" "$W/mix"
expect_rc 1 "audio, a manifest and a fake mp3: exit 1 (loaded, with a reject)"
expect_eq "CSV Title|99|3" "$(q "SELECT title, tempo, duration FROM meekah.track_info WHERE audio_filename = 'vorbis.flac'")" \
	"CSV over tags: the manifest's title and tempo win, the tags' duration fills in"
expect_match "mix/tracks.csv:2: field 'title': 'CSV Title' here, '.*' in .*vorbis.flac:0; kept 'CSV Title'" "$ERR" \
	"a field two sources give differently is a warning with both values"
expect_eq "A|minor" "$(q "SELECT musical_key, scale FROM meekah.track_info WHERE audio_filename = 'vorbis.flac'")" \
	"fields the manifest does not give come from the tags"
expect_eq "Summer Vibes|120|USXXX2400001" "$(q "SELECT title, tempo, isrc FROM meekah.track_info WHERE audio_filename = 'id3v24.mp3'")" \
	"a tagged mp3 alone loads its tags"
expect_eq "composer,lyricist,mixer,performer,producer" \
	"$(q "SELECT string_agg(DISTINCT role, ',' ORDER BY role) FROM meekah.track_creator c
	      JOIN meekah.track_info t ON t.id = c.track_id WHERE t.audio_filename = 'id3v24.mp3'")" \
	"creators come from the credit tags with their roles"
expect_match "fake.mp3: .*not an audio file" "$W/rej/rejects.log" "an HTML file named .mp3 is rejected, with why"
[ ! -e "$W/rej/fake.mp3" ] && pass "a rejected audio file is named, not copied" || fail "a rejected audio file is named, not copied"
expect_eq 0 "$(q "SELECT count(*) FROM meekah.track_info WHERE audio_filename = 'fake.mp3'")" "the fake is not loaded"

stamp=$(q "SELECT md5(string_agg(audio_filename || updated_at, ',' ORDER BY audio_filename)) FROM meekah.track_info")
run "$BLENDCAT" import --rejects "$W/rej2" "$W/mix"
expect_eq "$stamp" "$(q "SELECT md5(string_agg(audio_filename || updated_at, ',' ORDER BY audio_filename)) FROM meekah.track_info")" \
	"a second run over the same sources changes nothing (no updated_at moves)"
expect_eq "CSV Title|99" "$(q "SELECT title, tempo FROM meekah.track_info WHERE audio_filename = 'vorbis.flac'")" \
	"a second run keeps the merged values"

# A section is checked against the duration the track will have: the best
# source's (the manifest's 200 s), not another source's (the tags' 3 s),
# whichever is read first (here the audio file, by name).
mkdir -p "$W/dur"
cp "$TOP/tests/data/audio/vorbis.flac" "$W/dur/"
printf 'audio_filename,title,duration\nvorbis.flac,Long Edit,200\n' >"$W/dur/z-tracks.csv"
printf 'audio_filename,section_name,start_time,end_time\nvorbis.flac,intro,0,20\nvorbis.flac,outro,20,150\n' \
	>"$W/dur/arrangement.csv"
freshdb sources_dur
run "$BLENDCAT" import --rejects "$W/rej-dur" "$W/dur"
expect_rc 0 "a section within the manifest's duration, past the tags': exit 0"
expect_eq "200|2" "$(q "SELECT t.duration, count(a.*) FROM meekah.track_info t
	JOIN meekah.track_arrangement a ON a.track_id = t.id WHERE t.audio_filename = 'vorbis.flac' GROUP BY 1")" \
	"the track has the manifest's duration and both sections"

# --require-audio: a manifest track without its audio file is rejected.
mkdir -p "$W/req"
cp "$TOP/tests/data/audio/vorbis.ogg" "$W/req/"
printf 'audio_filename,title,duration\nvorbis.ogg,Has Audio,100\nghost.ogg,No Audio,100\n' >"$W/req/tracks.csv"
run "$BLENDCAT" import --require-audio --rejects "$W/rej-req" "$W/req"
expect_rc 1 "--require-audio with a missing audio file: exit 1"
expect_match "tracks.csv:3:audio_filename: 'ghost.ogg': no audio file of that name" "$W/rej-req/rejects.log" \
	"--require-audio: the track without audio is rejected and named"
expect_eq "Has Audio" "$(q "SELECT title FROM meekah.track_info WHERE audio_filename = 'vorbis.ogg'")" \
	"--require-audio: the track with its audio loads"

# DDEX messages, straight from the corpus.
corpus_tests() {
D=$SHARED/corpus/ddex
run "$BLENDCAT" import --rejects "$W/rej3" "$D/ern43/4 SimpleAudioSingle.xml" "$D/ern382/01_delivery.xml"
expect_rc 0 "two DDEX messages (4.3, 3.8.2): exit 0"
expect_eq 2 "$(q "SELECT count(*) FROM meekah.track_info WHERE audio_filename NOT IN
                  ('vorbis.flac', 'vorbis.ogg', 'id3v24.mp3')")" "each message's track is loaded"
# A re-delivery of the same release with a changed title updates the track, nothing duplicated.
af=$(q "SELECT audio_filename FROM meekah.track_info WHERE title = 'RIOPY: I Love You'")
n=$(q "SELECT count(*) FROM meekah.track_info")
c=$(q "SELECT count(*) FROM meekah.track_creator")
sed '86s|RIOPY: I Love You|RIOPY: I Love You (Remastered)|' "$D/ern43/4 SimpleAudioSingle.xml" >"$W/redelivery.xml"
run "$BLENDCAT" import --rejects "$W/rej5" "$W/redelivery.xml"
expect_rc 0 "a re-delivery: exit 0"
expect_eq "RIOPY: I Love You (Remastered)" "$(q "SELECT title FROM meekah.track_info WHERE audio_filename = '$af'")" \
	"a re-delivery with a changed title updates the track"
expect_eq "$n $c" "$(q "SELECT count(*) FROM meekah.track_info") $(q "SELECT count(*) FROM meekah.track_creator")" \
	"a re-delivery duplicates nothing"

# Two deliveries of one release in one run: the later message wins, nothing is a duplicate.
freshdb sources2
sed '86s|RIOPY: I Love You|RIOPY: I Love You (Final)|' "$D/ern43/4 SimpleAudioSingle.xml" >"$W/final.xml"
run "$BLENDCAT" import --rejects "$W/rej6" "$D/ern43/4 SimpleAudioSingle.xml" "$W/final.xml"
expect_rc 0 "two deliveries of one release in one run: exit 0, no duplicate reject"
expect_eq "RIOPY: I Love You (Final)|1" "$(q "SELECT max(title), count(*) FROM meekah.track_info")" \
	"the later delivery wins"
expect_eq "$(q "SELECT count(*) FROM meekah.track_creator")" \
	"$(q "SELECT count(DISTINCT (creator_name, role)) FROM meekah.track_creator")" \
	"its creators are not doubled"
freshdb sources

# Delivery batches: a batch without its BatchComplete file is still arriving and is skipped.
mkdir -p "$W/inbox/20240101120000000/rel1" "$W/inbox/20240102120000000/rel1"
cp "$D/ern43/4 SimpleAudioSingle.xml" "$W/inbox/20240101120000000/rel1/message.xml"
printf '<?xml version="1.0"?>\n<BatchComplete/>\n' >"$W/inbox/20240101120000000/BatchComplete_1.xml"
cp "$D/ern382/01_delivery.xml" "$W/inbox/20240102120000000/rel1/message.xml"
freshdb sources3
run "$BLENDCAT" import --rejects "$W/rej7" "$W/inbox"
expect_rc 0 "an inbox with a complete and an arriving batch: exit 0"
expect_match "batch '.*20240102120000000' has no BatchComplete file yet: still arriving, skipped" "$ERR" \
	"the arriving batch is skipped and said so"
expect_eq "1" "$(q "SELECT count(*) FROM meekah.track_info")" "only the complete batch's release is loaded"
run "$BLENDCAT" import --rejects "$W/rej7b" "$W/inbox/20240102120000000"
expect_match "batch '.*20240102120000000' has no BatchComplete file yet: still arriving, skipped" "$ERR" \
	"an arriving batch named on the command line is skipped too"
expect_eq "1" "$(q "SELECT count(*) FROM meekah.track_info")" "and nothing of it is loaded"
run "$BLENDCAT" import --rejects "$W/rej7c" "$W/inbox/20240102120000000/"
expect_match "batch '.*20240102120000000' has no BatchComplete file yet: still arriving, skipped" "$ERR" \
	"an arriving batch named with a trailing slash is skipped too"
expect_eq "1" "$(q "SELECT count(*) FROM meekah.track_info")" "and nothing of it is loaded either"
run "$BLENDCAT" check --offline --rejects "$W/rej7d" "$W/inbox/"
expect_nomatch "//" "$ERR" "a directory named with a trailing slash gives paths without '//'"
# Complete batches are read in timestamp order: the later delivery of a release wins.
mkdir -p "$W/inbox/20231231235959999/rel1" "$W/inbox/20240103120000000/rel1"
sed '86s|RIOPY: I Love You|RIOPY: I Love You (Old)|' "$D/ern43/4 SimpleAudioSingle.xml" \
	>"$W/inbox/20231231235959999/rel1/message.xml"
sed '86s|RIOPY: I Love You|RIOPY: I Love You (New)|' "$D/ern43/4 SimpleAudioSingle.xml" \
	>"$W/inbox/20240103120000000/rel1/message.xml"
touch "$W/inbox/20231231235959999/BatchComplete_0.xml" "$W/inbox/20240103120000000/BatchComplete_3.xml"
touch -d '2020-01-01' "$W/inbox/20240103120000000/rel1/message.xml"
run "$BLENDCAT" import --rejects "$W/rej8" "$W/inbox"
expect_rc 0 "three complete batches of one release: exit 0"
expect_eq "RIOPY: I Love You (New)|1" "$(q "SELECT max(title), count(*) FROM meekah.track_info WHERE isrc = 'GBAYC1700598'")" \
	"the batch with the latest timestamp wins, whatever the files' times"
# A message is known by its root element, whatever its name.
cp "$D/ern382/01_delivery.xml" "$W/delivery.ern"
run "$BLENDCAT" check --offline --rejects "$W/rej9" "$W/delivery.ern"
expect_rc 0 "a DDEX message named .ern: exit 0"
expect_match "^1 rows from 1 files: 0 rejected" "$ERR" "it is read as a DDEX message"
mkdir -p "$W/ern-dir"
cp "$D/ern382/01_delivery.xml" "$W/ern-dir/delivery.ern"
printf 'notes\n' >"$W/ern-dir/notes.txt"
run "$BLENDCAT" check --offline --rejects "$W/rej10" "$W/ern-dir"
expect_match "^1 rows from 1 files: 0 rejected" "$ERR" "in a directory too, with other files skipped"
# ... with a byte order mark, or blank lines before its root (no declaration): still XML.
{ printf '\357\273\277'; cat "$D/ern382/01_delivery.xml"; } >"$W/ern-dir/bom.ern"
{ printf '\n \n'; sed '1{/^<?xml/d}' "$D/ern382/01_delivery.xml"; } >"$W/ern-dir/blank.ern"
run "$BLENDCAT" check --offline --rejects "$W/rej10b" "$W/ern-dir"
expect_match "^3 rows from 3 files: 0 rejected" "$ERR" "a byte order mark or blank lines before the root: read as messages"
freshdb sources

printf '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43">&b;</ern:NewReleaseMessage>\n' >"$W/bomb.xml"
run "$BLENDCAT" import --rejects "$W/rej4" "$W/bomb.xml" "$D/ern43/4 SimpleAudioSingle.xml"
expect_rc 1 "an XML bomb beside a good message: exit 1"
expect_match "bomb.xml.*DOCTYPE refused" "$ERR" "the bomb is refused and named"
expect_match "bomb.xml:2: DDEX message not read: at column 1: DOCTYPE refused: entity .b. refers to other entities" "$W/rej4/rejects.log" "rejects.log names the refused message, line and why"
}
with_shared corpus/ddex corpus_tests

rm -f "$OUT" "$ERR"
