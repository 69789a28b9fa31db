#!/usr/bin/env bash
# Search as people expect it: English word forms (porter stemming over unicode61, with
# diacritics ignored) and word* prefixes, on the real plans in data/.  A search finds
# the same actions whatever form of a word is typed, and a prefix finds every word it
# starts (so at least what the whole word finds).  Hostile strings are covered by
# search_safety.sh; here the stars that are not a prefix are checked too.
. "$(dirname "$0")/../lib.sh"
pg_needs report
need sqlite3
data_db
ids() { rt list --format tsv --columns id "$@" 2>"$T/err" | tail -n +2 | tr '\n' ' '; }
count() { rt list --format tsv --columns id "$@" 2>"$T/err" | tail -n +2 | wc -l; }
subset() {   # subset NAME SMALL BIG: every id of SMALL is in BIG
	local id
	for id in $2; do
		case " $3 " in *" $id "*) ;; *) fail "$1: #$id missing"; return;; esac
	done
}

# word forms: the stem decides, not the letters typed
check_eq "safeguard finds what safeguarding finds" "$(ids --search safeguard)" "$(ids --search safeguarding)"
check_eq "audits finds what audit finds" "$(ids --search audits)" "$(ids --search audit)"
check_eq "reviewed finds what review finds" "$(ids --search reviewed)" "$(ids --search reviewing)"
n=$(count --search safeguard)
[ "$n" -gt 100 ] || fail "safeguard finds only $n actions (want the 200-odd that mention safeguarding)"
# the stems reach the words as written: an action that says only "safeguarding"
sg=$(q "SELECT id FROM action WHERE text LIKE '%safeguarding%' AND text NOT LIKE '%safeguard %' LIMIT 1")
case " $(ids --search safeguard) " in *" $sg "*) ;; *) fail "safeguard does not find #$sg (which says safeguarding)";; esac

# prefixes
miss=$(ids --search 'miss*')
[ -n "$miss" ] || fail "miss* finds nothing"
for id in $miss; do
	t=$(q "SELECT lower(q.text || ' ' || r.text || ' ' || a.text || ' ' || ifnull(a.evidence, '') || ' ' ||
		ifnull((SELECT group_concat(text, ' ') FROM note WHERE action_id = a.id), ''))
		FROM action a JOIN question q ON q.id = a.question_id JOIN response r ON r.id = a.response_id WHERE a.id = $id")
	case "$t" in *miss*) ;; *) fail "miss* found #$id, which has no word starting 'miss'";; esac
done
subset "chronolog* holds chronology" "$(ids --search chronology)" "$(ids --search 'chronolog*')"
subset "chron* holds chronolog*" "$(ids --search 'chronolog*')" "$(ids --search 'chron*')"
check_eq "two stars are one" "$(ids --search 'chronolog**')" "$(ids --search 'chronolog*')"
check_eq "a prefix and a word: both needed" "$(ids --search 'chronolog* zzqx')" ""
check_eq "a star alone adds nothing" "$(ids --search 'chronology *')" "$(ids --search chronology)"
check_eq "stars alone find nothing, without an error" "$(ids --search '* **')" ""
check_eq "no error for stars alone" "$(cat "$T/err")" ""
check_eq "a star inside a word is no prefix" "$(ids --search 'chrono*logy')" "$(ids --search 'chrono logy')"
check_eq "quotes around a prefix are text" "$(ids --search '"chronolog"*')" "$(ids --search 'chronolog*')"
check_status "a prefix in a count" 0 rt report --search 'safeg*'
# diacritics are ignored both ways
check_eq "cafe finds café" "$(ids --search cafe)" "$(ids --search café)"
finish
