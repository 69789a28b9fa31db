#!/usr/bin/env bash
# x exports the current filtered view: it proposes ragtrack-YYYY-MM-DD.csv in the
# current folder, then offers the form: Excel (BOM, CRLF, formula guard, as 'export
# --excel'; the first choice, so Enter Enter writes it) or plain CSV.  A file of the
# same name is replaced only when the user says yes.  The file holds the rows in the
# order on screen, the same bytes as 'ragtrack export' with the same filter.
. "$(dirname "$0")/lib.bash"
copy_db
mkdir "$T/work"
TUI_CWD=$T/work tui_start --review Megan --rag green --sort target
wait_for "1/26"
keys x
expect_screen export_prompt
keys Enter
wait_for "Export as"
expect_screen export_form
keys Enter
wait_for "26 actions exported to ragtrack-2016-06-30.csv (Excel form)"
out=$T/work/ragtrack-2016-06-30.csv
[ -f "$out" ] || fail "no file $out"
"$RT" --db "$T/db" export --excel --review Megan --rag green --sort target -o "$T/excel.csv" 2>/dev/null
"$RT" --db "$T/db" export --review Megan --rag green --sort target -o "$T/plain.csv" 2>/dev/null
check_file "Excel export file" "$out" "$T/excel.csv"
check_eq "Excel form: a BOM" "$(head -c 3 "$out" | od -An -tx1 | tr -d ' ')" "efbbbf"
check_eq "Excel form: CRLF" "$(head -1 "$out" | tail -c 2 | od -An -tx1 | tr -d ' ')" "0d0a"
check_eq "no temporary file left" "$(ls -A "$T/work" | grep -vc '^ragtrack-2016-06-30.csv$')" 0

# the same name again: asked, and No keeps the file as it was
sum=$(sha256sum <"$out")
keys x Enter
wait_for "Export as"
keys p
wait_for "ragtrack-2016-06-30.csv exists: replace it?"
expect_screen export_replace
keys n
wait_for "not exported: ragtrack-2016-06-30.csv kept as it was"
check_eq "No kept the file" "$(sha256sum <"$out")" "$sum"
# Esc at the question keeps it too
keys x Enter
wait_for "Export as"
keys p
wait_for "exists: replace it?"
keys Escape
wait_for "not exported: ragtrack-2016-06-30.csv kept as it was"
check_eq "Esc kept the file" "$(sha256sum <"$out")" "$sum"
# Yes replaces it, here with the plain form
keys x Enter
wait_for "Export as"
keys p
wait_for "exists: replace it?"
keys y
wait_for "26 actions exported to ragtrack-2016-06-30.csv (plain CSV)"
check_file "plain export file" "$out" "$T/plain.csv"
# Esc at the form writes nothing
keys x C-u
type_text "other.csv"
keys Enter
wait_for "Export as"
keys Escape
wait_for "not exported"
[ -e "$T/work/other.csv" ] && fail "Esc at the form wrote other.csv"

# another name; a folder that does not exist is an error, shown, nothing written
keys x
wait_for "Export 26 actions to: ragtrack-2016-06-30.csv"
keys C-u
type_text "no/such/dir/plan.csv"
keys Enter Enter
# (the prompt showed the name as it was typed: wait for the refusal itself)
wait_for "no/such/dir/plan.csv: No such file or directory"
check_eq "nothing written" "$(ls -A "$T/work" | wc -l | tr -d ' ')" 1
# Esc backs out
keys x
wait_for "Export 26 actions"
keys Escape
wait_for "Enter open"
# an empty name is refused
keys x C-u
wait_for "a file name is needed"
keys Enter
# the hint showed before Enter too: a letter typed after it lands in the prompt only if
# Enter left it open
type_text "a"
wait_for "Export 26 actions to: a"
wait_for "Enter writes it, Esc cancels"
keys Escape
wait_gone "Export 26 actions to:"
wait_bottom "Enter open"
finish
