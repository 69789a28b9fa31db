#!/usr/bin/env bash
# The detail pane lists an action's extra fields (columns of its plan that map to no
# field of ragtrack) after the known ones, under their headers as written; / finds a
# word of an extra field.
. "$(dirname "$0")/lib.bash"
"$RT" --db "$T/db" import "$TESTDATA/dhr-action-plan.csv" "$TESTDATA/trust-homicide-plan.csv" >/dev/null ||
	fail "import: exit $?"
tui_start
wait_for "1/5"
keys j
wait_for "2/5"
keys Enter
wait_for "#2 · dhr-action-plan"
keys End
wait_for "Scope of recommendation"
expect_screen extra_fields_detail
keys Escape
wait_for "Enter open"
keys /
wait_for "Search:"
type_text "Patient Safety Group"
keys Enter
wait_for "1/1"
keys Enter
wait_for "Monitoring arrangements"
keys End
wait_for "Quarterly report to the Patient Safety Group"
check_not_contains "only the fields that hold something" "$(screen)" "Scope of recommendation"
finish
