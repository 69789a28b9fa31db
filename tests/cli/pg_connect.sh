#!/usr/bin/env bash
# Choosing PostgreSQL with --db or RAGTRACK_DB, and what is refused before any server
# is reached: a password written into the connection string, a string libpq cannot
# read, a command not yet ported.  A server that cannot be reached is one line naming
# it.  None of this needs a PostgreSQL server (libpq is part of the build).
. "$(dirname "$0")/../lib.sh"
cd "$T" || exit 1
NONE=$T/no-server              # a socket folder with no server in it
mkdir "$NONE"

# one_line WHAT WANT_STATUS WANT_TEXT ARGS...: ragtrack ARGS fails with WANT_STATUS and
# exactly one line on stderr holding WANT_TEXT, nothing on stdout.
one_line() {
	local what=$1 want=$2 text=$3; shift 3
	check_status "$what" "$want" "$RT" "$@"
	check_eq "$what: stderr lines" "$(wc -l <"$T/err")" 1
	check_contains "$what" "$(cat "$T/err")" "$text"
	check_eq "$what: stdout" "$(cat "$T/out")" ""
}

# A password in a URI, a pg: keyword string, a bare keyword string, RAGTRACK_DB: refused,
# and the password itself is not repeated.
PW='ragtrack: a password in the connection string is refused (others can read it in ps and the shell'"'"'s history): put it in ~/.pgpass or a service file (pg_service.conf)'
one_line "password in a URI" 2 "$PW" --db "postgresql://rt:s3cret@/db?host=$NONE" db init
check_not_contains "the password is not echoed" "$(cat "$T/err")" s3cret
one_line "password in a postgres:// URI" 2 "$PW" --db "postgres://rt@/db?host=$NONE&password=s3cret" db init
one_line "password in pg:KEYWORDS" 2 "$PW" --db "pg:host=$NONE dbname=db password=s3cret" db init
one_line "password in a keyword string" 2 "$PW" --db "host=$NONE password='s3 cret' dbname=db" db init
RAGTRACK_DB="postgresql://rt:s3cret@/db?host=$NONE" one_line "password in RAGTRACK_DB" 2 "$PW" db init
check_eq "nothing was created in the folder" "$(ls "$T" | grep -v '^\(out\|err\|no-server\)$')" ""

# What libpq cannot read is one line with libpq's reason.
one_line "an unknown keyword" 2 'ragtrack: not a PostgreSQL connection string: invalid connection option "bogus"' \
	--db "pg:bogus=1" db init

# A server that is not there: "cannot connect to HOST/DB: <libpq's first line>", for each
# way of naming it.
CANNOT="ragtrack: cannot connect to $NONE/db: connection to server on socket \"$NONE/.s.PGSQL.5432\" failed: No such file or directory"
one_line "no server (postgresql://)" 9 "$CANNOT" --db "postgresql://rt@/db?host=$NONE" db init
check_eq "the whole message" "$(cat "$T/err")" "$CANNOT"
one_line "no server (postgres://)" 9 "$CANNOT" --db "postgres:///db?host=$NONE" db init
one_line "no server (pg:)" 9 "$CANNOT" --db "pg:host=$NONE dbname=db" db init
one_line "no server (keyword string)" 9 "$CANNOT" --db "host=$NONE dbname=db" db init
RAGTRACK_DB="pg:host=$NONE dbname=db" one_line "no server (RAGTRACK_DB)" 9 "$CANNOT" db init

# Every command runs on a PostgreSQL target now (tests/cli/pg_*.sh run them on a
# server): with no server each says so in one line, before touching anything.
for cmd in $("$RT" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p'); do
	case $cmd in
	show) args=(1);; set) args=(1 rag=red);; note) args=(1 "a note");; history) args=(1);;
	board) args=(list);; backup) args=("$T/copy.db");; import) args=("$DATA/megan.csv");;
	db) args=(init);; agency) args=(list);; *) args=();;
	esac
	one_line "$cmd, no server" 9 "$CANNOT" --db "postgresql://rt@/db?host=$NONE" "$cmd" ${args[@]+"${args[@]}"}
done
one_line "the browser, no server" 9 "$CANNOT" --db "postgresql://rt@/db?host=$NONE"
one_line "import, no server" 9 "$CANNOT" --db "postgresql://rt@/db?host=$NONE" import "$DATA/megan.csv"
one_line "backup, no server" 9 "$CANNOT" --db "postgresql://rt@/db?host=$NONE" backup "$T/copy.db"
check_eq "import and backup made no file" "$(ls -A "$T" | grep -v '^\(out\|err\|no-server\)$')" ""

# Anything else is a SQLite file, as before: a name with "=" after a folder, a word
# that is no libpq keyword.
check_status "a file named like a keyword, by its path" 0 "$RT" --db ./dbname=x db init
[ -s "$T/dbname=x" ] || fail "./dbname=x is not a SQLite file: $(cat "$T/err")"
check_status "a file whose first word is no keyword" 0 "$RT" --db "plans=2016.db" db init
[ -s "$T/plans=2016.db" ] || fail "plans=2016.db is not a SQLite file: $(cat "$T/err")"
finish
