/* store_import: adding and updating actions from spreadsheet rows.
 *
 * One transaction per import run.  Identity: review + question key + agency + seq,
 * where seq counts the rows of one question and agency within the run.  Each action
 * remembers a hash per field of what the spreadsheet said last time (import_sig), so a
 * re-import changes only what the spreadsheet changed and never undoes an edit made
 * in ragtrack since. */
#include "store_int.h"
#include "ragtrack/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum import_stmt {
	ST_REVIEW_GET, ST_REVIEW_ADD, ST_FINDING_GET, ST_FINDING_ADD, ST_FINDING_SET,
	ST_QUESTION_GET, ST_QUESTION_ADD, ST_QUESTION_SET, ST_AGENCY_ADD,
	ST_RESPONSE_GET, ST_RESPONSE_ADD, ST_RESPONSE_TOUCH,
	ST_GROUP_ACTIONS, ST_WITHDRAW, ST_ACTION_ADD, ST_DIRTY_ACTION, ST_DIRTY_QUESTION, ST_DIRTY_RESPONSE,
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
	/* a group's actions, for matching its rows (the action_identity index, in seq order) */
	[ST_GROUP_ACTIONS] = "SELECT id, seq, text, import_sig, withdrawn FROM action"
	                     " WHERE question_id = ?1 AND ifnull(agency_id, 0) = ?2 ORDER BY seq",
	[ST_WITHDRAW] = "UPDATE action SET withdrawn = ?1, version = version + 1, updated_at = ?2, touched_at = ?2"
	                " WHERE id = ?3",
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
	                    " constraints, desired FROM action WHERE id = ?1",
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
	long dated;                /* of them with a target date */
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

static void tally_add(struct rag_tally *t, int64_t review, int64_t agency, int rag, long n, long dated)
{
	if (2 * (t->used + 1) > t->cap) {
		struct rag_tally old = *t;
		t->cap = old.cap ? old.cap * 2 : 1024;
		t->slot = xcalloc(t->cap, sizeof *t->slot);
		t->used = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.slot[i].n)
				tally_add(t, old.slot[i].review, old.slot[i].agency, old.slot[i].rag, old.slot[i].n,
				          old.slot[i].dated);
		free(old.slot);
	}
	struct tally_slot *x = tally_slot(t, review, agency, rag);
	if (!x->n) {
		*x = (struct tally_slot){ review, agency, rag, 0, 0 };
		t->used++;
	}
	x->n += n;
	x->dated += dated;
}

static void tally_free(struct rag_tally *t)
{
	if (t)
		free(t->slot);
	free(t);
}

/* The spreadsheet fields an import compares, in import_sig order: a BLOB of one 32-bit
 * FNV-1a hash per field, 4 bytes each, most significant first (so hex(import_sig) reads
 * as the hex digits schema 2 stored).  After them, when the row had extra fields, 4 more
 * bytes: a hash of its extra fields' names and values (SIG_BYTES in all).  32 bits per
 * field, not fewer: two values of one field with the same hash would make a changed cell
 * look unchanged, so the hash stays as long as it was (1 in 4.3 billion per changed
 * field); only its spelling got shorter (28 bytes, not 56 hex digits). */
enum sig_field { SIG_TEXT, SIG_RAG, SIG_TARGET, SIG_EVIDENCE, SIG_LEAD, SIG_CONSTRAINTS, SIG_DESIRED, SIG_COUNT };
#define SIG_FIELD 4
#define SIG_KNOWN (SIG_COUNT * SIG_FIELD)
#define SIG_BYTES (SIG_KNOWN + SIG_FIELD)

/* A signature: len 0 when there is none, SIG_KNOWN, or SIG_BYTES with the extra fields'. */
struct sig {
	unsigned char b[SIG_BYTES];
	size_t len;
};
static const char *const SIG_COLUMN[SIG_COUNT] = { "text", "rag_raw", "target_raw", "evidence", "lead", "constraints", "desired" };
static const char *const SIG_LOG_NAME[SIG_COUNT] = { "action", "rag", "target", "evidence", "lead", "constraints", "desired" };

static const char *run_now(const struct store *s);
static struct import_match *match_new(void);
static void match_free(struct import_match *m);

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

/* ---- a first import's secondary indexes ------------------------------------------ */

/* A bulk first import (a new private file: nothing to match, nobody to read it) drops
 * the action table's secondary indexes before its rows go in and makes them again after
 * the last one (indexes_restore): CREATE INDEX sorts each index's keys once, where rows
 * inserted one by one walk every index for every row.  action_identity stays: it is the
 * identity rule, and a reworded question's actions are found through it during the run.
 * The indexes are read from the schema, not listed here, so one added later is deferred
 * the same way. */
static enum status indexes_defer(struct store *s, struct err *err)
{
	sqlite3_stmt *st;
	if (store_prepare(s, &st, "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'action'"
	                          " AND sql IS NOT NULL AND name <> 'action_identity'", err))
		return ERR_DB;
	struct buf create = {0}, drop = {0};
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		buf_printf(&create, "%s;", (const char *)sqlite3_column_text(st, 1));
		buf_printf(&drop, "DROP INDEX \"%s\";", (const char *)sqlite3_column_text(st, 0));
	}
	enum status rc = step == SQLITE_DONE ? OK : store_fail(s, err, "reading the indexes");
	sqlite3_finalize(st);
	if (rc == OK && drop.s)
		rc = store_exec(s, drop.s, err);
	if (rc == OK && create.s)
		s->deferred_indexes = buf_steal(&create);
	buf_free(&create);
	buf_free(&drop);
	return rc;
}

/* After a first import's last row: the indexes indexes_defer dropped, made again.  Each
 * sorts in as much memory as the page cache may hold: 4 MiB while they are made (more
 * spills to a temporary file, barely slower), so the import's peak stays under 64 MB
 * while the side index is still being built. */
static enum status indexes_restore(struct store *s, struct err *err)
{
	if (!s->deferred_indexes)
		return OK;
	char *sql = xasprintf("PRAGMA cache_size = -4096; %s PRAGMA cache_size = -16384;", s->deferred_indexes);
	enum status rc = store_exec(s, sql, err);
	free(sql);
	free(s->deferred_indexes);
	s->deferred_indexes = NULL;
	return rc;
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
		if ((st = store_prepare(s, &s->import_stmt[i], IMPORT_SQL[i], err)) != OK) {
			import_finalize(s);
			store_rollback(s);
			return st;
		}
	sqlite3_stmt *q;
	if (store_prepare(s, &q, "SELECT ifnull(max(run), 0) + 1 FROM response", err) == OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			s->run = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	if ((st = store_next_batch(s, &s->batch, err)) != OK) {
		import_finalize(s);
		store_rollback(s);
		return st;
	}
	s->max_before = 0;
	if (store_prepare(s, &q, "SELECT ifnull(max(id), 0) FROM action", err) == OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			s->max_before = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	if (s->bulk && s->max_before == 0 && indexes_defer(s, err) != OK) {
		import_finalize(s);
		store_rollback(s);
		return ERR_DB;
	}
	if (s->bulk && s->max_before == 0 && !one_thread())
		s->side = fts_side_start(s->db, s->file);
	if (s->max_before == 0)
		s->tally = xcalloc(1, sizeof *s->tally);
	match_free(s->match);
	s->match = match_new();
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

/* The last row's response stays in memory while the rows after it are the same
 * question and agency's (most of a plan's rows are): its run state is written when
 * another response's row comes, and before the end of the files reads it. */
struct response_run {
	int64_t id, question, agency;
	int seq, dirty;
	char *pending;
};

static void resp_keep(struct response_run *r, int64_t id, int64_t question, int64_t agency, int seq, char *pending,
                      int dirty)
{
	free(r->pending);
	*r = (struct response_run){ id, question, agency, seq, dirty, pending };
}

/* Write the kept response's run state, when rows changed it since it was read. */
static enum status resp_write(struct store *s, struct response_run *r, struct err *err)
{
	if (!r->dirty)
		return OK;
	sqlite3_stmt *st = stmt(s, ST_RESPONSE_TOUCH);
	sqlite3_bind_int64(st, 1, s->run);
	sqlite3_bind_int64(st, 2, r->seq);
	store_bind_text(st, 3, r->pending);
	sqlite3_bind_int64(st, 4, r->id);
	r->dirty = 0;
	return step_done(s, st, err, "updating a response");
}

static struct response_run *resp_of(struct store *s);

static enum status import_response(struct store *s, int64_t question_id, int64_t agency_id, const char *cell,
                                   int64_t *response_id, int *seq, struct err *err)
{
	struct response_run *kept = resp_of(s);
	if (kept->id && kept->question == question_id && kept->agency == agency_id) {
		*response_id = kept->id;
		*seq = ++kept->seq;
		char *pending = response_pending(kept->pending, cell);
		free(kept->pending);
		kept->pending = pending;
		kept->dirty = 1;
		return OK;
	}
	if (resp_write(s, kept, err) != OK)
		return ERR_DB;
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
		resp_keep(kept, *response_id, question_id, agency_id, 1, xstrdup(cell ? cell : ""), 0);
		return OK;
	}
	*response_id = sqlite3_column_int64(st, 0);
	const char *text = (const char *)sqlite3_column_text(st, 4);
	if (s->side)                   /* what action_fts_source shows: fed to the side index */
		cache_set(&s->cache.response_text, text ? text : "");
	int same_run = sqlite3_column_int64(st, 1) == s->run;
	*seq = same_run ? (int)sqlite3_column_int64(st, 2) + 1 : 1;
	char *pending = response_pending(same_run ? (const char *)sqlite3_column_text(st, 3) : "", cell);
	resp_keep(kept, *response_id, question_id, agency_id, *seq, pending, 1);
	return OK;
}

static unsigned fnv1a(const char *v)
{
	unsigned h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)(v ? v : ""); *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

static void put32(unsigned char *out, unsigned h)
{
	for (int i = 3; i >= 0; i--, h >>= 8)
		out[i] = (unsigned char)(h & 0xff);
}

static unsigned get32(const unsigned char *in)
{
	return (unsigned)in[0] << 24 | (unsigned)in[1] << 16 | (unsigned)in[2] << 8 | in[3];
}

/* A stored import_sig; none (len 0) unless it is a BLOB of a signature's length. */
static void sig_read(sqlite3_stmt *st, int col, struct sig *out)
{
	int n = sqlite3_column_bytes(st, col);
	out->len = 0;
	if (sqlite3_column_type(st, col) == SQLITE_BLOB && (n == SIG_KNOWN || n == SIG_BYTES)) {
		memcpy(out->b, sqlite3_column_blob(st, col), (size_t)n);
		out->len = (size_t)n;
	}
}

static int sig_eq(const struct sig *a, const struct sig *b)
{
	return a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

/* Field f's hash is the same in both (f = SIG_COUNT: the extra fields'). */
static int sig_same_field(const struct sig *a, const struct sig *b, size_t f)
{
	size_t end = (f + 1) * SIG_FIELD;
	return a->len >= end && b->len >= end && memcmp(a->b + f * SIG_FIELD, b->b + f * SIG_FIELD, SIG_FIELD) == 0;
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
 * old (may be NULL), so it never counts as changed; so do the extra fields of a row
 * that has none. */
static void sig_make(const struct action *a, const struct sig *old, struct sig *out)
{
	const char *v[SIG_COUNT];
	sig_values(a, v);
	size_t old_len = old ? old->len : 0;
	int old_ok = old_len >= SIG_KNOWN;
	for (int i = 0; i < SIG_COUNT; i++) {
		if (!v[i] && old_ok)
			memcpy(out->b + i * SIG_FIELD, old->b + i * SIG_FIELD, SIG_FIELD);
		else
			put32(out->b + i * SIG_FIELD, fnv1a(v[i]));
	}
	out->len = SIG_KNOWN;
	if (a->nextra)
		put32(out->b + SIG_KNOWN, extras_hash(a));
	else if (old_len == SIG_BYTES)
		memcpy(out->b + SIG_KNOWN, old->b + SIG_KNOWN, SIG_FIELD);
	else
		return;
	out->len = SIG_BYTES;
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

/* Bind a string the caller keeps until the statement has run (NULL for NULL): SQLite
 * copies it into the row once instead of first into a copy of its own. */
static void bind_static(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static enum status action_add(struct store *s, struct action *a, int64_t agency_id, int64_t response_id,
                              const char *qsort, const struct sig *sig, struct err *err)
{
	sqlite3_stmt *st = stmt(s, ST_ACTION_ADD);
	char *sort_key = store_sort_key(a->review, qsort, a->agency, a->seq);
	sqlite3_bind_int64(st, 1, s->cache.review_id);
	sqlite3_bind_int64(st, 2, s->cache.question_id);
	if (agency_id)
		sqlite3_bind_int64(st, 3, agency_id);
	sqlite3_bind_int64(st, 4, response_id);
	sqlite3_bind_int(st, 5, a->seq);
	bind_static(st, 6, a->text ? a->text : "");
	sqlite3_bind_int(st, 7, (int)a->rag);
	bind_static(st, 8, a->rag_raw ? a->rag_raw : "");
	bind_static(st, 9, a->target_date);
	bind_static(st, 10, a->target_raw ? a->target_raw : "");
	bind_static(st, 11, a->evidence ? a->evidence : "");
	bind_static(st, 12, a->lead ? a->lead : "");
	bind_static(st, 13, a->constraints ? a->constraints : "");
	bind_static(st, 14, a->desired ? a->desired : "");
	bind_static(st, 15, sort_key);
	sqlite3_bind_blob(st, 16, sig->b, (int)sig->len, SQLITE_STATIC);
	store_bind_text(st, 17, run_now(s));
	char *extra = extras_new(s, a);
	bind_static(st, 18, extra);
	enum status rc = step_done(s, st, err, "adding an action");
	free(sort_key);
	if (rc == OK) {
		a->id = sqlite3_last_insert_rowid(s->db);
		if (s->side)
			side_feed(s, a, extra);
	}
	free(extra);
	if (rc != OK)
		return ERR_DB;
	if (s->tally)
		tally_add(s->tally, s->cache.review_id, agency_id, (int)a->rag, 1, a->target_date != NULL);
	return OK;
}

/* Old value of a compared field from the ST_ACTION_BY_ID row, as written. */
static const char *sig_old(sqlite3_stmt *got, enum sig_field f)
{
	static const int column[SIG_COUNT] = { 2, 4, 6, 7, 8, 9, 10 };
	return (const char *)sqlite3_column_text(got, column[f]);
}

/* A RAG or target change is logged in clean form (the RAG state, the ISO date) with the
 * cell as written in reason when that differs: Amber -> Blue ("Complete"). */
static enum status log_import_change(struct store *s, int64_t id, enum sig_field f, const struct action *a,
                                     const char *old_clean, const char *new_value, struct err *err)
{
	const char *clean = new_value ? new_value : "";
	if (f == SIG_RAG)
		clean = rag_name(a->rag);
	else if (f == SIG_TARGET && a->target_date)
		clean = a->target_date;
	const char *raw = (f == SIG_RAG || f == SIG_TARGET) && new_value && strcmp(new_value, clean) != 0 ? new_value : NULL;
	return store_log(s, id, s->batch, SIG_LOG_NAME[f], old_clean, clean, raw, 0, err);
}

static enum status field_update(struct store *s, int64_t id, enum sig_field f, const struct action *a,
                                const char *old_clean, const char *new_value, int silent, struct err *err)
{
	char *sql;
	if (f == SIG_RAG)
		sql = xstrdup("UPDATE action SET rag_raw = ?1, rag = ?3 WHERE id = ?2");
	else if (f == SIG_TARGET)
		sql = xstrdup("UPDATE action SET target_raw = ?1, target_date = ?3 WHERE id = ?2");
	else
		sql = xasprintf("UPDATE action SET %s = ?1 WHERE id = ?2", SIG_COLUMN[f]);
	sqlite3_stmt *st;
	enum status rc = store_prepare(s, &st, sql, err);
	free(sql);
	if (rc != OK)
		return rc;
	if (f == SIG_RAG)
		sqlite3_bind_int(st, 3, (int)a->rag);
	else if (f == SIG_TARGET)
		store_bind_text(st, 3, a->target_date);
	store_bind_text(st, 1, new_value ? new_value : "");
	sqlite3_bind_int64(st, 2, id);
	rc = step_done(s, st, err, "updating an action");
	sqlite3_finalize(st);
	if (rc == OK && !silent)
		rc = log_import_change(s, id, f, a, old_clean, new_value, err);
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
static int extras_differ(const struct sig *old, const struct sig *sig)
{
	if (sig->len < SIG_BYTES)
		return 0;                 /* the row has none */
	return !sig_same_field(old, sig, SIG_COUNT);
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
	struct sig old, sig;
	sig_read(got, 1, &old);
	sig_make(a, &old, &sig);
	const char *v[SIG_COUNT];
	sig_values(a, v);
	int changed = 0;
	*res = ROW_UNCHANGED;
	if (old.len && sig_eq(&old, &sig))
		return OK;
	for (int f = 0; f < SIG_COUNT; f++) {
		int same_sig = old.len >= SIG_KNOWN && sig_same_field(&old, &sig, (size_t)f);
		const char *old_value = sig_old(got, (enum sig_field)f);
		if (!v[f] || same_sig || str_eq(old_value, v[f]))
			continue;
		int silent = same_reading(got, (enum sig_field)f, a);
		if ((f == SIG_TEXT || f == SIG_EVIDENCE) && fts_mark(s, ST_DIRTY_ACTION, a->id, err) != OK)
			return ERR_DB;
		char *old_clean = xstrdup(f == SIG_RAG ? rag_name((enum rag)sqlite3_column_int(got, 3))
		                          : f == SIG_TARGET && sqlite3_column_type(got, 5) != SQLITE_NULL
		                          ? (const char *)sqlite3_column_text(got, 5) : old_value ? old_value : "");
		enum status urc = field_update(s, a->id, (enum sig_field)f, a, old_clean, v[f], silent, err);
		free(old_clean);
		if (urc != OK)
			return ERR_DB;
		changed += !silent;
	}
	if (extras_differ(&old, &sig) && extras_refresh(s, a, &changed, err) != OK)
		return ERR_DB;
	char *sql = changed
		? xasprintf("UPDATE action SET import_sig = ?1, version = version + 1, updated_at = ?2, touched_at = ?2 WHERE id = ?3")
		: xasprintf("UPDATE action SET import_sig = ?1 WHERE id = ?3");
	sqlite3_stmt *st;
	enum status rc = store_prepare(s, &st, sql, err);
	free(sql);
	if (rc != OK)
		return rc;
	sqlite3_bind_blob(st, 1, sig.b, (int)sig.len, SQLITE_STATIC);
	store_bind_text(st, 2, run_now(s));
	sqlite3_bind_int64(st, 3, a->id);
	rc = step_done(s, st, err, "updating an action");
	sqlite3_finalize(st);
	if (changed)
		*res = ROW_UPDATED;
	return rc;
}

/* ---- matching rows to actions (docs/import.md) ------------------------------------
 *
 * A re-import holds the rows of one question (all its agencies) until the question
 * ends, then decides each review + question + agency group at once: a row with an ID
 * is that action; the others are aligned to the group's existing actions by identical
 * text, then by the most similar text (token-set Jaccard, MATCH_ALIKE), and rows blank
 * on both sides by position.  An unmatched row is a new action (never another's
 * identity); an unmatched action stays as it is and is named as missing at the end.
 * A group met again later in the run (rows of one agency split by another's) is
 * aligned against what its earlier rows left unmatched. */

#define MATCH_ALIKE IMPORT_MATCH_ALIKE
#define NEAR_ALIKE IMPORT_NEAR_ALIKE
#define HOLD_ROWS 10000          /* rows held at most; a longer question is decided in parts */
#define PAIR_LIMIT 1000000       /* changed rows x unmatched actions compared in one group */

struct cand {                    /* an existing action of a group */
	int64_t id;
	char *text;                  /* as stored */
	struct sig sig;              /* import_sig */
	unsigned said;               /* hash of the text the spreadsheet said last time */
	int withdrawn, taken;
	unsigned *tok;               /* token hashes, sorted, unique */
	size_t ntok;
};

struct held_row {
	struct action a;
	long line;
	int64_t agency_id, response_id;
	int seq;                     /* rows of its group in this run so far: 1 = first visit */
	long match;                  /* candidate index, -1 new */
	int alike;
	unsigned *tok;
	size_t ntok;
};

struct leftovers {               /* what a group's rows left unmatched, for a later visit */
	int64_t question, agency;
	struct cand *c;
	size_t n;
	int used;
};

struct import_match {
	struct held_row *row;
	size_t n, cap;
	int64_t review_id, question_id;
	char *qsort;
	struct leftovers *left;      /* open addressing; lcap a power of two */
	size_t lcap, lused;
	struct import_counts counts;
	struct response_run resp;    /* the last row's response (import_response) */
	struct store_import_opts o;
	char *file;
	char at[32];                 /* the time of the run's changes */
	int finished;
};

static struct response_run *resp_of(struct store *s)
{
	return &s->match->resp;
}

static const char *run_now(const struct store *s)
{
	return s->match && s->match->at[0] ? s->match->at : util_now();
}

static void emit(struct store *s, enum import_event_kind kind, long line, int64_t id, int64_t other, int alike,
                 const char *text)
{
	struct import_match *m = s->match;
	if (m && m->o.on_event) {
		struct import_event ev = { kind, line, id, other, alike, text };
		m->o.on_event(&ev, m->o.ctx);
	}
}

static void cand_clear(struct cand *c)
{
	free(c->text);
	free(c->tok);
	memset(c, 0, sizeof *c);
}

static int hash_cmp(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return (x > y) - (x < y);
}

/* The words of a text as sorted, unique hashes: letters and digits (ASCII folded to
 * lower case, other UTF-8 bytes kept) in runs; everything else separates. */
static unsigned *tokens(const char *text, size_t *n)
{
	size_t cap = 8;
	unsigned *t = xmalloc(cap * sizeof *t);
	*n = 0;
	for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p;) {
		unsigned h = 2166136261u;
		int len = 0;
		for (; *p && (isalnum(*p) || *p >= 0x80); p++, len++)
			h = (h ^ (unsigned)tolower(*p)) * 16777619u;
		if (len) {
			if (*n == cap)
				t = xrealloc(t, (cap *= 2) * sizeof *t);
			t[(*n)++] = h;
		} else {
			p++;
		}
	}
	qsort(t, *n, sizeof *t, hash_cmp);
	size_t u = 0;
	for (size_t i = 0; i < *n; i++)
		if (!u || t[u - 1] != t[i])
			t[u++] = t[i];
	*n = u;
	return t;
}

/* Token-set Jaccard as a fraction inter / uni (0 / 1 when both are empty). */
static void alike(const unsigned *a, size_t na, const unsigned *b, size_t nb, size_t *inter, size_t *uni)
{
	size_t i = 0, j = 0, k = 0;
	while (i < na && j < nb) {
		if (a[i] == b[j])
			k++, i++, j++;
		else if (a[i] < b[j])
			i++;
		else
			j++;
	}
	*inter = k;
	*uni = na + nb - k;
}

static int percent(size_t inter, size_t uni)
{
	return uni ? (int)((inter * 100 + uni / 2) / uni) : 0;
}

/* ---- the leftovers of groups met earlier in the run ---- */

static struct leftovers *left_slot(struct import_match *m, int64_t question, int64_t agency)
{
	if (!m->lcap)
		return NULL;
	uint64_t h = (uint64_t)question * 0x9E3779B97F4A7C15u ^ (uint64_t)agency * 0xC2B2AE3D27D4EB4Fu;
	for (size_t i = (size_t)(h ^ (h >> 29)) & (m->lcap - 1);; i = (i + 1) & (m->lcap - 1)) {
		struct leftovers *l = &m->left[i];
		if (!l->used || (l->question == question && l->agency == agency))
			return l;
	}
}

static void left_put(struct import_match *m, int64_t question, int64_t agency, struct cand *c, size_t n)
{
	if (2 * (m->lused + 1) > m->lcap) {
		struct leftovers *old = m->left;
		size_t oldcap = m->lcap;
		m->lcap = oldcap ? oldcap * 2 : 64;
		m->left = xcalloc(m->lcap, sizeof *m->left);
		m->lused = 0;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].used) {
				*left_slot(m, old[i].question, old[i].agency) = old[i];
				m->lused++;
			}
		free(old);
	}
	struct leftovers *l = left_slot(m, question, agency);
	if (!l->used)
		m->lused++;
	for (size_t i = 0; i < l->n; i++)
		cand_clear(&l->c[i]);
	free(l->c);
	*l = (struct leftovers){ question, agency, c, n, 1 };
}

/* Take a group's leftovers (the caller owns them). */
static struct cand *left_take(struct import_match *m, int64_t question, int64_t agency, size_t *n)
{
	struct leftovers *l = left_slot(m, question, agency);
	*n = 0;
	if (!l || !l->used)
		return NULL;
	struct cand *c = l->c;
	*n = l->n;
	l->c = NULL;
	l->n = 0;
	return c;
}

static struct import_match *match_new(void)
{
	return xcalloc(1, sizeof(struct import_match));
}

static void match_free(struct import_match *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		action_clear(&m->row[i].a);
		free(m->row[i].tok);
	}
	free(m->row);
	free(m->qsort);
	for (size_t i = 0; i < m->lcap; i++) {
		for (size_t j = 0; j < m->left[i].n; j++)
			cand_clear(&m->left[i].c[j]);
		free(m->left[i].c);
	}
	free(m->left);
	free(m->file);
	free(m->resp.pending);
	free(m);
}

/* ---- aligning one group ---- */

struct hash_ix {                 /* a hash and the index it came from, sorted by both */
	unsigned h;
	size_t i;
};

static int hash_ix_cmp(const void *a, const void *b)
{
	const struct hash_ix *x = a, *y = b;
	if (x->h != y->h)
		return (x->h > y->h) - (x->h < y->h);
	return (x->i > y->i) - (x->i < y->i);
}

/* First entry with hash h, or NULL. */
static const struct hash_ix *hash_first(const struct hash_ix *ix, size_t n, unsigned h)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ix[mid].h < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && ix[lo].h == h ? &ix[lo] : NULL;
}

static int row_blank_text(const struct held_row *r)
{
	return !r->a.text || !*r->a.text;
}

static int cand_same(const struct cand *c, const char *text, unsigned h)
{
	return c->said == h || (c->text && strcmp(c->text, text) == 0);
}

/* Rows with an ID: that action, when it is one of the group's. */
static void align_ids(struct held_row **rows, size_t n, struct cand *c, size_t m)
{
	struct hash_ix *ix = xcalloc(m + 1, sizeof *ix);
	for (size_t j = 0; j < m; j++)
		ix[j] = (struct hash_ix){ (unsigned)c[j].id ^ (unsigned)(c[j].id >> 32), j };
	qsort(ix, m, sizeof *ix, hash_ix_cmp);
	for (size_t i = 0; i < n; i++) {
		int64_t id = rows[i]->a.id;
		const struct hash_ix *e = id > 0 ? hash_first(ix, m, (unsigned)id ^ (unsigned)(id >> 32)) : NULL;
		for (; e && e < ix + m && e->h == ((unsigned)id ^ (unsigned)(id >> 32)); e++)
			if (c[e->i].id == id && !c[e->i].taken) {
				c[e->i].taken = 1;
				rows[i]->match = (long)e->i;
				rows[i]->alike = 100;
				break;
			}
	}
	free(ix);
}

/* Identical text: the row and the action's text, or what the spreadsheet said for it
 * last time (the action may have been edited in ragtrack since), first untaken first. */
static void align_identical(struct store *s, struct held_row **rows, size_t n, struct cand *c, size_t m)
{
	struct hash_ix *ix = xcalloc(2 * m + 1, sizeof *ix);
	size_t k = 0;
	for (size_t j = 0; j < m; j++) {
		if (c[j].taken || str_empty(c[j].text))
			continue;
		ix[k++] = (struct hash_ix){ fnv1a(c[j].text), j };
		if (c[j].said != fnv1a(c[j].text))
			ix[k++] = (struct hash_ix){ c[j].said, j };
	}
	qsort(ix, k, sizeof *ix, hash_ix_cmp);
	struct hash_ix *rx = xcalloc(n + 1, sizeof *rx);
	size_t nr = 0;
	for (size_t i = 0; i < n; i++) {
		if (rows[i]->match >= 0 || row_blank_text(rows[i]))
			continue;
		unsigned h = fnv1a(rows[i]->a.text);
		for (const struct hash_ix *e = hash_first(ix, k, h); e && e < ix + k && e->h == h; e++)
			if (!c[e->i].taken && cand_same(&c[e->i], rows[i]->a.text, h)) {
				c[e->i].taken = 1;
				rows[i]->match = (long)e->i;
				rows[i]->alike = 100;
				rx[nr++] = (struct hash_ix){ h, i };
				break;
			}
	}
	/* An identical action left over: the row matched could have been either. */
	qsort(rx, nr, sizeof *rx, hash_ix_cmp);
	for (size_t j = 0; j < m; j++) {
		if (c[j].taken || str_empty(c[j].text))
			continue;
		unsigned h = fnv1a(c[j].text);
		const struct hash_ix *e = hash_first(rx, nr, h);
		if (e && cand_same(&c[j], rows[e->i]->a.text, h))
			emit(s, IMPORT_AMBIGUOUS, rows[e->i]->line, c[rows[e->i]->match].id, c[j].id, 100, NULL);
	}
	free(ix);
	free(rx);
}

struct pair {
	size_t row, cand;
	size_t inter, uni;
};

/* Most alike first; ties by row order, then by the action's order. */
static int pair_cmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	uint64_t l = (uint64_t)x->inter * y->uni, r = (uint64_t)y->inter * x->uni;
	if (l != r)
		return l > r ? -1 : 1;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return (x->cand > y->cand) - (x->cand < y->cand);
}

static int pair_same_score(const struct pair *x, const struct pair *y)
{
	return (uint64_t)x->inter * y->uni == (uint64_t)y->inter * x->uni;
}

/* Changed text: the most alike pairs of the rows and actions still unmatched, at or
 * above MATCH_ALIKE percent; a tie with another free row or action is said. */
static void align_similar(struct store *s, struct held_row **rows, size_t n, struct cand *c, size_t m)
{
	size_t nr = 0, nc = 0;
	for (size_t i = 0; i < n; i++)
		nr += rows[i]->match < 0 && !row_blank_text(rows[i]);
	for (size_t j = 0; j < m; j++)
		nc += !c[j].taken && !str_empty(c[j].text);
	if (!nr || !nc)
		return;
	if (nr * nc > PAIR_LIMIT) {
		for (size_t i = 0; i < n; i++)
			if (rows[i]->match < 0 && !row_blank_text(rows[i]))
				emit(s, IMPORT_TOO_MANY, rows[i]->line, 0, 0, 0, NULL);
		return;
	}
	struct pair *p = xcalloc(nr * nc + 1, sizeof *p);
	size_t np = 0;
	for (size_t i = 0; i < n; i++) {
		struct held_row *r = rows[i];
		if (r->match >= 0 || row_blank_text(r))
			continue;
		if (!r->tok)
			r->tok = tokens(r->a.text, &r->ntok);
		for (size_t j = 0; j < m; j++) {
			if (c[j].taken || str_empty(c[j].text))
				continue;
			if (!c[j].tok)
				c[j].tok = tokens(c[j].text, &c[j].ntok);
			struct pair x = { i, j, 0, 0 };
			alike(r->tok, r->ntok, c[j].tok, c[j].ntok, &x.inter, &x.uni);
			if (percent(x.inter, x.uni) >= NEAR_ALIKE)
				p[np++] = x;
		}
	}
	qsort(p, np, sizeof *p, pair_cmp);
	for (size_t k = 0; k < np; k++) {
		struct held_row *r = rows[p[k].row];
		struct cand *cj = &c[p[k].cand];
		int pct = percent(p[k].inter, p[k].uni);
		if (r->match >= 0 || cj->taken || pct < MATCH_ALIKE)
			continue;
		/* a tie: the same score for this row with another free action */
		int64_t other = 0;
		for (size_t t = k + 1; t < np && pair_same_score(&p[t], &p[k]) && !other; t++)
			if (p[t].row == p[k].row && !c[p[t].cand].taken)
				other = c[p[t].cand].id;
		cj->taken = 1;
		r->match = (long)p[k].cand;
		r->alike = pct;
		if (other)
			emit(s, IMPORT_AMBIGUOUS, r->line, cj->id, other, pct, NULL);
	}
	/* near misses: a row left new whose nearest action was close */
	for (size_t k = 0; k < np; k++) {
		struct held_row *r = rows[p[k].row];
		if (r->match >= 0 || r->alike < 0 || c[p[k].cand].taken)
			continue;
		r->alike = -1;            /* said once: for its best pair, the first in order */
		emit(s, IMPORT_TOO_DIFFERENT, r->line, c[p[k].cand].id, 0, percent(p[k].inter, p[k].uni), NULL);
	}
	free(p);
}

/* How many of a blank-text row's other fields (RAG, target, evidence, lead, constraints,
 * desired outcome, extra fields) the spreadsheet said the same as last time for c. */
static size_t blank_score(const struct held_row *r, const struct cand *c)
{
	if (c->sig.len < SIG_KNOWN)
		return 0;
	struct sig sig;
	sig_make(&r->a, &c->sig, &sig);
	size_t same = 0;
	for (size_t f = SIG_RAG; f <= SIG_COUNT; f++)
		same += sig_same_field(&sig, &c->sig, f);
	return same;
}

/* Rows with no action text, to the blank actions whose other fields they share most
 * (ties by order): a deleted blank row never hands its neighbour's evidence on. */
static void align_blank(struct held_row **rows, size_t n, struct cand *c, size_t m)
{
	size_t nr = 0, nc = 0;
	for (size_t i = 0; i < n; i++)
		nr += rows[i]->match < 0 && row_blank_text(rows[i]);
	for (size_t j = 0; j < m; j++)
		nc += !c[j].taken;
	if (!nr || !nc || nr * nc > PAIR_LIMIT)
		return;
	struct pair *p = xcalloc(nr * nc + 1, sizeof *p);
	size_t np = 0;
	for (size_t i = 0; i < n; i++) {
		struct held_row *r = rows[i];
		if (r->match >= 0 || !row_blank_text(r))
			continue;
		for (size_t j = 0; j < m; j++) {
			if (c[j].taken || (r->a.text && !str_empty(c[j].text)))
				continue;
			struct pair x = { i, j, blank_score(r, &c[j]), 1 };
			if (x.inter)
				p[np++] = x;
		}
	}
	qsort(p, np, sizeof *p, pair_cmp);
	for (size_t k = 0; k < np; k++) {
		struct held_row *r = rows[p[k].row];
		if (r->match >= 0 || c[p[k].cand].taken)
			continue;
		c[p[k].cand].taken = 1;
		r->match = (long)p[k].cand;
		r->alike = 100;
	}
	free(p);
}

/* Rows blank on both sides, in order; a file with no action column at all has no text
 * to move, so its rows take the group's actions in order. */
static void align_position(struct held_row **rows, size_t n, struct cand *c, size_t m)
{
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		struct held_row *r = rows[i];
		if (r->match >= 0 || !row_blank_text(r))
			continue;
		int any = !r->a.text;
		while (j < m && (c[j].taken || (!any && !str_empty(c[j].text))))
			j++;
		if (j == m)
			break;
		c[j].taken = 1;
		r->match = (long)j;
		r->alike = 100;
	}
}

static void align(struct store *s, struct held_row **rows, size_t n, struct cand *c, size_t m)
{
	for (size_t i = 0; i < n; i++) {
		rows[i]->match = -1;
		rows[i]->alike = 0;
	}
	if (!m)
		return;
	align_ids(rows, n, c, m);
	align_identical(s, rows, n, c, m);
	align_similar(s, rows, n, c, m);
	align_blank(rows, n, c, m);
	align_position(rows, n, c, m);
}

/* ---- deciding the rows held ---- */

static enum status action_add(struct store *s, struct action *a, int64_t agency_id, int64_t response_id,
                              const char *qsort, const struct sig *sig, struct err *err);
static enum status action_refresh(struct store *s, sqlite3_stmt *got, struct action *a, enum row_result *res,
                                  struct err *err);

/* The group's existing actions (older than the run) as candidates, and its highest seq. */
static enum status group_read(struct store *s, int64_t question, int64_t agency, struct cand **out, size_t *n,
                              int *max_seq, int want_cands, struct err *err)
{
	sqlite3_stmt *st = stmt(s, ST_GROUP_ACTIONS);
	sqlite3_bind_int64(st, 1, question);
	sqlite3_bind_int64(st, 2, agency);
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	*max_seq = 0;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int seq = sqlite3_column_int(st, 1);
		if (seq > *max_seq)
			*max_seq = seq;
		if (!want_cands || sqlite3_column_int64(st, 0) > s->max_before)
			continue;
		if (*n == cap)
			*out = xrealloc(*out, (cap = cap ? cap * 2 : 8) * sizeof **out);
		struct cand *c = &(*out)[(*n)++];
		memset(c, 0, sizeof *c);
		c->id = sqlite3_column_int64(st, 0);
		c->text = store_col_dup(st, 2);
		sig_read(st, 3, &c->sig);
		c->said = c->sig.len ? get32(c->sig.b) : 0;
		c->withdrawn = sqlite3_column_int(st, 4);
	}
	return step == SQLITE_DONE ? OK : store_fail(s, err, "reading a group's actions");
}

static enum status withdrawn_set(struct store *s, int64_t id, int on, int64_t batch, struct err *err)
{
	sqlite3_stmt *st = stmt(s, ST_WITHDRAW);
	sqlite3_bind_int(st, 1, on);
	store_bind_text(st, 2, run_now(s));
	sqlite3_bind_int64(st, 3, id);
	if (step_done(s, st, err, "withdrawing an action") != OK)
		return ERR_DB;
	return store_log(s, id, batch, "withdrawn", on ? "no" : "yes", on ? "yes" : "no", NULL, 0, err);
}

/* A row matched to an existing action: the fields its spreadsheet changed. */
static enum status held_refresh(struct store *s, struct held_row *r, struct cand *c, struct err *err)
{
	struct import_match *m = s->match;
	enum row_result res = ROW_UNCHANGED;
	struct sig sig;
	r->a.id = c->id;
	sig_make(&r->a, &c->sig, &sig);
	enum status rc = OK;
	if (!sig_eq(&sig, &c->sig)) {
		sqlite3_stmt *got = stmt(s, ST_ACTION_BY_ID);
		sqlite3_bind_int64(got, 1, c->id);
		if (sqlite3_step(got) != SQLITE_ROW)
			return store_fail(s, err, "reading an action");
		rc = action_refresh(s, got, &r->a, &res, err);
	}
	if (rc == OK && c->withdrawn) {
		rc = withdrawn_set(s, c->id, 0, s->batch, err);
		emit(s, IMPORT_REINSTATED, r->line, c->id, 0, 0, NULL);
		res = ROW_UPDATED;
	}
	if (rc == OK && r->alike < 100)
		emit(s, IMPORT_EDITED, r->line, c->id, 0, r->alike, NULL);
	long *count[] = { &m->counts.added, &m->counts.updated, &m->counts.unchanged };
	(*count[res])++;
	return rc;
}

/* A row no action matched: a new action after the group's last, logged as added. */
static enum status held_add(struct store *s, struct held_row *r, int *max_seq, struct err *err)
{
	struct import_match *m = s->match;
	struct sig sig;
	sig_make(&r->a, NULL, &sig);
	r->a.seq = ++*max_seq;
	enum status rc = action_add(s, &r->a, r->agency_id, r->response_id, m->qsort, &sig, err);
	if (rc == OK) {
		char *where = xasprintf("%s:%ld", m->file ? m->file : "", r->line);
		rc = store_log(s, r->a.id, s->batch, "added", NULL, r->a.text ? r->a.text : "", where, 0, err);
		free(where);
	}
	m->counts.added++;
	return rc;
}

/* One group's rows (file order), aligned and stored; what is left unmatched is kept. */
static enum status group_decide(struct store *s, struct held_row **rows, size_t n, struct err *err)
{
	struct import_match *m = s->match;
	int64_t agency = rows[0]->agency_id;
	int revisit = rows[0]->seq > 1;
	struct cand *c = NULL;
	size_t nc = 0;
	int max_seq;
	enum status rc = group_read(s, m->question_id, agency, &c, &nc, &max_seq, !revisit, err);
	if (rc == OK && revisit) {
		free(c);
		c = left_take(m, m->question_id, agency, &nc);
	}
	if (rc == OK)
		align(s, rows, n, c, nc);
	for (size_t i = 0; rc == OK && i < n; i++)
		rc = rows[i]->match >= 0 ? held_refresh(s, rows[i], &c[rows[i]->match], err) : held_add(s, rows[i], &max_seq, err);
	size_t left = 0;
	for (size_t j = 0; j < nc; j++) {
		if (c[j].taken) {
			cand_clear(&c[j]);
			continue;
		}
		free(c[j].tok);
		c[j].tok = NULL;
		c[left++] = c[j];
	}
	if (left || revisit)
		left_put(m, m->question_id, agency, left ? c : NULL, left);
	if (!left)
		free(c);
	return rc;
}

static int held_by_agency(const void *a, const void *b)
{
	const struct held_row *x = *(const struct held_row *const *)a, *y = *(const struct held_row *const *)b;
	if (x->agency_id != y->agency_id)
		return x->agency_id < y->agency_id ? -1 : 1;
	return (x > y) - (x < y);         /* file order: rows are held in it */
}

enum status store_import_flush(struct store *s, struct err *err)
{
	struct import_match *m = s->match;
	if (!m || !m->n)
		return OK;
	int64_t review = s->cache.review_id, question = s->cache.question_id;
	s->cache.review_id = m->review_id;         /* action_add reads them */
	s->cache.question_id = m->question_id;
	struct held_row **rows = xcalloc(m->n, sizeof *rows);
	for (size_t i = 0; i < m->n; i++)
		rows[i] = &m->row[i];
	qsort(rows, m->n, sizeof *rows, held_by_agency);
	enum status rc = OK;
	for (size_t i = 0, j; rc == OK && i < m->n; i = j) {
		for (j = i; j < m->n && rows[j]->agency_id == rows[i]->agency_id; j++)
			;
		rc = group_decide(s, rows + i, j - i, err);
	}
	free(rows);
	for (size_t i = 0; i < m->n; i++) {
		action_clear(&m->row[i].a);
		free(m->row[i].tok);
	}
	m->n = 0;
	s->cache.review_id = review;
	s->cache.question_id = question;
	return rc;
}

/* Store the held group when the next row starts another (or the group is full). */
static enum status group_flush_if_done(struct store *s, struct err *err)
{
	struct import_match *m = s->match;
	if (m->n && (m->question_id != s->cache.question_id || m->n >= HOLD_ROWS))
		return store_import_flush(s, err);
	return OK;
}

/* Hold a row of an import into a database with actions: moved from a. */
static enum status row_hold(struct store *s, struct action *a, long line, int64_t agency_id, int64_t response_id,
                            int seq, char *qsort)
{
	struct import_match *m = s->match;
	if (!m->n) {
		m->review_id = s->cache.review_id;
		m->question_id = s->cache.question_id;
		free(m->qsort);
		m->qsort = qsort;
	} else {
		free(qsort);
	}
	if (m->n == m->cap)
		m->row = xrealloc(m->row, (m->cap = m->cap ? m->cap * 2 : 64) * sizeof *m->row);
	struct held_row *r = &m->row[m->n++];
	memset(r, 0, sizeof *r);
	r->a = *a;
	action_init(a);
	r->line = line;
	r->agency_id = agency_id;
	r->response_id = response_id;
	r->seq = seq;
	return OK;
}

enum status store_import_row(struct store *s, struct action *a, long line, struct err *err)
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
	/* the group before this row is stored first: it places its extra fields by the
	 * positions of its own file and review (s->xf) */
	if (rc == OK && s->max_before > 0)
		rc = group_flush_if_done(s, err);
	if (rc == OK && a->nextra)
		rc = extras_place(s, a, err);
	if (rc == OK && s->max_before > 0)
		return row_hold(s, a, line, agency_id, response_id, a->seq, qsort);
	if (rc == OK) {                /* an empty database: every row is a new action */
		struct sig sig;
		sig_make(a, NULL, &sig);
		rc = action_add(s, a, agency_id, response_id, qsort, &sig, err);
		s->match->counts.added++;
	}
	free(qsort);
	return rc;
}

/* ---- the end of the files: the missing ---- */

static int cand_by_id(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

/* Actions of the reviews and agencies the files covered that no row matched: the
 * leftovers of the groups met, and the actions of the groups not met (a question whose
 * every row of the agency was deleted) under a review and agency that were.  Named in
 * id order; withdrawn when asked. */
static enum status missing_settle(struct store *s, struct err *err)
{
	struct import_match *m = s->match;
	static const char cover[] =
		"CREATE TEMP TABLE IF NOT EXISTS import_cover(review_id INTEGER, agency_id INTEGER,"
		" PRIMARY KEY (review_id, agency_id)) WITHOUT ROWID;"
		"DELETE FROM temp.import_cover;";
	static const char fill[] =
		"INSERT OR IGNORE INTO temp.import_cover SELECT q.review_id, ifnull(r.agency_id, 0)"
		" FROM response r JOIN question q ON q.id = r.question_id WHERE r.run = ?1";
	static const char sql[] =
		"SELECT a.id, a.text FROM temp.import_cover c JOIN question q ON q.review_id = c.review_id"
		" JOIN response r ON r.question_id = q.id AND ifnull(r.agency_id, 0) = c.agency_id"
		" JOIN action a ON a.response_id = r.id"
		" WHERE r.run <> ?1 AND a.id <= ?2 AND a.withdrawn = 0";
	if (store_exec(s, cover, err) != OK)
		return ERR_DB;
	sqlite3_stmt *st;
	enum status rc = store_prepare(s, &st, fill, err);
	if (rc != OK)
		return rc;
	sqlite3_bind_int64(st, 1, s->run);
	enum status frc = step_done(s, st, err, "finding what the files cover");
	sqlite3_finalize(st);
	if (frc != OK)
		return frc;
	struct cand *list = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < m->lcap; i++)
		for (size_t j = 0; j < m->left[i].n; j++) {
			struct cand *c = &m->left[i].c[j];
			if (c->withdrawn)
				continue;
			if (n == cap)
				list = xrealloc(list, (cap = cap ? cap * 2 : 16) * sizeof *list);
			list[n++] = (struct cand){ .id = c->id, .text = c->text };
		}
	rc = store_prepare(s, &st, sql, err);
	if (rc != OK) {
		free(list);
		return rc;
	}
	sqlite3_bind_int64(st, 1, s->run);
	sqlite3_bind_int64(st, 2, s->max_before);
	int step;
	char **owned = NULL;
	size_t nowned = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			list = xrealloc(list, (cap = cap ? cap * 2 : 16) * sizeof *list);
		owned = xrealloc(owned, (nowned + 1) * sizeof *owned);
		owned[nowned++] = store_col_dup(st, 1);
		list[n++] = (struct cand){ .id = sqlite3_column_int64(st, 0), .text = owned[nowned - 1] };
	}
	rc = step == SQLITE_DONE ? OK : store_fail(s, err, "finding the actions not in the files");
	sqlite3_finalize(st);
	if (n)
		qsort(list, n, sizeof *list, cand_by_id);
	for (size_t i = 0; rc == OK && i < n; i++) {
		m->counts.missing++;
		emit(s, IMPORT_MISSING, 0, list[i].id, 0, 0, list[i].text);
		if (m->o.withdraw_missing) {
			rc = withdrawn_set(s, list[i].id, 1, s->batch + 1, err);
			m->counts.withdrawn++;
			emit(s, IMPORT_WITHDRAWN, 0, list[i].id, 0, 0, list[i].text);
		}
	}
	for (size_t i = 0; i < nowned; i++)
		free(owned[i]);
	free(owned);
	free(list);
	return rc;
}

/* Responses whose text this run assembled differently: set the text, logging the change
 * against the response's first action (not for a response this run created: that is
 * its first text, not a change). */
static enum status responses_settle(struct store *s, struct err *err)
{
	sqlite3_stmt *st;
	enum status rc = store_prepare(s, &st,
	                               "SELECT r.id, r.text, r.pending, (SELECT min(id) FROM action WHERE response_id = r.id),"
	                               " r.created_run = r.run FROM response r WHERE r.run = ? AND r.pending <> '' AND r.pending <> r.text", err);
	if (rc != OK)
		return rc;
	sqlite3_bind_int64(st, 1, s->run);
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
	enum status rc = store_prepare(s, &st,
	                               "UPDATE review SET board = ifnull(nullif(?2, ''), board), kind = ifnull(nullif(?3, ''), kind),"
	                               " as_at = ifnull(nullif(?4, ''), as_at), source_file = ifnull(nullif(?5, ''), source_file)"
	                               " WHERE name = ?1", err);
	if (rc != OK)
		return rc;
	store_bind_text(st, 1, review);
	store_bind_text(st, 2, board);
	store_bind_text(st, 3, kind);
	store_bind_text(st, 4, as_at);
	store_bind_text(st, 5, source_file);
	rc = step_done(s, st, err, "describing a review");
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
	enum status rc = store_prepare(s, &st, "SELECT id, question, response, action, evidence, extra FROM action_fts_source"
	                                       " WHERE id IN (SELECT id FROM temp.fts_dirty)", err);
	if (rc != OK)
		return rc;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		side_put_row(s, 0, st);
	rc = step == SQLITE_DONE ? OK : store_fail(s, err, "indexing actions");
	sqlite3_finalize(st);
	const char *path = rc == OK ? fts_side_finish(s->side) : NULL;
	if (!path)
		return rc == OK ? store_exec(s, "DELETE FROM temp.fts_dirty", err) : rc;
	rc = store_prepare(s, &st, "ATTACH ? AS fts_side", err);
	if (rc != OK)
		return rc;
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
	enum status rc = store_prepare(s, &st, "INSERT INTO rag_count VALUES (?, ?, ?, ?, ?)", err);
	if (rc != OK)
		return rc;
	for (size_t i = 0; rc == OK && i < s->tally->cap; i++) {
		const struct tally_slot *x = &s->tally->slot[i];
		if (!x->n)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, x->review);
		sqlite3_bind_int64(st, 2, x->agency);
		sqlite3_bind_int(st, 3, x->rag);
		sqlite3_bind_int64(st, 4, x->n);
		sqlite3_bind_int64(st, 5, x->dated);
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
	buf_adds(&sql, s->tally ? "DELETE FROM rag_count;" : RAG_COUNT_REBUILD_SQL ";");
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
	match_free(s->match);
	s->match = NULL;
	side_end(s);
	tally_free(s->tally);
	s->tally = NULL;
	free(s->deferred_indexes);
	s->deferred_indexes = NULL;
}

enum status store_import_commit(struct store *s, struct err *err)
{
	enum status rc = store_import_finish(s, err);
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
	enum status rc = store_prepare(s, &st,
	                               "SELECT count(DISTINCT q.review_id), count(DISTINCT r.question_id), count(DISTINCT r.agency_id)"
	                               " FROM response r JOIN question q ON q.id = r.question_id WHERE r.run = ?", err);
	if (rc != OK)
		return rc;
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

/* ---- the run's options, counts and changes ------------------------------------------ */

void store_import_configure(struct store *s, const struct store_import_opts *o)
{
	struct import_match *m = s->match;
	if (!m || !o)
		return;
	m->o = *o;
	m->at[0] = '\0';
	if (o->at)
		snprintf(m->at, sizeof m->at, "%s", o->at);
	m->o.at = NULL;
}

void store_import_file(struct store *s, const char *name)
{
	if (s->match) {
		free(s->match->file);
		s->match->file = xstrdup(name ? name : "");
	}
}

enum status store_import_finish(struct store *s, struct err *err)
{
	struct import_match *m = s->match;
	if (m && m->finished)
		return OK;
	enum status rc = store_import_flush(s, err);
	if (rc == OK && m)
		rc = resp_write(s, &m->resp, err);
	if (rc == OK)
		rc = indexes_restore(s, err);
	if (rc == OK)
		rc = responses_settle(s, err);
	if (rc == OK && m && s->max_before > 0)
		rc = missing_settle(s, err);
	if (m)
		m->finished = 1;
	return rc;
}

void store_import_counts(const struct store *s, struct import_counts *c)
{
	static const struct import_counts none;
	*c = s->match ? s->match->counts : none;
}

enum status store_import_changes(struct store *s, store_change_fn fn, void *ctx, struct err *err)
{
	sqlite3_stmt *st;
	enum status rc = store_prepare(s, &st,
	                               "SELECT id, action_id, at, user, field, old_value, new_value, source, reason, batch,"
	                               " ifnull(undoes, 0), os_user FROM change_log WHERE batch IN (?1, ?1 + 1) ORDER BY id", err);
	if (rc != OK)
		return rc;
	sqlite3_bind_int64(st, 1, s->batch);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
#define COL(i) ((const char *)sqlite3_column_text(st, (i)))
		struct change c = { sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), COL(2), COL(3), COL(4), COL(5),
		                    COL(6), COL(7), COL(8), sqlite3_column_int64(st, 9), sqlite3_column_int64(st, 10),
		                    COL(11) };
#undef COL
		if (fn(&c, ctx))
			break;
	}
	rc = step == SQLITE_ROW || step == SQLITE_DONE ? OK : store_fail(s, err, "reading the change log");
	sqlite3_finalize(st);
	return rc;
}

/* meta key of a review's remembered warnings */
static char *warnings_key(const char *review)
{
	return xasprintf("import_warnings\x1f%s", review ? review : "");
}

enum status store_import_warnings_get(struct store *s, const char *review, char **value, struct err *err)
{
	sqlite3_stmt *st;
	*value = NULL;
	enum status rc = store_prepare(s, &st, "SELECT value FROM meta WHERE key = ?", err);
	if (rc != OK)
		return rc;
	char *key = warnings_key(review);
	store_bind_text(st, 1, key);
	free(key);
	*value = xstrdup(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)
	                 ? (const char *)sqlite3_column_text(st, 0) : "");
	sqlite3_finalize(st);
	return OK;
}

enum status store_import_warnings_set(struct store *s, const char *review, const char *value, struct err *err)
{
	sqlite3_stmt *st;
	enum status rc = store_prepare(s, &st, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", err);
	if (rc != OK)
		return rc;
	char *key = warnings_key(review);
	store_bind_text(st, 1, key);
	store_bind_text(st, 2, value);
	free(key);
	rc = step_done(s, st, err, "remembering the warnings");
	sqlite3_finalize(st);
	return rc;
}

/* ---- remembered RAG words ------------------------------------------------------------ */

enum status store_rag_words(struct store *s, struct store_rag_word **out, size_t *n, struct err *err)
{
	sqlite3_stmt *st;
	*out = NULL;
	*n = 0;
	enum status rc = store_prepare(s, &st, "SELECT r.name, w.word, w.rag FROM rag_word w JOIN review r ON r.id = w.review_id"
	                                       " ORDER BY r.name, w.word", err);
	if (rc != OK)
		return rc;
	size_t cap = 0;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		(*out)[*n].review = xstrdup((const char *)sqlite3_column_text(st, 0));
		(*out)[*n].word = xstrdup((const char *)sqlite3_column_text(st, 1));
		(*out)[(*n)++].rag = (enum rag)sqlite3_column_int(st, 2);
	}
	enum status res = step == SQLITE_DONE ? OK : store_fail(s, err, "reading the remembered RAG words");
	sqlite3_finalize(st);
	return res;
}

void store_rag_words_free(struct store_rag_word *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(w[i].review);
		free(w[i].word);
	}
	free(w);
}

enum status store_rag_word_save(struct store *s, const char *review, const char *word, enum rag rag,
                                struct err *err)
{
	sqlite3_stmt *st;
	enum status rc = store_prepare(s, &st, "INSERT INTO rag_word(review_id, word, rag) SELECT id, ?2, ?3 FROM review WHERE name = ?1"
	                                       " ON CONFLICT DO UPDATE SET rag = excluded.rag", err);
	if (rc != OK)
		return rc;
	store_bind_text(st, 1, review);
	store_bind_text(st, 2, word);
	sqlite3_bind_int(st, 3, (int)rag);
	rc = step_done(s, st, err, "remembering a RAG word");
	sqlite3_finalize(st);
	return rc;
}
