/* keys: the one table of key bindings.  The same table drives the dispatch, the ?
 * help screen, the hints on the bottom line and the man page's KEYS section. */
#include "tui_int.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name, *help;
} ACTIONS[ACT_COUNT] = {
#define ACTION(id, name, help) { name, help },
#include "ragtrack/actions.def"
#undef ACTION
};

struct keybind {
	int key;
	enum action_id action;
	enum scope scope;
};

/* Every modal loop (a menu, the prompt, the form, a picker, the built-in editor, a
 * wait) is cancelled by the same keys, and all but the editor accept with the same
 * keys; menus add q, the one place a typed q is not text. */
#define CANCEL_KEYS(scope) \
	{ KEY_ESC,           ACT_CANCEL,         scope }, \
	{ KEY_CTRL('c'),     ACT_CANCEL,         scope }, \
	{ KEY_CTRL('g'),     ACT_CANCEL,         scope }
#define ACCEPT_KEYS(scope) \
	{ '\r',              ACT_ACCEPT,         scope }, \
	{ '\n',              ACT_ACCEPT,         scope }, \
	{ KEY_FN(KEY_ENTER), ACT_ACCEPT,         scope }

/* Order matters for help: keys of one action are listed together, first one first. */
static const struct keybind KEYS[] = {
	{ KEY_FN(KEY_UP),    ACT_MOVE_UP,        SCOPE_GLOBAL },
	{ 'k',               ACT_MOVE_UP,        SCOPE_GLOBAL },
	{ KEY_FN(KEY_DOWN),  ACT_MOVE_DOWN,      SCOPE_GLOBAL },
	{ 'j',               ACT_MOVE_DOWN,      SCOPE_GLOBAL },
	{ KEY_FN(KEY_PPAGE), ACT_PAGE_UP,        SCOPE_GLOBAL },
	{ KEY_CTRL('b'),     ACT_PAGE_UP,        SCOPE_GLOBAL },
	{ KEY_FN(KEY_NPAGE), ACT_PAGE_DOWN,      SCOPE_GLOBAL },
	{ KEY_CTRL('f'),     ACT_PAGE_DOWN,      SCOPE_GLOBAL },
	{ ' ',               ACT_PAGE_DOWN,      SCOPE_GLOBAL },
	{ KEY_FN(KEY_HOME),  ACT_MOVE_FIRST,     SCOPE_GLOBAL },
	{ 'g',               ACT_MOVE_FIRST,     SCOPE_GLOBAL },
	{ KEY_FN(KEY_END),   ACT_MOVE_LAST,      SCOPE_GLOBAL },
	{ 'G',               ACT_MOVE_LAST,      SCOPE_GLOBAL },
	{ KEY_FN(KEY_MOUSE), ACT_MOUSE,          SCOPE_GLOBAL },
	{ '\r',              ACT_OPEN,           SCOPE_LIST },
	{ '\n',              ACT_OPEN,           SCOPE_LIST },
	{ KEY_FN(KEY_ENTER), ACT_OPEN,           SCOPE_LIST },
	{ '\r',              ACT_OPEN,           SCOPE_DASH },
	{ '\n',              ACT_OPEN,           SCOPE_DASH },
	{ KEY_FN(KEY_ENTER), ACT_OPEN,           SCOPE_DASH },
	{ KEY_ESC,           ACT_BACK,           SCOPE_GLOBAL },
	{ 'q',               ACT_BACK,           SCOPE_GLOBAL },
	{ KEY_FN(KEY_LEFT),  ACT_BACK,           SCOPE_DETAIL },
	{ 'J',               ACT_NEXT_ITEM,      SCOPE_DETAIL },
	{ 'K',               ACT_PREV_ITEM,      SCOPE_DETAIL },
	{ '1',               ACT_TOGGLE_RED,     SCOPE_LIST },
	{ '2',               ACT_TOGGLE_AMBER,   SCOPE_LIST },
	{ '3',               ACT_TOGGLE_GREEN,   SCOPE_LIST },
	{ '4',               ACT_TOGGLE_BLUE,    SCOPE_LIST },
	{ '0',               ACT_TOGGLE_UNSET,   SCOPE_LIST },
	{ 'c',               ACT_CLEAR_FILTERS,  SCOPE_LIST },
	{ 'a',               ACT_PICK_AGENCY,    SCOPE_LIST },
	{ 'v',               ACT_PICK_REVIEW,    SCOPE_LIST },
	{ 'o',               ACT_TOGGLE_OVERDUE, SCOPE_LIST },
	{ '/',               ACT_SEARCH,         SCOPE_LIST },
	{ 'n',               ACT_SEARCH_NEXT,    SCOPE_ITEM },
	{ 'N',               ACT_SEARCH_PREV,    SCOPE_ITEM },
	{ 's',               ACT_CYCLE_SORT,     SCOPE_LIST },
	{ 'r',               ACT_SET_RAG,        SCOPE_ITEM },
	{ 'e',               ACT_EDIT_FORM,      SCOPE_ITEM },
	{ 'E',               ACT_EDIT_LONG,      SCOPE_ITEM },
	{ 'm',               ACT_ADD_NOTE,       SCOPE_ITEM },
	{ 'u',               ACT_UNDO,           SCOPE_ITEM },
	{ 'x',               ACT_EXPORT,         SCOPE_LIST },
	{ 'd',               ACT_DASHBOARD,      SCOPE_GLOBAL },
	{ KEY_CTRL('l'),     ACT_RELOAD,         SCOPE_GLOBAL },
	{ KEY_FN(KEY_F(5)),  ACT_RELOAD,         SCOPE_GLOBAL },
	{ '?',               ACT_HELP,           SCOPE_GLOBAL },
	{ KEY_FN(KEY_F(1)),  ACT_HELP,           SCOPE_GLOBAL },
	{ 'q',               ACT_QUIT,           SCOPE_LIST },
	{ KEY_CTRL('c'),     ACT_QUIT,           SCOPE_GLOBAL },
	/* the RAG menu: r, then the letter (the menu is built from these) */
	{ 'r',               ACT_SET_RED,        SCOPE_RAG },
	{ 'a',               ACT_SET_AMBER,      SCOPE_RAG },
	{ 'g',               ACT_SET_GREEN,      SCOPE_RAG },
	{ 'b',               ACT_SET_BLUE,       SCOPE_RAG },
	{ '-',               ACT_SET_UNSET,      SCOPE_RAG },
	/* menus (RAG, which text to edit, export form, yes/no) */
	{ KEY_FN(KEY_UP),    ACT_MENU_UP,        SCOPE_MENU },
	{ 'k',               ACT_MENU_UP,        SCOPE_MENU },
	{ KEY_FN(KEY_DOWN),  ACT_MENU_DOWN,      SCOPE_MENU },
	{ 'j',               ACT_MENU_DOWN,      SCOPE_MENU },
	ACCEPT_KEYS(SCOPE_MENU),
	CANCEL_KEYS(SCOPE_MENU),
	{ 'q',               ACT_CANCEL,         SCOPE_MENU },
	/* the one-line prompt (search, export file, evidence, note) */
	ACCEPT_KEYS(SCOPE_PROMPT),
	CANCEL_KEYS(SCOPE_PROMPT),
	/* the form (e) */
	{ '\t',              ACT_NEXT_FIELD,     SCOPE_FORM },
	{ KEY_FN(KEY_DOWN),  ACT_NEXT_FIELD,     SCOPE_FORM },
	{ KEY_FN(KEY_UP),    ACT_NEXT_FIELD,     SCOPE_FORM },
	{ KEY_FN(KEY_BTAB),  ACT_NEXT_FIELD,     SCOPE_FORM },
	ACCEPT_KEYS(SCOPE_FORM),
	CANCEL_KEYS(SCOPE_FORM),
	/* the pickers (a, v) */
	{ KEY_FN(KEY_UP),    ACT_MOVE_UP,        SCOPE_PICKER },
	{ KEY_FN(KEY_DOWN),  ACT_MOVE_DOWN,      SCOPE_PICKER },
	{ KEY_FN(KEY_PPAGE), ACT_PAGE_UP,        SCOPE_PICKER },
	{ KEY_FN(KEY_NPAGE), ACT_PAGE_DOWN,      SCOPE_PICKER },
	{ '\t',              ACT_MARK,           SCOPE_PICKER },
	ACCEPT_KEYS(SCOPE_PICKER),
	CANCEL_KEYS(SCOPE_PICKER),
	/* the built-in editor (E when neither $VISUAL nor $EDITOR is set) */
	{ KEY_FN(KEY_UP),    ACT_MOVE_UP,        SCOPE_EDITOR },
	{ KEY_FN(KEY_DOWN),  ACT_MOVE_DOWN,      SCOPE_EDITOR },
	{ KEY_FN(KEY_PPAGE), ACT_PAGE_UP,        SCOPE_EDITOR },
	{ KEY_FN(KEY_NPAGE), ACT_PAGE_DOWN,      SCOPE_EDITOR },
	{ KEY_FN(KEY_HOME),  ACT_LINE_START,     SCOPE_EDITOR },
	{ KEY_CTRL('a'),     ACT_LINE_START,     SCOPE_EDITOR },
	{ KEY_FN(KEY_END),   ACT_LINE_END,       SCOPE_EDITOR },
	{ KEY_CTRL('e'),     ACT_LINE_END,       SCOPE_EDITOR },
	{ KEY_CTRL_HOME,     ACT_TEXT_START,     SCOPE_EDITOR },
	{ KEY_CTRL_END,      ACT_TEXT_END,       SCOPE_EDITOR },
	{ '\r',              ACT_NEW_LINE,       SCOPE_EDITOR },
	{ '\n',              ACT_NEW_LINE,       SCOPE_EDITOR },
	{ KEY_FN(KEY_ENTER), ACT_NEW_LINE,       SCOPE_EDITOR },
	{ KEY_CTRL('s'),     ACT_SAVE,           SCOPE_EDITOR },
	{ KEY_FN(KEY_F(2)),  ACT_SAVE,           SCOPE_EDITOR },
	CANCEL_KEYS(SCOPE_EDITOR),
	/* a slow query, the database held by an import, a terminal too small for a prompt */
	CANCEL_KEYS(SCOPE_WAIT),
	/* typing in a prompt, a form field or the editor */
	{ KEY_FN(KEY_LEFT),  ACT_CHAR_LEFT,      SCOPE_LINE },
	{ KEY_FN(KEY_RIGHT), ACT_CHAR_RIGHT,     SCOPE_LINE },
	{ KEY_FN(KEY_HOME),  ACT_LINE_START,     SCOPE_LINE },
	{ KEY_CTRL('a'),     ACT_LINE_START,     SCOPE_LINE },
	{ KEY_FN(KEY_END),   ACT_LINE_END,       SCOPE_LINE },
	{ KEY_CTRL('e'),     ACT_LINE_END,       SCOPE_LINE },
	{ KEY_FN(KEY_BACKSPACE), ACT_DELETE_BACK, SCOPE_LINE },
	{ 127,               ACT_DELETE_BACK,    SCOPE_LINE },
	{ KEY_CTRL('h'),     ACT_DELETE_BACK,    SCOPE_LINE },
	{ KEY_FN(KEY_DC),    ACT_DELETE_CHAR,    SCOPE_LINE },
	{ KEY_CTRL('d'),     ACT_DELETE_CHAR,    SCOPE_LINE },
	{ KEY_CTRL('w'),     ACT_DELETE_WORD,    SCOPE_LINE },
	{ KEY_CTRL('u'),     ACT_DELETE_TO_START, SCOPE_LINE },
	{ KEY_CTRL('k'),     ACT_DELETE_TO_END,  SCOPE_LINE },
};
#define NKEYS (sizeof KEYS / sizeof *KEYS)

static const char *const SCOPE_TITLES[SCOPE_COUNT] = {
	[SCOPE_GLOBAL] = "Everywhere",
	[SCOPE_ITEM] = "The action list and the detail pane",
	[SCOPE_LIST] = "The action list",
	[SCOPE_DETAIL] = "The detail pane",
	[SCOPE_DASH] = "The dashboard",
	[SCOPE_HELP] = "This help",
	[SCOPE_RAG] = "The RAG menu (r, then the letter)",
	[SCOPE_MENU] = "Menus (the RAG, the text to edit, the export form, yes or no)",
	[SCOPE_PROMPT] = "The prompt on the bottom line (search, export file, evidence, note)",
	[SCOPE_FORM] = "The edit form (e)",
	[SCOPE_PICKER] = "The agency and review pickers (a, v): typing narrows the list",
	[SCOPE_EDITOR] = "The built-in editor (E, when neither $VISUAL nor $EDITOR is set)",
	[SCOPE_WAIT] = "While the browser waits (a slow query, the database busy, a terminal too small)",
	[SCOPE_LINE] = "Typing in a prompt, a form field, a picker or the editor",
};

const char *action_name(enum action_id a)
{
	return a >= 0 && a < ACT_COUNT ? ACTIONS[a].name : "";
}

static enum scope screen_scope(enum tui_screen screen)
{
	switch (screen) {
	case SCREEN_LIST: return SCOPE_LIST;
	case SCREEN_DETAIL: return SCOPE_DETAIL;
	case SCREEN_DASH: return SCOPE_DASH;
	case SCREEN_HELP: return SCOPE_HELP;
	}
	return SCOPE_GLOBAL;
}

static int scope_applies(enum scope scope, enum tui_screen screen)
{
	return scope == SCOPE_GLOBAL || scope == screen_scope(screen) ||
	       (scope == SCOPE_ITEM && (screen == SCREEN_LIST || screen == SCREEN_DETAIL));
}

enum action_id keys_lookup(enum tui_screen screen, int key)
{
	enum scope order[] = { screen_scope(screen), SCOPE_ITEM, SCOPE_GLOBAL };
	for (size_t o = 0; o < sizeof order / sizeof *order; o++) {
		if (!scope_applies(order[o], screen))
			continue;
		for (size_t i = 0; i < NKEYS; i++)
			if (KEYS[i].key == key && KEYS[i].scope == order[o])
				return KEYS[i].action;
	}
	return ACT_NONE;
}

enum action_id keys_lookup_in(enum scope scope, int key)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (KEYS[i].key == key && KEYS[i].scope == scope)
			return KEYS[i].action;
	return ACT_NONE;
}

int keys_for_in(enum scope scope, enum action_id action)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (KEYS[i].action == action && KEYS[i].scope == scope)
			return KEYS[i].key;
	return 0;
}

int keys_for(enum tui_screen screen, enum action_id action)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (KEYS[i].action == action && scope_applies(KEYS[i].scope, screen) &&
		    keys_lookup(screen, KEYS[i].key) == action)
			return KEYS[i].key;
	return 0;
}

/* Returns a string literal or a static buffer the next call reuses. */
const char *keys_name(int key)
{
	static char buf[32];
	static const struct { int key; const char *name; } NAMES[] = {
		{ KEY_FN(KEY_UP), "Up" }, { KEY_FN(KEY_DOWN), "Down" }, { KEY_FN(KEY_LEFT), "Left" },
		{ KEY_FN(KEY_RIGHT), "Right" }, { KEY_FN(KEY_PPAGE), "PgUp" }, { KEY_FN(KEY_NPAGE), "PgDn" },
		{ KEY_FN(KEY_HOME), "Home" }, { KEY_FN(KEY_END), "End" }, { KEY_FN(KEY_ENTER), "Enter" },
		{ KEY_FN(KEY_MOUSE), "Mouse" }, { KEY_FN(KEY_F(1)), "F1" }, { KEY_FN(KEY_F(5)), "F5" },
		{ KEY_FN(KEY_F(2)), "F2" }, { KEY_FN(KEY_BTAB), "Shift-Tab" }, { KEY_FN(KEY_BACKSPACE), "Backspace" },
		{ KEY_FN(KEY_DC), "Delete" }, { KEY_CTRL_HOME, "Ctrl-Home" }, { KEY_CTRL_END, "Ctrl-End" },
		{ '\t', "Tab" }, { 127, "Backspace" },
		{ '\r', "Enter" }, { '\n', "Enter" }, { KEY_ESC, "Esc" }, { ' ', "Space" },
	};
	for (size_t i = 0; i < sizeof NAMES / sizeof *NAMES; i++)
		if (NAMES[i].key == key)
			return NAMES[i].name;
	if (key > 0 && key < 32)
		snprintf(buf, sizeof buf, "Ctrl-%c", key + 'A' - 1);
	else if (key < 127)
		snprintf(buf, sizeof buf, "%c", key);
	else
		snprintf(buf, sizeof buf, "key %d", key);
	return buf;
}

/* The keys of action in scope, "Down, j", with names deduplicated (Enter). */
static void keys_list(struct buf *b, enum action_id a, enum scope scope)
{
	int n = 0;
	for (size_t i = 0; i < NKEYS; i++) {
		if (KEYS[i].action != a || KEYS[i].scope != scope)
			continue;
		char name[32];
		snprintf(name, sizeof name, "%s", keys_name(KEYS[i].key));   /* keys_name may reuse its buffer */
		int dup = 0;
		for (size_t j = 0; j < i; j++)
			if (KEYS[j].action == a && KEYS[j].scope == scope && strcmp(keys_name(KEYS[j].key), name) == 0)
				dup = 1;
		if (dup)
			continue;
		buf_printf(b, "%s%s", n++ ? ", " : "", name);
	}
}

/* Call fn for each (scope, action) that has keys, in table order, once each. */
static void keys_each(void (*fn)(enum scope, enum action_id, const char *keys, void *), void *ctx)
{
	for (int scope = 0; scope < SCOPE_COUNT; scope++) {
		for (int a = 0; a < ACT_COUNT; a++) {
			struct buf b = {0};
			keys_list(&b, (enum action_id)a, (enum scope)scope);
			if (b.len)
				fn((enum scope)scope, (enum action_id)a, b.s, ctx);
			buf_free(&b);
		}
	}
}

struct help_ctx {
	int width;
	int last_scope;
	char **lines;
	int n;
};

static void help_push(struct help_ctx *h, char *line)
{
	h->lines = xrealloc(h->lines, (size_t)(h->n + 1) * sizeof *h->lines);
	h->lines[h->n++] = line;
}

#define HELP_KEYS_COL 20

static void help_entry(enum scope scope, enum action_id a, const char *keys, void *ctx)
{
	struct help_ctx *h = ctx;
	if ((int)scope != h->last_scope) {
		if (h->n)
			help_push(h, xstrdup(""));
		help_push(h, xasprintf("\x01%s", SCOPE_TITLES[scope]));
		h->last_scope = (int)scope;
	}
	int nlines;
	char **wrapped = draw_wrap(ACTIONS[a].help, h->width - HELP_KEYS_COL - 2, &nlines);
	int own_line = (int)strlen(keys) > HELP_KEYS_COL - 3;   /* keys are ASCII */
	if (own_line)
		help_push(h, xasprintf("  %s", keys));
	for (int i = 0; i < nlines; i++) {
		help_push(h, xasprintf("  %-*s%s", HELP_KEYS_COL - 2, i == 0 && !own_line ? keys : "", wrapped[i]));
		free(wrapped[i]);
	}
	free(wrapped);
}

char **keys_help_lines(int width, int *n)
{
	struct help_ctx h = { .width = width < 40 ? 40 : width, .last_scope = -1 };
	help_push(&h, xstrdup("\x01RAG: Red = not on track, remedial action required; Amber = needs monitoring;"));
	help_push(&h, xstrdup("\x01     Green = on track (not done); Blue = completed and evidenced; - = not set."));
	help_push(&h, xstrdup("Every change is saved at once and logged with your name; u undoes it."));
	keys_each(help_entry, &h);
	*n = h.n;
	return h.lines;
}

struct keys_text_ctx {
	FILE *out;
	int last;
};

static void keys_text_entry(enum scope scope, enum action_id a, const char *keys, void *ctx)
{
	struct keys_text_ctx *c = ctx;
	if ((int)scope != c->last) {
		fprintf(c->out, "%s%s:\n", c->last >= 0 ? "\n" : "", SCOPE_TITLES[scope]);
		c->last = (int)scope;
	}
	if ((int)strlen(keys) > HELP_KEYS_COL - 3)
		fprintf(c->out, "  %s\n  %-*s%s\n", keys, HELP_KEYS_COL - 2, "", ACTIONS[a].help);
	else
		fprintf(c->out, "  %-*s%s\n", HELP_KEYS_COL - 2, keys, ACTIONS[a].help);
}

void tui_keys_text(FILE *out)
{
	struct keys_text_ctx c = { out, -1 };
	keys_each(keys_text_entry, &c);
}

/* roff needs backslashes doubled and a leading dot or quote escaped. */
static void roff_text(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

struct man_ctx {
	FILE *out;
	int last;
};

static void man_entry(enum scope scope, enum action_id a, const char *keys, void *ctx)
{
	struct man_ctx *m = ctx;
	if ((int)scope != m->last) {
		fputs(".SS ", m->out);
		roff_text(m->out, SCOPE_TITLES[scope]);
		fputc('\n', m->out);
		m->last = (int)scope;
	}
	fputs(".TP\n.B ", m->out);
	roff_text(m->out, keys);
	fputc('\n', m->out);
	roff_text(m->out, ACTIONS[a].help);
	fputc('\n', m->out);
}

void tui_keys_man(FILE *out)
{
	struct man_ctx m = { out, -1 };
	fputs(".\\\" Generated by `ragtrack tui --keys-man` from include/ragtrack/actions.def\n"
	      ".\\\" and the key table in src/tui/keys.c: do not edit by hand.\n"
	      ".SH KEYS\n"
	      "In the browser (\\fBragtrack\\fR with no command, or \\fBragtrack tui\\fR):\n", out);
	keys_each(man_entry, &m);
}
