/* tui: the browser's main loop.  Keys become actions through the key table, handlers
 * return what to reload and redraw, and only this loop draws.  The terminal is given
 * back on every way out: a normal quit, exit(), SIGINT/SIGTERM/SIGHUP (a flag the loop
 * sees) and fatal signals (a precomputed reset written with write(2): no curses call
 * in a signal handler). */
#include "tui_int.h"
#include "ragtrack/output.h"
#include "ragtrack/util.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MIN_COLS 60
#define MIN_ROWS 15
#define SPLIT_COLS 140            /* from this width the detail pane sits beside the list */

static volatile sig_atomic_t got_signal;
static int curses_on;
static struct termios saved_tty;
static int saved_tty_ok;
static char reset_seq[256];
static size_t reset_len;

/* ---- layout ------------------------------------------------------------------------------ */

int layout_split(const struct tui *t)
{
	return t->cols >= SPLIT_COLS && (t->screen == SCREEN_LIST || t->screen == SCREEN_DETAIL);
}

int layout_list_width(const struct tui *t)
{
	return layout_split(t) ? t->cols - t->cols * 2 / 5 : t->cols;
}

int layout_body_top(void)
{
	return 1;
}

int layout_body_rows(const struct tui *t)
{
	return t->rows - 2 > 1 ? t->rows - 2 : 1;
}

static int too_small(const struct tui *t)
{
	return t->cols < MIN_COLS || t->rows < MIN_ROWS;
}

/* ---- messages, keys, drawing --------------------------------------------------------------- */

void tui_message(struct tui *t, int error, const char *fmt, ...)
{
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	char *raw = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	raw[0] = '\0';
	if (n > 0)
		vsnprintf(raw, (size_t)n + 1, fmt, ap);
	va_end(ap);
	free(t->msg);
	t->msg = text_visible(raw, ' ');    /* messages quote data: never raw; whole, cut only when drawn */
	free(raw);
	t->msg_error = error;
}

/* The code curses gives a key it knows only by its terminfo name ("kEND5" is
 * Ctrl-End), or -1 when the terminal has no such key. */
static int extended_key(const char *name)
{
	char *seq = tigetstr(name);
	if (!seq || seq == (char *)-1)
		return -1;
	int code = key_defined(seq);
	return code > 0 ? code : -1;
}

static int map_extended(int code)
{
	static int ctrl_end, ctrl_home, known;
	if (!known) {
		ctrl_end = extended_key("kEND5");
		ctrl_home = extended_key("kHOM5");
		known = 1;
	}
	if (code == ctrl_end)
		return KEY_CTRL_END;
	if (code == ctrl_home)
		return KEY_CTRL_HOME;
	return KEY_FN(code);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The key curses read (get_wch's rc and wc) as the browser's code; the size is read
 * again after a resize. */
static int key_of(struct tui *t, int rc, wint_t wc)
{
	if (rc != KEY_CODE_YES)
		return (int)wc;
	if (wc == KEY_RESIZE)
		getmaxyx(stdscr, t->rows, t->cols);
	return map_extended((int)wc);
}

/* A key typed ahead (kept while a query ran), or -1. */
static int key_pending(struct tui *t)
{
	if (!t->npending)
		return -1;
	int k = t->pending[0];
	memmove(t->pending, t->pending + 1, (size_t)--t->npending * sizeof *t->pending);
	t->busy_since = now_ms();
	return k;
}

int tui_getkey(struct tui *t)
{
	int key = key_pending(t);
	if (key >= 0)
		return key;
	key = KEY_ESC;
	for (int errors = 0;;) {
		wint_t wc;
		int rc = get_wch(&wc);
		if (got_signal) {
			t->quit = 1;
			break;
		}
		if (rc == ERR) {
			if (++errors > 100) {      /* the terminal is gone */
				t->quit = 1;
				break;
			}
			continue;
		}
		key = key_of(t, rc, wc);
		break;
	}
	t->busy_since = now_ms();
	return key;
}

/* A key curses has or the terminal holds, without waiting; -1 when none. */
static int key_ready(struct tui *t)
{
	nodelay(stdscr, TRUE);
	wint_t wc;
	int rc = get_wch(&wc);
	nodelay(stdscr, FALSE);
	if (rc == ERR)
		return -1;
	t->busy_since = now_ms();
	return key_of(t, rc, wc);
}

/* The main loop's wait: the next key, or KEY_IDLE when it is time to look for other
 * people's changes (others_changed).  With the store's descriptor (a server's socket)
 * the terminal and it are waited on together, and a look is due after every key too
 * (cheap: no round trip), for notifications the store read in passing while it ran a
 * query; without one (a SQLite file), a look is due every refresh_ms, keys or none. */
static int tui_wait_key(struct tui *t)
{
	int key = key_pending(t);
	if (key >= 0)
		return key;
	if (t->refresh_ms <= 0)
		return tui_getkey(t);
	for (int idle = 0;;) {
		if ((key = key_ready(t)) >= 0 || got_signal) {
			if (got_signal)
				t->quit = 1;
			return key >= 0 ? key : KEY_ESC;
		}
		long long wait = t->next_look - now_ms();
		if (wait <= 0)
			return KEY_IDLE;
		int fd = t->watch_fd;
		struct pollfd p[2] = { { .fd = STDIN_FILENO, .events = POLLIN }, { .fd = fd, .events = POLLIN } };
		int n = poll(p, fd >= 0 ? 2 : 1, fd >= 0 ? -1 : (int)wait);
		if (n < 0 && errno == EINTR)         /* a resize or a signal: get_wch says which */
			continue;
		if (n == 0 || (fd >= 0 && p[1].revents))
			return KEY_IDLE;
		if (n < 0 || (p[0].revents && ++idle > 100)) {
			t->quit = 1;                       /* the terminal is gone: readable, never a key */
			return KEY_ESC;
		}
	}
}

/* While the store works or waits: a key typed meanwhile, if any, without blocking.  A
 * cancel key says so (1); any other key is kept for the main loop, in order (beyond 16
 * typed ahead, the rest are dropped). */
static int wait_key_cancels(struct tui *t)
{
	nodelay(stdscr, TRUE);
	wint_t wc;
	int rc = get_wch(&wc);
	nodelay(stdscr, FALSE);
	if (rc == ERR)
		return 0;
	int key = rc == KEY_CODE_YES ? map_extended((int)wc) : (int)wc;
	if (keys_lookup_in(SCOPE_WAIT, key) == ACT_CANCEL)
		return 1;
	if (t->npending < (int)(sizeof t->pending / sizeof *t->pending))
		t->pending[t->npending++] = key;
	return 0;
}

/* The store's cancel callback: past 100 ms a query says how to stop it, and a typed
 * cancel key (SCOPE_WAIT's: Esc, Ctrl-C, Ctrl-G) stops it; other keys wait for the
 * next reads. */
static int query_cancel(void *ctx)
{
	struct tui *t = ctx;
	if (t->cancelled)
		return 1;
	if (now_ms() - t->busy_since < 100)
		return 0;
	if (!t->busy_shown) {
		t->busy_shown = 1;
		int y = t->rows - 1;
		attrset(colors_attr(ROLE_KEY));
		mvhline(y, 0, ' ', t->cols - 1);
		mvaddnstr(y, 0, "working... Esc or Ctrl-C cancels", t->cols - 1);
		attrset(A_NORMAL);
		refresh();
	}
	if (wait_key_cancels(t)) {
		t->cancelled = 1;
		return 1;
	}
	return 0;
}

static void draw_too_small(struct tui *t)
{
	erase();
	char *s = xasprintf("ragtrack needs at least %dx%d (now %dx%d)", MIN_COLS, MIN_ROWS, t->cols, t->rows);
	mvaddnstr(t->rows / 2, 0, s, t->cols);
	free(s);
	refresh();
}

int tui_wait_size(struct tui *t)
{
	int waited = 0;
	while (too_small(t) && !t->quit) {
		draw_too_small(t);
		if (keys_lookup_in(SCOPE_WAIT, tui_getkey(t)) == ACT_CANCEL)
			return -1;
		waited = 1;
	}
	if (waited)
		tui_draw(t, DRAW_ALL);
	return t->quit ? -1 : 0;
}

void tui_draw(struct tui *t, int bits)
{
	if (too_small(t)) {
		draw_too_small(t);
		return;
	}
	if ((bits & DRAW_ALL) == DRAW_ALL)
		erase();
	if (bits & DRAW_TOP)
		bar_draw_top(t);
	if (bits & DRAW_BODY) {
		int y = layout_body_top(), h = layout_body_rows(t);
		int lw = layout_list_width(t);
		switch (t->screen) {
		case SCREEN_LIST:
		case SCREEN_DETAIL:
			if (layout_split(t)) {
				list_draw(t);
				detail_draw(t, y, lw + 1, h, t->cols - lw - 1);
			} else if (t->screen == SCREEN_LIST) {
				list_draw(t);
			} else {
				detail_draw(t, y, 0, h, t->cols);
			}
			break;
		case SCREEN_DASH:
			dash_draw(t);
			break;
		case SCREEN_HELP:
			help_draw(t);
			break;
		}
	}
	if (bits & DRAW_BOTTOM)
		bar_draw_bottom(t);
	refresh();
}

/* ---- the terminal ---------------------------------------------------------------------------- */

static void on_quit_signal(int sig)
{
	got_signal = sig;
}

static void on_fatal_signal(int sig)
{
	if (reset_len)
		(void)!write(STDOUT_FILENO, reset_seq, reset_len);
	if (saved_tty_ok)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void screen_end(void)
{
	if (curses_on) {
		curses_on = 0;
		endwin();
	}
}

/* What to write to the terminal if the program dies: leave the alternate screen,
 * show the cursor, plain attributes, no mouse reports. */
static void reset_prepare(void)
{
	const char *caps[] = { "sgr0", "cnorm", "rmkx", "rmcup" };
	reset_len = 0;
	for (size_t i = 0; i < sizeof caps / sizeof *caps; i++) {
		char *s = tigetstr((char *)caps[i]);
		if (!s || s == (char *)-1)
			continue;
		size_t n = strlen(s);
		if (reset_len + n < sizeof reset_seq - 16) {
			memcpy(reset_seq + reset_len, s, n);
			reset_len += n;
		}
	}
	static const char mouse_off[] = "\033[?1000l\033[?1002l\033[?1006l";
	memcpy(reset_seq + reset_len, mouse_off, sizeof mouse_off - 1);
	reset_len += sizeof mouse_off - 1;
}

static void signals_install(void)
{
	struct sigaction sa = { .sa_handler = on_quit_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	struct sigaction fatal = { .sa_handler = on_fatal_signal, .sa_flags = SA_RESETHAND };
	sigemptyset(&fatal.sa_mask);
	sigaction(SIGSEGV, &fatal, NULL);
	sigaction(SIGBUS, &fatal, NULL);
	sigaction(SIGFPE, &fatal, NULL);
	sigaction(SIGABRT, &fatal, NULL);
	sigaction(SIGILL, &fatal, NULL);
}

static enum status screen_start(struct tui *t, struct err *err)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return err_set(err, ERR_USAGE, "the browser needs a terminal ('ragtrack list' prints the actions)");
	saved_tty_ok = tcgetattr(STDIN_FILENO, &saved_tty) == 0;
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		const char *term = getenv("TERM");
		return err_set(err, ERR_USAGE, "cannot use the terminal type '%s' ('ragtrack list' prints the actions)",
		               term ? term : "(TERM is not set)");
	}
	const char *cup = tigetstr("cup");
	if (!cup || cup == (char *)-1) {           /* TERM=dumb: no cursor moves, no screen */
		const char *term = getenv("TERM");
		endwin();
		delscreen(scr);
		return err_set(err, ERR_USAGE, "the terminal (TERM=%s) cannot show the browser: it cannot move the cursor; "
		               "'ragtrack list' prints the actions", str_empty(term) ? "(not set)" : term);
	}
	set_term(scr);
	curses_on = 1;
	atexit(screen_end);
	reset_prepare();
	signals_install();
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	colors_init();
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
	          | BUTTON5_PRESSED
#endif
	          , NULL);
	mouseinterval(0);
	getmaxyx(stdscr, t->rows, t->cols);
	return OK;
}

static void tui_free(struct tui *t)
{
	list_keep(t, 0);
	list_clear(t);
	free(t->win.rows);
	detail_free(t->detail);
	dash_free(t);
	help_free(t);
	filter_free(&t->f);
	free(t->msg);
	t->msg = NULL;
}

/* Before drawing: re-read what the handler said changed. */
static void reload(struct tui *t, int bits)
{
	if (bits & FILTER_CHANGED) {
		t->cursor = 0;
		t->top = 0;
	}
	if (bits & RELOAD_ROWS)
		list_clear(t);
	if (bits & RELOAD_COUNTS)
		list_reload_counts(t);
	if (bits & RELOAD_DETAIL)
		detail_drop(t);
	if ((bits & RELOAD_DASH) && t->screen == SCREEN_DASH)
		dash_load(t);
	if (bits & FILTER_CHANGED)
		state_save(t);
}

#define UPDATED_MARK "updated by others"
/* Beyond this many rows, finding the cursor's action again is not worth the wait (as
 * state.c's): the cursor then keeps its place in the list. */
#define REFRESH_POSITION_MAX 200000

/* The look is done: when the next is due. */
static void look_schedule(struct tui *t)
{
	t->next_look = t->watch_fd >= 0 ? LLONG_MAX : now_ms() + t->refresh_ms;
}

/* Say the screen was read again: on the bottom line, after the message already there
 * (a key clears both), once. */
static void updated_mark(struct tui *t)
{
	if (strstr(t->msg, UPDATED_MARK))
		return;
	if (!t->msg[0]) {
		tui_message(t, 0, UPDATED_MARK);
		return;
	}
	char *was = xstrdup(t->msg);
	tui_message(t, t->msg_error, "%s · " UPDATED_MARK, was);
	free(was);
}

/* Another connection committed a change: read the window, the counts, the detail and
 * the dashboard again (what a key press reads), the cursor kept on its action at its
 * line of the screen; an action no longer listed leaves the cursor at its place, on
 * the row that took it, as after an edit that drops one.  A modal prompt, form or
 * editor never sees this: their keys are read elsewhere, and the look waits until they
 * close.  A watch that fails (the server went away) is given up, once, with why. */
static int others_changed(struct tui *t)
{
	int changed = 0;
	struct err e = {0};
	if (store_watch_changed(t->s, &changed, &e) != OK) {
		t->watch_fd = -1;
		t->refresh_ms = 0;
		tui_message(t, 1, "others' changes no longer appear by themselves (Ctrl-L re-reads): %s", e.msg);
		return DRAW_BOTTOM;
	}
	look_schedule(t);
	if (!changed)
		return 0;
	struct row *r = list_row(t, t->cursor);
	int64_t id = r ? r->id : 0;
	long line = t->cursor - t->top;
	list_clear(t);
	list_reload_counts(t);
	long pos = -1;
	if (id && t->count <= REFRESH_POSITION_MAX && store_position(t->s, &t->f, id, &pos, &e) == OK && pos >= 0) {
		t->cursor = pos;
		t->top = pos - line;
		list_clamp(t);
	}
	updated_mark(t);
	return DRAW_ALL | RELOAD_DETAIL | RELOAD_DASH;
}

struct before {
	struct filter f;
	long cursor, top;
	enum tui_screen screen;
	int counted;              /* count and rag_counts are the screen's */
	long count, rag_counts[RAG_COUNT];
};

/* Before a key's work: what the screen shows, to go back to if a query is cancelled
 * (the rows and the detail pane are kept as they are dropped: list_keep). */
static void before_take(struct tui *t, struct before *b)
{
	filter_free(&b->f);
	filter_copy(&b->f, &t->f);
	b->cursor = t->cursor;
	b->top = t->top;
	b->screen = t->screen;
	b->counted = 1;
	b->count = t->count;
	memcpy(b->rag_counts, t->rag_counts, sizeof b->rag_counts);
	list_keep(t, 1);
}

/* A query was cancelled: back to the screen before the key, with a message.  The rows
 * and counts it showed are put back rather than read again: what made the query slow
 * (a lock held on the server, say) would hold the reading back too. */
static int restore_before(struct tui *t, struct before *b)
{
	t->cancelled = 0;
	filter_free(&t->f);
	filter_copy(&t->f, &b->f);
	t->cursor = b->cursor;
	t->top = b->top;
	t->screen = b->screen;
	int bits = RELOAD_ALL & ~RELOAD_COUNTS;
	if (b->counted) {
		list_unkeep(t);
		t->count = b->count;
		memcpy(t->rag_counts, b->rag_counts, sizeof t->rag_counts);
		bits &= ~(RELOAD_ROWS | RELOAD_DETAIL);
	} else {                  /* the first screen: nothing shown yet */
		list_clear(t);
		list_reload_counts(t);
	}
	state_save(t);
	tui_message(t, 1, "cancelled: the query took too long; the screen is as it was");
	return bits;
}

static void tui_loop(struct tui *t)
{
	int bits = DRAW_ALL;
	struct before b = {0};
	filter_init(&b.f);
	int have_before = 0;
	while (!t->quit) {
		reload(t, bits);
		if (bits & DRAW_ALL)
			tui_draw(t, bits & DRAW_ALL);
		if (t->cancelled) {
			if (!have_before) {          /* the first screen's (last session's) filters */
				filter_free(&b.f);
				filter_init(&b.f);
				b.screen = SCREEN_LIST;
			}
			bits = restore_before(t, &b);
			have_before = 1;
			continue;
		}
		if (t->busy_shown) {
			t->busy_shown = 0;
			bar_draw_bottom(t);
			refresh();
		}
		int key = tui_wait_key(t);
		if (t->quit)
			break;
		if (key == KEY_IDLE) {
			before_take(t, &b);
			have_before = 1;
			bits = others_changed(t);
			continue;
		}
		if (t->watch_fd >= 0)
			t->next_look = 0;         /* the store may have read a notification meanwhile */
		int had_message = t->msg[0] != '\0';
		t->msg[0] = '\0';
		if (key == KEY_FN(KEY_RESIZE)) {
			list_clamp(t);
			bits = DRAW_ALL;
			continue;
		}
		before_take(t, &b);
		have_before = 1;
		if (too_small(t)) {
			bits = keys_lookup(SCREEN_LIST, key) == ACT_QUIT ? DO_QUIT : 0;   /* q, Ctrl-C */
		} else {
			enum action_id a = keys_lookup(t->screen, key);
			bits = a == ACT_NONE ? 0 : handle_action(t, a);
		}
		if (bits & DO_QUIT)
			break;
		if (had_message || t->msg[0])
			bits |= DRAW_BOTTOM;
	}
	filter_free(&b.f);
}

/* While an edit waits for the database (an import holds it): say so in a box, its
 * message on two lines (split at "; "), and stop waiting on a cancel key.  Draws
 * without the store: the store is in the middle of a call. */
static int tui_wait(void *ctx, const char *message, int first)
{
	struct tui *t = ctx;
	if (first) {
		const char *semi = strstr(message, "; ");
		char *one = semi ? xstrndup(message, (size_t)(semi - message)) : xstrdup(message);
		const char *two = semi ? semi + 2 : "";
		const char *hint = "Esc stops waiting (the edit is then not saved)";
		int w = draw_width(one) > draw_width(two) ? draw_width(one) : draw_width(two);
		w = (w > draw_width(hint) ? w : draw_width(hint)) + 4;
		if (w > t->cols)
			w = t->cols;
		int y = (t->rows - 6) / 2, x = (t->cols - w) / 2;
		box_draw(y, x, 6, w, "Waiting for the database");
		char *cut1 = draw_cut(one, w - 4), *cut2 = draw_cut(two, w - 4);
		draw_text(y + 1, x + 2, w - 4, cut1, A_NORMAL, NULL, 0);
		draw_text(y + 2, x + 2, w - 4, cut2, A_NORMAL, NULL, 0);
		free(cut1);
		free(cut2);
		draw_text(y + 4, x + 2, w - 4, hint, colors_attr(ROLE_DIM), NULL, 0);
		refresh();
		free(one);
	}
	return wait_key_cancels(t) || got_signal;
}

enum status tui_run(struct store *s, const struct tui_opts *o, struct err *err)
{
	struct tui t = { .s = s, .msg = xstrdup("") };
	filter_init(&t.f);
	editor_sweep();
	enum status st = screen_start(&t, err);
	if (st != OK) {
		filter_free(&t.f);
		free(t.msg);
		return st;
	}
	const char *refresh = getenv("RAGTRACK_REFRESH");
	t.refresh_ms = refresh && *refresh ? atoi(refresh) * 1000 : 1000;
	store_set_cancel(s, query_cancel, &t);
	t.watch_fd = -1;
	if (t.refresh_ms > 0 && store_watch_start(s, NULL) == OK)
		t.watch_fd = store_watch_fd(s);
	else
		t.refresh_ms = 0;
	look_schedule(&t);
	store_on_wait(s, tui_wait, &t);
	state_load(&t, o ? o->filter : NULL);
	if (output_ascii())
		tui_message(&t, 0, "This terminal shows no UTF-8: other characters appear as ASCII stand-ins");
	tui_loop(&t);
	store_set_cancel(s, NULL, NULL);
	state_save(&t);
	store_on_wait(s, NULL, NULL);
	screen_end();
	tui_free(&t);
	return OK;
}
