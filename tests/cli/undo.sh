#!/usr/bin/env bash
# ragtrack undo: reverses this user's latest change that is not undone yet, exactly,
# logging the undo; repeated undo steps back; other users' changes, imports and agency
# merges are left alone; a field someone changed since is refused.
. "$(dirname "$0")/../lib.sh"
pg_needs set undo alias reimport
need sqlite3
data_db
EXP=$ROOT/tests/cli/expected
orig() { sqlite3 "$ROOT/build/data.db" "$1"; }

{
	echo '# changes'
	rt --user alice set 3 rag=blue evidence="Audit of 40 referrals"
	rt --user alice set 3 target=31.12.2016
	rt --user bob set 3 lead=Bob
	rt --user alice set 2 target=30.09.2016
	rt --user alice set 400 response="The CCG will commission a review"
	echo '# alice undoes, latest first'
	rt --user alice undo
	rt --user alice undo
	rt --user alice undo
	rt --user alice undo
	rt --user alice undo
	echo "exit $?"
} >"$T/undo.txt" 2>&1

check_eq "action 3 back as imported, bob's lead kept" \
	"$(q "SELECT rag, rag_raw, target_date, target_raw, evidence, lead FROM action WHERE id = 3")" \
	"$(orig "SELECT rag, 'Green', target_date, '2016-03-31', evidence, 'Bob' FROM action WHERE id = 3")"
check_eq "action 2: the text target comes back" \
	"$(q "SELECT ifnull(target_date, 'NULL'), target_raw FROM action WHERE id = 2")" "NULL|ongoing"
check_eq "action 400: response empty again" \
	"$(q "SELECT r.text FROM response r JOIN action a ON a.response_id = r.id WHERE a.id = 400")" ""
check_eq "versions count every change and undo" "$(q "SELECT version FROM action WHERE id = 3")" 6
# every undo row names the batch it reversed; each of alice's batches is undone once
q "SELECT batch, \"user\", action_id, field, coalesce(CAST(undoes AS TEXT), '-') FROM change_log ORDER BY id" >"$T/log.txt"
check_file "change log after undo" "$T/log.txt" "$EXP/undo-log.out"
check_eq "no batch undone twice" \
	"$(q "SELECT count(*) FROM (SELECT undoes FROM change_log WHERE undoes IS NOT NULL GROUP BY undoes HAVING count(DISTINCT batch) > 1) x")" 0

# ---- someone changed the field since: refused, nothing written -------------------------
{
	echo '# conflict'
	rt --user alice set 12 rag=red
	rt --user bob set 12 rag=amber
	before=$(dump_sum)
	rt --user alice undo
	echo "exit $?"
	[ "$(dump_sum)" = "$before" ] || echo "DATABASE CHANGED"
	rt --user bob undo
	rt --user alice undo
	echo '# $USER'
	USER=carol rt set 12 lead=Carol
	rt --user alice undo
	echo "exit $?"
	USER=carol rt undo
} >>"$T/undo.txt" 2>&1
check_eq "action 12 as imported" "$(q "SELECT rag, lead FROM action WHERE id = 12")" \
	"$(orig "SELECT rag, lead FROM action WHERE id = 12")"

# ---- imports and agency merges are not undone ---------------------------------------------
cat >"$T/plan.csv" <<'CSV'
Questions,Agency,Actions,RAG,Target Date,Evidence/Outcome,Agency Lead Person
1 How does the Board know?,Police,Check referrals,Green,31.03.2017,Audit,DI Smith
CSV
rt --user dora import --review Undo "$T/plan.csv" >/dev/null || fail "import"
sed -i 's/Green/Amber/' "$T/plan.csv"
rt --user dora import --review Undo "$T/plan.csv" >/dev/null || fail "re-import"
check_eq "the re-import logged a change" "$(q "SELECT count(*) FROM change_log WHERE \"user\" = 'dora' AND source = 'import' AND field <> 'added'")" 1
check_eq "the first import logged the action added" "$(q "SELECT field || ' ' || reason FROM change_log WHERE \"user\" = 'dora' AND field = 'added'")" "added $T/plan.csv:2"
{
	echo '# imports are not undone'
	rt --user dora undo
	echo "exit $?"
	echo '# an agency merge is skipped'
	rt --user dora set 50 lead="Dora"
	rt --user dora agency alias "Children's Social Care" "Children's Social Care/Children's Services"
	rt --user dora undo
	rt --user dora undo
	echo "exit $?"
} >>"$T/undo.txt" 2>&1
check_eq "the merge stays" "$(q "SELECT count(*) FROM agency_alias WHERE alias = 'Children''s Social Care/Children''s Services'")" 1
check_eq "action 50's lead is back" "$(q "SELECT lead FROM action WHERE id = 50")" "$(orig "SELECT lead FROM action WHERE id = 50")"

check_file "undo output" "$T/undo.txt" "$EXP/undo.out"
check_status "undo with an argument" 2 "$RT" --db "$DB" undo 3
check_status "undo --help" 0 "$RT" undo --help
[ -n "${KEEP:-}" ] && cp "$T"/*.txt "$KEEP"/
finish
