#!/usr/bin/env bash
# ragtrack undo --change N reverses one earlier change by its number, alone, and is
# refused, with the later change named, while a later change to the same field still
# stands; a change undone already is refused too.  Changes recorded before accounts
# were (an upgraded database) are another account's: undo needs --force, which the
# undo's reason records.
. "$(dirname "$0")/../lib.sh"
pg_needs set undo check
need sqlite3
data_db
orig() { sqlite3 "$ROOT/build/data.db" "$1"; }
# numbers as they come after what the database holds already (imports may log too)
B=$(q "SELECT ifnull(max(id), 0) FROM change_log")
BATCH=$(q "SELECT ifnull(max(batch), 0) FROM change_log")
c() { echo $((B + $1)); }
rt --user alice set 3 rag=red target=31.12.2016 >/dev/null || fail "set 1"     # changes 1, 2
rt --user alice set 3 lead="DI Smith" >/dev/null || fail "set 2"              # change 3
rt --user bob set 3 rag=amber >/dev/null || fail "set 3"                      # change 4
check_eq "numbers" "$(q "SELECT group_concat(CAST(id - $B AS TEXT) || ':' || field) FROM (SELECT id, field FROM change_log WHERE id > $B ORDER BY id) AS c")" \
	"1:rag,2:target,3:lead,4:rag"

# one change of a batch, alone: the target goes back, the RAG of the same batch stays
check_status "undo --change 2" 0 rt --user alice undo --change "$(c 2)"
check_contains "says what" "$(cat "$T/out")" "undone: #3: target 2016-12-31 ->"
check_eq "target back" "$(q "SELECT ifnull(target_date, '') FROM action WHERE id = 3")" \
	"$(orig "SELECT ifnull(target_date, '') FROM action WHERE id = 3")"
check_eq "rag still bob's" "$(q "SELECT rag FROM action WHERE id = 3")" 2
check_eq "logged as the undo of change 2" \
	"$(q "SELECT field, undoes - $BATCH, undoes_change - $B, \"user\" FROM change_log WHERE id = $(c 5)")" "target|1|2|alice"

# refused while a later change to the same field stands: the later change is named
before=$(dump_sum)
check_status "undo --change 1 refused" 7 rt --user alice undo --change "$(c 1)"
check_contains "names the later change" "$(cat "$T/err")" \
	"cannot undo change $(c 1): change $(c 4) (by bob at 2016-06-30 12:00 UTC) changed the rag of action 3 later; undo change $(c 4) first"
check_eq "refusal wrote nothing" "$(dump_sum)" "$before"
check_status "undone twice" 7 rt --user alice undo --change "$(c 2)"
check_contains "already undone" "$(cat "$T/err")" "change $(c 2) was undone already, by change $(c 5)"
check_status "not a change" 6 rt undo --change "$(c 99)"
check_contains "no change 99" "$(cat "$T/err")" "no change $(c 99)"
check_status "bad number" 2 rt undo --change x
check_status "an undo of another field is no obstacle" 0 rt --user alice undo --change "$(c 3)"
check_eq "lead back" "$(q "SELECT lead FROM action WHERE id = 3")" "$(orig "SELECT lead FROM action WHERE id = 3")"

# once the later change is undone, the earlier one can be
check_status "bob undoes change 4" 0 rt --user bob undo --change "$(c 4)"
check_status "now change 1" 0 rt --user alice undo --change "$(c 1)"
check_eq "rag as imported" "$(q "SELECT rag FROM action WHERE id = 3")" "$(orig "SELECT rag FROM action WHERE id = 3")"
check_eq "plain undo finds nothing left of alice's" "$(rt --user alice undo 2>&1; echo "exit $?")" \
	"ragtrack: nothing to undo: alice has no change that is not undone
exit 6"
check_status "still sound" 0 rt check

# changes recorded before accounts were: another account's, --force undoes them
# (SQLite only: a file of schema version 1 is what has such changes; on a server every
# change carries the login the server authenticated, and db copy stamps the copying
# login on the rows it copies, so there is no change there from an unrecorded account;
# tests/cli/pg_edit.sh refuses another login's change without --force)
if [ "$ENGINE" = sqlite ]; then
	rt --user carol set 12 rag=red >/dev/null || fail "set 4"
	make_version1 "$DB" || fail "make version 1"
	check_status "plain undo refused" 6 rt --user carol undo
	check_contains "says why" "$(cat "$T/err")" "nothing to undo: carol has no change made from this account ($(id -un)) that is not undone; the latest was made from an account that was not recorded"
	check_contains "points at --force" "$(cat "$T/err")" "ragtrack undo --force reverses it"
	n=$(q "SELECT id FROM change_log WHERE \"user\" = 'carol'")
	check_status "--change refused too" 8 rt --user carol undo --change "$n"
	check_contains "account named" "$(cat "$T/err")" "change $n (by carol) was made from an account that was not recorded"
	check_status "--force" 0 rt --user carol undo --force
	check_eq "rag back" "$(q "SELECT rag FROM action WHERE id = 12")" "$(orig "SELECT rag FROM action WHERE id = 12")"
	check_eq "the forced undo is recorded" "$(q "SELECT reason, os_user FROM change_log ORDER BY id DESC LIMIT 1")" \
		"undo --force of a change made from an account that was not recorded (the change is older than the record of accounts)|$(id -un)"
	check_status "sound" 0 rt check
fi
finish
