/* import: the path from a spreadsheet's rows to actions in the store.
 *
 * Per file: find the header row (title rows above it are skipped and said), map its
 * columns, then for each row fill down Review / Finding / Question / Agency, clean the
 * text, read RAG and dates, and hand one action to the store.  Every guess is counted
 * by kind and value and reported once per file with the lines it happened on. */
#include "ragtrack/import.h"
#include "ragtrack/colmap.h"
#include "ragtrack/csvread.h"
#include "ragtrack/text.h"
#include "ragtrack/util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HEADER_SEARCH_ROWS 20
#define QUEUE_ROWS 1024          /* rows read ahead of the store (about 1.5 MB of text) */
#define QUEUE_BATCH 64           /* rows handed over per wake-up (one each cost 2 s in 19) */
#define WARN_SLOTS 4096
#define WARN_LINES 8

enum warn_kind { W_RAG_INFERRED, W_RAG_UNKNOWN, W_DATE_INFERRED, W_DATE_TEXT, W_CLEANED, W_KIND_COUNT };

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

struct importer {
	struct store *store;
	struct row_queue *queue;  /* rows go here when a second thread reads the file */
	const struct import_opts *opts;
	struct import_summary *sum;
	char *file;               /* the file's name, safe to print */
	const char *file_review;  /* --review given for this file */
	char *default_review;
	struct colmap map;
	/* extra fields: the header's columns that map to no field (see column_extra) */
	size_t nextra;
	size_t *extra_at;         /* their column numbers, from 0 */
	char **extra_name;        /* their headers as written, cleaned; NULL: no header */
	int *extra_seen;          /* a cell of a column with no header was kept */
	long header_line;
	const char **extra_names, **extra_values;   /* one row's, for action_set_extras */
	char **extra_cells;
	int have_header;
	int header_rows_seen;
	long title_rows;
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

static void warn_note(struct importer *im, enum warn_kind k, const char *value, const char *reading, long line)
{
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

static void warn_print_one(const struct importer *im, const struct warning *w)
{
	static const char *const fmt[W_KIND_COUNT] = {
		[W_RAG_INFERRED] = "RAG \"%s\" read as %s",
		[W_RAG_UNKNOWN] = "unknown RAG value \"%s\" left unset%s",
		[W_DATE_INFERRED] = "target \"%s\" read as %s",
		[W_DATE_TEXT] = "target \"%s\" kept as text (no date)%s",
		[W_CLEANED] = "HTML or control characters cleaned from text%s%s",
	};
	FILE *out = im->opts->out;
	char *shown = text_visible(w->value, ' ');
	if (strlen(shown) > 60)
		strcpy(shown + 57, "...");
	fprintf(out, "%s:%ld: ", im->file, w->lines[0]);
	fprintf(out, fmt[w->kind], shown, w->reading);
	fprintf(out, " (%ld row%s", w->count, w->count == 1 ? "" : "s");
	long n = w->count < WARN_LINES ? w->count : WARN_LINES;
	if (w->count > 1) {
		fputs(": lines", out);
		for (long i = 0; i < n; i++)
			fprintf(out, "%s %ld", i ? "," : "", w->lines[i]);
		if (w->count > n)
			fputs(", ...", out);
	}
	fputs(")\n", out);
	free(shown);
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

/* ---- header -------------------------------------------------------------------------- */

static int row_blank(const struct csv_row *row)
{
	for (size_t i = 0; i < row->ncells; i++)
		for (const char *p = row->cells[i]; *p; p++)
			if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
				return 0;
	return 1;
}

#define HEADER_REPORT_MAX 10

static void header_report(struct importer *im, const struct csv_row *row, const int *unknown)
{
	if (!im->opts->out)
		return;
	size_t shown_n = 0, more = 0;
	for (size_t i = 0; i < row->ncells; i++) {
		if (!unknown[i] || str_empty(row->cells[i]))
			continue;
		if (shown_n++ >= HEADER_REPORT_MAX) {
			more++;
			continue;
		}
		char *shown = text_visible(row->cells[i], ' ');
		fprintf(im->opts->out, "%s:%ld: column %zu \"%s\" %s; kept as an extra field\n", im->file, row->line,
		        i + 1, shown, colmap_lookup(row->cells[i]) != COL_UNKNOWN ? "repeats an earlier column" : "is not a column ragtrack knows");
		free(shown);
	}
	if (more)
		fprintf(im->opts->out, "%s:%ld: %zu more columns kept as extra fields\n", im->file, row->line, more);
	if (im->title_rows)
		fprintf(im->opts->out, "%s:%ld: %ld row%s above the header skipped\n", im->file, row->line,
		        im->title_rows, im->title_rows == 1 ? "" : "s");
}

/* Is column i of the header an extra field?  The one place that decides: a column
 * that names no field, or repeats one an earlier column named. */
static int column_extra(const int *unknown, size_t i)
{
	return unknown[i];
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

/* The header's extra columns and their names. */
static void extras_find(struct importer *im, const struct csv_row *row, const int *unknown)
{
	extras_free(im);
	size_t n = 0;
	for (size_t i = 0; i < row->ncells; i++)
		n += column_extra(unknown, i) != 0;
	if (!n)
		return;
	im->extra_at = xcalloc(n, sizeof *im->extra_at);
	im->extra_name = xcalloc(n, sizeof *im->extra_name);
	im->extra_seen = xcalloc(n, sizeof *im->extra_seen);
	im->extra_names = xcalloc(n, sizeof *im->extra_names);
	im->extra_values = xcalloc(n, sizeof *im->extra_values);
	im->extra_cells = xcalloc(n, sizeof *im->extra_cells);
	for (size_t i = 0; i < row->ncells; i++) {
		if (!column_extra(unknown, i))
			continue;
		char *name = text_clean(unguard(row->cells[i]), NULL);
		im->extra_at[im->nextra] = i;
		im->extra_name[im->nextra++] = str_empty(name) ? NULL : name;
		if (str_empty(name))
			free(name);
	}
}

static enum status header_try(struct importer *im, const struct csv_row *row, struct err *err)
{
	int *unknown = xcalloc(row->ncells + 1, sizeof *unknown);
	struct colmap m;
	int usable = colmap_build(&m, row->cells, row->ncells, unknown);
	int first = im->header_rows_seen++ == 0;
	if (usable >= 2 || (usable == 1 && first)) {
		im->map = m;
		im->have_header = 1;
		extras_find(im, row, unknown);
		im->header_line = row->line;
		header_report(im, row, unknown);
	} else {
		im->title_rows++;
	}
	free(unknown);
	if (!im->have_header && im->header_rows_seen >= HEADER_SEARCH_ROWS)
		return err_set(err, ERR_COLUMNS, "%s:%ld: no header row with usable columns in the first %d rows; expected columns such as %s",
		               im->file, row->line, HEADER_SEARCH_ROWS, colmap_expected());
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
 * leaves that field of existing actions as it is. */
static char *field(struct importer *im, const struct csv_row *row, enum col c)
{
	return has(im, c) ? clean(im, cell(im, row, c), row->line) : NULL;
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
		reset(&im->agency);
	}
	changed = 0;
	fill(&im->finding, clean(im, cell(im, row, COL_FINDING), row->line), &changed);
	if (changed) {
		reset(&im->question);
		reset(&im->agency);
		free(im->finding_ref);
		im->finding_ref = ref_parse(im->finding, NULL);
	}
	changed = 0;
	fill(&im->question, clean(im, cell(im, row, COL_QUESTION), row->line), &changed);
	if (changed) {
		reset(&im->agency);
		free(im->question_ref);
		im->question_ref = ref_parse(im->question, NULL);
	}
	if (!im->question) {
		free(im->question_ref);
		im->question_ref = NULL;
	}
	changed = 0;
	fill(&im->agency, clean_name(im, cell(im, row, COL_AGENCY), row->line), &changed);
}

static void read_rag(struct importer *im, struct action *a, const char *raw, long line)
{
	enum guess how;
	a->rag_raw = str_trim(xstrdup(raw));
	a->rag = rag_parse(a->rag_raw, &how);
	if (how == GUESS_INFERRED)
		warn_note(im, W_RAG_INFERRED, a->rag_raw, rag_name(a->rag), line);
	else if (how == GUESS_UNKNOWN)
		warn_note(im, W_RAG_UNKNOWN, a->rag_raw, "", line);
}

/* Cells that say "nothing here" rather than a date: no warning for them. */
static int placeholder(const char *t)
{
	return strcmp(t, "0") == 0 || strcmp(t, "-") == 0 || strcasecmp(t, "n/a") == 0;
}

/* A target cell, or the combined "Target Date/Evidence" cell whose leading date is the
 * target and whose whole text joins the evidence. */
static void read_target(struct importer *im, struct action *a, const char *raw, int combined, long line)
{
	char *t = clean(im, raw, line);
	char iso[11] = "";
	size_t used = 0;
	enum guess how = str_empty(t) ? GUESS_EXACT : date_parse(t, iso, &used);
	if (*iso)
		a->target_date = xstrdup(iso);
	if (combined) {
		a->target_raw = *iso ? xstrndup(t, used) : xstrdup("");
		if (!str_empty(t) && !(*iso && t[used] == '\0')) {
			char *ev = str_empty(a->evidence) ? xstrdup(t) : xasprintf("%s\n%s", a->evidence, t);
			free(a->evidence);
			a->evidence = ev;
		}
		free(t);
	} else {
		a->target_raw = t;
	}
	if (how == GUESS_INFERRED)
		warn_note(im, W_DATE_INFERRED, a->target_raw, iso, line);
	else if (how == GUESS_UNKNOWN && !combined && !placeholder(a->target_raw))
		warn_note(im, W_DATE_TEXT, a->target_raw, "", line);
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
	a->agency = xstrdup(im->agency);
	a->response = field(im, row, COL_RESPONSE);
	a->text = field(im, row, COL_ACTION);
	a->evidence = field(im, row, COL_EVIDENCE);
	a->lead = field(im, row, COL_LEAD);
	a->constraints = field(im, row, COL_CONSTRAINTS);
	a->desired = field(im, row, COL_DESIRED);
	if (has(im, COL_RAG))
		read_rag(im, a, cell(im, row, COL_RAG), line);
	if (has(im, COL_TARGET))
		read_target(im, a, cell(im, row, COL_TARGET), 0, line);
	if (has(im, COL_TARGET_EVIDENCE) && (!has(im, COL_TARGET) || str_empty(a->target_raw))) {
		free(a->target_raw);
		free(a->target_date);
		a->target_raw = a->target_date = NULL;
		read_target(im, a, cell(im, row, COL_TARGET_EVIDENCE), 1, line);
	}
	if (im->nextra)
		build_extras(im, row, a);
}

/* Cells past the header's width must be empty: anything else would be lost. */
static enum status check_width(const struct importer *im, const struct csv_row *row, struct err *err)
{
	for (size_t i = im->map.ncols; i < row->ncells; i++)
		if (!str_empty(row->cells[i]))
			return err_set(err, ERR_PARSE, "%s:%ld: %zu cells, but the header has %zu (is a comma missing its quotes?)",
			               im->file, row->line, row->ncells, im->map.ncols);
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
		while (cut > 0 && ((unsigned char)t[cut] & 0xC0) == 0x80)
			cut--;
		strcpy(t + cut, "...");
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

static enum status on_row(const struct csv_row *row, void *ctx, struct err *err)
{
	struct importer *im = ctx;
	if (row_blank(row)) {
		if (im->have_header)
			im->sum->blank_rows++;
		return OK;
	}
	if (!im->have_header)
		return header_try(im, row, err);
	enum status st = check_width(im, row, err);
	if (st != OK)
		return st;
	im->sum->rows++;
	fill_down(im, row);
	struct action a;
	action_init(&a);
	build_action(im, row, &a);
	if (im->queue)
		return queue_put(im->queue, &a, row->line, err);
	st = row_store(im, &a, row->line, err);
	action_clear(&a);
	return st;
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
	im->header_rows_seen = 0;
	im->title_rows = 0;
	char **slots[] = { &im->review, &im->finding, &im->finding_ref, &im->question, &im->question_ref, &im->agency };
	for (size_t i = 0; i < sizeof slots / sizeof *slots; i++)
		reset(slots[i]);
}

static enum status file_finish(struct importer *im, const struct csvread_info *info, struct err *err)
{
	if (!im->have_header)
		return err_set(err, info->rows ? ERR_COLUMNS : ERR_PARSE, info->rows
		               ? "%s:1: no usable columns; expected columns such as %s"
		               : "%s:1: empty file (no header row)%s",
		               im->file, info->rows ? colmap_expected() : "");
	FILE *out = im->opts->out;
	if (out && info->cp1252)
		fprintf(out, "%s: not UTF-8; read as Windows-1252 and converted\n", im->file);
	if (out && info->nul_line)
		fprintf(out, "%s:%ld: NUL bytes removed\n", im->file, info->nul_line);
	for (size_t i = 0; out && i < im->nextra; i++)
		if (im->extra_seen[i])
			fprintf(out, "%s:%ld: column %zu has no header; its cells are kept as the extra field \"%s\"\n", im->file,
			        im->header_line, im->extra_at[i] + 1, im->extra_name[i]);
	warn_flush(im, 1);
	said_flush(im);
	im->sum->files++;
	return store_review_describe(im->store, im->review, NULL, NULL, im->opts->as_at, im->file, err);
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
	return csvread_buffer(im->file, m->data, m->len, on_row, im, info, err);
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
