#!/usr/bin/env bash
# A query that runs long can be cancelled: past 100 ms the bottom line says "Esc or
# Ctrl-C cancels", and either key stops it (SQLite's progress handler, through the
# store's cancel callback), leaving the screen as it was before the key, with a
# message.  The query is made slow deterministically: RAGTRACK_TEST_HOLD_MATCH holds
# every full-text query until it is cancelled.
. "$(dirname "$0")/lib.bash"
copy_db
TUI_ENV=RAGTRACK_TEST_HOLD_MATCH=1 tui_start
wait_for "1/629"
keys 1
wait_for "Red"
keys 1 j j
wait_for "3/629"
keys /
wait_for "Search:"
type_text "audit"
keys Enter
wait_for "working... Esc or Ctrl-C cancels"
keys Escape
wait_for "cancelled: the query took too long; the screen is as it was"
wait_for "all 629 actions"
wait_for "3/629"
check_eq "the search is not kept" "$(sql "$T/db" "SELECT value FROM ui_state WHERE key = 'tui.filter'" | grep -c audit)" 0
# Ctrl-C cancels the query, not the program
keys /
wait_for "Search:"
type_text "audit"
keys Enter
wait_for "working... Esc or Ctrl-C cancels"
keys C-c
wait_for "cancelled: the query took too long"
wait_for "3/629"
exited && fail "Ctrl-C during a query quit the program"
# a key that is not a cancel waits for the query, and is done after it (here: the
# cancel, then j moves down on the screen as it was)
keys /
wait_for "Search:"
type_text "audit"
keys Enter
wait_for "working... Esc or Ctrl-C cancels"
keys j Escape
wait_for "4/629"
wait_for "all 629 actions"
keys q
check_eq "exit" "$(wait_exit)" 0
# a slow first screen (a search given on the command line): cancelled, the browser
# opens without the filters rather than not at all
tmux -L "$TUI_SOCK" kill-server >/dev/null 2>&1
TUI_ENV=RAGTRACK_TEST_HOLD_MATCH=1 tui_start --search audit
wait_for "working... Esc or Ctrl-C cancels"
keys Escape
wait_for "cancelled: the query took too long"
wait_for "all 629 actions"
keys q
check_eq "exit after a cancelled first screen" "$(wait_exit)" 0
finish
