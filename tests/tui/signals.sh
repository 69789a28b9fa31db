#!/usr/bin/env bash
# The terminal is given back on every way out: SIGTERM and SIGHUP end the program
# cleanly (screen state saved, status 0); a fatal signal still leaves the alternate
# screen and restores the terminal modes before the default action.
. "$(dirname "$0")/lib.bash"
copy_db
tui_start
wait_for "1/629"
keys 2
wait_for "[A 27]"
kill -TERM "$(app_pid)"
check_eq "SIGTERM exit" "$(wait_exit)" 0
check_eq "SIGTERM screen" "$(screen_after_exit | grep -c .)" 0
check_eq "state saved" "$(sql "$T/db" "SELECT count(*) FROM ui_state WHERE user = 'tester' AND key = 'tui.cursor'")" 1

tui_stop
tui_start
wait_for "27 actions · Amber"
kill -SEGV "$(app_pid)"
check_eq "SIGSEGV exit" "$(wait_exit)" 139
# the program's screen is gone (the shell's own report of the crash may show)
check_not_contains "SIGSEGV screen" "$(screen_after_exit)" "RAG Review"
check_not_contains "SIGSEGV screen" "$(screen_after_exit)" "Enter open"
: >"$T/stderr"
finish
