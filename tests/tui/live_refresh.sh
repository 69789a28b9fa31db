#!/usr/bin/env bash
# Live refresh on a SQLite file: another writer's committed change reaches an open
# browser by itself (the browser asks the file at most once a second, keys or none),
# which reads the list, counts and detail pane again, keeps the cursor on its action
# (on the row that took its place when it left the list), and says "updated by others"
# on the bottom line.  Writers: the command line (set, note), and a second browser in a
# terminal of its own.  A prompt left open is not disturbed: the refresh comes when it
# closes.  Wide terminals, so the detail pane beside the list names the cursor's action.
. "$(dirname "$0")/lib.bash"
copy_db
export COLS=150 ROWS=60
AMBER=$(sql "$T/db" "SELECT group_concat(id, ' ') FROM (SELECT a.id FROM action a JOIN review r ON r.id = a.review_id
	WHERE r.name = 'Megan' AND a.rag = 2 AND a.withdrawn = 0 ORDER BY a.sort_key)")
read -r -a ids <<<"$AMBER"
[ "${#ids[@]}" = 16 ] || { fail "Megan's review has ${#ids[@]} Amber actions, not 16"; finish; }
cli() { USER=maria "$RT" --db "$T/db" "$@" >/dev/null 2>"$T/cli.err" || fail "ragtrack $*: $(cat "$T/cli.err")"; }

tui_start --review Megan --rag amber
wait_bottom "1/16"
keys j j j
wait_bottom "4/16"
wait_for "#${ids[3]} ·"

# ---- the command line changes the file ---------------------------------------------------
# an action above the cursor leaves the list: the cursor stays on its action
cli set "${ids[0]}" rag=green --reason "on track now"
wait_bottom "updated by others"
check_contains "the cursor follows its action up the list" "$(bottom)" "3/15"
check_contains "the detail pane is still the cursor's action" "$(screen)" "#${ids[3]} ·"
check_contains "the count is read again" "$(screen | head -1)" "15 actions"
# a note on the cursor's action appears in the detail pane
keys j k
wait_bottom "3/15"
wait_gone "updated by others"
check_contains "no notes yet" "$(screen)" "Notes (0)"
cli note "${ids[3]}" "Audit of referrals booked for July"
wait_for "Audit of referrals booked for July"
check_contains "the notes counted" "$(screen)" "Notes (1)"
wait_bottom "updated by others"
check_contains "still on its action" "$(bottom)" "3/15"
# the cursor's own action leaves the list: the row that took its place has the cursor
cli set "${ids[3]}" rag=green --reason "on track now"
wait_bottom "3/14"
wait_for "#${ids[4]} ·"
check_contains "said" "$(bottom)" "updated by others"

# ---- a prompt left open is not disturbed ---------------------------------------------------
keys /
wait_bottom "Search:"
type_text "referral"
wait_bottom "Search: referral"
cli set "${ids[3]}" rag=amber --reason "slipped again"
# the change is in the file; the browser holds it back while the prompt is open (it
# would show within a second otherwise: it has done so above)
TUI_TIMEOUT=3 poll bottom_shows "updated by others" && fail "the refresh broke into the open prompt"
check_contains "the prompt keeps its text" "$(bottom)" "Search: referral"
check_contains "the list behind it is as it was" "$(screen | head -1)" "14 actions"
keys Escape
wait_bottom "updated by others"
check_contains "after the prompt, the change" "$(screen | head -1)" "15 actions"
check_contains "the cursor still on its action, one row down" "$(bottom)" "4/15"
wait_for "#${ids[4]} ·"
keys k j
wait_bottom "4/15"
wait_gone "updated by others"

# ---- two browsers: one edits, the other shows it -------------------------------------------
A_SOCK=$TUI_SOCK
mv "$T/pid" "$T/pid.a"              # lib.bash watches one program: this one is left running
tui_start --review Megan --rag amber
B_SOCK=$TUI_SOCK
wait_bottom "1/15"
check_contains "the second browser starts on the first Amber action" "$(screen)" "#${ids[1]} ·"
keys r g                            # the second browser sets its first action Green
wait_bottom "is now Green"
TUI_SOCK=$A_SOCK
wait_bottom "updated by others"
check_contains "the first browser shows the second's edit" "$(screen | head -1)" "14 actions"
check_contains "its cursor stayed on its action" "$(bottom)" "3/14"
wait_for "#${ids[4]} ·"
TUI_SOCK=$B_SOCK
TUI_TIMEOUT=2 poll bottom_shows "updated by others" && fail "a browser's own edit was taken for others'"
TUI_SOCK=$A_SOCK
keys j
wait_bottom "4/14"
wait_gone "updated by others"
# and back: the first browser edits, the second shows it
keys r g
wait_bottom "is now Green"
TUI_SOCK=$B_SOCK
wait_bottom "updated by others"
check_contains "the second browser shows the first's edit" "$(screen | head -1)" "13 actions"
check_eq "one mark, not two" "$(bottom | grep -o 'updated by others' | wc -l)" 1

tui_stop
TUI_SOCK=$A_SOCK
mv "$T/pid.a" "$T/pid"
tui_stop
finish
