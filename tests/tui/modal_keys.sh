#!/usr/bin/env bash
# One set of keys cancels every modal loop, from the one key table: Esc, Ctrl-C and
# Ctrl-G close the prompt, a menu, a picker, the form and the built-in editor without a
# change, and q does too in menus, the one place a typed q is not text (in a picker or a
# field it is typed).  ? and --keys list those keys under each of them.
. "$(dirname "$0")/lib.bash"
copy_db
log_rows() { sql "$T/db" "SELECT count(*) FROM change_log"; }
before=$(log_rows)
tui_start
wait_for "1/629"

# the prompt on the bottom line: each cancel key closes it, the search is not run
for k in Escape C-c C-g; do
	keys /
	wait_for "Search:"
	type_text "audit"
	keys "$k"
	wait_gone "Search:"
	wait_for "1/629"
	exited && fail "$k in the prompt quit the program"
done

# menus (the RAG menu, the text to edit): q as well
for k in Escape C-c C-g q; do
	keys r
	wait_for "RAG of #551"
	keys "$k"
	wait_gone "RAG of #551"
	keys E
	wait_for "Edit which text of #551?"
	keys "$k"
	wait_gone "Edit which text of #551?"
	exited && fail "$k in a menu quit the program"
done
wait_for "1/629"

# the pickers: q is typed (it narrows the list), then each cancel key closes it
for k in Escape C-c C-g; do
	keys a
	wait_for "Agencies: type to narrow"
	type_text "q"
	wait_for "> q"
	keys "$k"
	wait_gone "Agencies: type to narrow"
	keys v
	wait_for "Review: type to narrow"
	keys "$k"
	wait_gone "Review: type to narrow"
	exited && fail "$k in a picker quit the program"
done
wait_for "all 629 actions"

# the form: q is typed into the field, then each cancel key closes it unsaved
for k in Escape C-c C-g; do
	keys e
	wait_for "Edit #551: target date and lead"
	keys Tab
	type_text "q"
	keys "$k"
	wait_for "edit cancelled"
	wait_gone "Edit #551"
	exited && fail "$k in the form quit the program"
done

# the built-in editor: an untouched text closes at once; a changed one asks first, and
# a cancel key in that question (q among them) keeps the text being edited
for k in Escape C-c C-g; do
	keys E d
	wait_for "#551 Desired Outcome"
	keys "$k"
	wait_gone "#551 Desired Outcome"
	keys E d
	wait_for "#551 Desired Outcome"
	type_text "kept until asked"
	keys "$k"
	wait_for "Discard your changes?"
	keys q
	wait_gone "Discard your changes?"
	wait_for "kept until asked"
	keys "$k"
	wait_for "Discard your changes?"
	keys y
	wait_gone "#551 Desired Outcome"
	exited && fail "$k in the editor quit the program"
done

check_eq "nothing was changed" "$(log_rows)" "$before"
check_eq "the desired outcome is as it was" "$(sql "$T/db" "SELECT count(*) FROM action WHERE desired LIKE '%kept until asked%'")" 0

# ? lists them: the cancel keys under each modal heading
keys ?
wait_for "Everywhere"
keys End
wait_for "Typing in a prompt, a form field, a picker or the editor"
wait_for "While the browser waits"
wait_for "  Esc, Ctrl-C, Ctrl-G"
keys q
wait_for "1/629"

# a terminal too small under a prompt: a cancel key gives the prompt up; under the list
# q quits, as it does in the list
resize() { tmux -L "$TUI_SOCK" resize-window -x "$1" -y "$2"; }
keys /
wait_for "Search:"
resize 45 10
wait_for "ragtrack needs at least 60x15 (now 45x10)"
keys C-g
resize 100 30
wait_for "1/629"
not_shows "Search:" || fail "Ctrl-G while too small left the prompt open"
resize 45 10
wait_for "ragtrack needs at least 60x15 (now 45x10)"
keys q
check_eq "exit" "$(wait_exit)" 0

plain=$("$RT" tui --keys)
for scope in "Menus (" "The prompt on the bottom line" "The edit form" "The agency and review pickers" \
             "The built-in editor" "While the browser waits"; do
	section=$(printf '%s\n' "$plain" | sed -n "/^$scope/,/^\$/p")
	[ -n "$section" ] || fail "--keys has no section '$scope'"
	check_contains "$scope: the cancel keys" "$section" "Esc, Ctrl-C, Ctrl-G"
done
menus=$(printf '%s\n' "$plain" | sed -n '/^Menus (/,/^$/p')
check_contains "menus: q cancels too" "$menus" "Esc, Ctrl-C, Ctrl-G, q"
man=$("$RT" tui --keys-man)
check_contains "the man page lists them" "$man" ".B Esc, Ctrl\\-C, Ctrl\\-G, q"
finish
