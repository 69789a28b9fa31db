#!/usr/bin/env bash
# The shared filters on ragtrack list: each narrows to exactly the actions the database
# says it should (counted independently with sqlite3), they combine with AND, names are
# checked with a suggestion for a typo, --sort orders, and the default order is natural
# (2 < 10, 1a < 1b).
. "$(dirname "$0")/../lib.sh"
pg_needs alias
need sqlite3
data_db
ids() { "$RT" --db "$DB" list --format tsv --columns id "$@" | sed 1d | sort -n | tr '\n' ' '; }
sqlids() { sql "$DB" "select a.id from action a left join agency ag on ag.id = a.agency_id join question q on q.id = a.question_id join review r on r.id = a.review_id where $1 order by a.id" | tr '\n' ' '; }

check_eq "--rag amber" "$(ids --rag amber)" "$(sqlids "a.rag = 2")"
check_eq "--rag a,unset (letters, unset)" "$(ids --rag a,unset)" "$(sqlids "a.rag in (0, 2)")"
check_eq "--rag Green,BLUE (names, any case)" "$(ids --rag Green,BLUE)" "$(sqlids "a.rag in (3, 4)")"
check_eq "--agency Police" "$(ids --agency Police)" "$(sqlids "ag.name = 'Police'")"
check_eq "--agency twice: either" "$(ids --agency Police --agency NELFT)" "$(sqlids "ag.name in ('Police', 'NELFT')")"
check_eq "--review megan (any case)" "$(ids --review megan)" "$(sqlids "r.name = 'Megan'")"
check_eq "--question 1a" "$(ids --question 1a)" "164 165 166 167 168 169 170 171 172 173 174 "
check_eq "--finding 2" "$(ids --finding 2 --review Julia)" "$(sqlids "q.finding_id in (select id from finding where ref = '2' and review_id = r.id) and r.name = 'Julia'")"
check_eq "--lead nurse (substring, any case)" "$(ids --lead nurse)" "$(sqlids "lower(a.lead) like '%nurse%'")"
check_eq "--overdue on 2016-06-30" "$(ids --overdue)" "3 36 82 91 135 141 143 172 173 203 269 312 352 391 394 427 476 495 "
check_eq "--overdue on 2016-03-31" "$(RAGTRACK_TODAY=2016-03-31 ids --overdue)" "$(sqlids "a.target_date < '2016-03-31' and a.rag <> 4")"
check_eq "--due-within 31" "$(ids --due-within 31)" "$(sqlids "a.target_date between '2016-06-30' and '2016-07-31' and a.rag <> 4")"
# the engine's own index as the oracle: FTS5 on a file, the search vector on a server
if [ "$ENGINE" = pg ]; then
	matched="select id from action where search @@ to_tsquery('ragtrack.rt_search', 'Gillick') order by id"
else
	matched="select rowid from action_fts where action_fts match 'Gillick' order by rowid"
fi
check_eq "--search Gillick" "$(ids --search Gillick)" "$(sql "$DB" "$matched" | tr '\n' ' ')"
check_eq "--search CSE" "$(ids --search CSE | wc -w)" "76"
check_eq "--search cse (any case)" "$(ids --search cse)" "$(ids --search CSE)"
# (FTS5's ranking: a server ranks by its own, docs/design.md "PostgreSQL")
[ "$ENGINE" = pg ] || check_eq "--search: ranked, best first" "$("$RT" --db "$DB" list --search CSE --format tsv --columns ref | sed -n 2,5p | tr '\n' ' ')" \
	"193	1c 196	1c 239	2c 173	1a "
check_eq "--search words are not FTS syntax" "$(ids --search 'CSE" OR "NEAR(')" ""
check_eq "AND of three" "$(ids --review Julia --rag amber --agency Police)" "250 274 295 329 491 "
check_eq "--changed-since" "$(ids --changed-since 2000-01-01 | wc -w)" "629"

# an alias selects its agency's actions
"$RT" --db "$DB" agency alias Police "Essex Constabulary" >/dev/null || fail "agency alias"
check_eq "--agency alias" "$(ids --agency "essex constabulary")" "$(ids --agency Police)"

# names that match nothing: an error with the nearest name or the list, nothing on stdout
check_status "--agency Polce" 6 "$RT" --db "$DB" list --agency Polce
check_eq "did you mean" "$(cat "$T/err")" "ragtrack: no agency 'Polce'; did you mean 'Police'?"
check_eq "no output for a bad name" "$(cat "$T/out")" ""
check_status "--review Megn" 6 "$RT" --db "$DB" list --review Megn --format csv
check_eq "review suggestion" "$(cat "$T/err")" "ragtrack: no review 'Megn'; did you mean 'Megan'?"
check_status "--question 99z" 6 "$RT" --db "$DB" list --question 99z
check_eq "question suggestion" "$(cat "$T/err")" "ragtrack: no question '99z'; did you mean '9'?"
check_status "--question far off" 6 "$RT" --db "$DB" list --question "no such question at all"
check_contains "question list" "$(cat "$T/err")" "ragtrack: no question 'no such question at all'; there are '1', '1.1', '1.2', '1.3', '1.4', '1a', '1b'"
check_status "--rag purple" 5 "$RT" --db "$DB" list --rag purple
check_contains "--rag message" "$(cat "$T/err")" "'purple' is not Red, Amber, Green, Blue or unset"

# order: the default is review, question ref in natural order, agency, sequence
refs() { "$RT" --db "$DB" list --format tsv --columns ref "$@" | sed 1d | cut -f2 | uniq | tr '\n' ' '; }
check_eq "Megan: 2 before 10" "$(refs --review Megan)" "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 "
check_eq "Julia: 1a 1b ... 9a" "$(refs --review Julia)" \
	"1a 1b 1c 2a 2b 2c 2d 3a 3b 3c 3d 4a 4b 4c 4d 5a 5b 5c 5d 6a 6b 6c 6d 7a 7b 7c 8a 8b 8c 8d 8e 9a "
check_eq "sequence within an agency" "$("$RT" --db "$DB" list --question 1a --agency "Thurrock CCG" --format tsv --columns id | sed 1d | tr '\n' ' ')" "164 165 166 167 "
check_eq "stable: two runs agree" "$("$RT" --db "$DB" list --format tsv | md5sum)" "$("$RT" --db "$DB" list --format tsv | md5sum)"
"$RT" --db "$DB" list --review Megan --sort target --format tsv --columns target | sed 1d | cut -f2 >"$T/targets"
check_eq "--sort target: dated first, in order" "$(grep -c '^20' "$T/targets")" "$(grep '^20' "$T/targets" | sort -c && grep -c '^20' "$T/targets")"
check_eq "--sort target: undated last" "$(sed -n '/^20/!=' "$T/targets" | head -n 1)" "$(( $(grep -c '^20' "$T/targets") + 1 ))"
check_eq "--sort target,id" "$("$RT" --db "$DB" list --review Megan --sort target,id --format tsv --columns target | sed -n 2,4p | cut -f1 | tr '\n' ' ')" "91 3 142 "
check_eq "--sort rag: Red, Amber, Green, Blue, unset" "$("$RT" --db "$DB" list --sort rag --format tsv --columns rag | sed 1d | cut -f2 | uniq | tr '\n' ' ')" "Amber Green Blue  "
check_status "--sort colour" 5 "$RT" --db "$DB" list --sort colour
finish
