/* test_store_db: the statement layer's SQLite driver (store_db.h) on a real in-memory
 * database, and which targets the store takes for PostgreSQL servers.  The libpq driver
 * runs against a real server in tests/cli/pg_*.sh. */
#include "../../src/store_db.h"
#include "ragtrack/store.h"

#include "check.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static void test_sqlite_driver(void)
{
	sqlite3 *h;
	CHECK(sqlite3_open(":memory:", &h) == SQLITE_OK);
	struct db *db = db_sqlite_wrap(h, "mem");
	CHECK_INT(db_engine(db), DB_SQLITE);
	CHECK_INT(db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE, note TEXT)", NULL), OK);
	struct db_stmt *st;
	CHECK_INT(db_prepare(db, "INSERT INTO t (name, note) VALUES (?1, ?2)", &st, NULL), OK);
	const char *names[] = { "beta", "Alpha", "gamma" };
	for (int i = 0; i < 3; i++) {
		db_bind_text(st, 1, names[i]);
		db_bind_text(st, 2, i == 1 ? NULL : "x\ty");
		CHECK_INT(db_step(st, NULL), DB_DONE);
		db_reset(st);
	}
	db_finalize(st);

	/* numbered parameters used twice, NULL kept, integers and texts read back */
	CHECK_INT(db_prepare(db, "SELECT id, name, note FROM t WHERE id >= ?1 OR name = ?2 ORDER BY id", &st, NULL), OK);
	db_bind_int(st, 1, 2);
	db_bind_text(st, 2, "BETA");
	CHECK_INT(db_step(st, NULL), DB_ROW);
	CHECK_INT(db_col_int(st, 0), 1);
	CHECK_STR(db_col_text(st, 1), "beta");
	CHECK_INT(db_step(st, NULL), DB_ROW);
	CHECK(db_col_null(st, 2));
	CHECK_STR(db_col_text(st, 2), NULL);
	CHECK_INT(db_step(st, NULL), DB_ROW);
	CHECK_INT(db_step(st, NULL), DB_DONE);
	db_finalize(st);

	/* the fragments are SQL this engine runs */
	char *order = NULL, *list = NULL;
	if (asprintf(&order, db_frag(db, DF_NOCASE_ORDER), "name") < 0 ||
	    asprintf(&list, db_frag(db, DF_LIST_NOCASE), "name", "t WHERE id > 0") < 0)
		abort();
	char *sql = NULL;
	if (asprintf(&sql, "SELECT %s, (SELECT group_concat(name, ',') FROM (SELECT name FROM t ORDER BY %s))", list, order) < 0)
		abort();
	CHECK_INT(db_prepare(db, sql, &st, NULL), OK);
	CHECK_INT(db_step(st, NULL), DB_ROW);
	CHECK_STR(db_col_text(st, 0), "Alpha, beta, gamma");
	CHECK_STR(db_col_text(st, 1), "Alpha,beta,gamma");
	db_finalize(st);
	free(sql);
	free(order);
	free(list);

	CHECK_INT(db_scalar_int(db, "SELECT count(*) FROM t WHERE id > ?", 1, -1), 2);
	CHECK_INT(db_scalar_int(db, "SELECT note FROM t WHERE id = 2", 0, -7), -7);     /* NULL: the default */

	struct err e = {0};
	CHECK_INT(db_prepare(db, "SELECT no_column FROM t", &st, &e), ERR_DB);
	CHECK(st == NULL);
	CHECK(strstr(e.msg, "mem: ") == e.msg && strstr(e.msg, "no such column: no_column") != NULL);
	if (!strstr(e.msg, "no such column"))
		fprintf(stderr, "  message: %s\n", e.msg);
	CHECK_INT(db_copy_begin(db, "COPY t FROM STDIN", &e), ERR_DB);
	CHECK_STR(e.msg, "mem: SQLite has no bulk load");
	db_close(db);
	CHECK(sqlite3_close(h) == SQLITE_OK);     /* the handle stayed the caller's, and is free of statements */
}

static void test_targets(void)
{
	struct err e = {0};
	CHECK_INT(store_command_check("ragtrack.db", "list", &e), OK);
	CHECK_INT(store_command_check("plans=2016.db", "list", &e), OK);        /* no libpq keyword: a file */
	CHECK_INT(store_command_check("./dbname=x", "list", &e), OK);
	CHECK_INT(store_command_check("postgresql://h/db", "db", &e), OK);
	CHECK_INT(store_command_check("postgresql://h/db", "list", &e), OK);       /* ported: the reads */
	CHECK_INT(store_command_check("postgresql://h/db", "history", &e), OK);
	CHECK_INT(store_command_check("postgresql://h/db", "set", &e), OK);        /* ported: the edits */
	CHECK_INT(store_command_check("postgres://h/db", "note", &e), OK);
	CHECK_INT(store_command_check("pg:service=ragtrack", "tui", &e), OK);      /* ported: the browser */
	CHECK_INT(store_command_check("host=/tmp dbname=x", "report", &e), OK);    /* ported: the report */
	CHECK_INT(store_command_check("host=/tmp dbname=x", "undo", &e), OK);
	CHECK_INT(store_command_check("postgresql://h/db", "frobnicate", &e), ERR_SCHEMA);
	CHECK_STR(e.msg, "frobnicate is not available on PostgreSQL databases yet");
	CHECK_INT(store_command_check("dbname=x", NULL, &e), ERR_SCHEMA);
	CHECK_STR(e.msg, "this command is not available on PostgreSQL databases yet");
}

int main(void)
{
	test_sqlite_driver();
	test_targets();
	return check_report();
}
