#!/usr/bin/env bash
# / searches the question, response, action, evidence and notes (the list narrows to
# the results, best first), matches are highlighted in the list and the detail pane;
# n/N step through the results and wrap; Esc cancels the prompt; an empty search clears.
. "$(dirname "$0")/lib.bash"
copy_db
tui_start
wait_for "1/629"
keys /
wait_for "Search:"
type_text "chronology"
keys Escape
wait_for "1/629"
check_not_contains "cancelled search" "$(screen)" "chronology"
keys /
type_text "chronology"
keys Enter
expect_screen search
# highlighted: an attribute change right before each match, none before other words
colour=$(tmux -L "$TUI_SOCK" capture-pane -p -e)
case "$colour" in *$'m'Chronology*) ;; *) fail "match not highlighted";; esac
case "$colour" in *$'m'Template*) fail "a word that does not match is highlighted";; esac
keys n
wait_for "result 2 of 7"
keys N N
wait_for "result 7 of 7 (from the end)"
keys n
wait_for "result 1 of 7 (from the top)"
keys Enter
wait_for "recorded within the child's chronology."
colour=$(tmux -L "$TUI_SOCK" capture-pane -p -e)
case "$colour" in *$'m'chronology*) ;; *) fail "match not highlighted in the detail pane";; esac
keys Escape
# the search is remembered in the prompt; clearing it shows everything again
keys /
wait_for "Search: chronology"
keys C-u Enter
wait_for " · all 629 actions "
wait_for "1/629"
keys n
wait_for "no search: / searches"
# words are searched for, never interpreted: quotes, NEAR, * and column filters
keys /
type_text 'evidence: "NEAR(* AND'
keys Enter
wait_for 'search "evidence: "NEAR(* AND"'
wait_for "0/0"
finish
