#!/usr/bin/env bash
# d: a bar per agency and per review split into R/A/G/B/unset (letters in the bar, so
# it reads without colour), the counts and % complete (Blue); Enter on a bar lists its
# actions; the dashboard follows the other filters (overdue here).
. "$(dirname "$0")/lib.bash"
copy_db
tui_start
wait_for "1/629"
keys d
expect_screen dashboard
# the actions of no agency have a bar of their own, so the agency bars add up to the
# total: the last of the agencies
nag=$(sql "$T/db" "SELECT count(DISTINCT agency_id) FROM action WHERE agency_id IS NOT NULL")
for ((i = 0; i < nag; i++)); do keys j; done
wait_for "$((nag + 1))/36"
wait_for "(no agency)"
none=$(screen | grep -F '(no agency)' | sed 's/.* R \([0-9]*\)  A  *\([0-9]*\)  G  *\([0-9]*\)  B  *\([0-9]*\)  -  *\([0-9]*\) .*/\1 \2 \3 \4 \5/')
want=$(sql "$T/db" "SELECT sum(rag = 1), sum(rag = 2), sum(rag = 3), sum(rag = 4), sum(rag = 0) FROM action WHERE agency_id IS NULL" | tr '|' ' ')
check_eq "the (no agency) bar" "$none" "$want"
keys Enter
wait_for "(no agency): these actions name no agency"
keys Home
wait_for "1/36"
keys j
wait_for "2/36"
keys Enter
wait_for "52 actions · agency BTUH"
wait_for "Enter open"
# with an agency chosen, the agency bars leave it out; the review bars keep it
keys d
wait_for "BTUH                      A G"
keys End
wait_for "By review"
wait_for "Megan                     -----"
keys Escape c d End
wait_for "36/36"
keys Enter
wait_for "45 actions · review Thurrock LSCB priorities 2017-18"
keys c o d
wait_for "By agency (current filters, RAG aside)"
expect_screen dashboard_overdue
keys Escape
wait_for "Enter open"
finish
