#!/usr/bin/env bash
# ragtrack history: the change log as an aligned table and as CSV, by action and by
# date, inside the agency lens; values cut to fit and never raw control characters.
. "$(dirname "$0")/../lib.sh"
pg_needs set undo
need sqlite3
data_db
EXP=$ROOT/tests/cli/expected

check_status "empty change log" 0 rt history
check_eq "empty change log says so" "$(cat "$T/out")" "no changes"

{
	RAGTRACK_NOW=2016-04-01T09:00:00Z rt --user bob set 400 response="Shared with us by providers, through their serious incidents"
	RAGTRACK_NOW=2016-05-01T09:30:00Z rt --user alice set 3 rag=red --reason "audit found gaps in the referrals sampled"
	RAGTRACK_NOW=2016-06-01T10:00:00Z rt --user bob set 3 target=31.12.2016 lead="Named Nurse"
	RAGTRACK_NOW=2016-06-15T16:45:00Z rt --user bob set 400 response="The CCG will commission an independent review of GP referral quality across all practices in Thurrock and report to the Board in September"
	RAGTRACK_NOW=2016-06-20T08:00:00Z rt --user alice undo
	RAGTRACK_NOW=2016-06-21T08:00:00Z rt --user "Mary-Anne Featherstonehaugh" set 12 rag=amber
} >/dev/null || fail "setting up the changes"
# A row written behind ragtrack's back, with escapes and a line break in its values
# (the control characters written into the SQL as they are: SQLite's char() is the
# server's chr()).
ESC=$'\033' BEL=$'\007' NL=$'\n'
q "INSERT INTO change_log(action_id, at, \"user\", field, old_value, new_value, source, reason, batch)
  VALUES (3, '2016-06-25T10:00:00Z', 'eve$ESC[2J', 'lead', 'line one${NL}line two',
          '$ESC]0;title$BEL', 'cli', NULL, 99)" || fail "writing the hostile row"

{
	echo '$ history'; COLUMNS=100 rt history
	echo '$ history 3'; COLUMNS=100 rt history 3
	echo '$ history #400 (80 columns)'; COLUMNS=80 rt history '#400'
	echo '$ history --since 2016-06-15'; COLUMNS=100 rt history --since 2016-06-15
	echo '$ history --format csv (the account as ACCOUNT)'; rt history --format csv | sed "s/,$(id -un)\$/,ACCOUNT/"
	echo '$ --as-agency NELFT history'; COLUMNS=100 rt --as-agency NELFT history
	echo '$ history 2'; rt history 2
} >"$T/history.txt" 2>&1
check_file "history output" "$T/history.txt" "$EXP/history.out"
check_eq "no escape character in the output" "$(tr -cd '\033\007' <"$T/history.txt" | wc -c)" 0
check_eq "a day-first date for --since" "$(COLUMNS=100 rt history --since 15.06.2016)" "$(COLUMNS=100 rt history --since 2016-06-15)"

# Lines fit the width asked for.
COLUMNS=80 rt history >"$T/narrow.txt"
check_eq "80 columns" "$(wc -L <"$T/narrow.txt")" 80
check_contains "cut values end in an ellipsis" "$(cat "$T/narrow.txt")" "…"

# CSV keeps every value whole.
check_contains "csv has the whole response" "$(rt history --format csv)" "report to the Board in September"

: >"$T/errors.txt"
for args in "history 99999" "history --since soon" "history --format xml" "history 3 4" "history --bogus" "history --since"; do
	# shellcheck disable=SC2086
	"$RT" --db "$DB" $args >"$T/out" 2>>"$T/errors.txt"
	echo "exit $?" >>"$T/errors.txt"
	check_eq "$args: stdout" "$(cat "$T/out")" ""
done
check_file "history errors" "$T/errors.txt" "$EXP/history-errors.out"
[ -n "${KEEP:-}" ] && cp "$T"/*.txt "$KEEP"/
finish
