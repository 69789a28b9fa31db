/* Unit tests for the first import's side index (src/store_fts_side.c): what it builds
 * matches what was fed, deletes take rows out, a delete that does not match what was
 * indexed makes it fail (so the import falls back to indexing at commit), its file is
 * private and goes when it is freed, and it will not write over a file already there. */
#include "../../src/store_int.h"
#include "ragtrack/store.h"
#include "ragtrack/util.h"

#include "check.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

static char dir[] = "/tmp/ragtrack-unit.XXXXXX";
static char db_path[64], side_path[80];

static struct store *open_new(void)
{
	struct store_opts o = { .user = "unit", .source = SOURCE_IMPORT, .create = 1 };
	struct store *s = NULL;
	struct err e = {0};
	if (store_open(db_path, &o, &s, &e) != OK)
		fprintf(stderr, "open: %s\n", e.msg);
	return s;
}

/* Rows of the side file matching an FTS5 query, as "id id ...". */
static const char *matches(const char *path, const char *query, char out[256])
{
	sqlite3 *db;
	sqlite3_stmt *st;
	out[0] = '\0';
	sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (sqlite3_prepare_v2(db, "SELECT rowid FROM action_fts WHERE action_fts MATCH ? ORDER BY rowid", -1, &st,
	                       NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW)
			snprintf(out + strlen(out), 256 - strlen(out), "%s%lld", *out ? " " : "",
			         (long long)sqlite3_column_int64(st, 0));
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return out;
}

static void put(struct fts_side *x, int del, int64_t id, const char *q, const char *r, const char *a, const char *e)
{
	const char *text[FTS_SIDE_COLUMNS] = { q, r, a, e };
	fts_side_put(x, del, id, text);
}

static void test_builds_what_was_fed(struct store *s)
{
	struct fts_side *x = fts_side_start(s->db, db_path);
	CHECK(x != NULL);
	if (!x)
		return;
	struct stat st;
	CHECK(stat(side_path, &st) == 0 && (st.st_mode & 0777) == 0600);
	put(x, 0, 1, "How do agencies share?", "Police reply", "Audit wombat", "Evidence one");
	put(x, 0, 2, "How do agencies share?", "CSC reply", "Train staff", "Evidence zebra");
	put(x, 0, 3, "Second question", NULL, "Review policy", "");
	/* row 2's evidence changes: out with what it was indexed with, in with the new */
	put(x, 1, 2, "How do agencies share?", "CSC reply", "Train staff", "Evidence zebra");
	put(x, 0, 2, "How do agencies share?", "CSC reply", "Train staff", "Evidence yak");
	const char *path = fts_side_finish(x);
	CHECK_STR(path, side_path);
	char got[256];
	CHECK_STR(matches(side_path, "agencies", got), "1 2");
	CHECK_STR(matches(side_path, "wombat", got), "1");
	CHECK_STR(matches(side_path, "zebra", got), "");
	CHECK_STR(matches(side_path, "yak", got), "2");
	CHECK_STR(matches(side_path, "evidence:one", got), "1");
	CHECK_STR(matches(side_path, "policy", got), "3");
	fts_side_free(x);
	CHECK(access(side_path, F_OK) != 0);
}

static void test_mismatched_delete_fails(struct store *s)
{
	struct fts_side *x = fts_side_start(s->db, db_path);
	CHECK(x != NULL);
	if (!x)
		return;
	put(x, 0, 1, "Question", "Response", "Action", "Evidence");
	put(x, 1, 1, "Other words entirely", "", "", "");
	CHECK(fts_side_finish(x) == NULL);
	fts_side_free(x);
	CHECK(access(side_path, F_OK) != 0);
}

static void test_many_rows_and_early_free(struct store *s)
{
	struct fts_side *x = fts_side_start(s->db, db_path);
	CHECK(x != NULL);
	if (!x)
		return;
	char evidence[2048];
	memset(evidence, 'e', sizeof evidence - 1);
	evidence[sizeof evidence - 1] = '\0';
	for (int64_t id = 1; id <= 20000; id++)        /* more than the queue holds at once */
		put(x, 0, id, "Question text", "Response text", id % 1000 == 0 ? "Gillick" : "Action", evidence);
	const char *path = fts_side_finish(x);
	CHECK(path != NULL);
	char got[256];
	CHECK_STR(matches(side_path, "gillick AND action", got), "");
	CHECK_INT(strlen(matches(side_path, "gillick", got)), strlen("1000 2000 3000 4000 5000 6000 7000 8000 9000 10000 "
	                                                              "11000 12000 13000 14000 15000 16000 17000 18000 "
	                                                              "19000 20000"));
	fts_side_free(x);

	x = fts_side_start(s->db, db_path);          /* freed while rows are still queued */
	CHECK(x != NULL);
	for (int64_t id = 1; x && id <= 5000; id++)
		put(x, 0, id, "Question", "", "Action", evidence);
	fts_side_free(x);
	CHECK(access(side_path, F_OK) != 0);
}

static void test_refuses_an_existing_file(struct store *s)
{
	FILE *f = fopen(side_path, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	CHECK(fts_side_start(s->db, db_path) == NULL);
	CHECK(access(side_path, F_OK) == 0);     /* not ours: left alone */
	unlink(side_path);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(db_path, sizeof db_path, "%s/t.db", dir);
	snprintf(side_path, sizeof side_path, "%s-fts", db_path);
	struct store *s = open_new();
	CHECK(s != NULL);
	if (s) {
		test_builds_what_was_fed(s);
		test_mismatched_delete_fails(s);
		test_many_rows_and_early_free(s);
		test_refuses_an_existing_file(s);
		store_close(s);
	}
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
	return check_report();
}
