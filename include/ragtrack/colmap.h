/* colmap: which column of a spreadsheet holds what, read from its header's words. */
#ifndef RAGTRACK_COLMAP_H
#define RAGTRACK_COLMAP_H

#include <stddef.h>

/* X(ID, "canonical header (what export writes)") in export order.  COL_REF (a
 * question's reference in a column of its own, "Rec. No.") is read, never written:
 * export's Question cell starts with the reference. */
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
	X(COL_TARGET_EVIDENCE, "Target Date/Evidence") \
	X(COL_REF,         "Ref")

/* A column's kind: one of the fields above, or what becomes of a column that feeds
 * none.  COL_EXTRA: kept as an extra field of each action (name = the header as
 * written); COL_SKIP: left out, only ever by the user's --map 'HEADER=skip'. */
enum col {
#define COL_ENUM(id, name) id,
	COLUMNS(COL_ENUM)
#undef COL_ENUM
	COL_COUNT,
	COL_UNKNOWN = -1,
	COL_EXTRA = -2,
	COL_SKIP = -3
};

/* How a column's kind was decided. */
enum colmap_how {
	COLMAP_NONE = 0,   /* nothing in the header names a field: extra */
	COLMAP_NAME,       /* a header boards write ("Agency Lead Person", "R.A.G.") */
	COLMAP_WORDS,      /* read from its words ("Person responsible", "Lead organisation") */
	COLMAP_USER,       /* --map */
	COLMAP_REPEAT      /* a field an earlier column already feeds (see same_as) */
};

/* What the classifier made of one column of the header row. */
struct colmap_column {
	char *header;         /* the header as written ("" when blank): an extra field's name */
	enum col col;         /* the field it feeds, COL_EXTRA or COL_SKIP */
	enum col read_as;     /* the field its header names, even when col is COL_EXTRA as a repeat */
	enum colmap_how how;
	int same_as;          /* COLMAP_REPEAT: the earlier column (from 0) of that field, else -1 */
	enum col hint;        /* an unplaced header's did-you-mean ("Agnecy": Agency), else COL_UNKNOWN */
};

/* --map 'HEADER=FIELD': header as written (matched ignoring case, spaces and
 * punctuation) or "#N" for column N (from 1); col is a field, COL_EXTRA or COL_SKIP. */
struct colmap_override {
	const char *header;
	enum col col;
};

/* A header row mapped.  at[] says where each field is read from (-1: absent);
 * cols[i] says what became of column i.  A one-value field (colmap_one_value) named
 * twice keeps col = that field on the repeat, with how = COLMAP_REPEAT: the importer
 * checks that its cells agree with the first column's.  A text field named twice
 * makes the repeat COL_EXTRA (how = COLMAP_REPEAT, read_as = the field). */
struct colmap {
	int at[COL_COUNT];
	size_t ncols;                 /* cells in the header row */
	struct colmap_column *cols;   /* ncols entries; colmap_clear frees them */
	int placed;                   /* non-empty headers that name a field (any how but NONE) */
	int unplaced;                 /* non-empty headers that name none (extra by default) */
	int overrides_unused;         /* overrides that named no column of the row ... */
	int first_unused;             /* ... the first of them (an index into ov), else -1 */
};

/* The field a header names, read by its words: case, spacing, punctuation, footnote
 * marks ("[1]", "*") and line breaks ignored; plurals and "(s)" fold.  *how (may be
 * NULL) says whether it was a known header or read from its words.  COL_UNKNOWN when
 * it names none (the importer keeps such a column as an extra field). */
enum col colmap_classify(const char *header, enum colmap_how *how);
/* colmap_classify without the how. */
enum col colmap_lookup(const char *header);
/* For a header that names no field: the field whose name or a synonym it is closest
 * to by spelling ("Agnecy" -> COL_AGENCY, "Traget Date" -> COL_TARGET), else COL_UNKNOWN. */
enum col colmap_suggest(const char *header);
/* A FIELD of --map: a canonical header (any case, spacing), "extra" or "skip".
 * Returns the field, COL_EXTRA, COL_SKIP, or COL_UNKNOWN when it is none of those. */
enum col colmap_field_named(const char *name);
/* The canonical header of a column; "extra field" for COL_EXTRA, "skipped" for
 * COL_SKIP, "" for anything else. */
const char *colmap_name(enum col c);
/* A comma-separated list of the headers the importer understands, for error messages. */
const char *colmap_expected(void);
/* 1 for a field a row has one value of (ID, Review, Board, Finding, Question, Ref,
 * Agency, RAG, Target Date): two columns of it must agree. */
int colmap_one_value(enum col c);

/* Map a header row, applying the overrides (may be NULL when nov is 0) before the
 * classifier.  cells may be NULL or hold NULLs (blank headers).  Fills m (its cols
 * are allocated: colmap_clear) and returns the number of columns that feed a field,
 * ID included. */
int colmap_build(struct colmap *m, const char *const *cells, size_t ncells,
                 const struct colmap_override *ov, size_t nov);
/* 1 when column i (from 0) is kept as an extra field (named cols[i].header, "Column N"
 * when blank); 0 for a column that feeds a field, one the user skipped, a repeat of a
 * one-value field (its cells equal the first's), or i past the row. */
int colmap_is_extra(const struct colmap *m, size_t i);
/* Free what colmap_build allocated; m stays usable (no columns). */
void colmap_clear(struct colmap *m);

#endif
