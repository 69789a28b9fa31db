/* test_csvread: rows, cells and line numbers through the real libcsv reader. */
#include "check.h"
#include "ragtrack/csvread.h"
#include "ragtrack/util.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK (256 * 1024)   /* the reader's chunk size: boundaries are tested around it */

struct got {
	int rows;
	long line[16], end_line[16];
	size_t ncells[16];
	char *first[16], *last[16];
};

static enum status collect(const struct csv_row *row, void *ctx, struct err *err)
{
	struct got *g = ctx;
	(void)err;
	if (g->rows < 16) {
		g->line[g->rows] = row->line;
		g->end_line[g->rows] = row->end_line;
		g->ncells[g->rows] = row->ncells;
		g->first[g->rows] = xstrdup(row->ncells ? row->cells[0] : "");
		g->last[g->rows] = xstrdup(row->ncells ? row->cells[row->ncells - 1] : "");
	}
	g->rows++;
	return OK;
}

static void got_free(struct got *g)
{
	for (int i = 0; i < g->rows && i < 16; i++) {
		free(g->first[i]);
		free(g->last[i]);
	}
	memset(g, 0, sizeof *g);
}

static enum status read_str(const char *s, size_t n, struct got *g, struct csvread_info *info, struct err *e)
{
	memset(g, 0, sizeof *g);
	return csvread_buffer("t.csv", s, n, collect, g, info, e);
}

static void test_line_ends(void)
{
	static const char *const inputs[] = { "a,b\nc,d\n\ne,f\n", "a,b\r\nc,d\r\n\r\ne,f\r\n", "a,b\rc,d\r\re,f\r" };
	for (int i = 0; i < 3; i++) {
		struct got g;
		struct err e = {0};
		CHECK_INT(read_str(inputs[i], strlen(inputs[i]), &g, NULL, &e), OK);
		CHECK_INT(g.rows, 3);
		CHECK_INT(g.line[0], 1);
		CHECK_INT(g.line[1], 2);
		CHECK_INT(g.line[2], 4);    /* the blank line 3 is skipped but counted */
		CHECK_STR(g.last[2], "f");
		got_free(&g);
	}
}

static void test_quoted_newlines(void)
{
	const char *s = "h1,h2\n\"multi\nline\nfield\",\"say \"\"hi\"\"\"\nnext,row\n";
	struct got g;
	struct err e = {0};
	CHECK_INT(read_str(s, strlen(s), &g, NULL, &e), OK);
	CHECK_INT(g.rows, 3);
	CHECK_INT(g.line[1], 2);
	CHECK_INT(g.end_line[1], 4);
	CHECK_STR(g.first[1], "multi\nline\nfield");
	CHECK_STR(g.last[1], "say \"hi\"");
	CHECK_INT(g.line[2], 5);
	got_free(&g);
}

static void test_errors(void)
{
	struct got g;
	struct err e = {0};
	const char *s = "a,b\nc,d\n\"open,e\n";
	CHECK_INT(read_str(s, strlen(s), &g, NULL, &e), ERR_PARSE);
	CHECK_STR(e.msg, "t.csv:3: unterminated quoted field");
	got_free(&g);
	const char *t = "a,b\nc,\"d\"x\n";
	CHECK_INT(read_str(t, strlen(t), &g, NULL, &e), ERR_PARSE);
	CHECK(strstr(e.msg, "t.csv:2: malformed quoted field") != NULL);
	got_free(&g);
}

static void test_encoding(void)
{
	struct got g;
	struct err e = {0};
	struct csvread_info info;
	const char *bom = "\xEF\xBB\xBFname\nx\n";
	CHECK_INT(read_str(bom, strlen(bom), &g, &info, &e), OK);
	CHECK_STR(g.first[0], "name");
	CHECK_INT(info.had_bom, 1);
	got_free(&g);
	const char *win = "name\ncaf\xE9 \x93q\x94\n";
	CHECK_INT(read_str(win, strlen(win), &g, &info, &e), OK);
	CHECK_INT(info.cp1252, 1);
	CHECK_STR(g.first[1], "caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D");
	got_free(&g);
	const char *bad = "name\nok\nbad \x81\n";
	CHECK_INT(read_str(bad, strlen(bad), &g, &info, &e), ERR_ENCODING);
	CHECK(strncmp(e.msg, "t.csv:3: not valid UTF-8", 24) == 0);
	got_free(&g);
	CHECK_INT(read_str(win, strlen(win), &g, &info, &e), OK);
	CHECK_INT(info.cp1252_line, 2);
	got_free(&g);
	/* a byte-order mark declares UTF-8: an invalid byte is refused, with line and offset */
	const char *bombad = "\xEF\xBB\xBFname\nok\ncaf\xE9\n";
	CHECK_INT(read_str(bombad, strlen(bombad), &g, &info, &e), ERR_ENCODING);
	CHECK_STR(e.msg, "t.csv:3: the file starts with a UTF-8 byte-order mark, but byte 14 (0xE9, counted from 0) "
	                 "is not UTF-8; save it again as \"CSV UTF-8\"");
	CHECK_INT(g.rows, 0);
	got_free(&g);
}

/* A CRLF split exactly at a chunk boundary, and a UTF-8 character split across one. */
static void test_chunk_boundaries(void)
{
	size_t n = CHUNK + 64;
	char *s = xmalloc(n + 1);
	memset(s, 'x', n);
	memcpy(s, "h\n", 2);
	s[CHUNK - 1] = '\r';
	s[CHUNK] = '\n';
	memcpy(s + CHUNK + 1, "second\r\nthird\n", 14);
	struct got g;
	struct err e = {0};
	CHECK_INT(read_str(s, CHUNK + 15, &g, NULL, &e), OK);
	CHECK_INT(g.rows, 4);
	CHECK_INT(g.line[2], 3);
	CHECK_INT(g.line[3], 4);
	CHECK_STR(g.first[3], "third");
	got_free(&g);

	memset(s, 'y', n);
	memcpy(s, "h\n", 2);
	memcpy(s + CHUNK - 1, "\xE2\x80\x94", 3);   /* an em dash across the boundary */
	s[n - 1] = '\n';
	struct csvread_info info;
	CHECK_INT(read_str(s, n, &g, &info, &e), OK);
	CHECK_INT(info.cp1252, 0);
	CHECK_INT(g.rows, 2);
	got_free(&g);
	free(s);
}

static enum status stop_at_two(const struct csv_row *row, void *ctx, struct err *err)
{
	(void)ctx;
	if (row->line == 2)
		return err_set(err, ERR_INVALID, "stopped at %ld", row->line);
	return OK;
}

static void test_callback_stops(void)
{
	struct err e = {0};
	const char *s = "a\nb\nc\n";
	CHECK_INT(csvread_buffer("t.csv", s, strlen(s), stop_at_two, NULL, NULL, &e), ERR_INVALID);
	CHECK_STR(e.msg, "stopped at 2");
}

int main(void)
{
	test_line_ends();
	test_quoted_newlines();
	test_errors();
	test_encoding();
	test_chunk_boundaries();
	test_callback_stops();
	return check_report();
}
