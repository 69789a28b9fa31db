#!/usr/bin/env bash
# ragtrack db copy FILE URL: a SQLite database into PostgreSQL with COPY, on the tests'
# own server.  Every row of every table arrives as it was (ids, change log with its hash
# chain, notes with tabs, newlines and backslashes, boards, screen state); the RAG totals
# and search vectors are rebuilt and agree with SQLite's; new rows get new ids; a
# destination with rows, or a row PostgreSQL cannot hold, leaves the destination as it was.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../pg.sh"
need sqlite3
pg_start
SRC=$T/src.db
cp "$ROOT/build/data.db" "$SRC"
DB=$SRC
rt set 3 rag=red lead='A. Smith' --reason 'board asked' >/dev/null || fail "set"
rt set 4 evidence=$'audit report\\2016\tsee p.2' >/dev/null || fail "set evidence"
rt undo >/dev/null || fail "undo"
rt note 5 $'line one\nline\\two\tand a tab' >/dev/null || fail "note"
rt board record "June board" --date 2016-06-01 >/dev/null || fail "board record"
for alias in "Cambs Police" "bedfordshire police" "Avon Constabulary"; do
	rt agency alias Police "$alias" >/dev/null || fail "agency alias $alias"
done
sqlite3 "$SRC" "INSERT INTO ui_state(user, key, value) VALUES ('tester', 'sort', 'rag')"

URL=$(pg_db t_copy)
check_status "db copy" 0 "$RT" db copy "$SRC" "$URL"
check_eq "what db copy says" "$(cat "$T/out")" "$PG_DIR/t_copy: created the ragtrack schema, version $("$RT" --version | sed 's/.*(schema \([0-9]*\)).*/\1/')
$PG_DIR/t_copy: copied from $SRC: reviews 5, actions 629, notes 1, change-log entries 4, boards recorded 1 (ids kept; search vectors and RAG totals rebuilt)"

# Every table, row by row, in key order, NULL shown as such.
lite() { sqlite3 -cmd '.nullvalue <NULL>' "$SRC" "$1"; }
pgq() { psql -X -q -At -P 'null=<NULL>' -d t_copy -c "SET search_path = ragtrack" -c "$1"; }
for spec in meta:key review:id finding:id question:id agency:id 'agency_alias:lower(alias)' response:id action:id \
	extra_field:review_id,pos change_log:id note:id rag_word:review_id,word ui_state:user,key board:id \
	board_action:board_id,action_id; do
	table=${spec%%:*} key=${spec#*:}
	cols=$(pgq "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) FROM information_schema.columns
		WHERE table_schema = 'ragtrack' AND table_name = '$table' AND column_name NOT IN ('search', 'login', 'lead_key')")
	key=${key//user/\"user\"}
	lcols=$cols   # the file's import signature is a BLOB: shown as psql shows a bytea
	[ "$table" = action ] && lcols=${cols/import_sig/"'\\x' || lower(hex(import_sig))"}
	lite "SELECT $lcols FROM $table ORDER BY $key" >"$T/lite.$table"
	own=""    # the destination's own meta rows: its schema version, the server's revision
	[ "$table" = meta ] && own="WHERE key NOT IN ('schema_version', 'pg_revision')"
	pgq "SELECT $cols FROM $table $own ORDER BY $key" >"$T/pg.$table"
	if ! cmp -s "$T/lite.$table" "$T/pg.$table"; then
		fail "table $table differs"; diff "$T/lite.$table" "$T/pg.$table" | head -10 >&2
	fi
done
check_eq "actions copied" "$(pgq 'SELECT count(*) FROM action')" 629
check_eq "the screen state's login: the one that copied" "$(pgq 'SELECT DISTINCT login FROM ui_state')" rt
check_eq "the copied changes' login: none (no login on the server made them)" \
	"$(pgq 'SELECT count(*) FROM change_log WHERE login IS NOT NULL')" 0
check_eq "change-log rows compared" "$(lite 'SELECT count(*) FROM change_log')" 4
[ -s "$T/pg.change_log" ] && [ -s "$T/pg.note" ] && [ -s "$T/pg.board_action" ] || fail "tables read empty"
check_contains "the note's tab, newline and backslash" "$(cat "$T/pg.note")" $'line one\nline\\two\tand a tab'
check_eq "the change log's last hash" "$(tail -n 1 "$T/pg.change_log" | awk -F'|' '{print $NF}')" \
	"$(lite 'SELECT hash FROM change_log ORDER BY id DESC LIMIT 1')"
check_eq "RAG totals" "$(pgq 'SELECT review_id, agency_id, rag, n FROM rag_count WHERE n <> 0 ORDER BY 1, 2, 3')" \
	"$(lite 'SELECT review_id, agency_id, rag, n FROM rag_count WHERE n <> 0 ORDER BY 1, 2, 3')"
check_eq "actions without a search vector" "$(pgq 'SELECT count(*) FROM action WHERE search IS NULL')" 0

# agency list: the same code on both engines (the statement layer), the same output:
# names and aliases in NOCASE order (CRC among the C's, bedfordshire before Cambs).
check_status "agency list on PostgreSQL" 0 "$RT" --db "$URL" agency list
cp "$T/out" "$T/agencies.pg"
check_status "agency list on SQLite" 0 "$RT" --db "$SRC" agency list
check_file "agency list on PostgreSQL against SQLite" "$T/agencies.pg" "$T/out"
check_contains "the aliases in NOCASE order" "$(cat "$T/agencies.pg")" "Avon Constabulary, bedfordshire police, Cambs Police"
check_eq "agencies listed" "$(wc -l <"$T/agencies.pg")" "$(($(lite 'SELECT count(*) FROM agency') + 1))"
check_status "agency alias on PostgreSQL" 0 "$RT" --db "$URL" agency alias Police "Kent Police"
check_eq "agency alias on the copy" "$(cat "$T/out")" "'Kent Police' is now an alias of 'Police'"

# New rows take ids after the copied ones.
check_eq "the next ids" "$(pgq "SELECT nextval(pg_get_serial_sequence('ragtrack.action', 'id')),
	nextval(pg_get_serial_sequence('ragtrack.change_log', 'id')), nextval('change_batch')")" \
	"$(lite 'SELECT (SELECT max(id) + 1 FROM action), (SELECT max(id) + 1 FROM change_log), (SELECT max(batch) + 1 FROM change_log)')"

# The same actions found for the 400 commonest words of the plans as FTS5 finds, but
# where the stemmers differ: FTS5's porter is Porter's first stemmer, PostgreSQL's
# english snowball his second (porter makes "one" "on" and "gps" "gp", snowball keeps
# them; porter makes "community" "commun", as "communication").  Those words are named
# here, and the check fails if one of them comes to agree, so the list stays true.
STEMS="lscb use scr was used scrs gps clear focus regular significant community directly addition using one joint high"
words=$(lite "SELECT text FROM action" | tr -cs 'A-Za-z' '\n' | tr 'A-Z' 'a-z' | sort | uniq -c | sort -rn |
	awk '$2 ~ /^[a-z]+$/ && length($2) > 2 { print $2 }' | head -n 400)
agree=0 differ=""
for w in $words; do
	a=$(lite "SELECT group_concat(rowid) FROM (SELECT rowid FROM action_fts WHERE action_fts MATCH '\"$w\"' ORDER BY rowid)")
	b=$(pgq "SELECT string_agg(id::text, ',' ORDER BY id) FROM action WHERE search @@ phraseto_tsquery('rt_search', rt_fold('$w'))")
	[ -n "$a" ] || fail "search: '$w' finds nothing on SQLite"
	if [ "$a" = "$b" ]; then agree=$((agree + 1)); else differ="$differ $w"; fi
done
check_eq "words searched" "$(echo "$words" | wc -l)" 400
check_eq "words whose actions differ (the stemmers')" "${differ# }" "$STEMS"
check_eq "words that agree" "$agree" 382

# Into a database that has rows: refused, nothing changed.
before="$(pgq "SELECT count(*) FROM action")|$(pgq "SELECT count(*) FROM change_log")"
check_status "db copy into a database with rows" 7 "$RT" db copy "$SRC" "$URL"
check_eq "its refusal" "$(cat "$T/err")" "ragtrack: $PG_DIR/t_copy: already holds actions or other rows: db copy writes only into a database without them (nothing was copied)"
check_eq "the rows after the refusal" "$(pgq "SELECT count(*) FROM action")|$(pgq "SELECT count(*) FROM change_log")" "$before"

# A text PostgreSQL cannot hold (invalid UTF-8, written behind ragtrack's back): the copy
# fails naming the table, and leaves nothing behind, not even the schema.
cp "$ROOT/build/data.db" "$T/bad.db"
sqlite3 "$T/bad.db" "UPDATE action SET lead = CAST(X'419b42' AS TEXT) WHERE id = 7"
URL2=$(pg_db t_bad)
check_status "db copy of invalid UTF-8" 9 "$RT" db copy "$T/bad.db" "$URL2"
check_contains "its message" "$(cat "$T/err")" "copying action: "
check_contains "the server's reason" "$(cat "$T/err")" 'invalid byte sequence for encoding "UTF8": 0x9b'
check_eq "nothing left in the database" "$(pg_q t_bad "SELECT to_regnamespace('ragtrack') IS NULL")" t

# A file into a file (that is backup), and arguments (back into a file:
# tests/cli/pg_copy_back.sh).
check_status "copy into a file" 2 "$RT" db copy "$SRC" "$T/back.db"
check_contains "its message" "$(cat "$T/err")" "db copy: FROM or TO must be a PostgreSQL database"
check_status "copy with one argument" 2 "$RT" db copy "$SRC"
[ ! -e "$T/back.db" ] || fail "a file was made: $T/back.db"
finish
