#!/usr/bin/env bash
# Setting the RAG: r opens a menu and the letter picks, in the list and in the detail
# pane alike (the capitals are not RAG keys: G is End everywhere); each change is saved
# at once in its own transaction and logged with the user and source tui.  Blue asks
# for the evidence, prefilled with what is there, then an optional reason, and saves
# them together; Esc at either changes nothing.  u undoes the last change.  Checked in
# the database and its change log.
. "$(dirname "$0")/lib.bash"
copy_db
"$RT" --db "$T/db" --user tester set 551 evidence="Cascade planned for the June forum" >/dev/null
log() { sql "$T/db" "SELECT user, field, quote(old_value), quote(new_value), source FROM change_log WHERE action_id = 551 AND source = 'tui' ORDER BY id"; }
tui_start
wait_for "1/629"
keys r
expect_screen rag_menu
keys g
wait_for "#551 is now Green: on track"
wait_for " G 77 "
check_eq "rag after r g" "$(sql "$T/db" "SELECT rag FROM action WHERE id = 551")" 3
check_eq "log after r g" "$(log)" "tester|rag|''|'Green'|tui"

keys Enter
wait_for "#551 · Child L · question 1 · Education"
wait_for "RAG      G Green"
# the capitals change nothing in the detail pane: G goes to the end
for k in R A B; do keys "$k"; done
keys G
wait_for "Recent changes, newest first"
check_eq "R A B G changed nothing" "$(sql "$T/db" "SELECT rag FROM action WHERE id = 551")" 3
keys g
wait_for "RAG      G Green"
keys r
wait_for "RAG of #551"
keys r
wait_for "#551 is now Red: progress not on track"
wait_for "RAG      R Red"
wait_for " R 1 "
check_eq "rag after r r" "$(sql "$T/db" "SELECT rag FROM action WHERE id = 551")" 1
keys End
wait_for "2016-06-30 tester rag: \"Green\" → \"Red\" (tui)"
wait_for "2016-06-30 tester rag: \"\" → \"Green\" (tui)"

# Blue = completed and evidenced: the evidence is asked for, with what is there
keys r b
wait_for "Evidence for Blue on #551: Cascade planned for the June forum"
expect_screen rag_blue_evidence
# it cannot be left empty
keys C-u Enter
wait_for "Blue needs evidence"
type_text "Learning cascaded at the June forum"
keys Enter
wait_for "Reason (optional, Enter for none):"
type_text "signed off by the board"
keys Enter
wait_for "#551 is now Blue: completed and evidenced"
check_eq "rag and evidence after r b" "$(sql "$T/db" "SELECT rag, evidence FROM action WHERE id = 551")" \
	"4|Learning cascaded at the June forum"
check_eq "one batch for both, with the reason" "$(sql "$T/db" "SELECT count(DISTINCT batch), count(*), min(reason) FROM change_log WHERE action_id = 551 AND new_value IN ('Blue', 'Learning cascaded at the June forum')")" "1|2|signed off by the board"
keys u
wait_for "undone:"
check_eq "after undo" "$(sql "$T/db" "SELECT rag, evidence FROM action WHERE id = 551")" "1|Cascade planned for the June forum"
# the evidence kept as it was, no reason: Enter twice
keys r b
wait_for "Evidence for Blue on #551: Cascade planned"
keys Enter
wait_for "Reason (optional"
keys Enter
wait_for "#551 is now Blue"
check_eq "Blue on the evidence there" "$(sql "$T/db" "SELECT rag, evidence FROM action WHERE id = 551")" "4|Cascade planned for the June forum"
check_eq "no reason logged" "$(sql "$T/db" "SELECT quote(reason) FROM change_log WHERE action_id = 551 ORDER BY id DESC LIMIT 1")" "NULL"
keys u
wait_for "undone:"
# Escape on the evidence prompt, or on the reason, changes nothing
keys r b
wait_for "Evidence for Blue on #551:"
keys Escape
wait_for "not changed: Blue was cancelled"
keys r b
wait_for "Evidence for Blue on #551:"
keys Enter
wait_for "Reason (optional"
keys Escape
wait_for "not changed: Blue was cancelled"
check_eq "after cancelled Blue" "$(sql "$T/db" "SELECT rag FROM action WHERE id = 551")" 1
# setting what it already is says so and logs nothing
n=$(sql "$T/db" "SELECT count(*) FROM change_log")
keys r r
wait_for "#551 is already Red"
check_eq "no log for no change" "$(sql "$T/db" "SELECT count(*) FROM change_log")" "$n"
keys q
wait_for "Enter open"
keys q
check_eq "exit" "$(wait_exit)" 0
finish
