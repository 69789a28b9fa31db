#!/usr/bin/env bash
# ragtrack note: dated progress notes; they touch the action (for --stale) but do not
# change its version, so a note never makes someone else's edit conflict.
. "$(dirname "$0")/../lib.sh"
pg_needs note set
need sqlite3
data_db
EXP=$ROOT/tests/cli/expected

updated=$(q "SELECT updated_at FROM action WHERE id = 3")
version=$(q "SELECT version FROM action WHERE id = 3")
{
	RAGTRACK_NOW=2016-07-04T09:15:00Z rt --user alice note 3 Update 6.6.16 exemplars of referrals are being collated
	USER=bob RAGTRACK_NOW=2016-07-05T10:00:00Z rt note '#3' "$(printf 'Audit booked\033[2J for\tJuly\r\n')"
	RAGTRACK_NOW=2016-07-06T11:00:00Z rt --user alice note 3 -- --rag is not an option here
} >"$T/note.txt" 2>&1
check_eq "notes as stored" "$(q "SELECT action_id, at, \"user\", source, text FROM note ORDER BY id")" \
"3|2016-07-04T09:15:00Z|alice|cli|Update 6.6.16 exemplars of referrals are being collated
3|2016-07-05T10:00:00Z|bob|cli|Audit booked[2J for	July
3|2016-07-06T11:00:00Z|alice|cli|--rag is not an option here"
check_eq "touched_at is the last note's time, updated_at as it was" \
	"$(q "SELECT touched_at, updated_at FROM action WHERE id = 3" | sed 's/|.*//')|$updated" \
	"2016-07-06T11:00:00Z|$updated"
check_eq "version unchanged" "$(q "SELECT version FROM action WHERE id = 3")" "$version"
# an edit from a copy read before the notes goes through
rt --user carol set 3 lead="Named Nurse" --if-version "$version" >>"$T/note.txt" 2>&1
check_file "note output" "$T/note.txt" "$EXP/note.out"
check_eq "a note is not in the change log" "$(q "SELECT count(*) FROM change_log WHERE field NOT IN ('lead')")" 0
# words only the second note has ('collated' also finds #18's 'collate', English stems;
# 'exemplars' is in #3's evidence too)
check_eq "notes are searchable" "$(rt list --search "booked July" --format tsv --columns id | tail -n +2)" 3

: >"$T/errors.txt"
before=$(db_sum)
for args in "note 3" "note" "note 99999 text" "note abc text" "note 3 ' '" "--as-agency Police note 3 text"; do
	eval "set -- $args"
	"$RT" --db "$DB" "$@" >"$T/out" 2>>"$T/errors.txt"
	echo "exit $?" >>"$T/errors.txt"
	check_eq "$args: stdout" "$(cat "$T/out")" ""
done
check_file "note errors" "$T/errors.txt" "$EXP/note-errors.out"
check_eq "refused notes change nothing" "$(db_sum)" "$before"
check_eq "still three notes" "$(q "SELECT count(*) FROM note")" 3
check_status "note --help" 0 "$RT" note --help
[ -n "${KEEP:-}" ] && cp "$T"/*.txt "$KEEP"/
finish
