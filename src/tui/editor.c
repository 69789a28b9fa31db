/* editor: long text in $VISUAL or $EDITOR on a private temporary file, or in the
 * built-in multi-line editor when neither is set.  The built-in editor keeps every
 * character of the text in any locale (tabs, non-ASCII, bidi controls) and shows the
 * ones that must not reach the terminal raw as escapes (lineed_char_draw). */
#include "tui_int.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wctype.h>

/* Drop trailing white space and newlines (editors add a final newline). */
static void editor_chomp(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

static char *file_read(FILE *f)
{
	struct buf b = {0};
	char chunk[4096];
	size_t n;
	buf_add(&b, "", 0);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	return buf_steal(&b);
}

/* Run the editor command on path with the terminal handed over; returns its exit status. */
static int editor_spawn(const char *editor, const char *path)
{
	char *cmd = xasprintf("%s \"$1\"", editor);
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	int status = -1;
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	free(cmd);
	return pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The name the editor's temporary files are made beside (util_tmp_create):
 * $TMPDIR/.ragtrack-edit.PID-XXXXXX, private (0600), created exclusively.  Caller frees. */
static char *editor_tmp_target(void)
{
	const char *dir = getenv("TMPDIR");
	return xasprintf("%s/ragtrack-edit", str_empty(dir) ? "/tmp" : dir);
}

void editor_sweep(void)
{
	char *target = editor_tmp_target();
	util_tmp_sweep(target);
	free(target);
}

static char *editor_external(struct tui *t, const char *editor, const char *text)
{
	char *target = editor_tmp_target(), *path = NULL;
	int fd = util_tmp_create(target, &path);
	if (fd < 0) {
		tui_message(t, 1, "cannot create a temporary file for %s: %s", target, strerror(errno));
		free(target);
		return NULL;
	}
	free(target);
	FILE *f = fdopen(fd, "w+");
	fprintf(f, "%s\n", text ? text : "");
	fclose(f);
	def_prog_mode();
	endwin();
	int rc = editor_spawn(editor, path);
	reset_prog_mode();
	clearok(curscr, TRUE);
	char *result = NULL;
	f = rc == 0 ? fopen(path, "r") : NULL;
	if (rc != 0)
		tui_message(t, 1, "the editor (%s) failed with status %d: nothing changed", editor, rc);
	else if (!f)
		tui_message(t, 1, "%s: %s", path, strerror(errno));
	else
		result = file_read(f);
	if (f)
		fclose(f);
	unlink(path);
	free(path);
	return result;
}

/* ---- the built-in editor ---------------------------------------------------------------- */

struct ed {
	struct lineed le;         /* the text, newlines included */
	size_t *starts;           /* the first character of each screen row */
	int nrows, top, width;
	int want_col;             /* the column Up/Down aim for */
	int dirty;
};

/* Columns of one character as shown (lineed_char_width); a newline ends the row. */
static int ch_width(wchar_t c)
{
	return c == L'\n' ? 0 : lineed_char_width(c);
}

/* Wrap the text into rows of width columns, breaking after the last space that fits
 * (a word longer than a row is cut where the row ends). */
static void ed_layout(struct ed *e)
{
	free(e->starts);
	e->starts = xcalloc(e->le.len + 2, sizeof *e->starts);
	e->nrows = 1;
	int col = 0;
	size_t row_start = 0, after_space = 0;     /* after_space: a break point in the row, 0 = none */
	for (size_t i = 0; i < e->le.len; i++) {
		wchar_t c = e->le.w[i];
		if (c == L'\n') {
			e->starts[e->nrows++] = row_start = i + 1;
			col = 0;
			after_space = 0;
			continue;
		}
		int cw = ch_width(c);
		if (col + cw > e->width && c == L' ') {
			after_space = i + 1;       /* hangs past the edge (not drawn): the break point */
			continue;
		}
		if (col + cw > e->width) {
			size_t brk = after_space > row_start ? after_space : i;
			e->starts[e->nrows++] = row_start = brk;
			col = 0;
			for (size_t k = brk; k < i; k++)
				col += ch_width(e->le.w[k]);
			after_space = 0;
		}
		col += cw;
		if (c == L' ')
			after_space = i + 1;
	}
}

static int ed_row_of(const struct ed *e, size_t pos)
{
	int r = 0;
	while (r + 1 < e->nrows && e->starts[r + 1] <= pos)
		r++;
	return r;
}

static int ed_col_of(const struct ed *e, int row, size_t pos)
{
	int col = 0;
	for (size_t i = e->starts[row]; i < pos; i++)
		col += ch_width(e->le.w[i]);
	return col;
}

/* The position in row nearest to column col. */
static size_t ed_pos_at(const struct ed *e, int row, int col)
{
	size_t end = row + 1 < e->nrows ? e->starts[row + 1] : e->le.len;
	size_t p = e->starts[row];
	int c = 0;
	while (p < end && e->le.w[p] != L'\n' && c + ch_width(e->le.w[p]) <= col) {
		c += ch_width(e->le.w[p]);
		p++;
	}
	if (p == end && row + 1 < e->nrows && p > e->starts[row] && e->le.w[p - 1] != L'\n')
		p--;                   /* a wrapped row: stay on it */
	return p;
}

static void ed_draw(struct tui *t, struct ed *e, const char *title)
{
	int y = 1, x = 0, h = t->rows - 2, w = t->cols;
	char *head = xasprintf("%s%s", title, e->dirty ? " (modified)" : "");
	box_draw(y, x, h, w, head);
	free(head);
	e->width = w - 4;
	ed_layout(e);
	int rows = h - 3;
	int crow = ed_row_of(e, e->le.pos);
	if (crow < e->top)
		e->top = crow;
	if (crow >= e->top + rows)
		e->top = crow - rows + 1;
	for (int i = 0; i < rows; i++) {
		int r = e->top + i;
		move(y + 1 + i, x + 2);
		if (r >= e->nrows)
			continue;
		size_t end = r + 1 < e->nrows ? e->starts[r + 1] : e->le.len;
		int col = 0;
		for (size_t k = e->starts[r]; k < end; k++) {
			wchar_t c = e->le.w[k];
			if (c == L'\n' || (col += lineed_char_width(c)) > e->width)
				break;
			lineed_char_draw(c, A_NORMAL);
		}
		attrset(A_NORMAL);
	}
	draw_text(y + h - 2, x + 2, w - 4, "Ctrl-S or F2 saves · Esc cancels · Enter new line",
	          colors_attr(ROLE_DIM), NULL, 0);
	int ccol = ed_col_of(e, crow, e->le.pos);
	move(y + 1 + crow - e->top, x + 2 + (ccol > e->width ? e->width : ccol));
	refresh();
}

/* Movement and newlines; the rest of the editing is lineed's.  Returns 1 when used. */
static int ed_key(struct ed *e, int key, int page)
{
	int row = ed_row_of(e, e->le.pos);
	enum action_id a = keys_lookup_in(SCOPE_EDITOR, key);
	int delta = a == ACT_MOVE_UP ? -1 : a == ACT_MOVE_DOWN ? 1 : a == ACT_PAGE_UP ? -page : a == ACT_PAGE_DOWN ? page : 0;
	if (delta) {
		int to = row + delta < 0 ? 0 : row + delta >= e->nrows ? e->nrows - 1 : row + delta;
		e->le.pos = ed_pos_at(e, to, e->want_col);
		return 1;
	}
	if (a == ACT_NEW_LINE) {
		wchar_t nl = L'\n';
		if (e->le.len + 2 > e->le.cap) {
			e->le.cap *= 2;
			e->le.w = xrealloc(e->le.w, e->le.cap * sizeof *e->le.w);
		}
		memmove(e->le.w + e->le.pos + 1, e->le.w + e->le.pos, (e->le.len - e->le.pos + 1) * sizeof *e->le.w);
		e->le.w[e->le.pos++] = nl;
		e->le.len++;
		e->dirty = 1;
		return 1;
	}
	if (a == ACT_LINE_START) {
		e->le.pos = e->starts[row];
		return 1;
	}
	if (a == ACT_LINE_END) {
		e->le.pos = ed_pos_at(e, row, 1 << 20);
		return 1;
	}
	if (a == ACT_TEXT_START || a == ACT_TEXT_END) {
		e->le.pos = a == ACT_TEXT_START ? 0 : e->le.len;
		return 1;
	}
	size_t len = e->le.len;
	int used = lineed_key(&e->le, key);
	if (used && len != e->le.len)
		e->dirty = 1;
	return used;
}

/* Load text: every byte kept (lineed_init), so what is not edited is saved unchanged. */
static void ed_load(struct ed *e, const char *text)
{
	lineed_init(&e->le, text);
	e->le.pos = 0;
	e->dirty = 0;
}

static int ed_confirm_discard(struct tui *t)
{
	static const struct menu_item items[] = {
		{ 'n', "No, keep editing", ROLE_NORMAL },
		{ 'y', "Yes, discard my changes", ROLE_NORMAL },
	};
	return prompt_menu(t, "Discard your changes?", items, 2, 0) == 1;
}

static char *editor_builtin(struct tui *t, const char *title, const char *text)
{
	struct ed e = {0};
	ed_load(&e, text);
	char *result = NULL;
	curs_set(1);
	for (;;) {
		while (tui_wait_size(t) < 0 && !t->quit)
			;                 /* Esc while too small: the text is kept, never dropped unasked */
		ed_draw(t, &e, title);
		int key = tui_getkey(t);
		if (key == KEY_FN(KEY_RESIZE)) {
			tui_draw(t, DRAW_ALL);
			continue;
		}
		enum action_id a = keys_lookup_in(SCOPE_EDITOR, key);
		if (a == ACT_SAVE) {
			result = lineed_text(&e.le);
			break;
		}
		if (a == ACT_CANCEL || t->quit) {
			if (!e.dirty || t->quit || ed_confirm_discard(t))
				break;
			tui_draw(t, DRAW_ALL);
			continue;
		}
		int vertical = a == ACT_MOVE_UP || a == ACT_MOVE_DOWN || a == ACT_PAGE_UP || a == ACT_PAGE_DOWN;
		if (ed_key(&e, key, t->rows - 6 > 1 ? t->rows - 6 : 1)) {
			ed_layout(&e);
			if (!vertical)
				e.want_col = ed_col_of(&e, ed_row_of(&e, e.le.pos), e.le.pos);
		}
	}
	curs_set(0);
	lineed_free(&e.le);
	free(e.starts);
	return result;
}

char *editor_run(struct tui *t, const char *title, const char *text)
{
	const char *editor = getenv("VISUAL");
	if (str_empty(editor))
		editor = getenv("EDITOR");
	char *result = str_empty(editor) ? editor_builtin(t, title, text) : editor_external(t, editor, text);
	if (!result)
		return NULL;
	editor_chomp(result);
	char *orig = xstrdup(text ? text : "");
	editor_chomp(orig);
	int same = strcmp(orig, result) == 0;
	free(orig);
	if (same) {
		tui_message(t, 0, "no change");
		free(result);
		return NULL;
	}
	return result;
}
