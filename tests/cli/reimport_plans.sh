#!/usr/bin/env bash
# Agency returns without IDs: every plan in data/ re-imported with rows inserted at the
# start, middle and end of a group, deleted, swapped, moved to another agency, and
# edited lightly and heavily.  No action ever ends up with another row's text; history
# and notes stay with their actions; the missing are named; the dry run lists exactly
# what the real run writes (tests/cli/reimport.py does the edits and the checks).
. "$(dirname "$0")/../lib.sh"
pg_needs reimport set note undo
need python3
need sqlite3    # reimport.py reads a file (as_file: the server's db copy)
PY="python3 $ROOT/tests/cli/reimport.py"

# plan file, review (empty: the file's own Review column)
PLANS=("megan.csv|Megan" "julia.csv|Julia" "family-y.csv|Children of Family Y" "child-l.csv|" \
       "thurrock-priorities-2017-18.csv|")
OPS="insert-start insert-middle insert-end delete swap move edit-light edit-heavy"

# one_case PLAN REVIEW OPS SEED: import the plan, note some actions, re-import a variant.
one_case() {
	local plan=$1 review=$2 ops=$3 seed=$4 name="${1%.csv}.$3.$4"
	local dir=$T/$name db file
	mkdir -p "$dir/v"
	engine_db db "$dir/db" || return
	local args=()
	[ -n "$review" ] && args=(--review "$review")
	"$RT" --db "$db" import "${args[@]}" "$DATA/$plan" >"$dir/first.out" || { fail "$name: first import"; return; }
	for id in 1 2 5 9 17; do "$RT" --db "$db" note "$id" "note on $id" >/dev/null 2>&1; done
	$PY variant "$DATA/$plan" "$ops" "$seed" "$dir/v/$plan" "$dir/expect.json" >"$dir/ops" || { fail "$name: variant"; return; }
	as_file file "$db" && $PY snapshot "$file" "$dir/before.json"
	local sum; sum=$(dump_sum "$db")
	"$RT" --db "$db" import --dry-run "${args[@]}" "$dir/v/$plan" >"$dir/dry.out" 2>&1 || { fail "$name: dry run: $(tail -1 "$dir/dry.out")"; return; }
	check_eq "$name: the dry run wrote nothing" "$(dump_sum "$db")" "$sum"
	"$RT" --db "$db" import "${args[@]}" "$dir/v/$plan" >"$dir/import.out" 2>&1 || { fail "$name: re-import: $(tail -1 "$dir/import.out")"; return; }
	as_file file "$db" || return
	if ! $PY check "$dir/before.json" "$file" "$dir/expect.json" "$dir/import.out" "$dir/dry.out" >"$dir/check.out"; then
		fail "$name ($(cat "$dir/ops")): $(head -5 "$dir/check.out")"
	fi
	CASES=$((CASES + 1))
}

CASES=0
for p in "${PLANS[@]}"; do
	plan=${p%%|*} review=${p#*|}
	for op in $OPS; do
		one_case "$plan" "$review" "$op" 1
	done
done
echo "$CASES cases"

# A worked case read by eye: Julia's 1a, Thurrock CCG, with a row inserted in the middle.
empty_db "$T/julia.db"
rt import --review Julia "$DATA/julia.csv" >/dev/null
python3 - "$DATA/julia.csv" "$T/julia.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
new = [""] * len(rows[0]); new[4] = "Quarterly CSE refresher for GP practice leads"; new[5] = "Amber"
rows.insert(3, new)
rows[5][5] = "Red"
del rows[8]
csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8"), lineterminator="\n").writerows(rows)
PY
rt import --dry-run --review Julia "$T/julia.csv" >"$T/dry.txt"
check_contains "dry run: the new row" "$(cat "$T/dry.txt")" 'new: line 4 "Quarterly CSE refresher for GP practice..." (#334)'
check_contains "dry run: the RAG change, cell as written" "$(cat "$T/dry.txt")" '#4 rag Blue -> Red'
check_contains "dry run: the missing" "$(cat "$T/dry.txt")" 'not in this file: #7 '
check_contains "dry run summary" "$(tail -1 "$T/dry.txt")" "actions 1 added, 1 updated, 331 unchanged, 1 not in the file"
check_status "re-import" 0 rt import --review Julia "$T/julia.csv"
check_contains "re-import names the missing" "$(cat "$T/out")" 'not in this file: #7 '
check_eq "the inserted row is a new action" "$(q "SELECT id, seq FROM action WHERE text LIKE 'Quarterly CSE refresher%'")" "334|5"
check_eq "action 3 keeps its text" "$(q "SELECT text FROM action WHERE id = 3")" \
	"CCG will work closely with commissioner and the contract team to ensure that CSE is included as Key Performance Index, contracts and Exceptional report."
check_eq "history: added, with file and line" "$(q "SELECT field, reason FROM change_log WHERE action_id = 334")" "added|$T/julia.csv:4"
check_contains "history shows the added action" "$(COLUMNS=200 rt history 334)" "Quarterly CSE refresher for GP practice leads ($T/julia.csv:4)"
check_status "again: nothing changes" 0 rt import --review Julia "$T/julia.csv"
check_contains "again: summary" "$(tail -1 "$T/out")" "actions 0 added, 0 updated, 333 unchanged, 1 not in the file"
check_contains "again: the warnings counted, not repeated" "$(cat "$T/out")" "warnings as at the last import; --warnings all lists them"
check_status "--warnings all" 0 rt import --warnings all --review Julia "$T/julia.csv"
check_contains "--warnings all lists them" "$(cat "$T/out")" 'RAG "Action complete" read as Blue'

# --withdraw-missing: withdrawn, shown, filtered, undone; never deleted.
check_status "--withdraw-missing" 0 rt --user mo import --withdraw-missing --review Julia "$T/julia.csv"
check_contains "withdrawn said" "$(cat "$T/out")" "not in this file: #7 "
check_contains "withdrawn said (2)" "$(cat "$T/out")" "(withdrawn)"
check_eq "withdrawn in the database" "$(q "SELECT id FROM action WHERE withdrawn = 1")" "7"
check_eq "left out of list by default" "$(rt list --format csv --columns id | grep -c '^7$')" "0"
check_eq "list --withdrawn" "$(rt list --withdrawn --format csv --columns id,withdrawn)" "$(printf 'id,withdrawn\n7,yes')"
check_eq "count excludes it" "$(rt list --format csv --columns id | tail -n +2 | wc -l)" "333"
check_eq "--include-withdrawn" "$(rt list --include-withdrawn --format csv --columns id | tail -n +2 | wc -l)" "334"
check_contains "show says withdrawn" "$(rt show 7)" "Withdrawn"
check_contains "logged" "$(q "SELECT source, field, old_value, new_value FROM change_log WHERE action_id = 7")" "import|withdrawn|no|yes"
check_status "undo the withdrawal" 0 rt --user mo undo
check_eq "undone" "$(q "SELECT withdrawn FROM action WHERE id = 7")" "0"
check_status "set withdrawn=yes" 0 rt set 7 withdrawn=yes
check_status "a plan with the row back reinstates it" 0 rt import --review Julia "$DATA/julia.csv"
check_contains "reinstated, said" "$(cat "$T/out")" "#7 was withdrawn; it is in this file again"
check_eq "reinstated" "$(q "SELECT withdrawn FROM action WHERE id = 7")" "0"
check_eq "nothing deleted" "$(q "SELECT count(*) FROM action")" "334"

# --strict refuses a row in doubt, leaving the database as it was.  Line 5's text
# rewritten so that it is 36% like the old (under the 50% that makes it the same action).
# The file's first rows, their values written exactly (--strict also refuses a value that
# needs a guess: "Action complete", "June 2015").
mkdir -p "$T/heavy"
exact() { head -5 "$DATA/julia.csv" | sed 's/,Action complete,/,Blue,/g; s/June 2015/30.06.2015/g'; }
sed 's/^,,,,CSE and Case Review discussed at Health Economy meetings,/,,,,CSE discussed at Board meetings with the police and schools,/' \
	<(exact) >"$T/heavy/julia.csv"
sum=$(dump_sum)
check_status "--strict refuses" 5 rt import --strict --review Julia "$T/heavy/julia.csv"
check_contains "--strict says the line" "$(cat "$T/err")" "julia.csv:5: new action: its text is 36% like #4's"
check_contains "--strict says what to do" "$(cat "$T/err")" "--strict refuses a row whose match is in doubt"
check_eq "--strict: database unchanged" "$(dump_sum)" "$sum"
check_status "without --strict" 0 rt import --review Julia "$T/heavy/julia.csv"
check_contains "the near miss is said" "$(cat "$T/out")" "julia.csv:5: new action: its text is 36% like #4's"
check_contains "the old one is missing" "$(cat "$T/out")" "not in this file: #4 CSE and Case Review discussed at Health..."

# A light edit is matched and said.
sed 's/^,,,,CSE and Case Review discussed at Health Economy meetings,/,,,,CSE and Case Review discussed at Health Economy board meetings,/' \
	<(exact) >"$T/heavy/julia.csv"
check_status "light edit" 0 rt import --strict --review Julia "$T/heavy/julia.csv"
check_contains "light edit said" "$(cat "$T/out")" "julia.csv:5: text edited; matched to #4 (90% alike)"
check_eq "light edit on its action" "$(q "SELECT text FROM action WHERE id = 4")" "CSE and Case Review discussed at Health Economy board meetings"
finish
