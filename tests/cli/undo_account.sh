#!/usr/bin/env bash
# The change log records the system account that ran each command beside the --user
# name it gave, and undo touches only the changes of the same account: claiming
# someone's name (--user) does not undo their change; --force does, and says so in the
# log.  Needs a second account to run as (root and setpriv, as nobody).
. "$(dirname "$0")/../lib.sh"
pg_needs set undo check
sqlite_only "the operating-system account rule of a file (on a server undo goes by the login: pg_edit.sh)"
need sqlite3
need setpriv
[ "$(id -u)" = 0 ] || skip "running as another account needs root"
getent passwd nobody >/dev/null || skip "no account 'nobody'"
chmod 777 "$T"
data_db
chmod 666 "$DB"
# the program as nobody can reach it: a checkout under a private home (CI's) is not
cp "$RT" "$T/ragtrack-copy" && chmod 755 "$T/ragtrack-copy"
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups env USER=nobody "$T/ragtrack-copy" --db "$DB" "$@"; }
as_nobody --version >/dev/null 2>&1 || skip "the account nobody cannot run a copy of ragtrack in $T"
me=$(id -un)
B=$(q "SELECT ifnull(max(id), 0) FROM change_log")    # imports may have logged already

as_nobody --user alice set 3 rag=red >/dev/null || fail "set as nobody"
chmod 666 "$DB-wal" "$DB-shm" 2>/dev/null
check_eq "recorded: the name given and the account" "$(q "SELECT user, os_user FROM change_log WHERE id > $B")" "alice|nobody"
rt --user bob set 5 rag=amber >/dev/null || fail "set as $me"
check_eq "and here" "$(q "SELECT user, os_user FROM change_log WHERE id = $((B + 2))")" "bob|$me"

# claiming alice's name from another account does not undo her change
before=$(dump_sum)
check_status "undo as 'alice' from $me" 6 rt --user alice undo
check_contains "says why" "$(cat "$T/err")" \
	"nothing to undo: alice has no change made from this account ($me) that is not undone; the latest was made from account nobody: ragtrack undo --force reverses it, and records that"
check_status "undo --change 1 from $me" 8 rt --user alice undo --change $((B + 1))
check_contains "--change says why" "$(cat "$T/err")" "change $((B + 1)) (by alice) was made from account nobody, not this one"
check_eq "nothing written" "$(dump_sum)" "$before"

# the same account undoes its own change, whatever name it gives now
check_status "nobody undoes change 1" 0 as_nobody --user alice undo --change $((B + 1))
check_eq "rag back" "$(q "SELECT rag FROM action WHERE id = 3")" "$(sqlite3 "$ROOT/build/data.db" "SELECT rag FROM action WHERE id = 3")"

# --force reverses another account's change, and the log says so
as_nobody --user alice set 7 lead="Alice" >/dev/null || fail "set 2 as nobody"
check_status "--force" 0 rt --user alice undo --force
check_eq "forced undo recorded" "$(q "SELECT user, os_user, reason FROM change_log ORDER BY id DESC LIMIT 1")" \
	"alice|$me|undo --force of a change made from account nobody"
check_status "sound" 0 rt check
finish
