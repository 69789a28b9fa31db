/* cmd_list: ragtrack list [FILTERS] [--format table|csv|tsv|json] [--columns LIST]
 *
 * --columns names ragtrack's columns, extra fields by their header (any case and
 * spacing), or "extras" for every extra field of the listed reviews.
 *
 * The table is read twice through the store's windows: once to measure the columns,
 * once to print, so memory does not grow with the database and the layout fits the
 * widest cell actually shown.  The ID is always the first column, in every format. */
#include "ragtrack/cli.h"
#include "ragtrack/fields.h"
#include "ragtrack/output.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* X(ID, field, min, cap, flex, right) -- the field's key names the column for
 * --columns and heads it in CSV/TSV and JSON (upper case in the table); min/cap/flex
 * as struct output_column.  In the order --help lists them. */
#define LIST_COLUMNS(X) \
	X(LC_ID,          FLD_ID,          99,  0, 0, 1) \
	X(LC_RAG,         FLD_RAG,          3,  0, 0, 0) \
	X(LC_REVIEW,      FLD_REVIEW,       6, 16, 0, 0) \
	X(LC_FINDING,     FLD_FINDING,     10,  0, 1, 0) \
	X(LC_REF,         FLD_REF,          3,  6, 0, 0) \
	X(LC_QUESTION,    FLD_QUESTION,    10,  0, 1, 0) \
	X(LC_AGENCY,      FLD_AGENCY,       6, 24, 0, 0) \
	X(LC_RESPONSE,    FLD_RESPONSE,    10,  0, 1, 0) \
	X(LC_ACTION,      FLD_ACTION,      10,  0, 1, 0) \
	X(LC_TARGET,      FLD_TARGET,      11, 12, 0, 0) \
	X(LC_EVIDENCE,    FLD_EVIDENCE,    10,  0, 1, 0) \
	X(LC_LEAD,        FLD_LEAD,         6, 20, 0, 0) \
	X(LC_CONSTRAINTS, FLD_CONSTRAINTS, 10,  0, 1, 0) \
	X(LC_DESIRED,     FLD_DESIRED,     10,  0, 1, 0) \
	X(LC_UPDATED,     FLD_UPDATED,     10,  0, 0, 0) \
	X(LC_NOTES,       FLD_NOTES,        5,  0, 0, 1) \
	X(LC_WITHDRAWN,   FLD_WITHDRAWN,    9,  0, 0, 0)

enum list_column {
#define LC_ENUM(id, field, min, cap, flex, right) id,
	LIST_COLUMNS(LC_ENUM)
#undef LC_ENUM
	LC_COUNT,
	LC_EXTRA = LC_COUNT          /* an extra field: its name in struct list */
};

static const struct {
	enum field_id field;
	int min, cap, flex, right;
} COLUMN[LC_COUNT] = {
#define LC_ROW(id, field, min, cap, flex, right) { field, min, cap, flex, right },
	LIST_COLUMNS(LC_ROW)
#undef LC_ROW
};

/* The name of column c for --columns and the CSV/TSV/JSON headers. */
static const char *column_name(int c)
{
	return FIELDS[COLUMN[c].field].key;
}

#define DEFAULT_COLUMNS "id,rag,review,ref,agency,target,lead,action"
#define DEFAULT_WIDTH 100
#define GAP 1
#define LIST_MAX 256                   /* columns at most */
#define EXTRAS "extras"                /* --columns: every extra field */

struct list {
	enum output_format format;
	const char *spec;                  /* --columns as given */
	enum list_column cols[LIST_MAX];
	size_t ncols;
	const char *names[LIST_MAX];       /* header / JSON keys */
	struct field_column field[LIST_MAX];   /* the field, or the extra field by name */
	char *title[LIST_MAX];             /* the table's: the key in upper case, or the extra
	                                    * field's name as one safe line */
	struct output_column layout[LIST_MAX];
	int width;                         /* table: the terminal's */
	long rows;
	struct output_rows w;              /* csv, tsv, json */
	struct buf line;
};

static void list_help(void)
{
	struct buf names = {0}, wrapped = {0};
	for (int c = 0; c < LC_COUNT; c++)
		buf_printf(&names, "%s%s", c ? ", " : "", column_name(c));
	output_wrap(&wrapped, names.s, 22, 80);
	printf("\nOptions:\n"
	       "  --format FORMAT     table (the default), csv, tsv or json\n"
	       "  --columns LIST      the columns after the ID, comma separated; the default is\n"
	       "                      %s; there are\n%s"
	       "                      and the extra fields (columns of the imported plans that map\n"
	       "                      to none of these) by their header, or extras for all of them\n",
	       DEFAULT_COLUMNS, wrapped.s);
	printf("\nThe table fits the terminal ($COLUMNS, else its width, else 100 columns);\n"
	       "csv, tsv and json hold every value in full.\n"
	       "\nFilters (combined with AND):\n%s", FILTER_HELP);
	buf_free(&names);
	buf_free(&wrapped);
}

static int column_find(const char *name)
{
	for (int c = 0; c < LC_COUNT; c++)
		if (strcasecmp(name, column_name(c)) == 0)
			return c;
	return -1;
}

/* The table's title of column c: its name in upper case.  Caller frees. */
static char *column_title(int c)
{
	char *t = xstrdup(column_name(c));
	for (char *p = t; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return t;
}

/* A header folded for matching what a user typed: lower case, runs of white space one
 * space, trimmed.  Caller frees. */
static char *fold(const char *s)
{
	struct buf b = {0};
	for (const char *p = s; *p; p++) {
		int space = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
		if (space && (!b.len || b.s[b.len - 1] == ' '))
			continue;
		buf_addc(&b, space ? ' ' : (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p));
	}
	while (b.len && b.s[b.len - 1] == ' ')
		b.s[--b.len] = '\0';
	return b.s ? buf_steal(&b) : xstrdup("");
}

static int list_add(struct list *l, enum list_column c, const char *extra, int nth)
{
	if (l->ncols == LIST_MAX)
		return cli_usage("list", "--columns: at most %d columns", LIST_MAX);
	const struct field *def = extra ? NULL : &FIELDS[COLUMN[c].field];
	l->field[l->ncols] = (struct field_column){ def, extra ? xstrdup(extra) : NULL, nth };
	l->names[l->ncols] = field_column_name(&l->field[l->ncols], 1);
	l->title[l->ncols] = extra ? output_oneline(extra) : column_title(c);
	l->cols[l->ncols++] = c;
	return 0;
}

/* The extra fields --columns names: all of them (want NULL), or those called want. */
struct extra_pick {
	struct list *l;
	const char *want;         /* folded */
	int found, rc;
	struct buf all;           /* every name, for the message when none matches */
};

static int extra_pick(const char *name, int nth, void *ctx)
{
	struct extra_pick *p = ctx;
	char *folded = fold(name);
	if (!p->want || strcmp(folded, p->want) == 0) {
		p->found++;
		p->rc = list_add(p->l, LC_EXTRA, name, nth);
	}
	if (!nth && p->all.len < 2000) {
		char *shown = output_oneline(name);
		buf_printf(&p->all, "%s'%s'", p->all.len ? ", " : "", shown);
		free(shown);
	}
	free(folded);
	return p->rc != 0;
}

static int no_column(const char *word, const char *extras)
{
	struct buf all = {0};
	for (int k = 0; k < LC_COUNT; k++)
		buf_printf(&all, "%s%s", k ? ", " : "", column_name(k));
	char *shown = text_visible(word, ' ');
	int rc = cli_usage("list", "--columns: no column '%s'; there are %s, %s%s%s", shown, all.s, EXTRAS,
	                   *extras ? " and the extra fields " : " (no extra fields in this database)", extras);
	free(shown);
	buf_free(&all);
	return rc;
}

/* One word of --columns: a column, "extras", or extra fields by their header. */
static int list_column_word(struct list *l, struct store *s, const struct filter *f, const char *word)
{
	int c = column_find(word);
	if (c == LC_ID)
		return 0;
	if (c >= 0)
		return list_add(l, (enum list_column)c, NULL, 0);
	struct extra_pick p = { .l = l };
	char *want = strcasecmp(word, EXTRAS) == 0 ? NULL : fold(word);
	p.want = want;
	struct err e = {0};
	enum status st = store_extra_fields(s, want ? NULL : f, extra_pick, &p, &e);
	int rc = st != OK ? cli_fail(&e) : p.rc ? p.rc : (want && !p.found) ? no_column(word, p.all.s ? p.all.s : "") : 0;
	free(want);
	buf_free(&p.all);
	return rc;
}

/* --columns: the ID first whatever the list says, then the named columns in order. */
static int list_parse_columns(struct list *l, struct store *s, const struct filter *f)
{
	char *copy = xstrdup(l->spec);
	int rc = list_add(l, LC_ID, NULL, 0);
	for (char *save = NULL, *w = strtok_r(copy, ",", &save); w && !rc; w = strtok_r(NULL, ",", &save)) {
		char *word = str_trim(xstrdup(w));
		if (*word)
			rc = list_column_word(l, s, f, word);
		free(word);
	}
	free(copy);
	return rc;
}

/* Options of list itself (filters are already out of argv).  0 or an exit status. */
static int list_parse_options(struct list *l, int argc, char **argv, const struct filter *f)
{
	/* a list that may hold withdrawn actions says which they are */
	const char *columns = f->withdrawn != FILTER_WITHDRAWN_OUT ? DEFAULT_COLUMNS ",withdrawn" : DEFAULT_COLUMNS;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		size_t n = strcspn(a, "=");
		int is_format = strncmp(a, "--format", n) == 0 && n == 8;
		int is_columns = strncmp(a, "--columns", n) == 0 && n == 9;
		if (!is_format && !is_columns)
			return a[0] == '-' ? cli_usage("list", "unknown option %s", a)
			                   : cli_usage("list", "unexpected argument '%s'", a);
		if (a[n] == '=')
			val = a + n + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else
			return cli_usage("list", "%s needs a value", a);
		if (is_format && output_format_parse(val, &l->format) != 0)
			return cli_usage("list", "--format: '%s' is not table, csv, tsv or json", val);
		if (is_columns)
			columns = val;
	}
	l->spec = columns;
	return 0;
}

/* ---- values ------------------------------------------------------------------------ */

static int overdue(const struct action *a)
{
	return a->target_date && a->rag != RAG_BLUE && strcmp(a->target_date, util_today()) < 0;
}

/* The text of column c for a: NULL when there is none (JSON null).  tmp holds
 * values made here.  table: the compact forms (RAG letter, "!" for overdue, dates). */
static const char *column_text(const struct list *l, size_t i, const struct action *a, int table, char tmp[FIELD_TMP])
{
	enum list_column c = l->cols[i];
	if (table && c == LC_RAG) {
		snprintf(tmp, FIELD_TMP, "%c", rag_letter(a->rag));
		return tmp;
	}
	if (table && c == LC_TARGET && overdue(a)) {
		snprintf(tmp, FIELD_TMP, "!%s", a->target_date);
		return tmp;
	}
	if (table && c == LC_UPDATED && a->updated_at) {
		snprintf(tmp, FIELD_TMP, "%.10s", a->updated_at);
		return tmp;
	}
	return field_column_text(&l->field[i], a, tmp);
}

/* ---- records: csv, tsv, json -------------------------------------------------------- */

static int list_record(const struct action *a, void *ctx)
{
	struct list *l = ctx;
	char tmp[FIELD_TMP];
	for (size_t i = 0; i < l->ncols; i++) {
		const struct field *def = l->field[i].def;
		if (def && (def->flags & FF_NUMBER))
			output_rows_int(&l->w, field_number(def, a));
		else
			output_rows_text(&l->w, column_text(l, i, a, 0, tmp));
	}
	output_rows_end_record(&l->w);
	l->rows++;
	return 0;
}

/* ---- table ------------------------------------------------------------------------ */

static int list_measure(const struct action *a, void *ctx)
{
	struct list *l = ctx;
	char tmp[FIELD_TMP];
	for (size_t i = 0; i < l->ncols; i++) {
		struct output_column *col = &l->layout[i];
		if (col->natural >= l->width)
			continue;            /* it cannot be shown wider anyway */
		char *shown = output_oneline(column_text(l, i, a, 1, tmp));
		int w = text_width(shown);
		if (w > col->natural)
			col->natural = w;
		free(shown);
	}
	l->rows++;
	return 0;
}

/* Print the line in l->line without its trailing spaces. */
static void list_put_line(struct list *l)
{
	while (l->line.len && l->line.s[l->line.len - 1] == ' ')
		l->line.s[--l->line.len] = '\0';
	buf_addc(&l->line, '\n');
	fputs(l->line.s, stdout);
	buf_reset(&l->line);
}

static void list_cell(struct list *l, size_t i, const char *text)
{
	char *shown = output_oneline(text);
	if (i)
		buf_adds(&l->line, " ");
	output_fit(&l->line, shown, l->layout[i].width, l->layout[i].right);
	free(shown);
}

static int list_print(const struct action *a, void *ctx)
{
	struct list *l = ctx;
	char tmp[FIELD_TMP];
	for (size_t i = 0; i < l->ncols; i++)
		list_cell(l, i, column_text(l, i, a, 1, tmp));
	list_put_line(l);
	l->rows++;
	return 0;
}

static void list_layout(struct list *l)
{
	for (size_t i = 0; i < l->ncols; i++) {
		enum list_column c = l->cols[i];
		if (c == LC_EXTRA) {          /* free text under its header as written */
			l->layout[i] = (struct output_column){ .title = l->title[i], .min = 10, .flex = 1 };
			l->layout[i].natural = text_width(l->title[i]);
			continue;
		}
		l->layout[i] = (struct output_column){
			.title = l->title[i], .natural = text_width(l->title[i]),
			.min = COLUMN[c].min, .cap = COLUMN[c].cap, .flex = COLUMN[c].flex, .right = COLUMN[c].right,
		};
	}
}

/* "629 actions", or "12 of 629 actions: Red or Amber; agency Police". */
static enum status list_footer(struct list *l, struct store *s, const struct filter *f, struct err *err)
{
	char *what = filter_describe(f);
	char *shown = text_visible(what, ' ');
	enum status st = OK;
	if (l->rows == 0 && filter_active(f)) {
		printf("no actions match: %s\n", shown);
	} else if (l->rows == 0) {
		printf("no actions: the database has none (ragtrack import FILE... adds them)\n");
	} else if (filter_active(f)) {
		struct filter all;
		filter_init(&all);
		long total = 0;
		st = store_count(s, &all, &total, err);
		printf("%ld of %ld action%s: %s\n", l->rows, total, total == 1 ? "" : "s", shown);
	} else {
		printf("%ld action%s\n", l->rows, l->rows == 1 ? "" : "s");
	}
	free(shown);
	free(what);
	return st;
}

/* Every row of the list, without the response text unless a column shows it. */
static enum status list_read(struct list *l, struct store *s, const struct filter *f, store_action_fn fn,
                             struct err *err)
{
	for (size_t i = 0; i < l->ncols; i++)
		if (l->cols[i] == LC_RESPONSE)
			return store_each(s, f, 0, -1, fn, l, err);
	return store_each_brief(s, f, 0, -1, fn, l, err);
}

static enum status list_table(struct list *l, struct store *s, const struct filter *f, struct err *err)
{
	l->width = output_width(stdout, DEFAULT_WIDTH);
	list_layout(l);
	enum status st = list_read(l, s, f, list_measure, err);
	if (st != OK || l->rows == 0)
		return st != OK ? st : list_footer(l, s, f, err);
	output_table_layout(l->layout, l->ncols, l->width, GAP);
	for (size_t i = 0; i < l->ncols; i++)
		list_cell(l, i, l->layout[i].title);
	list_put_line(l);
	l->rows = 0;
	st = list_read(l, s, f, list_print, err);
	return st == OK ? list_footer(l, s, f, err) : st;
}

static enum status list_records(struct list *l, struct store *s, const struct filter *f, struct err *err)
{
	unsigned flags = l->format == OUTPUT_CSV && isatty(fileno(stdout)) ? OUTPUT_VISIBLE : 0;
	output_rows_begin(&l->w, stdout, l->format, flags, l->names, l->ncols);
	enum status st = list_read(l, s, f, list_record, err);
	output_rows_finish(&l->w);
	return st;
}

int cmd_list(struct cli *c, int argc, char **argv)
{
	if (cli_help_requested(argc, argv)) {
		list_help();
		return 0;
	}
	struct filter f;
	filter_init(&f);
	struct list l = { .format = OUTPUT_TABLE };
	struct store *s = NULL;
	struct err e = {0};
	int rc;
	argc = cli_parse_filters("list", argc, argv, &f);
	if (argc < 0) {
		rc = cli_last_status();
		goto cleanup;
	}
	if ((rc = list_parse_options(&l, argc, argv, &f)) != 0)
		goto cleanup;
	if (!(s = cli_open(c, 0, SOURCE_CLI))) {
		rc = cli_last_status();
		goto cleanup;
	}
	if ((rc = list_parse_columns(&l, s, &f)) != 0)
		goto cleanup;
	output_charset_init();
	enum status st = store_filter_check(s, &f, &e);
	if (st == OK)
		st = l.format == OUTPUT_TABLE ? list_table(&l, s, &f, &e) : list_records(&l, s, &f, &e);
	if (st == OK && (fflush(stdout) != 0 || ferror(stdout)))
		st = err_set(&e, ERR_IO, "standard output: write error");
	rc = st == OK ? 0 : cli_fail(&e);
	if (st == OK && output_ascii_used())
		fprintf(stderr, "ragtrack: this terminal shows no UTF-8: other characters are shown as ASCII "
		        "stand-ins (--format csv or json keeps them)\n");
cleanup:
	for (size_t i = 0; i < l.ncols; i++)
		free(l.title[i]);
	field_columns_free(l.field, l.ncols);
	buf_free(&l.line);
	store_close(s);
	filter_free(&f);
	return rc;
}
