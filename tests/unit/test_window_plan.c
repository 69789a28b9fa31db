/* Unit tests for the window planner (store_window_plan): how the browser's next window
 * of rows is read from what the store remembers of the list (the latest windows' edges,
 * a seek's sparse rows, the count): from the nearest row, forwards or backwards, the end
 * of the list read backwards, nothing beyond the end. */
#include "../../src/store_int.h"

#include "check.h"

#include <string.h>

static struct window_anchor at(long offset)
{
	return (struct window_anchor){ .offset = offset, .key = "k", .id = offset + 1 };
}

/* A cache of count rows (-1: not counted) remembering the rows at offsets[0..n). */
static void cache(struct window_cache *w, long count, const long *offsets, int n)
{
	memset(w, 0, sizeof *w);
	w->count = count;
	for (int i = 0; i < n; i++)
		w->anchor[w->nanchor++] = at(offsets[i]);
}

static void check_plan(struct window_plan p, long from, int backwards, long skip, long limit)
{
	if (from < 0)
		CHECK(p.from == NULL);
	else
		CHECK(p.from && p.from->offset == from);
	CHECK_INT(p.backwards, backwards);
	CHECK_INT(p.skip, skip);
	CHECK_INT(p.limit, limit);
}

static void test_start(void)
{
	struct window_cache w;
	cache(&w, -1, NULL, 0);
	check_plan(store_window_plan(&w, 0, 40), -1, 0, 0, 40);      /* first screen: from the start */
	check_plan(store_window_plan(&w, 30, 40), -1, 0, 30, 40);    /* nothing known: skip from the start */
}

static void test_hit_forward(void)
{
	/* the last window was [100, 140): its edges 100 and 139 are remembered */
	static const long edges[] = { 100, 139 };
	struct window_cache w;
	cache(&w, 1000, edges, 2);
	check_plan(store_window_plan(&w, 140, 40), 139, 0, 0, 40);   /* the next page: from its last row */
	check_plan(store_window_plan(&w, 150, 40), 139, 0, 10, 40);  /* a little further: skip the gap */
	check_plan(store_window_plan(&w, 120, 40), 100, 0, 19, 40);  /* overlapping it */
}

static void test_hit_backward(void)
{
	static const long edges[] = { 100, 139 };
	struct window_cache w;
	cache(&w, 1000, edges, 2);
	check_plan(store_window_plan(&w, 60, 40), 100, 1, 0, 40);    /* the page before: back from its first row */
	check_plan(store_window_plan(&w, 50, 40), 100, 1, 10, 40);
}

static void test_end(void)
{
	static const long edges[] = { 0, 39 };
	struct window_cache w;
	cache(&w, 1000, edges, 2);
	check_plan(store_window_plan(&w, 960, 40), -1, 1, 0, 40);    /* G: the last page, back from the end */
	check_plan(store_window_plan(&w, 980, 40), -1, 1, 0, 20);    /* a window past the end: what is there */
	check_plan(store_window_plan(&w, 900, 40), -1, 1, 60, 40);   /* near the end: skip back from it */
	cache(&w, -1, edges, 2);                                     /* not counted: no end to start from */
	check_plan(store_window_plan(&w, 960, 40), 39, 0, 920, 40);
}

static void test_beyond_count(void)
{
	static const long edges[] = { 0, 39 };
	struct window_cache w;
	cache(&w, 1000, edges, 2);
	check_plan(store_window_plan(&w, 1000, 40), -1, 0, 0, 0);    /* nothing to read, nothing skipped */
	check_plan(store_window_plan(&w, 5000, 40), -1, 0, 0, 0);
	cache(&w, 0, NULL, 0);                                       /* an empty list */
	check_plan(store_window_plan(&w, 0, 40), -1, 0, 0, 0);
}

static void test_sparse(void)
{
	/* a seek to 50000 remembered rows on its way; the latest window is near the end */
	struct window_anchor sparse[] = { at(16384), at(32768), at(49999) };
	static const long edges[] = { 99960, 99999 };
	struct window_cache w;
	cache(&w, 100000, edges, 2);
	w.sparse = sparse;
	w.nsparse = 3;
	check_plan(store_window_plan(&w, 40000, 40), 32768, 0, 7231, 40);   /* the nearest row before */
	check_plan(store_window_plan(&w, 49000, 40), 49999, 1, 959, 40);    /* or after */
	check_plan(store_window_plan(&w, 99920, 40), 99960, 1, 0, 40);      /* the window's edge wins */
	check_plan(store_window_plan(&w, 10, 40), -1, 0, 10, 40);           /* the start is nearer */
}

int main(void)
{
	test_start();
	test_hit_forward();
	test_hit_backward();
	test_end();
	test_beyond_count();
	test_sparse();
	return check_report();
}
