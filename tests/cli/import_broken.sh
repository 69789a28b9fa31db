#!/usr/bin/env bash
# Broken and hostile files: each is either imported with the documented cleaning or
# rejected with file and line, and a rejected import leaves the database byte-for-byte
# as it was.
. "$(dirname "$0")/../lib.sh"
pg_needs reimport
need sqlite3
data_db
before=$(db_sum)
HDR='Questions,Agency,Actions,RAG,Target Date,Evidence/Outcome,Agency Lead Person'

# reject FILE MESSAGE: the import fails, stderr names file:line and reason, db unchanged
reject() {
	local f=$1 want=$2
	rt import "$f" >"$T/out" 2>"$T/err" && fail "$f: accepted, should be rejected"
	check_contains "$(basename "$f") message" "$(cat "$T/err")" "$want"
	check_eq "$(basename "$f") leaves db unchanged" "$(db_sum)" "$before"
}
# accept FILE: the import succeeds into a scratch copy; prints its output in $T/out
accept() {
	cp "$ROOT/build/data.db" "$T/scratch.db"
	"$RT" --db "$T/scratch.db" import --review Scratch "$1" >"$T/out" 2>"$T/err" \
		|| fail "$(basename "$1"): rejected: $(cat "$T/err")"
}

printf '%s\n"1 Q","Police","open quote,G\n' "$HDR" > "$T/unterminated.csv"
printf '%s\n1 Q,Police,a,G,,,\n2 Q,Police,b,G,,,\n"3 Q",Police,"half\n' "$HDR" > "$T/unterminated4.csv"
reject "$T/unterminated.csv" "unterminated.csv:2: unterminated quoted field"
reject "$T/unterminated4.csv" "unterminated4.csv:4: unterminated quoted field"

printf '%s\n1 Q,Police,a,G,,,\n2 Q,Police,b,G,,,,x,y\n' "$HDR" > "$T/ragged.csv"
reject "$T/ragged.csv" "ragged.csv:3: 9 cells, but the header has 7"

printf '%s\n1 Q,Police,a"b,G,,,\n' "$HDR" > "$T/strayquote.csv"
reject "$T/strayquote.csv" "strayquote.csv:2: malformed quoted field"

: > "$T/empty.csv"
reject "$T/empty.csv" "empty.csv:1: empty file"
printf '\xef\xbb\xbf' > "$T/bomonly.csv"
reject "$T/bomonly.csv" "bomonly.csv:1: empty file"

printf 'Colour,Size,Weight\nred,1,2\n' > "$T/nocolumns.csv"
reject "$T/nocolumns.csv" "no usable columns"
check_contains "expected columns listed" "$(cat "$T/err")" "Agency"

printf '%s\n1 Q,Police,caf\xc3\xa9 \x81 bad,G,,,\n' "$HDR" > "$T/badbytes.csv"
reject "$T/badbytes.csv" "badbytes.csv:2: not valid UTF-8, and not Windows-1252 either"

printf '\xff\xfeQ\x00u\x00' > "$T/utf16.csv"
reject "$T/utf16.csv" "utf16.csv:1: the file is UTF-16"

# a bad file among good ones: nothing of the run stays
reject "$T/ragged.csv" "ragged.csv:3"
rt import "$DATA/megan.csv" "$T/ragged.csv" >/dev/null 2>"$T/err" && fail "mixed run accepted"
check_eq "mixed run leaves db unchanged" "$(db_sum)" "$before"

# a failed first import leaves no database file behind
"$RT" --db "$T/new.db" import "$T/ragged.csv" >/dev/null 2>&1 && fail "ragged accepted into new db"
[ -e "$T/new.db" ] && fail "failed first import left $T/new.db behind"

# ---- imported with documented cleaning ----
printf '%s\n' "$HDR" > "$T/headeronly.csv"
accept "$T/headeronly.csv"
check_contains "header only" "$(cat "$T/out")" "1 file, 0 rows"

printf '%s\r\n"1 Q","Police","line one\r\nline two",G,31.03.2016,"said ""yes""",Lead\r\n' "$HDR" > "$T/crlf.csv"
accept "$T/crlf.csv"
check_eq "CRLF embedded newline" "$(sql "$T/scratch.db" "select text from action a join review r on r.id=a.review_id where r.name='Scratch'")" "line one
line two"
check_eq "doubled quotes" "$(sql "$T/scratch.db" "select evidence from action a join review r on r.id=a.review_id where r.name='Scratch'")" 'said "yes"'

printf '%s\r1 Q,Police,a,G,,,\r2 Q,Police,b,A,,,\r' "$HDR" > "$T/cronly.csv"
accept "$T/cronly.csv"
check_contains "CR-only line ends" "$(cat "$T/out")" "2 rows"

printf '\xef\xbb\xbf%s\n1 Q,Police,a,G,,,\n' "$HDR" > "$T/bom.csv"
accept "$T/bom.csv"
check_eq "BOM: first header still found" "$(sql "$T/scratch.db" "select q.ref from question q join review r on r.id=q.review_id where r.name='Scratch'")" "1"

printf '%s\n1 Q,Police,caf\xe9 \x93quoted\x94 \x96 dash,G,,,\n' "$HDR" > "$T/cp1252.csv"
accept "$T/cp1252.csv"
check_contains "cp1252 warned" "$(cat "$T/out")" "read as Windows-1252 and converted"
check_eq "cp1252 converted" "$(sql "$T/scratch.db" "select text from action a join review r on r.id=a.review_id where r.name='Scratch'")" "café “quoted” – dash"

printf '%s\n1 Q,Police,nul\x00here,G,,,\n' "$HDR" > "$T/nul.csv"
accept "$T/nul.csv"
check_contains "NUL reported" "$(cat "$T/out")" "nul.csv:2: NUL bytes removed"
check_eq "NUL removed" "$(sql "$T/scratch.db" "select text from action a join review r on r.id=a.review_id where r.name='Scratch'")" "nulhere"

printf '%s\n1 Q,Police,"\x1b[31mred\x1b[0m \x07bell \xc2\x9b csi",G,,,\n' "$HDR" > "$T/escapes.csv"
accept "$T/escapes.csv"
n=$(sql "$T/scratch.db" "select count(*) from action where instr(text, char(27)) or instr(text, char(7)) or instr(text, char(155))")
check_eq "control characters removed" "$n" "0"

# a one-value field named twice: refused when the columns differ, --map resolves it
printf 'Questions,Agency,Actions,Agency,RAG\n1 Q,Police,a,Health,G\n' > "$T/dupe.csv"
reject "$T/dupe.csv" "dupe.csv:2: columns 2 and 4 both give the Agency (header on line 1) and differ on this row (\"Police\" / \"Health\")"
check_contains "dupe: --map shown" "$(cat "$T/err")" "--map '#4=extra'"
cp "$ROOT/build/data.db" "$T/scratch.db"
"$RT" --db "$T/scratch.db" import --review Scratch --map '#4=extra' "$T/dupe.csv" >"$T/out" 2>"$T/err" || fail "dupe with --map: $(cat "$T/err")"
check_contains "dupe mapped" "$(cat "$T/out")" '"Agency" -> extra field (--map)'
check_eq "first Agency column used" "$(sql "$T/scratch.db" "select ag.name from action a join agency ag on ag.id=a.agency_id join review r on r.id=a.review_id where r.name='Scratch'")" "Police"
# ... and accepted when they agree
printf 'Questions,Agency,Actions,Agency,RAG\n1 Q,Police,a,police ,G\n2 Q,Health,b,,G\n' > "$T/dupe_same.csv"
accept "$T/dupe_same.csv"
check_contains "repeat reported" "$(cat "$T/out")" '"Agency" -> Agency (as column 2: their cells must agree)'

# unplaced columns are kept as extra fields, and said
printf 'Questions,Agency,Actions,Budget\n1 Q,Police,a,100\n' > "$T/unknown.csv"
accept "$T/unknown.csv"
check_contains "unknown column reported" "$(cat "$T/out")" 'unknown.csv:1: columns: "Questions" -> Question, "Agency" -> Agency, "Actions" -> Action, "Budget" -> extra field'

# thousands of columns
python3 - "$T/wide.csv" <<'PY'
import sys
cols = ["Questions", "Agency", "Actions"] + [f"Progress update {i}" for i in range(5000)]
with open(sys.argv[1], "w") as f:
    f.write(",".join(cols) + "\n")
    f.write(",".join(["1 Q", "Police", "wide"] + ["x"] * 5000) + "\n")
PY
accept "$T/wide.csv"
check_contains "wide file summarised" "$(cat "$T/out")" ", and 4963 more (4963 of them extra fields)"

# a 5 MB field
python3 - "$T/big.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("Questions,Agency,Actions,Evidence/Outcome\n")
    f.write('1 Q,Police,big,"' + ('evidence, ""quoted"" ' * 280000) + '"\n')
PY
accept "$T/big.csv"
len=$(sql "$T/scratch.db" "select length(evidence) from action a join review r on r.id=a.review_id where r.name='Scratch'")
[ "$len" -ge 5000000 ] || fail "5 MB field: stored length $len"

# title rows above the header are skipped and said
printf 'Thurrock LSCB SCR\nMEGAN\n\n%s\n1 Q,Police,a,G,,,\n' "$HDR" > "$T/titled.csv"
accept "$T/titled.csv"
check_contains "title rows" "$(cat "$T/out")" "titled.csv:4: 2 rows above the header skipped"

# fewer cells than the header: padded with blanks
printf '%s\n1 Q,Police,short\n' "$HDR" > "$T/short.csv"
accept "$T/short.csv"
check_contains "short row imported" "$(cat "$T/out")" "1 added"

finish
