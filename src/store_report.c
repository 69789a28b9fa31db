/* store_report: the aggregate queries behind `ragtrack report`.
 *
 * Every query starts from the ids of the actions the filter matches (the one filter
 * model, through store_prepare_matching), so filters and the agency lens narrow
 * every figure alike.  A list is counted first (no joins, no texts), then only its
 * first opts.limit rows are read: memory does not grow with the database.  One copy for
 * both engines, through the statement layer: what their SQL does not share is a
 * dialect fragment (db_frag), and a condition summed or selected is DF_INT's. */
#include "store_int.h"
#include "store_db.h"
#include "ragtrack/report_data.h"
#include "ragtrack/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_STALE_DAYS 90
#define DEFAULT_SINCE_DAYS 30
#define DEFAULT_NEXT_DAYS 91     /* boards meet quarterly */

/* What qualifies an action for a list, and the list's order.  :today, :stale and
 * :next are bound by name; b is the action's row in the board compared with (NULL
 * when it was not there, and always with no board).  An order of "%s" is a slip in
 * days (DF_DAYS, list_order). */
static const struct {
	const char *where, *order;
} LIST_SQL[LIST_COUNT] = {
	[LIST_RED] = { "a.rag = 1", "a.target_date IS NULL, a.target_date, a.sort_key, a.id" },
	[LIST_OVERDUE] = { "a.target_date < :today AND a.rag <> 4", "a.target_date, a.sort_key, a.id" },
	[LIST_GREEN_PAST] = { "a.rag = 3 AND a.target_date < :today", "a.target_date, a.sort_key, a.id" },
	[LIST_NO_TARGET] = { "a.rag IN (1, 2) AND a.target_date IS NULL", "a.rag, a.sort_key, a.id" },
	[LIST_DUE_NEXT] = { "a.rag <> 4 AND a.target_date >= :today AND a.target_date < :next",
	                    "a.target_date, a.sort_key, a.id" },
	[LIST_NEW] = { "(b.action_id IS NULL OR b.withdrawn = 1) AND :board > 0", "a.sort_key, a.id" },
	[LIST_COMPLETED] = { "b.withdrawn = 0 AND b.rag <> 4 AND a.rag = 4", "a.sort_key, a.id" },
	[LIST_SLIPPED_BOARD] = { "b.withdrawn = 0 AND a.target_date > b.target_date",
	                         "%s DESC, a.sort_key, a.id" },
	[LIST_SLIPPED] = { "a.first_target_date IS NOT NULL AND a.target_date > a.first_target_date",
	                   "%s DESC, a.sort_key, a.id" },
	[LIST_NO_EVIDENCE] = { "a.rag = 4 AND trim(a.evidence) = ''", "a.sort_key, a.id" },
	[LIST_STALE] = { "a.rag <> 4 AND a.touched_at < :stale", "a.touched_at, a.sort_key, a.id" },
};

static const char SEL_BEFORE[] = "WITH sel(id) AS (";

/* The columns of a report_item, from the joins in ITEM_FROM: %1$s the unit separator
 * (DF_UNIT_SEP), %2$s "at the board" as an integer (DF_INT). */
static const char ITEM_COLS[] =
	"a.id, rv.name, coalesce(nullif(q.ref, ''), f.ref, ''), ag.name, a.lead, a.text, a.rag,"
	" a.target_date, a.target_raw, a.first_target_date, a.touched_at, a.constraints,"
	" (SELECT n.text || %1$s || n.at FROM note n WHERE n.action_id = a.id ORDER BY n.id DESC LIMIT 1),"
	" %2$s, b.rag, b.target_date";
static const char ITEM_FROM[] =
	" FROM action a JOIN review rv ON rv.id = a.review_id JOIN question q ON q.id = a.question_id"
	" LEFT JOIN finding f ON f.id = q.finding_id LEFT JOIN agency ag ON ag.id = a.agency_id"
	" LEFT JOIN board_action b ON b.board_id = :board AND b.action_id = a.id";

/* Dialect fragment f of s's engine with a and b in it.  Caller frees. */
static char *frag(struct store *s, enum db_frag f, const char *a, const char *b)
{
	return xasprintf(db_frag(store_db(s), f), a, b ? b : "");
}

/* The item columns for s's engine.  Caller frees. */
static char *item_cols(struct store *s)
{
	char *board = frag(s, DF_INT, "b.action_id IS NOT NULL AND b.withdrawn = 0", NULL);
	char *cols = xasprintf(ITEM_COLS, db_frag(store_db(s), DF_UNIT_SEP), board);
	free(board);
	return cols;
}

/* List k's order for s's engine.  Caller frees. */
static char *list_order(struct store *s, enum report_list_kind k)
{
	if (!strstr(LIST_SQL[k].order, "%s"))
		return xstrdup(LIST_SQL[k].order);
	char *days = frag(s, DF_DAYS, "a.target_date", k == LIST_SLIPPED ? "a.first_target_date" : "b.target_date");
	char *order = xasprintf(LIST_SQL[k].order, days);
	free(days);
	return order;
}

static enum rag rag_of(struct db_stmt *st, int col)
{
	int64_t r = db_col_int(st, col);
	return r >= 0 && r < RAG_COUNT ? (enum rag)r : RAG_UNSET;
}

static void item_read(struct db_stmt *st, int col, struct report_item *it)
{
	it->id = db_col_int(st, col);
	it->review = db_col_dup(st, col + 1);
	it->ref = db_col_dup(st, col + 2);
	it->agency = db_col_dup(st, col + 3);
	it->lead = db_col_dup(st, col + 4);
	it->text = db_col_dup(st, col + 5);
	it->rag = rag_of(st, col + 6);
	it->target_date = db_col_dup(st, col + 7);
	it->target_raw = db_col_dup(st, col + 8);
	it->first_target_date = db_col_dup(st, col + 9);
	it->touched_at = db_col_dup(st, col + 10);
	it->constraints = db_col_dup(st, col + 11);
	char *note = db_col_dup(st, col + 12);
	char *sep = note ? strrchr(note, '\x1f') : NULL;
	it->note_at = NULL;
	if (sep) {
		*sep = '\0';
		it->note_at = xstrdup(sep + 1);
	}
	it->note = note;
	it->at_board = (int)db_col_int(st, col + 13);
	it->board_rag = rag_of(st, col + 14);
	it->board_target = db_col_dup(st, col + 15);
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
	free(it->constraints);
	free(it->note);
	free(it->note_at);
	free(it->board_target);
	memset(it, 0, sizeof *it);
}

/* after with every " IN sel" made to.  Caller frees. */
static char *sel_as(const char *after, const char *to)
{
	static const char from[] = " IN sel";
	struct buf b = {0};
	for (const char *p = after, *hit; *p; p = hit + sizeof from - 1) {
		if (!(hit = strstr(p, from))) {
			buf_adds(&b, p);
			break;
		}
		buf_add(&b, p, (size_t)(hit - p));
		buf_adds(&b, to);
	}
	return buf_steal(&b);
}

/* Prepare a query over the matching actions ("... IN sel").  With no filter and no
 * lens every action matches, and the ids are not collected at all (" IS NOT NULL",
 * true of an id): SQLite would build a temporary index of every id for each of the
 * report's twenty queries (a third of the time at 100,000 actions).  PostgreSQL has
 * no "IN table": there it is IN a subquery of it. */
static enum status prepare(struct store *s, const struct filter *f, const struct report_data *d, const char *after,
                           struct db_stmt **st, struct err *err)
{
	struct filter plain = *f;      /* shallow: only read */
	plain.withdrawn = FILTER_WITHDRAWN_OUT;
	char *all = !filter_active(&plain) && !s->lens_agency ? sel_as(after, " IS NOT NULL")
	            : s->pg ? sel_as(after, " IN (SELECT sel.id FROM sel)") : NULL;
	char stale[11];
	date_add_days(d->today, -(long)d->stale_days, stale);
	const struct store_param params[] = {
		{ "today", d->today, 0, 0 }, { "since", d->since, 0, 0 }, { "stale", stale, 0, 0 },
		{ "next", d->next, 0, 0 }, { "board", NULL, d->board_id, 1 },
	};
	enum status rc = store_prepare_matching(s, f, SEL_BEFORE, all ? all : after, params,
	                                        (int)(sizeof params / sizeof *params), st, err);
	free(all);
	return rc;
}

/* Prepare sql, which reads no matching actions (no parameters). */
static enum status prepare_plain(struct store *s, const char *sql, struct db_stmt **st, struct err *err)
{
	store_plan_note(s, sql);
	if (db_prepare(store_db(s), sql, st, err) == OK)
		return OK;
	return store_db_fail(s, err, "preparing a query");
}

/* The end of a statement's rows: step is its last db_step.  On SQLite store_fail's
 * message says what was being done; on PostgreSQL the layer's is in err already. */
static enum status finish(struct store *s, struct db_stmt *st, enum db_step step, const char *doing, struct err *err)
{
	enum status rc = OK;
	if (step != DB_DONE)
		rc = store_db_fail(s, err, doing);
	db_finalize(st);
	return rc;
}

/* ---- RAG counts ------------------------------------------------------------------- */

/* Rows read in group order (column 0 the group's id, 1 its name) into a growing array
 * of structs whose first member is the name (report_counts, report_moves); the caller
 * takes arr and n when the rows end. */
struct group_rows {
	char *arr;
	size_t size, n, cap;
	int64_t last;
};

/* The struct for the row's group: a new one, zeroed and named, when the id changed. */
static void *group_slot(struct group_rows *g, struct db_stmt *st)
{
	int64_t key = db_col_int(st, 0);
	if (g->n == 0 || key != g->last) {
		if (g->n == g->cap) {
			g->cap = g->cap ? g->cap * 2 : 16;
			g->arr = xrealloc(g->arr, g->cap * g->size);
		}
		char *slot = g->arr + g->n * g->size;
		memset(slot, 0, g->size);
		char *name = db_col_dup(st, 1);
		memcpy(slot, &name, sizeof name);
		g->n++;
		g->last = key;
	}
	return g->arr + (g->n - 1) * g->size;
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

/* The first opts.limit actions of a list, in its order (SQLite keeps only those while
 * it sorts), and the list's total. */
static enum status gather_list(struct store *s, const struct filter *f, struct report_data *d,
                               enum report_list_kind k, struct err *err)
{
	struct report_list *l = &d->lists[k];
	if (!l->total)                /* counted in the one pass */
		return OK;
	enum status rc;
	char *cols = item_cols(s), *order = list_order(s, k), limit[24];
	const char *all = db_frag(store_db(s), DF_LIMIT_ALL);
	if (d->limit < 0 && *all)
		snprintf(limit, sizeof limit, "%s", all);
	else
		snprintf(limit, sizeof limit, "%ld", d->limit);
	char *after = xasprintf(") SELECT %s%s WHERE a.id IN sel AND a.withdrawn = 0 AND %s ORDER BY %s LIMIT %s", cols,
	                        ITEM_FROM, LIST_SQL[k].where, order, limit);
	free(cols);
	free(order);
	struct db_stmt *st;
	rc = prepare(s, f, d, after, &st, err);
	free(after);
	if (rc != OK)
		return rc;
	size_t cap = 0;
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW) {
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
	"), ev(action_id, at, \"user\", source, field, old_value, new_value, reason, ord) AS ("
	" SELECT action_id, at, \"user\", source, field, old_value, new_value, reason, id FROM change_log"
	"  WHERE at >= :since AND substr(at, 1, 10) <= :today AND action_id IN sel"
	" UNION ALL"
	" SELECT action_id, at, \"user\", source, NULL, NULL, text, NULL, id FROM note"
	"  WHERE at >= :since AND substr(at, 1, 10) <= :today AND action_id IN sel)"
	" SELECT ev.at, ev.\"user\", ev.source, ev.field, ev.old_value, ev.new_value, ev.reason, %s%s"
	" JOIN ev ON ev.action_id = a.id ORDER BY a.sort_key, a.id, ev.at, ev.field IS NULL, ev.ord";
#define EVENT_NCOLS 7

static void event_read(struct db_stmt *st, struct report_event *e)
{
	e->at = db_col_dup(st, 0);
	e->user = db_col_dup(st, 1);
	e->source = db_col_dup(st, 2);
	e->field = db_col_dup(st, 3);
	e->old_value = db_col_dup(st, 4);
	e->new_value = db_col_dup(st, 5);
	e->reason = db_col_dup(st, 6);
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

static void changed_add_event(struct report_changed *c, struct db_stmt *st)
{
	c->events = xrealloc(c->events, (c->nevents + 1) * sizeof *c->events);
	event_read(st, &c->events[c->nevents++]);
}

static enum status gather_changes(struct store *s, const struct filter *f, struct report_data *d, struct err *err)
{
	char *cols = item_cols(s);
	char *after = xasprintf(CHANGES_SQL, cols, ITEM_FROM);
	free(cols);
	struct db_stmt *st;
	enum status rc = prepare(s, f, d, after, &st, err);
	free(after);
	if (rc != OK)
		return rc;
	struct report_changes *ch = &d->changes;
	size_t cap = 0;
	int64_t last = 0;
	int keep = 0;
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW) {
		int64_t id = db_col_int(st, EVENT_NCOLS);
		if (db_col_null(st, 3))
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

/* ---- since the board ------------------------------------------------------------- */

/* One row per group, state then (-1: not at the board), state now, withdrawn now and
 * then: how many actions, and how many of them have a later target than then (%2$s,
 * DF_INT's). */
static const char MOVES_SQL[] =
	") SELECT %1$s, coalesce(b.rag, -1), a.rag, a.withdrawn, coalesce(b.withdrawn, 1), count(*),"
	" sum(%2$s)%3$s";

static void moves_add(struct report_moves *m, struct db_stmt *st)
{
	int then = (int)db_col_int(st, 2), now = (int)db_col_int(st, 3);
	int gone = (int)db_col_int(st, 4), was_gone = (int)db_col_int(st, 5);
	long n = (long)db_col_int(st, 6);
	if (now < 0 || now >= RAG_COUNT)
		now = RAG_UNSET;
	if (gone) {
		if (!was_gone && then >= 0)
			m->withdrawn += n;
		return;
	}
	if (then < 0 || was_gone) {
		m->added += n;
		return;
	}
	if (then >= RAG_COUNT)
		then = RAG_UNSET;
	m->move[then][now] += n;
	m->slipped += (long)db_col_int(st, 7);
	if (now == RAG_BLUE && then != RAG_BLUE)
		m->completed += n;
}

static enum status gather_moves(struct store *s, const struct filter *f, struct report_data *d,
                                const char *const group[2], struct report_moves **out, size_t *n, struct err *err)
{
	char *later = frag(s, DF_INT, "a.target_date > b.target_date", NULL);
	char *order = frag(s, DF_NOCASE_ORDER, "ag.name", NULL);
	char *tail = xasprintf(group[1], order);      /* the agencies' order, when it has one */
	char *after = xasprintf(MOVES_SQL, group[0], later, tail);
	free(later);
	free(order);
	free(tail);
	struct db_stmt *st;
	enum status rc = prepare(s, f, d, after, &st, err);
	free(after);
	if (rc != OK)
		return rc;
	struct group_rows g = { NULL, sizeof **out, 0, 0, 0 };
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW)
		moves_add(group_slot(&g, st), st);
	*out = (struct report_moves *)(void *)g.arr;
	*n = g.n;
	return finish(s, st, step, "comparing with the board", err);
}

static void moves_sum(struct report_moves *total, const struct report_moves *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (int a = 0; a < RAG_COUNT; a++)
			for (int b = 0; b < RAG_COUNT; b++)
				total->move[a][b] += rows[i].move[a][b];
		total->added += rows[i].added;
		total->completed += rows[i].completed;
		total->slipped += rows[i].slipped;
		total->withdrawn += rows[i].withdrawn;
	}
}

/* The board's counts then, of the actions matching the filter now. */
static enum status gather_board_total(struct store *s, const struct filter *f, struct report_data *d, struct err *err)
{
	struct db_stmt *st;
	enum status rc = prepare(s, f, d, ") SELECT b.rag, count(*) FROM board_action b"
	                                  " WHERE b.board_id = :board AND b.withdrawn = 0 AND b.action_id IN sel"
	                                  " GROUP BY b.rag", &st, err);
	if (rc != OK)
		return rc;
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW) {
		long n = (long)db_col_int(st, 1);
		d->board_total.rag[rag_of(st, 0)] += n;
		d->board_total.total += n;
	}
	return finish(s, st, step, "counting the board's actions", err);
}

/* ---- per question, silent agencies, withdrawn, as at ------------------------------- */

/* A text column holds more than blanks; trim (a copy) only when it starts with one. */
#define SAID(col) "(" col " <> '' AND (substr(" col ", 1, 1) <> ' ' OR trim(" col ") <> ''))"

/* The later of two days, or NULL when neither is one. */
static const char *day_later(const char *a, const char *b)
{
	a = str_empty(a) ? NULL : a;
	b = str_empty(b) ? NULL : b;
	return !a ? b : !b ? a : strcmp(a, b) >= 0 ? a : b;
}

/* How many matching actions are withdrawn, and the latest day anything was changed,
 * noted or imported (capped at today: a report as at a past day is reproducible).  The
 * latest day is the aggregate max of each column, the later of the two taken here, not
 * in SQL: SQLite's two-argument max and min are scalar functions that return NULL for
 * a NULL, PostgreSQL's greatest and least skip it. */
static enum status gather_totals(struct store *s, const struct filter *f, struct report_data *d, struct err *err)
{
	struct db_stmt *st;
	enum status rc = prepare(s, f, d, ") SELECT coalesce(sum(a.withdrawn), 0), max(substr(a.touched_at, 1, 10)),"
	                                  " max(substr(a.updated_at, 1, 10)) FROM action a WHERE a.id IN sel", &st, err);
	if (rc != OK)
		return rc;
	enum db_step step = db_step(st, err);
	if (step == DB_ROW) {
		d->withdrawn = (long)db_col_int(st, 0);
		const char *day = day_later(db_col_text(st, 1), db_col_text(st, 2));
		if (day)
			d->as_at = xstrdup(strcmp(day, d->today) <= 0 ? day : d->today);
		step = db_step(st, err);
	}
	return finish(s, st, step, "counting withdrawn actions", err);
}

/* The board to compare with, by name or the last one held by the meeting. */
static enum status find_board(struct store *s, const struct report_opts *o, struct report_data *d, struct err *err)
{
	if (o && o->no_board)
		return OK;
	struct board_info b;
	enum status rc = store_board_get(s, o ? o->board : NULL, d->meeting, &b, err);
	if (rc == ERR_NOT_FOUND && !(o && o->board)) {
		err_clear(err);
		return OK;
	}
	if (rc != OK)
		return rc;
	d->has_board = 1;
	d->board_id = b.id;
	d->board_name = b.name;
	d->board_date = b.held_on;
	b.name = b.held_on = NULL;
	board_info_clear(&b);
	return OK;
}

/* ---- the one pass over the actions ----------------------------------------------- */

/* Every figure that counts actions comes from one read of the matching actions, grouped
 * by question and agency in the order of action_identity (no sort): the RAG counts by
 * review and by agency, each list's total, the progress per question and the agencies
 * that said nothing.  The groups are summed up here as they come. */
#define PASS_COLS 6      /* question, agency, review, said, overdue, then the RAG counts */
/* The pass's conditions: max of the first (anything said), sums of the others, then a
 * sum of each list's (pass_sql).  %s: DF_IFNULL, which must be action_identity's. */
static const char PASS_SAID[] =
	"a.rag <> 0 OR " SAID("a.text") " OR " SAID("a.evidence")
	"  OR EXISTS (SELECT 1 FROM response r WHERE r.id = a.response_id AND " SAID("r.text") ")";
static const char *const PASS_SUMS[] = {
	"a.target_date < :today AND a.rag <> 4", "a.rag = 0", "a.rag = 1", "a.rag = 2", "a.rag = 3", "a.rag = 4",
};
static const char PASS_FROM[] =
	" FROM action a LEFT JOIN board_action b ON b.board_id = :board AND b.action_id = a.id"
	" WHERE a.id IN sel AND a.withdrawn = 0 GROUP BY a.question_id, %s(a.agency_id, 0)";

/* A group's figures by id (a review, an agency, a question), in the order first seen. */
struct tally {
	int64_t id;
	long rag[RAG_COUNT], overdue;
	long groups, silent;       /* agencies: questions answered, and those with nothing said */
};
struct tallies {
	struct tally *t;
	size_t n, cap;
	int64_t *slot;             /* open addressing over t: index + 1, 0 empty */
	size_t nslot;
};

static struct tally *tally_of(struct tallies *ts, int64_t id)
{
	if (2 * (ts->n + 1) > ts->nslot) {
		size_t nslot = ts->nslot ? ts->nslot * 2 : 64;
		int64_t *slot = xcalloc(nslot, sizeof *slot);
		for (size_t i = 0; i < ts->n; i++) {
			size_t h = (size_t)ts->t[i].id * 2654435761u % nslot;
			while (slot[h])
				h = (h + 1) % nslot;
			slot[h] = (int64_t)i + 1;
		}
		free(ts->slot);
		ts->slot = slot;
		ts->nslot = nslot;
	}
	size_t h = (size_t)id * 2654435761u % ts->nslot;
	for (; ts->slot[h]; h = (h + 1) % ts->nslot)
		if (ts->t[ts->slot[h] - 1].id == id)
			return &ts->t[ts->slot[h] - 1];
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 64;
		ts->t = xrealloc(ts->t, ts->cap * sizeof *ts->t);
	}
	struct tally *t = &ts->t[ts->n];
	memset(t, 0, sizeof *t);
	t->id = id;
	ts->slot[h] = (int64_t)++ts->n;
	return t;
}

static const struct tally *tally_find(const struct tallies *ts, int64_t id)
{
	if (!ts->nslot)
		return NULL;
	for (size_t h = (size_t)id * 2654435761u % ts->nslot; ts->slot[h]; h = (h + 1) % ts->nslot)
		if (ts->t[ts->slot[h] - 1].id == id)
			return &ts->t[ts->slot[h] - 1];
	return NULL;
}

static void tallies_free(struct tallies *ts)
{
	free(ts->t);
	free(ts->slot);
	memset(ts, 0, sizeof *ts);
}

/* The pass's sums: by review, agency and question, and each list's total. */
struct pass {
	struct tallies reviews, agencies, questions;
};

static void pass_add(struct pass *p, struct report_data *d, struct db_stmt *st)
{
	int64_t q = db_col_int(st, 0), agency = db_col_int(st, 1);
	long rag[RAG_COUNT], overdue = (long)db_col_int(st, 4);
	for (int r = 0; r < RAG_COUNT; r++)
		rag[r] = (long)db_col_int(st, PASS_COLS - 1 + r);
	struct tally *t[3] = { tally_of(&p->reviews, db_col_int(st, 2)), tally_of(&p->agencies, agency),
	                       tally_of(&p->questions, q) };
	for (int i = 0; i < 3; i++) {
		for (int r = 0; r < RAG_COUNT; r++)
			t[i]->rag[r] += rag[r];
		t[i]->overdue += overdue;
	}
	if (agency) {
		t[1]->groups++;
		t[1]->silent += !db_col_int(st, 3);
	}
	for (int k = 0; k < LIST_COUNT; k++)
		d->lists[k].total += (long)db_col_int(st, PASS_COLS - 1 + RAG_COUNT + k);
}

/* ", " then fn(DF_INT of cond) to b. */
static void add_int_of(struct store *s, struct buf *b, const char *fn, const char *cond)
{
	char *v = frag(s, DF_INT, cond, NULL);
	buf_printf(b, ", %s(%s)", fn, v);
	free(v);
}

/* The pass's query after the matching ids, for s's engine.  Caller frees. */
static char *pass_sql(struct store *s)
{
	const char *ifnull = db_frag(store_db(s), DF_IFNULL);
	struct buf b = {0};
	buf_printf(&b, ") SELECT a.question_id, %s(a.agency_id, 0), min(a.review_id)", ifnull);
	add_int_of(s, &b, "max", PASS_SAID);
	for (size_t i = 0; i < sizeof PASS_SUMS / sizeof *PASS_SUMS; i++)
		add_int_of(s, &b, "sum", PASS_SUMS[i]);
	for (int k = 0; k < LIST_COUNT; k++)
		add_int_of(s, &b, "sum", LIST_SQL[k].where);
	buf_printf(&b, PASS_FROM, ifnull);
	return buf_steal(&b);
}

static enum status pass_read(struct store *s, const struct filter *f, struct report_data *d, struct pass *p,
                             struct err *err)
{
	char *after = pass_sql(s);
	struct db_stmt *st;
	enum status rc = prepare(s, f, d, after, &st, err);
	free(after);
	if (rc != OK)
		return rc;
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW)
		pass_add(p, d, st);
	return finish(s, st, step, "counting actions", err);
}

static void counts_from(struct report_counts *c, const struct tally *t, char *name)
{
	memset(c, 0, sizeof *c);
	c->name = name;
	for (int r = 0; r < RAG_COUNT; r++) {
		c->rag[r] = t->rag[r];
		c->total += t->rag[r];
	}
	c->overdue = t->overdue;
}

/* Look up *ts's groups in the order of sql (rows: id, name, and those with no matching
 * action left out), as report_counts.  Caller frees *out and its names. */
static enum status counts_named(struct store *s, const struct tallies *ts, const char *sql, int with_none,
                                struct report_counts **out, size_t *n, struct err *err)
{
	struct db_stmt *st;
	*out = xcalloc(ts->n + 1, sizeof **out);
	*n = 0;
	enum status rc = prepare_plain(s, sql, &st, err);
	if (rc != OK)
		return rc;
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW) {
		const struct tally *t = tally_find(ts, db_col_int(st, 0));
		if (t)
			counts_from(&(*out)[(*n)++], t, db_col_dup(st, 1));
	}
	const struct tally *none = with_none ? tally_find(ts, 0) : NULL;
	if (none)
		counts_from(&(*out)[(*n)++], none, NULL);
	return finish(s, st, step, "counting actions", err);
}

/* Progress per question, in the order of the plans (review, then question). */
static enum status questions_named(struct store *s, const struct tallies *ts, struct report_data *d,
                                   struct err *err)
{
	static const char sql[] =
		"SELECT q.id, rv.name, coalesce(nullif(q.ref, ''), f.ref, ''),"
		" coalesce(nullif(q.text, ''), nullif(f.title, ''), f.key, '')"
		" FROM question q JOIN review rv ON rv.id = q.review_id LEFT JOIN finding f ON f.id = q.finding_id"
		" ORDER BY rv.name, rv.id, q.sort_key, q.id";
	struct db_stmt *st;
	enum status rc = prepare_plain(s, sql, &st, err);
	if (rc != OK)
		return rc;
	d->questions = xcalloc(ts->n + 1, sizeof *d->questions);
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW) {
		const struct tally *t = tally_find(ts, db_col_int(st, 0));
		if (!t)
			continue;
		struct report_question *q = &d->questions[d->nquestions++];
		q->review = db_col_dup(st, 1);
		q->ref = db_col_dup(st, 2);
		q->text = db_col_dup(st, 3);
		q->worst = RAG_UNSET;
		for (int r = 0; r < RAG_COUNT; r++) {
			q->actions += t->rag[r];
			if (r != RAG_UNSET && t->rag[r] && q->worst == RAG_UNSET)
				q->worst = (enum rag)r;
		}
		q->blue = t->rag[RAG_BLUE];
		q->rated = q->actions - t->rag[RAG_UNSET];
		q->overdue = t->overdue;
	}
	return finish(s, st, step, "counting per question", err);
}

/* Agencies with questions where they recorded nothing (no response, action, evidence
 * or RAG status on any of their rows for it): most such questions first, then by name. */
static enum status silent_named(struct store *s, const struct tallies *ts, struct report_data *d, struct err *err)
{
	char *order = frag(s, DF_NOCASE_ORDER, "name", NULL);
	char *sql = xasprintf("SELECT id, name FROM agency ORDER BY %s", order);
	free(order);
	struct db_stmt *st;
	enum status rc = prepare_plain(s, sql, &st, err);
	free(sql);
	if (rc != OK)
		return rc;
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW) {
		const struct tally *t = tally_find(ts, db_col_int(st, 0));
		if (!t || !t->silent)
			continue;
		d->silent = xrealloc(d->silent, (d->nsilent + 1) * sizeof *d->silent);
		size_t i = d->nsilent++;      /* insertion: stable, so names stay in order within a count */
		while (i > 0 && d->silent[i - 1].unanswered < t->silent) {
			d->silent[i] = d->silent[i - 1];
			i--;
		}
		d->silent[i] = (struct report_silent){ db_col_dup(st, 1), t->groups, t->silent };
	}
	return finish(s, st, step, "finding agencies that gave no response", err);
}

static enum status gather_pass(struct store *s, const struct filter *f, struct report_data *d, struct err *err)
{
	struct pass p = {0};
	enum status rc = pass_read(s, f, d, &p, err);
	if (rc == OK)
		rc = counts_named(s, &p.reviews, "SELECT id, name FROM review ORDER BY name, id", 0, &d->reviews,
		                  &d->nreviews, err);
	if (rc == OK) {
		char *order = frag(s, DF_NOCASE_ORDER, "name", NULL);
		char *sql = xasprintf("SELECT id, name FROM agency ORDER BY %s, id", order);
		rc = counts_named(s, &p.agencies, sql, 1, &d->agencies, &d->nagencies, err);
		free(sql);
		free(order);
	}
	if (rc == OK)
		rc = questions_named(s, &p.questions, d, err);
	if (rc == OK)
		rc = silent_named(s, &p.agencies, d, err);
	tallies_free(&p.reviews);
	tallies_free(&p.agencies);
	tallies_free(&p.questions);
	return rc;
}

/* ---- the whole report ------------------------------------------------------------- */

static const char *const REVIEW_MOVES[2] = {
	"rv.id, rv.name",
	" FROM action a JOIN review rv ON rv.id = a.review_id"
	" LEFT JOIN board_action b ON b.board_id = :board AND b.action_id = a.id WHERE a.id IN sel"
	" GROUP BY rv.id, 3, 4, 5, 6 ORDER BY rv.name, rv.id",
};
static const char *const AGENCY_MOVES[2] = {
	"coalesce(ag.id, 0), ag.name",
	" FROM action a LEFT JOIN agency ag ON ag.id = a.agency_id"
	" LEFT JOIN board_action b ON b.board_id = :board AND b.action_id = a.id WHERE a.id IN sel"
	" GROUP BY ag.id, 3, 4, 5, 6 ORDER BY ag.name IS NULL, %s, ag.id",
};

static void report_dates(struct report_data *d, const struct report_opts *o)
{
	char day[11];
	d->today = xstrdup(util_today());
	d->meeting = xstrdup(o && !str_empty(o->meeting) ? o->meeting : d->today);
	if (o && !str_empty(o->next)) {
		d->next = xstrdup(o->next);
	} else {
		date_add_days(d->meeting, DEFAULT_NEXT_DAYS, day);
		d->next = xstrdup(day);
	}
	d->stale_days = o && o->stale_days >= 0 ? o->stale_days : DEFAULT_STALE_DAYS;
	d->limit = o ? o->limit : -1;
}

static void report_since(struct report_data *d, const struct report_opts *o)
{
	char day[11];
	if (o && !str_empty(o->since)) {
		d->since = xstrdup(o->since);
	} else if (d->has_board) {
		d->since = xstrdup(d->board_date);
	} else {
		date_add_days(d->today, -DEFAULT_SINCE_DAYS, day);
		d->since = xstrdup(day);
	}
}

static enum status gather_board(struct store *s, const struct filter *f, struct report_data *d, struct err *err)
{
	if (!d->has_board)
		return OK;
	enum status rc = gather_board_total(s, f, d, err);
	if (rc == OK)
		rc = gather_moves(s, f, d, REVIEW_MOVES, &d->review_moves, &d->nreview_moves, err);
	if (rc == OK)
		rc = gather_moves(s, f, d, AGENCY_MOVES, &d->agency_moves, &d->nagency_moves, err);
	if (rc == OK)
		moves_sum(&d->moves, d->review_moves, d->nreview_moves);
	return rc;
}

enum status store_report_gather(struct store *s, const struct filter *f, const struct report_opts *o,
                                struct report_data **out, struct err *err)
{
	/* Withdrawn actions are matched too: the paper counts them, and those withdrawn
	 * since the board, and leaves them out of everything else itself. */
	struct filter with = *f;       /* shallow: only read */
	with.withdrawn = FILTER_WITHDRAWN_TOO;
	f = &with;
	/* On PostgreSQL every figure from one snapshot, as a file's readers see one
	 * state between writers' commits. */
	if (s->pg && db_exec(s->pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err) != OK)
		return err && err->code != OK ? err->code : ERR_DB;
	struct report_data *d = xcalloc(1, sizeof *d);
	report_dates(d, o);
	d->partnership = store_partnership(s);
	enum status rc = find_board(s, o, d, err);
	report_since(d, o);
	if (rc == OK)
		rc = gather_pass(s, f, d, err);
	for (int k = 0; rc == OK && k < LIST_COUNT; k++)
		rc = gather_list(s, f, d, (enum report_list_kind)k, err);
	if (rc == OK)
		rc = gather_changes(s, f, d, err);
	if (rc == OK)
		rc = gather_board(s, f, d, err);
	if (rc == OK)
		rc = gather_totals(s, f, d, err);
	if (s->pg)
		db_exec(s->pg, rc == OK ? "COMMIT" : "ROLLBACK", NULL);
	if (rc != OK) {
		report_data_free(d);
		return rc;
	}
	counts_sum(&d->total, d->reviews, d->nreviews);
	*out = d;
	return OK;
}

static void moves_free(struct report_moves *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(m[i].name);
	free(m);
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
	moves_free(d->review_moves, d->nreview_moves);
	moves_free(d->agency_moves, d->nagency_moves);
	for (size_t i = 0; i < d->nquestions; i++) {
		free(d->questions[i].review);
		free(d->questions[i].ref);
		free(d->questions[i].text);
	}
	free(d->questions);
	for (size_t i = 0; i < d->nsilent; i++)
		free(d->silent[i].agency);
	free(d->silent);
	free(d->today);
	free(d->since);
	free(d->meeting);
	free(d->next);
	free(d->as_at);
	free(d->partnership);
	free(d->board_name);
	free(d->board_date);
	free(d);
}
