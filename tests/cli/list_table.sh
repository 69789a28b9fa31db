#!/usr/bin/env bash
# ragtrack list as a table: the exact table at COLUMNS=100 for a question and for the
# overdue view on the fixed date, every line fitting the width (Unicode-aware, with
# "…" when cut), the footer counts, and the empty result.
. "$(dirname "$0")/../lib.sh"
data_db
EXP=$ROOT/tests/cli/expected
list() { "$RT" --db "$DB" list "$@"; }

COLUMNS=100 list --question 1a >"$T/1a.txt" || fail "list --question 1a: exit $?"
check_file "table of question 1a" "$T/1a.txt" "$EXP/list_table_1a.txt"

# overdue on 2016-06-30: every target shown is marked and earlier than that day
COLUMNS=100 list --overdue >"$T/overdue.txt" || fail "list --overdue: exit $?"
check_file "table of overdue actions" "$T/overdue.txt" "$EXP/list_table_overdue.txt"
check_eq "every overdue row is marked" "$(grep -c ' !201[0-9]-[01][0-9]-[0-3][0-9] ' "$T/overdue.txt")" "18"
check_eq "overdue footer" "$(tail -n 1 "$T/overdue.txt")" "18 of 629 actions: overdue"

# the whole database: header, 629 rows, footer; never wider than the terminal
for w in 60 100 132 200; do
	COLUMNS=$w list >"$T/all$w.txt" || fail "list at $w: exit $?"
	check_eq "lines at $w" "$(wc -l <"$T/all$w.txt")" "631"
	check_eq "widest line at $w" "$(wc -L <"$T/all$w.txt")" "$w"
	check_eq "no trailing spaces at $w" "$(grep -c ' $' "$T/all$w.txt")" "0"
done
check_eq "footer" "$(tail -n 1 "$T/all100.txt")" "629 actions"
check_eq "header" "$(head -n 1 "$T/all100.txt" | tr -s ' ')" " ID RAG REVIEW REF AGENCY TARGET LEAD ACTION"
check_eq "wider terminal, fewer cuts" "$( [ "$(grep -c '…' "$T/all200.txt")" -lt "$(grep -c '…' "$T/all100.txt")" ] && echo yes)" "yes"
# $COLUMNS unset and no terminal: 100 columns
env -u COLUMNS "$RT" --db "$DB" list >"$T/default.txt"
check_eq "default width" "$(wc -L <"$T/default.txt")" "100"

# a filtered footer names the filter; nothing matching says so (and is no error)
check_eq "filtered footer" "$(COLUMNS=100 list --review Megan --rag amber | tail -n 1)" "16 of 629 actions: Amber; review Megan"
check_status "no match" 0 "$RT" --db "$DB" list --rag red
check_eq "no match message" "$(cat "$T/out")" "no actions match: Red"

# wide and combining characters are measured by display width, and cut on a
# character boundary: a CJK agency name, an accented lead
HDR='Review,Questions,Agency,Actions,RAG,Target Date,Lead Person'
printf '%s\nWide,1 Q,児童相談所児童相談所,Action one,G,31.03.2016,Zoë Émile\nWide,2 Q,Police,Action two,A,,"Line one\nline two"\n' "$HDR" >"$T/wide.csv"
engine_db WIDE "$T/wide.db"
"$RT" --db "$WIDE" import "$T/wide.csv" >/dev/null || fail "importing wide.csv"
COLUMNS=40 "$RT" --db "$WIDE" list --columns agency,lead,action >"$T/wide.txt"
check_file "wide characters" "$T/wide.txt" "$EXP/list_table_wide.txt"
check_eq "wide table fits 40 columns" "$(wc -L <"$T/wide.txt")" "40"
finish
