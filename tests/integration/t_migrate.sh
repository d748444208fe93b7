# migrate up/down/status against a real cluster, checked against the schema doc.
. "$(dirname "$0")/lib.sh"

DOC=$SHARED/blendtune-schema.md
SCHEMAS="meekah','auth','users"
# blendcat's own addition to the doc's schema, as catalog() prints it: the
# index by which an import finds a DDEX MEAD message's tracks by ISRC
# without reading the whole catalog (migration 005; README, "Where the
# schema documentation is wrong").  Anything else that differs fails.
OWN='meekah|track_info|idx_track_isrc|CREATE INDEX idx_track_isrc ON meekah.track_info USING btree (isrc)'

catalog() {
	q "SELECT table_schema, table_name, ordinal_position, column_name, data_type, udt_name,
	          character_maximum_length, numeric_precision, numeric_scale, is_nullable,
	          coalesce(column_default, '')
	   FROM information_schema.columns WHERE table_schema IN ('$SCHEMAS')
	   ORDER BY 1, 2, 3"
	q "SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes
	   WHERE schemaname IN ('$SCHEMAS') ORDER BY 1, 2, 3"
	q "SELECT n.nspname, c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid)
	   FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
	   JOIN pg_namespace n ON n.oid = c.relnamespace
	   WHERE n.nspname IN ('$SCHEMAS') ORDER BY 1, 2, 3"
}

# A migrated catalog equals the doc's, blendcat's own index aside: FILE DESC.
expect_doc_catalog() {
	grep -vxF "$OWN" "$1" >"$1.doc"
	if diff -u "$IT_TMP/catalog.doc" "$1.doc" >"$1.diff"; then
		pass "$2"
	else
		fail "$2" "$(head -40 "$1.diff")"
	fi
}

# The doc's own DDL: every ```sql block with a complete CREATE TABLE.
doc_ddl() {
	echo "CREATE SCHEMA meekah; CREATE SCHEMA auth; CREATE SCHEMA users;"
	awk '/^```sql/ { insql = 1; blk = ""; next }
	     /^```/ && insql { insql = 0
	                       if (blk ~ /CREATE TABLE/ && blk !~ /table definition/) print blk
	                       next }
	     insql { blk = blk $0 "\n" }' "$DOC"
}

# --- the reference: the doc's DDL applied as written
doc_reference() {
newdb ref_doc
doc_ddl | psql "$DATABASE_URL" -qX -v ON_ERROR_STOP=1 >/dev/null 2>"$ERR"
RC=$?
expect_rc 0 "the schema doc's DDL applies"
catalog >"$IT_TMP/catalog.doc"
ntables_doc=$(q "SELECT count(*) FROM information_schema.tables WHERE table_schema IN ('$SCHEMAS')")
}
with_shared blendtune-schema.md doc_reference

# --- migrate up: everything the doc has, by name, column, type, default
newdb mig
run "$BLENDCAT" migrate up
expect_rc 0 "migrate up: exit 0"
expect_match 'applied +001_initial_schema' "$OUT" "migrate up: reports 001"
expect_match 'applied +004_ingest' "$OUT" "migrate up: reports 004"
expect_match 'applied +005_track_isrc_index' "$OUT" "migrate up: reports 005"
catalog >"$IT_TMP/catalog.mig"
doc_compare() {
expect_doc_catalog "$IT_TMP/catalog.mig" \
	"migrated catalog equals the doc's (columns, types, defaults, indexes, constraints)"
expect_eq 14 "$ntables_doc" "the doc defines 14 tables"
missing=""
for ix in $(grep -oE 'CREATE (UNIQUE )?INDEX [a-z_]+' "$DOC" | awk '{print $NF}'); do
	[ "$(q "SELECT count(*) FROM pg_indexes WHERE indexname = '$ix'")" = 1 ] || missing="$missing $ix"
done
expect_eq "" "$missing" "every index named in the doc exists"
}
with_shared blendtune-schema.md doc_compare
expect_eq 1 "$(grep -cxF "$OWN" "$IT_TMP/catalog.mig")" "migrate up: blendcat's own idx_track_isrc on track_info(isrc)"
expect_eq 14 "$(q "SELECT count(*) FROM information_schema.tables WHERE table_schema IN ('$SCHEMAS')")" \
	"migrate up: 14 tables in meekah, auth, users"
expect_eq "ok" "$(q "SELECT 'ok' FROM information_schema.tables WHERE table_schema='ingest' AND table_name='run'")" \
	"migrate up: ingest.run exists"
expect_eq "1 2 3 4 5" "$(q "SELECT string_agg(version::text, ' ' ORDER BY version) FROM public.schema_migrations")" \
	"schema_migrations lists 1-5"
expect_eq 64 "$(q "SELECT min(length(checksum)) FROM public.schema_migrations")" "checksums recorded"

run "$BLENDCAT" migrate up -q
expect_rc 0 "migrate up -q with nothing to do: exit 0"
expect_eq "" "$(cat "$OUT" "$ERR")" "migrate up -q prints nothing"
run "$BLENDCAT" migrate up
expect_rc 0 "migrate up again: exit 0"
expect_match 'nothing to apply' "$OUT" "migrate up again: nothing to apply"

run "$BLENDCAT" migrate status
expect_rc 0 "status: exit 0"
expect_match '^001 +initial_schema +applied' "$OUT" "status: 001 applied"
expect_match '^004 +ingest +applied' "$OUT" "status: 004 applied"
expect_match '^005 +track_isrc_index +applied' "$OUT" "status: 005 applied"

# --- down, one step and all the way
run "$BLENDCAT" migrate down
expect_rc 0 "down: exit 0"
expect_match 'rolled back 005_track_isrc_index' "$OUT" "down: rolls back only the last"
catalog >"$IT_TMP/catalog.down"
grep -vxF "$OWN" "$IT_TMP/catalog.mig" >"$IT_TMP/catalog.mig-own"
if [ -s "$IT_TMP/catalog.down" ] && diff -q "$IT_TMP/catalog.mig-own" "$IT_TMP/catalog.down" >/dev/null; then
	pass "down of 005: idx_track_isrc gone, nothing else (the doc's catalog)"
else
	fail "down of 005: idx_track_isrc gone, nothing else (the doc's catalog)" \
		"$(diff -u "$IT_TMP/catalog.mig-own" "$IT_TMP/catalog.down" | head -20)"
fi
run "$BLENDCAT" migrate down
expect_rc 0 "down again: exit 0"
expect_match 'rolled back 004_ingest' "$OUT" "down again: rolls back 004"
expect_eq 0 "$(q "SELECT count(*) FROM pg_namespace WHERE nspname = 'ingest'")" "down: ingest schema gone"
run "$BLENDCAT" migrate status
expect_match '^004 +ingest +pending' "$OUT" "status after down: 004 pending"
expect_match '^005 +track_isrc_index +pending' "$OUT" "status after down: 005 pending"
expect_match '^003 +add_subscription +applied' "$OUT" "status after down: 003 applied"

run "$BLENDCAT" migrate down all
expect_rc 0 "down all: exit 0"
expect_eq 0 "$(q "SELECT count(*) FROM pg_namespace WHERE nspname IN ('meekah','auth','users','ingest')")" \
	"down all: no schemas left"
expect_eq 0 "$(q "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = 'public'")" "down all: nothing left in public"

run "$BLENDCAT" migrate status
expect_rc 0 "status on an empty database: exit 0"
expect_match '^001 +initial_schema +pending' "$OUT" "status on an empty database: all pending"

run "$BLENDCAT" migrate up 2
expect_rc 0 "up 2: exit 0"
expect_eq "1 2" "$(q "SELECT string_agg(version::text, ' ' ORDER BY version) FROM public.schema_migrations")" \
	"up 2 applies exactly two"
run "$BLENDCAT" migrate up
catalog >"$IT_TMP/catalog.mig2"
if [ -s "$IT_TMP/catalog.mig" ] && diff -q "$IT_TMP/catalog.mig" "$IT_TMP/catalog.mig2" >/dev/null; then
	pass "up after down all: the same catalog as the first up (the doc's)"
else
	fail "up after down all: the same catalog as the first up (the doc's)"
fi

# --- a tampered migration that was applied is refused
cp -r "$TOP/schemas" "$IT_TMP/schemas-tampered"
sed -i 's/idx_track_genre/idx_track_genre2/' "$IT_TMP/schemas-tampered/001_initial_schema.sql"
run "$BLENDCAT" migrate up --schemas "$IT_TMP/schemas-tampered"
expect_rc 3 "tampered applied migration: exit 3"
expect_match "001_initial_schema.sql' was changed after it was applied" "$ERR" "tampered: names the file"
run "$BLENDCAT" migrate down all --schemas "$IT_TMP/schemas-tampered"
expect_rc 3 "tampered: down refused too"
expect_eq 5 "$(q "SELECT count(*) FROM public.schema_migrations")" "tampered: nothing rolled back"
run env BLENDCAT_SCHEMAS="$IT_TMP/schemas-tampered" "$BLENDCAT" migrate status
expect_rc 3 "tampered: status exits 3"
expect_match '^001 +initial_schema +CHANGED' "$OUT" "tampered: status marks it CHANGED"

# --- a failing migration: file and line named, rolled back whole
cp -r "$TOP/schemas" "$IT_TMP/schemas-bad"
cat >"$IT_TMP/schemas-bad/006_broken.sql" <<'SQL'
-- Migration: 006_broken.sql
-- UP
BEGIN;
CREATE TABLE meekah.half_done (id INTEGER);

CREATE TABLE meekah.broken (id INTEGR);
COMMIT;

-- DOWN (rollback)
-- BEGIN;
-- DROP TABLE meekah.broken;
-- DROP TABLE meekah.half_done;
-- COMMIT;
SQL
run "$BLENDCAT" migrate up --schemas "$IT_TMP/schemas-bad"
expect_rc 3 "failing migration: exit 3"
expect_match '006_broken.sql:6: .*type "integr" does not exist' "$ERR" "failing migration: file, line and message"
expect_eq 0 "$(q "SELECT count(*) FROM pg_class WHERE relname = 'half_done'")" "failing migration: rolled back whole"
expect_eq 5 "$(q "SELECT max(version) FROM public.schema_migrations")" "failing migration: not recorded"

# --- no DOWN section: refused before touching the database
printf -- '-- UP\nCREATE TABLE x (id int);\n' >"$IT_TMP/schemas-bad/006_broken.sql"
run "$BLENDCAT" migrate up --schemas "$IT_TMP/schemas-bad"
expect_rc 2 "migration without DOWN: exit 2"
expect_match "006_broken.sql: no '-- DOWN' line" "$ERR" "migration without DOWN: says so"

# --- the lock: a second run exits 75, or waits with --wait
hold_lock 3
run "$BLENDCAT" migrate status
expect_rc 75 "lock held: exit 75"
expect_match 'another blendcat run holds the lock' "$ERR" "lock held: says so"
expect_match 'held by server process [0-9]+' "$ERR" "lock held: names the holder"
run "$BLENDCAT" migrate status --wait
expect_rc 0 "lock held, --wait: waits, then exit 0"
wait $holder

# --- connection rules: --db over DATABASE_URL over TRACKS_DATABASE_URL
good=$DATABASE_URL
run env DATABASE_URL="postgresql:///nosuchdb?host=$IT_PG" "$BLENDCAT" migrate status --db "$good"
expect_rc 0 "--db wins over DATABASE_URL"
run env -u DATABASE_URL TRACKS_DATABASE_URL="$good&schema=meekah" "$BLENDCAT" migrate status
expect_rc 0 "TRACKS_DATABASE_URL with ?schema=meekah connects"
run env DATABASE_URL="$good" TRACKS_DATABASE_URL="postgresql:///nosuchdb?host=$IT_PG" "$BLENDCAT" migrate status
expect_rc 0 "DATABASE_URL wins over TRACKS_DATABASE_URL"

rm -f "$OUT" "$ERR"

# make install: the installed binary finds its installed migrations, wherever it is.
if make -s -C "$TOP" install PREFIX="$IT_TMP/prefix" >"$IT_TMP/install.log" 2>&1; then
	pass "make install PREFIX=..."
else
	fail "make install PREFIX=..." "$(tail -5 "$IT_TMP/install.log")"
fi
expect_eq "ok" "$( [ -f "$IT_TMP/prefix/share/man/man1/blendcat.1" ] &&
	[ -f "$IT_TMP/prefix/share/blendcat/schemas/001_initial_schema.sql" ] && echo ok)" \
	"make install: man page and migrations installed"
mv "$IT_TMP/prefix" "$IT_TMP/moved-prefix"
run env -u BLENDCAT_SCHEMAS "$IT_TMP/moved-prefix/bin/blendcat" migrate status
expect_rc 0 "the installed binary, moved with its prefix, finds its migrations"
expect_match '^001 +initial_schema +applied' "$OUT" "the installed binary reads the same migrations"
rm -rf "$IT_TMP/moved-prefix"
rm -f "$OUT" "$ERR"
