#!/usr/bin/env bash
# Setting the RAG: r opens a menu (a letter picks), R/A/G/B in the detail pane set it
# at once; each change is saved at once in its own transaction and logged with the user
# and source tui; Blue asks for evidence when there is none and saves both together;
# u undoes the last change.  Checked in the database and its change log.
. "$(dirname "$0")/lib.bash"
copy_db
log() { sql "$T/db" "SELECT user, field, quote(old_value), quote(new_value), source FROM change_log WHERE action_id = 551 ORDER BY id"; }
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
keys R
wait_for "#551 is now Red: progress not on track"
wait_for "RAG      R Red"
wait_for " R 1 "
check_eq "rag after R" "$(sql "$T/db" "SELECT rag FROM action WHERE id = 551")" 1
keys End
wait_for "2016-06-30 tester rag: \"Green\" → \"Red\" (tui)"
wait_for "2016-06-30 tester rag: \"\" → \"Green\" (tui)"

# Blue = completed and evidenced: no evidence yet, so it is asked for
keys B
wait_for "Blue needs evidence:"
type_text "Learning cascaded at the June forum"
keys Enter
wait_for "#551 is now Blue: completed and evidenced"
check_eq "rag and evidence after B" "$(sql "$T/db" "SELECT rag, evidence FROM action WHERE id = 551")" \
	"4|Learning cascaded at the June forum"
check_eq "one batch for both" "$(sql "$T/db" "SELECT count(DISTINCT batch), count(*) FROM change_log WHERE action_id = 551 AND new_value IN ('Blue', 'Learning cascaded at the June forum')")" "1|2"
# Escape on the evidence prompt changes nothing
keys u
wait_for "undone:"
check_eq "after undo" "$(sql "$T/db" "SELECT rag, evidence FROM action WHERE id = 551")" "1|"
keys B
wait_for "Blue needs evidence:"
keys Escape
wait_for "not changed: Blue needs evidence"
check_eq "after cancelled Blue" "$(sql "$T/db" "SELECT rag FROM action WHERE id = 551")" 1
# setting what it already is says so and logs nothing
n=$(sql "$T/db" "SELECT count(*) FROM change_log")
keys R
wait_for "#551 is already Red"
check_eq "no log for no change" "$(sql "$T/db" "SELECT count(*) FROM change_log")" "$n"
keys q
wait_for "Enter open"
keys q
check_eq "exit" "$(wait_exit)" 0
finish
