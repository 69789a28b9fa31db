/* colmap: which column of a spreadsheet holds what, found by header name. */
#ifndef RAGTRACK_COLMAP_H
#define RAGTRACK_COLMAP_H

#include <stddef.h>

/* X(ID, "canonical header (what export writes)") in export order. */
#define COLUMNS(X) \
	X(COL_ID,          "ID") \
	X(COL_REVIEW,      "Review") \
	X(COL_FINDING,     "Finding") \
	X(COL_QUESTION,    "Question") \
	X(COL_AGENCY,      "Agency") \
	X(COL_RESPONSE,    "Response") \
	X(COL_ACTION,      "Action") \
	X(COL_RAG,         "RAG") \
	X(COL_TARGET,      "Target Date") \
	X(COL_EVIDENCE,    "Evidence/Outcome") \
	X(COL_LEAD,        "Lead Person") \
	X(COL_CONSTRAINTS, "Constraints/Problems") \
	X(COL_DESIRED,     "Desired Outcome") \
	X(COL_BOARD,       "Board") \
	X(COL_TARGET_EVIDENCE, "Target Date/Evidence")

enum col {
#define COL_ENUM(id, name) id,
	COLUMNS(COL_ENUM)
#undef COL_ENUM
	COL_COUNT,
	COL_UNKNOWN = -1
};

/* The column a header names, forgiving case, spacing and punctuation, with the
 * synonyms boards use ("Agency Lead Person" -> COL_LEAD, "Timescale" -> COL_TARGET);
 * COL_UNKNOWN when it names none. */
enum col colmap_lookup(const char *header);
/* The canonical header of a column. */
const char *colmap_name(enum col c);
/* A comma-separated list of the headers the importer understands, for error messages. */
const char *colmap_expected(void);

/* A header row mapped: where each column is (-1 when absent). */
struct colmap {
	int at[COL_COUNT];
	size_t ncols;       /* cells in the header row */
};
/* Map a header row.  Fills m; unknown[i] (caller-provided array of ncells ints, may be
 * NULL) is set to 1 for each header that names no column or repeats an earlier one.
 * Returns the number of usable columns found. */
int colmap_build(struct colmap *m, const char *const *cells, size_t ncells, int *unknown);

#endif
