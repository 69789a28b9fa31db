/* report: rendering a board report.
 *
 * Every section is built once as a small table model and then written in the chosen
 * format, so the text, Markdown and HTML reports always carry the same figures.  Data
 * strings pass through text_visible (no control character reaches a terminal or breaks
 * an XML parser), are fitted by display width (text_width), then escaped for the
 * format.  The HTML is also well-formed XML: every tag closed, attributes quoted. */
#include "ragtrack/report.h"
#include "ragtrack/fields.h"
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

/* s cut to at most cap columns, ending in an ellipsis when cut (cap 0: any width).
 * Caller frees. */
static char *fit(const char *s, int cap)
{
	return cap <= 0 ? xstrdup(s) : text_cut(s, cap, TEXT_CUT_TRIM);
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

/* What a percentage of completion says when nothing is rated. */
static const char NO_RAG[] = "no RAG recorded";

/* ---- the table model ------------------------------------------------------------ */

enum { COL_RIGHT = 1, COL_RAG = 2, COL_DATE = 4, COL_WRAP = 8 };   /* WRAP: long text, broken anywhere in print */
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
	char **details;           /* per row: text in full under it (why it is off track), or NULL */
	size_t ndetails;
	const char *detail_head;  /* Markdown's column for the details */
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

/* Text in full under the row just added (visible text, line breaks kept). */
static void table_detail(struct table *t, const char *s)
{
	size_t row = t->ncells / (size_t)t->ncols - 1;
	if (row >= t->ndetails) {
		t->details = xrealloc(t->details, (row + 1) * sizeof *t->details);
		while (t->ndetails <= row)
			t->details[t->ndetails++] = NULL;
	}
	free(t->details[row]);
	t->details[row] = s ? text_visible(s, '\n') : NULL;
}

static const char *table_detail_of(const struct table *t, size_t row)
{
	return row < t->ndetails ? t->details[row] : NULL;
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->ncells; i++)
		free(t->cells[i]);
	free(t->cells);
	for (size_t i = 0; i < t->ndetails; i++)
		free(t->details[i]);
	free(t->details);
}

#define WRAP_WIDTH 100
#define DETAIL_INDENT 6

struct wrapped {
	struct out *o;
	int indent;
};

static void wrapped_line(const char *line, size_t len, void *ctx)
{
	struct wrapped *w = ctx;
	if (len)
		buf_printf(w->o->b, "%*s%.*s", w->indent, "", (int)len, line);
	buf_addc(w->o->b, '\n');
}

/* s wrapped at spaces to WRAP_WIDTH display columns, each line indented; nothing is
 * cut (a word longer than a line gets a line of its own). */
static void report_text_wrapped(struct out *o, const char *s, int indent)
{
	text_wrap(s, WRAP_WIDTH - indent, TEXT_WRAP_WHOLE | TEXT_WRAP_SQUEEZE, wrapped_line,
	          &(struct wrapped){ o, indent });
}

static void report_text_row(struct out *o, const struct table *t, char *const *cells, const int *width)
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

static void report_text_rule(struct out *o, const struct table *t, const int *width)
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
	report_text_row(o, t, heads, width);
	report_text_rule(o, t, width);
	for (size_t r = 0; r < nrows; r++) {
		if (t->total_row && r + 1 == nrows)
			report_text_rule(o, t, width);
		report_text_row(o, t, fitted + r * (size_t)t->ncols, width);
		if (table_detail_of(t, r))
			report_text_wrapped(o, table_detail_of(t, r), DETAIL_INDENT);
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
	if (t->detail_head) {
		buf_adds(o->b, " ");
		put(o, t->detail_head);
		buf_adds(o->b, " |");
	}
	buf_adds(o->b, "\n|");
	for (int c = 0; c < t->ncols; c++)
		buf_adds(o->b, t->cols[c].flags & COL_RIGHT ? " ---: |" : " --- |");
	buf_adds(o->b, t->detail_head ? " --- |\n" : "\n");
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
		if (t->detail_head) {
			char *d = text_visible(table_detail_of(t, r) ? table_detail_of(t, r) : "", ' ');
			buf_adds(o->b, " ");
			put(o, d);
			buf_adds(o->b, " |");
			free(d);
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
		buf_printf(o->b, "<%s class=\"num%s\">", tag, strcmp(cell, NO_RAG) ? "" : " norag");
	else if (col->flags & COL_DATE)
		buf_printf(o->b, "<%s class=\"date\">", tag);
	else if (col->flags & COL_WRAP)
		buf_printf(o->b, "<%s class=\"wrap\">", tag);
	else
		buf_printf(o->b, "<%s>", tag);
	put(o, cell);
	buf_printf(o->b, "</%s>", tag);
}

/* Visible text with its line breaks as <br/>. */
static void html_lines(struct out *o, const char *s)
{
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);
		put(o, line);
		free(line);
		p += n;
		if (*p == '\n') {
			buf_adds(o->b, "<br/>");
			p++;
		}
	}
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
	buf_adds(o->b, "</tr></thead>\n");
	/* With details, each row and its details are a body of their own, kept on one page. */
	if (!t->ndetails)
		buf_adds(o->b, "<tbody>\n");
	for (size_t r = 0; r < nrows; r++) {
		int total = t->total_row && r + 1 == nrows;
		if (total)
			buf_adds(o->b, "</tbody>\n<tfoot>\n");
		if (t->ndetails)
			buf_adds(o->b, "<tbody class=\"item\">\n");
		buf_adds(o->b, total ? "<tr class=\"total\">" : "<tr>");
		for (int c = 0; c < t->ncols; c++)
			html_cell(o, &t->cols[c], "td", fitted[r * (size_t)t->ncols + (size_t)c]);
		buf_adds(o->b, "</tr>\n");
		if (table_detail_of(t, r)) {
			buf_printf(o->b, "<tr class=\"why\"><td colspan=\"%d\">", t->ncols);
			html_lines(o, table_detail_of(t, r));
			buf_adds(o->b, "</td></tr>\n");
		}
		if (t->ndetails)
			buf_adds(o->b, "</tbody>\n");
	}
	if (t->total_row && nrows)
		buf_adds(o->b, "</tfoot>\n");
	else if (!t->ndetails)
		buf_adds(o->b, "</tbody>\n");
	buf_adds(o->b, "</table>\n");
}

static void table_render(struct out *o, const struct table *t)
{
	if (!t->ncols)
		return;
	char **fitted = xcalloc(t->ncells + 1, sizeof *fitted);
	for (size_t i = 0; i < t->ncells; i++) {
		const struct column *col = &t->cols[i % (size_t)t->ncols];
		/* HTML is printed: nothing is cut there, long text wraps */
		fitted[i] = fit(t->cells[i], o->fmt == REPORT_TEXT ? col->cap : o->fmt == REPORT_MD ? col->doc_cap : 0);
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
			buf_addc(o->b, level == 1 ? '=' : level == 2 ? '-' : '~');
		buf_adds(o->b, "\n\n");
	} else if (o->fmt == REPORT_MD) {
		buf_adds(o->b, level == 1 ? "# " : level == 2 ? "## " : "### ");
		put(o, v);
		buf_adds(o->b, "\n\n");
	} else {
		buf_printf(o->b, "<h%d>", level);
		put(o, v);
		buf_printf(o->b, "</h%d>\n", level);
	}
	free(v);
}

/* A paragraph; plain text wraps at WRAP_WIDTH columns. */
static void para(struct out *o, const char *text)
{
	char *v = visible(text, 0);
	if (o->fmt == REPORT_HTML) {
		buf_adds(o->b, "<p>");
		put(o, v);
		buf_adds(o->b, "</p>\n");
	} else if (o->fmt == REPORT_TEXT) {
		report_text_wrapped(o, v, 0);
		buf_addc(o->b, '\n');
	} else {
		put(o, v);
		buf_adds(o->b, "\n\n");
	}
	free(v);
}

static void paraf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void paraf(struct out *o, const char *fmt, ...)
{
	char line[1024];
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

/* % complete, or "no RAG recorded" when nothing is rated: 0% would say the plan
 * failed when it only never had a RAG column. */
static void pct_complete(char out[PCT_LEN], long blue, long rated_n, long whole)
{
	if (whole > 0 && rated_n == 0)
		snprintf(out, PCT_LEN, "%s", NO_RAG);
	else
		pct(out, blue, whole);
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
	pct_complete(p, c->rag[RAG_BLUE], rated(c), c->total);
	table_add(t, p);
	pct(p, c->rag[RAG_BLUE], rated(c));
	table_add(t, p);
	table_addl(t, c->overdue);
}

static void counts_cols(struct table *t, const char *what)
{
	table_col(t, what, 0, 36, 0);
	for (int i = 0; i < RAG_COUNT; i++)
		table_col(t, state_name(RAG_ORDER[i]), COL_RIGHT, 0, 0);
	table_col(t, "Total", COL_RIGHT, 0, 0);
	table_col(t, "% complete", COL_RIGHT, 0, 0);
	table_col(t, "% of rated", COL_RIGHT, 0, 0);
	table_col(t, "Overdue", COL_RIGHT, 0, 0);
}

static void counts_table(struct out *o, const char *what, const struct report_counts *rows, size_t n,
                         const struct report_counts *total)
{
	struct table t = { .cls = "counts" };
	counts_cols(&t, what);
	for (size_t i = 0; i < n; i++)
		counts_row(&t, rows[i].name ? rows[i].name : "(no agency)", &rows[i]);
	counts_row(&t, "Total", total);
	t.total_row = 1;
	table_render(o, &t);
	table_free(&t);
}

/* ---- the SVG chart ---------------------------------------------------------------- */

#define SVG_W 680
#define SVG_NAME_X 166
#define SVG_BAR_X 172
#define SVG_BAR_W 300
#define SVG_SUM_X 478
#define SVG_ROW_H 22
#define SVG_BAR_H 16
#define SVG_CHAR_W 6.6
#define SVG_MIN_SEG 5.0           /* a single Red action stays visible in the longest bar */

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

/* Segment widths: proportional, but none narrower than SVG_MIN_SEG; what the small
 * ones gain comes off the widest, so the bar's length still compares. */
static void seg_widths(const struct report_counts *c, long max, double w[RAG_COUNT])
{
	int widest = RAG_UNSET;
	double gained = 0;
	for (int r = 0; r < RAG_COUNT; r++) {
		w[r] = c->rag[r] ? (double)c->rag[r] * SVG_BAR_W / (double)max : 0;
		if (c->rag[r] > c->rag[widest])
			widest = r;
	}
	for (int r = 0; r < RAG_COUNT; r++)
		if (c->rag[r] && w[r] < SVG_MIN_SEG) {
			gained += SVG_MIN_SEG - w[r];
			w[r] = SVG_MIN_SEG;
		}
	if (w[widest] - gained >= SVG_MIN_SEG)
		w[widest] -= gained;
}

#define SVG_NAME_COLS 26        /* a name's line in the chart, in characters */
#define SVG_LINE_H 11

/* A name broken at spaces into lines of at most SVG_NAME_COLS columns (a longer word
 * has a line of its own): nothing is cut.  Returns the number of lines; *out (the
 * lines, '\n' between) is freed by the caller. */
struct name_lines {
	struct buf b;
	int lines;
};

static void name_line(const char *line, size_t len, void *ctx)
{
	struct name_lines *n = ctx;
	if (n->lines++)
		buf_addc(&n->b, '\n');
	buf_add(&n->b, line, len);
}

static int name_lines(const char *name, char **out)
{
	struct name_lines n = { { 0 }, 0 };
	buf_add(&n.b, "", 0);
	text_wrap(name, SVG_NAME_COLS, TEXT_WRAP_WHOLE | TEXT_WRAP_SQUEEZE, name_line, &n);
	*out = buf_steal(&n.b);
	return n.lines;
}

static int svg_row_height(const struct report_counts *c)
{
	char *lines;
	char *name = visible(c->name ? c->name : "(no agency)", 0);
	int n = name_lines(name, &lines);
	free(lines);
	free(name);
	int h = n * SVG_LINE_H + 4;
	return h > SVG_ROW_H ? h : SVG_ROW_H;
}

static void svg_name(struct out *o, const char *name, int y, int h)
{
	char *lines;
	int n = name_lines(name, &lines);
	int top = y + h / 2 - (n * SVG_LINE_H) / 2 + SVG_LINE_H - 2;
	buf_printf(o->b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", SVG_NAME_X, top);
	int i = 0;
	for (const char *p = lines; *p; i++) {
		size_t len = strcspn(p, "\n");
		char *line = xstrndup(p, len);
		buf_printf(o->b, "<tspan x=\"%d\" y=\"%d\">", SVG_NAME_X, top + i * SVG_LINE_H);
		put(o, line);
		buf_adds(o->b, "</tspan>");
		free(line);
		p += len + (p[len] == '\n');
	}
	buf_adds(o->b, "<title>");
	put(o, name);
	buf_adds(o->b, "</title></text>\n");
	free(lines);
}

static void svg_row(struct out *o, const struct report_counts *c, long max, int y, int h)
{
	char *name = visible(c->name ? c->name : "(no agency)", 0);
	svg_name(o, name, y, h);
	y += (h - SVG_ROW_H) / 2;
	double x = SVG_BAR_X, w[RAG_COUNT];
	seg_widths(c, max, w);
	struct buf sum = {0};
	for (int i = 0; i < RAG_COUNT; i++) {
		enum rag r = RAG_ORDER[i];
		if (!c->rag[r])
			continue;
		svg_segment(o, name, c, r, x, w[r], y);
		x += w[r];
		char label[40];
		seg_label(label, r, c->rag[r]);
		buf_printf(&sum, "%s%s", sum.len ? " \u00b7 " : "", label);
	}
	if (c->total && !rated(c))
		buf_printf(o->b, "<text x=\"%d\" y=\"%d\">%s \u00b7 total %ld</text>\n", SVG_SUM_X, y + 12, NO_RAG, c->total);
	else
		buf_printf(o->b, "<text x=\"%d\" y=\"%d\">%s \u00b7 total %ld</text>\n", SVG_SUM_X, y + 12, sum.s ? sum.s : "",
		           c->total);
	buf_free(&sum);
	free(name);
}

/* Horizontal stacked bars, one per row, scaled to the largest row so bar lengths
 * compare; every segment has a tooltip and, room allowing, its letter and count,
 * and the counts are repeated in words at the end of the bar.  Long names take
 * more than one line. */
static void svg_chart(struct out *o, const char *title, const struct report_counts *rows, size_t n)
{
	if (o->fmt != REPORT_HTML || !n)
		return;
	long max = 1;
	int h = 6;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].total > max)
			max = rows[i].total;
		h += svg_row_height(&rows[i]);
	}
	buf_printf(o->b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" height=\"%d\""
	           " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"10\" role=\"img\">\n<title>",
	           SVG_W, h, SVG_W, h);
	put(o, title);
	buf_adds(o->b, "</title>\n");
	int y = 3;
	for (size_t i = 0; i < n; i++) {
		int rh = svg_row_height(&rows[i]);
		svg_row(o, &rows[i], max, y, rh);
		y += rh;
	}
	buf_adds(o->b, "</svg>\n");
}

/* ---- the front page --------------------------------------------------------------- */

static const char DEFAULT_TITLE[] = "Case review action plans: progress report";

static void meta_line(struct out *o, const char *label, const char *value)
{
	char *v = visible(value, 0);
	if (o->fmt == REPORT_TEXT)
		buf_printf(o->b, "%-14s%s\n", label, v);
	else if (o->fmt == REPORT_MD) {
		buf_printf(o->b, "- **%s:** ", label);
		put(o, v);
		buf_addc(o->b, '\n');
	} else {
		buf_printf(o->b, "<tr><th>%s</th><td>", label);
		put(o, v);
		buf_adds(o->b, "</td></tr>\n");
	}
	free(v);
}

static void section_heading(struct out *o, const struct report_data *d, const struct report_meta *m)
{
	if (!str_empty(d->partnership)) {
		char *p = visible(d->partnership, 0);
		if (o->fmt == REPORT_HTML) {
			buf_adds(o->b, "<p class=\"partnership\">");
			put(o, p);
			buf_adds(o->b, "</p>\n");
		} else {
			para(o, p);
		}
		free(p);
	}
	heading(o, 1, str_empty(m->title) ? DEFAULT_TITLE : m->title);
	if (o->fmt == REPORT_HTML)
		buf_adds(o->b, "<table class=\"meta\">\n");
	meta_line(o, "Meeting", d->meeting);
	if (!str_empty(m->paper_no))
		meta_line(o, "Paper", m->paper_no);
	if (!str_empty(m->author))
		meta_line(o, "Author", m->author);
	char *v = d->has_board ? xasprintf("the board of %s (%s)", d->board_date, d->board_name)
	                       : xstrdup("no earlier board recorded");
	meta_line(o, "Compared with", v);
	free(v);
	meta_line(o, "Actions", m->filter ? m->filter : "all actions");
	if (m->lens) {
		v = xasprintf("only %s's actions", m->lens);
		meta_line(o, "Agency", v);
		free(v);
	}
	meta_line(o, "Data as at", d->as_at ? d->as_at : d->today);
	buf_adds(o->b, o->fmt == REPORT_HTML ? "</table>\n" : "\n");
}

/* "Amber → Green" */
static char *move_words(int from, int to)
{
	return xasprintf("%s \u2192 %s", state_name((enum rag)from), state_name((enum rag)to));
}

/* How the movements split: improved, got worse, became Blue, newly rated, unrated. */
struct move_kinds {
	long moved, blue, better, worse, rated_now, unrated_now;
};

static struct move_kinds move_kinds(const struct report_moves *m)
{
	struct move_kinds k = {0};
	for (int a = 0; a < RAG_COUNT; a++)
		for (int b = 0; b < RAG_COUNT; b++) {
			long n = m->move[a][b];
			if (a == b || !n)
				continue;
			k.moved += n;
			if (b == RAG_BLUE)
				k.blue += n;
			else if (a == RAG_UNSET)
				k.rated_now += n;
			else if (b == RAG_UNSET)
				k.unrated_now += n;
			else if (b > a)
				k.better += n;
			else
				k.worse += n;
		}
	return k;
}

/* Append ", N words" to b when n is not 0. */
static void words_part(struct buf *b, long n, const char *one, const char *many)
{
	if (n)
		buf_printf(b, "%s%ld %s", b->len ? ", " : "", n, plural(n, one, many));
}

static void summary_now(struct out *o, const struct report_data *d)
{
	const struct report_counts *c = &d->total;
	char p[PCT_LEN];
	struct buf b = {0};
	if (!c->total) {
		para(o, d->withdrawn ? "No action is counted: every matching action is withdrawn." : "No action matches.");
		return;
	}
	buf_printf(&b, "The plans hold %ld %s in %zu %s", c->total, plural(c->total, "action", "actions"), d->nreviews,
	           plural((long)d->nreviews, "review", "reviews"));
	if (d->withdrawn)
		buf_printf(&b, " (and %ld withdrawn, not counted)", d->withdrawn);
	pct(p, c->rag[RAG_BLUE], c->total);
	buf_printf(&b, ". %ld %s Blue, completed and evidenced: %s complete", c->rag[RAG_BLUE],
	           c->rag[RAG_BLUE] == 1 ? "is" : "are", p);
	if (d->has_board && d->board_total.total) {
		char then[PCT_LEN];
		pct(then, d->board_total.rag[RAG_BLUE], d->board_total.total);
		buf_printf(&b, ", against %s at the board of %s", then, d->board_date);
	}
	buf_adds(&b, ".");
	long unrated_reviews = 0;
	for (size_t i = 0; i < d->nreviews; i++)
		unrated_reviews += d->reviews[i].total && !rated(&d->reviews[i]);
	if (c->rag[RAG_UNSET]) {
		pct(p, c->rag[RAG_UNSET], c->total);
		buf_printf(&b, " %ld %s (%s) %s no RAG status recorded", c->rag[RAG_UNSET],
		           plural(c->rag[RAG_UNSET], "action", "actions"), p, c->rag[RAG_UNSET] == 1 ? "has" : "have");
		if (unrated_reviews)
			buf_printf(&b, "; %ld %s no RAG at all", unrated_reviews,
			           unrated_reviews == 1 ? "review's plan has" : "reviews' plans have");
		buf_adds(&b, ".");
	}
	para(o, b.s);
	buf_free(&b);
}

static void summary_moves(struct out *o, const struct report_data *d)
{
	if (!d->has_board) {
		para(o, "No earlier board meeting is recorded, so this paper shows no movements since one.");
		return;
	}
	struct move_kinds k = move_kinds(&d->moves);
	struct buf b = {0}, parts = {0};
	buf_printf(&b, "Since the board of %s, ", d->board_date);
	if (k.moved) {
		buf_printf(&b, "%ld %s changed RAG status", k.moved, plural(k.moved, "action", "actions"));
		words_part(&parts, k.blue, "became Blue", "became Blue");
		words_part(&parts, k.better, "improved", "improved");
		words_part(&parts, k.worse, "got worse", "got worse");
		words_part(&parts, k.rated_now, "was rated for the first time", "were rated for the first time");
		words_part(&parts, k.unrated_now, "lost its RAG status", "lost their RAG status");
		buf_printf(&b, " (%s)", parts.s);
	} else {
		buf_adds(&b, "no action changed RAG status");
	}
	buf_printf(&b, "; %ld %s new, %ld %s slipped", d->moves.added, d->moves.added == 1 ? "action is" : "actions are",
	           d->moves.slipped, d->moves.slipped == 1 ? "target has" : "targets have");
	if (d->moves.withdrawn)
		buf_printf(&b, " and %ld %s withdrawn", d->moves.withdrawn, d->moves.withdrawn == 1 ? "action was" : "actions were");
	buf_adds(&b, ".");
	para(o, b.s);
	buf_free(&b);
	buf_free(&parts);
}

static void summary_off_track(struct out *o, const struct report_data *d)
{
	const struct report_list *l = d->lists;
	struct buf b = {0};
	buf_printf(&b, "Off track: %ld Red, %ld overdue, %ld Green past %s target and %ld Red or Amber with no target date.",
	           l[LIST_RED].total, l[LIST_OVERDUE].total, l[LIST_GREEN_PAST].total,
	           l[LIST_GREEN_PAST].total == 1 ? "its" : "their", l[LIST_NO_TARGET].total);
	if (d->nsilent)
		buf_printf(&b, " %zu %s no response to some questions.", d->nsilent,
		           d->nsilent == 1 ? "agency gave" : "agencies gave");
	buf_printf(&b, " %ld %s due before the next meeting (%s).", l[LIST_DUE_NEXT].total,
	           l[LIST_DUE_NEXT].total == 1 ? "action is" : "actions are", d->next);
	para(o, b.s);
	buf_free(&b);
}

static void then_now_row(struct table *t, const char *what, const struct report_counts *c)
{
	char p[PCT_LEN];
	table_add(t, what);
	for (int i = 0; i < RAG_COUNT; i++)
		table_addl(t, c->rag[RAG_ORDER[i]]);
	table_addl(t, c->total);
	pct_complete(p, c->rag[RAG_BLUE], rated(c), c->total);
	table_add(t, p);
}

static void section_summary(struct out *o, const struct report_data *d)
{
	heading(o, 2, "Summary");
	summary_now(o, d);
	summary_moves(o, d);
	summary_off_track(o, d);
	struct table t = { .cls = "summary" };
	table_col(&t, "", 0, 0, 0);
	for (int i = 0; i < RAG_COUNT; i++)
		table_col(&t, state_name(RAG_ORDER[i]), COL_RIGHT, 0, 0);
	table_col(&t, "Total", COL_RIGHT, 0, 0);
	table_col(&t, "% complete", COL_RIGHT, 0, 0);
	if (d->has_board) {
		char *what = xasprintf("At the board (%s)", d->board_date);
		then_now_row(&t, what, &d->board_total);
		free(what);
	}
	char *now = xasprintf("Now (%s)", d->today);
	then_now_row(&t, now, &d->total);
	free(now);
	table_render(o, &t);
	table_free(&t);
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
	para(o, "% complete = Blue / all actions (unset included); % of rated = Blue / actions with a RAG status. "
	        "Withdrawn actions are left out of every figure and list.");
}

/* ---- since the board -------------------------------------------------------------- */

/* "Amber → Green 3, Green → Red 1", or "none".  Caller frees. */
static char *moves_words(const struct report_moves *m)
{
	struct buf b = {0};
	for (int i = 0; i < RAG_COUNT; i++)
		for (int j = 0; j < RAG_COUNT; j++) {
			int a = RAG_ORDER[i], z = RAG_ORDER[j];
			if (a == z || !m->move[a][z])
				continue;
			char *w = move_words(a, z);
			buf_printf(&b, "%s%s %ld", b.len ? ", " : "", w, m->move[a][z]);
			free(w);
		}
	return b.s ? buf_steal(&b) : xstrdup("none");
}

/* Nothing changed in the group since the board. */
static int moves_none(const struct report_moves *m)
{
	for (int a = 0; a < RAG_COUNT; a++)
		for (int z = 0; z < RAG_COUNT; z++)
			if (a != z && m->move[a][z])
				return 0;
	return !m->added && !m->completed && !m->slipped && !m->withdrawn;
}

/* "review" / "reviews", "agency" / "agencies" for a column heading. */
static const char *what_plural(const char *what, size_t n)
{
	if (strcmp(what, "Review") == 0)
		return n == 1 ? "review" : "reviews";
	return n == 1 ? "agency" : "agencies";
}

static void moves_table(struct out *o, const char *what, const struct report_moves *rows, size_t n)
{
	struct table t = { .cls = "moves" };
	table_col(&t, what, 0, 30, 0);
	table_col(&t, "RAG movements", COL_WRAP, 0, 0);
	table_col(&t, "New", COL_RIGHT, 0, 0);
	table_col(&t, "Completed", COL_RIGHT, 0, 0);
	table_col(&t, "Slipped", COL_RIGHT, 0, 0);
	table_col(&t, "Withdrawn", COL_RIGHT, 0, 0);
	size_t still = 0;
	for (size_t i = 0; i < n; i++) {
		if (moves_none(&rows[i])) {
			still++;
			continue;
		}
		char *w = moves_words(&rows[i]);
		table_add(&t, rows[i].name ? rows[i].name : "(no agency)");
		table_add(&t, w);
		table_addl(&t, rows[i].added);
		table_addl(&t, rows[i].completed);
		table_addl(&t, rows[i].slipped);
		table_addl(&t, rows[i].withdrawn);
		free(w);
	}
	if (t.ncells)
		table_render(o, &t);
	table_free(&t);
	if (still)
		paraf(o, "%s%zu %s: no movement, nothing new, completed, slipped or withdrawn.", t.ncells ? "Not listed, " : "",
		      still, what_plural(what, still));
}

static void section_since_board(struct out *o, const struct report_data *d)
{
	heading(o, 2, "Since the last board");
	if (!d->has_board) {
		para(o, "No earlier board meeting is recorded to compare with.");
		return;
	}
	paraf(o, "Each action's RAG status at the board of %s against its status now. An action changed and "
	         "changed back in between has not moved.", d->board_date);
	heading(o, 3, "RAG movements");
	struct table t = { .cls = "movements" };
	table_col(&t, "From", COL_RAG, 0, 0);
	table_col(&t, "To", COL_RAG, 0, 0);
	table_col(&t, "Actions", COL_RIGHT, 0, 0);
	long same = 0;
	for (int i = 0; i < RAG_COUNT; i++)
		for (int j = 0; j < RAG_COUNT; j++) {
			int a = RAG_ORDER[i], z = RAG_ORDER[j];
			long n = d->moves.move[a][z];
			if (a == z)
				same += n;
			if (a == z || !n)
				continue;
			table_add(&t, state_name((enum rag)a));
			table_add(&t, state_name((enum rag)z));
			table_addl(&t, n);
		}
	if (t.ncells)
		table_render(o, &t);
	else
		para(o, "No action changed its RAG status.");
	table_free(&t);
	paraf(o, "%ld %s the same RAG status as at the board.", same, same == 1 ? "action has" : "actions have");
	heading(o, 3, "Movements by review");
	moves_table(o, "Review", d->review_moves, d->nreview_moves);
	heading(o, 3, "Movements by agency");
	moves_table(o, "Agency", d->agency_moves, d->nagency_moves);
}

/* ---- progress per recommendation ---------------------------------------------------- */

static void section_questions(struct out *o, const struct report_data *d)
{
	heading(o, 2, "Progress by recommendation");
	para(o, "Each recommendation or question: its actions, the most cautious RAG status among them, the share "
	        "Blue and how many are overdue.");
	if (!d->nquestions) {
		para(o, "None.");
		return;
	}
	struct table t = { .cls = "questions" };
	table_col(&t, "Review", 0, 20, 0);
	table_col(&t, "Ref", 0, 8, 0);
	table_col(&t, "Recommendation", COL_WRAP, 50, 160);
	table_col(&t, "Actions", COL_RIGHT, 0, 0);
	table_col(&t, "Worst", COL_RAG, 0, 0);
	table_col(&t, "% Blue", COL_RIGHT, 0, 0);
	table_col(&t, "Overdue", COL_RIGHT, 0, 0);
	for (size_t i = 0; i < d->nquestions; i++) {
		const struct report_question *q = &d->questions[i];
		char p[PCT_LEN];
		table_add(&t, q->review);
		table_add(&t, q->ref);
		table_add(&t, q->text);
		table_addl(&t, q->actions);
		table_add(&t, q->rated ? state_name(q->worst) : "unset");
		pct_complete(p, q->blue, q->rated, q->actions);
		table_add(&t, p);
		table_addl(&t, q->overdue);
	}
	table_render(o, &t);
	table_free(&t);
}

/* ---- lists of actions ------------------------------------------------------------- */

static const char *const LIST_TITLES[LIST_COUNT] = {
	[LIST_RED] = "Red",
	[LIST_OVERDUE] = "Overdue",
	[LIST_GREEN_PAST] = "Green past its target",
	[LIST_NO_TARGET] = "Red or Amber with no target date",
	[LIST_DUE_NEXT] = "Due before the next meeting",
	[LIST_NEW] = "New since the board",
	[LIST_COMPLETED] = "Completed since the board",
	[LIST_SLIPPED_BOARD] = "Targets slipped since the board",
	[LIST_SLIPPED] = "Target slipped",
	[LIST_NO_EVIDENCE] = "Blue without evidence",
	[LIST_STALE] = "Stale",
};

/* The lists that say why: the latest note and the constraints under each action. */
static int list_says_why(enum report_list_kind k)
{
	return k == LIST_RED || k == LIST_OVERDUE || k == LIST_GREEN_PAST || k == LIST_NO_TARGET;
}

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
	table_col(t, FIELDS[FLD_RAG].label, COL_RAG, 0, 0);
	if (k == LIST_COMPLETED)
		table_col(t, "At the board", COL_RAG, 0, 0);
	table_col(t, FIELDS[FLD_TARGET].label, COL_DATE, 12, 24);
	if (k == LIST_OVERDUE || k == LIST_GREEN_PAST)
		table_col(t, "Days late", COL_RIGHT, 0, 0);
	if (k == LIST_SLIPPED) {
		table_col(t, "First target", COL_DATE, 0, 0);
		table_col(t, "Slip (days)", COL_RIGHT, 0, 0);
	}
	if (k == LIST_SLIPPED_BOARD) {
		table_col(t, "At the board", COL_DATE, 0, 0);
		table_col(t, "Slip (days)", COL_RIGHT, 0, 0);
	}
	if (k == LIST_STALE)
		table_col(t, "Last change", COL_DATE, 0, 0);
	table_col(t, FIELDS[FLD_LEAD].label, COL_WRAP, 18, 40);
	table_col(t, FIELDS[FLD_ACTION].label, COL_WRAP, 40, 120);
	if (list_says_why(k))
		t->detail_head = "Latest note; constraints";
}

/* The latest note and the constraints, in full ("" when neither).  Caller frees. */
static char *item_why(const struct report_item *it)
{
	struct buf b = {0};
	if (!str_empty(it->note))
		buf_printf(&b, "Latest note (%.10s): %s", it->note_at ? it->note_at : "", it->note);
	if (!str_empty(it->constraints))
		buf_printf(&b, "%sConstraints: %s", b.len ? "\n" : "", it->constraints);
	if (!b.len)
		buf_adds(&b, "No note or constraints recorded.");
	return buf_steal(&b);
}

static void list_row(struct table *t, enum report_list_kind k, const struct report_item *it, const char *today)
{
	char letter[2] = { rag_letter(it->rag), '\0' };
	item_cells(t, it);
	table_add(t, letter);
	if (k == LIST_COMPLETED) {
		char then[2] = { rag_letter(it->board_rag), '\0' };
		table_add(t, then);
	}
	table_add(t, it->target_date ? it->target_date : it->target_raw);
	if (k == LIST_OVERDUE || k == LIST_GREEN_PAST)
		table_addl(t, days_between(it->target_date, today));
	if (k == LIST_SLIPPED) {
		table_add(t, it->first_target_date);
		table_addl(t, days_between(it->first_target_date, it->target_date));
	}
	if (k == LIST_SLIPPED_BOARD) {
		table_add(t, it->board_target);
		table_addl(t, days_between(it->board_target, it->target_date));
	}
	if (k == LIST_STALE) {
		char day[11] = "";
		if (it->touched_at)
			snprintf(day, sizeof day, "%.10s", it->touched_at);
		table_add(t, day);
	}
	table_add(t, it->lead);
	table_add(t, it->text);
	if (list_says_why(k)) {
		char *why = item_why(it);
		table_detail(t, why);
		free(why);
	}
}

static void more(struct out *o, long shown, long total, const char *one, const char *many)
{
	if (total > shown)
		paraf(o, "... and %ld more %s, not listed here.", total - shown, plural(total - shown, one, many));
}

static void list_intro(struct out *o, const struct report_data *d, enum report_list_kind k)
{
	char day[11];
	switch (k) {
	case LIST_RED:
		para(o, "Progress not on track: remedial action required.");
		break;
	case LIST_OVERDUE:
		paraf(o, "Target date before today (%s) and not Blue.", d->today);
		break;
	case LIST_GREEN_PAST:
		para(o, "Green (on track) but the target date has passed: needs a new date or a new status.");
		break;
	case LIST_NO_TARGET:
		para(o, "Red or Amber, and no date by which the action should be done.");
		break;
	case LIST_DUE_NEXT:
		paraf(o, "Not Blue, with a target from today (%s) to before the next meeting (%s).", d->today, d->next);
		break;
	case LIST_NEW:
		paraf(o, "Actions that were not in the plans at the board of %s.", d->board_date);
		break;
	case LIST_COMPLETED:
		paraf(o, "Blue now, and not Blue at the board of %s.", d->board_date);
		break;
	case LIST_SLIPPED_BOARD:
		paraf(o, "The target date is later than it was at the board of %s.", d->board_date);
		break;
	case LIST_SLIPPED:
		para(o, "The target date is later than the first target recorded for the action.");
		break;
	case LIST_NO_EVIDENCE:
		para(o, "Marked Blue (completed and evidenced) but no evidence is recorded.");
		break;
	case LIST_STALE:
		date_add_days(d->today, -(long)d->stale_days, day);
		paraf(o, "Not Blue, and last changed or noted before %s (more than %d days ago).", day, d->stale_days);
		break;
	default:
		break;
	}
}

static void section_list(struct out *o, const struct report_data *d, enum report_list_kind k, int level)
{
	const struct report_list *l = &d->lists[k];
	char *title = xasprintf("%s (%ld)", LIST_TITLES[k], l->total);
	heading(o, level, title);
	free(title);
	list_intro(o, d, k);
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

static void section_silent(struct out *o, const struct report_data *d)
{
	char *title = xasprintf("Agencies that gave no response (%zu)", d->nsilent);
	heading(o, 3, title);
	free(title);
	para(o, "Questions an agency was asked where it recorded no response, action, evidence or RAG status.");
	if (!d->nsilent) {
		para(o, "None.");
		return;
	}
	struct table t = { .cls = "silent" };
	table_col(&t, "Agency", 0, 36, 0);
	table_col(&t, "Questions", COL_RIGHT, 0, 0);
	table_col(&t, "No response", COL_RIGHT, 0, 0);
	table_col(&t, "Share", COL_RIGHT, 0, 0);
	for (size_t i = 0; i < d->nsilent; i++) {
		char p[PCT_LEN];
		table_add(&t, d->silent[i].agency);
		table_addl(&t, d->silent[i].questions);
		table_addl(&t, d->silent[i].unanswered);
		pct(p, d->silent[i].unanswered, d->silent[i].questions);
		table_add(&t, p);
	}
	table_render(o, &t);
	table_free(&t);
}

static void section_off_track(struct out *o, const struct report_data *d)
{
	heading(o, 2, "Off track and why");
	para(o, "Each action below carries its latest progress note and its constraints, as recorded.");
	section_list(o, d, LIST_RED, 3);
	section_list(o, d, LIST_OVERDUE, 3);
	section_list(o, d, LIST_GREEN_PAST, 3);
	section_list(o, d, LIST_NO_TARGET, 3);
	section_silent(o, d);
	section_list(o, d, LIST_DUE_NEXT, 3);
}

static void section_board_lists(struct out *o, const struct report_data *d)
{
	if (!d->has_board)
		return;
	section_list(o, d, LIST_NEW, 3);
	section_list(o, d, LIST_COMPLETED, 3);
	section_list(o, d, LIST_SLIPPED_BOARD, 3);
}

/* ---- changes since ---------------------------------------------------------------- */

/* A logged value for people: RAG codes as names, nothing as "(empty)", cut to cap
 * columns (0: whole).  Caller frees. */
static char *change_value(const char *field, const char *v, int cap)
{
	if (str_empty(v))
		return xstrdup("(empty)");
	if (str_eq(field, "rag") && v[0] >= '0' && v[0] <= '4' && !v[1])
		return xstrdup(v[0] == '0' ? "unset" : rag_name((enum rag)(v[0] - '0')));
	return visible(v, cap);
}

/* What an event did, in words; cap 0 (print) keeps every value whole. */
static char *event_what(const struct report_event *e, int cap)
{
	if (!e->field) {
		char *text = visible(e->new_value, cap * 2);
		char *s = xasprintf("note: %s", text);
		free(text);
		return s;
	}
	char *from = change_value(e->field, e->old_value, cap), *to = change_value(e->field, e->new_value, cap);
	char *s = xasprintf("%s: %s \u2192 %s", e->field, from, to);
	if (!str_empty(e->reason)) {
		char *why = visible(e->reason, cap), *with = xasprintf("%s (reason: %s)", s, why);
		free(why);
		free(s);
		s = with;
	}
	free(from);
	free(to);
	return s;
}

static void event_cells(struct table *t, const struct report_event *e, int cap)
{
	char day[11] = "";
	if (e->at)
		snprintf(day, sizeof day, "%.10s", e->at);
	table_add(t, day);
	char *who = str_eq(e->source, "import") ? xasprintf("%s (import)", e->user ? e->user : "")
	                                        : xstrdup(e->user ? e->user : "");
	table_add(t, who);
	free(who);
	char *what = event_what(e, cap);
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
	table_col(&t, "Date", COL_DATE, 0, 0);
	table_col(&t, "Who", 0, 16, 40);
	table_col(&t, "Change", COL_WRAP, 72, 0);
	for (size_t i = 0; i < ch->n; i++) {
		const struct report_changed *c = &ch->actions[i];
		for (size_t j = 0; j < c->nevents; j++) {
			if (j == 0) {
				item_cells(&t, &c->action);
			} else {
				for (int k = 0; k < 4; k++)
					table_add(&t, "");
			}
			event_cells(&t, &c->events[j], o->fmt == REPORT_HTML ? 0 : 40);
		}
	}
	table_render(o, &t);
	table_free(&t);
	more(o, (long)ch->n, ch->total, "changed action", "changed actions");
}

/* ---- the document ----------------------------------------------------------------- */

static const char HTML_STYLE[] =
	"body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; font-size: 11pt; color: #111111;"
	" margin: 2em auto; max-width: 60em; padding: 0 1em; }\n"
	"h1 { font-size: 1.6em; margin: 0.2em 0 0.4em; }\n"
	"h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #999999; }\n"
	"h3 { font-size: 1.05em; margin-top: 1.2em; }\n"
	"p.partnership { font-size: 1.1em; font-weight: bold; margin: 0; }\n"
	"table { border-collapse: collapse; margin: 0.5em 0 1em; max-width: 100%; }\n"
	"th, td { border: 1px solid #bbbbbb; padding: 2px 5px; text-align: left; vertical-align: top;"
	" overflow-wrap: break-word; white-space: normal; text-overflow: clip; }\n"
	"td.wrap { overflow-wrap: anywhere; min-width: 7em; }\n"
	"td.norag { white-space: normal; min-width: 5em; }\n"
	"table.list, table.questions, table.moves { width: 100%; }\n"
	"thead th { background: #eeeeee; }\n"
	"table.meta th, table.meta td { border: none; padding: 1px 8px 1px 0; }\n"
	".num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; overflow-wrap: normal; }\n"
	".date { white-space: nowrap; overflow-wrap: normal; }\n"
	"tr.total td { font-weight: bold; border-top: 2px solid #333333; }\n"
	"tr.why td { font-size: 0.92em; color: #333333; border-top: none; padding-left: 2em; }\n"
	"td.rag, th.rag { text-align: center; font-weight: bold; color: #000000; white-space: nowrap; overflow-wrap: normal; }\n"
	".rag-R { background: #f4b6b6; } .rag-A { background: #ffe08a; } .rag-G { background: #bfe3c0; }\n"
	".rag-B { background: #b3cdf0; } .rag-U { background: #ffffff; }\n"
	"svg.chart { display: block; max-width: 100%; height: auto; margin: 0.5em 0; }\n"
	"footer { margin-top: 2em; font-size: 0.9em; color: #333333; border-top: 1px solid #999999; }\n"
	"* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
	"@page { size: A4; margin: 18mm 14mm 20mm 14mm;"
	" @bottom-right { content: \"Page \" counter(page) \" of \" counter(pages); font-family: sans-serif; font-size: 8pt; } }\n"
	"@media print {\n"
	"  body { color: #000000; background: #ffffff; margin: 0; max-width: none; padding: 0; font-size: 9pt; }\n"
	"  h1, h2, h3, h2 + p, h3 + p { color: #000000; page-break-after: avoid; break-after: avoid; }\n"
	"  h2, h3 { page-break-inside: avoid; break-inside: avoid; }\n"
	"  tr, tbody.item, svg, table.summary, table.legend, table.movements { page-break-inside: avoid; break-inside: avoid; }\n"
	"  thead { display: table-header-group; }\n"
	"  tfoot { display: table-row-group; }\n"
	"  th, td { border-color: #000000; color: #000000; }\n"
	"  thead th { background: #ffffff; }\n"
	"}\n";

static void document_begin(struct out *o, const struct report_data *d, const struct report_meta *m)
{
	if (o->fmt != REPORT_HTML)
		return;
	buf_adds(o->b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	               "<meta name=\"generator\" content=\"ragtrack\"/>\n<title>");
	char *t = visible(str_empty(m->title) ? DEFAULT_TITLE : m->title, 0);
	put(o, t);
	free(t);
	buf_adds(o->b, " ");
	put(o, d->meeting);
	buf_adds(o->b, "</title>\n<style>\n");
	buf_adds(o->b, HTML_STYLE);
	buf_adds(o->b, "</style>\n</head>\n<body>\n");
}

static void document_end(struct out *o, const struct report_data *d)
{
	char *foot = xasprintf("Prepared on %s from the action plans' data as at %s.", d->today,
	                       d->as_at ? d->as_at : d->today);
	if (o->fmt == REPORT_HTML) {
		buf_adds(o->b, "<footer><p>");
		put(o, foot);
		buf_adds(o->b, "</p></footer>\n</body>\n</html>\n");
	} else {
		if (o->fmt == REPORT_MD)
			buf_adds(o->b, "---\n\n");
		para(o, foot);
		if (o->b->len >= 2 && o->b->s[o->b->len - 1] == '\n' && o->b->s[o->b->len - 2] == '\n')
			o->b->s[--o->b->len] = '\0';
	}
	free(foot);
}

void report_render(const struct report_data *d, const struct report_meta *m, enum report_format fmt, struct buf *out)
{
	if (fmt == REPORT_JSON) {
		report_render_json(d, m, out);
		return;
	}
	struct out o = { out, fmt };
	document_begin(&o, d, m);
	section_heading(&o, d, m);
	section_summary(&o, d);
	section_legend(&o);
	section_since_board(&o, d);
	section_board_lists(&o, d);
	heading(&o, 2, "RAG by review");
	svg_chart(&o, "RAG status by review", d->reviews, d->nreviews);
	counts_table(&o, "Review", d->reviews, d->nreviews, &d->total);
	heading(&o, 2, "RAG by agency");
	svg_chart(&o, "RAG status by agency", d->agencies, d->nagencies);
	counts_table(&o, "Agency", d->agencies, d->nagencies, &d->total);
	section_questions(&o, d);
	section_off_track(&o, d);
	section_list(&o, d, LIST_SLIPPED, 2);
	section_list(&o, d, LIST_NO_EVIDENCE, 2);
	section_list(&o, d, LIST_STALE, 2);
	section_changes(&o, d);
	document_end(&o, d);
}
