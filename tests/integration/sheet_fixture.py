"""The same 40 tracks and their creators as a label would send them, in
one of several sheet dialects, for t_sheets.sh.

    sheet_fixture.py DIR comma|semicolon|tab|utf16

comma      tracks.csv, creators.csv: RFC 4180, UTF-8, LF
semicolon  tracks.csv, creators.csv: ';', UTF-8 with BOM, CRLF, decimal
           commas (120,5), values holding ';' quoted (Excel, European locale)
tab        tracks.tsv, creators.tsv: tab-separated, UTF-8, CRLF
utf16      tracks.txt, creators.txt: Excel's "Unicode text": UTF-16LE with
           a BOM, tab-separated, CRLF (and a README.txt that is no sheet)
"""
import csv
import io
import os
import random
import sys


def ipi(base):
    d = [int(c) for c in "%09d" % base]
    r = sum(x * (10 - i) for i, x in enumerate(d)) % 101
    return "%09d%02d" % (base, 0 if r == 0 else (101 - r) % 100)


def tracks():
    rnd = random.Random(40)
    titles = ["Night Drive", "Café, Olé", "Semi;colon", 'Say "Hi"', "Ünïcödé 𝄞 clef",
              "Plain", "Comma, semicolon; both", "Ölwechsel", "日本の夜", "Pipe | pipe"]
    keys = ["C", "C#m", "Db major", "A minor", "8A", "F#", "Bb min", "E", "", "12B"]
    genres = ["House", "Techno", "Lo-Fi", "Ambient", "Drum & Bass"]
    moods = ["happy;calm", "dark", "", "uplifting;energetic;happy", "melancholic"]
    rows, creators = [], []
    for i in range(40):
        af = "track%02d.wav" % i
        tempo = rnd.choice(["%d" % rnd.randint(60, 180), "%d.5" % rnd.randint(60, 180),
                            "%d.4" % rnd.randint(60, 180), ""])
        duration = rnd.choice(["%d" % rnd.randint(60, 400), "%d.4" % rnd.randint(60, 400)])
        desc = rnd.choice(["", "Line one\nline two, with a comma; and a semicolon",
                           'A "quoted" word', "tab-free text"])
        rows.append({
            "audio_filename": af,
            "title": "%s %d" % (titles[i % len(titles)], i),
            "artist": rnd.choice(["Ann & Bob", "Zoë", "Artist; Other", ""]),
            "duration": duration,
            "tempo": tempo,
            "musical_key": keys[i % len(keys)],
            "genre": genres[i % len(genres)],
            "mood": moods[i % len(moods)],
            "description": desc,
            "isrc": "GB-AYE-24-%05d" % i if i % 3 else "",
            "release_date": "2024-%02d-%02d" % (1 + i % 12, 1 + i % 28),
            "catalog_number": "BT-%03d" % (i // 4),
        })
        n = 1 + i % 3
        share = {1: ["100"], 2: ["50.5", "49.5"], 3: ["33.33", "33.33", "33.34"]}[n]
        for k in range(n):
            creators.append({
                "audio_filename": af,
                "creator_name": "Writer %d-%d" % (i, k),
                "role": ["composer", "producer", "lyricist"][k],
                "ipi_number": ipi(100000000 + i * 7 + k) if k != 1 else "",
                "pro": ["ASCAP", "bmi", "PRS for Music"][k],
                "split_percentage": share[k],
            })
    return rows, creators


NUMBERS = {"duration", "tempo", "split_percentage"}


def write(path, rows, delim, crlf, bom, decimal_comma, encoding):
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0].keys()), delimiter=delim,
                       lineterminator="\r\n" if crlf else "\n", quoting=csv.QUOTE_MINIMAL)
    w.writeheader()
    for r in rows:
        if decimal_comma:
            r = {k: (v.replace(".", ",") if k in NUMBERS else v) for k, v in r.items()}
        w.writerow(r)
    text = out.getvalue()
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + text.encode("utf-16-le")
    else:
        data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)


def main():
    out, dialect = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rows, creators = tracks()
    spec = {
        "comma": (",", False, False, False, "utf-8", "csv"),
        "semicolon": (";", True, True, True, "utf-8", "csv"),
        "tab": ("\t", True, False, False, "utf-8", "tsv"),
        "utf16": ("\t", True, False, False, "utf-16-le", "txt"),
    }[dialect]
    delim, crlf, bom, dc, enc, ext = spec
    write(os.path.join(out, "tracks." + ext), rows, delim, crlf, bom, dc, enc)
    write(os.path.join(out, "creators." + ext), creators, delim, crlf, bom, dc, enc)
    if dialect == "utf16":
        with open(os.path.join(out, "README.txt"), "w") as f:
            f.write("Delivery notes, not a sheet: Track, Title, BPM\n")


main()
