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
keys j
wait_for "2/35"
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
wait_for "35/35"
keys Enter
wait_for "45 actions · review Thurrock LSCB priorities 2017-18"
keys c o d
wait_for "By agency (current filters, RAG aside)"
expect_screen dashboard_overdue
keys Escape
wait_for "Enter open"
finish
