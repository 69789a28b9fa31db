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
	/* 4: the RAG totals count the actions with a target date (its triggers: revision 9) */
	{ 4, "ALTER TABLE ragtrack.rag_count ADD COLUMN IF NOT EXISTS dated bigint NOT NULL DEFAULT 0;"
	     "SET LOCAL search_path = ragtrack, public;" RAG_COUNT_REBUILD_SQL },
	{ 0, NULL },
};

/* Changes to the PostgreSQL schema alone (functions, triggers, policies, indexes the
 * server needs and SQLite does not), between the schema versions both engines share:
 * meta 'pg_revision' says how many a database has (none: 0).  Each step is one
 * "-- @revision N" section at the end of schema_pg.sql (the Makefile cuts them out into
 * SCHEMA_PG_REVISIONS), brings revision N - 1 to N and is written to run again safely
 * (CREATE OR REPLACE, DROP ... IF EXISTS); a new database runs the whole file and is
 * stamped with the last.  A database at an older revision is refused until db init
 * upgrades it, as an older schema version is. */
#define PG_REVISION ((int64_t)(sizeof SCHEMA_PG_REVISIONS / sizeof *SCHEMA_PG_REVISIONS) - 1)

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
		rc = db_exec(db, SCHEMA_PG_REVISIONS[r], err);
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
	s->restricted = !all;
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
	s->on_wait = o ? o->on_wait : NULL;
	s->wait_ctx = o ? o->wait_ctx : NULL;
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

void store_pg_import_wait(struct store *s)
{
	if (!s->on_wait || db_scalar_int(s->pg, "SELECT count(*) FROM pg_catalog.pg_locks WHERE locktype = 'relation'"
	                                        " AND relation = 'ragtrack.action'::regclass AND mode = 'ExclusiveLock'"
	                                        " AND granted AND pid <> pg_backend_pid()", 0, 0) == 0)
		return;
	s->on_wait(s->wait_ctx, s->source == SOURCE_IMPORT ? "another import is running; this import starts when it ends"
	                                                   : "an import is running; your edit will be saved when it ends", 1);
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
		s->upgraded = version > 0;
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
		else if (rev < PG_REVISION) {
			s->upgraded = 1;
			rc = pg_revise(db, rev, report, err);
		}
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
	/* an upgrade may rewrite the action table (revision 11 adds a stored column), which
	 * leaves its visibility map empty: index-only counts read every row's page again
	 * until a VACUUM (a lead's dashboard at 1M: 26 -> 258 ms) */
	if (rc == OK && s->upgraded)
		db_exec(s->pg, "VACUUM (ANALYZE) ragtrack.action", NULL);
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
