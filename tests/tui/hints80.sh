#!/usr/bin/env bash
# At 80 columns (and down to the 60 the browser needs) the bottom line still shows how
# to get help and how to leave: "? help" and "q quit" in the list, "Esc back" and
# "? help" in the detail pane and the dashboard; the other hints make room, in order.
. "$(dirname "$0")/lib.bash"
copy_db
for cols in 80 60; do
	COLS=$cols ROWS=24 tui_start
	wait_for "1/629"
	check_contains "$cols columns, list: help" "$(bottom)" "? help"
	check_contains "$cols columns, list: quit" "$(bottom)" "q quit"
	check_contains "$cols columns, list: the first hint kept" "$(bottom)" "Enter open"
	keys Enter
	wait_for "#551 ·"
	wait_bottom "Esc back"
	check_contains "$cols columns, detail: back" "$(bottom)" "Esc back"
	check_contains "$cols columns, detail: help" "$(bottom)" "? help"
	keys d
	wait_for "By agency"
	wait_bottom "Enter list"
	check_contains "$cols columns, dashboard: help" "$(bottom)" "? help"
	check_contains "$cols columns, dashboard: back" "$(bottom)" "Esc back"
	keys q q q
	check_eq "exit at $cols columns" "$(wait_exit)" 0
	tmux -L "$TUI_SOCK" kill-server >/dev/null 2>&1
done
COLS=80 ROWS=24 tui_start
wait_for "1/629"
expect_screen hints80
finish
