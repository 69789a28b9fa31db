#!/usr/bin/env bash
# What the browser writes: the export prompt refuses the database's own files and any
# SQLite database, and writes nothing under --read-only; an editor temporary file left
# by a killed browser is removed at the next start (only a dead writer's, only regular
# files: a link planted there is neither followed nor removed); TERM=dumb is refused
# with words, not a blank screen.
. "$(dirname "$0")/lib.bash"
need sqlite3
copy_db
sqlite3 "$T/other.sqlite" "CREATE TABLE t(x); INSERT INTO t VALUES (1);"
other_sum=$(sum_file "$T/other.sqlite")
# a PID that has surely exited: a finished child's
sh -c 'exit 0' & dead=$!; wait "$dead"
echo "a killed browser's text" >"$T/.ragtrack-edit.$dead-AbCdEf"
echo "a running browser's text" >"$T/.ragtrack-edit.$$-GhIjKl"
echo "not the browser's" >"$T/elsewhere.txt"
ln -s "$T/elsewhere.txt" "$T/.ragtrack-edit.$dead-LnKxyz"

tui_start
wait_for "Enter open"
[ -e "$T/.ragtrack-edit.$dead-AbCdEf" ] && fail "a dead browser's editor file was kept"
[ -e "$T/.ragtrack-edit.$$-GhIjKl" ] || fail "a running browser's editor file was removed"
[ -L "$T/.ragtrack-edit.$dead-LnKxyz" ] || fail "a planted link was removed"
check_eq "the link's target untouched" "$(cat "$T/elsewhere.txt")" "not the browser's"
before=$(sqlite3 "$T/db" "SELECT count(*) FROM action")
ln -s db-wal "$T/link.csv"
for target in db db-wal db-shm db-journal link.csv; do     # relative to the browser's folder, $T
	keys x C-u
	type_text "$target"
	keys Enter
	wait_for "$target: is this database's own file"
done
keys x C-u
type_text other.sqlite
keys Enter
wait_for "other.sqlite: is an SQLite database, which ragtrack never writes over"
# a search beyond its bounds is refused, saying so
keys /
type_text "$(for i in $(seq 33); do printf 'word%d ' "$i"; done)"
keys Enter
wait_for "search: 33 different words; at most 32"
keys q
check_eq "exit" "$(wait_exit)" 0
check_eq "the database still whole" "$(sqlite3 "$T/db" "SELECT count(*) FROM action")" "$before"
check_eq "the database sound" "$("$RT" --db "$T/db" check 2>&1 | tail -1)" "database is sound"
check_eq "the other database untouched" "$(sum_file "$T/other.sqlite")" "$other_sum"
[ -e "$T/db-journal" ] && fail "a file was written at db-journal"

# --read-only: the browser writes no file (only files named on the command line are written)
mkdir "$T/ro"
TUI_CWD=$T/ro tui_start --read-only
wait_for "Enter open"
keys x
wait_for "read-only: the browser writes no files"
keys q
check_eq "read-only exit" "$(wait_exit)" 0
check_eq "read-only: nothing written" "$(ls -A "$T/ro" | wc -l | tr -d ' ')" 0

# TERM=dumb: said, pointing at list, exit non-zero
rm -f "$T/stderr"
TUI_ENV="TERM=dumb" tui_start
check_eq "TERM=dumb exit" "$(wait_exit)" 2
check_contains "TERM=dumb message" "$(cat "$T/stderr")" \
	"the terminal (TERM=dumb) cannot show the browser: it cannot move the cursor; 'ragtrack list' prints the actions"
rm -f "$T/stderr"
finish
