# MEAD 1.1: tempo, key, mood and arrangement sections read back from
# DDEX, the track found by its ISRC in the run or in the catalog.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/mead
mkdir -p "$W"
SENDER='PADPIDA2014120301X:Blendtune Records'
RECIPIENT='PADPIDA2007040502I:Example Music Service'

# What MEAD carries of the catalog, one line per value.
mead_carried() {
	q "SELECT 'T', audio_filename, tempo, musical_key, scale, mood
	   FROM meekah.track_info ORDER BY audio_filename"
	q "SELECT 'A', t.audio_filename, a.section_name, a.start_time, a.end_time, a.description
	   FROM meekah.track_arrangement a JOIN meekah.track_info t ON t.id = a.track_id
	   ORDER BY 2, 4, 3"
}

freshdb mead_orig
"$BLENDCAT" import -q "$TOP/samples/catalog"
run "$BLENDCAT" export --format ddex --batch --mead --out "$W/batch" --sender "$SENDER" --recipient "$RECIPIENT"
expect_rc 0 "export ddex --batch --mead: exit 0"
B=$(find "$W/batch" -mindepth 1 -maxdepth 1 -type d)
mead_carried >"$W/orig.txt"
expect_eq 1 "$(grep -c '^T|summer-vibes-120bpm-cmaj.mp3|120|C|major|{uplifting,energetic,summer}$' "$W/orig.txt")" \
	"the original carries Summer Vibes' tempo, key and moods"

# The whole delivery, release messages and MEAD messages, into an empty catalog.
freshdb mead_back
run "$BLENDCAT" import --rejects "$W/rej1" "$B"
expect_rc 0 "the batch with its MEAD messages imports: exit 0"
mead_carried >"$W/back.txt"
expect_eq "$(cat "$W/orig.txt")" "$(cat "$W/back.txt")" \
	"tempo, key, scale, moods and sections come back equal to the original's"

# Without the MEAD messages, none of it does: they are what carries it.
freshdb mead_ern
cp -r "$B" "$W/ern-only"
find "$W/ern-only" -name '*_mead.xml' -delete
run "$BLENDCAT" import --rejects "$W/rej2" "$W/ern-only"
expect_rc 0 "the batch without MEAD imports: exit 0"
expect_eq "0|0" "$(q "SELECT count(tempo), (SELECT count(*) FROM meekah.track_arrangement) FROM meekah.track_info")" \
	"without MEAD, no tempo and no sections"

# A MEAD message alone updates the catalog's track with its ISRC.
run "$BLENDCAT" import --rejects "$W/rej3" "$B/BT-2024-001/BT-2024-001_mead.xml"
expect_rc 0 "a MEAD message alone against the catalog: exit 0"
expect_eq "summer-vibes-120bpm-cmaj.mp3|120|C|major|{uplifting,energetic,summer}|Summer Vibes|3" \
	"$(q "SELECT t.audio_filename, tempo, musical_key, scale, mood, title,
	         (SELECT count(*) FROM meekah.track_arrangement a WHERE a.track_id = t.id)
	      FROM meekah.track_info t WHERE tempo IS NOT NULL")" \
	"it updates tempo, key, scale, moods and sections of that track only"

# An ISRC that names no track: its resource is rejected, with the reason.
sed '0,/<ISRC>[^<]*</s//<ISRC>QMZZZ2600001</' "$B/BT-2024-001/BT-2024-001_mead.xml" >"$W/unknown.xml"
before=$(q "SELECT count(*) FROM meekah.track_info WHERE tempo IS NOT NULL")
run "$BLENDCAT" import --rejects "$W/rej4" "$W/unknown.xml"
expect_rc 1 "a MEAD message naming an unknown ISRC: exit 1 (a reject)"
expect_match "unknown\.xml:[0-9]+:ResourceInformationList/ResourceInformation\[1\]/ResourceSummary/ResourceId/ISRC: 'QMZZZ2600001': no track with ISRC QMZZZ2600001 in this run's tracks or in the catalog" \
	"$W/rej4/rejects.log" "the reason names the file, line, element path and ISRC"
expect_eq "$(cat "$W/unknown.xml")" "$(cat "$W/rej4/unknown.xml")" "the message goes to the rejects whole"
expect_eq "$before|0" "$(q "SELECT count(*) FILTER (WHERE tempo IS NOT NULL), count(*) FILTER (WHERE isrc = 'QMZZZ2600001') FROM meekah.track_info")" \
	"nothing of it is loaded"

# The corpus' MEAD message: an award of a release, no resource to enrich.
award_tests() {
before=$(snapshot)
run "$BLENDCAT" import --rejects "$W/rej5" "$SHARED/corpus/ddex/mead11/award.xml"
expect_rc 0 "the corpus' award.xml is read: exit 0"
expect_match '^0 rows from 1 files' "$ERR" "it carries no tempo, key, mood or section: 0 rows"
expect_eq "$before" "$(snapshot)" "the catalog is unchanged"
}
with_shared corpus/ddex/mead11/award.xml award_tests

# An ISRC two catalog tracks share names neither: a reject that lists them.
q "UPDATE meekah.track_info SET isrc = 'USRC17607839' WHERE audio_filename IN
   (SELECT audio_filename FROM meekah.track_info ORDER BY audio_filename LIMIT 2)"
pair=$(q "SELECT string_agg(audio_filename, ', ' ORDER BY audio_filename) FROM meekah.track_info WHERE isrc = 'USRC17607839'")
sed '0,/<ISRC>[^<]*</s//<ISRC>USRC17607839</' "$B/BT-2024-001/BT-2024-001_mead.xml" >"$W/shared.xml"
run "$BLENDCAT" import --rejects "$W/rej6" "$W/shared.xml"
expect_rc 1 "a MEAD message naming an ISRC two tracks share: exit 1 (a reject)"
expect_match "'USRC17607839': ISRC USRC17607839 names 2 tracks: $pair" "$W/rej6/rejects.log" \
	"the reason lists the tracks"

# --validate-xsd covers MEAD messages: the official MEAD 1.1 XSD (mead11/ of the XSD folder,
# importing ../allowed-value-sets.xsd beside it).  The XSDs are only in the shared corpus.
shared_mead_xsd_tests() {
	local xsd=$SHARED/corpus/ddex/xsd mead=$B/BT-2024-001/BT-2024-001_mead.xml

	run "$BLENDCAT" check --offline --validate-xsd --xsd-dir "$xsd" --rejects "$W/rej20" "$mead"
	expect_rc 0 "--validate-xsd: a MEAD message of export --mead is valid: exit 0"
	expect_match "^1 rows from 1 files: 0 rejected" "$ERR" "and read"
	freshdb mead_xsd
	run "$BLENDCAT" import --validate-xsd --xsd-dir "$xsd" --rejects "$W/rej21" "$B"
	expect_rc 0 "--validate-xsd: the whole batch, release and MEAD messages, is valid: exit 0"
	mead_carried >"$W/xsd.txt"
	expect_eq "$(cat "$W/orig.txt")" "$(cat "$W/xsd.txt")" \
		"--validate-xsd: tempo, key, scale, moods and sections come back equal to the original's"

	# An invalid MEAD message is rejected whole: its line and the validator's whole message.
	sed '0,/<RootChordNote>[^<]*</s//<RootChordNote>H</' "$mead" >"$W/badkey.xml"
	line=$(grep -n '<RootChordNote>H<' "$W/badkey.xml" | cut -d: -f1)
	before=$(snapshot)
	run "$BLENDCAT" import --validate-xsd --xsd-dir "$xsd" --rejects "$W/rej22" "$W/badkey.xml"
	expect_rc 1 "--validate-xsd: an invalid MEAD message: exit 1"
	expect_match "/badkey.xml:$line: DDEX message not read: not valid against its XSD mead11/media-enrichment-and-description.xsd: Element 'RootChordNote': \[facet 'enumeration'\] The value 'H' is not an element of the set \{'A', 'Ab/G#', 'B', 'Bb/A#', 'C', 'C#/Db', 'D', 'E', 'Eb/D#', 'F', 'G', 'Gb/F#', 'UserDefined'\}\.$" \
		"$W/rej22/rejects.log" "rejects.log gives the line and the validator's whole message"
	expect_match "badkey.xml:$line: not valid against its XSD mead11/" "$ERR" "the error names the file and line"
	cmp -s "$W/badkey.xml" "$W/rej22/badkey.xml" && pass "the invalid MEAD message goes to the rejects whole" ||
		fail "the invalid MEAD message goes to the rejects whole"
	expect_eq "$before" "$(snapshot)" "nothing of the invalid MEAD message is loaded"
	run "$BLENDCAT" import --rejects "$W/rej23" "$W/badkey.xml"
	expect_match "badkey.xml:$line:.*/Harmony/RootChordNote: 'H': unknown RootChordNote 'H'" "$W/rej23/rejects.log" \
		"without --validate-xsd the same message is read, and only its bad resource rejected"

	# The import is read beside the XSD folder, never from the network: without it, that is said.
	mkdir -p "$W/xsd-no-avs"
	cp -r "$xsd/mead11" "$W/xsd-no-avs/"
	run "$BLENDCAT" check --offline --validate-xsd --xsd-dir "$W/xsd-no-avs" --rejects "$W/rej24" "$mead"
	expect_rc 1 "--validate-xsd without allowed-value-sets.xsd beside mead11/: exit 1"
	expect_match "BT-2024-001_mead.xml: DDEX message not read: cannot validate \(--validate-xsd\): the XSD '$W/xsd-no-avs/mead11/media-enrichment-and-description.xsd' does not compile: .*allowed-value-sets" \
		"$W/rej24/rejects.log" "the MEAD XSD that cannot find its import is named"
	expect_eq 1 "$(wc -l <"$W/rej24/rejects.log" | tr -d ' ')" "in one line of rejects.log"
}
with_shared corpus/ddex/xsd/mead11 shared_mead_xsd_tests

# A delivery of many releases: every MEAD resource reaches its own track,
# though consecutive ISRCs differ by one digit, and the arrays (moods,
# tags) the merge of ERN and MEAD rows carries come back as they were,
# quotes, backslashes, braces and the word null included.
mkdir -p "$W/many"
awk 'BEGIN {
	split("C C# D D# E F F# G G# A A# B", key, " ")
	print "audio_filename,title,artist,duration,tempo,musical_key,scale,genre,subgenre,mood,tags,description,cover_art_url,catalog_number,isrc,release_date" >"'"$W/many/tracks.csv"'"
	print "audio_filename,section_name,start_time,end_time,description" >"'"$W/many/arrangement.csv"'"
	for (i = 1; i <= 120; i++) {
		f = sprintf("many-%03d.mp3", i)
		mood = sprintf("m%d;n%d", i % 7, i % 5)
		if (i % 10 == 3) mood = "\"say \"\"hi\"\";back\\slash;{brace};null;a,b\""
		cat = i % 4 == 0 ? "" : sprintf("MANY-%03d", int(i / 4))
		printf "%s,Many %d,Artist %d,%d,%d,%s,%s,Electronic,House,%s,t%d;x\\y,,,%s,QMTST26%05d,2026-01-%02d\n",
			f, i, i % 9, 200 + i, 60 + i, key[i % 12 + 1], i % 2 ? "major" : "minor", mood,
			i % 3, cat, i, i % 28 + 1 >"'"$W/many/tracks.csv"'"
		printf "%s,intro,0,%d,start %d\n%s,drop,%d,%d,\n", f, 5 + i % 20, i, f, 30 + i % 20, 90 + i \
			>"'"$W/many/arrangement.csv"'"
	}
}'
freshdb mead_many
run "$BLENDCAT" import --rejects "$W/rej7" "$W/many"
expect_rc 0 "120 tracks with consecutive ISRCs import: exit 0"
expect_eq "120|t" "$(q "SELECT count(*), bool_or(audio_filename = 'many-003.mp3' AND
	mood = ARRAY['say \"hi\"', 'back\\slash', '{brace}', 'null', 'a,b']::varchar[]) FROM meekah.track_info")" \
	"the catalog has them, many-003.mp3 with its odd moods"
mead_carried >"$W/many-orig.txt"
q "SELECT audio_filename, tags FROM meekah.track_info ORDER BY 1" >>"$W/many-orig.txt"
run "$BLENDCAT" export --format ddex --batch --mead --out "$W/many-out" --sender "$SENDER" --recipient "$RECIPIENT"
expect_rc 0 "export of the 120 tracks as a batch with MEAD: exit 0"
MB=$(find "$W/many-out" -mindepth 1 -maxdepth 1 -type d)
expect_eq 60 "$(find "$MB" -name '*_mead.xml' | wc -l)" "60 releases, each with its MEAD message"

freshdb mead_many_back
q "ALTER DATABASE mead_many_back SET log_statement = 'all'"
log_from=$(stat -c %s "$IT_PG/server.log")
run "$BLENDCAT" import --rejects "$W/rej8" "$MB"
expect_rc 0 "the batch imports into an empty catalog: exit 0"
# A COPY and a temporary file per message cost more than its rows.
expect_eq "1|1" "$(tail -c +$((log_from + 1)) "$IT_PG/server.log" | grep -c 'statement: COPY bc_track FROM')|$(
	tail -c +$((log_from + 1)) "$IT_PG/server.log" | grep -c 'statement: COPY bc_arrangement FROM')" \
	"the 120 messages are staged by one COPY of tracks and one of sections"
mead_carried >"$W/many-back.txt"
q "SELECT audio_filename, tags FROM meekah.track_info ORDER BY 1" >>"$W/many-back.txt"
if diff -u "$W/many-orig.txt" "$W/many-back.txt" >"$W/many.diff"; then
	pass "each track gets its own tempo, key, scale, moods, tags and sections back"
else
	fail "each track gets its own tempo, key, scale, moods, tags and sections back" "$(head -20 "$W/many.diff")"
fi

# An ISRC in the run and in the catalog: the run's track has it (the
# release message of the same delivery), the catalog's is left alone.  A
# catalog track whose ISRC differs from a run's by one digit gets its own.
freshdb mead_many_both
printf '%s\n' 'audio_filename,title,duration,tempo,isrc' \
	'stale-copy.mp3,Stale Copy,100,99,QMTST2600008' 'catalog-only.mp3,Catalog Only,100,98,QMTST2610008' \
	>"$W/both.csv"
"$BLENDCAT" import -q --rejects "$W/rej9" "$W/both.csv"
sed 's/<ISRC>QMTST2600008</<ISRC>QMTST2610008</' "$MB/many-008/many-008_mead.xml" >"$W/one-digit_mead.xml"
expect_eq "1|1" "$(grep -c '<ISRC>QMTST2610008<' "$W/one-digit_mead.xml")|$(grep -c '<ISRC>' "$W/one-digit_mead.xml")" \
	"the copy of many-008.mp3's MEAD message names QMTST2610008 only"
run "$BLENDCAT" import --rejects "$W/rej10" "$MB" "$W/one-digit_mead.xml"
expect_rc 0 "the batch and the MEAD message over a catalog with both ISRCs: exit 0"
expect_eq "catalog-only.mp3|68|QMTST2610008
many-008.mp3|68|QMTST2600008
stale-copy.mp3|99|QMTST2600008" \
	"$(q "SELECT audio_filename, tempo, isrc FROM meekah.track_info
	      WHERE isrc IN ('QMTST2600008', 'QMTST2610008') ORDER BY 1")" \
	"QMTST2600008 enriches the run's many-008.mp3, not the catalog's stale copy; QMTST2610008 the catalog's track"
expect_eq "2|0" "$(q "SELECT count(*) FILTER (WHERE t.audio_filename = 'catalog-only.mp3'),
                            count(*) FILTER (WHERE t.audio_filename = 'stale-copy.mp3')
                     FROM meekah.track_arrangement a JOIN meekah.track_info t ON t.id = a.track_id")" \
	"the sections go with the tempo"
