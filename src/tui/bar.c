/* bar: the top bar (database, filters in words, RAG chips with live counts) and the
 * bottom line (the most useful keys of the screen, or a message, and the position). */
#include "tui_int.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>

static const enum rag CHIP_ORDER[RAG_COUNT] = { RAG_RED, RAG_AMBER, RAG_GREEN, RAG_BLUE, RAG_UNSET };

/* " R 3 " or "[R 3]" when the RAG filter selects it: the brackets say it without colour. */
static char *chip_text(const struct tui *t, enum rag r)
{
	int sel = (t->f.rag_mask & RAG_BIT(r)) != 0;
	return xasprintf("%c%c %ld%c", sel ? '[' : ' ', rag_letter(r), t->rag_counts[r], sel ? ']' : ' ');
}

static int chips_width(const struct tui *t)
{
	int w = 0;
	for (int i = 0; i < RAG_COUNT; i++) {
		char *c = chip_text(t, CHIP_ORDER[i]);
		w += draw_width(c) + (i ? 1 : 0);
		free(c);
	}
	return w;
}

static void chips_draw(const struct tui *t, int y, int x)
{
	attr_t bar = colors_attr(ROLE_BAR);
	for (int i = 0; i < RAG_COUNT; i++) {
		enum rag r = CHIP_ORDER[i];
		int sel = (t->f.rag_mask & RAG_BIT(r)) != 0;
		char *c = chip_text(t, r);
		attr_t rag = colors_attr(colors_rag(r));
		if (i)
			x += draw_text(y, x, 1, " ", bar, NULL, 1);
		if (sel) {
			x += draw_text(y, x, draw_width(c), c, colors_mono() ? rag | A_REVERSE : rag, NULL, 1);
		} else {
			char letter[4] = { c[0], c[1], ' ', '\0' };
			x += draw_text(y, x, 3, letter, colors_mono() ? bar | A_BOLD : rag, NULL, 1);
			x += draw_text(y, x, draw_width(c + 3), c + 3, bar, NULL, 1);
		}
		free(c);
	}
}

/* The left of the top bar: "data.db · as Police · read-only · 8 actions · Red; overdue · sorted
 * by target", or "data.db · all 629 actions". */
static char *top_words(const struct tui *t)
{
	struct buf b = {0};
	buf_printf(&b, " %s", store_display_name(t->s));
	if (store_lens(t->s))
		buf_printf(&b, " · as %s", store_lens(t->s));
	if (store_read_only(t->s))
		buf_adds(&b, " · read-only");
	if (filter_active(&t->f)) {
		char *words = filter_describe(&t->f);
		buf_printf(&b, " · %ld action%s · %s", t->count, t->count == 1 ? "" : "s", words);
		free(words);
	} else {
		buf_printf(&b, " · all %ld action%s", t->count, t->count == 1 ? "" : "s");
	}
	for (size_t i = 0; i < t->f.nsort; i++)
		buf_printf(&b, "%s%s", i ? ", " : " · sorted by ", sort_name(t->f.sort[i]));
	char *v = text_visible(b.s, ' ');
	buf_free(&b);
	return v;
}

void bar_draw_top(struct tui *t)
{
	attr_t bar = colors_attr(ROLE_BAR);
	draw_fill(0, 0, t->cols, bar);
	int cw = chips_width(t);
	int left = t->cols - cw - 1;
	char *words = top_words(t);
	if (left >= 8) {
		char *cut = draw_cut(words, left - 1);
		draw_text(0, 0, left - 1, cut, bar | A_BOLD, NULL, 1);
		free(cut);
		chips_draw(t, 0, left);
	} else {
		chips_draw(t, 0, t->cols - cw > 0 ? t->cols - cw : 0);
	}
	free(words);
}

struct hint {
	enum action_id action;
	const char *keys;         /* NULL: the first key bound to action */
	const char *label;
	int always;               /* shown at any width: the others make room for it */
};

static const struct hint LIST_HINTS[] = {
	{ ACT_OPEN, NULL, "open", 0 }, { ACT_TOGGLE_RED, "1-4 0", "RAG", 0 }, { ACT_PICK_AGENCY, NULL, "agency", 0 },
	{ ACT_PICK_REVIEW, NULL, "review", 0 }, { ACT_TOGGLE_OVERDUE, NULL, "overdue", 0 }, { ACT_SEARCH, NULL, "search", 0 },
	{ ACT_CLEAR_FILTERS, NULL, "clear", 0 }, { ACT_CYCLE_SORT, NULL, "sort", 0 }, { ACT_SET_RAG, NULL, "set RAG", 0 },
	{ ACT_EDIT_FORM, NULL, "edit", 0 }, { ACT_EXPORT, NULL, "export", 0 }, { ACT_DASHBOARD, NULL, "dashboard", 0 },
	{ ACT_HELP, NULL, "help", 1 }, { ACT_QUIT, NULL, "quit", 1 },
};
static const struct hint DETAIL_HINTS[] = {
	{ ACT_BACK, NULL, "back", 1 }, { ACT_NEXT_ITEM, "J K", "next/prev", 0 }, { ACT_SET_RAG, NULL, "set RAG", 0 },
	{ ACT_EDIT_FORM, NULL, "edit", 0 }, { ACT_EDIT_LONG, NULL, "edit text", 0 }, { ACT_ADD_NOTE, NULL, "note", 0 },
	{ ACT_UNDO, NULL, "undo", 0 }, { ACT_HELP, NULL, "help", 1 },
};
static const struct hint DASH_HINTS[] = {
	{ ACT_OPEN, NULL, "list its actions", 0 }, { ACT_BACK, NULL, "back", 1 }, { ACT_HELP, NULL, "help", 1 },
};
static const struct hint HELP_HINTS[] = {
	{ ACT_BACK, NULL, "back", 0 }, { ACT_PAGE_DOWN, NULL, "more", 0 },
};

static void hints_draw(struct tui *t, int w)
{
	const struct hint *h = LIST_HINTS;
	size_t n = sizeof LIST_HINTS / sizeof *LIST_HINTS;
	if (t->screen == SCREEN_DETAIL)
		h = DETAIL_HINTS, n = sizeof DETAIL_HINTS / sizeof *DETAIL_HINTS;
	else if (t->screen == SCREEN_DASH)
		h = DASH_HINTS, n = sizeof DASH_HINTS / sizeof *DASH_HINTS;
	else if (t->screen == SCREEN_HELP)
		h = HELP_HINTS, n = sizeof HELP_HINTS / sizeof *HELP_HINTS;
	int x = 0, full = 0;
	for (size_t i = 0; i < n; i++) {
		const char *keys = h[i].keys ? h[i].keys : keys_name(keys_for(t->screen, h[i].action));
		int need = draw_width(keys) + 1 + draw_width(h[i].label) + 2;
		int reserved = 0;          /* what the hints that must show still need after this one */
		for (size_t k = i + 1; k < n; k++)
			if (h[k].always) {
				const char *kk = h[k].keys ? h[k].keys : keys_name(keys_for(t->screen, h[k].action));
				reserved += draw_width(kk) + 1 + draw_width(h[k].label) + 2;
			}
		keys = h[i].keys ? h[i].keys : keys_name(keys_for(t->screen, h[i].action));   /* keys_name reuses its buffer */
		if (!h[i].always && (full || x + need + reserved - 2 > w)) {
			full = 1;              /* the rest of the optional ones give way, in order */
			continue;
		}
		if (h[i].always && x + need - 2 > w)
			break;
		x += draw_text(t->rows - 1, x, w - x, keys, colors_attr(ROLE_KEY), NULL, 0);
		x += draw_text(t->rows - 1, x, w - x, " ", A_NORMAL, NULL, 0);
		x += draw_text(t->rows - 1, x, w - x, h[i].label, A_NORMAL, NULL, 0);
		if (x + 2 <= w)
			x += draw_text(t->rows - 1, x, 2, "  ", A_NORMAL, NULL, 1);
	}
}

static char *position_text(const struct tui *t)
{
	switch (t->screen) {
	case SCREEN_LIST:
	case SCREEN_DETAIL:
		return t->count ? xasprintf("%ld/%ld", t->cursor + 1, t->count) : xstrdup("0/0");
	case SCREEN_DASH: {
		int item, items;
		dash_position(t, &item, &items);
		return xasprintf("%d/%d", item, items);
	}
	case SCREEN_HELP: {
		int h = layout_body_rows(t);
		int pct = t->nhelp <= h ? 100 : (int)(100L * (t->help_scroll + h) / t->nhelp);
		return xasprintf("%d%%", pct > 100 ? 100 : pct);
	}
	}
	return xstrdup("");
}

void bar_draw_bottom(struct tui *t)
{
	int y = t->rows - 1;
	char *pos = position_text(t);
	int pw = draw_width(pos);
	int w = t->cols - pw - 2;       /* the bottom-right cell stays empty */
	draw_fill(y, 0, t->cols, A_NORMAL);
	if (t->msg[0]) {
		char *cut = draw_cut(t->msg, w - 1 > 0 ? w - 1 : 0);
		draw_text(y, 0, w - 1, cut, colors_attr(t->msg_error ? ROLE_ERROR : ROLE_OK), NULL, 0);
		free(cut);
	} else {
		hints_draw(t, w - 1);
	}
	if (w > 0)
		draw_text(y, w + 1, pw, pos, colors_attr(ROLE_DIM), NULL, 0);
	free(pos);
}
