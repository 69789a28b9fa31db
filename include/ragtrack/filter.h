/* filter: the one model of "which actions, in what order" shared by every command and
 * the TUI.  Parsing and describing only: the store turns a filter into SQL. */
#ifndef RAGTRACK_FILTER_H
#define RAGTRACK_FILTER_H

#include <stddef.h>
#include "ragtrack/status.h"
#include "ragtrack/text.h"

/* X(ID, "name used by --sort and the TUI's s key") */
#define SORT_FIELDS(X) \
	X(SORT_DEFAULT, "default")   /* review, question ref (natural), agency, sequence */ \
	X(SORT_TARGET,  "target")    /* target date, undated last */ \
	X(SORT_RAG,     "rag")       /* Red, Amber, Green, Blue, unset */ \
	X(SORT_AGENCY,  "agency") \
	X(SORT_UPDATED, "updated")   /* most recently changed first */ \
	X(SORT_LEAD,    "lead") \
	X(SORT_ID,      "id")

enum sort_field {
#define SORT_ENUM(id, name) id,
	SORT_FIELDS(SORT_ENUM)
#undef SORT_ENUM
	SORT_COUNT
};

#define FILTER_MAX_SORT 4
enum { FILTER_WITHDRAWN_OUT, FILTER_WITHDRAWN_TOO, FILTER_WITHDRAWN_ONLY };
#define RAG_BIT(r) (1u << (r))   /* bits of struct filter.rag_mask, RAG_UNSET included */

struct filter {
	unsigned rag_mask;        /* 0 = any */
	char **agencies;          /* names or aliases, as the user typed them */
	size_t nagencies;
	char *review;             /* review name */
	char *finding;            /* finding ref */
	char *question;           /* question ref */
	char *lead;               /* substring of the lead person, case-insensitive */
	char *search;             /* full-text words, as typed */
	char *changed_since;      /* ISO date */
	int overdue;              /* target date passed and not Blue */
	int due_within;           /* days, -1 = off */
	int stale;                /* days without a change or note, -1 = off */
	int withdrawn;            /* FILTER_WITHDRAWN_*: withdrawn actions left out (default), too, or only */
	enum sort_field sort[FILTER_MAX_SORT];
	size_t nsort;             /* 0 = default */
};

/* Empty filter (matches everything, default sort).  filter_free releases what it owns. */
void filter_init(struct filter *f);
void filter_free(struct filter *f);
/* Deep copy: dst must be uninitialised or freed. */
void filter_copy(struct filter *dst, const struct filter *src);

/* Parse one command-line filter option.  opt is the option name without dashes
 * ("rag", "agency", "overdue", ...), val its value (NULL for flags).  Returns OK,
 * ERR_USAGE when opt is not a filter option (so the caller may try others), or
 * ERR_INVALID with a message ("--rag: 'purple' is not Red, Amber, Green, Blue or unset"). */
enum status filter_parse_option(struct filter *f, const char *opt, const char *val, struct err *err);
/* 1 when opt names a filter option that takes a value, 0 for a flag, -1 when unknown. */
int filter_option_arity(const char *opt);
/* "--rag red,amber --overdue" style parse of a comma list of RAG words into a mask. */
enum status filter_parse_rags(const char *list, unsigned *mask, struct err *err);
/* Parse "--sort target,rag". */
enum status filter_parse_sort(struct filter *f, const char *list, struct err *err);
const char *sort_name(enum sort_field s);

/* The filter in words for the TUI's top bar and report headings
 * ("Red or Amber; agency Police; overdue").  "all actions" when empty.  Caller frees. */
char *filter_describe(const struct filter *f);
/* Serialise to one line and back (the TUI saves filters per database and user). */
char *filter_serialise(const struct filter *f);
enum status filter_deserialise(struct filter *f, const char *line, struct err *err);
/* Any condition set (sort aside). */
int filter_active(const struct filter *f);

/* The help text for the filter options, one per line, for --help and the man page. */
extern const char FILTER_HELP[];

#endif
