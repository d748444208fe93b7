# Null markers in audio tags and DDEX values, the rule label sheets follow:
# a value that is only "N/A", "-", "TBD"... in a typed field that may be
# empty (ISRC, BPM, key...) means no value, with a warning; free text
# keeps its text; --null adds markers.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/nulls
mkdir -p "$W/tags"

# -------------------------------------------------------------- tags
cp "$TOP/tests/data/audio/id3v24.mp3" "$W/tags/marked.mp3"
cp "$TOP/tests/data/audio/vorbis.flac" "$W/tags/asked.flac"
/usr/bin/python3 - "$W/tags" <<'PY' || fail "mutagen writes the fixtures (python3-mutagen)"
import sys
from mutagen.id3 import ID3, TSRC, TBPM, TIT2, TKEY
from mutagen.flac import FLAC
t = ID3(sys.argv[1] + "/marked.mp3")
t.setall("TSRC", [TSRC(encoding=3, text=["N/A"])])
t.setall("TBPM", [TBPM(encoding=3, text=["n/a"])])
t.setall("TKEY", [TKEY(encoding=3, text=["TBD"])])
t.setall("TIT2", [TIT2(encoding=3, text=["N/A"])])
t.save()
f = FLAC(sys.argv[1] + "/asked.flac")
f["BPM"] = ["?"]
f["ISRC"] = ["-"]
f.save()
PY

freshdb nulls_tags
run "$BLENDCAT" import --rejects "$W/rej1" "$W/tags/marked.mp3"
expect_rc 0 "ISRC, BPM and key tags holding null markers: the file loads (exit 0)"
expect_eq "N/A|<none>|<none>|<none>" \
	"$(q "SELECT title, coalesce(isrc, '<none>'), coalesce(tempo::text, '<none>'),
	          coalesce(musical_key, '<none>') FROM meekah.track_info WHERE audio_filename = 'marked.mp3'")" \
	"the typed fields are empty; the title, free text, keeps its 'N/A'"
expect_match "marked.mp3: field 'ISRC': 'N/A' is a null marker: taken as empty" "$ERR" \
	"a warning names the file, the tag and the marker"
expect_eq 3 "$(grep -c 'is a null marker' "$ERR")" "one warning for each of the three tags"

run "$BLENDCAT" import --rejects "$W/rej2" "$W/tags/asked.flac"
expect_rc 1 "BPM '?' is no null marker by default: the file is rejected (exit 1)"
expect_match "asked.flac.*'\?'" "$W/rej2/rejects.log" "rejects.log names the value"
run "$BLENDCAT" import --null '?' --rejects "$W/rej3" "$W/tags/asked.flac"
expect_rc 0 "--null '?': the same file loads (exit 0)"
expect_eq "<none>|<none>" \
	"$(q "SELECT coalesce(tempo::text, '<none>'), coalesce(isrc, '<none>')
	      FROM meekah.track_info WHERE audio_filename = 'asked.flac'")" \
	"BPM '?' and ISRC '-' are empty"

# Once the catalog has an ISRC, a tag holding a null marker leaves it alone,
# as an empty tag does: a tag does not say "none any more".
q "UPDATE meekah.track_info SET isrc = 'GBAYE0000001' WHERE audio_filename = 'marked.mp3'"
run "$BLENDCAT" import --rejects "$W/rej4" "$W/tags/marked.mp3"
expect_rc 0 "the file again: exit 0"
expect_eq "GBAYE0000001" "$(q "SELECT isrc FROM meekah.track_info WHERE audio_filename = 'marked.mp3'")" \
	"a null marker in a tag does not clear the catalog's value"

# -------------------------------------------------------------- DDEX
"$TOP/scripts/gen-ern43" -n 3 --parties 4 -o "$W/orig.xml" || fail "gen-ern43 writes a message"
sed -e 's|<ISRC>QZAAA0000000</ISRC>|<ISRC>N/A</ISRC>|' -e 's|<ISRC>QZAAA0000001</ISRC>|<ISRC>n/a</ISRC>|' \
	"$W/orig.xml" >"$W/marked.xml"
freshdb nulls_ddex
run "$BLENDCAT" import --rejects "$W/rej5" "$W/marked.xml"
expect_rc 0 "a message whose ISRCs hold null markers: loads (exit 0)"
expect_eq "3|2" "$(q "SELECT count(*), count(*) FILTER (WHERE isrc IS NULL) FROM meekah.track_info")" \
	"its three tracks load, two without an ISRC"
expect_eq 1 "$(grep -c "is a null marker" "$ERR")" "one warning per message and field, not per track"
expect_match "marked.xml:[0-9]+: field 'ResourceList/SoundRecording\[1\]/[A-Za-z/]*ISRC': 'N/A' is a null marker: taken as empty" "$ERR" \
	"it names the message, line and element"
