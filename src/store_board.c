/* store_board: recorded board meetings.  A recording copies the state of every action
 * (RAG, target, evidence present or not, withdrawn) into board_action, so the next
 * paper compares the actions as they are with a state that no later import or edit
 * can change (the schema's triggers refuse updates and deletes).  One copy for both
 * engines, through the statement layer (store_db.h). */
#include "store_int.h"
#include "store_db.h"
#include "ragtrack/report_data.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>

void board_info_clear(struct board_info *b)
{
	if (!b)
		return;
	free(b->name);
	free(b->held_on);
	free(b->recorded_at);
	free(b->recorded_by);
	memset(b, 0, sizeof *b);
}

/* What board_read counts in a snapshot: withdrawn, then the actions in the plan by
 * RAG, then those Blue without evidence. */
static const char *const BOARD_SUMS[] = {
	"b.withdrawn = 1", "b.withdrawn = 0 AND b.rag = 0", "b.withdrawn = 0 AND b.rag = 1",
	"b.withdrawn = 0 AND b.rag = 2", "b.withdrawn = 0 AND b.rag = 3", "b.withdrawn = 0 AND b.rag = 4",
	"b.withdrawn = 0 AND b.rag = 4 AND b.has_evidence = 0",
};

/* The columns board_read reads, over board bd: the snapshot counted inside the lens
 * (?1, 0 = none), as one text of numbers.  Caller frees. */
static char *board_cols(struct store *s)
{
	struct buf b = {0};
	buf_adds(&b, "SELECT bd.id, bd.name, bd.held_on, bd.recorded_at, bd.recorded_by, (SELECT count(*)");
	for (size_t i = 0; i < sizeof BOARD_SUMS / sizeof *BOARD_SUMS; i++) {
		buf_adds(&b, " || ' ' || coalesce(sum(");
		buf_printf(&b, db_frag(store_db(s), DF_INT), BOARD_SUMS[i]);
		buf_adds(&b, "), 0)");
	}
	buf_adds(&b, " FROM board_action b JOIN action a ON a.id = b.action_id"
	             " WHERE b.board_id = bd.id AND (?1 = 0 OR coalesce(a.agency_id, 0) = ?1)) FROM board bd");
	return buf_steal(&b);
}

/* Prepare sql on either engine; *st is NULL after a failure. */
static enum status board_sql(struct store *s, const char *sql, struct db_stmt **st, struct err *err)
{
	if (db_prepare(store_db(s), sql, st, err) != OK)
		return store_db_fail(s, err, "preparing a query");
	return OK;
}

static void board_read(struct db_stmt *st, struct board_info *b)
{
	memset(b, 0, sizeof *b);
	b->id = db_col_int(st, 0);
	b->name = db_col_dup(st, 1);
	b->held_on = db_col_dup(st, 2);
	b->recorded_at = db_col_dup(st, 3);
	b->recorded_by = db_col_dup(st, 4);
	const char *n = db_col_text(st, 5);
	long v[8] = {0};
	for (int i = 0; n && i < 8; i++) {
		char *end;
		v[i] = strtol(n, &end, 10);
		n = end;
	}
	b->actions = v[0];
	b->withdrawn = v[1];
	for (int r = 0; r < RAG_COUNT; r++)
		b->rag[r] = v[2 + r];
	b->no_evidence = v[7];
}

/* Is a board called name recorded (NOCASE, as the name's unique index compares)? */
static enum status board_exists(struct store *s, const char *name, int *exists, struct err *err)
{
	struct db_stmt *st;
	char *where = xasprintf(db_frag(store_db(s), DF_NOCASE_EQ), "name", "?");
	char *sql = xasprintf("SELECT 1 FROM board WHERE %s", where);
	free(where);
	enum status rc = board_sql(s, sql, &st, err);
	free(sql);
	if (rc != OK)
		return rc;
	db_bind_text(st, 1, name);
	enum db_step step = db_step(st, err);
	*exists = step == DB_ROW;
	db_finalize(st);
	return step != DB_ERROR ? OK : store_db_fail(s, err, "reading the boards");
}

/* Run st to its end (a write), finalized on every path. */
static enum status board_run(struct store *s, struct db_stmt *st, const char *doing, struct err *err)
{
	enum db_step step = db_step(st, err);
	while (step == DB_ROW)
		step = db_step(st, err);
	db_finalize(st);
	return step == DB_DONE ? OK : store_db_fail(s, err, doing);
}

static enum status board_insert(struct store *s, const char *name, const char *held_on, int64_t *id, struct err *err)
{
	struct db_stmt *st;
	enum status rc = board_sql(s, "INSERT INTO board(name, held_on, recorded_at, recorded_by) VALUES (?, ?, ?, ?)"
	                              " RETURNING id", &st, err);
	if (rc != OK)
		return rc;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, held_on);
	db_bind_text(st, 3, util_now());
	db_bind_text(st, 4, s->user);
	enum db_step step = db_step(st, err);
	*id = step == DB_ROW ? db_col_int(st, 0) : 0;
	rc = step == DB_ROW ? board_run(s, st, "recording the board", err) : store_db_fail(s, err, "recording the board");
	if (step != DB_ROW)
		db_finalize(st);
	if (rc != OK)
		return rc;
	char *evidence = xasprintf(db_frag(store_db(s), DF_INT), "trim(evidence) <> ''");
	char *sql = xasprintf("INSERT INTO board_action(board_id, action_id, rag, target_date, target_raw, has_evidence,"
	                      " withdrawn) SELECT ?, id, rag, target_date, target_raw, %s, withdrawn FROM action", evidence);
	rc = board_sql(s, sql, &st, err);
	free(evidence);
	free(sql);
	if (rc != OK)
		return rc;
	db_bind_int(st, 1, *id);
	return board_run(s, st, "recording the actions' state", err);
}

/* Change-log entries dated after the day: made after the meeting, yet in the snapshot. */
static long changes_after(struct store *s, const char *day)
{
	struct db_stmt *st;
	long n = 0;
	if (db_prepare(store_db(s), "SELECT count(*) FROM change_log WHERE substr(at, 1, 10) > ?", &st, NULL) != OK)
		return 0;
	db_bind_text(st, 1, day);
	if (db_step(st, NULL) == DB_ROW)
		n = (long)db_col_int(st, 0);
	db_finalize(st);
	return n;
}

enum status store_board_record(struct store *s, const char *name, const char *held_on, struct board_info *out,
                               long *changed_after, struct err *err)
{
	enum status rc = store_check_writable(s, err);
	if (rc != OK)
		return rc;
	if (s->lens_agency)
		return err_set(err, ERR_FORBIDDEN, "a board records every agency's actions: not allowed under --as-agency");
	if (str_empty(name))
		return err_set(err, ERR_INVALID, "a board needs a name");
	int exists = 0;
	int64_t id = 0;
	if ((rc = store_begin(s, err)) != OK)
		return rc;
	rc = board_exists(s, name, &exists, err);
	if (rc == OK && exists)
		rc = err_set(err, ERR_CONFLICT, "%s: a board called '%s' is already recorded (ragtrack board list shows them)",
		             s->path, name);
	if (rc == OK)
		rc = board_insert(s, name, held_on, &id, err);
	if (rc == OK)
		rc = store_commit(s, err);
	if (rc != OK) {
		store_rollback(s);
		return rc;
	}
	if (changed_after)
		*changed_after = changes_after(s, held_on);
	return out ? store_board_get(s, name, NULL, out, err) : OK;
}

/* The boards' columns (board_cols) then tail, with the lens bound as ?1. */
static enum status board_prepare(struct store *s, const char *tail, struct db_stmt **st, struct err *err)
{
	char *cols = board_cols(s);
	char *sql = xasprintf("%s %s", cols, tail);
	enum status rc = board_sql(s, sql, st, err);
	free(cols);
	free(sql);
	if (rc == OK)
		db_bind_int(*st, 1, s->lens_agency);
	return rc;
}

enum status store_board_list(struct store *s, struct board_info **out, size_t *n, struct err *err)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *st;
	enum status rc = board_prepare(s, "ORDER BY bd.held_on, bd.id", &st, err);
	if (rc != OK)
		return rc;
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW) {
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		board_read(st, &(*out)[(*n)++]);
	}
	rc = step == DB_DONE ? OK : store_db_fail(s, err, "reading the boards");
	db_finalize(st);
	return rc;
}

/* The boards' names, for a message ("" when there are none).  Caller frees. */
static char *board_names(struct store *s)
{
	struct buf b = {0};
	struct db_stmt *st;
	if (db_prepare(store_db(s), "SELECT name FROM board ORDER BY held_on, id", &st, NULL) == OK) {
		while (db_step(st, NULL) == DB_ROW)
			buf_printf(&b, "%s'%s'", b.len ? ", " : "", db_col_text(st, 0));
		db_finalize(st);
	}
	return b.s ? buf_steal(&b) : xstrdup("");
}

enum status store_board_get(struct store *s, const char *name, const char *day, struct board_info *out,
                            struct err *err)
{
	memset(out, 0, sizeof *out);
	struct db_stmt *st;
	char *same = xasprintf(db_frag(store_db(s), DF_NOCASE_EQ), "bd.name", "?2");
	char *by_name = xasprintf("WHERE %s ORDER BY bd.held_on DESC, bd.id DESC LIMIT 1", same);
	enum status rc = board_prepare(s, name ? by_name
	                                       : "WHERE (bd.held_on <= ?2 OR ?2 IS NULL) ORDER BY bd.held_on DESC, bd.id DESC LIMIT 1",
	                               &st, err);
	free(same);
	free(by_name);
	if (rc != OK)
		return rc;
	db_bind_text(st, 2, name ? name : day);
	enum db_step step = db_step(st, err);
	if (step == DB_ROW)
		board_read(st, out);
	rc = step == DB_ERROR ? store_db_fail(s, err, "reading the boards") : OK;
	db_finalize(st);
	if (rc != OK || step == DB_ROW)
		return rc;
	char *names = board_names(s);
	if (name)
		rc = err_set(err, ERR_NOT_FOUND, "no board '%s'%s%s", name, *names ? "; recorded: " : " (none is recorded)", names);
	else
		rc = err_set(err, ERR_NOT_FOUND, "no board recorded%s%s", day ? " on or before " : "", day ? day : "");
	free(names);
	return rc;
}

char *store_partnership(struct store *s)
{
	struct db_stmt *st;
	struct buf b = {0};
	if (db_prepare(store_db(s),
	        "SELECT value FROM meta WHERE key = 'partnership' AND trim(value) <> ''"
	        " UNION ALL SELECT * FROM (SELECT DISTINCT board FROM review WHERE trim(board) <> '' ORDER BY board) boards"
	        " WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'partnership' AND trim(value) <> '')",
	        &st, NULL) == OK) {
		while (db_step(st, NULL) == DB_ROW)
			buf_printf(&b, "%s%s", b.len ? " / " : "", db_col_text(st, 0));
		db_finalize(st);
	}
	return b.s ? buf_steal(&b) : xstrdup("");
}

enum status store_partnership_set(struct store *s, const char *name, struct err *err)
{
	enum status rc = store_check_writable(s, err);
	if (rc != OK)
		return rc;
	if (s->lens_agency)
		return err_set(err, ERR_FORBIDDEN, "the partnership's name is every agency's: not allowed under --as-agency");
	struct db_stmt *st;
	rc = board_sql(s, str_empty(name) ? "DELETE FROM meta WHERE key = 'partnership'"
	                                  : "INSERT INTO meta(key, value) VALUES ('partnership', ?)"
	                                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value", &st, err);
	if (rc != OK)
		return rc;
	if (!str_empty(name))
		db_bind_text(st, 1, name);
	return board_run(s, st, "saving the partnership's name", err);
}
