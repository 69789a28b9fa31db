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
# check_status WHAT WANT CMD...: run CMD, check its exit status
check_status() {
	local what=$1 want=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"; local got=$?
	if [ "$got" != "$want" ]; then fail "$what: exit $got, want $want; stderr: $(head -c 400 "$T/err")"; fi
}
sql() { sqlite3 "$1" "$2"; }
# For scripts that set DB: run ragtrack on it, query it, checksum its contents.
rt() { "$RT" --db "$DB" "$@"; }
q() { sqlite3 "$DB" "$1"; }
dump_sum() { sqlite3 "$DB" .dump | sha256sum | cut -d' ' -f1; }
sum_file() { sha256sum "$1" | cut -d' ' -f1; }

# A database imported from every plan in data/.
make_db() {
	"$RT" --db "$1" import "$DATA"/*.csv >/dev/null || { fail "importing data/ failed"; return 1; }
}

# make_version1 DB: turn a current database back into schema version 1, the schema as it
# was before version 2, so the upgrade can be tested.  Its full-text index had no column
# for the extra fields and no English stems (unicode61 alone): made from the current one
# without them.  Its import signatures were hex digits (version 3 made them BLOBs).
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

finish() { exit "$FAILED"; }
