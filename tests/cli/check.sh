#!/usr/bin/env bash
# ragtrack check: integrity, foreign keys, the search index, actions against their
# responses, and the change log's guards; exit 0 only when all are sound.
. "$(dirname "$0")/../lib.sh"
sqlite_only "damages files behind ragtrack's back with sqlite3 and reads SQLite's integrity checks"
need sqlite3
EXP=$ROOT/tests/cli/expected

# broken NAME SQL: a copy of the database damaged by SQL run behind ragtrack's back,
# then checked; the report and the exit status go to check.txt.
broken() {
	local db=$T/$1.db
	cp "$ROOT/build/data.db" "$db"
	sqlite3 "$db" "$2" || fail "$1: could not damage the copy"
	{
		echo "# $1"
		"$RT" --db "$db" check 2>"$T/err"
		echo "exit $?"
	} >>"$T/check.txt"
	check_eq "$1: one line on stderr" "$(wc -l <"$T/err")" 1
	sed "s|$T/|T/|" "$T/err" >>"$T/check.txt"
}

{
	echo "# sound"
	cp "$ROOT/build/data.db" "$T/sound.db"
	"$RT" --db "$T/sound.db" check
	echo "exit $?"
} >"$T/check.txt" 2>&1
broken search-index "DELETE FROM action_fts WHERE rowid = 3"
broken foreign-key "INSERT INTO note(action_id, at, user, source, text) VALUES (99999, 'x', 'x', 'cli', 'orphan')"
broken response "UPDATE action SET response_id = (SELECT response_id FROM action WHERE id = 1) WHERE id = 3"
broken guard "DROP TRIGGER change_log_no_delete"

check_file "check reports" "$T/check.txt" "$EXP/check.out"

# Damage below SQL: a page of the file overwritten with zeros.
cp "$ROOT/build/data.db" "$T/zero.db"
dd if=/dev/zero of="$T/zero.db" bs=4096 seek=40 count=1 conv=notrunc 2>/dev/null
"$RT" --db "$T/zero.db" check >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" = 0 ] && fail "a zeroed page passed the check"
check_eq "zeroed page: one line on stderr" "$(wc -l <"$T/err")" 1

check_status "check --help" 0 "$RT" check --help
check_status "check with an argument" 2 "$RT" --db "$T/sound.db" check now
check_status "read-only check" 0 "$RT" --db "$T/sound.db" --read-only check
[ -n "${KEEP:-}" ] && cp "$T"/*.txt "$KEEP"/
finish
