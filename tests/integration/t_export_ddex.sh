# export --format ddex: ERN 4.3 messages that validate, resolve and import back.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/export_ddex
mkdir -p "$W"
XSD=$SHARED/corpus/ddex/xsd/ern43/release-notification.xsd
SENDER='PADPIDA2014120301X:Blendtune Records'
RECIPIENT='PADPIDA2007040502I:Example Music Service'

# What DDEX carries of the catalog, one line per value, ids aside.  The
# instrument category and contact data have no home in ERN; a creator's
# split is per person and track; an unknown is_primary (NULL) is no
# HasMadeFeaturedContribution, which imports as the column's default.
ddex_carried() {
	q "SELECT 'T', audio_filename, title, artist, duration, genre, subgenre, tags, description,
	          cover_art_url, catalog_number, isrc, release_date
	   FROM meekah.track_info ORDER BY audio_filename"
	q "SELECT 'C', t.audio_filename, c.creator_name, c.role, c.ipi_number, c.pro
	   FROM meekah.track_creator c JOIN meekah.track_info t ON t.id = c.track_id
	   ORDER BY 2, 3, 4, 5, 6"
	q "SELECT 'S', t.audio_filename, c.creator_name, c.ipi_number, c.pro, sum(c.split_percentage)
	   FROM meekah.track_creator c JOIN meekah.track_info t ON t.id = c.track_id
	   GROUP BY 2, 3, 4, 5 ORDER BY 2, 3, 4, 5"
	q "SELECT 'I', t.audio_filename, coalesce(i.instrument_type, i.instrument_category),
	          coalesce(i.is_primary, false)
	   FROM meekah.track_instrument i JOIN meekah.track_info t ON t.id = i.track_id
	   ORDER BY 2, 3, 4"
}

# Every message validates against the ERN 4.3 XSD.
validates() {	# name, dir
	local bad
	have_shared corpus/ddex/xsd/ern43/release-notification.xsd 1 || return 0
	bad=$(find "$2" -name '*.xml' ! -name '*_mead*.xml' ! -name 'BatchComplete_*' -print0 |
		xargs -0 xmllint --noout --nonet --schema "$XSD" 2>&1 | grep -v ' validates$' | head -5)
	if [ -z "$bad" ] && [ -n "$(find "$2" -name '*.xml')" ]; then
		pass "$1: every message validates against the ERN 4.3 XSD"
	else
		fail "$1: every message validates against the ERN 4.3 XSD" "$bad"
	fi
}

# Every reference in every message names something the message defines.
resolves() {	# name, dir
	local got
	got=$(python3 - "$2" <<'EOF'
import glob, sys, xml.etree.ElementTree as ET
bad = []
for f in sorted(glob.glob(sys.argv[1] + '/**/*.xml', recursive=True)):
    if '_mead' in f or 'BatchComplete_' in f:
        continue
    root = ET.parse(f).getroot()
    defined = {e.text for e in root.iter() if e.tag in
               ('PartyReference', 'ResourceReference', 'ReleaseReference')}
    for e in root.iter():
        if e.tag.endswith('Reference') and e.tag not in (
                'PartyReference', 'ResourceReference', 'ReleaseReference',
                'TechnicalResourceDetailsReference') and e.text not in defined:
            bad.append('%s: %s %s' % (f, e.tag, e.text))
print('\n'.join(bad[:5]) or 'ok')
EOF
)
	expect_eq ok "$got" "$1: every reference resolves"
}

ddex_roundtrip() {	# name, import args...: import, export ddex, import fresh, compare
	local name=$1
	shift
	freshdb "${name}_a"
	run "$BLENDCAT" import -q --rejects "$W/$name-rej" "$@"
	[ "$RC" -le 1 ] && pass "$name: the first import loads (exit $RC)" ||
		fail "$name: the first import loads (exit $RC)" "$(last_output)"
	[ "$(q "SELECT count(*) FROM meekah.track_info")" -gt 0 ] &&
		pass "$name: the catalog carried is not empty" || fail "$name: the catalog carried is not empty"
	run "$BLENDCAT" export --format ddex --out "$W/$name" --sender "$SENDER" --recipient "$RECIPIENT"
	expect_rc 0 "$name: export ddex: exit 0"
	expect_eq "$(q "SELECT count(DISTINCT coalesce('c' || catalog_number, 's' || audio_filename))
	                FROM meekah.track_info")" "$(find "$W/$name" -name '*.xml' | wc -l)" \
		"$name: one message per catalog number, one per track without one"
	validates "$name" "$W/$name"
	resolves "$name" "$W/$name"
	ddex_carried >"$W/$name-a.txt"
	freshdb "${name}_b"
	run "$BLENDCAT" import -q --rejects "$W/$name-rej2" "$W/$name"
	expect_rc 0 "$name: the messages import into an empty database with no reject"
	ddex_carried >"$W/$name-b.txt"
	if diff "$W/$name-a.txt" "$W/$name-b.txt" >"$W/$name.diff"; then
		pass "$name: importing the messages gives back every field DDEX carries"
	else
		fail "$name: importing the messages gives back every field DDEX carries" \
			"$(head -20 "$W/$name.diff")"
	fi
}

ddex_roundtrip ddex_samples "$TOP/samples/catalog"
f=$W/ddex_samples/BT-2024-001.xml
expect_match '^<ern:NewReleaseMessage AvsVersionId="[0-9]+" LanguageAndScriptCode="en" xmlns:ern="http://ddex.net/xml/ern/43">$' \
	"$f" "the root is ern:NewReleaseMessage, prefixed, with AvsVersionId, no default namespace"
expect_match '<URI>resources/summer-vibes-120bpm-cmaj.mp3</URI>' "$f" "the audio file is resources/<audio_filename>"
expect_match '<IpiNameNumber>00123456789</IpiNameNumber>' "$f" "a creator's IPI is on its Party"
expect_match '<ReleaseDate>2024-01-15</ReleaseDate>' "$f" "the release date is on the release"
expect_match '<Type>FrontCoverImage</Type>' "$f" "the cover art is a FrontCoverImage"
expect_match '<CatalogNumber Namespace="PADPIDA2014120301X">BT-2024-001</CatalogNumber>' "$f" \
	"the catalog number is the release's id"
expect_match '<PartyId>PADPIDA2007040502I</PartyId>' "$f" "the recipient is in the header"

# An existing message is never overwritten: a second export beside it.
run "$BLENDCAT" export -q --format ddex --out "$W/ddex_samples" --catalog-number BT-2024-001 \
	--sender "$SENDER" --recipient "$RECIPIENT"
expect_rc 0 "a second export into the same directory: exit 0"
[ -f "$W/ddex_samples/BT-2024-001-2.xml" ] && pass "it writes beside the first, not over it" ||
	fail "it writes beside the first, not over it" "$(ls "$W/ddex_samples" | head)"

if "$TOP/scripts/gen-catalog" -n 600 -o "$W/gen" --messy --bad-rate 0.01 --seed 5 -q; then
	mkdir -p "$W/gen-in"
	cp "$W/gen/"{tracks,creators,instruments,arrangement,samples}.csv "$W/gen-in/"
	ddex_roundtrip ddex_generated --date-order dmy "$W/gen-in"
	albums=$(q "SELECT count(*) FROM (SELECT catalog_number FROM meekah.track_info
	            GROUP BY 1 HAVING count(*) > 1) x")
	[ "$albums" -gt 0 ] && pass "the generated catalog has releases of several tracks ($albums)" ||
		fail "the generated catalog has releases of several tracks"
else
	fail "gen-catalog made a catalog"
fi

# One person in several roles with a split in each; namesakes; a creator
# with no role; instruments primary, not, and not known.
mkdir -p "$W/roles"
cat >"$W/roles/tracks.csv" <<'CSV'
audio_filename,title,artist,duration,catalog_number,release_date,cover_art_url
one.wav,One,Ana,200,ROLES-1,2024-02-01,https://cdn.example.com/a.jpg
two.wav,Two,,180,ROLES-1,2024-03-01,https://cdn.example.com/b.jpg
three.wav,Three,Ben,100,,2023-05-05,
four.wav,Four,Ana,150,ROLES-1,2024-02-01,
CSV
cat >"$W/roles/creators.csv" <<'CSV'
audio_filename,creator_name,role,ipi_number,pro,split_percentage
one.wav,Ana,composer,00014107338,BMI,30
one.wav,Ana,producer,00014107338,BMI,20
one.wav,John Nelson,composer,00000000199,,25
one.wav,John Nelson,composer,,PRS,25
two.wav,Nameless Role,,,,
three.wav,Ben,featured artist,,,
CSV
cat >"$W/roles/instruments.csv" <<'CSV'
audio_filename,instrument_category,instrument_type,is_primary
one.wav,guitar,slide guitar,true
one.wav,synth,,false
two.wav,drums,808,
CSV
ddex_roundtrip ddex_roles "$W/roles"
expect_eq "one.wav|Ana|00014107338|BMI|50.00" "$(grep '^S|one.wav|Ana|' "$W/ddex_roles-b.txt" | cut -d'|' -f2-)" \
	"a person's splits in several roles come back as one share"
expect_match '<ReleaseDate>' "$W/ddex_roles/three.xml" "a single carries its own release"
expect_eq "" "$(grep '^T|four.wav|' "$W/ddex_roles-b.txt" | cut -d'|' -f10)" \
	"a track without cover art, among tracks with covers of their own, comes back without one"
expect_nomatch '<ReleaseDate>' "$W/ddex_roles/ROLES-1.xml" \
	"tracks of one release with different dates: no release-level date"

# --batch: the delivery layout; --mead: tempo, key, mood, sections beside.
freshdb ddex_batch
"$BLENDCAT" import -q "$TOP/samples/catalog"
run "$BLENDCAT" export --format ddex --batch --mead --out "$W/batch" --sender "$SENDER" --recipient "$RECIPIENT"
expect_rc 0 "export ddex --batch --mead: exit 0"
batch=$(ls "$W/batch")
[[ $batch =~ ^[0-9]{17}$ ]] && pass "one batch folder named by its timestamp ($batch)" ||
	fail "one batch folder named by its timestamp" "$batch"
B=$W/batch/$batch
expect_eq "$(q "SELECT count(DISTINCT coalesce(catalog_number, audio_filename)) FROM meekah.track_info")" \
	"$(find "$B" -mindepth 1 -maxdepth 1 -type d | wc -l)" "one folder per release"
missing=$(for d in "$B"/*/; do n=$(basename "$d"); [ -f "$d/$n.xml" ] && [ -d "$d/resources" ] || echo "$n"; done)
expect_eq "" "$missing" "each release folder holds its message and resources/"
validates "batch" "$B"
expect_eq "$(find "$B" -mindepth 2 -name '*.xml' ! -name '*_mead.xml' | wc -l)" \
	"$(grep -c '<MessageFile>' "$B/BatchComplete_$batch.xml")" "BatchComplete lists every message"
newer=$(find "$B" -mindepth 2 -name '*.xml' -newer "$B/BatchComplete_$batch.xml" | head -3)
expect_eq "" "$newer" "BatchComplete is written last"
mead_xsd() {
mkdir -p "$W/meadxsd/mead11"
cp "$SHARED/corpus/ddex/xsd/mead11/media-enrichment-and-description.xsd" "$W/meadxsd/mead11/"
cp "$SHARED/corpus/ddex/xsd/ern43/allowed-value-sets.xsd" "$W/meadxsd/"
bad=$(find "$B" -name '*_mead.xml' -print0 | xargs -0 xmllint --noout --nonet \
	--schema "$W/meadxsd/mead11/media-enrichment-and-description.xsd" 2>&1 | grep -v ' validates$' | head -5)
expect_eq "" "$bad" "every MEAD message validates against the MEAD 1.1 XSD"
}
with_shared corpus/ddex/xsd/mead11 mead_xsd
got=$(python3 - "$B/BT-2024-001/BT-2024-001_mead.xml" <<'EOF'
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot().find('.//ResourceInformation')
print(r.find('BeatsPerMinute/Value').text, r.find('Harmony/RootChordNote').text,
      r.find('Harmony/RootChordQuality').text,
      [m.get('UserDefinedValue') for m in r.findall('Mood/Value')],
      [(p.find('RecordingPartType').text, p.find('StartPoint').text, p.find('EndPoint').text)
       for p in r.findall('RecordingPart')])
EOF
)
expect_eq "120 C MajorTriad ['uplifting', 'energetic', 'summer'] [('Intro', '0', '8'), ('Verse', '8', '32'), ('Chorus', '32', '64')]" \
	"$got" "MEAD: tempo, key and scale, moods and sections of Summer Vibes"
run "$BLENDCAT" import -q "$B"
expect_rc 0 "the batch imports back, MEAD messages included"

# Usage: both parties, as DPID:NAME with a real DPID.
run "$BLENDCAT" export --format ddex --out "$W/u" --recipient "$RECIPIENT"
expect_rc 2 "export ddex without --sender: exit 2"
expect_match 'needs --sender DPID:NAME' "$ERR" "it says what is missing"
run "$BLENDCAT" export --format ddex --out "$W/u" --sender 'XYZ:Label' --recipient "$RECIPIENT"
expect_rc 2 "export ddex --sender with a bad DPID: exit 2"
expect_match "'XYZ' is not a DDEX party id" "$ERR" "it names the bad DPID"
run "$BLENDCAT" export --format ddex --out - --sender "$SENDER" --recipient "$RECIPIENT"
expect_rc 2 "export ddex to stdout: exit 2"


# An unwritable directory is an error naming it.
touch "$W/file"
run "$BLENDCAT" export --format ddex --out "$W/file/sub" --sender "$SENDER" --recipient "$RECIPIENT"
expect_rc 3 "export ddex into a path under a file: exit 3"
expect_match "cannot create '$W/file" "$ERR" "it names the path"

rm -f "$OUT" "$ERR"
