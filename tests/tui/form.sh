#!/usr/bin/env bash
# e opens the form for the short fields.  The target date is checked as it is typed
# ("read as 2016-09-30", or "not a date" and Enter refused); Tab moves to the lead;
# Enter saves both in one change; Esc cancels without saving.
. "$(dirname "$0")/lib.bash"
copy_db
tui_start --review Megan
wait_for "1/163"
keys j j j j
wait_for "5/163"
keys e
wait_for "Edit #3: target date and lead"
wait_for "read as 2016-03-31"
keys C-u
wait_for "no target date"
type_text "31/02/2016"
expect_screen form_invalid
keys Enter
wait_for "target: not a date"
check_eq "nothing saved" "$(sql "$T/db" "SELECT target_raw, version FROM action WHERE id = 3")" "31.03.2016|1"
keys C-u
type_text "30 Sept 2016"
wait_for "read as 2016-09-30"
keys Tab C-u
type_text "Named Nurse – Safeguarding"
expect_screen form_valid
keys Enter
wait_for "#3 saved (2 fields changed)"
check_eq "saved" "$(sql "$T/db" "SELECT target_date, target_raw, lead, version FROM action WHERE id = 3")" \
	"2016-09-30|30 Sept 2016|Named Nurse – Safeguarding|2"
check_eq "logged" "$(sql "$T/db" "SELECT field, new_value, source, user FROM change_log WHERE action_id = 3 ORDER BY id")" \
	"target|2016-09-30|tui|tester
lead|Named Nurse – Safeguarding|tui|tester"
wait_for "NELFT          2016-09-30  Named Nurse…"
# Esc cancels: nothing changes
keys e
wait_for "Edit #3"
keys C-u
type_text "2017-01-01"
keys Escape
wait_for "edit cancelled"
check_eq "after Esc" "$(sql "$T/db" "SELECT target_date, version FROM action WHERE id = 3")" "2016-09-30|2"
# no change: nothing written
keys e
wait_for "Edit #3"
keys Enter
wait_for "#3: nothing changed"
check_eq "version unchanged" "$(sql "$T/db" "SELECT version FROM action WHERE id = 3")" 2
finish
