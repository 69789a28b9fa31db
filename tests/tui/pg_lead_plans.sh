#!/usr/bin/env bash
# The plans the server makes for a lead's browser (PostgreSQL only by nature).  Row-level
# security puts a table's policy before every condition that is not leakproof, so a query
# that is quick for the board can read every row a lead may see (docs/design.md, "A lead's
# search reads the index").  The lead's login here has sequential scans priced out
# (enable_seqscan off: the planner scans a table only when no index can serve) and every
# statement's plan, those inside functions too, in the server's log (auto_explain, loaded
# for that login alone).  The browser walks the keys of the bench as the lead: the first
# screen, a search, every sort and its end, a RAG filter, overdue, the pickers, the
# dashboard.  Then in the plans: the action table is never scanned whole; a search reads
# the full-text index (action_search) and never tests `@@` row by row; the change log and
# the notes are never read through the policy (the data stamp); the group lists of the
# dashboard and the pickers read the totals, not the actions.
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/../pg.sh"
copy_db
pg_start
trap 'tui_kill_all; pg_stop; rm -rf "$T"' EXIT      # both files' clean-ups (each set its own)
URL=$(pg_db t_plans)
check_status "db copy" 0 "$RT" db copy "$T/db" "$URL"
check_status "lead add" 0 "$RT" --db "$URL" agency lead add Police p_lead
pg_q t_plans "ALTER ROLE p_lead SET session_preload_libraries = 'auto_explain';
	ALTER ROLE p_lead SET auto_explain.log_min_duration = 0;
	ALTER ROLE p_lead SET auto_explain.log_nested_statements = on;
	ALTER ROLE p_lead SET enable_seqscan = off" >/dev/null || fail "the lead's settings"
check_eq "the lead's sessions explain their statements" \
	"$(PGUSER=p_lead psql -X -At -d t_plans -c "SHOW auto_explain.log_min_duration")" 0
LOG=$PG_DIR/server.log
FROM=$(($(wc -c <"$LOG") + 1))

tui_start --db "postgresql://p_lead@/t_plans?host=$PG_DIR"
wait_bottom "1/55"
keys / ; type_text "training"; keys Enter; wait_bottom "1/16"
keys c; wait_bottom "filters cleared"
for sort in target rag agency updated lead; do
	keys s; wait_bottom "sorted by $sort"
	keys G; wait_bottom "55/55"
	keys g; wait_bottom "1/55"
done
keys s; wait_bottom "sorted by review, question and agency"
position() { bottom | awk '{ print $NF }'; }
keys 2; wait_eq "the lead's amber actions" 1/5 position
keys o; wait_eq "amber and overdue" 0/0 position
keys 2; wait_eq "overdue" 1/1 position
keys o; wait_eq "all again" 1/55 position
keys a; wait_for "Agencies: type to narrow"
keys Escape; keys v; wait_for "Review: type to narrow"
keys Escape; keys d; wait_for "By review"
keys q; keys q
check_eq "the lead's exit" "$(wait_exit)" 0
tui_stop

# The log since the browser started, one plan a record (records split at the log's
# timestamps; a plan's lines follow its first without one).
tail -c +"$FROM" "$LOG" | awk '/^[0-9][0-9][0-9][0-9]-/ { printf "%s", (n++ ? "\036" : "") } { print }' |
	tr '\036' '\0' >"$T/plans"
plans_with() { grep -z -F -- "$1" "$T/plans" | tr '\0' '\036'; }
PLANS=$(grep -z -c -F "plan:" "$T/plans")
[ "$PLANS" -ge 20 ] || fail "the browser's statements were not explained ($PLANS plans): $(tail -c 2000 "$LOG")"
SCANS=$(plans_with "Seq Scan on action " | tr '\036' '\n')
check_eq "no statement of the lead's scans the action table" "$SCANS" ""
SEARCH=$(plans_with "(search @@" | tr '\036' '\n')
check_contains "the search reads the full-text index" "$SEARCH" "Bitmap Index Scan on action_search"
check_eq "no statement tests the search row by row" "$(plans_with "plan:" | tr '\036' '\n' |
	grep -E '^ *(Filter|Join Filter): .*@@')" ""
# The data stamp, read with each window, takes the maxima through rt_stamp(): through the
# policy each max walked the change log back to the lead's last change.
check_eq "no maximum walks the change log or the notes through the lead's policy" "$(tr '\0' '\n' <"$T/plans" |
	awk '/ Backward using [a-z_]+ on (change_log|note) / { scan = $0; next } /->|^[0-9]/ { scan = "" } scan && /Filter:/ { print scan }')" ""
LISTS=$(plans_with "Query Text: SELECT id, name FROM " | tr '\036' '\n')
check_contains "the dashboard's and pickers' group lists were explained" "$LISTS" "Query Text"
check_eq "the group lists read the totals, not the actions" "$(grep -E ' on action( |$)' <<<"$LISTS")" ""
finish
