#!/usr/bin/env bash
# ragtrack report over edits: changes and notes from --since up to today appear grouped
# by action (older and later ones do not); a target moved past the first one is listed
# as slipped; stale actions follow --stale-days and leave Blue out; lists stop at 50
# rows with "and N more" unless --all.
. "$(dirname "$0")/../lib.sh"
pg_needs report set note
need sqlite3
data_db
cd "$T" || exit 1

# In the PostgreSQL leg every edit is made on the server database and on the file it
# was copied from ($T/db) alike, and each paper is then byte for byte the same on both.
DBS=("$DB")
[ "$ENGINE" = pg ] && DBS+=("$T/db")
edit() { # edit WHEN ID FIELD VALUE [REASON]: ragtrack set at a fixed time
	local d
	for d in "${DBS[@]}"; do
		RAGTRACK_NOW=$1 "$RT" --db "$d" set "$2" "$3=$4" ${5:+--reason "$5"} >"$T/edit.out" 2>&1 ||
			fail "set $2 $3=$4 on $d: $(head -c 300 "$T/edit.out")"
	done
}
note() { # note WHEN ID TEXT: ragtrack note at a fixed time
	local d
	for d in "${DBS[@]}"; do
		RAGTRACK_NOW=$1 "$RT" --db "$d" note "$2" "$3" >"$T/edit.out" 2>&1 ||
			fail "note $2 on $d: $(head -c 300 "$T/edit.out")"
	done
}
sql_all() { # sql_all SQL: on every database of DBS
	local d
	for d in "${DBS[@]}"; do sql "$d" "$1"; done
}
same_paper() { # [FILE=F DB=D] same_paper REPORT-ARGS...: the server's paper is the file's (PostgreSQL leg)
	[ "$ENGINE" = pg ] || return 0
	"$RT" --db "$DB" report "$@" >"$T/paper.server" 2>&1 || fail "report $* on the server: $(head -c 300 "$T/paper.server")"
	"$RT" --db "${FILE:-$T/db}" report "$@" >"$T/paper.file" 2>&1 || fail "report $* on the file: $(head -c 300 "$T/paper.file")"
	check_same "report $*" "$T/paper.file" "$T/paper.server"
}

check_eq "#36 starts Amber, due 2016-06-01" "$(q "select rag, target_date from action where id = 36")" "2|2016-06-01"
check_eq "#3 first target" "$(q "select target_date, first_target_date from action where id = 3")" "2016-03-31|2016-03-31"
edit 2016-06-15T10:00:00Z 36 rag Green "audit done"
edit 2016-06-16T10:00:00Z 3 target 2016-09-30
note 2016-06-20T10:00:00Z 3 "Update 20.6.16 exemplars of referrals are being collated"
edit 2016-05-01T10:00:00Z 5 lead "Named Nurse"
edit 2016-07-05T10:00:00Z 4 lead "Someone Later"

check_status "report" 0 "$RT" --db "$DB" report
r=$(cat "$T/out")
changes=$(printf '%s\n' "$r" | sed -n '/^Changes since/,$p')
check_contains "changes heading: 2 actions" "$changes" "Changes since 2016-05-31 (2)"
check_contains "changes counted" "$changes" "2016-05-31 to 2016-06-30: 2 changes, 1 note."
check_contains "rag change" "$changes" "2016-06-15  $USER  rag: Amber → Green (reason: audit done)"
check_contains "target change" "$changes" "2016-06-16  $USER  target: 2016-03-31 → 2016-09-30"
check_contains "note" "$changes" "2016-06-20  $USER  note: Update 20.6.16 exemplars of referrals are being collated"
check_contains "grouped under #3" "$changes" "#3  Megan   1    NELFT         2016-06-16"
check_not_contains "before --since left out" "$changes" "Named Nurse"
check_not_contains "after today left out" "$changes" "Someone Later"
check_eq "one row per event, action named once each" "$(printf '%s\n' "$changes" | grep -c '^ *#[0-9]')" "2"
check_status "json" 0 "$RT" --db "$DB" report --format json
check_contains "json: changes counted" "$(cat "$T/out")" '"changes":{"since":"2016-05-31","actions":2,"changes":2,"notes":1}'
same_paper
same_paper --format json
same_paper --format md --since 01.04.2016

check_status "--since 01.04.2016" 0 "$RT" --db "$DB" report --since 01.04.2016
check_contains "--since: earlier change" "$(cat "$T/out")" "lead: 0 → Named Nurse"
check_contains "--since: 3 actions" "$(cat "$T/out")" "Changes since 2016-04-01 (3)"
check_status "later today" 0 env RAGTRACK_TODAY=2016-07-10 "$RT" --db "$DB" report
check_contains "as at a later date: the later change" "$(cat "$T/out")" "lead: Designated Nurse / Safeguarding Team → Someone Later"
check_contains "as at a later date: default since" "$(cat "$T/out")" "Changes since 2016-06-10 (3)"
RAGTRACK_TODAY=2016-07-10 same_paper

# The target that moved is slipped, and no longer overdue.
slipped=$(printf '%s\n' "$r" | sed -n '/^Target slipped/,/^Blue without/p')
check_contains "slipped heading" "$slipped" "Target slipped (1)"
check_contains "slipped row" "$slipped" "#3  Megan   1    NELFT   G    2016-09-30  2016-03-31            183"
check_contains "overdue one fewer" "$r" "Overdue (17)"
# #36 is now Green with its date gone; #3 has a new date.
check_contains "green past its target" "$r" "Green past its target (10)"
green=$(printf '%s\n' "$r" | sed -n '/^Green past/,/^Red or Amber/p')
check_contains "green past row" "$green" "#36  Megan   5    Thurrock CCG"
check_not_contains "new date: not past" "$green" " #3  Megan"

# Stale: not Blue and untouched for --stale-days (default 90).
sql_all "UPDATE action SET touched_at = '2016-01-15T10:00:00Z' WHERE id IN (10, 11, 12);
        UPDATE action SET touched_at = '2015-01-15T10:00:00Z' WHERE id = 7"
check_eq "#7 is Blue" "$(q "select rag from action where id = 7")" "4"
check_status "stale" 0 "$RT" --db "$DB" report
stale=$(sed -n '/^Stale (/,/^Changes since/p' "$T/out")
check_contains "stale heading" "$stale" "Stale (3)"
check_contains "stale row" "$stale" "#10  Megan   2    Children's Social C…  A    ongoing     2016-01-15"
check_not_contains "Blue is never stale" "$stale" "#7 "
check_status "--stale-days 200" 0 "$RT" --db "$DB" report --stale-days 200
check_contains "--stale-days 200" "$(cat "$T/out")" "Stale (0)"
check_contains "--stale-days in the list's words" "$(cat "$T/out")" "(more than 200 days ago)."
same_paper

# Lists stop at 50 rows; --all lifts the limit.
sql_all "UPDATE action SET touched_at = '2015-01-01T00:00:00Z'"
open=$(q "select count(*) from action where rag <> 4")
check_status "long list" 0 "$RT" --db "$DB" report
stale=$(sed -n '/^Stale (/,/^Changes since/p' "$T/out")
check_contains "long list: count" "$stale" "Stale ($open)"
check_eq "long list: 50 rows" "$(printf '%s\n' "$stale" | grep -c '^ *#[0-9]')" "50"
check_contains "long list: and N more" "$stale" "... and $((open - 50)) more actions, not listed here."
check_status "--all" 0 "$RT" --db "$DB" report --all
stale=$(sed -n '/^Stale (/,/^Changes since/p' "$T/out")
check_eq "--all: every row" "$(printf '%s\n' "$stale" | grep -c '^ *#[0-9]')" "$open"
check_not_contains "--all: nothing more" "$stale" "more actions"
same_paper
same_paper --all --format html
# "Data as at" is the latest day anything changed (one action edited after the import),
# whichever action the store happens to read last; a later change is capped at today.
RAGTRACK_NOW=2016-05-01T09:00:00Z make_db "$T/early.db"
engine_db EARLY "$T/early.db"
RAGTRACK_NOW=2016-06-10T09:00:00Z "$RT" --db "$EARLY" set 300 lead="Named Nurse" >/dev/null || fail "set 300 on $EARLY"
check_status "report as at" 0 "$RT" --db "$EARLY" report
check_contains "data as at the latest change" "$(cat "$T/out")" "Data as at    2016-06-10"
check_contains "the paper's closing line says the same" "$(cat "$T/out")" "data as at 2016-06-10."
if [ "$ENGINE" = pg ]; then
	RAGTRACK_NOW=2016-06-10T09:00:00Z "$RT" --db "$T/early.db" set 300 lead="Named Nurse" >/dev/null || fail "set 300 on early.db"
	FILE=$T/early.db DB=$EARLY same_paper
fi
finish
