/* report_json: every figure of the board paper as one JSON object, for scripts and
 * dashboards.  States are written "Red", "Amber", "Green", "Blue" and "unset";
 * percentages are numbers with one decimal (null when there is nothing to divide by
 * or, for % complete, when nothing is rated); dates are ISO strings.  The keys are
 * documented in docs/report.md. */
#include "ragtrack/report.h"
#include "ragtrack/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_DEPTH 16

/* A writer that knows whether a comma is due at each level. */
struct json {
	struct buf *b;
	int depth;
	int count[JSON_DEPTH];    /* values written at each open level */
	int after_key;            /* a key was just written: its value takes no comma */
};

/* Before any value or key: the comma that separates it from the one before. */
static void j_sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (j->depth > 0 && j->count[j->depth - 1]++)
		buf_addc(j->b, ',');
}

static void j_string_raw(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(b, "\\%c", *p);
		else if (*p == '\n')
			buf_adds(b, "\\n");
		else if (*p == '\t')
			buf_adds(b, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			buf_printf(b, "\\u%04x", *p);
		else
			buf_addc(b, (char)*p);
	}
	buf_addc(b, '"');
}

static void j_key(struct json *j, const char *key)
{
	j_sep(j);
	j_string_raw(j->b, key);
	buf_addc(j->b, ':');
	j->after_key = 1;
}

static void j_open(struct json *j, char c)
{
	j_sep(j);
	buf_addc(j->b, c);
	if (j->depth < JSON_DEPTH)
		j->count[j->depth] = 0;
	j->depth++;
}

static void j_close(struct json *j, char c)
{
	j->depth--;
	buf_addc(j->b, c);
}

/* A string as stored, made valid UTF-8 text without raw controls; NULL is null. */
static void j_str(struct json *j, const char *s)
{
	j_sep(j);
	if (!s) {
		buf_adds(j->b, "null");
		return;
	}
	j_string_raw(j->b, s);
}

static void j_num(struct json *j, long v)
{
	j_sep(j);
	buf_printf(j->b, "%ld", v);
}

/* part of whole in percent with one decimal, rounded half up in integers; null when
 * whole is 0. */
static void j_pct(struct json *j, long part, long whole)
{
	j_sep(j);
	if (whole <= 0) {
		buf_adds(j->b, "null");
		return;
	}
	long tenths = (part * 1000 + whole / 2) / whole;
	buf_printf(j->b, "%ld.%ld", tenths / 10, tenths % 10);
}

static void kv_str(struct json *j, const char *k, const char *v)
{
	j_key(j, k);
	j_str(j, v);
}

static void kv_num(struct json *j, const char *k, long v)
{
	j_key(j, k);
	j_num(j, v);
}

static const char *state(enum rag r)
{
	return r == RAG_UNSET ? "unset" : rag_name(r);
}

static const enum rag ORDER[RAG_COUNT] = { RAG_RED, RAG_AMBER, RAG_GREEN, RAG_BLUE, RAG_UNSET };

/* Counts as {"Red": n, ..., "unset": n, "total": n, "complete_pct": x, "rated_pct": x}. */
static void j_counts_fields(struct json *j, const struct report_counts *c)
{
	for (int i = 0; i < RAG_COUNT; i++)
		kv_num(j, state(ORDER[i]), c->rag[ORDER[i]]);
	kv_num(j, "total", c->total);
	long rated = c->total - c->rag[RAG_UNSET];
	j_key(j, "complete_pct");
	j_pct(j, c->rag[RAG_BLUE], rated ? c->total : 0);
	j_key(j, "rated_pct");
	j_pct(j, c->rag[RAG_BLUE], rated);
}

static void j_counts(struct json *j, const struct report_counts *c, const char *name_key, int overdue)
{
	j_open(j, '{');
	if (name_key)
		kv_str(j, name_key, c->name);
	j_counts_fields(j, c);
	if (overdue)
		kv_num(j, "overdue", c->overdue);
	j_close(j, '}');
}

static void j_movements(struct json *j, const struct report_moves *m)
{
	j_key(j, "movements");
	j_open(j, '[');
	for (int a = 0; a < RAG_COUNT; a++)
		for (int z = 0; z < RAG_COUNT; z++) {
			long n = m->move[ORDER[a]][ORDER[z]];
			if (a == z || !n)
				continue;
			j_open(j, '{');
			kv_str(j, "from", state(ORDER[a]));
			kv_str(j, "to", state(ORDER[z]));
			kv_num(j, "count", n);
			j_close(j, '}');
		}
	j_close(j, ']');
}

static void j_moves_group(struct json *j, const char *key, const char *name_key, const struct report_moves *v, size_t n)
{
	j_key(j, key);
	j_open(j, '[');
	for (size_t i = 0; i < n; i++) {
		j_open(j, '{');
		kv_str(j, name_key, v[i].name);
		j_movements(j, &v[i]);
		kv_num(j, "new", v[i].added);
		kv_num(j, "completed", v[i].completed);
		kv_num(j, "slipped", v[i].slipped);
		kv_num(j, "withdrawn", v[i].withdrawn);
		j_close(j, '}');
	}
	j_close(j, ']');
}

static void j_item(struct json *j, const struct report_item *it)
{
	j_open(j, '{');
	kv_num(j, "id", (long)it->id);
	kv_str(j, "review", it->review);
	kv_str(j, "ref", it->ref);
	kv_str(j, "agency", it->agency);
	kv_str(j, "rag", state(it->rag));
	kv_str(j, "target", it->target_date);
	kv_str(j, "target_as_written", it->target_raw);
	kv_str(j, "lead", it->lead);
	kv_str(j, "action", it->text);
	kv_str(j, "latest_note", it->note);
	kv_str(j, "latest_note_at", it->note_at);
	kv_str(j, "constraints", it->constraints);
	if (it->at_board) {
		kv_str(j, "board_rag", state(it->board_rag));
		kv_str(j, "board_target", it->board_target);
	}
	j_close(j, '}');
}

static const char *const LIST_KEYS[LIST_COUNT] = {
#define REPORT_LIST_KEY(id, key) key,
	REPORT_LISTS(REPORT_LIST_KEY)
#undef REPORT_LIST_KEY
};

static void j_lists(struct json *j, const struct report_data *d)
{
	j_key(j, "lists");
	j_open(j, '{');
	for (int k = 0; k < LIST_COUNT; k++) {
		const struct report_list *l = &d->lists[k];
		j_key(j, LIST_KEYS[k]);
		j_open(j, '{');
		kv_num(j, "total", l->total);
		j_key(j, "actions");
		j_open(j, '[');
		for (size_t i = 0; i < l->n; i++)
			j_item(j, &l->items[i]);
		j_close(j, ']');
		j_close(j, '}');
	}
	j_close(j, '}');
}

static void j_questions(struct json *j, const struct report_data *d)
{
	j_key(j, "recommendations");
	j_open(j, '[');
	for (size_t i = 0; i < d->nquestions; i++) {
		const struct report_question *q = &d->questions[i];
		j_open(j, '{');
		kv_str(j, "review", q->review);
		kv_str(j, "ref", q->ref);
		kv_str(j, "text", q->text);
		kv_num(j, "actions", q->actions);
		kv_str(j, "worst_rag", q->rated ? state(q->worst) : "unset");
		j_key(j, "blue_pct");
		j_pct(j, q->blue, q->rated ? q->actions : 0);
		kv_num(j, "overdue", q->overdue);
		j_close(j, '}');
	}
	j_close(j, ']');
}

static void j_header(struct json *j, const struct report_data *d, const struct report_meta *m)
{
	kv_str(j, "title", str_empty(m->title) ? NULL : m->title);
	kv_str(j, "partnership", str_empty(d->partnership) ? NULL : d->partnership);
	kv_str(j, "meeting", d->meeting);
	kv_str(j, "next_meeting", d->next);
	kv_str(j, "paper", str_empty(m->paper_no) ? NULL : m->paper_no);
	kv_str(j, "author", str_empty(m->author) ? NULL : m->author);
	kv_str(j, "today", d->today);
	kv_str(j, "as_at", d->as_at);
	kv_str(j, "filter", m->filter ? m->filter : "all actions");
	kv_str(j, "agency_lens", m->lens);
	kv_str(j, "board", d->has_board ? d->board_name : NULL);
	kv_str(j, "board_date", d->has_board ? d->board_date : NULL);
	kv_num(j, "withdrawn", d->withdrawn);
}

static void j_board(struct json *j, const struct report_data *d)
{
	j_key(j, "now");
	j_counts(j, &d->total, NULL, 1);
	j_key(j, "at_board");
	if (d->has_board)
		j_counts(j, &d->board_total, NULL, 0);
	else
		j_str(j, NULL);
	if (d->has_board)
		j_movements(j, &d->moves);
	else {
		j_key(j, "movements");
		j_open(j, '[');
		j_close(j, ']');
	}
	kv_num(j, "new", d->moves.added);
	kv_num(j, "completed", d->moves.completed);
	kv_num(j, "slipped_since_board", d->moves.slipped);
	kv_num(j, "withdrawn_since_board", d->moves.withdrawn);
	j_moves_group(j, "movements_by_review", "review", d->review_moves, d->nreview_moves);
	j_moves_group(j, "movements_by_agency", "agency", d->agency_moves, d->nagency_moves);
}

static void j_groups(struct json *j, const struct report_data *d)
{
	j_key(j, "reviews");
	j_open(j, '[');
	for (size_t i = 0; i < d->nreviews; i++)
		j_counts(j, &d->reviews[i], "review", 1);
	j_close(j, ']');
	j_key(j, "agencies");
	j_open(j, '[');
	for (size_t i = 0; i < d->nagencies; i++)
		j_counts(j, &d->agencies[i], "agency", 1);
	j_close(j, ']');
	j_key(j, "no_response");
	j_open(j, '[');
	for (size_t i = 0; i < d->nsilent; i++) {
		j_open(j, '{');
		kv_str(j, "agency", d->silent[i].agency);
		kv_num(j, "questions", d->silent[i].questions);
		kv_num(j, "unanswered", d->silent[i].unanswered);
		j_close(j, '}');
	}
	j_close(j, ']');
}

static void j_changes(struct json *j, const struct report_data *d)
{
	j_key(j, "changes");
	j_open(j, '{');
	kv_str(j, "since", d->since);
	kv_num(j, "actions", d->changes.total);
	kv_num(j, "changes", d->changes.changes);
	kv_num(j, "notes", d->changes.notes);
	j_close(j, '}');
}

void report_render_json(const struct report_data *d, const struct report_meta *m, struct buf *out)
{
	struct json j = { .b = out };
	j_open(&j, '{');
	j_header(&j, d, m);
	j_board(&j, d);
	j_groups(&j, d);
	j_questions(&j, d);
	j_lists(&j, d);
	j_changes(&j, d);
	j_close(&j, '}');
	buf_addc(out, '\n');
}
