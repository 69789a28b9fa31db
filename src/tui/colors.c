/* colors: the colour roles, in one table.  Monochrome when NO_COLOR is set or the
 * terminal has no colours; every RAG cell shows its letter too, so colour is never
 * the only signal. */
#include "tui_int.h"

#include <stdlib.h>

static const struct {
	short fg, bg;
	attr_t attr, mono;
} ROLES[ROLE_COUNT] = {
#define ROLE_ROW(role, fg, bg, attr, mono) { fg, bg, attr, mono },
	COLOR_ROLES(ROLE_ROW)
#undef ROLE_ROW
};

static int mono = 1;

void colors_init(void)
{
	const char *no_color = getenv("NO_COLOR");
	mono = (no_color && *no_color) || !has_colors();
	if (mono)
		return;
	start_color();
	use_default_colors();
	for (int r = 1; r < ROLE_COUNT && r < COLOR_PAIRS; r++)
		init_pair((short)r, ROLES[r].fg, ROLES[r].bg);
}

attr_t colors_attr(enum role r)
{
	if (mono)
		return ROLES[r].mono;
	return ROLES[r].attr | (r ? COLOR_PAIR(r) : 0);
}

enum role colors_rag(enum rag r)
{
	static const enum role roles[RAG_COUNT] = {
		[RAG_UNSET] = ROLE_UNSET, [RAG_RED] = ROLE_RED, [RAG_AMBER] = ROLE_AMBER,
		[RAG_GREEN] = ROLE_GREEN, [RAG_BLUE] = ROLE_BLUE,
	};
	return r >= 0 && r < RAG_COUNT ? roles[r] : ROLE_UNSET;
}

int colors_mono(void)
{
	return mono;
}
