/* export: the filtered actions as CSV in the flat layout the importer reads, so that
 * importing the file and exporting again gives the same bytes.  Used by ragtrack
 * export and the browser's x key. */
#ifndef RAGTRACK_EXPORT_H
#define RAGTRACK_EXPORT_H

#include "ragtrack/filter.h"
#include "ragtrack/status.h"
#include "ragtrack/store.h"

#define EXPORT_EXCEL  1u   /* UTF-8 byte-order mark, CRLF, formula-like cells quoted (OUTPUT_EXCEL) */
#define EXPORT_REDACT 2u   /* leave out the free text (FF_LONG), extra fields and RAG
                            * words that are not a state */

/* Write the actions matching f, in f's order, to path (NULL: standard output, made
 * safe for a terminal when it is one), replacing the file atomically: the headers of
 * the exported fields in the table's order, then the extra fields of the reviews
 * written (store_extra_fields), every row complete.  Refuses a path writeguard_check
 * refuses (the database's own files, any SQLite database).  *records (may be NULL) is
 * how many were written.  Errors: those of writeguard_check, output_file_open and
 * the store; on failure the file is left as it was. */
enum status export_write(struct store *s, const struct filter *f, const char *path, unsigned flags, long *records,
                         struct err *err);

#endif
