/* picker: choose agencies (several) or a review (one) from a list narrowed as you
 * type; each shows how many actions it would give with the other filters kept. */
#include "tui_int.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

struct pick_item {
	char *name;               /* as stored; NULL for the "(all)" entry */
	char *shown;              /* printable */
	long total;
	int marked;
};

struct picker {
	enum store_group by;
	unsigned rag_mask;        /* the list's RAG filter (0: every state) */
	struct pick_item *items;
	int n;
	int *match;               /* indices of the items the typed words match */
	int nmatch, cur, top;
	struct lineed typed;
};

/* An item, with the count the list would show: the group's actions in the states the
 * RAG filter selects (all of them when it selects none). */
static int pick_add(const struct group_counts *g, void *ctx)
{
	struct picker *p = ctx;
	if (g->none)                  /* no agency: not something to filter by */
		return 0;
	long total = 0;
	for (int r = 0; r < RAG_COUNT; r++)
		if (!p->rag_mask || (p->rag_mask & RAG_BIT(r)))
			total += g->counts[r];
	p->items = xrealloc(p->items, (size_t)(p->n + 1) * sizeof *p->items);
	p->items[p->n++] = (struct pick_item){ xstrdup(g->name), draw_visible(g->name, ' '), total, 0 };
	return 0;
}

static void picker_free(struct picker *p)
{
	for (int i = 0; i < p->n; i++) {
		free(p->items[i].name);
		free(p->items[i].shown);
	}
	free(p->items);
	free(p->match);
	lineed_free(&p->typed);
}

/* Every typed word is in the name, ignoring case. */
static int pick_matches(const char *shown, const wchar_t *typed, size_t len)
{
	size_t k;
	wchar_t *w = draw_lower(shown, &k);
	int ok = 1;
	for (size_t i = 0; i < len && ok;) {
		while (i < len && typed[i] == L' ')
			i++;
		size_t j = i;
		while (j < len && typed[j] != L' ')
			j++;
		if (j > i) {
			int found = 0;
			for (size_t s = 0; s + (j - i) <= k && !found; s++) {
				size_t m = 0;
				while (m < j - i && w[s + m] == (wchar_t)towlower((wint_t)typed[i + m]))
					m++;
				found = m == j - i;
			}
			ok = found;
		}
		i = j;
	}
	free(w);
	return ok;
}

static void picker_narrow(struct picker *p)
{
	p->nmatch = 0;
	for (int i = 0; i < p->n; i++)
		if (!p->items[i].name ? p->typed.len == 0 : pick_matches(p->items[i].shown, p->typed.w, p->typed.len))
			p->match[p->nmatch++] = i;
	if (p->cur >= p->nmatch)
		p->cur = p->nmatch ? p->nmatch - 1 : 0;
}

static int picker_marked(const struct picker *p)
{
	int n = 0;
	for (int i = 0; i < p->n; i++)
		n += p->items[i].marked;
	return n;
}

static void picker_draw(struct tui *t, struct picker *p)
{
	int w = t->cols - 4 > 64 ? 64 : t->cols - 4;
	int h = t->rows - 4 < 6 ? t->rows : t->rows - 4;
	int y = (t->rows - h) / 2, x = (t->cols - w) / 2;
	int multi = p->by == GROUP_AGENCY;
	box_draw(y, x, h, w, multi ? "Agencies: type to narrow, Tab marks, Enter applies" : "Review: type to narrow, Enter applies");
	int lw = draw_text(y + 1, x + 2, 2, "> ", colors_attr(ROLE_KEY), NULL, 0);
	int rows = h - 3;
	if (p->cur < p->top)
		p->top = p->cur;
	if (p->cur >= p->top + rows)
		p->top = p->cur - rows + 1;
	for (int i = 0; i < rows; i++) {
		int k = p->top + i;
		int ly = y + 2 + i;
		draw_fill(ly, x + 1, w - 2, A_NORMAL);
		if (k >= p->nmatch)
			continue;
		const struct pick_item *it = &p->items[p->match[k]];
		attr_t a = k == p->cur ? colors_attr(ROLE_CURSOR) : A_NORMAL;
		char *label = it->name ? xasprintf("%s %s", multi ? (it->marked ? "[x]" : "[ ]") : "  ", it->shown)
		                       : xstrdup(multi ? "    (all agencies)" : "   (all reviews)");
		char *count = it->name ? xasprintf("%ld", it->total) : xstrdup("");
		int cw = draw_width(count);
		char *cut = draw_cut(label, w - cw - 5);
		draw_text(ly, x + 1, w - 2, cut, a, NULL, 1);
		draw_text(ly, x + w - cw - 2, cw, count, a, NULL, 0);
		free(cut);
		free(label);
		free(count);
	}
	if (!p->nmatch)
		draw_text(y + 2, x + 2, w - 4, "(nothing matches)", colors_attr(ROLE_DIM), NULL, 0);
	int cx = lineed_draw(&p->typed, y + 1, x + 2 + lw, w - 5 - lw, A_NORMAL);
	move(y + 1, cx);
	refresh();
}

static void set_agencies(struct tui *t, struct picker *p)
{
	for (size_t i = 0; i < t->f.nagencies; i++)
		free(t->f.agencies[i]);
	free(t->f.agencies);
	t->f.agencies = NULL;
	t->f.nagencies = 0;
	int marked = picker_marked(p);
	const struct pick_item *cur = p->nmatch ? &p->items[p->match[p->cur]] : NULL;
	for (int i = 0; i < p->n; i++) {
		const struct pick_item *it = &p->items[i];
		if (!it->name || !(marked ? it->marked : it == cur))
			continue;
		t->f.agencies = xrealloc(t->f.agencies, (t->f.nagencies + 1) * sizeof *t->f.agencies);
		t->f.agencies[t->f.nagencies++] = xstrdup(it->name);
	}
}

static void set_review(struct tui *t, struct picker *p)
{
	const struct pick_item *cur = &p->items[p->match[p->cur]];
	free(t->f.review);
	t->f.review = xstrdup(cur->name);
}

/* The items, with what the filter already selects marked and under the cursor. */
static enum status picker_load(struct tui *t, struct picker *p, struct err *e)
{
	p->items = xcalloc(1, sizeof *p->items);
	p->n = 1;                     /* the "(all)" entry */
	enum status st = store_group_counts(t->s, &t->f, p->by, pick_add, p, e);
	p->match = xcalloc((size_t)p->n, sizeof *p->match);
	lineed_init(&p->typed, "");
	picker_narrow(p);
	for (int i = 1; i < p->n; i++) {
		if (p->by == GROUP_AGENCY) {
			for (size_t k = 0; k < t->f.nagencies; k++)
				if (str_casecmp(t->f.agencies[k], p->items[i].name) == 0)
					p->items[i].marked = 1;
			if (p->items[i].marked && !p->cur)
				p->cur = i;
		} else if (t->f.review && str_casecmp(t->f.review, p->items[i].name) == 0) {
			p->cur = i;
		}
	}
	return st;
}

int picker_run(struct tui *t, enum store_group by)
{
	struct picker p = { .by = by, .rag_mask = t->f.rag_mask };
	struct err e = {0};
	if (picker_load(t, &p, &e) != OK) {
		picker_free(&p);
		tui_message(t, 1, "%s", e.msg);
		return DRAW_ALL;
	}
	int result = DRAW_ALL;
	t->msg[0] = '\0';            /* the bottom line shows under the box: no stale message */
	bar_draw_bottom(t);
	curs_set(1);
	for (;;) {
		if (tui_wait_size(t) < 0)
			break;
		picker_draw(t, &p);
		int key = tui_getkey(t);
		enum action_id a = keys_lookup_in(SCOPE_PICKER, key);
		if (key == KEY_FN(KEY_RESIZE)) {
			tui_draw(t, DRAW_ALL);
		} else if (a == ACT_CANCEL || t->quit) {
			break;
		} else if (a == ACT_ACCEPT) {
			if (!p.nmatch && !picker_marked(&p))
				continue;
			if (by == GROUP_AGENCY)
				set_agencies(t, &p);
			else
				set_review(t, &p);
			result = RELOAD_ALL | FILTER_CHANGED;
			break;
		} else if (a == ACT_MOVE_UP) {
			if (p.cur > 0)
				p.cur--;
		} else if (a == ACT_MOVE_DOWN) {
			if (p.cur + 1 < p.nmatch)
				p.cur++;
		} else if (a == ACT_PAGE_UP) {
			p.cur = p.cur > 10 ? p.cur - 10 : 0;
		} else if (a == ACT_PAGE_DOWN) {
			p.cur = p.cur + 10 < p.nmatch ? p.cur + 10 : (p.nmatch ? p.nmatch - 1 : 0);
		} else if (a == ACT_MARK) {
			if (by == GROUP_AGENCY && p.nmatch) {
				struct pick_item *it = &p.items[p.match[p.cur]];
				if (it->name)
					it->marked = !it->marked;
				if (p.cur + 1 < p.nmatch)
					p.cur++;
			}
		} else if (lineed_key(&p.typed, key)) {
			picker_narrow(&p);
			p.cur = p.nmatch > 1 && !p.items[p.match[0]].name ? 1 : 0;
		}
	}
	curs_set(0);
	picker_free(&p);
	return result;
}
