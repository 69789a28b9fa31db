#!/usr/bin/env bash
# The man page documents every command, filter and field, and its KEYS section is the
# one the browser's key table generates (make man rebuilds it).
. "$(dirname "$0")/../lib.sh"
sqlite_only "reads no database (the man page)"
MAN=$ROOT/docs/ragtrack.1
"$RT" tui --keys-man > "$T/keys.man" || fail "ragtrack tui --keys-man failed"
sed -e '/^@KEYS@$/{r '"$T/keys.man" -e 'd}' "$ROOT/docs/ragtrack.1.in" > "$T/ragtrack.1"
check_file "docs/ragtrack.1 is up to date (run make man)" "$T/ragtrack.1" "$MAN"
page=$(cat "$MAN")
for cmd in $("$RT" --help | sed -n 's/^  \([a-z]*\)  .*/\1/p'); do
	check_contains "man page has command $cmd" "$page" ".SS \"ragtrack $cmd"
done
for opt in $("$RT" list --help | sed -n 's/^  --\([a-z-]*\) .*/\1/p'); do
	check_contains "man page has --$opt" "$page" "\\-\\-${opt//-/\\-}"
done
for field in $("$RT" set --help | sed -n 's/^  \([a-z]*\)  .*/\1/p'); do
	check_contains "man page has field $field" "$page" "\\fB$field\\fR"
done
# the render check needs man: without it the checks above still count, then SKIP
if ! command -v man >/dev/null 2>&1; then
	[ "$FAILED" = 0 ] || finish
	skip "man is not installed (apt-get install man-db): the page's render check did not run"
fi
warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$MAN" 2>&1 >/dev/null)
check_eq "man page renders without warnings" "$warnings" ""
finish
