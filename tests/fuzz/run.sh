#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS [HARNESS...]]: build the libFuzzer harnesses and run them.
#
#   make fuzz FUZZ_SECONDS=600         ten minutes in all, shared among the harnesses
#   tests/fuzz/run.sh 300 import       five minutes of the importer alone
#
# Harnesses (tests/fuzz/fuzz_NAME.c): import (the importer's whole path into a fresh
# in-memory store), csv (the CSV reader alone, much faster), text (the normalisers and
# the filter parser), search (user text as search and name filters).  SECONDS is the
# total: import gets half, the others share the rest (without import, all share it
# evenly).  Each harness starts from its seed corpus tests/fuzz/corpus/NAME/ (import
# and csv: tests/fuzz/corpus/import/ and data/*.csv) and keeps what it finds in
# build/fuzz/corpus/NAME/, so runs build on each other.  Statistics go to
# build/fuzz/NAME.log and one line per run to build/fuzz/history.tsv.
#
# A crash, leak, timeout or broken promise is saved as build/fuzz/crashes/NAME-*; the
# script then minimises it to tests/fuzz/regressions/NAME-*.min and exits 1.  Every file
# under tests/fuzz/regressions/ is replayed by `make test` (tests/unit/test_fuzz_regressions.c)
# without libFuzzer, so a crash once found stays a test.
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$PWD
SECONDS_TOTAL=${1:-60}
shift || true
HARNESSES=("$@")
[ ${#HARNESSES[@]} -gt 0 ] || HARNESSES=(import csv text search)
OUT=build/fuzz
CC_FUZZ=${CC_FUZZ:-clang}
mkdir -p "$OUT/obj" "$OUT/crashes"

die() { echo "fuzz: $*" >&2; exit 2; }

# ---- the toolchain -------------------------------------------------------------------
command -v "$CC_FUZZ" >/dev/null || die "clang is needed (apt-get install clang libclang-rt-14-dev)"
probe() {
	printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$OUT/probe.c"
	"$CC_FUZZ" -fsanitize=fuzzer,address,undefined -o "$OUT/probe" "$OUT/probe.c" >"$OUT/probe.log" 2>&1
}
if ! probe; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "fuzz: installing libclang-rt-14-dev (libFuzzer runtime)"
		{ apt-get install -y -q libclang-rt-14-dev || { apt-get update -q && apt-get install -y -q libclang-rt-14-dev; }; } \
			>"$OUT/apt.log" 2>&1 || { cat "$OUT/apt.log"; die "could not install libclang-rt-14-dev"; }
		probe || { cat "$OUT/probe.log"; die "clang cannot build a libFuzzer binary"; }
	else
		cat "$OUT/probe.log"
		die "clang cannot build a libFuzzer binary; run: sudo apt-get install libclang-rt-14-dev"
	fi
fi
[ -f build/schema_sql.h ] || make -s build/schema_sql.h || die "cannot generate build/schema_sql.h"

# ---- build: the core (everything below the command line), then each harness ----------
CFLAGS_FUZZ="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
CPP="-Iinclude -Ibuild -D_GNU_SOURCE $(pkg-config --cflags sqlite3)"
LIBS="$(pkg-config --libs sqlite3) -lcsv -lm"
core=()
for src in src/*.c; do
	case $src in src/main.c|src/cli.c|src/cmd_*.c) continue;; esac
	obj=$OUT/obj/$(basename "${src%.c}").o
	if [ ! -f "$obj" ] || [ -n "$(find "$src" include build/schema_sql.h src/store_int.h -newer "$obj" -print -quit 2>/dev/null)" ]; then
		echo "  CC/FUZZ $src"
		# shellcheck disable=SC2086
		"$CC_FUZZ" -std=c11 -Wall -Wextra $CPP $CFLAGS_FUZZ -c -o "$obj" "$src" || die "compiling $src failed"
	fi
	core+=("$obj")
done
for h in "${HARNESSES[@]}"; do
	[ -f "tests/fuzz/fuzz_$h.c" ] || die "no harness tests/fuzz/fuzz_$h.c"
	echo "  LINK    $OUT/fuzz_$h"
	# shellcheck disable=SC2086
	"$CC_FUZZ" -std=c11 -Wall -Wextra $CPP ${CFLAGS_FUZZ/fuzzer-no-link/fuzzer} -o "$OUT/fuzz_$h" \
		"tests/fuzz/fuzz_$h.c" "${core[@]}" $LIBS || die "building fuzz_$h failed"
done

# ---- run --------------------------------------------------------------------------------
share() {   # seconds for harness $1
	local n=${#HARNESSES[@]}
	if [ "$n" -gt 1 ] && [ "$1" = import ]; then echo $((SECONDS_TOTAL / 2));
	elif [ "$n" -gt 1 ] && printf '%s\n' "${HARNESSES[@]}" | grep -qx import; then echo $((SECONDS_TOTAL / 2 / (n - 1)));
	else echo $((SECONDS_TOTAL / n)); fi
}
status=0
[ -f "$OUT/history.tsv" ] || printf 'date\tharness\tseconds\texecs\texecs_per_s\tcoverage\tfeatures\tcorpus\tcrashes\n' >"$OUT/history.tsv"
for h in "${HARNESSES[@]}"; do
	secs=$(share "$h")
	[ "$secs" -ge 1 ] || secs=1
	mkdir -p "$OUT/corpus/$h"
	seeds=("tests/fuzz/corpus/$h")
	dict=()
	[ -f "tests/fuzz/$h.dict" ] && dict=(-dict="tests/fuzz/$h.dict")
	case $h in import|csv) seeds=(tests/fuzz/corpus/import data); dict=(-dict=tests/fuzz/import.dict);; esac
	# a whole import into a fresh database costs ~10 ms: small files find bugs as well, faster
	maxlen=16384
	[ "$h" = import ] && maxlen=4096
	before=$(ls "$OUT/crashes" | wc -l)
	echo "fuzz_$h: ${secs}s, corpus $OUT/corpus/$h, log $OUT/$h.log"
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
	"$OUT/fuzz_$h" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len="$maxlen" \
		-print_final_stats=1 -artifact_prefix="$OUT/crashes/$h-" "${dict[@]}" \
		"$OUT/corpus/$h" "${seeds[@]}" >"$OUT/$h.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/$h.log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$OUT/$h.log" | tail -1)
	last=$(grep -E '^#[0-9]+' "$OUT/$h.log" | tail -1)
	cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	corpus=$(ls "$OUT/corpus/$h" | wc -l)
	crashes=$(( $(ls "$OUT/crashes" | wc -l) - before ))
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$h" "$secs" "${execs:-?}" "${rate:-?}" \
		"${cov:-?}" "${ft:-?}" "$corpus" "$crashes" >>"$OUT/history.tsv"
	echo "fuzz_$h: ${execs:-?} executions (${rate:-?}/s), coverage ${cov:-?} edges, ${ft:-?} features, corpus $corpus, crashes $crashes"
	if [ "$rc" != 0 ] || [ "$crashes" -gt 0 ]; then
		status=1
		grep -m1 -A25 -E 'ERROR: |runtime error|broken promise' "$OUT/$h.log" | head -40
		[ "$crashes" -gt 0 ] || echo "fuzz_$h: exit $rc with no crash file; see $OUT/$h.log"
		for c in $(ls -t "$OUT/crashes" | head -n "$crashes"); do
			min=tests/fuzz/regressions/$c.min
			"$OUT/fuzz_$h" -minimize_crash=1 -max_total_time=60 -exact_artifact_path="$min" "$OUT/crashes/$c" \
				>"$OUT/minimise.log" 2>&1
			[ -f "$min" ] || cp "$OUT/crashes/$c" "$min"
			echo "fuzz_$h: crash saved as $min (replayed by make test from now on)"
		done
	fi
done
echo "history: $OUT/history.tsv"
exit "$status"
