/* Unit tests for the store's reads at scale: every sort of the browser read in windows
 * (forwards page by page, backwards from the end, a jump) gives the same rows in the same
 * order as the whole sorted list; and the hot statements (a window under each sort, the
 * first screen under each filter, a position, --changed-since, a seek deep into a list,
 * the counts and per-group counts under each filter) seek through an index: their
 * EXPLAIN QUERY PLAN, asked of a real SQLite file, never scans the action table or sorts
 * a window (nor, for counts, any rows of actions) in a temporary tree. */
#include "../../src/store_int.h"
#include "ragtrack/filter.h"
#include "ragtrack/import.h"
#include "ragtrack/report_data.h"
#include "ragtrack/store.h"
#include "ragtrack/util.h"

#include "check.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/ragtrack-plans.XXXXXX";
static char db_path[64];

static const char *const AGENCIES[] = { "CSC", "Police", "Health", "Education", "" };
static const char *const RAGS[] = { "Red", "Amber", "Green", "Blue", "" };
static const char *const TARGETS[] = { "31.03.2016", "", "30/06/2016", "Sept 2016", "31.12.2015", "" };
static const char *const LEADS[] = { "Head of Service", "", "advanced practitioner", "Board manager", "head of service" };

/* 97 rows over 9 questions: every sort has ties, an empty group and several keys. */
static char *make_plan(void)
{
	struct buf b = {0};
	buf_adds(&b, "Questions,Agency,Response,Actions,RAG,Target Date,Evidence/Outcome,Agency Lead Person\n");
	for (int i = 0; i < 97; i++) {
		if (i % 11 == 0)
			buf_printf(&b, "%d How does the Board know %d?,", i / 11 + 1, i);
		else
			buf_adds(&b, ",");
		buf_printf(&b, "%s,Response %d,Action %d,%s,%s,,%s\n", AGENCIES[i % 5], i, i, RAGS[(i / 2) % 5],
		           TARGETS[i % 6], LEADS[(i / 3) % 5]);
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
	/* a few later changes, so the last-change sort has more than one time */
	for (int64_t id = 3; s && id < 90; id += 17) {
		setenv("RAGTRACK_NOW", id % 2 ? "2016-07-01T09:00:00Z" : "2016-07-02T09:00:00Z", 1);
		struct field_change c = { FIELD_LEAD, "Named later" };
		int changed = 0;
		CHECK(store_set(s, id, 0, &c, 1, NULL, &changed, &e) == OK);
	}
	setenv("RAGTRACK_NOW", "2016-06-30T12:00:00Z", 1);
	store_close(s);
}

struct ids {
	int64_t v[256];
	long n;
};

static int add_id(const struct action *a, void *ctx)
{
	struct ids *ids = ctx;
	if (ids->n < 256)
		ids->v[ids->n++] = a->id;
	return 0;
}

/* Rows [off, off + n) as the browser reads them, appended to out at off. */
static void window(struct store *s, const struct filter *f, long off, long n, struct ids *out)
{
	struct ids w = {0};
	struct err e = {0};
	CHECK(store_each(s, f, off, n, add_id, &w, &e) == OK);
	for (long i = 0; i < w.n && off + i < 256; i++)
		out->v[off + i] = w.v[i];
	if (w.n && off + w.n > out->n)      /* a window past the end adds nothing */
		out->n = off + w.n;
}

static int same_ids(const struct ids *a, const struct ids *b)
{
	return a->n == b->n && memcmp(a->v, b->v, (size_t)a->n * sizeof *a->v) == 0;
}

/* Forwards by pages, backwards from the end, and a jump into the middle, each with a fresh
 * cache, agree with the whole list read at once. */
static void check_windows(struct filter *f, const char *what)
{
	struct store *s = open_db();
	struct ids all = {0}, fwd = {0}, back = {0};
	struct err e = {0};
	CHECK(store_each(s, f, 0, -1, add_id, &all, &e) == OK);
	for (long off = 0; off < all.n; off += 7)
		window(s, f, off, 7, &fwd);
	store_close(s);
	s = open_db();
	long n = 0;
	CHECK(store_count(s, f, &n, &e) == OK);
	CHECK_INT(n, all.n);
	for (long off = n - 7; off > -7; off -= 7)
		window(s, f, off < 0 ? 0 : off, off < 0 ? off + 7 : 7, &back);
	back.n = n;
	store_close(s);
	s = open_db();
	struct ids jump = all;
	window(s, f, all.n / 2, 7, &jump);
	window(s, f, all.n / 2 + 7, 7, &jump);
	window(s, f, all.n / 2 - 7 > 0 ? all.n / 2 - 7 : 0, 7, &jump);
	store_close(s);
	/* a seek remembering a row every 5 on its way, then jumps back from those rows */
	s = open_db();
	s->window_stride = 5;
	struct ids strided = all;
	long deep = all.n * 2 / 5;        /* nearer the start than the end */
	window(s, f, deep, 2, &strided);
	CHECK(s->window.nsparse >= (deep - 1) / 5);
	for (long off = deep - 3; off > 0; off -= 4)
		window(s, f, off, 2, &strided);
	store_close(s);
	if (!same_ids(&all, &fwd) || !same_ids(&all, &back) || !same_ids(&all, &jump) || !same_ids(&all, &strided))
		fprintf(stderr, "windows differ from the whole list: %s\n", what);
	CHECK(same_ids(&all, &fwd));
	CHECK(same_ids(&all, &back));
	CHECK(same_ids(&all, &jump));
	CHECK(same_ids(&all, &strided));
	CHECK(all.n > 0);
}

static void test_sorted_windows(void)
{
	static const char *const SORTS[] = { "target", "rag", "agency", "updated", "lead" };
	for (size_t i = 0; i < sizeof SORTS / sizeof *SORTS; i++) {
		for (int variant = 0; variant < 5; variant++) {
			struct filter f;
			struct err e = {0};
			filter_init(&f);
			CHECK(filter_parse_sort(&f, SORTS[i], &e) == OK);
			if (variant == 1)
				CHECK(filter_parse_option(&f, "rag", "red,amber,unset", &e) == OK);
			if (variant == 2)
				CHECK(filter_parse_option(&f, "agency", "Police", &e) == OK);
			if (variant == 3)           /* a search matching every action: read by the sort's index */
				CHECK(filter_parse_option(&f, "search", "action", &e) == OK);
			if (variant == 4)           /* and one matching a few: their ids sorted */
				CHECK(filter_parse_option(&f, "search", "Response 1", &e) == OK);
			char *what = xasprintf("sort %s, variant %d", SORTS[i], variant);
			check_windows(&f, what);
			free(what);
			filter_free(&f);
		}
	}
}

/* The first line of plans that reads the whole action table (or, with no_sort, sorts
 * for ORDER BY; with no_sort 2, makes any temporary tree in a read of actions), or NULL. */
static const char *table_scan(const char *plans, int no_sort)
{
	int of_actions = 0;
	for (const char *line = plans; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (strncmp(line, "-- ", 3) == 0) {
			const char *from = strstr(line, " action a");
			of_actions = from && from < line + strcspn(line, "\n");
			continue;
		}
		if (no_sort == 2 && of_actions && strncmp(line, "USE TEMP B-TREE", 15) == 0)
			return line;
		size_t len = strcspn(line, "\n");
		const char *using = strstr(line, "USING");
		int scan_a = strncmp(line, "SCAN a", 6) == 0 && (line[6] == '\n' || line[6] == ' ' || !line[6]);
		int scan_action = strncmp(line, "SCAN action", 11) == 0 && (line[11] == '\n' || line[11] == ' ' || !line[11]);
		if ((scan_a || scan_action) && (!using || using > line + len))
			return line;
		if (no_sort && strncmp(line, "USE TEMP B-TREE FOR ORDER BY", 28) == 0)
			return line;
	}
	return NULL;
}

/* Fail (printing the statements) when the plans recorded scan the action table, or,
 * with no_sort, sort for ORDER BY. */
static void check_plans(struct store *s, const char *what, int no_sort)
{
	const char *plans = store_plans(s);
	const char *bad = table_scan(plans, no_sort);
	if (bad)
		fprintf(stderr, "%s scans or sorts: %.*s\n%s", what, (int)strcspn(bad, "\n"), bad, plans);
	CHECK(bad == NULL);
	CHECK(strstr(plans, "-- SELECT") != NULL);      /* statements were recorded */
}

/* The plan of the statement in plans that contains part, up to the next statement
 * (a new string the caller frees), or NULL. */
static char *plan_of(const char *plans, const char *part)
{
	const char *at = strstr(plans, part);
	if (!at)
		return NULL;
	at = strchr(at, '\n');
	const char *end = at ? strstr(at, "\n-- ") : NULL;
	return at ? xasprintf("%.*s", (int)(end ? end - at : (long)strlen(at)), at) : NULL;
}

static void test_plans_sorted(void)
{
	static const char *const SORTS[] = { "target", "rag", "agency", "updated", "lead" };
	struct store *s = open_db();
	for (size_t i = 0; i < sizeof SORTS / sizeof *SORTS; i++) {
		for (int variant = 0; variant < 3; variant++) {
			struct filter f;
			struct err e = {0};
			struct ids ids = {0};
			long n = 0;
			filter_init(&f);
			CHECK(filter_parse_sort(&f, SORTS[i], &e) == OK);
			if (variant == 1)
				CHECK(filter_parse_option(&f, "rag", "red", &e) == OK);
			if (variant == 2)           /* matching every action: the sort's index, not a sort */
				CHECK(filter_parse_option(&f, "search", "action", &e) == OK);
			char *what = xasprintf("a window sorted by %s%s (first, next, last, middle)", SORTS[i],
			                       variant == 1 ? " of Red actions" : variant == 2 ? " of a search" : "");
			store_plans_record(s, 1);
			window(s, &f, 0, 7, &ids);          /* the first screen, */
			window(s, &f, 7, 7, &ids);          /* PgDn, */
			CHECK(store_count(s, &f, &n, &e) == OK);
			window(s, &f, n > 7 ? n - 7 : 0, 7, &ids);    /* G */
			check_plans(s, what, 1);
			store_plans_record(s, 0);
			/* reopening half-way down: nothing known yet about the list; the seek there
			 * steps 5 rows at a time, then the window before it starts from a step */
			struct store *fresh = open_db();
			fresh->window_stride = 5;
			store_plans_record(fresh, 1);
			window(fresh, &f, n / 2, 2, &ids);
			window(fresh, &f, n / 4, 2, &ids);
			check_plans(fresh, what, 1);
			store_close(fresh);
			free(what);
			filter_free(&f);
		}
	}
	store_close(s);
}

static void test_plans_filters(void)
{
	static const char *const FILTERS[][2] = {
		{ NULL, NULL }, { "rag", "red" }, { "agency", "Police" }, { "review", "Plans" },
		{ "changed-since", "2016-07-02" },
	};
	struct store *s = open_db();
	for (size_t i = 0; i < sizeof FILTERS / sizeof *FILTERS; i++) {
		struct filter f;
		struct err e = {0};
		struct ids ids = {0};
		long n = 0, pos = -1;
		filter_init(&f);
		if (FILTERS[i][0])
			CHECK(filter_parse_option(&f, FILTERS[i][0], FILTERS[i][1], &e) == OK);
		char *what = xasprintf("the first screen and a position under --%s", FILTERS[i][0] ? FILTERS[i][0] : "(none)");
		store_plans_record(s, 1);
		window(s, &f, 0, 7, &ids);
		CHECK(store_count(s, &f, &n, &e) == OK);
		struct store *fresh = open_db();          /* reopening half-way down */
		store_plans_record(fresh, 1);
		struct ids mid = {0};
		window(fresh, &f, n / 2, 7, &mid);
		check_plans(fresh, what, i != 4);         /* --changed-since: a few rows sorted */
		store_close(fresh);
		if (ids.n)
			CHECK(store_position(s, &f, ids.v[ids.n - 1], &pos, &e) == OK);
		check_plans(s, what, 0);
		CHECK_INT(pos, ids.n - 1);
		store_plans_record(s, 0);
		/* list --changed-since: the whole list at once */
		if (i == 4) {
			struct ids all = {0};
			store_plans_record(s, 1);
			CHECK(store_each(s, &f, 0, -1, add_id, &all, &e) == OK);
			check_plans(s, "list --changed-since", 0);
			/* the rows changed since, found by their change time: not every row read in order */
			CHECK(strstr(store_plans(s), "action_by_updated") != NULL);
			CHECK(strstr(store_plans(s), "USING INDEX action_sort") == NULL);
			/* ... their ids sorted from that index alone, then each row read by id (no
			 * whole rows sorted) */
			char *by_id = plan_of(store_plans(s), "-- SELECT a.id FROM action a WHERE");
			CHECK(by_id && strstr(by_id, "SEARCH a USING COVERING INDEX action_by_updated") != NULL);
			char *rows = plan_of(store_plans(s), "a.withdrawn FROM action a");
			CHECK(rows && strstr(rows, "SEARCH a USING INTEGER PRIMARY KEY (rowid=?)") != NULL &&
			      strstr(rows, "TEMP B-TREE") == NULL);
			free(by_id);
			free(rows);
			CHECK_INT(all.n, 3);      /* ids 20, 54, 88: changed on the 2nd */
			store_plans_record(s, 0);
		}
		free(what);
		filter_free(&f);
	}
	store_close(s);
}

static int count_group(const struct group_counts *g, void *ctx)
{
	*(long *)ctx += g->total;
	return 0;
}

/* The counts the browser shows under each filter (the RAG counts, the total, the
 * dashboard's and pickers' per agency and review) read indexes (or rag_count), never
 * every action, and make no temporary tree from actions; the groups add up to the list. */
static void test_plans_counts(void)
{
	static const char *const FILTERS[][2] = {
		{ NULL, NULL }, { "rag", "red" }, { "overdue", "1" }, { "due-within", "30" }, { "agency", "Police" },
		{ "review", "Plans" },
	};
	struct store *s = open_db();
	for (size_t i = 0; i < sizeof FILTERS / sizeof *FILTERS; i++) {
		struct filter f;
		struct err e = {0};
		long counts[RAG_COUNT], n = -1, by_agency = 0, by_review = 0;
		filter_init(&f);
		if (FILTERS[i][0])
			CHECK(filter_parse_option(&f, FILTERS[i][0], FILTERS[i][1], &e) == OK);
		char *what = xasprintf("the counts under --%s", FILTERS[i][0] ? FILTERS[i][0] : "(none)");
		store_plans_record(s, 1);
		CHECK(store_rag_counts(s, &f, counts, &e) == OK);
		CHECK(store_count(s, &f, &n, &e) == OK);
		CHECK(store_group_counts(s, &f, GROUP_AGENCY, count_group, &by_agency, &e) == OK);
		CHECK(store_group_counts(s, &f, GROUP_REVIEW, count_group, &by_review, &e) == OK);
		check_plans(s, what, 2);
		if (i == 2 || i == 3)      /* overdue, due within: the index alone, no action read */
			CHECK(strstr(store_plans(s), "USING INDEX action_target") == NULL &&
			      strstr(store_plans(s), "COVERING INDEX action_target") != NULL);
		if (i == 2)                /* overdue: the totals less the actions not yet due, never the overdue */
			CHECK(strstr(store_plans(s), "action_target (target_date<?)") == NULL &&
			      strstr(store_plans(s), "action_target (target_date>?)") != NULL);
		store_plans_record(s, 0);
		/* the RAG counts and the groups' leave the RAG condition out (each toggle's count) */
		long listed = 0, all = 0;
		for (int r = 0; r < RAG_COUNT; r++) {
			all += counts[r];
			listed += !f.rag_mask || (f.rag_mask & RAG_BIT(r)) ? counts[r] : 0;
		}
		CHECK_INT(listed, n);
		/* sorted, the same list: the same counts (kept from before the sort) */
		long sorted_n = -1, sorted_counts[RAG_COUNT];
		CHECK(filter_parse_sort(&f, "lead", &e) == OK);
		CHECK(store_rag_counts(s, &f, sorted_counts, &e) == OK);
		CHECK(store_count(s, &f, &sorted_n, &e) == OK);
		CHECK_INT(sorted_n, n);
		CHECK(memcmp(sorted_counts, counts, sizeof counts) == 0);
		if (i != 4)                /* agencies count each agency, whatever the filter's */
			CHECK_INT(by_agency, all);
		if (i != 5)
			CHECK_INT(by_review, all);
		CHECK(n > 0);
		free(what);
		filter_free(&f);
	}
	store_close(s);
}

/* Actions matching cond counted per RAG state by SQL on the store's own connection. */
static void sql_counts(struct store *s, const char *cond, long counts[RAG_COUNT])
{
	char *sql = xasprintf("SELECT rag, count(*) FROM action a LEFT JOIN agency ag ON ag.id = a.agency_id"
	                      " WHERE a.target_date < '2016-06-30' AND a.rag <> 4 AND a.withdrawn = 0 AND %s GROUP BY rag",
	                      cond);
	sqlite3_stmt *st;
	memset(counts, 0, RAG_COUNT * sizeof *counts);
	CHECK(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		counts[sqlite3_column_int(st, 0)] = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	free(sql);
}

struct group_check {
	struct store *s;
	int bad;
};

/* Each agency's overdue counts (the dashboard's and the picker's) against SQL's. */
static int check_group(const struct group_counts *g, void *ctx)
{
	struct group_check *c = ctx;
	long want[RAG_COUNT];
	char *cond = g->none ? xstrdup("a.agency_id IS NULL") : xasprintf("ag.name = '%s'", g->name);
	sql_counts(c->s, cond, want);
	if (memcmp(want, g->counts, sizeof want) != 0) {
		fprintf(stderr, "overdue counts of agency %s differ from its actions'\n", g->name);
		c->bad++;
	}
	free(cond);
	return 0;
}

/* The overdue totals (rag_count's dated actions less those not yet due) are the overdue
 * actions' counts, with and without an agency or review, as targets are set, moved into
 * the future, cleared, an action goes Blue and one is withdrawn. */
static void test_overdue_totals(void)
{
	static const struct { int64_t id; enum action_field field; const char *value; const char *sql; } EDITS[] = {
		{ 0, FIELD_TARGET, NULL, NULL },
		{ 2, FIELD_TARGET, "2015-01-31", NULL },          /* an undated action, now overdue */
		{ 1, FIELD_TARGET, "2017-03-31", NULL },          /* overdue, now not yet due */
		{ 3, FIELD_TARGET, "", NULL },                    /* a target cleared */
		{ 5, FIELD_RAG, "Red", NULL },
		{ 0, FIELD_TARGET, NULL, "UPDATE action SET withdrawn = 1 WHERE id = 7" },
		{ 0, FIELD_TARGET, NULL, "UPDATE action SET rag = 4, evidence = 'seen' WHERE id = 13" },
	};
	struct store *s = open_db();
	for (size_t i = 0; i < sizeof EDITS / sizeof *EDITS; i++) {
		struct err e = {0};
		int changed = 0;
		if (EDITS[i].id) {
			struct field_change c = { EDITS[i].field, EDITS[i].value };
			CHECK(store_set(s, EDITS[i].id, 0, &c, 1, NULL, &changed, &e) == OK);
		}
		if (EDITS[i].sql)
			CHECK(sqlite3_exec(s->db, EDITS[i].sql, NULL, NULL, NULL) == SQLITE_OK);
		static const char *const FILTERS[][2] = { { NULL, NULL }, { "agency", "CSC" }, { "review", "Plans" } };
		static const char *const CONDS[] = { "1", "ag.name = 'CSC'", "1" };
		for (size_t k = 0; k < sizeof FILTERS / sizeof *FILTERS; k++) {
			struct filter f;
			filter_init(&f);
			CHECK(filter_parse_option(&f, "overdue", "1", &e) == OK);
			if (FILTERS[k][0])
				CHECK(filter_parse_option(&f, FILTERS[k][0], FILTERS[k][1], &e) == OK);
			long got[RAG_COUNT], want[RAG_COUNT], n = -1, total = 0;
			sql_counts(s, CONDS[k], want);
			CHECK(store_rag_counts(s, &f, got, &e) == OK);
			CHECK(store_count(s, &f, &n, &e) == OK);
			for (int r = 0; r < RAG_COUNT; r++)
				total += want[r];
			if (memcmp(got, want, sizeof got) != 0 || n != total)
				fprintf(stderr, "overdue totals differ from the actions' after edit %zu, filter %zu\n", i, k);
			CHECK(memcmp(got, want, sizeof got) == 0);
			CHECK_INT(n, total);
			struct group_check c = { s, 0 };
			CHECK(store_group_counts(s, &f, GROUP_AGENCY, check_group, &c, &e) == OK);
			CHECK_INT(c.bad, 0);
			filter_free(&f);
		}
	}
	store_close(s);
}

/* list --sort target (the whole list under one sort): each group read through the sort's
 * index in one statement, never every id sorted and each row read on its own. */
static void test_plans_whole_sorted(void)
{
	static const char *const SORTS[][2] = {
		{ "target", "action_by_target" }, { "rag", "action_rag" }, { "lead", "action_by_lead" },
		{ "updated", "action_by_updated" },
	};
	struct store *s = open_db();
	for (size_t i = 0; i < sizeof SORTS / sizeof *SORTS; i++) {
		struct filter f;
		struct err e = {0};
		struct ids all = {0};
		filter_init(&f);
		CHECK(filter_parse_sort(&f, SORTS[i][0], &e) == OK);
		store_plans_record(s, 1);
		CHECK(store_each(s, &f, 0, -1, add_id, &all, &e) == OK);
		char *what = xasprintf("list --sort %s", SORTS[i][0]);
		check_plans(s, what, 1);
		const char *plans = store_plans(s);
		CHECK(strstr(plans, SORTS[i][1]) != NULL);
		CHECK(strstr(plans, "WHERE a.id = ?") == NULL);     /* no row read on its own */
		CHECK_INT(all.n, 97);
		store_plans_record(s, 0);
		free(what);
		filter_free(&f);
	}
	store_close(s);
}

/* How many statements of plans read the whole action table (in any order). */
static int whole_table_reads(const char *plans)
{
	int n = 0;
	for (const char *line = plans; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		if (strncmp(line, "SCAN a\n", 7) == 0 || strncmp(line, "SCAN a USING", 12) == 0 ||
		    strncmp(line, "SCAN action", 11) == 0)
			n++;
	return n;
}

/* ragtrack report: one pass over the actions gathers every count (grouped in the order of
 * an index, not sorted; under a filter, the matching actions found through theirs), and
 * each list is read through its index where it has one; only
 * the two lists no index serves (slipped, stale) read the table again. */
static void test_plans_report(void)
{
	struct store *s = open_db();
	for (int variant = 0; variant < 2; variant++) {
		struct filter f;
		struct err e = {0};
		struct report_opts o = { .stale_days = -1, .limit = 10 };
		struct report_data *d = NULL;
		filter_init(&f);
		if (variant)
			CHECK(filter_parse_option(&f, "agency", "Police", &e) == OK);
		store_plans_record(s, 1);
		CHECK(store_report_gather(s, &f, &o, &d, &e) == OK);
		const char *plans = store_plans(s);
		char *pass = plan_of(plans, "ifnull(a.agency_id, 0), min(a.review_id)");
		if (!variant) {           /* every action, grouped as the index holds them */
			CHECK(pass && strstr(pass, "SCAN a USING INDEX action_identity") != NULL);
			CHECK(pass && strstr(pass, "TEMP B-TREE") == NULL);
		} else {                  /* the agency's actions found by index, not the table read */
			CHECK(pass && strstr(pass, "SEARCH a USING INDEX action_agency") != NULL);
			CHECK(pass && whole_table_reads(pass) == 0);
		}
		int reads = whole_table_reads(plans);
		if (reads > 3)
			fprintf(stderr, "the report reads the action table %d times:\n%s", reads, plans);
		CHECK(reads <= 3);
		char *red = plan_of(plans, "AND a.rag = 1 ORDER BY");
		CHECK(!variant || (red && strstr(red, "action_rag") != NULL));
		CHECK(d && d->nreviews == 1 && d->total.total > 0);
		free(pass);
		free(red);
		report_data_free(d);
		store_plans_record(s, 0);
		filter_free(&f);
	}
	store_close(s);
}

/* ragtrack agency alias: every statement of a merge seeks the rows it changes (a merge
 * of a large agency runs each of them tens of thousands of times); last, as it changes
 * the database the other tests read. */
static void test_plans_merge(void)
{
	struct store *s = open_db();
	struct err e = {0};
	store_plans_record(s, 1);
	CHECK(store_agency_alias(s, "CSC", "Police", NULL, &e) == OK);
	const char *plans = store_plans(s);
	check_plans(s, "agency alias CSC Police", 0);
	/* the actions of one question of both agencies, and the number flip, by identity */
	const char *q = strstr(plans, "-- SELECT a.id, ifnull(a.agency_id, 0), a.seq");
	CHECK(q && strstr(q, "USING INDEX action_identity") != NULL);
	const char *flip = strstr(plans, "-- UPDATE action SET seq = -seq");
	CHECK(flip && strstr(flip, "USING INDEX action_identity") != NULL);
	CHECK(strstr(plans, "-- UPDATE action SET agency_id = ?1, seq = ?2, sort_key = ?3 WHERE id = ?4") != NULL);
	const char *resp = strstr(plans, "-- UPDATE action SET response_id = ?1 WHERE response_id = ?2\n");
	CHECK(resp && strncmp(strchr(resp, '\n') + 1, "SEARCH action USING COVERING INDEX action_response", 50) == 0);
	/* from's responses, twice, and the actions they answer noted: through response_agency */
	static const char *const BY_AGENCY[] = { "-- SELECT id FROM response WHERE agency_id = ?",
	                                         "-- SELECT question_id FROM response WHERE agency_id = ?",
	                                         "-- INSERT INTO temp.merge_fts(id) SELECT a.id FROM response f" };
	for (size_t i = 0; i < sizeof BY_AGENCY / sizeof *BY_AGENCY; i++) {
		char *plan = plan_of(plans, BY_AGENCY[i]);
		if (!plan || !strstr(plan, "INDEX response_agency (agency_id=?)") || strstr(plan, "SCAN "))
			fprintf(stderr, "%s does not seek by agency:%s\n", BY_AGENCY[i], plan ? plan : " (not run)");
		CHECK(plan && strstr(plan, "INDEX response_agency (agency_id=?)") != NULL && strstr(plan, "SCAN ") == NULL);
		free(plan);
	}
	/* the full-text entries made again for the noted actions only */
	const char *fts = strstr(plans, "-- INSERT INTO action_fts(rowid");
	CHECK(fts && strstr(fts, "SEARCH a USING INTEGER PRIMARY KEY") != NULL);
	store_plans_record(s, 0);
	long n = 0;
	struct filter f;
	filter_init(&f);
	CHECK(filter_parse_option(&f, "agency", "CSC", &e) == OK);
	CHECK(store_count(s, &f, &n, &e) == OK);
	CHECK_INT(n, 40);          /* rows 0, 1, 5, 6, ... of 97: CSC's 20 and Police's 20 */
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
	test_sorted_windows();
	test_plans_sorted();
	test_plans_filters();
	test_plans_counts();
	test_plans_whole_sorted();
	test_plans_report();
	test_plans_merge();
	test_overdue_totals();        /* last: it edits the plan */
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
	return check_report();
}
