/* list: the action list, read from the store in windows around the cursor (never
 * whole), and drawn in columns sized to the terminal. */
#include "tui_int.h"
#include "ragtrack/fields.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>

#define WINDOW_MIN 64
#define TEXT_BYTES 1024           /* enough of the action text for the widest row */

static void row_free(struct row *r)
{
	free(r->review);
	free(r->qref);
	free(r->agency);
	free(r->target);
	free(r->lead);
	free(r->text);
	hl_free(r->hl);
	memset(r, 0, sizeof *r);
}

static void window_clear(struct window *w)
{
	for (int i = 0; i < w->n; i++)
		row_free(&w->rows[i]);
	w->n = 0;
	w->base = 0;
	free(w->stamp);
	w->stamp = NULL;
}

static void window_free(struct window *w)
{
	window_clear(w);
	free(w->rows);
	*w = (struct window){0};
}

void list_clear(struct tui *t)
{
	if (t->kept.on && !t->kept.have_win) {
		t->kept.win = t->win;
		t->kept.have_win = 1;
		t->win = (struct window){0};
		return;
	}
	window_clear(&t->win);
}

void list_keep(struct tui *t, int on)
{
	window_free(&t->kept.win);
	detail_free(t->kept.detail);
	t->kept = (struct kept){ .on = on };
}

void list_unkeep(struct tui *t)
{
	if (t->kept.have_win) {
		window_free(&t->win);
		t->win = t->kept.win;
	}
	if (t->kept.have_detail) {
		detail_free(t->detail);
		t->detail = t->kept.detail;
	}
	t->kept = (struct kept){ .on = t->kept.on };
}

/* A printable copy of at most max bytes of s, cut at a character boundary. */
static char *visible_prefix(const char *s, size_t max)
{
	s = s ? s : "";
	size_t len = strlen(s);
	if (len <= max)
		return text_visible(s, ' ');
	char *cut = xstrndup(s, text_cut_bytes(s, max));
	char *v = text_visible(cut, ' ');
	free(cut);
	return v;
}

static int window_add(const struct action *a, void *ctx)
{
	struct tui *t = ctx;
	struct row *r = &t->win.rows[t->win.n++];
	r->id = a->id;
	r->version = a->version;
	r->rag = a->rag;
	r->overdue = a->target_date && strcmp(a->target_date, util_today()) < 0 && a->rag != RAG_BLUE;
	r->review = visible_prefix(a->review, 200);
	r->qref = visible_prefix(str_empty(a->question_ref) ? "·" : a->question_ref, 40);
	r->agency = visible_prefix(a->agency, 200);
	r->target = visible_prefix(a->target_date ? a->target_date : a->target_raw, 100);
	r->lead = visible_prefix(a->lead, 200);
	r->text = visible_prefix(a->text, TEXT_BYTES);
	if (a->withdrawn) {              /* shown only when the filter asks for withdrawn actions */
		char *marked = xasprintf("[withdrawn] %s", r->text);
		free(r->text);
		r->text = marked;
	}
	return t->win.n >= t->win.cap;
}

/* store_search_words_each's callback: the row of action id gets its highlight. */
static void window_words(void *ctx, int64_t id, char **words, size_t n)
{
	struct tui *t = ctx;
	for (int i = 0; i < t->win.n; i++)
		if (t->win.rows[i].id == id && !t->win.rows[i].hl)
			t->win.rows[i].hl = hl_from_words(words, n);
}

/* The matched words of the window's rows from..to (list positions) not asked for yet, in
 * one call for all of them (one round trip on a server): the rows on the screen, as they
 * come onto it, not the whole window (on a server, 114 rows' words at 1M actions took
 * 32 ms; a screen's, a third of it).  A failure leaves the words as typed highlighted. */
static void window_highlight(struct tui *t, long from, long to)
{
	if (str_empty(t->f.search) || !t->win.n)
		return;
	int64_t *ids = xmalloc((size_t)t->win.n * sizeof *ids);
	size_t n = 0;
	for (int i = 0; i < t->win.n; i++) {
		struct row *r = &t->win.rows[i];
		long pos = t->win.base + i;
		if (pos >= from && pos <= to && !r->hl_read) {
			ids[n++] = r->id;
			r->hl_read = 1;
		}
	}
	struct err e = {0};
	if (n && store_search_words_each(t->s, t->f.search, ids, n, window_words, t, &e) != OK)
		for (int i = 0; i < t->win.n; i++)
			if (t->win.rows[i].hl_read && !t->win.rows[i].hl)
				t->win.rows[i].hl = hl_new(t->f.search);
	free(ids);
}

/* Read the window that holds pos: a screen above it, two below. */
static void window_load(struct tui *t, long pos)
{
	int h = layout_body_rows(t);
	int cap = 3 * (h > 0 ? h : 1);
	if (cap < WINDOW_MIN)
		cap = WINDOW_MIN;
	list_clear(t);
	if (cap != t->win.cap) {
		t->win.rows = xrealloc(t->win.rows, (size_t)cap * sizeof *t->win.rows);
		memset(t->win.rows, 0, (size_t)cap * sizeof *t->win.rows);
		t->win.cap = cap;
	}
	long base = pos - h;
	if (base < 0)
		base = 0;
	t->win.base = base;
	struct err e = {0};
	/* before the rows: a change between the two makes the saved place's stamp old, so
	 * the next start finds the place again rather than trust it (state.c) */
	struct err stamp_err = {0};
	store_data_stamp(t->s, &t->win.stamp, &stamp_err);
	if (store_each(t->s, &t->f, base, cap, window_add, t, &e) != OK)
		tui_message(t, 1, "%s", e.msg);
}

struct row *list_row(struct tui *t, long pos)
{
	if (pos < 0 || pos >= t->count)
		return NULL;
	if (pos < t->win.base || pos >= t->win.base + t->win.n)
		window_load(t, pos);
	if (pos < t->win.base || pos >= t->win.base + t->win.n)
		return NULL;
	return &t->win.rows[pos - t->win.base];
}

void list_reload_counts(struct tui *t)
{
	struct err e = {0};
	/* the RAG counts first: the store then adds the count up from them */
	if (store_rag_counts(t->s, &t->f, t->rag_counts, &e) != OK ||
	    store_count(t->s, &t->f, &t->count, &e) != OK) {
		t->count = 0;
		tui_message(t, 1, "%s", e.msg);
	}
	list_clamp(t);
}

void list_clamp(struct tui *t)
{
	long h = layout_body_rows(t) - 1;     /* the header takes one row */
	if (h < 1)
		h = 1;
	if (t->cursor >= t->count)
		t->cursor = t->count - 1;
	if (t->cursor < 0)
		t->cursor = 0;
	if (t->top > t->cursor)
		t->top = t->cursor;
	if (t->top < t->cursor - h + 1)
		t->top = t->cursor - h + 1;
	if (t->top > t->count - h)
		t->top = t->count - h;
	if (t->top < 0)
		t->top = 0;
}

int list_goto(struct tui *t, long pos)
{
	long old = t->cursor;
	t->cursor = pos;
	list_clamp(t);
	if (t->cursor == old)
		return 0;
	return DRAW_BODY | DRAW_BOTTOM | RELOAD_DETAIL;
}

int list_move(struct tui *t, long delta)
{
	return list_goto(t, t->cursor + delta);
}

/* ---- drawing ----------------------------------------------------------------------- */

struct columns {
	int rag, review, q, agency, target, lead, text;   /* widths; 0 = not shown */
};

/* Column widths for a list w columns wide: the action text takes what is left. */
static void columns_for(int w, struct columns *c)
{
	c->rag = 3;
	c->review = w >= 96 ? 12 : w >= 76 ? 9 : 0;
	c->q = 5;
	c->agency = w >= 110 ? 18 : w >= 90 ? 14 : w >= 70 ? 12 : 10;
	c->target = 11;
	c->lead = w >= 120 ? 16 : w >= 100 ? 12 : 0;
	int used = c->rag + 1 + (c->review ? c->review + 1 : 0) + c->q + 1 + c->agency + 1 + c->target + 1 +
	           (c->lead ? c->lead + 1 : 0);
	c->text = w - used;
	if (c->text < 8 && c->agency > 8) {
		c->text += c->agency - 8;
		c->agency = 8;
	}
	if (c->text < 0)
		c->text = 0;
}

/* Draw one cell: cut with "…" to w columns, padded, followed by a gap column. */
static int cell(int y, int x, int w, const char *s, attr_t attr, const struct hl *hl)
{
	if (w <= 0)
		return x;
	char *cut = draw_cut(s, w);
	draw_text(y, x, w, cut, attr, hl, 1);
	free(cut);
	draw_fill(y, x + w, 1, attr);
	return x + w + 1;
}

void list_draw_header(struct tui *t)
{
	int w = layout_list_width(t);
	struct columns c;
	columns_for(w, &c);
	attr_t a = colors_attr(ROLE_HEADER);
	int y = layout_body_top();
	int x = cell(y, 0, c.rag, FIELDS[FLD_RAG].label, a, NULL);
	if (c.review)
		x = cell(y, x, c.review, FIELDS[FLD_REVIEW].label, a, NULL);
	x = cell(y, x, c.q, "Q", a, NULL);
	x = cell(y, x, c.agency, FIELDS[FLD_AGENCY].label, a, NULL);
	x = cell(y, x, c.target, FIELDS[FLD_TARGET].label, a, NULL);
	if (c.lead)
		x = cell(y, x, c.lead, FIELDS[FLD_LEAD].label, a, NULL);
	draw_text(y, x, w - x, FIELDS[FLD_ACTION].label, a, NULL, 1);
}

/* The first row of a group shows the review (and the question); the rows under it
 * leave them blank, so groups stand out. */
static void list_draw_row(struct tui *t, int y, long pos, const struct columns *c, int w)
{
	/* list_draw made the window cover the screen: these do not read */
	struct row *prev = pos > t->top ? list_row(t, pos - 1) : NULL;
	struct row *r = list_row(t, pos);
	if (!r) {
		draw_fill(y, 0, w, A_NORMAL);
		return;
	}
	int new_review = !prev || strcmp(prev->review, r->review) != 0;
	int new_question = new_review || strcmp(prev->qref, r->qref) != 0;
	int selected = pos == t->cursor;
	attr_t base = selected ? colors_attr(ROLE_CURSOR) : colors_attr(ROLE_NORMAL);
	char chip[4] = { ' ', rag_letter(r->rag), ' ', '\0' };
	draw_text(y, 0, c->rag, chip, colors_attr(colors_rag(r->rag)), NULL, 1);
	draw_fill(y, c->rag, 1, base);
	int x = c->rag + 1;
	attr_t group = selected ? base : colors_attr(ROLE_GROUP);
	if (c->review)
		x = cell(y, x, c->review, new_review ? r->review : "", group, NULL);
	x = cell(y, x, c->q, new_question ? r->qref : "", group, NULL);
	x = cell(y, x, c->agency, r->agency, base, NULL);
	char *target = r->overdue ? xasprintf("%s!", r->target) : xstrdup(r->target);
	x = cell(y, x, c->target, target, r->overdue && !selected ? colors_attr(ROLE_OVERDUE) : base, NULL);
	free(target);
	if (c->lead)
		x = cell(y, x, c->lead, r->lead, base, NULL);
	if (w > x) {
		char *cut = draw_cut(r->text, w - x);
		draw_text(y, x, w - x, cut, base, r->hl, 1);
		free(cut);
	}
}

void list_draw(struct tui *t)
{
	int w = layout_list_width(t);
	int y0 = layout_body_top() + 1;
	int h = layout_body_rows(t) - 1;
	struct columns c;
	columns_for(w, &c);
	list_draw_header(t);
	if (t->count == 0) {
		for (int i = 0; i < h; i++)
			draw_fill(y0 + i, 0, w, A_NORMAL);
		if (h > 1)
			draw_text(y0 + 1, 2, w - 2, filter_active(&t->f) ? "No action matches these filters (c clears them)."
			                                                   : "No actions: import a plan with 'ragtrack import FILE.csv'.",
			          colors_attr(ROLE_DIM), NULL, 0);
		return;
	}
	long last = t->top + h - 1 < t->count ? t->top + h - 1 : t->count - 1;
	list_row(t, t->top);
	if (!list_row(t, last) || !list_row(t, t->top))
		window_load(t, t->top);
	window_highlight(t, t->top, last);
	for (int i = 0; i < h; i++)
		list_draw_row(t, y0 + i, t->top + i, &c, w);
}

long list_pos_at(const struct tui *t, int y)
{
	int y0 = layout_body_top() + 1;
	int h = layout_body_rows(t) - 1;
	if (y < y0 || y >= y0 + h)
		return -1;
	long pos = t->top + (y - y0);
	return pos < t->count ? pos : -1;
}
