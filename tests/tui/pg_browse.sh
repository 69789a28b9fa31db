#!/usr/bin/env bash
# The browser on PostgreSQL: data/'s plans in a SQLite file and, after db copy, on the
# test's own server (tests/pg.sh) show the same screens key for key: the first window,
# G and g, a page down, every sort and its end, a RAG filter, the agency picker and an
# agency, overdue, a search and its detail pane (the matched words marked), the
# dashboard.  Then what only a server has: the screen state kept across a restart in
# the login's own rows, an agency lead's login that sees only its agency (as --as-agency
# does on the file), another connection's commit shown without a key press, and two
# browsers on the server: one's RAG edit and undo (logged with the login) appear in the
# other by themselves.
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/../pg.sh"
copy_db
pg_start
trap 'tui_kill_all; pg_stop; rm -rf "$T"' EXIT      # both files' clean-ups (each set its own)
URL=$(pg_db t_browse)
check_status "db copy" 0 "$RT" db copy "$T/db" "$URL"
as_url() { echo "postgresql://$1@/t_browse?host=$PG_DIR"; }

# The screen with the database's name in the top bar made the same (the file is "db",
# the server's database "t_browse") and the top bar's runs of blanks folded.
same_screen() { screen | sed '1s/^ [^ ]* / DB /; 1s/  */ /g'; }
# below the top bar, with the colours and attributes (a search's marks among them)
marked_screen() { screen -e | sed 1d; }
# snap NAME: on the file, keep the screen as it is now; on the server, wait until the
# screen is the file's (the keys' effect drawn), failing with both when it never is.
snap() {
	if [ "$ENGINE" = lite ]; then
		same_screen >"$T/lite.$1"
		marked_screen >"$T/lite.$1.e"
	else
		wait_eq "the server's screen '$1' is the file's" "$(cat "$T/lite.$1")" same_screen || return 0
		check_eq "the server's screen '$1', with its colours and marks, is the file's" "$(marked_screen)" \
			"$(cat "$T/lite.$1.e")"
	fi
}
# on WAIT: on the file, wait until the bottom line shows WAIT (on the server, snap
# compares the whole screen instead); on_screen WAIT: until the screen shows it.
on() { [ "$ENGINE" != lite ] || wait_bottom "$1"; }
on_screen() { [ "$ENGINE" != lite ] || wait_for "$1"; }

walk() {
	ENGINE=$1
	shift
	tui_start "$@"
	on "1/629"; snap first
	keys G; on "629/629"; snap end
	keys g; on "1/629"; snap start
	keys NPage; on "27/629"; snap page
	keys g
	local sort
	for sort in target rag agency updated lead; do
		keys s; on "sorted by $sort"; snap "sort_$sort"
		keys G; on "629/629"; snap "sort_${sort}_end"
		keys g; on "1/629"
	done
	keys s; on "sorted by review, question and agency"
	keys 3; on "1/76"; snap green
	keys 3; on "1/629"
	keys a; on_screen "Agencies: type to narrow"; snap picker
	type_text NELFT; keys Enter; on "1/71"; snap agency
	keys c; on "filters cleared"
	keys o; on "1/18"; snap overdue
	keys o; on "1/629"
	# a search's ranking is each engine's own (bm25, ts_rank): sorted, the same rows
	keys /; type_text training; keys Enter; on "1/167"
	keys s; on "sorted by target"; snap search
	keys G; on "167/167"; snap search_end
	keys g j j; on "3/167"; keys Enter; on "3/167"; snap search_detail
	keys Escape c; on "filters cleared"
	keys s s s s s; on "sorted by review, question and agency"
	keys d; on "Enter list its actions"; snap dashboard
	keys Escape; on "1/629"
	keys q
	check_eq "$ENGINE: exit status" "$(wait_exit)" 0
	tui_stop
}
walk lite
walk pg --db "$URL"

# ---- screen state, the login's own -------------------------------------------------------
# The board's login (rt: the schema's owner) leaves a filter, a sort and a cursor...
tui_start --db "$URL"
wait_bottom "1/629"
keys 2 3; wait_for "Amber or Green"
keys s; wait_bottom "sorted by target"
keys j j j j j; wait_bottom "6/103"
same_screen >"$T/state"
keys q
check_eq "exit after leaving a state" "$(wait_exit)" 0
tui_stop
# ... and finds them on the next start.
tui_start --db "$URL"
wait_eq "the screen state kept across a restart" "$(cat "$T/state")" same_screen
tui_stop
check_eq "the state's rows are the login's, stamped by the server" \
	"$(pg_q t_browse "SELECT DISTINCT login FROM ragtrack.ui_state")" "rt"
# the place saved with the server's data stamp (cursor, top, action, stamp)
BOARD_CURSOR=$(pg_q t_browse "SELECT value FROM ragtrack.ui_state WHERE key LIKE 'tui.cursor%'")
check_eq "the board's place saved with a stamp" "$(wc -w <<<"$BOARD_CURSOR" | tr -d ' ')" 4

# ---- an agency lead's login ----------------------------------------------------------------
check_status "lead add" 0 "$RT" --db "$URL" agency lead add Police j_smith
# The file under --as-agency is what a lead sees; the lead's login has that lens itself.
tui_start --as-agency Police
wait_bottom "1/55"
same_screen >"$T/lite.lead"
tui_stop
tui_start --db "$(as_url j_smith)"
wait_eq "a lead's login sees its agency's actions, as --as-agency on the file" "$(cat "$T/lite.lead")" same_screen
keys a; wait_for "Agencies: type to narrow"
wait_for "│[ ] Police "
check_eq "the lead's agency picker names its agency alone" "$(screen | grep -c '│\[ \] ')" 1
keys Escape; wait_bottom "1/55"
keys j j; wait_bottom "3/55"
keys q
check_eq "the lead's exit" "$(wait_exit)" 0
tui_stop
check_eq "each login's screen state in its own rows" \
	"$(pg_q t_browse "SELECT login, count(*) FROM ragtrack.ui_state GROUP BY login ORDER BY login")" \
	"$(printf 'j_smith|2\nrt|2')"
check_eq "a lead reads only its own screen state" \
	"$(PGUSER=j_smith psql -X -At -d t_browse -c "SELECT DISTINCT login FROM ragtrack.ui_state")" "j_smith"
tui_start --db "$(as_url j_smith)"
wait_bottom "3/55"               # its own cursor, not the board's
tui_stop
# the lead's stamp is of what its login sees (row-level security): not the board's
LEAD_CURSOR=$(PGUSER=j_smith psql -X -At -d t_browse -c "SELECT value FROM ragtrack.ui_state WHERE key LIKE 'tui.cursor%'")
check_eq "the lead's place saved with a stamp" "$(wc -w <<<"$LEAD_CURSOR" | tr -d ' ')" 4
[ "${LEAD_CURSOR##* }" != "${BOARD_CURSOR##* }" ] ||
	fail "the lead's stamp is its own view's: ${LEAD_CURSOR##* }, the board's ${BOARD_CURSOR##* }"

# ---- edits on the server; other connections' commits shown ---------------------------------
tui_start --db "$URL"
wait_bottom "6/103"
keys c; wait_bottom "filters cleared"
wait_for " R 0 "
# another connection (psql) turns an action red: the counts change without a key press
pg_q t_browse "UPDATE ragtrack.action SET rag = 1 WHERE id = 3" >/dev/null || fail "psql update"
wait_for " R 1 "
# two browsers on the server: the second sets a RAG, the first shows it by itself
A_SOCK=$TUI_SOCK
mv "$T/pid" "$T/pid.a"              # lib.bash watches one program: this one is left running
tui_start --db "$URL"
B_SOCK=$TUI_SOCK
wait_bottom "/629"
wait_for " R 1 "
keys r r
wait_bottom "is now Red"
id=$(bottom | sed -n 's/^#\([0-9]*\) is now Red.*/\1/p')
[ -n "$id" ] || fail "the second browser's edit names no action: $(bottom)"
check_eq "the edit is on the server, from the browser" \
	"$(pg_q t_browse "SELECT a.rag, c.source, c.login FROM ragtrack.action a JOIN ragtrack.change_log c ON c.action_id = a.id
	WHERE a.id = $id ORDER BY c.id DESC LIMIT 1")" "1|tui|rt"
TUI_SOCK=$A_SOCK
wait_bottom "updated by others"
wait_for " R 2 "
TUI_SOCK=$B_SOCK
keys u
wait_bottom "undone:"
TUI_SOCK=$A_SOCK
wait_for " R 1 "
TUI_SOCK=$B_SOCK
tui_stop
TUI_SOCK=$A_SOCK
mv "$T/pid.a" "$T/pid"
tui_stop
check_status "the server's chain after the browsers' edits" 0 "$RT" --db "$URL" check
finish
