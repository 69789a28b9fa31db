/* store: the database: a SQLite file, or a PostgreSQL server (a target that is a libpq
 * URI or keyword string: postgresql://..., postgres://..., pg:KEYWORDS, host=...).  The
 * only module that speaks SQL; every other layer calls these functions, and none learns
 * which engine is behind them.  One transaction per user action or per import. */
#ifndef RAGTRACK_STORE_H
#define RAGTRACK_STORE_H

#include <stdint.h>
#include <stddef.h>
#include "ragtrack/status.h"
#include "ragtrack/text.h"
#include "ragtrack/filter.h"

struct store;

/* Where a change came from, as the change log records it. */
enum store_source { SOURCE_IMPORT, SOURCE_CLI, SOURCE_TUI };

/* Called while an edit or import waits for the database's write lock, which another
 * process holds (an import holds it for its whole transaction): first is 1 on the
 * first call, about a second into the wait, then it is called every 50 ms or so.
 * message says what is happening.  Return nonzero to stop waiting: the edit then
 * fails with "not saved: you stopped waiting".  Without one, the store waits silently. */
typedef int (*store_wait_fn)(void *ctx, const char *message, int first);

struct store_opts {
	int read_only;            /* open read-only: every write is refused */
	const char *as_agency;    /* agency lens: only this agency's actions, edits elsewhere refused */
	const char *user;         /* who is acting (change log); NULL = $USER */
	enum store_source source;
	int create;               /* create the database when missing (else ERR_NOT_FOUND); an
	                           * existing empty file is then made one (mode 0660) */
	int adopt;                /* add ragtrack's tables to another program's database (an
	                           * explicit import); otherwise such a file is refused */
	store_wait_fn on_wait;    /* told while waiting for the write lock (may be NULL) */
	void *wait_ctx;
	int build_private;        /* with create, not read-only: a database that does not exist
	                           * yet is built where no one sees it, quickly since no one can
	                           * wait on it, and appears complete at store_publish (or never:
	                           * store_close discards it).  A first import's. */
	int scratch;              /* a database that does not exist is opened empty and never
	                           * saved anywhere (a dry run's); an existing one opens as usual */
	const char *command;      /* the command opening the store ("list"): a database that
	                           * cannot run it yet refuses it (store_command_check) */
};

/* Open (and create or upgrade) the database at path.  New files are created with mode
 * 0660.  *out is freed by store_close or store_publish.  Errors: ERR_NOT_FOUND, ERR_DB,
 * ERR_SCHEMA (a newer schema than this program knows, another program's database, an
 * empty file without o->create), ERR_FULL, ERR_IO (a private build cannot be made).
 * Messages name path, also while a private build fills. */
enum status store_open(const char *path, const struct store_opts *o, struct store **out,
                       struct err *err);
/* Close s and free it.  A private build not yet published is discarded: nothing of it
 * remains. */
void store_close(struct store *s);
/* Close s and free it, first putting a private build (store_opts.build_private) in
 * place, complete and synced: ERR_IO, and the build discarded, when it cannot be (a
 * database appeared at its path meanwhile).  Any other store is simply closed (OK). */
enum status store_publish(struct store *s, struct err *err);
/* Can the database target names run command ("list", "import")?  ERR_SCHEMA "COMMAND
 * is not available on PostgreSQL databases yet" when its engine has no port of the
 * command's store calls; OK otherwise, without opening anything. */
enum status store_command_check(const char *target, const char *command, struct err *err);
/* The same for a store already open (the browser asks before an edit: "set", "note",
 * "undo"): OK on a SQLite file; ERR_SCHEMA with the same words otherwise. */
enum status store_command_allowed(const struct store *s, const char *command, struct err *err);
/* db init: create the ragtrack schema in target (a new SQLite file or a PostgreSQL
 * database), or upgrade an older one, or leave a current one alone; *report gets what
 * was done, a line each, that the caller frees.  board (may be NULL): a PostgreSQL
 * login to grant the board's rights to (ERR_NOT_FOUND when the server has no such
 * login; ERR_USAGE for a SQLite file).  ERR_READ_ONLY under o->read_only. */
enum status store_init(const char *target, const struct store_opts *o, const char *board, char **report,
                       struct err *err);
/* db copy: the SQLite database from into the PostgreSQL database to (its schema made
 * first when it has none), or the PostgreSQL database from into the SQLite file to (a
 * new file, or one without rows), ids, history, notes and board records kept, in one
 * transaction (the server read in one REPEATABLE READ snapshot); *report gets what was
 * copied (the caller frees).  ERR_CONFLICT when to already holds rows, ERR_USAGE when
 * neither or both are PostgreSQL. */
enum status store_copy(const char *from, const char *to, const struct store_opts *o, char **report, struct err *err);
/* Open target for an import: store_open for a SQLite file; for a PostgreSQL database,
 * which must hold no reviews or actions yet (ERR_CONFLICT, saying what to do instead), a
 * scratch SQLite store that messages name target by, and that store_publish_import
 * copies into it.  Free with store_close or store_publish_import. */
enum status store_open_import(const char *target, const struct store_opts *o, struct store **out, struct err *err);
/* store_publish, or for store_open_import's scratch store of a PostgreSQL database: copy
 * it in, in one transaction (ERR_CONFLICT, nothing copied, if the database gained rows
 * meanwhile).  s is closed on every path. */
enum status store_publish_import(struct store *s, const struct store_opts *o, struct err *err);
/* Replace the wait callback of store_opts (the browser shows the message itself). */
void store_on_wait(struct store *s, store_wait_fn fn, void *ctx);
/* The version of the schema this program writes (what --version prints). */
int store_schema_version(void);
/* A short name for the database, for a title (the browser's top bar): a file's name
 * without its folder.  Never holds a password.  Owned by s. */
const char *store_display_name(const struct store *s);
int store_read_only(const struct store *s);
/* The lens agency's canonical name, or NULL. */
const char *store_lens(const struct store *s);
/* What opening did that the user should be told (an empty file's mode fixed, ragtrack's
 * tables added to another program's database), or NULL.  Owned by s. */
const char *store_notice(const struct store *s);
/* Is path one of s's own files: the database's file or one the store keeps beside it,
 * compared by device and inode with links followed (and by folder and name when it
 * does not exist yet)?  0 for a database held in no file.  Writers of files ask before
 * writing (see writeguard.h). */
int store_owns_path(const struct store *s, const char *path);
/* Is the file at path a database file with ragtrack's tables (what store_backup
 * writes)?  Read without locks and without creating any file, so only that one file is
 * read: ask of a file no program is changing (writeguard_check_backup checks first).
 * 0 when it cannot be read. */
int store_file_is_ragtrack(const char *path);

/* ---- one flat action, as spreadsheets, export and views see it ---------------- */
/* An extra field: a spreadsheet column that maps to no field of ragtrack, kept under
 * its header as written. */
struct action_extra {
	const char *name;         /* the header as written (cleaned) */
	const char *value;        /* the cell, cleaned like other text; "" when empty */
};

struct action {
	int64_t id;
	int64_t version;          /* bumped by every change: edits check it (no silent overwrite) */
	char *review, *board;
	char *finding_ref, *finding;      /* finding text as written, cleaned */
	char *question_ref, *question;
	char *agency;                     /* canonical agency name, NULL when none */
	char *response;
	int seq;                          /* within review + question + agency */
	char *text;                       /* the action */
	enum rag rag;
	char *rag_raw;
	char *target_date;                /* ISO or NULL */
	char *target_raw;
	char *first_target_date;          /* the target when first seen (slippage) */
	char *evidence, *lead, *constraints, *desired;
	char *created_at, *updated_at;
	long nnotes;
	int withdrawn;                    /* 1: no longer in the plan (kept, never deleted) */
	/* Extra fields, in the file's order.  For an import: the file's extra columns
	 * (a column the file does not have is left alone).  Read from the store: every
	 * extra field of the action's review, with this action's values.  One allocation
	 * (action_set_extras) that action_clear frees; in an action passed to a
	 * store_each callback it belongs to the store, like the strings. */
	size_t nextra;
	struct action_extra *extra;
};
/* Every string member of struct action, for the code that frees or copies them all. */
#define ACTION_STRINGS(X) \
	X(review) X(board) X(finding_ref) X(finding) X(question_ref) X(question) X(agency) X(response) \
	X(text) X(rag_raw) X(target_date) X(target_raw) X(first_target_date) X(evidence) X(lead) \
	X(constraints) X(desired) X(created_at) X(updated_at)
void action_init(struct action *a);
void action_clear(struct action *a);    /* frees the strings, keeps a usable */
/* Give a n extra fields (copies of names[i] and values[i]; NULL values are ""),
 * replacing any it had. */
void action_set_extras(struct action *a, size_t n, const char *const *names, const char *const *values);
/* The value of a's extra field called name (the nth of that name, from 0, when a
 * file repeats a header), or NULL when a has none. */
const char *action_extra_value(const struct action *a, const char *name, int nth);

struct change {
	int64_t id, action_id;
	const char *at, *user, *field, *old_value, *new_value, *source, *reason;
	int64_t batch;            /* the changes of one edit share a batch */
	int64_t undoes;           /* the batch an undo reversed, 0 when not an undo */
	const char *os_user;      /* the account that ran the command (NULL: not recorded) */
};
typedef int (*store_change_fn)(const struct change *c, void *ctx);

/* ---- import -------------------------------------------------------------------- */
enum row_result { ROW_ADDED, ROW_UPDATED, ROW_UNCHANGED };

/* Percent alike (token-set Jaccard of the action texts) at which a changed row is the
 * same action; a nearest action under it but at least IMPORT_NEAR_ALIKE is said. */
#define IMPORT_MATCH_ALIKE 50
#define IMPORT_NEAR_ALIKE 25

/* What an import run says about its matching (src/store_import.c, docs/import.md). */
enum import_event_kind {
	IMPORT_EDITED,            /* line matched to id by similar text (alike: percent) */
	IMPORT_AMBIGUOUS,         /* line could be id or other equally; matched to id */
	IMPORT_TOO_DIFFERENT,     /* line is new: nearest was id, alike percent, under the threshold */
	IMPORT_TOO_MANY,          /* line: too many changed rows in its group to compare; new */
	IMPORT_MISSING,           /* id (text) not in this file */
	IMPORT_WITHDRAWN,         /* id (text) withdrawn by --withdraw-missing */
	IMPORT_REINSTATED         /* line matched id, which was withdrawn: no longer */
};
struct import_event {
	enum import_event_kind kind;
	long line;                /* in the file being imported; 0 for the missing */
	int64_t id, other;
	int alike;                /* percent */
	const char *text;         /* the action's text as stored (missing) */
};
typedef void (*store_import_event_fn)(const struct import_event *ev, void *ctx);

struct store_import_opts {
	int withdraw_missing;     /* mark the missing withdrawn (logged, undoable) */
	const char *at;           /* the time the rows reflect ("2016-03-31T00:00:00Z"), NULL = now */
	store_import_event_fn on_event;
	void *ctx;
};

/* What a run did, in rows of its files and actions it found missing. */
struct import_counts {
	long added, updated, unchanged, missing, withdrawn;
};

/* Begin an import run: one transaction for all files of the run. */
enum status store_import_begin(struct store *s, struct err *err);
/* Options and the event listener of the run begun (call after store_import_begin). */
void store_import_configure(struct store *s, const struct store_import_opts *o);
/* The file whose rows follow (its name goes into the change log of the actions it adds). */
void store_import_file(struct store *s, const char *name);
/* 1 when the run leaves the second core free for reading the files (0 while a first
 * import builds its search index there, and when RAGTRACK_THREADS=1). */
int store_import_spare_core(const struct store *s);
/* One row of the file, from line.  Into a database with actions, the store takes a's
 * strings (a is left empty; action_clear it as always) and holds the row until its question's rows are all in (store_import_flush at the end of
 * a file): a row with an ID is that action; the others are aligned to the actions of
 * their review, question and agency by text (docs/import.md).  Changed fields are
 * logged with source import. */
enum status store_import_row(struct store *s, struct action *a, long line, struct err *err);
/* Decide and store the rows held: call at the end of each file. */
enum status store_import_flush(struct store *s, struct err *err);
/* End of the files: settle responses, name the missing (withdrawing them when asked).
 * Called by store_import_commit when not called before; a dry run calls it, lists
 * store_import_changes, then rolls back. */
enum status store_import_finish(struct store *s, struct err *err);
/* The run's counts so far. */
void store_import_counts(const struct store *s, struct import_counts *c);
/* The change-log entries the run wrote, in order (a dry run's listing). */
enum status store_import_changes(struct store *s, store_change_fn fn, void *ctx, struct err *err);
/* The warnings remembered from the last import of review (a line of hashes; "" when
 * none), and remembering this import's.  The caller frees *value. */
enum status store_import_warnings_get(struct store *s, const char *review, char **value, struct err *err);
enum status store_import_warnings_set(struct store *s, const char *review, const char *value, struct err *err);
/* Set a review's descriptive fields (board, kind, as-at date, source file). */
enum status store_review_describe(struct store *s, const char *review, const char *board,
                                  const char *kind, const char *as_at, const char *source_file,
                                  struct err *err);
/* A RAG word a review's plan uses for a state (import --rag-map), remembered. */
struct store_rag_word {
	char *review, *word;      /* word folded as rag_word_key folds it */
	enum rag rag;
};
/* Every remembered RAG word of every review, in review and word order.  *out is an
 * array the caller frees with store_rag_words_free. */
enum status store_rag_words(struct store *s, struct store_rag_word **out, size_t *n, struct err *err);
void store_rag_words_free(struct store_rag_word *w, size_t n);
/* Remember word (already folded) as rag for the review named review (which this import
 * run has created or touched), replacing what it meant before. */
enum status store_rag_word_save(struct store *s, const char *review, const char *word, enum rag rag,
                                struct err *err);
/* What the run touched so far: distinct reviews, questions and agencies. */
enum status store_import_stats(struct store *s, long *reviews, long *questions, long *agencies,
                               struct err *err);
/* Commit (or roll back: nothing of the run stays). */
enum status store_import_commit(struct store *s, struct err *err);
void store_import_rollback(struct store *s);

/* ---- queries ------------------------------------------------------------------- */
/* Check the filter's names against the database: an agency, review, finding or
 * question that matches nothing is ERR_NOT_FOUND with a message listing the valid
 * ones or suggesting the nearest ("no agency 'Polce'; did you mean 'Police'?"). */
enum status store_filter_check(struct store *s, const struct filter *f, struct err *err);
/* Is a search within bounds: at most 32 different words (a repeated word counts
 * once) and 8000 bytes?  ERR_INVALID saying so otherwise.  store_filter_check asks
 * too; a search beyond the bounds is never run past them. */
enum status store_search_check(const char *words, struct err *err);
/* How many actions match. */
enum status store_count(struct store *s, const struct filter *f, long *n, struct err *err);
/* Counts per RAG state of the actions matching f, leaving f's RAG condition out, so
 * each count says what selecting that state would show. */
enum status store_rag_counts(struct store *s, const struct filter *f, long counts[RAG_COUNT],
                             struct err *err);
/* Call fn for rows [offset, offset+limit) of the filtered, sorted list (limit < 0: all).
 * The action passed is valid only during the call.  fn returns 0 to go on, non-zero to
 * stop.  The default order and each single sort of the browser are read in keyed windows
 * through an index, so a window at row 900,000 costs about what one at row 0 does; other
 * sorts (several keys, or to the end) and ranked searches
 * first read the ids in order with only the joins the filter needs (8 bytes a row),
 * then just those rows in full (src/store_query.c). */
typedef int (*store_action_fn)(const struct action *a, void *ctx);
enum status store_each(struct store *s, const struct filter *f, long offset, long limit,
                       store_action_fn fn, void *ctx, struct err *err);
/* As store_each, but each action's response is NULL: one join less per row, for callers
 * that do not show the response (list's columns without it). */
enum status store_each_brief(struct store *s, const struct filter *f, long offset, long limit,
                             store_action_fn fn, void *ctx, struct err *err);
/* Position of action id in the filtered, sorted list, or -1. */
enum status store_position(struct store *s, const struct filter *f, int64_t id, long *pos,
                           struct err *err);
/* Tell the store that action id is at offset in f's list (a place saved when nothing
 * has changed since: store_data_stamp), so a window near it is read from there rather
 * than by walking the list from its start.  The action must be in the list: one query
 * by id checks it and reads its sort key; then a row about 1024 before it is found by
 * key and kept too.  Lists read in keyed windows only (the default order and each
 * single sort); for others, and for filters a re-import can change with no change
 * logged (a search, --finding, --question), it keeps nothing and returns OK.
 * ERR_NOT_FOUND when the action is not in the list. */
enum status store_place(struct store *s, const struct filter *f, long offset, int64_t id, struct err *err);
/* The extra fields of the reviews that have actions matching f, merged by name in
 * the files' order (a review's fields in its order, then the next review's new
 * ones): the columns export and list write for them.  fn gets each name and its
 * occurrence (0, or n for the n+1th field of that name in one review); f NULL: every
 * review.  fn returns non-zero to stop. */
typedef int (*store_extra_fn)(const char *name, int nth, void *ctx);
enum status store_extra_fields(struct store *s, const struct filter *f, store_extra_fn fn, void *ctx,
                               struct err *err);
/* The words of action id's searched texts (question, response, action, evidence,
 * notes and extra fields) that search matches, word forms and prefixes included
 * ("audits" for a search of "audit"), each once, as written.  *words gets *n strings the caller frees (each,
 * and the array; NULL when none). */
enum status store_search_words(struct store *s, const char *search, int64_t id, char ***words, size_t *n,
                               struct err *err);
/* The same for each of ids[0..n), in each action's own text alone (what the list shows
 * of it: a screen's other texts took five times as long to mark on a server): fn is
 * called once per action that has matched words, with them (the callee owns neither:
 * copy what it keeps); a window of the list in one round trip on a server, where
 * store_search_words is one per action. */
typedef void (*store_words_fn)(void *ctx, int64_t id, char **words, size_t nwords);
enum status store_search_words_each(struct store *s, const char *search, const int64_t *ids, size_t n,
                                    store_words_fn fn, void *ctx, struct err *err);
/* One action in full (ERR_NOT_FOUND when missing or outside the agency lens).
 * Caller clears a with action_clear. */
enum status store_get(struct store *s, int64_t id, struct action *a, struct err *err);

/* ---- edits (each its own transaction, logged with user and source) -------------- */
/* The editable fields: X(ID, "name used by set and the TUI", "description") */
#define ACTION_FIELDS(X) \
	X(FIELD_RAG,         "rag",         "RAG status: Red, Amber, Green or Blue (Blue needs evidence)") \
	X(FIELD_TARGET,      "target",      "target date (2026-03-31, 31.03.2026, March 2026; empty clears it)") \
	X(FIELD_LEAD,        "lead",        "lead person") \
	X(FIELD_EVIDENCE,    "evidence",    "evidence of progress / outcome") \
	X(FIELD_TEXT,        "action",      "the action itself") \
	X(FIELD_CONSTRAINTS, "constraints", "constraints / problems") \
	X(FIELD_DESIRED,     "desired",     "desired outcome") \
	X(FIELD_RESPONSE,    "response",    "the agency's response to the question") \
	X(FIELD_WITHDRAWN,   "withdrawn",   "yes: no longer in the plan (kept, left out of lists); no: back in it")

enum action_field {
#define FIELD_ENUM(id, name, help) id,
	ACTION_FIELDS(FIELD_ENUM)
#undef FIELD_ENUM
	FIELD_COUNT,
	FIELD_NONE = -1
};
enum action_field field_from_name(const char *name);
const char *field_name(enum action_field f);
const char *field_help(enum action_field f);

struct field_change {
	enum action_field field;
	const char *value;
};
/* Apply changes to one action in one transaction.  expected_version > 0 refuses the edit
 * with ERR_CONFLICT when the action changed since it was read.  Validates values
 * (ERR_INVALID: "target: '31/02/2016' is not a date"; "rag: Blue needs evidence").
 * Refused with ERR_READ_ONLY / ERR_FORBIDDEN under --read-only / the agency lens.
 * *changed (may be NULL) is the number of fields whose value actually changed. */
enum status store_set(struct store *s, int64_t id, int64_t expected_version,
                      const struct field_change *changes, size_t nchanges, const char *reason,
                      int *changed, struct err *err);
/* Add a dated progress note. */
enum status store_note_add(struct store *s, int64_t id, const char *text, struct err *err);
/* Reverse the last change made by this store's user from this operating-system
 * account (logged as a change itself).  *what (may be NULL) gets a description the
 * caller frees.  ERR_NOT_FOUND when there is none (naming one made from another
 * account), ERR_CONFLICT when a field changed since. */
enum status store_undo(struct store *s, char **what, struct err *err);
/* store_undo with choices: change > 0 reverses that one change (its number in the
 * change log) alone, refused with ERR_CONFLICT naming the later change when a later
 * one to the same field still stands, or when it was undone already.  force lets it
 * reverse a change made from another account (plain undo: this user's latest from any
 * account); the undo's reason records that.  Without force, another account's change
 * is ERR_FORBIDDEN. */
enum status store_undo_change(struct store *s, int64_t change, int force, char **what, struct err *err);

struct note {
	int64_t id, action_id;
	const char *at, *user, *text;
};
typedef int (*store_note_fn)(const struct note *n, void *ctx);
enum status store_notes(struct store *s, int64_t action_id, store_note_fn fn, void *ctx,
                        struct err *err);

/* The change log, oldest first; action_id 0 = all actions; since NULL = all time. */
enum status store_history(struct store *s, int64_t action_id, const char *since,
                          store_change_fn fn, void *ctx, struct err *err);

/* The change-log batch written by this handle's last successful store_set or
 * store_undo (0 when none, or when nothing changed). */
int64_t store_last_batch(const struct store *s);
/* One line saying what a batch changed, as set and undo print it:
 * "#12: rag Green -> Blue; evidence set".  Values are as stored: print it through
 * text_visible.  Returns a new string the caller frees, or NULL when the batch has
 * no entries (or on a database error). */
char *store_batch_describe(struct store *s, int64_t batch);

/* ---- agencies ------------------------------------------------------------------ */
/* Make alias another name for agency (merging the alias's actions into it when the
 * alias is itself an agency).  A merge is one transaction: a long one tells the
 * progress callback (store_on_progress) while it holds the write lock.  When the
 * merged-away agency had leads' logins, they lead agency now: their names go to *leads
 * (", " between them; the caller frees it), else NULL.  leads may be NULL.
 * ERR_FORBIDDEN for a login that is not the board's, and under --as-agency. */
enum status store_agency_alias(struct store *s, const char *agency, const char *alias, char **leads,
                               struct err *err);
struct agency_info {
	const char *name;
	const char *aliases;      /* comma separated, may be "" */
	long actions;
};
typedef int (*store_agency_fn)(const struct agency_info *a, void *ctx);
enum status store_agencies(struct store *s, store_agency_fn fn, void *ctx, struct err *err);

/* Agency leads' logins (PostgreSQL only: ERR_USAGE on a SQLite file).  Add and remove
 * are the board's (ERR_FORBIDDEN for any other login); AGENCY is a name or an alias
 * (ERR_NOT_FOUND), its name as stored goes to *name (free it).  Add makes LOGIN, without
 * a password, when no such login exists (*made 2), else grants it the agency (*made 1),
 * or finds it a lead there already (*made 0).  Remove takes the agency from the login,
 * which stays (*removed 0: it was not a lead there). */
enum status store_lead_add(struct store *s, const char *agency, const char *login, char **name, int *made,
                           struct err *err);
enum status store_lead_remove(struct store *s, const char *agency, const char *login, char **name, int *removed,
                              struct err *err);
/* Each agency's leads' logins, by agency (NOCASE), then login. */
typedef int (*store_lead_fn)(const char *agency, const char *login, void *ctx);
enum status store_leads(struct store *s, store_lead_fn fn, void *ctx, struct err *err);

/* ---- long queries and other writers ------------------------------------------------ */
/* Told while a long write holds the database's write lock (other programs' changes wait
 * for it): first about a second into it, then about once a second, and once more when it
 * is done (done == total).  doing says what is being done ("merging 'A' into 'B'"),
 * done and total count actions.  fn NULL: never. */
typedef void (*store_progress_fn)(void *ctx, const char *doing, long done, long total);
void store_on_progress(struct store *s, store_progress_fn fn, void *ctx);
/* Called now and then while a query runs (every few thousand SQLite steps; on a server,
 * every few tens of milliseconds while it works on the statement): returning non-zero
 * stops it, and the store call fails with ERR_CANCELLED ("cancelled"), a transaction
 * the query was in rolled back where the engine needs it (a server's).  fn NULL: never. */
typedef int (*store_cancel_fn)(void *ctx);
void store_set_cancel(struct store *s, store_cancel_fn fn, void *ctx);

/* ---- other connections' changes, as they commit (src/store_watch.c) ---------------- */
/* Start watching for changes that other connections commit to what the browser shows
 * (actions, responses, notes, reviews, questions, agencies): on PostgreSQL, LISTEN to
 * the database's change channel, which the server notifies at every such commit; on a
 * SQLite file, note where it stands.  Again: nothing.  ERR_DB when it cannot. */
enum status store_watch_start(struct store *s, struct err *err);
/* A descriptor that becomes readable when another connection may have committed a
 * change (the server's socket), to poll() beside the terminal; -1 when the engine gives
 * none (a SQLite file) or the watch has not started: then ask store_watch_changed about
 * once a second. */
int store_watch_fd(struct store *s);
/* *changed = 1 when another connection committed a change since the last call (or since
 * store_watch_start); this handle's own commits do not count.  Never waits: on
 * PostgreSQL it reads what the socket holds, without a round trip; on SQLite it reads
 * PRAGMA data_version.  ERR_DB when the connection is lost. */
enum status store_watch_changed(struct store *s, int *changed, struct err *err);

/* ---- maintenance --------------------------------------------------------------- */
/* A consistent copy of the database to the file path while others keep working,
 * checked, then renamed over path.  Callers first ask writeguard_check_backup whether
 * path may be replaced; the store's own files are refused here too.  The copy fills a
 * private temporary file beside path (util_tmp_create, as every writer's): a killed
 * backup leaves only a hidden file the next one removes. */
enum status store_backup(struct store *s, const char *path, struct err *err);
/* Integrity and foreign-key checks; report gets a readable summary the caller frees. */
enum status store_check(struct store *s, char **report, struct err *err);
/* Compare the change log with a head noted earlier (check's chain line: row and hash,
 * at least 8 hex digits of it): row must still be there with that hash.  Finds rows
 * removed from the end and a chain recomputed from an earlier row, which the chain
 * alone cannot.  *report gets one line the caller frees; ERR_DB when it differs. */
enum status store_check_head(struct store *s, int64_t row, const char *hash, char **report, struct err *err);

/* ---- screen state and group counts, for the TUI (src/store_ui.c) ----------------- */
/* The value saved under key for this store's user, in *value (NULL when there is
 * none; the caller frees it). */
enum status store_ui_get(struct store *s, const char *key, char **value, struct err *err);
/* Save value under key for this store's user (value NULL deletes the key).
 * ERR_READ_ONLY under --read-only. */
enum status store_ui_set(struct store *s, const char *key, const char *value, struct err *err);

/* A short text (no spaces) that changes whenever what any list shows could: the
 * change log's, actions' and notes' latest ids, the number of agencies, on a server
 * the agencies the login leads, and today's date (overdue and due-within move with it).  Saved
 * with the browser's cursor so the next start knows whether the saved place still
 * holds.  On PostgreSQL it is what the login sees (row-level security).  *stamp gets a
 * string the caller frees (NULL on an error). */
enum status store_data_stamp(struct store *s, char **stamp, struct err *err);

enum store_group { GROUP_AGENCY, GROUP_REVIEW };
struct group_counts {
	const char *name;         /* agency or review name; "(no agency)" for the actions of none */
	int none;                 /* the actions with no agency: not a name a filter can take */
	long counts[RAG_COUNT];   /* matching actions per RAG state */
	long total;
};
typedef int (*store_group_fn)(const struct group_counts *g, void *ctx);
/* Call fn for every agency (inside the agency lens) or every review, by name, with the
 * RAG counts of the actions matching f, leaving out f's RAG condition and its own
 * condition on the grouping (agency or review).  Groups with no match are passed too
 * (total 0).  By agency and outside a lens, the actions with no agency come last as
 * one more group (none = 1), when there are any, so the groups add up to the whole.
 * fn returns non-zero to stop. */
enum status store_group_counts(struct store *s, const struct filter *f, enum store_group by,
                               store_group_fn fn, void *ctx, struct err *err);

/* Plans: while on, every statement the store's reads prepare (lists, windows, counts,
 * positions) also has its query plan, in the engine's words, appended to a text
 * store_plans returns (owned by the store, valid until the next call here); turning it
 * on clears it.  For tests that check the reads seek rather than scan. */
void store_plans_record(struct store *s, int on);
const char *store_plans(const struct store *s);

#endif
