/* report: the board paper rendered from the gathered figures (report_data.h) as plain
 * text, GitHub-flavoured Markdown, one self-contained HTML file for printing, or one
 * JSON object.  No SQL, no I/O: the caller writes the result where it belongs. */
#ifndef RAGTRACK_REPORT_H
#define RAGTRACK_REPORT_H

#include "ragtrack/report_data.h"
#include "ragtrack/util.h"

/* X(ID, "name used by --format") */
#define REPORT_FORMATS(X) \
	X(REPORT_TEXT, "text") \
	X(REPORT_MD,   "md") \
	X(REPORT_HTML, "html") \
	X(REPORT_JSON, "json")

enum report_format {
#define REPORT_FORMAT_ENUM(id, name) id,
	REPORT_FORMATS(REPORT_FORMAT_ENUM)
#undef REPORT_FORMAT_ENUM
	REPORT_FORMAT_COUNT
};

/* What the heading says besides the figures. */
struct report_meta {
	const char *filter;       /* the filter in words (filter_describe), NULL = all actions */
	const char *lens;         /* the agency lens, or NULL */
	const char *title;        /* NULL: the default title */
	const char *author;       /* NULL: none */
	const char *paper_no;     /* the paper's number on the agenda, NULL: none */
};

/* The format a --format word names ("text", "md" or "markdown", "html", "json").
 * Returns 0 and fills *out, or -1 when it names none. */
int report_format_from_name(const char *name, enum report_format *out);
/* Append the report of d in format fmt to out.  Every data string is made visible
 * (text_visible) and escaped for the format; widths are measured with text_width. */
void report_render(const struct report_data *d, const struct report_meta *m, enum report_format fmt,
                   struct buf *out);
/* Append every figure of the paper as one JSON object (src/report_json.c; the keys are
 * documented in docs/report.md).  report_render calls it for REPORT_JSON. */
void report_render_json(const struct report_data *d, const struct report_meta *m, struct buf *out);

#endif
