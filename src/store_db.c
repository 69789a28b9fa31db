/* store_db: the statement layer's calls, each through the connection's driver
 * (store_db.h; the drivers are store_db_sqlite.c and store_db_pg.c). */
#include "store_db.h"
#include "ragtrack/util.h"

#include <stdlib.h>

void db_close(struct db *db)
{
	if (db)
		db->ops->close(db);
}

enum db_engine db_engine(const struct db *db)
{
	return db->ops->engine;
}

enum status db_exec(struct db *db, const char *sql, struct err *err)
{
	return db->ops->exec(db, sql, err);
}

enum status db_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *err)
{
	*out = NULL;
	return db->ops->prepare(db, sql, out, err);
}

void db_bind_int(struct db_stmt *st, int i, int64_t v)
{
	st->db->ops->bind_int(st, i, v);
}

void db_bind_text(struct db_stmt *st, int i, const char *v)
{
	st->db->ops->bind_text(st, i, v);
}

enum db_step db_step(struct db_stmt *st, struct err *err)
{
	return st->db->ops->step(st, err);
}

int db_col_null(struct db_stmt *st, int i)
{
	return st->db->ops->col_null(st, i);
}

int64_t db_col_int(struct db_stmt *st, int i)
{
	return st->db->ops->col_int(st, i);
}

const char *db_col_text(struct db_stmt *st, int i)
{
	return st->db->ops->col_text(st, i);
}

void db_reset(struct db_stmt *st)
{
	st->db->ops->reset(st);
}

void db_finalize(struct db_stmt *st)
{
	if (st)
		st->db->ops->finalize(st);
}

enum status db_copy_begin(struct db *db, const char *sql, struct err *err)
{
	if (!db->ops->copy_begin)
		return err_set(err, ERR_DB, "%s: %s has no bulk load", db->name, db->ops->name);
	return db->ops->copy_begin(db, sql, err);
}

enum status db_copy_row(struct db *db, int ncols, const char *const *values, struct err *err)
{
	return db->ops->copy_row(db, ncols, values, err);
}

enum status db_copy_end(struct db *db, int64_t *rows, struct err *err)
{
	return db->ops->copy_end(db, rows, err);
}

int db_in_transaction(struct db *db)
{
	return db->ops->in_transaction(db);
}

void db_heard(struct db *db, int64_t *all, int64_t *others)
{
	*all = *others = 0;
	if (db->ops->heard)
		db->ops->heard(db, all, others);
}

const char *db_frag(const struct db *db, enum db_frag f)
{
	return db->ops->frag[f];
}

char *db_col_dup(struct db_stmt *st, int i)
{
	const char *v = db_col_text(st, i);
	return v ? xstrdup(v) : NULL;
}

int64_t db_scalar_int(struct db *db, const char *sql, int64_t bind, int64_t dflt)
{
	struct db_stmt *st;
	int64_t v = dflt;
	if (db_prepare(db, sql, &st, NULL) != OK)
		return dflt;
	db_bind_int(st, 1, bind);     /* a statement without parameters ignores it */
	if (db_step(st, NULL) == DB_ROW && !db_col_null(st, 0))
		v = db_col_int(st, 0);
	db_finalize(st);
	return v;
}
