#!/usr/bin/env bash
# Hostile text in the data (markup, quotes, pipes, escape sequences, bidi overrides,
# line breaks) reaches no report raw: text shows it visibly, Markdown escapes it, the
# HTML escapes it and stays well-formed.
. "$(dirname "$0")/../lib.sh"
pg_needs report
need sqlite3
# The hostile text is written into the file with sqlite3 (its char() for the control
# characters); on PostgreSQL the server database is then that file's db copy.
cp "$ROOT/build/data.db" "$T/db"
cd "$T" || exit 1
# #195 is Police's, Blue without evidence: it is listed.
check_eq "#195 is listed as Blue without evidence" "$(sql db "select rag, evidence, a.agency_id = g.id from action a, agency g where a.id = 195 and g.name = 'Police'")" "4||1"
sql db "UPDATE agency SET name = 'Police <script>alert(\"x\")</script> & Co''s | Team' WHERE name = 'Police';
        UPDATE action SET text = 'Evil' || char(27) || '[31m' || char(8238) || 'RED' || char(10) || 'next | pipe <b>b</b> &amp; txet' WHERE id = 195;"

# #394 is overdue: its constraints and latest note are printed under it, in full.
sql db "UPDATE action SET constraints = 'Budget <b>cut</b> | \"frozen\"' || char(27) || '[2J' || char(10) || 'second line & more' WHERE id = 394;
        INSERT INTO note(action_id, at, user, source, text) VALUES (394, '2016-06-01T10:00:00Z', 'x', 'cli', 'Note <script>x</script>' || char(8238) || 'end');"

engine_db DB "$T/db"

check_status "text" 0 "$RT" --db "$DB" report
cp "$T/out" r.txt
check_contains "text: constraints visible" "$(cat r.txt)" 'Constraints: Budget <b>cut</b> | "frozen"\x1b[2J'
check_contains "text: note visible" "$(cat r.txt)" 'Latest note (2016-06-01): Note <script>x</script>\u202eend'
check_contains "text: a line break in the constraints starts a line" "$(cat r.txt)" "$(printf '\n      second line & more')"
if LC_ALL=C grep -q "$(printf '\033')" r.txt; then fail "text: a raw escape character"; fi
if grep -q "$(printf '\342\200\256')" r.txt; then fail "text: a raw bidi override"; fi
check_contains "text: escapes shown, line break a space" "$(cat r.txt)" 'Evil\x1b[31m\u202eRED next | pipe'
check_contains "text: agency as written, cut to fit" "$(cat r.txt)" "Police <script>alert(\"x\")</script>…     0      5"

check_status "md" 0 "$RT" --db "$DB" report --format md
cp "$T/out" r.md
if LC_ALL=C grep -q "$(printf '\033')" r.md; then fail "md: a raw escape character"; fi
check_contains "md: pipes and markup escaped" "$(cat r.md)" 'Evil\\x1b\[31m\\u202eRED next \| pipe \<b\>b\</b\> \&amp; txet'
check_contains "md: agency escaped" "$(cat r.md)" "| Police \\<script\\>alert(\"x\")\\</script\\> & Co's \\| Team | 0 |"
check_contains "md: why escaped, on one line" "$(cat r.md)" 'Latest note (2016-06-01): Note \<script\>x\</script\>\\u202eend Constraints: Budget \<b\>cut\</b\> \| "frozen"\\x1b\[2J second line & more |'
# Every table row still has its number of cells.
check_eq "md: rows keep their cells" "$(grep -c '^| #195 | Julia | 1c | Police' r.md)" "1"

if command -v xmllint >/dev/null 2>&1; then
	check_status "html" 0 "$RT" --db "$DB" report --format html -o r.html
	xmllint --noout r.html 2>"$T/xml.err" || fail "html: not well-formed: $(head -3 "$T/xml.err")"
	check_not_contains "html: no script" "$(cat r.html)" "<script"
	check_contains "html: agency escaped" "$(cat r.html)" "Police &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co&#39;s | Team"
	check_contains "html: tooltip escaped" "$(cat r.html)" "<title>Police &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co&#39;s | Team: Amber 5 of 55 (9.1%)</title>"
	check_contains "html: action escaped" "$(cat r.html)" "Evil\\x1b[31m\\u202eRED next | pipe &lt;b&gt;b&lt;/b&gt; &amp;amp; txet"
	check_contains "html: why escaped" "$(cat r.html)" 'Latest note (2016-06-01): Note &lt;script&gt;x&lt;/script&gt;\u202eend<br/>Constraints: Budget &lt;b&gt;cut&lt;/b&gt; | &quot;frozen&quot;\x1b[2J<br/>second line &amp; more'
	if LC_ALL=C grep -q "$(printf '\033')" r.html; then fail "html: a raw escape character"; fi
else
	echo "note: xmllint missing: HTML checks left to report_html.sh" >&2
fi
check_status "json" 0 "$RT" --db "$DB" report --format json
cp "$T/out" r.json
if LC_ALL=C grep -q "$(printf '\033')" r.json; then fail "json: a raw escape character"; fi
if command -v python3 >/dev/null 2>&1; then
	check_eq "json: the text as stored" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); a=[a for a in d["lists"]["overdue"]["actions"] if a["id"] == 394][0]; print(repr(a["constraints"]), repr(a["latest_note"]))' r.json)" \
		"'Budget <b>cut</b> | \"frozen\"\\x1b[2J\\nsecond line & more' 'Note <script>x</script>\\u202eend'"
fi
# On the server each paper is byte for byte the one the file it was copied from gives.
if [ "$ENGINE" = pg ]; then
	for f in txt:text md:md json:json html:html; do
		[ -e "r.${f%%:*}" ] || continue
		"$RT" --db "$T/db" report --format "${f#*:}" >"file.${f%%:*}" 2>"$T/file.err" || fail "${f#*:} on the file: $(head -c 300 "$T/file.err")"
		check_same "${f#*:}" "file.${f%%:*}" "r.${f%%:*}"
	done
fi
finish
