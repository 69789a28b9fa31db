#!/usr/bin/env bash
# ragtrack show ID: one action in full, wrapped to the terminal's width, with its notes
# and its change log (a target that slipped shows the first one); "#12" and "12" alike;
# errors for missing, malformed and out-of-lens IDs.
. "$(dirname "$0")/../lib.sh"
pg_needs set note
empty_db
EXP=$ROOT/tests/cli/expected
# IDs as in build/data.db: Megan 1-163, Julia 164-496
"$RT" --db "$DB" import --review Megan "$DATA/megan.csv" --review Julia "$DATA/julia.csv" >/dev/null || fail "import"
show() { COLUMNS=${W:-80} "$RT" --db "$DB" show "$@"; }

W=80 show 3 >"$T/3.txt" || fail "show 3: exit $?"
check_file "show 3 (no notes, no changes)" "$T/3.txt" "$EXP/show_3.txt"

"$RT" --db "$DB" --user alice note 173 "Training dates agreed with the
named nurse; first session booked." >/dev/null || fail "note"
"$RT" --db "$DB" --user alice set 173 target=30.09.2016 rag=green --reason "black alert over" >/dev/null || fail "set"
"$RT" --db "$DB" --user bob note 173 "Chased at the June board." >/dev/null || fail "second note"
"$RT" --db "$DB" --user bob set 173 evidence="Training records for Q1 attached; 96% of front line staff trained at level 3." >/dev/null || fail "set evidence"
W=80 show 173 >"$T/173.txt" || fail "show 173: exit $?"
check_file "show 173 (notes, history, slipped target)" "$T/173.txt" "$EXP/show_173.txt"
check_eq "#ID is the same action" "$(W=80 show '#173' | md5sum)" "$(md5sum <"$T/173.txt")"

# wrapped to the width, never wider
W=50 show 173 >"$T/narrow.txt"
check_eq "wrapped to 50 columns" "$([ "$(wc -L <"$T/narrow.txt")" -le 50 ] && echo yes)" "yes"
check_eq "same words at 50 columns" "$(tr -s ' \n' '  ' <"$T/narrow.txt" | md5sum)" "$(tr -s ' \n' '  ' <"$T/173.txt" | md5sum)"

check_status "no such action" 6 "$RT" --db "$DB" show 9999
check_eq "no such action message" "$(cat "$T/err")" "ragtrack: no action 9999"
check_status "not an ID" 2 "$RT" --db "$DB" show twelve
check_contains "not an ID message" "$(cat "$T/err")" "'twelve' is not an action ID"
check_status "no ID" 2 "$RT" --db "$DB" show
check_status "two IDs" 2 "$RT" --db "$DB" show 1 2
check_status "outside the agency lens" 6 "$RT" --db "$DB" --as-agency Police show 3
check_eq "lens message" "$(cat "$T/err")" "ragtrack: no action 3 for Police"
check_status "inside the agency lens" 0 "$RT" --db "$DB" --as-agency NELFT show 3
finish
