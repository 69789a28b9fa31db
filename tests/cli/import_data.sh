#!/usr/bin/env bash
# The real plans in data/: counts per review, RAG and agency match the documents
# (counted independently from the source texts), re-import changes nothing, an
# updated spreadsheet updates only what changed, --dry-run writes nothing.
. "$(dirname "$0")/../lib.sh"
pg_needs reimport
need sqlite3
data_db

per_review=$(sql "$DB" "select r.name, count(*) from action a join review r on r.id=a.review_id group by 1 order by 1")
check_eq "actions per review" "$per_review" "Child L|37
Children of Family Y|51
Julia|333
Megan|163
Thurrock LSCB priorities 2017-18|45"

rag() { sql "$DB" "select group_concat(rag || '=' || n, ' ') from (select a.rag, count(*) n from action a join review r on r.id=a.review_id where r.name='$1' group by 1 order by 1) x"; }
# Megan: blank 44 + "0" 39 + n/a 5 + N/A 3 + "This is in place" 3 unset; Amber 7 + A 5 +
# Amber/Green 2 + Green / Amber 1 + Green/Amber 1; G 14 + Green 10 + Green / Blue 2;
# completed 13 + Completed 13 + Blue 1.
check_eq "Megan RAG" "$(rag Megan)" "0=94 2=16 3=26 4=27"
# Julia: Action complete(d) in five spellings 173 + the long "Action complete as ..." 1;
# G 49 + <b>G</b> 1; A 11; the rest (blank, N/A, P, sentences) unset.
check_eq "Julia RAG" "$(rag Julia)" "0=98 2=11 3=50 4=174"

agencies=$(sql "$DB" "select ifnull(ag.name,'(none)') || '=' || count(*) from action a join review r on r.id=a.review_id left join agency ag on ag.id=a.agency_id where r.name='Megan' group by ag.name order by lower(ag.name)")
check_eq "Megan agencies" "$(echo $agencies)" "0=1 BTUH=20 CAFCASS=20 Children's Social Care=3 Children's Social Care/Children's Services=17 CRC=20 Education=3 NELFT=20 NPS=20 Police=19 Thurrock CCG=20"
check_eq "Julia questions" "$(sql "$DB" "select group_concat(ref, ' ') from (select q.ref from question q join review r on r.id=q.review_id where r.name='Julia' order by q.sort_key) x")" \
	"1a 1b 1c 2a 2b 2c 2d 3a 3b 3c 3d 4a 4b 4c 4d 5a 5b 5c 5d 6a 6b 6c 6d 7a 7b 7c 8a 8b 8c 8d 8e 9a"
check_eq "Julia CCG 1a actions in sequence" "$(sql "$DB" "select group_concat(seq, ',') from action a join question q on q.id=a.question_id join agency ag on ag.id=a.agency_id where q.ref='1a' and ag.name='Thurrock CCG'")" "1,2,3,4"
check_eq "Family Y has no agencies" "$(sql "$DB" "select count(*) from action a join review r on r.id=a.review_id where r.name='Children of Family Y' and a.agency_id is not null")" "0"
check_eq "Family Y recommendations" "$(sql "$DB" "select count(*) from question q join review r on r.id=q.review_id where r.name='Children of Family Y'")" "19"
check_eq "Excel serial target" "$(sql "$DB" "select target_date from action where target_raw='42461'")" "2016-04-01"
check_eq "HTML became lines" "$(sql "$DB" "select count(*) from action where text like '%<p>%' or evidence like '%&amp;%'")" "0"
if [ "$ENGINE" = sqlite ]; then    # the file's schema version and FTS5 index: SQLite's own
	check_eq "schema version" "$(sql "$DB" "pragma user_version")" "4"
	check_eq "search index complete" "$(sql "$DB" "select count(*) from action_fts")" "629"
fi
check_eq "full-text search" "$("$RT" --db "$DB" list --search Gillick --format tsv | tail -n +2 | wc -l)" \
	"$(sql "$DB" "select count(*) from action a join question q on q.id=a.question_id join response r on r.id=a.response_id where a.text like '%Gillick%' or a.evidence like '%Gillick%' or q.text like '%Gillick%' or r.text like '%Gillick%'")"

# re-import: nothing changes
before=$(sql "$DB" "select count(*) || '/' || sum(version) from action")
out=$("$RT" --db "$DB" import --review Megan "$DATA/megan.csv")
check_contains "re-import summary" "$out" "0 added, 0 updated, 163 unchanged"
check_eq "re-import changes nothing" "$(sql "$DB" "select count(*) || '/' || sum(version) from action")" "$before"
check_eq "re-import logs nothing" "$(sql "$DB" "select count(*) from change_log")" "0"

# an updated spreadsheet: one RAG and one evidence changed, one row added
python3 - "$DATA/megan.csv" "$T/megan2.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
rows[2][3] = "Red"                       # NELFT, question 1 (was Green)
rows[3][5] = "Evidence updated at the June board"
rows.append(["21 A new question added after the board", "Police", "New action", "A", "30/09/2016", "", "DI Smith"])
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    csv.writer(f, lineterminator="\n").writerows(rows)
PY
out=$("$RT" --db "$DB" import --review Megan "$T/megan2.csv")
check_contains "update summary" "$out" "1 added, 2 updated, 161 unchanged"
check_eq "changes logged with source import" "$(sql "$DB" "select field || ':' || old_value || '>' || new_value || ':' || source from change_log where field='rag'")" "rag:Green>Red:import"
check_eq "evidence change logged" "$(sql "$DB" "select count(*) from change_log where field='evidence' and source='import'")" "1"
check_eq "new row dated" "$(sql "$DB" "select target_date from action where text='New action'")" "2016-09-30"

# an edit made in ragtrack since is not undone by importing the same spreadsheet again
id=$(sql "$DB" "select a.id from action a join question q on q.id=a.question_id join agency ag on ag.id=a.agency_id where q.ref='1' and ag.name='BTUH' and q.review_id=(select id from review where name='Megan')")
sql "$DB" "update action set lead='Changed in ragtrack' where id=$id"
out=$("$RT" --db "$DB" import --review Megan "$T/megan2.csv")
check_contains "second import of updated file" "$out" "0 added, 0 updated, 164 unchanged"
check_eq "edit kept" "$(sql "$DB" "select lead from action where id=$id")" "Changed in ragtrack"

# an export of this database coming back (filtered, or with columns left out) changes
# nothing: rows are matched by their ID, and absent columns leave fields alone
cp "$ROOT/build/data.db" "$T/rt.db"
"$RT" --db "$T/rt.db" export --rag amber -o "$T/amber.csv" 2>/dev/null
"$RT" --db "$T/rt.db" export --redact -o "$T/redacted.csv" 2>/dev/null
"$RT" --db "$T/rt.db" export --excel -o "$T/excel.csv" 2>/dev/null
before=$(sql "$T/rt.db" "select group_concat(id || text || rag || evidence || lead, '|') from action")
for f in amber redacted excel; do
	out=$("$RT" --db "$T/rt.db" import "$T/$f.csv")
	check_contains "re-import of the $f export" "$out" "0 added, 0 updated"
done
check_eq "exports re-imported change nothing" "$(sql "$T/rt.db" "select group_concat(id || text || rag || evidence || lead, '|') from action")" "$before"
check_eq "and log nothing" "$(sql "$T/rt.db" "select count(*) from change_log")" "0"

# findings are known by their title: Julia's additional-learning theme "1." is not Finding 1
check_eq "Julia findings" "$(sql "$DB" "select count(*) from finding f join review r on r.id=f.review_id where r.name='Julia'")" "9"
check_eq "question 1a's finding" "$(sql "$DB" "select substr(f.title, 1, 10) from question q join finding f on f.id=q.finding_id where q.ref='1a'")" "Finding 1:"

# --dry-run reports the same and writes nothing
sum=$(db_sum)
out=$("$RT" --db "$DB" import --dry-run --review Megan "$DATA/megan.csv")
check_contains "dry run summary" "$out" "dry run, nothing written"
check_contains "dry run counts" "$out" "2 updated"
check_eq "dry run wrote nothing" "$(db_sum)" "$sum"
"$RT" --db "$T/none.db" import --dry-run "$DATA/julia.csv" >/dev/null || fail "dry run into a missing database"
[ -e "$T/none.db" ] && fail "dry run created a database"

# new databases: owner and group only
"$RT" --db "$T/fresh.db" import "$DATA/child-l.csv" >/dev/null
check_eq "new database mode" "$(stat -c %a "$T/fresh.db")" "660"

# a database from a newer ragtrack is refused, not damaged
cp "$T/fresh.db" "$T/newer.db"
sql "$T/newer.db" "pragma user_version = 99"
sum=$(sum_file "$T/newer.db")
"$RT" --db "$T/newer.db" import "$DATA/child-l.csv" >/dev/null 2>"$T/err" && fail "newer schema accepted"
check_contains "newer schema message" "$(cat "$T/err")" "schema version 99 is newer"
check_eq "newer database untouched" "$(sum_file "$T/newer.db")" "$sum"

finish
