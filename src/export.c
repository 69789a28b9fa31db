/* export: the importer's flat CSV layout, written from the store (export.h).  Values
 * are written so that importing the file and exporting again gives the same bytes:
 *  - RAG: the state's name; an unset RAG keeps what was written ("P", "0", "N/A"),
 *    unless that would now read as a state.
 *  - Target Date: the date read, in ISO form, followed by any words that followed it
 *    as written ("2016-06-30 / ongoing"); the text as written when no date was read.
 *  - Extra fields (columns the importer kept under their own header) follow, one
 *    column each under that header, in the files' order (store_extra_fields). */
#include "ragtrack/export.h"
#include "ragtrack/fields.h"
#include "ragtrack/output.h"
#include "ragtrack/util.h"
#include "ragtrack/writeguard.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct export {
	unsigned flags;              /* EXPORT_* */
	const char **names;          /* ncols headers */
	struct field_column *cols;   /* the table's exported fields, then the extra fields */
	size_t ncols, cap;
	struct output_rows w;
	struct buf target;           /* scratch for the target cell */
};

static void export_add(struct export *x, const struct field *def, const char *extra, int nth)
{
	if (x->ncols == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 32;
		x->cols = xrealloc(x->cols, x->cap * sizeof *x->cols);
	}
	x->cols[x->ncols++] = (struct field_column){ def, extra ? xstrdup(extra) : NULL, nth };
}

static int export_extra_column(const char *name, int nth, void *ctx)
{
	export_add(ctx, NULL, name, nth);
	return 0;
}

/* The exported fields of the table, then (unless redacting) the extra fields of the
 * reviews exported. */
static enum status export_columns(struct export *x, struct store *s, const struct filter *f, struct err *err)
{
	int redact = (x->flags & EXPORT_REDACT) != 0;
	for (int i = 0; i < FLD_COUNT; i++)
		if ((FIELDS[i].flags & FF_EXPORTED) && !(redact && (FIELDS[i].flags & FF_LONG)))
			export_add(x, &FIELDS[i], NULL, 0);
	enum status st = redact ? OK : store_extra_fields(s, f, export_extra_column, x, err);
	x->names = xcalloc(x->ncols ? x->ncols : 1, sizeof *x->names);
	for (size_t i = 0; i < x->ncols; i++)
		x->names[i] = field_column_name(&x->cols[i], 0);
	return st;
}

static void export_free(struct export *x)
{
	field_columns_free(x->cols, x->ncols);
	free(x->cols);
	free(x->names);
	buf_free(&x->target);
}

/* ---- values ---------------------------------------------------------------------- */

static const char *export_rag(const struct export *x, const struct action *a)
{
	if (a->rag != RAG_UNSET)
		return rag_name(a->rag);
	if ((x->flags & EXPORT_REDACT) || str_empty(a->rag_raw) || rag_parse(a->rag_raw, NULL) != RAG_UNSET)
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

static int export_row(const struct action *a, void *ctx)
{
	struct export *x = ctx;
	char tmp[FIELD_TMP];
	for (size_t i = 0; i < x->ncols; i++) {
		const struct field *def = x->cols[i].def;
		unsigned flags = def ? def->flags : 0;
		if (flags & FF_NUMBER)
			output_rows_int(&x->w, field_number(def, a));
		else if (flags & FF_RAG)
			output_rows_text(&x->w, export_rag(x, a));
		else if (flags & FF_DATE)
			output_rows_text(&x->w, export_target(x, a));
		else
			output_rows_text(&x->w, field_column_text(&x->cols[i], a, tmp));
	}
	output_rows_end_record(&x->w);
	return ferror(x->w.out) != 0;       /* a full disk: stop early, commit reports it */
}

static enum status export_rows(struct export *x, struct store *s, const struct filter *f, const char *path,
                               struct err *err)
{
	enum status st = writeguard_check(s, path, err);
	if (st != OK)
		return st;
	struct output_file out;
	st = output_file_open(&out, path, err);
	if (st != OK)
		return st;
	unsigned flags = (x->flags & EXPORT_EXCEL) ? OUTPUT_EXCEL : 0;
	if (!path && isatty(fileno(stdout)))
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

enum status export_write(struct store *s, const struct filter *f, const char *path, unsigned flags, long *records,
                         struct err *err)
{
	struct export x = { .flags = flags };
	enum status st = export_columns(&x, s, f, err);
	if (st == OK)
		st = export_rows(&x, s, f, path, err);
	if (records)
		*records = st == OK ? x.w.records : 0;
	export_free(&x);
	return st;
}
