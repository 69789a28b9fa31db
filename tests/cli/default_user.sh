#!/usr/bin/env bash
# The user a change is recorded under: --user, else $USER, else $LOGNAME, else the
# account's name from the system; never "unknown".  The account itself is recorded
# beside it whichever name is used.
. "$(dirname "$0")/../lib.sh"
pg_needs set note
need sqlite3
data_db
me=$(id -un)
B=$(q "SELECT ifnull(max(id), 0) FROM change_log")    # imports may have logged already
USER=ursula LOGNAME=logan rt --user given set 3 rag=red >/dev/null || fail "--user"
USER=ursula LOGNAME=logan rt set 3 rag=amber >/dev/null || fail "\$USER"
env -u USER LOGNAME=logan "$RT" --db "$DB" set 3 rag=green >/dev/null || fail "\$LOGNAME"
env -u USER -u LOGNAME "$RT" --db "$DB" set 3 rag=blue evidence="Audit of 40 referrals" >/dev/null || fail "neither"
USER= LOGNAME= rt set 3 lead="DI Smith" >/dev/null || fail "both empty"
check_eq "names, in order" "$(q "SELECT group_concat(u, ' ') FROM (SELECT \"user\" AS u FROM change_log WHERE id > $B ORDER BY id) AS c")" \
	"given ursula logan $me $me $me"
check_eq "the account beside each" "$(q "SELECT count(*) FROM change_log WHERE id > $B AND os_user = '$me'")" 6
check_eq "never unknown" "$(q "SELECT count(*) FROM change_log WHERE \"user\" = 'unknown' OR \"user\" = ''")" 0
env -u USER -u LOGNAME "$RT" --db "$DB" note 3 "Chased by phone" >/dev/null || fail "note"
check_eq "notes too" "$(q "SELECT \"user\" FROM note")" "$me"
finish
