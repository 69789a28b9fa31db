#!/usr/bin/env bash
# report, board and check on PostgreSQL: the plans in data/ in a SQLite file with a
# recorded board and later changes, and their db copy on the tests' own server, give the
# same board paper byte for byte in every format, with filters, against the copied board
# and against one recorded on each engine afterwards; board list and show say the same;
# a recorded board refuses UPDATE and DELETE on the server; check finds the copy sound
# (the change log's chain as on the file: the copy keeps the hashes) and names the damage
# that statements run as the schema's owner do: a RAG total, a search vector, a change-log
# row rewritten behind a disabled trigger, row-level security turned off, an orphan row.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../pg.sh"
need sqlite3
pg_start
SRC=$T/src.db
cp "$ROOT/build/data.db" "$SRC"
DB=$SRC
rt board record "March 2016" --date 2016-03-31 >/dev/null || fail "record March"
set_at() { RAGTRACK_NOW=$1 rt set "${@:2}" >/dev/null || fail "set ${*:2}"; }
set_at 2016-05-02T09:00:00Z 10 rag=green --reason "chronology audit done"
set_at 2016-05-03T09:00:00Z 11 rag=red --reason "record audit failed"
set_at 2016-05-04T09:00:00Z 59 rag=blue "evidence=Assessment audit report, May 2016"
set_at 2016-05-05T09:00:00Z 3 target=30.09.2016 --reason "audit moved to Q2"
set_at 2016-05-06T09:00:00Z 7 withdrawn=yes --reason "merged into 8"
RAGTRACK_NOW=2016-05-09T09:00:00Z rt note 11 "Update 9.5.16 re-audit booked for July" >/dev/null || fail "note"
URL=$(pg_db t_report)
check_status "db copy" 0 "$RT" db copy "$SRC" "$URL"


for fmt in text md html json; do
	pg_same "report ($fmt), against the copied board" report --format "$fmt"
	pg_same "report ($fmt), no board" report --format "$fmt" --board none
done
pg_same "report of an agency" report --agency Police --format md
pg_same "report of red and amber" report --rag R,A --format json
pg_same "report of a review, every action listed" report --review Julia --all
pg_same "report of a search" report --search audit --format json
pg_same "report of withdrawn actions too" report --include-withdrawn --format md
pg_same "report since, for a past meeting" report --since 2016-05-04 --meeting 2016-05-31 --next 2016-09-30
pg_same "report with a title, author and paper number" report --title "Progress" --author "Board manager" \
	--paper-no 7 --stale-days 30 --format html
pg_same "report under an agency's lens" --as-agency Police report
pg_same "report against a missing board" report --board "No such board"
check_contains "the paper compares with the copied board" "$(cat "$T/pg")" "no board 'No such board'; recorded: 'March 2016'"
# "Data as at": the latest day any action was changed, noted or imported, of them all
latest=$(q "SELECT max(max(substr(touched_at, 1, 10)), max(substr(updated_at, 1, 10))) FROM action")
check_contains "Data as at, the latest change" "$("$RT" --db "$URL" report)" "Data as at    $latest"

# A board recorded on each engine, and the paper against it.
pg_same "board record" board record "June 2016" --date 2016-06-30
pg_same "board list" board list
pg_same "board show" board show "june 2016"
for fmt in text md html json; do
	pg_same "report ($fmt) against the board recorded on each" report --format "$fmt" --board "June 2016"
done
pg_same "report against the March board by name" report --board "march 2016" --format md
"$RT" --db "$SRC" board record "JUNE 2016" >/dev/null 2>&1
want=$?
"$RT" --db "$URL" board record "JUNE 2016" >"$T/out" 2>"$T/err"
check_eq "a name in use: exit status as on the file" "$?" "$want"
check_eq "a name in use: refused" "$want" 7
check_eq "a name in use" "$(cat "$T/err")" "ragtrack: $PG_DIR/t_report: a board called 'JUNE 2016' is already recorded (ragtrack board list shows them)"
pg_same "board partnership" board partnership "Thurrock and Essex"
pg_same "report headed with the partnership" report --format md
check_eq "boards on the server" "$(pg_q t_report "SELECT string_agg(name, ', ' ORDER BY id) FROM ragtrack.board")" \
	"March 2016, June 2016"
check_eq "the snapshot holds every action" \
	"$(pg_q t_report "SELECT count(*) FROM ragtrack.board_action ba JOIN ragtrack.board b ON b.id = ba.board_id WHERE b.name = 'June 2016'")" \
	"$(q "SELECT count(*) FROM action")"
for sql in "UPDATE ragtrack.board SET name = 'x'" "DELETE FROM ragtrack.board_action" "UPDATE ragtrack.board_action SET rag = 4"; do
	pg_q t_report "$sql" >/dev/null 2>"$T/err" && fail "the server let the schema's owner run: $sql"
	check_contains "$sql: refused by trigger" "$(cat "$T/err")" "a recorded board cannot be"
done

# check on the copy: sound, and the chain's line (rows and last hash) the file's.
check_status "check on the copy" 0 "$RT" --db "$URL" check
cp "$T/out" "$T/check.pg"
"$RT" --db "$SRC" check >"$T/check.lite" 2>&1 || fail "check on the file"
check_eq "the chain as on the file" "$(grep '^change log chain:' "$T/check.pg")" "$(grep '^change log chain:' "$T/check.lite")"
check_contains "the chain has the rows" "$(cat "$T/check.pg")" "change log chain: ok, $(q "SELECT count(*) FROM change_log") rows"
for line in "integrity: SQLite only" "foreign keys: ok" "search index: ok" "search index against the text: ok" \
	"actions: ok" "RAG totals: ok" "change log: ok" "row-level security: ok" "database is sound"; do
	check_contains "check on the copy: $line" "$(cat "$T/check.pg")" "$line"
done
check_status "read-only check on the copy" 0 "$RT" --db "$URL" --read-only check
check_status "check --head as the file's" 0 "$RT" --db "$URL" check --head \
	"$(sed -n 's/^change log chain: ok, [0-9]* rows; the last is row \([0-9]*\), hash \([0-9a-f]*\)$/\1:\2/p' "$T/check.lite")"

# broken NAME SQL LINE: a new copy damaged by SQL the schema's owner runs, then checked:
# exit 9, LINE in the report, one line on stderr.
n=0
broken() {
	n=$((n + 1))
	local url
	url=$(pg_db "t_broken$n")
	"$RT" db copy "$SRC" "$url" >/dev/null 2>&1 || { fail "$1: db copy"; return; }
	pg_q "t_broken$n" "$2" >/dev/null || { fail "$1: could not damage the copy"; return; }
	"$RT" --db "$url" check >"$T/out" 2>"$T/err"
	check_eq "$1: exit status" "$?" 9
	check_contains "$1: named" "$(cat "$T/out")" "$3"
	check_eq "$1: one line on stderr" "$(wc -l <"$T/err")" 1
	check_contains "$1: stderr" "$(cat "$T/err")" "problem(s) found"
}
# the same RAG total altered on the file says the same line
IFS='|' read -r rv ag rag <<<"$(q "SELECT review_id, agency_id, rag FROM rag_count WHERE n > 0 ORDER BY 1, 2, 3 LIMIT 1")"
alter="UPDATE rag_count SET n = n + 2 WHERE review_id = $rv AND agency_id = $ag AND rag = $rag"
cp "$SRC" "$T/totals.db"
sqlite3 "$T/totals.db" "$alter"
"$RT" --db "$T/totals.db" check >"$T/lite.out" 2>&1
want=$(grep '^RAG totals:' "$T/lite.out")
check_contains "the file's RAG total altered" "$want" "RAG totals: review $rv, agency $ag, RAG $rag:"
broken "a RAG total altered" "SET search_path = ragtrack; $alter" "$want"
broken "a search vector altered" "UPDATE ragtrack.action SET search = to_tsvector('simple', 'nothing') WHERE id = 3" \
	"search index against the text: does not match (1 of 629 actions, the first action 3)"
broken "a search vector removed" "UPDATE ragtrack.action SET search = NULL WHERE id = 4" \
	"search index: 1 of 629 actions have no search vector"
broken "a change-log row rewritten" "ALTER TABLE ragtrack.change_log DISABLE TRIGGER change_log_no_update;
	UPDATE ragtrack.change_log SET new_value = 'blue' WHERE id = (SELECT min(id) + 1 FROM ragtrack.change_log)" \
	"trigger change_log_no_update is disabled: the change log can be altered"
check_contains "the rewritten row named" "$(cat "$T/out")" "was rewritten: its content does not match its hash"
broken "a board's guard dropped" "DROP TRIGGER board_action_no_delete ON ragtrack.board_action" \
	"trigger board_action_no_delete is missing: the recorded boards can be altered"
broken "row-level security off" "ALTER TABLE ragtrack.note DISABLE ROW LEVEL SECURITY" \
	"row-level security: table note has it turned off"
broken "an orphan note" "SET session_replication_role = replica;
	INSERT INTO ragtrack.note(action_id, at, \"user\", source, text) VALUES (99999, 'x', 'x', 'cli', 'orphan')" \
	"foreign keys: note row"
finish
