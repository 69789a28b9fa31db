/* store: opening, creating and upgrading the database, and the helpers the other
 * store files share.  See docs/design.md for the schema's reasoning.
 *
 * The database is one SQLite file in WAL mode, with its -wal and -shm beside it; the
 * schema's version is its PRAGMA user_version.  A first build fills a private file
 * without a journal and is linked into place (store_open_private, store_publish).
 * Nothing of this shows in store.h: callers name a database and get a store. */
#include "store_int.h"
#include "store_db.h"
#include "ragtrack/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "schema_sql.h"

/* The schema version schema.sql describes.  Bump it with every schema change and add
 * the steps that bring the previous version up to it to MIGRATIONS. */
#define SCHEMA_VERSION 4

/* A step that replaces the full-text index (its view, table and triggers) with
 * schema.sql's and fills it: for a change to what is indexed or how.  It runs after
 * every other step of the upgrade (once, however many ask for it), so the index is
 * always the one schema.sql defines. */
static const char FTS_FROM_SCHEMA[] = "full-text index from schema.sql";

/* A step that makes rag_count's triggers again from schema.sql (the old ones dropped
 * by the step before it) and recounts the totals. */
static const char COUNTS_FROM_SCHEMA[] = "RAG totals from schema.sql";

/* The steps that upgrade an older database, in order: each brings a version to.-1
 * database part of the way to version to.  A version may take several steps (one per
 * change that landed in it); all of them run in the upgrade's one transaction. */
static const struct migration {
	int to;
	const char *sql;
} MIGRATIONS[] = {
	/* 2: withdrawn actions (an action missing from a re-imported plan, withdrawn by the
	 * user: shown, filtered and logged, never deleted). */
	{ 2, "ALTER TABLE action ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0"
	     " CHECK (withdrawn IN (0, 1));" },
	{ 2, "CREATE INDEX action_withdrawn ON action(review_id, agency_id, rag) WHERE withdrawn = 1;" },
	/* 2: extra fields (columns that map to no field, kept under their header), and
	 * their values in the full-text index; the index is made again from schema.sql, so
	 * it also takes English word forms (porter) and prefixes. */
	{ 2, "ALTER TABLE action ADD COLUMN extra TEXT NOT NULL DEFAULT '';"
	     "CREATE TABLE extra_field (review_id INTEGER NOT NULL REFERENCES review(id), pos INTEGER NOT NULL,"
	     " name TEXT NOT NULL, PRIMARY KEY (review_id, pos)) WITHOUT ROWID;" },
	/* 2: board meetings, each with the state of every action when it was recorded
	 * (ragtrack board record; the report compares with the last one). */
	{ 2, "CREATE TABLE board (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	     " held_on TEXT NOT NULL, recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL);"
	     "CREATE TABLE board_action (board_id INTEGER NOT NULL REFERENCES board(id),"
	     " action_id INTEGER NOT NULL REFERENCES action(id), rag INTEGER NOT NULL, target_date TEXT,"
	     " target_raw TEXT NOT NULL, has_evidence INTEGER NOT NULL, withdrawn INTEGER NOT NULL,"
	     " PRIMARY KEY (board_id, action_id)) WITHOUT ROWID;"
	     "CREATE TRIGGER board_no_update BEFORE UPDATE ON board"
	     " BEGIN SELECT RAISE(ABORT, 'a recorded board cannot be edited'); END;"
	     "CREATE TRIGGER board_no_delete BEFORE DELETE ON board"
	     " BEGIN SELECT RAISE(ABORT, 'a recorded board cannot be deleted'); END;"
	     "CREATE TRIGGER board_action_no_update BEFORE UPDATE ON board_action"
	     " BEGIN SELECT RAISE(ABORT, 'a recorded board cannot be edited'); END;"
	     "CREATE TRIGGER board_action_no_delete BEFORE DELETE ON board_action"
	     " BEGIN SELECT RAISE(ABORT, 'a recorded board cannot be deleted'); END;" },
	/* 2: a review's own RAG words (import --rag-map), remembered for its later imports. */
	{ 2, "CREATE TABLE rag_word (review_id INTEGER NOT NULL REFERENCES review(id),"
	     " word TEXT NOT NULL, rag INTEGER NOT NULL CHECK (rag BETWEEN 0 AND 4),"
	     " PRIMARY KEY (review_id, word)) WITHOUT ROWID;" },
	{ 2, FTS_FROM_SCHEMA },
	/* 2: the change log records the account beside the name given, single-change
	 * undo, and a hash chain (rows written before it are chained by the upgrade:
	 * store_chain_unhashed). */
	{ 2, "ALTER TABLE change_log ADD COLUMN os_user TEXT;"
	     " ALTER TABLE change_log ADD COLUMN undoes_change INTEGER;"
	     " ALTER TABLE change_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';"
	     " ALTER TABLE change_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';" },
	/* 2: an index per browser sort, read by key; undo finds undone batches by index. */
	{ 2, "CREATE INDEX action_by_target ON action(target_date, sort_key);"
	     " CREATE INDEX action_by_updated ON action(updated_at DESC, sort_key);"
	     " CREATE INDEX action_by_lead ON action(lead COLLATE NOCASE, sort_key);"
	     " CREATE INDEX change_log_undoes ON change_log(undoes, user) WHERE undoes IS NOT NULL;" },
	/* 3: overdue and due-within counts per agency and review read from the index alone
	 * (the dashboard and pickers under those filters); undo reads what undoes what from
	 * its index alone. */
	{ 3, "DROP INDEX action_target;"
	     " CREATE INDEX action_target ON action(target_date, rag, review_id, agency_id);"
	     " DROP INDEX change_log_undoes;"
	     " CREATE INDEX change_log_undoes ON change_log(undoes, undoes_change, user) WHERE undoes IS NOT NULL;" },
	/* 3: import signatures as BLOBs, 4 bytes per field hash instead of 8 hex digits (the
	 * same hashes: nothing an import compares changes); sig_unhex is registered for the
	 * upgrade (store_upgrade).  A signature that is not hex is left as it is: the import
	 * reads it as none, and compares that row's fields by their values. */
	{ 3, "UPDATE action SET import_sig = ragtrack_sig_unhex(import_sig)"
	     " WHERE typeof(import_sig) = 'text' AND import_sig <> '';" },
	/* 3: an agency's responses by index (an agency merge reads them three times). */
	{ 3, "CREATE INDEX response_agency ON response(agency_id);" },
	/* 4: the RAG totals count the actions with a target date, so the overdue totals are
	 * the totals less the actions not yet due (store_query.c), not a walk of every
	 * overdue action. */
	{ 4, "ALTER TABLE rag_count ADD COLUMN dated INTEGER NOT NULL DEFAULT 0;"
	     " DROP TRIGGER IF EXISTS rag_count_insert; DROP TRIGGER IF EXISTS rag_count_update;"
	     " DROP TRIGGER IF EXISTS rag_count_delete;" },
	{ 4, COUNTS_FROM_SCHEMA },
};

int store_schema_version(void)
{
	return SCHEMA_VERSION;
}

const char *store_source_name(enum store_source src)
{
	static const char *const names[] = { "import", "cli", "tui" };
	return names[src];
}

/* The status for SQLite's last error on s, and words for it where SQLite's own mislead:
 * a full disk often surfaces as "disk I/O error" (a WAL or journal write that got
 * ENOSPC), and corruption deserves what to do next. */
static enum status store_sqlite_status(struct store *s, const char **words)
{
	int code = sqlite3_errcode(s->db);
	*words = NULL;
	if (code == SQLITE_FULL || (code == SQLITE_IOERR && sqlite3_system_errno(s->db) == ENOSPC)) {
		*words = "disk is full (free some space and try again; nothing was changed)";
		return ERR_FULL;
	}
	if (code == SQLITE_INTERRUPT) {          /* the cancel callback stopped it (store_set_cancel) */
		*words = "cancelled";
		return ERR_CANCELLED;
	}
	if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
		*words = "the database is damaged (ragtrack check says where; restore it from a backup)";
		return ERR_DB;
	}
	return code == SQLITE_READONLY ? ERR_READ_ONLY : ERR_DB;
}

enum status store_fail(struct store *s, struct err *err, const char *doing)
{
	const char *words;
	enum status st = store_sqlite_status(s, &words);
	return err_set(err, st, "%s: %s: %s", s->path, doing, words ? words : sqlite3_errmsg(s->db));
}

enum status store_db_fail(struct store *s, struct err *err, const char *doing)
{
	if (s->db)
		return store_fail(s, err, doing);
	return err && err->code != OK ? err->code : ERR_DB;
}

enum status store_prepare(struct store *s, sqlite3_stmt **st, const char *sql, struct err *err)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return store_fail(s, err, "preparing a query");
	}
	return OK;
}

enum status store_exec(struct store *s, const char *sql, struct err *err)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		const char *words;
		enum status code = store_sqlite_status(s, &words);
		enum status st = err_set(err, code, "%s: %s", s->path, words ? words : msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return st;
	}
	return OK;
}

void store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

char *store_col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

static enum status store_check_for_writes(struct store *s, struct err *err);
static void import_flock(struct store *s, int on);

enum status store_begin(struct store *s, struct err *err)
{
	if (s->pg) {    /* READ COMMITTED: each edit locks the rows it checks (SELECT ... FOR UPDATE) */
		store_pg_import_wait(s);
		return db_exec(s->pg, "BEGIN", err);
	}
	if (!s->write_checked && !s->bulk && strcmp(s->file, ":memory:") != 0) {
		s->write_checked = 1;          /* once per open: before the first write */
		enum status st = store_check_for_writes(s, err);
		if (st != OK)
			return st;
	}
	s->wait_cancelled = 0;
	enum status st = store_exec(s, "BEGIN IMMEDIATE", err);
	if (st != OK && s->wait_cancelled)
		st = err_set(err, ERR_DB, "%s: not saved: you stopped waiting for the database (an import or another"
		             " program was writing to it)", s->path);
	if (st == OK)
		import_flock(s, 1);
	return st;
}

/* A test hook that makes "an import holds the write lock" a state a test can wait
 * for instead of a race: with RAGTRACK_TEST_HOLD_IMPORT=PATH, an import about to
 * commit creates PATH.held and waits (at most ten minutes) until PATH exists. */
static void store_test_hold(struct store *s)
{
	if (s->source == SOURCE_IMPORT && s->run)
		util_test_hold("RAGTRACK_TEST_HOLD_IMPORT");
}

enum status store_commit(struct store *s, struct err *err)
{
	if (s->pg)
		return store_pg_commit(s, err);
	store_test_hold(s);
	enum status st = store_exec(s, "COMMIT", err);
	if (st == OK)
		import_flock(s, 0);
	return st;
}

/* ---- waiting for the write lock ---------------------------------------------------- */

/* Whether an import holds the write lock: an import flocks the database file itself
 * for the length of its transaction, and a waiter tries the same flock.  flock is not
 * SQLite's kind of lock (SQLite uses POSIX byte-range locks, which flock does not touch
 * on Linux), but closing any descriptor of the file would drop the POSIX locks SQLite
 * holds on it for this process: so each file gets one descriptor for the whole
 * process, never closed.  -1 when the file cannot be opened (no hint then). */
static int import_lock_fd(const char *path)
{
	static struct lock_file { dev_t dev; ino_t ino; int fd; } open_files[8];
	static int n;
	struct stat st;
	if (strcmp(path, ":memory:") == 0 || stat(path, &st) != 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (open_files[i].dev == st.st_dev && open_files[i].ino == st.st_ino)
			return open_files[i].fd;
	if (n == (int)(sizeof open_files / sizeof *open_files))
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		open_files[n++] = (struct lock_file){ st.st_dev, st.st_ino, fd };
	return fd;
}

/* The import's side: hold (on 1) or let go of (on 0) the import flock. */
static void import_flock(struct store *s, int on)
{
	if (s->source != SOURCE_IMPORT || s->bulk)
		return;
	int fd = import_lock_fd(s->file);
	if (fd >= 0)
		flock(fd, on ? LOCK_EX | LOCK_NB : LOCK_UN);
}

/* The waiter's side: is an import holding the database now? */
static int import_running(struct store *s)
{
	int fd = import_lock_fd(s->file);
	if (fd < 0 || flock(fd, LOCK_SH | LOCK_NB) == 0) {
		if (fd >= 0)
			flock(fd, LOCK_UN);
		return 0;
	}
	return errno == EWOULDBLOCK;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* SQLite's busy handler: wait for the write lock as long as it takes.  An import holds
 * it for its whole transaction: say so at once ("an import is running; your edit will
 * be saved when it ends").  Any other writer (an edit takes milliseconds) is waited for
 * quietly, and named only after 10 s, as long as the old busy timeout.  Once told, the
 * wait callback is asked every 50 ms whether to give up (returns 0: SQLITE_BUSY). */
static int store_busy(void *p, int count)
{
	struct store *s = p;
	if (count == 0) {
		s->wait_since = now_seconds();
		s->wait_told = 0;
	}
	const char *msg = NULL;
	if (!s->wait_told && count % 5 == 0 && import_running(s))
		msg = s->source == SOURCE_IMPORT ? "another import is running; this import starts when it ends"
		                                 : "an import is running; your edit will be saved when it ends";
	else if (!s->wait_told && now_seconds() - s->wait_since >= 10)
		msg = s->source == SOURCE_IMPORT ? "another program is writing to the database; this import starts"
		                                   " when it ends"
		                                 : "another program is writing to the database; your edit will be"
		                                   " saved when it ends";
	int first = msg != NULL;
	if (first)
		s->wait_told = 1;
	if (s->wait_told && s->on_wait && s->on_wait(s->wait_ctx, msg ? msg : "", first)) {
		s->wait_cancelled = 1;
		return 0;
	}
	sqlite3_sleep(s->wait_told ? 50 : 20);
	return 1;
}

void store_on_wait(struct store *s, store_wait_fn fn, void *ctx)
{
	s->on_wait = fn;
	s->wait_ctx = ctx;
}

void store_rollback(struct store *s)
{
	if (s->pg) {
		db_exec(s->pg, "ROLLBACK", NULL);    /* outside a transaction: a notice, nothing else */
		return;
	}
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	import_flock(s, 0);
}

enum status store_check_writable(struct store *s, struct err *err)
{
	if (s->read_only)
		return err_set(err, ERR_READ_ONLY, "%s is open read-only", s->path);
	return OK;
}

static int64_t store_scalar(struct store *s, const char *sql, int64_t bind, int64_t dflt)
{
	sqlite3_stmt *st;
	int64_t v = dflt;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return dflt;
	sqlite3_bind_int64(st, 1, bind);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

enum status store_lens_missing(struct store *s, int64_t action_id, struct err *err)
{
	/* The same words (and status) whether the action is another agency's or does not
	 * exist: a lead cannot learn which IDs exist outside their agency. */
	return err_set(err, ERR_NOT_FOUND, "no action %lld for %s", (long long)action_id, s->lens_name);
}

/* store_next_batch on a server: many writers at once, so a sequence, not max() + 1; and
 * the change log's chain lock, taken here, before the batch's rows are numbered, so that
 * their ids follow the chain (rt_chain numbers a row drawn before the lock again, which
 * leaves a gap).  Held to the commit. */
static enum status batch_pg(struct store *s, int64_t *batch, struct err *err)
{
	struct db_stmt *st;
	enum status rc = db_prepare(s->pg, "SELECT nextval('change_batch'), " PG_CHAIN_LOCK, &st, err);
	if (rc != OK)
		return rc;
	if (db_step(st, err) == DB_ROW)
		*batch = db_col_int(st, 0);
	else
		rc = store_db_fail(s, err, "numbering the change");
	db_finalize(st);
	return rc;
}

enum status store_next_batch(struct store *s, int64_t *batch, struct err *err)
{
	sqlite3_stmt *st;
	*batch = 0;
	if (s->pg)
		return batch_pg(s, batch, err);
	enum status rc = store_prepare(s, &st, "SELECT ifnull(max(batch), 0) + 1 FROM change_log", err);
	if (rc != OK)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		*batch = sqlite3_column_int64(st, 0);
	else
		rc = store_fail(s, err, "reading the change log");
	sqlite3_finalize(st);
	return rc;
}

/* One of the change log's two statements, prepared once per handle (an import logs a
 * row per changed field) and reset for reuse; store_close finalizes them. */
static sqlite3_stmt *log_stmt(struct store *s, int which, struct err *err)
{
	static const char *const SQL[2] = {
		"SELECT hash FROM change_log ORDER BY id DESC LIMIT 1",
		"INSERT INTO change_log(action_id, at, user, os_user, field, old_value, new_value, source, reason,"
		" batch, undoes, undoes_change, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	};
	if (!s->log_stmt[which] && store_prepare(s, &s->log_stmt[which], SQL[which], err) != OK)
		return NULL;
	sqlite3_reset(s->log_stmt[which]);
	sqlite3_clear_bindings(s->log_stmt[which]);
	return s->log_stmt[which];
}

/* The hash of the change log's last row ("" when empty) in prev. */
static enum status log_last_hash(struct store *s, char prev[65], struct err *err)
{
	sqlite3_stmt *st = log_stmt(s, 0, err);
	prev[0] = '\0';
	if (!st)
		return ERR_DB;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(prev, 65, "%s", (const char *)sqlite3_column_text(st, 0));
	enum status rc = step == SQLITE_ROW || step == SQLITE_DONE ? OK : store_fail(s, err, "reading the change log");
	sqlite3_reset(st);
	return rc;
}

/* store_log on a server: the row's link in the hash chain is the server's to make (a
 * trigger, rt_chain: a lead's login cannot read the rows before its own). */
static enum status log_pg(struct store *s, const char *const v[CHAIN_COLUMNS], struct err *err)
{
	struct db_stmt *st;      /* the chain's lock is held since store_next_batch */
	enum status rc = db_prepare(s->pg, "INSERT INTO change_log(action_id, at, \"user\", os_user, field, old_value,"
	                            " new_value, source, reason, batch, undoes, undoes_change)"
	                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, err);
	if (rc != OK)
		return rc;
	for (int i = 0; i < CHAIN_COLUMNS; i++)
		db_bind_text(st, i + 1, v[i]);
	if (db_step(st, err) == DB_ERROR)
		rc = store_db_fail(s, err, "writing the change log");
	db_finalize(st);
	return rc;
}

/* The only code that adds to the change log: every row gets the account that ran the
 * command beside the name given, and its link in the hash chain (store_chain.c). */
enum status store_log(struct store *s, int64_t action_id, int64_t batch, const char *field,
                      const char *old_value, const char *new_value, const char *reason,
                      int64_t undoes, struct err *err)
{
	char prev[65] = "", hash[65], action_s[24], batch_s[24], undoes_s[24], change_s[24];
	enum status rc = s->pg ? OK : log_last_hash(s, prev, err);
	if (rc != OK)
		return rc;
	const char *now = util_now();
	snprintf(action_s, sizeof action_s, "%lld", (long long)action_id);
	snprintf(batch_s, sizeof batch_s, "%lld", (long long)batch);
	snprintf(undoes_s, sizeof undoes_s, "%lld", (long long)undoes);
	snprintf(change_s, sizeof change_s, "%lld", (long long)s->log_undoes_change);
	const char *v[CHAIN_COLUMNS] = {
		action_s, now, s->user, s->os_user, field, old_value, new_value, store_source_name(s->source), reason,
		batch_s, undoes ? undoes_s : NULL, s->log_undoes_change ? change_s : NULL,
	};
	if (s->pg)
		return log_pg(s, v, err);
	store_chain_hash(prev, v, hash);
	sqlite3_stmt *st = log_stmt(s, 1, err);
	if (!st)
		return ERR_DB;
	sqlite3_bind_int64(st, 1, action_id);
	for (int i = 1; i < 9; i++)
		store_bind_text(st, i + 1, v[i]);
	sqlite3_bind_int64(st, 10, batch);
	if (undoes)
		sqlite3_bind_int64(st, 11, undoes);
	if (s->log_undoes_change)
		sqlite3_bind_int64(st, 12, s->log_undoes_change);
	store_bind_text(st, 13, prev);
	store_bind_text(st, 14, hash);
	rc = sqlite3_step(st) == SQLITE_DONE ? OK : store_fail(s, err, "writing the change log");
	sqlite3_reset(st);
	return rc;
}

char *store_sort_key(const char *review, const char *question_sort_key, const char *agency, int seq)
{
	/* \x1f keeps the parts apart and sorts below every printable character; names are
	 * case-folded so "CRC" sorts among the C's, not before "Children's". */
	char *key = xasprintf("%s\x1f%s\x1f%s\x1f%08d", review ? review : "", question_sort_key ? question_sort_key : "",
	                      agency ? agency : "", seq);
	for (char *p = key; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return key;
}

int64_t store_agency_find(struct store *s, const char *name)
{
	if (str_empty(name))
		return 0;
	struct db *db = store_db(s);
	const char *eq = db_frag(db, DF_NOCASE_EQ);    /* both columns are NOCASE in SQLite's schema */
	struct buf sql = {0};
	buf_adds(&sql, "SELECT agency_id FROM agency_alias WHERE ");
	buf_printf(&sql, eq, "alias", "?1");
	buf_adds(&sql, " UNION ALL SELECT id FROM agency WHERE ");
	buf_printf(&sql, eq, "name", "?1");
	buf_adds(&sql, " LIMIT 1");
	struct db_stmt *st;
	int64_t id = 0;
	if (db_prepare(db, sql.s, &st, NULL) == OK) {
		db_bind_text(st, 1, name);
		if (db_step(st, NULL) == DB_ROW)
			id = db_col_int(st, 0);
		db_finalize(st);
	}
	buf_free(&sql);
	return id;
}

/* ---- opening ------------------------------------------------------------------ */

/* Create an empty file readable and writable by owner and group only, so SQLite
 * (which keeps an existing file's mode for its -wal and -shm files) never makes a
 * world-readable database. */
static enum status store_create_file(const char *path, struct err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0660);
	if (fd < 0 && errno != EEXIST)
		return err_set(err, ERR_IO, "%s: cannot create: %s", path, strerror(errno));
	if (fd >= 0) {
		fchmod(fd, 0660);
		close(fd);
	}
	return OK;
}

/* FTS_FROM_SCHEMA: drop the index's objects, run schema.sql from its full-text section
 * (the last in the file) and rebuild the index from the text. */
static enum status fts_from_schema(struct store *s, struct err *err)
{
	const char *section = strstr(SCHEMA_SQL, "CREATE VIEW action_fts_source");
	if (!section)
		return err_set(err, ERR_DB, "%s: the built-in schema has no full-text section", s->path);
	sqlite3_stmt *st;
	struct buf drop = {0};
	enum status rc = store_prepare(s, &st, "SELECT type, name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '%\\_fts\\_%' ESCAPE '\\'"
	                                       " OR name IN ('action_fts_source', 'action_fts')", err);
	if (rc != OK)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW)
		buf_printf(&drop, "DROP %s IF EXISTS \"%s\";", (const char *)sqlite3_column_text(st, 0),
		           (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	rc = drop.s ? store_exec(s, drop.s, err) : OK;
	buf_free(&drop);
	if (rc == OK)
		rc = store_exec(s, section, err);
	if (rc == OK)
		rc = store_exec(s, "INSERT INTO action_fts(action_fts) VALUES ('rebuild')", err);
	return rc;
}

/* COUNTS_FROM_SCHEMA: schema.sql's rag_count triggers, then the totals recounted. */
static enum status counts_from_schema(struct store *s, struct err *err)
{
	const char *from = strstr(SCHEMA_SQL, "CREATE TRIGGER rag_count_insert");
	const char *to = from ? strstr(from, "-- Board meetings") : NULL;
	if (!to)
		return err_set(err, ERR_DB, "%s: the built-in schema has no RAG totals' triggers", s->path);
	char *section = xstrndup(from, (size_t)(to - from));
	enum status rc = store_exec(s, section, err);
	free(section);
	return rc == OK ? store_exec(s, RAG_COUNT_REBUILD_SQL, err) : rc;
}

/* The index rebuild (the one long step: every text is read again) says so first,
 * with how many actions it reads.  On stderr: the browser's screen is not up yet
 * when a database is opened. */
static void store_upgrade_notice(struct store *s)
{
	const char *notice = "rebuilding the search index for word forms and prefixes";
	int64_t n = store_scalar(s, "SELECT count(*) FROM action", 0, 0);
	fprintf(stderr, "ragtrack: %s: upgrading: %s (%lld action%s)...\n", s->path, notice, (long long)n, n == 1 ? "" : "s");
}

/* ragtrack_sig_unhex(TEXT): the BLOB an even-length string of hex digits spells, or
 * the value itself when it is not one (for schema 3's signatures; SQLite's own unhex()
 * is newer than the SQLite ragtrack may run on). */
static void sig_unhex(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const unsigned char *t = sqlite3_value_text(argv[0]);
	int n = sqlite3_value_bytes(argv[0]);
	unsigned char out[64];
	int ok = t && n % 2 == 0 && n / 2 <= (int)sizeof out;
	for (int i = 0; ok && i < n; i++)
		ok = isxdigit(t[i]);
	if (!ok) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	for (int i = 0; i < n / 2; i++) {
		char pair[3] = { (char)t[2 * i], (char)t[2 * i + 1], 0 };
		out[i] = (unsigned char)strtoul(pair, NULL, 16);
	}
	sqlite3_result_blob(ctx, out, n / 2, SQLITE_TRANSIENT);
}

static enum status store_upgrade(struct store *s, struct err *err)
{
	int64_t version = store_scalar(s, "PRAGMA user_version", 0, 0);
	s->version_before = version;
	if (version > SCHEMA_VERSION)
		return err_set(err, ERR_SCHEMA, "%s: schema version %lld is newer than this ragtrack knows (%d); upgrade ragtrack",
		               s->path, (long long)version, SCHEMA_VERSION);
	if (version == SCHEMA_VERSION)
		return OK;
	if (s->read_only)
		return err_set(err, ERR_READ_ONLY, "%s: needs a schema upgrade (version %lld to %d), but is open read-only",
		               s->path, (long long)version, SCHEMA_VERSION);
	enum status st = store_begin(s, err);
	if (st != OK)
		return st;
	if (sqlite3_create_function(s->db, "ragtrack_sig_unhex", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sig_unhex,
	                            NULL, NULL) != SQLITE_OK)
		st = store_fail(s, err, "upgrading");
	if (st == OK && version == 0)
		st = store_exec(s, SCHEMA_SQL, err);
	else {
		int fts = 0;               /* after every other step, whatever their order */
		for (size_t i = 0; st == OK && i < sizeof MIGRATIONS / sizeof *MIGRATIONS; i++)
			if (MIGRATIONS[i].to > version && MIGRATIONS[i].sql == FTS_FROM_SCHEMA)
				fts = 1;
			else if (MIGRATIONS[i].to > version && MIGRATIONS[i].sql == COUNTS_FROM_SCHEMA)
				st = counts_from_schema(s, err);
			else if (MIGRATIONS[i].to > version)
				st = store_exec(s, MIGRATIONS[i].sql, err);
		if (st == OK && fts) {
			store_upgrade_notice(s);
			st = fts_from_schema(s, err);
		}
	}
	if (st == OK && version > 0 && version < 2)
		st = store_chain_unhashed(s, err);
	if (st == OK) {
		char *sql = xasprintf("PRAGMA user_version = %d", SCHEMA_VERSION);
		st = store_exec(s, sql, err);
		free(sql);
	}
	if (st == OK)
		st = store_commit(s, err);
	if (st != OK)
		store_rollback(s);
	return st;
}

static enum status store_configure(struct store *s, int bulk, struct err *err)
{
	sqlite3_busy_handler(s->db, store_busy, s);
	enum status st = store_exec(s, "PRAGMA foreign_keys = ON", err);
	if (st == OK && bulk)
		st = store_exec(s, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
		                   " PRAGMA locking_mode = EXCLUSIVE", err);
	else if (st == OK && !s->read_only)
		st = store_exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL", err);
	if (st == OK && s->read_only)
		st = store_exec(s, "PRAGMA query_only = 1", err);
	return st;
}

static enum status store_set_lens(struct store *s, const char *agency, struct err *err)
{
	if (str_empty(agency))
		return OK;
	s->lens_agency = store_agency_find(s, agency);
	if (!s->lens_agency)
		return err_set(err, ERR_NOT_FOUND, "--as-agency: no agency '%s' (ragtrack agency list shows them)", agency);
	sqlite3_stmt *st;
	enum status rc = store_prepare(s, &st, "SELECT name FROM agency WHERE id = ?", err);
	if (rc != OK)
		return rc;
	sqlite3_bind_int64(st, 1, s->lens_agency);
	if (sqlite3_step(st) == SQLITE_ROW)
		s->lens_name = store_col_dup(st, 0);
	sqlite3_finalize(st);
	return OK;
}

/* An existing empty file is a database not yet made: only a command that may create one
 * (import) makes it one, and then with mode 0660, since SQLite keeps the file's mode and
 * gives it to the -wal and -shm files too. */
static enum status store_empty_file(const char *path, const struct store_opts *o, char *notice, size_t n,
                                    struct err *err)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != 0)
		return OK;
	if (!o->create || o->read_only)
		return err_set(err, ERR_SCHEMA, "%s: is an empty file, not a ragtrack database (ragtrack import FILE... makes it one)",
		               path);
	if ((st.st_mode & 07777) == 0660 || (st.st_mode & 0007) == 0)
		return OK;
	if (chmod(path, 0660) != 0)
		return err_set(err, ERR_IO, "%s: is an empty file readable by others (mode %04o) and its mode cannot be changed: %s",
		               path, (unsigned)(st.st_mode & 07777), strerror(errno));
	snprintf(notice, n, "%s: was an empty file with mode %04o (others could read it); its mode is now 0660",
	         path, (unsigned)(st.st_mode & 07777));
	return OK;
}

/* path as a URI that opens it immutable: read without locks and without creating a
 * -wal or -shm file.  What a URI would read otherwise is percent-escaped. */
static char *immutable_uri(const char *path)
{
	struct buf b = {0};
	buf_adds(&b, "file:");
	for (const char *p = path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			buf_printf(&b, "%%%02X", (unsigned char)*p);
		else
			buf_addc(&b, *p);
	}
	buf_adds(&b, "?immutable=1");
	return buf_steal(&b);
}

int store_file_is_ragtrack(const char *path)
{
	char *uri = immutable_uri(path);
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int ours = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) == SQLITE_OK &&
	           sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
	                                  " ('action', 'change_log', 'review')", -1, &st, NULL) == SQLITE_OK &&
	           sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 3;
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(uri);
	return ours;
}

/* A database in a folder the user cannot write, cleanly closed (no -wal and -shm beside
 * it), cannot be read in WAL mode: SQLite needs to create the -shm file.  Read it as an
 * immutable file then (no locks: a reader may then miss, or be confused by, a change
 * another user commits while it reads). */
static enum status store_open_read_only(struct store *s, struct err *err)
{
	int rc = sqlite3_exec(s->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
	if (rc != SQLITE_CANTOPEN && (rc & 0xff) != SQLITE_READONLY)
		return OK;
	struct stat wal;
	char *walpath = xasprintf("%s-wal", s->file);
	int has_wal = stat(walpath, &wal) == 0 && wal.st_size > 0;
	free(walpath);
	if (has_wal)         /* committed changes in the WAL that an immutable read would miss */
		return err_set(err, ERR_READ_ONLY, "%s: cannot be read: its -wal file holds changes and the folder "
		               "is not writable for the -shm file SQLite needs (ask its owner to open it once)", s->path);
	sqlite3_close_v2(s->db);
	s->db = NULL;
	char *uri = immutable_uri(s->file);
	enum status st = OK;
	if (sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK)
		st = store_fail(s, err, "cannot open");
	if (s->db)
		sqlite3_busy_timeout(s->db, 10000);
	free(uri);
	return st;
}

/* How many objects in the schema, and whether ragtrack's own tables are among them. */
static enum status store_schema_objects(struct store *s, int64_t *objects, int *ours, struct err *err)
{
	sqlite3_stmt *st;
	enum status rc = store_prepare(s, &st,
	                               "SELECT count(*), count(CASE WHEN type = 'table' AND name IN ('action', 'change_log', 'review')"
	                               " THEN 1 END) FROM sqlite_master", err);
	if (rc != OK)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*objects = sqlite3_column_int64(st, 0);
		*ours = sqlite3_column_int(st, 1) == 3;
	} else {
		rc = store_fail(s, err, "reading the schema");
	}
	sqlite3_finalize(st);
	return rc;
}

/* Is this ragtrack's database, a new one, or another program's?  Another program's is
 * refused, before anything is written to it (WAL mode included), unless the caller is
 * an import that asked to add ragtrack's tables beside its own (o->adopt), which is
 * then said in the notice.  A user_version another program set is never taken over. */
static enum status store_probe(struct store *s, const struct store_opts *o, char *notice, size_t n,
                               struct err *err)
{
	int64_t objects = 0, version = 0;
	int ours = 0;
	enum status st = store_schema_objects(s, &objects, &ours, err);
	if (st != OK)
		return st;
	sqlite3_stmt *q;
	enum status rc = store_prepare(s, &q, "PRAGMA user_version", err);
	if (rc != OK)
		return rc;
	if (sqlite3_step(q) == SQLITE_ROW)
		version = sqlite3_column_int64(q, 0);
	else
		st = store_fail(s, err, "reading the schema version");
	sqlite3_finalize(q);
	s->write_checked = !ours;        /* a new or adopted schema has nothing to check yet */
	if (st != OK || ours || (objects == 0 && version == 0))
		return st;
	if (version != 0 || !o->adopt)
		return err_set(err, ERR_SCHEMA,
		               "%s: is not a ragtrack database (another program's, with %lld schema object%s and "
		               "user_version %lld): nothing was changed; name a ragtrack database with --db%s",
		               s->path, (long long)objects, objects == 1 ? "" : "s", (long long)version,
		               version == 0 ? ", or import into it to add ragtrack's tables" : "");
	snprintf(notice, n, "%s: is another program's database (%lld schema object%s): adding ragtrack's tables beside "
	         "them, setting its user_version to %d and switching it to WAL journaling",
	         s->path, (long long)objects, objects == 1 ? "" : "s", SCHEMA_VERSION);
	return OK;
}

/* Before the first write of an open store (store_begin): the cheap signs of a damaged
 * database, so a write does not build on one (docs/reliability.md).  The full check
 * (integrity_check, the search index, the totals) reads every page: `ragtrack check`
 * runs it.  Here: the change-log guards are in place, and the file is not shorter than
 * its header says (a truncated copy), when no WAL holds the missing pages. */
static enum status store_check_for_writes(struct store *s, struct err *err)
{
	int64_t guards = store_scalar(s, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN"
	                                 " ('change_log_no_update', 'change_log_no_delete')", 0, 2);
	int64_t objects = store_scalar(s, "SELECT count(*) FROM sqlite_master", 0, 0);
	if (objects && guards != 2)
		return err_set(err, ERR_DB, "%s: the database is damaged: the change log's guard triggers are missing "
		               "(ragtrack check says more); nothing was changed", s->path);
	struct stat db, wal;
	char *walpath = xasprintf("%s-wal", s->file);
	int has_wal = stat(walpath, &wal) == 0 && wal.st_size > 0;
	free(walpath);
	int64_t pages = store_scalar(s, "PRAGMA page_count", 0, 0);
	int64_t size = store_scalar(s, "PRAGMA page_size", 0, 0);
	if (!has_wal && stat(s->file, &db) == 0 && pages * size > (int64_t)db.st_size)
		return err_set(err, ERR_DB, "%s: the database is damaged: the file is shorter than its header says "
		               "(%lld of %lld bytes; ragtrack check says more); nothing was changed", s->path,
		               (long long)db.st_size, (long long)(pages * size));
	return OK;
}

/* Open the database named path in file (the same but for a private build or a scratch
 * database); bulk: file is a private build's, filled without a journal. */
static enum status store_open_file(const char *path, const char *file, const struct store_opts *o, int bulk,
                                   struct store **out, struct err *err)
{
	int memory = strcmp(file, ":memory:") == 0;
	char notice[512] = "";
	if (!memory && access(file, F_OK) != 0) {
		if (!o->create || o->read_only)
			return err_set(err, ERR_NOT_FOUND, "%s: no such database (ragtrack import FILE... creates one)", path);
		enum status st = store_create_file(file, err);
		if (st != OK)
			return st;
	} else if (!memory) {
		enum status st = store_empty_file(file, o, notice, sizeof notice, err);
		if (st != OK)
			return st;
	}
	/* No global memory statistics: they take one process-wide mutex on every SQLite
	 * allocation, which a first import's two threads would contend for.  Only possible
	 * before SQLite initialises (the first open); later calls are refused, harmlessly. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	struct store *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->file = xstrdup(file);
	s->read_only = o->read_only;
	s->user = xstrdup(util_user(o->user));
	s->os_user = xstrdup(util_os_user());
	s->source = o->source;
	s->bulk = bulk;
	s->seen_version = -1;
	s->on_wait = o->on_wait;
	s->wait_ctx = o->wait_ctx;
	int flags = o->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	enum status st = OK;
	if (sqlite3_open_v2(file, &s->db, flags, NULL) != SQLITE_OK)
		st = store_fail(s, err, "cannot open");
	if (s->db)
		sqlite3_busy_timeout(s->db, 10000);   /* the probe below reads: it waits its turn too */
	if (st == OK && o->read_only)
		st = store_open_read_only(s, err);
	if (st == OK && !memory)
		st = store_probe(s, o, notice, sizeof notice, err);
	if (st != OK && err && err->code == ERR_READ_ONLY && !o->read_only)
		st = err_set(err, ERR_READ_ONLY, "%s: cannot be opened for writing (the file or its folder is not writable "
		             "for you); ragtrack --read-only reads it", path);
	if (st == OK)
		st = store_configure(s, bulk, err);
	if (st == OK)
		st = store_upgrade(s, err);
	if (st == OK && notice[0])
		s->notice = xstrdup(notice);
	if (st == OK)
		st = store_set_lens(s, o->as_agency, err);
	if (st != OK) {
		store_close(s);
		return st;
	}
	*out = s;
	return OK;
}

/* A database file and the companions SQLite may leave beside it. */
static void store_remove_files(const char *file)
{
	static const char *const side[] = { "", "-journal", "-wal", "-shm" };
	for (size_t i = 0; i < sizeof side / sizeof *side; i++) {
		char *p = xasprintf("%s%s", file, side[i]);
		unlink(p);
		free(p);
	}
}

/* A first build (store_opts.build_private) fills util_tmp_create's private file beside
 * path, with no journal and no syncs since no one else can see it, and store_publish
 * links it into place only when complete: nothing half-built is ever visible, and
 * link() refuses if a database appeared at path meanwhile.  What killed builds left
 * beside path goes first. */
static enum status store_open_private(const char *path, const struct store_opts *o, struct store **out,
                                      struct err *err)
{
	char *tmp = NULL;
	int fd = util_tmp_create(path, &tmp);
	if (fd < 0)
		return err_set(err, ERR_IO, "%s: cannot create: %s", path, strerror(errno));
	fchmod(fd, 0660);          /* as every database file: SQLite gives the mode to its -wal */
	close(fd);
	enum status st = store_open_file(path, tmp, o, 1, out, err);
	if (st != OK)
		store_remove_files(tmp);
	free(tmp);
	return st;
}

enum status store_open(const char *path, const struct store_opts *o, struct store **out,
                       struct err *err)
{
	static const struct store_opts defaults = { .source = SOURCE_CLI, .create = 1 };
	if (!o)
		o = &defaults;
	*out = NULL;
	if (store_pg_target(path))
		return store_pg_open(path, o, out, err);
	if (o->build_private && o->create && !o->read_only)
		util_tmp_sweep(path);
	int missing = strcmp(path, ":memory:") != 0 && access(path, F_OK) != 0;
	if (missing && o->scratch)
		return store_open_file(path, ":memory:", o, 0, out, err);
	if (missing && o->build_private && o->create && !o->read_only)
		return store_open_private(path, o, out, err);
	return store_open_file(path, path, o, 0, out, err);
}

void store_cache_clear(struct store *s)
{
	free(s->cache.review);
	free(s->cache.finding_key);
	free(s->cache.question_key);
	free(s->cache.question_sort);
	free(s->cache.question_text);
	free(s->cache.response_text);
	for (int i = 0; i < s->cache.nagency; i++)
		free(s->cache.agency[i].name);
	memset(&s->cache, 0, sizeof s->cache);
}

/* Close s and free it, leaving its files. */
static void store_free(struct store *s)
{
	if (s->pg) {
		store_window_free(s);      /* the reads' caches, as on SQLite */
		store_pg_close(s);
		return;
	}
	store_rollback(s);
	store_close(s->home);          /* a re-import not written back: the server rolls back */
	store_cache_clear(s);
	store_window_free(s);
	for (int i = 0; i < 2; i++)
		sqlite3_finalize(s->log_stmt[i]);
	store_db_free(s);
	sqlite3_close_v2(s->db);
	free(s->path);
	free(s->file);
	free(s->user);
	free(s->os_user);
	free(s->lens_name);
	free(s->notice);
	free(s);
}

void store_close(struct store *s)
{
	if (!s)
		return;
	char *discard = s->bulk ? xstrdup(s->file) : NULL;    /* an unpublished build */
	store_free(s);
	if (discard)
		store_remove_files(discard);
	free(discard);
}

/* End bulk mode: switch the file to WAL and sync it, so it can be linked into place. */
static enum status store_bulk_finish(struct store *s, struct err *err)
{
	enum status st = store_exec(s, "PRAGMA synchronous = FULL; PRAGMA locking_mode = NORMAL;"
	                               " PRAGMA journal_mode = WAL", err);
	int fd = open(s->file, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (st == OK && fsync(fd) != 0)
			st = err_set(err, ERR_IO, "%s: %s", s->path, strerror(errno));
		close(fd);
	}
	return st;
}

enum status store_publish(struct store *s, struct err *err)
{
	if (!s->bulk) {
		store_close(s);
		return OK;
	}
	enum status st = store_bulk_finish(s, err);
	char *file = xstrdup(s->file), *path = xstrdup(s->path);
	store_free(s);
	if (st == OK && link(file, path) != 0)
		st = err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
	store_remove_files(file);       /* its name: the database is the link now */
	free(file);
	free(path);
	return st;
}

const char *store_display_name(const struct store *s)
{
	const char *slash = strrchr(s->path, '/');
	return slash ? slash + 1 : s->path;
}

int store_read_only(const struct store *s)
{
	return s->read_only;
}

const char *store_lens(const struct store *s)
{
	return s->lens_name;
}

const char *store_notice(const struct store *s)
{
	return s->notice;
}

/* The folder of path (links in it followed) and its last part, for comparing places
 * that may not exist yet. */
static int same_place(const char *a, const char *b)
{
	const char *na = strrchr(a, '/'), *nb = strrchr(b, '/');
	const char *name_a = na ? na + 1 : a, *name_b = nb ? nb + 1 : b;
	if (strcmp(name_a, name_b) != 0)
		return 0;
	char *da = na ? (na == a ? xstrdup("/") : xstrndup(a, (size_t)(na - a))) : xstrdup(".");
	char *db = nb ? (nb == b ? xstrdup("/") : xstrndup(b, (size_t)(nb - b))) : xstrdup(".");
	struct stat sa, sb;
	int same = stat(da, &sa) == 0 && stat(db, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	free(da);
	free(db);
	return same;
}

int store_owns_path(const struct store *s, const char *path)
{
	if (s->pg || strcmp(s->file, ":memory:") == 0)
		return 0;
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	struct stat a, b;
	int exists = stat(path, &a) == 0;          /* links followed */
	char *real = realpath(path, NULL);         /* where a link (or a link's folder) leads */
	int owns = 0;
	for (size_t i = 0; !owns && i < sizeof suffix / sizeof *suffix; i++) {
		char *p = xasprintf("%s%s", s->file, suffix[i]);
		owns = (exists && stat(p, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) ||
		       same_place(path, p) || (real && same_place(real, p));
		free(p);
	}
	free(real);
	return owns;
}

/* ---- actions as values --------------------------------------------------------- */

void action_init(struct action *a)
{
	memset(a, 0, sizeof *a);
}

void action_clear(struct action *a)
{
#define FREE_STRING(m) free(a->m);
	ACTION_STRINGS(FREE_STRING)
#undef FREE_STRING
	free(a->extra);
	action_init(a);
}

void action_set_extras(struct action *a, size_t n, const char *const *names, const char *const *values)
{
	size_t bytes = n * sizeof *a->extra;
	for (size_t i = 0; i < n; i++)
		bytes += strlen(names[i]) + 1 + strlen(values[i] ? values[i] : "") + 1;
	struct action_extra *x = n ? xmalloc(bytes) : NULL;
	char *p = (char *)(x + n);
	for (size_t i = 0; i < n; i++) {
		const char *from[2] = { names[i], values[i] ? values[i] : "" };
		const char **to[2] = { &x[i].name, &x[i].value };
		for (int k = 0; k < 2; k++) {
			size_t len = strlen(from[k]) + 1;
			memcpy(p, from[k], len);
			*to[k] = p;
			p += len;
		}
	}
	free(a->extra);
	a->extra = x;
	a->nextra = n;
}

void store_extra_split(const char *packed, char *buf, const char **vals, size_t n)
{
	strcpy(buf, packed ? packed : "");
	char *p = buf;
	for (size_t i = 0; i < n; i++) {
		vals[i] = p;
		char *sep = strchr(p, EXTRA_SEP);
		if (sep) {
			*sep = '\0';
			p = sep + 1;
		} else {
			p += strlen(p);       /* the rest are "" */
		}
	}
}

char *store_extra_join(const char *const *vals, size_t n)
{
	while (n && str_empty(vals[n - 1]))
		n--;
	struct buf b = {0};
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_addc(&b, EXTRA_SEP);
		buf_adds(&b, vals[i] ? vals[i] : "");
	}
	return b.s ? buf_steal(&b) : xstrdup("");
}

const char *action_extra_value(const struct action *a, const char *name, int nth)
{
	for (size_t i = 0; i < a->nextra; i++)
		if (strcmp(a->extra[i].name, name) == 0 && nth-- == 0)
			return a->extra[i].value;
	return NULL;
}

/* ---- fields ---------------------------------------------------------------------- */

static const struct { const char *name, *help; } FIELDS[] = {
#define FIELD_ROW(id, name, help) { name, help },
	ACTION_FIELDS(FIELD_ROW)
#undef FIELD_ROW
};

enum action_field field_from_name(const char *name)
{
	for (int i = 0; i < FIELD_COUNT; i++)
		if (str_casecmp(name, FIELDS[i].name) == 0)
			return (enum action_field)i;
	return FIELD_NONE;
}

const char *field_name(enum action_field f)
{
	return FIELDS[f].name;
}

const char *field_help(enum action_field f)
{
	return FIELDS[f].help;
}

/* ---- maintenance --------------------------------------------------------------- */

/* Copy the whole database in one step, so the copy is one consistent snapshot (in
 * WAL mode a reader is never blocked by writers, and a one-step copy never restarts
 * because of their commits), then check the copy. */
static enum status backup_copy(struct store *s, sqlite3 *dst, const char *path, struct err *err)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", s->db, "main");
	if (!b)
		return err_set(err, ERR_IO, "%s: backup failed: %s", path, sqlite3_errmsg(dst));
	int rc;
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
		sqlite3_sleep(20);
	rc = sqlite3_backup_finish(b);
	if (rc != SQLITE_OK)
		return err_set(err, ERR_IO, "%s: backup failed: %s", path, sqlite3_errmsg(dst));
	sqlite3_stmt *st;
	enum status result = OK;
	if (sqlite3_prepare_v2(dst, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK)
		return err_set(err, ERR_IO, "%s: cannot check the copy: %s", path, sqlite3_errmsg(dst));
	if (sqlite3_step(st) != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
		result = err_set(err, ERR_IO, "%s: the copy failed its check: %s", path,
		                 sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : sqlite3_errmsg(dst));
	sqlite3_finalize(st);
	return result;
}

enum status store_backup(struct store *s, const char *path, struct err *err)
{
	if (s->lens_agency)
		return err_set(err, ERR_FORBIDDEN, "backup copies every agency's actions: not allowed under --as-agency");
	if (s->pg)
		return store_copy_backup(s, path, err);
	if (store_owns_path(s, path))      /* callers ask writeguard_check_backup first; this stays */
		return err_set(err, ERR_INVALID, "%s: is this database's own file; back up to another file", path);
	enum status st = OK;
	/* The copy is made in util_tmp_create's private file beside FILE (created
	 * exclusively, under a name no one can plant a link at), without a journal (no
	 * side file), and renamed over FILE only when checked: a killed backup leaves
	 * only that hidden file, which the next backup to FILE removes. */
	util_tmp_sweep(path);
	char *tmp = NULL;
	int fd = util_tmp_create(path, &tmp);
	if (fd < 0)
		return err_set(err, ERR_IO, "%s: cannot create the copy beside it: %s", path, strerror(errno));
	if (fchmod(fd, 0660) != 0)
		st = err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
	close(fd);
	sqlite3 *dst = NULL;
	if (st == OK && sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK)
		st = err_set(err, ERR_IO, "%s: %s", path, sqlite3_errmsg(dst));
	if (st == OK && sqlite3_exec(dst, "PRAGMA journal_mode = OFF", NULL, NULL, NULL) != SQLITE_OK)
		st = err_set(err, ERR_IO, "%s: %s", path, sqlite3_errmsg(dst));
	if (st == OK)
		st = backup_copy(s, dst, path, err);
	if (sqlite3_close(dst) != SQLITE_OK && st == OK)
		st = err_set(err, ERR_IO, "%s: cannot close the copy", path);
	int fsynced = st == OK ? open(tmp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
	if (fsynced >= 0) {
		if (fsync(fsynced) != 0)
			st = err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
		close(fsynced);
	}
	if (st == OK && rename(tmp, path) != 0)
		st = err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
	if (st != OK)
		store_remove_files(tmp);
	free(tmp);
	return st;
}

/* store_check: store_chain.c, with the change log's chain it walks. */
