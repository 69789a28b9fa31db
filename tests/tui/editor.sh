#!/usr/bin/env bash
# Long text: E asks which field, then opens $VISUAL/$EDITOR on it (the screen comes
# back after) or, with neither set, the built-in multi-line editor (Ctrl-S saves, Esc
# asks before discarding; lines wrap between words; Ctrl-Home and Ctrl-End go to the
# start and end of the text).  m adds a dated progress note.
. "$(dirname "$0")/lib.bash"
copy_db
printf '#!/bin/sh\nprintf "Evidence written in the editor\\nsecond line\\n" > "$1"\n' >"$T/ed.sh"
printf '#!/bin/sh\nexit 3\n' >"$T/bad.sh"
chmod +x "$T/ed.sh" "$T/bad.sh"
TUI_ENV="EDITOR=$T/ed.sh" tui_start
wait_for "1/629"
keys E
wait_for "Edit which text of #551?"
expect_screen editor_menu
keys e
wait_for "#551: evidence saved"
check_eq "evidence" "$(sql "$T/db" "SELECT evidence FROM action WHERE id = 551")" "Evidence written in the editor
second line"
check_eq "logged" "$(sql "$T/db" "SELECT field, source FROM change_log WHERE action_id = 551")" "evidence|tui"
# the editor's own failure changes nothing
tui_stop
TUI_ENV="VISUAL=$T/bad.sh EDITOR=$T/ed.sh" tui_start
wait_for "1/629"
keys E c
wait_for "the editor ($T/bad.sh) failed with status 3: nothing changed"
check_eq "constraints" "$(sql "$T/db" "SELECT constraints FROM action WHERE id = 551")" ""

# the built-in editor
tui_stop
tui_start
wait_for "1/629"
keys E d
wait_for "#551 Desired Outcome"
type_text "Every school records concerns"
keys Enter
type_text "on the same day – “no exceptions”"
expect_screen editor_builtin
keys C-s
wait_for "#551: desired saved"
check_eq "desired" "$(sql "$T/db" "SELECT desired FROM action WHERE id = 551")" "Every school records concerns
on the same day – “no exceptions”"
# Esc with changes asks first; "n" keeps editing, "y" discards
keys E d
wait_for "#551 Desired Outcome"
type_text "XYZ"
keys Escape
wait_for "Discard your changes?"
keys n
wait_gone "Discard your changes?"
wait_for "#551 Desired Outcome (modified)"
keys Escape
wait_for "Discard your changes?"
keys y
wait_for "Enter open"
check_eq "discarded" "$(sql "$T/db" "SELECT desired FROM action WHERE id = 551")" "Every school records concerns
on the same day – “no exceptions”"

# the action's long text: wrapped between words, Ctrl-End reaches its end
text=$(sql "$T/db" "SELECT text FROM action WHERE id = 551")
keys E a
wait_for "#551 Action"
wait_for "Ctrl-S or F2 saves"
rows=$(screen | sed -n 's/^│ \(.*[^ ]\) *│$/\1/p' | grep -v "Ctrl-S or F2 saves")
check_eq "wrapped between words: the rows joined are the text" "$(printf '%s\n' "$rows" | paste -sd ' ')" "$(printf '%s' "$text" | tr -s ' \n' '  ')"
[ "$(printf '%s\n' "$rows" | wc -l)" -gt 2 ] || fail "the action text did not wrap at all"
keys C-End
type_text " [end]"
keys C-Home
type_text "[start] "
wait_for "#551 Action (modified)"
keys C-s
wait_for "#551: action saved"
check_eq "Ctrl-Home and Ctrl-End" "$(sql "$T/db" "SELECT text FROM action WHERE id = 551")" "[start] $text [end]"

# a progress note from the detail pane
keys Enter End
wait_for "Notes (0)"
keys Home m
wait_for "Note for #551:"
type_text "Update 6.6.16 audit booked"
keys Enter
wait_for "note added to #551"
wait_for "Notes (1)"
wait_for "2016-06-30 tester: Update 6.6.16 audit booked"
check_eq "note" "$(sql "$T/db" "SELECT user, text FROM note WHERE action_id = 551")" "tester|Update 6.6.16 audit booked"
finish
