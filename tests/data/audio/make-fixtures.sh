#!/bin/sh
# make-fixtures.sh: write the tagged audio fixtures that tests/unit/test_tags.c
# reads.  The fixtures are committed; the tests never run this script.
#
# Each fixture is a copy of a small file of ../shared/corpus/audio (real
# encoder output, see its SOURCES.md), its old tags removed, with tags
# written by mutagen: a writer independent of TagLib, so that the tests read
# what another tool wrote.  The RIFF INFO chunk, which mutagen does not
# write, is built here byte by byte.  Needs python3 with mutagen (Debian:
# python3-mutagen).
#
#   tests/data/audio/make-fixtures.sh [CORPUS_DIR]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:-$here/../../../../shared/corpus/audio}

py=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import mutagen' 2>/dev/null; then
		py=$p
		break
	fi
done
if [ -z "$py" ]; then
	echo "make-fixtures: needs python3 with mutagen (apt-get install python3-mutagen)" >&2
	exit 1
fi

cp "$corpus/silence-44-s-mpeg25.mp3" "$here/id3v24.mp3"
cp "$corpus/no-tags.flac" "$here/vorbis.flac"
cp "$corpus/alac.m4a" "$here/itunes.m4a"
cp "$corpus/empty.ogg" "$here/vorbis.ogg"
cp "$corpus/empty.wav" "$here/riff-info.wav"
chmod 0644 "$here"/*.mp3 "$here"/*.flac "$here"/*.m4a "$here"/*.ogg "$here"/*.wav

"$py" - "$here" <<'PY'
import struct
import sys

import mutagen
from mutagen import id3
from mutagen.flac import FLAC
from mutagen.mp4 import MP4, MP4FreeForm
from mutagen.oggvorbis import OggVorbis

d = sys.argv[1] + "/"

# ID3v2.4: multi-valued TCON, a timestamp, TIPL and TMCL credits, TXXX.
mutagen.File(d + "id3v24.mp3").delete()
t = id3.ID3()
t.add(id3.TIT2(encoding=3, text="Summer Vibes"))
t.add(id3.TPE1(encoding=3, text="John Producer"))
t.add(id3.TCON(encoding=3, text=["Electronic", "House"]))
t.add(id3.TDRC(encoding=3, text="2024-01-15T10:30:00"))
t.add(id3.TBPM(encoding=3, text="120"))
t.add(id3.TKEY(encoding=3, text="Am"))
t.add(id3.TSRC(encoding=3, text="US-XXX-24-00001"))
t.add(id3.TMOO(encoding=3, text="Uplifting; Energetic"))
t.add(id3.COMM(encoding=3, lang="eng", desc="",
               text="Uplifting house track perfect for summer videos"))
t.add(id3.TXXX(encoding=3, desc="CATALOGNUMBER", text="BT-2024-001"))
t.add(id3.GRP1(encoding=3, text="Synth, Dance"))
t.add(id3.TXXX(encoding=3, desc="KEYWORDS", text="party"))
t.add(id3.TCOM(encoding=3, text="Alice Writer & Bob Composer"))
t.add(id3.TEXT(encoding=3, text="Carol Lyricist"))
# TagLib knows TIPL roles only in upper case (ARRANGER, ENGINEER, PRODUCER,
# DJ-MIX, MIX); a frame with any other role, "producer" as Picard writes
# it included, leaves the property map whole.
t.add(id3.TIPL(encoding=3, people=[["PRODUCER", "John Producer"],
                                   ["MIX", "Mia Mixer"]]))
t.add(id3.TMCL(encoding=3, people=[["guitar", "Gary Guitar"]]))
t.save(d + "id3v24.mp3", v2_version=4)

# Vorbis comments in FLAC: several ARTIST, MOOD and COMPOSER fields.
f = FLAC(d + "vorbis.flac")
f.delete()
f["TITLE"] = "Night Drive"
f["ARTIST"] = ["Alice", "Bob"]
f["GENRE"] = "Techno"
f["DATE"] = "2023-06"
f["BPM"] = "128.4"
f["INITIALKEY"] = "8A"
f["ISRC"] = "GBAYE0601498"
f["MOOD"] = ["Dark", "Driving"]
f["COMMENT"] = "Late-night techno"
f["CATALOGNUMBER"] = "NDR-007"
f["GROUPING"] = "Peak Time"
f["COMPOSER"] = ["Dave & Eve", "Frank"]
f["LYRICIST"] = "Grace"
f["PRODUCER"] = "Heidi"
f["REMIXER"] = "Ivan"
f["CONDUCTOR"] = "Judy"
f["ARRANGER"] = "Ken"
f["PERFORMER"] = "Leo"
f.save()

# iTunes atoms: tmpo, freeform ----:com.apple.iTunes:* for key, ISRC,
# mood and catalog number, (c)grp and (c)wrt.
m = MP4(d + "itunes.m4a")
m.delete()
m = MP4(d + "itunes.m4a")
m["\xa9nam"] = "Coffee Shop"
m["\xa9ART"] = "Nina & The Beans"
m["\xa9gen"] = "Acoustic"
m["\xa9day"] = "2019-05-03T07:00:00Z"
m["tmpo"] = [95]
m["\xa9cmt"] = "Warm acoustic guitar"
m["\xa9grp"] = "Cafe"
m["\xa9wrt"] = "Nina Composer"
for name, value in (("initialkey", "F#m"), ("ISRC", "FRZ039800212"),
                    ("MOOD", "Warm"), ("CATALOGNUMBER", "CS-42")):
    m["----:com.apple.iTunes:" + name] = [MP4FreeForm(value.encode())]
m.save()

# Ogg Vorbis: non-ASCII text, BPM 0 (unknown), a split COMPOSER.
o = OggVorbis(d + "vorbis.ogg")
o.delete()
o["TITLE"] = "Caf\u00e9 Rain"
o["ARTIST"] = "Ana M\u00fcller / Zo\u00eb"
o["GENRE"] = "Ambient"
o["DATE"] = "2021"
o["BPM"] = "0"
o["INITIALKEY"] = "Db"
o["MOOD"] = "Calm;calm; Dreamy"
o["KEYWORDS"] = "Piano, Rain"
o["COMPOSER"] = "Ana M\u00fcller feat. Zo\u00eb"
o.save()

# RIFF INFO (LIST/INFO chunk), Latin-1 text as TagLib reads it.
def info(fields):
    body = b"INFO"
    for key, value in fields:
        data = value.encode("latin-1") + b"\0"
        body += key.encode() + struct.pack("<I", len(data)) + data
        if len(data) % 2:
            body += b"\0"
    return b"LIST" + struct.pack("<I", len(body)) + body

with open(d + "riff-info.wav", "rb") as fh:
    wav = fh.read()
wav += info([("INAM", "Rain Loop"), ("IART", "Field Recordist"),
             ("IGNR", "(26)"), ("ICRD", "2022"), ("ICMT", "Recorded on a roof")])
wav = wav[:4] + struct.pack("<I", len(wav) - 8) + wav[8:]
with open(d + "riff-info.wav", "wb") as fh:
    fh.write(wav)
PY
ls -l "$here"
