#!/usr/bin/env bash
# The browser never shows "database is locked": an edit made while an import holds the
# write lock says in a box that it waits and will be saved when the import
# ends, Esc stops waiting (nothing saved, and it says so), and an edit left waiting is
# saved once the import commits; a key typed while it waits is not lost.  The test hook RAGTRACK_TEST_HOLD_IMPORT holds the
# import at its commit until the test releases it.
. "$(dirname "$0")/lib.bash"
need sqlite3
copy_db
DB=$T/db
awk 'BEGIN {
	print "Questions,Agency,Actions,RAG,Target Date"
	for (q = 1; q <= 100; q++)
		for (a = 1; a <= 20; a++)
			printf "%d. Does the Board know?,Agency %d,Audit referrals %d,Amber,31.03.2017\n", q, a % 5, a
}' >"$T/plan.csv"
held() { [ -e "$T/release.held" ]; }
logged=$(sql "$DB" "SELECT count(*) FROM change_log")
tui_start
wait_for "1/629"
RAGTRACK_TEST_HOLD_IMPORT=$T/release "$RT" --db "$DB" import --review Held "$T/plan.csv" >"$T/import.out" 2>&1 &
import=$!
poll held || fail "the import never reached its commit"

keys r g
wait_for "Waiting for the database"
wait_for "an import is running"
wait_for "your edit will be saved when it ends"
wait_for "Esc stops waiting (the edit is then not saved)"
keys Escape
wait_for "not saved: you stopped waiting for the database"
check_eq "nothing saved" "$(sql "$DB" "SELECT rag FROM action WHERE id = 551") $(sql "$DB" "SELECT count(*) FROM change_log")" "0 $logged"

keys r g
wait_for "your edit will be saved when it ends"
keys j      # typed while the edit waits: kept, and handled once the edit is saved
touch "$T/release"
wait_for "2/2629"   # (the saved message gave way to that key's redraw)
check_eq "saved after the import" "$(sql "$DB" "SELECT rag FROM action WHERE id = 551")" 3
wait "$import"
check_eq "the import" "$?" 0
check_eq "imported" "$(sql "$DB" "SELECT count(*) FROM action a JOIN review r ON r.id = a.review_id WHERE r.name = 'Held'")" 2000
keys q
wait_exit >/dev/null
finish
