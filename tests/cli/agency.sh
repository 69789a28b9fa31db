#!/usr/bin/env bash
# ragtrack agency list / alias: merging spellings moves actions and responses to one
# agency, renumbers them so a re-import finds each where it is, and records the alias
# so later imports map the old spelling.
. "$(dirname "$0")/../lib.sh"
pg_needs alias check
need sqlite3
data_db
EXP=$ROOT/tests/cli/expected
CSC="Children's Social Care"
CSCS="Children's Social Care/Children's Services"
# the ACTIONS column of NAME's line in agency list
listed() { awk -v n="$1" 'index($0, n) == 1 { rest = substr($0, length(n) + 1); if (rest ~ /^ +[0-9]+/) { split(rest, f, " "); print f[1] } }' "$2"; }

# ---- merging two spellings of the real plans -----------------------------------------------
rt agency list >"$T/before.txt" || fail "agency list"
check_eq "CSC before" "$(listed "$CSC" "$T/before.txt")" 29
check_eq "CSC/CS before" "$(listed "$CSCS" "$T/before.txt")" 17
agencies=$(q "SELECT count(*) FROM agency")

check_status "merge" 0 rt --user alice agency alias "$CSC" "$CSCS"
check_eq "merge output" "$(cat "$T/out")" "'$CSCS' is now an alias of '$CSC'; 17 actions moved"
rt agency list >"$T/after.txt"
check_eq "CSC after" "$(listed "$CSC" "$T/after.txt")" 46
check_contains "alias listed" "$(grep "^$CSC  " "$T/after.txt")" "  $CSCS"
check_eq "CSC/CS is no agency now" "$(listed "$CSCS" "$T/after.txt")" ""
check_eq "one agency fewer" "$(q "SELECT count(*) FROM agency")" $((agencies - 1))
check_eq "no action lost" "$(q "SELECT count(*) FROM action")" 629
check_eq "17 agency changes logged" \
	"$(q "SELECT count(*), min(old_value), min(new_value), min(\"user\") FROM change_log WHERE field = 'agency'")" "17|$CSCS|$CSC|alice"
US='char(31)'                # the sort key's separator, in this engine's words
[ "$ENGINE" = pg ] && US='chr(31)'
check_eq "sort keys name the merged agency" \
	"$(q "SELECT count(*) FROM action a JOIN agency g ON g.id = a.agency_id WHERE g.name = '${CSC//\'/\'\'}'
	      AND instr(a.sort_key, $US || lower(g.name) || $US) = 0")" 0
check_eq "numbers run 1..n under each question" \
	"$(q "SELECT count(*) FROM (SELECT question_id, agency_id FROM action GROUP BY 1, 2 HAVING max(seq) <> count(*) OR min(seq) <> 1) x")" 0
check_status "check after the merge" 0 rt check

# A re-import of Megan's plan maps the old spelling and finds every action.
if pg_has reimport; then
	check_status "re-import megan" 0 rt import --review Megan "$DATA/megan.csv"
	check_contains "re-import summary" "$(tail -1 "$T/out")" "actions 0 added, 0 updated"
	check_eq "still 629 actions" "$(q "SELECT count(*) FROM action")" 629
	check_eq "the old spelling did not come back" "$(q "SELECT count(*) FROM agency WHERE name = '${CSCS//\'/\'\'}'")" 0
fi

# ---- interleaved spellings under one question -------------------------------------------------
cat >"$T/mix.csv" <<'CSV'
Questions,Agency,Response,Actions,RAG,Target Date,Evidence/Outcome,Agency Lead Person
1 How does the Board know?,CSC,CSC says,Alias action one,Green,31.03.2017,E1,AA
,Children's Social Care,Target says,Target action one,Amber,31.03.2017,E2,BB
,CSC,,Alias action two,Red,30.06.2017,E3,CC
,Children's Social Care,,Target action two,Green,ongoing,E4,DD
2 Second question?,Children's Social Care,,Q2 target,Green,,E5,EE
,CSC,,Q2 alias,Green,,E6,FF
,Police,,Q2 police,Green,,E7,GG
CSV
MIX=$T/mix.db
# the importer's counts, without the rest of its summary
added() { grep -o 'actions [0-9]* added, [0-9]* updated, [0-9]* unchanged'; }
{
	"$RT" --db "$MIX" import --review Mix "$T/mix.csv" | added
	"$RT" --db "$MIX" --user alice agency alias "Children's Social Care" CSC
	"$RT" --db "$MIX" agency list
	sqlite3 "$MIX" "SELECT q.ref, g.name, a.seq, a.text, replace(r.text, char(10), '/') FROM action a JOIN question q ON q.id = a.question_id
	                JOIN agency g ON g.id = a.agency_id JOIN response r ON r.id = a.response_id ORDER BY a.sort_key"
	"$RT" --db "$MIX" import --review Mix "$T/mix.csv" | added
	"$RT" --db "$MIX" --user alice agency alias Police "Essex Police Service"
	"$RT" --db "$MIX" --user alice agency alias "Children's Social Care" CSC
	echo "exit $?"
	printf '3 Third?,Essex Police Service,,New police action,Green,,,HH\n' >>"$T/mix.csv"
	"$RT" --db "$MIX" import --review Mix "$T/mix.csv" | added
	"$RT" --db "$MIX" agency list
} >"$T/mix.txt" 2>&1
check_file "interleaved merge" "$T/mix.txt" "$EXP/agency-mix.out"

# ---- refused ----------------------------------------------------------------------------------
: >"$T/errors.txt"
# the file's bytes on SQLite, every row on the server
db_sum() { if [ "$ENGINE" = pg ]; then dump_sum; else sum_file "$DB"; fi; }
before=$(db_sum)
# refused ARGS...: stderr and exit status kept in errors.txt; nothing on stdout
refused() {
	"$RT" --db "$DB" "$@" >"$T/out" 2>>"$T/errors.txt"
	echo "exit $?" >>"$T/errors.txt"
	check_eq "$*: stdout" "$(cat "$T/out")" ""
}
refused agency alias Police police
refused agency alias NELFT "$CSCS"
refused agency alias Polce Constabulary
refused --as-agency Police agency alias Police Constabulary
refused agency alias Police
refused agency frobnicate
refused agency
refused agency list extra
refused agency alias Police ""
check_file "agency errors" "$T/errors.txt" "$EXP/agency-errors.out"
check_eq "refusals change nothing" "$(db_sum)" "$before"
check_status "agency --help" 0 "$RT" agency --help
check_eq "under the lens only the lens agency" "$("$RT" --db "$DB" --as-agency NELFT agency list | tail -n +2 | awk '{print $1}')" NELFT
[ -n "${KEEP:-}" ] && cp "$T"/*.txt "$KEEP"/
finish
