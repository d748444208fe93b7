# samples/: the catalog manifest set loads whole and exactly as written;
# the messy label sheet loads normalized, with its one bad row rejected.
. "$(dirname "$0")/lib.sh"

S=$TOP/samples
W=$IT_TMP/samples
mkdir -p "$W"

# One column of one row, NULL shown as <null>.
track_field() { q "SELECT coalesce($2::text, '<null>') FROM meekah.track_info WHERE audio_filename = '$1'"; }
# expect_track FILE COL WANT COL WANT ...: each column of the track equals WANT.
expect_track() {
	local f=$1
	shift
	while [ $# -ge 2 ]; do
		expect_eq "$2" "$(track_field "$f" "$1")" "$f: $1"
		shift 2
	done
}
# The UTF-8 bytes of an expression, in hex.
hex() { q "SELECT encode(convert_to($1, 'UTF8'), 'hex') FROM $2"; }
# The rows of a child table for one track, one line each, columns joined by |.
children() {
	local table=$1 cols=$2 order=$3 f=$4
	q "SELECT string_agg(concat_ws('|', $cols), E'\n' ORDER BY $order)
	   FROM meekah.$table c JOIN meekah.track_info t ON t.id = c.track_id
	   WHERE t.audio_filename = '$f'"
}
N='<null>'
CREATOR_COLS="creator_name, coalesce(role, '$N'), coalesce(ipi_number, '$N'), coalesce(pro, '$N'),
              coalesce(split_percentage::text, '$N'), coalesce(contact_email, '$N'), coalesce(contact_phone, '$N')"
counts() {
	q "SELECT (SELECT count(*) FROM meekah.track_info) || ' ' || (SELECT count(*) FROM meekah.track_creator)
	   || ' ' || (SELECT count(*) FROM meekah.track_instrument) || ' ' || (SELECT count(*) FROM meekah.track_arrangement)
	   || ' ' || (SELECT count(*) FROM meekah.track_sample)"
}

freshdb samples

# ---------------------------------------------------------------- catalog

run "$BLENDCAT" import --rejects "$W/rej-catalog" --report "$W/catalog.json" "$S/catalog"
expect_rc 0 "samples/catalog: exit 0 (every row loads)"
if [ -s "$W/rej-catalog/rejects.log" ]; then
	fail "samples/catalog: no rejects" "$(head -20 "$W/rej-catalog/rejects.log")"
else
	pass "samples/catalog: no rejects"
fi
expect_eq "20 34 55 62 8" "$(counts)" \
	"samples/catalog: rows in track_info, track_creator, track_instrument, track_arrangement, track_sample"
expect_eq 9 "$(q "SELECT count(*) FROM meekah.track_info t WHERE NOT EXISTS
                   (SELECT 1 FROM meekah.track_arrangement a WHERE a.track_id = t.id)")" \
	"samples/catalog: 9 tracks have no arrangement"

# Summer Vibes: the schema documentation's example rows, column by column.
SV=summer-vibes-120bpm-cmaj.mp3
expect_track $SV \
	title "Summer Vibes" \
	artist "John Producer" \
	duration 180 \
	tempo 120 \
	musical_key C \
	scale major \
	genre Electronic \
	subgenre House \
	mood "{uplifting,energetic,summer}" \
	tags "{synth,dance,party}" \
	description "Uplifting house track perfect for summer videos" \
	cover_art_url "https://cdn.example.com/covers/summer-vibes.jpg" \
	catalog_number BT-2024-001 \
	isrc USXXX2400001 \
	release_date 2024-01-15 \
	"array_length(mood, 1)" 3 \
	popularity_score 0.00 \
	play_count 0
expect_eq "intro|0|8|Ambient synth introduction
verse|8|32|Main melodic theme
chorus|32|64|Full instrumentation, energetic" \
	"$(children track_arrangement "section_name, start_time, end_time, c.description" start_time $SV)" \
	"$SV: arrangement (intro, verse, chorus)"
expect_eq "John Producer|producer|00123456789|ASCAP|50.00|john@example.com|+1-555-0100" \
	"$(children track_creator "$CREATOR_COLS" creator_name $SV)" "$SV: creator"
expect_eq "synth|analog synth|t
drums|electronic drums|f" \
	"$(children track_instrument "instrument_category, instrument_type, is_primary" "is_primary DESC" $SV)" \
	"$SV: instruments"

# Non-ASCII, byte for byte (NFC, as written): the file name too.
CZ=café-de-zoë-92bpm-gmaj.mp3
expect_track "$CZ" \
	title "Café de Zoë" \
	artist "Zoë Castellanos" \
	tempo 92 musical_key G scale major \
	tags '{"bossa nova","nylon guitar",café}' \
	isrc FRZ032400215 release_date 2024-03-22
expect_eq 636166c3a92d64652d7a6fc3ab2d393262706d2d676d616a2e6d7033 \
	"$(hex audio_filename "meekah.track_info WHERE title LIKE 'Caf%'")" "$CZ: audio_filename bytes"
expect_eq 436166c3a9206465205a6fc3ab "$(hex title "meekah.track_info WHERE audio_filename = '$CZ'")" \
	"$CZ: title bytes"
expect_eq "Rémi Dufresne|arranger|00781233445|SACEM|30.00|remi.dufresne@example.fr|$N
Zoë Castellanos|songwriter|00556621344|SACEM|70.00|zoe@castellanos.example|+33 6 12 34 56 78" \
	"$(children track_creator "$CREATOR_COLS" creator_name "$CZ")" "$CZ: creators, joined on a non-ASCII file name"
expect_eq "52c3a96d69204475667265736e65,5a6fc3ab2043617374656c6c616e6f73" \
	"$(q "SELECT string_agg(encode(convert_to(creator_name, 'UTF8'), 'hex'), ',' ORDER BY creator_name)
	      FROM meekah.track_creator c JOIN meekah.track_info t ON t.id = c.track_id
	      WHERE t.audio_filename = '$CZ'")" "$CZ: creator name bytes"

YM=yoru-no-machi-85bpm-fsharpm.wav
expect_eq e5a49ce381aee8a197 "$(hex title "meekah.track_info WHERE audio_filename = '$YM'")" "$YM: CJK title bytes"
expect_track $YM artist "Haruka Mori" musical_key F# scale minor isrc JPK012400317
expect_eq "e6a3ae20e981a5|songwriter|JASRAC|100.00" \
	"$(children track_creator "encode(convert_to(creator_name, 'UTF8'), 'hex'), role, pro, split_percentage" \
	   creator_name $YM)" "$YM: CJK creator name bytes"

expect_eq 426ac3b6726b2d697368 "$(hex artist "meekah.track_info WHERE audio_filename = 'frost-choir-72bpm-dm.flac'")" \
	"frost-choir: artist Björk-ish bytes"
expect_eq "53696772c3ba6e20c39ec3b3727364c3b374746972" \
	"$(q "SELECT encode(convert_to(creator_name, 'UTF8'), 'hex') FROM meekah.track_creator WHERE role = 'composer'
	      AND track_id = (SELECT id FROM meekah.track_info WHERE audio_filename = 'frost-choir-72bpm-dm.flac')")" \
	"frost-choir: creator Sigrún Þórsdóttir bytes"
# ọ̀ has no precomposed form: NFC keeps U+1ECD U+0300.
expect_eq 54756e6465204164c3a962c3a179e1bb8dcc80 \
	"$(hex artist "meekah.track_info WHERE audio_filename = 'lagos-nights-104bpm-bbmaj.wav'")" \
	"lagos-nights: artist with a combining mark, bytes"

# Quotes and commas inside quoted fields; a multi-line description.
expect_track midnight-drive-98bpm-am.wav \
	description 'Retro synthwave cruise: gated drums, "neon" pads, and a bassline that never lets up.' \
	tags '{retro,80s,"night drive"}'
expect_track "rain-coffee-tape-hiss-78bpm.mp3" title "Rain, Coffee & Tape Hiss" musical_key 'D#' scale major
expect_track hall-of-giants-140bpm-cm.wav \
	description 'Three-act trailer cue.
Act I: a lone cello and a distant choir.
Act II: taiko, low brass and "braams", building to a wall of sound.' \
	"position(E'\\r' IN description)" 0
expect_eq 'Kay Dee|songwriter|00915437040|BMI|50.00|kaydee@example.com|+1-555-0188
Mo Beats|producer|00447160267|BMI|50.00|mo@mobeats.example|+1-555-0199
Samuel "Slim" Ortiz|mixer|<null>|<null>|<null>|slim@ortizmix.example|<null>' \
	"$(children track_creator "$CREATOR_COLS" creator_name street-lights-142bpm-gm.mp3)" \
	"street-lights: creators (quotes in a name, empty fields are NULL)"
expect_eq 'Cymatics Trap Essentials|Hi-hat rolls and 808 one-shots|t|Royalty-free
<null>|Chopped vocal hook "yeah, uh" from an unidentified 1970s soul record|f|Clearance pending with Rhythm Archive Ltd., ref. #4471.
Do not sync or distribute until cleared.' \
	"$(children track_sample "coalesce(sample_pack_name, '$N'), sample_description, is_cleared, clearance_notes" \
	   "is_cleared DESC" street-lights-142bpm-gm.mp3)" \
	"street-lights: samples (multi-line clearance notes)"

# Empty manifest fields are NULL, not empty strings.
expect_track empty-rooms-drone.flac tempo "$N" musical_key "$N" scale "$N" duration 420
expect_track piano-study-no-3-66bpm-csharpm.mp3 \
	cover_art_url "$N" catalog_number "$N" isrc "$N" release_date "$N" musical_key 'C#' scale minor

# Again: nothing changes.
before=$(q "SELECT md5(string_agg(id::text || updated_at::text, ',' ORDER BY id)) FROM meekah.track_info")
children_before=$(q "SELECT md5(string_agg(id::text, ',' ORDER BY id)) FROM (
	SELECT id FROM meekah.track_creator UNION ALL SELECT id FROM meekah.track_instrument
	UNION ALL SELECT id FROM meekah.track_arrangement UNION ALL SELECT id FROM meekah.track_sample) x")
run "$BLENDCAT" import --rejects "$W/rej-catalog2" --report "$W/catalog2.json" "$S/catalog"
expect_rc 0 "samples/catalog again: exit 0"
expect_match '"track_info": \{"read": 20, "inserted": 0, "updated": 0, "unchanged": 20,' "$W/catalog2.json" \
	"samples/catalog again: all 20 tracks unchanged"
expect_eq "$before" "$(q "SELECT md5(string_agg(id::text || updated_at::text, ',' ORDER BY id)) FROM meekah.track_info")" \
	"samples/catalog again: no id or updated_at moved"
expect_eq "$children_before" "$(q "SELECT md5(string_agg(id::text, ',' ORDER BY id)) FROM (
	SELECT id FROM meekah.track_creator UNION ALL SELECT id FROM meekah.track_instrument
	UNION ALL SELECT id FROM meekah.track_arrangement UNION ALL SELECT id FROM meekah.track_sample) x")" \
	"samples/catalog again: child rows kept (same ids)"

# ------------------------------------------------------------ label sheet

LS=$S/label-sheet/label-tracks.csv
if head -c 3 "$LS" | od -An -tx1 | grep -q 'ef bb bf' && grep -q $'\r$' "$LS"; then
	pass "label sheet starts with a BOM and has CRLF line ends"
else
	fail "label sheet starts with a BOM and has CRLF line ends"
fi

# Without --date-order its day-first dates are refused (check: no database).
run "$BLENDCAT" check --rejects "$W/rej-iso" "$S/label-sheet"
expect_rc 1 "label sheet without --date-order: exit 1"
expect_match "label-tracks\.csv:2:release_date: '15/03/2024'" "$W/rej-iso/rejects.log" \
	"label sheet without --date-order: 15/03/2024 rejected"

run "$BLENDCAT" import --date-order dmy --rejects "$W/rej-label" --report "$W/label.json" "$S/label-sheet"
expect_rc 1 "label sheet --date-order dmy: exit 1 (loaded, with rejects)"
expect_eq 1 "$(wc -l <"$W/rej-label/rejects.log" | tr -d ' ')" "label sheet: exactly one reject"
expect_match "^[^:]*/label-tracks\.csv:10:release_date: '31/02/2024': .*(not exist|impossible|invalid)" \
	"$W/rej-label/rejects.log" "label sheet: the reject names file:line, field, value and why"
expect_eq 2 "$(wc -l <"$W/rej-label/label-tracks.csv" | tr -d ' ')" "label sheet: rejects file holds header + the bad row"
expect_match '^Broken Clock,.*,31/02/2024,LBL-005' "$W/rej-label/label-tracks.csv" \
	"label sheet: the bad row written back as read"
expect_eq "28 0" "$(q "SELECT count(*) || ' ' || count(*) FILTER (WHERE audio_filename = 'LBL-broken-clock.wav')
                      FROM meekah.track_info")" "label sheet: 8 tracks added, the bad one not"
expect_eq "34 55 62 8" "$(counts | cut -d' ' -f2-)" "label sheet: catalog children untouched"

expect_track LBL-neon-harbor.wav \
	title "Neon Harbor" artist "Kaito Fields" tempo 120 musical_key A scale minor duration 185 \
	genre Electronic mood "{chill,dreamy}" tags "$N" isrc GBLBL2400011 release_date 2024-03-15 \
	catalog_number LBL-001
expect_track LBL-paper-lanterns.wav \
	musical_key A scale minor tempo 128 duration 252 isrc GBLBL2400012 release_date 2024-02-01
expect_track LBL-low-tide.mp3 \
	musical_key 'C#' scale major tempo 93 duration 245 isrc GBLBL2400013 release_date 2024-06-07
expect_track LBL-crimson-skyline.mp3 \
	musical_key 'F#' scale minor duration 270 mood "{dark,aggressive}" isrc GBLBL2400014 release_date 2023-11-22
expect_track LBL-velvet-static.wav \
	artist "Moreau, Jules" musical_key 'A#' scale minor tempo 110 duration 213 isrc GBLBL2400015 release_date 2024-05-05
expect_track LBL-open-road.mp3 \
	musical_key E scale major duration 178 isrc "$N" release_date 2024-01-01
expect_track LBL-glass-garden.flac \
	musical_key G scale minor duration 180 isrc NOLBL2400017 release_date 2024-12-30
expect_track LBL-senorita-lluvia.mp3 \
	musical_key 'C#' scale minor tempo 95 duration 201 mood "{romantic,sensual}" isrc GBLBL2500018 \
	release_date 2025-02-14
expect_eq 5365c3b16f72697461204c6c75766961 \
	"$(hex title "meekah.track_info WHERE audio_filename = 'LBL-senorita-lluvia.mp3'")" "label sheet: Señorita Lluvia bytes"

run "$BLENDCAT" import --date-order dmy --rejects "$W/rej-label2" --report "$W/label2.json" "$S/label-sheet"
expect_rc 1 "label sheet again: exit 1 (the same reject)"
expect_match '"track_info": \{"read": 8, "inserted": 0, "updated": 0, "unchanged": 8,' "$W/label2.json" \
	"label sheet again: all 8 tracks unchanged"
