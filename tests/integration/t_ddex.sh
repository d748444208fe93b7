# DDEX deliveries: test messages, takedowns and purges.
. "$(dirname "$0")/lib.sh"
W=$IT_TMP/ddex
D=$SHARED/corpus/ddex
A43="$D/ern43/1 Audio.xml"
mkdir -p "$W"

# Messages of the real corpus, as they came.
corpus_tests() {

# A TestMessage changes nothing.
sed 's|</MessageHeader>|<MessageControlType>TestMessage</MessageControlType></MessageHeader>|' \
	"$A43" >"$W/test-message.xml"
freshdb ddex
run "$BLENDCAT" import --rejects "$W/rej1" "$W/test-message.xml"
expect_rc 0 "a TestMessage: exit 0"
expect_match "test-message.xml: skipping a DDEX TestMessage \(MessageControlType\): it changes nothing" "$ERR" "a TestMessage is reported as such"
expect_eq 0 "$(q "SELECT count(*) FROM meekah.track_info")" "a TestMessage loads nothing"

# A purge of a release: reported, applied only with --apply-takedowns.
run "$BLENDCAT" import --rejects "$W/rej2" "$A43"
expect_eq 21 "$(q "SELECT count(*) FROM meekah.track_info WHERE catalog_number = '00094631432057'")" \
	"the 4.3 album's 21 tracks are loaded"
creators=$(q "SELECT count(*) FROM meekah.track_creator")
sed 's|<GRid>G123456789012345</GRid>|<ICPN>00094631432057</ICPN>|' \
	"$D/ern43/ERN_PurgeReleaseMessage_example.xml" >"$W/purge.xml"
run "$BLENDCAT" import --rejects "$W/rej3" "$W/purge.xml"
expect_rc 0 "a purge without --apply-takedowns: exit 0"
expect_match "purge.xml:31: release taken down \(a PurgeReleaseMessage purges it\): ICPN '00094631432057'; not applied without --apply-takedowns" \
	"$ERR" "the purge is reported, naming the release"
expect_eq 21 "$(q "SELECT count(*) FROM meekah.track_info")" "without --apply-takedowns nothing is deleted"
run "$BLENDCAT" import --apply-takedowns --rejects "$W/rej4" "$W/purge.xml"
expect_rc 0 "a purge with --apply-takedowns: exit 0"
expect_match "purge.xml:31: track '0094631432057_01_007.wav' taken down" "$ERR" "each deleted track is named"
expect_match "^21 tracks taken down" "$ERR" "the report counts the tracks taken down"
expect_eq "0 0 0" "$(q "SELECT count(*) FROM meekah.track_info") $(q "SELECT count(*) FROM meekah.track_creator") \
$(q "SELECT count(*) FROM meekah.track_instrument")" "with --apply-takedowns the tracks go, with their children"
[ "$creators" -gt 0 ] && pass "the album had creators to delete" || fail "the album had creators to delete"

# The corpus purges name releases by GRid, which the catalog does not keep.
run "$BLENDCAT" import --apply-takedowns --rejects "$W/rej5" "$D/ern382/03_delete.xml"
expect_rc 0 "a purge by GRid: exit 0"
expect_match "03_delete.xml:[0-9]+: .*the takedown names the release only by GRid 'A1B2C3D4E5F6G7H8I9J0K1L2M3N4O5P6Q7R8S9T0'" \
	"$ERR" "a purge by GRid only says it cannot be matched"

# A release no deal names is a takedown: with --apply-takedowns its tracks are not loaded,
# and an earlier delivery of them is deleted; a later delivery brings them back.
sed '/<DealList>/,/<\/DealList>/d' "$A43" >"$W/no-deal.xml"
run "$BLENDCAT" import --rejects "$W/rej6" "$W/no-deal.xml"
expect_rc 0 "a release without deals, not applied: exit 0"
expect_match "no-deal.xml:[0-9]+: release taken down \(no deal names it\)" "$ERR" "a release without deals is reported"
expect_eq 21 "$(q "SELECT count(*) FROM meekah.track_info")" "without --apply-takedowns its tracks load"
run "$BLENDCAT" import --apply-takedowns --rejects "$W/rej7" "$W/no-deal.xml"
expect_eq 0 "$(q "SELECT count(*) FROM meekah.track_info")" "with --apply-takedowns they are taken down"
run "$BLENDCAT" import --apply-takedowns --rejects "$W/rej8" "$W/no-deal.xml" "$A43"
expect_rc 0 "a takedown, then a new delivery in the same run: exit 0"
expect_eq 21 "$(q "SELECT count(*) FROM meekah.track_info")" "a delivery after the takedown brings the tracks back"
run "$BLENDCAT" import --apply-takedowns --rejects "$W/rej9" "$A43" "$W/purge.xml"
expect_eq 0 "$(q "SELECT count(*) FROM meekah.track_info")" "a purge after a delivery in the same run wins"

# Resource files: the audio files a message names beside it are read for their tags, and their
# HashSum (MD5) is checked.  (The sample names 8.flac twice; the copy names 9.flac the second time.)
VC="$D/ern42/Variant Classical.xml"
md5=$(md5sum "$TOP/tests/data/audio/vorbis.flac" | cut -d' ' -f1)
mkdir -p "$W/rel/resources"
for n in $(seq 1 12); do cp "$TOP/tests/data/audio/vorbis.flac" "$W/rel/resources/$n.flac"; done
sed -e "s/db7dd2f3bb9b322646e3f4d7b65b47ab/$md5/" -e '647s|resources/8.flac|resources/9.flac|' "$VC" >"$W/rel/message.xml"
freshdb ddex2
run "$BLENDCAT" import --rejects "$W/rej10" "$W/rel/message.xml"
expect_rc 0 "a message with its resource files, digests matching: exit 0"
expect_eq "12" "$(q "SELECT count(*) FROM meekah.track_info")" "its 12 tracks are loaded"
expect_eq "Vivaldi: Concerto For Violin And Strings In E Major, Op.8, No.1, RV 269 \"La Primavera\". 1 Allegro|A|minor|128" \
	"$(q "SELECT title, musical_key, scale, tempo FROM meekah.track_info WHERE audio_filename = '1.flac'")" \
	"a named file's tags fill what the message does not give (key, tempo); the message's title wins"

# One file that does not match its digest rejects the whole release.
printf 'x' >>"$W/rel/resources/3.flac"
freshdb ddex3
run "$BLENDCAT" import --rejects "$W/rej11" "$W/rel/message.xml"
expect_rc 1 "a resource file with a wrong MD5: exit 1"
bad=$(md5sum "$W/rel/resources/3.flac" | cut -d' ' -f1)
expect_match "message.xml:278:ResourceList/SoundRecording\[3\]/TechnicalDetails/File/HashSum/HashSumValue: '$md5': MD5 mismatch for 'resources/3.flac': expected $md5, actual $bad" \
	"$W/rej11/rejects.log" "rejects.log names the element path, line, expected and actual digest"
expect_match "message.xml:141:ResourceList/SoundRecording\[2\]: rejected with its release: line 278, ResourceList/SoundRecording\[3\]/" \
	"$W/rej11/rejects.log" "the release's other tracks say why they went (no value of their own)"
expect_eq 0 "$(q "SELECT count(*) FROM meekah.track_info")" "nothing of the release is loaded"
cmp -s "$W/rel/message.xml" "$W/rej11/message.xml" && pass "the message goes to the rejects whole" ||
	fail "the message goes to the rejects whole"
cp "$TOP/tests/data/audio/vorbis.flac" "$W/rel/resources/3.flac"

# A file reference that leads out of the message's folder is refused, never opened.
sed '133s|resources/1.flac|../../../../../../../etc/passwd|' "$W/rel/message.xml" >"$W/rel/escape.xml"
sed '133s|resources/1.flac|/etc/passwd|' "$W/rel/message.xml" >"$W/rel/absolute.xml"
ln -sf /etc/passwd "$W/rel/resources/link.flac"
sed '133s|resources/1.flac|resources/link.flac|' "$W/rel/message.xml" >"$W/rel/link.xml"
for m in escape absolute link; do
	run "$BLENDCAT" check --offline --rejects "$W/rej-$m" "$W/rel/$m.xml"
	expect_rc 1 "a file reference out of the folder ($m): exit 1"
	expect_match "$m.xml:133:ResourceList/SoundRecording\[1\]/TechnicalDetails/File/URI: '[^']*': .*(leads outside the message's folder|link leading outside).*(refused, not opened)" \
		"$W/rej-$m/rejects.log" "the reference out of the folder is named and refused ($m)"
	expect_eq 12 "$(grep -c "$m.xml:" "$W/rej-$m/rejects.log")" "the whole release is rejected ($m)"
done

# --validate-xsd: each message against its version's official XSD first.
freshdb ddex4
run "$BLENDCAT" import --validate-xsd --xsd-dir "$D/xsd" --rejects "$W/rej20" "$A43" "$D/ern382/01_delivery.xml" "$D/ern383/Single.xml" \
	"$D/ern411/8 DjMix.xml" "$D/ern42/4 SimpleAudioSingle.xml"
expect_rc 0 "valid messages of 4.3, 3.8.2, 3.8.3, 4.1.1 and 4.2 with --validate-xsd: exit 0"
expect_eq "21|1|0|1|1" "$(q "SELECT count(*) FILTER (WHERE catalog_number = '00094631432057'),
	count(*) FILTER (WHERE audio_filename = 'SoundRecording_001_001.flac'),
	count(*) FILTER (WHERE catalog_number = '00028948530434'),
	count(*) FILTER (WHERE title = 'MMix'),
	count(*) FILTER (WHERE audio_filename = '190295810726_00001_LL.flac') FROM meekah.track_info")" \
	"their tracks load (the 3.8.3 TestMessage's do not)"
sed '88s|<Duration>PT2M28S</Duration>|<Length>PT2M28S</Length>|' "$A43" >"$W/invalid.xml"
run "$BLENDCAT" import --validate-xsd --xsd-dir "$D/xsd" --rejects "$W/rej21" "$W/invalid.xml"
expect_rc 1 "a message that is not valid: exit 1"
expect_match "invalid.xml:88: DDEX message not read: not valid against its XSD ern43/release-notification.xsd: Element 'Length': This element is not expected" \
	"$W/rej21/rejects.log" "rejects.log names the line and the validator's message"
expect_match "invalid.xml:88: not valid against its XSD" "$ERR" "the error names the line"
cmp -s "$W/invalid.xml" "$W/rej21/invalid.xml" && pass "the invalid message goes to the rejects whole" ||
	fail "the invalid message goes to the rejects whole"
run "$BLENDCAT" check --offline --validate-xsd --xsd-dir "$D/xsd" --rejects "$W/rej22" "$D/ern43/5kb.xml"
expect_rc 1 "check --validate-xsd of a message that does not validate: exit 1"
expect_match "5kb.xml:2: .*attribute 'MessageSchemaVersionId': The attribute 'MessageSchemaVersionId' is not allowed. \([0-9]+ errors in all\)" \
	"$W/rej22/rejects.log" "the first error is given, and how many there are"
run "$BLENDCAT" check --offline --rejects "$W/rej23" "$D/ern43/5kb.xml"
expect_match "^10 rows from 1 files" "$ERR" "without --validate-xsd the same message is read for what it has"
expect_nomatch "not valid" "$W/rej23/rejects.log" "without --validate-xsd nothing is validated"
run "$BLENDCAT" check --offline --validate-xsd --xsd-dir "$D/xsd" --rejects "$W/rej24" "$D/ern41/instance1.xml"
expect_match "instance1.xml: DDEX message not read: cannot validate \(--validate-xsd\): no XSD for ERN 4.1: cannot read '.*/ern41/release-notification.xsd'" \
	"$W/rej24/rejects.log" "a version without an XSD in the folder is named"
mkdir -p "$W/no-xsd"
run "$BLENDCAT" check --offline --validate-xsd --xsd-dir "$W/no-xsd" --rejects "$W/rej25" "$A43"
expect_match "cannot read '$W/no-xsd/ern43/release-notification.xsd'" "$W/rej25/rejects.log" "--xsd-dir is where the XSDs are read"
BLENDCAT_XSD_DIR=$W/no-xsd run "$BLENDCAT" check --offline --validate-xsd --rejects "$W/rej26" "$A43"
expect_match "cannot read '$W/no-xsd/ern43/release-notification.xsd'" "$W/rej26/rejects.log" "and BLENDCAT_XSD_DIR"

# A big message: 12000 SoundRecordings (the buffer once stopped at 10000), every one mapped.
"$TOP/scripts/gen-ern43" -n 12000 -o "$W/big.xml"
run "$BLENDCAT" check --offline --rejects "$W/rej30" "$W/big.xml"
expect_rc 0 "a message of 12000 SoundRecordings: exit 0"
expect_match "^12000 rows from 1 files: 0 rejected" "$ERR" "all 12000 are read and none rejected"

# One message per version into the database, field by field: tracks, creators (names, roles,
# IPI, PRO, split where given), instruments, release dates, catalog numbers.
track() {
	q "SELECT title, artist, duration, isrc, genre, coalesce(subgenre, ''), release_date,
	          coalesce(catalog_number, ''), coalesce(cover_art_url, '')
	   FROM meekah.track_info WHERE audio_filename = '$1'"
}
creators() {
	q "SELECT string_agg(c.creator_name || '/' || coalesce(c.role, '') || '/' || coalesce(c.ipi_number, '')
	          || '/' || coalesce(c.pro, '') || '/' || coalesce(c.split_percentage::text, ''), '; '
	          ORDER BY c.creator_name, c.role)
	   FROM meekah.track_creator c JOIN meekah.track_info t ON t.id = c.track_id WHERE t.audio_filename = '$1'"
}
instruments() {
	q "SELECT string_agg(i.instrument_category || '/' || i.instrument_type || '/' || i.is_primary, '; '
	          ORDER BY i.instrument_type)
	   FROM meekah.track_instrument i JOIN meekah.track_info t ON t.id = i.track_id WHERE t.audio_filename = '$1'"
}
freshdb ddex5
sed 's|<MessageControlType>TestMessage</MessageControlType>|<MessageControlType>LiveMessage</MessageControlType>|' \
	"$D/ern383/Single.xml" >"$W/single383.xml"
sed 's|http://ddex.net/xml/ern/411|http://ddex.net/xml/ern/41|g' "$D/ern411/8 DjMix.xml" >"$W/djmix41.xml"
"$TOP/scripts/gen-ern43" -n 3 --parties 4 -o "$W/gen43.xml"
run "$BLENDCAT" import --rejects "$W/rej40" "$D/ern382/01_delivery.xml" \
	"$D/ern382/Profile_DigitalClassicalAudioAlbum_MulitPartWork.xml" "$W/single383.xml" "$W/djmix41.xml" \
	"$D/ern42/4 SimpleAudioSingle.xml" "$A43" "$W/gen43.xml"
expect_rc 0 "messages of 3.8.2, 3.8.3, 4.1, 4.2 and 4.3: exit 0"
expect_eq "Example Song|DJ Theo|225|USRC12345678|Folk|Indie Folk|2010-01-01||resources/Image_001_001.jpg" \
	"$(track SoundRecording_001_001.flac)" "3.8.2: the track, FileName for its file, Genre with SubGenre"
expect_eq "The Four Seasons, Concerto No. 1 in E (La primavera / Spring) RV269 (Op. 8 No. 1): I. Allegro|Antonio Vivaldi & Ludwig von Edwig & The Streatham Philharmonic Orchestra|194|CASE00000901|Classical|Concerto|2010-01-01|0000000000900|A1UCASE0000000900X.jpeg" \
	"$(track A1UCASE0000000900X_01_01.wav)" "3.8.2: the classical album's first track: display artists joined, ICPN as catalog number"
expect_eq "Antonio Vivaldi/composer///; Steve Albino/producer///" "$(creators A1UCASE0000000900X_01_01.wav)" \
	"3.8.2: IndirectResourceContributor (composer) and ResourceContributor (producer)"
expect_eq "Mozart: Lucio Silla, K. 135 - Overture|Filarmonica della Scala and Riccardo Chailly|469|GBBBC2200191|Classical||2022-04-22|00028948530434|22UMGIM16162_T1_cvrart.jpg" \
	"$(track 00028948530434_T2_audtrk.mp3)" "3.8.3: the single, its non-preview file, release date, catalog number"
expect_eq "Hanno Rinke/executive producer///; Hans Weber/producer///; Joachim Niss/composer///; Jobst Eberhardt/editor///; Klaus Behrens/lyricist///; Klaus Scheibe/engineer///; Leonard Bernstein/conductor///; Wiener Philharmoniker/performer///" \
	"$(creators 00028948530434_T2_audtrk.mp3)" "3.8.3: every contributor with its role"
expect_eq "MMix|Original Spinner|751|USWE34255410|Nu Disco||2017-01-02|123123123123|QZ38A1600000_T2.jpeg" \
	"$(track A1UCASE0000000001X_01_01.wav)" "4.1: the DJ mix, its deal's start date as release date"
expect_eq "RIOPY: I Love You|RIOPY|264|GBAYC1700598|Classical|Classical Crossover|2017-04-25||" \
	"$(track 190295810726_00001_LL.flac)" "4.2: the single, the file's base name as audio_filename, PT4M23.583S rounded"
expect_eq "RIOPY/performer///" "$(creators 190295810726_00001_LL.flac)" "4.2: its contributor, Role Artist as performer"
expect_eq "Yume no Lullaby|Saeko Shu|148|JPTO09404900|J-Pop||2004-04-01|00094631432057|0094631432057.jpg" \
	"$(track 0094631432057_01_001.wav)" "4.3: the album's first track, ja-Latn title over ja-Jpan"
expect_eq "Saeko Shu/performer///" "$(creators 0094631432057_01_001.wav)" "4.3: its contributor"
expect_eq "Track 2 – Nacht & Tag|Creator 1|122|QZAAA0000001|Electronic|House|2024-03-01|BENCH-001|resources/cover.jpg" \
	"$(track track_000002.flac)" "4.3 (generated): CatalogNumber over ICPN, ReleaseDate, the cover's URI"
expect_eq "Creator 0 O'Brien & Søn/mixer/00010000094/ASCAP/25.00; Creator 1 O'Brien & Søn/lyricist/00010791902/BMI/25.00; Creator 1 O'Brien & Søn/performer/00010791902/BMI/; Creator 1 O'Brien & Søn/producer/00010791902/BMI/" \
	"$(creators track_000002.flac)" "4.3 (generated): roles, IPI, PRO and split; one contributor twice keeps one split"
expect_eq "keys/Piano/true" "$(instruments track_000002.flac)" "4.3 (generated): InstrumentType, HasMadeFeaturedContribution"
freshdb ddex6
run "$BLENDCAT" import --rejects "$W/rej41" "$W/rel/message.xml" "$D/ern411/6 Ringtone.xml"
expect_rc 0 "4.2 classical album and 4.1.1 ringtone: exit 0"
expect_eq "Antonio Vivaldi/composer///; Simon Standage/performer///; The English Concert/performer///; Trevor Pinnock/performer///" \
	"$(creators 1.flac)" "4.2: composer, orchestra and soloists"
expect_eq "keys/Harpsichord/false; strings/Violin/false" "$(instruments 1.flac)" "4.2: the soloists' instruments"
expect_eq "Middle of a Memory|ColeSwindell|30|USWB11700001|Country||2017-01-09||resources/093624920274.jpg" \
	"$(track USWB11700001_999_012_N_44_16.wav)" "4.1.1: the ringtone, DisplayArtistName as given"
expect_eq "15|0" "$(q "SELECT count(*), count(c.role) FROM meekah.track_creator c JOIN meekah.track_info t
	ON t.id = c.track_id WHERE t.audio_filename = 'USWB11700001_999_012_N_44_16.wav'")" \
	"4.1.1: its 15 contributors, none with a role (the message gives none)"

# ERN 4.1's only corpus message is machine-generated: its random values are rejected, by element path.
run "$BLENDCAT" check --offline --rejects "$W/rej42" "$D/ern41/instance1.xml"
expect_rc 1 "the 4.1 instance: exit 1"
expect_match "instance1.xml:273:ResourceList/SoundRecording\[1\]/Duration: 'P4Y1M0DT1H10M0S': years and months have no fixed length" \
	"$W/rej42/rejects.log" "the reject names the line and the element path"

# Unsafe or broken messages: each its own error, exit 1, nothing of them loaded.
printf '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43">&e;</ern:NewReleaseMessage>\n' >"$W/xxe.xml"
head -c 3000 "$A43" >"$W/truncated.xml"
sed 's|http://ddex.net/xml/ern/43|http://example.com/ern/43|' "$A43" >"$W/wrong-ns.xml"
sed 's|http://ddex.net/xml/ern/43|http://ddex.net/xml/ern/44|g' "$A43" >"$W/ern44.xml"
freshdb ddex7
run "$BLENDCAT" import --rejects "$W/rej50" "$W/xxe.xml" "$W/truncated.xml" "$W/wrong-ns.xml" "$W/ern44.xml" \
	"$D/legacy/ern37/00602557190298.xml"
expect_rc 1 "only unusable messages: exit 1 (rejects), no crash"
expect_match "xxe.xml:2: DDEX message not read: at column 1: DOCTYPE refused: external entity 'e' \(SYSTEM \"file:///etc/passwd\"\): an XXE attempt" \
	"$W/rej50/rejects.log" "XXE: refused, naming the entity"
expect_match "truncated.xml:[0-9]+: DDEX message not read: at column [0-9]+: not well-formed XML: .*the file ends inside element '[A-Za-z]+' of line [0-9]+: truncated\?" \
	"$W/rej50/rejects.log" "truncated: line, column and the open element"
expect_match "truncated.xml:[0-9]+:[0-9]+: not well-formed XML" "$ERR" "the error gives line and column"
expect_match "wrong-ns.xml:[0-9]+: DDEX message not read: not a DDEX message: root element 'NewReleaseMessage' in namespace 'http://example.com/ern/43'" \
	"$W/rej50/rejects.log" "wrong namespace: named"
expect_match "ern44.xml:[0-9]+: DDEX message not read: ERN 4.4 \(namespace 'http://ddex.net/xml/ern/44'\) is not supported" \
	"$W/rej50/rejects.log" "unknown version: named"
expect_match "00602557190298.xml:[0-9]+: DDEX message not read: ERN 3.7 .* is not supported" \
	"$W/rej50/rejects.log" "an older version: named"
expect_eq 0 "$(q "SELECT count(*) FROM meekah.track_info")" "nothing of them is loaded"
for f in xxe truncated wrong-ns ern44; do
	cmp -s "$W/$f.xml" "$W/rej50/$f.xml" && pass "$f.xml goes to the rejects whole" || fail "$f.xml goes to the rejects whole"
done

}
with_shared corpus/ddex corpus_tests

# A sender's mistake: the ERN namespace declared as the default beside its prefix, so every
# element below the root is in it.  Not valid, but read by local names to the same catalog,
# with one warning per message.  Messages of the project's own making: samples/ exported, and
# one from scripts/gen-ern43 (contributors with IPI, society, split, an instrument).
SENDER='PADPIDA2014120301X:Blendtune Records'
freshdb ddexns_src
"$BLENDCAT" import -q "$TOP/samples/catalog"
run "$BLENDCAT" export --format ddex --out "$W/ns-orig" --sender "$SENDER" \
	--recipient 'PADPIDA2007040502I:Example DSP'
expect_rc 0 "samples exported as DDEX for the namespace test"
"$TOP/scripts/gen-ern43" -n 4 --parties 6 -o "$W/ns-orig/gen.xml"
mkdir -p "$W/ns-dflt"
for f in "$W"/ns-orig/*.xml; do
	sed '0,/<ern:NewReleaseMessage /s||<ern:NewReleaseMessage xmlns="http://ddex.net/xml/ern/43" |' \
		"$f" >"$W/ns-dflt/$(basename "$f")"
done
nmsg=$(ls "$W"/ns-orig/*.xml | wc -l)
expect_eq "$nmsg" "$(grep -l '^<ern:NewReleaseMessage xmlns="http://ddex.net/xml/ern/43" ' "$W"/ns-dflt/*.xml | wc -l)" \
	"every copy declares the default namespace ($nmsg messages)"
for v in orig dflt; do
	freshdb "ddexns_$v"
	run "$BLENDCAT" import --rejects "$W/rej-ns-$v" --report "$W/ns-$v.json" "$W/ns-$v"
	expect_rc 0 "the $v messages import: exit 0"
	cp "$ERR" "$W/ns-$v.err"
	run "$BLENDCAT" export --format csv --out "$W/ns-$v-csv"
done
expect_eq "24" "$(q "SELECT count(*) FROM meekah.track_info")" "the 20 samples and 4 generated tracks are loaded"
expect_eq "" "$(diff -r "$W/ns-orig-csv" "$W/ns-dflt-csv")" \
	"the catalog from the default-namespace copies equals the original's, field by field (every manifest file)"
warnings() { sed -n 's/.*"warnings": \([0-9]*\).*/\1/p' "$1"; }
expect_eq "$(($(warnings "$W/ns-orig.json") + nmsg))" "$(warnings "$W/ns-dflt.json")" \
	"one warning more per message, no other"
expect_nomatch "element in namespace" "$W/ns-orig.err" "the original messages get no namespace warning"
# One message alone: its one warning names the file, the line, the element and the namespace.
run "$BLENDCAT" check --offline --rejects "$W/rej-ns-one" "$W/ns-dflt/gen.xml"
expect_rc 0 "check of the default-namespace message: exit 0"
expect_eq 1 "$(grep -c 'element in namespace' "$ERR")" "exactly one namespace warning for the message"
expect_match "gen.xml:3: field 'MessageHeader': element in namespace 'http://ddex.net/xml/ern/43' \(a default namespace declaration, xmlns=\"http://ddex.net/xml/ern/43\"\): DDEX elements below the root are in no namespace, so the message is not valid; its elements are read by their local names" \
	"$ERR" "it names the file, line, element and namespace, and how the namespace got there"
expect_match "^4 rows from 1 files: 0 rejected" "$ERR" "its 4 tracks are read"
# PT0S is no length.  A delivery whose message gives PT0S, and whose audio file is not in the
# folder, is rejected saying so; with the file there, the file's length is used; a zero is
# never loaded as a length, not even over a track the catalog has.
"$TOP/scripts/gen-ern43" -n 2 --parties 4 -o "$W/pt0s-base.xml"
md5=$(md5sum "$TOP/tests/data/audio/vorbis.flac" | cut -d' ' -f1)
mkdir -p "$W/pt0s-gone" "$W/pt0s-here/resources"
sed -e 's|<Duration>[^<]*</Duration>|<Duration>PT0S</Duration>|' \
	-e "s|<HashSumValue>[^<]*</HashSumValue>|<HashSumValue>$md5</HashSumValue>|" \
	"$W/pt0s-base.xml" >"$W/pt0s-gone/m.xml"
cp "$W/pt0s-gone/m.xml" "$W/pt0s-here/m.xml"
cp "$TOP/tests/data/audio/vorbis.flac" "$W/pt0s-here/resources/track_000001.flac"
expect_eq 2 "$(grep -c '<Duration>PT0S</Duration>' "$W/pt0s-gone/m.xml")" "the message gives PT0S for both tracks"
freshdb ddexpt0s
run "$BLENDCAT" import --rejects "$W/rej-pt0s-gone" "$W/pt0s-gone/m.xml"
expect_rc 1 "PT0S and no audio file: exit 1 (rejects)"
expect_match "/pt0s-gone/m.xml:83:duration: a new track needs a duration: the message gives Duration 'PT0S', which is no length, and the audio file 'resources/track_000001.flac' that would give the length is not in the delivery$" \
	"$W/rej-pt0s-gone/rejects.log" "the reject says what it saw: PT0S, and the file not in the delivery"
expect_eq 2 "$(grep -c "a new track needs a duration: the message gives Duration 'PT0S'" "$W/rej-pt0s-gone/rejects.log")" \
	"both tracks are rejected so"
expect_eq 0 "$(q "SELECT count(*) FROM meekah.track_info")" "nothing is loaded"
run "$BLENDCAT" import --rejects "$W/rej-pt0s-here" "$W/pt0s-here/m.xml"
expect_rc 1 "PT0S with one of the two audio files: exit 1 (the other is rejected)"
expect_eq "track_000001.flac|3" "$(q "SELECT audio_filename, duration FROM meekah.track_info")" \
	"the track whose file is there loads with the file's length (3.68 s, whole seconds as the tags give it)"
expect_match "/pt0s-here/m.xml:136:duration: .*the audio file 'resources/track_000002.flac' that would give the length is not in the delivery$" \
	"$W/rej-pt0s-here/rejects.log" "the track whose file is not there is rejected, naming its file"
freshdb ddexpt0s2
run "$BLENDCAT" import --rejects "$W/rej-pt0s-first" "$W/pt0s-base.xml"
expect_eq "121|122" "$(q "SELECT string_agg(duration::text, '|' ORDER BY audio_filename) FROM meekah.track_info")" \
	"an earlier delivery gives the lengths (PT2M0.5S, PT2M1.5S, rounded)"
run "$BLENDCAT" import --rejects "$W/rej-pt0s-again" "$W/pt0s-gone/m.xml"
expect_rc 0 "a later delivery with PT0S of tracks the catalog has: exit 0"
expect_eq "121|122" "$(q "SELECT string_agg(duration::text, '|' ORDER BY audio_filename) FROM meekah.track_info")" \
	"PT0S is not loaded as a length: the catalog's stay"

# A delivery folder: the message's audio files are read once, by the walk or
# with the message, whichever comes first, when reading as the walk goes
# (check --offline) as when every input is found first (check with the
# database): the message before resources/, and after it (zz.xml).
mkdir -p "$W/deliv/resources"
sed -e "s|<HashSumValue>[^<]*</HashSumValue>|<HashSumValue>$md5</HashSumValue>|" \
	"$W/pt0s-base.xml" >"$W/deliv/m.xml"
cp "$TOP/tests/data/audio/vorbis.flac" "$W/deliv/resources/track_000001.flac"
cp "$TOP/tests/data/audio/vorbis.flac" "$W/deliv/resources/track_000002.flac"
cp -r "$W/deliv" "$W/deliv-z"
mv "$W/deliv-z/m.xml" "$W/deliv-z/zz.xml"
freshdb ddexdeliv
for d in deliv deliv-z; do
	for how in "check --offline" check; do
		# shellcheck disable=SC2086
		run "$BLENDCAT" $how --rejects "$W/rej-$d" "$W/$d"
		expect_match "^4 rows from 3 files: 0 rejected" "$ERR" \
			"$how $d/: 2 recordings and 2 audio files, each read once"
		rm -rf "$W/rej-$d"
	done
done
# The message alone: its files are read with it.
run "$BLENDCAT" check --offline --rejects "$W/rej-deliv-m" "$W/deliv/m.xml"
expect_match "^4 rows from 3 files: 0 rejected" "$ERR" "check --offline of the message alone reads its 2 files"

rm -f "$OUT" "$ERR"
