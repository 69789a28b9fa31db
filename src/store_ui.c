/* store_ui: what the TUI keeps in the database besides actions: its screen state per
 * user (table ui_state; on PostgreSQL per login too, the login stamped by the server),
 * and RAG counts per agency or review for the dashboard and the pickers.  Both engines
 * through the statement layer (store_db.h). */
#include "store_int.h"
#include "store_db.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>

/* sql, a format of the dialect fragment frag, prepared into *st. */
static enum status ui_prepare(struct store *s, const char *sql, enum db_frag frag, struct db_stmt **st,
                              struct err *err)
{
	struct db *db = store_db(s);
	char *text = xasprintf(sql, db_frag(db, frag));
	enum status rc = db_prepare(db, text, st, err);
	free(text);
	return rc == OK ? OK : store_db_fail(s, err, "preparing a query");
}

enum status store_ui_get(struct store *s, const char *key, char **value, struct err *err)
{
	struct db_stmt *st;
	*value = NULL;
	enum status rc = ui_prepare(s, "SELECT value FROM ui_state WHERE %s\"user\" = ?1 AND key = ?2", DF_UI_MINE, &st, err);
	if (rc != OK)
		return rc;
	db_bind_text(st, 1, s->user);
	db_bind_text(st, 2, key);
	enum db_step step = db_step(st, err);
	if (step == DB_ROW)
		*value = db_col_text(st, 0) ? xstrdup(db_col_text(st, 0)) : NULL;
	else if (step == DB_ERROR)
		rc = store_db_fail(s, err, "reading the screen state");
	db_finalize(st);
	return rc;
}

/* The row is the login's own on PostgreSQL: the server stamps ui_state.login, and its
 * key (login, user, key) keeps each login's rows apart. */
enum status store_ui_set(struct store *s, const char *key, const char *value, struct err *err)
{
	enum status rc = store_check_writable(s, err);
	if (rc != OK)
		return rc;
	struct db_stmt *st;
	if (value)
		rc = ui_prepare(s, "INSERT INTO ui_state(\"user\", key, value) VALUES (?1, ?2, ?3)"
		                   " ON CONFLICT (%s\"user\", key) DO UPDATE SET value = excluded.value", DF_UI_KEY, &st, err);
	else
		rc = ui_prepare(s, "DELETE FROM ui_state WHERE %s\"user\" = ?1 AND key = ?2", DF_UI_MINE, &st, err);
	if (rc != OK)
		return rc;
	db_bind_text(st, 1, s->user);
	db_bind_text(st, 2, key);
	if (value)
		db_bind_text(st, 3, value);
	if (db_step(st, err) == DB_ERROR)
		rc = store_db_fail(s, err, "saving the screen state");
	db_finalize(st);
	return rc;
}

/* What the stamp is made of, in one statement on either engine: every writer that
 * changes an action (edits, undo, imports and re-imports, withdrawals, agency merges)
 * logs a change_log row; imports add actions and notes add notes; a merge deletes the
 * merged-away agency (a merge of an agency with no actions logs nothing).  Index lookups
 * only (a sum over rag_count, 29,000 rows at 1M actions, was a tenth of a search key's
 * time).  On a server the same maxima, read and digested by rt_stamp() (schema_pg.sql,
 * revision 12: under a lead's policy each max walked the table back to one of the lead's
 * rows), and which agencies the login leads: the board adding or removing a lead changes
 * what its lists show and logs nothing. */
static const char STAMP_SQL[] =
	"SELECT (SELECT coalesce(max(id), 0) FROM change_log) || '.' || (SELECT coalesce(max(id), 0) FROM action)"
	" || '.' || (SELECT coalesce(max(id), 0) FROM note) || '.' || (SELECT count(*) FROM agency), ''";
static const char STAMP_SQL_PG[] =
	"SELECT rt_stamp(), rt_sees_all()::text || array_to_string(rt_my_agencies(), '-')";

enum status store_data_stamp(struct store *s, char **stamp, struct err *err)
{
	struct db_stmt *st;
	struct db *db = store_db(s);
	*stamp = NULL;
	enum status rc = db_prepare(db, db_engine(db) == DB_PG ? STAMP_SQL_PG : STAMP_SQL, &st, err);
	if (rc != OK)
		return store_db_fail(s, err, "preparing a query");
	enum db_step step = db_step(st, err);
	if (step == DB_ROW)
		*stamp = xasprintf("%s.%s.%s", db_col_text(st, 0), db_col_text(st, 1), util_today());
	else
		rc = store_db_fail(s, err, "reading the database's state");
	db_finalize(st);
	return rc;
}

/* A group of the dashboard or a picker: its name, id and counts. */
struct group_row {
	char *name;
	int64_t id;
	long counts[RAG_COUNT];
};

struct group_list {
	struct group_row *row;     /* in display order */
	size_t n;
	struct group_key { int64_t id; size_t row; } *by_id;   /* in id order, for counting */
	long none[RAG_COUNT];      /* actions with no agency */
};

static void group_list_free(struct group_list *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->row[i].name);
	free(g->row);
	free(g->by_id);
}

/* sql with its %s the name column in NOCASE order (DF_NOCASE_ORDER), prepared. */
static enum status ui_prepare_nocase(struct store *s, const char *sql, struct db_stmt **st, struct err *err)
{
	struct db *db = store_db(s);
	char *order = xasprintf(db_frag(db, DF_NOCASE_ORDER), "name");
	char *text = xasprintf(sql, order);
	enum status rc = db_prepare(db, text, st, err);
	free(text);
	free(order);
	return rc == OK ? OK : store_db_fail(s, err, "preparing a query");
}

/* The groups that have actions, in display order: from the RAG totals (one read of a
 * few thousand rows), not a probe of the actions per group, which under a lead's
 * row-level security reads each group's actions until one is the lead's. */
static enum status group_names(struct store *s, enum store_group by, struct group_list *g, struct err *err)
{
	static const char AGENCIES[] =
		"SELECT id, name FROM agency WHERE (?1 = 0 OR id = ?1)"
		" AND id IN (SELECT agency_id FROM rag_count WHERE n > 0) ORDER BY %s";
	static const char REVIEWS[] =
		"SELECT id, name FROM review WHERE id IN (SELECT review_id FROM rag_count WHERE n > 0)"
		" ORDER BY %s";
	struct db_stmt *st;
	enum status rc = ui_prepare_nocase(s, by == GROUP_AGENCY ? AGENCIES : REVIEWS, &st, err);
	if (rc != OK)
		return rc;
	if (by == GROUP_AGENCY)
		db_bind_int(st, 1, s->lens_agency);
	size_t cap = 0;
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW) {
		if (g->n == cap) {
			cap = cap ? cap * 2 : 32;
			g->row = xrealloc(g->row, cap * sizeof *g->row);
		}
		const char *name = db_col_text(st, 1);
		g->row[g->n++] = (struct group_row){ .id = db_col_int(st, 0), .name = name ? xstrdup(name) : NULL };
	}
	rc = step == DB_DONE ? OK : store_db_fail(s, err, "listing groups");
	db_finalize(st);
	return rc;
}

static int group_by_id(const void *a, const void *b)
{
	int64_t x = ((const struct group_key *)a)->id, y = ((const struct group_key *)b)->id;
	return x < y ? -1 : x > y;
}

static void group_count(void *ctx, int64_t id, int rag, long n)
{
	struct group_list *g = ctx;
	if (rag < 0 || rag >= RAG_COUNT)
		return;
	if (id == 0) {
		g->none[rag] += n;
		return;
	}
	size_t lo = 0, hi = g->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (g->by_id[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < g->n && g->by_id[lo].id == id)
		g->row[g->by_id[lo].row].counts[rag] += n;
}

/* f without its condition on the groups (each group's counts are its own under f's
 * other conditions). */
static void group_filter(struct filter *g, const struct filter *f, enum store_group by)
{
	filter_copy(g, f);
	if (by == GROUP_AGENCY) {
		for (size_t i = 0; i < g->nagencies; i++)
			free(g->agencies[i]);
		free(g->agencies);
		g->agencies = NULL;
		g->nagencies = 0;
	} else {
		free(g->review);
		g->review = NULL;
	}
}

/* Any action without an agency. */
static int group_none_any(struct store *s)
{
	return db_scalar_int(store_db(s), "SELECT 1 FROM action WHERE agency_id IS NULL LIMIT 1", 0, 0) == 1;
}

static int group_emit(const char *name, int none, const long counts[RAG_COUNT], store_group_fn fn, void *ctx)
{
	struct group_counts gc = { .name = name, .none = none };
	for (int r = 0; r < RAG_COUNT; r++) {
		gc.counts[r] = counts[r];
		gc.total += counts[r];
	}
	return fn(&gc, ctx);
}

/* Every group counted in one read of the actions (or of rag_count), not one per group:
 * the dashboard has a row per review. */
enum status store_group_counts(struct store *s, const struct filter *f, enum store_group by,
                               store_group_fn fn, void *ctx, struct err *err)
{
	struct group_list g = {0};
	enum status rc = group_names(s, by, &g, err);
	if (rc == OK) {
		g.by_id = xcalloc(g.n ? g.n : 1, sizeof *g.by_id);
		for (size_t i = 0; i < g.n; i++)
			g.by_id[i] = (struct group_key){ g.row[i].id, i };
		qsort(g.by_id, g.n, sizeof *g.by_id, group_by_id);
		struct filter gf;
		group_filter(&gf, f, by);
		rc = store_rag_counts_by(s, &gf, by, group_count, &g, err);
		filter_free(&gf);
	}
	int stopped = 0;
	for (size_t i = 0; rc == OK && i < g.n && !stopped; i++)
		stopped = group_emit(g.row[i].name, 0, g.row[i].counts, fn, ctx);
	if (rc == OK && !stopped && by == GROUP_AGENCY && !s->lens_agency && group_none_any(s))
		group_emit("(no agency)", 1, g.none, fn, ctx);
	group_list_free(&g);
	return rc;
}
