#!/usr/bin/env bash
# Imports on two cores.  A first import builds its search index in a second thread
# (src/store_fts_side.c) and copies it in at commit; RAGTRACK_THREADS=1 indexes at
# commit instead.  Both must give the index `ragtrack check` finds equal to the text,
# and the same search results, also when text changes during the run: a response
# assembled from two cells, a question whose wording changes further down the file.
# An import into an existing database reads the file in a second thread (import.c):
# the database must come out the same as with one thread, byte for byte.
. "$(dirname "$0")/../lib.sh"
sqlite_only "the importer's threads and FTS5's side index, byte for byte in the file"
need sqlite3

cat >"$T/plan.csv" <<'EOF'
Review,Finding,Question,Agency,Response,Action,RAG,Target Date,Evidence/Outcome,Lead Person
Child W,Finding 1: Information sharing,1a. How do agencies share referrals?,Police,Response alpha wombat,Action one,Green,31/03/2017,Evidence one,Lead A
,,,,,Action two,Amber,30/04/2017,Evidence two,Lead B
,,,,Response beta quokka,Action three,Red,31/05/2017,Evidence three,Lead C
,,2a. Old wording zebra,Health,Response gamma,Action four,Blue,01/01/2017,Evidence four narwhal,Lead D
,,,,,Action five,Green,01/02/2017,Evidence five,Lead E
,,1a. How do agencies share referrals?,Education,Response delta,Action six,Green,01/03/2017,Evidence six,Lead F
,,2a. New wording yak,Education,Response epsilon,Action seven,Amber,01/04/2017,Evidence seven,Lead G
EOF

mkdir "$T/two" "$T/one"
"$RT" --db "$T/two/plan.db" import "$T/plan.csv" >/dev/null || fail "import (two threads)"
RAGTRACK_THREADS=1 "$RT" --db "$T/one/plan.db" import "$T/plan.csv" >/dev/null || fail "import (one thread)"

# Which way each was indexed: only indexing at commit sets FTS5's 'hashsize' in the
# database (the side index's setting stays in its own file).
check_eq "two threads: index built alongside" \
	"$(sql "$T/two/plan.db" "SELECT count(*) FROM action_fts_config WHERE k = 'hashsize'")" 0
check_eq "one thread: index built at commit" \
	"$(sql "$T/one/plan.db" "SELECT count(*) FROM action_fts_config WHERE k = 'hashsize'")" 1
check_eq "nothing left beside the database" "$(ls -A "$T/two")" "plan.db"

searches() {
	for w in wombat quokka zebra yak narwhal referrals epsilon; do
		printf '%s:' "$w"
		"$RT" --db "$1" list --search "$w" --format csv --columns rag | tail -n +2 | cut -d, -f1 | sort -n | tr '\n' ' '
		echo
	done
}
for d in two one; do
	check_status "$d: check" 0 "$RT" --db "$T/$d/plan.db" check
	check_contains "$d: check" "$(cat "$T/out")" "search index against the text: ok"
	searches "$T/$d/plan.db" >"$T/$d.txt"
done
check_eq "the same results either way" "$(cat "$T/two.txt")" "$(cat "$T/one.txt")"
want='wombat:1 2 3 
quokka:1 2 3 
zebra:
yak:4 5 7 
narwhal:4 
referrals:1 2 3 6 
epsilon:7 '
check_eq "searches find the final text" "$(cat "$T/two.txt")" "$want"

# The real plans: a first import of all of data/ indexed alongside is sound too.
"$RT" --db "$T/two/data.db" import "$DATA"/*.csv >/dev/null || fail "importing data/"
check_status "data/: check" 0 "$RT" --db "$T/two/data.db" check
check_eq "data/: index built alongside" \
	"$(sql "$T/two/data.db" "SELECT count(*) FROM action_fts_config WHERE k = 'hashsize'")" 0

# Into an existing database: changed, added and unchanged rows, and every data/ plan.
cp "$T/two/plan.db" "$T/a.db"
cp "$T/two/plan.db" "$T/b.db"
sed -e 's/Action two,Amber/Action two,Green/' -e 's/Evidence five/Evidence five updated/' "$T/plan.csv" >"$T/plan2.csv"
echo ',,,,,Action eight,Red,01/05/2017,Evidence eight,Lead H' >>"$T/plan2.csv"
"$RT" --db "$T/a.db" import "$T/plan2.csv" "$DATA"/*.csv >"$T/a.out" || fail "re-import (two threads)"
RAGTRACK_THREADS=1 "$RT" --db "$T/b.db" import "$T/plan2.csv" "$DATA"/*.csv >"$T/b.out" || fail "re-import (one thread)"
check_eq "re-import: the same report" "$(cat "$T/a.out")" "$(cat "$T/b.out")"
check_contains "re-import: what changed" "$(tail -n 1 "$T/a.out")" "actions 630 added, 2 updated, 5 unchanged"
check_eq "re-import: the same database" "$(sqlite3 "$T/a.db" .dump | sha256sum)" "$(sqlite3 "$T/b.db" .dump | sha256sum)"
finish
