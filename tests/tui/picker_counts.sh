#!/usr/bin/env bash
# The agency picker's counts are what the list would show on choosing the agency, the
# active RAG filter included (under Amber, Thurrock CCG shows its 6 Amber actions, not all 119),
# and choosing it gives exactly that many.  Checked against the database.
. "$(dirname "$0")/lib.bash"
copy_db
n_rag() { sql "$T/db" "SELECT count(*) FROM action WHERE rag IN ($1) AND agency_id = (SELECT id FROM agency WHERE name = '$2')"; }
row_count() { screen | sed -n "s/.*\\[ \\] $1  *\\([0-9][0-9]*\\) *│.*/\\1/p"; }
tui_start
wait_for "1/629"
keys 2
wait_for "[A 27]"
keys a
wait_for "Agencies: type to narrow"
type_text "thurrock ccg"
wait_for "[ ] Thurrock CCG"
wait_eq "Thurrock CCG under Amber" "$(n_rag 2 'Thurrock CCG')" row_count 'Thurrock CCG'
keys Escape
wait_gone "Agencies"
# two states: Amber and Green
keys 3
wait_for "[G "
keys a
wait_for "Agencies: type to narrow"
type_text "thurrock ccg"
wait_for "[ ] Thurrock CCG"
want=$(n_rag "2, 3" "Thurrock CCG")
wait_eq "Thurrock CCG under Amber and Green" "$want" row_count 'Thurrock CCG'
keys Enter
wait_for "agency Thurrock CCG"
wait_bottom "/$want"      # the position: the list holds that many
# no RAG filter: every action of the agency
keys c a
wait_for "Agencies: type to narrow"
type_text "thurrock ccg"
wait_for "[ ] Thurrock CCG"
wait_eq "Thurrock CCG, no RAG filter" "$(sql "$T/db" "SELECT count(*) FROM action WHERE agency_id = (SELECT id FROM agency WHERE name = 'Thurrock CCG')")" row_count 'Thurrock CCG'
# (no agency) would be one of the entries "agenc" narrows to (checked on the narrowed list,
# not on the Thurrock CCG one, where it could never show)
keys C-u
type_text "agenc"
wait_gone "[ ] Thurrock CCG"
wait_for "[ ] Multi-agency Leadership"
check_not_contains "no (no agency) entry to pick" "$(screen)" "(no agency)"
keys Escape
wait_gone "Agencies: type to narrow"
finish
