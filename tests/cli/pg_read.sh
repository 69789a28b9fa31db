#!/usr/bin/env bash
# list, show, export and history on PostgreSQL: the same plans in a SQLite file and, after
# db copy, on the tests' own server read byte for byte the same through every filter,
# sort and format (the same store code on both engines, through the statement layer).
# A search's ranking is each engine's own (FTS5's bm25, ts_rank): its default order is
# compared as sorted rows; sorted by a field it is compared as it is.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../pg.sh"
need sqlite3
pg_start
SRC=$T/src.db
cp "$ROOT/build/data.db" "$SRC"
DB=$SRC
rt set 3 rag=red lead='A. Smith' --reason 'board asked' >/dev/null || fail "set"
rt set 4 evidence=$'audit report\t2016' target=2016-05-01 >/dev/null || fail "set evidence"
rt set 7 withdrawn=yes --reason 'merged into 8' >/dev/null || fail "withdraw"
rt note 5 $'line one\nline two' >/dev/null || fail "note"
URL=$(pg_db t_read)
check_status "db copy" 0 "$RT" db copy "$SRC" "$URL"

pg_same "list" list
pg_same "list red" list --rag red
pg_same "list red and amber of an agency, by target" list --rag R,A --agency Police --sort target
pg_same "list by an alias's agency, by RAG then agency" list --agency 'ccg' --sort rag,agency
pg_same "list of a review, by lead" list --review Julia --sort lead
pg_same "list of a finding and question" list --finding 1 --question 1a --format csv
pg_same "list lead contains" list --lead smith --format json
pg_same "list overdue" list --overdue --sort updated --format tsv
pg_same "list due within" list --due-within 400 --columns id,target,evidence
pg_same "list stale" list --stale 30 --sort agency
pg_same "list changed since" list --changed-since 2016-06-30 --format json
pg_same "list withdrawn" list --withdrawn --columns id,withdrawn,action
pg_same "list withdrawn too, by id" list --include-withdrawn --sort id --format csv
pg_same "list every column" list --columns id,rag,review,finding,ref,question,agency,response,action,target,evidence,lead,constraints,desired,updated,notes,withdrawn,extras --format csv
pg_same "list a search sorted by id" list --search 'safeguarding training' --sort id --format csv
pg_same "list a prefix search sorted by target" list --search 'assur*' --sort target
pg_same "list a search of nothing" list --search zzzznotaword
pg_same "list an unknown agency" list --agency Polce
pg_same "list an unknown review" list --review Nowhere
pg_same "list an unknown question" list --question 99z

# a search in rank order: the same rows, each engine ranking them its own way
"$RT" --db "$SRC" list --search safeguarding --format csv | sort >"$T/lite.search"
"$RT" --db "$URL" list --search safeguarding --format csv | sort >"$T/pg.search"
cmp -s "$T/lite.search" "$T/pg.search" || fail "a search's rows differ between the engines"
[ "$(wc -l <"$T/pg.search")" -gt 10 ] || fail "the search found too few rows to compare"

for id in 1 3 4 5 7 629; do
	pg_same "show $id" show "$id"
done
pg_same "show a missing action" show 99999
pg_same "export" export
pg_same "export for Excel" export --excel
pg_same "export of a filter" export --rag red --agency Police
pg_same "history" history
pg_same "history of an action" history 3
pg_same "history as CSV" history --format csv
pg_same "history since" history --since 2016-06-30
pg_same "history of a missing action" history 99999
finish
