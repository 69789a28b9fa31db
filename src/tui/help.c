/* help: the ? screen, generated from the key table (keys.c), scrollable. */
#include "tui_int.h"

#include <stdlib.h>

void help_free(struct tui *t)
{
	for (int i = 0; i < t->nhelp; i++)
		free(t->help[i]);
	free(t->help);
	t->help = NULL;
	t->nhelp = 0;
}

void help_draw(struct tui *t)
{
	if (!t->help || t->help_width != t->cols) {
		help_free(t);
		t->help = keys_help_lines(t->cols - 1, &t->nhelp);
		t->help_width = t->cols;
	}
	int y0 = layout_body_top();
	int h = layout_body_rows(t);
	help_scroll(t, 0);
	for (int i = 0; i < h; i++) {
		int k = t->help_scroll + i;
		draw_fill(y0 + i, 0, t->cols, A_NORMAL);
		if (k >= t->nhelp)
			continue;
		const char *line = t->help[k];
		int heading = line[0] == '\x01';
		draw_text(y0 + i, 1, t->cols - 1, line + heading, colors_attr(heading ? ROLE_HEADING : ROLE_NORMAL), NULL, 0);
	}
}

int help_scroll(struct tui *t, int delta)
{
	int old = t->help_scroll;
	int h = layout_body_rows(t);
	t->help_scroll += delta;
	if (t->help_scroll > t->nhelp - h)
		t->help_scroll = t->nhelp - h;
	if (t->help_scroll < 0)
		t->help_scroll = 0;
	return old == t->help_scroll ? 0 : DRAW_BODY | DRAW_BOTTOM;
}
