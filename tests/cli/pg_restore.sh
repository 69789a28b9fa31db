#!/usr/bin/env bash
# Backup and restore on a server, as docs/server.md's section 5 tells an administrator:
# pg_dump of the database as its owner and pg_dumpall --roles-only, then on a "new
# server" (the database and every role of it dropped) the roles file, createdb and
# pg_restore.  What the board and a lead see afterwards is what they saw before, the
# lead still sees only its agency, and the restored database is still guarded (its
# triggers and row-level security came back with it).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../pg.sh"
need pg_dump
need pg_dumpall
need pg_restore
pg_start
URL=$(pg_db t_rest)
as_url() { echo "postgresql://$1@/t_rest?host=$PG_DIR"; }
pg_q postgres "CREATE ROLE clerk LOGIN" >/dev/null
check_status "db init --board clerk" 0 "$RT" --db "$URL" db init --board clerk
check_status "db copy" 0 "$RT" db copy "$ROOT/build/data.db" "$URL"
BOARD=$(as_url clerk) LEAD=$(as_url j_smith)
check_status "lead add" 0 "$RT" --db "$BOARD" agency lead add Police j_smith

views() {    # what the board and the lead see, one file
	{
		"$RT" --db "$BOARD" export
		"$RT" --db "$BOARD" agency list
		"$RT" --db "$BOARD" agency lead list
		"$RT" --db "$BOARD" history 3
		"$RT" --db "$LEAD" list --format csv
	} 2>&1
}
views >"$T/before"
[ "$(grep -c . "$T/before")" -gt 600 ] || fail "too little to compare: $(wc -l <"$T/before") lines"

# The backup, as the owner (row-level security would hide rows from anyone else).
pg_dump -Fc -d t_rest -f "$T/t_rest.dump" || fail "pg_dump"
pg_dumpall --roles-only >"$T/roles.sql" || fail "pg_dumpall --roles-only"
grep -q "CREATE ROLE j_smith" "$T/roles.sql" || fail "the roles file has no lead's login"

# A new server: no database, none of its roles.
pg_q postgres "DROP DATABASE t_rest" >/dev/null || fail "drop database"
roles=$(pg_q postgres "SELECT string_agg(quote_ident(rolname), ', ') FROM pg_roles
	WHERE rolname LIKE 't\_rest\_%' OR rolname IN ('clerk', 'j_smith')")
pg_q postgres "DROP ROLE $roles" >/dev/null || fail "drop roles"
check_status "gone" 9 "$RT" --db "$BOARD" agency list

# The restore, as the guide says (the roles file's own superuser exists already: psql
# says so and goes on).
psql -X -q -d postgres -f "$T/roles.sql" >"$T/roles.out" 2>&1
check_eq "the roles file's only complaint" "$(grep -c ERROR "$T/roles.out")" 1
createdb --owner=rt --encoding=UTF8 --template=template0 t_rest || fail "createdb"
pg_restore -d t_rest "$T/t_rest.dump" >"$T/restore.out" 2>&1 || fail "pg_restore: $(head -5 "$T/restore.out")"

views >"$T/after"
if ! cmp -s "$T/before" "$T/after"; then
	fail "the restored database reads differently"; diff "$T/before" "$T/after" | head -10 >&2
fi
check_eq "the lead still sees only its agency" \
	"$("$RT" --db "$LEAD" list --format csv | tail -n +2 | cut -d, -f5 | sort -u | tr -d '"')" Police
as_lead() { PGUSER=j_smith PGOPTIONS="-c search_path=ragtrack,public" psql -X -At -d t_rest -c "$1" 2>&1; }
check_eq "row-level security came back" "$(as_lead "SELECT count(DISTINCT agency_id) FROM action")" 1
check_contains "the change log is still append-only" \
	"$(psql -X -q -d t_rest -c "TRUNCATE ragtrack.change_log" 2>&1)" "the change log cannot be deleted"
check_eq "the RAG totals came back once" "$(pg_q t_rest "SELECT (SELECT sum(n) FROM ragtrack.rag_count) =
	(SELECT count(*) FROM ragtrack.action)")" t
finish
