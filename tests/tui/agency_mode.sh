#!/usr/bin/env bash
# --as-agency NAME: an agency lead's view.  Only that agency's actions show (the chips,
# the pickers and the dashboard count only them); edits to its own actions work, and
# an edit to another agency's action is refused by the store, not just hidden.
. "$(dirname "$0")/lib.bash"
copy_db
# no automatic re-read (RAGTRACK_REFRESH=0): the move behind its back below must meet
# the store's refusal, not a refreshed screen
TUI_ENV=RAGTRACK_REFRESH=0 tui_start --as-agency police
expect_screen agency_mode
keys a
wait_for "Agencies: type to narrow"
wait_for "[ ] Police"
check_not_contains "other agencies in the picker" "$(screen)" "NELFT"
keys Escape
keys d
wait_for "By agency"
wait_bottom "Enter list its actions"
check_eq "dashboard agencies" "$(screen | grep -cE ' R +[0-9]+  A +[0-9]+')" "$(( 1 + $(sql "$T/db" "SELECT count(DISTINCT review_id) FROM action WHERE agency_id = (SELECT id FROM agency WHERE name = 'Police')") ))"
keys Escape
# its own action: saved and logged
id=$(sql "$T/db" "SELECT a.id FROM action a WHERE agency_id = (SELECT id FROM agency WHERE name = 'Police') ORDER BY sort_key LIMIT 1")
keys Enter
wait_for "#$id ·"
keys r a
wait_for "#$id is now Amber"
check_eq "own action saved" "$(sql "$T/db" "SELECT rag FROM action WHERE id = $id")" 2
# the action is moved to another agency behind the TUI's back (no version change):
# the store refuses the edit, whatever the screen shows
sql "$T/db" "UPDATE action SET agency_id = (SELECT id FROM agency WHERE name = 'NELFT') WHERE id = $id"
keys r g
wait_for "no action $id for Police"
check_eq "refused" "$(sql "$T/db" "SELECT rag FROM action WHERE id = $id")" 2
keys q q
check_eq "exit" "$(wait_exit)" 0
# the lens keeps its own saved state, apart from the full view's
check_eq "state keys" "$(sql "$T/db" "SELECT key FROM ui_state WHERE user = 'tester' ORDER BY key")" \
	"tui.cursor@Police
tui.filter@Police"
# an unknown agency is an error before the screen opens
tui_stop
check_status "unknown agency" 6 "$RT" --db "$T/db" --as-agency Polce
check_contains "message" "$(cat "$T/err")" "no agency 'Polce'"
finish
