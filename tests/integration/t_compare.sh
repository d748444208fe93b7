# Child sets compared with the catalog's.  A run giving about as many rows
# of a kind as the catalog has (a whole catalog again) sums the catalog's
# side over the whole table; a smaller one looks up the tracks it names.
# Both find the same sets changed, and only those are replaced.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/compare
mkdir -p "$W/base" "$W/whole" "$W/delta"

# creators FILE: two creators for each of t1..t200, then FILE's own lines.
creators() {
	echo 'audio_filename,creator_name,role,split_percentage'
	for i in $(seq 1 200); do
		case " $* " in *" t$i "*) continue ;; esac
		echo "t$i.wav,Writer $i,composer,60"
		echo "t$i.wav,Producer $i,producer,40"
	done
}
{
	echo 'audio_filename,title,duration'
	for i in $(seq 1 200); do echo "t$i.wav,Title $i,$((100 + i))"; done
} >"$W/base/tracks.csv"
creators >"$W/base/creators.csv"
cp "$W/base/tracks.csv" "$W/whole/tracks.csv"
# The whole catalog again: t1 has another producer, t2 loses its
# producer, t3 has its two rows the other way round (the same set).
{
	creators t1 t2 t3
	echo 't1.wav,Writer 1,composer,60'
	echo 't1.wav,Someone Else,producer,40'
	echo 't2.wav,Writer 2,composer,60'
	echo 't3.wav,Producer 3,producer,40'
	echo 't3.wav,Writer 3,composer,60'
} >"$W/whole/creators.csv"
# Two tracks: t1 as it is now, t4 with a third creator.
{
	echo 'audio_filename,creator_name,role,split_percentage'
	echo 't1.wav,Someone Else,producer,40'
	echo 't1.wav,Writer 1,composer,60'
	echo 't4.wav,Writer 4,composer,50'
	echo 't4.wav,Producer 4,producer,40'
	echo 't4.wav,Mixer 4,mixer,10'
} >"$W/delta/creators.csv"

freshdb compare || exit 0
run "$BLENDCAT" import "$W/base"
expect_rc 0 "200 tracks, 400 creators: exit 0"
# Statistics as autovacuum would have them by now: the catalog's size is known.
q "ANALYZE meekah.track_info, meekah.track_creator"
stamp() { q "SELECT updated_at FROM meekah.track_info WHERE audio_filename = '$1'"; }
t3_before=$(stamp t3.wav)
t5_before=$(stamp t5.wav)
sleep 1

run "$BLENDCAT" import --report "$W/whole.json" "$W/whole"
expect_rc 0 "the whole catalog again, two sets changed: exit 0"
expect_match '"track_creator": \{[^}]*"unchanged": 198, "replaced": 2, "deleted": 4' "$W/whole.json" \
	"the whole catalog again: 2 sets replaced (4 rows out), 198 unchanged"
expect_eq 'Someone Else|Writer 1' \
	"$(q "SELECT string_agg(c.creator_name, '|' ORDER BY c.creator_name) FROM meekah.track_creator c
	      JOIN meekah.track_info t ON t.id = c.track_id WHERE t.audio_filename = 't1.wav'")" \
	"the whole catalog again: t1's new producer"
expect_eq 'Writer 2' \
	"$(q "SELECT string_agg(c.creator_name, '|') FROM meekah.track_creator c
	      JOIN meekah.track_info t ON t.id = c.track_id WHERE t.audio_filename = 't2.wav'")" \
	"the whole catalog again: t2 without its producer"
expect_eq "$t3_before" "$(stamp t3.wav)" "the same set in another order is not a change"
expect_eq "$t5_before" "$(stamp t5.wav)" "an unchanged track keeps its updated_at"
expect_eq 399 "$(q 'SELECT count(*) FROM meekah.track_creator')" "399 creators in the catalog"

q "ANALYZE meekah.track_creator"
run "$BLENDCAT" import --report "$W/delta.json" "$W/delta"
expect_rc 0 "two tracks' creators: exit 0"
expect_match '"track_creator": \{[^}]*"unchanged": 1, "replaced": 1, "deleted": 2' "$W/delta.json" \
	"two tracks' creators: t4's set replaced, t1's unchanged"
expect_eq 3 "$(q "SELECT count(*) FROM meekah.track_creator c JOIN meekah.track_info t ON t.id = c.track_id
	            WHERE t.audio_filename = 't4.wav'")" "two tracks' creators: t4 has three"
