#!/usr/bin/env bash
# ragtrack db copy URL FILE, backup and import on PostgreSQL, on the tests' own server.
# data/ goes SQLite -> PostgreSQL -> SQLite and comes back the same: export, history and
# list byte for byte, every table's rows with their types, the change log's hash chain,
# check sound; a file with rows is refused and left as it was.  backup on PostgreSQL
# writes a SQLite file any ragtrack opens.  import on PostgreSQL says what an import into
# a file says and holds what it holds; so does a re-import (an agency's return), while an
# edit waits for it; a broken return or a lead's login is refused, the server unchanged.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../pg.sh"
need sqlite3
pg_start
export RAGTRACK_NOW=2016-06-30T12:00:00Z
SRC=$T/src.db
cp "$ROOT/build/data.db" "$SRC"
DB=$SRC
rt set 3 rag=red lead='A. Smith' --reason 'board asked' >/dev/null || fail "set"
rt set 4 evidence=$'audit report\\2016\tsee p.2\r\nend' >/dev/null || fail "set evidence"
rt set 6 rag=blue evidence='signed off' >/dev/null || fail "set 6"
rt undo >/dev/null || fail "undo"
rt note 5 $'line one\nline\\two\tand a tab \\N' >/dev/null || fail "note"
rt note 9 'a second note' >/dev/null || fail "note 9"
rt board record "June board" --date 2016-06-01 >/dev/null || fail "board record"
rt agency alias Police "Cambs Police" >/dev/null || fail "agency alias"
sqlite3 "$SRC" "INSERT INTO ui_state(user, key, value) VALUES ('tester', 'sort', 'rag')"
rt import "$TESTDATA/dhr-action-plan.csv" >/dev/null || fail "import of a plan with an extra field"
[ "$(q 'SELECT count(*) FROM extra_field')" -gt 0 ] || fail "no extra fields to copy"
ACTIONS=$(q 'SELECT count(*) FROM action') CHANGES=$(q 'SELECT count(*) FROM change_log')

URL=$(pg_db t_there)
check_status "db copy there" 0 "$RT" db copy "$SRC" "$URL"
BACK=$T/back.db
check_status "db copy back" 0 "$RT" db copy "$URL" "$BACK"
check_eq "what db copy back says" "$(cat "$T/out")" "$BACK: copied from $PG_DIR/t_there: reviews 6, actions $ACTIONS, notes 2, change-log entries $CHANGES, boards recorded 1 (ids kept; search index and RAG totals rebuilt)"
check_eq "nothing left beside the file" "$(ls -A "$T" | grep -c '^\.back\.db')" 0

# What users see, byte for byte.
for cmd in export history "list --format json" "list --format csv --columns extras" "show 5" "board list" "agency list"; do
	"$RT" --db "$SRC" $cmd >"$T/want" 2>&1 || fail "$cmd on the original"
	"$RT" --db "$BACK" $cmd >"$T/got" 2>&1 || fail "$cmd on the copy"
	[ -s "$T/want" ] || fail "$cmd printed nothing"
	cmp -s "$T/want" "$T/got" || { fail "$cmd differs after the round trip"; diff "$T/want" "$T/got" | head -5 >&2; }
done
check_status "check on the copy" 0 "$RT" --db "$BACK" check
check_contains "check's verdict" "$(cat "$T/out")" "database is sound"
check_contains "the index compared" "$(cat "$T/out")" "search index against the text: ok"

# Every table's rows with their SQLite types (quote mode: 3 is not '3'), the derived
# RAG totals as counts (the original keeps zero rows of totals that moved away).
for table in $(q "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'action_fts%'
		AND name NOT IN ('rag_count', 'sqlite_stat1') ORDER BY name"); do
	order=$(q "SELECT group_concat('\"' || name || '\"', ', ') FROM pragma_table_info('$table')")
	sqlite3 -cmd '.mode quote' "$SRC" "SELECT * FROM \"$table\" ORDER BY $order" >"$T/a.$table"
	sqlite3 -cmd '.mode quote' "$BACK" "SELECT * FROM \"$table\" ORDER BY $order" >"$T/b.$table"
	cmp -s "$T/a.$table" "$T/b.$table" || { fail "table $table differs"; diff "$T/a.$table" "$T/b.$table" | head -6 >&2; }
	check_eq "rows of $table" "$(sqlite3 "$BACK" "SELECT count(*) FROM \"$table\"")" \
		"$(q "SELECT count(*) FROM \"$table\"")"
done
check_eq "tables compared" "$(ls "$T"/a.* | wc -l)" 15
check_eq "RAG totals" "$(sqlite3 "$BACK" 'SELECT * FROM rag_count WHERE n <> 0 ORDER BY 1, 2, 3')" \
	"$(q 'SELECT * FROM rag_count WHERE n <> 0 ORDER BY 1, 2, 3')"
check_eq "the change log's hashes" "$(sqlite3 "$BACK" 'SELECT id, prev_hash, hash FROM change_log ORDER BY id')" \
	"$(q 'SELECT id, prev_hash, hash FROM change_log ORDER BY id')"
check_eq "the schema version" "$(sqlite3 "$BACK" 'PRAGMA user_version')" "$(q 'PRAGMA user_version')"
check_eq "a search" "$("$RT" --db "$BACK" list --search 'audit report' --format csv)" \
	"$("$RT" --db "$SRC" list --search 'audit report' --format csv)"
check_status "the copy takes an edit" 0 "$RT" --db "$BACK" set 7 rag=amber
check_eq "new ids after the copied ones" "$(sqlite3 "$BACK" 'SELECT max(id) FROM change_log')" $((CHANGES + 1))

# Into a file with rows: refused, the file as it was.
before=$(sum_file "$SRC")
check_status "db copy into a file with rows" 7 "$RT" db copy "$URL" "$SRC"
check_eq "its refusal" "$(cat "$T/err")" "ragtrack: $SRC: already holds actions or other rows: db copy writes only into a new file or one without them (nothing was copied)"
check_eq "the file after the refusal" "$(sum_file "$SRC")" "$before"
# Into an empty ragtrack file (db init): filled.
check_status "db init of a file" 0 "$RT" --db "$T/empty.db" db init
check_status "db copy into an empty file" 0 "$RT" db copy "$URL" "$T/empty.db"
check_eq "its export" "$("$RT" --db "$T/empty.db" export | sha256sum)" "$("$RT" --db "$SRC" export | sha256sum)"
check_status "db copy between two servers" 2 "$RT" db copy "$URL" "$URL"
check_contains "its message" "$(cat "$T/err")" "both PostgreSQL databases"

# backup on PostgreSQL: a SQLite file any ragtrack opens; an older backup is replaced.
echo old >"$T/bk.db"
check_status "backup on PostgreSQL" 0 "$RT" --db "$URL" backup "$T/bk.db"
check_eq "what backup says" "$(cat "$T/out")" "backup written to $T/bk.db"
check_eq "the backup is a SQLite database" "$(head -c 15 "$T/bk.db")" "SQLite format 3"
check_eq "nothing left beside the backup" "$(ls -A "$T" | grep -c '^\.bk\.db')" 0
check_status "check on the backup" 0 "$RT" --db "$T/bk.db" check
check_contains "check's verdict" "$(cat "$T/out")" "database is sound"
check_eq "the backup's export" "$("$RT" --db "$T/bk.db" export | sha256sum)" "$("$RT" --db "$SRC" export | sha256sum)"
check_eq "the backup's history" "$("$RT" --db "$T/bk.db" history | sha256sum)" "$("$RT" --db "$SRC" history | sha256sum)"
check_status "backup on PostgreSQL with no file" 2 "$RT" --db "$URL" backup

# import on PostgreSQL: the same words as into a file, the same data.
args=(--review Megan data/megan.csv --review Julia data/julia.csv --review "Children of Family Y" data/family-y.csv
	--review "")
for f in "$ROOT"/data/*.csv; do
	case "${f##*/}" in megan.csv | julia.csv | family-y.csv) ;; *) args+=("data/${f##*/}") ;; esac
done
URL3=$(pg_db t_import)
check_status "db init on the server" 0 "$RT" --db "$URL3" db init
cd "$ROOT" || exit 1
check_status "import into a file" 0 "$RT" --db "$T/imp.db" import "${args[@]}"
cp "$T/out" "$T/imp.lite"
check_status "import on PostgreSQL" 0 "$RT" --db "$URL3" import "${args[@]}"
check_file "what import on PostgreSQL says" "$T/out" "$T/imp.lite"
[ "$(wc -l <"$T/imp.lite")" -gt 20 ] || fail "import said too little"
check_eq "actions on the server" "$(pg_q t_import 'SELECT count(*) FROM ragtrack.action')" 629
check_status "db copy of the import back" 0 "$RT" db copy "$URL3" "$T/imp_back.db"
for cmd in export history "list --format json"; do
	check_eq "$cmd after import on PostgreSQL" "$("$RT" --db "$T/imp_back.db" $cmd | sha256sum)" \
		"$("$RT" --db "$T/imp.db" $cmd | sha256sum)"
done
check_status "check after import on PostgreSQL" 0 "$RT" --db "$T/imp_back.db" check
URL4=$(pg_db t_dry)
check_status "db init for a dry run" 0 "$RT" --db "$URL4" db init
check_status "a dry run on PostgreSQL" 0 "$RT" --db "$URL4" import --dry-run "${args[@]}"
check_eq "the dry run wrote nothing" "$(pg_q t_dry "SELECT count(*) FROM ragtrack.review")" 0

# A re-import on PostgreSQL (an agency's return): the same words and the same data as
# the same re-import into the file.
python3 - "$ROOT/data/megan.csv" "$T/megan2.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
rows[2][3] = "Red"                       # NELFT, question 1 (was Green)
rows[3][5] = "Evidence updated at the June board"
del rows[6]
rows.append(["21 A new question added after the board", "Police", "New action", "A", "30/09/2016", "", "DI Smith"])
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    csv.writer(f, lineterminator="\n").writerows(rows)
PY
cd "$T" || exit 1
check_status "re-import into the file" 0 "$RT" --db "$T/imp.db" import --withdraw-missing --review Megan megan2.csv
cp "$T/out" "$T/re.lite"
check_status "re-import on PostgreSQL" 0 "$RT" --db "$URL3" import --withdraw-missing --review Megan megan2.csv
check_file "what re-import on PostgreSQL says" "$T/out" "$T/re.lite"
check_contains "it changed something" "$(cat "$T/out")" "1 added, 2 updated"
rm -f "$T/imp_back.db"
check_status "db copy back after the re-import" 0 "$RT" db copy "$URL3" "$T/imp_back.db"
for cmd in export history "list --format json --include-withdrawn" "list --search evidence --format tsv"; do
	check_eq "$cmd after re-import on PostgreSQL" "$("$RT" --db "$T/imp_back.db" $cmd | sha256sum)" \
		"$("$RT" --db "$T/imp.db" $cmd | sha256sum)"
done
check_status "check on the server after the re-import" 0 "$RT" --db "$URL3" check
check_status "an unchanged re-import" 0 "$RT" --db "$URL3" import --review Megan megan2.csv
check_contains "changes nothing" "$(cat "$T/out")" "0 added, 0 updated"

# An edit while a re-import runs waits for it, then sees what it wrote: the version the
# editor read is stale, and the edit is refused with the words of any conflict.
sed -i 's/Evidence updated at the June board/Evidence updated again in July/' megan2.csv
ID=$("$RT" --db "$URL3" list --search "Evidence updated at the June board" --format tsv --columns id | sed -n 2p)
V=$("$RT" --db "$URL3" show "$ID" | sed -n 's/.*(version \([0-9]*\)).*/\1/p')
RAGTRACK_TEST_HOLD_COMMIT=$T/reimp "$RT" --db "$URL3" import --review Megan megan2.csv >"$T/reimp.out" 2>&1 & reimp=$!
wait_until test -e "$T/reimp.held" || fail "the re-import never reached its commit"
"$RT" --db "$URL3" --user bob set "$ID" lead=Bob --if-version "$V" >"$T/edit.out" 2>&1 & edit=$!
waiting() { [ "$(pg_q t_import "SELECT count(*) FROM pg_locks WHERE NOT granted")" -ge 1 ]; }
wait_until waiting || fail "the edit never waited for the re-import"
touch "$T/reimp"
wait $reimp || fail "the re-import: $(cat "$T/reimp.out")"
wait $edit; check_eq "the edit after it is refused" "$?" 7
check_contains "with a conflict's words" "$(cat "$T/edit.out")" "since you read it"
check_eq "the re-import's evidence kept" "$(pg_q t_import "SELECT evidence FROM ragtrack.action WHERE id = $ID")" \
	"Evidence updated again in July"

# A broken file, and a lead's login: refused in one line, the server unchanged.
dump() { "$PGBIN/pg_dump" --no-owner -d t_import | grep -Ev '^\\(un)?restrict ' | sha256sum; }
before=$(dump)
printf 'Questions,Agency,Actions,RAG\n1 Q,Police,a,G\n2 Q,Police,"half\n' >"$T/broken.csv"
check_status "a broken return" 4 "$RT" --db "$URL3" import --review Megan "$T/broken.csv"
check_contains "its line" "$(cat "$T/err")" "broken.csv:3: unterminated quoted field"
check_eq "the server after the broken return" "$(dump)" "$before"
check_status "lead add" 0 "$RT" --db "$URL3" agency lead add Police j_import
check_status "a lead's re-import" 8 "$RT" --db "postgresql://j_import@/t_import?host=$PG_DIR" import --review Megan megan2.csv
check_eq "its refusal" "$(cat "$T/err")" "ragtrack: $PG_DIR/t_import: importing is for the board's logins (j_import is not one) (nothing was imported)"
before=$(dump)
check_status "a lead's re-import leaves the server" 8 "$RT" --db "postgresql://j_import@/t_import?host=$PG_DIR" import --review Megan megan2.csv
check_eq "as it was" "$(dump)" "$before"

# Changes copied in from a file are no login's own: the login that copied them does not
# undo them without --force (it did not make them), and --force is recorded.
URL5=$(pg_db t_undo)
check_status "db copy of the edited file" 0 "$RT" db copy "$SRC" "$URL5"
check_eq "the copied changes keep no login" "$(pg_q t_undo "SELECT count(*) FROM ragtrack.change_log WHERE login IS NOT NULL")" 0
check_status "undo of a copied change" 6 "$RT" --db "$URL5" undo
check_contains "says whose" "$(cat "$T/err")" "the latest was made from a login the server did not record (the change was copied in from a file): ragtrack undo --force reverses it"
check_status "undo --force" 0 "$RT" --db "$URL5" undo --force
check_eq "the forced undo carries the login" "$(pg_q t_undo "SELECT DISTINCT login FROM ragtrack.change_log WHERE undoes IS NOT NULL")" rt
finish
