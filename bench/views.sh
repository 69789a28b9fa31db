#!/usr/bin/env bash
# bench/views.sh N: the views a user waits for on an N-action database, each beside the
# same work done on a flat table with the sqlite3 shell (or sort):
#   report (text, html)        vs the same counts on a flat table (one sqlite3 run)
#   list --sort target         vs a flat table sorted by target date
#   list --changed-since       (1% of rows changed) vs its proportional share of export
#   agency alias (a merge)     of two agencies' spellings, on a copy of the database
# Writes its rows into bench/results.md between <!-- views --> and <!-- /views -->
# (bench/run.sh N runs it on its database at the end).  See bench/README.md.
#
# Environment (all optional):
#   BENCH_RUNS=3            runs of each measurement (the merge runs once per run on a fresh copy)
#   BENCH_SEED=1            generator seed
#   BENCH_RAGTRACK=./ragtrack
#   BENCH_VIEWS_DB=FILE     a database already holding the N-row plan (else imported here)
#   BENCH_RESULTS=bench/results.md
#   BENCH_TIMEOUT=600       seconds before one command is killed and reported
set -euo pipefail
export LC_NUMERIC=C LC_ALL=C.UTF-8

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
N=${1:-1000000}
[[ $N =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/views.sh N" >&2; exit 2; }
SEED=${BENCH_SEED:-1}
RUNS=${BENCH_RUNS:-3}
LIMIT=${BENCH_TIMEOUT:-600}
W=bench/work
RESULTS=${BENCH_RESULTS:-bench/results.md}
mkdir -p "$W"
say() { printf 'bench views: %s\n' "$*" >&2; }
for t in cc sqlite3 timeout awk sort; do
	command -v "$t" >/dev/null 2>&1 || { say "SKIP: $t is not installed"; exit 77; }
done
RT_SRC=${BENCH_RAGTRACK:-./ragtrack}
[[ -x $RT_SRC ]] || { say "SKIP: $RT_SRC not built (run make)"; exit 77; }
RT=$W/ragtrack-views.bin
cp "$RT_SRC" "$RT"

. bench/lib.sh
yesno() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? "yes" : "NO" }'; }

# timed OUT CMD...: T = wall seconds, U = user+system CPU seconds.
timed() {
	local out=$1 t0
	shift
	t0=$EPOCHREALTIME
	/usr/bin/time -f '%U %S' -o "$W/views-time.out" timeout -k 5 "$LIMIT" "$@" >"$out" 2>"$W/views-last.err"
	T=$(calc "$EPOCHREALTIME - $t0")
	U=$(awk '{print $1 + $2}' "$W/views-time.out" | tail -n 1)
}
declare -A TIMES CPUS
job() {   # job NAME OUT CMD...
	local name=$1 out=$2
	shift 2
	if ! timed "$out" "$@"; then
		say "  $name FAILED: $(tail -n 1 "$W/views-last.err")"
		return 1
	fi
	TIMES[$name]="${TIMES[$name]:-} $T"
	CPUS[$name]="${CPUS[$name]:-} $U"
	say "  $name: $(fmt_s "$T") (cpu $(fmt_s "$U"))"
}
med() { median ${TIMES[$1]}; }
cpu() { median ${CPUS[$1]}; }

# ---- the data ------------------------------------------------------------------------------
PLAN=$W/plan-$N-$SEED.csv
if [[ ! -s $PLAN ]]; then
	[[ -x $W/gen && ! bench/gen.c -nt $W/gen ]] || cc -O2 -o "$W/gen" bench/gen.c
	say "generating $N rows"
	"$W/gen" "$N" "$SEED" >"$PLAN.tmp" && mv "$PLAN.tmp" "$PLAN"
fi
DB=${BENCH_VIEWS_DB:-$W/views-$N.db}
if [[ ! -s $DB ]]; then
	say "importing $N rows into $DB"
	"$RT" --db "$DB" import "$PLAN" >/dev/null
fi
FLAT=$W/flat-$N.db
if [[ ! -s $FLAT ]]; then
	say "the flat table (sqlite3 .import) -> $FLAT"
	printf 'CREATE TABLE plan(review, finding, question, agency, response, action, rag, target_date, evidence, lead, constraints, desired);\n.import --csv --skip 1 %s plan\n' \
		"$PLAN" | sqlite3 -bail "$FLAT"
fi
TODAY=$(date -u +%F)
# The report's figures on the flat table: RAG by review and by agency, overdue, each list's
# count, per question, agencies with nothing said (one sqlite3 run, one statement each).
cat >"$W/flat-report.sql" <<SQL
SELECT review, rag, count(*), sum(target_date < '$TODAY' AND rag <> 'Blue') FROM plan GROUP BY 1, 2;
SELECT agency, rag, count(*), sum(target_date < '$TODAY' AND rag <> 'Blue') FROM plan GROUP BY 1, 2;
SELECT sum(rag = 'Red'), sum(target_date < '$TODAY' AND rag <> 'Blue'), sum(rag = 'Green' AND target_date < '$TODAY'),
       sum(rag IN ('Red', 'Amber') AND target_date = ''), sum(rag = 'Blue' AND trim(evidence) = '') FROM plan;
SELECT review, question, count(*), sum(rag = 'Blue'), sum(rag <> ''), min(rag) FROM plan GROUP BY 1, 2;
SELECT agency, count(*), sum(said = 0) FROM (SELECT agency, question, max(rag <> '' OR trim(action) <> '' OR trim(evidence) <> '') AS said
  FROM plan GROUP BY 1, 2) GROUP BY 1;
SQL

# ---- the jobs ------------------------------------------------------------------------------
RED_SHARE=
for ((r = 1; r <= RUNS; r++)); do
	say "run $r of $RUNS"
	job report "$W/views-report.txt" "$RT" --db "$DB" report || true
	job report_html "$W/views-report.html" "$RT" --db "$DB" report --format html || true
	job flat_report /dev/null sqlite3 "$FLAT" ".read $W/flat-report.sql" || true
	job sort_target /dev/null "$RT" --db "$DB" list --sort target --format csv || true
	job flat_sort /dev/null sqlite3 -csv "$FLAT" "SELECT rowid, review, question, agency, rag, target_date, action FROM plan ORDER BY target_date" || true
	job export /dev/null "$RT" --db "$DB" export || true
done

# --changed-since: 1% of the actions changed after everything else (set as an edit would
# leave them; outside the timings), then listed.
CHANGED=$W/views-changed-$N.db
say "copying the database for --changed-since and the merge"
cp "$DB" "$CHANGED"
sqlite3 "$CHANGED" "UPDATE action SET updated_at = '2099-01-01T00:00:00Z' WHERE id % 100 = 0"
for ((r = 1; r <= RUNS; r++)); do
	job changed_since "$W/views-changed.csv" "$RT" --db "$CHANGED" list --changed-since 2098-12-31 --format csv || true
done
NCHANGED=$(($(wc -l <"$W/views-changed.csv") - 1))

# The merge: Probation into NPS (each about a twelfth of the actions), on a fresh copy.
MERGE=$W/views-merge-$N.db
for ((r = 1; r <= RUNS; r++)); do
	cp "$DB" "$MERGE"
	rm -f "$MERGE-wal" "$MERGE-shm"
	job alias "$W/views-alias.out" "$RT" --db "$MERGE" agency alias NPS Probation || true
	cp "$W/views-last.err" "$W/views-alias.err"
done
MOVED=$(grep -o '[0-9]* actions moved' "$W/views-alias.out" || echo "?")
LOCKMSG=$(grep -c 'holds the database' "$W/views-alias.err" || true)
rm -f "$MERGE" "$MERGE-wal" "$MERGE-shm" "$CHANGED" "$CHANGED-wal" "$CHANGED-shm"

# ---- results -------------------------------------------------------------------------------
ROWS=()
row() { ROWS+=("| $1 | $2 | $3 | $4 | $5 | $6 |"); }
fig() { echo "$(fmt_s "$(med "$1")") (cpu $(fmt_s "$(cpu "$1")"))"; }
# Ratios and targets on CPU time (user + system): on a shared machine the wall time
# measures the other programs' load as much as this one's (both are in the table).
R=$(calc "$(cpu report) / $(cpu flat_report)")
row "report (text)" "$(fig report)" "sqlite3, the same counts on a flat table: $(fig flat_report)" "$(fmt_ratio "$R")" "<= 1.0x" "$(yesno "$R" 1.0)"
R=$(calc "$(cpu report_html) / $(cpu flat_report)")
row "report --format html" "$(fig report_html)" "(as above)" "$(fmt_ratio "$R")" "<= 1.0x" "$(yesno "$R" 1.0)"
R=$(calc "$(cpu sort_target) / $(cpu flat_sort)")
row "list --sort target --format csv" "$(fig sort_target)" "sqlite3 flat ORDER BY target_date: $(fig flat_sort)" "$(fmt_ratio "$R")" "<= 1.5x" "$(yesno "$R" 1.5)"
PROP=$(calc "$(cpu export) * 2 * $NCHANGED / $N + 0.05")
row "list --changed-since ($NCHANGED rows, 1%)" "$(fig changed_since)" "export of all: $(fig export)" "" "<= $(fmt_s "$PROP") (proportional)" "$(yesno "$(cpu changed_since)" "$PROP")"
row "agency alias NPS Probation ($MOVED)" "$(fig alias)" "" "" "< 5 s" "$(yesno "$(cpu alias)" 5)"
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
{
	echo "<!-- views -->"
	echo "## Views at $N actions (bench/views.sh)"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average at the end: $LOAD ($(nproc) CPUs)"
	echo "- ragtrack: git $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src include 2>/dev/null || echo ' + uncommitted changes'); runs: $RUNS, medians; wall time, and CPU (user + system) beside it; ratios and targets on the CPU times"
	echo "- the merge said that it held the write lock (stderr, with progress) in $LOCKMSG of $RUNS runs"
	echo
	echo "| measurement | ragtrack | peer | ratio | target | met |"
	echo "| --- | --- | --- | --- | --- | --- |"
	printf '%s\n' "${ROWS[@]}"
	echo "<!-- /views -->"
} >"$W/views-section.md"
results_section views "$W/views-section.md" "$RESULTS"
cat "$W/views-section.md"
say "wrote $RESULTS"
