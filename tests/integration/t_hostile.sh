# Hostile input: XML bombs and XXE, a CSV line longer than any row may be,
# NUL bytes and invalid UTF-8 in DDEX, path traversal in audio_filename,
# SQL in values, headers, file names and filters.  Each is refused or
# stored verbatim, named in the error or rejects.log, and the catalog
# holds nothing it should not.
#
# HOSTILE_LONG_MB sets the long CSV line's size (default 65: just past
# the 64 MiB a row may hold; a 1 GB line runs the same way).
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/hostile
mkdir -p "$W"
# A valid message of the project's own, for the attacks that need one.
GOOD=$W/good.xml
"$TOP/scripts/gen-ern43" -n 1 --parties 4 -o "$GOOD" || fail "gen-ern43 writes a message"

freshdb hostile
"$BLENDCAT" import -q --rejects "$W/rej-base" "$TOP/samples/catalog" >/dev/null 2>&1

# Memory is measured only for the plain binary: valgrind's and ASan's own
# (shadow memory, freed blocks held in quarantine) are not blendcat's.
measured() {
	[ -z "${VG_LOGS:-}" ] && ! ldd "$BLENDCAT" 2>/dev/null | grep -q libasan
}


# Run blendcat under strace: the files it opened, one per line, in $W/opened.
# (LeakSanitizer cannot run under ptrace; the other runs look for leaks.)
traced() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -qq -e trace=open,openat,creat,execve -o "$W/strace" "$@" >"$OUT" 2>"$ERR"
	RC=$?
	sed -nE 's/.*(open|openat|creat)\([^"]*"([^"]*)".*/\2/p' "$W/strace" | sort -u >"$W/opened"
}

# --------------------------------------------------------------- XML bombs
echo 'the secret of the machine' >"$W/secret.txt"
{
	echo '<?xml version="1.0"?>'
	echo '<!DOCTYPE lolz ['
	echo ' <!ENTITY lol "lol">'
	prev=lol
	for i in 1 2 3 4 5 6 7 8 9; do
		printf ' <!ENTITY lol%d "%s">\n' "$i" "$(printf "&$prev;%.0s" 1 2 3 4 5 6 7 8 9 10)"
		prev=lol$i
	done
	echo ']>'
	echo '<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43"><MessageHeader>'
	echo '<MessageId>&lol9;</MessageId></MessageHeader></ern:NewReleaseMessage>'
} >"$W/billion-laughs.xml"
python3 - "$W/quadratic.xml" <<'PY'
import sys
big = "A" * 100000
with open(sys.argv[1], "w") as f:
    f.write('<?xml version="1.0"?>\n<!DOCTYPE m [<!ENTITY a "%s">]>\n' % big)
    f.write('<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43"><MessageHeader><MessageId>')
    f.write("&a;" * 100000)
    f.write('</MessageId></MessageHeader></ern:NewReleaseMessage>\n')
PY
printf '<?xml version="1.0"?>\n<!DOCTYPE m [<!ENTITY xxe SYSTEM "file://%s">]>\n<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43"><MessageHeader><MessageId>&xxe;</MessageId></MessageHeader></ern:NewReleaseMessage>\n' \
	"$W/secret.txt" >"$W/xxe.xml"
printf '<?xml version="1.0"?>\n<!DOCTYPE m SYSTEM "file://%s">\n<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43"/>\n' \
	"$W/secret.txt" >"$W/xxe-dtd.xml"
printf '<?xml version="1.0"?>\n<!DOCTYPE m [<!ENTITY %% p SYSTEM "file://%s"> %%p;]>\n<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43"/>\n' \
	"$W/secret.txt" >"$W/xxe-param.xml"
# XInclude is not processed: the message is read as if the element were not there.
sed "s|<MessageHeader>|<MessageHeader><xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"file://$W/secret.txt\" parse=\"text\"/>|" \
	"$GOOD" >"$W/xinclude.xml"

before=$(snapshot)
for f in billion-laughs quadratic xxe xxe-dtd xxe-param; do
	traced /usr/bin/time -f '%M' -o "$W/rss" "$BLENDCAT" import --rejects "$W/rej-$f" "$W/$f.xml"
	expect_rc 1 "$f: exit 1 (the message is rejected)"
	expect_match "$f.xml.*DOCTYPE refused" "$ERR" "$f: refused, and the error names the file"
	expect_match "$f.xml:[0-9]+: DDEX message not read" "$W/rej-$f/rejects.log" "$f: rejects.log names it"
	expect_nomatch 'secret of the machine' "$ERR" "$f: nothing of the secret file is printed"
	expect_nomatch "secret.txt" "$W/opened" "$f: the secret file is never opened"
	rss=$(tail -n 1 "$W/rss")
	if measured; then
		[ "$rss" -lt 200000 ] && pass "$f: memory stays small (${rss} kB)" ||
			fail "$f: memory stays small (${rss} kB)"
	fi
	expect_eq "$before" "$(snapshot)" "$f: the catalog is unchanged"
done
traced "$BLENDCAT" import --rejects "$W/rej-xinclude" "$W/xinclude.xml"
expect_rc 0 "XInclude in a message: exit 0 (not processed)"
expect_nomatch "secret.txt" "$W/opened" "XInclude: the file it names is never opened"
expect_eq 0 "$(q "SELECT count(*) FROM meekah.track_info t WHERE t::text LIKE '%secret of the machine%'")" \
	"XInclude: nothing of the file it names is stored"

# The same files found in a folder: refused by name as when given by name, never skipped as
# "not a manifest, a DDEX message or audio".  Alone (exit 1, not 2: no "nothing to import"),
# and beside valid input, which loads.  An HTML page's DOCTYPE under its own name is skipped.
mkdir -p "$W/inbox-alone" "$W/inbox-mixed"
for f in billion-laughs quadratic xxe xxe-dtd xxe-param; do
	cp "$W/$f.xml" "$W/inbox-alone/"
	cp "$W/$f.xml" "$W/inbox-mixed/"
done
printf 'audio_filename,title,duration\nfolder-ok.mp3,Folder OK,100\n' >"$W/inbox-mixed/tracks.csv"
printf '<!DOCTYPE html>\n<html><body>delivery notes</body></html>\n' >"$W/inbox-mixed/notes.html"
before=$(snapshot)
traced "$BLENDCAT" import --rejects "$W/rej-inbox-alone" "$W/inbox-alone"
expect_rc 1 "hostile XML alone in a folder: exit 1 (rejects), not 2"
expect_nomatch "not a manifest, a DDEX message or audio" "$ERR" "in a folder: not skipped as something else"
for f in billion-laughs quadratic xxe xxe-dtd xxe-param; do
	expect_match "inbox-alone/$f.xml:[0-9]+: DDEX message not read: at column [0-9]+: DOCTYPE refused" \
		"$W/rej-inbox-alone/rejects.log" "$f in a folder: rejects.log names it and why"
	expect_match "inbox-alone/$f.xml.*DOCTYPE refused" "$ERR" "$f in a folder: the error names it"
done
expect_nomatch "secret.txt" "$W/opened" "in a folder: the secret file is never opened"
expect_nomatch 'secret of the machine' "$ERR" "in a folder: nothing of the secret file is printed"
expect_eq "$before" "$(snapshot)" "in a folder: the catalog is unchanged"
run "$BLENDCAT" import --rejects "$W/rej-inbox-mixed" "$W/inbox-mixed"
expect_rc 1 "hostile XML beside a valid manifest: exit 1 (rejects)"
expect_eq 5 "$(grep -c 'DOCTYPE refused' "$W/rej-inbox-mixed/rejects.log")" "beside valid input: all five are named"
expect_eq "Folder OK|100" "$(q "SELECT title, duration FROM meekah.track_info WHERE audio_filename = 'folder-ok.mp3'")" \
	"beside them, the valid manifest loads"
expect_nomatch "notes.html" "$W/rej-inbox-mixed/rejects.log" "an HTML page's DOCTYPE is not refused as a message"
expect_match "1 file in the directories given is not a manifest, a DDEX message or audio" "$ERR" \
	"the HTML page is skipped and counted"

# ------------------------------------------ NUL bytes, invalid UTF-8, DDEX
freshdb hostile
before=$(snapshot)
line=$(python3 - "$GOOD" "$W" <<'PY'
import sys
src = open(sys.argv[1], "rb").read()
i = src.index(b"Track 1 ")
open(sys.argv[2] + "/nul.xml", "wb").write(src[:i] + b"Track\x00" + src[i + 5:])
open(sys.argv[2] + "/badutf8.xml", "wb").write(src[:i] + b"Track\xc3\x28" + src[i + 6:])
print(src[:i].count(b"\n") + 1)
PY
)
for f in nul badutf8; do
	run "$BLENDCAT" import --rejects "$W/rej-$f" "$W/$f.xml"
	expect_rc 1 "$f in a DDEX title: exit 1 (the message is rejected)"
	expect_match "$f.xml:$line:" "$ERR" "$f in a DDEX title: the error names file and line $line"
	expect_eq "$before" "$(snapshot)" "$f in a DDEX title: nothing is loaded"
done

# ------------------------------------------------------- a long CSV line
mb=${HOSTILE_LONG_MB:-65}
mkdir -p "$W/long"
{
	echo 'audio_filename,title,duration'
	echo 'before.mp3,Before,100'
	printf 'huge.mp3,'
	head -c "$((mb << 20))" /dev/zero | tr '\0' 'x'
	echo ',100'
	echo 'after.mp3,After,100'
} >"$W/long/tracks.csv"
run /usr/bin/time -f '%M' -o "$W/rss" "$BLENDCAT" import --rejects "$W/rej-long" "$W/long"
expect_rc 1 "a $mb MB CSV line: exit 1 (loaded, with a reject)"
expect_match "long/tracks.csv:3: .*(too long|longer)" "$W/rej-long/rejects.log" "a $mb MB CSV line: rejected at its line"
expect_eq "After Before" "$(q "SELECT string_agg(title, ' ' ORDER BY title) FROM meekah.track_info")" \
	"a $mb MB CSV line: the rows around it load"
expect_eq "$(sed -n 1p "$W/long/tracks.csv" | wc -c) $(sed -n 3p "$W/long/tracks.csv" | wc -c)" \
	"$(sed -n 1p "$W/rej-long/tracks.csv" | wc -c) $(sed -n 2p "$W/rej-long/tracks.csv" | wc -c)" \
	"a $mb MB CSV line: written whole to the rejects, under the header"
rss=$(tail -n 1 "$W/rss")
if measured; then
	[ "$rss" -lt $((200 << 10)) ] && pass "a $mb MB CSV line: memory stays under 200 MB (${rss} kB)" ||
		fail "a $mb MB CSV line: memory stays under 200 MB (${rss} kB)"
fi
rm -rf "$W/long" "$W/rej-long"

# --------------------------------------------------------- path traversal
mkdir -p "$W/root/m" "$W/outside"
cp "$TOP/tests/data/audio/id3v24.mp3" "$W/outside/canary.mp3"
cp "$TOP/tests/data/audio/vorbis.flac" "$W/root/m/"
cat >"$W/root/m/tracks.csv" <<'CSV'
audio_filename,title,duration
../../etc/passwd,Passwd,100
../outside/canary.mp3,Canary,100
/etc/shadow,Shadow,100
..,Dots,100
vorbis.flac,Inside,100
CSV
freshdb hostile
for opt in "" --require-audio; do
	traced "$BLENDCAT" import $opt --rejects "$W/rej-trav$opt" "$W/root"
	expect_rc 1 "path traversal in audio_filename $opt: exit 1"
	for v in '../../etc/passwd' '../outside/canary.mp3' '/etc/shadow'; do
		expect_match "tracks.csv:[0-9]+:audio_filename: '$v': must be a file name without a directory" \
			"$W/rej-trav$opt/rejects.log" "'$v' $opt: rejected"
	done
	expect_match "tracks.csv:5:audio_filename: '\.\.': '\.\.' is not a file name" "$W/rej-trav$opt/rejects.log" \
		"'..' $opt: rejected"
	expect_nomatch "canary|/etc/shadow|$W/outside" "$W/opened" "$opt: nothing outside the given root is opened"
	expect_eq "vorbis.flac" "$(q "SELECT string_agg(audio_filename, ' ') FROM meekah.track_info")" \
		"$opt: only the track inside the root is loaded"
done

# ------------------------------------------------- SQL in values and names
mkdir -p "$W/sql"
sqlfile="$W/sql/x'); DROP TABLE meekah.track_info; --.csv"
cat >"$sqlfile" <<'CSV'
audio_filename,title,artist,description,tags,duration,"title""; DROP TABLE meekah.track_creator; --"
sql1.mp3,"Robert'); DROP TABLE meekah.track_info; --",' OR '1'='1,"$$ E'\x00' \N \. ;SELECT pg_sleep(10)","a'b;c""d",100,x
sql2.mp3,\.,"\N",\\N,"{""a"",b}",100,y
sql3.mp3,Three,,,,-5,z
CSV
printf 'audio_filename,creator_name,role\nsql1.mp3,"Eve""; DELETE FROM meekah.track_info; --",composer\n' >"$W/sql/creators.csv"
# A header with SQL in it, mapped to a field: a name to match, never an identifier.
printf 'genre = title"; DROP TABLE meekah.track_creator; --\n' >"$W/map.txt"
ntables=$(q "SELECT count(*) FROM pg_tables WHERE schemaname = 'meekah'")
run "$BLENDCAT" import --map "$W/map.txt" --rejects "$W/rej-sql" "$W/sql"
expect_rc 1 "SQL in values, headers and names: exit 1 (sql3's duration is negative)"
expect_eq "$ntables" "$(q "SELECT count(*) FROM pg_tables WHERE schemaname = 'meekah'")" "every meekah table is still there"
expect_eq "Robert'); DROP TABLE meekah.track_info; --|' OR '1'='1|\$\$ E'\\x00' \\N \\. ;SELECT pg_sleep(10)|x" \
	"$(q "SELECT title, artist, description, genre FROM meekah.track_info WHERE audio_filename = 'sql1.mp3'")" \
	"SQL-looking values are stored verbatim"
expect_eq '\.|\N|\\N|y|{"a",b}' \
	"$(q "SELECT title, artist, description, genre, array_to_string(tags, ',') FROM meekah.track_info
	      WHERE audio_filename = 'sql2.mp3'")" "COPY's own markers (\\. \\N) are stored verbatim, not as NULL or end of data"
expect_eq 'Eve"; DELETE FROM meekah.track_info; --' \
	"$(q "SELECT creator_name FROM meekah.track_creator c JOIN meekah.track_info t ON t.id = c.track_id
	      WHERE t.audio_filename = 'sql1.mp3'")" "a creator's SQL-looking name is stored verbatim"
expect_match "x'\); DROP TABLE meekah.track_info; --.csv:4:duration: '-5'" "$W/rej-sql/rejects.log" \
	"a file name with SQL in it is named as it is"
expect_eq "a'b|c\"d" "$(q "SELECT array_to_string(tags, '|') FROM meekah.track_info WHERE audio_filename = 'sql1.mp3'")" \
	"tags with quotes are split on ';' only, each verbatim"
run "$BLENDCAT" export --format jsonl --out - --genre "x' OR '1'='1"
expect_rc 0 "export with SQL in a filter: exit 0"
expect_eq 0 "$(wc -l <"$OUT")" "export with SQL in a filter: it is a value, nothing matches"
run "$BLENDCAT" export --format jsonl --out - --tag "c\"d"
expect_eq 1 "$(wc -l <"$OUT")" "export --tag with quotes: the tag is found"

rm -f "$OUT" "$ERR"
