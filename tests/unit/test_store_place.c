/* Unit tests for reopening the browser deep in a long list: after store_place (the
 * saved place of an action, trusted while store_data_stamp holds) the window a screen
 * above it gives exactly the rows a fresh read of the whole list has there, in the
 * default order and under each single sort, in the rest of a sorted list and in its
 * last group; and it is read from the placed rows, never by walking the list from its
 * start (the seek's remembered rows all lie near the place).  The stamp moves with
 * every kind of change a list can show (an edit, a note, an undo, a withdrawal, an
 * agency merge, an import) and with nothing else (the screen state saved). */
#include "../../src/store_int.h"
#include "ragtrack/filter.h"
#include "ragtrack/import.h"
#include "ragtrack/store.h"
#include "ragtrack/util.h"

#include "check.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/ragtrack-place.XXXXXX";
static char db_path[64];

#define ROWS 3000
#define SCREEN 20                  /* the browser reads [cursor - SCREEN, cursor + 2 SCREEN) */
#define STRIDE 16                  /* a seek's remembered rows, this far apart */
#define BEFORE 1024                /* store_place's second row, this far before the first */

static const char *const AGENCIES[] = { "CSC", "Police", "Health", "Education", "" };
static const char *const RAGS[] = { "Red", "Amber", "Green", "Blue", "" };
static const char *const TARGETS[] = { "31.03.2016", "", "30/06/2016", "Sept 2016", "31.12.2015", "" };
static const char *const LEADS[] = { "Head of Service", "", "advanced practitioner", "Board manager", "head of service" };

/* ROWS actions over many questions: every sort has ties, a last group and several keys. */
static char *make_plan(void)
{
	struct buf b = {0};
	buf_adds(&b, "Questions,Agency,Response,Actions,RAG,Target Date,Evidence/Outcome,Agency Lead Person\n");
	for (int i = 0; i < ROWS; i++) {
		if (i % 11 == 0)
			buf_printf(&b, "%d How does the Board know %d?,", i / 11 + 1, i);
		else
			buf_adds(&b, ",");
		buf_printf(&b, "%s,Response %d,Action %d,%s,%s,,%s %d\n", AGENCIES[i % 5], i, i, RAGS[(i / 2) % 5],
		           TARGETS[i % 6], LEADS[(i / 3) % 5], i % 7);
	}
	return buf_steal(&b);
}

static struct store *open_db(void)
{
	struct store_opts o = { .user = "tester", .source = SOURCE_CLI, .create = 1 };
	struct store *s = NULL;
	struct err e = {0};
	if (store_open(db_path, &o, &s, &e) != OK)
		fprintf(stderr, "open: %s\n", e.msg);
	return s;
}

static void make_db(void)
{
	snprintf(db_path, sizeof db_path, "%s/t.db", dir);
	struct store *s = open_db();
	char *plan = make_plan();
	struct import_opts o = { .review = "Plans" };
	struct err e = {0};
	CHECK(s && import_buffer(s, "plan.csv", plan, strlen(plan), &o, NULL, &e) == OK);
	free(plan);
	/* later changes, so the last-change sort has more than one time */
	for (int64_t id = 3; s && id < ROWS; id += 97) {
		setenv("RAGTRACK_NOW", id % 2 ? "2016-07-01T09:00:00Z" : "2016-07-02T09:00:00Z", 1);
		struct field_change c = { FIELD_LEAD, "Named later" };
		int changed = 0;
		CHECK(store_set(s, id, 0, &c, 1, NULL, &changed, &e) == OK);
	}
	setenv("RAGTRACK_NOW", "2016-06-30T12:00:00Z", 1);
	store_close(s);
}

struct ids {
	int64_t *v;
	long n, cap;
};

static int add_id(const struct action *a, void *ctx)
{
	struct ids *ids = ctx;
	if (ids->n == ids->cap)
		ids->v = xrealloc(ids->v, (size_t)(ids->cap = ids->cap ? 2 * ids->cap : 256) * sizeof *ids->v);
	ids->v[ids->n++] = a->id;
	return 0;
}

/* The lowest offset of a row the store's window cache remembers (LONG_MAX: none). */
static long lowest_anchor(const struct store *s)
{
	long low = 0x7fffffffL;
	for (int i = 0; i < s->window.nanchor; i++)
		if (s->window.anchor[i].offset < low)
			low = s->window.anchor[i].offset;
	for (int i = 0; i < s->window.nsparse; i++)
		if (s->window.sparse[i].offset < low)
			low = s->window.sparse[i].offset;
	return low;
}

/* Reopening at offset at of f's list (the action there placed first, or not): the
 * browser's window [at - SCREEN, at + 2 SCREEN) as a fresh read of the whole list has
 * it, read from rows near at. */
static void check_place(const struct filter *f, const struct ids *all, long at, const char *what)
{
	struct store *s = open_db();
	s->window_stride = STRIDE;
	long n = 0;
	struct err e = {0};
	CHECK(store_count(s, f, &n, &e) == OK);          /* as the browser counts first */
	store_plans_record(s, 1);
	CHECK(store_place(s, f, at, all->v[at], &e) == OK);
	/* the placed action found by its id, not by reading the list */
	CHECK(strstr(store_plans(s), "PRIMARY KEY (rowid=?)") != NULL);
	struct ids got = {0};
	CHECK(store_each(s, f, at - SCREEN, 3 * SCREEN, add_id, &got, &e) == OK);
	long want = all->n - (at - SCREEN) < 3 * SCREEN ? all->n - (at - SCREEN) : 3 * SCREEN;
	int same = got.n == want && memcmp(got.v, all->v + at - SCREEN, (size_t)want * sizeof *got.v) == 0;
	long low = lowest_anchor(s);
	if (!same || low < at - BEFORE)
		fprintf(stderr, "%s at %ld: %s, lowest row remembered %ld\n", what, at, same ? "same rows" : "rows differ",
		        low);
	CHECK(same);
	/* no walk from the start: that remembers a row every STRIDE from the first on */
	CHECK(low >= at - BEFORE);
	store_close(s);
	free(got.v);
}

static void test_place(void)
{
	static const char *const SORTS[] = { NULL, "target", "rag", "agency", "updated", "lead" };
	for (size_t i = 0; i < sizeof SORTS / sizeof *SORTS; i++) {
		for (int variant = 0; variant < 2; variant++) {
			struct filter f;
			struct err e = {0};
			filter_init(&f);
			if (SORTS[i])
				CHECK(filter_parse_sort(&f, SORTS[i], &e) == OK);
			if (variant)
				CHECK(filter_parse_option(&f, "rag", "red,amber,unset", &e) == OK);
			struct store *s = open_db();
			struct ids all = {0};
			CHECK(store_each(s, &f, 0, -1, add_id, &all, &e) == OK);
			store_close(s);
			char *what = xasprintf("sort %s%s", SORTS[i] ? SORTS[i] : "(default)", variant ? ", rag filter" : "");
			CHECK(all.n > 3 * BEFORE / 2);
			check_place(&f, &all, all.n * 3 / 5, what);        /* in the rest of a sorted list */
			check_place(&f, &all, all.n - 2 * SCREEN, what);   /* its last group, near the end */
			check_place(&f, &all, BEFORE / 2, what);           /* nearer the start than BEFORE */
			/* without the place, the same window walks the list from its start */
			s = open_db();
			s->window_stride = STRIDE;
			struct ids got = {0};
			long at = all.n * 3 / 5;
			CHECK(store_each(s, &f, at - SCREEN, 3 * SCREEN, add_id, &got, &e) == OK);
			CHECK(lowest_anchor(s) < at - BEFORE);
			store_close(s);
			free(got.v);
			/* an action the list does not hold is not placed */
			if (variant) {
				s = open_db();
				int64_t other = 0;
				for (int64_t id = 1; id <= ROWS && !other; id++) {
					long pos = -1;
					CHECK(store_position(s, &f, id, &pos, &e) == OK);
					if (pos < 0)
						other = id;
				}
				CHECK(other > 0);
				CHECK(store_place(s, &f, at, other, &e) == ERR_NOT_FOUND);
				CHECK_INT(s->window.nsparse, 0);
				store_close(s);
			}
			free(what);
			free(all.v);
			filter_free(&f);
		}
	}
}

/* Lists a re-import can change with nothing logged (a search, a finding, a question),
 * and several sorts (no keyed windows): nothing placed, the old way reads them. */
static void test_place_not_kept(void)
{
	static const char *const FILTERS[][2] = {
		{ "search", "action" }, { "finding", "1" }, { "question", "2" }, { "sort", "target,lead" },
	};
	for (size_t i = 0; i < sizeof FILTERS / sizeof *FILTERS; i++) {
		struct filter f;
		struct err e = {0};
		filter_init(&f);
		if (strcmp(FILTERS[i][0], "sort") == 0)
			CHECK(filter_parse_sort(&f, FILTERS[i][1], &e) == OK);
		else
			CHECK(filter_parse_option(&f, FILTERS[i][0], FILTERS[i][1], &e) == OK);
		struct store *s = open_db();
		CHECK(store_place(s, &f, 5, 1, &e) == OK);
		CHECK_INT(s->window.nsparse + s->window.nanchor, 0);
		store_close(s);
		filter_free(&f);
	}
}

static char *stamp_of(struct store *s)
{
	char *stamp = NULL;
	struct err e = {0};
	CHECK(store_data_stamp(s, &stamp, &e) == OK && stamp && !strchr(stamp, ' '));
	return stamp ? stamp : xstrdup("");
}

/* Whether the stamp moved since *was (then *was becomes the new one). */
static int stamp_moved(struct store *s, char **was)
{
	char *now = stamp_of(s);
	int moved = strcmp(now, *was) != 0;
	free(*was);
	*was = now;
	return moved;
}

/* The stamp moves with each change a list can show, and with nothing else: the browser
 * saves its state (ui_state) as it quits, after reading the stamp. */
static void test_stamp(void)
{
	struct store *s = open_db();
	struct err e = {0};
	char *was = stamp_of(s);
	struct ids any = {0};
	struct filter f;
	filter_init(&f);
	CHECK(store_each(s, &f, 0, 5, add_id, &any, &e) == OK);
	CHECK(store_ui_set(s, "tui.cursor", "1 0 2 x", &e) == OK);
	CHECK(!stamp_moved(s, &was));                    /* reads and the screen state */
	struct field_change c = { FIELD_TARGET, "2014-01-01" };
	int changed = 0;
	CHECK(store_set(s, 2000, 0, &c, 1, NULL, &changed, &e) == OK && changed);
	CHECK(stamp_moved(s, &was));                     /* an edit */
	CHECK(store_note_add(s, 2000, "progress", &e) == OK);
	CHECK(stamp_moved(s, &was));                     /* a note */
	char *what = NULL;
	CHECK(store_undo(s, &what, &e) == OK);
	free(what);
	CHECK(stamp_moved(s, &was));                     /* an undo */
	struct field_change w = { FIELD_WITHDRAWN, "yes" };
	CHECK(store_set(s, 2001, 0, &w, 1, NULL, &changed, &e) == OK && changed);
	CHECK(stamp_moved(s, &was));                     /* a withdrawal */
	CHECK(store_agency_alias(s, "CSC", "Education", NULL, &e) == OK);
	CHECK(stamp_moved(s, &was));                     /* an agency merge */
	CHECK(store_agency_alias(s, "CSC", "Educ.", NULL, &e) == OK);
	CHECK(!stamp_moved(s, &was));                    /* an alias of no agency: no list changes */
	char *plan = xstrdup("Questions,Agency,Actions,RAG\n900 How?,Police,A new action,Red\n");
	struct import_opts o = { .review = "Plans" };
	CHECK(import_buffer(s, "more.csv", plan, strlen(plan), &o, NULL, &e) == OK);
	free(plan);
	CHECK(stamp_moved(s, &was));                     /* an import */
	setenv("RAGTRACK_TODAY", "2016-07-01", 1);
	CHECK(stamp_moved(s, &was));                     /* a new day: overdue and due-within */
	setenv("RAGTRACK_TODAY", "2016-06-30", 1);
	free(was);
	free(any.v);
	filter_free(&f);
	store_close(s);
}

/* A place saved, then an edit that moves the action: the stamp no longer holds, so the
 * browser does not place it; the list read the old way has it elsewhere. */
static void test_stamp_fallback(void)
{
	struct filter f;
	struct err e = {0};
	filter_init(&f);
	CHECK(filter_parse_sort(&f, "target", &e) == OK);
	struct store *s = open_db();
	struct ids all = {0};
	CHECK(store_each(s, &f, 0, -1, add_id, &all, &e) == OK);
	long at = all.n / 2;
	int64_t id = all.v[at];
	char *saved = stamp_of(s);
	struct field_change c = { FIELD_TARGET, "2010-01-01" };
	int changed = 0;
	CHECK(store_set(s, id, 0, &c, 1, NULL, &changed, &e) == OK && changed);
	store_close(s);
	s = open_db();
	char *now = stamp_of(s);
	CHECK(strcmp(saved, now) != 0);
	long pos = -1;
	CHECK(store_position(s, &f, id, &pos, &e) == OK);
	CHECK(pos >= 0 && pos != at);
	struct ids got = {0};
	CHECK(store_each(s, &f, pos, 1, add_id, &got, &e) == OK);
	CHECK(got.n == 1 && got.v[0] == id);
	free(got.v);
	free(saved);
	free(now);
	free(all.v);
	filter_free(&f);
	store_close(s);
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
	test_place();
	test_place_not_kept();
	test_stamp_fallback();
	test_stamp();                  /* last: it changes the database */
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
	return check_report();
}
