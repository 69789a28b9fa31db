#!/usr/bin/env bash
# The mouse: a click selects a row, a click on the selected row opens it; the wheel
# scrolls the list, the detail pane and the dashboard.  (X10 mouse reports, as the
# terminal sends them, written to the program's input.)
. "$(dirname "$0")/lib.bash"
copy_db
# mouse BUTTON X Y: a report for button code BUTTON at column X, row Y (from 0)
mouse() { keys -H 1b 5b 4d "$(printf %x $((32 + $1)))" "$(printf %x $((33 + $2)))" "$(printf %x $((33 + $3)))"; }
# click X Y: press and release the left button
click() { mouse 0 "$1" "$2"; mouse 3 "$1" "$2"; }
tui_start
wait_for "1/629"
click 10 5
wait_for "4/629"
mouse 65 10 5
wait_for "7/629"
mouse 64 10 5
wait_for "4/629"
click 10 5
wait_for "Esc back"
wait_for "#555 · Child L · question 1 · Multi-agency Leadership"
mouse 65 10 5
# the pane's first lines scroll away (the response may show before the wheel is read)
wait_gone "RAG      - not set"
wait_for "Response of Multi-agency Leadership"
keys Escape
wait_for "Enter open"
# a click below the last row does nothing
keys 2 o
wait_for "1/8"
click 10 20
click 10 3
wait_for "2/8"
check_contains "still the list" "$(screen)" "Enter open"
keys c d
wait_for "By agency"
click 5 5
wait_for "4/36"
click 5 5
wait_for "1 action · agency Children's Health Provision"
finish
