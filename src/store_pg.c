/* store_pg: a store on a PostgreSQL server.  Which targets name one, refusing a
 * password written into them, connecting, and creating or upgrading the schema
 * (schema_pg.sql) for db init; a command not yet ported to PostgreSQL is refused at
 * open with one line.  The SQL goes through the statement layer (store_db.h). */
#include "store_int.h"
#include "store_db.h"
#include "ragtrack/util.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "schema_pg_sql.h"

/* The commands whose store calls run on PostgreSQL so far. */
static const char *const PG_COMMANDS[] = { "db", "agency", "list", "export", "show", "history", "backup", "import",
                                            "report", "board", "check", "tui", "set", "note", "undo" };

/* Steps that bring an older PostgreSQL schema up to store_schema_version(), as
 * store.c's MIGRATIONS do for SQLite: each step brings version to - 1 part of the way
 * to version to, all in db init's one transaction.  The schema on PostgreSQL starts at
 * version 3 (schema.sql's tables of version 3), so there are none yet. */
static const struct { int to; const char *sql; } MIGRATIONS_PG[] = {
	{ 0, NULL },
};

/* Changes to the PostgreSQL schema alone (functions, triggers, policies, indexes the
 * server needs and SQLite does not), between the schema versions both engines share:
 * meta 'pg_revision' says how many a database has (none: 0).  Each step brings
 * revision r - 1 to r and is written to run again safely (CREATE OR REPLACE, DROP ...
 * IF EXISTS, CREATE INDEX IF NOT EXISTS); schema_pg.sql already holds them all, so a
 * new database is stamped with the last.  A database at an older revision is refused
 * until db init upgrades it, as an older schema version is. */
static const char *const REVISIONS_PG[] = {
	NULL,                       /* revision 0: schema_pg.sql as version 3 first made it */
	/* the browser hears of other connections' commits (LISTEN ragtrack_changed) */
	"CREATE OR REPLACE FUNCTION ragtrack.rt_changed() RETURNS trigger LANGUAGE plpgsql AS $$\n"
	"BEGIN\n"
	"    PERFORM pg_notify('ragtrack_changed', '');\n"
	"    RETURN NULL;\n"
	"END $$;\n"
	"CREATE OR REPLACE TRIGGER action_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ragtrack.action\n"
	"    FOR EACH STATEMENT EXECUTE FUNCTION ragtrack.rt_changed();\n"
	"CREATE OR REPLACE TRIGGER note_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ragtrack.note\n"
	"    FOR EACH STATEMENT EXECUTE FUNCTION ragtrack.rt_changed();\n"
	"CREATE OR REPLACE TRIGGER response_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ragtrack.response\n"
	"    FOR EACH STATEMENT EXECUTE FUNCTION ragtrack.rt_changed();\n"
	"CREATE OR REPLACE TRIGGER question_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ragtrack.question\n"
	"    FOR EACH STATEMENT EXECUTE FUNCTION ragtrack.rt_changed();\n"
	"CREATE OR REPLACE TRIGGER finding_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ragtrack.finding\n"
	"    FOR EACH STATEMENT EXECUTE FUNCTION ragtrack.rt_changed();\n"
	"CREATE OR REPLACE TRIGGER review_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ragtrack.review\n"
	"    FOR EACH STATEMENT EXECUTE FUNCTION ragtrack.rt_changed();\n"
	"CREATE OR REPLACE TRIGGER agency_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ragtrack.agency\n"
	"    FOR EACH STATEMENT EXECUTE FUNCTION ragtrack.rt_changed();\n"
	"CREATE OR REPLACE TRIGGER agency_alias_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ragtrack.agency_alias\n"
	"    FOR EACH STATEMENT EXECUTE FUNCTION ragtrack.rt_changed();\n"
	"CREATE OR REPLACE TRIGGER extra_field_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ragtrack.extra_field\n"
	"    FOR EACH STATEMENT EXECUTE FUNCTION ragtrack.rt_changed();\n",
	/* the change log's hash chain made by the server (rt_chain); a lead may set a first target */
	"CREATE OR REPLACE FUNCTION ragtrack.rt_hashed(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE\n"
	"RETURN CASE WHEN v IS NULL THEN '|-' ELSE '|' || octet_length(v) || ':' || v END;\n"
	"CREATE OR REPLACE FUNCTION ragtrack.rt_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER\n"
	"SET search_path = pg_catalog, ragtrack, pg_temp AS $$\n"
	"DECLARE\n"
	"    prev text;\n"
	"    last bigint;\n"
	"BEGIN\n"
	"    IF ragtrack.rt_paused() THEN\n"
	"        RETURN NEW;\n"
	"    END IF;\n"
	"    PERFORM pg_advisory_xact_lock(hashtext('ragtrack change_log chain'));\n"
	"    SELECT c.id, c.hash INTO last, prev FROM ragtrack.change_log c ORDER BY c.id DESC LIMIT 1;\n"
	"    IF NEW.id <= coalesce(last, 0) THEN\n"
	"        NEW.id := nextval(pg_get_serial_sequence('ragtrack.change_log', 'id'));\n"
	"    END IF;\n"
	"    NEW.prev_hash := coalesce(prev, '');\n"
	"    NEW.hash := encode(sha256(convert_to(NEW.prev_hash\n"
	"        || ragtrack.rt_hashed(NEW.action_id::text) || ragtrack.rt_hashed(NEW.at) || ragtrack.rt_hashed(NEW.\"user\")\n"
	"        || ragtrack.rt_hashed(NEW.os_user) || ragtrack.rt_hashed(NEW.field) || ragtrack.rt_hashed(NEW.old_value)\n"
	"        || ragtrack.rt_hashed(NEW.new_value) || ragtrack.rt_hashed(NEW.source) || ragtrack.rt_hashed(NEW.reason)\n"
	"        || ragtrack.rt_hashed(NEW.batch::text) || ragtrack.rt_hashed(NEW.undoes::text)\n"
	"        || ragtrack.rt_hashed(NEW.undoes_change::text), 'UTF8')), 'hex');\n"
	"    RETURN NEW;\n"
	"END $$;\n"
	"DROP TRIGGER IF EXISTS change_log_chain ON ragtrack.change_log;\n"
	"CREATE TRIGGER change_log_chain BEFORE INSERT ON ragtrack.change_log\n"
	"    FOR EACH ROW EXECUTE FUNCTION ragtrack.rt_chain();\n"
	"DO $$\n"
	"BEGIN\n"
	"    EXECUTE format('GRANT UPDATE (first_target_date) ON ragtrack.action TO %I', ragtrack.rt_role('lead'));\n"
	"END $$;\n",
	/* db copy's bulk load: rt_vector, rt_load_begin/end, meta_load_unfinished */
	"-- ---- bulk loads ----------------------------------------------------------------------\n"
	"-- One action's search vector from its texts: rt_doc's body, which db copy also applies to\n"
	"-- every action at once in one join (a subselect per action and a second write of each row\n"
	"-- were most of a copy's time).\n"
	"CREATE OR REPLACE FUNCTION rt_vector(q_text text, r_text text, a_text text, a_evidence text, notes text, a_extra text)\n"
	"RETURNS tsvector LANGUAGE sql STABLE PARALLEL SAFE\n"
	"RETURN to_tsvector('ragtrack.rt_search', ragtrack.rt_fold(concat_ws(E'\\n', q_text, r_text, a_text, a_evidence, notes, a_extra)));\n"
	"CREATE OR REPLACE FUNCTION rt_doc(q_id bigint, r_id bigint, a_id bigint, a_text text, a_evidence text, a_extra text)\n"
	"RETURNS tsvector LANGUAGE sql STABLE\n"
	"RETURN ragtrack.rt_vector((SELECT q.text FROM ragtrack.question q WHERE q.id = q_id),\n"
	"    (SELECT r.text FROM ragtrack.response r WHERE r.id = r_id), a_text, a_evidence,\n"
	"    (SELECT string_agg(n.text, E'\\n' ORDER BY n.id) FROM ragtrack.note n WHERE n.action_id = a_id), a_extra);\n"
	"-- db copy into a database without rows: rt_load_begin(), the board's, in the copy's\n"
	"-- transaction, drops the foreign keys and the indexes no constraint owns and pauses the\n"
	"-- per-row search triggers; rt_load_end() puts back exactly what was dropped (kept in meta\n"
	"-- 'bulk_load', one statement a line): each index built once from all rows, each foreign\n"
	"-- key checked in one pass, instead of a check and twelve index entries per row.  A\n"
	"-- transaction that commits between the two is refused (meta_load_unfinished).\n"
	"CREATE OR REPLACE FUNCTION rt_load_begin() RETURNS void LANGUAGE plpgsql SECURITY DEFINER\n"
	"SET search_path = pg_catalog, ragtrack, pg_temp AS $$\n"
	"DECLARE\n"
	"    keys text := '';\n"
	"    idx text := '';\n"
	"    r record;\n"
	"BEGIN\n"
	"    IF NOT ragtrack.rt_is_board() THEN\n"
	"        RAISE EXCEPTION 'only the board''s logins may load a database (% is not one)', session_user\n"
	"            USING ERRCODE = 'insufficient_privilege';\n"
	"    END IF;\n"
	"    IF EXISTS (SELECT 1 FROM ragtrack.review) OR EXISTS (SELECT 1 FROM ragtrack.action)\n"
	"       OR EXISTS (SELECT 1 FROM ragtrack.agency) OR EXISTS (SELECT 1 FROM ragtrack.change_log)\n"
	"       OR EXISTS (SELECT 1 FROM ragtrack.meta WHERE key = 'bulk_load') THEN\n"
	"        RAISE EXCEPTION 'a bulk load goes only into a database without rows' USING ERRCODE = 'object_not_in_prerequisite_state';\n"
	"    END IF;\n"
	"    FOR r IN SELECT c.conrelid::regclass::text t, c.conname, pg_get_constraintdef(c.oid) def\n"
	"               FROM pg_constraint c JOIN pg_class k ON k.oid = c.conrelid\n"
	"              WHERE c.contype = 'f' AND k.relnamespace = 'ragtrack'::regnamespace ORDER BY 1, 2 LOOP\n"
	"        keys := keys || format(E'ALTER TABLE ragtrack.%s ADD CONSTRAINT %I %s\\n', r.t, r.conname, r.def);\n"
	"        EXECUTE format('ALTER TABLE ragtrack.%s DROP CONSTRAINT %I', r.t, r.conname);\n"
	"    END LOOP;\n"
	"    FOR r IN SELECT i.indexrelid::regclass::text ix, pg_get_indexdef(i.indexrelid) def\n"
	"               FROM pg_index i JOIN pg_class k ON k.oid = i.indrelid\n"
	"              WHERE k.relnamespace = 'ragtrack'::regnamespace\n"
	"                AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1 LOOP\n"
	"        idx := idx || r.def || E'\\n';\n"
	"        EXECUTE format('DROP INDEX ragtrack.%s', r.ix);\n"
	"    END LOOP;\n"
	"    ALTER TABLE ragtrack.action DISABLE TRIGGER action_search_insert;\n"
	"    ALTER TABLE ragtrack.note DISABLE TRIGGER note_search;\n"
	"    INSERT INTO ragtrack.meta(key, value) VALUES ('bulk_load', idx || keys\n"
	"        || E'ALTER TABLE ragtrack.action ENABLE TRIGGER action_search_insert\\n'\n"
	"        || E'ALTER TABLE ragtrack.note ENABLE TRIGGER note_search\\n');\n"
	"END $$;\n"
	"CREATE OR REPLACE FUNCTION rt_load_end() RETURNS void LANGUAGE plpgsql SECURITY DEFINER\n"
	"SET search_path = pg_catalog, ragtrack, pg_temp AS $$\n"
	"DECLARE\n"
	"    s text;\n"
	"BEGIN\n"
	"    IF NOT ragtrack.rt_is_board() THEN\n"
	"        RAISE EXCEPTION 'only the board''s logins may load a database (% is not one)', session_user\n"
	"            USING ERRCODE = 'insufficient_privilege';\n"
	"    END IF;\n"
	"    PERFORM set_config('maintenance_work_mem', '256MB', true);\n"
	"    FOR s IN SELECT x FROM unnest(string_to_array((SELECT value FROM ragtrack.meta WHERE key = 'bulk_load'), E'\\n')) x\n"
	"              WHERE x <> '' LOOP\n"
	"        EXECUTE s;\n"
	"    END LOOP;\n"
	"    DELETE FROM ragtrack.meta WHERE key = 'bulk_load';\n"
	"END $$;\n"
	"CREATE OR REPLACE FUNCTION rt_load_unfinished() RETURNS trigger LANGUAGE plpgsql AS $$\n"
	"BEGIN\n"
	"    IF EXISTS (SELECT 1 FROM ragtrack.meta WHERE key = 'bulk_load') THEN\n"
	"        RAISE EXCEPTION 'a bulk load was not finished (rt_load_end): its indexes and foreign keys are missing'\n"
	"            USING ERRCODE = 'object_not_in_prerequisite_state';\n"
	"    END IF;\n"
	"    RETURN NULL;\n"
	"END $$;\n"
	"DROP TRIGGER IF EXISTS meta_load_unfinished ON meta;\n"
	"CREATE CONSTRAINT TRIGGER meta_load_unfinished AFTER INSERT ON meta DEFERRABLE INITIALLY DEFERRED\n"
	"    FOR EACH ROW WHEN (NEW.key = 'bulk_load') EXECUTE FUNCTION rt_load_unfinished();\n"
	"REVOKE ALL ON FUNCTION rt_load_begin(), rt_load_end() FROM PUBLIC;\n"
	"DO $$\n"
	"BEGIN\n"
	"    EXECUTE format('GRANT EXECUTE ON FUNCTION ragtrack.rt_load_begin(), ragtrack.rt_load_end() TO %I',\n"
	"                   ragtrack.rt_role('board'));\n"
	"END $$;\n",
};
#define PG_REVISION ((int64_t)(sizeof REVISIONS_PG / sizeof *REVISIONS_PG) - 1)

/* The libpq connection string a target names, or NULL when it names a SQLite file:
 * a URI (postgresql://, postgres://), a keyword string after "pg:", or a keyword
 * string that starts with one of libpq's keywords ("host=... dbname=..."). */
static const char *pg_conninfo(const char *target)
{
	if (!target)
		return NULL;
	if (strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0)
		return target;
	if (strncmp(target, "pg:", 3) == 0)
		return target + 3;
	size_t len = strspn(target, "abcdefghijklmnopqrstuvwxyz_");
	if (len == 0 || target[len] != '=')
		return NULL;
	PQconninfoOption *opts = PQconndefaults();
	int known = 0;
	for (PQconninfoOption *o = opts; o && o->keyword && !known; o++)
		known = strlen(o->keyword) == len && strncmp(o->keyword, target, len) == 0;
	PQconninfoFree(opts);
	return known ? target : NULL;
}

struct db *store_db(struct store *s)
{
	if (s->pg)
		return s->pg;
	if (!s->lite)
		s->lite = db_sqlite_wrap(s->db, s->path);
	return s->lite;
}

void store_db_free(struct store *s)
{
	db_close(s->lite);
	s->lite = NULL;
}

int store_pg_target(const char *target)
{
	return pg_conninfo(target) != NULL;
}

/* A connection string libpq can read, and no password in it. */
static enum status pg_check_conninfo(const char *conninfo, struct err *err)
{
	char *msg = NULL;
	PQconninfoOption *opts = PQconninfoParse(conninfo, &msg);
	if (!opts) {
		char line[512];
		snprintf(line, sizeof line, "%.*s", (int)strcspn(msg ? msg : "", "\n"), msg ? msg : "out of memory");
		PQfreemem(msg);
		return err_set(err, ERR_USAGE, "not a PostgreSQL connection string: %s", line);
	}
	int password = 0;
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (strcmp(o->keyword, "password") == 0 && !str_empty(o->val))
			password = 1;
	PQconninfoFree(opts);
	if (password)
		return err_set(err, ERR_USAGE, "a password in the connection string is refused (others can read it in ps and "
		               "the shell's history): put it in ~/.pgpass or a service file (pg_service.conf)");
	return OK;
}

enum status store_command_check(const char *target, const char *command, struct err *err)
{
	if (!store_pg_target(target))
		return OK;
	for (size_t i = 0; command && i < sizeof PG_COMMANDS / sizeof *PG_COMMANDS; i++)
		if (strcmp(command, PG_COMMANDS[i]) == 0)
			return OK;
	return err_set(err, ERR_SCHEMA, "%s is not available on PostgreSQL databases yet", command ? command : "this command");
}

enum status store_command_allowed(const struct store *s, const char *command, struct err *err)
{
	if (!s->pg)
		return OK;
	for (size_t i = 0; i < sizeof PG_COMMANDS / sizeof *PG_COMMANDS; i++)
		if (strcmp(command, PG_COMMANDS[i]) == 0)
			return OK;
	return err_set(err, ERR_SCHEMA, "%s is not available on PostgreSQL databases yet", command);
}

/* The schema version stamped in meta, 0 when the database has no ragtrack schema;
 * -1 after an error (err set). */
static int64_t pg_schema_stamp(struct db *db, struct err *err)
{
	struct db_stmt *st;
	if (db_prepare(db, "SELECT to_regclass('ragtrack.meta') IS NOT NULL", &st, err) != OK)
		return -1;
	enum db_step step = db_step(st, err);
	int exists = step == DB_ROW && strcmp(db_col_text(st, 0), "t") == 0;
	db_finalize(st);
	if (step == DB_ERROR)
		return -1;
	if (!exists)
		return 0;
	if (db_prepare(db, "SELECT value FROM ragtrack.meta WHERE key = 'schema_version'", &st, err) != OK)
		return -1;
	step = db_step(st, err);
	int64_t v = step == DB_ROW && db_col_text(st, 0) ? strtoll(db_col_text(st, 0), NULL, 10) : 0;
	db_finalize(st);
	if (step == DB_ERROR)
		return -1;
	if (v <= 0)
		return err_set(err, ERR_SCHEMA, "%s: has a ragtrack schema without a schema version (not one ragtrack made)",
		               db->name), -1;
	return v;
}

/* The PostgreSQL-only revision stamped in meta (0 when none is); -1 after an error. */
static int64_t pg_revision(struct db *db, struct err *err)
{
	struct db_stmt *st;
	if (db_prepare(db, "SELECT coalesce((SELECT value FROM ragtrack.meta WHERE key = 'pg_revision'), '0')", &st, err) != OK)
		return -1;
	enum db_step step = db_step(st, err);
	int64_t v = step == DB_ROW ? strtoll(db_col_text(st, 0), NULL, 10) : -1;
	db_finalize(st);
	return v;
}

/* A database at this schema version: its revision must be this ragtrack's, except
 * for db init (init), which upgrades an older one. */
static enum status pg_revision_check(struct db *db, int init, struct err *err)
{
	int64_t rev = pg_revision(db, err);
	if (rev < 0)
		return err && err->code ? err->code : ERR_DB;
	if (rev > PG_REVISION)
		return err_set(err, ERR_SCHEMA, "%s: PostgreSQL schema revision %lld is newer than this ragtrack knows (%lld); "
		               "upgrade ragtrack", db->name, (long long)rev, (long long)PG_REVISION);
	if (rev < PG_REVISION && !init)
		return err_set(err, ERR_SCHEMA, "%s: needs a schema upgrade (PostgreSQL revision %lld to %lld): "
		               "ragtrack --db URL db init", db->name, (long long)rev, (long long)PG_REVISION);
	return OK;
}

/* Bring the revision from rev to PG_REVISION and stamp it (a new schema: stamp only). */
static enum status pg_revise(struct db *db, int64_t rev, struct buf *report, struct err *err)
{
	enum status rc = OK;
	for (int64_t r = rev + 1; rc == OK && r <= PG_REVISION; r++)
		rc = db_exec(db, REVISIONS_PG[r], err);
	if (rc == OK && report && rev < PG_REVISION)
		buf_printf(report, "%s: upgraded the PostgreSQL schema from revision %lld to %lld\n", db->name,
		           (long long)rev, (long long)PG_REVISION);
	if (rc == OK) {
		char *stamp = xasprintf("INSERT INTO ragtrack.meta(key, value) VALUES ('pg_revision', '%lld')"
		                        " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (long long)PG_REVISION);
		rc = db_exec(db, stamp, err);
		free(stamp);
	}
	return rc;
}

/* What a server must be: PostgreSQL 15 or later (MERGE, SQL-standard function bodies),
 * text in UTF-8. */
static enum status pg_check_server(struct db *db, struct err *err)
{
	int64_t version = db_scalar_int(db, "SELECT current_setting('server_version_num')::int", 0, 0);
	if (version < 150000)
		return err_set(err, ERR_SCHEMA, "%s: the server is PostgreSQL %lld.%lld; ragtrack needs 15 or later", db->name,
		               (long long)(version / 10000), (long long)(version % 10000));
	if (db_scalar_int(db, "SELECT (current_setting('server_encoding') = 'UTF8')::int", 0, 0) != 1)
		return err_set(err, ERR_SCHEMA, "%s: the database's encoding is not UTF8 (create it with ENCODING 'UTF8')",
		               db->name);
	return db_exec(db, "SET search_path = ragtrack, public", err);
}

/* The lens is the login: a lead's login in one agency's group gets that agency's lens
 * without --as-agency; --as-agency must name one of the login's agencies, unless the
 * login sees every agency (the board, the read-only role), for whom it narrows as on a
 * file.  A lead of several agencies without --as-agency sees them all (row-level
 * security keeps the rest out either way: the lens is what the queries say). */
static enum status pg_set_lens(struct store *s, const char *as_agency, struct err *err)
{
	struct db_stmt *st;
	enum status rc = db_prepare(s->pg,
		"SELECT rt_sees_all()::int, coalesce(array_length(m, 1), 0), m[1], session_user,"
		" (SELECT coalesce((SELECT id FROM agency WHERE rt_nocase(name) = rt_nocase(?1)),"
		"   (SELECT agency_id FROM agency_alias WHERE rt_nocase(alias) = rt_nocase(?1)))),"
		" (SELECT string_agg(name, ', ' ORDER BY rt_nocase(name)) FROM agency WHERE id = ANY (m))"
		" FROM (SELECT rt_my_agencies() m) x", &st, err);
	if (rc != OK)
		return rc;
	db_bind_text(st, 1, as_agency ? as_agency : "");
	if (db_step(st, err) != DB_ROW) {
		db_finalize(st);
		return err ? err->code : ERR_DB;
	}
	int all = db_col_int(st, 0) != 0;
	int64_t mine = db_col_int(st, 1), first = db_col_int(st, 2), named = db_col_int(st, 4);
	char *login = xstrdup(db_col_text(st, 3)), *names = xstrdup(db_col_text(st, 5) ? db_col_text(st, 5) : "");
	db_finalize(st);
	int64_t lens = 0;
	if (!str_empty(as_agency) && !named)
		rc = err_set(err, ERR_NOT_FOUND, "--as-agency: no agency '%s' (ragtrack agency list shows them)", as_agency);
	else if (!str_empty(as_agency) && !all && !db_scalar_int(s->pg, "SELECT (?1 = ANY (rt_my_agencies()))::int", named, 0))
		rc = err_set(err, ERR_FORBIDDEN, "--as-agency: '%s' is not one of the agencies of the login %s (%s)", as_agency,
		             login, *names ? names : "none");
	else if (!str_empty(as_agency))
		lens = named;
	else if (!all && mine == 1)
		lens = first;
	if (rc == OK && lens) {
		s->lens_agency = lens;
		struct db_stmt *q;
		rc = db_prepare(s->pg, "SELECT name FROM agency WHERE id = ?1", &q, err);
		if (rc == OK) {
			db_bind_int(q, 1, lens);
			if (db_step(q, err) == DB_ROW)
				s->lens_name = xstrdup(db_col_text(q, 0));
			db_finalize(q);
		}
	}
	s->login = login;
	free(names);
	return rc;
}

/* Open a store on the server target names; init: for db init (a missing or older
 * schema is not an error then; *stamp gets the version found, 0 for none). */
static enum status pg_open(const char *target, const struct store_opts *o, int init, int64_t *stamp,
                           struct store **out, struct err *err)
{
	*out = NULL;
	const char *conninfo = pg_conninfo(target);
	enum status st = pg_check_conninfo(conninfo, err);
	if (st == OK && !init)
		st = store_command_check(target, o ? o->command : NULL, err);
	struct db *db = NULL;
	if (st == OK)
		st = db_pg_connect(conninfo, &db, err);
	if (st == OK)
		st = pg_check_server(db, err);
	int64_t version = st == OK ? pg_schema_stamp(db, err) : -1;
	if (version < 0 && st == OK)
		st = err ? err->code : ERR_DB;
	if (st == OK && version > store_schema_version())
		st = err_set(err, ERR_SCHEMA, "%s: schema version %lld is newer than this ragtrack knows (%d); upgrade ragtrack",
		             db->name, (long long)version, store_schema_version());
	else if (st == OK && !init && version == 0)
		st = err_set(err, ERR_SCHEMA, "%s: has no ragtrack schema (ragtrack --db URL db init creates it)", db->name);
	else if (st == OK && !init && version < store_schema_version())
		st = err_set(err, ERR_SCHEMA, "%s: needs a schema upgrade (version %lld to %d): ragtrack --db URL db init",
		             db->name, (long long)version, store_schema_version());
	if (st == OK && version == store_schema_version())
		st = pg_revision_check(db, init, err);
	if (st != OK) {
		db_close(db);
		return st;
	}
	struct store *s = xcalloc(1, sizeof *s);
	s->pg = db;
	s->path = xstrdup(db->name);
	s->conninfo = xstrdup(conninfo);
	s->read_only = o && o->read_only;
	s->user = xstrdup(util_user(o ? o->user : NULL));
	s->os_user = xstrdup(util_os_user());
	s->source = o ? o->source : SOURCE_CLI;
	s->seen_version = -1;
	s->version_before = version;
	if (!init && (st = pg_set_lens(s, o ? o->as_agency : NULL, err)) != OK) {
		store_pg_close(s);
		return st;
	}
	/* the commits that change what a list shows are heard of (rt_changed): the browser's
	 * window cache and its refresh (store_watch.c) go by them */
	if (!init && (st = db_exec(db, "LISTEN ragtrack_changed", err)) != OK) {
		store_pg_close(s);
		return st;
	}
	if (stamp)
		*stamp = version;
	*out = s;
	return OK;
}

enum status store_pg_open(const char *target, const struct store_opts *o, struct store **out, struct err *err)
{
	return pg_open(target, o, 0, NULL, out, err);
}

void store_pg_close(struct store *s)
{
	db_close(s->pg);
	free(s->path);
	free(s->user);
	free(s->os_user);
	free(s->lens_name);
	free(s->login);
	free(s->conninfo);
	free(s->notice);
	free(s);
}

/* What became of transaction xid, asked on a new connection after the old one was
 * lost: 'committed', 'aborted', 'in progress', or NULL (unknown); caller frees. */
static char *pg_xact_fate(struct store *s, int64_t xid)
{
	struct db *again;
	if (xid <= 0 || db_pg_connect(s->conninfo, &again, NULL) != OK)
		return NULL;
	struct db_stmt *st;
	char *fate = NULL;
	if (db_prepare(again, "SELECT pg_xact_status(?1::text::xid8)", &st, NULL) == OK) {
		db_bind_int(st, 1, xid);
		if (db_step(st, NULL) == DB_ROW && db_col_text(st, 0))
			fate = xstrdup(db_col_text(st, 0));
		db_finalize(st);
	}
	db_close(again);
	return fate;
}

enum status store_pg_commit(struct store *s, struct err *err)
{
	int64_t xid = db_scalar_int(s->pg, "SELECT pg_current_xact_id()::text::bigint", 0, 0);
	util_test_hold("RAGTRACK_TEST_HOLD_COMMIT");
	if (db_exec(s->pg, "COMMIT", err) == OK)
		return OK;
	if (db_pg_socket(s->pg) >= 0)
		return err && err->code ? err->code : ERR_DB;     /* the server refused the commit: not saved */
	char *fate = pg_xact_fate(s, xid);
	enum status rc;
	if (fate && strcmp(fate, "committed") == 0) {
		err_clear(err);          /* saved: the answer was lost, not the change */
		rc = OK;
	} else if (fate && strcmp(fate, "aborted") == 0) {
		rc = err_set(err, ERR_DB, "%s: the connection to the server was lost as the change was being saved: the server "
		             "says it was not saved (try again)", s->path);
	} else {
		rc = err_set(err, ERR_DB, "%s: the connection to the server was lost as the change was being saved, and the "
		             "server cannot say now whether it was: ragtrack history ID shows it once the server is back", s->path);
	}
	free(fate);
	return rc;
}

/* ---- db init ------------------------------------------------------------------------ */

/* Make login a member of the board's role (the schema made the role and its grants):
 * the login must exist. */
static enum status pg_grant_board(struct db *db, const char *login, struct buf *report, struct err *err)
{
	struct db_stmt *st;
	enum status rc = db_prepare(db, "SELECT quote_ident(?1), quote_ident(rt_role('board')),"
	                                " EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?1 AND rolcanlogin),"
	                                " rt_role('board')", &st, err);
	if (rc != OK)
		return rc;
	db_bind_text(st, 1, login);
	char *ident = NULL, *role = NULL, *role_name = NULL;
	int exists = 0;
	if (db_step(st, err) == DB_ROW) {
		ident = xstrdup(db_col_text(st, 0));
		role = xstrdup(db_col_text(st, 1));
		exists = strcmp(db_col_text(st, 2), "t") == 0;
		role_name = xstrdup(db_col_text(st, 3));
	} else {
		rc = ERR_DB;
	}
	db_finalize(st);
	if (rc == OK && !exists)
		rc = err_set(err, ERR_NOT_FOUND, "%s: --board: no login '%s' on this server (create it first: CREATE ROLE %s LOGIN)",
		             db->name, login, ident);
	if (rc == OK) {
		char *sql = xasprintf("GRANT %s TO %s", role, ident);
		rc = db_exec(db, sql, err);
		free(sql);
	}
	if (rc == OK) {
		rc = db_prepare(db, "INSERT INTO meta(key, value) VALUES ('board_login', ?1)"
		                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value", &st, err);
		if (rc == OK) {
			db_bind_text(st, 1, login);
			if (db_step(st, err) == DB_ERROR)
				rc = err ? err->code : ERR_DB;
			db_finalize(st);
		}
	}
	if (rc == OK)
		buf_printf(report, "%s: %s is a board member (role %s): it may read and change every table and add "
		           "to the change log, and add agency leads\n", db->name, login, role_name);
	free(ident);
	free(role);
	free(role_name);
	return rc;
}

/* Create (from 0) or upgrade the schema inside db init's transaction. */
static enum status pg_build(struct db *db, int64_t version, struct buf *report, struct err *err)
{
	enum status rc = OK;
	if (version == 0) {
		rc = db_exec(db, SCHEMA_PG_SQL, err);
		if (rc == OK)
			buf_printf(report, "%s: created the ragtrack schema, version %d\n", db->name, store_schema_version());
		return rc;
	}
	int steps = 0;
	for (size_t i = 0; rc == OK && MIGRATIONS_PG[i].sql; i++)
		if (MIGRATIONS_PG[i].to > version) {
			rc = db_exec(db, MIGRATIONS_PG[i].sql, err);
			steps++;
		}
	if (rc == OK && !steps)
		return err_set(err, ERR_SCHEMA, "%s: schema version %lld was never made on PostgreSQL (it starts at %d): "
		               "not one ragtrack made", db->name, (long long)version, store_schema_version());
	if (rc == OK)
		buf_printf(report, "%s: upgraded the ragtrack schema from version %lld to %d\n", db->name, (long long)version,
		           store_schema_version());
	return rc;
}

enum status store_pg_begin_init(const char *target, const struct store_opts *o, struct store **out,
                                struct buf *report, struct err *err)
{
	struct store *s;
	int64_t version;
	enum status rc = pg_open(target, o, 1, &version, &s, err);
	if (rc != OK)
		return rc;
	struct db *db = s->pg;
	/* One db init (or copy into a server) at a time: the second waits, then finds the
	 * schema made.  The lock is the session's, taken before the transaction begins and
	 * let go when the store closes: a transaction that began before the first one's
	 * commit would look the schema up in the catalog caches it had then (a lock on
	 * nothing but a number brings them up to date no more than pg_advisory_xact_lock
	 * does), and try to make it a second time. */
	rc = db_exec(db, "SELECT pg_advisory_lock(hashtext('ragtrack db init'))", err);
	if (rc == OK)
		rc = db_exec(db, "BEGIN", err);
	if (rc == OK) {
		version = pg_schema_stamp(db, err);
		if (version < 0)
			rc = err && err->code ? err->code : ERR_DB;
	}
	if (rc == OK && version > store_schema_version())   /* made newer while we waited */
		rc = err_set(err, ERR_SCHEMA, "%s: schema version %lld is newer than this ragtrack knows (%d); upgrade ragtrack",
		             db->name, (long long)version, store_schema_version());
	else if (rc == OK && version < store_schema_version()) {
		rc = pg_build(db, version, report, err);
		if (rc == OK) {
			char *stamp = xasprintf("INSERT INTO ragtrack.meta(key, value) VALUES ('schema_version', '%d')"
			                        " ON CONFLICT (key) DO UPDATE SET value = excluded.value", store_schema_version());
			rc = db_exec(db, stamp, err);
			free(stamp);
		}
		if (rc == OK)
			rc = pg_revise(db, version == 0 ? PG_REVISION : 0, NULL, err);
	} else if (rc == OK) {
		int64_t rev = pg_revision(db, err);
		if (rev < 0)
			rc = err && err->code ? err->code : ERR_DB;
		else if (rev < PG_REVISION)
			rc = pg_revise(db, rev, report, err);
		else
			buf_printf(report, "%s: the ragtrack schema is at version %d already: nothing to change\n", db->name,
			           store_schema_version());
	}
	if (rc == OK)
		rc = db_exec(db, "SET LOCAL search_path = ragtrack, public", err);
	if (rc != OK) {
		db_exec(db, "ROLLBACK", NULL);
		store_close(s);
		return rc;
	}
	*out = s;
	return OK;
}

static enum status pg_init(const char *target, const struct store_opts *o, const char *board, struct buf *report,
                           struct err *err)
{
	struct store *s;
	enum status rc = store_pg_begin_init(target, o, &s, report, err);
	if (rc != OK)
		return rc;
	if (!str_empty(board))
		rc = pg_grant_board(s->pg, board, report, err);
	util_test_hold("RAGTRACK_TEST_HOLD_INIT");
	if (rc == OK)
		rc = db_exec(s->pg, "COMMIT", err);
	else
		db_exec(s->pg, "ROLLBACK", NULL);
	store_close(s);
	return rc;
}

static enum status sqlite_init(const char *target, const struct store_opts *o, const char *board, struct buf *report,
                               struct err *err)
{
	if (!str_empty(board))
		return err_set(err, ERR_USAGE, "--board names a PostgreSQL login: a SQLite file has no logins");
	struct store_opts so = *o;
	so.create = 1;
	struct store *s;
	enum status rc = store_open(target, &so, &s, err);
	if (rc != OK)
		return rc;
	if (s->version_before == 0)
		buf_printf(report, "%s: created the ragtrack schema, version %d\n", target, store_schema_version());
	else if (s->version_before < store_schema_version())
		buf_printf(report, "%s: upgraded the ragtrack schema from version %lld to %d\n", target,
		           (long long)s->version_before, store_schema_version());
	else
		buf_printf(report, "%s: the ragtrack schema is at version %d already: nothing to change\n", target,
		           store_schema_version());
	store_close(s);
	return OK;
}

enum status store_init(const char *target, const struct store_opts *o, const char *board, char **report,
                       struct err *err)
{
	static const struct store_opts defaults = { .source = SOURCE_CLI };
	struct buf b = {0};
	*report = NULL;
	if (!o)
		o = &defaults;
	if (o->read_only)
		return err_set(err, ERR_READ_ONLY, "db init creates or upgrades the schema: not with --read-only");
	enum status rc = store_pg_target(target) ? pg_init(target, o, board, &b, err) : sqlite_init(target, o, board, &b, err);
	if (rc == OK)
		*report = b.s ? buf_steal(&b) : xstrdup("");
	buf_free(&b);
	return rc;
}
