#!/usr/bin/env bash
# A database written by an older ragtrack is upgraded in place, in one transaction, by
# the first command that may write it; nothing in it is lost.
. "$(dirname "$0")/../lib.sh"
need sqlite3
DB=$T/old.db
make_db "$DB" || finish
before=$(q "select id, text, rag, evidence from action order by id" | sha256sum)
# Make it a version-1 database: the schema as it was before version 2.
q "DROP INDEX action_withdrawn; ALTER TABLE action DROP COLUMN withdrawn; PRAGMA user_version = 1;"
check_eq "made version 1" "$(q "pragma user_version")" "1"

# read-only opening does not upgrade, and says why it cannot open
sum=$(sum_file "$DB")
rt --read-only list >/dev/null 2>"$T/err" && fail "read-only opened an old schema"
check_contains "read-only message" "$(cat "$T/err")" "schema upgrade (version 1 to"
check_eq "read-only left it untouched" "$(sum_file "$DB")" "$sum"

rt list --rag red >/dev/null || fail "list on a version-1 database"
check_eq "upgraded" "$(q "pragma user_version")" "$("$RT" --version | sed 's/.*schema \([0-9]*\).*/\1/')"
check_eq "withdrawn column added" "$(q "select count(*) from action where withdrawn = 0")" "$(q "select count(*) from action")"
check_eq "actions kept" "$(q "select id, text, rag, evidence from action order by id" | sha256sum)" "$before"
check_eq "sound after the upgrade" "$(rt check >/dev/null 2>&1; echo $?)" "0"
finish
