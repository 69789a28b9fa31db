/* import: the path from a spreadsheet's rows to actions in the store.
 *
 * Per file: find the header row (title rows above it are skipped and said), map its
 * columns, then for each row fill down Review / Finding / Question / Agency, clean the
 * text, read RAG and dates, and hand one action to the store.  Every guess is counted
 * by kind and value and reported once per file with the lines it happened on. */
#include "ragtrack/import.h"
#include "ragtrack/colmap.h"
#include "ragtrack/csvread.h"
#include "ragtrack/fields.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HEADER_SEARCH_ROWS 30     /* rows looked at for the header */
#define HEADERS_LISTED 12          /* headers a refusal lists */
#define MAPPING_LISTED 40          /* columns the mapping line lists one by one */
#define QUEUE_ROWS 1024          /* rows read ahead of the store (about 1.5 MB of text) */
#define QUEUE_BATCH 64           /* rows handed over per wake-up (one each cost 2 s in 19) */
#define WARN_SLOTS 4096
#define WARN_LINES 8

enum warn_kind {
	W_RAG_INFERRED, W_RAG_UNKNOWN, W_RAG_PROGRESS, W_RAG_LEGEND, W_RAG_DONE,
	W_DATE_INFERRED, W_DATE_TEXT, W_DATE_AFTER, W_DATE_SEVERAL, W_DATE_NOT_REAL, W_DATE_STATUS,
	W_DATE_ONGOING, W_CLEANED, W_KIND_COUNT
};

/* What each warning says: the cell as written, then what it was read as. */
static const char *const WARN_FMT[W_KIND_COUNT] = {
	[W_RAG_INFERRED] = "RAG \"%s\" read as %s",
	[W_RAG_UNKNOWN] = "unknown RAG value \"%s\" left unset%s",
	[W_RAG_PROGRESS] = "RAG \"%s\" is a progress word, not a rating: left unset%s (--rag-map 'WORD=STATE' rates it)",
	[W_RAG_LEGEND] = "RAG cell \"%s\" lists the legend, not a rating: left unset%s",
	[W_RAG_DONE] = "RAG \"%s\" opens by saying it is done: read as %s",
	[W_DATE_INFERRED] = "target \"%s\" read as %s",
	[W_DATE_TEXT] = "target \"%s\" kept as text (no date)%s",
	[W_DATE_AFTER] = "target \"%s\": the date after the words read as %s",
	[W_DATE_SEVERAL] = "target \"%s\" holds %s",
	[W_DATE_NOT_REAL] = "target \"%s\": \"%s\" is not a real date; kept as text, no target date",
	[W_DATE_STATUS] = "target \"%s\" is a status, not a date: no target date%s (a hint that the action is done: check its RAG)",
	[W_DATE_ONGOING] = "target \"%s\" is ongoing work, not a date: no target date%s",
	[W_CLEANED] = "HTML or control characters cleaned from text%s%s",
};

struct warning {
	enum warn_kind kind;
	char *value;             /* the cell as written */
	char *reading;           /* what it was read as */
	long count;
	long last_line;
	long lines[WARN_LINES];
	long order;              /* first seen: warnings print in file order */
};

struct row_queue;

/* A row read before the header was chosen: kept until it is. */
struct pending {
	char **cells;
	size_t ncells;
	long line, end_line;
};

struct importer {
	struct store *store;
	struct row_queue *queue;  /* rows go here when a second thread reads the file */
	const struct import_opts *opts;
	struct import_summary *sum;
	char *file;               /* the file's name, safe to print */
	const char *file_review;  /* --review given for this file */
	char *default_review;
	struct colmap map;
	/* extra fields: the columns the classifier left COL_EXTRA (see extras_find) */
	size_t nextra;
	size_t *extra_at;         /* their column numbers, from 0 */
	char **extra_name;        /* their headers as written, cleaned; NULL: no header */
	int *extra_seen;          /* a cell of a column with no header was kept */
	const char **extra_names, **extra_values;   /* one row's, for action_set_extras */
	char **extra_cells;
	int have_header;
	long header_line;
	long title_rows;
	struct pending pend[HEADER_SEARCH_ROWS * 2];   /* rows before the header is chosen */
	int npend, npend_full;
	unsigned char *blank_header;     /* per column: its header is blank */
	long *blank_cells, *blank_first; /* per column with a blank header: cells with text, first line */
	char *strict_msg;                /* --strict: the first guess, refused after its row */
	/* --rag-map words remembered for reviews (read before the files, in this thread) */
	struct store_rag_word *remembered;
	size_t nremembered;
	long remembered_used;
	long refs_joined;                /* question texts given their Ref column's reference */
	char **file_reviews;             /* reviews this file's rows named */
	size_t nfile_reviews;
	/* fill-down state */
	char *review, *finding, *finding_ref, *question, *question_ref, *agency;
	/* warnings of this file */
	struct warning *warn;    /* WARN_SLOTS open-addressing table */
	long nwarn, overflow, order;
	/* what matching said (main thread): printed at the end of the file */
	struct buf said;
	char *refusal;           /* --strict: the first row in doubt */
	int nfiles;
};

/* ---- warnings ---------------------------------------------------------------------- */

static unsigned warn_hash(enum warn_kind k, const char *v)
{
	unsigned h = 2166136261u ^ (unsigned)k;
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

static char *warn_text(enum warn_kind kind, const char *value, const char *reading);

static void warn_note(struct importer *im, enum warn_kind k, const char *value, const char *reading, long line)
{
	if (im->opts->strict && k != W_CLEANED && !im->strict_msg) {   /* every kind but cleaning is a guess */
		char *text = warn_text(k, value, reading);
		im->strict_msg = xasprintf("%s:%ld: --strict: %s", im->file, line, text);
		free(text);
	}
	unsigned i = warn_hash(k, value) % WARN_SLOTS;
	struct warning *w;
	for (;; i = (i + 1) % WARN_SLOTS) {
		w = &im->warn[i];
		if (!w->value)
			break;
		if (w->kind == k && strcmp(w->value, value) == 0)
			goto found;
	}
	if (im->nwarn >= WARN_SLOTS * 3 / 4) {      /* table full: count, do not list */
		im->overflow++;
		im->sum->warnings++;
		return;
	}
	w->kind = k;
	w->value = xstrdup(value);
	w->reading = xstrdup(reading);
	w->order = im->order++;
	im->nwarn++;
found:
	if (w->count && w->last_line == line)
		return;              /* one row, several cells: counted once */
	w->last_line = line;
	if (w->count < WARN_LINES)
		w->lines[w->count] = line;
	w->count++;
	im->sum->warnings++;
}

static int warn_by_order(const void *a, const void *b)
{
	const struct warning *x = *(const struct warning *const *)a, *y = *(const struct warning *const *)b;
	return (x->order > y->order) - (x->order < y->order);
}

/* A warning's text, the value shortened for the screen.  Caller frees. */
static char *warn_text(enum warn_kind kind, const char *value, const char *reading)
{
	char *shown = text_shorten(text_visible(value, ' '), 60);
	struct buf b = {0};
	buf_printf(&b, WARN_FMT[kind], shown, reading);
	free(shown);
	return buf_steal(&b);
}

static void warn_print_one(const struct importer *im, const struct warning *w)
{
	FILE *out = im->opts->out;
	char *text = warn_text(w->kind, w->value, w->reading);
	fprintf(out, "%s:%ld: %s (%ld row%s", im->file, w->lines[0], text, w->count, w->count == 1 ? "" : "s");
	long n = w->count < WARN_LINES ? w->count : WARN_LINES;
	if (w->count > 1) {
		fputs(": lines", out);
		for (long i = 0; i < n; i++)
			fprintf(out, "%s %ld", i ? "," : "", w->lines[i]);
		if (w->count > n)
			fputs(", ...", out);
	}
	fputs(")\n", out);
	free(text);
}

/* A warning's identity across imports: its kind, value and reading, as 8 hex digits. */
static void warn_id(const struct warning *w, char out[10])
{
	unsigned h = warn_hash(w->kind, w->value);
	for (const unsigned char *p = (const unsigned char *)w->reading; *p; p++)
		h = (h ^ *p) * 16777619u;
	snprintf(out, 10, " %08x", h);
}

/* Print the file's warnings, those the last import of its review also had counted
 * rather than listed (unless --warnings all), and remember this import's. */
static void warn_flush(struct importer *im, int print)
{
	struct warning **list = xcalloc((size_t)im->nwarn + 1, sizeof *list);
	long n = 0;
	for (int i = 0; i < WARN_SLOTS; i++)
		if (im->warn[i].value)
			list[n++] = &im->warn[i];
	qsort(list, (size_t)n, sizeof *list, warn_by_order);
	const char *review = im->review ? im->review : im->default_review;
	char *before = NULL;
	struct err e = {0};
	if (print && !im->opts->warnings_all)
		store_import_warnings_get(im->store, review, &before, &e);
	struct buf now = {0};
	long repeated = 0;
	for (long i = 0; print && i < n; i++) {
		char id[10];
		warn_id(list[i], id);
		buf_adds(&now, id);
		if (before && strstr(before, id))
			repeated += list[i]->count;
		else if (im->opts->out)
			warn_print_one(im, list[i]);
	}
	if (print && im->overflow && im->opts->out)
		fprintf(im->opts->out, "%s: %ld more warnings of other values\n", im->file, im->overflow);
	if (repeated && im->opts->out)
		fprintf(im->opts->out, "%s: %ld warning%s as at the last import; --warnings all lists them\n", im->file,
		        repeated, repeated == 1 ? "" : "s");
	if (print)
		store_import_warnings_set(im->store, review, now.s ? now.s : "", &e);
	buf_free(&now);
	free(before);
	for (int i = 0; i < WARN_SLOTS; i++) {
		free(im->warn[i].value);
		free(im->warn[i].reading);
	}
	memset(im->warn, 0, WARN_SLOTS * sizeof *im->warn);
	im->nwarn = im->overflow = im->order = 0;
	free(list);
}

/* ---- header --------------------------------------------------------------------------
 *
 * The header is the row, among the first HEADER_SEARCH_ROWS non-blank ones, whose cells
 * name the most fields (ties: the first); the rows are held until it is chosen, then
 * those below it are imported.  Boards put titles above their tables, and templates a
 * row of prompts below. */

/* Nothing but white space (or NULL). */
static int cell_blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

static int cells_blank(const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!cell_blank(cells[i]))
			return 0;
	return 1;
}

static int row_blank(const struct csv_row *row)
{
	return cells_blank(row->cells, row->ncells);
}

static void pending_add(struct importer *im, const struct csv_row *row)
{
	struct pending *p = &im->pend[im->npend++];
	p->cells = xcalloc(row->ncells + 1, sizeof *p->cells);
	for (size_t i = 0; i < row->ncells; i++)
		p->cells[i] = xstrdup(row->cells[i]);
	p->ncells = row->ncells;
	p->line = row->line;
	p->end_line = row->end_line;
}

static void pending_free(struct importer *im)
{
	for (int k = 0; k < im->npend; k++) {
		for (size_t i = 0; i < im->pend[k].ncells; i++)
			free(im->pend[k].cells[i]);
		free(im->pend[k].cells);
	}
	im->npend = im->npend_full = 0;
}

/* A header for messages: visible, one line, at most 40 characters.  Caller frees. */
static char *header_shown(const char *h)
{
	char *t = text_visible(h ? h : "", ' ');
	return text_shorten(str_trim(t), 40);
}

/* "line 6 taken as the header; headers found: "A", "B", ..." into b. */
static void headers_found(struct buf *b, const struct pending *p)
{
	buf_printf(b, "line %ld taken as the header; headers found:", p->line);
	size_t listed = 0;
	for (size_t i = 0; i < p->ncells; i++) {
		if (cell_blank(p->cells[i]))
			continue;
		if (listed++ == HEADERS_LISTED) {
			buf_adds(b, " ...");
			break;
		}
		char *h = header_shown(p->cells[i]);
		buf_printf(b, "%s \"%s\"", listed > 1 ? "," : "", h);
		free(h);
	}
	if (!listed)
		buf_adds(b, " none");
}

/* The --map example a refusal shows: the first unplaced header, quoted for a shell. */
static void map_example(struct buf *b, const struct pending *p, const struct colmap *m, enum col fallback)
{
	for (size_t i = 0; i < p->ncells; i++)
		if (!cell_blank(p->cells[i]) && m->cols[i].how == COLMAP_NONE && !strchr(p->cells[i], '\'')) {
			char *h = header_shown(p->cells[i]);
			enum col to = m->cols[i].hint != COL_UNKNOWN ? m->cols[i].hint : fallback;
			buf_printf(b, ", e.g. --map '%s=%s'", h, colmap_name(to));
			free(h);
			return;
		}
	buf_printf(b, ", e.g. --map '#1=%s'", colmap_name(fallback));
}

static enum status refuse_unplaced(struct importer *im, const struct pending *p, struct err *err)
{
	struct buf b = {0};
	buf_printf(&b, "%s:%ld: most headers name no field ragtrack knows (", im->file, p->line);
	headers_found(&b, p);
	buf_adds(&b, ")");
	const char *sep = ": ";
	for (size_t i = 0; i < p->ncells; i++) {
		if (cell_blank(p->cells[i]) || im->map.cols[i].how != COLMAP_NONE)
			continue;
		char *h = header_shown(p->cells[i]);
		if (im->map.cols[i].hint != COL_UNKNOWN)
			buf_printf(&b, "%s\"%s\": did you mean %s?", sep, h, colmap_name(im->map.cols[i].hint));
		else
			buf_printf(&b, "%s\"%s\": no field of that name", sep, h);
		sep = "; ";
		free(h);
	}
	buf_adds(&b, "; say what each column is with --map 'HEADER=FIELD' (FIELD: a field name, extra or skip)");
	map_example(&b, p, &im->map, COL_ACTION);
	enum status st = err_set(err, ERR_COLUMNS, "%s", b.s);
	buf_free(&b);
	return st;
}

static enum status refuse_no_key(struct importer *im, const struct pending *p, struct err *err)
{
	struct buf b = {0};
	buf_printf(&b, "%s:%ld: no Action or Question column (", im->file, p->line);
	headers_found(&b, p);
	buf_adds(&b, "); name the column that holds the actions or the questions with --map 'HEADER=Action' or 'HEADER=Question'");
	map_example(&b, p, &im->map, COL_ACTION);
	enum status st = err_set(err, ERR_COLUMNS, "%s", b.s);
	buf_free(&b);
	return st;
}

static enum status refuse_no_header(struct importer *im, const struct pending *p, struct err *err)
{
	struct buf b = {0};
	buf_printf(&b, "%s:%ld: no usable columns: no row among the first %d names a column ragtrack knows (",
	           im->file, p->line, HEADER_SEARCH_ROWS);
	headers_found(&b, p);
	buf_printf(&b, "); expected columns such as %s; or say what each column is with --map 'HEADER=FIELD'",
	           colmap_expected());
	enum status st = err_set(err, ERR_COLUMNS, "%s", b.s);
	buf_free(&b);
	return st;
}

/* --strict: a column the classifier could not place (the user's --map 'H=extra' is no guess). */
static enum status strict_columns(struct importer *im, const struct pending *p, struct err *err)
{
	for (size_t i = 0; i < p->ncells; i++) {
		const struct colmap_column *c = &im->map.cols[i];
		if (cell_blank(p->cells[i]) || c->col != COL_EXTRA || c->how == COLMAP_USER)
			continue;
		char *h = header_shown(p->cells[i]);
		enum status st = err_set(err, ERR_COLUMNS,
		                         "%s:%ld: --strict: column %zu \"%s\" would be kept as an extra field%s; say what it is with --map '%s=FIELD' (or '%s=extra')",
		                         im->file, p->line, i + 1, h,
		                         c->how == COLMAP_REPEAT ? " (its field is read from an earlier column)" : "", h, h);
		free(h);
		return st;
	}
	return OK;
}

/* One column's part of the mapping line. */
static void mapping_column(struct buf *b, const struct importer *im, const struct pending *p, size_t i)
{
	const struct colmap_column *c = &im->map.cols[i];
	char *h = header_shown(p->cells[i]);
	buf_printf(b, "\"%s\" -> %s", h, colmap_name(c->col));
	if (c->how == COLMAP_USER)
		buf_adds(b, " (--map)");
	else if (c->how == COLMAP_REPEAT && c->col >= 0)
		buf_printf(b, " (as column %d: their cells must agree)", c->same_as + 1);
	else if (c->how == COLMAP_REPEAT)
		buf_printf(b, " (%s is column %d)", colmap_name(c->read_as), c->same_as + 1);
	else if (c->hint != COL_UNKNOWN)
		buf_printf(b, " (did you mean %s?)", colmap_name(c->hint));
	free(h);
}

/* "plan.csv:6: columns: "Person responsible" -> Lead Person, ..." and what --agency did. */
static void mapping_print(const struct importer *im, const struct pending *p)
{
	FILE *out = im->opts->out;
	if (!out)
		return;
	struct buf b = {0};
	size_t listed = 0, more = 0, more_extra = 0;
	for (size_t i = 0; i < p->ncells; i++) {
		if (cell_blank(p->cells[i]))
			continue;
		if (listed == MAPPING_LISTED) {
			more++;
			more_extra += im->map.cols[i].col == COL_EXTRA;
			continue;
		}
		buf_adds(&b, listed++ ? ", " : "");
		mapping_column(&b, im, p, i);
	}
	if (more)
		buf_printf(&b, ", and %zu more (%zu of them extra fields)", more, more_extra);
	if (im->opts->agency && im->map.at[COL_AGENCY] < 0) {
		char *a = header_shown(im->opts->agency);
		buf_printf(&b, "; every row's agency: \"%s\" (--agency)", a);
		free(a);
	} else if (im->opts->agency) {
		buf_printf(&b, "; --agency not used: the file has an Agency column (column %d)", im->map.at[COL_AGENCY] + 1);
	}
	fprintf(out, "%s:%ld: columns: %s\n", im->file, p->line, b.s ? b.s : "none");
	if (im->map.overrides_unused) {
		char *h = header_shown(im->opts->map[im->map.first_unused].header);
		fprintf(out, "%s:%ld: --map '%s=...' names no column of this file%s\n", im->file, p->line, h,
		        im->map.overrides_unused > 1 ? " (nor do other --map options)" : "");
		free(h);
	}
	if (im->title_rows)
		fprintf(out, "%s:%ld: %ld row%s above the header skipped\n", im->file, p->line,
		        im->title_rows, im->title_rows == 1 ? "" : "s");
	buf_free(&b);
}

static void extras_free(struct importer *im)
{
	for (size_t i = 0; i < im->nextra; i++)
		free(im->extra_name[i]);
	free(im->extra_at);
	free(im->extra_name);
	free(im->extra_seen);
	free(im->extra_names);
	free(im->extra_values);
	free(im->extra_cells);
	im->extra_at = NULL;
	im->extra_name = im->extra_cells = NULL;
	im->extra_seen = NULL;
	im->extra_names = im->extra_values = NULL;
	im->nextra = 0;
}

static const char *unguard(const char *v);

/* The header's extra columns (colmap_is_extra: what the classifier left COL_EXTRA) and
 * their names. */
static void extras_find(struct importer *im)
{
	extras_free(im);
	size_t n = 0;
	for (size_t i = 0; i < im->map.ncols; i++)
		n += colmap_is_extra(&im->map, i);
	if (!n)
		return;
	im->extra_at = xcalloc(n, sizeof *im->extra_at);
	im->extra_name = xcalloc(n, sizeof *im->extra_name);
	im->extra_seen = xcalloc(n, sizeof *im->extra_seen);
	im->extra_names = xcalloc(n, sizeof *im->extra_names);
	im->extra_values = xcalloc(n, sizeof *im->extra_values);
	im->extra_cells = xcalloc(n, sizeof *im->extra_cells);
	for (size_t i = 0; i < im->map.ncols; i++) {
		if (!colmap_is_extra(&im->map, i))
			continue;
		char *name = text_clean(unguard(im->map.cols[i].header), NULL);
		im->extra_at[im->nextra] = i;
		im->extra_name[im->nextra++] = str_empty(name) ? NULL : name;
		if (str_empty(name))
			free(name);
	}
}

/* A header that names no field but is a near miss of one ("Agnecy"). */
static int misspelt(const struct colmap *m)
{
	for (size_t i = 0; i < m->ncols; i++)
		if (m->cols[i].how == COLMAP_NONE && m->cols[i].hint != COL_UNKNOWN)
			return 1;
	return 0;
}

/* Check the chosen header row, then map it.  Most headers naming nothing is refused when
 * it looks like a misspelt or wrong header row (some near misses, or fewer than two
 * fields); a plan with a few fields and more columns of its own keeps those as extras. */
static enum status header_take(struct importer *im, const struct pending *p, struct err *err)
{
	colmap_build(&im->map, (const char *const *)p->cells, p->ncells, im->opts->map, im->opts->nmap);
	if (im->map.unplaced > im->map.placed && (im->map.placed < 2 || misspelt(&im->map)))
		return refuse_unplaced(im, p, err);
	if (im->map.at[COL_ACTION] < 0 && im->map.at[COL_QUESTION] < 0)
		return refuse_no_key(im, p, err);
	enum status st = im->opts->strict ? strict_columns(im, p, err) : OK;
	if (st != OK)
		return st;
	free(im->blank_header);
	im->blank_header = xcalloc(p->ncells + 1, 1);
	free(im->blank_cells);
	free(im->blank_first);
	im->blank_cells = xcalloc(p->ncells + 1, sizeof *im->blank_cells);
	im->blank_first = xcalloc(p->ncells + 1, sizeof *im->blank_first);
	for (size_t i = 0; i < p->ncells; i++)
		im->blank_header[i] = cell_blank(p->cells[i]) && im->map.cols[i].how != COLMAP_USER;
	im->have_header = 1;
	im->header_line = p->line;
	extras_find(im);
	mapping_print(im, p);
	return OK;
}

static enum status data_row(struct importer *im, const struct csv_row *row, struct err *err);

/* Choose the header among the held rows, then import the rows below it. */
static enum status header_decide(struct importer *im, struct err *err)
{
	int best = -1, best_score = 0, first = -1;
	for (int k = 0; k < im->npend; k++) {
		if (cells_blank((const char *const *)im->pend[k].cells, im->pend[k].ncells))
			continue;
		if (first < 0)
			first = k;
		struct colmap m;
		colmap_build(&m, (const char *const *)im->pend[k].cells, im->pend[k].ncells, im->opts->map, im->opts->nmap);
		if (m.placed > best_score) {
			best_score = m.placed;
			best = k;
		}
		colmap_clear(&m);
	}
	enum status st;
	if (first < 0)
		st = OK;                       /* only blank rows: file_finish says "empty" */
	else if (best < 0) {
		struct colmap none = {0};
		im->map = none;
		st = refuse_no_header(im, &im->pend[first], err);
	} else {
		for (int k = 0; k < best; k++)
			im->title_rows += !cells_blank((const char *const *)im->pend[k].cells, im->pend[k].ncells);
		st = header_take(im, &im->pend[best], err);
		for (int k = best + 1; st == OK && k < im->npend; k++) {
			struct csv_row row = { (const char *const *)im->pend[k].cells, im->pend[k].ncells,
			                       im->pend[k].line, im->pend[k].end_line, NULL };
			st = data_row(im, &row, err);
		}
	}
	pending_free(im);
	return st;
}

/* A row while the header is still to be chosen: held (leading blank rows dropped). */
static enum status header_hold(struct importer *im, const struct csv_row *row, struct err *err)
{
	int blank = row_blank(row);
	if (blank && !im->npend)
		return OK;
	pending_add(im, row);
	im->npend_full += !blank;
	if (im->npend_full >= HEADER_SEARCH_ROWS || im->npend == (int)(sizeof im->pend / sizeof im->pend[0]))
		return header_decide(im, err);
	return OK;
}

/* ---- rows ---------------------------------------------------------------------------- */

static char *clean(struct importer *im, const char *raw, long line);

/* A cell's text.  A leading apostrophe before = + - @ is the guard spreadsheet exports
 * (ragtrack export --excel among them) put against formulas: it is not data. */
static const char *unguard(const char *v)
{
	return v[0] == '\'' && v[1] && strchr("=+-@", v[1]) ? v + 1 : v;
}

static const char *cell_at(const struct csv_row *row, int at)
{
	return unguard(at >= 0 && (size_t)at < row->ncells ? row->cells[at] : "");
}

static const char *cell(const struct importer *im, const struct csv_row *row, enum col c)
{
	return cell_at(row, im->map.at[c]);
}

static int has(const struct importer *im, enum col c)
{
	return im->map.at[c] >= 0;
}

/* A column's cleaned cell, or NULL when the file has no such column: an import then
 * leaves that field of existing actions as it is.  A cell cleaning leaves as it is (most
 * of them) is taken from the reader rather than copied: each cell is copied once. */
static char *field(struct importer *im, const struct csv_row *row, enum col c)
{
	if (!has(im, c))
		return NULL;
	int at = im->map.at[c];
	const char *v = cell(im, row, c);
	if (row->own && (size_t)at < row->ncells && row->own[at] == v && text_is_clean(v)) {
		row->own[at] = NULL;
		return (char *)row->cells[at];
	}
	return clean(im, v, row->line);
}

static char *clean(struct importer *im, const char *raw, long line)
{
	int changed = 0;
	char *t = text_clean(raw, &changed);
	if (changed)
		warn_note(im, W_CLEANED, "", "", line);
	return t;
}

/* Agency names: cleaned, inner white space folded to single spaces. */
static char *clean_name(struct importer *im, const char *raw, long line)
{
	char *t = clean(im, raw, line);
	char *o = t;
	for (char *p = t; *p; p++) {
		int space = *p == ' ' || *p == '\n' || *p == '\t';
		if (space && (o == t || o[-1] == ' '))
			continue;
		*o++ = space ? ' ' : *p;
	}
	*o = '\0';
	return str_trim(t);
}

/* Fill-down: a blank cell means "same as above"; a new value resets the levels below. */
static void fill(char **slot, char *fresh, int *changed)
{
	if (str_empty(fresh)) {
		free(fresh);
		return;
	}
	*changed = !str_eq(*slot, fresh);
	free(*slot);
	*slot = fresh;
}

static void reset(char **slot)
{
	free(*slot);
	*slot = NULL;
}

static void review_seen(struct importer *im, const char *review)
{
	for (size_t i = 0; i < im->nfile_reviews; i++)
		if (str_eq(im->file_reviews[i], review))
			return;
	im->file_reviews = xrealloc(im->file_reviews, (im->nfile_reviews + 1) * sizeof *im->file_reviews);
	im->file_reviews[im->nfile_reviews++] = xstrdup(review);
}

/* A Ref column's cell ("1", "Rec 2.", "3a)"): the reference, cleaned. */
static char *ref_cell(struct importer *im, const struct csv_row *row)
{
	char *t = str_trim(clean(im, cell(im, row, COL_REF), row->line));
	char *ref = ref_parse(t, NULL);
	if (str_empty(ref)) {
		free(ref);
		size_t n = strlen(t);
		while (n && strchr(".:)", t[n - 1]))
			t[--n] = '\0';
		return t;
	}
	free(t);
	return ref;
}

/* A question's text with its reference from a Ref column in front ("1 The LSCB should
 * ..."), as the plans that number questions in their text write it: the reference then
 * travels with the text through export, which has no Ref column, and back.  Said once
 * per file.  Text that already starts with it, or a reference the text could not carry
 * ("R1"), is left as it is; a blank text is the reference alone.  Takes text. */
static char *ref_into_text(struct importer *im, const char *ref, char *text)
{
	char *lead = ref_parse(text, NULL);
	int has_ref = str_eq(lead, ref);
	free(lead);
	if (has_ref)
		return text;
	char *joined = str_empty(text) ? xstrdup(ref) : xasprintf("%s %s", ref, text);
	char *back = ref_parse(joined, NULL);
	int carries = str_eq(back, ref);
	free(back);
	if (!carries) {
		free(joined);
		if (str_empty(text)) {
			free(text);
			return NULL;
		}
		return text;
	}
	free(text);
	im->refs_joined++;
	return joined;
}

/* The question: its text fills down; a new reference in a Ref column is a new question
 * even when its text cell is blank. */
static void fill_question(struct importer *im, const struct csv_row *row)
{
	int changed = 0;
	char *text = clean(im, cell(im, row, COL_QUESTION), row->line);
	char *ref = has(im, COL_REF) ? ref_cell(im, row) : NULL;
	if (!str_empty(ref) && !str_eq(ref, im->question_ref)) {
		free(im->question);
		im->question = ref_into_text(im, ref, text);
		free(im->question_ref);
		im->question_ref = ref;
		reset(&im->agency);
		return;
	}
	free(ref);
	fill(&im->question, text, &changed);
	if (changed) {
		reset(&im->agency);
		free(im->question_ref);
		im->question_ref = ref_parse(im->question, NULL);
	}
	if (!im->question && !has(im, COL_REF)) {
		free(im->question_ref);
		im->question_ref = NULL;
	}
}

static void fill_down(struct importer *im, const struct csv_row *row)
{
	int changed = 0;
	char *review = im->map.at[COL_REVIEW] >= 0 ? clean_name(im, cell(im, row, COL_REVIEW), row->line) : NULL;
	if (str_empty(review) && !im->review) {
		free(review);
		review = xstrdup(!str_empty(im->file_review) ? im->file_review
		                 : !str_empty(im->opts->review) ? im->opts->review : im->default_review);
	}
	fill(&im->review, review, &changed);
	if (changed) {
		reset(&im->finding);
		reset(&im->question);
		reset(&im->question_ref);
		reset(&im->agency);
		review_seen(im, im->review);
	}
	changed = 0;
	fill(&im->finding, clean(im, cell(im, row, COL_FINDING), row->line), &changed);
	if (changed) {
		reset(&im->question);
		reset(&im->question_ref);
		reset(&im->agency);
		free(im->finding_ref);
		im->finding_ref = ref_parse(im->finding, NULL);
	}
	fill_question(im, row);
	changed = 0;
	fill(&im->agency, clean_name(im, cell(im, row, COL_AGENCY), row->line), &changed);
}

/* A plan's own RAG word (--rag-map, then the words remembered for the row's review). */
static int rag_own_word(struct importer *im, const char *raw, enum rag *out)
{
	if ((!im->opts->nrag_words && !im->nremembered) || cell_blank(raw))
		return 0;
	char *key = rag_word_key(raw);
	int found = 0;
	for (size_t i = 0; i < im->opts->nrag_words && !found; i++)
		if (strcmp(key, im->opts->rag_words[i].word) == 0) {
			*out = im->opts->rag_words[i].rag;
			found = 1;
		}
	for (size_t i = 0; i < im->nremembered && !found; i++)
		if (str_eq(im->remembered[i].review, im->review) && strcmp(key, im->remembered[i].word) == 0) {
			*out = im->remembered[i].rag;
			found = 1;
			im->remembered_used++;
		}
	free(key);
	return found;
}

static void read_rag(struct importer *im, struct action *a, const char *raw, long line)
{
	enum guess how;
	enum rag_note note;
	a->rag_raw = str_trim(xstrdup(raw));
	if (rag_own_word(im, a->rag_raw, &a->rag))
		return;
	a->rag = rag_parse_note(a->rag_raw, &how, &note);
	if (note == RAG_NOTE_PROGRESS)
		warn_note(im, W_RAG_PROGRESS, a->rag_raw, "", line);
	else if (note == RAG_NOTE_LEGEND)
		warn_note(im, W_RAG_LEGEND, a->rag_raw, "", line);
	else if (note == RAG_NOTE_DONE_TEXT)
		warn_note(im, W_RAG_DONE, a->rag_raw, rag_name(a->rag), line);
	else if (how == GUESS_INFERRED)
		warn_note(im, W_RAG_INFERRED, a->rag_raw, rag_name(a->rag), line);
	else if (how == GUESS_UNKNOWN)
		warn_note(im, W_RAG_UNKNOWN, a->rag_raw, "", line);
}

/* Cells that say "nothing here" rather than a date: no warning for them. */
static int placeholder(const char *t)
{
	return strcmp(t, "0") == 0 || strcmp(t, "-") == 0 || strcasecmp(t, "n/a") == 0;
}

/* The warning a target cell's reading calls for, if any. */
static void target_warn(struct importer *im, const char *t, const struct date_cell *dc, long line)
{
	char reading[96];
	switch (dc->note) {
	case DATE_NOTE_AFTER_WORDS:
		warn_note(im, W_DATE_AFTER, t, dc->iso, line);
		break;
	case DATE_NOTE_SEVERAL:
		snprintf(reading, sizeof reading, "%d dates: the latest, %s, is the target", dc->ndates, dc->iso);
		warn_note(im, W_DATE_SEVERAL, t, reading, line);
		break;
	case DATE_NOTE_NOT_REAL:
		warn_note(im, W_DATE_NOT_REAL, t, dc->bad, line);
		break;
	case DATE_NOTE_STATUS:
		warn_note(im, W_DATE_STATUS, t, "", line);
		break;
	case DATE_NOTE_ONGOING:
		warn_note(im, W_DATE_ONGOING, t, "", line);
		break;
	default:
		if (dc->how == GUESS_INFERRED)
			warn_note(im, W_DATE_INFERRED, t, dc->iso, line);
		else if (dc->how == GUESS_UNKNOWN && !placeholder(t))
			warn_note(im, W_DATE_TEXT, t, "", line);
	}
}

/* Join a cell's text to the evidence, on a line of its own. */
static void evidence_join(struct action *a, const char *t)
{
	if (str_empty(t))
		return;
	char *ev = str_empty(a->evidence) ? xstrdup(t) : xasprintf("%s\n%s", a->evidence, t);
	free(a->evidence);
	a->evidence = ev;
}

/* A target cell: the whole cell read (date_read_cell), its text kept as written. */
static void read_target(struct importer *im, struct action *a, const char *raw, long line)
{
	char *t = clean(im, raw, line);
	struct date_cell dc;
	date_read_cell(t, &dc);
	if (str_empty(t))
		dc.how = GUESS_EXACT;
	if (*dc.iso)
		a->target_date = xstrdup(dc.iso);
	a->target_raw = t;
	if (!str_empty(t))
		target_warn(im, t, &dc, line);
}

/* The combined "Target Date/Evidence" cell: its leading date is the target and its whole
 * text joins the evidence (unless it is only the date).  When a Target Date column has
 * already given the target, the whole cell joins the evidence. */
static void read_target_evidence(struct importer *im, struct action *a, const char *raw, long line)
{
	char *t = clean(im, raw, line);
	if (has(im, COL_TARGET) && !str_empty(a->target_raw)) {
		evidence_join(a, t);
		free(t);
		return;
	}
	free(a->target_raw);
	free(a->target_date);
	a->target_raw = a->target_date = NULL;
	char iso[11] = "";
	size_t used = 0;
	enum guess how = str_empty(t) ? GUESS_EXACT : date_parse(t, iso, &used);
	if (*iso)
		a->target_date = xstrdup(iso);
	a->target_raw = *iso ? xstrndup(t, used) : xstrdup("");
	if (!(*iso && t[used] == '\0'))
		evidence_join(a, t);
	if (how == GUESS_INFERRED)
		warn_note(im, W_DATE_INFERRED, a->target_raw, iso, line);
	free(t);
}

/* "Column 7" for a column with no header. */
static char *unnamed(size_t at)
{
	return xasprintf("Column %zu", at + 1);
}

/* The row's extra fields: every extra column's cell, cleaned; a column with no header
 * only when its cell is not empty (spreadsheets end rows with empty columns). */
static void build_extras(struct importer *im, const struct csv_row *row, struct action *a)
{
	size_t n = 0;
	for (size_t i = 0; i < im->nextra; i++) {
		char *v = clean(im, cell_at(row, (int)im->extra_at[i]), row->line);
		if (!im->extra_name[i] && str_empty(v)) {
			free(v);
			continue;
		}
		if (!im->extra_name[i]) {
			im->extra_seen[i] = 1;
			im->extra_name[i] = unnamed(im->extra_at[i]);
		}
		im->extra_names[n] = im->extra_name[i];
		im->extra_values[n] = im->extra_cells[n] = v;
		n++;
	}
	action_set_extras(a, n, im->extra_names, im->extra_values);
	for (size_t i = 0; i < n; i++)
		free(im->extra_cells[i]);
}

static void build_action(struct importer *im, const struct csv_row *row, struct action *a)
{
	long line = row->line;
	a->id = has(im, COL_ID) ? atoll(cell(im, row, COL_ID)) : 0;   /* a hint: see store_import_row */
	a->review = xstrdup(im->review);
	a->board = has(im, COL_BOARD) ? clean_name(im, cell(im, row, COL_BOARD), line) : NULL;
	a->finding = xstrdup(im->finding);
	a->finding_ref = xstrdup(im->finding_ref);
	a->question = xstrdup(im->question);
	a->question_ref = xstrdup(im->question_ref);
	a->agency = !has(im, COL_AGENCY) && !str_empty(im->opts->agency) ? xstrdup(im->opts->agency) : xstrdup(im->agency);
	for (int i = 0; i < FLD_COUNT; i++)      /* the fields read from their cells as text */
		if (FIELDS[i].flags & FF_CELL)
			*field_slot(&FIELDS[i], a) = field(im, row, FIELDS[i].col);
	if (has(im, COL_RAG))
		read_rag(im, a, cell(im, row, COL_RAG), line);
	if (has(im, COL_TARGET))
		read_target(im, a, cell(im, row, COL_TARGET), line);
	if (has(im, COL_TARGET_EVIDENCE))
		read_target_evidence(im, a, cell(im, row, COL_TARGET_EVIDENCE), line);
	if (im->nextra)
		build_extras(im, row, a);
}

/* Cells past the header's width must be empty: anything else would be lost. */
static enum status check_width(const struct importer *im, const struct csv_row *row, struct err *err)
{
	for (size_t i = im->map.ncols; i < row->ncells; i++)
		if (!cell_blank(row->cells[i]))
			return err_set(err, ERR_PARSE, "%s:%ld: %zu cells, but the header has %zu (is a comma missing its quotes?)",
			               im->file, row->line, row->ncells, im->map.ncols);
	return OK;
}

/* Two cells of one field say the same: equal but for case and white space at the edges. */
static int cells_agree(const char *a, const char *b)
{
	while (*a == ' ' || *a == '\n' || *a == '\t')
		a++;
	while (*b == ' ' || *b == '\n' || *b == '\t')
		b++;
	size_t na = strlen(a), nb = strlen(b);
	while (na && strchr(" \n\t\r", a[na - 1]))
		na--;
	while (nb && strchr(" \n\t\r", b[nb - 1]))
		nb--;
	return na == nb && strncasecmp(a, b, na) == 0;
}

/* A one-value field named by two columns: the repeat may be blank or the same, never
 * different (which would be a guess, and a loss). */
static enum status repeats_agree(const struct importer *im, const struct csv_row *row, struct err *err)
{
	for (size_t i = 0; i < im->map.ncols && i < row->ncells; i++) {
		const struct colmap_column *c = &im->map.cols[i];
		if (c->how != COLMAP_REPEAT || c->col < 0 || cell_blank(row->cells[i]))
			continue;
		size_t first = (size_t)c->same_as;
		const char *a = first < row->ncells ? row->cells[first] : "";
		if (cells_agree(a, row->cells[i]))
			continue;
		char *va = header_shown(a), *vb = header_shown(row->cells[i]);
		enum status st = err_set(err, ERR_COLUMNS,
		                         "%s:%ld: columns %zu and %zu both give the %s (header on line %ld) and differ on this row (\"%s\" / \"%s\"); "
		                         "say which is the %s with --map, e.g. --map '#%zu=extra'",
		                         im->file, row->line, first + 1, i + 1, colmap_name(c->col), im->header_line, va, vb,
		                         colmap_name(c->col), i + 1);
		free(va);
		free(vb);
		return st;
	}
	return OK;
}

/* Cells under a blank header: counted and said at the end (they are an extra field). */
static enum status blank_header_cells(struct importer *im, const struct csv_row *row, struct err *err)
{
	for (size_t i = 0; i < im->map.ncols && i < row->ncells; i++) {
		if (!im->blank_header[i] || cell_blank(row->cells[i]))
			continue;
		if (im->opts->strict)
			return err_set(err, ERR_COLUMNS, "%s:%ld: --strict: column %zu has no header (line %ld) but holds text; "
			               "give it a header or say what it is with --map '#%zu=FIELD'",
			               im->file, row->line, i + 1, im->header_line, i + 1);
		if (!im->blank_cells[i]++)
			im->blank_first[i] = row->line;
	}
	return OK;
}

/* --strict: a row in doubt refuses the files. */
static enum status refused(struct importer *im, struct err *err)
{
	return err_set(err, ERR_INVALID, "%s; --strict refuses a row whose match is in doubt: give it its ID"
	               " (ragtrack export writes them) or check its text", im->refusal);
}

/* Hand one action to the store (which takes its strings). */
static enum status row_store(struct importer *im, struct action *a, long line, struct err *err)
{
	enum status st = store_import_row(im->store, a, line, err);
	if (st != OK) {
		char inner[sizeof err->msg];
		memcpy(inner, err->msg, sizeof inner);
		err_set(err, st, "%s:%ld: %s", im->file, line, inner);
	} else if (im->refusal) {
		st = refused(im, err);
	}
	return st;
}

/* ---- what matching says ---------------------------------------------------------------- */

/* An action's first words for a one-line message: about 40 bytes, cut at a space. */
static char *first_words(const char *text)
{
	char *t = text_visible(text ? text : "", ' ');
	size_t n = strlen(t);
	if (n > 44) {
		size_t cut = 40;
		while (cut > 20 && t[cut] != ' ')
			cut--;
		strcpy(t + text_cut_bytes(t, cut), "...");
	}
	return t;
}

static void on_event(const struct import_event *ev, void *ctx)
{
	struct importer *im = ctx;
	struct buf *b = &im->said;
	long at = b->len;
	switch (ev->kind) {
	case IMPORT_EDITED:
		buf_printf(b, "%s:%ld: text edited; matched to #%lld (%d%% alike)\n", im->file, ev->line, (long long)ev->id,
		           ev->alike);
		break;
	case IMPORT_AMBIGUOUS:
		buf_printf(b, "%s:%ld: could be #%lld or #%lld (%d%% alike each); matched to #%lld, the first in order\n",
		           im->file, ev->line, (long long)ev->id, (long long)ev->other, ev->alike, (long long)ev->id);
		break;
	case IMPORT_TOO_DIFFERENT:
		buf_printf(b, "%s:%ld: new action: its text is %d%% like #%lld's, under the %d%% that makes it the same action\n",
		           im->file, ev->line, ev->alike, (long long)ev->id, IMPORT_MATCH_ALIKE);
		break;
	case IMPORT_TOO_MANY:
		buf_printf(b, "%s:%ld: new action: too many changed rows in its group to compare their texts\n", im->file,
		           ev->line);
		break;
	case IMPORT_REINSTATED:
		buf_printf(b, "%s:%ld: #%lld was withdrawn; it is in this file again, so it is no longer withdrawn\n", im->file,
		           ev->line, (long long)ev->id);
		break;
	case IMPORT_MISSING: {
		char *words = first_words(ev->text);
		buf_printf(b, "not in %s: #%lld %s%s\n", im->nfiles > 1 ? "these files" : "this file", (long long)ev->id, words,
		           im->opts->withdraw_missing ? " (withdrawn)" : "");
		free(words);
		break;
	}
	case IMPORT_WITHDRAWN:
		break;
	}
	int doubt = ev->kind == IMPORT_AMBIGUOUS || ev->kind == IMPORT_TOO_DIFFERENT || ev->kind == IMPORT_TOO_MANY;
	if (doubt && im->opts->strict && !im->refusal)
		im->refusal = xstrndup(b->s + at, b->len - at - 1);
}

/* Print what matching said so far. */
static void said_flush(struct importer *im)
{
	if (im->said.len && im->opts->out)
		fputs(im->said.s, im->opts->out);
	buf_reset(&im->said);
}

/* ---- reading in a second thread ------------------------------------------------------
 *
 * Reading, cleaning and normalising a row costs about what storing it does, so for each
 * file a thread reads rows into a bounded queue while this one stores them.  The reader
 * owns the importer's file state (header, fill-down, warnings, row counts); the store is
 * only ever used from this thread, and file_finish runs after the reader has ended. */

struct row_item {
	struct action a;
	long line;
};

struct row_queue {
	pthread_mutex_t mu;
	pthread_cond_t can_put, can_take;
	struct row_item ring[QUEUE_ROWS];
	size_t head, count;
	struct action back[QUEUE_ROWS];   /* stored rows, freed by the reader that allocated them */
	size_t nback;
	int done;                 /* the reader has ended */
	int stop;                 /* storing failed: the reader gives up at its next row */
};

static enum status queue_put(struct row_queue *q, struct action *a, long line, struct err *err)
{
	struct action freed[QUEUE_BATCH];
	size_t nfreed = 0;
	pthread_mutex_lock(&q->mu);
	while (q->count == QUEUE_ROWS && !q->stop)
		pthread_cond_wait(&q->can_put, &q->mu);
	int stop = q->stop;
	if (!stop) {
		q->ring[(q->head + q->count++) % QUEUE_ROWS] = (struct row_item){ *a, line };
		if (q->count == QUEUE_BATCH)
			pthread_cond_signal(&q->can_take);
	}
	if (q->nback >= QUEUE_BATCH) {   /* free here: freeing in the other thread contends for malloc's locks */
		nfreed = QUEUE_BATCH;
		q->nback -= nfreed;
		memcpy(freed, q->back + q->nback, sizeof freed);
	}
	pthread_mutex_unlock(&q->mu);
	for (size_t i = 0; i < nfreed; i++)
		action_clear(&freed[i]);
	if (stop) {
		action_clear(a);
		return err_set(err, ERR_DB, "stopped");     /* the store's own error is reported */
	}
	return OK;
}

/* Store what the reader queues until it ends; after a failure, only drain. */
static enum status queue_drain(struct importer *im, struct row_queue *q, struct err *err)
{
	enum status st = OK;
	struct row_item batch[QUEUE_BATCH];
	for (;;) {
		pthread_mutex_lock(&q->mu);
		while (q->count < QUEUE_BATCH && !q->done)
			pthread_cond_wait(&q->can_take, &q->mu);
		size_t n = q->count < QUEUE_BATCH ? q->count : QUEUE_BATCH;
		for (size_t i = 0; i < n; i++)
			batch[i] = q->ring[(q->head + i) % QUEUE_ROWS];
		q->head = (q->head + n) % QUEUE_ROWS;
		q->count -= n;
		int ended = q->done && !n;
		if (q->count <= QUEUE_ROWS - QUEUE_BATCH)
			pthread_cond_signal(&q->can_put);
		pthread_mutex_unlock(&q->mu);
		if (ended)
			return st;
		for (size_t i = 0; i < n && st == OK; i++)
			st = row_store(im, &batch[i].a, batch[i].line, err);
		pthread_mutex_lock(&q->mu);
		size_t back = 0;
		for (; back < n && q->nback < QUEUE_ROWS; back++)
			q->back[q->nback++] = batch[back].a;
		if (st != OK) {
			q->stop = 1;
			pthread_cond_signal(&q->can_put);
		}
		pthread_mutex_unlock(&q->mu);
		for (size_t i = back; i < n; i++)
			action_clear(&batch[i].a);
	}
}

static enum status data_row(struct importer *im, const struct csv_row *row, struct err *err)
{
	if (row_blank(row)) {
		im->sum->blank_rows++;
		return OK;
	}
	enum status st = check_width(im, row, err);
	if (st == OK)
		st = repeats_agree(im, row, err);
	if (st == OK)
		st = blank_header_cells(im, row, err);
	if (st != OK)
		return st;
	im->sum->rows++;
	fill_down(im, row);
	struct action a;
	action_init(&a);
	build_action(im, row, &a);
	if (im->strict_msg) {
		action_clear(&a);
		return err_set(err, ERR_INVALID, "%s", im->strict_msg);
	}
	if (im->queue)
		return queue_put(im->queue, &a, row->line, err);
	st = row_store(im, &a, row->line, err);
	action_clear(&a);
	return st;
}

static enum status on_row(const struct csv_row *row, void *ctx, struct err *err)
{
	struct importer *im = ctx;
	return im->have_header ? data_row(im, row, err) : header_hold(im, row, err);
}

/* ---- files ----------------------------------------------------------------------------- */

/* The file's name without folder or extension, cleaned like any text cell. */
static char *review_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	char *name = xstrdup(base);
	char *dot = strrchr(name, '.');
	if (dot && dot != name)
		*dot = '\0';
	char *clean_name = text_clean(name, NULL);
	free(name);
	return clean_name;
}

static void importer_reset_file(struct importer *im, const char *file)
{
	free(im->file);
	im->file = text_visible(file, ' ');     /* names appear in every message */
	free(im->default_review);
	im->default_review = review_from_path(file);
	extras_free(im);
	im->have_header = 0;
	im->header_line = 0;
	im->title_rows = 0;
	pending_free(im);
	colmap_clear(&im->map);
	free(im->blank_header);
	free(im->blank_cells);
	free(im->blank_first);
	im->blank_header = NULL;
	im->blank_cells = im->blank_first = NULL;
	free(im->strict_msg);
	im->strict_msg = NULL;
	im->remembered_used = im->refs_joined = 0;
	for (size_t i = 0; i < im->nfile_reviews; i++)
		free(im->file_reviews[i]);
	free(im->file_reviews);
	im->file_reviews = NULL;
	im->nfile_reviews = 0;
	char **slots[] = { &im->review, &im->finding, &im->finding_ref, &im->question, &im->question_ref, &im->agency };
	for (size_t i = 0; i < sizeof slots / sizeof *slots; i++)
		reset(slots[i]);
}

/* --rag-map: remember the words for every review the file's rows named, and say so. */
static enum status rag_words_remember(struct importer *im, struct err *err)
{
	const struct import_opts *o = im->opts;
	if (!o->nrag_words || !has(im, COL_RAG))
		return OK;
	struct buf words = {0};
	for (size_t i = 0; i < o->nrag_words; i++)
		buf_printf(&words, "%s%s=%s", i ? ", " : "", o->rag_words[i].word,
		           o->rag_words[i].rag ? rag_name(o->rag_words[i].rag) : "unset");
	enum status st = OK;
	for (size_t r = 0; st == OK && r < im->nfile_reviews; r++) {
		for (size_t i = 0; st == OK && i < o->nrag_words; i++)
			st = store_rag_word_save(im->store, im->file_reviews[r], o->rag_words[i].word, o->rag_words[i].rag, err);
		if (st == OK && o->out) {
			char *name = text_visible(im->file_reviews[r], ' ');
			fprintf(o->out, "%s: RAG words %s remembered for review \"%s\"\n", im->file, words.s, name);
			free(name);
		}
	}
	buf_free(&words);
	return st;
}

static void file_notes(const struct importer *im, const struct csvread_info *info)
{
	FILE *out = im->opts->out;
	if (!out)
		return;
	if (info->cp1252)
		fprintf(out, "%s:%ld: not UTF-8 and no UTF-8 byte-order mark: read as Windows-1252 and converted\n",
		        im->file, info->cp1252_line ? info->cp1252_line : 1);
	if (info->nul_line)
		fprintf(out, "%s:%ld: NUL bytes removed\n", im->file, info->nul_line);
	for (size_t i = 0; im->blank_cells && i < im->map.ncols; i++)   /* the extra field's name is "Column N" */
		if (im->blank_cells[i])
			fprintf(out, "%s:%ld: column %zu has no header; its cells are kept as the extra field \"Column %zu\" (%ld cell%s, from line %ld)\n",
			        im->file, im->header_line, i + 1, i + 1, im->blank_cells[i], im->blank_cells[i] == 1 ? "" : "s",
			        im->blank_first[i]);
	if (im->refs_joined)
		fprintf(out, "%s:%ld: %ld question%s begin with the reference from the Ref column (column %d), so that an export keeps it\n",
		        im->file, im->header_line, im->refs_joined, im->refs_joined == 1 ? "" : "s", im->map.at[COL_REF] + 1);
	if (im->remembered_used)
		fprintf(out, "%s: %ld RAG cell%s read with the RAG words remembered for the review (--rag-map)\n",
		        im->file, im->remembered_used, im->remembered_used == 1 ? "" : "s");
}

static enum status file_finish(struct importer *im, const struct csvread_info *info, struct err *err)
{
	if (!im->have_header)
		return err_set(err, ERR_PARSE, "%s:1: empty file (no header row)", im->file);
	file_notes(im, info);
	warn_flush(im, 1);
	said_flush(im);
	im->sum->files++;
	enum status st = rag_words_remember(im, err);
	return st == OK ? store_review_describe(im->store, im->review, NULL, NULL, im->opts->as_at, im->file, err) : st;
}

typedef enum status (*read_fn)(struct importer *im, const void *arg, struct csvread_info *info, struct err *err);

struct reader {
	struct importer *im;
	struct row_queue *q;
	read_fn rd;
	const void *arg;
	struct csvread_info *info;
	struct err err;
	enum status st;
};

static void *reader_main(void *p)
{
	struct reader *r = p;
	r->st = r->rd(r->im, r->arg, r->info, &r->err);
	pthread_mutex_lock(&r->q->mu);
	r->q->done = 1;
	pthread_cond_signal(&r->q->can_take);
	pthread_mutex_unlock(&r->q->mu);
	return NULL;
}

/* One file, read by a second thread while this one stores its rows; in this thread when
 * the second core is busy (a first import's search index), with RAGTRACK_THREADS=1, or
 * when a thread cannot start. */
static enum status read_file(struct importer *im, read_fn rd, const void *arg, struct csvread_info *info,
                             struct err *err)
{
	if (!store_import_spare_core(im->store))
		return rd(im, arg, info, err);
	struct row_queue *q = xcalloc(1, sizeof *q);
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->can_put, NULL);
	pthread_cond_init(&q->can_take, NULL);
	struct reader r = { .im = im, .q = q, .rd = rd, .arg = arg, .info = info };
	pthread_t thread;
	enum status st;
	im->queue = q;
	if (pthread_create(&thread, NULL, reader_main, &r) != 0) {
		im->queue = NULL;
		st = rd(im, arg, info, err);
	} else {
		st = queue_drain(im, q, err);
		pthread_join(thread, NULL);
		im->queue = NULL;
		if (st == OK && r.st != OK) {          /* the reader's own error: a bad file */
			st = r.st;
			*err = r.err;
		}
	}
	for (size_t i = 0; i < q->nback; i++)
		action_clear(&q->back[i]);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->can_put);
	pthread_cond_destroy(&q->can_take);
	free(q);
	return st;
}

static enum status read_path(struct importer *im, const void *arg, struct csvread_info *info, struct err *err)
{
	enum status st = csvread_file((const char *)arg, on_row, im, info, err);
	if (st == OK && !im->have_header)
		st = header_decide(im, err);
	if (st != OK && err) {        /* csvread names the file as given: show it safely */
		char *shown = text_visible(err->msg, ' ');
		err_set(err, st, "%s", shown);
		free(shown);
	}
	return st;
}

struct mem { const char *data; size_t len; };

static enum status read_mem(struct importer *im, const void *arg, struct csvread_info *info, struct err *err)
{
	const struct mem *m = arg;
	enum status st = csvread_buffer(im->file, m->data, m->len, on_row, im, info, err);
	return st == OK && !im->have_header ? header_decide(im, err) : st;
}

static void summary_print(const struct importer *im, int dry_run)
{
	const struct import_summary *s = im->sum;
	if (!im->opts->out)
		return;
	char missing[96] = "";
	if (s->missing)
		snprintf(missing, sizeof missing, ", %ld not in the file%s%s", s->missing, im->nfiles > 1 ? "s" : "",
		         s->withdrawn ? " (withdrawn)" : "");
	fprintf(im->opts->out,
	        "%s%ld file%s, %ld row%s: %ld review%s, %ld question%s, %ld agenc%s; actions %ld added, %ld updated, %ld unchanged%s; %ld warning%s\n",
	        dry_run ? "dry run, nothing written: " : "", s->files, s->files == 1 ? "" : "s", s->rows, s->rows == 1 ? "" : "s",
	        s->reviews, s->reviews == 1 ? "" : "s", s->questions, s->questions == 1 ? "" : "s", s->agencies,
	        s->agencies == 1 ? "y" : "ies", s->added, s->updated, s->unchanged, missing, s->warnings,
	        s->warnings == 1 ? "" : "s");
}

/* ---- a dry run's list of changes ------------------------------------------------------- */

struct change_list {
	FILE *out;
	int64_t action;           /* of the line being written, 0 = none */
	const struct importer *im;
};

/* One value for the list: one line, cut to about 40 bytes. */
static char *list_value(const char *v, const char *none)
{
	if (str_empty(v))
		return xstrdup(none);
	char *w = first_words(v);
	char *q = xasprintf("\"%s\"", w);
	free(w);
	return q;
}

static int change_listed(const struct change *c, void *ctx)
{
	struct change_list *l = ctx;
	if (strcmp(c->field, "added") == 0) {
		if (l->action)
			fputc('\n', l->out);
		l->action = 0;
		char *t = list_value(c->new_value, "(no text)");
		const char *where = c->reason ? c->reason : "";
		const char *colon = strrchr(where, ':');
		if (l->im->nfiles == 1 && colon)
			fprintf(l->out, "new: line %s %s (#%lld)\n", colon + 1, t, (long long)c->action_id);
		else
			fprintf(l->out, "new: %s %s (#%lld)\n", where, t, (long long)c->action_id);
		free(t);
		return 0;
	}
	if (c->action_id != l->action) {
		if (l->action)
			fputc('\n', l->out);
		fprintf(l->out, "#%lld ", (long long)c->action_id);
		l->action = c->action_id;
	} else {
		fputs("; ", l->out);
	}
	int shortish = strcmp(c->field, "rag") == 0 || strcmp(c->field, "target") == 0 || strcmp(c->field, "lead") == 0 ||
	               strcmp(c->field, "withdrawn") == 0 || strcmp(c->field, "action") == 0;
	if (shortish) {
		const char *none = strcmp(c->field, "rag") == 0 ? "unset" : "(none)";
		char *o = strcmp(c->field, "action") == 0 ? list_value(c->old_value, none) : text_visible(str_empty(c->old_value) ? none : c->old_value, ' ');
		char *n = strcmp(c->field, "action") == 0 ? list_value(c->new_value, none) : text_visible(str_empty(c->new_value) ? none : c->new_value, ' ');
		fprintf(l->out, "%s %s -> %s", c->field, o, n);
		if (!str_empty(c->reason)) {
			char *r = text_visible(c->reason, ' ');
			fprintf(l->out, " (\"%s\")", r);
			free(r);
		}
		free(o);
		free(n);
	} else {
		fprintf(l->out, "%s %s", c->field, str_empty(c->old_value) ? "set" : str_empty(c->new_value) ? "cleared" : "changed");
	}
	return 0;
}

/* What the run would write, per action, before it is rolled back. */
static enum status changes_print(struct importer *im, struct err *err)
{
	if (!im->opts->out)
		return OK;
	struct change_list l = { im->opts->out, 0, im };
	enum status st = store_import_changes(im->store, change_listed, &l, err);
	if (l.action)
		fputc('\n', l.out);
	return st;
}

static enum status import_run(struct store *s, int n, const char *const *names, const char *const *reviews,
                              const void *const *args, read_fn rd,
                              const struct import_opts *o, struct import_summary *sum, struct err *err)
{
	static const struct import_opts quiet = {0};
	if (!o)
		o = &quiet;
	struct import_summary local = {0};
	struct importer im = { .store = s, .opts = o, .sum = sum ? sum : &local, .nfiles = n };
	memset(im.sum, 0, sizeof *im.sum);
	im.warn = xcalloc(WARN_SLOTS, sizeof *im.warn);
	char at[32] = "";
	if (!str_empty(o->as_at))
		snprintf(at, sizeof at, "%sT00:00:00Z", o->as_at);
	struct store_import_opts so = { .withdraw_missing = o->withdraw_missing, .at = at[0] ? at : NULL,
	                                .on_event = on_event, .ctx = &im };
	enum status st = store_import_begin(s, err);
	if (st == OK)
		store_import_configure(s, &so);
	if (st == OK)
		st = store_rag_words(s, &im.remembered, &im.nremembered, err);
	for (int i = 0; st == OK && i < n; i++) {
		struct csvread_info info;
		importer_reset_file(&im, names[i]);
		store_import_file(s, im.file);
		im.file_review = reviews ? reviews[i] : NULL;
		st = read_file(&im, rd, args[i], &info, err);
		if (st == OK)
			st = store_import_flush(s, err);
		if (st == OK && im.refusal)
			st = refused(&im, err);
		if (st == OK)
			st = file_finish(&im, &info, err);
	}
	if (st == OK)
		st = store_import_finish(s, err);
	if (st == OK && im.refusal)
		st = refused(&im, err);
	if (st == OK)
		st = store_import_stats(s, &im.sum->reviews, &im.sum->questions, &im.sum->agencies, err);
	if (st == OK) {
		struct import_counts c;
		store_import_counts(s, &c);
		im.sum->added = c.added;
		im.sum->updated = c.updated;
		im.sum->unchanged = c.unchanged;
		im.sum->missing = c.missing;
		im.sum->withdrawn = c.withdrawn;
	}
	if (st == OK && o->dry_run)
		st = changes_print(&im, err);
	if (st == OK)
		said_flush(&im);
	else
		buf_reset(&im.said);
	if (st == OK && !o->dry_run)
		st = store_import_commit(s, err);
	else
		store_import_rollback(s);
	if (st == OK)
		summary_print(&im, o->dry_run);
	importer_reset_file(&im, "");
	free(im.file);
	free(im.default_review);
	warn_flush(&im, 0);
	free(im.warn);
	buf_free(&im.said);
	free(im.refusal);
	store_rag_words_free(im.remembered, im.nremembered);
	return st;
}

enum status import_files(struct store *s, char *const *paths, const char *const *reviews, int npaths,
                         const struct import_opts *o, struct import_summary *sum, struct err *err)
{
	return import_run(s, npaths, (const char *const *)paths, reviews, (const void *const *)paths, read_path, o, sum, err);
}

enum status import_buffer(struct store *s, const char *name, const char *data, size_t len,
                          const struct import_opts *o, struct import_summary *sum, struct err *err)
{
	struct mem m = { data, len };
	const void *arg = &m;
	return import_run(s, 1, &name, NULL, &arg, read_mem, o, sum, err);
}

enum status import_rag_map_parse(const char *spec, struct import_rag_word **out, size_t *n, struct err *err)
{
	char *copy = xstrdup(spec ? spec : "");
	enum status st = OK;
	char *save = NULL;
	for (char *part = strtok_r(copy, ",", &save); st == OK && part; part = strtok_r(NULL, ",", &save)) {
		char *eq = strrchr(part, '=');
		enum rag r;
		if (!eq || eq == part || rag_from_user(str_trim(eq + 1), &r) != 0) {
			st = err_set(err, ERR_USAGE, "--rag-map: \"%s\" is not WORD=STATE (STATE: Red, Amber, Green, Blue or unset)", part);
			break;
		}
		*eq = '\0';
		char *word = rag_word_key(part);
		if (!*word) {
			free(word);
			st = err_set(err, ERR_USAGE, "--rag-map: an empty WORD before \"=%s\"", eq + 1);
			break;
		}
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[*n].word = word;
		(*out)[(*n)++].rag = r;
	}
	if (st == OK && !*n)
		st = err_set(err, ERR_USAGE, "--rag-map needs WORD=STATE pairs, e.g. --rag-map '1=Red,2=Amber,3=Green,4=Blue'");
	free(copy);
	return st;
}

void import_rag_words_free(struct import_rag_word *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(w[i].word);
	free(w);
}
