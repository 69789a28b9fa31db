# tests/tui/lib.bash: what the screen tests share.  Source it first (it sources
# tests/lib.sh).  Named .bash, not .sh, so tests/run.sh does not run it as a test.
#
# Each test drives the real binary in a real terminal: a private tmux server (its own
# socket, so tests run in parallel) with a window of a fixed size, TERM=tmux-256color,
# the status line off.  Keys go in with send-keys; the screen comes back with
# capture-pane.  Synchronisation is by polling the screen (every 50 ms, at most
# $TUI_TIMEOUT seconds) for what the test expects, never by sleeping.
#
#   tui_start [RAGTRACK ARGS...]   start "$RT --db $T/db ARGS" (COLS, ROWS: 100x30;
#                                  TUI_ENV: extra VAR=value words for its environment;
#                                  TUI_LOCALE: the locale word, LC_ALL=C.UTF-8 unless set
#                                  (empty: none); TUI_UNSET: variables to remove from it,
#                                  e.g. "LC_ALL LANG")
#                                  on a tmux server of its own (a new socket each time)
#   tui_stop                       kill the server and wait until the program is gone
#   app_pid                        the program's process id
#   keys KEY...                    tmux key names: j Enter Escape C-u "1" ...
#   type_text TEXT                 literal text
#   screen                         the screen as text, trailing blanks trimmed
#   wait_for TEXT                  until the screen shows TEXT (fails the test if not)
#   wait_gone TEXT                 until it no longer does
#   wait_bottom TEXT               until the bottom line shows TEXT: the program sends a
#                                  frame top to bottom, and tmux may take it in more than
#                                  one read, so text near the top proves nothing about the
#                                  lines below it; the bottom line drawn proves the frame
#   wait_eq NAME WANT CMD...       until CMD's output is WANT (check_eq that waits: for a
#                                  value read off the screen)
#   expect_screen NAME             until the screen equals tests/tui/expected/NAME.txt
#                                  (fails with the diff if it never does; REGEN=1
#                                  writes the file from the screen instead)
#   wait_exit                      until the program has exited; prints its status
#
# TUI_SLOW=SECONDS (for finding reads that do not wait, never set by the suite): the
# program is stopped as each key is sent and resumed SECONDS later, as a loaded machine
# may leave it, so a read of the screen that does not wait for the key's effect sees
# the screen from before the key.  A test that passes without it must pass with it.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

need tmux
# Every tui_start gets a server on a new socket: a new server on the socket of one just
# killed can meet it still exiting ("server exited unexpectedly").
TUI_SOCK=ragtrack-test-$$-0
TUI_SERVERS=0
export TMUX_TMPDIR=$T                 # the server's socket goes with the test's files
TUI_TIMEOUT=${TUI_TIMEOUT:-10}
EXPECTED=$ROOT/tests/tui/expected
tui_kill_all() {
	local i
	for ((i = 0; i <= TUI_SERVERS; i++)); do
		tmux -L "ragtrack-test-$$-$i" kill-server >/dev/null 2>&1
	done
}
trap 'tui_kill_all; rm -rf "$T"' EXIT

printf 'set -g status off\nset -g remain-on-exit on\nset -g default-terminal tmux-256color\nset -g history-limit 0\n' \
	>"$T/tmux.conf"

tui_start() {
	local cols=${COLS:-100} rows=${ROWS:-30} cmd word
	[ -z "$(tui_running)" ] || tui_stop
	rm -f "$T/exit" "$T/pid"
	TUI_SERVERS=$((TUI_SERVERS + 1))
	TUI_SOCK=ragtrack-test-$$-$TUI_SERVERS
	cmd="cd $(printf %q "${TUI_CWD:-$T}") && env -u NO_COLOR -u VISUAL -u EDITOR -u RAGTRACK_DB"
	for word in ${TUI_UNSET:-}; do        # variables the program must not see (no locale)
		cmd="$cmd -u $(printf %q "$word")"
	done
	for word in ${TUI_LOCALE-LC_ALL=C.UTF-8} TERM=tmux-256color "USER=$USER" "RAGTRACK_TODAY=$RAGTRACK_TODAY" \
		"RAGTRACK_NOW=$RAGTRACK_NOW" "TMPDIR=$T" ${TUI_ENV:-}; do
		case " ${TUI_UNSET:-} " in *" ${word%%=*} "*) continue;; esac
		cmd="$cmd $(printf %q "$word")"
	done
	# sh writes its process id, which exec hands to the program
	cmd="$cmd sh -c $(printf %q 'echo $$ >"$0"; exec "$@"') $(printf %q "$T/pid")"
	cmd="$cmd $(printf %q "$RT") --db $(printf %q "$T/db")"
	for word in "$@"; do
		cmd="$cmd $(printf %q "$word")"
	done
	# the shell records the exit status itself (tmux is sometimes slow to reap the pane)
	tmux -L "$TUI_SOCK" -f "$T/tmux.conf" new-session -d -x "$cols" -y "$rows" \
		"$cmd 2>>$(printf %q "$T/stderr"); echo \$? >$(printf %q "$T/exit")"
}

# The program's process id while it runs (empty before it started and after it ended).
tui_running() {
	local pid state
	[ -s "$T/pid" ] || return 0
	pid=$(cat "$T/pid")
	[ -r "/proc/$pid/stat" ] || { kill -0 "$pid" 2>/dev/null && echo "$pid"; return 0; }
	state=$(sed -n 's/^.*) \(.\).*/\1/p' "/proc/$pid/stat" 2>/dev/null)
	[ -z "$state" ] || [ "$state" = Z ] || echo "$pid"   # a zombie has ended
}
app_pid() { poll test -s "$T/pid" && cat "$T/pid"; }
tui_gone() { [ -z "$(tui_running)" ]; }

tui_stop() {
	tmux -L "$TUI_SOCK" kill-server >/dev/null 2>&1
	poll tui_gone || fail "the program did not end after its terminal closed"
}

tui_send() {
	local pid=
	[ -z "${TUI_SLOW:-}" ] || { pid=$(tui_running); [ -z "$pid" ] || kill -STOP "$pid" 2>/dev/null; }
	local rc=0
	tmux -L "$TUI_SOCK" send-keys "$@" || rc=$?
	[ -z "$pid" ] || { (sleep "$TUI_SLOW"; kill -CONT "$pid" 2>/dev/null) & }   # the load, not a wait
	return "$rc"
}
keys() { tui_send "$@"; }
type_text() { tui_send -l "$1"; }
screen() { tmux -L "$TUI_SOCK" capture-pane -p "$@" | sed 's/[[:space:]]*$//'; }

# poll CONDITION-FUNCTION ARG: call it every 50 ms until it succeeds or time runs out.
poll() {
	local tries=$((TUI_TIMEOUT * 20)) i
	for ((i = 0; i < tries; i++)); do
		"$@" && return 0
		sleep 0.05        # polling interval, not synchronisation: the check above decides
	done
	return 1
}

shows() { screen | grep -qF -- "$1"; }
not_shows() { ! shows "$1"; }

wait_for() {
	poll shows "$1" && return 0
	fail "screen never showed [$1]; it shows:"
	screen >&2
	return 1
}

wait_gone() {
	poll not_shows "$1" && return 0
	fail "screen kept showing [$1]"
	return 1
}

bottom() { screen | tail -n 1; }
bottom_shows() { bottom | grep -qF -- "$1"; }

wait_bottom() {
	poll bottom_shows "$1" && return 0
	fail "the bottom line never showed [$1]; it shows [$(bottom)]"
	return 1
}

output_is() { local want=$1; shift; [ "$("$@")" = "$want" ]; }

wait_eq() {
	local name=$1 want=$2
	shift 2
	poll output_is "$want" "$@" && return 0
	check_eq "$name" "$("$@")" "$want"
}

screen_is() { screen >"$T/screen.txt"; cmp -s "$T/screen.txt" "$1"; }

expect_screen() {
	local want=$EXPECTED/$1.txt
	if [ "${REGEN:-}" = 1 ]; then      # writing expected files: wait for a still screen
		local prev=
		until [ -n "$prev" ] && screen_is "$prev"; do
			screen >"$T/prev.txt"; prev=$T/prev.txt
			sleep 0.5
		done
		cp "$T/screen.txt" "$want"
		echo "wrote $want" >&2
		return 0
	fi
	[ -f "$want" ] || { fail "$want is missing (REGEN=1 writes it)"; return 1; }
	poll screen_is "$want" && return 0
	fail "screen $1 differs from $want"
	diff -u "$want" "$T/screen.txt" >&2
	return 1
}

exited() { [ -s "$T/exit" ]; }

wait_exit() {
	if ! poll exited; then
		fail "the program did not exit"
		return 1
	fi
	cat "$T/exit"
}

# The screen after the program exited, without tmux's "Pane is dead" line.
screen_after_exit() { screen | grep -v '^Pane is dead'; }

# The program never writes to stderr while the screen is up (a sanitizer report would
# show here too).
finish() {
	if [ -s "$T/stderr" ]; then
		fail "the program wrote to stderr:"
		head -c 3000 "$T/stderr" >&2
	fi
	exit "$FAILED"
}

# A fresh copy of the database of every plan in data/ (make build/data.db).
copy_db() {
	[ -f "$ROOT/build/data.db" ] || skip "build/data.db is missing (make build/data.db)"
	rm -f "$T/db" "$T/db-wal" "$T/db-shm"     # a stale -wal would be replayed into the copy
	cp "$ROOT/build/data.db" "$T/db"
}
