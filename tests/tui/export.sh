#!/usr/bin/env bash
# x exports the current filtered view: it proposes ragtrack-YYYY-MM-DD.csv in the
# current folder, so Enter alone writes it; the file is the export layout, the rows in
# the order on screen, the same bytes as 'ragtrack export' with the same filter.
. "$(dirname "$0")/lib.bash"
copy_db
mkdir "$T/work"
TUI_CWD=$T/work tui_start --review Megan --rag green --sort target
wait_for "1/26"
keys x
expect_screen export_prompt
keys Enter
wait_for "26 actions exported to ragtrack-2016-06-30.csv"
out=$T/work/ragtrack-2016-06-30.csv
[ -f "$out" ] || fail "no file $out"
"$RT" --db "$T/db" export --review Megan --rag green --sort target -o "$T/cli.csv" 2>/dev/null
check_file "export file" "$out" "$T/cli.csv"
head -1 "$out" >"$T/header"
check_contains "header" "$(cat "$T/header")" "RAG"
check_eq "no temporary file left" "$(ls -A "$T/work" | grep -vc '^ragtrack-2016-06-30.csv$')" 0
# another name; a folder that does not exist is an error, shown, nothing written
keys x
wait_for "Export 26 actions to: ragtrack-2016-06-30.csv"
keys C-u
type_text "no/such/dir/plan.csv"
keys Enter
wait_for "no/such/dir/plan.csv"
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
wait_for "a file name is needed"
keys Escape
finish
