#!/usr/bin/env bash
# Edits write only what the user changed, byte for byte, in any locale: under LC_ALL=C
# and with no locale at all, changing only the target in the form leaves the lead
# ("Named Nurse – CSE lead’s team", a newline and a tab in it) as it was and logs one
# change; adding a full stop in the built-in editor keeps every other byte (non-ASCII,
# tabs, newlines).  Bidi controls show as escapes (\u202e) in the form and the editor
# while editing, as every other screen shows them.
. "$(dirname "$0")/lib.bash"
need sqlite3
LEAD=$'Named Nurse \u2013 CSE lead\u2019s team\nsecond line\twith a tab'
EVIDENCE=$'Audit \u2013 40 referrals\u2019 notes\n\tindented line\nRLO \u202eevil\u202c end'
hexof() { sql "$T/db" "SELECT hex($1) FROM action WHERE id = 3"; }
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n' | tr a-f A-F; }

# one run of the checks in the locale tui_start is given
edit_in_locale() {
	local name=$1
	copy_db
	DB=$T/db
	rt --user setup set 3 lead="$LEAD" evidence="$EVIDENCE" >/dev/null || fail "$name: setup"
	local lead_hex evidence_hex logged
	lead_hex=$(hexof lead)
	evidence_hex=$(hexof evidence)
	logged=$(sql "$T/db" "SELECT count(*) FROM change_log")
	tui_start --review Megan
	wait_for "1/163"
	keys j j j j
	wait_for "5/163"
	keys e
	wait_for "Edit #3: target date and lead"
	keys C-u
	type_text "30.09.2016"
	wait_for "read as 2016-09-30"
	keys Enter
	wait_for "#3 saved (1 field changed)"
	check_eq "$name: the lead is untouched, byte for byte" "$(hexof lead)" "$lead_hex"
	check_eq "$name: one change logged, the target" \
		"$(sql "$T/db" "SELECT group_concat(field) FROM change_log WHERE id > $logged")" "target"
	# the built-in editor: one full stop added at the end of the first line
	keys E e
	wait_for "#3 Evidence/Outcome"
	keys End
	type_text "."
	keys C-s
	wait_for "#3: evidence saved"
	check_eq "$name: the evidence is the old bytes and a full stop" "$(hexof evidence)" \
		"$(hex "${EVIDENCE/notes/notes.}")"
	check_eq "$name: (as set)" "$evidence_hex" "$(hex "$EVIDENCE")"
	check_eq "$name: the lead still untouched" "$(hexof lead)" "$lead_hex"
	keys q
	wait_exit >/dev/null
	tmux -L "$TUI_SOCK" kill-server >/dev/null 2>&1
}

TUI_LOCALE=LC_ALL=C edit_in_locale "LC_ALL=C"
TUI_LOCALE= TUI_UNSET="LANG LC_ALL LC_CTYPE LC_MESSAGES" edit_in_locale "no locale"

# bidi controls and newlines are shown as escapes while editing (UTF-8 locale)
copy_db
DB=$T/db
rt --user setup set 3 lead=$'Lead \u202eright-to-left\u202c\nnext' evidence="$EVIDENCE" >/dev/null || fail "setup"
tui_start --review Megan
wait_for "1/163"
keys j j j j
wait_for "5/163"
keys e
wait_for "Edit #3: target date and lead"
wait_for 'Lead \u202eright-to-left\u202c\nnext'
keys Escape
wait_for "edit cancelled"
keys E e
wait_for "#3 Evidence/Outcome"
wait_for 'RLO \u202eevil\u202c end'
wait_for '\tindented line'
if screen | grep -q $'\u202e'; then fail "a raw U+202E reached the screen"; fi
keys Escape
wait_gone "#3 Evidence/Outcome"
keys q
wait_exit >/dev/null
finish
