#!/usr/bin/env bash
# ragtrack report --format html: one self-contained file that is well-formed (parsed
# as XML), with print styles, inline SVG bar charts carrying the right numbers in
# tooltips and labels, no script and no URL but the SVG namespace; -o writes it
# atomically with mode 0660.
. "$(dirname "$0")/../lib.sh"
pg_needs report
need xmllint     # make test installs it (libxml2-utils)
data_db
cd "$T" || exit 1
H=$T/report.html
umask 007

check_status "html to a file" 0 "$RT" --db "$DB" report --format html -o "$H"
check_eq "-o: nothing on stdout" "$(cat "$T/out")" ""
[ -f "$H" ] || fail "-o did not create the file"
check_eq "-o: mode 0660 (under umask 007)" "$(stat -c %a "$H")" "660"
check_eq "-o: no temporary file left" "$(ls -A "$T" | grep -c 'report.html.')" "0"
check_status "html to stdout" 0 "$RT" --db "$DB" report --format html
cmp -s "$T/out" "$H" || fail "-o file differs from standard output"
# On the server the paper is byte for byte the one the file it was copied from gives.
if [ "$ENGINE" = pg ]; then
	check_status "html on the file" 0 "$RT" --db "$T/db" report --format html
	check_same html "$T/out" "$H"
fi

xmllint --noout "$H" 2>"$T/xml.err" || fail "HTML is not well-formed XML: $(head -5 "$T/xml.err")"
check_eq "doctype first" "$(head -1 "$H")" "<!DOCTYPE html>"
html=$(cat "$H")
check_contains "charset" "$html" '<meta charset="utf-8"/>'
check_contains "inline style" "$html" "<style>"
check_contains "print styles" "$html" "@media print"
check_contains "no breaks inside rows" "$html" "break-inside: avoid"
check_not_contains "no script" "$(tr 'A-Z' 'a-z' <"$H")" "<script"
check_not_contains "no stylesheet links" "$html" "<link"
check_not_contains "no external images" "$html" "src="
check_not_contains "no css urls" "$html" "url("
check_eq "only URL is the SVG namespace" "$(grep -o 'https\?://[^" )]*' "$H" | sort -u)" "http://www.w3.org/2000/svg"

x() { xmllint --xpath "$1" "$H" 2>/dev/null; }
cells() { # a table row's cells, space separated
	local n i out=""
	n=$(x "count($1/*)")
	for ((i = 1; i <= ${n:-0}; i++)); do out="$out${out:+ }$(x "string(($1/*)[$i])")"; done
	echo "$out"
}
SVG='//*[local-name()="svg"]'
check_eq "two charts" "$(x "count($SVG)")" "2"
check_eq "one bar segment per non-zero count (reviews)" "$(x "count(($SVG)[1]/*[local-name()=\"rect\"])")" "11"
check_eq "a bar per review" "$(x "count(($SVG)[1]/*[local-name()=\"text\"][@text-anchor=\"end\"])")" "5"
check_eq "a bar per agency" "$(x "count(($SVG)[2]/*[local-name()=\"text\"][@text-anchor=\"end\"])")" "31"
for t in "Megan: Amber 16 of 163 (9.8%)" "Megan: Green 26 of 163 (16.0%)" "Megan: Blue 27 of 163 (16.6%)" \
         "Megan: Unset 94 of 163 (57.7%)" "Julia: Amber 11 of 333 (3.3%)" "Julia: Green 50 of 333 (15.0%)" \
         "Julia: Blue 174 of 333 (52.3%)" "Julia: Unset 98 of 333 (29.4%)" \
         "Children of Family Y: Unset 51 of 51 (100.0%)" "Child L: Unset 37 of 37 (100.0%)" \
         "Thurrock LSCB priorities 2017-18: Unset 45 of 45 (100.0%)" "Police: Amber 5 of 55 (9.1%)"; do
	check_contains "tooltip" "$html" "<title>$t</title>"
done
check_not_contains "no Red segment (no Red actions)" "$html" ": Red "
check_contains "Megan bar labels" "$html" ">A 16 · G 26 · B 27 · unset 94 · total 163</text>"
check_contains "Julia bar labels" "$html" ">A 11 · G 50 · B 174 · unset 98 · total 333</text>"
check_contains "segment label inside the bar" "$html" '>B 174</text>'

# The tables: the review table's total row, and the summary.
check_eq "review total row" "$(cells '(//table[@class="counts"])[1]/tfoot/tr')" "Total 0 27 76 201 325 629 32.0% 66.1% 18"
check_eq "agency total row" "$(cells '(//table[@class="counts"])[2]/tfoot/tr')" "Total 0 27 76 201 325 629 32.0% 66.1% 18"
check_eq "Megan row" "$(cells '(//table[@class="counts"])[1]/tbody/tr[td[1]="Megan"]')" "Megan 0 16 26 27 94 163 16.6% 39.1% 7"
check_eq "overdue heading" "$(x 'normalize-space(//h3[starts-with(., "Overdue (")])')" "Overdue (18)"
check_eq "no RAG: said in the table" "$(x 'string(//table[@class="counts"][1]/tbody/tr[td[1]="Child L"]/td[8])')" "no RAG recorded"
check_contains "no RAG: said by the bar" "$html" ">no RAG recorded · total 37</text>"
check_contains "A4" "$html" "size: A4"
check_contains "page numbers" "$html" "counter(page)"
check_contains "dates unbroken" "$html" ".date { white-space: nowrap"
check_not_contains "nothing cut" "$html" "…"
check_not_contains "no ellipsis style" "$html" "text-overflow: ellipsis"
dbname=${DB##*/}; dbname=${dbname%%\?*}   # the file's name, or the server database's
check_not_contains "no database path" "$html" "$DB"
check_not_contains "no database name" "$html" ">$dbname<"
check_eq "RAG cells carry their letter" "$(x 'count(//td[contains(@class,"rag-B")][starts-with(.,"B")])')" \
	"$(x 'count(//td[contains(@class,"rag-B")])')"
check_eq "legend" "$(cells '//table[@class="legend"]/tbody/tr[3]')" \
	"G Green on track, no additional action (on track is not done)"

# Filters narrow the HTML too.
check_status "html --agency Police" 0 "$RT" --db "$DB" report --format html --agency Police -o police.html
H=$T/police.html
xmllint --noout "$H" 2>/dev/null || fail "filtered HTML is not well-formed"
check_eq "Police: total" "$(cells '(//table[@class="counts"])[1]/tfoot/tr')" "Total 0 5 9 12 29 55 21.8% 46.2% 1"
check_eq "Police: one agency bar" "$(x "count(($SVG)[2]/*[local-name()=\"text\"][@text-anchor=\"end\"])")" "1"

# -o into a folder that does not exist: an error naming it, nothing written.
check_status "-o missing folder" 3 "$RT" --db "$DB" report --format html -o "$T/nodir/r.html"
check_contains "-o error names the file" "$(cat "$T/err")" "$T/nodir/r.html"
[ -e "$T/nodir" ] && fail "-o created the folder"
# -o over an existing file replaces it whole.
echo "old" >"$T/old.html"
check_status "-o replaces" 0 "$RT" --db "$DB" report --format html -o "$T/old.html"
check_eq "-o replaced the old content" "$(head -1 "$T/old.html")" "<!DOCTYPE html>"
check_eq "-o: still no temporary file" "$(ls -A "$T" | grep -c '\.html\.')" "0"
finish
