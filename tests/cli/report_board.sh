#!/usr/bin/env bash
# ragtrack report against a recorded board: RAG movements are counted per pair, from
# the state at the board to the state now (a change and its undo, or a change and its
# reverse, is no movement), overall, by review and by agency, in text, Markdown and
# JSON; new actions, actions completed and targets slipped since the board are listed;
# withdrawn actions are left out and counted; --board picks another board or none;
# the default is the last board held on or before --meeting.
. "$(dirname "$0")/../lib.sh"
pg_needs report board set note undo reimport
need sqlite3
need python3
data_db
cd "$T" || exit 1

rt board record "March 2016" --date 2016-03-31 >/dev/null || fail "record"
set_at() { RAGTRACK_NOW=$1 rt set "${@:2}" >/dev/null || fail "set ${*:2}"; }
set_at 2016-05-02T09:00:00Z 10 rag=green --reason "chronology audit done"
set_at 2016-05-02T09:00:00Z 18 rag=green
set_at 2016-05-02T09:00:00Z 26 rag=green
set_at 2016-05-03T09:00:00Z 11 rag=red --reason "record audit failed"
set_at 2016-05-04T09:00:00Z 59 rag=blue "evidence=Assessment audit report, May 2016"
set_at 2016-05-05T09:00:00Z 3 target=30.09.2016 --reason "audit moved to Q2"
# a change and its undo, and a change and its reverse: neither is a movement
set_at 2016-05-06T09:00:00Z 42 rag=red
RAGTRACK_NOW=2016-05-06T09:05:00Z rt undo >/dev/null || fail "undo"
set_at 2016-05-07T09:00:00Z 44 rag=green
set_at 2016-05-08T09:00:00Z 44 rag=amber
RAGTRACK_NOW=2016-05-09T09:00:00Z rt note 11 "Update 9.5.16 re-audit booked for July" >/dev/null || fail "note"
set_at 2016-05-09T09:00:00Z 11 "constraints=Named nurse post vacant since April"
# a new action: Education answers question 20 in the agency's updated spreadsheet
cp "$DATA/megan.csv" megan.csv
printf '%s\n' ',Education,Schools to include the learning in their safeguarding training,Amber,30.09.2016,,Head of Safeguarding in Education' >>megan.csv
RAGTRACK_NOW=2016-05-10T09:00:00Z rt import --review Megan megan.csv >/dev/null 2>&1 || fail "import"
new_id=$(q "select max(id) from action")
check_eq "the new action" "$(q "select ag.name, rag from action a join agency ag on ag.id = a.agency_id where a.id = $new_id")" "Education|2"
# two actions withdrawn (the agency-returns work sets the flag): one was Amber at the board
q "UPDATE action SET withdrawn = 1 WHERE id IN (28, 5)"
check_eq "#28 was Amber" "$(q "select rag from board_action where action_id = 28")" "2"

check_status "text" 0 rt report --review Megan
r=$(cat "$T/out")
check_contains "compared with" "$r" "Compared with the board of 2016-03-31 (March 2016)"
moves=$(printf '%s\n' "$r" | sed -n '/^RAG movements$/,/^Movements by review/p')
check_contains "movements: Amber to Green" "$moves" "Amber  Green        3"
check_contains "movements: Green to Red" "$moves" "Green  Red          1"
check_contains "movements: Green to Blue" "$moves" "Green  Blue         1"
check_eq "movements: three pairs, no more" "$(printf '%s\n' "$moves" | grep -cE '^(Red|Amber|Green|Blue|Unset) ')" "3"
check_contains "unchanged counted" "$moves" "156 actions have the same RAG status as at the board."
check_contains "summary words" "$(printf '%s' "$r" | tr '\n' ' ')" "5 actions changed RAG status (1 became Blue, 3 improved, 1 got worse); 1 action is new, 1 target has slipped and 2 actions were withdrawn."
check_contains "then and now" "$r" "At the board (2016-03-31)    0     16     26    27     94    163       16.6%"
check_contains "withdrawn left out" "$r" "The plans hold 162 actions in 1 review (and 2 withdrawn, not counted)."
byrev=$(printf '%s\n' "$r" | sed -n '/^Movements by review/,/^Movements by agency/p')
check_contains "by review" "$byrev" "Megan   Amber → Green 3, Green → Red 1, Green → Blue 1    1          1        1          2"
byag=$(printf '%s\n' "$r" | sed -n '/^Movements by agency/,/^New since/p' | tr -s ' ')
check_contains "by agency: CSC" "$byag" "Children's Social Care/Childr… Amber → Green 3 0 0 0 0"
check_contains "by agency: NELFT" "$byag" "NELFT Green → Red 1, Green → Blue 1 0 1 1 0"
check_contains "by agency: the new one" "$byag" "Education none 1 0 0 0"
check_contains "by agency: withdrawn since" "$byag" "BTUH none 0 0 0 1"
check_contains "by agency: the others" "$byag" "Not listed, 6 agencies: no movement"
check_not_contains "by agency: undone change is no movement" "$byag" "Thurrock CCG                    Amber → Red"
check_contains "new listed" "$(printf '%s\n' "$r" | sed -n '/^New since the board (1)/,/^Completed since/p')" "#$new_id  Megan   20   Education  A    2016-09-30"
check_contains "completed listed" "$(printf '%s\n' "$r" | sed -n '/^Completed since the board (1)/,/^Targets slipped/p')" "#59  Megan   8    NELFT   B    G"
check_contains "slipped since listed" "$(printf '%s\n' "$r" | sed -n '/^Targets slipped since the board (1)/,/^RAG by review/p')" "#3  Megan   1    NELFT   G    2016-09-30  2016-03-31            183"
red=$(printf '%s\n' "$r" | sed -n '/^Red (1)/,/^Overdue/p')
check_contains "Red listed" "$red" "#11  Megan   2    NELFT   R    2016-06-30"
check_contains "Red: latest note in full" "$red" "      Latest note (2016-05-09): Update 9.5.16 re-audit booked for July"
check_contains "Red: constraints in full" "$red" "      Constraints: Named nurse post vacant since April"
check_not_contains "withdrawn not listed" "$(printf '%s\n' "$r" | sed -n '/^Red or Amber with no target/,/^Agencies/p')" "#28 "
check_contains "changes since the board by default" "$r" "Changes since 2016-03-31 ("

# JSON: the same figures, for scripts.
check_status "json" 0 rt report --review Megan --format json
cp "$T/out" r.json
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' r.json 2>"$T/e" || fail "json does not parse: $(cat "$T/e")"
j() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps(eval(sys.argv[2]), ensure_ascii=False, separators=(",", ":")))' r.json "$1"; }
check_eq "json: board" "$(j 'd["board"]')" '"March 2016"'
check_eq "json: movements" "$(j 'd["movements"]')" \
	'[{"from":"Amber","to":"Green","count":3},{"from":"Green","to":"Red","count":1},{"from":"Green","to":"Blue","count":1}]'
check_eq "json: new, completed, slipped, withdrawn" "$(j '[d["new"], d["completed"], d["slipped_since_board"], d["withdrawn_since_board"], d["withdrawn"]]')" "[1,1,1,2,2]"
check_eq "json: at the board" "$(j 'd["at_board"]')" '{"Red":0,"Amber":16,"Green":26,"Blue":27,"unset":94,"total":163,"complete_pct":16.6,"rated_pct":39.1}'
check_eq "json: by agency" "$(j '[g for g in d["movements_by_agency"] if g["agency"] == "NELFT"][0]["movements"]')" \
	'[{"from":"Green","to":"Red","count":1},{"from":"Green","to":"Blue","count":1}]'
check_eq "json: red list" "$(j '[(a["id"], a["latest_note"], a["constraints"]) for a in d["lists"]["red"]["actions"]]')" \
	'[[11,"Update 9.5.16 re-audit booked for July","Named nurse post vacant since April"]]'
check_eq "json: question 2's worst RAG" "$(j '[q["worst_rag"] for q in d["recommendations"] if q["ref"] == "2"][0]')" '"Red"'
check_eq "json: % complete now (withdrawn left out)" "$(j '[r["complete_pct"] for r in d["reviews"]]')" "[17.3]"

# Markdown carries the same movements.
check_status "md" 0 rt report --review Megan --format md
check_contains "md movements" "$(cat "$T/out")" "| Amber | Green | 3 |"
check_contains "md: why column" "$(cat "$T/out")" "Latest note (2016-05-09): Update 9.5.16 re-audit booked for July Constraints: Named nurse post vacant since April |"

# --board none, --board NAME, a missing board; the default follows --meeting.
check_status "--board none" 0 rt report --review Megan --board none
check_contains "--board none" "$(cat "$T/out")" "Compared with no earlier board recorded"
check_not_contains "--board none: no movements" "$(cat "$T/out")" "RAG movements"
check_status "--board missing" 6 rt report --board "May 2016"
check_contains "--board missing said" "$(cat "$T/err")" "no board 'May 2016'; recorded: 'March 2016'"
RAGTRACK_NOW=2016-06-01T09:00:00Z rt board record "May 2016" --date 2016-05-31 >/dev/null || fail "second board"
check_status "default: the last board" 0 rt report --review Megan --format json
cp "$T/out" r.json
check_eq "default: May" "$(j 'd["board"]')" '"May 2016"'
check_eq "nothing moved since May" "$(j 'd["movements"]')" "[]"
check_status "--meeting before May" 0 rt report --review Megan --format json --meeting 2016-04-30
cp "$T/out" r.json
check_eq "--meeting 2016-04-30: March" "$(j 'd["board"]')" '"March 2016"'
check_eq "--meeting: the paper's date" "$(j 'd["meeting"]')" '"2016-04-30"'
check_status "--board March" 0 rt report --review Megan --format json --board "march 2016"
cp "$T/out" r.json
check_eq "--board march 2016" "$(j 'd["board"]')" '"March 2016"'
check_status "--meeting before any board" 0 rt report --review Megan --meeting 2016-01-31
check_contains "no board before" "$(cat "$T/out")" "Compared with no earlier board recorded"

# --next: actions due before the next meeting; the frame of the paper.
check_status "--next and the frame" 0 rt report --review Megan --next 2016-08-31 --title "Megan SCR: action plan progress" \
	--author "LSCB Business Manager" --paper-no "Item 7"
r=$(cat "$T/out")
check_eq "title" "$(head -1 "$T/out")" "Megan SCR: action plan progress"
check_contains "author" "$r" "Author        LSCB Business Manager"
check_contains "paper" "$r" "Paper         Item 7"
due=$(printf '%s\n' "$r" | sed -n '/^Due before the next meeting/,/^Target slipped/p')
check_contains "due: window" "$due" "from today (2016-06-30) to before the next meeting (2016-08-31)"
ndue=$(q "select count(*) from action where review_id = 1 and withdrawn = 0 and rag <> 4 and target_date >= '2016-06-30' and target_date < '2016-08-31'")
check_contains "due: heading" "$due" "Due before the next meeting ($ndue)"
check_eq "due: rows" "$(printf '%s\n' "$due" | grep -c '^ *#[0-9]')" "$ndue"
check_contains "due: #11" "$due" "#11  Megan   2"
check_status "bad --next" 2 rt report --next soon
check_contains "bad --next said" "$(cat "$T/err")" "--next: 'soon' is not a date"
check_status "bad --meeting" 2 rt report --meeting "June 2016"
finish
