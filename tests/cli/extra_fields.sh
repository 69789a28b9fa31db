#!/usr/bin/env bash
# Every column is kept: a column that maps to no field of ragtrack (a DHR action plan's
# "Scope of recommendation", an NHS trust's "Evidence to be probed" and "Monitoring
# arrangements") becomes an extra field of each action, under its header as written.
# Extra fields are shown, searched, listed, exported after the known columns in the
# file's order, survive export -> import byte for byte, and update on re-import like
# other fields (changes logged).  A second column for the same text field is kept too.
. "$(dirname "$0")/../lib.sh"
pg_needs check reimport
need sqlite3     # to cut a CSV file (below)
empty_db "$T/plans.db"
PLANS=$DB
engine_db COPY "$T/copy.db"
DHR=$TESTDATA/dhr-action-plan.csv
TRUST=$T/trust-homicide-plan.csv
cp "$TESTDATA/trust-homicide-plan.csv" "$TRUST"

rt import "$DHR" "$TRUST" >"$T/import" || fail "import: exit $?"
for h in "Scope of recommendation" "Evidence to be probed" "Monitoring arrangements"; do
	check_contains "import says where \"$h\" went" "$(grep -F "\"$h\"" "$T/import")" "extra field"
done
check_not_contains "no column is dropped" "$(cat "$T/import")" "not imported"
check_contains "all rows" "$(cat "$T/import")" "actions 5 added"

# the fields of each review, in the file's order, and every cell of theirs
fields() { q "select name from extra_field where review_id = (select id from review where name = '$1') order by pos" | paste -sd '|'; }
check_eq "DHR: only the column no field names" "$(fields dhr-action-plan)" "Scope of recommendation"
check_contains "trust fields in order" "$(fields trust-homicide-plan)" "Evidence to be probed|Monitoring arrangements"
check_eq "no field twice" "$(q "select count(*) from (select review_id, pos from extra_field group by 1, 2 having count(*) > 1) x")" "0"

# show lists them after the known fields, under the header as written
COLUMNS=80 rt show 2 >"$T/show" || fail "show: exit $?"
check_contains "show: extra field" "$(cat "$T/show")" "Scope of recommendation
    Local"
check_contains "show: \"Intended outcome\" is the desired outcome" "$(cat "$T/show")" "Desired Outcome
    Routine enquiry is embedded in primary care."
check_eq "show: after the known fields, before the notes" \
	"$(grep -n -e '^Desired Outcome$' -e '^Scope of recommendation$' -e '^Notes (0)$' "$T/show" | cut -d: -f2 | paste -sd '|')" \
	"Desired Outcome|Scope of recommendation|Notes (0)"
COLUMNS=80 rt show 4 >"$T/show4"
check_contains "show: an extra field of the trust plan" "$(cat "$T/show4")" "Monitoring arrangements
    Quarterly report to the Patient Safety Group"

# list --columns names them by header, in any case and spacing; "extras" names them all
rt list --columns "id, scope of RECOMMENDATION,Monitoring   arrangements" --format tsv >"$T/tsv" || fail "list: exit $?"
check_eq "list --columns by header" "$(cat "$T/tsv")" "$(printf 'id\tScope of recommendation\tMonitoring arrangements\n1\tLocal\t\n2\tLocal\t\n3\tNational\t\n4\t\tQuarterly report to the Patient Safety Group\n5\t\tSix-monthly report to the Quality Committee')"
rt list --review trust-homicide-plan --columns rag,extras --format json >"$T/json" || fail "list json: exit $?"
check_contains "json: the extra fields of the listed review" "$(cat "$T/json")" \
	'{"id":5,"rag":"Green","Evidence to be probed":"Care plans recording family involvement; carers'"'"' survey results.","Monitoring arrangements":"Six-monthly report to the Quality Committee"}'
check_not_contains "json: not the other review's" "$(cat "$T/json")" "Scope of recommendation"
rt list --columns id,extras --format json >"$T/json_all"
check_contains "json: null for a field of another review" "$(head -n 2 "$T/json_all" | tail -n 1)" '"Monitoring arrangements":null'
COLUMNS=100 rt list --review trust-homicide-plan --columns "rag,monitoring arrangements" >"$T/table"
check_contains "table: the header as written" "$(head -n 1 "$T/table")" "RAG Monitoring arrangements"
check_status "unknown column" 2 rt list --columns "id,Scope"
check_contains "unknown column: the extra fields are named" "$(cat "$T/err")" "and the extra fields 'Scope of recommendation'"

# the full-text index searches them
check_eq "search: a word of an extra field" "$(rt list --search survey --format tsv --columns id | sed 1d)" "5"
check_eq "search: words of another" "$(rt list --search "Quality Committee" --format tsv --columns id | sed 1d)" "5"
check_eq "index sound" "$(rt check >/dev/null 2>&1; echo $?)" "0"

# export: after the known columns, in the files' order; export -> import -> export is byte-identical
rt export -o "$T/all.1.csv" 2>/dev/null || fail "export: exit $?"
extras_header=$(q "select name from extra_field order by review_id, pos" | paste -sd ,)
check_eq "export header" "$(head -n 1 "$T/all.1.csv")" \
	"ID,Review,Finding,Question,Agency,Response,Action,RAG,Target Date,Evidence/Outcome,Lead Person,Constraints/Problems,Desired Outcome,$extras_header"
rt export --review dhr-action-plan -o "$T/dhr.csv" 2>/dev/null
check_not_contains "a filtered export: only its reviews' fields" "$(head -n 1 "$T/dhr.csv")" "Monitoring arrangements"
rt export --redact -o "$T/redacted.csv" 2>/dev/null
check_not_contains "--redact leaves them out" "$(head -n 1 "$T/redacted.csv")" "Scope of recommendation"
"$RT" --db "$COPY" import "$T/all.1.csv" >"$T/import2" || fail "re-import of the export: exit $?"
"$RT" --db "$COPY" export -o "$T/all.2.csv" 2>/dev/null || fail "second export: exit $?"
cmp -s "$T/all.1.csv" "$T/all.2.csv" || { fail "export -> import -> export differs"; diff "$T/all.1.csv" "$T/all.2.csv" | head -10 >&2; }
check_eq "the copy shows the same" "$(COLUMNS=80 "$RT" --db "$COPY" show 2 | sed -n '/^Response$/,/^Notes/p')" \
	"$(sed -n '/^Response$/,/^Notes/p' "$T/show")"

# an unchanged re-import changes nothing
before=$(q "select * from action order by id" | sha256sum)
rt import "$DHR" "$TRUST" >"$T/again" || fail "re-import: exit $?"
check_contains "unchanged re-import" "$(cat "$T/again")" "actions 0 added, 0 updated, 5 unchanged"
check_eq "actions as they were" "$(q "select * from action order by id" | sha256sum)" "$before"
check_eq "nothing logged" "$(q "select count(*) from change_log")" "0"

# a changed extra value updates that field and is logged
sed -i 's/Six-monthly report to the Quality Committee/Quarterly report to the Quality Committee/' "$TRUST"
rt import "$DHR" "$TRUST" >"$T/changed" || fail "changed re-import: exit $?"
check_contains "changed re-import" "$(cat "$T/changed")" "actions 0 added, 1 updated, 4 unchanged"
check_eq "logged" "$(q "select action_id, field, old_value, new_value, source from change_log")" \
	"5|Monitoring arrangements|Six-monthly report to the Quality Committee|Quarterly report to the Quality Committee|import"
check_eq "version bumped" "$(q "select version from action where id = 5")" "2"
COLUMNS=80 rt show 5 >"$T/show5"
check_contains "show: the change" "$(cat "$T/show5")" "Monitoring arrangements
        was: Six-monthly report to the Quality Committee
        now: Quarterly report to the Quality Committee"
check_eq "search follows the new text" "$(rt list --search Six-monthly --format tsv --columns id | sed 1d)" ""
check_eq "index sound after the change" "$(rt check >/dev/null 2>&1; echo $?)" "0"

# a file without one of the extra columns leaves that field alone
# (cells hold commas: sqlite3 reads the CSV)
sqlite3 -csv "$T/cut.db" ".import $TESTDATA/trust-homicide-plan.csv plan" \
	"select Recommendation, Action, Lead, Timescale, \"Evidence to be probed\", \"RAG status\" from plan" >"$T/body"
{ echo 'Recommendation,Action,Lead,Timescale,Evidence to be probed,RAG status'; cat "$T/body"; } >"$T/trust-homicide-plan.csv"
rt import "$T/trust-homicide-plan.csv" >"$T/fewer" || fail "import without a column: exit $?"
check_contains "without the column: unchanged" "$(cat "$T/fewer")" "0 updated, 2 unchanged"
check_eq "its values kept" "$(q "select count(*) from action where extra like '%Quality Committee%'")" "1"

# two columns for one text field: the first is the field, the others extra fields
cat >"$T/progress.csv" <<'EOF'
Recommendation,Agency,Action,Actions,RAG,Progress,Evidence
"1. Partners to review their escalation policies",Police,Review escalation policy,Brief supervisors on the revised policy,Amber,Policy redrafted,Draft policy v0.3
,Health,Review escalation policy,,Green,Policy published,Intranet page
EOF
rt import --review "Review progress" "$T/progress.csv" >"$T/repeat" || fail "import with repeated fields: exit $?"
check_contains "repeated Action kept" "$(grep -F '"Actions"' "$T/repeat")" "extra field"
check_contains "repeated Evidence kept" "$(grep -F '"Evidence"' "$T/repeat")" "extra field"
check_not_contains "nothing dropped" "$(cat "$T/repeat")" "not imported"
check_eq "first as the field, the others extra" \
	"$(rt list --review "Review progress" --columns action,evidence,actions,extras --format tsv | sed 1d | cut -f2-)" \
	"$(printf 'Review escalation policy\tPolicy published\t\t\tIntranet page\nReview escalation policy\tPolicy redrafted\tBrief supervisors on the revised policy\tBrief supervisors on the revised policy\tDraft policy v0.3')"

# a column with no header: kept when it holds something, as "Column N"; empty ones are not fields
printf 'Recommendation,Action,,\n"1. Share the learning",Briefing to all staff,Added by the chair,\n"2. Audit",Case file audit,,\n' >"$T/unnamed.csv"
rt import --review Unnamed "$T/unnamed.csv" >"$T/unnamed" || fail "import with an unnamed column: exit $?"
check_contains "said" "$(cat "$T/unnamed")" 'column 3 has no header; its cells are kept as the extra field "Column 3"'
check_eq "one field" "$(fields Unnamed)" "Column 3"

# actions imported before extra fields were kept (no extra values, a shorter import_sig)
# get them from the next import, logged as set; the import after that changes nothing
empty_db "$T/old.db"
rt import "$TESTDATA/trust-homicide-plan.csv" >/dev/null
q "UPDATE action SET extra = '', import_sig = substr(import_sig, 1, 28); DELETE FROM extra_field;"
rt import "$TESTDATA/trust-homicide-plan.csv" >"$T/old1" || fail "import into an older database: exit $?"
check_contains "the values come" "$(cat "$T/old1")" "0 added, 2 updated"
check_eq "logged as set" "$(q "select count(*) from change_log where old_value = '' and field in ('Evidence to be probed', 'Monitoring arrangements')")" "4"
rt import "$TESTDATA/trust-homicide-plan.csv" >"$T/old2"
check_contains "then unchanged" "$(cat "$T/old2")" "0 added, 0 updated, 2 unchanged"
DB=$PLANS

# a dry run stores none of them
sum=$(dump_sum)
printf 'Recommendation,Action,Intended outcome\n"1. New",New action,Something new\n' >"$T/dry.csv"
rt import --dry-run --review Dry "$T/dry.csv" >/dev/null || fail "dry run: exit $?"
check_eq "dry run: database unchanged" "$(dump_sum)" "$sum"
finish
