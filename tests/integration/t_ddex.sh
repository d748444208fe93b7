# DDEX deliveries: test messages, takedowns and purges.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/ddex
D=$SHARED/corpus/ddex
A43="$D/ern43/1 Audio.xml"
mkdir -p "$W"

# A TestMessage changes nothing.
sed 's|</MessageHeader>|<MessageControlType>TestMessage</MessageControlType></MessageHeader>|' \
	"$A43" >"$W/test-message.xml"
newdb ddex
"$BLENDCAT" migrate up -q >/dev/null
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
newdb ddex2
"$BLENDCAT" migrate up -q >/dev/null
run "$BLENDCAT" import --rejects "$W/rej10" "$W/rel/message.xml"
expect_rc 0 "a message with its resource files, digests matching: exit 0"
expect_eq "12" "$(q "SELECT count(*) FROM meekah.track_info")" "its 12 tracks are loaded"
expect_eq "Vivaldi: Concerto For Violin And Strings In E Major, Op.8, No.1, RV 269 \"La Primavera\". 1 Allegro|A|minor|128" \
	"$(q "SELECT title, musical_key, scale, tempo FROM meekah.track_info WHERE audio_filename = '1.flac'")" \
	"a named file's tags fill what the message does not give (key, tempo); the message's title wins"

# One file that does not match its digest rejects the whole release.
printf 'x' >>"$W/rel/resources/3.flac"
newdb ddex3
"$BLENDCAT" migrate up -q >/dev/null
run "$BLENDCAT" import --rejects "$W/rej11" "$W/rel/message.xml"
expect_rc 1 "a resource file with a wrong MD5: exit 1"
bad=$(md5sum "$W/rel/resources/3.flac" | cut -d' ' -f1)
expect_match "message.xml:278:ResourceList/SoundRecording\[3\]/TechnicalDetails/File/HashSum/HashSumValue: '$md5': MD5 mismatch for 'resources/3.flac': expected $md5, actual $bad" \
	"$W/rej11/rejects.log" "rejects.log names the element path, line, expected and actual digest"
expect_match "message.xml:[0-9]+:.*rejected with its release: line 278, ResourceList/SoundRecording\[3\]/" \
	"$W/rej11/rejects.log" "the release's other tracks say why they went"
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
newdb ddex4
"$BLENDCAT" migrate up -q >/dev/null
run "$BLENDCAT" import --validate-xsd --rejects "$W/rej20" "$A43" "$D/ern382/01_delivery.xml" "$D/ern383/Single.xml" \
	"$D/ern411/8 DjMix.xml" "$D/ern42/4 SimpleAudioSingle.xml"
expect_rc 0 "valid messages of 4.3, 3.8.2, 3.8.3, 4.1.1 and 4.2 with --validate-xsd: exit 0"
expect_eq "21|1|0|1|1" "$(q "SELECT count(*) FILTER (WHERE catalog_number = '00094631432057'),
	count(*) FILTER (WHERE audio_filename = 'SoundRecording_001_001.flac'),
	count(*) FILTER (WHERE catalog_number = '00028948530434'),
	count(*) FILTER (WHERE title = 'MMix'),
	count(*) FILTER (WHERE audio_filename = '190295810726_00001_LL.flac') FROM meekah.track_info")" \
	"their tracks load (the 3.8.3 TestMessage's do not)"
sed '88s|<Duration>PT2M28S</Duration>|<Length>PT2M28S</Length>|' "$A43" >"$W/invalid.xml"
run "$BLENDCAT" import --validate-xsd --rejects "$W/rej21" "$W/invalid.xml"
expect_rc 1 "a message that is not valid: exit 1"
expect_match "invalid.xml:88: DDEX message not read: not valid against its XSD ern43/release-notification.xsd: Element 'Length': This element is not expected" \
	"$W/rej21/rejects.log" "rejects.log names the line and the validator's message"
expect_match "invalid.xml:88: not valid against its XSD" "$ERR" "the error names the line"
cmp -s "$W/invalid.xml" "$W/rej21/invalid.xml" && pass "the invalid message goes to the rejects whole" ||
	fail "the invalid message goes to the rejects whole"
run "$BLENDCAT" check --offline --validate-xsd --rejects "$W/rej22" "$D/ern43/5kb.xml"
expect_rc 1 "check --validate-xsd of a message that does not validate: exit 1"
expect_match "5kb.xml:2: .*attribute 'MessageSchemaVersionId': The attribute 'MessageSchemaVersionId' is not allowed. \([0-9]+ errors in all\)" \
	"$W/rej22/rejects.log" "the first error is given, and how many there are"
run "$BLENDCAT" check --offline --rejects "$W/rej23" "$D/ern43/5kb.xml"
expect_match "^10 rows from 1 files" "$ERR" "without --validate-xsd the same message is read for what it has"
expect_nomatch "not valid" "$W/rej23/rejects.log" "without --validate-xsd nothing is validated"
run "$BLENDCAT" check --offline --validate-xsd --rejects "$W/rej24" "$D/ern41/instance1.xml"
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

rm -f "$OUT" "$ERR"
