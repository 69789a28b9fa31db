/* prompt: line editing, the one-line prompt on the bottom line and small menus.
 * Esc always backs out.  These are modal: they draw themselves over the screen the
 * main loop drew, and redraw it on a resize. */
#include "tui_int.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

/* ---- a line being edited -------------------------------------------------------------- */

void lineed_insert(struct lineed *le, wchar_t c)
{
	if (le->len + 2 > le->cap) {
		le->cap = le->cap ? le->cap * 2 : 64;
		le->w = xrealloc(le->w, le->cap * sizeof *le->w);
	}
	memmove(le->w + le->pos + 1, le->w + le->pos, (le->len - le->pos) * sizeof *le->w);
	le->w[le->pos++] = c;
	le->w[++le->len] = L'\0';
}

static void lineed_delete(struct lineed *le, size_t from, size_t to)
{
	if (to > le->len)
		to = le->len;
	if (from >= to)
		return;
	memmove(le->w + from, le->w + to, (le->len - to + 1) * sizeof *le->w);
	le->len -= to - from;
	le->pos = from;
}

/* A byte that is not valid UTF-8 is kept as itself: stored as a lone surrogate
 * (never a decoded character), written back as the same byte. */
#define RAW_BYTE(b) ((wchar_t)(0xDC00 | (b)))
#define IS_RAW_BYTE(c) ((c) >= 0xDC80 && (c) <= 0xDCFF)

void lineed_init(struct lineed *le, const char *utf8)
{
	memset(le, 0, sizeof *le);
	le->cap = 64;
	le->w = xcalloc(le->cap, sizeof *le->w);
	/* Decoded as UTF-8 whatever the locale, every character kept (newlines, tabs,
	 * controls): what is not edited is written back byte for byte. */
	for (const char *p = utf8 ? utf8 : ""; *p;) {
		uint32_t cp;
		size_t n = utf8_char(p, &cp);
		if (n == 0) {
			lineed_insert(le, RAW_BYTE((unsigned char)*p));
			p++;
		} else {
			lineed_insert(le, (wchar_t)cp);
			p += n;
		}
	}
}

void lineed_free(struct lineed *le)
{
	free(le->w);
	memset(le, 0, sizeof *le);
}

char *lineed_text(const struct lineed *le)
{
	struct buf b = {0};
	buf_add(&b, "", 0);
	for (size_t i = 0; i < le->len; i++) {
		wchar_t c = le->w[i];
		char mb[4];
		if (IS_RAW_BYTE(c))
			buf_addc(&b, (char)(c & 0xFF));
		else if (c > 0 && (uint32_t)c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF))
			buf_add(&b, mb, utf8_put((uint32_t)c, mb));
	}
	return buf_steal(&b);
}

int lineed_same(const struct lineed *a, const struct lineed *b)
{
	return a->len == b->len && (a->len == 0 || wmemcmp(a->w, b->w, a->len) == 0);
}

/* The escape an edited character is shown as (\n, \t, \xff for a byte that is not
 * UTF-8, \u202e for a control or bidi mark), or "" for an ordinary character. */
static int lineed_escape(wchar_t c, char esc[16])
{
	esc[0] = '\0';
	if (c == L'\n')
		snprintf(esc, 16, "\\n");
	else if (c == L'\t')
		snprintf(esc, 16, "\\t");
	else if (IS_RAW_BYTE(c))
		snprintf(esc, 16, "\\x%02x", (unsigned)(c & 0xFF));
	else
		text_char_escape((uint32_t)c, esc);
	return esc[0] != '\0';
}

int lineed_char_width(wchar_t c)
{
	char esc[16];
	return lineed_escape(c, esc) ? (int)strlen(esc) : draw_wc_width(c);
}

int lineed_char_draw(wchar_t c, attr_t attr)
{
	char esc[16];
	if (!lineed_escape(c, esc)) {
		attrset(attr);
		draw_wc(c);
		return draw_wc_width(c);
	}
	attrset(attr | A_DIM);
	addstr(esc);
	return (int)strlen(esc);
}

int lineed_key(struct lineed *le, int key)
{
	switch (keys_lookup_in(SCOPE_LINE, key)) {
	case ACT_CHAR_LEFT:
		if (le->pos)
			le->pos--;
		return 1;
	case ACT_CHAR_RIGHT:
		if (le->pos < le->len)
			le->pos++;
		return 1;
	case ACT_LINE_START:
		le->pos = 0;
		return 1;
	case ACT_LINE_END:
		le->pos = le->len;
		return 1;
	case ACT_DELETE_BACK:
		if (le->pos)
			lineed_delete(le, le->pos - 1, le->pos);
		return 1;
	case ACT_DELETE_CHAR:
		lineed_delete(le, le->pos, le->pos + 1);
		return 1;
	case ACT_DELETE_TO_START:
		lineed_delete(le, 0, le->pos);
		return 1;
	case ACT_DELETE_TO_END:
		lineed_delete(le, le->pos, le->len);
		return 1;
	case ACT_DELETE_WORD: {
		size_t p = le->pos;
		while (p && le->w[p - 1] == L' ')
			p--;
		while (p && le->w[p - 1] != L' ')
			p--;
		lineed_delete(le, p, le->pos);
		return 1;
	}
	default:
		break;
	}
	if (key >= 32 && key < 0x110000 && key != 127 && iswprint((wint_t)key)) {
		lineed_insert(le, (wchar_t)key);
		return 1;
	}
	return 0;
}

int lineed_draw(struct lineed *le, int y, int x, int w, attr_t attr)
{
	if (w < 2)
		w = 2;
	if (le->pos < le->scroll)
		le->scroll = le->pos;
	for (;;) {
		int cols = 0;
		for (size_t i = le->scroll; i < le->pos; i++)
			cols += draw_wc_width(le->w[i]);
		if (cols < w || le->scroll >= le->pos)
			break;
		le->scroll++;
	}
	attrset(attr);
	mvhline(y, x, ' ', w);
	int col = 0, cursor = 0;
	move(y, x);
	for (size_t i = le->scroll; i <= le->len; i++) {
		if (i == le->pos)
			cursor = col;
		if (i == le->len)
			break;
		int cw = lineed_char_width(le->w[i]);
		if (col + cw > w)
			break;
		lineed_char_draw(le->w[i], attr);
		col += cw;
	}
	attrset(A_NORMAL);
	return x + cursor;
}

/* ---- the bottom-line prompt ----------------------------------------------------------- */

char *prompt_line(struct tui *t, const char *label, const char *initial, prompt_check_fn check, void *ctx)
{
	struct lineed le;
	lineed_init(&le, initial);
	le.pos = le.len;
	char *result = NULL;
	char hint[256] = "";
	int ok = 1;
	curs_set(1);
	for (;;) {
		if (tui_wait_size(t) < 0)
			break;
		char *text = lineed_text(&le);
		hint[0] = '\0';
		ok = check ? check(text, hint, sizeof hint, ctx) : 1;
		int y = t->rows - 1;
		draw_fill(y, 0, t->cols, A_NORMAL);
		int lw = draw_text(y, 0, t->cols / 2, label, colors_attr(ROLE_KEY), NULL, 0);
		int hw = draw_width(hint);
		if (hw > t->cols / 3)
			hw = t->cols / 3;
		int ew = t->cols - lw - 1 - (hw ? hw + 2 : 0);
		if (hw) {
			char *cut = draw_cut(hint, hw);
			draw_text(y, t->cols - hw - 1, hw, cut, colors_attr(ok ? ROLE_DIM : ROLE_ERROR), NULL, 0);
			free(cut);
		}
		int cx = lineed_draw(&le, y, lw, ew, A_NORMAL);
		move(y, cx);
		refresh();
		int key = tui_getkey(t);
		enum action_id a = keys_lookup_in(SCOPE_PROMPT, key);
		if (key == KEY_FN(KEY_RESIZE)) {
			tui_draw(t, DRAW_ALL);
		} else if (a == ACT_CANCEL || t->quit) {
			free(text);
			break;
		} else if (a == ACT_ACCEPT) {
			if (ok) {
				result = text;
				break;
			}
			beep();
		} else {
			lineed_key(&le, key);
		}
		free(text);
	}
	curs_set(0);
	lineed_free(&le);
	return result;
}

/* ---- menus ---------------------------------------------------------------------------- */

static int ascii_fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Box lines as Unicode characters rather than the terminal's alternate character
 * set, so a screen read back as text (tmux capture-pane, the screen tests) shows them. */
static void line_chars(int y, int x, int n, const wchar_t *c, int vertical)
{
	for (int i = 0; i < n; i++) {
		move(vertical ? y + i : y, vertical ? x : x + i);
		draw_wc(*c);                  /* ASCII | - + without UTF-8 */
	}
}

void draw_vline(int y, int x, int n, attr_t attr)
{
	attrset(attr);
	line_chars(y, x, n, L"│", 1);
	attrset(A_NORMAL);
}

void box_draw(int y, int x, int h, int w, const char *title)
{
	attr_t a = colors_attr(ROLE_BOX);
	for (int i = 0; i < h; i++)
		draw_fill(y + i, x, w, a);
	attrset(a);
	line_chars(y, x, 1, L"┌", 0);
	line_chars(y, x + 1, w - 2, L"─", 0);
	line_chars(y, x + w - 1, 1, L"┐", 0);
	line_chars(y + 1, x, h - 2, L"│", 1);
	line_chars(y + 1, x + w - 1, h - 2, L"│", 1);
	line_chars(y + h - 1, x, 1, L"└", 0);
	line_chars(y + h - 1, x + 1, w - 2, L"─", 0);
	line_chars(y + h - 1, x + w - 1, 1, L"┘", 0);
	attrset(A_NORMAL);
	if (title) {
		char *t = xasprintf(" %s ", title);
		char *cut = draw_cut(t, w - 4);
		draw_text(y, x + 2, w - 4, cut, colors_attr(ROLE_HEADING), NULL, 0);
		free(cut);
		free(t);
	}
}

int prompt_menu(struct tui *t, const char *title, const struct menu_item *items, int n, int initial)
{
	int cur = initial >= 0 && initial < n ? initial : 0;
	for (;;) {
		if (tui_wait_size(t) < 0)
			return -1;
		int w = draw_width(title) + 6;
		for (int i = 0; i < n; i++)
			if (draw_width(items[i].label) + 8 > w)
				w = draw_width(items[i].label) + 8;
		if (w > t->cols)
			w = t->cols;
		int h = n + 2 > t->rows - 2 ? t->rows - 2 : n + 2;
		int y = (t->rows - h) / 2, x = (t->cols - w) / 2;
		box_draw(y, x, h, w, title);
		int first = cur >= h - 2 ? cur - (h - 3) : 0;
		for (int i = 0; i < h - 2; i++) {
			int k = first + i;
			if (k >= n)
				break;
			attr_t a = k == cur ? colors_attr(ROLE_CURSOR) : A_NORMAL;
			char key[4] = { ' ', items[k].key ? (char)items[k].key : ' ', ' ', '\0' };
			draw_text(y + 1 + i, x + 1, 3, key, items[k].role ? colors_attr(items[k].role) : a, NULL, 1);
			char *cut = draw_cut(items[k].label, w - 6);
			draw_text(y + 1 + i, x + 4, w - 5, cut, a, NULL, 1);
			free(cut);
		}
		refresh();
		int key = tui_getkey(t);
		if (key == KEY_FN(KEY_RESIZE)) {
			tui_draw(t, DRAW_ALL);
			continue;
		}
		if (t->quit)
			return -1;
		for (int i = 0; i < n; i++)
			if (items[i].key && ascii_fold(key) == ascii_fold(items[i].key))
				return i;
		switch (keys_lookup_in(SCOPE_MENU, key)) {
		case ACT_CANCEL: return -1;
		case ACT_ACCEPT: return cur;
		case ACT_MENU_UP: cur = cur > 0 ? cur - 1 : n - 1; break;
		case ACT_MENU_DOWN: cur = cur < n - 1 ? cur + 1 : 0; break;
		default: break;
		}
	}
}
