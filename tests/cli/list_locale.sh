#!/usr/bin/env bash
# list in any locale: with LANG and LC_ALL unset it switches to C.UTF-8 and prints what
# it prints under C.UTF-8; on a terminal without UTF-8 (TERM=vt100) the table shows
# ASCII stand-ins ("..." cuts, "*" for a bullet), never "?", and says so once on
# stderr; csv and json keep every character as it is.
. "$(dirname "$0")/../lib.sh"
data_db
no_locale=(env -u LANG -u LC_ALL -u LC_CTYPE -u LC_MESSAGES)
args=(--db "$DB" list --review Julia --question 1c)
COLUMNS=100 "$RT" "${args[@]}" >"$T/utf8" 2>"$T/utf8.err" || fail "list under C.UTF-8"
COLUMNS=100 "${no_locale[@]}" "$RT" "${args[@]}" >"$T/unset" 2>"$T/unset.err" || fail "list without a locale"
check_file "list without LANG and LC_ALL" "$T/unset" "$T/utf8"
check_eq "no note without a locale" "$(cat "$T/unset.err")" ""
check_contains "the bullet" "$(cat "$T/unset")" "◆ Traffic Light"
check_contains "a cut" "$(cat "$T/unset")" "…"

COLUMNS=100 "${no_locale[@]}" TERM=vt100 "$RT" "${args[@]}" >"$T/ascii" 2>"$T/ascii.err" || fail "list on a vt100"
check_eq "only ASCII" "$(LC_ALL=C grep -c '[^ -~]' "$T/ascii")" 0
check_eq "no ?" "$(grep -c '?' "$T/ascii")" 0
check_contains "the bullet as *" "$(cat "$T/ascii")" "* Traffic Light"
check_contains "cut with ..." "$(cat "$T/ascii")" "..."
check_eq "the rows" "$(wc -l <"$T/ascii")" "$(wc -l <"$T/utf8")"
check_eq "said once" "$(cat "$T/ascii.err")" \
	"ragtrack: this terminal shows no UTF-8: other characters are shown as ASCII stand-ins (--format csv or json keeps them)"
# nothing to stand in for: nothing said
"${no_locale[@]}" TERM=vt100 "$RT" --db "$DB" list --review Megan --agency Police >/dev/null 2>"$T/plain.err" || fail "plain list"
check_eq "no note for ASCII rows" "$(cat "$T/plain.err")" ""
# records keep the text
for format in csv json; do
	"${no_locale[@]}" TERM=vt100 "$RT" "${args[@]}" --format "$format" >"$T/records.$format" 2>"$T/records.err" || fail "$format"
	"$RT" "${args[@]}" --format "$format" >"$T/records-utf8.$format" || fail "$format under C.UTF-8"
	check_file "$format on a vt100" "$T/records.$format" "$T/records-utf8.$format"
	check_contains "$format keeps the bullet" "$(cat "$T/records.$format")" "◆ Traffic Light"
	check_eq "$format: nothing said" "$(cat "$T/records.err")" ""
done
finish
