/* draw: putting UTF-8 text on the screen by display width (wcwidth, never strlen) and
 * highlighting it; cutting and wrapping are text.c's (text_cut, text_wrap), measured
 * as the screen shows the text.  The strings drawn have been through text_visible, so
 * no control character reaches the terminal.  On a terminal without UTF-8
 * (output_ascii) every other character is drawn, measured and cut as its ASCII
 * stand-in (text_ascii, TEXT_AS_ASCII), so the text itself stays as it is. */
#include "tui_int.h"
#include "ragtrack/output.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

/* How the screen measures text: as its characters, or as their ASCII stand-ins. */
static unsigned draw_flags(void)
{
	return output_ascii() ? TEXT_AS_ASCII : 0;
}

/* One character of s to draw: its wide character and columns, as text_next measures
 * it.  A byte that is not UTF-8, or a character the terminal cannot print, is drawn
 * as '?' in one column. */
static size_t next_char(const char *s, wchar_t *wc, int *width)
{
	uint32_t cp;
	size_t n = text_next(s, draw_flags(), &cp, width);
	*wc = (wchar_t)cp;
	if ((n == 1 && (unsigned char)*s >= 0x80) || wcwidth(*wc) < 0) {
		*wc = L'?';
		*width = 1;
	}
	return n ? n : 1;
}

wchar_t *draw_lower(const char *s, size_t *n)
{
	s = s ? s : "";
	wchar_t *w = xcalloc(strlen(s) + 1, sizeof *w);
	size_t k = 0;
	for (const char *p = s; *p; k++) {
		int cw;
		p += next_char(p, &w[k], &cw);
		w[k] = (wchar_t)towlower((wint_t)w[k]);
	}
	*n = k;
	return w;
}

struct hl *hl_new(const char *search)
{
	if (str_empty(search))
		return NULL;
	struct hl *h = xcalloc(1, sizeof *h);
	char *copy = output_ascii() ? text_ascii(search) : xstrdup(search);
	for (char *save = NULL, *w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
		size_t len;
		h->words = xrealloc(h->words, (size_t)(h->n + 1) * sizeof *h->words);
		h->words[h->n++] = draw_lower(w, &len);
	}
	free(copy);
	if (!h->n) {
		hl_free(h);
		return NULL;
	}
	return h;
}

struct hl *hl_for_action(struct tui *t, int64_t id)
{
	if (str_empty(t->f.search))
		return NULL;
	char **words = NULL;
	size_t n = 0;
	struct err e = {0};
	if (store_search_words(t->s, t->f.search, id, &words, &n, &e) != OK)
		return hl_new(t->f.search);          /* the words as typed, at least */
	struct hl *h = hl_from_words(words, n);
	for (size_t i = 0; i < n; i++)
		free(words[i]);
	free(words);
	return h;
}

struct hl *hl_from_words(char **words, size_t n)
{
	struct buf b = {0};
	for (size_t i = 0; i < n; i++) {
		char *v = text_visible(words[i], ' ');
		buf_printf(&b, "%s%s", i ? " " : "", v);
		free(v);
	}
	struct hl *h = b.s ? hl_new(b.s) : NULL;
	buf_free(&b);
	return h;
}

void hl_free(struct hl *h)
{
	if (!h)
		return;
	for (int i = 0; i < h->n; i++)
		free(h->words[i]);
	free(h->words);
	free(h);
}

/* Mark in mark[] the characters of w[0..n) that belong to a match of h. */
static void hl_mark(const struct hl *h, const wchar_t *w, size_t n, char *mark)
{
	memset(mark, 0, n);
	if (!h)
		return;
	for (int k = 0; k < h->n; k++) {
		size_t len = wcslen(h->words[k]);
		if (!len || len > n)
			continue;
		for (size_t i = 0; i + len <= n; i++) {
			size_t j = 0;
			while (j < len && (wchar_t)towlower((wint_t)w[i + j]) == h->words[k][j])
				j++;
			if (j == len)
				memset(mark + i, 1, len);
		}
	}
}

void draw_fill(int y, int x, int w, attr_t attr)
{
	if (w <= 0)
		return;
	attrset(attr);
	mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

int draw_text(int y, int x, int w, const char *s, attr_t attr, const struct hl *hl, int pad)
{
	if (w <= 0)
		return 0;
	s = s ? s : "";
	char *ascii = output_ascii() ? text_ascii(s) : NULL;   /* one stand-in per character */
	if (ascii)
		s = ascii;
	size_t len = strlen(s);
	wchar_t *wc = xcalloc(len + 1, sizeof *wc);
	int *cw = xcalloc(len + 1, sizeof *cw);
	size_t n = 0;
	for (const char *p = s; *p; n++)
		p += next_char(p, &wc[n], &cw[n]);
	char *mark = xcalloc(n + 1, 1);
	hl_mark(hl, wc, n, mark);
	attr_t match = colors_attr(ROLE_MATCH);
	int col = 0;
	move(y, x);
	size_t i = 0;
	while (i < n && col + cw[i] <= w) {
		/* a run of characters with the same attribute, output at once */
		size_t j = i;
		int run = 0;
		while (j < n && mark[j] == mark[i] && col + run + cw[j] <= w)
			run += cw[j++];
		attrset(mark[i] ? match : attr);
		addnwstr(wc + i, (int)(j - i));
		col += run;
		i = j;
	}
	if (pad && col < w) {
		attrset(attr);
		hline(' ', w - col);
		col = w;
	}
	attrset(A_NORMAL);
	free(wc);
	free(cw);
	free(mark);
	free(ascii);
	return col;
}

int draw_width(const char *s)
{
	int w;
	text_fit(s, INT_MAX, draw_flags(), &w);
	return w;
}

/* c as the terminal shows it: itself, or its ASCII stand-in (in out). */
static const char *wc_ascii(wchar_t c, char out[TEXT_ASCII_MAX])
{
	char u[5] = { 0 };
	uint32_t cp = (uint32_t)c;
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	u[utf8_put(cp, u)] = '\0';
	text_ascii_next(u, out);
	return out;
}

int draw_wc_width(wchar_t c)
{
	if (output_ascii()) {
		char one[TEXT_ASCII_MAX];
		return (int)strlen(wc_ascii(c, one));
	}
	int w = wcwidth(c);
	return w < 0 ? 1 : w;
}

void draw_wc(wchar_t c)
{
	if (output_ascii()) {
		char one[TEXT_ASCII_MAX];
		addstr(wc_ascii(c, one));
		return;
	}
	if (wcwidth(c) < 0)
		c = L'?';
	addnwstr(&c, 1);
}

char *draw_visible(const char *s, char nl_as)
{
	char *v = text_visible(s, nl_as);
	if (!output_ascii())
		return v;
	char *a = text_ascii(v);
	free(v);
	return a;
}

char *draw_cut(const char *s, int w)
{
	return text_cut(s, w, draw_flags());
}

struct lines {
	char **v;
	int n;
};

static void lines_push(const char *s, size_t len, void *ctx)
{
	struct lines *l = ctx;
	l->v = xrealloc(l->v, (size_t)(l->n + 1) * sizeof *l->v);
	l->v[l->n++] = xstrndup(s, len);
}

char **draw_wrap(const char *s, int w, int *n)
{
	struct lines l = { NULL, 0 };
	text_wrap(s, w, draw_flags(), lines_push, &l);
	*n = l.n;
	return l.v;
}
