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

# same NAME ARGS...: the command's output and exit status on both engines
same() {
	local what=$1; shift
	"$RT" --db "$SRC" "$@" >"$T/lite" 2>&1; local lite_rc=$?
	"$RT" --db "$URL" "$@" >"$T/pg" 2>&1; local pg_rc=$?
	check_eq "$what: exit status on PostgreSQL" "$pg_rc" "$lite_rc"
	if ! cmp -s "$T/lite" "$T/pg"; then
		fail "$what: PostgreSQL's output differs from SQLite's"; diff "$T/lite" "$T/pg" | head -10 >&2
	fi
	[ -s "$T/lite" ] || fail "$what: no output to compare"
}
same "list" list
same "list red" list --rag red
same "list red and amber of an agency, by target" list --rag R,A --agency Police --sort target
same "list by an alias's agency, by RAG then agency" list --agency 'ccg' --sort rag,agency
same "list of a review, by lead" list --review Julia --sort lead
same "list of a finding and question" list --finding 1 --question 1a --format csv
same "list lead contains" list --lead smith --format json
same "list overdue" list --overdue --sort updated --format tsv
same "list due within" list --due-within 400 --columns id,target,evidence
same "list stale" list --stale 30 --sort agency
same "list changed since" list --changed-since 2016-06-30 --format json
same "list withdrawn" list --withdrawn --columns id,withdrawn,action
same "list withdrawn too, by id" list --include-withdrawn --sort id --format csv
same "list every column" list --columns id,rag,review,finding,ref,question,agency,response,action,target,evidence,lead,constraints,desired,updated,notes,withdrawn,extras --format csv
same "list a search sorted by id" list --search 'safeguarding training' --sort id --format csv
same "list a prefix search sorted by target" list --search 'assur*' --sort target
same "list a search of nothing" list --search zzzznotaword
same "list an unknown agency" list --agency Polce
same "list an unknown review" list --review Nowhere
same "list an unknown question" list --question 99z

# a search in rank order: the same rows, each engine ranking them its own way
"$RT" --db "$SRC" list --search safeguarding --format csv | sort >"$T/lite.search"
"$RT" --db "$URL" list --search safeguarding --format csv | sort >"$T/pg.search"
cmp -s "$T/lite.search" "$T/pg.search" || fail "a search's rows differ between the engines"
[ "$(wc -l <"$T/pg.search")" -gt 10 ] || fail "the search found too few rows to compare"

for id in 1 3 4 5 7 629; do
	same "show $id" show "$id"
done
same "show a missing action" show 99999
same "export" export
same "export for Excel" export --excel
same "export of a filter" export --rag red --agency Police
same "history" history
same "history of an action" history 3
same "history as CSV" history --format csv
same "history since" history --since 2016-06-30
same "history of a missing action" history 99999
finish
