/* store_edit: changing actions (set, note, undo), reading the change log and the
 * notes, and merging agency spellings.
 *
 * Every edit is one BEGIN IMMEDIATE transaction: the row is read, checked and written
 * under the write lock, so no other process can slip a change in between the version
 * check and the write it guards.  Every changed field is one change_log row; the rows
 * of one edit share a batch, which is what undo reverses.  A note is not a field
 * change: it touches the action (touched_at) but leaves its version alone, so adding
 * a note never makes someone else's edit conflict. */
#include "store_int.h"
#include "store_db.h"
#include "ragtrack/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How a field is read (as displayed and logged) and which column holds it. */
static const struct {
	const char *select;       /* expression over action a JOIN response r */
	const char *column;       /* action column written by a plain text edit */
} FIELD_COL[FIELD_COUNT] = {
	[FIELD_RAG] = { "a.rag", NULL },
	[FIELD_TARGET] = { "coalesce(a.target_date, a.target_raw)", NULL },
	[FIELD_LEAD] = { "a.lead", "lead" },
	[FIELD_EVIDENCE] = { "a.evidence", "evidence" },
	[FIELD_TEXT] = { "a.text", "text" },
	[FIELD_CONSTRAINTS] = { "a.constraints", "constraints" },
	[FIELD_DESIRED] = { "a.desired", "desired" },
	[FIELD_RESPONSE] = { "r.text", NULL },
	[FIELD_WITHDRAWN] = { "CASE a.withdrawn WHEN 1 THEN 'yes' ELSE 'no' END", NULL },
};

/* One action's editable state, read inside an edit's transaction.  value[] holds each
 * field as the change log shows it: RAG name ("" unset), target ISO date or text. */
struct row {
	int64_t id, version, response_id;
	char *value[FIELD_COUNT];
};

static void row_clear(struct row *r)
{
	for (int f = 0; f < FIELD_COUNT; f++)
		free(r->value[f]);
	memset(r, 0, sizeof *r);
}

/* ---- small helpers ------------------------------------------------------------- */

/* Bind parameters described by types: 't' text (NULL binds NULL), 'i' int64. */
static void bind_args(struct db_stmt *st, const char *types, va_list ap)
{
	for (int i = 0; types[i]; i++) {
		if (types[i] == 'i')
			db_bind_int(st, i + 1, va_arg(ap, int64_t));
		else
			db_bind_text(st, i + 1, va_arg(ap, const char *));
	}
}

/* Prepare a query through the statement layer (either engine) and bind its parameters:
 * 't' text (NULL binds NULL), 'i' int64.  The caller steps and finalizes. */
static enum status vquery(struct store *s, struct db_stmt **st, struct err *err, const char *sql, const char *types,
                          va_list ap)
{
	if (s->db)
		store_plan_note(s, sql);
	if (db_prepare(store_db(s), sql, st, err) != OK)
		return s->db ? store_fail(s, err, "preparing a query") : ERR_DB;
	bind_args(*st, types, ap);
	return OK;
}

static enum status edit_query(struct store *s, struct db_stmt **st, struct err *err, const char *sql,
                              const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	enum status rc = vquery(s, st, err, sql, types, ap);
	va_end(ap);
	return rc;
}

/* Run one statement that returns no rows, with parameters as edit_query binds them. */
static enum status edit_run(struct store *s, struct err *err, const char *doing, const char *sql,
                            const char *types, ...)
{
	struct db_stmt *st;
	va_list ap;
	va_start(ap, types);
	enum status rc = vquery(s, &st, err, sql, types, ap);
	va_end(ap);
	if (rc != OK)
		return rc;
	rc = db_step(st, err) == DB_ERROR ? store_db_fail(s, err, doing) : OK;
	db_finalize(st);
	return rc;
}

/* Begin an edit that logs its changes.  On a server the change log's chain lock comes
 * first, before any action's row: every logging writer (edits, undo, a merge, an
 * import) takes its locks in that one order, so an edit holding its action's row and a
 * merge holding the chain while it moves that action wait for each other instead of
 * deadlocking.  Edits are serialised as a file's are; reads are not. */
static enum status edit_begin(struct store *s, struct err *err)
{
	enum status rc = store_begin(s, err);
	if (rc == OK && s->pg && (rc = db_exec(s->pg, "SELECT " PG_CHAIN_LOCK, err)) != OK)
		store_rollback(s);
	return rc;
}

/* A value for a one-line message: control characters made visible, newlines as
 * spaces, cut at about 60 bytes on a character boundary.  Caller frees. */
static char *shown(const char *v)
{
	return text_shorten(text_visible(v ? v : "", ' '), 60);
}

/* "2016-06-30T12:00:00Z" as "2016-06-30 12:00 UTC" (other text unchanged) in out. */
static void when_text(const char *at, char out[32])
{
	if (at && strlen(at) >= 16 && at[10] == 'T')
		snprintf(out, 32, "%.10s %.5s UTC", at, at + 11);
	else
		snprintf(out, 32, "%s", at ? at : "?");
}

/* A value as typed, made storable: control characters other than newline and tab
 * dropped (so "\r\n" becomes "\n"), surrounding white space trimmed.  NULL when in is
 * not valid UTF-8.  Caller frees. */
static char *value_clean(const char *in)
{
	if (!in)
		in = "";
	if (!utf8_valid(in, strlen(in), NULL))
		return NULL;
	struct buf b = {0};
	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7F)
			continue;
		if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {   /* C1 control */
			p++;
			continue;
		}
		buf_addc(&b, (char)*p);
	}
	return str_trim(buf_steal(&b));
}

/* Is the action there, and inside the agency lens?  ERR_NOT_FOUND when missing, and
 * under a lens the same words for another agency's action, read or write (as store_get
 * sees it): no oracle of which IDs exist. */
static enum status action_check(struct store *s, int64_t id, struct err *err)
{
	struct db_stmt *st;
	if (edit_query(s, &st, err, "SELECT coalesce(agency_id, 0) FROM action WHERE id = ?", "i", id) != OK)
		return ERR_DB;
	enum db_step step = db_step(st, err);
	int found = step == DB_ROW;
	int64_t agency = found ? db_col_int(st, 0) : 0;
	db_finalize(st);
	if (step == DB_ERROR)
		return store_db_fail(s, err, "reading an action");
	if (s->lens_agency && (!found || agency != s->lens_agency))
		return store_lens_missing(s, id, err);
	if (!found)
		return err_set(err, ERR_NOT_FOUND, "no action %lld", (long long)id);
	return OK;
}

/* Read one action's editable state into r (cleared first). */
static enum status row_read(struct store *s, int64_t id, struct row *r, struct err *err)
{
	memset(r, 0, sizeof *r);
	struct buf sql = {0};
	buf_adds(&sql, "SELECT a.version, a.response_id");
	for (int f = 0; f < FIELD_COUNT; f++)
		buf_printf(&sql, ", %s", FIELD_COL[f].select);
	buf_adds(&sql, " FROM action a JOIN response r ON r.id = a.response_id WHERE a.id = ?");
	if (s->pg)          /* held to the commit: no other edit slips in between check and write */
		buf_adds(&sql, " FOR UPDATE");
	struct db_stmt *st;
	enum status rc = edit_query(s, &st, err, sql.s, "i", id);
	buf_free(&sql);
	if (rc != OK)
		return rc;
	enum db_step step = db_step(st, err);
	if (step == DB_ERROR) {
		rc = store_db_fail(s, err, "reading an action");
	} else if (step == DB_ROW) {
		r->id = id;
		r->version = db_col_int(st, 0);
		r->response_id = db_col_int(st, 1);
		for (int f = 0; f < FIELD_COUNT; f++)
			r->value[f] = f == FIELD_RAG ? xstrdup(rag_name((enum rag)db_col_int(st, 2 + f)))
			                             : db_col_dup(st, 2 + f);
		for (int f = 0; f < FIELD_COUNT; f++)
			if (!r->value[f])
				r->value[f] = xstrdup("");
	} else {
		rc = err_set(err, ERR_NOT_FOUND, "no action %lld", (long long)id);
	}
	db_finalize(st);
	return rc;
}

/* ---- writing one field ----------------------------------------------------------- */

/* Write value (as logged: RAG name, ISO date or text) to field f of r.  raw is the
 * target as typed.  No validation: set validates first, undo restores exactly. */
static enum status field_write(struct store *s, const struct row *r, enum action_field f, const char *value,
                               const char *raw, struct err *err)
{
	if (f == FIELD_RAG) {
		enum rag rag = RAG_UNSET;
		if (!str_empty(value) && rag_from_user(value, &rag) != 0)
			return err_set(err, ERR_INVALID, "rag: '%s' is not a RAG status", value);
		return edit_run(s, err, "changing the RAG", "UPDATE action SET rag = ?, rag_raw = ? WHERE id = ?", "iti",
		                (int64_t)rag, value, r->id);
	}
	if (f == FIELD_TARGET) {
		const char *date = date_is_iso(value) ? value : NULL;
		return edit_run(s, err, "changing the target",
		                "UPDATE action SET target_date = ?1, target_raw = ?2,"
		                " first_target_date = coalesce(first_target_date, ?1) WHERE id = ?3",
		                "tti", date, raw ? raw : value, r->id);
	}
	if (f == FIELD_RESPONSE)
		return edit_run(s, err, "changing the response", "UPDATE response SET text = ? WHERE id = ?", "ti", value,
		                r->response_id);
	if (f == FIELD_WITHDRAWN)
		return edit_run(s, err, "withdrawing an action", "UPDATE action SET withdrawn = ? WHERE id = ?", "ii",
		                (int64_t)(strcmp(value, "yes") == 0), r->id);
	char *sql = xasprintf("UPDATE action SET %s = ? WHERE id = ?", FIELD_COL[f].column);
	enum status rc = edit_run(s, err, "changing an action", sql, "ti", value, r->id);
	free(sql);
	return rc;
}

/* After a field edit: a new version, and the time of the change.  A response edit
 * also changes what the other actions sharing the response show: their versions go
 * up too, so an edit made from a stale copy of them is refused. */
static enum status row_bump(struct store *s, const struct row *r, int response_changed, struct err *err)
{
	const char *now = util_now();
	enum status rc = edit_run(s, err, "updating an action",
	                          "UPDATE action SET version = version + 1, updated_at = ?1, touched_at = ?1 WHERE id = ?2",
	                          "ti", now, r->id);
	if (rc == OK && response_changed)
		rc = edit_run(s, err, "updating an action",
		              "UPDATE action SET version = version + 1 WHERE response_id = ? AND id <> ?", "ii",
		              r->response_id, r->id);
	return rc;
}

/* ERR_CONFLICT for an action whose version moved on: who changed it, and when. */
static enum status conflict(struct store *s, const struct row *r, struct err *err)
{
	struct db_stmt *st;
	if (edit_query(s, &st, err,
	               "SELECT \"user\", at, id FROM change_log WHERE action_id = ?1 AND field <> 'agency'"
	               " UNION ALL SELECT \"user\", at, id FROM change_log"
	               "  WHERE action_id IN (SELECT id FROM action WHERE response_id = ?2) AND field = 'response'"
	               " ORDER BY 3 DESC LIMIT 1", "ii", r->id, r->response_id) != OK)
		return ERR_DB;
	enum status rc;
	if (db_step(st, NULL) == DB_ROW) {
		char when[32];
		when_text(db_col_text(st, 1), when);
		char *who = shown(db_col_text(st, 0));
		rc = err_set(err, ERR_CONFLICT, "action %lld was changed by %s at %s since you read it",
		             (long long)r->id, who, when);
		free(who);
	} else {
		rc = err_set(err, ERR_CONFLICT, "action %lld was changed since you read it",
		             (long long)r->id);
	}
	db_finalize(st);
	return rc;
}

/* ---- set ----------------------------------------------------------------------- */

/* A change once validated: the value as logged, and the target as typed. */
struct edit {
	int given;
	char *value, *raw;
};

static void edits_free(struct edit e[FIELD_COUNT])
{
	for (int f = 0; f < FIELD_COUNT; f++) {
		free(e[f].value);
		free(e[f].raw);
	}
}

/* Turn one typed value into what is stored, or ERR_INVALID saying why not. */
static enum status edit_parse(enum action_field f, const char *typed, struct edit *e, struct err *err)
{
	char *v = value_clean(typed);
	if (!v)
		return err_set(err, ERR_INVALID, "%s: the value is not valid UTF-8 text", field_name(f));
	enum status rc = OK;
	if (f == FIELD_RAG) {
		enum rag rag = RAG_UNSET;
		if (*v && rag_from_user(v, &rag) != 0) {
			char *w = shown(v);
			rc = err_set(err, ERR_INVALID, "rag: '%s' is not a RAG status (Red, Amber, Green, Blue or unset)", w);
			free(w);
		}
		e->value = xstrdup(rag_name(rag));
	} else if (f == FIELD_WITHDRAWN) {
		static const char *const YES[] = { "yes", "y", "1", "true" }, *const NO[] = { "no", "n", "0", "false" };
		for (size_t i = 0; i < 4 && !e->value; i++)
			if (str_casecmp(v, YES[i]) == 0)
				e->value = xstrdup("yes");
			else if (str_casecmp(v, NO[i]) == 0)
				e->value = xstrdup("no");
		if (!e->value) {
			char *w = shown(v);
			rc = err_set(err, ERR_INVALID, "withdrawn: '%s' is not yes or no", w);
			free(w);
		}
	} else if (f == FIELD_TARGET && *v) {
		char iso[11];
		size_t used = 0;
		if (date_parse(v, iso, &used) == GUESS_UNKNOWN || used != strlen(v)) {
			char *w = shown(v);
			rc = err_set(err, ERR_INVALID, "target: '%s' is not a date (use YYYY-MM-DD or 31.03.2026)", w);
			free(w);
		} else {
			e->value = xstrdup(iso);
			e->raw = xstrdup(v);
		}
	} else {
		e->value = xstrdup(v);
		e->raw = xstrdup(v);
	}
	free(v);
	e->given = 1;
	return rc;
}

/* A value that says nothing: blank, or a placeholder plans put in empty cells ("0"). */
static int value_blank(const char *v)
{
	static const char *const NONE[] = { "0", "-", "n/a", "na", "none", "nil", "tbc" };
	if (str_empty(v))
		return 1;
	for (size_t i = 0; i < sizeof NONE / sizeof *NONE; i++)
		if (str_casecmp(v, NONE[i]) == 0)
			return 1;
	return 0;
}

/* Validate every change against the current row before any is applied. */
static enum status edits_check(const struct row *r, const struct field_change *changes, size_t n,
                               struct edit e[FIELD_COUNT], struct err *err)
{
	for (size_t i = 0; i < n; i++) {
		enum action_field f = changes[i].field;
		if (f < 0 || f >= FIELD_COUNT)
			return err_set(err, ERR_INVALID, "unknown field");
		if (e[f].given)
			return err_set(err, ERR_INVALID, "%s: given twice", field_name(f));
		enum status rc = edit_parse(f, changes[i].value, &e[f], err);
		if (rc != OK)
			return rc;
	}
	/* Blue means completed *and evidenced*: an edit that leaves the action Blue, by
	 * setting the RAG or the evidence, must leave evidence behind. */
	const char *rag = e[FIELD_RAG].given ? e[FIELD_RAG].value : r->value[FIELD_RAG];
	const char *evidence = e[FIELD_EVIDENCE].given ? e[FIELD_EVIDENCE].value : r->value[FIELD_EVIDENCE];
	if (strcmp(rag, rag_name(RAG_BLUE)) == 0 && value_blank(evidence)) {
		if (e[FIELD_RAG].given)
			return err_set(err, ERR_INVALID, "rag: Blue needs evidence (Blue = completed and evidenced);"
			               " set the evidence first, or in the same change");
		if (e[FIELD_EVIDENCE].given)
			return err_set(err, ERR_INVALID, "evidence: a Blue action needs its evidence (Blue = completed and"
			               " evidenced); change the RAG first");
	}
	return OK;
}

/* Write and log the fields whose value differs; *changed counts them. */
static enum status edits_apply(struct store *s, const struct row *r, const struct edit e[FIELD_COUNT],
                               const char *reason, int *changed, struct err *err)
{
	int64_t batch = 0;
	*changed = 0;
	for (int f = 0; f < FIELD_COUNT; f++) {
		if (!e[f].given || strcmp(e[f].value, r->value[f]) == 0)
			continue;
		enum status rc = batch ? OK : store_next_batch(s, &batch, err);
		if (rc == OK)
			rc = field_write(s, r, (enum action_field)f, e[f].value, e[f].raw, err);
		if (rc == OK)
			rc = store_log(s, r->id, batch, field_name((enum action_field)f), r->value[f], e[f].value,
			               str_empty(reason) ? NULL : reason, 0, err);
		if (rc != OK)
			return rc;
		(*changed)++;
	}
	if (*changed) {
		s->last_batch = batch;
		return row_bump(s, r, e[FIELD_RESPONSE].given && strcmp(e[FIELD_RESPONSE].value, r->value[FIELD_RESPONSE]),
		                err);
	}
	return OK;
}

enum status store_set(struct store *s, int64_t id, int64_t expected_version, const struct field_change *changes,
                      size_t nchanges, const char *reason, int *changed, struct err *err)
{
	int dummy;
	if (!changed)
		changed = &dummy;
	*changed = 0;
	s->last_batch = 0;
	enum status rc = store_check_writable(s, err);
	if (rc == OK)
		rc = edit_begin(s, err);
	if (rc != OK)
		return rc;
	struct row r;
	struct edit e[FIELD_COUNT] = {{0}};
	char *why = reason ? value_clean(reason) : NULL;
	rc = action_check(s, id, err);
	if (rc == OK)
		rc = row_read(s, id, &r, err);
	else
		memset(&r, 0, sizeof r);
	util_test_hold("RAGTRACK_TEST_HOLD_EDIT");      /* tests: the action's row is held */
	if (rc == OK && expected_version > 0 && expected_version != r.version)
		rc = conflict(s, &r, err);
	if (rc == OK)
		rc = edits_check(&r, changes, nchanges, e, err);
	if (rc == OK)
		rc = edits_apply(s, &r, e, why, changed, err);
	if (rc == OK)
		rc = store_commit(s, err);
	if (rc != OK) {
		store_rollback(s);
		*changed = 0;
		s->last_batch = 0;
	}
	free(why);
	edits_free(e);
	row_clear(&r);
	return rc;
}

/* ---- notes --------------------------------------------------------------------- */

enum status store_note_add(struct store *s, int64_t id, const char *text, struct err *err)
{
	char *clean = value_clean(text);
	enum status rc = store_check_writable(s, err);
	if (rc == OK && !clean)
		rc = err_set(err, ERR_INVALID, "note: the text is not valid UTF-8");
	else if (rc == OK && !*clean)
		rc = err_set(err, ERR_INVALID, "note: the text is empty");
	if (rc == OK)
		rc = store_begin(s, err);
	if (rc != OK) {
		free(clean);
		return rc;
	}
	const char *now = util_now();
	rc = action_check(s, id, err);
	if (rc == OK)
		rc = edit_run(s, err, "adding a note", "INSERT INTO note(action_id, at, \"user\", source, text) VALUES (?, ?, ?, ?, ?)",
		              "itttt", id, now, s->user, store_source_name(s->source), clean);
	if (rc == OK)
		rc = edit_run(s, err, "updating an action", "UPDATE action SET touched_at = ? WHERE id = ?", "ti", now, id);
	if (rc == OK)
		rc = store_commit(s, err);
	if (rc != OK)
		store_rollback(s);
	free(clean);
	return rc;
}

enum status store_notes(struct store *s, int64_t action_id, store_note_fn fn, void *ctx, struct err *err)
{
	enum status rc = action_id ? action_check(s, action_id, err) : OK;
	if (rc != OK)
		return rc;
	struct db_stmt *st;
	if (edit_query(s, &st, err,
	               "SELECT n.id, n.action_id, n.at, n.\"user\", n.text FROM note n"
	               " WHERE (?1 = 0 OR n.action_id = ?1)"
	               "   AND (?2 = 0 OR n.action_id IN (SELECT id FROM action WHERE agency_id = ?2))"
	               " ORDER BY n.id", "ii", action_id, s->lens_agency) != OK)
		return ERR_DB;
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW) {
		struct note n = {
			.id = db_col_int(st, 0), .action_id = db_col_int(st, 1),
			.at = db_col_text(st, 2), .user = db_col_text(st, 3), .text = db_col_text(st, 4),
		};
		if (fn(&n, ctx))
			break;
	}
	if (step == DB_ERROR)
		rc = store_db_fail(s, err, "reading notes");
	db_finalize(st);
	return rc;
}

/* ---- the change log ------------------------------------------------------------- */

static void change_view(struct db_stmt *st, struct change *c)
{
#define COL(i) db_col_text(st, (i))
	c->id = db_col_int(st, 0);
	c->action_id = db_col_int(st, 1);
	c->at = COL(2);
	c->user = COL(3);
	c->field = COL(4);
	c->old_value = COL(5);
	c->new_value = COL(6);
	c->source = COL(7);
	c->reason = COL(8);
	c->batch = db_col_int(st, 9);
	c->undoes = db_col_int(st, 10);
	c->os_user = COL(11);
#undef COL
}

#define CHANGE_COLUMNS "SELECT id, action_id, at, \"user\", field, old_value, new_value, source, reason, batch," \
	" coalesce(undoes, 0), os_user FROM change_log"

enum status store_history(struct store *s, int64_t action_id, const char *since, store_change_fn fn, void *ctx,
                          struct err *err)
{
	enum status rc = action_id ? action_check(s, action_id, err) : OK;
	if (rc != OK)
		return rc;
	struct db_stmt *st;
	if (edit_query(s, &st, err,
	               CHANGE_COLUMNS " WHERE (?1 = 0 OR action_id = ?1) AND (coalesce(?2, '') = '' OR at >= ?2)"
	               " AND (?3 = 0 OR action_id IN (SELECT id FROM action WHERE agency_id = ?3))"
	               " ORDER BY id", "iti", action_id, since, s->lens_agency) != OK)
		return ERR_DB;
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW) {
		struct change c;
		change_view(st, &c);
		if (fn(&c, ctx))
			break;
	}
	if (step == DB_ERROR)
		rc = store_db_fail(s, err, "reading the change log");
	db_finalize(st);
	return rc;
}

int64_t store_last_batch(const struct store *s)
{
	return s->last_batch;
}

/* Prepare the entries of a batch, in order: through the (user, batch) index when the
 * batch is this user's, which the batches of set and undo are. */
static enum status batch_query(struct store *s, int64_t batch, int by_user, struct db_stmt **st, struct err *err)
{
	if (by_user)
		return edit_query(s, st, err, CHANGE_COLUMNS " WHERE \"user\" = ? AND batch = ? ORDER BY id", "ti", s->user,
		                  batch);
	return edit_query(s, st, err, CHANGE_COLUMNS " WHERE batch = ? ORDER BY id", "i", batch);
}

/* One entry as set and undo describe it: short fields old -> new, long text set,
 * changed or cleared. */
static void describe_entry(struct buf *b, const struct change *c)
{
	enum action_field f = field_from_name(c->field);
	const char *old_value = c->old_value ? c->old_value : "", *new_value = c->new_value ? c->new_value : "";
	const char *none = f == FIELD_RAG ? "unset" : "none";
	if (f == FIELD_RAG || f == FIELD_TARGET || f == FIELD_LEAD || f == FIELD_WITHDRAWN || f == FIELD_NONE)
		buf_printf(b, "%s %s -> %s", c->field, *old_value ? old_value : none, *new_value ? new_value : none);
	else
		buf_printf(b, "%s %s", c->field, value_blank(old_value) ? "set" : value_blank(new_value) ? "cleared"
		                                                                    : "changed");
}

char *store_batch_describe(struct store *s, int64_t batch)
{
	struct buf b = {0};
	for (int by_user = 1; by_user >= 0 && !b.len; by_user--) {
		struct db_stmt *st;
		if (batch_query(s, batch, by_user, &st, NULL) != OK)
			break;
		int64_t action = 0;
		while (db_step(st, NULL) == DB_ROW) {
			struct change c;
			change_view(st, &c);
			if (c.action_id != action)
				buf_printf(&b, "%s#%lld: ", b.len ? "; " : "", (long long)c.action_id);
			else
				buf_adds(&b, "; ");
			action = c.action_id;
			describe_entry(&b, &c);
		}
		db_finalize(st);
	}
	return b.len ? buf_steal(&b) : NULL;
}

/* ---- undo ------------------------------------------------------------------------ */

/* Whose changes undo reverses without --force: the account that made them.  On a file
 * the operating-system account (os_user); on a server the login PostgreSQL
 * authenticated (change_log.login, stamped by the server), which no client can claim. */
static const char *account_column(const struct store *s)
{
	return s->pg ? "login" : "os_user";
}

static const char *account_of(const struct store *s)
{
	return s->pg && s->login ? s->login : s->os_user;
}

/* The latest batch of this user that undo may reverse: not an import (but an import's
 * --withdraw-missing, a batch of withdrawals alone), not itself an undo, not already
 * undone (in whole or one change of it), not an agency merge; made from this account
 * unless any_account.  0 when there is none. */
static enum status undo_target(struct store *s, int any_account, int64_t *batch, struct err *err)
{
	struct db_stmt *st;
	char *sql = xasprintf("SELECT c.batch FROM change_log c WHERE c.\"user\" = ?1 AND (?3 = 1 OR c.%s = ?2)"
	                      " AND c.undoes IS NULL GROUP BY c.batch"
	                      " HAVING max(CASE WHEN c.field = 'agency' THEN 1 ELSE 0 END) = 0"
	                      "  AND (max(CASE WHEN c.source <> 'import' THEN 1 ELSE 0 END) = 1"
	                      "   OR min(CASE WHEN c.field = 'withdrawn' THEN 1 ELSE 0 END) = 1)"
	                      "  AND NOT EXISTS (SELECT 1 FROM change_log u WHERE u.undoes = c.batch)"
	                      " ORDER BY c.batch DESC LIMIT 1", account_column(s));
	enum status rc = edit_query(s, &st, err, sql, "tti", s->user, account_of(s), (int64_t)any_account);
	free(sql);
	if (rc != OK)
		return ERR_DB;
	enum db_step step = db_step(st, err);
	*batch = step == DB_ROW ? db_col_int(st, 0) : 0;
	db_finalize(st);
	return step == DB_ERROR ? store_db_fail(s, err, "reading the change log") : OK;
}

/* The account a batch or change was made from (caller frees; NULL when not recorded,
 * as for changes made before ragtrack recorded accounts). */
static char *change_account(struct store *s, const char *where, int64_t v)
{
	struct db_stmt *st;
	char *sql = xasprintf("SELECT %s FROM change_log WHERE %s = ? ORDER BY id LIMIT 1", account_column(s), where);
	char *account = NULL;
	if (edit_query(s, &st, NULL, sql, "i", v) == OK) {
		if (db_step(st, NULL) == DB_ROW)
			account = db_col_dup(st, 0);
		db_finalize(st);
	}
	free(sql);
	return account;
}

/* "account bob" or "an account not recorded (before ragtrack kept them)", or on a
 * server for a change copied in from a file (db copy keeps no login for those); caller
 * frees. */
static char *account_words(const struct store *s, const char *account)
{
	if (!account && s->pg)
		return xstrdup("a login the server did not record (the change was copied in from a file)");
	if (!account)
		return xstrdup("an account that was not recorded (the change is older than the record of accounts)");
	char *a = shown(account), *w = xasprintf("account %s", a);
	free(a);
	return w;
}

/* Nothing to undo from this account: say so, and name the latest change of this user
 * made from another account, which --force would reverse. */
static enum status undo_none(struct store *s, struct err *err)
{
	int64_t other = 0;
	char *who = shown(s->user), *me = shown(account_of(s));
	enum status rc = undo_target(s, 1, &other, err);
	if (rc == OK && other) {
		char *account = change_account(s, "batch", other), *words = account_words(s, account);
		rc = err_set(err, ERR_NOT_FOUND, "nothing to undo: %s has no change made from this account (%s) that is not"
		             " undone; the latest was made from %s: ragtrack undo --force reverses it, and records that",
		             who, me, words);
		free(account);
		free(words);
	} else if (rc == OK) {
		rc = err_set(err, ERR_NOT_FOUND, "nothing to undo: %s has no change that is not undone", who);
	}
	free(who);
	free(me);
	return rc;
}

/* The reason an undo records when it reverses another account's change (NULL when the
 * account is this one).  Caller frees. */
static char *force_reason(struct store *s, const char *account)
{
	if (account && strcmp(account, account_of(s)) == 0)
		return NULL;
	char *words = account_words(s, account);
	char *r = xasprintf("undo --force of a change made from %s", words);
	free(words);
	return r;
}

/* One entry of the batch being undone. */
struct undo_entry {
	int64_t action_id;
	enum action_field field;
	char *old_value, *new_value;
};

static void entries_free(struct undo_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].old_value);
		free(e[i].new_value);
	}
	free(e);
}

static enum status entries_read(struct store *s, int64_t batch, struct undo_entry **out, size_t *n,
                                struct err *err)
{
	struct db_stmt *st;
	*out = NULL;
	*n = 0;
	if (batch_query(s, batch, 1, &st, err) != OK)
		return ERR_DB;
	size_t cap = 0;
	enum status rc = OK;
	while (rc == OK && db_step(st, NULL) == DB_ROW) {
		struct change c;
		change_view(st, &c);
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		struct undo_entry *e = &(*out)[(*n)++];
		e->action_id = c.action_id;
		e->field = field_from_name(c.field);
		e->old_value = xstrdup(c.old_value ? c.old_value : "");
		e->new_value = xstrdup(c.new_value ? c.new_value : "");
		if (e->field == FIELD_NONE)
			rc = err_set(err, ERR_INVALID, "cannot undo a change of '%s'", c.field);
	}
	db_finalize(st);
	return rc;
}

/* The field must still hold what the batch wrote; else someone changed it since. */
static enum status undo_check(struct store *s, const struct undo_entry *e, const struct row *r, int64_t batch,
                              struct err *err)
{
	if (strcmp(r->value[e->field], e->new_value) == 0)
		return OK;
	struct db_stmt *st;
	if (edit_query(s, &st, err,
	               "SELECT \"user\", at FROM change_log WHERE action_id = ? AND field = ? AND batch > ? ORDER BY id DESC LIMIT 1",
	               "iti", e->action_id, field_name(e->field), batch) != OK)
		return ERR_DB;
	char when[32] = "";
	char *who = NULL;
	if (db_step(st, NULL) == DB_ROW) {
		when_text(db_col_text(st, 1), when);
		who = shown(db_col_text(st, 0));
	}
	db_finalize(st);
	enum status rc = err_set(err, ERR_CONFLICT,
	                         "cannot undo: the %s of action %lld was changed%s%s%s%s since your change;"
	                         " undo reverses only your latest change", field_name(e->field), (long long)e->action_id,
	                         who ? " by " : "", who ? who : "", who ? " at " : "", who ? when : "");
	free(who);
	return rc;
}

/* Check and restore one action's entries of the batch (entries of one action are
 * adjacent: a batch is written action by action). */
static enum status undo_action(struct store *s, const struct undo_entry *e, size_t n, int64_t batch, int64_t undo_batch,
                               const char *reason, struct err *err)
{
	struct row r;
	enum status rc = action_check(s, e[0].action_id, err);
	if (rc != OK)
		return rc;
	if ((rc = row_read(s, e[0].action_id, &r, err)) != OK)
		return rc;
	int response = 0;
	for (size_t i = 0; rc == OK && i < n; i++)
		rc = undo_check(s, &e[i], &r, batch, err);
	for (size_t i = 0; rc == OK && i < n; i++) {
		rc = field_write(s, &r, e[i].field, e[i].old_value, NULL, err);
		if (rc == OK)
			rc = store_log(s, r.id, undo_batch, field_name(e[i].field), e[i].new_value, e[i].old_value, reason, batch,
			               err);
		response |= e[i].field == FIELD_RESPONSE;
	}
	if (rc == OK)
		rc = row_bump(s, &r, response, err);
	row_clear(&r);
	return rc;
}

/* Inside the transaction: reverse this user's latest change (batch). */
static enum status undo_latest(struct store *s, int force, int64_t *undo_batch, struct err *err)
{
	int64_t batch = 0;
	struct undo_entry *e = NULL;
	size_t n = 0;
	enum status rc = undo_target(s, force, &batch, err);
	if (rc == OK && !batch)
		rc = undo_none(s, err);
	if (rc == OK)
		rc = entries_read(s, batch, &e, &n, err);
	char *account = rc == OK ? change_account(s, "batch", batch) : NULL;
	char *reason = rc == OK ? force_reason(s, account) : NULL;
	if (rc == OK)
		rc = store_next_batch(s, undo_batch, err);
	for (size_t i = 0, j; rc == OK && i < n; i = j) {
		for (j = i; j < n && e[j].action_id == e[i].action_id; j++)
			;
		rc = undo_action(s, e + i, j - i, batch, *undo_batch, reason, err);
	}
	entries_free(e, n);
	free(account);
	free(reason);
	return rc;
}

/* ---- undo one change by its number --------------------------------------------------- */

/* Change N as undo --change reads it. */
struct one_change {
	int64_t id, action_id, batch;
	enum action_field field;
	char *field_name, *old_value, *new_value, *user, *account;
};

static void one_change_clear(struct one_change *c)
{
	free(c->field_name);
	free(c->old_value);
	free(c->new_value);
	free(c->user);
	free(c->account);
}

static enum status one_change_read(struct store *s, int64_t id, struct one_change *c, struct err *err)
{
	struct db_stmt *st;
	memset(c, 0, sizeof *c);
	char *sql = xasprintf("SELECT action_id, batch, field, old_value, new_value, \"user\", %s FROM change_log"
	                      " WHERE id = ?", account_column(s));
	enum status q = edit_query(s, &st, err, sql, "i", id);
	free(sql);
	if (q != OK)
		return ERR_DB;
	enum status rc = OK;
	if (db_step(st, NULL) == DB_ROW) {
		c->id = id;
		c->action_id = db_col_int(st, 0);
		c->batch = db_col_int(st, 1);
		c->field_name = db_col_dup(st, 2);
		c->old_value = xstrdup(db_col_text(st, 3) ? db_col_text(st, 3) : "");
		c->new_value = xstrdup(db_col_text(st, 4) ? db_col_text(st, 4) : "");
		c->user = db_col_dup(st, 5);
		c->account = db_col_dup(st, 6);
		c->field = field_from_name(c->field_name);
	} else {
		rc = err_set(err, ERR_NOT_FOUND, "no change %lld (ragtrack history lists the changes with their numbers, NO)",
		             (long long)id);
	}
	db_finalize(st);
	return rc;
}

/* The latest change after c to the same field of its action (of any action sharing its
 * response, for the response) that still stands: not undone, and not itself the undo
 * of a change after c.  ERR_CONFLICT naming it, or OK when there is none. */
static enum status later_change(struct store *s, const struct one_change *c, struct err *err)
{
	struct db_stmt *st;
	if (edit_query(s, &st, err,
	               "SELECT l.id, l.\"user\", l.at FROM change_log l WHERE l.id > ?1 AND l.field = ?2"
	               " AND (l.action_id = ?3 OR (?2 = 'response' AND l.action_id IN (SELECT id FROM action"
	               "  WHERE response_id = (SELECT response_id FROM action WHERE id = ?3))))"
	               " AND NOT (l.undoes IS NOT NULL AND l.undoes > ?4)"
	               " AND NOT EXISTS (SELECT 1 FROM change_log u WHERE u.undoes = l.batch"
	               "  AND (u.undoes_change IS NULL OR u.undoes_change = l.id))"
	               " ORDER BY l.id DESC LIMIT 1", "itii", c->id, c->field_name, c->action_id, c->batch) != OK)
		return ERR_DB;
	enum status rc = OK;
	if (db_step(st, NULL) == DB_ROW) {
		char when[32];
		when_text(db_col_text(st, 2), when);
		char *who = shown(db_col_text(st, 1));
		long long later = db_col_int(st, 0);
		rc = err_set(err, ERR_CONFLICT, "cannot undo change %lld: change %lld (by %s at %s) changed the %s of action %lld"
		             " later; undo change %lld first", (long long)c->id, later, who, when, c->field_name,
		             (long long)c->action_id, later);
		free(who);
	}
	db_finalize(st);
	return rc;
}

/* Refusals before change c is reversed: a field undo cannot restore, another
 * account's change without force, a change already undone, a later change. */
static enum status one_change_check(struct store *s, const struct one_change *c, int force, struct err *err)
{
	if (c->field == FIELD_NONE)
		return err_set(err, ERR_INVALID, "change %lld (%s) cannot be undone", (long long)c->id, c->field_name);
	if (!force && (!c->account || strcmp(c->account, account_of(s)) != 0)) {
		char *words = account_words(s, c->account), *who = shown(c->user);
		enum status rc = err_set(err, ERR_FORBIDDEN, "change %lld (by %s) was made from %s, not this one: only that"
		                         " account undoes it, or ragtrack undo --force, which records that", (long long)c->id,
		                         who, words);
		free(words);
		free(who);
		return rc;
	}
	struct db_stmt *st;
	if (edit_query(s, &st, err, "SELECT id FROM change_log WHERE undoes = ? AND (undoes_change IS NULL OR undoes_change = ?)"
	               " ORDER BY id LIMIT 1", "ii", c->batch, c->id) != OK)
		return ERR_DB;
	int64_t undone = db_step(st, NULL) == DB_ROW ? db_col_int(st, 0) : 0;
	db_finalize(st);
	if (undone)
		return err_set(err, ERR_CONFLICT, "change %lld was undone already, by change %lld", (long long)c->id,
		               (long long)undone);
	return later_change(s, c, err);
}

/* Inside the transaction: reverse change id alone. */
static enum status undo_one(struct store *s, int64_t id, int force, int64_t *undo_batch, struct err *err)
{
	struct one_change c;
	struct row r;
	memset(&r, 0, sizeof r);
	enum status rc = one_change_read(s, id, &c, err);
	if (rc == OK)
		rc = action_check(s, c.action_id, err);
	if (rc == OK)
		rc = one_change_check(s, &c, force, err);
	if (rc == OK)
		rc = row_read(s, c.action_id, &r, err);
	if (rc == OK && strcmp(r.value[c.field], c.new_value) != 0)
		rc = err_set(err, ERR_CONFLICT, "cannot undo change %lld: the %s of action %lld no longer holds what it wrote",
		             (long long)id, c.field_name, (long long)c.action_id);
	char *reason = rc == OK ? force_reason(s, c.account) : NULL;
	if (rc == OK)
		rc = store_next_batch(s, undo_batch, err);
	if (rc == OK)
		rc = field_write(s, &r, c.field, c.old_value, NULL, err);
	if (rc == OK) {
		s->log_undoes_change = id;
		rc = store_log(s, c.action_id, *undo_batch, c.field_name, c.new_value, c.old_value, reason, c.batch, err);
		s->log_undoes_change = 0;
	}
	if (rc == OK)
		rc = row_bump(s, &r, c.field == FIELD_RESPONSE, err);
	free(reason);
	row_clear(&r);
	one_change_clear(&c);
	return rc;
}

enum status store_undo_change(struct store *s, int64_t change, int force, char **what, struct err *err)
{
	if (what)
		*what = NULL;
	s->last_batch = 0;
	enum status rc = store_check_writable(s, err);
	if (rc == OK)
		rc = edit_begin(s, err);
	if (rc != OK)
		return rc;
	int64_t undo_batch = 0;
	rc = change ? undo_one(s, change, force, &undo_batch, err) : undo_latest(s, force, &undo_batch, err);
	if (rc == OK)
		rc = store_commit(s, err);
	if (rc == OK) {
		s->last_batch = undo_batch;
		if (what)
			*what = store_batch_describe(s, undo_batch);
	} else {
		store_rollback(s);
	}
	return rc;
}

enum status store_undo(struct store *s, char **what, struct err *err)
{
	return store_undo_change(s, 0, 0, what, err);
}

/* ---- agencies --------------------------------------------------------------------- */

/* ERR_NOT_FOUND for an agency name, suggesting the nearest when one is close. */
static enum status agency_missing(struct store *s, const char *name, struct err *err)
{
	struct db_stmt *st;
	char *best = NULL;
	size_t best_d = (size_t)-1;
	if (edit_query(s, &st, err, "SELECT name FROM agency UNION ALL SELECT alias FROM agency_alias", "") == OK) {
		while (db_step(st, NULL) == DB_ROW) {
			const char *cand = db_col_text(st, 0);
			size_t d = str_distance(name, cand);
			if (d < best_d) {
				best_d = d;
				free(best);
				best = xstrdup(cand);
			}
		}
		db_finalize(st);
	}
	char *n = shown(name);
	char *b = best && best_d <= strlen(name) / 3 + 1 ? shown(best) : NULL;
	enum status rc = b ? err_set(err, ERR_NOT_FOUND, "no agency '%s'; did you mean '%s'?", n, b)
	                   : err_set(err, ERR_NOT_FOUND, "no agency '%s' (ragtrack agency list shows them)", n);
	free(n);
	free(b);
	free(best);
	return rc;
}

/* An agency's name by id (caller frees; NULL when missing). */
static char *agency_name(struct store *s, int64_t id)
{
	struct db_stmt *st;
	char *name = NULL;
	if (edit_query(s, &st, NULL, "SELECT name FROM agency WHERE id = ?", "i", id) != OK)
		return NULL;
	if (db_step(st, NULL) == DB_ROW)
		name = db_col_dup(st, 0);
	db_finalize(st);
	return name;
}

/* The id in column id of table whose text column equals v as SQLite's NOCASE compares
 * (both columns asked for are NOCASE in SQLite's schema); 0 when no row. */
static int64_t id_by_text(struct store *s, const char *id, const char *table, const char *column, const char *v)
{
	char *where = xasprintf(db_frag(store_db(s), DF_NOCASE_EQ), column, "?");
	char *sql = xasprintf("SELECT %s FROM %s WHERE %s", id, table, where);
	struct db_stmt *st;
	int64_t found = 0;
	if (edit_query(s, &st, NULL, sql, "t", v) == OK) {
		if (db_step(st, NULL) == DB_ROW)
			found = db_col_int(st, 0);
		db_finalize(st);
	}
	free(sql);
	free(where);
	return found;
}

/* The statements of a merge, each prepared once and stepped for every response,
 * question or action (a merge of a large agency runs them tens of thousands of times).
 * Each text is a format whose %1$s is two-argument coalesce as the schema's expression
 * indexes name it (DF_IFNULL): SQLite uses an index only for the same function's name. */
enum merge_sql {
	M_RESPONSE_PAIR, M_RESPONSE_MOVE, M_RESPONSE_TEXT, M_RESPONSE_ACTIONS, M_RESPONSE_DELETE,
	M_QUESTION_ACTIONS, M_ACTION_MOVE, M_ACTION_RENUMBER, M_ACTION_FLIP, M_COUNT_SQL
};
static const char *const MERGE_SQL[M_COUNT_SQL] = {
	[M_RESPONSE_PAIR] =
		"SELECT t.id, t.text, f.text, (SELECT min(id) FROM action WHERE response_id = t.id),"
		" (SELECT min(id) FROM action WHERE response_id = f.id)"
		" FROM response t, response f WHERE t.question_id = ?1 AND %1$s(t.agency_id, 0) = ?2 AND f.id = ?3",
	[M_RESPONSE_MOVE] = "UPDATE response SET agency_id = ?1 WHERE id = ?2",
	[M_RESPONSE_TEXT] = "UPDATE response SET text = ?1 WHERE id = ?2",
	[M_RESPONSE_ACTIONS] = "UPDATE action SET response_id = ?1 WHERE response_id = ?2",
	[M_RESPONSE_DELETE] = "DELETE FROM response WHERE id = ?1",
	/* both agencies' actions of question ?1 in the order they were first imported */
	[M_QUESTION_ACTIONS] =
		"SELECT a.id, %1$s(a.agency_id, 0), a.seq, a.sort_key, rv.name, q.sort_key FROM action a"
		" JOIN question q ON q.id = a.question_id JOIN review rv ON rv.id = a.review_id"
		" WHERE a.question_id = ?1 AND %1$s(a.agency_id, 0) IN (?2, ?3) ORDER BY a.id",
	[M_ACTION_MOVE] = "UPDATE action SET agency_id = ?1, seq = ?2, sort_key = ?3 WHERE id = ?4",
	[M_ACTION_RENUMBER] = "UPDATE action SET seq = ?1, sort_key = ?2 WHERE id = ?3",
	[M_ACTION_FLIP] = "UPDATE action SET seq = -seq WHERE question_id = ?1 AND %1$s(agency_id, 0) = ?2 AND seq < 0",
};

/* What the merge is about: the two agencies by id and name, the log batch, its
 * statements, how far it has got (for the progress callback), and on a server the
 * logins of from's leads that now lead into. */
struct merge {
	struct store *s;
	int64_t into, from, batch;
	char *into_name, *from_name;
	char *leads;
	struct db_stmt *st[M_COUNT_SQL];
	long done, total;
	double started, told;
};

static double merge_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Statement which of the merge, prepared once (in this engine's words) and reset
 * after each use; NULL (and *err set) when it cannot be prepared.  Every use binds all
 * its parameters again. */
static struct db_stmt *merge_prepared(struct store *s, struct merge *m, enum merge_sql which, struct err *err)
{
	if (!m->st[which]) {
		char *sql = xasprintf(MERGE_SQL[which], db_frag(store_db(s), DF_IFNULL));
		if (s->db)
			store_plan_note(s, sql);
		enum status rc = db_prepare(store_db(s), sql, &m->st[which], err);
		free(sql);
		if (rc != OK) {
			store_db_fail(s, err, "preparing a query");
			return NULL;
		}
	}
	return m->st[which];
}

/* Statement which of the merge, bound to its parameters as bind_args reads them;
 * NULL (and *err set) when it cannot be prepared.  The caller steps it and resets it. */
static struct db_stmt *merge_stmt(struct store *s, struct merge *m, enum merge_sql which, struct err *err,
                                  const char *types, ...)
{
	struct db_stmt *st = merge_prepared(s, m, which, err);
	if (!st)
		return NULL;
	va_list ap;
	va_start(ap, types);
	bind_args(st, types, ap);
	va_end(ap);
	return st;
}

/* Run merge statement which, which returns no rows. */
static enum status merge_run(struct store *s, struct merge *m, enum merge_sql which, const char *doing,
                             struct err *err, const char *types, ...)
{
	struct db_stmt *st = merge_prepared(s, m, which, err);
	if (!st)
		return ERR_DB;
	va_list ap;
	va_start(ap, types);
	bind_args(st, types, ap);
	va_end(ap);
	enum status rc = db_step(st, err) == DB_ERROR ? store_db_fail(s, err, doing) : OK;
	db_reset(st);
	return rc;
}

static void merge_finish(struct merge *m)
{
	for (int i = 0; i < M_COUNT_SQL; i++)
		db_finalize(m->st[i]);
	memset(m->st, 0, sizeof m->st);
}

/* Tell the progress callback how far the merge has got: only once it has held the
 * write lock for a second, then about once a second, and at the end when it spoke.
 * Until the end, done stays below total (the full-text index is made again after the
 * last action is renumbered). */
static void merge_progress(struct store *s, struct merge *m, int last)
{
	if (!s->on_progress)
		return;
	double now = merge_clock();
	if (last ? m->told == 0 : now - m->started < 1 || now - m->told < 1)
		return;
	m->told = now;
	char *doing = xasprintf("merging '%s' into '%s'", m->from_name, m->into_name);
	long done = last ? m->total : m->done < m->total ? m->done : m->total - 1;
	s->on_progress(s->progress_ctx, doing, done < 0 ? 0 : done, m->total);
	free(doing);
}

/* SQLite's progress handler during a merge: its long statements (the full-text entries
 * deleted and made again, the responses merged) tell the progress callback too, so the
 * write lock is never held for more than about a second unsaid.  A cancel callback
 * (store_set_cancel) still stops the merge. */
static int merge_tick(void *ctx)
{
	struct merge *m = ctx;
	merge_progress(m->s, m, 0);
	return m->s->cancel ? m->s->cancel(m->s->cancel_ctx) : 0;
}

/* Two responses' texts as one, in the order their actions were first imported (as a
 * re-import assembles it): first's text, then second's when it adds anything. */
static char *response_join(const char *first, const char *second)
{
	if (str_empty(second) || strstr(first, second))
		return xstrdup(first);
	if (str_empty(first))
		return xstrdup(second);
	return xasprintf("%s\n\n%s", first, second);
}

/* The response of question q that the merged agency already has: merge from's
 * response r into it (text joined, logged against its first action), or hand r over. */
static enum status merge_response(struct store *s, struct merge *m, int64_t r, int64_t q, struct err *err)
{
	struct db_stmt *st = merge_stmt(s, m, M_RESPONSE_PAIR, err, "iii", q, m->into, r);
	if (!st)
		return ERR_DB;
	enum db_step step = db_step(st, err);
	if (step != DB_ROW) {
		db_reset(st);
		if (step == DB_ERROR)
			return store_db_fail(s, err, "reading a response");
		return merge_run(s, m, M_RESPONSE_MOVE, "moving a response", err, "ii", m->into, r);
	}
	int64_t keep = db_col_int(st, 0), first_action = db_col_int(st, 3);
	const char *kept = db_col_text(st, 1), *other = db_col_text(st, 2);
	int other_first = !db_col_null(st, 4) && db_col_int(st, 4) < first_action;
	char *old_text = xstrdup(kept);
	char *text = other_first ? response_join(other, kept) : response_join(kept, other);
	db_reset(st);
	enum status rc = OK;
	if (strcmp(text, old_text) != 0) {
		rc = merge_run(s, m, M_RESPONSE_TEXT, "merging responses", err, "ti", text, keep);
		if (rc == OK && first_action)
			rc = store_log(s, first_action, m->batch, "response", old_text, text, NULL, 0, err);
	}
	if (rc == OK)
		rc = merge_run(s, m, M_RESPONSE_ACTIONS, "merging responses", err, "ii", keep, r);
	if (rc == OK)
		rc = merge_run(s, m, M_RESPONSE_DELETE, "merging responses", err, "i", r);
	free(old_text);
	free(text);
	return rc;
}

/* One action of a question being renumbered, as it is and as it will be. */
struct merge_row {
	int64_t id, agency;
	int seq;
	char *key, *new_key;
};

/* Question q's actions of both agencies, in id order, with the number and sort key
 * each takes as the merged agency's.  Caller frees the rows and their keys. */
static enum status merge_rows_read(struct store *s, struct merge *m, int64_t q, struct merge_row **out, size_t *n,
                                   struct err *err)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *st = merge_stmt(s, m, M_QUESTION_ACTIONS, err, "iii", q, m->into, m->from);
	if (!st)
		return ERR_DB;
	size_t cap = 0;
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		struct merge_row *r = &(*out)[(*n)++];
		r->id = db_col_int(st, 0);
		r->agency = db_col_int(st, 1);
		r->seq = (int)db_col_int(st, 2);
		r->key = db_col_dup(st, 3);
		r->new_key = store_sort_key(db_col_text(st, 4), db_col_text(st, 5), m->into_name, (int)*n);
	}
	db_reset(st);
	return step == DB_DONE ? OK : store_db_fail(s, err, "reading actions");
}

/* Renumber question q's actions of both agencies as one agency's, in the order they
 * were first imported (by id): a re-import counts the rows of both spellings together
 * in file order, so it meets each action under the number it now has.  Only rows whose
 * agency, number or sort key change are written (each index entry an update touches is
 * a b-tree write); they take a negative number first, so the numbers the others still
 * hold never collide, and the question's negative numbers are turned round at the end. */
static enum status merge_question(struct store *s, struct merge *m, int64_t q, struct err *err)
{
	struct merge_row *rows;
	size_t n;
	enum status rc = merge_rows_read(s, m, q, &rows, &n, err);
	int changed = 0;
	for (size_t i = 0; rc == OK && i < n; i++) {
		struct merge_row *r = &rows[i];
		int seq = (int)i + 1, moved = r->agency == m->from;
		if (moved)
			rc = merge_run(s, m, M_ACTION_MOVE, "moving an action", err, "iiti", m->into, (int64_t)-seq, r->new_key,
			               r->id);
		else if (r->seq != seq || !r->key || strcmp(r->key, r->new_key) != 0)
			rc = merge_run(s, m, M_ACTION_RENUMBER, "moving an action", err, "iti", (int64_t)-seq, r->new_key, r->id);
		else
			continue;
		changed = 1;
		if (rc == OK && moved)
			rc = store_log(s, r->id, m->batch, "agency", m->from_name, m->into_name, NULL, 0, err);
	}
	if (rc == OK && changed)
		rc = merge_run(s, m, M_ACTION_FLIP, "moving an action", err, "ii", q, m->into);
	for (size_t i = 0; i < n; i++) {
		free(rows[i].key);
		free(rows[i].new_key);
	}
	free(rows);
	m->done += (long)n;
	merge_progress(s, m, 0);
	return rc;
}

/* The first column (an id) of every row of a query with one id parameter, read in
 * full before the caller changes the rows it names.  Caller frees *ids. */
static enum status ids_select(struct store *s, const char *sql, int64_t p1, int64_t **ids, size_t *n, struct err *err)
{
	struct db_stmt *st;
	*ids = NULL;
	*n = 0;
	enum status rc = edit_query(s, &st, err, sql, "i", p1);
	if (rc != OK)
		return rc;
	size_t cap = 0;
	enum db_step step;
	while ((step = db_step(st, err)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*ids = xrealloc(*ids, cap * sizeof **ids);
		}
		(*ids)[(*n)++] = db_col_int(st, 0);
	}
	db_finalize(st);
	return step == DB_DONE ? OK : store_db_fail(s, err, "reading responses");
}

/* How many actions the merge renumbers (both agencies'), for its progress. */
static long merge_total(struct store *s, const struct merge *m)
{
	struct db_stmt *st;
	long n = 0;
	if (edit_query(s, &st, NULL, "SELECT count(*) FROM action WHERE agency_id IN (?, ?)", "ii", m->into, m->from) != OK)
		return 0;
	if (db_step(st, NULL) == DB_ROW)
		n = (long)db_col_int(st, 0);
	db_finalize(st);
	return n;
}

/* The full-text entries and RAG totals a merge changes are brought up to date in bulk,
 * not row by row: the schema's triggers pause while meta holds 'import_run' (as during
 * an import, and only inside this transaction).  The actions whose indexed text can
 * change (both agencies' under every question from answers: their response is joined
 * or handed over) are noted in temp.merge_fts, and their entries deleted with the text
 * they were indexed with before anything changes (MERGE_FTS_DELETE) and made again
 * after (MERGE_FTS_INSERT).  Set-based, this is five times faster than the triggers. */
static const char MERGE_NOTE_SQL[] =
	"INSERT INTO temp.merge_fts(id) SELECT a.id FROM response f"
	" JOIN action a ON a.question_id = f.question_id AND ifnull(a.agency_id, 0) IN (?1, ?2)"
	" WHERE f.agency_id = ?2";
static const char MERGE_FTS_DELETE[] =
	"INSERT INTO action_fts(action_fts, rowid, question, response, action, evidence, notes, extra)"
	" SELECT 'delete', id, question, response, action, evidence, notes, extra FROM action_fts_source"
	" WHERE id IN (SELECT id FROM temp.merge_fts)";
static const char MERGE_FTS_INSERT[] =
	"INSERT INTO action_fts(rowid, question, response, action, evidence, notes, extra)"
	" SELECT id, question, response, action, evidence, notes, extra FROM action_fts_source"
	" WHERE id IN (SELECT id FROM temp.merge_fts)";
/* from's totals move to into; from's rows stay, at 0, as the triggers leave them. */
static const char MERGE_COUNTS_SQL[] =
	"INSERT INTO rag_count(review_id, agency_id, rag, n, dated) SELECT review_id, ?1, rag, n, dated FROM rag_count"
	" WHERE agency_id = ?2 AND n <> 0 ON CONFLICT DO UPDATE SET n = n + excluded.n, dated = dated + excluded.dated";
static const char MERGE_COUNTS_ZERO_SQL[] = "UPDATE rag_count SET n = 0, dated = 0 WHERE agency_id = ?2 AND n <> 0";

/* Before the merge changes anything: note and unindex what it will change, pause the
 * triggers, and raise the page cache (a merge rewrites entries all over the action
 * table's indexes, and a small cache spills them to the log over and over). */
static enum status merge_derived_begin(struct store *s, struct merge *m, struct err *err)
{
	enum status rc = store_exec(s, "PRAGMA cache_size = -65536;"
	                               "CREATE TEMP TABLE IF NOT EXISTS merge_fts(id INTEGER PRIMARY KEY);"
	                               "DELETE FROM temp.merge_fts;", err);
	if (rc == OK)
		rc = edit_run(s, err, "merging agencies", MERGE_NOTE_SQL, "ii", m->into, m->from);
	if (rc == OK)
		rc = edit_run(s, err, "merging agencies", MERGE_FTS_DELETE, "");
	if (rc == OK)
		rc = store_exec(s, "INSERT OR REPLACE INTO meta(key, value) VALUES ('import_run', '1')", err);
	return rc;
}

/* After it: index again, move the RAG totals, and let the triggers run again. */
static enum status merge_derived_end(struct store *s, struct merge *m, struct err *err)
{
	enum status rc = edit_run(s, err, "counting actions", MERGE_COUNTS_SQL, "ii", m->into, m->from);
	if (rc == OK)
		rc = edit_run(s, err, "counting actions", MERGE_COUNTS_ZERO_SQL, "ii", m->into, m->from);
	if (rc == OK)
		rc = edit_run(s, err, "merging agencies", MERGE_FTS_INSERT, "");
	if (rc == OK)
		rc = store_exec(s, "DELETE FROM meta WHERE key = 'import_run'; DELETE FROM temp.merge_fts", err);
	return rc;
}

/* SQLite before a merge: its long statements tell the progress callback (merge_tick),
 * and the derived data is unindexed in bulk (merge_derived_begin).  The page cache's
 * size as it was goes to *cache.  On a server the schema's triggers keep the search
 * vectors and RAG totals right by themselves, and progress is told per question. */
static enum status merge_lite_begin(struct store *s, struct merge *m, int64_t *cache, struct err *err)
{
	sqlite3_progress_handler(s->db, 20000, merge_tick, m);
	m->total = merge_total(s, m);
	*cache = db_scalar_int(store_db(s), "PRAGMA cache_size", 0, -2000);
	return merge_derived_begin(s, m, err);
}

/* SQLite after it, whatever became of it: the cancel's handler again (if any) and the
 * page cache's size. */
static void merge_lite_end(struct store *s, int64_t cache)
{
	store_set_cancel(s, s->cancel, s->cancel_ctx);
	char *restore = xasprintf("PRAGMA cache_size = %lld", (long long)cache);
	store_exec(s, restore, NULL);
	free(restore);
}

/* On a server, before from's row goes: the logins of from's leads lead into, and from's
 * group role is dropped (rt_agency_merge, schema_pg.sql).  Their names to m->leads,
 * ", " between them, NULL when it had none. */
static enum status merge_leads(struct store *s, struct merge *m, struct err *err)
{
	struct db_stmt *st;
	enum status rc = edit_query(s, &st, err, "SELECT string_agg(l, ', ' ORDER BY l COLLATE \"C\")"
	                            " FROM rt_agency_merge(?1, ?2) l", "ii", m->from, m->into);
	if (rc != OK)
		return rc;
	if (db_step(st, err) == DB_ROW)
		m->leads = db_col_dup(st, 0);
	else
		rc = store_db_fail(s, err, "moving the agency's leads");
	db_finalize(st);
	return rc;
}

/* Every response of m->from merged into m->into's (or handed over), in response order,
 * then each question it answers renumbered, so the change log reads as it always has. */
static enum status merge_rows(struct store *s, struct merge *m, struct err *err)
{
	int64_t *rs = NULL, *qs = NULL;
	size_t nr = 0, nq = 0;
	enum status rc = ids_select(s, "SELECT id FROM response WHERE agency_id = ? ORDER BY id", m->from, &rs, &nr, err);
	if (rc == OK)
		rc = ids_select(s, "SELECT question_id FROM response WHERE agency_id = ? ORDER BY id", m->from, &qs, &nq, err);
	for (size_t i = 0; rc == OK && i < nr && i < nq; i++) {
		rc = merge_response(s, m, rs[i], qs[i], err);
		merge_progress(s, m, 0);
	}
	for (size_t i = 0; rc == OK && i < nq; i++)
		rc = merge_question(s, m, qs[i], err);
	free(rs);
	free(qs);
	return rc;
}

/* Move every response and action of m->from to m->into, then drop m->from (on a
 * server its leads lead m->into first).  All in the caller's transaction: a merge is
 * never half done, and a long one says so (merge_progress). */
static enum status agency_merge(struct store *s, struct merge *m, struct err *err)
{
	enum status rc = store_next_batch(s, &m->batch, err);
	if (rc != OK)
		return rc;
	m->s = s;
	m->started = merge_clock();
	int64_t cache = 0;
	if (s->db)
		rc = merge_lite_begin(s, m, &cache, err);
	else
		m->total = merge_total(s, m);
	if (rc == OK)
		rc = merge_rows(s, m, err);
	if (rc == OK && s->db)
		rc = merge_derived_end(s, m, err);
	if (rc == OK)
		rc = edit_run(s, err, "merging agencies", "UPDATE agency_alias SET agency_id = ? WHERE agency_id = ?", "ii",
		              m->into, m->from);
	if (rc == OK && s->pg)
		rc = merge_leads(s, m, err);
	if (rc == OK)
		rc = edit_run(s, err, "merging agencies", "DELETE FROM agency WHERE id = ?", "i", m->from);
	if (rc == OK)
		s->last_batch = m->batch;
	if (rc == OK)
		merge_progress(s, m, 1);
	merge_finish(m);
	if (s->db)
		merge_lite_end(s, cache);
	return rc;
}

/* Inside the transaction: resolve both names, refuse what cannot be, merge, record.
 * The merged-away agency's leads (on a server) to *leads, which the caller frees. */
static enum status alias_record(struct store *s, const char *agency, const char *alias, char **leads,
                                struct err *err)
{
	struct merge m = { .into = store_agency_find(s, agency) };
	if (!m.into)
		return agency_missing(s, agency, err);
	int64_t owner = id_by_text(s, "agency_id", "agency_alias", "alias", alias);
	m.from = id_by_text(s, "id", "agency", "name", alias);
	m.into_name = agency_name(s, m.into);
	char *a = shown(alias), *t = shown(m.into_name);
	enum status rc = OK;
	if (m.from == m.into)
		rc = err_set(err, ERR_INVALID, "'%s' is the agency '%s' itself", a, t);
	else if (owner && owner != m.into) {
		char *other = agency_name(s, owner), *o = shown(other);
		rc = err_set(err, ERR_INVALID, "'%s' is already an alias of '%s'", a, o);
		free(other);
		free(o);
	} else if (!owner) {
		if (m.from) {
			m.from_name = agency_name(s, m.from);
			rc = agency_merge(s, &m, err);
		}
		if (rc == OK)
			rc = edit_run(s, err, "recording an alias", "INSERT INTO agency_alias(alias, agency_id) VALUES (?, ?)", "ti",
			              m.from_name ? m.from_name : alias, m.into);
	}
	if (rc == OK) {
		*leads = m.leads;
		m.leads = NULL;
	}
	free(a);
	free(t);
	free(m.into_name);
	free(m.from_name);
	free(m.leads);
	return rc;
}

void store_on_progress(struct store *s, store_progress_fn fn, void *ctx)
{
	s->on_progress = fn;
	s->progress_ctx = ctx;
}

enum status store_agency_alias(struct store *s, const char *agency, const char *alias, char **leads,
                               struct err *err)
{
	char *moved = NULL;
	s->last_batch = 0;
	if (leads)
		*leads = NULL;
	enum status rc = store_check_writable(s, err);
	if (rc == OK)
		rc = store_board_only(s, "change agency aliases", err);
	if (rc == OK && s->lens_agency)
		rc = err_set(err, ERR_FORBIDDEN, "agency aliases cannot be changed under --as-agency");
	if (rc != OK)
		return rc;
	char *name = value_clean(agency), *other = value_clean(alias);
	if (!name || !other || !*name || !*other)
		rc = err_set(err, ERR_INVALID, "agency alias needs two names: the agency and its other spelling");
	if (rc == OK)
		rc = edit_begin(s, err);
	if (rc == OK) {
		rc = alias_record(s, name, other, &moved, err);
		if (rc == OK)
			rc = store_commit(s, err);
		if (rc != OK) {
			store_rollback(s);
			s->last_batch = 0;
		}
	}
	if (rc == OK && leads)
		*leads = moved;
	else
		free(moved);
	free(name);
	free(other);
	return rc;
}
