# maintain: exactly the expired and used rows go, nothing else; --dry-run changes nothing.
. "$(dirname "$0")/lib.sh"

freshdb maint
q "INSERT INTO auth.users (id, email, password_hash) VALUES
     ('00000000-0000-0000-0000-000000000001', 'a@example.com', 'x'),
     ('00000000-0000-0000-0000-000000000002', 'b@example.com', 'x')"
q "INSERT INTO auth.sessions (user_id, token, expires_at) VALUES
     ('00000000-0000-0000-0000-000000000001', 'expired-1', NOW() - interval '1 day'),
     ('00000000-0000-0000-0000-000000000001', 'expired-2', NOW() - interval '1 second'),
     ('00000000-0000-0000-0000-000000000002', 'live-1', NOW() + interval '1 hour'),
     ('00000000-0000-0000-0000-000000000002', 'live-2', NOW() + interval '7 days')"
q "INSERT INTO auth.email_verification (user_id, token, expires_at, used_at) VALUES
     ('00000000-0000-0000-0000-000000000001', 'ev-expired', NOW() - interval '1 hour', NULL),
     ('00000000-0000-0000-0000-000000000001', 'ev-used', NOW() + interval '1 hour', NOW()),
     ('00000000-0000-0000-0000-000000000002', 'ev-live', NOW() + interval '1 hour', NULL)"
q "INSERT INTO auth.password_reset (user_id, token, expires_at, used_at) VALUES
     ('00000000-0000-0000-0000-000000000001', 'pr-expired', NOW() - interval '1 minute', NULL),
     ('00000000-0000-0000-0000-000000000002', 'pr-live', NOW() + interval '1 hour', NULL)"
"$BLENDCAT" import -q "$TOP/samples/catalog"
tracks=$(q "SELECT count(*) FROM meekah.track_info")
tokens() {
	q "SELECT string_agg(token, ' ' ORDER BY token) FROM (
	     SELECT token FROM auth.sessions UNION ALL SELECT token FROM auth.email_verification
	     UNION ALL SELECT token FROM auth.password_reset) t"
}

run "$BLENDCAT" maintain --dry-run
expect_rc 0 "maintain --dry-run: exit 0"
expect_match '^would delete 2 expired sessions' "$OUT" "--dry-run: counts the expired sessions"
expect_match '^would delete 2 expired or used email verification tokens' "$OUT" "--dry-run: counts expired and used tokens"
expect_eq "ev-expired ev-live ev-used expired-1 expired-2 live-1 live-2 pr-expired pr-live" "$(tokens)" \
	"--dry-run: deletes nothing"

run "$BLENDCAT" maintain
expect_rc 0 "maintain: exit 0"
expect_match '^deleted 2 expired sessions' "$OUT" "maintain: says what it deleted"
expect_match '^deleted 1 expired or used password reset tokens' "$OUT" "maintain: password reset tokens"
expect_match '^vacuumed 3 tables, analyzed [0-9]+' "$OUT" "maintain: vacuums and analyzes"
expect_eq "ev-live live-1 live-2 pr-live" "$(tokens)" "maintain: exactly the expired and used rows are gone"
expect_eq 2 "$(q "SELECT count(*) FROM auth.users")" "maintain: users untouched"
expect_eq "$tracks" "$(q "SELECT count(*) FROM meekah.track_info")" "maintain: the catalog untouched"
expect_eq "ok" "$(q "SELECT status FROM ingest.run WHERE command = 'maintain' ORDER BY id DESC LIMIT 1")" \
	"maintain: the run is recorded"
expect_match '"auth.sessions": 2' <(q "SELECT counts FROM ingest.run WHERE command = 'maintain' ORDER BY id DESC LIMIT 1") \
	"maintain: the counts are recorded"
q "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'track_info'" >"$IT_TMP/an.$$"
expect_match '^t$' "$IT_TMP/an.$$" "maintain: track_info analyzed"

run "$BLENDCAT" maintain -q
expect_rc 0 "maintain again: exit 0"
expect_eq "" "$(cat "$OUT")" "maintain -q: silent"

hold_lock 2
run "$BLENDCAT" maintain
expect_rc 75 "maintain while another run holds the lock: exit 75"
wait $holder

rm -f "$OUT" "$ERR" "$IT_TMP/an.$$"
