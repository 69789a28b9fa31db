#!/usr/bin/env bash
# A query the server is slow to answer can be cancelled, as on a SQLite file
# (tests/tui/cancel.sh): on the test's own server, another connection (psql) holds an
# exclusive lock on the actions, so the browser's next read waits on the server; past
# 100 ms the bottom line says "Esc or Ctrl-C cancels", Esc stops the statement on the
# server, and the screen is as it was before the key (the list and the detail pane
# beside it, a wide terminal), with a message, while the lock is still held.  Once the lock is released the same connection reads again: the
# cancel left no transaction behind.
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/../pg.sh"
copy_db
pg_start
trap 'tui_kill_all; pg_stop; rm -rf "$T"' EXIT      # both files' clean-ups (each set its own)
URL=$(pg_db t_cancel)
check_status "db copy" 0 "$RT" db copy "$T/db" "$URL"

# The lock holder: psql reading statements from the test, one answer line each.
coproc LOCKER { psql -X -q -At -v ON_ERROR_STOP=1 -d t_cancel 2>&1; }
ask() {
	echo "$1" >&"${LOCKER[1]}"
	local line
	IFS= read -r -t "$TUI_TIMEOUT" line <&"${LOCKER[0]}" || { fail "psql did not answer [$1]"; return 1; }
	check_eq "psql's answer to [$1]" "$line" "$2"
}

# the browser's own connection as the server sees it: what it is doing, and waiting for
browser() { pg_q t_cancel "SELECT $1 FROM pg_stat_activity WHERE application_name = 'ragtrack'"; }

export COLS=150
tui_start --db "$URL"
wait_bottom "1/629"
keys j j
wait_bottom "3/629"
screen >"$T/before"
ask "BEGIN; LOCK TABLE ragtrack.action IN ACCESS EXCLUSIVE MODE; SELECT 'locked';" locked
# the Amber filter: its rows wait for the lock on the server
keys 2
wait_for "working... Esc or Ctrl-C cancels"
wait_eq "the browser's statement waits for the lock" "active|Lock" browser "state, wait_event_type"
keys Escape
wait_bottom "cancelled: the query took too long; the screen is as it was"
check_eq "the screen after the cancel, its message aside" "$(screen | sed '$d')" "$(sed '$d' "$T/before")"
wait_eq "the server stopped the statement, and no transaction is left open" "idle" browser state
# Ctrl-C cancels the query too, not the program; so is the next key's (the detail pane
# of the row below), and the cursor stays where it was
keys 2
wait_for "working... Esc or Ctrl-C cancels"
keys C-c
wait_bottom "cancelled: the query took too long"
exited && fail "Ctrl-C during a query quit the program"
keys j
wait_for "working... Esc or Ctrl-C cancels"
keys Escape
wait_bottom "cancelled: the query took too long"
check_eq "the screen after two cancels, its message aside" "$(screen | sed '$d')" "$(sed '$d' "$T/before")"
check_contains "the cursor where it was" "$(bottom)" "3/629"
# the lock released, the same connection reads: the Amber actions
ask "COMMIT; SELECT 'released';" released
keys 2
amber=$(pg_q t_cancel "SELECT count(*) FROM ragtrack.action WHERE rag = 2 AND withdrawn = 0")
wait_for "$amber actions · Amber"
wait_bottom "1/$amber"
first=$(pg_q t_cancel "SELECT substr(text, 1, 20) FROM ragtrack.action WHERE rag = 2 AND withdrawn = 0 ORDER BY sort_key LIMIT 1")
check_contains "the first Amber action on the screen" "$(screen | sed -n 3p)" "$first"
keys q
check_eq "exit" "$(wait_exit)" 0
finish
