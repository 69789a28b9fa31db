#!/usr/bin/env bash
# The change log is what it claims: each row records the account that ran the command
# beside the name given, and is chained to the row before by SHA-256 (of the previous
# row's hash and its own content), so check reports a row rewritten, removed or
# reordered with the sqlite3 shell (guard triggers dropped and recreated) by its number;
# with the head noted from an earlier check (--head ROW:HASH), rows cut from the end and
# a chain recomputed from an earlier row are found too.
. "$(dirname "$0")/../lib.sh"
pg_needs set undo check
sqlite_only "rewrites and deletes the file's change-log rows with the sqlite3 shell"
need sqlite3
need sha256sum
data_db
# row numbers as they come after what the database holds already (imports may log too)
B=$(q "SELECT ifnull(max(id), 0) FROM change_log")
r() { echo $((B + $1)); }
rt --user alice set 3 rag=red >/dev/null || fail "set 1"
rt --user bob set 5 lead="DI Smith" target=31.03.2017 >/dev/null || fail "set 2"
rt --user alice set 7 evidence=$'Audit \u2013 40 referrals\nsecond line' >/dev/null || fail "set 3"
rt --user alice set 9 rag=amber >/dev/null || fail "set 4"
check_eq "rows" "$(q "SELECT count(*) FROM change_log WHERE id > $B")" 5
check_eq "the account is recorded beside the name" \
	"$(q "SELECT DISTINCT user || '|' || os_user FROM change_log WHERE id > $B ORDER BY 1")" "alice|$(id -un)
bob|$(id -un)"
check_status "check on an untouched log" 0 rt check
check_contains "chain ok" "$(cat "$T/out")" "change log chain: ok, $(r 5) rows; the last is row $(r 5), hash $(q "SELECT substr(hash, 1, 16) FROM change_log WHERE id = $(r 5)")"

# the hash is SHA-256 of the previous hash and "|LEN:value" (or "|-" for NULL) per column
col() { printf "'|' || ifnull(length(CAST(%s AS BLOB)) || ':' || %s, '-')" "$1" "$1"; }
expr="prev_hash"
for c in action_id at user os_user field old_value new_value source reason batch undoes undoes_change; do
	expr="$expr || $(col $c)"
done
for id in $(r 1) $(r 4); do
	printf '%s' "$(q "SELECT $expr FROM change_log WHERE id = $id")" | sha256sum | cut -d' ' -f1 >"$T/want"
	check_eq "row $id's hash, computed by sha256sum" "$(q "SELECT hash FROM change_log WHERE id = $id")" "$(cat "$T/want")"
done
check_eq "each row links to the one before" \
	"$(q "SELECT count(*) FROM change_log c JOIN change_log p ON p.id = c.id - 1 WHERE c.prev_hash = p.hash")" $(($(r 5) - 1))
check_eq "the first links to nothing" "$(q "SELECT prev_hash FROM change_log ORDER BY id LIMIT 1")" ""

UPD="DROP TRIGGER change_log_no_update;"
UPD_BACK="CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log BEGIN SELECT RAISE(ABORT, 'the change log cannot be edited'); END;"
DEL="DROP TRIGGER change_log_no_delete;"
DEL_BACK="CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log BEGIN SELECT RAISE(ABORT, 'the change log cannot be deleted'); END;"
tampered() {      # NAME SQL: a copy of the database with SQL run on it, then check
	cp "$DB" "$T/$1.db"
	sqlite3 "$T/$1.db" "$2" || fail "$1: the sqlite3 shell refused"
	"$RT" --db "$T/$1.db" check >"$T/$1.out" 2>&1
	echo $? >"$T/$1.rc"
}

# rewritten: who and why changed, triggers recreated
tampered rewrite "$UPD UPDATE change_log SET user = 'bob', reason = 'as agreed' WHERE id = $(r 2); $UPD_BACK"
check_eq "rewrite: check fails" "$(cat "$T/rewrite.rc")" 9
check_contains "rewrite: the row named" "$(cat "$T/rewrite.out")" "change log: row $(r 2) was rewritten: its content does not match its hash"
check_contains "rewrite: triggers back, so only the chain saw it" "$(cat "$T/rewrite.out")" "change log: ok"

# rewritten with that row's hash recomputed: the next row no longer follows it
new=$(printf '%s' "$(sqlite3 "$T/rewrite.db" "SELECT $expr FROM change_log WHERE id = $(r 2)")" | sha256sum | cut -d' ' -f1)
tampered rehash "$UPD UPDATE change_log SET user = 'bob', reason = 'as agreed', hash = '$new' WHERE id = $(r 2); $UPD_BACK"
check_contains "rehash: the row after it named" "$(cat "$T/rehash.out")" "change log: row $(r 3) does not follow row $(r 2): row $(r 2) was rewritten"
check_not_contains "rehash: row 2 itself looks sound" "$(cat "$T/rehash.out")" "row $(r 2) was rewritten: its content"

# removed
tampered delete "$DEL DELETE FROM change_log WHERE id = $(r 3); $DEL_BACK"
check_eq "delete: check fails" "$(cat "$T/delete.rc")" 9
check_contains "delete: the row named" "$(cat "$T/delete.out")" "change log: row $(r 3) was removed (row $(r 4) does not follow row $(r 2))"
tampered delete_first "$DEL DELETE FROM change_log WHERE id = 1; $DEL_BACK"
check_contains "delete the first" "$(cat "$T/delete_first.out")" "change log: row 2: the rows before it were removed"

# reordered: two rows swap places
tampered swap "$UPD UPDATE change_log SET id = -id WHERE id = $(r 4); UPDATE change_log SET id = $(r 4) WHERE id = $(r 3);
	UPDATE change_log SET id = $(r 3) WHERE id = -$(r 4); $UPD_BACK"
check_eq "swap: check fails" "$(cat "$T/swap.rc")" 9
check_contains "swap: row 3" "$(cat "$T/swap.out")" "change log: row $(r 3) is out of order: it was written after row $(r 4)"
check_contains "swap: row 4" "$(cat "$T/swap.out")" "change log: row $(r 4) is out of order: it was written after row $(r 2)"

# the head noted from check's chain line finds what the chain alone cannot
head="$(r 5):$(q "SELECT substr(hash, 1, 16) FROM change_log WHERE id = $(r 5)")"
check_status "head as noted" 0 rt check --head "$head"
check_contains "head line" "$(cat "$T/out")" "change log head: row $(r 5) as noted"
tampered cut_end "$DEL DELETE FROM change_log WHERE id >= $(r 4); $DEL_BACK"
check_contains "rows cut from the end: the chain alone sees nothing" "$(cat "$T/cut_end.out")" "change log chain: ok"
"$RT" --db "$T/cut_end.db" check --head "$head" >"$T/cut_end.out" 2>&1
check_eq "rows cut from the end: with the head" "$?" 9
check_contains "rows cut from the end: said" "$(cat "$T/cut_end.out")" \
	"change log head: row $(r 5), noted as the last, is not there: rows were removed from the end"
# the whole chain recomputed after rewriting row 2 (as someone who knows the rule could)
cp "$DB" "$T/recomputed.db"
sqlite3 "$T/recomputed.db" "$UPD UPDATE change_log SET user = 'mallory' WHERE id = $(r 2); $UPD_BACK"
prev=$(sqlite3 "$T/recomputed.db" "SELECT hash FROM change_log WHERE id = $(r 1)")
for id in $(r 2) $(r 3) $(r 4) $(r 5); do
	sqlite3 "$T/recomputed.db" "$UPD UPDATE change_log SET prev_hash = '$prev' WHERE id = $id; $UPD_BACK"
	prev=$(printf '%s' "$(sqlite3 "$T/recomputed.db" "SELECT $expr FROM change_log WHERE id = $id")" | sha256sum | cut -d' ' -f1)
	sqlite3 "$T/recomputed.db" "$UPD UPDATE change_log SET hash = '$prev' WHERE id = $id; $UPD_BACK"
done
"$RT" --db "$T/recomputed.db" check >"$T/recomputed.out" 2>&1
check_eq "a recomputed chain passes the chain check (what SQLite cannot prevent)" "$?" 0
"$RT" --db "$T/recomputed.db" check --head "$head" >"$T/recomputed.out" 2>&1
check_eq "but not the head" "$?" 9
check_contains "recomputed: said" "$(cat "$T/recomputed.out")" "change log head: row $(r 5) is not the row noted"
check_status "a bad head" 2 rt check --head "5:xyz"

# the untouched original is still sound, and new rows go on from it
check_status "original still sound" 0 rt check
rt --user alice undo >/dev/null || fail "undo"
check_status "sound after an undo" 0 rt check
finish
