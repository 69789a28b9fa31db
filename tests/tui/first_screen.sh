#!/usr/bin/env bash
# The first screen on the database of data/: top bar with the filter in words and the
# RAG chips, the column header, rows grouped by review and question, the key hints and
# the position; q quits with status 0 and gives the terminal back.
. "$(dirname "$0")/lib.bash"
copy_db
tui_start
expect_screen first_screen
keys j j j
wait_for "4/629"
keys q
check_eq "exit status" "$(wait_exit)" 0
check_eq "stderr" "$(cat "$T/stderr")" ""
# the terminal is given back: the alternate screen is left, so the shell's screen
# (empty here) shows again, not the program's last frame
check_eq "screen after quit" "$(screen_after_exit | grep -c .)" 0

# ragtrack with no command opens it too, and tui takes filters
tui_stop
tui_start tui --review Megan --rag green
wait_for "review Megan"
wait_for "[G 26]"
finish
