#!/usr/bin/env bash
# Nothing a user types destroys the record (docs/reliability.md, "Files"): every command
# that writes a file refuses the database, its -wal, -shm and -journal, any SQLite
# database and links to them; --read-only writes only the file named; backup never
# follows a planted link; another program's database and an empty file are refused
# except by an explicit import, which says what it does; a FIFO, a huge search, a
# read-only folder, a full disk and a damaged database get plain words.
. "$(dirname "$0")/../lib.sh"
sqlite_only "a database file's permissions, locks, links, read-only media and full disks"
need sqlite3
data_db
cd "$T" || exit 1
OWN="is this database's own file"
SQLITE="is an SQLite database, which ragtrack never writes over"
sqlite3 "$T/other.sqlite" "CREATE TABLE t(x); INSERT INTO t VALUES (1);"
other=$(sum_file "$T/other.sqlite")

# untouched WHAT: the database's bytes and contents as before
file0=$(sum_file "$DB"); dump0=$(dump_sum)
untouched() {
	check_eq "$1: database file" "$(sum_file "$DB")" "$file0"
	check_eq "$1: database contents" "$(dump_sum)" "$dump0"
	check_eq "$1: the other database" "$(sum_file "$T/other.sqlite")" "$other"
}

# ---- 1. never over the database's own files, any SQLite database, or a link to one -------------
# A colleague's connection keeps -wal and -shm in place while the commands run.
coproc HOLD { sqlite3 "$DB" 2>&1; }
hold_pid=$HOLD_PID     # bash unsets HOLD_PID once the coprocess has exited
echo "SELECT count(*) FROM action;" >&"${HOLD[1]}"
read -r -t 60 held <&"${HOLD[0]}"
check_eq "another connection is open" "$held" 629
[ -e "$DB-wal" ] && [ -e "$DB-shm" ] || fail "no -wal and -shm beside the open database"
file0=$(sum_file "$DB"); dump0=$(dump_sum)
ln -s "$DB-wal" "$T/wal-link.csv"
ln -s "$T/other.sqlite" "$T/other-link.csv"
mkdir "$T/sub" && ln -s "$T" "$T/sub/up"
n=0
for target in "$DB" "$DB-wal" "$DB-shm" "$DB-journal" db-wal "$T/wal-link.csv" "$T/sub/up/db-shm"; do
	for cmd in "export -o" "report -o" "--read-only export -o" "--read-only report -o" \
	           "--as-agency Police report -o" "backup"; do
		# shellcheck disable=SC2086
		check_status "$cmd $target" 5 rt $cmd "$target"
		check_contains "$cmd $target: message" "$(cat "$T/err")" "$OWN"
		n=$((n + 1))
	done
done
for target in "$T/other.sqlite" "$T/other-link.csv"; do
	for cmd in "export -o" "report -o" "--read-only report -o"; do
		# shellcheck disable=SC2086
		check_status "$cmd $target" 5 rt $cmd "$target"
		check_contains "$cmd $target: message" "$(cat "$T/err")" "$SQLITE"
		n=$((n + 1))
	done
done
[ -e "$DB-journal" ] && fail "a file was written at db-journal"
untouched "refused writes"
echo "refusals: $n writes over the database's files or another database refused, database unchanged"
# backup may replace an older ragtrack backup, never another program's database or one in use
check_status "backup over another program's database" 5 rt backup "$T/other.sqlite"
check_contains "backup over another program's: message" "$(cat "$T/err")" "another program's SQLite database"
check_status "backup over a database in use" 5 rt backup "$DB"
check_status "a first backup" 0 rt backup "$T/week1.db"
check_status "a backup over last week's" 0 rt backup "$T/week1.db"
echo "COMMIT;" >&"${HOLD[1]}" 2>/dev/null
eval "exec ${HOLD[1]}>&-"
wait "$hold_pid" 2>/dev/null

# --read-only writes the file named and nothing else
mkdir "$T/ro" && cd "$T/ro" || exit 1
cp "$DB" "$T/ro/db"
sum=$(sum_file "$T/ro/db")
check_status "read-only export to a named file" 0 "$RT" --db "$T/ro/db" --read-only export -o named.csv
check_status "read-only report to a named file" 0 "$RT" --db "$T/ro/db" --read-only report -o named.txt
# (SQLite's own -wal and -shm beside the database, for its locks, are the database's:
# they may appear, holding nothing)
check_eq "read-only: only the named files" "$(ls -A "$T/ro" | grep -v '^db-\(wal\|shm\)$' | tr '\n' ' ')" "db named.csv named.txt "
check_eq "read-only: an empty -wal at most" "$(stat -c %s "$T/ro/db-wal" 2>/dev/null || echo 0)" 0
check_eq "read-only: the database unchanged" "$(sum_file "$T/ro/db")" "$sum"
cd "$T" || exit 1

# ---- 5. backup: a link planted at a temporary name, or at FILE, is never followed --------------
cp "$ROOT/build/data.db" "$T/victim.db"
victim=$(sum_file "$T/victim.db")
# the name the old scheme used, FILE.tmpPID, planted for the PID backup will have
bash -c 'ln -s "$1" "$2.tmp$$"; exec "$3" --db "$4" backup "$2"' _ "$T/victim.db" "$T/copy.db" "$RT" "$DB" \
	>"$T/out" 2>"$T/err" || fail "backup with a planted link: $(cat "$T/err")"
check_eq "planted link: the other database untouched" "$(sum_file "$T/victim.db")" "$victim"
check_eq "planted link: the copy is whole" "$(sqlite3 "$T/copy.db" "PRAGMA integrity_check")" ok
# FILE itself a link to another ragtrack database: the link is replaced, not followed
ln -s "$T/victim.db" "$T/linked.db"
check_status "backup onto a link" 0 rt backup "$T/linked.db"
check_eq "link at FILE: the other database untouched" "$(sum_file "$T/victim.db")" "$victim"
[ -L "$T/linked.db" ] && fail "backup wrote through the link instead of replacing it"
# the temporary file is created exclusively under an unpredictable name
if command -v strace >/dev/null 2>&1 && strace -f -qq -e trace=openat -o "$T/strace" true 2>/dev/null; then
	strace -f -qq -e trace=openat,open -o "$T/strace" "$RT" --db "$DB" backup "$T/traced.db" >/dev/null 2>&1
	line=$(grep -m1 '\.traced\.db\.' "$T/strace")
	check_contains "backup's temporary file: O_EXCL" "$line" "O_EXCL"
	check_contains "backup's temporary file: an unpredictable name" "$line" ".traced.db.$(grep -m1 -o '^[0-9]*' "$T/strace")-"
fi
check_eq "no temporary file left" "$(ls -A "$T" | grep -c '^\..*\.[0-9]*-')" 0

# ---- 7. another program's database, an empty file -------------------------------------------------
for cmd in list "show 1" export report history check "set 1 rag=red" "note 1 text" undo "agency list" tui; do
	# shellcheck disable=SC2086
	check_status "foreign: $cmd" 9 "$RT" --db "$T/other.sqlite" $cmd
	check_contains "foreign: $cmd: message" "$(cat "$T/err")" "is not a ragtrack database"
done
check_status "foreign: import --dry-run" 9 "$RT" --db "$T/other.sqlite" import --dry-run "$DATA/megan.csv"
check_eq "foreign: nothing changed" "$(sum_file "$T/other.sqlite")" "$other"
check_eq "foreign: still its own journal mode" "$(sqlite3 "$T/other.sqlite" "PRAGMA journal_mode")" delete
check_eq "foreign: no side files" "$(ls "$T"/other.sqlite-* 2>/dev/null)" ""
# a user_version another program set is never taken over, not even by import
sqlite3 "$T/versioned.sqlite" "CREATE TABLE t(x); PRAGMA user_version = 1;"
versioned=$(sum_file "$T/versioned.sqlite")
check_status "foreign with a version: import" 9 "$RT" --db "$T/versioned.sqlite" import "$DATA/megan.csv"
check_eq "foreign with a version: unchanged" "$(sum_file "$T/versioned.sqlite")" "$versioned"
# an explicit import says what it will do, then does it
check_status "foreign: import" 0 "$RT" --db "$T/other.sqlite" import "$DATA/megan.csv"
check_contains "foreign: import says so" "$(head -1 "$T/out")" \
	"other.sqlite: is another program's database (1 schema object): adding ragtrack's tables beside them"
check_eq "foreign: its own table kept" "$(sqlite3 "$T/other.sqlite" "SELECT x FROM t")" 1
check_status "foreign: then a ragtrack database" 0 "$RT" --db "$T/other.sqlite" check
# an empty file
: >"$T/empty.db"; chmod 644 "$T/empty.db"
check_status "empty file: list" 9 "$RT" --db "$T/empty.db" list
check_contains "empty file: message" "$(cat "$T/err")" "is an empty file, not a ragtrack database"
check_status "empty file: import --dry-run" 9 "$RT" --db "$T/empty.db" import --dry-run "$DATA/megan.csv"
check_eq "empty file: still empty" "$(stat -c %s "$T/empty.db")" 0
check_eq "empty file: mode unchanged" "$(stat -c %a "$T/empty.db")" 644
check_eq "empty file: no side files" "$(ls "$T"/empty.db-* 2>/dev/null)" ""
check_status "empty file: import" 0 "$RT" --db "$T/empty.db" import "$DATA/megan.csv"
check_contains "empty file: import says so" "$(head -1 "$T/out")" \
	"empty.db: was an empty file with mode 0644 (others could read it); its mode is now 0660"
check_eq "empty file: mode" "$(stat -c %a "$T/empty.db")" 660

# ---- 8. the smaller ones ------------------------------------------------------------------------
# a FIFO given to import: refused at once (timeout only bounds a broken run)
mkfifo "$T/plan.csv"
check_status "FIFO import" 3 timeout 20 "$RT" --db "$DB" import "$T/plan.csv"
check_contains "FIFO: message" "$(cat "$T/err")" "plan.csv: not a regular file"
# a search of 1,000 repeated words: the repeats count once
words=$(for _ in $(seq 1000); do printf 'child '; done)
check_eq "1,000 repeated words: the same as one" "$(rt list --format csv --search "$words" | md5sum)" \
	"$(rt list --format csv --search child | md5sum)"
many=$(for i in $(seq 33); do printf 'word%d ' "$i"; done)
check_status "33 different words: refused" 5 rt list --search "$many"
check_contains "33 different words: says so" "$(cat "$T/err")" "33 different words; at most 32 are searched for at once"
check_status "more than 8000 bytes: refused" 5 rt list --search "$(head -c 9000 /dev/zero | tr '\0' 'a')"
# a folder the user cannot write (root: run as nobody)
mkdir "$T/locked" && cp "$ROOT/build/data.db" "$T/locked/db" && chmod 755 "$T/locked" && chmod 644 "$T/locked/db"
as_user=()
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null && as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	chmod 755 "$T"
else
	chmod 555 "$T/locked"
fi
if [ "$(id -u)" != 0 ] || [ ${#as_user[@]} -gt 0 ]; then
	check_status "read-only list in a folder not writable" 0 "${as_user[@]}" "$RT" --db "$T/locked/db" --read-only list
	check_eq "read-only list: every action" "$(md5sum <"$T/out")" "$("$RT" --db "$ROOT/build/data.db" --read-only list | md5sum)"
	check_not_contains "read-only list: no upgrade talk" "$(cat "$T/err")" "upgrade"
	check_eq "locked folder: nothing created" "$(ls -A "$T/locked")" db
	check_status "list without --read-only in a folder not writable" 8 "${as_user[@]}" "$RT" --db "$T/locked/db" list
	check_contains "locked folder: says what to do" "$(cat "$T/err")" "not writable for you); ragtrack --read-only reads it"
fi
chmod 755 "$T/locked"
# a full disk: said as such (a private tmpfs in a user namespace, where allowed)
mkdir "$T/full"
if unshare -rm true 2>/dev/null; then
	unshare -rm bash -c '
		mount -t tmpfs -o size=$(( $(stat -c %s "$2") / 1024 + 256 ))k none "$1" || exit 77   # the database and room for its -wal, then filled
		cp "$2" "$1/db" && dd if=/dev/zero of="$1/fill" bs=4k 2>/dev/null
		"$3" --db "$1/db" set 3 evidence="$(head -c 100000 /dev/zero | tr "\0" x)" 2>"$4/full.err"
		echo "exit $?" >>"$4/full.err"
		rm "$1/fill"
		"$3" --db "$1/db" check >/dev/null 2>&1 || echo "check failed after a full disk" >>"$4/full.err"
	' _ "$T/full" "$ROOT/build/data.db" "$RT" "$T"
	if [ $? != 77 ]; then
		check_contains "full disk: said" "$(cat "$T/full.err")" "disk is full"
		check_not_contains "full disk: not an I/O error" "$(cat "$T/full.err")" "I/O error"
		check_contains "full disk: exit" "$(cat "$T/full.err")" "exit 3"
		check_not_contains "full disk: the database sound after" "$(cat "$T/full.err")" "check failed"
	fi
fi
# a first import onto a full disk: the error names the database, not the private file
# the store built it in, and nothing is left in the folder
mkdir "$T/full-new"
if unshare -rm true 2>/dev/null; then
	unshare -rm bash -c '
		mount -t tmpfs -o size=200k none "$1" || exit 77
		"$2" --db "$1/new.db" import "$3" >/dev/null 2>"$4/full-new.err"
		echo "exit $?" >>"$4/full-new.err"
		ls -A "$1" >"$4/full-new.ls"
	' _ "$T/full-new" "$RT" "$ROOT/data/child-l.csv" "$T"
	if [ $? != 77 ]; then
		check_contains "full disk, first import: names the database" "$(cat "$T/full-new.err")" \
			"ragtrack: $T/full-new/new.db: disk is full"
		check_not_contains "full disk, first import: not the private file" "$(cat "$T/full-new.err")" ".new.db."
		check_contains "full disk, first import: exit" "$(cat "$T/full-new.err")" "exit 3"
		check_eq "full disk, first import: nothing left" "$(cat "$T/full-new.ls")" ""
	fi
fi
check_status "export to a full device" 3 rt export -o /dev/full
check_contains "full device: said" "$(cat "$T/err")" "/dev/full: disk is full"
# a damaged database: the first write refuses
cp "$ROOT/build/data.db" "$T/guard.db"
sqlite3 "$T/guard.db" "DROP TRIGGER change_log_no_update"
guard=$(sum_file "$T/guard.db")
check_status "damaged: check finds it" 9 "$RT" --db "$T/guard.db" check
for cmd in "set 3 rag=red" "note 3 text" "agency alias Police Constabulary"; do
	# shellcheck disable=SC2086
	check_status "damaged (guard dropped): $cmd" 9 "$RT" --db "$T/guard.db" $cmd
	check_contains "damaged: $cmd: message" "$(cat "$T/err")" "the database is damaged"
done
check_eq "damaged: nothing written" "$(sum_file "$T/guard.db")" "$guard"
cp "$ROOT/build/data.db" "$T/short.db"
truncate -s 524288 "$T/short.db"
short=$(sum_file "$T/short.db")
check_status "damaged (truncated): check finds it" 9 "$RT" --db "$T/short.db" check
check_status "damaged (truncated): set" 9 "$RT" --db "$T/short.db" set 3 rag=red
check_contains "truncated: message" "$(cat "$T/err")" "the database is damaged"
check_eq "truncated: nothing written" "$(sum_file "$T/short.db")" "$short"
finish
