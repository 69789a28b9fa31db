#!/usr/bin/env bash
# "database is locked" never reaches users: while a long import into an existing
# database holds the write lock, set and note wait (saying so: "an import is running;
# your edit will be saved when it ends") and are then saved, and a
# second import waits its turn with a message.  Deterministic: the test hook
# RAGTRACK_TEST_HOLD_IMPORT keeps the import at its commit, holding the lock, until
# the test has seen every waiter say it is waiting; no sleeps decide anything.
. "$(dirname "$0")/../lib.sh"
sqlite_only "SQLite's write lock: edits wait for an import holding it"
need sqlite3
data_db
# a long plan in the layout of the board plans (Julia's headers, RAG words as written)
awk 'BEGIN {
	print "Questions,Agency,Actions,RAG,Target Date,Evidence/Outcome,Agency Lead Person"
	split("Green,Amber,Red,Action complete,Amber/Green", rag, ",")
	for (q = 1; q <= 400; q++)
		for (a = 1; a <= 50; a++)
			printf "%d. Does the Board know that agencies share information about CSE (%d)?,Agency %d,Audit %d referrals against the CSE pathway,%s,31.03.2017,Audit report to the Board,Designated Nurse\n", q, q, a % 7, a, rag[a % 5 + 1]
}' >"$T/big.csv"
check_eq "rows in the long plan" "$(($(wc -l <"$T/big.csv") - 1))" 20000
printf 'Questions,Agency,Actions,RAG\n1. Is the Board assured?,Police,Check referrals,Green\n' >"$T/small.csv"

says() { grep -qF "$2" "$1" 2>/dev/null; }

logged=$(q "SELECT count(*) FROM change_log")
RAGTRACK_TEST_HOLD_IMPORT=$T/release rt --user importer import --review Big "$T/big.csv" >"$T/import1.out" 2>&1 &
import1=$!
wait_until test -e "$T/release.held" || fail "the import never reached its commit"
# the import holds the write lock now: a writer without a busy handler is refused
sqlite3 "$DB" "BEGIN IMMEDIATE; ROLLBACK;" 2>"$T/locked" && fail "the lock is not held"
check_contains "the lock is held" "$(cat "$T/locked")" "database is locked"

rt --user alice set 3 rag=red >"$T/set.out" 2>"$T/set.err" &
set_pid=$!
rt --user alice note 3 "Chased the lead by phone" >"$T/note.out" 2>"$T/note.err" &
note_pid=$!
rt --user bob import --review Second "$T/small.csv" >"$T/import2.out" 2>"$T/import2.err" &
import2=$!
wait_until says "$T/set.err" "your edit will be saved when it ends" || fail "set never said it waits"
wait_until says "$T/note.err" "your edit will be saved when it ends" || fail "note never said it waits"
wait_until says "$T/import2.err" "this import starts when it ends" || fail "the second import never said it waits"
check_eq "set is still waiting" "$(kill -0 "$set_pid" 2>/dev/null && echo waiting)" waiting
check_eq "nothing of theirs written yet" "$(q "SELECT count(*) FROM change_log") $(q "SELECT count(*) FROM note")" "$logged 0"
check_contains "plain words" "$(cat "$T/set.err")" \
	"ragtrack: an import is running; your edit will be saved when it ends (Ctrl-C gives up; nothing is written then)"
check_contains "the second import's words" "$(cat "$T/import2.err")" \
	"ragtrack: another import is running; this import starts when it ends"

touch "$T/release"
wait "$import1"; check_eq "first import" "$?" 0
wait "$set_pid"; check_eq "set saved" "$?" 0
wait "$note_pid"; check_eq "note saved" "$?" 0
wait "$import2"; check_eq "second import" "$?" 0
for f in set.err note.err import2.err import1.out; do
	check_not_contains "$f: no lock error" "$(cat "$T/$f")" "locked"
done
check_eq "the long import is all there" \
	"$(q "SELECT count(*) FROM action a JOIN review r ON r.id = a.review_id WHERE r.name = 'Big'")" 20000
check_eq "the second import too" \
	"$(q "SELECT count(*) FROM action a JOIN review r ON r.id = a.review_id WHERE r.name = 'Second'")" 1
check_eq "the edit" "$(q "SELECT rag FROM action WHERE id = 3")" 1
check_eq "the note" "$(q "SELECT text FROM note WHERE action_id = 3")" "Chased the lead by phone"
check_status "sound" 0 rt check
finish
