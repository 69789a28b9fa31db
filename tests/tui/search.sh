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
wait_for "result 2 of 9"
keys N N
wait_for "result 9 of 9 (from the end)"
keys n
wait_for "result 1 of 9 (from the top)"
keys Enter
wait_for "4. Multi-Agency Chronologies"
wait_bottom "Esc back"
colour=$(tmux -L "$TUI_SOCK" capture-pane -p -e)
case "$colour" in *$'m'Chronology$'\e'*) ;; *) fail "match not highlighted in the detail pane";; esac
# word forms are matches too: the plural the stem found is highlighted
case "$colour" in *$'m'Chronologies*) ;; *) fail "the word form (Chronologies) not highlighted";; esac
case "$colour" in *$'m'Template*) fail "a word that does not match is highlighted in the detail pane";; esac
keys Escape
# rows that come onto the screen later are highlighted too (each screen's rows are
# asked for as they are first drawn): the end of a long list of results
keys /
keys C-u
type_text "safeguarding"
keys Enter
wait_for "1/205"
keys G
wait_for "205/205"
# the bottom half of the screen (rows far from where the window was read)
colour=$(tmux -L "$TUI_SOCK" capture-pane -p -e -S 20 -E 38)
case "$colour" in *$'m'[Ss]afeguarding$'\e'*) ;; *) fail "a match at the end of the results is not highlighted";; esac
keys /
keys C-u
type_text "chronology"
keys Enter
wait_for "1/9"
# the search is remembered in the prompt; clearing it shows everything again
keys /
wait_for "Search: chronology"
keys C-u Enter
wait_for " · all 629 actions "
wait_for "1/629"
keys n
wait_for "no search: / searches"
# a prefix: miss* finds and highlights the words it starts
keys /
type_text "miss*"
keys Enter
wait_for 'search "miss*"'
keys Enter
wait_for "Esc back"
colour=$(tmux -L "$TUI_SOCK" capture-pane -p -e -S 0 -E -1)
keys End
wait_for "Recent changes"
colour="$colour$(tmux -L "$TUI_SOCK" capture-pane -p -e)"
case "$colour" in *$'m'[Mm]iss[a-z]*$'\e'*) ;; *) fail "miss* highlighted no word starting with miss";; esac
keys Escape
keys /
keys C-u Enter
wait_for " · all 629 actions "
# words are searched for, never interpreted: quotes, NEAR, * and column filters
keys /
type_text 'evidence: "NEAR(* AND'
keys Enter
wait_for 'search "evidence: "NEAR(* AND"'
wait_for "0/0"
finish
