# M4A keys: the freeform atom ----:com.apple.iTunes:initialkey (any case;
# KEY when it is absent), written by mutagen into copies of itunes.m4a, is
# read on import, and export --format tags writes it back, as mutagen reads
# it; a KEY tag (atom or Vorbis comment) goes when the key changes.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/m4a_keys
T=$W/tree
mkdir -p "$T" "$W/bad"
PY=/usr/bin/python3

# mp4_key FILE NAME VALUE: the file's key atoms removed, then
# ----:com.apple.iTunes:NAME = VALUE (no key atom when NAME is -).
mp4_key() {
	"$PY" -c 'import sys
from mutagen.mp4 import MP4, MP4FreeForm
f = MP4(sys.argv[1])
for k in [k for k in f.tags if k.lower() in ("----:com.apple.itunes:initialkey",
                                             "----:com.apple.itunes:key")]:
    del f.tags[k]
if sys.argv[2] != "-":
    f.tags["----:com.apple.iTunes:" + sys.argv[2]] = [MP4FreeForm(sys.argv[3].encode())]
f.save()' "$@"
}

# mp4_keys FILE: the file's key atoms as mutagen reads them, "NAME=VALUE ...".
mp4_keys() {
	"$PY" -c 'import sys
from mutagen.mp4 import MP4
t = MP4(sys.argv[1]).tags
print(" ".join(sorted("%s=%s" % (k[22:], ",".join(bytes(v).decode() for v in t[k]))
                      for k in t if k.lower() in ("----:com.apple.itunes:initialkey",
                                                  "----:com.apple.itunes:key"))))' "$1"
}

keys() {
	q "SELECT audio_filename || ' ' || coalesce(musical_key, '-') || ' ' || coalesce(scale, '-')
	   FROM meekah.track_info ORDER BY audio_filename" | tr '\n' ','
}

# add NAME ATOM VALUE DIR: a copy of itunes.m4a with that key atom
add() {
	cp "$TOP/tests/data/audio/itunes.m4a" "$4/$1"
	chmod u+w "$4/$1"
	mp4_key "$4/$1" "$2" "$3"
}
if ! "$PY" -c 'import mutagen.mp4' 2>/dev/null; then
	fail "Debian's python3 has mutagen (python3-mutagen, see scripts/deps)"
	exit 0
fi
add am.m4a initialkey Am "$T"
add camelot.m4a INITIALKEY 8A "$T"
add fsharp.m4a initialkey 'F#' "$T"
add dbm.m4a initialKey Dbm "$T"
add keyonly.m4a KEY 'Bb minor' "$T"
add none.m4a - - "$T"
# The same KEY fallback in a Vorbis comment, for the export below.
cp "$TOP/tests/data/audio/vorbis.ogg" "$T/keyonly.ogg"
chmod u+w "$T/keyonly.ogg"
"$PY" -c 'import sys
from mutagen.oggvorbis import OggVorbis
f = OggVorbis(sys.argv[1])
del f["INITIALKEY"]
f["KEY"] = "Dbm"
f.save()' "$T/keyonly.ogg"
expect_eq "INITIALKEY=8A" "$(mp4_keys "$T/camelot.m4a")" "mutagen wrote the atom as asked"

freshdb m4a_a
run "$BLENDCAT" import -q "$T"
expect_rc 0 "M4A files with keys in several notations import: exit 0"
expect_eq "am.m4a A minor,camelot.m4a A minor,dbm.m4a C# minor,fsharp.m4a F# major,keyonly.m4a A# minor,keyonly.ogg C# minor,none.m4a - -," \
	"$(keys)" "each atom's key is normalized, in any case of its name; KEY when there is no initialkey"

# A key that does not normalize rejects the file, naming the tag.
add bad.m4a initialkey 'H#' "$W/bad"
run "$BLENDCAT" import -q --rejects "$W/rej" "$W/bad"
expect_rc 1 "an M4A file with a bad key: exit 1"
expect_match "/bad\.m4a:INITIALKEY: 'H#': unknown key 'H#'$" "$W/rej/rejects.log" \
	"the bad key is rejected as INITIALKEY, with its value"

# The catalog's keys change: written into the atoms.
printf '%s\n' 'audio_filename,musical_key,scale' 'am.m4a,C#,minor' 'fsharp.m4a,,' \
	'dbm.m4a,D,major' 'keyonly.m4a,E,minor' 'none.m4a,G,major' 'keyonly.ogg,,' >"$W/keys.csv"
run "$BLENDCAT" import -q "$W/keys.csv"
expect_rc 0 "new keys from a manifest: exit 0"
sums() { find "$T" -type f -print0 | sort -z | xargs -0 md5sum; }
sums >"$W/before.md5"
run "$BLENDCAT" export --format tags --audio-root "$T" --dry-run
expect_rc 0 "export tags --dry-run: exit 0"
expect_eq "" "$(sums | diff "$W/before.md5" -)" "--dry-run changes no file"
expect_eq "$T/am.m4a: INITIALKEY: 'Am' -> 'C#m'
$T/dbm.m4a: INITIALKEY: 'Dbm' -> 'D'
$T/fsharp.m4a: INITIALKEY: 'F#' -> ''
$T/keyonly.m4a: INITIALKEY: '' -> 'Em'
$T/keyonly.m4a: KEY: 'Bb minor' -> ''
$T/keyonly.ogg: KEY: 'Dbm' -> ''
$T/none.m4a: INITIALKEY: '' -> 'G'" "$(sort "$OUT")" \
	"--dry-run lists each key change, the KEY tags' removal and the atom removed for no key"
expect_nomatch "cannot hold" "$ERR" "no MP4 file is said to have no place for its key"
expect_match "^6 files would change, 1 unchanged" "$ERR" "--dry-run counts 6 files to change"
cp "$OUT" "$W/dry.txt"

run "$BLENDCAT" export --format tags --audio-root "$T"
expect_rc 0 "export tags: exit 0"
expect_eq "" "$(diff "$W/dry.txt" "$OUT")" "it makes the changes --dry-run listed"
expect_eq "initialkey=C#m|INITIALKEY=8A|initialKey=D||initialkey=Em|initialkey=G" \
	"$(for f in am camelot dbm fsharp keyonly none; do mp4_keys "$T/$f.m4a"; done | paste -sd'|')" \
	"mutagen reads the keys written, in the file's own spelling of the atom; none where the catalog has none"
expect_eq "FRZ039800212 Warm Coffee Shop" "$("$PY" -c 'import sys
from mutagen.mp4 import MP4
t = MP4(sys.argv[1]).tags
print(bytes(t["----:com.apple.iTunes:ISRC"][0]).decode(),
      bytes(t["----:com.apple.iTunes:MOOD"][0]).decode(), t["\xa9nam"][0])' "$T/am.m4a")" \
	"the other atoms are left as they were"
run "$BLENDCAT" export --format tags --audio-root "$T"
expect_eq "" "$(cat "$OUT")" "a second export finds nothing to change"

want="am.m4a C# minor,camelot.m4a A minor,dbm.m4a D major,fsharp.m4a - -,keyonly.m4a E minor,keyonly.ogg - -,none.m4a G major,"
expect_eq "$want" "$(keys)" "the catalog has the new keys"
freshdb m4a_b
run "$BLENDCAT" import -q "$T"
expect_rc 0 "the written files import: exit 0"
expect_eq "$want" "$(keys)" "imported again, the written files give the catalog's keys"

rm -f "$OUT" "$ERR"
