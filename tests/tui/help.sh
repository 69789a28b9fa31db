#!/usr/bin/env bash
# ? shows every key, generated from the one key table (include/ragtrack/actions.def and
# src/tui/keys.c); Esc goes back where it came from.  The same table gives the man
# page's KEYS section (ragtrack tui --keys-man) and a plain list (--keys).
. "$(dirname "$0")/lib.bash"
copy_db
tui_start
wait_for "1/629"
keys ?
expect_screen help
keys PageDown
wait_for "The detail pane"
keys End
wait_for "Typing in a prompt, a form field, a picker or the editor"
wait_for "100%"
keys Escape
wait_for "Enter open"
keys Enter
wait_for "Esc back"
keys ?
wait_for "Everywhere"
keys q
wait_for "Esc back  J K next/prev"

# every action of actions.def is documented, in the man page and the plain list
man=$("$RT" tui --keys-man)
plain=$("$RT" tui --keys)
check_contains "man header" "$man" ".SH KEYS"
check_contains "man entry" "$man" ".B PgDn, Ctrl\\-F, Space"
n=0
while IFS= read -r help; do
	n=$((n + 1))
	roff=$(printf '%s' "$help" | sed 's/-/\\-/g')
	check_contains "man: $help" "$man" "$roff"
	check_contains "keys: $help" "$plain" "$help"
done < <(sed -n 's/^ACTION([A-Z_]*, *"[^"]*", *"\(.*\)")$/\1/p' "$ROOT/include/ragtrack/actions.def")
[ "$n" -ge 30 ] || fail "only $n actions read from actions.def"
# the --keys-man output needs no database
check_status "keys-man without a database" 0 "$RT" --db "$T/none.db" tui --keys-man
finish
