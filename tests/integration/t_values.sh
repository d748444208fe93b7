# Every type of value reaches the catalog as the reader made it, through
# the staging (COPY's binary format) and the merge: arrays whose elements
# need quoting, numerics and dates at their bounds, the largest bigint,
# booleans, text with quotes, tabs, newlines, backslashes and non-ASCII.
. "$(dirname "$0")/lib.sh"

W=$IT_TMP/values
mkdir -p "$W/in"
cat >"$W/in/tracks.csv" <<'CSV'
audio_filename,title,artist,duration,tempo,mood,tags,release_date,popularity_score,play_count
v1.mp3,"Quote ""and"" back\slash",Ann,1,20,"happy; sad",rock,1000-01-01,0,0
v2.mp3,Title,Bob,86399,300,dreamy,"hip hop, say ""hi"", back\slash, {braces}, a b",2024-02-29,999.99,9223372036854775807
v3.mp3,Naïve café ☕,Cy,200,,,"null, NULL, ümlaut",9999-12-31,12.5,42
CSV
cat >"$W/in/creators.csv" <<'CSV'
audio_filename,creator_name,role,split_percentage
v1.mp3,A,composer,0.05
v1.mp3,B,composer,99.95
v2.mp3,C,producer,100
v3.mp3,D,composer,33.33
CSV
cat >"$W/in/instruments.csv" <<'CSV'
audio_filename,instrument_category,instrument_type,is_primary
v1.mp3,strings,guitar,yes
v2.mp3,keys,piano,no
CSV
printf 'audio_filename,section_name,start_time,end_time,description\nv1.mp3,intro,0,1,"multi\nline\twith tab \\\\N and \\\\ back"\nv2.mp3,verse,0,86399,\n' \
	>"$W/in/arrangement.csv"
cat >"$W/in/samples.csv" <<'CSV'
audio_filename,sample_pack_name,sample_description,is_cleared
v3.mp3,Pack,desc,true
v2.mp3,Pack2,,false
CSV

freshdb values
run "$BLENDCAT" import --rejects "$W/rej" "$W/in"
expect_rc 0 "values of every type: exit 0"
expect_eq 'v1.mp3|Quote "and" back\slash|1|20|{happy,sad}|{rock}|1000-01-01|0.00|0
v2.mp3|Title|86399|300|{dreamy}|{"hip hop","say \"hi\"","back\\slash","{braces}","a b"}|2024-02-29|999.99|9223372036854775807
v3.mp3|Naïve café ☕|200|||{"null",ümlaut}|9999-12-31|12.50|42' \
	"$(q "SELECT audio_filename, title, duration, tempo, mood, tags, release_date, popularity_score,
	     play_count FROM meekah.track_info ORDER BY 1")" \
	"tracks: text, integers, arrays, dates, numerics and bigints as given"
expect_eq 'hip hop|say "hi"|back\slash|{braces}|a b|5|null' \
	"$(q "SELECT t.tags[1], t.tags[2], t.tags[3], t.tags[4], t.tags[5], array_length(t.tags, 1),
	     (SELECT u.tags[1] FROM meekah.track_info u WHERE u.audio_filename = 'v3.mp3')
	     FROM meekah.track_info t WHERE t.audio_filename = 'v2.mp3'")" \
	"arrays: each element whole, quotes, backslashes, braces and the word null kept"
expect_eq 'v1.mp3|A|0.05
v1.mp3|B|99.95
v2.mp3|C|100.00
v3.mp3|D|33.33' "$(q "SELECT t.audio_filename, c.creator_name, c.split_percentage FROM meekah.track_creator c
                    JOIN meekah.track_info t ON t.id = c.track_id ORDER BY 1, 2")" \
	"creators: splits, the smallest and the whole"
expect_eq 'v1.mp3|guitar|t
v2.mp3|piano|f' "$(q "SELECT t.audio_filename, c.instrument_type, c.is_primary FROM meekah.track_instrument c
                    JOIN meekah.track_info t ON t.id = c.track_id ORDER BY 1")" \
	"instruments: booleans"
expect_eq "$(printf 'multi\nline\twith tab \\\\N and \\\\ back|0|1\n|0|86399')" \
	"$(q "SELECT coalesce(c.description, ''), c.start_time, c.end_time FROM meekah.track_arrangement c
	     JOIN meekah.track_info t ON t.id = c.track_id ORDER BY t.audio_filename")" \
	"sections: a description with a newline, a tab and backslashes; a missing one NULL"
expect_eq 'v2.mp3|Pack2|-|f
v3.mp3|Pack|desc|t' "$(q "SELECT t.audio_filename, c.sample_pack_name, coalesce(c.sample_description, '-'),
                         c.is_cleared FROM meekah.track_sample c
                         JOIN meekah.track_info t ON t.id = c.track_id ORDER BY 1")" \
	"samples: an empty description is NULL, booleans"

rm -f "$OUT" "$ERR"
