#!/usr/bin/env bash
# make run on a machine with no database yet: the import of data/ shows one line, its
# summary, naming the log that holds the warnings; the browser opens on the new
# database; after q the summary line is what the terminal shows.  A second run opens
# the database without importing.
. "$(dirname "$0")/lib.bash"
command -v make >/dev/null || skip "make is not installed"
[ -x "$ROOT/ragtrack" ] || skip "$ROOT/ragtrack is not built"
# the built program and the Makefile of this checkout, never rebuilding (-o)
# The pane stays open after make (read) so the screen is read whole: tmux drops the
# top line of a pane that has ended.
run_make() {
	TUI_SERVERS=$((TUI_SERVERS + 1))
	TUI_SOCK=ragtrack-test-$$-$TUI_SERVERS
	rm -f "$T/exit"
	local cmd="cd $(printf %q "$T") && env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS LC_ALL=C.UTF-8 TERM=tmux-256color"
	cmd="$cmd USER=$(printf %q "$USER") make -s -C $(printf %q "$ROOT") -o ragtrack -o build/.deps-ok run"
	cmd="$cmd RUN_DB=$(printf %q "$T/run.db") RUN_LOG=$(printf %q "$T/run-import.log")"
	tmux -L "$TUI_SOCK" -f "$T/tmux.conf" new-session -d -x 250 -y 30 \
		"$cmd 2>>$(printf %q "$T/stderr"); echo \$? >$(printf %q "$T/exit"); read -r gate"
}
run_make
wait_for "1/629"
keys q
check_eq "exit status" "$(wait_exit)" 0
summary="$T/run.db: 5 files, 629 rows: 5 reviews, 81 questions, 30 agencies; actions 629 added, 0 updated, 0 unchanged; 311 warnings (listed in $T/run-import.log)"
check_eq "the screen after the browser" "$(screen | grep .)" "$summary"
check_eq "warning lines in the log" "$(grep -c '^data/[a-z0-9-]*\.csv:[0-9]*: ' "$T/run-import.log" | tr -d ' ')" 55   # 50 and a mapping line per file
check_eq "one mapping line per file" "$(grep -c '^data/[a-z0-9-]*\.csv:[0-9]*: columns: ' "$T/run-import.log")" 5
check_eq "the log ends with the summary" "$(tail -n 1 "$T/run-import.log")" \
	"5 files, 629 rows: 5 reviews, 81 questions, 30 agencies; actions 629 added, 0 updated, 0 unchanged; 311 warnings"
check_eq "actions" "$(sql "$T/run.db" "SELECT count(*) FROM action")" 629
# the second run: no import, nothing printed
: >"$T/run-import.log"
run_make
wait_for "1/629"
keys q
check_eq "second exit status" "$(wait_exit)" 0
check_eq "second run prints nothing" "$(screen | grep -c .)" 0
check_eq "second run does not import" "$(wc -c <"$T/run-import.log")" 0
finish
