#!/usr/bin/env bash
# The HTML paper printed by a real browser: headless Chromium prints it to PDF, and
# poppler's pdfinfo and pdftotext check that the pages are A4 and numbered, that every
# action the paper lists is in the printed text, that no word runs off the page or is
# cut, that dates are never broken over two lines, that no page ends with a heading
# (headings stay with their tables) and that a table running over a page break repeats
# its header row.
. "$(dirname "$0")/../lib.sh"
pg_needs report board set note
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || skip "chromium is not installed (apt-get install chromium)"
need pdftotext
need pdfinfo
need sqlite3
data_db
cd "$T" || exit 1

# A paper with something in every section: a board, movements, a Red action with a
# note and constraints, a long constraints text.
rt board record "March 2016" --date 2016-03-31 >/dev/null || fail "record"
rt set 11 rag=red "constraints=Named nurse post vacant since April; the audit cannot be repeated until the post is filled, expected September 2016" >/dev/null || fail "set"
rt note 11 "Update 9.5.16 re-audit booked for July" >/dev/null || fail "note"
rt set 10 rag=green >/dev/null || fail "set 10"
rt board partnership "Thurrock Local Safeguarding Children Board" >/dev/null || fail "partnership"
check_status "html" 0 rt report --format html --all --meeting 2016-07-14 --title "Serious case reviews: action plan progress" \
	--author "LSCB Business Manager" --paper-no "Item 6" -o paper.html

print_pdf() { # print_pdf HTML PDF
	timeout 180 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$(mktemp -d "$T/chromium.XXXXXX")" --no-pdf-header-footer \
		--print-to-pdf="$2" "file://$T/$1" >"$T/chromium.log" 2>&1
}
print_pdf paper.html paper.pdf || fail "chromium failed: $(tail -3 "$T/chromium.log")"
[ -s paper.pdf ] || { fail "no PDF printed: $(tail -3 "$T/chromium.log")"; finish; }

# A4: 595 x 842 points.
size=$(pdfinfo paper.pdf | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\) pts.*/\1 \2/p')
check_eq "A4" "$(printf '%s\n' "$size" | awk '{ printf "%.0fx%.0f", $1, $2 }')" "595x842"
pages=$(pdfinfo paper.pdf | sed -n 's/^Pages: *//p')
[ "${pages:-0}" -ge 3 ] || fail "only ${pages:-0} pages"
pdftotext -layout paper.pdf paper.txt
txt=$(cat paper.txt)
check_contains "page numbers" "$txt" "Page 1 of $pages"
check_contains "page numbers: the last" "$txt" "Page $pages of $pages"
check_contains "partnership on the paper" "$txt" "Thurrock Local Safeguarding Children Board"
check_contains "the title" "$txt" "Serious case reviews: action plan progress"
check_not_contains "no database path" "$txt" "$DB"
check_not_contains "nothing cut" "$txt" "…"

# Every listed action's ID is in the printed text.
ids=$(grep -o '<td class="num">#[0-9]*</td>' paper.html | grep -o '#[0-9]*' | sort -u)
[ "$(printf '%s\n' "$ids" | grep -c .)" -ge 50 ] || fail "too few actions listed: $(printf '%s\n' "$ids" | grep -c .)"
missing=""
for id in $ids; do
	grep -q -- "$id\b" paper.txt || missing="$missing $id"
done
check_eq "every listed ID printed" "$missing" ""
check_contains "the Red action's constraints in full" "$(tr -s ' \n' '  ' <paper.txt)" "expected September 2016"

# No word runs off the page: every word's box inside the page, with the margin kept.
pdftotext -bbox paper.pdf paper.bbox.html
off=$(awk -v w="${size%% *}" -F'"' '/<word /{ for (i = 1; i < NF; i++) { if ($i ~ /xMin=$/) x0 = $(i+1); if ($i ~ /xMax=$/) x1 = $(i+1) }
	if (x0 < 20 || x1 > w - 20) n++ } END { print n + 0 }' paper.bbox.html)
check_eq "words within the page" "$off" "0"
check_eq "words counted" "$(grep -c '<word ' paper.bbox.html | awk '{ print ($1 > 1000) }')" "1"
# Dates are never broken: no word is the first part of a date.
broken=$(grep -o '<word [^>]*>[^<]*</word>' paper.bbox.html | sed 's/<[^>]*>//g' | grep -cE '^[0-9]{4}-$|^[0-9]{4}-[0-9]{2}-$|^[0-9]{2}-[0-9]{2}$')
check_eq "no date broken over two lines" "$broken" "0"

# Headings stay with what follows them: no page's last line is a heading; and a table
# that runs over a page break repeats its header row at the top of the next page.
grep -o '<h[23]>[^<]*</h[23]>' paper.html | sed 's/<[^>]*>//g; s/&amp;/\&/g; s/&#39;/'"'"'/g' >headings.txt
ends_with_heading=""
repeated=0
for ((p = 1; p <= pages; p++)); do
	pdftotext -f "$p" -l "$p" -layout paper.pdf page.txt
	last=$(grep -v "Page $p of $pages" page.txt | grep -v '^[[:space:]]*$' | tail -1 | sed 's/^ *//; s/ *$//')
	first=$(grep -v '^[[:space:]]*$' page.txt | head -1 | sed 's/^ *//' | tr -s ' ')
	if grep -qxF -- "$last" headings.txt; then ends_with_heading="$ends_with_heading $p:$last"; fi
	if [ "$first" = "None." ]; then ends_with_heading="$ends_with_heading $p:(None. parted from its heading)"; fi
	case "$first" in "ID Review Ref Agency"* | "Review Ref Recommendation"* | "Agency Red Amber"*) repeated=$((repeated + 1)) ;; esac
done
check_eq "no page ends with a heading" "$ends_with_heading" ""
[ "$repeated" -ge 1 ] || fail "no page starts with a repeated table header"

# A plan with no RAG at all says so on paper.
check_contains "no RAG recorded" "$txt" "no RAG recorded"
finish
