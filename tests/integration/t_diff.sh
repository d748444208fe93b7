# check --diff and import --diff FILE: what an import changes, track by track.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/diff
mkdir -p "$W/base" "$W/delta"
SENDER='PADPIDA2014120301X:Blendtune Records'
RECIPIENT='PADPIDA2007040502I:Example DSP'

# The catalog: a release BT-1 (a..f) and a release BT-9 (g, h) that a
# later delivery takes down.
cat >"$W/base/tracks.csv" <<'EOF'
audio_filename,title,artist,duration,tempo,catalog_number
a.mp3,Alpha,Ann,200,120,BT-1
b.mp3,Cafe,Ann,180,100,BT-1
c.mp3,Gamma,Ann,150,90,BT-1
d.mp3,Delta,Ann,160,95,BT-1
e.mp3,Epsilon,Ann,40,80,BT-1
f.mp3,Zeta,Ann,170,110,BT-1
g.mp3,Eta,Bo,190,124,BT-9
h.mp3,Theta,Bo,210,126,BT-9
EOF
cat >"$W/base/creators.csv" <<'EOF'
audio_filename,creator_name,role,split_percentage
c.mp3,Ann,composer,50
d.mp3,Ann,composer,50
d.mp3,Bob,lyricist,50
g.mp3,Bo,composer,100
EOF
cat >"$W/base/arrangement.csv" <<'EOF'
audio_filename,section_name,start_time,end_time
e.mp3,intro,0,10
e.mp3,verse,10,30
e.mp3,outro,30,40
h.mp3,intro,0,20
EOF

# The delivery: a tempo, a title with non-ASCII, a creator added, splits
# changed, a section removed, a track given again as it is, a new track,
# a rejected one; and the release BT-9 again without deals (a takedown).
cat >"$W/delta/tracks.csv" <<'EOF'
audio_filename,title,artist,duration,tempo,catalog_number
a.mp3,Alpha,Ann,200,122,BT-1
b.mp3,Café Ünïcode ✓,Ann,180,100,BT-1
f.mp3,Zeta,Ann,170,110,BT-1
new.mp3,Nu,Cy,200,90,BT-2
bad.mp3,Bad,Cy,100,fast,BT-2
EOF
cat >"$W/delta/creators.csv" <<'EOF'
audio_filename,creator_name,role,split_percentage
c.mp3,Ann,composer,50
c.mp3,Bob,lyricist,25
d.mp3,Ann,composer,60
d.mp3,Bob,lyricist,40
new.mp3,Zoë,composer,100
EOF
cat >"$W/delta/arrangement.csv" <<'EOF'
audio_filename,section_name,start_time,end_time
e.mp3,intro,0,10
e.mp3,verse,10,30
EOF

freshdb diff || exit 0
run "$BLENDCAT" import --rejects "$W/rej0" "$W/base"
expect_rc 0 "the catalog loads"
run "$BLENDCAT" export --format ddex --out "$W/ddex" --catalog-number BT-9 --sender "$SENDER" \
	--recipient "$RECIPIENT"
sed '/<DealList>/,/<\/DealList>/d' "$W/ddex/BT-9.xml" >"$W/delta/bt9-nodeal.xml"
grep -q '<DealList>' "$W/ddex/BT-9.xml" && ! grep -q Deal "$W/delta/bt9-nodeal.xml" &&
	pass "the release's message, without its deals" || fail "the release's message, without its deals"

# What ingest.run and ingest.file_state hold, row by row.
ingest() {
	q "SELECT count(*) || ':' || md5(coalesce(string_agg(x::text, ',' ORDER BY x.id), ''))
	   FROM ingest.run x WHERE id <= $1"
	q "SELECT count(*) || ':' || md5(coalesce(string_agg(x::text, ',' ORDER BY x.path), ''))
	   FROM ingest.file_state x"
}
last_run=$(q "SELECT max(id) FROM ingest.run")
before=$(snapshot)
ingest_before=$(ingest "$last_run")

run "$BLENDCAT" check --diff --apply-takedowns --rejects "$W/rej1" --report "$W/check.json" "$W/delta"
expect_rc 1 "check --diff with a rejected track: exit 1"
cp "$OUT" "$W/check.jsonl"
expect_eq "$before" "$(snapshot)" "check --diff leaves every catalog table as it was"
expect_eq "$ingest_before" "$(ingest "$last_run")" "... and ingest.run's other rows and ingest.file_state"
expect_eq "check|rejects|1" "$(q "SELECT command, status, exit_code FROM ingest.run WHERE id > $last_run")" \
	"check --diff records its own run in ingest.run, as a check"
expect_match "^tracks: 1 inserted, 5 updated, 1 unchanged, 2 deleted, 1 rejected$" "$ERR" \
	"the report counts per track on stderr"
expect_match "check --diff: rolled back, the catalog is as it was" "$ERR" "and says nothing was written"

# The exact diff, compared as parsed JSON.
got=$(/usr/bin/python3 - "$W/check.jsonl" "$W/delta" <<'EOF'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
got = [json.loads(l) for l in lines]
tracks = sys.argv[2] + "/tracks.csv"
def row(**kw):
    return kw
def creator(name, role, split):
    return {"creator_name": name, "role": role, "split_percentage": split, "ipi_number": None,
            "pro": None, "contact_email": None, "contact_phone": None}
def section(name, start, end):
    return {"section_name": name, "start_time": start, "end_time": end, "description": None}
def t(name, action, fields=None, children=None, reasons=None):
    return {"audio_filename": name, "action": action, "fields": fields or {},
            "children": children or {}, "reasons": reasons or []}
gone = lambda **f: {k: [v, None] for k, v in f.items()}
want = [
    t("a.mp3", "update", {"tempo": [120, 122]}),
    t("b.mp3", "update", {"title": ["Cafe", "Café Ünïcode ✓"]}),
    t("bad.mp3", "reject", reasons=[{"file": tracks, "line": 6, "field": "tempo", "value": "fast",
                                     "reason": "tempo is not a number: 'fast'"}]),
    t("c.mp3", "update", children={"track_creator": {"added": [creator("Bob", "lyricist", 25)],
                                                     "removed": []}}),
    t("d.mp3", "update", children={"track_creator": {
        "added": [creator("Bob", "lyricist", 40), creator("Ann", "composer", 60)],
        "removed": [creator("Bob", "lyricist", 50), creator("Ann", "composer", 50)]}}),
    t("e.mp3", "update", children={"track_arrangement": {"added": [],
                                                         "removed": [section("outro", 30, 40)]}}),
    t("f.mp3", "unchanged"),
    t("g.mp3", "delete", gone(title="Eta", artist="Bo", duration=190, tempo=124, catalog_number="BT-9",
                              popularity_score=0, play_count=0),
      {"track_creator": {"added": [], "removed": [creator("Bo", "composer", 100)]}}),
    t("h.mp3", "delete", gone(title="Theta", artist="Bo", duration=210, tempo=126, catalog_number="BT-9",
                              popularity_score=0, play_count=0),
      {"track_arrangement": {"added": [], "removed": [section("intro", 0, 20)]}}),
    t("new.mp3", "insert", {"title": [None, "Nu"], "artist": [None, "Cy"], "duration": [None, 200],
                            "tempo": [None, 90], "catalog_number": [None, "BT-2"],
                            "popularity_score": [None, 0], "play_count": [None, 0]},
      {"track_creator": {"added": [creator("Zoë", "composer", 100)], "removed": []}}),
]
def norm(x):  # child rows as sets: their order is not part of the contract
    x = json.loads(json.dumps(x))
    for c in x["children"].values():
        for k in ("added", "removed"):
            c[k] = sorted(c[k], key=lambda r: json.dumps(r, sort_keys=True))
    return x
bad = [(w, g) for w, g in zip(want, got) if norm(w) != norm(g)]
if len(got) != len(want):
    print("%d lines, expected %d" % (len(got), len(want)))
elif bad:
    print("expected %s\n     got %s" % (json.dumps(bad[0][0], ensure_ascii=False),
                                        json.dumps(bad[0][1], ensure_ascii=False)))
elif [g["audio_filename"] for g in got] != sorted(g["audio_filename"] for g in got):
    print("not in name order")
else:
    print("ok")
EOF
)
expect_eq ok "$got" "check --diff gives exactly the expected JSONL"
expect_eq "title,artist,duration,tempo,catalog_number,popularity_score,play_count" \
	"$(/usr/bin/python3 -c 'import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d["action"] == "insert": print(",".join(d["fields"]))' "$W/check.jsonl")" \
	"fields come in the table's column order"
expect_match '"tempo": \[120, 122\]' "$W/check.jsonl" "values keep their JSON types (numbers as numbers)"

# The import does what the diff said, and its counts are the diff's.
run "$BLENDCAT" import --apply-takedowns --rejects "$W/rej2" --report "$W/import.json" \
	--diff "$W/audit.jsonl" "$W/delta"
expect_rc 1 "the import of the same delivery: exit 1"
expect_eq ok "$(/usr/bin/python3 - "$W/check.json" "$W/import.json" "$W/check.jsonl" "$W/audit.jsonl" <<'EOF'
import collections, json, sys
c, i = (json.load(open(p)) for p in sys.argv[1:3])
lines = [json.loads(l) for l in open(sys.argv[3], encoding="utf-8")]
audit = [json.loads(l) for l in open(sys.argv[4], encoding="utf-8")]
n = collections.Counter(l["action"] for l in lines)
by_action = {"inserted": n["insert"], "updated": n["update"], "unchanged": n["unchanged"],
             "deleted": n["delete"], "rejected": n["reject"]}
if c["tables"] != i["tables"]:
    print("tables differ: %s / %s" % (c["tables"], i["tables"]))
elif c["tracks"] != i["tracks"]:
    print("tracks differ: %s / %s" % (c["tracks"], i["tracks"]))
elif by_action != i["tracks"]:
    print("the diff's lines %s, the import's counts %s" % (by_action, i["tracks"]))
elif i["tables"]["track_info"]["deleted"] != n["delete"] or i["rejected_rows"] != 1:
    print("report: %s" % i)
elif audit != lines:
    print("import --diff differs from check --diff")
else:
    print("ok")
EOF
)" "check --diff and the import give the same counts, and import --diff FILE the same lines"
expect_eq 600 "$(stat -c %a "$W/audit.jsonl")" "import --diff FILE is private (0600)"
expect_eq "Café Ünïcode ✓|122" "$(q "SELECT string_agg(title, '') FILTER (WHERE audio_filename = 'b.mp3'),
	max(tempo) FILTER (WHERE audio_filename = 'a.mp3') FROM meekah.track_info")" "the import did it"
expect_eq "0" "$(q "SELECT count(*) FROM meekah.track_info WHERE catalog_number = 'BT-9'")" \
	"the takedown deleted the release"

# After the import, the same delivery changes nothing.
run "$BLENDCAT" check --diff --apply-takedowns --diff-format jsonl --rejects "$W/rej3" "$W/delta"
expect_eq "a.mp3 unchanged;b.mp3 unchanged;bad.mp3 reject;c.mp3 unchanged;d.mp3 unchanged;e.mp3 unchanged;f.mp3 unchanged;new.mp3 unchanged;" \
	"$(/usr/bin/python3 -c 'import json, sys
print("".join("%s %s;" % (d["audio_filename"], d["action"]) for d in map(json.loads, open(sys.argv[1]))
              if d["fields"] == {} and d["children"] == {}))' "$OUT" | tr -d '\n')" \
	"a second check --diff: every track unchanged (the bad one still rejected, the gone ones gone)"

# The listing: grouped by action, unchanged tracks only counted, colour only on a terminal.
printf 'audio_filename,title,duration,tempo\na.mp3,Alpha,200,125\nf.mp3,Zeta,170,110\nnew2.mp3,Two,100,\nbad2.mp3,,100,\n' \
	>"$W/small.csv"
run "$BLENDCAT" check --diff --diff-format text --rejects "$W/rej4" "$W/small.csv"
expect_eq "insert: 1 track|new2.mp3|    title: \"Two\"|    duration: 100|    popularity_score: 0.00|    play_count: 0||update: 1 track|a.mp3|    tempo: 122 -> 125||reject: 1 track|bad2.mp3|    $W/small.csv:5:title: missing value: title is required||unchanged: 1 track, not listed" \
	"$(tr '\n' '|' <"$OUT" | sed 's/|$//')" "--diff-format text: a listing grouped by action"
expect_nomatch $'\033' "$OUT" "no colour when stdout is not a terminal"
run "$BLENDCAT" check --diff --rejects "$W/rej5" "$W/small.csv"
expect_eq "a.mp3 update" "$(head -n 1 "$OUT" | /usr/bin/python3 -c 'import json, sys
d = json.load(sys.stdin); print(d["audio_filename"], d["action"])')" \
	"stdout not a terminal: JSONL by default"
script -qec "'$BLENDCAT' check --diff --rejects '$W/rej6' '$W/small.csv' 2>/dev/null" /dev/null >"$W/tty.out"
expect_match $'\033\\[1;33mupdate: 1 track' "$W/tty.out" "on a terminal: the listing, in colour"
NO_COLOR=1 script -qec "'$BLENDCAT' check --diff --rejects '$W/rej7' '$W/small.csv' 2>/dev/null" /dev/null \
	>"$W/tty-nc.out"
expect_match "^update: 1 track" "$W/tty-nc.out" "NO_COLOR: still the listing on a terminal"
expect_nomatch $'\033' "$W/tty-nc.out" "NO_COLOR: without colour"

# A run that fails before its COMMIT leaves no diff: nothing was done.
BLENDCAT_STOP_AT=commit "$BLENDCAT" import --no-progress --rejects "$W/rej8" --diff "$W/failed.jsonl" \
	"$W/small.csv" >"$OUT" 2>"$ERR" &
pid=$!
for _ in $(seq 300); do
	case "$(ps -o stat= -p "$pid" 2>/dev/null)" in T*) break ;; esac
	sleep 0.1
done
[ -s "$W/failed.jsonl" ] && pass "the diff is written before the COMMIT" ||
	fail "the diff is written before the COMMIT"
kill -TERM "$pid"; kill -CONT "$pid"
wait "$pid"
RC=$?
expect_rc 143 "SIGTERM before the COMMIT: exit 143"
[ -f "$W/failed.jsonl" ] && [ ! -s "$W/failed.jsonl" ] && pass "... and the diff file is emptied" ||
	fail "... and the diff file is emptied" "$(head -c 500 "$W/failed.jsonl")"
expect_eq "122" "$(q "SELECT tempo FROM meekah.track_info WHERE audio_filename = 'a.mp3'")" \
	"... as nothing was committed"

# Options that do not go together.
run "$BLENDCAT" check --diff --offline "$W/small.csv"
expect_rc 2 "check --diff --offline: usage error"
run "$BLENDCAT" check --diff --atomic file "$W/small.csv"
expect_rc 2 "check --diff --atomic file: usage error"
run "$BLENDCAT" check --diff --diff-format xml "$W/small.csv"
expect_rc 2 "--diff-format xml: usage error"
expect_match "diff-format must be text or jsonl, not 'xml'" "$ERR" "it says what it takes"
run "$BLENDCAT" check --diff-format text "$W/small.csv"
expect_rc 2 "--diff-format without --diff: usage error"
run "$BLENDCAT" check --help
expect_match "^  --diff " "$OUT" "check --help describes --diff"

rm -f "$OUT" "$ERR"
