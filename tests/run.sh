#!/usr/bin/env bash
# tests/run.sh: run every test and close with "N passed, N failed".
# Unit binaries report their own checks; each script under tests/cli and tests/tui
# counts as one test, run against the normal build and (CLI) the sanitizer build, and
# the CLI scripts once more on PostgreSQL (labelled [pg]).
set -u
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8
unset RAGTRACK_TEST_BACKEND RAGTRACK_TEST_PG RAGTRACK_TEST_PG_TEMPLATE   # the first legs are SQLite's
passed=0 failed=0 skipped=0
failures=()
log=build/test-logs
rm -rf "$log"; mkdir -p "$log"

unit() {
	local bin=$1 name out p f
	name=$(echo "$bin" | tr / _)
	out=$("$bin" 2>"$log/$name.err"); local rc=$?
	p=$(echo "$out" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' | tail -1)
	f=$(echo "$out" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' | tail -1)
	passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
	if [ "$rc" != 0 ] || [ -z "$p" ]; then
		[ -z "$f" ] || [ "$f" = 0 ] && failed=$((failed + 1))
		failures+=("$bin"); echo "FAIL $bin"; sed 's/^/    /' "$log/$name.err" | head -30
	else
		echo "ok   $bin ($p checks)"
	fi
}

script() {
	local t=$1 label=$2 name rc
	name=$(echo "$label" | tr '/ ' '__')
	RAGTRACK=$3 bash "$t" >"$log/$name.out" 2>&1; rc=$?
	case $rc in
	0) passed=$((passed + 1)); echo "ok   $label";;
	77) skipped=$((skipped + 1)); echo "SKIP $label: $(grep -m1 '^SKIP' "$log/$name.out" | sed 's/^SKIP: *//')";;
	*) failed=$((failed + 1)); failures+=("$label"); echo "FAIL $label"; sed 's/^/    /' "$log/$name.out" | head -40;;
	esac
}

for b in build/tests/test_*; do [ -x "$b" ] && unit "$b"; done
for b in build/asan/tests/test_*; do [ -x "$b" ] && unit "$b"; done
for t in tests/cli/*.sh; do [ -f "$t" ] && script "$t" "$t" "$PWD/ragtrack"; done
if [ -x build/asan/ragtrack ]; then
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	for t in tests/cli/*.sh; do [ -f "$t" ] && script "$t" "$t [asan]" "$PWD/build/asan/ragtrack"; done
	unset ASAN_OPTIONS UBSAN_OPTIONS
fi
# The PostgreSQL leg: the CLI scripts again, on the plain build, each on databases on
# one server started here for the whole leg (tests/pg.sh: a unix socket in its own
# folder, no TCP port) and removed at the end whatever happens.  Its template is an
# empty database (but for the SQLite words of the scripts' own queries: pg_sqlite_words):
# a script's database is a clone that db copy (or db init) gives the ragtrack schema and
# its roles, which carry the database's name.  tests/cli/pg_*.sh
# start servers of their own and ran in the first leg.
pg_leg() {
	local t rc
	. tests/pg.sh
	trap 'pg_stop' EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	pg_server_up; rc=$?
	if [ "$rc" = 1 ]; then
		skipped=$((skipped + 1)); echo "SKIP tests/cli/*.sh [pg]: $PG_WHY"; return
	elif [ "$rc" != 0 ]; then
		failed=$((failed + 1)); failures+=("tests/cli/*.sh [pg]"); echo "FAIL tests/cli/*.sh [pg]: $PG_WHY"; return
	fi
	if ! pg_sqlite_words "$PG_TEMPLATE"; then
		failed=$((failed + 1)); failures+=("tests/cli/*.sh [pg]"); echo "FAIL tests/cli/*.sh [pg]: cannot prepare the template"; return
	fi
	export RAGTRACK_TEST_BACKEND=pg RAGTRACK_TEST_PG=$PG_DIR RAGTRACK_TEST_PG_TEMPLATE=$PG_TEMPLATE
	for t in tests/cli/*.sh; do
		case $t in tests/cli/pg_*) continue;; esac
		[ -f "$t" ] && script "$t" "$t [pg]" "$PWD/ragtrack"
	done
	unset RAGTRACK_TEST_BACKEND RAGTRACK_TEST_PG RAGTRACK_TEST_PG_TEMPLATE PGHOST PGUSER PGDATABASE
	pg_stop
	trap - EXIT HUP INT TERM
}
pg_leg
for t in tests/tui/*.sh; do [ -f "$t" ] && script "$t" "$t" "$PWD/ragtrack"; done

echo
[ ${#failures[@]} -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
