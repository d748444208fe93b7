#!/usr/bin/env python3
"""Fix the rows in a blendcat rejects directory the way a person would,
for the gen-catalog defects (missing title, ISRC of the wrong length, tempo
that is not a number, negative duration, splits over 100%, a section past
the track's end), rewriting the rejects files in place."""
import csv
import re
import sys

d = sys.argv[1]


def load(name):
    try:
        with open(f"{d}/{name}", newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
        return rows[0], rows[1:]
    except FileNotFoundError:
        return None, []


def save(name, header, rows):
    with open(f"{d}/{name}", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


h, tracks = load("tracks.csv")
duration = {}
if h:
    c = {n.strip(): i for i, n in enumerate(h)}
    for r in tracks:
        if not r[c["title"]].strip():
            r[c["title"]] = "Untitled"
        dur = r[c["duration"]].strip()
        if dur.startswith("-"):
            r[c["duration"]] = dur[1:]
        if not re.fullmatch(r"[0-9.]+( ?bpm)?", r[c["tempo"]].strip(), re.I):
            r[c["tempo"]] = ""
        isrc = re.sub(r"[- ]", "", r[c["isrc"]])
        if isrc and len(isrc) != 12:
            r[c["isrc"]] = ""
        d_ = r[c["duration"]].strip()
        if ":" in d_:
            m, s = d_.split(":")
            d_ = str(int(m) * 60 + int(s))
        duration[r[c["audio_filename"]].strip()] = int(float(d_))
    save("tracks.csv", h, tracks)

h, creators = load("creators.csv")
if h:
    c = {n.strip(): i for i, n in enumerate(h)}
    total = {}
    for r in creators:
        v = r[c["split_percentage"]].strip().rstrip("%")
        total[r[0].strip()] = total.get(r[0].strip(), 0) + (float(v) if v else 0)
    for r in creators:
        if total[r[0].strip()] > 100:
            r[c["split_percentage"]] = ""
    save("creators.csv", h, creators)

h, sections = load("arrangement.csv")
if h:
    c = {n.strip(): i for i, n in enumerate(h)}
    kept = []
    for r in sections:
        dur = duration.get(r[0].strip())
        if dur is not None:
            if int(r[c["start_time"]]) >= dur:
                continue
            if int(r[c["end_time"]]) > dur:
                r[c["end_time"]] = str(dur)
        kept.append(r)
    save("arrangement.csv", h, kept)
