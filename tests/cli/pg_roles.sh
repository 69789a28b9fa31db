#!/usr/bin/env bash
# Roles on a PostgreSQL server the test starts itself (tests/pg.sh): db init makes the
# board, read-only and lead roles, and one group role per agency (agencies added later
# too); ragtrack agency lead add/remove/list (the board's only; refused on a SQLite
# file); and through psql as each login: a lead sees and changes only its agency's rows
# in every table of an agency's data, cannot move an action, cannot touch the change log
# or forge its login, cannot raise its role; the read-only login writes nothing; a board
# login sees and changes everything but the change log.  The logins have no passwords:
# the tests' server admits any login over its own unix socket (trust, tests/pg.sh).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../pg.sh"
pg_start
DB=$(pg_db t_roles)
as_url() { echo "postgresql://$1@/t_roles?host=$PG_DIR"; }
# SQL as a login: rows as a|b lines, then the command's tag (UPDATE 0); psql's messages
# (the refusals) on stdout too.
as() { PGUSER=$1 PGOPTIONS="-c search_path=ragtrack,public" psql -X -At -d t_roles -c "$2" 2>&1; }
refused() {   # LOGIN SQL WHAT: the statement fails, with the server's reason
	local out
	out=$(PGUSER=$1 PGOPTIONS="-c search_path=ragtrack,public" psql -X -q -At -v ON_ERROR_STOP=1 -d t_roles -c "$2" 2>&1) &&
		fail "$1: $2: allowed: $out"
	check_contains "$1: $2" "$out" "$3"
}

pg_q postgres "CREATE ROLE clerk LOGIN" >/dev/null
check_status "db init --board clerk" 0 "$RT" --db "$DB" db init --board clerk
check_eq "the roles made" "$(pg_q t_roles "SELECT string_agg(rolname, ' ' ORDER BY rolname) FROM pg_roles
	WHERE rolname LIKE 't\_roles\_%'")" "t_roles_board t_roles_lead t_roles_readonly"
pg_q postgres "CREATE ROLE viewer LOGIN IN ROLE t_roles_readonly" >/dev/null
check_eq "clerk is in the board's role" "$(pg_q t_roles "SELECT pg_has_role('clerk', 't_roles_board', 'MEMBER')")" t

# Two agencies' data, written by the schema's owner: every table that holds an agency's data.
pg_q t_roles "SET search_path = ragtrack;
	INSERT INTO review(name, created_at) VALUES ('Megan', 'now');
	INSERT INTO question(review_id, key, text) VALUES (1, '1', 'Information sharing');
	INSERT INTO agency(name) VALUES ('Police'), ('Health');
	INSERT INTO agency_alias(alias, agency_id) VALUES ('Constabulary', 1);
	INSERT INTO response(question_id, agency_id, text) VALUES (1, 1, 'Police response'), (1, 2, 'Health response');
	INSERT INTO action(review_id, question_id, agency_id, response_id, seq, text, rag, sort_key, created_at,
	    updated_at, touched_at) VALUES
	  (1, 1, 1, 1, 1, 'Police one', 1, 'a', 'now', 'now', 'now'),
	  (1, 1, 1, 1, 2, 'Police two', 2, 'b', 'now', 'now', 'now'),
	  (1, 1, 2, 2, 1, 'Health one', 3, 'c', 'now', 'now', 'now');
	INSERT INTO note(action_id, at, \"user\", source, text) VALUES (1, 'now', 'u', 'cli', 'police note'),
	  (3, 'now', 'u', 'cli', 'health note');
	INSERT INTO change_log(action_id, at, \"user\", field, source, batch) VALUES (1, 'now', 'u', 'rag', 'cli', 1),
	  (3, 'now', 'u', 'rag', 'cli', 1);
	INSERT INTO board(name, held_on, recorded_at, recorded_by) VALUES ('March', '2026-03-01', 'now', 'u');
	INSERT INTO board_action(board_id, action_id, rag, target_raw, has_evidence, withdrawn) VALUES
	  (1, 1, 1, '', 0, 0), (1, 3, 3, '', 0, 0);
	INSERT INTO ui_state(\"user\", key, value) VALUES ('u', 'sort', 'rag');" >/dev/null || fail "writing rows"
check_eq "a group role per agency, made by the insert" "$(pg_q t_roles "SELECT string_agg(rolname || ' in ' ||
	(SELECT string_agg(g.rolname, ',') FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid),
	' ' ORDER BY rolname) FROM pg_roles r WHERE rolname LIKE 't\_roles\_agency\_%'")" \
	"t_roles_agency_1 in t_roles_lead t_roles_agency_2 in t_roles_lead"

# ---- agency lead add / remove / list ---------------------------------------------------
BOARD=$(as_url clerk)
check_status "lead add: a new login" 0 "$RT" --db "$BOARD" agency lead add Police j_smith
check_eq "what lead add says" "$(cat "$T/out")" \
	"'j_smith' is now a lead of 'Police': a new login, without a password (set one with ALTER ROLE ... PASSWORD, or admit it by certificate or peer)"
check_eq "the login made, without a password" "$(pg_q postgres "SELECT rolcanlogin, rolpassword IS NULL, rolcreaterole,
	rolsuper FROM pg_authid WHERE rolname = 'j_smith'")" "t|t|f|f"
check_status "lead add again, the agency by another case" 0 "$RT" --db "$BOARD" agency lead add police j_smith
check_eq "again: nothing changed" "$(cat "$T/out")" "'j_smith' is already a lead of 'Police': nothing changed"
pg_q postgres "CREATE ROLE h_jones LOGIN" >/dev/null
check_status "lead add: an existing login, the agency by its alias" 0 "$RT" --db "$BOARD" agency lead add Constabulary h_jones
check_eq "an existing login" "$(cat "$T/out")" "'h_jones' is now a lead of 'Police'"
check_status "lead add Health" 0 "$RT" --db "$BOARD" agency lead add Health h_jones
check_status "lead add Health, a second lead" 0 "$RT" --db "$BOARD" agency lead add Health a_brown
check_status "lead list" 0 "$RT" --db "$BOARD" agency lead list
check_eq "lead list" "$(cat "$T/out")" "AGENCY  LOGIN
Health  a_brown
Health  h_jones
Police  h_jones
Police  j_smith"
# The lens is the login: two agencies' lead sees both, and narrows to one of them.
check_status "agency list as a lead of two agencies" 0 "$RT" --db "$(as_url h_jones)" agency list
check_eq "both agencies, each with its actions" "$(awk 'NR > 1 {print $1, $2}' "$T/out")" "Health 1
Police 2"
check_status "--as-agency one of the login's agencies" 0 "$RT" --db "$(as_url h_jones)" --as-agency health agency list
check_eq "narrowed to it" "$(awk 'NR > 1 {print $1, $2}' "$T/out")" "Health 1"
check_status "lead remove" 0 "$RT" --db "$BOARD" agency lead remove Police h_jones
check_eq "what lead remove says" "$(cat "$T/out")" "'h_jones' is no longer a lead of 'Police' (the login stays)"
check_status "lead remove again" 0 "$RT" --db "$BOARD" agency lead remove Police h_jones
check_eq "again: nothing changed" "$(cat "$T/out")" "'h_jones' was not a lead of 'Police': nothing changed"
check_eq "h_jones stays a login, a lead of Health" "$(pg_q t_roles "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'h_jones'")|$(
	pg_q t_roles "SELECT pg_has_role('h_jones', 't_roles_agency_1', 'MEMBER'), pg_has_role('h_jones', 't_roles_agency_2', 'MEMBER')")" "t|f|t"
check_status "lead list as a lead" 0 "$RT" --db "$(as_url j_smith)" agency lead list
check_eq "a lead lists them too" "$(wc -l <"$T/out")" 4

check_status "lead add by a lead" 8 "$RT" --db "$(as_url j_smith)" agency lead add Health j_smith
check_eq "refused in one line" "$(cat "$T/err")" \
	"ragtrack: $PG_DIR/t_roles: only a board member's login may add agency leads (j_smith is not one)"
check_status "lead remove by a lead" 8 "$RT" --db "$(as_url j_smith)" agency lead remove Health a_brown
check_eq "refused in one line" "$(cat "$T/err")" \
	"ragtrack: $PG_DIR/t_roles: only a board member's login may remove agency leads (j_smith is not one)"
check_status "lead add: no such agency" 6 "$RT" --db "$BOARD" agency lead add Fire f_white
check_eq "no such agency" "$(cat "$T/err")" "ragtrack: $PG_DIR/t_roles: no agency 'Fire' (ragtrack agency list names them)"
check_status "lead add: a superuser" 9 "$RT" --db "$BOARD" agency lead add Police rt
check_eq "a superuser is refused" "$(cat "$T/err")" \
	"ragtrack: $PG_DIR/t_roles: 'rt' is not an ordinary login (a superuser, or a role that cannot log in)"
check_status "lead add: one of ragtrack's roles" 9 "$RT" --db "$BOARD" agency lead add Police t_roles_agency_2
check_contains "ragtrack's own roles are refused" "$(cat "$T/err")" "'t_roles_agency_2' cannot be a lead's login"
check_eq "no login made by the refusals" "$(pg_q t_roles "SELECT count(*) FROM pg_roles WHERE rolname IN ('f_white')")" 0
check_status "lead add: usage" 2 "$RT" --db "$BOARD" agency lead add Police
check_status "lead: no verb" 2 "$RT" --db "$BOARD" agency lead
"$RT" --db "$T/lite.db" db init >/dev/null || fail "db init of a SQLite file"
for verb in "list" "add Police j_smith" "remove Police j_smith"; do
	# shellcheck disable=SC2086
	check_status "lead $verb on a SQLite file" 2 "$RT" --db "$T/lite.db" agency lead $verb
	check_eq "lead $verb on a SQLite file: why" "$(cat "$T/err")" \
		"ragtrack: $T/lite.db: agency leads' logins exist only on a PostgreSQL server (--db postgresql://...): a SQLite file has no logins"
done

# ---- a lead's login, through ragtrack and psql: Police (agency 1) only -------------------
check_status "agency list as a lead" 0 "$RT" --db "$(as_url j_smith)" agency list
check_eq "a lead of one agency has its lens without --as-agency" "$(awk 'NR > 1 {print $1, $2}' "$T/out")" "Police 2"
check_status "--as-agency its own agency, by its alias" 0 "$RT" --db "$(as_url j_smith)" --as-agency Constabulary agency list
check_eq "the same lens" "$(awk 'NR > 1 {print $1, $2}' "$T/out")" "Police 2"
check_status "--as-agency another agency" 8 "$RT" --db "$(as_url j_smith)" --as-agency Health agency list
check_eq "refused in one line" "$(cat "$T/err")" \
	"ragtrack: --as-agency: 'Health' is not one of the agencies of the login j_smith (Police)"
check_status "--as-agency no such agency" 6 "$RT" --db "$(as_url j_smith)" --as-agency Fire agency list
check_eq "no such agency" "$(cat "$T/err")" "ragtrack: --as-agency: no agency 'Fire' (ragtrack agency list shows them)"
check_status "agency list as the board" 0 "$RT" --db "$BOARD" agency list
check_eq "the board counts all" "$(awk 'NR > 1 {print $1, $2}' "$T/out")" "Health 1
Police 2"
check_status "--as-agency as the board: any agency" 0 "$RT" --db "$BOARD" --as-agency Health agency list
check_eq "the board narrows to it" "$(awk 'NR > 1 {print $1, $2}' "$T/out")" "Health 1"
check_status "agency list as the read-only login" 0 "$RT" --db "$(as_url viewer)" agency list
check_eq "the read-only login counts all" "$(awk 'NR > 1 {print $1, $2}' "$T/out")" "Health 1
Police 2"
count_all() {   # LOGIN: the rows the login sees in each table of an agency's data
	as "$1" "SELECT (SELECT count(*) FROM action) || ' ' || (SELECT count(*) FROM response) || ' ' ||
		(SELECT count(*) FROM note) || ' ' || (SELECT count(*) FROM change_log) || ' ' ||
		(SELECT count(*) FROM rag_count WHERE n <> 0) || ' ' || (SELECT count(*) FROM board_action) || ' ' ||
		(SELECT count(*) FROM ui_state)"
}
check_eq "a lead's rows: action response note change_log rag_count board_action ui_state" "$(count_all j_smith)" "2 1 1 1 2 1 0"
check_eq "a lead's actions" "$(as j_smith "SELECT string_agg(text, ',' ORDER BY id) FROM action")" "Police one,Police two"
check_eq "a lead's response" "$(as j_smith "SELECT text FROM response")" "Police response"
check_eq "a lead's note" "$(as j_smith "SELECT text FROM note")" "police note"
check_eq "a lead sees nothing of another agency's action, even by id" \
	"$(as j_smith "SELECT count(*) FROM action WHERE id = 3")|$(as j_smith "SELECT count(*) FROM note WHERE action_id = 3")" "0|0"
check_eq "a lead's login in two agencies sees both" "$(count_all h_jones)" "1 1 1 1 1 1 0"
# a search reads the index as the schema's owner (row-level security would test every
# row's vector) and applies the caller's lens itself: nothing of another agency's
search_ids() { as "$1" "SELECT coalesce(string_agg(i::text, ',' ORDER BY i), '-') FROM rt_search_ids(to_tsquery('ragtrack.rt_search', 'one')) i"; }
check_eq "a lead's search through the index: its agency's actions alone" "$(search_ids j_smith)" "1"
check_eq "the read-only login's search: every agency's" "$(search_ids viewer)" "1,3"
pg_q postgres "CREATE ROLE outsider LOGIN" >/dev/null
check_contains "a login of no agency learns nothing" "$(search_ids outsider)" "permission denied for schema ragtrack"
# the browser's data stamp: the server's maxima read as the owner, digested with a salt
# no login reads, so a lead learns that something changed and nothing more
check_eq "a lead's stamp is the board's" "$(as j_smith "SELECT rt_stamp()")" "$(as viewer "SELECT rt_stamp()")"
refused j_smith "SELECT salt FROM stamp_salt" "permission denied for table stamp_salt"
refused viewer "SELECT salt FROM stamp_salt" "permission denied for table stamp_salt"
check_status "a lead's search in ragtrack" 0 "$RT" --db "$(as_url j_smith)" list --search one --format tsv --columns action
check_eq "a lead's search finds its own" "$(sed 1d "$T/out" | cut -f2)" "Police one"

check_eq "UPDATE of another agency's action" "$(as j_smith "UPDATE action SET text = 'x' WHERE id = 3")" "UPDATE 0"
check_eq "UPDATE of another agency's response" "$(as j_smith "UPDATE response SET text = 'x' WHERE id = 2")" "UPDATE 0"
refused j_smith "DELETE FROM action WHERE id = 3" "permission denied for table action"
refused j_smith "DELETE FROM action WHERE id = 1" "permission denied for table action"
refused j_smith "DELETE FROM note WHERE action_id = 3" "permission denied for table note"
refused j_smith "DELETE FROM response" "permission denied for table response"
refused j_smith "INSERT INTO action(review_id, question_id, agency_id, response_id, seq, sort_key, created_at, updated_at,
	touched_at) VALUES (1, 1, 2, 2, 9, 'z', 'now', 'now', 'now')" "permission denied for table action"
refused j_smith "INSERT INTO note(action_id, at, \"user\", source, text) VALUES (3, 'now', 'j', 'cli', 'x')" \
	"new row violates row-level security policy"
refused j_smith "INSERT INTO change_log(action_id, at, \"user\", field, source, batch) VALUES (3, 'now', 'j', 'rag', 'cli', 9)" \
	"new row violates row-level security policy"
refused j_smith "UPDATE action SET agency_id = 2 WHERE id = 1" "permission denied for table action"
refused j_smith "UPDATE action SET response_id = 2 WHERE id = 1" "permission denied for table action"
refused j_smith "UPDATE response SET agency_id = 2 WHERE id = 1" "permission denied for table response"
refused j_smith "UPDATE rag_count SET n = 99" "permission denied for table rag_count"
refused j_smith "UPDATE board_action SET rag = 4" "permission denied for table board_action"
refused j_smith "UPDATE change_log SET field = 'x'" "permission denied for table change_log"
refused j_smith "DELETE FROM change_log" "permission denied for table change_log"
refused j_smith "TRUNCATE change_log" "permission denied for table change_log"
refused j_smith "UPDATE agency SET name = 'Fire' WHERE id = 2" "permission denied for table agency"
check_eq "other agencies' rows after the attempts" "$(pg_q t_roles "SET search_path = ragtrack;
	SELECT (SELECT string_agg(agency_id || ':' || text, ',' ORDER BY id) FROM action) || ' ' ||
	(SELECT string_agg(text, ',' ORDER BY id) FROM response) || ' ' || (SELECT count(*) FROM note) || ' ' ||
	(SELECT count(*) FROM change_log)")" "1:Police one,1:Police two,2:Health one Police response,Health response 2 2"

# Its own agency's actions: changed, with the totals and the search kept by the server.
check_eq "UPDATE of its own action" "$(as j_smith "UPDATE action SET rag = 4, evidence = 'audited' WHERE id = 2")" "UPDATE 1"
check_eq "the RAG totals follow a lead's change" "$(pg_q t_roles "SELECT agency_id || ':' || rag || '=' || n FROM ragtrack.rag_count
	WHERE n <> 0 ORDER BY agency_id, rag")" "1:1=1
1:4=1
2:3=1"
check_eq "a lead cannot pause the totals (import_run is the board's)" "$(as j_smith "SET ragtrack.import_run = 'on';
	UPDATE action SET rag = 2 WHERE id = 2; SELECT n FROM rag_count WHERE agency_id = 1 AND rag = 2")" "SET
UPDATE 1
1"
STAMP=$(as viewer "SELECT rt_stamp()")
check_eq "a note on its own action" "$(as j_smith "INSERT INTO note(action_id, at, \"user\", source, text)
	VALUES (2, 'now', 'j', 'cli', 'Gillick checked')")" "INSERT 0 1"
[ "$(as viewer "SELECT rt_stamp()")" != "$STAMP" ] || fail "the data stamp did not change with a lead's note"
check_eq "the note's words are searched" "$(pg_q t_roles "SELECT id FROM ragtrack.action
	WHERE search @@ to_tsquery('ragtrack.rt_search', 'gillick')")" 2
check_eq "the response's text" "$(as j_smith "UPDATE response SET text = 'Police response, revised' WHERE id = 1")" "UPDATE 1"

# The change log's login is the one the server authenticated.
check_eq "a change-log row with a forged login" "$(as j_smith "INSERT INTO change_log(action_id, at, \"user\", field,
	source, batch, login) VALUES (2, 'now', 'clerk', 'rag', 'cli', nextval('change_batch'), 'clerk') RETURNING login")" "j_smith
INSERT 0 1"
check_eq "the forged login replaced" "$(pg_q t_roles "SELECT \"user\" || '/' || login FROM ragtrack.change_log ORDER BY id DESC LIMIT 1")" \
	"clerk/j_smith"
check_eq "screen state: a forged login replaced" "$(as j_smith "INSERT INTO ui_state(\"user\", key, value, login)
	VALUES ('u', 'sort', 'lead', 'rt') RETURNING login")" "j_smith
INSERT 0 1"
check_eq "screen state: each login sees its own" "$(as j_smith "SELECT string_agg(value, ',') FROM ui_state")|$(
	pg_q t_roles "SELECT count(*) FROM ragtrack.ui_state")" "lead|2"
check_eq "screen state: a login changed back" "$(as j_smith "UPDATE ui_state SET login = 'rt' RETURNING login")" "j_smith
UPDATE 1"
check_eq "screen state: another login's rows untouched" "$(as j_smith "DELETE FROM ui_state WHERE login = 'rt'")" "DELETE 0"

# Its own role: no way up.
refused j_smith "SET ROLE t_roles_board" "permission denied to set role"
refused j_smith "SET ROLE t_roles_agency_2" "permission denied to set role"
refused j_smith "GRANT t_roles_agency_2 TO j_smith" "must have admin option on role"
refused j_smith "ALTER ROLE j_smith CREATEROLE" "permission denied"
refused j_smith "SELECT rt_lead_add('Health', 'j_smith')" "permission denied for function rt_lead_add"
refused j_smith "SELECT rt_make_role('board', NULL)" "permission denied for function rt_make_role"
refused j_smith "ALTER TABLE action DISABLE ROW LEVEL SECURITY" "must be owner of"
refused j_smith "DROP POLICY lens ON action" "must be owner of"
check_eq "j_smith's roles after the attempts" "$(pg_q t_roles "SELECT string_agg(g.rolname, ' ' ORDER BY g.rolname)
	FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = 'j_smith'::regrole")" "t_roles_agency_1"

# ---- the read-only login: every row, no writes --------------------------------------------
check_eq "the read-only login's rows" "$(count_all viewer)" "3 2 3 3 3 2 0"
for sql in "UPDATE action SET text = 'x'" "DELETE FROM action" "INSERT INTO agency(name) VALUES ('Fire')" \
	"UPDATE response SET text = 'x'" "INSERT INTO note(action_id, at, \"user\", source, text) VALUES (1, 'now', 'v', 'cli', 'x')" \
	"INSERT INTO change_log(action_id, at, \"user\", field, source, batch) VALUES (1, 'now', 'v', 'rag', 'cli', 9)" \
	"UPDATE rag_count SET n = 0" "INSERT INTO ui_state(\"user\", key) VALUES ('v', 'k')" "DELETE FROM meta" \
	"INSERT INTO board(name, held_on, recorded_at, recorded_by) VALUES ('x', 'x', 'x', 'x')"; do
	refused viewer "$sql" "permission denied for table"
done
refused viewer "SET ROLE t_roles_board" "permission denied to set role"
check_status "lead add by the read-only login" 8 "$RT" --db "$(as_url viewer)" agency lead add Police viewer
check_contains "refused" "$(cat "$T/err")" "only a board member's login may add agency leads (viewer is not one)"

# ---- a board login: every row, every change, the change log append-only ------------------
check_eq "the board's rows" "$(count_all clerk)" "3 2 3 3 3 2 0"
check_eq "the board moves an action" "$(as clerk "UPDATE action SET agency_id = 2 WHERE id = 2")" "UPDATE 1"
check_eq "and the lead no longer sees it" "$(as j_smith "SELECT count(*) FROM action")" 1
check_eq "the board adds to the change log" "$(as clerk "INSERT INTO change_log(action_id, at, \"user\", field, source, batch)
	VALUES (3, 'now', 'b', 'rag', 'cli', nextval('change_batch')) RETURNING login")" "clerk
INSERT 0 1"
refused clerk "UPDATE change_log SET field = 'x'" "permission denied for table change_log"
refused clerk "DELETE FROM change_log" "permission denied for table change_log"
refused clerk "UPDATE board SET name = 'x'" "permission denied for table board"

# An agency added later gets its group; a lead of it sees its rows only.
as clerk "INSERT INTO agency(name) VALUES ('Fire')" >/dev/null
check_eq "the later agency's group role" "$(pg_q t_roles "SELECT pg_has_role('t_roles_agency_3', 't_roles_lead', 'MEMBER')")" t
check_status "lead add to the later agency" 0 "$RT" --db "$BOARD" agency lead add Fire f_white
check_eq "its lead sees no actions yet" "$(count_all f_white)" "0 0 0 0 0 0 0"

# Removed: the lead's login sees nothing any more.
check_status "lead remove j_smith" 0 "$RT" --db "$BOARD" agency lead remove Police j_smith
refused j_smith "SELECT count(*) FROM ragtrack.action" "permission denied for schema ragtrack"
check_eq "its change-log rows stay, with its login" "$(pg_q t_roles "SELECT count(*) FROM ragtrack.change_log WHERE login = 'j_smith'")" 1
finish
