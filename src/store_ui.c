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

/* The names of the groups that have actions, in display order.  Caller frees each
 * name and the array. */
static enum status group_names(struct store *s, enum store_group by, char ***names, size_t *n,
                               struct err *err)
{
	static const char AGENCIES[] =
		"SELECT name FROM agency WHERE (?1 = 0 OR id = ?1)"
		" AND EXISTS (SELECT 1 FROM action WHERE agency_id = agency.id) ORDER BY name COLLATE NOCASE";
	static const char REVIEWS[] =
		"SELECT name FROM review WHERE EXISTS (SELECT 1 FROM action WHERE review_id = review.id)"
		" ORDER BY name COLLATE NOCASE";
	sqlite3_stmt *st;
	*names = NULL;
	*n = 0;
	enum status rc = store_prepare(s, &st, by == GROUP_AGENCY ? AGENCIES : REVIEWS, err);
	if (rc != OK)
		return rc;
	if (by == GROUP_AGENCY)
		sqlite3_bind_int64(st, 1, s->lens_agency);
	size_t cap = 0;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			*names = xrealloc(*names, cap * sizeof **names);
		}
		(*names)[(*n)++] = store_col_dup(st, 0);
	}
	rc = step == SQLITE_DONE ? OK : store_fail(s, err, "listing groups");
	sqlite3_finalize(st);
	return rc;
}

/* f narrowed to one group, every other condition kept. */
static void group_filter(struct filter *g, const struct filter *f, enum store_group by, const char *name)
{
	filter_copy(g, f);
	if (by == GROUP_AGENCY) {
		for (size_t i = 0; i < g->nagencies; i++)
			free(g->agencies[i]);
		free(g->agencies);
		g->agencies = xcalloc(1, sizeof *g->agencies);
		g->agencies[0] = xstrdup(name);
		g->nagencies = 1;
	} else {
		free(g->review);
		g->review = xstrdup(name);
	}
}

/* The counts of the actions with no agency: all of f's (its agencies left out) less
 * those of the agencies, each action having one agency at most. */
static enum status group_none(struct store *s, const struct filter *f, const long sum[RAG_COUNT],
                              store_group_fn fn, void *ctx, struct err *err)
{
	sqlite3_stmt *st;
	enum status rc = store_prepare(s, &st, "SELECT EXISTS (SELECT 1 FROM action WHERE agency_id IS NULL)", err);
	if (rc != OK)
		return rc;
	int any = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (!any)
		return OK;
	struct filter g;
	filter_copy(&g, f);
	for (size_t i = 0; i < g.nagencies; i++)
		free(g.agencies[i]);
	free(g.agencies);
	g.agencies = NULL;
	g.nagencies = 0;
	struct group_counts gc = { .name = "(no agency)", .none = 1 };
	rc = store_rag_counts(s, &g, gc.counts, err);
	filter_free(&g);
	for (int r = 0; r < RAG_COUNT; r++) {
		gc.counts[r] -= sum[r];
		gc.total += gc.counts[r];
	}
	if (rc == OK)
		fn(&gc, ctx);
	return rc;
}

enum status store_group_counts(struct store *s, const struct filter *f, enum store_group by,
                               store_group_fn fn, void *ctx, struct err *err)
{
	char **names;
	size_t n;
	long sum[RAG_COUNT] = {0};
	int stopped = 0;
	enum status rc = group_names(s, by, &names, &n, err);
	for (size_t i = 0; i < n && rc == OK; i++) {
		struct filter g;
		struct group_counts gc = { .name = names[i] };
		group_filter(&g, f, by, names[i]);
		rc = store_rag_counts(s, &g, gc.counts, err);
		filter_free(&g);
		for (int r = 0; r < RAG_COUNT; r++) {
			gc.total += gc.counts[r];
			sum[r] += gc.counts[r];
		}
		if (rc == OK && fn(&gc, ctx)) {
			stopped = 1;
			break;
		}
	}
	if (rc == OK && !stopped && by == GROUP_AGENCY && !s->lens_agency)
		rc = group_none(s, f, sum, fn, ctx, err);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}
