#!/usr/bin/env bash
# The detail pane: Enter opens the action in full (question, response, action,
# evidence, constraints, desired outcome, lead, target as written and as a date, notes,
# recent changes), wrapped to the width and scrollable; J/K step through the list;
# Esc goes back.  On a wide terminal the pane sits beside the list.
. "$(dirname "$0")/lib.bash"
copy_db
tui_start --review Megan
wait_for "1/163"
keys j j j j
wait_for "5/163"
keys Enter
expect_screen detail_top
keys PageDown
expect_screen detail_scrolled
keys End
wait_for "Recent changes, newest first"
keys J
wait_for "#7 · Megan · question 1 · NPS"
wait_for "6/163"
keys K K
wait_for "#8 · Megan · question 1 · CRC"
wait_for "4/163"
keys Escape
wait_for "Enter open"
wait_for "4/163"

# wide: list and detail side by side, the detail following the cursor
tui_stop
COLS=160 ROWS=40 tui_start --review Julia
wait_for "1/333"
keys j
expect_screen detail_split
keys j
wait_for "#169 · Julia · question 1a · Children's Social Care"
wait_for "3/333"
keys Enter
wait_for "J K next/prev"
keys PageDown
wait_gone "│#169 · Julia"
keys Escape
wait_for "Enter open"
wait_for "│#169 · Julia"
finish
