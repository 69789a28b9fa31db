/* store_query: the filter model turned into SQL, and reading actions in windows.
 *
 * Every condition is a bound parameter.  The default order is the indexed sort_key
 * column, so a window of rows is read through an index rather than by sorting the
 * whole table. */
#include "store_int.h"
#include "store_db.h"
#include "ragtrack/util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct query {
	struct buf sql;
	struct { int is_int; int64_t i; char *s; } *bind;   /* grows: filters can bind any number */
	int nbind, cap;
	int ranked;               /* a search's list in rank order (SQLite: joined to the FTS5 match) */
	int where;                /* a WHERE clause has begun */
	int keyset;               /* a sorted window: the RAG and agency conditions must not pick the index */
	int agency_first;         /* ... walking agencies by name (FROM_AGENCY_FIRST) */
	int unranked;             /* a search wanted for its matches only (counts): on PostgreSQL a
	                           * condition on the row's vector, no rank computed */
};

static void action_copy(struct action *dst, const struct action *src);
static enum status summary_counts(struct store *s, const struct filter *f, long counts[RAG_COUNT], struct err *err);
static enum status count_matching(struct store *s, const struct filter *f, long *n, struct err *err);

static void q_free(struct query *q)
{
	buf_free(&q->sql);
	for (int i = 0; i < q->nbind; i++)
		free(q->bind[i].s);
	free(q->bind);
	q->bind = NULL;
	q->nbind = q->cap = 0;
}

/* A new parameter's slot, zeroed, its placeholder not yet written. */
static int q_slot_bare(struct query *q)
{
	if (q->nbind == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 16;
		q->bind = xrealloc(q->bind, (size_t)q->cap * sizeof *q->bind);
	}
	memset(&q->bind[q->nbind], 0, sizeof *q->bind);
	return q->nbind++;
}

/* A new placeholder's slot, zeroed. */
static int q_slot(struct query *q)
{
	buf_adds(&q->sql, "?");
	return q_slot_bare(q);
}

static void q_text(struct query *q, const char *v)
{
	int i = q_slot(q);        /* before indexing: q_slot may move the array */
	q->bind[i].s = xstrdup(v ? v : "");
}

static void q_int(struct query *q, int64_t v)
{
	int i = q_slot(q);
	q->bind[i].is_int = 1;
	q->bind[i].i = v;
}

/* A dialect fragment (db_frag: %1$s, %2$s) about column col and value v, bound as
 * the fragment's one placeholder. */
static void q_frag_text(struct store *s, struct query *q, enum db_frag frag, const char *col, const char *v)
{
	buf_printf(&q->sql, db_frag(store_db(s), frag), col, "?");
	int i = q_slot_bare(q);   /* before indexing: it may move the array */
	q->bind[i].s = xstrdup(v ? v : "");
}

/* LIMIT's count: limit < 0 for none. */
static void q_limit(struct store *s, struct query *q, long limit)
{
	const char *all = db_frag(store_db(s), DF_LIMIT_ALL);
	if (limit < 0 && *all)
		buf_adds(&q->sql, all);
	else
		q_int(q, limit < 0 ? -1 : limit);
}

static void q_bind_db(const struct query *q, struct db_stmt *st)
{
	for (int i = 0; i < q->nbind; i++) {
		if (q->bind[i].is_int)
			db_bind_int(st, i + 1, q->bind[i].i);
		else
			db_bind_text(st, i + 1, q->bind[i].s);
	}
}

static void q_bind(const struct query *q, sqlite3_stmt *st)
{
	for (int i = 0; i < q->nbind; i++) {
		if (q->bind[i].is_int)
			sqlite3_bind_int64(st, i + 1, q->bind[i].i);
		else
			sqlite3_bind_text(st, i + 1, q->bind[i].s, -1, SQLITE_TRANSIENT);
	}
}

/* A search's size is bounded, so its work is: at most this many different words (a
 * word repeated counts once) and this many bytes.  store_filter_check refuses more,
 * saying so; fts_phrase never builds more. */
#define SEARCH_MAX_WORDS 32
#define SEARCH_MAX_BYTES 8000

/* The next word of a search at *p (advanced past it): its start, length in *n; NULL at the end. */
static const char *search_word(const char **p, size_t *n)
{
	const char *q = *p;
	while (*q == ' ' || *q == '\t' || *q == '\n')
		q++;
	if (!*q)
		return NULL;
	const char *start = q;
	while (*q && *q != ' ' && *q != '\t' && *q != '\n')
		q++;
	*n = (size_t)(q - start);
	*p = q;
	return start;
}

/* Did a word equal to w (ASCII case ignored) come earlier in words, before w? */
static int search_word_repeated(const char *words, const char *w, size_t n)
{
	const char *p = words, *v;
	size_t m;
	while ((v = search_word(&p, &m)) != NULL && v < w)
		if (m == n && strncasecmp(v, w, n) == 0)
			return 1;
	return 0;
}

/* How many different words the search has. */
static size_t search_word_count(const char *words)
{
	const char *p = words, *w;
	size_t n, count = 0;
	while ((w = search_word(&p, &n)) != NULL)
		count += !search_word_repeated(words, w, n);
	return count;
}

/* The different words of a search, at most SEARCH_MAX_WORDS from its first
 * SEARCH_MAX_BYTES (bounded work, checked or not), each without its trailing stars. */
struct search_words {
	char *words;
	const char *p;
	size_t count;
};

static void search_words_init(struct search_words *it, const char *all)
{
	it->words = xstrndup(all, strnlen(all, SEARCH_MAX_BYTES));
	it->p = it->words;
	it->count = 0;
}

/* The next word, from *start to *end; *prefix when it ended in a star.  0 at the end. */
static int search_words_next(struct search_words *it, const char **start, const char **end, int *prefix)
{
	const char *w;
	size_t n;
	while (it->count < SEARCH_MAX_WORDS && (w = search_word(&it->p, &n)) != NULL) {
		const char *e = w + n;
		while (e > w && e[-1] == '*')
			e--;
		if (e == w || search_word_repeated(it->words, w, n))
			continue;
		it->count++;
		*start = w;
		*end = e;
		*prefix = e < it->p;
		return 1;
	}
	return 0;
}

/* FTS5 query from what a user typed: every different word (up to SEARCH_MAX_WORDS)
 * becomes a quoted string, so quotes, NEAR, AND, column filters and the like in user
 * text are searched for, never interpreted.  The one operator kept: a word ending in *
 * is a prefix ("miss*" finds missing and missed), written as FTS5's "miss" * outside
 * the quotes; a word of stars alone adds nothing.  The tokenizer stems the words
 * (porter), so "safeguard" finds "safeguarding" too. */
static char *fts_phrase(const char *all)
{
	struct buf b = {0};
	struct search_words it;
	const char *start, *end;
	int prefix;
	search_words_init(&it, all);
	while (search_words_next(&it, &start, &end, &prefix)) {
		buf_adds(&b, b.len ? " \"" : "\"");
		for (const char *c = start; c < end; c++) {
			if (*c == '"')
				buf_addc(&b, '"');
			buf_addc(&b, *c);
		}
		buf_adds(&b, prefix ? "\" *" : "\"");
	}
	free(it.words);
	return b.s ? buf_steal(&b) : xstrdup("\"\"");
}

/* The search as a PostgreSQL tsquery over action.search: each different word (up to
 * SEARCH_MAX_WORDS, as fts_phrase) a phraseto_tsquery of the stemming configuration,
 * over the word folded as the vector's text is (rt_fold), ANDed, so a word's
 * punctuation splits it into a phrase as FTS5's tokenizer does.  A word ending in * is
 * a prefix (to_tsquery's :*). */
static void pg_tsquery(struct query *q, const char *all)
{
	struct search_words it;
	const char *start, *end;
	int prefix;
	search_words_init(&it, all);
	buf_adds(&q->sql, "(");
	while (search_words_next(&it, &start, &end, &prefix)) {
		buf_adds(&q->sql, it.count > 1 ? " && " : "");
		char *word = xstrndup(start, (size_t)(end - start));
		buf_adds(&q->sql, prefix ? "to_tsquery('ragtrack.rt_search', quote_literal(rt_fold("
		                         : "phraseto_tsquery('ragtrack.rt_search', rt_fold(");
		q_text(q, word);
		buf_adds(&q->sql, prefix ? ")) || ':*')" : "))");
		free(word);
	}
	buf_adds(&q->sql, it.count ? ")" : "''::tsquery)");
	free(it.words);
}

/* The condition that an action (its columns prefixed by col) matches the words, on a
 * server.  Under row-level security (a lead's login) through rt_search_ids, which reads
 * the GIN index with the lens applied: the policy goes before a non-leakproof @@, which
 * would otherwise be tested on every row the login sees (schema_pg.sql, revision 10). */
static void pg_matches(struct store *s, struct query *q, const char *col, const char *words)
{
	buf_printf(&q->sql, s->restricted ? "%sid IN (SELECT rt_search_ids(" : "%ssearch @@ ", col);
	pg_tsquery(q, words);
	buf_adds(&q->sql, s->restricted ? "))" : "");
}

enum status store_search_check(const char *words, struct err *err)
{
	if (str_empty(words))
		return OK;
	size_t len = strlen(words), count;
	if (len > SEARCH_MAX_BYTES)
		return err_set(err, ERR_INVALID, "search: %zu bytes of words; at most %d are searched for at once",
		               len, SEARCH_MAX_BYTES);
	if ((count = search_word_count(words)) > SEARCH_MAX_WORDS)
		return err_set(err, ERR_INVALID, "search: %zu different words; at most %d are searched for at once "
		               "(a repeated word counts once)", count, SEARCH_MAX_WORDS);
	return OK;
}

#define FROM_BRIEF \
	" FROM action a JOIN review rv ON rv.id = a.review_id JOIN question q ON q.id = a.question_id" \
	" LEFT JOIN finding f ON f.id = q.finding_id LEFT JOIN agency ag ON ag.id = a.agency_id"
static const char FROM[] = FROM_BRIEF " JOIN response rs ON rs.id = a.response_id";
/* The agency sort's keyset reads agencies by name, each one's actions in order (CROSS
 * JOIN: SQLite keeps the tables in this order; %s is DF_CROSS_JOIN); actions with no
 * agency are read apart. */
#define FROM_AGENCY_FIRST_BRIEF \
	" FROM agency ag %s action a ON a.agency_id = ag.id JOIN review rv ON rv.id = a.review_id" \
	" JOIN question q ON q.id = a.question_id LEFT JOIN finding f ON f.id = q.finding_id"
static const char FROM_AGENCY_FIRST[] = FROM_AGENCY_FIRST_BRIEF " JOIN response rs ON rs.id = a.response_id";

/* One more condition: " WHERE " for the first, " AND " after it. */
static void q_also(struct query *q)
{
	buf_adds(&q->sql, q->where ? " AND " : " WHERE ");
	q->where = 1;
}

/* In a keyset window SQLite is kept off the RAG and agency indexes by a unary plus (it
 * would take them over the sort's); PostgreSQL's planner weighs both by their costs, and
 * there the plus would hide the index, and (int8up not being leakproof) put the condition
 * after row-level security's policy: a lead's sort by agency at 1M, 0.1-5 s. */
static const char *q_plus(struct store *s, const struct query *q)
{
	return q->keyset && db_engine(store_db(s)) != DB_PG ? "+" : "";
}

static void where_rag(struct store *s, struct query *q, unsigned mask)
{
	if (!mask)
		return;
	q_also(q);
	buf_printf(&q->sql, "%sa.rag IN (", q_plus(s, q));
	int n = 0;
	for (int r = 0; r < RAG_COUNT; r++)
		if (mask & RAG_BIT(r)) {
			buf_adds(&q->sql, n++ ? ", " : "");
			q_int(q, r);
		}
	buf_adds(&q->sql, ")");
}

static void where_agencies(struct store *s, struct query *q, const struct filter *f)
{
	if (s->lens_agency) {
		q_also(q);
		buf_printf(&q->sql, "%sa.agency_id = ", q_plus(s, q));
		q_int(q, s->lens_agency);
	}
	if (!f->nagencies)
		return;
	q_also(q);
	buf_printf(&q->sql, "%sa.agency_id IN (", q_plus(s, q));
	for (size_t i = 0; i < f->nagencies; i++) {
		buf_adds(&q->sql, i ? ", " : "");
		int64_t id = store_agency_find(s, f->agencies[i]);
		q_int(q, id ? id : -1);
	}
	buf_adds(&q->sql, ")");
}

static void where_dates(struct store *s, struct query *q, const struct filter *f)
{
	const char *today = util_today();
	char day[11];
	if (f->overdue) {
		q_also(q);
		buf_adds(&q->sql, "a.target_date < ");
		q_text(q, today);
		buf_adds(&q->sql, " AND a.rag <> 4");
	}
	if (f->due_within >= 0) {
		date_add_days(today, f->due_within, day);
		q_also(q);
		buf_adds(&q->sql, "a.target_date BETWEEN ");
		q_text(q, today);
		buf_adds(&q->sql, " AND ");
		q_text(q, day);
		buf_adds(&q->sql, " AND a.rag <> 4");
	}
	if (f->stale >= 0) {
		date_add_days(today, -f->stale, day);
		q_also(q);
		buf_adds(&q->sql, "a.touched_at < ");
		q_text(q, day);
		buf_adds(&q->sql, " AND a.rag <> 4");
	}
	if (!str_empty(f->changed_since)) {
		q_also(q);
		/* a few rows as a rule: said so, SQLite seeks them through action_by_updated and
		 * sorts them, rather than reading every row in the list's order to find them */
		buf_adds(&q->sql, db_frag(store_db(s), DF_FEW_OPEN));
		buf_adds(&q->sql, "a.updated_at >= ");
		q_text(q, f->changed_since);
		buf_adds(&q->sql, db_frag(store_db(s), DF_FEW_CLOSE));
	}
}

static void where_names(struct store *s, struct query *q, const struct filter *f)
{
	if (!str_empty(f->review)) {
		q_also(q);
		buf_adds(&q->sql, "a.review_id = (SELECT id FROM review WHERE ");
		q_frag_text(s, q, DF_NOCASE_EQ, "name", f->review);
		buf_adds(&q->sql, ")");
	}
	if (!str_empty(f->finding)) {
		q_also(q);
		buf_adds(&q->sql, "(");
		q_frag_text(s, q, DF_NOCASE_EQ, "f.ref", f->finding);
		buf_adds(&q->sql, " OR ");
		q_frag_text(s, q, DF_NOCASE_EQ, "f.key", f->finding);
		buf_adds(&q->sql, ")");
	}
	if (!str_empty(f->question)) {
		q_also(q);
		q_frag_text(s, q, DF_NOCASE_EQ, "q.ref", f->question);
	}
	if (!str_empty(f->lead)) {
		q_also(q);
		q_frag_text(s, q, DF_CONTAINS, "a.lead", f->lead);
	}
}

/* Any withdrawn action in the database (the partial index action_withdrawn: instant). */
static int has_withdrawn(struct store *s)
{
	struct db_stmt *st;
	if (db_prepare(store_db(s), "SELECT 1 FROM action WHERE withdrawn = 1 LIMIT 1", &st, NULL) != OK)
		return 1;
	int any = db_step(st, NULL) == DB_ROW;
	db_finalize(st);
	return any;
}

/* Withdrawn actions are left out unless the filter asks for them; the condition is
 * written only when there are any, so a plan with none reads as it always did. */
static void where_withdrawn(struct store *s, struct query *q, const struct filter *f)
{
	if (f->withdrawn == FILTER_WITHDRAWN_TOO || (f->withdrawn == FILTER_WITHDRAWN_OUT && !has_withdrawn(s)))
		return;
	q_also(q);
	buf_adds(&q->sql, f->withdrawn == FILTER_WITHDRAWN_ONLY ? "a.withdrawn = 1" : "a.withdrawn = 0");
}

/* The joins a lean query needs: only those its conditions and order use, so rows it
 * counts or skips are never joined to the rest (counts, positions, far windows). */
static void q_from_lean(struct store *s, struct query *q, const struct filter *f)
{
	if (q->agency_first)
		buf_printf(&q->sql, " FROM agency ag %s action a ON a.agency_id = ag.id", db_frag(store_db(s), DF_CROSS_JOIN));
	else
		buf_adds(&q->sql, " FROM action a");
	if (!str_empty(f->finding) || !str_empty(f->question))
		buf_adds(&q->sql, " JOIN question q ON q.id = a.question_id LEFT JOIN finding f ON f.id = q.finding_id");
	for (size_t i = 0; i < f->nsort && !q->agency_first; i++)
		if (f->sort[i] == SORT_AGENCY) {
			buf_adds(&q->sql, " LEFT JOIN agency ag ON ag.id = a.agency_id");
			break;
		}
}

/* FROM and WHERE for a filter: every join (lean 0: rows to show) or the lean ones;
 * with_rag 0 leaves the RAG condition out (the counts per RAG show what each RAG
 * toggle would give). */
static void q_from_where_as(struct store *s, struct query *q, const struct filter *f, int with_rag, int lean)
{
	if (lean)
		q_from_lean(s, q, f);
	else if (q->agency_first)
		buf_printf(&q->sql, s->brief ? FROM_AGENCY_FIRST_BRIEF : FROM_AGENCY_FIRST, db_frag(store_db(s), DF_CROSS_JOIN));
	else
		buf_adds(&q->sql, s->brief ? FROM_BRIEF : FROM);
	int pg = db_engine(store_db(s)) == DB_PG;
	if (!str_empty(f->search) && q->keyset && !pg) {
		/* a sorted window of a search matching many rows: the sort's index walked, each
		 * row looked up in the index's list for the words (see keyset_for) */
		q_also(q);
		buf_adds(&q->sql, "ragtrack_matched(a.id)");
	} else if (!str_empty(f->search) && pg) {
		/* the server's way: each row's own vector tested (a keyset walks the sort's
		 * index; a count lets the planner pick the GIN index); a ranked list orders by
		 * ts_rank of the rows themselves (q_order), with no join back to the table */
		q_also(q);
		pg_matches(s, q, "a.", f->search);
		q->ranked = !q->keyset && !q->unranked;
	} else if (!str_empty(f->search)) {
		char *phrase = fts_phrase(f->search);
		buf_adds(&q->sql, " JOIN (SELECT rowid AS fts_id, rank AS fts_rank FROM action_fts WHERE action_fts MATCH ");
		q_text(q, phrase);
		buf_adds(&q->sql, ") fts ON fts.fts_id = a.id");
		free(phrase);
		q->ranked = 1;
	}
	if (with_rag)
		where_rag(s, q, f->rag_mask);
	where_agencies(s, q, f);
	where_names(s, q, f);
	where_dates(s, q, f);
	where_withdrawn(s, q, f);
}

static void q_from_where(struct store *s, struct query *q, const struct filter *f, int with_rag)
{
	q_from_where_as(s, q, f, with_rag, 0);
}

/* The lead as the lead sort orders it (NOCASE's order): on a server the stored folded
 * column (schema_pg.sql, revision 11), compared with text's leakproof operators, which
 * row-level security lets reach its index. */
static void q_lead_key(struct store *s, struct query *q)
{
	if (db_engine(store_db(s)) == DB_PG)
		buf_adds(&q->sql, "a.lead_key");
	else
		buf_printf(&q->sql, db_frag(store_db(s), DF_NOCASE_KEY), "a.lead");
}

static const char *const SORT_SQL[SORT_COUNT] = {
	[SORT_DEFAULT] = "a.sort_key",
	[SORT_TARGET] = "a.target_date IS NULL, a.target_date",
	[SORT_RAG] = "CASE a.rag WHEN 0 THEN 5 ELSE a.rag END",
	[SORT_AGENCY] = "ag.name IS NULL, ag.name",
	[SORT_UPDATED] = "a.updated_at DESC",
	[SORT_LEAD] = "a.lead = '', a.lead COLLATE NOCASE",
	[SORT_ID] = "a.id",
};

/* A ranked search orders by rank, then ID (as the search-only path below must): on a
 * server the rank of the row's own vector, on a file FTS5's from the match joined in. */
static void q_order(struct store *s, struct query *q, const struct filter *f)
{
	buf_adds(&q->sql, " ORDER BY ");
	if (f->nsort == 0 && q->ranked) {
		if (db_engine(store_db(s)) == DB_PG) {
			buf_adds(&q->sql, "-ts_rank(a.search, ");
			pg_tsquery(q, f->search);
			buf_adds(&q->sql, "), a.id");
		} else {
			buf_adds(&q->sql, "fts.fts_rank, a.id");
		}
		return;
	}
	for (size_t i = 0; i < f->nsort; i++)
		if (f->sort[i] == SORT_LEAD) {     /* NOCASE's order, in the engine's words: ties by
			                                    * sort_key and id, as the keyset's index holds them */
			buf_adds(&q->sql, "a.lead = '', ");
			q_lead_key(s, q);
			buf_adds(&q->sql, ", ");
		} else {
			buf_printf(&q->sql, "%s, ", SORT_SQL[f->sort[i]]);
		}
	buf_adds(&q->sql, "a.sort_key, a.id");
}

/* ORDER BY, then rows [offset, offset + limit) (limit < 0: to the end). */
static void q_order_window(struct store *s, struct query *q, const struct filter *f, long offset, long limit)
{
	q_order(s, q, f);
	buf_adds(&q->sql, " LIMIT ");
	q_limit(s, q, limit);
	buf_adds(&q->sql, " OFFSET ");
	q_int(q, offset < 0 ? 0 : offset);
}

/* Every column of a row; store_each_brief's rows have no response text (one join less:
 * a page read less per row, a sixth of a ranked search's time). */
#define COLUMNS(response) \
	"SELECT a.id, a.version, rv.name, rv.board, f.ref, f.title, q.ref, q.text, ag.name, " response ", a.seq," \
	" a.text, a.rag, a.rag_raw, a.target_date, a.target_raw, a.first_target_date, a.evidence, a.lead," \
	" a.constraints, a.desired, a.created_at, a.updated_at," \
	" (SELECT count(*) FROM note n WHERE n.action_id = a.id), a.sort_key, a.review_id, a.extra, a.withdrawn"
static const char COLUMNS_SQL[] = COLUMNS("rs.text");
static const char COLUMNS_BRIEF_SQL[] = COLUMNS("NULL");
#define COL_SORT_KEY 24
#define COL_REVIEW_ID 25
#define COL_EXTRA 26
#define COL_WITHDRAWN 27

/* ---- extra fields ------------------------------------------------------------------ */

/* The names of every review's extra fields (extra_field), read again when the database
 * changed; and the scratch a row's extra fields are read into. */
struct extra_read {
	int64_t stamp;
	size_t nreview;
	struct { int64_t id; size_t first, n; } *review;   /* by id */
	size_t nname;
	char **name;
	struct action_extra *view;     /* row_view's: valid until the next row */
	const char **vals;
	size_t view_cap;
	struct buf buf;
};

static int64_t window_stamp(struct store *s);

static void xread_names_free(struct extra_read *x)
{
	for (size_t i = 0; i < x->nname; i++)
		free(x->name[i]);
	free(x->name);
	free(x->review);
	x->name = NULL;
	x->review = NULL;
	x->nname = x->nreview = 0;
}

/* Make s->xread current. */
static enum status xread_load(struct store *s, struct err *err)
{
	if (!s->xread) {
		s->xread = xcalloc(1, sizeof *s->xread);
		s->xread->stamp = -1;
	}
	struct extra_read *x = s->xread;
	int64_t stamp = window_stamp(s);
	if (stamp == x->stamp)
		return OK;
	xread_names_free(x);
	struct db_stmt *st;
	enum status rc = db_prepare(store_db(s), "SELECT review_id, name FROM extra_field ORDER BY review_id, pos", &st, err);
	if (rc != OK)
		return rc;
	size_t cap = 0, rcap = 0;
	while (db_step(st, NULL) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		if (!x->nreview || x->review[x->nreview - 1].id != id) {
			if (x->nreview == rcap)
				x->review = xrealloc(x->review, (rcap = rcap ? rcap * 2 : 16) * sizeof *x->review);
			x->review[x->nreview].id = id;
			x->review[x->nreview].first = x->nname;
			x->review[x->nreview++].n = 0;
		}
		if (x->nname == cap)
			x->name = xrealloc(x->name, (cap = cap ? cap * 2 : 16) * sizeof *x->name);
		x->name[x->nname++] = xstrdup(db_col_text(st, 1) ? db_col_text(st, 1) : "");
		x->review[x->nreview - 1].n++;
	}
	db_finalize(st);
	x->stamp = stamp;
	return OK;
}

/* The review's place in s->xread, or -1 when it has no extra fields. */
static long xread_review(const struct extra_read *x, int64_t id)
{
	size_t lo = 0, hi = x->nreview;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (x->review[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < x->nreview && x->review[lo].id == id ? (long)lo : -1;
}

/* Point a's extra fields at the row's values (scratch valid until the next row). */
static void row_extras(struct store *s, struct db_stmt *st, struct action *a)
{
	a->nextra = 0;
	a->extra = NULL;
	struct extra_read *x = s->xread;
	long r = x ? xread_review(x, db_col_int(st, COL_REVIEW_ID)) : -1;
	if (r < 0)
		return;
	size_t n = x->review[r].n, first = x->review[r].first;
	if (n > x->view_cap) {
		x->view = xrealloc(x->view, n * sizeof *x->view);
		x->vals = xrealloc(x->vals, n * sizeof *x->vals);
		x->view_cap = n;
	}
	const char *packed = db_col_text(st, COL_EXTRA);
	buf_reset(&x->buf);
	buf_reserve(&x->buf, strlen(packed ? packed : "") + 1);
	store_extra_split(packed, x->buf.s, x->vals, n);
	for (size_t i = 0; i < n; i++)
		x->view[i] = (struct action_extra){ x->name[first + i], x->vals[i] };
	a->extra = x->view;
	a->nextra = n;
}

static void store_extra_free(struct store *s)
{
	if (!s->xread)
		return;
	xread_names_free(s->xread);
	free(s->xread->view);
	free(s->xread->vals);
	buf_free(&s->xread->buf);
	free(s->xread);
	s->xread = NULL;
}
#define COL_SORT_VALUE 28          /* a sorted window's sort value, after the columns */

/* Point a's strings at the row's columns: valid until the next step. */
static void row_view(struct store *s, struct db_stmt *st, struct action *a)
{
#define COL(i) ((char *)db_col_text(st, (i)))
	a->id = db_col_int(st, 0);
	a->version = db_col_int(st, 1);
	a->review = COL(2);
	a->board = COL(3);
	a->finding_ref = COL(4);
	a->finding = COL(5);
	a->question_ref = COL(6);
	a->question = COL(7);
	a->agency = COL(8);
	a->response = COL(9);
	a->seq = (int)db_col_int(st, 10);
	a->text = COL(11);
	a->rag = (enum rag)db_col_int(st, 12);
	a->rag_raw = COL(13);
	a->target_date = COL(14);
	a->target_raw = COL(15);
	a->first_target_date = COL(16);
	a->evidence = COL(17);
	a->lead = COL(18);
	a->constraints = COL(19);
	a->desired = COL(20);
	a->created_at = COL(21);
	a->updated_at = COL(22);
	a->nnotes = (int)db_col_int(st, 23);
	row_extras(s, st, a);
	a->withdrawn = (int)db_col_int(st, COL_WITHDRAWN);
#undef COL
}

void store_plans_record(struct store *s, int on)
{
	s->plans_on = on;
	if (on) {
		buf_free(&s->plans);
		buf_adds(&s->plans, "");
	}
}

const char *store_plans(const struct store *s)
{
	return s->plans.s ? s->plans.s : "";
}

/* Append sql and its plan (one line per step) to s->plans. */
static void plan_append(struct store *s, const struct query *q)
{
	char *sql = xasprintf("EXPLAIN QUERY PLAN %s", q->sql.s);
	sqlite3_stmt *st;
	buf_printf(&s->plans, "-- %s\n", q->sql.s);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK) {
		q_bind(q, st);
		while (sqlite3_step(st) == SQLITE_ROW)
			buf_printf(&s->plans, "%s\n", (const char *)sqlite3_column_text(st, 3));
		sqlite3_finalize(st);
	}
	free(sql);
}

void store_plan_note(struct store *s, const char *sql)
{
	if (!s->plans_on)
		return;
	char *explain = xasprintf("EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *st;
	buf_printf(&s->plans, "-- %s\n", sql);
	if (sqlite3_prepare_v2(s->db, explain, -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			buf_printf(&s->plans, "%s\n", (const char *)sqlite3_column_text(st, 3));
		sqlite3_finalize(st);
	}
	free(explain);
}

/* q prepared through the statement layer (either engine), its parameters bound. */
static enum status q_prepare_db(struct store *s, struct query *q, struct db_stmt **st, struct err *err)
{
	if (s->plans_on && s->db)
		plan_append(s, q);
	enum status rc = db_prepare(store_db(s), q->sql.s, st, err);
	if (rc != OK)
		return store_db_fail(s, err, "preparing a query");
	q_bind_db(q, *st);
	return OK;
}

/* ---- windows ------------------------------------------------------------------- */

/* The database state a cache was read in: another connection's commits move
 * data_version, this connection's own writes move total_changes.  On PostgreSQL: the
 * commits heard of (every one that changes what a list shows notifies, its own
 * connection's included: schema_pg.sql's rt_changed), read without a round trip. */
static int64_t window_stamp(struct store *s)
{
	int64_t v = 0, others;
	if (!s->db) {
		db_heard(s->pg, &v, &others);
		return v;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "PRAGMA data_version", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return (v << 32) ^ (int64_t)sqlite3_total_changes(s->db);
}

static void anchor_clear(struct window_anchor *a)
{
	free(a->key);
	free(a->value);
	memset(a, 0, sizeof *a);
}

static void anchor_copy(struct window_anchor *dst, const struct window_anchor *src)
{
	*dst = *src;
	dst->key = xstrdup(src->key);
	dst->value = src->value ? xstrdup(src->value) : NULL;
}

static void window_reset(struct window_cache *w)
{
	free(w->sig);
	free(w->unsorted);
	for (int i = 0; i < w->nanchor; i++)
		anchor_clear(&w->anchor[i]);
	for (int i = 0; i < w->nsparse; i++)
		anchor_clear(&w->sparse[i]);
	free(w->sparse);
	free(w->match_bits);
	memset(w, 0, sizeof *w);
	w->count = -1;
	w->matches = -1;
}

void store_window_free(struct store *s)
{
	window_reset(&s->window);
	store_extra_free(s);
	buf_free(&s->plans);
}

/* f without its sort, serialised: what the counts and a search's matches depend on. */
static char *unsorted_sig(const struct filter *f)
{
	struct filter u = *f;      /* shallow: only read */
	u.nsort = 0;
	return filter_serialise(&u);
}

/* Make the cache about f in the current state, resetting it when either changed; a new
 * sort of the same list keeps the counts and the search's matches (pressing s under a
 * search or overdue counted them all again). */
static struct window_cache *window_for(struct store *s, const struct filter *f)
{
	struct window_cache *w = &s->window;
	char *sig = filter_serialise(f);
	int64_t stamp = window_stamp(s);
	if (!w->sig || strcmp(w->sig, sig) != 0 || w->stamp != stamp) {
		struct window_cache keep = *w;
		char *now = w->sig && w->stamp == stamp ? unsorted_sig(f) : NULL;
		int resort = now && w->unsorted && strcmp(now, w->unsorted) == 0;
		if (resort)
			w->match_bits = NULL;          /* handed over below */
		window_reset(w);
		w->sig = sig;
		w->stamp = stamp;
		w->unsorted = now ? now : unsorted_sig(f);
		if (resort) {
			w->count = keep.count;
			w->have_rag = keep.have_rag;
			memcpy(w->rag_counts, keep.rag_counts, sizeof w->rag_counts);
			w->matches = keep.matches;
			w->match_bits = keep.match_bits;
			w->match_max = keep.match_max;
		}
	} else {
		free(sig);
	}
	return w;
}

/* The row of st as an anchor at offset: its sort_key (column col_key) and id, and under
 * a sort its sort value (column col_value; < 0: none; an integer when numeric) and
 * group.  0 when st's row has no sort_key. */
static int anchor_from_row(struct window_anchor *a, struct db_stmt *st, int col_key, int col_value, int numeric,
                           int64_t id, long offset, int last)
{
	const char *key = db_col_text(st, col_key);
	memset(a, 0, sizeof *a);
	if (!key)
		return 0;
	a->key = xstrdup(key);
	a->id = id;
	a->offset = offset;
	a->last = last;
	if (col_value < 0 || db_col_null(st, col_value))
		return 1;
	if (numeric)
		a->value_int = db_col_int(st, col_value);
	else
		a->value = xstrdup(db_col_text(st, col_value));
	return 1;
}

/* Keep a (taken over: the caller no longer frees it) among the latest anchors. */
static void anchor_keep(struct window_cache *w, struct window_anchor *a)
{
	for (int i = 0; i < w->nanchor; i++)
		if (w->anchor[i].offset == a->offset) {
			anchor_clear(a);
			return;
		}
	struct window_anchor *slot = &w->anchor[w->nanchor < WINDOW_ANCHORS ? w->nanchor++ : w->next];
	if (w->nanchor == WINDOW_ANCHORS && slot == &w->anchor[w->next])
		w->next = (w->next + 1) % WINDOW_ANCHORS;
	anchor_clear(slot);
	*slot = *a;
	memset(a, 0, sizeof *a);
}

/* Keep a copy of a among the seeks' sparse anchors. */
static void anchor_keep_sparse(struct window_cache *w, const struct window_anchor *a)
{
	for (int i = 0; i < w->nsparse; i++)
		if (w->sparse[i].offset == a->offset)
			return;
	if (w->nsparse == w->sparse_cap) {
		w->sparse_cap = w->sparse_cap ? 2 * w->sparse_cap : 16;
		w->sparse = xrealloc(w->sparse, (size_t)w->sparse_cap * sizeof *w->sparse);
	}
	anchor_copy(&w->sparse[w->nsparse++], a);
}

struct keyset;
static int keyset_numeric(const struct keyset *k);

/* Remember the row at offset: its sort_key and id, and under a sort k (st's column
 * COL_SORT_VALUE, last) its sort value and group. */
static void window_remember(struct window_cache *w, long offset, struct db_stmt *st, int64_t id,
                            const struct keyset *k, int last)
{
	struct window_anchor a;
	if (anchor_from_row(&a, st, COL_SORT_KEY, k ? COL_SORT_VALUE : -1, k && keyset_numeric(k), id, offset, last))
		anchor_keep(w, &a);
}

/* Whether a is a better start than p's for rows [offset, offset + limit). */
static void plan_consider(struct window_plan *p, const struct window_anchor *a, long offset, long limit)
{
	if (a->offset < offset && offset - a->offset - 1 < p->skip)
		*p = (struct window_plan){ a, 0, offset - a->offset - 1, limit };
	else if (a->offset >= offset + limit && a->offset - (offset + limit) < p->skip)
		*p = (struct window_plan){ a, 1, a->offset - (offset + limit), limit };
}

struct window_plan store_window_plan(const struct window_cache *w, long offset, long limit)
{
	struct window_plan p = { NULL, 0, offset, limit };
	if (w->count >= 0 && offset >= w->count)
		return (struct window_plan){ NULL, 0, 0, 0 };
	for (int i = 0; i < w->nanchor; i++)
		plan_consider(&p, &w->anchor[i], offset, limit);
	for (int i = 0; i < w->nsparse; i++)
		plan_consider(&p, &w->sparse[i], offset, limit);
	if (w->count >= 0) {
		long end = offset + limit < w->count ? offset + limit : w->count;
		if (w->count - end < p.skip)
			p = (struct window_plan){ NULL, 1, w->count - end, end - offset };
	}
	return p;
}

static enum status window_query(struct store *s, const struct filter *f, const struct window_plan *p,
                                struct db_stmt **st, struct err *err)
{
	struct query q = {0};
	buf_adds(&q.sql, s->brief ? COLUMNS_BRIEF_SQL : COLUMNS_SQL);
	q_from_where(s, &q, f, 1);
	if (p->from) {
		q_also(&q);
		buf_adds(&q.sql, p->backwards ? "(a.sort_key, a.id) < (" : "(a.sort_key, a.id) > (");
		q_text(&q, p->from->key);
		buf_adds(&q.sql, ", ");
		q_int(&q, p->from->id);
		buf_adds(&q.sql, ")");
	}
	buf_adds(&q.sql, p->backwards ? " ORDER BY a.sort_key DESC, a.id DESC" : " ORDER BY a.sort_key, a.id");
	buf_adds(&q.sql, " LIMIT ");
	q_int(&q, p->limit);
	buf_adds(&q.sql, " OFFSET ");
	q_int(&q, p->skip);
	enum status rc = q_prepare_db(s, &q, st, err);
	q_free(&q);
	return rc;
}

static enum status window_seek(struct store *s, const struct filter *f, const struct keyset *k,
                               struct window_cache *w, long at, struct err *err);

/* Read a window in the default order through the plan; rows read backwards are
 * collected and handed over in list order. */
static enum status window_read(struct store *s, const struct filter *f, long offset, long limit,
                               store_action_fn fn, void *ctx, struct err *err)
{
	struct window_cache *w = window_for(s, f);
	if (offset > 2 * limit && w->count < 0 && store_count(s, f, &w->count, err) != OK)
		return ERR_DB;
	struct window_plan p = store_window_plan(w, offset, limit);
	if (p.skip > 2 * limit && offset > 0) {
		if (window_seek(s, f, NULL, w, offset - 1, err) != OK)
			return ERR_DB;
		p = store_window_plan(w, offset, limit);
	}
	struct db_stmt *dst;
	if (window_query(s, f, &p, &dst, err) != OK)
		return ERR_DB;
	struct action *rows = p.backwards ? xcalloc((size_t)p.limit + 1, sizeof *rows) : NULL;
	long n = 0;
	int stop = 0;
	enum db_step step = DB_DONE;
	while (!stop && (step = db_step(dst, err)) == DB_ROW) {
		struct action a;
		row_view(s, dst, &a);
		long at = p.backwards ? offset + (p.limit - 1 - n) : offset + n;
		if (n == 0 || n == p.limit - 1)
			window_remember(w, at, dst, a.id, NULL, 0);
		if (p.backwards)
			action_copy(&rows[n], &a);
		else
			stop = fn(&a, ctx);
		n++;
	}
	enum status rc = step != DB_ERROR || stop ? OK : store_db_fail(s, err, "reading actions");
	db_finalize(dst);
	/* backwards: the n rows read are the last n of the window, newest first */
	for (long i = n - 1; rows && i >= 0; i--) {
		if (!stop)
			stop = fn(&rows[i], ctx);
		action_clear(&rows[i]);
	}
	free(rows);
	return rc;
}

/* ---- sorted windows: keysets ------------------------------------------------------- */

/* How a sort of the browser is read in windows through its index, as the default order is:
 * rows ordered by (key, sort_key, id), keyed by the last row read, never by OFFSET.  The
 * rows SORT_SQL puts after all others (no target date, no lead, no RAG, no agency) are
 * their own group, read after the rest by (sort_key, id).  rest and last are conditions
 * the index can seek on; rest implies key is not NULL.  The order is exactly SORT_SQL's,
 * then sort_key and id (store_each's other paths), so both agree row for row. */
struct keyset {
	const char *key;           /* the sort value, as the index holds it (nocase: through DF_NOCASE_KEY) */
	const char *rest, *last;   /* the two groups, %1$s the key as written (rest NULL: every row,
	                            * DF_TRUE; last NULL: one group) */
	int desc;                  /* key descending */
	int numeric;               /* the key is an integer */
	int nocase;                /* the key is text compared as NOCASE does (DF_NOCASE_KEY) */
};

static const struct keyset KEYSET[SORT_COUNT] = {
	[SORT_TARGET] = { "a.target_date", "a.target_date IS NOT NULL", "a.target_date IS NULL", 0, 0, 0 },
	[SORT_RAG] = { "a.rag", "a.rag > 0", "a.rag = 0", 0, 1, 0 },
	/* ag.name IS NOT NULL makes the agency join an inner one, so SQLite walks agencies by
	 * name and each one's actions through action_agency */
	[SORT_AGENCY] = { "ag.name", "ag.name IS NOT NULL", "a.agency_id IS NULL", 0, 0, 0 },
	[SORT_UPDATED] = { "a.updated_at", NULL, NULL, 1, 0, 0 },
	[SORT_LEAD] = { "a.lead", "%1$s > ''", "%1$s = ''", 0, 0, 1 },
};

static int keyset_numeric(const struct keyset *k)
{
	return k->numeric;
}

/* k's sort value in the engine's words, into q. */
static void q_key(struct store *s, struct query *q, const struct keyset *k)
{
	if (k->nocase)             /* the lead's, the one such key */
		q_lead_key(s, q);
	else
		buf_adds(&q->sql, k->key);
}

/* k's condition cond (rest or last, a format of the key), into q. */
static void q_key_cond(struct store *s, struct query *q, const struct keyset *k, const char *cond)
{
	if (!cond) {
		buf_adds(&q->sql, db_frag(store_db(s), DF_TRUE));
		return;
	}
	struct query key = {0};
	q_key(s, &key, k);
	buf_printf(&q->sql, cond, key.sql.s);
	q_free(&key);
}

/* Below this share of all actions (1 in 16) a sorted search's matches are sorted by id
 * (the ids path: a few thousand at most, in a millisecond or two); above it they are
 * read through the sort's index, where they lie close together, rather than sorted
 * whole for each window (100,000 actions, 76,410 matches: 200-500 ms of CPU a window),
 * each row tested against a bitmap of the matches (1 bit per action: 125 KB at 1M).
 * Asking the full-text index row by row instead cost 0.2 ms a row. */
#define SEARCH_KEYSET_SHARE 16

/* SQL ragtrack_matched(id): whether the current search matches action id. */
static void sql_matched(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const struct window_cache *w = sqlite3_user_data(cx);
	int64_t id = argc == 1 ? sqlite3_value_int64(argv[0]) : -1;
	sqlite3_result_int(cx, w->match_bits && id >= 0 && id <= w->match_max &&
	                       (w->match_bits[id >> 3] & (1u << (id & 7))));
}

/* The bitmap of the actions f's search matches, into the window cache. */
static enum status matches_load(struct store *s, struct window_cache *w, const struct filter *f, struct err *err)
{
	if (!s->matched_fn) {
		if (sqlite3_create_function(s->db, "ragtrack_matched", 1, SQLITE_UTF8, &s->window, sql_matched, NULL,
		                            NULL) != SQLITE_OK)
			return store_fail(s, err, "searching");
		s->matched_fn = 1;
	}
	sqlite3_stmt *st;
	enum status rc = store_prepare(s, &st, "SELECT ifnull(max(id), 0) FROM action", err);
	if (rc != OK)
		return rc;
	w->match_max = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	free(w->match_bits);
	w->match_bits = xcalloc((size_t)(w->match_max >> 3) + 1, 1);
	rc = store_prepare(s, &st, "SELECT rowid FROM action_fts WHERE action_fts MATCH ?", err);
	if (rc != OK)
		return rc;
	char *phrase = fts_phrase(f->search);
	sqlite3_bind_text(st, 1, phrase, -1, SQLITE_TRANSIENT);
	free(phrase);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (id >= 0 && id <= w->match_max)
			w->match_bits[id >> 3] |= (unsigned char)(1u << (id & 7));
	}
	rc = step == SQLITE_DONE ? OK : store_fail(s, err, "searching");
	sqlite3_finalize(st);
	return rc;
}

/* How many actions f's search alone matches (under the lens), counting no further than
 * upto; 0 on an error. */
static long search_count_upto(struct store *s, const struct filter *f, long upto)
{
	struct filter only;
	filter_init(&only);
	only.search = f->search;       /* borrowed: only.search is not freed */
	struct query q = {0};
	q.unranked = 1;
	buf_adds(&q.sql, "SELECT count(*) FROM (SELECT 1");
	q_from_where_as(s, &q, &only, 1, 1);
	buf_adds(&q.sql, " LIMIT ");
	q_int(&q, upto);
	buf_adds(&q.sql, ") x");
	long n = 0;
	struct db_stmt *st;
	if (q_prepare_db(s, &q, &st, NULL) == OK) {
		if (db_step(st, NULL) == DB_ROW)
			n = (long)db_col_int(st, 0);
		db_finalize(st);
	}
	q_free(&q);
	return n;
}

/* Whether f's search matches many of the actions (then, on SQLite, its bitmap is
 * loaded); kept in the window cache. */
static int search_broad(struct store *s, const struct filter *f)
{
	struct window_cache *w = window_for(s, f);
	if (w->matches >= 0)
		return w->matches == 2;
	w->matches = 1;
	/* the actions there are, near enough for a share (the highest id: one index
	 * lookup, where rag_count's sum read its 29,000 rows at 1M actions) */
	long all = (long)db_scalar_int(store_db(s), "SELECT coalesce(max(id), 0) FROM action", 0, 0);
	struct err e = {0};
	if (!s->db) {
		/* PostgreSQL tests each row's own vector as the sort's index is walked
		 * (q_from_where_as): no bitmap, only whether the matches are many, counted up
		 * to the share that makes them so */
		if (search_count_upto(s, f, all / SEARCH_KEYSET_SHARE + 1) * SEARCH_KEYSET_SHARE > all)
			w->matches = 2;
		return w->matches == 2;
	}
	sqlite3_stmt *st;
	char *phrase = fts_phrase(f->search);
	long n = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM action_fts WHERE action_fts MATCH ?", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, phrase, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = (long)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	free(phrase);
	if (n * SEARCH_KEYSET_SHARE > all && matches_load(s, w, f, &e) == OK)
		w->matches = 2;
	return w->matches == 2;
}

/* The keyset f's window is read by, or NULL (no sort, several sorts, a ranked search, a
 * search matching few actions). */
static const struct keyset *keyset_for(struct store *s, const struct filter *f)
{
	if (f->nsort != 1 || (unsigned)f->sort[0] >= SORT_COUNT || !KEYSET[f->sort[0]].key)
		return NULL;
	if (!str_empty(f->search) && !search_broad(s, f))
		return NULL;
	return &KEYSET[f->sort[0]];
}

/* One range of a sorted list: the anchor's own key after it (SAME), the keys beyond it
 * (BEYOND), all of the first group (REST), the last group after the anchor (LAST_BEYOND)
 * or all of it (LAST); and all of the anchor's own key (ONE: one agency's actions, see
 * agency_parts_read).  "After" is in reading order: backwards reads run the other way.
 * In the default order (no keyset) a list has two parts: all of it (REST) and the rows
 * after the anchor (LAST_BEYOND). */
enum part { PART_SAME, PART_BEYOND, PART_REST, PART_LAST_BEYOND, PART_LAST, PART_ONE, PART_END };

/* The parts to read in order, ending in PART_END. */
static const enum part *keyset_parts(const struct keyset *k, const struct window_anchor *from, int backwards)
{
	static const enum part fwd_rest[] = { PART_SAME, PART_BEYOND, PART_LAST, PART_END };
	static const enum part fwd_last[] = { PART_LAST_BEYOND, PART_END };
	static const enum part fwd_none[] = { PART_REST, PART_LAST, PART_END };
	static const enum part back_rest[] = { PART_SAME, PART_BEYOND, PART_END };
	static const enum part back_last[] = { PART_LAST_BEYOND, PART_REST, PART_END };
	static const enum part back_none[] = { PART_LAST, PART_REST, PART_END };
	static const enum part plain_none[] = { PART_REST, PART_END };
	if (!k)
		return from ? fwd_last : plain_none;
	if (!from)
		return backwards ? back_none : fwd_none;
	if (from->last)
		return backwards ? back_last : fwd_last;
	return backwards ? back_rest : fwd_rest;
}

static int part_is_last(enum part part)
{
	return part == PART_LAST || part == PART_LAST_BEYOND;
}

static void q_anchor_value(struct query *q, const struct window_anchor *a)
{
	if (a->value)
		q_text(q, a->value);
	else
		q_int(q, a->value_int);
}

/* A query of one part of f's list under k (NULL: the default order), for the lean
 * joins or every one. */
static void part_start(struct query *q, const struct keyset *k, enum part part)
{
	q->keyset = k != NULL;
	q->agency_first = k == &KEYSET[SORT_AGENCY] && !part_is_last(part);
}

/* The part's conditions, after q's WHERE. */
static void part_where(struct store *s, struct query *q, const struct keyset *k, enum part part,
                       const struct window_anchor *from, int backwards)
{
	int key_down = k && backwards != k->desc;
	/* the anchor's own value, or values above it, are in the first group: its condition
	 * is left out there, since SQLite would test it on every row besides the range (a
	 * seek sorted by lead: 51 -> 40 ms of CPU half-way down 100,000 actions) */
	int implied = part == PART_SAME || part == PART_ONE || (part == PART_BEYOND && !key_down);
	if (k && !implied) {
		q_also(q);
		q_key_cond(s, q, k, part_is_last(part) ? k->last : k->rest);
	}
	if (k && (part == PART_SAME || part == PART_BEYOND || part == PART_ONE)) {
		q_also(q);
		q_key(s, q, k);
		buf_printf(&q->sql, " %s ", part != PART_BEYOND ? "=" : key_down ? "<" : ">");
		q_anchor_value(q, from);
	}
	if (part == PART_SAME || part == PART_LAST_BEYOND) {
		q_also(q);
		buf_adds(&q->sql, backwards ? "(a.sort_key, a.id) < (" : "(a.sort_key, a.id) > (");
		q_text(q, from->key);
		buf_adds(&q->sql, ", ");
		q_int(q, from->id);
		buf_adds(&q->sql, ")");
	}
}

/* The part's ORDER BY. */
static void part_order(struct store *s, struct query *q, const struct keyset *k, enum part part, int backwards)
{
	int key_down = k && backwards != k->desc;
	buf_adds(&q->sql, " ORDER BY ");
	if (k && (part == PART_BEYOND || part == PART_REST)) {
		q_key(s, q, k);
		buf_adds(&q->sql, key_down ? " DESC, " : ", ");
	}
	buf_adds(&q->sql, backwards ? "a.sort_key DESC, a.id DESC" : "a.sort_key, a.id");
}

/* SELECT of the columns an anchor is made of (anchor_from_row's 0, 1, 2): sort_key, id
 * and the sort value under k (NULL in the default order). */
static void q_anchor_select(struct store *s, struct query *q, const struct keyset *k)
{
	buf_adds(&q->sql, "SELECT a.sort_key, a.id, ");
	if (k)
		q_key(s, q, k);
	else
		buf_adds(&q->sql, "NULL");
}

/* One step of a seek: the row n rows after from (NULL: from the start) in f's list, or
 * backwards n rows before it (from must then be given), into *out (its offset left to
 * the caller); *found 0 when the list ends first.  Read with the lean joins only (the
 * sort's index alone when nothing else is asked): a part the step passes over is
 * counted, never read. */
static enum status seek_step(struct store *s, const struct filter *f, const struct keyset *k,
                             const struct window_anchor *from, int backwards, long n, struct window_anchor *out,
                             int *found, struct err *err)
{
	*found = 0;
	for (const enum part *part = keyset_parts(k, from, backwards); *part != PART_END && !*found; part++) {
		if (k && !k->last && part_is_last(*part))
			continue;
		for (int counting = 0; counting < 2; counting++) {
			struct query q = {0};
			part_start(&q, k, *part);
			if (counting) {
				buf_adds(&q.sql, "SELECT count(*)");
			} else {
				q_anchor_select(s, &q, k);
			}
			q_from_where_as(s, &q, f, 1, 1);
			part_where(s, &q, k, *part, from, backwards);
			if (!counting) {
				part_order(s, &q, k, *part, backwards);
				buf_adds(&q.sql, " LIMIT 1 OFFSET ");
				q_int(&q, n);
			}
			struct db_stmt *st;
			enum status rc = q_prepare_db(s, &q, &st, err);
			q_free(&q);
			if (rc != OK)
				return rc;
			enum db_step step = db_step(st, err);
			if (step == DB_ROW && counting)
				n -= (long)db_col_int(st, 0);
			else if (step == DB_ROW)
				*found = anchor_from_row(out, st, 0, k ? 2 : -1, k && k->numeric, db_col_int(st, 1), 0,
				                         part_is_last(*part));
			db_finalize(st);
			if (step == DB_ERROR)
				return store_db_fail(s, err, "finding a place in the list");
			if (*found || counting)
				break;
		}
	}
	return OK;
}

/* The nearest remembered row at or before offset at, or NULL. */
static const struct window_anchor *anchor_before(const struct window_cache *w, long at)
{
	const struct window_anchor *best = NULL;
	for (int i = 0; i < w->nanchor; i++)
		if (w->anchor[i].offset <= at && (!best || w->anchor[i].offset > best->offset))
			best = &w->anchor[i];
	for (int i = 0; i < w->nsparse; i++)
		if (w->sparse[i].offset <= at && (!best || w->sparse[i].offset > best->offset))
			best = &w->sparse[i];
	return best;
}

/* Far from every anchor (reopening deep in the list, a jump): find the row at offset at
 * from the nearest remembered row before it, WINDOW_STRIDE rows at a time, and
 * remember each row stepped to, so a later jump anywhere up to at walks at most
 * WINDOW_STRIDE index entries; the window is then read by key from the row at at.
 * k NULL: the default order.  Remembers nothing more when the list is shorter. */
static enum status window_seek(struct store *s, const struct filter *f, const struct keyset *k,
                               struct window_cache *w, long at, struct err *err)
{
	struct window_anchor cur = {0};
	const struct window_anchor *near = anchor_before(w, at);
	if (near)
		anchor_copy(&cur, near);
	long pos = near ? cur.offset : -1;
	long stride = s->window_stride > 0 ? s->window_stride : WINDOW_STRIDE;
	enum status rc = OK;
	while (rc == OK && pos < at) {
		long to = at - pos > stride ? pos + stride : at;
		struct window_anchor next;
		int found = 0;
		rc = seek_step(s, f, k, pos >= 0 ? &cur : NULL, 0, to - pos - 1, &next, &found, err);
		if (rc != OK || !found)
			break;
		next.offset = to;
		anchor_keep_sparse(w, &next);
		anchor_clear(&cur);
		cur = next;
		pos = to;
	}
	if (pos == at && cur.key)
		anchor_keep(w, &cur);
	anchor_clear(&cur);
	return rc;
}

/* How far before a placed row store_place keeps a second one: more than a screen, so
 * the window a screen above the row is planned from it, and little enough to step
 * over in one index walk. */
#define PLACE_BEFORE 1024

/* The placed row, by id under f's conditions, as an anchor at offset (its sort_key, id,
 * and under k its sort value and group); *found 0 when f's list does not hold it. */
static enum status place_read(struct store *s, const struct filter *f, const struct keyset *k, long offset,
                              int64_t id, struct window_anchor *out, int *found, struct err *err)
{
	struct query q = {0};
	q.keyset = k != NULL;
	q_anchor_select(s, &q, k);
	buf_adds(&q.sql, ", ");
	if (k && k->last) {
		struct query last = {0};
		q_key_cond(s, &last, k, k->last);
		buf_printf(&q.sql, db_frag(store_db(s), DF_INT), last.sql.s);
		q_free(&last);
	} else {
		buf_adds(&q.sql, "0");
	}
	q_from_where_as(s, &q, f, 1, 1);
	q_also(&q);
	buf_adds(&q.sql, "a.id = ");
	q_int(&q, id);
	struct db_stmt *st;
	enum status rc = q_prepare_db(s, &q, &st, err);
	q_free(&q);
	if (rc != OK)
		return rc;
	*found = 0;
	enum db_step step = db_step(st, err);
	if (step == DB_ROW)
		*found = anchor_from_row(out, st, 0, k ? 2 : -1, k && k->numeric, id, offset, db_col_int(st, 3) != 0);
	db_finalize(st);
	return step == DB_ERROR ? store_db_fail(s, err, "finding an action in the list") : OK;
}

enum status store_place(struct store *s, const struct filter *f, long offset, int64_t id, struct err *err)
{
	/* a re-import can change a question's text or finding, and so these lists, with
	 * nothing logged (store_data_stamp): their place is found again the old way */
	if (offset < 0 || !str_empty(f->search) || !str_empty(f->finding) || !str_empty(f->question))
		return OK;
	int plain = !f->nsort;         /* the default order: store_each's window_read */
	const struct keyset *k = plain ? NULL : keyset_for(s, f);
	if (!plain && !k)
		return OK;
	if (xread_load(s, err) != OK)
		return ERR_DB;
	struct window_cache *w = window_for(s, f);
	struct window_anchor at, before;
	int found = 0;
	enum status rc = place_read(s, f, k, offset, id, &at, &found, err);
	if (rc != OK)
		return rc;
	if (!found)
		return err_set(err, ERR_NOT_FOUND, "action %lld is not in the list", (long long)id);
	anchor_keep_sparse(w, &at);
	long back = offset < PLACE_BEFORE ? offset : PLACE_BEFORE;
	if (back > 0) {
		rc = seek_step(s, f, k, &at, 1, back - 1, &before, &found, err);
		if (rc == OK && found) {
			before.offset = offset - back;
			anchor_keep_sparse(w, &before);
			anchor_clear(&before);
		}
	}
	anchor_clear(&at);
	return rc;
}

static enum status keyset_query(struct store *s, const struct filter *f, const struct keyset *k, enum part part,
                                const struct window_anchor *from, int backwards, long limit, struct db_stmt **st,
                                struct err *err)
{
	struct query q = {0};
	part_start(&q, k, part);
	buf_adds(&q.sql, s->brief ? COLUMNS_BRIEF_SQL : COLUMNS_SQL);
	buf_adds(&q.sql, ", ");
	q_key(s, &q, k);
	q_from_where(s, &q, f, 1);
	part_where(s, &q, k, part, from, backwards);
	part_order(s, &q, k, part, backwards);
	buf_adds(&q.sql, " LIMIT ");
	q_int(&q, limit);
	enum status rc = q_prepare_db(s, &q, st, err);
	q_free(&q);
	return rc;
}

/* A window being read part by part: skip rows, then keep limit (forwards: handed over;
 * backwards: collected, handed over in list order at the end). */
struct keyset_read {
	struct window_cache *w;
	long offset, skip, limit, n;
	int backwards, stop;
	struct action *rows;
	store_action_fn fn;
	void *ctx;
};

static enum status agency_parts_read(struct store *s, const struct filter *f, const struct keyset *k,
                                     enum part part, const struct window_anchor *from, struct keyset_read *r,
                                     struct err *err);

static enum status keyset_part_read(struct store *s, const struct filter *f, const struct keyset *k,
                                    enum part part, const struct window_anchor *from, struct keyset_read *r,
                                    struct err *err)
{
	if (s->pg && k == &KEYSET[SORT_AGENCY] && (part == PART_BEYOND || part == PART_REST))
		return agency_parts_read(s, f, k, part, from, r, err);
	struct db_stmt *dst;
	if (keyset_query(s, f, k, part, from, r->backwards, r->skip + r->limit - r->n, &dst, err) != OK)
		return ERR_DB;
	int last = part_is_last(part);
	enum db_step step = DB_DONE;
	while (!r->stop && r->n < r->limit && (step = db_step(dst, err)) == DB_ROW) {
		if (r->skip > 0) {
			r->skip--;
			continue;
		}
		struct action a;
		row_view(s, dst, &a);
		long at = r->backwards ? r->offset + (r->limit - 1 - r->n) : r->offset + r->n;
		if (r->n == 0 || r->n == r->limit - 1)
			window_remember(r->w, at, dst, a.id, k, last);
		if (r->backwards)
			action_copy(&r->rows[r->n], &a);
		else
			r->stop = r->fn(&a, r->ctx);
		r->n++;
	}
	enum status rc = (r->stop || r->n == r->limit || step != DB_ERROR) ? OK : store_db_fail(s, err, "reading actions");
	db_finalize(dst);
	return rc;
}

/* On a server the agency sort's parts that span agencies (all of them, or those beyond
 * the anchor's) are read an agency at a time, in name order (PART_ONE each): the
 * server keeps no order across the join and sorted every matching action for each
 * window (100,000 actions: 207-243 ms a key); one agency's actions are a range of
 * action_agency.  Agencies without actions are not asked. */
static enum status agency_parts_read(struct store *s, const struct filter *f, const struct keyset *k,
                                     enum part part, const struct window_anchor *from, struct keyset_read *r,
                                     struct err *err)
{
	int key_down = r->backwards != k->desc;
	struct query q = {0};
	buf_adds(&q.sql, "SELECT ag.name FROM agency ag WHERE EXISTS (SELECT 1 FROM action a WHERE a.agency_id = ag.id)");
	if (s->lens_agency) {
		buf_adds(&q.sql, " AND ag.id = ");
		q_int(&q, s->lens_agency);
	}
	if (part == PART_BEYOND) {
		buf_printf(&q.sql, " AND ag.name %s ", key_down ? "<" : ">");
		q_anchor_value(&q, from);
	}
	buf_printf(&q.sql, " ORDER BY ag.name%s", key_down ? " DESC" : "");
	struct db_stmt *st;
	enum status rc = q_prepare_db(s, &q, &st, err);
	q_free(&q);
	if (rc != OK)
		return rc;
	char **names = NULL;
	size_t n = 0;
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW) {
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = db_col_dup(st, 0);
	}
	db_finalize(st);
	if (step == DB_ERROR)
		rc = store_db_fail(s, err, "reading agencies");
	for (size_t i = 0; rc == OK && i < n && r->n < r->limit && !r->stop; i++) {
		struct window_anchor one = { .value = names[i] };
		rc = keyset_part_read(s, f, k, PART_ONE, &one, r, err);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* Under a keyset: the window read from an anchor or an end, one index range after
 * another, in one snapshot; NULL plan.from with a far offset falls back to the ids path. */
static enum status keyset_window_read(struct store *s, const struct filter *f, const struct keyset *k,
                                      struct window_cache *w, const struct window_plan *p, long offset,
                                      store_action_fn fn, void *ctx, struct err *err)
{
	struct keyset_read r = { w, offset, p->skip, p->limit, 0, p->backwards, 0, NULL, fn, ctx };
	if (r.backwards)
		r.rows = xcalloc((size_t)r.limit + 1, sizeof *r.rows);
	struct db *db = store_db(s);
	int own = !db_in_transaction(db);
	enum status rc = own ? db_exec(db, db_frag(db, DF_BEGIN_READ), err) : OK;
	if (rc != OK)
		rc = store_db_fail(s, err, "beginning a read");
	for (const enum part *part = keyset_parts(k, p->from, r.backwards);
	     rc == OK && *part != PART_END && r.n < r.limit && !r.stop; part++)
		if (k->last || (*part != PART_LAST && *part != PART_LAST_BEYOND))
			rc = keyset_part_read(s, f, k, *part, p->from, &r, err);
	if (own)
		db_exec(db, "COMMIT", NULL);
	for (long i = r.n - 1; r.rows && i >= 0; i--) {
		if (!r.stop && rc == OK)
			r.stop = fn(&r.rows[i], ctx);
		action_clear(&r.rows[i]);
	}
	free(r.rows);
	return rc;
}

/* Rows from offset to the end in one statement, for orders SQLite reads without sorting:
 * the default (the sort_key index) and ID order (the table itself, as export uses).  In
 * ID order the filter picks the ids in a subquery (through its indexes, into a sorted
 * list SQLite then walks in order): written as one plain query, SQLite scanned every row
 * in ID order rather than sort (export --rag red of 1M actions: 1.36 s; this: 0.3 s). */
static enum status offset_read(struct store *s, const struct filter *f, long offset, store_action_fn fn,
                               void *ctx, struct err *err)
{
	struct query q = {0};
	buf_adds(&q.sql, s->brief ? COLUMNS_BRIEF_SQL : COLUMNS_SQL);
	if (f->nsort == 0) {
		q_from_where(s, &q, f, 1);
		q_order_window(s, &q, f, offset, -1);
	} else {
		buf_adds(&q.sql, s->brief ? FROM_BRIEF : FROM);
		buf_adds(&q.sql, " WHERE a.id IN (SELECT a.id");
		q_from_where_as(s, &q, f, 1, 1);
		buf_adds(&q.sql, ") ORDER BY a.id LIMIT ");
		q_limit(s, &q, -1);
		buf_adds(&q.sql, " OFFSET ");
		q_int(&q, offset);
	}
	struct db_stmt *st;
	enum status rc = q_prepare_db(s, &q, &st, err);
	q_free(&q);
	if (rc != OK)
		return rc;
	struct action a;
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW) {
		row_view(s, st, &a);
		if (fn(&a, ctx))
			break;
	}
	if (step == DB_ERROR)
		rc = store_db_fail(s, err, "reading actions");
	db_finalize(st);
	return rc;
}

static enum status ids_matching(struct store *s, const struct filter *f, long offset, long limit, int64_t **ids,
                                long *n, struct err *err);
static enum status rows_by_id(struct store *s, const int64_t *ids, long n, store_action_fn fn, void *ctx,
                              struct err *err);
static enum status sorted_read(struct store *s, const struct filter *f, long offset, long limit,
                               store_action_fn fn, void *ctx, struct err *err);

/* Sorted or ranked: sort the ids alone (a sort of whole rows spills long texts to a
 * temporary file), then read just those rows in full, both in one snapshot. */
static enum status sorted_read(struct store *s, const struct filter *f, long offset, long limit,
                               store_action_fn fn, void *ctx, struct err *err)
{
	/* SQLite: one snapshot (and lock) unless a transaction is open; PostgreSQL: the
	 * statements run one by one otherwise (the CLI's reads open none) */
	int own = s->db ? sqlite3_get_autocommit(s->db) : 1;
	if (own && db_exec(store_db(s), s->db ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
	                   err) != OK)
		return ERR_DB;
	int64_t *ids;
	long n;
	enum status rc = ids_matching(s, f, offset, limit, &ids, &n, err);
	if (rc == OK)
		rc = rows_by_id(s, ids, n, fn, ctx, err);
	free(ids);
	if (own)
		db_exec(store_db(s), "COMMIT", NULL);
	return rc;
}

/* Does f ask for every action (withdrawn ones left out, as by default), only sorted? */
static int whole_sorted(struct store *s, const struct filter *f)
{
	struct filter plain = *f;      /* shallow: only read */
	plain.withdrawn = FILTER_WITHDRAWN_OUT;
	return !filter_active(&plain) && !s->lens_agency;
}

enum status store_each(struct store *s, const struct filter *f, long offset, long limit, store_action_fn fn,
                       void *ctx, struct err *err)
{
	if (offset < 0)
		offset = 0;
	if (xread_load(s, err) != OK)
		return ERR_DB;
	/* One statement when SQLite reads the order without sorting: the default order, or ID
	 * order (export's). */
	int by_id = f->nsort == 1 && f->sort[0] == SORT_ID && str_empty(f->search);
	/* The whole list --changed-since in the default order: its ids sorted from
	 * action_by_updated alone, then each row read once (sorting whole rows spilled them
	 * to a temporary file: most of its time). */
	int changed = !f->nsort && str_empty(f->search) && !str_empty(f->changed_since) && limit < 0;
	if (limit < 0 && ((!f->nsort && str_empty(f->search) && !changed) || by_id))
		return offset_read(s, f, offset, fn, ctx, err);
	if (!s->db && limit < 0)     /* PostgreSQL: whole sorted lists by their ids, windows by key */
		return sorted_read(s, f, offset, limit, fn, ctx, err);
	if (!f->nsort && str_empty(f->search) && !changed)
		return window_read(s, f, offset, limit, fn, ctx, err);
	const struct keyset *k = keyset_for(s, f);
	if (k && limit > 0) {            /* a window near an anchor or an end: by key */
		struct window_cache *w = window_for(s, f);
		if (offset > 2 * limit && w->count < 0 && store_count(s, f, &w->count, err) != OK)
			return ERR_DB;
		struct window_plan p = store_window_plan(w, offset, limit);
		if (p.skip > 2 * limit && offset > 0) {
			if (window_seek(s, f, k, w, offset - 1, err) != OK)
				return ERR_DB;
			p = store_window_plan(w, offset, limit);
		}
		if (p.skip <= 2 * limit)
			return keyset_window_read(s, f, k, w, &p, offset, fn, ctx, err);
	}
	/* The whole list under one sort and no filter (list --sort target): each group read
	 * through the sort's index in one statement, not every id sorted and then each row
	 * read on its own (a million single-row reads). */
	if (k && limit < 0 && whole_sorted(s, f)) {
		struct window_plan whole = { .from = NULL, .skip = offset, .limit = LONG_MAX };
		return keyset_window_read(s, f, k, window_for(s, f), &whole, 0, fn, ctx, err);
	}
	return sorted_read(s, f, offset, limit, fn, ctx, err);
}

enum status store_each_brief(struct store *s, const struct filter *f, long offset, long limit, store_action_fn fn,
                             void *ctx, struct err *err)
{
	s->brief = 1;
	enum status rc = store_each(s, f, offset, limit, fn, ctx, err);
	s->brief = 0;
	return rc;
}

/* A filter on RAG, agency, review and overdue only: rag_count answers it without reading
 * every action it counts. */
static int filter_summarised(const struct filter *f)
{
	return str_empty(f->search) && str_empty(f->finding) && str_empty(f->question) && str_empty(f->lead) &&
	       str_empty(f->changed_since) && f->due_within < 0 && f->stale < 0 && f->withdrawn != FILTER_WITHDRAWN_ONLY;
}

/* The rows summary_query adds up, as (review_id, agency_id, rag, n): rag_count's totals,
 * less the withdrawn (their own index) unless they are asked for.  Overdue: the totals'
 * actions with a target date, less those not yet due (action_target's range from today:
 * the plans still running, not the million behind them) and not Blue. */
static void summary_rows(struct store *s, struct query *q, const struct filter *f)
{
	struct db *db = store_db(s);
	int subtract = f->withdrawn == FILTER_WITHDRAWN_OUT && has_withdrawn(s);
	const char *today = util_today();
	buf_printf(&q->sql, "SELECT review_id, agency_id, rag, %s AS n FROM rag_count%s", f->overdue ? "dated" : "n",
	           f->overdue ? " WHERE rag <> 4" : "");
	if (f->overdue) {
		/* a row each, added up outside: grouped here, SQLite would walk action_review
		 * for its order rather than the range */
		buf_printf(&q->sql, " UNION ALL SELECT review_id, %s(agency_id, 0), rag, -1 FROM action"
		                    " WHERE target_date >= ", db_frag(db, DF_IFNULL));
		q_text(q, today);
		buf_adds(&q->sql, " AND rag <> 4");
	}
	if (subtract) {
		buf_printf(&q->sql, " UNION ALL SELECT review_id, %s(agency_id, 0), rag, -count(*) FROM action"
		                    " WHERE withdrawn = 1", db_frag(db, DF_IFNULL));
		if (f->overdue) {
			buf_adds(&q->sql, " AND target_date < ");
			q_text(q, today);
			buf_adds(&q->sql, " AND rag <> 4");
		}
		buf_adds(&q->sql, " GROUP BY 1, 2, 3");
	}
}

/* Counts per RAG state from rag_count (RAG condition left out, as store_rag_counts), per
 * group when group names rag_count's column (review_id or agency_id; no agency is 0):
 * rows of (group or NULL, rag, count), prepared into *st; several rows of one group and
 * state add up.  SQLite's are rag_count's own rows, added up by the caller: grouped in
 * SQL, their tens of thousands at 1M actions went through a temporary B-tree first (the
 * first screen at 1M: 46 -> 20 ms of CPU).  PostgreSQL groups them (a hash aggregate)
 * and sends a row per group and state. */
static enum status summary_query(struct store *s, const struct filter *f, const char *group, struct db_stmt **st,
                                 struct err *err)
{
	struct query q = {0};
	struct db *db = store_db(s);
	int pg = db_engine(db) == DB_PG;
	buf_printf(&q.sql, "SELECT %s%s, rag, %s FROM (", group ? "c." : "", group ? group : "NULL", pg ? "sum(n)" : "n");
	summary_rows(s, &q, f);
	buf_printf(&q.sql, ") c WHERE %s", db_frag(db, DF_TRUE));
	if (!str_empty(f->review)) {
		buf_adds(&q.sql, " AND c.review_id = (SELECT id FROM review WHERE ");
		q_frag_text(s, &q, DF_NOCASE_EQ, "name", f->review);
		buf_adds(&q.sql, ")");
	}
	if (s->lens_agency) {
		buf_adds(&q.sql, " AND c.agency_id = ");
		q_int(&q, s->lens_agency);
	}
	if (f->nagencies) {
		buf_adds(&q.sql, " AND c.agency_id IN (");
		for (size_t i = 0; i < f->nagencies; i++) {
			buf_adds(&q.sql, i ? ", " : "");
			int64_t id = store_agency_find(s, f->agencies[i]);
			q_int(&q, id ? id : -1);
		}
		buf_adds(&q.sql, ")");
	}
	if (pg)
		buf_adds(&q.sql, " GROUP BY 1, 2");
	enum status rc = q_prepare_db(s, &q, st, err);
	q_free(&q);
	return rc;
}

static enum status summary_counts(struct store *s, const struct filter *f, long counts[RAG_COUNT], struct err *err)
{
	struct db_stmt *st;
	if (summary_query(s, f, NULL, &st, err) != OK)
		return ERR_DB;
	memset(counts, 0, RAG_COUNT * sizeof *counts);
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW) {
		int r = (int)db_col_int(st, 1);
		if (r >= 0 && r < RAG_COUNT)
			counts[r] += (long)db_col_int(st, 2);
	}
	db_finalize(st);
	return step == DB_ERROR ? store_db_fail(s, err, "counting actions") : OK;
}

/* The highest id of agency or review (0 when none, -1 on error). */
static int64_t group_max_id(struct store *s, enum store_group by)
{
	struct db *db = store_db(s);
	char *sql = xasprintf("SELECT %s(max(id), 0) FROM %s", db_frag(db, DF_IFNULL), by == GROUP_AGENCY ? "agency" : "review");
	int64_t max = db_scalar_int(db, sql, 0, -1);
	free(sql);
	return max;
}

/* Counted here, not by GROUP BY: SQLite would sort every matching row by group
 * (overdue at 1M actions: 0.7 s of CPU); the rows are found through the filter's
 * index, which holds both groups (action_target).  Ids are dense: one slot each.
 * PostgreSQL adds them up itself (a hash aggregate, no sort) and sends a row per group
 * and state, rather than every matching row. */
static enum status group_rows_count(struct store *s, const struct filter *f, enum store_group by, const char *group,
                                    store_count_fn fn, void *ctx, struct err *err)
{
	int64_t max = group_max_id(s, by);
	if (max < 0)
		return store_db_fail(s, err, "counting actions per group");
	int pg = db_engine(store_db(s)) == DB_PG;
	struct query q = {0};
	q.unranked = 1;
	buf_printf(&q.sql, "SELECT %s(a.%s, 0), a.rag%s", db_frag(store_db(s), DF_IFNULL), group, pg ? ", count(*)" : "");
	q_from_where_as(s, &q, f, 0, 1);
	if (pg)
		buf_adds(&q.sql, " GROUP BY 1, 2");
	struct db_stmt *st;
	enum status rc = q_prepare_db(s, &q, &st, err);
	q_free(&q);
	if (rc != OK)
		return rc;
	long (*n)[RAG_COUNT] = xcalloc((size_t)max + 1, sizeof *n);
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		int r = (int)db_col_int(st, 1);
		if (id >= 0 && id <= max && r >= 0 && r < RAG_COUNT)
			n[id][r] += pg ? (long)db_col_int(st, 2) : 1;
	}
	rc = step == DB_DONE ? OK : store_db_fail(s, err, "counting actions per group");
	db_finalize(st);
	for (int64_t id = 0; rc == OK && id <= max; id++)
		for (int r = 0; r < RAG_COUNT; r++)
			if (n[id][r])
				fn(ctx, id, r, n[id][r]);
	free(n);
	return rc;
}

enum status store_rag_counts_by(struct store *s, const struct filter *f, enum store_group by, store_count_fn fn,
                                void *ctx, struct err *err)
{
	const char *group = by == GROUP_AGENCY ? "agency_id" : "review_id";
	if (!filter_summarised(f))
		return group_rows_count(s, f, by, group, fn, ctx, err);
	struct db_stmt *st;
	enum status rc = summary_query(s, f, group, &st, err);
	if (rc != OK)
		return rc;
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW)
		fn(ctx, db_col_int(st, 0), (int)db_col_int(st, 1), (long)db_col_int(st, 2));
	rc = step == DB_DONE ? OK : store_db_fail(s, err, "counting actions per group");
	db_finalize(st);
	return rc;
}

enum status store_count(struct store *s, const struct filter *f, long *n, struct err *err)
{
	struct window_cache *w = window_for(s, f);
	if (w->count >= 0) {
		*n = w->count;
		return OK;
	}
	enum status rc = count_matching(s, f, n, err);
	if (rc == OK)
		w->count = *n;
	return rc;
}

static enum status count_matching(struct store *s, const struct filter *f, long *n, struct err *err)
{
	struct window_cache *w = window_for(s, f);
	/* the browser counted per RAG state first: no second pass (nor a second read of
	 * rag_count: on a server at 1M actions, 4 ms of the first screen) */
	long counts[RAG_COUNT];
	if (!w->have_rag && filter_summarised(f) && store_rag_counts(s, f, counts, err) != OK)
		return ERR_DB;
	if (w->have_rag) {
		*n = 0;
		for (int r = 0; r < RAG_COUNT; r++)
			if (!f->rag_mask || (f->rag_mask & RAG_BIT(r)))
				*n += w->rag_counts[r];
		return OK;
	}
	struct query q = {0};
	q.unranked = 1;
	buf_adds(&q.sql, "SELECT count(*)");
	q_from_where_as(s, &q, f, 1, 1);
	struct db_stmt *st;
	enum status rc = q_prepare_db(s, &q, &st, err);
	q_free(&q);
	if (rc != OK)
		return rc;
	*n = 0;
	if (db_step(st, err) == DB_ROW)
		*n = db_col_int(st, 0);
	else
		rc = store_db_fail(s, err, "counting actions");
	db_finalize(st);
	return rc;
}

/* One pass over f's actions (RAG condition left out) adding up each RAG state, here
 * rather than by GROUP BY, which sorts the rows first, or by sums in SQL (overdue at
 * 1M actions: GROUP BY 0.36 s of CPU, five sums 0.35 s, this about 0.15 s).  On
 * PostgreSQL by GROUP BY (a hash aggregate): a row per state, not one per action. */
static enum status rag_sums(struct store *s, const struct filter *f, long counts[RAG_COUNT], struct err *err)
{
	int pg = db_engine(store_db(s)) == DB_PG;
	struct query q = {0};
	q.unranked = 1;
	buf_adds(&q.sql, pg ? "SELECT a.rag, count(*)" : "SELECT a.rag");
	q_from_where_as(s, &q, f, 0, 1);
	if (pg)
		buf_adds(&q.sql, " GROUP BY a.rag");
	struct db_stmt *st;
	enum status rc = q_prepare_db(s, &q, &st, err);
	q_free(&q);
	if (rc != OK)
		return rc;
	memset(counts, 0, RAG_COUNT * sizeof *counts);
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW) {
		int r = (int)db_col_int(st, 0);
		if (r >= 0 && r < RAG_COUNT)
			counts[r] += pg ? (long)db_col_int(st, 1) : 1;
	}
	rc = step == DB_DONE ? OK : store_db_fail(s, err, "counting actions");
	db_finalize(st);
	return rc;
}

enum status store_rag_counts(struct store *s, const struct filter *f, long counts[RAG_COUNT], struct err *err)
{
	struct window_cache *w = window_for(s, f);
	if (!w->have_rag) {
		enum status rc = filter_summarised(f) ? summary_counts(s, f, w->rag_counts, err)
		                                      : rag_sums(s, f, w->rag_counts, err);
		if (rc != OK)
			return ERR_DB;
		w->have_rag = 1;
	}
	memcpy(counts, w->rag_counts, sizeof w->rag_counts);
	return OK;
}

/* Position by counting the rows before it in the default order (an index range). */
static enum status position_by_key(struct store *s, const struct filter *f, int64_t id, long *pos, struct err *err)
{
	*pos = -1;
	for (int part = 0; part < 2; part++) {       /* is it in the list; then how many before it */
		struct query q = {0};
		buf_adds(&q.sql, "SELECT count(*)");
		q_from_where_as(s, &q, f, 1, 1);
		q_also(&q);
		if (part == 0) {
			buf_adds(&q.sql, "a.id = ");
			q_int(&q, id);
		} else {
			buf_adds(&q.sql, "(a.sort_key, a.id) < ((SELECT sort_key FROM action WHERE id = ");
			q_int(&q, id);
			buf_adds(&q.sql, "), ");
			q_int(&q, id);
			buf_adds(&q.sql, ")");
		}
		struct db_stmt *st;
		enum status rc = q_prepare_db(s, &q, &st, err);
		q_free(&q);
		if (rc != OK)
			return rc;
		enum db_step step = db_step(st, err);
		long n = step == DB_ROW ? (long)db_col_int(st, 0) : 0;
		db_finalize(st);
		if (step == DB_ERROR)
			return store_db_fail(s, err, "finding an action in the list");
		if (part == 0 && n == 0)
			return OK;
		if (part == 1)
			*pos = n;
	}
	return OK;
}

/* Add word w to words (a copy), unless it is empty or there already. */
static void words_add_marked_word(const char *w, char ***words, size_t *n)
{
	int seen = 0;
	for (size_t i = 0; i < *n && !seen; i++)
		seen = str_casecmp((*words)[i], w) == 0;
	if (seen || !*w)
		return;
	*words = xrealloc(*words, (*n + 1) * sizeof **words);
	(*words)[(*n)++] = xstrdup(w);
}

/* Add the marked stretches (between \x01 and \x02) of marked to words, once each. */
static void words_add_marked(const char *marked, char ***words, size_t *n)
{
	for (const char *p = marked ? strchr(marked, '\x01') : NULL; p; p = strchr(p, '\x01')) {
		const char *end = strchr(++p, '\x02');
		if (!end)
			break;
		char *w = xstrndup(p, (size_t)(end - p));
		words_add_marked_word(w, words, n);
		free(w);
		p = end + 1;
	}
}

static void words_free(char **words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(words[i]);
	free(words);
}

/* ids[0..n) into sql as "1,2,3", numbers in the text, not parameters: a window's or a
 * chunk's ids are more than the driver's 64. */
static void sql_ids(struct buf *sql, const int64_t *ids, long n)
{
	for (long i = 0; i < n; i++)
		buf_printf(sql, "%s%lld", i ? "," : "", (long long)ids[i]);
}

/* Hand the words gathered for action id to fn (when there are any) and start afresh. */
static void words_flush(store_words_fn fn, void *ctx, int64_t id, char ***words, size_t *n)
{
	if (*n)
		fn(ctx, id, *words, *n);
	words_free(*words, *n);
	*words = NULL;
	*n = 0;
}

/* The server's marks for the actions ids[0..n): ts_headline over each searched text
 * (text_only: the action's own text) folded as its vector was (rt_fold), every match
 * marked (HighlightAll), the same \x01 ... \x02 as FTS5's; the rows in action order, fn
 * told once per action. */
static enum status pg_search_words(struct store *s, const char *search, const int64_t *ids, size_t n,
                                   int text_only, store_words_fn fn, void *ctx, struct err *err)
{
	struct query q = {0};
	buf_adds(&q.sql, "SELECT a.id, ts_headline('ragtrack.rt_search', rt_fold(c.v), p.tq, p.o) FROM (SELECT ");
	pg_tsquery(&q, search);
	buf_adds(&q.sql, " AS tq, 'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', HighlightAll=true' AS o) p, action a");
	if (text_only)
		buf_adds(&q.sql, ", LATERAL (VALUES (a.text)) c(v) WHERE a.search @@ p.tq AND a.id IN (");
	else
		buf_adds(&q.sql, " JOIN question q ON q.id = a.question_id JOIN response rs ON rs.id = a.response_id,"
		                 " LATERAL (VALUES (q.text), (rs.text), (a.text), (a.evidence),"
		                 " ((SELECT string_agg(nt.text, E'\n' ORDER BY nt.id) FROM note nt WHERE nt.action_id = a.id)),"
		                 " (a.extra)) c(v) WHERE a.search @@ p.tq AND a.id IN (");
	sql_ids(&q.sql, ids, (long)n);
	buf_adds(&q.sql, ") ORDER BY a.id");
	struct db_stmt *st;
	enum status rc = q_prepare_db(s, &q, &st, err);
	q_free(&q);
	if (rc != OK)
		return rc;
	enum db_step step;
	char **words = NULL;
	size_t nwords = 0;
	int64_t at = 0;
	while ((step = db_step(st, err)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		if (id != at)                         /* the last action's rows are all in */
			words_flush(fn, ctx, at, &words, &nwords);
		at = id;
		words_add_marked(db_col_text(st, 1), &words, &nwords);
	}
	if (step == DB_DONE)
		words_flush(fn, ctx, at, &words, &nwords);
	words_free(words, nwords);
	db_finalize(st);
	return step == DB_ERROR ? store_db_fail(s, err, "finding the words a search matched") : OK;
}

/* pg_search_words' callback for one action: its words kept for the caller. */
struct words_one { char ***words; size_t *n; };
static void words_keep(void *ctx, int64_t id, char **words, size_t nwords)
{
	struct words_one *o = ctx;
	(void)id;
	for (size_t i = 0; i < nwords; i++)
		words_add_marked_word(words[i], o->words, o->n);
}

/* The words search matched in action id's searched texts (text_only: its own text),
 * into *words (see store_search_words). */
static enum status search_words(struct store *s, const char *search, int64_t id, int text_only, char ***words,
                                size_t *n, struct err *err)
{
	*words = NULL;
	*n = 0;
	if (str_empty(search))
		return OK;
	if (!s->db) {
		struct words_one o = { words, n };
		return pg_search_words(s, search, &id, 1, text_only, words_keep, &o, err);
	}
	sqlite3_stmt *st;
	enum status rc = store_prepare(s, &st, text_only
	                               ? "SELECT highlight(action_fts, 2, char(1), char(2))"
	                                 " FROM action_fts WHERE action_fts MATCH ?1 AND rowid = ?2"
	                               : "SELECT highlight(action_fts, 0, char(1), char(2)), highlight(action_fts, 1, char(1), char(2)),"
	                                 " highlight(action_fts, 2, char(1), char(2)), highlight(action_fts, 3, char(1), char(2)),"
	                                 " highlight(action_fts, 4, char(1), char(2)), highlight(action_fts, 5, char(1), char(2))"
	                                 " FROM action_fts WHERE action_fts MATCH ?1 AND rowid = ?2", err);
	if (rc != OK)
		return rc;
	char *phrase = fts_phrase(search);
	sqlite3_bind_text(st, 1, phrase, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id);
	free(phrase);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		for (int c = 0; c < sqlite3_column_count(st); c++)
			words_add_marked((const char *)sqlite3_column_text(st, c), words, n);
	enum status result = step == SQLITE_ROW || step == SQLITE_DONE ? OK : store_fail(s, err, "finding the words a search matched");
	sqlite3_finalize(st);
	return result;
}

enum status store_search_words(struct store *s, const char *search, int64_t id, char ***words, size_t *n,
                               struct err *err)
{
	return search_words(s, search, id, 0, words, n, err);
}

enum status store_search_words_each(struct store *s, const char *search, const int64_t *ids, size_t n,
                                    store_words_fn fn, void *ctx, struct err *err)
{
	if (str_empty(search) || !n)
		return OK;
	if (!s->db)
		return pg_search_words(s, search, ids, n, 1, fn, ctx, err);
	enum status rc = OK;
	for (size_t i = 0; rc == OK && i < n; i++) {       /* in process: one cheap statement each */
		char **words;
		size_t nwords;
		rc = search_words(s, search, ids[i], 1, &words, &nwords, err);
		if (rc == OK && nwords)
			fn(ctx, ids[i], words, nwords);
		if (rc == OK)
			words_free(words, nwords);
	}
	return rc;
}

enum status store_position(struct store *s, const struct filter *f, int64_t id, long *pos, struct err *err)
{
	if (!f->nsort && str_empty(f->search))
		return position_by_key(s, f, id, pos, err);
	int64_t *ids;                  /* the order store_each reads in, by construction */
	long n;
	enum status rc = ids_matching(s, f, 0, -1, &ids, &n, err);
	*pos = -1;
	for (long i = 0; rc == OK && i < n && *pos < 0; i++)
		if (ids[i] == id)
			*pos = i;
	free(ids);
	return rc;
}

static void action_copy(struct action *dst, const struct action *src)
{
	*dst = *src;
#define DUP_STRING(m) dst->m = xstrdup(src->m);
	ACTION_STRINGS(DUP_STRING)
#undef DUP_STRING
	dst->extra = NULL;
	dst->nextra = 0;
	if (src->nextra) {
		const char **v = xcalloc(2 * src->nextra, sizeof *v);
		for (size_t i = 0; i < src->nextra; i++) {
			v[i] = src->extra[i].name;
			v[src->nextra + i] = src->extra[i].value;
		}
		action_set_extras(dst, src->nextra, v, v + src->nextra);
		free(v);
	}
}

enum status store_get(struct store *s, int64_t id, struct action *a, struct err *err)
{
	if (xread_load(s, err) != OK)
		return ERR_DB;
	struct query q = {0};
	buf_adds(&q.sql, COLUMNS_SQL);
	buf_adds(&q.sql, FROM);
	buf_adds(&q.sql, " WHERE a.id = ");
	q_int(&q, id);
	if (s->lens_agency) {
		buf_adds(&q.sql, " AND a.agency_id = ");
		q_int(&q, s->lens_agency);
	}
	struct db_stmt *st;
	enum status rc = q_prepare_db(s, &q, &st, err);
	q_free(&q);
	if (rc != OK)
		return rc;
	action_init(a);
	if (db_step(st, NULL) == DB_ROW) {
		struct action view;
		row_view(s, st, &view);
		action_copy(a, &view);
	} else {
		rc = err_set(err, ERR_NOT_FOUND, "no action %lld%s%s", (long long)id,
		             s->lens_name ? " for " : "", s->lens_name ? s->lens_name : "");
	}
	db_finalize(st);
	return rc;
}

/* ---- checking names a user typed ------------------------------------------------ */

/* Does sql (one text parameter) find a row for value? */
static int name_exists(struct store *s, const char *sql, const char *value)
{
	struct db_stmt *st;
	if (db_prepare(store_db(s), sql, &st, NULL) != OK)
		return 1;
	db_bind_text(st, 1, value);
	int found = db_step(st, NULL) == DB_ROW;
	db_finalize(st);
	return found;
}

/* name_exists for a row of table whose column col (or col2, when not NULL) equals
 * value as NOCASE compares. */
static int name_exists_nocase(struct store *s, const char *table, const char *col, const char *col2,
                              const char *value)
{
	const char *eq = db_frag(store_db(s), DF_NOCASE_EQ);
	struct buf sql = {0};
	buf_printf(&sql, "SELECT 1 FROM %s WHERE ", table);
	buf_printf(&sql, eq, col, col2 ? "?1" : "?");
	if (col2) {
		buf_adds(&sql, " OR ");
		buf_printf(&sql, eq, col2, "?1");
	}
	int found = name_exists(s, sql.s, value);
	buf_free(&sql);
	return found;
}

/* "no agency 'Polce'; did you mean 'Police'?" or the list of valid names. */
static enum status name_missing(struct store *s, const char *kind, const char *value, const char *list_sql,
                                struct err *err)
{
	struct db_stmt *st;
	struct buf all = {0};
	char *best = NULL;
	size_t best_d = (size_t)-1;
	int n = 0;
	if (db_prepare(store_db(s), list_sql, &st, NULL) == OK) {
		while (db_step(st, NULL) == DB_ROW) {
			const char *name = db_col_text(st, 0);
			if (!name || !*name)
				continue;
			size_t d = str_distance(value, name);
			if (d < best_d) {
				best_d = d;
				free(best);
				best = xstrdup(name);
			}
			if (n++ < 25)
				buf_printf(&all, "%s'%s'", n > 1 ? ", " : "", name);
		}
		db_finalize(st);
	}
	size_t len = strlen(value);
	if (best && best_d <= (len > 6 ? len / 3 : 2))
		err_set(err, ERR_NOT_FOUND, "no %s '%s'; did you mean '%s'?", kind, value, best);
	else if (n)
		err_set(err, ERR_NOT_FOUND, "no %s '%s'; there %s %s%s", kind, value, n == 1 ? "is" : "are",
		        all.s, n > 25 ? ", ..." : "");
	else
		err_set(err, ERR_NOT_FOUND, "no %s '%s': the database has none", kind, value);
	free(best);
	buf_free(&all);
	return ERR_NOT_FOUND;
}

enum status store_filter_check(struct store *s, const struct filter *f, struct err *err)
{
	if (store_search_check(f->search, err) != OK)
		return ERR_INVALID;
	for (size_t i = 0; i < f->nagencies; i++)
		if (!store_agency_find(s, f->agencies[i]))
			return name_missing(s, "agency", f->agencies[i],
			                    "SELECT name FROM agency UNION SELECT alias FROM agency_alias ORDER BY 1", err);
	if (!str_empty(f->review) && !name_exists_nocase(s, "review", "name", NULL, f->review))
		return name_missing(s, "review", f->review, "SELECT name FROM review ORDER BY name", err);
	if (!str_empty(f->finding) &&
	    !name_exists_nocase(s, "finding", "ref", "key", f->finding))
		return name_missing(s, "finding", f->finding,
		                    "SELECT DISTINCT ref FROM finding WHERE ref <> '' ORDER BY length(ref), ref", err);
	if (!str_empty(f->question) && !name_exists_nocase(s, "question", "ref", NULL, f->question))
		return name_missing(s, "question", f->question, s->db
		                    ? "SELECT DISTINCT ref FROM question WHERE ref <> '' ORDER BY sort_key"
		                    /* PostgreSQL orders DISTINCT rows by what they select only */
		                    : "SELECT ref FROM question WHERE ref <> '' GROUP BY ref ORDER BY min(sort_key), ref", err);
	return OK;
}

/* ---- the filter as a subquery, for other store files ------------------------------ */

/* The named parameter at p (":name", not part of a "::" cast) among params, or NULL. */
static const struct store_param *param_at(const char *p, const struct store_param *params, int n)
{
	if (p[0] != ':' || p[1] == ':')
		return NULL;
	for (int i = 0; i < n; i++) {
		size_t len = strlen(params[i].name);
		char next = p[1 + len];
		if (strncmp(p + 1, params[i].name, len) == 0 && !(next == '_' || (next >= 'a' && next <= 'z') ||
		                                                  (next >= '0' && next <= '9')))
			return &params[i];
	}
	return NULL;
}

/* after into q, each named parameter (outside quotes) a placeholder bound to its value:
 * every occurrence a plain ?, numbered after the filter's by both engines. */
static void q_add_named(struct query *q, const char *after, const struct store_param *params, int n)
{
	char quote = 0;
	for (const char *p = after; *p; p++) {
		const struct store_param *v = quote ? NULL : param_at(p, params, n);
		if (v) {
			if (v->is_int)
				q_int(q, v->i);
			else
				q_text(q, v->text);
			p += strlen(v->name);
			continue;
		}
		if (quote && *p == quote)
			quote = 0;
		else if (!quote && (*p == '\'' || *p == '"'))
			quote = *p;
		buf_addc(&q->sql, *p);
	}
}

enum status store_prepare_matching(struct store *s, const struct filter *f, const char *before, const char *after,
                                   const struct store_param *params, int nparams, struct db_stmt **st,
                                   struct err *err)
{
	struct query q = {0};
	buf_adds(&q.sql, before ? before : "");
	buf_adds(&q.sql, "SELECT a.id");
	q_from_where(s, &q, f, 1);
	q_add_named(&q, after ? after : "", params, nparams);
	enum status rc = q_prepare_db(s, &q, st, err);
	q_free(&q);
	return rc;
}

/* ---- sorted and ranked reads: ids first, then rows --------------------------------- */

/* A search and nothing else (no condition, no sort, no agency lens). */
static int search_only(struct store *s, const struct filter *f)
{
	struct filter rest = *f;       /* shallow: only read */
	rest.search = NULL;
	return !str_empty(f->search) && !s->lens_agency && f->nsort == 0 && !filter_active(&rest) &&
	       s->db && !has_withdrawn(s);      /* SQLite's index alone (PostgreSQL: the join) */
}

/* The ids of the actions f matches, rows [offset, offset+limit) in order (limit < 0: to the end), read with
 * only the joins the filter needs; *ids is freed by the caller. */
static enum status ids_matching(struct store *s, const struct filter *f, long offset, long limit, int64_t **ids,
                                long *n, struct err *err)
{
	struct query q = {0};
	if (search_only(s, f)) {        /* the index's rowids are the action ids */
		char *phrase = fts_phrase(f->search);
		buf_adds(&q.sql, "SELECT rowid FROM action_fts WHERE action_fts MATCH ");
		q_text(&q, phrase);
		free(phrase);
		buf_adds(&q.sql, " ORDER BY rank, rowid LIMIT ");
		q_limit(s, &q, limit);
		buf_adds(&q.sql, " OFFSET ");
		q_int(&q, offset < 0 ? 0 : offset);
	} else {
		buf_adds(&q.sql, "SELECT a.id");
		q_from_where_as(s, &q, f, 1, 1);
		q_order_window(s, &q, f, offset, limit);
	}
	struct db_stmt *st;
	enum status rc = q_prepare_db(s, &q, &st, err);
	q_free(&q);
	size_t cap = limit >= 0 && limit < 4096 ? (size_t)limit + 1 : 4096;
	*ids = xcalloc(cap, sizeof **ids);
	*n = 0;
	if (rc != OK)
		return rc;
	enum db_step step = DB_DONE;
	while ((limit < 0 || *n < limit) && (step = db_step(st, err)) == DB_ROW) {
		if ((size_t)*n == cap)
			*ids = xrealloc(*ids, (cap *= 2) * sizeof **ids);
		(*ids)[(*n)++] = db_col_int(st, 0);
	}
	if (step == DB_ERROR)
		rc = store_db_fail(s, err, "reading actions");
	db_finalize(st);
	return rc;
}

/* On a server a round trip per row is most of a window's time: the rows of up to
 * ROWS_CHUNK ids in one statement, in ids' order (unnest WITH ORDINALITY).  1 in
 * *stopped when fn stopped. */
#define ROWS_CHUNK 1000
static enum status rows_by_id_pg(struct store *s, const int64_t *ids, long n, store_action_fn fn, void *ctx,
                                 int *stopped, struct err *err)
{
	struct query q = {0};
	buf_adds(&q.sql, s->brief ? COLUMNS_BRIEF_SQL : COLUMNS_SQL);
	buf_adds(&q.sql, s->brief ? FROM_BRIEF : FROM);
	buf_adds(&q.sql, " JOIN unnest('{");
	sql_ids(&q.sql, ids, n);
	buf_adds(&q.sql, "}'::bigint[]) WITH ORDINALITY AS k(id, n) ON k.id = a.id ORDER BY k.n");
	struct db_stmt *st = NULL;
	enum status rc = q_prepare_db(s, &q, &st, err);
	q_free(&q);
	enum db_step step = DB_DONE;
	while (rc == OK && (step = db_step(st, err)) == DB_ROW) {
		struct action a;
		row_view(s, st, &a);
		if (fn(&a, ctx)) {
			*stopped = 1;
			break;
		}
	}
	if (rc == OK && step == DB_ERROR)
		rc = store_db_fail(s, err, "reading actions");
	if (st)
		db_finalize(st);
	return rc;
}

static enum status rows_by_id(struct store *s, const int64_t *ids, long n, store_action_fn fn, void *ctx,
                              struct err *err)
{
	if (n == 0)
		return OK;
	if (s->pg) {
		enum status rc = OK;
		int stopped = 0;
		for (long i = 0; rc == OK && !stopped && i < n; i += ROWS_CHUNK)
			rc = rows_by_id_pg(s, ids + i, n - i < ROWS_CHUNK ? n - i : ROWS_CHUNK, fn, ctx, &stopped, err);
		return rc;
	}
	struct query q = {0};
	buf_adds(&q.sql, s->brief ? COLUMNS_BRIEF_SQL : COLUMNS_SQL);
	buf_adds(&q.sql, s->brief ? FROM_BRIEF : FROM);
	buf_adds(&q.sql, " WHERE a.id = ?");
	struct db_stmt *st = NULL;
	enum status rc = q_prepare_db(s, &q, &st, err);
	q_free(&q);
	for (long i = 0; rc == OK && i < n; i++) {
		db_reset(st);
		db_bind_int(st, 1, ids[i]);
		enum db_step step = db_step(st, err);
		if (step == DB_ROW) {
			struct action a;
			row_view(s, st, &a);
			if (fn(&a, ctx))
				break;
		} else if (step == DB_ERROR) {
			rc = store_db_fail(s, err, "reading actions");
		}
	}
	if (st)
		db_finalize(st);
	return rc;
}

/* ---- the extra fields of a list ---------------------------------------------------- */

struct extra_seen {
	const char **name;
	int *nth;
	size_t n, cap;
};

/* Hand fn review r's fields that earlier reviews did not have.  1 when fn stopped. */
static int extra_merge(const struct extra_read *x, size_t r, struct extra_seen *seen, store_extra_fn fn, void *ctx)
{
	size_t first = x->review[r].first;
	for (size_t i = 0; i < x->review[r].n; i++) {
		const char *name = x->name[first + i];
		int nth = 0, known = 0;
		for (size_t j = 0; j < i; j++)
			nth += strcmp(x->name[first + j], name) == 0;
		for (size_t k = 0; k < seen->n && !known; k++)
			known = seen->nth[k] == nth && strcmp(seen->name[k], name) == 0;
		if (known)
			continue;
		if (seen->n == seen->cap) {
			seen->cap = seen->cap ? seen->cap * 2 : 16;
			seen->name = xrealloc(seen->name, seen->cap * sizeof *seen->name);
			seen->nth = xrealloc(seen->nth, seen->cap * sizeof *seen->nth);
		}
		seen->name[seen->n] = name;
		seen->nth[seen->n++] = nth;
		if (fn(name, nth, ctx))
			return 1;
	}
	return 0;
}

/* Which reviews with extra fields have actions matching f: flags in used[]. */
static enum status extra_reviews_used(struct store *s, const struct filter *f, char *used, struct err *err)
{
	struct query q = {0};
	buf_adds(&q.sql, "SELECT DISTINCT review_id FROM action WHERE id IN (SELECT a.id");
	q_from_where(s, &q, f, 1);
	buf_adds(&q.sql, ")");
	struct db_stmt *st;
	enum status rc = q_prepare_db(s, &q, &st, err);
	q_free(&q);
	if (rc != OK)
		return ERR_DB;
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW) {
		long r = xread_review(s->xread, db_col_int(st, 0));
		if (r >= 0)
			used[r] = 1;
	}
	rc = step == DB_DONE ? OK : store_db_fail(s, err, "reading extra fields");
	db_finalize(st);
	return rc;
}

enum status store_extra_fields(struct store *s, const struct filter *f, store_extra_fn fn, void *ctx,
                               struct err *err)
{
	if (xread_load(s, err) != OK)
		return ERR_DB;
	struct extra_read *x = s->xread;
	if (!x->nreview)
		return OK;
	char *used = xcalloc(x->nreview, 1);
	enum status rc = OK;
	if (f && (filter_active(f) || s->lens_agency))
		rc = extra_reviews_used(s, f, used, err);
	else
		memset(used, 1, x->nreview);
	struct extra_seen seen = {0};
	for (size_t r = 0; rc == OK && r < x->nreview; r++)
		if (used[r] && extra_merge(x, r, &seen, fn, ctx))
			break;
	free(seen.name);
	free(seen.nth);
	free(used);
	return rc;
}

/* ---- long queries and other writers ------------------------------------------------ */

/* A statement of the full-text index is running (the test hook holds those). */
static int match_running(sqlite3 *db)
{
	for (sqlite3_stmt *st = sqlite3_next_stmt(db, NULL); st; st = sqlite3_next_stmt(db, st)) {
		const char *sql = sqlite3_sql(st);
		if (sql && sqlite3_stmt_busy(st) && strstr(sql, " MATCH "))
			return 1;
	}
	return 0;
}

/* SQLite's progress handler: non-zero interrupts the running statement. */
static int store_progress(void *ctx)
{
	struct store *s = ctx;
	if (!s->cancel)
		return 0;
	if (s->hold_match && match_running(s->db)) {
		/* a query made slow on purpose (screen tests): it runs until cancelled */
		while (!s->cancel(s->cancel_ctx)) {
			struct timespec ts = { 0, 10 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
		return 1;
	}
	return s->cancel(s->cancel_ctx);
}

void store_set_cancel(struct store *s, store_cancel_fn fn, void *ctx)
{
	s->cancel = fn;
	s->cancel_ctx = ctx;
	s->hold_match = fn && !str_empty(getenv("RAGTRACK_TEST_HOLD_MATCH"));
	if (!s->db) {            /* PostgreSQL: the driver asks it while the server works */
		db_set_cancel(s->pg, fn, ctx);
		return;
	}
	sqlite3_progress_handler(s->db, !fn ? 0 : s->hold_match ? 50 : 4000, fn ? store_progress : NULL, s);
}
