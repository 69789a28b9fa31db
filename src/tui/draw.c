/* draw: putting UTF-8 text on the screen by display width (wcwidth, never strlen),
 * cutting, wrapping and highlighting it.  The strings drawn have been through
 * text_visible, so no control character reaches the terminal.  On a terminal without
 * UTF-8 (output_ascii) every other character is drawn, measured and cut as its ASCII
 * stand-in (text_ascii), here and nowhere else, so the text itself stays as it is. */
#include "tui_int.h"
#include "ragtrack/output.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

/* Decode one character of s: its wide character, display width and byte length.
 * Anything undecodable or unprintable is shown as '?' (width 1), as text_width counts it. */
static size_t next_char(const char *s, wchar_t *wc, int *width)
{
	if (output_ascii()) {             /* the stand-in: its first character, its width */
		char one[TEXT_ASCII_MAX];
		size_t n = text_ascii_next(s, one);
		*wc = (wchar_t)(unsigned char)one[0];
		*width = (int)strlen(one);
		return n ? n : 1;
	}
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	size_t n = mbrtowc(wc, s, MB_CUR_MAX, &ps);
	if (n == 0 || n == (size_t)-1 || n == (size_t)-2) {
		*wc = L'?';
		*width = 1;
		return 1;
	}
	int cw = wcwidth(*wc);
	if (cw < 0) {
		*wc = L'?';
		cw = 1;
	}
	*width = cw;
	return n;
}

struct hl *hl_new(const char *search)
{
	if (str_empty(search))
		return NULL;
	struct hl *h = xcalloc(1, sizeof *h);
	char *copy = output_ascii() ? text_ascii(search) : xstrdup(search);
	for (char *save = NULL, *w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
		size_t len = strlen(w);
		wchar_t *ww = xcalloc(len + 1, sizeof *ww);
		size_t k = 0;
		for (const char *p = w; *p;) {
			int cw;
			p += next_char(p, &ww[k], &cw);
			ww[k] = (wchar_t)towlower((wint_t)ww[k]);
			k++;
		}
		h->words = xrealloc(h->words, (size_t)(h->n + 1) * sizeof *h->words);
		h->words[h->n++] = ww;
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
	struct buf b = {0};
	for (size_t i = 0; i < n; i++) {
		char *v = text_visible(words[i], ' ');
		buf_printf(&b, "%s%s", i ? " " : "", v);
		free(v);
		free(words[i]);
	}
	free(words);
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
	if (!output_ascii())
		return text_width(s);
	int w = 0;
	char one[TEXT_ASCII_MAX];
	for (const char *p = s ? s : ""; *p;) {
		p += text_ascii_next(p, one);
		w += (int)strlen(one);
	}
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

size_t text_fit(const char *s, int w, int *cols)
{
	const char *p = s ? s : "";
	int col = 0;
	while (*p) {
		wchar_t wc;
		int cw;
		size_t n = next_char(p, &wc, &cw);
		if (col + cw > w)
			break;
		col += cw;
		p += n;
	}
	if (cols)
		*cols = col;
	return (size_t)(p - (s ? s : ""));
}

char *text_cut(const char *s, int w)
{
	s = s ? s : "";
	if (w <= 0)
		return xstrdup("");
	if (draw_width(s) <= w)
		return xstrdup(s);
	const char *ellipsis = output_ascii() ? "..." : "…";
	int ew = output_ascii() ? 3 : 1;
	if (w < ew)
		return xstrndup(s, text_fit(s, w, NULL));
	size_t n = text_fit(s, w - ew, NULL);
	char *out = xasprintf("%.*s%s", (int)n, s, ellipsis);
	return out;
}

static void lines_push(char ***lines, int *n, const char *s, size_t len)
{
	while (len && s[len - 1] == ' ')
		len--;
	*lines = xrealloc(*lines, (size_t)(*n + 1) * sizeof **lines);
	(*lines)[(*n)++] = xstrndup(s, len);
}

/* Wrap one paragraph (no newline) of len bytes. */
static void wrap_paragraph(const char *p, size_t len, int w, char ***lines, int *n)
{
	size_t pos = 0;
	if (!len)
		lines_push(lines, n, "", 0);
	while (pos < len) {
		size_t i = pos, brk = 0;
		int col = 0;
		while (i < len) {
			wchar_t wc;
			int cw;
			size_t k = next_char(p + i, &wc, &cw);
			if (col + cw > w)
				break;
			if (wc == L' ')
				brk = i;
			col += cw;
			i += k;
		}
		if (i >= len) {
			lines_push(lines, n, p + pos, len - pos);
			break;
		}
		if (brk > pos) {
			lines_push(lines, n, p + pos, brk - pos);
			pos = brk;
		} else {
			if (i == pos) {           /* a character wider than the pane */
				wchar_t wc;
				int cw;
				i += next_char(p + i, &wc, &cw);
			}
			lines_push(lines, n, p + pos, i - pos);
			pos = i;
		}
		while (pos < len && p[pos] == ' ')
			pos++;
	}
}

char **text_wrap(const char *s, int w, int *n)
{
	char **lines = NULL;
	*n = 0;
	s = s ? s : "";
	if (w < 1)
		w = 1;
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		wrap_paragraph(s, len, w, &lines, n);
		if (!nl)
			break;
		s = nl + 1;
	}
	return lines;
}
