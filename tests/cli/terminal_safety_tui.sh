#!/usr/bin/env bash
# Terminal safety in the TUI: on the hostile database of terminal_safety.bash (escape
# sequences, C1, bidi controls, raw bytes in every column a screen shows), the list,
# the detail pane with notes and changes, and the top bar (a hostile saved filter) show
# the text escaped; the terminal never receives the sequences themselves.  Checked three
# ways in a real terminal (tmux): every byte the program wrote to the pane is recorded
# (pipe-pane) and searched for the hostile sequences; the pane title is not "PWNED"
# (OSC 0 would set it); no paste buffer appeared (OSC 52 would set one, clipboard on).
. "$(dirname "$0")/../tui/lib.bash"
pg_needs tui
need sqlite3
need python3
. "$ROOT/tests/cli/terminal_safety.bash"
copy_db
make_hostile_db "$T/db" || { fail "cannot write the hostile database"; finish; }
# a saved filter that the top bar will describe: lead contains the hostile text
sqlite3 "$T/db" "INSERT OR REPLACE INTO ui_state(user, key, value) VALUES ('$USER', 'tui.filter',
                 'ragmask=0' || char(30) || 'lead=lead<' || char(27) || ']0;PWNED' || char(7))" || fail "saving the filter"
printf 'set -g set-clipboard on\nset -g allow-rename on\n' >>"$T/tmux.conf"

# Start the program behind a gate: the pane waits for a line on its input, so the
# recording is running before the program writes its first byte.
COLS=160 ROWS=45
cmd="cd $(printf %q "$T") && read -r gate && env -u NO_COLOR LC_ALL=C.UTF-8 TERM=tmux-256color USER=$(printf %q "$USER")"
cmd="$cmd RAGTRACK_TODAY=$RAGTRACK_TODAY RAGTRACK_NOW=$RAGTRACK_NOW $(printf %q "$RT") --db $(printf %q "$T/db")"
tmux -L "$TUI_SOCK" -f "$T/tmux.conf" new-session -d -x "$COLS" -y "$ROWS" \
	"$cmd 2>$(printf %q "$T/stderr"); echo \$? >$(printf %q "$T/exit")"
tmux -L "$TUI_SOCK" pipe-pane -o "cat >>$(printf %q "$T/raw")"
title0=$(tmux -L "$TUI_SOCK" display -p '#{pane_title}')
keys Enter                                  # open the gate

# the saved filter applies: the top bar shows it escaped, the three hostile actions are listed
wait_for '\x1b]0;PWNED'
wait_for "1/3"
wait_for 'lead<\x1b]0;PWNED\x07'
# the wide screen shows the detail of the first beside the list (so its text is on the
# screen before Enter): open it, proven by the detail pane's own bottom line, then its end
keys Enter
wait_bottom "Esc back  J K next/prev"
wait_for 'evidence<\x1b]0;PWNED\x07\x1b[2J'
shown=$(screen)
check_contains "detail: action escaped" "$shown" "action<\\x1b]0;PWNED"
keys End
wait_for "Recent changes"
keys Escape
wait_bottom "Enter open"
wait_for "1/3"
keys j j
wait_for "3/3"
keys Enter
wait_bottom "Esc back  J K next/prev"
wait_for 'evidence<\x1b]0;PWNED'
keys End
wait_for "Recent changes"
keys Escape
wait_bottom "Enter open"
keys q
check_eq "exit status" "$(wait_exit)" 0
check_eq "stderr" "$(cat "$T/stderr")" ""

# what reached the terminal
check_eq "pane title unchanged (no OSC 0)" "$(tmux -L "$TUI_SOCK" display -p '#{pane_title}')" "$title0"
check_eq "no paste buffer (no OSC 52)" "$(tmux -L "$TUI_SOCK" list-buffers 2>/dev/null)" ""
[ -s "$T/raw" ] || fail "nothing was recorded from the pane"
python3 - "$T/raw" <<'PY' || fail "the program wrote a hostile sequence to the terminal"
import sys
raw = open(sys.argv[1], "rb").read()
bad = {
    b"\x1b]0;PWNED": "OSC 0 (title)", b"\x1b]52;": "OSC 52 (clipboard)", b"\x1bP1$r": "DCS",
    b"\x1b[2J": "CSI 2J from the data", b"\xc2\x9b": "C1 CSI", b"\xe2\x80\xae": "RLO", b"\xe2\x81\xa6": "LRI",
    b"\x08\x08\r\x7f": "backspaces, CR and DEL from the data", b"\xc2\x85": "NEL",
}
found = [name for seq, name in bad.items() if seq in raw]
# a lone 0x9B (not inside a UTF-8 sequence) is CSI to an 8-bit terminal
text = raw.decode("utf-8", "surrogateescape")
if "\udc9b" in text:
    found.append("raw 0x9B byte")
if "PWNED" not in text:
    found.append("(the hostile text was not shown at all)")
if found:
    print("raw output holds:", ", ".join(found)); sys.exit(1)
PY
finish
