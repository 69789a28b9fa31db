/* csvread: stream a CSV file row by row through libcsv, with line numbers.
 * Handles a UTF-8 BOM, CRLF / LF / CR-only line ends, quoted fields with embedded
 * newlines and doubled quotes.  Text that is not UTF-8 but is Windows-1252 is
 * converted (and said so); anything else is rejected with the line of the first bad byte.
 * Memory is bounded by the largest row, not the file. */
#ifndef RAGTRACK_CSVREAD_H
#define RAGTRACK_CSVREAD_H

#include <stddef.h>
#include "ragtrack/status.h"

struct csv_row {
	const char *const *cells;  /* UTF-8, NUL-terminated; valid only during the callback */
	size_t ncells;
	long line;                 /* physical line the row starts on, from 1 */
	long end_line;             /* physical line it ends on */
	char **own;                /* NULL, or the reader's own cells: a callback may keep cell i
	                            * (own[i] == cells[i]) by setting own[i] to NULL, and then
	                            * frees it; cells[i] stays readable until the callback returns */
};

/* Called once per row (header included).  Return OK to go on; anything else stops the
 * read and is returned by csvread_file (the callback fills err). */
typedef enum status (*csv_row_fn)(const struct csv_row *row, void *ctx, struct err *err);

struct csvread_info {
	int cp1252;        /* the file was read as Windows-1252 and converted */
	long cp1252_line;  /* then: the line of its first byte that is not UTF-8 */
	int had_bom;
	long rows;         /* rows delivered */
	long lines;        /* physical lines read */
	long nul_line;     /* first line with a NUL byte that was dropped, 0 if none */
};

/* Read path ("-" is not supported) calling fn for each row.  Errors name the file and
 * line: "plan.csv:4: unterminated quoted field".  info may be NULL. */
enum status csvread_file(const char *path, csv_row_fn fn, void *ctx,
                         struct csvread_info *info, struct err *err);
/* The same over a buffer in memory (used by the fuzzer and tests); name is used in messages. */
enum status csvread_buffer(const char *name, const char *data, size_t len, csv_row_fn fn,
                           void *ctx, struct csvread_info *info, struct err *err);

#endif
