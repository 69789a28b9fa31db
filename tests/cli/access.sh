#!/usr/bin/env bash
# Access: --read-only cannot write by any path; the agency lens refuses edits to other
# agencies' actions; the change log cannot be edited or deleted; new database files
# are readable and writable by owner and group only.
. "$(dirname "$0")/../lib.sh"
pg_needs set note alias
need sqlite3
data_db

# refused WHAT STATUS ARGS...: exit STATUS, one line on stderr, database untouched.
refused() {
	local what=$1 want=$2; shift 2
	local file='' dump
	[ "$ENGINE" = pg ] || file=$(sum_file "$DB")
	dump=$(dump_sum)
	check_status "$what" "$want" "$RT" --db "$DB" "$@"
	check_eq "$what: stderr lines" "$(wc -l <"$T/err")" "${lines:-1}"
	[ "$ENGINE" = pg ] || check_eq "$what: database file" "$(sum_file "$DB")" "$file"
	check_eq "$what: database contents" "$(dump_sum)" "$dump"
}

# ---- --read-only --------------------------------------------------------------------------
rt --user alice set 3 lead="Before read-only" >/dev/null || fail "set"
refused "read-only set" 8 --read-only set 3 rag=red
refused "read-only note" 8 --read-only note 3 a note
refused "read-only undo" 8 --read-only --user alice undo
refused "read-only agency alias" 8 --read-only agency alias Police Constabulary
pg_has reimport && refused "read-only import" 8 --read-only import --review Megan "$DATA/megan.csv"
check_contains "read-only says so" "$(rt --read-only set 3 rag=red 2>&1)" "read-only"
for cmd in "history" "agency list" "check"; do
	# shellcheck disable=SC2086
	check_status "read-only $cmd" 0 rt --read-only $cmd
done
check_status "read-only backup" 0 rt --read-only backup "$T/ro-copy.db"
check_status "read-only on a missing database" 6 "$RT" --db "$T/missing.db" --read-only history
[ -e "$T/missing.db" ] && fail "--read-only created a database"

# ---- the agency lens ---------------------------------------------------------------------------
# action 3 is NELFT's, action 12 Thurrock CCG's
check_status "lens: own action" 0 rt --as-agency NELFT --user nina set 3 rag=amber
check_eq "lens: own action changed" "$(q "SELECT rag FROM action WHERE id = 3")" 2
check_status "lens: note on own action" 0 rt --as-agency nelft --user nina note 3 "Checked with the team"
refused "lens: another agency's action" 6 --as-agency NELFT --user nina set 12 rag=red
check_eq "lens: message" "$(cat "$T/err")" "ragtrack: no action 12 for NELFT"
refused "lens: note on another's" 6 --as-agency NELFT note 12 text
# No oracle of which IDs exist: another agency's action and a missing one give the same
# words and exit status in show, set and note (only the number differs).
for cmd in "show %s" "set %s rag=red" "note %s text"; do
	# shellcheck disable=SC2086,SC2059
	rt --as-agency NELFT $(printf "$cmd" 12) >/dev/null 2>"$T/other.err"; other=$?
	# shellcheck disable=SC2086,SC2059
	rt --as-agency NELFT $(printf "$cmd" 99999) >/dev/null 2>"$T/missing.err"; missing=$?
	check_eq "lens: ${cmd%% *}: same exit for another's and a missing action" "$other" "$missing"
	check_eq "lens: ${cmd%% *}: same words" "$(sed 's/12/N/' "$T/other.err")" "$(sed 's/99999/N/' "$T/missing.err")"
done
rt --user nina set 12 lead="Nina, without the lens" >/dev/null || fail "set without the lens"
refused "lens: undo reaching another's" 6 --as-agency NELFT --user nina undo
refused "lens: agency alias" 8 --as-agency NELFT agency alias NELFT "North East London FT"
pg_has reimport && refused "lens: import" 8 --as-agency NELFT import --review Megan "$DATA/megan.csv"
refused "lens: backup" 8 --as-agency NELFT backup "$T/lens-copy.db"
check_status "lens: unknown agency" 6 rt --as-agency Nobody history
check_contains "lens: unknown agency message" "$(cat "$T/err")" "no agency 'Nobody'"
check_eq "lens: history shows only NELFT's actions" \
	"$(rt --as-agency NELFT history --format csv | tail -n +2 | cut -d, -f5 | sort -u)" 3
rt agency alias NELFT "North East London Foundation Trust" >/dev/null || fail "alias"
check_status "lens by an alias" 0 rt --as-agency "North East London Foundation Trust" set 3 rag=green

# ---- the change log is append-only ---------------------------------------------------------------
rows=$(q "SELECT count(*) FROM change_log")
check_eq "there is a log to protect" "$([ "$rows" -gt 0 ] && echo yes)" yes
err=$(q "UPDATE change_log SET \"user\" = 'mallory'" 2>&1) && fail "UPDATE of the change log succeeded"
check_contains "UPDATE refused" "$err" "the change log cannot be edited"
err=$(q "DELETE FROM change_log" 2>&1) && fail "DELETE from the change log succeeded"
check_contains "DELETE refused" "$err" "the change log cannot be deleted"
check_eq "log intact" "$(q "SELECT count(*) FROM change_log WHERE \"user\" <> 'mallory'")" "$rows"

# ---- file modes ------------------------------------------------------------------------------------
for mask in 022 077 000; do
	(umask $mask; "$RT" --db "$T/new$mask.db" import --review Megan "$DATA/megan.csv" >/dev/null) || fail "import under umask $mask"
	check_eq "new database under umask $mask" "$(stat -c %a "$T/new$mask.db")" 660
done
(umask 077; "$RT" --db "$T/new077.db" backup "$T/copy077.db" >/dev/null) || fail "backup"
check_eq "backup under umask 077" "$(stat -c %a "$T/copy077.db")" 660
# while the database is open, its -wal and -shm files share its mode
coproc HOLD { sqlite3 "$T/new077.db" 2>&1; }
# bash unsets HOLD and HOLD_PID once it has reaped the coprocess: keep them now
hold_pid=$HOLD_PID hold_in=${HOLD[0]} hold_out=${HOLD[1]}
echo "BEGIN IMMEDIATE; UPDATE action SET lead = lead WHERE id = 1; SELECT 'held';" >&"$hold_out"
read -r -t 60 held <&"$hold_in"
check_eq "held" "$held" held
check_eq "-wal mode" "$(stat -c %a "$T/new077.db-wal")" 660
check_eq "-shm mode" "$(stat -c %a "$T/new077.db-shm")" 660
echo "ROLLBACK; SELECT 'done';" >&"$hold_out"
read -r -t 60 done <&"$hold_in"
eval "exec $hold_out>&-"
wait "$hold_pid" 2>/dev/null
finish
