/* store_roles: agency leads' logins on a PostgreSQL server (agency lead add, remove,
 * list).  The roles, grants and row-level security are schema_pg.sql's; this file asks
 * its functions (rt_lead_add, rt_lead_remove) and its view (agency_lead). */
#include "store_int.h"
#include "store_db.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>

/* Refuse a SQLite file: it has no logins. */
static enum status roles_server(struct store *s, struct err *err)
{
	if (s->pg)
		return OK;
	return err_set(err, ERR_USAGE, "%s: agency leads' logins exist only on a PostgreSQL server (--db postgresql://...): "
	               "a SQLite file has no logins", s->path);
}

/* The one text sql gives with its parameters a and b bound (those not NULL), copied
 * into *out (NULL when none). */
static enum status roles_text(struct db *db, const char *sql, const char *a, const char *b, char **out,
                              struct err *err)
{
	struct db_stmt *st;
	*out = NULL;
	enum status rc = db_prepare(db, sql, &st, err);
	if (rc != OK)
		return rc;
	if (a)
		db_bind_text(st, 1, a);
	if (b)
		db_bind_text(st, 2, b);
	enum db_step step = db_step(st, err);
	if (step == DB_ROW && db_col_text(st, 0))
		*out = xstrdup(db_col_text(st, 0));
	db_finalize(st);
	return step == DB_ERROR ? (err ? err->code : ERR_DB) : OK;
}

enum status store_board_only(struct store *s, const char *what, struct err *err)
{
	if (!s->pg)
		return OK;
	char *board = NULL;
	enum status rc = roles_text(s->pg, "SELECT rt_is_board()::text || ' ' || session_user", NULL, NULL, &board, err);
	if (rc == OK && (!board || strncmp(board, "true ", 5) != 0))
		rc = err_set(err, ERR_FORBIDDEN, "%s: only a board member's login may %s (%s is not one)", s->path, what,
		             board ? strchr(board, ' ') + 1 : "this login");
	free(board);
	return rc;
}

/* The board's logins only; the agency must exist (by name or alias): its name as
 * stored goes to *name. */
static enum status roles_check(struct store *s, const char *verb, const char *agency, char **name, struct err *err)
{
	enum status rc = roles_server(s, err);
	if (rc == OK) {
		char *what = xasprintf("%s agency leads", verb);
		rc = store_board_only(s, what, err);
		free(what);
	}
	if (rc == OK)
		rc = roles_text(s->pg, "SELECT coalesce((SELECT name FROM agency WHERE rt_nocase(name) = rt_nocase(?1)),"
		                       " (SELECT g.name FROM agency g JOIN agency_alias x ON x.agency_id = g.id"
		                       " WHERE rt_nocase(x.alias) = rt_nocase(?1)))", agency, NULL, name, err);
	if (rc == OK && !*name)
		rc = err_set(err, ERR_NOT_FOUND, "%s: no agency '%s' (ragtrack agency list names them)", s->path, agency);
	return rc;
}

/* agency lead add: see store.h (the checks here, the grant by rt_lead_add). */
enum status store_lead_add(struct store *s, const char *agency, const char *login, char **name, int *made,
                           struct err *err)
{
	char *said = NULL;
	*made = 0;
	enum status rc = roles_check(s, "add", agency, name, err);
	if (rc == OK && str_empty(login))
		rc = err_set(err, ERR_USAGE, "a lead's login cannot be empty");
	if (rc == OK)
		rc = roles_text(s->pg, "SELECT rt_lead_add(?1, ?2)", *name, login, &said, err);
	if (rc == OK)
		*made = strcmp(said, "created") == 0 ? 2 : strcmp(said, "granted") == 0 ? 1 : 0;
	free(said);
	return rc;
}

/* agency lead remove: see store.h (the checks here, the revoke by rt_lead_remove). */
enum status store_lead_remove(struct store *s, const char *agency, const char *login, char **name, int *removed,
                              struct err *err)
{
	char *said = NULL;
	*removed = 0;
	enum status rc = roles_check(s, "remove", agency, name, err);
	if (rc == OK)
		rc = roles_text(s->pg, "SELECT rt_lead_remove(?1, ?2)", *name, login, &said, err);
	if (rc == OK)
		*removed = strcmp(said, "removed") == 0;
	free(said);
	return rc;
}

/* agency lead list: the agency_lead view, in NOCASE order of the agency, then login. */
enum status store_leads(struct store *s, store_lead_fn fn, void *ctx, struct err *err)
{
	enum status rc = roles_server(s, err);
	if (rc != OK)
		return rc;
	char *order = xasprintf(db_frag(s->pg, DF_NOCASE_ORDER), "agency");
	char *sql = xasprintf("SELECT agency, login FROM agency_lead ORDER BY %s, login", order);
	struct db_stmt *st;
	rc = db_prepare(s->pg, sql, &st, err);
	free(order);
	free(sql);
	if (rc != OK)
		return rc;
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW)
		if (fn(db_col_text(st, 0), db_col_text(st, 1), ctx))
			break;
	if (step == DB_ERROR)
		rc = err ? err->code : ERR_DB;
	db_finalize(st);
	return rc;
}
