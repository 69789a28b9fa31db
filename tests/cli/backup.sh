#!/usr/bin/env bash
# ragtrack backup: a consistent online copy, made while another process holds a write
# transaction open; the copy has what was committed and nothing that was not.
. "$(dirname "$0")/../lib.sh"
sqlite_only "the online backup of a file while sqlite3 holds its write lock"
need sqlite3
data_db
umask 022

check_status "backup" 0 rt backup "$T/copy.db"
check_eq "backup output" "$(cat "$T/out")" "backup written to $T/copy.db"
check_eq "copy integrity" "$(sqlite3 "$T/copy.db" "PRAGMA integrity_check")" ok
check_eq "copy has every action" "$(sqlite3 "$T/copy.db" "SELECT count(*) FROM action")" 629
check_eq "copy mode" "$(stat -c %a "$T/copy.db")" 660
check_status "ragtrack check on the copy" 0 "$RT" --db "$T/copy.db" check

# ---- while another process holds a write transaction open --------------------------------------
rt --user alice set 3 lead="Committed lead" >/dev/null || fail "set"
coproc HOLD { sqlite3 "$DB" 2>&1; }
# bash unsets HOLD and HOLD_PID once it has reaped the coprocess: keep them now
hold_pid=$HOLD_PID hold_in=${HOLD[0]} hold_out=${HOLD[1]}
echo "BEGIN IMMEDIATE; UPDATE action SET lead = 'Uncommitted lead' WHERE id = 3;
      INSERT INTO note(action_id, at, user, source, text) VALUES (3, 'now', 'x', 'cli', 'uncommitted note');
      SELECT 'held';" >&"$hold_out"
# The shell answers once the statements ran: the transaction is then open.  (The
# timeout only stops a broken run from hanging.)
read -r -t 60 held <&"$hold_in"
check_eq "the other transaction is open" "$held" held
check_status "backup during the write" 0 rt backup "$T/during.db"
check_eq "copy integrity" "$(sqlite3 "$T/during.db" "PRAGMA integrity_check")" ok
check_eq "copy: every action" "$(sqlite3 "$T/during.db" "SELECT count(*) FROM action")" 629
check_eq "copy: the committed lead" "$(sqlite3 "$T/during.db" "SELECT lead FROM action WHERE id = 3")" "Committed lead"
check_eq "copy: no uncommitted note" "$(sqlite3 "$T/during.db" "SELECT count(*) FROM note")" 0
check_eq "copy: change log" "$(sqlite3 "$T/during.db" "SELECT count(*) FROM change_log")" 1
check_status "not onto the open database's -wal" 5 rt backup "$DB-wal"
echo "COMMIT; SELECT 'done';" >&"$hold_out"
read -r -t 60 done <&"$hold_in"
check_eq "the other transaction committed" "$done" done
eval "exec $hold_out>&-"
wait "$hold_pid" 2>/dev/null
check_eq "the database has the late change" "$(q "SELECT lead FROM action WHERE id = 3")" "Uncommitted lead"

# ---- while others edit: every copy is whole ------------------------------------------------------
pids=()
for i in $(seq 1 10); do
	rt --user "u$i" set $((100 + i)) lead="Lead $i" >/dev/null 2>"$T/edit$i.err" &
	pids+=($!)
done
check_status "backup among editors" 0 rt backup "$T/busy.db"
for p in "${pids[@]}"; do wait "$p" || fail "an editor failed: $(cat "$T"/edit*.err)"; done
check_eq "busy copy integrity" "$(sqlite3 "$T/busy.db" "PRAGMA integrity_check")" ok
check_eq "busy copy actions" "$(sqlite3 "$T/busy.db" "SELECT count(*) FROM action")" 629

# ---- replaced, refused ---------------------------------------------------------------------------
echo "not a database" >"$T/old.db"
check_status "an existing file is replaced" 0 rt backup "$T/old.db"
check_eq "replaced copy" "$(sqlite3 "$T/old.db" "SELECT count(*) FROM action")" 629
check_status "read-only may back up" 0 rt --read-only backup "$T/ro.db"
before=$(sum_file "$DB")
check_status "onto the database itself" 5 rt backup "$DB"
check_contains "onto itself: message" "$(cat "$T/err")" "is this database's own file"
check_status "into a missing folder" 3 rt backup "$T/no/such/dir/copy.db"
check_eq "missing folder: one line" "$(wc -l <"$T/err")" 1
check_status "under the agency lens" 8 rt --as-agency Police backup "$T/lens.db"
[ -e "$T/lens.db" ] && fail "backup under the lens wrote a file"
check_status "no file named" 2 rt backup
check_eq "refusals leave the database alone" "$(sum_file "$DB")" "$before"
check_eq "no temporary files left" "$(find "$T" -name '*.tmp*' | wc -l)" 0
finish
