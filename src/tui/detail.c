/* detail: one action in full, wrapped to the pane's width: question, finding, the
 * agency's response, the action, evidence, constraints, desired outcome, the extra
 * fields that hold something under their headers as written, lead, target as written and as a date,
 * notes and the recent change log. */
#include "tui_int.h"
#include "ragtrack/fields.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>

#define RECENT_CHANGES 8
#define CHANGE_VALUE_COLS 60
#define HEAD_LABEL 9              /* width of the labels of the head lines (RAG, target, lead) */

void detail_free(struct detail *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->n; i++)
		free(d->lines[i].s);
	free(d->lines);
	free(d->agency);
	hl_free(d->hl);
	free(d);
}

static void push(struct detail *d, char *owned, enum role role, int indent)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->lines = xrealloc(d->lines, (size_t)d->cap * sizeof *d->lines);
	}
	d->lines[d->n++] = (struct dline){ owned, role, indent };
}

/* Add text (as stored) made printable and wrapped, each line indented. */
static void push_text(struct detail *d, const char *text, enum role role, int indent)
{
	char *v = text_visible(text, 0);
	for (char *p = v; *p; p++)
		if (*p == '\t')
			*p = ' ';
	int n;
	char **lines = draw_wrap(v, d->width - indent, &n);
	for (int i = 0; i < n; i++)
		push(d, lines[i], role, indent);
	free(lines);
	free(v);
}

/* A heading and its text, or "(none)" when empty. */
static void section(struct detail *d, const char *title, const char *text)
{
	push(d, xstrdup(""), ROLE_NORMAL, 0);
	push_text(d, title, ROLE_HEADING, 0);
	if (str_empty(text))
		push(d, xstrdup("(none)"), ROLE_DIM, 2);
	else
		push_text(d, text, ROLE_NORMAL, 2);
}

/* "RAG      G Green: on track" and how the plan wrote it when that differs. */
static void detail_rag(struct detail *d, const struct action *a)
{
	const char *label = FIELDS[FLD_RAG].label;
	char *rag = a->rag == RAG_UNSET ? xasprintf("%-*s- not set", HEAD_LABEL, label) :
	            xasprintf("%-*s%c %s: %s", HEAD_LABEL, label, rag_letter(a->rag), rag_name(a->rag), rag_meaning(a->rag));
	if (!str_empty(a->rag_raw) && str_casecmp(a->rag_raw, rag_name(a->rag)) != 0) {
		char *with = xasprintf("%s (written \"%s\")", rag, a->rag_raw);
		free(rag);
		rag = with;
	}
	push_text(d, rag, a->rag == RAG_UNSET ? ROLE_NORMAL : ROLE_KEY, 0);
	free(rag);
	if (a->withdrawn)
		push_text(d, "Withdrawn: no longer in the plan (kept, with its history and notes)", ROLE_KEY, 0);
}

/* The target as written and as a date, how overdue, and the first target if it slipped. */
static void detail_target(struct detail *d, const struct action *a)
{
	const char *today = util_today();
	int overdue = a->target_date && a->rag != RAG_BLUE && strcmp(a->target_date, today) < 0;
	struct buf t = {0};
	buf_printf(&t, "%-*s", HEAD_LABEL, FIELDS[FLD_TARGET].label);
	if (!str_empty(a->target_raw))
		buf_printf(&t, "\"%s\"", a->target_raw);
	if (a->target_date) {
		buf_printf(&t, "%s%s", str_empty(a->target_raw) ? "" : " = ", a->target_date);
		long days = date_diff_days(a->target_date, today);
		if (overdue)
			buf_printf(&t, " (overdue by %ld day%s)", days, days == 1 ? "" : "s");
		if (a->first_target_date && strcmp(a->first_target_date, a->target_date) != 0)
			buf_printf(&t, "; first target %s", a->first_target_date);
	} else {
		buf_adds(&t, str_empty(a->target_raw) ? "(none)" : " (no date)");
	}
	push_text(d, t.s, overdue ? ROLE_OVERDUE : ROLE_NORMAL, 0);
	buf_free(&t);
}

static void detail_head(struct detail *d, const struct action *a)
{
	char *head = xasprintf("#%lld · %s · question %s · %s", (long long)a->id, a->review,
	                       str_empty(a->question_ref) ? "-" : a->question_ref, a->agency ? a->agency : "(no agency)");
	push_text(d, head, ROLE_HEADING, 0);
	free(head);
	detail_rag(d, a);
	detail_target(d, a);
	char *lead = xasprintf("%-*s%s", HEAD_LABEL, FIELDS[FLD_LEAD].label, str_empty(a->lead) ? "(none)" : a->lead);
	push_text(d, lead, ROLE_NORMAL, 0);
	free(lead);
}

static int note_line(const struct note *n, void *ctx)
{
	struct detail *d = ctx;
	char *s = xasprintf("%.10s %s: %s", n->at, n->user, n->text);
	push_text(d, s, ROLE_NORMAL, 2);
	free(s);
	return 0;
}

struct recent {
	char *lines[RECENT_CHANGES];
	int n, next;
};

static int change_line(const struct change *c, void *ctx)
{
	struct recent *r = ctx;
	char *old = text_visible(c->old_value ? c->old_value : "", ' ');
	char *new = text_visible(c->new_value ? c->new_value : "", ' ');
	char *o = draw_cut(old, CHANGE_VALUE_COLS), *n = draw_cut(new, CHANGE_VALUE_COLS);
	char *line = xasprintf("%.10s %s %s: \"%s\" → \"%s\" (%s%s%s)", c->at, c->user, c->field, o, n, c->source,
	                       str_empty(c->reason) ? "" : "; ", str_empty(c->reason) ? "" : c->reason);
	free(old);
	free(new);
	free(o);
	free(n);
	free(r->lines[r->next]);
	r->lines[r->next] = line;
	r->next = (r->next + 1) % RECENT_CHANGES;
	if (r->n < RECENT_CHANGES)
		r->n++;
	return 0;
}

static void detail_log(struct tui *t, struct detail *d, const struct action *a)
{
	struct err e = {0};
	push(d, xstrdup(""), ROLE_NORMAL, 0);
	push(d, xasprintf("Notes (%ld)", a->nnotes), ROLE_HEADING, 0);
	if (store_notes(t->s, a->id, note_line, d, &e) != OK)
		push_text(d, e.msg, ROLE_OVERDUE, 2);
	else if (a->nnotes == 0)
		push(d, xasprintf("(none: %s adds one)", keys_name(keys_for(SCREEN_DETAIL, ACT_ADD_NOTE))), ROLE_DIM, 2);
	struct recent r = {0};
	err_clear(&e);
	enum status st = store_history(t->s, a->id, NULL, change_line, &r, &e);
	push(d, xstrdup(""), ROLE_NORMAL, 0);
	push(d, xstrdup("Recent changes, newest first"), ROLE_HEADING, 0);
	if (st != OK)
		push_text(d, e.msg, ROLE_OVERDUE, 2);
	for (int i = 0; i < r.n; i++) {
		int k = (r.next - 1 - i + RECENT_CHANGES) % RECENT_CHANGES;
		push_text(d, r.lines[k], ROLE_DIM, 2);
	}
	if (st == OK && r.n == 0)
		push(d, xstrdup("(none)"), ROLE_DIM, 2);
	for (int i = 0; i < RECENT_CHANGES; i++)
		free(r.lines[i]);
}

/* A field's section: its label (with where it sits, for some) and its text. */
static void field_section(struct detail *d, const struct action *a, const struct field *def, const char *label,
                          const char *value)
{
	char *title;
	if (def && def->id == FLD_FINDING)
		title = xasprintf("%s%s", label, str_empty(a->finding_ref) ? "" : " (theme)");
	else if (def && def->id == FLD_QUESTION)
		title = xasprintf("%s %s", label, str_empty(a->question_ref) ? "" : a->question_ref);
	else if (def && def->id == FLD_RESPONSE)
		title = xasprintf("%s of %s", label, a->agency ? a->agency : "the agency");
	else
		title = xstrdup(label);
	section(d, title, value);
	free(title);
}

/* Where it sits (finding, question), then the long texts and the extra fields that
 * hold something, in show's order. */
static void detail_sections(struct detail *d, const struct action *a)
{
	const struct field *finding = &FIELDS[FLD_FINDING], *question = &FIELDS[FLD_QUESTION];
	if (!str_empty(a->finding) || !str_empty(a->finding_ref))
		field_section(d, a, finding, finding->label, a->finding);
	field_section(d, a, question, question->label, a->question);
	struct field_iter it;
	for (field_iter_init(&it, a, FF_LONG | FF_EXTRA); field_iter_next(&it);)
		if (it.def || !str_empty(it.value))
			field_section(d, a, it.def, it.label, it.value);
}

static struct detail *detail_build(struct tui *t, int64_t id, int width)
{
	struct action a;
	struct err e = {0};
	struct detail *d = xcalloc(1, sizeof *d);
	d->id = id;
	d->width = width < 10 ? 10 : width;
	if (store_get(t->s, id, &a, &e) != OK) {
		push_text(d, e.msg, ROLE_OVERDUE, 0);
		return d;
	}
	d->version = a.version;
	d->rag = a.rag;
	d->agency = xstrdup(a.agency);
	d->hl = hl_for_action(t, id);
	detail_head(d, &a);
	detail_sections(d, &a);
	detail_log(t, d, &a);
	action_clear(&a);
	return d;
}

void detail_drop(struct tui *t)
{
	if (t->kept.on && !t->kept.have_detail) {
		t->kept.detail = t->detail;
		t->kept.have_detail = 1;
	} else {
		detail_free(t->detail);
	}
	t->detail = NULL;
}

struct detail *detail_current(struct tui *t, int width)
{
	int64_t id = t->screen == SCREEN_DETAIL ? t->detail_id : 0;
	if (!id) {
		struct row *r = list_row(t, t->cursor);
		id = r ? r->id : 0;
	}
	if (!id) {
		detail_drop(t);
		return NULL;
	}
	if (t->detail && t->detail->id == id && t->detail->width == width)
		return t->detail;
	detail_drop(t);
	t->detail = detail_build(t, id, width);
	if (t->detail_last != id)
		t->detail_scroll = 0;     /* another action: from its top; a reload keeps the place */
	t->detail_last = id;
	return t->detail;
}

void detail_draw(struct tui *t, int y, int x, int h, int w)
{
	if (x > 0)
		draw_vline(y, x - 1, h, colors_attr(ROLE_DIM));
	struct detail *d = detail_current(t, w - 1);
	if (!d) {
		for (int i = 0; i < h; i++)
			draw_fill(y + i, x, w, A_NORMAL);
		return;
	}
	if (t->detail_scroll > d->n - h)
		t->detail_scroll = d->n - h;
	if (t->detail_scroll < 0)
		t->detail_scroll = 0;
	for (int i = 0; i < h; i++) {
		int k = t->detail_scroll + i;
		draw_fill(y + i, x, w, A_NORMAL);
		if (k >= d->n)
			continue;
		const struct dline *l = &d->lines[k];
		draw_text(y + i, x + l->indent, w - l->indent, l->s, colors_attr(l->role), d->hl, 0);
	}
}

int detail_scroll(struct tui *t, int delta)
{
	int old = t->detail_scroll;
	t->detail_scroll += delta;
	int h = layout_body_rows(t);
	int n = t->detail ? t->detail->n : 0;
	if (t->detail_scroll > n - h)
		t->detail_scroll = n - h;
	if (t->detail_scroll < 0)
		t->detail_scroll = 0;
	return old == t->detail_scroll ? 0 : DRAW_BODY;
}
