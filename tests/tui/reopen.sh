#!/usr/bin/env bash
# Reopening deep in a sorted list puts the cursor on the action it was on: the browser
# saves "cursor top id stamp" as it quits and, while the stamp holds, tells the store
# where that action is (store_place).  After an edit that moves the action the stamp
# no longer holds: the action is found again where it now is.
. "$(dirname "$0")/lib.bash"
need sqlite3
copy_db
saved() { sqlite3 "$T/db" "SELECT value FROM ui_state WHERE user = '$USER' AND key = 'tui.cursor'"; }
tui_start
wait_for "1/629"
keys s
wait_for "sorted by target"
keys NPage NPage NPage NPage NPage NPage NPage NPage NPage NPage j j j
wait_bottom "/629"
wait_gone "1/629"
screen >"$T/left"
pos=$(bottom | sed -n 's|.* \([0-9]*\)/629$|\1|p')
keys q
check_eq "exit" "$(wait_exit)" 0
state=$(saved)
read -r cursor top id stamp <<<"$state"
check_eq "the place saved: cursor, top, action, stamp" "$(wc -w <<<"$state" | tr -d ' ')" 4
check_eq "the cursor saved" "$cursor" "$((pos - 1))"
[ "$top" -gt 0 ] && [ "$id" -gt 0 ] || fail "the top and action saved: $state"
# the same screen again, the cursor on the same action
tui_start
wait_bottom "$pos/629"
wait_eq "the screen on reopening" "$(cat "$T/left")" screen
keys q
check_eq "exit after reopening" "$(wait_exit)" 0
check_eq "the same action saved again" "$(saved)" "$state"
# an edit moves the action to the top of the target-sorted list: the stamp has changed
"$RT" --db "$T/db" set "$id" target=2010-01-01 >/dev/null || fail "set target"
tui_start
wait_bottom " 1/629"
keys q
check_eq "exit after the edit" "$(wait_exit)" 0
read -r cursor top id2 stamp2 <<<"$(saved)"
check_eq "the cursor followed the action" "$cursor $id2" "0 $id"
[ -n "$stamp2" ] && [ "$stamp2" != "$stamp" ] || fail "a new stamp: $stamp2 after $stamp"
finish
