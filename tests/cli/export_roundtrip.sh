#!/usr/bin/env bash
# export -> import into an empty database -> export gives byte-identical files: for
# every plan in data/ on its own and for all of them together (build/data.db).  The
# export is complete: one record per action, in ID order, with the importer's headers.
. "$(dirname "$0")/../lib.sh"
need python3
HEADER='ID,Review,Finding,Question,Agency,Response,Action,RAG,Target Date,Evidence/Outcome,Lead Person,Constraints/Problems,Desired Outcome'

# records FILE: data records and the distinct first-column values, read as RFC 4180
records() { python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1],newline="",encoding="utf-8"))); print(len(r)-1, [x[0] for x in r[1:]]==[str(i) for i in range(1,len(r))], {len(x) for x in r})' "$1"; }

# roundtrip NAME DB: export DB, import that into an empty database, export again
roundtrip() {
	local name=$1 db=$2 n copy
	n=$("$RT" --db "$db" list --format tsv --columns id | sed 1d | wc -l)
	"$RT" --db "$db" export -o "$T/$name.1.csv" 2>/dev/null || { fail "$name: first export: exit $?"; return; }
	check_eq "$name: header" "$(head -n 1 "$T/$name.1.csv")" "$HEADER"
	check_eq "$name: one record per action, IDs 1..$n" "$(records "$T/$name.1.csv")" "$n True {13}"
	engine_db copy "$T/$name.2.db"
	"$RT" --db "$copy" import "$T/$name.1.csv" >"$T/$name.import" || { fail "$name: re-import: exit $?"; return; }
	check_contains "$name: re-import adds them all" "$(cat "$T/$name.import")" "actions $n added, 0 updated, 0 unchanged"
	"$RT" --db "$copy" export -o "$T/$name.2.csv" 2>/dev/null || { fail "$name: second export: exit $?"; return; }
	cmp -s "$T/$name.1.csv" "$T/$name.2.csv" || { fail "$name: second export differs"; diff "$T/$name.1.csv" "$T/$name.2.csv" | head -20 >&2; }
	# and the copy lists the same actions as the original
	check_eq "$name: same list" "$("$RT" --db "$copy" list --format tsv --columns rag,review,ref,agency,target | md5sum)" \
		"$("$RT" --db "$db" list --format tsv --columns rag,review,ref,agency,target | md5sum)"
}

count=0
for f in "$DATA"/*.csv; do
	name=$(basename "$f" .csv)
	engine_db db "$T/$name.db"
	"$RT" --db "$db" import "$f" >/dev/null || { fail "$name: import: exit $?"; continue; }
	roundtrip "$name" "$db"
	count=$((count + 1))
done
check_eq "plans in data/" "$([ "$count" -ge 5 ] && echo ok)" "ok"

data_db "$T/all.db"
roundtrip all "$DB"
check_eq "all: 629 actions" "$(records "$T/all.1.csv" | cut -d' ' -f1)" "629"

# what the values look like: RAG names, unset RAG as written, ISO targets keeping the
# words after the date, text in full (line breaks inside quotes)
python3 - "$T/all.1.csv" >"$T/values" <<'PY'
import csv, sys
rows = {r["ID"]: r for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"))}
for i in ("1", "3", "7", "28", "34", "133", "164", "169", "365", "423"):
    r = rows[i]
    print(i, r["Review"], r["Question"][:12], r["Agency"], r["RAG"], r["Target Date"], r["Evidence/Outcome"][:24].replace("\n", "|"))
PY
check_file "exported values" "$T/values" "$ROOT/tests/cli/expected/export_values.txt"
finish
