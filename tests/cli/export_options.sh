#!/usr/bin/env bash
# ragtrack export: exact CSV for a filtered view, --excel (byte-order mark, CRLF,
# formula cells protected), --redact (free text left out), --sort, an empty result,
# and errors that write nothing.
. "$(dirname "$0")/../lib.sh"
need python3
data_db
EXP=$ROOT/tests/cli/expected
cd "$T" || exit 1
export_() { "$RT" --db "$DB" export "$@"; }

export_ --question 1a >1a.csv || fail "export --question 1a: exit $?"
check_file "export of question 1a" 1a.csv "$EXP/export_1a.csv"
check_eq "stdout carries only the CSV" "$(export_ --question 1a 2>&1 >/dev/null)" ""
export_ --question 1a -o - >dash.csv
cmp -s 1a.csv dash.csv || fail "-o - is standard output"

# --excel: BOM, CRLF after every record (line breaks inside cells stay LF)
export_ --question 1a --excel -o excel.csv 2>/dev/null || fail "--excel: exit $?"
check_file "--excel" excel.csv "$EXP/export_1a_excel.csv"
check_eq "--excel starts with a BOM" "$(head -c 5 excel.csv | od -An -c | tr -s ' ')" " 357 273 277 I D"
check_eq "--excel ends with CRLF" "$(tail -c 2 excel.csv | od -An -c | tr -s ' ')" " \r \n"
check_eq "--excel: every record ends CRLF" \
	"$(python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); print(d.count(b"\r\n"), d.count(b"\r"))' excel.csv)" "12 12"
check_eq "--excel: same cells" \
	"$(python3 -c 'import csv,sys; print(list(csv.reader(open(sys.argv[1],newline="",encoding="utf-8-sig"))) == list(csv.reader(open(sys.argv[2],newline="",encoding="utf-8"))))' excel.csv 1a.csv)" "True"
check_eq "message names the file" "$(export_ --question 1a -o named.csv 2>&1)" "11 actions exported to named.csv"

# formula injection: with --excel a cell starting = + - @ gets an apostrophe (inside
# the quotes when it has any); without --excel the data is exact
printf 'Review,Questions,Agency,Actions,RAG,Lead Person\nF,1 Q,Police,"=HYPERLINK(""http://x"")",G,+44 1234\nF,2 Q,Police,"-1,5",A,@lead\nF,3 Q,Police,safe = fine,B,\n' >formula.csv
engine_db F f.db
"$RT" --db "$F" import formula.csv >/dev/null || fail "importing formula.csv"
"$RT" --db "$F" export --excel | tr -d '\r' | sed 1d | cut -d, -f6- >excel.txt   # Response onwards
check_eq "--excel protects formulas" "$(cat excel.txt)" ",\"'=HYPERLINK(\"\"http://x\"\")\",Green,,,'+44 1234,,
,\"'-1,5\",Amber,,,'@lead,,
,safe = fine,Blue,,,,,"
check_contains "plain export keeps them" "$("$RT" --db "$F" export)" ',"=HYPERLINK(""http://x"")",Green,,,+44 1234,,'

# --redact: no free-text columns, no RAG sentences
export_ --redact -o red.csv 2>/dev/null || fail "--redact: exit $?"
check_eq "--redact header" "$(head -n 1 red.csv)" "ID,Review,Finding,Question,Agency,RAG,Target Date,Lead Person"
check_eq "--redact keeps every action" "$(python3 -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1],newline=""))))-1)' red.csv)" "629"
export_ -o full.csv 2>/dev/null
check_eq "free text is in the full export" "$(grep -q 'exemplars of referrals' full.csv && echo yes)" "yes"
check_eq "and not in the redacted one" "$(grep -c 'exemplars of referrals' red.csv)" "0"
column() { python3 -c 'import csv,sys; print("|".join(sorted({r[sys.argv[2]] for r in csv.DictReader(open(sys.argv[1],newline=""))})))' "$@"; }
check_eq "RAG: states only" "$(column red.csv RAG)" "|Amber|Blue|Green"
check_eq "unset RAG as written in the full export" "$(column full.csv RAG | tr '|' '\n' | grep -c 'not applicable to the CCG')" "1"

# rows in ID order unless --sort is given
check_eq "ID order" "$(export_ --review Megan | python3 -c 'import csv,sys; print(" ".join(r[0] for r in list(csv.reader(sys.stdin))[1:4]))')" "1 2 3"
check_eq "--sort target" "$(export_ --review Megan --sort target | python3 -c 'import csv,sys; print(" ".join(r[0] for r in list(csv.reader(sys.stdin))[1:4]))')" "91 3 142"

# nothing matches: the header alone
check_status "empty export" 0 "$RT" --db "$DB" export --rag red
check_eq "empty export is the header" "$(cat "$T/out")" "ID,Review,Finding,Question,Agency,Response,Action,RAG,Target Date,Evidence/Outcome,Lead Person,Constraints/Problems,Desired Outcome"

# errors write nothing
check_status "mistyped agency" 6 "$RT" --db "$DB" export --agency Polce -o bad.csv
check_eq "did you mean" "$(cat "$T/err")" "ragtrack: no agency 'Polce'; did you mean 'Police'?"
check_eq "no file for a failed export" "$(ls -A | grep -c 'bad\.csv')" "0"
check_status "unknown option" 2 "$RT" --db "$DB" export --xlsx
check_status "-o without a name" 2 "$RT" --db "$DB" export -o
check_status "stray argument" 2 "$RT" --db "$DB" export out.csv
check_contains "stray argument message" "$(cat "$T/err")" "-o FILE names the file to write"
finish
