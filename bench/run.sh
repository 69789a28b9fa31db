#!/usr/bin/env bash
# bench/run.sh N: ragtrack against the programs a user would otherwise pick (the sqlite3
# shell, VisiData) on a synthetic N-row action plan.  Every job runs ragtrack and its
# peer side by side, BENCH_RUNS times each, and reports medians and the ratio
# ragtrack/peer.  Writes bench/results.md.  See bench/README.md.
#
# Environment (all optional):
#   BENCH_RUNS=3          runs of each measurement
#   BENCH_SEED=1          generator seed
#   BENCH_TIMEOUT=600     seconds before one command is killed and reported
#   BENCH_NO_INSTALL=1    never apt-get install missing peers
#   BENCH_RAGTRACK=./ragtrack   the binary measured
#   BENCH_RESULTS=bench/results.md   where the results go
#   BENCH_KEEP=1          keep the databases in bench/work/ afterwards (several GB at 1M)
#   BENCH_SEARCH_WORD=Gillick
#   BENCH_SETTLE_MS=250   quiet time that ends a TUI screen (ptytime --settle)
#   BENCH_TUI_TIMEOUT=60  seconds one TUI screen may take
#   BENCH_TUI_READY=actions   text the TUI's first screen shows when it is complete
#   For each timed key: BENCH_TUI_<KEY>_SEND (typed first, untimed), BENCH_TUI_<KEY>_KEYS
#   (timed), BENCH_TUI_<KEY>_READY (text the screen shows when the redraw is complete):
#     RED:    SEND=  KEYS=1   READY=     RAG filter (Red)
#     END:    SEND=  KEYS=G   READY=     jump to the end
#     SEARCH: SEND=/Gillick  KEYS=\r  READY=     full-text search
#     AGENCY: SEND=aPolice  KEYS=\r  READY=     agency filter (picker, type, Enter)
#   An empty READY means: until the screen has changed and the output has fallen quiet.
#   Keys take \r \n \t \e \xNN escapes.
#   BENCH_VD_READY="N rows"   text VisiData shows when loading has finished
#   BENCH_ONLY=browse     only f. below (the browser's keys at two sizes), results to
#                         BENCH_RESULTS (default bench/results-browse.md)
#   BENCH_MID=100000      the smaller size of f.
#   BENCH_BROWSE_KEYS="first red"   only these keys of f.
#   BENCH_DB, BENCH_DB_MID   databases of N and BENCH_MID actions to use in f. (made by
#                         importing the plan when not given; kept in bench/work/)
set -euo pipefail
export LC_NUMERIC=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

N=${1:-1000000}
if ! [[ $N =~ ^[1-9][0-9]*$ ]]; then
	echo "usage: bench/run.sh N   (N = rows of the synthetic plan, default 1000000)" >&2
	exit 2
fi
SEED=${BENCH_SEED:-1}
RUNS=${BENCH_RUNS:-3}
LIMIT=${BENCH_TIMEOUT:-600}
WORD=${BENCH_SEARCH_WORD:-Gillick}
SETTLE=${BENCH_SETTLE_MS:-250}
TUI_READY=${BENCH_TUI_READY-actions}
N_SMALL=10000
W=bench/work
RT=${BENCH_RAGTRACK:-./ragtrack}
ONLY=${BENCH_ONLY:-}
if [[ -n $ONLY && $ONLY != browse ]]; then
	echo "bench/run.sh: BENCH_ONLY=$ONLY: only browse is known" >&2
	exit 2
fi
N_MID=${BENCH_MID:-100000}
RESULTS=${BENCH_RESULTS:-$([[ $ONLY == browse ]] && echo bench/results-browse.md || echo bench/results.md)}
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
CHECKS=()
mkdir -p "$W"
LOG=$W/bench.log
: >"$LOG"

say() { printf 'bench: %s\n' "$*" >&2; }
log() { printf '%s\n' "$*" >>"$LOG"; }

# ---- number helpers (awk: bash has no floating point) ------------------------------

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR == 0) exit 1; if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2] + a[NR/2+1]) / 2}'; }
maxof() { printf '%s\n' "$@" | sort -g | tail -n 1; }
calc() { awk "BEGIN { printf \"%.6g\", $* }"; }
# Seconds -> "7.2 ms" / "9.10 s".
fmt_s() { awk -v t="$1" 'BEGIN { if (t < 1) printf "%.1f ms", t * 1000; else printf "%.2f s", t }'; }
fmt_kb() { awk -v k="$1" 'BEGIN { if (k < 0) print "n/a"; else if (k >= 1048576) printf "%.2f GB", k / 1048576; else printf "%.1f MB", k / 1024 }'; }
# Bytes -> "1.29 GB" (decimal, as file sizes are usually quoted).
fmt_bytes() { awk -v b="$1" 'BEGIN { if (b >= 1e9) printf "%.2f GB", b / 1e9; else printf "%.1f MB", b / 1e6 }'; }
fmt_ratio() { awk -v r="$1" 'BEGIN { if (r < 0.1) printf "%.2gx", r; else printf "%.2fx", r }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
yesno() { if le "$1" "$2"; then echo yes; else echo NO; fi; }

# ---- tools and peers ------------------------------------------------------------------

APT_UPDATED=0
# need CMD PACKAGE: make CMD available, installing PACKAGE when root; else set WHY.
need() {
	local cmd=$1 pkg=$2
	WHY=
	command -v "$cmd" >/dev/null 2>&1 && return 0
	if [[ ${BENCH_NO_INSTALL:-} == 1 ]]; then
		WHY="$cmd not installed (BENCH_NO_INSTALL=1; apt-get install $pkg)"
		return 1
	fi
	if [[ $(id -u) != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
		WHY="$cmd not installed and not root to install it (apt-get install $pkg)"
		return 1
	fi
	say "installing $pkg"
	if ! apt-get install -y -q "$pkg" >>"$W/apt.log" 2>&1; then
		if [[ $APT_UPDATED == 0 ]]; then
			APT_UPDATED=1
			apt-get update -q >>"$W/apt.log" 2>&1 || true
			apt-get install -y -q "$pkg" >>"$W/apt.log" 2>&1 || true
		fi
	fi
	if command -v "$cmd" >/dev/null 2>&1; then
		return 0
	fi
	WHY="apt-get install $pkg failed: $(grep -E '^E:' "$W/apt.log" | tail -n 1 || true)"
	return 1
}

for t in cc timeout awk; do
	command -v "$t" >/dev/null 2>&1 || { say "missing $t; cannot run"; exit 1; }
done

HAVE_TIME=1
if ! need /usr/bin/time time; then
	say "SKIP peak memory: $WHY"
	HAVE_TIME=0
fi
HAVE_SQLITE=1
if ! need sqlite3 sqlite3; then
	say "SKIP sqlite3: $WHY"
	HAVE_SQLITE=0
	SKIP_SQLITE=$WHY
fi
HAVE_VD=1
if ! need vd visidata; then
	say "SKIP visidata: $WHY"
	HAVE_VD=0
	SKIP_VD=$WHY
fi

# ---- helpers built from bench/ ----------------------------------------------------------

build() {   # build OUT SRC [LIBS...]
	local out=$1 src=$2
	shift 2
	if [[ ! -x $out || $src -nt $out ]]; then
		say "building $out"
		cc -O2 -o "$out" "$src" "$@"
	fi
}
build "$W/gen" bench/gen.c
build "$W/ptytime" bench/ptytime.c -lutil

# plan N -> path of the cached plan for N rows
plan() {
	local n=$1 f="$W/plan-$1-$SEED.csv"
	if [[ ! -s $f || bench/gen.c -nt $f ]]; then
		say "generating $n-row plan (seed $SEED) -> $f"
		local t0=$EPOCHREALTIME
		"$W/gen" "$n" "$SEED" >"$f.tmp"
		mv "$f.tmp" "$f"
		say "  $(du -h "$f" | cut -f1) in $(fmt_s "$(calc "$EPOCHREALTIME - $t0")")"
	fi
	echo "$f"
}
PLAN=$(plan "$N")
PLAN_SMALL=$(plan "$N_SMALL")
PLAN_BYTES=$(stat -c %s "$PLAN")

# ---- measuring --------------------------------------------------------------------------

# timed OUT CMD...: run CMD with stdout to OUT, stderr to $W/last.err, killed after
# LIMIT seconds.  Sets T (wall seconds) and M (peak RSS in kB, -1 when unknown).
# Returns CMD's status (124 when killed).
timed() {
	local out=$1 rc=0 t0 t1
	shift
	t0=$EPOCHREALTIME
	if [[ $HAVE_TIME == 1 ]]; then
		/usr/bin/time -f %M -o "$W/time.out" timeout -k 5 "$LIMIT" "$@" >"$out" 2>"$W/last.err" || rc=$?
	else
		timeout -k 5 "$LIMIT" "$@" >"$out" 2>"$W/last.err" || rc=$?
	fi
	t1=$EPOCHREALTIME
	T=$(calc "$t1 - $t0")
	M=-1
	if [[ $HAVE_TIME == 1 ]]; then
		M=$(tail -n 1 "$W/time.out")
		[[ $M =~ ^[0-9]+$ ]] || M=-1
	fi
	log "[$rc] $(fmt_s "$T") $(fmt_kb "$M"): $*"
	return $rc
}

# Why a command failed, in one line.
failure() {
	local rc=$1
	if [[ $rc == 124 || $rc == 137 ]]; then
		echo "killed after $LIMIT s"
	else
		local msg
		msg=$(grep -v '^Command exited' "$W/last.err" | tail -n 1 | cut -c1-160 || true)
		echo "exit $rc: ${msg:-(no message)}"
	fi
}

# Results: TIMES[job] and MEMS[job] are space-separated per-run figures; FAIL[job] says
# why a job has none.
declare -A TIMES MEMS FAIL CPUS   # CPUS[job]: the program's own CPU seconds per run (TUI phases)
# job NAME OUT CMD...: one run of a job; records the figures or the failure.
job() {
	local name=$1 out=$2 rc=0
	shift 2
	if [[ -n ${FAIL[$name]:-} ]]; then
		return 1
	fi
	timed "$out" "$@" || rc=$?
	if [[ $rc != 0 ]]; then
		FAIL[$name]=$(failure "$rc")
		say "  $name FAILED: ${FAIL[$name]}"
		return 1
	fi
	TIMES[$name]="${TIMES[$name]:-} $T"
	MEMS[$name]="${MEMS[$name]:-} $M"
	say "  $name: $(fmt_s "$T"), $(fmt_kb "$M")"
}
skip() { FAIL[$1]="SKIP: $2"; }
t_med() { [[ -n ${TIMES[$1]:-} ]] && median ${TIMES[$1]}; }
m_max() { [[ -n ${MEMS[$1]:-} ]] && maxof ${MEMS[$1]}; }
has() { [[ -n ${TIMES[$1]:-} ]]; }

SQL() { sqlite3 -bail "$@"; }

RT_OK=1
if [[ ! -x $RT ]]; then
	RT_OK=0
	RT_WHY="$RT not built (run make)"
	say "SKIP ragtrack: $RT_WHY"
else
	# Measure a copy: a rebuild during a long run must not mix two versions.
	cp "$RT" "$W/ragtrack.bin"
	RT_VERSION="$RT ($(stat -c %y "$RT" | cut -d. -f1))"
	RT=$W/ragtrack.bin
fi

PEER_SCHEMA="CREATE TABLE plan(review, finding, question, agency, response, action, rag, target_date, evidence, lead, constraints, desired);"
PEER_FTS="CREATE VIRTUAL TABLE plan_fts USING fts5(question, response, action, evidence);
INSERT INTO plan_fts(rowid, question, response, action, evidence) SELECT rowid, question, response, action, evidence FROM plan;"
printf '%s\n.import --csv --skip 1 %s plan\n' "$PEER_SCHEMA" "$PLAN" >"$W/peer-import.sql"
printf '%s\n.import --csv --skip 1 %s plan\n%s\n' "$PEER_SCHEMA" "$PLAN" "$PEER_FTS" >"$W/peer-import-fts.sql"

DB=$W/rt.db
PEER_DB=$W/peer.db
rmdb() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }

if [[ $ONLY != browse ]]; then
# ---- a. import, b. re-import ---------------------------------------------------------------

say "a. import $N rows ($(fmt_bytes "$PLAN_BYTES") CSV), $RUNS runs"
for ((r = 1; r <= RUNS; r++)); do
	if [[ $RT_OK == 1 ]]; then
		rmdb "$DB"
		job rt_import "$W/import.out" "$RT" --db "$DB" import "$PLAN" || true
	fi
	if [[ $HAVE_SQLITE == 1 ]]; then
		rmdb "$W/peer-plain.db"
		job peer_import "$W/peer.out" sqlite3 -bail "$W/peer-plain.db" ".read $W/peer-import.sql" || true
		rmdb "$W/peer-plain.db"
		rmdb "$PEER_DB"
		job peer_import_fts "$W/peer.out" sqlite3 -bail "$PEER_DB" ".read $W/peer-import-fts.sql" || true
	fi
done
[[ $RT_OK == 1 ]] || skip rt_import "$RT_WHY"
if [[ $HAVE_SQLITE == 0 ]]; then
	skip peer_import "$SKIP_SQLITE"
	skip peer_import_fts "$SKIP_SQLITE"
fi
if has rt_import; then
	log "import summary: $(tail -n 1 "$W/import.out")"
	RT_SUMMARY=$(tail -n 1 "$W/import.out" | cut -c1-300)
else
	RT_OK=0
	RT_WHY="import failed (${FAIL[rt_import]:-})"
fi

say "b. re-import the unchanged file, $RUNS runs"
for ((r = 1; r <= RUNS; r++)); do
	[[ $RT_OK == 1 ]] && { job rt_reimport "$W/reimport.out" "$RT" --db "$DB" import "$PLAN" || true; }
done
[[ $RT_OK == 1 ]] || skip rt_reimport "$RT_WHY"
has rt_reimport && RT_RESUMMARY=$(tail -n 1 "$W/reimport.out" | cut -c1-300)
if [[ $RT_OK == 0 ]]; then
	for j in rt_export rt_export_o rt_export_red rt_list_red rt_list_search; do skip "$j" "$RT_WHY"; done
fi

# The peer's indexes for the query jobs, built outside the timings.
PEER_OK=0
if has peer_import_fts; then
	SQL "$PEER_DB" "CREATE INDEX IF NOT EXISTS plan_rag ON plan(rag); ANALYZE;" && PEER_OK=1
fi
if [[ $PEER_OK == 0 && $HAVE_SQLITE == 1 ]]; then
	SKIP_SQLITE="the sqlite3 import failed (${FAIL[peer_import_fts]:-})"
fi

RED_SQL="rag IN ('R','Red')"
LIST_COLS="rowid, review, question, agency, rag, target_date, action"
FTS_ROWS="SELECT p.rowid, p.review, p.question, p.agency, p.rag, p.target_date, p.action FROM plan_fts JOIN plan p ON p.rowid = plan_fts.rowid WHERE plan_fts MATCH '$WORD'"

# ---- c. export --------------------------------------------------------------------------------

say "c. export, $RUNS runs"
for ((r = 1; r <= RUNS; r++)); do
	if [[ $RT_OK == 1 ]]; then
		# To standard output, as the peer writes; then -o, which also syncs the file to disk
		# before it replaces the target (the disk's write speed, not the program's).
		job rt_export "$W/rt-export.csv" "$RT" --db "$DB" export || true
		job rt_export_red "$W/rt-export-red.csv" "$RT" --db "$DB" export --rag red || true
		job rt_export_o /dev/null "$RT" --db "$DB" export -o "$W/rt-export-o.csv" || true
	fi
	if [[ $PEER_OK == 1 ]]; then
		job peer_export "$W/peer-export.csv" sqlite3 -csv -header "$PEER_DB" "SELECT * FROM plan" || true
		job peer_export_red "$W/peer-export-red.csv" sqlite3 -csv -header "$PEER_DB" "SELECT * FROM plan WHERE $RED_SQL" || true
	fi
done
EXPORT_BYTES=$(stat -c %s "$W/rt-export.csv" 2>/dev/null || echo 0)
PEER_EXPORT_BYTES=$(stat -c %s "$W/peer-export.csv" 2>/dev/null || echo 0)
rm -f "$W/rt-export.csv" "$W/rt-export-o.csv" "$W/peer-export.csv" "$W/rt-export-red.csv" "$W/peer-export-red.csv"

# ---- d. list ---------------------------------------------------------------------------------------

say "d. list --rag red / --search $WORD, $RUNS runs"
for ((r = 1; r <= RUNS; r++)); do
	if [[ $RT_OK == 1 ]]; then
		job rt_list_red /dev/null "$RT" --db "$DB" list --rag red --format csv || true
		job rt_list_search /dev/null "$RT" --db "$DB" list --search "$WORD" --format csv || true
	fi
	if [[ $PEER_OK == 1 ]]; then
		job peer_list_red /dev/null sqlite3 -csv "$PEER_DB" "SELECT $LIST_COLS FROM plan WHERE $RED_SQL" || true
		job peer_count_red /dev/null sqlite3 "$PEER_DB" "SELECT count(*) FROM plan WHERE $RED_SQL" || true
		job peer_list_search /dev/null sqlite3 -csv "$PEER_DB" "$FTS_ROWS" || true
		job peer_count_search /dev/null sqlite3 "$PEER_DB" "SELECT count(*) FROM plan_fts WHERE plan_fts MATCH '$WORD'" || true
	fi
done

# Do both sides find the same rows?  (Outside the timings; needs python3's csv module.)
count_csv() { python3 -c 'import csv, sys; print(sum(1 for _ in csv.reader(sys.stdin)) - 1)'; }
CHECKS=()
if has rt_list_red && has rt_list_search && [[ $PEER_OK == 1 ]] && command -v python3 >/dev/null 2>&1; then
	for what in red search; do
		if [[ $what == red ]]; then
			rt_n=$("$RT" --db "$DB" list --rag red --format csv 2>/dev/null | count_csv || echo "?")
			peer_n=$(SQL "$PEER_DB" "SELECT count(*) FROM plan WHERE $RED_SQL")
		else
			rt_n=$("$RT" --db "$DB" list --search "$WORD" --format csv 2>/dev/null | count_csv || echo "?")
			peer_n=$(SQL "$PEER_DB" "SELECT count(*) FROM plan_fts WHERE plan_fts MATCH '$WORD'")
		fi
		if [[ $rt_n == "$peer_n" ]]; then
			CHECKS+=("$what: both find $peer_n actions")
		else
			CHECKS+=("$what: ragtrack lists $rt_n actions, sqlite3 finds $peer_n (MISMATCH)")
		fi
	done
	for c in "${CHECKS[@]}"; do say "  check $c"; done
fi
RED_SHARE=
if [[ $PEER_OK == 1 ]]; then
	RED_SHARE=$(calc "$(SQL "$PEER_DB" "SELECT count(*) FROM plan WHERE $RED_SQL") / $N")
fi

fi   # a. to d.

# ---- e. TUI ----------------------------------------------------------------------------------------

# TUI keys: name, keys, ready text.
# TUI keys: name, untimed keys typed first, timed keys, text of the finished screen.
TUI_KEYS=(red "${BENCH_TUI_RED_SEND-}" "${BENCH_TUI_RED_KEYS-1}" "${BENCH_TUI_RED_READY-}"
          end "${BENCH_TUI_END_SEND-}" "${BENCH_TUI_END_KEYS-G}" "${BENCH_TUI_END_READY-}"
          search "${BENCH_TUI_SEARCH_SEND-/$WORD}" "${BENCH_TUI_SEARCH_KEYS-\\r}" "${BENCH_TUI_SEARCH_READY-}"
          agency "${BENCH_TUI_AGENCY_SEND-aPolice}" "${BENCH_TUI_AGENCY_KEYS-\\r}" "${BENCH_TUI_AGENCY_READY-}"
          sort_target "" s "" sort_rag s s "" sort_agency ss s "" sort_updated sss s "" sort_lead ssss s ""
          sort_end s G "" sort_pgdn s "\\e[6~\\e[6~\\e[6~" "")
# Every key of the table gets a row in the results, in this order.
TUI_ROWS=(red end search agency sort_target sort_rag sort_agency sort_updated sort_lead sort_end sort_pgdn)
TUI_TIMEOUT=${BENCH_TUI_TIMEOUT:-60}
declare -A TUI_DESC=([red]="RAG filter (Red)" [end]="jump to the end" [search]="full-text search" [agency]="agency filter"
                     [sort_target]="sort by target (s)" [sort_rag]="sort by RAG (s)" [sort_agency]="sort by agency (s)"
                     [sort_updated]="sort by last change (s)" [sort_lead]="sort by lead (s)"
                     [sort_end]="end of the target-sorted list (G)" [sort_pgdn]="3 PgDn under the target sort")

UTF8_ENV=()
case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
*UTF-8* | *utf8* | *UTF8* | *utf-8*) ;;
*) UTF8_ENV=(LC_ALL=C.UTF-8) ;;
esac

# pty JOB TIMEOUT ARGS... -- CMD...: one ptytime run (bench/ptytime.c); records each
# timed phase as TIMES[JOB_LABEL] and the peak memory as MEMS[JOB].
pty() {
	local name=$1 limit=$2 rc=0
	shift 2
	if [[ -n ${FAIL[$name]:-} ]]; then
		return 1
	fi
	timeout -k 5 $((LIMIT + 10)) env "${UTF8_ENV[@]}" "$W/ptytime" --cols 120 --rows 40 \
		--settle "$SETTLE" --timeout "$limit" "$@" >"$W/pty.out" 2>"$W/last.err" || rc=$?
	log "[$rc] ptytime $*: $(tr '\n' ' ' <"$W/pty.out")"
	if [[ $rc != 0 ]]; then
		# ptytime said why on its first line, then showed the screen: keep the first
		# non-blank screen line (the program's own message, when it quit).
		local why screen
		why=$(head -n 1 "$W/last.err" | sed 's/^ptytime: //')
		screen=$(sed -n '3,$p' "$W/last.err" | grep -m 1 -v '^[[:space:]]*$' | cut -c1-100 || true)
		[[ $rc == 124 || $rc == 137 ]] && why="killed after $((LIMIT + 10)) s"
		FAIL[$name]="$why${screen:+ (screen: $screen)}"
		cp "$W/last.err" "$W/$name.err"
		say "  $name FAILED: ${FAIL[$name]}"
		return 1
	fi
	local label ms bytes cpu
	while IFS=$'\t' read -r kind label ms bytes cpu; do
		if [[ $kind == phase ]]; then
			TIMES[${name}_$label]="${TIMES[${name}_$label]:-} $(calc "$ms / 1000")"
			if [[ -n $cpu && $cpu != -1* ]]; then CPUS[${name}_$label]="${CPUS[${name}_$label]:-} $(calc "$cpu / 1000")"; fi
		elif [[ $kind == rss_kb ]]; then
			MEMS[$name]="${MEMS[$name]:-} $label"
		fi
	done <"$W/pty.out"
	say "  $name: $(tr '\n' ' ' <"$W/pty.out" | sed 's/phase\t//g; s/\t/ /g')"
}

DB_SMALL=$W/rt-$N_SMALL.db
if [[ $ONLY == browse ]]; then
	:
elif [[ $RT_OK == 1 ]]; then
	say "e. TUI on $N actions: first screen, then each key; $RUNS runs"
	# Does the TUI open at all?  A stub or a crash is a SKIP, not a figure.
	# The TUI keeps its filter per database and user: each run is a new user, so every
	# run starts from the same unfiltered screen.
	if ! pty tui_probe "$TUI_TIMEOUT" --until "$TUI_READY" -- "$RT" --db "$DB" --user bench-probe; then
		TUI_WHY="$RT does not open the TUI: ${FAIL[tui_probe]/the program /}"
		say "SKIP tui: $TUI_WHY"
	else
		unset 'TIMES[tui_probe_first]'
		for ((r = 1; r <= RUNS; r++)); do
			pty tui "$TUI_TIMEOUT" --until "$TUI_READY" -- "$RT" --db "$DB" --user "bench-$r" || true
			for ((k = 0; k < ${#TUI_KEYS[@]}; k += 4)); do
				name=${TUI_KEYS[k]} send=${TUI_KEYS[k + 1]} keys=${TUI_KEYS[k + 2]} ready=${TUI_KEYS[k + 3]}
				if [[ -z $keys ]]; then
					skip "tui_$name" "no keys for the ${TUI_DESC[$name]} (set BENCH_TUI_${name^^}_KEYS)"
					continue
				fi
				sendargs=()
				[[ -n $send ]] && sendargs=(--send "$send")
				pty "tui_$name" "$TUI_TIMEOUT" --until "$TUI_READY" "${sendargs[@]}" \
					--keys "$keys" --label key --until "$ready" -- "$RT" --db "$DB" --user "bench-$r-$name" || true
			done
		done
		say "  TUI on $N_SMALL actions (memory flatness)"
		rmdb "$DB_SMALL"
		if timed /dev/null "$RT" --db "$DB_SMALL" import "$PLAN_SMALL"; then
			for ((r = 1; r <= RUNS; r++)); do
				pty tui_small "$TUI_TIMEOUT" --until "$TUI_READY" --keys "${BENCH_TUI_END_KEYS-G}" --label key \
					--until "${BENCH_TUI_END_READY-}" -- "$RT" --db "$DB_SMALL" --user "bench-$r" || true
			done
		else
			skip tui_small "import of the $N_SMALL-row plan failed: $(failure $?)"
		fi
	fi
else
	TUI_WHY=$RT_WHY
fi

if [[ $HAVE_VD == 1 && $ONLY != browse ]]; then
	say "e. VisiData opening the $N-row CSV, $RUNS runs"
	for ((r = 1; r <= RUNS; r++)); do
		pty vd "$LIMIT" --settle 1000 --until "${BENCH_VD_READY-$N rows}" -- vd "$PLAN" || true
	done
fi

# ---- f. every browser key at two sizes ----------------------------------------------------------
# Each key of the key table that reads the store, timed on N_MID and on N actions: the
# redraw must stay within 50 ms and grow less than 2x from the one to the other.  Each
# run is a new user (the browser keeps its filter per user), so each key starts from the
# unfiltered list, or from what its untimed keys set up.
# BROWSE: name, untimed keys, timed keys, text of the finished screen, what it is.
BROWSE=(
	first "" "" "" "first screen"
	red "" 1 "" "RAG filter (1)"
	end "" G "" "end of the list (G)"
	search "/$WORD" '\r' "" "full-text search (/ Enter)"
	agency aPolice '\r' "" "agency filter (a, Enter)"
	sort_target "" s "" "sort by target (s)"
	sort_rag s s "" "sort by RAG (s)"
	sort_agency ss s "" "sort by agency (s)"
	sort_updated sss s "" "sort by last change (s)"
	sort_lead ssss s "" "sort by lead (s)"
	sort_end s G "" "end of the target-sorted list (G)"
	sort_start sG g "" "start of the target-sorted list (g after G)"
	sort_pgdn s '\e[6~\e[6~\e[6~' "" "3 PgDn under the target sort"
	lead_end sssss G "" "end of the lead-sorted list (G)"
	search_sort "/$WORD\\r" s "" "sort a search's matches (s)"
	overdue "" o "· overdue" "overdue (o)"
	overdue_red o 1 "; overdue" "RAG filter while overdue is on (1)"
	overdue_sort o s "· overdue" "sort while overdue is on (s)"
	dash "" d "By review" "dashboard (d)"
	dash_red 1 d "By review" "dashboard under a RAG filter (d)"
	dash_overdue o d "By review" "dashboard while overdue is on (d)"
	dash_search "/$WORD\\r" d "By review" "dashboard under a search (d)"
	pick_agency_red 1 a "Enter applies" "agency picker under a RAG filter (a)"
	pick_review_overdue o v "Enter applies" "review picker while overdue is on (v)"
	pick_agency_overdue o a "Enter applies" "agency picker while overdue is on (a)"
	reopen_deep "" "" "" "reopening half-way down the list"
	reopen_deep_target s "" "" "reopening half-way down, sorted by target"
	reopen_deep_lead sssss "" "" "reopening half-way down, sorted by lead"
	undo "" u "undone" "undo (u) after $((${BENCH_UNDONE:-200})) undone changes"
)
UNDONE=${BENCH_UNDONE:-200}
BENCH_ID=$(date +%s)-$$
if [[ -n ${BENCH_BROWSE_KEYS:-} ]]; then     # only these (names as above)
	KEEP=()
	for ((k = 0; k < ${#BROWSE[@]}; k += 5)); do
		[[ " $BENCH_BROWSE_KEYS " == *" ${BROWSE[k]} "* ]] && KEEP+=("${BROWSE[@]:k:5}")
	done
	BROWSE=("${KEEP[@]}")
fi

# browse_db SIZE GIVEN: the database of SIZE actions for f. (GIVEN, or imported once and kept)
browse_db() {
	local n=$1 given=$2 db=$W/rt-browse-$1.db
	if [[ -n $given ]]; then echo "$given"; return; fi
	if [[ ! -s $db ]]; then
		say "  importing the $n-row plan into $db (kept for later runs)"
		"$RT" --db "$db" import "$(plan "$n")" >/dev/null 2>"$W/last.err" || { rmdb "$db"; return 1; }
	fi
	echo "$db"
}

# bq DB SQL: one query on the browser's database, a file or a PostgreSQL URL.
bq() {
	case $1 in
	postgresql://*) psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "SET search_path = ragtrack" -c "$2";;
	*) sqlite3 "$1" "$2";;
	esac
}
# ui_put DB USER KEY VALUE: the browser's saved state for USER (on a server: the login's).
ui_put() {
	case $1 in
	postgresql://*) bq "$1" "INSERT INTO ui_state(\"user\", key, value) VALUES ('$2', '$3', '$4')
		ON CONFLICT (login, \"user\", key) DO UPDATE SET value = excluded.value";;
	*) sqlite3 "$1" "INSERT OR REPLACE INTO ui_state(user, key, value) VALUES ('$2', '$3', '$4')";;
	esac
}

# browse_key SIZE DB RUN NAME SEND KEYS READY: one timed run of one key, as job
# browse_NAME_SIZE (the time is its "key" phase, or "first" for the first screen and
# reopening).
browse_key() {
	local size=$1 db=$2 r=$3 name=$4 send=$5 keys=$6 ready=$7
	# a user of its own in each invocation: the browser reopens where a user left it
	local user=bench-$r-$name-$size-$BENCH_ID job=browse_${name}_$size args=()
	case $name in
	reopen_deep*)
		# leave the list sorted as SEND sorts it, then put the cursor half-way down
		pty "${job}_setup" "$TUI_TIMEOUT" --until "$TUI_READY" ${send:+--send "$send"} -- \
			"$RT" --db "$db" --user "$user" >/dev/null || return 1
		local total half
		total=$(bq "$db" "SELECT count(*) FROM action WHERE withdrawn = 0")
		half=$((total / 2))
		ui_put "$db" "$user" tui.cursor "$half $((half - 10)) 0"
		# then open there once (the old way: no saved place) and quit: ptytime sends q
		# and waits for the exit, so the browser saves its place as a user's quit does
		# ("cursor top id stamp"), which the timed reopen finds
		pty "${job}_leave" "$TUI_TIMEOUT" --until "$TUI_READY" -- "$RT" --db "$db" --user "$user" >/dev/null || return 1
		pty "$job" "$TUI_TIMEOUT" --until "$TUI_READY" -- "$RT" --db "$db" --user "$user" || true
		return ;;
	undo)
		# UNDONE changes made and undone by this user (the first run makes them), then
		# one change that stands: u undoes it past all the undone ones
		user=bench-undo-$size-$BENCH_ID
		# the first two actions the user sees (under a lead's login, its agency's)
		local first; first=$(bq "$db" "SELECT min(id) FROM action")
		if [[ $r == 1 ]]; then
			for ((i = 0; i < UNDONE; i++)); do
				"$RT" --db "$db" --user "$user" set "$first" "lead=bench $i" >/dev/null 2>&1 &&
					"$RT" --db "$db" --user "$user" undo >/dev/null 2>&1 || { skip "$job" "set/undo failed"; return 1; }
			done
		fi
		"$RT" --db "$db" --user "$user" set "$(bq "$db" "SELECT min(id) FROM action WHERE id > $first")" \
			"lead=bench run $r" >/dev/null 2>&1 || { skip "$job" "set failed"; return 1; } ;;
	first)
		pty "$job" "$TUI_TIMEOUT" --until "$TUI_READY" -- "$RT" --db "$db" --user "$user" || true
		return ;;
	esac
	[[ -n $send ]] && args=(--send "$send")
	pty "$job" "$TUI_TIMEOUT" --until "$TUI_READY" "${args[@]}" --keys "$keys" --label key --until "$ready" -- \
		"$RT" --db "$db" --user "$user" || true
}

BROWSE_ON=$([[ ${BENCH_BROWSE:-1} != 0 ]] && echo 1 || echo 0)
if [[ $RT_OK == 1 && $BROWSE_ON == 1 ]]; then
	TUI_TIMEOUT=${BENCH_TUI_TIMEOUT:-60}
	TUI_READY=${BENCH_TUI_READY-actions}
	SIZES=("$N_MID")
	[[ $N_MID == "$N" ]] || SIZES+=("$N")      # one pass when both sizes are one
	for size in "${SIZES[@]}"; do
		given=$([[ $size == "$N" ]] && echo "${BENCH_DB:-}" || echo "${BENCH_DB_MID:-}")
		# a full run measures its own database of N actions (a. built it)
		[[ $size == "$N" && -z $given && $ONLY != browse && -s $DB ]] && given=$DB
		if ! BDB=$(browse_db "$size" "$given"); then
			for ((k = 0; k < ${#BROWSE[@]}; k += 5)); do skip "browse_${BROWSE[k]}_$size" "import failed"; done
			continue
		fi
		say "f. browser keys on $size actions ($BDB), $RUNS runs"
		for ((r = 1; r <= RUNS; r++)); do
			for ((k = 0; k < ${#BROWSE[@]}; k += 5)); do
				browse_key "$size" "$BDB" "$r" "${BROWSE[k]}" "${BROWSE[k + 1]}" "${BROWSE[k + 2]}" "${BROWSE[k + 3]}"
			done
		done
	done
fi

# ---- results ----------------------------------------------------------------------------------------

ROWS=()   # markdown table rows
row() { ROWS+=("| $1 | $2 | $3 | $4 | $5 | $6 |"); }

# fig JOB: the median time, or why there is none.
fig() {
	if has "$1"; then fmt_s "$(t_med "$1")"; else echo "${FAIL[$1]:-not run}"; fi
}
figmem() {
	if [[ -n ${MEMS[$1]:-} ]]; then fmt_kb "$(m_max "$1")"; else echo "${FAIL[$1]:-not run}"; fi
}
# ratio A B: median(A)/median(B) or "-".
ratio() {
	if has "$1" && has "$2"; then calc "$(t_med "$1") / $(t_med "$2")"; fi
}

if [[ $ONLY != browse ]]; then
# 1. import
R1=$(ratio rt_import peer_import_fts)
row "1. import (full-text index included)" "$(fig rt_import)" "sqlite3 .import + FTS5: $(fig peer_import_fts)" \
	"${R1:+$(fmt_ratio "$R1")}" "<= 1.0x (aim 0.6x)" "${R1:+$(yesno "$R1" 1.0)}"
R1b=$(ratio rt_import peer_import)
row "   import vs plain .import (no FTS)" "$(fig rt_import)" "sqlite3 .import: $(fig peer_import)" \
	"${R1b:+$(fmt_ratio "$R1b")}" "(reference)" ""
M1=$(m_max rt_import || echo -1)
row "   import peak memory" "$(figmem rt_import)" "sqlite3: $(figmem peer_import_fts)" "" "< 64 MB" \
	"$(if has rt_import && [[ $M1 != -1 ]]; then yesno "$M1" 65535; fi)"
# 5. re-import
R5=
if has rt_import && has rt_reimport; then R5=$(calc "$(t_med rt_import) / $(t_med rt_reimport)"); fi
row "5. re-import unchanged file" "$(fig rt_reimport)" "first import: $(fig rt_import)" \
	"${R5:+$(awk -v r="$R5" 'BEGIN{printf "%.2fx faster", r}')}" ">= 2x faster" "${R5:+$(yesno 2 "$R5")}"
# 3. export
R3=$(ratio rt_export peer_export)
row "3. export all actions" "$(fig rt_export)" "sqlite3 -csv: $(fig peer_export)" \
	"${R3:+$(fmt_ratio "$R3")}" "<= 1.2x" "${R3:+$(yesno "$R3" 1.2)}"
R3o=$(ratio rt_export_o peer_export)
row "   export -o FILE (synced to disk first)" "$(fig rt_export_o)" "sqlite3 -csv (not synced): $(fig peer_export)" \
	"${R3o:+$(fmt_ratio "$R3o")}" "(reference)" ""
R3r=$(ratio rt_export_red peer_export_red)
PROP=
if has rt_export && has rt_export_red && [[ -n $RED_SHARE ]]; then
	# "Proportionally faster": no more than twice the full export's time per row, plus 50 ms.
	PROP=$(calc "$(t_med rt_export) * 2 * $RED_SHARE + 0.05")
fi
row "   export --rag red ($(awk -v s="${RED_SHARE:-0}" 'BEGIN{printf "%.1f%%", s*100}') of rows)" "$(fig rt_export_red)" \
	"sqlite3 -csv WHERE: $(fig peer_export_red)" "${R3r:+$(fmt_ratio "$R3r")}" \
	"${PROP:+<= $(fmt_s "$PROP") (proportional)}" "${PROP:+$(yesno "$(t_med rt_export_red)" "$PROP")}"
# 4. list
R4=$(ratio rt_list_red peer_list_red)
row "4. list --rag red --format csv" "$(fig rt_list_red)" "sqlite3 indexed SELECT: $(fig peer_list_red)" \
	"${R4:+$(fmt_ratio "$R4")}" "<= 2x" "${R4:+$(yesno "$R4" 2)}"
row "   (reference: indexed count)" "" "sqlite3 count(*): $(fig peer_count_red)" "" "" ""
R4s=$(ratio rt_list_search peer_list_search)
row "4. list --search $WORD --format csv" "$(fig rt_list_search)" "sqlite3 FTS5 MATCH: $(fig peer_list_search)" \
	"${R4s:+$(fmt_ratio "$R4s")}" "<= 2x" "${R4s:+$(yesno "$R4s" 2)}"
row "   (reference: FTS5 count)" "" "sqlite3 count(*): $(fig peer_count_search)" "" "" ""
# 2. TUI
if [[ -n ${TUI_WHY:-} ]]; then
	FAIL[tui_first]="SKIP: $TUI_WHY"
	for k in "${TUI_ROWS[@]}"; do FAIL[tui_${k}_key]="SKIP (no TUI)"; done
	FAIL[tui]="SKIP (no TUI)"
	FAIL[tui_small]="SKIP (no TUI)"
fi
[[ $HAVE_VD == 1 ]] || { FAIL[vd_first]="SKIP visidata: $SKIP_VD"; FAIL[vd]="SKIP visidata: $SKIP_VD"; }
[[ -n ${FAIL[vd]:-} ]] && FAIL[vd_first]=${FAIL[vd_first]:-${FAIL[vd]}}
[[ -n ${FAIL[tui]:-} ]] && FAIL[tui_first]=${FAIL[tui_first]:-${FAIL[tui]}}
R2=$(ratio tui_first vd_first)
row "2. TUI first full screen" "$(fig tui_first)" "VisiData loaded: $(fig vd_first)" \
	"${R2:+$(fmt_ratio "$R2")}" "<= 100 ms" "$(if has tui_first; then yesno "$(t_med tui_first)" 0.1; fi)"
MT=$(m_max tui || echo -1)
MS=$(m_max tui_small || echo -1)
for k in "${TUI_ROWS[@]}"; do
	[[ -n ${FAIL[tui_$k]:-} ]] && FAIL[tui_${k}_key]=${FAIL[tui_${k}_key]:-${FAIL[tui_$k]}}
	row "   redraw: ${TUI_DESC[$k]}" "$(fig "tui_${k}_key")" "" "" "<= 50 ms" \
		"$(if has "tui_${k}_key"; then yesno "$(t_med "tui_${k}_key")" 0.05; fi)"
	M=$(m_max "tui_$k" || echo -1)
	if [[ $M != -1 ]] && ((M > MT)); then MT=$M; fi
done
if has tui_first && [[ $MT != -1 ]]; then MEMS[tui]=$MT; fi
row "   TUI peak memory, $N actions" "$(figmem tui)" "VisiData: $(figmem vd)" "" "< 32 MB" \
	"$(if [[ $MT != -1 ]] && has tui_first; then yesno "$MT" 32767; fi)"
FLAT=
if [[ $MT != -1 && $MS != -1 ]] && has tui_first && has tui_small_first; then
	FLAT=$(calc "$MT <= $MS * 1.2 + 1024 ? 1 : 0")
fi
row "   TUI peak memory, $N_SMALL actions" "$(figmem tui_small)" "" "" "same as at $N (within 20%)" \
	"$(case $FLAT in 1) echo yes ;; 0) echo NO ;; esac)"

fi   # rows of a. to e.

# f. browser keys: the time at N, at N_MID, the growth, met when within 50 ms and below 2x
# browse_t NAME SIZE: the job's median (its key phase; the first screen for first/reopen)
browse_job() { case $1 in first | reopen_deep*) echo "browse_$1_$2_first" ;; *) echo "browse_$1_$2_key" ;; esac; }
# c_med JOB: the median CPU seconds of a TUI phase
c_med() { [[ -n ${CPUS[$1]:-} ]] && median ${CPUS[$1]}; }
if [[ $BROWSE_ON == 1 ]]; then
	BROWSE_MEM=-1
	for ((k = 0; k < ${#BROWSE[@]}; k += 5)); do
		name=${BROWSE[k]} desc=${BROWSE[k + 4]}
		big=$(browse_job "$name" "$N") mid=$(browse_job "$name" "$N_MID")
		for size in "$N" "$N_MID"; do
			j=browse_${name}_$size
			[[ -n ${FAIL[$j]:-} ]] && FAIL[$(browse_job "$name" "$size")]=${FAIL[$(browse_job "$name" "$size")]:-${FAIL[$j]}}
		done
		G=$(ratio "$big" "$mid")
		met=
		if has "$big" && [[ -n $G ]]; then
			met=$(if le "$(t_med "$big")" 0.05 && le "$G" 1.999; then echo yes; else echo NO; fi)
		fi
		# the program's own CPU time beside each: what the machine's load does not inflate
		CB=$(c_med "$big" || true) CM=$(c_med "$mid" || true) CG=
		[[ -n $CB && -n $CM ]] && CG=$(calc "$CB / ($CM > 0 ? $CM : 0.0001)")
		row "   browser: $desc" "$(fig "$big")${CB:+ (CPU $(fmt_s "$CB"))}" \
			"at $N_MID: $(fig "$mid")${CM:+ (CPU $(fmt_s "$CM"))}" \
			"${G:+$(fmt_ratio "$G") growth}${CG:+ (CPU $(fmt_ratio "$CG"))}" "<= 50 ms, growth < 2x" "$met"
		M=$(m_max "browse_${name}_$N" || echo -1)
		if [[ $M != -1 ]] && { [[ $BROWSE_MEM == -1 ]] || le "$BROWSE_MEM" "$M"; }; then BROWSE_MEM=$M; fi
	done
	if [[ $BROWSE_MEM != -1 ]]; then MEMS[browse]=$BROWSE_MEM; fi
	row "   browser peak memory over every key, $N actions" "$(figmem browse)" "" "" "<= 32 MB" \
		"$(if [[ $BROWSE_MEM != -1 ]]; then yesno "$BROWSE_MEM" 32768; fi)"
fi
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)

# ---- report -------------------------------------------------------------------------------------------
CPU=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)
MEM=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo unknown)
SQLV=$( [[ $HAVE_SQLITE == 1 ]] && sqlite3 --version | cut -d' ' -f1 || echo "not available")
VDV=$( [[ $HAVE_VD == 1 ]] && (vd --version 2>/dev/null | grep -o 'v[0-9.]*' | head -n 1) || echo "not available")
{
	echo "# ragtrack benchmark results"
	echo
	echo "Written by \`bench/run.sh $N\` (\`make bench N=$N\`); see bench/README.md for what each row measures."
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- machine: $(nproc) CPUs, $CPU, $MEM RAM, $(uname -sr)"
	echo "- N: $N actions (seed $SEED): $(fmt_bytes "$PLAN_BYTES") of CSV ($PLAN_BYTES bytes)"
	echo "- runs: $RUNS of each, interleaved with the peer; times are medians, memory is the largest peak RSS"
	echo "- load average (1, 5, 15 min): $LOAD_START at the start, $LOAD_END at the end"
	echo "- ragtrack: ${RT_VERSION:-not available}, git $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src include 2>/dev/null || echo ' + uncommitted changes')"
	echo "- peers: sqlite3 $SQLV${SKIP_SQLITE:+ (SKIP sqlite3: $SKIP_SQLITE)}; VisiData $VDV${SKIP_VD:+ (SKIP visidata: $SKIP_VD)}"
	echo "- ratio: ragtrack / peer (below 1 means ragtrack is faster), except re-import"
	echo
	echo "| measurement | ragtrack | peer | ratio | target | met |"
	echo "| --- | --- | --- | --- | --- | --- |"
	printf '%s\n' "${ROWS[@]}"
	echo
	[[ -n ${RT_SUMMARY:-} ]] && echo "- ragtrack import said: \`$RT_SUMMARY\`"
	[[ -n ${RT_RESUMMARY:-} ]] && echo "- ragtrack re-import said: \`$RT_RESUMMARY\`"
	[[ ${EXPORT_BYTES:-0} != 0 || ${PEER_EXPORT_BYTES:-0} != 0 ]] && echo "- export sizes: ragtrack $(fmt_bytes "$EXPORT_BYTES"), sqlite3 $(fmt_bytes "$PEER_EXPORT_BYTES") (ragtrack writes more columns and fills blank cells down)"
	if [[ -f $DB && $ONLY != browse ]]; then
		echo "- database sizes: ragtrack $(du -h "$DB" | cut -f1), sqlite3 flat table + FTS5 $(du -h "$PEER_DB" 2>/dev/null | cut -f1 || echo n/a)"
	fi
	for c in "${CHECKS[@]}"; do echo "- same rows? $c"; done
	echo "- every command and its figure: bench/work/bench.log"
} >"$RESULTS"

echo
column -t -s '|' < <(printf '%s\n' "${ROWS[@]}" | sed 's/^| //; s/ |$//') 2>/dev/null || printf '%s\n' "${ROWS[@]}"
echo
say "wrote $RESULTS"
# g. the views (report, sorted list, --changed-since, a merge) on the same database.
if [[ $RT_OK == 1 && -s $DB && $ONLY != browse ]]; then
	say "g. views (bench/views.sh)"
	BENCH_VIEWS_DB=$DB BENCH_RAGTRACK=$RT BENCH_RESULTS=$RESULTS bench/views.sh "$N" || say "  views FAILED (exit $?)"
fi
# h. the PostgreSQL column: the same commands on a server of the tests' kind.
if [[ $RT_OK == 1 && ${BENCH_SERVER:-1} != 0 && $ONLY != browse ]]; then
	say "h. on PostgreSQL (bench/server.sh)"
	BENCH_RAGTRACK=$RT BENCH_RESULTS=$RESULTS bench/server.sh "$N" || say "  server: exit $? (77: SKIP, said above)"
fi
if [[ ${BENCH_KEEP:-} != 1 && $ONLY != browse ]]; then
	rmdb "$DB"
	rmdb "$DB_SMALL"
	rmdb "$PEER_DB"
	rmdb "$W/peer-plain.db"
fi
