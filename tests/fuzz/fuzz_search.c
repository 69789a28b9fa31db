/* fuzz_search: what a user types into a search or a name filter, under a fuzzer.
 *
 * The store builds SQL from constant fragments and binds every value; --search words
 * go to FTS5 as quoted strings.  So no text at all may make a query fail: every input
 * is tried as --search, --lead, --review, --question and --agency over a small plan in
 * an in-memory database, and store_count, store_each, store_rag_counts and
 * store_filter_check must all answer (a count, rows, or "no such name") -- never a
 * database error, which would mean the text reached SQL or FTS5 syntax.  A search
 * counted and listed must agree.
 *
 * One input is one string (cut at its first NUL, as the command line cuts it). */
#include "ragtrack/filter.h"
#include "ragtrack/import.h"
#include "ragtrack/store.h"
#include "ragtrack/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_FAIL
#define FUZZ_FAIL(what) fuzz_search_abort(what)
static void fuzz_search_abort(const char *what)
{
	fprintf(stderr, "fuzz_search: broken promise: %s\n", what);
	abort();
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char FUZZ_SEARCH_PLAN[] =
	"Questions,Agency,Actions,RAG,Target Date,Evidence/Outcome,Agency Lead Person\n"
	"1a. How does the Board know?,Police,\"Audit NEAR misses and \"\"quoted\"\" words\",G,31.03.2016,col:word a*b,DI Smith\n"
	",Health,Review CSE training (phase 2) - all staff,A,June 2016,\"it's done, mostly\",Dr O'Brien\n"
	"2 What is shared?,Children's Social Care,Share chronology AND history OR notes,R,,,\n"
	",Education,caf\xc3\xa9 na\xc3\xafve r\xc3\xb4le \xe2\x80\x9cquoted\xe2\x80\x9d,Blue,01/06/16,Done,Head\n";

static struct store *fuzz_search_store;

static int fuzz_search_count_rows(const struct action *a, void *ctx)
{
	(void)a;
	++*(long *)ctx;
	return 0;
}

static void fuzz_search_teardown(void)
{
	store_close(fuzz_search_store);
	fuzz_search_store = NULL;
}

static void fuzz_search_setup(void)
{
	static const struct store_opts opts = { .source = SOURCE_CLI, .create = 1, .user = "fuzz" };
	struct err e = {0};
	if (store_open(":memory:", &opts, &fuzz_search_store, &e) != OK ||
	    import_buffer(fuzz_search_store, "plan.csv", FUZZ_SEARCH_PLAN, sizeof FUZZ_SEARCH_PLAN - 1, NULL, NULL, &e) != OK) {
		fprintf(stderr, "fuzz_search: setup: %s\n", e.msg);
		abort();
	}
	atexit(fuzz_search_teardown);
}

/* Run every query a view runs for f: none may fail with a database error. */
static void fuzz_search_query(const struct filter *f)
{
	struct err e = {0};
	long n = -1, listed = 0, counts[RAG_COUNT];
	enum status st = store_filter_check(fuzz_search_store, f, &e);
	if (st != OK && st != ERR_NOT_FOUND)
		FUZZ_FAIL("store_filter_check failed");
	if (store_count(fuzz_search_store, f, &n, &e) != OK) {
		fprintf(stderr, "%s\n", e.msg);
		FUZZ_FAIL("store_count failed: user text reached SQL or FTS5 syntax");
	}
	if (store_each(fuzz_search_store, f, 0, -1, fuzz_search_count_rows, &listed, &e) != OK)
		FUZZ_FAIL("store_each failed");
	if (store_rag_counts(fuzz_search_store, f, counts, &e) != OK)
		FUZZ_FAIL("store_rag_counts failed");
	if (listed != n)
		FUZZ_FAIL("counted and listed differ");
	if (n < 0 || n > 4)
		FUZZ_FAIL("a filter matched more actions than there are");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!fuzz_search_store)
		fuzz_search_setup();
	char *s = xstrndup((const char *)data, size);
	static const char *const opts[] = { "search", "lead", "review", "question", "finding", "agency" };
	for (size_t i = 0; i < sizeof opts / sizeof *opts; i++) {
		struct filter f;
		struct err e = {0};
		filter_init(&f);
		if (filter_parse_option(&f, opts[i], s, &e) == OK)
			fuzz_search_query(&f);
		filter_free(&f);
	}
	free(s);
	return 0;
}
