#!/usr/bin/env bash
# Another program changes an action after the screen showed it: an edit from the
# screen is refused with a clear message (no silent overwrite), the screen reloads the
# action, and the edit works once it has been seen.
. "$(dirname "$0")/lib.bash"
copy_db
# the automatic re-read is off here (RAGTRACK_REFRESH=0): this is about edits against a
# screen that has not seen the change yet (refresh.sh tests the re-read)
TUI_ENV=RAGTRACK_REFRESH=0 tui_start --review Megan
wait_for "1/163"
keys j j j j Enter
wait_for "#3 · Megan · question 1 · NELFT"
wait_for "RAG      G Green"
# someone else, meanwhile
USER=maria "$RT" --db "$T/db" set 3 rag=red --reason "missed the audit" >/dev/null 2>&1 || fail "set from the CLI failed"
check_eq "the screen is not changed by itself" "$(screen | grep -c 'RAG      G Green')" 1
keys r a
wait_for "action 3 was changed by maria at 2016-06-30 12:00 UTC since you read it: reloaded"
wait_for "RAG      R Red"
check_eq "not overwritten" "$(sql "$T/db" "SELECT rag, version FROM action WHERE id = 3")" "1|2"
keys r a
wait_for "#3 is now Amber"
check_eq "after seeing it" "$(sql "$T/db" "SELECT rag, version FROM action WHERE id = 3")" "2|3"
# the same from the list, and from the form
keys Escape
wait_for "Enter open"
USER=maria "$RT" --db "$T/db" set 3 lead="Named Nurse" >/dev/null 2>&1
keys r a
wait_for "action 3 was changed by maria"
check_eq "list: not overwritten" "$(sql "$T/db" "SELECT rag, lead FROM action WHERE id = 3")" "2|Named Nurse"
USER=maria "$RT" --db "$T/db" set 3 lead="Designated Nurse" >/dev/null 2>&1
keys e
wait_for "#3 was changed by someone else since it was shown: reloaded"
wait_gone "Edit #3"
check_eq "form: not overwritten" "$(sql "$T/db" "SELECT lead FROM action WHERE id = 3")" "Designated Nurse"
keys e
wait_for "Edit #3"
keys Tab C-u
type_text "J Smith"
keys Enter
wait_for "#3 saved (1 field changed)"
check_eq "form saved" "$(sql "$T/db" "SELECT lead FROM action WHERE id = 3")" "J Smith"
finish
