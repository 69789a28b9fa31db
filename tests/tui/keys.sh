#!/usr/bin/env bash
# One key, one meaning in every view.  The key table (src/tui/keys.c) binds no key to
# two actions across the views (list, detail pane, dashboard, help; q leaves the view
# it is in: back, or quit from the list), and on screen: G is the end in the list and
# in the detail pane (it never sets Green), n/N step through search results in both,
# m adds a note in both, r then a letter sets the RAG in both.
. "$(dirname "$0")/lib.bash"
need python3
copy_db

# ---- the table: a key means one thing in every view ----------------------------------------
"$RT" tui --keys >"$T/keys.txt"
python3 - "$T/keys.txt" >"$T/clash.txt" <<'PY'
import re, sys
views = {"Everywhere", "The action list and the detail pane", "The action list", "The detail pane",
         "The dashboard", "This help"}
section, pending, seen = None, None, {}
def add(keys, text):
    for k in keys.split(", "):
        if section in views:
            seen.setdefault(k, set()).add(text)
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    if line and not line.startswith(" "):
        section = line.rstrip(":")
    elif line.startswith("  ") and not line.startswith("   "):
        m = re.match(r"  (\S.*?)\s{2,}(\S.*)$", line)
        if m:
            add(m.group(1), m.group(2))
        else:
            pending = line.strip()
    elif pending and line.strip():
        add(pending, line.strip())
        pending = None
for k, texts in sorted(seen.items()):
    if len(texts) > 1 and k != "q":
        print(k, sorted(texts))
PY
check_eq "no key with two meanings across the views" "$(cat "$T/clash.txt")" ""
check_contains "the RAG menu is in the table" "$(cat "$T/keys.txt")" "The RAG menu (r, then the letter)"
check_contains "the prompt's keys are in the table" "$(cat "$T/keys.txt")" "The prompt on the bottom line"
check_contains "the editor's Ctrl-End" "$(cat "$T/keys.txt")" "Ctrl-End"
check_not_contains "no capital RAG keys" "$(grep -E '^  [RAGB] ' "$T/keys.txt")" " "

# ---- on screen ---------------------------------------------------------------------------------
rag551() { sql "$T/db" "SELECT rag FROM action WHERE id = 551"; }
was=$(rag551)
tui_start
wait_for "1/629"
keys G
wait_for "629/629"
keys g
wait_for "1/629"
keys Enter
wait_for "#551 · Child L"
keys G
wait_for "Recent changes, newest first"
check_eq "G in the detail pane changed no RAG" "$(rag551)" "$was"
check_eq "and logged nothing" "$(sql "$T/db" "SELECT count(*) FROM change_log")" 0
keys g
wait_for "#551 · Child L · question 1"
# m: a note, from the detail pane and from the list
keys m
wait_for "Note for #551:"
keys Escape
wait_for "Esc back"
keys Escape
wait_for "Enter open"
keys m
wait_for "Note for #551:"
keys Escape
# r then the letter, from the list
keys r
wait_for "RAG of #551"
keys Escape
# n and N: search results, in the list and in the detail pane
keys /
type_text "chronology"
keys Enter
wait_for "1/9"
keys n
wait_for "result 2 of 9"
keys Enter
pane_id() { screen | sed -n 's/^#\([0-9]*\) · .*/\1/p' | head -1 | grep .; }
poll pane_id >/dev/null || fail "no action in the detail pane"
id2=$(pane_id)
keys n
wait_for "result 3 of 9"
wait_gone "#$id2 ·"
keys N
wait_for "result 2 of 9"
wait_for "#$id2 ·"
wait_bottom "2/9"
keys q q
check_eq "exit" "$(wait_exit)" 0
finish
