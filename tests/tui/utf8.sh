#!/usr/bin/env bash
# UTF-8 throughout: curly quotes, dashes, bullets, wide (CJK) characters, emoji and
# combining accents keep the columns aligned (widths by wcwidth); control characters,
# escape sequences and bidi overrides in the database are shown as visible escapes,
# never sent to the terminal.
. "$(dirname "$0")/lib.bash"
need python3
copy_db
# text the importer would have cleaned, written straight into the database
sql "$T/db" "UPDATE action SET text = 'Evil ' || char(27) || '[2J' || char(27) || ']0;pwned' || char(7) || ' clear; ' || char(8238) || 'txet desrever' WHERE id = 551;
UPDATE action SET lead = '児童保護サービス責任者', text = '“Quoted” – dashes — • bullet ◆ café e' || char(769) || ' 📋 done' WHERE id = 550;
UPDATE agency SET name = 'Ünïcödé “Agency” – 児童' WHERE id = (SELECT agency_id FROM action WHERE id = 548);"
tui_start
wait_for "1/629"
expect_screen utf8
s=$(screen)
check_contains "escape shown" "$s" 'Evil \x1b[2J\x1b]0;pwned\x07 clear; …'
# nothing was interpreted: the screen was not cleared, the title not set
check_contains "rows still there" "$s" "Multi-agency …"
# every row's columns start at the same display column as the header's
python3 - "$T/screen.txt" <<'PY' || fail "columns not aligned"
import sys, unicodedata
def width(s):
    w = 0
    for c in s:
        if unicodedata.combining(c): continue
        w += 2 if unicodedata.east_asian_width(c) in "WF" else 1
    return w
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
head = lines[1]
cols = [width(head[:head.index(name)]) for name in ("Agency", "Target", "Lead", "Action")]
bad = 0
for line in lines[2:5]:
    # a column starts after a blank cell: find the display width of each cell start
    # by cutting at the header's positions and checking the gap before each is a space
    acc, out = 0, []
    for c in line:
        out.append((acc, c))
        if not unicodedata.combining(c):
            acc += 2 if unicodedata.east_asian_width(c) in "WF" else 1
    for col in cols:
        before = [c for (a, c) in out if a == col - 1]
        if before and before[0] != " ":
            print("misaligned at", col, repr(line)); bad = 1
sys.exit(bad)
PY
keys Enter
wait_for 'Evil \x1b[2J\x1b]0;pwned\x07 clear; \u202etxet desrever'
keys Escape j
keys Enter
wait_for "“Quoted” – dashes — • bullet ◆ café"
wait_for "Lead     児童保護サービス責任者"
finish
