/* Unit tests for the store's edits: set, notes, undo, the change log, agency aliases,
 * the agency lens and read-only, on a real SQLite file in a temporary directory. */
#include "ragtrack/import.h"
#include "ragtrack/store.h"
#include "ragtrack/util.h"

#include "check.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

/* Two questions; question 1 has two CSC rows and two spelled "CSC (Children's)",
 * interleaved, and a Police row; question 2 has two Police rows sharing a response. */
static const char PLAN[] =
	"Questions,Agency,Response,Actions,RAG,Target Date,Evidence/Outcome,Agency Lead Person\n"
	"1 How does the Board know?,CSC,CSC says,First CSC action,Green,31.03.2016,Audit,AA\n"
	",CSC (Children's),Other says,First other action,Amber,ongoing,,BB\n"
	",CSC,,Second CSC action,Red,30.06.2016,,CC\n"
	",CSC (Children's),,Second other action,Green,,,DD\n"
	",Police,Police says,Police action,Green,31.12.2016,Checks,EE\n"
	"2 Second question?,Police,Shared response,Police Q2 one,Green,,,FF\n"
	",Police,,Police Q2 two,Amber,,,GG\n";

static char dir[] = "/tmp/ragtrack-unit.XXXXXX";
static char db_path[64];

static struct store *open_as(const char *user, const char *lens, int read_only)
{
	struct store_opts o = { .user = user, .as_agency = lens, .read_only = read_only, .source = SOURCE_CLI, .create = 1 };
	struct store *s = NULL;
	struct err e = {0};
	if (store_open(db_path, &o, &s, &e) != OK)
		fprintf(stderr, "open: %s\n", e.msg);
	return s;
}

/* One integer from the database file, read with SQLite directly. */
static long long sql_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v = -1;
	sqlite3_open(db_path, &db);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return v;
}

/* One text value (empty for NULL) into out. */
static const char *sql_text(const char *sql, char out[512])
{
	sqlite3 *db;
	sqlite3_stmt *st;
	out[0] = '\0';
	sqlite3_open(db_path, &db);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			snprintf(out, 512, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return out;
}

/* The id of the action whose text is t. */
static int64_t action_id(const char *t)
{
	char *sql = xasprintf("SELECT id FROM action WHERE text = '%s'", t);
	int64_t id = sql_int(sql);
	free(sql);
	return id;
}

static void make_db(void)
{
	snprintf(db_path, sizeof db_path, "%s/t.db", dir);
	unlink(db_path);
	struct store *s = open_as("importer", NULL, 0);
	struct import_opts o = { .review = "Unit" };
	struct err e = {0};
	CHECK(import_buffer(s, "plan.csv", PLAN, strlen(PLAN), &o, NULL, &e) == OK);
	store_close(s);
}

static enum status set1(struct store *s, int64_t id, int64_t version, enum action_field f, const char *v, int *changed,
                        struct err *e)
{
	struct field_change c = { f, v };
	return store_set(s, id, version, &c, 1, NULL, changed, e);
}

static void test_file_mode(void)
{
	struct stat st;
	CHECK(stat(db_path, &st) == 0);
	CHECK_INT(st.st_mode & 0777, 0660);
}

static void test_set_fields(void)
{
	struct store *s = open_as("alice", NULL, 0);
	int64_t id = action_id("First CSC action");
	struct err e = {0};
	int changed = -1;
	struct field_change c[] = {
		{ FIELD_RAG, "amber" }, { FIELD_TARGET, "30.09.2016" }, { FIELD_LEAD, "  Jane  " },
		{ FIELD_CONSTRAINTS, "Staff" }, { FIELD_DESIRED, "Better" }, { FIELD_TEXT, "Audit referrals" },
	};
	CHECK(store_set(s, id, 0, c, sizeof c / sizeof *c, "board", &changed, &e) == OK);
	CHECK_INT(changed, 6);
	char buf[512];
	char *sql = xasprintf("SELECT rag || '|' || target_date || '|' || target_raw || '|' || first_target_date || '|' ||"
	                      " lead || '|' || constraints || '|' || desired || '|' || text || '|' || version"
	                      " FROM action WHERE id = %lld", (long long)id);
	CHECK_STR(sql_text(sql, buf), "2|2016-09-30|30.09.2016|2016-03-31|Jane|Staff|Better|Audit referrals|2");
	free(sql);
	CHECK_INT(sql_int("SELECT count(*) FROM change_log WHERE user = 'alice' AND reason = 'board' AND source = 'cli'"), 6);
	CHECK_INT(sql_int("SELECT count(DISTINCT batch) FROM change_log"), 1);
	CHECK_STR(sql_text("SELECT old_value || '>' || new_value FROM change_log WHERE field = 'rag'", buf), "Green>Amber");
	CHECK_STR(sql_text("SELECT old_value || '>' || new_value FROM change_log WHERE field = 'target'", buf),
	          "2016-03-31>2016-09-30");
	char *what = store_batch_describe(s, store_last_batch(s));
	CHECK(what && strncmp(what, "#", 1) == 0 && strstr(what, "rag Green -> Amber; target 2016-03-31 -> 2016-09-30;"));
	CHECK(what && strstr(what, "lead AA -> Jane; action changed; constraints set; desired set"));
	free(what);

	/* the same values again: nothing changes, nothing is logged */
	changed = -1;
	CHECK(store_set(s, id, 0, c, sizeof c / sizeof *c, NULL, &changed, &e) == OK);
	CHECK_INT(changed, 0);
	CHECK_INT(store_last_batch(s), 0);
	CHECK_INT(sql_int("SELECT count(*) FROM change_log"), 6);

	/* an empty target clears it; the first target stays */
	CHECK(set1(s, id, 0, FIELD_TARGET, "", &changed, &e) == OK);
	sql = xasprintf("SELECT ifnull(target_date, 'NULL') || '|' || target_raw || '|' || first_target_date FROM action"
	                " WHERE id = %lld", (long long)id);
	CHECK_STR(sql_text(sql, buf), "NULL||2016-03-31");
	free(sql);

	/* a first target is recorded when there was none */
	int64_t other = action_id("First other action");
	CHECK(set1(s, other, 0, FIELD_TARGET, "June 2016", &changed, &e) == OK);
	sql = xasprintf("SELECT target_date || '|' || first_target_date FROM action WHERE id = %lld", (long long)other);
	CHECK_STR(sql_text(sql, buf), "2016-06-30|2016-06-30");
	free(sql);
	store_close(s);
}

static void test_validation(void)
{
	struct store *s = open_as("alice", NULL, 0);
	int64_t id = action_id("Second CSC action");
	long long log_before = sql_int("SELECT count(*) FROM change_log");
	struct err e = {0};
	int changed = -1;
	CHECK(set1(s, id, 0, FIELD_TARGET, "soon", &changed, &e) == ERR_INVALID);
	CHECK_STR(e.msg, "target: 'soon' is not a date (use YYYY-MM-DD or 31.03.2026)");
	CHECK(set1(s, id, 0, FIELD_TARGET, "31/02/2016", &changed, &e) == ERR_INVALID);
	CHECK(set1(s, id, 0, FIELD_TARGET, "30.06.2016 or later", &changed, &e) == ERR_INVALID);
	CHECK(set1(s, id, 0, FIELD_RAG, "purple", &changed, &e) == ERR_INVALID);
	CHECK(set1(s, id, 0, FIELD_RAG, "blue", &changed, &e) == ERR_INVALID);
	CHECK(strstr(e.msg, "Blue needs evidence") != NULL);
	CHECK(set1(s, id, 0, FIELD_LEAD, "\xff\xfe", &changed, &e) == ERR_INVALID);
	CHECK(set1(s, 9999, 0, FIELD_LEAD, "x", &changed, &e) == ERR_NOT_FOUND);
	CHECK_STR(e.msg, "no action 9999");

	/* a valid change beside an invalid one: nothing is applied */
	struct field_change two[] = { { FIELD_LEAD, "New lead" }, { FIELD_TARGET, "someday" } };
	CHECK(store_set(s, id, 0, two, 2, NULL, &changed, &e) == ERR_INVALID);
	CHECK_INT(changed, 0);
	struct field_change twice[] = { { FIELD_LEAD, "A" }, { FIELD_LEAD, "B" } };
	CHECK(store_set(s, id, 0, twice, 2, NULL, &changed, &e) == ERR_INVALID);
	struct field_change bad[] = { { (enum action_field)42, "A" } };
	CHECK(store_set(s, id, 0, bad, 1, NULL, &changed, &e) == ERR_INVALID);
	char buf[512];
	char *sql = xasprintf("SELECT lead || '|' || version FROM action WHERE id = %lld", (long long)id);
	CHECK_STR(sql_text(sql, buf), "CC|1");
	CHECK_INT(sql_int("SELECT count(*) FROM change_log"), log_before);

	/* Blue with evidence in the same call is fine; then clearing the evidence is not,
	 * nor is a placeholder such as "0" */
	struct field_change blue[] = { { FIELD_RAG, "B" }, { FIELD_EVIDENCE, "Audit report, May 2016" } };
	CHECK(store_set(s, id, 0, blue, 2, NULL, &changed, &e) == OK);
	CHECK_INT(changed, 2);
	CHECK(set1(s, id, 0, FIELD_EVIDENCE, "", &changed, &e) == ERR_INVALID);
	CHECK(set1(s, id, 0, FIELD_EVIDENCE, "0", &changed, &e) == ERR_INVALID);
	struct field_change back[] = { { FIELD_RAG, "green" }, { FIELD_EVIDENCE, "" } };
	CHECK(store_set(s, id, 0, back, 2, NULL, &changed, &e) == OK);
	free(sql);
	store_close(s);
}

static void test_conflict(void)
{
	struct store *a = open_as("alice", NULL, 0), *b = open_as("bob", NULL, 0);
	int64_t id = action_id("Police action");
	struct action seen;
	struct err e = {0};
	int changed;
	CHECK(store_get(a, id, &seen, &e) == OK);
	CHECK(set1(b, id, seen.version, FIELD_LEAD, "Bob's lead", &changed, &e) == OK);
	CHECK(set1(a, id, seen.version, FIELD_LEAD, "Alice's lead", &changed, &e) == ERR_CONFLICT);
	char *want = xasprintf("action %lld was changed by bob at 2016-06-30 12:00 UTC since you read it",
	                       (long long)id);
	CHECK_STR(e.msg, want);
	free(want);
	CHECK(strchr(e.msg, '\n') == NULL);
	/* a note does not move the version: an edit from a copy read before it goes through */
	action_clear(&seen);
	CHECK(store_get(a, id, &seen, &e) == OK);
	CHECK(store_note_add(b, id, "Update 6.6.16 exemplars are being collated", &e) == OK);
	CHECK(set1(a, id, seen.version, FIELD_LEAD, "Alice's lead", &changed, &e) == OK);
	action_clear(&seen);

	/* a response shared by two actions: changing it through one moves the other's version */
	int64_t one = action_id("Police Q2 one"), two = action_id("Police Q2 two");
	CHECK(store_get(a, two, &seen, &e) == OK);
	CHECK(set1(b, one, 0, FIELD_RESPONSE, "Rewritten response", &changed, &e) == OK);
	CHECK(set1(a, two, seen.version, FIELD_RESPONSE, "Alice's response", &changed, &e) == ERR_CONFLICT);
	CHECK(strstr(e.msg, "changed by bob") != NULL);
	action_clear(&seen);
	CHECK(store_get(a, two, &seen, &e) == OK);
	CHECK_STR(seen.response, "Rewritten response");
	action_clear(&seen);
	store_close(a);
	store_close(b);
}

static int count_note(const struct note *n, void *ctx)
{
	(void)n;
	(*(int *)ctx)++;
	return 0;
}

static void test_notes(void)
{
	struct store *s = open_as("carol", NULL, 0);
	int64_t id = action_id("Police action");
	struct err e = {0};
	CHECK(store_note_add(s, id, "  \x1b[31mSecond note\r\n ", &e) == OK);
	CHECK(store_note_add(s, id, "   ", &e) == ERR_INVALID);
	CHECK(store_note_add(s, 9999, "x", &e) == ERR_NOT_FOUND);
	int n = 0;
	CHECK(store_notes(s, id, count_note, &n, &e) == OK);
	CHECK_INT(n, 2);
	char buf[512];
	CHECK_STR(sql_text("SELECT text || '|' || user || '|' || source FROM note ORDER BY id DESC", buf),
	          "[31mSecond note|carol|cli");
	CHECK_INT(sql_int("SELECT count(*) FROM action_fts WHERE action_fts MATCH 'exemplars'"), 1);
	store_close(s);
}

struct history_ctx {
	int n;
	int64_t last_id;
	int ordered;
};

static int count_change(const struct change *c, void *ctx)
{
	struct history_ctx *h = ctx;
	if (c->id <= h->last_id)
		h->ordered = 0;
	h->last_id = c->id;
	h->n++;
	return 0;
}

static void test_history(void)
{
	struct store *s = open_as("alice", NULL, 0);
	struct err e = {0};
	struct history_ctx all = { .ordered = 1 }, one = { .ordered = 1 }, later = { .ordered = 1 };
	CHECK(store_history(s, 0, NULL, count_change, &all, &e) == OK);
	CHECK_INT(all.n, sql_int("SELECT count(*) FROM change_log"));
	CHECK(all.ordered);
	int64_t id = action_id("Police action");
	CHECK(store_history(s, id, NULL, count_change, &one, &e) == OK);
	CHECK_INT(one.n, 2);
	CHECK(store_history(s, 0, "2016-07-01", count_change, &later, &e) == OK);
	CHECK_INT(later.n, 0);
	CHECK(store_history(s, 9999, NULL, count_change, &later, &e) == ERR_NOT_FOUND);
	store_close(s);
}

static void test_undo(void)
{
	struct store *s = open_as("dave", NULL, 0), *other = open_as("erin", NULL, 0);
	int64_t id = action_id("Second other action");
	struct err e = {0};
	int changed;
	char *what = NULL;
	CHECK(store_undo(s, &what, &e) == ERR_NOT_FOUND);
	struct field_change blue[] = { { FIELD_RAG, "blue" }, { FIELD_EVIDENCE, "Done and seen" } };
	CHECK(store_set(s, id, 0, blue, 2, NULL, &changed, &e) == OK);
	int64_t first = store_last_batch(s);
	CHECK(set1(s, id, 0, FIELD_TARGET, "2016-12-31", &changed, &e) == OK);
	CHECK(set1(other, id, 0, FIELD_LEAD, "Erin", &changed, &e) == OK);

	/* the latest first: the target goes back to none; erin's lead is untouched */
	CHECK(store_undo(s, &what, &e) == OK);
	char *want = xasprintf("#%lld: target 2016-12-31 -> none", (long long)id);
	CHECK_STR(what, want);
	free(want);
	free(what);
	char buf[512];
	char *sql = xasprintf("SELECT rag || '|' || ifnull(target_date, 'NULL') || '|' || evidence || '|' || lead"
	                      " FROM action WHERE id = %lld", (long long)id);
	CHECK_STR(sql_text(sql, buf), "4|NULL|Done and seen|Erin");
	/* then the one before: exactly as it was, evidence-less Green */
	CHECK(store_undo(s, &what, &e) == OK);
	free(what);
	CHECK_STR(sql_text(sql, buf), "3|NULL||Erin");
	CHECK_INT(sql_int("SELECT count(*) FROM change_log WHERE user = 'dave' AND undoes IS NOT NULL"), 3);
	char *q = xasprintf("SELECT count(*) FROM change_log WHERE undoes = %lld", (long long)first);
	CHECK_INT(sql_int(q), 2);
	free(q);
	CHECK(store_undo(s, &what, &e) == ERR_NOT_FOUND);

	/* someone changed the field since: refused, nothing changes */
	CHECK(set1(s, id, 0, FIELD_LEAD, "Dave", &changed, &e) == OK);
	CHECK(set1(other, id, 0, FIELD_LEAD, "Erin again", &changed, &e) == OK);
	long long log_before = sql_int("SELECT count(*) FROM change_log");
	CHECK(store_undo(s, &what, &e) == ERR_CONFLICT);
	CHECK(strstr(e.msg, "changed by erin") != NULL);
	CHECK_INT(sql_int("SELECT count(*) FROM change_log"), log_before);
	/* erin's own undo is hers to make */
	CHECK(store_undo(other, &what, &e) == OK);
	free(what);
	CHECK(store_undo(s, &what, &e) == OK);
	free(what);
	CHECK_STR(sql_text(sql, buf), "3|NULL||Erin");
	free(sql);
	store_close(s);
	store_close(other);
}

static int find_agency(const struct agency_info *a, void *ctx)
{
	char *out = ctx;
	size_t n = strlen(out);
	snprintf(out + n, 512 - n, "%s=%ld[%s];", a->name, a->actions, a->aliases);
	return 0;
}

static void test_agency_alias(void)
{
	struct store *s = open_as("alice", NULL, 0);
	struct err e = {0};
	CHECK(store_agency_alias(s, "CSC", "CSC", NULL, &e) == ERR_INVALID);
	CHECK(store_agency_alias(s, "CSC", "csc", NULL, &e) == ERR_INVALID);
	CHECK(store_agency_alias(s, "Nobody", "X", NULL, &e) == ERR_NOT_FOUND);
	CHECK(store_agency_alias(s, "CSC", "CSC (Children's)", NULL, &e) == OK);
	char list[512] = "";
	CHECK(store_agencies(s, find_agency, list, &e) == OK);
	CHECK_STR(list, "CSC=4[CSC (Children's)];Police=3[];");
	/* interleaved rows keep the order they were imported in */
	char buf[512];
	CHECK_STR(sql_text("SELECT group_concat(text || ':' || seq, ',') FROM (SELECT text, seq FROM action"
	                   " WHERE agency_id = (SELECT id FROM agency WHERE name = 'CSC') ORDER BY sort_key)", buf),
	          "Audit referrals:1,First other action:2,Second CSC action:3,Second other action:4");
	CHECK_STR(sql_text("SELECT text FROM response WHERE agency_id = (SELECT id FROM agency WHERE name = 'CSC')", buf),
	          "CSC says\n\nOther says");
	CHECK_INT(sql_int("SELECT count(*) FROM response"), 3);
	CHECK_INT(sql_int("SELECT count(*) FROM change_log WHERE field = 'agency'"), 2);
	CHECK(store_agency_alias(s, "Police", "CSC (Children's)", NULL, &e) == ERR_INVALID);
	CHECK(store_agency_alias(s, "CSC", "Children's Services", NULL, &e) == OK);
	CHECK(store_agency_alias(s, "CSC", "Children's Services", NULL, &e) == OK);

	/* a re-import of the plan finds every action where it is: nothing added or changed
	 * but what set changed (the spreadsheet did not change, so nothing) */
	struct import_opts o = { .review = "Unit" };
	struct import_summary sum;
	CHECK(import_buffer(s, "plan.csv", PLAN, strlen(PLAN), &o, &sum, &e) == OK);
	CHECK_INT(sum.added, 0);
	CHECK_INT(sum.updated, 0);
	CHECK_INT(sql_int("SELECT count(*) FROM action"), 7);
	char *report = NULL;
	CHECK(store_check(s, &report, &e) == OK);
	free(report);
	store_close(s);
}

static void test_lens_and_read_only(void)
{
	struct store *s = open_as("lead", "Police", 0);
	struct err e = {0};
	int changed;
	char *what = NULL;
	CHECK(s != NULL);
	/* another agency's action reads as missing: the same status and words as an ID that
	 * does not exist (no oracle of which IDs exist) */
	CHECK(set1(s, action_id("Second CSC action"), 0, FIELD_LEAD, "x", &changed, &e) == ERR_NOT_FOUND);
	char other[sizeof e.msg];
	snprintf(other, sizeof other, "no action %lld for Police", (long long)action_id("Second CSC action"));
	CHECK_STR(e.msg, other);
	CHECK(store_note_add(s, action_id("Second CSC action"), "x", &e) == ERR_NOT_FOUND);
	CHECK(set1(s, 99999, 0, FIELD_LEAD, "x", &changed, &e) == ERR_NOT_FOUND);
	CHECK_STR(e.msg, "no action 99999 for Police");
	CHECK(set1(s, action_id("Police Q2 two"), 0, FIELD_LEAD, "Lead", &changed, &e) == OK);
	CHECK(store_agency_alias(s, "Police", "Constabulary", NULL, &e) == ERR_FORBIDDEN);
	char list[512] = "";
	CHECK(store_agencies(s, find_agency, list, &e) == OK);
	CHECK_STR(list, "Police=3[];");
	struct history_ctx h = { .ordered = 1 };
	CHECK(store_history(s, action_id("Second CSC action"), NULL, count_change, &h, &e) == ERR_NOT_FOUND);
	store_close(s);

	long long log_before = sql_int("SELECT count(*) FROM change_log");
	s = open_as("alice", NULL, 1);
	CHECK(s != NULL);
	CHECK(set1(s, action_id("Police action"), 0, FIELD_LEAD, "x", &changed, &e) == ERR_READ_ONLY);
	CHECK(store_note_add(s, action_id("Police action"), "x", &e) == ERR_READ_ONLY);
	CHECK(store_undo(s, &what, &e) == ERR_READ_ONLY);
	CHECK(store_agency_alias(s, "Police", "Constabulary", NULL, &e) == ERR_READ_ONLY);
	CHECK(store_import_begin(s, &e) == ERR_READ_ONLY);
	store_close(s);
	CHECK_INT(sql_int("SELECT count(*) FROM change_log"), log_before);
}

static void test_change_log_append_only(void)
{
	sqlite3 *db;
	sqlite3_open(db_path, &db);
	CHECK(sqlite3_exec(db, "UPDATE change_log SET user = 'mallory'", NULL, NULL, NULL) != SQLITE_OK);
	CHECK(sqlite3_exec(db, "DELETE FROM change_log", NULL, NULL, NULL) != SQLITE_OK);
	sqlite3_close(db);
	CHECK_INT(sql_int("SELECT count(*) FROM change_log WHERE user = 'mallory'"), 0);
}

static void test_backup(void)
{
	struct store *s = open_as("alice", NULL, 0);
	struct err e = {0};
	char *copy = xasprintf("%s/copy.db", dir);
	CHECK(store_backup(s, copy, &e) == OK);
	CHECK(store_backup(s, db_path, &e) == ERR_INVALID);
	struct stat st;
	CHECK(stat(copy, &st) == 0 && (st.st_mode & 0777) == 0660);
	store_close(s);
	unlink(copy);
	free(copy);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	setenv("RAGTRACK_NOW", "2016-06-30T12:00:00Z", 1);
	setenv("RAGTRACK_TODAY", "2016-06-30", 1);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	make_db();
	test_file_mode();
	test_set_fields();
	test_validation();
	test_conflict();
	test_notes();
	test_history();
	test_undo();
	test_agency_alias();
	test_lens_and_read_only();
	test_change_log_append_only();
	test_backup();
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
	return check_report();
}
