#!/usr/bin/env bash
# What a re-import records: imported values in clean form with the cell as written
# beside them, new actions as "added" with file and line, notes among the changes in
# history, and --as-at dating the rows' changes so --stale and --changed-since hold.
. "$(dirname "$0")/../lib.sh"
pg_needs reimport note
empty_db
# Megan's layout and words (data/megan.csv), two agencies under one question.
cat >"$T/plan.csv" <<'CSV'
Questions,Agency,Actions,RAG,Target Date,Evidence/Outcome,Agency Lead Person
1 How does the Board ensure that referrals contain the relevant history of the family?,Police,Child Abuse Investigation Team to complete a set of checks for each referral,Amber,31.03.2016,Checks in place,DI Smith
,,Sergeants to dip sample referrals each month for the history held,Green,30.06.2016,,DI Smith
,NELFT,Health visitors to record and analyse all relevant history when completing assessments,Amber,Sept 16,,Named Nurse
CSV
check_status "first import, as at 31 March 2016" 0 rt import --review Megan --as-at 31.03.2016 "$T/plan.csv"
check_eq "rows dated as at" "$(q "SELECT DISTINCT updated_at || ' ' || touched_at FROM action")" "2016-03-31T00:00:00Z 2016-03-31T00:00:00Z"
check_eq "review as at" "$(q "SELECT as_at FROM review")" "2016-03-31"
check_eq "--changed-since after it: none" "$(rt list --changed-since 2016-04-01 --format csv --columns id | tail -n +2 | wc -l)" "0"
check_eq "--stale 60 on 30 June: all three" "$(rt list --stale 60 --format csv --columns id | tail -n +2 | wc -l)" "3"
check_status "a bad --as-at" 2 rt import --as-at soon "$T/plan.csv"
check_contains "a bad --as-at says why" "$(cat "$T/err")" "--as-at: 'soon' is not a date"

rt note 1 "Update 6.6.16 exemplars of referrals are being collated" >/dev/null
# The return: Police's first action complete, a row added for NELFT, a date moved.
cat >"$T/plan.csv" <<'CSV'
Questions,Agency,Actions,RAG,Target Date,Evidence/Outcome,Agency Lead Person
1 How does the Board ensure that referrals contain the relevant history of the family?,Police,Child Abuse Investigation Team to complete a set of checks for each referral,Complete,31.03.2016,Checks in place,DI Smith
,,Sergeants to dip sample referrals each month for the history held,Green,30.09.2016,,DI Smith
,NELFT,Health visitors to record and analyse all relevant history when completing assessments,Amber,Sept 16,,Named Nurse
,,Safeguarding supervision to include the family history,Amber,,,Named Nurse
CSV
rt import --dry-run --review Megan --as-at 30.06.2016 "$T/plan.csv" >"$T/dry.txt"
check_contains "dry run: raw beside clean" "$(cat "$T/dry.txt")" '#1 rag Amber -> Blue ("Complete")'
check_contains "dry run: target" "$(cat "$T/dry.txt")" '#2 target 2016-06-30 -> 2016-09-30 ("30.09.2016")'
check_contains "dry run: new row" "$(cat "$T/dry.txt")" 'new: line 5 "Safeguarding supervision to include the..." (#4)'
check_status "re-import" 0 rt import --review Megan --as-at 30.06.2016 "$T/plan.csv"
check_eq "logged clean with the cell as written" "$(q "SELECT field, old_value, new_value, reason FROM change_log WHERE action_id = 1")" "rag|Amber|Blue|Complete"
check_eq "added, with file and line" "$(q "SELECT field, reason FROM change_log WHERE action_id = 4")" "added|$T/plan.csv:5"
check_eq "changed rows dated as at" "$(q "SELECT id FROM action WHERE updated_at = '2016-06-30T00:00:00Z' ORDER BY id" | tr '\n' ' ')" "1 2 4 "
check_eq "an unchanged row keeps its date" "$(q "SELECT updated_at FROM action WHERE id = 3")" "2016-03-31T00:00:00Z"
COLUMNS=140 rt history 1 >"$T/h.txt"
check_contains "history: the raw cell" "$(cat "$T/h.txt")" 'Amber -> Blue ("Complete")'
check_contains "history: the note" "$(cat "$T/h.txt")" "note         Update 6.6.16 exemplars of referrals are being collated"
check_eq "history: note before the later change" "$(grep -n 'note\|rag' "$T/h.txt" | cut -d: -f1 | tr '\n' ' ')" "2 3 "
check_contains "history --format csv has the note" "$(rt history 1 --format csv)" ",note,,Update 6.6.16 exemplars"
finish
