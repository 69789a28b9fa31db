#!/usr/bin/env bash
# ragtrack set: every field as typed and as stored, validation (refused changes leave
# the database byte for byte as it was), and the change log each change writes.
. "$(dirname "$0")/../lib.sh"
pg_needs set
need sqlite3
data_db
EXP=$ROOT/tests/cli/expected

# refused WHAT STATUS ARGS...: exit STATUS, one line on stderr (kept in errors.txt),
# nothing on stdout, and neither the database (a file's bytes, a server's rows) nor its
# contents changed.
refused() {
	local what=$1 want=$2; shift 2
	local file dump
	file=$(db_sum); dump=$(dump_sum)
	check_status "$what" "$want" "$RT" --db "$DB" "$@"
	check_eq "$what: stderr lines" "$(wc -l <"$T/err")" 1
	check_eq "$what: stdout" "$(cat "$T/out")" ""
	check_eq "$what: database file" "$(db_sum)" "$file"
	check_eq "$what: database contents" "$(dump_sum)" "$dump"
	cat "$T/err" >>"$T/errors.txt"
}

# ---- every field ------------------------------------------------------------------
{
	rt --user alice set 3 rag=amber
	rt --user alice set '#3' target=30.09.2016 --reason "provider changed"
	rt --user alice set 3 lead="Jane Smith, Named Nurse"
	rt --user alice set 3 evidence="Audit of 40 referrals, May 2016"
	rt --user alice set 3 action="NELFT to audit referral quality"
	rt --user alice set 3 constraints="Two posts vacant"
	rt --user alice set 3 desired="Referrals carry the family history"
	rt --user alice set 3 response="NELFT's response, rewritten"
	rt --user alice set 3 rag=AMBER lead="  Jane Smith, Named Nurse  "
	rt --user alice set 3 rag=b --reason="evidence seen at the June board"
	rt --user alice set 3 rag=unset lead=
	rt --user alice set 2 target="June 2016"
	rt --user alice set 2 target=
	rt --user alice set 600 rag=blue evidence="Training records checked" --reason "one command"
	USER=carol rt set 50 lead=Carol
	USER=carol rt --user dan set 50 lead=Dan
	rt --user alice set 50 lead="$(printf 'Ann\033[31m Lee\r')"
	rt --user alice set 50 lead="Ann Lee" --if-version "$(q 'SELECT version FROM action WHERE id = 50')"
} >"$T/set.txt" 2>&1
check_file "set output" "$T/set.txt" "$EXP/set.out"
check_eq "no escape reaches the output" "$(grep -c $'\033' "$T/set.txt")" 0

check_eq "action 3 as stored" \
	"$(q "SELECT rag, rag_raw, target_date, target_raw, first_target_date, lead, evidence, text, constraints, desired, version FROM action WHERE id = 3")" \
	"0||2016-09-30|30.09.2016|2016-03-31||Audit of 40 referrals, May 2016|NELFT to audit referral quality|Two posts vacant|Referrals carry the family history|11"
check_eq "response of action 3" "$(q "SELECT r.text FROM response r JOIN action a ON a.response_id = r.id WHERE a.id = 3")" \
	"NELFT's response, rewritten"
check_eq "action 2: target cleared, first target kept" \
	"$(q "SELECT ifnull(target_date, 'NULL'), target_raw, first_target_date FROM action WHERE id = 2")" "NULL||2016-06-30"
check_eq "action 600 is Blue with evidence" "$(q "SELECT rag, evidence FROM action WHERE id = 600")" "4|Training records checked"
# the leads set to Ann's, as the change log holds them: two, and no control character
leads=$(q "SELECT new_value FROM change_log WHERE field = 'lead' AND new_value LIKE 'Ann%' ORDER BY id")
check_eq "Ann's leads" "$(printf '%s\n' "$leads" | wc -l)" 2
check_eq "control characters are not stored" "$(printf '%s' "$leads" | tr -d '\n' | tr -cd '[:cntrl:]' | wc -c)" 0
check_eq "updated_at and touched_at" "$(q "SELECT updated_at, touched_at FROM action WHERE id = 3")" \
	"2016-06-30T12:00:00Z|2016-06-30T12:00:00Z"
# (a word of the new response alone; the old evidence's 'palette' no longer finds #3)
search() { rt list --search "$1" --format tsv --columns id | tail -n +2 | tr '\n' ' '; }
check_eq "search index follows the edits" "$(search rewritten)" "3 "
check_not_contains "the old words are gone from the index" " $(search palette)" " 3 "

# the change log: one row per changed field, the fields of one command in one batch
# (long imported texts cut to 40 characters)
q "SELECT id, action_id, \"user\", field, ifnull(substr(old_value, 1, 40), 'NULL'), ifnull(new_value, 'NULL'), source,
          ifnull(reason, '-'), batch, ifnull(CAST(undoes AS TEXT), '-')
   FROM change_log ORDER BY id" >"$T/log.txt"
check_file "change log" "$T/log.txt" "$EXP/set-log.out"

# ---- refused ------------------------------------------------------------------------
: >"$T/errors.txt"
refused "not a date" 5 set 3 target=soon
refused "no 31 February" 5 set 3 target=31/02/2016
refused "date with words after it" 5 set 3 target="30.06.2016 or later"
refused "not a RAG" 5 set 3 rag=purple
refused "Blue without evidence" 5 set 1 rag=blue evidence=
refused "Blue on a placeholder" 5 set 12 rag=blue evidence=0
refused "clearing a Blue action's evidence" 5 set 600 evidence=
refused "a good change beside a bad one" 5 set 3 lead="New lead" target=soon
refused "a field twice" 5 set 3 lead=A lead=B
refused "unknown field" 2 set 3 colour=red
refused "not FIELD=VALUE" 2 set 3 rag
refused "unknown ID" 6 set 99999 rag=red
refused "not an ID" 2 set abc rag=red
refused "nothing to change" 2 set 3
refused "unknown option" 2 set 3 --bogus rag=red
refused "bad --if-version" 2 set 3 lead=x --if-version x
refused "stale --if-version" 7 set 3 lead=x --if-version 1
refused "no database" 6 --db "$T/none.db" set 3 lead=x
sed -i "s|$T/|T/|g" "$T/errors.txt"
check_file "error messages" "$T/errors.txt" "$EXP/set-errors.out"
[ -e "$T/none.db" ] && fail "set created a database"

# ---- help ------------------------------------------------------------------------------
check_status "set --help" 0 "$RT" set --help
check_contains "set --help lists fields" "$(cat "$T/out")" "constraints"
check_contains "set --help explains Blue" "$(cat "$T/out")" "rag=blue needs evidence"
[ -n "${KEEP:-}" ] && cp "$T"/*.txt "$KEEP"/
finish
