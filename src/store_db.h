/* store_db.h: the statement layer under the store, with two drivers: SQLite
 * (store_db_sqlite.c) and PostgreSQL's libpq (store_db_pg.c).  Not a public header:
 * only src/store*.c include it, and nothing above include/ragtrack/store.h learns
 * which driver is behind a store.
 *
 * SQL given to db_prepare is written once for both engines where it can be: numbered
 * parameters ?1, ?2 ... or plain ? (the libpq driver renumbers them $1, $2 ...), and
 * coalesce, RETURNING, ON CONFLICT, quoted "user", which both accept.  What differs is a
 * dialect fragment (db_frag), named in one enum. */
#ifndef RAGTRACK_STORE_DB_H
#define RAGTRACK_STORE_DB_H

#include <stdint.h>
#include <sqlite3.h>
#include "ragtrack/status.h"

struct db;
struct db_stmt;

enum db_engine { DB_SQLITE, DB_PG };
enum db_step { DB_ROW, DB_DONE, DB_ERROR };

/* The SQL that differs between the engines, by name; db_frag gives a driver's text
 * (a printf format where it has %s). */
enum db_frag {
	DF_NOCASE_ORDER,      /* order by text %1$s as NOCASE does: "%1$s COLLATE NOCASE" | "rt_nocase(%1$s), %1$s" */
	DF_LIST_NOCASE,       /* texts %1$s of the rows of %2$s ("table WHERE ..."), ", " between them, in
	                       * NOCASE order, NULL when none: group_concat over an ordered subquery
	                       * (SQLite's group_concat takes no ORDER BY before 3.44) | string_agg */
	DF_NOCASE_EQ,         /* text %1$s equals %2$s (a placeholder) as NOCASE compares:
	                       * "%1$s = %2$s COLLATE NOCASE" | "rt_nocase(%1$s) = rt_nocase(%2$s)" */
	DF_FEW_OPEN,          /* before a condition few rows meet: "likelihood(" | "(" */
	DF_FEW_CLOSE,         /* ... after it: ", 0.01)" | ")" */
	DF_CONTAINS,          /* lower-cased text %1$s holds lower-cased %2$s (a placeholder):
	                       * "instr(lower(%1$s), lower(%2$s)) > 0" | "strpos(lower(%1$s), lower(%2$s::text)) > 0" */
	DF_LIMIT_ALL,         /* LIMIT's word for no limit, "" for a bound -1: "" | "ALL" */
	DF_IFNULL,            /* the name of two-argument coalesce that each schema's expression indexes
	                       * use (SQLite matches an index's expression by its function's name):
	                       * "ifnull" | "coalesce" */
	DF_INT,               /* condition %1$s as an integer 0 or 1 (to sum or select): "%1$s" | "(%1$s)::int" */
	DF_DAYS,              /* days from ISO date %2$s to ISO date %1$s:
	                       * "julianday(%1$s) - julianday(%2$s)" | "(%1$s::date - %2$s::date)" */
	DF_UNIT_SEP,          /* the one-character text "\x1f": "char(31)" | "chr(31)" */
	DF_NOCASE_KEY,        /* text %1$s as NOCASE orders and compares it, for ORDER BY and a keyset's
	                       * conditions (the lead sort's index): "%1$s COLLATE NOCASE" | "rt_nocase(%1$s)" */
	DF_TRUE,              /* a condition always true: "1" | "true" */
	DF_CROSS_JOIN,        /* a join whose tables the planner keeps in the written order (ON follows):
	                       * "CROSS JOIN" | "JOIN" (PostgreSQL's CROSS JOIN takes no ON) */
	DF_BEGIN_READ,        /* a read-only transaction of one snapshot: "BEGIN" | "BEGIN ISOLATION LEVEL
	                       * REPEATABLE READ READ ONLY" */
	DF_UI_MINE,           /* before ui_state's conditions: the login's own rows (the server's owner and
	                       * superusers pass row-level security): "" | "login = session_user AND " */
	DF_UI_KEY,            /* before ui_state's key columns in ON CONFLICT: "" | "login, " */
	DF_COUNT
};

/* A driver: what a connection of its kind can do.  Drivers put struct db first in
 * their own connection structure and struct db_stmt first in their statement's. */
struct db_ops {
	enum db_engine engine;
	const char *name;                                  /* "SQLite", "PostgreSQL" */
	void (*close)(struct db *db);
	enum status (*exec)(struct db *db, const char *sql, struct err *err);
	enum status (*prepare)(struct db *db, const char *sql, struct db_stmt **out, struct err *err);
	void (*bind_int)(struct db_stmt *st, int i, int64_t v);
	void (*bind_text)(struct db_stmt *st, int i, const char *v);
	enum db_step (*step)(struct db_stmt *st, struct err *err);
	int (*col_null)(struct db_stmt *st, int i);
	int64_t (*col_int)(struct db_stmt *st, int i);
	const char *(*col_text)(struct db_stmt *st, int i);
	void (*reset)(struct db_stmt *st);
	void (*finalize)(struct db_stmt *st);
	/* bulk load (PostgreSQL's COPY FROM STDIN); NULL when the engine has none */
	enum status (*copy_begin)(struct db *db, const char *sql, struct err *err);
	enum status (*copy_row)(struct db *db, int ncols, const char *const *values, struct err *err);
	enum status (*copy_end)(struct db *db, int64_t *rows, struct err *err);
	int (*in_transaction)(struct db *db);
	/* commits heard of (LISTEN/NOTIFY), all and other connections'; NULL when the engine
	 * has its own way (SQLite's data_version) */
	void (*heard)(struct db *db, int64_t *all, int64_t *others);
	const char *frag[DF_COUNT];
};

struct db {
	const struct db_ops *ops;
	char *name;             /* for messages: the file, or HOST/DATABASE (never a password) */
};

struct db_stmt {
	struct db *db;
};

/* A statement layer over an open SQLite handle, which stays the caller's (closing the
 * db does not close it).  Free with db_close. */
struct db *db_sqlite_wrap(sqlite3 *handle, const char *name);

/* The SQLite statement under st (a statement of db_sqlite_wrap's), for the store's
 * SQLite-only code (the browser's windows). */
sqlite3_stmt *db_sqlite_stmt(struct db_stmt *st);

/* Connect to a PostgreSQL server: conninfo is a libpq URI or keyword string (the store
 * refused one holding a password before).  Sets application_name "ragtrack" unless the
 * string sets its own, and the client encoding UTF8.  ERR_DB "cannot connect to
 * HOST/DATABASE: <libpq's first line>" when the server cannot be reached or refuses. */
enum status db_pg_connect(const char *conninfo, struct db **out, struct err *err);

/* ---- calls through the driver (short enough to read as the SQL they run) ---------- */

/* Close db (NULL: nothing) and free it. */
void db_close(struct db *db);
enum db_engine db_engine(const struct db *db);
/* Run sql (one or several statements, no parameters, no result rows wanted). */
enum status db_exec(struct db *db, const char *sql, struct err *err);
/* Prepare sql; *out is finalized with db_finalize on every path.  ERR_DB with the
 * engine's message on failure (*out is then NULL). */
enum status db_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *err);
/* Bind parameter i (from 1); a NULL text binds NULL. */
void db_bind_int(struct db_stmt *st, int i, int64_t v);
void db_bind_text(struct db_stmt *st, int i, const char *v);
/* The next row (DB_ROW), the end (DB_DONE), or DB_ERROR with err set. */
enum db_step db_step(struct db_stmt *st, struct err *err);
/* Column i (from 0) of the current row.  Texts stay valid until the next step, reset
 * or finalize; NULL stays NULL (col_text returns NULL, col_int 0). */
int db_col_null(struct db_stmt *st, int i);
int64_t db_col_int(struct db_stmt *st, int i);
const char *db_col_text(struct db_stmt *st, int i);
/* Column i as a new string (NULL stays NULL); caller frees. */
char *db_col_dup(struct db_stmt *st, int i);
/* Ready st to run again, bindings kept. */
void db_reset(struct db_stmt *st);
void db_finalize(struct db_stmt *st);
/* Is a transaction open on db? */
int db_in_transaction(struct db *db);
/* The changes committed to the database that db has heard of since it connected, in
 * *all, and of them those of other connections, in *others, without a round trip (the
 * notifications the server sent, read from the socket now); both 0 on an engine
 * without notifications. */
void db_heard(struct db *db, int64_t *all, int64_t *others);
/* The driver's text for a dialect fragment. */
const char *db_frag(const struct db *db, enum db_frag f);

/* Bulk load: sql is a COPY ... FROM STDIN; then each row's ncols values (NULL for
 * NULL, any text: the driver escapes it), then the end, which says how many rows went
 * in (*rows, may be NULL) or why the server refused them (none are then in).  A row
 * that fails to send ends the COPY: call db_copy_end all the same.  ERR_DB on an engine
 * without bulk load. */
enum status db_copy_begin(struct db *db, const char *sql, struct err *err);
enum status db_copy_row(struct db *db, int ncols, const char *const *values, struct err *err);
enum status db_copy_end(struct db *db, int64_t *rows, struct err *err);

/* Bulk read (PostgreSQL's COPY ... TO STDOUT, text format): sql is the COPY, ncols the
 * columns each row has; then each row's values (NULL for NULL, unescaped, valid until
 * the next call), DB_DONE after the last or DB_ERROR (err set, e.g. a row without ncols
 * columns); db_copy_out_end frees it on every path, reading what is left.  One round
 * trip for the whole table, a row in memory at a time.  ERR_DB on SQLite. */
struct db_copy_out;
enum status db_copy_out_begin(struct db *db, const char *sql, int ncols, struct db_copy_out **out, struct err *err);
enum db_step db_copy_out_row(struct db_copy_out *c, const char *const **values, struct err *err);
void db_copy_out_end(struct db_copy_out *c);

/* While a statement runs on the server, fn(ctx) is asked every few tens of milliseconds
 * whether to stop it: on non-zero the server is asked to cancel it, and it fails with
 * ERR_CANCELLED ("NAME: cancelled"), its transaction (if any) rolled back, the
 * connection ready for the next statement; one the server finished first keeps its
 * result.  fn NULL: never.  Nothing on SQLite (the store's progress handler asks the
 * same callback there). */
typedef int (*db_cancel_fn)(void *ctx);
void db_set_cancel(struct db *db, db_cancel_fn fn, void *ctx);

/* The server's socket, for poll() to wait on its notifications (db_heard reads them),
 * or -1 on SQLite and once the connection is lost (libpq drops it). */
int db_pg_socket(struct db *db);

/* One integer from sql with one parameter bound (bind), or dflt when it has no row, its
 * value is NULL, or it fails. */
int64_t db_scalar_int(struct db *db, const char *sql, int64_t bind, int64_t dflt);

#endif
