# tests/cli/terminal_safety.bash: the hostile database the terminal_safety*.sh tests share.
# Named .bash, not .sh, so tests/run.sh does not run it as a test.  Needs sqlite3.

# hostile_sql TAG: one SQL expression, unique per column (TAG), holding every kind of
# sequence a terminal would act on: OSC 0 (window title "PWNED"), CSI 2J (clear screen),
# OSC 52 (set the clipboard), C1 CSI in UTF-8 (U+009B), RLO (U+202E) and LRI (U+2066),
# backspaces, CR, DEL, then harmless zero-width space and combining accent, a DCS
# request, NEL (U+0085) and a raw 0x9B byte (invalid UTF-8; CSI on 8-bit terminals).
# HOSTILE_RAW_BYTE=0 leaves the raw byte out, for a database to be copied to a server:
# a PostgreSQL database holds UTF-8 only (db copy refuses the byte).
HOSTILE_RAW_BYTE=${HOSTILE_RAW_BYTE:-1}
hostile_sql() {
	printf "'%s<' || char(27) || ']0;PWNED' || char(7) || char(27) || '[2J' || char(27) || ']52;c;cHduZWQ=' || char(7)" "$1"
	printf " || char(155) || '31m' || char(8238) || 'RLO' || char(8294) || 'LRI' || char(8) || char(8) || char(13) || char(127)"
	printf " || char(8203) || 'e' || char(769) || char(27) || 'P1\$r' || char(27) || '\\\\' || char(133)"
	[ "$HOSTILE_RAW_BYTE" = 0 ] || printf " || CAST(X'9B' AS TEXT)"
	printf " || '>'"
}
# How text_visible shows the start of it (after the tag and '<').
HOSTILE_SHOWN='\x1b]0;PWNED\x07\x1b[2J\x1b]52;c;cHduZWQ=\x07\u009b31m\u202eRLO\u2066LRI\x08\x08\x0d\x7f'

# make_hostile_db DB: write the hostile text, straight into every text column a view
# shows, of actions #3 (Megan), #12 and #195 (Julia 1c Police) and what they belong to:
# their question, finding, response, agency and review, a note and a change-log entry.
make_hostile_db() {
	local H=hostile_sql
	sqlite3 "$1" "
UPDATE action SET text = $($H action), evidence = $($H evidence), lead = $($H lead), constraints = $($H constraints),
       desired = $($H desired), rag_raw = $($H ragraw), target_raw = $($H targetraw) WHERE id IN (3, 12, 195);
UPDATE question SET text = $($H question), ref = $($H ref) WHERE id = (SELECT question_id FROM action WHERE id = 12);
UPDATE finding SET title = $($H finding), ref = $($H fref)
 WHERE id = (SELECT q.finding_id FROM action a JOIN question q ON q.id = a.question_id WHERE a.id = 12);
UPDATE response SET text = $($H response) WHERE id = (SELECT response_id FROM action WHERE id = 12);
UPDATE agency SET name = $($H agency) WHERE id = (SELECT agency_id FROM action WHERE id = 12);
UPDATE review SET name = $($H review), board = $($H board) WHERE id = (SELECT review_id FROM action WHERE id = 3);
INSERT INTO note(action_id, at, user, source, text) VALUES (12, '2016-06-01T10:00:00Z', $($H user), 'cli', $($H note));
INSERT INTO change_log(action_id, at, user, field, old_value, new_value, source, reason, batch)
       VALUES (12, '2016-06-02T10:00:00Z', $($H user), 'lead', $($H old), $($H new), 'cli', $($H reason), 999999);
"
}
