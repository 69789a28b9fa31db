#!/usr/bin/env bash
# ragtrack db init on a SQLite file: creates a new database, upgrades an older one (as
# opening it would), leaves a current one byte for byte alone and says so; --board is
# for PostgreSQL logins and refused on a file.
. "$(dirname "$0")/../lib.sh"
sqlite_only "db init on a file: PRAGMA user_version, upgrades of older files (the server's: pg_init.sh)"
need sqlite3
DB=$T/new.db
VERSION=$("$RT" --version | sed 's/.*(schema \([0-9]*\)).*/\1/')

check_status "db init of a new file" 0 "$RT" --db "$DB" db init
check_eq "what it says" "$(cat "$T/out")" "$DB: created the ragtrack schema, version $VERSION"
check_eq "the file's version" "$(q 'PRAGMA user_version')" "$VERSION"
check_eq "the file's tables" "$(q "SELECT count(*) FROM sqlite_master WHERE name IN ('action', 'change_log', 'review')")" 3
before=$(sum_file "$DB")
check_status "db init again" 0 "$RT" --db "$DB" db init
check_eq "what it says again" "$(cat "$T/out")" "$DB: the ragtrack schema is at version $VERSION already: nothing to change"
check_eq "the file after db init again" "$(sum_file "$DB")" "$before"

check_status "--board on a file" 2 "$RT" --db "$DB" db init --board clerk
check_eq "--board's refusal" "$(cat "$T/err")" "ragtrack: --board names a PostgreSQL login: a SQLite file has no logins"
check_status "db init --read-only" 8 "$RT" --read-only --db "$DB" db init
check_status "db with no subcommand" 2 "$RT" --db "$DB" db
check_status "db with an unknown subcommand" 2 "$RT" --db "$DB" db drop
check_contains "the unknown subcommand's message" "$(cat "$T/err")" "ragtrack db: no subcommand 'drop' (init or copy)"

# An older database: upgraded, its actions kept.
OLD=$T/old.db
make_db "$OLD"
make_version1 "$OLD"
n=$(sqlite3 "$OLD" 'SELECT count(*) FROM action')
check_status "db init of a version 1 file" 0 "$RT" --db "$OLD" db init
check_contains "the upgrade" "$(cat "$T/out")" "$OLD: upgraded the ragtrack schema from version 1 to $VERSION"
check_eq "its version now" "$(sqlite3 "$OLD" 'PRAGMA user_version')" "$VERSION"
check_eq "its actions" "$(sqlite3 "$OLD" 'SELECT count(*) FROM action')" "$n"
[ "$n" -gt 100 ] || fail "too few actions imported: $n"

# Another program's database: refused, unchanged.
sqlite3 "$T/other.db" "CREATE TABLE t(x)"
before=$(sum_file "$T/other.db")
check_status "db init of another program's database" 9 "$RT" --db "$T/other.db" db init
check_contains "its refusal" "$(cat "$T/err")" "is not a ragtrack database"
check_eq "the other database after" "$(sum_file "$T/other.db")" "$before"
finish
