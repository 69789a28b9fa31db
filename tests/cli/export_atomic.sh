#!/usr/bin/env bash
# export -o FILE writes a temporary file in the same folder and renames it into place:
# no temporary file is left, an existing file is replaced whole (a new inode), the
# mode gives no access to others, a symlink's file is updated and the link kept, a
# pipe is written through, and a folder that cannot be written gives an error naming
# the file and leaves the old file as it was.
. "$(dirname "$0")/../lib.sh"
sqlite_only "how export writes its file is the same on either engine; the database's own file is SQLite's"
need python3
cp "$ROOT/build/data.db" "$T/db"
mkdir "$T/work"
cd "$T/work" || exit 1
umask 002
export_() { "$RT" --db "$T/db" export "$@"; }

export_ --question 1a >"$T/want.csv"
check_status "new file" 0 export_ --question 1a -o plan.csv
cmp -s plan.csv "$T/want.csv" || fail "new file: content differs from standard output"
check_eq "mode: owner and group only" "$(stat -c %a plan.csv)" "660"
check_eq "no temporary file left" "$(ls -A)" "plan.csv"

(umask 077 && export_ --question 1a -o private.csv 2>/dev/null)
check_eq "mode: never more than the umask allows" "$(stat -c %a private.csv)" "600"
rm private.csv

printf 'old contents\n' >plan.csv
chmod 644 plan.csv
inode=$(stat -c %i plan.csv)
check_status "replace" 0 export_ --question 1b -o plan.csv
check_eq "replaced by rename (new inode)" "$([ "$(stat -c %i plan.csv)" != "$inode" ] && echo yes)" "yes"
check_eq "replaced contents" "$(md5sum <plan.csv)" "$(export_ --question 1b | md5sum)"
check_eq "replaced file: its mode kept, less world access" "$(stat -c %a plan.csv)" "640"
chmod 600 plan.csv
check_status "replace a private file" 0 export_ --question 1b -o plan.csv
check_eq "replaced file: chmod 600 stays 600" "$(stat -c %a plan.csv)" "600"
check_eq "still no temporary file" "$(ls -A)" "plan.csv"

# a symlink: the file it points to is replaced, the link stays a link
mkdir real && printf 'old\n' >real/target.csv && ln -s real/target.csv link.csv
check_status "through a symlink" 0 export_ --question 1a -o link.csv
check_eq "link kept" "$(readlink link.csv)" "real/target.csv"
cmp -s real/target.csv "$T/want.csv" || fail "symlink: target not updated"
check_eq "no temporary file beside the target" "$(ls -A real)" "target.csv"

# a pipe is written through, not replaced.  Python holds the read end open without
# blocking, so the export never waits and the test cannot hang; 1a fits the pipe buffer.
mkfifo pipe
python3 - "$RT" "$T/db" >"$T/piped.csv" <<'PY' || fail "into a pipe: the export failed"
import os, subprocess, sys
fd = os.open("pipe", os.O_RDONLY | os.O_NONBLOCK)
rc = subprocess.call([sys.argv[1], "--db", sys.argv[2], "export", "--question", "1a", "-o", "pipe"],
                     stderr=subprocess.DEVNULL)
data = b""
while True:
    try:
        chunk = os.read(fd, 65536)
    except BlockingIOError:
        break
    if not chunk:
        break
    data += chunk
sys.stdout.buffer.write(data)
sys.exit(rc)
PY
cmp -s "$T/piped.csv" "$T/want.csv" || fail "pipe: content differs"
check_eq "pipe still a pipe" "$(stat -c %F pipe)" "fifo"
rm pipe

# errors: the message names the file, nothing is left, the old file is untouched
check_status "a folder" 3 export_ -o real
check_eq "folder message" "$(cat "$T/err")" "ragtrack: real: Is a directory"
check_status "the database itself" 5 export_ -o "$T/db"
check_eq "database message" "$(cat "$T/err")" "ragtrack: $T/db: is this database's own file (the database or its -wal, -shm or -journal, perhaps through a link); name another file"
check_eq "database untouched" "$("$RT" --db "$T/db" list | tail -n 1)" "629 actions"
check_status "missing folder" 3 export_ -o nowhere/plan.csv
check_eq "missing folder message" "$(cat "$T/err")" "ragtrack: nowhere/plan.csv: No such file or directory"

mkdir ro && printf 'old contents\n' >ro/plan.csv && chmod 555 ro
if [ "$(id -u)" = 0 ]; then
	# root writes anywhere: run the export as nobody, on a database nobody may open
	need setpriv
	chmod 755 "$T" "$T/work" && mkdir -m 777 "$T/pub" && cp "$T/db" "$T/pub/db" && chmod 666 "$T/pub/db"
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
else
	mkdir "$T/pub" && cp "$T/db" "$T/pub/db"
	as_nobody() { "$@"; }
fi
check_status "unwritable folder" 3 as_nobody "$RT" --db "$T/pub/db" export -o ro/plan.csv
check_eq "unwritable folder message" "$(cat "$T/err")" "ragtrack: ro/plan.csv: Permission denied"
check_eq "old file left as it was" "$(cat ro/plan.csv)" "old contents"
check_eq "nothing else in the folder" "$(ls -A ro)" "plan.csv"
chmod 755 ro
finish
