/* store_copy: db copy FROM TO, a SQLite database into a PostgreSQL one, ids, history
 * and notes kept.  Every table goes over in one COPY (never a round trip per row), in
 * one transaction with the derived data paused; the search vectors and RAG totals are
 * then rebuilt in two statements and the identities and sequences set past the ids
 * copied.  And back: PostgreSQL into a SQLite file (db copy URL FILE, backup on
 * PostgreSQL), every table read with COPY TO STDOUT in one REPEATABLE READ READ ONLY
 * transaction, so the file is one moment of the server while others write; the file's
 * search index and RAG totals rebuilt; a new file built privately and put in place
 * complete.  And import on PostgreSQL: the SQLite importer into a scratch store, then
 * the copy into an empty database. */
#include "store_int.h"
#include "store_db.h"
#include "ragtrack/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The tables copied, in the order their references need; rag_count is rebuilt, meta
 * gets the rows that are not the destination's own (its schema version, board login). */
static const char *const COPY_TABLES[] = {
	"meta", "review", "finding", "question", "agency", "agency_alias", "response", "action", "extra_field",
	"change_log", "note", "rag_word", "ui_state", "board", "board_action",
};
#define NTABLES (sizeof COPY_TABLES / sizeof *COPY_TABLES)
static const char META_OWN[] = "('schema_version', 'pg_revision', 'board_login', 'import_run')";

/* A destination table's columns, as a list for SELECT and COPY ("user" quoted), and
 * how many; action's search vector is left to the rebuild, the logins (change_log,
 * ui_state) to the server, which stamps the login that copies. */
static enum status copy_columns(struct db *pg, const char *table, char **list, int *n, struct err *err)
{
	struct db_stmt *st;
	enum status rc = db_prepare(pg, "SELECT quote_ident(column_name) FROM information_schema.columns"
	                                " WHERE table_schema = 'ragtrack' AND table_name = ?1 AND column_name NOT IN ('search', 'login')"
	                                " ORDER BY ordinal_position", &st, err);
	if (rc != OK)
		return rc;
	db_bind_text(st, 1, table);
	struct buf b = {0};
	enum db_step step;
	*n = 0;
	while ((step = db_step(st, err)) == DB_ROW) {
		buf_printf(&b, "%s%s", (*n)++ ? ", " : "", db_col_text(st, 0));
	}
	db_finalize(st);
	if (step == DB_ERROR || !*n) {
		buf_free(&b);
		return step == DB_ERROR ? ERR_DB : err_set(err, ERR_SCHEMA, "%s: has no table %s", pg->name, table);
	}
	*list = buf_steal(&b);
	return OK;
}

/* cols with action's import signature read as expr (a new string the caller frees):
 * the file holds it as a BLOB, the server as a bytea, and COPY's text carries neither
 * as it is. */
static char *copy_sig_as(const char *table, const char *cols, const char *expr)
{
	const char *at = strcmp(table, "action") == 0 ? strstr(cols, "import_sig") : NULL;
	if (!at)
		return xstrdup(cols);
	return xasprintf("%.*s%s%s", (int)(at - cols), cols, expr, at + strlen("import_sig"));
}

/* The position of action's import signature in cols, or -1. */
static int copy_sig_column(const char *table, const char *cols)
{
	const char *at = strcmp(table, "action") == 0 ? strstr(cols, "import_sig") : NULL;
	int i = 0;
	for (const char *c = cols; at && c < at; c++)
		i += *c == ',';
	return at ? i : -1;
}

/* Bind hex digits (the server's encode(import_sig, 'hex')) as the BLOB they spell. */
static void copy_bind_hex(sqlite3_stmt *st, int i, const char *hex)
{
	size_t n = strlen(hex) / 2;
	unsigned char *b = xmalloc(n + 1);
	for (size_t k = 0; k < n; k++) {
		char pair[3] = { hex[2 * k], hex[2 * k + 1], 0 };
		b[k] = (unsigned char)strtoul(pair, NULL, 16);
	}
	sqlite3_bind_blob(st, i, b, (int)n, SQLITE_TRANSIENT);
	free(b);
}

/* One table: read from the file, sent with COPY into dest (NULL: the table itself).
 * *rows gets how many went in. */
static enum status copy_table(struct db *lite, struct db *pg, const char *table, const char *dest, int64_t *rows,
                              struct err *err)
{
	char *cols = NULL;
	int n;
	enum status rc = copy_columns(pg, table, &cols, &n, err);
	if (rc != OK)
		return rc;
	char *list = copy_sig_as(table, cols, "'\\x' || lower(hex(import_sig))");
	char *select = xasprintf("SELECT %s FROM %s%s%s", list, table,
	                         strcmp(table, "meta") == 0 ? " WHERE key NOT IN " : "",
	                         strcmp(table, "meta") == 0 ? META_OWN : "");
	char *copy = dest ? xasprintf("COPY %s (%s) FROM STDIN", dest, cols)
	                  : xasprintf("COPY ragtrack.%s (%s) FROM STDIN", table, cols);
	struct db_stmt *st = NULL;
	rc = db_prepare(lite, select, &st, err);
	if (rc == OK)
		rc = db_copy_begin(pg, copy, err);
	if (rc == OK) {
		const char **v = xcalloc((size_t)n, sizeof *v);
		enum db_step step = DB_DONE;
		while (rc == OK && (step = db_step(st, err)) == DB_ROW) {
			for (int i = 0; i < n; i++)
				v[i] = db_col_text(st, i);
			rc = db_copy_row(pg, n, v, err);
		}
		if (rc == OK && step == DB_ERROR)
			rc = ERR_DB;
		free(v);
		struct err end = {0};
		enum status ended = db_copy_end(pg, rows, &end);
		if (rc == OK && ended != OK) {
			rc = ended;
			if (err)
				*err = end;
		}
	}
	if (rc != OK && err) {          /* which table: the server's words name no table */
		char *msg = xstrdup(err->msg);
		err_set(err, err->code, "copying %s: %s", table, msg);
		free(msg);
	}
	db_finalize(st);
	free(select);
	free(list);
	free(copy);
	free(cols);
	return rc;
}

/* The destination must hold no rows of its own (the ids are the file's). */
static enum status copy_check_empty(struct db *pg, struct err *err)
{
	int64_t rows = db_scalar_int(pg, "SELECT (SELECT count(*) FROM review) + (SELECT count(*) FROM agency)"
	                                 " + (SELECT count(*) FROM action) + (SELECT count(*) FROM change_log)"
	                                 " + (SELECT count(*) FROM board) + (SELECT count(*) FROM ui_state)", 0, -1);
	if (rows < 0)
		return err_set(err, ERR_DB, "%s: cannot count its rows", pg->name);
	if (rows > 0)
		return err_set(err, ERR_CONFLICT, "%s: already holds actions or other rows: db copy writes only into a "
		               "database without them (nothing was copied)", pg->name);
	return OK;
}

/* The actions, from the staging table into theirs with their search vectors in one
 * statement (rt_vector over the texts joined: one write of each row, no subselect per
 * action); then the RAG totals. */
static enum status copy_actions(struct db *pg, struct err *err)
{
	char *cols = NULL;
	int n;
	enum status rc = copy_columns(pg, "action", &cols, &n, err);
	if (rc != OK)
		return rc;
	char *sql = xasprintf("INSERT INTO action (%s, search) SELECT s.*, rt_vector(q.text, r.text, s.text, s.evidence,"
	                      " n.texts, s.extra) FROM rt_stage_action s"
	                      " LEFT JOIN question q ON q.id = s.question_id LEFT JOIN response r ON r.id = s.response_id"
	                      " LEFT JOIN (SELECT action_id, string_agg(text, E'\\n' ORDER BY id) texts FROM note"
	                      " GROUP BY action_id) n ON n.action_id = s.id;"
	                      "DELETE FROM rag_count;"
	                      "INSERT INTO rag_count SELECT review_id, coalesce(agency_id, 0), rag, count(*) FROM action"
	                      " GROUP BY 1, 2, 3", cols);
	rc = db_exec(pg, sql, err);
	free(sql);
	free(cols);
	return rc;
}

/* Every identity and sequence past what the tables hold (and never back), so new rows
 * never take a copied id. */
static enum status copy_settle(struct db *pg, struct err *err)
{
	static const char SQL[] =
		"SELECT setval('change_batch', greatest(max(batch), 1), max(batch) IS NOT NULL) FROM change_log;"
		"SELECT setval('import_run', greatest(max(greatest(run, created_run)), 1), max(run) IS NOT NULL) FROM response;";
	enum status rc = db_exec(pg, SQL, err);
	static const char *const IDS[] = { "review", "finding", "question", "agency", "response", "action", "change_log",
	                                   "note", "board" };
	for (size_t i = 0; rc == OK && i < sizeof IDS / sizeof *IDS; i++) {
		char *sql = xasprintf("SELECT setval(pg_get_serial_sequence('ragtrack.%1$s', 'id'), greatest(max(id), 1),"
		                      " max(id) IS NOT NULL) FROM %1$s", IDS[i]);
		rc = db_exec(pg, sql, err);
		free(sql);
	}
	return rc;
}

/* The rows of a table in the file, for the report and the check that all went over. */
static int64_t copy_source_rows(struct db *lite, const char *table)
{
	char *sql = xasprintf("SELECT count(*) FROM %s%s%s", table, strcmp(table, "meta") == 0 ? " WHERE key NOT IN " : "",
	                      strcmp(table, "meta") == 0 ? META_OWN : "");
	int64_t n = db_scalar_int(lite, sql, 0, -1);
	free(sql);
	return n;
}

static enum status copy_all(struct store *src, struct store *dst, const char *from, struct buf *report, struct err *err)
{
	struct db *lite = db_sqlite_wrap(src->db, from);
	struct db *pg = dst->pg;
	int64_t copied[NTABLES] = {0};
	enum status rc = copy_check_empty(pg, err);
	/* The triggers leave search vectors and totals to copy_actions; the foreign keys and
	 * indexes wait for the rows (rt_load_begin); the actions wait in a staging table
	 * for their notes, and go in with their vectors. */
	if (rc == OK)
		rc = db_exec(pg, "SET LOCAL ragtrack.import_run = 'on'; SELECT rt_load_begin();"
		                 "CREATE TEMP TABLE rt_stage_action ON COMMIT DROP AS SELECT * FROM action WITH NO DATA;"
		                 "ALTER TABLE rt_stage_action DROP COLUMN search", err);
	for (size_t i = 0; rc == OK && i < NTABLES; i++) {
		int action = strcmp(COPY_TABLES[i], "action") == 0;
		rc = copy_table(lite, pg, COPY_TABLES[i], action ? "rt_stage_action" : NULL, &copied[i], err);
		int64_t want = rc == OK ? copy_source_rows(lite, COPY_TABLES[i]) : 0;
		if (rc == OK && want != copied[i])
			rc = err_set(err, ERR_DB, "copying %s: %lld rows of %lld went over", COPY_TABLES[i], (long long)copied[i],
			             (long long)want);
	}
	if (rc == OK)
		rc = copy_actions(pg, err);
	if (rc == OK)
		rc = db_exec(pg, "SELECT rt_load_end(); SET LOCAL ragtrack.import_run = 'off'", err);
	if (rc == OK)
		rc = copy_settle(pg, err);
	if (rc == OK)
		buf_printf(report, "%s: copied from %s: reviews %lld, actions %lld, notes %lld, change-log entries %lld, "
		           "boards recorded %lld (ids kept; search vectors and RAG totals rebuilt)\n", pg->name, from,
		           (long long)copied[1], (long long)copied[7], (long long)copied[10], (long long)copied[9],
		           (long long)copied[13]);
	db_close(lite);
	return rc;
}

/* ---- PostgreSQL into SQLite ----------------------------------------------------------- */

/* Is a SQLite store empty of rows a copy could clash with? */
static enum status copy_check_empty_file(struct store *lite, const char *to, struct err *err)
{
	struct db *db = store_db(lite);
	int64_t rows = db_scalar_int(db, "SELECT (SELECT count(*) FROM review) + (SELECT count(*) FROM agency)"
	                                 " + (SELECT count(*) FROM action) + (SELECT count(*) FROM change_log)"
	                                 " + (SELECT count(*) FROM board) + (SELECT count(*) FROM ui_state)", 0, -1);
	if (rows < 0)
		return err_set(err, ERR_DB, "%s: cannot count its rows", to);
	if (rows > 0)
		return err_set(err, ERR_CONFLICT, "%s: already holds actions or other rows: db copy writes only into a "
		               "new file or one without them (nothing was copied)", to);
	return OK;
}

/* One table from the server (COPY TO STDOUT: one round trip, a row in memory at a time)
 * into the file's, with the file's own meta rows kept. */
static enum status copy_table_back(struct db *pg, struct store *lite, const char *table, int64_t *rows,
                                   struct err *err)
{
	char *cols = NULL;
	int n;
	enum status rc = copy_columns(pg, table, &cols, &n, err);
	if (rc != OK)
		return rc;
	int meta = strcmp(table, "meta") == 0;
	char *list = copy_sig_as(table, cols, "encode(import_sig, 'hex')");
	int sig = copy_sig_column(table, cols);
	char *copy = xasprintf("COPY (SELECT %s FROM ragtrack.%s%s%s) TO STDOUT", list, table,
	                       meta ? " WHERE key NOT IN " : "", meta ? META_OWN : "");
	free(list);
	struct buf ins = {0};
	buf_printf(&ins, "INSERT %sINTO %s (%s) VALUES (", meta ? "OR REPLACE " : "", table, cols);
	for (int i = 0; i < n; i++)
		buf_printf(&ins, "%s?", i ? ", " : "");
	buf_adds(&ins, ")");
	sqlite3_stmt *st = NULL;
	struct db_copy_out *out = NULL;
	rc = store_prepare(lite, &st, ins.s, err);
	if (rc == OK)
		rc = db_copy_out_begin(pg, copy, n, &out, err);
	const char *const *v;
	enum db_step step = DB_DONE;
	*rows = 0;
	while (rc == OK && (step = db_copy_out_row(out, &v, err)) == DB_ROW) {
		for (int i = 0; i < n; i++) {
			if (i == sig && v[i])
				copy_bind_hex(st, i + 1, v[i]);
			else
				store_bind_text(st, i + 1, v[i]);
		}
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = store_fail(lite, err, "writing");
		sqlite3_reset(st);
		(*rows)++;
	}
	if (rc == OK && step == DB_ERROR)
		rc = ERR_DB;
	if (rc != OK && err) {
		char *msg = xstrdup(err->msg);
		err_set(err, err->code, "copying %s: %s", table, msg);
		free(msg);
	}
	db_copy_out_end(out);
	sqlite3_finalize(st);
	buf_free(&ins);
	free(copy);
	free(cols);
	return rc;
}

/* The file's derived data from its rows: RAG totals counted, the full-text index built. */
static enum status copy_settle_file(struct store *lite, struct err *err)
{
	return store_exec(lite, "DELETE FROM rag_count;"
	                        "INSERT INTO rag_count SELECT review_id, ifnull(agency_id, 0), rag, count(*) FROM action"
	                        " GROUP BY 1, 2, 3;"
	                        "INSERT INTO action_fts(action_fts) VALUES ('rebuild');"
	                        "DELETE FROM meta WHERE key = 'import_run';", err);
}

/* Every table of the server (in its transaction) into lite (in its own). */
static enum status copy_all_back(struct store *src, struct store *lite, const char *to, struct buf *report,
                                 struct err *err)
{
	int64_t copied[NTABLES] = {0};
	enum status rc = copy_check_empty_file(lite, to, err);
	/* The triggers leave the index and totals to copy_settle_file, but for the notes',
	 * which never pause: notes go in before the actions (their references checked at
	 * commit), so those find no action to index. */
	static const size_t ORDER[] = { 0, 1, 2, 3, 4, 5, 6, 10, 7, 8, 9, 11, 12, 13, 14 };
	if (rc == OK)
		rc = store_exec(lite, "PRAGMA defer_foreign_keys = ON;"
		                      "INSERT OR REPLACE INTO meta(key, value) VALUES ('import_run', '1')", err);
	for (size_t i = 0; rc == OK && i < NTABLES; i++)
		rc = copy_table_back(src->pg, lite, COPY_TABLES[ORDER[i]], &copied[ORDER[i]], err);
	if (rc == OK)
		rc = copy_settle_file(lite, err);
	if (rc == OK)
		buf_printf(report, "%s: copied from %s: reviews %lld, actions %lld, notes %lld, change-log entries %lld, "
		           "boards recorded %lld (ids kept; search index and RAG totals rebuilt)\n", to, src->pg->name,
		           (long long)copied[1], (long long)copied[7], (long long)copied[10], (long long)copied[9],
		           (long long)copied[13]);
	return rc;
}

/* The server's rows as of one moment, whoever writes meanwhile. */
static enum status copy_snapshot(struct store *src, struct err *err)
{
	return db_exec(src->pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err);
}

/* The server src into the SQLite database at path, opened with o (a new file is built
 * privately and put in place complete); the rows in one transaction. */
static enum status copy_into_file(struct store *src, const char *path, const struct store_opts *o, struct buf *report,
                                  struct err *err)
{
	struct store *lite;
	enum status rc = store_open(path, o, &lite, err);
	if (rc != OK)
		return rc;
	rc = store_exec(lite, "BEGIN IMMEDIATE", err);
	if (rc == OK)
		rc = copy_all_back(src, lite, path, report, err);
	if (rc == OK)
		rc = store_exec(lite, "COMMIT", err);
	if (rc == OK)
		return store_publish(lite, err);
	store_close(lite);       /* rolled back; a private build discarded */
	return rc;
}

static enum status copy_from_pg(const char *from, const char *to, const struct store_opts *o, struct buf *b,
                                struct err *err)
{
	struct store_opts so = { .read_only = 1, .source = SOURCE_CLI, .command = "db" };
	struct store *src;
	enum status rc = store_open(from, &so, &src, err);
	if (rc != OK)
		return rc;
	struct store_opts to_opts = *o;
	to_opts.create = 1;
	to_opts.build_private = 1;
	to_opts.read_only = 0;
	rc = copy_snapshot(src, err);
	if (rc == OK)
		rc = copy_into_file(src, to, &to_opts, b, err);
	store_close(src);
	return rc;
}

enum status store_copy_backup(struct store *s, const char *path, struct err *err)
{
	/* Built in util_tmp_create's private file beside path, renamed over it when
	 * complete and checked, as a SQLite backup is. */
	util_tmp_sweep(path);
	char *tmp = NULL;
	int fd = util_tmp_create(path, &tmp);
	if (fd < 0)
		return err_set(err, ERR_IO, "%s: cannot create the copy beside it: %s", path, strerror(errno));
	fchmod(fd, 0660);          /* as every database file */
	close(fd);
	struct store_opts o = { .source = SOURCE_CLI, .create = 1, .command = "backup" };
	struct buf b = {0};
	enum status rc = copy_snapshot(s, err);
	if (rc == OK)
		rc = copy_into_file(s, tmp, &o, &b, err);
	db_exec(s->pg, "COMMIT", NULL);       /* the snapshot's end */
	struct store *check = NULL;
	char *report = NULL;
	struct store_opts ro = { .read_only = 1, .source = SOURCE_CLI };
	if (rc == OK)
		rc = store_open(tmp, &ro, &check, err);
	if (rc == OK && store_check(check, &report, err) != OK)
		rc = err_set(err, ERR_IO, "%s: the copy failed its check: %s", path, report ? report : "");
	store_close(check);
	free(report);
	static const char *const side[] = { "", "-journal", "-wal", "-shm" };
	for (size_t i = 1; i < sizeof side / sizeof *side; i++) {  /* all closed: the WAL is empty */
		char *p = xasprintf("%s%s", tmp, side[i]);
		unlink(p);
		free(p);
	}
	if (rc == OK && rename(tmp, path) != 0)
		rc = err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
	if (rc != OK)
		unlink(tmp);
	if (rc != OK && err && strstr(err->msg, tmp)) {   /* name path, not the hidden file */
		char *msg = xasprintf("%s: backup failed: %s", path, err->msg);
		err_set(err, err->code, "%s", msg);
		free(msg);
	}
	buf_free(&b);
	free(tmp);
	return rc;
}

/* ---- SQLite into PostgreSQL --------------------------------------------------------- */

/* The open SQLite store src into the PostgreSQL database to, in one transaction. */
static enum status copy_store_to_pg(struct store *src, const char *from, const char *to, const struct store_opts *o,
                                    struct buf *b, struct err *err)
{
	struct store *dst = NULL;
	enum status rc = store_exec(src, "BEGIN", err);      /* one snapshot of the file, whoever writes to it */
	if (rc == OK)
		rc = store_pg_begin_init(to, o, &dst, b, err);
	if (rc == OK)
		rc = copy_all(src, dst, from, b, err);
	if (rc == OK)
		rc = db_exec(dst->pg, "COMMIT", err);
	store_close(dst);                        /* without the COMMIT: rolled back */
	store_exec(src, "COMMIT", NULL);
	return rc;
}

enum status store_copy(const char *from, const char *to, const struct store_opts *o, char **report, struct err *err)
{
	*report = NULL;
	int from_pg = store_pg_target(from), to_pg = store_pg_target(to);
	if (from_pg == to_pg)
		return err_set(err, ERR_USAGE, from_pg ? "db copy: FROM and TO are both PostgreSQL databases: one of them "
		               "must be a SQLite file" : "db copy: FROM or TO must be a PostgreSQL database (postgresql://..., "
		               "pg:service=NAME); a copy into a file is ragtrack backup FILE");
	struct buf b = {0};
	enum status rc;
	if (from_pg) {
		rc = copy_from_pg(from, to, o, &b, err);
	} else {
		struct store_opts so = { .read_only = 1, .source = SOURCE_CLI, .command = "db" };
		struct store *src;
		rc = store_open(from, &so, &src, err);
		if (rc == OK) {
			rc = copy_store_to_pg(src, from, to, o, &b, err);
			store_close(src);
		}
	}
	if (rc == OK)
		*report = buf_steal(&b);
	buf_free(&b);
	return rc;
}

/* ---- import on PostgreSQL: a scratch SQLite store, then copied in ---------------------- */

static const char REIMPORT[] = "%s: already holds actions: re-import on PostgreSQL is not available yet (import "
	"into an empty database; or db copy it to a file, import there, and db copy that back into an empty database)";

enum status store_open_import(const char *target, const struct store_opts *o, struct store **out, struct err *err)
{
	if (!store_pg_target(target))
		return store_open(target, o, out, err);
	*out = NULL;
	struct store_opts po = *o;
	po.command = "import";
	struct store *pg;
	enum status rc = store_pg_open(target, &po, &pg, err);
	int64_t actions = rc == OK ? db_scalar_int(pg->pg, "SELECT (SELECT count(*) FROM action)"
	                                                   " + (SELECT count(*) FROM review)", 0, -1) : 0;
	if (rc == OK && actions != 0)
		rc = actions < 0 ? err_set(err, ERR_DB, "%s: cannot count its actions", pg->pg->name)
		                 : err_set(err, ERR_CONFLICT, REIMPORT, pg->pg->name);
	if (rc == OK && o->read_only)
		rc = err_set(err, ERR_READ_ONLY, "%s: import writes: not with --read-only", pg->pg->name);
	store_close(pg);
	if (rc != OK)
		return rc;
	struct store_opts so = *o;
	so.scratch = 1;
	so.build_private = 0;
	rc = store_open(":memory:", &so, out, err);
	if (rc == OK) {            /* messages name the server; store_publish_import copies it in */
		free((*out)->path);
		(*out)->path = xstrdup(target);
	}
	return rc;
}

enum status store_publish_import(struct store *s, const struct store_opts *o, struct err *err)
{
	if (!store_pg_target(s->path) || s->pg)
		return store_publish(s, err);
	if (o && o->scratch) {             /* a dry run: nothing written */
		store_close(s);
		return OK;
	}
	struct buf b = {0};
	char *to = xstrdup(s->path);
	enum status rc = copy_store_to_pg(s, "the import", to, o, &b, err);
	if (rc == ERR_CONFLICT && err)     /* someone imported meanwhile */
		err_set(err, ERR_CONFLICT, REIMPORT, to);
	store_close(s);
	buf_free(&b);
	free(to);
	return rc;
}
