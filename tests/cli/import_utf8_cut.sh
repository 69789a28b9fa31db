#!/usr/bin/env bash
# A long value in a message is cut between two characters, never inside one: importing
# a RAG cell of "Ab" and forty "é" (a header the same) prints only valid UTF-8, and the
# cut value ends in "..." after a whole "é".  So does set's refusal of such a RAG word.
. "$(dirname "$0")/../lib.sh"
pg_needs set
need sqlite3
need iconv
empty_db

E=$'\xc3\xa9'                      # é: two bytes, so byte 57 (and 37) fall inside one
repeat() { local s='' i; for ((i = 0; i < $2; i++)); do s+=$1; done; printf '%s' "$s"; }
LONG="Ab$(repeat "$E" 40)"

# valid_lines WHAT FILE: every line of FILE is valid UTF-8 (the bad ones are named)
valid_lines() {
	local n=0 line
	[ -s "$2" ] || fail "$1: printed nothing"
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		printf '%s\n' "$line" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 ||
			fail "$1: line $n is not valid UTF-8 (its valid part: $(printf '%s' "$line" | iconv -c -f UTF-8 -t UTF-8 | head -c 300))"
	done <"$2"
}

printf 'Questions,Agency,Actions,RAG,Target Date,Evidence/Outcome,Agency Lead Person,%s\n1 Q,Police,do it,%s,,,,x\n' \
	"$LONG" "$LONG" >"$T/plan.csv"
rt import --review Cut "$T/plan.csv" >"$T/out" 2>"$T/err" ||
	fail "import refused: $(cat "$T/err")"
cat "$T/err" >>"$T/out"
valid_lines "import" "$T/out"
# the warning's value: at most 60 bytes, 57 of them kept: "Ab" and 27 whole é
check_contains "RAG warning cut after a whole character" "$(cat "$T/out")" \
	"unknown RAG value \"Ab$(repeat "$E" 27)...\" left unset"
# a header in the columns line: at most 40 bytes, 37 kept: "Ab" and 17 whole é
check_contains "header cut after a whole character" "$(cat "$T/out")" "\"Ab$(repeat "$E" 17)...\" -> "
# what was cut for the message is kept whole in the database
check_eq "the RAG cell is kept as written" "$(q "SELECT rag_raw FROM action")" "$LONG"

# set: the refused word is quoted cut the same way
rt set 1 "rag=$LONG" >"$T/out" 2>&1 && fail "set accepted rag=$LONG"
valid_lines "set" "$T/out"
check_contains "set's refusal cut after a whole character" "$(cat "$T/out")" "'Ab$(repeat "$E" 27)...'"
finish
