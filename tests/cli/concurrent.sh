#!/usr/bin/env bash
# Concurrent editors: parallel `ragtrack set` processes on the same and on different
# rows.  No "database is locked" reaches anyone; of processes racing on one row with
# the version they read, exactly one wins and the rest are told; the change log holds
# every accepted change exactly once and nothing else.
. "$(dirname "$0")/../lib.sh"
pg_needs set
pg_pending "reads versions with sqlite3 from the file (pg_edit.sh races two edits on a server)"
need sqlite3
data_db
q() { sqlite3 -cmd ".timeout 10000" "$DB" "$1"; }
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
check_eq "the winner's change, once" "$(q "SELECT user, new_value FROM change_log WHERE action_id = 20")" "u$w|Lead $w"

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
	check_eq "pair $k: log" "$(q "SELECT group_concat(user || ':' || field, ' ') FROM change_log WHERE action_id = $id")" \
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
	"$(q "SELECT count(*), count(DISTINCT action_id) FROM change_log WHERE user LIKE 'd%' AND field = 'constraints'")" "20|20"

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

# ---- nobody was told the database is locked; the log has nothing else --------------------------------
check_eq "no 'database is locked'" "$(cat "$T"/run/*.err "$T"/run/*.out | grep -ci 'locked')" 0
check_eq "log rows: exactly the accepted changes" "$(q "SELECT count(*) FROM change_log")" $((1 + 40 + 20 + 20))
check_status "check" 0 "$RT" --db "$DB" check
finish
