/* store_report: the aggregate queries behind `ragtrack report`.
 *
 * Every query starts from the ids of the actions the filter matches (the one filter
 * model, through store_prepare_matching), so filters and the agency lens narrow
 * every figure alike.  Lists are read to the end so their totals are exact, but only
 * the first opts.limit rows are kept: memory does not grow with the database. */
#include "store_int.h"
#include "ragtrack/report_data.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_STALE_DAYS 90
#define DEFAULT_SINCE_DAYS 30

/* What qualifies an action for a list, and the list's order.  :today and :stale are
 * bound by name. */
static const struct {
	const char *where, *order;
} LIST_SQL[LIST_COUNT] = {
	[LIST_OVERDUE] = { "a.target_date < :today AND a.rag <> 4", "a.target_date, a.sort_key, a.id" },
	[LIST_SLIPPED] = { "a.first_target_date IS NOT NULL AND a.target_date > a.first_target_date",
	                   "julianday(a.target_date) - julianday(a.first_target_date) DESC, a.sort_key, a.id" },
	[LIST_NO_EVIDENCE] = { "a.rag = 4 AND trim(a.evidence) = ''", "a.sort_key, a.id" },
	[LIST_GREEN_PAST] = { "a.rag = 3 AND a.target_date < :today", "a.target_date, a.sort_key, a.id" },
	[LIST_STALE] = { "a.rag <> 4 AND a.touched_at < :stale", "a.touched_at, a.sort_key, a.id" },
};

static const char SEL_BEFORE[] = "WITH sel(id) AS (";

/* The columns of a report_item, from the joins in ITEM_FROM. */
static const char ITEM_COLS[] =
	"a.id, rv.name, coalesce(nullif(q.ref, ''), f.ref, ''), ag.name, a.lead, a.text, a.rag,"
	" a.target_date, a.target_raw, a.first_target_date, a.touched_at";
static const char ITEM_FROM[] =
	" FROM action a JOIN review rv ON rv.id = a.review_id JOIN question q ON q.id = a.question_id"
	" LEFT JOIN finding f ON f.id = q.finding_id LEFT JOIN agency ag ON ag.id = a.agency_id";

static void item_read(sqlite3_stmt *st, int col, struct report_item *it)
{
	it->id = sqlite3_column_int64(st, col);
	it->review = store_col_dup(st, col + 1);
	it->ref = store_col_dup(st, col + 2);
	it->agency = store_col_dup(st, col + 3);
	it->lead = store_col_dup(st, col + 4);
	it->text = store_col_dup(st, col + 5);
	int r = sqlite3_column_int(st, col + 6);
	it->rag = r >= 0 && r < RAG_COUNT ? (enum rag)r : RAG_UNSET;
	it->target_date = store_col_dup(st, col + 7);
	it->target_raw = store_col_dup(st, col + 8);
	it->first_target_date = store_col_dup(st, col + 9);
	it->touched_at = store_col_dup(st, col + 10);
}

static void item_clear(struct report_item *it)
{
	free(it->review);
	free(it->ref);
	free(it->agency);
	free(it->lead);
	free(it->text);
	free(it->target_date);
	free(it->target_raw);
	free(it->first_target_date);
	free(it->touched_at);
	memset(it, 0, sizeof *it);
}

/* Bind a named parameter when the statement has it. */
static void bind_named(sqlite3_stmt *st, const char *name, const char *value)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i > 0)
		sqlite3_bind_text(st, i, value, -1, SQLITE_TRANSIENT);
}

static enum status prepare(struct store *s, const struct filter *f, const struct report_data *d, const char *after,
                           sqlite3_stmt **st, struct err *err)
{
	enum status rc = store_prepare_matching(s, f, SEL_BEFORE, after, st, err);
	if (rc != OK)
		return rc;
	char stale[11];
	date_add_days(d->today, -(long)d->stale_days, stale);
	bind_named(*st, ":today", d->today);
	bind_named(*st, ":since", d->since);
	bind_named(*st, ":stale", stale);
	return OK;
}

static enum status finish(struct store *s, sqlite3_stmt *st, int step, const char *doing, struct err *err)
{
	enum status rc = OK;
	if (step != SQLITE_DONE)
		rc = store_fail(s, err, doing);
	sqlite3_finalize(st);
	return rc;
}

/* ---- RAG counts ------------------------------------------------------------------- */

/* group[0] names the group's id and name columns, group[1] its joins, grouping and
 * order; rows come in group order, one per group and RAG state. */
static enum status gather_counts(struct store *s, const struct filter *f, struct report_data *d,
                                 const char *const group[2], struct report_counts **out, size_t *n, struct err *err)
{
	char *after = xasprintf(") SELECT %s, a.rag, count(*), sum(a.target_date < :today AND a.rag <> 4)%s",
	                        group[0], group[1]);
	sqlite3_stmt *st;
	enum status rc = prepare(s, f, d, after, &st, err);
	free(after);
	if (rc != OK)
		return rc;
	size_t cap = 0;
	int64_t last = 0;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t key = sqlite3_column_int64(st, 0);
		if (*n == 0 || key != last) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 16;
				*out = xrealloc(*out, cap * sizeof **out);
			}
			memset(&(*out)[*n], 0, sizeof **out);
			(*out)[(*n)++].name = store_col_dup(st, 1);
			last = key;
		}
		struct report_counts *c = &(*out)[*n - 1];
		int r = sqlite3_column_int(st, 2);
		long count = (long)sqlite3_column_int64(st, 3);
		c->rag[r >= 0 && r < RAG_COUNT ? r : RAG_UNSET] += count;
		c->total += count;
		c->overdue += (long)sqlite3_column_int64(st, 4);
	}
	return finish(s, st, step, "counting actions", err);
}

static void counts_sum(struct report_counts *total, const struct report_counts *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (int r = 0; r < RAG_COUNT; r++)
			total->rag[r] += rows[i].rag[r];
		total->total += rows[i].total;
		total->overdue += rows[i].overdue;
	}
}

/* ---- lists ------------------------------------------------------------------------ */

static enum status gather_list(struct store *s, const struct filter *f, struct report_data *d,
                               enum report_list_kind k, struct err *err)
{
	char *after = xasprintf(") SELECT %s%s WHERE a.id IN sel AND %s ORDER BY %s", ITEM_COLS, ITEM_FROM,
	                        LIST_SQL[k].where, LIST_SQL[k].order);
	sqlite3_stmt *st;
	enum status rc = prepare(s, f, d, after, &st, err);
	free(after);
	if (rc != OK)
		return rc;
	struct report_list *l = &d->lists[k];
	size_t cap = 0;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		l->total++;
		if (d->limit >= 0 && (long)l->n >= d->limit)
			continue;
		if (l->n == cap) {
			cap = cap ? cap * 2 : 16;
			l->items = xrealloc(l->items, cap * sizeof *l->items);
		}
		item_read(st, 0, &l->items[l->n++]);
	}
	return finish(s, st, step, "listing actions", err);
}

/* ---- changes and notes since ------------------------------------------------------- */

static const char CHANGES_SQL[] =
	"), ev(action_id, at, user, source, field, old_value, new_value, reason, ord) AS ("
	" SELECT action_id, at, user, source, field, old_value, new_value, reason, id FROM change_log"
	"  WHERE at >= :since AND substr(at, 1, 10) <= :today AND action_id IN sel"
	" UNION ALL"
	" SELECT action_id, at, user, source, NULL, NULL, text, NULL, id FROM note"
	"  WHERE at >= :since AND substr(at, 1, 10) <= :today AND action_id IN sel)"
	" SELECT ev.at, ev.user, ev.source, ev.field, ev.old_value, ev.new_value, ev.reason, %s%s"
	" JOIN ev ON ev.action_id = a.id ORDER BY a.sort_key, a.id, ev.at, ev.field IS NULL, ev.ord";
#define EVENT_NCOLS 7

static void event_read(sqlite3_stmt *st, struct report_event *e)
{
	e->at = store_col_dup(st, 0);
	e->user = store_col_dup(st, 1);
	e->source = store_col_dup(st, 2);
	e->field = store_col_dup(st, 3);
	e->old_value = store_col_dup(st, 4);
	e->new_value = store_col_dup(st, 5);
	e->reason = store_col_dup(st, 6);
}

static void event_clear(struct report_event *e)
{
	free(e->at);
	free(e->user);
	free(e->source);
	free(e->field);
	free(e->old_value);
	free(e->new_value);
	free(e->reason);
}

static void changed_add_event(struct report_changed *c, sqlite3_stmt *st)
{
	c->events = xrealloc(c->events, (c->nevents + 1) * sizeof *c->events);
	event_read(st, &c->events[c->nevents++]);
}

static enum status gather_changes(struct store *s, const struct filter *f, struct report_data *d, struct err *err)
{
	char *after = xasprintf(CHANGES_SQL, ITEM_COLS, ITEM_FROM);
	sqlite3_stmt *st;
	enum status rc = prepare(s, f, d, after, &st, err);
	free(after);
	if (rc != OK)
		return rc;
	struct report_changes *ch = &d->changes;
	size_t cap = 0;
	int64_t last = 0;
	int step, keep = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, EVENT_NCOLS);
		if (sqlite3_column_type(st, 3) == SQLITE_NULL)
			ch->notes++;
		else
			ch->changes++;
		if (ch->total == 0 || id != last) {
			ch->total++;
			last = id;
			keep = d->limit < 0 || (long)ch->n < d->limit;
			if (keep) {
				if (ch->n == cap) {
					cap = cap ? cap * 2 : 16;
					ch->actions = xrealloc(ch->actions, cap * sizeof *ch->actions);
				}
				struct report_changed *c = &ch->actions[ch->n++];
				memset(c, 0, sizeof *c);
				item_read(st, EVENT_NCOLS, &c->action);
			}
		}
		if (keep)
			changed_add_event(&ch->actions[ch->n - 1], st);
	}
	return finish(s, st, step, "reading the change log", err);
}

/* ---- the whole report ------------------------------------------------------------- */

static const char *const REVIEW_GROUP[2] = {
	"rv.id, rv.name",
	" FROM action a JOIN review rv ON rv.id = a.review_id WHERE a.id IN sel"
	" GROUP BY rv.id, a.rag ORDER BY rv.name, rv.id, a.rag",
};
static const char *const AGENCY_GROUP[2] = {
	"ifnull(ag.id, 0), ag.name",
	" FROM action a LEFT JOIN agency ag ON ag.id = a.agency_id WHERE a.id IN sel"
	" GROUP BY ag.id, a.rag ORDER BY ag.name IS NULL, ag.name COLLATE NOCASE, ag.id, a.rag",
};

enum status store_report_gather(struct store *s, const struct filter *f, const struct report_opts *o,
                                struct report_data **out, struct err *err)
{
	struct report_data *d = xcalloc(1, sizeof *d);
	char day[11];
	d->today = xstrdup(util_today());
	d->stale_days = o && o->stale_days >= 0 ? o->stale_days : DEFAULT_STALE_DAYS;
	d->limit = o ? o->limit : -1;
	if (o && !str_empty(o->since)) {
		d->since = xstrdup(o->since);
	} else {
		date_add_days(d->today, -DEFAULT_SINCE_DAYS, day);
		d->since = xstrdup(day);
	}
	enum status rc = gather_counts(s, f, d, REVIEW_GROUP, &d->reviews, &d->nreviews, err);
	if (rc == OK)
		rc = gather_counts(s, f, d, AGENCY_GROUP, &d->agencies, &d->nagencies, err);
	for (int k = 0; rc == OK && k < LIST_COUNT; k++)
		rc = gather_list(s, f, d, (enum report_list_kind)k, err);
	if (rc == OK)
		rc = gather_changes(s, f, d, err);
	if (rc != OK) {
		report_data_free(d);
		return rc;
	}
	counts_sum(&d->total, d->reviews, d->nreviews);
	*out = d;
	return OK;
}

void report_data_free(struct report_data *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nreviews; i++)
		free(d->reviews[i].name);
	free(d->reviews);
	for (size_t i = 0; i < d->nagencies; i++)
		free(d->agencies[i].name);
	free(d->agencies);
	for (int k = 0; k < LIST_COUNT; k++) {
		for (size_t i = 0; i < d->lists[k].n; i++)
			item_clear(&d->lists[k].items[i]);
		free(d->lists[k].items);
	}
	for (size_t i = 0; i < d->changes.n; i++) {
		struct report_changed *c = &d->changes.actions[i];
		item_clear(&c->action);
		for (size_t j = 0; j < c->nevents; j++)
			event_clear(&c->events[j]);
		free(c->events);
	}
	free(d->changes.actions);
	free(d->today);
	free(d->since);
	free(d);
}
