/* output: how views write what they show.  Records as CSV (RFC 4180), TSV or JSON;
 * text fitted to table cells and wrapped to a width; and files written to a temporary
 * name beside the target and renamed into place, so no reader ever sees half a file.
 * No database and no curses here: the CLI commands, the report and the TUI share it. */
#ifndef RAGTRACK_OUTPUT_H
#define RAGTRACK_OUTPUT_H

#include <stddef.h>
#include <stdio.h>
#include "ragtrack/status.h"
#include "ragtrack/util.h"

enum output_format { OUTPUT_TABLE, OUTPUT_CSV, OUTPUT_TSV, OUTPUT_JSON };

/* "table", "csv", "tsv" or "json" (any case) into *out: 0, or -1 when it is none. */
int output_format_parse(const char *name, enum output_format *out);

/* ---- records: a header, then rows of cells ------------------------------------- */

/* Flags of a record writer. */
#define OUTPUT_CRLF    1u   /* CSV rows end in CRLF (else LF) */
#define OUTPUT_BOM     2u   /* a UTF-8 byte-order mark first, so Excel reads UTF-8 */
#define OUTPUT_PROTECT 4u   /* CSV cells starting with = + - @ tab or CR get a leading
                             * apostrophe: a spreadsheet shows them, never runs them */
#define OUTPUT_VISIBLE 8u   /* CSV cells pass through text_visible (for a terminal) */
#define OUTPUT_EXCEL   (OUTPUT_CRLF | OUTPUT_BOM | OUTPUT_PROTECT)

/* Writes records to out.  CSV: a header row of the names, then one row per record,
 * quoting cells only when they hold a comma, quote, CR or LF.  TSV: the same with tabs,
 * and backslash, tab, newline and CR in cells written as \\ \t \n \r, other control
 * and bidi characters as text_visible escapes, so every record is one line.  JSON: an
 * array of objects keyed by the names, one object per line; control, C1, bidi and line
 * separator characters as \uXXXX, invalid UTF-8 as U+FFFD.  TSV and JSON are always
 * safe to print on a terminal; CSV only with OUTPUT_VISIBLE. */
struct output_rows {
	FILE *out;
	enum output_format format;   /* OUTPUT_CSV, OUTPUT_TSV or OUTPUT_JSON */
	unsigned flags;
	const char *const *names;    /* ncols column names: the header, the JSON keys */
	size_t ncols;
	size_t cell;                 /* cells written in the current record */
	long records;                /* records finished */
};

/* Start: the BOM, the header row or the opening bracket.  names must outlive w. */
void output_rows_begin(struct output_rows *w, FILE *out, enum output_format format, unsigned flags,
                       const char *const *names, size_t ncols);
/* The next cell of the current record: text (NULL is JSON null, an empty cell else). */
void output_rows_text(struct output_rows *w, const char *s);
/* The next cell: a number (a JSON number). */
void output_rows_int(struct output_rows *w, long long v);
/* End the current record. */
void output_rows_end_record(struct output_rows *w);
/* Finish: the closing bracket of JSON.  Write errors show at output_file_commit. */
void output_rows_finish(struct output_rows *w);

/* One CSV cell as output_rows writes it (quoted when needed; flags as above). */
void output_csv_cell(FILE *out, const char *s, unsigned flags);
/* One JSON string, quotes included, escaped as output_rows does. */
void output_json_string(FILE *out, const char *s);

/* ---- text for a terminal ----------------------------------------------------------- */

/* Call after setlocale(LC_ALL, ""), before showing text.  When LC_CTYPE's character set
 * is not UTF-8 but plain ASCII (LANG and LC_ALL unset, C or POSIX, or a locale this
 * machine lacks), and TERM is not a terminal known to lack UTF-8 (vt*, ansi*, dumb),
 * LC_CTYPE becomes C.UTF-8 when the machine has it.  Otherwise text for the terminal
 * is shown in ASCII from then on (text_ascii: "..." for an ellipsis, "-" for a dash,
 * never "?"): by output_oneline and output_fit, and by the browser.  Returns 1 when
 * text is shown as UTF-8, 0 when as ASCII. */
int output_charset_init(void);
/* 1 when output_charset_init chose ASCII. */
int output_ascii(void);
/* 1 when output_oneline has replaced a character by its ASCII stand-in (so the
 * command can say so once). */
int output_ascii_used(void);

/* s as one line of a table: text_visible, every run of white space (line breaks too)
 * one space, trimmed; in ASCII (output_ascii) through text_ascii.  Returns a new string. */
char *output_oneline(const char *s);
/* Append line (one line, already visible: from output_oneline) to b filling exactly
 * width display columns: padded with spaces (before it when right), or cut with "…" ("..." in ASCII). */
void output_fit(struct buf *b, const char *line, int width, int right);
/* Append s to b wrapped at width display columns, every line indented by indent
 * spaces and ended with a newline.  Line breaks in s are kept; controls shown as
 * text_visible escapes; words longer than a line are broken.  Nothing for empty s. */
void output_wrap(struct buf *b, const char *s, int indent, int width);

/* The width to lay out for: $COLUMNS when set, else the terminal's when out is one,
 * else dflt.  Never below 20. */
int output_width(FILE *out, int dflt);

/* A table column to lay out.  The caller fills title, natural (the widest cell,
 * title included), min, cap and flex; output_table_layout sets width. */
struct output_column {
	const char *title;
	int natural;     /* widest cell as output_oneline shows it */
	int min;         /* never narrower than this (unless natural is) */
	int cap;         /* widest it is given while a flex column is short of room; 0 = natural */
	int flex;        /* takes the width left over (the action text) */
	int right;       /* right-aligned */
	int width;       /* the result */
};
/* Share total display columns among n columns separated by gap spaces: every column
 * its natural width when all fit; else columns wider than their cap are cut to it, then
 * the widest non-flex columns shrink towards their min until each flex column has
 * at least min(natural, 30), then the widest of all shrink towards their min. */
void output_table_layout(struct output_column *cols, size_t n, int total, int gap);

/* ---- files replaced atomically -------------------------------------------------- */

/* A file being written: write to fp, then output_file_commit or output_file_abort. */
struct output_file {
	FILE *fp;          /* where to write */
	char *path;        /* the target as named (messages); NULL for stdout */
	char *target;      /* what is renamed over (symlinks resolved) */
	char *tmp;         /* util_tmp_create's DIR/.NAME.PID-XXXXXX, NULL when writing straight through */
	int fd;            /* tmp's descriptor (fp writes through it) */
};

/* Open path for writing.  "-" or NULL: standard output.  A regular or new file: a
 * temporary file in the same folder (util_tmp_create; a killed writer's leftovers are
 * swept first), with the replaced file's mode, or for a new file 0660 less the umask.
 * Something else that exists (a device, a pipe such as /dev/stdout): written straight
 * through.  Errors (ERR_IO) name the file: "out/plan.csv: Permission denied". */
enum status output_file_open(struct output_file *f, const char *path, struct err *err);
/* Flush, fsync and rename the temporary file over the target.  On any error the
 * temporary file is removed, the target is left as it was, and err names the file.
 * Frees what f holds either way. */
enum status output_file_commit(struct output_file *f, struct err *err);
/* Give up: remove the temporary file, leave the target as it was, free f. */
void output_file_abort(struct output_file *f);

#endif
