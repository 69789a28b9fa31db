#!/usr/bin/env bash
# ragtrack list --format csv|tsv|json and --columns: exact output for question 1a,
# the ID first in every format, well-formed CSV (RFC 4180) and JSON, one line per
# action in TSV, and usage errors for unknown formats and columns.
. "$(dirname "$0")/../lib.sh"
need python3
data_db
EXP=$ROOT/tests/cli/expected
list() { "$RT" --db "$DB" list "$@"; }

for fmt in csv tsv json; do
	list --question 1a --format "$fmt" >"$T/1a.$fmt" || fail "--format $fmt: exit $?"
	check_file "--format $fmt" "$T/1a.$fmt" "$EXP/list_1a.$fmt"
done
check_eq "--format=tsv form" "$(list --question 1a --format=tsv | md5sum)" "$(md5sum <"$T/1a.tsv")"
# every column but "updated" (the import time of build/data.db)
ALL=rag,review,finding,ref,question,agency,response,action,target,evidence,lead,constraints,desired,notes
list --question 1a --format json --columns "$ALL" >"$T/all.json"
check_file "every column as JSON" "$T/all.json" "$EXP/list_1a_columns.json"

# the whole database in each format: 629 records, the ID first, parsed by Python
list --format csv >"$T/all.csv"
list --format tsv --columns "$ALL,updated" >"$T/all.tsv"
list --format json --columns "$ALL,updated" >"$T/every.json"
check_eq "CSV records" "$(python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1],newline=""))); print(len(r)-1, {len(x) for x in r}, r[0][0])' "$T/all.csv")" "629 {8} id"
check_eq "TSV: one line per action" "$(wc -l <"$T/all.tsv")" "630"
check_eq "TSV: 16 fields each" "$(awk -F'\t' '{print NF}' "$T/all.tsv" | sort -u)" "16"
check_eq "TSV: the ID first" "$(head -n 1 "$T/all.tsv" | cut -f1,2)" "id	rag"
check_contains "TSV: line breaks as \\n" "$(grep '^3	' "$T/all.tsv")" 'relationships).\nNELFT safeguarding'
check_eq "JSON parses: 629 objects, ids 1..629" \
	"$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); print(len(a), sorted(x["id"] for x in a)==list(range(1,630)), list(a[0])[:2])' "$T/every.json")" \
	"629 True ['id', 'rag']"
check_eq "JSON null and TSV empty for an unset RAG" \
	"$(python3 -c 'import json,sys; print(sum(1 for x in json.load(open(sys.argv[1])) if x["rag"] is None))' "$T/every.json")" \
	"$(awk -F'\t' 'NR > 1 && $2 == ""' "$T/all.tsv" | wc -l)"

# the ID stays first whatever --columns says; order of the others as given
check_eq "--columns order" "$(list --question 1a --format tsv --columns action,rag,id | head -n 2 | cut -c1-40)" "id	action	rag
173	Traffic Light CSE pathway to be roll"
check_eq "empty CSV: the header" "$(list --rag red --format csv)" "id,rag,review,ref,agency,target,lead,action"
check_eq "empty JSON: []" "$(list --rag red --format json)" "[]"

# Rows read for a ranked search (ids first) carry the response only when a column shows it.
check_eq "a search shows the response when asked" \
	"$(list --search safeguarding --format tsv --columns response | grep '^434	')" \
	"434	NELFT to ensure staff engage with GP's when safeguarding issues are identified"
check_eq "and sorted by target too" \
	"$(list --sort target --format tsv --columns response | grep '^434	')" \
	"434	NELFT to ensure staff engage with GP's when safeguarding issues are identified"

check_status "unknown format" 2 "$RT" --db "$DB" list --format xml
check_contains "unknown format message" "$(cat "$T/err")" "--format: 'xml' is not table, csv, tsv or json"
check_status "unknown column" 2 "$RT" --db "$DB" list --columns rag,colour
check_contains "unknown column message" "$(cat "$T/err")" "--columns: no column 'colour'; there are id, rag, review, finding, ref"
check_status "unknown option" 2 "$RT" --db "$DB" list --colour
check_status "stray argument" 2 "$RT" --db "$DB" list Police
check_contains "stray argument message" "$(cat "$T/err")" "unexpected argument 'Police'"
check_status "no database" 6 "$RT" --db "$T/missing.db" list
check_eq "no database created" "$(ls "$T" | grep -c missing)" "0"
finish
