/* report_data: the figures a board report is made of.  The store gathers them
 * (src/store_report.c, the only part that speaks SQL); report.c renders them. */
#ifndef RAGTRACK_REPORT_DATA_H
#define RAGTRACK_REPORT_DATA_H

#include <stddef.h>
#include <stdint.h>
#include "ragtrack/status.h"
#include "ragtrack/store.h"
#include "ragtrack/filter.h"

/* The lists of actions a report shows: X(ID, "key"); report.c titles them and
 * store_report.c says (in SQL) which actions each holds. */
#define REPORT_LISTS(X) \
	X(LIST_OVERDUE,     "overdue")            /* target date passed, not Blue */ \
	X(LIST_SLIPPED,     "slipped")            /* target later than the first one seen */ \
	X(LIST_NO_EVIDENCE, "blue-no-evidence")   /* Blue with empty evidence */ \
	X(LIST_GREEN_PAST,  "green-past-target")  /* Green, target date passed */ \
	X(LIST_STALE,       "stale")              /* not Blue, no change or note for stale_days */

enum report_list_kind {
#define REPORT_LIST_ENUM(id, key) id,
	REPORT_LISTS(REPORT_LIST_ENUM)
#undef REPORT_LIST_ENUM
	LIST_COUNT
};

struct report_opts {
	const char *since;        /* changes on or after this ISO date; NULL = 30 days before today */
	int stale_days;           /* < 0 = 90 */
	long limit;               /* actions per list; < 0 = all */
};

/* RAG counts of one review or agency (or all of them). */
struct report_counts {
	char *name;               /* NULL: actions with no agency, or the total */
	long rag[RAG_COUNT];
	long total;
	long overdue;
};

/* One action in a list: what a board paper shows of it. */
struct report_item {
	int64_t id;
	char *review, *ref, *agency, *lead, *text;   /* ref: question ref, else finding ref */
	enum rag rag;
	char *target_date, *target_raw, *first_target_date;   /* dates ISO or NULL */
	char *touched_at;         /* last change or note */
};

struct report_list {
	struct report_item *items;
	size_t n;                 /* held: at most opts.limit */
	long total;               /* every action that qualifies */
};

/* A change-log entry or a note. */
struct report_event {
	char *at, *user, *source;
	char *field;              /* NULL for a note */
	char *old_value, *new_value, *reason;   /* a note's text is new_value */
};

struct report_changed {
	struct report_item action;
	struct report_event *events;  /* oldest first */
	size_t nevents;
};

struct report_changes {
	struct report_changed *actions;
	size_t n;                 /* held: at most opts.limit */
	long total;               /* actions changed or noted */
	long changes, notes;      /* events over all of them */
};

struct report_data {
	char *today, *since;      /* ISO dates */
	int stale_days;
	long limit;
	struct report_counts *reviews;    /* by name */
	size_t nreviews;
	struct report_counts *agencies;   /* by name, no agency last */
	size_t nagencies;
	struct report_counts total;       /* the sum of reviews (and of agencies) */
	struct report_list lists[LIST_COUNT];
	struct report_changes changes;
};

/* Gather a report over the actions matching f (and the store's agency lens), as at
 * util_today(): RAG counts per review and per agency, the lists, and the changes and
 * notes dated from o->since up to and including today.  *out is freed with
 * report_data_free.  Errors: ERR_DB. */
enum status store_report_gather(struct store *s, const struct filter *f, const struct report_opts *o,
                                struct report_data **out, struct err *err);
void report_data_free(struct report_data *d);

#endif
