#!/usr/bin/env bash
# Any locale: with LANG and LC_ALL unset (the C locale, whose character set is ASCII)
# the browser switches to C.UTF-8 and shows exactly what it shows under C.UTF-8 (the
# middle dots, ellipses, dashes and bullets of the plans); on a terminal without UTF-8
# (TERM=vt100) it draws ASCII stand-ins ("...", "-", "|", "*"), never "?", says so on
# the bottom line, and an edit there keeps the characters it could not show.
. "$(dirname "$0")/lib.bash"
copy_db
no_locale="LANG LC_ALL LC_CTYPE LC_MESSAGES"

# the same screens as under C.UTF-8
for screen_of in utf8 unset; do
	case $screen_of in unset) TUI_UNSET=$no_locale;; *) TUI_UNSET=;; esac
	tui_start --review Julia --question 1c
	wait_for "1/14"
	keys j
	wait_for "2/14"
	keys k
	wait_for "1/14"
	screen >"$T/list.$screen_of"
	keys Enter
	wait_for "Esc back"
	screen >"$T/detail.$screen_of"
	keys q q
	check_eq "$screen_of: exit" "$(wait_exit)" 0
done
TUI_UNSET=
check_file "list without LANG and LC_ALL" "$T/list.unset" "$T/list.utf8"
check_file "detail without LANG and LC_ALL" "$T/detail.unset" "$T/detail.utf8"
check_contains "middle dots" "$(cat "$T/list.unset")" "db · 14 actions · review Julia"
check_contains "bullets" "$(cat "$T/list.unset")" "◆ Traffic Light"
check_contains "ellipses" "$(cat "$T/list.unset")" "…"
check_not_contains "no ? for a character" "$(cat "$T/list.unset" "$T/detail.unset")" "??"

# a terminal without UTF-8: ASCII stand-ins, said once
TUI_UNSET=$no_locale TUI_ENV="TERM=vt100" tui_start --review Julia --question 1c
wait_for "1/14"
expect_screen locale_ascii
wait_for "This terminal shows no UTF-8: other characters appear as ASCII stand-ins"
check_eq "only ASCII on the screen" "$(screen | LC_ALL=C grep -c '[^ -~]')" 0
check_contains "a bullet as *" "$(screen)" "* Traffic Light"
check_contains "cut with ..." "$(screen)" "..."
keys Enter
wait_for "#203 - Julia - question 1c - BTUH"
wait_gone "This terminal shows no UTF-8"
check_eq "only ASCII in the detail" "$(screen | LC_ALL=C grep -c '[^ -~]')" 0
keys Escape
wait_for "Enter open"
# the built-in editor on the action: the bullets it shows as "*" are kept when saved
before=$(sql "$T/db" "SELECT text FROM action WHERE id = 203")
check_contains "the action has a bullet" "$before" "◆"
keys E a
wait_for "#203 Action"
wait_for "| * Traffic Light CSE pathway"
type_text "Y"
keys C-s
wait_for "#203: action saved"
check_eq "the edited text keeps the bullets" "$(sql "$T/db" "SELECT text FROM action WHERE id = 203")" "Y$before"
keys q
check_eq "vt100: exit" "$(wait_exit)" 0
finish
