/* import: spreadsheet rows -> actions.  Maps headers, fills down, normalises, and
 * reports every guess; one transaction for all files of a run. */
#ifndef RAGTRACK_IMPORT_H
#define RAGTRACK_IMPORT_H

#include <stdio.h>
#include "ragtrack/status.h"
#include "ragtrack/store.h"
#include "ragtrack/colmap.h"

/* A plan's own word for a RAG state (--rag-map '1=Red'); word as rag_word_key folds it. */
struct import_rag_word {
	char *word;
	enum rag rag;
};

struct import_opts {
	const char *review;       /* --review: review name for files with no Review column */
	int dry_run;              /* do everything, then roll back */
	int strict;               /* --strict: refuse a file with a column left as an extra field, a
	                           * value that needed a guess, or a row whose match is in doubt */
	const char *agency;       /* --agency: the agency of every row of a file with no Agency column */
	const struct colmap_override *map;   /* --map 'HEADER=FIELD', nmap of them */
	size_t nmap;
	const struct import_rag_word *rag_words;   /* --rag-map, nrag_words of them */
	size_t nrag_words;
	FILE *out;                /* summary and warnings (stdout); NULL = silent */
	int max_examples;         /* line numbers listed per warning (default 8) */
	int withdraw_missing;     /* --withdraw-missing: mark actions not in the files withdrawn */
	const char *as_at;        /* --as-at: ISO date the spreadsheets reflect, NULL = today */
	int warnings_all;         /* --warnings all: list warnings seen at the last import too */
};

/* Parse --rag-map's 'WORD=STATE,...' (STATE: a RAG name or letter, or "unset") into
 * *out (n entries, appended to what is there; free with import_rag_words_free).
 * ERR_USAGE with a message naming the bad part. */
enum status import_rag_map_parse(const char *spec, struct import_rag_word **out, size_t *n, struct err *err);
void import_rag_words_free(struct import_rag_word *w, size_t n);

struct import_summary {
	long files, rows, blank_rows;
	long added, updated, unchanged;
	long missing, withdrawn;              /* actions not in the files (withdrawn when asked) */
	long reviews, questions, agencies;   /* touched by this run */
	long warnings;                        /* rows with a guess or a cleaning */
};

/* Import the files into s in one transaction: all rows of all files, or nothing.
 * reviews[i] (the array or any entry may be NULL) names the review of paths[i] when
 * it has no Review column, before o->review and the file's name.  Errors name the
 * file and line ("plan.csv:4: unterminated quoted field"); the database is then
 * exactly as it was.  sum may be NULL. */
enum status import_files(struct store *s, char *const *paths, const char *const *reviews, int npaths,
                         const struct import_opts *o, struct import_summary *sum, struct err *err);

/* The same over one CSV held in memory (the fuzzer's entry point); name is used in
 * messages.  Runs inside its own transaction. */
enum status import_buffer(struct store *s, const char *name, const char *data, size_t len,
                          const struct import_opts *o, struct import_summary *sum, struct err *err);

#endif
