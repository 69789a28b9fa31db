/* dashboard: per agency and per review, a bar split into Red/Amber/Green/Blue/unset,
 * with the counts and % complete (Blue); Enter lists the bar's actions. */
#include "tui_int.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>

static const enum rag BAR_ORDER[RAG_COUNT] = { RAG_RED, RAG_AMBER, RAG_GREEN, RAG_BLUE, RAG_UNSET };

void dash_free(struct tui *t)
{
	for (int i = 0; i < t->ndash; i++)
		free(t->dash[i].name);
	free(t->dash);
	t->dash = NULL;
	t->ndash = 0;
}

static void dash_push(struct tui *t, const struct dash_row *r)
{
	t->dash = xrealloc(t->dash, (size_t)(t->ndash + 1) * sizeof *t->dash);
	t->dash[t->ndash++] = *r;
}

struct load_ctx {
	struct tui *t;
	enum store_group by;
};

static int dash_group(const struct group_counts *g, void *ctx)
{
	struct load_ctx *c = ctx;
	if (!g->total)
		return 0;
	struct dash_row r = { .name = xstrdup(g->name), .by = c->by, .total = g->total, .none = g->none };
	memcpy(r.counts, g->counts, sizeof r.counts);
	dash_push(c->t, &r);
	return 0;
}

static int dash_first_item(const struct tui *t, int from, int dir)
{
	for (int i = from; i >= 0 && i < t->ndash; i += dir)
		if (t->dash[i].name)
			return i;
	return -1;
}

void dash_load(struct tui *t)
{
	dash_free(t);
	struct err e = {0};
	static const struct { enum store_group by; const char *title; } GROUPS[] = {
		{ GROUP_AGENCY, "By agency" }, { GROUP_REVIEW, "By review" },
	};
	for (size_t i = 0; i < sizeof GROUPS / sizeof *GROUPS; i++) {
		struct dash_row h = { .heading = GROUPS[i].title, .by = GROUPS[i].by };
		dash_push(t, &h);
		struct load_ctx c = { t, GROUPS[i].by };
		if (store_group_counts(t->s, &t->f, GROUPS[i].by, dash_group, &c, &e) != OK) {
			tui_message(t, 1, "%s", e.msg);
			break;
		}
	}
	if (t->dash_cursor >= t->ndash || !t->dash[t->dash_cursor].name) {
		int first = dash_first_item(t, 0, 1);
		t->dash_cursor = first < 0 ? 0 : first;
	}
}

/* "R 3  A 16  G 26  B 27  - 91   43%", each count as wide as digits[] says, so the
 * columns line up. */
static char *dash_stats(const struct dash_row *r, const int digits[RAG_COUNT])
{
	struct buf b = {0};
	for (int i = 0; i < RAG_COUNT; i++)
		buf_printf(&b, "%s%c %*ld", i ? "  " : "", rag_letter(BAR_ORDER[i]), digits[i], r->counts[BAR_ORDER[i]]);
	buf_printf(&b, "  %3ld%%", r->total ? 100 * r->counts[RAG_BLUE] / r->total : 0);
	return buf_steal(&b);
}

static void dash_digits(const struct tui *t, int digits[RAG_COUNT])
{
	for (int i = 0; i < RAG_COUNT; i++) {
		digits[i] = 1;
		for (int k = 0; k < t->ndash; k++) {
			char n[32];
			int w = snprintf(n, sizeof n, "%ld", t->dash[k].counts[BAR_ORDER[i]]);
			if (t->dash[k].name && w > digits[i])
				digits[i] = w;
		}
	}
}

/* Split w cells among the counts (largest remainder), at least one cell for a non-zero
 * count when there is room. */
static void bar_split(const struct dash_row *r, int w, int cells[RAG_COUNT])
{
	long long rem[RAG_COUNT];
	int used = 0;
	for (int i = 0; i < RAG_COUNT; i++) {
		long c = r->counts[BAR_ORDER[i]];
		cells[i] = r->total ? (int)((long long)c * w / r->total) : 0;
		rem[i] = r->total ? (long long)c * w % r->total : 0;
		if (c && !cells[i] && used < w) {
			cells[i] = 1;
			rem[i] = -1;
		}
		used += cells[i];
	}
	while (used < w && r->total) {
		int best = -1;
		for (int i = 0; i < RAG_COUNT; i++)
			if (r->counts[BAR_ORDER[i]] && (best < 0 || rem[i] > rem[best]))
				best = i;
		if (best < 0)
			break;
		cells[best]++;
		rem[best] = -1;
		used++;
	}
	while (used > w) {           /* the minimum cells overflowed: take from the largest */
		int big = 0;
		for (int i = 1; i < RAG_COUNT; i++)
			if (cells[i] > cells[big])
				big = i;
		cells[big]--;
		used--;
	}
}

static void bar_draw(int y, int x, const struct dash_row *r, int w)
{
	int cells[RAG_COUNT];
	bar_split(r, w, cells);
	for (int i = 0; i < RAG_COUNT; i++) {
		enum rag rag = BAR_ORDER[i];
		attr_t a = colors_attr(colors_rag(rag));
		char letter = rag_letter(rag);
		for (int k = 0; k < cells[i]; k++) {
			/* colour shows the state; the letter says it without colour */
			char cell[2] = { (char)(colors_mono() || k == 0 || rag == RAG_UNSET ? letter : ' '), '\0' };
			draw_text(y, x++, 1, cell, rag == RAG_UNSET ? colors_attr(ROLE_DIM) : a, NULL, 1);
		}
	}
}

void dash_draw(struct tui *t)
{
	int y0 = layout_body_top();
	int h = layout_body_rows(t);
	int digits[RAG_COUNT], statw = 0;
	dash_digits(t, digits);
	for (int i = 0; i < t->ndash; i++)
		if (t->dash[i].name) {
			char *s = dash_stats(&t->dash[i], digits);
			if (draw_width(s) > statw)
				statw = draw_width(s);
			free(s);
		}
	int namew = t->cols / 4 < 12 ? 12 : t->cols / 4 > 32 ? 32 : t->cols / 4;
	int barw = t->cols - namew - statw - 4;
	if (t->dash_cursor < t->dash_top)
		t->dash_top = t->dash_cursor;
	if (t->dash_cursor >= t->dash_top + h)
		t->dash_top = t->dash_cursor - h + 1;
	if (t->dash_top > 0 && t->dash_top == t->dash_cursor && !t->dash[t->dash_top - 1].name)
		t->dash_top--;         /* show the heading above the first bar */
	for (int i = 0; i < h; i++) {
		int k = t->dash_top + i;
		int y = y0 + i;
		draw_fill(y, 0, t->cols, A_NORMAL);
		if (k >= t->ndash)
			continue;
		const struct dash_row *r = &t->dash[k];
		if (!r->name) {
			char *title = xasprintf("%s%s", r->heading, k == 0 && filter_active(&t->f) ? " (current filters, RAG aside)" : "");
			draw_text(y, 0, t->cols, title, colors_attr(ROLE_HEADING), NULL, 0);
			free(title);
			continue;
		}
		attr_t base = k == t->dash_cursor ? colors_attr(ROLE_CURSOR) : A_NORMAL;
		char *visible = text_visible(r->name, ' ');
		char *name = draw_cut(visible, namew);
		draw_text(y, 0, namew + 1, name, base, NULL, 1);
		free(name);
		free(visible);
		if (barw >= 5)
			bar_draw(y, namew + 1, r, barw);
		char *stats = dash_stats(r, digits);
		draw_text(y, t->cols - statw - 2, statw + 1, stats, base, NULL, 1);
		free(stats);
	}
}

int dash_move(struct tui *t, int delta)
{
	int dir = delta < 0 ? -1 : 1;
	int pos = t->dash_cursor;
	for (int step = 0; step < (delta < 0 ? -delta : delta); step++) {
		int next = dash_first_item(t, pos + dir, dir);
		if (next < 0)
			break;
		pos = next;
	}
	if (pos == t->dash_cursor)
		return 0;
	t->dash_cursor = pos;
	return DRAW_BODY | DRAW_BOTTOM;
}

int dash_open(struct tui *t)
{
	if (t->dash_cursor >= t->ndash || !t->dash[t->dash_cursor].name)
		return 0;
	const struct dash_row *r = &t->dash[t->dash_cursor];
	if (r->none) {
		tui_message(t, 0, "(no agency): these actions name no agency, so no agency filter lists them");
		return DRAW_BOTTOM;
	}
	if (r->by == GROUP_AGENCY) {
		for (size_t i = 0; i < t->f.nagencies; i++)
			free(t->f.agencies[i]);
		t->f.agencies = xrealloc(t->f.agencies, sizeof *t->f.agencies);
		t->f.agencies[0] = xstrdup(r->name);
		t->f.nagencies = 1;
	} else {
		free(t->f.review);
		t->f.review = xstrdup(r->name);
	}
	t->screen = SCREEN_LIST;
	return RELOAD_ALL | FILTER_CHANGED;
}

void dash_position(const struct tui *t, int *item, int *items)
{
	*item = *items = 0;
	for (int i = 0; i < t->ndash; i++)
		if (t->dash[i].name) {
			(*items)++;
			if (i <= t->dash_cursor)
				*item = *items;
		}
}
