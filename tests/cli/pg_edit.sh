#!/usr/bin/env bash
# set, note and undo on PostgreSQL (the tests' own server, tests/pg.sh): the same edits
# on a file and on its db copy leave the same show, export and history; a stale
# --if-version and an edit that waits for another's row lock are refused with the same
# words as on a file; the change log's hash chain the server makes verifies with the
# file's check after db copy back; a lead's login edits its agency's actions only and
# its changes carry its login; undo goes by the login; an edit and an agency merge at
# once both go through; a connection lost as a change is being saved says it was not
# saved, and nothing was; a commit whose answer is lost is asked about again (saved:
# success; the server out of reach: it cannot say, and history shows it later).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../pg.sh"
need sqlite3
need python3     # tests/cli/pg_proxy.py
pg_start
SRC=$T/src.db
cp "$ROOT/build/data.db" "$SRC"
URL=$(pg_db t_edit)
check_status "db copy" 0 "$RT" db copy "$SRC" "$URL"
as_url() { echo "postgresql://$1@/t_edit?host=$PG_DIR"; }

# both ARGS...: the command as alice on the file and on the server (pg_same)
both() { pg_same "$*" --user alice "$@"; }
both set 3 rag=red lead='A. Smith' --reason 'board asked'
both set 4 evidence=$'audit report\t2016' target=31.05.2016
both set 5 response='The response, rewritten'
both set 7 withdrawn=yes --reason 'merged into 8'
both set 3 rag=blue
both note 5 $'line one\nline two'
both undo
both undo
both undo --change 1
both set 3 rag=Purple
both set 999999 rag=red
both set 3 rag=green --if-version 1
for id in 3 4 5 6 7; do both show "$id"; done
both history
both export
both list --changed-since 2016-01-01

# The chain the server made verifies with the file's own check, after db copy back.
check_status "check on the server" 0 "$RT" --db "$URL" check
check_contains "the server's chain" "$(cat "$T/out")" "change log chain: ok"
check_status "db copy back" 0 "$RT" db copy "$URL" "$T/back.db"
check_status "check on the copy" 0 "$RT" --db "$T/back.db" check
check_eq "the same chain on both" "$(grep 'chain' "$T/out")" "$("$RT" --db "$SRC" check | grep chain)"

# Two edits of one action at once: the second waits for the first's row lock, then
# finds the action changed and is refused.
V=$("$RT" --db "$URL" show 6 | sed -n 's/.*(version \([0-9]*\)).*/\1/p')
RAGTRACK_TEST_HOLD_COMMIT=$T/first "$RT" --db "$URL" --user alice set 6 rag=amber --if-version "$V" \
	>"$T/first.out" 2>&1 & first=$!
wait_until test -e "$T/first.held" || fail "the first edit never reached its commit"
"$RT" --db "$URL" --user bob set 6 lead=Bob --if-version "$V" >"$T/second.out" 2>&1 & second=$!
locked() { [ "$(pg_q t_edit "SELECT count(*) FROM pg_locks WHERE NOT granted")" -ge 1 ]; }
wait_until locked || fail "the second edit never waited for the first's lock"
touch "$T/first"
wait $first || fail "the first edit: $(cat "$T/first.out")"
wait $second; check_eq "the second is refused" "$?" 7
check_contains "the second's words" "$(cat "$T/second.out")" \
	"action 6 was changed by alice at 2016-06-30 12:00 UTC since you read it"

# An edit and an agency merge at once: the edit holds its action's row; the merge, which
# moves that action, waits for it (every logging writer takes the change log's lock
# before any row, so neither holds a row the other waits on), never a deadlock; both saved.
FROM="Children's Social Care/Children's Services" INTO="Children's Social Care"
B=$(pg_q t_edit "SELECT min(a.id) FROM ragtrack.action a JOIN ragtrack.agency g ON g.id = a.agency_id
	WHERE g.name = '${FROM//\'/\'\'}'")
RAGTRACK_TEST_HOLD_EDIT=$T/held_b "$RT" --db "$URL" --user bob set "$B" rag=red >"$T/b.out" 2>&1 & eb=$!
wait_until test -e "$T/held_b.held" || fail "the edit never held its row"
"$RT" --db "$URL" --user alice agency alias "$INTO" "$FROM" >"$T/a.out" 2>&1 & ea=$!
wait_until locked || fail "the merge never waited"
touch "$T/held_b"
wait $eb || fail "the edit that held its row: $(cat "$T/b.out")"
wait $ea || fail "the merge: $(cat "$T/a.out")"
check_eq "both saved" "$(pg_q t_edit "SELECT a.rag || '|' || g.name FROM ragtrack.action a JOIN ragtrack.agency g
	ON g.id = a.agency_id WHERE a.id = $B")" "1|$INTO"

# A lead's login: its agency's actions only, its login in the change log.
check_status "lead add" 0 "$RT" --db "$URL" agency lead add Police j_smith
LEAD=$(as_url j_smith)
check_status "a lead sets its agency's action" 0 "$RT" --db "$LEAD" --user john set 168 lead='J. Smith' target=30.09.2016
check_eq "the server's login on the change" "$(pg_q t_edit "SELECT DISTINCT login FROM ragtrack.change_log
	WHERE action_id = 168")" j_smith
check_status "a lead's note" 0 "$RT" --db "$LEAD" --user john note 168 "Chased the audit"
check_status "another agency's action" 6 "$RT" --db "$LEAD" --user john set 173 rag=red
check_eq "refused as on a file's lens" "$(cat "$T/err")" "ragtrack: no action 173 for Police"
check_status "another agency's note" 6 "$RT" --db "$LEAD" --user john note 173 "x"
check_eq "173 untouched" "$(pg_q t_edit "SELECT rag, version FROM ragtrack.action WHERE id = 173")" "2|1"
# undo goes by the login: the board's login, claiming the lead's name, finds nothing of its own
check_status "undo as another login" 6 "$RT" --db "$URL" --user john undo
check_contains "the other login's words" "$(cat "$T/err")" "nothing to undo: john has no change made from this account (rt)"
check_status "the lead's undo" 0 "$RT" --db "$LEAD" --user john undo
check_contains "what the lead's undo reversed" "$(cat "$T/out")" "#168: target 2016-09-30 -> none; lead J. Smith -> Head of"
check_status "the chain after the lead's edits" 0 "$RT" --db "$URL" check

# A connection lost as the change is being saved (the server ends the session at the
# commit): "not saved", and nothing is.
before=$(pg_q t_edit "SELECT rag, version FROM ragtrack.action WHERE id = 4")
logged=$(pg_q t_edit "SELECT count(*) FROM ragtrack.change_log")
RAGTRACK_TEST_HOLD_COMMIT=$T/lost "$RT" --db "$URL" --user alice set 4 rag=amber >"$T/lost.out" 2>&1 & lost=$!
wait_until test -e "$T/lost.held" || fail "the edit never reached its commit"
pg_q t_edit "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ragtrack'" >/dev/null
touch "$T/lost"
wait $lost; check_eq "a lost commit's status" "$?" 9
check_eq "what the user is told" "$(cat "$T/lost.out")" \
	"ragtrack: $PG_DIR/t_edit: the connection to the server was lost as the change was being saved: the server says it was not saved (try again)"
check_eq "nothing saved" "$(pg_q t_edit "SELECT rag, version FROM ragtrack.action WHERE id = 4")" "$before"
check_eq "nothing logged" "$(pg_q t_edit "SELECT count(*) FROM ragtrack.change_log")" "$logged"

# A commit whose answer is lost (tests/cli/pg_proxy.py between ragtrack and the server
# passes the COMMIT on, throws the server's answer away and closes the connection):
# ragtrack asks the server again on a new connection and, the change saved, succeeds;
# when the server cannot be asked, it says it cannot tell, and where to look.
# lost_answer MODE ID: the edit set ID rag=red through a proxy in MODE, its exit in RC
lost_answer() {
	local p=$T/proxy_$1 proxy
	mkdir -p "$p"
	rm -f "$T/answer" "$T/answer.held" "$T/answer.held.dropped"
	python3 "$ROOT/tests/cli/pg_proxy.py" "$p" "$PG_DIR/.s.PGSQL.5432" "$T/answer.held" "$1" & proxy=$!
	wait_until test -S "$p/.s.PGSQL.5432" || fail "the proxy never listened"
	RAGTRACK_TEST_HOLD_COMMIT=$T/answer "$RT" --db "postgresql://rt@/t_edit?host=$p" --user alice set "$2" rag=red \
		>"$T/answer.out" 2>&1 & local edit=$!
	wait_until test -e "$T/answer.held" || fail "the edit never reached its commit"
	touch "$T/answer"
	wait $edit; RC=$?
	kill $proxy 2>/dev/null; wait $proxy 2>/dev/null
	test -e "$T/answer.held.dropped" || fail "$1: the proxy never dropped the commit's answer"
}
lost_answer saved 9
check_eq "saved, though the answer was lost: success" "$RC" 0
check_eq "and it was saved" "$(pg_q t_edit "SELECT rag FROM ragtrack.action WHERE id = 9")" 1
lost_answer unknown 10
check_eq "the server out of reach after the commit: status" "$RC" 9
check_eq "what the user is told then" "$(cat "$T/answer.out")" "ragtrack: $T/proxy_unknown/t_edit: the connection to the \
server was lost as the change was being saved, and the server cannot say now whether it was: ragtrack history ID shows it \
once the server is back"
check_contains "history shows it" "$("$RT" --db "$URL" history 10)" "Red"
finish
