/* fields: what an action's fields are, said once.  One row per field gives its key
 * (set's field name, list's --columns name, the CSV and JSON header of list), the
 * column of the importer's flat layout (whose header export writes), the label the
 * command line, the browser and the report show, the member of struct action that
 * holds it, and what kind of field it is.  Every writer and screen walks this table;
 * an action's extra fields walk the same loops after it (field_iter, field_column).
 * Follows htop's Process_fields[]. */
#ifndef RAGTRACK_FIELDS_H
#define RAGTRACK_FIELDS_H

#include <stddef.h>
#include "ragtrack/store.h"

/* What kind of field it is. */
enum field_flag {
	FF_EXPORTED = 1 << 0,     /* a column of export, under colmap_name(col) */
	FF_LONG     = 1 << 1,     /* free, multi-line text: a section of its own in show and
	                           * the detail pane; left out by export --redact */
	FF_HEAD     = 1 << 2,     /* one of show's head lines (and one line in its history) */
	FF_CELL     = 1 << 3,     /* the importer reads it from its cell as cleaned text */
	FF_EDITABLE = 1 << 4,     /* set and the browser change it (edit names it) */
	FF_NUMBER   = 1 << 5,     /* a number: written as one in JSON */
	FF_RAG      = 1 << 6,     /* the RAG state */
	FF_DATE     = 1 << 7,     /* a date (the target: a date, or its text as written) */
	FF_EXTRA    = 1 << 8      /* field_iter: the action's extra fields too, after the table */
};

#define FIELD_COMPUTED ((size_t)-1)      /* member: no char * of its own (field_text) */
#define FIELD_MEMBER(m) offsetof(struct action, m)

/* X(ID, "key", "label", column, set's field, member, flags), in export's order, then
 * the fields export does not write. */
#define FIELD_TABLE(X) \
	X(FLD_ID,          "id",          "ID",                   COL_ID,          FIELD_NONE,        FIELD_COMPUTED,             FF_EXPORTED | FF_NUMBER) \
	X(FLD_REVIEW,      "review",      "Review",               COL_REVIEW,      FIELD_NONE,        FIELD_MEMBER(review),       FF_EXPORTED | FF_HEAD) \
	X(FLD_FINDING,     "finding",     "Finding",              COL_FINDING,     FIELD_NONE,        FIELD_MEMBER(finding),      FF_EXPORTED | FF_HEAD) \
	X(FLD_QUESTION,    "question",    "Question",             COL_QUESTION,    FIELD_NONE,        FIELD_MEMBER(question),     FF_EXPORTED | FF_HEAD) \
	X(FLD_AGENCY,      "agency",      "Agency",               COL_AGENCY,      FIELD_NONE,        FIELD_MEMBER(agency),       FF_EXPORTED | FF_HEAD) \
	X(FLD_RESPONSE,    "response",    "Response",             COL_RESPONSE,    FIELD_RESPONSE,    FIELD_MEMBER(response),     FF_EXPORTED | FF_LONG | FF_CELL | FF_EDITABLE) \
	X(FLD_ACTION,      "action",      "Action",               COL_ACTION,      FIELD_TEXT,        FIELD_MEMBER(text),         FF_EXPORTED | FF_LONG | FF_CELL | FF_EDITABLE) \
	X(FLD_RAG,         "rag",         "RAG",                  COL_RAG,         FIELD_RAG,         FIELD_COMPUTED,             FF_EXPORTED | FF_HEAD | FF_RAG | FF_EDITABLE) \
	X(FLD_TARGET,      "target",      "Target",               COL_TARGET,      FIELD_TARGET,      FIELD_COMPUTED,             FF_EXPORTED | FF_HEAD | FF_DATE | FF_EDITABLE) \
	X(FLD_EVIDENCE,    "evidence",    "Evidence/Outcome",     COL_EVIDENCE,    FIELD_EVIDENCE,    FIELD_MEMBER(evidence),     FF_EXPORTED | FF_LONG | FF_CELL | FF_EDITABLE) \
	X(FLD_LEAD,        "lead",        "Lead",                 COL_LEAD,        FIELD_LEAD,        FIELD_MEMBER(lead),         FF_EXPORTED | FF_HEAD | FF_CELL | FF_EDITABLE) \
	X(FLD_CONSTRAINTS, "constraints", "Constraints/Problems", COL_CONSTRAINTS, FIELD_CONSTRAINTS, FIELD_MEMBER(constraints),  FF_EXPORTED | FF_LONG | FF_CELL | FF_EDITABLE) \
	X(FLD_DESIRED,     "desired",     "Desired Outcome",      COL_DESIRED,     FIELD_DESIRED,     FIELD_MEMBER(desired),      FF_EXPORTED | FF_LONG | FF_CELL | FF_EDITABLE) \
	X(FLD_REF,         "ref",         "Ref",                  COL_REF,         FIELD_NONE,        FIELD_MEMBER(question_ref), 0) \
	X(FLD_UPDATED,     "updated",     "Updated",              COL_UNKNOWN,     FIELD_NONE,        FIELD_MEMBER(updated_at),   0) \
	X(FLD_NOTES,       "notes",       "Notes",                COL_UNKNOWN,     FIELD_NONE,        FIELD_COMPUTED,             FF_NUMBER) \
	X(FLD_WITHDRAWN,   "withdrawn",   "Withdrawn",            COL_UNKNOWN,     FIELD_WITHDRAWN,   FIELD_COMPUTED,             FF_EDITABLE)

enum field_id {
#define FIELD_ID_ENUM(id, key, label, col, edit, member, flags) id,
	FIELD_TABLE(FIELD_ID_ENUM)
#undef FIELD_ID_ENUM
	FLD_COUNT
};

struct field {
	enum field_id id;
	const char *key;          /* set, list --columns, list's CSV and JSON headers */
	const char *label;        /* what show, history, the browser and the report call it */
	int col;                  /* its enum col in the importer's layout (colmap.h), COL_UNKNOWN:
	                           * none; an int, so that this header needs not colmap's names */
	enum action_field edit;   /* set's field, FIELD_NONE when not editable */
	size_t member;            /* offset of its char * in struct action, or FIELD_COMPUTED */
	unsigned flags;           /* enum field_flag */
};

/* The table, FLD_COUNT rows in FIELD_TABLE's order (row i has id i). */
extern const struct field FIELDS[FLD_COUNT];

#define FIELD_TMP 32              /* room field_text may write a number into */

/* The field with this key (any case), or NULL. */
const struct field *field_by_key(const char *key);
/* The field set edits as f, or NULL for FIELD_NONE. */
const struct field *field_of_edit(enum action_field f);
/* The header export writes for f ("Evidence/Outcome"); "" when f has no column. */
const char *field_header(const struct field *f);
/* f's value in a, as stored: the text, "Red" (NULL when unset), the target's date
 * (else its text as written), "yes"/"no", or a number written into tmp.  NULL when
 * there is none.  Valid while a and tmp are. */
const char *field_text(const struct field *f, const struct action *a, char tmp[FIELD_TMP]);
/* The member of a that holds f, to fill (an importer), or NULL for FIELD_COMPUTED. */
char **field_slot(const struct field *f, struct action *a);
/* f's value in a as a number (FF_NUMBER fields: the ID, the notes' count), else 0. */
long long field_number(const struct field *f, const struct action *a);

/* One column of a writer (export, list): a field of the table, or an extra field by
 * its name (def NULL).  nth: which field of that name (a file can repeat a header). */
struct field_column {
	const struct field *def;
	char *extra;              /* owned: field_columns_free */
	int nth;
};
/* The header of column c: the field's key (key_names) or its export header, or the
 * extra field's name. */
const char *field_column_name(const struct field_column *c, int key_names);
/* c's value in a (field_text, or the extra field's value; NULL when none). */
const char *field_column_text(const struct field_column *c, const struct action *a, char tmp[FIELD_TMP]);
/* Free the extra names of n columns. */
void field_columns_free(struct field_column *c, size_t n);

/* Walking an action's fields: those of the table with any flag of want, in its order,
 * then, when want has FF_EXTRA, every extra field of the action in the file's order.
 *   struct field_iter it;
 *   for (field_iter_init(&it, a, FF_LONG | FF_EXTRA); field_iter_next(&it);) ... */
struct field_iter {
	const struct action *a;
	unsigned want;
	size_t next;              /* table rows, then extra fields */
	const struct field *def;  /* the current field: NULL for an extra field */
	const char *label;        /* its label, or the extra field's header as written */
	const char *value;        /* field_text, or the extra field's value */
	char tmp[FIELD_TMP];
};
void field_iter_init(struct field_iter *it, const struct action *a, unsigned want);
/* Step to the next field; 0 when there are no more. */
int field_iter_next(struct field_iter *it);

#endif
