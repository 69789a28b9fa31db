#!/usr/bin/env bash
# ragtrack agency alias: what a merge leaves in the database, table by table, for several
# merges of the real plans (spellings under the same questions, interleaved and not).  The
# expected file was written by the merge as it was before it became set-based; a change to
# the merge that moves, renumbers, joins or logs anything differently fails here, and the
# change log it writes still lets undo and history work.
. "$(dirname "$0")/../lib.sh"
pg_needs alias set undo check
need sqlite3
data_db
EXP=$ROOT/tests/cli/expected
{
	rt --user alice agency alias "Children's Social Care" "Children's Social Care/Children's Services"
	rt --user alice agency alias "Children's Social Care" "Children's' Social Care"
	rt --user bob agency alias "NPS" "National Probation Service"
	rt --user bob agency alias "Probation" "NPS"
	rt --user bob agency alias "Police" "Essex Police"
	rt --user bob agency alias "CRC" "Essex Community Rehabilitation Company (Essex CRC)"
	echo "exit $?"
} >"$T/merges.txt" 2>"$T/merges.err"
# (stderr apart: a merge that holds the write lock past a second says so there, with progress)
check_eq "nothing else on stderr" "$(grep -v -e "holds the database's write lock" -e ' actions' "$T/merges.err")" ""
# Each table as the merges left it, without the clock (at, updated_at) or what hashes it.
state() {
	q "SELECT 'action', a.id, ifnull(g.name, '-'), a.question_id, a.seq, a.sort_key, a.response_id, a.version
	   FROM action a LEFT JOIN agency g ON g.id = a.agency_id ORDER BY a.id" | sha256sum | cut -c1-16 | sed 's/^/action /'
	q "SELECT r.id, r.question_id, ifnull(g.name, '-'), r.text FROM response r LEFT JOIN agency g ON g.id = r.agency_id
	   ORDER BY r.id" | sha256sum | cut -c1-16 | sed 's/^/response /'
	q "SELECT id, name FROM agency ORDER BY id" | sha256sum | cut -c1-16 | sed 's/^/agency /'
	q "SELECT alias, agency_id FROM agency_alias ORDER BY lower(alias), alias" | sed 's/^/alias /'
	q "SELECT id, action_id, \"user\", field, old_value, new_value, source, batch FROM change_log ORDER BY id" \
		| sha256sum | cut -c1-16 | sed 's/^/change_log /'
	q "SELECT 'changes', count(*), count(DISTINCT batch) FROM change_log"
	q "SELECT 'rag_count', sum(n) FROM rag_count" 2>/dev/null
	# the engine's own full-text index, through ragtrack's search
	echo "search|$(rt list --search police --include-withdrawn --columns rag --format tsv | tail -n +2 | wc -l)"
}
state >"$T/state.txt"
cat "$T/merges.txt" "$T/state.txt" >"$T/all.txt"
check_file "merged state" "$T/all.txt" "$EXP/agency-merge-state.out"
check_status "check after the merges" 0 rt check
# The log the merges wrote reads back, and an edit after them is undone as before.
check_status "history" 0 rt history
check_contains "history shows a move" "$(cat "$T/out")" "agency"
id=$(q "SELECT min(a.id) FROM action a JOIN agency g ON g.id = a.agency_id WHERE g.name = 'Probation'")
check_status "set after the merges" 0 rt --user bob set "$id" rag=red
check_status "undo it" 0 rt --user bob undo
check_eq "undo restored the merged action" "$(q "SELECT g.name FROM action a JOIN agency g ON g.id = a.agency_id WHERE a.id = $id")" Probation
check_status "a merge is not undone" 6 rt --user bob undo
check_contains "nothing to undo" "$(cat "$T/err")" "nothing to undo"
finish
