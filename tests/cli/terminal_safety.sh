#!/usr/bin/env bash
# Terminal safety: no byte sequence in the database reaches a terminal as a control
# sequence.  A database is filled with escape sequences (OSC 0 title, OSC 52 clipboard,
# CSI clear screen, DCS), C1 controls in UTF-8 and as raw bytes, bidi overrides and
# isolates, backspace, CR, DEL, zero-width and combining characters -- through the
# importer (which removes C0/C1 controls itself) and, because the store may hold
# anything another tool wrote, straight into every text column with sqlite3 (on a file
# that the PostgreSQL leg then copies to the server with db copy).  Then
# every view that prints data text is run, to a pipe and to a real terminal (a pty via
# script(1)), and its output is scanned: no raw C0 control but newline (and tab in
# TSV), no DEL, no C1, no bidi control, no invalid UTF-8 -- and the hostile text is
# shown, escaped (\x1b]0;PWNED\x07, \u202e), not silently dropped.
# Data formats: CSV to a file or pipe keeps the data byte for byte (it is data, and
# export must round-trip); CSV to a terminal, TSV and JSON are escaped always.
# The TUI is tests/cli/terminal_safety_tui.sh.
. "$(dirname "$0")/../lib.sh"
pg_needs report set note undo check
need sqlite3
need python3
cd "$T" || exit 1
export COLUMNS=2000        # tables laid out wide: the cells are shown whole, so the escapes can be checked

# scan WHAT FILE [tab]: FILE holds nothing a terminal would act on
cat >"$T/scan.py" <<'PY'
import sys
what, path = sys.argv[1], sys.argv[2]
allow = "\n" + ("\t" if len(sys.argv) > 3 else "")
s = open(path, "rb").read().decode("utf-8", "surrogateescape")
for i, ch in enumerate(s):
    c = ord(ch)
    if ((c < 0x20 and ch not in allow) or c == 0x7F or 0x80 <= c <= 0x9F or 0x202A <= c <= 0x202E
            or 0x2066 <= c <= 0x2069 or c in (0x200E, 0x200F, 0x061C) or 0xDC80 <= c <= 0xDCFF):
        shown = "\\x%02x" % (c - 0xDC00) if c >= 0xDC80 else "U+%04X" % c
        ctx = s[max(0, i - 30):i + 10].encode("utf-8", "surrogateescape")
        print("%s: raw %s at character %d, after: %r" % (what, shown, i, ctx))
        sys.exit(1)
PY
scanned=0
scan() {
	scanned=$((scanned + 1))
	python3 "$T/scan.py" "$@" >"$T/scan.out" || fail "$(cat "$T/scan.out")"
}
# tty OUTFILE CMD...: run CMD on a pty (stdout is a terminal), 120x40, no CR added
tty_run() {
	local out=$1 cmd="stty -onlcr cols 120 rows 40 2>/dev/null; unset COLUMNS; exec" w; shift
	for w in "$@"; do cmd="$cmd $(printf %q "$w")"; done
	script -qec "$cmd" /dev/null </dev/null >"$out" 2>&1
}
have_script=1
command -v script >/dev/null 2>&1 || { have_script=0; echo "note: script(1) missing: terminal (pty) runs left out" >&2; }

# ---- the hostile text ---------------------------------------------------------------------------------
# Written with sqlite3 into a file, which the PostgreSQL leg copies to the server (db
# copy); there without the raw 0x9B byte, as a server database holds UTF-8 only.
[ "$ENGINE" = sqlite ] || HOSTILE_RAW_BYTE=0
. "$ROOT/tests/cli/terminal_safety.bash"
cp "$ROOT/build/data.db" "$T/db" || { fail "cannot copy build/data.db"; finish; }
make_hostile_db "$T/db" || { fail "cannot write the hostile database"; finish; }
engine_db DB "$T/db" || finish
# the control characters as they are in the SQL (SQLite's char() is the server's chr())
ESC=$'\033' C1_CSI=$'\302\233' BS=$'\010'
check_eq "the database holds raw ESC" "$(q "SELECT count(*) FROM action WHERE instr(text, '$ESC') > 0 AND id = 12")" 1
esc=$HOSTILE_SHOWN

# view WHAT [tab] -- CMD...: run CMD to a pipe, scan stdout and stderr
view() {
	local what=$1 tab=; shift
	[ "$1" = tab ] && { tab=tab; shift; }
	[ "$1" = -- ] && shift
	"$@" >"$T/v.out" 2>"$T/v.err"
	scan "$what (stdout)" "$T/v.out" $tab
	scan "$what (stderr)" "$T/v.err"
}
# on_tty WHAT CMD...: the same on a terminal
on_tty() {
	local what=$1; shift
	[ "$have_script" = 1 ] || return 0
	tty_run "$T/t.out" "$@" || fail "$what (terminal): exit $?: $(head -c 300 "$T/t.out")"
	scan "$what (terminal)" "$T/t.out"
}

# ---- list, show, history, agency, check ----------------------------------------------------------------
ALL=id,rag,review,finding,ref,question,agency,response,action,target,evidence,lead,constraints,desired,updated,notes
view "list" rt list
check_contains "list shows the escapes" "$(cat "$T/v.out")" 'action<\x1b]0;PWNED'
view "list all columns" rt list --columns "$ALL"
check_contains "list: evidence escaped" "$(cat "$T/v.out")" 'evidence<\x1b]0;PWNED\x07'
on_tty "list" "$RT" --db "$DB" list --columns id,lead
check_contains "list on a terminal shows the escapes" "$(cat "$T/t.out" 2>/dev/null)" 'lead<\x1b]0;PWNED'
view "list tsv" tab -- rt list --format tsv --columns "$ALL"
check_contains "tsv: escaped" "$(cat "$T/v.out")" 'action<\x1b]0;PWNED\x07'
view "list json" rt list --format json --columns "$ALL"
check_contains "json: escaped" "$(cat "$T/v.out")" 'action<\u001b]0;PWNED\u0007'
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/v.out" 2>"$T/json.err" || fail "json: not valid JSON: $(head -c 300 "$T/json.err")"
on_tty "list csv" "$RT" --db "$DB" list --format csv --columns "$ALL"
check_contains "csv on a terminal: escaped" "$(cat "$T/t.out" 2>/dev/null)" 'action<\x1b]0;PWNED\x07'
view "list --search PWNED" rt list --search PWNED
check_eq "search finds the hostile rows" "$(awk 'NR > 1 && ($1 == 3 || $1 == 12 || $1 == 195) {print $1}' "$T/v.out" | sort -n | tr '\n' ' ')" "3 12 195 "
for id in 3 12 195; do
	view "show $id" rt show "$id"
	check_contains "show $id: action escaped" "$(cat "$T/v.out")" "action<$esc"
	on_tty "show $id" "$RT" --db "$DB" show "$id"
done
check_contains "show 12: note escaped" "$(rt show 12)" 'note<\x1b]0;PWNED'
check_contains "show 12: question escaped" "$(rt show 12)" 'question<\x1b]0;PWNED'
check_contains "show 12: response escaped" "$(rt show 12)" 'response<\x1b]0;PWNED'
view "history" rt history
view "history 12" rt history 12
check_contains "history: values escaped" "$(cat "$T/v.out")" 'new<\x1b]0;PWNED'
view "history csv" rt history 12 --format csv
on_tty "history" "$RT" --db "$DB" history 12
view "agency list" rt agency list
check_contains "agency list: escaped" "$(cat "$T/v.out")" 'agency<\x1b]0;PWNED'
view "check" rt check

# ---- edits echo old and new values; errors echo what the user typed ----------------------------------
view "set" rt --user eve set 12 lead="plain lead" --reason "$(printf 'why\033]0;PWNED\007')"
check_contains "set: old value escaped" "$(cat "$T/v.out")" 'lead<\x1b]0;PWNED'
view "set hostile value" rt --user eve set 13 lead="$(printf 'x\033]0;PWNED\007\342\200\256y')"
check_contains "set: new value cleaned, bidi shown escaped" "$(cat "$T/v.out")" 'x]0;PWNED\u202ey'
view "undo" rt --user eve undo
view "note" rt --user eve note 13 "$(printf 'n\033[2Jote')"
view "bad agency" rt list --agency "$(printf 'x\033]0;PWNED\007')"
check_contains "bad agency: told" "$(cat "$T/v.err")" "no agency"
view "bad review" rt list --review "$(printf 'r\302\233\033]0;PWNED\007')"
view "bad field" rt set 12 "$(printf 'le\033[2Jad')=x"
view "bad id" rt show "$(printf '\033]0;PWNED\007')"
view "bad command" rt "$(printf 'li\033]0;PWNED\007st')"
view "bad column" rt list --columns "$(printf 'id,le\033]0;PWNED\007ad')"
view "bad list option" rt list "$(printf -- '--fo\033]0;PWNED\007rmat')"
view "bad list argument" rt list "$(printf 'x\033]0;PWNED\007')"
view "bad format" rt list --format "$(printf 'x\033]0;PWNED\007')"
view "bad option" rt list --rag "$(printf 'red\033]0;PWNED\007')"

# ---- reports ---------------------------------------------------------------------------------------------
view "report" rt report --all --since 2016-01-01
check_contains "report: escaped" "$(cat "$T/v.out")" 'action<\x1b]0;PWNED'
on_tty "report" "$RT" --db "$DB" report --all --since 2016-01-01
view "report md" rt report --format md --all --since 2016-01-01
view "report search heading" rt report --search "$(printf 'x\033]0;PWNED\007')"
rt report --format html --all --since 2016-01-01 -o "$T/r.html" 2>"$T/v.err" || fail "report html: $(cat "$T/v.err")"
scan "report html file" "$T/r.html"

# ---- import: hostile cells, and a hostile file name -----------------------------------------------------
HDR='Questions,Agency,Actions,RAG,Target Date,Evidence/Outcome,Agency Lead Person'
printf '%s\n"1 Q\033]0;PWNED\007","Pol\342\200\256ice","act\033[2J \302\233 \342\201\246 e\314\201 \342\200\213",\033]0;PWNED\007G,"\033]0;PWNED\007 June 2016","ev\010\010\r\177","le\033Pad"\n' \
	"$HDR" >"$T/hostile.csv"
view "import hostile cells" rt import --review Hostile "$T/hostile.csv"
check_contains "import warns, escaped" "$(cat "$T/v.out")" 'unknown RAG value "\x1b]0;PWNED\x07G"'
check_eq "import removed the C0/C1 controls from the text" \
	"$(sql "$DB" "SELECT count(*) FROM action a JOIN review r ON r.id = a.review_id WHERE r.name = 'Hostile'
	              AND (instr(a.text, '$ESC') > 0 OR instr(a.text, '$C1_CSI') > 0 OR instr(a.evidence, '$BS') > 0
	                   OR instr(a.lead, '$ESC') > 0)")" 0
view "show imported" rt show "$(sql "$DB" "SELECT a.id FROM action a JOIN review r ON r.id = a.review_id WHERE r.name = 'Hostile'")"
check_contains "bidi kept as text, shown escaped" "$(cat "$T/v.out")" 'Pol\u202eice'
name=$(printf 'plan\033]0;PWNED\007\342\200\256.csv')
cp "$T/hostile.csv" "$T/$name"
view "import, hostile file name" rt import "$T/$name"
view "import error, hostile file name" rt import "$T/$name.missing"
printf 'a,b\n"unterminated\n' >"$T/$name"
view "import parse error, hostile file name" rt import "$T/$name"
view "list after hostile imports" rt list --columns "$ALL"

# ---- CSV to a file or a pipe is data: kept byte for byte ------------------------------------------------
rt export --question "$(sql "$DB" "SELECT ref FROM question WHERE id = (SELECT question_id FROM action WHERE id = 12)")" -o "$T/x.csv" \
	2>"$T/v.err" || fail "export: $(cat "$T/v.err")"
as_file STORED "$DB"          # what the database holds, read with Python's sqlite3
python3 - "$T/x.csv" "$STORED" <<'PY' || fail "export: hostile cells not kept byte for byte"
import csv, sqlite3, sys
db = sqlite3.connect(sys.argv[2]); db.text_factory = bytes
want = db.execute("SELECT text, evidence FROM action WHERE id = 12").fetchone()
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8", errors="surrogateescape")))
row = [r for r in rows if r["ID"] in ("12", "#12")]
got = [row[0][k].encode("utf-8", "surrogateescape") for k in ("Action", "Evidence/Outcome")] if row else None
if got != list(want):
    print("got", got, "want", want); sys.exit(1)
PY
# ---- --redact, for wider circulation: none of the free text leaves ----------------------------------------
rt export --redact -o "$T/red.csv" 2>"$T/v.err" || fail "export --redact: $(cat "$T/v.err")"
for tag in action evidence constraints desired response note ragraw; do
	check_eq "--redact leaves out $tag" "$(grep -c "$tag<" "$T/red.csv")" 0
done
check_contains "--redact keeps the rows (lead)" "$(cat "$T/red.csv")" "lead<"
echo "terminal safety: $scanned outputs scanned"
finish
