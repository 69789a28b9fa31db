#!/usr/bin/env bash
# ragtrack report on the real plans in data/ (as at 2016-06-30): the text and Markdown
# papers match the expected files; the RAG counts per review match the documents;
# the per-review and per-agency rows add up to the totals; plans with no RAG at all
# say "no RAG recorded", not 0% complete; lists and headings hold the numbers the
# database holds; no database path or command-line hint is on the paper.
. "$(dirname "$0")/../lib.sh"
pg_needs report
EXP=$ROOT/tests/cli/expected
data_db
cd "$T" || exit 1

check_status "text report" 0 "$RT" --db "$DB" report
cp "$T/out" "$T/report.txt"
check_file "text report" "$T/report.txt" "$EXP/report_data.txt"
check_eq "text report: no stderr" "$(cat "$T/err")" ""

check_status "markdown report" 0 "$RT" --db "$DB" report --format md
cp "$T/out" "$T/report.md"
check_file "markdown report" "$T/report.md" "$EXP/report_data.md"
check_status "--format markdown is md" 0 "$RT" --db "$DB" report --format markdown
check_eq "--format markdown is md" "$(cat "$T/out")" "$(cat "$T/report.md")"
# JSON has no expected file: on the server it is byte for byte what the file it was
# copied from gives.
if [ "$ENGINE" = pg ]; then
	check_status "json on the server" 0 "$RT" --db "$DB" report --format json
	cp "$T/out" "$T/server.json"
	check_status "json on the file" 0 "$RT" --db "$T/db" report --format json
	check_same json "$T/out" "$T/server.json"
fi

# The counts per review, read from the Markdown table: Red Amber Green Blue Unset Total.
row() { # row SECTION NAME -> the cells of that row, space separated
	awk -v sec="## $1" -v name="$2" '
		/^## / { insec = ($0 == sec) }
		insec && index($0, "| " name " |") == 1 {
			n = split($0, c, "|"); out = ""
			for (i = 3; i < n; i++) { gsub(/^ +| +$|\*/, "", c[i]); out = out (out == "" ? "" : " ") c[i] }
			print out }' "$T/report.md"
}
check_eq "Megan" "$(row "RAG by review" Megan)" "0 16 26 27 94 163 16.6% 39.1% 7"
check_eq "Julia" "$(row "RAG by review" Julia)" "0 11 50 174 98 333 52.3% 74.0% 11"
check_eq "Children of Family Y" "$(row "RAG by review" "Children of Family Y")" "0 0 0 0 51 51 no RAG recorded - 0"
check_eq "Child L" "$(row "RAG by review" "Child L")" "0 0 0 0 37 37 no RAG recorded - 0"
check_eq "Thurrock priorities" "$(row "RAG by review" "Thurrock LSCB priorities 2017-18")" "0 0 0 0 45 45 no RAG recorded - 0"
check_eq "review total" "$(row "RAG by review" "**Total**")" "0 27 76 201 325 629 32.0% 66.1% 18"
check_eq "agency total" "$(row "RAG by agency" "**Total**")" "0 27 76 201 325 629 32.0% 66.1% 18"
check_eq "Police" "$(row "RAG by agency" Police)" "0 5 9 12 29 55 21.8% 46.2% 1"
check_eq "no agency" "$(row "RAG by agency" "(no agency)")" "0 0 0 0 55 55 no RAG recorded - 0"

# Every row adds up, and the rows add up to the total (the counts: Red to Total, Overdue).
sums() {
	awk -v sec="## $1" '
		/^## / { insec = ($0 == sec) }
		insec && /^\| / && !/^\| (Review|Agency|---) / {
			n = split($0, c, "|"); for (i = 3; i <= 11; i++) { gsub(/[ *]/, "", c[i]) }
			if (c[2] ~ /Total/) { for (i = 3; i <= 11; i++) tot[i] = c[i]; next }
			if (c[3] + c[4] + c[5] + c[6] + c[7] != c[8]) bad = bad " " c[2]
			for (i = 3; i <= 11; i++) sum[i] += c[i]; rows++ }
		END { for (i = 3; i <= 11; i++) if (i != 9 && i != 10 && sum[i] != tot[i]) bad = bad " column" i
		      if (rows < 2) bad = bad " (no rows)"
		      print bad == "" ? "consistent" : "inconsistent:" bad }' "$T/report.md"
}
check_eq "reviews add up" "$(sums "RAG by review")" "consistent"
check_eq "agencies add up" "$(sums "RAG by agency")" "consistent"

# The lists and the summary agree with the database.
if [ "$ENGINE" = pg ] || command -v sqlite3 >/dev/null 2>&1; then
	overdue=$(q "select count(*) from action where target_date < '2016-06-30' and rag <> 4")
	noev=$(q "select count(*) from action where rag = 4 and trim(evidence) = ''")
	greenpast=$(q "select count(*) from action where rag = 3 and target_date < '2016-06-30'")
	check_contains "overdue heading" "$(cat report.txt)" "Overdue ($overdue)"
	check_contains "no-evidence heading" "$(cat report.txt)" "Blue without evidence ($noev)"
	check_contains "green-past heading" "$(cat report.txt)" "Green past its target ($greenpast)"
	check_eq "overdue rows listed" "$(sed -n '/^Overdue (/,/^Green past/p' report.txt | grep -c '^ *#[0-9]')" "$overdue"
fi
check_contains "heading: meeting" "$(cat report.txt)" "Meeting       2016-06-30"
check_contains "heading: filter" "$(cat report.txt)" "Actions       all actions"
check_contains "heading: no board" "$(cat report.txt)" "Compared with no earlier board recorded"
check_contains "changes since" "$(cat report.txt)" "Changes since 2016-05-31 (0)"
check_contains "footer: as at" "$(cat report.txt)" "Prepared on 2016-06-30 from the action plans' data as at 2016-06-30."
dbname=${DB##*/}; dbname=${dbname%%\?*}   # the file's name, or the server database's
for f in report.txt report.md; do
	check_not_contains "$f: no database path" "$(cat $f)" "Database"
	check_not_contains "$f: no database URI or path" "$(cat $f)" "$DB"
	check_not_contains "$f: no database file" "$(cat $f)" " $dbname"
	check_not_contains "$f: no command-line hint" "$(cat $f)" "--all"
	check_not_contains "$f: no command named" "$(cat $f)" "ragtrack"
done
check_contains "no RAG at all: said" "$(cat report.txt)" "3 reviews' plans have no RAG at all."
check_contains "legend: Green is not done" "$(cat report.txt)" "G  Green  on track, no additional action (on track is not done)"
check_contains "legend: Blue" "$(cat report.txt)" "B  Blue   completed and evidenced"
check_contains "% complete explained" "$(cat report.txt)" "% complete = Blue / all actions"
check_contains "nothing changed in June" "$(sed -n '/^Changes since/,$p' report.txt)" "None."

# No control character reaches the terminal, and the report is plain UTF-8.
if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" report.txt; then fail "control characters in the text report"; fi
if command -v iconv >/dev/null 2>&1 && ! iconv -f UTF-8 -t UTF-8 report.txt >/dev/null 2>&1; then fail "text report is not UTF-8"; fi
finish
