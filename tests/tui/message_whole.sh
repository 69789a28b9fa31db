#!/usr/bin/env bash
# The bottom line shows a message whole when the terminal is wide enough, however long
# (here an export's refusal naming a 540-byte path: the message is longer than any
# fixed buffer the browser once kept), and cuts it with "…" only where the line ends.
. "$(dirname "$0")/lib.bash"
copy_db
DIR=$(printf 'd%.0s' $(seq 260))$(printf 'é%.0s' $(seq 130))     # 520 bytes, 390 columns
PATH_TYPED="missing/$DIR/out.csv"

# export_to PATH: x, the path, Enter at the file name and at the form
export_to() {
	keys x C-u
	type_text "$1"
	keys Enter
	wait_for "Export as"
	keys Enter
}

COLS=500 ROWS=20 tui_start --review Megan
wait_for "1/163"
export_to "$PATH_TYPED"
wait_for "é/out.csv: No such file or directory"
wait_for "missing/dddd"
check_eq "the refusal on one line, whole" "$(screen | grep -c 'missing/d.*é/out.csv: No such file or directory')" 1

# a narrow terminal: the same message cut to the line, ending in "…" before the position
tui_stop
tui_start --review Megan
wait_for "1/163"
export_to "$PATH_TYPED"
# (the prompt showed "missing/dddd" too, as it was typed: wait for the cut message)
cut_message() { case "$(bottom)" in "missing/d"*"d… "*"1/163") ;; *) return 1 ;; esac; }
poll cut_message || fail "narrow: the message is not cut with an ellipsis at the line's end: [$(bottom)]"
finish
