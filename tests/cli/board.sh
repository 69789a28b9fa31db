#!/usr/bin/env bash
# ragtrack board: record keeps the state of every action (RAG, target, evidence present
# or not, withdrawn) with who recorded it and when; later edits and imports leave it
# alone; the database refuses edits and deletes of it; a name in use, --read-only and
# the agency lens are refused with the database unchanged; list and show read it back;
# the partnership's name comes from a setting, else the plans' Board column.
. "$(dirname "$0")/../lib.sh"
pg_needs board report set reimport
need sqlite3
data_db
cd "$T" || exit 1

check_status "record" 0 rt --user manager board record "March 2016" --date 31.03.2016
check_eq "record says what it kept" "$(cat "$T/out")" \
	"board 'March 2016' of 2016-03-31 recorded: 629 actions (R 0 · A 27 · G 76 · B 201 · unset 325)"
check_eq "one row per action" "$(q "select count(*) from board_action")" "$(q "select count(*) from action")"
check_eq "recorded with who and when" "$(q "select name, held_on, recorded_at, recorded_by from board")" \
	"March 2016|2016-03-31|$RAGTRACK_NOW|manager"
check_eq "state as it was" "$(q "select rag, target_date, target_raw, has_evidence, withdrawn from board_action where action_id = 36")" \
	"2|2016-06-01|01/06/16|1|0"
check_eq "evidence present or not" "$(q "select sum(has_evidence) from board_action")" \
	"$(q "select count(*) from action where trim(evidence) <> ''")"

# Later edits and imports do not change it.
before=$(q "select * from board_action order by action_id" | sha256sum)
rt set 36 rag=green --reason "GP audit done" >/dev/null || fail "set"
rt set 3 target=30.09.2016 >/dev/null || fail "set target"
rt import --review Megan "$DATA/megan.csv" >/dev/null 2>&1 || fail "re-import"
check_eq "snapshot unchanged by edits and imports" "$(q "select * from board_action order by action_id" | sha256sum)" "$before"
check_eq "#36 is Green now" "$(q "select rag from action where id = 36")" "3"

# The database itself refuses edits and deletes, as for the change log.
q "UPDATE board_action SET rag = 4 WHERE action_id = 36" 2>"$T/e" && fail "snapshot row updated"
check_contains "update refused" "$(cat "$T/e")" "a recorded board cannot be edited"
q "DELETE FROM board_action" 2>"$T/e" && fail "snapshot deleted"
check_contains "delete refused" "$(cat "$T/e")" "a recorded board cannot be deleted"
q "UPDATE board SET held_on = '2016-01-01'" 2>"$T/e" && fail "board updated"
q "DELETE FROM board" 2>"$T/e" && fail "board deleted"
check_eq "still there" "$(q "select count(*) from board_action")" "629"

# Refusals leave the database byte for byte as it was.
sum=$(dump_sum)
check_status "name in use (any case)" 7 rt board record "march 2016"
check_contains "name in use said" "$(cat "$T/err")" "a board called 'march 2016' is already recorded"
check_status "read-only" 8 rt --read-only board record "June 2016"
check_status "agency lens" 8 rt --as-agency Police board record "June 2016"
check_contains "agency lens said" "$(cat "$T/err")" "not allowed under --as-agency"
check_status "no name" 2 rt board record
check_status "bad date" 2 rt board record "June 2016" --date "June 2016"
check_contains "bad date said" "$(cat "$T/err")" "--date: 'June 2016' is not a date"
check_status "two names" 2 rt board record June 2016
check_contains "two names said" "$(cat "$T/err")" "unexpected argument '2016' (quote a name with spaces)"
check_status "unknown subcommand" 2 rt board erase "March 2016"
check_eq "refusals changed nothing" "$(dump_sum)" "$sum"

# A second board, today; recorded after changes dated later than its date: said.
check_status "second board" 0 rt board record "June 2016"
check_contains "second board: today" "$(cat "$T/out")" "board 'June 2016' of 2016-06-30 recorded: 629 actions (R 0 · A 26 · G 77 · B 201 · unset 325)"
check_not_contains "no later changes" "$(cat "$T/out")" "note:"
check_status "a past date with later changes" 0 rt board record "Late" --date 2016-06-01
check_contains "later changes said" "$(cat "$T/out")" \
	"note: 2 changes in the log are dated after 2016-06-01: the board holds the state now, not as at 2016-06-01"

check_status "list" 0 rt board list
check_eq "list" "$(cat "$T/out")" "BOARD       DATE        ACTIONS  RAG
March 2016  2016-03-31      629  R 0 · A 27 · G 76 · B 201 · unset 325
Late        2016-06-01      629  R 0 · A 26 · G 77 · B 201 · unset 325
June 2016   2016-06-30      629  R 0 · A 26 · G 77 · B 201 · unset 325"
check_status "list under the lens" 0 rt --as-agency Police board list
check_contains "lens counts its own actions" "$(cat "$T/out")" "March 2016  2016-03-31       55  R 0 · A 5 · G 9 · B 12 · unset 29"

check_status "show" 0 rt board show "march 2016"
check_eq "show" "$(cat "$T/out")" "Board        March 2016
Date         2016-03-31
Recorded     $RAGTRACK_NOW by manager
Actions      629
  Red        0
  Amber      27
  Green      76
  Blue       201
  unset      325
  withdrawn  0
Blue without evidence  15"
check_status "show a missing board" 6 rt board show "May 2016"
check_contains "missing board named, boards listed" "$(cat "$T/err")" "no board 'May 2016'; recorded: 'March 2016', 'Late', 'June 2016'"

# Withdrawn actions are recorded as withdrawn.
q "UPDATE action SET withdrawn = 1 WHERE id IN (5, 6)"
check_status "with withdrawn actions" 0 rt board record "July 2016" --date 2016-07-01
check_contains "withdrawn said" "$(cat "$T/out")" "; 2 withdrawn)"
check_eq "withdrawn kept" "$(q "select action_id from board_action b join board d on d.id = b.board_id
	where d.name = 'July 2016' and b.withdrawn = 1 order by action_id" | paste -sd,)" "5,6"

# The partnership's name: the plans' Board column, else none; a setting overrides it.
check_status "partnership: none" 0 rt board partnership
check_contains "partnership: none said" "$(cat "$T/out")" "no partnership's name recorded"
q "UPDATE review SET board = 'Thurrock LSCB' WHERE name IN ('Megan', 'Julia')"
check_status "partnership from the Board column" 0 rt board partnership
check_eq "partnership from the Board column" "$(cat "$T/out")" "Thurrock LSCB"
check_status "report headed with it" 0 rt report
check_eq "report's first line" "$(head -1 "$T/out")" "Thurrock LSCB"
check_status "set the partnership" 0 rt board partnership "Thurrock Local Safeguarding Children Board"
check_status "report headed with the setting" 0 rt report --format md
check_eq "md first line" "$(head -1 "$T/out")" "Thurrock Local Safeguarding Children Board"
check_status "partnership refused read-only" 8 rt --read-only board partnership "X"
check_status "clear it" 0 rt board partnership ""
check_status "cleared" 0 rt board partnership
check_eq "cleared: the Board column again" "$(cat "$T/out")" "Thurrock LSCB"
check_status "help" 0 rt board --help
check_contains "help names record" "$(cat "$T/out")" "record NAME [--date DATE]"
finish
