# Statistics after a load: autovacuum's rule.  A load into an empty
# catalog leaves ANALYZE to autovacuum (as after pg_restore); a delta
# analyzes the tables it changed by more than autovacuum's threshold
# (50 rows + 10% of the table) and no other; the children are compared
# and counted as before.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/analyze
mkdir -p "$W/base" "$W/small" "$W/big"

# tracks N TITLE, creators N NAME ROLE: tracks t1..tN, with one creator each.
tracks() {
	echo 'audio_filename,title,artist,duration'
	for i in $(seq 1 "$1"); do echo "t$i.wav,$2 $i,Artist,$((100 + i))"; done
}
creators() {
	echo 'audio_filename,creator_name,role,split_percentage'
	for i in $(seq 1 "$1"); do echo "t$i.wav,$2 $i,$3,100"; done
}
tracks 300 Title >"$W/base/tracks.csv"
creators 300 Writer composer >"$W/base/creators.csv"
# One title changed: 1 row, below the threshold of every table.
printf 'audio_filename,title,artist,duration\nt1.wav,Changed,Artist,101\n' >"$W/small/tracks.csv"
# 120 titles and 120 creator sets changed: above track_info's threshold
# (50 + 30), and track_creator's (120 rows deleted + 120 inserted).
tracks 120 'New title' >"$W/big/tracks.csv"
creators 120 Other lyricist >"$W/big/creators.csv"

freshdb loadstats || exit 0
# No autovacuum on these tables: only blendcat analyzes them here.
for t in track_info track_creator track_instrument track_arrangement track_sample; do
	q "ALTER TABLE meekah.$t SET (autovacuum_enabled = false)"
done
# When a table was last analyzed, as a number ('' when never).
analyzed() {
	q "SELECT coalesce(extract(epoch FROM last_analyze)::text, '')
	   FROM pg_stat_user_tables WHERE schemaname = 'meekah' AND relname = '$1'"
}
# The statistics views are fed by the backends as they end; wait for them.
settle() { q "SELECT pg_stat_clear_snapshot()" >/dev/null; sleep 1.2; }

run "$BLENDCAT" import --report "$W/base.json" "$W/base"
expect_rc 0 "initial import of 300 tracks: exit 0"
expect_eq 300 "$(q 'SELECT count(*) FROM meekah.track_creator')" "initial import: 300 creators"
settle
expect_eq '' "$(analyzed track_info)" "into an empty catalog: no ANALYZE in the load (autovacuum's)"
expect_eq '' "$(analyzed track_creator)" "into an empty catalog: track_creator not analyzed either"

q "ANALYZE meekah.track_info, meekah.track_creator"
settle
before_t=$(analyzed track_info)
before_c=$(analyzed track_creator)
[ -n "$before_t" ] && [ -n "$before_c" ] && pass "ANALYZE by hand is seen" ||
	fail "ANALYZE by hand is seen" "track_info '$before_t', track_creator '$before_c'"

run "$BLENDCAT" import --report "$W/small.json" "$W/small"
expect_rc 0 "one changed track: exit 0"
expect_eq 'Changed' "$(q "SELECT title FROM meekah.track_info WHERE audio_filename = 't1.wav'")" \
	"one changed track: the title is updated"
settle
expect_eq "$before_t" "$(analyzed track_info)" "1 track changed of 300: track_info not analyzed again"

sleep 1
run "$BLENDCAT" import --report "$W/big.json" "$W/big"
expect_rc 0 "120 changed tracks: exit 0"
expect_eq 120 "$(q "SELECT count(*) FROM meekah.track_creator WHERE role = 'lyricist'")" \
	"120 changed tracks: their creators are replaced"
settle
after_t=$(analyzed track_info)
after_c=$(analyzed track_creator)
if [ -n "$after_t" ] && awk -v a="$after_t" -v b="$before_t" 'BEGIN { exit !(a > b) }'; then
	pass "120 tracks changed of 300: track_info analyzed in the load"
else
	fail "120 tracks changed of 300: track_info analyzed in the load" "before $before_t, after '$after_t'"
fi
if [ -n "$after_c" ] && awk -v a="$after_c" -v b="$before_c" 'BEGIN { exit !(a > b) }'; then
	pass "240 creator rows changed of 300: track_creator analyzed in the load"
else
	fail "240 creator rows changed of 300: track_creator analyzed in the load" "before $before_c, after '$after_c'"
fi
# Tracks named only by their creators still count, compared, as changed.
expect_match '"updated": *120' "$W/big.json" "the report counts the 120 tracks updated"
