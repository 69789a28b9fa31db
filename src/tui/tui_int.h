/* tui_int.h: what the screen modules share.  Not a public header: only the files of
 * src/tui include it, and they are the only code that includes curses.h. */
#ifndef RAGTRACK_TUI_INT_H
#define RAGTRACK_TUI_INT_H

/* Ours first: curses.h then redefines OK as (0), the value of our enum status OK. */
#include "ragtrack/tui.h"
#include "ragtrack/store.h"
#include "ragtrack/filter.h"

#include <ncurses.h>
#include <stdint.h>
#include <wchar.h>

/* ---- actions and keys (keys.c) ---------------------------------------------------- */
enum action_id {
#define ACTION(id, name, help) ACT_##id,
#include "ragtrack/actions.def"
#undef ACTION
	ACT_COUNT,
	ACT_NONE = -1
};

/* Where a binding applies.  A key is looked up in the screen's own scope, then ITEM
 * (list and detail: an action is selected), then GLOBAL.  The modal scopes (a prompt,
 * a menu, ...) are looked up on their own (keys_lookup_in); their line editing is
 * SCOPE_LINE's. */
enum scope {
	SCOPE_GLOBAL, SCOPE_ITEM, SCOPE_LIST, SCOPE_DETAIL, SCOPE_DASH, SCOPE_HELP,
	SCOPE_RAG, SCOPE_MENU, SCOPE_PROMPT, SCOPE_FORM, SCOPE_PICKER, SCOPE_EDITOR, SCOPE_WAIT, SCOPE_LINE,
	SCOPE_COUNT
};

enum tui_screen { SCREEN_LIST, SCREEN_DETAIL, SCREEN_DASH, SCREEN_HELP };

/* A key: a character as itself, a curses function key offset above Unicode. */
#define KEY_FN(k) (0x200000 | (k))
#define KEY_CTRL(c) ((c) & 0x1f)
#define KEY_ESC 27
/* Keys curses knows only by name (ncurses' extended keys): tui_getkey maps them here. */
#define KEY_CTRL_HOME 0x300001
#define KEY_CTRL_END  0x300002

/* The action bound to key on screen, or ACT_NONE. */
enum action_id keys_lookup(enum tui_screen screen, int key);
/* The action bound to key in scope alone (a modal prompt, menu or form), or ACT_NONE. */
enum action_id keys_lookup_in(enum scope scope, int key);
/* The first key bound to action in scope alone, 0 when none. */
int keys_for_in(enum scope scope, enum action_id action);
/* "Enter", "Ctrl-L", "PgDn", "a": the name of a key for help and hints. */
const char *keys_name(int key);
/* The first key bound to action on screen (for hints), 0 when none. */
int keys_for(enum tui_screen screen, enum action_id action);
/* The help screen's text, one line per entry, wrapped to width.  Caller frees
 * each line and the array. */
char **keys_help_lines(int width, int *n);
const char *action_name(enum action_id a);

/* ---- colours (colors.c) --------------------------------------------------------------- */
/* X(ROLE, foreground, background, attributes in colour, attributes in monochrome) */
#define COLOR_ROLES(X) \
	X(ROLE_NORMAL,   -1,            -1,           A_NORMAL,    A_NORMAL) \
	X(ROLE_BAR,      COLOR_WHITE,   COLOR_BLUE,   A_NORMAL,    A_REVERSE) \
	X(ROLE_HEADER,   -1,            -1,           A_BOLD | A_UNDERLINE, A_BOLD | A_UNDERLINE) \
	X(ROLE_CURSOR,   COLOR_BLACK,   COLOR_CYAN,   A_NORMAL,    A_REVERSE) \
	X(ROLE_GROUP,    COLOR_CYAN,    -1,           A_BOLD,      A_BOLD) \
	X(ROLE_DIM,      -1,            -1,           A_DIM,       A_DIM) \
	X(ROLE_UNSET,    -1,            -1,           A_DIM,       A_NORMAL) \
	X(ROLE_RED,      COLOR_WHITE,   COLOR_RED,    A_BOLD,      A_BOLD) \
	X(ROLE_AMBER,    COLOR_BLACK,   COLOR_YELLOW, A_NORMAL,    A_BOLD) \
	X(ROLE_GREEN,    COLOR_BLACK,   COLOR_GREEN,  A_NORMAL,    A_BOLD) \
	X(ROLE_BLUE,     COLOR_WHITE,   COLOR_BLUE,   A_BOLD,      A_BOLD) \
	X(ROLE_OVERDUE,  COLOR_RED,     -1,           A_BOLD,      A_BOLD) \
	X(ROLE_MATCH,    COLOR_BLACK,   COLOR_YELLOW, A_NORMAL,    A_UNDERLINE | A_BOLD) \
	X(ROLE_HEADING,  COLOR_YELLOW,  -1,           A_BOLD,      A_BOLD | A_UNDERLINE) \
	X(ROLE_KEY,      -1,            -1,           A_BOLD,      A_BOLD) \
	X(ROLE_ERROR,    COLOR_WHITE,   COLOR_RED,    A_BOLD,      A_REVERSE | A_BOLD) \
	X(ROLE_OK,       COLOR_GREEN,   -1,           A_BOLD,      A_BOLD) \
	X(ROLE_BOX,      -1,            -1,           A_NORMAL,    A_NORMAL) \
	X(ROLE_FIELD,    -1,            -1,           A_UNDERLINE, A_UNDERLINE)

enum role {
#define ROLE_ENUM(role, fg, bg, attr, mono) role,
	COLOR_ROLES(ROLE_ENUM)
#undef ROLE_ENUM
	ROLE_COUNT
};

/* Set up colour pairs, or monochrome when NO_COLOR is set or the terminal has none. */
void colors_init(void);
/* The curses attributes of a role. */
attr_t colors_attr(enum role r);
/* The role of a RAG state's chip. */
enum role colors_rag(enum rag r);
int colors_mono(void);

/* ---- drawing text (draw.c) ---------------------------------------------------------- */
struct tui;
/* Words to highlight (the search), case-insensitive. */
struct hl {
	wchar_t **words;
	int n;
};
struct hl *hl_new(const char *search);
/* The words a search matched in action id (the store's word forms and prefixes), or
 * NULL when none or when there is no search.  Caller frees with hl_free. */
struct hl *hl_for_action(struct tui *t, int64_t id);
/* The highlight of words[0..n) a search matched (hl_for_action's, for a whole window
 * from store_search_words_each); NULL when none. */
struct hl *hl_from_words(char **words, size_t n);
void hl_free(struct hl *h);           /* hl_new returns NULL for no words */

/* Draw s (already safe to print: text_visible) at y,x in at most w columns with attr;
 * pad to w with spaces when pad.  Matches of hl (may be NULL) take ROLE_MATCH.
 * Returns the columns used. */
int draw_text(int y, int x, int w, const char *s, attr_t attr, const struct hl *hl, int pad);
/* Columns s takes on the screen (text_width, or the width of its ASCII stand-ins on a
 * terminal without UTF-8). */
int draw_width(const char *s);
/* Columns the character c takes, as draw_wc draws it (1 for one it cannot print). */
int draw_wc_width(wchar_t c);
/* Draw c at the cursor: itself, its ASCII stand-in, or '?' for what is unprintable. */
void draw_wc(wchar_t c);
/* text_visible(s, nl_as), in ASCII stand-ins on a terminal without UTF-8: for text
 * that is matched against what is typed (the pickers).  Caller frees. */
char *draw_visible(const char *s, char nl_as);
/* Fill w columns at y,x with spaces in attr. */
void draw_fill(int y, int x, int w, attr_t attr);
/* s cut to at most w columns as the screen measures it (text_cut: "…", "..." in ASCII,
 * when cut).  Caller frees. */
char *draw_cut(const char *s, int w);
/* Word-wrap s (safe to print; newlines break lines) to width w as the screen measures
 * it (text_wrap).  Returns lines the caller frees (each, and the array); *n is their
 * number (at least 1). */
char **draw_wrap(const char *s, int w, int *n);
/* s (safe to print) as lowercase wide characters, one per character as draw_text
 * draws it, for matching what is typed; *n gets their number.  Caller frees. */
wchar_t *draw_lower(const char *s, size_t *n);

/* ---- the browser's state ------------------------------------------------------------ */
/* One list row, copied from the store (the store's row lives only during its callback).
 * Strings are safe to print. */
struct row {
	int64_t id, version;
	enum rag rag;
	int overdue;
	char *review, *qref, *agency, *target, *lead, *text;
	struct hl *hl;            /* the words the search matched in it, or NULL */
	int hl_read;              /* hl asked of the store (when the row was first drawn) */
};

/* A window of rows around the cursor: the list is never read whole. */
struct window {
	long base;                /* list position of rows[0] */
	int n, cap;
	struct row *rows;
	char *stamp;              /* store_data_stamp taken before the rows were read (NULL: none) */
};

/* One line of the detail pane. */
struct dline {
	char *s;                  /* safe to print */
	enum role role;
	int indent;
};

struct detail {
	int64_t id, version;      /* the action shown, and the version displayed */
	enum rag rag;
	char *agency;
	struct hl *hl;            /* the words the search matched in it, or NULL */
	int width;                /* the lines are wrapped to it */
	struct dline *lines;
	int n, cap;
};

struct dash_row {
	char *name;               /* NULL: a heading */
	const char *heading;
	enum store_group by;
	int none;                 /* the actions with no agency */
	long counts[RAG_COUNT];
	long total;
};

/* What the screen showed before the key, for going back to it when a query is
 * cancelled: the first window of rows and detail pane the key drops (list_keep). */
struct kept {
	int on;                   /* keeping: the next of each dropped is kept */
	int have_win, have_detail;
	struct window win;
	struct detail *detail;
};

struct tui {
	struct store *s;
	struct filter f;
	enum tui_screen screen;   /* what has the keys */
	int split;                /* wide terminal: list and detail side by side */
	int rows, cols;
	/* the list */
	long count;
	long rag_counts[RAG_COUNT];
	long cursor, top;
	struct window win;
	/* detail pane */
	struct detail *detail;
	int64_t detail_id;        /* the detail screen's action (kept when an edit drops it from the list) */
	int detail_scroll;
	int64_t detail_last;      /* the action the scroll position belongs to */
	/* dashboard and help */
	struct dash_row *dash;
	int ndash, dash_cursor, dash_top;
	char **help;
	int nhelp, help_width, help_scroll;
	enum tui_screen help_from; /* where Esc goes back to from help */
	/* the bottom line's message until the next key, whole ("" for none; cut to the
	 * width only when drawn) */
	char *msg;
	int msg_error;
	volatile int quit;
	/* a query that runs long: Esc or Ctrl-C cancels it (tui.c) */
	long long busy_since;     /* ms: when the last key was read */
	int busy_shown;           /* the "Esc cancels" line is up */
	int cancelled;            /* a query was cancelled since the last key */
	struct kept kept;         /* what the screen showed before the key (list_keep) */
	int pending[16];          /* keys typed during a query, for the next tui_getkey calls */
	int npending;
	/* other people's changes (tui.c: others_changed) */
	int refresh_ms;           /* between looks without the store's descriptor (0: never look) */
	int watch_fd;             /* the store's descriptor to wait on beside the terminal, or -1 */
	long long next_look;      /* ms: when to look next */
};

/* Layout: first and last body rows, and the list's width. */
int layout_body_top(void);
int layout_body_rows(const struct tui *t);
int layout_list_width(const struct tui *t);
int layout_split(const struct tui *t);

/* Set the bottom line's message (printf style). */
void tui_message(struct tui *t, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Read action id afresh into a (caller clears it) for an edit, provided it is still the
 * version the screen showed; otherwise say why on the message line and return non-OK. */
enum status tui_fetch_shown(struct tui *t, int64_t id, int64_t version, struct action *a);
/* Draw what bits asks for (DRAW_*); the main loop and modal prompts call it. */
void tui_draw(struct tui *t, int bits);
/* While the terminal is too small: the "needs at least" message alone (no box over
 * it), until it is big enough (0, the screen redrawn) or Esc / Ctrl-C (-1). */
int tui_wait_size(struct tui *t);
/* Read the next key: a character, or KEY_FN(curses key); KEY_FN(KEY_RESIZE) after a resize. */
int tui_getkey(struct tui *t);
/* What the main loop's wait returns when it is time to look for others' changes. */
#define KEY_IDLE 0x300010

/* ---- what handlers return (htop's Htop_Reaction) ------------------------------------ */
enum {
	DRAW_TOP = 1 << 0,
	DRAW_BODY = 1 << 1,
	DRAW_BOTTOM = 1 << 2,
	DRAW_ALL = DRAW_TOP | DRAW_BODY | DRAW_BOTTOM,
	RELOAD_COUNTS = 1 << 3,   /* total and the RAG chips */
	RELOAD_ROWS = 1 << 4,     /* the window of rows */
	RELOAD_DETAIL = 1 << 5,
	RELOAD_DASH = 1 << 6,
	FILTER_CHANGED = 1 << 7,  /* cursor to the top, save the state */
	RELOAD_ALL = DRAW_ALL | RELOAD_COUNTS | RELOAD_ROWS | RELOAD_DETAIL | RELOAD_DASH,
	DO_QUIT = 1 << 8
};

/* ---- list (list.c) --------------------------------------------------------------------- */
/* The row at list position pos, reading a window around it when needed; NULL when
 * out of range or on a database error (then a message is set). */
struct row *list_row(struct tui *t, long pos);
/* Drop the window of rows (they are read again when drawn); while keeping, the first
 * one dropped goes to t->kept instead. */
void list_clear(struct tui *t);
/* Free what t->kept holds, and keep (on 1) the next window and detail pane dropped,
 * or not (0). */
void list_keep(struct tui *t, int on);
/* Put what t->kept holds back in place (a query was cancelled: the screen shows again
 * what it showed, without reading it); what was never dropped is still in place. */
void list_unkeep(struct tui *t);
/* Re-read the count and the RAG chips; clamp the cursor. */
void list_reload_counts(struct tui *t);
/* Keep the cursor inside the list and on screen. */
void list_clamp(struct tui *t);
/* Draw the column header and the rows on screen (the window is read first if needed). */
void list_draw(struct tui *t);
void list_draw_header(struct tui *t);
/* The list row at screen line y, or -1. */
long list_pos_at(const struct tui *t, int y);
/* Move the cursor by delta rows (clamped); returns redraw bits. */
int list_move(struct tui *t, long delta);
/* Put the cursor on pos (clamped); returns redraw bits, 0 when it did not move. */
int list_goto(struct tui *t, long pos);

/* ---- bars (bar.c) ---------------------------------------------------------------------- */
/* The top bar: database, lens, read-only, count and filters in words, RAG chips. */
void bar_draw_top(struct tui *t);
/* The bottom line: the message, else the screen's key hints; the position at the right. */
void bar_draw_bottom(struct tui *t);

/* ---- detail pane (detail.c) ------------------------------------------------------------ */
/* Build the detail of the cursor's action wrapped to width (reusing it when current). */
struct detail *detail_current(struct tui *t, int width);
void detail_free(struct detail *d);
/* Drop the detail pane (it is built again when drawn); while keeping, the first one
 * dropped goes to t->kept instead. */
void detail_drop(struct tui *t);
/* Draw the detail in the h by w area at y,x (a rule on its left when x > 0). */
void detail_draw(struct tui *t, int y, int x, int h, int w);
/* Scroll by delta lines (clamped); returns redraw bits. */
int detail_scroll(struct tui *t, int delta);

/* ---- dashboard (dashboard.c) ------------------------------------------------------------ */
/* Read the bars (per agency, per review) for the current filters. */
void dash_load(struct tui *t);
void dash_free(struct tui *t);
void dash_draw(struct tui *t);
/* Move the cursor delta bars, skipping headings; returns redraw bits. */
int dash_move(struct tui *t, int delta);
/* The bar under the cursor as "item of items", counting bars only. */
void dash_position(const struct tui *t, int *item, int *items);
/* Filter the list to the bar under the cursor. */
int dash_open(struct tui *t);

/* ---- help (help.c) ---------------------------------------------------------------------- */
/* Draw the ? screen (its lines are made from the key table for the width). */
void help_draw(struct tui *t);
/* Scroll by delta lines (clamped); returns redraw bits. */
int help_scroll(struct tui *t, int delta);
void help_free(struct tui *t);

/* ---- prompts, menus, forms, editor (prompt.c, form.c, picker.c, editor.c) -------------- */
/* A line being edited. */
struct lineed {
	wchar_t *w;
	size_t len, cap, pos;
	size_t scroll;            /* first character shown */
};
/* Start editing utf8.  Every character is kept, in any locale (newlines, tabs, controls
 * and bytes that are not UTF-8 included): lineed_text gives back the same bytes. */
void lineed_init(struct lineed *le, const char *utf8);
void lineed_free(struct lineed *le);
/* Insert c at the cursor, whatever it is (text being loaded, not typed). */
void lineed_insert(struct lineed *le, wchar_t c);
/* Apply an editing key; 1 when used. */
int lineed_key(struct lineed *le, int key);
/* The text as UTF-8; caller frees. */
char *lineed_text(const struct lineed *le);
/* Do two editors hold the same text? */
int lineed_same(const struct lineed *a, const struct lineed *b);
/* Columns an edited character takes as shown: newline, tab, controls, bidi controls
 * and bytes that are not UTF-8 appear as escapes (\n, \t, \u202e, \xff, as
 * text_visible writes them), the rest as draw_wc draws it.  The text is unchanged. */
int lineed_char_width(wchar_t c);
/* Draw one edited character at the cursor (escapes dim); returns its columns. */
int lineed_char_draw(wchar_t c, attr_t attr);
/* Draw in w columns at y,x; returns the cursor's column. */
int lineed_draw(struct lineed *le, int y, int x, int w, attr_t attr);

/* Check a prompt's text as it is typed: write a hint (may be empty) and return 1 when
 * Enter may accept it. */
typedef int (*prompt_check_fn)(const char *text, char *hint, size_t hintsz, void *ctx);
/* Ask for one line on the bottom line.  Returns the text (caller frees), or NULL on Esc. */
char *prompt_line(struct tui *t, const char *label, const char *initial, prompt_check_fn check, void *ctx);

struct menu_item {
	int key;                  /* a letter that picks it at once, or 0 */
	const char *label;
	enum role role;
};
/* A box with a title at y,x, h rows by w columns, its inside cleared. */
void box_draw(int y, int x, int h, int w, const char *title);
/* A vertical line of n rows. */
void draw_vline(int y, int x, int n, attr_t attr);
/* A small menu in a box; returns the chosen index, or -1 on Esc. */
int prompt_menu(struct tui *t, const char *title, const struct menu_item *items, int n, int initial);

/* Pick agencies (multi) or a review (single) into t->f; returns redraw bits. */
int picker_run(struct tui *t, enum store_group by);

/* The form for the short fields of the cursor's action; returns redraw bits. */
int form_edit(struct tui *t, int64_t id, int64_t version);

/* Edit text: $VISUAL/$EDITOR on a temporary file, else the built-in editor.
 * Returns the new text (caller frees) or NULL when cancelled or unchanged. */
char *editor_run(struct tui *t, const char *title, const char *text);
/* Remove the temporary files of editors whose browser was killed (util_tmp_sweep):
 * run at every start. */
void editor_sweep(void);

/* ---- handlers (handlers.c) --------------------------------------------------------------- */
/* Do action; returns redraw bits. */
int handle_action(struct tui *t, enum action_id a);
/* Save the filter and cursor for next time (not under --read-only). */
void state_save(struct tui *t);
/* Restore them; cmdline (may be NULL) replaces the saved filter. */
void state_load(struct tui *t, const struct filter *cmdline);

#endif
