#!/usr/bin/python3
"""Workbook fixtures for t_workbook.sh, written with Debian's
python3-openpyxl and python3-odf (scripts/deps).

    workbook_fixtures.py DIR

writes into DIR:
  same/{csv,xlsx,ods}/  the same 40 tracks (a label sheet with creator
                        groups) and their instruments, as CSV, .xlsx and
                        .ods: numbers, dates and times as typed cells in
                        the workbooks, as text in the CSV
  1904.xlsx             dates and times in the 1904 date system
  sheets.xlsx           a hidden first sheet, Tracks, then Credits
  sheets.ods            the same as OpenDocument
  gaps.xlsx             blank rows before the header, cells left out
  bad.xlsx              a bad tempo, a formula error, a value without header
  dup.xlsx              the same track on two rows
  wide.{xlsx,ods}       a wide sheet for --map's numbered groups (creators,
                        sections), N/A in an ISRC cell, durations in ms
                        (one a time cell), a bad IPI in a group
  nohead.xlsx           no header row, for --no-header and a map
  hostile/              a zip bomb, a '../' entry, an encrypted workbook,
                        a DOCTYPE in sheet1.xml, an old .xls, a Thumbs.db
"""
import csv
import datetime
import io
import os
import struct
import sys
import zipfile

import openpyxl
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableProperties
from odf.table import Table, TableCell, TableRow
from odf.text import P

D = sys.argv[1]

HEADER = ["File Name", "Track Title", "Artist", "Length", "BPM", "Key", "Mode", "Genre",
          "Mood", "Keywords", "Description", "Cat. No.", "ISRC", "Release Date",
          "Composer 1", "Composer 1 IPI", "Composer 1 Split", "Composer 2", "Composer 2 PRO",
          "Composer 2 Split"]
INSTR = ["audio_filename", "instrument_category", "instrument_type", "is_primary"]
KEYS = ["C#m", "Db minor", "8A", "F", "A min", "G#", "1m", "Bb"]


class Dur:
    """A length in seconds: a time cell in the workbooks, text in CSV."""

    def __init__(self, s, as_time):
        self.s, self.as_time = s, as_time


def tracks():
    rows = []
    for i in range(1, 41):
        title = {3: 'Commas, "quotes"', 4: "Ünïcödé Café", 5: "R&B <tag>"}.get(i, f"Title {i}")
        desc = f"Line one of {i}\nline two" if i % 7 == 0 else f"Track {i}, for tests"
        bpm = 100.4 if i % 5 == 0 else 90 + i
        date = None if i % 10 == 0 else datetime.date(2024, 1, 1) + datetime.timedelta(days=i * 9)
        row = [f"track-{i:02d}.wav", title, "Ann & Bob" if i % 2 else "Cleo",
               Dur(120 + i, i % 2 == 0), bpm, KEYS[i % len(KEYS)],
               "major" if KEYS[i % len(KEYS)] in ("F", "Bb") else None,
               "House", "happy;calm", "tag one; tag two", desc, f"BT-{i:03d}",
               f"USB0024{i:05d}", date, f"Writer {i}", 522100422, 50 if i % 2 == 0 else 100,
               f"Second {i}" if i % 2 == 0 else None, "ASCAP" if i % 2 == 0 else None,
               50 if i % 2 == 0 else None]
        rows.append(row)
    return rows


def instruments():
    return [[f"track-{i:02d}.wav", "strings" if i % 2 else "percussion",
             "violin" if i % 2 else "drums", i % 3 == 0] for i in range(1, 41)]


def csv_text(v):
    if v is None:
        return ""
    if isinstance(v, Dur):
        return f"{v.s // 60}:{v.s % 60:02d}" if v.as_time else str(v.s)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, datetime.date):
        return v.isoformat()
    return str(v)


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([csv_text(v) for v in r])


def xlsx_fill(ws, header, rows, start_row=1):
    for c, h in enumerate(header, 1):
        ws.cell(row=start_row, column=c, value=h)
    for r, row in enumerate(rows, start_row + 1):
        for c, v in enumerate(row, 1):
            if v is None:
                continue
            if isinstance(v, Dur):
                if v.as_time:
                    cell = ws.cell(row=r, column=c, value=datetime.timedelta(seconds=v.s))
                    cell.number_format = "[h]:mm:ss"
                else:
                    ws.cell(row=r, column=c, value=v.s)
            elif isinstance(v, datetime.date):
                cell = ws.cell(row=r, column=c, value=v)
                cell.number_format = "dd/mm/yyyy" if r % 2 else "yyyy-mm-dd"
            else:
                ws.cell(row=r, column=c, value=v)


def write_xlsx(path, header, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tracks"
    xlsx_fill(ws, header, rows)
    wb.save(path)


def ods_cell(v):
    if v is None:
        return TableCell()
    if isinstance(v, Dur):
        if v.as_time:
            c = TableCell(valuetype="time", timevalue=f"PT{v.s // 3600:02d}H{v.s // 60 % 60:02d}M"
                          f"{v.s % 60:02d}S")
        else:
            c = TableCell(valuetype="float", value=str(v.s))
        c.addElement(P(text=csv_text(v)))
        return c
    if isinstance(v, bool):
        c = TableCell(valuetype="boolean", booleanvalue="true" if v else "false")
        c.addElement(P(text="TRUE" if v else "FALSE"))
        return c
    if isinstance(v, (int, float)):
        c = TableCell(valuetype="float", value=repr(v))
        c.addElement(P(text=str(v).replace(".", ",")))
        return c
    if isinstance(v, datetime.date):
        c = TableCell(valuetype="date", datevalue=v.isoformat())
        c.addElement(P(text=v.strftime("%d.%m.%y")))
        return c
    c = TableCell(valuetype="string")
    for line in str(v).split("\n"):
        c.addElement(P(text=line))
    return c


def ods_table(name, header, rows, style=None):
    t = Table(name=name, stylename=style) if style else Table(name=name)
    for row in [header] + rows:
        tr = TableRow()
        for v in row:
            tr.addElement(ods_cell(v))
        t.addElement(tr)
    return t


def write_ods(path, tables, hidden_style=False):
    doc = OpenDocumentSpreadsheet()
    if hidden_style:
        s = Style(name="hid", family="table")
        s.addElement(TableProperties(display="false"))
        doc.automaticstyles.addElement(s)
    for t in tables:
        doc.spreadsheet.addElement(t(doc) if callable(t) else t)
    doc.save(path)


def same():
    for kind in ("csv", "xlsx", "ods"):
        os.makedirs(f"{D}/same/{kind}", exist_ok=True)
    write_csv(f"{D}/same/csv/label.csv", HEADER, tracks())
    write_csv(f"{D}/same/csv/instruments.csv", INSTR, instruments())
    write_xlsx(f"{D}/same/xlsx/label.xlsx", HEADER, tracks())
    write_xlsx(f"{D}/same/xlsx/instruments.xlsx", INSTR, instruments())
    write_ods(f"{D}/same/ods/label.ods", [ods_table("Tracks", HEADER, tracks())])
    write_ods(f"{D}/same/ods/instruments.ods", [ods_table("Tracks", INSTR, instruments())])


def dates1904():
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Mac"
    xlsx_fill(ws, ["audio_filename", "title", "release_date", "duration"],
              [["mac.wav", "Mac", datetime.date(2024, 1, 15), Dur(185, True)],
               ["mac2.wav", "Mac 2", datetime.date(2000, 2, 29), Dur(3600 * 26 + 1, True)]])
    wb.save(f"{D}/1904.xlsx")


def sheets():
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "Notes"
    notes["A1"] = "this sheet is hidden and is no catalog"
    notes.sheet_state = "hidden"
    t = wb.create_sheet("Tracks")
    xlsx_fill(t, ["audio_filename", "title", "tempo", "duration"],
              [["s1.wav", "Sheet One", 121, 60], ["s2.wav", "Sheet Two", 122, 60]])
    c = wb.create_sheet("Credits")
    xlsx_fill(c, ["audio_filename", "creator_name", "role", "split_percentage"],
              [["s1.wav", "Credit Person", "composer", 100]])
    wb.save(f"{D}/sheets.xlsx")
    write_ods(f"{D}/sheets.ods", [
        ods_table("Notes", ["this sheet is hidden"], [], style="hid"),
        ods_table("Tracks", ["audio_filename", "title", "tempo", "duration"],
                  [["o1.wav", "Ods One", 131, 60], ["o2.wav", "Ods Two", 132, 60]]),
        ods_table("Credits", ["audio_filename", "creator_name", "role"],
                  [["o1.wav", "Ods Credit", "lyricist"]])], hidden_style=True)


def gaps():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Track List"
    xlsx_fill(ws, ["audio_filename", "title", "artist", "tempo", "duration"],
              [["g1.wav", "Gap One", None, 100, 60], [None, None, None, None, None],
               ["g2.wav", "Gap Two", "Someone", None, 60]], start_row=3)
    wb.save(f"{D}/gaps.xlsx")


def bad():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tracks"
    xlsx_fill(ws, ["audio_filename", "title", "artist", "duration", "tempo", "notes"],
              [["ok.wav", "Fine", "A", 180, 120, "=1/0"],
               ["badtempo.wav", "Bad Tempo", "B", 181, "fast", None],
               ["na.wav", "Formula Error", "C", 182, None, None],
               ["extra.wav", "Extra Value", "D", 183, 100, None]])
    ws["E4"] = "=NA()"
    ws["H5"] = "stray"
    wb.save(f"{D}/bad.xlsx")
    # openpyxl saves no computed values: give the formulas Excel's cached ones.
    patch(f"{D}/bad.xlsx", "xl/worksheets/sheet1.xml",
          lambda x: x.replace(b'<c r="E4"><f>NA()</f><v></v></c>',
                              b'<c r="E4" t="e"><f>NA()</f><v>#N/A</v></c>'))


def dup():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tracks"
    xlsx_fill(ws, ["audio_filename", "title", "duration"],
              [["twice.wav", "Once", 60], ["twice.wav", "Twice", 60], ["single.wav", "Single", 60]])
    wb.save(f"{D}/dup.xlsx")


WIDE = ["file", "title", "length_ms", "isrc", "name_1", "ipi_1", "split_1", "producer_1",
        "name_2", "ipi_2", "split_2", "producer_2", "time_1", "section_1", "time_2", "section_2"]


def wide():
    rows = [["w1.wav", "Wide One", 185500, "N/A", "Ann Writer", 522100422, 60, "x",
             "Bob Writer", None, 40, None, 0, "intro", 30, "verse"],
            ["w2.wav", "Wide Two", Dur(200, True), "USB002400099", "Cleo", None, 100, "yes",
             None, None, None, None, None, None, None, None],
            ["w3.wav", "Wide Bad", 190000, "n/a", "Dee", None, 50, None,
             "Eve", 12, 50, None, None, None, None, None]]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tracks"
    xlsx_fill(ws, WIDE, rows)
    wb.save(f"{D}/wide.xlsx")
    write_ods(f"{D}/wide.ods", [ods_table("Tracks", WIDE, rows)])


def nohead():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Dump"
    rows = [["nh1.wav", "No Head One", 120, "N/A"], ["nh2.wav", "No Head Two", 121],
            ["nh3.wav", "No Head Bad", "long", "USB002400097"]]
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row, 1):
            ws.cell(row=r, column=c, value=v)
    wb.save(f"{D}/nohead.xlsx")


def patch(path, name, fn):
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            z.writestr(info, fn(data) if info.filename == name else data)


def cfb(names):
    """An OLE2 compound file whose directory names the streams given."""
    head = bytearray(512)
    head[0:8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
    head[0x1E] = 9
    struct.pack_into("<I", head, 0x30, 0)
    directory = bytearray(512)
    for k, n in enumerate(["Root Entry"] + names):
        directory[128 * k:128 * k + 2 * len(n)] = n.encode("utf-16-le")
    return bytes(head + directory + bytes(1024))


def hostile():
    h = f"{D}/hostile"
    os.makedirs(h, exist_ok=True)
    base = f"{D}/sheets.xlsx"
    with zipfile.ZipFile(base) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]

    def rezip(path, changes, extra=()):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in items:
                z.writestr(name, changes.get(name, data))
            for name, data in extra:
                z.writestr(name, data)

    sheet = "xl/worksheets/sheet2.xml"
    bomb = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + \
        b"<sheetData>" + b" " * (64 << 20) + b"</sheetData></worksheet>"
    rezip(f"{h}/bomb.xlsx", {sheet: bomb})
    rezip(f"{h}/traversal.xlsx", {}, [("../../tmp/evil.txt", b"owned")])
    doctype = b'<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM ' + \
        b'"file:///etc/passwd">]>\n<worksheet><sheetData><row r="1"><c r="A1" ' + \
        b't="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
    rezip(f"{h}/doctype.xlsx", {sheet: doctype})
    with open(f"{h}/encrypted.xlsx", "wb") as f:
        f.write(cfb(["EncryptionInfo", "EncryptedPackage"]))
    with open(f"{h}/old.xls", "wb") as f:
        f.write(cfb(["Workbook"]))


def thumbs():
    os.makedirs(f"{D}/walk", exist_ok=True)
    with open(f"{D}/walk/Thumbs.db", "wb") as f:
        f.write(cfb(["Catalog"]))


same()
dates1904()
sheets()
gaps()
bad()
dup()
wide()
nohead()
hostile()
thumbs()
