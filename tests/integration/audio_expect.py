#!/usr/bin/env python3
"""What blendcat must make of a corpus written by scripts/gen-audio (or a
generator with the same manifest), from the corpus's own manifest
(.manifest.jsonl: each file's kind and the tag values written), not from
blendcat's output.

  audio_expect.py counts MANIFEST
      prints "loaded rejected skipped either": the audio files whose
      track must load, those that must be rejected, the files a walk skips
      (non-audio extras, hidden AppleDouble files), and files truncated
      after their headers, whose surviving tags (not in the manifest)
      decide; then how many of the tracks to load have a title written
      in a decomposed (not NFC) form
  audio_expect.py compare MANIFEST < ROWS
      ROWS: one JSON array per line (psql -At of json_build_array(...)):
      audio_filename, title, artist, tempo, isrc, catalog_number,
      musical_key, scale; prints one line per difference from the
      manifest and exits 1 if there is any
"""
import json
import re
import sys
import unicodedata

ISRC = re.compile(r'^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$')


def nfc(s):
    return unicodedata.normalize('NFC', s)


def text(v, sep=' / '):
    """A tag value as blendcat stores it: NFC, trimmed; empty means none."""
    if v is None:
        return None
    if isinstance(v, list):
        # Several values: blendcat joins an artist list with " / ".
        v = sep.join(x.strip() for x in v if x.strip())
    v = nfc(v).strip()
    return v or None


# Values that mean "none" in a typed field (README, "Null markers"): such
# a tag is as an empty one.
NULL_MARKERS = {'n/a', '#n/a', '-', '\u2014', '\u2013', 'null', 'none', 'unknown', 'tbd'}


def typed(v):
    """A typed field's tag value as text, None when empty or a null marker."""
    v = text(v)
    return None if v is None or v.lower() in NULL_MARKERS else v


def isrc(v):
    v = (v or '').strip().upper()
    if v.startswith('ISRC'):
        v = v[4:]
    v = v.replace('-', '').replace(' ', '')
    return v


NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B']


def key(v):
    """(tonic with sharps, scale) of a key in any notation NORMALIZATION.md
    lists, derived here from its formulas; None for none ("o": off key)."""
    v = (v or '').strip()
    if not v or v == 'o':
        return None
    m = re.match(r'^(\d{1,2})([ABdm])$', v)
    if m:
        n, c = int(m.group(1)), m.group(2)
        minor = c in 'Am'
        if c in 'dm':                       # Open Key -> Camelot number
            n = (n + 6) % 12 + 1            # inverse of ((c + 4) mod 12) + 1
        f = (n - 1 - (4 if minor else 7)) % 12   # Camelot: n = ((f + k) mod 12) + 1
        p = (7 * f) % 12                    # f = 7p mod 12, and 7 * 7 = 49 = 1 mod 12
        return NAMES[p], 'minor' if minor else 'major'
    m = re.match(r'^([A-Ga-g])([#b]?)\s*(m|min|minor|maj|major)?$', v)
    p = NAMES.index(m.group(1).upper()) + {'#': 1, 'b': -1, '': 0}[m.group(2)]
    minor = m.group(3) in ('m', 'min', 'minor')
    return NAMES[p % 12], 'minor' if minor else 'major'


def fate(d):
    """'loaded', 'rejected', 'skipped' or 'either', and why."""
    kind = d['kind']
    name = d['path'].rsplit('/', 1)[-1]
    if kind == 'extra' or name.startswith('.'):
        return 'skipped', 'not audio, or hidden'
    if kind in ('zero', 'garbage', 'html', 'tagonly'):
        return 'rejected', kind
    if kind == 'truncated':
        # A cut inside the headers leaves no audio TagLib can measure; a
        # cut after them is not seen (TagLib does not decode audio).
        if 'truncated-in-header' in d.get('notes', []):
            return 'rejected', 'truncated in its headers'
        # Cut after them: the tags that survive decide, and the manifest
        # does not say what they are.
        return 'either', 'truncated after its headers'
    if kind == 'wrongext' and d['format'] in ('opus', 'wav', 'aiff'):
        # TagLib 1.x's C API has no type to open Opus, WAV or AIFF by
        # content: it reads them by their name only.
        return 'rejected', '%s under another name' % d['format']
    e = d.get('expect')
    if e is None:
        return 'rejected', 'cut before its tags' if kind == 'truncated' else 'no tags'
    if not text(e.get('title')):
        return 'rejected', 'no title: a new track needs one'
    if typed(e.get('isrc')) and not ISRC.match(isrc(e['isrc'])):
        return 'rejected', 'invalid ISRC'
    return 'loaded', ''


def load(path):
    with open(path, encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]


def counts(rows):
    n = {'loaded': 0, 'rejected': 0, 'skipped': 0, 'either': 0}
    nfd = 0
    for d in rows:
        f = fate(d)[0]
        n[f] += 1
        t = d.get('expect', {}).get('title')
        nfd += f == 'loaded' and isinstance(t, str) and t != nfc(t)
    print(n['loaded'], n['rejected'], n['skipped'], n['either'], nfd)


def compare(rows):
    want = {}
    want_scheme = {}
    either = set(nfc(d['path'].rsplit('/', 1)[-1]) for d in rows if fate(d)[0] == 'either')
    for d in rows:
        if fate(d)[0] == 'loaded':
            want[nfc(d['path'].rsplit('/', 1)[-1])] = d.get('expect', {})
            want_scheme[nfc(d['path'].rsplit('/', 1)[-1])] = d.get('scheme', '')
    bad = 0
    seen = set()
    for line in sys.stdin.read().split('\n'):
        if not line:
            continue
        af, title, artist, tempo, code, cat, key_, scale = json.loads(line)
        tempo = None if tempo is None else str(tempo)
        seen.add(af)
        e = want.get(af)
        if e is None and af in either:
            continue
        if e is None:
            print('unexpected track %r' % af)
            bad += 1
            continue
        checks = [('title', text(e.get('title')), title or None)]
        if e.get('bpm') and typed(e['bpm']):
            checks.append(('tempo', str(int(float(e['bpm']) + 0.5)), tempo or None))
        # MP4's ----:com.apple.iTunes:initialkey (or KEY) included.
        if typed(e.get('initialkey')) and key(e['initialkey']):
            checks.append(('key', key(e['initialkey']), (key_ or None, scale or None)))
        if typed(e.get('isrc')):
            checks.append(('isrc', isrc(e['isrc']), code or None))
        if typed(e.get('catalognumber')):
            checks.append(('catalog_number', text(e['catalognumber']), cat or None))
        if text(e.get('artist')):
            # ID3v2.3 and RIFF INFO have no lists: several values are
            # written "A/B", which a reader cannot tell from a name like
            # "AC/DC" (kept whole).
            sc = want_scheme[af]
            sep = '/' if sc.startswith('id3v2.3') or sc == 'riff-info' else ' / '
            checks.append(('artist', text(e['artist'], sep), artist or None))
        for field, w, g in checks:
            if w != g:
                print('%s: %s: expected %r, got %r' % (af, field, w, g))
                bad += 1
    for af in sorted(set(want) - seen):
        print('missing track %r' % af)
        bad += 1
    return 1 if bad else 0


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ('counts', 'compare'):
        sys.exit(__doc__)
    rows = load(sys.argv[2])
    if sys.argv[1] == 'counts':
        counts(rows)
        return 0
    return compare(rows)


if __name__ == '__main__':
    sys.exit(main())
