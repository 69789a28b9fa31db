/* fuzz_csv: the CSV reader alone (libcsv, BOM, line ends, UTF-8 / Windows-1252, NUL
 * bytes, line counting), thousands of times faster than the whole import, so the
 * parser gets most of the executions.  Promises checked on every input:
 *
 *   - every cell handed on is valid UTF-8 with no NUL (the importer relies on it);
 *   - rows come in order: line numbers from 1, never going back, end_line >= line,
 *     and never beyond the lines the reader says it read;
 *   - a refusal has a message naming the file ("fuzz.csv:4: ..."). */
#include "ragtrack/csvread.h"
#include "ragtrack/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_FAIL
#define FUZZ_FAIL(what) fuzz_csv_abort(what)
static void fuzz_csv_abort(const char *what)
{
	fprintf(stderr, "fuzz_csv: broken promise: %s\n", what);
	abort();
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_csv_seen {
	long rows, last_line, last_end;
};

static enum status fuzz_csv_row(const struct csv_row *row, void *ctx, struct err *err)
{
	struct fuzz_csv_seen *seen = ctx;
	(void)err;
	if (row->line < 1 || row->end_line < row->line || row->line <= seen->last_end)
		FUZZ_FAIL("row line numbers out of order");
	for (size_t i = 0; i < row->ncells; i++)
		if (!row->cells[i] || !utf8_valid(row->cells[i], strlen(row->cells[i]), NULL))
			FUZZ_FAIL("a cell is NULL or not valid UTF-8");
	seen->rows++;
	seen->last_line = row->line;
	seen->last_end = row->end_line;
	return OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_csv_seen seen = {0};
	struct csvread_info info;
	struct err e = {0};
	memset(&info, 0, sizeof info);
	enum status st = csvread_buffer("fuzz.csv", (const char *)data, size, fuzz_csv_row, &seen, &info, &e);
	if (st != OK && strncmp(e.msg, "fuzz.csv", 8) != 0)
		FUZZ_FAIL("a refusal does not name the file");
	if (st == OK && (info.rows != seen.rows || seen.last_end > info.lines + 1))
		FUZZ_FAIL("the reader's counts disagree with the rows it delivered");
	return 0;
}
