/* report: rendering a board report.
 *
 * Every section is built once as a small table model and then written in the chosen
 * format, so the text, Markdown and HTML reports always carry the same figures.  Data
 * strings pass through text_visible (no control character reaches a terminal or breaks
 * an XML parser), are fitted by display width (text_width), then escaped for the
 * format.  The HTML is also well-formed XML: every tag closed, attributes quoted. */
#include "ragtrack/report.h"
#include "ragtrack/text.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const FORMAT_NAMES[REPORT_FORMAT_COUNT] = {
#define REPORT_FORMAT_NAME(id, name) name,
	REPORT_FORMATS(REPORT_FORMAT_NAME)
#undef REPORT_FORMAT_NAME
};

int report_format_from_name(const char *name, enum report_format *out)
{
	for (int i = 0; i < REPORT_FORMAT_COUNT; i++)
		if (str_casecmp(name, FORMAT_NAMES[i]) == 0) {
			*out = (enum report_format)i;
			return 0;
		}
	if (str_casecmp(name, "markdown") == 0) {
		*out = REPORT_MD;
		return 0;
	}
	return -1;
}

/* ---- fitting and escaping ------------------------------------------------------- */

struct out {
	struct buf *b;
	enum report_format fmt;
};

static size_t utf8_step(const char *p)
{
	unsigned char c = (unsigned char)*p;
	size_t n = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	size_t k = 1;
	while (k < n && p[k])
		k++;
	return k;
}

/* s cut to at most cap columns, ending in an ellipsis when cut (cap 0: any width).
 * Caller frees. */
static char *fit(const char *s, int cap)
{
	if (cap <= 0 || text_width(s) <= cap)
		return xstrdup(s);
	struct buf b = {0};
	int w = 0;
	for (const char *p = s; *p;) {
		char one[5];
		size_t n = utf8_step(p);
		memcpy(one, p, n);
		one[n] = '\0';
		int cw = text_width(one);
		if (w + cw > cap - 1)
			break;
		buf_add(&b, p, n);
		w += cw;
		p += n;
	}
	while (b.len && b.s[b.len - 1] == ' ')
		b.s[--b.len] = '\0';
	buf_adds(&b, "\u2026");
	return buf_steal(&b);
}

/* A data string as one line of visible text, fitted.  Caller frees. */
static char *visible(const char *s, int cap)
{
	char *v = text_visible(s ? s : "", ' ');
	char *f = fit(v, cap);
	free(v);
	return f;
}

static void html_escape(struct buf *b, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default: buf_addc(b, *s);
		}
}

/* Markdown: table pipes, HTML and emphasis characters, and entity-looking ampersands
 * are backslash-escaped so a cell shows exactly its text. */
static void md_escape(struct buf *b, const char *s)
{
	for (const char *p = s; *p; p++) {
		if (strchr("\\|<>*_`[]", *p) || (*p == '&' && (isalnum((unsigned char)p[1]) || p[1] == '#')))
			buf_addc(b, '\\');
		buf_addc(b, *p);
	}
}

/* Already visible text, escaped for the format. */
static void put(struct out *o, const char *s)
{
	if (o->fmt == REPORT_HTML)
		html_escape(o->b, s);
	else if (o->fmt == REPORT_MD)
		md_escape(o->b, s);
	else
		buf_adds(o->b, s);
}

/* ---- the table model ------------------------------------------------------------ */

enum { COL_RIGHT = 1, COL_RAG = 2 };
#define MAX_COLS 12

struct column {
	const char *head;
	unsigned flags;
	int cap;                  /* display columns in text; 0 = any */
	int doc_cap;              /* display columns in Markdown and HTML; 0 = any */
};

struct table {
	struct column cols[MAX_COLS];
	int ncols;
	char **cells;             /* row-major, visible text, owned */
	size_t ncells, cap;
	int total_row;            /* the last row sums the others */
	const char *cls;          /* HTML class */
};

static void table_col(struct table *t, const char *head, unsigned flags, int cap, int doc_cap)
{
	if (t->ncols < MAX_COLS)
		t->cols[t->ncols++] = (struct column){ head, flags, cap, doc_cap };
}

static void table_add(struct table *t, const char *s)
{
	if (t->ncells == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->cells = xrealloc(t->cells, t->cap * sizeof *t->cells);
	}
	t->cells[t->ncells++] = text_visible(s ? s : "", ' ');
}

static void table_addl(struct table *t, long v)
{
	char num[32];
	snprintf(num, sizeof num, "%ld", v);
	table_add(t, num);
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->ncells; i++)
		free(t->cells[i]);
	free(t->cells);
}

static void text_row(struct out *o, const struct table *t, char *const *cells, const int *width)
{
	struct buf line = {0};
	for (int c = 0; c < t->ncols; c++) {
		int pad = width[c] - text_width(cells[c]);
		if (c)
			buf_adds(&line, "  ");
		if (t->cols[c].flags & COL_RIGHT)
			buf_printf(&line, "%*s", pad, "");
		buf_adds(&line, cells[c]);
		if (!(t->cols[c].flags & COL_RIGHT))
			buf_printf(&line, "%*s", pad, "");
	}
	while (line.len && line.s[line.len - 1] == ' ')
		line.s[--line.len] = '\0';
	buf_adds(o->b, line.s ? line.s : "");
	buf_addc(o->b, '\n');
	buf_free(&line);
}

static void text_rule(struct out *o, const struct table *t, const int *width)
{
	for (int c = 0; c < t->ncols; c++) {
		buf_adds(o->b, c ? "  " : "");
		for (int i = 0; i < width[c]; i++)
			buf_addc(o->b, '-');
	}
	buf_addc(o->b, '\n');
}

static void table_text(struct out *o, const struct table *t, char **fitted)
{
	int width[MAX_COLS];
	char *heads[MAX_COLS];
	size_t nrows = t->ncells / (size_t)t->ncols;
	for (int c = 0; c < t->ncols; c++) {
		heads[c] = (char *)t->cols[c].head;
		width[c] = text_width(heads[c]);
	}
	for (size_t i = 0; i < t->ncells; i++) {
		int c = (int)(i % (size_t)t->ncols), w = text_width(fitted[i]);
		if (w > width[c])
			width[c] = w;
	}
	text_row(o, t, heads, width);
	text_rule(o, t, width);
	for (size_t r = 0; r < nrows; r++) {
		if (t->total_row && r + 1 == nrows)
			text_rule(o, t, width);
		text_row(o, t, fitted + r * (size_t)t->ncols, width);
	}
}

static void table_md(struct out *o, const struct table *t, char **fitted)
{
	size_t nrows = t->ncells / (size_t)t->ncols;
	buf_adds(o->b, "|");
	for (int c = 0; c < t->ncols; c++) {
		buf_adds(o->b, " ");
		put(o, t->cols[c].head);
		buf_adds(o->b, " |");
	}
	buf_adds(o->b, "\n|");
	for (int c = 0; c < t->ncols; c++)
		buf_adds(o->b, t->cols[c].flags & COL_RIGHT ? " ---: |" : " --- |");
	buf_addc(o->b, '\n');
	for (size_t r = 0; r < nrows; r++) {
		int bold = t->total_row && r + 1 == nrows;
		buf_adds(o->b, "|");
		for (int c = 0; c < t->ncols; c++) {
			const char *cell = fitted[r * (size_t)t->ncols + (size_t)c];
			buf_adds(o->b, " ");
			if (*cell) {
				buf_adds(o->b, bold ? "**" : "");
				put(o, cell);
				buf_adds(o->b, bold ? "**" : "");
			}
			buf_adds(o->b, " |");
		}
		buf_addc(o->b, '\n');
	}
}

/* The class of a RAG letter's cell. */
static char rag_class(const char *cell)
{
	return cell[0] && strchr("RAGB", cell[0]) ? cell[0] : 'U';
}

static void html_cell(struct out *o, const struct column *col, const char *tag, const char *cell)
{
	if (col->flags & COL_RAG)
		buf_printf(o->b, "<%s class=\"rag rag-%c\">", tag, rag_class(cell));
	else if (col->flags & COL_RIGHT)
		buf_printf(o->b, "<%s class=\"num\">", tag);
	else
		buf_printf(o->b, "<%s>", tag);
	put(o, cell);
	buf_printf(o->b, "</%s>", tag);
}

static void table_html(struct out *o, const struct table *t, char **fitted)
{
	size_t nrows = t->ncells / (size_t)t->ncols;
	buf_printf(o->b, "<table class=\"%s\">\n<thead><tr>", t->cls ? t->cls : "list");
	for (int c = 0; c < t->ncols; c++) {
		struct column head = t->cols[c];
		head.flags &= COL_RIGHT;
		html_cell(o, &head, "th", head.head);
	}
	buf_adds(o->b, "</tr></thead>\n<tbody>\n");
	for (size_t r = 0; r < nrows; r++) {
		int total = t->total_row && r + 1 == nrows;
		if (total)
			buf_adds(o->b, "</tbody>\n<tfoot>\n");
		buf_adds(o->b, total ? "<tr class=\"total\">" : "<tr>");
		for (int c = 0; c < t->ncols; c++)
			html_cell(o, &t->cols[c], "td", fitted[r * (size_t)t->ncols + (size_t)c]);
		buf_adds(o->b, "</tr>\n");
	}
	buf_adds(o->b, t->total_row && nrows ? "</tfoot>\n</table>\n" : "</tbody>\n</table>\n");
}

static void table_render(struct out *o, const struct table *t)
{
	if (!t->ncols)
		return;
	char **fitted = xcalloc(t->ncells + 1, sizeof *fitted);
	for (size_t i = 0; i < t->ncells; i++) {
		const struct column *col = &t->cols[i % (size_t)t->ncols];
		fitted[i] = fit(t->cells[i], o->fmt == REPORT_TEXT ? col->cap : col->doc_cap);
	}
	if (o->fmt == REPORT_TEXT)
		table_text(o, t, fitted);
	else if (o->fmt == REPORT_MD)
		table_md(o, t, fitted);
	else
		table_html(o, t, fitted);
	if (o->fmt != REPORT_HTML)
		buf_addc(o->b, '\n');
	for (size_t i = 0; i < t->ncells; i++)
		free(fitted[i]);
	free(fitted);
}

/* ---- headings and paragraphs ------------------------------------------------------ */

static void heading(struct out *o, int level, const char *text)
{
	char *v = visible(text, 0);
	if (o->fmt == REPORT_TEXT) {
		buf_printf(o->b, "%s\n", v);
		for (int i = text_width(v); i > 0; i--)
			buf_addc(o->b, level > 1 ? '-' : '=');
		buf_adds(o->b, "\n\n");
	} else if (o->fmt == REPORT_MD) {
		buf_adds(o->b, level > 1 ? "## " : "# ");
		put(o, v);
		buf_adds(o->b, "\n\n");
	} else {
		buf_printf(o->b, "<h%d>", level);
		put(o, v);
		buf_printf(o->b, "</h%d>\n", level);
	}
	free(v);
}

static void para(struct out *o, const char *text)
{
	char *v = visible(text, 0);
	if (o->fmt == REPORT_HTML) {
		buf_adds(o->b, "<p>");
		put(o, v);
		buf_adds(o->b, "</p>\n");
	} else {
		put(o, v);
		buf_adds(o->b, "\n\n");
	}
	free(v);
}

static void paraf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void paraf(struct out *o, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	para(o, line);
}

/* ---- figures ---------------------------------------------------------------------- */

#define PCT_LEN 32

/* part of whole as "16.6%", "-" when whole is 0.  Integer arithmetic: the same on
 * every machine. */
static void pct(char out[PCT_LEN], long part, long whole)
{
	if (whole <= 0) {
		snprintf(out, PCT_LEN, "-");
		return;
	}
	long tenths = (part * 1000 + whole / 2) / whole;
	snprintf(out, PCT_LEN, "%ld.%ld%%", tenths / 10, tenths % 10);
}

static const char *plural(long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static long rated(const struct report_counts *c)
{
	return c->total - c->rag[RAG_UNSET];
}

/* Segment order in charts and columns: Red, Amber, Green, Blue, unset. */
static const enum rag RAG_ORDER[RAG_COUNT] = { RAG_RED, RAG_AMBER, RAG_GREEN, RAG_BLUE, RAG_UNSET };

static const char *state_name(enum rag r)
{
	return r == RAG_UNSET ? "Unset" : rag_name(r);
}

static void counts_row(struct table *t, const char *name, const struct report_counts *c)
{
	char p[PCT_LEN];
	table_add(t, name);
	for (int i = 0; i < RAG_COUNT; i++)
		table_addl(t, c->rag[RAG_ORDER[i]]);
	table_addl(t, c->total);
	pct(p, c->rag[RAG_BLUE], c->total);
	table_add(t, p);
	pct(p, c->rag[RAG_BLUE], rated(c));
	table_add(t, p);
	table_addl(t, c->overdue);
}

static void counts_table(struct out *o, const char *what, const struct report_counts *rows, size_t n,
                         const struct report_counts *total)
{
	struct table t = { .cls = "counts" };
	table_col(&t, what, 0, 36, 0);
	for (int i = 0; i < RAG_COUNT; i++)
		table_col(&t, state_name(RAG_ORDER[i]), COL_RIGHT, 0, 0);
	table_col(&t, "Total", COL_RIGHT, 0, 0);
	table_col(&t, "% complete", COL_RIGHT, 0, 0);
	table_col(&t, "% of rated", COL_RIGHT, 0, 0);
	table_col(&t, "Overdue", COL_RIGHT, 0, 0);
	for (size_t i = 0; i < n; i++)
		counts_row(&t, rows[i].name ? rows[i].name : "(no agency)", &rows[i]);
	counts_row(&t, "Total", total);
	t.total_row = 1;
	table_render(o, &t);
	table_free(&t);
}

/* ---- the SVG chart ---------------------------------------------------------------- */

#define SVG_W 860
#define SVG_NAME_X 206
#define SVG_BAR_X 214
#define SVG_BAR_W 380
#define SVG_SUM_X 604
#define SVG_ROW_H 22
#define SVG_BAR_H 16
#define SVG_CHAR_W 6.6

static const struct {
	const char *fill, *ink;   /* readable in greyscale: Blue darkest, unset lightest */
} SEG_STYLE[RAG_COUNT] = {
	[RAG_UNSET] = { "#eeeeee", "#000000" },
	[RAG_RED] = { "#c62828", "#ffffff" },
	[RAG_AMBER] = { "#ffb300", "#000000" },
	[RAG_GREEN] = { "#66bb6a", "#000000" },
	[RAG_BLUE] = { "#0d47a1", "#ffffff" },
};

/* "A 16" for a segment, "unset 94" for the unset one. */
static void seg_label(char out[40], enum rag r, long count)
{
	if (r == RAG_UNSET)
		snprintf(out, 40, "unset %ld", count);
	else
		snprintf(out, 40, "%c %ld", rag_letter(r), count);
}

static void svg_segment(struct out *o, const char *name, const struct report_counts *c, enum rag r, double x,
                        double w, int y)
{
	char p[PCT_LEN], label[40];
	pct(p, c->rag[r], c->total);
	buf_printf(o->b, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" stroke=\"#555555\""
	           " stroke-width=\"0.5\"><title>", x, y, w, SVG_BAR_H, SEG_STYLE[r].fill);
	put(o, name);
	buf_printf(o->b, ": %s %ld of %ld (%s)</title></rect>\n", state_name(r), c->rag[r], c->total, p);
	seg_label(label, r, c->rag[r]);
	if (w >= (double)strlen(label) * SVG_CHAR_W + 4)
		buf_printf(o->b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%s</text>\n",
		           x + w / 2, y + 12, SEG_STYLE[r].ink, label);
}

static void svg_row(struct out *o, const struct report_counts *c, long max, int y)
{
	char *name = visible(c->name ? c->name : "(no agency)", 0);
	char *short_name = fit(name, 30);
	buf_printf(o->b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", SVG_NAME_X, y + 12);
	put(o, short_name);
	buf_adds(o->b, "<title>");
	put(o, name);
	buf_adds(o->b, "</title></text>\n");
	double x = SVG_BAR_X;
	struct buf sum = {0};
	for (int i = 0; i < RAG_COUNT; i++) {
		enum rag r = RAG_ORDER[i];
		if (!c->rag[r])
			continue;
		double w = (double)c->rag[r] * SVG_BAR_W / (double)max;
		svg_segment(o, name, c, r, x, w, y);
		x += w;
		char label[40];
		seg_label(label, r, c->rag[r]);
		buf_printf(&sum, "%s%s", sum.len ? " \u00b7 " : "", label);
	}
	buf_printf(o->b, "<text x=\"%d\" y=\"%d\">%s \u00b7 total %ld</text>\n", SVG_SUM_X, y + 12, sum.s ? sum.s : "",
	           c->total);
	buf_free(&sum);
	free(short_name);
	free(name);
}

/* Horizontal stacked bars, one per row, scaled to the largest row so bar lengths
 * compare; every segment has a tooltip and, room allowing, its letter and count,
 * and the counts are repeated in words at the end of the bar. */
static void svg_chart(struct out *o, const char *title, const struct report_counts *rows, size_t n)
{
	if (o->fmt != REPORT_HTML || !n)
		return;
	long max = 1;
	for (size_t i = 0; i < n; i++)
		if (rows[i].total > max)
			max = rows[i].total;
	int h = (int)n * SVG_ROW_H + 6;
	buf_printf(o->b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" height=\"%d\""
	           " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">\n<title>",
	           SVG_W, h, SVG_W, h);
	put(o, title);
	buf_adds(o->b, "</title>\n");
	for (size_t i = 0; i < n; i++)
		svg_row(o, &rows[i], max, 3 + (int)i * SVG_ROW_H);
	buf_adds(o->b, "</svg>\n");
}

/* ---- sections --------------------------------------------------------------------- */

static void section_heading(struct out *o, const struct report_data *d, const struct report_meta *m)
{
	heading(o, 1, "Action plan report");
	const char *labels[8];
	char *values[8];
	int n = 0;
	labels[n] = "Database", values[n++] = xstrdup(m->database ? m->database : "");
	labels[n] = "Date", values[n++] = xstrdup(d->today);
	labels[n] = "Actions", values[n++] = xstrdup(m->filter ? m->filter : "all actions");
	if (m->lens)
		labels[n] = "Agency", values[n++] = xasprintf("only %s's actions (agency lens)", m->lens);
	labels[n] = "Changes", values[n++] = xasprintf("since %s", d->since);
	labels[n] = "Stale", values[n++] = xasprintf("no change or note for %d days", d->stale_days);
	labels[n] = "Lists", values[n++] = d->limit < 0 ? xstrdup("every action")
	                                                : xasprintf("at most %ld actions each (--all lists every one)", d->limit);
	if (o->fmt == REPORT_HTML)
		buf_adds(o->b, "<table class=\"meta\">\n");
	for (int i = 0; i < n; i++) {
		char *v = visible(values[i], 0);
		if (o->fmt == REPORT_TEXT)
			buf_printf(o->b, "%-10s%s\n", labels[i], v);
		else if (o->fmt == REPORT_MD) {
			buf_printf(o->b, "- **%s:** ", labels[i]);
			put(o, v);
			buf_addc(o->b, '\n');
		} else {
			buf_printf(o->b, "<tr><th>%s</th><td>", labels[i]);
			put(o, v);
			buf_adds(o->b, "</td></tr>\n");
		}
		free(v);
		free(values[i]);
	}
	buf_adds(o->b, o->fmt == REPORT_HTML ? "</table>\n" : "\n");
}

static void section_legend(struct out *o)
{
	heading(o, 2, "RAG status");
	struct table t = { .cls = "legend" };
	table_col(&t, "", COL_RAG, 0, 0);
	table_col(&t, "State", 0, 0, 0);
	table_col(&t, "Meaning", 0, 0, 0);
	for (int i = 0; i < RAG_COUNT; i++) {
		enum rag r = RAG_ORDER[i];
		char letter[2] = { rag_letter(r), '\0' };
		table_add(&t, letter);
		table_add(&t, state_name(r));
		if (r == RAG_GREEN)
			table_add(&t, "on track, no additional action (on track is not done)");
		else if (r == RAG_UNSET)
			table_add(&t, "no RAG status recorded (blank or unreadable in the plan)");
		else
			table_add(&t, rag_meaning(r));
	}
	table_render(o, &t);
	table_free(&t);
	para(o, "% complete = Blue / all actions (unset included); % of rated = Blue / actions with a RAG status.");
}

static const char *const LIST_TITLES[LIST_COUNT] = {
	[LIST_OVERDUE] = "Overdue",
	[LIST_SLIPPED] = "Target slipped",
	[LIST_NO_EVIDENCE] = "Blue without evidence",
	[LIST_GREEN_PAST] = "Green past its target",
	[LIST_STALE] = "Stale",
};

static void summary_row(struct table *t, const char *what, long n, const char *note)
{
	table_add(t, what);
	table_addl(t, n);
	table_add(t, note);
}

static void section_summary(struct out *o, const struct report_data *d)
{
	heading(o, 2, "Summary");
	const struct report_counts *c = &d->total;
	char p[PCT_LEN], note[128];
	struct table t = { .cls = "summary" };
	table_col(&t, "Measure", 0, 0, 0);
	table_col(&t, "Actions", COL_RIGHT, 0, 0);
	table_col(&t, "", 0, 0, 0);
	summary_row(&t, "All actions", c->total, "");
	pct(p, c->rag[RAG_BLUE], c->total);
	snprintf(note, sizeof note, "%s of all actions (%% complete)", p);
	summary_row(&t, "Blue: completed and evidenced", c->rag[RAG_BLUE], note);
	pct(p, c->rag[RAG_BLUE], rated(c));
	snprintf(note, sizeof note, "Blue is %s of them", p);
	summary_row(&t, "Rated (a RAG status recorded)", rated(c), note);
	pct(p, c->rag[RAG_UNSET], c->total);
	snprintf(note, sizeof note, "%s of all actions", p);
	summary_row(&t, "Unset (no RAG status)", c->rag[RAG_UNSET], note);
	for (int k = 0; k < LIST_COUNT; k++) {
		note[0] = '\0';
		if (k == LIST_STALE)
			snprintf(note, sizeof note, "no change or note for %d days", d->stale_days);
		summary_row(&t, LIST_TITLES[k], d->lists[k].total, note);
	}
	snprintf(note, sizeof note, "%ld %s, %ld %s", d->changes.changes, plural(d->changes.changes, "change", "changes"),
	         d->changes.notes, plural(d->changes.notes, "note", "notes"));
	char *what = xasprintf("Changed since %s", d->since);
	summary_row(&t, what, d->changes.total, note);
	free(what);
	table_render(o, &t);
	table_free(&t);
}

static void section_counts(struct out *o, const struct report_data *d)
{
	heading(o, 2, "RAG by review");
	svg_chart(o, "RAG status by review", d->reviews, d->nreviews);
	counts_table(o, "Review", d->reviews, d->nreviews, &d->total);
	heading(o, 2, "RAG by agency");
	svg_chart(o, "RAG status by agency", d->agencies, d->nagencies);
	counts_table(o, "Agency", d->agencies, d->nagencies, &d->total);
}

/* ---- lists of actions ------------------------------------------------------------- */

static void item_cols(struct table *t)
{
	table_col(t, "ID", COL_RIGHT, 0, 0);
	table_col(t, "Review", 0, 20, 0);
	table_col(t, "Ref", 0, 8, 0);
	table_col(t, "Agency", 0, 20, 40);
}

static void item_cells(struct table *t, const struct report_item *it)
{
	char id[32];
	snprintf(id, sizeof id, "#%lld", (long long)it->id);
	table_add(t, id);
	table_add(t, it->review);
	table_add(t, it->ref);
	table_add(t, it->agency);
}

static long days_between(const char *from, const char *to)
{
	return from && to ? date_diff_days(from, to) : 0;
}

static void list_cols(struct table *t, enum report_list_kind k)
{
	item_cols(t);
	table_col(t, "RAG", COL_RAG, 0, 0);
	table_col(t, "Target", 0, 12, 24);
	if (k == LIST_OVERDUE || k == LIST_GREEN_PAST)
		table_col(t, "Days late", COL_RIGHT, 0, 0);
	if (k == LIST_SLIPPED) {
		table_col(t, "First target", 0, 0, 0);
		table_col(t, "Slip (days)", COL_RIGHT, 0, 0);
	}
	if (k == LIST_STALE)
		table_col(t, "Last change", 0, 0, 0);
	table_col(t, "Lead", 0, 18, 40);
	table_col(t, "Action", 0, 40, 120);
}

static void list_row(struct table *t, enum report_list_kind k, const struct report_item *it, const char *today)
{
	char letter[2] = { rag_letter(it->rag), '\0' };
	item_cells(t, it);
	table_add(t, letter);
	table_add(t, it->target_date ? it->target_date : it->target_raw);
	if (k == LIST_OVERDUE || k == LIST_GREEN_PAST)
		table_addl(t, days_between(it->target_date, today));
	if (k == LIST_SLIPPED) {
		table_add(t, it->first_target_date);
		table_addl(t, days_between(it->first_target_date, it->target_date));
	}
	if (k == LIST_STALE) {
		char day[11] = "";
		if (it->touched_at)
			snprintf(day, sizeof day, "%.10s", it->touched_at);
		table_add(t, day);
	}
	table_add(t, it->lead);
	table_add(t, it->text);
}

static void more(struct out *o, long shown, long total, const char *one, const char *many)
{
	if (total > shown)
		paraf(o, "... and %ld more %s (--all lists every one).", total - shown, plural(total - shown, one, many));
}

static void section_list(struct out *o, const struct report_data *d, enum report_list_kind k)
{
	const struct report_list *l = &d->lists[k];
	char *title = xasprintf("%s (%ld)", LIST_TITLES[k], l->total);
	heading(o, 2, title);
	free(title);
	switch (k) {
	case LIST_OVERDUE:
		paraf(o, "Target date before today (%s) and not Blue.", d->today);
		break;
	case LIST_SLIPPED:
		para(o, "The target date is later than the first target recorded for the action.");
		break;
	case LIST_NO_EVIDENCE:
		para(o, "Marked Blue (completed and evidenced) but no evidence is recorded.");
		break;
	case LIST_GREEN_PAST:
		para(o, "Green (on track) but the target date has passed: needs a new date or a new status.");
		break;
	case LIST_STALE: {
		char day[11];
		date_add_days(d->today, -(long)d->stale_days, day);
		paraf(o, "Not Blue, and last changed or noted before %s (more than %d days ago).", day, d->stale_days);
		break;
	}
	default:
		break;
	}
	if (!l->total) {
		para(o, "None.");
		return;
	}
	struct table t = { 0 };
	list_cols(&t, k);
	for (size_t i = 0; i < l->n; i++)
		list_row(&t, k, &l->items[i], d->today);
	table_render(o, &t);
	table_free(&t);
	more(o, (long)l->n, l->total, "action", "actions");
}

/* ---- changes since ---------------------------------------------------------------- */

/* A logged value for people: RAG codes as names, nothing as "(empty)".  Caller frees. */
static char *change_value(const char *field, const char *v)
{
	if (str_empty(v))
		return xstrdup("(empty)");
	if (str_eq(field, "rag") && v[0] >= '0' && v[0] <= '4' && !v[1])
		return xstrdup(v[0] == '0' ? "unset" : rag_name((enum rag)(v[0] - '0')));
	return visible(v, 40);
}

static char *event_what(const struct report_event *e)
{
	if (!e->field) {
		char *text = visible(e->new_value, 80);
		char *s = xasprintf("note: %s", text);
		free(text);
		return s;
	}
	char *from = change_value(e->field, e->old_value), *to = change_value(e->field, e->new_value);
	char *s = xasprintf("%s: %s \u2192 %s", e->field, from, to);
	if (!str_empty(e->reason)) {
		char *why = visible(e->reason, 40), *with = xasprintf("%s (reason: %s)", s, why);
		free(why);
		free(s);
		s = with;
	}
	free(from);
	free(to);
	return s;
}

static void event_cells(struct table *t, const struct report_event *e)
{
	char day[11] = "";
	if (e->at)
		snprintf(day, sizeof day, "%.10s", e->at);
	table_add(t, day);
	char *who = str_eq(e->source, "import") ? xasprintf("%s (import)", e->user ? e->user : "")
	                                        : xstrdup(e->user ? e->user : "");
	table_add(t, who);
	free(who);
	char *what = event_what(e);
	table_add(t, what);
	free(what);
}

static void section_changes(struct out *o, const struct report_data *d)
{
	const struct report_changes *ch = &d->changes;
	char *title = xasprintf("Changes since %s (%ld)", d->since, ch->total);
	heading(o, 2, title);
	free(title);
	paraf(o, "Actions changed or given a note from %s to %s: %ld %s, %ld %s.", d->since, d->today, ch->changes,
	      plural(ch->changes, "change", "changes"), ch->notes, plural(ch->notes, "note", "notes"));
	if (!ch->total) {
		para(o, "None.");
		return;
	}
	struct table t = { 0 };
	item_cols(&t);
	table_col(&t, "Date", 0, 0, 0);
	table_col(&t, "Who", 0, 16, 40);
	table_col(&t, "Change", 0, 72, 0);
	for (size_t i = 0; i < ch->n; i++) {
		const struct report_changed *c = &ch->actions[i];
		for (size_t j = 0; j < c->nevents; j++) {
			if (j == 0) {
				item_cells(&t, &c->action);
			} else {
				for (int k = 0; k < 4; k++)
					table_add(&t, "");
			}
			event_cells(&t, &c->events[j]);
		}
	}
	table_render(o, &t);
	table_free(&t);
	more(o, (long)ch->n, ch->total, "changed action", "changed actions");
}

/* ---- the document ----------------------------------------------------------------- */

static const char HTML_STYLE[] =
	"body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; font-size: 11pt; color: #111111;"
	" margin: 2em auto; max-width: 80em; padding: 0 1em; }\n"
	"h1 { font-size: 1.6em; margin-bottom: 0.3em; }\n"
	"h2 { font-size: 1.2em; margin-top: 1.8em; border-bottom: 1px solid #999999; }\n"
	"table { border-collapse: collapse; margin: 0.5em 0 1em; }\n"
	"th, td { border: 1px solid #bbbbbb; padding: 2px 6px; text-align: left; vertical-align: top; }\n"
	"thead th { background: #eeeeee; }\n"
	"table.meta th, table.meta td { border: none; padding: 1px 8px 1px 0; }\n"
	".num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }\n"
	"tr.total td { font-weight: bold; border-top: 2px solid #333333; }\n"
	"td.rag { text-align: center; font-weight: bold; color: #000000; }\n"
	".rag-R { background: #f4b6b6; } .rag-A { background: #ffe08a; } .rag-G { background: #bfe3c0; }\n"
	".rag-B { background: #b3cdf0; } .rag-U { background: #ffffff; }\n"
	"svg.chart { display: block; max-width: 100%; height: auto; margin: 0.5em 0; }\n"
	"* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
	"@media print {\n"
	"  body { color: #000000; background: #ffffff; margin: 0; max-width: none; font-size: 9pt; }\n"
	"  h1, h2 { color: #000000; page-break-after: avoid; break-after: avoid; }\n"
	"  table, tr, svg { page-break-inside: avoid; break-inside: avoid; }\n"
	"  thead { display: table-header-group; }\n"
	"  th, td { border-color: #000000; color: #000000; }\n"
	"  thead th { background: #ffffff; }\n"
	"}\n";

static void document_begin(struct out *o, const struct report_data *d)
{
	if (o->fmt != REPORT_HTML)
		return;
	buf_adds(o->b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	               "<meta name=\"generator\" content=\"ragtrack\"/>\n<title>Action plan report ");
	put(o, d->today);
	buf_adds(o->b, "</title>\n<style>\n");
	buf_adds(o->b, HTML_STYLE);
	buf_adds(o->b, "</style>\n</head>\n<body>\n");
}

static void document_end(struct out *o)
{
	if (o->fmt == REPORT_HTML)
		buf_adds(o->b, "</body>\n</html>\n");
	else if (o->b->len >= 2 && o->b->s[o->b->len - 1] == '\n' && o->b->s[o->b->len - 2] == '\n')
		o->b->s[--o->b->len] = '\0';
}

void report_render(const struct report_data *d, const struct report_meta *m, enum report_format fmt, struct buf *out)
{
	struct out o = { out, fmt };
	document_begin(&o, d);
	section_heading(&o, d, m);
	section_legend(&o);
	section_summary(&o, d);
	section_counts(&o, d);
	for (int k = 0; k < LIST_COUNT; k++)
		section_list(&o, d, (enum report_list_kind)k);
	section_changes(&o, d);
	document_end(&o);
}
