#!/usr/bin/env bash
# Data text can never drive the terminal: with escape sequences, C1 controls and bidi
# overrides in every kind of text (imported, and written straight into the database
# past the importer's cleaning), list in every terminal format and show print none of
# them raw -- they appear as visible escapes (\x1b, \u202e) -- and JSON stays valid.
. "$(dirname "$0")/../lib.sh"
need sqlite3
need python3
DB=$T/db
ESC=$'\033' RLO=$'\xe2\x80\xae' CSI=$'\xc2\x9b'

printf 'Review,Questions,Agency,Response,Actions,RAG,Target Date,Evidence/Outcome,Lead Person\n' >"$T/evil.csv"
printf 'Evil\xe2\x80\xae review,1 Does \033[2J the board\xc2\x9b31m know?,Pol\xe2\x80\xaeice,Resp \033]0;title\007,"Act \033[31mred\033[0m\nsecond line \xe2\x80\xaeevil",G,31.03.2016,Ev \x1b[1A up,Lead \xe2\x80\xae\xe2\x81\xa6x\n' >>"$T/evil.csv"
"$RT" --db "$DB" import "$T/evil.csv" >/dev/null || fail "import evil.csv"
# past the importer: raw controls straight into the database
sql "$DB" "update action set lead = 'L' || char(27) || '[2J' || char(155) || 'x', text = text || char(27) || ']52;c;AAAA' || char(7),
	evidence = 'E' || char(8238) || char(133) where id = 1;
	update agency set name = name || char(27) || '[5m';
	update review set name = name || char(27) || 'c';
	insert into note(action_id, at, user, source, text) values (1, '2016-06-30T12:00:00Z', 'u' || char(27) || '[8m', 'cli', 'note ' || char(27) || '[?1049h' || char(8238));
	insert into change_log(action_id, at, user, field, old_value, new_value, source, reason, batch)
	values (1, '2016-06-30T12:00:00Z', 'w' || char(27) || '[0m', 'lead', 'old' || char(27) || '[1m', 'new' || char(155) || '0m', 'cli', 'why' || char(8238), 99);" \
	|| fail "writing raw controls"
engine_db DB "$DB"   # on the leg's engine, raw controls and all

# clean FILE WHAT: no ESC, no C1 (C2 80-9F), no bidi override or isolate (E2 80 AA-AE, E2 81 A6-A9)
clean() {
	local bad
	bad=$(python3 -c '
import re, sys
d = open(sys.argv[1], "rb").read()
print(len(re.findall(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]", d)))' "$1")
	check_eq "$2: raw control characters" "$bad" "0"
	check_eq "$2: printed something" "$([ -s "$1" ] && echo yes)" "yes"
}
COLUMNS=100 "$RT" --db "$DB" list >"$T/table" 2>&1; clean "$T/table" "list"
COLUMNS=100 "$RT" --db "$DB" list --columns review,finding,question,agency,response,action,evidence,lead,constraints,desired >"$T/wide" 2>&1
clean "$T/wide" "list, every text column"
"$RT" --db "$DB" list --format tsv --columns review,question,agency,response,action,evidence,lead >"$T/tsv" 2>&1; clean "$T/tsv" "list --format tsv"
"$RT" --db "$DB" list --format json --columns review,question,agency,response,action,evidence,lead >"$T/json" 2>&1; clean "$T/json" "list --format json"
COLUMNS=80 "$RT" --db "$DB" show 1 >"$T/show" 2>&1; clean "$T/show" "show"
"$RT" --db "$DB" list --agency "x${ESC}[2J" >"$T/err1" 2>&1; clean "$T/err1" "a bad name in the error"

# the escapes are visible instead, and nothing was lost from JSON
check_contains "list shows \\x1b" "$(cat "$T/table")" '\x1b'
check_contains "show shows \\u202e" "$(cat "$T/show")" '\u202e'
check_contains "show keeps the data's line break" "$(cat "$T/show")" "$(printf 'Act [31mred[0m\n    second line \\u202eevil\\x1b]52;c;AAAA\\x07')"
check_eq "JSON round-trips the raw text" \
	"$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))[0]; print(repr(a["lead"]), repr(a["evidence"]))' "$T/json")" \
	"'L\\x1b[2J\\x9bx' 'E\\u202e\\x85'"
check_contains "TSV escapes" "$(cat "$T/tsv")" 'L\x1b[2J\u009bx'
finish
