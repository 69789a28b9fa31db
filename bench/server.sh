#!/usr/bin/env bash
# bench/server.sh N: the PostgreSQL column.  The commands of bench/run.sh's a. to d. on a
# server (the tests' own kind: tests/pg.sh, initdb in a temporary folder, a unix socket
# there and no TCP port, removed at the end), each beside the same command on the SQLite
# file, as a ratio server / file:
#   import (first, into a new server database)   vs import into a new file
#   re-import of the unchanged file               vs the same on the file
#   export, list --rag red, list --search WORD    vs the same on the file
# Writes its rows into bench/results.md between <!-- server --> and <!-- /server -->
# (bench/run.sh N runs it at the end unless BENCH_SERVER=0).  See bench/README.md.
#
# Environment (all optional):
#   BENCH_RUNS=3             runs of each read; the imports run BENCH_SERVER_IMPORTS times
#   BENCH_SERVER_IMPORTS=1   runs of each import (one at 1M is ~20 minutes on 2 CPUs)
#   BENCH_SEED=1, BENCH_SEARCH_WORD=Gillick, BENCH_TIMEOUT=1800, BENCH_RAGTRACK=./ragtrack
#   BENCH_RESULTS=bench/results.md
#   BENCH_PG_SHARED_BUFFERS  the server's shared_buffers (default: a quarter of the RAM,
#                            as docs/server.md sets a partnership's server)
set -euo pipefail
export LC_NUMERIC=C LC_ALL=C.UTF-8

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
N=${1:-1000000}
[[ $N =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/server.sh N" >&2; exit 2; }
SEED=${BENCH_SEED:-1}
RUNS=${BENCH_RUNS:-3}
IMPORTS=${BENCH_SERVER_IMPORTS:-1}
LIMIT=${BENCH_TIMEOUT:-1800}
WORD=${BENCH_SEARCH_WORD:-Gillick}
W=bench/work
RESULTS=${BENCH_RESULTS:-bench/results.md}
mkdir -p "$W"
say() { printf 'bench server: %s\n' "$*" >&2; }
RT_SRC=${BENCH_RAGTRACK:-./ragtrack}
[[ -x $RT_SRC ]] || { say "SKIP: $RT_SRC not built (run make)"; exit 77; }
RT=$ROOT/$W/ragtrack-server.bin
cp "$RT_SRC" "$RT"
PLAN=$ROOT/$W/plan-$N-$SEED.csv      # bench/run.sh's plan of N rows, made here when missing
if [[ ! -s $PLAN || bench/gen.c -nt $PLAN ]]; then
	[[ -x $W/gen && ! bench/gen.c -nt $W/gen ]] || cc -O2 -o "$W/gen" bench/gen.c
	"$W/gen" "$N" "$SEED" >"$PLAN.tmp" && mv "$PLAN.tmp" "$PLAN"
fi

# The server, as the tests start theirs; stopped and removed whatever happens.  Its
# shared_buffers as docs/server.md sets a partnership's server: a quarter of the RAM
# (BENCH_PG_SHARED_BUFFERS, say 128MB for PostgreSQL's default).
SHARED=${BENCH_PG_SHARED_BUFFERS:-$(awk '/^MemTotal:/ { printf "%dMB", $2 / 4096 }' /proc/meminfo)}
export PG_SERVER_OPTS="-c shared_buffers=$SHARED"
T=$(mktemp -d)
skip() { say "SKIP: $*"; exit 77; }
fail() { say "FAIL: $*"; }
. tests/pg.sh
trap 'pg_stop; rm -rf "$T"' EXIT
pg_server_up || skip "$PG_WHY"

. bench/lib.sh

declare -A TIMES
# job NAME CMD...: one run, its wall seconds added to TIMES[NAME]; a failure stops here.
job() {
	local name=$1 t0
	shift
	t0=$EPOCHREALTIME
	timeout -k 5 "$LIMIT" "$@" >/dev/null 2>"$W/server-last.err" ||
		{ say "  $name FAILED: $(tail -n 1 "$W/server-last.err")"; exit 1; }
	local t; t=$(calc "$EPOCHREALTIME - $t0")
	TIMES[$name]="${TIMES[$name]:-} $t"
	say "  $name: $(fmt_s "$t")"
}
med() { median ${TIMES[$1]}; }
fresh() {   # fresh NAME: a new empty server database with the ragtrack schema; its URL in URL
	psql -X -q -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 TEMPLATE $PG_TEMPLATE" >/dev/null
	URL="postgresql://rt@/$1?host=$PG_DIR"
	"$RT" --db "$URL" db init >/dev/null
}
FILE=$ROOT/$W/server-file.db
rmdb() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }

say "import $N rows, $IMPORTS run(s) each"
for ((r = 1; r <= IMPORTS; r++)); do
	rmdb "$FILE"
	job file_import "$RT" --db "$FILE" import "$PLAN"
	fresh rt_bench
	job pg_import "$RT" --db "$URL" import "$PLAN"
done
say "re-import the unchanged file, $IMPORTS run(s) each"
for ((r = 1; r <= IMPORTS; r++)); do
	job file_reimport "$RT" --db "$FILE" import "$PLAN"
	job pg_reimport "$RT" --db "$URL" import "$PLAN"
done
say "export, list --rag red, list --search $WORD, $RUNS runs each"
for ((r = 1; r <= RUNS; r++)); do
	for db in file pg; do
		d=$FILE
		[[ $db == pg ]] && d=$URL
		job ${db}_export "$RT" --db "$d" export
		job ${db}_list_red "$RT" --db "$d" list --rag red --format csv
		job ${db}_list_search "$RT" --db "$d" list --search "$WORD" --format csv
	done
done
# The browser's keys on the server: bench/run.sh's f. with its databases on the server,
# at BENCH_MID (100,000) and at N actions, the same keys and goals as on a file.
MID=${BENCH_MID:-100000}
BROWSE_ROWS=
if [[ ${BENCH_SERVER_BROWSE:-1} != 0 ]]; then
	URL_N=$URL URL_MID=$URL
	if [[ $MID != "$N" ]]; then
		PLAN_MID=$ROOT/$W/plan-$MID-$SEED.csv
		[[ -x $W/gen ]] || cc -O2 -o "$W/gen" bench/gen.c
		[[ -s $PLAN_MID ]] || "$W/gen" "$MID" "$SEED" >"$PLAN_MID"
		fresh rt_bench_mid
		URL_MID=$URL
		"$RT" --db "$URL_MID" import "$PLAN_MID" >/dev/null 2>"$W/server-last.err" || { say "mid import FAILED"; exit 1; }
	fi
	say "the browser's keys on the server at $MID and $N actions"
	BENCH_ONLY=browse BENCH_DB=$URL_N BENCH_DB_MID=$URL_MID BENCH_MID=$MID BENCH_RAGTRACK=$RT \
		BENCH_RESULTS=$ROOT/$W/server-browse.md bench/run.sh "$N" >"$W/server-browse.log" 2>&1 ||
		say "  browser keys: exit $? (bench/work/server-browse.log)"
	BROWSE_ROWS=$(grep '^|    browser' "$W/server-browse.md" 2>/dev/null || true)
	# The same keys under an agency lead's login: row-level security shows it its agency's
	# actions alone (no --as-agency), the lens the server enforces (docs/server.md).
	LEAD=bench_lead LEAD_AGENCY=${BENCH_LEAD_AGENCY:-Police}
	lead_url() { echo "${1/postgresql:\/\/rt@/postgresql:\/\/$LEAD@}"; }
	for u in "$URL_N" "$URL_MID"; do
		"$RT" --db "$u" agency lead add "$LEAD_AGENCY" "$LEAD" >/dev/null 2>"$W/server-last.err" ||
			{ say "lead add FAILED: $(tail -n 1 "$W/server-last.err")"; exit 1; }
	done
	say "the browser's keys under the login of a lead of $LEAD_AGENCY, at $MID and $N actions"
	BENCH_ONLY=browse BENCH_DB=$(lead_url "$URL_N") BENCH_DB_MID=$(lead_url "$URL_MID") BENCH_MID=$MID \
		BENCH_RAGTRACK=$RT BENCH_RESULTS=$ROOT/$W/server-lead.md bench/run.sh "$N" >"$W/server-lead.log" 2>&1 ||
		say "  a lead's browser keys: exit $? (bench/work/server-lead.log)"
	LEAD_ROWS=$(grep '^|    browser' "$W/server-lead.md" 2>/dev/null || true)
	LEAD_N=$("$RT" --db "$(lead_url "$URL_N")" list --format tsv --columns id 2>/dev/null | sed 1d | wc -l)
	URL=$URL_N
fi

same=yes
for c in "export" "list --rag red --format csv"; do
	[[ $("$RT" --db "$FILE" $c | sha256sum) == $("$RT" --db "$URL" $c | sha256sum) ]] || same="NO ($c differs)"
done

ROWS=()
row() { ROWS+=("| $1 | $(fmt_s "$(med "pg_$2")") | $(fmt_s "$(med "file_$2")") | $(fmt_ratio "$(calc "$(med "pg_$2") / $(med "file_$2")")") |"); }
row "import (first, search index included)" import
row "re-import of the unchanged file" reimport
row "export all actions" export
row "list --rag red --format csv" list_red
row "list --search $WORD --format csv" list_search
PGV=$(psql -X -At -c "SHOW server_version" | cut -d' ' -f1)
{
	echo "<!-- server -->"
	echo "## On PostgreSQL at $N actions (bench/server.sh)"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
	echo "- PostgreSQL $PGV on this machine (unix socket; fsync off, as the tests' server; shared_buffers $SHARED), ragtrack git $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
	echo "- medians of $RUNS runs (imports: $IMPORTS); ratio: server / file (above 1: the server is slower)"
	echo "- export and the RAG list byte for byte the same on both: $same"
	[[ -n $BROWSE_ROWS ]] || echo "- the browser's keys: not measured (BENCH_SERVER_BROWSE=0, or see bench/work/server-browse.log)"
	echo
	echo "| measurement | PostgreSQL | SQLite file | ratio |"
	echo "| --- | --- | --- | --- |"
	printf '%s\n' "${ROWS[@]}"
	if [[ -n $BROWSE_ROWS ]]; then
		echo
		echo "The browser on the server (bench/run.sh's keys; growth from $MID to $N actions):"
		echo
		echo "| measurement | at $N | at $MID | growth | target | met |"
		echo "| --- | --- | --- | --- | --- | --- |"
		echo "$BROWSE_ROWS"
	fi
	if [[ -n ${LEAD_ROWS:-} ]]; then
		echo
		echo "Under the login of a lead of $LEAD_AGENCY ($LEAD: row-level security, $LEAD_N of the $N actions its own;"
		echo "the keys as above, \`aPolice\` the one agency its picker offers):"
		echo
		echo "| measurement | at $N | at $MID | growth | target | met |"
		echo "| --- | --- | --- | --- | --- | --- |"
		echo "$LEAD_ROWS"
	fi
	echo "<!-- /server -->"
} >"$W/server-section.md"
results_section server "$W/server-section.md" "$RESULTS"
cat "$W/server-section.md"
rmdb "$FILE"
say "wrote $RESULTS"
