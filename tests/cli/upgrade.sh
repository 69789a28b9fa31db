#!/usr/bin/env bash
# A database written by an older ragtrack is upgraded in place, in one transaction, by
# the first command that may write it; nothing in it is lost.
. "$(dirname "$0")/../lib.sh"
sqlite_only "upgrades of SQLite files from schema version 1"
need sqlite3
DB=$T/old.db
make_db "$DB" || finish
rt --user alice set 3 rag=red >/dev/null || fail "set"
rt --user bob set 5 lead="DI Smith" target=31.03.2017 >/dev/null || fail "set"
before=$(q "select id, text, rag, evidence from action order by id" | sha256sum)
log_before=$(q "select id, action_id, at, user, field, old_value, new_value, source, batch from change_log order by id")
rows=$(q "select count(*) from change_log")
sigs_before=$(q "select id, hex(import_sig) from action order by id")
make_version1 "$DB" || fail "make version 1"
check_eq "version 1 signatures are hex digits" "$(q "select count(*) from action where typeof(import_sig) = 'text' and length(import_sig) >= 56")" "$(q "select count(*) from action")"
check_eq "version 1 has no extra fields" "$(q "select count(*) from sqlite_schema where sql like '%extra%'")" "0"
check_contains "version 1 has no stems" "$(q "select sql from sqlite_schema where name = 'action_fts'")" "tokenize = 'unicode61"
stems_before=$(q "select count(*) from action_fts where action_fts match 'safeguard'")
check_eq "made version 1" "$(q "pragma user_version")" "1"

# read-only opening does not upgrade, and says why it cannot open
sum=$(sum_file "$DB")
rt --read-only list >/dev/null 2>"$T/err" && fail "read-only opened an old schema"
check_contains "read-only message" "$(cat "$T/err")" "schema upgrade (version 1 to"
check_eq "read-only left it untouched" "$(sum_file "$DB")" "$sum"

rt list --rag red >/dev/null 2>"$T/err" || fail "list on a version-1 database"
check_contains "the rebuild is announced" "$(cat "$T/err")" "upgrading: rebuilding the search index for word forms and prefixes ("
check_contains "the tokenizer is English" "$(q "select sql from sqlite_master where name = 'action_fts'")" "porter unicode61 remove_diacritics 2"
stems_after=$(q "select count(*) from action_fts where action_fts match 'safeguard'")
[ "$stems_after" -gt "$stems_before" ] || fail "safeguard finds $stems_after after the upgrade, $stems_before before: no word forms"
rt list --rag red >/dev/null 2>"$T/err"
check_eq "said once, on the upgrade only" "$(cat "$T/err")" ""
check_eq "upgraded" "$(q "pragma user_version")" "$("$RT" --version | sed 's/.*schema \([0-9]*\).*/\1/')"
check_eq "withdrawn column added" "$(q "select count(*) from action where withdrawn = 0")" "$(q "select count(*) from action")"
check_eq "board tables and their guards added" "$(q "select group_concat(name, ' ') from (select name from sqlite_master where name like 'board%' order by name)")" \
	"board board_action board_action_no_delete board_action_no_update board_no_delete board_no_update"
check_eq "actions kept" "$(q "select id, text, rag, evidence from action order by id" | sha256sum)" "$before"
check_eq "signatures are BLOBs" "$(q "select count(*) from action where typeof(import_sig) <> 'blob'")" "0"
check_eq "signatures kept" "$(q "select id, hex(import_sig) from action order by id")" "$sigs_before"
rt import "$DATA"/*.csv >"$T/again" || fail "re-import into the upgraded database"
check_contains "re-import finds nothing changed" "$(tail -n 1 "$T/again")" "0 added, 0 updated, $(q "select count(*) from action") unchanged"
check_eq "sound after the upgrade" "$(rt check >/dev/null 2>&1; echo $?)" "0"
check_eq "the RAG totals count the target dates (version 4)" "$(q "select sum(dated) from rag_count")" \
	"$(q "select count(target_date) from action")"
rt --user bob set 5 target= >/dev/null || fail "clearing a target after the upgrade"
check_eq "the upgrade's triggers count a cleared target" "$(q "select sum(dated) from rag_count")" \
	"$(q "select count(target_date) from action")"
check_eq "extra fields table added" "$(q "select count(*) from extra_field")" "0"
# the upgraded database keeps extra fields and finds their words
printf 'Recommendation,Action,Monitoring arrangements\n"9. A new recommendation",Audit,Audit results reported to the subcommittee\n' >"$T/extra.csv"
rt import --review Upgraded "$T/extra.csv" >/dev/null || fail "import with an extra field into the upgraded database"
check_eq "search finds an extra field's word" "$(rt list --search subcommittee --format tsv --columns review | sed 1d | cut -f2)" "Upgraded"
check_eq "still sound" "$(rt check >/dev/null 2>&1; echo $?)" "0"
check_eq "change log kept" "$(q "select id, action_id, at, user, field, old_value, new_value, source, batch from change_log where id <= $rows order by id")" "$log_before"
check_eq "the old rows chained by the upgrade" "$(q "select count(*) from change_log where id <= $rows and length(hash) = 64")" "$rows"
check_eq "their account is not known" "$(q "select count(*) from change_log where id <= $rows and os_user is null")" "$rows"
rows=$(q "select count(*) from change_log")     # and the rows written since
rt --user alice set 7 rag=amber >/dev/null || fail "set after the upgrade"
check_contains "new rows go on from the chain" "$(rt check 2>&1)" "change log chain: ok, $((rows + 1)) rows"
finish
