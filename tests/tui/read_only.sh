#!/usr/bin/env bash
# --read-only: browsing, filters, search and export work; every editing key says the
# database is read-only and changes nothing; not even the screen state is written.
. "$(dirname "$0")/lib.bash"
copy_db
before=$(sql "$T/db" "SELECT group_concat(id || ':' || version || ':' || rag) FROM action; SELECT count(*) FROM change_log; SELECT count(*) FROM note; SELECT count(*) FROM ui_state")
tui_start --read-only
wait_for " · read-only · all 629 actions"
keys r
wait_for "read-only: the database was opened with --read-only, nothing can be changed"
keys 2
wait_for "[A 27]"
keys Enter
wait_for "Esc back"
for k in r e E m u; do
	keys Escape Enter
	wait_for "Esc back"
	keys "$k"
	wait_for "read-only: the database was opened with --read-only"
done
keys Escape
expect_screen read_only
keys q
check_eq "exit" "$(wait_exit)" 0
after=$(sql "$T/db" "SELECT group_concat(id || ':' || version || ':' || rag) FROM action; SELECT count(*) FROM change_log; SELECT count(*) FROM note; SELECT count(*) FROM ui_state")
check_eq "database unchanged" "$after" "$before"
finish
