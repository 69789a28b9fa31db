#!/usr/bin/env bash
# Other editors' changes: when the browser is idle it looks at SQLite's data_version
# (at most once a second, as the input's timeout: no busy loop) and, when another
# process committed, reads the list again with the cursor kept on its action, and says
# "updated by others".  Its own edits do not count as others'.
. "$(dirname "$0")/lib.bash"
copy_db
tui_start --review Megan
wait_for "1/163"
keys j j j j
wait_for "5/163"
id=$(sql "$T/db" "SELECT id FROM action WHERE review_id = (SELECT id FROM review WHERE name = 'Megan') ORDER BY sort_key LIMIT 1 OFFSET 4")
# someone else sets the first action Red, from the command line
first=$(sql "$T/db" "SELECT id FROM action WHERE review_id = (SELECT id FROM review WHERE name = 'Megan') ORDER BY sort_key LIMIT 1")
USER=maria "$RT" --db "$T/db" set "$first" rag=red --reason "slipped" >/dev/null 2>&1 || fail "set from the CLI failed"
wait_for "updated by others"

check_contains "the chip counts the new Red" "$(screen | head -1)" " R 1 "
check_contains "the cursor stays on its action" "$(screen | tail -1)" "5/163"
# the detail pane is read again too
keys Enter
wait_for "#$id ·"
USER=maria "$RT" --db "$T/db" set "$id" lead="Named Nurse for the review" >/dev/null 2>&1
wait_for "Named Nurse for the review"
wait_for "updated by others"
keys Escape
wait_for "Enter open"
# our own edit is not "others"
keys r a
wait_for "is now Amber"
# (a few seconds of idle: the browser looks every second)
TUI_TIMEOUT=3 poll shows "updated by others" && fail "our own edit was taken for others'"
finish
