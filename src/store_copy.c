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
#define META_OWN "('schema_version', 'pg_revision', 'board_login', 'import_run')"

/* A destination table's columns, as a list for SELECT and COPY ("user" quoted), and
 * how many; action's search vector is left to the rebuild, the logins (change_log,
 * ui_state) to the server, which stamps the login that copies. */
static enum status copy_columns(struct db *pg, const char *table, char **list, int *n, struct err *err)
{
	struct db_stmt *st;
	enum status rc = db_prepare(pg, "SELECT quote_ident(column_name) FROM information_schema.columns"
	                                " WHERE table_schema = 'ragtrack' AND table_name = ?1"
	                                " AND column_name NOT IN ('search', 'login', 'lead_key')"
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

/* One table: its rows in the file (those that meet cond, a condition in the file's SQL;
 * NULL: all), sent with COPY into dest (NULL: the table itself).  *rows gets how many
 * went in. */
static enum status copy_table(struct db *lite, struct db *pg, const char *table, const char *dest, const char *cond,
                              int64_t *rows, struct err *err)
{
	char *cols = NULL;
	int n;
	enum status rc = copy_columns(pg, table, &cols, &n, err);
	if (rc != OK)
		return rc;
	char *list = copy_sig_as(table, cols, "'\\x' || lower(hex(import_sig))");
	int meta = strcmp(table, "meta") == 0;
	char *select = xasprintf("SELECT %s FROM %s%s%s%s%s", list, table, meta || cond ? " WHERE " : "",
	                         meta ? "key NOT IN " META_OWN : "", meta && cond ? " AND " : "", cond ? cond : "");
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
	                      RAG_COUNT_REBUILD_SQL, cols);
	rc = db_exec(pg, sql, err);
	free(sql);
	free(cols);
	return rc;
}

/* Every identity and sequence past the ids and numbers the tables hold, never back (an
 * edit waiting on a re-import's lock may have drawn one), so new rows never take a
 * copied or imported id: after db copy, a first import and a re-import's write-back. */
static enum status copy_settle(struct db *pg, struct err *err)
{
	static const char SQL[] =
		"SELECT setval('change_batch', m) FROM (SELECT max(batch) m FROM change_log) x"
		" WHERE m > coalesce(pg_sequence_last_value('change_batch'), 0);"
		"SELECT setval('import_run', m) FROM (SELECT max(greatest(run, created_run)) m FROM response) x"
		" WHERE m > coalesce(pg_sequence_last_value('import_run'), 0)";
	enum status rc = db_exec(pg, SQL, err);
	static const char *const IDS[] = { "review", "finding", "question", "agency", "response", "action", "change_log",
	                                   "note", "board" };
	for (size_t i = 0; rc == OK && i < sizeof IDS / sizeof *IDS; i++) {
		char *sql = xasprintf("SELECT setval(q, m) FROM (SELECT pg_get_serial_sequence('ragtrack.%1$s', 'id')::regclass q,"
		                      " max(id) m FROM %1$s) x WHERE m > coalesce(pg_sequence_last_value(q), 0)", IDS[i]);
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

/* from_file: the rows are a file's (db copy), not this login's import: the change
 * log's rows keep no login (revision 7's ragtrack.copied), so undo takes --force. */
static enum status copy_all(struct store *src, struct store *dst, const char *from, int from_file, struct buf *report,
                            struct err *err)
{
	struct db *lite = db_sqlite_wrap(src->db, from);
	struct db *pg = dst->pg;
	int64_t copied[NTABLES] = {0};
	enum status rc = copy_check_empty(pg, err);
	/* The triggers leave search vectors and totals to copy_actions; the foreign keys and
	 * indexes wait for the rows (rt_load_begin); the actions wait in a staging table
	 * for their notes, and go in with their vectors. */
	if (rc == OK && from_file)
		rc = db_exec(pg, "SET LOCAL ragtrack.copied = 'on'", err);
	if (rc == OK)
		rc = db_exec(pg, "SET LOCAL ragtrack.import_run = 'on'; SELECT rt_load_begin();"
		                 "CREATE TEMP TABLE rt_stage_action ON COMMIT DROP AS SELECT * FROM action WITH NO DATA;"
		                 "ALTER TABLE rt_stage_action DROP COLUMN search, DROP COLUMN lead_key", err);
	for (size_t i = 0; rc == OK && i < NTABLES; i++) {
		int action = strcmp(COPY_TABLES[i], "action") == 0;
		rc = copy_table(lite, pg, COPY_TABLES[i], action ? "rt_stage_action" : NULL, NULL, &copied[i], err);
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
	return store_exec(lite, RAG_COUNT_REBUILD_SQL ";"
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

/* After a bulk write has committed: the new rows' pages marked all-visible and the
 * planner's statistics brought up to date, so the browser's counts are index-only
 * scans from the start (the RAG totals under "overdue" at 100,000 actions: 106 ms
 * before, 8.6 ms after), not whenever autovacuum comes round.  The schema's owner's
 * to run; for another board login the server skips it (a notice) and autovacuum
 * does it later. */
static void copy_vacuum(struct db *pg)
{
	db_exec(pg, "VACUUM (ANALYZE) ragtrack.action, ragtrack.response, ragtrack.question, ragtrack.note,"
	            " ragtrack.change_log, ragtrack.rag_count", NULL);
}

/* The open SQLite store src into the PostgreSQL database to, in one transaction. */
static enum status copy_store_to_pg(struct store *src, const char *from, const char *to, const struct store_opts *o,
                                    int from_file, struct buf *b, struct err *err)
{
	struct store *dst = NULL;
	enum status rc = store_exec(src, "BEGIN", err);      /* one snapshot of the file, whoever writes to it */
	if (rc == OK)
		rc = store_pg_begin_init(to, o, &dst, b, err);
	if (rc == OK)
		rc = copy_all(src, dst, from, from_file, b, err);
	if (rc == OK)
		rc = db_exec(dst->pg, "COMMIT", err);
	if (rc == OK)
		copy_vacuum(dst->pg);
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
			rc = copy_store_to_pg(src, from, to, o, 1, &b, err);
			store_close(src);
		}
	}
	if (rc == OK)
		*report = buf_steal(&b);
	buf_free(&b);
	return rc;
}

/* ---- import on PostgreSQL: a scratch SQLite store, then copied in ---------------------- */

/* A first import (a database without plans) runs in an empty scratch store, copied in
 * whole at the end (copy_store_to_pg).  A re-import (an agency's return, a plan again)
 * matches against what the server holds: the server's tables are locked against other
 * writers (EXCLUSIVE: reads go on, edits wait), its rows copied into the scratch store
 * (copy_all_back), and the importer runs there as on any file.  Temporary triggers note
 * the key of every row it inserts, changes or deletes (rt_touched); at the end those
 * rows go back in the same transaction, a COPY per table into a staging table and then
 * one upsert and one delete, so the server's own triggers keep the search vectors, RAG
 * totals and the change log's chain. */

/* The tables a re-import writes, in the order their references need.  by_id: matched
 * by id, upserted (append: the change log and notes are only ever added to); else
 * matched by key (key_pg on the server, against rt_touch's text k as k_pg) and
 * replaced: the few rows of meta, aliases, a review's extra fields and RAG words. */
static const struct sync_table {
	const char *table, *key;
	int by_id, append;
	const char *key_pg, *k_pg;
} SYNC[] = {
	{ "meta", "key", 0, 0, "key", "k" },
	{ "review", "id", 1, 0, NULL, NULL },
	{ "finding", "id", 1, 0, NULL, NULL },
	{ "question", "id", 1, 0, NULL, NULL },
	{ "agency", "id", 1, 0, NULL, NULL },
	{ "agency_alias", "alias", 0, 0, "rt_nocase(alias)", "rt_nocase(k)" },
	{ "response", "id", 1, 0, NULL, NULL },
	{ "action", "id", 1, 0, NULL, NULL },
	{ "extra_field", "review_id", 0, 0, "review_id", "k::bigint" },
	{ "change_log", "id", 1, 1, NULL, NULL },
	{ "note", "id", 1, 1, NULL, NULL },
	{ "rag_word", "review_id", 0, 0, "review_id", "k::bigint" },
};
#define NSYNC (sizeof SYNC / sizeof *SYNC)
/* A table's number in SYNC: how rt_touched names it. */
static int sync_index(const struct sync_table *t)
{
	return (int)(t - SYNC);
}

/* The change log's lock first, as every logging writer takes it (edit_begin), then the
 * tables: an edit waits at its start, never holding a row the write-back needs. */
static const char SYNC_LOCK[] = "BEGIN; SELECT " PG_CHAIN_LOCK "; LOCK TABLE meta, review, finding, question, agency,"
	" agency_alias, response, action, extra_field, change_log, note, rag_word IN EXCLUSIVE MODE";

static const char REIMPORT_RACE[] = "%s: another import put plans in meanwhile: run this import again, to match "
	"against them";

/* The scratch store's triggers that note each row the importer touches. */
static enum status sync_watch(struct store *lite, struct err *err)
{
	struct buf sql = {0};
	buf_adds(&sql, "CREATE TEMP TABLE rt_touched(tbl INTEGER NOT NULL, k NOT NULL, PRIMARY KEY (tbl, k)) WITHOUT ROWID;");
	for (size_t i = 0; i < NSYNC; i++) {
		const char *t = SYNC[i].table, *k = SYNC[i].key;
		buf_printf(&sql, "CREATE TEMP TRIGGER rt_touch_%1$s_i AFTER INSERT ON main.%1$s BEGIN"
		           " INSERT OR IGNORE INTO rt_touched VALUES (%3$d, NEW.%2$s); END;"
		           "CREATE TEMP TRIGGER rt_touch_%1$s_u AFTER UPDATE ON main.%1$s BEGIN"
		           " INSERT OR IGNORE INTO rt_touched VALUES (%3$d, OLD.%2$s), (%3$d, NEW.%2$s); END;"
		           "CREATE TEMP TRIGGER rt_touch_%1$s_d AFTER DELETE ON main.%1$s BEGIN"
		           " INSERT OR IGNORE INTO rt_touched VALUES (%3$d, OLD.%2$s); END;", t, k, (int)i);
	}
	enum status rc = store_exec(lite, sql.s, err);
	buf_free(&sql);
	return rc;
}

/* The server pg (a board's login, checked) locked, and its rows in the empty scratch
 * store lite, watched from now on. */
static enum status sync_mirror(struct store *pg, struct store *lite, struct err *err)
{
	int64_t board = db_scalar_int(pg->pg, "SELECT rt_is_board()::int", 0, -1);
	if (board != 1)
		return board < 0 ? ERR_DB : err_set(err, ERR_FORBIDDEN, "%s: importing is for the board's logins (%s is not one)",
		                                    pg->pg->name, pg->login ? pg->login : "this login");
	struct buf b = {0};
	store_pg_import_wait(pg);
	enum status rc = db_exec(pg->pg, SYNC_LOCK, err);
	if (rc == OK)
		rc = store_exec(lite, "BEGIN", err);
	if (rc == OK)
		rc = copy_all_back(pg, lite, "the import", &b, err);
	if (rc == OK)
		rc = store_exec(lite, "COMMIT", err);
	if (rc == OK)
		rc = sync_watch(lite, err);
	buf_free(&b);
	return rc;
}

/* The keys noted in the scratch store, into the server's temporary rt_touch. */
static enum status sync_keys(struct db *lite, struct db *pg, struct err *err)
{
	struct db_stmt *st;
	enum status rc = db_exec(pg, "CREATE TEMP TABLE rt_touch(tbl int NOT NULL, k text NOT NULL) ON COMMIT DROP", err);
	if (rc == OK)
		rc = db_prepare(lite, "SELECT tbl, k FROM temp.rt_touched", &st, err);
	if (rc != OK)
		return rc;
	rc = db_copy_begin(pg, "COPY rt_touch (tbl, k) FROM STDIN", err);
	enum db_step step = DB_DONE;
	while (rc == OK && (step = db_step(st, err)) == DB_ROW) {
		const char *v[2] = { db_col_text(st, 0), db_col_text(st, 1) };
		rc = db_copy_row(pg, 2, v, err);
	}
	if (rc == OK && step == DB_ERROR)
		rc = ERR_DB;
	db_finalize(st);
	enum status ended = db_copy_end(pg, NULL, rc == OK ? err : NULL);
	rc = rc == OK ? ended : rc;
	return rc == OK ? db_exec(pg, "ANALYZE rt_touch", err) : rc;      /* the planner's counts */
}

/* "a = excluded.a, ..." and the two rows compared, over cols ("a, b, ..."): what an
 * upsert sets when a row differs.  Caller frees both. */
static void sync_sets(const char *table, const char *cols, char **sets, char **differs)
{
	struct buf s = {0}, mine = {0}, theirs = {0};
	char *copy = xstrdup(cols);
	int n = 0;
	for (char *c = strtok(copy, ", "); c; c = strtok(NULL, ", ")) {
		if (strcmp(c, "id") == 0)            /* the key the rows are matched by */
			continue;
		buf_printf(&s, "%s%s = excluded.%s", n ? ", " : "", c, c);
		buf_printf(&mine, "%s%s.%s", n ? ", " : "", table, c);
		buf_printf(&theirs, "%sexcluded.%s", n++ ? ", " : "", c);
	}
	*sets = buf_steal(&s);
	*differs = xasprintf("(%s) IS DISTINCT FROM (%s)", mine.s, theirs.s);
	buf_free(&mine);
	buf_free(&theirs);
	free(copy);
}

/* The SQL that writes table t's staged rows (rt_sync_T) over the server's: an upsert by
 * id, or the touched keys' rows replaced.  Actions whose place (question, agency,
 * number) changes, or that go, first step aside to a negative number, so no two rows
 * ever hold one place; change-log rows take batch numbers of the server's sequence
 * (an edit that waits on the lock has drawn its own). */
static char *sync_sql(const struct sync_table *t, const char *cols)
{
	const char *n = t->table;
	if (!t->by_id)
		return xasprintf("DELETE FROM %1$s WHERE %2$s IN (SELECT %3$s FROM rt_touch WHERE tbl = %6$d)%4$s;"
		                 "INSERT INTO %1$s (%5$s) SELECT %5$s FROM rt_sync_%1$s", n, t->key_pg, t->k_pg,
		                 strcmp(n, "meta") == 0 ? " AND key NOT IN " META_OWN : "", cols, sync_index(t));
	struct buf b = {0};
	if (strcmp(n, "action") == 0)
		buf_printf(&b, "UPDATE action a SET seq = -a.seq WHERE a.id IN (SELECT k::bigint FROM rt_touch WHERE tbl = %d)"
		             " AND NOT EXISTS (SELECT 1 FROM rt_sync_action s WHERE s.id = a.id AND s.question_id = a.question_id"
		             " AND s.agency_id IS NOT DISTINCT FROM a.agency_id AND s.seq = a.seq);", sync_index(t));
	if (strcmp(n, "change_log") == 0)
		buf_adds(&b, "UPDATE rt_sync_change_log c SET batch = m.nb FROM (SELECT b, nextval('change_batch') nb"
		             " FROM (SELECT DISTINCT batch b FROM rt_sync_change_log s WHERE NOT EXISTS"
		             " (SELECT 1 FROM change_log o WHERE o.id = s.id) ORDER BY 1) x) m"
		             " WHERE c.batch = m.b AND NOT EXISTS (SELECT 1 FROM change_log o WHERE o.id = c.id);");
	buf_printf(&b, "INSERT INTO %1$s (%2$s) SELECT %2$s FROM rt_sync_%1$s ORDER BY id ON CONFLICT (id) DO ", n, cols);
	if (t->append) {
		buf_adds(&b, "NOTHING");
	} else {
		char *sets, *differs;
		sync_sets(n, cols, &sets, &differs);
		buf_printf(&b, "UPDATE SET %s WHERE %s", sets, differs);
		free(sets);
		free(differs);
	}
	return buf_steal(&b);
}

/* How many of table t's rows the importer touched (-1: the scratch store cannot say). */
static int64_t sync_touched(struct db *lite, const struct sync_table *t)
{
	char *ask = xasprintf("SELECT count(*) FROM temp.rt_touched WHERE tbl = %d", sync_index(t));
	int64_t touched = db_scalar_int(lite, ask, 0, -1);
	free(ask);
	return touched;
}

/* One table's touched rows from the scratch store lite over the server's (pg). */
static enum status sync_table(struct db *lite, struct db *pg, const struct sync_table *t, struct err *err)
{
	int64_t touched = sync_touched(lite, t);
	if (touched <= 0)
		return touched < 0 ? err_set(err, ERR_DB, "the import: cannot read which rows it changed") : OK;
	char *stage = xasprintf("rt_sync_%s", t->table);
	char *make = xasprintf("CREATE TEMP TABLE %s ON COMMIT DROP AS SELECT * FROM ragtrack.%s WITH NO DATA", stage,
	                       t->table);
	char *cond = xasprintf("%s IN (SELECT k FROM temp.rt_touched WHERE tbl = %d)", t->key, sync_index(t));
	char *cols = NULL, *sql = NULL;
	int ncols;
	int64_t rows;
	char *analyze = xasprintf("ANALYZE %s", stage);
	enum status rc = db_exec(pg, make, err);
	if (rc == OK)
		rc = copy_table(lite, pg, t->table, stage, cond, &rows, err);
	if (rc == OK)       /* a temporary table has no statistics until asked: joins over it planned blind */
		rc = db_exec(pg, analyze, err);
	free(analyze);
	if (rc == OK)
		rc = copy_columns(pg, t->table, &cols, &ncols, err);
	if (rc == OK) {
		sql = sync_sql(t, cols);
		rc = db_exec(pg, sql, err);
	}
	if (rc != OK && err && !strstr(err->msg, t->table)) {
		char *msg = xstrdup(err->msg);
		err_set(err, err->code, "writing back %s: %s", t->table, msg);
		free(msg);
	}
	free(sql);
	free(cols);
	free(cond);
	free(make);
	free(stage);
	return rc;
}

/* The rows the import removed, last table first (what refers to a row goes before it). */
static enum status sync_deletes(struct db *lite, struct db *pg, struct err *err)
{
	enum status rc = OK;
	for (size_t i = NSYNC; rc == OK && i-- > 0;) {
		const struct sync_table *t = &SYNC[i];
		if (!t->by_id || t->append || sync_touched(lite, t) <= 0)
			continue;
		char *sql = xasprintf("DELETE FROM %1$s t USING (SELECT k::bigint AS id FROM rt_touch WHERE tbl = %2$d"
		                      " EXCEPT SELECT id FROM rt_sync_%1$s) gone WHERE t.id = gone.id", t->table, (int)i);
		rc = db_exec(pg, sql, err);
		free(sql);
	}
	return rc;
}

/* A re-import's changes, from its scratch store s into the server it mirrors, and the
 * commit (store_pg_commit: a lost connection says whether it was saved). */
static enum status sync_back(struct store *s, struct err *err)
{
	struct db *lite = db_sqlite_wrap(s->db, s->path);
	struct db *pg = s->home->pg;
	enum status rc = sync_keys(lite, pg, err);
	for (size_t i = 0; rc == OK && i < NSYNC; i++)
		rc = sync_table(lite, pg, &SYNC[i], err);
	if (rc == OK)
		rc = sync_deletes(lite, pg, err);
	if (rc == OK)
		rc = copy_settle(pg, err);
	if (rc == OK)
		rc = store_pg_commit(s->home, err);
	if (rc == OK)
		copy_vacuum(pg);
	db_close(lite);
	return rc;
}

/* An empty scratch store that messages name target by: a private build in the
 * temporary folder (util_tmp_create's file beside TMPDIR/ragtrack-import.db, never
 * published, removed by store_close), so a mirror of a large server database lives on
 * disk, not in memory, and a first import takes the file's bulk path. */
static enum status scratch_open(const char *target, const struct store_opts *o, struct store **out, struct err *err)
{
	struct store_opts so = *o;
	so.scratch = 0;
	so.create = 1;
	so.build_private = 1;
	so.read_only = 0;
	const char *dir = getenv("TMPDIR");
	char *where = xasprintf("%s/ragtrack-import.db", dir && *dir ? dir : "/tmp");
	enum status rc = access(where, F_OK) == 0 ? err_set(err, ERR_IO, "%s: in the way of the import's scratch "
	                                                     "database (remove it, or set TMPDIR)", where)
	                                          : store_open(where, &so, out, err);
	free(where);
	if (rc == OK) {
		free((*out)->path);
		(*out)->path = xstrdup(target);
	}
	return rc;
}

enum status store_open_import(const char *target, const struct store_opts *o, struct store **out, struct err *err)
{
	if (!store_pg_target(target))
		return store_open(target, o, out, err);
	*out = NULL;
	struct store_opts po = *o;
	po.command = "import";
	struct store *pg;
	enum status rc = store_pg_open(target, &po, &pg, err);
	int64_t plans = rc == OK ? db_scalar_int(pg->pg, "SELECT (SELECT count(*) FROM action)"
	                                                 " + (SELECT count(*) FROM review)", 0, -1) : 0;
	if (rc == OK && plans < 0)
		rc = err_set(err, ERR_DB, "%s: cannot count its actions", pg->pg->name);
	if (rc == OK && o->read_only)
		rc = err_set(err, ERR_READ_ONLY, "%s: import writes: not with --read-only", pg->pg->name);
	if (rc == OK && o->as_agency)      /* as store_import_begin says on a file */
		rc = err_set(err, ERR_FORBIDDEN, "import is not allowed under --as-agency");
	if (rc == OK)
		rc = scratch_open(target, o, out, err);
	if (rc == OK && plans > 0)
		rc = sync_mirror(pg, *out, err);
	if (rc == OK && plans > 0) {
		(*out)->home = pg;
		return OK;
	}
	store_close(pg);
	if (rc != OK) {
		store_close(*out);
		*out = NULL;
	}
	return rc;
}

enum status store_publish_import(struct store *s, const struct store_opts *o, struct err *err)
{
	if (!store_pg_target(s->path) || s->pg)
		return store_publish(s, err);
	if (o && o->scratch) {             /* a dry run: nothing written (the server rolls back) */
		store_close(s);
		return OK;
	}
	struct buf b = {0};
	char *to = xstrdup(s->path);
	enum status rc = s->home ? sync_back(s, err) : copy_store_to_pg(s, "the import", to, o, 0, &b, err);
	if (rc == ERR_CONFLICT && !s->home && err)     /* a first import: someone imported meanwhile */
		err_set(err, ERR_CONFLICT, REIMPORT_RACE, to);
	store_close(s);
	buf_free(&b);
	free(to);
	return rc;
}
