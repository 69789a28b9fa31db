#!/usr/bin/env bash
# Concurrent editors: parallel `ragtrack set` processes on the same and on different
# rows.  No "database is locked" reaches anyone; of processes racing on one row with
# the version they read, exactly one wins and the rest are told; the change log holds
# every accepted change exactly once and nothing else.  On a server an editor waits for
# another's row lock and ends with the words a file gives (one commit held by the test
# hook, RAGTRACK_TEST_HOLD_COMMIT, makes sure of the wait).
. "$(dirname "$0")/../lib.sh"
pg_needs set
need sqlite3
data_db
# the tests' own reads wait for the racers' writes (on a server reads never wait)
q() { case $DB in postgresql://*) sql "$DB" "$1";; *) sqlite3 -cmd ".timeout 10000" "$DB" "$1";; esac; }
mkdir -p "$T/run"

# launch NAME ARGS...: run ragtrack in the background, status to run/NAME.rc
launch() {
	local name=$1; shift
	( "$RT" --db "$DB" "$@" >"$T/run/$name.out" 2>"$T/run/$name.err"; echo $? >"$T/run/$name.rc" ) &
}
rc_of() { cat "$T/run/$1.rc"; }

# ---- 40 processes, one row, one version ----------------------------------------------------------
v=$(q "SELECT version FROM action WHERE id = 20")
for i in $(seq 1 40); do
	launch "one$i" --user "u$i" set 20 lead="Lead $i" --if-version "$v"
done
wait
winners=() losers=0
for i in $(seq 1 40); do
	case $(rc_of "one$i") in
	0) winners+=("$i");;
	7) losers=$((losers + 1))
	   check_contains "loser $i told why" "$(cat "$T/run/one$i.err")" "was changed by u"
	   check_eq "loser $i: one line" "$(wc -l <"$T/run/one$i.err")" 1;;
	*) fail "racer $i: exit $(rc_of "one$i"): $(cat "$T/run/one$i.err")";;
	esac
done
check_eq "one winner" "${#winners[@]}" 1
check_eq "39 refused" "$losers" 39
w=${winners[0]:-none}
check_eq "the winner's value" "$(q "SELECT lead, version FROM action WHERE id = 20")" "Lead $w|$((v + 1))"
check_eq "the winner's change, once" "$(q "SELECT \"user\", new_value FROM change_log WHERE action_id = 20")" "u$w|Lead $w"

# ---- 20 racing pairs on 20 rows, all at once --------------------------------------------------------
declare -A version
while IFS='|' read -r id vk; do version[$id]=$vk; done < <(q "SELECT id, version FROM action WHERE id BETWEEN 201 AND 220")
for k in $(seq 1 20); do
	id=$((200 + k))
	launch "a$k" --user "a$k" set "$id" lead="A $k" desired="A's $k" --if-version "${version[$id]}"
	launch "b$k" --user "b$k" set "$id" lead="B $k" desired="B's $k" --if-version "${version[$id]}"
done
wait
for k in $(seq 1 20); do
	id=$((200 + k)) ra=$(rc_of "a$k") rb=$(rc_of "b$k")
	case "$ra$rb" in
	07) win=a;;
	70) win=b;;
	*) fail "pair $k: exits $ra and $rb: $(cat "$T/run/a$k.err" "$T/run/b$k.err")"; continue;;
	esac
	lose=$([ $win = a ] && echo b || echo a)
	check_contains "pair $k: loser told" "$(cat "$T/run/$lose$k.err")" "action $id was changed by $win$k"
	want=$([ $win = a ] && echo "A $k|A's $k" || echo "B $k|B's $k")
	check_eq "pair $k: winner's values" "$(q "SELECT lead, desired FROM action WHERE id = $id")" "$want"
	check_eq "pair $k: log" "$(q "SELECT group_concat(e, ' ') FROM (SELECT \"user\" || ':' || field AS e FROM change_log
	                            WHERE action_id = $id ORDER BY id) AS c")" \
		"$win$k:lead $win$k:desired"
done

# ---- 20 rows, one editor each, no version: all go through ---------------------------------------------
for k in $(seq 1 20); do
	launch "d$k" --user "d$k" set $((300 + k)) constraints="Constraint $k"
done
wait
for k in $(seq 1 20); do
	check_eq "different rows $k" "$(rc_of "d$k")" 0
done
check_eq "different rows: values" \
	"$(q "SELECT count(*) FROM action WHERE id BETWEEN 301 AND 320 AND constraints = 'Constraint ' || (id - 300)")" 20
check_eq "different rows: each change once" \
	"$(q "SELECT count(*), count(DISTINCT action_id) FROM change_log WHERE \"user\" LIKE 'd%' AND field = 'constraints'")" "20|20"

# ---- 20 editors, one row, no version: serialised, every change kept ------------------------------------
v=$(q "SELECT version FROM action WHERE id = 30")
for k in $(seq 1 20); do
	launch "s$k" --user "s$k" set 30 desired="Outcome $k"
done
wait
for k in $(seq 1 20); do
	check_eq "same row $k" "$(rc_of "s$k")" 0
done
check_eq "same row: 20 versions later" "$(q "SELECT version FROM action WHERE id = 30")" $((v + 20))
check_eq "same row: every change once" \
	"$(q "SELECT count(*), count(DISTINCT new_value) FROM change_log WHERE action_id = 30")" "20|20"
check_eq "same row: the log chains" \
	"$(q "SELECT count(*) FROM change_log c WHERE action_id = 30 AND old_value <> ifnull((SELECT p.new_value FROM change_log p
	      WHERE p.action_id = 30 AND p.id < c.id ORDER BY p.id DESC LIMIT 1), old_value)")" 0
check_eq "same row: the last change is the value" \
	"$(q "SELECT new_value FROM change_log WHERE action_id = 30 ORDER BY id DESC LIMIT 1")" \
	"$(q "SELECT desired FROM action WHERE id = 30")"

# ---- one editor's commit held: the others wait for its lock, then as on a file -----------------------
# On a server an edit locks its row (SELECT ... FOR UPDATE) and the test hook holds the
# first editor's commit: the second, with the same version, waits for that lock and is
# then refused in the words a file gives; the third, with no version, waits too and
# then goes through.  A file has no commit to hold (its races are the sections above):
# there the three come one after another.
v=$(q "SELECT version FROM action WHERE id = 40")
# waiting N: N editors wait for a lock on this database
waiting() {
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")" = "$1" ]
}
if [ "$ENGINE" = pg ]; then
	RAGTRACK_TEST_HOLD_COMMIT=$T/hold launch h1 --user h1 set 40 lead="Held lead" --if-version "$v"
	wait_until test -e "$T/hold.held" || fail "the first edit never reached its commit"
	launch h2 --user h2 set 40 lead="Second lead" --if-version "$v"
	wait_until waiting 1 || fail "the second edit never waited for the first's lock"
	launch h3 --user h3 set 40 desired="Third outcome"
	wait_until waiting 2 || fail "the third edit never waited"
	touch "$T/hold"
else
	launch h1 --user h1 set 40 lead="Held lead" --if-version "$v"; wait
	launch h2 --user h2 set 40 lead="Second lead" --if-version "$v"; wait
	launch h3 --user h3 set 40 desired="Third outcome"
fi
wait
check_eq "held: the first goes through" "$(rc_of h1)" 0
check_eq "held: the second is refused" "$(rc_of h2)" 7
# the words name the latest change: the first's, or the third's when the server gave the
# third the row next (once the first commits, the waiters lock the row's new version in
# no set order)
case $(cat "$T/run/h2.err") in
"ragtrack: action 40 was changed by h"[13]" at 2016-06-30 12:00 UTC since you read it; reload and try again") ;;
*) fail "held: the second's words: $(cat "$T/run/h2.err")";;
esac
check_eq "held: the third goes through" "$(rc_of h3)" 0
check_eq "held: the values" "$(q "SELECT lead, desired, version FROM action WHERE id = 40")" "Held lead|Third outcome|$((v + 2))"

# ---- nobody was told the database is locked; the log has nothing else --------------------------------
check_eq "no 'database is locked'" "$(cat "$T"/run/*.err "$T"/run/*.out | grep -ci 'locked')" 0
check_eq "log rows: exactly the accepted changes" "$(q "SELECT count(*) FROM change_log")" $((1 + 40 + 20 + 20 + 2))
check_status "check" 0 "$RT" --db "$DB" check
finish
