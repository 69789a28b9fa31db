/* store_board: recorded board meetings.  A recording copies the state of every action
 * (RAG, target, evidence present or not, withdrawn) into board_action, so the next
 * paper compares the actions as they are with a state that no later import or edit
 * can change (the schema's triggers refuse updates and deletes). */
#include "store_int.h"
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

/* The columns board_read reads, over board bd: the snapshot counted inside the lens
 * (?1, 0 = none). */
static const char BOARD_COLS[] =
	"SELECT bd.id, bd.name, bd.held_on, bd.recorded_at, bd.recorded_by,"
	" (SELECT count(*) || ' ' || ifnull(sum(b.withdrawn), 0)"
	"  || ' ' || ifnull(sum(b.withdrawn = 0 AND b.rag = 0), 0) || ' ' || ifnull(sum(b.withdrawn = 0 AND b.rag = 1), 0)"
	"  || ' ' || ifnull(sum(b.withdrawn = 0 AND b.rag = 2), 0) || ' ' || ifnull(sum(b.withdrawn = 0 AND b.rag = 3), 0)"
	"  || ' ' || ifnull(sum(b.withdrawn = 0 AND b.rag = 4), 0)"
	"  || ' ' || ifnull(sum(b.withdrawn = 0 AND b.rag = 4 AND NOT b.has_evidence), 0)"
	"  FROM board_action b JOIN action a ON a.id = b.action_id"
	"  WHERE b.board_id = bd.id AND (?1 = 0 OR ifnull(a.agency_id, 0) = ?1))"
	" FROM board bd";

static void board_read(sqlite3_stmt *st, struct board_info *b)
{
	memset(b, 0, sizeof *b);
	b->id = sqlite3_column_int64(st, 0);
	b->name = store_col_dup(st, 1);
	b->held_on = store_col_dup(st, 2);
	b->recorded_at = store_col_dup(st, 3);
	b->recorded_by = store_col_dup(st, 4);
	const char *n = (const char *)sqlite3_column_text(st, 5);
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

static enum status board_exists(struct store *s, const char *name, int *exists, struct err *err)
{
	sqlite3_stmt *st;
	enum status rc = store_prepare(s, &st, "SELECT 1 FROM board WHERE name = ?", err);
	if (rc != OK)
		return rc;
	store_bind_text(st, 1, name);
	int step = sqlite3_step(st);
	*exists = step == SQLITE_ROW;
	sqlite3_finalize(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? OK : store_fail(s, err, "reading the boards");
}

static enum status board_insert(struct store *s, const char *name, const char *held_on, int64_t *id, struct err *err)
{
	sqlite3_stmt *st;
	enum status rc = store_prepare(s, &st, "INSERT INTO board(name, held_on, recorded_at, recorded_by) VALUES (?, ?, ?, ?)", err);
	if (rc != OK)
		return rc;
	store_bind_text(st, 1, name);
	store_bind_text(st, 2, held_on);
	store_bind_text(st, 3, util_now());
	store_bind_text(st, 4, s->user);
	rc = sqlite3_step(st) == SQLITE_DONE ? OK : store_fail(s, err, "recording the board");
	sqlite3_finalize(st);
	*id = sqlite3_last_insert_rowid(s->db);
	if (rc != OK)
		return rc;
	rc = store_prepare(s, &st,
	                               "INSERT INTO board_action(board_id, action_id, rag, target_date, target_raw, has_evidence, withdrawn)"
	                               " SELECT ?, id, rag, target_date, target_raw, trim(evidence) <> '', withdrawn FROM action", err);
	if (rc != OK)
		return rc;
	sqlite3_bind_int64(st, 1, *id);
	rc = sqlite3_step(st) == SQLITE_DONE ? OK : store_fail(s, err, "recording the actions' state");
	sqlite3_finalize(st);
	return rc;
}

/* Change-log entries dated after the day: made after the meeting, yet in the snapshot. */
static long changes_after(struct store *s, const char *day)
{
	sqlite3_stmt *st;
	long n = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM change_log WHERE substr(at, 1, 10) > ?", -1, &st, NULL) !=
	    SQLITE_OK)
		return 0;
	store_bind_text(st, 1, day);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
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

/* The boards' columns (BOARD_COLS) then tail, with the lens bound as ?1. */
static enum status board_prepare(struct store *s, const char *tail, sqlite3_stmt **st, struct err *err)
{
	char *sql = xasprintf("%s %s", BOARD_COLS, tail);
	enum status rc = store_prepare(s, st, sql, err);
	free(sql);
	if (rc == OK)
		sqlite3_bind_int64(*st, 1, s->lens_agency);
	return rc;
}

enum status store_board_list(struct store *s, struct board_info **out, size_t *n, struct err *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	enum status rc = board_prepare(s, "ORDER BY bd.held_on, bd.id", &st, err);
	if (rc != OK)
		return rc;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		board_read(st, &(*out)[(*n)++]);
	}
	rc = step == SQLITE_DONE ? OK : store_fail(s, err, "reading the boards");
	sqlite3_finalize(st);
	return rc;
}

/* The boards' names, for a message ("" when there are none).  Caller frees. */
static char *board_names(struct store *s)
{
	struct buf b = {0};
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT name FROM board ORDER BY held_on, id", -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			buf_printf(&b, "%s'%s'", b.len ? ", " : "", (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	return b.s ? buf_steal(&b) : xstrdup("");
}

enum status store_board_get(struct store *s, const char *name, const char *day, struct board_info *out,
                            struct err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st;
	enum status rc = board_prepare(s, name ? "WHERE bd.name = ?2 ORDER BY bd.held_on DESC, bd.id DESC LIMIT 1"
	                                       : "WHERE (?2 IS NULL OR bd.held_on <= ?2) ORDER BY bd.held_on DESC, bd.id DESC LIMIT 1",
	                               &st, err);
	if (rc != OK)
		return rc;
	store_bind_text(st, 2, name ? name : day);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		board_read(st, out);
	rc = step == SQLITE_ROW ? OK : step != SQLITE_DONE ? store_fail(s, err, "reading the boards") : OK;
	sqlite3_finalize(st);
	if (rc != OK || step == SQLITE_ROW)
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
	sqlite3_stmt *st;
	struct buf b = {0};
	if (sqlite3_prepare_v2(s->db,
	        "SELECT value FROM meta WHERE key = 'partnership' AND trim(value) <> ''"
	        " UNION ALL SELECT * FROM (SELECT DISTINCT board FROM review WHERE trim(board) <> '' ORDER BY board)"
	        " WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'partnership' AND trim(value) <> '')",
	        -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			buf_printf(&b, "%s%s", b.len ? " / " : "", (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
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
	sqlite3_stmt *st;
	rc = store_prepare(s, &st, str_empty(name) ? "DELETE FROM meta WHERE key = 'partnership'"
	                                                       : "INSERT OR REPLACE INTO meta(key, value) VALUES ('partnership', ?)", err);
	if (rc != OK)
		return rc;
	if (!str_empty(name))
		store_bind_text(st, 1, name);
	rc = sqlite3_step(st) == SQLITE_DONE ? OK : store_fail(s, err, "saving the partnership's name");
	sqlite3_finalize(st);
	return rc;
}
