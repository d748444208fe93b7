# The command line: usage errors, help, exit codes, connection failures.
. "$(dirname "$0")/lib.sh"

run "$BLENDCAT"
expect_rc 2 "no command: exit 2"
expect_match '^usage: blendcat' "$ERR" "no command: usage on stderr"

run "$BLENDCAT" frobnicate
expect_rc 2 "unknown command: exit 2"
expect_match "unknown command 'frobnicate'" "$ERR" "unknown command: named"
expect_match '^usage: blendcat' "$ERR" "unknown command: usage on stderr"
expect_eq "" "$(cat "$OUT")" "unknown command: nothing on stdout"

run "$BLENDCAT" --frobnicate
expect_rc 2 "unknown global flag: exit 2"

run "$BLENDCAT" migrate --frobnicate up
expect_rc 2 "unknown migrate flag: exit 2"
expect_match "unknown option .*'--frobnicate'" "$ERR" "unknown migrate flag: named"
expect_match '^usage: blendcat migrate' "$ERR" "unknown migrate flag: usage on stderr"

run "$BLENDCAT" migrate sideways
expect_rc 2 "unknown migrate action: exit 2"

run "$BLENDCAT" migrate up zero
expect_rc 2 "bad step count: exit 2"

run "$BLENDCAT" --help
expect_rc 0 "--help: exit 0"
for c in migrate import check export maintain; do
	expect_match "blendcat $c" "$OUT" "--help lists $c"
done
run "$BLENDCAT" maintain extra
expect_rc 2 "maintain with an argument: exit 2"

run "$BLENDCAT" --version
expect_rc 0 "--version: exit 0"
expect_match '^blendcat [0-9]+\.[0-9]+' "$OUT" "--version prints the version"

run "$BLENDCAT" export --out "$IT_TMP/x"
expect_rc 2 "export without --format: exit 2"
expect_match "^usage: blendcat" "$ERR" "export without --format: usage on stderr"

for c in import check; do
	run "$BLENDCAT" "$c"
	expect_rc 2 "$c without PATH: exit 2"
	expect_match "^usage: blendcat import" "$ERR" "$c without PATH: usage on stderr"
	run "$BLENDCAT" "$c" --mode sideways x.csv
	expect_rc 2 "$c --mode sideways: exit 2"
	run "$BLENDCAT" "$c" --date-order ymd x.csv
	expect_rc 2 "$c --date-order ymd: exit 2"
	run "$BLENDCAT" "$c" --max-rejects -1 x.csv
	expect_rc 2 "$c --max-rejects -1: exit 2"
	run "$BLENDCAT" "$c" "$IT_TMP/no/such/file.csv"
	expect_rc 2 "$c of a missing path: exit 2"
	expect_match "cannot read '$IT_TMP/no/such/file.csv'" "$ERR" "$c of a missing path: names it"
	run "$BLENDCAT" "$c" "$IT_TMP/no/such/a.csv" "$IT_TMP/no/such/b.csv"
	expect_rc 2 "$c of two missing paths: exit 2 (the first is named, nothing crashes)"
done

# An unreachable database: one line, naming the host or socket, never the password.
run "$BLENDCAT" migrate status --db "postgresql://alice:s3cretpw@127.0.0.1:9/nowhere"
expect_rc 3 "unreachable host: exit 3"
expect_eq 1 "$(wc -l <"$ERR")" "unreachable host: one line"
expect_match 'host "127.0.0.1" port 9' "$ERR" "unreachable host: names host and port"
expect_nomatch 's3cretpw' "$ERR" "unreachable host: no password"

run env -u DATABASE_URL DATABASE_URL="postgresql:///x?host=$IT_TMP/nosuchdir&password=s3cretpw" \
	"$BLENDCAT" migrate status
expect_rc 3 "unreachable socket: exit 3"
expect_eq 1 "$(wc -l <"$ERR")" "unreachable socket: one line"
expect_match "socket \"$IT_TMP/nosuchdir/.s.PGSQL.5432\"" "$ERR" "unreachable socket: names the socket"
expect_nomatch 's3cretpw' "$ERR" "unreachable socket: no password"

run env -u DATABASE_URL TRACKS_DATABASE_URL="postgresql://bob:hunter22@127.0.0.1:9/db?schema=meekah" \
	"$BLENDCAT" migrate status
expect_rc 3 "TRACKS_DATABASE_URL with ?schema=: used, exit 3 when unreachable"
expect_match 'host "127.0.0.1" port 9, database "db", user "bob"' "$ERR" \
	"TRACKS_DATABASE_URL: schema parameter stripped, target named"
expect_nomatch 'hunter22|schema' "$ERR" "TRACKS_DATABASE_URL: no password, no libpq complaint about schema"

rm -f "$OUT" "$ERR"

# --validate-xsd finds the XSDs in --xsd-dir, BLENDCAT_XSD_DIR or PREFIX/share/blendcat/xsd
# (make install XSD_SRC=DIR); with none of them it is a usage error naming the three.
W=$IT_TMP/cli
mkdir -p "$W/xsd/ern43" "$W/strict/ern43"
"$TOP/scripts/gen-ern43" -n 1 --parties 2 -o "$W/msg.xml"
xsd() {	# the root element's content: anything (lax), or one element named $1
	printf '<?xml version="1.0"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://ddex.net/xml/ern/43">\n'
	printf ' <xs:element name="NewReleaseMessage"><xs:complexType><xs:sequence>%s</xs:sequence><xs:anyAttribute processContents="skip"/></xs:complexType></xs:element>\n' \
		"$([ -n "${1:-}" ] && echo "<xs:element name=\"$1\"/>" || echo '<xs:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/>')"
	printf '</xs:schema>\n'
}
xsd >"$W/xsd/ern43/release-notification.xsd"
xsd Nothing >"$W/strict/ern43/release-notification.xsd"
run env -u BLENDCAT_XSD_DIR "$BLENDCAT" check --offline --validate-xsd --rejects "$W/rej1" "$W/msg.xml"
expect_rc 2 "--validate-xsd with no XSDs anywhere: exit 2"
expect_match "--validate-xsd: no DDEX XSDs: no --xsd-dir, no BLENDCAT_XSD_DIR, and none installed in PREFIX/share/blendcat/xsd" \
	"$ERR" "it names the three places it looked"
expect_match "DDEX publishes the XSDs" "$ERR" "and says where XSDs come from"
run env -u BLENDCAT_XSD_DIR "$BLENDCAT" check --offline --validate-xsd --xsd-dir "$W/xsd" --rejects "$W/rej2" "$W/msg.xml"
expect_rc 0 "--xsd-dir: the message validates against the XSD there"
run env BLENDCAT_XSD_DIR="$W/strict" "$BLENDCAT" check --offline --validate-xsd --rejects "$W/rej3" "$W/msg.xml"
expect_rc 1 "BLENDCAT_XSD_DIR: the XSD there is the one used (a stricter one rejects the message)"
expect_match "not valid against its XSD ern43/release-notification.xsd" "$W/rej3/rejects.log" \
	"rejects.log says why"
run make -s -C "$TOP" install PREFIX="$W/prefix" XSD_SRC="$W/strict" BIN="$BLENDCAT"
expect_rc 0 "make install XSD_SRC=DIR: exit 0"
expect_eq "yes" "$([ -f "$W/prefix/share/blendcat/xsd/ern43/release-notification.xsd" ] && echo yes)" \
	"make install copies the XSDs into PREFIX/share/blendcat/xsd, folders kept"
run env -u BLENDCAT_XSD_DIR "$W/prefix/bin/blendcat" check --offline --validate-xsd --rejects "$W/rej4" "$W/msg.xml"
expect_rc 1 "the installed blendcat validates against the installed XSDs"
expect_match "not valid against its XSD ern43/release-notification.xsd" "$W/rej4/rejects.log" \
	"with the installed strict XSD"
run make -s -C "$TOP" install PREFIX="$W/prefix2" XSD_SRC="$W/none" BIN="$BLENDCAT"
expect_rc 2 "make install XSD_SRC= a missing directory: fails"
rm -f "$OUT" "$ERR"
