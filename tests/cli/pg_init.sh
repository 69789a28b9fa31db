#!/usr/bin/env bash
# ragtrack --db URL db init on a PostgreSQL server the test starts itself (tests/pg.sh):
# the schema is made in a PostgreSQL schema named ragtrack with schema.sql's tables and
# columns, stamped with the schema version; run again it changes nothing; a newer
# stamp is refused; two at once make it once; --board grants a login; and the derived
# data (RAG totals, search vectors) and the append-only change log work in the server.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../pg.sh"
need sqlite3
pg_start
DB=$(pg_db t_init)
VERSION=$("$RT" --version | sed 's/.*(schema \([0-9]*\)).*/\1/')

check_status "agency list before db init" 9 "$RT" --db "$DB" agency list
check_eq "no schema yet" "$(cat "$T/err")" "ragtrack: $PG_DIR/t_init: has no ragtrack schema (ragtrack --db URL db init creates it)"
check_status "db init" 0 "$RT" --db "$DB" db init
check_eq "what db init says" "$(cat "$T/out")" "$PG_DIR/t_init: created the ragtrack schema, version $VERSION"
check_eq "db init: stderr" "$(cat "$T/err")" ""
check_eq "the version stamp" "$(pg_q t_init "SELECT value FROM ragtrack.meta WHERE key = 'schema_version'")" "$VERSION"

# The same tables and columns as schema.sql (the SQLite schema), action's search vector
# standing in for the FTS5 index; the server's own tables (a lead's agencies, the data
# stamp's salt) aside.
"$RT" --db "$T/ref.db" db init >/dev/null || fail "db init of a SQLite file"
sqlite_cols=$(sqlite3 "$T/ref.db" "SELECT m.name || '.' || c.name FROM sqlite_master m, pragma_table_info(m.name) c
	WHERE m.type = 'table' AND m.name NOT LIKE 'action_fts%' AND m.name NOT LIKE 'sqlite_%' ORDER BY 1")
pg_cols=$(pg_q t_init "SELECT table_name || '.' || column_name FROM information_schema.columns
	WHERE table_schema = 'ragtrack' AND table_name NOT IN ('agency_lead', 'stamp_salt') AND (table_name, column_name) NOT IN (('action', 'search'), ('action', 'lead_key'), ('change_log', 'login'), ('ui_state', 'login')) ORDER BY (table_name || '.' || column_name)::text COLLATE \"C\"")
check_eq "tables and columns against schema.sql" "$pg_cols" "$sqlite_cols"
[ "$(echo "$pg_cols" | wc -l)" -gt 100 ] || fail "too few columns read: $(echo "$pg_cols" | wc -l)"
check_eq "text columns not in byte order (COLLATE \"C\")" "$(pg_q t_init "SELECT table_name || '.' || column_name
	FROM information_schema.columns WHERE table_schema = 'ragtrack' AND data_type = 'text'
	AND collation_name IS DISTINCT FROM 'C'")" ""
check_eq "ids that are not identities" "$(pg_q t_init "SELECT table_name FROM information_schema.columns
	WHERE table_schema = 'ragtrack' AND column_name = 'id' AND (is_identity <> 'YES' OR data_type <> 'bigint')")" ""
check_eq "the search index" "$(pg_q t_init "SELECT indexdef FROM pg_indexes WHERE schemaname = 'ragtrack'
	AND indexname = 'action_search'")" "CREATE INDEX action_search ON ragtrack.action USING gin (search)"

# Run again: says so and changes nothing (the whole database dumped before and after).
# (pg_dump writes a random \restrict key each time: left out)
dump() { "$PGBIN/pg_dump" --no-owner -d t_init | grep -Ev '^\\(un)?restrict ' >"$T/dump.sql" && sha256sum <"$T/dump.sql"; }
before=$(dump)
grep -q 'CREATE TABLE ragtrack.change_log' "$T/dump.sql" || fail "the dump holds no schema: $(head -c 300 "$T/dump.sql")"
check_status "db init again" 0 "$RT" --db "$DB" db init
check_eq "what it says the second time" "$(cat "$T/out")" \
	"$PG_DIR/t_init: the ragtrack schema is at version $VERSION already: nothing to change"
check_eq "the database after db init again" "$(dump)" "$before"
RAGTRACK_DB=$DB check_status "db init through RAGTRACK_DB" 0 "$RT" db init
check_contains "RAGTRACK_DB names the server" "$(cat "$T/out")" "$PG_DIR/t_init: the ragtrack schema is at version"
check_status "db init --read-only" 8 "$RT" --read-only --db "$DB" db init
check_eq "--read-only says why" "$(cat "$T/err")" \
	"ragtrack: db init creates or upgrades the schema: not with --read-only"

# Rows written by hand: the RAG totals and search vectors follow them; the change log
# refuses edits, deletes and TRUNCATE.
pg_q t_init "SET search_path = ragtrack;
	INSERT INTO review(name, created_at) VALUES ('Megan', 'now');
	INSERT INTO question(review_id, key, text) VALUES (1, '1', 'Gillick competence');
	INSERT INTO agency(name) VALUES ('Police');
	INSERT INTO response(question_id, agency_id, text) VALUES (1, 1, 'We will train staff');
	INSERT INTO action(review_id, question_id, agency_id, response_id, seq, text, rag, sort_key, created_at,
	    updated_at, touched_at) VALUES
	  (1, 1, 1, 1, 1, 'Audits of the café referrals', 1, 'a', 'now', 'now', 'now'),
	  (1, 1, NULL, 1, 2, 'Co-ordinate the skills/competency review', 2, 'b', 'now', 'now', 'now');
	UPDATE action SET rag = 4 WHERE id = 1;
	INSERT INTO note(action_id, at, \"user\", source, text) VALUES (2, 'now', 'u', 'cli', 'Safeguarding update');
	INSERT INTO change_log(action_id, at, \"user\", field, source, batch) VALUES (1, 'now', 'u', 'rag', 'cli', 1);" \
	>/dev/null || fail "writing rows"
check_eq "RAG totals" "$(pg_q t_init "SELECT review_id, agency_id, rag, n FROM ragtrack.rag_count WHERE n <> 0 ORDER BY 1, 2, 3")" \
	"1|0|2|1
1|1|4|1"
check_eq "RAG totals against the actions" "$(pg_q t_init "SELECT count(*) FROM (SELECT review_id, coalesce(agency_id, 0) g,
	rag, count(*) n FROM ragtrack.action GROUP BY 1, 2, 3) a FULL JOIN (SELECT * FROM ragtrack.rag_count WHERE n <> 0) c
	ON (c.review_id, c.agency_id, c.rag) = (a.review_id, a.g, a.rag) WHERE a.n IS DISTINCT FROM c.n")" 0
found() { pg_q t_init "SELECT string_agg(id::text, ' ' ORDER BY id) FROM ragtrack.action
	WHERE search @@ to_tsquery('ragtrack.rt_search', '$1')"; }
check_eq "search: a word form (audit)" "$(found audit)" 1
check_eq "search: without its accent (cafe)" "$(found cafe)" 1
check_eq "search: the question's text" "$(found gillick)" "1 2"
check_eq "search: the response's text (training)" "$(found training)" "1 2"
check_eq "search: a note" "$(found safeguarding)" 2
check_eq "search: words split at punctuation (skills, competency)" "$(found 'skills & competency')" 2
check_eq "search: a word as short as 'the'" "$(found the)" "1 2"
pg_q t_init "UPDATE ragtrack.question SET text = 'Information sharing' WHERE id = 1" >/dev/null
check_eq "search: a question's new text" "$(found sharing)|$(found gillick)" "1 2|"
for sql in "UPDATE ragtrack.change_log SET field = 'x'" "DELETE FROM ragtrack.change_log" "TRUNCATE ragtrack.change_log"; do
	if out=$(pg_q t_init "$sql" 2>&1); then fail "$sql: allowed"; fi
	check_contains "$sql" "$out" "the change log cannot be"
done
check_eq "the change log after the attempts" "$(pg_q t_init "SELECT count(*) FROM ragtrack.change_log")" 1

# The server's own revision (changes to its functions, triggers and policies between
# schema versions): stamped at db init; a newer one is refused as a newer version is.
REVISION=$(pg_q t_init "SELECT value FROM ragtrack.meta WHERE key = 'pg_revision'")
case $REVISION in ''|*[!0-9]*) fail "no revision stamp: '$REVISION'" ;; esac
pg_q t_init "UPDATE ragtrack.meta SET value = '99' WHERE key = 'pg_revision'" >/dev/null
check_status "agency list on a newer revision" 9 "$RT" --db "$DB" agency list
check_eq "the newer revision's message" "$(cat "$T/err")" \
	"ragtrack: $PG_DIR/t_init: PostgreSQL schema revision 99 is newer than this ragtrack knows ($REVISION); upgrade ragtrack"
check_status "db init on a newer revision" 9 "$RT" --db "$DB" db init
pg_q t_init "UPDATE ragtrack.meta SET value = '$REVISION' WHERE key = 'pg_revision'" >/dev/null
check_status "agency list at this revision" 0 "$RT" --db "$DB" agency list

# A database made before the revisions (revision 0: none of their functions and
# triggers): refused until db init brings it up, step by step, to what a new database
# has, function for function and trigger for trigger.
objects() {
	pg_q "$1" "SELECT string_agg(x, ' ' ORDER BY x) FROM (
		SELECT 'f:' || p.proname AS x FROM pg_proc p WHERE p.pronamespace = 'ragtrack'::regnamespace
		UNION ALL SELECT 't:' || c.relname || '.' || t.tgname FROM pg_trigger t
		  JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = 'ragtrack'::regnamespace AND NOT t.tgisinternal
		UNION ALL SELECT 'g:' || privilege_type || '(' || column_name || ')' FROM information_schema.column_privileges
		  WHERE table_schema = 'ragtrack' AND table_name = 'action' AND grantee = 't_old_lead' AND privilege_type = 'UPDATE') o"
}
OLD=$(pg_db t_old)
check_status "db init, a new database" 0 "$RT" --db "$OLD" db init
made=$(objects t_old)
check_contains "the revisions' functions" "$made" "f:rt_chain f:rt_changed"
check_contains "the revisions' triggers" "$made" "t:change_log.change_log_chain"
check_contains "revision 4's function" "$made" "f:rt_agency_merge"
pg_q t_old "SET search_path = ragtrack;
	DROP TRIGGER change_log_chain ON change_log; DROP FUNCTION rt_chain(); DROP FUNCTION rt_hashed(text);
	DO \$\$ DECLARE t text; BEGIN FOREACH t IN ARRAY ARRAY['action', 'note', 'response', 'question', 'finding',
	  'review', 'agency', 'agency_alias', 'extra_field'] LOOP
	  EXECUTE format('DROP TRIGGER %I ON %I', t || '_changed', t); END LOOP; END \$\$;
	DROP FUNCTION rt_changed();
	DROP TRIGGER meta_load_unfinished ON meta; DROP FUNCTION rt_load_unfinished(); DROP FUNCTION rt_load_begin();
	DROP FUNCTION rt_load_end(); DROP FUNCTION rt_agency_merge(bigint, bigint);
	REVOKE UPDATE (first_target_date) ON action FROM t_old_lead;
	UPDATE meta SET value = '0' WHERE key = 'pg_revision'" >/dev/null || fail "making a revision-0 database"
check_status "agency list at revision 0" 9 "$RT" --db "$OLD" agency list
check_eq "an old revision's message" "$(cat "$T/err")" \
	"ragtrack: $PG_DIR/t_old: needs a schema upgrade (PostgreSQL revision 0 to $REVISION): ragtrack --db URL db init"
check_status "db init upgrades it" 0 "$RT" --db "$OLD" db init
check_eq "what db init says" "$(cat "$T/out")" \
	"$PG_DIR/t_old: upgraded the PostgreSQL schema from revision 0 to $REVISION"
check_eq "the upgraded database has what a new one has" "$(objects t_old)" "$made"
check_eq "its stamp" "$(pg_q t_old "SELECT value FROM ragtrack.meta WHERE key = 'pg_revision'")" "$REVISION"
check_status "db init again" 0 "$RT" --db "$OLD" db init
check_eq "again: nothing to change" "$(sed 's/^[^:]*: //' "$T/out")" \
	"the ragtrack schema is at version $VERSION already: nothing to change"

# A database of schema version 3 (its RAG totals without target dates, the revision before
# their triggers counted them): db init upgrades it to version 4, the totals counted.
V3=$(pg_db t_v3)
check_status "db init, a database for version 3" 0 "$RT" --db "$V3" db init
check_status "its plans" 0 "$RT" --db "$V3" import "$DATA"/*.csv
pg_q t_v3 "ALTER TABLE ragtrack.rag_count DROP COLUMN dated;
	UPDATE ragtrack.meta SET value = '3' WHERE key = 'schema_version';
	UPDATE ragtrack.meta SET value = '8' WHERE key = 'pg_revision'" >/dev/null || fail "making a version-3 database"
check_status "list at version 3" 9 "$RT" --db "$V3" list --overdue
check_contains "version 3's message" "$(cat "$T/err")" "needs a schema upgrade (version 3 to $VERSION)"
vacuumed() { pg_q t_v3 "SELECT coalesce(last_vacuum::text, '-') FROM pg_stat_user_tables
	WHERE schemaname = 'ragtrack' AND relname = 'action'"; }
before=$(vacuumed)
check_status "db init upgrades version 3" 0 "$RT" --db "$V3" db init
check_eq "what db init says of version 3" "$(cat "$T/out")" \
	"$PG_DIR/t_v3: upgraded the ragtrack schema from version 3 to $VERSION"
[ "$(vacuumed)" != "$before" ] && [ "$(vacuumed)" != - ] ||
	fail "the upgrade did not vacuum the action table it may rewrite (last vacuum: $(vacuumed), before: $before)"
dated() { pg_q t_v3 "SELECT (SELECT sum(dated) FROM ragtrack.rag_count) || ' ' ||
	(SELECT count(target_date) FROM ragtrack.action)"; }
read -r counted actions <<<"$(dated)"
check_eq "the upgraded totals count the target dates" "$counted" "$actions"
[ "$actions" -gt 0 ] || fail "no target dates in data/"
check_status "an edit after the upgrade" 0 "$RT" --db "$V3" --user tester set 3 target=
read -r counted actions <<<"$(dated)"
check_eq "the revision's triggers count a cleared target" "$counted" "$actions"
check_status "check after the upgrade" 0 "$RT" --db "$V3" check

# A stamp newer than this ragtrack: refused, nothing changed.
pg_q t_init "UPDATE ragtrack.meta SET value = '99' WHERE key = 'schema_version'" >/dev/null
check_status "db init on a newer schema" 9 "$RT" --db "$DB" db init
check_eq "the newer schema's message" "$(cat "$T/err")" \
	"ragtrack: $PG_DIR/t_init: schema version 99 is newer than this ragtrack knows ($VERSION); upgrade ragtrack"
check_status "agency list on a newer schema" 9 "$RT" --db "$DB" agency list
check_contains "agency list's refusal" "$(cat "$T/err")" "schema version 99 is newer than this ragtrack knows"
check_eq "the newer stamp is kept" "$(pg_q t_init "SELECT value FROM ragtrack.meta WHERE key = 'schema_version'")" 99

# Two db init at once on a new database: one makes the schema, the other finds it made.
DB2=$(pg_db t_twice)
"$RT" --db "$DB2" db init >"$T/one.out" 2>&1 & one=$!
"$RT" --db "$DB2" db init >"$T/two.out" 2>&1 & two=$!
wait $one || fail "the first of two db init: $(cat "$T/one.out")"
wait $two || fail "the second of two db init: $(cat "$T/two.out")"
check_eq "two at once" "$(cat "$T/one.out" "$T/two.out" | sed 's/^[^:]*: //' | sort)" \
	"created the ragtrack schema, version $VERSION
the ragtrack schema is at version $VERSION already: nothing to change"

# The same, made certain: the first holds its transaction open (a test hook) until the
# second has looked for the schema and is waiting for the first's lock; then the second
# must find the schema made, not try to make it again.
DB3=$(pg_db t_race)
RAGTRACK_TEST_HOLD_INIT=$T/go "$RT" --db "$DB3" db init >"$T/first.out" 2>&1 & first=$!
wait_until test -e "$T/go.held" || fail "the first db init never reached its commit"
"$RT" --db "$DB3" db init >"$T/second.out" 2>&1 & second=$!
waiting() { [ "$(pg_q t_race "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")" = 1 ]; }
wait_until waiting || fail "the second db init never waited for the first"
touch "$T/go"
wait $first || fail "the first db init, held: $(cat "$T/first.out")"
wait $second || fail "the second db init, behind the first: $(cat "$T/second.out")"
check_eq "the second finds the schema made" "$(sed 's/^[^:]*: //' "$T/second.out")" \
	"the ragtrack schema is at version $VERSION already: nothing to change"

# --board LOGIN: the login must exist; then it may change every table but the records.
check_status "--board with no such login" 6 "$RT" --db "$DB2" db init --board clerk
check_eq "no such login" "$(cat "$T/err")" \
	"ragtrack: $PG_DIR/t_twice: --board: no login 'clerk' on this server (create it first: CREATE ROLE clerk LOGIN)"
pg_q postgres "CREATE ROLE clerk LOGIN" >/dev/null
check_status "--board clerk" 0 "$RT" --db "$DB2" db init --board clerk
check_contains "--board says what it granted" "$(cat "$T/out")" \
	"$PG_DIR/t_twice: clerk is a board member (role t_twice_board): it may read and change every table"
check_eq "the login's rights" "$(pg_q t_twice "SELECT string_agg(t || ':' || p || '=' ||
	has_table_privilege('clerk', 'ragtrack.' || t, p)::text, ' ' ORDER BY t, p) FROM unnest(array['action', 'change_log']) t,
	unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE']) p")" \
	"action:DELETE=true action:INSERT=true action:SELECT=true action:UPDATE=true change_log:DELETE=false change_log:INSERT=true change_log:SELECT=true change_log:UPDATE=false"
check_eq "the board login is recorded" "$(pg_q t_twice "SELECT value FROM ragtrack.meta WHERE key = 'board_login'")" clerk
finish
