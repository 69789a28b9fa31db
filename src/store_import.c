/* store_import: adding and updating actions from spreadsheet rows.
 *
 * One transaction per import run.  Identity: review + question key + agency + seq,
 * where seq counts the rows of one question and agency within the run.  Each action
 * remembers a hash per field of what the spreadsheet said last time (import_sig), so a
 * re-import changes only what the spreadsheet changed and never undoes an edit made
 * in ragtrack since. */
#include "store_int.h"
#include "ragtrack/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum import_stmt {
	ST_REVIEW_GET, ST_REVIEW_ADD, ST_FINDING_GET, ST_FINDING_ADD, ST_FINDING_SET,
	ST_QUESTION_GET, ST_QUESTION_ADD, ST_QUESTION_SET, ST_AGENCY_ADD,
	ST_RESPONSE_GET, ST_RESPONSE_ADD, ST_RESPONSE_TOUCH,
	ST_ACTION_GET, ST_ACTION_ADD, ST_DIRTY_ACTION, ST_DIRTY_QUESTION, ST_DIRTY_RESPONSE,
	ST_UNINDEX_ACTION, ST_UNINDEX_QUESTION, ST_UNINDEX_RESPONSE, ST_ACTION_BY_ID,
	ST_SIDE_ACTION, ST_SIDE_QUESTION, ST_SIDE_RESPONSE,
	ST_EXTRA_FIELDS, ST_EXTRA_FIELD_ADD, ST_EXTRA_GET, ST_EXTRA_SET, ST_COUNT
};

/* Take indexed actions (id <= ?2: older than the run) out of the external-content
 * full-text index while their text is still what was indexed, once per run. */
#define UNINDEX_SQL(where) \
	"INSERT INTO action_fts(action_fts, rowid, question, response, action, evidence, notes, extra)" \
	" SELECT 'delete', id, question, response, action, evidence, notes, extra FROM action_fts_source" \
	" WHERE id IN (" where ") AND id <= ?2 AND id NOT IN (SELECT id FROM temp.fts_dirty)"

/* With a side index (store_fts_side.c): the new actions about to change, with the
 * values it indexed them with, once per run. */
#define SIDE_SQL(where) \
	"SELECT id, question, response, action, evidence, extra FROM action_fts_source" \
	" WHERE id IN (" where ") AND id NOT IN (SELECT id FROM temp.fts_dirty)"

static const char *const IMPORT_SQL[ST_COUNT] = {
	[ST_REVIEW_GET] = "SELECT id FROM review WHERE name = ?",
	[ST_REVIEW_ADD] = "INSERT INTO review(name, board, created_at) VALUES (?, ifnull(?, ''), ?)",
	[ST_FINDING_GET] = "SELECT id, title FROM finding WHERE review_id = ? AND key = ?",
	[ST_FINDING_ADD] = "INSERT INTO finding(review_id, key, ref, title) VALUES (?, ?, ?, ?)",
	[ST_FINDING_SET] = "UPDATE finding SET title = ? WHERE id = ?",
	[ST_QUESTION_GET] = "SELECT id, text, ifnull(finding_id, 0), sort_key FROM question WHERE review_id = ? AND key = ?",
	[ST_QUESTION_ADD] = "INSERT INTO question(review_id, finding_id, key, ref, sort_key, text) VALUES (?, ?, ?, ?, ?, ?)",
	[ST_QUESTION_SET] = "UPDATE question SET text = ?, finding_id = ? WHERE id = ?",
	[ST_AGENCY_ADD] = "INSERT INTO agency(name) VALUES (?)",
	[ST_RESPONSE_GET] = "SELECT id, run, run_rows, ifnull(pending, ''), text FROM response"
	                    " WHERE question_id = ? AND ifnull(agency_id, 0) = ?",
	[ST_RESPONSE_ADD] = "INSERT INTO response(question_id, agency_id, text, run, created_run, run_rows, pending)"
	                    " VALUES (?1, ?2, ?3, ?4, ?4, 1, ?5)",
	[ST_RESPONSE_TOUCH] = "UPDATE response SET run = ?, run_rows = ?, pending = ? WHERE id = ?",
	[ST_ACTION_GET] = "SELECT id, import_sig, text, rag, rag_raw, target_date, target_raw, evidence, lead,"
	                  " constraints, desired FROM action WHERE question_id = ? AND ifnull(agency_id, 0) = ? AND seq = ?",
	[ST_ACTION_ADD] = "INSERT INTO action(review_id, question_id, agency_id, response_id, seq, text, rag, rag_raw,"
	                  " target_date, target_raw, first_target_date, evidence, lead, constraints, desired, sort_key,"
	                  " import_sig, created_at, updated_at, touched_at, extra)"
	                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17, ?17, ?18)",
	/* existing actions whose indexed text changes: re-indexed in bulk at commit */
	[ST_DIRTY_ACTION] = "INSERT OR IGNORE INTO temp.fts_dirty SELECT ?1 WHERE ?1 <= ?2",
	[ST_DIRTY_QUESTION] = "INSERT OR IGNORE INTO temp.fts_dirty SELECT id FROM action WHERE question_id = ?1 AND id <= ?2",
	[ST_DIRTY_RESPONSE] = "INSERT OR IGNORE INTO temp.fts_dirty SELECT id FROM action WHERE response_id = ?1 AND id <= ?2",
	[ST_UNINDEX_ACTION] = UNINDEX_SQL("?1"),
	[ST_SIDE_ACTION] = SIDE_SQL("?1"),
	[ST_SIDE_QUESTION] = SIDE_SQL("SELECT id FROM action WHERE question_id = ?1"),
	[ST_SIDE_RESPONSE] = SIDE_SQL("SELECT id FROM action WHERE response_id = ?1"),
	[ST_ACTION_BY_ID] = "SELECT id, import_sig, text, rag, rag_raw, target_date, target_raw, evidence, lead,"
	                    " constraints, desired FROM action"
	                    " WHERE id = ?1 AND id <= ?4 AND question_id = ?2 AND ifnull(agency_id, 0) = ?3",
	[ST_UNINDEX_QUESTION] = UNINDEX_SQL("SELECT id FROM action WHERE question_id = ?1"),
	[ST_UNINDEX_RESPONSE] = UNINDEX_SQL("SELECT id FROM action WHERE response_id = ?1"),
	[ST_EXTRA_FIELDS] = "SELECT name FROM extra_field WHERE review_id = ? ORDER BY pos",
	[ST_EXTRA_FIELD_ADD] = "INSERT INTO extra_field(review_id, pos, name) VALUES (?, ?, ?)",
	[ST_EXTRA_GET] = "SELECT extra FROM action WHERE id = ?",
	[ST_EXTRA_SET] = "UPDATE action SET extra = ? WHERE id = ?",
};

/* Derived data during a run: the schema's triggers pause while meta holds 'import_run'
 * (set inside this transaction only); derived_settle indexes new actions and the changed
 * ones in temp.fts_dirty in two bulk statements, and recounts rag_count, before commit. */
static const char FTS_DEFER_SQL[] =
	"PRAGMA cache_size = -16384;"      /* 16 MiB: fewer pages spilled before commit */
	"CREATE TEMP TABLE IF NOT EXISTS fts_dirty(id INTEGER PRIMARY KEY);"
	"DELETE FROM temp.fts_dirty;"
	"INSERT OR REPLACE INTO meta(key, value) VALUES ('import_run', '1');";

/* FTS5 'hashsize' while indexing in bulk: 8 MiB of pending index between flushes
 * instead of 1 MiB makes fewer, larger segments to merge (25% less time at 100,000
 * rows; the import's peak memory stays under 64 MB).  The side index uses the same. */
#define FTS_HASH_BYTES (8 << 20)

static const char FTS_COLUMNS[] =
	"INSERT INTO action_fts(rowid, question, response, action, evidence, notes, extra)"
	" SELECT id, question, response, action, evidence, notes, extra FROM action_fts_source";

/* ---- RAG totals of a run into an empty database, counted as its rows go in -------- */

/* (Such a run only adds: nothing to find, so nothing to change.)  Recounting 1M rows at
 * commit reads the whole table, about 1 s; this costs a hash lookup per row. */
struct tally_slot {
	int64_t review, agency;
	int rag;
	long n;                    /* 0: an empty slot */
};

struct rag_tally {
	struct tally_slot *slot;
	size_t cap, used;          /* cap: a power of two */
};

static struct tally_slot *tally_slot(struct rag_tally *t, int64_t review, int64_t agency, int rag)
{
	uint64_t h = (uint64_t)review * 0x9E3779B97F4A7C15u ^ (uint64_t)agency * 0xC2B2AE3D27D4EB4Fu ^ (uint64_t)rag;
	for (size_t i = (size_t)(h ^ (h >> 31)) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		struct tally_slot *x = &t->slot[i];
		if (!x->n || (x->review == review && x->agency == agency && x->rag == rag))
			return x;
	}
}

static void tally_add(struct rag_tally *t, int64_t review, int64_t agency, int rag, long n)
{
	if (2 * (t->used + 1) > t->cap) {
		struct rag_tally old = *t;
		t->cap = old.cap ? old.cap * 2 : 1024;
		t->slot = xcalloc(t->cap, sizeof *t->slot);
		t->used = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.slot[i].n)
				tally_add(t, old.slot[i].review, old.slot[i].agency, old.slot[i].rag, old.slot[i].n);
		free(old.slot);
	}
	struct tally_slot *x = tally_slot(t, review, agency, rag);
	if (!x->n) {
		*x = (struct tally_slot){ review, agency, rag, 0 };
		t->used++;
	}
	x->n += n;
}

static void tally_free(struct rag_tally *t)
{
	if (t)
		free(t->slot);
	free(t);
}

/* The spreadsheet fields an import compares, in import_sig order.  After them, when
 * the row had extra fields, 8 more hex digits: a hash of its extra fields' names and
 * values (SIG_BYTES in all). */
enum sig_field { SIG_TEXT, SIG_RAG, SIG_TARGET, SIG_EVIDENCE, SIG_LEAD, SIG_CONSTRAINTS, SIG_DESIRED, SIG_COUNT };
#define SIG_KNOWN (SIG_COUNT * 8)
#define SIG_BYTES (SIG_KNOWN + 8)
static const char *const SIG_COLUMN[SIG_COUNT] = { "text", "rag_raw", "target_raw", "evidence", "lead", "constraints", "desired" };
static const char *const SIG_LOG_NAME[SIG_COUNT] = { "action", "rag", "target", "evidence", "lead", "constraints", "desired" };

static sqlite3_stmt *stmt(struct store *s, enum import_stmt i)
{
	sqlite3_stmt *st = s->import_stmt[i];
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

/* ---- extra fields of the current review ------------------------------------------ */

/* Its fields (as extra_field holds them, this run's new ones included) and where the
 * last row's extra fields went: the rows of one file name the same ones. */
struct extra_import {
	int64_t review_id;
	size_t n, cap;
	char **names;             /* by pos */
	size_t nlast;
	char **last;              /* the last row's names */
	size_t *pos;              /* the last row's fields' positions */
};

static void xf_forget_last(struct extra_import *x)
{
	for (size_t i = 0; i < x->nlast; i++)
		free(x->last[i]);
	free(x->last);
	free(x->pos);
	x->last = NULL;
	x->pos = NULL;
	x->nlast = 0;
}

static void xf_free(struct store *s)
{
	struct extra_import *x = s->xf;
	if (!x)
		return;
	xf_forget_last(x);
	for (size_t i = 0; i < x->n; i++)
		free(x->names[i]);
	free(x->names);
	free(x);
	s->xf = NULL;
}

static void import_finalize(struct store *s)
{
	for (int i = 0; i < ST_COUNT; i++) {
		sqlite3_finalize(s->import_stmt[i]);
		s->import_stmt[i] = NULL;
	}
	xf_free(s);
	s->in_import = 0;
}

static int one_thread(void)
{
	const char *threads = getenv("RAGTRACK_THREADS");
	return threads && atoi(threads) == 1;
}

int store_import_spare_core(const struct store *s)
{
	return !s->side && !one_thread();
}

enum status store_import_begin(struct store *s, struct err *err)
{
	enum status st = store_check_writable(s, err);
	if (st == OK && s->lens_agency)
		st = err_set(err, ERR_FORBIDDEN, "import is not allowed under --as-agency");
	if (st == OK)
		st = store_begin(s, err);
	if (st == OK && (st = store_exec(s, FTS_DEFER_SQL, err)) != OK)
		store_rollback(s);
	if (st != OK)
		return st;
	for (int i = 0; i < ST_COUNT; i++)
		if (store_prepare(s, &s->import_stmt[i], IMPORT_SQL[i], err)) {
			import_finalize(s);
			store_rollback(s);
			return ERR_DB;
		}
	sqlite3_stmt *q;
	if (store_prepare(s, &q, "SELECT ifnull(max(run), 0) + 1 FROM response", err) == 0) {
		if (sqlite3_step(q) == SQLITE_ROW)
			s->run = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	s->batch = store_next_batch(s);
	s->max_before = 0;
	if (store_prepare(s, &q, "SELECT ifnull(max(id), 0) FROM action", err) == 0) {
		if (sqlite3_step(q) == SQLITE_ROW)
			s->max_before = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	if (s->bulk && s->max_before == 0 && !one_thread())
		s->side = fts_side_start(s->db, s->path);
	if (s->max_before == 0)
		s->tally = xcalloc(1, sizeof *s->tally);
	s->in_import = 1;
	return OK;
}

/* Before text changes: take one action, or the older actions of a question or response,
 * out of the index and mark them for re-indexing at commit. */
static enum status side_unindex(struct store *s, enum import_stmt which, int64_t id, struct err *err);
static void side_feed(struct store *s, const struct action *a, const char *extra);

static enum status fts_mark(struct store *s, enum import_stmt which, int64_t id, struct err *err)
{
	if (s->side)
		return side_unindex(s, which, id, err);
	enum import_stmt unindex = which == ST_DIRTY_ACTION ? ST_UNINDEX_ACTION
	                         : which == ST_DIRTY_QUESTION ? ST_UNINDEX_QUESTION : ST_UNINDEX_RESPONSE;
	enum import_stmt steps[2] = { unindex, which };
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *st = stmt(s, steps[i]);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, s->max_before);
		if (sqlite3_step(st) != SQLITE_DONE)
			return store_fail(s, err, "updating the search index");
	}
	return OK;
}

static int cache_hit(const char *cached, const char *key)
{
	return cached && strcmp(cached, key) == 0;
}

static void cache_set(char **slot, const char *key)
{
	free(*slot);
	*slot = xstrdup(key);
}

static enum status step_done(struct store *s, sqlite3_stmt *st, struct err *err, const char *doing)
{
	return sqlite3_step(st) == SQLITE_DONE ? OK : store_fail(s, err, doing);
}

static enum status import_review(struct store *s, const char *name, const char *board, struct err *err)
{
	if (cache_hit(s->cache.review, name))
		return OK;
	sqlite3_stmt *st = stmt(s, ST_REVIEW_GET);
	store_bind_text(st, 1, name);
	if (sqlite3_step(st) == SQLITE_ROW)
		s->cache.review_id = sqlite3_column_int64(st, 0);
	else {
		st = stmt(s, ST_REVIEW_ADD);
		store_bind_text(st, 1, name);
		store_bind_text(st, 2, board);
		store_bind_text(st, 3, util_now());
		if (step_done(s, st, err, "adding a review") != OK)
			return ERR_DB;
		s->cache.review_id = sqlite3_last_insert_rowid(s->db);
	}
	cache_set(&s->cache.review, name);
	free(s->cache.finding_key);
	free(s->cache.question_key);
	s->cache.finding_key = s->cache.question_key = NULL;
	return OK;
}

/* A finding is known by its title: plans number findings and later "additional
 * learning" themes from 1 alike, so the ref alone would merge them. */
static enum status import_finding(struct store *s, const char *ref, const char *title, struct err *err)
{
	const char *key = title;
	if (str_empty(title)) {
		s->cache.finding_id = 0;
		return OK;
	}
	if (cache_hit(s->cache.finding_key, key))
		return OK;
	sqlite3_stmt *st = stmt(s, ST_FINDING_GET);
	sqlite3_bind_int64(st, 1, s->cache.review_id);
	store_bind_text(st, 2, key);
	if (sqlite3_step(st) == SQLITE_ROW) {
		s->cache.finding_id = sqlite3_column_int64(st, 0);
		if (!str_eq((const char *)sqlite3_column_text(st, 1), title)) {
			st = stmt(s, ST_FINDING_SET);
			store_bind_text(st, 1, title);
			sqlite3_bind_int64(st, 2, s->cache.finding_id);
			if (step_done(s, st, err, "updating a finding") != OK)
				return ERR_DB;
		}
	} else {
		st = stmt(s, ST_FINDING_ADD);
		sqlite3_bind_int64(st, 1, s->cache.review_id);
		store_bind_text(st, 2, key);
		store_bind_text(st, 3, ref ? ref : "");
		store_bind_text(st, 4, title);
		if (step_done(s, st, err, "adding a finding") != OK)
			return ERR_DB;
		s->cache.finding_id = sqlite3_last_insert_rowid(s->db);
	}
	cache_set(&s->cache.finding_key, key);
	return OK;
}

/* The question's identity: its ref, else its text, else "#" and the finding's key. */
static char *question_key(const struct action *a, const struct store *s)
{
	if (!str_empty(a->question_ref))
		return xstrdup(a->question_ref);
	if (!str_empty(a->question))
		return xstrdup(a->question);
	return xasprintf("#%s", s->cache.finding_key && s->cache.finding_id ? s->cache.finding_key : "");
}

static enum status question_refresh(struct store *s, sqlite3_stmt *got, const struct action *a, struct err *err)
{
	const char *text = (const char *)sqlite3_column_text(got, 1);
	int64_t finding = sqlite3_column_int64(got, 2);
	int64_t id = sqlite3_column_int64(got, 0);
	if (str_eq(text, a->question) && finding == s->cache.finding_id)
		return OK;
	if (str_empty(a->question) && finding == s->cache.finding_id)
		return OK;
	if (!str_empty(a->question) && !str_eq(text, a->question) && fts_mark(s, ST_DIRTY_QUESTION, id, err) != OK)
		return ERR_DB;
	sqlite3_stmt *st = stmt(s, ST_QUESTION_SET);
	store_bind_text(st, 1, str_empty(a->question) ? text : a->question);
	if (s->cache.finding_id)
		sqlite3_bind_int64(st, 2, s->cache.finding_id);
	sqlite3_bind_int64(st, 3, id);
	return step_done(s, st, err, "updating a question");
}

static enum status import_question(struct store *s, const struct action *a, char **sort_key, struct err *err)
{
	char *key = question_key(a, s);
	if (cache_hit(s->cache.question_key, key)) {     /* a continuation row: nothing to read */
		*sort_key = xstrdup(s->cache.question_sort);
		free(key);
		return OK;
	}
	sqlite3_stmt *st = stmt(s, ST_QUESTION_GET);
	sqlite3_bind_int64(st, 1, s->cache.review_id);
	store_bind_text(st, 2, key);
	enum status rc = OK;
	if (sqlite3_step(st) == SQLITE_ROW) {
		s->cache.question_id = sqlite3_column_int64(st, 0);
		*sort_key = store_col_dup(st, 3);
		const char *now = (const char *)sqlite3_column_text(st, 1);    /* question_refresh's result */
		if (s->side)
			cache_set(&s->cache.question_text, str_empty(a->question) ? (now ? now : "") : a->question);
		rc = question_refresh(s, st, a, err);
	} else {
		*sort_key = ref_sort_key(a->question_ref ? a->question_ref : "");
		st = stmt(s, ST_QUESTION_ADD);
		sqlite3_bind_int64(st, 1, s->cache.review_id);
		if (s->cache.finding_id)
			sqlite3_bind_int64(st, 2, s->cache.finding_id);
		store_bind_text(st, 3, key);
		store_bind_text(st, 4, a->question_ref ? a->question_ref : "");
		store_bind_text(st, 5, *sort_key);
		store_bind_text(st, 6, a->question ? a->question : "");
		rc = step_done(s, st, err, "adding a question");
		s->cache.question_id = sqlite3_last_insert_rowid(s->db);
		if (s->side)
			cache_set(&s->cache.question_text, a->question ? a->question : "");
	}
	cache_set(&s->cache.question_key, key);
	cache_set(&s->cache.question_sort, *sort_key);
	free(key);
	return rc;
}

/* Agency id for a name (alias-aware), adding the agency when new; 0 for no agency. */
static enum status import_agency(struct store *s, const char *name, int64_t *id, struct err *err)
{
	*id = 0;
	if (str_empty(name))
		return OK;
	for (int i = 0; i < s->cache.nagency; i++)
		if (strcmp(s->cache.agency[i].name, name) == 0) {
			*id = s->cache.agency[i].id;
			return OK;
		}
	*id = store_agency_find(s, name);
	if (!*id) {
		sqlite3_stmt *st = stmt(s, ST_AGENCY_ADD);
		store_bind_text(st, 1, name);
		if (step_done(s, st, err, "adding an agency") != OK)
			return ERR_DB;
		*id = sqlite3_last_insert_rowid(s->db);
	}
	if (s->cache.nagency < AGENCY_CACHE) {
		s->cache.agency[s->cache.nagency].name = xstrdup(name);
		s->cache.agency[s->cache.nagency++].id = *id;
	}
	return OK;
}

/* The response's text as this run assembles it: the first row's cell, then any
 * different text later rows add, a blank line between. */
static char *response_pending(const char *pending, const char *cell)
{
	if (str_empty(cell) || strstr(pending, cell))
		return xstrdup(pending);
	if (!*pending)
		return xstrdup(cell);
	return xasprintf("%s\n\n%s", pending, cell);
}

static enum status import_response(struct store *s, int64_t question_id, int64_t agency_id, const char *cell,
                                   int64_t *response_id, int *seq, struct err *err)
{
	sqlite3_stmt *st = stmt(s, ST_RESPONSE_GET);
	sqlite3_bind_int64(st, 1, question_id);
	sqlite3_bind_int64(st, 2, agency_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		st = stmt(s, ST_RESPONSE_ADD);
		sqlite3_bind_int64(st, 1, question_id);
		if (agency_id)
			sqlite3_bind_int64(st, 2, agency_id);
		store_bind_text(st, 3, cell ? cell : "");
		sqlite3_bind_int64(st, 4, s->run);
		store_bind_text(st, 5, cell ? cell : "");
		*seq = 1;
		if (step_done(s, st, err, "adding a response") != OK)
			return ERR_DB;
		*response_id = sqlite3_last_insert_rowid(s->db);
		if (s->side)
			cache_set(&s->cache.response_text, cell ? cell : "");
		return OK;
	}
	*response_id = sqlite3_column_int64(st, 0);
	const char *text = (const char *)sqlite3_column_text(st, 4);
	if (s->side)                   /* what action_fts_source shows: fed to the side index */
		cache_set(&s->cache.response_text, text ? text : "");
	int same_run = sqlite3_column_int64(st, 1) == s->run;
	*seq = same_run ? (int)sqlite3_column_int64(st, 2) + 1 : 1;
	char *pending = response_pending(same_run ? (const char *)sqlite3_column_text(st, 3) : "", cell);
	st = stmt(s, ST_RESPONSE_TOUCH);
	sqlite3_bind_int64(st, 1, s->run);
	sqlite3_bind_int64(st, 2, *seq);
	store_bind_text(st, 3, pending);
	sqlite3_bind_int64(st, 4, *response_id);
	free(pending);
	return step_done(s, st, err, "updating a response");
}

static unsigned fnv1a(const char *v)
{
	unsigned h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)(v ? v : ""); *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

static void hex8(char *out, unsigned h)
{
	for (int i = 7; i >= 0; i--, h >>= 4)
		out[i] = "0123456789abcdef"[h & 15];
}

static void sig_values(const struct action *a, const char *v[SIG_COUNT])
{
	v[SIG_TEXT] = a->text;
	v[SIG_RAG] = a->rag_raw;
	v[SIG_TARGET] = a->target_raw;
	v[SIG_EVIDENCE] = a->evidence;
	v[SIG_LEAD] = a->lead;
	v[SIG_CONSTRAINTS] = a->constraints;
	v[SIG_DESIRED] = a->desired;
}

static unsigned extras_hash(const struct action *a)
{
	unsigned h = 2166136261u;
	for (size_t i = 0; i < a->nextra; i++)
		for (int k = 0; k < 2; k++) {
			for (const unsigned char *p = (const unsigned char *)(k ? a->extra[i].value : a->extra[i].name); *p; p++)
				h = (h ^ *p) * 16777619u;
			h = (h ^ (k ? 0x1fu : 0x1eu)) * 16777619u;
		}
	return h;
}

/* The row's signature; a field the file has no column for (NULL) keeps its part of
 * old_sig (may be NULL), so it never counts as changed; so do the extra fields of a
 * row that has none. */
static void sig_make(const struct action *a, const char *old_sig, char out[SIG_BYTES + 1])
{
	const char *v[SIG_COUNT];
	sig_values(a, v);
	size_t old_len = old_sig ? strlen(old_sig) : 0;
	int old_ok = old_len >= SIG_KNOWN;
	for (int i = 0; i < SIG_COUNT; i++) {
		if (!v[i] && old_ok)
			memcpy(out + i * 8, old_sig + i * 8, 8);
		else
			hex8(out + i * 8, fnv1a(v[i]));
	}
	out[SIG_KNOWN] = '\0';
	if (a->nextra)
		hex8(out + SIG_KNOWN, extras_hash(a));
	else if (old_len == SIG_BYTES)
		memcpy(out + SIG_KNOWN, old_sig + SIG_KNOWN, 8);
	else
		return;
	out[SIG_BYTES] = '\0';
}

/* Load the current review's extra fields, once per review in a run. */
static enum status xf_load(struct store *s, struct err *err)
{
	if (s->xf && s->xf->review_id == s->cache.review_id)
		return OK;
	xf_free(s);
	struct extra_import *x = s->xf = xcalloc(1, sizeof *s->xf);
	x->review_id = s->cache.review_id;
	sqlite3_stmt *st = stmt(s, ST_EXTRA_FIELDS);
	sqlite3_bind_int64(st, 1, x->review_id);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (x->n == x->cap)
			x->names = xrealloc(x->names, (x->cap = x->cap ? x->cap * 2 : 8) * sizeof *x->names);
		x->names[x->n++] = store_col_dup(st, 0);
	}
	return step == SQLITE_DONE ? OK : store_fail(s, err, "reading extra fields");
}

static int xf_same_as_last(const struct extra_import *x, const struct action *a)
{
	if (!x->pos || x->nlast != a->nextra)
		return 0;
	for (size_t i = 0; i < a->nextra; i++)
		if (strcmp(x->last[i], a->extra[i].name) != 0)
			return 0;
	return 1;
}

/* The position of the row's extra field i: the nth field of its name in the review,
 * n counting the row's earlier fields of that name; a new one is added at the end. */
static enum status xf_place(struct store *s, const struct action *a, size_t i, size_t *pos, struct err *err)
{
	struct extra_import *x = s->xf;
	const char *name = a->extra[i].name;
	int nth = 0;
	for (size_t j = 0; j < i; j++)
		nth += strcmp(a->extra[j].name, name) == 0;
	for (size_t k = 0; k < x->n; k++)
		if (strcmp(x->names[k], name) == 0 && nth-- == 0) {
			*pos = k;
			return OK;
		}
	sqlite3_stmt *st = stmt(s, ST_EXTRA_FIELD_ADD);
	sqlite3_bind_int64(st, 1, x->review_id);
	sqlite3_bind_int64(st, 2, (int64_t)x->n);
	store_bind_text(st, 3, name);
	if (step_done(s, st, err, "adding an extra field") != OK)
		return ERR_DB;
	if (x->n == x->cap)
		x->names = xrealloc(x->names, (x->cap = x->cap ? x->cap * 2 : 8) * sizeof *x->names);
	x->names[x->n] = xstrdup(name);
	*pos = x->n++;
	return OK;
}

/* Where the row's extra fields go (s->xf->pos), adding the review's new ones. */
static enum status extras_place(struct store *s, const struct action *a, struct err *err)
{
	enum status rc = xf_load(s, err);
	struct extra_import *x = s->xf;
	if (rc != OK || xf_same_as_last(x, a))
		return rc;
	xf_forget_last(x);
	x->pos = xcalloc(a->nextra + 1, sizeof *x->pos);
	for (size_t i = 0; rc == OK && i < a->nextra; i++)
		rc = xf_place(s, a, i, &x->pos[i], err);
	if (rc != OK) {
		xf_forget_last(x);
		return rc;
	}
	x->last = xcalloc(a->nextra + 1, sizeof *x->last);
	for (size_t i = 0; i < a->nextra; i++)
		x->last[i] = xstrdup(a->extra[i].name);
	x->nlast = a->nextra;
	return OK;
}

/* The review's extra values for the row: old (packed, may be NULL) with the row's
 * values in their places.  vals has s->xf->n slots; buf holds old's copy. */
static char *extras_merge(struct store *s, const struct action *a, const char *old, const char **vals, char **buf)
{
	struct extra_import *x = s->xf;
	*buf = xmalloc(strlen(old ? old : "") + 1);
	store_extra_split(old, *buf, vals, x->n);
	for (size_t i = 0; i < a->nextra; i++)
		vals[x->pos[i]] = a->extra[i].value;
	return store_extra_join(vals, x->n);
}

/* A new action's extra values, packed ("" when the row has none). */
static char *extras_new(struct store *s, const struct action *a)
{
	if (!a->nextra)
		return xstrdup("");
	const char **vals = xcalloc(s->xf->n + 1, sizeof *vals);
	char *buf;
	char *packed = extras_merge(s, a, NULL, vals, &buf);
	free(buf);
	free(vals);
	return packed;
}

static enum status action_add(struct store *s, struct action *a, int64_t agency_id, int64_t response_id,
                              const char *qsort, const char *sig, struct err *err)
{
	sqlite3_stmt *st = stmt(s, ST_ACTION_ADD);
	char *sort_key = store_sort_key(a->review, qsort, a->agency, a->seq);
	sqlite3_bind_int64(st, 1, s->cache.review_id);
	sqlite3_bind_int64(st, 2, s->cache.question_id);
	if (agency_id)
		sqlite3_bind_int64(st, 3, agency_id);
	sqlite3_bind_int64(st, 4, response_id);
	sqlite3_bind_int(st, 5, a->seq);
	store_bind_text(st, 6, a->text ? a->text : "");
	sqlite3_bind_int(st, 7, (int)a->rag);
	store_bind_text(st, 8, a->rag_raw ? a->rag_raw : "");
	store_bind_text(st, 9, a->target_date);
	store_bind_text(st, 10, a->target_raw ? a->target_raw : "");
	store_bind_text(st, 11, a->evidence ? a->evidence : "");
	store_bind_text(st, 12, a->lead ? a->lead : "");
	store_bind_text(st, 13, a->constraints ? a->constraints : "");
	store_bind_text(st, 14, a->desired ? a->desired : "");
	store_bind_text(st, 15, sort_key);
	store_bind_text(st, 16, sig);
	store_bind_text(st, 17, util_now());
	char *extra = extras_new(s, a);
	store_bind_text(st, 18, extra);
	free(sort_key);
	enum status rc = step_done(s, st, err, "adding an action");
	if (rc == OK) {
		a->id = sqlite3_last_insert_rowid(s->db);
		if (s->side)
			side_feed(s, a, extra);
	}
	free(extra);
	if (rc != OK)
		return ERR_DB;
	if (s->tally)
		tally_add(s->tally, s->cache.review_id, agency_id, (int)a->rag, 1);
	return OK;
}

/* Old value of a compared field from the ST_ACTION_GET row, as the log shows it. */
static const char *sig_old(sqlite3_stmt *got, enum sig_field f)
{
	static const int column[SIG_COUNT] = { 2, 4, 6, 7, 8, 9, 10 };
	return (const char *)sqlite3_column_text(got, column[f]);
}

static enum status field_update(struct store *s, int64_t id, enum sig_field f, const struct action *a,
                                const char *old_value, const char *new_value, int silent, struct err *err)
{
	char *sql;
	if (f == SIG_RAG)
		sql = xstrdup("UPDATE action SET rag_raw = ?1, rag = ?3 WHERE id = ?2");
	else if (f == SIG_TARGET)
		sql = xstrdup("UPDATE action SET target_raw = ?1, target_date = ?3 WHERE id = ?2");
	else
		sql = xasprintf("UPDATE action SET %s = ?1 WHERE id = ?2", SIG_COLUMN[f]);
	sqlite3_stmt *st;
	int bad = store_prepare(s, &st, sql, err);
	free(sql);
	if (bad)
		return ERR_DB;
	if (f == SIG_RAG)
		sqlite3_bind_int(st, 3, (int)a->rag);
	else if (f == SIG_TARGET)
		store_bind_text(st, 3, a->target_date);
	store_bind_text(st, 1, new_value ? new_value : "");
	sqlite3_bind_int64(st, 2, id);
	enum status rc = step_done(s, st, err, "updating an action");
	sqlite3_finalize(st);
	if (rc == OK && !silent)
		rc = store_log(s, id, s->batch, SIG_LOG_NAME[f], old_value, new_value ? new_value : "", NULL, 0, err);
	return rc;
}

/* Apply the fields whose spreadsheet value changed since the last import. */
/* Only the way it is written changed: the same RAG state or the same target date. */
static int same_reading(sqlite3_stmt *got, enum sig_field f, const struct action *a)
{
	if (f == SIG_RAG)
		return sqlite3_column_int(got, 3) == (int)a->rag;
	const char *old_date = (const char *)sqlite3_column_text(got, 5);
	return f == SIG_TARGET && old_date && a->target_date && strcmp(old_date, a->target_date) == 0;
}

/* Did the row's extra fields change since the last import (or come for the first time)? */
static int extras_differ(const char *old_sig, const char *sig)
{
	if (strlen(sig) < SIG_BYTES)
		return 0;                 /* the row has none */
	return !old_sig || strlen(old_sig) != SIG_BYTES || strcmp(old_sig + SIG_KNOWN, sig + SIG_KNOWN) != 0;
}

/* Apply the row's extra fields to the action: each value that differs from the one
 * stored is logged under its field's name, and counted in *changed. */
static enum status extras_refresh(struct store *s, struct action *a, int *changed, struct err *err)
{
	sqlite3_stmt *st = stmt(s, ST_EXTRA_GET);
	sqlite3_bind_int64(st, 1, a->id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_fail(s, err, "reading an action's extra fields");
	char *old = store_col_dup(st, 0);
	size_t n = s->xf->n;
	const char **vals = xcalloc(n + 1, sizeof *vals), **was = xcalloc(n + 1, sizeof *was);
	char *buf, *was_buf = xmalloc(strlen(old ? old : "") + 1);
	store_extra_split(old, was_buf, was, n);
	char *packed = extras_merge(s, a, old, vals, &buf);
	enum status rc = OK;
	int differs = 0;
	for (size_t i = 0; rc == OK && i < n; i++) {
		if (strcmp(was[i], vals[i]) == 0)
			continue;
		if (!differs++)
			rc = fts_mark(s, ST_DIRTY_ACTION, a->id, err);
		if (rc == OK)
			rc = store_log(s, a->id, s->batch, s->xf->names[i], was[i], vals[i], NULL, 0, err);
	}
	if (rc == OK && differs) {
		st = stmt(s, ST_EXTRA_SET);
		store_bind_text(st, 1, packed);
		sqlite3_bind_int64(st, 2, a->id);
		rc = step_done(s, st, err, "updating an action's extra fields");
	}
	*changed += differs;
	free(packed);
	free(buf);
	free(was_buf);
	free(vals);
	free(was);
	free(old);
	return rc;
}

/* Apply the fields whose spreadsheet value changed since the last import.  A value only
 * written differently ("Amber/Green" now "Amber") is updated without a change. */
static enum status action_refresh(struct store *s, sqlite3_stmt *got, struct action *a, enum row_result *res,
                                  struct err *err)
{
	const char *old_sig = (const char *)sqlite3_column_text(got, 1);
	char sig[SIG_BYTES + 1];
	sig_make(a, old_sig, sig);
	const char *v[SIG_COUNT];
	sig_values(a, v);
	int changed = 0;
	*res = ROW_UNCHANGED;
	if (old_sig && strcmp(old_sig, sig) == 0)
		return OK;
	for (int f = 0; f < SIG_COUNT; f++) {
		int same_sig = old_sig && strlen(old_sig) >= SIG_KNOWN && strncmp(old_sig + f * 8, sig + f * 8, 8) == 0;
		const char *old_value = sig_old(got, (enum sig_field)f);
		if (!v[f] || same_sig || str_eq(old_value, v[f]))
			continue;
		int silent = same_reading(got, (enum sig_field)f, a);
		if ((f == SIG_TEXT || f == SIG_EVIDENCE) && fts_mark(s, ST_DIRTY_ACTION, a->id, err) != OK)
			return ERR_DB;
		if (field_update(s, a->id, (enum sig_field)f, a, old_value, v[f], silent, err) != OK)
			return ERR_DB;
		changed += !silent;
	}
	if (extras_differ(old_sig, sig) && extras_refresh(s, a, &changed, err) != OK)
		return ERR_DB;
	char *sql = changed
		? xasprintf("UPDATE action SET import_sig = ?1, version = version + 1, updated_at = ?2, touched_at = ?2 WHERE id = ?3")
		: xasprintf("UPDATE action SET import_sig = ?1 WHERE id = ?3");
	sqlite3_stmt *st;
	int bad = store_prepare(s, &st, sql, err);
	free(sql);
	if (bad)
		return ERR_DB;
	store_bind_text(st, 1, sig);
	store_bind_text(st, 2, util_now());
	sqlite3_bind_int64(st, 3, a->id);
	enum status rc = step_done(s, st, err, "updating an action");
	sqlite3_finalize(st);
	if (changed)
		*res = ROW_UPDATED;
	return rc;
}

/* The existing action a row is: the one its ID column names when that action existed
 * before the run and has the row's question and agency (an export of this database
 * coming back, filtered or reordered), else the one at the row's position under its
 * question and agency.  A database empty when the run began has none to find: positions
 * never repeat within a run. */
static sqlite3_stmt *action_find(struct store *s, int64_t hint, int64_t agency_id, int seq)
{
	sqlite3_stmt *got;
	if (s->max_before == 0)
		return NULL;
	if (hint > 0) {
		got = stmt(s, ST_ACTION_BY_ID);
		sqlite3_bind_int64(got, 1, hint);
		sqlite3_bind_int64(got, 2, s->cache.question_id);
		sqlite3_bind_int64(got, 3, agency_id);
		sqlite3_bind_int64(got, 4, s->max_before);
		if (sqlite3_step(got) == SQLITE_ROW)
			return got;
	}
	got = stmt(s, ST_ACTION_GET);
	sqlite3_bind_int64(got, 1, s->cache.question_id);
	sqlite3_bind_int64(got, 2, agency_id);
	sqlite3_bind_int(got, 3, seq);
	return sqlite3_step(got) == SQLITE_ROW ? got : NULL;
}

enum status store_import_row(struct store *s, struct action *a, enum row_result *res, struct err *err)
{
	int64_t agency_id, response_id;
	char *qsort = NULL;
	enum status rc = import_review(s, a->review, a->board, err);
	if (rc == OK)
		rc = import_finding(s, a->finding_ref, a->finding, err);
	if (rc == OK)
		rc = import_question(s, a, &qsort, err);
	if (rc == OK)
		rc = import_agency(s, a->agency, &agency_id, err);
	if (rc == OK)
		rc = import_response(s, s->cache.question_id, agency_id, a->response, &response_id, &a->seq, err);
	if (rc == OK && a->nextra)
		rc = extras_place(s, a, err);
	if (rc != OK)
		goto cleanup;
	sqlite3_stmt *got = action_find(s, a->id, agency_id, a->seq);
	if (got) {
		a->id = sqlite3_column_int64(got, 0);
		rc = action_refresh(s, got, a, res, err);
	} else {
		char sig[SIG_BYTES + 1];
		sig_make(a, NULL, sig);
		rc = action_add(s, a, agency_id, response_id, qsort, sig, err);
		*res = ROW_ADDED;
	}
cleanup:
	free(qsort);
	return rc;
}

/* Responses whose text this run assembled differently: set the text, logging the change
 * against the response's first action (not for a response this run created: that is
 * its first text, not a change). */
static enum status responses_settle(struct store *s, struct err *err)
{
	sqlite3_stmt *st;
	if (store_prepare(s, &st,
	                  "SELECT r.id, r.text, r.pending, (SELECT min(id) FROM action WHERE response_id = r.id),"
	                  " r.created_run = r.run FROM response r WHERE r.run = ? AND r.pending <> '' AND r.pending <> r.text", err))
		return ERR_DB;
	sqlite3_bind_int64(st, 1, s->run);
	enum status rc = OK;
	while (rc == OK && sqlite3_step(st) == SQLITE_ROW) {
		const char *old_text = (const char *)sqlite3_column_text(st, 1);
		int created_now = sqlite3_column_int(st, 4);
		if (!created_now && !str_empty(old_text) && sqlite3_column_type(st, 3) != SQLITE_NULL)
			rc = store_log(s, sqlite3_column_int64(st, 3), s->batch, "response", old_text,
			               (const char *)sqlite3_column_text(st, 2), NULL, 0, err);
		if (rc == OK)
			rc = fts_mark(s, ST_DIRTY_RESPONSE, sqlite3_column_int64(st, 0), err);
	}
	sqlite3_finalize(st);
	if (rc == OK) {
		char *sql = xasprintf("UPDATE response SET text = pending WHERE run = %lld AND pending <> '' AND pending <> text",
		                      (long long)s->run);
		rc = store_exec(s, sql, err);
		free(sql);
	}
	return rc;
}

enum status store_review_describe(struct store *s, const char *review, const char *board, const char *kind,
                                  const char *as_at, const char *source_file, struct err *err)
{
	sqlite3_stmt *st;
	if (store_prepare(s, &st,
	                  "UPDATE review SET board = ifnull(nullif(?2, ''), board), kind = ifnull(nullif(?3, ''), kind),"
	                  " as_at = ifnull(nullif(?4, ''), as_at), source_file = ifnull(nullif(?5, ''), source_file)"
	                  " WHERE name = ?1", err))
		return ERR_DB;
	store_bind_text(st, 1, review);
	store_bind_text(st, 2, board);
	store_bind_text(st, 3, kind);
	store_bind_text(st, 4, as_at);
	store_bind_text(st, 5, source_file);
	enum status rc = step_done(s, st, err, "describing a review");
	sqlite3_finalize(st);
	return rc;
}

/* ---- the side index (store_fts_side.c) ---------------------------------------------- */

static void side_put_row(struct store *s, int del, sqlite3_stmt *st)
{
	const char *text[FTS_SIDE_COLUMNS];
	for (int i = 0; i < FTS_SIDE_COLUMNS; i++)
		text[i] = (const char *)sqlite3_column_text(st, i + 1);
	fts_side_put(s->side, del, sqlite3_column_int64(st, 0), text);
}

/* fts_mark with a side index: take the rows out of it, and mark them for commit. */
static enum status side_unindex(struct store *s, enum import_stmt which, int64_t id, struct err *err)
{
	enum import_stmt rows = which == ST_DIRTY_ACTION ? ST_SIDE_ACTION
	                      : which == ST_DIRTY_QUESTION ? ST_SIDE_QUESTION : ST_SIDE_RESPONSE;
	sqlite3_stmt *st = stmt(s, rows);
	sqlite3_bind_int64(st, 1, id);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		side_put_row(s, 1, st);
	if (step != SQLITE_DONE)
		return store_fail(s, err, "updating the search index");
	st = stmt(s, which);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, INT64_MAX);
	return step_done(s, st, err, "updating the search index");
}

static const char SIDE_COPY_SQL[] =
	"DELETE FROM main.action_fts_data; DELETE FROM main.action_fts_idx; DELETE FROM main.action_fts_docsize;"
	"INSERT INTO main.action_fts_data SELECT * FROM fts_side.action_fts_data;"
	"INSERT INTO main.action_fts_idx SELECT * FROM fts_side.action_fts_idx;"
	"INSERT INTO main.action_fts_docsize SELECT * FROM fts_side.action_fts_docsize;";

/* Hand the side index the rows marked since, wait for it, and copy it into action_fts.
 * *indexed 0: it failed, and the caller indexes as without it. */
static enum status side_settle(struct store *s, int *indexed, struct err *err)
{
	sqlite3_stmt *st;
	*indexed = 0;
	if (store_prepare(s, &st, "SELECT id, question, response, action, evidence, extra FROM action_fts_source"
	                          " WHERE id IN (SELECT id FROM temp.fts_dirty)", err))
		return ERR_DB;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		side_put_row(s, 0, st);
	enum status rc = step == SQLITE_DONE ? OK : store_fail(s, err, "indexing actions");
	sqlite3_finalize(st);
	const char *path = rc == OK ? fts_side_finish(s->side) : NULL;
	if (!path)
		return rc == OK ? store_exec(s, "DELETE FROM temp.fts_dirty", err) : rc;
	if (store_prepare(s, &st, "ATTACH ? AS fts_side", err))
		return ERR_DB;
	store_bind_text(st, 1, path);
	rc = step_done(s, st, err, "attaching the search index");
	sqlite3_finalize(st);
	s->side_attached = rc == OK;
	if (rc == OK && (rc = store_exec(s, SIDE_COPY_SQL, err)) == OK)
		*indexed = 1;
	return rc;
}

/* After commit or rollback: the side index's file goes. */
static void side_end(struct store *s)
{
	if (s->side_attached)
		sqlite3_exec(s->db, "DETACH fts_side", NULL, NULL, NULL);
	s->side_attached = 0;
	fts_side_free(s->side);
	s->side = NULL;
}

static void side_feed(struct store *s, const struct action *a, const char *extra)
{
	const char *text[FTS_SIDE_COLUMNS] = { s->cache.question_text, s->cache.response_text,
	                                       a->text ? a->text : "", a->evidence ? a->evidence : "", extra };
	fts_side_put(s->side, 0, a->id, text);
}

static enum status tally_write(struct store *s, struct err *err)
{
	sqlite3_stmt *st;
	if (store_prepare(s, &st, "INSERT INTO rag_count VALUES (?, ?, ?, ?)", err))
		return ERR_DB;
	enum status rc = OK;
	for (size_t i = 0; rc == OK && i < s->tally->cap; i++) {
		const struct tally_slot *x = &s->tally->slot[i];
		if (!x->n)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, x->review);
		sqlite3_bind_int64(st, 2, x->agency);
		sqlite3_bind_int(st, 3, x->rag);
		sqlite3_bind_int64(st, 4, x->n);
		rc = step_done(s, st, err, "counting actions");
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---- commit ---------------------------------------------------------------------- */

static enum status derived_settle(struct store *s, struct err *err)
{
	int indexed = 0;
	enum status rc = s->side ? side_settle(s, &indexed, err) : OK;
	struct buf sql = {0};
	if (!indexed)
		buf_printf(&sql, "INSERT INTO action_fts(action_fts, rank) VALUES ('hashsize', %d);"
		                 "%s WHERE id IN (SELECT id FROM temp.fts_dirty); %s WHERE id > %lld;",
		           FTS_HASH_BYTES, FTS_COLUMNS, FTS_COLUMNS, (long long)s->max_before);
	buf_adds(&sql, "DELETE FROM rag_count;");
	if (!s->tally)
		buf_adds(&sql, "INSERT INTO rag_count SELECT review_id, ifnull(agency_id, 0), rag, count(*)"
		               " FROM action GROUP BY 1, 2, 3;");
	buf_adds(&sql, "DELETE FROM meta WHERE key = 'import_run';"
	               "DELETE FROM temp.fts_dirty;");
	if (rc == OK)
		rc = store_exec(s, sql.s, err);
	if (rc == OK && s->tally)
		rc = tally_write(s, err);
	buf_free(&sql);
	return rc;
}

/* After commit or rollback. */
static void run_end(struct store *s)
{
	side_end(s);
	tally_free(s->tally);
	s->tally = NULL;
}

enum status store_import_commit(struct store *s, struct err *err)
{
	enum status rc = responses_settle(s, err);
	import_finalize(s);
	if (rc == OK)
		rc = derived_settle(s, err);
	if (rc == OK)
		rc = store_commit(s, err);
	if (rc != OK)
		store_rollback(s);
	run_end(s);
	return rc;
}

void store_import_rollback(struct store *s)
{
	import_finalize(s);
	store_rollback(s);
	run_end(s);
	store_cache_clear(s);
}

enum status store_import_stats(struct store *s, long *reviews, long *questions, long *agencies, struct err *err)
{
	sqlite3_stmt *st;
	if (store_prepare(s, &st,
	                  "SELECT count(DISTINCT q.review_id), count(DISTINCT r.question_id), count(DISTINCT r.agency_id)"
	                  " FROM response r JOIN question q ON q.id = r.question_id WHERE r.run = ?", err))
		return ERR_DB;
	sqlite3_bind_int64(st, 1, s->run);
	*reviews = *questions = *agencies = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*reviews = sqlite3_column_int(st, 0);
		*questions = sqlite3_column_int(st, 1);
		*agencies = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	return OK;
}
