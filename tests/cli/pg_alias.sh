#!/usr/bin/env bash
# agency alias on PostgreSQL (the tests' own server, tests/pg.sh): the same aliases on a
# file and on its db copy leave the same agency list, export and history; a response
# merged from both agencies is found by its words on the server; the leads of the
# agency merged away lead the agency kept (the command names them), and still see and
# edit their actions there; a lead's login and the read-only login cannot alias, each
# told so in one line; check passes on the server after the merges.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../pg.sh"
pg_start
SRC=$T/src.db
cp "$ROOT/build/data.db" "$SRC"
URL=$(pg_db t_alias)
check_status "db copy" 0 "$RT" db copy "$SRC" "$URL"
as_url() { echo "postgresql://$1@/t_alias?host=$PG_DIR"; }
CSC="Children's Social Care"
CSCE="Children's Social Care & Education"

# both ARGS...: the command as alice on the file and on the server (pg_same)
both() { pg_same "$*" --user alice "$@"; }
both agency alias Police "Essex Police"
both agency alias Police Constabulary
both agency alias NPS "National Probation Service"
both agency alias Police police
both agency alias Polce Somebody
both agency alias "$CSC" Constabulary

# Leads of the agency about to be merged away; edu_two leads the kept agency already.
pg_q postgres "CREATE ROLE clerk LOGIN" >/dev/null
check_status "a board login" 0 "$RT" --db "$URL" db init --board clerk
for lead in "$CSCE edu_lead" "$CSCE edu_two" "$CSC edu_two" "Police p_lead"; do
	check_status "lead add $lead" 0 "$RT" --db "$URL" agency lead add "${lead% *}" "${lead##* }"
done
pg_q postgres "CREATE ROLE viewer LOGIN IN ROLE t_alias_readonly" >/dev/null
group=t_alias_agency_$(pg_q t_alias "SELECT id FROM ragtrack.agency WHERE name = '${CSCE//\'/\'\'}'")

# Neither a lead's login nor the read-only login may alias: one line, nothing changed.
before=$(DB=$URL dump_sum)
check_status "a lead's alias" 8 "$RT" --db "$(as_url p_lead)" agency alias Police Plod
check_eq "a lead is told why" "$(cat "$T/err")" \
	"ragtrack: $PG_DIR/t_alias: only a board member's login may change agency aliases (p_lead is not one)"
check_status "a lead's alias, its own agency named" 8 "$RT" --db "$(as_url p_lead)" --as-agency Police \
	agency alias Police Plod
check_eq "the same words" "$(cat "$T/err")" \
	"ragtrack: $PG_DIR/t_alias: only a board member's login may change agency aliases (p_lead is not one)"
check_status "the read-only login's alias" 8 "$RT" --db "$(as_url viewer)" agency alias Police Plod
check_eq "the read-only login is told why" "$(cat "$T/err")" \
	"ragtrack: $PG_DIR/t_alias: only a board member's login may change agency aliases (viewer is not one)"
check_eq "the refusals changed nothing" "$(DB=$URL dump_sum)" "$before"

# The merge with leads, by a board login that does not own the schema: the file's words,
# and on the server one line more naming the leads, who now lead the kept agency.
check_status "merge on the file" 0 "$RT" --db "$SRC" --user alice agency alias "$CSC" "$CSCE"
cp "$T/out" "$T/lite.out"
check_status "merge on the server" 0 "$RT" --db "$(as_url clerk)" --user alice agency alias "$CSC" "$CSCE"
check_eq "what the server's merge says" "$(cat "$T/out")" "$(cat "$T/lite.out")
leads of '$CSCE' now lead '$CSC': edu_lead, edu_two"
check_eq "stderr" "$(cat "$T/err")" ""
check_eq "the merged-away agency's group is gone" "$(pg_q t_alias "SELECT count(*) FROM pg_roles WHERE rolname = '$group'")" 0
check_eq "its leads lead the kept agency" "$(pg_q t_alias "SELECT string_agg(login, ' ' ORDER BY login)
	FROM ragtrack.agency_lead WHERE agency = '${CSC//\'/\'\'}'")" "edu_lead edu_two"
both agency list
both export
both history
both list --search "school staff" --sort id --columns agency
check_contains "the merged response's words find the kept agency's actions" \
	"$("$RT" --db "$URL" list --search "school staff" --sort id --columns agency --format tsv)" "377	$CSC
378	$CSC
379	$CSC"

# The lead of the agency merged away sees its actions under the kept agency, and edits them.
EDU=$(as_url edu_lead)
check_status "the lead's list" 0 "$RT" --db "$EDU" list --columns agency --format tsv
check_contains "its action, under the kept agency" "$(cat "$T/out")" "379	$CSC"
check_eq "the kept agency's actions, all of them" "$(tail -n +2 "$T/out" | cut -f2 | sort | uniq -c | sed 's/^ *//')" "47 $CSC"
check_status "the lead edits it" 0 "$RT" --db "$EDU" --user edna set 379 rag=green
check_eq "the edit's login" "$(pg_q t_alias "SELECT login FROM ragtrack.change_log WHERE action_id = 379
	ORDER BY id DESC LIMIT 1")" edu_lead
check_status "the server's check after the merges" 0 "$RT" --db "$URL" check
check_contains "the chain" "$(cat "$T/out")" "change log chain: ok"
finish
