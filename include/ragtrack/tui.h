/* tui: the terminal browser.  Its public face has no curses types: only src/tui/
 * includes curses.h, so nothing below the views depends on a terminal. */
#ifndef RAGTRACK_TUI_H
#define RAGTRACK_TUI_H

#include <stdio.h>
#include "ragtrack/status.h"
#include "ragtrack/store.h"
#include "ragtrack/filter.h"

struct tui_opts {
	/* Filter and sort from the command line: used instead of the saved ones when
	 * given (NULL = restore what this user last had on this database). */
	const struct filter *filter;
};

/* Run the browser on s until the user quits.  The screen state (filters, sort, cursor)
 * is restored from and saved to s per user.  Returns OK, or ERR_USAGE when there is no
 * usable terminal, with a message in err. */
enum status tui_run(struct store *s, const struct tui_opts *o, struct err *err);

/* The key table in roff, for the man page's KEYS section (ragtrack tui --keys-man). */
void tui_keys_man(FILE *out);
/* The key table as plain text, as the ? screen shows it (ragtrack tui --keys). */
void tui_keys_text(FILE *out);

#endif
