#!/usr/bin/env bash
# Valgrind: importing every plan in data/ into a new database, then reading, editing,
# exporting and reporting on it, reports no memory error and no leak (definite or
# possible) in any command.  Complements the ASan/UBSan build: valgrind runs the plain
# optimised binary users get, with the real system SQLite and libcsv.
. "$(dirname "$0")/../lib.sh"
pg_needs reimport set note undo report check
need valgrind
# valgrind cannot run a sanitizer build (tests/run.sh also passes build/asan/ragtrack)
if grep -q __asan_init "$RT" 2>/dev/null; then skip "valgrind cannot run an AddressSanitizer build ($RT)"; fi
empty_db
cd "$T" || exit 1
runs=0

# vg WHAT ARGS...: ragtrack under valgrind; any error or leak fails with valgrind's report
vg() {
	local what=$1; shift
	runs=$((runs + 1))
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite,possible --error-exitcode=99 \
		--log-file="$T/vg.log" "$RT" --db "$DB" "$@" >"$T/out" 2>"$T/err"
	local rc=$?
	if [ "$rc" = 99 ] || [ -s "$T/vg.log" ]; then
		fail "$what: valgrind reports problems"; head -60 "$T/vg.log" >&2
	elif [ "$rc" != 0 ]; then
		fail "$what: exit $rc: $(head -c 400 "$T/err")"
	fi
}

# the same files and review names as build/data.db (see the Makefile)
vg "import data/" import --review Megan "$DATA/megan.csv" --review Julia "$DATA/julia.csv" \
	--review "Children of Family Y" "$DATA/family-y.csv" --review "" "$DATA/child-l.csv" \
	"$DATA/thurrock-priorities-2017-18.csv"
check_eq "import: every action" "$(q "SELECT count(*) FROM action")" 629
vg "re-import (all unchanged)" import --review Megan "$DATA/megan.csv"
check_contains "re-import" "$(cat "$T/out")" "0 added"
vg "list" list
vg "list json, search" list --format json --search "training" --columns id,rag,agency,action,evidence
vg "list overdue by target" list --overdue --sort target --format tsv
vg "show" show 12
vg "set" --user val set 12 lead="Valgrind Lead" rag=amber --reason "checking"
vg "note" --user val note 12 "Checked under valgrind"
vg "history" history 12
vg "undo" --user val undo
vg "export redacted for Excel" export --excel --redact -o "$T/plan.csv"
[ -s "$T/plan.csv" ] || fail "export wrote nothing"
vg "report html" report --format html -o "$T/report.html"
[ -s "$T/report.html" ] || fail "report wrote nothing"
vg "report text" report --since 2016-01-01
vg "agency list" agency list
vg "check" check
vg "backup" backup "$T/copy.db"
echo "valgrind: $runs commands, no errors and no leaks"
finish
