#!/usr/bin/env bash
# SQL safety: what users type reaches SQLite only as bound parameters, and full-text
# search words reach FTS5 only as quoted strings.  So FTS5 syntax in a search (quotes,
# NEAR, *, AND/OR/NOT, column filters, ^, -, parentheses, braces) is searched for as
# words -- never a syntax error, never an operator -- and SQL in any filter or value is
# just text: no "database error" exit, no extra rows, nothing dropped.  Also a guard on
# the sources: only src/store*.c speak SQL, and no SQL text is spliced from strings.
. "$(dirname "$0")/../lib.sh"
pg_needs report set note alias check
need sqlite3
data_db
ids() { rt list --format tsv --columns id "$@" 2>"$T/err" | tail -n +2 | tr '\n' ' '; }
total=$(q "SELECT count(*) FROM action")

# ---- FTS5 syntax in a search: always an answer, never an error --------------------------------------
tried=0
while IFS= read -r words; do
	tried=$((tried + 1))
	for cmd in "list" "export" "report"; do
		check_status "$cmd --search [$words]" 0 rt $cmd --search "$words"
		check_not_contains "$cmd --search [$words]: no database error" "$(cat "$T/err")" "database"
	done
done <<'EOF'
"
'
""
"unbalanced
NEAR(a b)
NEAR(chronology referral, 5)
*
chronology*
*chronology
a OR b
a AND b
NOT chronology
chronology NOT
col:word
action:audit
question : referral
{action evidence}: chronology
^chronology
-chronology
+chronology
(
)
()
(chronology OR referral)
café
子供
Children's
x'); DROP TABLE action; --
%
_
\
  spaced   out  
**
a*b*
"*
*"
NEAR*
*)*
chronology*"
"chronology"*
(*
x'*); DROP TABLE action; --*
EOF

# operators are words: quoting or starring a word finds what the word finds
want=$(ids --search chronology)
check_eq "there are results to compare" "$([ -n "$want" ] && echo yes)" yes
check_eq "\"chronology\" is the word" "$(ids --search '"chronology"')" "$want"
check_eq "chronology* is a prefix: at least the word" "$(ids --search 'chronology*' | tr ' ' '\n' | grep -cxF -f <(echo "$want" | tr ' ' '\n' | grep .))" "$(echo "$want" | wc -w)"
check_eq "^chronology is the word" "$(ids --search '^chronology')" "$want"
check_eq "NEAR alone is a word, found or not, never an operator" "$(ids --search 'NEAR(chronology)')" \
	"$(ids --search 'NEAR chronology')"
# AND/OR/NOT are words: "NOT chronology" finds rows with both words, a subset of "chronology"
for id in $(ids --search 'NOT chronology'); do
	case " $want " in *" $id "*) ;; *) fail "NOT chronology found #$id, which has no 'chronology'";; esac
done
check_eq "OR is not an operator: 'chronology OR zzqx' finds nothing" "$(ids --search 'chronology OR zzqx')" ""
# "action:chronology" is one quoted string: the phrase "action chronology", not a column filter
for id in $(ids --search 'action:chronology'); do
	case " $(ids --search 'action chronology') " in *" $id "*) ;; *) fail "action:chronology found #$id beyond the two words";; esac
done
rt list --search "" >/dev/null 2>"$T/err"; rc=$?
case $rc in 2|5) ;; *) fail "empty search: exit $rc, want a usage error (2 or 5)";; esac
check_contains "empty search message" "$(cat "$T/err")" "--search needs a value"
check_eq "blank search: no rows, no error" "$(ids --search '   ')" ""

# ---- SQL in filters and values is text ------------------------------------------------------------
check_status "agency injection" 6 rt list --agency "x' OR 1=1 --"
check_contains "agency injection: no such agency" "$(cat "$T/err")" "no agency 'x' OR 1=1 --'"
check_status "review injection" 6 rt list --review "Megan' OR '1'='1"
check_status "question injection" 6 rt list --question "1a' OR 1=1 --"
check_status "finding injection" 6 rt list --finding "1) OR (1=1"
check_eq "lead % is a character, not a wildcard" "$(ids --lead '%')" ""
check_eq "lead _ is a character, not a wildcard" "$(ids --lead '_')" ""
check_eq "lead injection matches nothing" "$(ids --lead "x') OR 1=1 --")" ""
# a date with anything after it is refused, never read as SQL
check_status "changed-since injection refused" 5 "$RT" --db "$DB" list --changed-since "2016-01-01' OR '1'='1"
check_contains "changed-since injection message" "$(cat "$T/err")" "is not a date"
check_eq "every action is still there" "$(q "SELECT count(*) FROM action")" "$total"

evil="Robert'); DROP TABLE action; -- \"x\" %_ \\"
check_status "set a value with SQL in it" 0 rt --user bobby set 12 lead="$evil" --reason "$evil"
check_eq "value stored as typed" "$(q "SELECT lead FROM action WHERE id = 12")" "$evil"
check_eq "reason logged as typed" "$(q "SELECT reason FROM change_log WHERE action_id = 12 ORDER BY id DESC LIMIT 1")" "$evil"
check_status "a note with SQL in it" 0 rt --user bobby note 12 "$evil"
check_eq "note stored as typed" "$(q "SELECT text FROM note WHERE action_id = 12 ORDER BY id DESC LIMIT 1")" "$evil"
check_status "an alias with SQL in it" 0 rt agency alias Police "$evil"
check_eq "alias stored as typed" "$(q "SELECT count(*) FROM agency_alias WHERE alias = '$(printf '%s' "$evil" | sed "s/'/''/g")'")" 1
check_eq "the alias selects Police's actions only" "$(ids --agency "$evil")" "$(ids --agency Police)"
check_eq "the note is searchable as words" "$(ids --search 'Robert DROP TABLE')" "12 "
check_status "--user with SQL in it" 0 rt --user "$evil" set 13 lead="by bobby"
check_eq "user logged as typed" "$(q "SELECT \"user\" FROM change_log WHERE action_id = 13 ORDER BY id DESC LIMIT 1")" "$evil"
tables=0
for t in action note change_log agency_alias; do q "SELECT count(*) FROM $t" >/dev/null 2>&1 && tables=$((tables + 1)); done
check_eq "tables all there" "$tables" 4
check_status "check" 0 rt check

# ---- the sources: only the store speaks SQL, from constant text ---------------------------------------
cd "$ROOT" || exit 1
outside=$(grep -l -E 'sqlite3\.h|sqlite3_[a-z]' src/*.c src/tui/*.c include/ragtrack/*.h 2>/dev/null | grep -v -E '^src/store[a-z_]*\.(c|h)$')
check_eq "only src/store*.c use SQLite" "$outside" ""
check_eq "no SQL built with sqlite3_mprintf / %q" "$(grep -n -E 'sqlite3_v?mprintf|sqlite3_snprintf|%[qQw]' src/store*.c)" ""
# a quoted %s next to SQL would splice a string into a statement
check_eq "no quoted %s in SQL text" \
	"$(grep -n -E "(SELECT|INSERT|UPDATE|DELETE|WHERE|VALUES|MATCH).*('%s'|\"%s\"|= *%s)" src/store*.c)" ""
echo "search safety: $tried searches tried through list, export and report"
finish
