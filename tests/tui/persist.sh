#!/usr/bin/env bash
# Filters, sort and cursor persist across restarts, per database and per user; filters
# given on the command line win over the saved ones.
. "$(dirname "$0")/lib.bash"
copy_db
tui_start
wait_for "1/629"
keys 2 3
wait_for "Amber or Green"
keys s
wait_for "sorted by target"
keys j j j j j
expect_screen persist
keys q
check_eq "exit" "$(wait_exit)" 0
tui_stop
tui_start
expect_screen persist
# killed rather than quit (a closed terminal): the filter was saved when it changed
keys 4
wait_for "Amber or Green or Blue"
tui_stop
tui_start
wait_for "Amber or Green or Blue · sorted by target"
keys 4
wait_for "1/103"
# another user starts from nothing
tui_stop
USER=maria tui_start
wait_for " · all 629 actions "
wait_for "1/629"
# filters on the command line win
tui_stop
tui_start --review Julia
wait_for " · 333 actions · review Julia "
wait_for "1/333"
finish
