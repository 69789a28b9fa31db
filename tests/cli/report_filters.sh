#!/usr/bin/env bash
# The shared filters narrow every figure of ragtrack report (counts, lists, heading),
# the agency lens does too, and a mistyped name is an error with a suggestion.
. "$(dirname "$0")/../lib.sh"
pg_needs report
data_db
cd "$T" || exit 1

# Rows of a Markdown table section as "name cells...", bold and padding dropped.
rows() { # rows FILE SECTION
	awk -v sec="$2" '
		/^##+ / { t = $0; sub(/^#+ /, "", t); insec = (t == sec) }
		insec && /^\| / && !/^\| (Review|Agency|ID|-+:?) \|/ {
			n = split($0, c, "|"); out = ""
			for (i = 2; i < n; i++) { gsub(/^ +| +$|\*/, "", c[i]); out = out (out == "" ? "" : " ") c[i] }
			print out }' "$1"
}

check_status "--agency Police" 0 "$RT" --db "$DB" report --format md --agency Police
cp "$T/out" police.md
check_contains "heading names the filter" "$(cat police.md)" "- **Actions:** agency Police"
check_eq "reviews with Police actions" "$(rows police.md "RAG by review")" "Child L 0 0 0 0 1 1 no RAG recorded - 0
Julia 0 5 9 12 9 35 34.3% 46.2% 1
Megan 0 0 0 0 19 19 no RAG recorded - 0
Total 0 5 9 12 29 55 21.8% 46.2% 1"
check_eq "only Police among agencies" "$(rows police.md "RAG by agency")" "Police 0 5 9 12 29 55 21.8% 46.2% 1
Total 0 5 9 12 29 55 21.8% 46.2% 1"
check_eq "overdue: only Police's" "$(rows police.md "Overdue (1)" | cut -d' ' -f1-4)" "#394 Julia 6b Police"
check_eq "no evidence: only Police's" "$(rows police.md "Blue without evidence (3)" | cut -d' ' -f4 | sort -u)" "Police"

check_status "--review Megan --rag amber" 0 "$RT" --db "$DB" report --format md --review Megan --rag amber
check_contains "heading: two conditions" "$(cat "$T/out")" "- **Actions:** Amber; review Megan"
cp "$T/out" megan.md
check_eq "Megan's Amber actions" "$(rows megan.md "RAG by review")" "Megan 0 16 0 0 0 16 0.0% 0.0% 4
Total 0 16 0 0 0 16 0.0% 0.0% 4"

check_status "--overdue" 0 "$RT" --db "$DB" report --format md --overdue
cp "$T/out" overdue.md
check_eq "--overdue: every action counted is overdue" "$(rows overdue.md "RAG by review")" "Julia 0 4 7 0 0 11 0.0% 0.0% 11
Megan 0 4 3 0 0 7 0.0% 0.0% 7
Total 0 8 10 0 0 18 0.0% 0.0% 18"

check_status "agency lens" 0 "$RT" --db "$DB" --as-agency Police report
check_contains "lens in the heading" "$(cat "$T/out")" "Agency        only Police's actions"
check_eq "lens narrows the counts" "$(grep '^Total' "$T/out" | tr -s ' ' | sort -u)" "Total 0 5 9 12 29 55 21.8% 46.2% 1"
check_status "read-only" 0 "$RT" --db "$DB" --read-only report --agency NELFT
check_contains "read-only report" "$(cat "$T/out")" "Actions       agency NELFT"

check_status "mistyped agency" 6 "$RT" --db "$DB" report --agency Polce
check_contains "suggestion" "$(cat "$T/err")" "did you mean 'Police'?"
check_eq "nothing on stdout" "$(cat "$T/out")" ""
check_status "unknown review" 6 "$RT" --db "$DB" report --review Nobody
check_contains "unknown review named" "$(cat "$T/err")" "no review 'Nobody'"
finish
