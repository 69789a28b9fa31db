/* cmd_export: ragtrack export [FILTERS] [-o FILE] [--excel] [--redact]
 *
 * The filtered actions as CSV in the flat layout the importer reads: the headers of
 * colmap's COLUMNS in their order, every row complete (no fill-down blanks), so a
 * filtered export stands on its own.  Values are written so that importing the file
 * and exporting again gives the same bytes:
 *  - RAG: the state's name; an unset RAG keeps what was written ("P", "0", "N/A"),
 *    unless that would now read as a state.
 *  - Target Date: the date read, in ISO form, followed by any words that followed it
 *    as written ("2016-06-30 / ongoing"); the text as written when no date was read.
 *  - Rows come in ID order (the order they were imported in) unless --sort is given,
 *    so the IDs of the re-imported copy match too.
 *  - Extra fields (columns the importer kept under their own header) follow, one
 *    column each under that header, in the files' order (store_extra_fields). */
#include "ragtrack/cli.h"
#include "ragtrack/colmap.h"
#include "ragtrack/output.h"
#include "ragtrack/util.h"
#include "ragtrack/writeguard.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct export {
	const char *path;            /* -o, NULL = stdout */
	int excel, redact;
	const char **names;          /* ncols: the known columns', then the extra fields' */
	enum col *cols;              /* COL_UNKNOWN: an extra field */
	size_t ncols, cap;
	char **extra;                /* per column: the extra field's name, else NULL */
	int *nth;                    /* which of that name (a file can repeat a header) */
	struct output_rows w;
	struct buf target;           /* scratch for the target cell */
};

static void export_help(void)
{
	printf("\nOptions:\n"
	       "  -o, --output FILE   write FILE (replaced atomically; mode 0660 less the umask);\n"
	       "                      - or none: standard output\n"
	       "  --excel             for Excel: UTF-8 byte-order mark, CRLF line ends, and an\n"
	       "                      apostrophe before cells starting with = + - @ (never run as formulas)\n"
	       "  --redact            leave out the free-text columns (Response, Action, Evidence/Outcome,\n"
	       "                      Constraints/Problems, Desired Outcome, the extra fields) and RAG\n"
	       "                      words that are not a state\n"
	       "\nRows come in ID order unless --sort is given.  Extra fields (columns of the\n"
	       "imported plans that map to no field) follow the known columns under their own headers.\n"
	       "\nFilters (combined with AND):\n%s",
	       FILTER_HELP);
}

/* The columns export writes: the importer's, less the two it only reads. */
static int column_exported(enum col c, int redact)
{
	switch (c) {
	case COL_BOARD:
	case COL_TARGET_EVIDENCE:
	case COL_REF:                /* the Question cell starts with it */
		return 0;
	case COL_RESPONSE:
	case COL_ACTION:
	case COL_EVIDENCE:
	case COL_CONSTRAINTS:
	case COL_DESIRED:
		return !redact;
	default:
		return 1;
	}
}

static void export_add(struct export *x, enum col c, const char *extra, int nth)
{
	if (x->ncols == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 32;
		x->names = xrealloc(x->names, x->cap * sizeof *x->names);
		x->cols = xrealloc(x->cols, x->cap * sizeof *x->cols);
		x->extra = xrealloc(x->extra, x->cap * sizeof *x->extra);
		x->nth = xrealloc(x->nth, x->cap * sizeof *x->nth);
	}
	x->extra[x->ncols] = extra ? xstrdup(extra) : NULL;
	x->nth[x->ncols] = nth;
	x->names[x->ncols] = extra ? x->extra[x->ncols] : colmap_name(c);
	x->cols[x->ncols++] = c;
}

static void export_known_columns(struct export *x)
{
	for (int c = 0; c < COL_COUNT; c++)
		if (column_exported((enum col)c, x->redact))
			export_add(x, (enum col)c, NULL, 0);
}

static int export_extra_column(const char *name, int nth, void *ctx)
{
	export_add(ctx, COL_UNKNOWN, name, nth);
	return 0;
}

/* The extra fields of the reviews exported, after the known columns. */
static enum status export_extra_columns(struct export *x, struct store *s, const struct filter *f, struct err *err)
{
	return x->redact ? OK : store_extra_fields(s, f, export_extra_column, x, err);
}

static void export_free(struct export *x)
{
	for (size_t i = 0; i < x->ncols; i++)
		free(x->extra[i]);
	free(x->extra);
	free(x->nth);
	free(x->names);
	free(x->cols);
	buf_free(&x->target);
}

/* Options of export itself (filters are already out of argv).  0 or an exit status. */
static int export_parse_options(struct export *x, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--excel") == 0)
			x->excel = 1;
		else if (strcmp(a, "--redact") == 0)
			x->redact = 1;
		else if (strncmp(a, "--output=", 9) == 0)
			x->path = a + 9;
		else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			if (i + 1 >= argc)
				return cli_usage("export", "%s needs a file name", a);
			x->path = argv[++i];
		} else if (a[0] == '-' && a[1])
			return cli_usage("export", "unknown option %s", a);
		else
			return cli_usage("export", "unexpected argument '%s' (-o FILE names the file to write)", a);
	}
	if (x->path && !*x->path)
		return cli_usage("export", "-o needs a file name");
	if (x->path && strcmp(x->path, "-") == 0)
		x->path = NULL;
	export_known_columns(x);
	return 0;
}

/* Was --sort given?  (The filter cannot tell "--sort default" from nothing.) */
static int sort_given(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--sort") == 0)
			return 1;
	return 0;
}

/* ---- values ---------------------------------------------------------------------- */

static const char *export_rag(const struct export *x, const struct action *a)
{
	if (a->rag != RAG_UNSET)
		return rag_name(a->rag);
	if (x->redact || str_empty(a->rag_raw) || rag_parse(a->rag_raw, NULL) != RAG_UNSET)
		return "";
	return a->rag_raw;
}

/* The date in ISO form and whatever followed it as written; the text when no date.  A
 * target read from inside the text ("By 31/12/2016", the latest of several dates) is
 * written as the text, which reads back to the same date: nothing of it is lost. */
static const char *export_target(struct export *x, const struct action *a)
{
	if (!a->target_date)
		return a->target_raw;
	char iso[11];
	size_t used = 0;
	buf_reset(&x->target);
	buf_adds(&x->target, a->target_date);
	if (!str_empty(a->target_raw) && date_parse(a->target_raw, iso, &used) != GUESS_UNKNOWN &&
	    strcmp(iso, a->target_date) == 0) {
		struct date_cell dc;
		date_read_cell(a->target_raw, &dc);
		if (strcmp(dc.iso, a->target_date) == 0)
			buf_adds(&x->target, a->target_raw + used);
	} else if (!str_empty(a->target_raw)) {
		struct date_cell dc;
		date_read_cell(a->target_raw, &dc);
		if (strcmp(dc.iso, a->target_date) == 0)
			return a->target_raw;
	}
	return x->target.s;
}

static const char *export_value(struct export *x, enum col c, const struct action *a)
{
	switch (c) {
	case COL_REVIEW: return a->review;
	case COL_FINDING: return a->finding;
	case COL_QUESTION: return a->question;
	case COL_AGENCY: return a->agency;
	case COL_RESPONSE: return a->response;
	case COL_ACTION: return a->text;
	case COL_RAG: return export_rag(x, a);
	case COL_TARGET: return export_target(x, a);
	case COL_EVIDENCE: return a->evidence;
	case COL_LEAD: return a->lead;
	case COL_CONSTRAINTS: return a->constraints;
	case COL_DESIRED: return a->desired;
	default: return "";
	}
}

static int export_row(const struct action *a, void *ctx)
{
	struct export *x = ctx;
	for (size_t i = 0; i < x->ncols; i++) {
		if (x->cols[i] == COL_ID)
			output_rows_int(&x->w, a->id);
		else if (x->extra[i])
			output_rows_text(&x->w, action_extra_value(a, x->extra[i], x->nth[i]));
		else
			output_rows_text(&x->w, export_value(x, x->cols[i], a));
	}
	output_rows_end_record(&x->w);
	return ferror(x->w.out) != 0;       /* a full disk: stop early, commit reports it */
}

static enum status export_write(struct export *x, struct store *s, const struct filter *f, struct err *err)
{
	enum status st = writeguard_check(s, x->path, err);
	if (st != OK)
		return st;
	struct output_file out;
	st = output_file_open(&out, x->path, err);
	if (st != OK)
		return st;
	unsigned flags = x->excel ? OUTPUT_EXCEL : 0;
	if (!x->path && isatty(fileno(stdout)))
		flags |= OUTPUT_VISIBLE;
	output_rows_begin(&x->w, out.fp, OUTPUT_CSV, flags, x->names, x->ncols);
	st = store_each(s, f, 0, -1, export_row, x, err);
	output_rows_finish(&x->w);
	if (st != OK) {
		output_file_abort(&out);
		return st;
	}
	return output_file_commit(&out, err);
}

int cmd_export(struct cli *c, int argc, char **argv)
{
	if (cli_help_requested(argc, argv)) {
		export_help();
		return 0;
	}
	struct filter f;
	filter_init(&f);
	struct export x = {0};
	struct store *s = NULL;
	struct err e = {0};
	int rc;
	int by_id = !sort_given(argc, argv);
	argc = cli_parse_filters("export", argc, argv, &f);
	if (argc < 0) {
		rc = cli_last_status();
		goto cleanup;
	}
	if ((rc = export_parse_options(&x, argc, argv)) != 0)
		goto cleanup;
	if (by_id) {
		f.sort[0] = SORT_ID;
		f.nsort = 1;
	}
	if (!(s = cli_open(c, 0, SOURCE_CLI))) {
		rc = cli_last_status();
		goto cleanup;
	}
	enum status st = store_filter_check(s, &f, &e);
	if (st == OK)
		st = export_extra_columns(&x, s, &f, &e);
	if (st == OK)
		st = export_write(&x, s, &f, &e);
	if (st == OK && x.path) {
		char *shown = text_visible(x.path, ' ');
		fprintf(stderr, "%ld action%s exported to %s\n", x.w.records, x.w.records == 1 ? "" : "s", shown);
		free(shown);
	}
	rc = st == OK ? 0 : cli_fail(&e);
cleanup:
	export_free(&x);
	store_close(s);
	filter_free(&f);
	return rc;
}

/* ---- for the TUI ----------------------------------------------------------------- */

enum status cli_export_file(struct store *s, const struct filter *f, const char *path, int excel, long *records,
                            struct err *err)
{
	struct export x = { .path = path, .excel = excel };
	export_known_columns(&x);
	enum status st = export_extra_columns(&x, s, f, err);
	if (st == OK)
		st = export_write(&x, s, f, err);
	if (records)
		*records = st == OK ? x.w.records : 0;
	export_free(&x);
	return st;
}
