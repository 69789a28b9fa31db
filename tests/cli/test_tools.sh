#!/usr/bin/env bash
# Every command a test script calls is one `make test` installs (tests/tools.txt) or one
# the base system has: a test that needs a new tool fails here until the tool is listed,
# rather than failing on a fresh machine with "command not found".  The check itself is
# tried on a script that calls unlisted commands, so it can fail.
. "$(dirname "$0")/../lib.sh"
sqlite_only "reads no database (the scripts' commands)"
need python3
cd "$ROOT" || exit 1
out=$(python3 tests/tools_check.py tests/tools.txt tests/run.sh tests/lib.sh tests/pg.sh tests/tui/lib.bash \
	tests/cli/*.bash tests/cli/*.sh tests/tui/*.sh 2>&1) || fail "commands not in tests/tools.txt:
$out"
# the check sees commands in pipelines, $( ) within quotes and case branches,
# and not in here-documents, strings or comments
cat >"$T/probe.sh" <<'PROBE'
x="$(pgrep -P "$(tmux display -p '#{pane_pid}')" | head -1)"   # ps in a comment
case $x in a|b) xxd "$x";; esac
echo "jq in a string"; python3 - <<'PY'
import os; os.system("curl")
PY
PROBE
probe=$(python3 tests/tools_check.py tests/tools.txt "$T/probe.sh" 2>&1); rc=$?
check_eq "the check's status on unlisted commands" "$rc" 1
check_eq "what it finds" "$(printf '%s\n' "$probe" | sed 's/^[^:]*:\([0-9]*\): \([^:]*\):.*/\1 \2/')" "1 pgrep
2 xxd"
finish
