# tests/lib.sh: what every script test shares.  Source it first.
# A test script exits 0 when every check passed, 1 when one failed, 77 to skip
# (after printing "SKIP: reason").  Each runs in its own temporary directory.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RT=${RAGTRACK:-$ROOT/ragtrack}
DATA=$ROOT/data
TESTDATA=$ROOT/tests/data
T=$(mktemp -d "${TMPDIR:-/tmp}/ragtrack-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export RAGTRACK_TODAY=${RAGTRACK_TODAY:-2016-06-30}
export RAGTRACK_NOW=${RAGTRACK_NOW:-2016-06-30T12:00:00Z}
export USER=${USER:-tester}
export LC_ALL=C.UTF-8
unset RAGTRACK_DB NO_COLOR
FAILED=0

fail() { echo "FAIL: $*" >&2; FAILED=1; }
skip() { echo "SKIP: $*"; exit 77; }
need() { command -v "$1" >/dev/null 2>&1 || skip "$1 is not installed"; }

# check_eq WHAT GOT WANT
check_eq() {
	if [ "$2" != "$3" ]; then fail "$1: got [$2], want [$3]"; fi
}
# check_contains WHAT HAYSTACK NEEDLE
check_contains() {
	case "$2" in *"$3"*) ;; *) fail "$1: [$3] not found in: $(printf '%s' "$2" | head -c 600)";; esac
}
check_not_contains() {
	case "$2" in *"$3"*) fail "$1: [$3] should not be in output";; esac
}
# check_file WHAT GOT_FILE EXPECTED_FILE: compare with an expected file (diff shown).
# UPDATE_EXPECTED=1 rewrites the expected file instead (review the diff before committing).
check_file() {
	if [ -n "${UPDATE_EXPECTED:-}" ]; then cp "$2" "$3"; return; fi
	if ! diff -u "$3" "$2" >"$T/diff.out" 2>&1; then
		fail "$1: differs from $3"; head -40 "$T/diff.out" >&2
	fi
}
# check_same WHAT ON_FILE ON_SERVER: what one command printed on a file and on the
# server its database was copied to, byte for byte the same (a diff shown when not).
check_same() {
	cmp -s "$2" "$3" && return 0
	fail "$1: the server's output differs from the file's"; diff "$2" "$3" | head -20 | cut -c1-300 >&2
}
# check_status WHAT WANT CMD...: run CMD, check its exit status
check_status() {
	local what=$1 want=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"; local got=$?
	if [ "$got" != "$want" ]; then fail "$what: exit $got, want $want; stderr: $(head -c 400 "$T/err")"; fi
}
# sql TARGET SQL: rows as a|b lines, from a SQLite file with sqlite3 or, for a server
# database's URI, with psql (the ragtrack schema first on the search path, then the
# SQLite words the scripts' queries use: ifnull, group_concat, instr; tests/pg.sh).
sql() {
	case $1 in
	postgresql://*) PGOPTIONS="-c search_path=ragtrack,rt_sqlite" psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2";;
	*) sqlite3 "$1" "$2";;
	esac
}
# For scripts that set DB: run ragtrack on it, query it, checksum its contents (every
# row of every table: on the server each table's rows as text, in order).
rt() { "$RT" --db "$DB" "$@"; }
q() { sql "$DB" "$1"; }
dump_sum() {
	local db=${1:-$DB}
	case $db in
	postgresql://*) PGOPTIONS="-c search_path=ragtrack,rt_sqlite" psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" <<-'EOF'
		SELECT format('SELECT %L, t::text FROM ragtrack.%I t ORDER BY 2', tablename, tablename)
		FROM pg_catalog.pg_tables WHERE schemaname = 'ragtrack' ORDER BY tablename \gexec
		EOF
		;;
	*) sqlite3 "$db" .dump;;
	esac | sha256sum | cut -d' ' -f1
}
sum_file() { sha256sum "$1" | cut -d' ' -f1; }
# db_sum [DB]: the checksum for "nothing was written": a file's bytes (a refusal leaves
# it byte-identical), a server database's rows (dump_sum).
db_sum() {
	local db=${1:-$DB}
	case $db in postgresql://*) dump_sum "$db";; *) sum_file "$db";; esac
}
# as_file VAR DB: VAR names a SQLite file with DB's rows, for checks that read the
# database with sqlite3 or Python's sqlite3: DB itself when it is a file; for a server
# database a new db copy of it (ragtrack's own way back, ids and history kept).
AS_FILES=0
as_file() {
	local _var=$1 _db=$2 _out
	case $_db in
	postgresql://*)
		AS_FILES=$((AS_FILES + 1)); _out=$T/as_file.$AS_FILES.db
		"$RT" db copy "$_db" "$_out" >"$T/as_file.log" 2>&1 ||
			{ fail "db copy $_db: $(head -c 300 "$T/as_file.log")"; return 1; }
		printf -v "$_var" '%s' "$_out";;
	*) printf -v "$_var" '%s' "$_db";;
	esac
}

# A database imported from every plan in data/ (a SQLite file, on either engine: give
# it to engine_db for the engine's own).
make_db() {
	"$RT" --db "$1" import "$DATA"/*.csv >/dev/null || { fail "importing data/ failed"; return 1; }
}

# ---- the engine -------------------------------------------------------------------
# tests/run.sh runs every script twice: on SQLite files, then (RAGTRACK_TEST_BACKEND=pg)
# on databases on one PostgreSQL server it starts for the whole leg (RAGTRACK_TEST_PG:
# its folder).  A script gets its database from data_db, empty_db or engine_db, which
# give a file on SQLite and, in the PostgreSQL leg, a new database on the server, so one
# copy of a script tests both.  A script run by hand with RAGTRACK_TEST_BACKEND=pg and no
# server starts its own (tests/pg.sh).
ENGINE=${RAGTRACK_TEST_BACKEND:-sqlite}
case $ENGINE in
sqlite|pg) ;;
*) echo "FAIL: RAGTRACK_TEST_BACKEND=$ENGINE: sqlite or pg"; exit 1;;
esac

# What ragtrack runs on PostgreSQL so far: its commands, and the parts of commands that
# are not ported with them (reimport: an import into a database with plans; alias:
# agency alias).  The one list to grow as ports land; a script names what it needs with
# pg_needs, and SKIPs in the PostgreSQL leg until all of it is here.
PG_RUNS="db agency list export show history backup import reimport report board check tui set note undo alias"

# sqlite_only REASON: this script tests what only a SQLite file has (its bytes, its
# locks, its PRAGMAs, FTS5 ...), or no database at all: it runs in the SQLite leg only.
sqlite_only() { [ "$ENGINE" != pg ] || skip "SQLite only: $1"; }

# pg_pending REASON: the commands this script runs are on PostgreSQL, but the script's
# own checks are not yet engine-neutral (they read the file with SQLite's SQL, or make
# their database without data_db/engine_db): in the PostgreSQL leg it SKIPs with why.
# tests/cli/pg_*.sh check those commands on a server meanwhile.
pg_pending() { [ "$ENGINE" != pg ] || skip "not yet engine-neutral on PostgreSQL: $1"; }

# pg_needs WORD...: this script runs commands (or parts, as PG_RUNS names them) that are
# not yet on PostgreSQL: in the PostgreSQL leg it SKIPs, naming them, until they are.
pg_needs() {
	[ "$ENGINE" = pg ] || return 0
	local w missing=
	for w in "$@"; do
		case " $PG_RUNS " in *" $w "*) ;; *) missing="$missing${missing:+, }$w";; esac
	done
	[ -z "$missing" ] || skip "needs $missing on PostgreSQL"
}

# pg_has WORD: does this leg run WORD (as PG_RUNS names it)?  Always on SQLite.  For the
# part of a script that needs what is not yet on PostgreSQL, where the rest runs there.
pg_has() { [ "$ENGINE" != pg ] || case " $PG_RUNS " in *" $1 "*) return 0;; *) return 1;; esac; }

# engine_db VAR FILE: set VAR to the database to work on, made from FILE (a ragtrack
# SQLite file, or none yet): FILE itself on SQLite; in the PostgreSQL leg a new
# database on the leg's server (cloned from its empty template), FILE's copy (db copy)
# when FILE exists, else a new ragtrack schema (db init).  Fails the test when it cannot.
# (VAR may be a caller's local; this function's own are _-prefixed not to hide it.)
PG_MADE=0
engine_db() {
	local _var=$1 _file=$2 _name _uri
	if [ "$ENGINE" = sqlite ]; then printf -v "$_var" '%s' "$_file"; return 0; fi
	if [ -z "${RAGTRACK_TEST_PG:-}" ]; then
		. "$ROOT/tests/pg.sh"
		pg_start
		pg_sqlite_words "$PG_TEMPLATE" || { fail "cannot prepare the template"; exit 1; }
		RAGTRACK_TEST_PG=$PG_DIR RAGTRACK_TEST_PG_TEMPLATE=$PG_TEMPLATE
	fi
	PG_MADE=$((PG_MADE + 1))
	_name=t$$_$PG_MADE
	_uri="postgresql://rt@/$_name?host=$RAGTRACK_TEST_PG"
	printf -v "$_var" '%s' "$_uri"
	if ! PGHOST=$RAGTRACK_TEST_PG PGUSER=rt psql -X -q -v ON_ERROR_STOP=1 -d postgres \
		-c "CREATE DATABASE $_name TEMPLATE ${RAGTRACK_TEST_PG_TEMPLATE:-rt_template}" >"$T/engine_db.log" 2>&1; then
		fail "cannot create database $_name: $(head -c 300 "$T/engine_db.log")"; return 1
	fi
	if [ -e "$_file" ]; then
		"$RT" db copy "$_file" "$_uri" >"$T/engine_db.log" 2>&1 ||
			{ fail "db copy $_file: $(head -c 300 "$T/engine_db.log")"; return 1; }
	else
		"$RT" --db "$_uri" db init >"$T/engine_db.log" 2>&1 ||
			{ fail "db init $_name: $(head -c 300 "$T/engine_db.log")"; return 1; }
	fi
}
# data_db [FILE]: DB is a copy of build/data.db (FILE: $T/db), on the leg's engine.
data_db() {
	local file=${1:-$T/db}
	cp "$ROOT/build/data.db" "$file" || { fail "cannot copy build/data.db"; return 1; }
	engine_db DB "$file"
}
# empty_db [FILE]: DB is a database with no plans yet (FILE, not made yet: $T/db), on the
# leg's engine: a file the first command creates, or a server database with the schema.
empty_db() { engine_db DB "${1:-$T/db}"; }

# make_version1 DB: turn a current database back into schema version 1, the schema as it
# was before version 2, so the upgrade can be tested.  Its full-text index had no column
# for the extra fields and no English stems (unicode61 alone): made from the current one
# without them.  Its import signatures were hex digits (version 3 made them BLOBs), its RAG
# totals counted no target dates (version 4; their triggers are left out: the upgrade
# makes them).
make_version1() {
	local FTS_OBJECTS fts_v1 fts_drop
	FTS_OBJECTS="(type = 'trigger' AND name LIKE '%\_fts\_%' ESCAPE '\\') OR name IN ('action_fts_source', 'action_fts')"
	fts_v1=$(sqlite3 "$1" "SELECT sql || ';' FROM sqlite_schema WHERE $FTS_OBJECTS ORDER BY type = 'trigger', type = 'view'" |
		sed -z 's/,\n *a\.extra AS extra//; s/, extra//g; s/porter unicode61/unicode61/')
	fts_drop=$(sqlite3 "$1" "SELECT 'DROP ' || type || ' \"' || name || '\";' FROM sqlite_schema WHERE $FTS_OBJECTS")
	sqlite3 "$1" "$fts_drop ALTER TABLE action DROP COLUMN extra; DROP TABLE extra_field; $fts_v1
	   INSERT INTO action_fts(action_fts) VALUES ('rebuild');
	   DROP INDEX action_target; CREATE INDEX action_target ON action(target_date, rag);
	   DROP INDEX action_by_target; DROP INDEX action_by_updated; DROP INDEX action_by_lead; DROP INDEX change_log_undoes; DROP INDEX response_agency;
	   DROP INDEX action_withdrawn; ALTER TABLE action DROP COLUMN withdrawn; DROP TABLE board_action; DROP TABLE board; DROP TABLE rag_word;
	   ALTER TABLE change_log DROP COLUMN os_user; ALTER TABLE change_log DROP COLUMN undoes_change;
	   ALTER TABLE change_log DROP COLUMN prev_hash; ALTER TABLE change_log DROP COLUMN hash;
	   UPDATE action SET import_sig = lower(hex(import_sig)) WHERE typeof(import_sig) = 'blob';
	   DROP TRIGGER rag_count_insert; DROP TRIGGER rag_count_update; DROP TRIGGER rag_count_delete;
	   ALTER TABLE rag_count DROP COLUMN dated;
	   PRAGMA user_version = 1;"
}

# wait_until CONDITION...: poll it, at most 120 s (for a state a test hook or a
# process reaches: the condition decides, the interval does not).
wait_until() {
	local i
	for ((i = 0; i < 2400; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

# In the PostgreSQL leg a script must have worked on the server: else it tested SQLite
# again and should say sqlite_only.
finish() {
	if [ "$ENGINE" = pg ] && [ "$PG_MADE" = 0 ]; then
		fail "no database on PostgreSQL: make it with data_db, empty_db or engine_db, or declare sqlite_only"
	fi
	exit "$FAILED"
}
