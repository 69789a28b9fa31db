#!/usr/bin/env bash
# NO_COLOR, or a terminal without colours: no colour is sent at all; the screen says
# the same in letters (RAG cells, chips with [brackets] when selected, bars of R/A/G/B),
# with reverse video for the cursor row.
. "$(dirname "$0")/lib.bash"
copy_db
no_colour() {
	local raw
	raw=$(tmux -L "$TUI_SOCK" capture-pane -p -e)
	case "$raw" in *$'\e['*3[0-7]m* | *$'\e['*4[0-7]m* | *38\;5* | *48\;5*) fail "$1: colour sent";; esac
	case "$raw" in *$'\e[7m'* | *$'\e['*\;7m*) ;; *) fail "$1: no reverse video for the cursor";; esac
}
TUI_ENV="NO_COLOR=1" tui_start
expect_screen first_screen
no_colour "NO_COLOR list"
keys 2
wait_for "[A 27]"
keys d
wait_for "By agency"
wait_for "BTUH                      AAGGGGGGGGGGGBBBBBB------------------ R 0"
wait_bottom "Enter list its actions"
no_colour "NO_COLOR dashboard"
tui_stop

# a monochrome terminal type: the same without NO_COLOR
copy_db
TUI_ENV="TERM=xterm-mono" tui_start
expect_screen first_screen
no_colour "xterm-mono"
# with colours, colour is used (so the checks above can fail)
tui_stop
tui_start
expect_screen first_screen
raw=$(tmux -L "$TUI_SOCK" capture-pane -p -e)
case "$raw" in *$'\e['*4[0-7]m*) ;; *) fail "colour terminal: no colour";; esac
finish
