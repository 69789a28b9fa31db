#!/usr/bin/env bash
# The filter keys: 1-4 and 0 toggle Red/Amber/Green/Blue/unset (the chip shows [A 27]
# when selected, and every chip keeps showing what toggling it would give), o toggles
# overdue, c clears them all, s cycles the sort; the top bar says it in words.
. "$(dirname "$0")/lib.bash"
copy_db
tui_start
wait_for "1/629"
keys 2
expect_screen filter_amber
keys o
expect_screen filter_amber_overdue
keys 3
wait_for "Amber or Green; overdue"
wait_for "[A 8] [G 10]"
wait_for "1/18"
keys 2
wait_for "Green; overdue"
wait_for "1/10"
keys 1
wait_for "Red or Green; overdue"
wait_for "[R 0]"
wait_for "1/10"
keys 0 4
wait_for "Red or Green or Blue or unset; overdue"
keys c
wait_for "filters cleared"
wait_for " · all 629 actions "
wait_for "1/629"
keys 4 0
wait_for " · 526 actions · Blue or unset "
wait_for "1/526"
keys 4 0
wait_for "1/629"
# 0 counts no Red: a Red filter alone shows the empty list's advice
keys 1
wait_for "No action matches these filters (c clears them)."
wait_for "0/0"
keys c
# the sort cycles: default, target, rag, agency, updated, lead, default
keys s
wait_for "sorted by target"
expect_screen sort_target
keys s s s s
wait_for "sorted by lead"
keys s
wait_for "sorted by review, question and agency"
wait_for " · all 629 actions "
finish
