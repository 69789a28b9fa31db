/* store_db_sqlite: the statement layer's SQLite driver, over a handle the store opened
 * (store.c keeps opening, configuring and upgrading SQLite files). */
#include "store_db.h"
#include "ragtrack/util.h"

#include <stdlib.h>

struct sqlite_db {
	struct db db;
	sqlite3 *handle;
};

struct sqlite_stmt {
	struct db_stmt st;
	sqlite3_stmt *stmt;
};

static sqlite3 *handle_of(struct db *db)
{
	return ((struct sqlite_db *)db)->handle;
}

static sqlite3_stmt *stmt_of(struct db_stmt *st)
{
	return ((struct sqlite_stmt *)st)->stmt;
}

static enum status sqlite_fail(struct db *db, struct err *err)
{
	int code = sqlite3_errcode(handle_of(db));
	enum status st = code == SQLITE_READONLY ? ERR_READ_ONLY : code == SQLITE_INTERRUPT ? ERR_CANCELLED : ERR_DB;
	return err_set(err, st, "%s: %s", db->name, sqlite3_errmsg(handle_of(db)));
}

static void sqlite_close(struct db *db)
{
	free(db->name);
	free(db);
}

static enum status sqlite_exec(struct db *db, const char *sql, struct err *err)
{
	return sqlite3_exec(handle_of(db), sql, NULL, NULL, NULL) == SQLITE_OK ? OK : sqlite_fail(db, err);
}

static enum status sqlite_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *err)
{
	sqlite3_stmt *stmt;
	if (sqlite3_prepare_v2(handle_of(db), sql, -1, &stmt, NULL) != SQLITE_OK)
		return sqlite_fail(db, err);
	struct sqlite_stmt *st = xcalloc(1, sizeof *st);
	st->st.db = db;
	st->stmt = stmt;
	*out = &st->st;
	return OK;
}

static void sqlite_bind_int(struct db_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(stmt_of(st), i, v);
}

static void sqlite_bind_text(struct db_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(stmt_of(st), i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(stmt_of(st), i);
}

static enum db_step sqlite_step(struct db_stmt *st, struct err *err)
{
	int rc = sqlite3_step(stmt_of(st));
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	sqlite_fail(st->db, err);
	return DB_ERROR;
}

static int sqlite_col_null(struct db_stmt *st, int i)
{
	return sqlite3_column_type(stmt_of(st), i) == SQLITE_NULL;
}

static int64_t sqlite_col_int(struct db_stmt *st, int i)
{
	return sqlite3_column_int64(stmt_of(st), i);
}

static const char *sqlite_col_text(struct db_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(stmt_of(st), i);
}

static void sqlite_reset(struct db_stmt *st)
{
	sqlite3_reset(stmt_of(st));
}

static void sqlite_finalize(struct db_stmt *st)
{
	sqlite3_finalize(stmt_of(st));
	free(st);
}

static int sqlite_in_transaction(struct db *db)
{
	return !sqlite3_get_autocommit(handle_of(db));
}

static const struct db_ops SQLITE_OPS = {
	.engine = DB_SQLITE,
	.name = "SQLite",
	.close = sqlite_close,
	.exec = sqlite_exec,
	.prepare = sqlite_prepare,
	.bind_int = sqlite_bind_int,
	.bind_text = sqlite_bind_text,
	.step = sqlite_step,
	.col_null = sqlite_col_null,
	.col_int = sqlite_col_int,
	.col_text = sqlite_col_text,
	.reset = sqlite_reset,
	.finalize = sqlite_finalize,
	.in_transaction = sqlite_in_transaction,
	.frag = {
		[DF_NOCASE_ORDER] = "%1$s COLLATE NOCASE",
		[DF_LIST_NOCASE] = "(SELECT group_concat(%1$s, ', ') FROM (SELECT %1$s FROM %2$s ORDER BY %1$s COLLATE NOCASE))",
		[DF_NOCASE_EQ] = "%1$s = %2$s COLLATE NOCASE",
		[DF_FEW_OPEN] = "likelihood(",
		[DF_FEW_CLOSE] = ", 0.01)",
		[DF_CONTAINS] = "instr(lower(%1$s), lower(%2$s)) > 0",
		[DF_LIMIT_ALL] = "",
		[DF_IFNULL] = "ifnull",
		[DF_INT] = "%1$s",
		[DF_DAYS] = "julianday(%1$s) - julianday(%2$s)",
		[DF_UNIT_SEP] = "char(31)",
		[DF_NOCASE_KEY] = "%1$s COLLATE NOCASE",
		[DF_TRUE] = "1",
		[DF_CROSS_JOIN] = "CROSS JOIN",
		[DF_BEGIN_READ] = "BEGIN",
		[DF_UI_MINE] = "",
		[DF_UI_KEY] = "",
	},
};

sqlite3_stmt *db_sqlite_stmt(struct db_stmt *st)
{
	return st ? stmt_of(st) : NULL;
}

struct db *db_sqlite_wrap(sqlite3 *handle, const char *name)
{
	struct sqlite_db *d = xcalloc(1, sizeof *d);
	d->db.ops = &SQLITE_OPS;
	d->db.name = xstrdup(name);
	d->handle = handle;
	return &d->db;
}
