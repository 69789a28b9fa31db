#!/usr/bin/env bash
# The terminal can be resized at any time: the screen is laid out again for the new
# size, down to 60x15 (columns narrower, fewer of them); below that it says how big it
# needs to be; growing back gives the same screen as before.
. "$(dirname "$0")/lib.bash"
copy_db
resize() { tmux -L "$TUI_SOCK" resize-window -x "$1" -y "$2"; }
tui_start
expect_screen first_screen
resize 60 15
expect_screen resize_60x15
keys Enter
expect_screen resize_60x15_detail
keys Escape
# the list is back before the terminal shrinks: a key still unread when the terminal is
# too small is read after the resize, where only q and Ctrl-C do anything
wait_bottom "Enter open"
resize 45 10
wait_for "ragtrack needs at least 60x15 (now 45x10)"
resize 100 30
expect_screen first_screen
# resized while a prompt is open: the prompt stays, redrawn
keys /
type_text "CSE"
resize 70 20
wait_for "Search: CSE"
keys Enter
wait_for 'search "CSE"'
resize 120 40
expect_screen resize_120x40
# a popup (the agency picker) while the terminal becomes too small: the message alone,
# no box drawn over it; big enough again, the picker is back
keys c a
wait_for "Agencies: type to narrow"
resize 45 10
wait_for "ragtrack needs at least 60x15 (now 45x10)"
check_not_contains "no picker over the message" "$(screen)" "Agencies"
check_not_contains "no box over the message" "$(screen)" "┌"
resize 100 30
wait_for "Agencies: type to narrow"
keys Escape
wait_gone "Agencies: type to narrow"
# the same for a menu and the prompt
keys r
wait_for "RAG of #"
resize 45 10
wait_for "ragtrack needs at least 60x15 (now 45x10)"
check_not_contains "no menu over the message" "$(screen)" "RAG of"
resize 100 30
wait_for "RAG of #"
keys Escape
keys /
wait_for "Search:"
resize 45 10
wait_for "ragtrack needs at least 60x15 (now 45x10)"
check_not_contains "no prompt over the message" "$(screen)" "Search:"
resize 100 30
wait_for "Search:"
keys Escape
wait_for "Enter open"
finish
