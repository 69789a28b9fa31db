/* store_ui: what the TUI keeps in the database besides actions: its screen state per
 * user (table ui_state), and RAG counts per agency or review for the dashboard and the
 * pickers. */
#include "store_int.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>

enum status store_ui_get(struct store *s, const char *key, char **value, struct err *err)
{
	sqlite3_stmt *st;
	*value = NULL;
	enum status rc = store_prepare(s, &st, "SELECT value FROM ui_state WHERE user = ? AND key = ?", err);
	if (rc != OK)
		return rc;
	store_bind_text(st, 1, s->user);
	store_bind_text(st, 2, key);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*value = store_col_dup(st, 0);
	else if (step != SQLITE_DONE)
		rc = store_fail(s, err, "reading the screen state");
	sqlite3_finalize(st);
	return rc;
}

enum status store_ui_set(struct store *s, const char *key, const char *value, struct err *err)
{
	enum status rc = store_check_writable(s, err);
	if (rc != OK)
		return rc;
	sqlite3_stmt *st;
	const char *sql = value ? "INSERT OR REPLACE INTO ui_state(user, key, value) VALUES (?, ?, ?)"
	                        : "DELETE FROM ui_state WHERE user = ? AND key = ?";
	rc = store_prepare(s, &st, sql, err);
	if (rc != OK)
		return rc;
	store_bind_text(st, 1, s->user);
	store_bind_text(st, 2, key);
	if (value)
		store_bind_text(st, 3, value);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_fail(s, err, "saving the screen state");
	sqlite3_finalize(st);
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

/* The groups that have actions, in display order. */
static enum status group_names(struct store *s, enum store_group by, struct group_list *g, struct err *err)
{
	static const char AGENCIES[] =
		"SELECT id, name FROM agency WHERE (?1 = 0 OR id = ?1)"
		" AND EXISTS (SELECT 1 FROM action WHERE agency_id = agency.id) ORDER BY name COLLATE NOCASE";
	static const char REVIEWS[] =
		"SELECT id, name FROM review WHERE EXISTS (SELECT 1 FROM action WHERE review_id = review.id)"
		" ORDER BY name COLLATE NOCASE";
	sqlite3_stmt *st;
	enum status rc = store_prepare(s, &st, by == GROUP_AGENCY ? AGENCIES : REVIEWS, err);
	if (rc != OK)
		return rc;
	if (by == GROUP_AGENCY)
		sqlite3_bind_int64(st, 1, s->lens_agency);
	size_t cap = 0;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (g->n == cap) {
			cap = cap ? cap * 2 : 32;
			g->row = xrealloc(g->row, cap * sizeof *g->row);
		}
		g->row[g->n++] = (struct group_row){ .id = sqlite3_column_int64(st, 0), .name = store_col_dup(st, 1) };
	}
	rc = step == SQLITE_DONE ? OK : store_fail(s, err, "listing groups");
	sqlite3_finalize(st);
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
static int group_none_any(struct store *s, struct err *err)
{
	sqlite3_stmt *st;
	if (store_prepare(s, &st, "SELECT EXISTS (SELECT 1 FROM action WHERE agency_id IS NULL)", err) != OK)
		return 0;
	int any = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return any;
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
	if (rc == OK && !stopped && by == GROUP_AGENCY && !s->lens_agency && group_none_any(s, err))
		group_emit("(no agency)", 1, g.none, fn, ctx);
	group_list_free(&g);
	return rc;
}
