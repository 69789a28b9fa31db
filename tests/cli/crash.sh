#!/usr/bin/env bash
# Crash safety: ragtrack killed with SIGKILL at random moments -- during a large
# import, an export and a burst of edits -- never leaves a corrupt database, half an
# import, a partial export file, or a lost edit that was reported saved.
#
# The kill points are a seeded sequence of delays spread over the measured length of
# an uninterrupted run (the seed is printed; CRASH_SEED=N reproduces the sequence).
# Killing after a delay is the point here; no assertion depends on timing: whatever
# moment a kill lands on, the state afterwards must be one of the allowed ones.
# CRASH_KILLS=N scales the number of rounds (default 15 imports into a database, 10
# first imports building a new one, 15 exports, 20 edit bursts: 60 kills).  Figures go to stdout (tests/run.sh keeps them in build/test-logs).
. "$(dirname "$0")/../lib.sh"
sqlite_only "SIGKILL mid-write never leaves a SQLite file corrupt (its journal)"
need sqlite3
need cc
SEED=${CRASH_SEED:-20160630}
KILLS=${CRASH_KILLS:-60}
IMPORT_KILLS=$((KILLS * 15 / 60)) NEW_KILLS=$((KILLS * 10 / 60)) EXPORT_KILLS=$((KILLS * 15 / 60))
EDIT_KILLS=$((KILLS - IMPORT_KILLS - NEW_KILLS - EXPORT_KILLS))
RANDOM=$SEED

q() { sqlite3 -cmd ".timeout 10000" "$1" "$2"; }
now_us() { echo "${EPOCHREALTIME/./}"; }
# kill_after US: sleep a seeded random fraction of US microseconds
kill_delay() {
	local us=$(( (RANDOM * 32768 + RANDOM) % ($1 + 1) ))
	sleep "$((us / 1000000)).$(printf '%06d' $((us % 1000000)))"
}
# reset DB FROM: a fresh copy, with no -wal or -shm left from a killed process
reset_db() { rm -f "$1" "$1-wal" "$1-shm"; cp "$2" "$1"; }
# sound WHAT DB: integrity_check ok, ragtrack check ok, no import left half-done
sound() {
	check_eq "$1: integrity_check" "$(q "$2" "PRAGMA integrity_check")" "ok"
	"$RT" --db "$2" check >"$T/check.out" 2>&1 || fail "$1: ragtrack check: $(cat "$T/check.out")"
	check_eq "$1: no import flag left behind" \
		"$(q "$2" "SELECT count(*) FROM meta WHERE key IN ('fts_deferred', 'import_run')")" 0
}

cc -O2 -o "$T/gen" "$ROOT/bench/gen.c" || { fail "cannot build bench/gen.c"; finish; }
# The plan: big enough that an uninterrupted import takes about 1.5 s with this binary
# (a sanitizer build is several times slower), between 1,000 and 5,000 rows.
cp "$ROOT/build/data.db" "$T/pristine.db"
if [ -z "${CRASH_ROWS:-}" ]; then
	"$T/gen" 500 7 >"$T/sample.csv"
	cp "$T/pristine.db" "$T/sample.db"
	start=$(now_us)
	"$RT" --db "$T/sample.db" import "$T/sample.csv" >/dev/null 2>&1 || fail "sample import"
	sample_us=$(( $(now_us) - start + 1 ))
	CRASH_ROWS=$(( 500 * 1500000 / sample_us ))
	[ "$CRASH_ROWS" -lt 1000 ] && CRASH_ROWS=1000
	[ "$CRASH_ROWS" -gt 5000 ] && CRASH_ROWS=5000
fi
ROWS=$CRASH_ROWS
"$T/gen" "$ROWS" 7 >"$T/plan.csv"
echo "crash: seed $SEED; $IMPORT_KILLS import, $NEW_KILLS first-import, $EXPORT_KILLS export, $EDIT_KILLS edit kills; $ROWS generated rows"

# ---- 1. import: all rows of the run, or none ------------------------------------------------------
DB=$T/db
reset_db "$DB" "$T/pristine.db"
before=$(q "$DB" "SELECT count(*) FROM action")
# shape DB: the counts an import changes besides actions
shape() { q "$1" "SELECT (SELECT count(*) FROM review) || ' reviews, ' || (SELECT count(*) FROM question) || ' questions, '
                          || (SELECT count(*) FROM change_log) || ' logged changes'"; }
before_shape=$(shape "$DB")
start=$(now_us)
"$RT" --db "$DB" import "$T/plan.csv" >"$T/import.out" 2>&1 || fail "uninterrupted import: $(tail -3 "$T/import.out")"
import_us=$(( $(now_us) - start ))
full=$(q "$DB" "SELECT count(*) FROM action")
full_shape=$(shape "$DB")
check_eq "uninterrupted import adds every row" "$full" $((before + ROWS))
sound "uninterrupted import" "$DB"
cp "$DB" "$T/big.db"
echo "import: uninterrupted run $((import_us / 1000)) ms, $before -> $full actions"

reset_db "$DB" "$T/pristine.db"
import_cut=0 import_done=0
for i in $(seq 1 "$IMPORT_KILLS"); do
	"$RT" --db "$DB" import "$T/plan.csv" >/dev/null 2>&1 &
	pid=$!
	kill_delay "$import_us"
	kill -KILL "$pid" 2>/dev/null
	{ wait "$pid"; } 2>/dev/null; rc=$?
	n=$(q "$DB" "SELECT count(*) FROM action")
	case $n in
	"$before") import_cut=$((import_cut + 1));;
	"$full") import_done=$((import_done + 1));;
	*) fail "import kill $i (exit $rc): $n actions, want $before (none) or $full (all)";;
	esac
	check_eq "import kill $i: search index entries" "$(q "$DB" "SELECT count(*) FROM action_fts_docsize")" "$n"
	check_eq "import kill $i: reviews and change log match the actions" "$(shape "$DB")" \
		"$([ "$n" = "$full" ] && echo "$full_shape" || echo "$before_shape")"
	sound "import kill $i" "$DB"
	# a completed run would make the next one an update: start again from the original
	[ "$n" = "$full" ] && reset_db "$DB" "$T/pristine.db"
done
"$RT" --db "$DB" import "$T/plan.csv" >/dev/null 2>&1 || fail "import after the kills failed"
check_eq "import after the kills: every row" "$(q "$DB" "SELECT count(*) FROM action")" "$full"
echo "import: $IMPORT_KILLS kills: $import_cut left nothing of the run, $import_done came after it committed, $((IMPORT_KILLS - import_cut - import_done)) in between"

# ---- 2. a first import builds a new database: the file is absent or complete ---------------------------
mkdir -p "$T/new"
start=$(now_us)
"$RT" --db "$T/new/db" import "$T/plan.csv" >/dev/null 2>&1 || fail "uninterrupted first import"
new_us=$(( $(now_us) - start ))
check_eq "uninterrupted first import: every row" "$(q "$T/new/db" "SELECT count(*) FROM action")" "$ROWS"
echo "first import: uninterrupted run $((new_us / 1000)) ms"
new_none=0 new_done=0 new_left=0
for i in $(seq 1 "$NEW_KILLS"); do
	rm -f "$T/new/"* "$T/new/".??*
	"$RT" --db "$T/new/db" import "$T/plan.csv" >/dev/null 2>&1 &
	pid=$!
	kill_delay "$new_us"
	kill -KILL "$pid" 2>/dev/null
	{ wait "$pid"; } 2>/dev/null
	if [ -e "$T/new/db" ]; then
		new_done=$((new_done + 1))
		check_eq "first import kill $i: a database appears only complete" "$(q "$T/new/db" "SELECT count(*) FROM action")" "$ROWS"
		sound "first import kill $i" "$T/new/db"
	else
		new_none=$((new_none + 1))
	fi
	for f in $(ls -A "$T/new"); do
		case $f in
		db|db-wal|db-shm) ;;
		.db.*-??????) new_left=$((new_left + 1));;
		.db.*-??????-*) ;;     # the private file's companions (-fts, -wal, ...)
		*) fail "first import kill $i: unexpected file $f";;
		esac
	done
done
# the next import removes what the killed ones left
"$RT" --db "$T/new/db" import "$T/plan.csv" >/dev/null 2>&1 || fail "import after the kills"
check_eq "import after the kills: their private files removed" "$(ls -A "$T/new" | grep -c '^\.')" 0
echo "first import: $NEW_KILLS kills: no database $new_none, complete database $new_done; $new_left hidden private files left by killed runs, removed by the next import"

# ---- 3. export: the target is the previous file or the complete new one --------------------------
mkdir -p "$T/out"
start=$(now_us)
"$RT" --db "$T/big.db" export -o "$T/want.csv" >/dev/null 2>&1 || fail "uninterrupted export"
export_us=$(( $(now_us) - start ))
"$RT" --db "$T/big.db" export --rag red -o "$T/old.csv" >/dev/null 2>&1 || fail "export of the old file"
check_eq "the old and new exports differ" "$(cmp -s "$T/want.csv" "$T/old.csv" && echo same)" ""
echo "export: uninterrupted run $((export_us / 1000)) ms, $(wc -c <"$T/want.csv") bytes"
export_old=0 export_new=0 export_none=0 export_partial=0 leftovers=0
for i in $(seq 1 "$EXPORT_KILLS"); do
	rm -f "$T/out/plan.csv"
	[ $((i % 2)) = 1 ] && cp "$T/old.csv" "$T/out/plan.csv"
	"$RT" --db "$T/big.db" export -o "$T/out/plan.csv" >/dev/null 2>&1 &
	pid=$!
	kill_delay "$export_us"
	kill -KILL "$pid" 2>/dev/null
	{ wait "$pid"; } 2>/dev/null
	if [ ! -e "$T/out/plan.csv" ]; then
		[ $((i % 2)) = 1 ] && fail "export kill $i: the previous file vanished"
		export_none=$((export_none + 1))
	elif cmp -s "$T/out/plan.csv" "$T/want.csv"; then
		export_new=$((export_new + 1))
	elif [ $((i % 2)) = 1 ] && cmp -s "$T/out/plan.csv" "$T/old.csv"; then
		export_old=$((export_old + 1))
	else
		export_partial=$((export_partial + 1))
		fail "export kill $i: plan.csv is partial ($(wc -c <"$T/out/plan.csv") bytes)"
	fi
	# a killed process cannot remove its temporary file: it must be hidden, beside the target
	for f in $(ls -A "$T/out"); do
		case $f in
		plan.csv) ;;
		.plan.csv.*-??????) leftovers=$((leftovers + 1));;
		*) fail "export kill $i: unexpected file $f";;
		esac
	done
done
"$RT" --db "$T/big.db" export -o "$T/out/plan.csv" >/dev/null 2>&1 || fail "export after the kills"
cmp -s "$T/out/plan.csv" "$T/want.csv" || fail "export after the kills: not the complete file"
# the next export removes what the killed ones left
check_eq "export after the kills: their temporary files removed" "$(ls -A "$T/out")" "plan.csv"
echo "export: $EXPORT_KILLS kills: target absent $export_none, previous file kept $export_old, complete $export_new, partial $export_partial; $leftovers hidden temporary files left by killed runs"

# ---- 3b. backup: FILE is absent or the complete copy, never a partial one ---------------------------
BACKUP_KILLS=${CRASH_BACKUP_KILLS:-10}
mkdir -p "$T/bak"
start=$(now_us)
"$RT" --db "$T/big.db" backup "$T/bak/copy.db" >/dev/null 2>&1 || fail "uninterrupted backup"
backup_us=$(( $(now_us) - start ))
want_actions=$(q "$T/big.db" "SELECT count(*) FROM action")
echo "backup: uninterrupted run $((backup_us / 1000)) ms, $(wc -c <"$T/bak/copy.db") bytes"
backup_none=0 backup_done=0 backup_left=0
for i in $(seq 1 "$BACKUP_KILLS"); do
	rm -f "$T/bak/copy.db"
	"$RT" --db "$T/big.db" backup "$T/bak/copy.db" >/dev/null 2>&1 &
	pid=$!
	kill_delay "$backup_us"
	kill -KILL "$pid" 2>/dev/null
	{ wait "$pid"; } 2>/dev/null
	if [ -e "$T/bak/copy.db" ]; then
		backup_done=$((backup_done + 1))
		check_eq "backup kill $i: a copy appears only complete" "$(q "$T/bak/copy.db" "PRAGMA integrity_check")" ok
		check_eq "backup kill $i: every action" "$(q "$T/bak/copy.db" "SELECT count(*) FROM action")" "$want_actions"
	else
		backup_none=$((backup_none + 1))
	fi
	for f in $(ls -A "$T/bak"); do
		case $f in
		copy.db) ;;
		.copy.db.*-??????) backup_left=$((backup_left + 1));;
		.copy.db.*-??????-wal|.copy.db.*-??????-shm|.copy.db.*-??????-journal) ;;   # the hidden copy's companions
		*) fail "backup kill $i: unexpected (visible or side) file $f";;
		esac
	done
done
"$RT" --db "$T/big.db" backup "$T/bak/copy.db" >/dev/null 2>&1 || fail "backup after the kills"
check_eq "backup after the kills: their temporary files removed" "$(ls -A "$T/bak")" "copy.db"
echo "backup: $BACKUP_KILLS kills: no copy $backup_none, complete copy $backup_done; $backup_left hidden temporary files left by killed runs, removed by the next backup"

# ---- 4. edits: every edit reported saved is in the database and the change log --------------------
reset_db "$DB" "$T/pristine.db"
IDS="11 12 13 14 15"
declare -A version0
for id in $IDS; do version0[$id]=$(q "$DB" "SELECT version FROM action WHERE id = $id"); done
: >"$T/saved.log"; : >"$T/tried.log"
# burst ROUND MAX: edit actions 11-15 in turn (set lead, set evidence, add a note), MAX
# edits or until $T/stop exists; each ragtrack's pid goes to $T/edit.pid, each reported
# success to saved.log
burst() {
	local r=$1 max=$2 k=0 id rc kind value
	while [ ! -e "$T/stop" ] && [ "$k" -lt "$max" ]; do
		k=$((k + 1)); id=$((11 + k % 5)); value="crash $r.$k"
		case $((k % 3)) in
		0) kind=note; "$RT" --db "$DB" --user crash note "$id" "$value" >/dev/null 2>"$T/edit.one" &;;
		1) kind=lead; "$RT" --db "$DB" --user crash set "$id" lead="$value" >/dev/null 2>"$T/edit.one" &;;
		2) kind=evidence; "$RT" --db "$DB" --user crash set "$id" evidence="$value" >/dev/null 2>"$T/edit.one" &;;
		esac
		echo $! >"$T/edit.pid"
		printf '%s|%s|%s\n' "$kind" "$id" "$value" >>"$T/tried.log"
		{ wait $!; } 2>/dev/null; rc=$?
		case $rc in
		0) printf '%s|%s|%s\n' "$kind" "$id" "$value" >>"$T/saved.log";;
		137) echo killed >>"$T/killed.log"; return;;
		*) echo "exit $rc: $(cat "$T/edit.one")" >>"$T/edit.err"; return;;
		esac
	done
}
: >"$T/edit.err"; : >"$T/killed.log"; rm -f "$T/stop"
start=$(now_us)
burst 0 12
burst_us=$(( $(now_us) - start ))
echo "edits: an uninterrupted burst of $(wc -l <"$T/saved.log") edits took $((burst_us / 1000)) ms"
for r in $(seq 1 "$EDIT_KILLS"); do
	rm -f "$T/stop"
	burst "$r" 1000 &
	bpid=$!
	kill_delay "$burst_us"
	for _ in 1 2 3; do kill -KILL "$(cat "$T/edit.pid")" 2>/dev/null && break; done
	touch "$T/stop"
	wait "$bpid"
done
rm -f "$T/stop"
sound "edits" "$DB"
saved=$(wc -l <"$T/saved.log")
edit_landed=$(wc -l <"$T/killed.log")
check_eq "no edit failed other than by a kill" "$(cat "$T/edit.err")" ""
missing=0
while IFS='|' read -r kind id value; do
	case $kind in
	note) got=$(q "$DB" "SELECT count(*) FROM note WHERE action_id = $id AND text = '$value'");;
	*) got=$(q "$DB" "SELECT count(*) FROM change_log WHERE action_id = $id AND field = '$kind' AND new_value = '$value'");;
	esac
	[ "$got" = 1 ] || { missing=$((missing + 1)); fail "saved $kind '$value' on #$id: found $got times, want 1"; }
done <"$T/saved.log"
# what the database holds beyond the reported successes: at most one edit per kill,
# and only edits that were tried (no phantom, no duplicate)
logged=$(q "$DB" "SELECT count(*) FROM change_log WHERE user = 'crash'")
notes=$(q "$DB" "SELECT count(*) FROM note WHERE user = 'crash'")
saved_sets=$(grep -vc '^note' "$T/saved.log")
saved_notes=$(grep -c '^note' "$T/saved.log")
extra=$(( logged + notes - saved ))
[ "$logged" -ge "$saved_sets" ] && [ "$notes" -ge "$saved_notes" ] && [ "$extra" -le "$edit_landed" ] \
	|| fail "edits: $logged changes and $notes notes stored; $saved_sets and $saved_notes reported saved; $edit_landed kills"
q "$DB" "SELECT field || '|' || action_id || '|' || new_value FROM change_log WHERE user = 'crash'
         UNION ALL SELECT 'note|' || action_id || '|' || text FROM note WHERE user = 'crash'" | sort >"$T/stored.txt"
check_eq "no phantom or repeated edit" "$(sort "$T/tried.log" | comm -23 "$T/stored.txt" - | head -3)" ""
check_eq "no edit stored twice" "$(uniq -d "$T/stored.txt" | head -3)" ""
for id in $IDS; do
	n=$(q "$DB" "SELECT count(*) FROM change_log WHERE action_id = $id AND user = 'crash'")
	check_eq "#$id: version counts its changes" "$(q "$DB" "SELECT version FROM action WHERE id = $id")" $((version0[$id] + n))
	for field in lead evidence; do
		last=$(q "$DB" "SELECT new_value FROM change_log WHERE action_id = $id AND field = '$field' AND user = 'crash' ORDER BY id DESC LIMIT 1")
		[ -n "$last" ] && check_eq "#$id: $field is its last logged change" "$(q "$DB" "SELECT $field FROM action WHERE id = $id")" "$last"
	done
done
echo "edits: $EDIT_KILLS kills ($edit_landed landed on a running edit): $saved edits reported saved, all $((saved - missing)) found once; $extra more committed just before a kill"
echo "crash: $((IMPORT_KILLS + NEW_KILLS + EXPORT_KILLS + BACKUP_KILLS + EDIT_KILLS)) kills survived"
finish
