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
 * store_report.c says (in SQL) which actions each holds.  Withdrawn actions are in
 * none of them. */
#define REPORT_LISTS(X) \
	X(LIST_RED,         "red")                /* Red now */ \
	X(LIST_OVERDUE,     "overdue")            /* target date passed, not Blue */ \
	X(LIST_GREEN_PAST,  "green-past-target")  /* Green, target date passed */ \
	X(LIST_NO_TARGET,   "no-target")          /* Red or Amber with no target date */ \
	X(LIST_DUE_NEXT,    "due-before-next")    /* not Blue, due from today to before the next meeting */ \
	X(LIST_NEW,         "new")                /* not at the board (or withdrawn then) */ \
	X(LIST_COMPLETED,   "completed")          /* Blue now, not Blue at the board */ \
	X(LIST_SLIPPED_BOARD, "slipped-since")    /* target later than at the board */ \
	X(LIST_SLIPPED,     "slipped")            /* target later than the first one seen */ \
	X(LIST_NO_EVIDENCE, "blue-no-evidence")   /* Blue with empty evidence */ \
	X(LIST_STALE,       "stale")              /* not Blue, no change or note for stale_days */

enum report_list_kind {
#define REPORT_LIST_ENUM(id, key) id,
	REPORT_LISTS(REPORT_LIST_ENUM)
#undef REPORT_LIST_ENUM
	LIST_COUNT
};

struct report_opts {
	const char *since;        /* changes on or after this ISO date; NULL = the board's date, else 30 days ago */
	int stale_days;           /* < 0 = 90 */
	long limit;               /* actions per list; < 0 = all */
	const char *board;        /* the board to compare with; NULL = the last one held by the meeting */
	int no_board;             /* compare with none */
	const char *meeting;      /* ISO; NULL = today */
	const char *next;         /* the next meeting, ISO; NULL = 91 days after this one */
};

/* RAG counts of one review or agency (or all of them), withdrawn actions left out. */
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
	char *constraints;        /* as written, in full */
	char *note, *note_at;     /* the latest progress note, or NULL */
	int at_board;             /* in the board compared with (and not withdrawn then) */
	enum rag board_rag;       /* then */
	char *board_target;       /* the target date then, ISO or NULL */
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

/* What changed since the board, over one review, one agency or all: the state at the
 * board against the state now, action by action (so a change and its undo are no
 * movement). */
struct report_moves {
	char *name;               /* NULL: no agency, or all */
	long move[RAG_COUNT][RAG_COUNT];   /* [then][now], actions at the board and not withdrawn now */
	long added;               /* not at the board (or withdrawn then), not withdrawn now */
	long completed;           /* Blue now, not Blue then */
	long slipped;             /* target date later than then */
	long withdrawn;           /* withdrawn since */
};

/* Progress on one recommendation or question. */
struct report_question {
	char *review, *ref, *text;
	long actions, blue, rated, overdue;
	enum rag worst;           /* the most cautious RAG among its rated actions; unset when none is */
};

/* An agency that left questions unanswered: no response, action, evidence or RAG. */
struct report_silent {
	char *agency;
	long questions, unanswered;
};

struct report_data {
	char *today, *since;      /* ISO dates */
	char *meeting, *next;     /* this meeting and the next, ISO */
	char *as_at;              /* the data's latest change, import or note (ISO), or NULL */
	char *partnership;        /* "" when unknown */
	int stale_days;
	long limit;
	long withdrawn;           /* matching actions withdrawn: left out of every figure */
	struct report_counts *reviews;    /* by name */
	size_t nreviews;
	struct report_counts *agencies;   /* by name, no agency last */
	size_t nagencies;
	struct report_counts total;       /* the sum of reviews (and of agencies) */
	struct report_list lists[LIST_COUNT];
	struct report_changes changes;
	/* the board compared with: has_board 0 when none */
	int has_board;
	int64_t board_id;         /* the store's id of it */
	char *board_name, *board_date;
	struct report_counts board_total;   /* then, of the actions matching now; withdrawn then left out */
	struct report_moves moves;          /* all */
	struct report_moves *review_moves, *agency_moves;
	size_t nreview_moves, nagency_moves;
	struct report_question *questions;
	size_t nquestions;
	struct report_silent *silent;
	size_t nsilent;
};

/* ---- board meetings (src/store_board.c) ---------------------------------------- */

/* A recorded board meeting and what its snapshot holds. */
struct board_info {
	char *name, *held_on;             /* held_on: the meeting's date, ISO */
	char *recorded_at, *recorded_by;
	long actions;                     /* actions in the snapshot (inside the agency lens) */
	long withdrawn;                   /* of them, withdrawn at the time */
	long rag[RAG_COUNT];              /* the others by RAG state */
	long no_evidence;                 /* Blue with no evidence, at the time */
	int64_t id;
};
void board_info_clear(struct board_info *b);

/* Record a board meeting called name, held on held_on (ISO): the RAG, target,
 * evidence present or not, and withdrawn flag of every action as they are now, in one
 * transaction.  *out (may be NULL) gets what was recorded.  Errors: ERR_CONFLICT (a
 * board of that name exists), ERR_FORBIDDEN (under the agency lens: a board covers
 * every agency), ERR_READ_ONLY, ERR_DB.  *changed_after (may be NULL) is the number
 * of change-log entries dated after held_on: the snapshot holds the state now, not
 * as it was then. */
enum status store_board_record(struct store *s, const char *name, const char *held_on, struct board_info *out,
                               long *changed_after, struct err *err);
/* Every recorded board, oldest meeting first; *out (n entries) is freed with
 * board_info_clear on each and free.  Counts are inside the agency lens. */
enum status store_board_list(struct store *s, struct board_info **out, size_t *n, struct err *err);
/* The board called name (any case), or with name NULL the last one held on or
 * before day (ISO; NULL: any).  ERR_NOT_FOUND when there is none: the message
 * names it (and the boards there are). */
enum status store_board_get(struct store *s, const char *name, const char *day, struct board_info *out,
                            struct err *err);
/* The partnership's name: the setting (store_partnership_set), else the Board column
 * of the reviews ("" when none; several are joined with " / ").  Caller frees. */
char *store_partnership(struct store *s);
/* Set (name "" clears) the partnership's name, kept in the database. */
enum status store_partnership_set(struct store *s, const char *name, struct err *err);

/* Gather a report over the actions matching f (and the store's agency lens), as at
 * util_today(): RAG counts per review and per agency, the lists, the changes and
 * notes dated from o->since up to and including today, progress per question, the
 * agencies that left questions unanswered, and the comparison with the board (o->board,
 * else the last one held on or before the meeting; none with o->no_board or when no
 * board is recorded).  Withdrawn actions are counted (d->withdrawn) and left out of
 * everything else.  *out is freed with report_data_free.  Errors: ERR_NOT_FOUND (no
 * board o->board), ERR_DB. */
enum status store_report_gather(struct store *s, const struct filter *f, const struct report_opts *o,
                                struct report_data **out, struct err *err);
void report_data_free(struct report_data *d);

#endif
