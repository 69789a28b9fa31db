#!/usr/bin/env bash
# Plans laid out as other bodies publish them (tests/data/, sources in its README): each
# is imported with no option, every column's fate printed; the refusals say what to do
# and leave the database byte-for-byte as it was; --map, --strict, --rag-map, --agency.
. "$(dirname "$0")/../lib.sh"
pg_needs reimport
need sqlite3
L=$TESTDATA

# imp NAME FILE ARGS...: import into the database named by FILE (the file itself, or in
# the PostgreSQL leg its own server database, made from FILE when it exists: engine_db),
# output in $T/NAME.out; fails the test if refused
declare -A DBS
imp() {
	local name=$1 file=$2 db; shift 2
	[ -n "${DBS[$file]:-}" ] || { engine_db db "$file" && DBS[$file]=$db; } || return
	"$RT" --db "${DBS[$file]}" import "$@" >"$T/$name.out" 2>"$T/$name.err" || fail "$name: refused: $(cat "$T/$name.err")"
}
# dbof FILE: the database imp made for FILE
dbof() { echo "${DBS[$1]:-$1}"; }
# refuse NAME MESSAGE ARGS...: the import into a copy of data.db fails, names MESSAGE, db unchanged
data_db
before=$(db_sum)
refuse() {
	local name=$1 want=$2; shift 2
	rt import "$@" >"$T/$name.out" 2>"$T/$name.err" && fail "$name: accepted, should be refused"
	check_contains "$name: message" "$(cat "$T/$name.err")" "$want"
	check_eq "$name: database unchanged" "$(db_sum)" "$before"
}
# one SQL value from the database imp made for a FILE
val() { sql "$(dbof "$1")" "$2"; }

# ---- KMPT homicide plan: title rows, no agency column (--agency), numbered dates ----
imp kmpt "$T/kmpt.db" --agency KMPT "$L/kmpt-mr-s.csv"
out=$(cat "$T/kmpt.out")
check_contains "kmpt mapping" "$out" 'kmpt-mr-s.csv:3: columns: "Recommendation" -> Question, "Issues identified" -> Finding, "Actions to be taken" -> Action, "Person responsible" -> Lead Person, "Target completion date" -> Target Date, "Evidence to be probed" -> extra field, "Progress to date" -> Evidence/Outcome; every row'"'"'s agency: "KMPT" (--agency)'
check_contains "kmpt titles" "$out" "kmpt-mr-s.csv:3: 2 rows above the header skipped"
check_contains "kmpt several dates" "$out" 'holds 2 dates: the latest, 2020-10-31, is the target'
check_contains "kmpt ongoing" "$out" 'target "On-going" is ongoing work, not a date: no target date'
check_eq "kmpt agency from --agency" "$(val "$T/kmpt.db" "select group_concat(distinct g.name) from action a join agency g on g.id = a.agency_id")" "KMPT"
check_eq "kmpt rows" "$(val "$T/kmpt.db" "select count(*) from action")" "3"
check_eq "kmpt refs from the Recommendation text" "$(val "$T/kmpt.db" "select group_concat(ref, ' ') from (select ref from question order by sort_key) x")" "3 4 11"
check_eq "kmpt latest date is the target" "$(val "$T/kmpt.db" "select target_date from action where target_raw like '1. 28 February%'")" "2020-10-31"
check_eq "kmpt milestones kept as written" "$(val "$T/kmpt.db" "select count(*) from action where target_raw like '%3. 31 October 2020'")" "1"

# ---- ELFT investigation plan: Service is the agency; a prompt row below the header ----
imp elft "$T/elft.db" "$L/elft-mr-x-y.csv"
out=$(cat "$T/elft.out")
check_contains "elft mapping" "$out" 'elft-mr-x-y.csv:2: columns: "Service" -> Agency, "Action" -> Action, "Evidence" -> Evidence/Outcome, "Lead/Ownership" -> Lead Person, "Target Date" -> Target Date'
check_contains "elft after words" "$out" 'target "By 31/03/2017": the date after the words read as 2017-03-31'
check_contains "elft not a real date" "$out" 'target "30/02/2017": "30/02/2017" is not a real date; kept as text, no target date'
check_eq "elft impossible date: no target, text kept" "$(val "$T/elft.db" "select ifnull(target_date, 'none') || '|' || target_raw from action where target_raw = '30/02/2017'")" "none|30/02/2017"
check_eq "elft rows (the prompt row too: nothing dropped)" "$(val "$T/elft.db" "select count(*) from action")" "4"

# ---- Home Office DHR template: an extra column, the combined completion/outcome ----
imp dhr "$T/dhr.db" "$L/dhr-home-office.csv"
out=$(cat "$T/dhr.out")
check_contains "dhr mapping" "$out" '"Scope of recommendation i.e. local or..." -> extra field'
check_contains "dhr combined" "$out" '"Date of completion and Outcome" -> Target Date/Evidence'
check_contains "dhr status in date column" "$out" 'target "Completed" is a status, not a date: no target date (a hint that the action is done: check its RAG)'
check_contains "dhr impossible" "$out" '"31 September 2017" is not a real date'
check_eq "dhr completion and outcome join the evidence" "$(val "$T/dhr.db" "select count(*) from action where evidence like '%module delivered to 240 staff%' and evidence like 'Training needs analysis%'")" "1"
check_eq "dhr target from the Target Date column" "$(val "$T/dhr.db" "select target_date from action where evidence like 'Training needs%'")" "2016-12-31"

# ---- LSCB progress table: header on line 7, a Ref column, the legend as a prompt ----
imp lscb "$T/lscb.db" "$L/lscb-progress.csv"
out=$(cat "$T/lscb.out")
check_contains "lscb header on line 7" "$out" 'lscb-progress.csv:7: columns: "Rec. No." -> Ref, "Recommendation" -> Question,'
check_contains "lscb evidence repeat is extra" "$out" '"Evidence of impact" -> extra field (Evidence/Outcome is column 8)'
check_contains "lscb titles" "$out" "lscb-progress.csv:7: 5 rows above the header skipped"
check_contains "lscb legend" "$out" 'RAG cell "Red Amber Green" lists the legend, not a rating: left unset'
check_contains "lscb progress word" "$out" 'RAG "In progress" is a progress word, not a rating: left unset'
check_contains "lscb not started" "$out" 'RAG "Not started" is a progress word'
check_eq "lscb legend row not Red" "$(val "$T/lscb.db" "select rag from action where rag_raw = 'Red Amber Green'")" "0"
check_eq "lscb refs from the Ref column" "$(val "$T/lscb.db" "select group_concat(ref, ' ') from (select ref from question where ref != '' order by sort_key) x")" "1 2 3 4"
check_eq "lscb second agency under ref 1" "$(val "$T/lscb.db" "select count(*) from action a join question q on q.id = a.question_id where q.ref = '1'")" "2"

check_contains "lscb refs joined, said" "$out" "lscb-progress.csv:7: 4 questions begin with the reference from the Ref column (column 1), so that an export keeps it"
check_eq "lscb question text carries its ref" "$(val "$T/lscb.db" "select text from question where ref = '2'")" "2 Health visitors and school nurses should share information about missed appointments with the allocated social worker."
# export -> import -> export: the same bytes; the export back into its database changes nothing
"$RT" --db "$(dbof "$T/lscb.db")" export -o "$T/lscb1.csv" >/dev/null 2>"$T/exp.err" || fail "lscb export"
imp lscb_rt "$T/lscb_rt.db" "$T/lscb1.csv"
"$RT" --db "$(dbof "$T/lscb_rt.db")" export -o "$T/lscb2.csv" >/dev/null 2>"$T/exp.err" || fail "lscb export 2"
check_eq "lscb export round trip" "$(sum_file "$T/lscb2.csv")" "$(sum_file "$T/lscb1.csv")"
imp lscb_back "$T/lscb.db" "$T/lscb1.csv"
check_contains "lscb export back: nothing changed" "$(cat "$T/lscb_back.out")" "0 added, 0 updated, 6 unchanged"
imp lscb_again "$T/lscb.db" "$L/lscb-progress.csv"
check_contains "lscb re-import: nothing changed" "$(cat "$T/lscb_again.out")" "0 added, 0 updated, 6 unchanged"

# ---- council improvement plan: a 1-4 scale, remembered with --rag-map ----
imp council "$T/council.db" --review Improvement --rag-map '1=Red,2=Amber,3=Green,4=Blue' "$L/council-improvement.csv"
out=$(cat "$T/council.out")
check_contains "council mapping" "$out" '"Area for improvement" -> Finding, "What will be done" -> Action, "Named lead" -> Lead Person, "Partner" -> Agency, "Due by" -> Target Date, "Current status" -> RAG, "Latest update" -> Evidence/Outcome, "Measure of success" -> Desired Outcome'
check_contains "council remembered" "$out" 'council-improvement.csv: RAG words 1=Red, 2=Amber, 3=Green, 4=Blue remembered for review "Improvement"'
check_not_contains "council no unknown RAG" "$out" "unknown RAG value"
check_eq "council states" "$(val "$T/council.db" "select group_concat(rag, '') from (select rag from action order by id) x")" "3241"
# a later import of the review uses the remembered words without the option
sed 's/,3,"Template live/,4,"Template live/' "$L/council-improvement.csv" > "$T/council-improvement.csv"
imp council2 "$T/council.db" --review Improvement "$T/council-improvement.csv"
check_contains "council words reused" "$(cat "$T/council2.out")" "4 RAG cells read with the RAG words remembered for the review (--rag-map)"
check_eq "council update read by the remembered words" "$(val "$T/council.db" "select rag from action where rag_raw = '4' and evidence like 'Template live%'")" "4"
check_eq "council: one changed" "$(grep -o '[0-9]* updated' "$T/council2.out")" "1 updated"

# ---- SAB plan: status cells that open with Completed -, Complete: ----
imp sab "$T/sab.db" "$L/sab-sar.csv"
out=$(cat "$T/sab.out")
check_contains "sab mapping" "$out" 'sab-sar.csv:1: columns: "No." -> Ref, "Recommendation" -> Question, "Action(s) agreed" -> Action, "Lead organisation" -> Agency, "Owner" -> Lead Person, "Completion date" -> Target Date, "Status" -> RAG, "Update" -> Evidence/Outcome, "Evidence of completion" -> extra field'
check_contains "sab completed -" "$out" 'opens by saying it is done: read as Blue'
check_eq "sab Blue twice" "$(val "$T/sab.db" "select count(*) from action where rag = 4")" "2"
check_eq "sab by end of" "$(val "$T/sab.db" "select target_date from action where target_raw like 'By end of%'")" "2018-09-30"

# ---- a dry run prints the same mapping ----
"$RT" --db "$T/dry.db" import --dry-run "$L/sab-sar.csv" >"$T/dry.out" 2>&1 || fail "dry run refused"
check_contains "dry run mapping" "$(cat "$T/dry.out")" 'sab-sar.csv:1: columns: "No." -> Ref'
[ -e "$T/dry.db" ] && fail "dry run created a database"

# ---- refusals: what to do, and nothing changed ----
printf 'Agnecy,Actons,RGA,Traget Date,Questions\nPolice,Train staff,G,31/03/2017,1 Q\n' > "$T/misspelt.csv"
refuse misspelt 'misspelt.csv:1: most headers name no field ragtrack knows (line 1 taken as the header; headers found: "Agnecy", "Actons", "RGA", "Traget Date", "Questions"): "Agnecy": did you mean Agency?; "Actons": did you mean Action?; "RGA": did you mean RAG?; "Traget Date": did you mean Target Date?' "$T/misspelt.csv"
check_contains "misspelt: --map shown" "$(cat "$T/misspelt.err")" "e.g. --map 'Agnecy=Agency'"
# ... also with two fields named, when the rest look misspelt
printf 'Questions,Agency,Actons,RGA,Traget Date\n1 Q,Police,Train staff,G,31/03/2017\n' > "$T/misspelt2.csv"
refuse misspelt2 '"Actons": did you mean Action?; "RGA": did you mean RAG?; "Traget Date": did you mean Target Date?' "$T/misspelt2.csv"
# ... but a plan with more columns of its own than fields, none a near miss, keeps them
printf 'Recommendation,Action,Evidence to be probed,Monitoring arrangements,Scope\n1 Q,a,b,c,d\n' > "$T/own.csv"
cp "$ROOT/build/data.db" "$T/own.db"
imp own "$T/own.db" --review Own "$T/own.csv"
check_contains "own columns kept" "$(cat "$T/own.out")" '"Monitoring arrangements" -> extra field, "Scope" -> extra field'
# ... and --map resolves it
cp "$ROOT/build/data.db" "$T/mapped.db"
imp mapped "$T/mapped.db" --review Mapped --map 'Agnecy=Agency' --map 'actons=Action' --map 'RGA=RAG' --map 'Traget Date=Target Date' "$T/misspelt.csv"
check_contains "mapped" "$(cat "$T/mapped.out")" '"Agnecy" -> Agency (--map), "Actons" -> Action (--map), "RGA" -> RAG (--map), "Traget Date" -> Target Date (--map), "Questions" -> Question'
check_eq "mapped row" "$(val "$T/mapped.db" "select g.name || '|' || a.text || '|' || a.rag || '|' || a.target_date from action a join agency g on g.id = a.agency_id join review r on r.id = a.review_id where r.name = 'Mapped'")" "Police|Train staff|3|2017-03-31"

printf 'Person responsible,Timescale,Status\nHead of Service,31/03/2017,Green\n' > "$T/nokey.csv"
refuse nokey 'nokey.csv:1: no Action or Question column (line 1 taken as the header; headers found: "Person responsible", "Timescale", "Status"); name the column that holds the actions or the questions with --map' "$T/nokey.csv"

printf 'Colour,Size,Weight\nred,1,2\n' > "$T/nothing.csv"
refuse nothing 'nothing.csv:1: no usable columns: no row among the first 30 names a column ragtrack knows (line 1 taken as the header; headers found: "Colour", "Size", "Weight")' "$T/nothing.csv"

# a title block longer than the search: the header is never reached
{ for i in $(seq 1 30); do echo "Title line $i,,"; done; echo "Questions,Agency,Actions"; echo "1 Q,Police,a"; } > "$T/deep.csv"
refuse deep "deep.csv:1: no usable columns" "$T/deep.csv"

printf '\xef\xbb\xbfQuestions,Agency,Actions\n1 Q,Police,caf\xe9\n' > "$T/bombad.csv"
refuse bombad 'bombad.csv:2: the file starts with a UTF-8 byte-order mark, but byte 42 (0xE9, counted from 0) is not UTF-8; save it again as "CSV UTF-8"' "$T/bombad.csv"
printf 'Questions,Agency,Actions\n1 Q,Police,caf\xe9\n' > "$T/nobom.csv"
cp "$ROOT/build/data.db" "$T/cp.db"
imp nobom "$T/cp.db" --review Cp "$T/nobom.csv"
check_contains "1252 without a BOM, said" "$(cat "$T/nobom.out")" "nobom.csv:2: not UTF-8 and no UTF-8 byte-order mark: read as Windows-1252 and converted"

printf 'RAG,Actions,Status,Questions\nRed,a,Red,1 Q\nGreen,b,Amber,2 Q\n' > "$T/tworag.csv"
refuse tworag "tworag.csv:3: columns 1 and 3 both give the RAG (header on line 1) and differ on this row (\"Green\" / \"Amber\"); say which is the RAG with --map, e.g. --map '#3=extra'" "$T/tworag.csv"
cp "$ROOT/build/data.db" "$T/tworag.db"
imp tworag2 "$T/tworag.db" --review TwoRag --map 'Status=extra' "$T/tworag.csv"
check_eq "tworag: RAG from the first" "$(val "$T/tworag.db" "select group_concat(a.rag, '') from action a join review r on r.id = a.review_id where r.name = 'TwoRag'")" "13"

# --strict: an extra column, a guess, a headerless column
refuse strict_extra "sab-sar.csv:1: --strict: column 9 \"Evidence of completion\" would be kept as an extra field (its field is read from an earlier column); say what it is with --map 'Evidence of completion=FIELD'" --strict "$L/sab-sar.csv"
refuse strict_guess 'lscb-progress.csv:8: --strict: RAG cell "Red Amber Green" lists the legend, not a rating: left unset' --strict --map 'Evidence of impact=extra' "$L/lscb-progress.csv"
printf 'Questions,Agency,Actions,\n1 Q,Police,a,stray note\n' > "$T/headless.csv"
refuse strict_headless "headless.csv:2: --strict: column 4 has no header (line 1) but holds text" --strict "$T/headless.csv"
printf 'Questions,Agency,Actions,RAG,Target Date\n1 Q,Police,a,Green,31/03/2017\n' > "$T/exact.csv"
cp "$ROOT/build/data.db" "$T/strict.db"
imp strict_ok "$T/strict.db" --strict --review Exact "$T/exact.csv"
check_contains "strict accepts an exact file" "$(cat "$T/strict_ok.out")" "1 added"
# without --strict, a headerless column's text is said
cp "$ROOT/build/data.db" "$T/headless.db"
imp headless "$T/headless.db" --review Headless "$T/headless.csv"
check_contains "headless said" "$(cat "$T/headless.out")" "headless.csv:1: column 4 has no header; its cells are kept as the extra field \"Column 4\" (1 cell, from line 2)"

# a --map that names no column is said
cp "$ROOT/build/data.db" "$T/unused.db"
imp unused "$T/unused.db" --review Unused --map 'Budget=skip' "$T/exact.csv"
check_contains "unused --map said" "$(cat "$T/unused.out")" "exact.csv:1: --map 'Budget=...' names no column of this file"

# option errors are usage errors
check_status "--map without =" 2 rt import --map 'Agency' "$L/sab-sar.csv"
check_contains "--map bad field" "$(rt import --map 'Agency=Colour' "$L/sab-sar.csv" 2>&1)" '"Colour" is no field'
check_status "--rag-map bad state" 2 rt import --rag-map '1=Purple' "$L/sab-sar.csv"
check_status "--agency without a value" 2 rt import --agency
check_eq "option errors leave the database" "$(db_sum)" "$before"

finish
