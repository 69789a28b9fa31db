/* store_int.h: what the store's source files share.  Not a public header: only
 * src/store*.c include it. */
#ifndef RAGTRACK_STORE_INT_H
#define RAGTRACK_STORE_INT_H

#include <sqlite3.h>
#include "ragtrack/store.h"
#include "ragtrack/util.h"

struct buf;
struct db;

#define AGENCY_CACHE 64
#define WINDOW_ANCHORS 8
/* A seek far into a list remembers a row every WINDOW_STRIDE rows on its way, so a later
 * jump anywhere before it walks at most that many index entries from one of them. */
#define WINDOW_STRIDE 16384

/* Rows whose place in a filtered list is known: later windows near them are read by
 * key from there (an index seek) instead of counting rows from the start. */
struct window_anchor {
	long offset;
	char *key;                 /* the row's sort_key */
	int64_t id;
	/* under a sort (store_query.c's keysets): the row's sort value and group */
	char *value;               /* as text, or NULL when value_int holds it */
	int64_t value_int;
	int last;                  /* in the group sorted after all others (no target date ...) */
};

/* What store_query knows about the last filter it listed; valid while sig and stamp hold. */
struct window_cache {
	char *sig;                 /* the filter (and lens) it is about */
	char *unsorted;            /* the same without the sort */
	int64_t stamp;             /* database state it was read in */
	long count;                /* -1 until counted */
	long rag_counts[RAG_COUNT];  /* store_rag_counts' (RAG condition left out), when have_rag */
	int have_rag;
	int matches;               /* its search matches: -1 unknown, 1 few, 2 many (store_query.c) */
	unsigned char *match_bits; /* with many: a bit per action id up to match_max */
	int64_t match_max;
	struct window_anchor anchor[WINDOW_ANCHORS];     /* the latest windows' edges */
	int nanchor, next;
	struct window_anchor *sparse;                    /* seeks' rows, by offset */
	int nsparse, sparse_cap;
};

/* How to read rows [offset, offset + limit) of a list: from an anchor or an end,
 * forwards or backwards, first skipping skip rows.  limit 0: nothing to read (the
 * offset is beyond the list). */
struct window_plan {
	const struct window_anchor *from;   /* NULL: from the start (forwards) or end (backwards) */
	int backwards;
	long skip, limit;
};

/* The plan for rows [offset, offset + limit) that skips the fewest rows, from w's
 * anchors and count (store_query.c). */
struct window_plan store_window_plan(const struct window_cache *w, long offset, long limit);

struct store {
	sqlite3 *db;                /* a SQLite file (NULL on PostgreSQL) */
	struct db *pg;              /* a PostgreSQL server (store_pg.c), or NULL */
	struct db *lite;            /* the statement layer over db (store_db), made when first asked */
	int restricted;             /* row-level security narrows what the login reads (a lead's, on a server) */
	int upgraded;               /* db init upgraded an existing server database (store_pg.c) */
	int64_t version_before;     /* the schema version found at open (0: none; db init) */
	char *path;                 /* the database as named: what messages and store_display_name say */
	char *file;                 /* the file SQLite has open: path, or a private build's
	                             * temporary file, or ":memory:" for a scratch database */
	int read_only;
	char *user;
	char *os_user;             /* the account running the program (util_os_user) */
	int64_t log_undoes_change; /* while undo --change logs: the change it reverses */
	sqlite3_stmt *log_stmt[2]; /* store_log's last-hash query and insert, kept prepared */
	store_wait_fn on_wait;     /* told while waiting for the write lock (store_busy) */
	void *wait_ctx;
	int wait_cancelled;        /* the user stopped waiting: store_begin says so */
	int wait_told;             /* store_busy: the wait callback has been told why */
	double wait_since;         /* store_busy: when this wait began */
	enum store_source source;
	int64_t lens_agency;       /* agency lens: its id, 0 = none */
	char *lens_name;
	char *login;               /* PostgreSQL: the login the server authenticated (session_user) */
	char *conninfo;            /* PostgreSQL: the connection string, to ask again after a lost commit */
	char *notice;              /* what store_open did that the user should hear, or NULL */
	struct store *home;        /* a re-import's scratch store: the server it mirrors, its
	                            * tables locked until store_publish_import writes back */
	int write_checked;         /* store_begin ran the damage check of the first write */
	/* import run state */
	int64_t run;
	int in_import;
	int64_t batch;             /* change-log batch of the import run */
	int64_t max_before;        /* highest action id before the run: newer ones are new */
	int64_t last_batch;        /* change-log batch of the last edit (store_last_batch) */
	sqlite3_stmt *import_stmt[32];
	struct fts_side *side;     /* first import: the index built alongside (or NULL) */
	int side_attached;         /* its file is attached as fts_side until commit */
	int bulk;                  /* a private build not yet published: no journal, and
	                            * store_close removes the file (store_open_private) */
	char *deferred_indexes;    /* a bulk first import: the CREATE INDEX statements it dropped */
	struct rag_tally *tally;   /* a run into an empty database: RAG totals as rows go in */
	struct import_match *match;  /* an import run's held rows, leftovers and counts */
	struct window_cache window;
	int matched_fn;            /* ragtrack_matched() is registered (store_query.c) */
	long window_stride;        /* rows between a seek's anchors; 0: WINDOW_STRIDE (tests set less) */
	struct extra_import *xf;   /* during an import: the current review's extra fields */
	struct extra_read *xread;  /* extra field names per review, for reading actions */
	int plans_on;              /* store_plans_record */
	struct buf plans;
	int brief;                 /* during store_each_brief: rows without the response text */
	store_progress_fn on_progress;  /* store_on_progress's, with its context */
	void *progress_ctx;
	store_cancel_fn cancel;    /* store_set_cancel's, with its context */
	void *cancel_ctx;
	int hold_match;            /* RAGTRACK_TEST_HOLD_MATCH: full-text queries wait for a cancel */
	int64_t seen_version;      /* data_version at the watch's last look (store_watch.c), -1 = none */
	int watching;              /* store_watch_start ran (on PostgreSQL: LISTEN) */
	struct {                   /* last lookups: rows of a plan come in groups */
		char *review, *finding_key, *question_key, *question_sort;
		char *question_text, *response_text;     /* as the database holds them */
		int64_t review_id, finding_id, question_id;
		struct { char *name; int64_t id; } agency[AGENCY_CACHE];
		int nagency;
	} cache;
};

/* Prepare sql into *st, which the caller finalizes.  On failure *st is NULL and the
 * status and err are store_fail's ("preparing a query"). */
enum status store_prepare(struct store *s, sqlite3_stmt **st, const char *sql, struct err *err);
/* With store_plans_record on: append sql (one statement, its parameters unbound) and its
 * EXPLAIN QUERY PLAN to the recorded plans.  Otherwise nothing. */
void store_plan_note(struct store *s, const char *sql);
/* Run sql with no result rows. */
enum status store_exec(struct store *s, const char *sql, struct err *err);
/* Error from the last SQLite call, with what was being done. */
enum status store_fail(struct store *s, struct err *err, const char *doing);
/* A statement of the layer (store_db.h) failed: on SQLite store_fail's message, saying
 * what was being done; on PostgreSQL the layer's, already in err. */
enum status store_db_fail(struct store *s, struct err *err, const char *doing);
/* Bind a string, NULL for NULL. */
void store_bind_text(sqlite3_stmt *st, int i, const char *v);
/* A column as a new string (NULL stays NULL). */
char *store_col_dup(sqlite3_stmt *st, int i);
/* Write refusals: read-only. */
enum status store_check_writable(struct store *s, struct err *err);
/* Under a lens: "no action N for AGENCY" (ERR_NOT_FOUND), for a missing action and for
 * another agency's alike. */
enum status store_lens_missing(struct store *s, int64_t action_id, struct err *err);
/* Begin / commit / roll back one user action's transaction, on either engine (on
 * PostgreSQL a READ COMMITTED transaction: an edit locks what it checks FOR UPDATE). */
enum status store_begin(struct store *s, struct err *err);
enum status store_commit(struct store *s, struct err *err);
void store_rollback(struct store *s);
/* The next change-log batch number in *batch (0 when the change log cannot be read:
 * the status and err then say why). */
enum status store_next_batch(struct store *s, int64_t *batch, struct err *err);
/* Append a change-log entry: the only code that writes to change_log.  Records the
 * store's user and the operating-system account, and chains the row (store_chain.c).
 * Call inside the caller's write transaction. */
enum status store_log(struct store *s, int64_t action_id, int64_t batch, const char *field,
                      const char *old_value, const char *new_value, const char *reason,
                      int64_t undoes, struct err *err);
/* The change log's hash chain (store_chain.c).  The columns hashed, in order:
 * action_id, at, user, os_user, field, old_value, new_value, source, reason, batch,
 * undoes, undoes_change (integers as decimal text, NULL as NULL). */
#define CHAIN_COLUMNS 12
/* SHA-256 of n bytes as 64 lower-case hex digits in hex. */
void store_sha256_hex(const void *data, size_t n, char hex[65]);
/* A row's hash: SHA-256 of prev_hash, then per column "|LEN:bytes" or "|-" for NULL. */
void store_chain_hash(const char *prev_hash, const char *const v[CHAIN_COLUMNS], char hex[65]);
/* Inside the upgrade's transaction: chain every row that has no hash yet, in id order. */
enum status store_chain_unhashed(struct store *s, struct err *err);
/* For check: walk the chain, one line per row out of it (by its number), or one "ok"
 * line with the row count and the last row's hash (write it down: removing rows at
 * the end is seen only against it). */
void store_chain_check(struct store *s, struct buf *b, int *problems);
/* The default sort key of an action. */
char *store_sort_key(const char *review, const char *question_sort_key, const char *agency, int seq);
/* Forget the window cache (store_close). */
void store_window_free(struct store *s);
/* On a server, the board's logins only: ERR_FORBIDDEN "DB: only a board member's login
 * may WHAT (LOGIN is not one)" for any other (a lead's, the read-only role's).  OK on a
 * file, which has no logins (store_roles.c). */
enum status store_board_only(struct store *s, const char *what, struct err *err);
/* Find an agency by name or alias (0 when none). */
int64_t store_agency_find(struct store *s, const char *name);
const char *store_source_name(enum store_source src);

/* Extra fields' values in action.extra: the pos-th after pos separators. */
#define EXTRA_SEP '\x1f'
/* Split packed (action.extra) into n values: vals[i] points into buf (strlen(packed)+1
 * bytes, overwritten); values packed does not hold are "". */
void store_extra_split(const char *packed, char *buf, const char **vals, size_t n);
/* n values packed as action.extra, trailing empty ones left out.  Caller frees. */
char *store_extra_join(const char *const *vals, size_t n);

/* Told a count of one group's actions in one RAG state (group: an agency or review id,
 * 0 for actions without an agency); several counts of one group and state add up. */
typedef void (*store_count_fn)(void *ctx, int64_t group, int rag, long n);
/* rag_count made again from the actions, on either engine (a bulk write paused its
 * triggers, or the rows came in by copy). */
#define RAG_COUNT_REBUILD_SQL \
	"DELETE FROM rag_count;" \
	"INSERT INTO rag_count SELECT review_id, coalesce(agency_id, 0), rag, count(*), count(target_date) FROM action" \
	" GROUP BY 1, 2, 3"

/* The actions matching f (its RAG condition left out, as store_rag_counts) counted per
 * group and RAG state in one read, through rag_count when f allows (store_query.c). */
enum status store_rag_counts_by(struct store *s, const struct filter *f, enum store_group by, store_count_fn fn,
                                void *ctx, struct err *err);

/* Forget the import's lookup cache. */
void store_cache_clear(struct store *s);

/* A first import's full-text index, built by a second thread (store_fts_side.c).
 * Rows go in as action_fts_source holds them: question, response, action, evidence,
 * extra. */
#define FTS_SIDE_COLUMNS 5
struct fts_side;
/* Start a builder in db_path + "-fts" with action_fts's columns and tokenizer; NULL when
 * it cannot start (the import then indexes at commit). */
struct fts_side *fts_side_start(sqlite3 *main_db, const char *db_path);
/* Queue a row to index (del 0) or, with the values it was indexed with, to take out. */
void fts_side_put(struct fts_side *x, int del, int64_t id, const char *const text[FTS_SIDE_COLUMNS]);
/* Wait for the builder: the path of its complete index, or NULL when it failed. */
const char *fts_side_finish(struct fts_side *x);
/* Stop the builder if still running and delete its file. */
void fts_side_free(struct fts_side *x);

/* A named parameter of store_prepare_matching's after: ":name" in the SQL. */
struct store_param {
	const char *name;          /* without the colon */
	const char *text;          /* its value, when not is_int (NULL binds NULL) */
	int64_t i;
	int is_int;
};
/* Prepare before + "SELECT a.id FROM ... WHERE <f>" + after through the statement layer
 * (either engine): the ids of the actions matching f (agency lens included) as a
 * subquery that other store files build on, e.g. before "WITH sel(id) AS (" and after
 * ") SELECT ...".  The filter's parameters are bound; before must hold no parameters,
 * and after only named ones (":today"), each bound here to its value in params.  The
 * caller finalizes *st with db_finalize. */
struct db_stmt;
enum status store_prepare_matching(struct store *s, const struct filter *f, const char *before,
                                   const char *after, const struct store_param *params, int nparams,
                                   struct db_stmt **st, struct err *err);

/* The statement layer (store_db.h) for s, whichever engine is behind it; owned by s. */
struct db *store_db(struct store *s);
/* Free what store_db made (store_close). */
void store_db_free(struct store *s);
/* PostgreSQL (store_pg.c): does target name a server (a libpq URI or keyword
 * string)?  Open a store on it, as store_open does; close one. */
int store_pg_target(const char *target);
enum status store_pg_open(const char *target, const struct store_opts *o, struct store **out, struct err *err);
void store_pg_close(struct store *s);
/* COMMIT on the server.  A connection lost before COMMIT reached the server: "not
 * saved" (the server rolls back).  Lost while its answer was awaited: the server is
 * asked again, on a new connection, what became of the transaction, and says "saved"
 * (OK), "not saved", or that it cannot be reached to say. */
enum status store_pg_commit(struct store *s, struct err *err);
/* On a server, before a write that an import's lock would hold up: when another
 * session's import holds it (LOCK TABLE ... IN EXCLUSIVE MODE), tell the wait callback
 * once, with the file's words, since the wait that follows is the server's. */
void store_pg_import_wait(struct store *s);
/* The change log's chain lock on a server (schema_pg.sql's rt_chain takes it too): a
 * call for a SELECT.  Every writer that logs takes it before any row it changes, so
 * their locks come in one order. */
#define PG_CHAIN_LOCK "pg_advisory_xact_lock(hashtext('ragtrack change_log chain'))"
/* db init's first half on a server: open, begin, wait for any other db init, create or
 * upgrade the schema (what was done goes to report); the transaction stays open, with
 * search_path ragtrack: the caller adds to it and commits, or rolls back.  Closing
 * the store without a commit rolls back. */
enum status store_pg_begin_init(const char *target, const struct store_opts *o, struct store **out,
                                struct buf *report, struct err *err);

/* backup FILE on PostgreSQL (store_copy.c): the server's rows as of one moment into a
 * new SQLite file built beside path, checked (store_check), then renamed over it. */
enum status store_copy_backup(struct store *s, const char *path, struct err *err);

#endif
